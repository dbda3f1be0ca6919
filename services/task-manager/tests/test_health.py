import re

import httpx
from fastapi import FastAPI

from platform_service import service_state


async def test_health_answers_without_key_or_database(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await service_state(app).pool.close()  # no database round trip
    response = await client.get("/health", headers={"X-API-Key": ""})
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_ready_when_schema_is_at_head(client: httpx.AsyncClient, app: FastAPI) -> None:
    response = await client.get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "schema_revision": service_state(app).schema_head}


async def test_not_ready_when_schema_is_behind(client: httpx.AsyncClient, app: FastAPI) -> None:
    service_state(app).schema_head = "9999_future"
    response = await client.get("/health/ready")
    assert response.status_code == 503
    body = response.json()
    assert body["code"] == "service_unavailable"
    assert "9999_future" in body["detail"]
    assert response.headers["content-type"] == "application/problem+json"


async def test_not_ready_when_database_is_gone(client: httpx.AsyncClient, app: FastAPI) -> None:
    await service_state(app).pool.close()
    response = await client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["code"] == "service_unavailable"


async def test_docs_and_openapi_are_served(client: httpx.AsyncClient) -> None:
    docs = await client.get("/docs")
    assert docs.status_code == 200
    assert "swagger-ui" in docs.text
    assert (await client.get("/redoc")).status_code == 200
    schema = (await client.get("/openapi.json")).json()
    assert schema["info"]["title"] == "Task Manager API"
    assert schema["openapi"].startswith("3.")
    assert "Problem" in schema["components"]["schemas"]


async def test_docs_pages_load_only_their_own_assets(client: httpx.AsyncClient) -> None:
    """Every script and stylesheet of /docs and /redoc is served by the service, under a CSP
    that allows no other origin (the browser test, tests/live, renders them offline)."""
    for page in ("/docs", "/redoc"):
        response = await client.get(page)
        csp = response.headers["content-security-policy"]
        assert "script-src 'self';" in csp and "connect-src 'self';" in csp
        assert "default-src 'none'" in csp and "http" not in csp
        assets = re.findall(r'(?:src|href)="([^"]+)"', response.text)
        assert assets and all(a.startswith("/docs/assets/") for a in assets), assets
        for asset in assets:
            served = await client.get(asset)
            assert served.status_code == 200, asset
            assert served.headers["content-type"].startswith(("text/", "image/"))
            assert int(served.headers["content-length"]) > 0
    assert (await client.get("/docs/assets/nothing.js")).status_code == 404
