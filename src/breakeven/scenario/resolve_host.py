"""A self-host candidate -> its deployment, drawn performance figures, rent or ownership terms and fixed
costs, in the report currency, listed as assumptions."""

from __future__ import annotations

import numpy as np

from breakeven import catalog
from breakeven.amounts import count
from breakeven.catalog.schema import Provenance, SpeculationMethod
from breakeven.catalog.store import lookup
from breakeven.core import costs
from breakeven.core.demand import RequestShape
from breakeven.core.deployment import Deployment
from breakeven.core.performance import tensor_precision
from breakeven.deployments import deployment
from breakeven.errors import InputError
from breakeven.scenario.load import ScenarioError
from breakeven.scenario.resolve_figures import grid_intensity
from breakeven.scenario.resolved import Failover, Num, SelfHostInputs
from breakeven.scenario.resolver import Resolver, performance_figures
from breakeven.scenario.schema import OwnPricing, RentPricing, SelfHostCandidate
from breakeven.speculation import method_of
from breakeven.speculative_prediction import drafter_label

SHARE = (0.0, 1.0)
SPECULATIVE_ACCEPTANCE = "speculative.acceptance"
"""The figures key of a drawn speculative acceptance (``selfhost_side.deployment_at`` applies it)."""


LISTED_GPU = ("memory_gib", "bandwidth_tb_per_s")
LISTED_ENGINE = ("weight_bandwidth_efficiency", "kv_bandwidth_efficiency", "overhead_per_layer_us")
LISTED_MOE = ("moe_layer_overhead_us", "moe_expert_overhead_us")
"""Performance figures listed in the assumptions whether firm or est (every est one is listed too),
with the matmul efficiency of the deployment's tensor precision and, for MoE models, the MoE costs."""


def _acceptance(r: Resolver, c: SelfHostCandidate, path: str) -> Num | None:
    """The candidate's speculative acceptance: its own figure, else the method's published range (est),
    a performance input either way (drawn by the Monte Carlo, swung by the tornado)."""
    spec = c.speculative
    if spec is None:
        return None
    name = f"{c.name}: speculative acceptance per position ({spec.method})"
    if spec.acceptance is not None:
        return r.given(spec.acceptance, f"{path}.speculative.acceptance", name, "share", performance=True, bounds=SHARE)
    method = method_of(spec)
    return r.figure(method, "speculation", "acceptance", tuple(method.acceptance), name, "share", True, SHARE)


def _drafter_figure(dep: Deployment, method: SpeculationMethod) -> tuple[str, Provenance] | None:
    """The drafter's size as an assumption: the model's MTP layers, the EAGLE-3 head (its draft
    vocabulary) or the draft model's parameters; None for n-gram lookup."""
    s = dep.speculative
    if s.method == "mtp":
        return f"{dep.model.id} MTP layers", dep.model.provenance_of("mtp.params_b")
    if s.method == "eagle":
        return f"{dep.model.id} EAGLE-3 head", method.provenance_of("draft_vocab_size")
    if s.method == "draft_model":
        return f"draft model {s.drafter.id}", s.drafter.provenance_of("params_total_b")
    return None


def _speculation_assumptions(r: Resolver, c: SelfHostCandidate, dep: Deployment, path: str) -> None:
    spec, s = c.speculative, dep.speculative
    method = method_of(spec)
    if spec.draft_tokens is not None:
        r.ledger.given(
            f"{c.name}: draft tokens per step", spec.draft_tokens, "tokens", f"{path}.speculative.draft_tokens"
        )
    else:
        prov = method.provenance_of("draft_tokens")
        source = f"{prov.source} (checked {prov.checked})"
        r.ledger.add(f"{c.name}: draft tokens per step", s.draft_tokens, "tokens", source, prov.confidence)
    drafter = _drafter_figure(dep, method)
    if drafter is not None:
        name, prov = drafter
        r.ledger.add(name, drafter_label(dep), "", f"{prov.source} (checked {prov.checked})", prov.confidence)
    behaviour = "turns it off" if dep.engine.speculative_disable_by_batch else "keeps speculating"
    prov = dep.engine.provenance_of("speculative_disable_by_batch")
    source = f"{prov.source} (checked {prov.checked})"
    r.ledger.add(
        f"{c.name}: above the batch where speculation stops paying",
        f"{dep.engine.id} {behaviour}",
        "",
        source,
        prov.confidence,
    )


