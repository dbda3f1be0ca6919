"""The rotation function's four steps against moto's Secrets Manager."""

import json
import logging
import subprocess
import sys
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from platform_auth_apikey.rotation import Rotation, RotationError, lambda_handler
from platform_auth_apikey.testing import enable_rotation, rotate_with_moto, start_rotation

FIRST = "first-key-0123456789abcdefghij"
SCRIPT = Path(__file__).parents[1] / "scripts" / "build_rotation_lambda.py"


def make_secret(sm: Any, name: str = "cathouse-api-key") -> str:
    sm.create_secret(Name=name, SecretString=json.dumps({"api_key": FIRST, "client": "cathouse"}))
    return name


def staged(sm: Any, name: str, stage: str) -> dict[str, Any]:
    value = json.loads(sm.get_secret_value(SecretId=name, VersionStage=stage)["SecretString"])
    assert isinstance(value, dict)
    return value


def test_rotation_makes_a_new_current_key_and_keeps_the_old_one_as_previous(sm: Any) -> None:
    name = make_secret(sm)
    token = rotate_with_moto(sm, name)
    current = staged(sm, name, "AWSCURRENT")
    assert current["client"] == "cathouse"  # other fields are kept
    assert current["api_key"] != FIRST
    assert len(current["api_key"]) == 43  # token_urlsafe(32)
    assert staged(sm, name, "AWSPREVIOUS")["api_key"] == FIRST
    stages = sm.describe_secret(SecretId=name)["VersionIdsToStages"]
    assert "AWSCURRENT" in stages[token]

    rotate_with_moto(sm, name)  # the next rotation retires the first key
    accepted = {
        staged(sm, name, stage)["api_key"] for stage in ("AWSCURRENT", "AWSPREVIOUS", "AWSPENDING")
    }
    assert FIRST not in accepted
    assert current["api_key"] == staged(sm, name, "AWSPREVIOUS")["api_key"]


def test_every_step_is_idempotent(sm: Any) -> None:
    name = make_secret(sm)
    enable_rotation(sm, name)
    token = start_rotation(sm, name)
    rotation = Rotation(sm, name, token)
    rotation.run("createSecret")
    pending = staged(sm, name, "AWSPENDING")["api_key"]
    for step in ("createSecret", "setSecret", "testSecret", "finishSecret", "finishSecret"):
        rotation.run(step)  # retried: finds its work done
    assert staged(sm, name, "AWSCURRENT")["api_key"] == pending
    assert staged(sm, name, "AWSPREVIOUS")["api_key"] == FIRST
    assert len(sm.list_secret_version_ids(SecretId=name)["Versions"]) == 2


def test_steps_refuse_a_secret_or_version_not_under_rotation(sm: Any) -> None:
    name = make_secret(sm)
    with pytest.raises(RotationError, match="not enabled"):
        Rotation(sm, name, "nope").run("createSecret")
    enable_rotation(sm, name)
    with pytest.raises(RotationError, match="not a version"):
        Rotation(sm, name, "00000000-0000-0000-0000-000000000000").run("createSecret")
    token = start_rotation(sm, name)
    with pytest.raises(RotationError, match="unknown step"):
        Rotation(sm, name, token).run("dropSecret")
    sm.update_secret_version_stage(
        SecretId=name, VersionStage="AWSPENDING", RemoveFromVersionId=token
    )
    with pytest.raises(RotationError, match="not pending"):
        Rotation(sm, name, token).run("createSecret")


def test_test_step_waits_until_services_have_refreshed(sm: Any) -> None:
    name = make_secret(sm)
    enable_rotation(sm, name)
    token = start_rotation(sm, name)
    Rotation(sm, name, token).run("createSecret")
    clock = [datetime.now(UTC)]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock[0] += timedelta(seconds=seconds)

    waiting = Rotation(sm, name, token, propagation_seconds=330, sleep=sleep, now=lambda: clock[0])
    waiting.run("testSecret")
    assert len(slept) == 1
    assert 325 < slept[0] <= 331
    hurried = Rotation(
        sm, name, token, propagation_seconds=3600, time_left=lambda: 900.0, now=lambda: clock[0]
    )
    with pytest.raises(RotationError, match="timeout"):
        hurried.run("testSecret")


def test_a_malformed_current_secret_stops_the_rotation(sm: Any) -> None:
    sm.create_secret(Name="bad", SecretString="not json")
    enable_rotation(sm, "bad")
    token = start_rotation(sm, "bad")
    with pytest.raises(RotationError, match="not JSON"):
        Rotation(sm, "bad", token).run("createSecret")


def test_lambda_handler_runs_a_rotation_and_never_logs_a_key(
    sm: Any, caplog: pytest.LogCaptureFixture
) -> None:
    name = make_secret(sm)
    enable_rotation(sm, name)
    token = start_rotation(sm, name)
    caplog.set_level(logging.DEBUG, logger="platform_auth_apikey")
    caplog.set_level(logging.INFO)  # the Lambda runtime's level; botocore DEBUG shows bodies
    for step in ("createSecret", "setSecret", "testSecret", "finishSecret"):
        event = {"Step": step, "SecretId": name, "ClientRequestToken": token}
        lambda_handler(event, None)
    new = staged(sm, name, "AWSCURRENT")["api_key"]
    assert new != FIRST
    logged = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    assert "rotation step" in logged
    assert FIRST not in logged
    assert new not in logged


def test_package_holds_only_the_rotation_module(tmp_path: Path) -> None:
    output = tmp_path / "rotation.zip"
    subprocess.run([sys.executable, str(SCRIPT), str(output)], check=True, capture_output=True)
    with zipfile.ZipFile(output) as archive:
        assert archive.namelist() == ["platform_auth_apikey/rotation.py"]
    again = tmp_path / "again.zip"
    subprocess.run([sys.executable, str(SCRIPT), str(again)], check=True, capture_output=True)
    assert output.read_bytes() == again.read_bytes()  # reproducible
    # Lambda unpacks the zip into /var/task; the handler then imports with the standard
    # library only (-S: no site-packages, so no FastAPI and no platform_auth_apikey install).
    task_root = tmp_path / "task"
    with zipfile.ZipFile(output) as archive:
        archive.extractall(task_root)
    probe = (
        f"import sys; sys.path.insert(0, {str(task_root)!r}); "
        "from platform_auth_apikey.rotation import lambda_handler; print(lambda_handler.__name__)"
    )
    result = subprocess.run(
        [sys.executable, "-S", "-c", probe], check=True, capture_output=True, text=True
    )
    assert result.stdout.strip() == "lambda_handler"
