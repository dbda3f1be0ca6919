import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.list_tasks_v1_tasks_get_priority_type_0_item import (
    ListTasksV1TasksGetPriorityType0Item,
)
from ...models.list_tasks_v1_tasks_get_sort import ListTasksV1TasksGetSort
from ...models.list_tasks_v1_tasks_get_status_type_0_item import (
    ListTasksV1TasksGetStatusType0Item,
)
from ...models.problem import Problem
from ...models.task_page import TaskPage
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    status: list[ListTasksV1TasksGetStatusType0Item] | None | Unset = UNSET,
    priority: list[ListTasksV1TasksGetPriorityType0Item] | None | Unset = UNSET,
    tag: list[str] | None | Unset = UNSET,
    due_before: datetime.datetime | None | Unset = UNSET,
    due_after: datetime.datetime | None | Unset = UNSET,
    overdue: bool | None | Unset = UNSET,
    q: None | str | Unset = UNSET,
    updated_since: datetime.datetime | None | Unset = UNSET,
    recurring: bool | None | Unset = UNSET,
    sort: ListTasksV1TasksGetSort | Unset = ListTasksV1TasksGetSort.VALUE_1,
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

    json_status: list[str] | None | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, list):
        json_status = []
        for status_type_0_item_data in status:
            status_type_0_item = status_type_0_item_data.value
            json_status.append(status_type_0_item)

    else:
        json_status = status
    params["status"] = json_status

    json_priority: list[str] | None | Unset
    if isinstance(priority, Unset):
        json_priority = UNSET
    elif isinstance(priority, list):
        json_priority = []
        for priority_type_0_item_data in priority:
            priority_type_0_item = priority_type_0_item_data.value
            json_priority.append(priority_type_0_item)

    else:
        json_priority = priority
    params["priority"] = json_priority

    json_tag: list[str] | None | Unset
    if isinstance(tag, Unset):
        json_tag = UNSET
    elif isinstance(tag, list):
        json_tag = tag

    else:
        json_tag = tag
    params["tag"] = json_tag

    json_due_before: None | str | Unset
    if isinstance(due_before, Unset):
        json_due_before = UNSET
    elif isinstance(due_before, datetime.datetime):
        json_due_before = due_before.isoformat()
    else:
        json_due_before = due_before
    params["due_before"] = json_due_before

    json_due_after: None | str | Unset
    if isinstance(due_after, Unset):
        json_due_after = UNSET
    elif isinstance(due_after, datetime.datetime):
        json_due_after = due_after.isoformat()
    else:
        json_due_after = due_after
    params["due_after"] = json_due_after

    json_overdue: bool | None | Unset
    if isinstance(overdue, Unset):
        json_overdue = UNSET
    else:
        json_overdue = overdue
    params["overdue"] = json_overdue

    json_q: None | str | Unset
    if isinstance(q, Unset):
        json_q = UNSET
    else:
        json_q = q
    params["q"] = json_q

    json_updated_since: None | str | Unset
    if isinstance(updated_since, Unset):
        json_updated_since = UNSET
    elif isinstance(updated_since, datetime.datetime):
        json_updated_since = updated_since.isoformat()
    else:
        json_updated_since = updated_since
    params["updated_since"] = json_updated_since

    json_recurring: bool | None | Unset
    if isinstance(recurring, Unset):
        json_recurring = UNSET
    else:
        json_recurring = recurring
    params["recurring"] = json_recurring

    json_sort: str | Unset = UNSET
    if not isinstance(sort, Unset):
        json_sort = sort.value

    params["sort"] = json_sort

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/tasks",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | TaskPage | None:
    if response.status_code == 200:
        response_200 = TaskPage.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

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
) -> Response[Problem | TaskPage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    status: list[ListTasksV1TasksGetStatusType0Item] | None | Unset = UNSET,
    priority: list[ListTasksV1TasksGetPriorityType0Item] | None | Unset = UNSET,
    tag: list[str] | None | Unset = UNSET,
    due_before: datetime.datetime | None | Unset = UNSET,
    due_after: datetime.datetime | None | Unset = UNSET,
    overdue: bool | None | Unset = UNSET,
    q: None | str | Unset = UNSET,
    updated_since: datetime.datetime | None | Unset = UNSET,
    recurring: bool | None | Unset = UNSET,
    sort: ListTasksV1TasksGetSort | Unset = ListTasksV1TasksGetSort.VALUE_1,
    x_user_id: str,
) -> Response[Problem | TaskPage]:
    """List tasks

     The user's tasks, filtered, sorted, one page at a time (keyset pagination: walking all pages returns
    each matching task exactly once, even while tasks are created or deleted). All parameters are
    optional and combinable. A recurring task's `due_date` is its current occurrence's (filters and the
    `due_date` sort use it).

    Args:
        limit (int | Unset): Page size, 1-200. Default: 50.
        cursor (None | str | Unset): The `next_cursor` of the previous page, with the same query
            (else 400 `invalid_cursor`).
        status (list[ListTasksV1TasksGetStatusType0Item] | None | Unset): Repeatable: tasks with
            any of these statuses.
        priority (list[ListTasksV1TasksGetPriorityType0Item] | None | Unset): Repeatable: tasks
            with any of these priorities.
        tag (list[str] | None | Unset): Repeatable: tasks that carry all these tags (compared
            trimmed and lower-cased).
        due_before (datetime.datetime | None | Unset): `due_date` < this (RFC 3339 with offset;
            excludes tasks without a due date).
        due_after (datetime.datetime | None | Unset): `due_date` ≥ this (RFC 3339 with offset;
            excludes tasks without a due date).
        overdue (bool | None | Unset): `true`: not completed and `due_date` < now; `false`: the
            rest.
        q (None | str | Unset): Case-insensitive substring of the title or the description.
        updated_since (datetime.datetime | None | Unset): `updated_at` ≥ this (RFC 3339 with
            offset).
        recurring (bool | None | Unset): `true`: tasks with a `recurrence`; `false`: the rest.
        sort (ListTasksV1TasksGetSort | Unset): Sort key, `-` for descending; ties broken by id;
            tasks without a due date come last either way. `priority`: low < medium < high < urgent.
            Default: ListTasksV1TasksGetSort.VALUE_1.
        x_user_id (str): The player on whose behalf the platform calls: 1-128 characters of `A-Z
            a-z 0-9 . _ : @ | -`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TaskPage]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        status=status,
        priority=priority,
        tag=tag,
        due_before=due_before,
        due_after=due_after,
        overdue=overdue,
        q=q,
        updated_since=updated_since,
        recurring=recurring,
        sort=sort,
        x_user_id=x_user_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    status: list[ListTasksV1TasksGetStatusType0Item] | None | Unset = UNSET,
    priority: list[ListTasksV1TasksGetPriorityType0Item] | None | Unset = UNSET,
    tag: list[str] | None | Unset = UNSET,
    due_before: datetime.datetime | None | Unset = UNSET,
    due_after: datetime.datetime | None | Unset = UNSET,
    overdue: bool | None | Unset = UNSET,
    q: None | str | Unset = UNSET,
    updated_since: datetime.datetime | None | Unset = UNSET,
    recurring: bool | None | Unset = UNSET,
    sort: ListTasksV1TasksGetSort | Unset = ListTasksV1TasksGetSort.VALUE_1,
    x_user_id: str,
) -> Problem | TaskPage | None:
    """List tasks

     The user's tasks, filtered, sorted, one page at a time (keyset pagination: walking all pages returns
    each matching task exactly once, even while tasks are created or deleted). All parameters are
    optional and combinable. A recurring task's `due_date` is its current occurrence's (filters and the
    `due_date` sort use it).

    Args:
        limit (int | Unset): Page size, 1-200. Default: 50.
        cursor (None | str | Unset): The `next_cursor` of the previous page, with the same query
            (else 400 `invalid_cursor`).
        status (list[ListTasksV1TasksGetStatusType0Item] | None | Unset): Repeatable: tasks with
            any of these statuses.
        priority (list[ListTasksV1TasksGetPriorityType0Item] | None | Unset): Repeatable: tasks
            with any of these priorities.
        tag (list[str] | None | Unset): Repeatable: tasks that carry all these tags (compared
            trimmed and lower-cased).
        due_before (datetime.datetime | None | Unset): `due_date` < this (RFC 3339 with offset;
            excludes tasks without a due date).
        due_after (datetime.datetime | None | Unset): `due_date` ≥ this (RFC 3339 with offset;
            excludes tasks without a due date).
        overdue (bool | None | Unset): `true`: not completed and `due_date` < now; `false`: the
            rest.
        q (None | str | Unset): Case-insensitive substring of the title or the description.
        updated_since (datetime.datetime | None | Unset): `updated_at` ≥ this (RFC 3339 with
            offset).
        recurring (bool | None | Unset): `true`: tasks with a `recurrence`; `false`: the rest.
        sort (ListTasksV1TasksGetSort | Unset): Sort key, `-` for descending; ties broken by id;
            tasks without a due date come last either way. `priority`: low < medium < high < urgent.
            Default: ListTasksV1TasksGetSort.VALUE_1.
        x_user_id (str): The player on whose behalf the platform calls: 1-128 characters of `A-Z
            a-z 0-9 . _ : @ | -`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TaskPage
    """

    return sync_detailed(
        client=client,
        limit=limit,
        cursor=cursor,
        status=status,
        priority=priority,
        tag=tag,
        due_before=due_before,
        due_after=due_after,
        overdue=overdue,
        q=q,
        updated_since=updated_since,
        recurring=recurring,
        sort=sort,
        x_user_id=x_user_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    status: list[ListTasksV1TasksGetStatusType0Item] | None | Unset = UNSET,
    priority: list[ListTasksV1TasksGetPriorityType0Item] | None | Unset = UNSET,
    tag: list[str] | None | Unset = UNSET,
    due_before: datetime.datetime | None | Unset = UNSET,
    due_after: datetime.datetime | None | Unset = UNSET,
    overdue: bool | None | Unset = UNSET,
    q: None | str | Unset = UNSET,
    updated_since: datetime.datetime | None | Unset = UNSET,
    recurring: bool | None | Unset = UNSET,
    sort: ListTasksV1TasksGetSort | Unset = ListTasksV1TasksGetSort.VALUE_1,
    x_user_id: str,
) -> Response[Problem | TaskPage]:
    """List tasks

     The user's tasks, filtered, sorted, one page at a time (keyset pagination: walking all pages returns
    each matching task exactly once, even while tasks are created or deleted). All parameters are
    optional and combinable. A recurring task's `due_date` is its current occurrence's (filters and the
    `due_date` sort use it).

    Args:
        limit (int | Unset): Page size, 1-200. Default: 50.
        cursor (None | str | Unset): The `next_cursor` of the previous page, with the same query
            (else 400 `invalid_cursor`).
        status (list[ListTasksV1TasksGetStatusType0Item] | None | Unset): Repeatable: tasks with
            any of these statuses.
        priority (list[ListTasksV1TasksGetPriorityType0Item] | None | Unset): Repeatable: tasks
            with any of these priorities.
        tag (list[str] | None | Unset): Repeatable: tasks that carry all these tags (compared
            trimmed and lower-cased).
        due_before (datetime.datetime | None | Unset): `due_date` < this (RFC 3339 with offset;
            excludes tasks without a due date).
        due_after (datetime.datetime | None | Unset): `due_date` ≥ this (RFC 3339 with offset;
            excludes tasks without a due date).
        overdue (bool | None | Unset): `true`: not completed and `due_date` < now; `false`: the
            rest.
        q (None | str | Unset): Case-insensitive substring of the title or the description.
        updated_since (datetime.datetime | None | Unset): `updated_at` ≥ this (RFC 3339 with
            offset).
        recurring (bool | None | Unset): `true`: tasks with a `recurrence`; `false`: the rest.
        sort (ListTasksV1TasksGetSort | Unset): Sort key, `-` for descending; ties broken by id;
            tasks without a due date come last either way. `priority`: low < medium < high < urgent.
            Default: ListTasksV1TasksGetSort.VALUE_1.
        x_user_id (str): The player on whose behalf the platform calls: 1-128 characters of `A-Z
            a-z 0-9 . _ : @ | -`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TaskPage]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        status=status,
        priority=priority,
        tag=tag,
        due_before=due_before,
        due_after=due_after,
        overdue=overdue,
        q=q,
        updated_since=updated_since,
        recurring=recurring,
        sort=sort,
        x_user_id=x_user_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    status: list[ListTasksV1TasksGetStatusType0Item] | None | Unset = UNSET,
    priority: list[ListTasksV1TasksGetPriorityType0Item] | None | Unset = UNSET,
    tag: list[str] | None | Unset = UNSET,
    due_before: datetime.datetime | None | Unset = UNSET,
    due_after: datetime.datetime | None | Unset = UNSET,
    overdue: bool | None | Unset = UNSET,
    q: None | str | Unset = UNSET,
    updated_since: datetime.datetime | None | Unset = UNSET,
    recurring: bool | None | Unset = UNSET,
    sort: ListTasksV1TasksGetSort | Unset = ListTasksV1TasksGetSort.VALUE_1,
    x_user_id: str,
) -> Problem | TaskPage | None:
    """List tasks

     The user's tasks, filtered, sorted, one page at a time (keyset pagination: walking all pages returns
    each matching task exactly once, even while tasks are created or deleted). All parameters are
    optional and combinable. A recurring task's `due_date` is its current occurrence's (filters and the
    `due_date` sort use it).

    Args:
        limit (int | Unset): Page size, 1-200. Default: 50.
        cursor (None | str | Unset): The `next_cursor` of the previous page, with the same query
            (else 400 `invalid_cursor`).
        status (list[ListTasksV1TasksGetStatusType0Item] | None | Unset): Repeatable: tasks with
            any of these statuses.
        priority (list[ListTasksV1TasksGetPriorityType0Item] | None | Unset): Repeatable: tasks
            with any of these priorities.
        tag (list[str] | None | Unset): Repeatable: tasks that carry all these tags (compared
            trimmed and lower-cased).
        due_before (datetime.datetime | None | Unset): `due_date` < this (RFC 3339 with offset;
            excludes tasks without a due date).
        due_after (datetime.datetime | None | Unset): `due_date` ≥ this (RFC 3339 with offset;
            excludes tasks without a due date).
        overdue (bool | None | Unset): `true`: not completed and `due_date` < now; `false`: the
            rest.
        q (None | str | Unset): Case-insensitive substring of the title or the description.
        updated_since (datetime.datetime | None | Unset): `updated_at` ≥ this (RFC 3339 with
            offset).
        recurring (bool | None | Unset): `true`: tasks with a `recurrence`; `false`: the rest.
        sort (ListTasksV1TasksGetSort | Unset): Sort key, `-` for descending; ties broken by id;
            tasks without a due date come last either way. `priority`: low < medium < high < urgent.
            Default: ListTasksV1TasksGetSort.VALUE_1.
        x_user_id (str): The player on whose behalf the platform calls: 1-128 characters of `A-Z
            a-z 0-9 . _ : @ | -`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TaskPage
    """

    return (
        await asyncio_detailed(
            client=client,
            limit=limit,
            cursor=cursor,
            status=status,
            priority=priority,
            tag=tag,
            due_before=due_before,
            due_after=due_after,
            overdue=overdue,
            q=q,
            updated_since=updated_since,
            recurring=recurring,
            sort=sort,
            x_user_id=x_user_id,
        )
    ).parsed
