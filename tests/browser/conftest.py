import asyncio
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


def _run_loop(loop) -> None:
    """Mark Playwright's event loop as the running one in this thread (None: no loop).

    Playwright's sync API leaves its loop marked as running between calls. While it is, Django
    refuses database calls and asyncio.run() refuses to start, so the mark is lifted whenever no
    browser test is running: tests outside tests/browser and the fixtures that arrange a
    browser test's data run as if no browser had been started.
    """
    asyncio._set_running_loop(loop)


@pytest.fixture(scope="session")
def chromium():
    """One Debian Chromium, driven by Playwright, for the whole test session; skipped without
    it, except in CI."""
    if not os.path.exists(CHROMIUM):
        if ci_is_on():
            pytest.fail(f"{CHROMIUM} is missing and CI=true: the browser tests must run")
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        loop = asyncio.get_running_loop()
        _run_loop(None)
        yield browser, loop
        _run_loop(loop)
        browser.close()


@pytest.fixture
def browser(chromium):
    """The session's Chromium for one test; every context and page the test opens is closed
    after it, so no cookie, storage or open page reaches the next test."""
    browser, loop = chromium
    _run_loop(loop)
    try:
        yield browser
        for context in browser.contexts:
            context.close()
    finally:
        _run_loop(None)
