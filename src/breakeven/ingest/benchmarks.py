"""Benchmark results of the established load generators -> BenchRun records.

Formats: `vllm bench serve --save-result` JSON (and `--append-result` JSONL), GuideLLM
`benchmarks.json`, aiperf `profile_export_aiperf.json`, genai-perf `profile_export_genai_perf.json`,
llmperf `*_summary.json`, breakeven's own GPU sweep (bench/gpu/measure.py), and published tables
transcribed as YAML. Key names and units follow each tool's source (tests/data/benchmarks/README.md).

Nothing is lost silently. Every record (a JSONL line, a GuideLLM benchmark, a table point) is read
on its own: one that cannot be used is rejected with its file, line and reason, and rejects only
itself; a metric that is missing its meaning (NaN, infinite, negative, or outside what hardware can
do: ``METRIC_BOUNDS``) is dropped from its run with its file, line and key as the tool wrote it, and
the run keeps its other metrics. ``Imported.read`` = runs used + records rejected.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from breakeven import limits, safe_yaml
from breakeven.errors import InputError
from breakeven.ingest.runs import BenchRun, ImportProblem, mean_concurrency

LINES_FOR_JSON_BYTES = 50_000_000
"""JSON files up to this size are scanned a second time for the lines of their records, so that a
rejected GuideLLM benchmark is reported with its line; larger ones are reported by index only."""

METRIC_BOUNDS: dict[str, tuple[float, float]] = {
    "concurrency": (1e-3, limits.CONCURRENCY.high),
    "input_tokens": (1.0, limits.TOKENS_PER_REQUEST.high),
    "output_tokens": (1.0, limits.TOKENS_PER_REQUEST.high),
    "itl_ms": (1e-3, limits.SECONDS.high * 1e3),
    "mean_itl_ms": (1e-3, limits.SECONDS.high * 1e3),
    "ttft_ms": (1e-3, limits.SECONDS.high * 1e3),
    "output_tokens_per_s": (1e-6, limits.TOKENS_PER_S.high),
    "requests_per_s": (1e-9, limits.TOKENS_PER_S.high),
}
"""What a run's figures may be: no GPU decodes a token in under a microsecond (1e-3 ms), none waits
longer than limits.SECONDS, and no replica serves more than limits.TOKENS_PER_S."""
REQUIRED = ("concurrency", "input_tokens", "output_tokens")
METRICS = ("itl_ms", "mean_itl_ms", "ttft_ms", "output_tokens_per_s", "requests_per_s")


@dataclass
class Imported:
    runs: list[BenchRun] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    """'file:line [where]: why' for every record (file, line, benchmark, point) that was rejected."""
    dropped: list[str] = field(default_factory=list)
    """'file:line [where]: key = value: why; dropped' for every metric left out of a run that was used."""
    read: int = 0
    """Records read: len(runs) + len(problems)."""

    def summary(self) -> str:
        return (
            f"{self.read} records read = {len(self.runs)} used + {len(self.problems)} rejected; "
            f"{len(self.dropped)} metrics dropped"
        )


@dataclass(frozen=True)
class Got:
    """A figure as the file gives it: its value and the key (or formula of keys) it came from."""

    value: object
    key: str


@dataclass
class _Sink:
    """What a reader could not use: metrics dropped from runs, records rejected whole."""

    dropped: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)

    def each(self, items: list, locate_item: Callable[[int], str], read_one: Callable) -> list[BenchRun]:
        """read_one(item, i) for every item of a list of records; one that fails rejects only itself."""
        runs = []
        for i, item in enumerate(items):
            try:
                runs.append(read_one(item, i))
            except _RECORD_ERRORS as exc:
                self.rejected.append(f"{locate_item(i)}: rejected: {_why(exc)}")
        return runs


def _why(exc: Exception) -> str:
    return str(exc) if isinstance(exc, ImportProblem) else f"unexpected layout ({exc.__class__.__name__}: {exc})"


_RECORD_ERRORS = (ImportProblem, KeyError, TypeError, AttributeError, ValueError)

Fields = dict[str, Got | None]
Locate = Callable[..., str]
"""locate(*path) -> 'file:line [path]': where a record or a figure sits in the file."""


def _get(d: dict, *keys: str, prefix: str = "") -> Got | None:
    """The first of ``keys`` present (and not null) in ``d``, whatever its type (checked later)."""
    for k in keys:
        if isinstance(d, dict) and d.get(k) is not None:
            return Got(d[k], prefix + k)
    return None


def _float(got: Got | None) -> float | None:
    """A figure's value as a float; None if absent; ImportProblem if present but not a number."""
    if got is None:
        return None
    v = got.value
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise ImportProblem(f"{got.key} = {_short(v)} is not a number")
    try:
        return float(v)
    except OverflowError:
        return math.inf


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _derived(key: str, fn: Callable[..., float], *parts: Got | None) -> Got | None:
    """A figure computed from others (e.g. total_input_tokens / completed), keyed by its formula."""
    if any(p is None for p in parts):
        return None
    values = [_float(p) for p in parts]
    try:
        return Got(fn(*values), key)
    except (ZeroDivisionError, OverflowError, ValueError):
        return Got(math.nan, key)


