"""A real ``task-manager serve`` on loopback for the browser and generated-client tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .liveserver import LiveServer, live_server


@pytest.fixture(scope="session")
def running_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("live")) as server:
        yield server
