"""The GPU measurement script runs (tiny shape on the CPU) and writes what `calibrate` reads."""

import subprocess
import sys

import pytest
from conftest import ROOT

torch = pytest.importorskip("torch", reason="PyTorch is not a test dependency; the script needs it")


def test_measure_script_smoke_on_cpu(tmp_path, cli):
    out = tmp_path / "sweep.json"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "gpu" / "measure.py"), "--device", "cpu", "--tiny", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    from breakeven.ingest.benchmarks import read_results

    runs = read_results([str(out)]).runs
    assert len(runs) == 4 and all(r.itl_ms > 0 for r in runs)
