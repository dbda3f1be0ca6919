"""The service's errors: the platform's error base and common errors (re-exported from
:mod:`platform_service.errors`) and the task manager's own. Each carries its HTTP status and
stable code; the platform renders them as RFC 9457 problem details."""

from __future__ import annotations

from platform_service.errors import (
    ApiKeyInvalidError,
    ApiKeyMissingError,
    HeadersTooLargeError,
    InternalError,
    InvalidJsonError,
    InvalidRequestError,
    MethodNotAllowedError,
    PayloadTooLargeError,
    RateLimitedError,
    RequestTimeoutError,
    RouteNotFoundError,
    ServiceError,
    ServiceUnavailableError,
    UnsupportedMediaTypeError,
    ValidationFailedError,
    validation_failed,
)


class InvalidCursorError(ServiceError):
    status, code, title = 400, "invalid_cursor", "Invalid cursor"


class TaskNotFoundError(ServiceError):
    status, code, title = 404, "task_not_found", "Task not found"


class CompletionNotFoundError(ServiceError):
    status, code, title = 404, "completion_not_found", "Completion not found"


class WebhookNotFoundError(ServiceError):
    status, code, title = 404, "webhook_not_found", "Webhook not found"


class IdempotencyKeyInUseError(ServiceError):
    status, code, title = 409, "idempotency_key_in_use", "Idempotency key in use"


class CompletionNotLatestError(ServiceError):
    status, code, title = 409, "completion_not_latest", "Not the latest completion"


class CursorExpiredError(ServiceError):
    status, code, title = 410, "cursor_expired", "Cursor expired"


class PreconditionFailedError(ServiceError):
    status, code, title = 412, "precondition_failed", "Precondition failed"


class IdempotencyKeyMismatchError(ServiceError):
    status, code, title = 422, "idempotency_key_mismatch", "Idempotency key reused"


ALL_ERRORS: tuple[type[ServiceError], ...] = (
    InvalidJsonError,
    InvalidRequestError,
    InvalidCursorError,
    ApiKeyMissingError,
    ApiKeyInvalidError,
    TaskNotFoundError,
    CompletionNotFoundError,
    RouteNotFoundError,
    WebhookNotFoundError,
    MethodNotAllowedError,
    IdempotencyKeyInUseError,
    CompletionNotLatestError,
    CursorExpiredError,
    PreconditionFailedError,
    RequestTimeoutError,
    PayloadTooLargeError,
    HeadersTooLargeError,
    UnsupportedMediaTypeError,
    ValidationFailedError,
    IdempotencyKeyMismatchError,
    RateLimitedError,
    InternalError,
    ServiceUnavailableError,
)

__all__ = [
    "ALL_ERRORS",
    "ApiKeyInvalidError",
    "ApiKeyMissingError",
    "CompletionNotFoundError",
    "CompletionNotLatestError",
    "CursorExpiredError",
    "HeadersTooLargeError",
    "IdempotencyKeyInUseError",
    "IdempotencyKeyMismatchError",
    "InternalError",
    "InvalidCursorError",
    "InvalidJsonError",
    "InvalidRequestError",
    "MethodNotAllowedError",
    "PayloadTooLargeError",
    "PreconditionFailedError",
    "RateLimitedError",
    "RequestTimeoutError",
    "RouteNotFoundError",
    "ServiceError",
    "ServiceUnavailableError",
    "TaskNotFoundError",
    "UnsupportedMediaTypeError",
    "ValidationFailedError",
    "WebhookNotFoundError",
    "validation_failed",
]
