"""The horizon: each candidate's cash out month by month while prices and demand move, cumulative and
discounted (net present cost), when buying GPUs pays back, and the break-even along time.

Month m (1..M) starts t = m - 1 months from now. In it the volume is v (1 + g)^t (g: demand growth per
month), API prices are p (1 + a)^(t/12) and GPU rent and the price of GPUs bought then are
r (1 + c)^(t/12) (a, c: yearly changes); its costs are discounted by (1 + d)^(-t/12).

Costs are cash, not accounting: a production layer's one-off is paid in month 1; owned GPUs are paid
when bought (month 1, and later as demand needs more replicas; they are never sold early), replaced
after their depreciation years (selling the old ones at their residual value), and powered and racked
every month; what they are still worth at the end (straight-line book value) is a terminal value
subtracted, discounted, from the net present cost. Owning's cost of capital is the discount rate
itself, so it is not charged again. Arrays run over samples (rows) and months (columns).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from breakeven.core.costs import MONTHS_PER_YEAR, OwnTerms, own_per_replica
from breakeven.core.crossover import Staircase, selfhost_cheaper_above
from breakeven.core.hybrid import HybridLine
from breakeven.results import HorizonBreakEven, HorizonCandidate, HorizonResult, Payback
from breakeven.scenario.assumptions import Sources
from breakeven.scenario.costing import CostLines, cost_lines
from breakeven.scenario.draws import PointDraws, SampleDraws
from breakeven.scenario.hybrid_side import scheduled
from breakeven.scenario.resolve import resolve
from breakeven.scenario.resolved import HorizonInputs, Resolved, SelfHostInputs
from breakeven.scenario.samples import stairs_column
from breakeven.scenario.schema import Horizon, Scenario
from breakeven.scenario.selfhost_side import fixed_per_month, replica_cost

HORIZON_SAMPLES = 4_000
"""Most samples the horizon's percentiles are taken over (months x samples arrays per candidate)."""
TOLERANCE = 1e-9
"""Relative slack when comparing cumulative costs (float noise must not move a payback month)."""


def _col(x, rows: int) -> np.ndarray:
    return np.broadcast_to(np.asarray(x, dtype=float).reshape(-1, 1), (rows, 1))


@dataclass(frozen=True)
class Trends:
    """Month-by-month factors, (samples, months)."""

    months: np.ndarray
    volume: np.ndarray
    gpu_price: np.ndarray
    discount: np.ndarray
    api_price: dict[str, np.ndarray]
    end_discount: np.ndarray
    """Discount factor at the end of the horizon (samples, 1)."""


def trends(r: Resolved, h: HorizonInputs) -> Trends:
    n, t = r.size, np.arange(h.months)[None, :]
    years = t / MONTHS_PER_YEAR
    return Trends(
        months=t,
        volume=_col(r.demand.volume, n) * (1 + _col(h.demand_growth_per_month, n)) ** t,
        gpu_price=(1 + _col(h.gpu_rent_change_per_year, n)) ** years,
        discount=(1 + _col(h.discount_rate, n)) ** -years,
        api_price={name: (1 + _col(a, n)) ** years for name, a in h.api_price_change_per_year.items()},
        end_discount=(1 + _col(h.discount_rate, n)) ** -(h.months / MONTHS_PER_YEAR),
    )


