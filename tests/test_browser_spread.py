"""How sure the knobs page's answer is, and over time, in a real headless Chromium: the P10-P90 bands,
the probability that self-hosting wins, the tornado and the horizon match `breakeven evaluate FILE
--uncertainty --samples N --seed S [--horizon] --json` figure for figure; switched off they are gone
and no more Monte Carlo is asked for; the options live in the link; the point answer never waits for
the Monte Carlo."""

from urllib.parse import parse_qs, urlparse

import pytest
from browser import check_figures, cli_json, drawn, wait_drawn
from browser_fixtures import BROWSER_TESTS, new_page, open_page, set_entry
from conftest import ROOT

from breakeven.outputs.format import percent

pytestmark = BROWSER_TESTS
EXAMPLES = ROOT / "src" / "breakeven" / "examples"


def _layers(page, layer: str) -> list:
    """[candidate, y values] of the main chart's traces of one layer ("cost" or "band")."""
    return page.evaluate(
        f"document.getElementById('chart').data.filter(t => t.meta.layer === '{layer}')"
        ".map(t => [t.meta.candidate || t.name, t.y])"
    )


def _spread_requests(page) -> int:
    return sum(1 for u in page.requests if "/api/evaluate?" in u and "uncertainty=true" in u)


def test_band_odds_tornado_and_horizon_match_the_cli(page, base_url):
    open_page(page, base_url + "/?preset=c-utilization&samples=500&seed=7&horizon=1")
    expected = cli_json(
        EXAMPLES / "c-utilization.yaml", "--uncertainty", "--samples", "500", "--seed", "7", "--horizon", "--curves"
    )
    assert page.errors == []
    shown = check_figures(page, expected)
    for key in (
        "uncertainty.probability_selfhost_cheapest",
        "uncertainty.tornado.0.low",
        "horizon.candidates.0.net_present_cost",
    ):
        assert key in shown
    u = expected["uncertainty"]
    bands = _layers(page, "band")  # the P90 edge, then the P10 edge filled to it
    assert len(bands) == 2 * len(u["curves"])
    for band in u["curves"]:
        upper, lower = [y for name, y in bands if name == band["candidate"]]
        assert upper == pytest.approx(band["p90"], rel=1e-5) and lower == pytest.approx(band["p10"], rel=1e-5)
    odds = page.text_content("#odds")
    iv = u["probability_selfhost_cheapest_interval"]
    p = f"in {percent(u['probability_selfhost_cheapest'])} of 500 samples"
    assert f"{p} (95% interval {percent(iv['low'])} to {percent(iv['high'])})" in odds
    assert "at P10" in odds and "at P90" in odds
    rows = page.eval_on_selector_all("#tornado tbody th", "ths => ths.map(t => t.textContent)")
    moving = [b["input"] for b in u["tornado"] if b["flips"] or b["swing"] or b["gap_swing"]]
    assert rows == moving and len(moving) >= 2  # the inputs that move the answer, largest swing first
    still = page.text_content("#tornado-still")
    assert f"{len(u['tornado']) - len(moving)} more inputs move neither" in still
    assert all(b["input"] in still for b in u["tornado"] if b["input"] not in moving)
    assert _break_even_band(page) == pytest.approx(
        [u["break_even"][0]["selfhost_cheaper_above"]["p10"], max(expected["curves"][0]["volumes"])], rel=1e-5
    )  # the JSON's 6 significant figures  # P90 never: the band runs to the chart's edge
    horizon = page.evaluate("document.getElementById('horizon-chart').data.map(t => [t.name, t.y])")
    for (name, y), c in zip(horizon, expected["horizon"]["candidates"], strict=True):
        assert name == c["name"] and y == pytest.approx(c["cumulative_cost"], rel=1e-5)


def _break_even_band(page) -> list[float]:
    """[x0, x1] of the chart's grey break-even P10-P90 band."""
    return page.evaluate(
        "(() => { const s = document.getElementById('chart').layout.shapes"
        ".find(s => s.name === 'break-even P10–P90'); return s ? [s.x0, s.x1] : null; })()"
    )


def test_cost_per_million_view_has_its_band_and_the_break_even_band_is_the_cli_s(page, base_url):
    open_page(page, base_url + "/?preset=d-scenario-b&samples=500&seed=7")
    expected = cli_json(EXAMPLES / "d-scenario-b.yaml", "--uncertainty", "--samples", "500", "--seed", "7", "--curves")
    spread = expected["uncertainty"]["break_even"][0]["selfhost_cheaper_above"]
    assert spread["p10"] < spread["p90"]
    assert _break_even_band(page) == pytest.approx([spread["p10"], spread["p90"]], rel=1e-5)
    monthly = _layers(page, "band")
    page.click("#tab-permillion")
    per_million = _layers(page, "band")
    assert per_million != monthly and len(per_million) == 2 * len(expected["uncertainty"]["curves"])
    for band in expected["uncertainty"]["curves"]:
        upper, lower = [y for name, y in per_million if name == band["candidate"]]
        edges = band["cost_per_million_tokens"]
        assert upper == pytest.approx(edges["p90"], rel=1e-5) and lower == pytest.approx(edges["p10"], rel=1e-5)
    assert "P10 to P90 of its cost per million tokens over 500 samples" in page.text_content("#chart-caption")