def _deployment(r: Resolver, c: SelfHostCandidate, calibration, path: str) -> tuple[Deployment, dict[str, Num]]:
    engine = c.engine if calibration is None else calibration.profile
    acceptance = _acceptance(r, c, path)
    dep = deployment(
        c.model,
        c.gpu,
        c.gpus_per_replica,
        c.precision,
        c.kv_precision,
        engine,
        c.attention_dp,
        speculative=c.speculative,
        acceptance=None if acceptance is None else float(np.median(acceptance)),
    )
    g, m, e = dep.gpu, dep.model, dep.engine
    figures = performance_figures(r, g, "gpus", "gpu", LISTED_GPU)
    for figure, label in (("params_total_b", "total parameters"), ("params_active_b", "active parameters")):
        prov = m.provenance_of(figure)
        source = f"{prov.source} (checked {prov.checked})"
        r.ledger.add(f"{m.id} {label}", getattr(m, figure), "billion", source, prov.confidence)
    gemm = f"gemm_efficiency_{tensor_precision(g, dep.precision).replace('fp16', 'bf16')}"
    listed = (*LISTED_ENGINE, gemm, *(LISTED_MOE if m.moe else ()))
    figures.update(performance_figures(r, e, "engines", "engine", listed))
    r.ledger.add(f"{c.name}: KV-cache precision", dep.kv_precision, "", dep.kv_reason, "firm")
    layout = "data-parallel attention + expert parallelism" if dep.attention_dp else "tensor-parallel attention"
    source = "scenario file" if c.attention_dp is not None else f"breakeven default: {dep.attention_dp_reason}"
    r.ledger.add(f"{c.name}: attention layout", layout, "", source, "firm" if c.attention_dp is not None else "est")
    if acceptance is not None:
        figures[SPECULATIVE_ACCEPTANCE] = acceptance
        _speculation_assumptions(r, c, dep, path)
    return dep, figures


def _stated_price(
    r: Resolver, c: SelfHostCandidate, p: RentPricing | OwnPricing, path: str, attr: str, label: str, unit: str
) -> Num:
    """A price the scenario states for the candidate's GPUs, in the report currency."""
    name = f"{c.name}: {label} ({p.currency or r.scenario.currency})"
    return r.given(getattr(p, attr), f"{path}.pricing.{attr}", name, unit) * r.rate(p.currency)


def _offer(kind: str, offer_id: str, c: SelfHostCandidate, verb: str):
    """A catalog offer for the candidate's GPU; an offer for another GPU is an error."""
    offer = lookup(kind, offer_id)
    if catalog.gpu(offer.gpu).id != catalog.gpu(c.gpu).id:
        raise InputError("pricing.offer", offer_id, f"an offer for {c.gpu}; this one {verb} {offer.gpu}")
    return offer


def _rent(r: Resolver, c: SelfHostCandidate, p: RentPricing, path: str) -> costs.RentTerms:
    if p.price_per_gpu_hour is not None:
        price = _stated_price(r, c, p, path, "price_per_gpu_hour", "rent per GPU-hour", "per GPU-hour")
        return costs.RentTerms(price, 1, "hour")
    if p.price_per_replica_hour is not None:
        unit = f"per replica-hour ({count(c.gpus_per_replica, 'GPU')})"
        price = _stated_price(r, c, p, path, "price_per_replica_hour", "rent per replica-hour", unit)
        return costs.RentTerms(price, c.gpus_per_replica, "hour")
    offer = _offer("gpu-rent", p.offer, c, "rents")
    unit = f"{offer.currency} per {offer.unit.replace('_', '-')} ({count(offer.gpus, 'GPU')})"
    price = r.figure(offer, "gpu-rent", "price", offer.price, f"{c.name}: rent offer {offer.id}", unit)
    per = "month" if offer.unit == "month" else "hour"
    return costs.RentTerms(price * r.rate(offer.currency), offer.gpus, per)


def _purchase(r: Resolver, c: SelfHostCandidate, p: OwnPricing, path: str) -> tuple[Num, Num | None]:
    """Price per GPU in the report currency, and the offer's draw per GPU (W) where it states one."""
    if p.offer is None:
        return _stated_price(r, c, p, path, "purchase_price_per_gpu", "purchase price per GPU", "per GPU"), None
    offer = _offer("gpu-own", p.offer, c, "sells")
    unit = f"{offer.currency} per {count(offer.gpus, 'GPU')}"
    name = f"{c.name}: purchase offer {offer.id}"
    price = r.figure(offer, "gpu-own", "purchase_price", offer.purchase_price, name, unit)
    watts = None
    if offer.power_w is not None:
        draw = r.figure(offer, "gpu-own", "power_w", offer.power_w, f"{c.name}: offer draw {offer.id}", "W")
        watts = draw / offer.gpus
    return price * r.rate(offer.currency) / offer.gpus, watts


