"""A service built on the kit gets the platform's behaviour: authenticated /v1, problem
details for every error (its own and the libs'), typed state, health, access logs."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from platform_service import ServiceState, service_state
from platform_service.middleware import CorsMiddleware, RequestContextMiddleware

Problem = Callable[[httpx.Response, int, str], dict[str, Any]]
USER = {"X-User-ID": "u-1"}


class StoppedClock:
    def now(self) -> datetime:
        return datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)


@pytest.fixture
def app_clock() -> StoppedClock:
    return StoppedClock()


async def test_routes_use_the_request_transaction_the_user_and_the_clock(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/v1/notes", params={"text": "hello"}, headers=USER)
    assert response.status_code == 201, response.text
    assert response.json()["created_at"] == "2030-01-02T03:04:05+00:00"
    assert (await client.get("/v1/notes", headers=USER)).json() == ["hello"]
    assert (await client.get("/v1/notes", headers={"X-User-ID": "u-2"})).json() == []


async def test_the_services_own_error_is_a_problem(
    client: httpx.AsyncClient, assert_problem: Problem
) -> None:
    for i in range(3):
        await client.post("/v1/notes", params={"text": f"n{i}"}, headers=USER)
    response = await client.post("/v1/notes", params={"text": "one more"}, headers=USER)
    assert_problem(response, 409, "note_limit")


async def test_the_libraries_errors_map_to_401_and_503(
    app: FastAPI, client: httpx.AsyncClient, assert_problem: Problem
) -> None:
    missing = await client.get("/v1/notes", headers={**USER, "X-API-Key": ""})
    assert_problem(missing, 401, "missing_api_key")
    assert missing.headers["www-authenticate"] == "ApiKey"
    wrong = await client.get("/v1/notes", headers={**USER, "X-API-Key": "x" * 30})
    assert_problem(wrong, 401, "invalid_api_key")
    await service_state(app).pool.close()  # the database is gone
    gone = await client.get("/v1/notes", headers=USER)
    assert_problem(gone, 503, "service_unavailable")
    assert gone.headers["retry-after"] == "1"


async def test_validation_unknown_routes_and_methods(
    client: httpx.AsyncClient, assert_problem: Problem
) -> None:
    assert_problem(
        await client.get("/v1/notes", headers={"X-User-ID": "a b"}), 422, "validation_error"
    )
    assert_problem(await client.get("/v1/nothing-here"), 404, "not_found")
    put = await client.put("/v1/notes", headers=USER)
    assert_problem(put, 405, "method_not_allowed")
    assert put.headers["allow"] == "GET, HEAD, POST, OPTIONS"  # the contract's "methods" row
    unauthenticated = await client.get("/v1/nothing-here", headers={"X-API-Key": ""})
    assert_problem(unauthenticated, 401, "missing_api_key")  # no probing without a key


async def test_health_and_readiness_against_the_schema_head(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    assert (await client.get("/health", headers={"X-API-Key": ""})).json() == {"status": "ok"}
    ready = await client.get("/health/ready")
    assert ready.json() == {"status": "ready", "schema_revision": "0001_notes"}
    service_state(app).schema_head = "0002_later"
    assert (await client.get("/health/ready")).status_code == 503


async def test_state_is_typed_and_complete(app: FastAPI, settings: Any) -> None:
    state = service_state(app)
    assert isinstance(state, ServiceState)
    assert state.name == "demo-service" and state.settings is settings
    assert state.rate_limiter is None  # RATE_LIMIT_PER_MINUTE=0 in the tests
    assert await state.pool.fetchval("SELECT 1") == 1


async def test_access_log_names_the_full_route_and_the_service(
    client: httpx.AsyncClient, captured_logs: Callable[[], list[dict[str, Any]]]
) -> None:
    await client.get("/v1/notes/7", headers={**USER, "X-Request-ID": "rid-1"})
    [line] = [x for x in captured_logs() if x.get("event") == "request"]
    assert line["route"] == "/v1/notes/{note_id}"
    assert line["logger"] == "demo_service.access"
    assert line["service"] == "demo-service" and line["request_id"] == "rid-1"


async def test_openapi_documents_the_services_errors(app: FastAPI) -> None:
    schema = app.openapi()
    post = schema["paths"]["/v1/notes"]["post"]["responses"]
    assert post["409"]["description"] == "`note_limit`: Too many notes"
    assert "401" in post and "503" in post
    assert "Problem" in schema["components"]["schemas"]


async def test_a_generated_request_id_is_32_hex_digits_and_logged(
    client: httpx.AsyncClient, captured_logs: Callable[[], list[dict[str, Any]]]
) -> None:
    first = await client.get("/v1/notes/7", headers=USER)
    second = await client.get("/v1/notes/7", headers=USER)
    ids = [first.headers["x-request-id"], second.headers["x-request-id"]]
    assert all(len(i) == 32 and set(i) <= set("0123456789abcdef") for i in ids)
    assert ids[0] != ids[1]
    logged = [x["request_id"] for x in captured_logs() if x.get("event") == "request"]
    assert logged == ids


def test_the_stack_starts_at_the_kits_middleware(app: FastAPI) -> None:
    """FastAPI's pass-through layers (500 page, telemetry, body limit) are dropped: the kit's
    request context renders every escaping error itself (platform_service.stack)."""
    stack: Any = app.build_middleware_stack()
    assert isinstance(stack, CorsMiddleware)
    assert isinstance(stack.app, RequestContextMiddleware)


async def test_a_root_path_still_reaches_the_routes_and_the_schema(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    """ServiceApp answers HTTP in one call only without a root path; with one, FastAPI's own
    call sets it (the schema then names it as its server) and the routes answer as before."""
    direct = await client.get("/v1/notes", headers=USER)
    app.root_path = "/tasks-api"
    behind = await client.get("/v1/notes", headers=USER)
    schema = (await client.get("/openapi.json")).json()
    assert direct.status_code == behind.status_code == 200
    assert direct.json() == behind.json()
    assert schema["servers"] == [{"url": "/tasks-api"}]


async def test_every_response_varies_on_origin_once(client: httpx.AsyncClient) -> None:
    plain = await client.get("/v1/notes", headers=USER)
    cross = await client.get("/v1/notes", headers={**USER, "Origin": "https://other.example"})
    error = await client.get("/v1/notes", headers={**USER, "X-API-Key": ""})
    for response in (plain, cross, error):
        vary = [v for k, v in response.headers.multi_items() if k == "vary"]
        assert vary == ["Origin"], (response.status_code, vary)
