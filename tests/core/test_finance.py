"""School-finance statistics (equity-measures.md §7-§9, §12).

Hand examples are worked in the comments. Independent references written here: a brute-force
weighted quantile over exact fractions, numpy's own quantile on replicated units, numpy's
weighted covariance for the correlation and ``numpy.polyfit`` for the elasticity.
"""

import json
import math
import warnings
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from tests.strategies import positive_floats, values_and_weights

from eduequity.core.finance import (
    BENCHMARKS,
    MEDIAN_RULES,
    Benchmark,
    MeasureResult,
    federal_range_ratio,
    max_min_ratio,
    mcloone_index,
    restricted_range,
    value_range,
    verstegen_index,
    wealth_correlation,
    wealth_elasticity,
    wealth_neutrality,
    weighted_quantile,
)
from eduequity.errors import (
    DegenerateDataWarning,
    InvalidArgumentError,
    InvalidValueError,
)


def brute_quantile(x, w, q):
    """min{i : F_i / W >= q} over units sorted by value, in exact fractions (decimal q)."""
    units = sorted(zip(x, w, strict=True))
    total = sum(Fraction(repr(float(weight))) for _, weight in units)
    target = Fraction(repr(float(q)))
    cumulative = Fraction(0)
    for value, weight in units:
        cumulative += Fraction(repr(float(weight)))
        if cumulative / total >= target:
            return float(value)
    raise AssertionError


def close(actual, expected, rel=1e-12, abs_=1e-15):
    return abs(actual - expected) <= max(rel * abs(expected), abs_)


# --------------------------------------------------------------------------------------------
# Quantiles
# --------------------------------------------------------------------------------------------


def test_weighted_inverted_cdf_hand_values():
    x = [10, 20, 30, 40]
    # Unit weights: C = 0.25, 0.5, 0.75, 1; C_2 = 0.5 reaches 0.5.
    assert weighted_quantile(x, 0.5) == 20.0
    assert weighted_quantile(x, 0.5000001) == 30.0
    assert weighted_quantile(x, 0.0) == 10.0
    assert weighted_quantile(x, 1.0) == 40.0
    # Weights 1, 1, 1, 2: C = 0.2, 0.4, 0.6, 1.
    assert weighted_quantile(x, 0.5, weights=[1, 1, 1, 2]) == 30.0
    # Row order does not matter.
    assert weighted_quantile([40, 10, 30, 20], 0.5, weights=[2, 1, 1, 1]) == 30.0


def test_weighted_quantile_decides_the_cut_off_exactly():
    # Weights 0.7, 0.1, 0.2: in floats 0.7 + 0.1 = 0.7999999999999999, below 0.8; read as
    # the decimals typed, C_2 = 0.8 exactly reaches q = 0.8.
    assert 0.7 + 0.1 < 0.8
    assert weighted_quantile([1.0, 2.0, 3.0], 0.8, weights=[0.7, 0.1, 0.2]) == 2.0
    # Twenty equal districts: C_1 = 1/20 reaches 0.05 and C_19 = 19/20 reaches 0.95.
    assert weighted_quantile(range(20), [0.05, 0.95]).tolist() == [0.0, 18.0]


def test_unit_quantile_uses_numpy_methods():
    x = [10, 20, 30, 40]
    assert weighted_quantile(x, 0.5, percentile_rule="unit_quantile") == 25.0
    assert weighted_quantile(x, 0.5, percentile_rule="unit_quantile", method="inverted_cdf") == 20.0
    # Weights other than zero play no part in the unit reading.
    assert weighted_quantile(x, 0.5, [5, 1, 1, 0], percentile_rule="unit_quantile") == 20.0


def test_weighted_quantile_array_and_errors():
    result = weighted_quantile([3.0, 1.0, 2.0], [[0.0, 1.0], [0.5, 0.9]])
    assert result.shape == (2, 2)
    assert result.tolist() == [[1.0, 3.0], [2.0, 3.0]]
    with pytest.raises(InvalidValueError, match=r"\[0, 1\]"):
        weighted_quantile([1.0], 1.5)
    with pytest.raises(InvalidValueError, match="positive weight") as caught:
        weighted_quantile([np.nan], 0.5, nan_policy="omit")
    assert caught.value.code == "empty_input"
    with pytest.raises(InvalidArgumentError, match="percentile_rule"):
        weighted_quantile([1.0], 0.5, percentile_rule="nearest")
    with pytest.raises(InvalidArgumentError, match="method"):
        weighted_quantile([1.0], 0.5, method="lower")


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(positive_floats, st.integers(1, 6)), min_size=1, max_size=20),
    st.floats(min_value=0, max_value=1),
)
def test_weighted_quantile_matches_brute_force_and_replication(units, q):
    x = [value for value, _ in units]
    w = [count for _, count in units]
    expected = brute_quantile(x, w, q)
    assert weighted_quantile(x, q, weights=w) == expected
    assert weighted_quantile(np.repeat(x, w), q) == expected


