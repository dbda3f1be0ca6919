"""The change feed (transactional outbox) and webhooks.

``events``: one row per task change, inserted in the change's transaction with ``position``
NULL. ``seq`` (an identity) records insertion order; a single serialized stamper (the row lock
on ``event_feed_state``) later gives committed events their feed ``position`` in ``seq`` order
(docs/events.md explains why this, and not ``seq``, is the feed order). ``payload`` holds the
exact JSON bytes of the feed item, which are also the bytes of every webhook delivery.

``webhook_deliveries``: one row per (endpoint, event) to send, written in the event's
transaction for every enabled endpoint whose types match (so "matched an enabled endpoint when
it was committed" is decided atomically), and by replays.

Revision ID: 0005_events_webhooks
Revises: 0003_stats_aggregates
Create Date: 2026-11-29
"""

from alembic import op

revision = "0005_events_webhooks"
down_revision = "0004_recurrence"
branch_labels = None
depends_on = None

UPGRADE = [
    """
    CREATE TABLE events (
        id           uuid PRIMARY KEY,
        seq          bigint GENERATED ALWAYS AS IDENTITY,
        position     bigint,
        type         text NOT NULL,
        user_id      text NOT NULL,
        task_id      uuid NOT NULL,
        task_version integer NOT NULL,
        occurred_at  timestamptz NOT NULL,
        payload      bytea NOT NULL
    )
    """,
    # The feed, unscoped and per user: only stamped events are readable.
    "CREATE UNIQUE INDEX events_position_idx ON events (position) WHERE position IS NOT NULL",
    "CREATE INDEX events_user_position_idx ON events (user_id, position) "
    "WHERE position IS NOT NULL",
    # The stamper's work list: committed, not yet stamped events in insertion order.
    "CREATE INDEX events_unstamped_idx ON events (seq) WHERE position IS NULL",
    """
    CREATE TABLE event_feed_state (
        id              smallint PRIMARY KEY CHECK (id = 1),
        last_position   bigint NOT NULL DEFAULT 0,
        purged_through  bigint NOT NULL DEFAULT 0
    )
    """,
    "INSERT INTO event_feed_state (id) VALUES (1)",
    """
    CREATE TABLE webhook_endpoints (
        id                   uuid PRIMARY KEY,
        url                  text NOT NULL,
        event_types          text[] NOT NULL,
        description          text,
        enabled              boolean NOT NULL,
        disabled_reason      text,
        secret               text NOT NULL,
        previous_secret      text,
        previous_expires_at  timestamptz,
        failing_since        timestamptz,
        created_at           timestamptz NOT NULL,
        updated_at           timestamptz NOT NULL
    )
    """,
    """
    CREATE TABLE webhook_deliveries (
        id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        endpoint_id      uuid NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
        event_id         uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
        event_type       text NOT NULL,
        task_id          uuid NOT NULL,
        task_version     integer NOT NULL,
        status           text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
        attempts         jsonb NOT NULL DEFAULT '[]',
        attempt_count    integer NOT NULL DEFAULT 0,
        next_attempt_at  timestamptz,
        created_at       timestamptz NOT NULL,
        updated_at       timestamptz NOT NULL
    )
    """,
    # The worker's queue: due pending deliveries.
    "CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) "
    "WHERE status = 'pending'",
    # Per-task ordering: an older pending delivery of the same task to the same endpoint.
    "CREATE INDEX webhook_deliveries_task_idx ON webhook_deliveries "
    "(endpoint_id, task_id, task_version) WHERE status = 'pending'",
    # The delivery log, newest first, optionally by status.
    "CREATE INDEX webhook_deliveries_log_idx ON webhook_deliveries (endpoint_id, id)",
    "CREATE INDEX webhook_deliveries_event_idx ON webhook_deliveries (event_id)",
]

DOWNGRADE = [
    "DROP TABLE webhook_deliveries",
    "DROP TABLE webhook_endpoints",
    "DROP TABLE event_feed_state",
    "DROP TABLE events",
]


def upgrade() -> None:
    for statement in UPGRADE:
        op.execute(statement)


def downgrade() -> None:
    for statement in DOWNGRADE:
        op.execute(statement)
