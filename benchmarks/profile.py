"""Where a worker's CPU goes, per request: the service and the ceiling under the same load.

    .venv/bin/python -m benchmarks.profile --scenario mix            # closed loop (wrk)
    .venv/bin/python -m benchmarks.profile --rate 200                # the mix, open loop

Both servers run as the harness runs them (``servers.start``: gunicorn, one worker, the
production config) with ``PYTHONPERFSUPPORT=1``, so that Linux ``perf`` names the Python
functions in its samples (``py::qualname:file``, CPython 3.12's perf trampolines). One at a
time, each is loaded (``wrk`` with a bench.lua scenario, or ``benchmarks/rate.py`` at a
constant rate) while ``perf record -e cpu-clock`` samples its worker, with DWARF unwinding.

Each sample is charged to the innermost Python function on its stack, native code included
(a ``write`` syscall under the access logger is the logger's), or, with no Python frame, to
the native library it ran in (the kernel, uvloop, asyncpg's protocol). The shares, times the
worker's CPU time per request (``/proc``), give µs of CPU a request for each function and
each package, side by side: what the service spends that the ceiling does not. This sees the
kernel and the C extensions, which ``py-spy`` did not here (its ``--native`` mode failed).

Needs ``perf`` (Debian: ``apt install linux-perf``) and root or ``perf_event_paranoid`` <= 1;
uses the harness's database (``.data/bench``, seeded by ``benchmarks.run`` first), or the
server ``DATABASE_URL`` names.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from benchmarks import seed as seeding
from benchmarks import servers
from benchmarks.load import LoadResult, run_rate, run_wrk
from benchmarks.run import API_KEY, CEILING_APP, database, log, wrk_env

DATA = servers.REPO / ".data" / "bench"
_FRAME = re.compile(r"^\s+[0-9a-f]+\s+(?P<symbol>.+?)(?:\+0x[0-9a-f]+)?\s+\((?P<dso>[^)]*)\)$")
_SITE = re.compile(r"site-packages/([^/]+)")


@dataclass(frozen=True, slots=True)
class Frame:
    symbol: str
    dso: str


def samples(lines: Iterable[str]) -> Iterator[list[Frame]]:
    """The stacks of ``perf script`` output, innermost frame first."""
    stack: list[Frame] = []
    for line in lines:
        if not line.strip():
            if stack:
                yield stack
            stack = []
            continue
        match = _FRAME.match(line.rstrip("\n"))
        if match:
            stack.append(Frame(match["symbol"], match["dso"]))
    if stack:
        yield stack


def charge(stack: list[Frame]) -> str:
    """The function a sample is charged to: the innermost Python one, else the innermost
    frame's library (``native: <library>``)."""
    for frame in stack:
        if frame.symbol.startswith("py::"):
            return frame.symbol.removeprefix("py::")
    for frame in stack:
        if frame.dso not in ("inlined", "[unknown]"):
            return f"native: {library(frame.dso)}"
    return "native: unknown"


def library(dso: str) -> str:
    if dso.startswith("[kernel"):
        return "kernel"
    site = _SITE.search(dso)
    if site:
        return site[1]
    return Path(dso).name.split(".")[0]


def package(function: str) -> str:
    """The package a charged function belongs to, for the summary."""
    if function.startswith("native: "):
        name = function.removeprefix("native: ")
        return name if name in ("kernel", "libpython3") else f"{name} (C)"
    _, _, path = function.partition(":")
    if (site := _SITE.search(path)) is not None:
        return site[1]
    for marker, name in (("/libs/", "libs/"), ("/services/", "services/")):
        if marker in path:
            return name + path.split(marker, 1)[1].split("/", 1)[0]
    if "benchmarks/" in path:
        return "benchmarks/" + Path(path).stem
    return "python stdlib"


def profile(lines: Iterable[str], us_per_request: float) -> Counter[str]:
    """µs of CPU a request for each charged function."""
    counts = Counter(charge(stack) for stack in samples(lines))
    total = sum(counts.values()) or 1
    return Counter({k: v / total * us_per_request for k, v in counts.items()})


def by_package(costs: Counter[str]) -> Counter[str]:
    out: Counter[str] = Counter()
    for function, us in costs.items():
        out[package(function)] += us
    return out


def short(function: str) -> str:
    """``qualname:path`` with the path from its package (``asyncpg/pool.py``)."""
    qualname, _, path = function.partition(":")
    for marker in ("site-packages/", "/src/", f"{servers.REPO}/"):
        if marker in path:
            path = path.rsplit(marker, 1)[1]
            break
    else:
        path = re.sub(r"^\S*/lib/python3\.\d+/", "", path)
    return f"{qualname}:{path}" if path else qualname


