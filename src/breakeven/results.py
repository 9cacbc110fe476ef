"""Result objects the faces render (JSON, tables). Sizes in bytes, times in seconds."""

from __future__ import annotations

import dataclasses
import typing
from typing import Literal

from pydantic import BaseModel, ConfigDict, computed_field, create_model

from breakeven.core.crossover import Crossing
from breakeven.core.performance import KernelTime
from breakeven.core.serving import Serving


class Result(BaseModel):
    model_config = ConfigDict(frozen=True)


class DeploymentResult(Result):
    """The deployment a result is for (ids as in the catalogs) and why its open choices were made."""

    model: str
    gpu: str
    gpus: int
    precision: str
    kv_precision: str
    engine: str
    attention_dp: bool
    checkpoint: str | None
    """The published checkpoint served (None: quantized on load, or none listed)."""
    kv_precision_reason: str
    attention_dp_reason: str
    nodes: int
    """Nodes the GPUs span (above one, collectives cross the scale-out network)."""
    prefill_gpus: int
    """GPUs of a separate prefill pool (0: prefill and decode share the GPUs)."""
    pipeline_stages: int
    """Pipeline stages the GPUs are split into (1: none)."""


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


class CalibrationUsed(BaseModel):
    """Which calibration a prediction used: the engine profile, its source and the points it was fitted on."""

    engine: str
    source: str
    confidence: Literal["firm", "est"]
    field: str | None = None
    """The scenario field it comes from (``candidates[2].staff.rate_per_hour``), where it is one."""
    fitted_on: list[str]


class SpeculationResult(Result):
    """Speculative decoding in a prediction: what drafts, how much it yields, and where it stops paying."""

    method: str
    draft_tokens: int
    acceptance: float
    """Per-position acceptance the prediction used (the point estimate of a range)."""
    acceptance_range: list[float] | None
    """[low, high] of an uncertain acceptance (a range, a distribution's stated ends, or the catalog's)."""
    acceptance_source: str
    tokens_per_step: float
    """Expected tokens one verification step yields: (1 - a^(k+1)) / (1 - a)."""
    speedup: float
    """Decode tokens/s per stream speculating over not, at the batch run (below 1 where it loses)."""
    speedup_range: list[float] | None
    """The speed-up at the low and high ends of the acceptance range."""
    active: bool
    """Whether the engine speculates at the batch run (an engine that can turns it off where it loses)."""
    stops_paying_above_batch: int | None
    """Largest batch at which speculation still pays (0: not even at one); null: it pays up to batch_limit."""
    batch_limit: int
    """The engine's batch limit, up to which the break-even batch was searched."""
    above_break_even: Literal["turned_off", "kept_on"]
    """What the engine does above that batch: turns speculation off, or keeps it and loses throughput."""
    decode_tokens_per_s_per_stream_without: float
    output_tokens_per_s_without: float
    """Total output tokens/s of the same deployment without speculation, at the concurrency asked."""
    verification_step_s: float
    """The model's step over k + 1 queries per sequence at the batch run."""
    drafting_s: float
    """Drafting per step at the batch run (0 for n-gram lookup)."""
    drafter: str
    drafter_weight_bytes: float
    """Weights the drafter adds to GPU memory, all GPUs together."""
    drafter_kv_bytes_per_token: float
    """KV cache the drafter adds per token of context, all GPUs together."""
    verification_kernels: list[KernelTime]
    drafting_kernels: list[KernelTime]
    """One drafter pass at the batch run (empty for n-gram lookup)."""


def _result_fields(cls) -> dict:
    """The fields of a core dataclass, for a result model that carries them (one definition)."""
    hints = typing.get_type_hints(cls)
    return {f.name: (hints[f.name], ...) for f in dataclasses.fields(cls)}


ServingResult = create_model(
    "ServingResult",
    __base__=DeploymentResult,
    __doc__="A deployment and how one replica of it serves (core.serving.Serving's fields).",
    **_result_fields(Serving),
)


class Prediction(ServingResult):
    """``predict``'s answer: the deployment, how it serves the request shape (ServingResult) and why."""

    input_tokens: int
    output_tokens: int
    cached_input_tokens: int
    concurrency: int | Literal["max"]
    weight_bytes_read_per_step: float
    kv_bytes_read_per_step: float
    calibration: CalibrationUsed
    step_kernels: list[KernelTime]
    """The decode step at the batch run as its kernels (on one GPU): term, time, bound."""
    prefill_kernels: list[KernelTime]
    """One prefill chunk of a new prompt riding a step with the other running decodes."""
    prefill_gpus_needed: int | None
    """Disaggregated: prefill GPUs (whole pools of prefill_gpus) that keep the decode pool fed."""
    speculative: SpeculationResult | None = None
    """Speculative decoding, where the deployment runs it."""


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
    cost_per_million_tokens: list[float | None]
    """None where the volume gives no tokens (a workload whose users send no requests)."""
    replicas: list[int] | None = None