@settings(max_examples=100, deadline=None)
@given(values_and_weights(), st.sampled_from([0.05, 0.1, 0.25, 0.5, 0.75, 0.95]))
def test_weighted_quantile_with_real_weights_matches_brute_force(sample, q):
    x, w = sample
    assert weighted_quantile(x, q, weights=w) == brute_quantile(x, w, q)


# --------------------------------------------------------------------------------------------
# Range family
# --------------------------------------------------------------------------------------------


def test_range_and_max_min_ratio():
    result = value_range([1200.0, 1500.0, 900.0], weights=[10, 0, 5])
    assert result.value == 300.0
    assert (result.details["minimum"], result.details["maximum"]) == (900.0, 1200.0)
    assert result.n_zero_weight == 1
    assert max_min_ratio([900.0, 1200.0, 1800.0]).value == 2.0
    with pytest.warns(DegenerateDataWarning, match="nonpositive_minimum"):
        undefined = max_min_ratio([0.0, 5.0])
    assert undefined.status == "undefined"
    assert undefined.value is None


def test_single_unit_range_is_zero_with_warning():
    with pytest.warns(DegenerateDataWarning, match="single_unit"):
        result = value_range([42.0])
    assert result.value == 0.0


def test_restricted_range_and_federal_range_ratio_hand_values():
    # Twenty districts of equal enrolment at 100, ..., 119: Q(0.05) = 100 (C_1 = 0.05),
    # Q(0.95) = 118 (C_19 = 0.95). FRR = 18 / 100.
    result = federal_range_ratio(range(100, 120))
    assert (result.details["quantile_low"], result.details["quantile_high"]) == (100.0, 118.0)
    assert result.value == pytest.approx(0.18, rel=1e-15)
    assert result.conventions["percentile_rule"] == "weighted_inverted_cdf"
    assert result.conventions["method"] is None
    assert restricted_range(range(100, 120)).value == 18.0
    assert restricted_range([10, 20, 30, 40, 50], low=0.2, high=0.8).value == 30.0


def test_percentile_rules_can_change_the_verdict():
    # Four small districts and one large one holding 96 % of the pupils. Pupil-weighted:
    # both cut-offs fall in the large district, FRR = 0. By district (linear, type 7):
    # Q(0.05) = 1000 + 0.2 * 100 = 1020, Q(0.95) = 1300 + 0.8 * 3700 = 4260.
    x = [1000.0, 1100.0, 1200.0, 1300.0, 5000.0]
    w = [1, 1, 1, 1, 96]
    weighted = federal_range_ratio(x, w)
    by_district = federal_range_ratio(x, w, percentile_rule="unit_quantile")
    assert weighted.value == 0.0
    assert by_district.value == pytest.approx((4260 - 1020) / 1020, rel=1e-12)
    assert BENCHMARKS["federal_range_ratio"].assess(weighted) is True
    assert BENCHMARKS["federal_range_ratio"].assess(by_district) is False
    assert by_district.conventions["method"] == "linear"


def test_federal_range_ratio_undefined_at_nonpositive_low_quantile():
    with pytest.warns(DegenerateDataWarning, match="nonpositive_quantile"):
        result = federal_range_ratio([0.0, 10.0, 20.0])
    assert result.status == "undefined"
    assert result.value is None
    assert result.details["quantile_low"] == 0.0


def test_range_options_are_checked():
    with pytest.raises(InvalidArgumentError, match="low"):
        restricted_range([1.0, 2.0], low=0.9, high=0.1)
    with pytest.raises(InvalidArgumentError, match="high"):
        federal_range_ratio([1.0, 2.0], high=1.5)
    with pytest.raises(InvalidArgumentError, match="min_units"):
        value_range([1.0, 2.0], min_units=0)


# --------------------------------------------------------------------------------------------
# McLoone and Verstegen
# --------------------------------------------------------------------------------------------


