// breakeven knobs page. Holds no cost formulas and no numbers of its own: the scenario it shows is the
// scenario it sends (POST /api/evaluate), the knobs and their bounds come from GET /api/knobs, presets
// from GET /api/examples, currency switches from POST /api/scenario/currency. It only builds the
// scenario, sends it and draws the answer. The state lives in the URL.
"use strict";

const DRAG_GAP_MS = 150;
/** Least time between two evaluation requests while a slider is dragged, in ms (about 7 redraws a
 * second): a drag fires an input event per pointer move, up to one per frame, so they are coalesced;
 * a single step (a key press, a typed value) is sent at once, one request in flight at a time. */
const SPREAD_QUIET_MS = 200;
/** Quiet time after a drawn answer before its Monte Carlo is asked for, in ms: key presses in a row
 * (each redrawn at once) then cost one Monte Carlo, not one each that the next press makes stale. */
const SLIDER_STEPS = 2000;
/** Positions of every slider: fine steps (0.05% of the span, or ~0.7% of the value on a log slider). */
const SNAP_DIGITS = 3;
/** Significant digits a slider's value snaps to (2,300 users, 0.155 shares); typed entries are exact. */
const AXIS_UNITS = { monthly_active_users: "MAU", requests_per_month: "requests/month", tokens_per_month: "tokens/month" };
const STRUCTURE = { mode: [], api_offer: ["offer", "provider", "model", "prices"], gpu_offer: ["pricing.kind", "pricing.offer"] };
/** What a structural select covers in the scenario (for the list of fields kept without a knob). */

const $ = (id) => document.getElementById(id);
const stats = { latencies: [], inputs: new Map(), drawn: 0, requests: 0, spreads: 0, spreadRequests: 0, spreadLatencies: [] };
/** True while a Monte Carlo the page wants is being asked for or awaited. */
Object.defineProperty(stats, "spreadPending", { get: () => spreadInFlight || spreadWanted !== null });
window.breakevenStats = stats;

let KNOBS = [], NEW_BLOCKS = {}, byId = new Map();
let catalogs = {}, presets = [], defaultPreset = "";
let scenario = null;            // the truth: exactly what is sent and evaluated
let base = { kind: "preset", id: "" };
let baseScenario = null;        // the preset or upload as given (reset, URL diffs)
let pick = { api: -1, host: -1 }; // indexes of the candidates the api / host knobs edit (-1: none)
let lastResult = null, view = "monthly", seq = 0;
let inFlight = false, dirty = false, timer = null, lastSend = -Infinity, fromUrl = false, dragging = false;
let shownKey = null;            // the spread request (URL and body) that belongs to the drawn answer; null: none
let spreadCache = { key: null, data: null }, spreadWanted = null, spreadInFlight = false, spreadProblem = null, spreadTimer = null;
let OPTIONS = null;             // the Monte Carlo options' bounds and defaults (GET /api/knobs)
const opts = { uncertainty: true, samples: 0, seed: "0", horizon: null }; // horizon null: shown if the scenario has one
const entryErrors = new Map();  // knob id -> what is wrong with what was typed

// ----------------------------------------------------------------------------- paths in the scenario

const clone = (x) => JSON.parse(JSON.stringify(x));
function parts(path) { return path.replace(/\[(\d+)\]/g, ".$1").split(".").filter((p) => p !== ""); }
function getAt(obj, ps) { for (const p of ps) { if (obj === null || obj === undefined) return undefined; obj = obj[p]; } return obj; }
function setAt(obj, ps, value) {
  for (const p of ps.slice(0, -1)) { if (typeof obj[p] !== "object" || obj[p] === null) obj[p] = {}; obj = obj[p]; }
  if (value === undefined) delete obj[ps[ps.length - 1]]; else obj[ps[ps.length - 1]] = value;
}
function candidates(kind) { return (scenario.candidates || []).map((c, i) => [c, i]).filter(([c]) => c.kind === kind); }
function scopeParts(scope) {
  if (scope === "api") return candidates("api").length ? ["candidates", String(pick.api)] : null;
  if (scope === "host") return candidates("selfhost").length ? ["candidates", String(pick.host)] : null;
  return [];
}
function knobParts(k) { const s = scopeParts(k.scope); return s === null ? null : [...s, ...parts(k.path)]; }
function knobValue(k, sc = scenario) { const p = knobParts(k); return p === null ? undefined : getAt(sc, p); }
function holds(k, cond) {
  const [path, want] = cond.split("=");
  const v = path.startsWith("/") ? getAt(scenario, parts(path.slice(1))) : getAt(scenario, [...scopeParts(k.scope), ...parts(path)]);
  return want === undefined ? v !== undefined && v !== null : String(v) === want;
}
function visible(k) {
  if (scopeParts(k.scope) === null) return false;
  return k.when.every((c) => holds(k, c)) && !k.unless.some((c) => holds(k, c));
}

// ----------------------------------------------------------------------------- numbers as the server writes them

/** A figure as the server's one formatter wrote it (the response's `display`), tagged with the JSON key
 * of the value it shows. The page formats no money, volume or share itself. */
function numberSpan(text, key) {
  const s = document.createElement("span");
  s.className = "num"; s.textContent = text; s.dataset.key = key;
  return s;
}

// ----------------------------------------------------------------------------- knob values <-> text

const SUFFIX = { k: 3, K: 3, M: 6, B: 9, G: 9, T: 12 };
const NUMBER = /^(\d+(?:,\d{3})+(?:\.\d+)?|\d+\.?\d*|\.\d+)(?:[eE]([+-]?\d+))?([kKMBGT])?$/;
function parseOne(text) {
  const m = NUMBER.exec(text.trim());
  if (!m) return NaN;
  const exp = Number(m[2] || 0) + (m[3] ? SUFFIX[m[3]] : 0);
  return Number(`${m[1].replace(/,/g, "")}e${exp}`);
}
/** A typed entry -> a number, a [low, high] range, null (left empty) or an Error saying what is wrong. */
function parseEntry(k, raw) {
  const text = raw.trim().replace(/%$/, "").trim();
  if (text === "") return k.optional ? null : new Error("needs a value");
  const range = /^(.+?)\s*(?:–|—|\bto\b|(?<=\d)\s*-\s*(?=\d|\.))\s*(.+)$/.exec(text);
  const pieces = range ? [range[1], range[2]] : [text];
  if (text.startsWith("-")) return new Error(`must be at least ${showBound(k, "low")}`);
  const values = pieces.map(parseOne);
  if (values.some(Number.isNaN)) return new Error(`"${raw.trim()}" is not a number (write e.g. 2300, 2.3k, 1.5e9${k.integer ? "" : ", 20-40 for a range"})`);
  const scaled = values.map((v) => (k.kind === "share" ? v / 100 : v));
  for (const v of scaled) {
    if (v < k.low) return new Error(`must be at least ${showBound(k, "low")}`);
    if (k.high !== null && v > k.high) return new Error(`must be at most ${showBound(k, "high")}: ${k.why}`);
    if (k.integer && !Number.isInteger(v)) return new Error("must be a whole number");
  }
  if (scaled.length === 2) {
    if (k.integer) return new Error("must be one whole number, not a range");
    if (scaled[0] > scaled[1]) return new Error("a range is low-high");
    return scaled[0] === scaled[1] ? scaled[0] : scaled;
  }
  return scaled[0];
}
/** A knob's low or high bound as the server wrote it, with the knob's unit. */
function showBound(k, end) { const text = k[`${end}_text`]; return k.kind === "share" ? text : `${text} ${unitOf(k)}`.trim(); }
function entryText(k, v) {
  if (v === undefined || v === null) v = k.absent;
  if (v === undefined || v === null) return "";
  if (Array.isArray(v)) return v.map((x) => entryText(k, x)).join("-");
  if (k.kind === "share") return String(Number((v * 100).toPrecision(10)));
  const a = Math.abs(v);
  if (a >= 1e6) {
    for (const [s, e] of [["T", 12], ["B", 9], ["M", 6]]) if (a >= 10 ** e) return `${Number((v / 10 ** e).toPrecision(10))}${s}`;
  }
  return String(Number(v.toPrecision(10)));
}
function unitOf(k) {
  if (!k.unit) return k.kind === "share" ? "%" : "";
  let cur = scenario.currency || "EUR";
  const block = k.path.startsWith("prices.") ? "prices" : k.path.startsWith("pricing.") ? "pricing" : null;
  if (block) { const own = getAt(scenario, [...scopeParts(k.scope), block, "currency"]); if (own) cur = own; }
  return k.unit.replace("{cur}", cur);
}
function spoken(k, v) {
  if (v === undefined || v === null) v = k.absent;
  if (v === undefined || v === null) return k.optional || "not set";
  if (Array.isArray(v)) return `${spoken(k, v[0])} to ${spoken(k, v[1])} (a range)`;
  if (k.kind === "share") return `${Number((v * 100).toPrecision(4))} percent`;
  return `${v.toLocaleString("en-US", { maximumSignificantDigits: 6 })} ${unitOf(k).replace("/", " per ")}`.trim();
}

