"""The tasks table.

Revision ID: 0001_tasks
Revises:
Create Date: 2026-11-27
"""

from alembic import op

revision = "0001_tasks"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE tasks (
            id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            user_id       text NOT NULL CHECK (char_length(user_id) BETWEEN 1 AND 128),
            title         text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
            description   text CHECK (char_length(description) <= 10000),
            status        text NOT NULL DEFAULT 'pending'
                          CHECK (status IN ('pending', 'in_progress', 'completed')),
            priority      text NOT NULL DEFAULT 'medium'
                          CHECK (priority IN ('low', 'medium', 'high', 'urgent')),
            -- urgent > high > medium > low, for sorting by an index
            priority_rank smallint GENERATED ALWAYS AS (
                CASE priority WHEN 'low' THEN 0 WHEN 'medium' THEN 1
                              WHEN 'high' THEN 2 ELSE 3 END
            ) STORED,
            due_date      timestamptz,
            tags          text[] NOT NULL DEFAULT '{}' CHECK (cardinality(tags) <= 20),
            created_at    timestamptz NOT NULL DEFAULT now(),
            updated_at    timestamptz NOT NULL DEFAULT now(),
            completed_at  timestamptz,
            version       integer NOT NULL DEFAULT 1 CHECK (version >= 1),
            CONSTRAINT completed_at_iff_completed
                CHECK ((status = 'completed') = (completed_at IS NOT NULL))
        )
        """
    )
    # Every query is scoped by user; the default listing order is newest first.
    op.execute("CREATE INDEX tasks_user_created_idx ON tasks (user_id, created_at DESC, id DESC)")


def downgrade() -> None:
    op.execute("DROP TABLE tasks")
