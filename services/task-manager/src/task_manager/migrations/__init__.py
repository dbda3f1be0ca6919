"""Alembic migrations, shipped inside the package; run with ``task-manager migrate``.

Alembic (and SQLAlchemy under it) is imported only by the functions that migrate: a serving
worker never loads them (about 14 MB and a second of start-up on 0.25 vCPU). The readiness
check compares the database with ``HEAD_REVISION``, which a test keeps equal to Alembic's head.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).parent
HEAD_REVISION = "0005_events_webhooks"


def alembic_config(database_url: str | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if database_url is not None:
        config.attributes["database_url"] = database_url
    return config


def head_revision() -> str:
    """Alembic's head, read from the scripts (slow; tests and tooling only)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the package always ships migrations
        raise RuntimeError("no migrations found")
    return head


def upgrade(database_url: str, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str) -> None:
    from alembic import command

    command.downgrade(alembic_config(database_url), revision)


async def upgrade_async(database_url: str, revision: str = "head") -> None:
    """For callers inside an event loop (alembic's env runs its own loop)."""
    await asyncio.to_thread(upgrade, database_url, revision)
