"""Calibrating an engine profile to one deployment's benchmark runs (the file: calibration/file.py).

The fit is the same bounded least squares as the bundled profiles' (calibration/fit.py): the fields
below are fitted to the runs' ITL, TTFT and output throughput, starting from the engine's bundled
profile; the result is a profile for that deployment, written to a YAML file that `predict
--calibration` and scenarios (`calibration:` on a self-host candidate) use in place of the bundled one.

The points are sorted canonically before fitting (``canonical_order``): the constants are not always
identified by the data (several sets fit equally well), and a least-squares solver's path depends on
the order of its residuals, so without the sort the same files given in another order could give other
constants. With it, the fit depends on the points only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from breakeven.calibration.bundled import deployment_for
from breakeven.calibration.file import CalibrationDeployment, CalibrationFile, CalibrationPoint, FitQuality
from breakeven.calibration.fit import PointError, evaluate, fit_profile, rms
from breakeven.catalog import gpu
from breakeven.catalog.schema import EngineProfile, Measurement, Provenance
from breakeven.core.performance import tensor_precision
from breakeven.errors import InputError

DECODE_FIELDS = (
    "weight_bandwidth_efficiency",
    "kv_bandwidth_efficiency",
    "overhead_per_layer_us",
)
GEMM_FIELDS = {"fp8": "gemm_efficiency_fp8", "fp4": "gemm_efficiency_fp4"}
"""Tensor precision -> the matmul efficiency field prefill (TTFT) informs; bf16 otherwise."""
TP_FIELDS = ("allreduce_latency_us",)


def free_fields(points: list[Measurement], gpus: int) -> list[str]:
    """The fields the points can inform: decode figures from ITL or throughput, prefill from TTFT,
    all-reduce latency under tensor parallelism."""
    metrics = {p.metric for p in points}
    free: list[str] = []
    if metrics & {"itl_ms", "mean_itl_ms", "output_tokens_per_s", "tokens_per_s_per_stream"}:
        free += DECODE_FIELDS
    if "ttft_ms" in metrics:
        first = points[0]
        fmt = tensor_precision(gpu(first.gpu), first.precision)
        free.append(GEMM_FIELDS.get(fmt, "gemm_efficiency_bf16"))
    if gpus > 1 and free:
        free += TP_FIELDS
    return free


@dataclass(frozen=True)
class Calibration:
    file: CalibrationFile
    before: tuple[PointError, ...]
    after: tuple[PointError, ...]


def canonical_order(points: list[Measurement]) -> list[Measurement]:
    """The points sorted by what they measure (metric, shape, concurrency, value), then by id: an order
    that does not depend on the order of the files or of the runs in them."""
    return sorted(
        points,
        key=lambda p: (
            p.metric,
            p.input_tokens,
            p.output_tokens,
            p.cached_input_tokens,
            str(p.concurrency),
            p.value,
            p.id,
        ),
    )


def calibrate(
    points: list[Measurement],
    base: EngineProfile,
    deployment: CalibrationDeployment,
    sources: list[str],
    today: dt.date,
) -> Calibration:
    """Fit ``base`` to the points of one deployment."""
    if not points:
        raise InputError("results", sources, "at least one run with ITL, TTFT or throughput figures")
    points, sources = canonical_order(points), sorted(sources)
    free = free_fields(points, deployment.gpus)
    before = evaluate(base, points, deployment_for)
    fit = fit_profile(base, points, free, deployment_for)
    prov = Provenance(
        source=f"breakeven calibrate on {len(points)} measured points from {', '.join(sources)}",
        checked=today,
        confidence="firm",
        note=f"{deployment.model} on {deployment.gpus} x {deployment.gpu}, {deployment.precision}",
    )
    profile = fit.profile.model_copy(
        update={"id": f"{base.id}-calibrated", "name": f"{base.name}, calibrated", "provenance": prov, "figures": {}}
    )
    after = fit.errors
    file = CalibrationFile(
        created=today,
        deployment=deployment,
        sources=sources,
        profile=profile,
        fit=FitQuality(
            fitted=free,
            points=len(points),
            rms_relative_error_before=rms(before),
            rms_relative_error_after=rms(after),
            max_relative_error_after=max(abs(e.relative_error) for e in after),
            objective="rms relative error, (predicted - measured) / measured, over every point",
            kept_start=fit.profile is base,
            unidentified=[list(group) for group in fit.unidentified],
        ),
        points=[
            CalibrationPoint(
                id=b.point.id,
                metric=b.point.metric,
                concurrency=b.point.concurrency,
                input_tokens=b.point.input_tokens,
                output_tokens=b.point.output_tokens,
                measured=b.point.value,
                predicted_before=b.predicted,
                predicted_after=a.predicted,
            )
            for b, a in zip(before, after)
        ],
    )
    return Calibration(file, before, after)