def _own(r: Resolver, c: SelfHostCandidate, p: OwnPricing, path: str, dep: Deployment, figures) -> costs.OwnTerms:
    currency = r.scenario.currency
    price_per_gpu, watts = _purchase(r, c, p, path)
    if p.power_w_per_gpu is not None:
        watts = r.given(p.power_w_per_gpu, f"{path}.pricing.power_w_per_gpu", f"{c.name}: power per GPU", "W")
    if watts is None:
        gpu = dep.gpu
        name = f"{c.name}: power per GPU (board power, as the average draw)"
        prov = gpu.provenance_of("board_power_w")
        r.ledger.add(name, gpu.board_power_w, "W", f"{prov.source} (checked {prov.checked})", prov.confidence)
        watts = figures.get("gpu.board_power_w", gpu.board_power_w)
    at = f"{path}.pricing"
    terms = {
        attr: r.field(p, attr, at, f"{c.name}: {label}", unit, bounds=bounds)
        for label, attr, unit, bounds in (
            ("depreciation", "depreciation_years", "years", (0.25, 20.0)),
            ("residual value", "residual_value_share", "share of price", SHARE),
            ("cost of capital", "cost_of_capital", "per year", SHARE),
            ("PUE", "pue", "", (1.0, 3.0)),
            ("electricity", "electricity_per_kwh", f"{currency}/kWh", (0.0, None)),
            ("rack/colocation", "rack_per_month", f"{currency}/month per replica", (0.0, None)),
        )
    }
    return costs.OwnTerms(
        purchase_price=price_per_gpu * c.gpus_per_replica, power_w=watts * c.gpus_per_replica, **terms
    )


def _staff(r: Resolver, c: SelfHostCandidate, path: str) -> Num:
    st, currency = c.staff, r.scenario.currency
    if st is None:
        return 0.0
    values = [
        r.given(getattr(st, attr), f"{path}.staff.{attr}", f"{c.name}: {label}", unit)
        for attr, label, unit in (
            ("hours_per_month", "staff hours", "h/month"),
            ("rate_per_hour", "staff rate", f"{currency}/h"),
            ("fte", "staff FTE", "FTE"),
            ("loaded_salary_per_year", "loaded salary", f"{currency}/year"),
        )
    ]
    return costs.staff_monthly(*values)


def _production_layer(r: Resolver, c: SelfHostCandidate, path: str) -> costs.ProductionLayerTerms | None:
    pl, currency = c.production_layer, r.scenario.currency
    if pl is None:
        return None
    at = f"{path}.production_layer"
    return costs.ProductionLayerTerms(
        one_off=r.field(pl, "one_off", at, f"{c.name}: production layer one-off", currency),
        amortize_months=r.field(pl, "amortize_months", at, f"{c.name}: production layer amortized over", "months"),
        per_month=r.field(pl, "per_month", at, f"{c.name}: production layer running", f"{currency}/month"),
    )


def _billed_hours(r: Resolver, c: SelfHostCandidate, path: str) -> Num:
    if c.schedule.kind == "hours":
        hours = r.given(
            c.schedule.hours_per_month, f"{path}.schedule.hours_per_month", f"{c.name}: billed hours", "h/month"
        )
        return costs.billed_hours(hours)
    hours = costs.billed_hours(None)
    r.ledger.add(f"{c.name}: billed hours", f"{hours:g}", "h/month", "breakeven: 8,760 h / 12 for 24/7", "firm")
    return hours


def _failover(r: Resolver, c: SelfHostCandidate, path: str) -> Failover | None:
    red = c.redundancy
    if red.kind != "api_failover":
        return None
    name = f"{c.name}: downtime share served by {red.api}"
    return Failover(red.api, r.field(red, "downtime_share", f"{path}.redundancy", name, "share", bounds=SHARE))


