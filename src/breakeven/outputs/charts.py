"""Charts (Plotly figures): cost curves with their P10-P90 bands and the crossover, the probability
that each candidate is cheapest, the tornado, the horizon, and a calibration's predicted against
measured. Figures only; the HTML report and the CLI decide where they go."""

from __future__ import annotations

import plotly.graph_objects as go


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
