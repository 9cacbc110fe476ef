"""The scenario file, as strict pydantic models (unknown keys rejected). Any number may be a range
``[low, high]`` (uniform on it) or a distribution (``{dist: triangular, low, mode, high}``, see
``breakeven.amounts``); the point estimate is its median. Every figure is bounded (breakeven.limits).
Money is in the scenario's report ``currency`` unless a block names its own ``currency``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, Union

from pydantic import AfterValidator, Field, model_validator

from breakeven import limits
from breakeven.amounts import Amount, Distribution, Money, Share, amount
from breakeven.catalog.offers import Currency
from breakeven.catalog.schema import KvPrecision, Strict, WeightPrecision
from breakeven.core.demand import DAYS_PER_MONTH
from breakeven.limits import Limit
from breakeven.speculation import SpeculativeOption

NonNeg = Annotated[float, Field(ge=0, le=limits.FIGURE.high)]
Name = Annotated[str, Field(min_length=1, max_length=limits.NAME_CHARS)]
"""An id or a name (catalog ids, offers, providers, engines)."""
FilePath = Annotated[str, Field(min_length=1, max_length=limits.PATH_CHARS)]
Users_ = amount(0.0, limits.USERS)
Requests = amount(0.0, limits.REQUESTS_PER_MONTH)
Tokens = amount(0.0, limits.TOKENS_PER_MONTH)
RequestTokens = amount(1.0, limits.TOKENS_PER_REQUEST)
Years = amount(0.25, Limit(20, "years", "no accelerator is depreciated over longer"))
Pue = amount(1.0, Limit(3, "", "the least efficient data centres run at about 2.5"))
Watts = amount(0.0, Limit(1e5, "W per GPU", "a hundred times the 1 kW a B200 draws"))
Months = amount(1.0, Limit(1200, "months", "a century"))


def _max_of(value) -> float:
    """The high end of a figure: a range's high, a distribution's stated high, or the number."""
    if isinstance(value, Distribution):
        return value.high
    return max(value) if isinstance(value, tuple) else value


PROFILE_SLOTS = (24, 168)
"""Weights an hourly profile may have: one per hour of the day, or one per hour of the week."""


def _some_traffic(weights: list[float]) -> list[float]:
    if len(weights) not in PROFILE_SLOTS:
        raise ValueError(
            f"hourly_profile needs 24 weights (hours of the day) or 168 (hours of the week, Monday 00:00 "
            f"first); got {len(weights)}"
        )
    if sum(weights) <= 0:
        raise ValueError("hourly_profile weights must not all be zero")
    return weights


HourlyProfile = Union[
    Literal["flat", "business_hours"],
    Annotated[
        list[NonNeg],
        Field(
            min_length=24,
            max_length=168,
            description="24 weights, one per hour of the day, or 168, one per hour of the week (Monday 00:00 first)",
        ),
        AfterValidator(_some_traffic),
    ],
]
"""'flat', 'business_hours', 24 weights (hours of the day) or 168 (hours of the week, Monday 00:00
first), not all zero."""


class Users(Strict):
    """Users mode: demand from people (publication [B]'s calculator). Requests per user are given per
    month, or per day of use as [B] counts them (``requests_per_user_per_day`` x ``active_days_per_month``)."""

    monthly_active: Users_
    requests_per_user: amount(0.0, limits.REQUESTS_PER_USER) | None = Field(
        None, description="Requests per user per month"
    )
    requests_per_user_per_day: amount(0.0, limits.REQUESTS_PER_USER) | None = Field(
        None, description="Requests per user per day of use ([B]'s turns per day), instead of requests_per_user"
    )
    active_days_per_month: amount(0.0, Limit(31, "days", "a month has at most 31 days")) = Field(
        DAYS_PER_MONTH, description="Days a month users use it, with requests_per_user_per_day (default: every day)"
    )
    peak_online_share: Share = Field(description="Share of monthly users online at the peak")
    duty_cycle: Share = Field(description="Share of an online user's time with a request in flight")
    hourly_profile: HourlyProfile = Field(
        "flat",
        description="The shape of the day (or week) below the peak, for hybrid plans: requests in flight at hour h "
        "are the peak's x w_h / max(w)",
    )

    @model_validator(mode="after")
    def _one_rate(self) -> Users:
        if (self.requests_per_user is None) == (self.requests_per_user_per_day is None):
            raise ValueError("users needs exactly one of requests_per_user, requests_per_user_per_day")
        return self

    def most_requests_per_user(self) -> float:
        """Requests per user per month at the high end of the ranges given."""
        if self.requests_per_user is not None:
            return _max_of(self.requests_per_user)
        return _max_of(self.requests_per_user_per_day) * _max_of(self.active_days_per_month)


class Traffic(Strict):
    requests_per_month: Requests
    hourly_profile: HourlyProfile = "flat"


class TokensPerMonth(Strict):
    input: Tokens = Field(description="Input tokens per month, cached ones included")
    output: Tokens
    cached_input: Tokens = 0.0
    hourly_profile: HourlyProfile = "flat"


class Request(Strict):
    input_tokens: RequestTokens
    output_tokens: RequestTokens
    cached_input_share: Share = Field(0.0, description="Share of input tokens that are a repeated prefix")
    cache_write_share: Share = Field(0.0, description="Share of input tokens billed as cache writes by APIs")


class StatedServiceLevel(Strict):
    """The service level the scenario asks of every stream (figures may be ranges)."""

    min_tokens_per_s_per_stream: amount(0.0, limits.TOKENS_PER_S) | None = None
    max_ttft_s: amount(0.0, limits.SECONDS) | None = None


class Task(Strict):
    """A unit of work made of requests (a ticket, a document), to count costs per task. A task that
    fails (see each candidate's ``success_rate``) is retried until it succeeds, or escalated to a
    person at ``escalation_cost``."""

    name: Name = Field(description="What a task is called (ticket, document, review)")
    requests_per_task: amount(1.0, limits.REQUESTS_PER_USER) = Field(description="Requests one attempt at a task makes")
    on_failure: Literal["retry", "escalate"] = Field(
        "retry", description="retry: a failed task is attempted again; escalate: a person finishes it"
    )
    escalation_cost: Money | None = Field(None, description="Cost of a person finishing a failed task, report currency")

    @model_validator(mode="after")
    def _escalation_priced(self) -> Task:
        if (self.on_failure == "escalate") != (self.escalation_cost is not None):
            raise ValueError("escalation_cost is given with on_failure: escalate, and only with it")
        return self


class Workload(Strict):
    users: Users | None = None
    traffic: Traffic | None = None
    tokens_per_month: TokensPerMonth | None = None
    request: Request
    service_level: StatedServiceLevel = StatedServiceLevel()
    task: Task | None = Field(None, description="Count costs per task as well (and per accepted task)")

    @model_validator(mode="after")
    def _one_mode(self) -> Workload:
        given = [m for m in ("users", "traffic", "tokens_per_month") if getattr(self, m) is not None]
        if len(given) != 1:
            raise ValueError(f"give exactly one of users, traffic, tokens_per_month (got {given or 'none'})")
        return self

    @model_validator(mode="after")
    def _world_holds(self) -> Workload:
        """The tokens a month the workload implies (at the high end of its ranges) stay within
        limits.TOKENS_PER_MONTH: each factor may be in bounds while their product is not."""
        per_request = _max_of(self.request.input_tokens) + _max_of(self.request.output_tokens)
        if self.users:
            what = "monthly_active x requests_per_user x tokens per request"
            tokens = _max_of(self.users.monthly_active) * self.users.most_requests_per_user() * per_request
        elif self.traffic:
            what = "requests_per_month x tokens per request"
            tokens = _max_of(self.traffic.requests_per_month) * per_request
        else:
            what = "input + output"
            tokens = _max_of(self.tokens_per_month.input) + _max_of(self.tokens_per_month.output)
        if tokens > limits.TOKENS_PER_MONTH.high:
            raise ValueError(f"{what} is {tokens:.3g} tokens/month; {limits.TOKENS_PER_MONTH.allowed()}")
        return self

    @property
    def mode(self) -> str:
        return "users" if self.users else "traffic" if self.traffic else "tokens"


# ----------------------------------------------------------------------------- candidates


class StatedApiPrices(Strict):
    """Per-million-token prices the scenario states for an API candidate, in their own currency."""

    input_per_m: Money
    output_per_m: Money
    cached_input_per_m: Money | None = Field(None, description="null: no prompt caching, repeats bill as input")
    cache_write_per_m: Money | None = None
    currency: Currency | None = None


SuccessRate = Annotated[
    Share | None,
    Field(
        description="Share of tasks this candidate completes acceptably (your own evals); needs workload.task. "
        "Default 1"
    ),
]


class ApiCandidate(Strict):
    name: str = Field(min_length=1, max_length=120)
    kind: Literal["api"]
    success_rate: SuccessRate = None
    provider: Name | None = None
    model: Name | None = None
    offer: Name | None = Field(None, description="An id in the api-offers catalog")
    prices: StatedApiPrices | None = None

    @model_validator(mode="after")
    def _priced(self) -> ApiCandidate:
        if self.prices is None and self.offer is None and not (self.provider and self.model):
            raise ValueError("an api candidate needs prices, an offer id, or provider and model")
        return self


class RentPricing(Strict):
    kind: Literal["rent"]
    price_per_gpu_hour: Money | None = None
    price_per_replica_hour: Money | None = Field(
        None, description="Price of one replica's GPUs together per hour (a whole node, as [B] prices it)"
    )
    offer: Name | None = Field(None, description="An id in the gpu-rent catalog")
    currency: Currency | None = None

    @model_validator(mode="after")
    def _one(self) -> RentPricing:
        given = [self.price_per_gpu_hour, self.price_per_replica_hour, self.offer]
        if sum(v is not None for v in given) != 1:
            raise ValueError("rent pricing needs exactly one of price_per_gpu_hour, price_per_replica_hour, offer")
        return self


class OwnPricing(Strict):
    kind: Literal["own"]
    offer: Name | None = Field(None, description="An id in the gpu-own catalog")
    purchase_price_per_gpu: Money | None = None
    currency: Currency | None = None
    depreciation_years: Years = 4.0
    residual_value_share: Share = Field(0.1, description="Resale value at the end, share of the purchase price")
    cost_of_capital: Share = Field(0.08, description="Annual rate on the capital tied up")
    power_w_per_gpu: Watts | None = Field(None, description="Average draw per GPU incl. its share of the host, W")
    pue: Pue = 1.3
    electricity_per_kwh: Money = 0.2
    rack_per_month: Money = Field(0.0, description="Rack / colocation per replica per month, report currency")
    grid_kg_co2e_per_kwh: amount(0.0, Limit(5, "kg CO2e/kWh", "over 4 times the dirtiest grid, lignite at ~1.1")) | (
        None
    ) = Field(None, description="Emissions of the electricity, kg CO2e per kWh (for the energy figures)")
    grid: Name | None = Field(None, description="An id in the grid-intensity catalog, instead of grid_kg_co2e_per_kwh")

    @model_validator(mode="after")
    def _one(self) -> OwnPricing:
        if (self.purchase_price_per_gpu is None) == (self.offer is None):
            raise ValueError("own pricing needs exactly one of purchase_price_per_gpu, offer")
        if self.grid is not None and self.grid_kg_co2e_per_kwh is not None:
            raise ValueError("own pricing takes at most one of grid_kg_co2e_per_kwh, grid")
        return self


class AlwaysOn(Strict):
    kind: Literal["always"]


class Hours(Strict):
    kind: Literal["hours"]
    hours_per_month: amount(1.0, Limit(744, "h/month", "the longest month has 31 x 24 hours"))


class Staff(Strict):
    hours_per_month: Amount | None = None
    rate_per_hour: Money | None = None
    fte: Amount | None = None
    loaded_salary_per_year: Money | None = None

    @model_validator(mode="after")
    def _one_way(self) -> Staff:
        hourly = self.hours_per_month is not None and self.rate_per_hour is not None
        yearly = self.fte is not None and self.loaded_salary_per_year is not None
        if hourly == yearly:
            raise ValueError("staff needs hours_per_month with rate_per_hour, or fte with loaded_salary_per_year")
        return self


class ProductionLayer(Strict):
    one_off: Money = 0.0
    amortize_months: Months = 12.0
    per_month: Money = 0.0


class NoRedundancy(Strict):
    kind: Literal["none"]


class Standby(Strict):
    kind: Literal["standby"]
    replicas: Annotated[int, Field(ge=1, le=limits.STANDBY_REPLICAS.high)] = 1


class ApiFailover(Strict):
    kind: Literal["api_failover"]
    api: Name = Field(description="Name of an api candidate that takes the traffic while self-hosting is down")
    downtime_share: Share = Field(0.01, description="Share of the month the self-hosted service is down")


class CapacityOverride(Strict):
    """Overrides of the performance model, e.g. from a benchmark of the node."""

    concurrency_per_replica: Annotated[int, Field(ge=1, le=limits.CONCURRENCY.high)] | None = None
    output_tokens_per_s_per_replica: amount(0.0, limits.TOKENS_PER_S) | None = Field(
        None, description="Measured output tokens/s of one replica at that concurrency (above 0; may be a range)"
    )
    concurrency_at_input_tokens: Annotated[float, Field(gt=0, le=limits.TOKENS_PER_REQUEST.high)] | None = Field(
        None,
        description="Input tokens per request at which concurrency_per_replica holds; the concurrency then "
        "scales inversely with the workload's input tokens ([B]: in-flight x 50,000 / context)",
    )

    @model_validator(mode="after")
    def _scaled(self) -> CapacityOverride:
        if self.concurrency_at_input_tokens is not None and self.concurrency_per_replica is None:
            raise ValueError("concurrency_at_input_tokens needs concurrency_per_replica")
        rate = self.output_tokens_per_s_per_replica
        if rate is not None:
            low = rate.low if isinstance(rate, Distribution) else min(rate) if isinstance(rate, tuple) else rate
            if low <= 0:
                raise ValueError(f"output_tokens_per_s_per_replica must be above 0; got {low}")
        return self


class SelfHostCandidate(Strict):
    name: str = Field(min_length=1, max_length=120)
    kind: Literal["selfhost"]
    success_rate: SuccessRate = None
    model: FilePath = Field(description="A model catalog id, or a Hugging Face config.json path (not on the web API)")
    gpu: Name
    gpus_per_replica: Annotated[int, Field(ge=1, le=limits.GPUS_PER_REPLICA.high)]
    precision: WeightPrecision | None = None
    kv_precision: KvPrecision | None = None
    engine: Name = "vllm"
    calibration: FilePath | None = Field(
        None,
        description="A calibration file from `breakeven calibrate --out` "
        "(path relative to the scenario file); replaces the engine's bundled profile",
    )
    attention_dp: bool | None = Field(
        None,
        description="Data-parallel attention with expert parallelism: true, false, or left out to let breakeven "
        "choose as an operator would (on for MLA and MoE models whose KV cache tensor parallelism would copy, "
        "where the engine supports it)",
    )
    pricing: Annotated[Union[RentPricing, OwnPricing], Field(discriminator="kind")]
    schedule: Annotated[Union[AlwaysOn, Hours], Field(discriminator="kind")] = AlwaysOn(kind="always")
    staff: Staff | None = None
    production_layer: ProductionLayer | None = None
    storage_network_per_month: Money = 0.0
    redundancy: Annotated[Union[NoRedundancy, Standby, ApiFailover], Field(discriminator="kind")] = NoRedundancy(
        kind="none"
    )
    capacity: CapacityOverride = CapacityOverride()
    speculative: SpeculativeOption | None = Field(
        None,
        description="Speculative decoding (method mtp|eagle|draft_model|ngram, draft_tokens, acceptance, draft_model); "
        "an acceptance range is drawn by the Monte Carlo like any uncertain input",
    )


class WorkingHours(Strict):
    """When a scheduled hybrid's replicas run, in the time zone of the hourly profile."""

    start_hour: Annotated[int, Field(ge=0, le=23)] = Field(8, description="First hour the replicas run (0-23)")
    end_hour: Annotated[int, Field(ge=1, le=24)] = Field(
        18,
        description="Hour they stop (1-24); before start_hour, the shift runs overnight into the next day "
        "(22 to 6: 22:00 to 06:00)",
    )
    days: Literal["weekdays", "every_day"] = Field(
        "weekdays", description="weekdays: shifts that start Monday to Friday (a Friday night shift ends on Saturday)"
    )

    @model_validator(mode="after")
    def _not_empty(self) -> WorkingHours:
        if self.end_hour % 24 == self.start_hour:
            raise ValueError(
                f"end_hour ({self.end_hour}) equals start_hour ({self.start_hour}): a shift of no hours, or of all "
                "24 (for those, schedule: always)"
            )
        return self

    @property
    def overnight(self) -> bool:
        """Whether the shift runs past midnight into the next day."""
        return self.end_hour < self.start_hour

    @property
    def hours_per_shift(self) -> int:
        return (self.end_hour - self.start_hour) % 24


class HybridCandidate(Strict):
    """Self-hosted replicas for the base load, an API for what overflows them hour by hour: breakeven
    finds the replica count that costs least. With 0 replicas it is exactly its API; with replicas it
    carries the self-host candidate's fixed costs and redundancy, over the hybrid's schedule."""

    name: str = Field(min_length=1, max_length=120)
    kind: Literal["hybrid"]
    selfhost: Name = Field(description="Name of the selfhost candidate whose replicas carry the base load")
    api: Name = Field(description="Name of the api candidate that takes the overflow")
    schedule: Literal["always", "hours"] = Field(
        "always", description="always: replicas run 24/7; hours: only in working_hours, the API takes the rest"
    )
    working_hours: WorkingHours | None = Field(None, description="With schedule: hours (default 08-18, weekdays)")
    success_rate: SuccessRate = None

    @model_validator(mode="after")
    def _hours_with_schedule(self) -> HybridCandidate:
        if self.working_hours is not None and self.schedule != "hours":
            raise ValueError("working_hours is given with schedule: hours, and only with it")
        return self


Candidate = Annotated[Union[ApiCandidate, SelfHostCandidate, HybridCandidate], Field(discriminator="kind")]


class Availability(Strict):
    """Availability figures for pricing redundancy: a single self-hosted replica's, the APIs', and what
    an hour of downtime costs. Left out, the first two come from the availability catalog ([E]: a
    single region without failover 99.0-99.5%, an API's standard tier 99.9%)."""

    node: Share | None = Field(None, description="Share of the time one self-hosted replica is up")
    node_figure: Name | None = Field(None, description="An id in the availability catalog, instead of node")
    api: Share | None = Field(None, description="Share of the time an API is up (its SLA)")
    api_figure: Name | None = Field(None, description="An id in the availability catalog, instead of api")
    downtime_cost_per_hour: Money | None = Field(None, description="What an hour of downtime costs the business")
    downtime_cost_figure: Name | None = Field(
        None, description="An id in the downtime-costs catalog, instead of downtime_cost_per_hour"
    )
    currency: Currency | None = Field(None, description="Currency of downtime_cost_per_hour (default: the report's)")

    @model_validator(mode="after")
    def _one_each(self) -> Availability:
        for given, figure in (("node", "node_figure"), ("api", "api_figure")):
            if getattr(self, given) is not None and getattr(self, figure) is not None:
                raise ValueError(f"availability takes at most one of {given}, {figure}")
        if self.downtime_cost_per_hour is not None and self.downtime_cost_figure is not None:
            raise ValueError("availability takes at most one of downtime_cost_per_hour, downtime_cost_figure")
        return self


MAX_HORIZON_MONTHS = 240
"""Longest horizon accepted: 20 years of months (longer than any GPU is kept in service)."""
Change = amount(-0.99, Limit(10, "a year or a month", "a change of -99% to +1,000%"))
"""A relative change per year or per month: -0.3 is 30% down, 0.05 is 5% up."""


class Horizon(Strict):
    """Costs month by month over a period, with prices and demand that move: yearly changes compound
    monthly, demand grows by a share each month, and costs are discounted at ``discount_rate`` a year."""

    months: Annotated[int, Field(ge=1, le=MAX_HORIZON_MONTHS)] = 48
    api_price_change_per_year: Change | None = Field(
        None,
        description="Yearly change of API prices (-0.3: 30% cheaper each year); unset: the price library's "
        "trend for the model family where it has one, else no change",
    )
    gpu_rent_change_per_year: Change = Field(
        0.0, description="Yearly change of GPU rent, and of the price of GPUs bought later in the horizon"
    )
    demand_growth_per_month: Change = Field(0.0, description="Monthly growth of the volume (0.05: +5%)")
    discount_rate: Share = Field(0.08, description="Yearly rate future costs are discounted at")


class UncertaintySettings(Strict):
    """How catalog figures marked est are sampled (ranges and distributions carry their own spread)."""

    est_spread: float = Field(
        0.2, ge=0, lt=1, description="Catalog figures marked est are drawn uniformly within this share of the figure"
    )


FX_RATE_MAX = 1e9
"""Largest FX rate, report-currency units per unit: a billion (the widest spread between two currencies
in use, e.g. the Iranian rial against the Kuwaiti dinar, is under 1e6)."""


class FxEntry(Strict):
    rate: Annotated[float, Field(gt=0, le=FX_RATE_MAX)]
    date: dt.date
    source: str | None = Field(None, max_length=limits.TEXT_CHARS)


DEFAULT_SOURCES: dict[tuple[str, str], str] = {
    ("Request", "cached_input_share"): "breakeven default: no repeated prefix",
    ("Request", "cache_write_share"): "breakeven default: no cache writes billed",
    ("OwnPricing", "depreciation_years"): "breakeven default (est): 4-year straight line, the short end of the "
    "4-6 years accelerator fleets are depreciated over",
    ("OwnPricing", "residual_value_share"): "breakeven default (est): a tenth of the price back at the end",
    ("OwnPricing", "cost_of_capital"): "breakeven default (est): 8% a year on the capital tied up",
    ("OwnPricing", "pue"): "breakeven default (est): a modern colocation facility",
    ("OwnPricing", "electricity_per_kwh"): "breakeven default (est): [A] prices power at EUR 0.20/kWh; taken as 0.20 "
    "in the report currency",
    ("OwnPricing", "rack_per_month"): "breakeven default: no rack or colocation charge",
    (
        "ProductionLayer",
        "amortize_months",
    ): "[A] 'GLM-5.2 for a dev team' (2026): one-off work amortized over 12 months",
    ("ProductionLayer", "per_month"): "breakeven default: no running cost beyond the one-off",
    ("Users", "active_days_per_month"): "breakeven default: every day of the average month (365 / 12 days)",
    ("Horizon", "months"): "breakeven default: 48 months, the default 4-year life of owned GPUs",
    ("Horizon", "gpu_rent_change_per_year"): "breakeven default (est): GPU rent held at today's price",
    ("Horizon", "demand_growth_per_month"): "breakeven default: the volume held at the scenario's",
    ("Horizon", "discount_rate"): "breakeven default (est): 8% a year, as the default cost of capital of owned GPUs",
    ("UncertaintySettings", "est_spread"): "breakeven default (est): published '~' figures are rounded to one or "
    "two significant digits, and efficiencies copied from another engine or GPU differ by up to about a fifth",
    ("Task", "on_failure"): "breakeven default: a failed task is attempted again until it succeeds",
    ("WorkingHours", "start_hour"): "breakeven default (est): working hours 08-18, as the business_hours profile",
    ("WorkingHours", "end_hour"): "breakeven default (est): working hours 08-18, as the business_hours profile",
    ("WorkingHours", "days"): "breakeven default (est): Monday to Friday",
    ("ApiFailover", "downtime_share"): "breakeven default (est): [E] puts a single region without failover at "
    "99.0-99.5% availability, ~1% down",
}
"""Where the defaults of the fields above come from; an evaluation lists them as est assumptions."""


class Scenario(Strict):
    name: str = Field(min_length=1, max_length=200)
    description: str | None = Field(None, max_length=limits.TEXT_CHARS)
    currency: Currency = "EUR"
    fx: dict[Currency, Union[Annotated[float, Field(gt=0, le=FX_RATE_MAX)], FxEntry]] = Field(
        default_factory=dict,
        max_length=int(limits.FX_RATES.high),
        description="Report-currency units per one unit of each other currency",
    )
    price_date: dt.date = Field(dt.date(2026, 11, 22), description="Date API prices are looked up at")
    workload: Workload
    candidates: Annotated[list[Candidate], Field(min_length=1, max_length=int(limits.CANDIDATES.high))]
    horizon: Horizon | None = Field(None, description="Costs month by month (used by evaluate --horizon and report)")
    uncertainty: UncertaintySettings = UncertaintySettings()
    availability: Availability = Field(
        Availability(), description="Availability figures the redundancy options are priced from"
    )

    @model_validator(mode="after")
    def _names(self) -> Scenario:
        names = [c.name for c in self.candidates]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"candidate names must be unique; repeated: {dupes}")
        apis = {c.name for c in self.candidates if c.kind == "api"}
        hosts = {c.name for c in self.candidates if c.kind == "selfhost"}
        for i, c in enumerate(self.candidates):
            at = f"candidates[{i}]"
            if c.kind == "selfhost" and c.redundancy.kind == "api_failover" and c.redundancy.api not in apis:
                raise ValueError(f"{at}.redundancy.api: {c.redundancy.api!r} names no api candidate")
            if c.kind == "hybrid" and c.api not in apis:
                raise ValueError(f"{at}.api: {c.api!r} names no api candidate")
            if c.kind == "hybrid" and c.selfhost not in hosts:
                raise ValueError(f"{at}.selfhost: {c.selfhost!r} names no selfhost candidate")
            if c.success_rate is not None and self.workload.task is None:
                raise ValueError(
                    f"workload.task: missing; {at}.success_rate needs it (what a task is), "
                    "or leave the success rate out"
                )
        return self
