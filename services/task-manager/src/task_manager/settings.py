"""The service's configuration: the platform's settings (:class:`ServiceSettings`: database,
keys, CORS, rate limit, server, logs) plus the task manager's own fields, read from the
environment (and an optional ``.env`` file) only here. Invalid configuration stops the service
at start with a message naming the variable."""

from __future__ import annotations

from typing import Any

from platform_service.settings import ConfigurationError, Environment, ServiceSettings

__all__ = ["ConfigurationError", "Environment", "Settings", "load_settings"]


class Settings(ServiceSettings):
    """The task manager's settings (it has no variables beyond the platform's yet)."""


def load_settings(**overrides: Any) -> Settings:
    """Settings from the environment and ``ENV_FILE``; ConfigurationError names the variable."""
    return Settings.load(**overrides)
