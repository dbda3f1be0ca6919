"""Fixtures of the tasks tests: a controllable clock behind the app, and an HTTP helper."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from platform_db.testing import truncate_tables
from platform_service import service_state
from platform_service.testing import FakeClock, ServiceUnderTest
from task_manager.settings import Settings
from task_manager.tasks.fastpath import FastTaskRoutes

START = datetime(2026, 11, 27, 10, 0, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FakeClock:
    """Time stands still until a test moves it."""
    return FakeClock(START)


@pytest.fixture
def app_clock(clock: FakeClock) -> FakeClock:
    """The app runs on the test's clock."""
    return clock


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # The rate limiter is on in the tasks tests: the fast path runs behind it in production.
    return settings.model_copy(update={"rate_limit_per_minute": 1_000_000})


def without_fast_path(application: FastAPI) -> FastAPI:
    """The same app with GET /v1/tasks/{id} answered by the FastAPI route only."""
    application.user_middleware = [
        m for m in application.user_middleware if m.cls is not FastTaskRoutes
    ]
    return application


@pytest.fixture(params=["fast"])
async def app(
    request: pytest.FixtureRequest,
    service: ServiceUnderTest,
    settings: Settings,
    app_clock: FakeClock,
) -> AsyncIterator[FastAPI]:
    """The app. A module marks its tests
    ``pytest.mark.parametrize("app", ["fast", "framework"], indirect=True)`` to run them once
    with the GET fast path (the production app) and once with the framework route only."""
    application = service.create_app(settings, clock=app_clock)
    if request.param == "framework":
        without_fast_path(application)
    async with application.router.lifespan_context(application):
        async with service_state(application).pool.acquire() as conn:
            await truncate_tables(conn)
        yield application


CreateTask = Callable[..., Awaitable[dict[str, Any]]]


@pytest.fixture
def create_task(client: httpx.AsyncClient) -> CreateTask:
    """``await create_task("u-1", title=..., ...)``: POST and return the created task."""

    async def create(user: str, **fields: Any) -> dict[str, Any]:
        fields.setdefault("title", "A task")
        response = await client.post("/v1/tasks", json=fields, headers={"X-User-ID": user})
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body

    return create
