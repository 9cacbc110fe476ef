"""The report's tables as plain text cells, rendered alike as HTML and as Markdown: candidates with
their cost breakdowns and spread, break-evens, the tornado, the horizon, paybacks, the assumptions
and the uncertain inputs."""

from __future__ import annotations

from dataclasses import dataclass

from breakeven.outputs.format import AXIS_UNITS, money, month, number, percent, short_volume, volume
from breakeven.outputs.summary import spread, tornado_effect, volume_spread
from breakeven.results import Evaluation


@dataclass(frozen=True)
class TextTable:
    headers: tuple[str, ...]
    rows: list[tuple[str, ...]]
    numeric: tuple[int, ...] = ()
    """Columns aligned right."""


def _breakdown(parts: dict[str, float], currency: str) -> str:
    shown = sorted(((k, v) for k, v in parts.items() if v), key=lambda kv: -kv[1])
    return ", ".join(f"{k.replace('_', ' ')} {money(v, currency)}" for k, v in shown)


def candidates(e: Evaluation) -> TextTable:
    u = {c.name: c for c in (e.uncertainty.candidates if e.uncertainty else [])}
    rows = []
    for c in e.candidates:
        spread_cost = spread(u[c.name].monthly_cost, lambda v: money(v, e.currency)) if c.name in u else ""
        rows.append(
            (
                c.name,
                c.kind,
                money(c.monthly_cost, e.currency),
                spread_cost,
                percent(u[c.name].probability_cheapest) if c.name in u else "",
                money(c.cost_per_million_tokens, e.currency),
                "-" if c.replicas is None else str(c.replicas),
                "-" if c.utilization is None else percent(c.utilization),
                {True: "met", False: "not met", None: "-"}[c.service_level_met],
                _breakdown(c.breakdown, e.currency),
            )
        )
    headers = (
        "candidate",
        "kind",
        "per month",
        "spread",
        "cheapest in",
        "per M tokens",
        "replicas",
        "utilization",
        "service level",
        "breakdown",
    )
    return TextTable(headers, rows, (2, 4, 5, 6, 7))


NO_BREAK_EVEN = "No break-even along the volume: the scenario has no API candidate, or no self-host one."


def break_evens(e: Evaluation) -> TextTable:
    u = {(b.api, b.selfhost): b for b in (e.uncertainty.break_even if e.uncertainty else [])}
    rows = []
    for b in e.break_even:
        sampled = u.get((b.api, b.selfhost))
        rows.append(
            (
                b.selfhost,
                b.api,
                volume(b.selfhost_cheaper_above, e.axis),
                volume_spread(sampled.selfhost_cheaper_above, e.axis) if sampled else "",
                percent(sampled.probability_never) if sampled else "",
                b.reason,
            )
        )
    return TextTable(("self-host", "API", "self-hosting stays cheaper above", "spread", "never in", "why"), rows, (2,))


def tornado(e: Evaluation) -> TextTable:
    """The tornado's bars that move the answer (``summary.still_inputs_line`` names the others); the
    break-even columns only where the pair has a break-even at all."""
    u = e.uncertainty
    first, second = u.tornado_pair
    moving = [b for b in u.tornado if b.moves]
    volumes = any(b.low is not None or b.high is not None for b in moving)
    rows = []
    for b in moving:
        gap = f"{money(b.gap_low, e.currency)} → {money(b.gap_high, e.currency)}"
        effect = (tornado_effect(b), "" if b.swing is None else short_volume(b.swing)) if volumes else ()
        rows.append((b.input, f"{number(b.input_low)}–{number(b.input_high)} {b.unit}".strip(), *effect, gap))
    break_even = (f"break-even, {AXIS_UNITS[e.axis]} (low → high)", "swing") if volumes else ()
    headers = ("input", "range (low–high)", *break_even, f"{second} − {first} per month (low → high)")
    return TextTable(headers, rows, (3,) if volumes else ())


def horizon(e: Evaluation) -> TextTable:
    h = e.horizon
    rows = [
        (
            c.name,
            money(c.net_present_cost, e.currency),
            spread(c.net_present_cost_percentiles, lambda v: money(v, e.currency)),
            money(c.cumulative_cost[-1], e.currency),
            money(c.terminal_value, e.currency) if c.terminal_value else "-",
            money(c.monthly_cost[0], e.currency),
            money(c.monthly_cost[-1], e.currency),
        )
        for c in h.candidates
    ]
    headers = (
        "candidate",
        "net present cost",
        "spread",
        "cash over the horizon",
        "terminal value",
        "month 1",
        f"month {h.months}",
    )
    return TextTable(headers, rows, (1, 3, 4, 5, 6))


def paybacks(e: Evaluation) -> TextTable:
    rows = []
    for p in e.horizon.payback:
        spread_months = (
            ""
            if p.month_percentiles is None
            else spread(p.month_percentiles, lambda v: month(None if v is None else int(v)))
        )
        rows.append(
            (
                p.own,
                p.against,
                month(p.month),
                month(p.discounted_month),
                spread_months,
                percent(p.probability_within_horizon) if p.probability_within_horizon is not None else "",
            )
        )
    return TextTable(("buying", "against", "pays back", "discounted", "spread", "within the horizon"), rows)


def time_break_evens(e: Evaluation) -> TextTable:
    rows = [
        (b.selfhost, b.api, month(b.selfhost_cheaper_from_month), month(b.cumulative_selfhost_cheaper_from_month))
        for b in e.horizon.break_even
    ]
    return TextTable(("self-host", "API", "cheaper every month from", "cheaper in total from"), rows)


def assumptions(e: Evaluation) -> TextTable:
    rows = [(a.name, a.value, a.unit, a.confidence, a.source) for a in e.assumptions]
    return TextTable(("assumption", "value", "unit", "firm/est", "source"), rows)


def inputs(e: Evaluation) -> TextTable:
    rows = [
        (
            x.name,
            x.distribution,
            f"{number(x.low)} / {number(x.median)} / {number(x.high)}",
            x.unit,
            "performance" if x.performance else "cost",
            x.confidence,
        )
        for x in e.uncertainty.inputs
    ]
    return TextTable(("input", "distribution", "low / median / high", "unit", "feeds", "firm/est"), rows)
