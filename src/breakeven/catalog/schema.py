"""Strict models for the catalogs (GPUs, models, engine profiles).

Every catalog entry carries a default `provenance` (source, checked date, firm/est) that applies to
every figure in it; `figures` overrides that for single figures, keyed by their dotted path
(``attention.kv_lora_rank``). Unknown keys are rejected everywhere (``extra='forbid'``).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Confidence = Literal["firm", "est"]
PositiveInt = Annotated[int, Field(gt=0)]
PositiveFloat = Annotated[float, Field(gt=0)]
Fraction = Annotated[float, Field(gt=0, le=1)]
WeightPrecision = Literal["bf16", "fp16", "fp8", "int8", "int4", "awq", "gptq", "nvfp4", "mxfp4"]
KvPrecision = Literal["bf16", "fp16", "fp8"]


class Strict(BaseModel):
    """Base for every catalog model: frozen, unknown keys rejected."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Provenance(Strict):
    """Where a figure came from: a publication or URL, the date it was checked, firm or est."""

    source: str = Field(min_length=3)
    checked: dt.date
    confidence: Confidence
    as_of: dt.date | None = Field(
        None,
        description="The date the figure is for (a price list's date), where the source gives one; its age "
        "counts from here. A month or year alone is entered as its first day, the oldest the figure can be.",
    )
    note: str | None = None


class Sourced(Strict):
    """An entry whose figures carry provenance (a default plus per-figure overrides)."""

    provenance: Provenance
    figures: dict[str, Provenance] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _figures_name_real_fields(self) -> Sourced:
        for path in self.figures:
            if _resolve(self, path) is _MISSING:
                raise ValueError(f"figures: '{path}' names no field of this entry")
        return self

    def provenance_of(self, path: str) -> Provenance:
        """The provenance of one figure (its override if it has one, else the entry's)."""
        return self.figures.get(path, self.provenance)


_MISSING = object()


def _resolve(obj: object, path: str) -> object:
    for part in path.split("."):
        if isinstance(obj, BaseModel) and part in type(obj).model_fields:
            obj = getattr(obj, part)
        elif isinstance(obj, dict) and part in obj:
            obj = obj[part]
        elif isinstance(obj, list) and part.isascii() and part.isdigit() and int(part) < len(obj):
            obj = obj[int(part)]
        else:
            return _MISSING
    return obj


# --------------------------------------------------------------------------------------- GPUs


class DenseTflops(Strict):
    """Dense (never 2:4-sparse) tensor-core throughput, TFLOP/s, per precision of the inputs."""

    bf16: PositiveFloat
    fp16: PositiveFloat | None = None
    fp8: PositiveFloat | None = None
    int8: PositiveFloat | None = None
    fp4: PositiveFloat | None = None


class Interconnect(Strict):
    """GPU-to-GPU link inside a node. Bandwidth is per GPU, both directions added, as datasheets
    print it (H100 SXM NVLink 4: 900 GB/s)."""

    kind: Literal["nvlink", "infinity-fabric", "pcie"]
    generation: str
    bandwidth_gb_per_s: PositiveFloat


class ScaleOut(Strict):
    """The network between nodes, per GPU (HGX/DGX systems give each GPU its own NIC). Bandwidth has
    both directions added, as for the interconnect (a 400 Gb/s ConnectX-7 port: 100 GB/s)."""

    kind: Literal["infiniband", "roce", "ethernet"]
    bandwidth_gb_per_s: PositiveFloat
    latency_us: PositiveFloat = Field(description="One message's latency across the fabric (NIC to NIC), us")


class Gpu(Sourced):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9.\-]*$")
    name: str
    vendor: Literal["nvidia", "amd"]
    memory_gib: PositiveFloat = Field(description="Memory on the board, GiB (vendors' 'GB' for HBM/GDDR are binary)")
    bandwidth_tb_per_s: PositiveFloat = Field(description="Memory bandwidth, TB/s (1e12 B/s)")
    dense_tflops: DenseTflops
    board_power_w: PositiveFloat
    interconnect: Interconnect
    gpus_per_node: PositiveInt = Field(description="GPUs joined by the interconnect in one node (the NVLink domain)")
    scale_out: ScaleOut
    aliases: list[str] = Field(default_factory=list)


# ------------------------------------------------------------------------------------- models