def test_inputs_that_move_nothing_are_named_not_tabled(page, base_url):
    open_page(page, base_url + "/?preset=b-calculator&samples=500&seed=7")
    expected = cli_json(EXAMPLES / "b-calculator.yaml", "--uncertainty", "--samples", "500", "--seed", "7")
    tornado = expected["uncertainty"]["tornado"]
    assert tornado and not any(b["flips"] or b["swing"] or b["gap_swing"] for b in tornado)
    assert page.locator("#spread-box").is_visible() and page.locator("#tornado-wrap").is_hidden()
    still = page.text_content("#tornado-still")
    assert still.startswith(f"None of the {len(tornado)} uncertain inputs moves")
    assert all(b["input"] in still for b in tornado)


def test_buying_shows_when_it_pays_back_as_the_cli_says(page, base_url, tmp_path):
    open_page(page, base_url + "/?preset=glm-team")
    before = drawn(page)
    page.select_option("#gpu_offer", "own:hgx-h100-8-node-c")
    wait_drawn(page, before)
    assert page.locator("#horizon-box").is_hidden()  # the scenario has no horizon, and it is not asked for
    before = drawn(page)
    page.check("#opt-horizon")
    wait_drawn(page, before)
    assert page.locator("#horizon-box").is_visible() and "pays back against" in page.text_content("#paybacks")
    with page.expect_download() as download:
        page.click("#download")
    saved = tmp_path / "owned.yaml"
    download.value.save_as(saved)
    expected = cli_json(saved, "--uncertainty", "--samples", "2000", "--seed", "0", "--horizon")
    assert expected["horizon"]["payback"]
    shown = check_figures(page, expected)
    assert "horizon.payback.0.month" in shown or "horizon.payback.0.discounted_month" in shown


def test_switching_the_spread_off_removes_it_and_asks_for_no_more(page, base_url):
    open_page(page, base_url + "/?preset=glm-team")
    assert _layers(page, "band") and page.locator("#odds").is_visible() and page.locator("#spread-box").is_visible()
    before = drawn(page)
    page.uncheck("#opt-unc")
    wait_drawn(page, before)
    assert _layers(page, "band") == [] and len(_layers(page, "cost")) == 3
    assert page.locator("#odds").is_hidden() and page.locator("#spread-box").is_hidden()
    assert "P10" not in page.text_content("#candidates") and page.is_disabled("#opt-samples")
    visible = page.eval_on_selector_all(
        "[data-key^='uncertainty.']", "els => els.filter(e => e.closest('[hidden]') === null).length"
    )
    assert visible == 0
    assert parse_qs(urlparse(page.url).query)["unc"] == ["0"]
    asked = _spread_requests(page)
    set_entry(page, "mau", "3000")
    page.wait_for_timeout(300)
    assert _spread_requests(page) == asked
    before = drawn(page)
    page.check("#opt-unc")
    wait_drawn(page, before)
    assert _layers(page, "band") and page.locator("#odds").is_visible() and "unc" not in page.url


def test_the_link_keeps_samples_seed_and_horizon(page, browser, base_url):
    open_page(page, base_url + "/?preset=d-scenario-b")
    set_entry(page, "opt-samples", "500")
    seed = str(2**63 - 1)  # the largest seed: more digits than a JavaScript number holds exactly
    set_entry(page, "opt-seed", seed)
    before = drawn(page)
    page.check("#opt-horizon")
    wait_drawn(page, before)
    query = parse_qs(urlparse(page.url).query)
    assert (query["samples"], query["seed"], query["horizon"]) == (["500"], [seed], ["1"])
    assert "of 500 samples" in page.text_content("#odds")
    again = new_page(browser, base_url)
    open_page(again, page.url)
    assert (again.input_value("#opt-samples"), again.input_value("#opt-seed")) == ("500", seed)
    assert again.is_checked("#opt-horizon") and again.is_checked("#opt-unc")
    for part in ("#odds", "#candidates", "#tornado", "#horizon-table", "#paybacks"):
        assert again.text_content(part) == page.text_content(part), part
    again.context.close()


def test_bad_options_are_refused_beside_their_field_and_in_a_link(page, base_url):
    open_page(page, base_url + "/?preset=glm-team&samples=10&seed=x&unc=maybe")
    notice = page.text_content("#notice")
    assert "samples must be from 100 to 20,000" in notice and "seed must be a whole number" in notice
    assert "uncertainty switch" in notice and page.input_value("#opt-samples") == "2000"
    assert page.locator("#odds").is_visible()  # the defaults are used
    asked = _spread_requests(page)
    page.fill("#opt-samples", "50000")
    error = page.locator("#opt-samples-err")
    assert error.is_visible() and "Samples: must be from 100 to 20,000" in error.text_content()
    assert page.get_attribute("#opt-samples", "aria-invalid") == "true"
    page.wait_for_timeout(300)
    assert _spread_requests(page) == asked and "samples" not in page.url
    set_entry(page, "opt-samples", "1000")
    assert error.is_hidden() and "of 1,000 samples" in page.text_content("#odds")


def test_the_point_answer_is_drawn_before_the_spread_arrives(page, base_url):
    open_page(page, base_url + "/?preset=glm-team")
    page.evaluate(
        "window.__pending = []; document.addEventListener('breakeven:drawn', "
        "() => window.__pending.push(window.breakevenStats.spreadPending))"
    )
    spreads = page.evaluate("window.breakevenStats.spreads")
    set_entry(page, "mau", "2500")
    assert page.evaluate("window.__pending") == [True]  # drawn while the Monte Carlo was still on its way
    assert page.evaluate("window.breakevenStats.spreads") == spreads + 1
    assert "At 2,500 monthly active users" in page.text_content("#recommendation")
