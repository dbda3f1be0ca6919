"""HTTP server limits uvicorn does not set itself (its httptools parser has no header limit and
no timeout for a request that arrives slowly), for a service's ``serve`` and gunicorn alike.

* The request line and headers may hold at most ``MAX_HEADER_BYTES`` (64 KiB, what the ALB
  accepts in front) → else 431, and the connection is closed before more is buffered.
* A request must arrive whole (headers and body) within ``REQUEST_READ_TIMEOUT_SECONDS``
  from its first byte → else 408 when no handler runs yet; when the handler already waits for
  the body, the connection is closed and the request is logged as aborted (499).
* The parser's own 400 answers, like every other error, as problem details with an
  ``X-Request-ID``.

See docs/operations.md for the limits of the load balancer in front.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any, ClassVar

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn_worker import UvicornWorker  # type: ignore[import-untyped]

from platform_service.errors import (
    HeadersTooLargeError,
    InvalidRequestError,
    RequestTimeoutError,
    ServiceError,
)
from platform_service.problems import PROBLEM_MEDIA_TYPE, problem_body

MAX_HEADER_BYTES = 64 * 1024
REQUEST_READ_TIMEOUT_SECONDS = 20.0
_REASONS = {400: b"Bad Request", 408: b"Request Timeout", 431: b"Request Header Fields Too Large"}
_ANSWERS: dict[int, ServiceError] = {
    400: InvalidRequestError("The request is not valid HTTP/1.1."),
    408: RequestTimeoutError(
        f"The request did not arrive within {REQUEST_READ_TIMEOUT_SECONDS:g} s."
    ),
    431: HeadersTooLargeError(f"The request's headers exceed {MAX_HEADER_BYTES} bytes."),
}


class LimitedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a header size limit and a request read timeout."""

    max_header_bytes = MAX_HEADER_BYTES
    request_read_timeout = REQUEST_READ_TIMEOUT_SECONDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._header_bytes = 0
        self._headers_done = False
        self._reading = False
        self._read_timer: asyncio.TimerHandle | None = None

    def data_received(self, data: bytes) -> None:
        if not self._reading:
            self._reading = True
            self._read_timer = self.loop.call_later(self.request_read_timeout, self._read_timeout)
        if not self._headers_done:
            self._header_bytes += len(data)
            if self._header_bytes > self.max_header_bytes:
                self._answer_and_close(431)
                return
        super().data_received(data)

    def on_headers_complete(self) -> None:
        self._headers_done = True
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._cancel_read_timer()
        self._reading = False
        self._headers_done = False
        self._header_bytes = 0
        super().on_message_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_read_timer()
        super().connection_lost(exc)

    def send_400_response(self, msg: str) -> None:
        self._answer_and_close(400)

    def _cancel_read_timer(self) -> None:
        if self._read_timer is not None:
            self._read_timer.cancel()
            self._read_timer = None

    def _read_timeout(self) -> None:
        self._read_timer = None
        if self.transport.is_closing():
            return
        if self._headers_done:  # a handler waits for the body: it sees the disconnect (499)
            self.transport.close()
            return
        self._answer_and_close(408)

    def _answer_and_close(self, status: int) -> None:
        self._cancel_read_timer()
        if self.transport.is_closing():
            return
        error = _ANSWERS[status]
        request_id = uuid.uuid4().hex
        body = problem_body(
            status=status,
            code=error.code,
            title=error.title,
            detail=error.detail,
            instance="",
            request_id=request_id,
        )
        head = [
            b"HTTP/1.1 %d %s" % (status, _REASONS[status]),
            b"content-type: " + PROBLEM_MEDIA_TYPE.encode(),
            b"content-length: %d" % len(body),
            b"x-request-id: " + request_id.encode(),
            b"connection: close",
        ]
        self.transport.write(b"\r\n".join(head) + b"\r\n\r\n" + body)
        self.transport.close()
        self.logger.info("request refused by the server: %d %s", status, error.code)


class LimitedUvicornWorker(UvicornWorker):  # type: ignore[misc]
    """The gunicorn worker class: uvicorn with :class:`LimitedHttpToolsProtocol`."""

    CONFIG_KWARGS: ClassVar[dict[str, Any]] = {
        **UvicornWorker.CONFIG_KWARGS,
        "http": LimitedHttpToolsProtocol,
    }
