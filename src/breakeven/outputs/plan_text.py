"""Plans for people, as text: the best plan in a sentence, every plan ranked, the best hybrid's cost
at each replica count, where hybrids beat the pure candidates, and the costs per task."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from breakeven.outputs.format import money, number, percent, volume
from breakeven.outputs.summary import plan_sentence
from breakeven.outputs.tables import id_column
from breakeven.results import Alternative, CandidateResult, Evaluation

ALTERNATIVE_ROWS = 16
"""Replica counts the text shows for a hybrid (the JSON has every count tried): 0, full coverage, and
those nearest the optimum."""


def plans_table(e: Evaluation) -> Table:
    t = Table(title=f"plans — at {volume(e.volume, e.axis)}, cheapest first", title_justify="left")
    id_column(t, "plan", [p.name for p in e.plans])
    for col in (
        "runs",
        "replicas",
        f"{e.currency}/month",
        "self-host",
        "API",
        "to the API",
        f"{e.currency}/M tok",
        "SLA",
    ):
        t.add_column(col, justify="left" if col in ("runs", "SLA") else "right")
    for p in e.plans:
        h = p.hybrid
        runs = {"api": "API", "selfhost": "self-host"}.get(p.kind) or (
            "always on" if h.schedule == "always" else h.working_hours
        )
        self_cost, api_cost = _split(p)
        t.add_row(
            p.name + ("" if p.declared else " *"),
            runs,
            "-" if p.replicas is None else f"{p.replicas:,}",
            f"{p.monthly_cost:,.0f}",
            f"{self_cost:,.0f}",
            f"{api_cost:,.0f}",
            "-" if p.overflow_share is None else percent(p.overflow_share),
            "-" if p.cost_per_million_tokens is None else number(p.cost_per_million_tokens),
            {True: "met", False: "NOT met", None: "-"}[p.service_level_met],
        )
    return t


def _split(p: CandidateResult) -> tuple[float, float]:
    """(self-hosted part, API part) of a plan's monthly cost."""
    if p.hybrid is not None:
        return p.hybrid.selfhost_cost, p.hybrid.api_cost
    return (0.0, p.monthly_cost) if p.kind == "api" else (p.monthly_cost, 0.0)


def shown_alternatives(p: CandidateResult) -> list[Alternative]:
    """The replica counts the text shows: 0, those nearest the optimum, and full coverage."""
    alts = p.alternatives or []
    if len(alts) <= ALTERNATIVE_ROWS:
        return alts
    best = min(range(len(alts)), key=lambda i: (alts[i].monthly_cost, alts[i].replicas))
    near = sorted(range(len(alts)), key=lambda i: abs(i - best))[: ALTERNATIVE_ROWS - 2]
    return [alts[i] for i in sorted({0, len(alts) - 1, *near})]


def alternatives_table(e: Evaluation, p: CandidateResult) -> Table:
    t = Table(title=f"{p.name} — cost by replica count", title_justify="left")
    for col in ("replicas", f"{e.currency}/month", "to the API", ""):
        t.add_column(col, justify="right" if col else "left")
    best = min(p.alternatives, key=lambda a: (a.monthly_cost, a.replicas))
    full = p.hybrid.full_coverage_replicas
    for a in shown_alternatives(p):
        mark = (
            "best" if a is best else "API alone" if a.replicas == 0 else "full coverage" if a.replicas == full else ""
        )
        t.add_row(f"{a.replicas:,}", f"{a.monthly_cost:,.0f}", percent(a.overflow_share), mark)
    return t


def render_plans(e: Evaluation, console: Console) -> None:
    console.print(plan_sentence(e) + "\n")
    console.print(plans_table(e))
    if any(not p.declared for p in e.plans):
        console.print("  * added by breakeven: hybrids of every self-host candidate with every API")
    hybrids = [p for p in e.plans if p.kind == "hybrid"]
    if hybrids:
        console.print(alternatives_table(e, hybrids[0]))
    for b in e.hybrid_break_even:
        if b.hybrid == (hybrids[0].name if hybrids else None):
            console.print(f"  {b.hybrid} vs {b.against}: {b.reason}")
    tasks = [p for p in e.plans if p.cost_per_task is not None]
    for p in tasks:
        c = p.cost_per_task
        console.print(
            f"  per {c.task}: {p.name} {money(c.cost_per_task, e.currency)}, accepted {percent(c.success_rate)}, "
            f"{money(c.cost_per_accepted_task, e.currency)} per accepted {c.task}"
        )
