"""``./dev new-service NAME [--resource PLURAL]``: a working sibling service on the kit.

Renders ``tools/scaffold/template/`` (Jinja2) into ``services/NAME/`` (package NAME with "-"
as "_"): settings, errors, app, CLI, gunicorn config, migration 0001, one example resource
(``POST /v1/PLURAL``, ``GET /v1/PLURAL/{id}``, scoped by ``X-User-ID``), tests through HTTP,
BUILD files and env templates. Then it adds what root files must know and cannot derive:
its image target (``service_image("NAME")`` in ``docker/BUILD``) and the Terraform
``services`` entry of every ``infra/envs/*/main.tf`` (listener priority and subdomain chosen
from those in use). Finally
``uv lock``, and a check that Pants' lockfile needs no regeneration. Nothing is written unless
every check passes; a bad NAME is refused with the reason.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import keyword
import os
import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import hcl2
import jinja2

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
TEMPLATE = HERE / "template"
SNIPPETS = HERE / "snippets"
# Terraform's rule for a service name (infra/modules/platform: 2-20 of [a-z0-9-], a letter
# first), and a DNS label: no "-" at the end.
NAME_PATTERN = re.compile(r"[a-z][a-z0-9-]{0,18}[a-z0-9]")
RESOURCE_PATTERN = re.compile(r"[a-z][a-z_]{0,28}[a-z]")
# Modules of the generated package a resource must not shadow.
RESERVED_RESOURCES = {"app", "cli", "errors", "settings", "migrations", "gunicorn_conf", "tests"}
PRIORITY_STEP = 100
MAX_PRIORITY = 50_000  # an ALB listener rule's highest priority


class ScaffoldError(Exception):
    """The service cannot be generated; the message says why."""


@dataclass(frozen=True)
class Plan:
    service: str
    package: str
    resource: str
    singular: str
    priority: int
    subdomain: str

    def context(self) -> dict[str, Any]:
        return {
            "service": self.service,
            "package": self.package,
            "title": self.service.replace("-", " ").title(),
            "resource": self.resource,
            "singular": self.singular,
            "Singular": self.singular.replace("_", " ").title().replace(" ", ""),
            "id_param": "{" + self.singular + "_id}",
            "priority": self.priority,
            "subdomain": self.subdomain,
        }


def check_name(name: str, repo: Path) -> str:
    """The service's import package, or ScaffoldError saying what is wrong with NAME."""
    if not NAME_PATTERN.fullmatch(name) or "--" in name:
        raise ScaffoldError(
            f"{name!r} is not a valid service name: use a lower-case DNS label of 2-20 "
            "characters (a-z, 0-9 and '-', a letter first, no '-' at the end or twice in a "
            "row), e.g. email-manager"
        )
    package = name.replace("-", "_")
    if keyword.iskeyword(package) or package in sys.stdlib_module_names:
        raise ScaffoldError(f"{name!r}: its package {package!r} would shadow Python's own module")
    if (repo / "services" / name).exists():
        raise ScaffoldError(f"services/{name} already exists")
    ours = {p.name for p in repo.glob("*/*/src/*") if (p / "__init__.py").exists()}
    if package in ours:
        raise ScaffoldError(f"{name!r}: a package named {package!r} already exists in the repo")
    distributions = {
        _normalise(tomllib.loads(p.read_text())["project"]["name"])
        for p in repo.glob("*/*/pyproject.toml")
    }
    if _normalise(name) in distributions or _installed(name):
        raise ScaffoldError(f"{name!r} is already the name of a distribution")
    spec = importlib.util.find_spec(package)
    if spec is not None and repo not in Path(spec.origin or "").parents:
        raise ScaffoldError(f"{name!r}: {package!r} is already an installed package")
    return package


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _installed(name: str) -> bool:
    try:
        importlib.metadata.distribution(name)
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


def check_resource(resource: str, singular: str | None) -> str:
    """The singular of the resource (``items`` -> ``item``), or ScaffoldError."""
    if not RESOURCE_PATTERN.fullmatch(resource) or not resource.endswith("s"):
        raise ScaffoldError(
            f"--resource {resource!r}: use a plural lower-case name of letters and '_', "
            "ending in 's' (e.g. messages)"
        )
    if resource in RESERVED_RESOURCES:
        raise ScaffoldError(f"--resource {resource!r} would shadow the service's own module")
    singular = singular or resource[:-1]
    if not RESOURCE_PATTERN.fullmatch(singular) or keyword.iskeyword(singular):
        raise ScaffoldError(f"--singular {singular!r}: a lower-case name of letters and '_'")
    return singular


