"""Benchmark of the change feed and webhooks (issue 14).

1. Latency: changes at a constant rate (default 100/s, open loop) through the application
   (ASGI, in-process); one `task-manager worker` process delivers to a healthy receiver on
   loopback (its own thread and event loop). Latency = the receiver's arrival time of the
   first attempt minus the moment the API answered the change (the commit precedes the answer,
   so the true commit → attempt time is slightly larger; the difference is the response path,
   well under a millisecond in-process). p50/p99 reported; target p99 <= 1 s.
2. Throughput: N events queued while no worker runs, then one worker started; events
   delivered per second by that worker (includes its start-up and connection set-up).
3. Write-path cost of the outbox: CPU time per POST and per PATCH — the application's (an
   ASGI wrapper adds up the CPU spent inside the app; requests go one at a time, so the
   client's share is excluded) + the PostgreSQL server's processes — with the event (and one
   webhook endpoint, so one delivery row and a NOTIFY) against the same code with no event:
   the write statement then has no outbox part (``outbox.event_for`` returns None), the rest
   is identical. ``--rounds`` interleaved pairs in ABBA order; the median ratio and its spread.
   Target <= 15 %.

    .venv/bin/python -m benchmarks.webhooks                 # about 2 minutes
    .venv/bin/python -m benchmarks.webhooks --phases cost --rounds 20 --writes 200

Uses DATABASE_URL's server when set (a fresh database is created and dropped), else an
embedded PostgreSQL in a temporary folder (then the server's CPU is measured too).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from benchmarks import servers
from platform_db.embedded import start_embedded
from platform_db.testing import fresh_database
from platform_logging import configure_logging
from task_manager.app import create_app
from task_manager.events import outbox
from task_manager.migrations import upgrade
from task_manager.settings import Settings

KEY = "benchmark-key-0123456789"
USER = {"X-User-ID": "bench-user"}


def out(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


# --- The receiver: a minimal HTTP/1.1 keep-alive server in its own thread ---------------------
class Receiver:
    def __init__(self) -> None:
        self.arrivals: dict[str, float] = {}
        self.port = 0
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        threading.Thread(target=self._run, daemon=True).start()
        self._ready.wait()

    def _run(self) -> None:
        self._loop = asyncio.new_event_loop()
        server = self._loop.run_until_complete(asyncio.start_server(self._handle, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                now = time.time()
                headers = {}
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    headers[name.strip().lower()] = value.strip()
                await reader.readexactly(int(headers.get(b"content-length", b"0")))
                msg_id = headers.get(b"webhook-id", b"").decode()
                self.arrivals.setdefault(msg_id, now)
                writer.write(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()


def start_worker(url: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "API_KEYS": KEY,
        "ENVIRONMENT": "test",
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "warning",
        "WEBHOOKS_ALLOW_HTTP": "true",
        "WEBHOOKS_ALLOW_PRIVATE_TARGETS": "true",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "task_manager", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


PGDATA: list[Path] = []


def postgres_cpu() -> float:
    """The embedded server's CPU (0 for an external server)."""
    pid_files = list(PGDATA[0].rglob("postmaster.pid")) if PGDATA else []
    return servers.postgres_cpu(pid_files[0] if pid_files else None)


async def latency(
    client: httpx.AsyncClient, receiver: Receiver, rate: float, seconds: float, url: str
) -> None:
    worker = start_worker(url)
    answered: dict[str, float] = {}
    failed: dict[int, int] = {}
    try:
        await asyncio.sleep(3)  # the worker is up and listening
        count = int(rate * seconds)
        start = time.perf_counter()

        async def change(i: int) -> None:
            response = await client.post("/v1/tasks", json={"title": f"t{i}"}, headers=USER)
            if response.status_code == 201:
                answered[response.json()["id"]] = time.time()
            else:
                failed[response.status_code] = failed.get(response.status_code, 0) + 1

        pending = []
        for i in range(count):
            delay = start + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            pending.append(asyncio.create_task(change(i)))
        await asyncio.gather(*pending)
        out(f"  sent {count} in {time.perf_counter() - start:.1f} s; failed: {failed}")
        await asyncio.sleep(3)
    finally:
        worker.terminate()
        worker.wait(30)
    ids = await event_ids(client)
    lat = [
        receiver.arrivals[e] - answered[t]
        for e, t in ids
        if e in receiver.arrivals and t in answered
    ]
    out(f"latency at {rate:.0f} changes/s for {seconds:.0f} s: {len(lat)}/{len(ids)} delivered")
    out(
        f"  commit -> first attempt: p50 {statistics.median(lat) * 1000:.1f} ms, "
        f"p99 {percentile(lat, 0.99) * 1000:.1f} ms, max {max(lat) * 1000:.1f} ms"
    )


async def event_ids(client: httpx.AsyncClient) -> list[tuple[str, str]]:
    pairs, cursor = [], None
    while True:
        params: dict[str, Any] = {"limit": 1000}
        if cursor:
            params["after"] = cursor
        page = (await client.get("/v1/events", params=params)).json()
        pairs += [(e["id"], e["task_id"]) for e in page["items"] if e["type"] == "task.created"]
        if not page["items"]:
            return pairs
        cursor = page["next_cursor"]


