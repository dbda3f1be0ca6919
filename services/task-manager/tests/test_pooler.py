"""Behind a transaction-mode PgBouncer (tools/pgbouncer/run-tests.sh runs these through one):
a URL that does not declare the pooler is refused at start; type introspection does not run
with JIT; concurrent fresh connections answer quickly. Directly connected, nothing is detected.
"""

from __future__ import annotations

import asyncio
import time
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest

from platform_db import PoolOptions, create_pool
from platform_db.pooler import detect_transaction_pooler
from task_manager.app import create_app
from task_manager.settings import ConfigurationError, Settings

from .conftest import make_settings


def _behind_pooler(url: str) -> bool:
    return "pgbouncer=true" in urlsplit(url).query


def _without_flag(url: str) -> str:
    parts = urlsplit(url)
    query = "&".join(p for p in parts.query.split("&") if not p.startswith("pgbouncer="))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


async def test_detection_matches_the_connection(database_url: str) -> None:
    pool = await create_pool(database_url, PoolOptions(max_size=2, detect_pooler=False))
    try:
        assert await detect_transaction_pooler(pool) == _behind_pooler(database_url)
    finally:
        await pool.close()


async def test_an_undeclared_pooler_is_refused_at_start(database_url: str) -> None:
    if not _behind_pooler(database_url):
        pytest.skip("needs DATABASE_URL through PgBouncer (tools/pgbouncer/run-tests.sh)")
    settings: Settings = make_settings(_without_flag(database_url))
    app = create_app(settings)
    with pytest.raises(ConfigurationError, match=r"DATABASE_URL.*pgbouncer=true"):
        async with app.router.lifespan_context(app):
            pass


async def test_sixteen_clients_on_fresh_connections_get_stats_quickly(database_url: str) -> None:
    settings = make_settings(database_url, db_pool_max_size=16, db_pool_min_size=0)
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport,
            base_url="http://t",
            headers={"X-API-Key": "test-key-0123456789abcdef"},
        ) as client:
            started = time.monotonic()
            answers = await asyncio.gather(
                *(client.get("/v1/stats", headers={"X-User-ID": f"u-{i}"}) for i in range(16))
            )
            elapsed = time.monotonic() - started
    assert [a.status_code for a in answers] == [200] * 16
    assert elapsed < 3.0  # with JIT on the introspection alone took 0.7-3.5 s per connection
