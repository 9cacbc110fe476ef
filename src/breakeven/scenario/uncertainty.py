"""How sure the answer is: a seeded Monte Carlo over the whole evaluation (the performance model
included), and its statistics.

Every range and distribution in the scenario, and every catalog figure marked est (within the
scenario's ``uncertainty.est_spread``), is drawn ``samples`` times; the samples are evaluated at once
(numpy arrays). Performance inputs take ``performance_draws`` distinct values (about the square root
of the samples), so the capacity search runs that many times per self-host candidate; the error this
adds is in the confidence intervals below, which treat samples sharing a performance draw as a
cluster. docs/uncertainty.md states the method and its measured error.
"""

from __future__ import annotations

import math

import numpy as np

from breakeven.errors import InputError
from breakeven.outputs.format import percent
from breakeven.results import (
    Assumption,
    BreakEvenUncertainty,
    CandidateUncertainty,
    CurveBand,
    Evaluation,
    Interval,
    Percentiles,
    PerMillionBand,
    Share,
    UncertainInput,
    UncertaintyResult,
)
from breakeven.scenario.assumptions import Sources
from breakeven.scenario.demand import demand_at
from breakeven.scenario.draws import MAX_SAMPLES, MIN_SAMPLES, SampleDraws
from breakeven.scenario.resolve import resolve
from breakeven.scenario.samples import SampledCosts, hybrid_column, sampled_costs, stairs_column
from breakeven.scenario.schema import DEFAULT_SOURCES, Scenario
from breakeven.scenario.tornado import Tornado, tornado

DEFAULT_SAMPLES = 10_000
"""Samples drawn unless asked otherwise: P10 and P90 of a cost to about 1% (docs/uncertainty.md)."""
DEFAULT_SEED = 0
Z_95 = 1.959963984540054
"""Two-sided 95% normal quantile, for the confidence intervals on probabilities."""
PERCENTILES = (10, 50, 90)
CURVE_BAND_SAMPLES = 2_000
"""Samples used for the P10-P90 bands of the cost curves (enough for a chart's resolution)."""


def check_samples(samples: int, field: str = "samples", most: int = MAX_SAMPLES) -> int:
    """``samples`` if it is a whole number within [MIN_SAMPLES, most], else an InputError naming ``field``."""
    if isinstance(samples, bool) or not isinstance(samples, int) or not MIN_SAMPLES <= samples <= most:
        raise InputError(field, samples, f"a whole number of samples from {MIN_SAMPLES:,} to {most:,}")
    return samples


MAX_SEED = 2**63 - 1


def check_seed(seed: int, field: str = "seed") -> int:
    """``seed`` if it is a whole number from 0 to MAX_SEED, else an InputError naming ``field``."""
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise InputError(field, seed, f"a whole number from 0 to {MAX_SEED:,}")
    return seed


def percentiles(values: np.ndarray, never_beyond: bool = False) -> Percentiles:
    """P10/P50/P90. ``never_beyond``: NaN means "never" and ranks beyond every value (a percentile that
    falls among those samples is null)."""
    if never_beyond:
        ranked = np.where(np.isnan(values), np.inf, values)
        found = np.percentile(ranked, PERCENTILES, method="inverted_cdf")
    else:
        with np.errstate(invalid="ignore"):  # infinite values (no tokens: cost per token) give null, as meant
            found = np.percentile(values, PERCENTILES)
    return Percentiles(**{f"p{q}": (float(v) if math.isfinite(v) else None) for q, v in zip(PERCENTILES, found)})


def share_with_interval(indicator: np.ndarray, clusters: np.ndarray) -> tuple[float, Interval]:
    """The share of samples where ``indicator`` holds, with a 95% Wilson interval at the effective
    sample size: the variance is estimated cluster-robustly (samples that share a performance draw
    form a cluster), so the interval covers the error of having few performance draws too."""
    n = indicator.size
    p = float(indicator.mean())
    groups = clusters if np.unique(clusters).size > 1 else np.arange(n)
    k = int(groups.max()) + 1
    sums = np.bincount(groups, weights=indicator - p, minlength=k)
    used = np.count_nonzero(np.bincount(groups, minlength=k))
    variance = used / max(used - 1, 1) * float((sums**2).sum()) / n**2
    binomial = p * (1 - p) / n
    effective = n / max(1.0, variance / binomial) if binomial > 0 else n
    z2 = Z_95**2 / effective
    center = (p + z2 / 2) / (1 + z2)
    half = Z_95 * math.sqrt(p * (1 - p) / effective + Z_95**2 / (4 * effective**2)) / (1 + z2)
    low = 0.0 if p == 0 else max(0.0, center - half)
    high = 1.0 if p == 1 else min(1.0, center + half)
    return p, Interval(low=low, high=high)


