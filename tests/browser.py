"""Headless Chromium (Debian's, via Playwright) for browser tests, and reading numbers off the page."""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

from breakeven.web.local import CHROMIUM_ARGS, live_server  # noqa: F401  (re-exported for the tests)

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
LAPTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


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
    """Wait until the page has drawn more than ``after`` results, no input awaits a redraw and no
    Monte Carlo the page wants is still on its way (the spread is drawn after the point answer)."""
    page.wait_for_function(f"window.breakevenStats && window.breakevenStats.drawn > {after}", timeout=timeout)
    page.wait_for_function(
        "window.breakevenStats.inputs.size === 0 && !window.breakevenStats.spreadPending", timeout=timeout
    )
    return page.evaluate("window.breakevenStats.drawn")


def drawn(page) -> int:
    return page.evaluate("window.breakevenStats.drawn")


def cli_json(path: Path, *options: str) -> dict:
    """``breakeven evaluate PATH --json [OPTIONS]``, run in-process."""
    from breakeven.cli import run

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert run(["evaluate", str(path), "--json", *options]) == 0
    return json.loads(out.getvalue())


def at_key(data, key: str):
    """The value at a dotted key of JSON data (``candidates.2.breakdown.gpu_rent``)."""
    for part in key.split("."):
        data = data[int(part)] if isinstance(data, list) else data[part]
    return data


SHOWN = re.compile(r"(-?\d[\d,]*(?:\.(\d+))?|-?\.\d+)(?:e([+-]?\d+))?\s*([TBM%](?![A-Za-z]))?")
SCALE = {"T": 1e12, "B": 1e9, "M": 1e6, "%": 0.01, None: 1.0}


def shown_number(text: str) -> tuple[float, float]:
    """(value, half the last shown digit) of a number as the page shows it: 'EUR 21,944', '7.78B
    tokens/month', '10%', '2.00e+17'."""
    m = SHOWN.search(text)
    assert m, f"no number in {text!r}"
    digits, decimals, exp, suffix = m.group(1), m.group(2) or "", int(m.group(3) or 0), m.group(4)
    value = float(digits.replace(",", "")) * 10**exp * SCALE[suffix]
    return value, 0.5 * 10 ** (exp - len(decimals)) * SCALE[suffix]


def check_shown(key: str, text: str, want) -> None:
    """A figure the page shows (``text``) is the JSON value ``want`` as the formatter writes it: within
    half its last shown digit; no number where the JSON has none ("never", "-", "not within the
    horizon"); ``<0.1%`` / ``>99.9%`` on the right side of their bound."""
    if want is None:
        assert not re.search(r"\d", text), (key, text)
        return
    shown, half_digit = shown_number(text)
    if text.lstrip().startswith(("<", ">")):
        assert (want < shown) if text.lstrip().startswith("<") else (want > shown), (key, text, want)
        return
    assert abs(shown - want) <= half_digit * (1 + 1e-9) + 1e-12, (key, text, want)


def shown_figures(page) -> list[tuple[str, str]]:
    """(JSON key, text) of every figure on the page that is shown (not in a hidden section)."""
    return page.eval_on_selector_all(
        "[data-key]", "els => els.filter(e => e.closest('[hidden]') === null).map(e => [e.dataset.key, e.textContent])"
    )


def check_figures(page, expected: dict) -> set[str]:
    """Every figure shown on the page is the value at its key in ``expected`` (the CLI's JSON), as
    the formatter writes it; returns the keys shown."""
    keys = shown_figures(page)
    assert len(keys) >= 10
    for key, text in keys:
        check_shown(key, text, at_key(expected, key))
    return {k for k, _ in keys}


def entry_value(text: str, share: bool):
    """A typed entry's value as the page reads it (a number or a [low, high] range)."""
    text = text.strip().rstrip("%")
    pieces = re.split(r"(?<=\d)\s*-\s*(?=\d)", text)
    values = []
    for piece in pieces:
        m = re.fullmatch(r"([\d.]+(?:e[+-]?\d+)?)([kKMBT])?", piece.replace(",", ""))
        assert m, f"entry shows {text!r}"
        v = float(m.group(1)) * {"k": 1e3, "K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12, None: 1}[m.group(2)]
        values.append(v / 100 if share else v)
    return values[0] if len(values) == 1 else values


def run_axe(page) -> list[dict]:
    """axe-core's serious and critical violations on the page as it is (WCAG 2.0-2.2 A/AA and best practices)."""
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {runOnly: {type: 'tag',
                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
        }"""
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]
