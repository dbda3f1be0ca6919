"""EXPLAIN every tasks list path and single-task path on a table of one million tasks.

    .venv/bin/python services/task-manager/scripts/explain_plans.py [--rows N] [--heavy N]

Uses DATABASE_URL (a server where it may create a database) or starts an embedded PostgreSQL;
creates a scratch database, migrates it, seeds it with INSERT ... SELECT generate_series,
ANALYZEs, prints one line per path and fails (exit 1) if any path does a Seq Scan on tasks or
a Sort. The scratch database is dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
import uuid

import asyncpg

from platform_db.testing import fresh_database, postgres_server
from task_manager.migrations import upgrade
from task_manager.tasks import plans


def say(line: str) -> None:
    sys.stdout.write(line + "\n")


async def run(url: str, rows: int, heavy: int, users: int) -> int:
    conn = await asyncpg.connect(url)
    try:
        started = time.perf_counter()
        await plans.seed(conn, total=rows, heavy=heavy, users=users)
        say(
            f"seeded {rows} tasks ({heavy} for one user, the rest over {users} users) "
            f"in {time.perf_counter() - started:.1f}s"
        )
        task_id = await conn.fetchval(
            "SELECT id FROM tasks WHERE user_id = $1 LIMIT 1", plans.HEAVY_USER
        )
        failures = 0
        for case in plans.cases(task_id or uuid.uuid4()):
            plan = await plans.explain(conn, case)
            issues = plans.problems(plan)
            failures += bool(issues)
            status = "FAIL " + ", ".join(issues) if issues else "ok"
            say(f"{case.name:45} {status:6} {plans.summary(plan)}")
        return 1 if failures else 0
    finally:
        await conn.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--heavy", type=int, default=200_000)
    parser.add_argument("--users", type=int, default=10_000)
    args = parser.parse_args()
    with postgres_server() as server, fresh_database(server, prefix="explain_plans") as url:
        upgrade(url)
        return asyncio.run(run(url, args.rows, args.heavy, args.users))


if __name__ == "__main__":
    sys.exit(main())