def _owned(host: SelfHostInputs, units: np.ndarray, tr: Trends) -> tuple[np.ndarray, np.ndarray]:
    """Cash out for owned replicas month by month (purchases, replacements net of resale, power and
    rack of the fleet), and the fleet's discounted book value at the end."""
    terms: OwnTerms = host.hardware
    rows, months = units.shape
    price = _col(terms.purchase_price, rows)[:, 0]
    life = np.maximum(1, np.round(_col(terms.depreciation_years, rows)[:, 0] * MONTHS_PER_YEAR)).astype(int)
    residual = _col(terms.residual_value_share, rows)[:, 0]
    parts = own_per_replica(terms, host.billed_hours)
    running = _col(parts["power"] + parts["rack"], rows)
    fleet = np.maximum.accumulate(units, axis=1)
    new = np.diff(fleet, axis=1, prepend=0.0)
    bought, cash, row = np.zeros_like(units), np.zeros_like(units), np.arange(rows)
    for t in range(months):
        back = t - life
        replaced = np.where(back >= 0, bought[row, np.maximum(back, 0)], 0.0)
        bought[:, t] = new[:, t] + replaced
        resale = replaced * residual * price * tr.gpu_price[row, np.maximum(back, 0)]
        cash[:, t] = bought[:, t] * price * tr.gpu_price[:, t] - resale
    age = months - tr.months
    held = tr.months + life[:, None] >= months
    book = 1 - (1 - residual[:, None]) * np.minimum(age / life[:, None], 1.0)
    terminal = (bought * price[:, None] * tr.gpu_price * book * held).sum(axis=1) * tr.end_discount[:, 0]
    return cash + fleet * running, terminal


def _selfhost(r: Resolved, lines: CostLines, name: str, tr: Trends) -> tuple[np.ndarray, np.ndarray]:
    host, stairs = r.hosts[name], stairs_column(lines.stairs[name])
    rows = r.size
    units = Staircase(stairs.fixed, stairs.per_replica, stairs.replicas_per_unit).replicas(tr.volume)
    units = units + host.standby_replicas
    pl = host.production_layer
    monthly = _col(host.staff_per_month, rows) + _col(host.storage_network_per_month, rows)
    cost = np.broadcast_to(monthly + (0.0 if pl is None else _col(pl.per_month, rows)), units.shape).copy()
    if pl is not None:
        cost[:, 0] += _col(pl.one_off, rows)[:, 0]
    if host.failover is not None:
        cost += stairs.per_unit * tr.api_price[host.failover.api] * tr.volume
    if isinstance(host.hardware, OwnTerms):
        hardware, terminal = _owned(host, units, tr)
        return cost + hardware, terminal
    return cost + units * _col(replica_cost(host), rows) * tr.gpu_price, np.zeros(rows)


def _month_line(r: Resolved, lines: CostLines, name: str, tr: Trends) -> HybridLine:
    """A hybrid's cost line at each month's prices (samples x months): replicas at the month's GPU
    price, the API and the failover API at theirs."""
    plan, line, rows = r.hybrids[name], lines.hybrids[name], r.size
    host = r.hosts[plan.selfhost]
    gpu = np.ones_like(tr.gpu_price) if isinstance(host.hardware, OwnTerms) else tr.gpu_price
    per_replica = _col(line.per_replica, rows) * gpu
    fixed = _col(sum(fixed_per_month(host).values()), rows) + host.standby_replicas * per_replica
    failover = 0.0 if host.failover is None else _col(line.failover_per_unit, rows) * tr.api_price[host.failover.api]
    api = _col(line.api_per_unit, rows) * tr.api_price[plan.api]
    return HybridLine(line.slots, fixed, per_replica, _col(line.replicas_per_unit, rows), api, failover)


def _hybrid(r: Resolved, lines: CostLines, name: str, tr: Trends) -> tuple[np.ndarray, np.ndarray]:
    """A hybrid's cash month by month: each month the replica count that costs least at that month's
    volume and prices; the self-host candidate's fixed costs (the production layer's one-off in the
    first month with replicas) while any replica runs; the API for the overflow."""
    plan = r.hybrids[name]
    host = scheduled(r.hosts[plan.selfhost], plan)
    line = _month_line(r, lines, name, tr)
    n = line.best(tr.volume)
    runs = n > 0
    f = line.overflow(tr.volume, n)
    cost = tr.volume * (line.api_per_unit * f + np.where(runs, line.failover_per_unit * (1 - f), 0.0))
    pl, rows = host.production_layer, r.size
    monthly = _col(host.staff_per_month, rows) + _col(host.storage_network_per_month, rows)
    cost = cost + runs * (monthly + (0.0 if pl is None else _col(pl.per_month, rows)))
    if pl is not None:
        first = runs & (np.cumsum(runs, axis=1) == 1)
        cost = cost + first * _col(pl.one_off, rows)
    units = np.where(runs, n + host.standby_replicas, 0.0)
    if isinstance(host.hardware, OwnTerms):
        hardware, terminal = _owned(host, units, tr)
        return cost + hardware, terminal
    return cost + units * line.per_replica, np.zeros(rows)


