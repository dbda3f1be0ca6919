"""Benchmark of the change feed and webhooks (issue 14).

1. Latency: changes at a constant rate (default 100/s, open loop) through the application
   (ASGI, in-process); one `task-manager worker` process delivers to a healthy receiver on
   loopback (its own thread and event loop). Latency = the receiver's arrival time of the
   first attempt minus the moment the API answered the change (the commit precedes the answer,
   so the true commit → attempt time is slightly larger; the difference is the response path,
   well under a millisecond in-process). p50/p99 reported; target p99 <= 1 s.
2. Throughput: N events queued while no worker runs, then one worker started; events
   delivered per second by that worker (includes its start-up and connection set-up).
3. Write-path cost of the outbox: CPU time per POST and per PATCH (this process + the
   PostgreSQL server's processes) with the event (and one webhook endpoint, so one delivery
   row and a NOTIFY) against the same code with no event: the write statement then has no
   outbox part (``outbox.event_for`` returns None), the rest is identical.
   Target <= 15 %.

    .venv/bin/python benchmarks/webhooks.py                 # about 2 minutes
    .venv/bin/python benchmarks/webhooks.py --seconds 10 --events 1000 --writes 300

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


def postgres_cpu(url: str) -> float:
    """utime+stime (s) of the embedded server's processes (0 for an external server)."""
    if not PGDATA:
        return 0.0
    pid_files = list(PGDATA[0].rglob("postmaster.pid"))
    if not pid_files:
        return 0.0
    master = int(pid_files[0].read_text().split()[0])
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry.name) == master or int(fields[1]) == master:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


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


async def write_cost(client: httpx.AsyncClient, writes: int, url: str) -> None:
    async def run(label: str) -> dict[str, float]:
        ids = []
        cpu0, pg0 = time.process_time(), postgres_cpu(url)
        for i in range(writes):
            r = await client.post("/v1/tasks", json={"title": f"w{i}"}, headers=USER)
            assert r.status_code == 201, r.text
            ids.append(r.json()["id"])
        cpu1, pg1 = time.process_time(), postgres_cpu(url)
        for i, task_id in enumerate(ids):
            r = await client.patch(f"/v1/tasks/{task_id}", json={"title": f"x{i}"}, headers=USER)
            assert r.status_code == 200, r.text
        cpu2, pg2 = time.process_time(), postgres_cpu(url)
        post = ((cpu1 - cpu0) + (pg1 - pg0)) / writes * 1000
        patch = ((cpu2 - cpu1) + (pg2 - pg1)) / writes * 1000
        out(
            f"  {label}: POST {post:.3f} ms CPU/request (app {1000 * (cpu1 - cpu0) / writes:.3f}"
            f" + db {1000 * (pg1 - pg0) / writes:.3f}), PATCH {patch:.3f} ms "
            f"(app {1000 * (cpu2 - cpu1) / writes:.3f} + db {1000 * (pg2 - pg1) / writes:.3f})"
        )
        return {"post": post, "patch": patch}

    def no_event(*_args: Any, **_kwargs: Any) -> None:
        return None  # the write statement then has no event, delivery or NOTIFY part

    out(f"write-path cost ({writes} POST + {writes} PATCH each, alternating rounds):")
    results: dict[str, list[dict[str, float]]] = {"with": [], "without": []}
    real_event_for = outbox.event_for
    for _ in range(3):
        results["with"].append(await run("with the event write"))
        outbox.event_for = no_event  # type: ignore[assignment]
        results["without"].append(await run("without"))
        outbox.event_for = real_event_for
    for op in ("post", "patch"):
        with_ = statistics.median(r[op] for r in results["with"])
        without = statistics.median(r[op] for r in results["without"])
        out(
            f"  {op.upper()}: median {with_:.3f} vs {without:.3f} ms: "
            f"+{(with_ / without - 1) * 100:.1f} %"
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
        transport = httpx.ASGITransport(app=app)
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
                await write_cost(client, args.writes, url)


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=100)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--events", type=int, default=3000)
    parser.add_argument("--writes", type=int, default=500)
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
