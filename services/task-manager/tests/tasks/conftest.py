"""Fixtures of the tasks tests: a controllable clock behind the app, and an HTTP helper."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

START = datetime(2026, 11, 27, 10, 0, 0, tzinfo=UTC)


class FakeClock:
    """Time stands still until a test moves it."""

    def __init__(self, start: datetime = START) -> None:
        self.current = start

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> datetime:
        self.current += timedelta(**delta)
        return self.current


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def app_clock(clock: FakeClock) -> FakeClock:
    """The app runs on the test's clock."""
    return clock


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
