"""Ingest speed: a generated LiteLLM-style spend-log export (CSV, and the same rows as Parquet),
`breakeven.ingest_logs` beside a plain pandas implementation of the same aggregation.

    python bench/bench_ingest.py                  # 10 million rows (about 3.8 GB of CSV)
    python bench/bench_ingest.py --rows 1000000   # smaller, to try it

Each case runs in a fresh process; the table gives the wall time of the ingest call (after imports),
the process's CPU time (user + system, imports included; on a busy machine a steadier measure than
wall time) and its peak resident memory. The files are generated once into --dir (default: a
temporary folder, removed afterwards unless --keep). Targets (issue 8): under 10 s and under 2 GB
for 10 million rows on a 2-core machine, at least 5x faster than pandas. A third row gives the floor:
DuckDB scanning the same columns and doing nothing else.

The pandas baseline reads the same columns as text (as breakeven does, so that bad values are
counted, not fatal), parses times and numbers, pulls the cache token counts out of the metadata JSON
with a vectorised regex, rejects the same bad rows, and computes the same aggregates: totals, request
size percentiles, per model and month, per 15 minutes. Both report their token totals, which must
agree.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHUNK = 1_000_000
START_S = 1_780_000_000  # 2026-05-28 UTC
PERIOD_S = 90 * 86400
MODELS = ["gpt-4o-mini", "gpt-4o", "claude-3-5-haiku-20241022"]
PROVIDERS = ["openai", "openai", "anthropic"]
BAD_EVERY = 1000
"""One row in this many has an unreadable time, and one a non-numeric token count."""
BODY = '[{"role": "user", "content": "Summarise the ticket below, keep it short, thank you.\\n..."}]'


def _chunk(rng, first: int, n: int):
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    idx = np.arange(first, first + n)
    start_ms = START_S * 1000 + np.sort(rng.integers(0, PERIOD_S * 1000, n))
    which = rng.choice(3, n, p=[0.6, 0.25, 0.15])
    inp = np.clip(rng.lognormal(7.5, 0.8, n), 20, 100_000).astype(np.int64)
    out = np.clip(rng.lognormal(5.5, 0.7, n), 1, 8000).astype(np.int64)
    cached = np.where(rng.random(n) < 0.4, (inp * rng.uniform(0, 0.9, n)).astype(np.int64), 0)
    duration_ms = (500 + out * rng.uniform(10, 25, n)).astype(np.int64)
    start = pa.array(start_ms, pa.timestamp("ms"))
    end = pa.array(start_ms + duration_ms, pa.timestamp("ms"))
    start_text = pc.cast(start, pa.string())
    start_text = pc.if_else(pa.array(idx % BAD_EVERY == 7), "not a time", start_text)
    prompt = pc.cast(pa.array(inp), pa.string())
    prompt = pc.if_else(pa.array(idx % BAD_EVERY == 11), "n/a", prompt)
    meta = pc.binary_join_element_wise(
        '{"user_api_key_alias": "bench", "usage_object": {"cache_read_input_tokens": ',
        pc.cast(pa.array(cached), pa.string()),
        ', "cache_creation_input_tokens": 0}}',
        "",
    )
    return pa.table(
        {
            "request_id": pc.binary_join_element_wise("chatcmpl-", pc.cast(pa.array(idx), pa.string()), ""),
            "call_type": pa.array(["acompletion"] * n),
            "spend": pa.array((inp * 0.15 + out * 0.6) / 1e6),
            "total_tokens": pa.array(inp + out),
            "prompt_tokens": prompt,
            "completion_tokens": pa.array(out),
            "startTime": start_text,
            "endTime": end,
            "request_duration_ms": pa.array(duration_ms),
            "model": pa.array(np.array(MODELS)[which]),
            "custom_llm_provider": pa.array(np.array(PROVIDERS)[which]),
            "metadata": meta,
            "messages": pa.array([BODY] * n),
            "status": pa.array(np.where(idx % 500 == 3, "failure", "success")),
        }
    )


def generate(rows: int, folder: Path) -> tuple[Path, Path]:
    import numpy as np
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    csv_path, parquet_path = folder / f"spend_logs_{rows}.csv", folder / f"spend_logs_{rows}.parquet"
    if csv_path.exists() and parquet_path.exists():
        return csv_path, parquet_path
    rng = np.random.default_rng(8)
    csv_writer = parquet_writer = None
    for first in range(0, rows, CHUNK):
        table = _chunk(rng, first, min(CHUNK, rows - first))
        if csv_writer is None:
            csv_writer = pcsv.CSVWriter(str(csv_path), table.schema)
            parquet_writer = pq.ParquetWriter(str(parquet_path), table.schema, compression="zstd")
        csv_writer.write_table(table)
        parquet_writer.write_table(table)
    csv_writer.close()
    parquet_writer.close()
    return csv_path, parquet_path


# --------------------------------------------------------------------------------- workers


def breakeven_worker(path: str) -> dict:
    from breakeven import ingest_logs

    started = time.perf_counter()
    r = ingest_logs([path], format="litellm")
    return {"seconds": time.perf_counter() - started, "input": r.tokens.input, "used": r.rows_used, "read": r.rows_read}


def scan_worker(path: str) -> dict:
    """The floor: DuckDB reading the file's columns as text (as breakeven reads a CSV) and doing
    nothing else but count. No reader built on DuckDB can be faster than this on the same machine."""
    import duckdb

    started = time.perf_counter()
    reader = "read_parquet" if path.endswith(".parquet") else "read_csv"
    options = "" if path.endswith(".parquet") else ", all_varchar=true, header=true"
    columns = ("startTime", "prompt_tokens", "completion_tokens", "spend", "metadata", "model")
    sums = ", ".join(f"sum(length(CAST({c} AS VARCHAR)))" for c in columns)
    rows = duckdb.sql(f"SELECT count(*), {sums} FROM {reader}('{path}'{options})").fetchone()[0]
    return {"seconds": time.perf_counter() - started, "input": None, "used": None, "read": rows}


def _pandas_frame(path: str):
    import pandas as pd

    cols = ["startTime", "request_duration_ms", "model", "custom_llm_provider", "prompt_tokens", "completion_tokens"]
    cols += ["spend", "status", "metadata"]
    if path.endswith(".parquet"):
        df = pd.read_parquet(path, columns=cols)
        return df.astype(dict.fromkeys(("startTime", "prompt_tokens", "completion_tokens", "spend"), str))
    return pd.read_csv(path, usecols=cols, dtype=str, keep_default_na=False)


def pandas_worker(path: str) -> dict:
    import numpy as np
    import pandas as pd

    started = time.perf_counter()
    df = _pandas_frame(path)
    t = pd.to_datetime(df["startTime"], utc=True, errors="coerce", format="ISO8601")
    inp = pd.to_numeric(df["prompt_tokens"], errors="coerce")
    out = pd.to_numeric(df["completion_tokens"], errors="coerce")
    cost = pd.to_numeric(df["spend"], errors="coerce")
    cached = pd.to_numeric(df["metadata"].str.extract(r'"cache_read_input_tokens": (\d+)')[0]).fillna(0)
    write = pd.to_numeric(df["metadata"].str.extract(r'"cache_creation_input_tokens": (\d+)')[0]).fillna(0)
    reason = np.select(
        [df["status"].eq("failure"), inp.isna() | out.isna(), t.isna(), (inp < 0) | (out < 0), cached + write > inp],
        ["failed_request", "non_numeric_tokens", "unparseable_time", "negative_tokens", "cached_exceeds_input"],
        default="",
    )
    ok = reason == ""
    v = pd.DataFrame(
        {
            "t": t,
            "model": df["model"],
            "provider": df["custom_llm_provider"],
            "input": inp,
            "cached": cached,
            "write": write,
            "output": out,
            "cost": cost,
            "ms": pd.to_numeric(df["request_duration_ms"], errors="coerce"),
        }
    )[ok]
    sums = v[["input", "cached", "write", "output", "cost", "ms"]].sum()
    quantiles = v[["input", "output"]].quantile([0.5, 0.9, 0.99])
    month = v["t"].dt.tz_localize(None).dt.to_period("M")
    per_model = v.groupby([v["model"], v["provider"], month])[["input", "cached", "write", "output", "cost"]].sum()
    quarter = (v["t"].astype("int64") // 10**9 // 900).rename("q")
    per_quarter = v.groupby(quarter)[["input", "output", "ms"]].agg(["sum", "count"])
    pd.Series(reason).value_counts()
    assert len(per_model) and len(per_quarter) and len(quantiles)
    return {
        "seconds": time.perf_counter() - started,
        "input": float(sums["input"]),
        "used": int(ok.sum()),
        "read": len(df),
    }


WORKERS = {"breakeven": breakeven_worker, "pandas": pandas_worker, "scan": scan_worker}

# ------------------------------------------------------------------------------------ main


def warm(path: Path) -> None:
    """Read the file once so that every case finds it in the page cache (a cold read of a 3.8 GB
    file costs the reading process seconds of system time, whichever engine reads it)."""
    with path.open("rb") as f:
        while f.read(1 << 24):
            pass


def run_case(kind: str, path: Path) -> dict:
    """One case in a fresh process, its file warm in the page cache: its result, its CPU time and its
    peak resident memory (MB)."""
    warm(path)
    proc = subprocess.Popen([sys.executable, __file__, "--worker", kind, str(path)], stdout=subprocess.PIPE, text=True)
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{kind} on {path.name} failed with exit code {proc.returncode}")
    result = json.loads(output.strip().splitlines()[-1])
    result["peak_mb"] = usage.ru_maxrss / 1024
    result["cpu_s"] = usage.ru_utime + usage.ru_stime
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--dir", type=Path, default=None, help="Where the generated files go (kept)")
    parser.add_argument("--keep", action="store_true", help="Keep the generated files")
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        kind, path = args.worker
        print(json.dumps(WORKERS[kind](path)))
        return
    folder = args.dir or Path(tempfile.mkdtemp(prefix="breakeven-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        started = time.perf_counter()
        files = generate(args.rows, folder)
        print(
            f"generated {args.rows:,} rows in {time.perf_counter() - started:.0f} s: "
            + ", ".join(f"{p.name} {p.stat().st_size / 1e9:.2f} GB" for p in files)
        )
        print("| file | engine | rows read | rows used | wall | CPU (process) | peak memory | speed-up |")
        print("|---|---|---|---|---|---|---|---|")
        for path in files:
            ours, theirs, floor = (run_case(k, path) for k in ("breakeven", "pandas", "scan"))
            if ours["input"] != theirs["input"] or ours["used"] != theirs["used"]:
                raise SystemExit(f"the two disagree on {path.name}: {ours} vs {theirs}")
            for name, r in (("breakeven (DuckDB)", ours), ("pandas", theirs), ("DuckDB scan only (floor)", floor)):
                speed = f"{theirs['seconds'] / ours['seconds']:.1f}x" if r is ours else ""
                used = "-" if r["used"] is None else f"{r['used']:,}"
                print(
                    f"| {path.suffix[1:]} | {name} | {r['read']:,} | {used} | {r['seconds']:.1f} s "
                    f"| {r['cpu_s']:.1f} s | {r['peak_mb']:,.0f} MB | {speed} |"
                )
    finally:
        if args.dir is None and not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