class Alternative(BaseModel):
    """A hybrid plan at one replica count."""

    replicas: int
    monthly_cost: float
    overflow_share: float
    """Share of the tokens sent to the API."""


class HybridParts(BaseModel):
    """What a hybrid plan is made of and how its cost splits."""

    selfhost: str
    api: str
    schedule: Literal["always", "hours"]
    working_hours: str | None
    """``08-18, weekdays`` where the replicas run in working hours only."""
    billed_hours_per_replica: float
    """Hours a month each replica runs and is billed."""
    standby_replicas: int
    """Standby replicas the self-host candidate keeps beside the serving ones (with any replica)."""
    full_coverage_replicas: int | None
    """Replicas that would carry every hour they run without overflow (null: a replica carries nothing)."""
    selfhost_cost: float
    """The replicas, the self-host candidate's fixed costs and its redundancy, per month."""
    api_cost: float
    """The overflow sent to the API, per month."""
    cheaper_than_api_above: float | None
    """The volume above which replicas pay and the plan beats its API alone (null: never)."""


class TaskCost(BaseModel):
    """Costs per task (``workload.task``): per attempt, and per accepted task."""

    task: str
    tasks_per_month: float
    """Attempts a month: requests / requests per task."""
    cost_per_task: float | None
    success_rate: float
    on_failure: Literal["retry", "escalate"]
    cost_per_accepted_task: float | None
    """retry: cost per task / success rate (1 / s attempts per success); escalate: cost per task +
    (1 - s) x the escalation cost. Null where no task is ever accepted."""


class PeopleServed(BaseModel):
    """How many users of one kind one replica serves, and what each costs a month."""

    profile: str
    """An id in the user-profiles catalog (chat, agentic)."""
    name: str
    min_tokens_per_s_per_stream: float
    streams: int
    """Requests one replica runs at once while each stream gets the profile's speed."""
    users: float
    """streams / (duty cycle x streams per person), at the profile's point estimate."""
    users_range: list[float]
    """[low, high] over the ends of the profile's ranges (duty cycle, streams per person)."""
    cost_per_user_per_month: float | None
    """One replica's monthly cost (hardware, fixed costs, standby) over the users it serves."""
    cost_per_user_range: list[float | None]
    basis: Literal["model", "measured"]
    """model: the performance model's capacity; measured: the candidate's stated output tokens/s."""
    model_streams: int
    """Streams the performance model sustains at the profile's speed (0: not even one)."""
    model_tokens_per_s_per_stream: float
    """The performance model's per-stream speed at that batch (one stream where none meets the speed)."""
    notes: list[str] = []


class CapacityResult(DeploymentResult):
    """``breakeven capacity``: users of one kind one replica serves (``served``), and the GPU rent of a
    24/7 replica a month where a price was given."""

    served: PeopleServed
    gpu_rent_per_month: float | None
    currency: str | None


class RedundancyOption(BaseModel):
    """One way to live with failures, priced: its extra cost and the downtime it leaves, in expectation."""

    option: Literal["none", "standby", "api_failover", "api"]
    """api: an API candidate's own availability (its SLA)."""
    detail: str
    added_per_month: float
    """What the option adds to the monthly cost (a standby's price; the failover API's expected bill)."""
    availability: float
    """Expected share of the traffic served."""
    downtime_hours_per_month: float
    """Expected hours of lost service a month (partial outages count by the share of traffic lost)."""
    downtime_cost_per_month: float | None
    """At the scenario's cost of an hour of downtime; null where it gives none."""
    expected_total_per_month: float | None
    """added_per_month + downtime_cost_per_month."""
    declared: bool
    """The redundancy the candidate is priced with."""


class Energy(BaseModel):
    """Electricity of owned GPUs over their powered hours, and its emissions with a grid figure."""

    kwh_per_month: float
    kwh_per_million_tokens: float | None
    kwh_per_million_output_tokens: float | None
    grid_kg_co2e_per_kwh: float | None
    kg_co2e_per_month: float | None
    kg_co2e_per_million_tokens: float | None


