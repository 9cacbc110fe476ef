// breakeven knobs page: how sure the answer is. Draws the `uncertainty` block of POST /api/evaluate
// (the Monte Carlo's probabilities, the spread of every cost and break-even, the tornado) with the
// response's `display` strings: no number here is computed or formatted by the page. Uses app.js's
// helpers ($, el, numberSpan, pairOf) and its state (opts, spreadProblem), at call time.
"use strict";

/** The Monte Carlo's percentiles of a break-even pair's lasting win, with the pair's index in
 * `uncertainty.break_even` (j), or null where the response has no spread. */
function pairSpread(r, be) {
  if (!r.uncertainty) return null;
  const j = r.uncertainty.break_even.findIndex((b) => b.api === be.api && b.selfhost === be.selfhost);
  return j < 0 ? null : { ...r.uncertainty.break_even[j].selfhost_cheaper_above, j };
}

/** The answer box's odds, the candidates' spread and the tornado: shown when the response has them,
 * marked as updating while the Monte Carlo for new settings is awaited, hidden when switched off. */
function drawSpread(r) {
  const on = opts.uncertainty, here = on && Boolean(r.uncertainty) && !spreadProblem;
  if (spreadProblem) for (const id of ["odds", "tornado-caption", "tornado-still"]) $(id).replaceChildren();
  if (here) { drawOdds(r); drawTornado(r); }
  const shown = { odds: $("odds").hasChildNodes(), "spread-box": $("tornado-caption").hasChildNodes() };
  for (const id of ["odds", "spread-box"]) {
    $(id).hidden = !on || !shown[id];
    $(id).classList.toggle("pending", on && !here);  // the figures of the settings before, until the new ones come
  }
  const status = $("spread-status");
  status.hidden = !on || here;
  status.textContent = spreadProblem ? `How sure the answer is could not be worked out: ${spreadProblem}.`
    : "Working out how sure the answer is for these settings…";
}

function drawOdds(r) {
  const u = r.uncertainty, d = r.display.uncertainty, out = [];
  if (u.probability_selfhost_cheapest === null) out.push(`How sure: ${u.summary}.`);
  else {
    const iv = d.probability_selfhost_cheapest_interval, k = "uncertainty.probability_selfhost_cheapest";
    out.push("How sure: self-hosting is the cheaper choice in ", el("strong", {}, numberSpan(d.probability_selfhost_cheapest, k)),
      " of ", numberSpan(d.samples, "uncertainty.samples"), " samples (95% interval ", numberSpan(iv.low, `${k}_interval.low`),
      " to ", numberSpan(iv.high, `${k}_interval.high`), ").");
  }
  const be = pairOf(r), s = be ? pairSpread(r, be) : null;
  if (s) out.push(" ", ...breakEvenOdds(r, be, s), ".");
  $("odds").replaceChildren(...out);
}

/** The headline pair's break-even in words: its P10, P50 and P90 (or one figure where they agree),
 * and how often self-hosting never stays cheaper. */
function breakEvenOdds(r, be, s) {
  const shown = r.display.uncertainty.break_even_percentiles[s.j], k = `uncertainty.break_even.${s.j}`;
  const never = numberSpan(shown.probability_never, `${k}.probability_never`);
  const who = `Self-hosting (${be.selfhost}) `;
  if (s.p10 === null) return [who, `never stays cheaper than ${be.api} in `, never, " of samples"];
  const at = (p) => numberSpan(shown[p], `${k}.selfhost_cheaper_above.${p}`);
  const where = s.p10 === s.p90 ? [at("p50"), " at P10, P50 and P90 alike"] : [at("p10"), " at P10, ", at("p50"), " at P50 and ", at("p90"), " at P90"];
  const out = [who, `stays cheaper than ${be.api} above `, ...where];
  if (r.uncertainty.break_even[s.j].probability_never > 0) out.push("; it never does in ", never, " of samples");
  return out;
}

/** A candidate's spread for its row in the candidates table (empty without the Monte Carlo). */
function candidateSpread(r, name) {
  if (!r.uncertainty || !opts.uncertainty) return [];
  const i = r.uncertainty.candidates.findIndex((c) => c.name === name);
  if (i < 0) return [];
  const d = r.display.uncertainty.candidates[name], k = `uncertainty.candidates.${i}`, iv = d.probability_cheapest_interval;
  return [el("br"), "P10 to P90: ", numberSpan(d.monthly_cost_percentiles.p10, `${k}.monthly_cost.p10`), " to ",
    numberSpan(d.monthly_cost_percentiles.p90, `${k}.monthly_cost.p90`), " a month; the cheapest in ",
    numberSpan(d.probability_cheapest, `${k}.probability_cheapest`), " of samples (95% interval ",
    numberSpan(iv.low, `${k}.probability_cheapest_interval.low`), " to ", numberSpan(iv.high, `${k}.probability_cheapest_interval.high`), ")."];
}

