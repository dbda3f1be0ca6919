"""The contract's conventions rows "repeated headers", "methods", "query values" and "aborted
requests", over the whole API."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

U = (b"X-User-ID", b"u-1")
KEY = (b"X-API-Key", b"test-key-0123456789abcdef")


def problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["code"] == code
    assert body["request_id"] == response.headers["x-request-id"]
    return body


async def _new_task(client: httpx.AsyncClient) -> str:
    response = await client.post("/v1/tasks", json={"title": "t"}, headers={"X-User-ID": "u-1"})
    assert response.status_code == 201
    task_id: str = response.json()["id"]
    return task_id


@pytest.mark.parametrize(
    ("header", "values"),
    [
        (b"X-User-ID", [b"u-1", b"u-2"]),
        (b"X-User-ID", [b"u-1", b"u-1"]),
        (b"If-None-Match", [b'"1"', b'"2"']),
        (b"If-Match", [b'"1"', b'"1"']),
        (b"Idempotency-Key", [b"a", b"b"]),
        (b"X-Request-ID", [b"one", b"two"]),
    ],
)
@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
async def test_a_repeated_header_is_422_naming_it(
    client: httpx.AsyncClient, header: bytes, values: list[bytes], method: str
) -> None:
    task_id = await _new_task(client)
    base = [KEY] + ([U] if header != b"X-User-ID" else [])
    headers = [*base, *((header, v) for v in values), (b"Content-Type", b"application/json")]
    response = await client.request(method, f"/v1/tasks/{task_id}", headers=headers, content=b"{}")
    body = problem(response, 422, "validation_error")
    assert body["errors"][0]["loc"] == ["header", header.decode()]
    assert header.decode() in body["detail"]
    if header == b"X-Request-ID":
        assert response.headers["x-request-id"] not in ("one", "two")
    still = await client.get(f"/v1/tasks/{task_id}", headers={"X-User-ID": "u-1"})
    assert still.status_code == 200  # nothing was deleted or changed


@pytest.mark.parametrize(
    "keys",
    [
        [b"test-key-0123456789abcdef", b"test-key-0123456789abcdef"],
        [b"test-key-0123456789abcdef", b"other-key-0123456789abcdef"],
        [b"nope-0123456789abcdef", b"test-key-0123456789abcdef"],
    ],
)
async def test_a_repeated_api_key_is_401_invalid(app: FastAPI, keys: list[bytes]) -> None:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as raw:
        headers = [*((b"X-API-Key", k) for k in keys), U, (b"X-User-ID", b"u-2")]
        for method, path in [("GET", "/v1/tasks"), ("POST", "/v1/tasks"), ("GET", "/v1/stats")]:
            response = await raw.request(method, path, headers=headers)
            problem(response, 401, "invalid_api_key")
            assert response.headers["www-authenticate"] == "ApiKey"


async def test_repeated_user_without_a_key_is_401_first(app: FastAPI) -> None:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as raw:
        response = await raw.get("/v1/tasks", headers=[U, U])
        problem(response, 401, "missing_api_key")


@pytest.mark.parametrize("path", ["/health", "/openapi.json", "/v1/tasks", "/v1/stats"])
async def test_head_answers_like_get_without_a_body(client: httpx.AsyncClient, path: str) -> None:
    headers = {"X-User-ID": "u-1", "X-Request-ID": "same"}
    get = await client.get(path, headers=headers)
    head = await client.head(path, headers=headers)
    assert get.status_code == head.status_code == 200
    assert head.content == b""
    for name in ("content-type", "content-length", "x-request-id", "ratelimit-limit"):
        assert get.headers.get(name) == head.headers.get(name), name


async def test_head_on_a_task_and_its_errors(client: httpx.AsyncClient) -> None:
    task_id = await _new_task(client)
    head = await client.head(f"/v1/tasks/{task_id}", headers={"X-User-ID": "u-1"})
    assert head.status_code == 200
    assert head.headers["etag"] == '"1"'
    assert head.content == b""
    missing = await client.head(f"/v1/tasks/{task_id}x", headers={"X-User-ID": "u-1"})
    assert missing.status_code == 404
    assert missing.content == b""
    assert missing.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("path", "allow"),
    [
        ("/v1/tasks", "GET, HEAD, POST, OPTIONS"),
        ("/v1/tasks/3f0c8d2e-5b7a-4c1e-9f3a-2d6b8e1c4a7f", "GET, HEAD, PATCH, DELETE, OPTIONS"),
        ("/v1/stats", "GET, HEAD, OPTIONS"),
        ("/health", "GET, HEAD, OPTIONS"),
    ],
)
async def test_options_and_405_list_the_same_methods(
    client: httpx.AsyncClient, path: str, allow: str
) -> None:
    options = await client.options(path)
    assert options.status_code == 204
    assert options.headers["allow"] == allow
    assert options.content == b""
    response = await client.put(path, json={})
    problem(response, 405, "method_not_allowed")
    assert response.headers["allow"] == allow


async def test_options_on_v1_needs_a_key(app: FastAPI) -> None:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as raw:
        problem(await raw.options("/v1/tasks"), 401, "missing_api_key")
        problem(
            await raw.options("/v1/tasks", headers={"X-API-Key": "nope-0123456789abcdef"}),
            401,
            "invalid_api_key",
        )
        problem(await raw.request("PUT", "/v1/tasks"), 401, "missing_api_key")
        assert (await raw.options("/health")).status_code == 204


async def test_options_on_an_unknown_path_is_404(client: httpx.AsyncClient) -> None:
    problem(await client.options("/v1/nothing"), 404, "not_found")
    problem(await client.options("/nothing"), 404, "not_found")


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/v1/tasks", {"status": "done"}),
        ("/v1/tasks", {"priority": "URGENT"}),
        ("/v1/tasks", {"sort": "title"}),
        ("/v1/tasks", {"sort": "--due_date"}),
        ("/v1/tasks", {"overdue": "maybe"}),
        ("/v1/tasks", {"limit": "1e3"}),
        ("/v1/tasks", {"limit": "99999999999999999999999"}),
        ("/v1/stats", {"days": "0x10"}),
        ("/v1/stats", {"tz": "Mars/Olympus"}),
    ],
)
async def test_unknown_query_values_are_422(
    client: httpx.AsyncClient, path: str, params: dict[str, str]
) -> None:
    response = await client.get(path, params=params, headers={"X-User-ID": "u-1"})
    body = problem(response, 422, "validation_error")
    assert body["errors"][0]["loc"][:2] == ["query", next(iter(params))]


async def test_unknown_query_parameters_are_ignored(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/tasks", params={"colour": "red"}, headers={"X-User-ID": "u"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "headers"),
    [
        ("POST", "/v1/tasks", [(b"content-length", b"100")]),
        ("POST", "/v1/tasks", [(b"transfer-encoding", b"chunked")]),
        ("PATCH", "/v1/tasks/3f0c8d2e-5b7a-4c1e-9f3a-2d6b8e1c4a7f", [(b"content-length", b"9")]),
    ],
)
async def test_a_client_gone_mid_body_is_logged_as_499_not_an_error(
    app: FastAPI, captured_logs: Any, method: str, path: str, headers: list[tuple[bytes, bytes]]
) -> None:
    messages = [
        {"type": "http.request", "body": b'{"title":', "more_body": True},
        {"type": "http.disconnect"},
    ]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [KEY, U, (b"content-type", b"application/json"), *headers],
        "client": ("127.0.0.1", 1),
        "server": ("t", 80),
        "app": app,
    }
    await app(scope, receive, send)
    assert all(m.get("status", 499) == 499 for m in sent)
    lines = captured_logs()
    access = [line for line in lines if line.get("event") == "request"]
    assert access[-1]["status"] == 499
    assert not [line for line in lines if line.get("level") in ("error", "critical")]
