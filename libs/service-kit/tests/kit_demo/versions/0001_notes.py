"""The notes table.

Revision ID: 0001_notes
Revises:
"""

from alembic import op

revision = "0001_notes"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "CREATE TABLE notes (id bigserial PRIMARY KEY, user_id text NOT NULL, "
        "text text NOT NULL, created_at timestamptz NOT NULL)"
    )


def downgrade() -> None:
    op.execute("DROP TABLE notes")
