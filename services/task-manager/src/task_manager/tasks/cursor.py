"""Opaque keyset cursors: the position after the last task of a page, bound to the user and
to the query (filters and sort) it was issued for.

Format: base64url(payload JSON) "." base64url(checksum), where the checksum is a truncated
SHA-256 over a fixed context and the payload. The payload carries SHA-256 digests of the user
id and of the normalised query, so a cursor answered to another user or another query is
refused. The cursor needs integrity, not secrecy: every query is scoped by the caller's user
id and every value in it is bound as a parameter, so a forged cursor can at most seek within
the caller's own results (see docs/decisions.md).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from dataclasses import dataclass
from typing import Any, Protocol
from uuid import UUID

import orjson

from task_manager.errors import InvalidCursorError


class Query(Protocol):
    """What a cursor is bound to (with the user): a listing's filters and sort, or a task's
    completions."""

    def fingerprint(self) -> Any: ...


VERSION = 1
_CONTEXT = b"task-manager/tasks-cursor/v1\x00"
_CHECKSUM_BYTES = 16
_MAX_CURSOR_CHARS = 512


@dataclass(frozen=True, slots=True)
class Position:
    """The sort value of the last task of a page and its id (the tie-breaker).

    ``key`` is microseconds since the epoch for datetime sorts (None for a task without a due
    date), or the priority rank."""

    key: int | None
    id: UUID


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _digest(value: Any) -> str:
    return _b64(hashlib.sha256(orjson.dumps(value)).digest()[:16])


def _checksum(payload: bytes) -> bytes:
    return hashlib.sha256(_CONTEXT + payload).digest()[:_CHECKSUM_BYTES]


def encode(user_id: str, filters: Query, position: Position) -> str:
    payload = orjson.dumps(
        {
            "v": VERSION,
            "u": _digest(user_id),
            "q": _digest(filters.fingerprint()),
            "k": position.key,
            "i": str(position.id),
        }
    )
    return f"{_b64(payload)}.{_b64(_checksum(payload))}"


def decode(cursor: str, user_id: str, filters: Query) -> Position:
    """The position a cursor stands for; InvalidCursorError unless it is intact and was issued
    for this user and this query."""
    try:
        if len(cursor) > _MAX_CURSOR_CHARS:
            raise ValueError("too long")
        body, _, mac = cursor.partition(".")
        payload = _unb64(body)
        if not hmac.compare_digest(_unb64(mac), _checksum(payload)):
            raise ValueError("checksum")
        data = orjson.loads(payload)
        if not isinstance(data, dict) or data.get("v") != VERSION:
            raise ValueError("version")
        if data.get("u") != _digest(user_id) or data.get("q") != _digest(filters.fingerprint()):
            raise ValueError("issued for another user or query")
        key = data.get("k")
        if key is not None and (not isinstance(key, int) or isinstance(key, bool)):
            raise ValueError("key")
        return Position(key=key, id=UUID(str(data["i"])))
    except (ValueError, KeyError, TypeError, binascii.Error, orjson.JSONDecodeError):
        raise InvalidCursorError(
            "The cursor is malformed, or was issued for another query or user."
        ) from None
