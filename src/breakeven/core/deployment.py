"""A deployment: model + precisions + GPU kind and count + engine profile."""

from __future__ import annotations

from dataclasses import dataclass

from breakeven.catalog.schema import EngineProfile, Gpu, Model
from breakeven.errors import InputError
from breakeven.precision import KV_BYTES, WEIGHT_BYTES


@dataclass(frozen=True)
class Deployment:
    """One replica: ``gpus`` GPUs of one kind serving one model with tensor parallelism."""

    model: Model
    gpu: Gpu
    gpus: int
    precision: str
    kv_precision: str
    engine: EngineProfile
    non_expert_precision: str | None = None
    attention_dp: bool = False
    """Data-parallel attention (SGLang --enable-dp-attention, vLLM DP+EP): each GPU keeps the KV cache
    of its own sequences and a full copy of the attention weights, instead of splitting heads."""

    def __post_init__(self) -> None:
        if self.gpus < 1:
            raise InputError("gpus", self.gpus, "a whole number of GPUs, at least 1")
        if self.precision not in WEIGHT_BYTES:
            raise InputError("precision", self.precision, f"one of {', '.join(WEIGHT_BYTES)}")
        if self.non_expert_precision is not None and self.non_expert_precision not in WEIGHT_BYTES:
            raise InputError("non_expert_precision", self.non_expert_precision, f"one of {', '.join(WEIGHT_BYTES)}")
        if self.kv_precision not in KV_BYTES:
            raise InputError("kv_precision", self.kv_precision, f"one of {', '.join(KV_BYTES)}")


def native_deployment(
    model: Model,
    gpu: Gpu,
    gpus: int,
    engine: EngineProfile,
    precision: str | None = None,
    kv_precision: str | None = None,
    attention_dp: bool = False,
) -> Deployment:
    """A deployment at the model's native precision unless one is given; KV cache in bf16 by default.

    Asking for the native precision keeps the native split (gpt-oss: mxfp4 experts, bf16 rest)."""
    chosen = precision or model.native_precision
    non_expert = model.native_non_expert_precision if chosen == model.native_precision else None
    return Deployment(
        model=model,
        gpu=gpu,
        gpus=gpus,
        precision=chosen,
        kv_precision=kv_precision or "bf16",
        engine=engine,
        non_expert_precision=non_expert,
        attention_dp=attention_dp,
    )
