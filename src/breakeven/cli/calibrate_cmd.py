"""The `calibrate` command: benchmark results in, a calibrated engine profile out."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Annotated, Optional

import typer
from rich.table import Table

from breakeven import api
from breakeven.cli.render import console, to_json
from breakeven.errors import InputError


def _report_table(cal) -> Table:
    t = Table(title="predicted against measured (before -> after calibration)", title_justify="left")
    for col in ("point", "metric", "conc.", "in/out", "measured", "before", "err", "after", "err"):
        t.add_column(col, justify="left" if col in ("point", "metric") else "right", overflow="fold")
    for p in cal.file.points:
        t.add_row(
            p.id.rsplit("#", 1)[0],
            p.metric,
            str(p.concurrency),
            f"{p.input_tokens}/{p.output_tokens}",
            f"{p.measured:.4g}",
            f"{p.predicted_before:.4g}",
            f"{p.predicted_before / p.measured - 1:+.0%}",
            f"{p.predicted_after:.4g}",
            f"{p.predicted_after / p.measured - 1:+.0%}",
        )
    return t


def _fitted_table(base, cal) -> Table:
    t = Table(
        title=f"{cal.file.profile.id}: {cal.file.fit.points} points, rms relative error (the fit's objective) "
        f"{cal.file.fit.rms_relative_error_before:.1%} -> {cal.file.fit.rms_relative_error_after:.1%}",
        title_justify="left",
    )
    for col in ("field", "bundled", "calibrated"):
        t.add_column(col)
    for f in cal.file.fit.fitted:
        t.add_row(f, f"{getattr(base, f):.4g}", f"{getattr(cal.file.profile, f):.4g}")
    return t


def _chart(cal, path: str) -> None:
    """Predicted against measured, before and after, as a self-contained HTML chart."""
    import plotly.graph_objects as go

    pts = cal.file.points
    fig = go.Figure()
    for label, key in (("before", "predicted_before"), ("after", "predicted_after")):
        fig.add_trace(
            go.Scatter(
                x=[p.measured for p in pts],
                y=[getattr(p, key) for p in pts],
                mode="markers",
                name=f"{label} calibration",
                text=[f"{p.metric} c={p.concurrency}" for p in pts],
            )
        )
    lo = min(min(p.measured, p.predicted_before, p.predicted_after) for p in pts)
    hi = max(max(p.measured, p.predicted_before, p.predicted_after) for p in pts)
    fig.add_trace(go.Scatter(x=[lo, hi], y=[lo, hi], mode="lines", name="predicted = measured", line={"dash": "dot"}))
    fig.update_layout(
        title=f"{cal.file.profile.id}: predicted vs measured",
        xaxis={"type": "log", "title": "measured"},
        yaxis={"type": "log", "title": "predicted"},
    )
    fig.write_html(path, include_plotlyjs=True)


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
        _chart(cal, chart)
    if json_out:
        counts = {"read": imported.read, "runs": len(imported.runs), "skipped": imported.problems}
        dump = cal.file.model_dump(mode="json")
        print(to_json({**dump, **counts, "dropped": imported.dropped, "warnings": cal.file.fit.warnings()}))
        return
    c = console()
    c.print(_fitted_table(dep.engine, cal))
    for warning in cal.file.fit.warnings():
        print(f"warning: {warning}", file=sys.stderr)
    if report:
        c.print(_report_table(cal))
    c.print(
        f"{imported.read} records read: {len(imported.runs)} runs used ({len(points)} points), "
        f"{len(imported.problems)} rejected, {len(imported.dropped)} metrics dropped"
        + (f"; wrote {out}" if out else "")
        + (f"; chart {chart}" if chart else "")
    )
