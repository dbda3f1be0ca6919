"""The application factory. ``create_app()`` is what uvicorn and gunicorn load."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI

from platform_service import create_service_app, service_state
from task_manager import __version__
from task_manager.clock import Clock
from task_manager.errors import ALL_ERRORS
from task_manager.events.router import router as events_router
from task_manager.events.wakeup import feed_wakeup
from task_manager.migrations import HEAD_REVISION
from task_manager.settings import Settings, load_settings
from task_manager.stats.fastpath import FastStatsRoute
from task_manager.stats.router import router as stats_router
from task_manager.tasks.docs import install_request_bodies
from task_manager.tasks.fastpath import FastTaskRoutes
from task_manager.tasks.http import malformed_task_path
from task_manager.tasks.router import router as tasks_router
from task_manager.webhooks.router import router as webhooks_router

# The /v1 domain routers, each mounted under /v1 behind the API key.
DOMAIN_ROUTERS: list[APIRouter] = [tasks_router, stats_router, events_router, webhooks_router]

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
    app = create_service_app(
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
            {"name": "events", "description": "The change feed: every change to a task."},
            {"name": "webhooks", "description": "Signed deliveries of the feed's events."},
        ],
        # Inside the request context: ids, limits, errors and logs apply to it too.
        inner_middleware=[FastTaskRoutes, FastStatsRoute],
        unknown_path=malformed_task_path,
        lifespan_hooks=[feed_wakeup, in_process_worker],
        cors_request_headers=CORS_REQUEST_HEADERS,
        cors_exposed_headers=CORS_EXPOSED_HEADERS,
    )
    install_request_bodies(app)
    return app


@asynccontextmanager
async def in_process_worker(app: FastAPI) -> AsyncIterator[None]:
    """One webhook worker inside the API process when ``RUN_WORKER_IN_PROCESS`` is set
    (``task-manager serve``: a local run stays one command); in AWS it runs on its own."""
    state = service_state(app)
    settings = state.settings
    if not isinstance(settings, Settings) or not settings.run_worker_in_process:
        yield
        return
    from task_manager.worker import Worker, WorkerConfig, direct_dsn

    assert settings.database_url is not None
    worker = Worker(
        state.pool,
        WorkerConfig.from_settings(settings),
        clock=state.clock,
        listen_dsn=direct_dsn(settings.database_url.get_secret_value()),
    )
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop))
    try:
        yield
    finally:
        stop.set()
        await task
