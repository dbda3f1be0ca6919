"""The monorepo's import boundaries, checked by tools (``./dev lint`` runs this):

1. libs never import a service (import-linter ``forbidden``);
2. services never import each other (import-linter ``independence``);
3. a lib imports another lib only if its pyproject.toml declares it (``forbidden``: the libs
   it does not declare);
4. every member declares exactly what it imports (deptry, per member: nothing missing,
   nothing transitive, nothing unused).

The contracts are derived from the folders (``libs/*/src/*``, ``services/*/src/*``) and the
members' pyproject.toml files: a new lib or service is covered without editing anything.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Member:
    folder: Path
    distribution: str
    package: str  # the import package under src/
    dependencies: frozenset[str]  # declared distributions, normalised names


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _member(folder: Path) -> Member:
    project = tomllib.loads((folder / "pyproject.toml").read_text())["project"]
    [package] = [p.name for p in (folder / "src").iterdir() if (p / "__init__.py").exists()]
    requirements = project.get("dependencies", [])
    names = {_normalise(re.split(r"[\s\[<>=!~;]", r, maxsplit=1)[0]) for r in requirements}
    return Member(folder, _normalise(project["name"]), package, frozenset(names))


def members(kind: str) -> list[Member]:
    return [_member(p.parent) for p in sorted(ROOT.glob(f"{kind}/*/pyproject.toml"))]


def import_linter_config(libs: list[Member], services: list[Member]) -> str:
    roots = [m.package for m in [*libs, *services]]
    lines = ["[importlinter]", "root_packages =", *(f"    {r}" for r in roots), ""]
    if services:
        lines += [
            "[importlinter:contract:libs-never-import-services]",
            "name = libs never import a service",
            "type = forbidden",
            "source_modules =",
            *(f"    {m.package}" for m in libs),
            "forbidden_modules =",
            *(f"    {m.package}" for m in services),
            "",
        ]
    if len(services) > 1:
        lines += [
            "[importlinter:contract:services-are-independent]",
            "name = services never import each other",
            "type = independence",
            "modules =",
            *(f"    {m.package}" for m in services),
            "",
        ]
    for lib in libs:
        declared = lib.dependencies | {lib.distribution}
        undeclared = [o.package for o in libs if o.distribution not in declared]
        if undeclared:
            lines += [
                f"[importlinter:contract:{lib.package}-declared-libs-only]",
                f"name = {lib.package} imports only the libs its pyproject.toml declares",
                "type = forbidden",
                f"source_modules = {lib.package}",
                "forbidden_modules =",
                *(f"    {p}" for p in undeclared),
                "",
            ]
    return "\n".join(lines)


def run_import_linter(libs: list[Member], services: list[Member]) -> int:
    with tempfile.NamedTemporaryFile("w", suffix=".ini", delete=False) as f:
        f.write(import_linter_config(libs, services))
    paths = [str(m.folder / "src") for m in [*libs, *services]]
    env = {"PYTHONPATH": ":".join(paths), "PATH": str(BIN)}
    done = subprocess.run(  # noqa: S603
        [str(BIN / "lint-imports"), "--no-cache", f.name], env=env, check=False
    )
    Path(f.name).unlink()
    return done.returncode


def run_deptry(everyone: list[Member]) -> int:
    """deptry per member, with the workspace members' import names mapped to their
    distributions (editable installs do not tell deptry which modules they provide)."""
    mapping = [f"{m.distribution}={m.package}" for m in everyone]
    failed = 0
    for member in everyone:
        command = [
            str(BIN / "deptry"),
            str(member.folder / "src"),
            "--config",
            str(member.folder / "pyproject.toml"),
            "--no-ansi",
            "--known-first-party",
            member.package,
            "--package-module-name-map",
            ",".join(mapping),
        ]
        done = subprocess.run(command, cwd=ROOT, check=False)  # noqa: S603
        failed |= done.returncode
    return failed


def main() -> int:
    libs, services = members("libs"), members("services")
    status = run_import_linter(libs, services)
    status |= run_deptry([*libs, *services])
    return 1 if status else 0


if __name__ == "__main__":
    raise SystemExit(main())