def test_mcloone_and_verstegen_hand_values():
    x = [80, 90, 100, 110, 120]
    w = [10, 20, 30, 20, 20]
    # C = 0.1, 0.3, 0.6, 0.8, 1: M = 100.
    strict = mcloone_index(x, w)
    assert strict.details["median"] == 100.0
    assert strict.value == pytest.approx(2600 / 3000, rel=1e-15)  # (800 + 1800) / (30 * 100)
    assert strict.details["side_share"] == 0.3
    assert strict.details["share_at_median"] == 0.3
    inclusive = mcloone_index(x, w, tie_rule="inclusive")
    assert inclusive.value == pytest.approx(5600 / 6000, rel=1e-15)
    assert verstegen_index(x, w).value == pytest.approx(4600 / 4000, rel=1e-15)
    assert verstegen_index(x, w, tie_rule="inclusive").value == pytest.approx(7600 / 7000)
    assert BENCHMARKS["mcloone_index"].assess(inclusive) is False


def test_median_rules():
    x = [10, 20, 30, 40]
    # Unit weights: C_2 = 0.5 exactly. Default M = 20; average at ties M = 25.
    assert mcloone_index(x).details["median"] == 20.0
    assert mcloone_index(x).value == 0.5  # {10} / 20
    averaged = mcloone_index(x, median_rule="weighted_average_at_ties")
    assert averaged.details["median"] == 25.0
    assert averaged.value == 0.6  # (10 + 20) / 2 / 25
    assert mcloone_index(x, median_rule="unweighted").details["median"] == 25.0
    # Weights 1, 1, 1, 2: C = 0.2, 0.4, 0.6, 1: the weighted median is 30; unweighted 25.
    assert mcloone_index(x, [1, 1, 1, 2]).details["median"] == 30.0
    assert mcloone_index(x, [1, 1, 1, 2], median_rule="unweighted").details["median"] == 25.0
    assert set(MEDIAN_RULES) == {"weighted_inverted_cdf", "weighted_average_at_ties", "unweighted"}


def test_tie_rules_and_share_at_median():
    # Three quarters of the pupils sit exactly at the median 100.
    x = [100, 100, 100, 120]
    with pytest.warns(DegenerateDataWarning, match="empty_side"):
        strict = mcloone_index(x)
    assert (strict.value, strict.status) == (1.0, "empty_side")
    assert strict.details["share_at_median"] == 0.75
    inclusive = mcloone_index(x, tie_rule="inclusive")
    assert (inclusive.value, inclusive.status) == (1.0, "ok")
    assert verstegen_index(x).value == 1.2
    assert verstegen_index(x, tie_rule="inclusive").value == pytest.approx(420 / 400)


def test_equal_values_give_one():
    with pytest.warns(DegenerateDataWarning, match="empty_side"):
        assert mcloone_index([5.0, 5.0, 5.0]).value == 1.0
    assert verstegen_index([5.0, 5.0, 5.0], tie_rule="inclusive").value == 1.0


def test_nonpositive_median_is_undefined():
    with pytest.warns(DegenerateDataWarning, match="nonpositive_median"):
        result = mcloone_index([0.0, 0.0, 3.0])
    assert result.status == "undefined"
    assert result.value is None


def test_median_index_options_are_checked():
    with pytest.raises(InvalidArgumentError, match="median_rule"):
        mcloone_index([1.0, 2.0], median_rule="mean")
    with pytest.raises(InvalidArgumentError, match="tie_rule"):
        verstegen_index([1.0, 2.0], tie_rule="half")


# --------------------------------------------------------------------------------------------
# Wealth neutrality
# --------------------------------------------------------------------------------------------


def test_wealth_correlation_matches_weighted_covariance():
    x = np.array([1.0, 2.0, 4.0, 3.5])
    z = np.array([1.0, 3.0, 2.0, 5.0])
    w = np.array([1.0, 1.0, 2.0, 3.0])
    covariance = np.cov(x, z, aweights=w, bias=True)
    expected = covariance[0, 1] / math.sqrt(covariance[0, 0] * covariance[1, 1])
    result = wealth_correlation(x, z, w)
    assert close(result.value, expected, 1e-13)
    assert result.measure == "wealth_correlation"
    assert result.details["mean_values"] == pytest.approx(np.average(x, weights=w), rel=1e-15)
    assert wealth_correlation([10, 20, 30], [1, 2, 3]).value == 1.0
    assert wealth_correlation([10, 20, 30], [3, 2, 1]).value == -1.0


