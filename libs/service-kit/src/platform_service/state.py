"""What a service's app holds: one typed object, created by the app factory and completed by
the lifespan (the pool), read with :func:`service_state` (never loose ``app.state`` names)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import asyncpg
from starlette.requests import HTTPConnection

from platform_auth_apikey import KeySource

if TYPE_CHECKING:
    from starlette.applications import Starlette

    from platform_service.clock import Clock
    from platform_service.ratelimit import RateLimiter
    from platform_service.settings import ServiceSettings

STATE_KEY = "service"

# Entered by the lifespan once the pool exists (given the app), left before the pool closes.
LifespanHook = Callable[[Any], AbstractAsyncContextManager[None]]


@dataclass(eq=False)
class ServiceState:
    name: str  # the service's name: logs, the pool's application_name
    settings: ServiceSettings
    key_source: KeySource
    clock: Clock
    rate_limiter: RateLimiter | None
    schema_head: str | None  # the migration the readiness check expects; None: no check
    lifespan_hooks: tuple[LifespanHook, ...] = ()
    fallback_router: Any = None  # the /v1 catch-all, left out of the Allow probe (routing.py)
    _pool: asyncpg.Pool | None = field(default=None, repr=False)
    _resources: dict[type[Any], Any] = field(default_factory=dict, repr=False)

    @property
    def pool(self) -> asyncpg.Pool:
        """The connection pool (exists while the lifespan runs)."""
        if self._pool is None:
            raise RuntimeError(f"{self.name}: the pool exists only while the app runs")
        return self._pool

    def provide(self, resource: object) -> None:
        """Hold a per-process object a lifespan hook made (one per type), for
        :meth:`resource`; the hook removes it with :meth:`withdraw` when it is closed."""
        self._resources[type(resource)] = resource

    def withdraw(self, kind: type[Any]) -> None:
        self._resources.pop(kind, None)

    def resource[T](self, kind: type[T]) -> T:
        """The ``kind`` object a lifespan hook provided (exists while the app runs)."""
        try:
            found: T = self._resources[kind]
        except KeyError:
            message = f"{self.name}: no {kind.__name__} while the app is not running"
            raise RuntimeError(message) from None
        return found


def service_state(app: Starlette) -> ServiceState:
    """The state of an app made by ``create_service_app``."""
    state: ServiceState = getattr(app.state, STATE_KEY)
    return state


def request_state(connection: HTTPConnection) -> ServiceState:
    """The state of the app serving this request."""
    state: ServiceState = getattr(connection.app.state, STATE_KEY)
    return state
