"""The fuzzing run's hook drops only what a query string cannot tell apart from valid data."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest

HOOKS = Path(__file__).parents[1] / "scripts" / "fuzz_hooks.py"
SNAPSHOT = Path(__file__).parent / "snapshots" / "openapi.json"


@pytest.fixture(scope="module")
def hooks() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fuzz_hooks_under_test", HOOKS)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def context(method: str, path: str) -> SimpleNamespace:
    return SimpleNamespace(operation=SimpleNamespace(method=method, path=path))


@pytest.mark.parametrize(
    "tag",
    [1.3659539308427033e-181, 7, True, "bare", {"a": "b"}, [1, "x"], [["nested"]]],
)
def test_a_tag_the_wire_sends_as_valid_text_is_not_generated(hooks: ModuleType, tag: Any) -> None:
    assert hooks.filter_query(context("get", "/v1/tasks"), {"tag": tag, "limit": 25}) is False


@pytest.mark.parametrize("tag", [None, [], ["a"], ["x"] * 21])
def test_string_lists_and_absent_tags_are_still_generated(hooks: ModuleType, tag: Any) -> None:
    assert hooks.filter_query(context("GET", "/v1/tasks"), {"tag": tag}) is True


def test_other_operations_and_parameters_are_untouched(hooks: ModuleType) -> None:
    assert hooks.filter_query(context("GET", "/v1/tasks"), {"q": 1.5, "limit": "x"}) is True
    assert hooks.filter_query(context("GET", "/v1/events"), {"tag": 1.5}) is True


def free_string_lists() -> set[tuple[str, str, str]]:
    """Every repeatable query parameter whose items accept any string, from the pinned schema."""
    found = set()
    for path, operations in json.loads(SNAPSHOT.read_text())["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                schema = parameter["schema"]
                for branch in schema.get("anyOf", [schema]):
                    items = branch.get("items", {}) if branch.get("type") == "array" else None
                    if parameter["in"] == "query" and items == {"type": "string"}:
                        found.add((method.upper(), path, parameter["name"]))
    return found


def test_the_hook_names_every_free_string_list_of_the_schema(hooks: ModuleType) -> None:
    named = {(m, p, n) for (m, p), names in hooks.FREE_STRING_LISTS.items() for n in names}
    assert named == free_string_lists()
