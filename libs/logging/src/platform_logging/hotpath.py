"""A logger for the line a service writes on every request (the access line).

Through structlog, that line cost ~50 µs of CPU inside a request (~35 more than building the
same JSON object and writing it): about a tenth of a simple request's CPU on a quarter vCPU
(docs/performance.md, issue 16 round 5). :class:`HotPathLogger` writes exactly the line the
configured structlog chain would write (same keys, same order, same context variables, the
same secret redaction), without the chain, when :func:`platform_logging.configure_logging`
set up JSON output. Before that, and with the console format, it hands the call to structlog.
(A process that calls ``structlog.configure`` itself after ``configure_logging`` must not use
it.) ``tests/test_hotpath.py`` holds the two lines equal.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TextIO

import orjson
import structlog


@dataclass(frozen=True, slots=True)
class JsonSink:
    """What :func:`platform_logging.configure_logging` set up for JSON lines."""

    stream: TextIO
    info_enabled: bool
    service: str | None
    redact: Callable[[str], str] | None


_sink: JsonSink | None = None


def install(sink: JsonSink | None) -> None:
    """Called by ``configure_logging`` (None: lines go through structlog)."""
    global _sink
    _sink = sink


# The last second formatted, and its text: one tuple, read and replaced whole (no thread can
# pair one second's text with another second).
_formatted: tuple[int, str] = (-1, "")


def _timestamp() -> str:
    """Now in UTC as structlog's ``TimeStamper(fmt="iso", utc=True)`` writes it, always with
    its microseconds: the date and time are formatted once a second (0.4 µs, against 1.0 for
    ``datetime.now(UTC).isoformat()``)."""
    global _formatted
    second, nanoseconds = divmod(time.time_ns(), 1_000_000_000)
    formatted_second, text = _formatted
    if second != formatted_second:
        text = datetime.fromtimestamp(second, UTC).strftime("%Y-%m-%dT%H:%M:%S.")
        _formatted = (second, text)
    return f"{text}{nanoseconds // 1000:06d}Z"


class HotPathLogger:
    """``structlog.get_logger(name)``'s ``info``, for a line written on every request."""

    __slots__ = ("_name", "_structlog")

    def __init__(self, name: str) -> None:
        self._name = name
        self._structlog = structlog.get_logger(name)

    def info(self, event: str, **fields: Any) -> None:
        sink = _sink
        if sink is None:
            self._structlog.info(event, **fields)
            return
        if not sink.info_enabled:
            return
        # The order in which structlog's chain fills the line (config.configure_logging).
        fields["event"] = event
        if sink.service is not None:
            fields.setdefault("service", sink.service)
        structlog.contextvars.merge_contextvars(None, "info", fields)
        fields["level"] = "info"
        fields["logger"] = self._name
        fields["timestamp"] = _timestamp()
        line = orjson.dumps(fields, default=str).decode()
        if sink.redact is not None:
            line = sink.redact(line)
        # One write per line, as structlog's WriteLogger: lines of other threads never mix.
        sink.stream.write(line + "\n")
        sink.stream.flush()
