"""Importing the load generators' result files (fixtures in their published shapes and key names)."""

import json

import pytest
from conftest import ROOT

from breakeven.errors import InputError
from breakeven.ingest.benchmarks import READERS, detect, read_results

DATA = ROOT / "tests" / "data" / "benchmarks"

EXPECTED = {  # file: (format, concurrency, mean ITL ms, TTFT ms, output tok/s) as in the fixture
    "vllm/serve-c8.json": ("vllm", 8, 8.03, 44.2, 973),
    "guidellm/benchmarks.json": ("guidellm", 1, 6.48, 26.7, 152),
    "aiperf/profile_export_aiperf.json": ("aiperf", 8, 8.03, 45.0, 972),
    "genai-perf/profile_export_genai_perf.json": ("genai-perf", 8, 8.05, 45.4, 972),
    "llmperf/llama_1000_256_summary.json": ("llmperf", 8, 8.03, 44.4, 967),
}


@pytest.mark.parametrize("name", list(EXPECTED))
def test_every_format_is_detected_and_normalized(name):
    fmt, conc, itl, ttft, rate = EXPECTED[name]
    assert detect(json.loads((DATA / name).read_text())) == fmt
    imported = read_results([str(DATA / name)])
    assert imported.problems == []
    run = imported.runs[0]
    assert run.concurrency == conc
    assert run.input_tokens == pytest.approx(1000, rel=0.01) and run.output_tokens == pytest.approx(256, rel=0.01)
    assert run.mean_itl_ms == pytest.approx(itl, rel=0.01)
    assert run.ttft_ms == pytest.approx(ttft, rel=0.01)
    assert run.output_tokens_per_s == pytest.approx(rate, rel=0.01)


def test_llmperf_seconds_and_per_minute_are_normalized():
    obj = json.loads((DATA / "llmperf" / "llama_1000_256_summary.json").read_text())
    run = read_results([str(DATA / "llmperf" / "llama_1000_256_summary.json")]).runs[0]
    assert run.ttft_ms == pytest.approx(obj["results_ttft_s_mean"] * 1000)
    assert run.requests_per_s == pytest.approx(obj["results_num_completed_requests_per_min"] / 60)
    decode_only = (obj["results_end_to_end_latency_s_mean"] - obj["results_ttft_s_mean"]) / (
        obj["results_number_output_tokens_mean"] - 1
    )
    assert run.mean_itl_ms == pytest.approx(decode_only * 1000)


def test_guidellm_has_one_run_per_benchmark():
    runs = read_results([str(DATA / "guidellm" / "benchmarks.json")]).runs
    assert [r.concurrency for r in runs] == [1, 8, 32]


def test_vllm_jsonl_from_append_result_and_its_bad_lines(tmp_path):
    lines = (DATA / "vllm" / "sweep.jsonl").read_text().splitlines()
    assert len(read_results([str(DATA / "vllm" / "sweep.jsonl")]).runs) == 3
    broken = tmp_path / "broken.jsonl"
    broken.write_text("\n".join([lines[0], "{not json", lines[1], '{"hello": 1}']))
    imported = read_results([str(broken)])
    assert len(imported.runs) == 2
    assert any(":2: not JSON" in p for p in imported.problems)
    assert any(":4: not a result" in p for p in imported.problems)


def test_vllm_request_rate_run_gets_littles_law_concurrency(tmp_path):
    obj = json.loads((DATA / "vllm" / "serve-c8.json").read_text())
    obj["max_concurrency"] = None
    f = tmp_path / "rate.json"
    f.write_text(json.dumps(obj))
    run = read_results([str(f)]).runs[0]
    assert run.derived_concurrency and run.concurrency == pytest.approx(
        obj["request_throughput"] * obj["mean_e2el_ms"] / 1000
    )


def test_forced_format_that_does_not_match_is_reported(tmp_path):
    imported = read_results([str(DATA / "llmperf" / "llama_1000_256_summary.json")], fmt="vllm")
    assert imported.runs == [] and imported.problems


def test_bad_format_name_and_missing_file_are_input_errors():
    with pytest.raises(InputError, match="format"):
        read_results([str(DATA / "vllm" / "serve-c8.json")], fmt="locust")
    with pytest.raises(InputError, match="results"):
        read_results([str(DATA / "nope.json")])


def test_formats_are_all_covered_by_fixtures():
    assert set(READERS) >= {"vllm", "guidellm", "aiperf", "genai-perf", "llmperf", "breakeven-gpu", "table"}
