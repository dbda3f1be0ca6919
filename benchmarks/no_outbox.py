"""The service with the change feed's outbox switched off, for ``benchmarks/outbox_cost.py``
only: ``outbox.event_for`` returns None, so a write statement has no event part and wakes no
worker; everything else is the production app. Its database sessions are named
:data:`APPLICATION_NAME` (``pg_stat_activity.application_name``), so that a run of both side
by side can tell their backends apart. ``gunicorn … benchmarks.no_outbox:create_app()``."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from platform_service import service_state
from task_manager.app import create_app as create_service_app
from task_manager.events import outbox

APPLICATION_NAME = "task-manager-no-outbox"


def _no_event(*_args: Any, **_kwargs: Any) -> None:
    return None


outbox.event_for = _no_event


def create_app() -> FastAPI:
    app = create_service_app()
    service_state(app).name = APPLICATION_NAME  # the pool's application_name
    return app


__all__ = ["APPLICATION_NAME", "create_app"]
