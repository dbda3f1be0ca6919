"""Fixtures of the feed and webhook tests: the app behind a controllable clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI

from platform_db.testing import truncate_tables
from task_manager.app import create_app
from task_manager.settings import Settings

START = datetime(2026, 11, 27, 10, 0, 0, tzinfo=UTC)
USER = {"X-User-ID": "u-42"}


class FakeClock:
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
async def app(settings: Settings, clock: FakeClock) -> AsyncIterator[FastAPI]:
    application = create_app(settings, clock=clock)
    async with application.router.lifespan_context(application):
        async with application.state.pool.acquire() as conn:
            await truncate_tables(conn)
        yield application
