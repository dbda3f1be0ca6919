"""The feed's ordering guarantees under concurrent writers.

8 writers change tasks (some shared, so their row locks serialise) while a 9th holds a long
transaction that wrote its event early and commits late, and a reader follows the feed from
the start the whole time. The reader must see every acknowledged change exactly once, and the
events of each task in task_version order. A feed ordered by the insertion sequence (or by
transaction id with a watermark) fails this: the long transaction's event has a lower sequence
than events the reader has already passed.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter, defaultdict
from datetime import UTC, datetime
from typing import Any

import asyncpg
import orjson

from platform_db import create_pool
from task_manager.events import service as feed
from task_manager.settings import Settings
from task_manager.tasks import service as tasks
from task_manager.tasks.schemas import TaskCreate, TaskPatch

NOW = datetime(2026, 11, 27, 10, 0, 0, tzinfo=UTC)
WRITERS = 8
OPS_PER_WRITER = 25


async def _create(pool: asyncpg.Pool, user: str, title: str) -> dict[str, Any]:
    async with pool.acquire() as conn, conn.transaction():
        change = await tasks.create_task(conn, user, TaskCreate(title=title), NOW)
    assert change.after is not None
    return {"id": str(change.after.id), "user_id": user, "version": change.after.version}


async def _patch(pool: asyncpg.Pool, user: str, task_id: str, body: dict[str, Any]) -> int:
    async with pool.acquire() as conn, conn.transaction():
        change = await tasks.patch_task(
            conn, user, task_id, TaskPatch.model_validate(body), None, NOW
        )
    assert change.after is not None
    return change.after.version


async def test_reader_sees_every_committed_change_once_in_task_version_order(
    settings: Settings,
) -> None:
    assert settings.database_url is not None
    pool = await create_pool(settings.database_url.get_secret_value())
    try:
        async with pool.acquire() as conn:
            await conn.execute("TRUNCATE tasks, events, webhook_deliveries CASCADE")
        await _run(pool)
    finally:
        await pool.close()


async def _run(pool: asyncpg.Pool) -> None:
    acknowledged: set[tuple[str, int]] = set()
    shared = [await _create(pool, "u-shared", f"shared {i}") for i in range(3)]
    acknowledged |= {(t["id"], 1) for t in shared}
    done = asyncio.Event()
    rng = random.Random(14)

    async def writer(n: int) -> None:
        own = await _create(pool, f"u-{n}", f"own {n}")
        acknowledged.add((own["id"], 1))
        for i in range(OPS_PER_WRITER):
            task = rng.choice([*shared, own])
            version = await _patch(pool, task["user_id"], task["id"], {"title": f"w{n}-{i}"})
            acknowledged.add((task["id"], version))
            await asyncio.sleep(rng.random() / 200)

    async def long_transaction() -> None:
        task = shared[0]
        async with pool.acquire() as conn:
            tx = conn.transaction()
            await tx.start()
            await tasks.patch_task(
                conn, "u-shared", task["id"], TaskPatch(priority="urgent"), None, NOW
            )
            await asyncio.sleep(1.5)  # others commit (and the reader moves on) meanwhile
            row = await conn.fetchrow("SELECT version FROM tasks WHERE id = $1::uuid", task["id"])
            await tx.commit()
        acknowledged.add((task["id"], row["version"]))

    seen: list[dict[str, Any]] = []

    async def reader() -> None:
        cursor = None
        async with pool.acquire() as conn:
            while True:
                finished = done.is_set()
                page = orjson.loads(
                    await feed.read_feed(conn, user_id=None, after=cursor, types=None, limit=7)
                )
                seen.extend(page["items"])
                cursor = page["next_cursor"]
                if finished and not page["items"]:
                    return
                await asyncio.sleep(0.005)

    reading = asyncio.create_task(reader())
    holder = asyncio.create_task(long_transaction())
    await asyncio.sleep(0.05)  # the long transaction has written its event first
    await asyncio.gather(*(writer(n) for n in range(WRITERS)), holder)
    done.set()
    await reading

    keys = [(e["task_id"], e["task_version"]) for e in seen]
    duplicates = [k for k, c in Counter(keys).items() if c > 1]
    assert duplicates == []
    assert set(keys) == acknowledged
    by_task: dict[str, list[int]] = defaultdict(list)
    for task_id, version in keys:
        by_task[task_id].append(version)
    for versions in by_task.values():
        assert versions == sorted(versions)
    assert len(acknowledged) == 3 + WRITERS * (1 + OPS_PER_WRITER) + 1
