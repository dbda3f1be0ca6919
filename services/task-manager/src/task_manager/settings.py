"""The service's configuration: the platform's settings (:class:`ServiceSettings`: database,
keys, CORS, rate limit, server, logs) plus the task manager's own fields, read from the
environment (and an optional ``.env`` file) only here. Invalid configuration stops the service
at start with a message naming the variable."""

from __future__ import annotations

from typing import Any, Self

from pydantic import Field, model_validator

from platform_service.settings import ConfigurationError, Environment, ServiceSettings

__all__ = ["ConfigurationError", "Environment", "Settings", "load_settings"]


class Settings(ServiceSettings):
    """The task manager's settings: the platform's, plus the change feed and webhooks
    (docs/events.md, docs/webhooks.md)."""

    events_retention_days: int = Field(default=30, ge=1, le=3650)
    webhook_timeout_seconds: float = Field(default=10, gt=0, le=60)
    webhook_max_concurrency: int = Field(default=16, ge=1, le=256)
    webhooks_allow_http: bool = False
    webhooks_allow_private_targets: bool = False
    # Set by `task-manager serve` only: the API process also runs one webhook worker.
    run_worker_in_process: bool = False

    @model_validator(mode="after")
    def _check_webhook_targets(self) -> Self:
        deployed = self.environment in (Environment.STAGING, Environment.PRODUCTION)
        if deployed and self.webhooks_allow_private_targets:
            raise ValueError("WEBHOOKS_ALLOW_PRIVATE_TARGETS: only for local development and tests")
        return self


def load_settings(**overrides: Any) -> Settings:
    """Settings from the environment and ``ENV_FILE``; ConfigurationError names the variable."""
    return Settings.load(**overrides)
