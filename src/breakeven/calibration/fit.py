"""Least-squares fit of an engine profile's efficiencies and overheads to measured points.

Objective: the RMS of the points' relative errors, (predicted - measured) / measured, the figure every
report prints; a fit never ends worse than where it started (if the solver's answer is no better than
the starting profile, the starting profile is kept). Predictions run through the same serving model as
``predict`` (nothing is re-derived for the fit). Bounds: efficiencies in [0.05, 1]; overheads and
latencies in [0, 500] us. Where the points cannot separate two fitted fields (the Jacobian of the
residuals is near rank-deficient), the fit says which: their values are then one of many that fit
equally well.
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
    "moe_gemm_compute_relative_efficiency": (0.05, 1.0),
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
    unidentified: tuple[tuple[str, ...], ...] = ()
    """Groups of fields the points cannot tell apart (empty: every field is determined); one field of
    each group keeps its starting value."""

    @property
    def rms_relative_error(self) -> float:
        return rms(self.errors)


def rms(errors: tuple[PointError, ...] | list[PointError]) -> float:
    """Root mean square of the points' relative errors: the fit's objective and what reports print."""
    return float(np.sqrt(np.mean([e.relative_error**2 for e in errors]))) if errors else 0.0


SEPARABLE_CONDITION = 1e-3
"""Smallest/largest singular value of the scaled Jacobian below which the fields are inseparable."""
JACOBIAN_STEP = 1e-3
"""Relative step of the finite differences that probe which fields the points can determine."""


def evaluate(
    profile: EngineProfile, points: list[Measurement], deployment_for: DeploymentFor
) -> tuple[PointError, ...]:
    """Predicted against measured for every point, with this profile."""
    return tuple(PointError(p, predict_point(p, deployment_for(p, profile))) for p in points)


def _scaled_jacobian(residuals: Callable[[np.ndarray], np.ndarray], x: np.ndarray) -> np.ndarray:
    """d residual / d log(field) by forward differences: how much each field, changed by a share of
    its value, moves each point's relative error."""
    base = residuals(x)
    columns = []
    for i in range(len(x)):
        step = x.copy()
        step[i] *= 1 + JACOBIAN_STEP
        columns.append((residuals(step) - base) / JACOBIAN_STEP)
    return np.column_stack(columns)


def inseparable(jacobian: np.ndarray, free: list[str]) -> list[tuple[tuple[str, ...], str]]:
    """(group, field to hold) for each direction the points cannot see: the fields that move together
    in a near-null direction of the Jacobian, and the one of them that dominates it."""
    found: list[tuple[tuple[str, ...], str]] = []
    active = list(range(len(free)))
    while active:
        _, sigma, vt = np.linalg.svd(jacobian[:, active], full_matrices=True)
        sigma = np.concatenate([sigma, np.zeros(len(active) - len(sigma))])
        if sigma[0] > 0 and sigma[-1] / sigma[0] >= SEPARABLE_CONDITION:
            break
        weights = vt[-1] ** 2
        group = tuple(free[i] for i, w in zip(active, weights) if w >= 0.1 * weights.max())
        held = active[int(np.argmax(weights))]
        found.append((group, free[held]))
        active.remove(held)
    return found


def fit_profile(base: EngineProfile, points: list[Measurement], free: list[str], deployment_for: DeploymentFor) -> Fit:
    """Fit the ``free`` fields of ``base`` to ``points``; the other fields stay as they are. Fields the
    points cannot determine (alone or apart from others) stay at their starting values."""
    unknown = [f for f in free if f not in FITTABLE]
    if unknown:
        raise ValueError(f"not fittable: {unknown}; fittable: {list(FITTABLE)}")
    start_errors = evaluate(base, points, deployment_for)
    if not free or not points:
        return Fit(base, start_errors)

    def residuals_of(fields: list[str]) -> Callable[[np.ndarray], np.ndarray]:
        def residuals(x: np.ndarray) -> np.ndarray:
            profile = base.model_copy(update={f: float(v) for f, v in zip(fields, x)})
            return np.array([e.relative_error for e in evaluate(profile, points, deployment_for)])

        return residuals

    start = np.array([getattr(base, f) for f in free], dtype=float)
    groups = inseparable(_scaled_jacobian(residuals_of(free), start), free)
    fitted_fields = [f for f in free if f not in {held for _, held in groups}]
    unidentified = tuple(group for group, _ in groups)
    if not fitted_fields:
        return Fit(base, start_errors, unidentified)
    lower = np.array([FITTABLE[f][0] for f in fitted_fields])
    upper = np.array([FITTABLE[f][1] for f in fitted_fields])
    x0 = np.clip([getattr(base, f) for f in fitted_fields], lower + 1e-9, upper - 1e-9)
    solution = least_squares(residuals_of(fitted_fields), x0, bounds=(lower, upper), x_scale="jac", diff_step=1e-4)
    fitted = base.model_copy(update={f: float(v) for f, v in zip(fitted_fields, solution.x)})
    errors = evaluate(fitted, points, deployment_for)
    if rms(errors) >= rms(start_errors):
        return Fit(base, start_errors, unidentified)
    return Fit(fitted, errors, unidentified)
