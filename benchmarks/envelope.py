"""A Fargate-sized envelope (0.25 vCPU, 512 MiB) made of cgroup v1 groups, as root.

The gunicorn master joins the groups before it forks its workers (``wrap`` prefixes the
command with a tiny shell that writes its own PID into each ``cgroup.procs`` and then execs),
so the master and every worker count against the same quota and limit.

The envelope's figure is a rate (the highest the mix holds with p99 under the budget), so it
moves with the machine's other load more than a ratio does. The harness therefore steps the
ceiling through the same rates in its own envelope, interleaved with the service's series
(:func:`judge`): a miss is claimed only when the ceiling held the target at the same time.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.load import LoadResult
from benchmarks.pairs import Verdict

CGROUP_ROOT = Path("/sys/fs/cgroup")
PERIOD_US = 100_000
P99_BUDGET_MS = 100.0


@dataclass(frozen=True, slots=True)
class Envelope:
    name: str
    cpus: float = 0.25
    memory_bytes: int = 512 * 1024 * 1024

    @property
    def cpu_dir(self) -> Path:
        return CGROUP_ROOT / "cpu" / self.name

    @property
    def memory_dir(self) -> Path:
        return CGROUP_ROOT / "memory" / self.name

    def create(self) -> None:
        for d in (self.cpu_dir, self.memory_dir):
            d.mkdir(exist_ok=True)
        (self.cpu_dir / "cpu.cfs_period_us").write_text(str(PERIOD_US))
        (self.cpu_dir / "cpu.cfs_quota_us").write_text(str(int(self.cpus * PERIOD_US)))
        (self.memory_dir / "memory.limit_in_bytes").write_text(str(self.memory_bytes))

    def wrap(self, command: list[str]) -> list[str]:
        procs = [self.cpu_dir / "cgroup.procs", self.memory_dir / "cgroup.procs"]
        join = "; ".join(f"echo $$ > {p}" for p in procs)
        return ["/bin/sh", "-c", f'{join}; exec "$@"', "envelope", *command]

    def usage(self) -> dict[str, int]:
        """Throttling and memory figures of the group so far."""
        stat = dict(line.split() for line in (self.cpu_dir / "cpu.stat").read_text().splitlines())
        peak = int((self.memory_dir / "memory.max_usage_in_bytes").read_text())
        return {
            "nr_periods": int(stat["nr_periods"]),
            "nr_throttled": int(stat["nr_throttled"]),
            "throttled_ms": int(stat["throttled_time"]) // 1_000_000,
            "memory_peak_bytes": peak,
            "oom_kills": _oom_kills(self.memory_dir),
        }

    def destroy(self) -> None:
        """Remove the groups (their processes have exited; waits a moment if not yet)."""
        for d in (self.cpu_dir, self.memory_dir):
            for _ in range(50):
                if not d.exists():
                    break
                try:
                    d.rmdir()
                except OSError:
                    time.sleep(0.1)


def _oom_kills(memory_dir: Path) -> int:
    with contextlib.suppress(OSError, ValueError):
        for line in (memory_dir / "memory.oom_control").read_text().splitlines():
            if line.startswith("oom_kill "):
                return int(line.split()[1])
    return 0


def available() -> str | None:
    """None when envelopes can be made here, else the reason."""
    if os.geteuid() != 0:
        return "not root"
    if not (CGROUP_ROOT / "cpu" / "cgroup.procs").exists():
        return "no cgroup v1 cpu controller at /sys/fs/cgroup/cpu"
    if not (CGROUP_ROOT / "memory" / "cgroup.procs").exists():
        return "no cgroup v1 memory controller at /sys/fs/cgroup/memory"
    return None


@dataclass(frozen=True, slots=True)
class Step:
    """One constant-rate run of one server (``service`` or ``ceiling``) in its envelope."""

    server: str
    workers: int
    result: LoadResult
    usage: dict[str, int] = field(default_factory=dict)

    @property
    def within_budget(self) -> bool:
        r = self.result
        return r.p99_ms <= P99_BUDGET_MS and not r.non_2xx and not r.socket_errors


def highest(steps: Iterable[Step], server: str, workers: int | None = None) -> Step | None:
    """The step of the highest offered rate that ``server`` (at ``workers``, or any) held."""
    held = [
        s
        for s in steps
        if s.server == server and (workers is None or s.workers == workers) and s.within_budget
    ]
    return max(held, key=lambda s: s.result.offered_rate, default=None)


def judge(steps: Iterable[Step], at_least: float) -> Verdict:
    """Met when the service held ``at_least`` req/s at some ``WEB_CONCURRENCY``. A miss is
    conclusive only when the ceiling, stepped through the same rates in the same envelope at
    the same time, held it: otherwise the machine did not give even the ceiling that rate, and
    the run says nothing about the service."""
    steps = list(steps)
    service, ceiling = highest(steps, "service"), highest(steps, "ceiling")
    met = service is not None and service.result.offered_rate >= at_least
    ceiling_held = ceiling is not None and ceiling.result.offered_rate >= at_least
    return Verdict(met=met, conclusive=met or ceiling_held)
