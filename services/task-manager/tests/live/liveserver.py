"""``task-manager serve`` as a real process on loopback, with an embedded PostgreSQL in a
folder of the test's own: what a person gets from ``./dev serve``."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil

LIVE_KEY = "live-test-key-0123456789abcdef"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class LiveServer:
    process: subprocess.Popen[bytes]
    base_url: str
    data_dir: Path
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def _healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/health", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


@contextmanager
def live_server(folder: Path, *, timeout: float = 90) -> Iterator[LiveServer]:
    """Start the service, wait for /health, yield it; SIGINT and wait at the end."""
    data_dir = folder / "postgres"
    log_path = folder / "serve.log"
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "ENV_FILE", "API_KEYS_SECRET_ID")
    }
    env |= {
        "API_KEYS": LIVE_KEY,
        "EMBEDDED_DB_DIR": str(data_dir),
        "LOG_FORMAT": "json",
        "RATE_LIMIT_PER_MINUTE": "0",
        "ENVIRONMENT": "development",
        # Webhook endpoints on loopback (the tests never send traffic elsewhere).
        "WEBHOOKS_ALLOW_HTTP": "true",
        "WEBHOOKS_ALLOW_PRIVATE_TARGETS": "true",
    }
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "task_manager",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=folder,
        )
    server = LiveServer(process, f"http://127.0.0.1:{port}", data_dir, log_path)
    try:
        deadline = time.monotonic() + timeout
        while not _healthy(server.base_url):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"task-manager serve did not start:\n{server.log()}")
            time.sleep(0.2)
        yield server
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def postgres_processes(data_dir: Path) -> list[psutil.Process]:
    """Running PostgreSQL server processes whose data directory is ``data_dir``."""
    wanted = str(data_dir.resolve())
    found = []
    for proc in psutil.process_iter(["name", "cmdline"]):
        cmdline = proc.info.get("cmdline") or []
        if proc.info.get("name") == "postgres" and wanted in cmdline:
            found.append(proc)
    return found


def wait_until_gone(data_dir: Path, timeout: float = 20) -> list[psutil.Process]:
    deadline = time.monotonic() + timeout
    left = postgres_processes(data_dir)
    while left and time.monotonic() < deadline:
        time.sleep(0.2)
        left = postgres_processes(data_dir)
    return left