// ----------------------------------------------------------------------------- sliders

function sliderSpan(k) { return { lo: k.slider[0], hi: k.slider[1], log: k.log && k.slider[0] > 0 }; }
function toPosition(k, v) {
  if (Array.isArray(v)) v = (v[0] + v[1]) / 2;  // a range sits at its midpoint (where the slider points only)
  if (v === undefined || v === null) v = k.absent ?? k.slider[0];
  const { lo, hi, log } = sliderSpan(k);
  const c = Math.min(Math.max(v, lo), hi);
  const f = log ? Math.log(c / lo) / Math.log(hi / lo) : (c - lo) / (hi - lo);
  return Math.round(SLIDER_STEPS * f);
}
function fromPosition(k, pos) {
  const { lo, hi, log } = sliderSpan(k);
  const f = pos / SLIDER_STEPS;
  const v = log ? lo * Math.pow(hi / lo, f) : lo + (hi - lo) * f;
  if (k.integer) return Math.max(k.low, Math.round(v));
  return v === 0 ? 0 : Number(v.toPrecision(SNAP_DIGITS));
}

// ----------------------------------------------------------------------------- the form

function option(value, text) { const o = document.createElement("option"); o.value = value; o.textContent = text; return o; }
function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [a, v] of Object.entries(attrs)) if (v !== undefined && v !== null) e.setAttribute(a, v);
  e.append(...children);
  return e;
}
const GROUPS = [["demand", "The demand"], ["workload", "The workload"], ["api", "The API"], ["host", "Self-hosting: the GPUs"],
  ["costs", "Self-hosting: people, layer, storage, redundancy"], ["capacity", "The capacity model (advanced)"], ["scenario", "Money"]];
function buildForm() {
  const groups = $("groups");
  for (const [g, title] of GROUPS) {
    const fs = el("fieldset", { id: `group-${g}` }, el("legend", {}, title));
    for (const k of KNOBS.filter((x) => x.group === g || (g === "scenario" && x.id === "currency"))) fs.append(knobRow(k));
    if (g === "capacity") groups.append(el("details", { class: "advanced", id: "advanced" }, el("summary", {}, title), fs));
    else groups.append(fs);
  }
}
function knobRow(k) {
  const row = el("div", { class: "knob", id: `row-${k.id}` });
  const described = [`${k.id}-err`, k.hint ? `${k.id}-hint` : null].filter(Boolean).join(" ");
  if (k.kind === "select") {
    row.append(el("label", { for: k.id, id: `${k.id}-label` }, k.label), el("select", { id: k.id, name: k.id, "aria-describedby": described }));
  } else {
    const label = el("label", { for: `${k.id}-entry`, id: `${k.id}-label` }, k.label);
    const slider = el("input", { type: "range", id: k.id, name: k.id, min: 0, max: SLIDER_STEPS, step: 1, "aria-labelledby": `${k.id}-label`, "aria-describedby": described });
    const entry = el("input", { type: "text", id: `${k.id}-entry`, name: `${k.id}-entry`, inputmode: "decimal", spellcheck: "false",
      "aria-describedby": `${k.id}-unit ${described}`, placeholder: k.optional || "" });
    row.append(label, el("div", { class: "inputs" }, slider, entry, el("span", { class: "unit", id: `${k.id}-unit` })));
  }
  if (k.hint) row.append(el("p", { class: "hint", id: `${k.id}-hint` }, k.hint));
  row.append(el("p", { class: "field-error", id: `${k.id}-err`, hidden: "" }));
  return row;
}
function selectOptions(k) {
  const list = k.options.map(([v, t]) => [v, t]);
  const apis = candidates("api");
  if (k.id === "api_offer") {
    list.push(...(catalogs.apiOffers || []).map((o) => [o.id, `${o.name} (${o.currency} ${priceText(o.input_per_m)} / ${priceText(o.output_per_m)} per M)`]));
    list.push(["custom", "custom prices"]);
    const c = scenario.candidates[pick.api];
    if (c && !c.offer && !c.prices) list.push([libraryValue(c), `${c.provider} ${c.model} (price library, ${scenario.price_date || "default date"})`]);
  } else if (k.id === "gpu_offer") {
    list.push(...(catalogs.gpuRent || []).map((o) => [`rent:${o.id}`, `rent: ${o.name} (${o.gpus}x ${o.gpu}, ${o.currency} ${priceText(o.price)}/${o.unit.replace("_", "-")})`]));
    list.push(...(catalogs.gpuOwn || []).map((o) => [`own:${o.id}`, `buy: ${o.name} (${o.gpus}x ${o.gpu}, ${o.currency} ${priceText(o.purchase_price)})`]));
    list.push(["custom:price_per_replica_hour", "rent at my price per replica (node) per hour"], ["custom:price_per_gpu_hour", "rent at my price per GPU-hour"],
      ["custom:purchase_price_per_gpu", "buy at my price per GPU"]);
  } else if (k.id === "model") list.push(...(catalogs.models || []).map((m) => [m.id, `${m.name} (${m.params_total_b}B)`]));
  else if (k.id === "gpu") list.push(...(catalogs.gpus || []).map((g) => [g.id, g.name]));
  else if (k.id === "engine") list.push(...(catalogs.engines || []).map((e) => [e.id, e.name]));
  else if (k.id === "spec_draft") list.push(...draftModels().map((m) => [m.id, `${m.name} (${m.params_total_b}B)`]));
  else if (k.id === "failover_api") list.push(...apis.map(([c]) => [c.name, c.name]));
  else if (k.id === "currency") list.push(...currencies().map((c) => [c, c]));
  if (k.optional) list.unshift(["", k.optional]);
  const current = selectValue(k);
  if (current !== "" && !list.some(([v]) => v === current)) list.push([current, `${current} (as given)`]);
  return list;
}
function draftModels() {
  // the catalog models a draft_model speculation accepts: the served model's vocabulary, fewer parameters
  const c = scenario.candidates[pick.host], models = catalogs.models || [];
  const served = models.find((m) => m.id === c.model || (m.aliases || []).includes(c.model));
  if (!served) return models;
  return models.filter((m) => m.vocab_size === served.vocab_size && m.params_total_b < served.params_total_b);
}
function setSpeculation(c, method) {
  if (method === "") { delete c.speculative; return; }
  c.speculative = { method };
  if (method === "draft_model") { const d = draftModels(); c.speculative.draft_model = d.length ? d[0].id : ""; }
}
function priceText(p) { return Array.isArray(p) ? `${p[0]}-${p[1]}` : `${p}`; }
function libraryValue(c) { return `library:${c.provider}/${c.model}`; }
function currencies() {
  const set = new Set([scenario.currency || "EUR", ...Object.keys(scenario.fx || {})]);
  for (const r of catalogs.fx || []) { set.add(r.base); set.add(r.quote); }
  return [...set].sort();
}
function selectValue(k) {
  const v = knobValue(k);
  if (k.id === "mode") return scenario.workload.users ? "users" : scenario.workload.traffic ? "traffic" : "tokens";
  if (k.id === "api_offer") { const c = scenario.candidates[pick.api]; return c.offer || (c.prices ? "custom" : libraryValue(c)); }
  if (k.id === "gpu_offer") {
    const p = v || {};
    if (p.offer) return `${p.kind}:${p.offer}`;
    for (const f of ["price_per_replica_hour", "price_per_gpu_hour", "purchase_price_per_gpu"]) if (f in p) return `custom:${f}`;
    return "";
  }
  if (v === undefined || v === null) return k.absent === null || k.absent === undefined ? "" : String(k.absent);
  return String(v);
}

function fillForm() {
  const dirtyEntries = new Set(entryErrors.keys());
  for (const k of KNOBS) {
    const row = $(`row-${k.id}`);
    const show = visible(k);
    row.hidden = !show;
    if (!show) continue;
    if (k.kind === "select") {
      const s = $(k.id);
      s.replaceChildren(...selectOptions(k).map(([v, t]) => option(v, t)));
      s.value = selectValue(k);
    } else {
      const v = knobValue(k);
      $(k.id).value = toPosition(k, v);
      $(k.id).setAttribute("aria-valuetext", spoken(k, v));
      if (!dirtyEntries.has(k.id)) $(`${k.id}-entry`).value = entryText(k, v);
      $(`${k.id}-unit`).textContent = unitOf(k);
    }
  }
  fillPicks();
  fillOptions();
  $("advanced").open = $("advanced").open || KNOBS.some((k) => k.group === "capacity" && visible(k) && knobValue(k) !== undefined);
  drawKept();
}
function fillPicks() {
  const box = $("picks");
  const rows = [];
  for (const [scope, kind, text] of [["api", "api", "API knobs edit"], ["host", "selfhost", "Self-host knobs edit"]]) {
    const list = candidates(kind);
    if (list.length < 2) continue;
    const s = el("select", { id: `${scope}_pick` }, ...list.map(([c, i]) => option(String(i), c.name)));
    s.value = String(pick[scope]);
    rows.push(el("div", { class: "knob" }, el("label", { for: `${scope}_pick` }, text), s));
  }
  box.replaceChildren(...rows);
}

