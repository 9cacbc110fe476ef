"""A self-host candidate -> a plan: the batch a replica runs, its speed, and its costs per month."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from breakeven import api, catalog
from breakeven.amounts import count, mid
from breakeven.catalog.store import lookup
from breakeven.core import costs
from breakeven.core.demand import RequestShape
from breakeven.core.deployment import Deployment
from breakeven.core.performance import tensor_precision
from breakeven.core.serving import ServiceLevel, batch_timings, serve
from breakeven.core.sizing import max_sequences
from breakeven.errors import InputError
from breakeven.fx import Rate, rate_for
from breakeven.scenario.assumptions import Ledger
from breakeven.scenario.load import ScenarioError
from breakeven.scenario.schema import OwnPricing, RentPricing, Scenario, SelfHostCandidate


@dataclass(frozen=True)
class Capacity:
    batch: float
    """Requests one replica serves at once (its concurrency; fractional only when scaled with context, [B])."""
    output_tokens_per_s: float
    per_stream_tokens_per_s: float
    ttft_s: float
    request_duration_s: float
    service_level_met: bool
    max_batch_fits: int


@dataclass(frozen=True)
class SelfHostPlan:
    name: str
    capacity: Capacity
    per_replica: dict[str, float]
    """Monthly hardware cost of one replica by part, report currency."""
    fixed: dict[str, float]
    """Monthly costs that do not scale with replicas, report currency."""
    standby_replicas: int
    billed_hours: float
    notes: list[str] = field(default_factory=list)

    @property
    def replica_cost(self) -> float:
        return sum(self.per_replica.values())


def _deployment(c: SelfHostCandidate, calibration=None) -> Deployment:
    engine = c.engine if calibration is None else calibration.profile
    return api.deployment(c.model, c.gpu, c.gpus_per_replica, c.precision, c.kv_precision, engine, c.attention_dp)


def capacity_of(
    dep: Deployment,
    shape: RequestShape,
    level: ServiceLevel,
    override: float | None,
    measured_rate: float | None = None,
) -> Capacity:
    """The largest batch that fits input + output tokens and meets the service level (the core's one
    search, ``serving.serve``), or the override. A measured replica throughput replaces the model's,
    and per-stream speed becomes what that rate leaves each stream after its first token."""
    i, o, cached = shape.input_tokens, shape.output_tokens, shape.cached_input_tokens
    if int(max_sequences(dep, i + o)) < 1:
        api.require_fit(dep, int(i + o))
    if override is None:
        s = serve(dep, i, o, None, cached, level)
        batch, met = s.batch, s.service_level_met is not False
    else:
        s = serve(dep, i, o, override, cached)  # beyond what fits, the speed is that of what fits
        batch = override
        met = override <= s.max_batch_fits and bool(
            batch_timings(dep, np.array([override]), i, o, cached).meets(level)[0]
        )
    rate, per_stream = s.output_tokens_per_s, s.decode_tokens_per_s_per_stream
    if measured_rate is not None:
        rate = measured_rate
        per_stream = o / max(batch * o / rate - s.ttft_s, 1e-9)
        met = (level.min_tokens_per_s is None or per_stream >= level.min_tokens_per_s) and (
            level.max_ttft_s is None or s.ttft_s <= level.max_ttft_s
        )
    # Little's law on the replica: batch requests of o tokens each, served at `rate` tokens/s, spend
    # batch x o / rate in it (prefill stalls and queueing included), so concurrency and throughput agree.
    duration = batch * o / rate
    return Capacity(batch, rate, per_stream, s.ttft_s, duration, met, s.max_batch_fits)


def _in_report_currency(value, currency: str | None, s: Scenario, fx: dict[str, Rate], ledger: Ledger) -> float:
    rate = rate_for(currency or s.currency, s.currency, fx, s.price_date)
    if rate.rate != 1.0:
        ledger.add(
            f"FX {rate.currency} -> {s.currency}",
            f"{rate.rate:.6g}",
            f"{s.currency} per {rate.currency}",
            f"{rate.source} ({rate.date})",
            rate.confidence,
        )
    return mid(value) * rate.rate


def _rent(c: SelfHostCandidate, p: RentPricing, s: Scenario, fx, ledger: Ledger, hours: float) -> dict[str, float]:
    if p.price_per_gpu_hour is not None:
        ledger.given(f"{c.name}: rent per GPU-hour ({p.currency or s.currency})", p.price_per_gpu_hour, "per GPU-hour")
        terms = costs.RentTerms(_in_report_currency(p.price_per_gpu_hour, p.currency, s, fx, ledger), 1, "hour")
        return costs.rent_per_replica(terms, c.gpus_per_replica, hours)
    if p.price_per_replica_hour is not None:
        unit = f"per replica-hour ({count(c.gpus_per_replica, 'GPU')})"
        ledger.given(f"{c.name}: rent per replica-hour ({p.currency or s.currency})", p.price_per_replica_hour, unit)
        price = _in_report_currency(p.price_per_replica_hour, p.currency, s, fx, ledger)
        terms = costs.RentTerms(price, c.gpus_per_replica, "hour")
        return costs.rent_per_replica(terms, c.gpus_per_replica, hours)
    offer = lookup("gpu-rent", p.offer)
    if catalog.gpu(offer.gpu).id != catalog.gpu(c.gpu).id:
        raise InputError("pricing.offer", p.offer, f"an offer for {c.gpu}; this one rents {offer.gpu}")
    ledger.figure(
        f"{c.name}: rent offer {offer.id}",
        offer,
        "price",
        offer.price,
        f"{offer.currency} per {offer.unit.replace('_', '-')} ({count(offer.gpus, 'GPU')})",
    )
    per = "month" if offer.unit == "month" else "hour"
    terms = costs.RentTerms(_in_report_currency(offer.price, offer.currency, s, fx, ledger), offer.gpus, per)
    return costs.rent_per_replica(terms, c.gpus_per_replica, hours)


def _own(c: SelfHostCandidate, p: OwnPricing, s: Scenario, fx, ledger: Ledger, hours: float) -> dict[str, float]:
    gpu = catalog.gpu(c.gpu)
    if p.offer is not None:
        offer = lookup("gpu-own", p.offer)
        if catalog.gpu(offer.gpu).id != gpu.id:
            raise InputError("pricing.offer", p.offer, f"an offer for {c.gpu}; this one sells {offer.gpu}")
        ledger.figure(
            f"{c.name}: purchase offer {offer.id}",
            offer,
            "purchase_price",
            offer.purchase_price,
            f"{offer.currency} per {count(offer.gpus, 'GPU')}",
        )
        price_per_gpu = _in_report_currency(offer.purchase_price, offer.currency, s, fx, ledger) / offer.gpus
        watts = mid(offer.power_w) / offer.gpus if offer.power_w is not None else None
    else:
        ledger.given(
            f"{c.name}: purchase price per GPU ({p.currency or s.currency})", p.purchase_price_per_gpu, "per GPU"
        )
        price_per_gpu, watts = _in_report_currency(p.purchase_price_per_gpu, p.currency, s, fx, ledger), None
    if p.power_w_per_gpu is not None:
        ledger.given(f"{c.name}: power per GPU", p.power_w_per_gpu, "W")
        watts = mid(p.power_w_per_gpu)
    if watts is None:
        ledger.figure(
            f"{c.name}: power per GPU (board power, as the average draw)", gpu, "board_power_w", gpu.board_power_w, "W"
        )
        watts = gpu.board_power_w
    for label, attr, unit in (
        ("depreciation", "depreciation_years", "years"),
        ("residual value", "residual_value_share", "share of price"),
        ("cost of capital", "cost_of_capital", "per year"),
        ("PUE", "pue", ""),
        ("electricity", "electricity_per_kwh", f"{s.currency}/kWh"),
        ("rack/colocation", "rack_per_month", f"{s.currency}/month per replica"),
    ):
        ledger.field(f"{c.name}: {label}", p, attr, unit)
    terms = costs.OwnTerms(
        purchase_price=price_per_gpu * c.gpus_per_replica,
        depreciation_years=mid(p.depreciation_years),
        residual_value_share=mid(p.residual_value_share),
        cost_of_capital=mid(p.cost_of_capital),
        power_w=watts * c.gpus_per_replica,
        pue=mid(p.pue),
        electricity_per_kwh=mid(p.electricity_per_kwh),
        rack_per_month=mid(p.rack_per_month),
    )
    return costs.own_per_replica(terms, hours)


def _fixed(c: SelfHostCandidate, ledger: Ledger, currency: str) -> dict[str, float]:
    out = {}
    if c.staff is not None:
        st = c.staff
        ledger.given(f"{c.name}: staff hours", st.hours_per_month, "h/month")
        ledger.given(f"{c.name}: staff rate", st.rate_per_hour, f"{currency}/h")
        ledger.given(f"{c.name}: staff FTE", st.fte, "FTE")
        ledger.given(f"{c.name}: loaded salary", st.loaded_salary_per_year, f"{currency}/year")
        out["staff"] = costs.staff_monthly(
            *(
                None if v is None else mid(v)
                for v in (st.hours_per_month, st.rate_per_hour, st.fte, st.loaded_salary_per_year)
            )
        )
    if c.production_layer is not None:
        pl = c.production_layer
        ledger.given(f"{c.name}: production layer one-off", pl.one_off, currency)
        ledger.field(f"{c.name}: production layer amortized over", pl, "amortize_months", "months")
        ledger.field(f"{c.name}: production layer running", pl, "per_month", f"{currency}/month")
        out["production_layer"] = costs.production_layer_monthly(
            mid(pl.one_off), mid(pl.amortize_months), mid(pl.per_month)
        )
    if c.storage_network_per_month:
        ledger.given(f"{c.name}: storage and network", c.storage_network_per_month, f"{currency}/month")
        out["storage_network"] = mid(c.storage_network_per_month)
    return out


def _deployment_assumptions(c: SelfHostCandidate, dep: Deployment, ledger: Ledger) -> None:
    g, m, e = dep.gpu, dep.model, dep.engine
    ledger.figure(f"{g.id} memory", g, "memory_gib", g.memory_gib, "GiB")
    ledger.figure(f"{g.id} memory bandwidth", g, "bandwidth_tb_per_s", g.bandwidth_tb_per_s, "TB/s")
    ledger.figure(f"{m.id} total parameters", m, "params_total_b", m.params_total_b, "billion")
    ledger.figure(f"{m.id} active parameters", m, "params_active_b", m.params_active_b, "billion")
    for f in (
        "weight_bandwidth_efficiency",
        "kv_bandwidth_efficiency",
        f"gemm_efficiency_{tensor_precision(g, dep.precision).replace('fp16', 'bf16')}",
        "overhead_per_layer_us",
        *(("moe_layer_overhead_us", "moe_expert_overhead_us") if m.moe else ()),
    ):
        ledger.figure(f"{e.id} {f.replace('_', ' ')}", e, f, getattr(e, f), "us" if f.endswith("_us") else "share")
    ledger.add(f"{c.name}: KV-cache precision", dep.kv_precision, "", dep.kv_reason, "firm")
    layout = "data-parallel attention + expert parallelism" if dep.attention_dp else "tensor-parallel attention"
    source = "scenario file" if c.attention_dp is not None else f"breakeven default: {dep.attention_dp_reason}"
    ledger.add(f"{c.name}: attention layout", layout, "", source, "firm" if c.attention_dp is not None else "est")


def _calibration_notes(c: SelfHostCandidate, dep: Deployment, calibration) -> list[str]:
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
    return [note]


def concurrency_override(c: SelfHostCandidate, shape: RequestShape, ledger: Ledger) -> float | None:
    """The candidate's concurrency override; with ``concurrency_at_input_tokens``, scaled inversely with
    the request's input tokens ([B]: capacity = in-flight x 50,000 / context)."""
    cap = c.capacity
    ledger.given(f"{c.name}: concurrency per replica (override)", cap.concurrency_per_replica, "requests")
    if cap.concurrency_per_replica is None or cap.concurrency_at_input_tokens is None:
        return cap.concurrency_per_replica
    ledger.given(f"{c.name}: input tokens the concurrency override holds at", cap.concurrency_at_input_tokens, "tokens")
    return cap.concurrency_per_replica * cap.concurrency_at_input_tokens / shape.input_tokens


