"""Fixtures: the platform's (platform_service.testing: one migrated PostgreSQL database per
session, emptied before each test; the app with its lifespan; an HTTP client; log capture and
the end-of-session secret scan), for this service."""

from __future__ import annotations

import pytest

from platform_service.testing import *  # noqa: F403 - the platform's standard fixtures
from platform_service.testing import ServiceUnderTest
from task_manager.app import create_app
from task_manager.migrations import MIGRATIONS
from task_manager.settings import Settings


@pytest.fixture(scope="session")
def service() -> ServiceUnderTest:
    return ServiceUnderTest("task-manager", create_app, Settings, MIGRATIONS)
