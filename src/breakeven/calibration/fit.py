"""Least-squares fit of an engine profile's efficiencies and overheads to measured points.

The residual of a point is log(predicted / measured), so every point weighs by its relative error.
Predictions run through the same serving model as ``predict`` (nothing is re-derived for the fit).
Bounds: efficiencies in [0.05, 1]; overheads and latencies in [0, 500] us.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.optimize import least_squares

from breakeven.catalog.schema import EngineProfile, Measurement
from breakeven.core.deployment import Deployment
from breakeven.core.serving import Serving, serve

FITTABLE: dict[str, tuple[float, float]] = {
    "weight_bandwidth_efficiency": (0.05, 1.0),
    "kv_bandwidth_efficiency": (0.05, 1.0),
    "gemm_efficiency_bf16": (0.05, 1.0),
    "gemm_efficiency_fp8": (0.05, 1.0),
    "gemm_efficiency_fp4": (0.05, 1.0),
    "attention_compute_efficiency": (0.05, 1.0),
    "weight_only_dequant_efficiency": (0.05, 1.0),
    "interconnect_efficiency": (0.05, 1.0),
    "overhead_per_layer_us": (0.0, 500.0),
    "overhead_per_sequence_us": (0.0, 200.0),
    "moe_gemm_relative_efficiency": (0.05, 1.0),
    "moe_layer_overhead_us": (0.0, 500.0),
    "moe_expert_overhead_us": (0.0, 100.0),
    "moe_token_overhead_ns": (0.0, 2000.0),
    "allreduce_latency_us": (0.0, 500.0),
    "all_to_all_latency_us": (0.0, 500.0),
}
"""Fittable profile fields and their bounds."""

DeploymentFor = Callable[[Measurement, EngineProfile], Deployment]


def metric_of(serving: Serving, metric: str) -> float:
    """The measured quantity a Measurement names, read off a Serving."""
    return {
        "itl_ms": serving.step_time_s * 1e3,
        "mean_itl_ms": serving.mean_itl_s * 1e3,
        "ttft_ms": serving.ttft_s * 1e3,
        "output_tokens_per_s": serving.output_tokens_per_s,
        "tokens_per_s_per_stream": serving.decode_tokens_per_s_per_stream,
    }[metric]


def predict_point(point: Measurement, dep: Deployment) -> float:
    """The model's value for a measured point, on the given deployment."""
    concurrency = None if point.concurrency == "max" else point.concurrency
    serving = serve(
        dep,
        point.input_tokens,
        point.output_tokens,
        concurrency,
        cached_input_tokens=point.cached_input_tokens,
        max_batch=point.max_batch,
    )
    return metric_of(serving, point.metric)


@dataclass(frozen=True)
class PointError:
    point: Measurement
    predicted: float

    @property
    def relative_error(self) -> float:
        """(predicted - measured) / measured."""
        return self.predicted / self.point.value - 1.0


@dataclass(frozen=True)
class Fit:
    profile: EngineProfile
    errors: tuple[PointError, ...]

    @property
    def rms_relative_error(self) -> float:
        return float(np.sqrt(np.mean([e.relative_error**2 for e in self.errors]))) if self.errors else 0.0


def evaluate(
    profile: EngineProfile, points: list[Measurement], deployment_for: DeploymentFor
) -> tuple[PointError, ...]:
    """Predicted against measured for every point, with this profile."""
    return tuple(PointError(p, predict_point(p, deployment_for(p, profile))) for p in points)


def fit_profile(base: EngineProfile, points: list[Measurement], free: list[str], deployment_for: DeploymentFor) -> Fit:
    """Fit the ``free`` fields of ``base`` to ``points``; the other fields stay as they are."""
    unknown = [f for f in free if f not in FITTABLE]
    if unknown:
        raise ValueError(f"not fittable: {unknown}; fittable: {list(FITTABLE)}")
    if not free or not points:
        return Fit(base, evaluate(base, points, deployment_for))
    lower = np.array([FITTABLE[f][0] for f in free])
    upper = np.array([FITTABLE[f][1] for f in free])
    start = np.clip([getattr(base, f) for f in free], lower + 1e-9, upper - 1e-9)

    def with_values(x: np.ndarray) -> EngineProfile:
        return base.model_copy(update={f: float(v) for f, v in zip(free, x)})

    def residuals(x: np.ndarray) -> np.ndarray:
        prof = with_values(x)
        return np.array([np.log(e.predicted / e.point.value) for e in evaluate(prof, points, deployment_for)])

    solution = least_squares(residuals, start, bounds=(lower, upper), x_scale="jac", diff_step=1e-4)
    fitted = with_values(solution.x)
    return Fit(fitted, evaluate(fitted, points, deployment_for))
