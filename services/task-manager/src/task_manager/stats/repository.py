"""All SQL of the stats domain. The figures come from the aggregates that the triggers of
migrations 0003 and 0004 keep (``task_stats_*``: tasks by status and priority from ``tasks``,
everything about completions from the ``task_completions`` ledger), never from a scan of the
user's tasks or completions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import asyncpg

from platform_db import Connection

# One statement, one round trip. $1 user, $2 time zone, $3 now, $4 today (local date),
# $5 the first instants of the window's local dates and of tomorrow (microseconds since the
# Unix epoch, ascending; made timestamptz exactly, in integer arithmetic).
# Rows read: 1 counter row; per window date a few buckets next to its local midnight (the
# smaller side of its UTC day: 4 in Madrid, 0 in UTC, at most 48) and the window's UTC-day
# rows; one row per UTC day with completions (streaks); two index probes (overdue; the
# newest completion, backwards on task_completions (user_id, completed_at)).
STATS_SQL = """
WITH p AS (
    SELECT $4::date AS today
),
-- each bound: its instant m, the start ds of its UTC day, and that day dd as a date (once per
-- bound: compared with every window day below, it cost ~0.1 ms a heavy player's request when
-- computed in the comparisons)
bounds AS (
    SELECT b.i, b.m, b.ds, (b.ds AT TIME ZONE 'UTC')::date AS dd
    FROM (
        SELECT u.i, u.m, date_trunc('day', u.m, 'UTC') AS ds
        FROM (
            SELECT timestamptz 'epoch' + u.us * interval '1 microsecond' AS m, u.i
            FROM unnest($5::bigint[]) WITH ORDINALITY AS u(us, i)
        ) AS u
    ) AS b
),
win_days AS (
    SELECT cd.day, cd.completions
    FROM task_stats_completion_days AS cd
    WHERE cd.user_id = $1
      AND cd.day >= (SELECT min(b.dd) FROM bounds AS b)
      AND cd.day <= (SELECT max(b.dd) FROM bounds AS b)
),
-- completions before each bound, counted from the first bound's UTC day: whole UTC days from
-- their rows, the bound's own day from its buckets before (or, if fewer, after) the bound
cum AS (
    SELECT b.i,
        (SELECT coalesce(sum(w.completions), 0) FROM win_days AS w
         WHERE w.day < b.dd)
        + CASE WHEN b.m - b.ds <= interval '12 hours' THEN
            (SELECT coalesce(sum(x.completions), 0) FROM task_stats_completion_buckets AS x
             WHERE x.user_id = $1 AND x.bucket >= b.ds AND x.bucket < b.m)
          ELSE
            (SELECT coalesce(sum(w.completions), 0) FROM win_days AS w
             WHERE w.day = b.dd)
            - (SELECT coalesce(sum(x.completions), 0) FROM task_stats_completion_buckets AS x
               WHERE x.user_id = $1 AND x.bucket >= b.m
                 AND x.bucket < b.ds + interval '24 hours')
          END AS c
    FROM bounds AS b
),
win_in AS (
    SELECT p.today - (cardinality($5::bigint[]) - 1) + a.i::int AS d,
           (z.c - a.c)::int AS n
    FROM cum AS a JOIN cum AS z ON z.i = a.i + 1, p
),
active AS (
    SELECT (cd.first_bucket AT TIME ZONE $2::text)::date AS d
    FROM task_stats_completion_days AS cd WHERE cd.user_id = $1
    UNION
    SELECT (cd.last_bucket AT TIME ZONE $2::text)::date
    FROM task_stats_completion_days AS cd WHERE cd.user_id = $1
),
islands AS (
    SELECT min(d) AS first_d, max(d) AS last_d, count(*)::int AS len
    FROM (SELECT d, d - (row_number() OVER (ORDER BY d))::int AS grp FROM active) AS s
    GROUP BY grp
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
        SELECT max(tc.completed_at) FROM task_completions AS tc WHERE tc.user_id = $1
    ) AS last_completed_at,
    coalesce(c.completions_total, 0) AS completions_total,
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
    "completions_total",
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
    # the window's local dates, oldest first, ending today, and their completions
    window_dates: list[date]
    window_counts: list[int]


async def fetch_stats(
    conn: Connection | asyncpg.Pool,
    user_id: str,
    tz: str,
    now: datetime,
    today: date,
    day_starts: list[int],
) -> StatsRow:
    """The figures' raw material. ``day_starts``: the first instant of each local date of
    the window, then of the day after ``today``, in microseconds since the Unix epoch."""
    try:
        row = await conn.fetchrow(STATS_SQL, user_id, tz, now, today, day_starts)
    except asyncpg.InvalidParameterValueError as exc:
        raise UnknownTimeZoneError(tz) from exc
    assert row is not None  # the query always yields one row
    return StatsRow(
        today=row["today"],
        counters={name: row[name] for name in COUNTERS},
        last_completed_at=row["last_completed_at"],
        longest_streak=row["longest_streak"],
        current_streak=row["current_streak"],
        window_dates=row["window_dates"],
        window_counts=row["window_counts"],
    )


async def recompute(conn: Connection, user_id: str | None) -> int:
    """Rebuild the aggregates of one user (or of all users, ``None``) from the tasks table,
    inside the caller's transaction. Returns the number of users with tasks rebuilt."""
    users: int = await conn.fetchval("SELECT task_stats_recompute($1::text)", user_id)
    return users
