"""The scenario file, as strict pydantic models (unknown keys rejected). Any number may be a range
``[low, high]``; the point estimate is its midpoint. Money is in the scenario's report ``currency``
unless a block names its own ``currency``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, Union

from pydantic import Field, model_validator

from breakeven.amounts import Amount
from breakeven.catalog.offers import Currency
from breakeven.catalog.schema import KvPrecision, Strict, WeightPrecision
from breakeven.core.demand import DAYS_PER_MONTH

NonNeg = Annotated[float, Field(ge=0)]
Share = Annotated[float, Field(ge=0, le=1)]


def _check_amount(value, low: float, high: float | None, name: str):
    for v in value if isinstance(value, tuple) else (value,):
        if v < low or (high is not None and v > high):
            allowed = f"between {low} and {high}" if high is not None else f"at least {low}"
            raise ValueError(f"{name} must be {allowed}; got {v}")


class Users(Strict):
    """Users mode: demand from people (publication [B]'s calculator). Requests per user are given per
    month, or per day of use as [B] counts them (``requests_per_user_per_day`` x ``active_days_per_month``)."""

    monthly_active: Amount
    requests_per_user: Amount | None = Field(None, description="Requests per user per month")
    requests_per_user_per_day: Amount | None = Field(
        None, description="Requests per user per day of use ([B]'s turns per day), instead of requests_per_user"
    )
    active_days_per_month: Amount = Field(
        DAYS_PER_MONTH, description="Days a month users use it, with requests_per_user_per_day (default: every day)"
    )
    peak_online_share: Amount = Field(description="Share of monthly users online at the peak")
    duty_cycle: Amount = Field(description="Share of an online user's time with a request in flight")

    @model_validator(mode="after")
    def _ranges(self) -> Users:
        if (self.requests_per_user is None) == (self.requests_per_user_per_day is None):
            raise ValueError("users needs exactly one of requests_per_user, requests_per_user_per_day")
        _check_amount(self.monthly_active, 0, None, "monthly_active")
        for name in ("requests_per_user", "requests_per_user_per_day"):
            if getattr(self, name) is not None:
                _check_amount(getattr(self, name), 0, None, name)
        _check_amount(self.active_days_per_month, 0, 31, "active_days_per_month")
        _check_amount(self.peak_online_share, 0, 1, "peak_online_share")
        _check_amount(self.duty_cycle, 0, 1, "duty_cycle")
        return self


HourlyProfile = Union[Literal["flat", "business_hours"], Annotated[list[NonNeg], Field(min_length=24, max_length=24)]]


class Traffic(Strict):
    requests_per_month: Amount
    hourly_profile: HourlyProfile = "flat"

    @model_validator(mode="after")
    def _ranges(self) -> Traffic:
        _check_amount(self.requests_per_month, 0, None, "requests_per_month")
        if isinstance(self.hourly_profile, list) and sum(self.hourly_profile) <= 0:
            raise ValueError("hourly_profile weights must not all be zero")
        return self


class TokensPerMonth(Strict):
    input: Amount = Field(description="Input tokens per month, cached ones included")
    output: Amount
    cached_input: Amount = 0.0
    hourly_profile: HourlyProfile = "flat"

    @model_validator(mode="after")
    def _ranges(self) -> TokensPerMonth:
        for name in ("input", "output", "cached_input"):
            _check_amount(getattr(self, name), 0, None, name)
        return self


class Request(Strict):
    input_tokens: Amount
    output_tokens: Amount
    cached_input_share: Amount = Field(0.0, description="Share of input tokens that are a repeated prefix")
    cache_write_share: Amount = Field(0.0, description="Share of input tokens billed as cache writes by APIs")

    @model_validator(mode="after")
    def _ranges(self) -> Request:
        _check_amount(self.input_tokens, 1, None, "input_tokens")
        _check_amount(self.output_tokens, 1, None, "output_tokens")
        _check_amount(self.cached_input_share, 0, 1, "cached_input_share")
        _check_amount(self.cache_write_share, 0, 1, "cache_write_share")
        return self


class ServiceLevel(Strict):
    min_tokens_per_s_per_stream: Amount | None = None
    max_ttft_s: Amount | None = None


class Workload(Strict):
    users: Users | None = None
    traffic: Traffic | None = None
    tokens_per_month: TokensPerMonth | None = None
    request: Request
    service_level: ServiceLevel = ServiceLevel()

    @model_validator(mode="after")
    def _one_mode(self) -> Workload:
        given = [m for m in ("users", "traffic", "tokens_per_month") if getattr(self, m) is not None]
        if len(given) != 1:
            raise ValueError(f"give exactly one of users, traffic, tokens_per_month (got {given or 'none'})")
        return self

    @property
    def mode(self) -> str:
        return "users" if self.users else "traffic" if self.traffic else "tokens"


# ----------------------------------------------------------------------------- candidates


class ApiPrices(Strict):
    input_per_m: Amount
    output_per_m: Amount
    cached_input_per_m: Amount | None = Field(None, description="null: no prompt caching, repeats bill as input")
    cache_write_per_m: Amount | None = None
    currency: Currency | None = None

    @model_validator(mode="after")
    def _not_negative(self) -> ApiPrices:
        for name in ("input_per_m", "output_per_m", "cached_input_per_m", "cache_write_per_m"):
            value = getattr(self, name)
            if value is not None:
                _check_amount(value, 0, None, name)
        return self


class ApiCandidate(Strict):
    name: str = Field(min_length=1, max_length=120)
    kind: Literal["api"]
    provider: str | None = None
    model: str | None = None
    offer: str | None = Field(None, description="An id in the api-offers catalog")
    prices: ApiPrices | None = None

    @model_validator(mode="after")
    def _priced(self) -> ApiCandidate:
        if self.prices is None and self.offer is None and not (self.provider and self.model):
            raise ValueError("an api candidate needs prices, an offer id, or provider and model")
        return self


class RentPricing(Strict):
    kind: Literal["rent"]
    price_per_gpu_hour: Amount | None = None
    price_per_replica_hour: Amount | None = Field(
        None, description="Price of one replica's GPUs together per hour (a whole node, as [B] prices it)"
    )
    offer: str | None = Field(None, description="An id in the gpu-rent catalog")
    currency: Currency | None = None

    @model_validator(mode="after")
    def _one(self) -> RentPricing:
        given = [self.price_per_gpu_hour, self.price_per_replica_hour, self.offer]
        if sum(v is not None for v in given) != 1:
            raise ValueError("rent pricing needs exactly one of price_per_gpu_hour, price_per_replica_hour, offer")
        return self


class OwnPricing(Strict):
    kind: Literal["own"]
    offer: str | None = Field(None, description="An id in the gpu-own catalog")
    purchase_price_per_gpu: Amount | None = None
    currency: Currency | None = None
    depreciation_years: Amount = 4.0
    residual_value_share: Amount = Field(0.1, description="Resale value at the end, share of the purchase price")
    cost_of_capital: Amount = Field(0.08, description="Annual rate on the capital tied up")
    power_w_per_gpu: Amount | None = Field(None, description="Average draw per GPU incl. its share of the host, W")
    pue: Amount = 1.3
    electricity_per_kwh: Amount = 0.2
    rack_per_month: Amount = Field(0.0, description="Rack / colocation per replica per month, report currency")

    @model_validator(mode="after")
    def _one(self) -> OwnPricing:
        if (self.purchase_price_per_gpu is None) == (self.offer is None):
            raise ValueError("own pricing needs exactly one of purchase_price_per_gpu, offer")
        _check_amount(self.depreciation_years, 0.25, 20, "depreciation_years")
        _check_amount(self.residual_value_share, 0, 1, "residual_value_share")
        _check_amount(self.cost_of_capital, 0, 1, "cost_of_capital")
        _check_amount(self.pue, 1, 3, "pue")
        return self


class AlwaysOn(Strict):
    kind: Literal["always"]


class Hours(Strict):
    kind: Literal["hours"]
    hours_per_month: Amount

    @model_validator(mode="after")
    def _bounds(self) -> Hours:
        _check_amount(self.hours_per_month, 1, 744, "hours_per_month")
        return self


class Staff(Strict):
    hours_per_month: Amount | None = None
    rate_per_hour: Amount | None = None
    fte: Amount | None = None
    loaded_salary_per_year: Amount | None = None

    @model_validator(mode="after")
    def _one_way(self) -> Staff:
        hourly = self.hours_per_month is not None and self.rate_per_hour is not None
        yearly = self.fte is not None and self.loaded_salary_per_year is not None
        if hourly == yearly:
            raise ValueError("staff needs hours_per_month with rate_per_hour, or fte with loaded_salary_per_year")
        return self


class ProductionLayer(Strict):
    one_off: Amount = 0.0
    amortize_months: Amount = 12.0
    per_month: Amount = 0.0


class NoRedundancy(Strict):
    kind: Literal["none"]


class Standby(Strict):
    kind: Literal["standby"]
    replicas: Annotated[int, Field(ge=1)] = 1


class ApiFailover(Strict):
    kind: Literal["api_failover"]
    api: str = Field(description="Name of an api candidate that takes the traffic while self-hosting is down")
    downtime_share: Amount = Field(0.01, description="Share of the month the self-hosted service is down")


class Capacity(Strict):
    """Overrides of the performance model, e.g. from a benchmark of the node."""

    concurrency_per_replica: Annotated[int, Field(ge=1)] | None = None
    output_tokens_per_s_per_replica: Annotated[float, Field(gt=0)] | None = Field(
        None, description="Measured output tokens/s of one replica at that concurrency"
    )
    concurrency_at_input_tokens: Annotated[float, Field(gt=0)] | None = Field(
        None,
        description="Input tokens per request at which concurrency_per_replica holds; the concurrency then "
        "scales inversely with the workload's input tokens ([B]: in-flight x 50,000 / context)",
    )

    @model_validator(mode="after")
    def _scaled(self) -> Capacity:
        if self.concurrency_at_input_tokens is not None and self.concurrency_per_replica is None:
            raise ValueError("concurrency_at_input_tokens needs concurrency_per_replica")
        return self


class SelfHostCandidate(Strict):
    name: str = Field(min_length=1, max_length=120)
    kind: Literal["selfhost"]
    model: str
    gpu: str
    gpus_per_replica: Annotated[int, Field(ge=1)]
    precision: WeightPrecision | None = None
    kv_precision: KvPrecision | None = None
    engine: str = "vllm"
    calibration: str | None = Field(
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
    storage_network_per_month: Amount = 0.0
    redundancy: Annotated[Union[NoRedundancy, Standby, ApiFailover], Field(discriminator="kind")] = NoRedundancy(
        kind="none"
    )
    capacity: Capacity = Capacity()


Candidate = Annotated[Union[ApiCandidate, SelfHostCandidate], Field(discriminator="kind")]


class FxEntry(Strict):
    rate: Annotated[float, Field(gt=0)]
    date: dt.date
    source: str | None = None


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
    ("ApiFailover", "downtime_share"): "breakeven default (est): [E] puts a single region without failover at "
    "99.0-99.5% availability, ~1% down",
}
"""Where the defaults of the fields above come from; an evaluation lists them as est assumptions."""


class Scenario(Strict):
    name: str = Field(min_length=1, max_length=200)
    description: str | None = None
    currency: Currency = "EUR"
    fx: dict[Currency, Union[Annotated[float, Field(gt=0)], FxEntry]] = Field(
        default_factory=dict, description="Report-currency units per one unit of each other currency"
    )
    price_date: dt.date = Field(dt.date(2026, 11, 22), description="Date API prices are looked up at")
    workload: Workload
    candidates: Annotated[list[Candidate], Field(min_length=1)]

    @model_validator(mode="after")
    def _names(self) -> Scenario:
        names = [c.name for c in self.candidates]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"candidate names must be unique; repeated: {dupes}")
        apis = {c.name for c in self.candidates if c.kind == "api"}
        for c in self.candidates:
            if c.kind == "selfhost" and c.redundancy.kind == "api_failover" and c.redundancy.api not in apis:
                raise ValueError(f"candidate {c.name!r}: redundancy.api {c.redundancy.api!r} names no api candidate")
        return self
