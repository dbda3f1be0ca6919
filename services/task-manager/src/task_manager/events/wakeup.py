"""The webhook workers' wake-up, sent after the commit and coalesced: :class:`FeedWakeup`.

A worker LISTENs on :data:`~task_manager.events.repository.WAKE_CHANNEL` and polls as the
fallback (``task_manager.worker``). A ``NOTIFY`` inside the write's own statement is the
simplest way to send the hint, but PostgreSQL serialises every committing transaction that
notifies (the notification queue's lock is held through the commit record's flush): with
writes committing concurrently it cost more database CPU than the event row itself
(docs/performance.md, issue 14 round 4). So a write that commits on its own (one statement,
no transaction: every write of the API without an Idempotency-Key) tells this process's
``FeedWakeup`` once its statement returned, i.e. after its commit; the wake-up sends one
``NOTIFY`` for all the writes of a short interval, on a pooled connection of its own. A write
inside a transaction (an Idempotency-Key, a hot task's locked retry) keeps the ``NOTIFY`` in
its statement, sent by PostgreSQL at that transaction's commit.

Why a hint sent this way loses nothing: every ``poke`` comes after its write committed, and
a ``NOTIFY`` is always sent after the latest ``poke`` (one may be in flight: then one more
follows it), so a worker woken by it takes a snapshot that holds every poked write. A process
that dies between a commit and its ``NOTIFY`` only delays the delivery to the workers' next
poll (every second); nothing is lost, as with any hint.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import structlog

from platform_db import acquire
from platform_service import service_state
from task_manager.events.repository import WAKE_CHANNEL

log = structlog.get_logger("task_manager.events")

NOTIFY = f"NOTIFY {WAKE_CHANNEL}"
# At most one NOTIFY per process per interval: 40 a second under any write rate, at most this
# much later than the write it announces (an idle process sends at once). A NOTIFY costs the
# process about as much as building a write's event: at a 5 ms interval the NOTIFYs took 3 % of
# a loaded worker's CPU (docs/performance.md).
DEFAULT_INTERVAL_SECONDS = 0.025


class FeedWakeup:
    """Coalesced post-commit ``NOTIFY`` for one process (created by the app's lifespan)."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        *,
        acquire_timeout: float,
        interval: float = DEFAULT_INTERVAL_SECONDS,
    ) -> None:
        self._pool = pool
        self._acquire_timeout = acquire_timeout
        self._interval = interval
        self._pending = False
        self._sender: asyncio.Task[None] | None = None
        self.sent = 0  # NOTIFYs sent (tests, benchmarks)

    def poke(self) -> None:
        """A write that an enabled endpoint wants has committed: a ``NOTIFY`` follows, now
        when none was sent in the last interval, else at the end of it."""
        self._pending = True
        if self._sender is None:
            self._sender = asyncio.get_running_loop().create_task(self._send())

    async def _send(self) -> None:
        try:
            while self._pending:
                self._pending = False  # pokes from here on get the next NOTIFY
                await self._notify()
                await asyncio.sleep(self._interval)
        finally:
            self._sender = None

    async def _notify(self) -> None:
        try:
            async with acquire(self._pool, timeout=self._acquire_timeout) as conn:
                await conn.execute(NOTIFY)
            self.sent += 1
        except Exception as exc:  # noqa: BLE001 - a hint: the workers' poll covers it
            log.warning("feed_wakeup_failed", error=type(exc).__name__)

    async def aclose(self) -> None:
        """Send what is pending (the app is stopping; the pool is still open)."""
        if self._sender is not None:
            await self._sender


@asynccontextmanager
async def feed_wakeup(app: Any) -> AsyncIterator[None]:
    """The app's lifespan hook: one :class:`FeedWakeup` per process, on the app's pool; what
    is pending is sent before the pool closes."""
    state = service_state(app)
    wakeup = FeedWakeup(state.pool, acquire_timeout=state.settings.db_connect_timeout_seconds)
    state.provide(wakeup)
    try:
        yield
    finally:
        state.withdraw(FeedWakeup)
        await wakeup.aclose()


def wakeup_of(app: Any) -> FeedWakeup:
    """The running app's wake-up (the writes hand it to the tasks service)."""
    return service_state(app).resource(FeedWakeup)
