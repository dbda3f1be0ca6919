"""Test helpers: a real PostgreSQL per test session, fresh databases, fast isolation.

Use from a service's ``conftest.py``::

    @pytest.fixture(scope="session")
    def database_url() -> Iterator[str]:
        with postgres_server() as server, fresh_database(server) as url:
            run_migrations(url)
            yield url

and call :func:`truncate_tables` before each test.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import asyncpg

from platform_db.dsn import parse_dsn, with_database
from platform_db.embedded import start_embedded


@contextmanager
def postgres_server(url: str | None = None, *, env_var: str = "DATABASE_URL") -> Iterator[str]:
    """Yield the URL of a PostgreSQL server with rights to create databases.

    ``url`` or the environment variable ``env_var`` when set; else an embedded server in a
    temporary folder, stopped and removed at the end.
    """
    given = url or os.environ.get(env_var)
    if given:
        yield given
        return
    with tempfile.TemporaryDirectory(prefix="pg-test-") as folder:
        server = start_embedded(Path(folder) / "pg")  # its lock files stay in the folder
        try:
            yield server.url
        finally:
            server.stop()


@contextmanager
def fresh_database(server_url: str, *, prefix: str = "test") -> Iterator[str]:
    """Create an empty database with a unique name, yield its URL, drop it afterwards."""
    name = f"{prefix}_{secrets.token_hex(6)}"
    asyncio.run(_admin(server_url, f'CREATE DATABASE "{name}"'))
    try:
        yield with_database(server_url, name)
    finally:
        asyncio.run(_admin(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _admin(server_url: str, statement: str) -> None:
    conn = await asyncpg.connect(parse_dsn(server_url).dsn, statement_cache_size=0)
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


async def truncate_tables(
    conn: asyncpg.Connection, *, keep: Iterable[str] = ("alembic_version",), schema: str = "public"
) -> None:
    """Empty every table of ``schema`` but ``keep``, in one statement (fast for small tables)."""
    rows = await conn.fetch(
        "SELECT quote_ident(tablename) AS name FROM pg_tables "
        "WHERE schemaname = $1 AND NOT (tablename = ANY($2::text[]))",
        schema,
        list(keep),
    )
    if rows:
        names = ", ".join(f"{schema}.{r['name']}" for r in rows)
        await conn.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
