"""The application factory. ``create_app()`` is what uvicorn and gunicorn load."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import structlog
from fastapi import APIRouter, FastAPI, Security

from platform_auth_apikey import ApiKeyAuth, KeySource, StaticKeySource
from platform_db import PoolerNotDeclaredError, PoolOptions, create_pool
from task_manager import __version__
from task_manager.clock import Clock, SystemClock
from task_manager.health.router import router as health_router
from task_manager.middleware import CorsMiddleware, RequestContextMiddleware
from task_manager.migrations import HEAD_REVISION
from task_manager.problems import install_error_handlers, problem_responses
from task_manager.ratelimit import RateLimiter
from task_manager.routing import HeadAsGet, fallback_router
from task_manager.settings import ConfigurationError, Settings, load_settings
from task_manager.stats.router import router as stats_router
from task_manager.tasks.fastpath import FastTaskReads
from task_manager.tasks.router import router as tasks_router

log = structlog.get_logger("task_manager")

# The /v1 domain routers (tasks, stats), each mounted under /v1 behind the API key.
DOMAIN_ROUTERS: list[APIRouter] = [tasks_router, stats_router]

DESCRIPTION = """
Per-user tasks and the gamification figures of the Cat House Platform.

Every `/v1` request carries the calling service's key in `X-API-Key` and, on task and stats
routes, the player's id in `X-User-ID`. Errors are RFC 9457 problem details
(`application/problem+json`) with a stable `code`.
"""

CORS_REQUEST_HEADERS = [
    "Content-Type",
    "X-API-Key",
    "X-User-ID",
    "X-Request-ID",
    "Idempotency-Key",
    "If-Match",
    "If-None-Match",
]
CORS_EXPOSED_HEADERS = [
    "ETag",
    "Location",
    "X-Request-ID",
    "Retry-After",
    "RateLimit-Limit",
    "RateLimit-Remaining",
    "RateLimit-Reset",
]


def build_key_source(settings: Settings) -> KeySource:
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


def pool_options(settings: Settings) -> PoolOptions:
    return PoolOptions(
        min_size=settings.db_pool_min_size,
        max_size=settings.db_pool_max_size,
        connect_timeout=settings.db_connect_timeout_seconds,
        command_timeout=settings.db_command_timeout_seconds,
        statement_cache_size=settings.db_statement_cache_size,
        server_settings={"application_name": "task-manager"},
        # The service sets no session state (its only setting is set_config(..., true), local
        # to the transaction): the per-release reset round trip buys nothing.
        reset_session_on_release=False,
    )


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    if settings.database_url is None:
        raise RuntimeError("DATABASE_URL is not set (task-manager serve starts an embedded one)")
    key_source: KeySource = app.state.key_source
    await key_source.start()
    try:
        app.state.pool = await create_pool(
            settings.database_url.get_secret_value(), pool_options(settings)
        )
    except PoolerNotDeclaredError as exc:  # refused at start, naming the variable
        raise ConfigurationError(f"DATABASE_URL: {exc}") from None
    log.info("started", version=__version__, environment=settings.environment.value)
    try:
        yield
    finally:
        await app.state.pool.close()
        await key_source.close()
        log.info("stopped")


def v1_router(auth: ApiKeyAuth) -> APIRouter:
    """Every /v1 route: authenticated, documented with the shared error responses."""
    router = APIRouter(
        prefix="/v1",
        dependencies=[Security(auth)],
        responses=problem_responses(401, 429, 431, 500, 503),
    )
    return router


def create_app(settings: Settings | None = None, *, clock: Clock | None = None) -> FastAPI:
    settings = settings or load_settings()
    key_source = build_key_source(settings)
    app = FastAPI(
        title="Task Manager API",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        openapi_tags=[
            {"name": "tasks", "description": "A player's tasks."},
            {"name": "stats", "description": "Gamification figures over a player's tasks."},
            {"name": "health", "description": "Liveness and readiness probes."},
        ],
    )
    app.state.settings = settings
    app.state.key_source = key_source
    app.state.clock = clock or SystemClock()
    app.state.schema_head = HEAD_REVISION

    install_error_handlers(app)
    app.include_router(health_router)
    auth = ApiKeyAuth(key_source)
    v1 = v1_router(auth)
    for domain_router in DOMAIN_ROUTERS:
        v1.include_router(domain_router)
    app.include_router(v1)
    app.state.fallback_router = fallback_router(auth)
    app.include_router(app.state.fallback_router)  # after every real route

    rate_limiter = (
        RateLimiter(settings.rate_limit_per_minute, key_source)
        if settings.rate_limit_per_minute > 0
        else None
    )
    app.state.rate_limiter = rate_limiter
    app.add_middleware(FastTaskReads)  # inside the request context: ids, limits, errors, logs
    app.add_middleware(HeadAsGet)  # HEAD takes the GET routes (and the fast path)
    app.add_middleware(RequestContextMiddleware, rate_limiter=rate_limiter)
    app.add_middleware(
        CorsMiddleware,
        allow_origins=settings.cors_allow_origins,
        allow_methods=["GET", "POST", "PATCH", "DELETE", "OPTIONS"],
        allow_headers=CORS_REQUEST_HEADERS,
        expose_headers=CORS_EXPOSED_HEADERS,
        max_age=600,
    )
    return app
