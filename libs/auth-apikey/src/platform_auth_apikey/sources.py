"""Where the accepted keys come from."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, runtime_checkable

from platform_auth_apikey.keys import KeySet


@runtime_checkable
class KeySource(Protocol):
    """Supplies the key set in force. ``keys()`` must be cheap: it runs on every request.

    A source that refreshes (from AWS Secrets Manager, say) does so in the background between
    ``start()`` and ``close()`` and raises ``KeysUnavailableError`` from ``keys()`` while it has
    never obtained a set (fail closed).
    """

    def keys(self) -> KeySet: ...

    @property
    def ready(self) -> bool: ...

    async def start(self) -> None: ...

    async def close(self) -> None: ...


class StaticKeySource:
    """Keys from configuration (``API_KEYS``), fixed for the life of the process."""

    def __init__(self, keys: Iterable[str]) -> None:
        self._keys = KeySet.from_keys(keys)

    def keys(self) -> KeySet:
        return self._keys

    @property
    def ready(self) -> bool:
        return len(self._keys) > 0

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        return None
