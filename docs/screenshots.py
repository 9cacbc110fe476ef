"""Regenerate the screenshots in docs/ in headless Chromium: the knobs page (desktop and phone), its
tornado and horizon on [C]'s utilization example, and the first screen of the report of
examples/glm-team.yaml.

    python docs/screenshots.py
"""

import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from breakeven.cli import run
from breakeven.web.local import CHROMIUM_ARGS, live_server

DOCS = Path(__file__).resolve().parent
SHOTS = {"desktop": {"width": 1280, "height": 1000}, "phone": {"width": 390, "height": 844}}
QUERY = "/?preset=b-calculator&mau=2300"
"""[B]'s calculator at 2,300 monthly users: just past the first crossing."""
SPREAD_QUERY = "/?preset=c-utilization&horizon=1"
"""[C]'s 671B-class MoE on a rented node against DeepSeek's API: the tornado flips on the API's prices."""
SPREAD_PARTS = {"tornado": "#spread-box", "horizon": "#horizon-box"}
SPREAD_VIEWPORT = {"width": 1280, "height": 4000}
"""Tall enough that each part is on screen whole."""
REPORT_OF = DOCS.parent / "examples" / "glm-team.yaml"
SETTLED = (
    "window.breakevenStats && window.breakevenStats.drawn > 0 && window.breakevenStats.inputs.size === 0"
    " && !window.breakevenStats.spreadPending"
)
"""The page has drawn its answer and the Monte Carlo after it."""
REPORT_VIEWPORT = {"width": 1280, "height": 900}


def page_shots(browser, url: str) -> None:
    for name, viewport in SHOTS.items():
        page = browser.new_page(viewport=viewport, device_scale_factor=1)
        page.goto(url + QUERY)
        page.wait_for_function(SETTLED, timeout=30_000)
        page.wait_for_timeout(300)
        page.screenshot(path=str(DOCS / f"screenshot-{name}.png"))
        page.close()


def spread_shots(browser, url: str) -> None:
    """The tornado and the horizon sections, each as its own picture."""
    page = browser.new_page(viewport=SPREAD_VIEWPORT, device_scale_factor=1)
    page.goto(url + SPREAD_QUERY)
    page.wait_for_function(SETTLED, timeout=30_000)
    page.wait_for_timeout(300)
    for name, selector in SPREAD_PARTS.items():
        page.locator(selector).screenshot(path=str(DOCS / f"screenshot-{name}.png"))
    page.close()


def report_shot(browser) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.html"
        assert run(["report", str(REPORT_OF), "-o", str(report)]) == 0
        page = browser.new_page(viewport=REPORT_VIEWPORT, device_scale_factor=1)
        page.goto(report.as_uri())
        page.wait_for_function("document.querySelectorAll('.plotly-graph-div .main-svg').length > 0")
        page.wait_for_timeout(300)
        page.screenshot(path=str(DOCS / "report-screenshot.png"))
        page.close()


if __name__ == "__main__":
    with live_server() as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        page_shots(browser, url)
        spread_shots(browser, url)
        report_shot(browser)
        browser.close()
