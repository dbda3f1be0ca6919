"""``/v1/tasks``: endpoints parse and answer; the rules are in :mod:`.service`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response

from task_manager.clock import AppClock
from task_manager.dependencies import ReadConnection, StatementConnection, UserId
from task_manager.errors import (
    CompletionNotFoundError,
    CompletionNotLatestError,
    IdempotencyKeyInUseError,
    IdempotencyKeyMismatchError,
    InvalidCursorError,
    InvalidJsonError,
    PayloadTooLargeError,
    PreconditionFailedError,
    TaskNotFoundError,
    UnsupportedMediaTypeError,
    ValidationFailedError,
)
from task_manager.events.wakeup import wakeup_of
from task_manager.tasks import http, idempotency, service
from task_manager.tasks.body import create_body, patch_body
from task_manager.tasks.docs import ETAG_HEADER, LOCATION_HEADER, error_responses, request_body
from task_manager.tasks.idempotency import IdempotencyKeyHeader, IdempotencyScope
from task_manager.tasks.query import list_filters
from task_manager.tasks.repository import StoredResponse
from task_manager.tasks.schemas import (
    CompletionPage,
    ListFilters,
    Task,
    TaskCreate,
    TaskPage,
    TaskPatch,
)

router = APIRouter(tags=["tasks"])
JSON = "application/json"

TaskId = Annotated[
    str,
    Path(
        description="The task's id (a UUID). Anything else is answered like an unknown id.",
        examples=["3f0c8d2e-5b7a-4c1e-9f3a-2d6b8e1c4a7f"],
    ),
]
IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        max_length=1024,
        description='Only act if the task\'s ETag is one of these (e.g. `"3"`, or `*`); else '
        "412 `precondition_failed`. Strong comparison: weak tags never match.",
        examples=['"3"'],
    ),
]
IfNoneMatch = Annotated[
    str | None,
    Header(
        alias="If-None-Match",
        max_length=1024,
        description="Answer 304 without a body when the task's ETag is one of these (or `*`).",
        examples=['"3"'],
    ),
]
CreateBody = Annotated[TaskCreate, Depends(create_body)]
PatchBody = Annotated[TaskPatch, Depends(patch_body)]
Filters = Annotated[ListFilters, Depends(list_filters)]


CompletionId = Annotated[
    str,
    Path(
        description="The completion's id (a UUID). Anything else is answered like an unknown id.",
        examples=["9b2e4f1a-0c3d-4e5f-8a7b-6c5d4e3f2a1b"],
    ),
]
Limit = Annotated[int, Query(ge=1, le=200, description="Page size, 1-200.")]
Cursor = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=512,
        description="The `next_cursor` of the previous page, with the same query (else 400 "
        "`invalid_cursor`).",
    ),
]


def _scope(request: Request, key: str | None) -> IdempotencyScope | None:
    if key is None:
        return None
    return IdempotencyScope(api_key_id=request.state.client.key_id, key=key)


def _replay(stored: StoredResponse) -> Response:
    return Response(stored.body, stored.status_code, dict(stored.headers), media_type=http.JSON)


async def _remember(
    conn: StatementConnection,
    scope: IdempotencyScope | None,
    user_id: str,
    digest: bytes,
    response: Response,
) -> Response:
    if scope is not None:
        headers = {k: v for k, v in response.headers.items() if k in ("etag", "location")}
        named = {"etag": "ETag", "location": "Location"}
        stored = StoredResponse(
            digest,
            response.status_code,
            bytes(response.body),
            {named[k]: v for k, v in headers.items()},
        )
        await idempotency.finish(conn, scope, user_id, stored)
    return response


def _task_responses(status: int, *extra: Any) -> dict[int | str, dict[str, Any]]:
    headers = {"ETag": ETAG_HEADER}
    if status == 201:
        headers["Location"] = LOCATION_HEADER
    return {status: {"headers": headers}, **error_responses(*extra)}


@router.post(
    "/tasks",
    status_code=201,
    response_model=Task,
    summary="Create a task",
    description="Creates a task for the user in `X-User-ID`, one-off or recurring (with "
    "`recurrence` and a `due_date`). With `Idempotency-Key`, a retry answers the first "
    "response again (same id, status, body and headers).",
    responses=_task_responses(
        201,
        InvalidJsonError,
        IdempotencyKeyInUseError,
        PayloadTooLargeError,
        UnsupportedMediaTypeError,
        ValidationFailedError,
        IdempotencyKeyMismatchError,
    ),
    openapi_extra=request_body(TaskCreate, [JSON]),
)
async def create_task(
    request: Request,
    user_id: UserId,
    data: CreateBody,
    clock: AppClock,
    conn: StatementConnection,  # a create is one statement; a transaction with a key
    idempotency_key: IdempotencyKeyHeader = None,
) -> Response:
    now = clock.now()
    scope = _scope(request, idempotency_key)
    if scope is None:
        wakeup = wakeup_of(request.app)
        change = await service.create_task(conn, user_id, data, now, wakeup=wakeup)
        assert change.after is not None
        return http.task_response(change.after, now, 201)
    digest = idempotency.request_hash(data)
    async with conn.transaction():
        if stored := await idempotency.begin(conn, scope, user_id, digest, now):
            return _replay(stored)
        change = await service.create_task(conn, user_id, data, now)
        assert change.after is not None
        response = http.task_response(change.after, now, 201)
        return await _remember(conn, scope, user_id, digest, response)


@router.get(
    "/tasks",
    response_model=TaskPage,
    summary="List tasks",
    description="The user's tasks, filtered, sorted, one page at a time (keyset pagination: "
    "walking all pages returns each matching task exactly once, even while tasks are created "
    "or deleted). All parameters are optional and combinable. A recurring task's `due_date` "
    "is its current occurrence's (filters and the `due_date` sort use it).",
    responses=error_responses(InvalidCursorError, ValidationFailedError),
)
async def list_tasks(
    user_id: UserId,
    filters: Filters,
    clock: AppClock,
    conn: ReadConnection,  # one SELECT
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Response:
    now = clock.now()
    page = await service.list_tasks(
        conn, user_id, filters, limit=limit, cursor_text=cursor, now=now
    )
    return http.task_page(page)


@router.get(
    "/tasks/{task_id}",
    response_model=Task,
    summary="Get a task",
    responses={
        200: {"headers": {"ETag": ETAG_HEADER}},
        304: {
            "description": "Not modified: `If-None-Match` names the current ETag (no body).",
            "headers": {"ETag": ETAG_HEADER},
        },
        **error_responses(TaskNotFoundError, ValidationFailedError),
    },
)
async def get_task(
    task_id: TaskId,
    user_id: UserId,
    clock: AppClock,
    conn: ReadConnection,  # one SELECT
    if_none_match: IfNoneMatch = None,
) -> Response:
    document = await service.read_task(conn, user_id, task_id, clock.now())
    return http.read_response(document, if_none_match)


@router.patch(
    "/tasks/{task_id}",
    response_model=Task,
    summary="Change a task (JSON merge patch)",
    description="Fields present are set; `null` clears `description`, `due_date` or "
    "`recurrence` (`title`, `status`, `priority`, `tags` cannot be null). `{}` changes nothing "
    "and keeps the version. `completed_at` and `version` are maintained by the server. "
    "Setting `status` to `completed` on a recurring task records a completion and moves the "
    "task to its next occurrence (status `pending` again) in the same transaction. With "
    "`Idempotency-Key`, a retry answers the first response again (a retried completion "
    "completes once).",
    responses=_task_responses(
        200,
        InvalidJsonError,
        TaskNotFoundError,
        IdempotencyKeyInUseError,
        PreconditionFailedError,
        PayloadTooLargeError,
        UnsupportedMediaTypeError,
        ValidationFailedError,
        IdempotencyKeyMismatchError,
    ),
    openapi_extra=request_body(TaskPatch, [JSON, "application/merge-patch+json"]),
)
async def patch_task(
    request: Request,
    task_id: TaskId,
    user_id: UserId,
    data: PatchBody,
    clock: AppClock,
    conn: StatementConnection,  # a read and one write statement; a transaction with a key
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Response:
    now = clock.now()
    scope = _scope(request, idempotency_key)
    versions = http.parse_if_match(if_match)
    if scope is None:
        wakeup = wakeup_of(request.app)
        change = await service.patch_task(
            conn, user_id, task_id, data, versions, now, wakeup=wakeup
        )
        assert change.after is not None
        return http.task_response(change.after, now)
    digest = idempotency.patch_hash(task_id, data, if_match)
    async with conn.transaction():
        if stored := await idempotency.begin(conn, scope, user_id, digest, now):
            return _replay(stored)
        change = await service.patch_task(conn, user_id, task_id, data, versions, now)
        assert change.after is not None
        return await _remember(conn, scope, user_id, digest, http.task_response(change.after, now))


@router.delete(
    "/tasks/{task_id}",
    status_code=204,
    summary="Delete a task",
    description="Deletes the task and its completions (they no longer count in the stats).",
    response_class=Response,
    responses=error_responses(TaskNotFoundError, PreconditionFailedError, ValidationFailedError),
)
async def delete_task(
    request: Request,
    task_id: TaskId,
    user_id: UserId,
    clock: AppClock,
    conn: StatementConnection,  # a read and one write statement
    if_match: IfMatch = None,
) -> Response:
    versions = http.parse_if_match(if_match)
    wakeup = wakeup_of(request.app)
    await service.delete_task(conn, user_id, task_id, versions, clock.now(), wakeup=wakeup)
    return Response(status_code=204)


@router.get(
    "/tasks/{task_id}/completions",
    response_model=CompletionPage,
    summary="List a task's completions",
    description="The task's completions on record, newest first, one keyset page at a time.",
    responses=error_responses(TaskNotFoundError, InvalidCursorError, ValidationFailedError),
)
async def list_completions(
    task_id: TaskId,
    user_id: UserId,
    conn: ReadConnection,  # one SELECT
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Response:
    page = await service.list_completions(conn, user_id, task_id, limit=limit, cursor_text=cursor)
    return http.completion_page(page)


@router.delete(
    "/tasks/{task_id}/completions/{completion_id}",
    response_model=Task,
    summary="Undo a completion",
    description="Removes the task's latest completion and puts the task back as it was before "
    "it (due date, status, `completed_at`, `streak`, `longest_streak`, `starts_at`); the "
    "version goes up. Only the latest completion can be undone (else 409 "
    "`completion_not_latest`). For a one-off task it is the same as a PATCH to "
    "`status: pending`.",
    responses=_task_responses(
        200,
        TaskNotFoundError,
        CompletionNotFoundError,
        CompletionNotLatestError,
        ValidationFailedError,
    ),
)
async def undo_completion(
    request: Request,
    task_id: TaskId,
    completion_id: CompletionId,
    user_id: UserId,
    clock: AppClock,
    conn: StatementConnection,  # reads and one write statement
) -> Response:
    now = clock.now()
    wakeup = wakeup_of(request.app)
    change = await service.undo_completion(
        conn, user_id, task_id, completion_id, now, wakeup=wakeup
    )
    assert change.after is not None
    return http.task_response(change.after, now)
