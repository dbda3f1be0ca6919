"""The middleware stack of a service app: the kit's middleware outermost.

FastAPI wraps the user middleware in three layers of its own: Starlette's
``ServerErrorMiddleware`` (an exception that escapes becomes a 500),
``ExceptionTelemetryMiddleware`` (exceptions recorded on OpenTelemetry spans) and
``AppBodyLimitMiddleware`` (``max_body_size``). In a service app the outermost user middleware
is the kit's CORS layer, and inside it the request context
(:class:`~platform_service.middleware.RequestContextMiddleware`) already renders every
exception that escapes a request as problem details, limits the body and logs; telemetry is
off (the platform observes through the JSON logs) and ``max_body_size`` is not set. The three
layers then only pass each request on, at ~3 µs of CPU a request in the profile of GET
(docs/performance.md, round 11).

:class:`ServiceApp` drops them when, and only when, the stack FastAPI built is exactly those
pass-through layers around the kit's middleware; any other shape (another FastAPI version,
telemetry or a body limit turned on) keeps the stack as built. ``test_service_app.py`` pins
that a service app's stack starts at the kit's middleware.

Such an app also answers an HTTP request in one call instead of three: FastAPI's ``__call__``
(root path, lifespan, telemetry) and Starlette's (``scope["app"]``, building the stack) only
pass it on once the stack is trimmed, telemetry off and no root path set; lifespan and any
other shape go through them.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.middleware.errors import ServerErrorMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

# Names, not imports: both live in private FastAPI modules.
_PASS_THROUGH = frozenset({"ExceptionTelemetryMiddleware", "AppBodyLimitMiddleware"})


class ServiceApp(FastAPI):
    """A FastAPI app whose stack starts at its first user middleware (see the module)."""

    _trimmed: ASGIApp | None = None  # the stack, when it starts at the first user middleware

    def build_middleware_stack(self) -> ASGIApp:
        stack = super().build_middleware_stack()
        self._trimmed = None
        telemetry = getattr(self, "_native_telemetry", None)
        if not self.user_middleware or telemetry is None or telemetry.enabled():
            return stack
        first = self.user_middleware[0].cls
        if not isinstance(first, type):
            return stack
        trimmed = outer_layers_skipped(stack, first)
        if trimmed is None:
            return stack
        self._trimmed = trimmed
        return trimmed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        trimmed = self._trimmed
        if trimmed is not None and scope["type"] == "http" and not self.root_path:
            # What FastAPI's and Starlette's __call__ do for it, telemetry off (the module).
            scope["app"] = self
            await trimmed(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


def outer_layers_skipped(stack: ASGIApp, first: type) -> ASGIApp | None:
    """The stack from its first layer of type ``first``, when every layer above it is one of
    FastAPI's pass-through layers (no debug page, no body limit); else None."""
    if not isinstance(stack, ServerErrorMiddleware) or stack.debug:
        return None
    layer = stack.app
    while type(layer).__name__ in _PASS_THROUGH:
        layer = layer.app  # type: ignore[attr-defined]
    return layer if isinstance(layer, first) else None