class Attention(Strict):
    """Attention layout. ``gqa`` covers MHA (kv_heads == heads) and MQA (kv_heads == 1).

    MLA (DeepSeek-style) caches one latent of ``kv_lora_rank + qk_rope_head_dim`` per layer per token.
    ``local_layers`` of the ``layers`` use a sliding window (or chunked attention) of
    ``window_tokens``; the rest attend to the whole context, with ``global_kv_heads`` and
    ``global_head_dim`` where those differ (Gemma 4).
    """

    kind: Literal["gqa", "mla"]
    heads: PositiveInt
    kv_heads: PositiveInt
    head_dim: PositiveInt
    q_lora_rank: PositiveInt | None = None
    kv_lora_rank: PositiveInt | None = None
    qk_rope_head_dim: PositiveInt | None = None
    qk_nope_head_dim: PositiveInt | None = None
    v_head_dim: PositiveInt | None = None
    local_layers: Annotated[int, Field(ge=0)] = 0
    window_tokens: PositiveInt | None = None
    local_kind: Literal["sliding", "chunked"] | None = None
    global_kv_heads: PositiveInt | None = Field(
        None, description="KV heads of the full-attention layers, where they differ"
    )
    global_head_dim: PositiveInt | None = Field(
        None, description="Head dim of the full-attention layers, where it differs"
    )

    @model_validator(mode="after")
    def _consistent(self) -> Attention:
        if self.kind == "mla" and (self.kv_lora_rank is None or self.qk_rope_head_dim is None):
            raise ValueError("mla attention needs kv_lora_rank and qk_rope_head_dim")
        if self.kind == "gqa" and self.heads % self.kv_heads:
            raise ValueError(f"heads ({self.heads}) must be a multiple of kv_heads ({self.kv_heads})")
        if self.local_layers and self.window_tokens is None:
            raise ValueError("local_layers needs window_tokens")
        return self


class Moe(Strict):
    """Mixture-of-experts layout. Each expert is a gated MLP of ``3 * hidden * expert_intermediate``
    parameters; ``moe_layers`` of the model's layers route, the others are dense."""

    routed_experts: PositiveInt
    experts_per_token: PositiveInt
    shared_experts: Annotated[int, Field(ge=0)] = 0
    expert_intermediate_size: PositiveInt
    moe_layers: PositiveInt

    @model_validator(mode="after")
    def _k_within_e(self) -> Moe:
        if self.experts_per_token > self.routed_experts:
            raise ValueError("experts_per_token exceeds routed_experts")
        return self


class Checkpoint(Strict):
    """A published checkpoint: the weight format a deployment serves and the KV-cache scheme it
    ships, and (where the file total is known) ``size_gb``, decimal GB (1e9 B) of the weight files,
    which checks the weight-size arithmetic."""

    repo: str
    precision: WeightPrecision
    size_gb: PositiveFloat | None = Field(None, description="Weight files as published, decimal GB; None if unknown")
    kv_cache_precision: KvPrecision | None = Field(
        None,
        description="KV-cache scheme the checkpoint ships (e.g. ModelOpt kv_cache_quant_algo FP8); None: none, the "
        "engine's default applies",
    )
    non_expert_precision: WeightPrecision | None = Field(
        None, description="Precision of the non-expert weights where it differs (gpt-oss: bf16 beside mxfp4 experts)"
    )
    excludes_params_b: Annotated[float, Field(ge=0)] = Field(
        0.0, description="Params in the files that are not part of the served model (e.g. an MTP head), billions"
    )


class MtpLayers(Strict):
    """Multi-token-prediction (MTP) layers the checkpoint ships beside the model (DeepSeek-V3 technical
    report, sec. 2.2): each a decoder layer of the model's own kind (MoE in DeepSeek and GLM) with a
    projection joining a hidden state and the next token's embedding, sharing the model's embedding and
    output head. Engines run them as the draft of speculative decoding (vLLM, SGLang and TensorRT-LLM
    ``mtp``)."""

    layers: PositiveInt = Field(description="MTP layers in the checkpoint (config.json num_nextn_predict_layers)")
    params_b: PositiveFloat = Field(
        description="Parameters of the MTP layers, billions, not counting the embedding and output head they share "
        "with the model"
    )


class Model(Sourced):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9.\-]*$")
    name: str
    aliases: list[str] = Field(default_factory=list)
    hf_repo: str | None = None
    params_total_b: PositiveFloat = Field(description="Total parameters, billions")
    params_active_b: PositiveFloat = Field(description="Parameters used per token, billions")
    layers: PositiveInt
    hidden_size: PositiveInt
    intermediate_size: PositiveInt | None = Field(None, description="Dense FFN width (dense layers)")
    attention: Attention
    moe: Moe | None = None
    vocab_size: PositiveInt
    tie_word_embeddings: bool = False
    max_context_tokens: PositiveInt
    native_precision: WeightPrecision = "bf16"
    native_non_expert_precision: WeightPrecision | None = Field(
        None, description="Precision of attention/dense weights in the native checkpoint, where it differs"
    )
    checkpoints: list[Checkpoint] = Field(default_factory=list)
    mtp: MtpLayers | None = Field(None, description="MTP layers shipped with the model, usable as a speculative draft")

    @model_validator(mode="after")
    def _consistent(self) -> Model:
        if self.params_active_b > self.params_total_b:
            raise ValueError("params_active_b exceeds params_total_b")
        if self.moe is not None and self.moe.moe_layers > self.layers:
            raise ValueError("moe.moe_layers exceeds layers")
        if self.attention.local_layers > self.layers:
            raise ValueError("attention.local_layers exceeds layers")
        return self


