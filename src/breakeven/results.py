"""Result objects the faces render (JSON, tables). Sizes in bytes, times in seconds."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from breakeven.core.crossover import Crossing


class Result(BaseModel):
    model_config = ConfigDict(frozen=True)


class DeploymentResult(Result):
    """The deployment a result is for (ids as in the catalogs)."""

    model: str
    gpu: str
    gpus: int
    precision: str
    kv_precision: str
    engine: str
    attention_dp: bool


class SizeResult(DeploymentResult):
    context_tokens: int
    weights_bytes: float
    weights_bytes_per_gpu: float
    kv_bytes_per_token: float
    """All layers, a token inside every window; whole replica."""
    kv_bytes_per_token_per_gpu: float
    kv_bytes_per_sequence: float
    """One sequence of context_tokens, whole replica (local layers capped at their window)."""
    memory_bytes_per_gpu: float
    usable_bytes_per_gpu: float
    runtime_reserve_bytes_per_gpu: float
    kv_space_bytes_per_gpu: float
    kv_capacity_tokens: int
    max_sequences: int
    fits: bool
    min_gpus: int | None
    notes: list[str]


class Calibration(BaseModel):
    engine: str
    source: str
    confidence: Literal["firm", "est"]
    field: str | None = None
    """The scenario field it comes from (``candidates[2].staff.rate_per_hour``), where it is one."""
    fitted_on: list[str]


class Prediction(DeploymentResult):
    input_tokens: int
    output_tokens: int
    cached_input_tokens: int
    concurrency: int | Literal["max"]
    batch: int
    max_batch_fits: int
    bound: str
    step_time_s: float
    """Decode step = the median inter-token latency."""
    mean_itl_s: float
    """Mean inter-token latency, the other requests' prefills included."""
    decode_tokens_per_s_per_stream: float
    output_tokens_per_s: float
    ttft_s: float
    queue_s: float
    """Part of the TTFT spent waiting because more requests were offered than fit."""
    prefill_time_s: float
    weight_bytes_read_per_step: float
    kv_bytes_read_per_step: float
    service_level_met: bool | None
    calibration: Calibration


# ------------------------------------------------------------------------------ evaluation


class Assumption(BaseModel):
    """One value the evaluation used, with where it came from."""

    name: str
    value: str
    unit: str
    source: str
    confidence: Literal["firm", "est"]
    field: str | None = None
    """The scenario field it comes from (``candidates[2].staff.rate_per_hour``), where it is one."""


class BreakEvenResult(BaseModel):
    api: str
    selfhost: str
    axis: str
    """What the volume counts: monthly_active_users, requests_per_month or tokens_per_month."""
    crossings: list[Crossing]
    selfhost_cheaper_above: float | None
    reason: str


class Curve(BaseModel):
    candidate: str
    volumes: list[float]
    monthly_cost: list[float]
    cost_per_million_tokens: list[float]
    replicas: list[int] | None = None


class CandidateResult(BaseModel):
    name: str
    kind: Literal["api", "selfhost"]
    monthly_cost: float
    breakdown: dict[str, float]
    cost_per_million_tokens: float | None
    """Monthly cost over input + output tokens, per million."""
    cost_per_million_output_tokens: float | None
    replicas: int | None
    utilization: float | None
    """Served output tokens over what the billed replicas could produce (self-host only)."""
    service_level_met: bool | None
    """None where not modelled (APIs)."""
    capacity: dict[str, float] | None = None
    notes: list[str] = []


class Evaluation(BaseModel):
    name: str
    currency: str
    axis: str
    volume: float
    demand: dict[str, float]
    candidates: list[CandidateResult]
    break_even: list[BreakEvenResult]
    recommendation: str
    reasons: list[str]
    assumptions: list[Assumption]
    curves: list[Curve] = []
