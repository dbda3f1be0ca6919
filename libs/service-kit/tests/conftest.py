"""The kit's tests run a demo service (``kit_demo``) through the kit's own pytest plugin."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # kit_demo (a source root under Pants)

from kit_demo import MIGRATIONS, DemoSettings, create_app
from platform_service.testing import *  # noqa: F403 - the platform's standard fixtures
from platform_service.testing import ServiceUnderTest


@pytest.fixture(scope="session")
def service() -> ServiceUnderTest:
    return ServiceUnderTest("demo-service", create_app, DemoSettings, MIGRATIONS)
