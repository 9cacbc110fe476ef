"""What ``breakeven ingest`` measures: the JSON contract (``--json``) and the Python API's result.

Units: tokens, requests, USD, seconds; months of 365/12 days. Keys documented in docs/ingest.md.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class Tokens(Out):
    input: float
    """Input tokens, cache reads and writes included."""
    cached_input: float
    cache_write: float
    output: float


class Money(Out):
    amount: float
    currency: str


class Period(Out):
    start: str
    """ISO 8601 in the report's time zone."""
    end: str
    months: float
    days: float


class Percentiles(Out):
    p50: float | None
    p90: float | None
    p99: float | None
    mean: float | None


class RequestSize(Out):
    input: Percentiles
    output: Percentiles
    requests_measured: int
    """Requests logged one by one (buckets have no per-request sizes)."""


class Concurrency(Out):
    mean: float
    peak: float
    peak_hour: str
    coverage: float


class MonthUsage(Out):
    month: str
    requests: float
    tokens: float
    input: float
    output: float
    partial: bool


class Growth(Out):
    monthly_rate: float | None
    """Compound token growth per month between the first and the last whole month."""
    changes: list[float]
    """Each whole month's token change over the month before it."""


class ModelUsage(Out):
    model: str | None
    provider: str | None
    requests: float
    tokens: Tokens
    share_of_tokens: float
    recorded_cost: Money | None
    computed_cost: Money | None
    priced_as: str | None
    """provider/model as the price source names it."""
    price_sources: list[str]
    unpriced_reason: str | None


class RowRef(Out):
    source: str
    row: int | None = None
    line: int | None = None
    id: str | None = None


class Rejection(Out):
    reason: str
    kind: str
    """bad (a value that cannot be used), left_out (the format says so) or filtered (your options)."""
    description: str
    count: int
    rows: list[RowRef]
    """The first ones (up to 20)."""
    sample: list[dict]


class CostCheck(Out):
    recorded: float
    computed: float
    difference: float
    """computed - recorded, USD."""
    relative_difference: float | None
    scope: str
    """Which records the comparison covers."""


class SourceInfo(Out):
    name: str
    format: str
    kind: str


class UsageReport(Out):
    rows_read: int
    rows_used: int
    rows_rejected: dict[str, int]
    """Reason -> records; rows_read = rows_used + the sum of these."""
    rejections: list[Rejection]
    period: Period
    time_zone: str
    tokens: Tokens
    tokens_per_month: Tokens
    requests: float
    requests_per_month: float
    hourly_profile: list[float] | None
    hour_of_week_profile: list[float] | None
    peak_to_mean: float | None
    request_size: RequestSize
    concurrency: Concurrency | None
    monthly: list[MonthUsage]
    growth: Growth
    by_model: list[ModelUsage]
    recorded_cost: Money | None
    computed_cost: Money | None
    cost_check: CostCheck | None
    sources: list[SourceInfo]
    engine: str
    notes: list[str]
