"""GET /v1/stats is answered by a fast path in front of the framework for the common case
(stats/fastpath.py); anything else goes to the FastAPI route. Both must give the client the
same answer: generated requests are sent to the production app and to the same app without
the fast path, on the same data at the same instant."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from platform_service import service_state
from platform_service.testing import FakeClock, answer_of, side_by_side
from task_manager.app import create_app
from task_manager.settings import Settings
from task_manager.stats import fastpath
from task_manager.stats.fastpath import FastStatsRoute
from task_manager.tasks import service
from task_manager.tasks.schemas import TaskCreate

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
COMPARED = ("content-type", "content-length", "vary", "ratelimit-limit", "www-authenticate")


@pytest.fixture
async def clients(
    settings: Settings, app: FastAPI, api_key: str
) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient]]:
    """(client of the production app, client of the same app without the stats fast path)."""
    service_state(app).clock = FakeClock(NOW)
    slow = create_app(settings, clock=FakeClock(NOW))
    slow.user_middleware = [m for m in slow.user_middleware if m.cls is not FastStatsRoute]
    async with side_by_side(app, slow) as pair:
        async with service_state(app).pool.acquire() as conn:
            for i, status in enumerate(["completed", "pending", "completed"]):
                data = TaskCreate(title=f"t{i}", status=status)  # type: ignore[arg-type]
                await service.create_task(conn, "u-1", data, NOW)
        yield pair


def _answer(response: httpx.Response) -> tuple[Any, ...]:
    return answer_of(response, COMPARED)


QUERY = st.sampled_from(
    [
        "tz=Europe/Madrid",
        "tz=UTC",
        "tz=Pacific/Chatham",
        "tz=Mars/Olympus",
        "tz=",
        "tz=" + "A" * 65,
        "tz=..%2F..%2Fetc",
        "days=1",
        "days=7",
        "days=366",
        "days=367",
        "days=0",
        "days=07",
        "days=x",
        "other=1",
    ]
)
KEYS = st.sampled_from([["key"], ["key"], [], ["nope-0123456789abcdef"], ["key", "key"]])
USERS = st.sampled_from([["u-1"], ["u-1"], ["u-2"], [], ["u 1"], ["u-1", "u-1"]])


@given(parts=st.lists(QUERY, max_size=3), keys=KEYS, users=USERS)
@hypothesis_settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
async def test_generated_stats_requests_get_the_same_answer_on_both_paths(
    clients: tuple[httpx.AsyncClient, httpx.AsyncClient],
    api_key: str,
    parts: list[str],
    keys: list[str],
    users: list[str],
) -> None:
    headers = [("X-API-Key", api_key if k == "key" else k) for k in keys]
    headers += [("X-User-ID", u) for u in users]
    path = "/v1/stats?" + "&".join(parts)
    fast = await clients[0].get(path, headers=headers)
    slow = await clients[1].get(path, headers=headers)
    assert fast.status_code < 500 and slow.status_code < 500
    assert _answer(fast) == _answer(slow)


async def test_the_common_case_is_the_fast_paths_answer(
    clients: tuple[httpx.AsyncClient, httpx.AsyncClient], api_key: str, monkeypatch: Any
) -> None:
    answered: list[str] = []
    real = fastpath.stats_response  # the fast path's own reference (the route imports its own)

    def spy(*args: Any, **kwargs: Any) -> Any:
        answered.append("fast")
        return real(*args, **kwargs)

    monkeypatch.setattr(fastpath, "stats_response", spy)
    fast, _ = clients
    response = await fast.get(
        "/v1/stats?tz=Europe/Madrid&days=7", headers={"X-API-Key": api_key, "X-User-ID": "u-1"}
    )
    assert response.status_code == 200
    assert response.json()["completed"] == 2 and len(response.json()["daily_completions"]) == 7
    assert answered == ["fast"]
