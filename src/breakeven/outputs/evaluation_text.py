"""An Evaluation for people, as text: the answer, the candidates table, breakdowns, break-evens, the
recommendation, the Monte Carlo and the tornado, the horizon, and the assumptions table."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from breakeven.outputs.details_text import detail_lines
from breakeven.outputs.format import AXIS_UNITS, money, number, percent, volume
from breakeven.outputs.summary import (
    answer,
    break_even_line,
    payback_line,
    spread,
    still_inputs_line,
    tornado_effect,
    volume_spread,
)
from breakeven.outputs.tables import id_column
from breakeven.results import Evaluation, HorizonResult, UncertaintyResult

TORNADO_ROWS = 10
"""Inputs shown in the text tornado (the JSON has them all)."""


def candidates_table(e: Evaluation) -> Table:
    t = Table(title=f"{e.name} — at {volume(e.volume, e.axis)}", title_justify="left")
    id_column(t, "candidate", [c.name for c in e.candidates])
    for col in (f"{e.currency}/month", f"{e.currency}/M tok", "replicas", "util.", "SLA"):
        t.add_column(col, justify="left" if col == "SLA" else "right", overflow="fold")
    for c in e.candidates:
        t.add_row(
            c.name,
            f"{c.monthly_cost:,.0f}",
            "-" if c.cost_per_million_tokens is None else number(c.cost_per_million_tokens),
            "-" if c.replicas is None else str(c.replicas),
            "-" if c.utilization is None else f"{c.utilization:.0%}",
            {True: "met", False: "NOT met", None: "-"}[c.service_level_met],
        )
    return t


def assumptions_table(e: Evaluation) -> Table:
    t = Table(title="assumptions", title_justify="left")
    for col in ("assumption", "value", "unit", "", "source"):
        t.add_column(col, overflow="fold")
    for a in e.assumptions:
        t.add_row(a.name, a.value, a.unit, a.confidence, a.source)
    return t


def uncertainty_table(e: Evaluation, u: UncertaintyResult) -> Table:
    t = Table(
        title=f"uncertainty — {u.samples:,} samples, seed {u.seed}, {u.performance_draws:,} performance draws",
        title_justify="left",
    )
    id_column(t, "candidate", [c.name for c in u.candidates])
    for col in (f"P10 {e.currency}/month", "P50", "P90", "cheapest in", "95% interval"):
        t.add_column(col, justify="right")
    for c in u.candidates:
        m = c.monthly_cost
        t.add_row(
            c.name,
            money(m.p10, e.currency),
            money(m.p50, e.currency),
            money(m.p90, e.currency),
            percent(c.probability_cheapest),
            f"{percent(c.probability_cheapest_interval.low)}–{percent(c.probability_cheapest_interval.high)}",
        )
    return t


def tornado_table(e: Evaluation, u: UncertaintyResult) -> Table:
    first, second = u.tornado_pair
    t = Table(title=f"tornado — {second} against {first}", title_justify="left")
    unit = AXIS_UNITS[e.axis]
    for col in ("input", "range", f"break-even ({unit}), low → high", f"{second} − {first} at the volume, per month"):
        t.add_column(col, overflow="fold")
    for b in [b for b in u.tornado if b.moves][:TORNADO_ROWS]:
        t.add_row(
            b.input,
            f"{number(b.input_low)}–{number(b.input_high)} {b.unit}",
            tornado_effect(b),
            f"{money(b.gap_low, e.currency)} → {money(b.gap_high, e.currency)}",
        )
    return t


def horizon_table(e: Evaluation, h: HorizonResult) -> Table:
    t = Table(title=f"horizon — {h.months} months, discounted at {percent(h.discount_rate)}/year", title_justify="left")
    id_column(t, "candidate", [c.name for c in h.candidates])
    for col in ("net present cost", "spread", "cash over the horizon", "terminal value"):
        t.add_column(col, justify="right")
    for c in h.candidates:
        t.add_row(
            c.name,
            money(c.net_present_cost, e.currency),
            spread(c.net_present_cost_percentiles, lambda v: money(v, e.currency)),
            money(c.cumulative_cost[-1], e.currency),
            money(c.terminal_value, e.currency) if c.terminal_value else "-",
        )
    return t


def render(e: Evaluation, console: Console, show_assumptions: bool = True) -> None:
    console.print(answer(e) + "\n")
    console.print(candidates_table(e))
    for c in e.candidates:
        parts = ", ".join(
            f"{k.replace('_', ' ')} {money(v, e.currency)}"
            for k, v in sorted(c.breakdown.items(), key=lambda kv: -kv[1])
            if v
        )
        console.print(f"  {c.name}: {parts}")
    for b in e.break_even:
        console.print(f"break-even {break_even_line(b)}")
    console.print(f"\n[bold]recommendation: {e.recommendation}[/bold]")
    for r in e.reasons:
        console.print(f"  - {r}")
    for c in e.candidates:
        for n in c.notes:
            console.print(f"  note ({c.name}): {n}")
    for line in detail_lines(e):
        console.print(line)
    if e.uncertainty is not None:
        _render_uncertainty(e, e.uncertainty, console)
    if e.horizon is not None:
        console.print(horizon_table(e, e.horizon))
        for p in e.horizon.payback:
            console.print(f"  {payback_line(p)}")
    if show_assumptions:
        console.print(assumptions_table(e))


def _render_uncertainty(e: Evaluation, u: UncertaintyResult, console: Console) -> None:
    console.print(uncertainty_table(e, u))
    for b in u.break_even:
        console.print(
            f"  break-even {b.selfhost} vs {b.api}: P50 {volume(b.selfhost_cheaper_above.p50, e.axis)}, "
            f"{volume_spread(b.selfhost_cheaper_above, e.axis)}; never in {percent(b.probability_never)}"
        )
    if any(b.moves for b in u.tornado):
        console.print(tornado_table(e, u))
    still = still_inputs_line(u.tornado)
    if still:
        console.print(f"  {still}")
