"""The rules of the tasks domain: what a create, read, patch, delete and listing mean.

Routers hand in validated input; this module decides, calls the repository (all SQL) and
returns ready-to-send JSON documents.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import orjson

from platform_db import Connection
from task_manager.errors import (
    IdempotencyKeyInUseError,
    IdempotencyKeyMismatchError,
    InvalidCursorError,
    PreconditionFailedError,
    TaskNotFoundError,
)
from task_manager.tasks import cursor, repository
from task_manager.tasks.idempotency import IdempotencyScope, request_hash
from task_manager.tasks.schemas import (
    EPOCH,
    PRIORITY_RANK,
    ListFilters,
    TaskCreate,
    TaskPatch,
    to_micros,
)

IDEMPOTENCY_TTL = timedelta(hours=24)
IDEMPOTENCY_LOCK_TIMEOUT_MS = 2000
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
# OPT_NAIVE_UTC: asyncpg reads a stored 9999-12-31T23:59:59.999999Z back as naive (infinity).
_JSON_OPTIONS = orjson.OPT_UTC_Z | orjson.OPT_NAIVE_UTC
MAX_VERSION = 2**31 - 1  # the version column is an integer: a larger one names no task


@dataclass(frozen=True, slots=True)
class Answer:
    """A response to send: status, JSON body (None: no body) and headers."""

    status: int
    body: bytes | None
    headers: dict[str, str] = field(default_factory=dict)


def etag(version: int) -> str:
    return f'"{version}"'


def parse_task_id(raw: str) -> UUID:
    """A path id; anything but a canonical UUID is an unknown task (404)."""
    if not _UUID.fullmatch(raw):
        raise TaskNotFoundError(f"No task {raw[:64]} for this user.")
    return UUID(raw)


def _not_found(task_id: UUID) -> TaskNotFoundError:
    return TaskNotFoundError(f"No task {task_id} for this user.")


def task_document(row: Any) -> dict[str, Any]:
    """The task's JSON object from a row (or a NewTask-like mapping)."""
    return {
        "id": str(row["id"]),
        "user_id": row["user_id"],
        "title": row["title"],
        "description": row["description"],
        "status": row["status"],
        "priority": row["priority"],
        "due_date": row["due_date"],
        "tags": list(row["tags"]),
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
        "completed_at": row["completed_at"],
        "version": row["version"],
    }


def _task_answer(row: Any, status: int = 200) -> Answer:
    body = orjson.dumps(task_document(row), option=_JSON_OPTIONS)
    return Answer(status, body, {"ETag": etag(row["version"])})


async def create_task(
    conn: Connection,
    user_id: str,
    data: TaskCreate,
    now: datetime,
    idempotency: IdempotencyScope | None,
) -> Answer:
    now = now.astimezone(UTC)
    task = repository.NewTask(
        id=uuid4(),
        user_id=user_id,
        title=data.title,
        description=data.description,
        status=data.status,
        priority=data.priority,
        due_date=data.due_date,
        tags=list(data.tags),
        created_at=now,
        completed_at=now if data.status == "completed" else None,
    )
    document = task_document({**asdict(task), "updated_at": now, "version": 1})
    answer = Answer(
        201,
        orjson.dumps(document, option=_JSON_OPTIONS),
        {"Location": f"/v1/tasks/{task.id}", "ETag": etag(1)},
    )
    if idempotency is None:
        await repository.insert_task(conn, task)
        return answer
    return await _create_once(conn, task, data, now, idempotency, answer)


async def _create_once(
    conn: Connection,
    task: repository.NewTask,
    data: TaskCreate,
    now: datetime,
    scope: IdempotencyScope,
    answer: Answer,
) -> Answer:
    digest = request_hash(data)
    assert answer.body is not None
    try:
        created = await repository.insert_task_with_key(
            conn,
            task,
            api_key_id=scope.api_key_id,
            key=scope.key,
            request_hash=digest,
            response=repository.StoredResponse(digest, answer.status, answer.body, answer.headers),
            expires_at=now + IDEMPOTENCY_TTL,
            lock_timeout_ms=IDEMPOTENCY_LOCK_TIMEOUT_MS,
        )
    except asyncpg.LockNotAvailableError:
        raise _in_use() from None
    if created:
        return answer
    stored = await repository.find_stored_response(
        conn, api_key_id=scope.api_key_id, user_id=task.user_id, key=scope.key, now=now
    )
    if stored is None:  # expired between the two statements: let the client retry
        raise _in_use()
    if stored.request_hash != digest:
        raise IdempotencyKeyMismatchError(
            "This Idempotency-Key was already used with a different request body."
        )
    return Answer(stored.status_code, stored.body, dict(stored.headers))


def _in_use() -> IdempotencyKeyInUseError:
    return IdempotencyKeyInUseError(
        "A request with this Idempotency-Key is still being processed; retry shortly.",
        headers={"Retry-After": "1"},
    )


