"""The benchmark database: one million tasks seeded in SQL (no API), reused across runs.

A marker table (``bench_seed``) records what was seeded and against which schema; a run whose
seed version, size and migration head match reuses the data as it is. Otherwise the tasks are
truncated and seeded again: ``INSERT ... SELECT generate_series`` with the row triggers off,
then the stats aggregates are rebuilt in bulk (``task_stats_recompute``) and the table is
analysed.
"""

from __future__ import annotations

import asyncio
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import asyncpg

from platform_db.dsn import with_database
from platform_logging.progress import counter, elapsed
from task_manager.migrations import head_revision, upgrade

SEED_VERSION = 3
HEAVY_USER = "bench-heavy"
LIGHT_USER = "bench-light"
WRITER_PREFIX = "bench-writer-"  # POST creates tasks for these users; removed after a run
USER_TASKS = 100  # tasks of each ordinary user
RECURRING_PREFIX = "bench-recur-"  # daily tasks that the complete_recurring scenario completes
RECURRING_TASKS = 2_000
SEED_CHUNK = 100_000  # rows per INSERT (one transaction still): a progress line each

# Rows $1..$2 of the seed (it is inserted in chunks, to show progress), $3 heavy user's tasks,
# $4 light user's tasks, $5 tasks per ordinary user.
# Over the last year: half completed (most before their due date), the rest pending or in
# progress, half with a due date (some overdue); a few tags; every tenth with a description.
SEED_SQL = """
INSERT INTO tasks (user_id, title, description, status, priority, due_date, tags,
                   created_at, updated_at, completed_at)
SELECT u.user_id, 'Task ' || g, CASE WHEN g % 10 = 0 THEN 'Description of task ' || g END,
       s.status, (ARRAY['low', 'medium', 'high', 'urgent'])[1 + g % 4],
       CASE WHEN g % 2 = 0 THEN s.created + interval '1 hour' * (g % 240) END,
       CASE g % 4 WHEN 0 THEN '{}'::text[] WHEN 1 THEN '{home}'::text[]
                  WHEN 2 THEN '{work,cats}'::text[] ELSE '{errands}'::text[] END,
       s.created, s.created + interval '1 minute' * (g % 600),
       CASE WHEN s.status = 'completed' THEN s.created + interval '1 minute' * (g % 9000) END
FROM generate_series($1::int, $2::int) AS g
CROSS JOIN LATERAL (
    SELECT CASE WHEN g % 10 < 5 THEN 'completed' WHEN g % 10 < 8 THEN 'pending'
                ELSE 'in_progress' END AS status,
           now() - interval '7 days'
               - interval '1 second' * ((g::bigint * 7919 * 104729) % (358 * 86400)) AS created
) AS s
CROSS JOIN LATERAL (
    SELECT CASE WHEN g <= $3 THEN 'bench-heavy'
                WHEN g <= $3 + $4 THEN 'bench-light'
                ELSE 'bench-u' || lpad(((g - $3 - $4 - 1) / $5)::text, 5, '0') END AS user_id
) AS u
"""


# The completions ledger (migration 0004): one completion per completed task of the users
# matching $1 (a LIKE pattern), as the migration's backfill does. Also stats_cost.py's.
LEDGER_SQL = (
    "INSERT INTO task_completions "
    "(id, task_id, user_id, number, recurring, completed_at, due_date, prev_status) "
    "SELECT gen_random_uuid(), id, user_id, 1, false, completed_at, due_date, 'pending' "
    "FROM tasks WHERE user_id LIKE $1 AND status = 'completed'",
    "UPDATE tasks SET completion_count = 1, completion_seq = 1 "
    "WHERE user_id LIKE $1 AND status = 'completed'",
)
ALL_USERS = "%"
# $1 recurring tasks: dailies at 08:00 in Madrid whose series started 30 days ago (so a
# completion skips the missed occurrences), over 50 players.
RECURRING_SQL = """
INSERT INTO tasks (user_id, title, status, priority, due_date, tags, created_at, updated_at,
                   recurrence_rule, recurrence_tz, recurrence_anchor, recurrence_starts_at,
                   occurrence, streak, longest_streak)
SELECT 'bench-recur-' || (g % 50), 'Feed the cat ' || g, 'pending', 'medium', d.due, '{}',
       d.due, d.due, 'FREQ=DAILY', 'Europe/Madrid', 'schedule', d.due, 1, 0, 0
FROM generate_series(1, $1::int) AS g
CROSS JOIN LATERAL (
    SELECT date_trunc('day', now(), 'Europe/Madrid') - interval '30 days' + interval '8 hours'
        AS due
) AS d
"""


@dataclass(frozen=True, slots=True)
class SeedSize:
    total: int
    heavy: int
    light: int = 100

    @property
    def label(self) -> str:
        return f"{self.total} tasks ({HEAVY_USER}: {self.heavy}, {LIGHT_USER}: {self.light})"


FULL = SeedSize(total=1_000_000, heavy=200_000)
SMOKE = SeedSize(total=20_000, heavy=10_000)


def log(line: str) -> None:
    print(line, flush=True)  # noqa: T201 - a command-line tool's progress


async def ensure_database(server_url: str, name: str) -> str:
    """The URL of database ``name`` on the server, created when missing."""
    conn = await asyncpg.connect(server_url)
    try:
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return with_database(server_url, name)


async def _marker(conn: asyncpg.Connection) -> str | None:
    await conn.execute(
        "CREATE TABLE IF NOT EXISTS bench_seed (marker text NOT NULL, seeded_at timestamptz)"
    )
    marker: str | None = await conn.fetchval("SELECT marker FROM bench_seed LIMIT 1")
    return marker


