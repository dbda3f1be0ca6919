"""Typed Python client of the Task Manager API.

The endpoint functions and models are generated from the service's OpenAPI document
(``task_manager_client.generated.api``, ``.generated.models``; regenerate: ``./dev client``).
:func:`connect` makes the authenticated HTTP client; :func:`expect` turns an endpoint's
``sync_detailed`` / ``asyncio_detailed`` response into its typed value, or raises the typed
error of the problem the API answered (:mod:`task_manager_client.errors`)::

    from task_manager_client import connect, expect
    from task_manager_client.generated.api.tasks import create_task_v1_tasks_post as create_task
    from task_manager_client.generated.models import TaskCreate

    with connect("http://127.0.0.1:8000", api_key="...") as http:
        created = expect(create_task.sync_detailed(client=http, x_user_id="u-42",
                                                   body=TaskCreate(title="Feed the cats")))
        print(created.value.id, created.etag)
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, Protocol, TypeVar

from task_manager_client.errors import ERRORS_BY_STATUS, ProblemError, error_for
from task_manager_client.generated.client import AuthenticatedClient
from task_manager_client.generated.models.problem import Problem
from task_manager_client.generated.types import UNSET, Response, Unset

__all__ = [
    "ERRORS_BY_STATUS",
    "UNSET",
    "Answer",
    "AuthenticatedClient",
    "ProblemError",
    "Reply",
    "Response",
    "UnexpectedResponseError",
    "Unset",
    "connect",
    "expect",
]

T_co = TypeVar("T_co", covariant=True)


class Answer(Protocol[T_co]):
    """What every generated ``*_detailed`` function returns (their ``Response``), read-only."""

    @property
    def status_code(self) -> HTTPStatus: ...
    @property
    def content(self) -> bytes: ...
    @property
    def headers(self) -> MutableMapping[str, str]: ...
    @property
    def parsed(self) -> T_co | None: ...


class UnexpectedResponseError(Exception):
    """A success status whose body is not what the document describes."""


@dataclass(frozen=True, slots=True)
class Reply[V]:
    """A successful answer: the parsed value, and the headers the contract gives meaning to."""

    value: V
    status_code: int
    headers: Mapping[str, str]

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def location(self) -> str | None:
        return self.headers.get("location")


def connect(
    base_url: str, api_key: str, *, timeout: float = 10.0, **httpx_args: Any
) -> AuthenticatedClient:
    """An HTTP client that sends ``X-API-Key`` on every request (use it as a context manager)."""
    import httpx

    return AuthenticatedClient(
        base_url=base_url,
        token=api_key,
        prefix="",
        auth_header_name="X-API-Key",
        timeout=httpx.Timeout(timeout),
        raise_on_unexpected_status=False,
        httpx_args=httpx_args,
    )


def expect[T](response: Answer[T | Problem]) -> Reply[T]:
    """The value of a successful response; the typed :class:`ProblemError` of any other."""
    status = int(response.status_code)
    headers = {key.lower(): value for key, value in response.headers.items()}
    if status >= 400:
        raise error_for(status, headers, response.content)
    parsed = response.parsed
    if isinstance(parsed, Problem) or (parsed is None and status != 204):
        raise UnexpectedResponseError(f"{status}: {response.content[:200]!r}")
    return Reply(value=parsed, status_code=status, headers=headers)  # type: ignore[arg-type]
