"""The client is generated from the WHOLE OpenAPI document: a generator warning means a piece
(an endpoint, a model, a response) was silently left out, so generate.sh fails on any."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parents[1]
GENERATE = HERE / "generate.sh"


def generate(document: dict[str, Any], folder: Path) -> subprocess.CompletedProcess[str]:
    path = folder / "openapi.json"
    path.write_text(json.dumps(document))
    env = os.environ | {"OPENAPI_DOCUMENT": str(path), "CLIENT_OUTPUT_DIR": str(folder / "gen")}
    return subprocess.run(
        ["bash", str(GENERATE)], env=env, capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="module")
def generated(document: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("client")
    result = generate(document, folder)
    assert result.returncode == 0, result.stderr
    assert "warning" not in (result.stdout + result.stderr).lower()
    return folder / "gen"


def module_name(operation: dict[str, Any]) -> str:
    """The generator's module name of an operation (its id in snake case)."""
    return re.sub(r"_+", "_", operation["operationId"]).strip("_")


def defined_functions(module: Path) -> set[str]:
    tree = ast.parse(module.read_text())
    return {n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}


def test_every_operation_has_its_endpoint_module(document: dict[str, Any], generated: Path) -> None:
    modules = {p.stem: p for p in (generated / "api").glob("*/*.py") if p.stem != "__init__"}
    missing = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            module = modules.get(module_name(operation))
            if module is None or "sync_detailed" not in defined_functions(module):
                missing.append(f"{method.upper()} {path}")
    assert missing == []


def test_every_component_schema_has_its_model(document: dict[str, Any], generated: Path) -> None:
    exported = ast.literal_eval(
        next(
            node.value
            for node in ast.parse((generated / "models" / "__init__.py").read_text()).body
            if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "__all__"
        )
    )
    missing = [
        name
        for name, schema in document["components"]["schemas"].items()
        if schema.get("type") == "object" and name not in exported
    ]
    assert missing == []


def test_every_response_schema_is_parsed(document: dict[str, Any], generated: Path) -> None:
    """A response the generator could not parse is left out of ``_parse_response``."""
    for item in document["paths"].values():
        for operation in item.values():
            [module] = (generated / "api").glob(f"*/{module_name(operation)}.py")
            source = module.read_text()
            for status, response in operation["responses"].items():
                if response.get("content"):
                    assert f"response.status_code == {status}" in source, (module.name, status)


def test_a_warning_fails_the_generation(document: dict[str, Any], tmp_path: Path) -> None:
    """The guard itself: a body model declared inline under two media types is one warning
    (a duplicate model) of the kind that used to drop pieces silently."""
    broken = json.loads(json.dumps(document))
    body = broken["paths"]["/v1/webhooks/{webhook_id}"]["patch"]["requestBody"]["content"]
    inline = broken["components"]["schemas"]["WebhookPatch"]
    for media in body.values():
        media["schema"] = inline
    result = generate(broken, tmp_path)
    assert result.returncode != 0
    assert "duplicate models" in result.stderr and "fix the OpenAPI document" in result.stderr
    assert not (tmp_path / "gen").exists()
