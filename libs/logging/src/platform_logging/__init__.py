"""Structured logging for platform services.

Call :func:`configure_logging` once at process start (a service's entry point does it); then
use ``structlog.get_logger()`` or the standard :mod:`logging` module anywhere: both end up as
one JSON object per line (or a readable console line locally), with every context variable
bound through :func:`bind_context` merged in (the request id, for example).
"""

from platform_logging.config import QUIET_LOGGERS, LogFormat, configure_logging, detect_log_format
from platform_logging.context import bind_context, bound_context, clear_context, get_context
from platform_logging.hotpath import HotPathLogger

__all__ = [
    "QUIET_LOGGERS",
    "HotPathLogger",
    "LogFormat",
    "bind_context",
    "bound_context",
    "clear_context",
    "configure_logging",
    "detect_log_format",
    "get_context",
]