// ----------------------------------------------------------------------------- setting knobs

function setNumber(k, value) {
  const ps = knobParts(k);
  const blockMissing = getAt(scenario, ps.slice(0, -1)) === undefined;
  setAt(scenario, ps, value === null ? undefined : value);
  if (blockMissing) for (const id of k.together) { const o = byId.get(id); if (knobValue(o) === undefined) setAt(scenario, knobParts(o), o.absent); }
}
function setSelect(k, value) {
  const ps = knobParts(k);
  const c = k.scope === "scenario" ? null : getAt(scenario, scopeParts(k.scope));
  if (k.id === "mode") return setMode(value);
  if (k.id === "api_offer") return setApiOffer(c, value);
  if (k.id === "gpu_offer") return setGpuOffer(c, value);
  if (k.id === "schedule") { c.schedule = value === "hours" ? clone(NEW_BLOCKS.schedule_hours) : { kind: "always" }; return; }
  if (k.id === "redundancy") {
    const apis = candidates("api");
    c.redundancy = value === "standby" ? clone(NEW_BLOCKS.standby) : value === "api_failover" ? { kind: "api_failover", api: apis.length ? apis[0][0].name : "" } : { kind: "none" };
    return;
  }
  if (k.id === "spec_method") return setSpeculation(c, value);
  if (k.id === "attn_dp") return setAt(scenario, ps, value === "true");
  setAt(scenario, ps, value === "" ? undefined : value);
}
function setMode(mode) {
  const w = scenario.workload;
  const key = mode === "tokens" ? "tokens_per_month" : mode;
  const from = (baseScenario && baseScenario.workload[key]) || NEW_BLOCKS[key];
  for (const m of ["users", "traffic", "tokens_per_month"]) delete w[m];
  w[key] = clone(from);
}
function setApiOffer(c, value) {
  const offer = (catalogs.apiOffers || []).find((o) => o.id === c.offer);
  for (const f of ["offer", "provider", "model"]) delete c[f];
  if (value === "custom") {
    if (!c.prices) c.prices = offer ? { input_per_m: offer.input_per_m, output_per_m: offer.output_per_m, currency: offer.currency } : {};
    if (offer && offer.cached_input_per_m !== undefined && offer.cached_input_per_m !== null && !("cached_input_per_m" in c.prices)) c.prices.cached_input_per_m = offer.cached_input_per_m;
    return;
  }
  delete c.prices;
  if (value.startsWith("library:")) { const [p, m] = value.slice(8).split("/"); c.provider = p; c.model = m; } else c.offer = value;
}
function setGpuOffer(c, value) {
  const [kind, id] = value.split(/:(.*)/s);
  const old = c.pricing || {};
  if (kind === "custom") {
    const pricing = { kind: id === "purchase_price_per_gpu" ? "own" : "rent" };
    if (pricing.kind === old.kind && old.currency) pricing.currency = old.currency;
    if (old[id] !== undefined) pricing[id] = old[id];
    c.pricing = pricing;
    return;
  }
  const offer = (kind === "own" ? catalogs.gpuOwn : catalogs.gpuRent).find((o) => o.id === id);
  const keep = kind === "own" && old.kind === "own" ? Object.fromEntries(Object.entries(old).filter(([f]) => !["offer", "purchase_price_per_gpu", "currency"].includes(f))) : {};
  c.pricing = { ...keep, kind, offer: id };
  if (offer) c.gpu = offer.gpu;
}

// ----------------------------------------------------------------------------- the Monte Carlo and the horizon

/** The horizon is shown where the scenario has one, unless the user chose otherwise. */
function horizonOn() { return opts.horizon === null ? Boolean(scenario && scenario.horizon) : opts.horizon; }
/** A typed number of samples -> a whole number within the server's bounds, or an Error saying why. */
function parseSamples(text) {
  const b = OPTIONS.samples, v = parseOne(text.trim());
  if (Number.isNaN(v) || !Number.isInteger(v)) return new Error(`"${text.trim()}" is not a whole number`);
  if (v < b.low || v > b.high) return new Error(`must be from ${b.low_text} to ${b.high_text}`);
  return v;
}
/** A typed seed -> its digits (kept as text: a seed may exceed what a JavaScript number holds), or an Error. */
function parseSeed(text) {
  const b = OPTIONS.seed, s = text.trim();
  if (!/^\d+$/.test(s) || BigInt(s) > BigInt(b.high)) return new Error(`must be a whole number from ${b.low_text} to ${b.high_text}`);
  return String(BigInt(s));
}
const OPTION_ENTRIES = { "opt-samples": ["samples", parseSamples, "Samples"], "opt-seed": ["seed", parseSeed, "Seed"] };
function showOptionError(id, msg) {
  const err = $(`${id}-err`);
  err.textContent = msg ? `${OPTION_ENTRIES[id][2]}: ${msg}` : ""; err.hidden = !msg;
  if (msg) $(id).setAttribute("aria-invalid", "true"); else $(id).removeAttribute("aria-invalid");
}
function onOption(ev) {
  const t = ev.target;
  if (t.type === "checkbox") {
    if (ev.type !== "change") return;
    if (t.id === "opt-unc") opts.uncertainty = t.checked; else opts.horizon = t.checked;
  } else {
    if (ev.type !== "input") return;
    const [name, parse] = OPTION_ENTRIES[t.id];
    const v = parse(t.value);
    showOptionError(t.id, v instanceof Error ? v.message : null);
    if (v instanceof Error) return;
    opts[name] = v;
  }
  fillOptions(); writeUrl(); changed(ev.timeStamp);
}
function fillOptions() {
  $("opt-unc").checked = opts.uncertainty;
  $("opt-horizon").checked = horizonOn();
  for (const [id, [name]] of Object.entries(OPTION_ENTRIES)) {
    $(id).disabled = !opts.uncertainty;
    if ($(id).getAttribute("aria-invalid") !== "true" && document.activeElement !== $(id)) $(id).value = String(opts[name]);
  }
  $("opt-samples-hint").textContent = `${OPTIONS.samples.low_text} to ${OPTIONS.samples.high_text}: more samples, steadier figures, a slower answer`;
  $("opt-horizon-hint").textContent = scenario.horizon ? "the scenario's horizon" : "this scenario has no horizon: 48 months, prices and volume held";
}
/** The options that differ from their defaults, as URL parameters. */
function optionParams(params) {
  if (!opts.uncertainty) params.set("unc", "0");
  if (opts.samples !== OPTIONS.samples.default) params.set("samples", String(opts.samples));
  if (opts.seed !== OPTIONS.seed.default) params.set("seed", opts.seed);
  if (opts.horizon !== null) params.set("horizon", opts.horizon ? "1" : "0");
}
/** Take the options out of a link's parameters; what cannot be used is listed and left at its default. */
function readOptions(params) {
  const problems = [];
  const take = (key) => { const v = params.get(key); params.delete(key); return v; };
  const flag = (key, words) => {
    const v = take(key);
    if (v === null) return null;
    if (v === "0" || v === "1") return v === "1";
    problems.push(`${words} "${v}" is not 0 or 1`);
    return null;
  };
  const unc = flag("unc", "uncertainty switch"), horizon = flag("horizon", "horizon switch");
  if (unc !== null) opts.uncertainty = unc;
  if (horizon !== null) opts.horizon = horizon;
  for (const [id, [name, parse, words]] of Object.entries(OPTION_ENTRIES)) {
    const raw = take(name);
    if (raw === null) continue;
    const v = parse(raw);
    if (v instanceof Error) problems.push(`${words.toLowerCase()} ${v.message}`); else opts[name] = v;
  }
  return problems;
}

// ----------------------------------------------------------------------------- events

