from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.task import Task
from ...types import Response


def _get_kwargs(
    task_id: str,
    completion_id: str,
    *,
    x_user_id: str,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["X-User-ID"] = x_user_id

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/v1/tasks/{task_id}/completions/{completion_id}".format(
            task_id=quote(str(task_id), safe=""),
            completion_id=quote(str(completion_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | Task | None:
    if response.status_code == 200:
        response_200 = Task.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

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
    task_id: str,
    completion_id: str,
    *,
    client: AuthenticatedClient,
    x_user_id: str,
) -> Response[Problem | Task]:
    """Undo a completion

     Removes the task's latest completion and puts the task back as it was before it (due date, status,
    `completed_at`, `streak`, `longest_streak`, `starts_at`); the version goes up. Only the latest
    completion can be undone (else 409 `completion_not_latest`). For a one-off task it is the same as a
    PATCH to `status: pending`.

    Args:
        task_id (str): The task's id (a UUID). Anything else is answered like an unknown id.
        completion_id (str): The completion's id (a UUID). Anything else is answered like an
            unknown id.
        x_user_id (str): The player on whose behalf the platform calls: 1-128 characters of `A-Z
            a-z 0-9 . _ : @ | -`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Task]
    """

    kwargs = _get_kwargs(
        task_id=task_id,
        completion_id=completion_id,
        x_user_id=x_user_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    task_id: str,
    completion_id: str,
    *,
    client: AuthenticatedClient,
    x_user_id: str,
) -> Problem | Task | None:
    """Undo a completion

     Removes the task's latest completion and puts the task back as it was before it (due date, status,
    `completed_at`, `streak`, `longest_streak`, `starts_at`); the version goes up. Only the latest
    completion can be undone (else 409 `completion_not_latest`). For a one-off task it is the same as a
    PATCH to `status: pending`.

    Args:
        task_id (str): The task's id (a UUID). Anything else is answered like an unknown id.
        completion_id (str): The completion's id (a UUID). Anything else is answered like an
            unknown id.
        x_user_id (str): The player on whose behalf the platform calls: 1-128 characters of `A-Z
            a-z 0-9 . _ : @ | -`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Task
    """

    return sync_detailed(
        task_id=task_id,
        completion_id=completion_id,
        client=client,
        x_user_id=x_user_id,
    ).parsed


async def asyncio_detailed(
    task_id: str,
    completion_id: str,
    *,
    client: AuthenticatedClient,
    x_user_id: str,
) -> Response[Problem | Task]:
    """Undo a completion

     Removes the task's latest completion and puts the task back as it was before it (due date, status,
    `completed_at`, `streak`, `longest_streak`, `starts_at`); the version goes up. Only the latest
    completion can be undone (else 409 `completion_not_latest`). For a one-off task it is the same as a
    PATCH to `status: pending`.

    Args:
        task_id (str): The task's id (a UUID). Anything else is answered like an unknown id.
        completion_id (str): The completion's id (a UUID). Anything else is answered like an
            unknown id.
        x_user_id (str): The player on whose behalf the platform calls: 1-128 characters of `A-Z
            a-z 0-9 . _ : @ | -`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Task]
    """

    kwargs = _get_kwargs(
        task_id=task_id,
        completion_id=completion_id,
        x_user_id=x_user_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    task_id: str,
    completion_id: str,
    *,
    client: AuthenticatedClient,
    x_user_id: str,
) -> Problem | Task | None:
    """Undo a completion

     Removes the task's latest completion and puts the task back as it was before it (due date, status,
    `completed_at`, `streak`, `longest_streak`, `starts_at`); the version goes up. Only the latest
    completion can be undone (else 409 `completion_not_latest`). For a one-off task it is the same as a
    PATCH to `status: pending`.

    Args:
        task_id (str): The task's id (a UUID). Anything else is answered like an unknown id.
        completion_id (str): The completion's id (a UUID). Anything else is answered like an
            unknown id.
        x_user_id (str): The player on whose behalf the platform calls: 1-128 characters of `A-Z
            a-z 0-9 . _ : @ | -`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Task
    """

    return (
        await asyncio_detailed(
            task_id=task_id,
            completion_id=completion_id,
            client=client,
            x_user_id=x_user_id,
        )
    ).parsed
