"""Recurring tasks and the completions ledger through the API: completing moves the task to
its next occurrence, streaks, undo, the end of a series, anchors, validation, idempotent
completions, the listing filter."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

U1 = {"X-User-ID": "u-1"}
DAILY = {"rule": "FREQ=DAILY", "tz": "Europe/Madrid"}


async def complete(client: httpx.AsyncClient, task_id: str, **headers: str) -> dict[str, Any]:
    response = await client.patch(
        f"/v1/tasks/{task_id}", json={"status": "completed"}, headers={**U1, **headers}
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def completions(client: httpx.AsyncClient, task_id: str) -> list[dict[str, Any]]:
    response = await client.get(f"/v1/tasks/{task_id}/completions", headers=U1)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def test_completing_a_daily_moves_it_on_and_keeps_a_streak(
    client: httpx.AsyncClient, create_task: Any, clock: Any
) -> None:
    # now: 2026-11-27 10:00Z (11:00 in Madrid); due 08:00 local = 07:00Z: completed late
    task = await create_task("u-1", due_date="2026-11-27T07:00:00Z", recurrence=DAILY)
    assert task["recurrence"] == {
        "rule": "FREQ=DAILY",
        "tz": "Europe/Madrid",
        "anchor": "schedule",
        "starts_at": "2026-11-27T07:00:00Z",
    }
    assert (task["streak"], task["longest_streak"], task["completion_count"]) == (0, 0, 0)
    done = await complete(client, task["id"])
    assert done["status"] == "pending"
    assert done["completed_at"] is None
    assert done["due_date"] == "2026-11-28T07:00:00Z"
    assert (done["streak"], done["longest_streak"], done["completion_count"]) == (1, 1, 1)
    assert done["version"] == 2
    assert done["recurrence"]["starts_at"] == "2026-11-27T07:00:00Z"
    # early: moves to the occurrence after the one due
    again = await complete(client, task["id"])
    assert again["due_date"] == "2026-11-29T07:00:00Z"
    assert (again["streak"], again["completion_count"]) == (2, 2)
    items = await completions(client, task["id"])
    assert [(c["due_date"], c["on_time"], c["next_due_date"], c["streak"]) for c in items] == [
        ("2026-11-28T07:00:00Z", True, "2026-11-29T07:00:00Z", 2),
        ("2026-11-27T07:00:00Z", False, "2026-11-28T07:00:00Z", 1),
    ]
    assert all(c["completed_at"] == "2026-11-27T10:00:00Z" for c in items)
    # the occurrence after the current one (11-30) falls due without a completion: streak 0
    clock.advance(days=3)
    read = (await client.get(f"/v1/tasks/{task['id']}", headers=U1)).json()
    assert (read["streak"], read["longest_streak"]) == (0, 2)
    # a late completion starts a new streak, skipping the missed occurrences
    late = await complete(client, task["id"])
    assert late["due_date"] == "2026-12-01T07:00:00Z"  # first after now (11-30 10:00Z)
    assert (late["streak"], late["longest_streak"]) == (1, 2)


async def test_undo_restores_the_previous_state_and_only_the_latest(
    client: httpx.AsyncClient, create_task: Any, assert_problem: Any
) -> None:
    task = await create_task("u-1", due_date="2026-11-27T07:00:00Z", recurrence=DAILY)
    first = await complete(client, task["id"])
    second = await complete(client, task["id"])
    newest, older = await completions(client, task["id"])
    path = f"/v1/tasks/{task['id']}/completions"
    refused = await client.delete(f"{path}/{older['id']}", headers=U1)
    assert_problem(refused, 409, "completion_not_latest")
    unknown = await client.delete(f"{path}/5b1c0000-0000-4000-8000-000000000000", headers=U1)
    assert_problem(unknown, 404, "completion_not_found")
    assert_problem(await client.delete(f"{path}/nope", headers=U1), 404, "completion_not_found")
    undone = await client.delete(f"{path}/{newest['id']}", headers=U1)
    assert undone.status_code == 200, undone.text
    body = undone.json()
    assert undone.headers["etag"] == f'"{second["version"] + 1}"'
    for name in ("due_date", "status", "completed_at", "streak", "longest_streak", "recurrence"):
        assert body[name] == first[name], name
    assert body["completion_count"] == 1
    assert [c["id"] for c in await completions(client, task["id"])] == [older["id"]]
    other_user = await client.delete(f"{path}/{older['id']}", headers={"X-User-ID": "u-2"})
    assert_problem(other_user, 404, "task_not_found")


async def test_the_end_of_a_series_completes_the_task_and_reopening_removes_it(
    client: httpx.AsyncClient, create_task: Any, clock: Any
) -> None:
    rec = {"rule": "freq=daily;count=2", "tz": "UTC"}
    task = await create_task("u-1", due_date="2026-11-27T12:00:00Z", recurrence=rec)
    assert task["recurrence"]["rule"] == "FREQ=DAILY;COUNT=2"
    first = await complete(client, task["id"])
    assert (first["status"], first["due_date"]) == ("pending", "2026-11-28T12:00:00Z")
    last = await complete(client, task["id"])
    assert last["status"] == "completed"
    assert last["completed_at"] == "2026-11-27T10:00:00Z"
    assert last["due_date"] == "2026-11-28T12:00:00Z"
    assert (last["completion_count"], last["streak"]) == (2, 2)
    assert (await completions(client, task["id"]))[0]["next_due_date"] is None
    reopened = await client.patch(f"/v1/tasks/{task['id']}", json={"status": "pending"}, headers=U1)
    body = reopened.json()
    assert (body["status"], body["completed_at"], body["completion_count"]) == ("pending", None, 1)
    assert body["streak"] == 1
    assert len(await completions(client, task["id"])) == 1


async def test_anchor_completion_counts_from_the_completion_with_month_end_clamping(
    client: httpx.AsyncClient, create_task: Any, clock: Any
) -> None:
    clock.current = clock.current.replace(month=1, day=31, hour=20)  # 2026-01-31 21:00 Madrid
    rec = {"rule": "FREQ=MONTHLY", "tz": "Europe/Madrid", "anchor": "completion"}
    task = await create_task("u-1", due_date="2026-01-20T08:30:00+01:00", recurrence=rec)
    done = await complete(client, task["id"])
    assert done["due_date"] == "2026-02-28T07:30:00Z"  # Jan 31 + 1 month, at 08:30 local
    by_rule = await client.post(
        "/v1/tasks",
        json={
            "title": "x",
            "due_date": "2026-01-20T08:30:00Z",
            "recurrence": {"rule": "FREQ=WEEKLY;BYDAY=MO", "anchor": "completion"},
        },
        headers=U1,
    )
    assert by_rule.status_code == 422


async def test_wall_clock_time_is_kept_across_dst_and_a_gap_moves_forward(
    client: httpx.AsyncClient, create_task: Any, clock: Any
) -> None:
    clock.current = clock.current.replace(month=3, day=27, hour=0)
    # 02:30 Madrid (01:30Z in winter); 2026-03-29 02:30 does not exist: 03:30 CEST = 01:30Z
    task = await create_task("u-1", due_date="2026-03-28T01:30:00Z", recurrence=DAILY)
    done = await complete(client, task["id"])
    assert done["due_date"] == "2026-03-29T01:30:00Z"
    done = await complete(client, task["id"])
    assert done["due_date"] == "2026-03-30T00:30:00Z"  # 02:30 CEST


@pytest.mark.parametrize(
    ("recurrence", "due"),
    [
        ({"rule": "FREQ=HOURLY"}, True),
        ({"rule": "FREQ=DAILY;FREQ=DAILY"}, True),
        ({"rule": "FREQ=DAILY;BYHOUR=3"}, True),
        ({"rule": "INTERVAL=2"}, True),
        ({"rule": "FREQ=DAILY;INTERVAL=0"}, True),
        ({"rule": "FREQ=DAILY;INTERVAL=367"}, True),
        ({"rule": "FREQ=WEEKLY;BYDAY=2TU"}, True),
        ({"rule": "FREQ=MONTHLY;BYDAY=6TU"}, True),
        ({"rule": "FREQ=MONTHLY;BYMONTHDAY=0"}, True),
        ({"rule": "FREQ=MONTHLY;BYMONTHDAY=32"}, True),
        ({"rule": "FREQ=YEARLY;BYMONTH=13"}, True),
        ({"rule": "FREQ=DAILY;COUNT=0"}, True),
        ({"rule": "FREQ=DAILY;COUNT=10001"}, True),
        ({"rule": "FREQ=DAILY;COUNT=3;UNTIL=20270101"}, True),
        ({"rule": "FREQ=DAILY;UNTIL=20270101T000000"}, True),
        ({"rule": "FREQ=DAILY;UNTIL=20261301"}, True),
        ({"rule": "FREQ=DAILY;UNTIL=20200101"}, True),
        ({"rule": "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"}, True),
        ({"rule": "FREQ=DAILY;INTERVAL=7;BYDAY=SU"}, True),  # due is a Friday
        ({"rule": "FREQ=DAILY", "tz": "Mars/Olympus"}, True),
        ({"rule": "FREQ=DAILY", "anchor": "sometimes"}, True),
        ({"rule": "FREQ=DAILY", "starts_at": "2026-11-27T07:00:00Z"}, True),
        ({"rule": "FREQ=DAILY"}, False),  # without a due date
    ],
)
async def test_invalid_recurrences_are_422(
    client: httpx.AsyncClient, assert_problem: Any, recurrence: dict[str, Any], due: bool
) -> None:
    body: dict[str, Any] = {"title": "x", "recurrence": recurrence}
    if due:
        body["due_date"] = "2026-11-27T07:00:00Z"
    response = await client.post("/v1/tasks", json=body, headers=U1)
    problem = assert_problem(response, 422, "validation_error")
    assert problem["errors"][0]["loc"][:2] in (["body", "recurrence"], ["body", "due_date"])


async def test_rules_are_normalised(create_task: Any) -> None:
    rule = "wkst=su;bymonth=1,3;count=5;byday=-1fr,2tu;freq=monthly;interval=2"
    task = await create_task(
        "u-1", due_date="2026-11-27T07:00:00Z", recurrence={"rule": rule, "tz": "UTC"}
    )
    assert task["recurrence"]["rule"] == (
        "FREQ=MONTHLY;INTERVAL=2;BYDAY=-1FR,2TU;BYMONTH=1,3;COUNT=5;WKST=SU"
    )


async def test_recurring_tasks_need_a_due_date_and_can_become_one_off(
    client: httpx.AsyncClient, create_task: Any, assert_problem: Any
) -> None:
    task = await create_task("u-1", due_date="2026-11-27T07:00:00Z", recurrence=DAILY)
    path = f"/v1/tasks/{task['id']}"
    cleared = await client.patch(path, json={"due_date": None}, headers=U1)
    assert_problem(cleared, 422, "validation_error")
    await complete(client, task["id"])
    one_off = (await client.patch(path, json={"recurrence": None}, headers=U1)).json()
    assert one_off["recurrence"] is None
    assert (one_off["streak"], one_off["longest_streak"]) == (None, None)
    assert one_off["due_date"] == "2026-11-28T07:00:00Z"
    assert one_off["completion_count"] == 1
    # a new due date restarts a series: starts_at follows it
    again = await client.patch(
        path, json={"recurrence": DAILY, "due_date": "2026-12-01T07:00:00Z"}, headers=U1
    )
    assert again.json()["recurrence"]["starts_at"] == "2026-12-01T07:00:00Z"


async def test_a_retried_completion_completes_once(
    client: httpx.AsyncClient, create_task: Any, assert_problem: Any
) -> None:
    task = await create_task("u-1", due_date="2026-11-27T07:00:00Z", recurrence=DAILY)
    path = f"/v1/tasks/{task['id']}"
    headers = {**U1, "Idempotency-Key": "complete-1"}
    first = await client.patch(path, json={"status": "completed"}, headers=headers)
    retry = await client.patch(path, json={"status": "completed"}, headers=headers)
    assert first.status_code == retry.status_code == 200
    assert retry.content == first.content
    assert retry.headers["etag"] == first.headers["etag"]
    assert len(await completions(client, task["id"])) == 1
    other = await client.patch(path, json={"status": "pending"}, headers=headers)
    assert_problem(other, 422, "idempotency_key_mismatch")
    # a failed request stores nothing: the key can be used once the request is valid
    bad = {**U1, "Idempotency-Key": "bad-1"}
    assert_problem(
        await client.patch(path, json={"title": ""}, headers=bad), 422, "validation_error"
    )
    assert (await client.patch(path, json={"title": "ok"}, headers=bad)).status_code == 200


async def test_one_off_completions_and_the_recurring_filter(
    client: httpx.AsyncClient, create_task: Any
) -> None:
    one_off = await create_task("u-1", status="completed", due_date="2026-11-28T00:00:00Z")
    assert one_off["completion_count"] == 1
    recurring = await create_task("u-1", due_date="2026-11-27T07:00:00Z", recurrence=DAILY)
    [item] = await completions(client, one_off["id"])
    assert (item["due_date"], item["on_time"], item["next_due_date"]) == (
        "2026-11-28T00:00:00Z",
        True,
        None,
    )
    # a one-off completion's due date follows the task's
    await client.patch(
        f"/v1/tasks/{one_off['id']}", json={"due_date": "2026-11-26T00:00:00Z"}, headers=U1
    )
    [item] = await completions(client, one_off["id"])
    assert (item["due_date"], item["on_time"]) == ("2026-11-26T00:00:00Z", False)
    undone = await client.delete(f"/v1/tasks/{one_off['id']}/completions/{item['id']}", headers=U1)
    assert (undone.json()["status"], undone.json()["completion_count"]) == ("pending", 0)
    listed = await client.get("/v1/tasks", params={"recurring": "true"}, headers=U1)
    assert [t["id"] for t in listed.json()["items"]] == [recurring["id"]]
    listed = await client.get("/v1/tasks", params={"recurring": "false"}, headers=U1)
    assert [t["id"] for t in listed.json()["items"]] == [one_off["id"]]


async def test_completions_are_paged_newest_first(
    client: httpx.AsyncClient, create_task: Any, assert_problem: Any
) -> None:
    task = await create_task("u-1", due_date="2026-11-27T07:00:00Z", recurrence=DAILY)
    for _ in range(5):
        await complete(client, task["id"])
    seen: list[str] = []
    cursor = None
    path = f"/v1/tasks/{task['id']}/completions"
    while True:
        params: dict[str, Any] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await client.get(path, params=params, headers=U1)).json()
        seen += [c["due_date"] for c in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(seen, reverse=True) and len(set(seen)) == 5
    other = await create_task("u-1")
    wrong = await client.get(
        f"/v1/tasks/{other['id']}/completions", params={"cursor": "x"}, headers=U1
    )
    assert_problem(wrong, 400, "invalid_cursor")
    missing = await client.get("/v1/tasks/nope/completions", headers=U1)
    assert_problem(missing, 404, "task_not_found")