def _checked(name: str, got: Got | None) -> tuple[float | None, str | None]:
    """(value, None) when the figure is usable, (None, why) when it is present but is not."""
    if got is None:
        return None, None
    try:
        v = _float(got)
    except ImportProblem as exc:
        return None, str(exc)
    low, high = METRIC_BOUNDS[name]
    if not math.isfinite(v) or not low <= v <= high:
        return None, f"{got.key} = {_short(got.value)} is not a finite number between {low:g} and {high:g}"
    return v, None


def _build(fields: Fields, where: str, tool: str, sink: _Sink, **extra) -> BenchRun:
    """A BenchRun from a record's figures: a required figure that is unusable rejects the record
    (ImportProblem); an unusable metric is dropped with a note; a record left with no metric is
    rejected."""
    values: dict[str, float | None] = {}
    for name in REQUIRED:
        v, why = _checked(name, fields.get(name))
        if v is None:
            raise ImportProblem(why or f"no {name.replace('_', ' ')} ({_keys_for(name)})")
        values[name] = v
    notes = []
    for name in METRICS:
        v, why = _checked(name, fields.get(name))
        values[name] = v
        if why:
            notes.append(f"{where}: {why}; dropped")
    if all(values[m] is None for m in METRICS):
        raise ImportProblem("no usable ITL, TTFT or throughput figure" + (f" ({notes[0]})" if notes else ""))
    sink.dropped += notes
    return BenchRun(source=where, tool=tool, **values, **extra)


def _keys_for(name: str) -> str:
    return {"concurrency": "concurrency or rate and latency", "input_tokens": "input length"}.get(name, "output length")


# ----------------------------------------------------------------------------------- vLLM


def _vllm(obj: dict, locate: Locate, sink: _Sink) -> list[BenchRun]:
    """One `vllm bench serve` result. ms for *_ms keys; throughputs per second; concurrency from
    max_concurrency, else Little's law on request_throughput x mean_e2el_ms."""
    completed = _get(obj, "completed")
    if not (_float(completed) or 0) >= 1:
        raise ImportProblem(f"completed = {_short(completed.value) if completed else None}: no completed requests")
    conc = _get(obj, "max_concurrency")
    derived = conc is None
    if derived:
        rate, e2e = _get(obj, "request_throughput"), _get(obj, "mean_e2el_ms")
        if rate is None or e2e is None:
            raise ImportProblem("neither max_concurrency nor request_throughput and mean_e2el_ms")
        conc = _derived("request_throughput x mean_e2el_ms / 1000", mean_concurrency, rate, e2e)
    fields = {
        "concurrency": conc,
        "input_tokens": _derived(
            "total_input_tokens / completed", lambda a, b: a / b, _get(obj, "total_input_tokens"), completed
        ),
        "output_tokens": _derived(
            "total_output_tokens / completed", lambda a, b: a / b, _get(obj, "total_output_tokens"), completed
        ),
        "itl_ms": _get(obj, "median_itl_ms"),
        "mean_itl_ms": _get(obj, "mean_tpot_ms", "mean_itl_ms"),
        "ttft_ms": _get(obj, "mean_ttft_ms"),
        "output_tokens_per_s": _get(obj, "output_throughput"),
        "requests_per_s": _get(obj, "request_throughput"),
    }
    count = int(min(_float(completed), 1e15))
    return [_build(fields, locate(), "vllm bench serve", sink, completed=count, derived_concurrency=derived)]


