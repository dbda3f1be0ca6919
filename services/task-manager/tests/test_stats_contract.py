"""The published shape of GET /v1/stats is pinned in snapshots/stats_response.schema.json: a
renamed, removed or retyped field, or a change of nullability, fails here. Adding a field means
updating the file on purpose (UPDATE_SNAPSHOTS=1 rewrites it; review the diff)."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI

from platform_service import service_state
from task_manager.stats.schemas import StatsResponse

SNAPSHOT = Path(__file__).parent / "snapshots" / "stats_response.schema.json"
# What the contract is made of; titles, descriptions, examples and bounds may change freely.
SHAPE_KEYS = {"type", "format", "properties", "required", "items", "anyOf", "$ref", "$defs"}


def shape(schema: Any) -> Any:
    if isinstance(schema, dict):
        out = {k: shape(v) for k, v in schema.items() if k in SHAPE_KEYS}
        if "properties" in schema:
            out["properties"] = {name: shape(v) for name, v in schema["properties"].items()}
        if "$defs" in schema:
            out["$defs"] = {name: shape(v) for name, v in schema["$defs"].items()}
        if "required" in schema:
            out["required"] = sorted(schema["required"])
        return out
    if isinstance(schema, list):
        return [shape(item) for item in schema]
    return schema


def current_shape() -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **shape(StatsResponse.model_json_schema(mode="serialization")),
    }


def test_response_schema_matches_the_snapshot() -> None:
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.write_text(json.dumps(current_shape(), indent=2, sort_keys=True) + "\n")
    pinned = json.loads(SNAPSHOT.read_text())
    assert current_shape() == pinned, (
        "GET /v1/stats changed shape. Renaming, removing or retyping a field breaks v1 clients; "
        "to add a field on purpose, rerun with UPDATE_SNAPSHOTS=1 and commit the file."
    )


JSON_TYPES: dict[str, type | tuple[type, ...]] = {
    "object": dict,
    "array": list,
    "string": str,
    "integer": int,
    "number": (int, float),
    "null": type(None),
    "boolean": bool,
}


def check(value: Any, schema: dict[str, Any], root: dict[str, Any], path: str) -> None:
    """A small validator for the snapshot's vocabulary (type, properties, required, items,
    anyOf, $ref)."""
    if "$ref" in schema:
        schema = root["$defs"][schema["$ref"].rsplit("/", 1)[-1]]
    if "anyOf" in schema:
        errors = []
        for option in schema["anyOf"]:
            try:
                check(value, option, root, path)
                return
            except AssertionError as exc:
                errors.append(str(exc))
        raise AssertionError(f"{path}: matches no option: {errors}")
    expected = schema["type"]
    assert isinstance(value, JSON_TYPES[expected]), f"{path}: {value!r} is not {expected}"
    assert not (expected == "integer" and isinstance(value, bool)), path
    if schema.get("format") == "date-time":
        assert value.endswith("Z"), f"{path}: {value} is not UTC with Z"
        datetime.fromisoformat(value)
    if expected == "object":
        assert set(value) >= set(schema.get("required", [])), f"{path}: missing fields"
        for name, sub in schema.get("properties", {}).items():
            if name in value:
                check(value[name], sub, root, f"{path}.{name}")
    if expected == "array":
        for i, item in enumerate(value):
            check(item, schema["items"], root, f"{path}[{i}]")


class Clock:
    at = datetime(2026, 11, 27, 10, tzinfo=UTC)

    def now(self) -> datetime:
        return self.at


async def test_live_responses_follow_the_snapshot(app: FastAPI, client: httpx.AsyncClient) -> None:
    clock = service_state(app).clock = Clock()
    pinned = json.loads(SNAPSHOT.read_text())
    empty = await client.get("/v1/stats", headers={"X-User-ID": "u-1"})
    check(empty.json(), pinned, pinned, "$")
    assert empty.json()["on_time_rate"] is None
    assert empty.json()["last_completed_at"] is None
    clock.at = datetime(2026, 11, 27, 9, 12, tzinfo=UTC)
    created = await client.post(
        "/v1/tasks",
        json={"title": "t", "status": "completed", "due_date": "2026-11-28T00:00:00Z"},
        headers={"X-User-ID": "u-1"},
    )
    assert created.status_code == 201
    clock.at = datetime(2026, 11, 27, 10, tzinfo=UTC)
    full = await client.get("/v1/stats", params={"days": 2}, headers={"X-User-ID": "u-1"})
    body = full.json()
    check(body, pinned, pinned, "$")
    assert set(body) == set(pinned["properties"])  # nothing unpinned leaks out
    assert body["last_completed_at"] == "2026-11-27T09:12:00Z"
    assert body["generated_at"] == "2026-11-27T10:00:00Z"


async def test_the_answer_is_the_documented_models_rendering(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    """The service renders a plain document with orjson; byte for byte, it is what validating
    it as ``StatsResponse`` and dumping the model gives (field order, types, "Z", rates)."""
    clock = service_state(app).clock = Clock()
    clock.at = datetime(2026, 11, 26, 23, 59, 58, 120_000, tzinfo=UTC)
    for due in ("2026-11-26T00:00:00Z", "2026-11-28T00:00:00Z", None):
        created = await client.post(
            "/v1/tasks",
            json={"title": "t", "status": "completed", "due_date": due},
            headers={"X-User-ID": "u-7"},
        )
        assert created.status_code == 201
    await client.post("/v1/tasks", json={"title": "open"}, headers={"X-User-ID": "u-7"})
    clock.at = datetime(2026, 11, 27, 10, 0, 0, 5, tzinfo=UTC)
    for user, params in (("u-7", {"tz": "Pacific/Kiritimati", "days": 3}), ("u-8", {})):
        answer = await client.get("/v1/stats", params=params, headers={"X-User-ID": user})
        assert answer.status_code == 200
        model = StatsResponse.model_validate_json(answer.content)
        assert answer.content == model.model_dump_json().encode()
    assert model.daily_completions[-1].count == 0 and len(model.daily_completions) == 30


def test_openapi_documents_the_stats_response(app: FastAPI) -> None:
    operation = app.openapi()["paths"]["/v1/stats"]["get"]
    assert operation["tags"] == ["stats"]
    ok = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"$ref": "#/components/schemas/StatsResponse"}
    assert {"401", "422"} <= set(operation["responses"])
    assert {p["name"] for p in operation["parameters"]} == {"tz", "days", "X-User-ID"}
