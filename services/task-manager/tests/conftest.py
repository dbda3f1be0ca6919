"""Fixtures: the platform's (platform_service.testing: one migrated PostgreSQL database per
session, emptied before each test; the app with its lifespan; an HTTP client; log capture and
the end-of-session secret scan), for this service."""

from __future__ import annotations

from typing import Any

import pytest

from platform_service.testing import *  # noqa: F403 - the platform's standard fixtures
from platform_service.testing import ServiceUnderTest
from platform_service.testing import make_settings as platform_settings
from task_manager.app import create_app
from task_manager.migrations import MIGRATIONS
from task_manager.settings import Settings


@pytest.fixture(scope="session")
def service() -> ServiceUnderTest:
    return SERVICE


SERVICE = ServiceUnderTest("task-manager", create_app, Settings, MIGRATIONS)


def make_settings(database_url: str, **overrides: Any) -> Settings:
    """The tests' settings (both test keys, the allowed origin, no rate limit) for another
    database URL, for tests that start their own app or server."""
    settings = platform_settings(SERVICE, database_url, **overrides)
    assert isinstance(settings, Settings)
    return settings
