"""Alembic environment: runs migrations over asyncpg, through the platform's connect()
(TLS from the URL, Neon cold-start retries), one transaction per migration."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from platform_db import PoolOptions, connect

config = context.config


def _run(connection: Connection) -> None:
    context.configure(connection=connection, transaction_per_migration=True)
    with context.begin_transaction():
        context.run_migrations()


async def _main(url: str) -> None:
    options = PoolOptions(command_timeout=600, statement_cache_size=0)

    async def creator():  # type: ignore[no-untyped-def]
        return await connect(url, options)

    engine = create_async_engine("postgresql+asyncpg://", async_creator=creator, poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run)
            await connection.commit()
    finally:
        await engine.dispose()


if context.is_offline_mode():
    context.configure(url="postgresql://", literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    asyncio.run(_main(config.attributes["database_url"]))
