"""The webhook delivery worker (``task-manager worker``; one also runs inside ``serve``).

Any number of workers may run at once: each claims due deliveries with FOR UPDATE SKIP LOCKED
and a lease (see :mod:`task_manager.webhooks.queue`), keeps at most ``max_concurrency``
attempts in flight, wakes on a NOTIFY sent by the committing change (LISTEN on a direct, not
pooled, connection: a hint only) and polls every ``poll_seconds`` as the fallback. It also
stamps committed events into the feed, logs the backlog every minute, and purges expired
events and delivery records. SIGTERM: stop claiming, finish the attempts in flight, exit.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import signal
import time
from dataclasses import dataclass
from datetime import timedelta

import asyncpg
import structlog

from platform_db import PoolOptions, connect, create_pool, parse_dsn
from task_manager.clock import Clock, SystemClock
from task_manager.events import repository as events_repository
from task_manager.events import service as events_service
from task_manager.settings import Settings
from task_manager.webhooks import queue
from task_manager.webhooks.delivery import Clients, Outcome, Policy, attempt, next_attempt

log = structlog.get_logger("task_manager.worker")

STAMP_BATCH = 5000
HOUSEKEEPING_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class WorkerConfig:
    policy: Policy
    max_concurrency: int
    retention_days: int
    poll_seconds: float = 1.0
    lease_margin_seconds: float = 5.0

    @classmethod
    def from_settings(cls, settings: Settings) -> WorkerConfig:
        return cls(
            policy=Policy(
                timeout_seconds=settings.webhook_timeout_seconds,
                allow_http=settings.webhooks_allow_http,
                allow_private=settings.webhooks_allow_private_targets,
            ),
            max_concurrency=settings.webhook_max_concurrency,
            retention_days=settings.events_retention_days,
        )


def direct_dsn(url: str) -> str | None:
    """A URL that reaches PostgreSQL itself, for LISTEN (a transaction-mode pooler cannot
    hold a listening session): Neon's ``-pooler`` host without the suffix; None when the URL
    is behind another pooler (the worker then polls only)."""
    parsed = parse_dsn(url)
    if "-pooler." in url:
        return url.replace("-pooler.", ".", 1)
    return None if parsed.behind_pooler else url


class Worker:
    def __init__(
        self,
        pool: asyncpg.Pool,
        config: WorkerConfig,
        *,
        clock: Clock | None = None,
        listen_dsn: str | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.pool = pool
        self.config = config
        self.clock = clock or SystemClock()
        self.listen_dsn = listen_dsn
        self.rng = rng or random.Random()
        self.clients = Clients(config.policy, config.max_concurrency)
        self._wake = asyncio.Event()
        self._in_flight: set[asyncio.Task[None]] = set()

    # --- one pass (also what tests drive with a fake clock) ---------------------------------
    async def run_once(self) -> int:
        """Stamp, claim what is due (up to the free slots), deliver it; the number claimed.
        Waits for those attempts to finish."""
        claimed = await self._claim_and_start()
        if self._in_flight:
            await asyncio.gather(*self._in_flight, return_exceptions=True)
        return claimed

    async def _claim_and_start(self) -> int:
        async with self.pool.acquire() as conn:
            await events_service.stamp_committed(conn, batch=STAMP_BATCH)
            free = self.config.max_concurrency - len(self._in_flight)
            if free <= 0:
                return 0
            now = self.clock.now()
            lease = timedelta(
                seconds=self.config.policy.timeout_seconds + self.config.lease_margin_seconds
            )
            claimed = await queue.claim(conn, now=now, lease_until=now + lease, limit=free)
        for delivery in claimed:
            task = asyncio.create_task(self._deliver(delivery))
            self._in_flight.add(task)
            task.add_done_callback(self._finished)
        return len(claimed)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._in_flight.discard(task)
        self._wake.set()  # a slot is free

    async def _deliver(self, delivery: queue.Claimed) -> None:
        try:
            outcome = await attempt(
                self.clients,
                url=delivery.url,
                event_id=str(delivery.event_id),
                payload=delivery.payload,
                secrets=delivery.secrets,
                now=self.clock.now(),
                policy=self.config.policy,
            )
            await self._record(delivery, outcome)
        except Exception:
            log.exception("webhook_worker_error", delivery_id=delivery.id)

    async def _record(self, delivery: queue.Claimed, outcome: Outcome) -> None:
        now = self.clock.now()
        async with self.pool.acquire() as conn:
            if outcome.succeeded:
                await queue.record_success(conn, delivery.id, outcome.record(), now)
                return
            made = delivery.attempt_count + 1
            gone = outcome.status_code == 410
            retry_at = None if gone else next_attempt(made, now, outcome.retry_after, self.rng)
            disabled = await queue.record_failure(
                conn,
                delivery.id,
                outcome.record(),
                now=now,
                retry_at=retry_at,
                gone=gone,
                before_disabling=events_service.stamp_all_committed,
            )
        fields = {"endpoint_id": str(delivery.endpoint_id), "event_id": str(delivery.event_id)}
        log.warning(
            "webhook_attempt_failed",
            **fields,
            attempt=made,
            status_code=outcome.status_code,
            error=outcome.error,
            next_attempt_at=retry_at.isoformat() if retry_at else None,
        )
        if retry_at is None:
            log.error("webhook_delivery_failed", **fields, attempts=made)
        if disabled is not None:
            log.warning(
                "webhook_endpoint_disabled", endpoint_id=fields["endpoint_id"], reason=disabled
            )

    # --- housekeeping ----------------------------------------------------------------------
    async def housekeeping(self) -> None:
        now = self.clock.now()
        async with self.pool.acquire() as conn:
            backlog = await queue.backlog(conn, now)
            log.info(
                "webhook_backlog",
                pending=backlog.pending,
                oldest_pending_age_seconds=backlog.oldest_pending_age_seconds,
            )
            cutoff = now - timedelta(days=self.config.retention_days)
            events = await events_service.purge_expired(
                conn, now=now, retention_days=self.config.retention_days
            )
            deliveries = await queue.purge_deliveries(conn, before=cutoff)
        if events or deliveries:
            log.info("events_purged", events=events, deliveries=deliveries)

    # --- the loop --------------------------------------------------------------------------
    async def run(self, stop: asyncio.Event) -> None:
        log.info(
            "webhook_worker_started",
            max_concurrency=self.config.max_concurrency,
            listen=self.listen_dsn is not None,
        )
        listener = asyncio.create_task(self._listen(stop)) if self.listen_dsn else None
        next_housekeeping = 0.0
        try:
            while not stop.is_set():
                self._wake.clear()
                try:
                    if time.monotonic() >= next_housekeeping:
                        next_housekeeping = time.monotonic() + HOUSEKEEPING_SECONDS
                        await self.housekeeping()
                    free = self.config.max_concurrency - len(self._in_flight)
                    claimed = await self._claim_and_start()
                    if free > 0 and claimed == free:
                        continue  # there may be more due right now
                except Exception:
                    log.exception("webhook_worker_error")
                await self._sleep(stop)
        finally:
            if listener is not None:
                listener.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await listener
            if self._in_flight:  # SIGTERM: finish the attempts in flight
                await asyncio.gather(*self._in_flight, return_exceptions=True)
            await self.clients.aclose()
            log.info("webhook_worker_stopped")

    async def _sleep(self, stop: asyncio.Event) -> None:
        waiters = [asyncio.create_task(self._wake.wait()), asyncio.create_task(stop.wait())]
        try:
            await asyncio.wait(
                waiters, timeout=self.config.poll_seconds, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            for waiter in waiters:
                waiter.cancel()

    async def _listen(self, stop: asyncio.Event) -> None:
        """Keep a LISTEN session open (reconnecting with back-off); each NOTIFY wakes the loop."""
        assert self.listen_dsn is not None
        delay = 1.0
        while not stop.is_set():
            conn = None
            try:
                conn = await connect(self.listen_dsn)
                lost = asyncio.Event()
                conn.add_termination_listener(lambda _c, lost=lost: lost.set())
                await conn.add_listener(
                    events_repository.WAKE_CHANNEL, lambda *_args: self._wake.set()
                )
                delay = 1.0
                self._wake.set()  # catch up with anything committed while not listening
                await lost.wait()
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - polling covers the gap
                log.warning("webhook_listen_lost", retry_in_s=delay)
            finally:
                if conn is not None and not conn.is_closed():
                    await conn.close()
            await asyncio.sleep(delay)
            delay = min(delay * 2, 30.0)


async def run_worker(settings: Settings, database_url: str) -> int:
    """``task-manager worker``: run until SIGTERM/SIGINT, then finish in-flight attempts."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    config = WorkerConfig.from_settings(settings)
    pool = await create_pool(
        database_url,
        PoolOptions(
            min_size=1,
            max_size=min(settings.db_pool_max_size, 4),
            connect_timeout=settings.db_connect_timeout_seconds,
            command_timeout=max(settings.db_command_timeout_seconds, 30.0),
            statement_cache_size=settings.db_statement_cache_size,
            server_settings={"application_name": "task-manager-worker"},
        ),
    )
    try:
        await Worker(pool, config, listen_dsn=direct_dsn(database_url)).run(stop)
    finally:
        await pool.close()
    return 0
