"""Typed FastAPI dependencies shared by every service's routers: the pool, the request's
transaction or read connection, the settings, the clock, the calling user (``X-User-ID``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

import asyncpg
from fastapi import Depends, Header, Request

from platform_db import Connection as DbConnection
from platform_db import transaction
from platform_service.clock import AppClock, Clock, get_clock
from platform_service.settings import ServiceSettings
from platform_service.state import ServiceState

__all__ = [
    "USER_ID_PATTERN",
    "AppClock",
    "AppSettings",
    "Clock",
    "Connection",
    "Pool",
    "ReadConnection",
    "UserId",
    "get_clock",
    "get_pool",
    "get_settings",
]

USER_ID_PATTERN = r"^[A-Za-z0-9._:@|\-]{1,128}$"


# The dependencies are ``async def`` although they do not await: FastAPI runs a plain ``def``
# dependency in a thread pool, two thread switches per request each (docs/performance.md).
async def get_settings(request: Request) -> ServiceSettings:
    state: ServiceState = request.app.state.service
    return state.settings


async def get_pool(request: Request) -> asyncpg.Pool:
    state: ServiceState = request.app.state.service
    return state.pool


# The connection dependencies read the app state themselves: each sub-dependency costs
# FastAPI's resolution work on every request.
async def _request_transaction(request: Request) -> AsyncIterator[DbConnection]:
    state: ServiceState = request.app.state.service
    # Bounded wait for a connection: when the database is gone (or the pool is exhausted) the
    # request fails with 503 after about DB_CONNECT_TIMEOUT_SECONDS instead of hanging; each
    # statement is bounded by DB_COMMAND_TIMEOUT_SECONDS (the pool's command_timeout).
    timeout = state.settings.db_connect_timeout_seconds
    async with transaction(state.pool, acquire_timeout=timeout) as conn:
        yield conn


async def _request_connection(request: Request) -> AsyncIterator[DbConnection]:
    state: ServiceState = request.app.state.service
    async with state.pool.acquire(timeout=state.settings.db_connect_timeout_seconds) as conn:
        yield conn


# The request owns the transaction: it commits when the endpoint returns, before the response
# is sent (scope="function"), and rolls back when the endpoint raises.
Connection = Annotated[DbConnection, Depends(_request_transaction, scope="function")]
# For a route that runs ONE read statement: a connection without BEGIN/COMMIT (two round trips
# fewer); the statement is its own transaction, with its own consistent snapshot.
ReadConnection = Annotated[DbConnection, Depends(_request_connection, scope="function")]
# For a route whose every write is ONE statement (atomic on its own): the same pooled
# connection without BEGIN/COMMIT. The route opens ``conn.transaction()`` itself when several
# statements must commit together; asyncpg rolls back a connection released inside one.
StatementConnection = ReadConnection
Pool = Annotated[asyncpg.Pool, Depends(get_pool)]
AppSettings = Annotated[ServiceSettings, Depends(get_settings)]

UserId = Annotated[
    str,
    Header(
        alias="X-User-ID",
        min_length=1,
        max_length=128,
        pattern=USER_ID_PATTERN,
        description="The player on whose behalf the platform calls: 1-128 characters of "
        "`A-Z a-z 0-9 . _ : @ | -`.",
        examples=["u-42"],
    ),
]
