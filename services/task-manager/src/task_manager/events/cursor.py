"""Opaque feed cursors: a feed position bound to the feed's scope (one user, or every user).

Same format as the tasks cursor (task_manager.tasks.cursor): base64url(payload JSON) "."
base64url(truncated SHA-256 over a fixed context and the payload). The payload carries a digest
of the scope, so a cursor of one user's feed is refused in another user's feed or in the
unscoped one. Integrity, not secrecy: a position reveals nothing, and any key may read the
unscoped feed anyway (docs/decisions.md).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac

import orjson

from task_manager.errors import InvalidCursorError

VERSION = 1
_CONTEXT = b"task-manager/events-cursor/v1\x00"
_MAX_CHARS = 256
_ALL = "*all*"  # not a valid user id: cannot collide with one


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _scope(user_id: str | None) -> str:
    return _b64(hashlib.sha256((user_id or _ALL).encode()).digest()[:12])


def _checksum(payload: bytes) -> bytes:
    return hashlib.sha256(_CONTEXT + payload).digest()[:16]


def encode(user_id: str | None, position: int) -> str:
    payload = orjson.dumps({"v": VERSION, "s": _scope(user_id), "p": position})
    return f"{_b64(payload)}.{_b64(_checksum(payload))}"


def decode(text: str, user_id: str | None) -> int:
    """The position of an intact cursor of this scope; else InvalidCursorError."""
    try:
        if len(text) > _MAX_CHARS:
            raise ValueError("too long")
        body, _, mac = text.partition(".")
        payload = _unb64(body)
        if not hmac.compare_digest(_unb64(mac), _checksum(payload)):
            raise ValueError("checksum")
        data = orjson.loads(payload)
        if not isinstance(data, dict) or data.get("v") != VERSION:
            raise ValueError("version")
        if data.get("s") != _scope(user_id):
            raise ValueError("another scope")
        position = data.get("p")
        if not isinstance(position, int) or isinstance(position, bool) or position < 0:
            raise ValueError("position")
        return position
    except (ValueError, TypeError, binascii.Error, orjson.JSONDecodeError):
        raise InvalidCursorError(
            "The cursor is malformed, tampered with, or from another feed scope."
        ) from None
