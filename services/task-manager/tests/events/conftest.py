"""Fixtures of the feed and webhook tests: the app behind a controllable clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from platform_service.testing import FakeClock

START = datetime(2026, 11, 27, 10, 0, 0, tzinfo=UTC)
USER = {"X-User-ID": "u-42"}


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def app_clock(clock: FakeClock) -> FakeClock:
    """The app runs on the test's clock."""
    return clock


# --- A real webhook receiver on loopback ------------------------------------------------------
import threading  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer  # noqa: E402


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    status: int


@dataclass
class Receiver:
    """Answers each POST with the next scripted (status, headers, delay), then ``default``."""

    url: str = ""
    script: list[tuple[int, dict[str, str], float]] = field(default_factory=list)
    default: int = 200
    received: list[Received] = field(default_factory=list)
    arrivals: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self) -> tuple[int, dict[str, str], float]:
        with self.lock:
            return self.script.pop(0) if self.script else (self.default, {}, 0.0)

    def ok(self) -> list[Received]:
        return [r for r in self.received if 200 <= r.status < 300]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", "0"))
            body = self.rfile.read(length)
            status, headers, delay = state.answer()
            with state.lock:
                state.arrivals += 1
            if delay:
                time.sleep(delay)
            with state.lock:
                state.received.append(
                    Received({k.lower(): v for k, v in self.headers.items()}, body, status)
                )
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
