"""The embedded PostgreSQL stops when the last process using it is gone, even killed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from platform_db.embedded import live_handles, postmaster_pid, start_embedded

CHILD = """
import sys, time
from platform_db.embedded import start_embedded
server = start_embedded(sys.argv[1])
print(server.url, flush=True)
time.sleep(600)
"""


def _start_child(data_dir: Path) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(data_dir)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    assert child.stdout.readline().startswith("postgresql://")
    return child


def _wait_stopped(data_dir: Path, timeout: float = 20) -> bool:
    deadline = time.monotonic() + timeout
    while postmaster_pid(data_dir) is not None:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def test_server_stops_when_its_only_user_is_killed(tmp_path: Path) -> None:
    data_dir = tmp_path / "pg"
    child = _start_child(data_dir)
    assert postmaster_pid(data_dir) is not None
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert _wait_stopped(data_dir)


def test_a_server_left_by_dead_users_is_adopted_and_stopped_at_release(tmp_path: Path) -> None:
    data_dir = tmp_path / "pg"
    first = start_embedded(data_dir, keep_running=True)  # stays up: the "killed run" of old
    first.stop()
    pid = postmaster_pid(data_dir)
    assert pid is not None
    (data_dir / ".handle_pids.json").write_text(json.dumps([2**22 + 7]))  # a dead process
    second = start_embedded(data_dir)
    assert postmaster_pid(data_dir) == pid  # reused, not started again
    assert live_handles(data_dir) == [os.getpid()]
    second.stop()
    assert _wait_stopped(data_dir)
