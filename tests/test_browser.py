"""The knobs page in a real headless Chromium (Debian's package, driven by Playwright): it evaluates
exactly the scenario it shows, says [B]'s answer plainly, keeps bad input next to its field, never
leaves the machine, and works on a phone and with a keyboard."""

import math
from urllib.parse import parse_qs, quote, urlparse

import pytest
import yaml
from browser import (
    LAPTOP,
    PHONE,
    check_figures,
    cli_json,
    drawn,
    entry_value,
    run_axe,
    shown_number,
    wait_drawn,
)
from browser_fixtures import BROWSER_TESTS
from browser_fixtures import new_page as _new_page
from browser_fixtures import open_page as _open
from browser_fixtures import set_entry as _set
from conftest import ROOT

from breakeven.web.knobs import KNOBS

pytestmark = BROWSER_TESTS
EXAMPLES = sorted((ROOT / "src" / "breakeven" / "examples").glob("*.yaml"))


def _headline(page) -> str:
    return page.text_content("#headline")


def _b64(text: str) -> str:
    import base64

    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _evaluate_requests(page) -> int:
    return sum(1 for u in page.requests if u.endswith("/api/evaluate"))


# ------------------------------------------------------------------ the page evaluates the scenario it shows


def test_page_loads_without_errors_or_outside_requests(page, base_url):
    _open(page, base_url + "/")
    assert page.errors == [] and page.outside == []
    assert page.requests and all(u.startswith(base_url) or u.startswith("data:") for u in page.requests)
    assert "first wins at" in _headline(page) and "wins for good above" in _headline(page)
    assert page.locator("#assumptions tbody tr").count() > 20
    assert page.locator("#assumptions .badge.firm").count() > 0
    layers = page.evaluate("document.getElementById('chart').data.map(t => t.meta.layer)")
    # two APIs and the self-host staircase, each with its P10-P90 band (two edges), and, a third kind
    # of line, the best hybrid of the chosen pair
    assert layers.count("cost") == 3 and layers.count("band") == 6 and layers.count("hybrid") == 1
    hybrid = "document.getElementById('chart').data.filter(t => t.meta.layer === 'hybrid').map(t => t.name)"
    names = page.evaluate(hybrid)
    assert names[0].startswith("hybrid: ")


PAGE_SPREAD = ("--uncertainty", "--samples", "2000", "--seed", "0")
"""The page's Monte Carlo unless told otherwise: the server's default samples, seed 0."""


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_uploaded_example_shows_exactly_the_cli_numbers(page, base_url, path):
    _open(page, base_url + "/")
    before = drawn(page)
    page.set_input_files("#upload", str(path))
    wait_drawn(page, before)
    assert page.errors == [] and page.locator("#problems").is_hidden()
    expected = cli_json(path, *PAGE_SPREAD)
    shown_keys = check_figures(page, expected)
    if expected["uncertainty"]["probability_selfhost_cheapest"] is not None:
        assert "uncertainty.samples" in shown_keys
    else:  # only APIs: the sentence says which is cheapest how often
        assert expected["uncertainty"]["summary"] in page.text_content("#odds")
    moving = [b for b in expected["uncertainty"]["tornado"] if b["flips"] or b["swing"] or b["gap_swing"]]
    assert any(k.startswith("uncertainty.tornado.") for k in shown_keys) == bool(moving)  # still inputs: named
    for i in range(len(expected["candidates"])):  # every candidate's cost is on the page
        assert f"candidates.{i}.monthly_cost" in shown_keys
    for j, be in enumerate(expected["break_even"]):
        if be["selfhost_cheaper_above"] is not None:
            assert f"break_even.{j}.selfhost_cheaper_above" in shown_keys
    assert page.text_content("[data-text=recommendation]") == expected["recommendation"]
    assert page.eval_on_selector_all("li.reason", "els => els.map(e => e.textContent)") == expected["reasons"]
    rows = page.eval_on_selector_all(
        "#assumptions tbody tr", "rows => rows.map(r => [...r.cells].map(c => c.textContent))"
    )
    assert rows == [[a["name"], a["value"], a["unit"], a["confidence"], a["source"]] for a in expected["assumptions"]]
    _knobs_show_the_file(page, yaml.safe_load(path.read_text()))


