"""Benchmark: evaluating a scenario with 10 candidates (5 APIs, 5 self-hosted) and a 200-point curve
per candidate, in-process and through the CLI end to end.

    python bench/bench_evaluate.py [--repeats 20] [--cli-runs 5]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml
from rich.console import Console
from timing import cli_env, timed, timing_table

from breakeven.scenario.evaluate import evaluate
from breakeven.scenario.load import parse

GPUS = [
    ("h100-sxm", 8, "scaleway-h100-sxm-8"),
    ("h200", 8, "nebius-h200-reserved"),
    ("h200", 8, "nebius-h200-on-demand"),
    ("h100-sxm", 8, "neocloud-8x-h100-node"),
    ("h200", 8, "runpod-h200"),
]


def ten_candidates() -> dict:
    apis = [
        {"name": f"api {i}", "kind": "api", "prices": {"input_per_m": 0.5 + i, "output_per_m": 2 + 2 * i}}
        for i in range(5)
    ]
    hosts = [
        {
            "name": f"self-host {i} ({gpu})",
            "kind": "selfhost",
            "model": "glm-5.2",
            "gpu": gpu,
            "gpus_per_replica": n,
            "precision": "fp8" if gpu == "h200" else "nvfp4",
            "attention_dp": True,
            "pricing": {"kind": "rent", "offer": offer},
            "staff": {"hours_per_month": [20, 40], "rate_per_hour": [75, 150]},
            "production_layer": {"one_off": [6000, 24000], "amortize_months": 12},
        }
        for i, (gpu, n, offer) in enumerate(GPUS)
    ]
    return {
        "name": "10 candidates",
        "currency": "EUR",
        "fx": {"USD": 0.85},
        "workload": {
            "users": {"monthly_active": 5000, "requests_per_user": 100, "peak_online_share": 0.05, "duty_cycle": 0.15},
            "request": {"input_tokens": 20000, "cached_input_share": 0.8, "output_tokens": 800},
            "service_level": {"min_tokens_per_s_per_stream": 20},
        },
        "candidates": apis + hosts,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--cli-runs", type=int, default=5)
    args = parser.parse_args()
    data = ten_candidates()
    scenario = parse(data)
    evaluate(scenario, 200)  # warm the catalog caches
    cases = {
        "evaluate(): 10 candidates, 200-point curves": timed(lambda: evaluate(scenario, 200), args.repeats),
        "evaluate(): 10 candidates, no curves": timed(lambda: evaluate(scenario, 0), args.repeats),
    }
    exe = shutil.which("breakeven")
    base = [exe] if exe else [sys.executable, "-m", "breakeven"]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ten.yaml"
        path.write_text(yaml.safe_dump(data))
        cases["CLI end to end: breakeven evaluate --json --curves"] = timed(
            lambda: subprocess.run(
                [*base, "evaluate", str(path), "--json", "--curves"], capture_output=True, check=True, env=cli_env()
            ),
            args.cli_runs,
        )
    Console().print(timing_table("breakeven evaluate benchmarks (wall time)", cases))


if __name__ == "__main__":
    main()
