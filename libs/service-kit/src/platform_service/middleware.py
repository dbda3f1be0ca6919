"""Pure ASGI middleware (no BaseHTTPMiddleware: no extra task or copy per request).

``RequestContextMiddleware`` gives each request an id (``X-Request-ID`` accepted or generated,
returned on every response, bound to every log line), enforces the body size limit, renders
errors that escape the framework as problem details (500, or 503 when the database is gone),
applies the per-key rate limit to ``/v1`` (``RateLimit-*`` headers on every ``/v1`` response,
429 beyond the budget), answers ``HEAD`` with the ``GET`` handlers (``routing.head_as_get``),
adds ``Vary: Origin`` to the response of a request without ``Origin``
(``CorsMiddleware``, outside it, passes those on untouched) and writes one access log line per
request.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from typing import Any
from urllib.parse import unquote

import structlog
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from platform_auth_apikey import api_key_values
from platform_logging import HotPathLogger
from platform_service.errors import KIT_ERRORS, PayloadTooLargeError, RateLimitedError, ServiceError
from platform_service.headers import repeated, repeated_header_error
from platform_service.problems import render_problem, translate
from platform_service.ratelimit import Decision, RateLimiter
from platform_service.routing import head_as_get

MAX_BODY_BYTES = 64 * 1024
# nginx's name for "the client closed the connection before the response": not an error.
CLIENT_CLOSED_REQUEST = 499
REQUEST_ID_HEADER = b"x-request-id"
# A field line of its own: Vary is a list, so a second Vary line adds to any the response has.
VARY_ORIGIN = (b"vary", b"Origin")
_NO_BODY = frozenset({"GET", "HEAD", "OPTIONS", "DELETE"})  # methods read without a body


def path_keeping_encoded_slashes(raw_path: bytes) -> str:
    """The request path decoded, except that an encoded slash (``%2F``) stays ``%2F``: it is
    part of a path segment (``/v1/tasks/a%2Fb`` names the task ``a%2Fb``, a malformed id), never
    a separator that would route the request somewhere else."""
    protected = raw_path.replace(b"%2F", b"%252F").replace(b"%2f", b"%252f")
    return unquote(protected.decode("latin-1"), encoding="utf-8", errors="replace")


def new_request_id() -> str:
    """A generated request id: 32 random hex digits (128 bits), as ``uuid4().hex`` looked
    but without building a ``UUID`` (a quarter of the cost of ``uuid4``; the id is only ever
    compared and logged, never parsed)."""
    return os.urandom(16).hex()


def _valid_request_id(raw: bytes) -> bool:
    return 1 <= len(raw) <= 128 and all(0x20 <= b <= 0x7E for b in raw)


class RequestContextMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int = MAX_BODY_BYTES,
        rate_limiter: RateLimiter | None = None,
        errors: Sequence[type[ServiceError]] = KIT_ERRORS,
        logger_namespace: str = "platform_service",
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.rate_limiter = rate_limiter
        self.errors = errors
        # every request writes this line: the hot-path logger (same line, a fifth of the CPU)
        self._access_log = HotPathLogger(f"{logger_namespace}.access")
        self._error_log = structlog.get_logger(f"{logger_namespace}.errors")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        raw_path = scope.get("raw_path")
        if raw_path and b"%2" in raw_path and b"%2f" in raw_path.lower():
            scope = {**scope, "path": path_keeping_encoded_slashes(raw_path)}
        raw_headers = scope["headers"]
        headers = dict(raw_headers)
        twice = repeated(raw_headers, headers)
        raw_id = headers.get(REQUEST_ID_HEADER, b"") if REQUEST_ID_HEADER not in twice else b""
        request_id = raw_id.decode("ascii") if _valid_request_id(raw_id) else new_request_id()
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        decision = self._rate_limit(scope, headers)
        extra_headers = [(REQUEST_ID_HEADER, request_id.encode())]
        if b"origin" not in headers:  # with Origin, the CORS layer outside adds its own Vary
            extra_headers.append(VARY_ORIGIN)
        if decision is not None:
            extra_headers += decision.headers()
            state["key_id"] = decision.key_id
        response_started = False
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal response_started, status
            if message["type"] == "http.response.start":
                response_started = True
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), *extra_headers]
            await send(message)

        # Tokens, not bound_contextvars(): that one reads the whole context to restore it
        # (a few µs a request); a token restores the previous value (or none) exactly.
        tokens = structlog.contextvars.bind_contextvars(request_id=request_id)
        try:
            try:
                if decision is not None and not decision.allowed:
                    await self._send_error(
                        scope, send_with_id, self._rate_limited(decision), request_id
                    )
                    return
                if twice:
                    error = repeated_header_error(scope, twice)
                    await self._send_error(scope, send_with_id, error, request_id)
                    return
                if scope["method"] in _NO_BODY and b"content-length" not in headers:
                    body_receive: Receive | None = receive  # nothing to bound (_limit_body)
                else:
                    body_receive = await self._limit_body(scope, receive, headers)
                if body_receive is None:
                    await self._send_error(
                        scope,
                        send_with_id,
                        PayloadTooLargeError(
                            f"The request body exceeds {self.max_body_bytes} bytes."
                        ),
                        request_id,
                    )
                elif scope["method"] == "HEAD":
                    await head_as_get(self.app, scope, body_receive, send_with_id)
                else:
                    await self.app(scope, body_receive, send_with_id)
            except ClientDisconnect:
                # The client went away before its request was complete: nobody to answer.
                status = CLIENT_CLOSED_REQUEST
                self._error_log.info("client_disconnected", phase="request")
            except Exception as exc:
                if response_started:
                    self._error_log.error("exception_after_response_started", exc_info=exc)
                    raise
                error = translate(exc, self.errors)
                if error.status >= 500 and error.code == "internal_error":
                    self._error_log.error("unhandled_exception", exc_info=exc)
                else:
                    self._error_log.warning(
                        "request_failed", code=error.code, error=type(exc).__name__
                    )
                await self._send_error(scope, send_with_id, error, request_id)
            finally:
                self._log_access(
                    scope, headers, status, started, user_known=b"x-user-id" not in twice
                )
        finally:
            structlog.contextvars.reset_contextvars(**tokens)

    def _rate_limit(self, scope: Scope, headers: dict[bytes, bytes]) -> Decision | None:
        path: str = scope.get("path", "")
        if self.rate_limiter is None or not (path == "/v1" or path.startswith("/v1/")):
            return None
        return self.rate_limiter.hit(api_key_values(scope["headers"]))

    @staticmethod
    def _rate_limited(decision: Decision) -> RateLimitedError:
        return RateLimitedError(
            f"More than {decision.limit} requests per minute for this API key; "
            f"retry in {decision.retry_after_seconds} s.",
            headers={"Retry-After": str(decision.retry_after_seconds)},
        )

    async def _limit_body(
        self, scope: Scope, receive: Receive, headers: dict[bytes, bytes]
    ) -> Receive | None:
        """The receive callable to hand on, or None when the body is too large."""
        declared = headers.get(b"content-length")
        if declared is not None:
            try:
                if int(declared) > self.max_body_bytes:
                    return None
            except ValueError:
                return None
        if scope["method"] in _NO_BODY and declared is None:
            return receive
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                raise ClientDisconnect  # before the body was complete: logged as 499
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                return None
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return replay

    @staticmethod
    async def _send_error(scope: Scope, send: Send, error: ServiceError, request_id: str) -> None:
        status, headers, body = render_problem(
            error, instance=scope.get("path", ""), request_id=request_id
        )
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    def _log_access(
        self,
        scope: Scope,
        headers: dict[bytes, bytes],
        status: int,
        started: float,
        *,
        user_known: bool,
    ) -> None:
        state = scope.get("state", {})
        client = state.get("client")
        user = headers.get(b"x-user-id", b"")[:128].decode("utf-8", "replace") or None
        user = user if user_known else None  # repeated: no value counts
        self._access_log.info(
            "request",
            method=scope["method"],
            path=scope.get("path"),
            route=route_template(scope),
            status=status,
            duration_ms=round((time.perf_counter() - started) * 1000, 2),
            key_id=getattr(client, "key_id", None) or state.get("key_id"),
            user_id=user,
        )


def route_template(scope: Scope) -> str | None:
    """The matched route's full template (``/v1/tasks/{task_id}``), prefixes included.

    FastAPI keeps an included router's routes as they were declared (``scope["route"].path``
    is ``/tasks/{task_id}``, without the ``/v1`` prefix) and records the route as mounted, with
    every prefix, in its own part of the scope: read that first. A middleware answering a
    request itself sets ``scope["route"]`` to an object whose ``path`` is the full template.
    """
    context: Any = scope.get("fastapi", {}).get("effective_route_context")
    template = getattr(context, "path", None)
    if isinstance(template, str):
        return template
    path = getattr(scope.get("route"), "path", None)
    return path if isinstance(path, str) else None


class CorsMiddleware:
    """Starlette's CORSMiddleware, skipped for requests without ``Origin``.

    The platform calls server to server, without ``Origin``; for such a request Starlette only
    adds ``Vary: Origin``, but it parses the request headers and wraps ``send`` with header
    objects to do so (about a tenth of a GET's CPU). This passes such a request on untouched:
    ``RequestContextMiddleware``, inside it in every service app, adds ``Vary: Origin`` among
    its own response headers.
    """

    def __init__(self, app: ASGIApp, /, **options: Any) -> None:
        self.app = app
        self.cors = CORSMiddleware(app, **options)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _is_preflight(scope):
            await self.cors(scope, receive, preflight_sender(scope, send))
            return
        if scope["type"] != "http" or any(name == b"origin" for name, _ in scope["headers"]):
            await self.cors(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _is_preflight(scope: Scope) -> bool:
    if scope["method"] != "OPTIONS":
        return False
    names = {name for name, _ in scope["headers"]}
    return b"origin" in names and b"access-control-request-method" in names


def preflight_sender(scope: Scope, send: Send) -> Send:
    """Preflights are answered by the CORS middleware, outside the request context: give them an
    ``X-Request-ID`` too, and answer a refused one (origin, method or header not allowed) 204
    without any ``Access-Control-Allow-*`` header (the browser then refuses the request) instead
    of Starlette's ``text/plain`` 400."""
    raw_id = dict(scope["headers"]).get(REQUEST_ID_HEADER, b"")
    request_id = raw_id if _valid_request_id(raw_id) else new_request_id().encode()

    refused = False

    async def send_preflight(message: Message) -> None:
        nonlocal refused
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", ()))
            if message["status"] >= 400:
                refused = True
                headers = [(k, v) for k, v in headers if k.lower() == b"vary"]
                message = {"type": "http.response.start", "status": 204}
            message["headers"] = [*headers, (REQUEST_ID_HEADER, request_id)]
        elif message["type"] == "http.response.body" and refused:
            message = {"type": "http.response.body", "body": b""}
        await send(message)

    return send_preflight
