"""The markdown report of a harness run, and its section in docs/performance.md."""

from __future__ import annotations

import os
import platform
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.envelope import Step
from benchmarks.load import LoadResult
from benchmarks.pairs import Paired

BEGIN = "<!-- harness:begin (written by benchmarks/run.py; edit outside these markers) -->"
END = "<!-- harness:end -->"
MIB = 1024 * 1024


def machine() -> str:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kib = int(Path("/proc/meminfo").read_text().split()[1])
    return (
        f"{os.cpu_count()} CPUs ({cpu}), {mem_kib / 1024 / 1024:.1f} GiB RAM, "
        f"Linux {platform.release()}, Python {platform.python_version()}"
    )


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f}"


def git_commit(repo: Path) -> str:
    done = subprocess.run(  # noqa: S603 - fixed arguments
        ["git", "-C", str(repo), "rev-parse", "--short", "HEAD"],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    dirty = subprocess.run(  # noqa: S603 - fixed arguments
        ["git", "-C", str(repo), "status", "--porcelain", "--untracked-files=no"],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() + (" (with uncommitted changes)" if dirty.stdout.strip() else "")


@dataclass
class Target:
    name: str
    wanted: str
    measured: str
    met: bool
    # False: the pairs' spread is wider than the margin; for the envelope, a miss the ceiling
    # shared (the machine did not allow the rate at the time)
    conclusive: bool = True

    @property
    def label(self) -> str:
        if not self.conclusive:
            return "inconclusive"
        return "yes" if self.met else "**no**"


@dataclass
class Report:
    command: str
    seed: str
    started: datetime = field(default_factory=lambda: datetime.now(UTC))
    load_before: str = field(default_factory=load_average)
    load_after: str = ""
    commit: str = ""
    heavy: int = 0
    throughput: list[Paired] = field(default_factory=list)
    latency: list[LoadResult] = field(default_factory=list)
    rss: dict[str, Any] = field(default_factory=dict)
    envelope: list[Step] = field(default_factory=list)
    envelope_note: str = ""
    envelope_deliveries: int = 0
    envelope_worker: dict[str, int] = field(default_factory=dict)
    targets: list[Target] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def markdown(self) -> str:
        out = [
            f"Run of {self.started:%Y-%m-%d %H:%M} UTC, commit {self.commit}.",
            "",
            f"- Command: `{self.command}`",
            f"- Machine: {machine()}",
            f"- Load average (1/5/15 min) before: {self.load_before}; after: {self.load_after}",
            f"- Data: {self.seed}",
            "",
            "### Targets",
            "",
            "| target | wanted | measured | met |",
            "|---|---|---|---|",
            *(f"| {t.name} | {t.wanted} | {t.measured} | {t.label} |" for t in self.targets),
            "",
            "### One worker: service against the ceiling",
            "",
            "Closed loop, one uvicorn worker each (same gunicorn config, no CPU limit), load "
            "from `wrk` (one thread). Each scenario runs as interleaved pairs (service, then "
            "ceiling, repeated: A/B/A/B…); the ratio is the median of the pairs' ratios, with "
            "its spread: the lowest and highest pair of three, or, for a target that three left "
            "inconclusive and that was measured with more pairs (`--more-pairs`), the k-th "
            "lowest to the k-th highest for the widest k still at least 75 % sure: the second "
            "of seven at 87.5 %, the fifth of fifteen at 88.2 %, the twelfth of thirty at 80 % "
            "(a confidence interval of the "
            "median, against 75 % for three; benchmarks/pairs.py); each line says which. The "
            "figures beside it are those of the median pair.",
            "",
            "| scenario | conns | service req/s | p50 ms | p99 ms | CPU µs/req | ceiling req/s "
            "| p50 ms | p99 ms | CPU µs/req | service / ceiling (median, spread) | load avg |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for paired in self.throughput:
            svc, ceil = paired.representative()
            out.append(
                f"| {paired.scenario} | {svc.connections} | {svc.rps:,.0f} | {svc.p50_ms:.2f} "
                f"| {svc.p99_ms:.2f} | {svc.cpu_us_per_request:,.0f} | {ceil.rps:,.0f} "
                f"| {ceil.p50_ms:.2f} | {ceil.p99_ms:.2f} | {ceil.cpu_us_per_request:,.0f} "
                f"| {paired.describe()} | {', '.join(paired.load)} |"
            )
        out += [
            "",
            "### Latency at one connection (the service; cost of the data size)",
            "",
            "| scenario | req/s | p50 ms | p90 ms | p99 ms |",
            "|---|---|---|---|---|",
            *(
                f"| {r.scenario} | {r.rps:,.0f} | {r.p50_ms:.2f} | {r.p90_ms:.2f} "
                f"| {r.p99_ms:.2f} |"
                for r in self.latency
            ),
            "",
            "### Worker memory (VmRSS)",
            "",
            *self._rss_lines(),
            "",
            "### Fargate envelope (0.25 vCPU, 512 MiB per task; the webhook worker beside)",
            "",
            self.envelope_note,
            "",
        ]
        if self.envelope:
            out += [
                "| server | WEB_CONCURRENCY | offered req/s | served req/s | p50 ms | p99 ms "
                "| non-2xx | errors | throttled periods | memory peak MiB |",
                "|---|---|---|---|---|---|---|---|---|---|",
            ]
            for step in sorted(self.envelope, key=lambda s: (s.server != "service", s.workers)):
                r, use = step.result, step.usage
                out.append(
                    f"| {step.server} | {step.workers} "
                    f"| {r.offered_rate:,.0f} | {r.rps:,.0f} | {r.p50_ms:.2f} | {r.p99_ms:.2f} "
                    f"| {r.non_2xx} | {r.socket_errors} "
                    f"| {use['nr_throttled']}/{use['nr_periods']} "
                    f"| {use['memory_peak_bytes'] / MIB:.0f} |"
                )
        if self.notes:
            out += ["", *(f"- {n}" for n in self.notes)]
        return "\n".join(out) + "\n"

    def _rss_lines(self) -> list[str]:
        if not self.rss:
            return ["(not measured)"]
        r = self.rss
        return [
            f"{r['requests']:,} requests of the mix through one worker "
            f"({r['rps']:,.0f} req/s, p99 {r['p99_ms']:.1f} ms, non-2xx {r['non_2xx']}), "
            f"VmRSS sampled every second:",
            "",
            "| worker | at start | after warm-up | min | max | after | drift |",
            "|---|---|---|---|---|---|---|",
            f"| {r['name']} | {r['start'] / MIB:.1f} MiB | {r['before'] / MIB:.1f} MiB "
            f"| {r['min'] / MIB:.1f} MiB | {r['max'] / MIB:.1f} MiB | {r['after'] / MIB:.1f} MiB "
            f"| {r['drift']:+.1%} |",
        ]


def write_section(path: Path, body: str, *, title: str) -> None:
    """Replace the harness section of ``path`` (creating the file), keeping the rest."""
    text = path.read_text() if path.exists() else f"# {title}\n\n"
    section = f"{BEGIN}\n{body}{END}"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        text = head + section + tail
    else:
        text = text.rstrip("\n") + "\n\n## Harness results\n\n" + section + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
