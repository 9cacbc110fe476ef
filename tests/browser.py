"""Headless Chromium (Debian's, via Playwright) for browser tests."""

from __future__ import annotations

import contextlib
from pathlib import Path

from breakeven.web.local import CHROMIUM_ARGS, live_server  # noqa: F401  (re-exported for the tests)

CHROMIUM = Path("/usr/bin/chromium")


@contextlib.contextmanager
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def wait_drawn(page, after: int, timeout: float = 20_000) -> int:
    """Wait until the page has drawn more than ``after`` results and no input awaits a redraw."""
    page.wait_for_function(f"window.breakevenStats && window.breakevenStats.drawn > {after}", timeout=timeout)
    page.wait_for_function("window.breakevenStats.inputs.size === 0", timeout=timeout)
    return page.evaluate("window.breakevenStats.drawn")
