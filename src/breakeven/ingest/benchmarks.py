"""Benchmark results of the established load generators -> BenchRun records.

Formats: `vllm bench serve --save-result` JSON (and `--append-result` JSONL), GuideLLM
`benchmarks.json`, aiperf `profile_export_aiperf.json`, genai-perf `profile_export_genai_perf.json`,
llmperf `*_summary.json`, breakeven's own GPU sweep (bench/gpu/measure.py), and published tables
transcribed as YAML. Key names and units
follow each tool's source (tests/data/benchmarks/README.md). Files or rows that cannot be read are
counted and reported with where they are; nothing is dropped silently.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from breakeven.errors import InputError
from breakeven.ingest.runs import BenchRun, ImportProblem, mean_concurrency


@dataclass
class Imported:
    runs: list[BenchRun] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    """'file[:line]: why' for every file, row or benchmark that could not be read."""


def _num(d: dict, *keys: str) -> float | None:
    for k in keys:
        v = d.get(k)
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return float(v)
    return None


# ----------------------------------------------------------------------------------- vLLM


def _vllm(obj: dict, where: str) -> list[BenchRun]:
    """One `vllm bench serve` result. ms for *_ms keys; throughputs per second; concurrency from
    max_concurrency, else Little's law on request_throughput x mean_e2el_ms."""
    completed = _num(obj, "completed")
    if not completed:
        raise ImportProblem("no completed requests")
    itl = _num(obj, "mean_tpot_ms", "mean_itl_ms")
    conc, derived = _num(obj, "max_concurrency"), False
    rate = _num(obj, "request_throughput")
    e2e = _num(obj, "mean_e2el_ms")
    if conc is None:
        if rate is None or e2e is None:
            raise ImportProblem("neither max_concurrency nor request_throughput and mean_e2el_ms")
        conc, derived = mean_concurrency(rate, e2e), True
    return [
        BenchRun(
            source=where,
            tool="vllm bench serve",
            concurrency=conc,
            input_tokens=_num(obj, "total_input_tokens") / completed,
            output_tokens=_num(obj, "total_output_tokens") / completed,
            itl_ms=_num(obj, "median_itl_ms"),
            mean_itl_ms=itl,
            ttft_ms=_num(obj, "mean_ttft_ms"),
            output_tokens_per_s=_num(obj, "output_throughput"),
            requests_per_s=rate,
            completed=int(completed),
            derived_concurrency=derived,
        )
    ]


def _is_vllm(obj) -> bool:
    return isinstance(obj, dict) and "output_throughput" in obj and "completed" in obj


# ------------------------------------------------------------------------------- GuideLLM


def _dist(metrics: dict, name: str, stat: str = "mean") -> float | None:
    """A GuideLLM distribution's statistic over successful requests."""
    d = metrics.get(name) or {}
    return _num(d.get("successful") or {}, stat)


def _guidellm(obj: dict, where: str) -> list[BenchRun]:
    """GuideLLM benchmarks.json: one run per benchmark. ms for *_ms metrics; rates use the mean of the
    time-weighted distribution; concurrency is the strategy's streams, else the measured mean."""
    runs = []
    for i, b in enumerate(obj["benchmarks"]):
        m = b["metrics"]
        strategy = (b.get("config") or {}).get("strategy") or {}
        conc, derived = (
            (float(strategy["streams"]), False)
            if strategy.get("type_") == "concurrent"
            else (1.0, False)
            if strategy.get("type_") == "synchronous"
            else (_dist(m, "request_concurrency"), True)
        )
        if conc is None:
            raise ImportProblem(f"benchmark {i}: no concurrency (strategy {strategy.get('type_')})")
        runs.append(
            BenchRun(
                source=f"{where}[benchmarks.{i}]",
                tool="GuideLLM",
                concurrency=conc,
                input_tokens=_dist(m, "prompt_token_count"),
                output_tokens=_dist(m, "output_token_count"),
                mean_itl_ms=_dist(m, "inter_token_latency_ms"),  # per-request means: prefill stalls included
                ttft_ms=_dist(m, "time_to_first_token_ms"),
                output_tokens_per_s=_dist(m, "output_tokens_per_second"),
                requests_per_s=_dist(m, "requests_per_second"),
                completed=int((m.get("request_totals") or {}).get("successful", 0)) or None,
                derived_concurrency=derived,
            )
        )
    return runs


def _is_guidellm(obj) -> bool:
    return (
        isinstance(obj, dict)
        and isinstance(obj.get("benchmarks"), list)
        and all(isinstance(b, dict) and "metrics" in b for b in obj["benchmarks"])
    )


# --------------------------------------------------------------------- aiperf / genai-perf

_TO_MS = {"ms": 1.0, "milliseconds": 1.0, "ns": 1e-6, "us": 1e-3, "s": 1e3, "sec": 1e3, "seconds": 1e3}


