"""Typed errors: every problem response (RFC 9457, ``application/problem+json``) of the API is
raised as the subclass of :class:`ProblemError` for its status, carrying the stable ``code``."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, ClassVar

from task_manager_client.generated.models.problem import Problem


class ProblemError(Exception):
    """The API answered a problem. ``code`` is the contract's stable error code."""

    status: ClassVar[int] = 0

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


class MethodNotAllowedError(ProblemError):
    status = 405


class NotAcceptableError(ProblemError):
    status = 406


class ConflictError(ProblemError):
    status = 409


class GoneError(ProblemError):
    status = 410


class PreconditionFailedError(ProblemError):
    status = 412


class PayloadTooLargeError(ProblemError):
    status = 413


class UnsupportedMediaTypeError(ProblemError):
    status = 415


class UnprocessableError(ProblemError):
    status = 422


class PreconditionRequiredError(ProblemError):
    status = 428


class RateLimitedError(ProblemError):
    status = 429

    @property
    def retry_after(self) -> int | None:
        value = self.headers.get("retry-after") or self.headers.get("Retry-After")
        return int(value) if value and value.isdigit() else None


class ServerError(ProblemError):
    status = 500


class ServiceUnavailableError(ProblemError):
    status = 503


ERRORS_BY_STATUS: dict[int, type[ProblemError]] = {
    cls.status: cls for cls in ProblemError.__subclasses__() if cls.status
}


def error_for(status_code: int, headers: Mapping[str, str], body: bytes) -> ProblemError:
    """The typed error of a response with status >= 400 (any 5xx without its own class is a
    ServerError; any other 4xx a plain ProblemError)."""
    problem: Problem | None = None
    try:
        data: Any = json.loads(body)
        if isinstance(data, dict):
            problem = Problem.from_dict(data)
    except (ValueError, KeyError, TypeError):
        problem = None
    cls = ERRORS_BY_STATUS.get(status_code)
    if cls is None:
        cls = ServerError if status_code >= 500 else ProblemError
    return cls(status_code, problem, headers, body)
