"""The speculative-decoding part of a prediction: tokens per step, the speed-up against the same
deployment without speculation, and the batch above which speculation stops paying."""

from __future__ import annotations

import dataclasses

from breakeven.core.deployment import Deployment
from breakeven.core.drafter import drafter_deployment, held_params_b
from breakeven.core.performance import explain, step
from breakeven.core.serving import ServiceLevel, Serving, batch_limit, serve
from breakeven.core.sizing import drafter_weight_bytes, kv_bytes_per_token
from breakeven.core.speculative import decode_steps, drafting_s, stops_paying_above, verification_step
from breakeven.results import SpeculationResult
from breakeven.speculation import SpeculativeOption, acceptance_ends, method_of


def _at_acceptance(dep: Deployment, acceptance: float) -> Deployment:
    return dataclasses.replace(dep, speculative=dataclasses.replace(dep.speculative, acceptance=acceptance))


def drafter_label(dep: Deployment) -> str:
    """``glm-5.2 MTP layers (1 x 9.9B params)``, ``EAGLE-3 head (0.4B params)``, ``llama-3.2-1b``, ``n-gram lookup``."""
    s = dep.speculative
    if s.drafter is None:
        return "n-gram lookup (no draft model)"
    if s.method == "mtp":
        return f"{dep.model.id} MTP layers ({s.drafter.layers} x {held_params_b(dep) / s.drafter.layers:.3g}B params)"
    if s.method == "eagle":
        return f"EAGLE-3 head ({held_params_b(dep):.2g}B params, {s.drafter.vocab_size:,}-token draft vocabulary)"
    return f"{s.drafter.id} ({s.drafter.params_total_b:g}B params)"


def _source(opt: SpeculativeOption) -> str:
    if opt.acceptance is not None:
        return "given"
    prov = method_of(opt).provenance_of("acceptance")
    return f"{prov.source} (checked {prov.checked}, {prov.confidence})"


def speculation_result(
    dep: Deployment,
    opt: SpeculativeOption,
    speculating: Serving,
    input_tokens: float,
    output_tokens: float,
    concurrency: int | None,
    cached: float,
    level: ServiceLevel,
) -> SpeculationResult:
    """The speculation summary of ``predict`` at the batch ``speculating`` ran."""
    s = dep.speculative
    batch = max(speculating.batch, 1)
    context = input_tokens + output_tokens / 2
    plain = serve(dataclasses.replace(dep, speculative=None), input_tokens, output_tokens, concurrency, cached, level)
    steps = decode_steps(dep, batch, context)
    ends = acceptance_ends(opt)
    limit = batch_limit(dep)
    drafter = drafter_deployment(dep)
    return SpeculationResult(
        method=s.method,
        draft_tokens=s.draft_tokens,
        acceptance=s.acceptance,
        acceptance_range=list(ends) if ends else None,
        acceptance_source=_source(opt),
        tokens_per_step=steps.tokens_per_step,
        speedup=float(steps.speedup),
        speedup_range=[float(decode_steps(_at_acceptance(dep, a), batch, context).speedup) for a in ends]
        if ends
        else None,
        active=bool(steps.active),
        stops_paying_above_batch=stops_paying_above(dep, context, limit),
        batch_limit=limit,
        above_break_even="turned_off" if dep.engine.speculative_disable_by_batch else "kept_on",
        decode_tokens_per_s_per_stream_without=plain.decode_tokens_per_s_per_stream,
        output_tokens_per_s_without=plain.output_tokens_per_s,
        verification_step_s=float(verification_step(dep, batch, context).time_s),
        drafting_s=float(drafting_s(dep, batch, context)),
        drafter=drafter_label(dep),
        drafter_weight_bytes=drafter_weight_bytes(dep),
        drafter_kv_bytes_per_token=kv_bytes_per_token(drafter.model, drafter.kv_precision) if drafter else 0.0,
        verification_kernels=explain(verification_step(dep, batch, context)),
        drafting_kernels=explain(step(drafter, batch, context)) if drafter else [],
    )
