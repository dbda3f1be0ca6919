"""The OpenAPI document is a published contract: it changes only on purpose.

Regenerate the snapshot after an intended change with
    UPDATE_SNAPSHOTS=1 ./dev test services/task-manager/tests/test_openapi_snapshot.py
"""

from __future__ import annotations

import os
from pathlib import Path

import orjson

from task_manager.app import create_app
from task_manager.settings import Settings

SNAPSHOT = Path(__file__).parent / "snapshots" / "openapi.json"
COMMAND = "UPDATE_SNAPSHOTS=1 ./dev test services/task-manager/tests/test_openapi_snapshot.py"


def render(settings: Settings) -> bytes:
    schema = create_app(settings).openapi()
    return orjson.dumps(schema, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"


def test_openapi_matches_the_snapshot(settings: Settings) -> None:
    current = render(settings)
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
        SNAPSHOT.write_bytes(current)
    assert SNAPSHOT.exists(), f"no OpenAPI snapshot yet: run {COMMAND}"
    assert current == SNAPSHOT.read_bytes(), (
        "The OpenAPI schema changed. If the change is intended, update the snapshot with "
        f"{COMMAND} and commit it."
    )


def test_tasks_routes_are_documented(settings: Settings) -> None:
    schema = create_app(settings).openapi()
    paths = schema["paths"]
    create = paths["/v1/tasks"]["post"]
    assert {p["name"] for p in create["parameters"]} == {"X-User-ID", "Idempotency-Key"}
    assert set(create["responses"]["201"]["headers"]) == {"ETag", "Location"}
    assert "application/json" in create["requestBody"]["content"]
    for status in ("400", "401", "409", "413", "415", "422", "429", "500", "503"):
        content = create["responses"][status]["content"]
        assert content["application/problem+json"]["schema"] == {
            "$ref": "#/components/schemas/Problem"
        }
    get_one = paths["/v1/tasks/{task_id}"]["get"]
    assert {"If-None-Match", "X-User-ID"} <= {p["name"] for p in get_one["parameters"]}
    assert "304" in get_one["responses"] and "404" in get_one["responses"]
    patch = paths["/v1/tasks/{task_id}"]["patch"]
    assert "application/merge-patch+json" in patch["requestBody"]["content"]
    assert {"If-Match"} <= {p["name"] for p in patch["parameters"]}
    assert "412" in patch["responses"]
    listing = paths["/v1/tasks"]["get"]
    names = {p["name"] for p in listing["parameters"]}
    assert names >= {"status", "priority", "tag", "due_before", "due_after", "overdue", "q"}
    assert names >= {"updated_since", "sort", "limit", "cursor", "X-User-ID"}
