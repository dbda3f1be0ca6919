"""The settings every service shares, read from the environment (and an optional ``.env``
file). A service extends :class:`ServiceSettings` with its own fields in its ``settings.py``.

Variable names are unprefixed, as in the product contracts (``DATABASE_URL``, ``API_KEYS``, …).
Invalid configuration stops the service at start with a message naming the variable.
"""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal, Self
from urllib.parse import parse_qsl, unquote, urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from platform_db import parse_dsn
from platform_logging import LogFormat, detect_log_format

CommaList = Annotated[list[str], NoDecode]


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    STAGING = "staging"
    PRODUCTION = "production"


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=None, extra="ignore", case_sensitive=False, frozen=True, validate_default=True
    )

    environment: Environment = Environment.DEVELOPMENT
    database_url: SecretStr | None = None
    api_keys: Annotated[list[SecretStr], NoDecode] = Field(default_factory=list)
    api_keys_secret_id: CommaList = Field(default_factory=list)
    api_keys_cache_seconds: float = Field(default=300, ge=1, le=86_400)
    cors_allow_origins: CommaList = Field(default_factory=list)
    rate_limit_per_minute: int = Field(default=6000, ge=0, le=10_000_000)
    port: int = Field(default=8000, ge=1, le=65_535)
    # gunicorn (production): worker processes per task (one serves the most on a quarter vCPU:
    # docs/operations.md), and the seconds a stopping worker has to finish its in-flight
    # requests (below ECS's stopTimeout, 30 s by default).
    web_concurrency: int = Field(default=1, ge=1, le=32)
    graceful_timeout_seconds: int = Field(default=20, ge=1, le=120)
    host: str = "127.0.0.1"
    log_level: Literal["debug", "info", "warning", "error", "critical"] = "info"
    # Unset: console on a terminal, else JSON (and always JSON under ECS; the image sets it).
    log_format: LogFormat = Field(default_factory=lambda: detect_log_format())
    db_pool_min_size: int = Field(default=1, ge=0, le=100)
    db_pool_max_size: int = Field(default=10, ge=1, le=100)
    db_connect_timeout_seconds: float = Field(default=5.0, gt=0, le=60)
    db_command_timeout_seconds: float = Field(default=5.0, gt=0, le=300)
    db_statement_cache_size: int | None = Field(default=None, ge=0, le=10_000)
    embedded_db_dir: Path = Path(".data/postgres")

    @field_validator("api_keys", "api_keys_secret_id", "cors_allow_origins", mode="before")
    @classmethod
    def _split_commas(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        return value.lower() if isinstance(value, str) else value

    @field_validator("database_url")
    @classmethod
    def _check_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            parse_dsn(value.get_secret_value())  # raises ValueError with the reason
        return value

    @field_validator("cors_allow_origins")
    @classmethod
    def _check_origins(cls, value: list[str]) -> list[str]:
        for origin in value:
            if origin != "*" and not origin.startswith(("https://", "http://")):
                raise ValueError(f"origin {origin!r} must start with https:// or http://")
        return value

    @model_validator(mode="after")
    def _check_consistency(self) -> Self:
        if not self.api_keys and not self.api_keys_secret_id:
            raise ValueError("API_KEYS: set API_KEYS or API_KEYS_SECRET_ID (no key, no access)")
        if self.db_pool_min_size > self.db_pool_max_size:
            raise ValueError("DB_POOL_MIN_SIZE: must not exceed DB_POOL_MAX_SIZE")
        deployed = self.environment in (Environment.STAGING, Environment.PRODUCTION)
        if deployed and self.database_url is None:
            raise ValueError("DATABASE_URL: required in staging and production")
        if deployed and "*" in self.cors_allow_origins:
            raise ValueError("CORS_ALLOW_ORIGINS: '*' is not allowed in staging and production")
        return self

    def plain_api_keys(self) -> list[str]:
        return [key.get_secret_value() for key in self.api_keys]

    def secret_values(self) -> list[str]:
        """Every configured secret value, for the log redactor."""
        values = self.plain_api_keys()
        if self.database_url is not None:
            url = urlsplit(self.database_url.get_secret_value())
            if url.password:
                values.append(url.password)
                values.append(unquote(url.password))
            values.extend(v for k, v in parse_qsl(url.query) if k in ("password", "sslpassword"))
        return values

    @classmethod
    def load(cls, **overrides: Any) -> Self:
        """Settings from the environment, and from the file named by ``ENV_FILE`` (else
        ``.env`` when present). Raises ConfigurationError naming each bad variable."""
        env_file = os.environ.get("ENV_FILE") or (".env" if Path(".env").exists() else None)
        try:
            return cls(_env_file=env_file, **overrides)
        except ValidationError as exc:
            raise ConfigurationError(_describe(exc)) from None


class ConfigurationError(Exception):
    """Settings could not be loaded; the message names the variables at fault."""


def _describe(exc: ValidationError) -> str:
    problems = []
    for error in exc.errors(include_url=False, include_input=False):
        loc = ".".join(str(part) for part in error["loc"])
        message = error["msg"].removeprefix("Value error, ")
        problems.append(f"{loc.upper()}: {message}" if loc else message)
    return "invalid configuration: " + "; ".join(problems)
