"""Deployments from ids or catalog objects, validated, and the check that a model fits them: the one
place the Python API and scenarios build deployments."""

from __future__ import annotations

from breakeven import catalog
from breakeven.catalog.schema import EngineProfile, Gpu, Model
from breakeven.core.deployment import Deployment, native_deployment
from breakeven.core.sizing import max_sequences, memory_budget, min_gpus
from breakeven.errors import InputError


def catalog_objects(
    model: str | Model, gpu: str | Gpu, engine: str | EngineProfile
) -> tuple[Model, Gpu, EngineProfile]:
    """Catalog entries for ids (or the objects themselves)."""
    m = catalog.model(model) if isinstance(model, str) else model
    g = catalog.gpu(gpu) if isinstance(gpu, str) else gpu
    e = catalog.engine(engine) if isinstance(engine, str) else engine
    return m, g, e


def whole(field: str, value: object, minimum: int = 1) -> int:
    """``value`` as a whole number of at least ``minimum``, or an InputError naming ``field``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value) or value < minimum:
        raise InputError(field, value, f"a whole number of at least {minimum}")
    return int(value)


def deployment(
    model: str | Model,
    gpu: str | Gpu,
    gpus: int,
    precision: str | None = None,
    kv_precision: str | None = None,
    engine: str | EngineProfile = "vllm",
    attention_dp: bool = False,
) -> Deployment:
    """A validated deployment from ids (or catalog objects)."""
    m, g, e = catalog_objects(model, gpu, engine)
    return native_deployment(m, g, whole("gpus", gpus), e, precision, kv_precision, attention_dp)


def require_fit(dep: Deployment, context: int) -> None:
    """An InputError naming ``gpus`` unless the weights and one sequence of ``context`` tokens fit."""
    if max_sequences(dep, context) >= 1 and memory_budget(dep).fits:
        return
    least = min_gpus(dep, context)
    need = f"at least {least} x {dep.gpu.id}" if least else f"more than 64 x {dep.gpu.id}"
    raise InputError(
        "gpus", dep.gpus, f"{dep.model.id} at {dep.precision} with one {context}-token sequence needs {need}"
    )