def test_wealth_elasticity_matches_weighted_least_squares():
    x = np.array([5200.0, 6100.0, 7000.0, 6400.0, 9000.0])
    z = np.array([800.0, 1500.0, 2100.0, 1900.0, 4000.0])
    w = np.array([300.0, 120.0, 800.0, 50.0, 410.0])
    # polyfit weights multiply the residuals, so pupils enter as their square roots.
    slope, intercept = np.polyfit(np.log(z), np.log(x), 1, w=np.sqrt(w))
    result = wealth_elasticity(x, z, w)
    assert close(result.value, slope, 1e-10)
    assert close(result.details["intercept"], intercept, 1e-10)
    assert BENCHMARKS["wealth_elasticity"].assess(result) is (result.value <= 0.10)


def test_wealth_statistics_degenerate_and_bad_input():
    with pytest.warns(DegenerateDataWarning, match="zero_variance"):
        flat = wealth_correlation([1.0, 2.0, 3.0], [5.0, 5.0, 5.0])
    assert flat.status == "undefined"
    with pytest.warns(DegenerateDataWarning, match="zero_variance"):
        assert wealth_elasticity([1.0, 2.0], [4.0, 4.0]).value is None
    # Constant resources: the elasticity is 0, the correlation undefined.
    assert wealth_elasticity([3.0, 3.0, 3.0], [1.0, 2.0, 4.0]).value == 0.0
    with pytest.raises(InvalidValueError, match="position 1") as caught:
        wealth_elasticity([1.0, 0.0, 2.0], [1.0, 2.0, 3.0])
    assert caught.value.code == "nonpositive_value"
    with pytest.raises(InvalidValueError, match="wealth"):
        wealth_elasticity([1.0, 2.0], [1.0, -2.0])
    with pytest.raises(InvalidValueError, match="one entry per value"):
        wealth_correlation([1.0, 2.0], [1.0])
    with pytest.raises(InvalidValueError, match="NaN"):
        wealth_correlation([1.0, 2.0], [1.0, np.nan])
    omitted = wealth_correlation([1.0, 2.0, 3.0, 9.0], [1.0, 2.0, 4.0, np.nan], nan_policy="omit")
    assert omitted.n_dropped == 1
    assert omitted.value == wealth_correlation([1.0, 2.0, 3.0], [1.0, 2.0, 4.0]).value


def test_wealth_neutrality_combines_both():
    result = wealth_neutrality([2, 4, 8], [1, 4, 16], weights=[100, 200, 100])
    assert result.elasticity.value == pytest.approx(0.5, rel=1e-12)
    assert (
        result.correlation.value == wealth_correlation([2, 4, 8], [1, 4, 16], [100, 200, 100]).value
    )
    data = result.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["elasticity"]["measure"] == "wealth_elasticity"


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.floats(min_value=0.5, max_value=5e4), min_size=2, max_size=30, unique=True),
    st.floats(min_value=-2, max_value=2),
    st.floats(min_value=0.01, max_value=100),
)
def test_elasticity_of_a_power_law_is_its_exponent(wealth, beta, constant):
    z = np.array(wealth)
    assume(np.ptp(np.log(z)) > 1e-3)
    x = constant * z**beta
    assert abs(wealth_elasticity(x, z).value - beta) <= 1e-9 * max(1.0, abs(beta))


# --------------------------------------------------------------------------------------------
# Records, benchmarks, properties
# --------------------------------------------------------------------------------------------


def test_results_serialize_and_record_conventions():
    result = mcloone_index([80.0, 90.0, 100.0], [1, 2, 3], tie_rule="inclusive")
    assert isinstance(result, MeasureResult)
    data = result.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["conventions"]["tie_rule"] == "inclusive"
    assert data["conventions"]["median_rule"] == "weighted_inverted_cdf"


def test_benchmarks_are_data_with_provenance():
    assert set(BENCHMARKS) == {
        "federal_range_ratio",
        "mcloone_index",
        "wealth_correlation",
        "wealth_elasticity",
    }
    assert all(benchmark.confidence == "S" for benchmark in BENCHMARKS.values())
    assert BENCHMARKS["federal_range_ratio"].threshold == 0.25
    assert "222.162" in BENCHMARKS["federal_range_ratio"].source
    assert BENCHMARKS["mcloone_index"].assess(0.95) is True
    assert BENCHMARKS["mcloone_index"].assess(0.9499999) is False
    assert BENCHMARKS["mcloone_index"].assess(None) is None
    with pytest.raises(TypeError):
        BENCHMARKS["new"] = BENCHMARKS["mcloone_index"]  # type: ignore[index]
    custom = Benchmark(
        measure="federal_range_ratio", comparator="<", threshold=0.2, source="state", confidence="M"
    )
    assert custom.assess(0.2) is False
    assert custom.to_dict()["comparator"] == "<"


