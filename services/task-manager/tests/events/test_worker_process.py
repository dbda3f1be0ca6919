"""``task-manager worker`` as a process: killed with SIGKILL mid-delivery and restarted, every
event is still delivered; SIGTERM finishes the attempt in flight and exits 0."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from platform_service import service_state
from task_manager.settings import Settings

USER = {"X-User-ID": "u-42"}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={"webhooks_allow_http": True, "webhooks_allow_private_targets": True}
    )


def start_worker(database_url: str, timeout: float) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "API_KEYS": "worker-test-key-0123456789",
        "ENVIRONMENT": "test",
        "LOG_FORMAT": "json",
        "WEBHOOK_TIMEOUT_SECONDS": str(timeout),
        "WEBHOOKS_ALLOW_HTTP": "true",
        "WEBHOOKS_ALLOW_PRIVATE_TARGETS": "true",
    }
    env.pop("ENV_FILE", None)
    return subprocess.Popen(
        [sys.executable, "-m", "task_manager", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def wait_for(predicate: Any, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if await predicate():
            return
        await asyncio.sleep(0.1)
    raise AssertionError("condition not reached in time")


async def statuses(app: FastAPI) -> list[str]:
    async with service_state(app).pool.acquire() as conn:
        rows = await conn.fetch("SELECT status FROM webhook_deliveries ORDER BY id")
    return [r["status"] for r in rows]


async def test_sigkill_mid_delivery_then_restart_delivers_everything(
    app: FastAPI, client: httpx.AsyncClient, receiver: Any, database_url: str
) -> None:
    await client.post("/v1/webhooks", json={"url": receiver.url})
    receiver.script = [(200, {}, 4.0)]  # the first request hangs: the worker dies meanwhile
    ids = []
    for i in range(5):
        await client.post("/v1/tasks", json={"title": f"t{i}"}, headers=USER)
    ids = [e["id"] for e in (await client.get("/v1/events")).json()["items"]]
    worker = start_worker(database_url, timeout=2)
    try:

        async def arrived() -> bool:
            return receiver.arrivals >= 1

        await wait_for(arrived, 30)
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
        assert "pending" in await statuses(app)  # the hanging one was never recorded
        worker = start_worker(database_url, timeout=2)

        async def all_succeeded() -> bool:
            return await statuses(app) == ["succeeded"] * 5

        await wait_for(all_succeeded, 40)
    finally:
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(15) == 0
    assert {r.headers["webhook-id"] for r in receiver.ok()} >= set(ids)


async def test_sigterm_finishes_the_attempt_in_flight(
    app: FastAPI, client: httpx.AsyncClient, receiver: Any, database_url: str
) -> None:
    await client.post("/v1/webhooks", json={"url": receiver.url})
    receiver.script = [(200, {}, 1.5)]
    await client.post("/v1/tasks", json={"title": "t"}, headers=USER)
    worker = start_worker(database_url, timeout=5)
    try:

        async def arrived() -> bool:
            return receiver.arrivals >= 1

        await wait_for(arrived, 30)
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(15) == 0
    finally:
        if worker.poll() is None:
            worker.kill()
    assert await statuses(app) == ["succeeded"]
