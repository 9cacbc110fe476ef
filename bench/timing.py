"""Timing helpers shared by the benchmark scripts (wall time, medians and p95s)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def timed(fn: Callable[[], object], repeats: int) -> list[float]:
    """Wall seconds of ``repeats`` calls of ``fn``."""
    out = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def summary_row(name: str, seconds: list[float]) -> tuple[str, str, str, str]:
    """(case, runs, median, p95) in milliseconds."""
    ms = sorted(t * 1e3 for t in seconds)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return name, str(len(ms)), f"{statistics.median(ms):.2f} ms", f"{p95:.2f} ms"


def cli_env() -> dict[str, str]:
    """The environment for timing CLI runs: bytecode caching on (PYTHONDONTWRITEBYTECODE removed), as
    for a package installed by pip, so cold start measures imports, not recompiling every module."""
    import os

    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timing_table(title: str, cases: dict[str, list[float]]):
    """A rich table of (case, runs, median, p95) rows."""
    from rich.table import Table

    table = Table(title=title)
    for col in ("case", "runs", "median", "p95"):
        table.add_column(col, justify="left" if col == "case" else "right")
    for name, times in cases.items():
        table.add_row(*summary_row(name, times))
    return table
