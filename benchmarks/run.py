"""The benchmark harness: seed, serve (service and ceiling), load with wrk, report.

    .venv/bin/python -m benchmarks.run              # full run (about 25 minutes), as root
    .venv/bin/python -m benchmarks.run --smoke      # 20 000 tasks, seconds per scenario

The full run seeds one million tasks once (reused by later runs), measures each scenario on
one worker of the service and of the ceiling as interleaved pairs (``--pairs``, default 3:
the median ratio and its spread are reported; a target whose spread is wider than its margin
is measured once more with ``--more-pairs`` (4) and judged on all the pairs, and if still
"inconclusive" it is never claimed: benchmarks/pairs.py), the latency of the routes sensitive
to the data's size at one connection, the worker's RSS over 100 000 requests, and the mix
in a Fargate-sized envelope; it writes its section of docs/performance.md. ``--smoke``
checks that everything answers 2xx and that the report is produced (to
.data/bench/smoke.md), with loose ratio checks that a noisy machine cannot fail; ``--strict``
makes the real targets the exit status.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import json
import os
import shlex
import statistics
import sys
import threading
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from benchmarks import envelope as envelopes
from benchmarks import seed as seeding
from benchmarks import servers
from benchmarks.load import LoadResult, run_rate, run_wrk
from benchmarks.pairs import Paired, judge
from benchmarks.report import Report, Target, git_commit, load_average, write_section

REPO = servers.REPO
API_KEY = "bench-key-0123456789abcdef"
SCENARIOS = [
    "get",
    "list_first",
    "list_deep",
    "create",
    "patch",
    "complete_recurring",
    "stats_heavy",
    "stats_light",
]
LATENCY_SCENARIOS = ["stats_light", "stats_heavy", "list_first", "list_deep"]
ENVELOPE_RATES = [25, 50, 75, 100, 125, 150, 175, 200, 250, 300, 350, 400, 500, 600]
ENVELOPE_TARGET = 250.0  # req/s of the mix at p99 under the budget, in a 0.25-vCPU envelope
CEILING_APP = "benchmarks.ceiling:app"
MIB = 1024 * 1024


def log(line: str) -> None:
    print(line, flush=True)  # noqa: T201 - a command-line tool's progress


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m benchmarks.run",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--smoke", action="store_true", help="small and quick (CI)")
    p.add_argument("--strict", action="store_true", help="fail unless every target is met")
    p.add_argument("--seconds", type=float, help="per scenario (default 10; smoke 2)")
    p.add_argument("--connections", type=int, default=8, help="per throughput run")
    p.add_argument(
        "--pairs",
        type=int,
        help="interleaved service/ceiling pairs per scenario (default 3; smoke 1)",
    )
    p.add_argument(
        "--more-pairs",
        type=int,
        help="pairs added once to a target scenario still inconclusive (default 4; smoke 0)",
    )
    p.add_argument("--rss-requests", type=int, help="mix requests for RSS (100000; smoke 3000)")
    p.add_argument("--no-envelope", action="store_true", help="skip the cgroup envelope")
    p.add_argument(
        "--envelope-workers",
        default="1,2",
        help="WEB_CONCURRENCY values to run the envelope with (comma-separated; 1,2)",
    )
    p.add_argument(
        "--no-webhook-worker",
        action="store_true",
        help="run the envelope without the webhook worker and receiver beside the API",
    )
    p.add_argument("--reseed", action="store_true", help="seed even when the marker matches")
    p.add_argument("--log-level", default="info", help="the service's LOG_LEVEL (info)")
    p.add_argument(
        "--output", type=Path, help="report file (docs/performance.md; smoke: .data/bench/smoke.md)"
    )
    p.add_argument(
        "--scenarios",
        help="comma-separated throughput scenarios only (quick A/B; no latency, RSS, envelope)",
    )
    p.add_argument("--data-dir", type=Path, default=REPO / ".data" / "bench")
    p.add_argument(
        "--port",
        type=int,
        default=18400,
        help="first of the ports used (it, the next three, one per envelope series)",
    )
    args = p.parse_args(argv)
    args.seconds = args.seconds or (2.0 if args.smoke else 10.0)
    args.rss_requests = args.rss_requests or (3_000 if args.smoke else 100_000)
    args.pairs = args.pairs or (1 if args.smoke else 3)
    if args.more_pairs is None:
        args.more_pairs = 0 if args.smoke else 4
    default_output = REPO / "docs" / "performance.md"
    if args.smoke or args.scenarios:
        default_output = args.data_dir / ("smoke.md" if args.smoke else "partial.md")
    args.output = args.output or default_output
    args.envelope_workers = [int(w) for w in args.envelope_workers.split(",") if w]
    args.size = seeding.SMOKE if args.smoke else seeding.FULL
    return args


@contextlib.contextmanager
def database(data_dir: Path) -> Iterator[str]:
    """The server URL: DATABASE_URL's server, or an embedded PostgreSQL in data_dir/pg."""
    if os.environ.get("DATABASE_URL"):
        yield os.environ["DATABASE_URL"]
        return
    from platform_db.embedded import start_embedded

    server = start_embedded(data_dir / "pg")
    try:
        yield server.url
    finally:
        server.stop()


