"""The FastAPI dependency that authenticates a calling service by its API key."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request, Security
from fastapi.security import APIKeyHeader

from platform_auth_apikey.authenticate import API_KEY_HEADER, api_key_values, authenticate
from platform_auth_apikey.sources import KeySource

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
        # ``api_key`` (one decoded value) only documents the scheme: the decision is made by
        # the one authentication function, on the raw values, as everywhere else.
        values = api_key_values(request.scope["headers"], self.header.lower().encode("latin-1"))
        found = authenticate(self.source, values, self.header)
        client = AuthenticatedClient(key_id=found)
        request.state.client = client
        return client
