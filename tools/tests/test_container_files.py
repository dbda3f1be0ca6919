"""The local stack (compose.yaml) and the image recipe (Dockerfile) say what they must.

No Docker engine here: compose.yaml is parsed and checked for the contract the README
promises (PostgreSQL 16 healthy -> migrations once -> API with hot reload), its configuration
is fed to the service's own settings loader, and the bind mounts are checked against the tree.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from task_manager.settings import Environment, load_settings

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "docker" / "Dockerfile"
BUILD_VENV = ROOT / "docker" / "build-venv.sh"


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "compose.yaml").read_text())
    assert isinstance(data, dict)
    return data


def test_postgres_16_with_a_healthcheck(compose: dict[str, Any]) -> None:
    postgres = compose["services"]["postgres"]
    assert re.match(r"postgres:16(\.|-|$)", postgres["image"])
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])


def test_migrations_run_once_after_postgres_is_healthy(compose: dict[str, Any]) -> None:
    migrate = compose["services"]["migrate"]
    assert migrate["command"] == ["task-manager", "migrate"]
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert migrate["restart"] == "no"


def test_api_reloads_from_the_mounted_sources_after_the_migrations(
    compose: dict[str, Any],
) -> None:
    api = compose["services"]["api"]
    command = api["command"]
    assert command[:3] == ["task-manager", "serve", "--reload"]
    assert command[command.index("--host") + 1] == "0.0.0.0"  # noqa: S104
    assert api["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    mounts = {}
    for volume in api["volumes"]:
        host, container, *_ = volume.split(":")
        mounts[container] = ROOT / host
    # Every PYTHONPATH entry is a mounted source folder holding a package of this repository.
    for entry in api["environment"]["PYTHONPATH"].split(":"):
        mount = next(m for m in mounts if entry.startswith(m + "/"))
        on_host = mounts[mount] / entry.removeprefix(mount + "/")
        assert on_host.is_dir(), entry
        assert any((pkg / "__init__.py").exists() for pkg in on_host.iterdir()), entry
    assert any(e.endswith("task-manager/src") for e in api["environment"]["PYTHONPATH"].split(":"))


def test_the_stack_configuration_is_accepted_by_the_service(
    compose: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("API_KEYS_SECRET_ID", "ENV_FILE", "DATABASE_URL", "API_KEYS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(ROOT / "tools")  # no stray .env
    for name, value in compose["services"]["api"]["environment"].items():
        monkeypatch.setenv(name, str(value))
    settings = load_settings()
    assert settings.environment is Environment.DEVELOPMENT
    assert settings.database_url is not None
    assert "@postgres:5432/" in settings.database_url.get_secret_value()
    assert settings.plain_api_keys() == ["local-dev-key-0123456789"]


def test_dockerfile_runs_gunicorn_as_non_root_from_a_pinned_base() -> None:
    text = DOCKERFILE.read_text()
    assert 'CMD ["gunicorn", "--config", "/app/.venv/gunicorn.conf.py"]' in text
    # ... which build-venv.sh writes, importing the SERVICE's gunicorn_conf.
    assert "from %s.gunicorn_conf import *" in BUILD_VENV.read_text()
    assert re.search(r"^ARG SERVICE$", text, re.MULTILINE)
    assert re.search(r"^USER 10001:10001$", text, re.MULTILINE)
    assert re.search(r"ARG PYTHON_IMAGE=python:3\.12[\w.-]*-slim[\w.-]*@sha256:[0-9a-f]{64}", text)
    # The image's environment is built by the script tools/image_size/measure.py measures.
    assert 'bash docker/build-venv.sh /src /app/.venv "${SERVICE' in text
    assert "HEALTHCHECK" in text and "/health" in text
