"""The performance model: one engine step as a sum of kernels, each with its own roofline (the
formula is ``step``'s docstring; units, constants and their sources in docs/performance-model.md).

Every function broadcasts over numpy arrays of batch, context and prefill tokens. Times are seconds,
sizes bytes, rates per second; "per GPU" figures are those of one GPU of the replica.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from breakeven.catalog.schema import EngineProfile, Gpu, Model
from breakeven.core.deployment import Deployment
from breakeven.core.params import attention_params_per_layer, param_split
from breakeven.core.sizing import EMBEDDING_BYTES_PER_PARAM, kv_sequence_bytes_per_gpu, per_gpu_share
from breakeven.precision import COMPUTE_PRECISION, WEIGHT_BYTES

ACTIVATION_BYTES = 2.0
"""Bytes per activation element exchanged by tensor-parallel all-reduce and MoE combine (bf16)."""
DISPATCH_BYTES = 1.0
"""Bytes per activation element sent to the experts (FP8 dispatch, as DeepEP and the engines' EP
kernels do; DeepEP README: 'FP8 dispatching and BF16 combining')."""
US = 1e-6

Channel = Literal["memory", "link"]
Bound = Literal["memory", "compute", "link", "latency"]


# ------------------------------------------------------------------------------- formats


def tensor_precision(gpu: Gpu, fmt: str) -> str:
    """Tensor-core precision a weight format's matmuls run in on this GPU: the format's own where
    the GPU has it (fp8 on Hopper, fp4 on Blackwell), else bf16 after dequantizing the weights."""
    wanted = COMPUTE_PRECISION[fmt]
    return wanted if getattr(gpu.dense_tflops, wanted, None) else "bf16"


def weight_only(gpu: Gpu, fmt: str) -> bool:
    """Whether weights of this format are dequantized in the kernel (stored narrower than the math)."""
    return WEIGHT_BYTES[fmt] < 2.0 and tensor_precision(gpu, fmt) == "bf16"


def peak_flops(gpu: Gpu, fmt: str) -> float:
    """Dense tensor FLOP/s for a weight format's matmuls on this GPU."""
    return getattr(gpu.dense_tflops, tensor_precision(gpu, fmt)) * 1e12


def dequant_efficiency(engine: EngineProfile, gpu: Gpu, fmt: str) -> float:
    """Share of its native speed a GEMM keeps when it dequantizes weight-only low-bit weights in the
    kernel (streaming and math alike); 1 for formats the GPU computes in natively."""
    return engine.weight_only_dequant_efficiency if weight_only(gpu, fmt) else 1.0


def gemm_efficiency(engine: EngineProfile, gpu: Gpu, fmt: str) -> float:
    """The engine's matmul efficiency at the tensor precision the format runs in, dequantization
    included."""
    precision = tensor_precision(gpu, fmt)
    native = {"fp8": engine.gemm_efficiency_fp8, "fp4": engine.gemm_efficiency_fp4}.get(
        precision, engine.gemm_efficiency_bf16
    )
    return native * dequant_efficiency(engine, gpu, fmt)


def streaming_efficiency(engine: EngineProfile, gpu: Gpu, fmt: str) -> float:
    """Share of the datasheet bandwidth weights of this format stream at (dequantization included)."""
    return engine.weight_bandwidth_efficiency * dequant_efficiency(engine, gpu, fmt)


# ---------------------------------------------------------------------------- bytes, flops


def experts_touched_fraction(experts: int, per_token: int, tokens: ArrayLike) -> np.ndarray:
    """Expected share of a layer's routed experts that ``tokens`` tokens touch under a uniform
    router: 1 - (1 - k/E)^tokens. k/E at one token, approaching 1 as tokens grow."""
    t = np.asarray(tokens, dtype=float)
    return 1.0 - (1.0 - per_token / experts) ** t


def _head_params(model: Model) -> float:
    split = param_split(model)
    return split.embedding if model.tie_word_embeddings else split.lm_head


def dense_weight_bytes(dep: Deployment) -> float:
    """Bytes of the weights every step reads in full, all GPUs together: attention, dense FFNs,
    shared experts, routers, norms (non-expert precision) and the output head (16-bit)."""
    other_b = WEIGHT_BYTES[dep.non_expert_precision or dep.precision]
    return param_split(dep.model).other * other_b + _head_params(dep.model) * EMBEDDING_BYTES_PER_PARAM


