"""The standard fixtures of a service's tests, as a pytest plugin. A service's
``tests/conftest.py`` imports them and says which service it tests::

    from platform_service.testing import *  # noqa: F403 - the platform's fixtures
    from platform_service.testing import ServiceUnderTest

    @pytest.fixture(scope="session")
    def service() -> ServiceUnderTest:
        return ServiceUnderTest("task-manager", create_app, Settings, MIGRATIONS)

Fixtures: ``database_url`` (one migrated database per session: embedded PostgreSQL, or on the
server ``DATABASE_URL`` names), ``settings``, ``app`` (lifespan run, tables emptied per test),
``client`` (httpx over ASGI, sending ``api_key``), ``api_key``, ``allowed_origin``,
``assert_problem``, ``captured_logs``, ``log_secrets``; a test can override ``app_clock`` to
run the app on its own clock. Every log line of the run goes, as JSON at DEBUG level, to a file
as well; when the session ends the file is scanned for every secret the tests used (the keys,
the database password, what tests add to ``log_secrets``): the run fails if one appears.
"""

from __future__ import annotations

import io
import json
import logging
import os
import sys
import tempfile
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TextIO, cast
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi import FastAPI
from hypothesis import settings as hypothesis_settings

from platform_db.testing import fresh_database, postgres_server, truncate_tables
from platform_logging import configure_logging
from platform_service.clock import Clock
from platform_service.middleware import path_keeping_encoded_slashes
from platform_service.migrations import Migrations
from platform_service.problems import PROBLEM_BASE, PROBLEM_MEDIA_TYPE
from platform_service.settings import ServiceSettings
from platform_service.state import service_state

__all__ = [
    "allowed_origin",
    "api_key",
    "app",
    "app_clock",
    "assert_problem",
    "captured_logs",
    "client",
    "database_url",
    "log_secrets",
    "logs_to_the_scanned_file",
    "pytest_sessionfinish",
    "settings",
]

# CI explores the same examples on every run (a red build is reproducible, never a dice roll);
# local runs keep exploring new ones. A failure prints the blob that replays it.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

TEST_KEY = "test-key-0123456789abcdef"
OTHER_KEY = "other-key-0123456789abcdef"
ALLOWED_ORIGIN = "https://cathouse.example"


@dataclass(frozen=True)
class ServiceUnderTest:
    name: str  # as in create_service_app(name=...)
    create_app: Callable[..., FastAPI]  # create_app(settings, clock=...)
    settings_class: type[ServiceSettings]
    migrations: Migrations


def make_settings(
    service: ServiceUnderTest, database_url: str, **overrides: Any
) -> ServiceSettings:
    """The settings of the tests: both test keys, the allowed origin, no rate limit."""
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
    return service.settings_class(**values)


@pytest.fixture(scope="session")
def database_url(service: ServiceUnderTest) -> Iterator[str]:
    prefix = service.name.replace("-", "_") + "_test"
    with postgres_server() as server, fresh_database(server, prefix=prefix) as url:
        service.migrations.upgrade(url)
        yield url


@pytest.fixture
def settings(service: ServiceUnderTest, database_url: str) -> ServiceSettings:
    return make_settings(service, database_url)


class FakeClock:
    """A clock for tests: time stands still at ``start`` until the test moves it."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> datetime:
        self.current += timedelta(**delta)
        return self.current


@asynccontextmanager
async def side_by_side(
    app: FastAPI, other: FastAPI
) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient]]:
    """Clients of ``app`` (already started, e.g. the ``app`` fixture) and of ``other`` (its
    lifespan run here): for tests that compare two builds of a service answer for answer,
    such as with and without a fast path. Neither client raises the app's exceptions: a 500
    is an answer to compare too."""
    async with other.router.lifespan_context(other):
        first, second = (
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=a, raise_app_exceptions=False),
                base_url="http://testserver",
            )
            for a in (app, other)
        )
        async with first, second:
            yield first, second


def answer_of(response: httpx.Response, headers: Sequence[str]) -> tuple[Any, ...]:
    """What a client sees of a response, for comparing two answers: the status, the body
    (parsed JSON without its ``request_id``, else the bytes) and the named headers."""
    body: Any = response.content
    if body and response.headers.get("content-type", "").endswith("json"):
        body = response.json()
        if isinstance(body, dict):
            body.pop("request_id", None)
    return response.status_code, body, [response.headers.get(h) for h in headers]


@pytest.fixture
def app_clock() -> Clock | None:
    """The clock the ``app`` runs on (None: the system clock); override to control time."""
    return None


@pytest.fixture
async def app(
    service: ServiceUnderTest, settings: ServiceSettings, app_clock: Clock | None
) -> AsyncIterator[FastAPI]:
    application = service.create_app(settings, clock=app_clock)
    async with application.router.lifespan_context(application):
        async with service_state(application).pool.acquire() as conn:
            await truncate_tables(conn)  # type: ignore[arg-type]  # a pool's proxy
        yield application


@pytest.fixture
async def client(app: FastAPI, api_key: str) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", headers={"X-API-Key": api_key}
    ) as c:
        yield c


@pytest.fixture
def api_key() -> str:
    """The key the ``client`` fixture sends."""
    return TEST_KEY


@pytest.fixture
def allowed_origin() -> str:
    return ALLOWED_ORIGIN


@pytest.fixture
def assert_problem() -> Callable[[httpx.Response, int, str], dict[str, Any]]:
    """``assert_problem(response, status, code)``: a well-formed problem; returns its body."""

    def check(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
        assert response.status_code == status, response.text
        assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE
        body: dict[str, Any] = response.json()
        assert body["status"] == status
        assert body["code"] == code
        assert body["type"] == PROBLEM_BASE + code
        # The path as the service saw it: decoded, but an encoded slash stays one segment.
        raw_path = response.request.url.raw_path.split(b"?", 1)[0]
        assert body["instance"] == path_keeping_encoded_slashes(raw_path)
        assert body["request_id"] == response.headers["x-request-id"]
        assert ("errors" in body) == (code == "validation_error")
        return body

    return check


# --- Nothing secret in the logs --------------------------------------------------------------
LOG_SECRETS: set[str] = {TEST_KEY, OTHER_KEY}
_LOG_PATH = Path(tempfile.gettempdir()) / f"service-test-log-{os.getpid()}.jsonl"


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
_LOGGING_FOR: str | None = None  # the service the logging is configured for


def _configure_test_logging(service: str) -> None:
    global _TEE, _LOGGING_FOR
    _LOGGING_FOR = service
    if _TEE is None:
        _TEE = _TeeStream(_LOG_PATH)
    url = os.environ.get("DATABASE_URL")
    password = urlsplit(url).password if url else None
    if password:
        LOG_SECRETS.add(password)
    # The service's own setup (platform_service.logs) redacts the configured keys and password.
    configure_logging(
        level="debug",
        fmt="json",
        stream=cast(TextIO, _TEE),
        service=service,
        redact=[TEST_KEY, OTHER_KEY, *([password] if password else [])],
    )


@pytest.fixture(autouse=True)
def logs_to_the_scanned_file(service: ServiceUnderTest) -> None:
    """(Re)install the logging setup when another package's tests replaced it, or it was made
    for another service's tests."""
    handlers = logging.getLogger().handlers
    if (
        _TEE is None
        or service.name != _LOGGING_FOR
        or not any(getattr(h, "stream", None) is _TEE for h in handlers)
    ):
        _configure_test_logging(service.name)


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
