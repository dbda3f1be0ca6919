"""A service's Alembic migrations: the environment (``alembic/env.py``: asyncpg through the
platform's ``connect()``, one transaction per migration) and the upgrade/downgrade/head
commands, for the ``versions`` folder of a service's migrations package.

Alembic (and SQLAlchemy under it) is imported only by the methods that migrate: a serving
worker never loads them (about 14 MB and a second of start-up on 0.25 vCPU). The readiness
check compares the database with the service's ``HEAD_REVISION`` constant, which a test keeps
equal to :meth:`Migrations.head_revision`.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alembic.config import Config

ENV_DIR = Path(__file__).parent / "alembic"  # env.py and the new-revision template


@dataclass(frozen=True)
class Migrations:
    versions_dir: Path

    def config(self, database_url: str | None = None) -> Config:
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(ENV_DIR))
        config.set_main_option("version_locations", str(self.versions_dir))
        config.set_main_option("path_separator", "os")
        if database_url is not None:
            config.attributes["database_url"] = database_url
        return config

    def head_revision(self) -> str:
        """Alembic's head, read from the scripts (slow; tests and tooling only)."""
        from alembic.script import ScriptDirectory

        head = ScriptDirectory.from_config(self.config()).get_current_head()
        if head is None:
            raise RuntimeError(f"no migrations in {self.versions_dir}")
        return head

    def upgrade(self, database_url: str, revision: str = "head") -> None:
        from alembic import command

        command.upgrade(self.config(database_url), revision)

    def downgrade(self, database_url: str, revision: str) -> None:
        from alembic import command

        command.downgrade(self.config(database_url), revision)

    async def upgrade_async(self, database_url: str, revision: str = "head") -> None:
        """For callers inside an event loop (alembic's env runs its own loop)."""
        await asyncio.to_thread(self.upgrade, database_url, revision)