def wrk_env(ids: Path) -> dict[str, str]:
    """What bench.lua's scenarios read: the key, the seeded ids beside ``ids`` (exported by a
    run of this module) and the seed's users."""
    if not ids.exists():
        raise SystemExit("no benchmark database yet: run python -m benchmarks.run first")
    return {
        "BENCH_API_KEY": API_KEY,
        "BENCH_IDS": str(ids),
        "BENCH_RECURRING_IDS": str(ids.with_name("recurring-ids.txt")),
        "BENCH_HEAVY_USER": seeding.HEAVY_USER,
        "BENCH_LIGHT_USER": seeding.LIGHT_USER,
    }


def capture_cursor(port: int, user: str, depth: int) -> str:
    """Walk the user's list (default sort) through the API until ``depth`` tasks are behind
    and return the cursor of the next page."""
    cursor: str | None = None
    seen = 0
    while seen < depth:
        query = {"limit": str(min(200, depth - seen))} | ({"cursor": cursor} if cursor else {})
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/v1/tasks?{urllib.parse.urlencode(query)}",
            headers={"X-API-Key": API_KEY, "X-User-ID": user},
        )
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            page = json.loads(response.read())
        seen += len(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            raise RuntimeError(f"{user} has only {seen} tasks")
    assert cursor is not None
    return cursor


def check_2xx(result: LoadResult, what: str) -> None:
    if result.requests == 0 or result.non_2xx or result.socket_errors:
        raise RuntimeError(
            f"{what}: {result.requests} requests, {result.non_2xx} non-2xx, "
            f"{result.socket_errors} socket errors"
        )


class RssSampler:
    """Samples the workers' VmRSS every second in a thread."""

    def __init__(self, server: servers.Server) -> None:
        self.server = server
        self.samples: list[int] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(1.0):
            self.samples.extend(self.server.rss().values())

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.data_dir.mkdir(parents=True, exist_ok=True)
    command = ".venv/bin/python -m benchmarks.run" + (
        " " + shlex.join(argv if argv is not None else sys.argv[1:]) if len(sys.argv) > 1 else ""
    )
    report = Report(command=command, seed=args.size.label, commit=git_commit(REPO))
    report.heavy = args.size.heavy
    with database(args.data_dir) as server_url:
        # One database per seed size: the smoke run does not undo the full seed.
        name = "task_manager_bench" + ("_smoke" if args.smoke else "")
        url = asyncio.run(seeding.ensure_database(server_url, name))
        asyncio.run(seeding.seed(url, args.size, force=args.reseed))
        ids = args.data_dir / "ids.txt"
        count = asyncio.run(seeding.export_ids(url, ids, 20_000))
        log(f"ids: {count} random (user, task) pairs in {ids}")
        recurring = args.data_dir / "recurring-ids.txt"
        count = asyncio.run(seeding.export_recurring_ids(url, recurring))
        log(f"ids: {count} recurring tasks in {recurring}")
        try:
            measure(args, url, ids, report)
        finally:
            asyncio.run(_cleanup(url))
    report.load_after = report_load()
    write_section(args.output, report.markdown(), title="Performance")
    log(f"report: {args.output}")
    failed = [t for t in report.targets if not (t.met and t.conclusive)]
    for t in report.targets:
        log(f"target {t.label:12} {t.name}: {t.measured} (wanted {t.wanted})")
    if args.smoke:
        return smoke_verdict(report)
    return 1 if (args.strict and failed) else 0


def report_load() -> str:
    return load_average()


async def _cleanup(url: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        await seeding.cleanup_writes(conn)
    finally:
        await conn.close()


def measure(args: argparse.Namespace, url: str, ids: Path, report: Report) -> None:
    logs = args.data_dir / "logs"
    logs.mkdir(exist_ok=True)
    common = {"database_url": url, "api_key": API_KEY, "log_dir": logs}
    service = servers.start("service", port=args.port, log_level=args.log_level, **common)
    try:
        ceiling = servers.start("ceiling", port=args.port + 1, app=CEILING_APP, **common)
        try:
            depth = args.size.heavy // 2
            cursor = capture_cursor(args.port, seeding.HEAVY_USER, depth)
            log(f"cursor: captured {depth} tasks deep into {seeding.HEAVY_USER}'s list")
            env = {**wrk_env(ids), "BENCH_CURSOR": cursor}
            for srv in (service, ceiling):  # warm up: connections, caches, statement caches
                run_wrk(srv.port, "mix", connections=4, seconds=2, env=env)
            throughput(args, service, ceiling, env, report)
            if args.scenarios:
                return
            for scenario in LATENCY_SCENARIOS:
                r = run_wrk(args.port, scenario, connections=1, seconds=args.seconds / 2, env=env)
                check_2xx(r, f"service {scenario} at 1 connection")
                report.latency.append(r)
                log(f"latency {scenario}: p50 {r.p50_ms:.2f} ms, p99 {r.p99_ms:.2f} ms")
        finally:
            ceiling.stop()
        rss(args, service, env, report)
    finally:
        service.stop()
    envelope(args, common, env, report)
    evaluate(report)


def throughput(
    args: argparse.Namespace,
    service: servers.Server,
    ceiling: servers.Server,
    env: dict[str, str],
    report: Report,
) -> None:
    """Each scenario as ``args.pairs`` interleaved pairs: service, ceiling, service, …; a
    scenario with a target they leave inconclusive gets ``args.more_pairs`` more, once."""
    chosen = args.scenarios.split(",") if args.scenarios else [*SCENARIOS, "mix"]
    for scenario in chosen:
        paired = Paired(scenario)
        add_pairs(args, service, ceiling, scenario, env, paired, args.pairs)
        target = RATIO_TARGETS.get(scenario)
        if target is not None and args.more_pairs and not judge(paired, target[1]).conclusive:
            log(f"{'ratio':8} {scenario:12} {paired.describe()}: inconclusive, more pairs")
            add_pairs(args, service, ceiling, scenario, env, paired, args.more_pairs)
        log(f"{'ratio':8} {scenario:12} {paired.describe()}")
        report.throughput.append(paired)


def add_pairs(
    args: argparse.Namespace,
    service: servers.Server,
    ceiling: servers.Server,
    scenario: str,
    env: dict[str, str],
    paired: Paired,
    count: int,
) -> None:
    for _ in range(count):
        paired.load.append(load_average().split(" / ")[0])
        svc = measure_one(args, service, scenario, env)
        ceil = measure_one(args, ceiling, scenario, env)
        paired.pairs.append((svc, ceil))


def measure_one(
    args: argparse.Namespace, srv: servers.Server, scenario: str, env: dict[str, str]
) -> LoadResult:
    cpu = srv.cpu_seconds()
    r = run_wrk(srv.port, scenario, connections=args.connections, seconds=args.seconds, env=env)
    cpu_us = (srv.cpu_seconds() - cpu) / max(1, r.requests) * 1e6
    r = dataclasses.replace(r, cpu_us_per_request=cpu_us)
    check_2xx(r, f"{srv.name} {scenario}")
    log(
        f"{srv.name:8} {scenario:12} {r.rps:8,.0f} req/s  p50 {r.p50_ms:6.2f} ms  "
        f"p99 {r.p99_ms:6.2f} ms  CPU {r.cpu_us_per_request:5.0f} µs/req"
    )
    return r


def rss(
    args: argparse.Namespace, service: servers.Server, env: dict[str, str], report: Report
) -> None:
    ((pid, start),) = service.rss().items()
    with RssSampler(service) as sampler:
        r = run_wrk(
            service.port,
            "mix",
            connections=args.connections,
            seconds=600,
            env=env,
            max_requests=args.rss_requests,
        )
    check_2xx(r, "service mix (RSS)")
    after = service.rss()[pid]
    samples = sampler.samples or [after]
    before = samples[0]
    report.rss = {
        "name": f"service worker {pid}",
        "requests": r.requests,
        "rps": r.rps,
        "p99_ms": r.p99_ms,
        "non_2xx": r.non_2xx,
        "start": start,
        "before": before,
        "min": min(samples),
        "max": max(samples),
        "after": after,
        "drift": (after - before) / before,
    }
    log(
        f"rss: {start / MIB:.1f} MiB at start, {before / MIB:.1f} -> {after / MIB:.1f} MiB "
        f"over {r.requests} requests"
    )


def envelope(
    args: argparse.Namespace, common: dict[str, object], env: dict[str, str], report: Report
) -> None:
    reason = envelopes.available()
    if args.no_envelope or args.smoke or reason:
        report.envelope_note = f"Not measured in this run ({reason or 'skipped by option'})."
        return
    beside = [] if args.no_webhook_worker else webhook_worker(args, common)
    try:
        envelope_series(args, common, env, report)
    finally:
        for process in reversed(beside):
            if process.envelope is not None:  # before stop() removes the groups
                report.envelope_worker = process.envelope.usage()
            output = process.stop()
            if process.name == "receiver":
                report.envelope_deliveries = int(output.split()[-1]) if output.strip() else 0
    report.envelope_note = envelope_note(args, report)


def webhook_worker(args: argparse.Namespace, common: dict[str, object]) -> list[servers.Process]:
    """As in production: a receiver (healthy, on loopback) registered for every event, and
    one `task-manager worker` in its own 0.25-vCPU / 512-MiB envelope (its own ECS service)."""
    log_dir = Path(str(common["log_dir"]))
    port = args.port + 3
    receiver = servers.start_process(
        "receiver", [sys.executable, "-m", "benchmarks.receiver", str(port)], log_dir=log_dir
    )
    url = str(common["database_url"])
    asyncio.run(seeding.register_webhook(url, f"http://127.0.0.1:{port}/hook"))
    worker_env = {
        "DATABASE_URL": url,
        "API_KEYS": API_KEY,
        # The receiver is on loopback: only a non-deployed environment may deliver there.
        "ENVIRONMENT": "development",
        "WEBHOOKS_ALLOW_HTTP": "true",
        "WEBHOOKS_ALLOW_PRIVATE_TARGETS": "true",
        "LOG_FORMAT": "json",
        "LOG_LEVEL": args.log_level,
    }
    box = envelopes.Envelope(name=f"task-manager-bench-worker-{os.getpid()}")
    worker = servers.start_process(
        "webhook-worker",
        servers.webhook_worker_command(),
        log_dir=log_dir,
        env=worker_env,
        envelope=box,
    )
    log(f"envelope: webhook worker {worker.process.pid} beside the API, receiver on {port}")
    return [receiver, worker]


def envelope_plan(args: argparse.Namespace) -> list[tuple[str, int]]:
    """The envelope's series: the service at each ``--envelope-workers`` value, then the
    ceiling at one worker."""
    return [("service", w) for w in args.envelope_workers] + [("ceiling", 1)]


def envelope_series(
    args: argparse.Namespace, common: dict[str, object], env: dict[str, str], report: Report
) -> None:
    """The service at each ``--envelope-workers`` value and the ceiling at one worker, each in
    its own envelope, stepped through the same rates interleaved (at each rate: every series
    still under the budget, in turn), so that the ceiling shows what the machine allowed at
    the time. A series stops at its first step over the budget."""
    started: list[tuple[str, int, servers.Server, envelopes.Envelope]] = []
    try:
        for i, (server, workers) in enumerate(envelope_plan(args)):
            box = envelopes.Envelope(name=f"task-manager-bench-{os.getpid()}-{server}-{workers}")
            srv = servers.start(
                f"{server}-envelope-{workers}",
                port=args.port + 4 + i,
                workers=workers,
                log_level=args.log_level,
                envelope=box,
                app=CEILING_APP if server == "ceiling" else None,
                **common,  # type: ignore[arg-type]
            )
            started.append((server, workers, srv, box))
            run_wrk(srv.port, "mix", connections=2, seconds=3, env=env)  # warm up
        ids = Path(env["BENCH_IDS"])

        def step(
            server: str, workers: int, srv: servers.Server, box: envelopes.Envelope, rate: int
        ) -> envelopes.Step:
            before = box.usage()
            r = run_rate(srv.port, rate=rate, seconds=args.seconds, ids=ids, api_key=API_KEY)
            usage = box.usage()
            for k in ("nr_periods", "nr_throttled"):
                usage[k] -= before[k]
            log(
                f"envelope {server} w={workers} {rate:4} req/s offered: {r.rps:7,.0f} req/s  "
                f"p50 {r.p50_ms:6.2f} ms  p99 {r.p99_ms:7.2f} ms  "
                f"throttled {usage['nr_throttled']}/{usage['nr_periods']}"
            )
            done = envelopes.Step(server, workers, r, usage)
            report.envelope.append(done)
            return done

        active = list(started)
        for rate in ENVELOPE_RATES:
            for series in list(active):
                server = series[0]
                held = step(*series, rate).within_budget
                # The ceiling only tells whether the machine allowed the rate at the time: one
                # burst of other load must not end its series, so a failed step runs once more.
                # The service's claim stands on its first try.
                if not held and server == "ceiling":
                    held = step(*series, rate).within_budget
                if not held:
                    active.remove(series)
            if not active:
                break
    finally:
        for _, _, srv, _ in started:
            srv.stop()


def envelope_note(args: argparse.Namespace, report: Report) -> str:
    budget = envelopes.P99_BUDGET_MS
    note = (
        "The mix at constant rates (open loop, `benchmarks/rate.py` in its own process: each "
        "latency counted from the request's scheduled time, so queueing behind the CPU quota "
        f"shows), stepped up until p99 passes {budget:.0f} ms, once per `WEB_CONCURRENCY`, and "
        "the ceiling at one worker in an envelope of its own, through the same rates: at each "
        "rate every series still under the budget runs in turn, so the ceiling's highest rate "
        "shows what the machine allowed at the time (a ceiling step over the budget runs once "
        "more before its series stops). PostgreSQL and the load generator run "
        "outside the envelopes, as Neon and the ALB do. "
    )
    if not args.no_webhook_worker:
        note += (
            "Beside them, as in production, a webhook endpoint receives every event, delivered "
            "by one `task-manager worker` in its own 0.25-vCPU envelope "
            f"({report.envelope_deliveries:,} deliveries received"
            + (
                f"; the worker's envelope throttled in "
                f"{report.envelope_worker.get('nr_throttled', 0)}"
                f"/{report.envelope_worker.get('nr_periods', 0)} periods"
                if report.envelope_worker
                else ""
            )
            + "). "
        )
    for server, workers in envelope_plan(args):
        best = envelopes.highest(report.envelope, server, workers)
        who = "The ceiling" if server == "ceiling" else "The service"
        name = f"{who}, WEB_CONCURRENCY={workers}"
        note += (
            f"**{name}: highest rate with p99 under {budget:.0f} ms: "
            f"{best.result.offered_rate:,.0f} req/s (served {best.result.rps:,.0f} req/s, "
            f"p50 {best.result.p50_ms:.1f} ms, p99 {best.result.p99_ms:.1f} ms).** "
            if best
            else f"**{name}: no step kept p99 under {budget:.0f} ms.** "
        )
    return note.strip()


def _find(results: list[LoadResult], scenario: str) -> LoadResult:
    return next(r for r in results if r.scenario == scenario)


# Round 2 targets: the median ratio of interleaved pairs against the harness's own ceiling.
RATIO_TARGETS = {
    "get": ("GET /v1/tasks/{id}", 0.65),
    "list_first": ("GET /v1/tasks, first page", 0.60),
    "create": ("POST /v1/tasks", 0.55),
    "patch": ("PATCH /v1/tasks/{id}", 0.55),
    "mix": ("the mix", 0.70),
}


def evaluate(report: Report) -> None:
    for paired in report.throughput:
        if paired.scenario not in RATIO_TARGETS:
            continue
        name, at_least = RATIO_TARGETS[paired.scenario]
        verdict = judge(paired, at_least)
        svc, ceil = paired.representative()
        report.targets.append(
            Target(
                f"{name}, one worker, req/s vs the ceiling",
                f">= {at_least:.0%}",
                f"{paired.describe()}; median pair {svc.rps:,.0f} / {ceil.rps:,.0f}",
                verdict.met,
                verdict.conclusive,
            )
        )
    # Completing a recurring task against a plain PATCH: the service's median req/s of each.
    service_rps = {
        p.scenario: statistics.median(svc.rps for svc, _ in p.pairs) for p in report.throughput
    }
    if "complete_recurring" in service_rps and "patch" in service_rps:
        plain, recurring = service_rps["patch"], service_rps["complete_recurring"]
        ratio = plain / recurring
        report.targets.append(
            Target(
                "PATCH completing a recurring task vs a plain PATCH, service req/s",
                "<= 1.5x",
                f"{ratio:.2f}x ({recurring:,.0f} / {plain:,.0f})",
                ratio <= 1.5,
            )
        )
    if report.envelope:
        report.targets.append(envelope_target(report))
    if not report.latency:
        return
    heavy, light = _find(report.latency, "stats_heavy"), _find(report.latency, "stats_light")
    ratio = heavy.p50_ms / light.p50_ms
    report.targets.append(
        Target(
            f"GET /v1/stats p50: {report.heavy:,}-task user vs 100-task user",
            "<= 2x",
            f"{ratio:.2f}x ({heavy.p50_ms:.2f} / {light.p50_ms:.2f} ms)",
            ratio <= 2,
        )
    )
    deep, first = _find(report.latency, "list_deep"), _find(report.latency, "list_first")
    ratio = deep.p50_ms / first.p50_ms
    report.targets.append(
        Target(
            "GET /v1/tasks p50: deep page vs first page",
            "<= 1.5x",
            f"{ratio:.2f}x ({deep.p50_ms:.2f} / {first.p50_ms:.2f} ms)",
            ratio <= 1.5,
        )
    )
    if report.rss:
        r = report.rss
        flat = r["min"] >= 0.9 * r["before"] and r["max"] <= 1.1 * r["before"]
        report.targets.append(
            Target(
                "worker RSS", "<= 150 MiB", f"max {r['max'] / MIB:.1f} MiB", r["max"] <= 150 * MIB
            )
        )
        report.targets.append(
            Target(
                f"worker RSS flat over {r['requests']:,} requests",
                "within ±10 %",
                f"{r['min'] / MIB:.1f} to {r['max'] / MIB:.1f} MiB (drift {r['drift']:+.1%})",
                flat,
            )
        )


def envelope_target(report: Report) -> Target:
    verdict = envelopes.judge(report.envelope, ENVELOPE_TARGET)

    def rate(server: str) -> str:
        best = envelopes.highest(report.envelope, server)
        if best is None:
            return "no rate"
        r = best.result
        return f"{r.offered_rate:,.0f} req/s (w={best.workers}, p99 {r.p99_ms:.0f} ms)"

    return Target(
        f"Fargate envelope: the mix at p99 < {envelopes.P99_BUDGET_MS:.0f} ms, 0.25 vCPU",
        f">= {ENVELOPE_TARGET:.0f} req/s",
        f"{rate('service')}; the ceiling in the same envelope, at the same time: {rate('ceiling')}",
        verdict.met,
        verdict.conclusive,
    )


def smoke_verdict(report: Report) -> int:
    """Everything answered 2xx (checked on the way); the ratios only loosely (noisy CI)."""
    loose = {"<= 2x": 4.0, "<= 1.5x": 4.0}
    for t in report.targets:
        if t.wanted in loose:
            value = float(t.measured.split("x", 1)[0])
            if value > loose[t.wanted]:
                log(f"smoke: FAILED {t.name}: {t.measured} (smoke bound {loose[t.wanted]}x)")
                return 1
    log("smoke: ok")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
