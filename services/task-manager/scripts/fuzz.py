"""Fuzz the running service with schemathesis: a real uvicorn (``task-manager serve``, the same
HTTP protocol as production) on loopback, over an embedded PostgreSQL, every check, positive and
negative data, stateful links. Fails on any finding, and on any 5xx or unhandled error in the
service's own log.

    .venv/bin/python services/task-manager/scripts/fuzz.py                 # CI: bounded
    .venv/bin/python services/task-manager/scripts/fuzz.py --max-examples 500 --seed 7
    .venv/bin/python services/task-manager/scripts/fuzz.py -- --include-path /v1/stats

Arguments after ``--`` go to ``st run`` as they are.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

KEY = "fuzz-key-0123456789abcdef"
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def wait_ready(url: str, server: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"fuzz: the service exited with {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("fuzz: the service did not become ready")


def server_errors(log: Path) -> list[str]:
    """5xx answers and error-level lines of the service's JSON log."""
    found = []
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        status = entry.get("status")
        if (isinstance(status, int) and status >= 500) or entry.get("level") in (
            "error",
            "critical",
        ):
            found.append(line[:500])
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-examples", type=int, default=25)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", default="2")
    parser.add_argument("--max-time", type=int, default=240, help="seconds for the whole run")
    parser.add_argument("st_args", nargs="*", help="passed to st run (after --)")
    args = parser.parse_args()

    from platform_db.embedded import start_embedded

    with tempfile.TemporaryDirectory(prefix="fuzz-") as folder:
        db = start_embedded(Path(folder) / "pg")
        port = free_port()
        log = Path(folder) / "service.log"
        env = {
            **os.environ,
            "DATABASE_URL": db.url,
            "API_KEYS": KEY,
            "ENVIRONMENT": "test",
            "RATE_LIMIT_PER_MINUTE": "0",
            "LOG_FORMAT": "json",
            "LOG_LEVEL": "info",
        }
        command = [str(VENV_BIN / "task-manager"), "serve", "--port", str(port), "--migrate"]
        with log.open("wb") as out:
            server = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603
        try:
            base = f"http://127.0.0.1:{port}"
            wait_ready(base + "/health", server)
            st = [
                str(VENV_BIN / "st"),
                "--config-file",
                str(Path(__file__).with_name("schemathesis.toml")),
                "run",
                base + "/openapi.json",
                "--header",
                f"X-API-Key: {KEY}",
                "--checks",
                "all",
                "--mode",
                "all",
                "--phases",
                "examples,coverage,fuzzing,stateful",
                "--max-examples",
                str(args.max_examples),
                "--max-time",
                str(args.max_time),
                "--seed",
                str(args.seed),
                "--workers",
                args.workers,
                "--request-timeout",
                "10",
                "--generation-database",
                "none",
                "--no-color",
                *args.st_args,
            ]
            print("fuzz:", " ".join(st), flush=True)  # noqa: T201
            hooks = {"SCHEMATHESIS_HOOKS": str(Path(__file__).with_name("fuzz_hooks.py"))}
            result = subprocess.run(st, check=False, env={**os.environ, **hooks})  # noqa: S603
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(20)
            except subprocess.TimeoutExpired:
                server.kill()
            db.stop()
        errors = server_errors(log)
        for line in errors[:20]:
            print("fuzz: service error:", line)  # noqa: T201
        summary = f"schemathesis exit {result.returncode}; {len(errors)} 5xx/error log lines"
        print("fuzz:", summary)  # noqa: T201
        return 1 if result.returncode or errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
