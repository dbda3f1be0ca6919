"""Fixtures: one migrated PostgreSQL database per test session (embedded unless DATABASE_URL
names a server), emptied before each test; the app with its lifespan; an HTTP client."""

from __future__ import annotations

import io
import json
import logging
import os
import sys
import tempfile
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi import FastAPI
from hypothesis import settings as hypothesis_settings

from platform_db.testing import fresh_database, postgres_server, truncate_tables
from platform_logging import configure_logging
from task_manager.app import create_app
from task_manager.migrations import upgrade
from task_manager.settings import Settings

# CI explores the same examples on every run (a red build is reproducible, never a dice roll);
# local runs keep exploring new ones. A failure prints the blob that replays it.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

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


# --- Nothing secret in the logs --------------------------------------------------------------
# Every log line of the run is written, as JSON at DEBUG level, to a file as well as to the
# captured output. When the session ends, the file is scanned for every secret the tests used
# (the configured keys, presented keys, keys made by rotations, database passwords): the run
# fails if one appears. Tests register further secrets with the ``log_secrets`` fixture.
LOG_SECRETS: set[str] = {TEST_KEY, OTHER_KEY}
_LOG_PATH = Path(tempfile.gettempdir()) / f"task-manager-test-log-{os.getpid()}.jsonl"


class _TeeStream(io.TextIOBase):
    def __init__(self, path: Path) -> None:
        self.path = path
        self._file = path.open("w", encoding="utf-8")

    def write(self, text: str) -> int:
        self._file.write(text)
        self._file.flush()
        sys.stdout.write(text)  # shown with the captured output of a failing test
        return len(text)


_TEE: _TeeStream | None = None


def _configure_test_logging() -> None:
    global _TEE
    if _TEE is None:
        _TEE = _TeeStream(_LOG_PATH)
    url = os.environ.get("DATABASE_URL")
    password = urlsplit(url).password if url else None
    if password:
        LOG_SECRETS.add(password)
    # The service's own setup (task_manager.logs) redacts the configured keys and password.
    configure_logging(
        level="debug",
        fmt="json",
        stream=_TEE,
        service="task-manager",
        redact=[TEST_KEY, OTHER_KEY, *([password] if password else [])],
    )


@pytest.fixture(autouse=True)
def _logs_to_the_scanned_file() -> None:
    """(Re)install the logging setup when another package's tests replaced it."""
    handlers = logging.getLogger().handlers
    if not any(getattr(h, "stream", None) is _TEE for h in handlers) or _TEE is None:
        _configure_test_logging()


@pytest.fixture
def log_secrets() -> set[str]:
    """Add values that must never appear in any log line of the run."""
    return LOG_SECRETS


@pytest.fixture
def captured_logs() -> Callable[[], list[dict[str, Any]]]:
    """The JSON log lines written since the test started."""
    assert _TEE is not None
    start = _TEE.path.stat().st_size

    def read() -> list[dict[str, Any]]:
        with _LOG_PATH.open(encoding="utf-8") as f:
            f.seek(start)
            return [json.loads(line) for line in f if line.startswith("{")]

    return read


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _TEE is None or not _TEE.path.exists():
        return
    text = _TEE.path.read_text(encoding="utf-8")
    leaked = sorted(
        {secret[:4] + "…" for secret in LOG_SECRETS if len(secret) >= 8 and secret in text}
    )
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if leaked:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        if reporter is not None:
            reporter.write_line(
                f"SECRETS IN LOGS: {len(leaked)} secret(s) starting {', '.join(leaked)} "
                f"appear in the captured logs ({_TEE.path})",
                red=True,
            )
    elif reporter is not None:
        reporter.write_line(
            f"log scan: {len(text.splitlines())} log lines, "
            f"{len(LOG_SECRETS)} secrets, none logged ({_TEE.path})"
        )
    if not leaked:
        _TEE.path.unlink(missing_ok=True)
