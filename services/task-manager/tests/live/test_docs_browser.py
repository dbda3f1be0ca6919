"""/docs and /redoc in a real browser (headless Chromium) with no network but loopback: the
pages render every operation from the service's own assets, and "Try it out" with an API key
gets a 200. Screenshots go to .ci/artifacts/ (CI keeps them)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import httpx
import pytest

from .cdp import Page, chromium_path, open_page
from .liveserver import LIVE_KEY, LiveServer

ARTIFACTS = Path(__file__).resolve().parents[4] / ".ci" / "artifacts"

pytestmark = pytest.mark.skipif(
    chromium_path() is None,
    reason="chromium is not installed (apt-get install -y chromium); .ci/run installs it",
)

if os.environ.get("REQUIRE_BROWSER_TESTS") == "1" and chromium_path() is None:
    raise RuntimeError("REQUIRE_BROWSER_TESTS=1 but chromium is not installed")


def schema_operations(base_url: str) -> list[tuple[str, str]]:
    schema = httpx.get(f"{base_url}/openapi.json").json()
    return [
        (method.upper(), path)
        for path, item in schema["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    ]


# ReDoc's sidebar shows Redocly's logo from their CDN; the page's CSP blocks it (no request
# leaves the browser) and ReDoc hides the image. Nothing else may even be attempted.
BLOCKED_AS_EXPECTED = {"https://cdn.redoc.ly/redoc/logo-mini.svg"}


def assert_only_loopback(page: Page, base_url: str) -> None:
    elsewhere = [u for u in page.requests if not u.startswith((base_url, "data:", "blob:"))]
    assert set(elsewhere) <= BLOCKED_AS_EXPECTED, (
        f"the page reached beyond the service: {elsewhere}"
    )
    assert set(elsewhere) <= set(page.blocked_by_csp), "not blocked by the page's CSP"
    violations = [
        m
        for m in page.console
        if "Content Security Policy" in m and not any(u in m for u in BLOCKED_AS_EXPECTED)
    ]
    assert violations == [], violations
    assert page.failed == [], page.failed


def click(page: Page, selector: str) -> None:
    page.wait_for(f"!!document.querySelector({json.dumps(selector)})")
    page.evaluate(f"document.querySelector({json.dumps(selector)}).click()")


def fill(page: Page, selector: str, value: str) -> None:
    """Focus the input and type, as a person would (Swagger UI debounces its inputs)."""
    page.wait_for(f"!!document.querySelector({json.dumps(selector)})")
    page.evaluate(f"document.querySelector({json.dumps(selector)}).focus()")
    page.call("Input.insertText", text=value)
    time.sleep(0.6)


def test_swagger_ui_renders_offline_and_try_it_out_works(running_service: LiveServer) -> None:
    base = running_service.base_url
    operations = schema_operations(base)
    with open_page() as page:
        page.navigate(f"{base}/docs")
        page.wait_for(
            f"document.querySelectorAll('.opblock-summary-path').length >= {len(operations)}"
        )
        rendered = page.evaluate(
            "[...document.querySelectorAll('.opblock')].map(o => ["
            "o.querySelector('.opblock-summary-method').textContent,"
            "o.querySelector('.opblock-summary-path').dataset.path])"
        )
        assert sorted(map(tuple, rendered)) == sorted(operations)

        # Authorize with the key (X-API-Key), as a person would.
        click(page, ".auth-wrapper .authorize")
        fill(page, ".auth-container input", LIVE_KEY)
        click(page, ".auth-btn-wrapper .modal-btn.authorize")
        click(page, ".auth-btn-wrapper .btn-done")

        # GET /v1/tasks: open it, "Try it out", the player id, Execute.
        op = "#operations-tasks-list_tasks_v1_tasks_get"
        page.wait_for(f"!!document.querySelector('{op}')")
        click(page, f"{op} .opblock-summary-control")
        click(page, f"{op} .try-out__btn")
        fill(page, f"{op} tr[data-param-name='X-User-ID'] input", "u-browser")
        click(page, f"{op} .execute")
        try:
            status = page.wait_for(
                f"document.querySelector('{op} .live-responses-table tbody .response-col_status')"
                "?.textContent.trim()"
            )
        except TimeoutError as exc:
            shown = page.evaluate(f"document.querySelector('{op}').innerText")
            raise AssertionError(f"no response shown:\n{shown}") from exc
        finally:
            page.evaluate(  # the answer in view
                f"document.querySelector('{op} .responses-inner')?.scrollIntoView()"
            )
            page.screenshot(ARTIFACTS / "docs-swagger-ui.png")
        assert status == "200", page.evaluate(
            f"document.querySelector('{op} .live-responses-table')?.innerText"
        )
        assert_only_loopback(page, base)


def test_redoc_renders_offline(running_service: LiveServer) -> None:
    base = running_service.base_url
    operations = schema_operations(base)
    with open_page() as page:
        page.navigate(f"{base}/redoc")
        count = "document.querySelectorAll('[data-section-id*=\"operation/\"]').length"
        page.wait_for(f"{count} >= {len(operations)}")
        page.screenshot(ARTIFACTS / "docs-redoc.png")
        text = page.evaluate("document.body.innerText")
        for _method, path in operations:
            assert path in text
        assert_only_loopback(page, base)