class CandidateResult(BaseModel):
    name: str
    kind: Literal["api", "selfhost", "hybrid"]
    monthly_cost: float
    breakdown: dict[str, float]
    cost_per_million_tokens: float | None
    """Monthly cost over input + output tokens, per million."""
    cost_per_million_output_tokens: float | None
    replicas: int | None
    utilization: float | None
    """Served output tokens over what the billed replicas could produce (self-host only)."""
    service_level_met: bool | None
    """None where not modelled (APIs, and hybrids at 0 replicas)."""
    capacity: dict[str, float] | None = None
    notes: list[str] = []
    declared: bool = True
    """A candidate of the scenario (False: a plan breakeven added, in ``plans`` only)."""
    overflow_share: float | None = None
    """Hybrids: share of the tokens sent to the API at the optimum."""
    alternatives: list[Alternative] | None = None
    """Hybrids: the plan at every replica count tried, from 0 (the API alone) to full coverage."""
    hybrid: HybridParts | None = None
    cost_per_task: TaskCost | None = None
    people_served: list[PeopleServed] | None = None
    """Self-host candidates: users of each kind one replica serves."""
    redundancy: list[RedundancyOption] | None = None
    """Self-host candidates: no redundancy, a standby, API failover, priced; APIs: their SLA's downtime."""
    energy: Energy | None = None
    """Owned GPUs: electricity and, with a grid figure, emissions."""


# ------------------------------------------------------------------------------ uncertainty


class Percentiles(Result):
    """P10, P50 and P90 of a figure over the samples; null where that share of samples has no value
    (a break-even that self-hosting never reaches counts as beyond every volume)."""

    p10: float | None
    p50: float | None
    p90: float | None


class Interval(Result):
    """A 95% confidence interval on an estimated probability."""

    low: float
    high: float


class CandidateUncertainty(Result):
    name: str
    monthly_cost: Percentiles
    cost_per_million_tokens: Percentiles
    probability_cheapest: float
    """Share of samples in which it is the cheapest candidate meeting the service level."""
    probability_cheapest_interval: Interval
    service_level_met_share: float | None
    """Share of samples in which it meets the service level (self-host and hybrids)."""
    replicas: Percentiles | None = None
    """Hybrids: the best replica count over the samples."""
    overflow_share: Percentiles | None = None
    """Hybrids: the share of tokens sent to the API over the samples."""


class BreakEvenUncertainty(Result):
    api: str
    selfhost: str
    selfhost_cheaper_above: Percentiles
    probability_never: float
    """Share of samples in which self-hosting never stays cheaper."""


class TornadoBar(Result):
    """One input swung across its range (low to high) with every other input at its median."""

    input: str
    field: str
    """The scenario field path, or catalog:<kind>/<id>.<figure>."""
    unit: str
    input_low: float
    input_high: float
    low: float | None
    """Break-even (volume above which self-hosting stays cheaper) with the input at its low end; null: never."""
    high: float | None
    swing: float | None
    """|high - low|; null where one end never breaks even (the input decides whether it breaks even at all)."""
    flips: bool
    """Self-hosting breaks even at one end of the input's range and never at the other."""
    gap_low: float
    """Monthly cost of the pair's second candidate minus its first at the scenario's volume, input low."""
    gap_high: float
    gap_swing: float

    @computed_field
    @property
    def moves(self) -> bool:
        """Swinging the input moves the break-even or the cost gap at all (else it is only named)."""
        return self.flips or bool(self.swing) or bool(self.gap_swing)


class UncertainInput(Result):
    """An input the Monte Carlo draws, and how."""

    name: str
    field: str
    unit: str
    distribution: str
    low: float
    median: float
    high: float
    performance: bool
    """Feeds the capacity search (drawn performance_draws times, tiled over the samples)."""
    source: str
    confidence: Literal["firm", "est"]


class PerMillionBand(Result):
    """P10, P50 and P90 of a candidate's cost per million tokens at each volume of the curves; None
    where the volume gives no tokens."""

    p10: list[float | None]
    p50: list[float | None]
    p90: list[float | None]


class CurveBand(Result):
    """P10, P50 and P90 of a candidate's monthly cost at each volume of the curves, and of its cost per
    million tokens."""

    candidate: str
    volumes: list[float]
    p10: list[float]
    p50: list[float]
    p90: list[float]
    cost_per_million_tokens: PerMillionBand


class Share(Result):
    name: str
    share: float


