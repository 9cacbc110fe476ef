"""Benchmark importers lose nothing silently: NaN, infinities, absurd and missing figures are named
with their file, line and key; one bad record rejects only itself; records read = used + rejected;
and calibrating the same files in any order gives the same fit."""

import itertools
import json
import re

import pytest
from conftest import ROOT

from breakeven.ingest.benchmarks import read_results

DATA = ROOT / "tests" / "data" / "benchmarks"
AIPERF = DATA / "aiperf" / "profile_export_aiperf.json"
GUIDELLM = DATA / "guidellm" / "benchmarks.json"
VLLM_SWEEP = DATA / "vllm" / "sweep.jsonl"


def _vllm_lines() -> list[str]:
    return VLLM_SWEEP.read_text().splitlines()


@pytest.mark.parametrize("literal", ["1e400", "NaN", "Infinity", "-Infinity", "1e-300", "-5"])
def test_an_absurd_ttft_in_a_jsonl_line_is_dropped_with_file_line_and_key(tmp_path, literal):
    lines = _vllm_lines()
    lines[1] = re.sub(r'"mean_ttft_ms": [^,]+', f'"mean_ttft_ms": {literal}', lines[1])
    path = tmp_path / "sweep.jsonl"
    path.write_text("\n".join(lines))
    imported = read_results([str(path)])
    assert len(imported.runs) == 3 and imported.problems == []
    (note,) = imported.dropped
    assert note.startswith(f"{path}:2: mean_ttft_ms = ") and note.endswith("; dropped")
    assert imported.runs[1].ttft_ms is None and imported.runs[1].mean_itl_ms is not None


@pytest.mark.parametrize("literal", ["1e400", "NaN", "Infinity", "1e-300"])
def test_an_absurd_required_figure_rejects_its_run_only(tmp_path, literal):
    lines = _vllm_lines()
    lines[0] = re.sub(r'"total_input_tokens": [^,]+', f'"total_input_tokens": {literal}', lines[0])
    path = tmp_path / "sweep.jsonl"
    path.write_text("\n".join(lines))
    imported = read_results([str(path)])
    assert len(imported.runs) == 2 and imported.read == 3
    (problem,) = imported.problems
    assert problem.startswith(f"{path}:1: vllm result rejected: total_input_tokens / completed = ")


def test_missing_input_sequence_length_names_the_file_and_the_missing_figure(tmp_path):
    obj = json.loads(AIPERF.read_text())
    del obj["input_sequence_length"]
    path = tmp_path / "aiperf.json"
    path.write_text(json.dumps(obj))
    imported = read_results([str(path)])
    assert imported.runs == [] and imported.read == 1
    assert imported.problems == [f"{path}: aiperf result rejected: no input tokens (input length)"]


def test_one_bad_guidellm_benchmark_rejects_only_itself(tmp_path):
    obj = json.loads(GUIDELLM.read_text())
    obj["benchmarks"][1]["metrics"]["prompt_token_count"]["successful"]["mean"] = float("nan")
    obj["benchmarks"][2]["metrics"]["time_to_first_token_ms"]["successful"]["mean"] = -3.0
    path = tmp_path / "benchmarks.json"
    path.write_text(json.dumps(obj, indent=2))
    imported = read_results([str(path)])
    assert [r.concurrency for r in imported.runs] == [1, 32]
    (problem,) = imported.problems
    line = int(re.match(rf"{re.escape(str(path))}:(\d+) \[benchmarks\.1\]: rejected: ", problem)[1])
    assert path.read_text().splitlines()[line - 1].strip().startswith("{")  # the benchmark's own line
    assert "metrics.prompt_token_count.successful.mean = nan" in problem
    (note,) = imported.dropped
    assert "[benchmarks.2]: metrics.time_to_first_token_ms.successful.mean = -3.0" in note
    assert imported.read == len(imported.runs) + len(imported.problems) == 3


def test_a_transcribed_table_goes_through_the_safe_loader_and_names_its_lines(tmp_path):
    path = tmp_path / "table.yaml"
    path.write_text(
        "source: a test table\n"
        "points:\n"
        "  - {concurrency: 1, input_tokens: 100, output_tokens: 10, itl_ms: 5}\n"
        "  - {concurrency: 2, input_tokens: .nan, output_tokens: 10, itl_ms: 5}\n"
        "  - {concurrency: 4, input_tokens: 100, output_tokens: 10, itl_ms: 1e400}\n"
    )
    imported = read_results([str(path)])
    assert imported.read == 3 and len(imported.runs) == 1
    assert imported.problems[0].startswith(f"{path}:4 [points.1]: rejected: input_tokens = nan")
    assert imported.problems[1].startswith(f"{path}:5 [points.2]: rejected: no usable ITL")
    dup = tmp_path / "dup.yaml"
    dup.write_text("source: x\nsource: y\npoints: []\n")
    assert read_results([str(dup)]).problems == [f"{dup}:2: key 'source' repeated (first on line 1)"]


def test_deep_and_huge_json_are_reported_not_raised(tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    huge = tmp_path / "huge.jsonl"
    huge.write_text('{"completed": ' + "9" * 5000 + "}\n" + _vllm_lines()[0])
    imported = read_results([str(deep), str(huge)])
    assert len(imported.runs) == 1 and imported.read == 3 and len(imported.problems) == 2
    assert imported.problems[0].startswith(f"{deep}: not readable JSON")
    assert imported.problems[1].startswith(f"{huge}:1: not readable JSON")


def test_the_calibrate_command_prints_read_used_and_rejected(cli, tmp_path):
    lines = _vllm_lines()
    lines[2] = lines[2].replace('"completed": ', '"completed": -')
    path = tmp_path / "sweep.jsonl"
    path.write_text("\n".join([*lines, "{oops"]))
    code, out, err = cli(
        "calibrate", str(path), "--model", "llama-3.1-8b", "--gpu", "h100-sxm", "--gpus", "1", "--json"
    )  # fmt: skip
    assert code == 0, err
    assert "4 records read = 2 used + 2 rejected; 0 metrics dropped" in err
    assert f"rejected: {path}:3: vllm result rejected: completed = " in err
    data = json.loads(out)
    assert data["read"] == 4 and data["runs"] == 2 and len(data["skipped"]) == 2


def test_calibration_does_not_depend_on_the_order_of_the_files(tmp_path):
    from conftest import TODAY

    from breakeven import api
    from breakeven.calibration.calibrate import calibrate
    from breakeven.calibration.file import CalibrationDeployment
    from breakeven.calibration.runs import to_measurements

    files = []
    for i, line in enumerate(_vllm_lines()):
        f = tmp_path / f"run{i}.json"
        f.write_text(line)
        files.append(str(f))
    dep = api.deployment("llama-3.1-8b", "h100-sxm", 1)
    deployment = CalibrationDeployment(
        model="llama-3.1-8b", gpu="h100-sxm", gpus=1, precision=dep.precision, kv_precision="bf16", engine="vllm"
    )
    fits = []
    for order in itertools.permutations(files):
        runs = read_results(list(order)).runs
        points = [
            m for r in runs for m in to_measurements(r, "llama-3.1-8b", "h100-sxm", 1, "bf16", "bf16", "vllm", TODAY)
        ]
        fits.append(calibrate(points, dep.engine, deployment, list(order), TODAY).file)
    assert len(fits) == 6 and all(f == fits[0] for f in fits)
