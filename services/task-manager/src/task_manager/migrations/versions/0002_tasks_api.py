"""The tasks API: idempotency keys, and the indexes of every list path.

Every index leads with ``user_id`` (every query is scoped by user), and ends with ``id``, the
tie-breaker of every sort, so that each sort of the listing — and the keyset condition
``(key, id) > (…)`` of the next page — is a range scan of one index in order:

- ``-created_at`` / ``created_at``: ``tasks_user_created_idx`` (0001), forwards / backwards;
- ``updated_at`` both ways: ``tasks_user_updated_idx``;
- ``priority`` both ways: ``tasks_user_priority_idx`` on the stored ``priority_rank``;
- ``due_date`` with tasks without a due date last in BOTH directions: two expression indexes,
  ``COALESCE(due_date, 'infinity')`` scanned forwards for ascending and
  ``COALESCE(due_date, '-infinity')`` scanned backwards for descending.

A single task is read by its primary key (``id``) and checked against ``user_id``.

Revision ID: 0002_tasks_api
Revises: 0001_tasks
Create Date: 2026-11-27
"""

from alembic import op

revision = "0002_tasks_api"
down_revision = "0001_tasks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE idempotency_keys (
            api_key_id       text NOT NULL,
            user_id          text NOT NULL,
            key              text NOT NULL CHECK (char_length(key) BETWEEN 1 AND 255),
            request_hash     bytea NOT NULL,
            status_code      smallint NOT NULL,
            response_body    bytea NOT NULL,
            response_headers jsonb NOT NULL,
            created_at       timestamptz NOT NULL,
            expires_at       timestamptz NOT NULL,
            PRIMARY KEY (api_key_id, user_id, key)
        )
        """
    )
    # Expired keys are dropped opportunistically by later creates (no cron): find them fast.
    op.execute("CREATE INDEX idempotency_keys_expires_idx ON idempotency_keys (expires_at)")
    op.execute("CREATE INDEX tasks_user_updated_idx ON tasks (user_id, updated_at, id)")
    op.execute("CREATE INDEX tasks_user_priority_idx ON tasks (user_id, priority_rank, id)")
    op.execute(
        "CREATE INDEX tasks_user_due_asc_idx ON tasks "
        "(user_id, COALESCE(due_date, 'infinity'::timestamptz), id)"
    )
    op.execute(
        "CREATE INDEX tasks_user_due_desc_idx ON tasks "
        "(user_id, COALESCE(due_date, '-infinity'::timestamptz), id)"
    )


def downgrade() -> None:
    op.execute("DROP INDEX tasks_user_due_desc_idx")
    op.execute("DROP INDEX tasks_user_due_asc_idx")
    op.execute("DROP INDEX tasks_user_priority_idx")
    op.execute("DROP INDEX tasks_user_updated_idx")
    op.execute("DROP TABLE idempotency_keys")