def _knobs_show_the_file(page, data: dict) -> None:
    """Every visible number knob shows the file's own value (or, where the file leaves it out, what
    leaving it out means)."""
    apis = [c for c in data["candidates"] if c["kind"] == "api"]
    hosts = [c for c in data["candidates"] if c["kind"] == "selfhost"]
    scopes = {"scenario": data, "api": apis[0] if apis else None, "host": hosts[0] if hosts else None}
    checked = 0
    for k in KNOBS:
        if k.kind == "select" or not page.locator(f"#row-{k.id}").is_visible():
            continue
        value = scopes[k.scope]
        for part in k.path.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        text = page.input_value(f"#{k.id}-entry")
        if value is None:
            assert text == ("" if k.absent is None else text), k.id
            continue
        shown = entry_value(text, k.kind == "share")
        value = float(value) if isinstance(value, str) else value  # YAML 1.1 reads 6.17e9 as text
        assert shown == pytest.approx(value, rel=1e-9), (k.id, text, value)
        checked += 1
    assert checked >= 5


def test_knobs_the_page_cannot_show_are_listed_and_kept(page, base_url):
    _open(page, base_url + "/?preset=glm-team")
    kept = page.text_content("#kept")
    assert '"GLM-5.2 API (Z.ai)"' in kept and "fx" in kept and "max ttft" not in kept.lower()
    _set(page, "mau", "3000")
    assert page.locator("#candidates tbody th").count() == 3  # the Z.ai candidate is still evaluated
    assert "redundancy" in page.text_content("#candidates")  # failover kept
    page.select_option("#api_pick", label="GLM-5.2 API (Z.ai)")  # the knobs and the headline follow it
    assert "against GLM-5.2 API (Z.ai)" in _headline(page) and page.input_value("#api_offer") == "zai-glm-5.2"
    assert '"serverless"' in page.text_content("#kept")


def test_custom_prices_start_from_the_offer_and_a_mode_switch_evaluates(page, base_url):
    _open(page, base_url + "/?preset=glm-team")
    cost = page.text_content("[data-key='candidates.0.monthly_cost']")
    before = drawn(page)
    page.select_option("#api_offer", "custom")
    wait_drawn(page, before)
    assert page.input_value("#api_in-entry") == "1.8" and page.input_value("#api_out-entry") == "5.5"
    assert page.input_value("#api_cached-entry") == ""  # Scaleway has no prompt caching: none copied
    assert page.text_content("[data-key='candidates.0.monthly_cost']") == cost  # same prices, same cost
    before = drawn(page)
    page.select_option("#mode", "tokens")
    wait_drawn(page, before)
    assert page.locator("#row-tin").is_visible() and page.locator("#row-mau").is_hidden()
    assert "tokens/month" in page.text_content("#recommendation") and page.locator("#problems").is_hidden()


# ------------------------------------------------------------------ [B]'s answer is the headline


def test_b_values_give_b_answer_in_the_headline(page, base_url):
    _open(page, base_url + "/?preset=b-calculator&mau=500&rpd=2&days=30&api_in=3&node_h=50&hours=300&input=20000")
    assert "2,298" not in _headline(page)
    for knob, value in [
        ("mau", "2,300"),
        ("rpd", "5"),
        ("days", "20"),
        ("input", "50000"),
        ("output", "1000"),
        ("api_in", "1.80"),
        ("api_out", "5.50"),
        ("node_h", "30.06"),
        ("hours", "730"),
        ("peak", "5"),
        ("duty", "15"),
        ("conc", "24"),
        ("conc_ctx", "50000"),
    ]:
        _set(page, knob, value)
    per_user = 5 * 20 * (50_000 * 1.80 + 1_000 * 5.50) / 1e6  # [B]: serverless per MAU
    one_node = 30.06 * 730  # [B]: node EUR/h x 730
    assert f"first wins at {round(one_node / per_user):,} monthly active users" in _headline(page)  # 2,298
    assert "wins for good above 6,893 monthly active users" in _headline(page)
    steps = page.text_content("#steps")
    assert "3,200 monthly active users (2 replicas)" in steps and "6,400 monthly active users (3 replicas)" in steps
    assert parse_qs(urlparse(page.url).query)["mau"] == ["2300"]


