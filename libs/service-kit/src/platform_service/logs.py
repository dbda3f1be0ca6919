"""A service's logging setup: platform_logging with the settings' level and format, and the
configured secrets (static API keys, the database password) redacted from every line."""

from __future__ import annotations

from typing import TextIO

from platform_logging import configure_logging
from platform_service.settings import ServiceSettings


def configure_service_logging(
    service: str,
    settings: ServiceSettings,
    *,
    stream: TextIO | None = None,
    level: str | None = None,
) -> None:
    configure_logging(
        level=level or settings.log_level,
        fmt=settings.log_format,
        stream=stream,
        service=service,
        redact=settings.secret_values(),
    )
