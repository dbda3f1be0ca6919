"""OpenAPI pieces of the tasks routes: response headers, error responses with examples, and
the request bodies (read by hand in :mod:`.body`, so documented here)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from task_manager.errors import ServiceError
from task_manager.problems import PROBLEM_BASE, PROBLEM_MEDIA_TYPE, problem_responses

REF_TEMPLATE = "#/components/schemas/{model}"
REF_PREFIX = REF_TEMPLATE.removesuffix("{model}")
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


# The request-body models documented by request_body(), by name: install_request_bodies()
# adds their schemas to the document's components (the bodies are read by hand, so FastAPI
# does not collect them itself).
_BODY_MODELS: dict[str, type[BaseModel]] = {}


def request_body(model: type[BaseModel], media_types: list[str]) -> dict[str, Any]:
    """``openapi_extra`` documenting a JSON request body of ``model``: every media type refers
    to the one component schema, ``#/components/schemas/<model>`` (a generated client then has
    one model per body), and shows the model's examples (see :func:`install_request_bodies`)."""
    known = _BODY_MODELS.setdefault(model.__name__, model)
    if known is not model:
        raise ValueError(f"two request-body models named {model.__name__}")
    content = {
        media_type: {"schema": {"$ref": REF_PREFIX + model.__name__}} for media_type in media_types
    }
    return {"requestBody": {"required": True, "content": content}}


def install_request_bodies(app: FastAPI) -> None:
    """Make ``app.openapi()`` document the bodies of :func:`request_body`: their schemas (and
    the models they use) in the components, their examples under each media type. Added after
    FastAPI renders the document, which drops ``null`` values (examples keep theirs)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        fresh = app.openapi_schema is None
        document = generate()
        if fresh:
            _add_components(document)
            _add_examples(document)
        return document

    app.openapi = openapi  # type: ignore[method-assign]


def _add_components(document: dict[str, Any]) -> None:
    models = [(model, "validation") for model in _BODY_MODELS.values()]
    _, top = models_json_schema(models, ref_template=REF_TEMPLATE)  # type: ignore[arg-type]
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in top.get("$defs", {}).items():
        schema = _without_null_defaults(schema)
        if schemas.get(name, schema) != schema:
            raise ValueError(f"component {name} documented twice, differently")
        schemas[name] = schema
    document["components"]["schemas"] = dict(sorted(schemas.items()))


def _without_null_defaults(node: Any) -> Any:
    """The schema without ``"default": null`` (an absent field is not set: it has no default;
    FastAPI leaves it out of the schemas it renders too)."""
    if isinstance(node, dict):
        return {
            k: v if k == "examples" else _without_null_defaults(v)
            for k, v in node.items()
            if not (k == "default" and v is None)
        }
    if isinstance(node, list):
        return [_without_null_defaults(v) for v in node]
    return node


def _add_examples(document: dict[str, Any]) -> None:
    for path_item in document.get("paths", {}).values():
        for operation in path_item.values():
            content = operation.get("requestBody", {}).get("content", {})
            for media in content.values():
                name = media.get("schema", {}).get("$ref", "").removeprefix(REF_PREFIX)
                if name in _BODY_MODELS:
                    examples = _BODY_MODELS[name].model_json_schema().get("examples", [])
                    media["examples"] = {
                        f"example{i + 1}": {"value": ex} for i, ex in enumerate(examples)
                    }