def _stat(obj: dict, name: str, stat: str = "avg", ms: bool = False) -> float | None:
    """A metric record's statistic; times converted to ms from the record's own unit."""
    rec = obj.get(name)
    if not isinstance(rec, dict):
        return None
    value = _num(rec, stat)
    if value is None or not ms:
        return value
    unit = str(rec.get("unit", "ms")).lower()
    if unit not in _TO_MS:
        raise ImportProblem(f"{name} in unknown unit {unit!r}")
    return value * _TO_MS[unit]


def _perf_run(obj: dict, where: str, tool: str, concurrency) -> list[BenchRun]:
    conc, derived = concurrency, False
    rate = _stat(obj, "request_throughput")
    if conc is None:
        latency = _stat(obj, "request_latency", ms=True)
        if rate is None or latency is None:
            raise ImportProblem("no concurrency in the input config and no request rate and latency")
        conc, derived = mean_concurrency(rate, latency), True
    count = _stat(obj, "request_count")
    return [
        BenchRun(
            source=where,
            tool=tool,
            concurrency=float(conc),
            input_tokens=_stat(obj, "input_sequence_length"),
            output_tokens=_stat(obj, "output_sequence_length"),
            mean_itl_ms=_stat(obj, "inter_token_latency", ms=True),
            ttft_ms=_stat(obj, "time_to_first_token", ms=True),
            output_tokens_per_s=_stat(obj, "output_token_throughput"),
            requests_per_s=rate,
            completed=int(count) if count else None,
            derived_concurrency=derived,
        )
    ]


def _aiperf(obj: dict, where: str) -> list[BenchRun]:
    """aiperf profile_export_aiperf.json: metric records with unit and avg/p50/...; concurrency from
    input_config.loadgen.concurrency."""
    loadgen = (obj.get("input_config") or {}).get("loadgen") or {}
    return _perf_run(obj, where, f"aiperf {obj.get('aiperf_version', '')}".strip(), loadgen.get("concurrency"))


def _is_aiperf(obj) -> bool:
    return (
        isinstance(obj, dict) and ("aiperf_version" in obj or "schema_version" in obj) and "inter_token_latency" in obj
    )


def _genai_perf(obj: dict, where: str) -> list[BenchRun]:
    """genai-perf profile_export_genai_perf.json: the same records; concurrency from input_config.concurrency."""
    return _perf_run(obj, where, "genai-perf", (obj.get("input_config") or {}).get("concurrency"))


def _is_genai_perf(obj) -> bool:
    return (
        isinstance(obj, dict)
        and isinstance(obj.get("input_config"), dict)
        and "service_kind" in obj["input_config"]
        and "time_to_first_token" in obj
    )


# -------------------------------------------------------------------------------- llmperf


def _llmperf(obj: dict, where: str) -> list[BenchRun]:
    """llmperf *_summary.json: seconds and requests per minute. Its inter_token_latency includes the
    first token, so the decode-only mean ITL is (e2e - ttft) / (output - 1)."""
    e2e, ttft = _num(obj, "results_end_to_end_latency_s_mean"), _num(obj, "results_ttft_s_mean")
    out = _num(obj, "results_number_output_tokens_mean", "mean_output_tokens")
    conc = _num(obj, "num_concurrent_requests")
    if None in (e2e, ttft, out, conc):
        raise ImportProblem("missing results_*_mean keys or num_concurrent_requests")
    per_min = _num(obj, "results_num_completed_requests_per_min")
    completed = _num(obj, "results_num_completed_requests")
    return [
        BenchRun(
            source=where,
            tool="llmperf",
            concurrency=conc,
            input_tokens=_num(obj, "results_number_input_tokens_mean", "mean_input_tokens"),
            output_tokens=out,
            mean_itl_ms=(e2e - ttft) / max(out - 1, 1) * 1e3,
            ttft_ms=ttft * 1e3,
            output_tokens_per_s=_num(obj, "results_mean_output_throughput_token_per_s"),
            requests_per_s=None if per_min is None else per_min / 60,
            completed=int(completed) if completed else None,
        )
    ]


def _is_llmperf(obj) -> bool:
    return isinstance(obj, dict) and "num_concurrent_requests" in obj and "results_ttft_s_mean" in obj


# --------------------------------------------------------------------------- breakeven GPU


def _breakeven_gpu(obj: dict, where: str) -> list[BenchRun]:
    runs = []
    for r in obj.get("runs", []):
        for i, p in enumerate(r.get("points", [])):
            runs.append(
                BenchRun(
                    source=f"{where}[{r.get('shape')}][{i}]",
                    tool=f"breakeven GPU sweep ({obj.get('device')})",
                    concurrency=p["batch"],
                    input_tokens=p["context"],
                    output_tokens=1,
                    itl_ms=p["itl_ms"],
                )
            )
    return runs


