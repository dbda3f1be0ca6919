"""Self-hosted API documentation pages: Swagger UI at ``/docs`` and ReDoc at ``/redoc``.

Generic (nothing of the service in here but what the caller passes), so any FastAPI app can
use it: create the app with ``docs_url=None, redoc_url=None`` and call
:func:`install_docs_pages`. The scripts and styles are the ones the ``fastapi-offline`` PyPI
package ships (pinned in uv.lock with their hashes) plus two small start-up scripts of ours;
nothing is fetched from a CDN, so the pages render on a machine without internet access.

Every page and asset carries a Content-Security-Policy that allows only the service's own
origin (no inline script: the start-up scripts are files that read ``data-`` attributes);
ReDoc's page also allows inline styles, which ReDoc cannot work without (docs/decisions.md).
"""

from __future__ import annotations

import html
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse, HTMLResponse

# 'self' only; images also from data: URIs (Swagger UI's icons are inline SVG in its CSS).
# No inline script, no other origin, no framing, no form posts.
_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'{inline_styles}; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self' blob:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
SWAGGER_UI_CSP = _CSP.format(inline_styles="")
# ReDoc styles itself with styled-components, which injects <style> elements and offers no
# nonce hook in the standalone bundle: its page also allows inline *styles* (never scripts).
REDOC_CSP = _CSP.format(inline_styles=" 'unsafe-inline'")
_ASSET_CACHE_SECONDS = 86_400

_OWN = Path(__file__).with_name("docs_assets")

_MEDIA_TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}


def _asset_files() -> dict[str, Path]:
    vendored = files("fastapi_offline") / "static"
    names = ("swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js", "favicon.png")
    assets = {name: Path(str(vendored / name)) for name in names}
    assets |= {path.name: path for path in _OWN.iterdir() if path.suffix in _MEDIA_TYPES}
    return assets


def _security_headers(csp: str = SWAGGER_UI_CSP) -> dict[str, str]:
    return {
        "Content-Security-Policy": csp,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }


def install_docs_pages(
    app: FastAPI,
    *,
    title: str,
    openapi_url: str = "/openapi.json",
    docs_url: str = "/docs",
    redoc_url: str = "/redoc",
    assets_url: str = "/docs/assets",
) -> None:
    """Serve Swagger UI at ``docs_url`` and ReDoc at ``redoc_url`` from the app itself."""
    assets = _asset_files()
    # The asset URLs change with the package version: browsers may cache them for a day.
    stamp = html.escape(version("fastapi-offline"))
    asset = {name: f"{assets_url}/{name}?v={stamp}" for name in assets}
    page_title = html.escape(title)
    spec = html.escape(openapi_url)

    swagger_page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{page_title} - Swagger UI</title>
<link rel="icon" href="{asset["favicon.png"]}">
<link rel="stylesheet" href="{asset["swagger-ui.css"]}">
</head><body>
<div id="swagger-ui" data-openapi-url="{spec}"></div>
<script src="{asset["swagger-ui-bundle.js"]}"></script>
<script src="{asset["swagger-init.js"]}"></script>
</body></html>
"""
    redoc_page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{page_title} - ReDoc</title>
<link rel="icon" href="{asset["favicon.png"]}">
<link rel="stylesheet" href="{asset["redoc-page.css"]}">
</head><body>
<div id="redoc" data-openapi-url="{spec}"></div>
<script src="{asset["redoc.standalone.js"]}"></script>
<script src="{asset["redoc-init.js"]}"></script>
</body></html>
"""

    @app.get(docs_url, include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        return HTMLResponse(swagger_page, headers=_security_headers())

    @app.get(redoc_url, include_in_schema=False)
    async def redoc() -> HTMLResponse:
        return HTMLResponse(redoc_page, headers=_security_headers(REDOC_CSP))

    @app.get(assets_url + "/{name}", include_in_schema=False)
    async def docs_asset(name: str) -> FileResponse:
        path = assets.get(name)
        if path is None:
            raise HTTPException(status_code=404)
        headers = _security_headers()
        headers["Cache-Control"] = f"public, max-age={_ASSET_CACHE_SECONDS}"
        return FileResponse(path, media_type=_MEDIA_TYPES[path.suffix], headers=headers)
