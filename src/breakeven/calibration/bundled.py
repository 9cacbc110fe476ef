"""The bundled engine profiles' fit: which points, which free fields, reproducible from the catalog."""

from __future__ import annotations

from breakeven.calibration.fit import Fit, evaluate, fit_profile
from breakeven.calibration.points import points_of
from breakeven.catalog import engine, gpu, model
from breakeven.catalog.schema import EngineProfile, Measurement
from breakeven.core.deployment import Deployment

FIT_PLAN: dict[str, tuple[str, ...]] = {
    "vllm": ("kv_bandwidth_efficiency", "overhead_per_layer_us", "prefill_compute_efficiency"),
    "gpt-fast": ("weight_bandwidth_efficiency", "overhead_per_layer_us", "allreduce_latency_us"),
    "trtllm": ("prefill_compute_efficiency", "interconnect_efficiency"),
    "sglang": (),
}
"""Engine id -> the profile fields fitted to its points (the rest are set and cited in engines.yaml)."""


def deployment_for(point: Measurement, profile: EngineProfile) -> Deployment:
    """The deployment a measured point was taken on, with the given profile."""
    return Deployment(
        model=model(point.model),
        gpu=gpu(point.gpu),
        gpus=point.gpus,
        precision=point.precision,
        kv_precision=point.kv_precision,
        engine=profile,
    )


def refit(engine_id: str) -> Fit:
    """Fit the bundled profile's free fields to its `use: fit` points, starting from the bundled values."""
    return fit_profile(engine(engine_id), points_of(engine_id, "fit"), list(FIT_PLAN[engine_id]), deployment_for)


def check(engine_id: str) -> Fit:
    """The bundled profile (as shipped) against every point of its engine, fit and validate."""
    prof = engine(engine_id)
    return Fit(prof, evaluate(prof, points_of(engine_id), deployment_for))
