"""Per-key rate limiting: RateLimit-* headers on every /v1 response, 429 beyond the budget."""

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from platform_service import service_state
from task_manager.app import create_app
from task_manager.settings import Settings

LIMIT = 3  # a request every 20 s, bursts of 3


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeMonotonic:
    return FakeMonotonic()


@pytest.fixture
async def limited_app(settings: Settings, clock: FakeMonotonic) -> AsyncIterator[FastAPI]:
    application = create_app(settings.model_copy(update={"rate_limit_per_minute": LIMIT}))
    service_state(application).rate_limiter.monotonic = clock
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def limited(limited_app: FastAPI, api_key: str) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=limited_app, raise_app_exceptions=False)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", headers={"X-API-Key": api_key}
    ) as c:
        yield c


def budget(response: httpx.Response) -> tuple[int, int, int]:
    h = response.headers
    return int(h["ratelimit-limit"]), int(h["ratelimit-remaining"]), int(h["ratelimit-reset"])


async def test_budget_is_spent_then_429_with_retry_after(
    limited: httpx.AsyncClient, clock: FakeMonotonic
) -> None:
    seen = []
    for _ in range(LIMIT):
        response = await limited.get("/v1/nope")
        assert response.status_code == 404  # authenticated, no such route
        seen.append(budget(response))
    assert seen == [(3, 2, 20), (3, 1, 40), (3, 0, 60)]

    refused = await limited.get("/v1/nope")
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    body = refused.json()
    assert body["code"] == "rate_limited"
    assert body["request_id"] == refused.headers["x-request-id"]
    assert refused.headers["retry-after"] == "20"
    assert budget(refused) == (3, 0, 60)

    clock.now += 19.5
    assert (await limited.get("/v1/nope")).headers["retry-after"] == "1"
    clock.now += 0.5  # one request regained every 20 s
    again = await limited.get("/v1/nope")
    assert again.status_code == 404
    assert budget(again) == (3, 0, 60)
    clock.now += 60
    assert budget(await limited.get("/v1/nope")) == (3, 2, 20)  # whole budget back


async def test_each_key_has_its_own_budget_and_bad_keys_share_one(
    limited: httpx.AsyncClient,
) -> None:
    for _ in range(LIMIT):
        await limited.get("/v1/nope")
    assert (await limited.get("/v1/nope")).status_code == 429
    other = {"X-API-Key": "other-key-0123456789abcdef"}
    assert (await limited.get("/v1/nope", headers=other)).status_code == 404

    statuses = []
    for key in ("guess-1-0000000000000000", "guess-2-0000000000000000", "", "guess-3"):
        response = await limited.get("/v1/nope", headers={"X-API-Key": key})
        statuses.append(response.status_code)
        assert "ratelimit-remaining" in response.headers  # 401s carry the headers too
    assert statuses == [401, 401, 401, 429]
    assert (await limited.get("/v1/nope", headers=other)).status_code == 404


async def test_errors_outside_the_router_carry_the_headers_too(
    limited: httpx.AsyncClient,
) -> None:
    too_big = await limited.post("/v1/nope", content=b"x" * 70_000)
    assert too_big.status_code == 413
    assert budget(too_big) == (3, 2, 20)


async def test_health_is_not_limited(limited: httpx.AsyncClient) -> None:
    for _ in range(LIMIT + 2):
        response = await limited.get("/health")
        assert response.status_code == 200
        assert "ratelimit-limit" not in response.headers


async def test_zero_disables_the_limit(client: httpx.AsyncClient, app: FastAPI) -> None:
    assert service_state(app).settings.rate_limit_per_minute == 0
    for _ in range(10):
        response = await client.get("/v1/nope")
        assert response.status_code == 404
        assert "ratelimit-limit" not in response.headers


async def test_browsers_may_read_the_rate_limit_headers(
    limited: httpx.AsyncClient, allowed_origin: str
) -> None:
    response = await limited.get("/v1/nope", headers={"Origin": allowed_origin})
    assert response.headers["access-control-allow-origin"] == allowed_origin
    exposed = {
        h.strip().lower() for h in response.headers["access-control-expose-headers"].split(",")
    }
    assert {"ratelimit-limit", "ratelimit-remaining", "ratelimit-reset", "retry-after"} <= exposed
    assert budget(response)[0] == LIMIT
