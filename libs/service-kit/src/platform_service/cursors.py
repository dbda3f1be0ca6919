"""Opaque, tamper-evident page cursors: what every paginated route of a service needs.

Format: base64url(payload JSON) "." base64url(checksum), the checksum a truncated SHA-256 over a
fixed per-cursor-kind context and the payload. Integrity, not secrecy: a service binds what a
cursor may be used for (a user, a query, a scope) by putting digests of it in the payload
(:func:`digest`) and comparing them when the cursor comes back; it never trusts a position
from a cursor for more than seeking within what the caller may read anyway.

The library raises :class:`MalformedCursorError` (a ``ValueError``); a service translates it
into its own error (``400 invalid_cursor``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

import orjson

_CHECKSUM_BYTES = 16


class MalformedCursorError(ValueError):
    """The text is not an intact cursor of this kind (or is too long)."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def digest(data: bytes, size: int = 16) -> str:
    """A short text digest (base64url of a truncated SHA-256) of ``data``, to bind a cursor to
    what it was issued for (a user id, a query's normalised form)."""
    return _b64(hashlib.sha256(data).digest()[:size])


def _checksum(context: bytes, payload: bytes) -> bytes:
    return hashlib.sha256(context + payload).digest()[:_CHECKSUM_BYTES]


def seal(context: bytes, fields: dict[str, Any]) -> str:
    """The cursor text of ``fields`` for the cursor kind ``context`` (a constant per kind and
    version, e.g. ``b"my-service/items-cursor/v1\x00"``)."""
    payload = orjson.dumps(fields)
    return f"{_b64(payload)}.{_b64(_checksum(context, payload))}"


def unseal(context: bytes, text: str, *, max_chars: int) -> dict[str, Any]:
    """The fields of an intact cursor of kind ``context``; else :class:`MalformedCursorError`
    (too long, not base64url, a wrong checksum, not a JSON object)."""
    if len(text) > max_chars:
        raise MalformedCursorError("too long")
    body, _, mac = text.partition(".")
    try:
        payload = _unb64(body)
        intact = hmac.compare_digest(_unb64(mac), _checksum(context, payload))
        fields = orjson.loads(payload) if intact else None
    except ValueError:  # binascii.Error, orjson.JSONDecodeError, non-ASCII text
        raise MalformedCursorError("not base64url JSON") from None
    if not intact:
        raise MalformedCursorError("checksum")
    if not isinstance(fields, dict):
        raise MalformedCursorError("not an object")
    return fields
