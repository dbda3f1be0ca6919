"""The one error base of a service, and the errors every service answers.

Each subclass carries its HTTP status and stable ``code``; :mod:`platform_service.problems`
renders any of them as RFC 9457 problem details. A service adds its own errors by subclassing
:class:`ServiceError` (in its ``errors.py``) and passes the full catalogue to
``create_service_app(errors=...)`` and ``problem_responses(..., errors=...)``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar


class ServiceError(Exception):
    status: ClassVar[int] = 500
    code: ClassVar[str] = "internal_error"
    title: ClassVar[str] = "Internal server error"

    def __init__(
        self,
        detail: str | None = None,
        *,
        headers: Mapping[str, str] | None = None,
        errors: Sequence[Mapping[str, Any]] | None = None,
    ) -> None:
        self.detail = detail or self.title + "."
        self.headers = dict(headers or {})
        self.errors = list(errors) if errors is not None else None
        super().__init__(self.detail)


class InvalidJsonError(ServiceError):
    status, code, title = 400, "invalid_json", "Body is not valid JSON"


class InvalidRequestError(ServiceError):
    """The HTTP parser refused the request (answered by the server protocol, server.py)."""

    status, code, title = 400, "invalid_request", "Invalid HTTP request"


class ApiKeyMissingError(ServiceError):
    status, code, title = 401, "missing_api_key", "API key required"


class ApiKeyInvalidError(ServiceError):
    status, code, title = 401, "invalid_api_key", "Invalid API key"


class RouteNotFoundError(ServiceError):
    status, code, title = 404, "not_found", "Not found"


class MethodNotAllowedError(ServiceError):
    status, code, title = 405, "method_not_allowed", "Method not allowed"


class PayloadTooLargeError(ServiceError):
    status, code, title = 413, "payload_too_large", "Payload too large"


class RequestTimeoutError(ServiceError):
    status, code, title = 408, "request_timeout", "Request timeout"


class HeadersTooLargeError(ServiceError):
    status, code, title = 431, "headers_too_large", "Request headers too large"


class UnsupportedMediaTypeError(ServiceError):
    status, code, title = 415, "unsupported_media_type", "Unsupported media type"


class ValidationFailedError(ServiceError):
    status, code, title = 422, "validation_error", "Validation error"


MAX_REPORTED_ERRORS = 20


def validation_failed(errors: Sequence[Mapping[str, Any]]) -> ValidationFailedError:
    """A 422 reporting at most MAX_REPORTED_ERRORS field errors (a body with thousands of
    unknown fields must not produce a response of hundreds of kilobytes)."""
    shown = list(errors[:MAX_REPORTED_ERRORS])
    names = sorted({str(e["loc"][-1]) for e in shown if e["loc"]})
    more = len(errors) - len(shown)
    detail = f"Invalid input: {', '.join(names)}" + (f" (and {more} more errors)." if more else ".")
    return ValidationFailedError(detail, errors=shown)


class RateLimitedError(ServiceError):
    status, code, title = 429, "rate_limited", "Too many requests"


class InternalError(ServiceError):
    status, code, title = 500, "internal_error", "Internal server error"


class ServiceUnavailableError(ServiceError):
    status, code, title = 503, "service_unavailable", "Service unavailable"


# The errors the kit itself raises or maps to, in status order: a service's catalogue
# extends it with its own.
KIT_ERRORS: tuple[type[ServiceError], ...] = (
    InvalidJsonError,
    InvalidRequestError,
    ApiKeyMissingError,
    ApiKeyInvalidError,
    RouteNotFoundError,
    MethodNotAllowedError,
    RequestTimeoutError,
    PayloadTooLargeError,
    HeadersTooLargeError,
    UnsupportedMediaTypeError,
    ValidationFailedError,
    RateLimitedError,
    InternalError,
    ServiceUnavailableError,
)
