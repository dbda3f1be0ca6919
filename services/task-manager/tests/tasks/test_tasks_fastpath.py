"""GET /v1/tasks/{id} is answered by a fast path in front of the framework for the common
case (tasks/fastpath.py); a repeated header sends the request through the FastAPI route. Both
must give the client the same answer."""

from __future__ import annotations

from typing import Any

import httpx

COMPARED = ("content-type", "content-length", "etag", "vary", "x-request-id", "ratelimit-limit")


def _through_framework(headers: dict[str, str]) -> list[tuple[str, str]]:
    # A repeated header is one the fast path leaves to the framework.
    return [*headers.items(), ("Accept", "application/json"), ("Accept", "*/*")]


async def test_get_answers_alike_on_both_paths(client: httpx.AsyncClient, create_task: Any) -> None:
    task = await create_task("u-1", title="Fast", tags=["a"], due_date="2027-01-01T00:00:00Z")
    path = f"/v1/tasks/{task['id']}"
    headers = {"X-User-ID": "u-1", "X-Request-ID": "same-id"}
    fast = await client.get(path, headers=headers)
    slow = await client.get(path, headers=_through_framework(headers))
    assert fast.status_code == slow.status_code == 200
    assert fast.json() == slow.json() == task
    assert fast.content == slow.content
    for name in COMPARED:
        assert fast.headers.get(name) == slow.headers.get(name), name
    # Every header, in order (the fast path sends its own header list, not a Response's).
    assert _stable(fast) == _stable(slow)


def _stable(response: httpx.Response) -> list[tuple[bytes, bytes]]:
    """The response's headers, but the rate limit's counters (one request apart)."""
    moving = {b"ratelimit-remaining", b"ratelimit-reset"}
    return [(k.lower(), v) for k, v in response.headers.raw if k.lower() not in moving]


async def test_not_modified_alike_on_both_paths(
    client: httpx.AsyncClient, create_task: Any
) -> None:
    task = await create_task("u-1")
    path = f"/v1/tasks/{task['id']}"
    headers = {"X-User-ID": "u-1", "If-None-Match": '"1"'}
    fast = await client.get(path, headers=headers)
    slow = await client.get(path, headers=_through_framework(headers))
    assert fast.status_code == slow.status_code == 304
    assert fast.content == slow.content == b""
    assert fast.headers["etag"] == slow.headers["etag"] == '"1"'
    assert _stable(fast)[0] == (b"etag", b'"1"')
    assert [k for k, _ in _stable(fast)] == [k for k, _ in _stable(slow)]


async def test_another_users_task_is_not_found_on_the_fast_path(
    client: httpx.AsyncClient, create_task: Any
) -> None:
    task = await create_task("u-1")
    response = await client.get(f"/v1/tasks/{task['id']}", headers={"X-User-ID": "u-2"})
    assert response.status_code == 404
    assert response.json()["code"] == "task_not_found"


async def test_the_list_fast_path_uses_the_routes_default_filters() -> None:
    # Built once at import; must stay what the route's dependency gives for an empty query.
    from task_manager.tasks.fastpath import DEFAULT_FILTERS
    from task_manager.tasks.query import list_filters

    assert await list_filters() == DEFAULT_FILTERS
