"""Stats aggregates: per-user counters and 15-minute completion buckets, kept by triggers.

``GET /v1/stats`` reads these instead of the user's tasks, so its cost does not grow with the
number of tasks. Triggers on ``tasks`` keep them exact in the same transaction as every change
(insert, status / priority / due-date change, reopen, delete), whichever code path writes.

- ``task_stats_users``: one row per user: totals by status, by priority x completed, completed
  with a due date / on time, open tasks with a due date. Every trigger locks this row first
  (an upsert), which serialises the writers of one user and fixes the lock order, so that
  concurrent writers never lose an update and never deadlock on the aggregates.
- ``task_stats_completion_buckets``: completions per user per 15-minute UTC bucket. Every real
  UTC offset, and every offset change, is a multiple of 15 minutes, so every instant of a
  bucket has the same local date in any time zone: local daily counts are exact.
- ``task_stats_completion_days``: per user and UTC day that has completions, its first and last
  bucket. A UTC day covers at most two local dates in any zone, and a local date only moves
  forward, so the local dates of those two buckets are exactly the local dates with
  completions that day: streaks read one row per active day, not one per bucket.

``task_stats_recompute(user_id)`` (one user, or NULL for all) rebuilds them from the tasks.

Revision ID: 0003_stats_aggregates
Revises: 0002_tasks_api
Create Date: 2026-11-27
"""

from alembic import op

revision = "0003_stats_aggregates"
down_revision = "0002_tasks_api"
branch_labels = None
depends_on = None

TABLES = """
CREATE TABLE task_stats_users (
    user_id            text PRIMARY KEY,
    total              integer NOT NULL DEFAULT 0,
    pending            integer NOT NULL DEFAULT 0,
    in_progress        integer NOT NULL DEFAULT 0,
    completed          integer NOT NULL DEFAULT 0,
    low_total          integer NOT NULL DEFAULT 0,
    low_completed      integer NOT NULL DEFAULT 0,
    medium_total       integer NOT NULL DEFAULT 0,
    medium_completed   integer NOT NULL DEFAULT 0,
    high_total         integer NOT NULL DEFAULT 0,
    high_completed     integer NOT NULL DEFAULT 0,
    urgent_total       integer NOT NULL DEFAULT 0,
    urgent_completed   integer NOT NULL DEFAULT 0,
    completed_with_due integer NOT NULL DEFAULT 0,
    completed_on_time  integer NOT NULL DEFAULT 0,
    open_with_due      integer NOT NULL DEFAULT 0
);

CREATE TABLE task_stats_completion_buckets (
    user_id     text NOT NULL,
    bucket      timestamptz NOT NULL,
    completions integer NOT NULL CHECK (completions > 0),
    PRIMARY KEY (user_id, bucket)
);

CREATE TABLE task_stats_completion_days (
    user_id      text NOT NULL,
    day          date NOT NULL,
    first_bucket timestamptz NOT NULL,
    last_bucket  timestamptz NOT NULL,
    buckets      integer NOT NULL CHECK (buckets > 0),
    completions  integer NOT NULL CHECK (completions >= buckets),
    PRIMARY KEY (user_id, day)
);

-- overdue = open tasks with a due date - open tasks due from now on (few: read via this index)
CREATE INDEX tasks_user_open_due_idx ON tasks (user_id, due_date) WHERE status <> 'completed';

-- last_completed_at: the newest completion inside the newest bucket
CREATE INDEX tasks_user_completed_at_idx ON tasks (user_id, completed_at)
    WHERE status = 'completed';
"""

