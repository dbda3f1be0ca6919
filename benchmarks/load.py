"""Load from a separate process: ``wrk`` with ``bench.lua`` (one thread, N connections)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

LUA = Path(__file__).with_name("bench.lua")


@dataclass(frozen=True, slots=True)
class LoadResult:
    scenario: str
    connections: int
    requests: int
    seconds: float
    non_2xx: int
    socket_errors: int
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    cpu_us_per_request: float = 0.0  # the server workers' CPU time, when measured
    offered_rate: float = 0.0  # constant-rate runs: the requests per second scheduled

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def wrk_binary() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install -y wrk)")
    return found


def run_wrk(
    port: int,
    scenario: str,
    *,
    connections: int,
    seconds: float,
    env: dict[str, str],
    max_requests: int = 0,
) -> LoadResult:
    """One wrk run against 127.0.0.1:port. ``max_requests`` stops it early (per thread)."""
    command = [
        wrk_binary(),
        "-t1",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA),
        f"http://127.0.0.1:{port}",
    ]
    run_env = {
        **os.environ,
        **env,
        "BENCH_SCENARIO": scenario,
        "BENCH_MAX_REQUESTS": str(max_requests),
    }
    returncode, stdout, stderr = _wrk(command, run_env, seconds + 60)
    line = next((x for x in stdout.splitlines() if x.startswith("BENCH_JSON ")), None)
    if returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({returncode}): {stdout}\n{stderr}")
    data = json.loads(line.removeprefix("BENCH_JSON "))
    return LoadResult(
        scenario=scenario,
        connections=connections,
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        non_2xx=data["errors_status"],
        socket_errors=sum(
            data[k] for k in ("errors_connect", "errors_read", "errors_write", "errors_timeout")
        ),
        p50_ms=data["p50_us"] / 1000,
        p90_ms=data["p90_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        max_ms=data["max_us"] / 1000,
    )


def _wrk(command: list[str], env: dict[str, str], timeout: float) -> tuple[int, str, str]:
    """Run wrk; when the script says it reached its request count, interrupt it (wrk then
    reports at once instead of idling until its duration ends)."""
    with subprocess.Popen(  # noqa: S603 - fixed argument list
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        lines = []
        try:
            for line in process.stdout:
                lines.append(line)
                if line.startswith("BENCH_STOPPED"):
                    process.send_signal(signal.SIGINT)
            process.wait(timeout=timeout)
        except BaseException:  # timeout, Ctrl-C: no wrk left behind
            process.kill()
            raise
        return process.returncode, "".join(lines), process.stderr.read()


def run_rate(port: int, *, rate: float, seconds: float, ids: Path, api_key: str) -> LoadResult:
    """The mix at a constant rate (benchmarks/rate.py, in its own process)."""
    command = [
        sys.executable,
        "-m",
        "benchmarks.rate",
        "--port",
        str(port),
        "--rate",
        str(rate),
        "--seconds",
        str(seconds),
        "--ids",
        str(ids),
        "--api-key",
        api_key,
    ]
    done = subprocess.run(  # noqa: S603 - fixed argument list
        command,
        capture_output=True,
        text=True,
        check=False,
        timeout=seconds + 90,
        cwd=Path(__file__).resolve().parent.parent,
    )
    line = next((x for x in done.stdout.splitlines() if x.startswith("BENCH_JSON ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"rate generator failed: {done.stdout}\n{done.stderr}")
    data = json.loads(line.removeprefix("BENCH_JSON "))
    return LoadResult(
        scenario="mix",
        connections=data["connections"],
        requests=data["requests"],
        seconds=data["seconds"],
        non_2xx=data["non_2xx"],
        socket_errors=data["errors"],
        p50_ms=data["p50_ms"],
        p90_ms=data["p90_ms"],
        p99_ms=data["p99_ms"],
        max_ms=data["max_ms"],
        offered_rate=rate,
    )
