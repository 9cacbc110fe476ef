"""Charts (Plotly figures): cost curves with their P10-P90 bands and the crossover, the probability
that each candidate is cheapest, the tornado, the horizon, and a calibration's predicted against
measured. Figures only; the HTML report and the CLI decide where they go."""

from __future__ import annotations

import math

import plotly.graph_objects as go

from breakeven.outputs.format import AXIS_UNITS, short_volume
from breakeven.outputs.summary import headline_pair
from breakeven.results import Evaluation

PALETTE = ("#0969da", "#cf222e", "#1a7f37", "#8250df", "#bc4c00", "#0a3069", "#bf8700", "#6e7781")
"""Candidate colours, in the scenario's order (accessible on white; the same in every chart)."""
LAYOUT = {
    "template": "plotly_white",
    "margin": {"l": 70, "r": 20, "t": 50, "b": 60},
    "legend": {"orientation": "h", "y": -0.2},
    "height": 440,
}


def _colour(e: Evaluation, name: str) -> str:
    names = [c.name for c in e.candidates]
    return PALETTE[names.index(name) % len(PALETTE)]


def _fill(hex_colour: str, alpha: float = 0.15) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _band(fig: go.Figure, x: list, low: list, high: list, colour: str, name: str) -> None:
    """A shaded P10-P90 band between two lines."""
    edge = {"mode": "lines", "line": {"width": 0}, "hoverinfo": "skip"}
    fig.add_trace(go.Scatter(x=x, y=high, showlegend=False, **edge))
    fig.add_trace(go.Scatter(x=x, y=low, fill="tonexty", fillcolor=_fill(colour), name=f"{name} P10–P90", **edge))


def cost_curves_chart(e: Evaluation) -> go.Figure:
    """Monthly cost of every candidate along the volume axis (log), each with its P10-P90 band; the
    headline break-even and its P10-P90 band shaded; the scenario's volume marked."""
    fig = go.Figure()
    bands = {b.candidate: b for b in (e.uncertainty.curves if e.uncertainty else [])}
    for curve in e.curves:
        colour = _colour(e, curve.candidate)
        band = bands.get(curve.candidate)
        if band is not None:
            _band(fig, band.volumes, band.p10, band.p90, colour, curve.candidate)
        shape = "hv" if curve.replicas is not None else "linear"
        fig.add_trace(
            go.Scatter(
                x=curve.volumes,
                y=curve.monthly_cost,
                mode="lines",
                line={"color": colour, "shape": shape},
                name=curve.candidate,
            )
        )
    _mark_break_even(fig, e)
    fig.add_vline(x=e.volume, line={"dash": "dot", "color": "#57606a"})
    _label(fig, e.volume, 0.98, f"now: {short_volume(e.volume)}", "right")
    fig.update_layout(
        **LAYOUT,
        title="Monthly cost against volume",
        xaxis={"type": "log", "title": AXIS_UNITS[e.axis]},
        yaxis={"type": "log", "title": f"{e.currency} per month"},
    )
    return fig


def _label(fig: go.Figure, volume: float, height: float, text: str, side: str) -> None:
    """A label beside a vertical line on the log volume axis (annotations take log10 there)."""
    fig.add_annotation(
        x=math.log10(volume),
        y=height,
        yref="paper",
        text=text,
        showarrow=False,
        xanchor="left" if side == "left" else "right",
        xshift=4 if side == "left" else -4,
        font={"color": "#57606a"},
    )


def _mark_break_even(fig: go.Figure, e: Evaluation) -> None:
    pair = headline_pair(e)
    if pair is None or pair.selfhost_cheaper_above is None:
        return
    fig.add_vline(x=pair.selfhost_cheaper_above, line={"color": "#1f2328", "width": 1})
    _label(fig, pair.selfhost_cheaper_above, 0.03, f"break-even {short_volume(pair.selfhost_cheaper_above)}", "left")
    found = next(
        (
            b
            for b in (e.uncertainty.break_even if e.uncertainty else [])
            if (b.api, b.selfhost) == (pair.api, pair.selfhost)
        ),
        None,
    )
    if found is not None and found.selfhost_cheaper_above.p10 is not None:
        lo = found.selfhost_cheaper_above.p10
        hi = found.selfhost_cheaper_above.p90 or max(e.curves[0].volumes)
        fig.add_vrect(x0=lo, x1=hi, fillcolor="rgba(31,35,40,0.08)", line_width=0)
        _label(fig, lo, 0.9, "P10–P90", "left")


def probability_chart(e: Evaluation) -> go.Figure:
    """How often each candidate is the cheapest, with its 95% interval."""
    u = e.uncertainty
    names = [c.name for c in u.candidates]
    shares = [c.probability_cheapest for c in u.candidates]
    fig = go.Figure(
        go.Bar(
            x=shares,
            y=names,
            orientation="h",
            marker={"color": [_colour(e, n) for n in names]},
            error_x={
                "type": "data",
                "symmetric": False,
                "array": [c.probability_cheapest_interval.high - c.probability_cheapest for c in u.candidates],
                "arrayminus": [c.probability_cheapest - c.probability_cheapest_interval.low for c in u.candidates],
            },
            text=[f"{s:.0%}" for s in shares],
            textposition="outside",
        )
    )
    fig.update_layout(
        **{**LAYOUT, "height": 120 + 40 * len(names)},
        title=f"Cheapest in how many of {u.samples:,} samples",
        xaxis={"range": [0, 1.1], "tickformat": ".0%"},
        yaxis={"autorange": "reversed"},
    )
    return fig


