"""Test support: play Secrets Manager's part in a rotation against ``moto`` (in-process).

Secrets Manager starts a rotation by attaching ``AWSPENDING`` to a new, still empty version
(the ``ClientRequestToken``) and then invokes the rotation function once per step. moto can
only invoke Lambda functions through Docker, so :func:`rotate_with_moto` does both parts in
process: it creates the empty pending version in moto's backend and calls the steps of
:class:`~platform_auth_apikey.rotation.Rotation` itself. Needs ``moto`` (a dev dependency).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from platform_auth_apikey.rotation import STEPS, Rotation

if TYPE_CHECKING:
    from mypy_boto3_secretsmanager import SecretsManagerClient
else:
    SecretsManagerClient = Any

MOTO_ACCOUNT = "123456789012"


def _moto_secret(client: SecretsManagerClient, secret_id: str) -> Any:
    from moto.secretsmanager.models import secretsmanager_backends

    backend = secretsmanager_backends[MOTO_ACCOUNT][client.meta.region_name]
    return backend.secrets[secret_id]


def enable_rotation(client: SecretsManagerClient, secret_id: str) -> None:
    """Mark the secret as rotating (what ``rotate_secret`` with a Lambda ARN does)."""
    secret = _moto_secret(client, secret_id)
    secret.rotation_requested = True
    secret.rotation_enabled = True
    secret.rotation_lambda_arn = (
        f"arn:aws:lambda:{client.meta.region_name}:{MOTO_ACCOUNT}:function:rotate"
    )
    secret.auto_rotate_after_days = 30


def start_rotation(client: SecretsManagerClient, secret_id: str) -> str:
    """Attach AWSPENDING to a new empty version, as Secrets Manager does; return its id."""
    secret = _moto_secret(client, secret_id)
    token = str(uuid.uuid4())
    secret.remove_version_stages_from_old_versions(["AWSPENDING"])
    secret.versions[token] = {
        "createdate": int(time.time()),
        "version_id": token,
        "version_stages": ["AWSPENDING"],
    }
    return token


def rotate_with_moto(
    client: SecretsManagerClient,
    secret_id: str,
    *,
    between_steps: Callable[[str], None] | None = None,
    **rotation_options: Any,
) -> str:
    """A whole rotation: start it, run the four steps (``between_steps(step)`` is called after
    each one), return the new version id."""
    enable_rotation(client, secret_id)
    token = start_rotation(client, secret_id)
    rotation = Rotation(client, secret_id, token, **rotation_options)
    for step in STEPS:
        rotation.run(step)
        if between_steps is not None:
            between_steps(step)
    return token
