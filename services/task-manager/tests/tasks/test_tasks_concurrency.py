"""Idempotent creates, conditional writes and paging under concurrency, and user isolation."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
from fastapi import FastAPI

from platform_service import service_state
from task_manager.tasks import idempotency, service, writes

U1 = {"X-User-ID": "u-1"}
U2 = {"X-User-ID": "u-2"}
OTHER_KEY = "other-key-0123456789abcdef"  # the second key the test settings accept


async def count_tasks(app: FastAPI) -> int:
    async with service_state(app).pool.acquire() as conn:
        total: int = await conn.fetchval("SELECT count(*) FROM tasks")
        return total


async def test_idempotent_create_replays_the_first_response(
    client: httpx.AsyncClient, app: FastAPI, clock: Any
) -> None:
    headers = {**U1, "Idempotency-Key": "k-1"}
    first = await client.post("/v1/tasks", json={"title": "x", "tags": ["A"]}, headers=headers)
    assert first.status_code == 201
    clock.advance(hours=23, minutes=59)
    again = await client.post(
        "/v1/tasks",
        json={"title": " x ", "tags": ["a", "a"], "status": "pending"},  # same, normalised
        headers=headers,
    )
    assert again.status_code == 201
    assert again.content == first.content
    assert again.headers["location"] == first.headers["location"]
    assert again.headers["etag"] == first.headers["etag"]
    assert await count_tasks(app) == 1


async def test_replay_is_the_first_response_even_after_changes(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    headers = {**U1, "Idempotency-Key": "k-1"}
    first = await client.post("/v1/tasks", json={"title": "x"}, headers=headers)
    await client.patch(first.headers["location"], json={"title": "y"}, headers=U1)
    again = await client.post("/v1/tasks", json={"title": "x"}, headers=headers)
    assert again.status_code == 201 and again.json()["title"] == "x"
    assert await count_tasks(app) == 1


async def test_same_key_other_body_is_a_mismatch(
    client: httpx.AsyncClient, app: FastAPI, assert_problem: Any
) -> None:
    headers = {**U1, "Idempotency-Key": "k-1"}
    assert (await client.post("/v1/tasks", json={"title": "x"}, headers=headers)).is_success
    other = await client.post("/v1/tasks", json={"title": "y"}, headers=headers)
    assert_problem(other, 422, "idempotency_key_mismatch")
    assert await count_tasks(app) == 1


async def test_keys_are_scoped_to_user_and_api_key(client: httpx.AsyncClient, app: FastAPI) -> None:
    body = {"title": "x"}
    a = await client.post("/v1/tasks", json=body, headers={**U1, "Idempotency-Key": "k"})
    b = await client.post("/v1/tasks", json=body, headers={**U2, "Idempotency-Key": "k"})
    c = await client.post(
        "/v1/tasks", json=body, headers={**U1, "Idempotency-Key": "k", "X-API-Key": OTHER_KEY}
    )
    assert {a.status_code, b.status_code, c.status_code} == {201}
    assert len({a.json()["id"], b.json()["id"], c.json()["id"]}) == 3
    assert await count_tasks(app) == 3


async def test_keys_expire_after_24_hours_and_are_cleaned(
    client: httpx.AsyncClient, app: FastAPI, clock: Any
) -> None:
    headers = {**U1, "Idempotency-Key": "k-1"}
    first = await client.post("/v1/tasks", json={"title": "x"}, headers=headers)
    await client.post("/v1/tasks", json={"title": "x"}, headers={**U1, "Idempotency-Key": "k-2"})
    clock.advance(hours=24)
    fresh = await client.post("/v1/tasks", json={"title": "other"}, headers=headers)
    assert fresh.status_code == 201 and fresh.json()["id"] != first.json()["id"]
    async with service_state(app).pool.acquire() as conn:
        keys = await conn.fetch("SELECT key FROM idempotency_keys ORDER BY key")
    assert [r["key"] for r in keys] == ["k-1"]  # k-2 expired and was dropped by the create


async def test_invalid_idempotency_key(client: httpx.AsyncClient, assert_problem: Any) -> None:
    for key in ("", "x" * 256, "bad\x7fkey"):
        response = await client.post(
            "/v1/tasks", json={"title": "x"}, headers={**U1, "Idempotency-Key": key}
        )
        problem = assert_problem(response, 422, "validation_error")
        assert problem["errors"][0]["loc"] == ["header", "Idempotency-Key"]
    ok = await client.post(
        "/v1/tasks", json={"title": "x"}, headers={**U1, "Idempotency-Key": "x" * 255}
    )
    assert ok.status_code == 201


async def test_concurrent_creates_with_one_key_create_one_task(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    headers = {**U1, "Idempotency-Key": "race"}
    responses = await asyncio.gather(
        *(client.post("/v1/tasks", json={"title": "x"}, headers=headers) for _ in range(20))
    )
    assert await count_tasks(app) == 1
    created = [r for r in responses if r.status_code == 201]
    assert created, [r.text for r in responses]
    assert {r.json()["id"] for r in created} == {created[0].json()["id"]}
    for r in responses:
        assert r.status_code in (201, 409), r.text
        if r.status_code == 409:
            assert r.json()["code"] == "idempotency_key_in_use"


async def test_key_held_by_a_running_request_is_in_use(
    client: httpx.AsyncClient,
    app: FastAPI,
    api_key: str,
    assert_problem: Any,
    monkeypatch: Any,
    clock: Any,
) -> None:
    monkeypatch.setattr(idempotency, "IDEMPOTENCY_LOCK_TIMEOUT_MS", 100)
    key_id = service_state(app).key_source.keys().verify(api_key)
    async with service_state(app).pool.acquire() as conn, conn.transaction():
        # a first request that claimed the key and has not finished yet
        await conn.execute(
            "INSERT INTO idempotency_keys VALUES ($1, 'u-1', 'busy', ''::bytea, 201, ''::bytea, "
            "'{}', $2::timestamptz, $2::timestamptz + interval '1 day')",
            key_id,
            clock.now(),
        )
        response = await client.post(
            "/v1/tasks", json={"title": "x"}, headers={**U1, "Idempotency-Key": "busy"}
        )
        assert_problem(response, 409, "idempotency_key_in_use")
        assert response.headers["retry-after"] == "1"
    assert await count_tasks(app) == 0


async def test_concurrent_conditional_patches_one_wins(
    client: httpx.AsyncClient, create_task: Any
) -> None:
    task = await create_task("u-1")
    path = f"/v1/tasks/{task['id']}"
    responses = await asyncio.gather(
        *(
            client.patch(path, json={"title": f"v{i}"}, headers={**U1, "If-Match": '"1"'})
            for i in range(20)
        )
    )
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] + [412] * 19
    winner = next(r for r in responses if r.status_code == 200)
    current = await client.get(path, headers=U1)
    assert current.json() == winner.json() and current.json()["version"] == 2


async def test_concurrent_patches_of_one_task_lose_no_update(
    client: httpx.AsyncClient, create_task: Any
) -> None:
    """Unconditional writers of one task: each one-statement write is guarded by the version
    it was decided from; the losers of a race decide again (and, on a hot task, lock). Every
    PATCH lands once, with its own version, and the feed has one event per version."""
    task = await create_task("u-1")
    path = f"/v1/tasks/{task['id']}"
    tags = [f"t{i}" for i in range(20)]
    responses = await asyncio.gather(
        *(client.patch(path, json={"title": tag}, headers=U1) for tag in tags)
    )
    assert [r.status_code for r in responses] == [200] * 20
    assert sorted(r.json()["version"] for r in responses) == list(range(2, 22))
    final = (await client.get(path, headers=U1)).json()
    assert final["version"] == 21
    latest = max(responses, key=lambda r: r.json()["version"])
    assert final["title"] == latest.json()["title"]
    feed = (await client.get("/v1/events", params={"limit": 100}, headers=U1)).json()["items"]
    versions = [e["task_version"] for e in feed if e["task_id"] == task["id"]]
    assert versions == list(range(1, 22))


async def test_a_write_that_keeps_losing_its_race_locks_the_task(
    client: httpx.AsyncClient, app: FastAPI, create_task: Any, monkeypatch: Any
) -> None:
    """After OPTIMISTIC_ATTEMPTS lost races the task is read FOR UPDATE in a transaction."""
    task = await create_task("u-1")
    real_write, lost, locked = writes.write, [], []

    async def losing(conn: Any, change: writes.Write, wakeup: Any = None) -> bool:
        if not conn.is_in_transaction():
            lost.append(change)
            async with service_state(app).pool.acquire() as other:
                await other.execute(  # another writer moves the task on
                    "UPDATE tasks SET version = version + 1 WHERE id = $1", uuid.UUID(task["id"])
                )
            return False
        locked.append(change)
        return await real_write(conn, change, wakeup)

    monkeypatch.setattr(writes, "write", losing)
    response = await client.patch(f"/v1/tasks/{task['id']}", json={"title": "x"}, headers=U1)
    assert response.status_code == 200
    assert len(lost) == service.OPTIMISTIC_ATTEMPTS and len(locked) == 1
    assert response.json()["version"] == 1 + service.OPTIMISTIC_ATTEMPTS + 1
    assert response.json()["title"] == "x"


async def test_paging_is_exactly_once_while_tasks_come_and_go(
    client: httpx.AsyncClient, create_task: Any, clock: Any
) -> None:
    original = []
    for i in range(30):
        original.append((await create_task("u-1", title=f"o{i}", priority="high"))["id"])
        if i % 3:
            clock.advance(seconds=1)  # some created_at ties, broken by id
    deleted: set[str] = set()
    for sort in ("-created_at", "due_date", "-priority"):
        seen: list[str] = []
        cursor = None
        while True:
            params: dict[str, Any] = {"limit": 4, "sort": sort}
            if cursor:
                params["cursor"] = cursor
            page = (await client.get("/v1/tasks", params=params, headers=U1)).json()
            seen += [t["id"] for t in page["items"] if t["title"].startswith("o")]
            # between pages: new tasks (some sorting before, some after) and deletions
            clock.advance(seconds=1)
            await create_task("u-1", title="new", priority="urgent")
            await create_task("u-1", title="new", priority="low", due_date="2020-01-01T00:00:00Z")
            victim = next(
                (i for i in reversed(original) if i not in deleted and i not in seen), None
            )
            if victim:
                assert (await client.delete(f"/v1/tasks/{victim}", headers=U1)).status_code == 204
                deleted.add(victim)
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert len(seen) == len(set(seen)), sort  # nothing twice
        survivors = [i for i in original if i not in deleted]
        assert set(survivors) <= set(seen), sort  # everything that stayed, once


async def test_user_b_cannot_see_or_touch_user_a(
    client: httpx.AsyncClient, create_task: Any, assert_problem: Any
) -> None:
    task = await create_task("u-1", title="secret", tags=["x"])
    for i in range(3):
        await create_task("u-1", title=f"t{i}")
    path = f"/v1/tasks/{task['id']}"
    unknown = f"/v1/tasks/{uuid.uuid4()}"

    def same_as_unknown(mine: httpx.Response, theirs: httpx.Response) -> None:
        a, b = assert_problem(mine, 404, "task_not_found"), theirs.json()
        assert (a["code"], a["title"], a["status"]) == (b["code"], b["title"], b["status"])
        assert a["detail"].replace(task["id"], "ID") == b["detail"].replace(unknown[10:], "ID")

    same_as_unknown(await client.get(path, headers=U2), await client.get(unknown, headers=U2))
    same_as_unknown(
        await client.patch(path, json={"title": "pwned"}, headers=U2),
        await client.patch(unknown, json={"title": "pwned"}, headers=U2),
    )
    same_as_unknown(
        await client.patch(path, json={}, headers={**U2, "If-Match": '"1"'}),
        await client.patch(unknown, json={}, headers={**U2, "If-Match": '"1"'}),
    )
    same_as_unknown(
        await client.delete(path, headers={**U2, "If-Match": '"9"'}),
        await client.delete(unknown, headers={**U2, "If-Match": '"9"'}),
    )
    same_as_unknown(await client.delete(path, headers=U2), await client.delete(unknown, headers=U2))
    assert (await client.get("/v1/tasks", headers=U2)).json() == {"items": [], "next_cursor": None}
    assert (await client.get("/v1/tasks?q=secret&tag=x", headers=U2)).json()["items"] == []
    # A's cursor is refused for B, even with the same query
    cursor = (await client.get("/v1/tasks?limit=1", headers=U1)).json()["next_cursor"]
    response = await client.get("/v1/tasks", params={"limit": 1, "cursor": cursor}, headers=U2)
    assert_problem(response, 400, "invalid_cursor")
    # and A's task is untouched
    assert (await client.get(path, headers=U1)).json() == task
