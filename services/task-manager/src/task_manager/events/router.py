"""``GET /v1/events`` and ``GET /v1/events/cursor``: the change feed."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Response

from task_manager.dependencies import USER_ID_PATTERN, ReadConnection
from task_manager.events import service
from task_manager.events.schemas import EventPage, EventType, FeedCursor
from task_manager.problems import problem_responses

router = APIRouter(tags=["events"])
JSON = "application/json"

OptionalUserId = Annotated[
    str | None,
    Header(
        alias="X-User-ID",
        min_length=1,
        max_length=128,
        pattern=USER_ID_PATTERN,
        description="Optional here: with it, only that player's events (the cursor is then "
        "valid only in that player's feed).",
        examples=["u-42"],
    ),
]


@router.get(
    "/events",
    response_model=EventPage,
    summary="The change feed",
    description="Every change to a task, once, in one stable order consistent with commit "
    "order; the events of one task in `task_version` order. Follow `next_cursor` (always "
    "present) to continue or to poll. Without `after`: from the oldest retained event.",
    responses=problem_responses(400, 410, 422),
)
async def list_events(
    conn: ReadConnection,
    user_id: OptionalUserId = None,
    after: Annotated[
        str | None,
        Query(min_length=1, max_length=256, description="A `next_cursor` of this feed scope."),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="Page size, 1-1000.")] = 100,
    type_: Annotated[
        list[EventType] | None, Query(alias="type", description="Only these types.")
    ] = None,
) -> Response:
    body = await service.read_feed(
        conn,
        user_id=user_id,
        after=after,
        types=sorted(set(type_)) if type_ else None,
        limit=limit,
    )
    return Response(body, media_type=JSON)


@router.get(
    "/events/cursor",
    response_model=FeedCursor,
    summary="The current end of the feed",
    description="Read this, then read the tasks, then follow the feed from it: nothing is missed.",
    responses=problem_responses(422),
)
async def feed_cursor(conn: ReadConnection, user_id: OptionalUserId = None) -> FeedCursor:
    return FeedCursor(cursor=await service.current_cursor(conn, user_id=user_id))
