import os

import pytest

from clearline.core.dbcheck import ci_is_on

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture
def browser():
    """Debian's Chromium driven by Playwright; skipped without it, except in CI."""
    if not os.path.exists(CHROMIUM):
        if ci_is_on():
            pytest.fail(f"{CHROMIUM} is missing and CI=true: the browser tests must run")
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()
