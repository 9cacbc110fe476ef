"""What drafts tokens in speculative decoding, as a model and a deployment of its own, so that a draft
pass costs what the same kernel sum (``performance.step``) says for any model:

- **MTP**: the checkpoint's MTP layers (``Model.mtp``), decoder layers of the model's own kind (its
  attention, its MoE layout) with a projection of 2 x hidden -> hidden; they share the model's
  embedding and output head, so only their own parameters add to memory, while each pass still reads
  the head (DeepSeek-V3 technical report, sec. 2.2; TensorRT-LLM's MTP blog: "the
  embedding layer and output head in MTP modules are shared with the main model").
- **EAGLE** (EAGLE-3, Li et al. 2025): one dense decoder layer of the model's hidden size, an FC layer
  fusing three of the model's hidden states (3 x hidden -> hidden) and its own output head over a
  reduced draft vocabulary; it embeds tokens with the model's embedding.
- **draft model**: a smaller catalog model of the same vocabulary, with its own weights and KV cache.

N-gram lookup drafts without a model (no drafter). The drafter runs on the GPUs of one pipeline stage,
laid out as the model is (MTP, EAGLE) or tensor-parallel (a draft model, as vLLM runs it).
"""

from __future__ import annotations

from breakeven.catalog.schema import Attention, Model
from breakeven.core.deployment import Deployment
from breakeven.core.params import BILLION, attention_params_per_layer, param_split
from breakeven.errors import InputError

EAGLE_FUSED_FEATURES = 3
"""Hidden states an EAGLE-3 head fuses (low, middle and high layers of the model: Li et al. 2025, sec. 3.1)."""
EAGLE_HEAD_DIM = 128
EAGLE_KV_HEADS = 8
"""Attention of an EAGLE head on a model without GQA attention (MLA): the Llama layout EAGLE-3 heads use
(hidden / 128 query heads, 8 KV heads of 128)."""


def _embedding_b(model: Model) -> float:
    return model.vocab_size * model.hidden_size / BILLION


def mtp_drafter(model: Model) -> Model:
    """The model's MTP layers as a model: ``mtp.layers`` decoder layers of the model's kind, with the
    shared embedding and head counted in (they are read every pass) and ``mtp.params_b`` of their own."""
    if model.mtp is None:
        raise InputError(
            "speculative.method",
            "mtp",
            f"a model that ships MTP layers; {model.id} has none (use eagle, draft_model or ngram)",
        )
    layers = model.mtp.layers
    shared = _embedding_b(model) * (1 if model.tie_word_embeddings else 2)
    moe = model.moe.model_copy(update={"moe_layers": layers}) if model.moe else None
    drafter = model.model_copy(
        update=dict(
            id=f"{model.id}-mtp",
            name=f"{model.name} MTP layers",
            layers=layers,
            moe=moe,
            attention=model.attention.model_copy(update={"local_layers": 0}),
            params_total_b=model.mtp.params_b + shared,
            checkpoints=[],
            mtp=None,
        )
    )
    return drafter.model_copy(update={"params_active_b": _active_b(drafter)})


def _active_b(model: Model) -> float:
    split = param_split(model)
    if not split.experts_per_layer:
        return model.params_total_b
    idle = split.routed_experts * (1 - split.experts_per_token / split.experts_per_layer)
    return model.params_total_b - idle / BILLION


def _eagle_attention(model: Model) -> Attention:
    a = model.attention
    if a.kind == "gqa":
        return Attention(kind="gqa", heads=a.heads, kv_heads=a.kv_heads, head_dim=a.head_dim)
    heads = max(model.hidden_size // EAGLE_HEAD_DIM, EAGLE_KV_HEADS)
    heads -= heads % EAGLE_KV_HEADS
    return Attention(kind="gqa", heads=heads, kv_heads=EAGLE_KV_HEADS, head_dim=EAGLE_HEAD_DIM)


def eagle_drafter(model: Model, draft_vocab_size: int | None) -> Model:
    """An EAGLE-3 head for the model: one dense decoder layer (FFN as wide as the model's dense layers,
    or its active experts where it has none), the 3 x hidden -> hidden fusion and a head of
    ``draft_vocab_size`` rows (the model's vocabulary when None)."""
    h = model.hidden_size
    moe = model.moe
    width = model.intermediate_size or moe.expert_intermediate_size * (moe.experts_per_token + moe.shared_experts)
    vocab = min(draft_vocab_size or model.vocab_size, model.vocab_size)
    head = model.model_copy(
        update=dict(
            id=f"{model.id}-eagle3",
            name=f"EAGLE-3 head for {model.name}",
            layers=1,
            hidden_size=h,
            intermediate_size=width,
            attention=_eagle_attention(model),
            moe=None,
            vocab_size=vocab,
            tie_word_embeddings=False,
            checkpoints=[],
            mtp=None,
        )
    )
    layer = attention_params_per_layer(head) + 3 * h * width + EAGLE_FUSED_FEATURES * h * h
    total = (layer + 2 * vocab * h) / BILLION
    return head.model_copy(update={"params_total_b": total, "params_active_b": total})


def held_params_b(dep: Deployment) -> float:
    """Parameters the drafter adds to GPU memory, billions: the MTP layers' own (embedding and head are
    the model's), an EAGLE head's layer, fusion and head (its embedding is the model's), or the whole
    draft model."""
    s = dep.speculative
    if s is None or s.drafter is None:
        return 0.0
    m = s.drafter
    embedding = _embedding_b(m)
    if s.method == "mtp":
        return m.params_total_b - embedding * (1 if m.tie_word_embeddings else 2)
    if s.method == "eagle":
        return m.params_total_b - embedding
    return m.params_total_b


def drafter_deployment(dep: Deployment) -> Deployment | None:
    """The drafter on the GPUs of one pipeline stage; None without one (no speculation, or n-gram)."""
    s = dep.speculative
    if s is None or s.drafter is None:
        return None
    own_layout = s.method in ("mtp", "eagle")
    return Deployment(
        model=s.drafter,
        gpu=dep.gpu,
        gpus=dep.tensor_parallel,
        precision=s.drafter_precision,
        kv_precision=dep.kv_precision,
        engine=dep.engine,
        non_expert_precision=dep.non_expert_precision if s.method == "mtp" else None,
        attention_dp=dep.attention_dp and own_layout,
    )