def _candidates(sc: SampledCosts, winner: np.ndarray) -> list[CandidateUncertainty]:
    out = []
    clusters = sc.resolved.performance_index
    with np.errstate(divide="ignore", invalid="ignore"):
        per_million = {n: sc.monthly_cost[n] / (sc.tokens / 1e6) for n in sc.names}
    for i, name in enumerate(sc.names):
        share, interval = share_with_interval(winner == i, clusters)
        met = sc.service_level_met[name]
        out.append(
            CandidateUncertainty(
                name=name,
                monthly_cost=percentiles(sc.monthly_cost[name]),
                cost_per_million_tokens=percentiles(per_million[name]),
                probability_cheapest=share,
                probability_cheapest_interval=interval,
                service_level_met_share=float(met.mean()) if name not in sc.lines.api_per_unit else None,
                **_hybrid_spread(sc, name),
            )
        )
    return out


def _hybrid_spread(sc: SampledCosts, name: str) -> dict:
    """A hybrid's best replica count and overflow share over the samples."""
    line = sc.lines.hybrids.get(name)
    if line is None:
        return {}
    best = line.best(sc.volume)
    return {
        "replicas": percentiles(np.broadcast_to(best, sc.volume.shape).astype(float)),
        "overflow_share": percentiles(np.broadcast_to(line.overflow(sc.volume, best), sc.volume.shape)),
    }


def _break_evens(sc: SampledCosts) -> list[BreakEvenUncertainty]:
    return [
        BreakEvenUncertainty(
            api=api,
            selfhost=host,
            selfhost_cheaper_above=percentiles(values, never_beyond=True),
            probability_never=float(np.isnan(values).mean()),
        )
        for (api, host), values in sc.break_even.items()
    ]


def curve_bands(sc: SampledCosts, volumes: list[float]) -> list[CurveBand]:
    """P10/P50/P90 of each candidate's monthly cost and cost per million tokens at each volume (over the
    first CURVE_BAND_SAMPLES). Tokens are proportional to the volume on every axis, so each sample's
    tokens at a volume are its tokens per unit of volume times the volume."""
    grid = np.asarray(volumes, dtype=float)
    rows = min(CURVE_BAND_SAMPLES, sc.resolved.size)
    per_unit_tokens = np.asarray(demand_at(sc.resolved.demand, 1.0).tokens, dtype=float)
    tokens = np.broadcast_to(per_unit_tokens, (sc.resolved.size,))[:rows, None] * grid[None, :]
    out = []
    for name in sc.names:
        if name in sc.lines.api_per_unit:
            per_unit = np.broadcast_to(sc.lines.api_per_unit[name], (sc.resolved.size,))[:rows]
            cost = per_unit[:, None] * grid[None, :]
        elif name in sc.lines.hybrids:
            line = hybrid_column(sc.lines.hybrids[name], rows)
            cost = np.broadcast_to(line.best_cost(grid[None, :]), (rows, grid.size))
        else:
            cost = np.broadcast_to(stairs_column(sc.lines.stairs[name], rows).cost(grid), (rows, grid.size))
        p10, p50, p90 = np.percentile(cost, PERCENTILES, axis=0)
        out.append(
            CurveBand(
                candidate=name,
                volumes=volumes,
                p10=p10.tolist(),
                p50=p50.tolist(),
                p90=p90.tolist(),
                cost_per_million_tokens=_per_million_band(cost, tokens),
            )
        )
    return out


