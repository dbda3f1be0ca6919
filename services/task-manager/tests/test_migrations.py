import asyncio
import subprocess
import sys

import asyncpg

from platform_db.testing import fresh_database, postgres_server
from task_manager.migrations import HEAD_REVISION, downgrade, head_revision, upgrade


def test_head_constant_matches_the_migration_scripts() -> None:
    # The app reports readiness against HEAD_REVISION without importing alembic.
    assert head_revision() == HEAD_REVISION, "update HEAD_REVISION in migrations/__init__.py"


def test_serving_does_not_import_alembic_or_sqlalchemy() -> None:
    code = (
        "import sys, task_manager.app as a; a.create_app; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('alembic', 'sqlalchemy')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


async def _tables(url: str) -> set[str]:
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        return {r["tablename"] for r in rows}
    finally:
        await conn.close()


def test_upgrade_downgrade_upgrade_round_trip() -> None:
    with postgres_server() as server, fresh_database(server, prefix="migrations") as url:
        upgrade(url)
        assert "tasks" in asyncio.run(_tables(url))
        downgrade(url, "base")
        assert asyncio.run(_tables(url)) == {"alembic_version"}
        upgrade(url)
        assert "tasks" in asyncio.run(_tables(url))
