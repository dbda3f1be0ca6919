"""Cost benchmark of GET /v1/stats: a user with 1 000 000 tasks against one with 100.

The contract says stats cost about the same whatever the number of tasks. This script seeds
both users in a fresh database, then sends interleaved requests for both through the real
application (ASGI, API key, middleware, pool), reports p50/p95 and their ratio, and fails
(exit 1) when the big user's median is more than --max-ratio times the small user's.

    .venv/bin/python -m benchmarks.stats_cost            # 1 000 000 tasks (about 3 minutes)
    .venv/bin/python -m benchmarks.stats_cost --small    # 20 000 tasks (seconds)

Uses DATABASE_URL's server when set (a fresh database is created and dropped there), else an
embedded PostgreSQL in a temporary folder.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import asyncpg
import httpx

from benchmarks.seed import LEDGER_SQL
from platform_db.testing import fresh_database, postgres_server
from platform_logging import configure_logging
from platform_service import service_state
from task_manager.app import create_app
from task_manager.migrations import upgrade
from task_manager.settings import Settings
from task_manager.stats.repository import STATS_SQL, fetch_stats
from task_manager.stats.service import local_window, time_zone

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
KEY = "benchmark-key-0123456789"
BIG, SMALL = "bench-big", "bench-small"

# Tasks of the last `span` days: 70 % completed (a third of them with a due date, most met),
# the open ones half with a due date (mostly past: overdue; 1 % ahead).
SEED_SQL = """
INSERT INTO tasks (user_id, title, status, priority, due_date, completed_at, created_at,
                   updated_at)
SELECT $1, 'task ' || g, s.status, (ARRAY['low', 'medium', 'high', 'urgent'])[1 + g % 4],
       CASE WHEN s.status = 'completed' AND g % 3 = 0 THEN s.at + interval '1 hour' * (g % 7 - 1)
            WHEN s.status <> 'completed' AND g % 2 = 0
                THEN $2::timestamptz - interval '1 day' * ((g * 13) % $3) + interval '1 day' * (
                    CASE WHEN g % 100 = 0 THEN $3 + 2 ELSE 0 END)
       END,
       CASE WHEN s.status = 'completed' THEN s.at END,
       s.at - interval '1 day', s.at
