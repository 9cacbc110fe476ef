"""The Python API: ``size`` and ``predict`` take ids or catalog objects and return result objects
(the same ones the CLI renders as JSON)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from breakeven.calibration.points import points_of
from breakeven.catalog.schema import EngineProfile, Gpu, Model
from breakeven.core.performance import weight_bytes_read
from breakeven.core.serving import ServiceLevel, serve
from breakeven.core.sizing import (
    deployment_weight_bytes,
    kv_bytes_per_sequence,
    kv_bytes_per_token,
    kv_capacity_tokens,
    kv_token_bytes_per_gpu,
    max_sequences,
    memory_budget,
    min_gpus,
)
from breakeven.deployments import deployment, require_fit, whole
from breakeven.errors import InputError
from breakeven.results import CalibrationUsed, Prediction, SizeResult

if TYPE_CHECKING:
    from breakeven.calibration.file import CalibrationFile

DEFAULT_CONTEXT = 8192
"""Context (tokens) sized for when none is given, capped at the model's maximum."""


def _context(m: Model, context: int | None) -> int:
    if context is None:
        return min(DEFAULT_CONTEXT, m.max_context_tokens)
    ctx = whole("context", context)
    if ctx > m.max_context_tokens:
        raise InputError("context", ctx, f"at most {m.max_context_tokens} tokens, {m.id}'s maximum context")
    return ctx


def size(
    model: str | Model,
    gpu: str | Gpu,
    gpus: int | None = None,
    precision: str | None = None,
    kv_precision: str | None = None,
    context: int | None = None,
    engine: str | EngineProfile = "vllm",
    batch: int = 1,
    attention_dp: bool = False,
) -> SizeResult:
    """Memory sizing of a model on GPUs: weights, KV cache, capacity, and the fewest GPUs that hold
    the weights plus ``batch`` sequences of ``context`` tokens. Without ``gpus``, sizes at that count."""
    probe = deployment(model, gpu, 1 if gpus is None else gpus, precision, kv_precision, engine, attention_dp)
    ctx = _context(probe.model, context)
    least = min_gpus(probe, ctx, whole("batch", batch))
    dep = (
        probe if gpus is not None else deployment(model, gpu, least or 8, precision, kv_precision, engine, attention_dp)
    )
    budget = memory_budget(dep)
    notes = [] if budget.fits else [f"the weights alone need more than {dep.gpus} x {dep.gpu.id}"]
    if dep.model.attention.heads % dep.gpus:
        notes.append(f"{dep.gpus} GPUs do not divide {dep.model.attention.heads} attention heads evenly")
    return SizeResult(
        model=dep.model.id,
        gpu=dep.gpu.id,
        gpus=dep.gpus,
        precision=dep.precision,
        kv_precision=dep.kv_precision,
        engine=dep.engine.id,
        attention_dp=dep.attention_dp,
        context_tokens=ctx,
        weights_bytes=deployment_weight_bytes(dep),
        weights_bytes_per_gpu=budget.weights,
        kv_bytes_per_token=kv_bytes_per_token(dep.model, dep.kv_precision),
        kv_bytes_per_token_per_gpu=kv_token_bytes_per_gpu(dep),
        kv_bytes_per_sequence=float(kv_bytes_per_sequence(dep.model, dep.kv_precision, ctx)),
        memory_bytes_per_gpu=budget.total,
        usable_bytes_per_gpu=budget.usable,
        runtime_reserve_bytes_per_gpu=budget.reserve,
        kv_space_bytes_per_gpu=budget.kv_space,
        kv_capacity_tokens=kv_capacity_tokens(dep) if budget.fits else 0,
        max_sequences=int(max_sequences(dep, ctx)) if budget.fits else 0,
        fits=bool(budget.fits and max_sequences(dep, ctx) >= batch),
        min_gpus=least,
        notes=notes,
    )


def calibration_of(engine: EngineProfile, fitted_on: list[str] | None = None) -> CalibrationUsed:
    """Which calibration a prediction used: the engine profile's source and the points it was fitted to."""
    ids = fitted_on if fitted_on is not None else [p.id for p in points_of(engine.id, "fit")]
    return CalibrationUsed(
        engine=engine.id, source=engine.provenance.source, confidence=engine.provenance.confidence, fitted_on=ids
    )


def predict(
    model: str | Model,
    gpu: str | Gpu,
    gpus: int,
    input_tokens: int,
    output_tokens: int,
    concurrency: int | Literal["max"] = 1,
    precision: str | None = None,
    kv_precision: str | None = None,
    engine: str | EngineProfile = "vllm",
    cached_input_tokens: int = 0,
    min_tokens_per_s: float | None = None,
    attention_dp: bool = False,
    calibration: CalibrationFile | None = None,
    max_ttft_s: float | None = None,
) -> Prediction:
    """Serving speed of one replica for a request shape at a concurrency (``"max"``: the largest
    batch that fits), from the engine profile's calibrated performance model. A calibration file
    (``breakeven calibrate --out``) replaces the engine's bundled profile. A service level
    (``min_tokens_per_s`` per stream, ``max_ttft_s``) caps the batch at the largest that meets it."""
    if calibration is not None:
        engine = calibration.profile
    dep = deployment(model, gpu, gpus, precision, kv_precision, engine, attention_dp)
    i, o = whole("input_tokens", input_tokens), whole("output_tokens", output_tokens)
    cached = whole("cached_input_tokens", cached_input_tokens, 0)
    if cached >= i:
        raise InputError("cached_input_tokens", cached, f"fewer than input_tokens ({i})")
    _context(dep.model, i + o)
    if min_tokens_per_s is not None and not min_tokens_per_s > 0:
        raise InputError("min_tokens_per_s", min_tokens_per_s, "a positive number of tokens/s per stream")
    if max_ttft_s is not None and not max_ttft_s > 0:
        raise InputError("max_ttft_s", max_ttft_s, "a positive number of seconds to the first token")
    conc = None if concurrency == "max" else whole("concurrency", concurrency)
    require_fit(dep, i + o)
    s = serve(dep, i, o, conc, cached, ServiceLevel(min_tokens_per_s, max_ttft_s))
    return Prediction(
        model=dep.model.id,
        gpu=dep.gpu.id,
        gpus=dep.gpus,
        precision=dep.precision,
        kv_precision=dep.kv_precision,
        engine=dep.engine.id,
        attention_dp=dep.attention_dp,
        input_tokens=i,
        output_tokens=o,
        cached_input_tokens=cached,
        concurrency="max" if conc is None else conc,
        batch=s.batch,
        max_batch_fits=s.max_batch_fits,
        bound=s.bound,
        step_time_s=s.step_time_s,
        mean_itl_s=s.mean_itl_s,
        decode_tokens_per_s_per_stream=s.decode_tokens_per_s_per_stream,
        output_tokens_per_s=s.output_tokens_per_s,
        ttft_s=s.ttft_s,
        queue_s=s.queue_s,
        prefill_time_s=s.prefill_time_s,
        weight_bytes_read_per_step=float(weight_bytes_read(dep, s.batch)),
        kv_bytes_read_per_step=float(s.batch * kv_bytes_per_sequence(dep.model, dep.kv_precision, i + o / 2)),
        service_level_met=s.service_level_met,
        calibration=calibration_of(
            dep.engine, None if calibration is None else list(dict.fromkeys(p.id for p in calibration.points))
        ),
    )
