"""The change feed: the events outbox (the tasks domain derives each change's event with
:func:`event_for` and writes it in the change's own statement), the stamper that gives committed
events their feed position, and ``GET /v1/events``. See docs/events.md."""

from task_manager.events.outbox import event_for

__all__ = ["event_for"]
