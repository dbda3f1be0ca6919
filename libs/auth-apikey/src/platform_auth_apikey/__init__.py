"""Service-to-service API keys.

* :class:`KeySet` holds accepted keys as SHA-256 hashes and checks a presented key against all
  of them in constant time; :func:`key_id` names a key in logs without revealing it.
* A :class:`KeySource` supplies the current key set (static configuration here; AWS Secrets
  Manager with rotation can implement the same protocol).
* :func:`authenticate` is the one decision "does this request carry an accepted key" (raw
  header values in, key id out); everything that authenticates calls it.
* :class:`ApiKeyAuth` is a FastAPI dependency that raises :class:`MissingApiKeyError` or
  :class:`InvalidApiKeyError`; the service maps them to its error responses.
"""

from platform_auth_apikey.authenticate import (
    API_KEY_HEADER,
    api_key_values,
    authenticate,
    authenticate_scope,
)
from platform_auth_apikey.errors import (
    ApiKeyError,
    InvalidApiKeyError,
    KeysUnavailableError,
    MissingApiKeyError,
)
from platform_auth_apikey.fastapi import ApiKeyAuth, AuthenticatedClient
from platform_auth_apikey.keys import MIN_KEY_LENGTH, KeySet, key_id
from platform_auth_apikey.sources import KeySource, StaticKeySource

__all__ = [
    "API_KEY_HEADER",
    "MIN_KEY_LENGTH",
    "ApiKeyAuth",
    "ApiKeyError",
    "AuthenticatedClient",
    "InvalidApiKeyError",
    "KeySet",
    "KeySource",
    "KeysUnavailableError",
    "MissingApiKeyError",
    "StaticKeySource",
    "api_key_values",
    "authenticate",
    "authenticate_scope",
    "key_id",
]
