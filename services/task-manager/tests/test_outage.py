"""PostgreSQL goes away under the running service, then comes back: 503 fast, then recovery."""

import asyncio
import os
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi import FastAPI
from pgserver import _commands as pg  # type: ignore[import-untyped]

from platform_db.embedded import EmbeddedPostgres, start_embedded
from task_manager.app import create_app
from task_manager.dependencies import Connection
from task_manager.migrations import upgrade
from task_manager.settings import Settings

CONNECT_TIMEOUT = 1.0
COMMAND_TIMEOUT = 2.0


class Postgres:
    """A private PostgreSQL that the test can stop and start (pg_ctl, as pgserver does)."""

    def __init__(self, server: EmbeddedPostgres) -> None:
        self.server = server
        self.user = "pgserver" if os.geteuid() == 0 else None  # postgres refuses root
        self.socket_dir = parse_qs(urlsplit(server.url).query)["host"][0]

    def stop(self) -> None:
        pg.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=self.server.data_dir, user=self.user)

    def start(self) -> None:
        args = ["-w", "-o", '-h ""', "-o", f"-k {self.socket_dir}"]
        log = str(self.server.data_dir / "log")
        pg.pg_ctl(
            [*args, "-l", log, "start"], pgdata=self.server.data_dir, user=self.user, timeout=20
        )


@pytest.fixture
def postgres() -> Iterator[Postgres]:
    with tempfile.TemporaryDirectory(prefix="pg-outage-") as folder:
        server = start_embedded(folder)
        upgrade(server.url)
        try:
            yield Postgres(server)
        finally:
            server.stop()


@pytest.fixture
async def outage_app(settings: Settings, postgres: Postgres) -> AsyncIterator[FastAPI]:
    app = create_app(
        Settings(
            **{
                **settings.model_dump(),
                "database_url": postgres.server.url,
                "api_keys": settings.plain_api_keys(),
                "db_connect_timeout_seconds": CONNECT_TIMEOUT,
                "db_command_timeout_seconds": COMMAND_TIMEOUT,
            }
        )
    )

    @app.get("/probe")
    async def probe(conn: Connection) -> dict[str, int]:
        return {"one": await conn.fetchval("SELECT 1")}

    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def http(outage_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=outage_app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        yield client


async def timed(client: httpx.AsyncClient, path: str) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = await client.get(path)
    return response, time.monotonic() - started


async def test_database_outage_is_503_fast_then_recovers_without_restart(
    http: httpx.AsyncClient, postgres: Postgres
) -> None:
    assert (await http.get("/probe")).json() == {"one": 1}
    assert (await http.get("/health/ready")).status_code == 200

    postgres.stop()
    for path in ("/probe", "/probe", "/health/ready"):
        response, elapsed = await timed(http, path)
        assert response.status_code == 503, response.text
        assert response.json()["code"] == "service_unavailable"
        assert response.headers["content-type"] == "application/problem+json"
        assert elapsed < CONNECT_TIMEOUT + COMMAND_TIMEOUT + 1, f"{path} hung {elapsed:.1f}s"
    assert (await http.get("/probe")).headers["retry-after"] == "1"
    assert (await http.get("/health")).status_code == 200  # liveness: the process is fine

    postgres.start()
    deadline = time.monotonic() + 10
    while (await http.get("/probe")).status_code != 200:
        assert time.monotonic() < deadline, "the service did not reconnect"
        await asyncio.sleep(0.1)
    assert (await http.get("/health/ready")).status_code == 200
    assert (await http.get("/probe")).json() == {"one": 1}
