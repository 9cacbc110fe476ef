"""The scenario file, as strict pydantic models (unknown keys rejected). Any number may be a range
``[low, high]`` (uniform on it) or a distribution (``{dist: triangular, low, mode, high}``, see
``breakeven.amounts``); the point estimate is its median. Money is in the scenario's report
``currency`` unless a block names its own ``currency``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, Union

from pydantic import Field, field_validator, model_validator

from breakeven.amounts import Distribution, Quantity, SignedQuantity
from breakeven.catalog.offers import Currency
from breakeven.catalog.schema import KvPrecision, Strict, WeightPrecision

NonNeg = Annotated[float, Field(ge=0)]
Share = Annotated[float, Field(ge=0, le=1)]


def _check_amount(value, low: float, high: float | None, name: str):
    """Every value a figure can take (both ends of a range, a distribution's low, mode and high) lies
    between ``low`` and ``high``; a normal's draws beyond its stated range are clipped to these bounds."""
    if isinstance(value, Distribution):
        value = tuple(v for v in (value.low, value.mode, value.high) if v is not None)
    for v in value if isinstance(value, tuple) else (value,):
        if v < low or (high is not None and v > high):
            allowed = f"between {low} and {high}" if high is not None else f"at least {low}"
            raise ValueError(f"{name} must be {allowed}; got {v}")


class Users(Strict):
    """Users mode: demand from people (publication [B]'s calculator)."""

    monthly_active: Quantity
    requests_per_user: Quantity = Field(description="Requests per user per month")
    peak_online_share: Quantity = Field(description="Share of monthly users online at the peak")
    duty_cycle: Quantity = Field(description="Share of an online user's time with a request in flight")

    @model_validator(mode="after")
    def _ranges(self) -> Users:
        _check_amount(self.monthly_active, 0, None, "monthly_active")
        _check_amount(self.requests_per_user, 0, None, "requests_per_user")
        _check_amount(self.peak_online_share, 0, 1, "peak_online_share")
        _check_amount(self.duty_cycle, 0, 1, "duty_cycle")
        return self


HourlyProfile = Union[Literal["flat", "business_hours"], Annotated[list[NonNeg], Field(min_length=24, max_length=24)]]


class Traffic(Strict):
    requests_per_month: Quantity
    hourly_profile: HourlyProfile = "flat"

    @model_validator(mode="after")
    def _ranges(self) -> Traffic:
        _check_amount(self.requests_per_month, 0, None, "requests_per_month")
        if isinstance(self.hourly_profile, list) and sum(self.hourly_profile) <= 0:
            raise ValueError("hourly_profile weights must not all be zero")
        return self


class TokensPerMonth(Strict):
    input: Quantity = Field(description="Input tokens per month, cached ones included")
    output: Quantity
    cached_input: Quantity = 0.0
    hourly_profile: HourlyProfile = "flat"

    @model_validator(mode="after")
    def _ranges(self) -> TokensPerMonth:
        for name in ("input", "output", "cached_input"):
            _check_amount(getattr(self, name), 0, None, name)
        return self


class Request(Strict):
    input_tokens: Quantity
    output_tokens: Quantity
    cached_input_share: Quantity = Field(0.0, description="Share of input tokens that are a repeated prefix")
    cache_write_share: Quantity = Field(0.0, description="Share of input tokens billed as cache writes by APIs")

    @model_validator(mode="after")
    def _ranges(self) -> Request:
        _check_amount(self.input_tokens, 1, None, "input_tokens")
        _check_amount(self.output_tokens, 1, None, "output_tokens")
        _check_amount(self.cached_input_share, 0, 1, "cached_input_share")
        _check_amount(self.cache_write_share, 0, 1, "cache_write_share")
        return self


class StatedServiceLevel(Strict):
    """The service level the scenario asks of every stream (figures may be ranges)."""

    min_tokens_per_s_per_stream: Quantity | None = None
    max_ttft_s: Quantity | None = None


class Workload(Strict):
    users: Users | None = None
    traffic: Traffic | None = None
    tokens_per_month: TokensPerMonth | None = None
    request: Request
    service_level: StatedServiceLevel = StatedServiceLevel()

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


class StatedApiPrices(Strict):
    """Per-million-token prices the scenario states for an API candidate, in their own currency."""

    input_per_m: Quantity
    output_per_m: Quantity
    cached_input_per_m: Quantity | None = Field(None, description="null: no prompt caching, repeats bill as input")
    cache_write_per_m: Quantity | None = None
    currency: Currency | None = None

    @model_validator(mode="after")
    def _not_negative(self) -> StatedApiPrices:
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
    prices: StatedApiPrices | None = None

    @model_validator(mode="after")
    def _priced(self) -> ApiCandidate:
        if self.prices is None and self.offer is None and not (self.provider and self.model):
            raise ValueError("an api candidate needs prices, an offer id, or provider and model")
        return self


class RentPricing(Strict):
    kind: Literal["rent"]
    price_per_gpu_hour: Quantity | None = None
    offer: str | None = Field(None, description="An id in the gpu-rent catalog")
    currency: Currency | None = None

    @model_validator(mode="after")
    def _one(self) -> RentPricing:
        if (self.price_per_gpu_hour is None) == (self.offer is None):
            raise ValueError("rent pricing needs exactly one of price_per_gpu_hour, offer")
        return self


class OwnPricing(Strict):
    kind: Literal["own"]
    offer: str | None = Field(None, description="An id in the gpu-own catalog")
    purchase_price_per_gpu: Quantity | None = None
    currency: Currency | None = None
    depreciation_years: Quantity = 4.0
    residual_value_share: Quantity = Field(0.1, description="Resale value at the end, share of the purchase price")
    cost_of_capital: Quantity = Field(0.08, description="Annual rate on the capital tied up")
    power_w_per_gpu: Quantity | None = Field(None, description="Average draw per GPU incl. its share of the host, W")
    pue: Quantity = 1.3
    electricity_per_kwh: Quantity = 0.2
    rack_per_month: Quantity = Field(0.0, description="Rack / colocation per replica per month, report currency")

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
    hours_per_month: Quantity

    @model_validator(mode="after")
    def _bounds(self) -> Hours:
        _check_amount(self.hours_per_month, 1, 744, "hours_per_month")
        return self


class Staff(Strict):
    hours_per_month: Quantity | None = None
    rate_per_hour: Quantity | None = None
    fte: Quantity | None = None
    loaded_salary_per_year: Quantity | None = None

    @model_validator(mode="after")
    def _one_way(self) -> Staff:
        hourly = self.hours_per_month is not None and self.rate_per_hour is not None
        yearly = self.fte is not None and self.loaded_salary_per_year is not None
        if hourly == yearly:
            raise ValueError("staff needs hours_per_month with rate_per_hour, or fte with loaded_salary_per_year")
        return self


class ProductionLayer(Strict):
    one_off: Quantity = 0.0
    amortize_months: Quantity = 12.0
    per_month: Quantity = 0.0


class NoRedundancy(Strict):
    kind: Literal["none"]


class Standby(Strict):
    kind: Literal["standby"]
    replicas: Annotated[int, Field(ge=1)] = 1


class ApiFailover(Strict):
    kind: Literal["api_failover"]
    api: str = Field(description="Name of an api candidate that takes the traffic while self-hosting is down")
    downtime_share: Quantity = Field(0.01, description="Share of the month the self-hosted service is down")


class CapacityOverride(Strict):
    """Overrides of the performance model, e.g. from a benchmark of the node."""

    concurrency_per_replica: Annotated[int, Field(ge=1)] | None = None
    output_tokens_per_s_per_replica: Quantity | None = Field(
        None, description="Measured output tokens/s of one replica at that concurrency"
    )

    @model_validator(mode="after")
    def _positive(self) -> CapacityOverride:
        rate = self.output_tokens_per_s_per_replica
        if rate is not None:
            _check_amount(rate, 0, None, "output_tokens_per_s_per_replica")
            low = rate.low if isinstance(rate, Distribution) else min(rate) if isinstance(rate, tuple) else rate
            if low <= 0:
                raise ValueError(f"output_tokens_per_s_per_replica must be above 0; got {low}")
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
    attention_dp: bool = False
    pricing: Annotated[Union[RentPricing, OwnPricing], Field(discriminator="kind")]
    schedule: Annotated[Union[AlwaysOn, Hours], Field(discriminator="kind")] = AlwaysOn(kind="always")
    staff: Staff | None = None
    production_layer: ProductionLayer | None = None
    storage_network_per_month: Quantity = 0.0
    redundancy: Annotated[Union[NoRedundancy, Standby, ApiFailover], Field(discriminator="kind")] = NoRedundancy(
        kind="none"
    )
    capacity: CapacityOverride = CapacityOverride()


Candidate = Annotated[Union[ApiCandidate, SelfHostCandidate], Field(discriminator="kind")]


MAX_HORIZON_MONTHS = 240
"""Longest horizon accepted: 20 years of months (longer than any GPU is kept in service)."""


class Horizon(Strict):
    """Costs month by month over a period, with prices and demand that move: yearly changes compound
    monthly, demand grows by a share each month, and costs are discounted at ``discount_rate`` a year."""

    months: Annotated[int, Field(ge=1, le=MAX_HORIZON_MONTHS)] = 48
    api_price_change_per_year: SignedQuantity | None = Field(
        None,
        description="Yearly change of API prices (-0.3: 30% cheaper each year); unset: the price library's "
        "trend for the model family where it has one, else no change",
    )
    gpu_rent_change_per_year: SignedQuantity = Field(
        0.0, description="Yearly change of GPU rent, and of the price of GPUs bought later in the horizon"
    )
    demand_growth_per_month: SignedQuantity = Field(0.0, description="Monthly growth of the volume (0.05: +5%)")
    discount_rate: Quantity = Field(0.08, description="Yearly rate future costs are discounted at")

    @field_validator("api_price_change_per_year", "gpu_rent_change_per_year", "demand_growth_per_month")
    @classmethod
    def _change(cls, value, info):
        if value is not None:
            _check_amount(value, -0.99, 10, info.field_name)
        return value

    @field_validator("discount_rate")
    @classmethod
    def _rate(cls, value):
        _check_amount(value, 0, 1, "discount_rate")
        return value


class UncertaintySettings(Strict):
    """How catalog figures marked est are sampled (ranges and distributions carry their own spread)."""

    est_spread: float = Field(
        0.2, ge=0, lt=1, description="Catalog figures marked est are drawn uniformly within this share of the figure"
    )


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
    ("Horizon", "months"): "breakeven default: 48 months, the default 4-year life of owned GPUs",
    ("Horizon", "gpu_rent_change_per_year"): "breakeven default (est): GPU rent held at today's price",
    ("Horizon", "demand_growth_per_month"): "breakeven default: the volume held at the scenario's",
    ("Horizon", "discount_rate"): "breakeven default (est): 8% a year, as the default cost of capital of owned GPUs",
    ("UncertaintySettings", "est_spread"): "breakeven default (est): published '~' figures are rounded to one or "
    "two significant digits, and efficiencies copied from another engine or GPU differ by up to about a fifth",
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
    horizon: Horizon | None = Field(None, description="Costs month by month (used by evaluate --horizon and report)")
    uncertainty: UncertaintySettings = UncertaintySettings()

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
