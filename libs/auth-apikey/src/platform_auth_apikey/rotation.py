"""AWS Secrets Manager rotation function for API keys (a Lambda handler).

Handler: ``platform_auth_apikey.rotation.lambda_handler``. Secrets Manager calls it four times
per rotation with the same ``ClientRequestToken`` (the new version's id):

* ``createSecret``: a new strong key (``secrets.token_urlsafe(32)``) is stored as the
  ``AWSPENDING`` version; other fields of the current JSON are kept. Services accept pending
  keys, so they start accepting it at their next refresh.
* ``setSecret``: nothing to push anywhere (services read the accepted keys from this secret);
  checks the pending value.
* ``testSecret``: checks the pending value and waits until it has existed for
  ``KEY_PROPAGATION_SECONDS`` (env; set it above the services' ``API_KEYS_CACHE_SECONDS``), so
  that every service instance accepts the new key before clients are told to use it.
* ``finishSecret``: moves ``AWSCURRENT`` to the new version; Secrets Manager moves
  ``AWSPREVIOUS`` to the old one, which therefore stays valid until the next rotation.

Every step is idempotent: a retried step with the same token finds its work done and returns.
This module depends only on the standard library and boto3 (present in the Lambda runtime), so
the function's package holds this file alone.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mypy_boto3_secretsmanager import SecretsManagerClient
else:
    SecretsManagerClient = Any

log = logging.getLogger("platform_auth_apikey.rotation")
log.setLevel(logging.INFO)

SECRET_FIELD = "api_key"  # noqa: S105 - the JSON field name, not a secret
KEY_BYTES = 32  # token_urlsafe(32): 43 characters, 256 bits of entropy
STEPS = ("createSecret", "setSecret", "testSecret", "finishSecret")
# Seconds kept in reserve before the Lambda deadline when waiting in testSecret.
_DEADLINE_MARGIN = 10.0


class RotationError(Exception):
    """The rotation cannot proceed (the message never contains a key)."""


def new_key() -> str:
    return secrets.token_urlsafe(KEY_BYTES)


def read_secret(secret_string: str | None) -> dict[str, Any]:
    """The secret's JSON object; ``api_key`` must be a non-empty string."""
    try:
        value = json.loads(secret_string or "")
    except ValueError:
        raise RotationError("SecretString is not JSON") from None
    if not isinstance(value, dict) or not isinstance(value.get(SECRET_FIELD), str):
        raise RotationError(f'SecretString has no string field "{SECRET_FIELD}"')
    if len(value[SECRET_FIELD].strip()) < 16:
        raise RotationError("the key is shorter than 16 characters")
    return value


def _not_found(exc: Exception) -> bool:
    response = getattr(exc, "response", None)
    code = response.get("Error", {}).get("Code") if isinstance(response, dict) else None
    return code == "ResourceNotFoundException"


