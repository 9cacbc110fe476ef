"""Figures that describe a plan beside its monthly cost -> numbers at their point estimate, listed as
assumptions: availability and the cost of downtime (redundancy priced), the task and each candidate's
success rate (cost per task), the kinds of users (people served) and the grid's emissions (energy).

They feed figures computed at the point estimate only, so they are not drawn by the Monte Carlo."""

from __future__ import annotations

from breakeven.amounts import point
from breakeven.catalog.figures import UserProfile
from breakeven.catalog.schema import Sourced
from breakeven.catalog.store import entries, lookup
from breakeven.core.demand import RequestShape
from breakeven.core.serving import ServiceLevel
from breakeven.errors import InputError
from breakeven.scenario.load import ScenarioError
from breakeven.scenario.resolved import AvailabilityInputs, Num, ProfileInputs, TaskInputs
from breakeven.scenario.resolver import Resolver
from breakeven.scenario.schema import OwnPricing, Scenario

DEFAULT_FIGURES = {"node": "single-region-no-failover-e", "api": "api-standard-tier-e"}
"""Availability catalog entries used where the scenario gives no figure of its own ([E])."""
APPLIES = {"node": ("node", "multi_region"), "api": ("api",)}
"""Which kinds of availability figure may stand for a node or an API."""


def _source(entry: Sourced, path: str) -> tuple[str, str]:
    prov = entry.provenance_of(path)
    return f"{prov.source} (checked {prov.checked})", prov.confidence


def _catalog(r: Resolver, entry: Sourced, path: str, name: str, unit: str, field: str | None = None) -> float:
    """A catalog figure at its point estimate, listed with its provenance."""
    value = getattr(entry, path)
    source, confidence = _source(entry, path)
    r.ledger.add(name, value, unit, source, confidence, field)
    return point(value)


def _stated(r: Resolver, value, path: str, name: str, unit: str) -> float:
    """A figure the scenario states, at its point estimate."""
    r.ledger.given(name, value, unit, path)
    return point(value)


def _figure(kind: str, key: str, field: str):
    """A catalog entry the scenario names at ``field``; an unknown id is an error at that field."""
    try:
        return lookup(kind, key)
    except InputError as exc:
        raise ScenarioError("scenario", [(field, str(exc).split(": ", 1)[-1])]) from None


def _share(r: Resolver, s: Scenario, what: str, label: str) -> float:
    a, at = s.availability, "availability"
    if getattr(a, what) is not None:
        return _stated(r, getattr(a, what), f"{at}.{what}", label, "share of the time up")
    key = getattr(a, f"{what}_figure") or DEFAULT_FIGURES[what]
    field = f"{at}.{what}_figure"
    entry = _figure("availability", key, field)
    if entry.applies_to not in APPLIES[what]:
        why = f"{key!r} is a figure for {entry.applies_to}; a {what} takes one for {' or '.join(APPLIES[what])}"
        raise ScenarioError("scenario", [(field, why)])
    return _catalog(r, entry, "availability", f"{label} ({entry.id})", "share of the time up", field)


def resolve_availability(r: Resolver, s: Scenario) -> AvailabilityInputs:
    """One replica's availability, an API's, and what an hour of downtime costs (None: not priced)."""
    a = s.availability
    node = _share(r, s, "node", "availability of one self-hosted replica")
    api = _share(r, s, "api", "availability of an API")
    cost = None
    if a.downtime_cost_per_hour is not None:
        unit = f"{a.currency or s.currency} per hour"
        value = _stated(r, a.downtime_cost_per_hour, "availability.downtime_cost_per_hour", "cost of downtime", unit)
        cost = value * point_rate(r, a.currency)
    elif a.downtime_cost_figure is not None:
        entry = _figure("downtime-costs", a.downtime_cost_figure, "availability.downtime_cost_figure")
        value = _catalog(r, entry, "cost_per_hour", f"cost of downtime ({entry.id})", f"{entry.currency} per hour")
        cost = value * point_rate(r, entry.currency)
    return AvailabilityInputs(node=node, api=api, downtime_cost_per_hour=cost)


