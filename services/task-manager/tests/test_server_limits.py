"""Server limits on a real uvicorn on loopback (the protocol gunicorn's workers and
``task-manager serve`` use): header size, request read timeout, parser errors as problems."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn

from platform_service.server import LimitedHttpToolsProtocol
from task_manager.app import create_app
from task_manager.settings import Settings

from .conftest import make_settings


class QuickTimeout(LimitedHttpToolsProtocol):
    request_read_timeout = 1.0


@pytest.fixture(scope="module")
def server(database_url: str) -> Iterator[int]:
    settings: Settings = make_settings(database_url)
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=0, http=QuickTimeout, log_config=None
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    port: int = server.servers[0].sockets[0].getsockname()[1]
    yield port
    server.should_exit = True
    thread.join(10)


def exchange(port: int, data: bytes, *, wait: float = 5.0) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as sock:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(data)
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except (ConnectionResetError, TimeoutError):
            pass
    return b"".join(chunks)


def parse(raw: bytes) -> tuple[int, dict[str, str], dict[str, object]]:
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    headers = {k.lower(): v for k, v in headers.items()}
    return int(lines[0].split()[1]), headers, json.loads(body) if body else {}


def test_a_normal_request_passes(server: int) -> None:
    status, _, body = parse(
        exchange(server, b"GET /health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
    )
    assert status == 200
    assert body == {"status": "ok"}


def test_headers_beyond_64_kib_are_431_and_not_buffered(server: int) -> None:
    huge = b"X-Big: " + b"a" * (20 * 1024 * 1024) + b"\r\n"
    raw = exchange(server, b"GET /health HTTP/1.1\r\nHost: t\r\n" + huge + b"\r\n")
    status, headers, body = parse(raw)
    assert status == 431
    assert headers["content-type"] == "application/problem+json"
    assert body["request_id"] == headers["x-request-id"]


def test_headers_just_under_the_limit_pass(server: int) -> None:
    big = b"X-Big: " + b"a" * (60 * 1024) + b"\r\n"
    raw = exchange(
        server, b"GET /health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n" + big + b"\r\n"
    )
    assert parse(raw)[0] == 200


def test_a_request_that_stalls_in_its_headers_is_408(server: int) -> None:
    started = time.monotonic()
    raw = exchange(server, b"GET /health HTTP/1.1\r\nHost: t\r\n")
    status, _, body = parse(raw)
    assert status == 408
    assert body["code"] == "request_timeout"
    assert 0.9 < time.monotonic() - started < 4


def test_a_request_that_stalls_in_its_body_is_closed(server: int) -> None:
    started = time.monotonic()
    raw = exchange(
        server,
        b"POST /v1/tasks HTTP/1.1\r\nHost: t\r\nX-API-Key: test-key-0123456789abcdef\r\n"
        b"X-User-ID: u\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{",
    )
    assert raw == b""  # closed without an answer; the service logs 499
    assert time.monotonic() - started < 4


def test_parser_errors_are_problems_with_a_request_id(server: int) -> None:
    status, headers, body = parse(exchange(server, b"GARBAGE\x00 / HTTP/1.1\r\n\r\n"))
    assert status == 400
    assert headers["content-type"] == "application/problem+json"
    assert body["request_id"] == headers["x-request-id"]