FUNCTIONS = r"""
CREATE FUNCTION task_stats_bucket(ts timestamptz) RETURNS timestamptz
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT date_bin('15 minutes', ts, TIMESTAMPTZ '2000-01-01 00:00:00+00') $$;

-- Add (sign = 1) or remove (sign = -1) one task's contribution to its user's counters.
-- (plpgsql, not sql: its statement's plan is cached for the session.)
CREATE FUNCTION task_stats_count(
    p_user text, p_status text, p_priority text, p_due timestamptz, p_completed timestamptz,
    p_sign integer
) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO task_stats_users AS s (
        user_id, total, pending, in_progress, completed,
        low_total, low_completed, medium_total, medium_completed,
        high_total, high_completed, urgent_total, urgent_completed,
        completed_with_due, completed_on_time, open_with_due)
    SELECT p_user, p_sign,
        p_sign * (p_status = 'pending')::int,
        p_sign * (p_status = 'in_progress')::int,
        p_sign * done,
        p_sign * (p_priority = 'low')::int, p_sign * (p_priority = 'low')::int * done,
        p_sign * (p_priority = 'medium')::int, p_sign * (p_priority = 'medium')::int * done,
        p_sign * (p_priority = 'high')::int, p_sign * (p_priority = 'high')::int * done,
        p_sign * (p_priority = 'urgent')::int, p_sign * (p_priority = 'urgent')::int * done,
        p_sign * done * (p_due IS NOT NULL)::int,
        p_sign * done * coalesce(p_completed <= p_due, false)::int,
        p_sign * (1 - done) * (p_due IS NOT NULL)::int
    FROM (SELECT (p_status = 'completed')::int AS done) AS d
    ON CONFLICT (user_id) DO UPDATE SET
        total = s.total + EXCLUDED.total,
        pending = s.pending + EXCLUDED.pending,
        in_progress = s.in_progress + EXCLUDED.in_progress,
        completed = s.completed + EXCLUDED.completed,
        low_total = s.low_total + EXCLUDED.low_total,
        low_completed = s.low_completed + EXCLUDED.low_completed,
        medium_total = s.medium_total + EXCLUDED.medium_total,
        medium_completed = s.medium_completed + EXCLUDED.medium_completed,
        high_total = s.high_total + EXCLUDED.high_total,
        high_completed = s.high_completed + EXCLUDED.high_completed,
        urgent_total = s.urgent_total + EXCLUDED.urgent_total,
        urgent_completed = s.urgent_completed + EXCLUDED.urgent_completed,
        completed_with_due = s.completed_with_due + EXCLUDED.completed_with_due,
        completed_on_time = s.completed_on_time + EXCLUDED.completed_on_time,
        open_with_due = s.open_with_due + EXCLUDED.open_with_due;
END
$$;

-- One more completion in a bucket and in its UTC day (which a new bucket may extend).
CREATE FUNCTION task_stats_bucket_add(p_user text, p_bucket timestamptz) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    n integer;
BEGIN
    INSERT INTO task_stats_completion_buckets AS b (user_id, bucket, completions)
    VALUES (p_user, p_bucket, 1)
    ON CONFLICT (user_id, bucket) DO UPDATE SET completions = b.completions + 1
    RETURNING completions INTO n;
    INSERT INTO task_stats_completion_days AS d
        (user_id, day, first_bucket, last_bucket, buckets, completions)
    VALUES (p_user, (p_bucket AT TIME ZONE 'UTC')::date, p_bucket, p_bucket, 1, 1)
    ON CONFLICT (user_id, day) DO UPDATE SET
        first_bucket = least(d.first_bucket, EXCLUDED.first_bucket),
        last_bucket = greatest(d.last_bucket, EXCLUDED.last_bucket),
        buckets = d.buckets + (n = 1)::int,
        completions = d.completions + 1;
END
$$;

-- One completion less; an emptied bucket leaves its day (whose bounds are then re-read from
-- the day's at most 96 buckets), an emptied day is deleted.
CREATE FUNCTION task_stats_bucket_remove(p_user text, p_bucket timestamptz) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_day date := (p_bucket AT TIME ZONE 'UTC')::date;
BEGIN
    UPDATE task_stats_completion_buckets SET completions = completions - 1
    WHERE user_id = p_user AND bucket = p_bucket AND completions > 1;
    IF FOUND THEN
        UPDATE task_stats_completion_days SET completions = completions - 1
        WHERE user_id = p_user AND day = v_day;
        RETURN;
    END IF;
    DELETE FROM task_stats_completion_buckets WHERE user_id = p_user AND bucket = p_bucket;
    IF NOT FOUND THEN
        RAISE WARNING 'task stats out of sync for a user (run task-manager stats-recompute)';
        RETURN;
    END IF;
    UPDATE task_stats_completion_days SET buckets = buckets - 1, completions = completions - 1
    WHERE user_id = p_user AND day = v_day AND buckets > 1;
    IF NOT FOUND THEN
        DELETE FROM task_stats_completion_days WHERE user_id = p_user AND day = v_day;
    ELSE
        UPDATE task_stats_completion_days AS d SET first_bucket = r.lo, last_bucket = r.hi
        FROM (
            SELECT min(bucket) AS lo, max(bucket) AS hi FROM task_stats_completion_buckets
            WHERE user_id = p_user
              AND bucket >= (v_day::timestamp AT TIME ZONE 'UTC')
              AND bucket < ((v_day + 1)::timestamp AT TIME ZONE 'UTC')
        ) AS r
        WHERE d.user_id = p_user AND d.day = v_day AND r.lo IS NOT NULL;
    END IF;
END
$$;

CREATE FUNCTION task_stats_on_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- The user's counter row is always locked first (lock order: counters, then buckets).
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM task_stats_count(
            OLD.user_id, OLD.status, OLD.priority, OLD.due_date, OLD.completed_at, -1);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        PERFORM task_stats_count(
            NEW.user_id, NEW.status, NEW.priority, NEW.due_date, NEW.completed_at, 1);
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.user_id = NEW.user_id
       AND OLD.completed_at IS NOT NULL AND NEW.completed_at IS NOT NULL
       AND task_stats_bucket(OLD.completed_at) = task_stats_bucket(NEW.completed_at) THEN
        RETURN NULL;  -- same bucket: nothing moves
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.completed_at IS NOT NULL THEN
        PERFORM task_stats_bucket_remove(OLD.user_id, task_stats_bucket(OLD.completed_at));
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.completed_at IS NOT NULL THEN
        PERFORM task_stats_bucket_add(NEW.user_id, task_stats_bucket(NEW.completed_at));
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION task_stats_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM task_stats_completion_days;
    DELETE FROM task_stats_completion_buckets;
    DELETE FROM task_stats_users;
    RETURN NULL;
END
$$;

-- Rebuild the aggregates of one user (p_user) or of everyone (NULL) from the tasks.
-- One user: its counter row is locked first, like every trigger does, so writers of that user
-- wait, and changes not yet committed are applied by their own triggers afterwards.
-- Everyone: the tasks table is locked against writes (reads go on) for the rebuild.
CREATE FUNCTION task_stats_recompute(p_user text) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    users integer;
BEGIN
    IF p_user IS NULL THEN
        LOCK TABLE tasks IN SHARE MODE;
        DELETE FROM task_stats_completion_days;
        DELETE FROM task_stats_completion_buckets;
        DELETE FROM task_stats_users;
    ELSE
        INSERT INTO task_stats_users (user_id) VALUES (p_user) ON CONFLICT (user_id) DO NOTHING;
        PERFORM 1 FROM task_stats_users WHERE user_id = p_user FOR UPDATE;
        DELETE FROM task_stats_completion_days WHERE user_id = p_user;
        DELETE FROM task_stats_completion_buckets WHERE user_id = p_user;
        DELETE FROM task_stats_users WHERE user_id = p_user;
    END IF;
    INSERT INTO task_stats_users (
        user_id, total, pending, in_progress, completed,
        low_total, low_completed, medium_total, medium_completed,
        high_total, high_completed, urgent_total, urgent_completed,
        completed_with_due, completed_on_time, open_with_due)
    SELECT user_id, count(*),
        count(*) FILTER (WHERE status = 'pending'),
        count(*) FILTER (WHERE status = 'in_progress'),
        count(*) FILTER (WHERE status = 'completed'),
        count(*) FILTER (WHERE priority = 'low'),
        count(*) FILTER (WHERE priority = 'low' AND status = 'completed'),
        count(*) FILTER (WHERE priority = 'medium'),
        count(*) FILTER (WHERE priority = 'medium' AND status = 'completed'),
        count(*) FILTER (WHERE priority = 'high'),
        count(*) FILTER (WHERE priority = 'high' AND status = 'completed'),
        count(*) FILTER (WHERE priority = 'urgent'),
        count(*) FILTER (WHERE priority = 'urgent' AND status = 'completed'),
        count(*) FILTER (WHERE status = 'completed' AND due_date IS NOT NULL),
        count(*) FILTER (WHERE status = 'completed' AND completed_at <= due_date),
        count(*) FILTER (WHERE status <> 'completed' AND due_date IS NOT NULL)
    FROM tasks
    WHERE p_user IS NULL OR user_id = p_user
    GROUP BY user_id;
    GET DIAGNOSTICS users = ROW_COUNT;
    INSERT INTO task_stats_completion_buckets (user_id, bucket, completions)
    SELECT user_id, task_stats_bucket(completed_at), count(*)
    FROM tasks
    WHERE status = 'completed' AND (p_user IS NULL OR user_id = p_user)
    GROUP BY 1, 2;
    INSERT INTO task_stats_completion_days
        (user_id, day, first_bucket, last_bucket, buckets, completions)
    SELECT user_id, (bucket AT TIME ZONE 'UTC')::date, min(bucket), max(bucket), count(*),
           sum(completions)
    FROM task_stats_completion_buckets
    WHERE p_user IS NULL OR user_id = p_user
    GROUP BY 1, 2;
    RETURN users;
END
$$;
"""

