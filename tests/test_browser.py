"""The knobs page in a real headless Chromium (Debian's package, driven by Playwright)."""

import pytest
from browser import CHROMIUM, chromium, live_server, wait_drawn

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's chromium is not installed (the README's test command installs it)"
    ),
]


@pytest.fixture(scope="module")
def base_url():
    with live_server() as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser, base_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors, page.requests = [], []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("request", lambda r: page.requests.append(r.url))
    yield page
    context.close()


def _open(page, url):
    page.goto(url)
    return wait_drawn(page, 0)


def _curves(page):
    return page.evaluate("document.getElementById('chart').data.map(t => t.y.slice())")


def test_page_loads_without_errors_or_outside_requests(page, base_url):
    _open(page, base_url + "/")
    assert page.errors == []
    assert page.requests and all(u.startswith(base_url) or u.startswith("data:") for u in page.requests), page.requests
    assert "Self-hosting pays off above" in page.text_content("#crossover")
    assert len(_curves(page)) == 2
    assert page.locator("#assumptions tbody tr").count() > 20
    assert page.locator("#assumptions .badge.firm").count() > 0


def test_moving_a_slider_redraws_curves_and_crossover(page, base_url):
    drawn = _open(page, base_url + "/")
    before_label, before_curves = page.text_content("#crossover"), _curves(page)
    before_output = page.text_content("output[for=staff_h]")
    page.focus("#staff_h")
    for _ in range(10):
        page.keyboard.press("ArrowRight")  # keyboard-accessible slider
    wait_drawn(page, drawn)
    assert page.text_content("output[for=staff_h]") != before_output
    assert _curves(page) != before_curves
    assert page.text_content("#crossover") != before_label
    assert "staff_h=" in page.url


def test_url_round_trips_a_scenario(page, browser, base_url):
    _open(page, base_url + "/?mau=12000&staff_h=80&prefix=0.5&currency=USD")
    label, strip, url = page.text_content("#crossover"), page.text_content("#strip"), page.url
    assert "USD" in strip and page.text_content("output[for=staff_h]").startswith("80")
    again = browser.new_page(viewport={"width": 1280, "height": 900})
    again.goto(url)
    wait_drawn(again, 0)
    assert again.text_content("#crossover") == label and again.text_content("#strip") == strip
    assert again.input_value("#currency") == "USD"
    again.close()


def test_malicious_scenario_name_renders_as_text(page, base_url, tmp_path):
    evil = '<img src=x onerror="window.__pwned=1">'
    from urllib.parse import quote

    _open(page, base_url + "/?name=" + quote(evil))
    assert page.text_content("#scenario-name") == evil
    assert page.locator("#scenario-name img").count() == 0
    scenario = tmp_path / "evil.yaml"
    scenario.write_text(
        "name: '<script>window.__pwned=2</script>'\n"
        + (
            "workload: {users: {monthly_active: 500, requests_per_user: 10, peak_online_share: 0.1, duty_cycle: 0.2},"
            " request: {input_tokens: 2000, output_tokens: 300}}\n"
            "candidates:\n - {name: '<b>x</b>', kind: api, offer: zai-glm-5.2}\n"
        )
    )
    drawn = page.evaluate("window.breakevenStats.drawn")
    page.set_input_files("#upload", str(scenario))
    wait_drawn(page, drawn)
    assert page.text_content("#scenario-name") == "<script>window.__pwned=2</script>"
    assert page.evaluate("window.__pwned") is None


def test_invalid_value_shows_an_inline_error_not_a_blank_chart(page, base_url):
    drawn = _open(page, base_url + "/")
    page.select_option("#api", "custom")
    drawn = wait_drawn(page, drawn)
    page.fill("#api_in", "-5")
    wait_drawn(page, drawn)
    error = page.locator("#error")
    assert error.is_visible() and "input_per_m" in error.text_content()
    curves = _curves(page)
    assert len(curves) == 2 and all(len(c) >= 200 for c in curves)  # the last good chart stays


def test_model_that_does_not_fit_is_explained_inline(page, base_url):
    drawn = _open(page, base_url + "/")
    page.select_option("#gpus", "1")
    wait_drawn(page, drawn)
    assert "needs at least" in page.text_content("#error")


def test_phone_width_is_usable(browser, base_url):
    phone = browser.new_page(viewport={"width": 390, "height": 844})
    phone.goto(base_url + "/")
    wait_drawn(phone, 0)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1  # no horizontal scrolling of the page
    box = phone.locator("#chart").bounding_box()
    assert box["width"] > 300
    phone.close()


def test_buying_gpus_instead_of_renting(page, base_url):
    _open(page, base_url + "/?gpu_offer=own:hgx-h100-8-node-c&currency=USD")
    assert page.locator("#error").is_hidden()
    names = [t.text_content() for t in page.locator("#assumptions tbody tr td:first-child").all()]
    assert any("purchase offer hgx-h100-8-node-c" in n for n in names)
    assert any("depreciation" in n for n in names)