FROM generate_series(1, $4::int) AS g
CROSS JOIN LATERAL (
    SELECT CASE WHEN g % 10 < 7 THEN 'completed' WHEN g % 10 < 9 THEN 'pending'
                ELSE 'in_progress' END AS status,
           $2::timestamptz - interval '1 second' * ((g::bigint * 7919 * 104729) % ($3 * 86400))
               AS at
) AS s
"""


@dataclass
class FixedClock:
    at: datetime

    def now(self) -> datetime:
        return self.at


def out(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


async def timed(what: str, step: Callable[[], Awaitable[object]]) -> float:
    start = time.perf_counter()
    await step()
    seconds = time.perf_counter() - start
    out(f"  {what}: {seconds:.2f} s")
    return seconds


# Since migration 0004 every completion figure comes from the completions ledger, which the
# tasks service writes beside each completed task: a completed task inserted in SQL needs its
# ledger row, as the harness's seed writes it.
async def ledger(conn: asyncpg.Connection, user: str) -> None:
    for statement in LEDGER_SQL:
        await conn.execute(statement, user)  # a user id has no LIKE wildcard here


async def seed(url: str, big: int, small: int, big_span_days: int, big_triggers: bool) -> None:
    conn = await asyncpg.connect(url)
    try:
        out(f"seeding {BIG} ({big} tasks over {big_span_days} days) and {SMALL} ({small} tasks)")
        if big_triggers:

            async def insert_with_triggers() -> None:
                await conn.execute(SEED_SQL, BIG, NOW, big_span_days, big)
                await ledger(conn, BIG)

            await timed(
                f"{BIG}: insert with the triggers maintaining the aggregates",
                insert_with_triggers,
            )
        else:
            async with conn.transaction():
                await conn.execute("ALTER TABLE tasks DISABLE TRIGGER USER")
                await conn.execute("ALTER TABLE task_completions DISABLE TRIGGER USER")

                async def bulk() -> None:
                    await conn.execute(SEED_SQL, BIG, NOW, big_span_days, big)
                    await ledger(conn, BIG)

                await timed(f"{BIG}: bulk insert, triggers off", bulk)
                await conn.execute("ALTER TABLE task_completions ENABLE TRIGGER USER")
                await conn.execute("ALTER TABLE tasks ENABLE TRIGGER USER")
            await timed(
                f"{BIG}: task_stats_recompute (the stats-recompute repair, in bulk)",
                lambda: conn.execute("SELECT task_stats_recompute($1)", BIG),
            )

        async def small_with_triggers() -> None:
            await conn.execute(SEED_SQL, SMALL, NOW, 60, small)
            await ledger(conn, SMALL)

        await timed(f"{SMALL}: insert with triggers", small_with_triggers)
        await conn.execute("VACUUM ANALYZE")
        for user in (BIG, SMALL):
            counts = await conn.fetchrow(
                "SELECT (SELECT count(*) FROM task_stats_completion_buckets WHERE user_id = $1),"
                " (SELECT count(*) FROM task_stats_completion_days WHERE user_id = $1)",
                user,
            )
            assert counts is not None
            buckets, days = counts
            out(f"  {user}: {buckets} 15-minute buckets, {days} active UTC days")
    finally:
        await conn.close()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def measure(
    url: str, requests: int, tz: str, days: int, explain: bool
) -> dict[str, dict[str, list[float]]]:
    settings = Settings(
        environment="test",
        database_url=url,
        api_keys=[KEY],
        rate_limit_per_minute=0,
        log_level="warning",
        log_format="json",
        db_pool_min_size=1,
        db_pool_max_size=2,
    )
    app = create_app(settings, clock=FixedClock(NOW))
    timings: dict[str, dict[str, list[float]]] = {u: {"http": [], "sql": []} for u in (BIG, SMALL)}
    async with app.router.lifespan_context(app):
        pool: asyncpg.Pool = service_state(app).pool
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://bench", headers={"X-API-Key": KEY}
        ) as client:
            params: dict[str, str | int] = {"tz": tz, "days": days}
            today, starts = local_window(NOW, time_zone(tz), days)
            for user in (BIG, SMALL):  # sanity: the figures are the tasks'
                body = await client.get("/v1/stats", params=params, headers={"X-User-ID": user})
                counted = await pool.fetchval("SELECT count(*) FROM tasks WHERE user_id=$1", user)
                assert body.json()["total"] == counted, body.text
            for i in range(requests + 20):  # interleaved; the first 20 rounds warm up
                for user in (BIG, SMALL) if i % 2 else (SMALL, BIG):
                    start = time.perf_counter()
                    response = await client.get(
                        "/v1/stats", params=params, headers={"X-User-ID": user}
                    )
                    elapsed = time.perf_counter() - start
                    assert response.status_code == 200, response.text
                    start = time.perf_counter()
                    await fetch_stats(pool, user, tz, NOW, today, starts)
                    sql_elapsed = time.perf_counter() - start
                    if i >= 20:
                        timings[user]["http"].append(elapsed * 1000)
                        timings[user]["sql"].append(sql_elapsed * 1000)
        if explain:
            plan = await pool.fetch(
                "EXPLAIN (ANALYZE, BUFFERS) " + STATS_SQL, BIG, tz, NOW, today, starts
            )
            out("\n".join(row[0] for row in plan))
    return timings


def report(timings: dict[str, dict[str, list[float]]], max_ratio: float) -> bool:
    out()
    out("| user | path | p50 ms | p95 ms | mean ms |")
    out("|---|---|---|---|---|")
    for user in (BIG, SMALL):
        for path in ("http", "sql"):
            values = timings[user][path]
            out(
                f"| {user} | {path} | {percentile(values, 0.5):.2f} | "
                f"{percentile(values, 0.95):.2f} | {statistics.fmean(values):.2f} |"
            )
    ok = True
    for path in ("http", "sql"):
        for q, name in ((0.5, "p50"), (0.95, "p95")):
            ratio = percentile(timings[BIG][path], q) / percentile(timings[SMALL][path], q)
            out(f"ratio big/small {path} {name}: {ratio:.2f}")
            if path == "http" and name == "p50" and ratio > max_ratio:
                ok = False
    out("PASS" if ok else f"FAIL: the big user's HTTP p50 is more than {max_ratio}x")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", action="store_true", help="20 000 tasks: runs in seconds")
    parser.add_argument("--tasks", type=int, default=None, help="tasks of the big user")
    parser.add_argument("--small-user-tasks", type=int, default=100)
    parser.add_argument("--span-days", type=int, default=730, help="history of the big user")
    parser.add_argument("--requests", type=int, default=200, help="measured requests per user")
    parser.add_argument("--tz", default="Europe/Madrid")
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--max-ratio", type=float, default=2.0)
    parser.add_argument(
        "--triggers", action="store_true", help="seed the big user through the triggers"
    )
    parser.add_argument("--explain", action="store_true", help="print the big user's plan")
    args = parser.parse_args()
    big = args.tasks or (20_000 if args.small else 1_000_000)
    configure_logging(level="warning", fmt="console", service="stats-bench")
    with postgres_server() as server, fresh_database(server, prefix="stats_bench") as url:
        upgrade(url)
        asyncio.run(seed(url, big, args.small_user_tasks, args.span_days, args.triggers))
        out(
            f"measuring {args.requests} interleaved requests per user (tz={args.tz}, "
            f"days={args.days})"
        )
        timings = asyncio.run(measure(url, args.requests, args.tz, args.days, args.explain))
    return 0 if report(timings, args.max_ratio) else 1


if __name__ == "__main__":
    raise SystemExit(main())