TRIGGERS = """
CREATE TRIGGER tasks_stats_insert AFTER INSERT ON tasks
    FOR EACH ROW EXECUTE FUNCTION task_stats_on_change();

CREATE TRIGGER tasks_stats_update
    AFTER UPDATE OF user_id, status, priority, due_date, completed_at ON tasks
    FOR EACH ROW
    WHEN ((OLD.user_id, OLD.status, OLD.priority, OLD.due_date, OLD.completed_at)
          IS DISTINCT FROM
          (NEW.user_id, NEW.status, NEW.priority, NEW.due_date, NEW.completed_at))
    EXECUTE FUNCTION task_stats_on_change();

CREATE TRIGGER tasks_stats_delete AFTER DELETE ON tasks
    FOR EACH ROW EXECUTE FUNCTION task_stats_on_change();

CREATE TRIGGER tasks_stats_truncate AFTER TRUNCATE ON tasks
    FOR EACH STATEMENT EXECUTE FUNCTION task_stats_on_truncate();
"""


def _statements(script: str) -> list[str]:
    """The statements of a script: separated by blank lines (none contains one)."""
    return [block.strip() for block in script.split("\n\n") if block.strip()]


def upgrade() -> None:
    for script in (TABLES, FUNCTIONS, TRIGGERS):
        for statement in _statements(script):
            op.execute(statement)
    # Aggregates for the tasks that already exist.
    op.execute("SELECT task_stats_recompute(NULL)")


DOWNGRADE = (
    "DROP TRIGGER tasks_stats_truncate ON tasks",
    "DROP TRIGGER tasks_stats_delete ON tasks",
    "DROP TRIGGER tasks_stats_update ON tasks",
    "DROP TRIGGER tasks_stats_insert ON tasks",
    "DROP FUNCTION task_stats_recompute(text)",
    "DROP FUNCTION task_stats_on_truncate()",
    "DROP FUNCTION task_stats_on_change()",
    "DROP FUNCTION task_stats_bucket_remove(text, timestamptz)",
    "DROP FUNCTION task_stats_bucket_add(text, timestamptz)",
    "DROP FUNCTION task_stats_count(text, text, text, timestamptz, timestamptz, integer)",
    "DROP FUNCTION task_stats_bucket(timestamptz)",
    "DROP INDEX tasks_user_completed_at_idx",
    "DROP INDEX tasks_user_open_due_idx",
    "DROP TABLE task_stats_completion_days",
    "DROP TABLE task_stats_completion_buckets",
    "DROP TABLE task_stats_users",
)


def downgrade() -> None:
    for statement in DOWNGRADE:
        op.execute(statement)
