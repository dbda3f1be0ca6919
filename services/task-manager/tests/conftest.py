"""Fixtures: one migrated PostgreSQL database per test session (embedded unless DATABASE_URL
names a server), emptied before each test; the app with its lifespan; an HTTP client."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from platform_db.testing import fresh_database, postgres_server, truncate_tables
from task_manager.app import create_app
from task_manager.migrations import upgrade
from task_manager.settings import Settings

TEST_KEY = "test-key-0123456789abcdef"
OTHER_KEY = "other-key-0123456789abcdef"
ALLOWED_ORIGIN = "https://cathouse.example"


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    with postgres_server() as server, fresh_database(server, prefix="task_manager_test") as url:
        upgrade(url)
        yield url


def make_settings(database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "environment": "test",
        "database_url": database_url,
        "api_keys": [TEST_KEY, OTHER_KEY],
        "api_keys_secret_id": [],
        "cors_allow_origins": [ALLOWED_ORIGIN],
        "rate_limit_per_minute": 0,
        "log_format": "json",
        "db_pool_max_size": 4,
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def settings(database_url: str) -> Settings:
    return make_settings(database_url)


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        async with application.state.pool.acquire() as conn:
            await truncate_tables(conn)
        yield application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", headers={"X-API-Key": TEST_KEY}
    ) as c:
        yield c


@pytest.fixture
def api_key() -> str:
    """The key the ``client`` fixture sends."""
    return TEST_KEY


@pytest.fixture
def allowed_origin() -> str:
    return ALLOWED_ORIGIN
