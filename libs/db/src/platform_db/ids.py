"""Time-ordered primary keys: UUID version 7 (RFC 9562).

A random (version 4) UUID primary key inserts each new row at a random leaf of its B-tree:
every insert touches a different page, splits pages everywhere, and after each checkpoint
writes a full-page image of every page it touches. A version 7 UUID starts with the Unix time
in milliseconds, so new keys land on the right edge of the index like a sequence's, while
staying unguessable (74 random bits) and globally unique.

Python 3.14 has ``uuid.uuid7``; until the platform moves to it, this function (a dozen lines of
a published layout) stands in for it (docs/decisions.md).
"""

from __future__ import annotations

import os
import time
from uuid import UUID

_VERSION = 0x7 << 76
_VARIANT = 0b10 << 62


def uuid7(unix_ms: int | None = None) -> UUID:
    """A new version 7 UUID: 48 bits of Unix milliseconds, the version, 12 random bits, the
    variant, 62 random bits. ``unix_ms``: the timestamp to use (default: now)."""
    ms = time.time_ns() // 1_000_000 if unix_ms is None else unix_ms
    if not 0 <= ms < 1 << 48:
        raise ValueError("unix_ms must fit in 48 bits")
    rand = int.from_bytes(os.urandom(10))  # 80 bits: 12 for rand_a, 62 for rand_b
    rand_a, rand_b = (rand >> 62) & 0xFFF, rand & ((1 << 62) - 1)
    return UUID(int=(ms << 80) | _VERSION | (rand_a << 64) | _VARIANT | rand_b)
