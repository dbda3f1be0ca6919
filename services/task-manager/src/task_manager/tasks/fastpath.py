"""A fast path for the hottest task routes — ``GET /v1/tasks/{id}``, ``GET /v1/tasks`` (no
filter: ``limit`` and ``cursor`` only), ``POST /v1/tasks`` and ``PATCH /v1/tasks/{id}`` — in
front of FastAPI's routing.

On a quarter of a vCPU the framework's per-request work (dependency resolution, exit stacks,
routing through included routers, exception middlewares) cost more than the statements and the
response together (docs/performance.md). This pure-ASGI middleware answers the common case
itself, with the same service functions and the same responses as the routes: a valid API key,
a well-formed ``X-User-ID``, no repeated headers; for writes a JSON body that validates against
the route's model (the same ``validate``) and no ``Idempotency-Key``.

Everything else falls through to the FastAPI route unchanged, which stays the documented
contract and renders every error document: a missing or unknown key, a malformed user id or
body, an unknown task, a failed precondition — any :class:`ServiceError` the service raises.
A write raises those before its one statement runs (:mod:`.service`), so nothing was written
when the route takes over; the body read here is handed on to it. Other errors (database
unavailable) reach the request-context middleware around this one, which renders them as for
any route. ``tests/tasks`` run both ways (``fast`` / ``framework``), and
``test_tasks_fastpath.py`` compares the answers.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import datetime
from types import SimpleNamespace
from typing import Any

import orjson
from pydantic import BaseModel, ValidationError
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from platform_db import Connection
from platform_service import service_state
from task_manager.events.wakeup import FeedWakeup, wakeup_of
from task_manager.fast_requests import (
    Headers,
    answer,
    query_parameters,
    request_headers,
    small_number,
    user_of,
)
from task_manager.tasks import http, service
from task_manager.tasks.body import is_json_media_type
from task_manager.tasks.schemas import ListFilters, TaskCreate, TaskPatch

_PATH = re.compile(r"/v1/tasks/([0-9A-Fa-f-]{36})")
_MAX_CONDITION = 1024  # If-Match / If-None-Match: as the routes' header parameters
# The routes the access log names (``scope["route"].path``): the routes' full templates.
_TASK_ROUTE = SimpleNamespace(path="/v1/tasks/{task_id}")
_TASKS_ROUTE = SimpleNamespace(path="/v1/tasks")
# The list route's filters when the query names none (``query.list_filters()``'s defaults: no
# filter, ``-created_at``), built once.
DEFAULT_FILTERS = ListFilters()

type Write = Callable[[Connection, str, Any, Headers, datetime, FeedWakeup], Awaitable[Response]]


class FastTaskRoutes:
    def __init__(self, app: ASGIApp, /) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            method, path = scope["method"], scope["path"]
            if method == "GET" and (match := _PATH.fullmatch(path)):
                await self._read(scope, receive, send, match.group(1))
                return
            if method == "GET" and path == "/v1/tasks":
                await self._list(scope, receive, send)
                return
            if method == "POST" and path == "/v1/tasks":
                await self._write(scope, receive, send, TaskCreate, _create, _TASKS_ROUTE)
                return
            if method == "PATCH" and (match := _PATH.fullmatch(path)):
                await self._write(scope, receive, send, TaskPatch, _patch(match), _TASK_ROUTE)
                return
        await self.app(scope, receive, send)

    async def _read(self, scope: Scope, receive: Receive, send: Send, task_id: str) -> None:
        headers = request_headers(scope)
        if headers is None or _too_long(headers, b"if-none-match"):
            await self.app(scope, receive, send)
            return
        now = service_state(scope["app"]).clock.now()
        raw_inm = headers.get(b"if-none-match")
        inm = None if raw_inm is None else raw_inm.decode("latin-1")

        async def respond(conn: Connection) -> ASGIApp:
            # An unknown task: the route renders the 404 (one more statement, rare).
            document = await service.read_task(conn, user_of(headers), task_id, now)
            return http.read_answer(document, inm)

        await answer(scope, receive, send, route=_TASK_ROUTE, respond=respond, otherwise=self.app)

    async def _list(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = request_headers(scope)
        query = _page_query(scope)
        if headers is None or query is None:  # a filter, a sort, a malformed value: the route
            await self.app(scope, receive, send)
            return
        limit, cursor = query
        now = service_state(scope["app"]).clock.now()

        async def respond(conn: Connection) -> Response:
            # An invalid cursor: the route renders the 400.
            page = await service.list_tasks(
                conn, user_of(headers), DEFAULT_FILTERS, limit=limit, cursor_text=cursor, now=now
            )
            return http.task_page(page)

        await answer(scope, receive, send, route=_TASKS_ROUTE, respond=respond, otherwise=self.app)

    async def _write(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        model: type[BaseModel],
        write: Write,
        route: SimpleNamespace,
    ) -> None:
        headers = request_headers(scope)
        if (
            headers is None
            or b"idempotency-key" in headers  # claimed in a transaction by the route
            or _too_long(headers, b"if-match")
            or not is_json_media_type(headers.get(b"content-type", b"").decode("latin-1"))
        ):
            await self.app(scope, receive, send)
            return
        body, receive = await _buffer(receive)
        data = _validated(model, body)
        if data is None:  # the route answers 400 / 422 with its error document
            await self.app(scope, receive, send)
            return
        now = service_state(scope["app"]).clock.now()
        wakeup = wakeup_of(scope["app"])

        async def respond(conn: Connection) -> Response:
            # A ServiceError is raised before the write statement: nothing was written.
            return await write(conn, user_of(headers), data, headers, now, wakeup)

        await answer(scope, receive, send, route=route, respond=respond, otherwise=self.app)


async def _create(
    conn: Connection,
    user_id: str,
    data: TaskCreate,
    _headers: Headers,
    now: datetime,
    wakeup: FeedWakeup,
) -> Response:
    change = await service.create_task(conn, user_id, data, now, wakeup=wakeup)
    assert change.after is not None
    return http.task_response(change.after, now, 201)


def _patch(match: re.Match[str]) -> Write:
    async def patch(
        conn: Connection,
        user_id: str,
        data: TaskPatch,
        headers: Headers,
        now: datetime,
        wakeup: FeedWakeup,
    ) -> Response:
        raw = headers.get(b"if-match")
        if_match = http.parse_if_match(None if raw is None else raw.decode("latin-1"))
        task_id = match.group(1)
        change = await service.patch_task(
            conn, user_id, task_id, data, if_match, now, wakeup=wakeup
        )
        assert change.after is not None
        return http.task_response(change.after, now)

    return patch


_PAGE_PARAMETERS = frozenset({"limit", "cursor"})


def _page_query(scope: Scope) -> tuple[int, str | None] | None:
    """(limit, cursor) of a list request that names nothing else, each once and well-formed
    as the route's parameters want them (limit 1-200, cursor 1-512 characters); else None."""
    named = query_parameters(scope, _PAGE_PARAMETERS)
    if named is None:
        return None
    limit, cursor = small_number(named.get("limit", "50"), 200), named.get("cursor")
    if limit is None or (cursor is not None and not 1 <= len(cursor) <= 512):
        return None
    return limit, cursor


def _too_long(headers: Headers, name: bytes) -> bool:
    value = headers.get(name)
    return value is not None and len(value) > _MAX_CONDITION


async def _buffer(receive: Receive) -> tuple[bytes, Receive]:
    """The whole body (the request-context middleware has already bounded it), and a receive
    that hands it on again to whoever reads the request next."""
    chunks, message = [], await receive()
    while message["type"] == "http.request":
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
        message = await receive()
    body = b"".join(chunks)
    first: list[Message] = [
        message
        if message["type"] != "http.request"
        else {"type": "http.request", "body": body, "more_body": False}
    ]

    async def replay() -> Message:
        return first.pop() if first else await receive()

    return body, replay


def _validated(model: type[BaseModel], body: bytes) -> Any:
    """The body validated as the route validates it, or None (the route renders why)."""
    try:
        return model.model_validate(orjson.loads(body))
    except (orjson.JSONDecodeError, ValidationError):
        return None
