"""GET /v1/tasks/{id} is answered by a fast path in front of FastAPI for the common case; the
framework route answers everything else. Both must give every request the same answer, and
both authenticate with the one function of platform_auth_apikey. These tests run the app with
the fast path and the same app without it (same database, rate limiter on) side by side.

A fast path that accepted a missing or unknown key (or any header the route refuses) fails
``test_authentication_cases_agree`` and the property test below."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import orjson
import pytest
from fastapi import FastAPI
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from pydantic import SecretStr

from platform_auth_apikey import key_id
from platform_service.testing import answer_of, side_by_side
from task_manager.app import create_app
from task_manager.settings import Settings
from task_manager.tasks import fastpath
from task_manager.tasks.fastpath import FastTaskRoutes

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
    slow.user_middleware = [m for m in slow.user_middleware if m.cls is not FastTaskRoutes]
    async with side_by_side(app, slow) as pair:
        yield pair


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
    return answer_of(response, COMPARED)


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
    keys=st.just([KEY]) | KEYS,  # half of the examples authenticate: the fast path's own
    users=st.just([b"u-1"]) | USERS,
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


# --- writes: POST /v1/tasks and PATCH /v1/tasks/{id} ----------------------------------------
BODIES = st.sampled_from(
    [
        b'{"title": "Water the plants"}',
        b'{"title": "Daily", "due_date": "2026-12-01T07:00:00Z", "recurrence": '
        b'{"rule": "FREQ=DAILY", "tz": "Europe/Madrid"}}',
        b'{"title": "Daily", "recurrence": {"rule": "FREQ=DAILY"}}',  # a rule's 422
        b'{"status": "completed"}',
        b'{"status": "completed", "title": "done"}',
        b'{"priority": "urgent"}',
        b'{"title": null}',
        b'{"title": ""}',
        b'{"tags": ["a", "a"]}',
        b'{"due_date": "0000-01-01T00:00:00Z"}',
        b"{}",
        b"[]",
        b"",
        b"{not json",
        '{"title": "caf\u00e9 \u732b"}'.encode(),
    ]
)
CONTENT_TYPES = st.sampled_from(
    [[b"application/json"], [b"application/merge-patch+json"], [b"text/plain"], []]
)
IDEMPOTENCY = st.sampled_from([[], [b"key-1"], [b""]])


_UUID = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _normalised(answer: tuple[Any, ...]) -> tuple[Any, ...]:
    """The answer with the ids (each side writes its own tasks) replaced by a placeholder."""
    text = orjson.dumps(answer[1]) if not isinstance(answer[1], bytes) else answer[1]
    return answer[0], _UUID.sub(b"<id>", text), answer[2]


@given(
    method=st.sampled_from(["POST", "PATCH"]),
    # Half of the examples authenticate (one valid key, one valid user): the writes the fast
    # path answers itself; the other half mostly fall through.
    keys=st.just([KEY]) | KEYS,
    users=st.just([b"u-1"]) | USERS,
    etags=st.just([]) | ETAGS,
    body=BODIES,
    content_type=st.just([b"application/json"]) | CONTENT_TYPES,
    idempotency=st.just([]) | IDEMPOTENCY,
)
@hypothesis_settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
async def test_generated_writes_get_the_same_answer_on_both_paths(
    clients: tuple[httpx.AsyncClient, httpx.AsyncClient],
    method: str,
    keys: list[bytes],
    users: list[bytes],
    etags: list[bytes],
    body: bytes,
    content_type: list[bytes],
    idempotency: list[bytes],
) -> None:
    """Each side writes its own, identical task (same clock), so both start from the same
    state; the answers must be the same but for the task's id."""
    answers = []
    made: dict[str, str] = {}
    for side, client in zip(("fast", "slow"), clients, strict=True):
        created = await client.post(
            "/v1/tasks",
            json={"title": "Feed the cat", "due_date": "2026-12-01T07:00:00Z"},
            headers={"X-API-Key": KEY.decode(), "X-User-ID": "u-1"},
        )
        assert created.status_code == 201
        made[side] = created.json()["id"]
        extra: Headers = [(b"Content-Type", c) for c in content_type]
        extra += [(b"If-Match", e) for e in etags]
        key_headers = [(b"Idempotency-Key", k + side.encode()) for k in idempotency if k]
        extra += key_headers + [(b"Idempotency-Key", k) for k in idempotency if not k]
        path = "/v1/tasks" if method == "POST" else f"/v1/tasks/{made[side]}"
        response = await client.request(
            method, path, headers=_request("", keys, users, extra), content=body
        )
        assert response.status_code < 500, response.text
        if response.status_code == 201:
            made[side + "-new"] = response.json()["id"]
            assert response.headers["location"] == f"/v1/tasks/{made[side + '-new']}"
        answers.append(_answer(response))
    assert _normalised(answers[0]) == _normalised(answers[1])


