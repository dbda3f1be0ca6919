"""Accepted keys from AWS Secrets Manager, cached and refreshed in the background.

One secret per client application; every version's ``SecretString`` is JSON
``{"api_key": "<key>"}``. The keys of the versions labelled ``AWSCURRENT``, ``AWSPREVIOUS`` and
``AWSPENDING`` are accepted, so a rotation never locks a client out: the new key is accepted
from the moment it is created (pending), the old one until the next rotation retires it.

Requests never wait for AWS: :meth:`SecretsManagerKeySource.keys` returns the cached set, and
an asyncio task refreshes it every ``ttl_seconds`` (boto3 runs in a worker thread). When a
refresh fails the last good set stays in force; when no set was ever obtained, ``keys()``
raises :class:`KeysUnavailableError` (fail closed) and ``ready`` is false.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from platform_auth_apikey.errors import KeysUnavailableError
from platform_auth_apikey.keys import MAX_KEY_LENGTH, MIN_KEY_LENGTH, KeySet

if TYPE_CHECKING:
    from mypy_boto3_secretsmanager import SecretsManagerClient
else:
    SecretsManagerClient = Any

log = logging.getLogger("platform_auth_apikey.secrets_manager")

ACCEPTED_STAGES = ("AWSCURRENT", "AWSPREVIOUS", "AWSPENDING")
SECRET_FIELD = "api_key"  # noqa: S105 - the JSON field name, not a secret
ClientFactory = Callable[[], SecretsManagerClient]


def quiet_sdk_loggers() -> None:
    """botocore logs request and response bodies (the keys!) at DEBUG: keep the SDK's loggers
    at INFO or above whatever the service's log level."""
    for name in ("botocore", "boto3", "s3transfer"):
        logger = logging.getLogger(name)
        if logger.getEffectiveLevel() < logging.INFO:
            logger.setLevel(logging.INFO)


class SecretFormatError(ValueError):
    """A secret version does not hold ``{"api_key": "<key>"}`` (the value is never shown)."""


def parse_secret_string(secret_string: str | None) -> str:
    """The key held by a secret version's ``SecretString``."""
    try:
        value = json.loads(secret_string or "")
    except ValueError:
        raise SecretFormatError("SecretString is not JSON") from None
    key = value.get(SECRET_FIELD) if isinstance(value, dict) else None
    if not isinstance(key, str):
        raise SecretFormatError(f'SecretString has no string field "{SECRET_FIELD}"')
    key = key.strip()
    if not MIN_KEY_LENGTH <= len(key) <= MAX_KEY_LENGTH:
        raise SecretFormatError(f"the key must be {MIN_KEY_LENGTH}-{MAX_KEY_LENGTH} characters")
    return key


def _error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def fetch_secret_keys(client: SecretsManagerClient, secret_id: str) -> list[str]:
    """The keys of ``secret_id``'s accepted versions (blocking: run it in a thread).

    Raises when the secret or its ``AWSCURRENT`` value cannot be read; a malformed or vanished
    pending/previous version is skipped with a warning.
    """
    stages: set[str] = set()
    token: str | None = None
    while True:
        page = (
            client.list_secret_version_ids(SecretId=secret_id, NextToken=token)
            if token
            else client.list_secret_version_ids(SecretId=secret_id)
        )
        for version in page.get("Versions", []):
            stages.update(s for s in version.get("VersionStages", []) if s in ACCEPTED_STAGES)
        token = page.get("NextToken")
        if not token:
            break
    if "AWSCURRENT" not in stages:
        raise SecretFormatError(f"secret {secret_id} has no AWSCURRENT version")
    keys: list[str] = []
    for stage in ACCEPTED_STAGES:
        if stage not in stages:
            continue
        try:
            value = client.get_secret_value(SecretId=secret_id, VersionStage=stage)
            keys.append(parse_secret_string(value.get("SecretString")))
        except (ClientError, SecretFormatError) as exc:
            vanished = isinstance(exc, ClientError) and _error_code(exc) in (
                "ResourceNotFoundException",
                "InvalidRequestException",
            )
            if stage == "AWSCURRENT" or not (vanished or isinstance(exc, SecretFormatError)):
                raise
            # A rotation moved the label between the listing and the read, or the pending
            # version has no value yet: that version is simply not accepted.
            log.warning(
                "secret version skipped",
                extra={"secret_id": secret_id, "stage": stage, "reason": _reason(exc)},
            )
    return keys


