"""One-time structlog + stdlib logging configuration."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable
from enum import StrEnum
from typing import Any, TextIO

import orjson
import structlog
from structlog.typing import EventDict, Processor, WrappedLogger

# Loggers whose records are routed through structlog. Uvicorn's access logger is silenced:
# services write their own access line with the request id, route and duration.
_ROUTED_LOGGERS = ("uvicorn", "uvicorn.error", "gunicorn", "gunicorn.error", "asyncio", "alembic")
_SILENCED_LOGGERS = ("uvicorn.access", "gunicorn.access")


class LogFormat(StrEnum):
    JSON = "json"
    CONSOLE = "console"


def _orjson_dumps(obj: Any, default: Any = None) -> str:
    return orjson.dumps(obj, default=default or str).decode()


def _drop_color_message(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
    # uvicorn duplicates its message with ANSI colours under this key.
    event_dict.pop("color_message", None)
    return event_dict


REDACTED = "[REDACTED]"
_MIN_REDACTED_LENGTH = 8  # shorter strings would blank out ordinary words


def _redactor(secrets: Iterable[str]) -> Processor | None:
    """Last line of defence: replace known secret values in the rendered line."""
    needles: set[str] = set()
    for secret in secrets:
        if len(secret) >= _MIN_REDACTED_LENGTH:
            needles.add(secret)
            needles.add(orjson.dumps(secret).decode()[1:-1])  # as escaped inside JSON
    if not needles:
        return None
    ordered = sorted(needles, key=len, reverse=True)

    def redact(_: WrappedLogger, __: str, line: Any) -> Any:
        if isinstance(line, str):
            for needle in ordered:
                if needle in line:
                    line = line.replace(needle, REDACTED)
        return line

    return redact


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
) -> None:
    """Configure structlog and the stdlib root logger. Safe to call again (it replaces).

    ``redact``: secret values (API keys, database password) replaced by ``[REDACTED]`` in
    every line, should one ever reach a log message or a traceback."""
    log_format = LogFormat(fmt)
    numeric_level = logging.getLevelNamesMapping()[level.upper()]
    shared = _shared_processors()
    if service:
        shared.insert(0, _add_static(service=service))

    renderer: Processor
    if log_format is LogFormat.JSON:
        final: list[Processor] = [structlog.processors.format_exc_info]
        renderer = structlog.processors.JSONRenderer(serializer=_orjson_dumps)
    else:
        final = []
        renderer = structlog.dev.ConsoleRenderer(colors=False)

    out = stream or sys.stdout
    redactor = [p for p in [_redactor(redact)] if p is not None]
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
    for name in _SILENCED_LOGGERS:
        lg = logging.getLogger(name)
        lg.handlers.clear()
        lg.propagate = False
        lg.disabled = True


def _add_static(**values: str) -> Processor:
    def add(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
        for key, value in values.items():
            event_dict.setdefault(key, value)
        return event_dict

    return add