def test_series_labels_name_rows():
    values = pd.Series([1.0, np.nan], index=["d1", "d2"])
    with pytest.raises(InvalidValueError, match="d2"):
        federal_range_ratio(values)


STATISTICS = [
    ("mcloone", mcloone_index),
    ("mcloone_avg", lambda x, w: mcloone_index(x, w, median_rule="weighted_average_at_ties")),
    ("verstegen", lambda x, w: verstegen_index(x, w, tie_rule="inclusive")),
    ("frr", federal_range_ratio),
    ("restricted", lambda x, w: restricted_range(x, w, low=0.1, high=0.9)),
    ("range", value_range),
    ("ratio", max_min_ratio),
]


def _values(x, w):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateDataWarning)
        return {name: statistic(x, w).value for name, statistic in STATISTICS}


@settings(max_examples=100, deadline=None)
@given(values_and_weights(), st.integers(-20, 20))
def test_scale_invariance(sample, power):
    # Scaling by a power of two is exact, so the strict comparisons with the median cannot
    # be disturbed by rounding; the indices must then be unchanged (the range scales).
    x, w = sample
    factor = 2.0**power
    before, after = _values(x, w), _values(x * factor, w)
    for name in ("mcloone", "mcloone_avg", "verstegen", "frr", "ratio"):
        assert close(after[name], before[name], 1e-14), name
    assert after["range"] == before["range"] * factor


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(positive_floats, st.integers(1, 5)), min_size=1, max_size=15))
def test_replication_invariance(units):
    x = np.array([value for value, _ in units])
    counts = np.array([count for _, count in units])
    weighted = _values(x, counts.astype(float))
    replicated = _values(np.repeat(x, counts), None)
    for name, value in weighted.items():
        assert close(replicated[name], value, 1e-12), name


@settings(max_examples=100, deadline=None)
@given(values_and_weights(min_size=2), st.randoms(use_true_random=False))
def test_row_order_independence_is_bit_exact(sample, random):
    x, w = sample
    permutation = list(range(x.size))
    random.shuffle(permutation)
    assert _values(x, w) == _values(x[permutation], w[permutation])
    z = np.sqrt(x) + 1.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateDataWarning)  # constant values
        original = wealth_neutrality(x, z, w)
        shuffled = wealth_neutrality(x[permutation], z[permutation], w[permutation])
    assert original.correlation.value == shuffled.correlation.value
    assert original.elasticity.value == shuffled.elasticity.value


# --------------------------------------------------------------------------------------------
# Ties of cumulative shares decided within a relative 2**-44 (issue 9)
# --------------------------------------------------------------------------------------------


def test_a_share_within_the_tie_tolerance_of_q_counts_as_equal():
    # C_0 = 1 / (2 + d) against q = 1/2: relative distance d / (2 + d).
    within, beyond = 2.0**-50, 2.0**-40
    assert weighted_quantile([1.0, 2.0], 0.5, [1.0, 1.0 + within]) == 1.0
    assert weighted_quantile([1.0, 2.0], 0.5, [1.0, 1.0 + beyond]) == 2.0
    ties = mcloone_index([1.0, 2.0], [1.0, 1.0 + within], median_rule="weighted_average_at_ties")
    assert ties.details["median"] == 1.5


def test_ties_of_weights_spanning_two_thousand_binary_orders():
    # Exact sums in Python integers (beyond int64): C_1 = (1 + 2**-1000) / (2 + 2**-1000) is
    # 1/2 within the tolerance, so the median averages the values at and after it.
    weights = [2.0**-1000, 1.0, 1.0]
    result = mcloone_index([1.0, 2.0, 3.0], weights, median_rule="weighted_average_at_ties")
    assert result.details["median"] == 2.5


def test_wealth_correlation_of_large_magnitudes_does_not_overflow():
    # sxx * szz of values near 2**255 overflowed (a RuntimeWarning, and other bits than the
    # same data at 1); x, z and w are now always scaled by powers of two.
    x, z = np.array([1.0, 0.5, 0.75]), np.array([2.0, 1.0, 3.0])
    expected = wealth_correlation(x, z).value
    for exponent in (-600, -255, 255, 600):
        scaled = wealth_correlation(np.ldexp(x, exponent), np.ldexp(z, exponent)).value
        assert scaled == expected
