"""A scenario resolved into numbers: what the evaluation, the Monte Carlo, the tornado and the horizon
compute from. Every money figure is in the report currency; every field is a number, or an array of
samples (one entry per sample) where the scenario or a catalog figure is uncertain."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from breakeven.core.costs import ApiPrices, OwnTerms, ProductionLayerTerms, RentTerms
from breakeven.core.demand import FLAT, RequestShape
from breakeven.core.deployment import Deployment
from breakeven.core.serving import ServiceLevel

Num = float | np.ndarray
"""A number, or an array of samples of it."""


@dataclass(frozen=True)
class DemandInputs:
    """The workload: its volume on its axis, the request shape and how demand scales with volume."""

    mode: str
    """users, traffic or tokens."""
    axis: str
    """monthly_active_users, requests_per_month or tokens_per_month."""
    volume: Num
    shape: RequestShape
    requests_per_user: Num | None = None
    """Requests per user per month (users mode): as given, or per day of use x days of use ([B])."""
    requests_field: str = "requests_per_user"
    """The field of workload.users the requests per user come from."""
    peak_online_share: Num | None = None
    duty_cycle: Num | None = None
    profile: tuple[float, ...] = FLAT
    """Hourly weights (traffic and tokens modes)."""


@dataclass(frozen=True)
class ApiInputs:
    name: str
    prices: ApiPrices


@dataclass(frozen=True)
class Failover:
    """API failover: ``api`` takes the traffic for ``downtime_share`` of the month."""

    api: str
    downtime_share: Num


@dataclass(frozen=True)
class SelfHostInputs:
    name: str
    deployment: Deployment
    """At the catalogs' figures."""
    figures: dict[str, Num]
    """Performance figures marked est, as drawn: ``gpu.<field>`` / ``engine.<field>`` -> value, and a
    speculative acceptance (``speculative.acceptance``), always drawn."""
    gpus_per_replica: int
    hardware: RentTerms | OwnTerms
    billed_hours: Num
    staff_per_month: Num
    production_layer: ProductionLayerTerms | None
    storage_network_per_month: Num
    standby_replicas: int
    failover: Failover | None
    concurrency: Num | None
    """Concurrency per replica the scenario states (a benchmark's; scaled with the context where it says
    so, so samples where the input tokens are uncertain), else the model's search."""
    measured_output_tokens_per_s: Num | None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class HorizonInputs:
    months: int
    api_price_change_per_year: dict[str, Num]
    """Per API candidate (and the API behind a failover)."""
    gpu_rent_change_per_year: Num
    demand_growth_per_month: Num
    discount_rate: Num


@dataclass(frozen=True)
class Resolved:
    """A scenario as numbers, with ``size`` samples (1: the point estimate)."""

    name: str
    currency: str
    demand: DemandInputs
    service_level: ServiceLevel
    apis: dict[str, ApiInputs]
    hosts: dict[str, SelfHostInputs]
    order: tuple[str, ...]
    """Candidate names as the scenario lists them."""
    horizon: HorizonInputs | None
    notes: tuple[str, ...]
    size: int
    performance_index: np.ndarray
    """Which distinct draw of the performance inputs each sample uses."""