def _per_million_band(cost: np.ndarray, tokens: np.ndarray) -> PerMillionBand:
    """P10/P50/P90 over samples (rows) of cost per million tokens at each volume (columns); None
    where a volume gives no tokens in some sample."""
    with np.errstate(divide="ignore", invalid="ignore"):
        per_million = np.where(tokens > 0, cost / (tokens / 1e6), np.nan)
    edges = np.percentile(per_million, PERCENTILES, axis=0)
    shown = [[None if np.isnan(v) else float(v) for v in edge] for edge in edges]
    return PerMillionBand(p10=shown[0], p50=shown[1], p90=shown[2])


def _summary(sc: SampledCosts, winner: np.ndarray, recommendations: list[Share]) -> str:
    hosts = [i for i, n in enumerate(sc.names) if n in sc.resolved.hosts]
    hybrids = [i for i, n in enumerate(sc.names) if n in sc.resolved.hybrids]
    total = f"{sc.resolved.size:,} samples"
    if hosts and sc.resolved.apis:
        share = float(np.isin(winner, hosts).mean())
        text = f"self-hosting is the cheaper choice in {percent(share)} of {total}"
        if hybrids:
            text += f", a hybrid plan in {percent(float(np.isin(winner, hybrids).mean()))}"
        return text
    top = recommendations[0]
    return f"the cheapest candidate is {top.name} in {percent(top.share)} of {total}"


def _inputs(draws: SampleDraws) -> list[UncertainInput]:
    out = []
    for x in draws.inputs.values():
        low, high = x.ends()
        out.append(
            UncertainInput(
                name=x.name,
                field=x.key,
                unit=x.unit,
                distribution=x.dist.describe(),
                low=low,
                median=x.median(),
                high=high,
                performance=x.performance,
                source=x.source,
                confidence=x.confidence,
            )
        )
    return out


def spread_assumption(s: Scenario) -> Assumption:
    """The est spread, as the assumption it is (listed whenever the Monte Carlo runs)."""
    set_here = "est_spread" in s.uncertainty.model_fields_set
    return Assumption(
        name="spread of catalog figures marked est",
        value=f"uniform ±{s.uncertainty.est_spread:.0%}",
        unit="share of the figure",
        source="scenario file" if set_here else DEFAULT_SOURCES[("UncertaintySettings", "est_spread")],
        confidence="firm" if set_here else "est",
        field="uncertainty.est_spread",
    )


def evaluate_uncertainty(
    s: Scenario,
    point: Evaluation,
    samples: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
    calibrations: dict | None = None,
    sources: Sources | None = None,
    curves: bool = False,
    performance_draws: int | None = None,
    with_tornado: bool = True,
) -> UncertaintyResult:
    """The Monte Carlo of a scenario whose point evaluation is ``point``. ``performance_draws``
    overrides the number of distinct performance draws (default: about the square root of the
    samples); ``with_tornado=False`` leaves the tornado out (its fields empty)."""
    check_samples(samples)
    check_seed(seed)
    draws = SampleDraws(samples, seed, performance_draws)
    resolved, _ = resolve(s, draws, calibrations, sources)
    sc = sampled_costs(resolved)
    winner = sc.cheapest_index()
    counts = np.bincount(winner, minlength=len(sc.names)) / samples
    recommendations = sorted(
        (Share(name=n, share=float(c)) for n, c in zip(sc.names, counts) if c > 0), key=lambda x: -x.share
    )
    hosts = [i for i, n in enumerate(sc.names) if n in resolved.hosts]
    selfhost = share_with_interval(np.isin(winner, hosts), resolved.performance_index) if hosts else None
    swings = tornado(s, point, calibrations, sources) if with_tornado else Tornado(("", ""), None, 0.0, [])
    return UncertaintyResult(
        samples=samples,
        seed=seed,
        performance_draws=int(np.unique(resolved.performance_index).size),
        est_spread=s.uncertainty.est_spread,
        candidates=_candidates(sc, winner),
        break_even=_break_evens(sc),
        probability_selfhost_cheapest=None if selfhost is None else selfhost[0],
        probability_selfhost_cheapest_interval=None if selfhost is None else selfhost[1],
        recommendations=recommendations,
        summary=_summary(sc, winner, recommendations),
        tornado_pair=list(swings.pair),
        tornado_break_even=swings.break_even,
        tornado_gap=swings.gap,
        tornado=swings.bars,
        inputs=_inputs(draws),
        curves=curve_bands(sc, point.curves[0].volumes) if curves and point.curves else [],
    )
