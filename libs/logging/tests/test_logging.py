import asyncio
import io
import json
import logging

import pytest
import structlog

from platform_logging import (
    LogFormat,
    bind_context,
    bound_context,
    configure_logging,
    detect_log_format,
)


def lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_structlog_lines_are_json_with_context(stream: io.StringIO) -> None:
    configure_logging(level="info", fmt="json", stream=stream, service="svc")
    bind_context(request_id="req-1")
    structlog.get_logger("app").info("task_created", task_id="t1")

    [line] = lines(stream)
    assert line["event"] == "task_created"
    assert line["task_id"] == "t1"
    assert line["request_id"] == "req-1"
    assert line["level"] == "info"
    assert line["service"] == "svc"
    assert line["timestamp"].endswith("Z")


def test_stdlib_and_uvicorn_records_are_routed_through_structlog(stream: io.StringIO) -> None:
    configure_logging(level="info", fmt="json", stream=stream)
    with bound_context(request_id="req-2"):
        logging.getLogger("uvicorn.error").warning("Started server %s", "x")
    logging.getLogger("uvicorn.access").info("GET / 200")  # silenced: services log access

    [line] = lines(stream)
    assert line["event"] == "Started server x"
    assert line["logger"] == "uvicorn.error"
    assert line["request_id"] == "req-2"


def test_level_filters_and_context_is_restored(stream: io.StringIO) -> None:
    configure_logging(level="warning", fmt="json", stream=stream)
    log = structlog.get_logger("app")
    log.info("hidden")
    with bound_context(user_id="u1"):
        log.warning("shown")
    log.warning("after")

    first, second = lines(stream)
    assert first["event"] == "shown"
    assert first["user_id"] == "u1"
    assert "user_id" not in second


def test_exceptions_are_rendered_as_a_string_field(stream: io.StringIO) -> None:
    configure_logging(level="info", fmt="json", stream=stream)
    try:
        raise ValueError("boom")
    except ValueError:
        structlog.get_logger().exception("failed")
    [line] = lines(stream)
    assert "ValueError: boom" in line["exception"]


def test_unknown_format_is_rejected() -> None:
    with pytest.raises(ValueError, match="xml"):
        configure_logging(fmt="xml")


def test_known_secrets_are_redacted_even_inside_tracebacks(stream: io.StringIO) -> None:
    secret = 'key-with-"quote"-0123456789'
    configure_logging(level="info", fmt="json", stream=stream, redact=[secret, "short", ""])
    try:
        raise RuntimeError(f"boom {secret}")
    except RuntimeError:
        structlog.get_logger("app").exception("failed", header=secret, note="a short note")
    text = stream.getvalue()
    assert "quote" not in text
    [line] = lines(stream)
    assert line["header"] == "[REDACTED]"
    assert "boom [REDACTED]" in line["exception"]
    assert line["note"] == "a short note"  # strings under 8 characters are not redacted


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_format_is_console_on_a_terminal_and_json_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("ECS_CONTAINER_METADATA_URI_V4", raising=False)
    monkeypatch.delenv("KUBERNETES_SERVICE_HOST", raising=False)
    assert detect_log_format(_Terminal()) is LogFormat.CONSOLE
    assert detect_log_format(io.StringIO()) is LogFormat.JSON
    monkeypatch.setenv("ECS_CONTAINER_METADATA_URI_V4", "http://169.254.170.2/v4/x")
    assert detect_log_format(_Terminal()) is LogFormat.JSON


def test_third_party_chatter_is_held_at_warning_unless_debugging(stream: io.StringIO) -> None:
    configure_logging(level="info", fmt="json", stream=stream)
    logging.getLogger("alembic.runtime.plugins").info("setup plugin alembic.autogenerate.x")
    logging.getLogger("uvicorn.error").info("Waiting for application startup.")
    logging.getLogger("pgserver").info("running pg_ctl")
    logging.getLogger("alembic.runtime.migration").warning("kept")
    structlog.get_logger("app").info("ours")
    assert [line["event"] for line in lines(stream)] == ["kept", "ours"]

    configure_logging(level="debug", fmt="json", stream=stream)
    logging.getLogger("uvicorn.error").info("Waiting for application startup.")
    assert lines(stream)[-1]["event"] == "Waiting for application startup."


async def test_progress_of_a_long_step_and_of_counted_work() -> None:
    from platform_logging.progress import counter, elapsed

    out = io.StringIO()
    async with elapsed("rebuilding", stream=out, every=0.05):
        await asyncio.sleep(0.12)
    lines_ = out.getvalue().splitlines()
    assert lines_[0].startswith("rebuilding … ") and lines_[-1].startswith("rebuilding: done in")

    out = io.StringIO()
    update = counter("seeding", 1_000_000, stream=out)
    update(300_000)
    update(1_000_000)
    assert out.getvalue().splitlines()[0].startswith("seeding 300 000 / 1 000 000 (30 %)")