// ----------------------------------------------------------------------------- the tornado

/** Where each bar's two ends sit, as shares of the half-width from the centre (-1 to 1): on the
 * break-even where the pair has one (an end that never breaks even reaches the edge), else on the
 * monthly cost gap. Layout only, from the server's figures. */
function tornadoReach(u) {
  const byVolume = u.tornado_break_even !== null;
  const centre = byVolume ? u.tornado_break_even : u.tornado_gap;
  const ends = u.tornado.map((b) => (byVolume ? [b.low, b.high] : [b.gap_low, b.gap_high]));
  const far = Math.max(0, ...ends.flat().filter((v) => v !== null).map((v) => Math.abs(v - centre)));
  const edge = far > 0 ? far * 1.25 : 1;
  return ends.map((pair) => pair.map((v) => (v === null ? 1 : Math.max(-1, Math.min(1, (v - centre) / edge)))));
}
function tornadoBar(reach) {
  const segment = (f, end) => el("span", { class: `tbar-${end}`, style: `left:${50 + 50 * Math.min(0, f)}%;width:${50 * Math.abs(f)}%` });
  return el("div", { class: "tbar", "aria-hidden": "true" }, segment(reach[0], "low"), segment(reach[1], "high"), el("span", { class: "tbar-centre" }));
}
function drawTornado(r) {
  const u = r.uncertainty, d = r.display.uncertainty;
  const [first, second] = u.tornado_pair;
  const volumes = u.tornado.some((b) => b.low !== null || b.high !== null);
  const unit = AXIS_UNITS[r.axis];
  const centre = u.tornado_break_even !== null
    ? ["What moves the break-even of ", second, " against ", first, " (", numberSpan(d.tornado_break_even, "uncertainty.tornado_break_even"), " with every input at its median)"]
    : ["What moves the monthly cost of ", second, " minus ", first, " at ", r.display.volume, " (", numberSpan(d.tornado_gap, "uncertainty.tornado_gap"), " with every input at its median)"];
  $("tornado-caption").replaceChildren(...centre, ": each uncertain input swung from the low to the high end of its range, the others at their median; largest swing first. ",
    `Cost gap: ${second}'s monthly cost minus ${first}'s at `, r.display.volume, ". Bars: ",
    el("span", { class: "key-low" }, "the input at its low end"), ", ", el("span", { class: "key-high" }, "at its high end"), ".");
  const heads = ["input", "range (low to high)", ...(volumes ? [`break-even, ${unit} (low → high)`, "swing"] : []), "cost gap a month (low → high)"];
  $("tornado").tHead.replaceChildren(el("tr", {}, ...heads.map((h) => el("th", { scope: "col" }, h))));
  const reach = tornadoReach(u), moving = u.tornado.map((b) => b.moves);
  const rows = u.tornado.flatMap((b, i) => (moving[i] ? [i] : [])).map((i) => {
    const b = u.tornado[i];
    const shown = d.tornado[i], k = `uncertainty.tornado.${i}`;
    const arrow = (lo, hi) => [numberSpan(shown[lo], `${k}.${lo}`), " → ", numberSpan(shown[hi], `${k}.${hi}`)];
    const cells = [el("th", { scope: "row" }, b.input, tornadoBar(reach[i])),
      el("td", {}, numberSpan(shown.input_low, `${k}.input_low`), "–", numberSpan(shown.input_high, `${k}.input_high`), ` ${b.unit}`)];
    if (volumes) cells.push(el("td", {}, ...arrow("low", "high")), el("td", {}, b.flips ? "never at one end" : numberSpan(shown.swing, `${k}.swing`)));
    cells.push(el("td", {}, ...arrow("gap_low", "gap_high")));
    return el("tr", {}, ...cells);
  });
  $("tornado").tBodies[0].replaceChildren(...rows);
  $("tornado-wrap").hidden = rows.length === 0;
  drawStillInputs(d.tornado_still);
}

/** The uncertain inputs that move neither the break-even nor the cost gap, named in one sentence
 * (the server's) below the table rather than as rows of zeros. */
function drawStillInputs(line) {
  $("tornado-still").replaceChildren(line || "");
  $("tornado-still").hidden = !line;
}