class Rotation:
    """The four steps against one secret and one new version (``token``)."""

    def __init__(
        self,
        client: SecretsManagerClient,
        secret_id: str,
        token: str,
        *,
        propagation_seconds: float = 0.0,
        time_left: Callable[[], float] = lambda: float("inf"),
        sleep: Callable[[float], None] = time.sleep,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.client = client
        self.secret_id = secret_id
        self.token = token
        self.propagation_seconds = propagation_seconds
        self.time_left = time_left
        self.sleep = sleep
        self.now = now

    def run(self, step: str) -> None:
        if step not in STEPS:
            raise RotationError(f"unknown step {step!r}")
        stages = self._stages_of_token()
        if stages is None:
            return
        log.info("rotation step", extra={"step": step, "secret_id": self.secret_id})
        {
            "createSecret": self.create,
            "setSecret": self.set,
            "testSecret": self.test,
            "finishSecret": self.finish,
        }[step]()

    def _stages_of_token(self) -> list[str] | None:
        """The token's stages, or None when it is already current (nothing left to do)."""
        metadata = self.client.describe_secret(SecretId=self.secret_id)
        if not metadata.get("RotationEnabled"):
            raise RotationError(f"rotation is not enabled on secret {self.secret_id}")
        versions = metadata.get("VersionIdsToStages", {})
        if self.token not in versions:
            raise RotationError(f"version {self.token} is not a version of {self.secret_id}")
        stages = versions[self.token]
        if "AWSCURRENT" in stages:
            log.info("version already current", extra={"secret_id": self.secret_id})
            return None
        if "AWSPENDING" not in stages:
            raise RotationError(f"version {self.token} is not pending rotation")
        return stages

    def _pending(self) -> dict[str, Any]:
        return self.client.get_secret_value(  # type: ignore[return-value]
            SecretId=self.secret_id, VersionId=self.token, VersionStage="AWSPENDING"
        )

    def _current(self) -> dict[str, Any]:
        value = self.client.get_secret_value(SecretId=self.secret_id, VersionStage="AWSCURRENT")
        return read_secret(value.get("SecretString"))

    def create(self) -> None:
        current = self._current()
        try:
            read_secret(self._pending().get("SecretString"))
            log.info("pending key exists already", extra={"secret_id": self.secret_id})
            return
        except Exception as exc:
            if not _not_found(exc):
                raise
        self.client.put_secret_value(
            SecretId=self.secret_id,
            ClientRequestToken=self.token,
            SecretString=json.dumps({**current, SECRET_FIELD: new_key()}),
            VersionStages=["AWSPENDING"],
        )
        log.info("pending key created", extra={"secret_id": self.secret_id})

    def set(self) -> None:
        # The services read AWSPENDING themselves: no downstream system to configure.
        self._check_pending()

    def test(self) -> None:
        created = self._check_pending()
        while True:
            age = (self.now() - created).total_seconds()
            wait = self.propagation_seconds - age
            if wait <= 0:
                return
            if wait > self.time_left() - _DEADLINE_MARGIN:
                raise RotationError(
                    f"the new key needs {wait:.0f} s more to reach every service; "
                    "raise the function's timeout above KEY_PROPAGATION_SECONDS"
                )
            log.info("waiting for the new key to propagate", extra={"seconds": round(wait, 1)})
            self.sleep(wait)

    def _check_pending(self) -> datetime:
        pending = self._pending()
        new = read_secret(pending.get("SecretString"))[SECRET_FIELD]
        if new == self._current()[SECRET_FIELD]:
            raise RotationError("the pending key equals the current key")
        created: datetime = pending.get("CreatedDate") or self.now()
        return created if created.tzinfo else created.replace(tzinfo=UTC)

    def finish(self) -> None:
        metadata = self.client.describe_secret(SecretId=self.secret_id)
        current = next(
            version
            for version, stages in metadata.get("VersionIdsToStages", {}).items()
            if "AWSCURRENT" in stages
        )
        if current == self.token:
            return
        self.client.update_secret_version_stage(
            SecretId=self.secret_id,
            VersionStage="AWSCURRENT",
            MoveToVersionId=self.token,
            RemoveFromVersionId=current,
        )
        log.info(
            "new key is current; the old one is AWSPREVIOUS", extra={"secret_id": self.secret_id}
        )


def lambda_handler(event: dict[str, Any], context: Any) -> None:
    """The Lambda entry point (``Step``, ``SecretId``, ``ClientRequestToken`` in ``event``)."""
    import boto3

    def time_left() -> float:
        getter = getattr(context, "get_remaining_time_in_millis", None)
        return getter() / 1000.0 if getter else float("inf")

    rotation = Rotation(
        boto3.client("secretsmanager"),
        event["SecretId"],
        event["ClientRequestToken"],
        propagation_seconds=float(os.environ.get("KEY_PROPAGATION_SECONDS", "0")),
        time_left=time_left,
    )
    rotation.run(event["Step"])