async def get_task(
    conn: Connection, user_id: str, raw_id: str, if_none_match: str | None
) -> Answer:
    task_id = parse_task_id(raw_id)
    row = await repository.get_task(conn, user_id, task_id)
    if row is None:
        raise _not_found(task_id)
    if if_none_match is not None and _none_match_hits(if_none_match, row["version"]):
        return Answer(304, None, {"ETag": etag(row["version"])})
    return _task_answer(row)


async def patch_task(
    conn: Connection,
    user_id: str,
    raw_id: str,
    data: TaskPatch,
    if_match: str | None,
    now: datetime,
) -> Answer:
    task_id = parse_task_id(raw_id)
    present = data.model_fields_set
    values = repository.PatchValues(
        title=data.title if "title" in present else None,
        description_set="description" in present,
        description=data.description,
        status=data.status if "status" in present else None,
        priority=data.priority if "priority" in present else None,
        due_date_set="due_date" in present,
        due_date=data.due_date,
        tags=list(data.tags) if "tags" in present else None,
    )
    row = await repository.patch_task(
        conn, user_id, task_id, values, if_match=parse_if_match(if_match), now=now
    )
    if row is None:
        raise _not_found(task_id)
    if not row["matched"]:
        raise _precondition_failed(row["version"])
    return _task_answer(row)


async def delete_task(conn: Connection, user_id: str, raw_id: str, if_match: str | None) -> None:
    task_id = parse_task_id(raw_id)
    found, deleted = await repository.delete_task(
        conn, user_id, task_id, if_match=parse_if_match(if_match)
    )
    if not found:
        raise _not_found(task_id)
    if not deleted:
        raise PreconditionFailedError("If-Match does not match the task's current ETag.")


def _precondition_failed(version: int) -> PreconditionFailedError:
    return PreconditionFailedError(
        "If-Match does not match the task's current ETag.", headers={"ETag": etag(version)}
    )


def _entity_tags(header: str) -> list[tuple[bool, str]]:
    """(weak, opaque-tag) pairs of an If-Match / If-None-Match list; malformed members are
    skipped (they match nothing)."""
    tags = []
    for member in header.split(","):
        item = member.strip()
        weak = item.startswith("W/")
        if weak:
            item = item[2:]
        if len(item) >= 2 and item[0] == item[-1] == '"':
            tags.append((weak, item[1:-1]))
    return tags


def parse_if_match(header: str | None) -> list[int] | None:
    """None: no condition (absent, or ``*``, which any existing task matches). Otherwise the
    versions the strong tags name (RFC 9110 strong comparison: weak tags never match)."""
    if header is None or header.strip() == "*":
        return None
    versions = (int(t) for weak, t in _entity_tags(header) if not weak and _is_number(t))
    return [v for v in versions if v <= MAX_VERSION][:50]


def _is_number(tag: str) -> bool:
    return tag.isascii() and tag.isdigit() and len(tag) <= 20


def _none_match_hits(header: str, version: int) -> bool:
    """RFC 9110 weak comparison for If-None-Match."""
    if header.strip() == "*":
        return True
    return any(tag == str(version) for _weak, tag in _entity_tags(header))


async def list_tasks(
    conn: Connection,
    user_id: str,
    filters: ListFilters,
    *,
    limit: int,
    cursor_text: str | None,
    now: datetime,
) -> bytes:
    after = None
    if cursor_text is not None:
        after = _after(cursor.decode(cursor_text, user_id, filters), filters.sort)
    sql, args = repository.list_query(user_id, filters, after=after, limit=limit + 1, now=now)
    rows = await repository.list_tasks(conn, sql, args)
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        position = cursor.Position(key=_sort_value(last, filters.sort), id=last["id"])
        next_cursor = cursor.encode(user_id, filters, position)
    page = {"items": [task_document(r) for r in rows], "next_cursor": next_cursor}
    return orjson.dumps(page, option=_JSON_OPTIONS)


def _sort_value(row: Any, sort: str) -> int | None:
    name = sort.lstrip("-")
    if name == "priority":
        return PRIORITY_RANK[row["priority"]]
    value: datetime | None = row[name]
    return None if value is None else to_micros(value)


def _after(position: cursor.Position, sort: str) -> repository.After:
    name = sort.lstrip("-")
    key = position.key
    if name == "priority":
        if key not in PRIORITY_RANK.values():
            raise InvalidCursorError("The cursor does not fit this sort.")
        return repository.After(key=key, id=position.id)
    if key is None:
        if name != "due_date":
            raise InvalidCursorError("The cursor does not fit this sort.")
        return repository.After(key=None, id=position.id)
    try:
        return repository.After(key=EPOCH + timedelta(microseconds=key), id=position.id)
    except OverflowError:
        raise InvalidCursorError("The cursor does not fit this sort.") from None
