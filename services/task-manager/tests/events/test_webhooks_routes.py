"""The webhooks routes: registration rules, secrets, SSRF refusal, patch, delete, limits."""

from __future__ import annotations

import base64
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from platform_service import service_state
from task_manager.settings import Settings


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"webhooks_allow_http": True})


async def register(client: httpx.AsyncClient, **body: Any) -> httpx.Response:
    return await client.post("/v1/webhooks", json={"url": "https://93.184.215.14/hook", **body})


async def test_create_shows_the_secret_once(client: httpx.AsyncClient) -> None:
    answer = await register(client, event_types=["task.completed", "task.completed"])
    assert answer.status_code == 201
    body = answer.json()
    assert answer.headers["Location"] == f"/v1/webhooks/{body['id']}"
    assert body["secret"].startswith("whsec_")
    assert len(base64.b64decode(body["secret"].removeprefix("whsec_"))) == 32
    assert body["event_types"] == ["task.completed"]
    assert body["enabled"] is True and body["disabled_reason"] is None
    one = (await client.get(f"/v1/webhooks/{body['id']}")).json()
    assert "secret" not in one
    listed = (await client.get("/v1/webhooks")).json()
    assert [w["id"] for w in listed["items"]] == [body["id"]]
    assert "secret" not in listed["items"][0]


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/x",
        "https://localhost/x",
        "https://10.1.2.3/x",
        "https://192.168.0.1/x",
        "https://169.254.169.254/latest",
        "https://[::1]/x",
        "https://[fd00::1]/x",
        "https://[fe80::1]/x",
        "https://224.0.0.1/x",
        "https://240.0.0.1/x",
        "https://0.0.0.0/x",
        "https://[::ffff:127.0.0.1]/x",
        "https://100.64.0.1/x",
    ],
)
async def test_non_public_targets_are_refused(client: httpx.AsyncClient, url: str) -> None:
    answer = await register(client, url=url)
    assert answer.status_code == 422
    problem = answer.json()
    assert problem["code"] == "validation_error"
    assert problem["errors"][0]["loc"] == ["body", "url"]


async def test_url_rules(client: httpx.AsyncClient, app: FastAPI) -> None:
    assert (await register(client, url="ftp://93.184.215.14/")).status_code == 422
    assert (await register(client, url="/relative")).status_code == 422
    assert (await register(client, url="https://93.184.215.14/" + "a" * 2048)).status_code == 422
    assert (await register(client, url="http://93.184.215.14/")).status_code == 201  # allowed
    service_state(app).settings = service_state(app).settings.model_copy(
        update={"webhooks_allow_http": False}
    )
    answer = await register(client, url="http://93.184.215.14/")
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["loc"] == ["body", "url"]


async def test_patch_delete_and_unknown_ids(client: httpx.AsyncClient) -> None:
    hook = (await register(client, description="platform")).json()
    path = f"/v1/webhooks/{hook['id']}"
    patched = await client.patch(path, json={"enabled": False, "description": None})
    assert patched.status_code == 200
    assert patched.json()["enabled"] is False
    assert patched.json()["disabled_reason"] == "disabled"
    assert patched.json()["description"] is None
    again = (await client.patch(path, json={"enabled": True})).json()
    assert again["enabled"] is True and again["disabled_reason"] is None
    assert (await client.patch(path, json={"url": None})).status_code == 422
    assert (await client.patch(path, json={"event_types": ["nope"]})).status_code == 422
    assert (await client.patch(path, json={"url": "https://10.0.0.1/"})).status_code == 422
    rotated = await client.post(f"{path}/rotate-secret")
    assert rotated.status_code == 200 and rotated.json()["secret"] != hook["secret"]
    assert (await client.delete(path)).status_code == 204
    for method, url in (
        ("GET", path),
        ("DELETE", path),
        ("GET", "/v1/webhooks/not-a-uuid"),
        ("POST", f"{path}/rotate-secret"),
        ("GET", f"{path}/deliveries"),
    ):
        answer = await client.request(method, url)
        assert answer.status_code == 404
        assert answer.json()["code"] == "webhook_not_found"


async def test_at_most_50_endpoints(client: httpx.AsyncClient) -> None:
    for _ in range(50):
        assert (await register(client)).status_code == 201
    answer = await register(client)
    assert answer.status_code == 422
    assert "50" in answer.json()["detail"] or "50" in str(answer.json()["errors"])


async def test_replay_body_rules(client: httpx.AsyncClient) -> None:
    hook = (await register(client)).json()
    path = f"/v1/webhooks/{hook['id']}/replay"
    assert (await client.post(path, json={})).status_code == 422
    ids = ["3f0c8d2e-5b7a-4c1e-9f3a-2d6b8e1c4a7f"] * 101
    assert (await client.post(path, json={"event_ids": ids})).status_code == 422
    assert (await client.post(path, json={"after": "junk"})).status_code == 400
    answer = await client.post(path, json={"event_ids": ids[:1]})
    assert answer.status_code == 202 and answer.json() == {"queued": 0}