def terraform_services(repo: Path) -> dict[Path, dict[str, dict[str, Any]]]:
    """The ``services`` map of the platform call of each environment root, by main.tf."""
    found: dict[Path, dict[str, dict[str, Any]]] = {}
    for main_tf in sorted(repo.glob("infra/envs/*/main.tf")):
        with main_tf.open(encoding="utf-8") as handle:
            document = hcl2.load(handle)
        calls = [b[k] for b in document.get("module", []) for k in b if k.strip('"') == "platform"]
        if not calls:
            raise ScaffoldError(f'{main_tf.relative_to(repo)}: no module "platform" call')
        services = calls[0].get("services") or {}
        found[main_tf] = {key.strip('"'): value for key, value in services.items()}
    return found


def choose_routing(name: str, envs: dict[Path, dict[str, dict[str, Any]]]) -> tuple[int, str]:
    """The next free listener priority (a multiple of 100) and subdomain in every environment:
    the name's first word (email-manager: email) unless taken, else the whole name."""
    if any(name in services for services in envs.values()):
        raise ScaffoldError(f"{name!r} already has a Terraform services entry")
    entries = [entry for services in envs.values() for entry in services.values()]
    used = [int(str(e.get("listener_rule_priority", 0))) for e in entries]
    priority = (max(used, default=0) // PRIORITY_STEP + 1) * PRIORITY_STEP
    if priority > MAX_PRIORITY:
        raise ScaffoldError("no listener rule priority left below 50000")
    taken = {str(e.get("subdomain")).strip('"') for e in entries}
    subdomain = next((s for s in (name.split("-")[0], name) if s not in taken), None)
    if subdomain is None:
        raise ScaffoldError(f"subdomains {name.split('-')[0]!r} and {name!r} are both taken")
    return priority, subdomain


def _environment(directory: Path) -> jinja2.Environment:
    # Renders source code and configuration, never HTML: nothing to escape.
    return jinja2.Environment(  # noqa: S701
        loader=jinja2.FileSystemLoader(directory),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def render_files(plan: Plan) -> dict[Path, str]:
    """Every new file (relative to the repository) and its text."""
    env, context = _environment(TEMPLATE), plan.context()
    files: dict[Path, str] = {}
    for template in sorted(TEMPLATE.rglob("*.jinja")):
        relative = template.relative_to(TEMPLATE).as_posix()
        target = env.from_string(relative.removesuffix(".jinja")).render(context)
        files[Path(target)] = env.get_template(relative).render(context)
    return files


def insert_service_entry(text: str, entry: str) -> str:
    """``text`` (an environment's main.tf) with ``entry`` added at the end of its services map."""
    start = re.search(r"^[ \t]*services[ \t]*=[ \t]*\{[ \t]*$", text, re.MULTILINE)
    if start is None:
        raise ScaffoldError("no 'services = {' line in the environment's main.tf")
    close = _closing_brace(text, start.end() - 1)
    line_start = text.rfind("\n", 0, close) + 1
    if text[line_start:close].strip():
        raise ScaffoldError("the services map must end with '}' on a line of its own")
    return text[:line_start] + entry + text[line_start:]


def _closing_brace(text: str, opening: int) -> int:
    """The index of the '}' closing the '{' at ``opening`` (strings and comments skipped)."""
    depth, i, in_string = 0, opening, False
    while i < len(text):
        char = text[i]
        if in_string:
            if char == "\\":
                i += 1
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char == "#" or text.startswith("//", i):
            i = text.find("\n", i)
            if i < 0:
                break
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise ScaffoldError("unbalanced braces in the services map")


def plan_service(repo: Path, name: str, resource: str, singular: str | None) -> Plan:
    package = check_name(name, repo)
    singular = check_resource(resource, singular)
    priority, subdomain = choose_routing(name, terraform_services(repo))
    return Plan(name, package, resource, singular, priority, subdomain)


def generate(repo: Path, plan: Plan) -> list[Path]:
    """Write the service and the root edits; the paths touched, relative to ``repo``."""
    files = render_files(plan)
    snippets, context = _environment(SNIPPETS), plan.context()
    edits: dict[Path, str] = {}
    docker_build = Path("docker/BUILD")
    edits[docker_build] = (repo / docker_build).read_text() + snippets.get_template(
        "docker_image.BUILD.jinja"
    ).render(context)
    entry = snippets.get_template("services_entry.tf.jinja").render(context)
    for main_tf in terraform_services(repo):
        text = insert_service_entry(main_tf.read_text(), entry)
        _check_entry(text, plan.service, main_tf.relative_to(repo))
        edits[main_tf.relative_to(repo)] = text
    clashes = [str(p) for p in files if (repo / p).exists()]
    if clashes:
        raise ScaffoldError(f"would overwrite {', '.join(clashes)}")
    for path, text in {**files, **edits}.items():
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_text(text, encoding="utf-8")
    return [*files, *edits]


def _check_entry(text: str, service: str, path: Path) -> None:
    """The edited environment root parses, and its services map now holds the service."""
    modules = hcl2.loads(text).get("module", [])
    services = [
        b[k].get("services") or {} for b in modules for k in b if k.strip('"') == "platform"
    ]
    if not services or f'"{service}"' not in services[0]:
        raise ScaffoldError(f"{path}: the inserted services entry does not parse back")


def say(message: str) -> None:
    sys.stderr.write(message + "\n")


def _run(repo: Path, *command: str) -> int:
    say("+ " + " ".join(command))
    return subprocess.run(command, cwd=repo, check=False).returncode  # noqa: S603


def finish(repo: Path, plan: Plan) -> int:
    """Format the new sources as the repository does, lock, and check Pants' lockfile."""
    ruff = repo / ".venv" / "bin" / "ruff"
    folder = f"services/{plan.service}"
    if ruff.exists():
        _run(repo, str(ruff), "check", "--fix", "--quiet", "--select", "I", folder)
        _run(repo, str(ruff), "format", "--quiet", folder)
    # ./dev passes the uv it found (the version in .uv-version); else uv from PATH.
    uv = os.environ.get("SCAFFOLD_UV") or shutil.which("uv") or "uv"
    if _run(repo, *uv.split(), "lock", "--quiet"):
        say("new-service: `uv lock` failed; fix it and run it again")
        return 1
    if _run(repo, "bash", "build-support/generate-lockfile.sh", "--check"):
        say(
            "new-service: Pants' lockfile must follow uv.lock: "
            "run `bash build-support/generate-lockfile.sh` and commit 3rdparty/python"
        )
    return 0


NEXT_STEPS = """
{service}: generated ({count} files) on listener priority {priority}, subdomain {subdomain}.
Next:
  ./dev test services/{service}      its tests (embedded PostgreSQL)
  ./dev lint                         ruff, mypy --strict, import boundaries
  PORT=8001 API_KEYS=local-dev-key-0123456789 .venv/bin/{service} serve
                                     local run (database in .data/{service}/postgres)
Then write your domain: rename or replace services/{service}/src/{package}/{resource}/ and
its migration, add settings fields and errors (docs/architecture.md "Adding a sibling service").
Before deploying: bootstrap its secret and image per environment (docs/infrastructure.md).
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./dev new-service", description=__doc__.split("\n")[0])
    parser.add_argument("name", help="the service's name, a DNS label (e.g. email-manager)")
    parser.add_argument("--resource", default="items", help="the example resource (plural)")
    parser.add_argument("--singular", default=None, help="its singular (default: minus 's')")
    parser.add_argument("--repo", type=Path, default=ROOT, help=argparse.SUPPRESS)
    parser.add_argument("--no-lock", action="store_true", help="skip formatting and uv lock")
    args = parser.parse_args(argv)
    repo = args.repo.resolve()
    try:
        plan = plan_service(repo, args.name, args.resource, args.singular)
        written = generate(repo, plan)
    except ScaffoldError as exc:
        say(f"new-service: {exc}")
        return 2
    status = 0 if args.no_lock else finish(repo, plan)
    say(NEXT_STEPS.format(count=len(written), **plan.context()))
    return status


if __name__ == "__main__":
    raise SystemExit(main())
