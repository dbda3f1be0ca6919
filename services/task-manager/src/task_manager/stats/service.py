"""The rules of the stats figures: validation of the query, rates, streak anchors, the
daily series. The counting itself is done by the repository over the aggregates."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import asyncpg

from platform_db import Connection
from task_manager.errors import ValidationFailedError
from task_manager.stats import repository
from task_manager.stats.schemas import ByPriority, DailyCompletions, PriorityStats, StatsResponse

TZ_PATTERN = re.compile(r"^[A-Za-z0-9_+\-]+(/[A-Za-z0-9_+\-]+)*$")
MAX_TZ_LENGTH = 64
PRIORITIES = ("low", "medium", "high", "urgent")
FOUR_PLACES = Decimal("0.0001")


def tz_error(tz: str) -> ValidationFailedError:
    return ValidationFailedError(
        "Invalid input: tz.",
        errors=[
            {
                "loc": ["query", "tz"],
                "message": f"Unknown time zone {tz[:MAX_TZ_LENGTH]!r}: use an IANA name "
                "such as 'Europe/Madrid'.",
                "type": "time_zone",
            }
        ],
    )


def check_time_zone(tz: str) -> str:
    """An IANA time zone name known to zoneinfo, else 422 naming ``tz``."""
    if len(tz) > MAX_TZ_LENGTH or not TZ_PATTERN.fullmatch(tz):
        raise tz_error(tz)
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise tz_error(tz) from None
    return tz


def rate(part: int, whole: int) -> float:
    """part / whole rounded half up to 4 decimals, computed exactly."""
    return float((Decimal(part) / Decimal(whole)).quantize(FOUR_PLACES, rounding=ROUND_HALF_UP))


def daily_series(today: date, days: int, counts: dict[date, int]) -> list[DailyCompletions]:
    return [
        DailyCompletions(date=d, count=counts.get(d, 0))
        for d in (today - timedelta(days=offset) for offset in range(days - 1, -1, -1))
    ]


async def user_stats(
    conn: Connection | asyncpg.Pool, user_id: str, tz: str, days: int, now: datetime
) -> StatsResponse:
    check_time_zone(tz)
    try:
        row = await repository.fetch_stats(conn, user_id, tz, now, max(days, 7))
    except repository.UnknownTimeZoneError:
        raise tz_error(tz) from None
    c = row.counters
    by_date = row.completions_by_date
    return StatsResponse(
        user_id=user_id,
        tz=tz,
        generated_at=now,
        total=c["total"],
        pending=c["pending"],
        in_progress=c["in_progress"],
        completed=c["completed"],
        overdue=c["overdue"],
        completion_rate=rate(c["completed"], c["total"]) if c["total"] else 0.0,
        on_time_rate=(
            rate(c["completed_on_time"], c["completed_with_due"])
            if c["completed_with_due"]
            else None
        ),
        by_priority=ByPriority(
            **{
                p: PriorityStats(total=c[f"{p}_total"], completed=c[f"{p}_completed"])
                for p in PRIORITIES
            }
        ),
        completed_today=by_date.get(row.today, 0),
        completed_last_7_days=sum(by_date.get(row.today - timedelta(days=k), 0) for k in range(7)),
        current_streak_days=row.current_streak,
        longest_streak_days=row.longest_streak,
        last_completed_at=row.last_completed_at,
        daily_completions=daily_series(row.today, days, by_date),
    )
