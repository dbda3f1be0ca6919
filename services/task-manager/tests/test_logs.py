"""Access logs: one JSON line per request with the fields operators need; no secret, ever."""

import secrets
from collections.abc import AsyncIterator, Callable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest
from fastapi import FastAPI, Security
from fastapi.routing import APIRoute
from pydantic import SecretStr

from platform_auth_apikey import ApiKeyAuth
from platform_service import service_state
from task_manager.app import create_app
from task_manager.dependencies import Connection
from task_manager.settings import Settings

LogReader = Callable[[], list[dict[str, Any]]]


def before_fallback(app: FastAPI) -> None:
    """Move the route just added ahead of the catch-all /v1 fallback."""
    route = app.router.routes.pop()
    assert isinstance(route, APIRoute)
    app.router.routes.insert(0, route)


def authenticated(app: FastAPI) -> Any:
    return [Security(ApiKeyAuth(service_state(app).key_source))]


def with_password(url: str, password: str) -> str:
    """The URL with a password (the embedded server trusts local users, so any works)."""
    parts = urlsplit(url)
    if parts.password:
        return url
    user = parts.username or "postgres"
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{user}:{password}@{host}"))


@pytest.fixture
async def logged_app(settings: Settings, log_secrets: set[str]) -> AsyncIterator[FastAPI]:
    password = "db-pass-" + secrets.token_hex(8)
    url = with_password(settings.database_url.get_secret_value(), password)  # type: ignore[union-attr]
    if password in url:
        log_secrets.add(password)
    application = create_app(settings.model_copy(update={"database_url": SecretStr(url)}))
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def logged(logged_app: FastAPI, api_key: str) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=logged_app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


async def test_one_access_line_per_request_with_route_and_ids(
    logged_app: FastAPI, logged: httpx.AsyncClient, api_key: str, captured_logs: LogReader
) -> None:
    @logged_app.get("/v1/probe/{item}", dependencies=authenticated(logged_app))
    async def probe(item: str, conn: Connection) -> dict[str, int]:
        return {"one": await conn.fetchval("SELECT 1")}

    before_fallback(logged_app)

    headers = {"X-API-Key": api_key, "X-User-ID": "u-42", "X-Request-ID": "trace-me-1"}
    response = await logged.get("/v1/probe/abc?q=private", headers=headers)
    assert response.status_code == 200
    [line] = [x for x in captured_logs() if x.get("event") == "request"]
    assert line["method"] == "GET"
    assert line["route"] == "/v1/probe/{item}"  # the template, not the raw path
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["request_id"] == "trace-me-1"
    assert line["key_id"].startswith("k_") and api_key not in line["key_id"]
    assert line["user_id"] == "u-42"
    assert line["level"] == "info" and line["logger"] == "task_manager.access"
    assert line["service"] == "task-manager" and line["timestamp"].endswith("Z")
    assert "private" not in str(line)  # the query string is not logged


async def test_every_kind_of_request_is_logged_without_secrets(
    logged_app: FastAPI,
    logged: httpx.AsyncClient,
    api_key: str,
    log_secrets: set[str],
    captured_logs: LogReader,
) -> None:
    presented = "presented-but-unknown-" + secrets.token_hex(8)
    log_secrets.add(presented)

    @logged_app.get("/v1/fail", dependencies=authenticated(logged_app))
    async def fail() -> None:
        raise RuntimeError("something broke")

    before_fallback(logged_app)

    good = {"X-API-Key": api_key, "X-User-ID": "u-1"}
    calls = [
        ("GET", "/health", {"X-API-Key": presented}, 200),
        ("GET", "/health/ready", {"X-API-Key": api_key}, 200),
        ("GET", "/v1/nope", good, 404),
        ("GET", "/v1/nope", {"X-API-Key": presented}, 401),
        ("GET", "/v1/nope", {}, 401),
        ("POST", "/health", good, 405),
        ("POST", "/v1/nope", {**good, "Content-Type": "application/json"}, 413),
        ("GET", "/v1/fail", good, 500),
    ]
    for method, path, headers, status in calls:
        body = b"{" + b" " * 70_000 + b"}" if status == 413 else None
        response = await logged.request(method, path, headers=headers, content=body)
        assert response.status_code == status, (path, response.text)
        assert presented not in response.text and api_key not in response.text

    lines = captured_logs()
    access = [x for x in lines if x.get("event") == "request"]
    assert [(x["method"], x["path"], x["status"]) for x in access] == [
        (m, p, s) for m, p, _, s in calls
    ]
    assert [x["key_id"] is not None for x in access] == [
        False,
        False,
        True,
        False,
        False,
        False,
        False,
        True,
    ]
    errors = [x for x in lines if x.get("event") == "unhandled_exception"]
    assert errors and "something broke" in errors[0]["exception"]
    assert errors[0]["request_id"] == access[-1]["request_id"]  # trace a request by its id
    text = "\n".join(map(str, lines))
    for secret in log_secrets:
        assert secret not in text


async def test_access_log_route_is_the_full_template_of_the_real_routers(
    client: httpx.AsyncClient, captured_logs: LogReader
) -> None:
    user = {"X-User-ID": "u-7"}
    created = await client.post("/v1/tasks", json={"title": "Route"}, headers=user)
    task_id = created.json()["id"]
    missing = "3f0c8d2e-5b7a-4c1e-9f3a-2d6b8e1c4a7f"
    calls = [
        ("GET", f"/v1/tasks/{task_id}", 200),  # answered by the fast path
        ("GET", f"/v1/tasks/{missing}", 404),  # through FastAPI's router
        ("PATCH", f"/v1/tasks/{task_id}", 200),
        ("GET", "/v1/tasks", 200),
        ("GET", "/v1/stats", 200),
        ("GET", "/health", 200),
        ("HEAD", f"/v1/tasks/{task_id}", 200),  # HEAD through the fast path
        ("HEAD", f"/v1/tasks/{missing}", 404),  # and through FastAPI's router
    ]
    for method, path, status in calls:
        body = {"title": "Renamed"} if method == "PATCH" else None
        response = await client.request(method, path, headers=user, json=body)
        assert response.status_code == status, (path, response.text)
    routes = [
        (x["method"], x["route"])
        for x in captured_logs()
        if x.get("event") == "request" and x["method"] != "POST"
    ]
    assert routes == [
        ("GET", "/v1/tasks/{task_id}"),
        ("GET", "/v1/tasks/{task_id}"),
        ("PATCH", "/v1/tasks/{task_id}"),
        ("GET", "/v1/tasks"),
        ("GET", "/v1/stats"),
        ("GET", "/health"),
        ("HEAD", "/v1/tasks/{task_id}"),
        ("HEAD", "/v1/tasks/{task_id}"),
    ]