def weight_bytes_read(dep: Deployment, tokens: ArrayLike) -> np.ndarray:
    """Weight bytes a step over ``tokens`` tokens reads, all GPUs together: everything but the
    embedding table (only the batch's rows), with routed experts only as far as the batch touches
    them. Capped by the total weight bytes."""
    split = param_split(dep.model)
    t = np.asarray(tokens, dtype=float)
    dense = np.full_like(t, dense_weight_bytes(dep))
    if split.routed_experts == 0:
        return dense
    touched = experts_touched_fraction(split.experts_per_layer, split.experts_per_token, t)
    return dense + split.routed_experts * WEIGHT_BYTES[dep.precision] * touched


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


def prefill_attention_flops(model: Model, new_tokens: ArrayLike, prefix: ArrayLike) -> np.ndarray:
    """Score and value FLOPs of ``new_tokens`` prompt tokens that follow ``prefix`` tokens, all
    layers: (prefix + new)^2 - prefix^2 over 2 causal pairs on global layers, new x window on local
    ones. MLA prefill (not absorbed): 2 x heads x (nope + rope + v) per pair."""
    n, p = np.asarray(new_tokens, dtype=float), np.asarray(prefix, dtype=float)
    a = model.attention
    per_pair = (
        2 * a.heads * ((a.qk_nope_head_dim or 0) + a.qk_rope_head_dim + (a.v_head_dim or 0))
        if a.kind == "mla"
        else 4 * a.heads * a.head_dim
    )
    end = p + n
    pairs = (model.layers - a.local_layers) * (end**2 - p**2) / 2
    if a.local_layers:
        pairs = pairs + a.local_layers * n * np.minimum(end, a.window_tokens)
    return per_pair * pairs


# ------------------------------------------------------------------------------- the step


@dataclass(frozen=True)
class Term:
    """One kernel (or group of kernels) of a step on one GPU, seconds; arrays broadcast."""

    name: str
    data_s: np.ndarray
    """Bytes over the term's channel (GPU memory or the link) at the achieved bandwidth."""
    compute_s: np.ndarray
    """FLOPs at the achieved tensor throughput."""
    fixed_s: np.ndarray
    """Latencies that neither bytes nor flops explain (launches, per-layer and per-expert costs)."""
    channel: Channel = "memory"

    @property
    def roofline_s(self) -> np.ndarray:
        """The kernel's own roofline: the slower of moving its bytes and doing its flops."""
        return np.maximum(self.data_s, self.compute_s)

    @property
    def time_s(self) -> np.ndarray:
        return self.roofline_s + self.fixed_s


@dataclass(frozen=True)
class Step:
    """An engine step as its kernels; the step takes their sum."""

    terms: tuple[Term, ...]

    @property
    def time_s(self) -> np.ndarray:
        return sum(t.time_s for t in self.terms)

    def term(self, name: str) -> Term:
        return next(t for t in self.terms if t.name == name)


def _zero(x: np.ndarray) -> np.ndarray:
    return np.zeros_like(x, dtype=float)


def _dense_gemms(dep: Deployment, queries: np.ndarray, prefill: np.ndarray, running: np.ndarray) -> Term:
    """Non-expert matmuls over the decode ``queries`` (one per sequence, k + 1 when verifying drafts)
    and the prefill tokens. Under data-parallel attention a prompt's chunk runs on one rank, which
    does its attention projections alone (the others wait for it at the next MoE layer)."""
    g, fmt = dep.gpu, dep.non_expert_precision or dep.precision
    split = param_split(dep.model)
    layer_flops = 2 * (queries + prefill) * split.other / dep.gpus
    if dep.attention_dp:
        projections = dep.model.layers * attention_params_per_layer(dep.model)
        layer_flops = layer_flops + 2 * prefill * projections * (1 - 1 / dep.gpus)
    flops = layer_flops + 2 * queries * _head_params(dep.model) / dep.gpus
    bytes_gpu = per_gpu_share(dep, dense_weight_bytes(dep)) * running
    return Term(
        "dense GEMMs",
        data_s=bytes_gpu / (g.bandwidth_tb_per_s * 1e12 * streaming_efficiency(dep.engine, g, fmt)),
        compute_s=flops / (peak_flops(g, fmt) * gemm_efficiency(dep.engine, g, fmt)),
        fixed_s=_zero(running),
    )


def attention_peak_flops(dep: Deployment) -> float:
    """Dense FLOP/s attention runs at: FP8 where the KV cache is FP8 and the GPU has FP8 tensor
    cores (FP8 attention kernels: FlashAttention-3, TensorRT-LLM FMHA), else BF16."""
    t = dep.gpu.dense_tflops
    return (t.fp8 if dep.kv_precision == "fp8" and t.fp8 else t.bf16) * 1e12


