"""``GET /v1/stats``: parse the query, answer the figures."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from task_manager.clock import AppClock
from task_manager.dependencies import ReadConnection, UserId
from task_manager.problems import problem_responses
from task_manager.stats import service
from task_manager.stats.http import stats_response
from task_manager.stats.schemas import StatsResponse

router = APIRouter(tags=["stats"])


@router.get(
    "/stats",
    response_model=StatsResponse,
    summary="A player's gamification figures",
    description="Counts, rates, streaks and daily completions over the player's tasks that "
    "exist now. Local dates are in `tz`. The cost does not depend on the number of tasks: the "
    "figures are read from aggregates kept in the same transaction as every task change.",
    responses=problem_responses(422),
)
async def get_stats(
    conn: ReadConnection,  # a bounded wait for the connection, as the task routes
    clock: AppClock,
    user_id: UserId,
    tz: Annotated[
        str,
        Query(
            min_length=1,
            max_length=service.MAX_TZ_LENGTH,
            description="IANA time zone name of the local dates (today, streaks, daily).",
            examples=["Europe/Madrid"],
        ),
    ] = "UTC",
    days: Annotated[
        int, Query(ge=1, le=366, description="Entries in `daily_completions`, ending today.")
    ] = 30,
) -> Response:
    # One read-only statement: its snapshot is consistent on its own, so no explicit
    # transaction (BEGIN/COMMIT would triple the round trips).
    stats = await service.user_stats(conn, user_id, tz, days, clock.now())
    # Rendered as is: returning a model would make FastAPI validate it again and encode it
    # twice (response_model documents the shape).
    return stats_response(stats)
