"""Fuzzing every way in: CLI arguments, scenario documents (structural and text mutations of the
shipped examples), web API bodies and benchmark result files.

Asserted for every case: exit code 0 or 2 and never a traceback (CLI), 2xx or 4xx and never a 5xx
(web API), no exception but InputError (importers), the error naming the field as the user wrote it
(an option typed, a path in the document), and no case over 1 CPU-second or 500 MB. A few thousand
cases by default; BREAKEVEN_FUZZ_SCALE multiplies them (tests/fuzz_support.py)."""

import json
import re
from importlib import resources

import pytest
from conftest import ROOT
from fastapi.testclient import TestClient
from fuzz_support import as_json, budgeted, fuzz_settings, mutated_document, mutated_text, values
from hypothesis import given
from hypothesis import strategies as st

from breakeven import safe_yaml
from breakeven.errors import InputError
from breakeven.ingest.benchmarks import read_results
from breakeven.scenario.evaluate import evaluate
from breakeven.scenario.load import ScenarioError, parse
from breakeven.web.app import create_app

EXAMPLES = sorted(p.name for p in resources.files("breakeven").joinpath("examples").iterdir())


def _example_text(name: str) -> str:
    return resources.files("breakeven").joinpath("examples", name).read_text()


EXAMPLE_DATA = {n: json.loads(as_json(safe_yaml.load(_example_text(n), n))) for n in EXAMPLES}


def _no_traceback(code: int, out: str, err: str) -> None:
    assert code in (0, 2), (code, err[-2000:])
    assert "Traceback" not in out + err


# -------------------------------------------------------------------------------- the CLI

OPTIONS = {
    "size": {"--model": "llama-3.1-8b", "--gpu": "h100", "--gpus": "1", "--context": "4096", "--batch": "1"},
    "predict": {
        "--model": "llama-3.1-8b",
        "--gpu": "h100",
        "--gpus": "1",
        "--input-tokens": "1000",
        "--output-tokens": "100",
        "--concurrency": "8",
        "--cached-input-tokens": "0",
        "--min-tokens-per-s": "20",
        "--max-ttft-s": "5",
    },
}
text_values = values.map(
    lambda v: v if isinstance(v, str) else json.dumps(v) if isinstance(v, (list, dict)) else str(v)
)


@st.composite
def cli_arguments(draw):
    command = draw(st.sampled_from(sorted(OPTIONS)))
    options = dict(OPTIONS[command])
    for option in draw(st.lists(st.sampled_from(sorted(options)), min_size=1, max_size=3, unique=True)):
        options[option] = draw(text_values)
    flags = draw(
        st.lists(st.sampled_from(["--json", "--attention-dp", "--precision fp8", "--engine sglang"]), max_size=2)
    )
    argv = [command]
    for option, value in options.items():
        argv += [option, value]
    for f in flags:
        argv += f.split()
    return argv


@given(argv=cli_arguments())
@fuzz_settings(400)
def test_cli_arguments(cli, argv):
    with budgeted("cli size/predict") as stats:
        code, out, err = cli(*argv)
    _no_traceback(code, out, err)
    if code == 2:
        stats["exit_2"] += 1
        typed = [a for a in argv if a.startswith("--")]
        assert any(option in err for option in typed), err
        stats["errors_named"] += 1


volumes = st.one_of(
    st.from_regex(
        r"[0-9]{1,30}(\.[0-9]{0,5})?(e[+-]?[0-9]{1,4})? ?[kKmMbBgGtT]? ?(tokens|requests)?(/(month|day|s|hour|year))?",
        fullmatch=True,
    ),
    st.text(max_size=30),
)


@given(
    model=st.sampled_from(["glm-5.2", "deepseek-v3", "llama-3.1-8b", "x" * 300, "a/b.json", "nope"]),
    volume=volumes,
    extra=st.lists(
        st.tuples(
            st.sampled_from(["--input-share", "--output-tokens", "--cached-share", "--gpus", "--gpu", "--currency"]),
            text_values,
        ),
        max_size=2,
    ),
)
@fuzz_settings(300)
def test_compare_arguments(cli, model, volume, extra):
    argv = ["compare", "--model", model, "--volume", volume, "--gpu", "h200", "--json"]
    for option, value in extra:
        argv += [option, value]
    with budgeted("cli compare") as stats:
        code, out, err = cli(*argv)
    _no_traceback(code, out, err)
    stats["exit_2"] += code == 2
    stats["errors_named"] += code == 2 and any(a in err for a in argv if a.startswith("--"))


@pytest.mark.parametrize(
    "option,value",
    [("--cached-share", "1.5"), ("--cached-share", "nan"), ("--currency", "GBP"), ("--output-tokens", "0")],
)
def test_compare_errors_name_the_option_typed(cli, option, value):
    code, _, err = cli("compare", "--model", "glm-5.2", "--volume", "1B/month", option, value)
    assert code == 2 and err.startswith(f"error: {option}")


# ---------------------------------------------------------------------- scenario documents


def _rendered(path: tuple) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else ("." if out else "") + str(p)
    return out


REFERENCE_FIELDS = (".selfhost", ".api", ".redundancy.api")
"""Fields that name another candidate: renaming or removing that candidate is reported here."""


