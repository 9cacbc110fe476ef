"""The report: every shipped example as HTML opens in a real Chromium with no console error and no
request leaving the file; the Markdown version; the command's options and errors."""

import pytest
from browser import CHROMIUM, chromium
from conftest import ROOT

from breakeven.cli.scenario_cmds import example_names

EXAMPLES = sorted(example_names())
SAMPLES = "2000"
NO_CHROMIUM = "Debian's chromium is not installed (the README's test command installs it)"


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)
@pytest.mark.parametrize("name", EXAMPLES)
def test_report_opens_offline_without_errors(name, browser, cli, tmp_path):
    out = tmp_path / f"{name}.html"
    code, printed, err = cli("report", str(ROOT / "examples" / f"{name}.yaml"), "-o", str(out), "--samples", SAMPLES)
    assert code == 0, err
    assert "wrote" in printed
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors, requests = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(out.as_uri())
    page.wait_for_function("document.querySelectorAll('.plotly-graph-div .main-svg').length >= 4", timeout=30_000)
    assert errors == []
    assert requests and all(u.startswith(("file:", "data:", "blob:")) for u in requests), requests
    assert page.text_content("#answer").startswith("At ")
    charts = page.evaluate("[...document.querySelectorAll('.plotly-graph-div')].map(d => d.id)")
    assert {"chart-curves", "chart-probability", "chart-horizon"} <= set(charts)
    assert page.locator("table .badge.firm").count() > 0
    page.close()


def test_report_writes_markdown_with_every_section(cli, tmp_path):
    out = tmp_path / "b.md"
    code, _, err = cli("report", str(ROOT / "examples" / "b-crossover.yaml"), "-o", str(out), "--samples", "500")
    assert code == 0, err
    text = out.read_text()
    for heading in (
        "## Cost against volume",
        "## How likely",
        "## What moves the answer",
        "## Over 48 months",
        "## Candidates",
        "## Assumptions",
        "## Uncertain inputs",
        "## Method",
    ):
        assert heading in text
    assert text.splitlines()[2].startswith("**At 2,000 monthly active users")
    assert "<div" not in text and "<table" not in text  # Markdown, no HTML


def test_report_to_stdout_is_the_same_seeded_report(cli):
    args = ("report", str(ROOT / "examples" / "d-scenario-a.yaml"), "-o", "-", "--format", "md", "--samples", "500")
    first, again = cli(*args), cli(*args)
    assert first[0] == 0 and first[1] == again[1] and first[1].startswith("# [D] scenario A")
    other = cli(*args, "--seed", "9")
    assert other[1] != first[1]


@pytest.mark.parametrize(
    "args,message",
    [
        (("--format", "pdf"), "format"),
        (("--samples", "5"), "samples"),
        (("--seed", "-1"), "seed"),
        (("-o", "/nonexistent-folder/r.html"), "output"),
    ],
)
def test_report_bad_options_exit_2_with_the_option_named(cli, args, message):
    code, _, err = cli("report", str(ROOT / "examples" / "b-crossover.yaml"), *args)
    assert code == 2 and message in err and "Traceback" not in err


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)
def test_report_renders_hostile_names_as_text(browser, cli, tmp_path):
    scenario = tmp_path / "evil.yaml"
    scenario.write_text(
        "name: '<script>window.__pwned=1</script>'\n"
        "workload: {traffic: {requests_per_month: 1.0e6}, request: {input_tokens: 2000, output_tokens: 500}}\n"
        "candidates:\n"
        " - {name: '</script><script>window.__pwned=2</script>', kind: api, offer: zai-glm-5.2}\n"
        " - {name: '<img src=x onerror=window.__pwned=3>', kind: api, prices: {input_per_m: [1, 2], output_per_m: 3}}\n"
    )
    out = tmp_path / "evil.html"
    assert cli("report", str(scenario), "-o", str(out), "--samples", "200")[0] == 0
    page = browser.new_page()
    page.goto(out.as_uri())
    page.wait_for_function("document.querySelectorAll('.plotly-graph-div .main-svg').length >= 3", timeout=30_000)
    assert page.evaluate("window.__pwned") is None
    assert page.text_content("h1") == "<script>window.__pwned=1</script>"
    page.close()


def test_the_tornado_tables_inputs_that_move_the_answer_and_names_the_rest_once():
    from scenario_helpers import example_data

    from breakeven.outputs.markdown_report import markdown_report
    from breakeven.scenario.analysis import analyse
    from breakeven.scenario.load import parse

    e = analyse(parse(example_data("c-utilization")), samples=500, seed=0)
    bars = e.uncertainty.tornado
    moving, still = [b for b in bars if b.moves], [b for b in bars if not b.moves]
    assert moving and still  # this example has both kinds
    assert all(b.flips or b.swing or b.gap_swing for b in moving)
    assert all(not b.flips and not b.swing and not b.gap_swing for b in still)
    md = markdown_report(e)
    section = md.split("## What moves the answer", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| input")]
    assert [r.split(" | ")[0].removeprefix("| ") for r in rows] == [b.input for b in moving]
    named = section.strip().splitlines()[-1]
    assert named.startswith(f"{len(still)} more inputs move neither") and all(b.input in named for b in still)
