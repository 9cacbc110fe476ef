"""The whole answer for a scenario, as every face asks for it: the point evaluation, and on request
the Monte Carlo with its tornado (``samples``) and the horizon."""

from __future__ import annotations

from breakeven.results import Evaluation
from breakeven.scenario.assumptions import Sources
from breakeven.scenario.evaluate import CURVE_POINTS, evaluate
from breakeven.scenario.horizon import evaluate_horizon, with_horizon
from breakeven.scenario.schema import Scenario
from breakeven.scenario.uncertainty import (
    DEFAULT_SEED,
    check_samples,
    check_seed,
    evaluate_uncertainty,
    spread_assumption,
)


def analyse(
    s: Scenario,
    calibrations: dict | None = None,
    sources: Sources | None = None,
    curve_points: int = CURVE_POINTS,
    samples: int | None = None,
    seed: int = DEFAULT_SEED,
    horizon: bool = False,
) -> Evaluation:
    """The Evaluation, with ``uncertainty`` when ``samples`` is given and ``horizon`` when asked (the
    scenario's horizon, or the default one; with ``samples`` it carries percentiles too)."""
    if samples is not None:
        check_samples(samples)
        check_seed(seed)
    if horizon:
        s = with_horizon(s)
    point = evaluate(s, curve_points, calibrations, sources, horizon)
    updates: dict = {}
    if samples is not None:
        updates["uncertainty"] = evaluate_uncertainty(
            s, point, samples, seed, calibrations, sources, curves=bool(curve_points)
        )
        updates["assumptions"] = [*point.assumptions, spread_assumption(s)]
    if horizon:
        updates["horizon"] = evaluate_horizon(s, calibrations, sources, samples, seed)
    return point.model_copy(update=updates)
