"""GET /v1/stats equals a brute-force computation after random sequences of writes through the
API (one-off and recurring tasks: creates, completions, reopens, undos, due-date, priority and
recurrence changes, deletes), in random time zones around daylight-saving changes, and equals
what a rebuild from scratch gives.

The brute force counts the tasks as stored and the completions of an independent model kept
by this test from the contract's rules (a completion is recorded when a task becomes
completed, removed by a reopen or an undo, gone with its task); the ledger must hold exactly
the model's completions."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from platform_service import service_state

ZONES = [
    "UTC",
    "Europe/Madrid",
    "America/New_York",
    "Asia/Kathmandu",
    "America/St_Johns",
    "Pacific/Chatham",
    "Australia/Lord_Howe",
]
# DST changes of 2026: US 03-08 / 11-01, EU 03-29 / 10-25, Chatham and Lord Howe 04-05 / 09-27.
EDGES = [
    datetime(2026, 3, 8, 7, tzinfo=UTC),
    datetime(2026, 3, 29, 1, tzinfo=UTC),
    datetime(2026, 4, 4, 14, tzinfo=UTC),
    datetime(2026, 9, 26, 14, tzinfo=UTC),
    datetime(2026, 10, 25, 1, tzinfo=UTC),
    datetime(2026, 11, 1, 6, tzinfo=UTC),
]
STATUSES = ["pending", "in_progress", "completed"]
PRIORITIES = ["low", "medium", "high", "urgent"]

# Offsets from the scenario's anchor (a local midnight next to a DST change), in seconds:
# ±4 days, so that streaks form and break; many on a quarter hour ±1 s (bucket edges, DST
# changes) or right next to a midnight 24 hours away (local midnights, unless DST moved them).
offsets = st.one_of(
    st.integers(min_value=-4 * 86_400, max_value=4 * 86_400),
    st.builds(
        lambda quarter, second: quarter * 900 + second,
        st.integers(min_value=-4 * 96, max_value=4 * 96),
        st.sampled_from([-1, 0, 1]),
    ),
    st.builds(
        lambda day, second: day * 86_400 + second,
        st.integers(min_value=-4, max_value=4),
        st.sampled_from([-3600, -901, -900, -1, 0, 1, 899, 900, 3600]),
    ),
)
dues = st.none() | offsets
RULES = ["FREQ=DAILY", "FREQ=WEEKLY;BYDAY=MO,TH", "FREQ=DAILY;COUNT=2", "FREQ=DAILY;INTERVAL=2"]
insert_op = st.tuples(
    st.just("insert"),
    st.sampled_from([*STATUSES, "completed", "completed", "completed"]),
    st.sampled_from(PRIORITIES),
    dues,
    offsets,
    st.booleans(),  # another user's task
    st.none() | st.none() | st.sampled_from(RULES),  # a recurring task's rule
)
status_op = st.tuples(st.just("status"), st.integers(0, 50), st.sampled_from(STATUSES), offsets)
complete_op = st.tuples(st.just("status"), st.integers(0, 50), st.just("completed"), offsets)
due_op = st.tuples(st.just("due"), st.integers(0, 50), dues)
priority_op = st.tuples(st.just("priority"), st.integers(0, 50), st.sampled_from(PRIORITIES))
delete_op = st.tuples(st.just("delete"), st.integers(0, 50))
undo_op = st.tuples(st.just("undo"), st.integers(0, 50), offsets)
one_off_op = st.tuples(st.just("one_off"), st.integers(0, 50))
# A scenario: a few dozen tasks (most completed), then changes to them (reopen, complete,
# undo, due-date, priority and recurrence changes, deletes, more tasks).
operations = st.builds(
    lambda tasks, changes: tasks + changes,
    st.lists(insert_op, min_size=3, max_size=20),
    st.lists(
        st.one_of(
            insert_op,
            status_op,
            complete_op,
            complete_op,
            due_op,
            priority_op,
            delete_op,
            undo_op,
            one_off_op,
        ),
        max_size=25,
    ),
)


@dataclass
class FixedClock:
    at: datetime

    def now(self) -> datetime:
        return self.at


@dataclass
class Model:
    """What the contract says the ledger holds: per task, its completions in order, each
    (completed_at, due date or None for a one-off completion, whose due follows the task)."""

    owner: str
    status: str
    recurring: bool
    completions: list[tuple[datetime, datetime | None]]


def _dt(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _wire(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


class Driver:
    def __init__(self, client: httpx.AsyncClient, clock: FixedClock, user: str) -> None:
        self.client, self.clock, self.user = client, clock, user
        self.tasks: dict[str, Model] = {}
        self.ids: list[str] = []

    def _after(self, task_id: str, before: Model, body: dict[str, Any]) -> None:
        """Update the model from a write's request and check the answer's count."""
        now = self.clock.at
        if before.status != "completed" and body["_requested"] == "completed":
            due = _dt(body["_due_before"]) if before.recurring else None
            before.completions.append((now, due))
        elif (
            before.status == "completed"
            and body["_requested"] not in ("completed", None)
            and before.completions
        ):
            before.completions.pop()
        before.status = body["status"]
        before.recurring = body["recurrence"] is not None
        assert body["completion_count"] == len(before.completions)

    async def insert(self, op: tuple[Any, ...], at: Any) -> None:
        _, status, priority, due, done, other, rule = op
        owner = f"{self.user}-other" if other else self.user
        if rule is not None and due is None:
            due = 0
        self.clock.at = at(done)
        payload: dict[str, Any] = {"title": "t", "status": status, "priority": priority}
        if due is not None:
            payload["due_date"] = _wire(at(due))
        if rule is not None:
            payload["recurrence"] = {"rule": rule, "tz": "Europe/Madrid"}
        response = await self.client.post("/v1/tasks", json=payload, headers={"X-User-ID": owner})
        assert response.status_code == 201, response.text
        body = response.json()
        model = Model(owner, "pending", rule is not None, [])
        body["_requested"], body["_due_before"] = status, payload.get("due_date")
        self._after(body["id"], model, body)
        self.tasks[body["id"]] = model
        self.ids.append(body["id"])

    async def patch(self, task_id: str, payload: dict[str, Any]) -> None:
        model = self.tasks.get(task_id)
        if model is None:
            return
        headers = {"X-User-ID": model.owner}
        current = (await self.client.get(f"/v1/tasks/{task_id}", headers=headers)).json()
        response = await self.client.patch(f"/v1/tasks/{task_id}", json=payload, headers=headers)
        if response.status_code == 422:  # e.g. clearing a recurring task's due date
            return
        assert response.status_code == 200, response.text
        body = response.json()
        body["_requested"] = payload.get("status")
        body["_due_before"] = payload.get("due_date", current["due_date"])
        self._after(task_id, model, body)

    async def undo(self, task_id: str) -> None:
        model = self.tasks.get(task_id)
        if model is None:
            return
        headers = {"X-User-ID": model.owner}
        path = f"/v1/tasks/{task_id}/completions"
        page = (await self.client.get(path, params={"limit": 1}, headers=headers)).json()
        if not page["items"]:
            assert not model.completions
            return
        response = await self.client.delete(f"{path}/{page['items'][0]['id']}", headers=headers)
        assert response.status_code == 200, response.text
        model.completions.pop()
        body = response.json()
        model.status, model.recurring = body["status"], body["recurrence"] is not None
        assert body["completion_count"] == len(model.completions)


async def apply(
    client: httpx.AsyncClient, clock: FixedClock, user: str, anchor: datetime, ops: list[Any]
) -> Driver:
    driver = Driver(client, clock, user)
    at = lambda seconds: anchor + timedelta(seconds=seconds)  # noqa: E731
    for op in ops:
        kind = op[0]
        if kind == "insert":
            await driver.insert(op, at)
            continue
        if not driver.ids:
            continue
        task_id = driver.ids[op[1] % len(driver.ids)]
        if kind == "status":
            clock.at = at(op[3])
            await driver.patch(task_id, {"status": op[2]})
        elif kind == "due":
            await driver.patch(task_id, {"due_date": None if op[2] is None else _wire(at(op[2]))})
        elif kind == "priority":
            await driver.patch(task_id, {"priority": op[2]})
        elif kind == "one_off":
            await driver.patch(task_id, {"recurrence": None})
        elif kind == "undo":
            clock.at = at(op[2])
            await driver.undo(task_id)
        elif task_id in driver.tasks:
            owner = driver.tasks.pop(task_id).owner
            response = await client.delete(f"/v1/tasks/{task_id}", headers={"X-User-ID": owner})
            assert response.status_code == 204
    return driver


def rounded(value: Fraction) -> float:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return float(exact.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


def runs_ending(dates: set[date], last: date) -> int:
    n = 0
    while last - timedelta(days=n) in dates:
        n += 1
    return n


def brute_force(
    user: str,
    rows: list[Any],
    completions: list[tuple[datetime, datetime | None]],
    tz: str,
    days: int,
    now: datetime,
) -> dict[str, Any]:
    """The contract's definitions, applied to the tasks and completions one by one."""
    zone = ZoneInfo(tz)
    today = now.astimezone(zone).date()
    done = [r for r in rows if r["status"] == "completed"]
    with_due = [(at, due) for at, due in completions if due is not None]
    per_date: dict[date, int] = {}
    for at, _due in completions:
        local = at.astimezone(zone).date()
        per_date[local] = per_date.get(local, 0) + 1
    active = set(per_date)
    if today in active:
        current = runs_ending(active, today)
    else:
        current = runs_ending(active, today - timedelta(days=1))
    longest = max((runs_ending(active, d) for d in active), default=0)
    last = max((at for at, _due in completions), default=None)

    def iso(d: date) -> str:
        return d.isoformat()

    return {
        "user_id": user,
        "tz": tz,
        "generated_at": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "total": len(rows),
        "pending": sum(r["status"] == "pending" for r in rows),
        "in_progress": sum(r["status"] == "in_progress" for r in rows),
        "completed": len(done),
        "overdue": sum(
            r["status"] != "completed" and r["due_date"] is not None and r["due_date"] < now
            for r in rows
        ),
        "completion_rate": rounded(Fraction(len(done), len(rows))) if rows else 0.0,
        "on_time_rate": (
            rounded(Fraction(sum(at <= due for at, due in with_due), len(with_due)))
            if with_due
            else None
        ),
        "by_priority": {
            p: {
                "total": sum(r["priority"] == p for r in rows),
                "completed": sum(r["priority"] == p for r in done),
            }
            for p in PRIORITIES
        },
        "completed_today": per_date.get(today, 0),
        "completed_last_7_days": sum(per_date.get(today - timedelta(days=k), 0) for k in range(7)),
        "completions_total": len(completions),
        "current_streak_days": current,
        "longest_streak_days": longest,
        "last_completed_at": (
            None if last is None else last.astimezone(UTC).isoformat().replace("+00:00", "Z")
        ),
        "daily_completions": [
            {"date": iso(d), "count": per_date.get(d, 0)}
            for d in (today - timedelta(days=k) for k in range(days - 1, -1, -1))
        ],
    }


