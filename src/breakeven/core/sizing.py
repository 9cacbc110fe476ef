"""Memory sizing: weight bytes, KV-cache bytes, per-GPU split under tensor parallelism, capacity.

Units: bytes (B), tokens. GiB = 2**30 B. Formulas: GQA/MHA KV per token = 2 (K and V) x layers x
kv_heads x head_dim x bytes; MLA (DeepSeek-V2 paper, sec. 2.1) = layers x (kv_lora_rank +
qk_rope_head_dim) x bytes, no factor 2. Sliding-window or chunked layers hold at most their window.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from breakeven.catalog.schema import Model
from breakeven.core.deployment import Deployment
from breakeven.core.drafter import drafter_deployment, held_params_b
from breakeven.core.params import BILLION, attention_params_per_layer, param_split
from breakeven.precision import KV_BYTES, WEIGHT_BYTES

GIB = 2**30
EMBEDDING_BYTES_PER_PARAM = 2.0
"""Embedding and output head stay 16-bit under weight quantization (vLLM fp8, AWQ, GPTQ, ModelOpt
defaults keep lm_head and embeddings unquantized)."""
TP_SIZES = (1, 2, 4, 8, 16, 32, 64)
"""GPU counts tried by min_gpus: tensor/expert-parallel sizes are powers of two in practice."""


def weight_bytes(model: Model, precision: str, non_expert_precision: str | None = None) -> float:
    """Bytes of all weights at a precision; experts at ``precision``, the rest at
    ``non_expert_precision`` (default: the same), embeddings and head 16-bit."""
    split = param_split(model)
    expert_b = WEIGHT_BYTES[precision]
    other_b = WEIGHT_BYTES[non_expert_precision or precision]
    embed = (split.embedding + split.lm_head) * EMBEDDING_BYTES_PER_PARAM
    return embed + split.routed_experts * expert_b + split.other * other_b


def deployment_weight_bytes(dep: Deployment) -> float:
    """Bytes of the deployment's weights, all GPUs together."""
    return weight_bytes(dep.model, dep.precision, dep.non_expert_precision)


def attention_weight_bytes(dep: Deployment) -> float:
    """Bytes of all attention projection weights (replicated on every GPU under attention DP)."""
    per_param = WEIGHT_BYTES[dep.non_expert_precision or dep.precision]
    return dep.model.layers * attention_params_per_layer(dep.model) * per_param


def per_gpu_share(dep: Deployment, replica_bytes: ArrayLike) -> np.ndarray:
    """Bytes of weights one GPU holds or reads out of ``replica_bytes``: an even split, except the
    attention weights, which every GPU holds in full under data-parallel attention."""
    total = np.asarray(replica_bytes, dtype=float)
    if not dep.attention_dp or dep.gpus == 1:
        return total / dep.gpus
    attention = attention_weight_bytes(dep)
    return (total - attention) / dep.gpus + attention


def kv_token_bytes_per_gpu(dep: Deployment) -> float:
    """KV bytes per token on one GPU (averaged over GPUs under data-parallel attention; a pipeline
    stage holds its layers' share), the drafter's own KV cache included."""
    if dep.attention_dp:
        own = kv_bytes_per_token(dep.model, dep.kv_precision) / dep.gpus
    else:
        own = kv_bytes_per_token(dep.model, dep.kv_precision, dep.tensor_parallel) / dep.pipeline_stages
    drafter = drafter_deployment(dep)
    return own + (kv_token_bytes_per_gpu(drafter) if drafter is not None else 0.0)


def kv_sequence_bytes_per_gpu(dep: Deployment, context: ArrayLike) -> np.ndarray:
    """KV bytes one sequence puts on one GPU (averaged over GPUs under data-parallel attention): the
    model's own, which each decode step reads."""
    if dep.attention_dp:
        return kv_bytes_per_sequence(dep.model, dep.kv_precision, context) / dep.gpus
    return kv_bytes_per_sequence(dep.model, dep.kv_precision, context, dep.tensor_parallel) / dep.pipeline_stages


def kv_held_per_sequence_per_gpu(dep: Deployment, context: ArrayLike) -> np.ndarray:
    """KV bytes one sequence holds on one GPU: the model's and its drafter's (MTP layers, an EAGLE head
    or a draft model keep a KV cache of their own)."""
    drafter = drafter_deployment(dep)
    own = kv_sequence_bytes_per_gpu(dep, context)
    return own if drafter is None else own + kv_sequence_bytes_per_gpu(drafter, context)


