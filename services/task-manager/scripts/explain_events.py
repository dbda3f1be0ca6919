"""EXPLAIN of the change feed's statements on a large events table.

    .venv/bin/python services/task-manager/scripts/explain_events.py --events 5000000

Creates a fresh database (DATABASE_URL's server, else an embedded PostgreSQL), migrates it,
inserts N stamped events (10 000 users, ~400-byte payloads) in one statement, ANALYZEs, and
prints EXPLAIN (ANALYZE, BUFFERS) of a feed page (unscoped and scoped, at the start, the middle
and the end) and of the stamper's probe.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time

import asyncpg

from platform_db.testing import fresh_database, postgres_server
from task_manager.events import repository
from task_manager.migrations import upgrade

SEED = """
INSERT INTO events (id, type, user_id, task_id, task_version, occurred_at, payload, position)
SELECT gen_random_uuid(), (ARRAY['task.created','task.updated','task.completed'])[1 + g % 3],
       'u-' || (g % 10000), gen_random_uuid(), 1 + g % 7,
       now() - interval '1 second' * ($1 - g),
       convert_to(repeat('x', 400), 'UTF8'), g
FROM generate_series(1, $1::bigint) AS g
"""


def out(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


async def explain(conn: asyncpg.Connection, title: str, sql: str, *args: object) -> None:
    rows = await conn.fetch("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql, *args)
    out(f"\n### {title}\n```")
    for row in rows:
        out(row[0])
    out("```")


async def main(url: str, events: int) -> None:
    conn = await asyncpg.connect(url)
    try:
        start = time.perf_counter()
        await conn.execute(SEED, events)
        await conn.execute("UPDATE event_feed_state SET last_position = $1", events)
        await conn.execute("VACUUM ANALYZE events")
        out(f"seeded {events} events in {time.perf_counter() - start:.0f} s")
        size = await conn.fetchval("SELECT pg_size_pretty(pg_total_relation_size('events'))")
        out(f"events table with indexes: {size}")
        page = (
            "SELECT position, payload FROM events WHERE position > $1 ORDER BY position LIMIT 100"
        )
        scoped = (
            "SELECT position, payload FROM events WHERE position > $1 AND user_id = $2 "
            "ORDER BY position LIMIT 100"
        )
        for where, position in (("start", 0), ("middle", events // 2), ("end", events - 50)):
            await explain(conn, f"unscoped page, {where}", page, position)
        await explain(conn, "scoped page (one user), middle", scoped, events // 2, "u-42")
        await explain(conn, "stamper probe (nothing unstamped)", repository._HAS_UNSTAMPED)
    finally:
        await conn.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1_000_000)
    args = parser.parse_args()
    with (
        postgres_server(os.environ.get("DATABASE_URL")) as server,
        fresh_database(server, prefix="explain_events") as url,
    ):
        upgrade(url)
        asyncio.run(main(url, args.events))
