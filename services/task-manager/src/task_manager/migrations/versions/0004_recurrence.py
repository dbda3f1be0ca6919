"""Recurring tasks and the completions ledger; the stats aggregates move to the ledger.

- ``tasks`` gains the recurrence (rule, zone, anchor, series start), the number of the current
  occurrence (completion-anchored COUNT), the streak fields (``streak_until``: when the
  current streak lapses, i.e. the occurrence after the current one falls due) and
  ``completion_count`` / ``completion_seq`` (completions on record / last number given).
- ``task_completions``: one row per completion, written by the service in the same
  transaction as the change that makes it, deleted by an undo or a reopen, and with the task
  (ON DELETE CASCADE). Each row keeps the task's state from before it (``prev_*``) so that an
  undo restores it exactly.
- Stats: the counters of tasks by status / priority / open with a due date stay kept by the
  triggers on ``tasks``; everything about completions (15-minute buckets, UTC days,
  ``completed_with_due``, ``completed_on_time``, the new ``completions_total``) is now kept by
  triggers on ``task_completions``, in the same order of locks (the user's counter row first).
- Backfill: every completed task gets its completion (number 1); the aggregates are rebuilt.

Revision ID: 0004_recurrence
Revises: 0003_stats_aggregates
Create Date: 2026-11-29
"""

import importlib.util
from pathlib import Path

from alembic import op

revision = "0004_recurrence"
down_revision = "0003_stats_aggregates"
branch_labels = None
depends_on = None

TABLES = """
ALTER TABLE tasks
    ADD COLUMN recurrence_rule      text CHECK (char_length(recurrence_rule) <= 1000),
    ADD COLUMN recurrence_tz        text,
    ADD COLUMN recurrence_anchor    text CHECK (recurrence_anchor IN ('schedule', 'completion')),
    ADD COLUMN recurrence_starts_at timestamptz,
    ADD COLUMN occurrence           integer,
    ADD COLUMN streak               integer,
    ADD COLUMN longest_streak       integer,
    ADD COLUMN streak_until         timestamptz,
    ADD COLUMN completion_count     integer NOT NULL DEFAULT 0 CHECK (completion_count >= 0),
    ADD COLUMN completion_seq       integer NOT NULL DEFAULT 0,
    ADD CONSTRAINT recurrence_complete CHECK (
        (recurrence_rule IS NULL) = (recurrence_tz IS NULL)
        AND (recurrence_rule IS NULL) = (recurrence_anchor IS NULL)
        AND (recurrence_rule IS NULL) = (recurrence_starts_at IS NULL)
        AND (recurrence_rule IS NULL OR due_date IS NOT NULL))

CREATE TABLE task_completions (
    id                  uuid PRIMARY KEY,
    task_id             uuid NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    user_id             text NOT NULL,
    number              integer NOT NULL,
    recurring           boolean NOT NULL,
    completed_at        timestamptz NOT NULL,
    due_date            timestamptz,
    next_due_date       timestamptz,
    streak              integer,
    prev_status         text NOT NULL,
    prev_due_date       timestamptz,
    prev_completed_at   timestamptz,
    prev_starts_at      timestamptz,
    prev_occurrence     integer,
    prev_streak         integer,
    prev_longest_streak integer,
    prev_streak_until   timestamptz,
    UNIQUE (task_id, number)
)

-- last_completed_at: one backward probe
CREATE INDEX task_completions_user_completed_idx ON task_completions (user_id, completed_at)

DROP INDEX tasks_user_completed_at_idx

ALTER TABLE task_stats_users ADD COLUMN completions_total integer NOT NULL DEFAULT 0
"""

