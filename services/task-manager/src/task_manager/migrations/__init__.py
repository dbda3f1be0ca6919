"""Alembic migrations (``versions/``), run by the platform's runner: ``task-manager migrate``.

The readiness check compares the database with ``HEAD_REVISION``, which a test keeps equal to
Alembic's head (no Alembic import when serving).
"""

from __future__ import annotations

from pathlib import Path

from platform_service.migrations import Migrations

HEAD_REVISION = "0006_stats_days_covering"
MIGRATIONS = Migrations(Path(__file__).parent / "versions")

head_revision = MIGRATIONS.head_revision
upgrade = MIGRATIONS.upgrade
downgrade = MIGRATIONS.downgrade
upgrade_async = MIGRATIONS.upgrade_async
