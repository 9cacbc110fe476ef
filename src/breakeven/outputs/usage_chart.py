"""The measured workload as a chart: the hour-of-day profile (requests per hour over the mean, in the
report's time zone) and the monthly trend (tokens and requests per month). Self-contained HTML (the
chart library inlined, works offline) or PNG (rendered by kaleido in a local Chrome or Chromium)."""

from __future__ import annotations

from pathlib import Path

from breakeven.errors import InputError
from breakeven.ingest.usage.report import UsageReport


def figure(report: UsageReport):
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    fig = make_subplots(
        rows=1,
        cols=2,
        subplot_titles=(f"requests by hour of day ({report.time_zone}), mean = 1", "tokens and requests per month"),
        specs=[[{}, {"secondary_y": True}]],
    )
    hours = [f"{h:02d}" for h in range(24)]
    profile = report.hourly_profile or [1.0] * 24
    name = "measured" if report.hourly_profile else "no hourly data: flat"
    fig.add_trace(go.Bar(x=hours, y=profile, name=f"hourly profile ({name})"), row=1, col=1)
    months = [m.month + (" (part)" if m.partial else "") for m in report.monthly]
    fig.add_trace(go.Bar(x=months, y=[m.input for m in report.monthly], name="input tokens"), row=1, col=2)
    fig.add_trace(go.Bar(x=months, y=[m.output for m in report.monthly], name="output tokens"), row=1, col=2)
    fig.add_trace(
        go.Scatter(x=months, y=[m.requests for m in report.monthly], name="requests", mode="lines+markers"),
        row=1,
        col=2,
        secondary_y=True,
    )
    fig.update_layout(barmode="stack", title="breakeven ingest: " + ", ".join(s.name for s in report.sources)[:120])
    fig.update_yaxes(title_text="tokens", row=1, col=2, secondary_y=False)
    fig.update_yaxes(title_text="requests", row=1, col=2, secondary_y=True)
    return fig


def write_chart(report: UsageReport, path: str | Path) -> None:
    """Write the chart as HTML (``.html``) or PNG (``.png``)."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in (".html", ".htm", ".png"):
        raise InputError("chart", str(path), "a file name ending in .html or .png")
    fig = figure(report)
    if suffix == ".png":
        try:
            fig.write_image(str(target), width=1200, height=500)
        except Exception as exc:  # kaleido needs a Chrome/Chromium it can start
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
            raise InputError("chart", str(path), f"an .html chart, or Chrome/Chromium for PNG ({first})") from None
    else:
        fig.write_html(str(target), include_plotlyjs=True)
