"""Typed errors: every problem response (RFC 9457, ``application/problem+json``) of the API is
raised as a :class:`ProblemError` carrying the stable ``code``: the class of that code when the
contract documents it (``CursorExpiredError``, ``WebhookNotFoundError``, ...), each a subclass of
the class of its status (``GoneError``, ``NotFoundError``, ...), else the class of the status::

    try:
        ...
    except CursorExpiredError:  # or GoneError, or ProblemError
        ...
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, ClassVar

from task_manager_client.generated.models.problem import Problem


class ProblemError(Exception):
    """The API answered a problem. ``code`` is the contract's stable error code."""

    status: ClassVar[int] = 0
    # The contract's codes this class stands for (ERRORS_BY_CODE).
    codes: ClassVar[tuple[str, ...]] = ()

    def __init__(
        self, status_code: int, problem: Problem | None, headers: Mapping[str, str], body: bytes
    ) -> None:
        self.status_code = status_code
        self.problem = problem
        self.headers = dict(headers)
        self.body = body
        self.code = problem.code if problem else "unknown"
        self.detail = problem.detail if problem else body.decode(errors="replace")[:500]
        super().__init__(f"{status_code} {self.code}: {self.detail}")


class BadRequestError(ProblemError):
    status = 400


class UnauthorizedError(ProblemError):
    status = 401


class ForbiddenError(ProblemError):
    status = 403


class NotFoundError(ProblemError):
    status = 404
    codes = ("not_found",)


class MethodNotAllowedError(ProblemError):
    status = 405
    codes = ("method_not_allowed",)


class NotAcceptableError(ProblemError):
    status = 406


class ConflictError(ProblemError):
    status = 409


class GoneError(ProblemError):
    status = 410


class PreconditionFailedError(ProblemError):
    status = 412
    codes = ("precondition_failed",)


class PayloadTooLargeError(ProblemError):
    status = 413
    codes = ("payload_too_large",)


class RequestTimeoutError(ProblemError):
    status = 408
    codes = ("request_timeout",)


class HeadersTooLargeError(ProblemError):
    status = 431
    codes = ("headers_too_large",)


class UnsupportedMediaTypeError(ProblemError):
    status = 415
    codes = ("unsupported_media_type",)


class UnprocessableError(ProblemError):
    status = 422


class PreconditionRequiredError(ProblemError):
    status = 428


class RateLimitedError(ProblemError):
    status = 429
    codes = ("rate_limited",)

    @property
    def retry_after(self) -> int | None:
        value = self.headers.get("retry-after") or self.headers.get("Retry-After")
        return int(value) if value and value.isdigit() else None


class ServerError(ProblemError):
    status = 500
    codes = ("internal_error",)


class ServiceUnavailableError(ProblemError):
    status = 503
    codes = ("service_unavailable",)


# One class per code the contract documents, under the class of its status.
class InvalidJsonError(BadRequestError):
    codes = ("invalid_json",)


class InvalidCursorError(BadRequestError):
    codes = ("invalid_cursor",)


class InvalidRequestError(BadRequestError):
    codes = ("invalid_request",)


class MissingApiKeyError(UnauthorizedError):
    codes = ("missing_api_key",)


class InvalidApiKeyError(UnauthorizedError):
    codes = ("invalid_api_key",)


class TaskNotFoundError(NotFoundError):
    codes = ("task_not_found",)


class CompletionNotFoundError(NotFoundError):
    codes = ("completion_not_found",)


class WebhookNotFoundError(NotFoundError):
    codes = ("webhook_not_found",)


class IdempotencyKeyInUseError(ConflictError):
    codes = ("idempotency_key_in_use",)


class CompletionNotLatestError(ConflictError):
    codes = ("completion_not_latest",)


class CursorExpiredError(GoneError):
    codes = ("cursor_expired",)


class ValidationFailedError(UnprocessableError):
    codes = ("validation_error",)


class IdempotencyKeyMismatchError(UnprocessableError):
    codes = ("idempotency_key_mismatch",)


def _subclasses(cls: type[ProblemError]) -> list[type[ProblemError]]:
    return [c for sub in cls.__subclasses__() for c in (sub, *_subclasses(sub))]


ERRORS_BY_STATUS: dict[int, type[ProblemError]] = {
    cls.status: cls for cls in ProblemError.__subclasses__() if cls.status
}
ERRORS_BY_CODE: dict[str, type[ProblemError]] = {
    code: cls for cls in _subclasses(ProblemError) for code in cls.codes
}


def error_for(status_code: int, headers: Mapping[str, str], body: bytes) -> ProblemError:
    """The typed error of a response with status >= 400: the class of its ``code`` (when that
    class has this status), else of its status (any other 5xx is a ServerError; any other 4xx
    a plain ProblemError)."""
    problem: Problem | None = None
    try:
        data: Any = json.loads(body)
        if isinstance(data, dict):
            problem = Problem.from_dict(data)
    except (ValueError, KeyError, TypeError):
        problem = None
    cls = ERRORS_BY_CODE.get(problem.code) if problem else None
    if cls is None or cls.status != status_code:
        cls = ERRORS_BY_STATUS.get(status_code)
    if cls is None:
        cls = ServerError if status_code >= 500 else ProblemError
    return cls(status_code, problem, headers, body)
