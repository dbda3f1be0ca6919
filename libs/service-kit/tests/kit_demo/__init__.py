"""A minimal service built on the kit, as a new service would be: settings with one field of
its own, one error of its own, one router using the kit's dependencies, one migration."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, FastAPI, Query
from pydantic import Field

from platform_service import (
    KIT_ERRORS,
    AppClock,
    Clock,
    Connection,
    Migrations,
    ReadConnection,
    ServiceError,
    ServiceSettings,
    UserId,
    create_service_app,
    problem_responses,
)

MIGRATIONS = Migrations(Path(__file__).parent / "versions")
HEAD_REVISION = "0001_notes"


class DemoSettings(ServiceSettings):
    notes_per_user: int = Field(default=3, ge=1, le=100)


class NoteLimitError(ServiceError):
    status, code, title = 409, "note_limit", "Too many notes"


ERRORS = (*KIT_ERRORS, NoteLimitError)
router = APIRouter(prefix="/notes", tags=["notes"])


@router.post("", status_code=201, responses=problem_responses(409, errors=ERRORS))
async def add_note(
    text: Annotated[str, Query(min_length=1, max_length=50)],
    user: UserId,
    conn: Connection,
    clock: AppClock,
) -> dict[str, str]:
    count = await conn.fetchval("SELECT count(*) FROM notes WHERE user_id = $1", user)
    if count >= 3:
        raise NoteLimitError(f"{user} has {count} notes.")
    await conn.execute(
        "INSERT INTO notes (user_id, text, created_at) VALUES ($1, $2, $3)",
        user,
        text,
        clock.now(),
    )
    return {"text": text, "created_at": clock.now().isoformat()}


@router.get("")
async def list_notes(user: UserId, conn: ReadConnection) -> list[str]:
    rows = await conn.fetch("SELECT text FROM notes WHERE user_id = $1 ORDER BY id", user)
    return [r["text"] for r in rows]


@router.get("/{note_id}")
async def get_note(note_id: int, user: UserId, conn: ReadConnection) -> dict[str, str]:
    text = await conn.fetchval(
        "SELECT text FROM notes WHERE user_id = $1 AND id = $2", user, note_id
    )
    return {"text": text}


def create_app(settings: DemoSettings | None = None, *, clock: Clock | None = None) -> FastAPI:
    return create_service_app(
        name="demo-service",
        settings=settings or DemoSettings.load(),
        title="Demo",
        version="0.0.1",
        routers=[router],
        errors=ERRORS,
        schema_head=HEAD_REVISION,
        clock=clock,
    )