def _is_vllm(obj) -> bool:
    return isinstance(obj, dict) and "output_throughput" in obj and "completed" in obj


# ------------------------------------------------------------------------------- GuideLLM


def _dist(metrics: dict, name: str, stat: str = "mean") -> Got | None:
    """A GuideLLM distribution's statistic over successful requests."""
    d = metrics.get(name) if isinstance(metrics, dict) else None
    successful = d.get("successful") if isinstance(d, dict) else None
    return _get(successful, stat, prefix=f"metrics.{name}.successful.") if isinstance(successful, dict) else None


def _guidellm_one(b: dict, locate: Locate, i: int, sink: _Sink) -> BenchRun:
    if not isinstance(b, dict) or not isinstance(b.get("metrics"), dict):
        raise ImportProblem("a benchmark without metrics")
    m = b["metrics"]
    strategy = (b.get("config") or {}).get("strategy") or {}
    kind = strategy.get("type_") if isinstance(strategy, dict) else None
    if kind == "concurrent":
        conc, derived = _get(strategy, "streams", prefix="config.strategy."), False
    elif kind == "synchronous":
        conc, derived = Got(1, "config.strategy.type_ synchronous"), False
    else:
        conc, derived = _dist(m, "request_concurrency"), True
    if conc is None:
        raise ImportProblem(f"no concurrency (strategy {kind})")
    totals = m.get("request_totals") if isinstance(m.get("request_totals"), dict) else {}
    completed, why = _checked("requests_per_s", _get(totals, "successful", prefix="metrics.request_totals."))
    fields = {
        "concurrency": conc,
        "input_tokens": _dist(m, "prompt_token_count"),
        "output_tokens": _dist(m, "output_token_count"),
        "mean_itl_ms": _dist(m, "inter_token_latency_ms"),  # per-request means: prefill stalls included
        "ttft_ms": _dist(m, "time_to_first_token_ms"),
        "output_tokens_per_s": _dist(m, "output_tokens_per_second"),
        "requests_per_s": _dist(m, "requests_per_second"),
    }
    count = int(completed) if completed and not why else None
    return _build(fields, locate("benchmarks", i), "GuideLLM", sink, completed=count, derived_concurrency=derived)


def _guidellm(obj: dict, locate: Locate, sink: _Sink) -> list[BenchRun]:
    """GuideLLM benchmarks.json: one run per benchmark (a bad one rejects only itself). ms for
    *_ms metrics; rates use the mean of the time-weighted distribution; concurrency is the strategy's
    streams, else the measured mean."""
    return sink.each(
        obj["benchmarks"], lambda i: locate("benchmarks", i), lambda b, i: _guidellm_one(b, locate, i, sink)
    )


def _is_guidellm(obj) -> bool:
    return (
        isinstance(obj, dict)
        and isinstance(obj.get("benchmarks"), list)
        and any(isinstance(b, dict) and "metrics" in b for b in obj["benchmarks"])
    )


# --------------------------------------------------------------------- aiperf / genai-perf

_TO_MS = {"ms": 1.0, "milliseconds": 1.0, "ns": 1e-6, "us": 1e-3, "s": 1e3, "sec": 1e3, "seconds": 1e3}


