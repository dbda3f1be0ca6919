"""The rules of the stats figures: validation of the query, rates, streak anchors, the
daily series. The counting itself is done by the repository over the aggregates."""

from __future__ import annotations

import functools
import re
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import asyncpg

from platform_db import Connection
from task_manager.errors import ValidationFailedError
from task_manager.stats import repository

TZ_PATTERN = re.compile(r"^[A-Za-z0-9_+\-]+(/[A-Za-z0-9_+\-]+)*$")
MAX_TZ_LENGTH = 64
PRIORITIES = ("low", "medium", "high", "urgent")
FOUR_PLACES = Decimal("0.0001")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)

# GET /v1/stats's answer as plain values, of StatsResponse's shape (stats/schemas.py).
type StatsDocument = dict[str, Any]


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


def time_zone(tz: str) -> ZoneInfo:
    """The IANA time zone of that name, else 422 naming ``tz``."""
    if len(tz) > MAX_TZ_LENGTH or not TZ_PATTERN.fullmatch(tz):
        raise tz_error(tz)
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise tz_error(tz) from None


def day_start(day: date, zone: ZoneInfo) -> datetime:
    """The first instant of a local date, in UTC. Midnight at fold 0 is its first occurrence
    when the clocks fall back over it, and the moment of the change when they skip it."""
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def local_window(now: datetime, zone: ZoneInfo, days: int) -> tuple[date, list[int]]:
    """Today's local date, and the first instants of the window's local dates and of
    tomorrow, in microseconds since the Unix epoch. The window has ``days`` dates, and at least
    7 (for completed_last_7_days)."""
    today = now.astimezone(zone).date()
    return today, list(_day_starts(today, zone, max(days, 7)))


@functools.lru_cache(maxsize=256)
def _day_starts(today: date, zone: ZoneInfo, window: int) -> tuple[int, ...]:
    """The same for every player in that zone on that local date: computed once (the zone
    conversions were a fifth of a stats request's CPU). Integers, not datetimes: asyncpg
    encodes 31 of them in a fraction of the time it takes for 31 ``timestamptz``."""
    return tuple(
        (day_start(today - timedelta(days=k), zone) - EPOCH) // MICROSECOND
        for k in range(window - 1, -2, -1)
    )


def rate(part: int, whole: int) -> float:
    """part / whole rounded half up to 4 decimals, computed exactly."""
    return float((Decimal(part) / Decimal(whole)).quantize(FOUR_PLACES, rounding=ROUND_HALF_UP))


def daily_series(row: repository.StatsRow, days: int) -> list[dict[str, object]]:
    """The last ``days`` dates of the window, oldest first, ending today. Plain dicts: one
    ``DailyCompletions.model_construct`` per date in Python was a tenth of a stats request's
    CPU."""
    dates, counts = row.window_dates[-days:], row.window_counts[-days:]
    return [{"date": d, "count": n} for d, n in zip(dates, counts, strict=True)]


async def user_stats(
    conn: Connection | asyncpg.Pool, user_id: str, tz: str, days: int, now: datetime
) -> StatsDocument:
    """The player's figures as the API answers them: a document of :class:`StatsResponse`'s
    shape (plain values, rendered once by orjson; tests check it against the model)."""
    today, starts = local_window(now, time_zone(tz), days)
    try:
        row = await repository.fetch_stats(conn, user_id, tz, now, today, starts)
    except repository.UnknownTimeZoneError:
        raise tz_error(tz) from None
    c = row.counters
    return {
        "user_id": user_id,
        "tz": tz,
        "generated_at": now,
        "total": c["total"],
        "pending": c["pending"],
        "in_progress": c["in_progress"],
        "completed": c["completed"],
        "overdue": c["overdue"],
        "completion_rate": rate(c["completed"], c["total"]) if c["total"] else 0.0,
        "on_time_rate": (
            rate(c["completed_on_time"], c["completed_with_due"])
            if c["completed_with_due"]
            else None
        ),
        "by_priority": {
            p: {"total": c[f"{p}_total"], "completed": c[f"{p}_completed"]} for p in PRIORITIES
        },
        # the window has at least 7 dates and ends today (local_window)
        "completed_today": row.window_counts[-1],
        "completed_last_7_days": sum(row.window_counts[-7:]),
        "completions_total": c["completions_total"],
        "current_streak_days": row.current_streak,
        "longest_streak_days": row.longest_streak,
        "last_completed_at": row.last_completed_at,
        "daily_completions": daily_series(row, days),
    }
