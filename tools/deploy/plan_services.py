"""Which services the deploy workflow builds, migrates and rolls out, as a GitHub matrix.

    python tools/deploy/plan_services.py --environment staging [--base <commit>]

The list of services is the ``services`` map of the environment's Terraform root
(``infra/envs/<env>/main.tf``, the one ``module "platform"`` call): adding a service there is
all the deploy workflow needs. A service is deployed when its folder ``services/<name>``, any
lib, the image recipe (``docker/``) or the workspace's lock and configuration changed since
``--base`` (no base: every service). Prints the JSON list of matrix entries:

    [{"service": "task-manager", "also": "task-manager-worker",
      "migration_family": "task-manager-migrate-staging"}]

``also`` names the service's worker (rolled out with it after the migration), or is empty.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import hcl2

REPO = Path(__file__).resolve().parents[2]
# Paths every service's image is built from, besides services/<name>.
SHARED_PATHS = ("libs", "docker", "uv.lock", "pyproject.toml", ".uv-version", ".dockerignore")


def _unquote(value: Any) -> Any:
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


def services_of(environment: str, repo: Path = REPO) -> dict[str, dict[str, Any]]:
    """The ``services`` entries of ``infra/envs/<environment>``'s platform call, by name."""
    root = repo / "infra" / "envs" / environment
    if not root.is_dir():
        raise SystemExit(f"no Terraform root {root}")
    for tf_file in sorted(root.glob("*.tf")):
        with tf_file.open(encoding="utf-8") as handle:
            document = hcl2.load(handle)
        for block in document.get("module", []):
            for name, body in block.items():
                if _unquote(name) == "platform":
                    services = body["services"]
                    return {str(_unquote(key)): value for key, value in services.items()}
    raise SystemExit(f'{root}: no module "platform" with services')


def plan(
    environment: str, changed: Iterable[str] | None, repo: Path = REPO
) -> list[dict[str, str]]:
    """Matrix entries of the services to deploy; ``changed`` None means every service."""
    changed_paths = None if changed is None else list(changed)
    entries = []
    for name, entry in sorted(services_of(environment, repo).items()):
        if changed_paths is not None:
            prefixes = (f"services/{name}", *SHARED_PATHS)
            if not any(
                path == p or path.startswith(p + "/") for path in changed_paths for p in prefixes
            ):
                continue
        worker = entry.get("worker")
        entries.append(
            {
                "service": name,
                "also": f"{name}-worker" if worker else "",
                "migration_family": f"{name}-migrate-{environment}",
            }
        )
    return entries


def changed_since(base: str, repo: Path = REPO) -> list[str]:
    answer = subprocess.run(  # noqa: S603 - no shell, a commit id as one argument
        ["git", "diff", "--name-only", base, "HEAD"],  # noqa: S607 - git from PATH
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    )
    return [line for line in answer.stdout.splitlines() if line]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="plan_services", description=__doc__)
    parser.add_argument("--environment", required=True, choices=["staging", "production"])
    parser.add_argument("--base", default="", help="commit to diff against (empty: everything)")
    args = parser.parse_args(argv)
    changed = changed_since(args.base) if args.base else None
    sys.stdout.write(json.dumps(plan(args.environment, changed)) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
