"""An embedded PostgreSQL (the ``pgserver`` package, an optional extra) for local runs and tests.

Only for machines without a database: production always passes a ``DATABASE_URL``.

Lifecycle: several processes may share one data directory (``serve`` and a ``migrate``, test
workers); the server stops when the last of them exits. ``pgserver`` keeps the ids of the
processes using a server in ``<data dir>/.handle_pids.json`` and stops the server at exit of the
last one, but only when that exit runs Python's ``atexit`` (not on SIGTERM's default action,
nor SIGKILL), and a killed process stays in the list forever, so the server outlives
everyone. Two additions fix that:

- at start, the ids of processes that no longer exist are dropped from the list, so a server
  left by a killed run is adopted (reused) and stopped normally afterwards;
- a small watchdog process per data directory (``python -m platform_db.embedded_watchdog``,
  its own session so Ctrl-C in a terminal does not reach it) polls the list and stops the
  server as soon as no process in it is alive, then exits. It covers SIGTERM and SIGKILL.
"""

from __future__ import annotations

import errno
import fcntl
import json
import logging
import os
import signal
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HANDLES_FILE = ".handle_pids.json"  # pgserver's list of the processes using the server
_watchdogs: list[subprocess.Popen[bytes]] = []  # referenced: no ResourceWarning, reaped by us


@dataclass(slots=True)
class EmbeddedPostgres:
    url: str
    data_dir: Path
    _server: Any

    def stop(self) -> None:
        """Release this process's use; the server stops if no other process uses it."""
        self._server.cleanup()


def start_embedded(data_dir: Path | str, *, keep_running: bool = False) -> EmbeddedPostgres:
    """Start (or join) a private PostgreSQL server whose files live in ``data_dir``.

    Works as root (pgserver runs the server as a dedicated system user). The server stops when
    the last process using it exits (or calls ``stop()``), however it exits, unless
    ``keep_running``; the data stays in ``data_dir`` either way.
    """
    try:
        with warnings.catch_warnings():  # platformdirs warns when XDG_RUNTIME_DIR is unset
            warnings.simplefilter("ignore")
            import pgserver
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise RuntimeError(
            "no DATABASE_URL given and the embedded PostgreSQL is not installed "
            "(install platform-db[embedded], or set DATABASE_URL)"
        ) from exc
    logging.getLogger("pgserver").setLevel(logging.WARNING)  # it logs every command at INFO
    path = Path(data_dir).resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    with data_dir_lock(path):
        drop_dead_handles(path)
        server = pgserver.get_server(  # type: ignore[attr-defined]
            path, cleanup_mode=None if keep_running else "stop"
        )
        if not keep_running:
            _ensure_watchdog(path)
    return EmbeddedPostgres(url=server.get_uri(), data_dir=path, _server=server)


@contextmanager
def data_dir_lock(data_dir: Path) -> Iterator[None]:
    """An exclusive lock per data directory (a file beside it: initdb wants the folder empty),
    held while its process list is read or changed."""
    with _lock_file(data_dir, "lock").open("a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _lock_file(data_dir: Path, kind: str) -> Path:
    return data_dir.parent / f".{data_dir.name}.{kind}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError as exc:
        return exc.errno == errno.EPERM
    return _not_zombie(pid)


def _not_zombie(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc: trust kill(0)
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def live_handles(data_dir: Path) -> list[int]:
    """The processes in pgserver's list that are still running."""
    try:
        pids = json.loads((data_dir / HANDLES_FILE).read_text())
    except (OSError, ValueError):
        return []
    return [pid for pid in pids if isinstance(pid, int) and _alive(pid)]


def drop_dead_handles(data_dir: Path) -> None:
    handles = data_dir / HANDLES_FILE
    if handles.exists():
        handles.write_text(json.dumps(live_handles(data_dir)))


def postmaster_pid(data_dir: Path) -> int | None:
    """The running server's process id (``postmaster.pid``), or None."""
    try:
        first = (data_dir / "postmaster.pid").read_text().split("\n", 1)[0]
        pid = int(first)
    except (OSError, ValueError):
        return None
    return pid if _alive(pid) else None


def stop_server(data_dir: Path, *, timeout: float = 15) -> None:
    """Fast shutdown (SIGINT to the postmaster: sessions are ended, data is safe); immediate
    shutdown (SIGQUIT) if it has not exited within ``timeout``."""
    pid = postmaster_pid(data_dir)
    if pid is None:
        return
    for signum, wait in ((signal.SIGINT, timeout), (signal.SIGQUIT, 5.0)):
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if not _alive(pid):
                return
            time.sleep(0.05)


def _ensure_watchdog(data_dir: Path) -> None:
    """Start the data directory's watchdog unless one runs (it holds the ``watchdog`` lock)."""
    with _lock_file(data_dir, "watchdog").open("a") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return  # one is watching
        fcntl.flock(f, fcntl.LOCK_UN)
    _watchdogs.append(
        subprocess.Popen(  # noqa: S603 - our interpreter, our module, a path
            [sys.executable, "-m", "platform_db.embedded_watchdog", str(data_dir)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # not in the terminal's process group: Ctrl-C spares it
            close_fds=True,
        )
    )
