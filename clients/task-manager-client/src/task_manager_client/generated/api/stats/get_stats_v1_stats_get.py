from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.stats_response import StatsResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    tz: str | Unset = "UTC",
    days: int | Unset = 30,
    x_user_id: str,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["X-User-ID"] = x_user_id

    params: dict[str, Any] = {}

    params["tz"] = tz

    params["days"] = days

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/stats",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | StatsResponse | None:
    if response.status_code == 200:
        response_200 = StatsResponse.from_dict(response.json())

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
) -> Response[Problem | StatsResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    tz: str | Unset = "UTC",
    days: int | Unset = 30,
    x_user_id: str,
) -> Response[Problem | StatsResponse]:
    """A player's gamification figures

     Counts, rates, streaks and daily completions over the player's tasks that exist now. Local dates are
    in `tz`. The cost does not depend on the number of tasks: the figures are read from aggregates kept
    in the same transaction as every task change.

    Args:
        tz (str | Unset): IANA time zone name of the local dates (today, streaks, daily). Default:
            'UTC'.
        days (int | Unset): Entries in `daily_completions`, ending today. Default: 30.
        x_user_id (str): The player on whose behalf the platform calls: 1-128 characters of `A-Z
            a-z 0-9 . _ : @ | -`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | StatsResponse]
    """

    kwargs = _get_kwargs(
        tz=tz,
        days=days,
        x_user_id=x_user_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    tz: str | Unset = "UTC",
    days: int | Unset = 30,
    x_user_id: str,
) -> Problem | StatsResponse | None:
    """A player's gamification figures

     Counts, rates, streaks and daily completions over the player's tasks that exist now. Local dates are
    in `tz`. The cost does not depend on the number of tasks: the figures are read from aggregates kept
    in the same transaction as every task change.

    Args:
        tz (str | Unset): IANA time zone name of the local dates (today, streaks, daily). Default:
            'UTC'.
        days (int | Unset): Entries in `daily_completions`, ending today. Default: 30.
        x_user_id (str): The player on whose behalf the platform calls: 1-128 characters of `A-Z
            a-z 0-9 . _ : @ | -`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | StatsResponse
    """

    return sync_detailed(
        client=client,
        tz=tz,
        days=days,
        x_user_id=x_user_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    tz: str | Unset = "UTC",
    days: int | Unset = 30,
    x_user_id: str,
) -> Response[Problem | StatsResponse]:
    """A player's gamification figures

     Counts, rates, streaks and daily completions over the player's tasks that exist now. Local dates are
    in `tz`. The cost does not depend on the number of tasks: the figures are read from aggregates kept
    in the same transaction as every task change.

    Args:
        tz (str | Unset): IANA time zone name of the local dates (today, streaks, daily). Default:
            'UTC'.
        days (int | Unset): Entries in `daily_completions`, ending today. Default: 30.
        x_user_id (str): The player on whose behalf the platform calls: 1-128 characters of `A-Z
            a-z 0-9 . _ : @ | -`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | StatsResponse]
    """

    kwargs = _get_kwargs(
        tz=tz,
        days=days,
        x_user_id=x_user_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    tz: str | Unset = "UTC",
    days: int | Unset = 30,
    x_user_id: str,
) -> Problem | StatsResponse | None:
    """A player's gamification figures

     Counts, rates, streaks and daily completions over the player's tasks that exist now. Local dates are
    in `tz`. The cost does not depend on the number of tasks: the figures are read from aggregates kept
    in the same transaction as every task change.

    Args:
        tz (str | Unset): IANA time zone name of the local dates (today, streaks, daily). Default:
            'UTC'.
        days (int | Unset): Entries in `daily_completions`, ending today. Default: 30.
        x_user_id (str): The player on whose behalf the platform calls: 1-128 characters of `A-Z
            a-z 0-9 . _ : @ | -`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | StatsResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            tz=tz,
            days=days,
            x_user_id=x_user_id,
        )
    ).parsed