def _related(reported: str, touched: tuple) -> bool:
    """A problem names a mutation if its path is the mutated one, an ancestor, a descendant, or a
    sibling inside the same object (a precision removed makes its candidate's GPU count too small);
    a candidate renamed or removed is reported at the fields that name it (a hybrid's ``selfhost``)."""
    if reported == "scenario":
        return True
    if touched and touched[0] == "candidates" and reported.endswith(REFERENCE_FIELDS):
        return True
    here, parent = _rendered(touched), _rendered(touched[:-1])
    return here.startswith(reported) or reported.startswith(here) or (bool(parent) and reported.startswith(parent))


@given(data=st.data(), name=st.sampled_from(EXAMPLES))
@fuzz_settings(600)
def test_scenario_documents(cli, tmp_path_factory, data, name):
    doc, touched = data.draw(mutated_document(EXAMPLE_DATA[name]))
    path = tmp_path_factory.mktemp("doc") / "scenario.yaml"
    path.write_text(as_json(doc))
    with budgeted("scenario documents") as stats:
        code, out, err = cli("evaluate", str(path), "--json")
    _no_traceback(code, out, err)
    if code != 2:
        return
    stats["exit_2"] += 1
    assert err.startswith(f"error: {path}: "), err
    try:
        evaluate(parse(json.loads(path.read_text())), curve_points=0)
    except ScenarioError as exc:  # the problems name what was mutated (a path, an ancestor or a child)
        assert any(_related(p, t) for p, _ in exc.problems for t in touched), (exc.problems, touched)
        stats["errors_named"] += 1


@given(data=st.data(), name=st.sampled_from(EXAMPLES))
@fuzz_settings(600)
def test_scenario_texts(cli, tmp_path_factory, data, name):
    text = data.draw(mutated_text(_example_text(name)))
    path = tmp_path_factory.mktemp("text") / "scenario.yaml"
    path.write_text(text)
    with budgeted("scenario texts") as stats:
        code, out, err = cli("evaluate", str(path))
    _no_traceback(code, out, err)
    if code == 2:
        stats["exit_2"] += 1
        assert err.startswith(f"error: {path}"), err  # the file, then the line or the field path
        stats["errors_named"] += 1


# --------------------------------------------------------------------------- the web API


@pytest.fixture(scope="module")
def client():
    return TestClient(create_app())


def _check_api(resp, stats) -> None:
    assert resp.status_code < 500, resp.text[:2000]
    if resp.status_code == 422:
        stats["exit_2"] += 1
        problems = resp.json()["detail"]
        assert problems and all(p["msg"] and p["type"] and isinstance(p["loc"], list) for p in problems)
        stats["errors_named"] += all(p.get("field") for p in problems)


@given(data=st.data(), name=st.sampled_from(EXAMPLES), endpoint=st.sampled_from(["evaluate", "scenario/yaml"]))
@fuzz_settings(600)
def test_api_bodies(client, data, name, endpoint):
    doc, _ = data.draw(mutated_document(EXAMPLE_DATA[name]))
    with budgeted("API bodies") as stats:
        resp = client.post(f"/api/{endpoint}", content=as_json(doc), headers={"content-type": "application/json"})
    _check_api(resp, stats)


@given(data=st.data(), name=st.sampled_from(EXAMPLES))
@fuzz_settings(400)
def test_api_yaml_uploads(client, data, name):
    text = data.draw(mutated_text(_example_text(name)))
    with budgeted("API uploads") as stats:
        resp = client.post("/api/scenario/parse", content=text.encode(), headers={"content-type": "text/plain"})
    _check_api(resp, stats)


# ------------------------------------------------------------------------ benchmark files

BENCHMARKS = sorted(
    p
    for p in (ROOT / "tests" / "data").rglob("*")
    if p.suffix in (".json", ".jsonl", ".yaml") and "hf_configs" not in str(p)
)


def _check_import(paths, stats) -> None:
    try:
        imported = read_results([str(p) for p in paths])
    except InputError:
        stats["exit_2"] += 1
        return
    assert imported.read == len(imported.runs) + len(imported.problems)
    for line in imported.problems + imported.dropped:
        assert re.match(r"\S+(:\d+)?( \[[^\]]+\])?: ", line), line  # file[:line][ [record]]: why
    stats["errors_named"] += bool(imported.problems or imported.dropped)


@given(data=st.data(), source=st.sampled_from([p for p in BENCHMARKS if p.suffix == ".json"]))
@fuzz_settings(300)
def test_benchmark_documents(tmp_path_factory, data, source):
    doc, _ = data.draw(mutated_document(json.loads(source.read_text())))
    path = tmp_path_factory.mktemp("bench") / source.name
    path.write_text(as_json(doc))
    with budgeted("benchmark documents") as stats:
        _check_import([path], stats)


@given(data=st.data(), source=st.sampled_from(BENCHMARKS))
@fuzz_settings(300)
def test_benchmark_texts(tmp_path_factory, data, source):
    text = data.draw(mutated_text(source.read_text()))
    path = tmp_path_factory.mktemp("bench") / source.name
    path.write_text(text)
    with budgeted("benchmark texts") as stats:
        _check_import([path], stats)