def _attention(dep: Deployment, decode: np.ndarray, queries: np.ndarray, context: np.ndarray, prefill, prefix) -> Term:
    """KV reads of the decoding sequences (once per sequence, however many queries it has) and the
    flops of decode and prefill attention; a prompt's attention runs on one rank under data-parallel
    attention, split across GPUs under TP."""
    e, m = dep.engine, dep.model
    kv = decode * kv_sequence_bytes_per_gpu(dep, context)
    prompt_ranks = 1 if dep.attention_dp else dep.gpus
    flops = queries * attention_flops_per_token(m, context) / dep.gpus
    flops = flops + prefill_attention_flops(m, prefill, prefix) / prompt_ranks
    return Term(
        "attention",
        data_s=kv / (dep.gpu.bandwidth_tb_per_s * 1e12 * e.kv_bandwidth_efficiency),
        compute_s=flops / (attention_peak_flops(dep) * e.attention_compute_efficiency),
        fixed_s=_zero(kv),
    )


def active_experts_per_gpu(dep: Deployment, tokens: ArrayLike) -> np.ndarray:
    """Experts one GPU runs per MoE layer: a slice of every touched expert under tensor parallelism,
    its own E / G experts (as far as touched) under expert parallelism."""
    split = param_split(dep.model)
    touched = split.experts_per_layer * experts_touched_fraction(
        split.experts_per_layer, split.experts_per_token, tokens
    )
    return touched / dep.gpus if dep.expert_parallel else touched


def _moe(dep: Deployment, tokens: np.ndarray, running: np.ndarray) -> tuple[Term, Term]:
    """Expert matmuls on their own roofline: the touched experts' weights streamed at the grouped GEMM's
    share of the dense bandwidth (``moe_gemm_relative_efficiency``), their flops at its share of the
    dense matmul speed (``moe_gemm_compute_relative_efficiency``); both fitted (docs/calibration.md)."""
    g, e, moe, fmt = dep.gpu, dep.engine, dep.model.moe, dep.precision
    split = param_split(dep.model)
    fraction = experts_touched_fraction(split.experts_per_layer, split.experts_per_token, tokens)
    bytes_gpu = split.routed_experts * WEIGHT_BYTES[dep.precision] * fraction / dep.gpus
    active_params = split.routed_experts * split.experts_per_token / split.experts_per_layer
    flops = 2 * tokens * active_params / dep.gpus
    streaming = streaming_efficiency(e, g, fmt) * e.moe_gemm_relative_efficiency
    computing = gemm_efficiency(e, g, fmt) * e.moe_gemm_compute_relative_efficiency
    gemms = Term(
        "MoE GEMMs",
        data_s=bytes_gpu / (g.bandwidth_tb_per_s * 1e12 * streaming),
        compute_s=flops / (peak_flops(g, fmt) * computing),
        fixed_s=_zero(tokens),
    )
    routed_pairs = tokens * moe.experts_per_token / (dep.gpus if dep.expert_parallel else 1)
    per_layer = (
        e.moe_layer_overhead_us * US
        + active_experts_per_gpu(dep, tokens) * e.moe_expert_overhead_us * US
        + routed_pairs * e.moe_token_overhead_ns * 1e-9
    )
    fixed = Term("MoE routing and launches", _zero(tokens), _zero(tokens), moe.moe_layers * per_layer * running)
    return gemms, fixed


def _overhead(dep: Deployment, decode: np.ndarray, running: np.ndarray) -> Term:
    """Per-layer costs (norms, activations, launches) and per-sequence costs on the busiest rank
    (sampling, scheduling, detokenizing; each rank its own sequences under data-parallel attention)."""
    e, zero = dep.engine, _zero(running)
    per_rank = np.ceil(decode / dep.gpus) if dep.attention_dp else decode
    per_layer = dep.model.layers * e.overhead_per_layer_us * US * running
    return Term("norms, sampling, launches", zero, zero, per_layer + per_rank * e.overhead_per_sequence_us * US)


@dataclass(frozen=True)
class Link:
    """One-way bandwidth (B/s, at the engine's efficiency) and latency (s) of a GPU's path to its peers."""

    nvlink: float
    network: float
    network_latency: float


def _link(dep: Deployment) -> Link:
    eta = dep.engine.interconnect_efficiency
    return Link(
        nvlink=dep.gpu.interconnect.bandwidth_gb_per_s * 1e9 / 2 * eta,
        network=dep.gpu.scale_out.bandwidth_gb_per_s * 1e9 / 2 * eta,
        network_latency=dep.gpu.scale_out.latency_us * US,
    )