function onInput(ev) {
  const t = ev.target;
  if (t.id === "preset") return;
  if (t.id.startsWith("opt-")) return onOption(ev);
  if (t.id === "api_pick" || t.id === "host_pick") {
    if (ev.type !== "change") return;
    pick[t.id.slice(0, -5)] = Number(t.value);
    entryErrors.clear(); clearFieldErrors(); fillForm(); writeUrl();
    if (lastResult) draw(lastResult);  // the headline follows the pair the knobs edit
    return;
  }
  const id = t.id.endsWith("-entry") ? t.id.slice(0, -6) : t.id;
  const k = byId.get(id);
  if (!k) return;
  if (k.kind === "select") {
    if (ev.type !== "change") return;
    if (k.id === "currency") return switchCurrency(t.value);
    setSelect(k, t.value);
    entryErrors.clear();
    fillForm();
  } else if (t.type === "range") {
    if (ev.type !== "input") return;
    const v = fromPosition(k, Number(t.value));
    setNumber(k, v);
    entryErrors.delete(k.id);
    $(`${k.id}-entry`).value = entryText(k, v);
    t.setAttribute("aria-valuetext", spoken(k, v));
    showFieldError(k, null);
  } else {
    if (ev.type !== "input") return;
    const v = parseEntry(k, t.value);
    if (v instanceof Error) { entryErrors.set(k.id, v.message); showFieldError(k, v.message); markStale("fix the field marked in red: the results below are for the values before it"); return; }
    entryErrors.delete(k.id);
    showFieldError(k, null);
    setNumber(k, v);
    $(k.id).value = toPosition(k, v);
    $(k.id).setAttribute("aria-valuetext", spoken(k, v));
  }
  fromUrl = false;
  writeUrl();
  changed(ev.timeStamp);
}
function changed(when) {
  seq += 1;
  stats.inputs.set(seq, when || performance.now());
  schedule();
}
async function switchCurrency(currency) {
  const resp = await fetch("/api/scenario/currency", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ scenario, currency }) });
  const data = await resp.json();
  if (!resp.ok) { showProblems(data.detail || []); $("currency").value = scenario.currency; return; }
  scenario = data;
  entryErrors.clear();
  fillForm(); writeUrl(); changed();
}

// ----------------------------------------------------------------------------- talking to the core

/** POST /api/evaluate's URL: the point evaluation (with the horizon when it is shown), or with the
 * Monte Carlo of the chosen samples and seed as well (`spread`). */
function evaluateUrl(spread) {
  const q = new URLSearchParams();
  if (spread) { q.set("uncertainty", "true"); q.set("samples", String(opts.samples)); q.set("seed", opts.seed); }
  if (horizonOn()) q.set("horizon", "true");
  const query = q.toString();
  return query ? `/api/evaluate?${query}` : "/api/evaluate";
}
async function post(url, body) {
  const resp = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body });
  return [resp, await resp.json()];
}
function schedule() {
  dirty = true;
  if (inFlight || timer !== null) return;
  if (entryErrors.size) return;
  const wait = dragging ? Math.max(0, lastSend + DRAG_GAP_MS - performance.now()) : 0;
  timer = setTimeout(send, wait);
}
/** The point evaluation of the scenario as it is now: drawn at once; the spread, when shown, is asked
 * for after it (pumpSpread), so the knobs never wait for the Monte Carlo. */
async function send() {
  timer = null;
  if (inFlight || !dirty || entryErrors.size) return;
  dirty = false; inFlight = true; lastSend = performance.now();
  const upTo = seq, body = JSON.stringify(scenario), since = stats.inputs.get(upTo);
  const spreadUrl = opts.uncertainty ? evaluateUrl(true) : null;
  stats.requests += 1;
  try {
    const [resp, data] = await post(evaluateUrl(false), body);
    if (resp.ok) {
      clearFieldErrors(); fromUrl = false;
      shownKey = spreadUrl && `${spreadUrl}\n${body}`;
      const known = shownKey !== null && spreadCache.key === shownKey;
      spreadProblem = null;
      lastResult = known ? spreadCache.data : data;
      await draw(lastResult);
      if (shownKey !== null && !known) wantSpread({ key: shownKey, url: spreadUrl, body, since });
    } else if (fromUrl) { await fallBack(data.detail || []); return; }
    else showProblems(data.detail || []);
    markDrawn(upTo);
  } catch (err) {
    showProblems([{ field: "", msg: `the local server did not answer (${err})` }]);
    markDrawn(upTo);
  } finally {
    inFlight = false;
    if (dirty) schedule();
  }
}
function markDrawn(upTo) {
  const now = performance.now();
  for (const [s, t] of stats.inputs) if (s <= upTo) { stats.latencies.push(now - t); stats.inputs.delete(s); }
  stats.drawn += 1;
  document.dispatchEvent(new CustomEvent("breakeven:drawn", { detail: { seq: upTo } }));
}
function wantSpread(request) {
  spreadWanted = request;
  clearTimeout(spreadTimer);
  spreadTimer = setTimeout(() => { spreadTimer = null; pumpSpread(); }, SPREAD_QUIET_MS);
}
/** One Monte Carlo request at a time, for the latest drawn settings, none while a slider is dragged;
 * an answer for settings no longer shown is dropped. */
async function pumpSpread() {
  if (spreadInFlight || spreadWanted === null || dragging || spreadTimer !== null) return;
  const request = spreadWanted;
  spreadWanted = null; spreadInFlight = true;
  stats.spreadRequests += 1;
  try {
    const [resp, data] = await post(request.url, request.body);
    if (request.key !== shownKey) return;
    if (resp.ok) {
      spreadCache = { key: request.key, data };
      lastResult = data;
      await draw(data);
      stats.spreads += 1;
      if (request.since !== undefined) stats.spreadLatencies.push(performance.now() - request.since);
    } else {
      spreadProblem = (data.detail || []).map((d) => humanMessage(d.msg || "")).join("; ");
      drawSpread(lastResult);
    }
  } catch (err) {
    if (request.key === shownKey) { spreadProblem = `the local server did not answer (${err})`; drawSpread(lastResult); }
  } finally {
    spreadInFlight = false;
    pumpSpread();
  }
}

// ----------------------------------------------------------------------------- errors in the user's words

