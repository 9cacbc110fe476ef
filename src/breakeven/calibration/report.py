"""Markdown tables of the bundled calibration: fitted values and predicted vs measured per point."""

from __future__ import annotations

from breakeven.calibration.bundled import FIT_PLAN, check, refit
from breakeven.catalog import engine


def fitted_values_table() -> str:
    """One row per engine: each free field's fitted value and the fit's RMS relative error."""
    lines = ["| engine | fitted on | field | shipped | fresh fit |", "|---|---|---|---|---|"]
    for engine_id, free in FIT_PLAN.items():
        if not free:
            lines.append(f"| {engine_id} | no points | (all fields est, copied from vllm) | | |")
            continue
        fit, shipped = refit(engine_id), engine(engine_id)
        for i, field in enumerate(free):
            lead = (
                f"| {engine_id} | {len(fit.errors)} points, rms {fit.rms_relative_error:.1%} |" if i == 0 else "| | |"
            )
            lines.append(f"{lead} {field} | {getattr(shipped, field):.4g} | {getattr(fit.profile, field):.4g} |")
    return "\n".join(lines)


def points_table() -> str:
    """Every measured point: the shipped profile's prediction, the error, the tolerance held to."""
    lines = ["| point | use | metric | measured | predicted | error | tolerance |", "|---|---|---|---|---|---|---|"]
    for engine_id in FIT_PLAN:
        for e in check(engine_id).errors:
            p = e.point
            lines.append(
                f"| {p.id} | {p.use} | {p.metric} | {p.value:.4g} | {e.predicted:.4g} | "
                f"{e.relative_error:+.1%} | {p.tolerance:.0%} |"
            )
    return "\n".join(lines)


MEASURED_SWEEPS = {
    # file in tests/data/measured: (model, gpu, gpus, precision, kv precision, engine profile), with the
    # choices the source leaves open marked in docs/calibration.md
    "nim-llama-3.3-70b-2xh100-fp8-5000in-500out.yaml": ("llama-3.3-70b", "h100-sxm", 2, "fp8", "fp8", "trtllm"),
    "sglang-llama-3.3-70b-4xh200-bf16-rate-sweep.yaml": ("llama-3.3-70b", "h200", 4, "bf16", "bf16", "sglang"),
}


def measured_sweeps_table(folder) -> str:
    """The shipped (uncalibrated) profiles against every point of the measured sweeps we hold."""
    import datetime as dt
    from pathlib import Path

    from breakeven.calibration.bundled import deployment_for
    from breakeven.calibration.fit import evaluate as evaluate_points
    from breakeven.calibration.runs import to_measurements
    from breakeven.ingest.benchmarks import read_results

    lines = ["| sweep | concurrency | metric | measured | predicted | error |", "|---|---|---|---|---|---|"]
    for name, (model_id, gpu_id, gpus, prec, kv, eng) in MEASURED_SWEEPS.items():
        runs = read_results([str(Path(folder) / name)]).runs
        points = [
            m for r in runs for m in to_measurements(r, model_id, gpu_id, gpus, prec, kv, eng, dt.date(2026, 11, 22))
        ]
        for e in evaluate_points(engine(eng), points, deployment_for):
            p = e.point
            lines.append(
                f"| {name.split('-')[0]} {model_id} {gpus}x {gpu_id} {prec} | {p.concurrency} | {p.metric} | "
                f"{p.value:.4g} | {e.predicted:.4g} | {e.relative_error:+.0%} |"
            )
    return "\n".join(lines)
