from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.feed_cursor import FeedCursor
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    x_user_id: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_user_id, Unset):
        headers["X-User-ID"] = x_user_id

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/events/cursor",
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> FeedCursor | Problem | None:
    if response.status_code == 200:
        response_200 = FeedCursor.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

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
) -> Response[FeedCursor | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    x_user_id: None | str | Unset = UNSET,
) -> Response[FeedCursor | Problem]:
    """The current end of the feed

     Read this, then read the tasks, then follow the feed from it: nothing is missed.

    Args:
        x_user_id (None | str | Unset): Optional here: with it, only that player's events (the
            cursor is then valid only in that player's feed).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FeedCursor | Problem]
    """

    kwargs = _get_kwargs(
        x_user_id=x_user_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    x_user_id: None | str | Unset = UNSET,
) -> FeedCursor | Problem | None:
    """The current end of the feed

     Read this, then read the tasks, then follow the feed from it: nothing is missed.

    Args:
        x_user_id (None | str | Unset): Optional here: with it, only that player's events (the
            cursor is then valid only in that player's feed).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FeedCursor | Problem
    """

    return sync_detailed(
        client=client,
        x_user_id=x_user_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    x_user_id: None | str | Unset = UNSET,
) -> Response[FeedCursor | Problem]:
    """The current end of the feed

     Read this, then read the tasks, then follow the feed from it: nothing is missed.

    Args:
        x_user_id (None | str | Unset): Optional here: with it, only that player's events (the
            cursor is then valid only in that player's feed).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FeedCursor | Problem]
    """

    kwargs = _get_kwargs(
        x_user_id=x_user_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    x_user_id: None | str | Unset = UNSET,
) -> FeedCursor | Problem | None:
    """The current end of the feed

     Read this, then read the tasks, then follow the feed from it: nothing is missed.

    Args:
        x_user_id (None | str | Unset): Optional here: with it, only that player's events (the
            cursor is then valid only in that player's feed).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FeedCursor | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            x_user_id=x_user_id,
        )
    ).parsed