def cash_paths(r: Resolved, lines: CostLines, tr: Trends) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per candidate: (cash out, samples x months), (discounted terminal value, samples)."""
    out = {}
    for name in r.order:
        if name in r.apis:
            cost = _col(lines.api_per_unit[name], r.size) * tr.api_price[name] * tr.volume
            out[name] = (cost, np.zeros(r.size))
        elif name in r.hybrids:
            out[name] = _hybrid(r, lines, name, tr)
        else:
            out[name] = _selfhost(r, lines, name, tr)
    return out


def stays_from(ok: np.ndarray) -> np.ndarray:
    """Per row, the first month (1-based) from which ``ok`` holds to the end; 0 where it does not."""
    stays = np.logical_and.accumulate(ok[:, ::-1], axis=1)[:, ::-1]
    return np.where(stays[:, -1], np.argmax(stays, axis=1) + 1, 0)


def at_most(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return a <= b + TOLERANCE * np.maximum(np.abs(a), np.abs(b))


def _month(value: int) -> int | None:
    return int(value) or None


def _paybacks(r: Resolved, cum: dict, disc: dict) -> list[Payback]:
    owned = [n for n, h in r.hosts.items() if isinstance(h.hardware, OwnTerms)]
    return [
        Payback(
            own=own,
            against=other,
            month=_month(stays_from(at_most(cum[own], cum[other]))[0]),
            discounted_month=_month(stays_from(at_most(disc[own], disc[other]))[0]),
        )
        for own in owned
        for other in r.order
        if other != own and not (other in r.hosts and isinstance(r.hosts[other].hardware, OwnTerms))
    ]


def _month_stairs(r: Resolved, lines: CostLines, name: str, api: str, tr: Trends) -> tuple[np.ndarray, Staircase]:
    """The API line and a self-host staircase at each month's prices (first sample)."""
    host, st = r.hosts[name], lines.stairs[name]
    gpu = tr.gpu_price[0] if not isinstance(host.hardware, OwnTerms) else np.ones(tr.months.shape[1])
    per_replica = float(np.ravel(st.per_replica)[0]) * gpu
    fixed = float(np.ravel(st.fixed)[0]) + host.standby_replicas * (per_replica - float(np.ravel(st.per_replica)[0]))
    per_unit = float(np.ravel(st.per_unit)[0])
    if host.failover is not None:
        per_unit = per_unit * tr.api_price[host.failover.api][0]
    stairs = Staircase(fixed, per_replica, float(np.ravel(st.replicas_per_unit)[0]), per_unit)
    return float(np.ravel(lines.api_per_unit[api])[0]) * tr.api_price[api][0], stairs


def _break_evens(r: Resolved, lines: CostLines, cash: dict, cum: dict, tr: Trends) -> list[HorizonBreakEven]:
    """For each (API, self-host) pair at the point estimate: the months from which self-hosting stays
    cheaper (monthly and cumulative), and the break-even volume at each month's prices."""
    out = []
    for api in r.apis:
        for host in r.hosts:
            line, stairs = _month_stairs(r, lines, host, api, tr)
            above = selfhost_cheaper_above(line, stairs)
            out.append(
                HorizonBreakEven(
                    api=api,
                    selfhost=host,
                    selfhost_cheaper_from_month=_month(stays_from(cash[host] < cash[api])[0]),
                    cumulative_selfhost_cheaper_from_month=_month(stays_from(cum[host] < cum[api])[0]),
                    selfhost_cheaper_above=[None if np.isnan(v) else float(v) for v in above],
                )
            )
    return out


