"""What the fast paths (``tasks/fastpath.py``, ``stats/fastpath.py``) check before they answer
a request themselves: no repeated header, a valid API key (the one authentication function,
as the routes' dependency and the rate limiter use), a well-formed ``X-User-ID``; and the
query string, when it names nothing but the expected parameters, each once. Anything else is
left to the FastAPI route, which renders every error. :func:`answer` is how every fast path
answers once its checks passed."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Receive, Scope, Send

from platform_auth_apikey import ApiKeyError, KeysUnavailableError, authenticate_scope
from platform_db import Connection, acquire
from platform_service import ServiceError, service_state
from task_manager.dependencies import USER_ID_PATTERN

type Headers = dict[bytes, bytes]

_USER_ID = re.compile(USER_ID_PATTERN)


def request_headers(scope: Scope) -> Headers | None:
    """The headers, when the request is one a fast path may answer: no repeated header, a
    valid API key, a well-formed ``X-User-ID``."""
    raw: list[tuple[bytes, bytes]] = scope["headers"]
    headers: Headers = dict(raw)
    if len(headers) != len(raw):
        return None  # a repeated header: let the framework decide which one counts
    if not _USER_ID.fullmatch(user_of(headers)) or not _key_is_valid(scope):
        return None
    return headers


def user_of(headers: Headers) -> str:
    return headers.get(b"x-user-id", b"").decode("latin-1")


def _key_is_valid(scope: Scope) -> bool:
    state = scope.setdefault("state", {})
    if state.get("key_id") is not None:
        # The request context's rate limiter already authenticated this request's key (the
        # same function, on the same headers): hashing it again would only cost.
        return True
    try:
        key_id = authenticate_scope(service_state(scope["app"]).key_source, scope["headers"])
    except (ApiKeyError, KeysUnavailableError):
        return False  # the route answers the 401 (or 503)
    state["key_id"] = key_id
    return True


def query_parameters(scope: Scope, allowed: frozenset[str]) -> dict[str, str] | None:
    """The query's parameters (decoded as Starlette does), when each is one of ``allowed`` and
    appears once; else None."""
    pairs = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
    named = dict(pairs)
    if len(named) != len(pairs) or not named.keys() <= allowed:
        return None
    return named


_SMALL_NUMBER = re.compile(r"[1-9][0-9]{0,2}")


def small_number(text: str, maximum: int) -> int | None:
    """1..maximum (≤ 999) in its plain spelling (no sign, no leading zero), else None."""
    if not _SMALL_NUMBER.fullmatch(text) or int(text) > maximum:
        return None
    return int(text)


async def answer(
    scope: Scope,
    receive: Receive,
    send: Send,
    *,
    route: Any,
    respond: Callable[[Connection], Awaitable[ASGIApp]],
    otherwise: ASGIApp,
) -> None:
    """Answer with what ``respond`` makes (a response: any ASGI app) on a pooled connection
    (the routes' bounded acquire wait, without its timer when a connection is idle:
    ``platform_db.acquire``), naming ``route`` (an object whose ``path`` is the route's full
    template) for the access log. On a :class:`ServiceError` hand the request to
    ``otherwise``, the FastAPI route, which renders it; the service raises those before it
    writes anything."""
    state = service_state(scope["app"])
    try:
        async with acquire(state.pool, timeout=state.settings.db_connect_timeout_seconds) as conn:
            response = await respond(conn)
    except ServiceError:
        await otherwise(scope, receive, send)
        return
    scope["route"] = route
    await response(scope, receive, send)
