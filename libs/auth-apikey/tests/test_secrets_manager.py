"""The Secrets Manager key source: stages, caching, background refresh, failing closed."""

import asyncio
import json
import socket
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from moto.server import ThreadedMotoServer

from platform_auth_apikey import KeysUnavailableError, key_id
from platform_auth_apikey.secrets_manager import SecretsManagerKeySource
from platform_auth_apikey.testing import rotate_with_moto

REGION = "eu-west-1"
KEY_A = "cathouse-key-0123456789abcdef"
KEY_B = "finance-key-0123456789abcdef"
LOCAL = "local-key-0123456789abcdef"


def put(sm: Any, name: str, key: str) -> None:
    sm.create_secret(Name=name, SecretString=json.dumps({"api_key": key}))


def factory(sm: Any) -> Callable[[], Any]:
    return lambda: sm


async def test_reads_current_previous_and_pending_of_every_secret(sm: Any) -> None:
    put(sm, "cathouse", KEY_A)
    put(sm, "finance", KEY_B)
    source = SecretsManagerKeySource(factory(sm), ["cathouse", "finance"], extra_keys=[LOCAL])
    assert not source.ready
    await source.start()
    try:
        assert source.ready
        for key in (KEY_A, KEY_B, LOCAL):
            assert source.keys().verify(key) == key_id(key)
        rotate_with_moto(sm, "cathouse")
        keys = await source.refresh()
        current = sm.get_secret_value(SecretId="cathouse", VersionStage="AWSCURRENT")
        new = json.loads(current["SecretString"])["api_key"]
        assert keys.verify(new) is not None
        assert keys.verify(KEY_A) is not None  # AWSPREVIOUS
        rotate_with_moto(sm, "cathouse")
        keys = await source.refresh()
        assert keys.verify(KEY_A) is None  # retired by the next rotation
        assert keys.verify(new) is not None
    finally:
        await source.close()


async def test_a_malformed_pending_version_is_skipped(sm: Any) -> None:
    put(sm, "cathouse", KEY_A)
    sm.put_secret_value(SecretId="cathouse", SecretString="oops", VersionStages=["AWSPENDING"])
    source = SecretsManagerKeySource(factory(sm), ["cathouse"])
    keys = await source.refresh()
    assert len(keys) == 1
    assert keys.verify(KEY_A) is not None


async def test_fails_closed_when_no_key_set_was_ever_obtained(sm: Any) -> None:
    source = SecretsManagerKeySource(factory(sm), ["missing"], ttl_seconds=60)
    await source.start()  # does not raise: the service starts, not ready
    try:
        assert not source.ready
        with pytest.raises(KeysUnavailableError):
            source.keys()
    finally:
        await source.close()
    with_local = SecretsManagerKeySource(factory(sm), ["missing"], extra_keys=[LOCAL])
    assert with_local.keys().verify(LOCAL) is not None  # API_KEYS still work
    assert not with_local.ready


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def moto_server() -> Iterator[tuple[ThreadedMotoServer, str]]:
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield server, f"http://127.0.0.1:{port}"
    server.stop()


async def test_background_refresh_follows_rotation_and_survives_an_outage(
    moto_server: tuple[ThreadedMotoServer, str],
) -> None:
    server, endpoint = moto_server
    config = Config(connect_timeout=1, read_timeout=2, retries={"max_attempts": 1})
    sm = boto3.client("secretsmanager", region_name=REGION, endpoint_url=endpoint, config=config)
    put(sm, "cathouse", KEY_A)
    source = SecretsManagerKeySource(
        lambda: boto3.client(
            "secretsmanager", region_name=REGION, endpoint_url=endpoint, config=config
        ),
        ["cathouse"],
        ttl_seconds=0.3,
        retry_seconds=0.1,
    )
    await source.start()
    try:
        assert source.keys().verify(KEY_A) is not None
        sm.put_secret_value(SecretId="cathouse", SecretString=json.dumps({"api_key": KEY_B}))
        await asyncio.sleep(0.6)  # two TTLs: refreshed in the background
        assert source.keys().verify(KEY_B) is not None
        server.stop()  # AWS unreachable: the last good set stays in force
        await asyncio.sleep(0.6)
        assert source.ready
        assert source.keys().verify(KEY_B) is not None
        assert (source.age_seconds or 0) >= 0.3
    finally:
        await source.close()


def test_rejects_bad_arguments(sm: Any) -> None:
    with pytest.raises(ValueError, match="secret id"):
        SecretsManagerKeySource(factory(sm), [])
    with pytest.raises(ValueError, match="ttl"):
        SecretsManagerKeySource(factory(sm), ["x"], ttl_seconds=0)
