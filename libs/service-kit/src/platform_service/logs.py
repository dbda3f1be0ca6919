"""The service's logging setup: platform_logging with the settings' level and format, and the
configured secrets (static API keys, the database password) redacted from every line."""

from __future__ import annotations

from typing import TextIO

from platform_logging import configure_logging
from task_manager.settings import Settings

SERVICE_NAME = "task-manager"


def configure_service_logging(
    settings: Settings, *, stream: TextIO | None = None, level: str | None = None
) -> None:
    configure_logging(
        level=level or settings.log_level,
        fmt=settings.log_format,
        stream=stream,
        service=SERVICE_NAME,
        redact=settings.secret_values(),
    )
