"""An Evaluation for people, as text: the candidates table, breakdowns, break-evens, the recommendation
and the assumptions table."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from breakeven.outputs.format import money, number, volume
from breakeven.outputs.tables import id_column
from breakeven.results import Evaluation


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


def render(e: Evaluation, console: Console, show_assumptions: bool = True) -> None:
    console.print(candidates_table(e))
    for c in e.candidates:
        parts = ", ".join(
            f"{k.replace('_', ' ')} {money(v, e.currency)}"
            for k, v in sorted(c.breakdown.items(), key=lambda kv: -kv[1])
            if v
        )
        console.print(f"  {c.name}: {parts}")
    for b in e.break_even:
        where = (
            f"self-hosting stays cheaper above {volume(b.selfhost_cheaper_above, b.axis)}"
            if b.selfhost_cheaper_above is not None
            else f"never: {b.reason}"
        )
        extra = f" ({len(b.crossings)} crossings)" if len(b.crossings) > 1 else ""
        console.print(f"break-even {b.selfhost} vs {b.api}: {where}{extra}")
    console.print(f"\n[bold]recommendation: {e.recommendation}[/bold]")
    for r in e.reasons:
        console.print(f"  - {r}")
    for c in e.candidates:
        for n in c.notes:
            console.print(f"  note ({c.name}): {n}")
    if show_assumptions:
        console.print(assumptions_table(e))
