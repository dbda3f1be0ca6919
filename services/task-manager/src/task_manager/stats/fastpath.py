"""A fast path for ``GET /v1/stats`` — half of the platform's requests — in front of
FastAPI's routing, as ``tasks/fastpath.py`` is for the task routes: the same service function
(``service.user_stats``) and the same response as the route, for a request with a valid key, a
well-formed ``X-User-ID``, no repeated header, and a query naming nothing but ``tz`` (1-64
characters) and ``days`` (1-366), each once. Everything else — and any :class:`ServiceError`
(an unknown time zone) — falls through to the route, which renders every error document.
``tests/test_stats_paths_agree.py`` compares the two paths' answers."""

from __future__ import annotations

from types import SimpleNamespace

from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from platform_db import Connection
from platform_service import service_state
from task_manager.fast_requests import (
    answer,
    query_parameters,
    request_headers,
    small_number,
    user_of,
)
from task_manager.stats import service
from task_manager.stats.http import stats_response

_ROUTE = SimpleNamespace(path="/v1/stats")  # what the access log names
_PARAMETERS = frozenset({"tz", "days"})


class FastStatsRoute:
    def __init__(self, app: ASGIApp, /) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"] != "/v1/stats":
            await self.app(scope, receive, send)
            return
        headers = request_headers(scope)
        query = _stats_query(scope)
        if headers is None or query is None:
            await self.app(scope, receive, send)
            return
        tz, days = query
        now = service_state(scope["app"]).clock.now()

        async def respond(conn: Connection) -> Response:
            # An unknown time zone: the route renders the 422.
            stats = await service.user_stats(conn, user_of(headers), tz, days, now)
            return stats_response(stats)

        await answer(scope, receive, send, route=_ROUTE, respond=respond, otherwise=self.app)


def _stats_query(scope: Scope) -> tuple[str, int] | None:
    named = query_parameters(scope, _PARAMETERS)
    if named is None:
        return None
    tz, days = named.get("tz", "UTC"), small_number(named.get("days", "30"), 366)
    if days is None or not 1 <= len(tz) <= service.MAX_TZ_LENGTH:
        return None
    return tz, days
