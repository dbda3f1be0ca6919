"""The app factory every service builds on: ``create_service_app(...)``.

It wires the settings, the lifespan (API keys started, the asyncpg pool created per worker
process), the typed state, the middleware (CORS, request context with rate limit, body limit,
problem rendering and access log), the error handlers, the health routes, the authenticated
``/v1`` router holding the service's routers, and the unknown-``/v1`` fallback.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

import structlog
from fastapi import APIRouter, FastAPI, Security

from platform_auth_apikey import ApiKeyAuth, KeySource, StaticKeySource
from platform_db import PoolerNotDeclaredError, PoolOptions, create_pool
from platform_service.clock import Clock, SystemClock
from platform_service.docs_pages import install_docs_pages
from platform_service.errors import (
    KIT_ERRORS,
    ServiceError,
)
from platform_service.health import router as health_router
from platform_service.middleware import CorsMiddleware, RequestContextMiddleware
from platform_service.problems import install_error_handlers, problem_responses
from platform_service.ratelimit import RateLimiter
from platform_service.routing import UnknownPath, fallback_router
from platform_service.settings import ConfigurationError, ServiceSettings
from platform_service.stack import ServiceApp
from platform_service.state import LifespanHook, ServiceState, service_state

CORS_REQUEST_HEADERS = ["Content-Type", "X-API-Key", "X-User-ID", "X-Request-ID"]
CORS_EXPOSED_HEADERS = [
    "X-Request-ID",
    "Retry-After",
    "RateLimit-Limit",
    "RateLimit-Remaining",
    "RateLimit-Reset",
]
CORS_METHODS = ["GET", "POST", "PATCH", "DELETE", "OPTIONS"]


def build_key_source(settings: ServiceSettings) -> KeySource:
    """``API_KEYS_SECRET_ID`` set: keys from AWS Secrets Manager (plus any ``API_KEYS``), cached
    for ``API_KEYS_CACHE_SECONDS``; else the static ``API_KEYS``."""
    if not settings.api_keys_secret_id:
        return StaticKeySource(settings.plain_api_keys())
    from platform_auth_apikey.secrets_manager import SecretsManagerKeySource

    return SecretsManagerKeySource(
        secrets_manager_client,
        settings.api_keys_secret_id,
        ttl_seconds=settings.api_keys_cache_seconds,
        extra_keys=settings.plain_api_keys(),
    )


def secrets_manager_client() -> Any:
    """A boto3 Secrets Manager client with the standard SDK settings (region, credentials,
    ``AWS_ENDPOINT_URL``), short timeouts and few retries: the refresher retries on its own."""
    import boto3
    from botocore.config import Config

    config = Config(
        connect_timeout=2, read_timeout=5, retries={"max_attempts": 2, "mode": "standard"}
    )
    return boto3.client("secretsmanager", config=config)


def pool_options(name: str, settings: ServiceSettings) -> PoolOptions:
    return PoolOptions(
        min_size=settings.db_pool_min_size,
        max_size=settings.db_pool_max_size,
        connect_timeout=settings.db_connect_timeout_seconds,
        command_timeout=settings.db_command_timeout_seconds,
        statement_cache_size=settings.db_statement_cache_size,
        server_settings={"application_name": name},
        # A service sets no session state (set_config(..., true) is local to the transaction):
        # the per-release reset round trip buys nothing.
        reset_session_on_release=False,
    )


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    state = service_state(app)
    log = structlog.get_logger(state.name.replace("-", "_"))
    if state.settings.database_url is None:
        raise RuntimeError(f"DATABASE_URL is not set ({state.name} serve starts an embedded one)")
    await state.key_source.start()
    try:
        state._pool = await create_pool(
            state.settings.database_url.get_secret_value(),
            pool_options(state.name, state.settings),
        )
    except PoolerNotDeclaredError as exc:  # refused at start, naming the variable
        raise ConfigurationError(f"DATABASE_URL: {exc}") from None
    log.info("started", version=app.version, environment=state.settings.environment.value)
    try:
        async with AsyncExitStack() as hooks:
            for hook in state.lifespan_hooks:
                await hooks.enter_async_context(hook(app))
            yield
    finally:
        await state._pool.close()
        await state.key_source.close()
        log.info("stopped")


def create_service_app(
    *,
    name: str,
    settings: ServiceSettings,
    title: str,
    version: str,
    description: str = "",
    routers: Sequence[APIRouter] = (),
    errors: Sequence[type[ServiceError]] = KIT_ERRORS,
    schema_head: str | None = None,
    clock: Clock | None = None,
    openapi_tags: Sequence[dict[str, Any]] = (),
    inner_middleware: Sequence[type[Any]] = (),
    unknown_path: UnknownPath | None = None,
    lifespan_hooks: Sequence[LifespanHook] = (),
    cors_request_headers: Sequence[str] = CORS_REQUEST_HEADERS,
    cors_exposed_headers: Sequence[str] = CORS_EXPOSED_HEADERS,
) -> FastAPI:
    """A service's ASGI app.

    ``name``: the service (``task-manager``): logs, the pool's application_name, the logger
    namespace (``task_manager.access``). ``routers``: mounted under ``/v1`` behind the API key.
    ``errors``: the service's error catalogue (the kit's and its own), for OpenAPI and for
    mapping HTTP errors. ``schema_head``: the migration ``/health/ready`` expects.
    ``inner_middleware``: pure-ASGI classes run inside the request context (ids, limits,
    problem rendering, access log), e.g. a fast path; the first listed runs outermost.
    ``unknown_path``: the answer to a ``/v1`` path no route takes, when it is not a plain 404
    (e.g. a malformed id of a known resource).
    ``lifespan_hooks``: async context managers entered once the pool exists and left before it
    closes (e.g. a background worker inside the API process).
    """
    namespace = name.replace("-", "_")
    key_source = build_key_source(settings)
    app = ServiceApp(
        title=title,
        version=version,
        description=description,
        lifespan=lifespan,
        docs_url=None,  # self-hosted by install_docs_pages: no CDN, renders offline
        redoc_url=None,
        # The platform observes through its JSON logs; FastAPI's native OpenTelemetry would
        # otherwise look up the global tracer, meter and logger providers on every request.
        telemetry={"tracing": False, "metrics": False, "logs": False},
        openapi_tags=[
            *openapi_tags,
            {"name": "health", "description": "Liveness and readiness probes."},
        ],
    )
    rate_limiter = (
        RateLimiter(settings.rate_limit_per_minute, key_source)
        if settings.rate_limit_per_minute > 0
        else None
    )
    app.state.service = ServiceState(
        name=name,
        settings=settings,
        key_source=key_source,
        clock=clock or SystemClock(),
        rate_limiter=rate_limiter,
        schema_head=schema_head,
        lifespan_hooks=tuple(lifespan_hooks),
    )

    install_error_handlers(app, errors, logger_name=f"{namespace}.errors")
    install_docs_pages(app, title=title)
    app.include_router(health_router)
    auth = ApiKeyAuth(key_source)
    v1 = APIRouter(
        prefix="/v1",
        dependencies=[Security(auth)],
        responses={
            **problem_responses(401, 429, 431, 500, 503, errors=errors),
            # Any /v1 route: a repeated single-valued header (platform_service.headers).
            **problem_responses(422, errors=KIT_ERRORS),
        },
    )
    for router in routers:
        v1.include_router(router)
    app.include_router(v1)
    fallback = fallback_router(auth, unknown_path)
    service_state(app).fallback_router = fallback
    app.include_router(fallback)  # after every real route

    for middleware in reversed(inner_middleware):
        app.add_middleware(middleware)
    app.add_middleware(
        RequestContextMiddleware,
        rate_limiter=rate_limiter,
        errors=errors,
        logger_namespace=namespace,
    )
    app.add_middleware(
        CorsMiddleware,
        allow_origins=settings.cors_allow_origins,
        allow_methods=CORS_METHODS,
        allow_headers=list(cors_request_headers),
        expose_headers=list(cors_exposed_headers),
        max_age=600,
    )
    return app
