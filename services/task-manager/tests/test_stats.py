"""GET /v1/stats: one example per definition of the contract, against the real database.

Tasks are written by calling the tasks service functions directly (as a CLI or a worker would),
each in its own transaction, at the "now" each example needs."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from platform_service import service_state
from task_manager.tasks import service
from task_manager.tasks.schemas import TaskCreate, TaskPatch

USER = "u-42"


@dataclass
class FixedClock:
    at: datetime

    def now(self) -> datetime:
        return self.at


class Tasks:
    """Writes through the tasks service (the rules and the ledger), at a chosen "now"."""

    def __init__(self, app: FastAPI) -> None:
        self.pool = service_state(app).pool

    async def add(
        self,
        *,
        user: str = USER,
        status: str = "pending",
        priority: str = "medium",
        due: datetime | None = None,
        completed_at: datetime | None = None,
    ) -> str:
        if completed_at is not None:
            status = "completed"
        now = completed_at or datetime(2026, 1, 1, tzinfo=UTC)
        data = TaskCreate(title="t", status=status, priority=priority, due_date=due)  # type: ignore[arg-type]
        async with self.pool.acquire() as conn, conn.transaction():
            change = await service.create_task(conn, user, data, now)
        assert change.after is not None
        return str(change.after.id)

    async def set(self, task_id: str, at: datetime | None = None, **values: Any) -> None:
        """A PATCH of ``values`` made at ``at``."""
        data = TaskPatch(**values)
        now = at or datetime(2026, 1, 1, tzinfo=UTC)
        async with self.pool.acquire() as conn, conn.transaction():
            user = await conn.fetchval("SELECT user_id FROM tasks WHERE id = $1::uuid", task_id)
            await service.patch_task(conn, user, task_id, data, None, now)

    async def delete(self, task_id: str) -> None:
        async with self.pool.acquire() as conn, conn.transaction():
            user = await conn.fetchval("SELECT user_id FROM tasks WHERE id = $1::uuid", task_id)
            await service.delete_task(conn, user, task_id, None, datetime(2026, 1, 1, tzinfo=UTC))


@pytest.fixture
def clock(app: FastAPI) -> FixedClock:
    fixed = FixedClock(datetime(2026, 11, 27, 10, 0, tzinfo=UTC))
    service_state(app).clock = fixed
    return fixed


@pytest.fixture
def tasks(app: FastAPI) -> Tasks:
    return Tasks(app)


@pytest.fixture
def stats(client: httpx.AsyncClient, clock: FixedClock) -> Any:
    async def get(user: str = USER, **params: Any) -> dict[str, Any]:
        response = await client.get("/v1/stats", params=params, headers={"X-User-ID": user})
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    return get


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


async def test_empty_user(stats: Any) -> None:
    body = await stats(days=3)
    assert body == {
        "user_id": USER,
        "tz": "UTC",
        "generated_at": "2026-11-27T10:00:00Z",
        "total": 0,
        "pending": 0,
        "in_progress": 0,
        "completed": 0,
        "overdue": 0,
        "completion_rate": 0.0,
        "on_time_rate": None,
        "by_priority": {
            p: {"total": 0, "completed": 0} for p in ("low", "medium", "high", "urgent")
        },
        "completed_today": 0,
        "completed_last_7_days": 0,
        "completions_total": 0,
        "current_streak_days": 0,
        "longest_streak_days": 0,
        "last_completed_at": None,
        "daily_completions": [
            {"date": "2026-11-25", "count": 0},
            {"date": "2026-11-26", "count": 0},
            {"date": "2026-11-27", "count": 0},
        ],
    }


async def test_counts_rates_and_priorities(stats: Any, tasks: Tasks) -> None:
    now = utc(2026, 11, 27, 10)
    await tasks.add(priority="low")
    await tasks.add(status="in_progress", priority="high", due=now - timedelta(minutes=1))
    await tasks.add(priority="urgent", due=now)  # due exactly now: not overdue yet
    await tasks.add(priority="urgent", due=now + timedelta(days=1))
    await tasks.add(completed_at=utc(2026, 11, 20), due=utc(2026, 11, 20), priority="high")
    await tasks.add(completed_at=utc(2026, 11, 21), due=utc(2026, 11, 20, 23, 59))  # late
    await tasks.add(completed_at=utc(2026, 11, 22), due=utc(2026, 10, 1))  # late, not overdue
    body = await stats()
    assert (body["total"], body["pending"], body["in_progress"], body["completed"]) == (7, 3, 1, 3)
    assert body["overdue"] == 1
    assert body["completion_rate"] == 0.4286  # 3/7 = 0.428571...
    assert body["on_time_rate"] == 0.3333
    assert body["by_priority"] == {
        "low": {"total": 1, "completed": 0},
        "medium": {"total": 2, "completed": 2},
        "high": {"total": 2, "completed": 1},
        "urgent": {"total": 2, "completed": 0},
    }


async def test_completion_rate_rounds_half_up(stats: Any, tasks: Tasks) -> None:
    # 1/32 = 0.03125 exactly: half up gives 0.0313 (a float round() would give 0.0312)
    await tasks.add(completed_at=utc(2026, 11, 1))
    for _ in range(31):
        await tasks.add()
    assert (await stats())["completion_rate"] == 0.0313


async def test_on_time_rate_is_null_without_due_dates(stats: Any, tasks: Tasks) -> None:
    await tasks.add(completed_at=utc(2026, 11, 1))
    await tasks.add(due=utc(2026, 12, 1))  # a due date, but not completed
    body = await stats()
    assert body["on_time_rate"] is None
    assert body["completion_rate"] == 0.5


async def test_today_and_last_7_days_in_a_non_utc_zone(
    stats: Any, tasks: Tasks, clock: FixedClock
) -> None:
    # Now 2026-11-27 02:30Z = 2026-11-26 23:00 in America/St_Johns (-03:30).
    # Local "today" is 2026-11-26, from 03:30Z on the 26th to 03:30Z on the 27th.
    clock.at = utc(2026, 11, 27, 2, 30)
    await tasks.add(completed_at=utc(2026, 11, 26, 3, 30))  # 00:00 local, today
    await tasks.add(completed_at=utc(2026, 11, 27, 2, 29))  # 22:59 local, today
    await tasks.add(completed_at=utc(2026, 11, 26, 3, 29))  # yesterday 23:59
    await tasks.add(completed_at=utc(2026, 11, 20, 3, 30))  # 2026-11-20 00:00: 6 days before
    await tasks.add(completed_at=utc(2026, 11, 20, 3, 29))  # 2026-11-19 23:59: 7 days before
    body = await stats(tz="America/St_Johns", days=8)
    assert body["completed_today"] == 2
    assert body["completed_last_7_days"] == 4
    assert body["daily_completions"][0] == {"date": "2026-11-19", "count": 1}
    assert body["daily_completions"][-1] == {"date": "2026-11-26", "count": 2}
    assert body["last_completed_at"] == "2026-11-27T02:29:00Z"
    utc_body = await stats()
    assert utc_body["completed_today"] == 1  # only the one at 02:29Z on the 27th


async def test_last_7_days_does_not_depend_on_days(stats: Any, tasks: Tasks) -> None:
    await tasks.add(completed_at=utc(2026, 11, 21, 12))
    body = await stats(days=1)
    assert body["completed_last_7_days"] == 1
    assert body["daily_completions"] == [{"date": "2026-11-27", "count": 0}]


async def test_daily_completions_has_exactly_days_entries(stats: Any, tasks: Tasks) -> None:
    await tasks.add(completed_at=utc(2026, 11, 27, 9))
    await tasks.add(completed_at=utc(2026, 11, 25, 23, 59))
    await tasks.add(completed_at=utc(2026, 11, 25, 0, 0))
    await tasks.add(completed_at=utc(2025, 11, 27, 9))  # a year ago: outside
    for days in (1, 30, 366):
        series = (await stats(days=days))["daily_completions"]
        assert len(series) == days
        assert series[-1]["date"] == "2026-11-27"
        dates = [datetime.fromisoformat(e["date"]) for e in series]
        assert all(b - a == timedelta(days=1) for a, b in itertools.pairwise(dates))
    series = (await stats(days=3))["daily_completions"]
    assert series == [
        {"date": "2026-11-25", "count": 2},
        {"date": "2026-11-26", "count": 0},
        {"date": "2026-11-27", "count": 1},
    ]
    assert (await stats(days=366))["daily_completions"][0] == {"date": "2025-11-27", "count": 1}


@pytest.mark.parametrize(
    ("completion_days", "current", "longest"),
    [
        ([], 0, 0),
        ([27], 1, 1),  # today only
        ([26, 25, 24], 3, 3),  # ends yesterday: still counts
        ([27, 26, 25, 24], 4, 4),
        ([25, 24], 0, 2),  # ends the day before yesterday: broken
        ([27, 25, 24, 23, 22, 20], 1, 4),
        ([26, 20, 19, 18, 17, 16], 1, 5),
    ],
)
async def test_streaks(
    stats: Any, tasks: Tasks, completion_days: list[int], current: int, longest: int
) -> None:
    for day in completion_days:
        await tasks.add(completed_at=utc(2026, 11, day, 8))
        await tasks.add(completed_at=utc(2026, 11, day, 9))  # two a day count as one day
    body = await stats()
    assert (body["current_streak_days"], body["longest_streak_days"]) == (current, longest)


async def test_streak_follows_the_local_date(stats: Any, tasks: Tasks) -> None:
    # 22:30Z on three consecutive days: three UTC dates; in Asia/Kathmandu (+05:45) the
    # next dates; in Pacific/Chatham (+13:45) too. 2026-11-24 22:30Z and 2026-11-25 00:10Z
    # share the local date 2026-11-25 in Kathmandu.
    for at in (utc(2026, 11, 24, 22, 30), utc(2026, 11, 25, 0, 10), utc(2026, 11, 26, 22, 30)):
        await tasks.add(completed_at=at)
    assert (await stats())["longest_streak_days"] == 3  # 24, 25, 26 (UTC)
    kathmandu = await stats(tz="Asia/Kathmandu")  # 25, 25, 27: a gap
    assert (kathmandu["longest_streak_days"], kathmandu["current_streak_days"]) == (1, 1)
    assert kathmandu["completed_today"] == 1  # now is 15:45 on the 27th there


async def test_reopened_and_deleted_tasks_no_longer_count(stats: Any, tasks: Tasks) -> None:
    kept = await tasks.add(completed_at=utc(2026, 11, 26, 8), due=utc(2026, 11, 27))
    reopened = await tasks.add(completed_at=utc(2026, 11, 27, 8), due=utc(2026, 11, 1))
    deleted = await tasks.add(completed_at=utc(2026, 11, 27, 9), priority="urgent")
    before = await stats()
    assert (before["completed"], before["completed_today"], before["current_streak_days"]) == (
        3,
        2,
        2,
    )
    assert before["last_completed_at"] == "2026-11-27T09:00:00Z"
    await tasks.set(reopened, status="pending")
    await tasks.delete(deleted)
    after = await stats()
    assert (after["total"], after["completed"], after["pending"]) == (2, 1, 1)
    assert after["completed_today"] == 0
    assert after["current_streak_days"] == 1  # yesterday's streak
    assert after["on_time_rate"] == 1.0
    assert after["overdue"] == 1  # the reopened task is overdue again
    assert after["by_priority"]["urgent"] == {"total": 0, "completed": 0}
    assert after["last_completed_at"] == "2026-11-26T08:00:00Z"
    await tasks.delete(kept)
    emptied = await stats()
    assert emptied["last_completed_at"] is None
    assert emptied["longest_streak_days"] == 0


async def test_last_completed_at_is_exact_within_a_bucket(stats: Any, tasks: Tasks) -> None:
    first = await tasks.add(completed_at=utc(2026, 11, 27, 9, 1, 2) + timedelta(microseconds=5))
    await tasks.add(completed_at=utc(2026, 11, 27, 9, 0, 30))
    assert (await stats())["last_completed_at"] == "2026-11-27T09:01:02.000005Z"
    await tasks.set(first, status="pending")  # reopened, then completed again later
    await tasks.set(first, at=utc(2026, 11, 27, 9, 14, 59), status="completed")
    assert (await stats())["last_completed_at"] == "2026-11-27T09:14:59Z"


async def test_another_users_tasks_never_count(stats: Any, tasks: Tasks) -> None:
    await tasks.add(user="someone-else", completed_at=utc(2026, 11, 27, 8), due=utc(2026, 1, 1))
    await tasks.add(user="someone-else", due=utc(2026, 1, 1))
    await tasks.add(user="u-4", completed_at=utc(2026, 11, 26, 8))  # a prefix of USER
    body = await stats()
    assert body["total"] == 0
    assert body["overdue"] == 0
    assert body["last_completed_at"] is None
    assert body["current_streak_days"] == 0
    assert sum(e["count"] for e in body["daily_completions"]) == 0
    assert (await stats(user="someone-else"))["total"] == 2


@pytest.mark.parametrize(
    "tz", ["Mars/Olympus_Mons", "", "europe/madrid_x", "../../etc/passwd", "UTC+3", "x" * 65]
)
async def test_unknown_time_zone_is_422(
    client: httpx.AsyncClient, clock: FixedClock, tz: str
) -> None:
    response = await client.get("/v1/stats", params={"tz": tz}, headers={"X-User-ID": USER})
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "validation_error"
    assert [e["loc"] for e in body["errors"]] == [["query", "tz"]]


@pytest.mark.parametrize("days", ["0", "367", "-1", "abc", "1.5"])
async def test_days_out_of_range_is_422(
    client: httpx.AsyncClient, clock: FixedClock, days: str
) -> None:
    response = await client.get("/v1/stats", params={"days": days}, headers={"X-User-ID": USER})
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["code"] == "validation_error"
    assert [e["loc"] for e in body["errors"]] == [["query", "days"]]


async def test_user_header_is_required(client: httpx.AsyncClient, clock: FixedClock) -> None:
    response = await client.get("/v1/stats")
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["errors"]] == [["header", "X-User-ID"]]


async def test_stats_requires_the_api_key(client: httpx.AsyncClient, clock: FixedClock) -> None:
    client.headers.pop("X-API-Key")
    response = await client.get("/v1/stats", headers={"X-User-ID": USER})
    assert response.status_code == 401


async def test_worked_example_of_the_docs(stats: Any, tasks: Tasks) -> None:
    """docs/stats.md, "Worked example": a player in Madrid."""
    await tasks.add(
        priority="high", due=utc(2026, 11, 24, 12), completed_at=utc(2026, 11, 23, 23, 30)
    )
    await tasks.add(priority="low", completed_at=utc(2026, 11, 25, 8))
    late = await tasks.add(due=utc(2026, 11, 25), completed_at=utc(2026, 11, 26, 7))
    today = await tasks.add(completed_at=utc(2026, 11, 27, 9, 12))
    await tasks.add(priority="urgent", due=utc(2026, 11, 26, 18))
    await tasks.add(status="in_progress", due=utc(2026, 12, 1))
    body = await stats(tz="Europe/Madrid", days=3)
    assert (body["total"], body["pending"], body["in_progress"], body["completed"]) == (6, 1, 1, 4)
    assert (body["completion_rate"], body["overdue"], body["on_time_rate"]) == (0.6667, 1, 0.5)
    assert (body["current_streak_days"], body["longest_streak_days"]) == (4, 4)
    assert (body["completed_today"], body["completed_last_7_days"]) == (1, 4)
    assert body["last_completed_at"] == "2026-11-27T09:12:00Z"
    assert body["daily_completions"] == [
        {"date": "2026-11-25", "count": 1},
        {"date": "2026-11-26", "count": 1},
        {"date": "2026-11-27", "count": 1},
    ]
    in_utc = await stats()
    assert (in_utc["current_streak_days"], in_utc["longest_streak_days"]) == (3, 3)
    await tasks.set(today, status="pending")
    assert (await stats(tz="Europe/Madrid"))["current_streak_days"] == 3
    await tasks.delete(late)
    reopened = await stats(tz="Europe/Madrid")
    assert (reopened["current_streak_days"], reopened["longest_streak_days"]) == (0, 2)


async def test_recurring_completions_count_once_each_and_undo_removes_them(
    stats: Any, tasks: Tasks, app: FastAPI
) -> None:
    # A daily in Madrid completed three days running, then the last completion undone.
    data = TaskCreate.model_validate(
        {
            "title": "feed the cat",
            "due_date": "2026-11-25T07:00:00Z",
            "recurrence": {"rule": "FREQ=DAILY", "tz": "Europe/Madrid"},
        }
    )
    pool = service_state(app).pool
    async with pool.acquire() as conn, conn.transaction():
        change = await service.create_task(conn, USER, data, utc(2026, 11, 24))
    assert change.after is not None
    task_id = str(change.after.id)
    for day in (25, 26, 27):
        await tasks.set(task_id, at=utc(2026, 11, day, 8), status="completed")
    body = await stats(tz="Europe/Madrid", days=3)
    assert (body["total"], body["pending"], body["completed"]) == (1, 1, 0)
    assert (body["completions_total"], body["completed_today"]) == (3, 1)
    assert (body["current_streak_days"], body["on_time_rate"]) == (3, 0.0)
    assert body["last_completed_at"] == "2026-11-27T08:00:00Z"
    async with pool.acquire() as conn, conn.transaction():
        latest = await conn.fetchval(
            "SELECT id::text FROM task_completions WHERE task_id = $1::uuid "
            "ORDER BY number DESC LIMIT 1",
            task_id,
        )
        await service.undo_completion(conn, USER, task_id, latest, utc(2026, 11, 27, 9))
    body = await stats(tz="Europe/Madrid", days=3)
    assert (body["completions_total"], body["completed_today"]) == (2, 0)
    assert body["last_completed_at"] == "2026-11-26T08:00:00Z"
    assert body["current_streak_days"] == 2  # ending yesterday
