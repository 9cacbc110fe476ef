"""Hybrid plans -> numbers: which hours of the profile the replicas run (each slot's covered share)
and the hours they are billed, for the scenario's hybrid candidates and for the plans breakeven adds
(every self-host candidate with every API, always on and in working hours)."""

from __future__ import annotations

import numpy as np

from breakeven.core.demand import DAYS_PER_MONTH, HOURS_PER_MONTH
from breakeven.scenario.resolved import HybridInputs
from breakeven.scenario.resolver import Resolver
from breakeven.scenario.schema import HybridCandidate, Scenario, WorkingHours

HOURS_PER_DAY = 24
DAYS_PER_WEEK = 7
WEEKDAYS = 5
"""Monday to Friday: the first five days of a 168-hour profile (Monday 00:00 first)."""
DEFAULT_HOURS = WorkingHours()
"""08-18 on weekdays: the working hours of the plans breakeven adds."""
SCHEDULES = ("always", "hours")


def covered_slots(slots: int, hours: WorkingHours | None) -> np.ndarray:
    """Share of each profile slot's hours in which the replicas run: all of them always on; in working
    hours, the slots inside a shift (on a 24-hour profile a weekday schedule covers 5/7 of each slot).
    An overnight shift (22 to 6) belongs to the day it starts: on a 168-hour profile, Friday's runs
    into Saturday morning and Sunday's does not run."""
    if hours is None:
        return np.ones(slots)
    hour = np.arange(slots) % HOURS_PER_DAY
    after_start, before_end = hour >= hours.start_hour, hour < hours.end_hour
    inside = (after_start | before_end) if hours.overnight else (after_start & before_end)
    weekdays = hours.days == "weekdays"
    if slots == HOURS_PER_DAY:
        return inside * (WEEKDAYS / DAYS_PER_WEEK if weekdays else 1.0)
    day = np.arange(slots) // HOURS_PER_DAY
    shift_day = np.where(hours.overnight & before_end, (day - 1) % DAYS_PER_WEEK, day)  # the day it started
    return (inside & ((shift_day < WEEKDAYS) | (not weekdays))).astype(float)


def billed_hours(hours: WorkingHours | None) -> float:
    """Hours a month a replica runs: 730 always on, else the hours of a shift on its days of the
    365/12-day month."""
    if hours is None:
        return HOURS_PER_MONTH
    days = DAYS_PER_MONTH * (WEEKDAYS / DAYS_PER_WEEK if hours.days == "weekdays" else 1.0)
    return hours.hours_per_shift * days


def hours_text(hours: WorkingHours) -> str:
    """``08-18, weekdays``."""
    return f"{hours.start_hour:02d}-{hours.end_hour:02d}, {hours.days.replace('_', ' ')}"


def _working_hours(r: Resolver, c: HybridCandidate, path: str) -> WorkingHours:
    """The candidate's working hours (its own, or the defaults), listed as assumptions."""
    given = c.working_hours or DEFAULT_HOURS
    at = f"{path}.working_hours"
    for attr, label in (("start_hour", "replicas start at"), ("end_hour", "replicas stop at")):
        r.field(given, attr, at, f"{c.name}: {label}", "hour of the day")
    value = given.days
    if "days" in given.model_fields_set:
        r.ledger.given(f"{c.name}: days the replicas run", value, "", f"{at}.days")
    else:
        r.ledger.add(f"{c.name}: days the replicas run", value, "", "breakeven default (est): Monday to Friday", "est")
    return given


def plan(
    name: str, selfhost: str, api: str, schedule: str, slots: int, hours: WorkingHours | None, declared: bool
) -> HybridInputs:
    """A hybrid plan's numbers: the covered share of every profile slot and the billed hours."""
    hours = hours if schedule == "hours" else None
    return HybridInputs(
        name=name,
        selfhost=selfhost,
        api=api,
        schedule=schedule,
        covered=covered_slots(slots, hours),
        billed_hours=billed_hours(hours),
        hours=None if hours is None else hours_text(hours),
        declared=declared,
    )


def resolve_hybrid(r: Resolver, c: HybridCandidate, index: int, slots: int) -> HybridInputs:
    """A hybrid candidate of the scenario."""
    path = f"candidates[{index}]"
    r.ledger.given(
        f"{c.name}: replicas of {c.selfhost}, overflow to {c.api}", c.schedule, "schedule", f"{path}.schedule"
    )
    hours = _working_hours(r, c, path) if c.schedule == "hours" else None
    out = plan(c.name, c.selfhost, c.api, c.schedule, slots, hours, declared=True)
    r.ledger.add(
        f"{c.name}: billed hours per replica", f"{out.billed_hours:,.4g}", "h/month", _hours_source(out), "firm"
    )
    return out


def _hours_source(p: HybridInputs) -> str:
    if p.hours is None:
        return "breakeven: 8,760 h / 12 for 24/7"
    return f"breakeven: {p.hours}, on the 365/12-day month"


def derived_plans(r: Resolver, s: Scenario, slots: int) -> dict[str, HybridInputs]:
    """The hybrid plans breakeven adds: every self-host candidate with every API, always on and in the
    default working hours, except those the scenario declares itself."""
    declared = {(c.selfhost, c.api, c.schedule) for c in s.candidates if c.kind == "hybrid"}
    names = {c.name for c in s.candidates}
    hosts = [c.name for c in s.candidates if c.kind == "selfhost"]
    apis = [c.name for c in s.candidates if c.kind == "api"]
    out: dict[str, HybridInputs] = {}
    for host in hosts:
        for api in apis:
            for schedule in SCHEDULES:
                if (host, api, schedule) in declared:
                    continue
                name = f"{host} + {api}" if schedule == "always" else f"{host} in working hours + {api}"
                while name in names or name in out:
                    name += " (plan)"
                out[name] = plan(name, host, api, schedule, slots, DEFAULT_HOURS, declared=False)
    if any(p.schedule == "hours" for p in out.values()):
        r.ledger.add(
            "plans in working hours: replicas run",
            hours_text(DEFAULT_HOURS),
            "",
            "breakeven default (est): working hours 08-18, Monday to Friday, in the profile's time zone",
            "est",
        )
    return out
