"""The hybrid core: hour-by-hour overflow, the optimal replica count (against brute force), the laws
it must keep, and where a hybrid starts to beat its API."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from breakeven.core.hybrid import (
    HybridLine,
    changes_within,
    cheaper_than_api_above,
    crossings_on_grid,
    hour_slots,
    overflow_share,
)

# ------------------------------------------------------------------ a hand-computed 2-hour example


def two_hours(per_replica: float = 80.0) -> HybridLine:
    """Two hours of traffic: 1,000 requests in the first, 3,000 in the second (shares 0.25 and 0.75).
    One unit of volume is 4 requests; ten replicas carry the busier hour at volume 1,000, so one
    replica carries 300 requests an hour: 0.075 of the volume. F = 50, the API costs 1 per unit."""
    return HybridLine(
        hour_slots([1000, 3000]), fixed=50.0, per_replica=per_replica, replicas_per_unit=0.01, api_per_unit=1.0
    )


def test_two_hour_example_by_hand():
    line = two_hours()
    v = 1000.0
    # n replicas absorb 0.075 n of the volume in each hour: hour 1 overflows max(0, 0.25 - 0.075 n),
    # hour 2 max(0, 0.75 - 0.075 n).
    assert line.overflow(v, 0) == 1.0
    assert line.overflow(v, 3) == pytest.approx(0.025 + 0.525)  # 0.55
    assert line.overflow(v, 4) == pytest.approx(0.0 + 0.45)  # hour 1 fully served
    assert line.overflow(v, 10) == pytest.approx(0.0)
    # C(n) = 50 + 80 n + 1000 f(n): 1,000 / 840 / 820 / 850 (n = 0, 3, 4, 10)
    assert line.cost(v, 0) == pytest.approx(1000)
    assert line.cost(v, 3) == pytest.approx(50 + 240 + 550)
    assert line.cost(v, 4) == pytest.approx(50 + 320 + 450)
    assert line.cost(v, 10) == pytest.approx(50 + 800 + 0)
    assert line.best(v) == 4 and line.best_cost(v) == pytest.approx(820)
    assert line.full_coverage(v) == 10


def test_two_hour_example_cheap_replicas_cover_everything_and_dear_ones_nothing():
    assert two_hours(per_replica=10).best(1000) == 10  # every replica saves more than its 10
    assert two_hours(per_replica=300).best(1000) == 0  # one replica saves 75 + ... < 300: the API alone


# ------------------------------------------------------------------ against brute force

weights = st.lists(st.floats(0, 100, allow_nan=False), min_size=1, max_size=40).filter(lambda w: sum(w) > 0)


@st.composite
def lines(draw):
    w = draw(weights)
    kind = draw(st.sampled_from(["always", "some", "fractions"]))
    if kind == "always":
        covered = np.ones(len(w))
    elif kind == "some":
        covered = np.array(draw(st.lists(st.sampled_from([0.0, 1.0]), min_size=len(w), max_size=len(w))))
    else:
        covered = np.array(draw(st.lists(st.floats(0, 1), min_size=len(w), max_size=len(w))))
    money = st.floats(0, 1e5, allow_nan=False)
    # an API price per unit is 0 or at least 1e-12 (a millionth of a cent per million tokens): below that,
    # price x volume underflows to 0 and every comparison is a tie (found by hypothesis at 5e-324)
    api = draw(st.just(0.0) | st.floats(1e-12, 10))
    line = HybridLine(
        hour_slots(w, covered),
        fixed=draw(money),
        per_replica=draw(money),
        replicas_per_unit=draw(st.floats(1e-4, 1.0)),
        api_per_unit=api,
        failover_per_unit=draw(st.floats(0, 1)) * api,
    )
    return line, draw(st.floats(1.0, 2000.0))


@settings(max_examples=300, deadline=None)
@given(lines())
def test_best_replicas_match_brute_force(case):
    line, v = case
    full = line.full_coverage(v)
    counts = np.arange(int(full) + 3)  # past full coverage too: more never helps
    costs = line.cost(v, counts)
    best = int(line.best(v))
    assert line.cost(v, best) <= costs.min() * (1 + 1e-9) + 1e-9
    assert costs[best] <= costs.min() * (1 + 1e-9) + 1e-9
    assert best <= max(full, 1)


@settings(max_examples=200, deadline=None)
@given(lines())
def test_overflow_never_exceeds_demand_and_falls_with_replicas(case):
    line, v = case
    counts = np.arange(int(line.full_coverage(v)) + 3)
    f = line.overflow(v, counts)
    assert ((f >= -1e-12) & (f <= 1 + 1e-12)).all()
    assert (np.diff(f) <= 1e-12).all()
    # hour by hour: what the API takes is never more than the hour's demand, nor less than the
    # hour's demand above what the replicas can serve while they run
    s, x = line.slots, float(line.reach(v))
    for n in counts[:5]:
        per_hour = s.covered * np.maximum(0, s.shares - n * x) + (1 - s.covered) * s.shares if n else s.shares
        assert (per_hour <= s.shares + 1e-12).all()
        assert per_hour.sum() == pytest.approx(float(line.overflow(v, n)), abs=1e-9)


@settings(max_examples=100, deadline=None)
@given(lines())
def test_vectorized_over_samples_equals_one_at_a_time(case):
    line, v = case
    k = np.array([float(line.replicas_per_unit) * m for m in (0.5, 1.0, 2.0)])
    R = np.array([float(line.per_replica) * m for m in (2.0, 1.0, 0.5)])
    many = HybridLine(line.slots, line.fixed, R, k, line.api_per_unit, line.failover_per_unit)
    best = many.best(np.full(3, v))
    for i in range(3):
        one = HybridLine(line.slots, line.fixed, R[i], k[i], line.api_per_unit, line.failover_per_unit)
        assert best[i] == one.best(v)
        assert many.best_cost(np.full(3, v))[i] == pytest.approx(float(one.best_cost(v)))


@settings(max_examples=100, deadline=None)
@given(weights, st.floats(1, 1e4), st.floats(0, 1e4), st.floats(1e-3, 1))
def test_free_api_means_zero_replicas(w, v, fixed, k):
    line = HybridLine(hour_slots(w), fixed=fixed, per_replica=1.0, replicas_per_unit=k, api_per_unit=0.0)
    assert line.best(v) == 0
    assert cheaper_than_api_above(line) is None


@settings(max_examples=100, deadline=None)
@given(weights, st.floats(1, 1e4), st.floats(1e-3, 1), st.floats(1e-3, 10))
def test_free_gpus_mean_full_coverage(w, v, k, api):
    line = HybridLine(hour_slots(w), fixed=0.0, per_replica=0.0, replicas_per_unit=k, api_per_unit=api)
    assert line.best(v) == line.full_coverage(v)
    assert line.overflow(v, line.best(v)) == pytest.approx(0.0, abs=1e-12)


def test_zero_replicas_is_exactly_the_api():
    line = HybridLine(hour_slots([1, 2, 3]), fixed=500.0, per_replica=100.0, replicas_per_unit=0.1, api_per_unit=3.0)
    assert line.cost(777.0, 0) == 3.0 * 777.0


def test_replicas_outside_working_hours_serve_nothing():
    # three slots, the replicas run only in the middle one: the other two always overflow
    slots = hour_slots([1, 1, 2], covered=[0, 1, 0])
    line = HybridLine(slots, fixed=0.0, per_replica=0.0, replicas_per_unit=1.0, api_per_unit=1.0)
    assert line.overflow(10.0, line.full_coverage(10.0)) == pytest.approx(0.75)
    assert overflow_share(slots, np.inf) == pytest.approx(0.75)


# ------------------------------------------------------------------ where a hybrid starts to pay


@settings(max_examples=100, deadline=None)
@given(lines())
def test_cheaper_than_api_above_is_where_replicas_start_to_pay(case):
    line, _ = case
    above = cheaper_than_api_above(line)
    if above is None:
        for v in (1.0, 1e3, 1e6, 1e9):
            assert line.best(v) == 0 or line.best_cost(v) >= float(line.api_per_unit) * v * (1 - 1e-9)
        return
    if above > 0:
        below = above * (1 - 1e-6)
        assert line.best(below) == 0 or line.best_cost(below) >= float(line.api_per_unit) * below * (1 - 1e-9)
    past = above * (1 + 1e-6) + 1e-12
    assert line.best(past) >= 1 and line.best_cost(past) < float(line.api_per_unit) * past


def test_two_hour_example_starts_to_pay_where_one_replica_saves_its_cost():
    # One replica absorbs min(0.25 v, 75) + min(0.75 v, 75) units; it pays once that exceeds F + R = 130:
    # at v = 130 it absorbs all of hour 1 (32.5) and 75 of hour 2, 107.5 < 130; the saving reaches 130 at
    # 0.25 v + 75 = 130, v = 220.
    assert cheaper_than_api_above(two_hours()) == pytest.approx(220)


def test_tiny_costs_start_to_pay_at_their_own_volume():
    # found by hypothesis: the bisection's geometric mean must not underflow between 1e-275 and 1e-138
    line = HybridLine(hour_slots([1.0]), fixed=2.5565e-275, per_replica=0.0, replicas_per_unit=1.0, api_per_unit=1.0)
    assert cheaper_than_api_above(line) == pytest.approx(2.5565e-275)
    free = HybridLine(hour_slots([1.0]), fixed=0.0, per_replica=0.0, replicas_per_unit=1.0, api_per_unit=1.8e-41)
    assert cheaper_than_api_above(free) == 0.0  # free replicas pay at any volume


def test_crossings_on_a_grid_are_refined_to_the_exact_volume():
    found = crossings_on_grid(lambda v: (v > 3.7) & (v < 55.5), np.geomspace(1, 100, 30))
    assert [d for _, d in found] == [True, False]
    assert found[0][0] == pytest.approx(3.7) and found[1][0] == pytest.approx(55.5)


def test_brackets_from_zero_and_geometric_ones_are_narrowed_in_the_same_calls():
    calls = []

    def changed(v):
        calls.append(v.size)
        return ((v > 0.25) & (v < 1.0)) | (v > 42.0)

    found = changes_within(changed, [0.0, 10.0], [0.5, 100.0], [True, True])
    assert found[0] == np.nextafter(0.25, 1.0) and found[1] == np.nextafter(42.0, 100.0)
    assert all(size == 2 * 64 for size in calls) and len(calls) < 20  # both brackets in every call
