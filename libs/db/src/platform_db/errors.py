"""Exceptions of the db library and the classification of driver errors."""

from __future__ import annotations

import asyncio

import asyncpg


class DatabaseUnavailableError(Exception):
    """The database could not be reached (after the bounded retries, where there were any)."""


# Errors that mean "the server is not there or not usable right now", as opposed to a bug in a
# query. Callers answer these with 503 and try again later.
_UNAVAILABLE: tuple[type[BaseException], ...] = (
    DatabaseUnavailableError,
    OSError,  # refused, reset, unreachable, DNS
    asyncio.TimeoutError,
    TimeoutError,
    asyncpg.exceptions.ConnectionDoesNotExistError,
    asyncpg.exceptions.CannotConnectNowError,
    asyncpg.exceptions.TooManyConnectionsError,
    asyncpg.exceptions.AdminShutdownError,
    asyncpg.exceptions.CrashShutdownError,
    asyncpg.exceptions.ConnectionFailureError,
    asyncpg.exceptions.QueryCanceledError,  # statement_timeout / command timeout
    asyncpg.exceptions.InterfaceError,
)


def is_unavailable_error(exc: BaseException) -> bool:
    """True when ``exc`` means the database is unreachable or overloaded, not a query bug."""
    if isinstance(exc, asyncpg.exceptions.InterfaceError):
        # InterfaceError also covers misuse (e.g. "another operation is in progress");
        # only connection-state ones are outages.
        text = str(exc).lower()
        return "connection" in text or "closed" in text or "pool" in text
    return isinstance(exc, _UNAVAILABLE)
