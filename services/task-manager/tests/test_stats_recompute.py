"""The repair path (``task-manager stats-recompute``) and the triggers under concurrent writers:
a rebuild from the tasks and the completions ledger equals the state the triggers maintained.
Writes go through the tasks service functions (one-off and recurring tasks)."""

from __future__ import annotations

import asyncio
import random
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import pytest
from fastapi import FastAPI

from platform_service import service_state
from task_manager.cli import main
from task_manager.tasks import service
from task_manager.tasks.schemas import TaskCreate, TaskPatch

AGGREGATES = {
    "users": "SELECT * FROM task_stats_users WHERE user_id = ANY($1) AND total <> 0 "
    "ORDER BY user_id",
    "buckets": "SELECT * FROM task_stats_completion_buckets WHERE user_id = ANY($1) "
    "ORDER BY user_id, bucket",
    "days": "SELECT * FROM task_stats_completion_days WHERE user_id = ANY($1) "
    "ORDER BY user_id, day",
}
T0 = datetime(2026, 11, 20, tzinfo=UTC)


async def snapshot(conn: Any, users: list[str]) -> dict[str, list[dict[str, Any]]]:
    return {k: [dict(r) for r in await conn.fetch(sql, users)] for k, sql in AGGREGATES.items()}


async def seed(conn: Any, user: str, n: int, rng: random.Random) -> None:
    for _ in range(n):
        done = rng.random() < 0.6
        due = T0 + timedelta(hours=rng.randrange(-200, 200))
        recurring = rng.random() < 0.3
        body: dict[str, Any] = {
            "title": "t",
            "status": "completed" if done else rng.choice(["pending", "in_progress"]),
            "priority": rng.choice(["low", "medium", "high", "urgent"]),
            "due_date": due if recurring else rng.choice([None, due]),
        }
        if recurring:
            body["recurrence"] = {"rule": "FREQ=DAILY", "tz": "Europe/Madrid"}
        at = T0 + timedelta(minutes=rng.randrange(-20_000, 20_000))
        async with conn.transaction():
            await service.create_task(conn, user, TaskCreate.model_validate(body), at)


def test_cli_repairs_broken_aggregates(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("API_KEYS", "cli-test-key-0123456789")
    users = [f"cli-{uuid.uuid4().hex[:8]}", f"cli-{uuid.uuid4().hex[:8]}"]

    async def prepare() -> dict[str, Any]:
        conn = await asyncpg.connect(database_url)
        try:
            for user in users:
                await seed(conn, user, 40, random.Random(user))
            good = await snapshot(conn, users)
            # Break both users' aggregates the ways an incident could.
            await conn.execute(
                "UPDATE task_stats_users SET completed = completed + 7, total = 0 "
                "WHERE user_id = ANY($1)",
                users,
            )
            await conn.execute(
                "DELETE FROM task_stats_completion_buckets WHERE user_id = ANY($1)", users
            )
            await conn.execute(
                "UPDATE task_stats_completion_days SET last_bucket = first_bucket "
                "WHERE user_id = ANY($1)",
                users,
            )
            assert await snapshot(conn, users) != good
            return good
        finally:
            await conn.close()

    async def current() -> dict[str, Any]:
        conn = await asyncpg.connect(database_url)
        try:
            return await snapshot(conn, users)
        finally:
            await conn.close()

    good = asyncio.run(prepare())
    assert main(["stats-recompute", "--user", users[0]]) == 0
    repaired = asyncio.run(current())
    for table, rows in repaired.items():
        assert [r for r in rows if r["user_id"] == users[0]] == [
            r for r in good[table] if r["user_id"] == users[0]
        ]
    assert repaired != good  # the other user is still broken
    assert main(["stats-recompute", "--all"]) == 0
    assert asyncio.run(current()) == good
    assert main(["stats-recompute", "--user", "bad user!"]) == 2


async def test_concurrent_writers_of_one_user_lose_no_update(app: FastAPI) -> None:
    pool: asyncpg.Pool = service_state(app).pool
    user = "busy-player"
    async with pool.acquire() as conn:
        await seed(conn, user, 30, random.Random(7))
    ids = [r["id"] for r in await pool.fetch("SELECT id FROM tasks WHERE user_id = $1", user)]

    async def writer(seed_value: int) -> None:
        rng = random.Random(seed_value)
        for _ in range(15):
            task_id = rng.choice(ids)
            async with pool.acquire() as conn, conn.transaction():
                status = rng.choice(["pending", "in_progress", "completed"])
                at = T0 + timedelta(minutes=rng.randrange(-5000, 5000))
                patch = TaskPatch.model_validate({"status": status})
                await service.patch_task(conn, user, str(task_id), patch, None, at)
                if rng.random() < 0.3:  # a second write in the same transaction
                    data = TaskCreate(title="t", status="completed")
                    await service.create_task(conn, user, data, at + timedelta(hours=1))

    # Four writers at once (the pool's size): deadlocks or lost increments would show here.
    await asyncio.gather(*(writer(s) for s in range(4)))
    maintained = await snapshot(pool, [user])
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("SELECT task_stats_recompute($1)", user)
    assert await snapshot(pool, [user]) == maintained
    total = await pool.fetchval("SELECT count(*) FROM tasks WHERE user_id = $1", user)
    assert maintained["users"][0]["total"] == total
