"""The streaks read a player's UTC days from the index alone.

``GET /v1/stats`` reads every ``task_stats_completion_days`` row of the player (one per UTC day
with completions) for the streaks, and only ``first_bucket`` and ``last_bucket`` of them. The
rows of one player are scattered over the table (each day's rows of all players sit together),
so through the primary key a player with a year of history cost ~250 heap pages a request.
This index carries both columns: an index-only scan reads a handful of pages (docs/stats.md).
``completions`` is not included, so an update that only counts one more completion in a known
bucket leaves the index alone.

Built CONCURRENTLY, outside the migration's transaction: completions keep being recorded while
it builds.

Revision ID: 0006_stats_days_covering
Revises: 0005_events_webhooks
Create Date: 2026-11-30
"""

from alembic import op

revision = "0006_stats_days_covering"
down_revision = "0005_events_webhooks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.get_context().autocommit_block():
        # a build interrupted half-way leaves an invalid index behind: drop it, then build
        op.execute("DROP INDEX CONCURRENTLY IF EXISTS task_stats_completion_days_streaks_idx")
        op.execute(
            "CREATE INDEX CONCURRENTLY task_stats_completion_days_streaks_idx "
            "ON task_stats_completion_days (user_id, day) INCLUDE (first_bucket, last_bucket)"
        )


def downgrade() -> None:
    with op.get_context().autocommit_block():
        op.execute("DROP INDEX CONCURRENTLY IF EXISTS task_stats_completion_days_streaks_idx")
