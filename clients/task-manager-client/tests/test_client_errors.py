"""Every problem the contract documents is raised as its own typed error class."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from task_manager_client.errors import (
    ERRORS_BY_CODE,
    ERRORS_BY_STATUS,
    CompletionNotLatestError,
    ConflictError,
    CursorExpiredError,
    GoneError,
    NotFoundError,
    ProblemError,
    ServerError,
    WebhookNotFoundError,
    error_for,
)

PROBLEM = "application/problem+json"


def documented_problems(document: dict[str, Any]) -> set[tuple[int, str]]:
    """(status, code) of every problem response: the codes its description lists
    (`` `code`: title / ...``) and its examples are keyed by."""
    found = set()
    for item in document["paths"].values():
        for operation in item.values():
            for status, response in operation.get("responses", {}).items():
                if PROBLEM not in response.get("content", {}):
                    continue
                codes = set(re.findall(r"`([a-z_]+)`:", response.get("description", "")))
                codes |= set(response["content"][PROBLEM].get("examples", {}))
                found |= {(int(status), code) for code in codes}
    return found


def body(status: int, code: str) -> bytes:
    problem = {"type": "about:blank", "title": code, "status": status, "detail": "x"}
    return json.dumps(problem | {"instance": "/v1/events", "code": code}).encode()


def test_every_documented_code_has_its_class_under_its_status(document: dict[str, Any]) -> None:
    problems = documented_problems(document)
    assert (410, "cursor_expired") in problems and len(problems) > 15
    wrong = [
        (status, code)
        for status, code in sorted(problems)
        if code not in ERRORS_BY_CODE
        or ERRORS_BY_CODE[code].status != status
        or not issubclass(ERRORS_BY_CODE[code], ERRORS_BY_STATUS[status])
    ]
    assert wrong == [], "add a ProblemError subclass (under its status's class) for each"


@pytest.mark.parametrize(
    ("status", "code", "cls", "parent"),
    [
        (410, "cursor_expired", CursorExpiredError, GoneError),
        (404, "webhook_not_found", WebhookNotFoundError, NotFoundError),
        (409, "completion_not_latest", CompletionNotLatestError, ConflictError),
    ],
)
def test_a_problem_is_raised_as_the_class_of_its_code(
    status: int, code: str, cls: type[ProblemError], parent: type[ProblemError]
) -> None:
    error = error_for(status, {}, body(status, code))
    assert type(error) is cls and isinstance(error, parent)
    assert (error.status_code, error.code) == (status, code)


def test_an_unknown_code_or_a_code_at_another_status_falls_back_to_the_status() -> None:
    assert type(error_for(404, {}, body(404, "planet_not_found"))) is NotFoundError
    assert type(error_for(409, {}, body(409, "cursor_expired"))) is ConflictError
    assert type(error_for(502, {}, b"<html>bad gateway</html>")) is ServerError