def _stat(obj: dict, name: str, stat: str = "avg", ms: bool = False) -> Got | None:
    """A metric record's statistic; times converted to ms from the record's own unit."""
    rec = obj.get(name)
    if not isinstance(rec, dict):
        return None
    got = _get(rec, stat, prefix=f"{name}.")
    if got is None or not ms:
        return got
    unit = str(rec.get("unit", "ms")).lower()
    if unit not in _TO_MS:
        raise ImportProblem(f"{name}.unit = {unit!r} is not a time unit ({', '.join(_TO_MS)})")
    return _derived(f"{got.key} ({unit})", lambda v: v * _TO_MS[unit], got)


def _perf_run(obj: dict, locate: Locate, tool: str, concurrency: Got | None, sink: _Sink) -> list[BenchRun]:
    rate, derived = _stat(obj, "request_throughput"), concurrency is None
    if derived:
        latency = _stat(obj, "request_latency", ms=True)
        if rate is None or latency is None:
            raise ImportProblem("no concurrency in the input config and no request rate and latency")
        concurrency = _derived("request_throughput x request_latency", mean_concurrency, rate, latency)
    fields = {
        "concurrency": concurrency,
        "input_tokens": _stat(obj, "input_sequence_length"),
        "output_tokens": _stat(obj, "output_sequence_length"),
        "mean_itl_ms": _stat(obj, "inter_token_latency", ms=True),
        "ttft_ms": _stat(obj, "time_to_first_token", ms=True),
        "output_tokens_per_s": _stat(obj, "output_token_throughput"),
        "requests_per_s": rate,
    }
    count, why = _checked("requests_per_s", _stat(obj, "request_count"))
    completed = int(count) if count and not why else None
    return [_build(fields, locate(), tool, sink, completed=completed, derived_concurrency=derived)]


def _aiperf(obj: dict, locate: Locate, sink: _Sink) -> list[BenchRun]:
    """aiperf profile_export_aiperf.json: metric records with unit and avg/p50/...; concurrency from
    input_config.loadgen.concurrency."""
    loadgen = (obj.get("input_config") or {}).get("loadgen") or {}
    conc = _get(loadgen, "concurrency", prefix="input_config.loadgen.")
    return _perf_run(obj, locate, f"aiperf {obj.get('aiperf_version', '')}".strip(), conc, sink)


def _is_aiperf(obj) -> bool:
    return (
        isinstance(obj, dict) and ("aiperf_version" in obj or "schema_version" in obj) and "inter_token_latency" in obj
    )


def _genai_perf(obj: dict, locate: Locate, sink: _Sink) -> list[BenchRun]:
    """genai-perf profile_export_genai_perf.json: the same records; concurrency from input_config.concurrency."""
    conc = _get(obj.get("input_config") or {}, "concurrency", prefix="input_config.")
    return _perf_run(obj, locate, "genai-perf", conc, sink)


def _is_genai_perf(obj) -> bool:
    return (
        isinstance(obj, dict)
        and isinstance(obj.get("input_config"), dict)
        and "service_kind" in obj["input_config"]
        and "time_to_first_token" in obj
    )


# -------------------------------------------------------------------------------- llmperf


