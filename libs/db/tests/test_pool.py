import time
from collections.abc import Iterator

import asyncpg
import pytest

from platform_db import (
    DatabaseUnavailableError,
    PoolOptions,
    acquire,
    connect,
    create_pool,
    is_unavailable_error,
    transaction,
)
from platform_db.testing import fresh_database, postgres_server, truncate_tables


@pytest.fixture(scope="module")
def db_url() -> Iterator[str]:
    with postgres_server() as server, fresh_database(server) as url:
        yield url


async def test_pool_runs_queries_and_caches_statements_when_direct(db_url: str) -> None:
    pool = await create_pool(db_url, PoolOptions(min_size=1, max_size=2))
    try:
        assert await pool.fetchval("SELECT 1 + $1::int", 1) == 2
        async with pool.acquire() as conn:
            assert conn._config.statement_cache_size == 100
    finally:
        await pool.close()


async def test_pooler_hint_turns_statement_cache_off(db_url: str) -> None:
    sep = "&" if "?" in db_url else "?"
    conn = await connect(f"{db_url}{sep}pgbouncer=true")
    try:
        assert conn._config.statement_cache_size == 0
        assert await conn.fetchval("SELECT 'ok'") == "ok"
    finally:
        await conn.close()


async def test_transaction_commits_or_rolls_back(db_url: str) -> None:
    pool = await create_pool(db_url)
    try:
        await pool.execute("CREATE TABLE IF NOT EXISTS t (v int)")
        async with pool.acquire() as conn:
            await truncate_tables(conn)
        async with transaction(pool) as conn:
            await conn.execute("INSERT INTO t VALUES (1)")
        with pytest.raises(RuntimeError):
            async with transaction(pool) as conn:
                await conn.execute("INSERT INTO t VALUES (2)")
                raise RuntimeError("abort")
        assert await pool.fetchval("SELECT array_agg(v) FROM t") == [1]
        async with pool.acquire() as conn:
            await truncate_tables(conn)
        assert await pool.fetchval("SELECT count(*) FROM t") == 0
    finally:
        await pool.close()


async def test_unreachable_server_fails_after_bounded_retries() -> None:
    # Port 9 (discard) on loopback: connection refused at once.
    options = PoolOptions(connect_attempts=3, retry_backoff=0.05, connect_timeout=1)
    started = time.monotonic()
    with pytest.raises(DatabaseUnavailableError, match="3 attempts"):
        await create_pool("postgresql://u:p@127.0.0.1:9/db", options)
    elapsed = time.monotonic() - started
    assert 0.15 <= elapsed < 5  # slept 0.05 + 0.10 between the attempts


async def test_query_errors_are_not_retried_nor_called_outages(db_url: str) -> None:
    conn = await connect(db_url)
    try:
        with pytest.raises(asyncpg.UndefinedTableError) as info:
            await conn.fetch("SELECT * FROM no_such_table")
        assert not is_unavailable_error(info.value)
    finally:
        await conn.close()
    assert is_unavailable_error(ConnectionRefusedError())
    assert is_unavailable_error(TimeoutError())


def test_pool_options_are_validated() -> None:
    with pytest.raises(ValueError, match="pool sizes"):
        PoolOptions(min_size=5, max_size=2)
    with pytest.raises(ValueError, match="connect_attempts"):
        PoolOptions(connect_attempts=0)


async def test_release_without_session_reset_still_rolls_back(db_url: str) -> None:
    options = PoolOptions(min_size=1, max_size=1, reset_session_on_release=False)
    pool = await create_pool(db_url, options)
    try:
        await pool.execute("CREATE TABLE IF NOT EXISTS reset_probe (n int)")
        async with pool.acquire() as conn:
            await conn.execute("SET application_name = 'kept'")
            await conn.execute("BEGIN")
            await conn.execute("INSERT INTO reset_probe VALUES (1)")
        # the same (only) connection: the session setting survives, the transaction does not
        assert await pool.fetchval("SHOW application_name") == "kept"
        assert await pool.fetchval("SELECT count(*) FROM reset_probe") == 0
    finally:
        await pool.execute("DROP TABLE IF EXISTS reset_probe")
        await pool.close()


async def test_release_resets_the_session_by_default(db_url: str) -> None:
    pool = await create_pool(db_url, PoolOptions(min_size=1, max_size=1))
    try:
        async with pool.acquire() as conn:
            await conn.execute("SET application_name = 'changed'")
        assert await pool.fetchval("SHOW application_name") != "changed"
    finally:
        await pool.close()


async def test_acquire_skips_the_timer_only_when_a_connection_is_idle(db_url: str) -> None:
    pool = await create_pool(db_url, PoolOptions(min_size=1, max_size=1))
    try:
        # Idle and connected: handed out with no timeout (asyncpg records None on the holder).
        async with acquire(pool, timeout=0.2) as conn:
            assert await conn.fetchval("SELECT 1") == 1
            assert conn._holder._timeout is None
            # Now every connection is busy: the wait is bounded as pool.acquire(timeout=) is.
            started = time.monotonic()
            with pytest.raises(TimeoutError):
                async with acquire(pool, timeout=0.2):
                    pass
            assert 0.15 < time.monotonic() - started < 2
        # Released, and idle again.
        async with acquire(pool, timeout=0.2) as conn:
            assert await conn.fetchval("SELECT 2") == 2
        # Expired: the holder reconnects on acquire (bounded by the connect timeout).
        await pool.expire_connections()
        async with acquire(pool, timeout=5) as conn:
            assert await conn.fetchval("SELECT 3") == 3
    finally:
        await pool.close()
