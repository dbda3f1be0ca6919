from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.task import Task
from ...models.task_patch import TaskPatch
from ...types import UNSET, Response, Unset


def _get_kwargs(
    task_id: str,
    *,
    body: TaskPatch,
    x_user_id: str,
    if_match: None | str | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["X-User-ID"] = x_user_id

    if not isinstance(if_match, Unset):
        headers["If-Match"] = if_match

    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/v1/tasks/{task_id}".format(
            task_id=quote(str(task_id), safe=""),
        ),
    }

    if isinstance(body, TaskPatch):
        _kwargs["json"] = body.to_dict()

        headers["Content-Type"] = "application/json"
    if isinstance(body, TaskPatch):
        _kwargs["json"] = body.to_dict()

        headers["Content-Type"] = "application/merge-patch+json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | Task | None:
    if response.status_code == 200:
        response_200 = Task.from_dict(response.json())

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

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 412:
        response_412 = Problem.from_dict(response.json())

        return response_412

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
    task_id: str,
    *,
    client: AuthenticatedClient,
    body: TaskPatch,
    x_user_id: str,
    if_match: None | str | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[Problem | Task]:
    """Change a task (JSON merge patch)

     Fields present are set; `null` clears `description`, `due_date` or `recurrence` (`title`, `status`,
    `priority`, `tags` cannot be null). `{}` changes nothing and keeps the version. `completed_at` and
    `version` are maintained by the server. Setting `status` to `completed` on a recurring task records
    a completion and moves the task to its next occurrence (status `pending` again) in the same
    transaction. With `Idempotency-Key`, a retry answers the first response again (a retried completion
    completes once).

    Args:
        task_id (str): The task's id (a UUID). Anything else is answered like an unknown id.
        x_user_id (str): The player on whose behalf the platform calls: 1-128 characters of `A-Z
            a-z 0-9 . _ : @ | -`.
        if_match (None | str | Unset): Only act if the task's ETag is one of these (e.g. `"3"`, or
            `*`); else 412 `precondition_failed`. Strong comparison: weak tags never match.
        idempotency_key (None | str | Unset): Makes the write safe to retry: the same key with the
            same request, for the same API key and user, within 24 hours, answers the first response
            again and changes nothing (a retried completion completes once); with a different request
            → 422 `idempotency_key_mismatch`; while the first request is still running → 409
            `idempotency_key_in_use`. 1-255 printable ASCII characters.
        body (TaskPatch): A JSON merge patch: the fields present are set; ``null`` clears
            ``description`` or
            ``due_date``; ``title``, ``status``, ``priority`` and ``tags`` cannot be null.
        body (TaskPatch): A JSON merge patch: the fields present are set; ``null`` clears
            ``description`` or
            ``due_date``; ``title``, ``status``, ``priority`` and ``tags`` cannot be null.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Task]
    """

    kwargs = _get_kwargs(
        task_id=task_id,
        body=body,
        x_user_id=x_user_id,
        if_match=if_match,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    task_id: str,
    *,
    client: AuthenticatedClient,
    body: TaskPatch,
    x_user_id: str,
    if_match: None | str | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Problem | Task | None:
    """Change a task (JSON merge patch)

     Fields present are set; `null` clears `description`, `due_date` or `recurrence` (`title`, `status`,
    `priority`, `tags` cannot be null). `{}` changes nothing and keeps the version. `completed_at` and
    `version` are maintained by the server. Setting `status` to `completed` on a recurring task records
    a completion and moves the task to its next occurrence (status `pending` again) in the same
    transaction. With `Idempotency-Key`, a retry answers the first response again (a retried completion
    completes once).

    Args:
        task_id (str): The task's id (a UUID). Anything else is answered like an unknown id.
        x_user_id (str): The player on whose behalf the platform calls: 1-128 characters of `A-Z
            a-z 0-9 . _ : @ | -`.
        if_match (None | str | Unset): Only act if the task's ETag is one of these (e.g. `"3"`, or
            `*`); else 412 `precondition_failed`. Strong comparison: weak tags never match.
        idempotency_key (None | str | Unset): Makes the write safe to retry: the same key with the
            same request, for the same API key and user, within 24 hours, answers the first response
            again and changes nothing (a retried completion completes once); with a different request
            → 422 `idempotency_key_mismatch`; while the first request is still running → 409
            `idempotency_key_in_use`. 1-255 printable ASCII characters.
        body (TaskPatch): A JSON merge patch: the fields present are set; ``null`` clears
            ``description`` or
            ``due_date``; ``title``, ``status``, ``priority`` and ``tags`` cannot be null.
        body (TaskPatch): A JSON merge patch: the fields present are set; ``null`` clears
            ``description`` or
            ``due_date``; ``title``, ``status``, ``priority`` and ``tags`` cannot be null.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Task
    """

    return sync_detailed(
        task_id=task_id,
        client=client,
        body=body,
        x_user_id=x_user_id,
        if_match=if_match,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    task_id: str,
    *,
    client: AuthenticatedClient,
    body: TaskPatch,
    x_user_id: str,
    if_match: None | str | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[Problem | Task]:
    """Change a task (JSON merge patch)

     Fields present are set; `null` clears `description`, `due_date` or `recurrence` (`title`, `status`,
    `priority`, `tags` cannot be null). `{}` changes nothing and keeps the version. `completed_at` and
    `version` are maintained by the server. Setting `status` to `completed` on a recurring task records
    a completion and moves the task to its next occurrence (status `pending` again) in the same
    transaction. With `Idempotency-Key`, a retry answers the first response again (a retried completion
    completes once).

    Args:
        task_id (str): The task's id (a UUID). Anything else is answered like an unknown id.
        x_user_id (str): The player on whose behalf the platform calls: 1-128 characters of `A-Z
            a-z 0-9 . _ : @ | -`.
        if_match (None | str | Unset): Only act if the task's ETag is one of these (e.g. `"3"`, or
            `*`); else 412 `precondition_failed`. Strong comparison: weak tags never match.
        idempotency_key (None | str | Unset): Makes the write safe to retry: the same key with the
            same request, for the same API key and user, within 24 hours, answers the first response
            again and changes nothing (a retried completion completes once); with a different request
            → 422 `idempotency_key_mismatch`; while the first request is still running → 409
            `idempotency_key_in_use`. 1-255 printable ASCII characters.
        body (TaskPatch): A JSON merge patch: the fields present are set; ``null`` clears
            ``description`` or
            ``due_date``; ``title``, ``status``, ``priority`` and ``tags`` cannot be null.
        body (TaskPatch): A JSON merge patch: the fields present are set; ``null`` clears
            ``description`` or
            ``due_date``; ``title``, ``status``, ``priority`` and ``tags`` cannot be null.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Task]
    """

    kwargs = _get_kwargs(
        task_id=task_id,
        body=body,
        x_user_id=x_user_id,
        if_match=if_match,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    task_id: str,
    *,
    client: AuthenticatedClient,
    body: TaskPatch,
    x_user_id: str,
    if_match: None | str | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Problem | Task | None:
    """Change a task (JSON merge patch)

     Fields present are set; `null` clears `description`, `due_date` or `recurrence` (`title`, `status`,
    `priority`, `tags` cannot be null). `{}` changes nothing and keeps the version. `completed_at` and
    `version` are maintained by the server. Setting `status` to `completed` on a recurring task records
    a completion and moves the task to its next occurrence (status `pending` again) in the same
    transaction. With `Idempotency-Key`, a retry answers the first response again (a retried completion
    completes once).

    Args:
        task_id (str): The task's id (a UUID). Anything else is answered like an unknown id.
        x_user_id (str): The player on whose behalf the platform calls: 1-128 characters of `A-Z
            a-z 0-9 . _ : @ | -`.
        if_match (None | str | Unset): Only act if the task's ETag is one of these (e.g. `"3"`, or
            `*`); else 412 `precondition_failed`. Strong comparison: weak tags never match.
        idempotency_key (None | str | Unset): Makes the write safe to retry: the same key with the
            same request, for the same API key and user, within 24 hours, answers the first response
            again and changes nothing (a retried completion completes once); with a different request
            → 422 `idempotency_key_mismatch`; while the first request is still running → 409
            `idempotency_key_in_use`. 1-255 printable ASCII characters.
        body (TaskPatch): A JSON merge patch: the fields present are set; ``null`` clears
            ``description`` or
            ``due_date``; ``title``, ``status``, ``priority`` and ``tags`` cannot be null.
        body (TaskPatch): A JSON merge patch: the fields present are set; ``null`` clears
            ``description`` or
            ``due_date``; ``title``, ``status``, ``priority`` and ``tags`` cannot be null.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Task
    """

    return (
        await asyncio_detailed(
            task_id=task_id,
            client=client,
            body=body,
            x_user_id=x_user_id,
            if_match=if_match,
            idempotency_key=idempotency_key,
        )
    ).parsed
