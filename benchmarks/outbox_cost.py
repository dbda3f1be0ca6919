"""The write-path cost of the change feed's outbox (issue 14), in production configuration.

The service (gunicorn, one uvicorn worker, ``ENVIRONMENT=production``, JSON access logs) and
the same service with the outbox switched off (``benchmarks/no_outbox.py``) run side by side
on the benchmark database, with one webhook endpoint registered (so each event also queues one
delivery and sends a NOTIFY; no worker runs, the deliveries stay pending). ``wrk`` drives
``create`` and ``patch`` against each in interleaved pairs (with, without, with, without…);
the CPU of a request is the worker's (``/proc``) plus the PostgreSQL server's processes (the
embedded server only; 0 for ``DATABASE_URL``), divided by the requests. The report gives the
median extra cost of the outbox per operation with the lowest and highest pair.
Target: at most +15 % on POST and PATCH.

The write adds the event only; the feed's stamper gives it its position and queues its
deliveries later, off the write path (the webhook worker's job). After each run with the outbox
the events it wrote are stamped here, and the database CPU of that per event is reported too,
with the total (write path + stamping) beside the write-path figure.

    .venv/bin/python -m benchmarks.outbox_cost                    # 5 pairs x 6 s, ~3 min
    .venv/bin/python -m benchmarks.outbox_cost --pairs 3 --seconds 3
    .venv/bin/python -m benchmarks.outbox_cost --together --pairs 9 --seconds 8

``--together`` loads both servers at the same time (four connections each) instead of one
after the other, so that whatever else the machine does in a window weighs on both; each
server's database CPU is then its own sessions' (``pg_stat_activity.application_name``, read
from ``/proc``), and the server's background processes (WAL writer, checkpointer, autovacuum)
are reported apart, per request of both.

Uses the data of ``benchmarks.run`` (``--data-dir``; seeded first when missing: ``--smoke``
size unless ``--full``).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import asyncpg

from benchmarks import seed as seeding
from benchmarks import servers
from benchmarks.load import LoadResult, run_wrk
from benchmarks.run import API_KEY, REPO, _cleanup, database, log
from task_manager.events import service as events_service

PG_DIR = "pg"


def postgres_cpu(data_dir: Path) -> float:
    """The embedded server's CPU (0 when DATABASE_URL names another server)."""
    if os.environ.get("DATABASE_URL"):
        return 0.0
    return servers.postgres_cpu(data_dir / PG_DIR / "postmaster.pid")


def _load(
    server: servers.Server, scenario: str, seconds: float, env: dict[str, str], connections: int
) -> LoadResult:
    # Each wrk its own random sequence: with the same one, two run side by side would PATCH the
    # same task with the same title at the same moment, and the second write would change nothing.
    env = {**env, "BENCH_SEED": str(server.port)}
    result = run_wrk(server.port, scenario, connections=connections, seconds=seconds, env=env)
    if result.requests == 0 or result.non_2xx or result.socket_errors:
        raise RuntimeError(f"{server.name} {scenario}: {result}")
    return result


def cpu_per_request(
    server: servers.Server, data_dir: Path, scenario: str, seconds: float, env: dict[str, str]
) -> tuple[float, float]:
    """(the worker's, the database's) CPU µs per request."""
    app0, db0 = server.cpu_seconds(), postgres_cpu(data_dir)
    result = _load(server, scenario, seconds, env, connections=8)
    app1, db1 = server.cpu_seconds(), postgres_cpu(data_dir)
    return (app1 - app0) / result.requests * 1e6, (db1 - db0) / result.requests * 1e6


WITH = "task-manager"  # the production app's sessions
# benchmarks.no_outbox.APPLICATION_NAME (not imported: importing it switches the outbox off).
WITHOUT = "task-manager-no-outbox"


async def _sessions(url: str) -> dict[str, list[int]]:
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch(
            "SELECT application_name, pid FROM pg_stat_activity "
            "WHERE application_name = ANY($1::text[])",
            [WITH, WITHOUT],
        )
    finally:
        await conn.close()
    found: dict[str, list[int]] = {WITH: [], WITHOUT: []}
    for row in rows:
        found[row["application_name"]].append(row["pid"])
    return found


def session_cpu(url: str) -> dict[str, dict[int, float]]:
    """Each server's database sessions (backend pid) and their CPU seconds so far."""
    sessions = asyncio.run(_sessions(url))
    return {
        name: {pid: servers.process_cpu(pid) for pid in pids} for name, pids in sessions.items()
    }


