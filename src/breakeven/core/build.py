"""The one constructor of a Deployment: the checkpoint, KV-cache dtype and attention layout chosen the
way a competent operator would, each with the reason it was chosen.

- **Checkpoint**: the catalog's published checkpoint at the asked weight precision (the model's
  native one when none is asked), which fixes the non-expert precision (gpt-oss: bf16 beside mxfp4
  experts) and the KV-cache scheme it ships. A precision no checkpoint has is quantized on load.
- **KV dtype**: as asked; else, for engines that follow the checkpoint (TensorRT-LLM's
  ``KvCacheConfig.dtype='auto'``), the checkpoint's KV scheme; else the model's dtype (vLLM's and
  SGLang's ``--kv-cache-dtype auto``).
- **Attention layout**: as asked; else data-parallel attention with expert parallelism where tensor
  parallelism would copy the KV cache onto every GPU (an MLA latent; fewer KV heads than GPUs in an
  MoE model) and the engine supports it, provided the replicated attention weights still fit.
- **Speculative decoding** (``speculation_for``): the drafter of the method asked (the model's MTP
  layers at the deployment's weight format, an EAGLE-3 head in bf16, or a draft model of the same
  vocabulary at its native format) and the per-position acceptance given.
"""

from __future__ import annotations

import dataclasses

from breakeven.catalog.schema import Checkpoint, EngineProfile, Gpu, Model, SpeculationKind
from breakeven.core.deployment import Deployment, Speculation
from breakeven.core.drafter import eagle_drafter, mtp_drafter
from breakeven.core.sizing import memory_budget
from breakeven.errors import InputError


def checkpoint_for(model: Model, precision: str | None) -> Checkpoint | None:
    """The first catalog checkpoint of the model at this precision (native when None)."""
    wanted = precision or model.native_precision
    return next((c for c in model.checkpoints if c.precision == wanted), None)


def _non_expert_precision(model: Model, precision: str, ckpt: Checkpoint | None) -> str | None:
    if ckpt is not None:
        return ckpt.non_expert_precision
    return model.native_non_expert_precision if precision == model.native_precision else None


def model_dtype(model: Model) -> str:
    """The dtype of the model's activations (and so of a KV cache left at 'auto'): fp16 for fp16
    checkpoints, else bf16."""
    return "fp16" if model.native_precision == "fp16" else "bf16"


def kv_choice(model: Model, engine: EngineProfile, ckpt: Checkpoint | None, asked: str | None) -> tuple[str, str]:
    """(KV dtype, why)."""
    if asked is not None:
        return asked, f"{asked}: asked for (--kv-precision / kv_precision)"
    scheme = ckpt.kv_cache_precision if ckpt is not None else None
    if scheme is not None and engine.kv_cache_dtype_default == "checkpoint":
        return scheme, (
            f"{scheme}: checkpoint {ckpt.repo} ships a {scheme.upper()} KV-cache scheme, which {engine.id} uses "
            "by default (kv cache dtype 'auto' follows the checkpoint)"
        )
    dtype = model_dtype(model)
    why = f"{dtype}: {engine.id}'s default kv cache dtype 'auto' keeps the model's dtype"
    if scheme is not None:
        why += f" (checkpoint {ckpt.repo} ships a {scheme.upper()} KV scheme; --kv-precision {scheme} uses it)"
    return dtype, why


def _copies_kv_under_tp(model: Model, gpus: int) -> str | None:
    a = model.attention
    if a.kind == "mla":
        return "tensor parallelism would copy the MLA latent cache onto every GPU"
    if model.moe is not None and a.kv_heads < gpus:
        return f"tensor parallelism would copy its {a.kv_heads} KV heads across {gpus} GPUs"
    return None


