"""Connections and pools with what Neon serverless needs: TLS from the URL, pooler-safe
statement caching, a bounded retry on the first connection (cold start), timeouts."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import asyncpg

from platform_db.dsn import parse_dsn
from platform_db.errors import DatabaseUnavailableError, is_unavailable_error
from platform_db.pooler import (
    PoolerNotDeclaredError,
    PoolerSafeConnection,
    detect_transaction_pooler,
)

log = logging.getLogger("platform_db")

InitFn = Callable[[asyncpg.Connection], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class PoolOptions:
    """Pool tuning. Defaults suit a small service instance (0.25 vCPU) talking to Neon."""

    min_size: int = 1
    max_size: int = 10
    connect_timeout: float = 5.0
    command_timeout: float = 5.0
    # None: decide from the URL (0 behind a transaction-mode pooler, else asyncpg's default).
    statement_cache_size: int | None = None
    connect_attempts: int = 4
    retry_backoff: float = 0.5
    max_inactive_connection_lifetime: float = 300.0
    server_settings: Mapping[str, str] = field(default_factory=dict)
    # False: skip asyncpg's reset statement on release (advisory unlock, CLOSE ALL, UNLISTEN,
    # RESET ALL), one round trip per checkout; an open transaction is still rolled back. Only
    # for callers that leave no session state behind (no SET, LISTEN, advisory lock, cursor).
    reset_session_on_release: bool = True
    # At start, check that a URL without the pooler flag does not reach a transaction-mode
    # pooler (two connections, four statements): PoolerNotDeclaredError instead of errors on
    # most requests later.
    detect_pooler: bool = True

    def __post_init__(self) -> None:
        if not 0 <= self.min_size <= self.max_size or self.max_size < 1:
            raise ValueError("pool sizes must satisfy 0 <= min_size <= max_size and max_size >= 1")
        if self.connect_attempts < 1:
            raise ValueError("connect_attempts must be at least 1")
        if self.connect_timeout <= 0 or self.command_timeout <= 0:
            raise ValueError("timeouts must be positive")


async def _keep_session(_: asyncpg.Connection) -> None:
    """A pool ``reset`` that leaves the session as it is (asyncpg rolls back first)."""


async def _retrying[T](
    what: str, attempts: int, backoff: float, fn: Callable[[], Awaitable[T]]
) -> T:
    delay = backoff
    for attempt in range(1, attempts + 1):
        try:
            return await fn()
        except Exception as exc:
            if not is_unavailable_error(exc):
                raise
            if attempt == attempts:
                raise DatabaseUnavailableError(
                    f"{what} failed after {attempts} attempts: {type(exc).__name__}"
                ) from exc
            log.warning(
                "database connection attempt failed; retrying",
                extra={"attempt": attempt, "retry_in_s": delay, "error": type(exc).__name__},
            )
            await asyncio.sleep(delay)
            delay *= 2
    raise AssertionError("unreachable")  # pragma: no cover


def _connect_kwargs(dsn: str, options: PoolOptions) -> dict[str, Any]:
    parsed = parse_dsn(dsn)
    if parsed.dropped:
        log.info("ignored libpq-only URL parameters", extra={"parameters": list(parsed.dropped)})
    cache = options.statement_cache_size
    if cache is None:
        cache = 0 if parsed.behind_pooler else 100
    return {
        "connection_class": PoolerSafeConnection,
        "dsn": parsed.dsn,
        "timeout": options.connect_timeout,
        "command_timeout": options.command_timeout,
        "statement_cache_size": cache,
        "server_settings": {"application_name": "platform", **options.server_settings},
    }


async def connect(dsn: str, options: PoolOptions | None = None) -> asyncpg.Connection:
    """One connection, with the bounded cold-start retry. Raises DatabaseUnavailableError."""
    opts = options or PoolOptions()
    kwargs = _connect_kwargs(dsn, opts)

    async def attempt() -> asyncpg.Connection:
        return await asyncpg.connect(**kwargs)

    return await _retrying("connect", opts.connect_attempts, opts.retry_backoff, attempt)


async def create_pool(
    dsn: str, options: PoolOptions | None = None, *, init: InitFn | None = None
) -> asyncpg.Pool:
    """Create and open a pool. The first connections are retried (Neon may be cold for a
    second); later failures surface at once so that requests fail fast and recover when the
    database returns, since the pool reconnects lazily."""
    opts = options or PoolOptions()
    kwargs = _connect_kwargs(dsn, opts)

    async def attempt() -> asyncpg.Pool:
        pool = asyncpg.create_pool(
            min_size=opts.min_size,
            max_size=opts.max_size,
            max_inactive_connection_lifetime=opts.max_inactive_connection_lifetime,
            init=init,  # type: ignore[arg-type]
            reset=None if opts.reset_session_on_release else _keep_session,
            **kwargs,
        )
        try:
            return await pool
        except BaseException:
            pool.terminate()
            raise

    pool = await _retrying("create_pool", opts.connect_attempts, opts.retry_backoff, attempt)
    if kwargs["statement_cache_size"] and opts.detect_pooler:
        try:
            pooled = await detect_transaction_pooler(pool)
        except BaseException:
            await pool.close()
            raise
        await pool.expire_connections()  # start with fresh connections, as without the check
        if pooled:
            await pool.close()
            raise PoolerNotDeclaredError(
                "the database URL reaches a transaction-mode pooler (PgBouncer) but does not "
                "declare it: add pgbouncer=true to its query string (prepared statements cannot "
                "be cached through it)"
            )
    return pool


def acquire(pool: asyncpg.Pool, *, timeout: float) -> Any:
    """``pool.acquire(timeout=timeout)`` (``async with``): a pooled connection, waiting at most
    ``timeout`` seconds for one when all are busy.

    asyncpg bounds that wait with ``asyncio.wait_for`` on every acquire, and the release with
    a timer too: ~10 µs, about 2 % of a one-statement request. When the connection asyncpg would
    hand out next is idle and connected, nothing can wait, so the timeout is left out: the
    holder is taken from the pool's queue at once, and its release (the rollback of a
    transaction left open) is still bounded by the connection's ``command_timeout`` (and a
    reconnection after ``expire_connections`` by the connect timeout). When all are busy, or
    the next holder has no connection, the wait is bounded by ``timeout`` as before. Reads
    asyncpg's internals (the ``LifoQueue`` of holders): on any change there it falls back to
    the bounded path.
    """
    queue: Any = getattr(getattr(pool, "_queue", None), "_queue", None)  # the LifoQueue's list
    try:
        ready = bool(queue) and queue[-1].is_connected()
    except (AttributeError, TypeError):
        ready = False
    return pool.acquire(timeout=None if ready else timeout)
