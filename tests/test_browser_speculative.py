"""The knobs page with a speculating self-host candidate, in a real headless Chromium: the speculation
knobs show for it, and moving the acceptance re-evaluates to the CLI's numbers."""

import pytest
import yaml
from browser import chromium, cli_json, drawn, live_server, wait_drawn
from conftest import ROOT


@pytest.fixture(scope="module")
def page():
    with live_server() as url, chromium() as browser:
        context = browser.new_context()
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
        page.goto(url + "/")
        wait_drawn(page, 0)
        yield page
        context.close()


@pytest.mark.slow
def test_speculation_knobs_follow_a_speculating_candidate(page, tmp_path):
    data = yaml.safe_load((ROOT / "src/breakeven/examples/a-glm-mtp.yaml").read_text())
    data["candidates"] = [data["candidates"][0], data["candidates"][2]]  # the MTP node is the host shown
    path = tmp_path / "mtp-first.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    before = drawn(page)
    page.set_input_files("#upload", str(path))
    wait_drawn(page, before)
    assert page.errors == [] and page.locator("#problems").is_hidden()
    for knob in ("spec_method", "spec_k", "spec_accept"):
        assert page.locator(f"#row-{knob}").is_visible(), knob
    assert page.input_value("#spec_k-entry") == "3"
    before = drawn(page)
    page.fill("#spec_accept-entry", "80%")
    wait_drawn(page, before)
    assert page.errors == [] and page.locator("#problems").is_hidden()
    data["candidates"][1]["speculative"]["acceptance"] = 0.8
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    expected = cli_json(path)["candidates"][1]["monthly_cost"]
    shown = page.text_content("[data-key='candidates.1.monthly_cost']")
    assert float("".join(ch for ch in shown if ch.isdigit() or ch == ".")) == pytest.approx(expected, rel=0.01)
