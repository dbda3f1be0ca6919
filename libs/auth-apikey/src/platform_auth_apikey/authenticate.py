"""THE authentication function: every path that decides whether a request carries an accepted
key (the route dependency, the rate limiter, any fast path in front of the framework) calls
:func:`authenticate` on the raw header values, so they cannot disagree.

The key is compared as the bytes the client sent (the UTF-8 encoding of a configured key), not
as text decoded one way here and another way there. More than one ``X-API-Key`` header is never
accepted: which one counts would depend on the reader.
"""

from __future__ import annotations

from collections.abc import Iterable

from platform_auth_apikey.errors import InvalidApiKeyError, MissingApiKeyError
from platform_auth_apikey.sources import KeySource

API_KEY_HEADER = "X-API-Key"
_HEADER = API_KEY_HEADER.lower().encode("ascii")


def api_key_values(headers: Iterable[tuple[bytes, bytes]], name: bytes = _HEADER) -> list[bytes]:
    """Every value of the (lower-case) header ``name`` among ASGI ``scope["headers"]``."""
    return [value for key, value in headers if key == name]


def authenticate(source: KeySource, values: list[bytes], header: str = API_KEY_HEADER) -> str:
    """The key id of the one accepted key in ``values`` (the header's raw values, in order).

    Raises :class:`MissingApiKeyError` (no header, or an empty one), :class:`InvalidApiKeyError`
    (unknown key, or the header repeated), and lets ``KeysUnavailableError`` through (the
    source never obtained keys: callers fail closed).
    """
    if len(values) > 1:
        raise InvalidApiKeyError(header)
    if not values or not values[0]:
        raise MissingApiKeyError(header)
    found = source.keys().verify(values[0])
    if found is None:
        raise InvalidApiKeyError(header)
    return found


def authenticate_scope(source: KeySource, scope_headers: Iterable[tuple[bytes, bytes]]) -> str:
    """:func:`authenticate` over an ASGI scope's headers."""
    return authenticate(source, api_key_values(scope_headers))
