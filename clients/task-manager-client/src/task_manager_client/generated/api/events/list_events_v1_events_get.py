from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.event_page import EventPage
from ...models.list_events_v1_events_get_type_type_0_item import (
    ListEventsV1EventsGetTypeType0Item,
)
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    after: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    type_: list[ListEventsV1EventsGetTypeType0Item] | None | Unset = UNSET,
    x_user_id: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_user_id, Unset):
        headers["X-User-ID"] = x_user_id

    params: dict[str, Any] = {}

    json_after: None | str | Unset
    if isinstance(after, Unset):
        json_after = UNSET
    else:
        json_after = after
    params["after"] = json_after

    params["limit"] = limit

    json_type_: list[str] | None | Unset
    if isinstance(type_, Unset):
        json_type_ = UNSET
    elif isinstance(type_, list):
        json_type_ = []
        for type_type_0_item_data in type_:
            type_type_0_item = type_type_0_item_data.value
            json_type_.append(type_type_0_item)

    else:
        json_type_ = type_
    params["type"] = json_type_

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/events",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> EventPage | Problem | None:
    if response.status_code == 200:
        response_200 = EventPage.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 410:
        response_410 = Problem.from_dict(response.json())

        return response_410

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
) -> Response[EventPage | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    after: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    type_: list[ListEventsV1EventsGetTypeType0Item] | None | Unset = UNSET,
    x_user_id: None | str | Unset = UNSET,
) -> Response[EventPage | Problem]:
    """The change feed

     Every change to a task, once, in one stable order consistent with commit order; the events of one
    task in `task_version` order. Follow `next_cursor` (always present) to continue or to poll. Without
    `after`: from the oldest retained event.

    Args:
        after (None | str | Unset): A `next_cursor` of this feed scope.
        limit (int | Unset): Page size, 1-1000. Default: 100.
        type_ (list[ListEventsV1EventsGetTypeType0Item] | None | Unset): Only these types.
        x_user_id (None | str | Unset): Optional here: with it, only that player's events (the
            cursor is then valid only in that player's feed).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EventPage | Problem]
    """

    kwargs = _get_kwargs(
        after=after,
        limit=limit,
        type_=type_,
        x_user_id=x_user_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    after: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    type_: list[ListEventsV1EventsGetTypeType0Item] | None | Unset = UNSET,
    x_user_id: None | str | Unset = UNSET,
) -> EventPage | Problem | None:
    """The change feed

     Every change to a task, once, in one stable order consistent with commit order; the events of one
    task in `task_version` order. Follow `next_cursor` (always present) to continue or to poll. Without
    `after`: from the oldest retained event.

    Args:
        after (None | str | Unset): A `next_cursor` of this feed scope.
        limit (int | Unset): Page size, 1-1000. Default: 100.
        type_ (list[ListEventsV1EventsGetTypeType0Item] | None | Unset): Only these types.
        x_user_id (None | str | Unset): Optional here: with it, only that player's events (the
            cursor is then valid only in that player's feed).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EventPage | Problem
    """

    return sync_detailed(
        client=client,
        after=after,
        limit=limit,
        type_=type_,
        x_user_id=x_user_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    after: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    type_: list[ListEventsV1EventsGetTypeType0Item] | None | Unset = UNSET,
    x_user_id: None | str | Unset = UNSET,
) -> Response[EventPage | Problem]:
    """The change feed

     Every change to a task, once, in one stable order consistent with commit order; the events of one
    task in `task_version` order. Follow `next_cursor` (always present) to continue or to poll. Without
    `after`: from the oldest retained event.

    Args:
        after (None | str | Unset): A `next_cursor` of this feed scope.
        limit (int | Unset): Page size, 1-1000. Default: 100.
        type_ (list[ListEventsV1EventsGetTypeType0Item] | None | Unset): Only these types.
        x_user_id (None | str | Unset): Optional here: with it, only that player's events (the
            cursor is then valid only in that player's feed).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EventPage | Problem]
    """

    kwargs = _get_kwargs(
        after=after,
        limit=limit,
        type_=type_,
        x_user_id=x_user_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    after: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    type_: list[ListEventsV1EventsGetTypeType0Item] | None | Unset = UNSET,
    x_user_id: None | str | Unset = UNSET,
) -> EventPage | Problem | None:
    """The change feed

     Every change to a task, once, in one stable order consistent with commit order; the events of one
    task in `task_version` order. Follow `next_cursor` (always present) to continue or to poll. Without
    `after`: from the oldest retained event.

    Args:
        after (None | str | Unset): A `next_cursor` of this feed scope.
        limit (int | Unset): Page size, 1-1000. Default: 100.
        type_ (list[ListEventsV1EventsGetTypeType0Item] | None | Unset): Only these types.
        x_user_id (None | str | Unset): Optional here: with it, only that player's events (the
            cursor is then valid only in that player's feed).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EventPage | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            after=after,
            limit=limit,
            type_=type_,
            x_user_id=x_user_id,
        )
    ).parsed
