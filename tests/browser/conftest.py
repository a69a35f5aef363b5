"""Real Chromium (Debian's package) driven by Playwright against pytest-django's live_server."""

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Playwright's sync API runs an event loop in this thread; the ORM calls in the tests themselves
# are still synchronous, so Django's async-safety guard must stand down for browser tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_browser():
    if not CHROMIUM.exists():
        reason = f"browser tests need Chromium at {CHROMIUM} (Debian package 'chromium')"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and {reason}: it is missing", pytrace=False)
        pytest.skip(f"SKIPPING BROWSER TESTS: {reason}")
    from playwright.sync_api import sync_playwright

    # launch() gives Chromium a new temporary profile every time (Playwright refuses a
    # --user-data-dir argument here; that is what launch_persistent_context is for).
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium_browser, live_server):
    """A fresh browser context (its own cookies and storage) per test."""
    context = chromium_browser.new_context(
        base_url=live_server.url, viewport={"width": 1200, "height": 900}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


WIDTHS = [390, 1280]  # a phone and a desktop


@pytest.fixture(params=WIDTHS, ids=lambda width: f"{width}px")
def sized_page(request, chromium_browser, live_server):
    """A page at each of WIDTHS, which knows its width (page.width)."""
    context = chromium_browser.new_context(
        base_url=live_server.url, viewport={"width": request.param, "height": 800}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.width = request.param
    yield page
    context.close()


def in_view(page, locator) -> bool:
    """Is the element within the width of a sized_page (not pushed off to the side)?"""
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= page.width


def log_in(page, username, password):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