FUNCTIONS = r"""
-- A task's contribution to its user's counters: by status, by priority, open with a due date.
-- (Completions are counted by task_stats_on_completion; the signature is 0003's.)
CREATE OR REPLACE FUNCTION task_stats_count(
    p_user text, p_status text, p_priority text, p_due timestamptz, p_completed timestamptz,
    p_sign integer
) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO task_stats_users AS s (
        user_id, total, pending, in_progress, completed,
        low_total, low_completed, medium_total, medium_completed,
        high_total, high_completed, urgent_total, urgent_completed, open_with_due)
    SELECT p_user, p_sign,
        p_sign * (p_status = 'pending')::int,
        p_sign * (p_status = 'in_progress')::int,
        p_sign * done,
        p_sign * (p_priority = 'low')::int, p_sign * (p_priority = 'low')::int * done,
        p_sign * (p_priority = 'medium')::int, p_sign * (p_priority = 'medium')::int * done,
        p_sign * (p_priority = 'high')::int, p_sign * (p_priority = 'high')::int * done,
        p_sign * (p_priority = 'urgent')::int, p_sign * (p_priority = 'urgent')::int * done,
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
        open_with_due = s.open_with_due + EXCLUDED.open_with_due;
END
$$;

CREATE OR REPLACE FUNCTION task_stats_on_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM task_stats_count(
            OLD.user_id, OLD.status, OLD.priority, OLD.due_date, OLD.completed_at, -1);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        PERFORM task_stats_count(
            NEW.user_id, NEW.status, NEW.priority, NEW.due_date, NEW.completed_at, 1);
    END IF;
    RETURN NULL;
END
$$;

-- One completion's contribution (p_sign 1 or -1) to the completion counters.
CREATE FUNCTION task_stats_completion_count(
    p_user text, p_due timestamptz, p_completed timestamptz, p_sign integer
) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO task_stats_users AS s
        (user_id, completions_total, completed_with_due, completed_on_time)
    VALUES (p_user, p_sign, p_sign * (p_due IS NOT NULL)::int,
            p_sign * coalesce(p_completed <= p_due, false)::int)
    ON CONFLICT (user_id) DO UPDATE SET
        completions_total = s.completions_total + EXCLUDED.completions_total,
        completed_with_due = s.completed_with_due + EXCLUDED.completed_with_due,
        completed_on_time = s.completed_on_time + EXCLUDED.completed_on_time;
END
$$;

CREATE FUNCTION task_stats_on_completion() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- The user's counter row first (lock order: counters, then buckets, then the day).
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM task_stats_completion_count(OLD.user_id, OLD.due_date, OLD.completed_at, -1);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        PERFORM task_stats_completion_count(NEW.user_id, NEW.due_date, NEW.completed_at, 1);
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.user_id = NEW.user_id
       AND task_stats_bucket(OLD.completed_at) = task_stats_bucket(NEW.completed_at) THEN
        RETURN NULL;  -- same bucket: nothing moves
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM task_stats_bucket_remove(OLD.user_id, task_stats_bucket(OLD.completed_at));
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        PERFORM task_stats_bucket_add(NEW.user_id, task_stats_bucket(NEW.completed_at));
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION task_stats_on_completions_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM task_stats_completion_days;
    DELETE FROM task_stats_completion_buckets;
    UPDATE task_stats_users
    SET completions_total = 0, completed_with_due = 0, completed_on_time = 0;
    RETURN NULL;
END
$$;

-- Rebuild the aggregates of one user (p_user) or of everyone (NULL) from the tasks and the
-- completions ledger (locks as in 0003).
CREATE OR REPLACE FUNCTION task_stats_recompute(p_user text) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    users integer;
BEGIN
    IF p_user IS NULL THEN
        LOCK TABLE tasks IN SHARE MODE;
        LOCK TABLE task_completions IN SHARE MODE;
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
        high_total, high_completed, urgent_total, urgent_completed, open_with_due,
        completions_total, completed_with_due, completed_on_time)
    SELECT t.user_id, t.total, t.pending, t.in_progress, t.completed,
        t.low_total, t.low_completed, t.medium_total, t.medium_completed,
        t.high_total, t.high_completed, t.urgent_total, t.urgent_completed, t.open_with_due,
        coalesce(c.n, 0), coalesce(c.with_due, 0), coalesce(c.on_time, 0)
    FROM (
        SELECT user_id, count(*) AS total,
            count(*) FILTER (WHERE status = 'pending') AS pending,
            count(*) FILTER (WHERE status = 'in_progress') AS in_progress,
            count(*) FILTER (WHERE status = 'completed') AS completed,
            count(*) FILTER (WHERE priority = 'low') AS low_total,
            count(*) FILTER (WHERE priority = 'low' AND status = 'completed') AS low_completed,
            count(*) FILTER (WHERE priority = 'medium') AS medium_total,
            count(*) FILTER (WHERE priority = 'medium' AND status = 'completed')
                AS medium_completed,
            count(*) FILTER (WHERE priority = 'high') AS high_total,
            count(*) FILTER (WHERE priority = 'high' AND status = 'completed') AS high_completed,
            count(*) FILTER (WHERE priority = 'urgent') AS urgent_total,
            count(*) FILTER (WHERE priority = 'urgent' AND status = 'completed')
                AS urgent_completed,
            count(*) FILTER (WHERE status <> 'completed' AND due_date IS NOT NULL)
                AS open_with_due
        FROM tasks WHERE p_user IS NULL OR user_id = p_user GROUP BY user_id
    ) AS t
    LEFT JOIN (
        SELECT user_id, count(*) AS n,
            count(*) FILTER (WHERE due_date IS NOT NULL) AS with_due,
            count(*) FILTER (WHERE completed_at <= due_date) AS on_time
        FROM task_completions WHERE p_user IS NULL OR user_id = p_user GROUP BY user_id
    ) AS c ON c.user_id = t.user_id;
    GET DIAGNOSTICS users = ROW_COUNT;
    INSERT INTO task_stats_completion_buckets (user_id, bucket, completions)
    SELECT user_id, task_stats_bucket(completed_at), count(*)
    FROM task_completions
    WHERE p_user IS NULL OR user_id = p_user
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

BACKFILL = """
INSERT INTO task_completions
    (id, task_id, user_id, number, recurring, completed_at, due_date, prev_status)
