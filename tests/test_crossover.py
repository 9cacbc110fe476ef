"""The exact break-even against brute force, and the laws of the cost curves."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from breakeven.core.crossover import MAX_CROSSINGS, Staircase, break_even

money = st.floats(min_value=0, max_value=1e5, allow_nan=False)
positive = st.floats(min_value=1e-3, max_value=1e5, allow_nan=False)


def _brute_sign_changes(a: float, stairs: Staircase, vmax: float) -> np.ndarray:
    v = np.linspace(vmax / 2e5, vmax, 200_001)
    d = a * v - stairs.cost(v)
    return v[1:][np.diff(np.sign(d)) != 0]


@settings(max_examples=150, deadline=None)
@given(
    money,
    positive,
    st.floats(min_value=1e-4, max_value=1.0),
    st.floats(min_value=0.01, max_value=100),
    st.floats(min_value=0, max_value=0.5),
)
def test_crossings_are_where_the_curves_meet(fixed, per_replica, k, api_per_unit, variable_share):
    stairs = Staircase(fixed, per_replica, k, api_per_unit * variable_share)
    be = break_even(api_per_unit, stairs)
    for c in be.crossings:
        v = c.volume
        n = max(1, np.ceil(k * v))
        # the step the crossing lies on; at a step boundary float rounding may pick its neighbour
        steps = [fixed + per_replica * m + stairs.per_unit * v for m in (max(1, n - 1), n, n + 1)]
        tol = 1e-7 * max(1.0, steps[1])
        a = api_per_unit * v
        if c.direction == "selfhost_cheaper_above":
            assert min(abs(a - s_) for s_ in steps) <= tol  # the API line meets a step's line here
        else:  # at a step up: the API was above the step and is below the next one
            assert any(s_ - tol <= a <= s_ + per_replica + tol for s_ in steps)
            assert abs(k * v - round(k * v)) <= 1e-6 * max(1.0, k * v)
    if be.selfhost_cheaper_above is not None:
        far = np.geomspace(be.selfhost_cheaper_above * 1.000001, be.selfhost_cheaper_above * 1e4, 2000)
        assert np.all(stairs.cost(far) <= api_per_unit * far + 1e-9 * stairs.cost(far))


@settings(max_examples=40, deadline=None)
@given(money, positive, st.floats(min_value=1e-3, max_value=0.1), st.floats(min_value=1.01, max_value=20))
def test_crossing_count_matches_brute_force(fixed, per_replica, k, margin):
    # the API costs `margin` times what replicas add per unit: self-hosting wins in the end, so few
    # draws are filtered out (drawing the API price freely left most of them without a break-even)
    stairs = Staircase(fixed, per_replica, k)
    api_per_unit = per_replica * k * margin
    be = break_even(api_per_unit, stairs)
    assume(be.selfhost_cheaper_above is not None and be.listed_all and len(be.crossings) < 50)
    vmax = be.selfhost_cheaper_above * 1.5
    found = _brute_sign_changes(api_per_unit, stairs, vmax)
    exact = np.array([c.volume for c in be.crossings])
    # every sign change a fine grid sees is an exact crossing (the grid can miss dips narrower than a cell)
    assert len(found) <= len(exact)
    for v in found:
        assert np.min(np.abs(exact - v)) <= 2 * vmax / 2e5


def test_crossings_past_the_listing_limit_keep_the_first_and_the_exact_last():
    # replicas cost within 0.1% of the API per unit, with a large fixed cost: a crossing on every step
    stairs = Staircase(fixed=1e6, per_replica=999.0, replicas_per_unit=1.0)
    be = break_even(1000.0, stairs)
    assert not be.listed_all and be.steps > MAX_CROSSINGS
    assert len(be.crossings) <= 2 * MAX_CROSSINGS
    last = be.crossings[-1].volume
    assert last == be.selfhost_cheaper_above
    assert stairs.cost(last * 1.001) < 1000.0 * last * 1.001 and stairs.cost(last * 0.999) >= 1000.0 * last * 0.999


@settings(max_examples=60, deadline=None)
@given(money, positive, st.floats(min_value=0, max_value=1.0), st.floats(min_value=0, max_value=10))
def test_self_host_cost_never_falls_as_volume_rises(fixed, per_replica, k, per_unit):
    v = np.sort(np.random.default_rng(0).uniform(0, 1e4, 500))
    assert np.all(np.diff(Staircase(fixed, per_replica, k, per_unit).cost(v)) >= 0)


@given(money, positive, st.floats(min_value=0, max_value=1.0))
def test_a_free_api_is_never_beaten(fixed, per_replica, k):
    be = break_even(0.0, Staircase(fixed, per_replica, k))
    assert be.crossings == () and be.selfhost_cheaper_above is None


def test_never_when_each_replica_costs_more_than_the_traffic_it_serves():
    be = break_even(4.0, Staircase(1000, 5000, 0.001))
    assert be.selfhost_cheaper_above is None and be.verdict == "replicas_cost_more"


def test_one_replica_for_any_volume_crosses_once():
    be = break_even(2.0, Staircase(1000, 5000, 0.0))
    assert [c.volume for c in be.crossings] == [pytest.approx(3000)]


@settings(max_examples=300, deadline=None)
@given(
    money,
    positive,
    st.one_of(st.just(0.0), st.floats(min_value=1e-6, max_value=1.0)),
    st.floats(min_value=0.0, max_value=100),
    st.floats(min_value=0, max_value=1.0),
)
def test_the_vectorized_break_even_equals_the_exact_one(fixed, per_replica, k, api_per_unit, variable_share):
    """The Monte Carlo's break-even (all samples at once) is the exact scalar one, sample by sample."""
    from breakeven.core.crossover import selfhost_cheaper_above

    stairs = Staircase(fixed, per_replica, k, api_per_unit * variable_share)
    exact = break_even(api_per_unit, stairs).selfhost_cheaper_above
    batch = Staircase(*(np.full(3, x) for x in (fixed, per_replica, k, stairs.per_unit)))
    fast = selfhost_cheaper_above(np.full(3, api_per_unit), batch)
    if exact is None:
        assert np.isnan(fast).all()
    else:
        assert fast == pytest.approx([exact] * 3, rel=1e-9)
