"""RFC 9457 problem details: the one place that turns errors into responses.

``render_problem`` is the one renderer (status, headers, body); the FastAPI exception handlers
and the request-context middleware both answer with it. ``translate`` maps any exception,
including the auth and db libraries' plain ones, to the service error it is answered with.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import orjson
import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect
from starlette.responses import Response

from platform_auth_apikey import ApiKeyError, KeysUnavailableError
from platform_db import is_unavailable_error
from platform_service.errors import (
    KIT_ERRORS,
    ApiKeyInvalidError,
    ApiKeyMissingError,
    InternalError,
    InvalidJsonError,
    MethodNotAllowedError,
    RouteNotFoundError,
    ServiceError,
    ServiceUnavailableError,
    validation_failed,
)
from platform_service.routing import method_answer

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_BASE = "https://api.gamificator.click/problems/"


class ProblemFieldError(BaseModel):
    loc: list[str | int] = Field(examples=[["body", "title"]])
    message: str = Field(examples=["String should have at least 1 character"])
    type: str = Field(examples=["string_too_short"])


class Problem(BaseModel):
    """An error, as RFC 9457 problem details. ``code`` is stable; branch on it."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "type": PROBLEM_BASE + "task_not_found",
                    "title": "Task not found",
                    "status": 404,
                    "detail": "No task 3f0c8d2e-5b7a-4c1e-9f3a-2d6b8e1c4a7f for this user.",
                    "instance": "/v1/tasks/3f0c8d2e-5b7a-4c1e-9f3a-2d6b8e1c4a7f",
                    "code": "task_not_found",
                    "request_id": "5b1d6a0e9f4c4f3e8a2b7c6d5e4f3a2b",
                }
            ]
        }
    )

    type: str
    title: str
    status: int
    detail: str
    instance: str
    code: str
    request_id: str | None = None
    errors: list[ProblemFieldError] | None = Field(
        default=None, description="Only on validation_error: one entry per invalid input."
    )


def problem_body(
    *,
    status: int,
    code: str,
    title: str,
    detail: str,
    instance: str,
    request_id: str | None,
    errors: Sequence[Mapping[str, Any]] | None = None,
) -> bytes:
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + code,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": instance,
        "code": code,
        "request_id": request_id,
    }
    if errors is not None:
        body["errors"] = list(errors)
    return orjson.dumps(body)


def render_problem(
    error: ServiceError, *, instance: str, request_id: str | None
) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """The status, raw headers and body answering ``error``."""
    body = problem_body(
        status=error.status,
        code=error.code,
        title=error.title,
        detail=error.detail,
        instance=instance,
        request_id=request_id,
        errors=error.errors,
    )
    headers = [
        (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
        (b"content-length", str(len(body)).encode()),
        *((k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in error.headers.items()),
    ]
    return error.status, headers, body


class _RawResponse(Response):
    def __init__(self, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
        self.status_code = status
        self.body = body
        self.background = None
        self.raw_headers = headers


def problem_response(request: Request, error: ServiceError) -> Response:
    status, headers, body = render_problem(
        error,
        instance=request.scope.get("path", ""),  # as sent (request.url drops a newline)
        request_id=getattr(request.state, "request_id", None),
    )
    return _RawResponse(status, headers, body)


def _field_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    out = []
    for err in exc.errors():
        loc = [part for part in err.get("loc", ()) if isinstance(part, str | int)]
        out.append(
            {"loc": loc, "message": str(err.get("msg", "")), "type": str(err.get("type", ""))}
        )
    return out


def translate(
    exc: BaseException, errors: Sequence[type[ServiceError]] = KIT_ERRORS
) -> ServiceError:
    """Map any exception to the service error it is answered with (``errors``: the service's
    catalogue, for an ``HTTPException`` of another status)."""
    if isinstance(exc, ServiceError):
        return exc
    if isinstance(exc, RequestValidationError):
        fields = _field_errors(exc)
        if any(e["type"] == "json_invalid" for e in fields):
            return InvalidJsonError("The request body could not be parsed as JSON.")
        return validation_failed(fields)
    if isinstance(exc, ApiKeyError | KeysUnavailableError):
        headers = {"WWW-Authenticate": "ApiKey"}
        if isinstance(exc, ApiKeyError) and exc.code == "missing_api_key":
            return ApiKeyMissingError(str(exc), headers=headers)
        return ApiKeyInvalidError(
            "The X-API-Key header does not hold an accepted key.", headers=headers
        )
    if isinstance(exc, StarletteHTTPException):
        if exc.status_code == 404:
            return RouteNotFoundError("No such route.")
        if exc.status_code == 405:
            return MethodNotAllowedError(
                "This method is not allowed here.", headers=dict(exc.headers or {})
            )
        for cls in errors:
            if cls.status == exc.status_code:
                return cls(str(exc.detail), headers=dict(exc.headers or {}))
        return InternalError()
    if is_unavailable_error(exc):
        return ServiceUnavailableError(
            "The database is unavailable; retry later.", headers={"Retry-After": "1"}
        )
    return InternalError()


def install_error_handlers(
    app: FastAPI,
    errors: Sequence[type[ServiceError]] = KIT_ERRORS,
    *,
    logger_name: str = "platform_service.errors",
) -> None:
    """Answer every exception reaching FastAPI's handlers as a problem."""
    log = structlog.get_logger(logger_name)

    async def handle_exception(request: Request, exc: Exception) -> Response:
        if isinstance(exc, ClientDisconnect):  # nobody to answer; the access log says 499
            return Response(status_code=499)
        if isinstance(exc, StarletteHTTPException) and exc.status_code == 405:  # OPTIONS → 204
            try:
                return method_answer(request, exc)
            except ServiceError as answer:
                exc = answer
        error = translate(exc, errors)
        if isinstance(error, InternalError) and not isinstance(exc, ServiceError):
            log.error("unhandled_exception", exc_info=exc)
        elif isinstance(error, ServiceUnavailableError):
            log.warning("database_unavailable", error=type(exc).__name__)
        return problem_response(request, error)

    for exc_type in (
        ServiceError,
        RequestValidationError,
        StarletteHTTPException,
        ApiKeyError,
        KeysUnavailableError,
        Exception,
    ):
        app.add_exception_handler(exc_type, handle_exception)


def problem_responses(
    *statuses: int, errors: Sequence[type[ServiceError]] = KIT_ERRORS
) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` entries for the given statuses, with the problem schema; the
    description lists the codes of ``errors`` (the service's catalogue) with that status."""
    by_status: dict[int, list[type[ServiceError]]] = {}
    for cls in errors:
        by_status.setdefault(cls.status, []).append(cls)
    out: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        classes = by_status[status]
        out[status] = {
            "model": Problem,
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
            "description": " / ".join(f"`{c.code}`: {c.title}" for c in classes),
        }
    return out