def _llmperf(obj: dict, locate: Locate, sink: _Sink) -> list[BenchRun]:
    """llmperf *_summary.json: seconds and requests per minute. Its inter_token_latency includes the
    first token, so the decode-only mean ITL is (e2e - ttft) / (output - 1)."""
    e2e, ttft = _get(obj, "results_end_to_end_latency_s_mean"), _get(obj, "results_ttft_s_mean")
    out = _get(obj, "results_number_output_tokens_mean", "mean_output_tokens")
    fields = {
        "concurrency": _get(obj, "num_concurrent_requests"),
        "input_tokens": _get(obj, "results_number_input_tokens_mean", "mean_input_tokens"),
        "output_tokens": out,
        "mean_itl_ms": _derived(
            "(results_end_to_end_latency_s_mean - results_ttft_s_mean) / (output tokens - 1) x 1000",
            lambda a, b, n: (a - b) / max(n - 1, 1) * 1e3,
            e2e,
            ttft,
            out,
        ),
        "ttft_ms": _derived("results_ttft_s_mean x 1000", lambda v: v * 1e3, ttft),
        "output_tokens_per_s": _get(obj, "results_mean_output_throughput_token_per_s"),
        "requests_per_s": _derived(
            "results_num_completed_requests_per_min / 60",
            lambda v: v / 60,
            _get(obj, "results_num_completed_requests_per_min"),
        ),
    }
    count, why = _checked("requests_per_s", _get(obj, "results_num_completed_requests"))
    return [_build(fields, locate(), "llmperf", sink, completed=int(count) if count and not why else None)]


def _is_llmperf(obj) -> bool:
    return isinstance(obj, dict) and "num_concurrent_requests" in obj and "results_ttft_s_mean" in obj


# --------------------------------------------------------------------------- breakeven GPU


def _breakeven_gpu(obj: dict, locate: Locate, sink: _Sink) -> list[BenchRun]:
    tool = f"breakeven GPU sweep ({obj.get('device')})"
    points = [(r, i, p) for r, run in enumerate(obj.get("runs", [])) for i, p in enumerate(run.get("points", []))]

    def one(point, _):
        r, i, p = point
        fields = {
            "concurrency": _get(p, "batch"),
            "input_tokens": _get(p, "context"),
            "output_tokens": Got(1, "one decode step"),
            "itl_ms": _get(p, "itl_ms"),
        }
        return _build(fields, locate("runs", r, "points", i), tool, sink)

    return sink.each(points, lambda k: locate("runs", points[k][0], "points", points[k][1]), one)


def _is_breakeven_gpu(obj) -> bool:
    return isinstance(obj, dict) and obj.get("format") == "breakeven-gpu-sweep"


# ----------------------------------------------------------------------- transcribed tables


def _table_point(p: dict, locate: Locate, i: int, tool: str, sink: _Sink) -> BenchRun:
    if not isinstance(p, dict):
        raise ImportProblem("a point that is not a mapping")
    conc, derived = _get(p, "concurrency"), False
    if conc is None or "request_rate" in p:
        rate, e2e = _get(p, "request_throughput"), _get(p, "mean_e2e_latency_ms")
        if rate is not None and e2e is not None:
            conc, derived = (
                _derived("request_throughput x mean_e2e_latency_ms / 1000", mean_concurrency, rate, e2e),
                True,
            )
    if conc is None:
        raise ImportProblem("neither concurrency nor request_throughput and mean_e2e_latency_ms")
    fields = {
        "concurrency": conc,
        "input_tokens": _get(p, "input_tokens"),
        "output_tokens": _get(p, "output_tokens"),
        "itl_ms": _get(p, "median_itl_ms"),
        "mean_itl_ms": _get(p, "itl_ms", "mean_itl_ms"),
        "ttft_ms": _get(p, "ttft_ms", "median_ttft_ms"),
        "output_tokens_per_s": _get(p, "output_tokens_per_s"),
        "requests_per_s": _get(p, "request_throughput"),
    }
    return _build(fields, locate("points", i), tool, sink, derived_concurrency=derived)


def _table(obj: dict, locate: Locate, sink: _Sink) -> list[BenchRun]:
    """A published benchmark table transcribed as YAML (tests/data/measured/*.yaml): ``points`` with
    concurrency (or request_throughput and mean_e2e_latency_ms), input_tokens, output_tokens and any
    of itl_ms (a mean, as most tables publish), median_itl_ms, ttft_ms / median_ttft_ms,
    output_tokens_per_s."""
    tool = f"{obj.get('engine', 'table')} table ({obj.get('load_generator', 'load generator not stated')})"
    return sink.each(obj["points"], lambda i: locate("points", i), lambda p, i: _table_point(p, locate, i, tool, sink))


