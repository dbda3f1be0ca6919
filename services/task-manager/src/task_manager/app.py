"""The application factory. ``create_app()`` is what uvicorn and gunicorn load."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from platform_service import create_service_app
from task_manager import __version__
from task_manager.clock import Clock
from task_manager.errors import ALL_ERRORS
from task_manager.migrations import HEAD_REVISION
from task_manager.settings import Settings, load_settings
from task_manager.stats.router import router as stats_router
from task_manager.tasks.fastpath import FastTaskReads
from task_manager.tasks.router import router as tasks_router

# The /v1 domain routers (tasks, stats), each mounted under /v1 behind the API key.
DOMAIN_ROUTERS: list[APIRouter] = [tasks_router, stats_router]

DESCRIPTION = """
Per-user tasks and the gamification figures of the Cat House Platform.

Every `/v1` request carries the calling service's key in `X-API-Key` and, on task and stats
routes, the player's id in `X-User-ID`. Errors are RFC 9457 problem details
(`application/problem+json`) with a stable `code`.
"""

CORS_REQUEST_HEADERS = [
    "Content-Type",
    "X-API-Key",
    "X-User-ID",
    "X-Request-ID",
    "Idempotency-Key",
    "If-Match",
    "If-None-Match",
]
CORS_EXPOSED_HEADERS = [
    "ETag",
    "Location",
    "X-Request-ID",
    "Retry-After",
    "RateLimit-Limit",
    "RateLimit-Remaining",
    "RateLimit-Reset",
]


def create_app(settings: Settings | None = None, *, clock: Clock | None = None) -> FastAPI:
    return create_service_app(
        name="task-manager",
        settings=settings or load_settings(),
        title="Task Manager API",
        version=__version__,
        description=DESCRIPTION,
        routers=DOMAIN_ROUTERS,
        errors=ALL_ERRORS,
        schema_head=HEAD_REVISION,
        clock=clock,
        openapi_tags=[
            {"name": "tasks", "description": "A player's tasks."},
            {"name": "stats", "description": "Gamification figures over a player's tasks."},
        ],
        # Inside the request context: ids, limits, errors and logs apply to it too.
        inner_middleware=[FastTaskReads],
        cors_request_headers=CORS_REQUEST_HEADERS,
        cors_exposed_headers=CORS_EXPOSED_HEADERS,
    )
