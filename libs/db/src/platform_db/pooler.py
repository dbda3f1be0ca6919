"""PgBouncer in transaction mode (Neon's pooled endpoint) behind the pool.

* :class:`PoolerSafeConnection`: asyncpg introspects an unknown type with three statements
  (``set_config('jit', 'off', false)``, the introspection query, the restore). Outside a
  transaction a transaction-mode pooler sends each to any server connection, so the
  introspection runs with JIT (0.7-3.5 s with PostgreSQL's default ``jit = on``) and the session
  settings land on other clients' server connections. Here they run in one transaction.
* :func:`detect_transaction_pooler`: a pooler the URL does not declare breaks server-side
  prepared statements (errors on most requests); detected at start instead.
"""

from __future__ import annotations

from typing import Any

import asyncpg


class PoolerNotDeclaredError(Exception):
    """The URL reaches a transaction-mode pooler but does not say so (``pgbouncer=true``)."""


class PoolerSafeConnection(asyncpg.Connection):
    async def _introspect_types(self, typeoids: Any, timeout: Any) -> Any:  # noqa: ASYNC109
        introspect = super()._introspect_types  # type: ignore[misc]
        if self.is_in_transaction():
            return await introspect(typeoids, timeout)
        async with self.transaction():
            return await introspect(typeoids, timeout)


async def detect_transaction_pooler(pool: asyncpg.Pool, wait: float = 2.0) -> bool:
    """True when two statements of one client connection can reach different server processes,
    or two client connections one process: a connection holds a transaction open while the other
    runs a statement. Directly connected, each client connection is one backend process."""
    if pool.get_max_size() < 2:
        return False
    try:
        async with pool.acquire() as a, pool.acquire() as b:
            first = await a.fetchval("SELECT pg_backend_pid()")
            async with b.transaction():
                held = await b.fetchval("SELECT pg_backend_pid()")
                again = await a.fetchval("SELECT pg_backend_pid()", timeout=wait)
    except TimeoutError:
        return True  # waited for the server connection b holds: pooled
    except (
        asyncpg.exceptions.InvalidSQLStatementNameError,
        asyncpg.exceptions.DuplicatePreparedStatementError,
    ):
        return True  # a prepared statement met another server connection: pooled
    return bool(held == first or again != first)
