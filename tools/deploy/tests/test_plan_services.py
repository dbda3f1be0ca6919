"""plan_services: the deploy matrix comes from the environment's Terraform services map."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location(
    "plan_services", Path(__file__).resolve().parents[1] / "plan_services.py"
)
assert _spec is not None and _spec.loader is not None
plan_services = importlib.util.module_from_spec(_spec)
sys.modules["plan_services"] = plan_services
_spec.loader.exec_module(plan_services)

REPO = Path(__file__).resolve().parents[3]
# Pants runs this file in a sandbox without infra/ (ignored by Pants) and .github/: there it
# skips; CI runs it with the repository (infra.yml: ./dev test infra/tests tools/deploy).
pytestmark = pytest.mark.skipif(
    not (REPO / "infra" / "envs" / "staging" / "main.tf").is_file(),
    reason="needs the repository's infra/envs (not in the Pants sandbox)",
)
TASK_MANAGER = {
    "service": "task-manager",
    "also": "task-manager-worker",
    "migration_family": "task-manager-migrate-staging",
}


# Other services may stand beside the task-manager (./dev new-service adds one in CI's copy):
# these tests look at the task-manager's entry only.
def _task_manager(matrix: list[dict[str, str]]) -> list[dict[str, str]]:
    return [entry for entry in matrix if entry["service"] == "task-manager"]


def test_every_service_of_the_environment_without_a_base() -> None:
    assert _task_manager(plan_services.plan("staging", None)) == [TASK_MANAGER]
    production = _task_manager(plan_services.plan("production", None))
    assert production[0]["migration_family"] == "task-manager-migrate-production"


@pytest.mark.parametrize(
    ("changed", "deployed"),
    [
        (["services/task-manager/src/task_manager/app.py"], True),
        (["libs/db/src/platform_db/pool.py"], True),
        (["docker/Dockerfile"], True),
        (["uv.lock"], True),
        (["docs/operations.md", "infra/envs/staging/main.tf"], False),
        (["services/task-manager-extra/x.py"], False),  # another service with a longer name
        ([], False),
    ],
)
def test_a_service_is_deployed_when_its_image_inputs_changed(
    changed: list[str], deployed: bool
) -> None:
    assert (_task_manager(plan_services.plan("staging", changed)) == [TASK_MANAGER]) is deployed


def test_a_new_services_entry_is_all_the_workflow_needs(tmp_path: Path) -> None:
    """The scaffold adds one entry per environment; the matrix picks it up. (A name no real
    service takes: a generated email-manager may already be in the map.)"""
    env = tmp_path / "infra" / "envs" / "staging"
    env.mkdir(parents=True)
    main_tf = (REPO / "infra" / "envs" / "staging" / "main.tf").read_text(encoding="utf-8")
    entry = """
    "fixture-mailer" = {
      listener_rule_priority = 200
      subdomain              = "fixture-mailer"
    }
"""
    marker = "  services = {\n"
    assert marker in main_tf
    (env / "main.tf").write_text(main_tf.replace(marker, marker + entry, 1), encoding="utf-8")
    shutil.copy(REPO / "infra" / "envs" / "staging" / "variables.tf", env / "variables.tf")

    matrix = plan_services.plan("staging", ["services/fixture-mailer/src/x.py"], repo=tmp_path)

    assert matrix == [
        {
            "service": "fixture-mailer",
            "also": "",
            "migration_family": "fixture-mailer-migrate-staging",
        }
    ]
    everyone = plan_services.plan("staging", None)
    assert len(plan_services.plan("staging", None, repo=tmp_path)) == len(everyone) + 1


def test_cli_prints_the_matrix(capsys: pytest.CaptureFixture[str]) -> None:
    assert plan_services.main(["--environment", "staging"]) == 0
    assert _task_manager(json.loads(capsys.readouterr().out)) == [TASK_MANAGER]
