"""Display strings for an Evaluation: every figure a page shows, formatted by the one formatter, so
a front end shows text instead of formatting numbers itself (the web API returns this as ``display``)."""

from __future__ import annotations

from breakeven.outputs.format import money, number, percent, volume
from breakeven.outputs.summary import (
    answer,
    break_even_line,
    payback_line,
    plan_sentence,
    spread,
    tornado_effect,
    volume_spread,
)
from breakeven.results import Evaluation


def _uncertainty(e: Evaluation) -> dict:
    u = e.uncertainty
    cur = e.currency
    return {
        "summary": u.summary,
        "candidates": {
            c.name: {
                "monthly_cost": spread(c.monthly_cost, lambda v: money(v, cur)),
                "probability_cheapest": percent(c.probability_cheapest),
            }
            for c in u.candidates
        },
        "break_even": {
            f"{b.selfhost} vs {b.api}": volume_spread(b.selfhost_cheaper_above, e.axis) for b in u.break_even
        },
        "tornado": [
            {
                "input": b.input,
                "range": f"{number(b.input_low)}–{number(b.input_high)} {b.unit}",
                "effect": tornado_effect(b),
            }
            for b in u.tornado
        ],
    }


def _horizon(e: Evaluation) -> dict:
    h = e.horizon
    return {
        "net_present_cost": {c.name: money(c.net_present_cost, e.currency) for c in h.candidates},
        "payback": [payback_line(p) for p in h.payback],
    }


def display(e: Evaluation) -> dict:
    """{answer, volume, candidates: {name: {monthly_cost, cost_per_million_tokens}}, break_even: [...],
    plan (the best plan in a sentence), plans: {name: {monthly_cost, overflow_share, replicas}},
    uncertainty: {...}, horizon: {...}} (the last two where computed)."""
    out = {
        "answer": answer(e),
        "volume": volume(e.volume, e.axis),
        "candidates": {
            c.name: {
                "monthly_cost": money(c.monthly_cost, e.currency),
                "cost_per_million_tokens": money(c.cost_per_million_tokens, e.currency),
            }
            for c in e.candidates
        },
        "break_even": [break_even_line(b) for b in e.break_even],
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
