"""Every list path and single-task path uses an index on a table with a heavy user: no Seq Scan
on tasks, no Sort (the full-size run is scripts/explain_plans.py, see docs/query-plans.md)."""

from __future__ import annotations

from fastapi import FastAPI

from platform_service import service_state
from task_manager.tasks import plans


async def test_no_list_or_task_path_scans_or_sorts_the_users_set(app: FastAPI) -> None:
    async with service_state(app).pool.acquire() as conn:
        await plans.seed(conn, total=30_000, heavy=10_000, users=100)
        task_id = await conn.fetchval(
            "SELECT id FROM tasks WHERE user_id = $1 LIMIT 1", plans.HEAVY_USER
        )
        failures = {}
        for case in plans.cases(task_id):
            plan = await plans.explain(conn, case)
            issues = plans.problems(plan)
            if ("next page" in case.name or "tail" in case.name) and not plans.seeks_by_index(plan):
                issues.append("keyset condition is not an index condition")
            if issues:
                failures[case.name] = (issues, plans.summary(plan))
        await conn.execute("TRUNCATE tasks CASCADE")
    assert failures == {}