def allreduce_time(dep: Deployment, message_bytes: np.ndarray, count: float) -> tuple[np.ndarray, np.ndarray]:
    """(transfer, latency) seconds of ``count`` ring all-reduces of ``message_bytes`` over the
    decode pool; above one node, hierarchical: a ring inside each node over the interconnect, then
    across nodes over the scale-out network on 1 / (GPUs per node) of the message."""
    link, gpus = _link(dep), dep.gpus
    per_node = min(gpus, dep.gpu.gpus_per_node)
    nodes = dep.nodes
    transfer = 2 * (per_node - 1) / per_node * message_bytes / link.nvlink
    latency = dep.engine.allreduce_latency_us * US * math.log2(per_node) if per_node > 1 else 0.0
    if nodes > 1:
        transfer = transfer + 2 * (nodes - 1) / nodes * message_bytes / per_node / link.network
        latency += (dep.engine.allreduce_latency_us * US + link.network_latency) * math.log2(nodes)
    return count * transfer, np.full_like(transfer, count * latency)


def all_to_all_time(dep: Deployment, bytes_per_gpu: np.ndarray, count: float) -> tuple[np.ndarray, np.ndarray]:
    """(transfer, latency) seconds of ``count`` expert-parallel all-to-alls in which each GPU sends
    ``bytes_per_gpu`` spread evenly over all GPUs: the share for GPUs in its node crosses the
    interconnect, the share for other nodes the scale-out network, both at once."""
    link, gpus = _link(dep), dep.gpus
    per_node = min(gpus, dep.gpu.gpus_per_node)
    inside = bytes_per_gpu * (per_node - 1) / gpus / link.nvlink
    outside = bytes_per_gpu * (gpus - per_node) / gpus / link.network
    latency = dep.engine.all_to_all_latency_us * US + (link.network_latency if dep.nodes > 1 else 0.0)
    return count * np.maximum(inside, outside), np.full_like(inside, count * latency)


def _communication(dep: Deployment, tokens: np.ndarray, running: np.ndarray) -> Term:
    m, zero = dep.model, _zero(tokens)
    activations = tokens * m.hidden_size * ACTIVATION_BYTES
    if not dep.expert_parallel:
        transfer, latency = allreduce_time(dep, activations, 2 * m.layers)
        return Term("communication", transfer, zero, latency * running, "link")
    moe = m.moe
    routed = tokens / dep.gpus * moe.experts_per_token * m.hidden_size
    dispatch, lat_d = all_to_all_time(dep, routed * DISPATCH_BYTES, moe.moe_layers)
    combine, lat_c = all_to_all_time(dep, routed * ACTIVATION_BYTES, moe.moe_layers)
    dense_layers = m.layers - moe.moe_layers
    reduce, lat_r = allreduce_time(dep, activations, dense_layers) if dense_layers else (zero, zero)
    return Term("communication", dispatch + combine + reduce, zero, (lat_d + lat_c + lat_r) * running, "link")


def step(
    dep: Deployment,
    decode: ArrayLike,
    context: ArrayLike,
    prefill: ArrayLike = 0,
    prefix: ArrayLike = 0,
    queries: ArrayLike = 1,
) -> Step:
    """One engine step: ``decode`` sequences holding ``context`` tokens each and running ``queries``
    tokens each (1; k + 1 when verifying k draft tokens: more flops and routed tokens, the same weight
    and KV reads), plus ``prefill`` prompt tokens that start ``prefix`` tokens into their prompt;
    tokens = decode x queries + prefill. Per GPU (G GPUs,
    BW memory bandwidth, peak the dense FLOP/s of the format's tensor precision, eta the engine's
    efficiencies, dq < 1 only for weight-only formats the GPU has no tensor cores for):

        dense GEMMs    max(non-expert weight bytes / (BW eta_w dq), 2 tokens x non-expert params / G / (peak eta))
        attention      max(KV bytes read / (BW eta_kv), attention flops / G / (peak_bf16 eta_attn))
        MoE GEMMs      max(touched expert bytes / G / (BW eta_w dq), 2 tokens x routed active / G / (peak eta))
        MoE fixed      MoE layers x (per-layer cost + active experts on one GPU x per-expert cost)
        overhead       layers x per-layer cost (norms, activations, sampling, launches)
        communication  tensor parallel: 2 all-reduces per layer; expert parallel: dispatch + combine per
                       MoE layer (+ one all-reduce per dense layer); over the scale-out network above one node

        step = the sum of the terms, so a step is never shorter than any single kernel's roofline.

    With pipeline parallelism (P stages of G / P GPUs) a token passes every stage in turn, each stage
    running one of P micro-batches: the step is the stages' work on a micro-batch of decode / P
    sequences (the whole model's terms on G / P GPUs, since every term is per layer) plus P - 1
    sends of the micro-batch's activations between stages. A step with no tokens takes no time."""
    if dep.pipeline_stages > 1:
        return _pipelined(dep, decode, context, prefill, prefix, queries)
    d, c, n, p = np.broadcast_arrays(*(np.asarray(x, dtype=float) for x in (decode, context, prefill, prefix)))
    dq = d  # decode queries: one per sequence, k + 1 when verifying drafts
    if not (np.isscalar(queries) and queries == 1):
        d, c, n, p, dq = np.broadcast_arrays(d, c, n, p, d * np.asarray(queries, dtype=float))
    tokens = dq + n
    running = (tokens > 0).astype(float)
    terms = [_dense_gemms(dep, dq, n, running), _attention(dep, d, dq, c, n, p)]
    if dep.model.moe is not None:
        terms.extend(_moe(dep, tokens, running))
    terms.append(_overhead(dep, d, running))
    if dep.gpus > 1:
        terms.append(_communication(dep, tokens, running))
    return Step(tuple(terms))


