"""The delivery worker against a real receiver on loopback: signatures (verified with the
``standardwebhooks`` library), per-task order, retries on a fake clock, 410, rotation,
replay, the SSRF check at delivery."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import orjson
import pytest
from fastapi import FastAPI
from standardwebhooks import Webhook as Verifier

from platform_service import service_state
from platform_service.testing import FakeClock
from task_manager.clock import SystemClock
from task_manager.settings import Settings
from task_manager.webhooks.delivery import Policy
from task_manager.worker import Worker, WorkerConfig

USER = {"X-User-ID": "u-42"}


@pytest.fixture
def clock() -> FakeClock:
    """The API's clock near real time (the receiver's library checks timestamps)."""
    return FakeClock(datetime.now(UTC))


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={"webhooks_allow_http": True, "webhooks_allow_private_targets": True}
    )


def make_worker(app: FastAPI, clock: Any = None, *, allow_private: bool = True) -> Worker:
    config = WorkerConfig(
        policy=Policy(timeout_seconds=2, allow_http=True, allow_private=allow_private),
        max_concurrency=8,
        retention_days=30,
    )
    return Worker(
        service_state(app).pool, config, clock=clock or SystemClock(), rng=random.Random(1)
    )


async def drain(worker: Worker, passes: int = 20) -> None:
    for _ in range(passes):
        if await worker.run_once() == 0:
            return


async def register(client: httpx.AsyncClient, url: str, **body: Any) -> dict[str, Any]:
    answer = await client.post("/v1/webhooks", json={"url": url, **body})
    assert answer.status_code == 201, answer.text
    hook: dict[str, Any] = answer.json()
    return hook


async def deliveries(client: httpx.AsyncClient, hook: dict[str, Any]) -> list[dict[str, Any]]:
    page = (await client.get(f"/v1/webhooks/{hook['id']}/deliveries")).json()
    items: list[dict[str, Any]] = page["items"]
    return items


async def test_signed_deliveries_in_task_order_verify_with_the_reference_library(
    app: FastAPI, client: httpx.AsyncClient, receiver: Any
) -> None:
    hook = await register(client, receiver.url)
    task = (await client.post("/v1/tasks", json={"title": "a"}, headers=USER)).json()
    for title in ("b", "c"):
        await client.patch(f"/v1/tasks/{task['id']}", json={"title": title}, headers=USER)
    worker = make_worker(app)
    assert await worker.run_once() == 1  # the later events wait for the first one
    await drain(worker)
    feed = (await client.get("/v1/events")).json()["items"]
    assert len(receiver.ok()) == 3
    verifier = Verifier(hook["secret"])
    for got, item in zip(receiver.ok(), feed, strict=True):
        assert verifier.verify(got.body, got.headers) == item
        assert got.headers["webhook-id"] == item["id"]
        assert got.headers["content-type"] == "application/json"
    assert [orjson.loads(r.body)["task_version"] for r in receiver.ok()] == [1, 2, 3]
    log = await deliveries(client, hook)
    assert [d["status"] for d in log] == ["succeeded"] * 3
    assert log[0]["attempts"][0]["status_code"] == 200
    assert log[0]["next_attempt_at"] is None


async def test_a_receiver_that_fails_for_a_while_gets_every_event(
    app: FastAPI, client: httpx.AsyncClient, receiver: Any
) -> None:
    hook = await register(client, receiver.url, event_types=["task.created"])
    receiver.script = [(500, {}, 0.0)] * 3
    await client.post("/v1/tasks", json={"title": "a"}, headers=USER)
    clock = FakeClock(datetime.now(UTC))
    worker = make_worker(app, clock)
    expected = [timedelta(seconds=5), timedelta(minutes=5), timedelta(minutes=30)]
    for delay in expected:
        assert await worker.run_once() == 1
        assert await worker.run_once() == 0  # not due yet
        clock.advance(seconds=delay.total_seconds() * 0.89)
        assert await worker.run_once() == 0  # jitter is at most 10 %
        clock.advance(seconds=delay.total_seconds() * 0.22)
    assert await worker.run_once() == 1
    [delivery] = await deliveries(client, hook)
    assert delivery["status"] == "succeeded"
    assert [a["status_code"] for a in delivery["attempts"]] == [500, 500, 500, 200]
    assert len(receiver.received) == 4
    assert len({r.headers["webhook-id"] for r in receiver.received}) == 1


async def test_retry_after_is_respected_and_the_schedule_ends_failed(
    app: FastAPI, client: httpx.AsyncClient, receiver: Any
) -> None:
    hook = await register(client, receiver.url)
    receiver.script = [(503, {"Retry-After": "120"}, 0.0)]
    receiver.default = 500
    await client.post("/v1/tasks", json={"title": "a"}, headers=USER)
    clock = FakeClock(datetime.now(UTC))
    worker = make_worker(app, clock)
    await worker.run_once()
    clock.advance(seconds=60)
    assert await worker.run_once() == 0  # 120 s, not 5 s
    for _ in range(7):
        clock.advance(hours=11)
        assert await worker.run_once() == 1
    [delivery] = await deliveries(client, hook)
    assert delivery["status"] == "failed" and len(delivery["attempts"]) == 8
    assert delivery["next_attempt_at"] is None
    failed = await client.get(f"/v1/webhooks/{hook['id']}/deliveries", params={"status": "failed"})
    assert len(failed.json()["items"]) == 1


async def test_410_disables_the_endpoint(
    app: FastAPI, client: httpx.AsyncClient, receiver: Any
) -> None:
    hook = await register(client, receiver.url)
    receiver.default = 410
    await client.post("/v1/tasks", json={"title": "a"}, headers=USER)
    await drain(make_worker(app))
    state = (await client.get(f"/v1/webhooks/{hook['id']}")).json()
    assert state["enabled"] is False and state["disabled_reason"] == "gone"
    await client.post("/v1/tasks", json={"title": "b"}, headers=USER)
    assert len(await deliveries(client, hook)) == 1  # nothing queued while disabled


async def test_five_days_of_failures_disable_the_endpoint(
    app: FastAPI, client: httpx.AsyncClient, receiver: Any
) -> None:
    hook = await register(client, receiver.url)
    receiver.default = 500
    await client.post("/v1/tasks", json={"title": "a"}, headers=USER)
    clock = FakeClock(datetime.now(UTC))
    async with service_state(app).pool.acquire() as conn:
        await conn.execute(
            "UPDATE webhook_endpoints SET failing_since = $1", clock.now() - timedelta(days=5)
        )
    await make_worker(app, clock).run_once()
    state = (await client.get(f"/v1/webhooks/{hook['id']}")).json()
    assert state["disabled_reason"] == "failing"


async def test_rotation_signs_with_both_secrets_for_24_hours(
    app: FastAPI, client: httpx.AsyncClient, receiver: Any
) -> None:
    hook = await register(client, receiver.url)
    new = (await client.post(f"/v1/webhooks/{hook['id']}/rotate-secret")).json()["secret"]
    await client.post("/v1/tasks", json={"title": "a"}, headers=USER)
    await drain(make_worker(app))
    [got] = receiver.ok()
    assert len(got.headers["webhook-signature"].split(" ")) == 2
    for secret in (hook["secret"], new):
        Verifier(secret).verify(got.body, got.headers)
    async with service_state(app).pool.acquire() as conn:  # 24 h later: the old secret is gone
        await conn.execute(
            "UPDATE webhook_endpoints SET previous_expires_at = now() - interval '1 s'"
        )
    await client.post("/v1/tasks", json={"title": "b"}, headers=USER)
    await drain(make_worker(app))
    assert len(receiver.ok()[-1].headers["webhook-signature"].split(" ")) == 1


async def test_replay_redelivers_with_the_original_webhook_id(
    app: FastAPI, client: httpx.AsyncClient, receiver: Any
) -> None:
    hook = await register(client, receiver.url)
    start = (await client.get("/v1/events/cursor")).json()["cursor"]
    await client.post("/v1/tasks", json={"title": "a"}, headers=USER)
    await client.post("/v1/tasks", json={"title": "b"}, headers=USER)
    worker = make_worker(app)
    await drain(worker)
    first = [r.headers["webhook-id"] for r in receiver.ok()]
    path = f"/v1/webhooks/{hook['id']}/replay"
    answer = await client.post(path, json={"event_ids": first[:1]})
    assert answer.status_code == 202 and answer.json() == {"queued": 1}
    await drain(worker)
    assert receiver.ok()[-1].headers["webhook-id"] == first[0]
    assert (await client.post(path, json={"after": start})).json() == {"queued": 2}
    await drain(worker)
    # Two tasks' events: per-task order only, so compare them as a set.
    assert sorted(r.headers["webhook-id"] for r in receiver.ok()[-2:]) == sorted(first)
    scoped = (await client.get("/v1/events/cursor", headers=USER)).json()["cursor"]
    assert (await client.post(path, json={"after": scoped})).status_code == 400


async def test_a_forbidden_address_is_refused_at_delivery(
    app: FastAPI, client: httpx.AsyncClient, receiver: Any
) -> None:
    hook = await register(client, receiver.url)  # allowed at registration (tests)
    await client.post("/v1/tasks", json={"title": "a"}, headers=USER)
    await make_worker(app, allow_private=False).run_once()
    [delivery] = await deliveries(client, hook)
    assert delivery["attempts"][0]["error"] == "forbidden_target"
    assert delivery["attempts"][0]["status_code"] is None
    assert receiver.received == []


async def test_a_commit_wakes_the_worker_without_polling(
    app: FastAPI, client: httpx.AsyncClient, receiver: Any, database_url: str
) -> None:
    import asyncio
    import dataclasses
    import time

    await register(client, receiver.url)
    worker = make_worker(app)
    worker.config = dataclasses.replace(worker.config, poll_seconds=60)
    worker.listen_dsn = database_url
    stop = asyncio.Event()
    running = asyncio.create_task(worker.run(stop))
    try:
        await asyncio.sleep(1.0)  # listening, idle (the first pass ran at start)
        started = time.monotonic()
        await client.post("/v1/tasks", json={"title": "wake"}, headers=USER)
        for _ in range(500):
            if receiver.ok():
                break
            await asyncio.sleep(0.02)
        assert receiver.ok(), "not delivered"
        assert time.monotonic() - started < 2.0  # well under the 60 s poll
    finally:
        stop.set()
        await running


async def test_serve_runs_one_worker_in_process(settings: Settings, receiver: Any) -> None:
    import asyncio

    from platform_db.testing import truncate_tables
    from task_manager.app import create_app

    application = create_app(settings.model_copy(update={"run_worker_in_process": True}))
    async with application.router.lifespan_context(application):
        async with service_state(application).pool.acquire() as conn:
            await truncate_tables(conn)
        transport = httpx.ASGITransport(app=application)
        headers = {"X-API-Key": "test-key-0123456789abcdef"}
        async with httpx.AsyncClient(
            transport=transport, base_url="http://t", headers=headers
        ) as c:
            await register(c, receiver.url)
            await c.post("/v1/tasks", json={"title": "in process"}, headers=USER)
            for _ in range(250):
                if receiver.ok():
                    break
                await asyncio.sleep(0.02)
    assert len(receiver.ok()) == 1


async def test_workers_running_at_once_deliver_each_event_once(
    app: FastAPI, client: httpx.AsyncClient, receiver: Any
) -> None:
    import asyncio

    await register(client, receiver.url)
    for i in range(30):
        await client.post("/v1/tasks", json={"title": f"t{i}"}, headers=USER)
    workers = [make_worker(app) for _ in range(3)]
    for _ in range(10):
        claimed = await asyncio.gather(*(w.run_once() for w in workers))
        if sum(claimed) == 0:
            break
    ids = [r.headers["webhook-id"] for r in receiver.received]
    assert len(ids) == 30
    assert len(set(ids)) == 30


# --- Which endpoints an event goes to: those that matched it when it was committed -----------
# The write adds only the event; its deliveries are queued when it is stamped into the feed.
# These changes happen while no worker and no feed reader has stamped the earlier events.


async def test_an_endpoint_registered_after_a_change_does_not_get_it(
    app: FastAPI, client: httpx.AsyncClient, receiver: Any
) -> None:
    await client.post("/v1/tasks", json={"title": "before"}, headers=USER)
    hook = await register(client, receiver.url)
    await client.post("/v1/tasks", json={"title": "after"}, headers=USER)
    await drain(make_worker(app))
    titles = [orjson.loads(r.body)["data"]["task"]["title"] for r in receiver.ok()]
    assert titles == ["after"]
    assert len(await deliveries(client, hook)) == 1


async def test_a_change_committed_while_enabled_is_not_lost_by_disabling(
    app: FastAPI, client: httpx.AsyncClient, receiver: Any
) -> None:
    hook = await register(client, receiver.url)
    await client.post("/v1/tasks", json={"title": "a"}, headers=USER)
    answer = await client.patch(f"/v1/webhooks/{hook['id']}", json={"enabled": False})
    assert answer.status_code == 200
    await client.post("/v1/tasks", json={"title": "b"}, headers=USER)  # disabled: not queued
    [delivery] = await deliveries(client, hook)
    assert delivery["status"] == "failed"  # matched at commit, ended by the disabling
    await client.patch(f"/v1/webhooks/{hook['id']}", json={"enabled": True})
    await drain(make_worker(app))
    assert receiver.received == []  # re-enabling resends nothing


async def test_event_types_filter_what_is_queued_from_the_change_on(
    app: FastAPI, client: httpx.AsyncClient, receiver: Any
) -> None:
    hook = await register(client, receiver.url, event_types=["task.completed"])
    task = (await client.post("/v1/tasks", json={"title": "a"}, headers=USER)).json()
    path = f"/v1/tasks/{task['id']}"
    await client.patch(path, json={"status": "completed"}, headers=USER)
    await client.patch(f"/v1/webhooks/{hook['id']}", json={"event_types": ["task.reopened"]})
    await client.patch(path, json={"status": "pending"}, headers=USER)
    await client.patch(path, json={"title": "b"}, headers=USER)  # task.updated: no endpoint
    assert [d["event_type"] for d in await deliveries(client, hook)] == [
        "task.reopened",
        "task.completed",
    ]
    await drain(make_worker(app))
    assert [orjson.loads(r.body)["type"] for r in receiver.ok()] == [
        "task.completed",
        "task.reopened",
    ]


async def test_a_410_fails_the_deliveries_of_changes_committed_before_it(
    app: FastAPI, client: httpx.AsyncClient, receiver: Any
) -> None:
    hook = await register(client, receiver.url, event_types=["task.created"])
    receiver.script = [(410, {}, 0.5)]
    await client.post("/v1/tasks", json={"title": "a"}, headers=USER)
    worker = make_worker(app)
    assert await worker._claim_and_start() == 1  # the first attempt is in flight (0.5 s) …
    await client.post("/v1/tasks", json={"title": "b"}, headers=USER)  # … when this commits
    await asyncio.gather(*worker._in_flight)  # the 410: nothing stamped "b" in between
    await drain(worker)
    log = await deliveries(client, hook)
    assert [d["status"] for d in log] == ["failed", "failed"]
    assert len(receiver.received) == 1