def drafter_weight_bytes(dep: Deployment) -> float:
    """Bytes the drafter's weights add, all GPUs together (at the drafter's precision; 16-bit heads
    and embeddings as for any model). 0 without a drafter."""
    drafter = drafter_deployment(dep)
    if drafter is None:
        return 0.0
    whole = deployment_weight_bytes(drafter)
    shared = (drafter.model.params_total_b - held_params_b(dep)) * BILLION * EMBEDDING_BYTES_PER_PARAM
    return max(whole - shared, 0.0)


def kv_groups(model: Model, kv_precision: str, gpus: int = 1) -> list[tuple[int, float, int | None]]:
    """(layers, KV bytes per token per layer on one GPU, window or None) for each kind of layer.

    With ``gpus`` = 1 the bytes are the whole replica's. GQA heads split across tensor-parallel GPUs
    and are replicated once TP exceeds the KV heads; an MLA latent is replicated on every rank."""
    a, b = model.attention, KV_BYTES[kv_precision]
    if a.kind == "mla":
        latent = (a.kv_lora_rank + a.qk_rope_head_dim) * b
        groups = [(model.layers - a.local_layers, latent, None)]
        if a.local_layers:
            groups.append((a.local_layers, latent, a.window_tokens))
        return [g for g in groups if g[0]]

    def per_gpu(heads: int, head_dim: int) -> float:
        return 2 * math.ceil(heads / gpus) * head_dim * b

    groups = [
        (model.layers - a.local_layers, per_gpu(a.global_kv_heads or a.kv_heads, a.global_head_dim or a.head_dim), None)
    ]
    if a.local_layers:
        groups.append((a.local_layers, per_gpu(a.kv_heads, a.head_dim), a.window_tokens))
    return [g for g in groups if g[0]]


def kv_bytes_per_token(model: Model, kv_precision: str, gpus: int = 1) -> float:
    """KV bytes per token over all layers, for a token inside every layer's window (worst case);
    per GPU when ``gpus`` > 1."""
    return sum(layers * per for layers, per, _ in kv_groups(model, kv_precision, gpus))


def kv_bytes_per_sequence(model: Model, kv_precision: str, context: ArrayLike, gpus: int = 1) -> np.ndarray:
    """KV bytes one sequence of ``context`` tokens holds (local layers keep at most their window);
    per GPU when ``gpus`` > 1."""
    t = np.asarray(context, dtype=float)
    total = np.zeros_like(t)
    for layers, per, window in kv_groups(model, kv_precision, gpus):
        total = total + layers * per * (np.minimum(t, window) if window else t)
    return total


@dataclass(frozen=True)
class MemoryBudget:
    """Per-GPU memory of a deployment, bytes."""

    total: float
    usable: float
    weights: float
    reserve: float

    @property
    def kv_space(self) -> float:
        return max(self.usable - self.weights - self.reserve, 0.0)

    @property
    def fits(self) -> bool:
        return self.usable - self.weights - self.reserve > 0


def memory_budget(dep: Deployment) -> MemoryBudget:
    """Per-GPU memory: board memory x the engine's utilization share, minus weights (the drafter's
    included) and reserve."""
    total = dep.gpu.memory_gib * GIB
    drafter = drafter_deployment(dep)
    drafted = float(per_gpu_share(drafter, drafter_weight_bytes(dep))) if drafter is not None else 0.0
    return MemoryBudget(
        total=total,
        usable=total * dep.engine.gpu_memory_utilization,
        weights=float(per_gpu_share(dep, deployment_weight_bytes(dep))) + drafted,
        reserve=dep.engine.runtime_reserve_gib * GIB,
    )


def kv_capacity_tokens(dep: Deployment) -> int:
    """Tokens of KV cache the replica holds (tokens inside every layer's window)."""
    return math.floor(memory_budget(dep).kv_space / kv_token_bytes_per_gpu(dep))


def max_sequences(dep: Deployment, context: ArrayLike) -> np.ndarray:
    """Sequences of ``context`` tokens whose KV cache fits at once in the replica."""
    per_gpu = kv_held_per_sequence_per_gpu(dep, context)
    return np.floor(memory_budget(dep).kv_space / np.maximum(per_gpu, 1.0))


def min_gpus(dep: Deployment | Callable[[int], Deployment], context: int, batch: int = 1) -> int | None:
    """Fewest GPUs (a power of two dividing the attention heads) that hold the weights plus
    ``batch`` sequences of ``context`` tokens; None if even 64 do not. ``dep`` is a deployment
    (tried at other GPU counts as it is) or a function building the deployment for a GPU count
    (so choices that depend on the count, such as the attention layout, are made again)."""
    make = dep if callable(dep) else (lambda n: dataclasses.replace(dep, gpus=n))
    heads = make(1).model.attention.heads
    for n in TP_SIZES:
        if heads % n:
            continue
        trial = make(n)
        if memory_budget(trial).fits and max_sequences(trial, context) >= batch:
            return n
    return None
