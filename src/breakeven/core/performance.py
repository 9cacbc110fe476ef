"""The performance model: decode step time, prefill time, serving at a concurrency.

Decode is memory-bandwidth-bound until the batch is large; prefill is compute-bound. Every function
takes numpy-broadcastable batch and context arrays. Times are seconds, sizes bytes, rates per second.

Step time = max(weight bytes / (BW x eta_w) + KV bytes / (BW x eta_kv), flops / (peak x eta_dc))
            + layers x per-layer overhead + 2 x layers x all-reduce(TP)
All-reduce(TP) = alpha x log2(TP) + 2 (TP-1)/TP x message / (one-way link bandwidth x eta_ic).
The efficiencies and overheads are the engine profile's (see docs/calibration.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from breakeven.catalog.schema import EngineProfile, Gpu, Model
from breakeven.core.deployment import Deployment
from breakeven.core.params import param_split
from breakeven.core.sizing import EMBEDDING_BYTES_PER_PARAM, kv_sequence_bytes_per_gpu, per_gpu_share
from breakeven.precision import COMPUTE_PRECISION, WEIGHT_BYTES

ACTIVATION_BYTES = 2.0
"""Bytes per activation element exchanged by tensor-parallel all-reduce (bf16)."""


def peak_flops(gpu: Gpu, precision: str) -> float:
    """Dense tensor FLOP/s for a weight format's matmuls; falls back to bf16 where the GPU lacks
    the format's tensor cores (e.g. fp8 weights on an A100 run as weight-only fp8 with bf16 math)."""
    wanted = COMPUTE_PRECISION[precision]
    tflops = getattr(gpu.dense_tflops, wanted, None) or gpu.dense_tflops.bf16
    return tflops * 1e12


def experts_touched_fraction(experts: int, per_token: int, tokens: ArrayLike) -> np.ndarray:
    """Expected share of a layer's routed experts that ``tokens`` tokens touch under a uniform
    router: 1 - (1 - k/E)^tokens. k/E at one token, approaching 1 as tokens grow."""
    t = np.asarray(tokens, dtype=float)
    return 1.0 - (1.0 - per_token / experts) ** t


def weight_bytes_read(dep: Deployment, tokens: ArrayLike) -> np.ndarray:
    """Weight bytes a step over ``tokens`` tokens reads, all GPUs together: everything but the
    embedding table (only the batch's rows), with routed experts only as far as the batch touches
    them. Capped by the total weight bytes."""
    split = param_split(dep.model)
    expert_b = WEIGHT_BYTES[dep.precision]
    other_b = WEIGHT_BYTES[dep.non_expert_precision or dep.precision]
    dense = split.other * other_b + split.lm_head * EMBEDDING_BYTES_PER_PARAM
    if dep.model.tie_word_embeddings:
        dense += split.embedding * EMBEDDING_BYTES_PER_PARAM
    if split.routed_experts == 0:
        return np.broadcast_to(np.asarray(dense), np.shape(tokens)).astype(float)
    touched = experts_touched_fraction(split.experts_per_layer, split.experts_per_token, tokens)
    return dense + split.routed_experts * expert_b * touched


def _effective_context(model: Model, context: np.ndarray) -> np.ndarray:
    """Layer-weighted context one token attends to: local layers see at most their window."""
    a = model.attention
    local = a.local_layers * np.minimum(context, a.window_tokens) if a.local_layers else 0.0
    return (model.layers - a.local_layers) * context + local


def attention_flops_per_token(model: Model, context: ArrayLike) -> np.ndarray:
    """Score and value FLOPs for one new token attending to ``context`` tokens, all layers.
    GQA: 4 x heads x head_dim per (token, layer, context token); MLA (absorbed, decode):
    2 x heads x (2 x kv_lora_rank + rope dim)."""
    a = model.attention
    per = 2 * a.heads * (2 * a.kv_lora_rank + a.qk_rope_head_dim) if a.kind == "mla" else 4 * a.heads * a.head_dim
    return per * _effective_context(model, np.asarray(context, dtype=float))


@dataclass(frozen=True)
class StepTerms:
    """The parts of one step's time at efficiency 1 (seconds), per GPU; arrays broadcast."""

    weight_s: np.ndarray
    kv_s: np.ndarray
    compute_s: np.ndarray
    layers: int
    allreduce_count: np.ndarray
    """All-reduces per step x log2(TP): multiplies the engine's latency."""
    allreduce_transfer_s: np.ndarray
    """All-reduce payload time at full link bandwidth."""