def _is_breakeven_gpu(obj) -> bool:
    return isinstance(obj, dict) and obj.get("format") == "breakeven-gpu-sweep"


# ----------------------------------------------------------------------- transcribed tables


def _table(obj: dict, where: str) -> list[BenchRun]:
    """A published benchmark table transcribed as YAML (tests/data/measured/*.yaml): ``points`` with
    concurrency (or request_throughput and mean_e2e_latency_ms), input_tokens, output_tokens and any
    of itl_ms (a mean, as most tables publish), median_itl_ms, ttft_ms / median_ttft_ms,
    output_tokens_per_s."""
    tool = f"{obj.get('engine', 'table')} table ({obj.get('load_generator', 'load generator not stated')})"
    runs = []
    for i, p in enumerate(obj["points"]):
        conc, derived = _num(p, "concurrency"), False
        if conc is None or "request_rate" in p:
            rate, e2e = _num(p, "request_throughput"), _num(p, "mean_e2e_latency_ms")
            if rate is not None and e2e is not None:
                conc, derived = mean_concurrency(rate, e2e), True
        if conc is None:
            raise ImportProblem(f"point {i} has neither concurrency nor request_throughput and mean_e2e_latency_ms")
        runs.append(
            BenchRun(
                source=f"{where}[{i}]",
                tool=tool,
                concurrency=conc,
                input_tokens=p["input_tokens"],
                output_tokens=p["output_tokens"],
                itl_ms=_num(p, "median_itl_ms"),
                mean_itl_ms=_num(p, "itl_ms", "mean_itl_ms"),
                ttft_ms=_num(p, "ttft_ms", "median_ttft_ms"),
                output_tokens_per_s=_num(p, "output_tokens_per_s"),
                requests_per_s=_num(p, "request_throughput"),
                derived_concurrency=derived,
            )
        )
    return runs


def _is_table(obj) -> bool:
    return isinstance(obj, dict) and isinstance(obj.get("points"), list) and "source" in obj


READERS: dict[str, tuple[Callable[[object], bool], Callable[[dict, str], list[BenchRun]]]] = {
    "guidellm": (_is_guidellm, _guidellm),
    "aiperf": (_is_aiperf, _aiperf),
    "genai-perf": (_is_genai_perf, _genai_perf),
    "llmperf": (_is_llmperf, _llmperf),
    "vllm": (_is_vllm, _vllm),
    "breakeven-gpu": (_is_breakeven_gpu, _breakeven_gpu),
    "table": (_is_table, _table),
}
"""Format -> (recognizer, reader). Order matters for auto-detection."""


def detect(obj: object) -> str | None:
    for name, (recognize, _) in READERS.items():
        if recognize(obj):
            return name
    return None


def _objects(path: Path) -> tuple[list[tuple[str, object]], list[str]]:
    """(where, parsed data) for a JSON or YAML file, or for each line of a JSONL file; unreadable lines
    reported."""
    text = path.read_text(encoding="utf-8")
    try:
        return [(str(path), json.loads(text))], []
    except json.JSONDecodeError:
        pass
    if path.suffix in (".yaml", ".yml"):
        try:
            return [(str(path), yaml.safe_load(text))], []
        except yaml.YAMLError as exc:
            return [], [f"{path}: not YAML ({getattr(exc, 'problem', exc)})"]
    objs, problems = [], []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            objs.append((f"{path}:{n}", json.loads(line)))
        except json.JSONDecodeError as exc:
            problems.append(f"{path}:{n}: not JSON ({exc.msg})")
    if not objs and not problems:
        problems.append(f"{path}: empty")
    return objs, problems


def read_results(paths: list[str], fmt: str = "auto") -> Imported:
    """Every run in every file. ``fmt`` 'auto' recognizes each object by its keys."""
    if fmt != "auto" and fmt not in READERS:
        raise InputError("format", fmt, f"auto or one of {', '.join(READERS)}")
    out = Imported()
    for name in paths:
        path = Path(name)
        try:
            objs, problems = _objects(path)
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError("results", name, f"a readable result file ({exc.__class__.__name__})") from None
        out.problems += problems
        for where, obj in objs:
            kind = detect(obj) if fmt == "auto" else fmt
            if kind is None:
                out.problems.append(f"{where}: not a result of {', '.join(READERS)} (unrecognized keys)")
                continue
            try:
                out.runs += READERS[kind][1](obj, where)
            except (ImportProblem, KeyError, TypeError, ZeroDivisionError, AttributeError) as exc:
                out.problems.append(
                    f"{where}: {kind} result without {exc}" if isinstance(exc, KeyError) else f"{where}: {exc}"
                )
    return out
