"""Typed FastAPI dependencies of the routers: the platform's (the request's transaction, a
read connection, the pool, the calling user) and the settings typed as this service's."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Request

from platform_service.dependencies import (
    USER_ID_PATTERN,
    Connection,
    Pool,
    ReadConnection,
    StatementConnection,
    UserId,
)
from platform_service.dependencies import get_settings as _get_settings
from task_manager.settings import Settings

__all__ = [
    "USER_ID_PATTERN",
    "AppSettings",
    "Connection",
    "Pool",
    "ReadConnection",
    "StatementConnection",
    "UserId",
    "get_settings",
]


async def get_settings(request: Request) -> Settings:
    return cast(Settings, await _get_settings(request))


AppSettings = Annotated[Settings, Depends(get_settings)]
