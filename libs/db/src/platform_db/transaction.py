"""A transaction owned by the caller (typically one HTTP request)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Literal

import asyncpg
from asyncpg.pool import PoolConnectionProxy

# What a pool hands out: a proxy with the methods of asyncpg.Connection.
Connection = asyncpg.Connection | PoolConnectionProxy
Isolation = Literal["read_committed", "repeatable_read", "serializable"]


@asynccontextmanager
async def transaction(
    pool: asyncpg.Pool,
    *,
    isolation: Isolation | None = None,
    readonly: bool = False,
    acquire_timeout: float | None = None,
) -> AsyncIterator[Connection]:
    """Acquire a connection and run a transaction: committed when the block ends normally,
    rolled back when it raises."""
    async with (
        pool.acquire(timeout=acquire_timeout) as conn,
        conn.transaction(isolation=isolation, readonly=readonly),
    ):
        yield conn