def test_slider_has_fine_steps_and_typed_entry_is_exact(page, base_url):
    _open(page, base_url + "/?preset=b-calculator")
    page.focus("#mau")
    before = drawn(page)
    page.keyboard.press("ArrowRight")
    wait_drawn(page, before)
    one_step = entry_value(page.input_value("#mau-entry"), False)
    assert 2000 < one_step < 2000 * 1.015
    _set(page, "mau", "2300")
    assert page.input_value("#mau-entry") == "2300" and "2,300 users" in page.get_attribute("#mau", "aria-valuetext")
    assert "At 2,300 monthly active users" in page.text_content("#recommendation")


# ------------------------------------------------------------------ errors


def test_half_typed_number_is_an_error_beside_its_field_and_the_result_is_stale(page, base_url):
    _open(page, base_url + "/?preset=b-calculator")
    _set(page, "mau", "5")
    requests = _evaluate_requests(page)
    page.fill("#mau-entry", "5.5e")
    err = page.locator("#row-mau .field-error")
    assert err.is_visible() and "not a number" in err.text_content()
    assert page.get_attribute("#mau-entry", "aria-invalid") == "true"
    assert "stale" in page.get_attribute("#results", "class") and page.locator("#stale").is_visible()
    page.wait_for_timeout(300)
    assert _evaluate_requests(page) == requests  # nothing evaluated for "5.5e"
    _set(page, "mau", "5.5e3")
    assert err.is_hidden() and page.locator("#stale").is_hidden()
    assert "At 5,500 monthly active users" in page.text_content("#recommendation")


def test_server_error_goes_next_to_its_field_in_words(page, base_url):
    _open(page, base_url + "/?preset=glm-team")
    before = drawn(page)
    page.fill("#gpus-entry", "1")
    wait_drawn(page, before)
    err = page.text_content("#row-gpus .field-error")
    assert "GPUs per replica" in err and "needs at least" in err and "candidates[" not in err
    assert page.locator("#stale").is_visible()
    _set(page, "gpus", "8")
    assert page.locator("#row-gpus .field-error").is_hidden() and page.locator("#stale").is_hidden()


@pytest.mark.parametrize(
    "query, words",
    [
        ("?mau=-100&currency=GBP", ["Monthly active users: must be at least 0", 'Report currency: "GBP"']),
        ("?preset=no-such-thing", ['no scenario "no-such-thing"']),
        ("?gpus=1", ["GPUs per replica", "needs at least"]),  # accepted by the page, refused by the core
        ("?s=bm90LWpzb24", ["could not be read"]),
        (
            "?s="
            + _b64(
                '{"name": "x", "workload": {"users": {"monthly_active": 10, "requests_per_user": 1e6, '
                '"peak_online_share": 0.05, "duty_cycle": 0.15}, "request": {"input_tokens": 50000, '
                '"output_tokens": 1000}}, "candidates": [{"name": "n", "kind": "selfhost", "model": "glm-5.2",'
                ' "gpu": "h100-sxm", "gpus_per_replica": 8, "precision": "nvfp4", "attention_dp": true, '
                '"pricing": {"kind": "rent", "offer": "scaleway-h100-sxm-8"}}]}'
            ),
            ["impossible"],
        ),
    ],
)
def test_invalid_link_falls_back_to_the_defaults_with_a_message(page, base_url, query, words):
    _open(page, base_url + "/" + query)
    page.wait_for_function("document.getElementById('notice').textContent.length > 0")
    notice = page.text_content("#notice")
    assert all(w in notice for w in words), notice
    wait_drawn(page, 0)
    assert page.input_value("#mau-entry") == "2000" and "first wins at" in _headline(page)
    assert page.locator("#problems").is_hidden()


def test_absurd_inputs_are_refused_with_a_clear_message(page, base_url):
    _open(page, base_url + "/?preset=b-calculator")
    page.fill("#api_in-entry", "1e15")
    assert "must be at most 10,000" in page.text_content("#row-api_in .field-error")
    page.fill("#api_in-entry", "1.8")
    _open(page, base_url + "/?preset=glm-team")  # the model sizes this node (no capacity override)
    before = drawn(page)
    page.fill("#rpu-entry", "90000")  # within the knob's bound, impossible for the GPUs: the core says why
    wait_drawn(page, before)
    err = page.text_content("#row-rpu .field-error")
    assert "utilized, which is impossible" in err and "raise the duty cycle" in err
    assert "%" in err and page.locator("#stale").is_visible()


