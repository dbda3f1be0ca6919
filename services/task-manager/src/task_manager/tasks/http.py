"""HTTP for the tasks domain: conditional-request headers in, responses out (status, JSON
body, ``ETag``, ``Location``). The routers and the GET fast path render domain objects here."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from task_manager.errors import TaskNotFoundError
from task_manager.tasks.model import (
    Completion,
    Page,
    Task,
    TaskDocument,
    completion_document,
    task_document,
)

JSON = "application/json"
_JSON_CONTENT_TYPE = (b"content-type", JSON.encode())
# OPT_NAIVE_UTC: asyncpg reads a stored 9999-12-31T23:59:59.999999Z back as naive (infinity).
_JSON_OPTIONS = orjson.OPT_UTC_Z | orjson.OPT_NAIVE_UTC
MAX_VERSION = 2**31 - 1  # the version column is an integer: a larger one names no task


@dataclass(slots=True)
class RawAnswer:
    """A response as its ASGI parts: status, header list (lower-case names), body. Not frozen:
    it is built on every GET, and a frozen dataclass's ``__init__`` took 0.39 µs against 0.14."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes

    async def __call__(self, _scope: Scope, _receive: Receive, send: Send) -> None:
        """An ASGI app, as a Starlette ``Response`` is."""
        await send({"type": "http.response.start", "status": self.status, "headers": self.headers})
        await send({"type": "http.response.body", "body": self.body})


def etag(version: int) -> str:
    return f'"{version}"'


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


def none_match_hits(header: str, version: int) -> bool:
    """RFC 9110 weak comparison for If-None-Match."""
    if header.strip() == "*":
        return True
    return any(tag == str(version) for _weak, tag in _entity_tags(header))


def task_body(task: Task, now: datetime) -> bytes:
    return orjson.dumps(task_document(task, now), option=_JSON_OPTIONS)


def task_response(task: Task, now: datetime, status: int = 200) -> Response:
    headers = {"ETag": etag(task.version)}
    if status == 201:
        headers["Location"] = f"/v1/tasks/{task.id}"
    return Response(task_body(task, now), status, headers, media_type=JSON)


def read_answer(document: TaskDocument, if_none_match: str | None) -> RawAnswer:
    """GET's answer: 304 with the ETag when ``If-None-Match`` names the current version, else
    200 with the task. As ASGI parts, which the fast path sends as they are: building a
    Starlette ``Response`` (header objects, then their list) cost ~2.5 µs more in a loop, on
    the hottest route."""
    version: int = document["version"]
    tag = etag(version).encode()
    if if_none_match is not None and none_match_hits(if_none_match, version):
        return RawAnswer(304, [(b"etag", tag)], b"")
    body = orjson.dumps(document, option=_JSON_OPTIONS)
    headers = [(b"etag", tag), (b"content-length", b"%d" % len(body)), _JSON_CONTENT_TYPE]
    return RawAnswer(200, headers, body)


def read_response(document: TaskDocument, if_none_match: str | None) -> Response:
    """:func:`read_answer` as a Starlette response (the route's)."""
    answer = read_answer(document, if_none_match)
    response = Response(answer.body, answer.status)
    response.raw_headers = answer.headers
    return response


def task_page(page: Page[TaskDocument]) -> Response:
    body = {"items": page.items, "next_cursor": page.next_cursor}
    return Response(orjson.dumps(body, option=_JSON_OPTIONS), media_type=JSON)


def completion_page(page: Page[Completion]) -> Response:
    body = {
        "items": [completion_document(c) for c in page.items],
        "next_cursor": page.next_cursor,
    }
    return Response(orjson.dumps(body, option=_JSON_OPTIONS), media_type=JSON)


# /v1/tasks/{id} or /v1/tasks/{id}/... where {id} held an encoded slash: no route takes the
# path, but it names a task by a malformed id, which the contract answers like an unknown one.
_TASK_ID_WITH_SLASH = re.compile(rb"/v1/tasks/[^/]*%2[Ff][^/]*(?:/.*)?")


def malformed_task_path(request: Request) -> TaskNotFoundError | None:
    """The answer to a /v1 path no route takes when it is a task path with a malformed id."""
    raw_path: bytes = request.scope.get("raw_path") or b""
    if _TASK_ID_WITH_SLASH.fullmatch(raw_path.split(b"?", 1)[0]):
        return TaskNotFoundError("No task with that id for this user.")
    return None