def _grown(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU the sessions used between two readings (a session opened meanwhile: all of it)."""
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in after.items())


def together(
    with_: servers.Server,
    without: servers.Server,
    url: str,
    data_dir: Path,
    scenario: str,
    seconds: float,
    env: dict[str, str],
) -> tuple[tuple[float, float], tuple[float, float], float]:
    """Both servers under load in the same window: ((worker, database) CPU µs per request with
    the outbox, the same without, the background database CPU per request of both)."""
    cpu0 = {s.name: s.cpu_seconds() for s in (with_, without)}
    db0, total0 = session_cpu(url), postgres_cpu(data_dir)
    with ThreadPoolExecutor(2) as pool:
        runs = [pool.submit(_load, s, scenario, seconds, env, 4) for s in (with_, without)]
        done = {s.name: run.result() for s, run in zip((with_, without), runs, strict=True)}
    db1, total1 = session_cpu(url), postgres_cpu(data_dir)
    cost = []
    for server, app_name in ((with_, WITH), (without, WITHOUT)):
        n = done[server.name].requests
        app = server.cpu_seconds() - cpu0[server.name]
        cost.append((app / n * 1e6, _grown(db0[app_name], db1[app_name]) / n * 1e6))
    sessions = sum(_grown(db0[name], db1[name]) for name in (WITH, WITHOUT))
    requests = sum(r.requests for r in done.values())
    return cost[0], cost[1], (total1 - total0 - sessions) / requests * 1e6


async def _stamp_all(url: str) -> int:
    conn = await asyncpg.connect(url)
    try:
        return await events_service.stamp_all_committed(conn)
    finally:
        await conn.close()


def stamping_cpu(url: str, data_dir: Path) -> tuple[float, int]:
    """Stamp (and fan out) every event written so far: (database CPU µs per event, events)."""
    db0 = postgres_cpu(data_dir)
    stamped = asyncio.run(_stamp_all(url))
    time.sleep(0.3)  # the closed connection's backend exits and is reaped (its CPU counted)
    db1 = postgres_cpu(data_dir)
    return ((db1 - db0) / stamped * 1e6 if stamped else 0.0), stamped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--full", action="store_true", help="the full seed (1 000 000 tasks)")
    parser.add_argument("--data-dir", type=Path, default=REPO / ".data" / "bench")
    parser.add_argument("--port", type=int, default=18450)
    parser.add_argument(
        "--no-endpoint", action="store_true", help="no webhook endpoint: the event row only"
    )
    parser.add_argument(
        "--together", action="store_true", help="load both servers at once (see above)"
    )
    parser.add_argument("--scenarios", default="create,patch", help="comma-separated")
    args = parser.parse_args()
    size = seeding.FULL if args.full else seeding.SMOKE
    args.data_dir.mkdir(parents=True, exist_ok=True)
    with database(args.data_dir) as server_url:
        name = "task_manager_bench" + ("" if args.full else "_smoke")
        url = asyncio.run(seeding.ensure_database(server_url, name))
        asyncio.run(seeding.seed(url, size))
        ids = args.data_dir / "ids.txt"
        asyncio.run(seeding.export_ids(url, ids, 20_000))
        if not args.no_endpoint:
            asyncio.run(seeding.register_webhook(url, "http://127.0.0.1:9/hook"))
        logs = args.data_dir / "logs"
        logs.mkdir(exist_ok=True)
        common = {"database_url": url, "api_key": API_KEY, "log_dir": logs}
        env = {"BENCH_API_KEY": API_KEY, "BENCH_IDS": str(ids)}
        with_ = servers.start("service", port=args.port, **common)
        without = servers.start(
            "service-no-outbox",
            port=args.port + 1,
            app="benchmarks.no_outbox:create_app()",
            **common,
        )
        try:
            for srv in (with_, without):
                run_wrk(srv.port, "create", connections=4, seconds=2, env=env)  # warm up
            stamping_cpu(url, args.data_dir)  # the warm-up's events
            for scenario in args.scenarios.split(","):
                ratios, totals = [], []
                for i in range(args.pairs):
                    background = ""
                    if args.together:
                        (app, db), (app_off, db_off), shared = together(
                            with_, without, url, args.data_dir, scenario, args.seconds, env
                        )
                        background = f"; background db {shared:.0f} µs/request of both"
                    else:
                        order = (with_, without) if i % 2 == 0 else (without, with_)
                        cost = {
                            s.name: cpu_per_request(s, args.data_dir, scenario, args.seconds, env)
                            for s in order
                        }
                        (app, db), (app_off, db_off) = cost["service"], cost["service-no-outbox"]
                    stamp, events = stamping_cpu(url, args.data_dir)
                    ratio = (app + db) / (app_off + db_off)
                    ratios.append(ratio)
                    totals.append((app + db + stamp) / (app_off + db_off))
                    log(
                        f"{scenario:7} pair {i + 1}: {app + db:6.0f} (worker {app:.0f} + db "
                        f"{db:.0f}) vs {app_off + db_off:6.0f} (worker {app_off:.0f} + db "
                        f"{db_off:.0f}) µs/request: {ratio - 1:+.1%}; then stamping "
                        f"{events} events: {stamp:.0f} µs of db each{background}"
                    )
                log(
                    f"{scenario:7} outbox cost on the write path: median "
                    f"{statistics.median(ratios) - 1:+.1%} (pairs {min(ratios) - 1:+.1%} to "
                    f"{max(ratios) - 1:+.1%}); target <= +15%. With the stamping and fan-out "
                    f"(the worker's, after the write): {statistics.median(totals) - 1:+.1%}"
                )
        finally:
            with_.stop()
            without.stop()
            asyncio.run(_cleanup(url))


if __name__ == "__main__":
    main()
