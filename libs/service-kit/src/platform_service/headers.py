"""The contract's "repeated headers" row: ``X-API-Key``, ``X-User-ID``, ``Idempotency-Key``,
``If-Match``, ``If-None-Match`` and ``X-Request-ID`` may appear once.

A repeated ``X-API-Key`` → 401 ``invalid_api_key`` (the one authentication function refuses
it, so the rate limiter and the log see no key either); any other repeated → 422
``validation_error`` naming the header, after authentication (on ``/v1``, 401 comes first).
Checked by the request-context middleware before any route or fast path runs, so no reader
ever has to choose which of two values counts.
"""

from __future__ import annotations

from collections import Counter

from starlette.types import Scope

from platform_auth_apikey import ApiKeyError, KeysUnavailableError, authenticate_scope
from platform_service.errors import ServiceError, ValidationFailedError
from platform_service.problems import translate
from platform_service.state import service_state

SINGLE = {
    b"x-api-key": "X-API-Key",
    b"x-user-id": "X-User-ID",
    b"idempotency-key": "Idempotency-Key",
    b"if-match": "If-Match",
    b"if-none-match": "If-None-Match",
    b"x-request-id": "X-Request-ID",
}


def repeated(headers: list[tuple[bytes, bytes]], by_name: dict[bytes, bytes]) -> list[bytes]:
    """The single-valued headers that appear more than once, in SINGLE's order. ``by_name``:
    the same headers as a dict (the request context builds it anyway)."""
    if len(by_name) == len(headers):
        return []  # one value per name: no header repeated, the common case without a Counter
    counts = Counter(name for name, _ in headers if name in SINGLE)
    return [name for name in SINGLE if counts[name] > 1]


def repeated_header_error(scope: Scope, names: list[bytes]) -> ServiceError:
    """The answer to a request with repeated single-valued headers ``names`` (not empty)."""
    path: str = scope.get("path", "")
    if path == "/v1" or path.startswith("/v1/"):
        try:  # 401 first, as for any /v1 request; a repeated X-API-Key is invalid
            authenticate_scope(service_state(scope["app"]).key_source, scope["headers"])
        except (ApiKeyError, KeysUnavailableError) as exc:
            return translate(exc)
    names = [n for n in names if n != b"x-api-key"]
    errors = [
        {
            "loc": ["header", SINGLE[n]],
            "message": "must appear at most once",
            "type": "repeated_header",
        }
        for n in names
    ]
    return ValidationFailedError(
        f"Invalid input: {', '.join(SINGLE[n] for n in names)} repeated.", errors=errors
    )
