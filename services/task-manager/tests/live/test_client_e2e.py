"""The generated client (clients/task-manager-client) against a running service: the main flows
of the contract through typed calls, and every problem answered as a typed error.

Extending it after a new route: regenerate (``./dev client``), import the endpoint module from
``task_manager_client.generated.api.<tag>`` and call ``expect(module.sync_detailed(...))``."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from task_manager_client import UNSET, AuthenticatedClient, Unset, connect, expect
from task_manager_client.errors import (
    ERRORS_BY_STATUS,
    NotFoundError,
    PreconditionFailedError,
    ProblemError,
    UnauthorizedError,
    UnprocessableError,
)
from task_manager_client.generated.api.stats import get_stats_v1_stats_get as get_stats
from task_manager_client.generated.api.tasks import create_task_v1_tasks_post as create_task
from task_manager_client.generated.api.tasks import (
    delete_task_v1_tasks_task_id_delete as delete_task,
)
from task_manager_client.generated.api.tasks import get_task_v1_tasks_task_id_get as get_task
from task_manager_client.generated.api.tasks import list_tasks_v1_tasks_get as list_tasks
from task_manager_client.generated.api.tasks import patch_task_v1_tasks_task_id_patch as patch
from task_manager_client.generated.models import Task, TaskCreate, TaskPatch, TaskPatchStatus

from .liveserver import LIVE_KEY, LiveServer

SNAPSHOT = Path(__file__).resolve().parents[1] / "snapshots" / "openapi.json"


@pytest.fixture
def http(running_service: LiveServer) -> Iterator[AuthenticatedClient]:
    with connect(running_service.base_url, LIVE_KEY) as client:
        yield client


@pytest.fixture
def user() -> str:
    return f"u-{uuid.uuid4().hex[:12]}"


def new_task(http: AuthenticatedClient, user: str, title: str) -> Task:
    return expect(
        create_task.sync_detailed(client=http, x_user_id=user, body=TaskCreate(title=title))
    ).value


def test_create_then_walk_the_list_with_the_cursor(http: AuthenticatedClient, user: str) -> None:
    created = expect(
        create_task.sync_detailed(
            client=http, x_user_id=user, body=TaskCreate(title="Feed the cats", tags=["Home"])
        )
    )
    assert created.status_code == 201
    assert created.value.title == "Feed the cats" and created.value.tags == ["home"]
    assert created.location == f"/v1/tasks/{created.value.id}" and created.etag
    for i in range(4):
        new_task(http, user, f"task {i}")

    seen: list[str] = []
    cursor: str | Unset = UNSET
    while True:
        page = expect(
            list_tasks.sync_detailed(client=http, x_user_id=user, limit=2, cursor=cursor)
        ).value
        seen += [str(task.id) for task in page.items]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert len(seen) == 5 == len(set(seen))
    assert str(created.value.id) in seen


def test_conditional_update_with_the_etag(http: AuthenticatedClient, user: str) -> None:
    task = new_task(http, user, "Brush the cat")
    fetched = expect(get_task.sync_detailed(str(task.id), client=http, x_user_id=user))
    etag = fetched.etag
    assert etag

    done = expect(
        patch.sync_detailed(
            str(task.id),
            client=http,
            x_user_id=user,
            body=TaskPatch(status=TaskPatchStatus.COMPLETED),
            if_match=etag,
        )
    )
    assert done.value.status.value == "completed" and done.etag != etag

    with pytest.raises(PreconditionFailedError) as stale:  # the old ETag no longer matches
        expect(
            patch.sync_detailed(
                str(task.id), client=http, x_user_id=user, body=TaskPatch(title="x"), if_match=etag
            )
        )
    assert stale.value.status_code == 412 and stale.value.problem is not None


def test_idempotent_create_answers_the_first_response_again(
    http: AuthenticatedClient, user: str
) -> None:
    key = str(uuid.uuid4())
    body = TaskCreate(title="Buy litter")
    first = expect(
        create_task.sync_detailed(client=http, x_user_id=user, body=body, idempotency_key=key)
    )
    again = expect(
        create_task.sync_detailed(client=http, x_user_id=user, body=body, idempotency_key=key)
    )
    assert again.value.id == first.value.id and again.status_code == first.status_code
    page = expect(list_tasks.sync_detailed(client=http, x_user_id=user)).value
    assert [t.id for t in page.items] == [first.value.id]


def test_stats_now(http: AuthenticatedClient, user: str) -> None:
    task = new_task(http, user, "Vet visit")
    expect(
        patch.sync_detailed(
            str(task.id),
            client=http,
            x_user_id=user,
            body=TaskPatch(status=TaskPatchStatus.COMPLETED),
        )
    )
    new_task(http, user, "Trim claws")
    stats = expect(get_stats.sync_detailed(client=http, x_user_id=user, tz="Europe/Madrid")).value
    assert (stats.total, stats.completed, stats.pending, stats.completed_today) == (2, 1, 1, 1)
    assert stats.tz == "Europe/Madrid" and stats.user_id == user


def test_problems_are_typed_errors(
    http: AuthenticatedClient, user: str, running_service: LiveServer
) -> None:
    with pytest.raises(NotFoundError) as missing:
        expect(get_task.sync_detailed(str(uuid.uuid4()), client=http, x_user_id=user))
    assert missing.value.code == "task_not_found"

    with pytest.raises(UnprocessableError) as invalid:
        expect(get_stats.sync_detailed(client=http, x_user_id=user, days=0))
    assert invalid.value.problem is not None

    task = new_task(http, user, "Gone soon")
    expect(delete_task.sync_detailed(str(task.id), client=http, x_user_id=user))
    with pytest.raises(NotFoundError):
        expect(delete_task.sync_detailed(str(task.id), client=http, x_user_id=user))

    stranger = connect(running_service.base_url, "wrong-key-0123456789abcdef")
    with stranger, pytest.raises(UnauthorizedError) as denied:
        expect(list_tasks.sync_detailed(client=stranger, x_user_id=user))
    assert denied.value.code == "invalid_api_key"


def test_every_documented_problem_status_has_its_own_error_class() -> None:
    schema = json.loads(SNAPSHOT.read_text())
    statuses = {
        int(status)
        for item in schema["paths"].values()
        for operation in item.values()
        for status, response in operation.get("responses", {}).items()
        if "application/problem+json" in response.get("content", {})
    }
    assert statuses, "the document lists problem responses"
    unmapped = sorted(s for s in statuses if s not in ERRORS_BY_STATUS)
    assert unmapped == [], f"add a ProblemError subclass for {unmapped}"
    assert all(issubclass(ERRORS_BY_STATUS[s], ProblemError) for s in statuses)
