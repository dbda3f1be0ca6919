from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.completion_page import CompletionPage
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    task_id: str,
    *,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    x_user_id: str,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["X-User-ID"] = x_user_id

    params: dict[str, Any] = {}

    params["limit"] = limit

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/tasks/{task_id}/completions".format(
            task_id=quote(str(task_id), safe=""),
        ),
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CompletionPage | Problem | None:
    if response.status_code == 200:
        response_200 = CompletionPage.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

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
) -> Response[CompletionPage | Problem]:
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
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    x_user_id: str,
) -> Response[CompletionPage | Problem]:
    """List a task's completions

     The task's completions on record, newest first, one keyset page at a time.

    Args:
        task_id (str): The task's id (a UUID). Anything else is answered like an unknown id.
        limit (int | Unset): Page size, 1-200. Default: 50.
        cursor (None | str | Unset): The `next_cursor` of the previous page, with the same query
            (else 400 `invalid_cursor`).
        x_user_id (str): The player on whose behalf the platform calls: 1-128 characters of `A-Z
            a-z 0-9 . _ : @ | -`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CompletionPage | Problem]
    """

    kwargs = _get_kwargs(
        task_id=task_id,
        limit=limit,
        cursor=cursor,
        x_user_id=x_user_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    task_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    x_user_id: str,
) -> CompletionPage | Problem | None:
    """List a task's completions

     The task's completions on record, newest first, one keyset page at a time.

    Args:
        task_id (str): The task's id (a UUID). Anything else is answered like an unknown id.
        limit (int | Unset): Page size, 1-200. Default: 50.
        cursor (None | str | Unset): The `next_cursor` of the previous page, with the same query
            (else 400 `invalid_cursor`).
        x_user_id (str): The player on whose behalf the platform calls: 1-128 characters of `A-Z
            a-z 0-9 . _ : @ | -`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CompletionPage | Problem
    """

    return sync_detailed(
        task_id=task_id,
        client=client,
        limit=limit,
        cursor=cursor,
        x_user_id=x_user_id,
    ).parsed


async def asyncio_detailed(
    task_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    x_user_id: str,
) -> Response[CompletionPage | Problem]:
    """List a task's completions

     The task's completions on record, newest first, one keyset page at a time.

    Args:
        task_id (str): The task's id (a UUID). Anything else is answered like an unknown id.
        limit (int | Unset): Page size, 1-200. Default: 50.
        cursor (None | str | Unset): The `next_cursor` of the previous page, with the same query
            (else 400 `invalid_cursor`).
        x_user_id (str): The player on whose behalf the platform calls: 1-128 characters of `A-Z
            a-z 0-9 . _ : @ | -`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CompletionPage | Problem]
    """

    kwargs = _get_kwargs(
        task_id=task_id,
        limit=limit,
        cursor=cursor,
        x_user_id=x_user_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    task_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    x_user_id: str,
) -> CompletionPage | Problem | None:
    """List a task's completions

     The task's completions on record, newest first, one keyset page at a time.

    Args:
        task_id (str): The task's id (a UUID). Anything else is answered like an unknown id.
        limit (int | Unset): Page size, 1-200. Default: 50.
        cursor (None | str | Unset): The `next_cursor` of the previous page, with the same query
            (else 400 `invalid_cursor`).
        x_user_id (str): The player on whose behalf the platform calls: 1-128 characters of `A-Z
            a-z 0-9 . _ : @ | -`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CompletionPage | Problem
    """

    return (
        await asyncio_detailed(
            task_id=task_id,
            client=client,
            limit=limit,
            cursor=cursor,
            x_user_id=x_user_id,
        )
    ).parsed
