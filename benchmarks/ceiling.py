"""The ceiling: the same requests answered with no framework at all.

A raw ASGI callable (served by the same gunicorn config and uvicorn worker class as the
service), an asyncpg pool made by ``platform_db.create_pool`` with the service's pool options,
orjson, and the repository's SQL text. It checks the API key (hashed, constant time) and the
user id, runs ONE statement per request (no explicit transaction) and answers the same JSON.
It has no validation beyond that, no error documents, no logs: the figure it gives is what
Python and this database allow on this machine, the bound the service is measured against.

    gunicorn --config python:task_manager.gunicorn_conf benchmarks.ceiling:app
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs
from uuid import UUID
from zoneinfo import ZoneInfo

import asyncpg
import orjson

from platform_db import PoolOptions, create_pool, uuid7
from task_manager.stats.repository import STATS_SQL
from task_manager.stats.service import local_window
from task_manager.tasks import cursor
from task_manager.tasks.repository import COLUMNS, After, list_query
from task_manager.tasks.schemas import EPOCH, ListFilters, to_micros

# The one-statement insert and merge patch of revision 1 (no recurrence, no ledger): the
# ceiling keeps them as its bound for a plain create / PATCH.
_INSERT_TASK_VALUES = "$1::uuid, $2, $3, $4, $5, $6, $7::timestamptz, $8::text[], $9, $9, $10, 1"
_INSERT_COLUMNS = (
    "id, user_id, title, description, status, priority, due_date, tags, "
    "created_at, updated_at, completed_at, version"
)


_PATCH = f"""
WITH cur AS (
    SELECT {COLUMNS} FROM tasks WHERE id = $1 AND user_id = $2 FOR UPDATE
), next AS (
    SELECT id, version,
           COALESCE($3::text, title) AS title,
           CASE WHEN $4::bool THEN $5::text ELSE description END AS description,
           COALESCE($6::text, status) AS status,
           COALESCE($7::text, priority) AS priority,
           CASE WHEN $8::bool THEN $9::timestamptz ELSE due_date END AS due_date,
           COALESCE($10::text[], tags) AS tags,
           completed_at,
           (title, description, status, priority, due_date, tags) AS old
    FROM cur
    WHERE $11::int[] IS NULL OR version = ANY($11::int[])
), upd AS (
    UPDATE tasks t
    SET title = n.title, description = n.description, status = n.status,
        priority = n.priority, due_date = n.due_date, tags = n.tags,
        completed_at = CASE WHEN n.status = 'completed'
                            THEN COALESCE(n.completed_at, $12::timestamptz) END,
        updated_at = $12::timestamptz, version = t.version + 1
    FROM next n
    WHERE t.id = n.id
      AND (n.title, n.description, n.status, n.priority, n.due_date, n.tags)
          IS DISTINCT FROM n.old
    RETURNING {", ".join("t." + c.strip() for c in COLUMNS.split(","))}
)
SELECT true AS matched, * FROM upd
UNION ALL
SELECT EXISTS (SELECT 1 FROM next), * FROM cur WHERE NOT EXISTS (SELECT 1 FROM upd)
"""  # noqa: S608 (constant fragments only)


GET_SQL = f"SELECT {COLUMNS} FROM tasks WHERE id = $1 AND user_id = $2"  # noqa: S608
INSERT_SQL = f"INSERT INTO tasks ({_INSERT_COLUMNS}) VALUES ({_INSERT_TASK_VALUES})"  # noqa: S608
USER_ID = re.compile(r"^[A-Za-z0-9._:@|\-]{1,128}$")
JSON_OPTIONS = orjson.OPT_UTC_Z
DEFAULT_FILTERS = ListFilters()
PRIORITIES = ("low", "medium", "high", "urgent")

_state: dict[str, Any] = {}


def _digests() -> list[bytes]:
    keys = [k.strip() for k in os.environ.get("API_KEYS", "").split(",") if k.strip()]
    return [hashlib.sha256(k.encode()).digest() for k in keys]


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        await _lifespan(receive, send)
        return
    status, body, extra = await _handle(scope, receive)
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        *extra,
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _lifespan(receive: Any, send: Any) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            _state["keys"] = _digests()
            _state["pool"] = await create_pool(
                os.environ["DATABASE_URL"],
                PoolOptions(
                    server_settings={"application_name": "bench-ceiling"},
                    reset_session_on_release=False,  # as the service: no session state
                ),
            )
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await _state["pool"].close()
            await send({"type": "lifespan.shutdown.complete"})
            return


def _authorised(headers: dict[bytes, bytes]) -> bool:
    presented = hashlib.sha256(headers.get(b"x-api-key", b"")).digest()
    found = False
    for digest in _state["keys"]:
        found |= hmac.compare_digest(digest, presented)
    return found


async def _read_body(receive: Any) -> bytes:
    chunks = []
    more = True
    while more:
        message = await receive()
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    return b"".join(chunks)


NOT_FOUND: tuple[int, bytes, list[Any]] = (404, b'{"code":"not_found"}', [])


async def _handle(scope: dict[str, Any], receive: Any) -> tuple[int, bytes, list[Any]]:
    path: str = scope["path"]
    if path == "/health":
        return 200, b'{"status":"ok"}', []
    headers = dict(scope["headers"])
    if not _authorised(headers):
        return 401, b'{"code":"invalid_api_key"}', []
    user = headers.get(b"x-user-id", b"").decode()
    if not USER_ID.match(user):
        return 422, b'{"code":"validation_error"}', []
    pool: asyncpg.Pool = _state["pool"]
    method = scope["method"]
    if path == "/v1/stats" and method == "GET":
        return await _stats(pool, user, parse_qs(scope["query_string"].decode()))
    if path == "/v1/tasks":
        if method == "GET":
            return await _list(pool, user, parse_qs(scope["query_string"].decode()))
        if method == "POST":
            return await _create(pool, user, orjson.loads(await _read_body(receive)))
    if path.startswith("/v1/tasks/"):
        try:
            task_id = UUID(path.removeprefix("/v1/tasks/"))
        except ValueError:
            return NOT_FOUND
        if method == "GET":
            row = await pool.fetchrow(GET_SQL, task_id, user)
        elif method == "PATCH":
            row = await _patch(pool, user, task_id, orjson.loads(await _read_body(receive)))
        else:
            return 405, b'{"code":"method_not_allowed"}', []
        if row is None:
            return NOT_FOUND
        return 200, orjson.dumps(_document(row), option=JSON_OPTIONS), _etag(row["version"])
    return NOT_FOUND


def _etag(version: int) -> list[tuple[bytes, bytes]]:
    return [(b"etag", f'"{version}"'.encode())]


def _document(row: Any) -> dict[str, Any]:
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


async def _list(
    pool: asyncpg.Pool, user: str, query: dict[str, list[str]]
) -> tuple[int, bytes, list[Any]]:
    limit = int(query.get("limit", ["50"])[0])
    after = None
    if "cursor" in query:
        position = cursor.decode(query["cursor"][0], user, DEFAULT_FILTERS)
        assert position.key is not None
        after = After(key=EPOCH + timedelta(microseconds=position.key), id=position.id)
    now = datetime.now(UTC)
    sql, args = list_query(user, DEFAULT_FILTERS, after=after, limit=limit + 1, now=now)
    rows = await pool.fetch(sql, *args)
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        position = cursor.Position(key=to_micros(last["created_at"]), id=last["id"])
        next_cursor = cursor.encode(user, DEFAULT_FILTERS, position)
    page = {"items": [_document(r) for r in rows], "next_cursor": next_cursor}
    return 200, orjson.dumps(page, option=JSON_OPTIONS), []


async def _create(pool: asyncpg.Pool, user: str, data: Any) -> tuple[int, bytes, list[Any]]:
    now = datetime.now(UTC)
    status = data.get("status", "pending")
    due = data.get("due_date")
    task = {
        "id": uuid7(),
        "user_id": user,
        "title": data["title"].strip(),
        "description": data.get("description"),
        "status": status,
        "priority": data.get("priority", "medium"),
        "due_date": datetime.fromisoformat(due).astimezone(UTC) if due else None,
        "tags": list(dict.fromkeys(t.strip().lower() for t in data.get("tags", []))),
        "created_at": now,
        "updated_at": now,
        "completed_at": now if status == "completed" else None,
        "version": 1,
    }
    await pool.execute(
        INSERT_SQL,
        *(task[k] for k in ("id", "user_id", "title", "description", "status", "priority")),
        task["due_date"],
        task["tags"],
        now,
        task["completed_at"],
    )
    extra = [(b"location", f"/v1/tasks/{task['id']}".encode()), *_etag(1)]
    return 201, orjson.dumps(_document(task), option=JSON_OPTIONS), extra


async def _patch(pool: asyncpg.Pool, user: str, task_id: UUID, data: Any) -> Any:
    row = await pool.fetchrow(
        _PATCH,
        task_id,
        user,
        data.get("title"),
        "description" in data,
        data.get("description"),
        data.get("status"),
        data.get("priority"),
        "due_date" in data,
        None,
        data.get("tags"),
        None,
        datetime.now(UTC),
    )
    return row


async def _stats(
    pool: asyncpg.Pool, user: str, query: dict[str, list[str]]
) -> tuple[int, bytes, list[Any]]:
    tz = query.get("tz", ["UTC"])[0]
    days = int(query.get("days", ["30"])[0])
    now = datetime.now(UTC)
    today, starts = local_window(now, ZoneInfo(tz), days)
    row = await pool.fetchrow(STATS_SQL, user, tz, now, today, starts)
    assert row is not None  # the statement answers one row, tasks or not
    by_date = dict(zip(row["window_dates"], row["window_counts"], strict=True))
    completed, total = row["completed"], row["total"]
    with_due = row["completed_with_due"]
    body = {
        "user_id": user,
        "tz": tz,
        "generated_at": now,
        "total": total,
        "pending": row["pending"],
        "in_progress": row["in_progress"],
        "completed": completed,
        "overdue": row["overdue"],
        "completion_rate": round(completed / total, 4) if total else 0.0,
        "on_time_rate": round(row["completed_on_time"] / with_due, 4) if with_due else None,
        "by_priority": {
            p: {"total": row[f"{p}_total"], "completed": row[f"{p}_completed"]} for p in PRIORITIES
        },
        "completed_today": by_date.get(today, 0),
        "completed_last_7_days": sum(by_date.get(today - timedelta(days=k), 0) for k in range(7)),
        "current_streak_days": row["current_streak"],
        "longest_streak_days": row["longest_streak"],
        "last_completed_at": row["last_completed_at"],
        "daily_completions": [
            {"date": d, "count": by_date.get(d, 0)}
            for d in (today - timedelta(days=k) for k in range(days - 1, -1, -1))
        ],
    }
    return 200, orjson.dumps(body, option=JSON_OPTIONS), []