function humanMessage(msg) {
  return msg.replace(/^Value error, /, "")
    .replace(/^[\w.[\]]*[.[][\w.[\]]*: /, "")  // a leading scenario path: the field is named by its label
    .replace(/ is not allowed; /, ": ")
    .replace(/^[a-z_]+ (must|needs)\b/, "$1")
    .replace(/^Input should be greater than or equal to (\S+)/, "must be at least $1")
    .replace(/^Input should be less than or equal to (\S+)/, "must be at most $1")
    .replace(/^Input should be greater than (\S+)/, "must be more than $1")
    .replace(/^Input should be a valid (number|integer)[^(]*/, (m, w) => `must be ${w === "integer" ? "a whole number" : "a number"} `)
    .replace(/^Field required/, "is needed")
    .replace(/^Extra inputs are not permitted/, "is not a scenario field");
}
function cleanField(field) {
  return parts(field || "").filter((p) => !/^(tuple|list|float|int|union|function-after)\b/.test(p) && !/[[\], ]/.test(p));
}
function knobForField(field) {
  const key = cleanField(field).join(".");
  if (key === "fx" || key === "currency") return byId.get("currency");
  let best = null;
  for (const k of KNOBS) {
    if (!visible(k)) continue;
    const kp = knobParts(k).join(".");
    if ((key === kp || key.startsWith(kp + ".")) && (!best || kp.length > knobParts(best).join(".").length)) best = k;
  }
  return best;
}
function fieldWords(field) {
  const ps = cleanField(field);
  if (ps[0] === "candidates" && ps.length > 1) {
    const c = (scenario.candidates || [])[Number(ps[1])];
    return [`"${c ? c.name : `candidate ${Number(ps[1]) + 1}`}"`, ...ps.slice(2)].join(" › ").replace(/_/g, " ");
  }
  return ps.join(" › ").replace(/_/g, " ") || "the scenario";
}
function showFieldError(k, msg) {
  const err = $(`${k.id}-err`);
  err.textContent = msg ? `${k.label}: ${msg}` : "";
  err.hidden = !msg;
  for (const id of [k.id, `${k.id}-entry`]) { const e = $(id); if (e) { if (msg) e.setAttribute("aria-invalid", "true"); else e.removeAttribute("aria-invalid"); } }
}
function clearFieldErrors() {
  for (const k of KNOBS) if (!entryErrors.has(k.id)) showFieldError(k, null);
  $("problems").hidden = true; $("problems").replaceChildren();
  $("stale").hidden = true;
  $("results").classList.remove("stale");
}
function showProblems(detail) {
  clearFieldErrors();
  const loose = [];
  for (const d of detail) {
    const msg = humanMessage(d.msg || "");
    const k = knobForField(d.field || (d.loc || []).join("."));
    if (k && visible(k)) { showFieldError(k, msg); continue; }
    loose.push(`${fieldWords(d.field || "")}: ${msg}`);
  }
  $("problems").replaceChildren(...loose.map((t) => el("li", {}, t)));
  $("problems").hidden = loose.length === 0;
  markStale(detail.length ? "the scenario as set cannot be evaluated (see the marked fields)" : "");
}
function markStale(why) {
  if (!lastResult) return;
  $("results").classList.add("stale");
  $("stale").textContent = `Not updated: the figures below are for the previous settings; ${why}.`;
  $("stale").hidden = false;
  $("verdict-bar").textContent = "Not updated: fix the field marked in red";
}

// ----------------------------------------------------------------------------- drawing the answer

function pairOf(r) {
  const api = scenario.candidates[pick.api], host = scenario.candidates[pick.host];
  return r.break_even.find((b) => api && host && b.api === api.name && b.selfhost === host.name) || r.break_even[0];
}
function hostCurve(r, name) { return r.curves.find((c) => c.candidate === name); }
/** The chosen pair's hybrid: the best-ranked plan (r.plans is cheapest first) that self-hosts with the
 * host knob's candidate and sends the rest to the API knob's; its curve is drawn as the third line. */
function pairHybrid(r) {
  const api = scenario.candidates[pick.api], host = scenario.candidates[pick.host];
  if (!api || !host) return null;
  const i = (r.plans || []).findIndex((p) => p.hybrid && p.hybrid.api === api.name && p.hybrid.selfhost === host.name);
  if (i < 0) return null;
  const curve = (r.hybrid_curves || []).find((c) => c.candidate === r.plans[i].name);
  return curve ? { plan: r.plans[i], index: i, curve } : null;
}
function replicasAbove(curve, v) {
  if (!curve || !curve.replicas) return null;
  const i = curve.volumes.findIndex((x) => x > v);
  return i < 0 ? null : curve.replicas[i];
}
/** Draw a whole answer: the point evaluation, and its spread and horizon where the response has them. */
function draw(r) {
  drawAnswer(r);
  drawSpread(r);
  drawPlan(r);
  drawCandidates(r);
  drawPairs(r);
  $("reasons").replaceChildren(...r.reasons.map((t) => el("li", { class: "reason" }, t)));
  drawAssumptions(r.assumptions);
  return Promise.all([drawChart(r), drawHorizon(r)]);
}
function drawAnswer(r) {
  const be = pairOf(r), d = r.display;
  const head = $("headline"), steps = $("steps");
  head.replaceChildren(); steps.replaceChildren();
  if (!be) {
    head.textContent = "Add an API and a self-host candidate to see where the answer flips.";
  } else {
    const j = r.break_even.indexOf(be), shown = d.break_even_volumes[j];
    const who = el("span", { class: "who" }, `Self-hosting (${be.selfhost}) against ${be.api}: `);
    const lasting = el("strong", {}, numberSpan(shown.selfhost_cheaper_above, `break_even.${j}.selfhost_cheaper_above`));
    if (be.selfhost_cheaper_above === null) {
      head.append(who, el("strong", {}, "never wins"), `: ${be.reason}.`);
    } else if (be.crossings.length === 1) {
      head.append(who, "wins above ", lasting, ".");
    } else {
      head.append(who, "first wins at ", el("strong", {}, numberSpan(shown.crossings[0], `break_even.${j}.crossings.0.volume`)),
        " and wins for good above ", lasting, ".");
      drawSteps(r, be, j, steps);
    }
  }
  const best = d.candidates[r.recommendation];
  $("recommendation").replaceChildren("At ", numberSpan(d.volume, "volume"), ", the cheapest that meets the service level: ",
    el("strong", { "data-text": "recommendation" }, r.recommendation), best ? ` (${best.monthly_cost} a month).` : ".");
  $("verdict-bar").textContent = head.textContent;
}
function drawPlan(r) {
  const box = $("plan");
  const i = (r.plans || []).findIndex((p) => p.name === r.best_plan);
  box.replaceChildren();
  box.hidden = i < 0;
  if (i < 0) return;
  const p = r.plans[i], k = `plans.${i}`, shown = r.display.plans[p.name];
  box.append("Best plan, hybrids included: ", el("strong", { "data-text": "best_plan" }, p.name), " at ",
    numberSpan(shown.monthly_cost, `${k}.monthly_cost`), " a month");
  if (p.hybrid && p.replicas > 0) {
    const runs = p.hybrid.schedule === "hours" ? ` (${p.hybrid.working_hours})` : " (always on)";
    const standby = p.hybrid.standby_replicas ? ` (${p.hybrid.standby_replicas} of them standby)` : "";
    box.append(": ", numberSpan(shown.replicas, `${k}.replicas`), ` replica${p.replicas === 1 ? "" : "s"}${standby} of ${p.hybrid.selfhost}${runs} and ${p.hybrid.api} takes `,
      numberSpan(shown.overflow_share, `${k}.overflow_share`), " of the tokens.");
  } else if (p.hybrid) {
    box.append(`: ${p.hybrid.api} alone (no replica pays at this volume).`);
  } else {
    box.append(".");
  }
}
function drawSteps(r, be, j, box) {
  const curve = hostCurve(r, be.selfhost), shown = r.display.break_even_volumes[j].crossings;
  const back = be.crossings.map((c, n) => [c, n]).filter(([c]) => c.direction === "api_cheaper_above");
  const listed = back.slice(0, 4).map(([c, n], i) => {
    const reps = replicasAbove(curve, c.volume);
    return el("span", {}, i ? ", " : "", numberSpan(shown[n], `break_even.${j}.crossings.${n}.volume`), reps ? ` (${reps} replicas)` : "");
  });
  box.append("Between them, each added replica puts the API ahead again for a while: at ", ...listed,
    back.length > 4 ? ` and ${back.length - 4} more steps` : "", `. The ${be.crossings.length} crossings are marked on the chart.`);
}
function drawCandidates(r) {
  const d = r.display;
  $("volume-caption").replaceChildren("Each candidate at ", numberSpan(d.volume, "volume"), ": ",
    numberSpan(d.demand.requests_per_month, "demand.requests_per_month"), " requests, ",
    numberSpan(d.demand.input_tokens, "demand.input_tokens"), " input and ",
    numberSpan(d.demand.output_tokens, "demand.output_tokens"), " output tokens a month, ",
    numberSpan(d.demand.peak_concurrency, "demand.peak_concurrency"), " requests in flight at the peak");
  const rows = [];
  r.candidates.forEach((c, i) => {
    const k = `candidates.${i}`, shown = d.candidates[c.name];
    const sl = c.service_level_met;
    const tr = el("tr", {}, el("th", { scope: "row" }, c.name),
      el("td", {}, numberSpan(shown.monthly_cost, `${k}.monthly_cost`)),
      el("td", {}, numberSpan(shown.cost_per_million_tokens, `${k}.cost_per_million_tokens`)),
      el("td", {}, c.replicas === null ? "-" : numberSpan(shown.replicas, `${k}.replicas`)),
      el("td", {}, c.utilization === null ? "-" : numberSpan(shown.utilization, `${k}.utilization`)),
      el("td", { class: sl === false ? "bad" : "" }, sl === null ? "not modelled" : sl ? "met" : "not met"));
    const parts = Object.entries(c.breakdown).filter(([, v]) => v !== 0).map(([name, v], n) =>
      el("span", {}, n ? " · " : "", `${name.replace(/_/g, " ")} `, numberSpan(shown.breakdown[name], `${k}.breakdown.${name}`)));
    const cap = c.capacity ? capacityLine(shown.capacity, k) : c.hybrid ? hybridLine(c, shown, k) : [];
    const plans = [...taskLine(c, shown, k), ...peopleLine(c, shown, k), ...redundancyLine(c, shown, k), ...energyLine(shown, k)];
    const notes = c.notes.map((t) => el("span", { class: "note" }, ` ${t}.`));
    rows.push(tr, el("tr", { class: "detail" }, el("td", { colspan: 6 }, ...parts, ...cap, ...plans, ...candidateSpread(r, c.name), ...notes)));
  });
  $("candidates").tBodies[0].replaceChildren(...rows);
}
function capacityLine(cap, k) {
  return [el("br"), "per replica: ", numberSpan(cap.concurrency_per_replica, `${k}.capacity.concurrency_per_replica`), " requests in flight, ",
    numberSpan(cap.output_tokens_per_s_per_replica, `${k}.capacity.output_tokens_per_s_per_replica`), " output tokens/s; per stream ",
    numberSpan(cap.tokens_per_s_per_stream, `${k}.capacity.tokens_per_s_per_stream`), " tokens/s, first token in ",
    numberSpan(cap.ttft_s, `${k}.capacity.ttft_s`), " s."];
}
/** A hybrid's cost split (figures: the server's display strings, ``shown``). */
function hybridLine(c, shown, k) {
  const h = c.hybrid;
  return [el("br"), `hybrid of ${h.selfhost} and ${h.api} (${h.schedule === "hours" ? h.working_hours : "always on"}): self-host `,
    numberSpan(shown.hybrid.selfhost_cost, `${k}.hybrid.selfhost_cost`), ", API ", numberSpan(shown.hybrid.api_cost, `${k}.hybrid.api_cost`),
    ", to the API ", numberSpan(shown.overflow_share, `${k}.overflow_share`), " of the tokens."];
}
function taskLine(c, shown, k) {
  const t = c.cost_per_task, f = shown.cost_per_task;
  if (!t) return [];
  const failed = t.on_failure === "retry" ? "retried until accepted" : "escalated otherwise";
  return [el("br"), `per ${t.task}: `, numberSpan(f.cost_per_task, `${k}.cost_per_task.cost_per_task`), "; ",
    numberSpan(f.success_rate, `${k}.cost_per_task.success_rate`), ` accepted (${failed}): `,
    numberSpan(f.cost_per_accepted_task, `${k}.cost_per_task.cost_per_accepted_task`), ` per accepted ${t.task}.`];
}
function peopleLine(c, shown, k) {
  if (!c.people_served || !c.people_served.length) return [];
  const each = c.people_served.map((p, n) => el("span", {}, n ? "; " : "", numberSpan(shown.people_served[n].users, `${k}.people_served.${n}.users`),
    ` ${p.profile} users at ${p.min_tokens_per_s_per_stream} tokens/s`,
    ...(p.cost_per_user_per_month === null ? [] : [", ", numberSpan(shown.people_served[n].cost_per_user_per_month, `${k}.people_served.${n}.cost_per_user_per_month`), " each a month"])));
  return [el("br"), "one replica serves ", ...each, "."];
}
function redundancyLine(c, shown, k) {
  if (!c.redundancy || !c.redundancy.length) return [];
  const each = c.redundancy.map((o, n) => {
    const f = shown.redundancy[n];
    return el("span", {}, n ? "; " : "", ...(o.option === "api" ? [`${o.detail}, `] : [
      `${o.option.replace(/_/g, " ")}${o.declared ? " (as priced)" : ""}: +`, numberSpan(f.added_per_month, `${k}.redundancy.${n}.added_per_month`), ", "]),
      numberSpan(f.downtime_hours_per_month, `${k}.redundancy.${n}.downtime_hours_per_month`), " h down a month",
      ...(o.expected_total_per_month === null ? [] : [", expected total ", numberSpan(f.expected_total_per_month, `${k}.redundancy.${n}.expected_total_per_month`)]));
  });
  return [el("br"), "redundancy: ", ...each, "."];
}
function energyLine(shown, k) {
  const e = shown.energy;
  if (!e) return [];
  const co2 = e.kg_co2e_per_million_tokens === "-" ? [] : [", ", numberSpan(e.kg_co2e_per_million_tokens, `${k}.energy.kg_co2e_per_million_tokens`), " kg CO2e"];
  return [el("br"), "energy: ", numberSpan(e.kwh_per_month, `${k}.energy.kwh_per_month`), " kWh a month; per million tokens ",
    numberSpan(e.kwh_per_million_tokens, `${k}.energy.kwh_per_million_tokens`), " kWh", ...co2, "."];
}
function drawPairs(r) {
  const main = pairOf(r);
  const items = r.break_even.map((be, j) => [be, j]).filter(([be]) => be !== main).map(([be, j]) => {
    const shown = r.display.break_even_volumes[j];
    if (be.selfhost_cheaper_above === null) return el("li", {}, `${be.selfhost} never beats ${be.api}: ${be.reason}.`);
    const first = be.crossings.length > 1 ? [" first at ", numberSpan(shown.crossings[0], `break_even.${j}.crossings.0.volume`), " and for good"] : [];
    return el("li", {}, `${be.selfhost} beats ${be.api}`, ...first, " above ", numberSpan(shown.selfhost_cheaper_above, `break_even.${j}.selfhost_cheaper_above`), ".");
  });
  $("pairs").replaceChildren(...items);
}
function drawAssumptions(list) {
  const rows = list.map((a) => {
    const badge = el("span", { class: `badge ${a.confidence}` }, a.confidence);
    return el("tr", { class: "assumption" }, el("td", {}, a.name), el("td", {}, a.value), el("td", {}, a.unit), el("td", {}, badge), el("td", {}, a.source));
  });
  $("assumptions").tBodies[0].replaceChildren(...rows);
}
function drawKept() {
  const covered = new Set();
  for (const k of KNOBS) {
    if (!visible(k)) continue;
    const p = knobParts(k);
    if (k.id in STRUCTURE) { for (const sub of STRUCTURE[k.id]) covered.add([...scopeParts(k.scope), ...parts(sub)].join(".")); } else covered.add(p.join("."));
  }
  const edited = new Set([pick.api, pick.host].filter((i) => i >= 0).map(String));
  const items = [];
  (scenario.candidates || []).forEach((c, i) => {
    if (edited.has(String(i))) return;
    const what = { api: "an API", selfhost: "self-hosted", hybrid: `a hybrid of "${c.selfhost}" and "${c.api}", ${c.schedule === "hours" ? "in working hours" : "always on"}` }[c.kind];
    items.push(`"${c.name}" (${what}): kept whole, as given${c.kind === "hybrid" ? "; its best replica count is found at each volume" : "; pick it above to edit it"}`);
  });
  const walk = (v, ps) => {
    if (v !== null && typeof v === "object" && !Array.isArray(v)) { for (const [key, x] of Object.entries(v)) walk(x, [...ps, key]); return; }
    const key = ps.join(".");
    if ([...covered].some((c) => key === c || key.startsWith(c + "."))) return;
    if (ps[0] === "candidates" && (!edited.has(ps[1]) || ["name", "kind"].includes(ps[2]))) return;
    if (["name", "workload.request"].includes(key)) return;
    items.push(`${fieldWords(key)}: ${Array.isArray(v) ? v.join(", ") : v}`);
  };
  walk(scenario, []);
  $("kept").replaceChildren(...items.map((t) => el("li", {}, t)));
  $("kept-box").hidden = items.length === 0;
}

// ----------------------------------------------------------------------------- the chart

/** Plotly settings of every chart: no toolbar, nothing that links or uploads beyond this machine. */
const CHART_CONFIG = { displayModeBar: false, displaylogo: false, responsive: true, showLink: false, showEditInChartStudio: false, showSendToCloud: false };
const API_COLORS = ["#1f6feb", "#8250df", "#0a7f8a", "#9a6700"], HOST_COLORS = ["#d1242f", "#bc4c00"];
/** A colour for every curve, by candidate name: blues and violets for APIs, reds for self-hosting. */
function curveColors(r) {
  const colors = new Map();
  let na = 0, nh = 0;
  for (const c of r.curves) colors.set(c.candidate, Array.isArray(c.replicas) ? HOST_COLORS[nh++ % HOST_COLORS.length] : API_COLORS[na++ % API_COLORS.length]);
  return colors;
}
function faded(hex, alpha) { return `rgba(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(",")},${alpha})`; }
/** The chart's traces, layer by layer (later layers on top): each is a function (r, ctx) -> Plotly
 * traces read from the API's JSON, ctx = {key, unit, colors, monthly}. Another curve is one more
 * function in this list. */
const CHART_LAYERS = [spreadBands, costCurves, hybridCurve];
function costCurves(r, ctx) {
  return r.curves.map((c) => {
    const isHost = Array.isArray(c.replicas);
    return { x: c.volumes, y: c[ctx.key], name: c.candidate, mode: "lines", type: "scatter", meta: { layer: "cost" },
      line: { shape: isHost ? "hv" : "linear", color: ctx.colors.get(c.candidate), width: 2.5 },
      hovertemplate: `%{x:,.4s} ${ctx.unit}<br>${escapeHtml(r.currency)} %{y:,.4s}<extra>${escapeHtml(c.candidate)}</extra>` };
  });
}
/** The chosen pair's best hybrid, dashed: its best number of replicas at each volume, the API
 * taking what they cannot carry hour by hour. */
function hybridCurve(r, ctx) {
  const hy = pairHybrid(r);
  if (!hy) return [];
  const c = hy.curve;
  return [{ x: c.volumes, y: c[ctx.key], name: `hybrid: ${c.candidate}`, mode: "lines", type: "scatter", customdata: c.replicas, meta: { layer: "hybrid" },
    line: { shape: "linear", color: "#1a7f37", width: 2.5, dash: "dash" },
    hovertemplate: `%{x:,.4s} ${ctx.unit}<br>${escapeHtml(r.currency)} %{y:,.4s}<br>%{customdata} replicas<extra>${escapeHtml(c.candidate)}</extra>` }];
}
/** The P10-P90 band of each candidate's monthly cost, or cost per million tokens (from the Monte
 * Carlo), shaded behind its line. */
function spreadBands(r, ctx) {
  if (!r.uncertainty) return [];
  return r.uncertainty.curves.flatMap((b) => {
    const color = ctx.colors.get(b.candidate) || "#57606a", curve = hostCurve(r, b.candidate);
    const shape = curve && Array.isArray(curve.replicas) ? "hv" : "linear";
    const edges = ctx.monthly ? b : b.cost_per_million_tokens;
    const edge = { x: b.volumes, mode: "lines", type: "scatter", line: { width: 0, shape }, legendgroup: `band:${b.candidate}`, meta: { layer: "band", candidate: b.candidate } };
    return [{ ...edge, y: edges.p90, name: `${b.candidate} P90`, showlegend: false, hoverinfo: "skip" },
      { ...edge, y: edges.p10, name: `${b.candidate} P10–P90`, fill: "tonexty", fillcolor: faded(color, 0.16),
        hovertemplate: `P10 %{y:,.4s}<extra>${escapeHtml(b.candidate)}</extra>` }];
  });
}
function drawChart(r) {
  const ctx = { key: view === "monthly" ? "monthly_cost" : "cost_per_million_tokens", unit: AXIS_UNITS[r.axis], colors: curveColors(r), monthly: view === "monthly" };
  const traces = CHART_LAYERS.flatMap((layer) => layer(r, ctx));
  const be = pairOf(r), shapes = [], annotations = [];
  const xs = r.curves.flatMap((c) => [c.volumes[0], c.volumes[c.volumes.length - 1]]);
  const lo = Math.min(...xs), hi = Math.max(...xs);
  if (be) markBreakEven(r, be, lo, hi, shapes, annotations);
  shapes.push({ type: "line", x0: r.volume, x1: r.volume, yref: "paper", y0: 0, y1: 1, line: { color: "#57606a", dash: "dash", width: 1 } });
  annotations.push(label(r.volume, `now: ${r.display.volume}`, 0.04, "#57606a"));
  const layout = {
    margin: { l: 64, r: 12, t: 12, b: 48 }, showlegend: true, legend: { orientation: "h", y: -0.22 },
    xaxis: { type: "log", title: { text: ctx.unit }, range: [Math.log10(lo), Math.log10(hi)], autorange: false },
    yaxis: { type: ctx.monthly ? "linear" : "log", title: { text: ctx.monthly ? `${r.currency} per month` : `${r.currency} per million tokens` }, rangemode: "tozero" },
    shapes, annotations, dragmode: "zoom",
  };
  const hy = traces.find((t) => t.meta.layer === "hybrid");
  $("chart-caption").textContent = chartCaption(r, be, traces.some((t) => t.meta.layer === "band"))
    + (hy ? ` Dashed green: the hybrid plan "${pairHybrid(r).curve.candidate}", its best number of replicas at each volume with the API taking what they cannot carry hour by hour.` : "");
  return Plotly.react("chart", traces, layout, CHART_CONFIG);
}
/** Green bands where self-hosting is cheaper, dotted lines where the API is ahead again, the labels of
 * the first and the lasting win, and the P10-P90 of the lasting win where the spread is known. */
function markBreakEven(r, be, lo, hi, shapes, annotations) {
  const marks = be.crossings.filter((c) => c.volume >= lo && c.volume <= hi);
  for (let n = 0; n < marks.length; n++) {
    const c = marks[n];
    if (c.direction !== "selfhost_cheaper_above") continue;
    const end = n + 1 < marks.length ? marks[n + 1].volume : hi;
    shapes.push({ type: "rect", xref: "x", yref: "paper", x0: c.volume, x1: end, y0: 0, y1: 1, fillcolor: "rgba(26,127,55,0.10)", line: { width: 0 }, layer: "below" });
  }
  for (const c of marks) {
    if (c.direction !== "api_cheaper_above") continue;
    shapes.push({ type: "line", x0: c.volume, x1: c.volume, yref: "paper", y0: 0, y1: 1, line: { color: "#57606a", dash: "dot", width: 1 } });
  }
  const shown = r.display.break_even_volumes[r.break_even.indexOf(be)];
  if (be.crossings.length) {
    const first = be.crossings[0].volume, last = be.selfhost_cheaper_above;
    annotations.push(label(first, `first wins: ${shown.crossings[0]}`, 0.94, "#1a7f37"));
    if (last !== first) annotations.push(label(last, `for good: ${shown.selfhost_cheaper_above}`, 0.84, "#1a7f37"));
  }
  const spread = pairSpread(r, be);
  if (spread && spread.p10 !== null && spread.p10 !== spread.p90 && spread.p10 < hi) {
    const x1 = spread.p90 === null ? hi : Math.min(spread.p90, hi);
    shapes.push({ type: "rect", name: "break-even P10–P90", xref: "x", yref: "paper", x0: Math.max(spread.p10, lo), x1, y0: 0, y1: 1, fillcolor: "rgba(31,35,40,0.07)", line: { width: 0 }, layer: "below" });
    annotations.push(label(Math.max(spread.p10, lo), "break-even P10–P90", 0.74, "#1f2328"));
  }
}
function label(v, text, y, color) {
  return { x: Math.log10(Math.max(v, 1e-300)), y, yref: "paper", text: escapeHtml(text), showarrow: false, xanchor: "left", xshift: 4,
    font: { color, size: 12 }, bgcolor: "rgba(255,255,255,0.85)" };
}
function chartCaption(r, be, banded) {
  let text = `Monthly cost against ${AXIS_UNITS[r.axis]} (log scale) for each candidate; the self-host line steps up by one replica's cost each time another replica is needed.`;
  if (be && be.crossings.length) text += " Green bands: where self-hosting is cheaper; dotted grey lines: another replica is needed there and the API is cheaper again until its line climbs past the step.";
  if (banded) text += ` Shaded around each line: P10 to P90 of its ${view === "monthly" ? "monthly cost" : "cost per million tokens"} over ${r.display.uncertainty.samples} samples; the grey band: P10 to P90 of the lasting break-even.`;
  return text;
}
function escapeHtml(s) { return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c])); }
function setView(v, focus) {
  view = v;
  for (const [id, on] of [["tab-monthly", v === "monthly"], ["tab-permillion", v !== "monthly"]]) {
    $(id).setAttribute("aria-selected", String(on)); $(id).tabIndex = on ? 0 : -1;
    if (on && focus) $(id).focus();
  }
  $("chart-panel").setAttribute("aria-labelledby", v === "monthly" ? "tab-monthly" : "tab-permillion");
  if (lastResult) drawChart(lastResult);
}
function onTabKey(ev) {
  const order = ["monthly", "permillion"];
  const i = order.indexOf(view);
  const next = { ArrowRight: (i + 1) % 2, ArrowLeft: (i + 1) % 2, Home: 0, End: 1 }[ev.key];
  if (next === undefined) return;
  ev.preventDefault();
  setView(order[next], true);
}

