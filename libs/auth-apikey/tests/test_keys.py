import pytest
from fastapi import FastAPI, Request, Security
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient

from platform_auth_apikey import (
    ApiKeyAuth,
    ApiKeyError,
    AuthenticatedClient,
    KeySet,
    StaticKeySource,
    key_id,
)

OLD = "old-key-0123456789abcdef"
NEW = "new-key-fedcba9876543210"


def test_several_keys_are_valid_at_once_and_named_by_id() -> None:
    keys = KeySet.from_keys([OLD, NEW, OLD])
    assert len(keys) == 2
    assert keys.verify(OLD) == key_id(OLD)
    assert keys.verify(NEW) == key_id(NEW)
    assert keys.verify("new-key-fedcba987654321") is None
    assert keys.verify("") is None
    assert keys.verify("x" * 10_000) is None


def test_key_id_does_not_reveal_the_key() -> None:
    kid = key_id(OLD)
    assert kid.startswith("k_")
    assert OLD not in kid
    assert kid == key_id(OLD)
    assert kid != key_id(NEW)


def test_key_set_keeps_no_plaintext_and_rejects_weak_keys() -> None:
    keys = KeySet.from_keys([OLD])
    assert OLD not in repr(keys.__slots__) + repr(keys.key_ids)
    with pytest.raises(ValueError, match="16-256") as info:
        KeySet.from_keys(["short"])
    assert "short" not in str(info.value)


@pytest.fixture
def client() -> TestClient:
    app = FastAPI()
    auth = ApiKeyAuth(StaticKeySource([OLD, NEW]))

    @app.exception_handler(ApiKeyError)
    async def handle(_: Request, exc: ApiKeyError) -> JSONResponse:
        return JSONResponse({"code": exc.code, "detail": str(exc)}, status_code=401)

    @app.get("/who")
    async def who(caller: AuthenticatedClient = Security(auth)) -> dict[str, str]:
        return {"key_id": caller.key_id}

    return TestClient(app)


def test_dependency_accepts_each_valid_key(client: TestClient) -> None:
    for key in (OLD, NEW):
        response = client.get("/who", headers={"X-API-Key": key})
        assert response.status_code == 200
        assert response.json() == {"key_id": key_id(key)}


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({}, "missing_api_key"),
        ({"X-API-Key": ""}, "missing_api_key"),
        ({"X-API-Key": "nope"}, "invalid_api_key"),
    ],
)
def test_dependency_rejects(client: TestClient, headers: dict[str, str], code: str) -> None:
    response = client.get("/who", headers=headers)
    assert response.status_code == 401
    assert response.json()["code"] == code
    assert "nope" not in response.text


def test_openapi_declares_the_security_scheme(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    scheme = schema["components"]["securitySchemes"]["ApiKeyAuth"]
    assert scheme == {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
        "description": scheme["description"],
    }
    assert schema["paths"]["/who"]["get"]["security"] == [{"ApiKeyAuth": []}]
