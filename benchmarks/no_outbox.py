"""The service with the change feed's outbox switched off, for ``benchmarks/outbox_cost.py``
only: ``outbox.event_for`` returns None, so a write statement has no event, delivery or NOTIFY
part; everything else is the production app. ``gunicorn … benchmarks.no_outbox:create_app()``."""

from __future__ import annotations

from typing import Any

from task_manager.app import create_app
from task_manager.events import outbox


def _no_event(*_args: Any, **_kwargs: Any) -> None:
    return None


outbox.event_for = _no_event  # type: ignore[assignment]

__all__ = ["create_app"]
