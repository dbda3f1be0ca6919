"""The change feed over HTTP: one event per committed change, its shape, cursors, scopes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
from fastapi import FastAPI

from platform_service import service_state

USER = {"X-User-ID": "u-42"}
OTHER = {"X-User-ID": "u-7"}
START_NOW = datetime(2026, 11, 27, 10, 0, 0, tzinfo=UTC)


async def feed(client: httpx.AsyncClient, **params: Any) -> dict[str, Any]:
    headers = params.pop("headers", {})
    response = await client.get("/v1/events", params=params, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def all_events(client: httpx.AsyncClient, **params: Any) -> list[dict[str, Any]]:
    page = await feed(client, **params)
    return list(page["items"])


async def test_each_change_appends_one_event_with_type_changes_and_snapshot(
    client: httpx.AsyncClient, clock: Any
) -> None:
    created = (await client.post("/v1/tasks", json={"title": "Feed"}, headers=USER)).json()
    path = f"/v1/tasks/{created['id']}"
    clock.advance(minutes=1)
    await client.patch(path, json={"status": "completed", "title": "Fed"}, headers=USER)
    await client.patch(path, json={"priority": "high"}, headers=USER)
    await client.patch(path, json={"status": "pending"}, headers=USER)
    last = (await client.get(path, headers=USER)).json()
    assert (await client.delete(path, headers=USER)).status_code == 204

    events = await all_events(client)
    assert [e["type"] for e in events] == [
        "task.created",
        "task.completed",
        "task.updated",
        "task.reopened",
        "task.deleted",
    ]
    assert [e["task_version"] for e in events] == [1, 2, 3, 4, 5]
    assert events[0]["data"] == {"task": created, "changes": {}}
    completed = events[1]
    changed = {"status", "title", "completed_at", "completion_count"}
    assert set(completed["data"]["changes"]) == changed
    assert completed["data"]["changes"]["completion_count"] == {"from": 0, "to": 1}
    assert completed["data"]["changes"]["title"] == {"from": "Feed", "to": "Fed"}
    assert completed["data"]["completion"]["completed_at"] == "2026-11-27T10:01:00Z"
    assert completed["data"]["completion"]["on_time"] is None  # no due date
    # The ledger's completion: the reopen removed the very one the completion recorded.
    assert len(completed["data"]["completion"]["id"]) == 36
    assert events[3]["data"]["completion"]["id"] == completed["data"]["completion"]["id"]
    assert "completion" not in events[2]["data"]
    assert events[3]["data"]["completion"]["completed_at"] == "2026-11-27T10:01:00Z"
    assert events[4]["data"] == {"task": last, "changes": {}}
    assert events[4]["occurred_at"] == "2026-11-27T10:01:00Z"
    assert all(e["user_id"] == "u-42" and e["task_id"] == created["id"] for e in events)


async def test_requests_that_change_nothing_append_nothing(client: httpx.AsyncClient) -> None:
    created = (await client.post("/v1/tasks", json={"title": "A"}, headers=USER)).json()
    path = f"/v1/tasks/{created['id']}"
    await client.patch(path, json={}, headers=USER)
    await client.patch(path, json={"title": "A"}, headers=USER)
    assert (await client.patch(path, json={"title": ""}, headers=USER)).status_code == 422
    wrong = {**USER, "If-Match": '"9"'}
    assert (await client.patch(path, json={"title": "B"}, headers=wrong)).status_code == 412
    assert (await client.delete(path, headers=wrong)).status_code == 412
    key = {**USER, "Idempotency-Key": "k1"}
    await client.post("/v1/tasks", json={"title": "once"}, headers=key)
    await client.post("/v1/tasks", json={"title": "once"}, headers=key)
    assert [e["type"] for e in await all_events(client)] == ["task.created", "task.created"]


async def test_a_rolled_back_change_leaves_no_event(app: FastAPI) -> None:
    from task_manager.tasks import service
    from task_manager.tasks.schemas import TaskCreate

    pool = service_state(app).pool
    async with pool.acquire() as conn:
        tx = conn.transaction()
        await tx.start()
        await service.create_task(conn, "u-42", TaskCreate(title="x"), START_NOW)
        assert await conn.fetchval("SELECT count(*) FROM events") == 1
        await tx.rollback()
        assert await conn.fetchval("SELECT count(*) FROM events") == 0


async def test_following_the_cursor_polls_and_continues(client: httpx.AsyncClient) -> None:
    for i in range(5):
        await client.post("/v1/tasks", json={"title": f"t{i}"}, headers=USER)
    first = await feed(client, limit=2)
    assert len(first["items"]) == 2
    second = await feed(client, limit=10, after=first["next_cursor"])
    assert len(second["items"]) == 3
    empty = await feed(client, after=second["next_cursor"])
    assert empty["items"] == [] and empty["next_cursor"] == second["next_cursor"]
    await client.post("/v1/tasks", json={"title": "new"}, headers=USER)
    later = await feed(client, after=empty["next_cursor"])
    assert [e["data"]["task"]["title"] for e in later["items"]] == ["new"]


async def test_cursor_endpoint_marks_the_end(client: httpx.AsyncClient) -> None:
    await client.post("/v1/tasks", json={"title": "before"}, headers=USER)
    end = (await client.get("/v1/events/cursor")).json()["cursor"]
    await client.post("/v1/tasks", json={"title": "after"}, headers=USER)
    page = await feed(client, after=end)
    assert [e["data"]["task"]["title"] for e in page["items"]] == ["after"]


async def test_user_scope_and_type_filter(client: httpx.AsyncClient) -> None:
    mine = (await client.post("/v1/tasks", json={"title": "mine"}, headers=USER)).json()
    await client.post("/v1/tasks", json={"title": "theirs"}, headers=OTHER)
    await client.patch(f"/v1/tasks/{mine['id']}", json={"status": "completed"}, headers=USER)
    scoped = await feed(client, headers=USER)
    assert [e["type"] for e in scoped["items"]] == ["task.created", "task.completed"]
    assert len((await feed(client))["items"]) == 3
    completed = await feed(client, type="task.completed")
    assert [e["user_id"] for e in completed["items"]] == ["u-42"]
    bad = await client.get("/v1/events", params={"type": "task.exploded"})
    assert bad.status_code == 422


async def test_cursors_are_scoped_and_tamper_evident(client: httpx.AsyncClient) -> None:
    await client.post("/v1/tasks", json={"title": "x"}, headers=USER)
    scoped = (await feed(client, headers=USER))["next_cursor"]
    unscoped = (await feed(client))["next_cursor"]
    for cursor, headers in ((scoped, OTHER), (scoped, {}), (unscoped, USER)):
        answer = await client.get("/v1/events", params={"after": cursor}, headers=headers)
        assert answer.status_code == 400
        assert answer.json()["code"] == "invalid_cursor"
    tampered = ("A" if scoped[0] != "A" else "B") + scoped[1:]
    answer = await client.get("/v1/events", params={"after": tampered}, headers=USER)
    assert answer.json()["code"] == "invalid_cursor"
    assert (await client.get("/v1/events", params={"after": "junk"})).status_code == 400


async def test_expired_cursor_answers_410(app: FastAPI, client: httpx.AsyncClient) -> None:
    from task_manager.events import service

    await client.post("/v1/tasks", json={"title": "old"}, headers=USER)
    start = (await feed(client))["next_cursor"]
    await client.post("/v1/tasks", json={"title": "old too"}, headers=USER)
    await feed(client)  # stamps it (only stamped events are purged)
    pool = service_state(app).pool
    async with pool.acquire() as conn:
        deleted = await service.purge_expired(
            conn, now=START_NOW.replace(year=2027), retention_days=30
        )
    assert deleted == 2
    answer = await client.get("/v1/events", params={"after": start})
    assert answer.status_code == 410
    assert answer.json()["code"] == "cursor_expired"
    fresh = await feed(client)  # from the oldest retained event: valid, empty
    assert fresh["items"] == []
    assert (await client.get("/v1/events", params={"after": fresh["next_cursor"]})).is_success


async def test_completing_a_daily_carries_what_a_game_needs(
    client: httpx.AsyncClient, clock: Any
) -> None:
    """task.completed of a recurring task: the ledger's completion with on_time, streak and
    the next due date, and the task already moved to its next occurrence."""
    daily = {"rule": "FREQ=DAILY", "tz": "Europe/Madrid"}
    body = {"title": "Feed the cat", "due_date": "2026-11-27T18:00:00Z", "recurrence": daily}
    task = (await client.post("/v1/tasks", json=body, headers=USER)).json()
    path = f"/v1/tasks/{task['id']}"
    done = await client.patch(path, json={"status": "completed"}, headers=USER)
    assert done.status_code == 200
    ledger = (await client.get(f"{path}/completions", headers=USER)).json()["items"]

    completed = (await all_events(client))[-1]
    assert completed["type"] == "task.completed"
    completion = completed["data"]["completion"]
    assert completion["id"] == ledger[0]["id"]
    assert completion["on_time"] is True
    assert completion["streak"] == 1
    assert completion["due_date"] == "2026-11-27T18:00:00Z"
    assert completion["next_due_date"] == "2026-11-28T18:00:00Z"
    assert completed["data"]["task"] == done.json()
    assert completed["data"]["changes"]["due_date"] == {
        "from": "2026-11-27T18:00:00Z",
        "to": "2026-11-28T18:00:00Z",
    }
    assert "status" not in completed["data"]["changes"]  # pending -> pending

    undone = await client.delete(f"{path}/completions/{ledger[0]['id']}", headers=USER)
    assert undone.status_code == 200
    reopened = (await all_events(client))[-1]
    assert reopened["type"] == "task.reopened"
    assert reopened["data"]["completion"]["id"] == ledger[0]["id"]
    assert reopened["task_version"] == completed["task_version"] + 1