def test_nothing_overflows_its_card_with_huge_values(phone, base_url, tmp_path):
    data = yaml.safe_load((ROOT / "src/breakeven/examples/b-calculator.yaml").read_text())
    data["workload"]["users"]["monthly_active"] = 9.9e8
    data["candidates"][0]["prices"] = {"input_per_m": 9999, "output_per_m": 9999, "currency": "EUR"}
    path = tmp_path / "huge.yaml"
    path.write_text(yaml.safe_dump(data))
    _open(phone, base_url + "/")
    before = drawn(phone)
    phone.set_input_files("#upload", str(path))
    wait_drawn(phone, before)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    overflowing = phone.evaluate(
        """() => [...document.querySelectorAll('.answer, .knob, .headline, .steps, #candidates td, .notice')]
             .filter(e => e.offsetParent && e.scrollWidth > e.clientWidth + 1)
             .map(e => e.id || e.className || e.tagName)"""
    )
    assert overflowing == []


# ------------------------------------------------------------------ nothing leaves the machine


def test_no_click_anywhere_makes_a_request_off_this_machine(page, base_url):
    _open(page, base_url + "/?preset=glm-team")
    page.evaluate("window.open = (u) => { window.__opened = u; return null; }")
    assert page.locator(".modebar-btn, .modebar a").count() == 0  # no chart toolbar ("Share chart" and all)
    hrefs = page.eval_on_selector_all("a[href]", "as => as.map(a => a.href)")
    assert all(h.startswith(base_url) or h.startswith(("blob:", "data:")) for h in hrefs), hrefs
    page.locator("#advanced summary").click()
    clickables = page.locator("button, summary, [role=tab], .legendtoggle, label")
    for i in range(clickables.count()):
        target = clickables.nth(i)
        if target.is_visible() and target.is_enabled():
            with page.expect_download() if target.get_attribute("id") in ("download", "chart-png") else _nothing():
                target.click()
    box = page.locator("#chart").bounding_box()
    for fx, fy in [(0.3, 0.3), (0.5, 0.5), (0.8, 0.2)]:
        page.mouse.click(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
        page.mouse.dblclick(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
    page.wait_for_timeout(300)
    assert page.outside == [] and page.evaluate("window.__opened") is None
    assert all(u.startswith(base_url) or u.startswith(("data:", "blob:")) for u in page.requests)


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


# ------------------------------------------------------------------ currency


def test_currency_switch_converts_every_money_knob(page, base_url):
    _open(page, base_url + "/?preset=glm-team")
    before = drawn(page)
    page.select_option("#currency", "USD")
    wait_drawn(page, before)
    rate = 1 / 0.85027  # the scenario's own ECB rate, inverted
    for knob, eur in [("staff_rate", 110), ("prod", 15000), ("storage", 350)]:
        assert entry_value(page.input_value(f"#{knob}-entry"), False) == pytest.approx(eur * rate, rel=1e-6), knob
        assert page.text_content(f"#{knob}-unit").startswith("USD")
    assert page.input_value("#staff_h-entry") == "30"  # hours are not money
    cost, _ = shown_number(page.text_content("[data-key='candidates.2.monthly_cost']"))
    assert cost == pytest.approx(27_035 * rate, rel=1e-3)
    before = drawn(page)
    page.select_option("#currency", "EUR")
    wait_drawn(page, before)
    assert entry_value(page.input_value("#staff_rate-entry"), False) == pytest.approx(110)


# ------------------------------------------------------------------ state in the URL, uploads, downloads


def test_link_round_trips_the_scenario(page, browser, base_url):
    _open(page, base_url + "/?preset=glm-team")
    _set(page, "mau", "12000")
    _set(page, "staff_h", "80")
    _set(page, "prefix", "50")
    url, headline, table = page.url, _headline(page), page.text_content("#candidates")
    assert "mau=12000" in url and "staff_h=80" in url
    again = _new_page(browser, base_url)
    _open(again, url)
    assert _headline(again) == headline and again.text_content("#candidates") == table
    assert again.evaluate("JSON.stringify(scenario)") == page.evaluate("JSON.stringify(scenario)")
    again.context.close()


def test_uploaded_scenario_link_and_download_are_exact(page, browser, base_url, tmp_path):
    path = ROOT / "src/breakeven/examples/a-glm-team-tco.yaml"
    _open(page, base_url + "/")
    before = drawn(page)
    page.set_input_files("#upload", str(path))
    wait_drawn(page, before)
    assert "s=" in page.url
    again = _new_page(browser, base_url)
    _open(again, page.url)
    assert again.evaluate("JSON.stringify(scenario)") == page.evaluate("JSON.stringify(scenario)")
    again.context.close()
    with page.expect_download() as download:
        page.click("#download")
    saved = tmp_path / "scenario.yaml"
    download.value.save_as(saved)
    assert cli_json(saved) == cli_json(path)


def test_malicious_scenario_name_renders_as_text(page, base_url, tmp_path):
    _open(page, base_url + "/")
    scenario = tmp_path / "evil.yaml"
    scenario.write_text(
        "name: '<script>window.__pwned=2</script>'\n"
        "workload: {users: {monthly_active: 500, requests_per_user: 10, peak_online_share: 0.1, duty_cycle: 0.2},"
        " request: {input_tokens: 2000, output_tokens: 300}}\n"
        "candidates:\n - {name: '<img src=x onerror=\"window.__pwned=1\">', kind: api, offer: zai-glm-5.2}\n"
    )
    before = drawn(page)
    page.set_input_files("#upload", str(scenario))
    wait_drawn(page, before)
    assert "<script>window.__pwned=2</script>" in page.text_content("#about")
    assert page.locator("#candidates img").count() == 0 and page.evaluate("window.__pwned") is None
    _open(page, base_url + "/?name=" + quote("<b>x</b>"))
    assert "is not a setting of this page" in page.text_content("#notice")


def test_hybrid_plan_is_the_third_curve_with_the_cli_numbers(page, base_url):
    """The chosen pair's best hybrid is drawn as a dashed third line whose points are the hybrid curve of
    ``evaluate --json --curves``, and the best plan is named with its replicas and overflow."""
    import contextlib
    import io
    import json

    from breakeven.cli import run

    path = ROOT / "src" / "breakeven" / "examples" / "hybrid-office-hours.yaml"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert run(["evaluate", str(path), "--json", "--curves"]) == 0
    expected = json.loads(out.getvalue())
    _open(page, base_url + "/")
    before = drawn(page)
    page.set_input_files("#upload", str(path))
    wait_drawn(page, before)
    assert page.errors == [] and page.locator("#problems").is_hidden()
    traces = page.evaluate(
        "document.getElementById('chart').data.map(t => ({name: t.name, x: t.x, y: t.y, dash: t.line.dash}))"
    )
    hybrid = [t for t in traces if t["name"].startswith("hybrid: ")]
    assert len(hybrid) == 1 and hybrid[0]["dash"] == "dash"
    # the best-ranked hybrid of the pair: office hours beats base load + peaks at this volume
    assert hybrid[0]["name"] == "hybrid: office hours"
    want = next(c for c in expected["hybrid_curves"] if c["candidate"] == "office hours")
    close = {"rel": 1e-5}  # the CLI's JSON keeps six significant digits
    assert hybrid[0]["x"] == pytest.approx(want["volumes"], **close)
    assert hybrid[0]["y"] == pytest.approx(want["monthly_cost"], **close)
    pure = next(t for t in traces if t["name"] == "GLM-5.2 API (Z.ai)")
    at = min(range(len(want["volumes"])), key=lambda i: abs(want["volumes"][i] - expected["volume"]))
    assert hybrid[0]["y"][at] < pure["y"][at]  # at the scenario's volume the hybrid is below its API
    assert page.text_content("[data-text=best_plan]") == expected["best_plan"] == "office hours"
    plan = page.text_content("#plan")
    assert "5 replicas of dedicated (08-18, weekdays)" in plan and "takes 39% of the tokens" in plan
    assert "Dashed green" in page.text_content("#chart-caption")
    page.click("#tab-permillion")
    per_m = page.evaluate("document.getElementById('chart').data.find(t => t.name.startsWith('hybrid: ')).y")
    assert per_m == pytest.approx(want["cost_per_million_tokens"], **close)


def test_people_served_cost_per_task_and_redundancy_are_shown(page, base_url):
    """[A]'s counts and ticket price on the page (the numbers themselves are checked against the CLI by
    the uploaded-example test); owned GPUs add their energy."""
    _open(page, base_url + "/")
    before = drawn(page)
    page.set_input_files("#upload", str(ROOT / "src" / "breakeven" / "examples" / "a-glm-team-tco.yaml"))
    wait_drawn(page, before)
    rows = page.eval_on_selector_all("#candidates tr.detail", "rows => rows.map(r => r.textContent)")
    api, host = rows
    assert "per ticket: EUR 1.85" in api and "SLA" in api
    assert "one replica serves 1,500 chat users" in host and "agentic users" in host
    assert "standby" in host and "api failover" in host and "h down a month" in host
    assert "energy" not in host  # rented
    _open(page, base_url + "/?preset=glm-team")
    before = drawn(page)
    page.select_option("#gpu_offer", "own:hgx-h100-8-node-c")
    wait_drawn(page, before)
    owned = page.eval_on_selector_all("#candidates tr.detail", "rows => rows.map(r => r.textContent)")
    assert any("energy: " in r and "kWh a month; per million tokens" in r for r in owned)


def test_task_and_downtime_knobs_reprice_the_ticket_and_the_redundancy(page, base_url):
    _open(page, base_url + "/")
    before = drawn(page)
    page.set_input_files("#upload", str(ROOT / "src" / "breakeven" / "examples" / "a-tickets.yaml"))
    wait_drawn(page, before)
    assert page.input_value("#task_requests-entry") == "40" and page.input_value("#api_success-entry") == "80"
    assert page.locator("#row-host_success").is_hidden()  # no self-host candidate in this scenario
    accepted = "[data-key='candidates.0.cost_per_task.cost_per_accepted_task']"
    assert page.text_content(accepted) == "EUR 24.35"  # EUR 1.85 + 20% x the mid of [A]'s EUR 75-150
    _set(page, "api_success", "50")
    assert page.text_content(accepted) == "EUR 58.10"  # EUR 1.85 + 50% x EUR 112.50
    _set(page, "task_requests", "20")
    assert page.text_content("[data-key='candidates.0.cost_per_task.cost_per_task']") == "EUR 0.93"
    _open(page, base_url + "/?preset=glm-team")
    assert page.locator("#row-api_success").is_hidden()  # no task: no success rates
    assert "expected total" not in page.text_content("#candidates")
    _set(page, "downtime_cost", "10000")
    host = page.eval_on_selector_all("#candidates tr.detail", "rows => rows.map(r => r.textContent)")[2]
    assert host.count("expected total") == 3  # none, standby, API failover, each with its downtime priced
    assert parse_qs(urlparse(page.url).query)["downtime_cost"] == ["10000"]


def test_buying_gpus_instead_of_renting(page, base_url):
    _open(page, base_url + "/?preset=glm-team")
    before = drawn(page)
    page.select_option("#gpu_offer", "own:hgx-h100-8-node-c")
    wait_drawn(page, before)
    assert page.locator("#problems").is_hidden()
    names = page.eval_on_selector_all("#assumptions tbody tr td:first-child", "tds => tds.map(t => t.textContent)")
    assert any("purchase offer hgx-h100-8-node-c" in n for n in names)
    assert any("depreciation" in n for n in names)


# ------------------------------------------------------------------ phone, keyboard, accessibility


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_axe_finds_no_serious_or_critical_violation(browser, base_url, viewport):
    page = _new_page(browser, base_url, viewport)
    _open(page, base_url + "/?preset=glm-team&horizon=1")  # with the spread, the tornado and the horizon
    assert page.locator("#spread-box").is_visible(), page.text_content("#spread-status")
    assert page.locator("#horizon-box").is_visible()
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    assert run_axe(page) == []
    page.fill("#mau-entry", "5.5e")  # with an error and a stale result shown
    assert run_axe(page) == []
    page.context.close()


def test_on_a_phone_the_knobs_come_first(phone, base_url):
    _open(phone, base_url + "/")
    form, results = phone.locator("#knobs").bounding_box(), phone.locator("#results").bounding_box()
    assert form["y"] < results["y"] and form["y"] < 200
    focused = []
    for _ in range(6):
        phone.keyboard.press("Tab")
        focused.append(phone.evaluate("document.activeElement.closest('#knobs') !== null"))
    assert all(focused)
    assert phone.locator("#verdict-bar").is_visible() and "first wins at" in phone.text_content("#verdict-bar")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_chart_fits_the_data_and_labels_are_not_covered(page, base_url):
    _open(page, base_url + "/?preset=b-calculator")
    x_range, volumes = page.evaluate(
        "[document.getElementById('chart').layout.xaxis.range,"
        " document.getElementById('chart').data.filter(t => t.mode === 'lines').flatMap(t => t.x)]"
    )
    assert x_range == pytest.approx([math.log10(min(volumes)), math.log10(max(volumes))])
    labels = page.locator("#chart .annotation-text")
    assert labels.count() >= 3 and page.locator(".modebar-btn").count() == 0
    plot = page.locator("#chart .draglayer").bounding_box()
    for i in range(labels.count()):
        box = labels.nth(i).bounding_box()
        assert plot["x"] <= box["x"] and box["x"] + box["width"] <= plot["x"] + plot["width"] + 1
        assert plot["y"] <= box["y"] and box["y"] + box["height"] <= plot["y"] + plot["height"] + 1


def test_sliders_announce_their_values_in_units(page, base_url):
    _open(page, base_url + "/?preset=glm-team")
    assert page.get_attribute("#mau", "aria-valuetext") == "2,000 users"
    assert page.get_attribute("#duty", "aria-valuetext") == "15 percent"
    assert page.get_attribute("#staff_rate", "aria-valuetext") == "110 EUR per h"


def test_chart_tabs_follow_arrow_keys(page, base_url):
    _open(page, base_url + "/")
    page.focus("#tab-monthly")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.id") == "tab-permillion"
    assert page.get_attribute("#tab-permillion", "aria-selected") == "true"
    assert page.evaluate("document.getElementById('chart').layout.yaxis.type") == "log"
    page.keyboard.press("Home")
    assert page.evaluate("document.activeElement.id") == "tab-monthly"


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_touch_targets_are_at_least_24_px(browser, base_url, viewport):
    page = _new_page(browser, base_url, viewport)
    _open(page, base_url + "/?preset=glm-team&horizon=1")
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    small = page.evaluate(
        """() => [...document.querySelectorAll('input, select, button, summary, [role=tab]')]
             .filter(e => e.offsetParent).map(e => [e.id || e.tagName, e.getBoundingClientRect()])
             .filter(([, r]) => r.height < 24 || r.width < 24).map(([id, r]) => `${id} ${r.width}x${r.height}`)"""
    )
    assert small == []
    page.context.close()


def test_a_drag_sends_coalesced_requests(page, base_url):
    _open(page, base_url + "/?preset=b-calculator")
    before, requests = drawn(page), _evaluate_requests(page)
    box = page.locator("#mau").bounding_box()
    y = box["y"] + box["height"] / 2
    page.evaluate(
        "window.__moves = []; document.getElementById('mau').addEventListener('input', "
        "ev => window.__moves.push(ev.timeStamp))"
    )
    page.mouse.move(box["x"] + 5, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] - 5, y, steps=60)
    page.mouse.up()
    wait_drawn(page, before)
    page.wait_for_timeout(300)
    sent = _evaluate_requests(page) - requests
    moves = page.evaluate("window.__moves")
    seconds = (moves[-1] - moves[0]) / 1000
    assert len(moves) >= 40  # one input event per pointer move
    # The page's promise: one request in flight, at most one per 150 ms while dragging. On a busy
    # machine the drag's events spread over more time, so the bound is the drag's own duration.
    assert 1 <= sent < len(moves) and sent <= seconds / 0.150 + 2, (sent, len(moves), seconds)
    final = page.input_value("#mau-entry")
    assert parse_qs(urlparse(page.url).query)["mau"] == [str(entry_value(final, False)).removesuffix(".0")]
    volume, _ = shown_number(page.text_content("[data-key=volume]"))
    assert volume == pytest.approx(entry_value(final, False), rel=1e-3)