def _wanted_marker(size: SeedSize) -> str:
    return f"v{SEED_VERSION}:{head_revision()}:{size.total}:{size.heavy}:{size.light}"


async def seed(url: str, size: SeedSize, *, force: bool = False) -> bool:
    """Migrate and seed ``url`` unless it already holds this seed. True when it seeded."""
    await asyncio.to_thread(upgrade, url)
    conn = await asyncpg.connect(url, command_timeout=3600)
    try:
        wanted = _wanted_marker(size)
        if not force and await _marker(conn) == wanted:
            log(f"seed: reusing the seeded database ({size.label})")
            await cleanup_writes(conn)
            return False
        log(f"seed: seeding {size.label}")
        started = time.perf_counter()
        has_stats = await conn.fetchval("SELECT to_regproc('task_stats_recompute') IS NOT NULL")
        async with conn.transaction():
            await conn.execute("SET LOCAL synchronous_commit = off")
            await conn.execute("DELETE FROM bench_seed")
            await conn.execute("TRUNCATE tasks, idempotency_keys CASCADE")
            await conn.execute("ALTER TABLE tasks DISABLE TRIGGER USER")
            progress = counter("seed: inserted", size.total, stream=sys.stdout)
            for first in range(1, size.total + 1, SEED_CHUNK):
                last = min(first + SEED_CHUNK - 1, size.total)
                await conn.execute(SEED_SQL, first, last, size.heavy, size.light, USER_TASKS)
                progress(last)
            has_ledger = await conn.fetchval("SELECT to_regclass('task_completions') IS NOT NULL")
            if has_ledger:
                await conn.execute("ALTER TABLE task_completions DISABLE TRIGGER USER")
                for statement in LEDGER_SQL:
                    await conn.execute(statement, ALL_USERS)
                await conn.execute(RECURRING_SQL, RECURRING_TASKS)
                await conn.execute("ALTER TABLE task_completions ENABLE TRIGGER USER")
            await conn.execute("ALTER TABLE tasks ENABLE TRIGGER USER")
            inserted = time.perf_counter()
            log(f"seed: inserted with triggers off in {inserted - started:.1f} s")
            if has_stats:
                async with elapsed("seed: rebuilding the stats aggregates", stream=sys.stdout):
                    users = await conn.fetchval("SELECT task_stats_recompute(NULL)")
                log(
                    f"seed: stats aggregates of {users} users rebuilt in "
                    f"{time.perf_counter() - inserted:.1f} s"
                )
            await conn.execute("INSERT INTO bench_seed VALUES ($1, now())", wanted)
        async with elapsed("seed: VACUUM ANALYZE", stream=sys.stdout):
            await conn.execute("VACUUM ANALYZE")
        log(f"seed: done in {time.perf_counter() - started:.1f} s (with VACUUM ANALYZE)")
        return True
    finally:
        await conn.close()


async def cleanup_writes(conn: asyncpg.Connection) -> None:
    """Drop the tasks that earlier runs created (POST), so the data stays the seeded size."""
    status = await conn.execute(
        "DELETE FROM tasks WHERE user_id LIKE $1", WRITER_PREFIX.replace("-", "\\-") + "%"
    )
    await conn.execute("DELETE FROM idempotency_keys")
    # The change feed of the runs' writes, and the envelope's webhook endpoint (its deliveries
    # go with it): the next run starts from the seeded state.
    await conn.execute("DELETE FROM webhook_endpoints")
    await conn.execute("TRUNCATE events, webhook_deliveries")
    if status != "DELETE 0":
        log(f"seed: removed the previous run's created tasks ({status})")


async def export_ids(url: str, path: Path, count: int) -> int:
    """``count`` random (user, task id) pairs, one ``user id`` line each, for GET and PATCH."""
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch(
            "SELECT user_id, id FROM tasks TABLESAMPLE BERNOULLI (5) "
            "WHERE user_id NOT LIKE 'bench-writer-%' AND user_id NOT LIKE 'bench-recur-%' "
            "LIMIT $1",
            count,
        )
        if len(rows) < count:  # a small seed: sample everything
            rows = await conn.fetch(
                "SELECT user_id, id FROM tasks WHERE user_id NOT LIKE 'bench-recur-%' "
                "ORDER BY random() LIMIT $1",
                count,
            )
    finally:
        await conn.close()
    text = "".join(f"{r['user_id']} {r['id']}\n" for r in rows)
    await asyncio.to_thread(path.write_text, text)
    return len(rows)


async def export_recurring_ids(url: str, path: Path) -> int:
    """The seeded recurring tasks, one ``user id`` line each (complete_recurring targets)."""
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch(
            "SELECT user_id, id FROM tasks WHERE user_id LIKE 'bench-recur-%' ORDER BY id"
        )
    finally:
        await conn.close()
    text = "".join(f"{r['user_id']} {r['id']}\n" for r in rows)
    await asyncio.to_thread(path.write_text, text)
    return len(rows)


async def register_webhook(url: str, target: str) -> None:
    """One webhook endpoint for every event type, written by the service's own function: the
    API refuses a loopback target in production (SSRF rule), the benchmark's receiver is one."""
    from datetime import UTC, datetime

    from task_manager.webhooks import service as webhooks
    from task_manager.webhooks.schemas import WebhookCreate

    conn = await asyncpg.connect(url)
    try:
        await conn.execute("DELETE FROM webhook_endpoints")
        await webhooks.create(conn, WebhookCreate(url=target), datetime.now(UTC))
    finally:
        await conn.close()
