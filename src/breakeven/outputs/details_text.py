"""The figures beside each candidate's cost, as lines of text: cost per task, people served,
redundancy priced, energy."""

from __future__ import annotations

from breakeven.outputs.format import human_number, money, percent
from breakeven.outputs.people_text import served_line
from breakeven.results import CandidateResult, Evaluation, RedundancyOption


def task_line(c: CandidateResult, currency: str) -> str:
    t = c.cost_per_task
    return (
        f"{money(t.cost_per_task, currency)} per {t.task}; {percent(t.success_rate)} accepted "
        f"({'retried' if t.on_failure == 'retry' else 'escalated'} otherwise): "
        f"{money(t.cost_per_accepted_task, currency)} per accepted {t.task}"
    )


def redundancy_text(o: RedundancyOption, currency: str) -> str:
    cost = "" if o.downtime_cost_per_month is None else f" = {money(o.downtime_cost_per_month, currency)}"
    added = f"+{money(o.added_per_month, currency)}/month, " if o.added_per_month else ""
    return (
        f"{o.option.replace('_', ' ')}{' (as priced)' if o.declared else ''}: {added}"
        f"{human_number(o.downtime_hours_per_month, 2)} h down a month{cost}"
    )


def energy_line(c: CandidateResult) -> str:
    e = c.energy
    text = f"{human_number(e.kwh_per_month)} kWh a month"
    if e.kwh_per_million_tokens is not None:
        text += f", {human_number(e.kwh_per_million_tokens)} kWh per million tokens"
    if e.kg_co2e_per_million_tokens is not None:
        text += f", {human_number(e.kg_co2e_per_million_tokens)} kg CO2e per million tokens"
    return text


def detail_lines(e: Evaluation) -> list[str]:
    """``  per task (name): ...``, ``  people served (name): ...`` and the like, candidate by candidate."""
    out = []
    for c in e.candidates:
        if c.cost_per_task is not None:
            out.append(f"  per {c.cost_per_task.task} ({c.name}): {task_line(c, e.currency)}")
        for p in c.people_served or []:
            out.append(f"  people served ({c.name}): {served_line(p, e.currency)}")
        if c.redundancy and c.kind == "selfhost":
            options = "; ".join(redundancy_text(o, e.currency) for o in c.redundancy)
            out.append(f"  redundancy ({c.name}): {options}")
        if c.energy is not None:
            out.append(f"  energy ({c.name}): {energy_line(c)}")
    return out
