"""The tasks domain's operations: create, read, patch, delete, list, and the completions
ledger (list, undo). Callers hand in validated input and a connection inside a transaction;
each operation returns domain objects (:mod:`.model`), never HTTP. The routers render them; a
CLI or a worker can call the same functions.

Every write path (create, patch, delete, undo) decides a :class:`TaskChange` — the task before
and after, and the completion recorded or removed (with its ``next_due_date`` and ``streak``) —
and hands it to :func:`_write`: the one point where a change is known completely before it
commits. There the change feed's event is derived, and the task row, the ledger and the event
are written in ONE statement (:mod:`.writes`), guarded by the version the change was decided
from. A write that lost a race with another writer of the same task reads and decides again
(:func:`_apply`); a hot task, or a caller already in a transaction, reads the row locked.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any, Literal
from uuid import UUID

from platform_db import Connection, uuid7
from task_manager.errors import (
    CompletionNotFoundError,
    CompletionNotLatestError,
    InvalidCursorError,
    PreconditionFailedError,
    TaskNotFoundError,
)
from task_manager.events import outbox
from task_manager.events.wakeup import FeedWakeup
from task_manager.tasks import cursor, repository, rules, writes
from task_manager.tasks.model import (
    Completion,
    Page,
    Task,
    TaskChange,
    TaskDocument,
    completion_document,
    row_document,
    task_document,
    task_from_row,
)
from task_manager.tasks.schemas import (
    EPOCH,
    PRIORITY_RANK,
    ListFilters,
    TaskCreate,
    TaskPatch,
    to_micros,
)

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def parse_task_id(raw: str) -> UUID:
    """A path id; anything but a canonical UUID is an unknown task (404)."""
    return UUID(task_id_text(raw))


def task_id_text(raw: str) -> str:
    """A path id as a canonical UUID's text (lower case, as ``str(UUID)``): what asyncpg
    encodes as the same ``uuid``, without building a ``UUID``. Else an unknown task (404)."""
    if not _UUID.fullmatch(raw):
        raise TaskNotFoundError(f"No task {raw[:64]} for this user.")
    return raw.lower()


def _not_found(task_id: UUID | str) -> TaskNotFoundError:
    return TaskNotFoundError(f"No task {task_id} for this user.")


def precondition_failed(version: int) -> PreconditionFailedError:
    return PreconditionFailedError(
        "If-Match does not match the task's current ETag.", headers={"ETag": f'"{version}"'}
    )


OPTIMISTIC_ATTEMPTS = 3
type Decision = tuple[TaskChange, writes.Write | None]


def _write(change: TaskChange, now: datetime, *, sync_completion_due: bool = False) -> writes.Write:
    """THE CHANGE POINT of every write: the statement writing the change and its event (from
    the task as GET renders it before and after, and the completion recorded or removed)."""
    completion = change.completion_added or change.completion_removed
    event = outbox.event_for(
        None if change.before is None else task_document(change.before, now),
        None if change.after is None else task_document(change.after, now),
        None if completion is None else completion_event_document(completion),
        now=now,
    )
    if change.before is None:
        assert change.after is not None
        return writes.Write(
            "insert", change.after, add_completion=change.completion_added, event=event
        )
    kind: Literal["update", "delete"] = "delete" if change.after is None else "update"
    return writes.Write(
        kind,
        change.before if change.after is None else change.after,
        expected_version=change.before.version,
        add_completion=change.completion_added,
        remove_completion=change.completion_removed,
        sync_completion_due=sync_completion_due,
        event=event,
    )


async def _apply(
    conn: Connection,
    user_id: str,
    task_id: UUID,
    decide: Callable[[Task], Awaitable[Decision]],
    *,
    wakeup: FeedWakeup | None = None,
    locked: bool | None = None,
) -> TaskChange:
    """Read the task, ``decide`` its change (which may raise, or read more), and write it in
    one statement guarded by the version read. When another writer changed the task in
    between, nothing was written: read and decide again. After OPTIMISTIC_ATTEMPTS lost races
    (a hot task), or when the caller already holds a transaction (an Idempotency-Key), the
    task is read locked (FOR UPDATE) in a transaction, so the write cannot miss. ``wakeup``:
    how the webhook workers are told after a commit (:func:`writes.write`)."""
    if locked is None:
        locked = conn.is_in_transaction()
    if not locked:
        for _ in range(OPTIMISTIC_ATTEMPTS):
            change = await _attempt(conn, user_id, task_id, decide, repository.get_task, wakeup)
            if change is not None:
                return change
        async with conn.transaction():
            return await _apply(conn, user_id, task_id, decide, locked=True)
    change = await _attempt(conn, user_id, task_id, decide, repository.lock_task, None)
    assert change is not None, "the row lock is held: the version cannot have moved"
    return change


async def _attempt(
    conn: Connection,
    user_id: str,
    task_id: UUID,
    decide: Callable[[Task], Awaitable[Decision]],
    read: Callable[[Connection, str, UUID], Awaitable[Task | None]],
    wakeup: FeedWakeup | None,
) -> TaskChange | None:
    before = await read(conn, user_id, task_id)
    if before is None:
        raise _not_found(task_id)
    change, write = await decide(before)
    if write is None or await writes.write(conn, write, wakeup):
        return change
    return None


def completion_event_document(completion: Completion) -> dict[str, Any]:
    """The event's ``completion``: the completion as the API shows it, without ``task_id``
    (the event names its task)."""
    document = completion_document(completion)
    del document["task_id"]
    return document


# --- reads -----------------------------------------------------------------------------------


async def read_task(conn: Connection, user_id: str, raw_id: str, now: datetime) -> TaskDocument:
    """The task as the API answers it at ``now`` (its ``version`` is the ETag): rendered from
    its row, without a ``Task`` in between (``row_document``; GET is the hottest route)."""
    task_id = task_id_text(raw_id)
    row = await repository.get_task_row(conn, user_id, task_id)
    if row is None:
        raise _not_found(task_id)
    return row_document(row, now)


async def list_tasks(
    conn: Connection,
    user_id: str,
    filters: ListFilters,
    *,
    limit: int,
    cursor_text: str | None,
    now: datetime,
) -> Page[TaskDocument]:
    """One page of the user's tasks, as the documents the API answers at ``now``: rendered from
    the rows (``row_document``), with a ``Task`` only for the last one (its cursor)."""
    after = None
    if cursor_text is not None:
        after = _after(cursor.decode(cursor_text, user_id, filters), filters.sort)
    sql, args = repository.list_query(user_id, filters, after=after, limit=limit + 1, now=now)
    rows = await repository.list_rows(conn, sql, args)
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = task_from_row(rows[-1])
        position = cursor.Position(key=_sort_value(last, filters.sort), id=last.id)
        next_cursor = cursor.encode(user_id, filters, position)
    return Page([row_document(row, now) for row in rows], next_cursor)


def _sort_value(task: Task, sort: str) -> int | None:
    name = sort.lstrip("-")
    if name == "priority":
        return PRIORITY_RANK[task.priority]
    value: datetime | None = getattr(task, name)
    return None if value is None else to_micros(value)


def _after(position: cursor.Position, sort: str) -> repository.After:
    name = sort.lstrip("-")
    key = position.key
    if name == "priority":
        if key not in PRIORITY_RANK.values():
            raise InvalidCursorError("The cursor does not fit this sort.")
        return repository.After(key=key, id=position.id)
    if key is None:
        if name != "due_date":
            raise InvalidCursorError("The cursor does not fit this sort.")
        return repository.After(key=None, id=position.id)
    try:
        return repository.After(key=EPOCH + timedelta(microseconds=key), id=position.id)
    except OverflowError:
        raise InvalidCursorError("The cursor does not fit this sort.") from None


# --- writes ----------------------------------------------------------------------------------


async def create_task(
    conn: Connection,
    user_id: str,
    data: TaskCreate,
    now: datetime,
    *,
    wakeup: FeedWakeup | None = None,
) -> TaskChange:
    now = now.astimezone(UTC)
    draft = Task(
        id=uuid7(),
        user_id=user_id,
        title=data.title,
        description=data.description,
        status="pending",
        priority=data.priority,
        due_date=data.due_date,
        tags=tuple(data.tags),
        created_at=now,
        updated_at=now,
        completed_at=None,
        version=1,
    )
    outcome = rules.create(draft, data, now)
    change = TaskChange(None, outcome.task, completion_added=outcome.added)
    await writes.write(conn, _write(change, now), wakeup)
    return change


async def patch_task(
    conn: Connection,
    user_id: str,
    raw_id: str,
    data: TaskPatch,
    if_match: list[int] | None,
    now: datetime,
    *,
    wakeup: FeedWakeup | None = None,
) -> TaskChange:
    """A JSON merge patch. ``if_match``: the versions that may be changed (None: any).
    Nothing is written, and ``change.changed`` is false, when the patch changes no value."""
    task_id = parse_task_id(raw_id)

    async def decide(before: Task) -> Decision:
        if if_match is not None and before.version not in if_match:
            raise precondition_failed(before.version)
        latest = None
        reopening = before.status == "completed" and data.status not in (None, "completed")
        if reopening and "status" in data.model_fields_set:
            latest = await repository.latest_completion(conn, before)
        outcome = rules.patch(before, data, now, latest)
        if before.same_content(outcome.task):
            return TaskChange(before, before), None
        after = replace(outcome.task, version=before.version + 1, updated_at=now)
        change = TaskChange(
            before, after, completion_added=outcome.added, completion_removed=outcome.removed
        )
        return change, _write(change, now, sync_completion_due=outcome.sync_completion_due)

    return await _apply(conn, user_id, task_id, decide, wakeup=wakeup)


async def delete_task(
    conn: Connection,
    user_id: str,
    raw_id: str,
    if_match: list[int] | None,
    now: datetime,
    *,
    wakeup: FeedWakeup | None = None,
) -> TaskChange:
    task_id = parse_task_id(raw_id)

    async def decide(before: Task) -> Decision:
        if if_match is not None and before.version not in if_match:
            raise precondition_failed(before.version)
        change = TaskChange(before, None)
        return change, _write(change, now)

    return await _apply(conn, user_id, task_id, decide, wakeup=wakeup)


# --- the completions ledger ------------------------------------------------------------------


def _parse_completion_id(raw: str) -> UUID:
    if not _UUID.match(raw):
        raise CompletionNotFoundError(f"No completion {raw[:64]} of this task.")
    return UUID(raw)


async def undo_completion(
    conn: Connection,
    user_id: str,
    raw_task_id: str,
    raw_completion_id: str,
    now: datetime,
    *,
    wakeup: FeedWakeup | None = None,
) -> TaskChange:
    """Remove the task's latest completion and put the task back as it was before it."""
    task_id = parse_task_id(raw_task_id)
    completion_id = _parse_completion_id(raw_completion_id)

    async def decide(before: Task) -> Decision:
        completion = await repository.get_completion(conn, user_id, task_id, completion_id)
        if completion is None:
            raise CompletionNotFoundError(f"No completion {completion_id} of this task.")
        latest = await repository.latest_completion(conn, before)
        if latest is None or latest.id != completion.id:
            raise CompletionNotLatestError(
                "Only the task's latest completion can be undone"
                + ("" if latest is None else f" (now {latest.id})")
                + "."
            )
        after = rules.undo(before, completion, now)
        change = TaskChange(before, after, completion_removed=completion)
        return change, _write(change, now)

    return await _apply(conn, user_id, task_id, decide, wakeup=wakeup)


class _CompletionQuery:
    """What a completions cursor is bound to (besides the user): the task."""

    def __init__(self, task_id: UUID) -> None:
        self.task_id = task_id

    def fingerprint(self) -> list[str]:
        return ["completions", str(self.task_id)]


async def list_completions(
    conn: Connection, user_id: str, raw_id: str, *, limit: int, cursor_text: str | None
) -> Page[Completion]:
    """The task's completions, newest first, one keyset page."""
    task_id = parse_task_id(raw_id)
    query = _CompletionQuery(task_id)
    before_number = None
    if cursor_text is not None:
        position = cursor.decode(cursor_text, user_id, query)
        if position.key is None or not 0 < position.key <= 2**31 - 1:
            raise InvalidCursorError("The cursor does not fit this query.")
        before_number = position.key
    items = await repository.list_completions(
        conn, user_id, task_id, before_number=before_number, limit=limit + 1
    )
    if items is None:
        raise _not_found(task_id)
    next_cursor = None
    if len(items) > limit:
        items = items[:limit]
        last = items[-1]
        next_cursor = cursor.encode(user_id, query, cursor.Position(key=last.number, id=last.id))
    return Page(items, next_cursor)
