"""Accepted keys, stored as hashes and checked in constant time."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass

MIN_KEY_LENGTH = 16
MAX_KEY_LENGTH = 256


def _digest(key: str | bytes) -> bytes:
    return hashlib.sha256(key.encode("utf-8") if isinstance(key, str) else key).digest()


def key_id(key: str) -> str:
    """A short, stable, non-secret name of a key for logs and metrics (hash prefix)."""
    return "k_" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:10]


@dataclass(frozen=True, slots=True)
class _Entry:
    digest: bytes
    key_id: str


class KeySet:
    """An immutable set of accepted keys. The keys themselves are not kept, only hashes."""

    __slots__ = ("_entries",)

    def __init__(self, entries: Iterable[_Entry]) -> None:
        self._entries: tuple[_Entry, ...] = tuple(entries)

    @classmethod
    def from_keys(cls, keys: Iterable[str]) -> KeySet:
        entries: dict[bytes, _Entry] = {}
        for raw in keys:
            key = raw.strip()
            if not MIN_KEY_LENGTH <= len(key) <= MAX_KEY_LENGTH:
                raise ValueError(
                    f"API keys must be {MIN_KEY_LENGTH}-{MAX_KEY_LENGTH} characters "
                    f"(key {key_id(key)} has {len(key)})"
                )
            digest = _digest(key)
            entries[digest] = _Entry(digest, key_id(key))
        return cls(entries.values())

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def key_ids(self) -> tuple[str, ...]:
        return tuple(e.key_id for e in self._entries)

    def verify(self, presented: str | bytes) -> str | None:
        """The key id of ``presented`` (text, or the bytes sent: a key's UTF-8 encoding) when it
        is accepted, else None.

        Compares against every entry with :func:`hmac.compare_digest` and no early exit, so
        the time taken does not depend on which key (if any) matched.
        """
        if not presented or len(presented) > MAX_KEY_LENGTH * 4:  # 4: UTF-8 bytes per char
            return None
        digest = _digest(presented)
        found: str | None = None
        for entry in self._entries:
            if hmac.compare_digest(entry.digest, digest):
                found = entry.key_id
        return found
