"""Load the Terraform code under infra/ with python-hcl2 for static tests.

python-hcl2 (v5+) keeps the quotes of string literals ('"value"'), wraps
expressions as '${...}', marks blocks with '__is_block__' and collects comments
under '__comments__'. `normalise` strips all that so tests compare plain
values: a literal string has no '${', an expression keeps its '${...}'.
"""

from __future__ import annotations

import functools
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import hcl2
import pytest

INFRA = Path(__file__).resolve().parents[1]
MODULES_DIR = INFRA / "modules"
ENVS_DIR = INFRA / "envs"
FIXTURES_DIR = INFRA / "tests" / "fixtures"

META_KEYS = {"__is_block__", "__comments__", "__start_line__", "__end_line__"}


def unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == '"' and value[-1] == '"':
        return value[1:-1].replace('\\"', '"')
    return value


def normalise(obj: Any) -> Any:
    """Strip python-hcl2's quoting and metadata recursively."""
    if isinstance(obj, dict):
        return {unquote(k): normalise(v) for k, v in obj.items() if k not in META_KEYS}
    if isinstance(obj, list):
        return [normalise(v) for v in obj]
    if isinstance(obj, str):
        return unquote(obj)
    return obj


def is_expression(value: Any) -> bool:
    """True when a value is (or contains) an interpolation, i.e. not a literal."""
    return isinstance(value, str) and "${" in value


def block(value: Any) -> dict:
    """Nested blocks are lists of dicts; return the single one."""
    if isinstance(value, list):
        assert len(value) == 1, f"expected one block, got {len(value)}"
        return value[0]
    return value


@dataclass
class TfModule:
    """A directory of .tf files, merged."""

    path: Path
    resources: dict[tuple[str, str], dict] = field(default_factory=dict)
    data: dict[tuple[str, str], dict] = field(default_factory=dict)
    variables: dict[str, dict] = field(default_factory=dict)
    outputs: dict[str, dict] = field(default_factory=dict)
    locals: dict[str, Any] = field(default_factory=dict)
    modules: dict[str, dict] = field(default_factory=dict)
    terraform: list[dict] = field(default_factory=list)
    providers: list[dict] = field(default_factory=list)
    moved: list[dict] = field(default_factory=list)
    text: str = ""

    def resources_of(self, type_: str) -> dict[str, dict]:
        return {name: body for (t, name), body in self.resources.items() if t == type_}

    def resource(self, type_: str, name: str) -> dict:
        return self.resources[(type_, name)]

    def variable_default(self, name: str) -> Any:
        return self.variables[name].get("default")


def _load_file(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        return normalise(hcl2.load(handle))


@functools.cache
def load_module(path: Path) -> TfModule:
    module = TfModule(path=path)
    files = sorted(path.glob("*.tf"))
    assert files, f"no .tf files in {path}"
    for tf_file in files:
        module.text += tf_file.read_text(encoding="utf-8")
        doc = _load_file(tf_file)
        for entry in doc.get("resource", []):
            for type_, named in entry.items():
                for name, body in named.items():
                    module.resources[(type_, name)] = body
        for entry in doc.get("data", []):
            for type_, named in entry.items():
                for name, body in named.items():
                    module.data[(type_, name)] = body
        for entry in doc.get("variable", []):
            module.variables.update(entry)
        for entry in doc.get("output", []):
            module.outputs.update(entry)
        for entry in doc.get("locals", []):
            module.locals.update(entry)
        for entry in doc.get("module", []):
            module.modules.update(entry)
        module.terraform.extend(doc.get("terraform", []))
        module.providers.extend(doc.get("provider", []))
        module.moved.extend(doc.get("moved", []))
    return module


def module_dirs() -> list[Path]:
    return sorted(p for p in MODULES_DIR.iterdir() if p.is_dir())


def env_dirs() -> list[Path]:
    return sorted(p for p in ENVS_DIR.iterdir() if p.is_dir())


def root_dirs() -> list[Path]:
    """Every directory holding Terraform code: modules, envs and fixtures."""
    return module_dirs() + env_dirs() + sorted(p for p in FIXTURES_DIR.iterdir() if p.is_dir())


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrize `tf_dir` over every Terraform directory, `module_dir` over modules."""
    if "tf_dir" in metafunc.fixturenames:
        dirs = root_dirs()
        metafunc.parametrize("tf_dir", dirs, ids=[f"{p.parent.name}/{p.name}" for p in dirs])
    if "module_dir" in metafunc.fixturenames:
        dirs = module_dirs()
        metafunc.parametrize("module_dir", dirs, ids=[p.name for p in dirs])


@pytest.fixture(scope="session")
def hcl() -> types.SimpleNamespace:
    """Helpers for test modules (they must not import conftest: a monorepo has several)."""
    return types.SimpleNamespace(
        block=block,
        is_expression=is_expression,
        load_module=load_module,
        INFRA=INFRA,
        MODULES_DIR=MODULES_DIR,
        ENVS_DIR=ENVS_DIR,
    )


@pytest.fixture(scope="session")
def ecs_service() -> TfModule:
    return load_module(MODULES_DIR / "ecs-service")


@pytest.fixture(scope="session")
def alb() -> TfModule:
    return load_module(MODULES_DIR / "alb")


@pytest.fixture(scope="session")
def network() -> TfModule:
    return load_module(MODULES_DIR / "network")


@pytest.fixture(scope="session")
def api_keys() -> TfModule:
    return load_module(MODULES_DIR / "api-keys")


@pytest.fixture(scope="session")
def github_oidc() -> TfModule:
    return load_module(MODULES_DIR / "github-oidc")


@pytest.fixture(scope="session")
def platform() -> TfModule:
    return load_module(MODULES_DIR / "platform")


@pytest.fixture(scope="session")
def all_modules() -> dict[Path, TfModule]:
    """Every Terraform directory: modules, environments and fixtures."""
    return {path: load_module(path) for path in root_dirs()}


@pytest.fixture(scope="session")
def envs() -> dict[str, TfModule]:
    return {path.name: load_module(path) for path in env_dirs()}


@pytest.fixture(scope="session")
def two_services() -> TfModule:
    return load_module(FIXTURES_DIR / "two-services")
