"""Opaque keyset cursors: the position after the last task of a page, bound to the user and
to the query (filters and sort) it was issued for.

The kit's cursor format (platform_service.cursors): base64url(payload JSON) "."
base64url(truncated SHA-256 over a fixed context and the payload). The payload carries
SHA-256 digests of the user id and of the normalised query, so a cursor answered to another
user or another query is refused. The cursor needs integrity, not secrecy: every query is
scoped by the caller's user id and every value in it is bound as a parameter, so a forged
cursor can at most seek within the caller's own results (see docs/decisions.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol
from uuid import UUID

import orjson

from platform_service.cursors import MalformedCursorError, digest, seal, unseal
from task_manager.errors import InvalidCursorError


class Query(Protocol):
    """What a cursor is bound to (with the user): a listing's filters and sort, or a task's
    completions."""

    def fingerprint(self) -> Any: ...


VERSION = 1
_CONTEXT = b"task-manager/tasks-cursor/v1\x00"
_MAX_CURSOR_CHARS = 512


@dataclass(frozen=True, slots=True)
class Position:
    """The sort value of the last task of a page and its id (the tie-breaker).

    ``key`` is microseconds since the epoch for datetime sorts (None for a task without a due
    date), or the priority rank."""

    key: int | None
    id: UUID


def _digest(value: Any) -> str:
    return digest(orjson.dumps(value))


def encode(user_id: str, filters: Query, position: Position) -> str:
    return seal(
        _CONTEXT,
        {
            "v": VERSION,
            "u": _digest(user_id),
            "q": _digest(filters.fingerprint()),
            "k": position.key,
            "i": str(position.id),
        },
    )


def decode(cursor: str, user_id: str, filters: Query) -> Position:
    """The position a cursor stands for; InvalidCursorError unless it is intact and was issued
    for this user and this query."""
    try:
        data = unseal(_CONTEXT, cursor, max_chars=_MAX_CURSOR_CHARS)
        if data.get("v") != VERSION:
            raise MalformedCursorError("version")
        if data.get("u") != _digest(user_id) or data.get("q") != _digest(filters.fingerprint()):
            raise MalformedCursorError("issued for another user or query")
        key = data.get("k")
        if key is not None and (not isinstance(key, int) or isinstance(key, bool)):
            raise MalformedCursorError("key")
        return Position(key=key, id=UUID(str(data["i"])))
    except (MalformedCursorError, ValueError, KeyError):
        raise InvalidCursorError(
            "The cursor is malformed, or was issued for another query or user."
        ) from None
