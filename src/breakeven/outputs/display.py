"""Display strings for an Evaluation: every figure a page shows, formatted by the one formatter, so
a front end shows text instead of formatting numbers itself (the web API returns this as ``display``).

Besides the sentences, each figure has its own string, keyed like the JSON it comes from (candidates
by name, lists in the JSON's order), so a page can put each number where it belongs and say which
JSON value it shows."""

from __future__ import annotations

from collections.abc import Callable

from breakeven.outputs.format import money, month, number, percent, short_volume, volume
from breakeven.outputs.summary import (
    answer,
    break_even_line,
    payback_line,
    plan_sentence,
    spread,
    still_inputs_line,
    tornado_effect,
    volume_spread,
)
from breakeven.results import CandidateResult, Evaluation, Interval, Percentiles, TornadoBar


def count(x: float | None) -> str:
    """A count (requests, tokens, requests in flight): ``2.1B``, ``200,000``, ``0.37``; ``-`` for none."""
    if x is None:
        return "-"
    return short_volume(x) if abs(x) >= 1e6 else number(x)


def _percentiles(p: Percentiles | None, show: Callable[[float | None], str]) -> dict | None:
    return None if p is None else {"p10": show(p.p10), "p50": show(p.p50), "p90": show(p.p90)}


def _interval(i: Interval | None) -> dict | None:
    return None if i is None else {"low": percent(i.low), "high": percent(i.high)}


def _candidate(c: CandidateResult, currency: str) -> dict:
    return {
        "monthly_cost": money(c.monthly_cost, currency),
        "cost_per_million_tokens": money(c.cost_per_million_tokens, currency),
        "replicas": count(c.replicas),
        "utilization": percent(c.utilization),
        "breakdown": {part: money(v, currency) for part, v in c.breakdown.items()},
        "capacity": {k: number(v) for k, v in (c.capacity or {}).items()},
        **_plan_figures(c, currency),
    }


def _figure(x: float | None) -> str:
    return "-" if x is None else number(x)


def _plan_figures(c: CandidateResult, cur: str) -> dict:
    """The figures of issue-10 plans a candidate carries: its hybrid split, its cost per task, the
    people one replica serves, its redundancy options and its energy."""
    out: dict = {}
    if c.hybrid is not None:
        h = c.hybrid
        out["hybrid"] = {"selfhost_cost": money(h.selfhost_cost, cur), "api_cost": money(h.api_cost, cur)}
        out["overflow_share"] = percent(c.overflow_share)
    if c.cost_per_task is not None:
        t = c.cost_per_task
        out["cost_per_task"] = {
            "cost_per_task": money(t.cost_per_task, cur),
            "success_rate": percent(t.success_rate),
            "cost_per_accepted_task": money(t.cost_per_accepted_task, cur),
        }
    if c.people_served:
        out["people_served"] = [
            {"users": _figure(p.users), "cost_per_user_per_month": money(p.cost_per_user_per_month, cur)}
            for p in c.people_served
        ]
    if c.redundancy:
        out["redundancy"] = [
            {
                "added_per_month": money(o.added_per_month, cur),
                "downtime_hours_per_month": _figure(o.downtime_hours_per_month),
                "expected_total_per_month": money(o.expected_total_per_month, cur),
            }
            for o in c.redundancy
        ]
    if c.energy is not None:
        e = c.energy
        out["energy"] = {
            "kwh_per_month": _figure(e.kwh_per_month),
            "kwh_per_million_tokens": _figure(e.kwh_per_million_tokens),
            "kg_co2e_per_million_tokens": _figure(e.kg_co2e_per_million_tokens),
        }
    return out


def _tornado_bar(b: TornadoBar, currency: str) -> dict:
    return {
        "input": b.input,
        "range": f"{number(b.input_low)}–{number(b.input_high)} {b.unit}",
        "effect": tornado_effect(b),
        "input_low": number(b.input_low),
        "input_high": number(b.input_high),
        "low": short_volume(b.low),
        "high": short_volume(b.high),
        "swing": "-" if b.swing is None else short_volume(b.swing),
        "gap_low": money(b.gap_low, currency),
        "gap_high": money(b.gap_high, currency),
        "gap_swing": money(b.gap_swing, currency),
    }


