"""POST/GET/PATCH/DELETE /v1/tasks: fields, normalisation, server-maintained fields,
conditional requests, and every error code of these routes."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

U1 = {"X-User-ID": "u-1"}

# Every test runs with the GET fast path and without it (the framework route): same answers.
pytestmark = pytest.mark.parametrize("app", ["fast", "framework"], indirect=True)


async def test_create_normalises_and_answers_201_with_location_and_etag(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        "/v1/tasks",
        json={
            "title": "  Feed the cats  ",
            "description": "  wet food  ",
            "priority": "high",
            "due_date": "2026-11-28T09:30:00.123456+01:00",
            "tags": [" Home", "CATS", "home", "cats ", "x" * 50],
        },
        headers=U1,
    )
    assert response.status_code == 201
    task = response.json()
    assert response.headers["location"] == f"/v1/tasks/{task['id']}"
    assert response.headers["etag"] == '"1"'
    assert response.headers["content-type"] == "application/json"
    uuid.UUID(task["id"])
    assert task == {
        "id": task["id"],
        "user_id": "u-1",
        "title": "Feed the cats",
        "description": "  wet food  ",
        "status": "pending",
        "priority": "high",
        "due_date": "2026-11-28T08:30:00.123456Z",
        "tags": ["home", "cats", "x" * 50],
        "created_at": "2026-11-27T10:00:00Z",
        "updated_at": "2026-11-27T10:00:00Z",
        "completed_at": None,
        "version": 1,
        "recurrence": None,
        "completion_count": 0,
        "streak": None,
        "longest_streak": None,
    }
    fetched = await client.get(response.headers["location"], headers=U1)
    assert fetched.json() == task


async def test_create_defaults_and_completed_at(client: httpx.AsyncClient) -> None:
    plain = (await client.post("/v1/tasks", json={"title": "x"}, headers=U1)).json()
    assert (plain["status"], plain["priority"], plain["tags"]) == ("pending", "medium", [])
    assert plain["description"] is None and plain["due_date"] is None
    done = await client.post("/v1/tasks", json={"title": "x", "status": "completed"}, headers=U1)
    assert done.json()["completed_at"] == "2026-11-27T10:00:00Z"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": 5}, "title"),
        ({"title": "a\x00b"}, "title"),
        ({"title": "x", "description": "d" * 10_001}, "description"),
        ({"title": "x", "status": "done"}, "status"),
        ({"title": "x", "priority": "critical"}, "priority"),
        ({"title": "x", "due_date": "2026-11-28T09:30:00"}, "due_date"),
        ({"title": "x", "due_date": "2026-11-28"}, "due_date"),
        ({"title": "x", "due_date": 1_780_000_000}, "due_date"),
        ({"title": "x", "tags": [" "]}, "tags"),
        ({"title": "x", "tags": ["y" * 51]}, "tags"),
        ({"title": "x", "tags": [f"t{i}" for i in range(21)]}, "tags"),
        ({"title": "x", "tags": "home"}, "tags"),
        ({"title": "x", "owner": "u-2"}, "owner"),
        ({"title": "x", "version": 7}, "version"),
    ],
)
async def test_create_rejects_invalid_fields(
    client: httpx.AsyncClient, assert_problem: Any, body: dict[str, Any], field: str
) -> None:
    problem = assert_problem(
        await client.post("/v1/tasks", json=body, headers=U1), 422, "validation_error"
    )
    assert ["body", field] in [e["loc"][:2] for e in problem["errors"]]
    assert (await client.get("/v1/tasks", headers=U1)).json()["items"] == []


async def test_twenty_tags_with_duplicates_are_accepted(client: httpx.AsyncClient) -> None:
    tags = [f"t{i}" for i in range(20)] + ["T0", " t1 "]
    response = await client.post("/v1/tasks", json={"title": "x", "tags": tags}, headers=U1)
    assert response.status_code == 201
    assert response.json()["tags"] == [f"t{i}" for i in range(20)]


async def test_body_must_be_json_by_content_type_and_syntax(
    client: httpx.AsyncClient, assert_problem: Any
) -> None:
    form = await client.post("/v1/tasks", data={"title": "x"}, headers=U1)
    assert_problem(form, 415, "unsupported_media_type")
    no_type = await client.post("/v1/tasks", content=b'{"title": "x"}', headers=U1)
    assert_problem(no_type, 415, "unsupported_media_type")
    broken = await client.post(
        "/v1/tasks", content=b'{"title": ', headers={**U1, "Content-Type": "application/json"}
    )
    assert_problem(broken, 400, "invalid_json")
    empty = await client.post(
        "/v1/tasks", content=b"", headers={**U1, "Content-Type": "application/json"}
    )
    assert_problem(empty, 400, "invalid_json")
    not_object = await client.post("/v1/tasks", json=["x"], headers=U1)
    assert_problem(not_object, 422, "validation_error")
    vendor = await client.post(
        "/v1/tasks",
        content=b'{"title": "x"}',
        headers={**U1, "Content-Type": "application/vnd.cathouse+json; charset=utf-8"},
    )
    assert vendor.status_code == 201


async def test_user_header_is_required_and_validated(
    client: httpx.AsyncClient, assert_problem: Any
) -> None:
    for headers in ({}, {"X-User-ID": ""}, {"X-User-ID": "bad user"}, {"X-User-ID": "u" * 129}):
        for response in (
            await client.post("/v1/tasks", json={"title": "x"}, headers=headers),
            await client.get("/v1/tasks", headers=headers),
            await client.get(f"/v1/tasks/{uuid.uuid4()}", headers=headers),
        ):
            problem = assert_problem(response, 422, "validation_error")
            assert problem["errors"][0]["loc"] == ["header", "X-User-ID"]


async def test_get_with_if_none_match(client: httpx.AsyncClient, create_task: Any) -> None:
    task = await create_task("u-1")
    path = f"/v1/tasks/{task['id']}"
    for tag in ('"1"', 'W/"1"', '"7", "1"', "*"):
        response = await client.get(path, headers={**U1, "If-None-Match": tag})
        assert response.status_code == 304, tag
        assert response.content == b""
        assert response.headers["etag"] == '"1"'
    other = await client.get(path, headers={**U1, "If-None-Match": '"2"'})
    assert other.status_code == 200
    assert other.headers["etag"] == '"1"'


@pytest.mark.parametrize("raw", ["nope", "123", "3f0c8d2e5b7a4c1e9f3a2d6b8e1c4a7f", "%20"])
async def test_malformed_id_is_an_unknown_task(
    client: httpx.AsyncClient, assert_problem: Any, raw: str
) -> None:
    path = f"/v1/tasks/{raw}"
    assert_problem(await client.get(path, headers=U1), 404, "task_not_found")
    assert_problem(await client.patch(path, json={}, headers=U1), 404, "task_not_found")
    assert_problem(await client.delete(path, headers=U1), 404, "task_not_found")


async def test_patch_merges_and_maintains_server_fields(
    client: httpx.AsyncClient, create_task: Any, clock: Any
) -> None:
    task = await create_task("u-1", description="d", due_date="2026-12-01T00:00:00Z", tags=["a"])
    path = f"/v1/tasks/{task['id']}"

    clock.advance(minutes=1)
    done = await client.patch(path, json={"status": "completed", "title": " T "}, headers=U1)
    assert done.status_code == 200
    assert done.headers["etag"] == '"2"'
    body = done.json()
    assert body["title"] == "T" and body["description"] == "d" and body["tags"] == ["a"]
    assert body["completed_at"] == body["updated_at"] == "2026-11-27T10:01:00Z"
    assert body["created_at"] == "2026-11-27T10:00:00Z"

    clock.advance(minutes=1)  # staying completed keeps completed_at
    kept = (await client.patch(path, json={"priority": "urgent"}, headers=U1)).json()
    assert kept["completed_at"] == "2026-11-27T10:01:00Z" and kept["version"] == 3

    clock.advance(minutes=1)  # leaving completed clears it; null clears nullable fields
    reopened = await client.patch(
        path,
        json={"status": "pending", "description": None, "due_date": None, "tags": ["B", "b"]},
        headers={**U1, "Content-Type": "application/merge-patch+json"},
    )
    assert reopened.status_code == 200
    body = reopened.json()
    assert body["completed_at"] is None and body["description"] is None
    assert body["due_date"] is None and body["tags"] == ["b"] and body["version"] == 4
    assert body["updated_at"] == "2026-11-27T10:03:00Z"
    assert (await client.get(path, headers=U1)).json() == body


async def test_empty_or_no_op_patch_keeps_version(
    client: httpx.AsyncClient, create_task: Any, clock: Any
) -> None:
    task = await create_task("u-1", title="same", tags=["a"])
    path = f"/v1/tasks/{task['id']}"
    clock.advance(hours=1)
    for patch in ({}, {"title": " same ", "tags": ["A"], "status": "pending"}):
        response = await client.patch(path, json=patch, headers=U1)
        assert response.status_code == 200
        assert response.headers["etag"] == '"1"'
        assert response.json() == task


@pytest.mark.parametrize("field", ["title", "status", "priority", "tags"])
async def test_patch_cannot_null_required_fields(
    client: httpx.AsyncClient, create_task: Any, assert_problem: Any, field: str
) -> None:
    task = await create_task("u-1")
    response = await client.patch(f"/v1/tasks/{task['id']}", json={field: None}, headers=U1)
    problem = assert_problem(response, 422, "validation_error")
    assert problem["errors"][0]["loc"] == ["body", field]


async def test_patch_errors(
    client: httpx.AsyncClient, create_task: Any, assert_problem: Any
) -> None:
    task = await create_task("u-1")
    path = f"/v1/tasks/{task['id']}"
    assert_problem(
        await client.patch(path, json={"id": str(uuid.uuid4())}, headers=U1),
        422,
        "validation_error",
    )
    assert_problem(
        await client.patch(path, json={"completed_at": None}, headers=U1), 422, "validation_error"
    )
    assert_problem(
        await client.patch(path, content=b"{", headers={**U1, "Content-Type": "application/json"}),
        400,
        "invalid_json",
    )
    assert_problem(
        await client.patch(path, content=b"{}", headers={**U1, "Content-Type": "text/plain"}),
        415,
        "unsupported_media_type",
    )
    assert_problem(
        await client.patch(path, json={"title": "x" * 70_000}, headers=U1),
        413,
        "payload_too_large",
    )
    assert (await client.get(path, headers=U1)).json() == task


async def test_if_match_on_patch_and_delete(
    client: httpx.AsyncClient, create_task: Any, assert_problem: Any
) -> None:
    task = await create_task("u-1")
    path = f"/v1/tasks/{task['id']}"
    for stale in ('"2"', 'W/"1"', "1", '"x"'):
        response = await client.patch(path, json={"title": "y"}, headers={**U1, "If-Match": stale})
        assert_problem(response, 412, "precondition_failed")
        assert response.headers["etag"] == '"1"'
    ok = await client.patch(path, json={"title": "y"}, headers={**U1, "If-Match": '"9", "1"'})
    assert ok.status_code == 200 and ok.headers["etag"] == '"2"'
    star = await client.patch(path, json={"title": "z"}, headers={**U1, "If-Match": "*"})
    assert star.headers["etag"] == '"3"'
    assert_problem(
        await client.patch(path, json={}, headers={**U1, "If-Match": '"2"'}),
        412,
        "precondition_failed",
    )
    assert_problem(
        await client.delete(path, headers={**U1, "If-Match": '"2"'}), 412, "precondition_failed"
    )
    assert (await client.get(path, headers=U1)).status_code == 200
    deleted = await client.delete(path, headers={**U1, "If-Match": '"3"'})
    assert deleted.status_code == 204 and deleted.content == b""


async def test_delete_then_everything_is_not_found(
    client: httpx.AsyncClient, create_task: Any, assert_problem: Any
) -> None:
    task = await create_task("u-1")
    path = f"/v1/tasks/{task['id']}"
    assert (await client.delete(path, headers=U1)).status_code == 204
    assert_problem(await client.delete(path, headers=U1), 404, "task_not_found")
    assert_problem(await client.get(path, headers=U1), 404, "task_not_found")
    assert_problem(await client.patch(path, json={}, headers=U1), 404, "task_not_found")
    assert_problem(
        await client.delete(path, headers={**U1, "If-Match": "*"}), 404, "task_not_found"
    )
    assert (await client.get("/v1/tasks", headers=U1)).json()["items"] == []


async def test_routes_require_the_api_key(client: httpx.AsyncClient, assert_problem: Any) -> None:
    client.headers.pop("X-API-Key")
    response = await client.post("/v1/tasks", content=b"{", headers=U1)
    assert_problem(response, 401, "missing_api_key")
    response = await client.get("/v1/tasks", headers={**U1, "X-API-Key": "nope-0123456789"})
    assert_problem(response, 401, "invalid_api_key")


async def test_unsupported_method_on_a_task(
    client: httpx.AsyncClient, create_task: Any, assert_problem: Any
) -> None:
    task = await create_task("u-1")
    response = await client.put(f"/v1/tasks/{task['id']}", json={"title": "x"}, headers=U1)
    assert_problem(response, 405, "method_not_allowed")
    assert response.headers["allow"] == "GET, HEAD, PATCH, DELETE, OPTIONS"
    collection = await client.put("/v1/tasks", json={"title": "x"}, headers=U1)
    assert_problem(collection, 405, "method_not_allowed")
    assert collection.headers["allow"] == "GET, HEAD, POST, OPTIONS"