TORNADO_BARS = 12
"""Inputs drawn in the tornado chart (those that move the answer, largest first)."""


def _tornado_ends(e: Evaluation, bars) -> tuple[list[float], list[float], list[bool], list[bool], float, str, str]:
    """(low ends, high ends, low never, high never, centre, title, axis title) of the tornado bars."""
    u = e.uncertainty
    first, second = u.tornado_pair
    if u.tornado_break_even is None:
        gaps = [b.gap_low for b in bars], [b.gap_high for b in bars]
        none = [False] * len(bars)
        title = f"What moves {second} minus {first} at the volume"
        return *gaps, none, none, u.tornado_gap, title, f"{e.currency} per month"
    finite = [v for b in bars for v in (b.low, b.high) if v is not None] + [u.tornado_break_even]
    edge = max(finite) * 1.25
    lows = [edge if b.low is None else b.low for b in bars]
    highs = [edge if b.high is None else b.high for b in bars]
    title = f"What moves the break-even of {second} against {first}"
    never_low, never_high = [b.low is None for b in bars], [b.high is None for b in bars]
    return lows, highs, never_low, never_high, u.tornado_break_even, title, AXIS_UNITS[e.axis]


def tornado_chart(e: Evaluation) -> go.Figure:
    """Each input's effect from the centre (every input at its median) to its low end and its high
    end: on the break-even where the pair has one (an end where self-hosting never breaks even reaches
    the chart's edge, marked "never"), else on the monthly cost gap at the volume."""
    bars = [b for b in e.uncertainty.tornado if b.moves][:TORNADO_BARS]
    lows, highs, never_low, never_high, centre, title, axis = _tornado_ends(e, bars)
    labels = [b.input for b in bars]
    fig = go.Figure()
    for end, values, never, colour in (("low", lows, never_low, "#0969da"), ("high", highs, never_high, "#cf222e")):
        fig.add_trace(
            go.Bar(
                y=labels,
                x=[v - centre for v in values],
                base=centre,
                orientation="h",
                name=f"input at its {end} end",
                marker={"color": colour, "opacity": 0.8},
                hovertext=[f"{v:,.0f}" for v in values],
            )
        )
        for label, value, is_never in zip(labels, values, never):
            if is_never:
                fig.add_annotation(
                    x=value, y=label, text="never", showarrow=False, xanchor="right", font={"color": "white"}
                )
    fig.add_vline(x=centre, line={"color": "#1f2328", "width": 1})
    fig.update_layout(
        **{**LAYOUT, "height": 160 + 34 * len(bars)},
        barmode="overlay",
        title=title,
        xaxis={"title": axis},
        yaxis={"autorange": "reversed"},
    )
    return fig


def horizon_chart(e: Evaluation) -> go.Figure:
    """Discounted cumulative cost of every candidate month by month, with its P10-P90 band."""
    h = e.horizon
    months = list(range(1, h.months + 1))
    fig = go.Figure()
    for c in h.candidates:
        colour = _colour(e, c.name)
        if c.discounted_cumulative_band is not None:
            low, high = zip(*c.discounted_cumulative_band)
            _band(fig, months, list(low), list(high), colour, c.name)
        fig.add_trace(
            go.Scatter(x=months, y=c.discounted_cumulative_cost, mode="lines", line={"color": colour}, name=c.name)
        )
    for p in h.payback:
        if p.discounted_month is not None:
            fig.add_vline(x=p.discounted_month, line={"dash": "dash", "color": _colour(e, p.own)})
    fig.update_layout(
        **LAYOUT,
        title=f"Cumulative cost over {h.months} months, discounted at {h.discount_rate:.0%} a year",
        xaxis={"title": "month"},
        yaxis={"title": e.currency},
    )
    return fig


def calibration_chart(cal):
    """Predicted against measured, before and after calibration, on log axes."""

    pts = cal.file.points
    fig = go.Figure()
    for label, key in (("before", "predicted_before"), ("after", "predicted_after")):
        fig.add_trace(
            go.Scatter(
                x=[p.measured for p in pts],
                y=[getattr(p, key) for p in pts],
                mode="markers",
                name=f"{label} calibration",
                text=[f"{p.metric} c={p.concurrency}" for p in pts],
            )
        )
    lo = min(min(p.measured, p.predicted_before, p.predicted_after) for p in pts)
    hi = max(max(p.measured, p.predicted_before, p.predicted_after) for p in pts)
    fig.add_trace(go.Scatter(x=[lo, hi], y=[lo, hi], mode="lines", name="predicted = measured", line={"dash": "dot"}))
    fig.update_layout(
        title=f"{cal.file.profile.id}: predicted vs measured",
        xaxis={"type": "log", "title": "measured"},
        yaxis={"type": "log", "title": "predicted"},
    )
    return fig
