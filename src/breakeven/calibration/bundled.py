"""The bundled engine profiles' fit: which points, which free fields, which fields are copied from
another engine's fit, reproducible from the catalog. ``bench/fit_engine_profiles.py`` runs it."""

from __future__ import annotations

from dataclasses import dataclass, field

from breakeven.calibration.fit import Fit, evaluate, fit_profile
from breakeven.calibration.points import points_of
from breakeven.catalog import engine, gpu, model
from breakeven.catalog.schema import EngineProfile, Measurement
from breakeven.core.build import build_deployment
from breakeven.core.deployment import Deployment


@dataclass(frozen=True)
class EnginePlan:
    """How one engine profile is fitted."""

    free: tuple[str, ...]
    """Fields fitted to the engine's `use: fit` points."""
    borrowed: dict[str, str] = field(default_factory=dict)
    """Field -> the engine whose (earlier) fit it is copied from; the copy is marked est."""


COPIED_TO_SGLANG = (
    "weight_bandwidth_efficiency",
    "kv_bandwidth_efficiency",
    "gemm_efficiency_bf16",
    "gemm_efficiency_fp8",
    "gemm_efficiency_fp4",
    "moe_gemm_relative_efficiency",
    "moe_gemm_compute_relative_efficiency",
    "weight_only_dequant_efficiency",
    "overhead_per_layer_us",
    "overhead_per_sequence_us",
    "moe_layer_overhead_us",
    "moe_token_overhead_ns",
    "allreduce_latency_us",
)
"""No published SGLang point is fitted; its profile takes vLLM's (the SGLang points validate that)."""

FIT_PLAN: dict[str, EnginePlan] = {
    "gpt-fast": EnginePlan(
        free=(
            "weight_bandwidth_efficiency",
            "overhead_per_layer_us",
            "allreduce_latency_us",
            "weight_only_dequant_efficiency",
            "moe_gemm_relative_efficiency",
            "moe_layer_overhead_us",
        ),
    ),
    "trtllm": EnginePlan(
        free=(
            "kv_bandwidth_efficiency",
            "overhead_per_sequence_us",
            "gemm_efficiency_fp8",
            "gemm_efficiency_fp4",
            "moe_gemm_relative_efficiency",
            "moe_gemm_compute_relative_efficiency",
            "moe_layer_overhead_us",
            "moe_token_overhead_ns",
        ),
        borrowed={
            "weight_bandwidth_efficiency": "vllm",
            "overhead_per_layer_us": "gpt-fast",
            "allreduce_latency_us": "gpt-fast",
            "weight_only_dequant_efficiency": "gpt-fast",
        },
    ),
    "vllm": EnginePlan(
        free=(
            "kv_bandwidth_efficiency",
            "overhead_per_layer_us",
            "gemm_efficiency_bf16",
            "moe_gemm_relative_efficiency",
            "moe_gemm_compute_relative_efficiency",
        ),
        borrowed={
            "allreduce_latency_us": "gpt-fast",
            "moe_layer_overhead_us": "gpt-fast",
            "weight_only_dequant_efficiency": "gpt-fast",
            "gemm_efficiency_fp8": "trtllm",
            "gemm_efficiency_fp4": "trtllm",
            "moe_token_overhead_ns": "trtllm",
            "overhead_per_sequence_us": "trtllm",
        },
    ),
    "sglang": EnginePlan(free=(), borrowed=dict.fromkeys(COPIED_TO_SGLANG, "vllm")),
}
"""Engine id -> its plan, in fit order (an engine borrows only from engines fitted before it). Fields
in neither list are set and cited in engines.yaml."""


def deployment_for(point: Measurement, profile: EngineProfile) -> Deployment:
    """The deployment a measured point was taken on, with the given profile: built by the same
    constructor as every prediction, so a calibrated deployment is the deployment predicted."""
    return build_deployment(
        model(point.model),
        gpu(point.gpu),
        point.gpus,
        profile,
        point.precision,
        point.kv_precision,
        point.attention_dp,
        point.prefill_gpus,
    )


def with_borrowed(engine_id: str, profiles: dict[str, EngineProfile] | None = None) -> EngineProfile:
    """The engine's profile with its borrowed fields copied from ``profiles`` (default: the shipped ones)."""
    source = profiles or {}
    plan = FIT_PLAN[engine_id]
    copied = {f: getattr(source.get(e) or engine(e), f) for f, e in plan.borrowed.items()}
    return engine(engine_id).model_copy(update=copied)


def refit(
    engine_id: str,
    profiles: dict[str, EngineProfile] | None = None,
    exclude: str | None = None,
    start: EngineProfile | None = None,
) -> Fit:
    """Fit the engine's free fields to its `use: fit` points (less ``exclude``, a point id), starting
    from ``start`` (default: the shipped values) with the borrowed fields taken from ``profiles``
    (default: the shipped profiles)."""
    points = [p for p in points_of(engine_id, "fit") if p.id != exclude]
    base = with_borrowed(engine_id, profiles)
    if start is not None:
        base = base.model_copy(update={f: getattr(start, f) for f in FIT_PLAN[engine_id].free})
    return fit_profile(base, points, list(FIT_PLAN[engine_id].free), deployment_for)


def refit_all() -> dict[str, Fit]:
    """Every engine refitted in plan order, each borrowing from the fresh fits before it."""
    fits: dict[str, Fit] = {}
    for engine_id in FIT_PLAN:
        fits[engine_id] = refit(engine_id, {e: f.profile for e, f in fits.items()})
    return fits


def leave_one_out(engine_id: str, fit: Fit, profiles: dict[str, EngineProfile] | None = None) -> dict[str, float]:
    """Point id -> the value predicted for each fit point by a profile refitted without it (from the
    full fit's values), the point's out-of-sample error."""
    out = {}
    for p in points_of(engine_id, "fit"):
        loo = refit(engine_id, profiles, exclude=p.id, start=fit.profile)
        out[p.id] = evaluate(loo.profile, [p], deployment_for)[0].predicted
    return out


def check(engine_id: str) -> Fit:
    """The bundled profile (as shipped) against every point of its engine, fit and validate."""
    prof = engine(engine_id)
    return Fit(prof, evaluate(prof, [p for p in points_of(engine_id) if p.use != "reference"], deployment_for))
