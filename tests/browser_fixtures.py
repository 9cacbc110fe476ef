"""Fixtures of the browser tests: the app on loopback, Debian's headless Chromium, and pages that
record console errors, every request, and any request that would leave the machine (refused)."""

from __future__ import annotations

import pytest
from browser import CHROMIUM, LAPTOP, PHONE, chromium, drawn, live_server, wait_drawn

BROWSER_TESTS = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's chromium is not installed (the README's test command installs it)"
    ),
]
"""The marks of every browser test module (``pytestmark = BROWSER_TESTS``)."""


@pytest.fixture(scope="module")
def base_url():
    with live_server() as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


def new_page(browser, base_url, viewport=LAPTOP):
    """A page in its own context: ``page.errors`` (console errors), ``page.requests`` (every URL asked
    for) and ``page.outside`` (URLs off this machine, refused)."""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.errors, page.requests, page.outside = [], [], []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("request", lambda r: page.requests.append(r.url))

    def guard(route):
        url = route.request.url
        if url.startswith(base_url) or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            page.outside.append(url)
            route.abort()

    context.route("**/*", guard)
    return page


@pytest.fixture
def page(browser, base_url):
    page = new_page(browser, base_url)
    yield page
    page.context.close()


@pytest.fixture
def phone(browser, base_url):
    page = new_page(browser, base_url, PHONE)
    yield page
    page.context.close()


def open_page(page, url: str) -> int:
    """Go to ``url`` and wait for its first answer (and its spread); returns the draw count."""
    page.goto(url)
    return wait_drawn(page, 0)


def set_entry(page, knob: str, text: str) -> None:
    """Type ``text`` into a knob's entry (or an option's field, ``#opt-...``) and wait for the redraw."""
    before = drawn(page)
    page.fill(f"#{knob}" if knob.startswith("opt-") else f"#{knob}-entry", text)
    wait_drawn(page, before)
