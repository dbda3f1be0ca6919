"""What answers a request no route takes: the contract's "methods" row and unknown paths.

* An ``OPTIONS`` that is not a CORS preflight (those are answered by the CORS middleware) is
  answered 204 with ``Allow`` listing the path's methods; on ``/v1`` it needs a key like any
  other method.
* A method the path does not support → 405 ``method_not_allowed`` with the same ``Allow``.
* ``HEAD`` is served as ``GET`` without the body by :func:`head_as_get`, so every ``GET`` route
  (and the GET fast path) answers it with the same status and headers.
* An unknown path → 404 ``not_found``, unless the service maps it to an error of its own
  (``unknown_path``: e.g. the task manager answers ``/v1/tasks/a%2Fb``, a malformed task id,
  with 404 ``task_not_found``).

The fallback routers are included after every real route (a route that matches the path and
the method always wins); ``/v1``'s one requires the API key, so that the API's surface cannot be
probed without one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request, Response, Security
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from platform_service.errors import MethodNotAllowedError, RouteNotFoundError, ServiceError
from platform_service.state import service_state

# The service's answer for a path no route takes (None: 404 not_found).
UnknownPath = Callable[[Request], ServiceError | None]

PROBED = ("GET", "POST", "PUT", "PATCH", "DELETE")
# Where the matched route is recorded in the scope: FastAPI's own part (the template with every
# prefix) and Starlette's (``middleware.route_template`` reads both).
ROUTE_KEYS = ("fastapi", "route")
ANSWERED = (*PROBED, "HEAD", "OPTIONS")


def allowed_methods(request: Request) -> list[str]:
    """The methods some route (other than the fallback) takes for this path, in the order an
    ``Allow`` header lists them, with HEAD after GET and OPTIONS last; [] for an unknown path."""
    exclude = service_state(request.app).fallback_router
    found: set[str] = set()
    for method in PROBED:
        probe = {**request.scope, "method": method}
        for route in request.app.router.routes:
            if getattr(route, "original_router", None) is exclude:
                continue
            if route.matches(probe)[0] is Match.FULL:
                found.add(method)
    if not found:
        return []
    if "GET" in found:
        found.add("HEAD")
    found.add("OPTIONS")
    return [m for m in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS") if m in found]


def fallback_router(auth: Any, unknown_path: UnknownPath | None = None) -> APIRouter:
    """The catch-all of ``/v1``, behind ``auth``; include it after every real route and keep it
    as the state's ``fallback_router`` (it is left out of the method probe)."""
    router = APIRouter(prefix="/v1", dependencies=[Security(auth)])

    @router.api_route("/{path:path}", methods=list(ANSWERED), include_in_schema=False)
    async def unmatched(request: Request, path: str) -> Response:
        error = unknown_path(request) if unknown_path is not None else None
        return method_answer(request, error or RouteNotFoundError("No such route."))

    return router


def method_answer(request: Request, otherwise: Exception) -> Response:
    """For a path some route takes with another method: 204 to OPTIONS, else 405, both with
    ``Allow``. For an unknown path, raise ``otherwise``. Outside ``/v1`` it is reached through
    the framework's own 405 (see problems.handle_exception)."""
    allowed = allowed_methods(request)
    if allowed and request.method == "OPTIONS":
        return Response(status_code=204, headers={"Allow": ", ".join(allowed)})
    if allowed:
        raise MethodNotAllowedError(
            "This method is not allowed here.", headers={"Allow": ", ".join(allowed)}
        )
    raise otherwise


async def head_as_get(app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
    """Answer a ``HEAD`` request with ``app``'s ``GET``: the body is dropped, the headers
    (``Content-Length`` included) are kept. Called by the request context (which logs the
    request as ``HEAD``) for the app inside it, fast paths included: a function, not a layer,
    so that no other request passes through one more call."""

    async def send_headers_only(message: Message) -> None:
        if message["type"] == "http.response.body":
            if message.get("more_body", False):
                return
            message = {"type": "http.response.body", "body": b"", "more_body": False}
        await send(message)

    inner = {**scope, "method": "GET"}
    await app(inner, receive, send_headers_only)
    for key in ROUTE_KEYS:  # what the access log reads the matched route from
        if key in inner:
            scope[key] = inner[key]
