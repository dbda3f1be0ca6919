"""GET /v1/tasks/{id} is answered by a fast path in front of FastAPI for the common case; the
framework route answers everything else. Both must give every request the same answer, and
both authenticate with the one function of platform_auth_apikey. These tests run the app with
the fast path and the same app without it (same database, rate limiter on) side by side.

A fast path that accepted a missing or unknown key (or any header the route refuses) fails
``test_authentication_cases_agree`` and the property test below."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from pydantic import SecretStr

from platform_auth_apikey import key_id
from task_manager.app import create_app
from task_manager.settings import Settings
from task_manager.tasks.fastpath import FastTaskReads

KEY = b"test-key-0123456789abcdef"
UNICODE_KEY = "cl\u00e9-secr\u00e8te-0123456789"
COMPARED = ("content-type", "content-length", "etag", "www-authenticate", "ratelimit-limit")
Headers = list[tuple[bytes, bytes]]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"api_keys": [*settings.api_keys, SecretStr(UNICODE_KEY)]})


@pytest.fixture
async def clients(
    settings: Settings, app: FastAPI, clock: Any
) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient]]:
    """(client of the production app, client of the same app without the fast path)."""
    slow = create_app(settings, clock=clock)
    slow.user_middleware = [m for m in slow.user_middleware if m.cls is not FastTaskReads]
    async with slow.router.lifespan_context(slow):
        clients = [
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=a, raise_app_exceptions=False),
                base_url="http://testserver",
            )
            for a in (app, slow)
        ]
        async with clients[0], clients[1]:
            yield clients[0], clients[1]


@pytest.fixture
async def tasks(clients: tuple[httpx.AsyncClient, httpx.AsyncClient]) -> dict[str, str]:
    fast, _ = clients
    made = {}
    for user in ("u-1", "u-2"):
        response = await fast.post(
            "/v1/tasks",
            json={"title": f"of {user}", "due_date": "9999-12-31T23:59:59.999999Z"},
            headers={"X-API-Key": KEY.decode(), "X-User-ID": user},
        )
        assert response.status_code == 201
        made[user] = response.json()["id"]
    return made


def _answer(response: httpx.Response) -> tuple[Any, ...]:
    body: Any = response.content
    if body and response.headers.get("content-type", "").endswith("json"):
        body = response.json()
        if isinstance(body, dict):
            body.pop("request_id", None)
    return response.status_code, body, [response.headers.get(h) for h in COMPARED]


async def _both(
    clients: tuple[httpx.AsyncClient, httpx.AsyncClient], method: str, path: str, headers: Headers
) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    fast, slow = clients
    a = await fast.request(method, path, headers=headers)
    b = await slow.request(method, path, headers=headers)
    assert a.status_code < 500 and b.status_code < 500, (a.text, b.text)
    return _answer(a), _answer(b)


def _request(task_id: str, key: list[bytes], user: list[bytes], extra: Headers) -> Headers:
    return [
        *((b"X-API-Key", k) for k in key),
        *((b"X-User-ID", u) for u in user),
        *extra,
    ]


AUTH_CASES = {
    "valid": [KEY],
    "missing": [],
    "empty": [b""],
    "unknown": [b"nope-0123456789abcdef"],
    "truncated": [KEY[:-1]],
    "repeated, both valid": [KEY, KEY],
    "repeated, valid first": [KEY, b"nope-0123456789abcdef"],
    "repeated, valid last": [b"nope-0123456789abcdef", KEY],
    "unicode key as UTF-8": [UNICODE_KEY.encode("utf-8")],
    "unicode key as Latin-1": [UNICODE_KEY.encode("latin-1")],
}


@pytest.mark.parametrize("case", list(AUTH_CASES))
@pytest.mark.parametrize("method", ["GET", "HEAD"])
async def test_authentication_cases_agree(
    clients: tuple[httpx.AsyncClient, httpx.AsyncClient],
    tasks: dict[str, str],
    case: str,
    method: str,
) -> None:
    headers = _request(tasks["u-1"], AUTH_CASES[case], [b"u-1"], [])
    fast, slow = await _both(clients, method, f"/v1/tasks/{tasks['u-1']}", headers)
    assert fast == slow
    accepted = case in ("valid", "unicode key as UTF-8")
    assert fast[0] == (200 if accepted else 401)


async def test_the_key_that_authenticates_is_the_key_rate_limited_and_logged(
    clients: tuple[httpx.AsyncClient, httpx.AsyncClient],
    tasks: dict[str, str],
    captured_logs: Any,
) -> None:
    fast, _ = clients
    path = f"/v1/tasks/{tasks['u-1']}"
    ok = await fast.get(path, headers=_request("", [KEY], [b"u-1"], []))
    twice = await fast.get(
        path, headers=_request("", [b"nope-0123456789abcdef", KEY], [b"u-1"], [])
    )
    assert ok.status_code == 200
    assert twice.status_code == 401
    assert twice.json()["code"] == "invalid_api_key"
    lines = {line["request_id"]: line for line in captured_logs() if line.get("event") == "request"}
    assert lines[ok.headers["x-request-id"]]["key_id"] == key_id(KEY.decode())
    # Neither value counts: the request spent the anonymous budget and is logged without key.
    assert lines[twice.headers["x-request-id"]]["key_id"] is None


TASK = st.sampled_from(["u-1", "u-2", "none"])
KEYS = st.lists(
    st.sampled_from([KEY, b"", b"nope-0123456789abcdef", KEY.upper(), KEY + b" ", b"\xff" * 20]),
    max_size=2,
)
USERS = st.lists(
    st.sampled_from([b"u-1", b"u-2", b"", b"u 1", b"U-1", b"u-1\xe9", b"x" * 129]), max_size=2
)
ETAGS = st.lists(
    st.sampled_from([b'"1"', b'W/"1"', b'"2"', b"*", b'"99999999999999999999"', b"1", b"\xb2"]),
    max_size=2,
)
SUFFIXES = st.sampled_from(["", "%0A", "x", "/", "%2F", "%20"])
CASING = st.sampled_from([str.lower, str.upper, lambda s: s])


@given(
    task=TASK,
    keys=KEYS,
    users=USERS,
    etags=ETAGS,
    suffix=SUFFIXES,
    method=st.sampled_from(["GET", "HEAD"]),
    upper=st.booleans(),
)
@hypothesis_settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
async def test_generated_requests_get_the_same_answer_on_both_paths(
    clients: tuple[httpx.AsyncClient, httpx.AsyncClient],
    tasks: dict[str, str],
    task: str,
    keys: list[bytes],
    users: list[bytes],
    etags: list[bytes],
    suffix: str,
    method: str,
    upper: bool,
) -> None:
    task_id = tasks.get(task, str(uuid.uuid4()))
    task_id = task_id.upper() if upper else task_id
    headers = _request(task_id, keys, users, [(b"If-None-Match", e) for e in etags])
    fast, slow = await _both(clients, method, f"/v1/tasks/{task_id}{suffix}", headers)
    assert fast == slow
