"""Liveness and readiness: what the load balancer and the operators look at."""

from __future__ import annotations

import asyncio
from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel

from platform_db import is_unavailable_error
from platform_service.dependencies import Pool
from platform_service.errors import ServiceUnavailableError
from platform_service.problems import problem_responses
from platform_service.state import request_state

router = APIRouter(tags=["health"])
READY_TIMEOUT_SECONDS = 2.0


class Health(BaseModel):
    status: Literal["ok"] = "ok"


class Readiness(BaseModel):
    status: Literal["ready"] = "ready"
    schema_revision: str


@router.get(
    "/health",
    response_model=Health,
    summary="Liveness: the process answers (no database round trip)",
)
async def health() -> Health:
    return Health()


@router.get(
    "/health/ready",
    response_model=Readiness,
    summary="Readiness: the database answers and the schema is at the latest migration",
    responses=problem_responses(503),
)
async def ready(request: Request, pool: Pool) -> Readiness:
    state = request_state(request)
    expected = state.schema_head
    if not state.key_source.ready:
        raise ServiceUnavailableError("No API keys loaded yet.")
    try:
        async with asyncio.timeout(READY_TIMEOUT_SECONDS):
            revision = await pool.fetchval("SELECT version_num FROM alembic_version")
    except Exception as exc:
        if is_unavailable_error(exc):
            raise ServiceUnavailableError("The database does not answer.") from exc
        raise ServiceUnavailableError("The database schema is not migrated.") from exc
    if expected is not None and revision != expected:
        raise ServiceUnavailableError(
            f"The database schema is at {revision}, this release needs {expected}."
        )
    return Readiness(schema_revision=revision)
