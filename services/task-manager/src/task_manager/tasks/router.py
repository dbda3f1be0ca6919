"""``/v1/tasks``: endpoints parse and answer; the rules are in :mod:`.service`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response

from task_manager.clock import AppClock
from task_manager.dependencies import Connection, ReadConnection, UserId
from task_manager.errors import (
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
from task_manager.tasks import service
from task_manager.tasks.body import create_body, patch_body
from task_manager.tasks.docs import ETAG_HEADER, LOCATION_HEADER, error_responses, request_body
from task_manager.tasks.idempotency import IdempotencyKeyHeader, IdempotencyScope
from task_manager.tasks.query import list_filters
from task_manager.tasks.schemas import ListFilters, Task, TaskCreate, TaskPage, TaskPatch

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


def as_response(answer: service.Answer) -> Response:
    if answer.body is None:
        return Response(status_code=answer.status, headers=answer.headers)
    return Response(answer.body, answer.status, answer.headers, media_type=JSON)


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
    description="Creates a task for the user in `X-User-ID`. With `Idempotency-Key`, a retry "
    "answers the first response again (same id, status, body and headers).",
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
    conn: Connection,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Response:
    scope = None
    if idempotency_key is not None:
        scope = IdempotencyScope(api_key_id=request.state.client.key_id, key=idempotency_key)
    answer = await service.create_task(conn, user_id, data, clock.now(), scope)
    return as_response(answer)


@router.get(
    "/tasks",
    response_model=TaskPage,
    summary="List tasks",
    description="The user's tasks, filtered, sorted, one page at a time (keyset pagination: "
    "walking all pages returns each matching task exactly once, even while tasks are created "
    "or deleted). All parameters are optional and combinable.",
    responses=error_responses(InvalidCursorError, ValidationFailedError),
)
async def list_tasks(
    user_id: UserId,
    filters: Filters,
    clock: AppClock,
    conn: ReadConnection,  # one SELECT
    limit: Annotated[int, Query(ge=1, le=200, description="Page size, 1-200.")] = 50,
    cursor: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=512,
            description="The `next_cursor` of the previous page, with the same filters and "
            "sort (else 400 `invalid_cursor`).",
        ),
    ] = None,
) -> Response:
    body = await service.list_tasks(
        conn, user_id, filters, limit=limit, cursor_text=cursor, now=clock.now()
    )
    return Response(body, media_type=JSON)


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
    conn: ReadConnection,  # one SELECT
    if_none_match: IfNoneMatch = None,
) -> Response:
    return as_response(await service.get_task(conn, user_id, task_id, if_none_match))


@router.patch(
    "/tasks/{task_id}",
    response_model=Task,
    summary="Change a task (JSON merge patch)",
    description="Fields present are set; `null` clears `description` or `due_date` "
    "(`title`, `status`, `priority`, `tags` cannot be null). `{}` changes nothing and keeps "
    "the version. `completed_at` and `version` are maintained by the server.",
    responses=_task_responses(
        200,
        InvalidJsonError,
        TaskNotFoundError,
        PreconditionFailedError,
        PayloadTooLargeError,
        UnsupportedMediaTypeError,
        ValidationFailedError,
    ),
    openapi_extra=request_body(TaskPatch, [JSON, "application/merge-patch+json"]),
)
async def patch_task(
    task_id: TaskId,
    user_id: UserId,
    data: PatchBody,
    clock: AppClock,
    conn: Connection,
    if_match: IfMatch = None,
) -> Response:
    answer = await service.patch_task(conn, user_id, task_id, data, if_match, clock.now())
    return as_response(answer)


@router.delete(
    "/tasks/{task_id}",
    status_code=204,
    summary="Delete a task",
    response_class=Response,
    responses=error_responses(TaskNotFoundError, PreconditionFailedError, ValidationFailedError),
)
async def delete_task(
    task_id: TaskId,
    user_id: UserId,
    conn: Connection,
    clock: AppClock,
    if_match: IfMatch = None,
) -> Response:
    await service.delete_task(conn, user_id, task_id, if_match, clock.now())
    return Response(status_code=204)
