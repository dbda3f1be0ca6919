"""End to end: the service reads its keys from Secrets Manager (moto) while a key rotates."""

import asyncio
import json
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import boto3
import httpx
import pytest
from fastapi import FastAPI
from moto import mock_aws

from platform_auth_apikey.rotation import STEPS, Rotation
from platform_auth_apikey.secrets_manager import quiet_sdk_loggers
from platform_auth_apikey.testing import enable_rotation, start_rotation
from task_manager.app import create_app
from task_manager.settings import Settings

REGION = "eu-west-1"
SECRET = "task-manager/cathouse"
FIRST_KEY = "first-cathouse-key-0123456789"
TTL = 1.0
# KEY_PROPAGATION_SECONDS > API_KEYS_CACHE_SECONDS; +1 s as moto keeps CreatedDate in whole seconds
PROPAGATION = TTL + 1.2


@pytest.fixture
def sm(monkeypatch: pytest.MonkeyPatch, log_secrets: set[str]) -> Iterator[Any]:
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    log_secrets.add(FIRST_KEY)
    quiet_sdk_loggers()  # as the service does: botocore logs bodies (keys) at DEBUG
    with mock_aws():
        client = boto3.client("secretsmanager", region_name=REGION)
        client.create_secret(Name=SECRET, SecretString=json.dumps({"api_key": FIRST_KEY}))
        yield client


@pytest.fixture
async def aws_app(settings: Settings, sm: Any) -> AsyncIterator[FastAPI]:
    aws = settings.model_copy(
        update={"api_keys": [], "api_keys_secret_id": [SECRET], "api_keys_cache_seconds": TTL}
    )
    application = create_app(aws)
    async with application.router.lifespan_context(application):
        yield application


async def status_with(app: FastAPI, key: str) -> int:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        response = await client.get("/v1/any", headers={"X-API-Key": key, "X-User-ID": "u-1"})
        return response.status_code  # 404: the key was accepted; 401: refused


def current_key(sm: Any) -> str:
    value = sm.get_secret_value(SecretId=SECRET, VersionStage="AWSCURRENT")
    key: str = json.loads(value["SecretString"])["api_key"]
    return key


async def rotate(sm: Any, app: FastAPI, keep_working: str, log_secrets: set[str]) -> str:
    """Run the four steps (in a thread, as Secrets Manager would, concurrently with traffic);
    ``keep_working`` must be accepted after every step. Returns the new current key."""
    enable_rotation(sm, SECRET)
    token = start_rotation(sm, SECRET)
    rotation = Rotation(sm, SECRET, token, propagation_seconds=PROPAGATION)
    for step in STEPS:
        await asyncio.to_thread(rotation.run, step)
        if step == "createSecret":
            pending = sm.get_secret_value(SecretId=SECRET, VersionStage="AWSPENDING")
            log_secrets.add(json.loads(pending["SecretString"])["api_key"])
        assert await status_with(app, keep_working) == 404, f"refused after {step}"
    return current_key(sm)


async def test_clients_keep_working_through_rotations(
    aws_app: FastAPI, sm: Any, log_secrets: set[str]
) -> None:
    ready = httpx.ASGITransport(app=aws_app)
    async with httpx.AsyncClient(transport=ready, base_url="http://t") as client:
        assert (await client.get("/health/ready")).status_code == 200
    assert await status_with(aws_app, FIRST_KEY) == 404
    assert await status_with(aws_app, "never-issued-key-0123456789") == 401

    second = await rotate(sm, aws_app, FIRST_KEY, log_secrets)
    assert second != FIRST_KEY
    # The client switches to AWSCURRENT at once: every instance already accepts it.
    assert await status_with(aws_app, second) == 404
    assert await status_with(aws_app, FIRST_KEY) == 404  # AWSPREVIOUS until the next rotation

    third = await rotate(sm, aws_app, second, log_secrets)
    retired_at = time.monotonic()
    while await status_with(aws_app, FIRST_KEY) != 401:
        assert time.monotonic() - retired_at < TTL + 0.5, "retired key still accepted"
        await asyncio.sleep(0.05)
    assert await status_with(aws_app, second) == 404
    assert await status_with(aws_app, third) == 404


async def test_fails_closed_without_any_key_from_aws(
    settings: Settings, sm: Any, api_key: str
) -> None:
    missing = settings.model_copy(
        update={
            "api_keys": [],
            "api_keys_secret_id": ["no/such/secret"],
            "api_keys_cache_seconds": TTL,
        }
    )
    app = create_app(missing)
    async with app.router.lifespan_context(app):
        assert await status_with(app, FIRST_KEY) == 401
        assert await status_with(app, api_key) == 401
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            ready = await client.get("/health/ready")
            assert ready.status_code == 503
            assert ready.json()["code"] == "service_unavailable"
            assert (await client.get("/health")).status_code == 200