def _calibration_notes(dep: Deployment, calibration) -> tuple[str, ...]:
    d = calibration.deployment
    here = (dep.model.id, dep.gpu.id, dep.gpus, dep.precision)
    there = (
        catalog.model(d.model).id if not d.model.endswith(".json") else d.model,
        catalog.gpu(d.gpu).id,
        d.gpus,
        d.precision,
    )
    note = (
        f"calibrated on {d.model} on {d.gpus} x {d.gpu} ({calibration.fit.points} points, rms error "
        f"{calibration.fit.rms_relative_error_before:.0%} -> {calibration.fit.rms_relative_error_after:.0%})"
    )
    if here != there:
        note += (
            f"; this candidate differs ({dep.model.id} on {dep.gpus} x {dep.gpu.id}, {dep.precision}): the fitted "
            "efficiencies are carried over"
        )
    return (note,)


def _concurrency(r: Resolver, c: SelfHostCandidate, path: str, shape: RequestShape) -> Num | None:
    """The candidate's concurrency override; with ``concurrency_at_input_tokens``, scaled inversely with
    the request's input tokens ([B]: capacity = in-flight x 50,000 / context)."""
    cap, at = c.capacity, f"{path}.capacity"
    if cap.concurrency_per_replica is None:
        return None
    name = f"{c.name}: concurrency per replica (override)"
    r.ledger.given(name, cap.concurrency_per_replica, "requests", f"{at}.concurrency_per_replica")
    if cap.concurrency_at_input_tokens is None:
        return cap.concurrency_per_replica
    name = f"{c.name}: input tokens the concurrency override holds at"
    r.ledger.given(name, cap.concurrency_at_input_tokens, "tokens", f"{at}.concurrency_at_input_tokens")
    return cap.concurrency_per_replica * cap.concurrency_at_input_tokens / shape.input_tokens


def _within_context(c: SelfHostCandidate, dep: Deployment, shape: RequestShape) -> None:
    """A request must fit the model's context window: a longer one is the request's fault, not too few GPUs."""
    tokens = np.max(shape.input_tokens + shape.output_tokens)
    if tokens > dep.model.max_context_tokens:
        why = (
            f"input_tokens + output_tokens is {tokens:,.0f} tokens; {c.name!r} serves {dep.model.id}, whose context "
            f"holds at most {dep.model.max_context_tokens:,} tokens"
        )
        raise ScenarioError("scenario", [("workload.request", why)])


def resolve_host(
    r: Resolver, c: SelfHostCandidate, index: int, shape: RequestShape, calibration=None
) -> SelfHostInputs:
    """A self-host candidate's inputs (with its loaded calibration file, if it names one)."""
    if c.calibration is not None and calibration is None:
        raise InputError(f"{c.name}.calibration", c.calibration, "a calibration file loaded with the scenario")
    path = f"candidates[{index}]"
    dep, figures = _deployment(r, c, calibration, path)
    _within_context(c, dep, shape)
    concurrency = _concurrency(r, c, path, shape)
    measured = r.given(
        c.capacity.output_tokens_per_s_per_replica,
        f"{path}.capacity.output_tokens_per_s_per_replica",
        f"{c.name}: output tokens/s per replica (override)",
        "tokens/s",
        performance=True,
    )
    hours = _billed_hours(r, c, path)
    grid = None
    if c.pricing.kind == "rent":
        hardware = _rent(r, c, c.pricing, path)
    else:
        hardware = _own(r, c, c.pricing, path, dep, figures)
        grid = grid_intensity(r, c.name, c.pricing, path) if r.point_only else None
    staff = _staff(r, c, path)
    production_layer = _production_layer(r, c, path)
    storage = r.given(
        c.storage_network_per_month or None,
        f"{path}.storage_network_per_month",
        f"{c.name}: storage and network",
        f"{r.scenario.currency}/month",
    )
    return SelfHostInputs(
        name=c.name,
        deployment=dep,
        figures=figures,
        gpus_per_replica=c.gpus_per_replica,
        hardware=hardware,
        billed_hours=hours,
        staff_per_month=staff,
        production_layer=production_layer,
        storage_network_per_month=0.0 if storage is None else storage,
        standby_replicas=c.redundancy.replicas if c.redundancy.kind == "standby" else 0,
        failover=_failover(r, c, path),
        concurrency=concurrency,
        measured_output_tokens_per_s=measured,
        notes=() if calibration is None else _calibration_notes(dep, calibration),
        grid_kg_co2e_per_kwh=grid,
    )
