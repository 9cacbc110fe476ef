"""Sentences about an Evaluation, shared by every face: the answer in one sentence, percentile
ranges, and the lines that describe break-evens, paybacks and tornado bars."""

from __future__ import annotations

from collections.abc import Callable

from breakeven.outputs.format import money, month, percent, short_volume, volume, volume_span
from breakeven.results import BreakEvenResult, Evaluation, Payback, Percentiles, TornadoBar


def spread(p: Percentiles | None, show: Callable[[float | None], str]) -> str:
    """``P10–P90: a–b`` (``never`` for a missing end)."""
    if p is None:
        return ""
    return f"P10–P90: {show(p.p10)}–{show(p.p90)}"


def volume_spread(p: Percentiles, axis: str) -> str:
    """``P10–P90: 16,029–never monthly active users``."""
    return f"P10–P90: {volume_span(p.p10, p.p90, axis)}"


def headline_pair(e: Evaluation) -> BreakEvenResult | None:
    """The break-even between the cheapest API and the cheapest self-host candidate."""
    costs = {c.name: c.monthly_cost for c in e.candidates}
    pairs = sorted(e.break_even, key=lambda b: (costs[b.api], costs[b.selfhost]))
    return pairs[0] if pairs else None


def answer(e: Evaluation) -> str:
    """The answer in one sentence: the cheapest now, where self-hosting starts to win, and how sure."""
    best = next(c for c in e.candidates if c.name == e.recommendation)
    cost = money(best.monthly_cost, e.currency)
    text = f"At {volume(e.volume, e.axis)}, {best.name} is the cheapest choice at {cost}/month"
    pair = headline_pair(e)
    if pair is not None:
        where = volume(pair.selfhost_cheaper_above, e.axis)
        if pair.selfhost_cheaper_above is None:
            text += f"; self-hosting ({pair.selfhost}) never becomes cheaper than {pair.api}"
        else:
            text += f"; self-hosting ({pair.selfhost}) stays cheaper than {pair.api} above {where}"
        u = e.uncertainty
        found = (
            None
            if u is None
            else next((b for b in u.break_even if (b.api, b.selfhost) == (pair.api, pair.selfhost)), None)
        )
        if found is not None and found.selfhost_cheaper_above.p10 != found.selfhost_cheaper_above.p90:
            text += f" ({volume_spread(found.selfhost_cheaper_above, e.axis)})"
    if e.uncertainty is not None:
        text += f", and {e.uncertainty.summary}"
    return text + "."


def sentence(text: str) -> str:
    """``text`` as a sentence: a capital first letter and a full stop."""
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def break_even_line(b: BreakEvenResult) -> str:
    if b.selfhost_cheaper_above is None:
        return f"{b.selfhost} vs {b.api}: never — {b.reason}"
    extra = f" ({len(b.crossings)} crossings)" if len(b.crossings) > 1 else ""
    return (
        f"{b.selfhost} vs {b.api}: self-hosting stays cheaper above {volume(b.selfhost_cheaper_above, b.axis)}{extra}"
    )


def payback_line(p: Payback) -> str:
    text = f"buying ({p.own}) pays back against {p.against}: {month(p.month)}"
    if p.discounted_month != p.month:
        text += f" ({month(p.discounted_month)} discounted)"
    if p.probability_within_horizon is not None:
        text += f"; within the horizon in {percent(p.probability_within_horizon)} of samples"
    return text


def tornado_effect(b: TornadoBar) -> str:
    """What swinging the input does to the break-even: ``1.2M → never``."""
    return f"{short_volume(b.low)} → {short_volume(b.high)}"


def still_inputs_line(tornado: list[TornadoBar]) -> str | None:
    """The uncertain inputs that move neither the break-even nor the cost gap, in one sentence (the
    tables list only the inputs that move the answer); None when every input moves it."""
    still = [b.input for b in tornado if not b.moves]
    if not still:
        return None
    if len(still) == len(tornado):
        lead = f"None of the {len(still)} uncertain inputs moves the break-even or the cost gap: "
    else:
        more = "One more input moves" if len(still) == 1 else f"{len(still)} more inputs move"
        lead = f"{more} neither the break-even nor the cost gap: "
    return lead + ", ".join(still) + "."


def method(e: Evaluation) -> str:
    """How the figures were computed, in a paragraph."""
    text = (
        "Point estimate: every range and distribution at its median, every catalog figure as published. "
        "Break-evens are exact (closed form on each replica step)."
    )
    u = e.uncertainty
    if u is not None:
        text += (
            f" Monte Carlo: {u.samples:,} samples, seed {u.seed}; a [low, high] range is uniform, a normal or "
            f"lognormal has 90% of its draws between its low and high; catalog figures marked est are drawn "
            f"uniformly within ±{u.est_spread:.0%}. The performance model's inputs take {u.performance_draws:,} "
            "distinct draws, each paired with the cost samples that share it; a figure used twice (a GPU price "
            "behind every replica) is one draw per sample. Probabilities carry 95% intervals that count samples "
            "sharing a performance draw as one cluster."
        )
    h = e.horizon
    if h is not None:
        text += (
            f" Horizon: {h.months} months of cash (owned GPUs paid when bought and replaced after their "
            f"depreciation years, a terminal book value at the end), discounted at {h.discount_rate:.0%} a year"
            + (f"; its spread over {h.samples:,} samples" if h.samples else "")
            + "."
        )
    return text


def plan_sentence(e: Evaluation) -> str:
    """The best plan in a sentence, with what it is made of."""
    best = next(p for p in e.plans if p.name == e.best_plan)
    text = (
        f"At {volume(e.volume, e.axis)}, the best plan is {best.name} at {money(best.monthly_cost, e.currency)}/month"
    )
    h = best.hybrid
    if h is not None and best.replicas:
        serving = best.replicas - h.standby_replicas
        text += (
            f": {serving:,} replica{'' if serving == 1 else 's'} of {h.selfhost} "
            f"({'always on' if h.schedule == 'always' else h.working_hours}) carry {percent(1 - best.overflow_share)} "
            f"of the tokens and {h.api} takes {percent(best.overflow_share)}"
        )
    elif h is not None:
        text += f": no replica pays at this volume, so it is {h.api} alone"
    return text + "."
