"""The HTML report: one self-contained file (the chart library inlined, no request leaves it) that a
person can forward. The answer in one sentence first; then the cost curves with the crossover and its
P10-P90 band, how likely self-hosting wins, the tornado, the horizon, the candidates with their cost
breakdowns, and every assumption with its value, unit, source and firm/est mark."""

from __future__ import annotations

from html import escape
from pathlib import Path

from breakeven import __version__
from breakeven.outputs import charts
from breakeven.outputs import report_tables as tables
from breakeven.outputs.format import money, percent, volume
from breakeven.outputs.report_tables import NO_BREAK_EVEN, TextTable
from breakeven.outputs.summary import answer, headline_pair, method, sentence, still_inputs_line, volume_spread
from breakeven.results import Evaluation

CHART_CONFIG = {"displaylogo": False, "responsive": True}
STYLE = """
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328; margin: 0; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 20px 60px; }
h1 { font-size: 1.6em; margin: 0 0 4px; } h2 { margin-top: 2.2em; border-bottom: 1px solid #d0d7de; }
.answer { font-size: 1.25em; line-height: 1.45; background: #f6f8fa; border-left: 4px solid #0969da;
  padding: 12px 16px; margin: 16px 0; }
.kpis { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0 4px; }
.kpi { flex: 1 1 220px; border: 1px solid #d0d7de; border-radius: 6px; padding: 10px 14px; }
.kpi b { display: block; font-size: 1.35em; } .kpi span { color: #57606a; font-size: .9em; }
table { border-collapse: collapse; width: 100%; font-size: .88em; margin: 8px 0; }
th, td { border-bottom: 1px solid #d8dee4; padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; } td.num { text-align: right; white-space: nowrap; }
.badge { border-radius: 10px; padding: 0 7px; font-size: .85em; }
.badge.firm { background: #dafbe1; color: #116329; } .badge.est { background: #fff8c5; color: #7d4e00; }
.note, footer { color: #57606a; font-size: .9em; } .scroll { overflow-x: auto; }
"""


def _plotly_js() -> str:
    import plotly

    return (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text(encoding="utf-8")


def _chart(fig, key: str) -> str:
    return fig.to_html(full_html=False, include_plotlyjs=False, div_id=f"chart-{key}", config=CHART_CONFIG)


def _cell(text: str, numeric: bool) -> str:
    if text in ("firm", "est"):
        return f'<td><span class="badge {text}">{text}</span></td>'
    return f'<td class="num">{escape(text)}</td>' if numeric else f"<td>{escape(text)}</td>"


def table(t: TextTable) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in t.headers)
    body = "".join(
        "<tr>" + "".join(_cell(cell, i in t.numeric) for i, cell in enumerate(row)) + "</tr>" for row in t.rows
    )
    return f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def _kpi(value: str, label: str) -> str:
    return f'<div class="kpi"><b>{escape(value)}</b><span>{escape(label)}</span></div>'


def _kpis(e: Evaluation) -> str:
    out = []
    u, h, pair = e.uncertainty, e.horizon, headline_pair(e)
    if u is not None and u.probability_selfhost_cheapest is not None:
        out.append(
            _kpi(percent(u.probability_selfhost_cheapest), f"of {u.samples:,} samples: self-hosting is cheapest")
        )
    if pair is not None:
        found = next((b for b in (u.break_even if u else []) if (b.api, b.selfhost) == (pair.api, pair.selfhost)), None)
        label = f"break-even, {pair.selfhost} against {pair.api}"
        text = volume(pair.selfhost_cheaper_above, e.axis)
        out.append(_kpi(text, label + (f" ({volume_spread(found.selfhost_cheaper_above, e.axis)})" if found else "")))
    if h is not None:
        best = next(c for c in h.candidates if c.name == h.cheapest)
        out.append(
            _kpi(
                h.cheapest,
                f"lowest net present cost over {h.months} months ({money(best.net_present_cost, e.currency)})",
            )
        )
    return f'<div class="kpis">{"".join(out)}</div>'


def _section(title: str, *parts: str) -> str:
    return f"<section><h2>{escape(title)}</h2>{''.join(parts)}</section>"


def _note(text: str) -> str:
    return f'<p class="note">{escape(text)}</p>'


def _uncertainty_sections(e: Evaluation) -> list[str]:
    u = e.uncertainty
    if u is None:
        return []
    out = [
        _section(
            "How likely is each candidate the cheapest?",
            f"<p>{escape(sentence(u.summary))}</p>",
            _chart(charts.probability_chart(e), "probability"),
            _note(
                "Bars: share of samples in which the candidate is the cheapest that meets the service level; "
                "whiskers: its 95% confidence interval."
            ),
        )
    ]
    if u.tornado:
        still = still_inputs_line(u.tornado)
        moving = (
            [
                _chart(charts.tornado_chart(e), "tornado"),
                _note(
                    "Each input swung from the low to the high end of its range with every other input at its "
                    "median, largest effect first."
                ),
                table(tables.tornado(e)),
            ]
            if any(b.moves for b in u.tornado)
            else []
        )
        out.append(_section("What moves the answer", *moving, *([_note(still)] if still else [])))
    return out


def _horizon_section(e: Evaluation) -> list[str]:
    if e.horizon is None:
        return []
    parts = [_chart(charts.horizon_chart(e), "horizon"), table(tables.horizon(e))]
    if e.horizon.payback:
        parts.append(table(tables.paybacks(e)))
    if e.horizon.break_even:
        parts.append(table(tables.time_break_evens(e)))
    return [_section(f"Over {e.horizon.months} months", *parts)]


def _break_evens(e: Evaluation) -> str:
    if not e.break_even:
        return _note(NO_BREAK_EVEN)
    return table(tables.break_evens(e))


def html_report(e: Evaluation) -> str:
    """The whole report as one HTML document."""
    sections = [
        _section("Cost against volume", _chart(charts.cost_curves_chart(e), "curves"), _break_evens(e)),
        *_uncertainty_sections(e),
        *_horizon_section(e),
        _section("Candidates", table(tables.candidates(e))),
        _section("Assumptions", table(tables.assumptions(e))),
    ]
    if e.uncertainty is not None:
        sections.append(_section("Uncertain inputs", table(tables.inputs(e))))
    sections.append(_section("Method", f"<p>{escape(method(e))}</p>"))
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(e.name)} — breakeven report</title><style>{STYLE}</style>"
        f"<script>{_plotly_js()}</script></head><body><main>"
        f'<h1>{escape(e.name)}</h1><p class="answer" id="answer">{escape(answer(e))}</p>{_kpis(e)}'
        f"{''.join(sections)}<footer>breakeven {escape(__version__)}</footer></main></body></html>"
    )
