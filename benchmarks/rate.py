"""A constant-rate (open-loop) load generator for the mix, run as its own process.

    python -m benchmarks.rate --port 18402 --rate 100 --seconds 10 --ids .data/bench/ids.txt

Requests are scheduled every 1/rate seconds whatever the server does, each sent on a free
keep-alive connection (a new one is opened when none is free, up to --max-connections), and
each latency is measured from its scheduled time, so a stalled server shows in the
percentiles (no coordinated omission, unlike a closed loop). Prints one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import time
from pathlib import Path

STATS = "/v1/stats?tz=Europe/Madrid&days=30"


class Mix:
    """The mix of bench.lua: 50 % stats, 25 % get, 15 % list, 7 % patch, 3 % create."""

    def __init__(self, ids: Path, api_key: str) -> None:
        self.targets = [tuple(line.split()) for line in ids.read_text().splitlines() if line]
        self.api_key = api_key
        self.counter = 0

    def request(self) -> bytes:
        user, task = random.choice(self.targets)
        r = random.randrange(100)
        if r < 50:
            return self._build("GET", STATS, user)
        if r < 75:
            return self._build("GET", f"/v1/tasks/{task}", user)
        if r < 90:
            return self._build("GET", "/v1/tasks?limit=50", user)
        if r < 97:
            body = json.dumps({"title": f"patched {random.randrange(10**9)}"})
            return self._build("PATCH", f"/v1/tasks/{task}", user, body)
        self.counter += 1
        body = json.dumps({"title": f"bench new {self.counter}", "priority": "high"})
        return self._build("POST", "/v1/tasks", f"bench-writer-{self.counter % 50}", body)

    def _build(self, method: str, path: str, user: str, body: str | None = None) -> bytes:
        lines = [
            f"{method} {path} HTTP/1.1",
            "Host: 127.0.0.1",
            f"X-API-Key: {self.api_key}",
            f"X-User-ID: {user}",
        ]
        data = b""
        if body is not None:
            data = body.encode()
            lines += ["Content-Type: application/json", f"Content-Length: {len(data)}"]
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + data


async def _exchange(conn: tuple[asyncio.StreamReader, asyncio.StreamWriter], request: bytes) -> int:
    reader, writer = conn
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    if length:
        await reader.readexactly(length)
    return status


async def run(args: argparse.Namespace) -> dict[str, float]:
    mix = Mix(args.ids, args.api_key)
    idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
    opened = 0
    latencies: list[float] = []
    errors = 0
    non_2xx = 0
    dropped = 0
    tasks: set[asyncio.Task[None]] = set()

    async def one(scheduled: float) -> None:
        nonlocal opened, errors, non_2xx
        try:
            if idle:
                conn = idle.pop()
            else:
                opened += 1
                conn = await asyncio.open_connection("127.0.0.1", args.port)
            status = await _exchange(conn, mix.request())
        except (OSError, asyncio.IncompleteReadError, ValueError):
            errors += 1
            return
        latencies.append(time.perf_counter() - scheduled)
        non_2xx += not 200 <= status < 300
        idle.append(conn)

    start = time.perf_counter()
    total = int(args.rate * args.seconds)
    for i in range(total):
        scheduled = start + i / args.rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        if len(tasks) >= args.max_connections:
            dropped += 1  # the server is this far behind: count it, do not queue forever
            continue
        task = asyncio.create_task(one(scheduled))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    if tasks:
        await asyncio.wait(tasks, timeout=30)
    elapsed = time.perf_counter() - start
    for _, writer in idle:
        writer.close()
    latencies.sort()

    def pct(q: float) -> float:
        if not latencies:
            return 0.0
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000

    return {
        "requests": len(latencies),
        "seconds": elapsed,
        "non_2xx": non_2xx,
        "errors": errors + dropped,
        "connections": opened,
        "p50_ms": pct(0.50),
        "p90_ms": pct(0.90),
        "p99_ms": pct(0.99),
        "max_ms": latencies[-1] * 1000 if latencies else 0,
    }


def main() -> None:
    p = argparse.ArgumentParser(prog="python -m benchmarks.rate", description=__doc__)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--rate", type=float, required=True, help="requests per second")
    p.add_argument("--seconds", type=float, default=10)
    p.add_argument("--ids", type=Path, required=True)
    p.add_argument("--api-key", required=True)
    p.add_argument("--max-connections", type=int, default=256)
    args = p.parse_args()
    result = asyncio.run(run(args))
    sys.stdout.write("BENCH_JSON " + json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
