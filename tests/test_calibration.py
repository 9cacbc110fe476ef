"""The bundled engine profiles against the published measurements (catalog/data/measurements.yaml):
the fit reproduces its points, the shipped values equal a fresh fit, the held-out points meet the
stated bounds where docs/calibration.md says they do, and the docs tables are current."""

import functools

import pytest

from breakeven.calibration.bundled import FIT_PLAN, check, refit_all
from breakeven.calibration.points import measurements, regime
from breakeven.calibration.validation import MEDIAN_BOUND, P90_BOUND, group_stats, rows
from breakeven.catalog import engine


@functools.cache
def fresh_fits():
    return refit_all()


@pytest.mark.calibration
@pytest.mark.parametrize("point", [p for p in measurements() if p.use == "fit"], ids=lambda p: p.id)
def test_fitted_point_within_tolerance(point):
    # Each point cites its source in measurements.yaml; validation points are held to the group
    # bounds below instead (a held-out point is not tuned to).
    error = next(e for e in check(point.engine).errors if e.point.id == point.id)
    assert abs(error.relative_error) <= point.tolerance, f"{point.metric}: {error.predicted:.4g} vs {point.value}"


@pytest.mark.calibration
@pytest.mark.parametrize("engine_id", list(FIT_PLAN))
def test_shipped_profile_equals_a_fresh_fit(engine_id):
    fits = fresh_fits()
    shipped, plan = engine(engine_id), FIT_PLAN[engine_id]
    for field in plan.free:
        assert getattr(shipped, field) == pytest.approx(getattr(fits[engine_id].profile, field), rel=0.01), field
    for field, source in plan.borrowed.items():
        assert getattr(shipped, field) == getattr(engine(source), field), f"{field} copied from {source}"


def test_fit_order_borrows_only_from_earlier_fits():
    order = list(FIT_PLAN)
    for engine_id, plan in FIT_PLAN.items():
        for field, source in plan.borrowed.items():
            fitted_there = field in FIT_PLAN[source].free
            assert not fitted_there or order.index(source) < order.index(engine_id), (engine_id, field, source)


def test_every_engine_has_points_or_says_it_is_an_estimate():
    for engine_id, plan in FIT_PLAN.items():
        assert plan.free or engine(engine_id).provenance.confidence == "est", engine_id


def test_split_was_made_per_deployment_and_every_group_is_validated():
    points = [p for p in measurements() if p.use == "validate"]
    kinds = {(p.engine, regime(p)) for p in points}
    assert ("trtllm", "max throughput") in kinds and ("vllm", "small batch") in kinds
    # a deployment (engine, model, GPU, count, precision) is held out whole, except two whose small-batch
    # ITL was fitted: their throughput (another metric) and gpt-oss-120b's bursts are held out
    fit_keys = {(p.engine, p.model, p.gpu, p.gpus, p.precision) for p in measurements() if p.use == "fit"}
    shared = {p.id for p in points if (p.engine, p.model, p.gpu, p.gpus, p.precision) in fit_keys}
    assert shared == {
        "vllm-h100-llama31-8b-c8-throughput",
        "vllm-h100-gpt-oss-120b-c4-throughput",
        "vllm-h100-gpt-oss-120b-2k-burst",
        "vllm-h100-gpt-oss-120b-4k-burst",
        "vllm-h100-gpt-oss-120b-32k-burst",
    }


@pytest.mark.calibration
def test_validation_bounds_hold_for_every_group():
    # The bounds the issue sets on held-out points: median |error| <= 10%, p90 <= 25%, for dense and
    # MoE models, at small batch and at max throughput, each group with enough points to mean it.
    stats = {(s.group, s.use): s for s in group_stats(rows({}))}
    for group, at_least in (("dense", 15), ("small batch", 15), ("MoE", 25), ("max throughput", 25)):
        s = stats[(group, "validate")]
        assert s.n >= at_least and s.median <= MEDIAN_BOUND and s.p90 <= P90_BOUND, s


@pytest.mark.slow
def test_docs_calibration_tables_are_current():
    from conftest import ROOT

    from breakeven.outputs.calibration_tables import generated_block

    doc = (ROOT / "docs" / "calibration.md").read_text()
    block = generated_block(fresh_fits(), ROOT / "tests" / "data" / "measured")
    assert block in doc, "regenerate with: python bench/fit_engine_profiles.py"
