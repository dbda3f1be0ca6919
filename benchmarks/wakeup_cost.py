"""What the webhook workers' wake-up costs the writes, without HTTP: eight concurrent writers
call the tasks service (``service.patch_task`` or ``create_task``) on their own connections,
one webhook endpoint registered, in three modes run alternately (A/B/C, C/B/A, …):

* ``none``: no event (the outbox switched off, as ``benchmarks/no_outbox.py``);
* ``statement``: the event, and the NOTIFY sent by each write's statement at its commit (what
  a write inside a transaction does, and every write did before issue 14's round 4);
* ``after-commit``: the event, and the NOTIFY sent after the commit by a ``FeedWakeup``
  (coalesced: at most one per 5 ms), as the API does.

Reported per write: the PostgreSQL server's CPU (all its processes) and this process's CPU,
medians over the rounds, and the NOTIFYs sent. Uses the data of ``benchmarks.run``.

    .venv/bin/python -m benchmarks.wakeup_cost                    # patch, 6 rounds x 4 s
    .venv/bin/python -m benchmarks.wakeup_cost --operation create --rounds 4
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg

from benchmarks import seed as seeding
from benchmarks import servers
from benchmarks.run import REPO, database, log
from task_manager.events import outbox
from task_manager.events import service as events_service
from task_manager.events.wakeup import FeedWakeup
from task_manager.tasks import service
from task_manager.tasks.schemas import TaskCreate, TaskPatch

MODES = ("none", "statement", "after-commit")
WRITERS = 8
_EVENT_FOR = outbox.event_for


def _no_event(*_args: Any, **_kwargs: Any) -> None:
    return None


async def _write(conn: Any, operation: str, pair: list[str], wakeup: FeedWakeup | None) -> None:
    user, task = pair
    now = datetime.now(UTC)
    if operation == "patch":
        data = TaskPatch(title=f"patched {random.random()}")
        await service.patch_task(conn, user, task, data, None, now, wakeup=wakeup)
    else:
        new = TaskCreate(title="A task", description="x" * 100, tags=["a", "b"])
        await service.create_task(conn, user, new, now, wakeup=wakeup)


async def one_round(
    url: str, pid_file: Path, mode: str, operation: str, seconds: float, ids: list[list[str]]
) -> tuple[float, float, int]:
    """(database µs, this process's µs) per write, and the NOTIFYs sent."""
    outbox.event_for = _no_event if mode == "none" else _EVENT_FOR
    pool = await asyncpg.create_pool(url, min_size=1, max_size=2)
    wakeup = FeedWakeup(pool, acquire_timeout=5) if mode == "after-commit" else None
    conns = [await asyncpg.connect(url) for _ in range(WRITERS)]
    stop, done = asyncio.Event(), [0]

    async def writer(k: int) -> None:
        i = k
        while not stop.is_set():
            await _write(conns[k], operation, ids[(i * 7919) % len(ids)], wakeup)
            i, done[0] = i + WRITERS, done[0] + 1

    db0, me0 = servers.postgres_cpu(pid_file), sum(os.times()[:2])
    writers = [asyncio.create_task(writer(k)) for k in range(WRITERS)]
    await asyncio.sleep(seconds)
    stop.set()
    await asyncio.gather(*writers)
    if wakeup is not None:
        await wakeup.aclose()
    db1, me1 = servers.postgres_cpu(pid_file), sum(os.times()[:2])
    for connection in conns:
        await connection.close()
    async with pool.acquire() as conn:  # off the measurement: the next round starts clean
        await events_service.stamp_all_committed(conn)
    await pool.close()
    sent = 0 if wakeup is None else wakeup.sent
    return (db1 - db0) / done[0] * 1e6, (me1 - me0) / done[0] * 1e6, sent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--operation", choices=("patch", "create"), default="patch")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--data-dir", type=Path, default=REPO / ".data" / "bench")
    args = parser.parse_args()
    pid_file = args.data_dir / "pg" / "postmaster.pid"
    with database(args.data_dir) as server_url:
        url = asyncio.run(seeding.ensure_database(server_url, "task_manager_bench_smoke"))
        asyncio.run(seeding.seed(url, seeding.SMOKE))
        ids_file = args.data_dir / "ids.txt"
        asyncio.run(seeding.export_ids(url, ids_file, 20_000))
        ids = [line.split() for line in ids_file.read_text().splitlines() if line]
        asyncio.run(seeding.register_webhook(url, "http://127.0.0.1:9/hook"))
        results: dict[str, list[tuple[float, float, int]]] = {m: [] for m in MODES}
        for i in range(args.rounds):
            for mode in MODES if i % 2 == 0 else MODES[::-1]:
                db, me, sent = asyncio.run(
                    one_round(url, pid_file, mode, args.operation, args.seconds, ids)
                )
                results[mode].append((db, me, sent))
                log(f"{args.operation} {mode:12} db {db:5.0f} µs, writers {me:5.0f} µs; {sent}")
        for mode, rows in results.items():
            db = statistics.median(r[0] for r in rows)
            me = statistics.median(r[1] for r in rows)
            log(f"{args.operation} {mode:12} median: db {db:.0f} µs + writers {me:.0f} µs")


if __name__ == "__main__":
    main()
