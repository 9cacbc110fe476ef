"""Regenerate docs/screenshot-desktop.png and docs/screenshot-phone.png in headless Chromium.

    python docs/screenshots.py
"""

from pathlib import Path

from playwright.sync_api import sync_playwright

from breakeven.web.local import CHROMIUM_ARGS, live_server

DOCS = Path(__file__).resolve().parent
SHOTS = {"desktop": {"width": 1280, "height": 1000}, "phone": {"width": 390, "height": 844}}
QUERY = "/?preset=b-calculator&mau=2300"
"""[B]'s calculator at 2,300 monthly users: just past the first crossing."""

if __name__ == "__main__":
    with live_server() as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        for name, viewport in SHOTS.items():
            page = browser.new_page(viewport=viewport, device_scale_factor=1)
            page.goto(url + QUERY)
            page.wait_for_function("window.breakevenStats && window.breakevenStats.drawn > 0", timeout=30_000)
            page.wait_for_function("window.breakevenStats.inputs.size === 0", timeout=30_000)
            page.wait_for_timeout(300)
            page.screenshot(path=str(DOCS / f"screenshot-{name}.png"))
            page.close()
        browser.close()
