"""The webhook workers' wake-up: every write an enabled endpoint wants is followed by a NOTIFY
on the workers' channel, sent after its commit (a write on its own: the process's coalesced
``FeedWakeup``; a write in a transaction: the statement, at the commit), and nothing is sent
when no endpoint wants the event."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import httpx
import pytest
from fastapi import FastAPI

from platform_service import service_state
from task_manager.events.repository import WAKE_CHANNEL
from task_manager.events.wakeup import FeedWakeup, wakeup_of
from task_manager.settings import Settings

USER = {"X-User-ID": "u-42"}
# A header the kit lets repeat: the fast path then leaves the request to the FastAPI route.
TO_THE_ROUTE = [("X-Trace", "a"), ("X-Trace", "b")]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={"webhooks_allow_http": True, "webhooks_allow_private_targets": True}
    )


class Listener:
    def __init__(self) -> None:
        self.received = 0
        self.arrived = asyncio.Event()

    def __call__(self, *_args: Any) -> None:
        self.received += 1
        self.arrived.set()

    async def next(self, within: float = 2.0) -> None:
        """Wait for a notification (fails after ``within`` s; the workers poll every 1 s)."""
        async with asyncio.timeout(within):
            await self.arrived.wait()
        self.arrived.clear()

    async def quiet(self, seconds: float = 0.3) -> bool:
        await asyncio.sleep(seconds)
        return self.received == 0


@pytest.fixture
async def listener(database_url: str) -> AsyncIterator[Listener]:
    listening = Listener()
    conn = await asyncpg.connect(database_url)
    await conn.add_listener(WAKE_CHANNEL, listening)
    try:
        yield listening
    finally:
        await conn.close()


async def with_endpoint(client: httpx.AsyncClient, *types: str) -> None:
    body: dict[str, Any] = {"url": "http://127.0.0.1:9/hook"}
    if types:
        body["event_types"] = list(types)
    answer = await client.post("/v1/webhooks", json=body)
    assert answer.status_code == 201, answer.text


async def settle(listener: Listener) -> None:
    """Let anything already sent arrive, then count from zero."""
    await asyncio.sleep(0.05)
    listener.received = 0
    listener.arrived.clear()


async def create(client: httpx.AsyncClient, **extra: Any) -> dict[str, Any]:
    answer = await client.post("/v1/tasks", json={"title": "Feed the cat"}, **extra)
    assert answer.status_code == 201, answer.text
    body: dict[str, Any] = answer.json()
    return body


@pytest.mark.parametrize("route", ["fast", "framework"])
async def test_each_write_on_its_own_wakes_the_workers(
    client: httpx.AsyncClient, listener: Listener, route: str
) -> None:
    extra = [] if route == "fast" else TO_THE_ROUTE
    await with_endpoint(client)
    await settle(listener)
    headers = [*USER.items(), *extra]

    task = await create(client, headers=headers)
    await listener.next()
    path = f"/v1/tasks/{task['id']}"
    patched = await client.patch(path, json={"status": "completed"}, headers=headers)
    assert patched.status_code == 200, patched.text
    await listener.next()
    completion = (await client.get(f"{path}/completions", headers=USER)).json()["items"][0]
    undone = await client.delete(f"{path}/completions/{completion['id']}", headers=headers)
    assert undone.status_code == 200, undone.text
    await listener.next()
    deleted = await client.delete(path, headers=headers)
    assert deleted.status_code == 204, deleted.text
    await listener.next()


async def test_a_write_in_a_transaction_notifies_with_its_commit(
    client: httpx.AsyncClient, listener: Listener
) -> None:
    await with_endpoint(client)
    await settle(listener)
    await create(client, headers={**USER, "Idempotency-Key": "k-1"})
    await listener.next()


async def test_no_endpoint_that_wants_the_event_no_wakeup(
    client: httpx.AsyncClient, listener: Listener
) -> None:
    await create(client, headers=USER)  # no endpoint at all
    assert await listener.quiet()
    await with_endpoint(client, "task.completed")
    await settle(listener)
    await create(client, headers=USER)  # task.created: not wanted
    assert await listener.quiet()


async def test_a_burst_of_writes_is_announced_by_few_notifies_the_last_after_it(
    app: FastAPI, client: httpx.AsyncClient, listener: Listener
) -> None:
    await with_endpoint(client)
    await settle(listener)
    wakeup = wakeup_of(app)
    sent = wakeup.sent
    await asyncio.gather(*(create(client, headers=USER) for _ in range(40)))
    await listener.next()
    await asyncio.sleep(0.1)
    assert 1 <= wakeup.sent - sent < 40
    assert listener.received == wakeup.sent - sent


async def test_a_poke_during_a_notify_gets_one_more_after_it(
    app: FastAPI, listener: Listener
) -> None:
    """A poke while a NOTIFY is in flight may come after that NOTIFY's snapshot was taken: one
    more NOTIFY follows; pokes in one go coalesce into one."""
    wakeup = FeedWakeup(service_state(app).pool, acquire_timeout=2, interval=0.05)
    for _ in range(5):
        wakeup.poke()
    await asyncio.sleep(0)  # the sender is now sending
    wakeup.poke()
    await wakeup.aclose()
    assert wakeup.sent == 2
    await asyncio.sleep(0.05)
    assert listener.received == 2
    wakeup.poke()  # idle again: sent at once
    await listener.next(within=0.04)
    await wakeup.aclose()
    assert wakeup.sent == 3


class _FailingOnce:
    """The app's pool, except that the first acquire fails (the database went away)."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool, self.failed = pool, False

    def acquire(self, *, timeout: float | None) -> Any:
        if not self.failed:
            self.failed = True
            raise OSError("connection refused")
        return self.pool.acquire(timeout=timeout)


async def test_a_failed_notify_is_logged_and_the_next_poke_still_sends(
    app: FastAPI, listener: Listener, captured_logs: Any
) -> None:
    pool: Any = _FailingOnce(service_state(app).pool)
    wakeup = FeedWakeup(pool, acquire_timeout=1, interval=0)
    wakeup.poke()
    await wakeup.aclose()
    assert wakeup.sent == 0
    assert any(line.get("event") == "feed_wakeup_failed" for line in captured_logs())
    wakeup.poke()
    await listener.next()
    await wakeup.aclose()
    assert wakeup.sent == 1
