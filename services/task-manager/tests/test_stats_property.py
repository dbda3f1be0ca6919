"""GET /v1/stats equals a brute-force computation from the tasks themselves, after random
sequences of writes (plain SQL: the triggers keep the aggregates whatever writes), in random
time zones around daylight-saving changes, and equals what a rebuild from scratch gives."""

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
insert_op = st.tuples(
    st.just("insert"),
    st.sampled_from([*STATUSES, "completed", "completed", "completed"]),
    st.sampled_from(PRIORITIES),
    dues,
    offsets,
    st.booleans(),  # another user's task
)
status_op = st.tuples(st.just("status"), st.integers(0, 50), st.sampled_from(STATUSES), offsets)
due_op = st.tuples(st.just("due"), st.integers(0, 50), dues)
priority_op = st.tuples(st.just("priority"), st.integers(0, 50), st.sampled_from(PRIORITIES))
delete_op = st.tuples(st.just("delete"), st.integers(0, 50))
# A scenario: a few dozen tasks (most completed), then changes to them (reopen, complete,
# due-date and priority changes, deletes, more tasks).
operations = st.builds(
    lambda tasks, changes: tasks + changes,
    st.lists(insert_op, min_size=3, max_size=30),
    st.lists(
        st.one_of(insert_op, status_op, status_op, due_op, priority_op, delete_op), max_size=20
    ),
)


@dataclass
class FixedClock:
    at: datetime

    def now(self) -> datetime:
        return self.at


async def apply(pool: Any, user: str, anchor: datetime, ops: list[tuple[Any, ...]]) -> None:
    ids: list[str] = []
    at = lambda seconds: anchor + timedelta(seconds=seconds)  # noqa: E731
    for op in ops:
        kind = op[0]
        if kind == "insert":
            _, status, priority, due, done, other = op
            owner = f"{user}-other" if other else user
            ids.append(
                await pool.fetchval(
                    "INSERT INTO tasks (user_id, title, status, priority, due_date, completed_at)"
                    " VALUES ($1, 't', $2, $3, $4, $5) RETURNING id::text",
                    owner,
                    status,
                    priority,
                    None if due is None else at(due),
                    at(done) if status == "completed" else None,
                )
            )
            continue
        if not ids:
            continue
        task_id = ids[op[1] % len(ids)]
        if kind == "status":  # completed_at set on completion, cleared when it leaves
            await pool.execute(
                "UPDATE tasks SET status = $2, completed_at = CASE WHEN $2 = 'completed' "
                "THEN coalesce(completed_at, $3) END, version = version + 1 WHERE id = $1::uuid",
                task_id,
                op[2],
                at(op[3]),
            )
        elif kind == "due":
            await pool.execute(
                "UPDATE tasks SET due_date = $2 WHERE id = $1::uuid",
                task_id,
                None if op[2] is None else at(op[2]),
            )
        elif kind == "priority":
            await pool.execute("UPDATE tasks SET priority = $2 WHERE id = $1::uuid", task_id, op[2])
        else:
            await pool.execute("DELETE FROM tasks WHERE id = $1::uuid", task_id)


def rounded(value: Fraction) -> float:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return float(exact.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


def runs_ending(dates: set[date], last: date) -> int:
    n = 0
    while last - timedelta(days=n) in dates:
        n += 1
    return n


def brute_force(user: str, rows: list[Any], tz: str, days: int, now: datetime) -> dict[str, Any]:
    """The contract's definitions, applied to the tasks one by one."""
    zone = ZoneInfo(tz)
    today = now.astimezone(zone).date()
    done = [r for r in rows if r["status"] == "completed"]
    with_due = [r for r in done if r["due_date"] is not None]
    per_date: dict[date, int] = {}
    for r in done:
        local = r["completed_at"].astimezone(zone).date()
        per_date[local] = per_date.get(local, 0) + 1
    active = set(per_date)
    if today in active:
        current = runs_ending(active, today)
    else:
        current = runs_ending(active, today - timedelta(days=1))
    longest = max((runs_ending(active, d) for d in active), default=0)
    last = max((r["completed_at"] for r in done), default=None)

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
            rounded(
                Fraction(sum(r["completed_at"] <= r["due_date"] for r in with_due), len(with_due))
            )
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
    await apply(pool, user, anchor.astimezone(UTC), ops)
    now = anchor.astimezone(UTC) + timedelta(seconds=now_offset)
    service_state(app).clock = FixedClock(now)

    response = await client.get(
        "/v1/stats", params={"tz": tz, "days": days}, headers={"X-User-ID": user}
    )
    assert response.status_code == 200, response.text
    rows = await pool.fetch("SELECT * FROM tasks WHERE user_id = $1", user)
    assert response.json() == brute_force(user, list(rows), tz, days, now)

    # The repair path rebuilds exactly the state the triggers maintained.
    maintained = await aggregates(pool, user)
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("SELECT task_stats_recompute($1)", user)
    assert await aggregates(pool, user) == maintained