async def throughput(client: httpx.AsyncClient, receiver: Receiver, events: int, url: str) -> None:
    before = len(receiver.arrivals)
    for i in range(0, events, 50):
        await asyncio.gather(
            *(
                client.post("/v1/tasks", json={"title": f"q{j}"}, headers=USER)
                for j in range(i, min(i + 50, events))
            )
        )
    start = time.perf_counter()
    worker = start_worker(url)
    try:
        for _ in range(6000):  # at most 5 minutes
            if len(receiver.arrivals) - before >= events:
                break
            await asyncio.sleep(0.05)
        elapsed = time.perf_counter() - start
    finally:
        worker.terminate()
        worker.wait(30)
    done = len(receiver.arrivals) - before
    out(
        f"throughput: {done} events by one worker in {elapsed:.1f} s (start-up included): "
        f"{done / elapsed:.0f} events/s"
    )


class AppCpu:
    """ASGI wrapper that adds up the CPU time spent inside the application. The benchmark sends
    one request at a time, so while a request is inside the app nothing else runs in this
    process: the CPU time between entry and exit is the request's (the client's is not)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.seconds = 0.0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        start = time.process_time()
        try:
            await self.app(scope, receive, send)
        finally:
            self.seconds += time.process_time() - start


async def write_cost(
    client: httpx.AsyncClient, meter: AppCpu, writes: int, rounds: int, url: str
) -> None:
    async def run() -> dict[str, float]:
        ids = []
        app0, pg0 = meter.seconds, postgres_cpu()
        for i in range(writes):
            r = await client.post("/v1/tasks", json={"title": f"w{i}"}, headers=USER)
            assert r.status_code == 201, r.text
            ids.append(r.json()["id"])
        app1, pg1 = meter.seconds, postgres_cpu()
        for i, task_id in enumerate(ids):
            r = await client.patch(f"/v1/tasks/{task_id}", json={"title": f"x{i}"}, headers=USER)
            assert r.status_code == 200, r.text
        app2, pg2 = meter.seconds, postgres_cpu()
        return {
            "post": ((app1 - app0) + (pg1 - pg0)) / writes * 1e6,
            "patch": ((app2 - app1) + (pg2 - pg1)) / writes * 1e6,
            "post_db": (pg1 - pg0) / writes * 1e6,
            "patch_db": (pg2 - pg1) / writes * 1e6,
        }

    def no_event(*_args: Any, **_kwargs: Any) -> None:
        return None  # the write statement then has no event, delivery or NOTIFY part

    real_event_for = outbox.event_for

    async def measured(with_event: bool) -> dict[str, float]:
        outbox.event_for = real_event_for if with_event else no_event
        try:
            return await run()
        finally:
            outbox.event_for = real_event_for

    out(
        f"write-path cost: {rounds} interleaved pairs (ABBA order) of {writes} POST + {writes} "
        "PATCH with and without the event; CPU of the application (in-process ASGI, the "
        "client excluded) + the PostgreSQL server's processes, µs per request:"
    )
    ratios: dict[str, list[float]] = {"post": [], "patch": []}
    for i in range(rounds):
        if i % 2 == 0:
            with_, without = await measured(True), await measured(False)
        else:
            without, with_ = await measured(False), await measured(True)
        for op in ratios:
            ratios[op].append(with_[op] / without[op])
        out(
            f"  pair {i + 1}: POST {with_['post']:.0f} (db {with_['post_db']:.0f}) vs "
            f"{without['post']:.0f} (db {without['post_db']:.0f}), PATCH {with_['patch']:.0f} "
            f"(db {with_['patch_db']:.0f}) vs {without['patch']:.0f} "
            f"(db {without['patch_db']:.0f})"
        )
    for op, values in ratios.items():
        out(
            f"  {op.upper()} with the event: median {statistics.median(values) - 1:+.1%} "
            f"(pairs {min(values) - 1:+.1%} to {max(values) - 1:+.1%})"
        )


async def main(args: argparse.Namespace, url: str) -> None:
    receiver = Receiver()
    settings = Settings(
        environment="test",
        database_url=url,
        api_keys=[KEY],
        rate_limit_per_minute=0,
        log_level="warning",
        log_format="json",
        webhooks_allow_http=True,
        webhooks_allow_private_targets=True,
        db_pool_max_size=10,
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        meter = AppCpu(app)
        transport = httpx.ASGITransport(app=meter)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://bench", headers={"X-API-Key": KEY}
        ) as client:
            hook = await client.post(
                "/v1/webhooks", json={"url": f"http://127.0.0.1:{receiver.port}/hook"}
            )
            assert hook.status_code == 201, hook.text
            if "latency" in args.phases:
                await latency(client, receiver, args.rate, args.seconds, url)
            if "throughput" in args.phases:
                await throughput(client, receiver, args.events, url)
            if "cost" in args.phases:
                await write_cost(client, meter, args.writes, args.rounds, url)


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=100)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--events", type=int, default=3000)
    parser.add_argument("--writes", type=int, default=200, help="per round and operation")
    parser.add_argument("--rounds", type=int, default=10, help="interleaved pairs")
    parser.add_argument("--phases", default="latency,throughput,cost")
    args = parser.parse_args()
    configure_logging(level="warning", fmt="json", service="benchmark")
    with contextlib.ExitStack() as stack:
        server_url = os.environ.get("DATABASE_URL")
        if not server_url:
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-pg-"))
            server = start_embedded(folder)
            stack.callback(server.stop)
            PGDATA.append(Path(folder))
            server_url = server.url
        url = stack.enter_context(fresh_database(server_url, prefix="bench_webhooks"))
        upgrade(url)
        asyncio.run(main(args, url))


if __name__ == "__main__":
    cli()