def _is_table(obj) -> bool:
    return isinstance(obj, dict) and isinstance(obj.get("points"), list) and "source" in obj


Reader = Callable[[dict, Locate, list[str]], list[BenchRun]]
READERS: dict[str, tuple[Callable[[object], bool], Reader]] = {
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


# ------------------------------------------------------------------------------ reading files


@dataclass
class _Document:
    """One parsed JSON or YAML object of a file (or one JSONL line) and how to say where things are."""

    path: str
    obj: object
    line: int | None = None
    """The JSONL line this object is on."""
    lines: Callable[[], dict] | None = None
    """Lines of the document's values by path, computed on first need."""

    def locate(self, *path: object) -> str:
        if self.line is not None:
            where = f"{self.path}:{self.line}"
        else:
            found = (self.lines() if self.lines else {}).get(tuple(path)) if path else None
            where = f"{self.path}:{found}" if found else self.path
        return where + (f" [{'.'.join(str(p) for p in path)}]" if path else "")


def _documents(path: Path) -> tuple[list[_Document], list[str]]:
    """The JSON or YAML document of a file, or each line of a JSONL file; unreadable ones reported."""
    text = limits.read_text(path, "results", "a benchmark result file", limits.BENCHMARK_BYTES)
    name = str(path)
    try:
        obj = json.loads(text)
        cache: dict = {}

        def lines() -> dict:
            if "v" not in cache:
                cache["v"] = safe_yaml.lines_of(text, 4) if len(text) <= LINES_FOR_JSON_BYTES else {}
            return cache["v"]

        return [_Document(name, obj, lines=lines)], []
    except (ValueError, RecursionError) as exc:
        one_line = len([line for line in text.splitlines() if line.strip()]) <= 1
        if not isinstance(exc, json.JSONDecodeError) and one_line:
            return [], [f"{name}: not readable JSON ({str(exc)[:120]})"]
    if path.suffix in (".yaml", ".yml"):
        try:
            obj, found = safe_yaml.load_with_lines(text, name, depth=4)
        except safe_yaml.YamlError as exc:
            return [], [f"{name}:{exc.line}: {exc.reason}"]
        return [_Document(name, obj, lines=lambda: found)], []
    docs, problems = [], []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            docs.append(_Document(name, json.loads(line), line=n))
        except json.JSONDecodeError as exc:
            problems.append(f"{name}:{n}: not JSON ({exc.msg})")
        except (ValueError, RecursionError) as exc:
            problems.append(f"{name}:{n}: not readable JSON ({str(exc)[:120]})")
    if not docs and not problems:
        problems.append(f"{name}: empty")
    return docs, problems


def _read_document(doc: _Document, kind: str, out: Imported) -> None:
    """Every record of one document into ``out``: runs, metrics dropped, records rejected."""
    sink = _Sink()
    try:
        runs = READERS[kind][1](doc.obj, doc.locate, sink)
    except _RECORD_ERRORS as exc:
        runs, sink.rejected = [], [*sink.rejected, f"{doc.locate()}: {kind} result rejected: {_why(exc)}"]
    out.runs += runs
    out.problems += sink.rejected
    out.dropped += sink.dropped
    out.read += len(runs) + len(sink.rejected)


def read_results(paths: list[str], fmt: str = "auto") -> Imported:
    """Every run in every file. ``fmt`` 'auto' recognizes each object by its keys."""
    if fmt != "auto" and fmt not in READERS:
        raise InputError("format", fmt, f"auto or one of {', '.join(READERS)}")
    out = Imported()
    for name in paths:
        docs, problems = _documents(Path(name))
        out.problems += problems
        out.read += len(problems)
        for doc in docs:
            kind = detect(doc.obj) if fmt == "auto" else fmt
            if kind is None:
                out.problems.append(f"{doc.locate()}: not a result of {', '.join(READERS)} (unrecognized keys)")
                out.read += 1
                continue
            _read_document(doc, kind, out)
    return out
