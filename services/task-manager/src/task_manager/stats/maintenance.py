"""Repair: rebuild the stats aggregates from the tasks and the completions ledger
(``task-manager stats-recompute``).

The triggers keep the aggregates exact; this is for after an incident (e.g. triggers disabled
during a bulk load, a restored table) and for bulk seeding."""

from __future__ import annotations

import re

from platform_db import PoolOptions, connect
from task_manager.dependencies import USER_ID_PATTERN
from task_manager.stats import repository

# A rebuild of every user reads the whole tasks table: no 5-second request timeout.
REPAIR_TIMEOUT_SECONDS = 3600.0


async def recompute_stats(database_url: str, user_id: str | None) -> int:
    """Rebuild one user's aggregates (or everyone's, ``None``) in one transaction. Returns the
    number of users with tasks that were rebuilt."""
    if user_id is not None and not re.fullmatch(USER_ID_PATTERN, user_id):
        raise ValueError("not a valid user id (1-128 characters of A-Z a-z 0-9 . _ : @ | -)")
    conn = await connect(
        database_url,
        PoolOptions(command_timeout=REPAIR_TIMEOUT_SECONDS, statement_cache_size=0),
    )
    try:
        async with conn.transaction():
            return await repository.recompute(conn, user_id)
    finally:
        await conn.close()
