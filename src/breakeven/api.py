"""The Python API: ``size`` and ``predict`` take ids or catalog objects and return result objects
(the same ones the CLI renders as JSON)."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Literal

from breakeven import limits
from breakeven.calibration.points import points_of
from breakeven.catalog.schema import EngineProfile, Gpu, Model
from breakeven.core.deployment import Deployment
from breakeven.core.performance import explain, step, weight_bytes_read
from breakeven.core.serving import ServiceLevel, prefill_gpus_to_feed, prefill_pool, prefill_step, serve
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
from breakeven.core.speculative import decode_steps
from breakeven.deployments import deployment, require_fit, whole
from breakeven.errors import InputError
from breakeven.limits import Limit
from breakeven.results import CalibrationUsed, Prediction, SizeResult
from breakeven.speculation import SpeculativeOption
from breakeven.speculation import option as speculative_option
from breakeven.speculative_prediction import speculation_result

if TYPE_CHECKING:
    from breakeven.calibration.file import CalibrationFile

DEFAULT_CONTEXT = 8192
"""Context (tokens) sized for when none is given, capped at the model's maximum."""


def _positive(field: str, value: float | None, high: Limit) -> float | None:
    """None, or a finite number above 0 and at most ``high``."""
    if value is not None and not (high.holds(value) and value > 0):
        raise InputError(field, value, f"a number above 0, {high.allowed()}")
    return value


def _context(m: Model, context: int | None, field: str = "context") -> int:
    """The tokens one sequence holds: ``context`` (a field the user named), at most the model's maximum."""
    if context is None:
        return min(DEFAULT_CONTEXT, m.max_context_tokens)
    ctx = whole(field, context, limits.TOKENS_PER_REQUEST)
    if ctx > m.max_context_tokens:
        raise InputError(field, ctx, f"at most {m.max_context_tokens} tokens, {m.id}'s maximum context")
    return ctx


def deployment_fields(dep: Deployment) -> dict:
    """The fields every result shares: which deployment, and why its open choices were made."""
    return dict(
        model=dep.model.id,
        gpu=dep.gpu.id,
        gpus=dep.gpus,
        precision=dep.precision,
        kv_precision=dep.kv_precision,
        engine=dep.engine.id,
        attention_dp=dep.attention_dp,
        checkpoint=dep.checkpoint,
        kv_precision_reason=dep.kv_reason,
        attention_dp_reason=dep.attention_dp_reason,
        nodes=dep.nodes,
        prefill_gpus=dep.prefill_gpus,
        pipeline_stages=dep.pipeline_stages,
    )


