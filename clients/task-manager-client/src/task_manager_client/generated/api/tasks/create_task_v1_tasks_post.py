from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.task import Task
from ...models.task_create import TaskCreate
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: TaskCreate,
    x_user_id: str,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["X-User-ID"] = x_user_id

    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/tasks",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | Task | None:
    if response.status_code == 201:
        response_201 = Task.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if response.status_code == 431:
        response_431 = Problem.from_dict(response.json())

        return response_431

    if response.status_code == 500:
        response_500 = Problem.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | Task]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: TaskCreate,
    x_user_id: str,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[Problem | Task]:
    """Create a task

     Creates a task for the user in `X-User-ID`, one-off or recurring (with `recurrence` and a
    `due_date`). With `Idempotency-Key`, a retry answers the first response again (same id, status, body
    and headers).

    Args:
        x_user_id (str): The player on whose behalf the platform calls: 1-128 characters of `A-Z
            a-z 0-9 . _ : @ | -`.
        idempotency_key (None | str | Unset): Makes the write safe to retry: the same key with the
            same request, for the same API key and user, within 24 hours, answers the first response
            again and changes nothing (a retried completion completes once); with a different request
            → 422 `idempotency_key_mismatch`; while the first request is still running → 409
            `idempotency_key_in_use`. 1-255 printable ASCII characters.
        body (TaskCreate): A new task. Only ``title`` is required.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Task]
    """

    kwargs = _get_kwargs(
        body=body,
        x_user_id=x_user_id,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: TaskCreate,
    x_user_id: str,
    idempotency_key: None | str | Unset = UNSET,
) -> Problem | Task | None:
    """Create a task

     Creates a task for the user in `X-User-ID`, one-off or recurring (with `recurrence` and a
    `due_date`). With `Idempotency-Key`, a retry answers the first response again (same id, status, body
    and headers).

    Args:
        x_user_id (str): The player on whose behalf the platform calls: 1-128 characters of `A-Z
            a-z 0-9 . _ : @ | -`.
        idempotency_key (None | str | Unset): Makes the write safe to retry: the same key with the
            same request, for the same API key and user, within 24 hours, answers the first response
            again and changes nothing (a retried completion completes once); with a different request
            → 422 `idempotency_key_mismatch`; while the first request is still running → 409
            `idempotency_key_in_use`. 1-255 printable ASCII characters.
        body (TaskCreate): A new task. Only ``title`` is required.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Task
    """

    return sync_detailed(
        client=client,
        body=body,
        x_user_id=x_user_id,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: TaskCreate,
    x_user_id: str,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[Problem | Task]:
    """Create a task

     Creates a task for the user in `X-User-ID`, one-off or recurring (with `recurrence` and a
    `due_date`). With `Idempotency-Key`, a retry answers the first response again (same id, status, body
    and headers).

    Args:
        x_user_id (str): The player on whose behalf the platform calls: 1-128 characters of `A-Z
            a-z 0-9 . _ : @ | -`.
        idempotency_key (None | str | Unset): Makes the write safe to retry: the same key with the
            same request, for the same API key and user, within 24 hours, answers the first response
            again and changes nothing (a retried completion completes once); with a different request
            → 422 `idempotency_key_mismatch`; while the first request is still running → 409
            `idempotency_key_in_use`. 1-255 printable ASCII characters.
        body (TaskCreate): A new task. Only ``title`` is required.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Task]
    """

    kwargs = _get_kwargs(
        body=body,
        x_user_id=x_user_id,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: TaskCreate,
    x_user_id: str,
    idempotency_key: None | str | Unset = UNSET,
) -> Problem | Task | None:
    """Create a task

     Creates a task for the user in `X-User-ID`, one-off or recurring (with `recurrence` and a
    `due_date`). With `Idempotency-Key`, a retry answers the first response again (same id, status, body
    and headers).

    Args:
        x_user_id (str): The player on whose behalf the platform calls: 1-128 characters of `A-Z
            a-z 0-9 . _ : @ | -`.
        idempotency_key (None | str | Unset): Makes the write safe to retry: the same key with the
            same request, for the same API key and user, within 24 hours, answers the first response
            again and changes nothing (a retried completion completes once); with a different request
            → 422 `idempotency_key_mismatch`; while the first request is still running → 409
            `idempotency_key_in_use`. 1-255 printable ASCII characters.
        body (TaskCreate): A new task. Only ``title`` is required.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Task
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            x_user_id=x_user_id,
            idempotency_key=idempotency_key,
        )
    ).parsed