def _reason(exc: BaseException) -> str:
    if isinstance(exc, ClientError):
        return _error_code(exc) or type(exc).__name__
    if isinstance(exc, SecretFormatError):
        return str(exc)
    return type(exc).__name__


class SecretsManagerKeySource:
    """A :class:`~platform_auth_apikey.KeySource` over one or more Secrets Manager secrets.

    ``client_factory`` builds the boto3 ``secretsmanager`` client (called once, in a thread, at
    :meth:`start`); ``extra_keys`` are accepted as well (``API_KEYS`` next to the secrets).
    ``retry_seconds`` is the pause after a failed refresh (default: a tenth of the TTL, at
    least 1 s); ``start_timeout`` bounds how long :meth:`start` waits for the first set.
    """

    def __init__(
        self,
        client_factory: ClientFactory,
        secret_ids: Sequence[str],
        *,
        ttl_seconds: float = 300.0,
        extra_keys: Iterable[str] = (),
        retry_seconds: float | None = None,
        start_timeout: float = 10.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if not secret_ids:
            raise ValueError("at least one secret id is required")
        if ttl_seconds <= 0:
            raise ValueError("ttl_seconds must be positive")
        self._client_factory = client_factory
        self._client: SecretsManagerClient | None = None
        self.secret_ids = tuple(secret_ids)
        self.ttl_seconds = ttl_seconds
        self.retry_seconds = retry_seconds or max(1.0, ttl_seconds / 10)
        self.start_timeout = start_timeout
        self._monotonic = monotonic
        self._extra = tuple(extra_keys)
        self._static = KeySet.from_keys(self._extra)
        self._keys: KeySet | None = None
        self._loaded_at: float | None = None
        self._task: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()

    # -- KeySource -------------------------------------------------------------------------

    def keys(self) -> KeySet:
        if self._keys is not None:
            return self._keys
        if len(self._static):
            return self._static
        raise KeysUnavailableError("no API keys obtained from AWS Secrets Manager yet")

    @property
    def ready(self) -> bool:
        return self._keys is not None

    async def start(self) -> None:
        """Load the first set (bounded by ``start_timeout``), then refresh in the background.
        A failed first load does not raise: the source stays closed and keeps retrying."""
        try:
            async with asyncio.timeout(self.start_timeout):
                await self.refresh()
        except TimeoutError:
            log.error("no API keys from AWS Secrets Manager within the start timeout")
        except Exception as exc:
            log.error("first API key load failed", extra={"error": _reason(exc)}, exc_info=True)
        self._task = asyncio.create_task(self._refresh_forever(), name="api-key-refresh")

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    # -- refreshing ------------------------------------------------------------------------

    @property
    def age_seconds(self) -> float | None:
        """Seconds since the key set in force was read from AWS (None: never)."""
        if self._loaded_at is None:
            return None
        return self._monotonic() - self._loaded_at

    async def refresh(self) -> KeySet:
        """Read every secret now and install the new set; raises (keeping the old set) on
        failure. Concurrent calls share one read."""
        async with self._lock:
            keys = await asyncio.to_thread(self._read_all)
            self._keys = keys
            self._loaded_at = self._monotonic()
            return keys

    def _read_all(self) -> KeySet:
        if self._client is None:
            quiet_sdk_loggers()
            self._client = self._client_factory()
        found: list[str] = list(self._extra)
        for secret_id in self.secret_ids:
            found.extend(fetch_secret_keys(self._client, secret_id))
        return KeySet.from_keys(found)

    async def _refresh_forever(self) -> None:
        delay = self.ttl_seconds if self.ready else self.retry_seconds
        while True:
            await asyncio.sleep(delay)
            try:
                keys = await self.refresh()
            except (BotoCoreError, ClientError, SecretFormatError, OSError) as exc:
                delay = self.retry_seconds
                log.warning(
                    "API key refresh failed; keeping the last good set",
                    extra={
                        "error": _reason(exc),
                        "ready": self.ready,
                        "age_s": round(self.age_seconds or 0.0, 1),
                    },
                )
            except Exception:  # never let the refresher die silently
                delay = self.retry_seconds
                log.exception("API key refresh crashed")
            else:
                delay = self.ttl_seconds
                log.debug("API keys refreshed", extra={"key_ids": list(keys.key_ids)})
