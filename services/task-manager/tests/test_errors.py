"""Cross-cutting behaviour: problem details, auth on /v1, request ids, body limit, CORS."""

import re

import httpx
import pytest
from fastapi import FastAPI

PROBLEM = "application/problem+json"


def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert body["code"] == code
    assert body["type"] == f"https://api.gamificator.click/problems/{code}"
    assert body["instance"] == response.request.url.path
    assert body["request_id"] == response.headers["x-request-id"]
    assert body["title"] and body["detail"]
    return body


async def test_unknown_route_is_a_problem(client: httpx.AsyncClient) -> None:
    assert_problem(await client.get("/nope"), 404, "not_found")


async def test_method_not_allowed_is_a_problem(client: httpx.AsyncClient) -> None:
    response = await client.post("/health")
    assert_problem(response, 405, "method_not_allowed")
    assert response.headers["allow"] == "GET, HEAD, OPTIONS"


@pytest.mark.parametrize(
    ("key", "code"),
    [
        (None, "missing_api_key"),
        ("", "missing_api_key"),
        ("wrong-key-0000000000", "invalid_api_key"),
    ],
)
async def test_v1_requires_a_valid_key(
    client: httpx.AsyncClient, key: str | None, code: str
) -> None:
    headers = {"X-User-ID": "u-1"}
    client.headers.pop("X-API-Key")
    if key is not None:
        headers["X-API-Key"] = key
    response = await client.get("/v1/anything", headers=headers)
    assert_problem(response, 401, code)
    assert response.headers["www-authenticate"] == "ApiKey"


async def test_unknown_v1_route_with_key_is_not_found(client: httpx.AsyncClient) -> None:
    assert_problem(await client.get("/v1/nope"), 404, "not_found")


async def test_request_id_is_echoed_or_generated(client: httpx.AsyncClient) -> None:
    given = await client.get("/health", headers={"X-Request-ID": "abc-123 trace"})
    assert given.headers["x-request-id"] == "abc-123 trace"
    generated = await client.get("/health")
    assert re.fullmatch(r"[0-9a-f]{32}", generated.headers["x-request-id"])
    too_long = await client.get("/health", headers={"X-Request-ID": "x" * 129})
    assert re.fullmatch(r"[0-9a-f]{32}", too_long.headers["x-request-id"])


async def test_oversized_body_is_rejected_before_parsing(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/v1/anything",
        content=b"{" + b" " * 70_000 + b"}",
        headers={"Content-Type": "application/json"},
    )
    assert_problem(response, 413, "payload_too_large")

    async def chunks():  # no Content-Length: counted while streaming
        for _ in range(70):
            yield b" " * 1024

    streamed = await client.post("/v1/anything", content=chunks())
    assert_problem(streamed, 413, "payload_too_large")


async def test_unhandled_error_is_a_500_problem_without_details(
    app: FastAPI, client: httpx.AsyncClient, api_key: str
) -> None:
    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError(f"secret detail {api_key}")

    response = await client.get("/boom")
    body = assert_problem(response, 500, "internal_error")
    assert "secret" not in response.text
    assert "Traceback" not in response.text
    assert body["detail"] == "Internal server error."


async def test_database_outage_is_a_503_problem(app: FastAPI, client: httpx.AsyncClient) -> None:
    @app.get("/db")
    async def db() -> None:
        raise ConnectionRefusedError("connection refused")

    response = await client.get("/db")
    assert_problem(response, 503, "service_unavailable")
    assert response.headers["retry-after"] == "1"


async def test_cors_preflight_for_allowed_and_disallowed_origins(
    client: httpx.AsyncClient, allowed_origin: str
) -> None:
    allowed = await client.options(
        "/v1/tasks",
        headers={
            "Origin": allowed_origin,
            "Access-Control-Request-Method": "PATCH",
            "Access-Control-Request-Headers": "X-API-Key, X-User-ID, If-Match, Idempotency-Key",
        },
    )
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == allowed_origin
    assert "PATCH" in allowed.headers["access-control-allow-methods"]
    denied = await client.options(
        "/v1/tasks",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
    )
    assert "access-control-allow-origin" not in denied.headers
    assert denied.status_code == 204
    assert denied.content == b""
    assert denied.headers["x-request-id"]
    assert allowed.headers["x-request-id"]
    simple = await client.get("/health", headers={"Origin": allowed_origin})
    assert simple.headers["access-control-allow-origin"] == allowed_origin
    assert "X-Request-ID" in simple.headers["access-control-expose-headers"]