SELECT gen_random_uuid(), id, user_id, 1, false, completed_at, due_date, 'pending'
FROM tasks WHERE status = 'completed'

UPDATE tasks SET completion_count = 1, completion_seq = 1 WHERE status = 'completed'
"""

TRIGGERS = """
CREATE TRIGGER task_completions_stats
    AFTER INSERT OR DELETE OR UPDATE OF user_id, due_date, completed_at ON task_completions
    FOR EACH ROW EXECUTE FUNCTION task_stats_on_completion()

CREATE TRIGGER task_completions_stats_truncate AFTER TRUNCATE ON task_completions
    FOR EACH STATEMENT EXECUTE FUNCTION task_stats_on_completions_truncate()
"""


def _statements(script: str) -> list[str]:
    """The statements of a script: separated by blank lines (none contains one)."""
    return [block.strip() for block in script.split("\n\n") if block.strip()]


def upgrade() -> None:
    for script in (TABLES, FUNCTIONS, BACKFILL, TRIGGERS):
        for statement in _statements(script):
            op.execute(statement)
    op.execute("SELECT task_stats_recompute(NULL)")


def downgrade() -> None:
    for statement in (
        "DROP TRIGGER task_completions_stats_truncate ON task_completions",
        "DROP TRIGGER task_completions_stats ON task_completions",
        "DROP FUNCTION task_stats_on_completions_truncate()",
        "DROP FUNCTION task_stats_on_completion()",
        "DROP FUNCTION task_stats_completion_count(text, timestamptz, timestamptz, integer)",
        "DROP TABLE task_completions",
        "ALTER TABLE task_stats_users DROP COLUMN completions_total",
        "ALTER TABLE tasks DROP CONSTRAINT recurrence_complete",
        "ALTER TABLE tasks DROP COLUMN recurrence_rule, DROP COLUMN recurrence_tz, "
        "DROP COLUMN recurrence_anchor, DROP COLUMN recurrence_starts_at, "
        "DROP COLUMN occurrence, DROP COLUMN streak, DROP COLUMN longest_streak, "
        "DROP COLUMN streak_until, DROP COLUMN completion_count, DROP COLUMN completion_seq",
        "CREATE INDEX tasks_user_completed_at_idx ON tasks (user_id, completed_at) "
        "WHERE status = 'completed'",
    ):
        op.execute(statement)
    # 0003's functions again (the completions of recurring tasks are gone with the ledger).
    path = Path(__file__).with_name("0003_stats_aggregates.py")
    spec = importlib.util.spec_from_file_location("_migration_0003", path)
    assert spec is not None
    assert spec.loader is not None
    previous = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(previous)
    wanted = ("task_stats_count(", "task_stats_on_change()", "task_stats_recompute(")
    for statement in previous._statements(previous.FUNCTIONS):
        if any(f"CREATE FUNCTION {name}" in statement for name in wanted):
            op.execute(statement.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1))
    op.execute("SELECT task_stats_recompute(NULL)")
