"""HTTP for the tasks domain: conditional-request headers in, responses out (status, JSON
body, ``ETag``, ``Location``). The routers and the GET fast path render domain objects here."""

from __future__ import annotations

from datetime import datetime

import orjson
from starlette.responses import Response

from task_manager.tasks.model import Completion, Page, Task, completion_document, task_document

JSON = "application/json"
_JSON_OPTIONS = orjson.OPT_UTC_Z


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
    return [int(tag) for weak, tag in _entity_tags(header) if not weak and tag.isdigit()][:50]


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


def read_response(task: Task, now: datetime, if_none_match: str | None) -> Response:
    """GET: 304 with the ETag when ``If-None-Match`` names the current version, else 200."""
    if if_none_match is not None and none_match_hits(if_none_match, task.version):
        return Response(status_code=304, headers={"ETag": etag(task.version)})
    return task_response(task, now)


def task_page(page: Page[Task], now: datetime) -> Response:
    body = {"items": [task_document(t, now) for t in page.items], "next_cursor": page.next_cursor}
    return Response(orjson.dumps(body, option=_JSON_OPTIONS), media_type=JSON)


def completion_page(page: Page[Completion]) -> Response:
    body = {
        "items": [completion_document(c) for c in page.items],
        "next_cursor": page.next_cursor,
    }
    return Response(orjson.dumps(body, option=_JSON_OPTIONS), media_type=JSON)
