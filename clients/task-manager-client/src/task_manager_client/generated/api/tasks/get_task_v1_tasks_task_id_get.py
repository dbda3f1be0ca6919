from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.task import Task
from ...types import UNSET, Response, Unset


def _get_kwargs(
    task_id: str,
    *,
    x_user_id: str,
    if_none_match: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["X-User-ID"] = x_user_id

    if not isinstance(if_none_match, Unset):
        headers["If-None-Match"] = if_none_match

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/tasks/{task_id}".format(
            task_id=quote(str(task_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | Problem | Task | None:
    if response.status_code == 200:
        response_200 = Task.from_dict(response.json())

        return response_200

    if response.status_code == 304:
        response_304 = cast(Any, None)
        return response_304

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

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
) -> Response[Any | Problem | Task]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    task_id: str,
    *,
    client: AuthenticatedClient,
    x_user_id: str,
    if_none_match: None | str | Unset = UNSET,
) -> Response[Any | Problem | Task]:
    """Get a task

    Args:
        task_id (str): The task's id (a UUID). Anything else is answered like an unknown id.
        x_user_id (str): The player on whose behalf the platform calls: 1-128 characters of `A-Z
            a-z 0-9 . _ : @ | -`.
        if_none_match (None | str | Unset): Answer 304 without a body when the task's ETag is one
            of these (or `*`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem | Task]
    """

    kwargs = _get_kwargs(
        task_id=task_id,
        x_user_id=x_user_id,
        if_none_match=if_none_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    task_id: str,
    *,
    client: AuthenticatedClient,
    x_user_id: str,
    if_none_match: None | str | Unset = UNSET,
) -> Any | Problem | Task | None:
    """Get a task

    Args:
        task_id (str): The task's id (a UUID). Anything else is answered like an unknown id.
        x_user_id (str): The player on whose behalf the platform calls: 1-128 characters of `A-Z
            a-z 0-9 . _ : @ | -`.
        if_none_match (None | str | Unset): Answer 304 without a body when the task's ETag is one
            of these (or `*`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem | Task
    """

    return sync_detailed(
        task_id=task_id,
        client=client,
        x_user_id=x_user_id,
        if_none_match=if_none_match,
    ).parsed


async def asyncio_detailed(
    task_id: str,
    *,
    client: AuthenticatedClient,
    x_user_id: str,
    if_none_match: None | str | Unset = UNSET,
) -> Response[Any | Problem | Task]:
    """Get a task

    Args:
        task_id (str): The task's id (a UUID). Anything else is answered like an unknown id.
        x_user_id (str): The player on whose behalf the platform calls: 1-128 characters of `A-Z
            a-z 0-9 . _ : @ | -`.
        if_none_match (None | str | Unset): Answer 304 without a body when the task's ETag is one
            of these (or `*`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem | Task]
    """

    kwargs = _get_kwargs(
        task_id=task_id,
        x_user_id=x_user_id,
        if_none_match=if_none_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    task_id: str,
    *,
    client: AuthenticatedClient,
    x_user_id: str,
    if_none_match: None | str | Unset = UNSET,
) -> Any | Problem | Task | None:
    """Get a task

    Args:
        task_id (str): The task's id (a UUID). Anything else is answered like an unknown id.
        x_user_id (str): The player on whose behalf the platform calls: 1-128 characters of `A-Z
            a-z 0-9 . _ : @ | -`.
        if_none_match (None | str | Unset): Answer 304 without a body when the task's ETag is one
            of these (or `*`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem | Task
    """

    return (
        await asyncio_detailed(
            task_id=task_id,
            client=client,
            x_user_id=x_user_id,
            if_none_match=if_none_match,
        )
    ).parsed
