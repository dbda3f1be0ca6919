"""Instructions a request costs inside the app, counted by callgrind: a change against a revision.

    .venv/bin/python -m benchmarks.instructions --base HEAD~1      # needs valgrind

``benchmarks.compare`` measures req/s and CPU over HTTP. On this shared host its pairs scatter
by ±7 %, so a change worth 1 to 3 % of a request needs more pairs than an afternoon has. This
counts what the app executes instead: N ``GET /v1/tasks/{id}`` sent straight to the ASGI app
(the production settings and JSON access line; no uvicorn, no wrk) against the harness's
seeded database, under valgrind's callgrind, for the base revision (a git worktree) and the
working tree. Two runs per build, N and 3N requests, cancel the start-up:
``(I(3N) - I(N)) / 2N`` instructions a request. Repeated runs agree to about 0.1 %.

What it does not see: system calls and the kernel's work (a log write, a socket read),
cache misses, and uvicorn's share (headers sent). Use it to choose between two versions of
Python code; claim a figure from ``benchmarks.compare`` or ``benchmarks.run``.

The driver (``--drive N``) runs inside valgrind in the build's own checkout, in the environment
``benchmarks.servers`` gives the service: it imports only the service, its libraries, asyncpg
and uvloop.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from starlette.types import Message

WARM_UP = 200
_COLLECTED = re.compile(r"Collected\s*:\s*(\d+)")


def per_request(small: int, large: int, requests: int) -> float:
    """Instructions a request from the totals of runs of ``requests`` and ``3 * requests``."""
    if large <= small:
        raise ValueError(f"the longer run counted no more instructions ({large} <= {small})")
    return (large - small) / (2 * requests)


def collected(valgrind_output: str) -> int:
    """The instruction count callgrind reports (``==pid== Collected : 123``)."""
    found = _COLLECTED.findall(valgrind_output)
    if not found:
        raise ValueError("callgrind reported no instruction count")
    return int(found[-1])


def count(tree: Path, requests: int, database_url: str, ids: Path) -> int:
    """Instructions of one driver run of ``requests`` GETs on ``tree``'s code."""
    from benchmarks.run import API_KEY
    from benchmarks.servers import service_env

    env = service_env(database_url, API_KEY, tree=tree, PYTHONHASHSEED="0", BENCH_IDS=str(ids))
    with tempfile.TemporaryDirectory() as scratch:
        command = [
            "valgrind",
            "--tool=callgrind",
            "--cache-sim=no",
            f"--callgrind-out-file={scratch}/callgrind.out",
            sys.executable,
            "-P",  # not benchmarks/ first on the path: its profile.py would shadow the stdlib's
            str(Path(__file__).resolve()),
            "--drive",
            str(requests),
        ]
        done = subprocess.run(  # noqa: S603 - fixed argument list
            command, cwd=tree, env=env, capture_output=True, text=True, check=False
        )
    if done.returncode != 0:
        raise RuntimeError(f"the driver failed on {tree}:\n{done.stderr[-3000:]}")
    return collected(done.stderr)


def drive(requests: int) -> None:
    """The GETs, in-process (run by :func:`count` under valgrind)."""
    import uvloop

    user, task = Path(os.environ["BENCH_IDS"]).read_text().split("\n", 1)[0].split()
    with open(os.devnull, "w") as sink:  # a text stream, as stdout is
        uvloop.run(_drive(requests, user, task, sink))


async def _drive(requests: int, user: str, task: str, sink: TextIO) -> None:
    from platform_service.logs import configure_service_logging
    from task_manager.app import create_app
    from task_manager.settings import load_settings

    settings = load_settings()
    configure_service_logging("task-manager", settings, stream=sink)
    app = create_app(settings)
    path = f"/v1/tasks/{task}"
    headers = [
        (b"host", b"127.0.0.1:8000"),
        (b"x-api-key", os.environ["API_KEYS"].encode()),
        (b"x-user-id", user.encode()),
    ]
    statuses: list[int] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    async with app.router.lifespan_context(app):
        for _ in range(WARM_UP + requests):
            scope = {
                "type": "http",
                "asgi": {"version": "3.0"},
                "http_version": "1.1",
                "method": "GET",
                "scheme": "http",
                "path": path,
                "raw_path": path.encode(),
                "query_string": b"",
                "root_path": "",
                "headers": list(headers),
                "client": ("127.0.0.1", 50000),
                "server": ("127.0.0.1", 8000),
            }
            await app(scope, receive, send)
    if set(statuses) != {200}:
        raise SystemExit(f"expected only 200s, got {sorted(set(statuses))}")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", help="git revision to compare the working tree against")
    parser.add_argument("--requests", type=int, default=1000, help="N (runs of N and 3N)")
    parser.add_argument("--drive", type=int, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.drive is not None:
        drive(args.drive)
        return 0
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (apt-get install -y valgrind)")
    from benchmarks import seed as seeding
    from benchmarks.compare import DATA
    from benchmarks.run import database, log
    from benchmarks.servers import REPO, checkout

    ids = DATA / "ids.txt"
    if not ids.exists():
        raise SystemExit("no benchmark database yet: run python -m benchmarks.run first")
    figures = {}
    with contextlib.ExitStack() as stack:
        server_url = stack.enter_context(database(DATA))
        url = asyncio.run(seeding.ensure_database(server_url, "task_manager_bench"))
        trees = [("tree", REPO)]
        if args.base:
            scratch = Path(stack.enter_context(tempfile.TemporaryDirectory()))
            trees.insert(0, ("base", stack.enter_context(checkout(args.base, scratch / "base"))))
        for name, tree in trees:
            small = count(tree, args.requests, url, ids)
            large = count(tree, 3 * args.requests, url, ids)
            figures[name] = per_request(small, large, args.requests)
            log(f"{name:5} {figures[name]:,.0f} instructions a GET (in-process)")
    if args.base:
        log(f"tree / base: {figures['tree'] / figures['base']:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
