"""The platform's web-service kit: what every service (Task Manager, Email Manager, Finance
Tracker) builds on. The public API is this module's names; see the lib's README.md."""

from platform_service.app import create_service_app
from platform_service.cli import ServiceCli
from platform_service.clock import AppClock, Clock, SystemClock
from platform_service.dependencies import (
    AppSettings,
    Connection,
    Pool,
    ReadConnection,
    StatementConnection,
    UserId,
)
from platform_service.errors import KIT_ERRORS, ServiceError
from platform_service.gunicorn import gunicorn_config
from platform_service.migrations import Migrations
from platform_service.problems import problem_responses
from platform_service.settings import ConfigurationError, Environment, ServiceSettings
from platform_service.state import ServiceState, request_state, service_state

__all__ = [
    "KIT_ERRORS",
    "AppClock",
    "AppSettings",
    "Clock",
    "ConfigurationError",
    "Connection",
    "Environment",
    "Migrations",
    "Pool",
    "ReadConnection",
    "ServiceCli",
    "ServiceError",
    "ServiceSettings",
    "ServiceState",
    "StatementConnection",
    "SystemClock",
    "UserId",
    "create_service_app",
    "gunicorn_config",
    "problem_responses",
    "request_state",
    "service_state",
]