def _pipelined(
    dep: Deployment, decode: ArrayLike, context: ArrayLike, prefill: ArrayLike, prefix: ArrayLike, queries: ArrayLike
) -> Step:
    stages = dep.pipeline_stages
    one_stage = dataclasses.replace(dep, gpus=dep.tensor_parallel, pipeline_stages=1)
    micro = np.asarray(decode, dtype=float) / stages
    inner = step(one_stage, micro, context, prefill, prefix, queries)
    tokens = micro * np.asarray(queries, dtype=float) + np.asarray(prefill, dtype=float)
    link = _link(dep)
    crosses_nodes = dep.tensor_parallel >= dep.gpu.gpus_per_node
    bandwidth = link.network if crosses_nodes else link.nvlink
    latency = (link.network_latency if crosses_nodes else 0.0) + dep.engine.allreduce_latency_us * US
    zero = _zero(tokens)
    send = (stages - 1) * tokens * dep.model.hidden_size * ACTIVATION_BYTES / bandwidth
    sends = Term("pipeline sends", send, zero, (stages - 1) * latency * (tokens > 0), "link")
    return Step((*inner.terms, sends))


def decode_step_time(dep: Deployment, batch: ArrayLike, context: ArrayLike) -> np.ndarray:
    """Seconds per decode step (= inter-token latency of every stream in the batch)."""
    return step(dep, batch, context).time_s


def prefill_chunks(dep: Deployment, tokens: ArrayLike, running: ArrayLike = 0) -> np.ndarray:
    """Engine steps a prompt of ``tokens`` tokens is prefilled in, beside ``running`` decoding
    sequences: the step budget less the decodes; under data-parallel attention a prompt is prefilled
    on one rank, within that rank's budget less its share of the decodes."""
    ranks = dep.gpus if dep.attention_dp else 1
    room = np.maximum(dep.engine.prefill_chunk_tokens - np.asarray(running, dtype=float) / ranks, 1.0)
    return np.maximum(np.ceil(np.asarray(tokens, dtype=float) / room), 1.0)


def prefill_time(dep: Deployment, new_tokens: ArrayLike, cached_tokens: ArrayLike = 0) -> np.ndarray:
    """Seconds to prefill one prompt alone: its uncached ``new_tokens`` (a cached prefix is not
    recomputed) in chunks of the engine's step budget, each chunk one step that reads the weights."""
    n, p = np.asarray(new_tokens, dtype=float), np.asarray(cached_tokens, dtype=float)
    k = prefill_chunks(dep, n)
    chunk = n / k
    return k * step(dep, 0, 0, chunk, p + (n - chunk) / 2).time_s


@dataclass(frozen=True)
class KernelTime:
    """One term of one step, for people: its time (s, on one GPU), what bounds it, and its parts."""

    term: str
    time_s: float
    bound: Bound
    """memory / link: its bytes; compute: its flops; latency: its fixed costs exceed both."""
    roofline_s: float
    """The slower of moving its bytes and doing its flops."""
    fixed_s: float


def explain(s: Step) -> list[KernelTime]:
    """A scalar step's terms as rows (term, time, bound), in the order the step adds them."""
    rows = []
    for t in s.terms:
        data, compute, fixed = float(t.data_s), float(t.compute_s), float(t.fixed_s)
        if fixed > max(data, compute):
            bound: Bound = "latency"
        else:
            bound = "compute" if compute > data else t.channel
        rows.append(KernelTime(t.name, max(data, compute) + fixed, bound, max(data, compute), fixed))
    return rows
