"""Benchmarks: predicting a 1,000-point (batch x context) grid, a prediction with speculative
decoding, and the CLI's cold start.

    python bench/bench_predict.py [--repeats 50] [--cli-runs 10]

Prints a table of medians and p95s. Figures, not assertions: nothing here fails on time.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys

import numpy as np
from rich.console import Console
from timing import cli_env, timed, timing_table

from breakeven import predict
from breakeven.api import deployment
from breakeven.core.performance import decode_step_time, prefill_time


def grid_cases(repeats: int) -> dict[str, list[float]]:
    dep = deployment("glm-5.2", "h200", 8, precision="fp8")
    batch, context = np.meshgrid(np.arange(1, 41), np.linspace(1_000, 200_000, 25))  # 1,000 points
    assert batch.size == 1000
    return {
        "decode step time, 1,000-point grid (vectorized)": timed(
            lambda: decode_step_time(dep, batch, context), repeats
        ),
        "prefill time, 1,000 prompt lengths (vectorized)": timed(lambda: prefill_time(dep, context.ravel()), repeats),
        "predict(), 1,000 calls one by one": timed(
            lambda: [predict("llama-3.1-8b", "h100-sxm", 1, 2_000, 500, int(b)) for b in range(1, 1001)],
            max(2, repeats // 25),
        ),
        "predict() with MTP on 8x H200 (break-even over 8,192 batches)": timed(
            lambda: predict("glm-5.2", "h200", 8, 4_000, 1_000, 1, "fp8", speculative={"method": "mtp"}), repeats
        ),
    }


def cli_cases(runs: int) -> dict[str, list[float]]:
    exe = shutil.which("breakeven")
    base = [exe] if exe else [sys.executable, "-m", "breakeven"]
    commands = {
        "CLI cold start: breakeven --help": [*base, "--help"],
        "CLI cold start: breakeven predict ... --json": [
            *base,
            "predict",
            "--model",
            "llama-3.1-70b",
            "--gpu",
            "h100-sxm",
            "--gpus",
            "2",
            "--input-tokens",
            "2000",
            "--output-tokens",
            "500",
            "--concurrency",
            "max",
            "--json",
        ],
    }
    return {
        name: timed(lambda c=cmd: subprocess.run(c, capture_output=True, check=True, env=cli_env()), runs)
        for name, cmd in commands.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--cli-runs", type=int, default=10)
    args = parser.parse_args()
    cases = {**grid_cases(args.repeats), **cli_cases(args.cli_runs)}
    Console().print(timing_table("breakeven benchmarks (wall time)", cases))


if __name__ == "__main__":
    main()
