"""Where a model's parameters are: embeddings, routed experts and the rest.

The routed-expert count comes from the architecture (experts x 3 x hidden x expert width per MoE
layer: gated MLPs with gate, up and down projections); everything else is the published total minus
the embeddings and experts, so the split always adds up to the published figure.
"""

from __future__ import annotations

from dataclasses import dataclass

from breakeven.catalog.schema import Model

BILLION = 1e9


@dataclass(frozen=True)
class ParamSplit:
    """Parameter counts (not billions) of one model."""

    embedding: float
    """Input embedding table; only the batch's rows are read per step."""
    lm_head: float
    """Output projection (0 when tied to the embedding, which is then read as the head)."""
    routed_experts: float
    """All routed experts of all MoE layers."""
    other: float
    """Attention, dense FFNs, shared experts, routers, norms: read in full every step."""
    experts_per_layer: int
    experts_per_token: int

    @property
    def total(self) -> float:
        return self.embedding + self.lm_head + self.routed_experts + self.other


def attention_params_per_layer(model: Model) -> float:
    """Projection weights of one attention layer (q, k, v, o; MLA: the low-rank factors)."""
    a, h = model.attention, model.hidden_size
    if a.kind == "gqa":
        return 2 * h * a.heads * a.head_dim + 2 * h * a.kv_heads * a.head_dim
    rope, nope = a.qk_rope_head_dim or 0, a.qk_nope_head_dim or 0
    v = a.v_head_dim or nope
    q = h * a.q_lora_rank + a.q_lora_rank * a.heads * (nope + rope) if a.q_lora_rank else h * a.heads * (nope + rope)
    kv = h * (a.kv_lora_rank + rope) + a.kv_lora_rank * a.heads * (nope + v)
    return q + kv + a.heads * v * h


def architecture_params(model: Model) -> float:
    """Parameters estimated from the architecture alone (norms and biases left out), to check a
    catalog entry against its published total."""
    h, moe = model.hidden_size, model.moe
    moe_layers = moe.moe_layers if moe else 0
    dense_layers = model.layers - moe_layers
    embed = model.vocab_size * h * (1 if model.tie_word_embeddings else 2)
    dense = dense_layers * 3 * h * (model.intermediate_size or 0)
    experts = 0.0
    if moe:
        experts = moe_layers * (
            (moe.routed_experts + moe.shared_experts) * 3 * h * moe.expert_intermediate_size + h * moe.routed_experts
        )
    return embed + model.layers * attention_params_per_layer(model) + dense + experts


def mtp_layer_params(model: Model) -> float:
    """Parameters of one MTP layer of the model (DeepSeek-V3 technical report, sec. 2.2): a decoder layer of
    its own kind (attention + MoE with router and shared experts, or a dense FFN) and the projection of
    2 x hidden -> hidden joining a hidden state and the next token's embedding; norms left out, the
    embedding and output head shared with the model."""
    h, moe = model.hidden_size, model.moe
    if moe:
        ffn = (moe.routed_experts + moe.shared_experts) * 3 * h * moe.expert_intermediate_size + moe.routed_experts * h
    else:
        ffn = 3 * h * (model.intermediate_size or 0)
    return attention_params_per_layer(model) + ffn + 2 * h * h


def param_split(model: Model) -> ParamSplit:
    """Split the published total into embedding, head, routed experts and the rest."""
    embedding = float(model.vocab_size * model.hidden_size)
    lm_head = 0.0 if model.tie_word_embeddings else embedding
    moe = model.moe
    routed = (
        float(moe.moe_layers * moe.routed_experts * 3 * model.hidden_size * moe.expert_intermediate_size)
        if moe
        else 0.0
    )
    total = model.params_total_b * BILLION
    other = max(total - embedding - lm_head - routed, 0.0)
    return ParamSplit(
        embedding=embedding,
        lm_head=lm_head,
        routed_experts=routed,
        other=other,
        experts_per_layer=moe.routed_experts if moe else 0,
        experts_per_token=moe.experts_per_token if moe else 0,
    )
