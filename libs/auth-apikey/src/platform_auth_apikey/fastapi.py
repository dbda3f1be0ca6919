"""The FastAPI dependency that authenticates a calling service by its API key."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request, Security
from fastapi.security import APIKeyHeader

from platform_auth_apikey.errors import InvalidApiKeyError, MissingApiKeyError
from platform_auth_apikey.sources import KeySource

API_KEY_HEADER = "X-API-Key"

_scheme = APIKeyHeader(
    name=API_KEY_HEADER,
    scheme_name="ApiKeyAuth",
    description="The calling service's key. Several keys are valid at once during a rotation.",
    auto_error=False,
)


@dataclass(frozen=True, slots=True)
class AuthenticatedClient:
    """Who called: the non-secret id of the key that was presented."""

    key_id: str


class ApiKeyAuth:
    """Use as ``Security(auth)``: returns the :class:`AuthenticatedClient` and stores it on
    ``request.state.client``; raises MissingApiKeyError / InvalidApiKeyError (and
    KeysUnavailableError from the source when it has no keys yet)."""

    def __init__(self, source: KeySource, *, header: str = API_KEY_HEADER) -> None:
        self.source = source
        self.header = header

    async def __call__(
        self, request: Request, api_key: str | None = Security(_scheme)
    ) -> AuthenticatedClient:
        if not api_key:
            raise MissingApiKeyError(self.header)
        found = self.source.keys().verify(api_key)
        if found is None:
            raise InvalidApiKeyError(self.header)
        client = AuthenticatedClient(key_id=found)
        request.state.client = client
        return client
