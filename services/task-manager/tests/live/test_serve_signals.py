"""Stopping ``task-manager serve`` (Ctrl-C, or SIGTERM from a supervisor) stops the embedded
PostgreSQL it started: no process of the project is left running."""

from __future__ import annotations

import signal
from pathlib import Path

import psutil
import pytest

from .liveserver import live_server, postgres_processes, wait_until_gone


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_stopping_serve_stops_the_embedded_postgres(tmp_path: Path, signum: int) -> None:
    with live_server(tmp_path) as server:
        servers = postgres_processes(server.data_dir)
        assert servers, "the embedded PostgreSQL should be running"
        children = psutil.Process(server.process.pid).children(recursive=True)
        server.process.send_signal(signum)
        server.process.wait(30)
    assert wait_until_gone(server.data_dir) == []
    _gone, left = psutil.wait_procs(children, timeout=10)  # the watchdog exits after it
    assert left == [], left
    assert "stopped" in server.log()


def test_a_killed_run_leaves_nothing_for_long(tmp_path: Path) -> None:
    """SIGKILL cannot be handled: the embedded server notices its last user is gone and stops;
    the next start finds a clean data directory and serves again."""
    with live_server(tmp_path) as server:
        assert postgres_processes(server.data_dir)
        server.process.kill()
        server.process.wait(10)
    assert wait_until_gone(server.data_dir) == []
    with live_server(tmp_path) as again:
        assert postgres_processes(again.data_dir)
    assert wait_until_gone(again.data_dir) == []