def attention_dp_choice(model: Model, gpus: int, engine: EngineProfile) -> tuple[bool, str]:
    """(data-parallel attention?, why) before the memory check."""
    if gpus == 1:
        return False, "one GPU: nothing to split"
    copies = _copies_kv_under_tp(model, gpus)
    if copies is None:
        return False, "tensor-parallel attention splits the KV cache without copies"
    if not engine.attention_dp:
        return False, f"{copies}, but {engine.id} has no data-parallel attention"
    return True, f"data-parallel attention with expert parallelism: {copies}"


def _draft_model(model: Model, draft: Model | None) -> Model:
    if draft is None:
        raise InputError(
            "speculative.draft_model", "(not given)", "a catalog model id (the draft_model method needs one)"
        )
    if draft.vocab_size != model.vocab_size:
        raise InputError(
            "speculative.draft_model",
            draft.id,
            f"a model with {model.id}'s vocabulary ({model.vocab_size:,} tokens); {draft.id} has {draft.vocab_size:,}",
        )
    if draft.params_total_b >= model.params_total_b:
        raise InputError("speculative.draft_model", draft.id, f"a model smaller than {model.id}")
    return draft


def speculation_for(
    model: Model,
    precision: str,
    method: SpeculationKind,
    draft_tokens: int,
    acceptance: float,
    draft_model: Model | None = None,
    draft_vocab_size: int | None = None,
) -> Speculation:
    """Speculative decoding on ``model`` served at weight format ``precision``: the drafter of the method
    (MTP layers at that format; an EAGLE-3 head of ``draft_vocab_size`` rows in bf16; the draft model at
    its native format; none for n-gram lookup)."""
    if draft_model is not None and method != "draft_model":
        raise InputError("speculative.draft_model", draft_model.id, "only with method draft_model")
    if method == "mtp":
        return Speculation(method, draft_tokens, acceptance, mtp_drafter(model), precision)
    if method == "eagle":
        return Speculation(method, draft_tokens, acceptance, eagle_drafter(model, draft_vocab_size), "bf16")
    if method == "draft_model":
        draft = _draft_model(model, draft_model)
        return Speculation(method, draft_tokens, acceptance, draft, draft.native_precision)
    return Speculation(method, draft_tokens, acceptance, None)


def build_deployment(
    model: Model,
    gpu: Gpu,
    gpus: int,
    engine: EngineProfile,
    precision: str | None = None,
    kv_precision: str | None = None,
    attention_dp: bool | None = None,
    prefill_gpus: int = 0,
    pipeline_stages: int = 1,
    speculative: Speculation | None = None,
) -> Deployment:
    """A deployment with every choice left open (None) made as described in the module docstring,
    running ``speculative`` decoding if given (``speculation_for`` makes one)."""
    chosen = precision or model.native_precision
    ckpt = checkpoint_for(model, chosen)
    kv, kv_why = kv_choice(model, engine, ckpt, kv_precision)
    if attention_dp is None and pipeline_stages > 1:
        dp, dp_why = False, "pipeline parallelism: attention is tensor-parallel within each stage"
    elif attention_dp is None:
        dp, dp_why = attention_dp_choice(model, gpus, engine)
    else:
        dp, dp_why = attention_dp, "asked for (attention_dp: " + ("true)" if attention_dp else "false)")
    dep = Deployment(
        model=model,
        gpu=gpu,
        gpus=gpus,
        precision=chosen,
        kv_precision=kv,
        engine=engine,
        non_expert_precision=_non_expert_precision(model, chosen, ckpt),
        attention_dp=dp,
        prefill_gpus=prefill_gpus,
        pipeline_stages=pipeline_stages,
        checkpoint=ckpt.repo if ckpt is not None else None,
        kv_reason=kv_why,
        attention_dp_reason=dp_why,
        speculative=speculative,
    )
    if attention_dp is None and dp and not memory_budget(dep).fits:
        tp = dataclasses.replace(dep, attention_dp=False)
        if memory_budget(tp).fits:
            why = "tensor-parallel attention: the attention weights copied to every GPU would not fit"
            return dataclasses.replace(tp, attention_dp_reason=why)
    return dep