def _allreduce(dep: Deployment, message_bytes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(latency steps, transfer seconds at full link speed) of the step's 2 x layers all-reduces."""
    tp = dep.gpus
    if tp == 1:
        zero = np.zeros_like(message_bytes, dtype=float)
        return zero, zero
    count = 2 * dep.model.layers
    one_way = dep.gpu.interconnect.bandwidth_gb_per_s * 1e9 / 2
    transfer = count * 2 * (tp - 1) / tp * message_bytes / one_way
    return np.full_like(message_bytes, count * np.log2(tp), dtype=float), transfer


def decode_terms(dep: Deployment, batch: ArrayLike, context: ArrayLike) -> StepTerms:
    """Terms of a decode step for ``batch`` sequences each holding ``context`` tokens."""
    b = np.asarray(batch, dtype=float)
    c = np.asarray(context, dtype=float)
    b, c = np.broadcast_arrays(b, c)
    bw = dep.gpu.bandwidth_tb_per_s * 1e12
    kv = b * kv_sequence_bytes_per_gpu(dep, c)
    flops = b * (2 * dep.model.params_active_b * 1e9 + attention_flops_per_token(dep.model, c))
    count, transfer = _allreduce(dep, b * dep.model.hidden_size * ACTIVATION_BYTES)
    return StepTerms(
        weight_s=per_gpu_share(dep, weight_bytes_read(dep, b)) / bw,
        kv_s=kv / bw,
        compute_s=flops / dep.gpus / peak_flops(dep.gpu, dep.precision),
        layers=dep.model.layers,
        allreduce_count=count,
        allreduce_transfer_s=transfer,
    )


def memory_time(terms: StepTerms, engine: EngineProfile) -> np.ndarray:
    return terms.weight_s / engine.weight_bandwidth_efficiency + terms.kv_s / engine.kv_bandwidth_efficiency


def fixed_time(terms: StepTerms, engine: EngineProfile) -> np.ndarray:
    """Per-layer overhead and tensor-parallel communication, seconds."""
    return (
        terms.layers * engine.overhead_per_layer_us * 1e-6
        + terms.allreduce_count * engine.allreduce_latency_us * 1e-6
        + terms.allreduce_transfer_s / engine.interconnect_efficiency
    )


def step_time(terms: StepTerms, engine: EngineProfile) -> np.ndarray:
    """Seconds per decode step: the roofline of memory and compute, plus fixed time."""
    compute = terms.compute_s / engine.decode_compute_efficiency
    return np.maximum(memory_time(terms, engine), compute) + fixed_time(terms, engine)


def decode_step_time(dep: Deployment, batch: ArrayLike, context: ArrayLike) -> np.ndarray:
    """Seconds per decode step (= inter-token latency of every stream in the batch)."""
    return step_time(decode_terms(dep, batch, context), dep.engine)


def prefill_terms(dep: Deployment, new_tokens: ArrayLike, cached_tokens: ArrayLike = 0) -> StepTerms:
    """Terms of prefilling ``new_tokens`` after ``cached_tokens`` of prefix already in the cache
    (not recomputed). Attention FLOPs grow with the square of the prompt."""
    n = np.asarray(new_tokens, dtype=float)
    p = np.asarray(cached_tokens, dtype=float)
    n, p = np.broadcast_arrays(n, p)
    model, a = dep.model, dep.model.attention
    per_pair = (
        2 * a.heads * ((a.qk_nope_head_dim or 0) + a.qk_rope_head_dim + (a.v_head_dim or 0))
        if a.kind == "mla"
        else 4 * a.heads * a.head_dim
    )
    end = p + n
    global_pairs = (model.layers - a.local_layers) * (end**2 - p**2) / 2
    local_pairs = a.local_layers * n * np.minimum(end, a.window_tokens) if a.local_layers else 0.0
    flops = 2 * model.params_active_b * 1e9 * n + per_pair * (global_pairs + local_pairs)
    count, transfer = _allreduce(dep, n * model.hidden_size * ACTIVATION_BYTES)
    bw = dep.gpu.bandwidth_tb_per_s * 1e12
    return StepTerms(
        weight_s=per_gpu_share(dep, weight_bytes_read(dep, n)) / bw,
        kv_s=np.zeros_like(n),
        compute_s=flops / dep.gpus / peak_flops(dep.gpu, dep.precision),
        layers=model.layers,
        allreduce_count=count,
        allreduce_transfer_s=transfer,
    )


def prefill_time_from_terms(terms: StepTerms, engine: EngineProfile) -> np.ndarray:
    compute = terms.compute_s / engine.prefill_compute_efficiency
    return np.maximum(memory_time(terms, engine), compute) + fixed_time(terms, engine)


def prefill_time(dep: Deployment, new_tokens: ArrayLike, cached_tokens: ArrayLike = 0) -> np.ndarray:
    """Seconds to prefill one prompt (its uncached part)."""
    return prefill_time_from_terms(prefill_terms(dep, new_tokens, cached_tokens), dep.engine)
