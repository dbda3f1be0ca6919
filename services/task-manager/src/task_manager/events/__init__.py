"""The change feed: the events outbox (written by the tasks domain through
:func:`append_task_change`), the stamper that gives committed events their feed position, and
``GET /v1/events``. See docs/events.md."""

from task_manager.events.outbox import append_task_change

__all__ = ["append_task_change"]