class UncertaintyResult(Result):
    samples: int
    seed: int
    performance_draws: int
    """Distinct draws of the performance inputs (capacity searches per self-host candidate)."""
    est_spread: float
    candidates: list[CandidateUncertainty]
    break_even: list[BreakEvenUncertainty]
    probability_selfhost_cheapest: float | None
    """Share of samples in which a self-host candidate is the cheapest (null without one)."""
    probability_selfhost_cheapest_interval: Interval | None
    recommendations: list[Share]
    """How often each candidate is the recommendation, most often first."""
    summary: str
    tornado_pair: list[str]
    """The two candidates the tornado compares: [api or cheaper, self-host or other]."""
    tornado_break_even: float | None
    """The pair's break-even with every input at its median (the tornado's centre); null: never."""
    tornado_gap: float
    """The pair's monthly cost gap at the volume with every input at its median."""
    tornado: list[TornadoBar]
    inputs: list[UncertainInput]
    curves: list[CurveBand] = []


# ------------------------------------------------------------------------------ horizon


class HorizonCandidate(Result):
    """A candidate's cash out month by month (month 1 first), in the report currency."""

    name: str
    monthly_cost: list[float]
    cumulative_cost: list[float]
    discounted_cumulative_cost: list[float]
    terminal_value: float
    """What owned GPUs are still worth at the end (straight-line book value), discounted; 0 otherwise."""
    net_present_cost: float
    """Discounted costs less the discounted terminal value."""
    net_present_cost_percentiles: Percentiles | None = None
    discounted_cumulative_band: list[list[float]] | None = None
    """With uncertainty: [P10, P90] of the discounted cumulative cost at each month."""


class Payback(Result):
    """When buying GPUs pays back against an alternative: the first month from which the owned
    candidate's cumulative cost stays at or below the other's to the end of the horizon."""

    own: str
    against: str
    month: int | None
    """Null: not within the horizon."""
    discounted_month: int | None
    month_percentiles: Percentiles | None = None
    probability_within_horizon: float | None = None


class HorizonBreakEven(Result):
    """The break-even along time for one (API, self-host) pair."""

    api: str
    selfhost: str
    selfhost_cheaper_from_month: int | None
    """First month from which self-hosting's monthly cost stays below the API's (null: never in the horizon)."""
    cumulative_selfhost_cheaper_from_month: int | None
    """First month from which self-hosting's cumulative cost stays below the API's."""
    selfhost_cheaper_above: list[float | None]
    """The break-even volume at each month's prices (null: never that month)."""


class HorizonResult(Result):
    months: int
    discount_rate: float
    api_price_change_per_year: float
    gpu_rent_change_per_year: float
    demand_growth_per_month: float
    volume: list[float]
    """The volume in each month."""
    candidates: list[HorizonCandidate]
    payback: list[Payback]
    break_even: list[HorizonBreakEven]
    cheapest: str
    """The candidate with the lowest net present cost."""
    samples: int | None = None


class HybridCurve(Curve):
    """A hybrid plan's monthly cost at its best replica count (``replicas``) along the volume axis."""

    selfhost: str
    api: str
    schedule: Literal["always", "hours"]
    declared: bool


class HybridCrossing(BaseModel):
    volume: float
    direction: Literal["hybrid_cheaper_above", "hybrid_dearer_above"]


class HybridBreakEven(BaseModel):
    """Where a hybrid plan beats one of the pure candidates it is made of."""

    hybrid: str
    against: str
    crossings: list[HybridCrossing]
    hybrid_cheaper_above: float | None
    """The volume above which the hybrid stays cheaper (null: it does not, or it never costs more)."""
    never_dearer: bool
    """The hybrid never costs more at any volume (its API alone, or full coverage, is one of its plans)."""
    saving_at_volume: float
    """The pure candidate's monthly cost minus the hybrid's at the scenario's volume."""
    exact: bool
    """Exact; otherwise found on the curve grid (a tenth of the smallest to ten times the largest volume
    of interest) and refined by bisection."""
    reason: str


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
    uncertainty: UncertaintyResult | None = None
    """With ``evaluate --uncertainty``: the Monte Carlo, the probabilities and the tornado."""
    horizon: HorizonResult | None = None
    """With ``evaluate --horizon``: costs month by month, net present cost, payback."""
    plans: list[CandidateResult] = []
    """Every plan considered, cheapest first (those meeting the service level first): the candidates,
    and hybrids of every self-host candidate with every API, always on and in working hours."""
    best_plan: str | None = None
    hybrid_curves: list[HybridCurve] = []
    """With the curves: every hybrid plan's cost at its best replica count along the volume axis."""
    hybrid_break_even: list[HybridBreakEven] = []
