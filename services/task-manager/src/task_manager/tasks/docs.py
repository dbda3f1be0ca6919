"""OpenAPI pieces of the tasks routes: response headers, error responses with examples, and
the request bodies (read by hand in :mod:`.body`, so documented here)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from task_manager.errors import ServiceError
from task_manager.problems import PROBLEM_BASE, PROBLEM_MEDIA_TYPE, problem_responses

ETAG_HEADER: dict[str, Any] = {
    "description": 'The task\'s version as an entity tag: `"<version>"`.',
    "schema": {"type": "string"},
    "example": '"1"',
}
LOCATION_HEADER: dict[str, Any] = {
    "description": "The new task's path: `/v1/tasks/{id}`.",
    "schema": {"type": "string"},
    "example": "/v1/tasks/3f0c8d2e-5b7a-4c1e-9f3a-2d6b8e1c4a7f",
}
_EXAMPLE_DETAIL: dict[str, str] = {
    "invalid_json": "The request body could not be parsed as JSON.",
    "invalid_cursor": "The cursor is malformed, or was issued for another query or user.",
    "task_not_found": "No task 3f0c8d2e-5b7a-4c1e-9f3a-2d6b8e1c4a7f for this user.",
    "idempotency_key_in_use": "A request with this Idempotency-Key is still being processed; "
    "retry shortly.",
    "precondition_failed": "If-Match does not match the task's current ETag.",
    "payload_too_large": "The request body exceeds 65536 bytes.",
    "unsupported_media_type": "The request body must be JSON (Content-Type: application/json).",
    "validation_error": "Invalid input: title.",
    "idempotency_key_mismatch": "This Idempotency-Key was already used with a different request.",
    "completion_not_found": "No completion 9b2e4f1a-0c3d-4e5f-8a7b-6c5d4e3f2a1b of this task.",
    "completion_not_latest": "Only the task's latest completion can be undone.",
}


def _example(cls: type[ServiceError]) -> dict[str, Any]:
    value: dict[str, Any] = {
        "type": PROBLEM_BASE + cls.code,
        "title": cls.title,
        "status": cls.status,
        "detail": _EXAMPLE_DETAIL.get(cls.code, cls.title + "."),
        "instance": "/v1/tasks",
        "code": cls.code,
        "request_id": "5b1d6a0e9f4c4f3e8a2b7c6d5e4f3a2b",
    }
    if cls.code == "validation_error":
        value["errors"] = [
            {
                "loc": ["body", "title"],
                "message": "Value error, must be 1-200 characters after trimming",
                "type": "value_error",
            }
        ]
    return {"summary": cls.title, "value": value}


def error_responses(*classes: type[ServiceError]) -> dict[int | str, dict[str, Any]]:
    """``responses=`` entries (problem schema) for exactly these errors, with an example each."""
    by_status: dict[int, list[type[ServiceError]]] = {}
    for cls in classes:
        by_status.setdefault(cls.status, []).append(cls)
    out: dict[int | str, dict[str, Any]] = {}
    for status, members in sorted(by_status.items()):
        entry = problem_responses(status)[status]
        entry["description"] = " / ".join(f"`{c.code}`: {c.title}" for c in members)
        entry["content"][PROBLEM_MEDIA_TYPE]["examples"] = {c.code: _example(c) for c in members}
        out[status] = entry
    return out


def request_body(model: type[BaseModel], media_types: list[str]) -> dict[str, Any]:
    """``openapi_extra`` documenting a JSON request body of ``model``'s schema."""
    schema = model.model_json_schema(ref_template="#/$defs/{model}")
    schema = _inline(schema, schema.pop("$defs", {}))
    examples = schema.pop("examples", [])
    content = {
        media_type: {
            "schema": schema,
            "examples": {f"example{i + 1}": {"value": ex} for i, ex in enumerate(examples)},
        }
        for media_type in media_types
    }
    return {"requestBody": {"required": True, "content": content}}


def _inline(node: Any, defs: dict[str, Any]) -> Any:
    """The schema with its local ``$defs`` references replaced by their definitions (the
    body is documented inline, outside components)."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            return _inline(defs[ref.removeprefix("#/$defs/")], defs)
        return {k: _inline(v, defs) for k, v in node.items()}
    if isinstance(node, list):
        return [_inline(v, defs) for v in node]
    return node