def size(
    model: str | Model,
    gpu: str | Gpu,
    gpus: int | None = None,
    precision: str | None = None,
    kv_precision: str | None = None,
    context: int | None = None,
    engine: str | EngineProfile = "vllm",
    batch: int = 1,
    attention_dp: bool | None = None,
    pipeline_stages: int = 1,
) -> SizeResult:
    """Memory sizing of a model on GPUs: weights, KV cache, capacity, and the fewest GPUs that hold
    the weights plus ``batch`` sequences of ``context`` tokens. Without ``gpus``, sizes at that count.
    The attention layout is chosen for each GPU count tried unless ``attention_dp`` says which; with
    ``pipeline_stages``, counts are tried per stage."""
    stages = whole("pipeline_stages", pipeline_stages, limits.GPUS_PER_REPLICA)

    def at(per_stage: int) -> Deployment:
        return deployment(model, gpu, per_stage * stages, precision, kv_precision, engine, attention_dp, 0, stages)

    probe = (
        at(1)
        if gpus is None
        else deployment(model, gpu, gpus, precision, kv_precision, engine, attention_dp, 0, stages)
    )
    ctx = _context(probe.model, context)
    per_stage = min_gpus(at, ctx, whole("batch", batch, limits.CONCURRENCY))
    least = per_stage * stages if per_stage else None
    dep = probe if gpus is not None else at(per_stage or 8)
    budget = memory_budget(dep)
    notes = [] if budget.fits else [f"the weights alone need more than {dep.gpus} x {dep.gpu.id}"]
    if dep.model.attention.heads % dep.gpus:
        notes.append(f"{dep.gpus} GPUs do not divide {dep.model.attention.heads} attention heads evenly")
    return SizeResult(
        **deployment_fields(dep),
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


def _queries(dep: Deployment, batch: int, context: float) -> int:
    """Tokens each sequence runs through the model per step: k + 1 where the engine speculates."""
    if dep.speculative is None or not bool(decode_steps(dep, batch, context).active):
        return 1
    return dep.speculative.draft_tokens + 1


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
    attention_dp: bool | None = None,
    calibration: CalibrationFile | None = None,
    max_ttft_s: float | None = None,
    prefill_gpus: int = 0,
    pipeline_stages: int = 1,
    speculative: SpeculativeOption | dict | None = None,
) -> Prediction:
    """Serving speed of one replica for a request shape at a concurrency (``"max"``: the largest
    batch that fits), from the engine profile's calibrated performance model. A calibration file
    (``breakeven calibrate --out``) replaces the engine's bundled profile. A service level
    (``min_tokens_per_s`` per stream, ``max_ttft_s``) caps the batch at the largest that meets it.
    ``prefill_gpus`` > 0 gives prefill a pool of its own (prefill/decode disaggregation).
    ``speculative`` (``{method: mtp|eagle|draft_model|ngram, draft_tokens, acceptance, draft_model}``)
    adds speculative decoding; the prediction then says its tokens per step, its speed-up and the batch
    above which it stops paying (an uncertain acceptance is taken at its point estimate)."""
    if calibration is not None:
        engine = calibration.profile
    opt = speculative_option(speculative)
    dep = deployment(
        model, gpu, gpus, precision, kv_precision, engine, attention_dp, prefill_gpus, pipeline_stages, opt
    )
    i = whole("input_tokens", input_tokens, limits.TOKENS_PER_REQUEST)
    o = whole("output_tokens", output_tokens, limits.TOKENS_PER_REQUEST)
    cached = whole("cached_input_tokens", cached_input_tokens, limits.TOKENS_PER_REQUEST, 0)
    if cached >= i:
        raise InputError("cached_input_tokens", cached, f"fewer than input_tokens ({i})")
    _context(dep.model, i + o, "input_tokens + output_tokens")
    _positive("min_tokens_per_s", min_tokens_per_s, limits.TOKENS_PER_S)
    _positive("max_ttft_s", max_ttft_s, limits.SECONDS)
    conc = None if concurrency == "max" else whole("concurrency", concurrency, limits.CONCURRENCY)
    require_fit(dep, i + o)
    if dep.prefill_gpus:
        require_fit(prefill_pool(dep), i, "prefill_gpus")
    level = ServiceLevel(min_tokens_per_s, max_ttft_s)
    s = serve(dep, i, o, conc, cached, level)
    batch = max(s.batch, 1)
    return Prediction(
        **deployment_fields(dep),
        input_tokens=i,
        output_tokens=o,
        cached_input_tokens=cached,
        concurrency="max" if conc is None else conc,
        **dataclasses.asdict(s),
        weight_bytes_read_per_step=float(weight_bytes_read(dep, s.batch * _queries(dep, batch, i + o / 2))),
        kv_bytes_read_per_step=float(s.batch * kv_bytes_per_sequence(dep.model, dep.kv_precision, i + o / 2)),
        calibration=calibration_of(
            dep.engine, None if calibration is None else list(dict.fromkeys(p.id for p in calibration.points))
        ),
        step_kernels=explain(step(dep, batch, i + o / 2)),
        prefill_kernels=explain(
            prefill_step(dep, batch, i, o, cached)
            if not dep.prefill_gpus
            else prefill_step(prefill_pool(dep), 1, i, o, cached)
        ),
        prefill_gpus_needed=prefill_gpus_to_feed(dep, batch, i, o, cached) if dep.prefill_gpus else None,
        speculative=speculation_result(dep, opt, s, i, o, conc, cached, level) if opt is not None else None,
    )
