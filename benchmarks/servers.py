"""Start the service (or the ceiling) in its production configuration and watch its workers.

Both run under gunicorn with ``task_manager.gunicorn_conf`` and its uvicorn worker class; the
only overrides are the bind address (127.0.0.1), ``--max-requests 0`` (the production recycle
after ~20 000 requests would restart the worker every few seconds at benchmark rates; the RSS
figures show whether memory needs it), and, for the ceiling, the application.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from benchmarks.envelope import Envelope

REPO = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen[bytes]
    log_file: IO[bytes]
    workers_wanted: int
    envelope: Envelope | None = None
    rss_samples: list[tuple[float, dict[int, int]]] = field(default_factory=list)

    @property
    def master_pid(self) -> int:
        return self.process.pid

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.master_pid}/task/{self.master_pid}/children")
        try:
            return sorted(int(p) for p in children.read_text().split())
        except OSError:
            return []

    def rss(self) -> dict[int, int]:
        """VmRSS of each worker, in bytes."""
        out: dict[int, int] = {}
        for pid in self.workers():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("VmRSS:"):
                    out[pid] = int(line.split()[1]) * 1024
        return out

    def cpu_seconds(self) -> float:
        """User + system CPU time of the workers so far (from /proc/PID/stat)."""
        return sum(process_cpu(pid) for pid in self.workers())

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log_file.close()
        if self.envelope is not None:
            self.envelope.destroy()


def start(
    name: str,
    *,
    port: int,
    database_url: str,
    api_key: str,
    log_dir: Path,
    workers: int = 1,
    log_level: str = "info",
    app: str | None = None,
    envelope: Envelope | None = None,
    tree: Path = REPO,
    extra_env: Mapping[str, str] | None = None,
) -> Server:
    """Start gunicorn and wait until its workers answer ``/health``. ``tree``: the checkout
    whose code it runs (another one: a git worktree of an older revision, benchmarks/compare);
    ``extra_env``: more environment for it (``PYTHONPERFSUPPORT``, benchmarks/profile)."""
    command = [
        str(GUNICORN),
        "--config",
        "python:task_manager.gunicorn_conf",
        "--bind",
        f"127.0.0.1:{port}",
        "--max-requests",
        "0",
    ]
    if app is not None:
        command.append(app)
    if envelope is not None:
        envelope.create()
        command = envelope.wrap(command)
    env = service_env(
        database_url,
        api_key,
        tree=tree,
        WEB_CONCURRENCY=str(workers),
        PORT=str(port),
        LOG_LEVEL=log_level,
        **(extra_env or {}),
    )
    log_file = (log_dir / f"{name}.log").open("wb")
    process = subprocess.Popen(  # noqa: S603 - fixed argument list
        command, cwd=tree, env=env, stdout=log_file, stderr=subprocess.STDOUT
    )
    server = Server(name, port, process, log_file, workers, envelope)
    try:
        _wait_ready(server)
    except BaseException:
        server.stop()
        raise
    return server


def service_env(database_url: str, api_key: str, *, tree: Path, **more: str) -> dict[str, str]:
    """The environment the service runs in for a measurement: production settings, JSON access
    lines at info, ``tree``'s code, and ``more`` on top."""
    env = {
        **os.environ,
        "ENVIRONMENT": "production",
        "DATABASE_URL": database_url,
        "API_KEYS": api_key,
        "LOG_LEVEL": "info",
        "LOG_FORMAT": "json",
        # The production limiter runs (its cost is measured) with a budget no run exhausts.
        "RATE_LIMIT_PER_MINUTE": "10000000",
        "CORS_ALLOW_ORIGINS": "https://cathouse.example",
        "PYTHONPATH": python_path(tree),
        **more,
    }
    env.pop("API_KEYS_SECRET_ID", None)
    return env


@contextlib.contextmanager
def checkout(revision: str, into: Path) -> Iterator[Path]:
    """``revision`` checked out in a git worktree at ``into`` (removed afterwards): the code a
    change is measured against."""
    _git("worktree", "add", "--detach", "-q", str(into), revision)
    try:
        yield into
    finally:
        _git("worktree", "remove", "--force", str(into))


def _git(*arguments: str) -> None:
    subprocess.run(["git", "-C", str(REPO), *arguments], check=True)  # noqa: S603, S607


def python_path(tree: Path) -> str:
    """PYTHONPATH for code from ``tree``: this checkout's packages are installed in the venv
    (editable); another checkout's service and libraries come first on the path instead."""
    if tree.resolve() == REPO:
        return str(REPO)
    sources = sorted(str(p) for p in tree.glob("*/*/src") if p.parent.parent.name in PACKAGES)
    return os.pathsep.join([*sources, str(tree)])


PACKAGES = ("libs", "services")


def _wait_ready(server: Server, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited; see {server.log_file.name}")
        if len(server.workers()) >= server.workers_wanted and _healthy(server.port):
            return
        time.sleep(0.2)
    raise RuntimeError(f"{server.name} did not become ready; see {server.log_file.name}")


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as r:
            return int(r.status) == 200
    except OSError:
        return False


@dataclass
class Process:
    """A process beside the service (the webhook worker, the receiver), optionally in its own
    envelope."""

    name: str
    process: subprocess.Popen[bytes]
    log_file: IO[bytes]
    envelope: Envelope | None = None

    def stop(self) -> str:
        """SIGTERM, wait; the process's output."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log_file.close()
        if self.envelope is not None:
            self.envelope.destroy()
        return Path(self.log_file.name).read_text(errors="replace")


def start_process(
    name: str,
    command: list[str],
    *,
    log_dir: Path,
    env: dict[str, str] | None = None,
    envelope: Envelope | None = None,
) -> Process:
    if envelope is not None:
        envelope.create()
        command = envelope.wrap(command)
    log_file = (log_dir / f"{name}.log").open("wb")
    process = subprocess.Popen(  # noqa: S603 - fixed argument list
        command,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})},
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )
    time.sleep(1.0)
    if process.poll() is not None:
        log_file.close()
        raise RuntimeError(f"{name} exited; see {log_file.name}")
    return Process(name, process, log_file, envelope)


def webhook_worker_command() -> list[str]:
    return [str(Path(sys.executable).with_name("task-manager")), "worker"]


def postgres_cpu(pid_file: Path | None) -> float:
    """utime+stime (s) of a local PostgreSQL server's processes (the postmaster named in its
    ``postmaster.pid`` and its children, also the children that have exited: the postmaster's
    cutime+cstime, e.g. a short-lived connection's backend); 0 without one (an external
    ``DATABASE_URL``)."""
    if pid_file is None or not pid_file.exists():
        return 0.0
    master = int(pid_file.read_text().split()[0])
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        fields = _stat(int(entry.name))
        if fields is None:
            continue
        if int(entry.name) == master:
            total += sum(int(f) for f in fields[11:15])
        elif int(fields[1]) == master:
            total += int(fields[11]) + int(fields[12])
    return total / CLOCK_TICKS


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (``fields[1]`` is the parent, 11 and
    12 utime and stime, 13 and 14 the reaped children's), or None when the process is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def process_cpu(pid: int) -> float:
    """User + system CPU seconds of one process so far (0 when it is gone)."""
    fields = _stat(pid)
    return 0.0 if fields is None else (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
