"""All SQL of the tasks domain's writes. Each change — a create, a patch, a completion or its
undo, a delete — is ONE statement (data-modifying CTEs):

* ``t``: the task row: an INSERT, or an UPDATE / DELETE guarded by the version the change was
  computed from (``version = $n``: optimistic concurrency, the row lock is taken by the write
  itself; no row when another writer changed the task since it was read);
* the completions ledger: a completion recorded or removed, or a one-off completion's due date
  following the task's — each only when ``t`` returned its row;
* the change feed's event (:func:`task_manager.events.repository.outbox_ctes`), also only
  when ``t`` did (its webhook deliveries are queued when the event is stamped), and whether an
  enabled endpoint wants it: the workers' NOTIFY, sent by the statement inside a transaction,
  else after the commit by the process's :class:`~task_manager.events.wakeup.FeedWakeup`.

A statement is atomic on its own, so a write needs no BEGIN/COMMIT round trips (two of the
four a create used to make), and everything a change writes commits together or not at all.
Every value is a bound parameter; only constant fragments are assembled.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, Literal

from platform_db import Connection
from task_manager.events.repository import NewEvent, outbox_ctes
from task_manager.events.wakeup import FeedWakeup
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


type Getter = Callable[[Write], Any]


class _Binder:
    """Collects how to read the statement's arguments from a write; each call returns the
    argument's placeholder. A statement's text depends only on the write's shape, so it is
    built once per shape (:func:`_shape`) and each write only reads its values."""

    def __init__(self) -> None:
        self.getters: list[Getter] = []

    def __call__(self, getter: Getter) -> str:
        self.getters.append(getter)
        return f"${len(self.getters)}"


def _rule(task: Task) -> str | None:
    return None if task.recurrence is None else task.recurrence.rule.text()


def _recurrence(name: str) -> Callable[[Task], Any]:
    def read(task: Task) -> Any:
        return None if task.recurrence is None else getattr(task.recurrence, name)

    return read


# How each column's value is read from the domain object.
_TASK_VALUES: dict[str, Callable[[Task], Any]] = {
    **{name: attrgetter(name) for name in _TASK_FIELDS},
    "tags": lambda task: list(task.tags),
    "recurrence_rule": _rule,
    "recurrence_tz": _recurrence("tz"),
    "recurrence_anchor": _recurrence("anchor"),
    "recurrence_starts_at": _recurrence("starts_at"),
}


def _task_column(name: str) -> Getter:
    read = _TASK_VALUES[name]
    return lambda write: read(write.task)


def _task_cte(bind: _Binder, kind: str) -> str:
    if kind == "insert":
        placeholders = ", ".join(
            f"{bind(_task_column(n))}{_CASTS.get(n, '')}" for n in _TASK_FIELDS
        )
        return f"t AS (INSERT INTO tasks ({', '.join(_TASK_FIELDS)}) VALUES ({placeholders}) RETURNING id)"  # noqa: S608, E501
    where = (
        f"WHERE id = {bind(_task_column('id'))}::uuid "
        f"AND user_id = {bind(_task_column('user_id'))} "
        f"AND version = {bind(attrgetter('expected_version'))}::int"
    )
    if kind == "delete":
        return f"t AS (DELETE FROM tasks {where} RETURNING id)"  # noqa: S608
    sets = ", ".join(f"{n} = {bind(_task_column(n))}{_CASTS.get(n, '')}" for n in _TASK_FIELDS[2:])
    return f"t AS (UPDATE tasks SET {sets} {where} RETURNING id)"  # noqa: S608


def _ledger_ctes(bind: _Binder, add: bool, remove: bool, sync_due: bool) -> list[str]:
    ctes = []
    if add:
        values = ", ".join(bind(attrgetter(f"add_completion.{n}")) for n in _COMPLETION_FIELDS)
        ctes.append(
            f"added AS (INSERT INTO task_completions ({', '.join(_COMPLETION_FIELDS)}) "  # noqa: S608
            f"SELECT {values} FROM t)"
        )
    if remove:
        ctes.append(
            "removed AS (DELETE FROM task_completions "  # noqa: S608
            f"WHERE id = {bind(attrgetter('remove_completion.id'))}::uuid "
            f"AND user_id = {bind(attrgetter('remove_completion.user_id'))} "
            "AND EXISTS (SELECT 1 FROM t))"
        )
    if sync_due:  # a one-off task's completion follows its due date
        ctes.append(
            "due AS (UPDATE task_completions "  # noqa: S608
            f"SET due_date = {bind(_task_column('due_date'))}::timestamptz "
            f"WHERE task_id = {bind(_task_column('id'))}::uuid "
            f"AND user_id = {bind(_task_column('user_id'))} "
            f"AND NOT recurring AND number = {bind(_task_column('completion_seq'))}::int "
            "AND EXISTS (SELECT 1 FROM t))"
        )
    return ctes


@functools.lru_cache(maxsize=64)
def _shape(
    kind: str, add: bool, remove: bool, sync_due: bool, event: bool, notify: bool
) -> tuple[str, tuple[Getter, ...]]:
    """The statement of every write of this shape, and how to read its arguments."""
    bind = _Binder()
    ctes = [_task_cte(bind, kind), *_ledger_ctes(bind, add, remove, sync_due)]
    result = "SELECT (SELECT count(*) FROM t) AS written"
    if event:

        def bind_event(read: Callable[[NewEvent], object]) -> str:
            return bind(lambda write: read(write.event))  # type: ignore[arg-type]

        ctes.append(outbox_ctes(bind_event, "t", notify=notify))
        result += ", (SELECT count(*) FROM wake) AS woken"
    return "WITH " + ",\n".join(ctes) + "\n" + result, tuple(bind.getters)


def statement(write: Write, *, notify: bool = True) -> tuple[str, list[Any]]:
    """The SQL and arguments of one write; ``notify``: the statement sends the workers'
    NOTIFY itself (at its commit) when an enabled endpoint wants the event."""
    sql, getters = _shape(
        write.kind,
        write.add_completion is not None,
        write.remove_completion is not None,
        write.sync_completion_due,
        write.event is not None,
        notify,
    )
    return sql, [read(write) for read in getters]


async def write(conn: Connection, change: Write, wakeup: FeedWakeup | None = None) -> bool:
    """Write the change; False when the task is no longer at ``expected_version`` (another
    writer changed or deleted it since it was read: nothing was written).

    A statement outside a transaction commits when it returns: with a ``wakeup`` the workers
    are then told by it (coalesced), not by a NOTIFY in the statement. Inside a transaction, or
    without a ``wakeup``, the statement notifies at its commit."""
    after_commit = wakeup if wakeup is not None and not conn.is_in_transaction() else None
    sql, args = statement(change, notify=after_commit is None)
    row = await conn.fetchrow(sql, *args)
    assert row is not None
    if after_commit is not None and change.event is not None and row["woken"]:
        after_commit.poke()
    return bool(row["written"] == 1)
