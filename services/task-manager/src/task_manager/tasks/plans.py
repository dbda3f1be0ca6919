"""Query-plan checks of the tasks SQL: seed a table, EXPLAIN every list path and the single-task
paths exactly as the repository builds them, and flag a Seq Scan on tasks or a Sort node (a
sort of the user's set). Used by ``scripts/explain_plans.py`` (one million rows) and by a fast
CI test (a few tens of thousands)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from platform_db import Connection
from task_manager.tasks import repository
from task_manager.tasks.schemas import ListFilters

NOW = datetime(2026, 11, 27, 10, 0, 0, tzinfo=UTC)
HEAVY_USER = "heavy"
_ZERO_ID = UUID(int=0)

# Everything is derived from g; every value is bound. One user ('heavy') owns the first
# `heavy` rows, the rest is spread over `users` other users.
_SEED = """
INSERT INTO tasks (id, user_id, title, description, status, priority, due_date, tags,
                   created_at, updated_at, completed_at)
SELECT gen_random_uuid(),
       CASE WHEN g <= $2::int THEN $5::text ELSE 'user-' || (g % $3::int) END,
       'task ' || g,
       CASE WHEN g % 3 = 0 THEN 'about task ' || g END,
       (ARRAY['pending', 'in_progress', 'completed'])[1 + g % 3],
       (ARRAY['low', 'medium', 'high', 'urgent'])[1 + g % 4],
       CASE WHEN g % 5 <> 0 THEN $4::timestamptz + (g % 2000 - 1000) * interval '1 hour' END,
       CASE WHEN g % 7 = 0 THEN ARRAY['home', 'cats'] ELSE ARRAY['work'] END,
       $4::timestamptz - g * interval '1 second',
       $4::timestamptz - (g % 50000) * interval '1 second',
       CASE WHEN g % 3 = 2 THEN $4::timestamptz - (g % 1000) * interval '1 minute' END
FROM generate_series(1, $1::int) AS g
"""


async def seed(conn: Connection, *, total: int, heavy: int, users: int) -> None:
    """Bulk load: the per-row stats triggers are off during the insert, and the aggregates
    are rebuilt in one pass afterwards (as docs/stats.md advises for bulk loads)."""
    async with conn.transaction():
        await conn.execute("ALTER TABLE tasks DISABLE TRIGGER USER")
        await conn.execute(_SEED, total, heavy, users, NOW, HEAVY_USER, timeout=600)
        await conn.execute("ALTER TABLE tasks ENABLE TRIGGER USER")
        await conn.execute("SELECT task_stats_recompute(NULL)", timeout=600)
    await conn.execute("ANALYZE tasks", timeout=600)


@dataclass(frozen=True, slots=True)
class Case:
    name: str
    sql: str
    args: list[Any]


def _list(name: str, filters: ListFilters, after_key: Any = "none") -> Case:
    after = None
    if after_key != "none":
        after = repository.After(key=after_key, id=_ZERO_ID)
    sql, args = repository.list_query(HEAVY_USER, filters, after=after, limit=51, now=NOW)
    return Case(name, sql, args)


def cases(task_id: UUID) -> list[Case]:
    """Every list path (each sort both ways, first page and a later page, with filters) and
    the single-task paths, for the heavy user."""
    out = []
    mid = NOW.replace(day=20)
    for sort in ("created_at", "updated_at", "due_date", "priority"):
        for prefix in ("", "-"):
            key = f"{prefix}{sort}"
            out.append(_list(f"sort={key}", ListFilters(sort=key)))
            out.append(
                _list(
                    f"sort={key}, next page",
                    ListFilters(sort=key),
                    2 if sort == "priority" else mid,
                )
            )
    out.append(_list("sort=due_date, page in the undated tail", ListFilters(sort="due_date"), None))
    out.append(
        _list("sort=-due_date, page in the undated tail", ListFilters(sort="-due_date"), None)
    )
    out += [
        _list("status=pending,in_progress", ListFilters(statuses=("pending", "in_progress"))),
        _list(
            "priority=urgent&sort=-priority", ListFilters(priorities=("urgent",), sort="-priority")
        ),
        _list("tag=cats", ListFilters(tags=("cats",))),
        _list("q=task 42", ListFilters(q="task 42")),
        _list("overdue=true&sort=due_date", ListFilters(overdue=True, sort="due_date")),
        _list("due_before&due_after", ListFilters(due_before=NOW, due_after=mid)),
        _list("updated_since&sort=-updated_at", ListFilters(updated_since=mid, sort="-updated_at")),
    ]
    get_sql = f"SELECT {repository.COLUMNS} FROM tasks WHERE id = $1 AND user_id = $2"  # noqa: S608
    out.append(Case("GET /tasks/{id}", get_sql, [task_id, HEAVY_USER]))
    lock_sql = get_sql + " FOR UPDATE"
    out.append(Case("PATCH, DELETE, undo /tasks/{id}: lock", lock_sql, [task_id, HEAVY_USER]))
    delete_sql = "DELETE FROM tasks WHERE id = $1 AND user_id = $2"
    out.append(Case("DELETE /tasks/{id}", delete_sql, [task_id, HEAVY_USER]))
    return out


async def explain(conn: Connection, case: Case) -> dict[str, Any]:
    raw = await conn.fetchval(f"EXPLAIN (FORMAT JSON) {case.sql}", *case.args)
    plan: dict[str, Any] = json.loads(raw)[0]["Plan"]
    return plan


def _nodes(plan: dict[str, Any]) -> list[dict[str, Any]]:
    found = [plan]
    for child in plan.get("Plans", []):
        found += _nodes(child)
    return found


def problems(plan: dict[str, Any]) -> list[str]:
    """What is wrong with a plan: a Seq Scan on tasks, any Sort, or no index used on tasks."""
    nodes = _nodes(plan)
    issues = []
    for node in nodes:
        if node["Node Type"] == "Seq Scan" and node.get("Relation Name") == "tasks":
            issues.append("Seq Scan on tasks")
        if "Sort" in node["Node Type"]:
            issues.append(f"{node['Node Type']} on {node.get('Sort Key')}")
    if not any(n.get("Relation Name") == "tasks" and "Index" in n["Node Type"] for n in nodes):
        issues.append("no index scan on tasks")
    return issues


def seeks_by_index(plan: dict[str, Any]) -> bool:
    """True when the keyset condition of a later page is an index condition (a seek), not a
    filter over the rows before it."""
    return any("ROW(" in str(n.get("Index Cond", "")) for n in _nodes(plan))


def summary(plan: dict[str, Any]) -> str:
    """One line: the scan nodes on tasks with their index and the top node's cost."""
    scans = [
        f"{n['Node Type']} using {n.get('Index Name', '-')}"
        for n in _nodes(plan)
        if n.get("Relation Name") == "tasks"
    ]
    return f"{'; '.join(scans)} (top: {plan['Node Type']}, cost {plan['Total Cost']})"
