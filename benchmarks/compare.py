"""Two builds of the service side by side: a git revision against the working tree.

    .venv/bin/python -m benchmarks.compare --base HEAD~1 --scenario get --pairs 6

The harness (``benchmarks.run``) measures the service against the ceiling; this measures a
change against the code before it, which is what a step of an optimisation needs. The base
revision is checked out in a temporary git worktree; both builds run under gunicorn with the
production config (``servers.start``) against the harness's database (``.data/bench``, seeded
by ``benchmarks.run`` first; both builds must accept its schema), and ``wrk`` loads them in
turn, the order alternating between pairs. It prints, per build, the median req/s and the
workers' CPU time per request, and the medians of the per-pair ratios with their spread. CPU
per request is the steadier figure on a shared machine: it does not depend on how much CPU the
load generator and PostgreSQL leave to the worker.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import seed as seeding
from benchmarks import servers
from benchmarks.load import LoadResult, run_wrk
from benchmarks.run import API_KEY, database, log, measure_one, wrk_env

DATA = servers.REPO / ".data" / "bench"


@dataclass(slots=True)
class Runs:
    """One build's runs (each with the workers' CPU µs per request)."""

    name: str
    runs: list[LoadResult] = field(default_factory=list)

    def rps(self) -> list[float]:
        return [r.rps for r in self.runs]

    def cpu(self) -> list[float]:
        return [r.cpu_us_per_request for r in self.runs]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="git revision to compare against")
    parser.add_argument("--scenario", default="get", help="a bench.lua scenario (get, mix…)")
    parser.add_argument("--pairs", type=int, default=6)
    parser.add_argument("--seconds", type=float, default=4.0, help="per run")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--port", type=int, default=18490)
    return parser.parse_args(argv)


def ratio_line(what: str, ratios: list[float]) -> str:
    return (
        f"{what}: median {statistics.median(ratios):.3f} "
        f"(pairs {min(ratios):.3f} to {max(ratios):.3f}, n={len(ratios)})"
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    env = wrk_env(DATA / "ids.txt")
    with (
        tempfile.TemporaryDirectory() as scratch,
        database(DATA) as server_url,
        servers.checkout(args.base, Path(scratch) / "base") as base_tree,
    ):
        url = asyncio.run(seeding.ensure_database(server_url, "task_manager_bench"))
        return compare(args, url, base_tree, env, Path(scratch))


def compare(
    args: argparse.Namespace, url: str, base_tree: Path, env: dict[str, str], logs: Path
) -> int:
    started = []
    try:
        for offset, (name, checkout) in enumerate((("base", base_tree), ("tree", servers.REPO))):
            started.append(
                servers.start(
                    name,
                    port=args.port + offset,
                    database_url=url,
                    api_key=API_KEY,
                    log_dir=logs,
                    tree=checkout,
                )
            )
        runs = {s.name: Runs(s.name) for s in started}
        for server in started:  # warm up: connections, caches, statement caches
            run_wrk(server.port, args.scenario, connections=4, seconds=2, env=env)
        for i in range(args.pairs):
            for server in started if i % 2 == 0 else started[::-1]:
                runs[server.name].runs.append(measure_one(args, server, args.scenario, env))
    finally:
        for server in started:
            server.stop()
    base, tree = runs["base"], runs["tree"]
    rps = [t / b for b, t in zip(base.rps(), tree.rps(), strict=True)]
    cpu = [b / t for b, t in zip(base.cpu(), tree.cpu(), strict=True)]
    log(f"{args.scenario}, {args.pairs} pairs of {args.seconds:g} s, base {args.base}")
    for r in (base, tree):
        log(
            f"  {r.name}: {statistics.median(r.rps()):,.0f} req/s, "
            f"{statistics.median(r.cpu()):.0f} µs of worker CPU a request"
        )
    log("  " + ratio_line("req/s, tree / base", rps))
    log("  " + ratio_line("CPU a request, base / tree", cpu))
    return 0


if __name__ == "__main__":
    sys.exit(main())