# ------------------------------------------------------------------------------ engine profiles


class EngineProfile(Sourced):
    """Efficiencies and overheads of a serving engine, fitted to published measurements
    (docs/calibration.md); each is a term of the decode step in docs/performance-model.md.

    Efficiencies are fractions of the GPU datasheet figure reached in practice.
    """

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9.\-]*$")
    name: str
    weight_bandwidth_efficiency: Fraction = Field(
        description="Weight streaming (dense and experts), share of datasheet bandwidth"
    )
    kv_bandwidth_efficiency: Fraction = Field(description="Attention KV reads, share of datasheet bandwidth")
    gemm_efficiency_bf16: Fraction = Field(
        description="BF16/FP16 matmuls in serving (mixed prefill + decode), share of dense peak"
    )
    gemm_efficiency_fp8: Fraction = Field(
        description="FP8 matmuls in serving (mixed prefill + decode), share of dense FP8 peak"
    )
    gemm_efficiency_fp4: Fraction = Field(
        description="FP4 matmuls in serving (mixed prefill + decode), share of dense FP4 peak"
    )
    attention_compute_efficiency: Fraction = Field(
        description="Attention score and value flops, share of dense BF16 peak"
    )
    weight_only_dequant_efficiency: Fraction = Field(
        description="Weight streaming of a low-bit format the GPU has no tensor cores for (dequantized in the kernel: "
        "int4/int8 weight-only, MXFP4 on Hopper, FP8 on Ampere), as a share of the native weight streaming"
    )
    overhead_per_layer_us: Annotated[float, Field(ge=0)] = Field(
        description="Fixed time per layer per step (norms, activations, launches), us"
    )
    overhead_per_sequence_us: Annotated[float, Field(ge=0)] = Field(
        description="Time per decoding sequence per step on one rank (sampling, scheduling, detokenizing), us"
    )
    moe_gemm_relative_efficiency: Fraction = Field(
        description="Grouped expert matmuls' weight streaming as a share of a dense matmul's (many small GEMMs, "
        "each a separate weight read with its own tail; gathers of expert weights)"
    )
    moe_gemm_compute_relative_efficiency: Fraction = Field(
        description="Grouped expert matmuls' flops as a share of a dense matmul's (each expert's tokens padded to "
        "the kernel's tile, the busiest expert setting the pace under uneven routing)"
    )
    moe_layer_overhead_us: Annotated[float, Field(ge=0)] = Field(
        description="Fixed time per MoE layer per step (router, top-k, token permutation), us"
    )
    moe_expert_overhead_us: Annotated[float, Field(ge=0)] = Field(
        description="Time per active expert per MoE layer on one GPU (grouped-GEMM launch and tail), us"
    )
    moe_token_overhead_ns: Annotated[float, Field(ge=0)] = Field(
        description="Time per routed (token, expert) pair per MoE layer on one GPU (permutation, scatter and "
        "gather of the token's activations), ns"
    )
    allreduce_latency_us: Annotated[float, Field(ge=0)] = Field(description="All-reduce latency per log2(TP) step, us")
    all_to_all_latency_us: Annotated[float, Field(ge=0)] = Field(
        description="Expert-parallel dispatch or combine latency per MoE layer, us"
    )
    interconnect_efficiency: Fraction = Field(description="Share of the link bandwidth reached by collectives")
    prefill_chunk_tokens: Annotated[int, Field(gt=0)] = Field(
        description="Tokens one engine step takes (chunked-prefill budget, decode tokens included), per rank"
    )
    max_batch_sequences: PositiveInt = Field(description="Most sequences one engine runs at once by default, per rank")
    gpu_memory_utilization: Fraction = Field(description="Share of GPU memory the engine may use")
    runtime_reserve_gib: Annotated[float, Field(ge=0)] = Field(
        description="Memory per GPU held for activations, CUDA graphs and the runtime, GiB"
    )
    kv_cache_dtype_default: Literal["model", "checkpoint"] = Field(
        description="KV-cache dtype when none is asked for: the model's dtype, or the checkpoint's KV scheme if any"
    )
    attention_dp: bool = Field(
        description="Whether the engine serves attention data-parallel beside expert parallelism"
    )
    speculative_disable_by_batch: bool = Field(
        False,
        description="Whether the engine turns speculative decoding off above a batch size it is given (vLLM "
        "disable_by_batch_size, TensorRT-LLM max_concurrency); breakeven then takes it as set where speculation "
        "stops paying. Otherwise speculation runs at every batch and costs throughput beyond that batch",
    )


