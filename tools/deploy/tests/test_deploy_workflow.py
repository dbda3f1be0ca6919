"""The deploy workflow is driven by the Terraform services map, one image recipe, per service.

Plain-text checks of .github/workflows/deploy.yml (actionlint checks its syntax).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
_PATH = REPO / ".github" / "workflows" / "deploy.yml"
# Pants runs this file in a sandbox without .github/: there it skips; CI runs it with the
# repository (infra.yml: ./dev test infra/tests tools/deploy).
pytestmark = pytest.mark.skipif(
    not _PATH.is_file(), reason="needs .github/ (not in Pants' sandbox)"
)
WORKFLOW = _PATH.read_text(encoding="utf-8") if _PATH.is_file() else ""


def _step(name: str) -> str:
    """The text of the step called ``name``, up to the next step."""
    start = WORKFLOW.index(f"- name: {name}\n")
    following = WORKFLOW.find("\n      - ", start + 1)
    return WORKFLOW[start : following if following != -1 else None]


def test_matrix_comes_from_the_plan_of_the_terraform_services() -> None:
    assert "tools/deploy/plan_services.py" in _step("Environment and changed services")
    assert "include: ${{ fromJSON(needs.plan.outputs.services) }}" in WORKFLOW
    assert "services/*/Dockerfile" not in WORKFLOW


def test_python_hcl2_pin_matches_uv_lock() -> None:
    lock = (REPO / "uv.lock").read_text(encoding="utf-8")
    locked = re.search(r'name = "python-hcl2"\nversion = "([^"]+)"', lock)
    assert locked is not None
    assert f"python-hcl2=={locked.group(1)}" in _step("Environment and changed services")


def test_image_is_built_from_the_shared_dockerfile_per_service() -> None:
    build = _step("Build and push")
    assert "file: docker/Dockerfile\n" in build
    assert "SERVICE=${{ matrix.service }}\n" in build
    assert "scope=${{ matrix.service }}" in build


def test_each_service_migrates_in_its_own_network_and_rolls_its_worker() -> None:
    step = _step("Migrate, roll the service and its worker, wait until stable")
    assert "MIGRATION_FAMILY: ${{ matrix.migration_family }}" in step
    assert "ALSO: ${{ matrix.also }}" in step
    assert "--also-service" in step
    # No environment-wide network variables: one security group for every service was the bug.
    assert "MIGRATION_SECURITY_GROUP_IDS" not in WORKFLOW
    assert "--security-groups" not in step