@dataclass(frozen=True)
class HorizonPaths:
    """A resolved scenario over its horizon: cash paths and their sums (samples x months)."""

    resolved: Resolved
    lines: CostLines
    trends: Trends
    cash: dict[str, np.ndarray]
    terminal: dict[str, np.ndarray]

    @property
    def cumulative(self) -> dict[str, np.ndarray]:
        return {n: np.cumsum(c, axis=1) for n, c in self.cash.items()}

    @property
    def discounted(self) -> dict[str, np.ndarray]:
        return {n: np.cumsum(c * self.trends.discount, axis=1) for n, c in self.cash.items()}

    def net_present_cost(self, name: str) -> np.ndarray:
        return self.discounted[name][:, -1] - self.terminal[name]


def horizon_paths(r: Resolved) -> HorizonPaths:
    lines = cost_lines(r)
    tr = trends(r, r.horizon)
    paths = cash_paths(r, lines, tr)
    return HorizonPaths(r, lines, tr, {n: p[0] for n, p in paths.items()}, {n: p[1] for n, p in paths.items()})


def with_horizon(s: Scenario) -> Scenario:
    """The scenario with its horizon, or with the default horizon where it states none."""
    return s if s.horizon is not None else s.model_copy(update={"horizon": Horizon()})


def first(paths: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The first sample's row of each path (the point estimate's)."""
    return {n: p[:1] for n, p in paths.items()}


def horizon_result(hp: HorizonPaths) -> HorizonResult:
    """The point estimate's horizon (the first sample of ``hp``)."""
    r, h = hp.resolved, hp.resolved.horizon
    cum, disc = hp.cumulative, hp.discounted
    candidates = [
        HorizonCandidate(
            name=name,
            monthly_cost=hp.cash[name][0].tolist(),
            cumulative_cost=cum[name][0].tolist(),
            discounted_cumulative_cost=disc[name][0].tolist(),
            terminal_value=float(hp.terminal[name][0]),
            net_present_cost=float(hp.net_present_cost(name)[0]),
        )
        for name in r.order
    ]
    first_api = next(iter(h.api_price_change_per_year.values()), 0.0)
    return HorizonResult(
        months=h.months,
        discount_rate=float(np.ravel(h.discount_rate)[0]),
        api_price_change_per_year=float(np.ravel(first_api)[0]),
        gpu_rent_change_per_year=float(np.ravel(h.gpu_rent_change_per_year)[0]),
        demand_growth_per_month=float(np.ravel(h.demand_growth_per_month)[0]),
        volume=hp.trends.volume[0].tolist(),
        candidates=candidates,
        payback=_paybacks(r, first(cum), first(disc)),
        break_even=_break_evens(r, hp.lines, first(hp.cash), first(cum), hp.trends),
        cheapest=min(candidates, key=lambda c: c.net_present_cost).name,
    )


def evaluate_horizon(
    s: Scenario,
    calibrations: dict | None = None,
    sources: Sources | None = None,
    samples: int | None = None,
    seed: int = 0,
) -> HorizonResult:
    """The horizon at the point estimate; with ``samples``, also the P10/P50/P90 of each net present
    cost and payback month, and the P10-P90 band of each discounted cumulative cost."""
    s = with_horizon(s)
    result = horizon_result(horizon_paths(resolve(s, PointDraws(), calibrations, sources, horizon=True)[0]))
    if not samples:
        return result
    from breakeven.scenario.horizon_uncertainty import with_uncertainty

    sampled = horizon_paths(
        resolve(s, SampleDraws(min(samples, HORIZON_SAMPLES), seed), calibrations, sources, True)[0]
    )
    return with_uncertainty(result, sampled)