def point_rate(r: Resolver, currency: str | None) -> float:
    """Report-currency units per unit of ``currency`` (listed as an assumption; these figures are
    resolved at the point estimate only, where every rate is one number)."""
    return float(r.rate(currency))


def resolve_task(r: Resolver, s: Scenario) -> TaskInputs | None:
    """The workload's task and every candidate's success rate (1 where the scenario gives none)."""
    t = s.workload.task
    if t is None:
        return None
    at = "workload.task"
    r.ledger.given("task", t.name, "", f"{at}.name")
    per_task = _stated(r, t.requests_per_task, f"{at}.requests_per_task", f"requests per {t.name}", "requests")
    if "on_failure" in t.model_fields_set:
        r.ledger.given(f"a failed {t.name}", t.on_failure, "", f"{at}.on_failure")
    else:
        source = "breakeven default: a failed task is attempted again until it succeeds"
        r.ledger.add(f"a failed {t.name}", t.on_failure, "", source, "est", f"{at}.on_failure")
    escalation = None
    if t.escalation_cost is not None:
        name = f"cost of escalating a failed {t.name}"
        escalation = _stated(r, t.escalation_cost, f"{at}.escalation_cost", name, r.scenario.currency)
    rates: dict[str, Num] = {}
    for i, c in enumerate(s.candidates):
        name = f"{c.name}: share of {t.name}s accepted"
        if c.success_rate is not None:
            rates[c.name] = _stated(r, c.success_rate, f"candidates[{i}].success_rate", name, "share")
        elif c.kind != "hybrid":
            source = "breakeven default: every task accepted (no success_rate given)"
            r.ledger.add(name, 1.0, "share", source, "est", f"candidates[{i}].success_rate")
            rates[c.name] = 1.0
    return TaskInputs(t.name, per_task, t.on_failure, escalation, rates)


def _ends(value) -> tuple[float, float, float]:
    lo, hi = value if isinstance(value, tuple) else (value, value)
    return float(lo), point(value), float(hi)


PROFILE_FIGURES = (
    ("min_tokens_per_s_per_stream", "speed each stream needs", "tokens/s"),
    ("duty_cycle", "share of the time a request is in flight", "share"),
    ("agents_per_user", "streams per person", "streams"),
    ("input_tokens", "input tokens per request", "tokens"),
    ("output_tokens", "output tokens per request", "tokens"),
)
"""The figures of a user profile the assumptions list, and how they name them."""


def resolve_profiles(r: Resolver) -> tuple[ProfileInputs, ...]:
    """The kinds of users people served are counted for (the user-profiles catalog), listed."""
    out = []
    for p in entries("user-profiles"):
        for path, label, unit in PROFILE_FIGURES:
            _catalog(r, p, path, f"{p.id} users: {label}", unit)
        out.append(profile_inputs(p))
    return tuple(out)


def profile_inputs(p: UserProfile) -> ProfileInputs:
    """A user profile's figures as numbers: their point estimates, and the ends of their ranges."""
    inp = float(p.input_tokens)
    shape = RequestShape(inp, inp * p.cached_input_share, float(p.output_tokens))
    level = ServiceLevel(point(p.min_tokens_per_s_per_stream), None if p.max_ttft_s is None else point(p.max_ttft_s))
    return ProfileInputs(p.id, p.name, level, shape, _ends(p.duty_cycle), _ends(p.agents_per_user))


def grid_intensity(r: Resolver, name: str, p: OwnPricing, path: str) -> float | None:
    """kg CO2e per kWh of the electricity owned GPUs draw: stated, from the catalog, or None."""
    label = f"{name}: grid emissions"
    if p.grid_kg_co2e_per_kwh is not None:
        return _stated(r, p.grid_kg_co2e_per_kwh, f"{path}.pricing.grid_kg_co2e_per_kwh", label, "kg CO2e/kWh")
    if p.grid is None:
        return None
    field = f"{path}.pricing.grid"
    entry = _figure("grid-intensity", p.grid, field)
    return _catalog(r, entry, "kg_co2e_per_kwh", f"{label} ({entry.id})", "kg CO2e/kWh", field)
