"""All SQL of the stats domain. The figures come from the aggregates that the triggers of
migration 0003 keep (``task_stats_*``), never from a scan of the user's tasks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import asyncpg

from platform_db import Connection

# One statement, one round trip. $1 user, $2 time zone, $3 now, $4 window in local days
# (ending today). Rows read: 1 counter row, the buckets of the window (at most 96 a day), one
# row per UTC day with completions (streaks), and two index probes (overdue, last completion).
STATS_SQL = """
WITH p AS (
    SELECT ($3::timestamptz AT TIME ZONE $2::text)::date AS today
),
win AS (
    SELECT (b.bucket AT TIME ZONE $2::text)::date AS d, sum(b.completions)::int AS n
    FROM task_stats_completion_buckets AS b
    WHERE b.user_id = $1
      AND b.bucket >= $3::timestamptz - interval '1 hour' * 24 * ($4::int + 2)
      AND b.bucket < $3::timestamptz + interval '2 days'
    GROUP BY 1
),
win_in AS (
    SELECT win.d, win.n FROM win, p WHERE win.d BETWEEN p.today - ($4::int - 1) AND p.today
),
active AS (
    SELECT DISTINCT x.d
    FROM task_stats_completion_days AS cd
    CROSS JOIN LATERAL (VALUES
        ((cd.first_bucket AT TIME ZONE $2::text)::date),
        ((cd.last_bucket AT TIME ZONE $2::text)::date)
    ) AS x(d)
    WHERE cd.user_id = $1
),
islands AS (
    SELECT min(d) AS first_d, max(d) AS last_d, count(*)::int AS len
    FROM (SELECT d, d - (row_number() OVER (ORDER BY d))::int AS grp FROM active) AS s
    GROUP BY grp
),
last_bucket AS (
    SELECT cd.last_bucket FROM task_stats_completion_days AS cd
    WHERE cd.user_id = $1 ORDER BY cd.day DESC LIMIT 1
)
SELECT
    p.today,
    coalesce(c.total, 0) AS total,
    coalesce(c.pending, 0) AS pending,
    coalesce(c.in_progress, 0) AS in_progress,
    coalesce(c.completed, 0) AS completed,
    coalesce(c.low_total, 0) AS low_total,
    coalesce(c.low_completed, 0) AS low_completed,
    coalesce(c.medium_total, 0) AS medium_total,
    coalesce(c.medium_completed, 0) AS medium_completed,
    coalesce(c.high_total, 0) AS high_total,
    coalesce(c.high_completed, 0) AS high_completed,
    coalesce(c.urgent_total, 0) AS urgent_total,
    coalesce(c.urgent_completed, 0) AS urgent_completed,
    coalesce(c.completed_with_due, 0) AS completed_with_due,
    coalesce(c.completed_on_time, 0) AS completed_on_time,
    coalesce(c.open_with_due, 0) - (
        SELECT count(*) FROM tasks AS t
        WHERE t.user_id = $1 AND t.status <> 'completed' AND t.due_date >= $3::timestamptz
    )::int AS overdue,
    (
        SELECT max(t.completed_at) FROM tasks AS t, last_bucket AS lb
        WHERE t.user_id = $1 AND t.status = 'completed'
          AND t.completed_at >= lb.last_bucket
          AND t.completed_at < lb.last_bucket + interval '15 minutes'
    ) AS last_completed_at,
    (SELECT coalesce(max(i.len), 0) FROM islands AS i) AS longest_streak,
    (
        SELECT coalesce(
            max(p.today - i.first_d + 1) FILTER (WHERE p.today BETWEEN i.first_d AND i.last_d),
            max(p.today - i.first_d) FILTER (WHERE p.today - 1 BETWEEN i.first_d AND i.last_d),
            0)
        FROM islands AS i
    ) AS current_streak,
    ARRAY(SELECT w.d FROM win_in AS w ORDER BY w.d) AS window_dates,
    ARRAY(SELECT w.n FROM win_in AS w ORDER BY w.d) AS window_counts
FROM p
LEFT JOIN task_stats_users AS c ON c.user_id = $1
"""

COUNTERS = (
    "total",
    "pending",
    "in_progress",
    "completed",
    "low_total",
    "low_completed",
    "medium_total",
    "medium_completed",
    "high_total",
    "high_completed",
    "urgent_total",
    "urgent_completed",
    "completed_with_due",
    "completed_on_time",
    "overdue",
)


class UnknownTimeZoneError(Exception):
    """PostgreSQL does not know the time zone name."""


@dataclass(frozen=True, slots=True)
class StatsRow:
    today: date
    counters: dict[str, int]
    last_completed_at: datetime | None
    longest_streak: int
    current_streak: int
    completions_by_date: dict[date, int]  # local dates of the window that have completions


async def fetch_stats(
    conn: Connection | asyncpg.Pool, user_id: str, tz: str, now: datetime, window_days: int
) -> StatsRow:
    try:
        row = await conn.fetchrow(STATS_SQL, user_id, tz, now, window_days)
    except asyncpg.InvalidParameterValueError as exc:
        raise UnknownTimeZoneError(tz) from exc
    assert row is not None  # the query always yields one row
    return StatsRow(
        today=row["today"],
        counters={name: row[name] for name in COUNTERS},
        last_completed_at=row["last_completed_at"],
        longest_streak=row["longest_streak"],
        current_streak=row["current_streak"],
        completions_by_date=dict(zip(row["window_dates"], row["window_counts"], strict=True)),
    )


async def recompute(conn: Connection, user_id: str | None) -> int:
    """Rebuild the aggregates of one user (or of all users, ``None``) from the tasks table,
    inside the caller's transaction. Returns the number of users with tasks rebuilt."""
    users: int = await conn.fetchval("SELECT task_stats_recompute($1::text)", user_id)
    return users