// ----------------------------------------------------------------------------- URL state

function b64encode(text) { return btoa(String.fromCharCode(...new TextEncoder().encode(text))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, ""); }
function b64decode(s) { const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/")); return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0))); }
function urlValue(k) {
  if (k.kind === "select") return selectValue(k);
  const v = knobValue(k);
  return v === undefined || v === null ? "" : Array.isArray(v) ? `${v[0]}-${v[1]}` : String(k.kind === "share" ? Number((v * 100).toPrecision(15)) : v);
}
function presetParams() {
  const params = new URLSearchParams({ preset: base.id });
  const saved = scenario;
  scenario = baseScenario;
  const before = new Map(KNOBS.filter(visible).map((k) => [k.id, urlValue(k)]));
  scenario = saved;
  for (const [scope] of [["api"], ["host"]]) if (pick[scope] !== firstIndex(scope)) params.set(`${scope}_pick`, scenario.candidates[pick[scope]].name);
  for (const k of KNOBS) if (visible(k) && urlValue(k) !== before.get(k.id)) params.set(k.id, urlValue(k));
  return params;
}
function writeUrl() {
  let params = null;
  if (base.kind === "preset") {
    params = presetParams();
    const replay = applyParams(clone(baseScenario), params);
    if (!replay.ok || JSON.stringify(replay.scenario) !== JSON.stringify(scenario)) params = null;
  }
  if (params === null) params = new URLSearchParams({ s: b64encode(JSON.stringify(scenario)) });
  optionParams(params);
  history.replaceState(null, "", `?${params}`);
}
function firstIndex(scope) { const list = candidates(scope === "api" ? "api" : "selfhost"); return list.length ? list[0][1] : -1; }
/** Apply URL knob params to a scenario (structural selects first, as in the knob list); {ok, scenario, problems}. */
function applyParams(sc, params) {
  const saved = [scenario, { ...pick }];
  scenario = sc;
  pick = { api: firstIndex("api"), host: firstIndex("host") };
  const problems = [];
  for (const scope of ["api", "host"]) {
    const name = params.get(`${scope}_pick`);
    if (name === null) continue;
    const found = (scenario.candidates || []).findIndex((c) => c.name === name);
    if (found < 0) problems.push(`${scope}_pick: no candidate called "${name}"`); else pick[scope] = found;
  }
  for (const k of KNOBS) {
    const raw = params.get(k.id);
    if (raw === null) continue;
    if (!visible(k)) { problems.push(`${k.label}: not part of this scenario`); continue; }
    if (k.kind === "select") {
      const allowed = selectOptions(k).map(([v]) => v);
      if (!allowed.includes(raw)) { problems.push(`${k.label}: "${raw}" is not one of the choices`); continue; }
      if (k.id === "currency") scenario.currency = raw; else setSelect(k, raw);
    } else {
      const v = parseEntry(k, raw);
      if (v instanceof Error) problems.push(`${k.label}: ${v.message}`); else setNumber(k, v);
    }
  }
  const known = new Set(["preset", "s", "api_pick", "host_pick", ...KNOBS.map((k) => k.id)]);
  for (const key of params.keys()) if (!known.has(key)) problems.push(`"${key}" is not a setting of this page`);
  const result = { ok: problems.length === 0, scenario, problems, pick: { ...pick } };
  [scenario, pick] = saved;
  return result;
}
async function readUrl() {
  const params = new URLSearchParams(location.search);
  const optionProblems = readOptions(params);
  await readScenario(params);
  if (optionProblems.length) addNotice(`The link's ${optionProblems.join("; ")}: the default is used instead.`);
}
async function readScenario(params) {
  const s = params.get("s");
  if (s !== null) {
    let data = null;
    try { data = await parseText(b64decode(s)); } catch (err) { data = null; }
    if (data && !data.detail) { startFrom({ kind: "upload" }, data); params.delete("s"); fromUrl = true; }
    else { startFrom({ kind: "preset", id: defaultPreset }, presetScenario(defaultPreset)); notice("The link's scenario could not be read; showing the default scenario instead."); return; }
  } else {
    const id = params.get("preset") || defaultPreset;
    if (!presets.some((p) => p.id === id)) { startFrom({ kind: "preset", id: defaultPreset }, presetScenario(defaultPreset)); notice(`The link names no scenario "${id}"; showing the default scenario instead.`); return; }
    startFrom({ kind: "preset", id }, presetScenario(id));
  }
  params.delete("preset");
  if ([...params.keys()].length === 0) return;
  const applied = applyParams(clone(scenario), params);
  if (!applied.ok) { notice(`The link's settings could not be used (${applied.problems.join("; ")}); showing the scenario without them.`); return; }
  scenario = applied.scenario; pick = applied.pick; fromUrl = true;
}
async function fallBack(detail) {
  const why = detail.map((d) => { const k = knobForField(d.field || ""); return `${k ? k.label : fieldWords(d.field || "")}: ${humanMessage(d.msg || "")}`; });
  if (base.kind === "preset") startFrom(base, clone(baseScenario)); else startFrom({ kind: "preset", id: defaultPreset }, presetScenario(defaultPreset));
  fromUrl = false;
  notice(`The link's settings could not be used (${why.join("; ")}); showing the scenario without them.`);
  fillForm(); writeUrl(); changed();
}
function notice(text) { $("notice").textContent = text; $("notice").hidden = !text; }
function addNotice(text) { notice([$("notice").textContent, text].filter(Boolean).join(" ")); }

// ----------------------------------------------------------------------------- presets, uploads, downloads

function presetScenario(id) { return clone(presets.find((p) => p.id === id).scenario); }
function startFrom(b, sc) {
  base = b; baseScenario = clone(sc); scenario = sc;
  pick = { api: firstIndex("api"), host: firstIndex("host") };
  entryErrors.clear();
  if (b.kind !== "preset" && ![...$("preset").options].some((o) => o.value === "upload")) $("preset").append(option("upload", "a loaded file"));
  $("preset").value = b.kind === "preset" ? b.id : "upload";
  const p = b.kind === "preset" ? presets.find((x) => x.id === b.id) : null;
  $("about").textContent = p ? p.about : `Loaded from a file: ${sc.name}`;
}
async function parseText(text) {
  const resp = await fetch("/api/scenario/parse", { method: "POST", headers: { "Content-Type": "text/plain" }, body: text });
  return resp.json();
}
async function onUpload(ev) {
  const file = ev.target.files[0];
  if (!file) return;
  const data = await parseText(await file.text());
  ev.target.value = "";
  if (data.detail) { notice(`The file could not be loaded: ${data.detail.map((d) => `${fieldWords(d.field)}: ${humanMessage(d.msg)}`).join("; ")}`); return; }
  notice("");
  startFrom({ kind: "upload" }, data);
  clearFieldErrors(); fillForm(); writeUrl(); changed();
}
function onPreset(ev) {
  if (ev.target.value === "upload") return;
  notice("");
  startFrom({ kind: "preset", id: ev.target.value }, presetScenario(ev.target.value));
  clearFieldErrors(); fillForm(); writeUrl(); changed();
}
async function onDownload() {
  const resp = await fetch("/api/scenario/yaml", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(scenario) });
  if (!resp.ok) { showProblems((await resp.json()).detail || []); return; }
  const a = el("a", { href: URL.createObjectURL(new Blob([await resp.text()], { type: "text/yaml" })), download: "scenario.yaml" });
  a.click();
  URL.revokeObjectURL(a.href);
}