# ---------------------------------------------------------------------- speculative decoding

SpeculationKind = Literal["mtp", "eagle", "draft_model", "ngram"]
"""How draft tokens are made: the model's own MTP layers, an EAGLE head, a smaller model of the same
vocabulary, or n-gram lookup in the text so far (no model)."""


class SpeculationMethod(Sourced):
    """A way of drafting tokens for speculative decoding, with the per-position acceptance published runs
    show for it. Acceptance depends on the model, the draft and the text, so the range is est."""

    id: SpeculationKind
    name: str
    draft_tokens: PositiveInt = Field(description="Draft tokens per step (k) the engines use or recommend by default")
    acceptance: tuple[float, float] = Field(
        description="Per-position acceptance rate at draft_tokens, [low, high]: the chance a draft token is accepted "
        "when every draft token before it was"
    )
    draft_vocab_size: PositiveInt | None = Field(
        None, description="Rows of the draft's own output head where it has one smaller than the model's (EAGLE-3)"
    )

    @model_validator(mode="after")
    def _acceptance_is_a_share_range(self) -> SpeculationMethod:
        low, high = self.acceptance
        if not 0 <= low <= high <= 1:
            raise ValueError(f"acceptance must be [low, high] with 0 <= low <= high <= 1; got {list(self.acceptance)}")
        return self


# --------------------------------------------------------------------------- measurements

Metric = Literal["itl_ms", "mean_itl_ms", "ttft_ms", "output_tokens_per_s", "tokens_per_s_per_stream"]
"""itl_ms: median inter-token latency (the decode step); mean_itl_ms: the mean, prefill stalls included."""


class MeasuredRun(Strict):
    """The deployment and request shape a published measurement was taken on."""

    id: str
    engine: str
    model: str
    gpu: str
    gpus: PositiveInt
    precision: WeightPrecision
    kv_precision: KvPrecision | None = Field(None, description="As run; None: the deployment's default")
    attention_dp: bool | None = Field(None, description="As run; None: the deployment's default")
    prefill_gpus: Annotated[int, Field(ge=0)] = Field(0, description="GPUs of a separate prefill pool (0: none)")
    input_tokens: PositiveInt
    output_tokens: PositiveInt
    provenance: Provenance


class Measurement(MeasuredRun):
    """One measured figure of a deployment serving one request shape (for fitting or validation)."""

    use: Literal["fit", "validate", "reference"] = Field(
        description="fit: the engine profile is fitted to it; validate: held out; reference: shown beside the model "
        "but neither fitted nor counted, for the reason in its note"
    )
    max_batch: PositiveInt | None = Field(None, description="Running sequences the run allowed; None: engine default")
    cached_input_tokens: Annotated[int, Field(ge=0)] = 0
    concurrency: PositiveInt | Literal["max"] = Field(description="Requests in flight; 'max': as many as fit")
    metric: Metric
    value: PositiveFloat
    tolerance: Fraction = Field(
        0.30,
        description="Relative error the fitted profile is held to on this point when it is fitted to it "
        "(validation points are held to the group bounds in docs/calibration.md)",
    )


class SpeculativeMeasurement(MeasuredRun):
    """A published speed-up of speculative decoding: the same deployment and request shape measured with
    and without it (calibration/speculative.py predicts it with the same model ``predict`` uses)."""

    use: Literal["fit", "validate", "reference"] = Field(
        description="fit: the acceptance of its sweep is fitted to it (no acceptance was published); validate: held "
        "out; reference: shown beside the model, neither fitted nor counted, for the reason in its note"
    )
    concurrency: PositiveInt
    method: SpeculationKind
    draft_tokens: PositiveInt
    draft_model: str | None = None
    acceptance_length: Annotated[float, Field(ge=1)] | None = Field(
        None, description="Published tokens per verification step (accepted drafts + 1) at draft_tokens"
    )
    sweep: str | None = Field(
        None,
        description="Points that share one unpublished acceptance (one draft on one text), fitted on its fit points",
    )
    metric: Literal["decode_speedup", "output_speedup"] = Field(
        description="decode_speedup: decode tokens/s per stream with / without speculation; output_speedup: total "
        "output tokens/s with / without (prefill included)"
    )
    value: PositiveFloat

    @model_validator(mode="after")
    def _acceptance_known_or_fitted(self) -> SpeculativeMeasurement:
        if (self.acceptance_length is None) == (self.sweep is None):
            raise ValueError(f"{self.id}: give exactly one of acceptance_length (published) and sweep (fitted)")
        if self.acceptance_length is not None and self.acceptance_length > self.draft_tokens + 1:
            raise ValueError(f"{self.id}: acceptance_length exceeds draft_tokens + 1")
        return self