def table(service: Counter[str], ceiling: Counter[str], top: int, what: str) -> list[str]:
    keys = sorted(set(service) | set(ceiling), key=lambda k: -abs(service[k] - ceiling[k]))
    rows = [
        f"| {what} | service µs/req | ceiling µs/req | difference |",
        "|---|---|---|---|",
    ]
    for key in keys[:top]:
        name = short(key)
        rows.append(
            f"| `{name}` | {service[key]:.1f} | {ceiling[key]:.1f} | "
            f"{service[key] - ceiling[key]:+.1f} |"
        )
    rows.append(
        f"| all | {sum(service.values()):.0f} | {sum(ceiling.values()):.0f} | "
        f"{sum(service.values()) - sum(ceiling.values()):+.0f} |"
    )
    return rows


def record(args: argparse.Namespace, server: servers.Server, env: dict[str, str]) -> Counter[str]:
    """Load ``server`` and sample its worker; its µs a request for each function."""
    (worker,) = server.workers()
    seconds = args.seconds + 2  # the load runs a second on either side of the recording
    result: dict[str, LoadResult] = {}

    def load() -> None:
        if args.rate:
            result["r"] = run_rate(
                server.port, rate=args.rate, seconds=seconds, ids=DATA / "ids.txt", api_key=API_KEY
            )
        else:
            result["r"] = run_wrk(
                server.port, args.scenario, connections=args.connections, seconds=seconds, env=env
            )

    with tempfile.TemporaryDirectory() as scratch:
        data = Path(scratch) / "perf.data"
        cpu = server.cpu_seconds()
        loader = threading.Thread(target=load)
        loader.start()
        time.sleep(1)
        subprocess.run(  # noqa: S603 - fixed argument list
            [
                *("perf", "record", "-q", "-e", "cpu-clock", "-F", str(args.frequency)),
                *("--call-graph", "dwarf,16384", "-p", str(worker), "-o", str(data)),
                *("--", "sleep", str(args.seconds)),
            ],
            check=True,
            capture_output=True,
        )
        loader.join()
        r = result["r"]
        us = (server.cpu_seconds() - cpu) / max(1, r.requests) * 1e6
        log(f"{server.name}: {r.rps:,.0f} req/s, p99 {r.p99_ms:.1f} ms, {us:.0f} µs CPU/req")
        script = subprocess.run(  # noqa: S603 - fixed argument list
            ["perf", "script", "-i", str(data)],  # noqa: S607
            check=True,
            capture_output=True,
            text=True,
        )
    return profile(script.stdout.splitlines(), us)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="mix", help="a bench.lua scenario (closed loop)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--rate", type=float, help="the mix at this rate instead (open loop)")
    parser.add_argument("--seconds", type=float, default=7.0, help="of recording, per server")
    parser.add_argument("--frequency", type=int, default=1999, help="samples a second")
    parser.add_argument("--top", type=int, default=30, help="functions listed")
    parser.add_argument("--port", type=int, default=18540)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if shutil.which("perf") is None:
        raise SystemExit("perf is not installed (Debian: apt install linux-perf)")
    env = wrk_env(DATA / "ids.txt")
    costs: dict[str, Counter[str]] = {}
    with tempfile.TemporaryDirectory() as logs, database(DATA) as server_url:
        url = asyncio.run(seeding.ensure_database(server_url, "task_manager_bench"))
        for offset, (name, app) in enumerate((("service", None), ("ceiling", CEILING_APP))):
            server = servers.start(
                name,
                port=args.port + offset,
                database_url=url,
                api_key=API_KEY,
                log_dir=Path(logs),
                app=app,
                extra_env={"PYTHONPERFSUPPORT": "1"},
            )
            try:
                run_wrk(server.port, args.scenario, connections=4, seconds=2, env=env)  # warm up
                costs[name] = record(args, server, env)
            finally:
                server.stop()
    load = (
        f"the mix at {args.rate:g} req/s"
        if args.rate
        else f"{args.scenario}, wrk c={args.connections}"
    )
    service, ceiling = costs["service"], costs["ceiling"]
    lines = [
        f"Worker CPU a request by package ({load}):",
        "",
        *table(by_package(service), by_package(ceiling), 20, "package"),
        "",
        f"The {args.top} functions that differ most:",
        "",
        *table(service, ceiling, args.top, "function"),
    ]
    sys.stdout.write("\n" + "\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