// ----------------------------------------------------------------------------- start

async function loadCatalogs() {
  const get = (u) => fetch(u).then((r) => r.json());
  const [knobs, ex, gpuRent, gpuOwn, apiOffers, models, engines, gpus, fx, formulas] = await Promise.all([
    get("/api/knobs"), get("/api/examples"), get("/api/catalog/gpu-rent"), get("/api/catalog/gpu-own"), get("/api/catalog/api-offers"),
    get("/api/catalog/models"), get("/api/catalog/engines"), get("/api/catalog/gpus"), get("/api/catalog/fx"), get("/api/formulas")]);
  KNOBS = knobs.knobs; NEW_BLOCKS = knobs.new_blocks; byId = new Map(KNOBS.map((k) => [k.id, k]));
  OPTIONS = knobs.evaluate_options; opts.samples = OPTIONS.samples.default; opts.seed = OPTIONS.seed.default;
  presets = ex.examples; defaultPreset = ex.default;
  catalogs = { gpuRent, gpuOwn, apiOffers, models, engines, gpus, fx };
  $("preset").replaceChildren(...presets.map((p) => option(p.id, p.name)));
  $("formulas").replaceChildren(...formulas.map((f) => el("div", {}, el("h3", {}, f.title), el("pre", {}, `${f.text}\n\n(${f.where})`))));
}
async function main() {
  await loadCatalogs();
  buildForm();
  await readUrl();
  fillForm();
  writeUrl();
  const form = $("knobs");
  form.addEventListener("input", onInput);
  form.addEventListener("change", onInput);
  form.addEventListener("submit", (ev) => ev.preventDefault());
  form.addEventListener("pointerdown", (ev) => { if (ev.target.type === "range") dragging = true; });
  for (const end of ["pointerup", "pointercancel"]) window.addEventListener(end, () => {
    if (!dragging) return;
    dragging = false;
    if (dirty && timer === null) schedule();
    if (!dirty && !inFlight && timer === null) pumpSpread();  // else the last answer asks for its own
  });
  $("preset").addEventListener("change", onPreset);
  $("upload").addEventListener("change", onUpload);
  $("download").addEventListener("click", onDownload);
  $("reset").addEventListener("click", () => { notice(""); startFrom(base, clone(baseScenario)); clearFieldErrors(); fillForm(); writeUrl(); changed(); });
  $("tab-monthly").addEventListener("click", () => setView("monthly"));
  $("tab-permillion").addEventListener("click", () => setView("permillion"));
  for (const id of ["tab-monthly", "tab-permillion"]) $(id).addEventListener("keydown", onTabKey);
  $("chart-png").addEventListener("click", () => Plotly.downloadImage("chart", { format: "png", filename: "breakeven-chart", width: 1200, height: 600 }));
  $("chart-reset").addEventListener("click", () => { if (lastResult) drawChart(lastResult); });
  changed();
}
window.addEventListener("DOMContentLoaded", main);
