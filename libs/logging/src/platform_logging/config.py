"""One-time structlog + stdlib logging configuration."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Iterable
from enum import StrEnum
from typing import Any, TextIO

import orjson
import structlog
from structlog.typing import EventDict, Processor, WrappedLogger

from platform_logging import hotpath

# Loggers whose records are routed through structlog. Uvicorn's access logger is silenced:
# services write their own access line with the request id, route and duration.
_ROUTED_LOGGERS = ("uvicorn", "uvicorn.error", "gunicorn", "gunicorn.error", "asyncio", "alembic")
_SILENCED_LOGGERS = ("uvicorn.access", "gunicorn.access")


# Third-party loggers whose info lines are start-up chatter (alembic's "setup plugin ...",
# pgserver's every command, uvicorn's "Waiting for application startup."): kept at WARNING
# unless the level asked for is DEBUG. Their warnings and errors still show.
QUIET_LOGGERS = ("alembic", "pgserver", "uvicorn.error")

# Set by container orchestrators: logs there are always read by machines.
_ORCHESTRATOR_VARIABLES = ("ECS_CONTAINER_METADATA_URI_V4", "KUBERNETES_SERVICE_HOST")


class LogFormat(StrEnum):
    JSON = "json"
    CONSOLE = "console"


def detect_log_format(stream: TextIO | None = None) -> LogFormat:
    """``console`` when a person is watching (the stream is a terminal), else ``json``; always
    ``json`` under a container orchestrator. (Images set ``LOG_FORMAT=json`` themselves.)"""
    if any(name in os.environ for name in _ORCHESTRATOR_VARIABLES):
        return LogFormat.JSON
    out = stream or sys.stdout
    try:
        interactive = out.isatty()
    except (AttributeError, ValueError):
        interactive = False
    return LogFormat.CONSOLE if interactive else LogFormat.JSON


def _orjson_dumps(obj: Any, default: Any = None) -> str:
    return orjson.dumps(obj, default=default or str).decode()


def _drop_color_message(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
    # uvicorn duplicates its message with ANSI colours under this key.
    event_dict.pop("color_message", None)
    return event_dict


REDACTED = "[REDACTED]"
_MIN_REDACTED_LENGTH = 8  # shorter strings would blank out ordinary words


def _redaction(secrets: Iterable[str]) -> Callable[[str], str] | None:
    """Last line of defence: replace known secret values in a rendered line."""
    needles: set[str] = set()
    for secret in secrets:
        if len(secret) >= _MIN_REDACTED_LENGTH:
            needles.add(secret)
            needles.add(orjson.dumps(secret).decode()[1:-1])  # as escaped inside JSON
    if not needles:
        return None
    ordered = sorted(needles, key=len, reverse=True)

    def redact(line: str) -> str:
        for needle in ordered:
            if needle in line:
                line = line.replace(needle, REDACTED)
        return line

    return redact


def _redactor(redact: Callable[[str], str]) -> Processor:
    """The redaction as the last processor of a chain (the rendered line)."""

    def processor(_: WrappedLogger, __: str, line: Any) -> Any:
        return redact(line) if isinstance(line, str) else line

    return processor


def _shared_processors() -> list[Processor]:
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.ExtraAdder(),
        _drop_color_message,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.StackInfoRenderer(),
    ]


def _native_processors() -> list[Processor]:
    return [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.stdlib.add_logger_name,  # reads logger.name, which our loggers carry
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.StackInfoRenderer(),
    ]


class _NamedWriteLogger(structlog.WriteLogger):
    """A WriteLogger (one write and flush per line) that knows its name."""

    def __init__(self, file: TextIO, name: str) -> None:
        super().__init__(file)
        self.name = name


class _NamedWriteLoggerFactory:
    def __init__(self, file: TextIO) -> None:
        self._file = file

    def __call__(self, *args: Any) -> _NamedWriteLogger:
        return _NamedWriteLogger(self._file, str(args[0]) if args else "root")


def configure_logging(
    *,
    level: str = "info",
    fmt: LogFormat | str = LogFormat.JSON,
    stream: TextIO | None = None,
    service: str | None = None,
    redact: Iterable[str] = (),
    quiet: Iterable[str] = QUIET_LOGGERS,
) -> None:
    """Configure structlog and the stdlib root logger. Safe to call again (it replaces).

    ``redact``: secret values (API keys, database password) replaced by ``[REDACTED]`` in
    every line, should one ever reach a log message or a traceback. ``quiet``: loggers held
    at WARNING unless ``level`` is debug (third-party chatter)."""
    log_format = LogFormat(fmt)
    numeric_level = logging.getLevelNamesMapping()[level.upper()]
    shared = _shared_processors()
    if service:
        shared.insert(0, _add_static(service=service))

    out = stream or sys.stdout
    renderer: Processor
    if log_format is LogFormat.JSON:
        final: list[Processor] = [structlog.processors.format_exc_info]
        renderer = structlog.processors.JSONRenderer(serializer=_orjson_dumps)
    else:
        final = []
        renderer = structlog.dev.ConsoleRenderer(colors=_colors(out))

    redaction = _redaction(redact)
    redactor = [_redactor(redaction)] if redaction is not None else []
    # structlog's own loggers skip the stdlib entirely (no LogRecord, no caller lookup): the
    # access line is written on every request, so its cost is the service's cost.
    structlog.configure(
        processors=[
            *(([_add_static(service=service)]) if service else []),
            *_native_processors(),
            *final,
            renderer,
            *redactor,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(numeric_level),
        logger_factory=_NamedWriteLoggerFactory(out),
        cache_logger_on_first_use=True,
    )
    hotpath.install(
        hotpath.JsonSink(
            stream=out,
            info_enabled=numeric_level <= logging.INFO,
            service=service,
            redact=redaction,
        )
        if log_format is LogFormat.JSON
        else None
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            *final,
            renderer,
            *redactor,
        ],
    )
    handler = logging.StreamHandler(out)
    handler.setFormatter(formatter)

    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(numeric_level)

    for name in _ROUTED_LOGGERS:
        lg = logging.getLogger(name)
        lg.handlers.clear()
        lg.propagate = True
    quiet_level = numeric_level
    if numeric_level > logging.DEBUG:
        quiet_level = max(numeric_level, logging.WARNING)
    for name in quiet:
        logging.getLogger(name).setLevel(quiet_level)
    for name in _SILENCED_LOGGERS:
        lg = logging.getLogger(name)
        lg.handlers.clear()
        lg.propagate = False
        lg.disabled = True


def _colors(stream: TextIO) -> bool:
    """Colours on a terminal, unless NO_COLOR is set (no-color.org)."""
    try:
        return stream.isatty() and "NO_COLOR" not in os.environ
    except (AttributeError, ValueError):
        return False


def _add_static(**values: str) -> Processor:
    def add(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
        for key, value in values.items():
            event_dict.setdefault(key, value)
        return event_dict

    return add