@pytest.mark.parametrize(
    ("if_match", "status"),
    [('"1"', 200), ('"2"', 412), ("*", 200), ('W/"1"', 412), ('"1", "2"', 200), ('"2", "3"', 412)],
)
async def test_if_match_on_a_valid_patch_gets_the_same_answer_on_both_paths(
    clients: tuple[httpx.AsyncClient, httpx.AsyncClient], if_match: str, status: int
) -> None:
    """The generated writes rarely pair a valid PATCH with a stale ETag; this does, for each
    form of If-Match (a fast path that ignored the header would answer 200 to "2")."""
    headers = {"X-API-Key": KEY.decode(), "X-User-ID": "u-1"}
    answers = []
    for client in clients:
        created = await client.post("/v1/tasks", json={"title": "a"}, headers=headers)
        response = await client.patch(
            f"/v1/tasks/{created.json()['id']}",
            json={"title": "b"},
            headers={**headers, "If-Match": if_match},
        )
        answers.append(_answer(response))
        assert response.status_code == status, response.text
    assert _normalised(answers[0]) == _normalised(answers[1])


async def test_a_write_on_the_fast_path_is_the_routes_write(
    clients: tuple[httpx.AsyncClient, httpx.AsyncClient], captured_logs: Any, monkeypatch: Any
) -> None:
    """The common case is answered by the fast path (its access line names the route), with
    the event written as by the route."""
    fast, _ = clients
    answered = []
    real = fastpath.FastTaskRoutes._write

    async def spy(self: Any, scope: Any, *args: Any) -> None:
        await real(self, scope, *args)
        answered.append("route" in scope and scope["route"].__class__.__name__)

    monkeypatch.setattr(fastpath.FastTaskRoutes, "_write", spy)
    headers = {"X-API-Key": KEY.decode(), "X-User-ID": "u-1"}
    created = await fast.post("/v1/tasks", json={"title": "a"}, headers=headers)
    patched = await fast.patch(
        f"/v1/tasks/{created.json()['id']}",
        json={"status": "completed"},
        headers={**headers, "If-Match": '"1"'},
    )
    assert (created.status_code, patched.status_code) == (201, 200)
    lines = {line["request_id"]: line for line in captured_logs() if line.get("event") == "request"}
    assert lines[created.headers["x-request-id"]]["route"] == "/v1/tasks"
    assert lines[patched.headers["x-request-id"]]["route"] == "/v1/tasks/{task_id}"
    feed = (await fast.get("/v1/events", headers=headers)).json()["items"]
    assert [e["type"] for e in feed] == ["task.created", "task.completed"]
    assert answered == ["SimpleNamespace", "SimpleNamespace"]  # the fast path's own answers


# --- the list: GET /v1/tasks with nothing but limit and cursor --------------------------------
QUERY_PARTS = st.sampled_from(
    [
        "limit=1",
        "limit=2",
        "limit=50",
        "limit=200",
        "limit=201",
        "limit=0",
        "limit=050",
        "limit=%2B5",
        "limit=",
        "limit=x",
        "limit=99999999999999999999",
        "cursor=",
        "cursor=nope",
        "cursor=" + "x" * 513,
        "status=pending",
        "sort=title",
        "sort=due_date",
        "unknown=1",
        "q=of",
    ]
)


@given(
    parts=st.sampled_from([["limit=2"], []]) | st.lists(QUERY_PARTS, max_size=3),
    keys=st.just([KEY]) | KEYS,
    users=st.sampled_from([[b"u-3"], [b"u-1"]]) | USERS,
    follow=st.booleans(),
)
@hypothesis_settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
async def test_generated_lists_get_the_same_answer_on_both_paths(
    clients: tuple[httpx.AsyncClient, httpx.AsyncClient],
    pages: None,
    parts: list[str],
    keys: list[bytes],
    users: list[bytes],
    follow: bool,
) -> None:
    """Only limit and cursor (each once, well-formed) are the fast path's; a filter, a sort or
    a malformed value goes to the route. Both read the same tasks: the same answer."""
    headers = _request("", keys, users, [])
    query = "&".join(parts)
    fast, slow = await _both(clients, "GET", f"/v1/tasks?{query}", headers)
    assert fast == slow
    if follow and fast[0] == 200 and fast[1]["next_cursor"]:  # the next page, both ways
        cursor = fast[1]["next_cursor"]
        fast, slow = await _both(clients, "GET", f"/v1/tasks?limit=2&cursor={cursor}", headers)
        assert fast == slow


async def test_walking_the_pages_is_the_same_on_both_paths(
    clients: tuple[httpx.AsyncClient, httpx.AsyncClient], pages: None
) -> None:
    headers = _request("", [KEY], [b"u-3"], [])
    seen: list[list[str]] = [[], []]
    for side, client in enumerate(clients):
        cursor = None
        for _ in range(10):  # three pages; a path that ignored the cursor would never end
            query = "limit=2" + (f"&cursor={cursor}" if cursor else "")
            page = (await client.get(f"/v1/tasks?{query}", headers=headers)).json()
            seen[side] += [t["title"] for t in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
    assert seen[0] == seen[1] == [f"of u-3 #{i}" for i in range(4, -1, -1)]


@pytest.fixture
async def pages(clients: tuple[httpx.AsyncClient, httpx.AsyncClient], clock: Any) -> None:
    """u-3 has five tasks, created a second apart (distinct created_at: a stable order)."""
    fast, _ = clients
    for i in range(5):
        response = await fast.post(
            "/v1/tasks",
            json={"title": f"of u-3 #{i}"},
            headers={"X-API-Key": KEY.decode(), "X-User-ID": "u-3"},
        )
        assert response.status_code == 201
        clock.advance(seconds=1)
