"""Request bodies of the tasks routes, read by hand so that each failure has its own code:
not JSON by Content-Type → 415, not parseable → 400, invalid → 422 (``loc`` starts with
``body``). Runs after authentication and the X-User-ID check, before a connection is taken."""

from __future__ import annotations

import re
from typing import Any

import orjson
from fastapi import Request
from pydantic import BaseModel, ValidationError

from task_manager.dependencies import UserId
from task_manager.errors import InvalidJsonError, UnsupportedMediaTypeError, validation_failed
from task_manager.tasks.schemas import TaskCreate, TaskPatch

# application/json and every structured-syntax JSON type (application/merge-patch+json, …).
_JSON_MEDIA_TYPE = re.compile(r"^application/(?:[A-Za-z0-9!#$&^_.-]+\+)?json$", re.IGNORECASE)


def is_json_media_type(content_type: str | None) -> bool:
    if not content_type:
        return False
    return bool(_JSON_MEDIA_TYPE.match(content_type.split(";", 1)[0].strip()))


async def read_json(request: Request) -> Any:
    if not is_json_media_type(request.headers.get("content-type")):
        raise UnsupportedMediaTypeError(
            "The request body must be JSON (Content-Type: application/json)."
        )
    try:
        return orjson.loads(await request.body())
    except orjson.JSONDecodeError:
        raise InvalidJsonError("The request body could not be parsed as JSON.") from None


def validate[M: BaseModel](model: type[M], data: Any) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = [
            {
                "loc": ["body", *(p for p in err["loc"] if isinstance(p, str | int))],
                "message": err["msg"],
                "type": err["type"],
            }
            for err in exc.errors(include_url=False, include_input=False)
        ]
        raise validation_failed(errors) from None


async def create_body(request: Request, _user: UserId) -> TaskCreate:
    return validate(TaskCreate, await read_json(request))


async def patch_body(request: Request, _user: UserId) -> TaskPatch:
    return validate(TaskPatch, await read_json(request))
