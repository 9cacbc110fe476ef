"""Every published measurement reproduced by the shipped engine profiles within its tolerance, and
the shipped fitted values reproduced by re-running the fit (docs/calibration.md)."""

import pytest

from breakeven.calibration.bundled import FIT_PLAN, deployment_for, refit
from breakeven.calibration.fit import predict_point
from breakeven.calibration.points import measurements
from breakeven.catalog import engine


@pytest.mark.calibration
@pytest.mark.parametrize("point", measurements(), ids=lambda p: p.id)
def test_published_point_within_tolerance(point):
    # Each point cites its source in measurements.yaml (vLLM blog 2026-04-22, gpt-fast README,
    # TensorRT-LLM performance.md v0.9.0).
    predicted = predict_point(point, deployment_for(point, engine(point.engine)))
    assert predicted == pytest.approx(point.value, rel=point.tolerance), (
        f"{point.metric}: {predicted:.4g} vs {point.value}"
    )


@pytest.mark.calibration
@pytest.mark.parametrize("engine_id", [e for e, free in FIT_PLAN.items() if free])
def test_shipped_profile_equals_a_fresh_fit(engine_id):
    fitted = refit(engine_id)
    shipped = engine(engine_id)
    for field in FIT_PLAN[engine_id]:
        assert getattr(shipped, field) == pytest.approx(getattr(fitted.profile, field), rel=0.01), field
    assert fitted.rms_relative_error < 0.05


def test_every_engine_has_points_or_says_it_is_an_estimate():
    for engine_id, free in FIT_PLAN.items():
        prof = engine(engine_id)
        assert free or prof.provenance.confidence == "est", engine_id


def test_docs_calibration_tables_are_current():
    from conftest import ROOT

    from breakeven.calibration.report import fitted_values_table, points_table

    doc = (ROOT / "docs" / "calibration.md").read_text()
    assert fitted_values_table() in doc, "regenerate with: python bench/fit_engine_profiles.py"
    assert points_table() in doc, "regenerate with: python bench/fit_engine_profiles.py"
    from breakeven.calibration.report import measured_sweeps_table

    assert measured_sweeps_table(ROOT / "tests" / "data" / "measured") in doc
