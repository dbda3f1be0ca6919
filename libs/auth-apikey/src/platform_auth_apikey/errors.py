"""Plain exceptions of the API-key library; services translate them into responses."""


class ApiKeyError(Exception):
    """Base of the authentication failures. ``code`` is a stable machine-readable name."""

    code = "api_key_error"


class MissingApiKeyError(ApiKeyError):
    code = "missing_api_key"

    def __init__(self, header: str) -> None:
        super().__init__(f"The {header} header is required.")


class InvalidApiKeyError(ApiKeyError):
    code = "invalid_api_key"

    def __init__(self, header: str) -> None:
        super().__init__(f"The {header} header does not hold an accepted key.")


class KeysUnavailableError(Exception):
    """The key source never obtained a key set; callers fail closed."""
