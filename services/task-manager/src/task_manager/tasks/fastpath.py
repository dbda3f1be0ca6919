"""A fast path for the hottest read, ``GET /v1/tasks/{id}``, in front of FastAPI's routing.

On a quarter of a vCPU the framework's per-request work (dependency resolution, exit stacks,
routing through included routers, exception middlewares) cost about three times the
statement and the response together (docs/performance.md). This pure-ASGI middleware answers
the common case itself, with the same service function and the same response as the route:
a valid API key, a well-formed ``X-User-ID``, no repeated headers, and a task that exists.
Everything else (a missing or unknown key, a malformed user id, an unknown task: every error
document) falls through to the FastAPI route unchanged, which stays the documented contract.
Errors raised here (database unavailable) reach the request-context middleware around it,
which renders them as for any route.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

from starlette.types import ASGIApp, Receive, Scope, Send

from platform_auth_apikey import ApiKeyError, KeysUnavailableError, authenticate_scope
from platform_service import service_state
from task_manager.dependencies import USER_ID_PATTERN
from task_manager.errors import TaskNotFoundError
from task_manager.tasks import http, service

_PATH = re.compile(r"/v1/tasks/([0-9A-Fa-f-]{36})")
_USER_ID = re.compile(USER_ID_PATTERN)
_MAX_IF_NONE_MATCH = 1024  # as the route's header parameter
# The route the access log names (``scope["route"].path``): the route's full template.
_ROUTE = SimpleNamespace(path="/v1/tasks/{task_id}")


class FastTaskReads:
    def __init__(self, app: ASGIApp, /) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        match = (
            _PATH.fullmatch(scope["path"])
            if scope["type"] == "http" and scope["method"] == "GET"
            else None
        )
        request = _request(scope) if match is not None else None
        if match is None or request is None:
            await self.app(scope, receive, send)
            return
        user_id, if_none_match = request
        state = service_state(scope["app"])
        try:
            async with state.pool.acquire(
                timeout=state.settings.db_connect_timeout_seconds
            ) as conn:
                task = await service.get_task(conn, user_id, match.group(1))
        except TaskNotFoundError:  # the route renders the 404 (one more statement, rare)
            await self.app(scope, receive, send)
            return
        scope["route"] = _ROUTE
        response = http.read_response(task, state.clock.now(), if_none_match)
        await response(scope, receive, send)


def _request(scope: Scope) -> tuple[str, str | None] | None:
    """(user id, If-None-Match) when the request is one the fast path may answer."""
    raw: list[tuple[bytes, bytes]] = scope["headers"]
    headers: dict[bytes, bytes] = dict(raw)
    if len(headers) != len(raw):
        return None  # a repeated header: let the framework decide which one counts
    user_id = headers.get(b"x-user-id", b"").decode("latin-1")
    if not _USER_ID.fullmatch(user_id) or not _key_is_valid(scope):
        return None
    raw_inm = headers.get(b"if-none-match")
    if raw_inm is not None and len(raw_inm) > _MAX_IF_NONE_MATCH:
        return None
    return user_id, None if raw_inm is None else raw_inm.decode("latin-1")


def _key_is_valid(scope: Scope) -> bool:
    """The one authentication function (as the route's dependency and the rate limiter)."""
    try:
        key_id = authenticate_scope(service_state(scope["app"]).key_source, scope["headers"])
    except (ApiKeyError, KeysUnavailableError):
        return False  # the route answers the 401 (or 503)
    scope.setdefault("state", {})["key_id"] = key_id
    return True
