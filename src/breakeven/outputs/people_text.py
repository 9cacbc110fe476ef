"""People served, for people: the rows of ``breakeven capacity`` and the line an evaluation prints per
self-host candidate."""

from __future__ import annotations

from breakeven.outputs.format import human_number, money
from breakeven.results import CapacityResult, PeopleServed


def users_text(p: PeopleServed) -> str:
    """``1,500 users`` or ``33 users (25–50)``."""
    low, high = p.users_range
    span = "" if low == high else f" ({human_number(low, 2)}–{human_number(high, 2)})"
    return f"{human_number(p.users, 3)} {p.profile} users{span}"


def cost_text(p: PeopleServed, currency: str | None) -> str:
    if p.cost_per_user_per_month is None or currency is None:
        return ""
    low, high = p.cost_per_user_range
    span = "" if low == high else f" ({money(low, currency)}–{money(high, currency)})"
    return f"{money(p.cost_per_user_per_month, currency)} per user a month{span}"


def served_line(p: PeopleServed, currency: str | None) -> str:
    """One line: users, the streams behind them, the cost per user and the basis."""
    basis = "stated throughput" if p.basis == "measured" else "performance model"
    cost = cost_text(p, currency)
    return (
        f"{users_text(p)}: {p.streams:,} streams at {human_number(p.min_tokens_per_s_per_stream)} tok/s ({basis})"
        + (f", {cost}" if cost else "")
    )


def capacity_rows(r: CapacityResult) -> list[tuple[str, str]]:
    p = r.served
    rows = [
        ("deployment", f"{r.model} on {r.gpus} x {r.gpu}, weights {r.precision}, KV {r.kv_precision}, {r.engine}"),
        ("users", p.name),
        ("served by one replica", users_text(p)),
        (
            "streams",
            f"{p.streams:,} at {human_number(p.min_tokens_per_s_per_stream)} tok/s each "
            f"({'stated throughput' if p.basis == 'measured' else 'performance model'})",
        ),
        (
            "performance model",
            f"{p.model_streams:,} streams at that speed; one stream runs at "
            f"{human_number(p.model_tokens_per_s_per_stream)} tok/s",
        ),
    ]
    if r.gpu_rent_per_month is not None:
        rows.append(("GPU rent (24/7)", f"{money(r.gpu_rent_per_month, r.currency)} a month"))
        rows.append(("per user", cost_text(p, r.currency) or "-"))
    rows += [("note", n) for n in p.notes]
    return rows