AGGREGATES = {
    "users": "SELECT * FROM task_stats_users WHERE user_id = $1 AND total <> 0",
    "buckets": "SELECT * FROM task_stats_completion_buckets WHERE user_id = $1 ORDER BY bucket",
    "days": "SELECT * FROM task_stats_completion_days WHERE user_id = $1 ORDER BY day",
}


async def aggregates(pool: Any, user: str) -> dict[str, list[dict[str, Any]]]:
    return {
        name: [dict(r) for r in await pool.fetch(sql, user)] for name, sql in AGGREGATES.items()
    }


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    ops=operations,
    edge=st.sampled_from(EDGES),
    now_offset=offsets,
    tz=st.sampled_from(ZONES),
    days=st.sampled_from([1, 2, 7, 8, 30, 366]) | st.integers(1, 366),
)
async def test_stats_equal_brute_force(
    app: FastAPI,
    client: httpx.AsyncClient,
    ops: list[tuple[Any, ...]],
    edge: datetime,
    now_offset: int,
    tz: str,
    days: int,
) -> None:
    pool = service_state(app).pool
    user = f"prop-{uuid.uuid4().hex[:12]}"  # a fresh user per example: no truncation needed
    zone = ZoneInfo(tz)
    anchor = datetime.combine(edge.astimezone(zone).date(), time(0), tzinfo=zone)
    clock = FixedClock(anchor.astimezone(UTC))
    service_state(app).clock = clock
    driver = await apply(client, clock, user, anchor.astimezone(UTC), ops)
    now = anchor.astimezone(UTC) + timedelta(seconds=now_offset)
    clock.at = now

    response = await client.get(
        "/v1/stats", params={"tz": tz, "days": days}, headers={"X-User-ID": user}
    )
    assert response.status_code == 200, response.text
    rows = await pool.fetch("SELECT * FROM tasks WHERE user_id = $1", user)
    due_of = {str(r["id"]): r["due_date"] for r in rows}
    expected: list[tuple[datetime, datetime | None]] = [
        (at, due if due is not None else due_of[task_id])  # a one-off's follows its task
        for task_id, m in driver.tasks.items()
        if m.owner == user
        for at, due in m.completions
    ]
    ledger = await pool.fetch(
        "SELECT completed_at, due_date FROM task_completions WHERE user_id = $1", user
    )

    def order(c: tuple[datetime, datetime | None]) -> tuple[datetime, bool, datetime]:
        return (c[0], c[1] is None, c[1] or c[0])

    got = [(r["completed_at"], r["due_date"]) for r in ledger]
    assert sorted(got, key=order) == sorted(expected, key=order)
    assert response.json() == brute_force(user, list(rows), expected, tz, days, now)

    # The repair path rebuilds exactly the state the triggers maintained.
    maintained = await aggregates(pool, user)
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("SELECT task_stats_recompute($1)", user)
    assert await aggregates(pool, user) == maintained
