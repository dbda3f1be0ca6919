"""``python -m platform_db.embedded_watchdog DATA_DIR``: stop the embedded PostgreSQL of
``DATA_DIR`` once no process that uses it is alive (see :mod:`platform_db.embedded`)."""

from __future__ import annotations

import fcntl
import signal
import sys
import time
from pathlib import Path

from platform_db.embedded import (
    _lock_file,
    data_dir_lock,
    live_handles,
    postmaster_pid,
    stop_server,
)

POLL_SECONDS = 0.5


def watch(data_dir: Path, *, poll: float = POLL_SECONDS) -> None:
    with _lock_file(data_dir, "watchdog").open("a") as mine:
        try:
            fcntl.flock(mine, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return  # another watchdog has it
        while True:
            time.sleep(poll)
            with data_dir_lock(data_dir):
                if postmaster_pid(data_dir) is not None and live_handles(data_dir):
                    continue
                stop_server(data_dir)
                # Give up the watch before the data directory lock: a process starting the
                # server again right after then sees no watchdog and starts a new one.
                fcntl.flock(mine, fcntl.LOCK_UN)
                return


def main() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    watch(Path(sys.argv[1]))


if __name__ == "__main__":
    main()
