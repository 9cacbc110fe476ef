"""Deployments from ids or catalog objects, validated, and the check that a model fits them: the one
place the Python API and scenarios build deployments."""

from __future__ import annotations

from breakeven import catalog, limits
from breakeven.catalog.schema import EngineProfile, Gpu, Model
from breakeven.core.build import build_deployment
from breakeven.core.deployment import Deployment
from breakeven.core.sizing import max_sequences, memory_budget, min_gpus
from breakeven.errors import InputError
from breakeven.limits import Limit
from breakeven.speculation import SpeculativeOption, speculation
from breakeven.speculation import option as speculative_option


def catalog_objects(
    model: str | Model, gpu: str | Gpu, engine: str | EngineProfile
) -> tuple[Model, Gpu, EngineProfile]:
    """Catalog entries for ids (or the objects themselves)."""
    m = catalog.model(model) if isinstance(model, str) else model
    g = catalog.gpu(gpu) if isinstance(gpu, str) else gpu
    e = catalog.engine(engine) if isinstance(engine, str) else engine
    return m, g, e


def whole(field: str, value: object, high: Limit, minimum: int = 1) -> int:
    """A whole number in [minimum, high]; InputError naming ``field`` and the bound otherwise."""
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if not (number and high.holds(value, minimum) and value == int(value)):
        shown = f"{str(value)[:40]}..." if len(str(value)) > 40 else value
        raise InputError(field, shown, f"a whole number {high.allowed(minimum)}")
    return int(value)


def deployment(
    model: str | Model,
    gpu: str | Gpu,
    gpus: int,
    precision: str | None = None,
    kv_precision: str | None = None,
    engine: str | EngineProfile = "vllm",
    attention_dp: bool | None = None,
    prefill_gpus: int = 0,
    pipeline_stages: int = 1,
    speculative: SpeculativeOption | dict | None = None,
    acceptance: float | None = None,
) -> Deployment:
    """A validated deployment from ids (or catalog objects); choices left as None (checkpoint, KV
    dtype, attention layout) are made as a competent operator would (``core.build``). ``speculative``
    adds speculative decoding at ``acceptance`` (default: the point estimate of the option's)."""
    m, g, e = catalog_objects(model, gpu, engine)
    if attention_dp is not None and not isinstance(attention_dp, bool):
        raise InputError("attention_dp", attention_dp, "true, false, or none (chosen for the model and engine)")
    gpus = whole("gpus", gpus, limits.GPUS_PER_REPLICA)
    prefill = whole("prefill_gpus", prefill_gpus, limits.GPUS_PER_REPLICA, 0)
    stages = whole("pipeline_stages", pipeline_stages, limits.GPUS_PER_REPLICA)
    opt = speculative_option(speculative)
    spec = None
    if opt is not None:
        served = precision or m.native_precision
        spec = speculation(m, served, opt, acceptance)
    return build_deployment(m, g, gpus, e, precision, kv_precision, attention_dp, prefill, stages, spec)


def require_fit(dep: Deployment, context: int, field: str = "gpus") -> None:
    """An InputError naming the GPUs needed, unless the weights and one sequence of ``context`` fit."""
    if max_sequences(dep, context) >= 1 and memory_budget(dep).fits:
        return
    least = min_gpus(dep, context)
    need = f"at least {least} x {dep.gpu.id}" if least else f"more than 64 x {dep.gpu.id}"
    raise InputError(
        field, dep.gpus, f"{dep.model.id} at {dep.precision} with one {context}-token sequence needs {need}"
    )
