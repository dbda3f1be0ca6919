"""The generated client (clients/task-manager-client) against a running service: the main flows
of the contract through typed calls, and every problem answered as a typed error.

Extending it after a new route: regenerate (``./dev client``), import the endpoint module from
``task_manager_client.generated.api.<tag>`` and call ``expect(module.sync_detailed(...))``."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from task_manager_client import UNSET, AuthenticatedClient, Unset, connect, expect
from task_manager_client.errors import (
    ERRORS_BY_STATUS,
    CompletionNotLatestError,
    InvalidCursorError,
    NotFoundError,
    PreconditionFailedError,
    ProblemError,
    TaskNotFoundError,
    UnauthorizedError,
    UnprocessableError,
    WebhookNotFoundError,
)
from task_manager_client.generated.api.events import feed_cursor_v1_events_cursor_get as cursor_of
from task_manager_client.generated.api.events import list_events_v1_events_get as list_events
from task_manager_client.generated.api.stats import get_stats_v1_stats_get as get_stats
from task_manager_client.generated.api.tasks import create_task_v1_tasks_post as create_task
from task_manager_client.generated.api.tasks import (
    delete_task_v1_tasks_task_id_delete as delete_task,
)
from task_manager_client.generated.api.tasks import get_task_v1_tasks_task_id_get as get_task
from task_manager_client.generated.api.tasks import (
    list_completions_v1_tasks_task_id_completions_get as list_completions,
)
from task_manager_client.generated.api.tasks import list_tasks_v1_tasks_get as list_tasks
from task_manager_client.generated.api.tasks import patch_task_v1_tasks_task_id_patch as patch
from task_manager_client.generated.api.tasks import (
    undo_completion_v1_tasks_task_id_completions_completion_id_delete as undo_completion,
)
from task_manager_client.generated.api.webhooks import create_webhook_v1_webhooks_post as add_hook
from task_manager_client.generated.api.webhooks import (
    delete_webhook_v1_webhooks_webhook_id_delete as delete_hook,
)
from task_manager_client.generated.api.webhooks import (
    get_webhook_v1_webhooks_webhook_id_get as hook,
)
from task_manager_client.generated.api.webhooks import list_webhooks_v1_webhooks_get as list_hooks
from task_manager_client.generated.models import (
    EventType,
    ListEventsV1EventsGetTypeType0Item,
    RecurrenceIn,
    Task,
    TaskCreate,
    TaskPatch,
    TaskPatchStatus,
    Webhook,
    WebhookCreate,
    WebhookCreateEventTypesItem,
)

from .liveserver import LIVE_KEY, LiveServer, free_port

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


def complete(http: AuthenticatedClient, user: str, task: Task) -> Task:
    body = TaskPatch(status=TaskPatchStatus.COMPLETED)
    return expect(patch.sync_detailed(str(task.id), client=http, x_user_id=user, body=body)).value


def test_complete_a_recurring_task_list_its_completions_and_undo(
    http: AuthenticatedClient, user: str
) -> None:
    due = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=1)
    daily = RecurrenceIn(rule="FREQ=DAILY", tz="Europe/Madrid")
    task = expect(
        create_task.sync_detailed(
            client=http,
            x_user_id=user,
            body=TaskCreate(title="Feed the cats", due_date=due, recurrence=daily),
        )
    ).value
    assert task.recurrence and task.recurrence.rule == "FREQ=DAILY"

    once = complete(http, user, task)
    twice = complete(http, user, once)
    assert twice.status.value == "pending" and twice.completion_count == 2
    assert twice.due_date == due + timedelta(days=2)  # each completion moved it a day on

    page = expect(list_completions.sync_detailed(str(task.id), client=http, x_user_id=user))
    latest, first = page.value.items  # newest first
    assert (first.due_date, latest.due_date) == (due, due + timedelta(days=1))
    assert latest.next_due_date == twice.due_date and latest.on_time is True
    assert page.value.next_cursor is None

    with pytest.raises(CompletionNotLatestError) as not_latest:  # only the latest is undone
        expect(
            undo_completion.sync_detailed(str(task.id), str(first.id), client=http, x_user_id=user)
        )
    assert not_latest.value.status_code == 409 and not_latest.value.code == "completion_not_latest"

    undone = expect(
        undo_completion.sync_detailed(str(task.id), str(latest.id), client=http, x_user_id=user)
    ).value
    assert undone.completion_count == 1 and undone.due_date == once.due_date
    assert undone.version > twice.version
    left = expect(list_completions.sync_detailed(str(task.id), client=http, x_user_id=user))
    assert [c.id for c in left.value.items] == [first.id]

    with pytest.raises(NotFoundError) as gone:
        expect(
            undo_completion.sync_detailed(str(task.id), str(latest.id), client=http, x_user_id=user)
        )
    assert gone.value.code == "completion_not_found"


def test_follow_the_change_feed_from_a_cursor(http: AuthenticatedClient, user: str) -> None:
    start = expect(cursor_of.sync_detailed(client=http, x_user_id=user)).value.cursor
    task = new_task(http, user, "Buy litter")
    done = complete(http, user, task)

    page = expect(list_events.sync_detailed(client=http, x_user_id=user, after=start)).value
    assert [e.type_ for e in page.items] == [EventType.TASK_CREATED, EventType.TASK_COMPLETED]
    created, completed = page.items
    assert {e.task_id for e in page.items} == {str(task.id)} and {
        e.user_id for e in page.items
    } == {user}
    assert (created.task_version, completed.task_version) == (1, done.version)
    assert isinstance(completed.data.task, Task) and completed.data.task.status.value == "completed"
    assert completed.data.completion and completed.data.completion.completed_at == done.completed_at
    assert "status" in completed.data.changes.additional_properties

    # Polling from the end: nothing newer yet, and the cursor stays usable.
    polled = expect(
        list_events.sync_detailed(client=http, x_user_id=user, after=page.next_cursor)
    ).value
    assert polled.items == [] and polled.next_cursor

    only = [ListEventsV1EventsGetTypeType0Item.TASK_COMPLETED]
    filtered = expect(
        list_events.sync_detailed(client=http, x_user_id=user, after=start, type_=only)
    ).value
    assert [e.id for e in filtered.items] == [completed.id]

    with pytest.raises(InvalidCursorError) as invalid:
        expect(list_events.sync_detailed(client=http, x_user_id=user, after="not-a-cursor"))
    assert invalid.value.status_code == 400


def test_register_and_list_a_webhook_endpoint(http: AuthenticatedClient) -> None:
    # A loopback port nothing listens on: deliveries (if any) fail there, never leave the host.
    url = f"http://127.0.0.1:{free_port()}/hooks/tasks"
    created = expect(
        add_hook.sync_detailed(
            client=http,
            body=WebhookCreate(
                url=url,
                event_types=[WebhookCreateEventTypesItem.TASK_COMPLETED],
                description="client e2e",
            ),
        )
    )
    endpoint = created.value
    try:
        assert created.status_code == 201 and created.location == f"/v1/webhooks/{endpoint.id}"
        assert endpoint.secret.startswith("whsec_") and endpoint.enabled
        assert (endpoint.url, endpoint.event_types) == (url, ["task.completed"])

        listed = expect(list_hooks.sync_detailed(client=http)).value
        [mine] = [w for w in listed.items if w.id == endpoint.id]
        assert mine.description == "client e2e" and "secret" not in mine.additional_properties
        fetched = expect(hook.sync_detailed(str(endpoint.id), client=http)).value
        # The document also lists FastAPI's default 422 (HTTPValidationError) here.
        assert isinstance(fetched, Webhook)
        assert fetched.url == url and fetched.disabled_reason is None

        with pytest.raises(WebhookNotFoundError) as missing:
            expect(hook.sync_detailed(str(uuid.uuid4()), client=http))
        assert missing.value.status_code == 404 and missing.value.code == "webhook_not_found"
    finally:
        expect(delete_hook.sync_detailed(str(endpoint.id), client=http))
    with pytest.raises(WebhookNotFoundError):
        expect(hook.sync_detailed(str(endpoint.id), client=http))


def test_problems_are_typed_errors(
    http: AuthenticatedClient, user: str, running_service: LiveServer
) -> None:
    with pytest.raises(TaskNotFoundError) as missing:
        expect(get_task.sync_detailed(str(uuid.uuid4()), client=http, x_user_id=user))
    assert missing.value.code == "task_not_found" and isinstance(missing.value, NotFoundError)

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
