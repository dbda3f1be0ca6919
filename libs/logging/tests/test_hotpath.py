"""HotPathLogger writes the line structlog's configured chain would write, byte for byte (the
timestamp's value apart), and defers to structlog whenever the output is not JSON."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime

import pytest
import structlog

from platform_logging import HotPathLogger, bound_context, configure_logging, hotpath

SECRET = "sk-live-0123456789abcdef"
FIELDS = {
    "method": "GET",
    "path": "/v1/tasks/ü-☃",
    "status": 200,
    "duration_ms": 0.35,
    "key_id": None,
    "user_id": f"leaks {SECRET} here",
    "at": datetime(2026, 11, 30, 7, 0, tzinfo=UTC),
}
_TIMESTAMP = re.compile(r'"timestamp":"[^"]*"')


def _without_timestamp(line: str) -> str:
    return _TIMESTAMP.sub('"timestamp":"…"', line)


@pytest.mark.parametrize("service", ["task-manager", None])
def test_the_line_is_structlogs_line(stream: io.StringIO, service: str | None) -> None:
    configure_logging(level="info", fmt="json", stream=stream, service=service, redact=[SECRET])
    with bound_context(request_id="req-9", service="from-context"):
        HotPathLogger("svc.access").info("request", **FIELDS)
        structlog.get_logger("svc.access").info("request", **FIELDS)
    fast, reference = stream.getvalue().splitlines()
    assert _without_timestamp(fast) == _without_timestamp(reference)
    line = json.loads(fast)
    assert SECRET not in fast and line["request_id"] == "req-9" and line["logger"] == "svc.access"
    assert line["service"] == (service or "from-context")
    assert datetime.fromisoformat(line["timestamp"]).tzinfo is not None
    assert line["timestamp"].endswith("Z")


def test_a_level_above_info_writes_nothing(stream: io.StringIO) -> None:
    configure_logging(level="warning", fmt="json", stream=stream)
    HotPathLogger("svc.access").info("request", status=200)
    assert stream.getvalue() == ""


def test_the_console_format_goes_through_structlog(stream: io.StringIO) -> None:
    configure_logging(level="info", fmt="console", stream=stream)
    HotPathLogger("svc.access").info("request", status=201)
    text = stream.getvalue()
    assert "request" in text and "status" in text and "201" in text
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)


@pytest.mark.parametrize(
    "nanoseconds",
    [
        1_796_083_199_999_999_999,  # 2026-11-30T23:59:59.999999
        1_796_083_200_000_000_000,  # the next second, the next day, microsecond 0
        1_796_083_200_000_123_456,
        253_402_300_799_999_999_000,  # 9999-12-31T23:59:59.999999
    ],
)
def test_the_timestamp_is_utc_now_in_iso_form(
    monkeypatch: pytest.MonkeyPatch, nanoseconds: int
) -> None:
    """The access line's timestamp, formatted once a second, is the instant it was written."""
    monkeypatch.setattr(hotpath.time, "time_ns", lambda: nanoseconds)
    stamp = hotpath._timestamp()
    expected = datetime.fromtimestamp(nanoseconds // 1_000_000_000, UTC).replace(
        microsecond=nanoseconds // 1000 % 1_000_000
    )
    assert stamp.endswith("Z") and datetime.fromisoformat(stamp) == expected
    assert len(stamp) == len("2026-11-30T23:59:59.999999Z")
