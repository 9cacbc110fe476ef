"""A scenario resolved into numbers: what the evaluation, the Monte Carlo, the tornado and the horizon
compute from. Every money figure is in the report currency; every field is a number, or an array of
samples (one entry per sample) where the scenario or a catalog figure is uncertain."""

from __future__ import annotations

from dataclasses import dataclass, field

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
    """Hourly weights: 24 (hours of the day) or 168 (hours of the week, Monday 00:00 first). They set the
    peak rate in traffic and tokens modes, and the hours below the peak for hybrid plans in every mode."""


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
    grid_kg_co2e_per_kwh: Num | None = None
    """Emissions of the electricity owned GPUs draw (None: not given, or rented GPUs)."""


@dataclass(frozen=True)
class HybridInputs:
    """A hybrid plan: ``selfhost``'s replicas over a schedule, ``api`` for the rest."""

    name: str
    selfhost: str
    api: str
    schedule: str
    """always or hours."""
    covered: np.ndarray
    """Share of each profile slot's hours in which the replicas run (one entry per profile weight)."""
    billed_hours: float
    """Hours a month each replica runs and is billed."""
    hours: str | None = None
    """The working hours as people read them (``08-18, weekdays``); None when always on."""
    declared: bool = True
    """A candidate of the scenario; False for the plans breakeven adds (every pair, both schedules)."""


@dataclass(frozen=True)
class AvailabilityInputs:
    node: Num
    """Share of the time one self-hosted replica is up."""
    api: Num
    """Share of the time an API is up."""
    downtime_cost_per_hour: Num | None
    """Report currency; None where the scenario prices no downtime."""


@dataclass(frozen=True)
class TaskInputs:
    name: str
    requests_per_task: Num
    on_failure: str
    """retry or escalate."""
    escalation_cost: Num | None
    success_rates: dict[str, Num]
    """Per candidate (declared hybrids included); 1 where the scenario gives none."""


@dataclass(frozen=True)
class ProfileInputs:
    """A kind of user (the user-profiles catalog) at its point estimate, with the ends of its ranges."""

    id: str
    name: str
    level: ServiceLevel
    shape: RequestShape
    duty_cycle: tuple[float, float, float]
    """(low, point, high)."""
    agents_per_user: tuple[float, float, float]
    """(low, point, high)."""


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
    hybrids: dict[str, HybridInputs] = field(default_factory=dict)
    """Hybrid candidates of the scenario."""
    derived: dict[str, HybridInputs] = field(default_factory=dict)
    """Hybrid plans breakeven adds for ``plans``: every (self-host, API) pair, always on and in working
    hours, that the scenario does not combine itself."""
    availability: AvailabilityInputs | None = None
    task: TaskInputs | None = None
    profiles: tuple[ProfileInputs, ...] = ()
    """The kinds of users a self-host deployment's people served are counted for."""
