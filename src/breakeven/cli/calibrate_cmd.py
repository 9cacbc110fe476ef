"""The `calibrate` command: benchmark results in, a calibrated engine profile out."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Annotated, Optional

import typer

from breakeven import api
from breakeven.errors import InputError
from breakeven.outputs.calibration_text import fitted_table, points_table
from breakeven.outputs.json_text import to_json
from breakeven.outputs.tables import console


def calibrate(
    results: Annotated[list[str], typer.Argument(help="Result files (JSON or JSONL)")],
    model: Annotated[str, typer.Option("--model", "-m", help="Model id or config.json the benchmark ran")],
    gpu: Annotated[str, typer.Option("--gpu", "-g", help="GPU id")],
    gpus: Annotated[int, typer.Option(help="GPUs per replica in the benchmark")],
    fmt: Annotated[
        str, typer.Option("--format", help="auto, vllm, guidellm, aiperf, genai-perf, llmperf, breakeven-gpu")
    ] = "auto",
    precision: Annotated[Optional[str], typer.Option(help="Weight precision (default: native)")] = None,
    kv_precision: Annotated[Optional[str], typer.Option("--kv-precision", help="KV-cache precision")] = None,
    engine: Annotated[str, typer.Option(help="Engine profile to start from")] = "vllm",
    out: Annotated[Optional[str], typer.Option(help="Write the calibration file here")] = None,
    report: Annotated[bool, typer.Option(help="Show predicted against measured per point")] = False,
    chart: Annotated[Optional[str], typer.Option(help="Write an HTML chart of predicted against measured")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Fit the performance model to your own benchmark of a deployment (measured beats modelled)."""
    from breakeven.calibration.calibrate import calibrate as fit
    from breakeven.calibration.file import CalibrationDeployment, write
    from breakeven.calibration.runs import to_measurements
    from breakeven.ingest.benchmarks import read_results

    dep = api.deployment(model, gpu, gpus, precision, kv_precision, engine)
    imported = read_results(results, fmt)
    for problem in imported.problems:
        print(f"rejected: {problem}", file=sys.stderr)
    for note in imported.dropped:
        print(f"dropped: {note}", file=sys.stderr)
    print(imported.summary(), file=sys.stderr)
    if not imported.runs:
        raise InputError("results", " ".join(results), "files with at least one readable benchmark run")
    today = dt.date.today()
    points = [
        m
        for run in imported.runs
        for m in to_measurements(run, model, dep.gpu.id, gpus, dep.precision, dep.kv_precision, dep.engine.id, today)
    ]
    deployment = CalibrationDeployment(
        model=model,
        gpu=dep.gpu.id,
        gpus=gpus,
        precision=dep.precision,
        kv_precision=dep.kv_precision,
        engine=dep.engine.id,
    )
    cal = fit(points, dep.engine, deployment, sorted(set(results)), today)
    if out:
        write(cal.file, out)
    if chart:
        from breakeven.outputs.charts import calibration_chart

        calibration_chart(cal).write_html(chart, include_plotlyjs=True)
    if json_out:
        counts = {"read": imported.read, "runs": len(imported.runs), "skipped": imported.problems}
        dump = cal.file.model_dump(mode="json")
        print(to_json({**dump, **counts, "dropped": imported.dropped, "warnings": cal.file.fit.warnings()}))
        return
    c = console()
    c.print(fitted_table(dep.engine, cal))
    for warning in cal.file.fit.warnings():
        print(f"warning: {warning}", file=sys.stderr)
    if report:
        c.print(points_table(cal))
    c.print(
        f"{imported.read} records read: {len(imported.runs)} runs used ({len(points)} points), "
        f"{len(imported.problems)} rejected, {len(imported.dropped)} metrics dropped"
        + (f"; wrote {out}" if out else "")
        + (f"; chart {chart}" if chart else "")
    )
