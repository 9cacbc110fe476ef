"""The knobs page with a speculating self-host candidate, in a real headless Chromium: the speculation
knobs show for it, moving the acceptance re-evaluates to the CLI's numbers, and the method select turns
speculation on (a draft model among the served model's smaller kin) and off."""

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


def _upload(page, data, path):
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    before = drawn(page)
    page.set_input_files("#upload", str(path))
    wait_drawn(page, before)
    if not page.evaluate("document.getElementById('advanced').open"):
        page.locator("#advanced summary").click()


def _shown_cost(page, index: int) -> float:
    shown = page.text_content(f"[data-key='candidates.{index}.monthly_cost']")
    return float("".join(ch for ch in shown if ch.isdigit() or ch == "."))


def _example():
    return yaml.safe_load((ROOT / "src/breakeven/examples/a-glm-mtp.yaml").read_text())


@pytest.mark.slow
def test_the_method_select_turns_speculation_on_and_off(page, tmp_path):
    data = _example()
    data["candidates"] = data["candidates"][:2]  # the node without speculation is the host shown
    path = tmp_path / "plain.yaml"
    _upload(page, data, path)
    assert page.input_value("#spec_method") == "" and page.locator("#row-spec_k").is_hidden()
    before = drawn(page)
    page.select_option("#spec_method", "mtp")
    wait_drawn(page, before)
    assert page.errors == [] and page.locator("#problems").is_hidden()
    assert page.locator("#row-spec_accept").is_visible() and page.locator("#row-spec_draft").is_hidden()
    data["candidates"][1]["speculative"] = {"method": "mtp"}
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    assert _shown_cost(page, 1) == pytest.approx(cli_json(path)["candidates"][1]["monthly_cost"], rel=0.01)
    before = drawn(page)
    page.select_option("#spec_method", "")
    wait_drawn(page, before)
    assert page.locator("#row-spec_k").is_hidden()
    del data["candidates"][1]["speculative"]
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    assert _shown_cost(page, 1) == pytest.approx(cli_json(path)["candidates"][1]["monthly_cost"], rel=0.01)


@pytest.mark.slow
def test_a_draft_model_is_chosen_among_the_served_models_smaller_kin(page, tmp_path):
    data = _example()
    data["candidates"] = data["candidates"][:2]
    data["candidates"][1]["model"] = "llama-3.1-70b"
    data["workload"]["service_level"] = {"min_tokens_per_s_per_stream": 20}
    _upload(page, data, tmp_path / "llama.yaml")
    before = drawn(page)
    page.select_option("#spec_method", "draft_model")
    wait_drawn(page, before)
    assert page.errors == [] and page.locator("#problems").is_hidden()
    offered = page.eval_on_selector_all("#spec_draft option", "os => os.map((o) => o.value)")
    assert "llama-3.2-1b" in offered and "llama-3.1-70b" not in offered and "glm-5.2" not in offered
    assert page.input_value("#spec_draft") == offered[0]


@pytest.mark.slow
def test_speculation_knobs_follow_a_speculating_candidate(page, tmp_path):
    data = _example()
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
    assert _shown_cost(page, 1) == pytest.approx(cli_json(path)["candidates"][1]["monthly_cost"], rel=0.01)
