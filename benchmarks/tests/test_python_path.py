"""benchmarks.compare runs an older revision's code from a git worktree: its service and
libraries must come before the venv's editable installs of this checkout's."""

from __future__ import annotations

import os
from pathlib import Path

from benchmarks.servers import REPO, python_path


def test_this_checkout_runs_from_the_venv() -> None:
    assert python_path(REPO) == str(REPO)


def test_another_checkout_puts_its_sources_first(tmp_path: Path) -> None:
    for package in ("libs/db", "libs/logging", "services/task-manager", "docs/x"):
        (tmp_path / package / "src").mkdir(parents=True)
    entries = python_path(tmp_path).split(os.pathsep)
    assert entries == [
        str(tmp_path / "libs/db/src"),
        str(tmp_path / "libs/logging/src"),
        str(tmp_path / "services/task-manager/src"),
        str(tmp_path),
    ]
