"""All SQL of the tasks domain's writes. Each change — a create, a patch, a completion or its
undo, a delete — is ONE statement (data-modifying CTEs):

* ``t``: the task row: an INSERT, or an UPDATE / DELETE guarded by the version the change was
  computed from (``version = $n``: optimistic concurrency, the row lock is taken by the write
  itself; no row when another writer changed the task since it was read);
* the completions ledger: a completion recorded or removed, or a one-off completion's due date
  following the task's — each only when ``t`` returned its row;
* the change feed's event, its webhook deliveries and the workers' NOTIFY
  (:func:`task_manager.events.repository.outbox_ctes`), also only when ``t`` did.

A statement is atomic on its own, so a write needs no BEGIN/COMMIT round trips (two of the
four a create used to make), and everything a change writes commits together or not at all.
Every value is a bound parameter; only constant fragments are assembled.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from platform_db import Connection
from task_manager.events.repository import NewEvent, outbox_ctes
from task_manager.tasks.model import Completion, Task

_TASK_FIELDS = (
    "id",
    "user_id",
    "title",
    "description",
    "status",
    "priority",
    "due_date",
    "tags",
    "created_at",
    "updated_at",
    "completed_at",
    "version",
    "recurrence_rule",
    "recurrence_tz",
    "recurrence_anchor",
    "recurrence_starts_at",
    "occurrence",
    "streak",
    "longest_streak",
    "streak_until",
    "completion_count",
    "completion_seq",
)
_CASTS = {"id": "::uuid", "tags": "::text[]", "due_date": "::timestamptz"}
_COMPLETION_FIELDS: tuple[str, ...] = Completion.__slots__


@dataclass(frozen=True, slots=True)
class Write:
    """One change of one task, as one statement. ``task``: the row inserted or written, or the
    row deleted; ``expected_version``: update/delete only while the row is at this version."""

    kind: Literal["insert", "update", "delete"]
    task: Task
    expected_version: int | None = None
    add_completion: Completion | None = None
    remove_completion: Completion | None = None
    sync_completion_due: bool = False
    event: NewEvent | None = None


class _Binder:
    """Collects the statement's arguments; each call returns the value's placeholder."""

    def __init__(self) -> None:
        self.values: list[Any] = []

    def __call__(self, value: object) -> str:
        self.values.append(value)
        return f"${len(self.values)}"


def _task_values(task: Task) -> dict[str, Any]:
    rec = task.recurrence
    return {
        "id": task.id,
        "user_id": task.user_id,
        "title": task.title,
        "description": task.description,
        "status": task.status,
        "priority": task.priority,
        "due_date": task.due_date,
        "tags": list(task.tags),
        "created_at": task.created_at,
        "updated_at": task.updated_at,
        "completed_at": task.completed_at,
        "version": task.version,
        "recurrence_rule": None if rec is None else rec.rule.text(),
        "recurrence_tz": None if rec is None else rec.tz,
        "recurrence_anchor": None if rec is None else rec.anchor,
        "recurrence_starts_at": None if rec is None else rec.starts_at,
        "occurrence": task.occurrence,
        "streak": task.streak,
        "longest_streak": task.longest_streak,
        "streak_until": task.streak_until,
        "completion_count": task.completion_count,
        "completion_seq": task.completion_seq,
    }


def _task_cte(bind: _Binder, write: Write) -> str:
    task = write.task
    if write.kind == "insert":
        values = _task_values(task)
        placeholders = ", ".join(f"{bind(values[n])}{_CASTS.get(n, '')}" for n in _TASK_FIELDS)
        return f"t AS (INSERT INTO tasks ({', '.join(_TASK_FIELDS)}) VALUES ({placeholders}) RETURNING id)"  # noqa: S608, E501
    where = (
        f"WHERE id = {bind(task.id)}::uuid AND user_id = {bind(task.user_id)} "
        f"AND version = {bind(write.expected_version)}::int"
    )
    if write.kind == "delete":
        return f"t AS (DELETE FROM tasks {where} RETURNING id)"  # noqa: S608
    values = _task_values(task)
    sets = ", ".join(f"{n} = {bind(values[n])}{_CASTS.get(n, '')}" for n in _TASK_FIELDS[2:])
    return f"t AS (UPDATE tasks SET {sets} {where} RETURNING id)"  # noqa: S608


def _ledger_ctes(bind: _Binder, write: Write) -> list[str]:
    ctes = []
    if (added := write.add_completion) is not None:
        values = ", ".join(bind(getattr(added, n)) for n in _COMPLETION_FIELDS)
        ctes.append(
            f"added AS (INSERT INTO task_completions ({', '.join(_COMPLETION_FIELDS)}) "  # noqa: S608
            f"SELECT {values} FROM t)"
        )
    if (removed := write.remove_completion) is not None:
        ctes.append(
            "removed AS (DELETE FROM task_completions "  # noqa: S608
            f"WHERE id = {bind(removed.id)}::uuid AND user_id = {bind(removed.user_id)} "
            "AND EXISTS (SELECT 1 FROM t))"
        )
    if write.sync_completion_due:  # a one-off task's completion follows its due date
        task = write.task
        ctes.append(
            "due AS (UPDATE task_completions "  # noqa: S608
            f"SET due_date = {bind(task.due_date)}::timestamptz "
            f"WHERE task_id = {bind(task.id)}::uuid AND user_id = {bind(task.user_id)} "
            f"AND NOT recurring AND number = {bind(task.completion_seq)}::int "
            "AND EXISTS (SELECT 1 FROM t))"
        )
    return ctes


def statement(write: Write) -> tuple[str, list[Any]]:
    """The SQL and arguments of one write."""
    bind = _Binder()
    ctes = [_task_cte(bind, write), *_ledger_ctes(bind, write)]
    result = "SELECT (SELECT count(*) FROM t) AS written"
    if write.event is not None:
        ctes.append(outbox_ctes(bind, write.event, "t"))
        result += ", (SELECT count(*) FROM wake) AS woken"
    return "WITH " + ",\n".join(ctes) + "\n" + result, bind.values


async def write(conn: Connection, change: Write) -> bool:
    """Write the change; False when the task is no longer at ``expected_version`` (another
    writer changed or deleted it since it was read: nothing was written)."""
    sql, args = statement(change)
    written: int = await conn.fetchval(sql, *args)
    return written == 1
