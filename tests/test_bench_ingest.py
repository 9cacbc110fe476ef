"""The ingest benchmark runs, small: breakeven and the pandas baseline agree on what they read."""

import subprocess
import sys

import pytest
from conftest import ROOT


@pytest.mark.slow
def test_ingest_benchmark_runs_small(tmp_path):
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_ingest.py"), "--rows", "20000", "--dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    rows = [line for line in done.stdout.splitlines() if line.startswith("| csv") or line.startswith("| parquet")]
    assert len(rows) == 6  # per format: breakeven, pandas, and DuckDB's bare scan (the floor)
    for line in rows:
        used = "| 20,000 | - |" if "scan only" in line else "| 20,000 | 19,920 |"
        assert used in line  # 1 in 1,000 unreadable time, 1 non-numeric, 1 in 500 failed