def _capacity_notes(override: float | None, cap: Capacity, shape: RequestShape) -> list[str]:
    context = f"{shape.input_tokens + shape.output_tokens:,.0f}-token"
    if override is not None and override > cap.max_batch_fits:
        return [
            f"the concurrency override ({override:,.4g}) exceeds the {cap.max_batch_fits} {context} sequences whose "
            f"KV cache fits one replica"
        ]
    if not cap.service_level_met:
        return [
            "the service level is not met even at a batch of 1"
            if override is None
            else f"at the concurrency override ({override:,.4g}) the service level is not met"
        ]
    return []


def _within_context(c: SelfHostCandidate, dep: Deployment, shape: RequestShape) -> None:
    """A request must fit the model's context window: a longer one is the request's fault, not too few GPUs."""
    tokens = shape.input_tokens + shape.output_tokens
    if tokens > dep.model.max_context_tokens:
        why = (
            f"input_tokens + output_tokens is {tokens:,.0f} tokens; {c.name!r} serves {dep.model.id}, whose context "
            f"holds at most {dep.model.max_context_tokens:,} tokens"
        )
        raise ScenarioError("scenario", [("workload.request", why)])


def plan_selfhost(
    c: SelfHostCandidate, s: Scenario, shape: RequestShape, fx: dict[str, Rate], ledger: Ledger, calibration=None
) -> SelfHostPlan:
    """Capacity and costs of one self-host candidate (with its loaded calibration file, if it names one)."""
    if c.calibration is not None and calibration is None:
        raise InputError(f"{c.name}.calibration", c.calibration, "a calibration file loaded with the scenario")
    dep = _deployment(c, calibration)
    _within_context(c, dep, shape)
    _deployment_assumptions(c, dep, ledger)
    sl = s.workload.service_level
    level = ServiceLevel(
        None if sl.min_tokens_per_s_per_stream is None else mid(sl.min_tokens_per_s_per_stream),
        None if sl.max_ttft_s is None else mid(sl.max_ttft_s),
    )
    ledger.given("service level: min tokens/s per stream", sl.min_tokens_per_s_per_stream, "tokens/s")
    ledger.given("service level: max time to first token", sl.max_ttft_s, "s")
    override = concurrency_override(c, shape, ledger)
    cap = capacity_of(dep, shape, level, override, c.capacity.output_tokens_per_s_per_replica)
    ledger.given(
        f"{c.name}: output tokens/s per replica (override)", c.capacity.output_tokens_per_s_per_replica, "tokens/s"
    )
    hours = costs.billed_hours(mid(c.schedule.hours_per_month) if c.schedule.kind == "hours" else None)
    ledger.add(
        f"{c.name}: billed hours",
        f"{hours:g}",
        "h/month",
        "breakeven: 8,760 h / 12 for 24/7" if c.schedule.kind == "always" else "scenario file",
        "firm",
    )
    hardware = (_rent if c.pricing.kind == "rent" else _own)(c, c.pricing, s, fx, ledger, hours)
    notes = _capacity_notes(override, cap, shape)
    if calibration is not None:
        notes += _calibration_notes(c, dep, calibration)
    standby = c.redundancy.replicas if c.redundancy.kind == "standby" else 0
    return SelfHostPlan(c.name, cap, hardware, _fixed(c, ledger, s.currency), standby, hours, notes)
