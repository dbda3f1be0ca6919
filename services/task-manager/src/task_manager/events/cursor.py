"""Opaque feed cursors: a feed position bound to the feed's scope (one user, or every user).

The kit's cursor format (platform_service.cursors), as the tasks cursor. The payload carries a
digest of the scope, so a cursor of one user's feed is refused in another user's feed or in
the unscoped one. Integrity, not secrecy: a position reveals nothing, and any key may read the
unscoped feed anyway (docs/decisions.md).
"""

from __future__ import annotations

from platform_service.cursors import MalformedCursorError, digest, seal, unseal
from task_manager.errors import InvalidCursorError

VERSION = 1
_CONTEXT = b"task-manager/events-cursor/v1\x00"
_MAX_CHARS = 256
_ALL = "*all*"  # not a valid user id: cannot collide with one


def _scope(user_id: str | None) -> str:
    return digest((user_id or _ALL).encode(), 12)


def encode(user_id: str | None, position: int) -> str:
    return seal(_CONTEXT, {"v": VERSION, "s": _scope(user_id), "p": position})


def decode(text: str, user_id: str | None) -> int:
    """The position of an intact cursor of this scope; else InvalidCursorError."""
    try:
        data = unseal(_CONTEXT, text, max_chars=_MAX_CHARS)
        if data.get("v") != VERSION:
            raise MalformedCursorError("version")
        if data.get("s") != _scope(user_id):
            raise MalformedCursorError("another scope")
        position = data.get("p")
        if not isinstance(position, int) or isinstance(position, bool) or position < 0:
            raise MalformedCursorError("position")
        return position
    except MalformedCursorError:
        raise InvalidCursorError(
            "The cursor is malformed, tampered with, or from another feed scope."
        ) from None
