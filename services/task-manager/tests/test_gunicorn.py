"""Production serving: the real gunicorn master with uvicorn workers, from gunicorn_conf."""

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

GRACEFUL = 8
SLOW_APP = """
import asyncio
from task_manager.app import create_app

app = create_app()


@app.get("/slow")
async def slow(seconds: float) -> dict[str, float]:
    await asyncio.sleep(seconds)
    return {"slept": seconds}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def gunicorn_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("API_KEYS", "AWS_"))}
    env.update(
        # The test app first, then whatever this interpreter sees (under Pants the sources
        # are on sys.path, not installed).
        PYTHONPATH=os.pathsep.join([str(tmp_path), *(os.path.abspath(p) for p in sys.path if p)]),
        ENVIRONMENT="test",
        LOG_FORMAT="json",
        WEB_CONCURRENCY="1",
        GRACEFUL_TIMEOUT_SECONDS=str(GRACEFUL),
        **extra,
    )
    return env


@pytest.fixture
def server(
    tmp_path: Path, database_url: str, api_key: str
) -> Iterator[tuple[subprocess.Popen[bytes], int, Path]]:
    (tmp_path / "slow_app.py").write_text(SLOW_APP)
    port = free_port()
    log = tmp_path / "gunicorn.log"
    env = gunicorn_env(tmp_path, DATABASE_URL=database_url, API_KEYS=api_key, PORT=str(port))
    command = [sys.executable, "-m", "gunicorn", "--config", "python:task_manager.gunicorn_conf"]
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [*command, "slow_app:app"], cwd=tmp_path, env=env, stdout=out, stderr=out
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        yield proc, port, log
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_sigterm_finishes_in_flight_requests_then_exits_0(
    server: tuple[subprocess.Popen[bytes], int, Path],
) -> None:
    proc, port, log = server
    base = f"http://127.0.0.1:{port}"
    assert httpx.get(f"{base}/health/ready", timeout=5).status_code == 200
    result: dict[str, httpx.Response | BaseException] = {}

    def slow_request() -> None:
        try:
            result["response"] = httpx.get(f"{base}/slow", params={"seconds": 2.5}, timeout=15)
        except BaseException as exc:
            result["response"] = exc

    thread = threading.Thread(target=slow_request)
    thread.start()
    time.sleep(0.5)  # the request is in flight
    stopped_at = time.monotonic()
    proc.send_signal(signal.SIGTERM)

    refused = False
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline and not refused:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            time.sleep(0.05)
        except ConnectionRefusedError:
            refused = True
    assert refused, "the listening socket is still open after SIGTERM"
    assert thread.is_alive(), "the slow request should still be in flight"

    thread.join(timeout=15)
    response = result["response"]
    assert isinstance(response, httpx.Response), repr(response)
    assert response.status_code == 200
    assert response.json() == {"slept": 2.5}
    assert proc.wait(timeout=GRACEFUL + 5) == 0
    assert time.monotonic() - stopped_at < GRACEFUL

    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    access = [
        line for line in lines if line.get("event") == "request" and line.get("path") == "/slow"
    ]
    assert access and access[0]["status"] == 200 and access[0]["route"] == "/slow"
    assert all(line.get("service") == "task-manager" for line in lines)


def test_invalid_configuration_stops_gunicorn_naming_the_variable(tmp_path: Path) -> None:
    env = gunicorn_env(tmp_path, API_KEYS="k" * 20, PORT="eighty")
    command = [sys.executable, "-m", "gunicorn", "--config", "python:task_manager.gunicorn_conf"]
    done = subprocess.run(
        command, cwd=tmp_path, env=env, capture_output=True, timeout=30, text=True
    )
    assert done.returncode != 0
    assert "PORT" in done.stderr


def _gunicorn_conf(monkeypatch: pytest.MonkeyPatch, **env: str | None) -> Any:
    """task_manager.gunicorn_conf as gunicorn loads it, with ``env`` set (None: unset)."""
    monkeypatch.setenv("API_KEYS", "k" * 20)
    monkeypatch.delenv("ENV_FILE", raising=False)
    for name, value in env.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    monkeypatch.chdir("/")
    import importlib

    import task_manager.gunicorn_conf as conf

    return importlib.reload(conf)


def test_keep_alive_outlives_the_load_balancers_idle_timeout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    conf = _gunicorn_conf(monkeypatch, WEB_CONCURRENCY="3", PORT="8123")
    assert conf.keepalive > 60  # ALB idle timeout
    assert conf.workers == 3
    assert conf.bind == ["0.0.0.0:8123"]
    assert conf.wsgi_app == "task_manager.app:create_app()"
    assert conf.graceful_timeout < 30  # ECS stopTimeout


@pytest.mark.parametrize(("workers", "recycled_after"), [(None, 0), ("1", 0), ("3", 20_000)])
def test_a_single_worker_is_never_recycled(
    monkeypatch: pytest.MonkeyPatch, workers: str | None, recycled_after: int
) -> None:
    """One worker by default (a quarter vCPU serves the most with one); recycling the only
    worker would leave the task without a process, so only two or more are recycled."""
    conf = _gunicorn_conf(monkeypatch, WEB_CONCURRENCY=workers)
    assert conf.workers == int(workers or 1)
    assert conf.max_requests == recycled_after
    assert (conf.max_requests_jitter > 0) == (recycled_after > 0)
