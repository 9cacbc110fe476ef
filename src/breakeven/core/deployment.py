"""A deployment: model + precisions + GPU kind and count + engine profile + how the work is laid out.

Build one with ``core.build.build_deployment`` (the one constructor every caller uses: predictions,
sizing, scenarios and the calibration fit), which picks the checkpoint, the KV-cache dtype and the
attention layout a competent operator would and says why.
"""

from __future__ import annotations

from dataclasses import dataclass

from breakeven import limits
from breakeven.catalog.schema import EngineProfile, Gpu, Model, SpeculationKind
from breakeven.errors import InputError
from breakeven.precision import KV_BYTES, WEIGHT_BYTES


@dataclass(frozen=True)
class Speculation:
    """Speculative decoding: each step drafts ``draft_tokens`` (k) tokens and the model verifies them in
    one pass; the first rejected draft ends the step (core/speculative.py has the arithmetic)."""

    method: SpeculationKind
    draft_tokens: int
    acceptance: float
    """Per-position acceptance rate: the chance a draft token is accepted given all before it were."""
    drafter: Model | None
    """What drafts, as a model of its own: the MTP layers, the EAGLE head or the draft model; None for
    n-gram lookup (no model)."""
    drafter_precision: str = "bf16"
    """Weight format of the drafter."""

    def __post_init__(self) -> None:
        if not (isinstance(self.draft_tokens, int) and limits.DRAFT_TOKENS.holds(self.draft_tokens, 1)):
            raise InputError(
                "speculative.draft_tokens", self.draft_tokens, f"a whole number {limits.DRAFT_TOKENS.allowed(1)}"
            )
        if not limits.SHARE.holds(self.acceptance):
            raise InputError("speculative.acceptance", self.acceptance, "a share between 0 and 1")
        if (self.drafter is None) != (self.method == "ngram"):
            raise InputError(
                "speculative.method", self.method, "n-gram lookup drafts without a model; every other method with one"
            )


@dataclass(frozen=True)
class Deployment:
    """One replica: ``gpus`` GPUs of one kind serving one model (the decode pool when ``prefill_gpus``
    > 0 gives prefill its own pool)."""

    model: Model
    gpu: Gpu
    gpus: int
    precision: str
    kv_precision: str
    engine: EngineProfile
    non_expert_precision: str | None = None
    attention_dp: bool = False
    """Data-parallel attention with expert-parallel MoE layers (SGLang --enable-dp-attention, vLLM
    DP+EP, TensorRT-LLM enable_attention_dp): each GPU keeps the KV cache of its own sequences and a
    full copy of the attention weights; routed tokens move to their experts' GPUs (all-to-all)."""
    prefill_gpus: int = 0
    """GPUs of a separate prefill pool (prefill/decode disaggregation); 0: prefill shares the GPUs."""
    pipeline_stages: int = 1
    """Pipeline parallelism: the layers split into this many stages of gpus / stages GPUs each
    (tensor parallel within a stage), micro-batches in flight on every stage."""
    checkpoint: str | None = None
    """The published checkpoint served (catalog repo), if the catalog lists one at this precision."""
    kv_reason: str = "given"
    """Why the KV cache has this dtype (shown by predict and in the assumptions)."""
    attention_dp_reason: str = "given"
    """Why attention is data-parallel or not."""
    speculative: Speculation | None = None
    """Speculative decoding, if the deployment runs it."""

    def __post_init__(self) -> None:
        if self.gpus < 1:
            raise InputError("gpus", self.gpus, "a whole number of GPUs, at least 1")
        if self.prefill_gpus < 0:
            raise InputError("prefill_gpus", self.prefill_gpus, "0 (no separate prefill pool) or more GPUs")
        if self.precision not in WEIGHT_BYTES:
            raise InputError("precision", self.precision, f"one of {', '.join(WEIGHT_BYTES)}")
        if self.non_expert_precision is not None and self.non_expert_precision not in WEIGHT_BYTES:
            raise InputError("non_expert_precision", self.non_expert_precision, f"one of {', '.join(WEIGHT_BYTES)}")
        if self.kv_precision not in KV_BYTES:
            raise InputError("kv_precision", self.kv_precision, f"one of {', '.join(KV_BYTES)}")
        if self.pipeline_stages < 1 or self.gpus % self.pipeline_stages:
            raise InputError("pipeline_stages", self.pipeline_stages, f"a whole number dividing gpus ({self.gpus})")
        if self.pipeline_stages > 1 and self.attention_dp:
            raise InputError(
                "attention_dp", True, "false with pipeline parallelism (attention is tensor-parallel per stage)"
            )

    @property
    def nodes(self) -> int:
        """Nodes the decode pool spans (the GPU catalog's NVLink domain size per node)."""
        return -(-self.gpus // self.gpu.gpus_per_node)

    @property
    def tensor_parallel(self) -> int:
        """GPUs of one pipeline stage (all of them without pipeline parallelism)."""
        return self.gpus // self.pipeline_stages

    @property
    def expert_parallel(self) -> bool:
        """Experts placed whole on GPUs (E / gpus each) rather than split across them: MoE models
        served with data-parallel attention."""
        return self.attention_dp and self.model.moe is not None and self.gpus > 1
