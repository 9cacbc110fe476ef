// breakeven knobs page: the costs over time. Draws the `horizon` block of POST /api/evaluate (each
// candidate's cash month by month, cumulated; net present costs; when buying pays back; from when
// self-hosting is cheaper) with the response's `display` strings. Uses app.js's helpers ($, el,
// numberSpan, curveColors, escapeHtml, CHART_CONFIG) and its state (horizonOn), at call time.
"use strict";

const HORIZON_MARKS = 4;
/** Payback and crossover months marked on the horizon chart (the list below it has them all). */

/** The horizon's section: hidden unless shown; marked as updating until the response has it. */
function drawHorizon(r) {
  const box = $("horizon-box"), on = horizonOn();
  box.hidden = !on || (!r.horizon && !$("horizon-table").tBodies[0].hasChildNodes());
  box.classList.toggle("pending", on && !r.horizon);
  if (!on || !r.horizon) return Promise.resolve();
  drawHorizonNote(r);
  drawHorizonTable(r);
  drawPaybacks(r);
  return drawHorizonChart(r);
}
function drawHorizonNote(r) {
  const s = r.display.horizon.settings;
  $("horizon-note").replaceChildren("Month by month over ", numberSpan(s.months, "horizon.months"), " months: API prices change by ",
    numberSpan(s.api_price_change_per_year, "horizon.api_price_change_per_year"), " a year, GPU rent by ",
    numberSpan(s.gpu_rent_change_per_year, "horizon.gpu_rent_change_per_year"), " a year, the volume grows ",
    numberSpan(s.demand_growth_per_month, "horizon.demand_growth_per_month"), " a month; net present costs are discounted at ",
    numberSpan(s.discount_rate, "horizon.discount_rate"), " a year.");
}
function drawHorizonTable(r) {
  const h = r.horizon, shown = r.display.horizon.candidates, last = h.months - 1;
  const spread = h.candidates.some((c) => c.net_present_cost_percentiles);
  const heads = ["candidate", "net present cost", ...(spread ? ["P10 to P90"] : []), `cash over ${h.months} months`, "month 1", `month ${h.months}`];
  $("horizon-table").tHead.replaceChildren(el("tr", {}, ...heads.map((t) => el("th", { scope: "col" }, t))));
  const rows = h.candidates.map((c, i) => {
    const d = shown[c.name], k = `horizon.candidates.${i}`, p = d.net_present_cost_percentiles;
    const cells = [el("th", { scope: "row" }, c.name), el("td", {}, numberSpan(d.net_present_cost, `${k}.net_present_cost`))];
    if (spread) cells.push(el("td", {}, ...(p ? [numberSpan(p.p10, `${k}.net_present_cost_percentiles.p10`), " to ", numberSpan(p.p90, `${k}.net_present_cost_percentiles.p90`)] : ["-"])));
    cells.push(el("td", {}, numberSpan(d.cash, `${k}.cumulative_cost.${last}`)), el("td", {}, numberSpan(d.first_month, `${k}.monthly_cost.0`)),
      el("td", {}, numberSpan(d.last_month, `${k}.monthly_cost.${last}`)));
    return el("tr", {}, ...cells);
  });
  $("horizon-table").tBodies[0].replaceChildren(...rows);
}
/** When buying pays back against each alternative, and from when self-hosting costs less than each
 * API (in total, and month by month); the sentence says so where it does not within the horizon. */
function drawPaybacks(r) {
  const h = r.horizon, d = r.display.horizon;
  const items = h.payback.map((p, i) => {
    const shown = d.paybacks[i], k = `horizon.payback.${i}`;
    const line = p.month === null ? [`Buying (${p.own}) does not pay back against ${p.against} within the horizon`]
      : [`Buying (${p.own}) pays back against ${p.against} in `, el("strong", {}, numberSpan(shown.month, `${k}.month`)),
        " (", numberSpan(shown.discounted_month, `${k}.discounted_month`), " discounted)"];
    if (p.probability_within_horizon !== null && p.probability_within_horizon !== undefined) {
      line.push("; within the horizon in ", numberSpan(shown.probability_within_horizon, `${k}.probability_within_horizon`), " of samples");
    }
    return el("li", {}, ...line, ".");
  });
  h.break_even.forEach((b, j) => {
    const shown = d.break_even_months[j], k = `horizon.break_even.${j}`;
    const total = b.cumulative_selfhost_cheaper_from_month === null
      ? [`${b.selfhost} does not cost less than ${b.api} in total within the horizon`]
      : [`${b.selfhost} costs less than ${b.api} in total from `, el("strong", {}, numberSpan(shown.cumulative_selfhost_cheaper_from_month, `${k}.cumulative_selfhost_cheaper_from_month`))];
    const monthly = b.selfhost_cheaper_from_month === null ? []
      : [`${total.length > 1 ? ", and" : ", though it does"} every month from `, numberSpan(shown.selfhost_cheaper_from_month, `${k}.selfhost_cheaper_from_month`)];
    items.push(el("li", {}, ...total, ...monthly, "."));
  });
  $("paybacks").replaceChildren(...items);
}
/** Cumulative cash of every candidate, month by month, with the payback and crossover months marked. */
function drawHorizonChart(r) {
  const h = r.horizon, colors = curveColors(r), d = r.display.horizon;
  const months = Array.from({ length: h.months }, (_, i) => i + 1);
  const traces = h.candidates.map((c) => ({ x: months, y: c.cumulative_cost, name: c.name, mode: "lines", type: "scatter",
    line: { color: colors.get(c.name) || "#57606a", width: 2.5 }, hovertemplate: `month %{x}<br>${escapeHtml(r.currency)} %{y:,.4s}<extra>${escapeHtml(c.name)}</extra>` }));
  const marks = [
    ...h.payback.map((p, i) => [p.month, `${p.own} pays back: ${d.paybacks[i].month}`]),
    ...h.break_even.map((b, j) => [b.cumulative_selfhost_cheaper_from_month,
      `${b.selfhost} ahead${h.break_even.length > 1 ? ` of ${b.api}` : ""}: ${d.break_even_months[j].cumulative_selfhost_cheaper_from_month}`]),
  ].filter(([m]) => m !== null).slice(0, HORIZON_MARKS);
  const shapes = marks.map(([m]) => ({ type: "line", x0: m, x1: m, yref: "paper", y0: 0, y1: 1, line: { color: "#1a7f37", dash: "dash", width: 1 } }));
  const annotations = marks.map(([m, text], n) => ({ x: m, y: 0.96 - 0.09 * n, yref: "paper", text: escapeHtml(text), showarrow: false,
    xanchor: m > h.months / 2 ? "right" : "left", xshift: m > h.months / 2 ? -4 : 4, font: { color: "#1a7f37", size: 12 }, bgcolor: "rgba(255,255,255,0.85)" }));
  $("horizon-caption").textContent = `Cumulative cost of each candidate, in cash, not discounted (${r.currency}); dashed lines: the month from which buying pays back, or from which self-hosting costs less in total.`;
  const layout = { margin: { l: 64, r: 12, t: 12, b: 48 }, showlegend: true, legend: { orientation: "h", y: -0.22 },
    xaxis: { title: { text: "month" }, range: [1, Math.max(2, h.months)] }, yaxis: { title: { text: `${r.currency}, cumulative` }, rangemode: "tozero" }, shapes, annotations };
  return Plotly.react("horizon-chart", traces, layout, CHART_CONFIG);
}