def _uncertainty(e: Evaluation) -> dict:
    u = e.uncertainty
    cur = e.currency
    return {
        "summary": u.summary,
        "samples": f"{u.samples:,}",
        "seed": str(u.seed),
        "probability_selfhost_cheapest": percent(u.probability_selfhost_cheapest),
        "probability_selfhost_cheapest_interval": _interval(u.probability_selfhost_cheapest_interval),
        "candidates": {
            c.name: {
                "monthly_cost": spread(c.monthly_cost, lambda v: money(v, cur)),
                "probability_cheapest": percent(c.probability_cheapest),
                "monthly_cost_percentiles": _percentiles(c.monthly_cost, lambda v: money(v, cur)),
                "probability_cheapest_interval": _interval(c.probability_cheapest_interval),
            }
            for c in u.candidates
        },
        "break_even": {
            f"{b.selfhost} vs {b.api}": volume_spread(b.selfhost_cheaper_above, e.axis) for b in u.break_even
        },
        "break_even_percentiles": [
            {
                **_percentiles(b.selfhost_cheaper_above, lambda v: volume(v, e.axis)),
                "probability_never": percent(b.probability_never),
            }
            for b in u.break_even
        ],
        "tornado": [_tornado_bar(b, cur) for b in u.tornado],
        "tornado_break_even": volume(u.tornado_break_even, e.axis),
        "tornado_gap": money(u.tornado_gap, cur),
        "tornado_still": still_inputs_line(u.tornado),
    }


def _month_spread(p: Percentiles | None) -> dict | None:
    return _percentiles(p, lambda v: month(None if v is None else int(v)))


def _horizon(e: Evaluation) -> dict:
    h = e.horizon
    cur = e.currency
    return {
        "net_present_cost": {c.name: money(c.net_present_cost, cur) for c in h.candidates},
        "payback": [payback_line(p) for p in h.payback],
        "settings": {
            "months": f"{h.months:,}",
            "discount_rate": percent(h.discount_rate),
            "api_price_change_per_year": percent(h.api_price_change_per_year),
            "gpu_rent_change_per_year": percent(h.gpu_rent_change_per_year),
            "demand_growth_per_month": percent(h.demand_growth_per_month),
        },
        "candidates": {
            c.name: {
                "net_present_cost": money(c.net_present_cost, cur),
                "net_present_cost_percentiles": _percentiles(c.net_present_cost_percentiles, lambda v: money(v, cur)),
                "cash": money(c.cumulative_cost[-1], cur),
                "terminal_value": money(c.terminal_value, cur),
                "first_month": money(c.monthly_cost[0], cur),
                "last_month": money(c.monthly_cost[-1], cur),
            }
            for c in h.candidates
        },
        "paybacks": [
            {
                "month": month(p.month),
                "discounted_month": month(p.discounted_month),
                "month_percentiles": _month_spread(p.month_percentiles),
                "probability_within_horizon": percent(p.probability_within_horizon),
            }
            for p in h.payback
        ],
        "break_even_months": [
            {
                "selfhost_cheaper_from_month": month(b.selfhost_cheaper_from_month),
                "cumulative_selfhost_cheaper_from_month": month(b.cumulative_selfhost_cheaper_from_month),
            }
            for b in h.break_even
        ],
    }


def display(e: Evaluation) -> dict:
    """{answer, volume, demand, candidates: {name: {monthly_cost, cost_per_million_tokens, replicas,
    utilization, breakdown, capacity, and where computed hybrid, cost_per_task, people_served,
    redundancy, energy}}, break_even: [sentence], break_even_volumes: [{selfhost_cheaper_above,
    crossings}], plan (the best plan in a sentence), plans: {name: {monthly_cost, overflow_share,
    replicas}}, uncertainty: {...}, horizon: {...}} (the last two where computed)."""
    out = {
        "answer": answer(e),
        "volume": volume(e.volume, e.axis),
        "demand": {k: count(v) for k, v in e.demand.items()},
        "candidates": {c.name: _candidate(c, e.currency) for c in e.candidates},
        "break_even": [break_even_line(b) for b in e.break_even],
        "break_even_volumes": [
            {
                "selfhost_cheaper_above": volume(b.selfhost_cheaper_above, e.axis),
                "crossings": [volume(c.volume, e.axis) for c in b.crossings],
            }
            for b in e.break_even
        ],
        "plan": plan_sentence(e) if e.plans else "",
        "plans": {
            p.name: {
                "monthly_cost": money(p.monthly_cost, e.currency),
                "overflow_share": percent(p.overflow_share),
                "replicas": "-" if p.replicas is None else f"{p.replicas:,}",
            }
            for p in e.plans
        },
    }
    if e.uncertainty is not None:
        out["uncertainty"] = _uncertainty(e)
    if e.horizon is not None:
        out["horizon"] = _horizon(e)
    return out
