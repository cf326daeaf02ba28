"""Tests of eduequity.core.variation: the (weighted) coefficient of variation, 差异系数."""

import contextlib
import itertools
import json
import math
import warnings
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy import stats
from tests.strategies import grouped_values, positive_floats, scale_factors, values_and_weights

from eduequity.core.variation import (
    GroupedVariationStatistics,
    VariationStatistics,
    coefficient_of_variation,
    coefficient_of_variation_by_group,
)
from eduequity.errors import (
    DegenerateDataWarning,
    InvalidArgumentError,
    InvalidTypeError,
    InvalidValueError,
)

cv = coefficient_of_variation
cv_by_group = coefficient_of_variation_by_group

PROPERTY = settings(max_examples=100, deadline=None)


@contextlib.contextmanager
def quiet():
    """Silence degenerate-data warnings inside property tests (single-unit groups are valid)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateDataWarning)
        yield


def same(first, second):
    """Equal bit for bit as floats, NaN included."""
    return first == second or (math.isnan(first) and math.isnan(second))


def exact_moments(values, weights=None):
    """Weight sum, mean and sum of squared deviations in rational arithmetic (textbook form)."""
    xs = [Fraction(float(x)) for x in values]
    ws = [Fraction(1)] * len(xs) if weights is None else [Fraction(float(w)) for w in weights]
    total = sum(ws, Fraction(0))
    mean = sum((w * x for w, x in zip(ws, xs, strict=True)), Fraction(0)) / total
    squares = sum((w * (x - mean) ** 2 for w, x in zip(ws, xs, strict=True)), Fraction(0))
    return total, mean, squares


def exact_cv(values, weights=None, *, denominator_shift=0):
    """sqrt(M / (W - shift)) / mean, with M, W and mean exact and one final rounding."""
    total, mean, squares = exact_moments(values, weights)
    return math.sqrt(float(squares / (total - denominator_shift) / mean**2))


# --------------------------------------------------------------------------------------------
# The normative example.

# national-method.md §3.6, "Normative check": 生均图书册数 of five primary schools
# (pupils P_i and books A_i), published CV 0.5152566 (0.52 on the rounded sheet).
SPEC_PUPILS = [45, 37, 89, 76, 55]
SPEC_BOOKS = [279, 137, 935, 160, 402]
SPEC_CV = 0.5152566
SPEC_MEAN = 6.33444
SPEC_S = 3.26386
SPEC_VARIANCE = 10.65279
SPEC_UNWEIGHTED_POPULATION_CV = 0.4888
SPEC_UNWEIGHTED_SAMPLE_CV = 0.5465


@pytest.fixture
def spec_example():
    """national-method.md §3.6: X_i = A_i / P_i weighted by P_i."""
    per_pupil = np.array(SPEC_BOOKS, dtype=float) / np.array(SPEC_PUPILS, dtype=float)
    return per_pupil, np.array(SPEC_PUPILS, dtype=float)


def test_spec_example_weighted_cv(spec_example):
    per_pupil, pupils = spec_example
    assert cv(per_pupil, pupils) == pytest.approx(SPEC_CV, abs=1e-6)
    assert round(cv(per_pupil, pupils), 2) == 0.52


def test_spec_example_intermediates(spec_example):
    per_pupil, pupils = spec_example
    statistics = VariationStatistics.from_values(per_pupil, pupils)
    assert statistics.count == 5
    assert statistics.weight_sum == 302
    # X̄ = Σ A_i / Σ P_i = 1913 / 302 exactly.
    assert statistics.mean == pytest.approx(1913 / 302, rel=1e-15)
    assert statistics.mean == pytest.approx(SPEC_MEAN, abs=1e-5)
    assert statistics.variance() == pytest.approx(SPEC_VARIANCE, abs=1e-5)
    assert statistics.std() == pytest.approx(SPEC_S, abs=1e-5)


def test_spec_example_unweighted_forms_differ(spec_example):
    per_pupil, _ = spec_example
    population = cv(per_pupil)
    sample = cv(per_pupil, ddof=1)
    assert round(population, 4) == SPEC_UNWEIGHTED_POPULATION_CV
    assert round(sample, 4) == SPEC_UNWEIGHTED_SAMPLE_CV
    # Neither reproduces the official figure (national-method.md §3.6).
    assert abs(population - SPEC_CV) > 0.02
    assert abs(sample - SPEC_CV) > 0.02


def test_spec_example_matches_exact_arithmetic(spec_example):
    per_pupil, pupils = spec_example
    assert cv(per_pupil, pupils) == pytest.approx(exact_cv(per_pupil, pupils), rel=1e-14)


def test_spec_example_by_group_and_merge(spec_example):
    per_pupil, pupils = spec_example
    groups = ["county"] * 5
    assert cv_by_group(per_pupil, groups, pupils)["county"] == cv(per_pupil, pupils)
    head = VariationStatistics.from_values(per_pupil[:3], pupils[:3])
    tail = VariationStatistics.from_values(per_pupil[3:], pupils[3:])
    assert head.merge(tail).cv() == pytest.approx(SPEC_CV, abs=1e-6)


# --------------------------------------------------------------------------------------------
# Hand-computed values and conventions.


def test_weighted_cv_by_hand():
    # mean = (1*1 + 3*3) / 4 = 2.5; M = 1*1.5² + 3*0.5² = 3; S = sqrt(3/4)
    assert cv([1.0, 3.0], [1, 3]) == pytest.approx(math.sqrt(0.75) / 2.5, rel=1e-15)


def test_frequency_weights_use_weight_sum_minus_ddof():
    # W = 6, mean = (1 + 4 + 12) / 6 = 17/6, M = 1*(11/6)² + 2*(5/6)² + 3*(7/6)² = 53/6
    expected = math.sqrt((53 / 6) / 5) / (17 / 6)
    assert cv([1, 2, 4], [1, 2, 3], ddof=1, weight_kind="frequency") == pytest.approx(
        expected, rel=1e-14
    )


def test_frequency_ddof_zero_equals_share():
    values, weights = [1.0, 2.0, 7.0], [3, 1, 2]
    assert cv(values, weights, weight_kind="frequency") == cv(values, weights)


@pytest.mark.parametrize("ddof", [0, 1])
def test_unweighted_equals_scipy_on_fixed_data(ddof):
    data = [3.5, 1.25, 8.0, 2.0, 6.75]
    assert cv(data, ddof=ddof) == pytest.approx(stats.variation(data, ddof=ddof), rel=1e-14)


def test_accepts_series_and_numpy_integers():
    values = pd.Series([1, 3], index=["s1", "s2"])
    assert cv(values, np.array([1, 3], dtype=np.int32)) == cv([1.0, 3.0], [1.0, 3.0])


# --------------------------------------------------------------------------------------------
# Degenerate cases: NaN or 0.0 with a DegenerateDataWarning that names the code.


def test_empty_input_is_nan_with_warning():
    with pytest.warns(DegenerateDataWarning, match=r"\[empty_input\]"):
        assert math.isnan(cv([]))


def test_single_unit_is_zero_with_warning():
    with pytest.warns(DegenerateDataWarning, match=r"\[single_unit\].* is 0"):
        result = cv([4.2], [17])
    assert result == 0.0
    assert not math.isnan(result)


def test_single_unit_with_ddof_one_is_nan():
    with pytest.warns(DegenerateDataWarning, match=r"\[single_unit\].*ddof=1"):
        assert math.isnan(cv([4.2], ddof=1))


def test_single_unit_with_frequency_weight_and_ddof_one_is_zero():
    # One unit standing for 5 identical observations: no dispersion, 4 degrees of freedom.
    with pytest.warns(DegenerateDataWarning, match=r"\[single_unit\]"):
        assert cv([4.2], [5], ddof=1, weight_kind="frequency") == 0.0


def test_frequency_weight_sum_not_above_ddof_is_nan():
    with pytest.warns(DegenerateDataWarning, match=r"\[too_few_units\]"):
        assert math.isnan(cv([1.0, 2.0], [0.3, 0.4], ddof=1, weight_kind="frequency"))


@pytest.mark.parametrize(
    ("values", "weights"),
    [([0.0, 0.0, 0.0], [10, 20, 30]), ([-1.0, 1.0], None), ([0.0], [12])],
)
def test_zero_mean_is_nan_never_zero(values, weights):
    with pytest.warns(DegenerateDataWarning, match=r"\[zero_mean\]"):
        result = cv(values, weights)
    assert math.isnan(result)


def test_negative_mean_is_nan_unlike_scipy():
    data = [-1.0, -2.0, -4.0]
    assert stats.variation(data) < 0  # scipy returns a negative number here
    with pytest.warns(DegenerateDataWarning, match=r"\[negative_mean\]"):
        assert math.isnan(cv(data))


def test_positive_mean_with_some_negative_values_is_defined():
    data = [-1.0, 3.0, 4.0]
    assert cv(data) == pytest.approx(stats.variation(data), rel=1e-14)


def test_equal_values_give_exactly_zero():
    # 0.1 is inexact in binary; the mean is still exactly 0.1 and the CV exactly 0.
    assert cv([0.1, 0.1, 0.1], [3, 7, 11]) == 0.0
    assert cv([1e9 + 0.5] * 4) == 0.0


def test_warning_points_at_the_caller():
    with pytest.warns(DegenerateDataWarning) as record:
        cv([1.0])
    assert record[0].filename == __file__
    with pytest.warns(DegenerateDataWarning) as record:
        VariationStatistics.from_values([1.0]).cv()
    assert record[0].filename == __file__
    with pytest.warns(DegenerateDataWarning) as record:
        cv_by_group([1.0], ["a"])
    assert record[0].filename == __file__
    with pytest.warns(DegenerateDataWarning) as record:
        GroupedVariationStatistics.from_values([1.0], ["a"]).std(ddof=1)
    assert record[0].filename == __file__


# --------------------------------------------------------------------------------------------
# NaN policy.


def test_nan_propagate_returns_nan_without_warning():
    assert math.isnan(cv([1.0, np.nan, 3.0], nan_policy="propagate"))
    assert math.isnan(cv([1.0, 2.0, 3.0], [1.0, np.nan, 1.0], nan_policy="propagate"))


def test_nan_raise_names_positions():
    with pytest.raises(InvalidValueError, match="position 1, 3") as info:
        cv([1.0, np.nan, 3.0, np.nan])
    assert info.value.code == "missing_value"


def test_nan_raise_names_series_labels():
    values = pd.Series([1.0, np.nan], index=["school-7", "school-9"])
    with pytest.raises(InvalidValueError, match="school-9"):
        cv(values)


def test_nan_raise_is_the_default_for_nan_weights():
    with pytest.raises(InvalidValueError, match="position 0"):
        cv([1.0, 2.0], [np.nan, 1.0])


def test_nan_omit_drops_units_with_nan_value_or_weight():
    result = cv([1.0, np.nan, 3.0, 5.0], [1.0, 1.0, np.nan, 1.0], nan_policy="omit")
    assert result == cv([1.0, 5.0], [1.0, 1.0])


def test_nan_omit_of_everything_is_empty():
    with pytest.warns(DegenerateDataWarning, match=r"\[empty_input\]"):
        assert math.isnan(cv([np.nan, np.nan], nan_policy="omit"))
    assert VariationStatistics.from_values([np.nan] * 3, nan_policy="omit").omitted_count == 3


# --------------------------------------------------------------------------------------------
# Bad input.


@pytest.mark.parametrize(
    ("values", "weights", "error", "code", "match"),
    [
        ([1.0, np.inf], None, InvalidValueError, "invalid_value", "infinite at position 1"),
        ([-np.inf, 1.0], [1, 1], InvalidValueError, "invalid_value", "infinite at position 0"),
        ([1.0, 2.0], [1.0, np.inf], InvalidValueError, "invalid_weight", "position 1"),
        ([1.0, 2.0], [1.0, -1.0], InvalidValueError, "invalid_weight", "negative at position 1"),
        ([1.0, 2.0], [0.0, 0.0], InvalidValueError, "invalid_weight", "all zero"),
        ([1.0, 2.0], [1.0], InvalidValueError, "length_mismatch", "expected 2, got 1"),
        ([1.0, "two"], None, InvalidTypeError, "not_a_number", "values must hold real numbers"),
        ([1.0, 2.0], ["a", 1], InvalidTypeError, "not_a_number", "weights must hold real"),
        ([[1.0, 2.0]], None, InvalidValueError, "bad_shape", "1-dimensional"),
    ],
)
def test_bad_input_raises(values, weights, error, code, match):
    with pytest.raises(error, match=match) as info:
        cv(values, weights)
    assert info.value.code == code


def test_extreme_magnitudes_give_the_cv_of_the_unscaled_values():
    # Issue 9: sums of squares of 1e200 overflowed (an error) and those of 1e-170 underflowed
    # (CV 0.0). Powers of two scale exactly, so the CV is bit for bit that of [1, -1, 3].
    base = np.array([1.0, -1.0, 3.0])
    for exponent in (-1074 + 60, -565, 520, 1020):
        assert cv(np.ldexp(base, exponent)) == cv(base)
    assert cv([1e200, -1e200, 3e200]) == pytest.approx(cv([1.0, -1.0, 3.0]), rel=1e-15, abs=0)
    assert cv(np.array([1, 2, 3, 4]) * 1e-170) == pytest.approx(
        0.4472135954999579, rel=1e-15, abs=0
    )
    assert cv([1.0, 2.0], np.array([1.0, 3.0]) * 1e200) == cv([1.0, 2.0], [1.0, 3.0])


def test_statistics_that_float64_cannot_hold_raise_instead_of_losing_digits():
    with pytest.raises(InvalidValueError, match="too large or too small") as info:
        VariationStatistics.from_values([1e200, -1e200, 3e200])
    assert info.value.code == "invalid_value"
    with pytest.raises(InvalidValueError, match="in group b "):
        GroupedVariationStatistics.from_values([1.0, 2.0, 1e-170, 3e-170], list("aabb"))


def test_object_array_with_none_is_a_type_error():
    with pytest.raises(InvalidTypeError, match="position 1"):
        cv(np.array([1.0, None, 2.0], dtype=object))


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"ddof": 1}, "weight_kind='share'"),
        ({"ddof": -1}, "non-negative integer"),
        ({"ddof": 0.5}, "non-negative integer"),
        ({"ddof": True}, "non-negative integer"),
        ({"nan_policy": "ignore"}, "nan_policy must be one of"),
        ({"weight_kind": "analytic"}, "weight_kind must be one of"),
    ],
)
def test_bad_arguments_raise(kwargs, match):
    with pytest.raises(InvalidArgumentError, match=match):
        cv([1.0, 2.0, 3.0], [1, 1, 1], **kwargs)


def test_ddof_one_without_weights_is_allowed():
    assert cv([1.0, 2.0, 3.0], ddof=1) == pytest.approx(1.0 / 2.0, rel=1e-15)


# --------------------------------------------------------------------------------------------
# Zero weights.


def test_zero_weight_units_contribute_nothing():
    assert cv([1.0, 2.0, 100.0], [1, 1, 0]) == cv([1.0, 2.0], [1, 1])
    statistics = VariationStatistics.from_values([1.0, 2.0, 100.0], [1, 1, 0])
    assert statistics.count == 2


def test_one_positive_weight_among_zero_weights_is_a_single_unit():
    with pytest.warns(DegenerateDataWarning, match=r"\[single_unit\]"):
        assert cv([5.0, 1.0, 9.0], [0, 3, 0]) == 0.0


# --------------------------------------------------------------------------------------------
# Grouped computation.


def test_by_group_hand_values():
    result = cv_by_group([6.0, 4.0, 2.0, 4.0, 8.0], ["b", "a", "a", "b", "b"], [10, 20, 20, 20, 10])
    # a: mean 3, S = 1; b: mean (60 + 80 + 80) / 40 = 5.5, M = 10*0.25 + 20*2.25 + 10*6.25 = 110
    assert list(result.index) == ["a", "b"]
    assert result.index.name == "group"
    assert result.name == "cv"
    assert result.dtype == np.float64
    assert result["a"] == pytest.approx(1 / 3, rel=1e-15)
    assert result["b"] == pytest.approx(math.sqrt(110 / 40) / 5.5, rel=1e-15)


def test_by_group_index_named_after_a_named_series():
    groups = pd.Series([370102, 370101, 370102, 370101], name="county_code")
    result = cv_by_group([1.0, 2.0, 3.0, 4.0], groups, [1, 1, 1, 1], nan_policy="raise")
    assert result.index.name == "county_code"
    assert list(result.index) == [370101, 370102]
    unnamed = cv_by_group([1.0, 3.0], pd.Series(["x", "x"]))
    assert unnamed.index.name == "group"


def test_by_group_degenerate_groups_give_one_aggregated_warning():
    values = [1.0, 2.0, 5.0, 0.0, 0.0, -3.0, -1.0, 7.0]
    groups = ["ok", "ok", "one", "zero", "zero", "neg", "neg", "one-more"]
    with pytest.warns(DegenerateDataWarning) as record:
        result = cv_by_group(values, groups)
    assert len(record) == 1
    message = str(record[0].message)
    assert "4 of 5 groups" in message
    assert "[single_unit]" in message
    assert "one, one-more" in message
    assert "[zero_mean]" in message
    assert "[negative_mean]" in message
    assert result["one"] == 0.0
    assert result["one-more"] == 0.0
    assert math.isnan(result["zero"])
    assert math.isnan(result["neg"])
    assert result["ok"] == pytest.approx(stats.variation([1.0, 2.0]), rel=1e-15)


def test_by_group_omit_can_empty_a_group():
    with pytest.warns(DegenerateDataWarning, match=r"\[empty_input\].*group b"):
        result = cv_by_group([1.0, 3.0, np.nan], ["a", "a", "b"], nan_policy="omit")
    assert list(result.index) == ["a", "b"]
    assert math.isnan(result["b"])
    assert result["a"] == 0.5


def test_by_group_propagate_only_touches_the_group_with_nan():
    result = cv_by_group([1.0, 3.0, np.nan, 2.0], ["a", "a", "b", "b"], nan_policy="propagate")
    assert result["a"] == 0.5
    assert math.isnan(result["b"])


def test_by_group_propagate_nan_at_zero_weight_still_propagates():
    result = cv_by_group([np.nan, 1.0, 3.0], ["a", "b", "b"], [0, 1, 1], nan_policy="propagate")
    assert math.isnan(result["a"])
    assert result["b"] == 0.5


def test_by_group_without_rows_is_empty():
    result = cv_by_group([], [])
    assert result.empty
    assert result.index.name == "group"


@pytest.mark.parametrize(
    ("groups", "error", "match"),
    [
        (["a", None, "b"], InvalidValueError, "missing label at position 1"),
        (["a", "b"], InvalidValueError, "expected 3, got 2"),
        ([1, "a", 2], InvalidTypeError, "comparable type"),
        ([["a"], ["b"], ["c"]], InvalidValueError, "1-dimensional"),
    ],
)
def test_by_group_bad_groups(groups, error, match):
    with pytest.raises(error, match=match):
        cv_by_group([1.0, 2.0, 3.0], groups)


def test_by_group_share_weights_reject_ddof():
    with pytest.raises(InvalidArgumentError, match="ddof must be 0"):
        cv_by_group([1.0, 2.0], ["a", "a"], [1, 1], ddof=1)


# --------------------------------------------------------------------------------------------
# Mergeable statistics.


def test_statistics_fields_by_hand():
    statistics = VariationStatistics.from_values([2.0, 4.0, 9.0], [1, 3, 0])
    assert statistics.count == 2
    assert statistics.weight_sum == 4.0
    assert statistics.mean == 3.5
    assert statistics.sum_squared_deviations == 1 * 1.5**2 + 3 * 0.5**2
    assert statistics.weight_kind == "share"
    assert VariationStatistics.from_values([2.0, 4.0]).weight_kind == "frequency"


def test_statistics_variance_std_and_ddof():
    statistics = VariationStatistics.from_values([1.0, 2.0, 3.0])
    assert statistics.variance() == pytest.approx(2 / 3, rel=1e-15)
    assert statistics.variance(ddof=1) == 1.0
    assert statistics.std(ddof=1) == 1.0
    assert statistics.cv(ddof=1) == 0.5
    shares = VariationStatistics.from_values([1.0, 2.0, 3.0], [1, 1, 1])
    with pytest.raises(InvalidArgumentError, match="ddof must be 0"):
        shares.variance(ddof=1)


def test_statistics_empty_is_the_identity():
    part = VariationStatistics.from_values([1.0, 3.0, 4.0], [2, 1, 5])
    empty = VariationStatistics.empty()
    assert empty.is_empty
    assert empty.merge(part) == part
    assert part.merge(empty) == part
    both = empty.merge(VariationStatistics.empty())
    assert both.is_empty
    assert math.isnan(both.mean)
    with pytest.warns(DegenerateDataWarning, match=r"\[empty_input\]"):
        assert math.isnan(empty.cv())


def test_statistics_merge_rejects_mixed_weight_kinds():
    unweighted = VariationStatistics.from_values([1.0, 2.0])
    shares = VariationStatistics.from_values([1.0, 2.0], [1, 1])
    with pytest.raises(InvalidArgumentError, match="weight_kind"):
        unweighted.merge(shares)
    assert VariationStatistics.empty(weight_kind="share").merge(unweighted) == unweighted


def test_statistics_merge_adds_omitted_counts():
    left = VariationStatistics.from_values([1.0, np.nan], nan_policy="omit")
    right = VariationStatistics.from_values([np.nan, np.nan, 2.0], nan_policy="omit")
    assert left.merge(right).omitted_count == 3


@pytest.mark.parametrize(
    ("fields", "error", "match"),
    [
        ({"count": -1}, InvalidValueError, "count must be >= 0"),
        ({"count": 1.5}, InvalidValueError, "whole number"),
        ({"sum_squared_deviations": -1.0}, InvalidValueError, "sum_squared_deviations"),
        ({"weight_sum": 0.0}, InvalidValueError, "positive weight_sum"),
        ({"mean": math.inf}, InvalidValueError, "mean must be finite"),
        ({"weight_kind": "counts"}, InvalidArgumentError, "weight_kind must be one of"),
    ],
)
def test_statistics_constructor_checks(fields, error, match):
    valid = {"count": 2, "weight_sum": 3.0, "mean": 1.0, "sum_squared_deviations": 0.5}
    with pytest.raises(error, match=match):
        VariationStatistics(**{**valid, **fields})


def test_statistics_without_units_must_be_zero():
    with pytest.raises(InvalidValueError, match="without units"):
        VariationStatistics(count=0, weight_sum=2.0, mean=math.nan, sum_squared_deviations=0.0)


def test_statistics_cv_status():
    assert VariationStatistics.from_values([1.0, 2.0]).cv_status() == "ok"
    assert VariationStatistics.from_values([1.0]).cv_status() == "ok"
    assert VariationStatistics.from_values([1.0]).cv_status(ddof=1) == "too_few_units"
    assert VariationStatistics.empty().cv_status() == "too_few_units"
    assert VariationStatistics.from_values([0.0, 0.0]).cv_status() == "undefined"
    assert VariationStatistics.from_values([-1.0, -2.0]).cv_status() == "undefined"
    nan = VariationStatistics.from_values([1.0, np.nan], nan_policy="propagate")
    assert nan.cv_status() == "incomplete"


def test_statistics_to_dict_is_json_safe():
    payload = VariationStatistics.from_values([1.0, 2.0], [1, 3]).to_dict()
    assert payload == {
        "count": 2,
        "weight_sum": 4.0,
        "mean": 1.75,
        "sum_squared_deviations": 0.75,
        "weight_kind": "share",
        "omitted_count": 0,
    }
    assert json.loads(json.dumps(VariationStatistics.empty().to_dict()))["mean"] is None


def test_grouped_statistics_merge_by_label():
    left = GroupedVariationStatistics.from_values([1.0, 3.0, 10.0], ["a", "a", "c"], [1, 1, 2])
    right = GroupedVariationStatistics.from_values([5.0, 7.0], ["b", "a"], [4, 2])
    merged = left.merge(right)
    assert list(merged.groups) == ["a", "b", "c"]
    assert merged.groups.name == "group"
    # a: values 1, 3, 7 with weights 1, 1, 2 -> mean 4.5, M = 12.25 + 2.25 + 2 * 6.25 = 27
    group_a = merged.group("a")
    assert group_a.count == 3
    assert group_a.weight_sum == 4.0
    assert group_a.mean == 4.5
    assert group_a.sum_squared_deviations == pytest.approx(27.0, rel=1e-15)
    assert merged.group("b") == right.group("b")
    assert merged.group("c") == left.group("c")
    assert len(merged) == 3


def test_grouped_statistics_empty_and_kinds():
    part = GroupedVariationStatistics.from_values([1.0, 2.0], ["a", "b"], [1, 1])
    merged = GroupedVariationStatistics.empty().merge(part)
    assert merged.to_frame().equals(part.to_frame())
    unweighted = GroupedVariationStatistics.from_values([1.0, 2.0], ["a", "b"])
    with pytest.raises(InvalidArgumentError, match="weight_kind"):
        part.merge(unweighted)
    with pytest.raises(InvalidArgumentError, match="no group 'z'"):
        part.group("z")


def test_grouped_statistics_merge_rejects_incomparable_labels():
    numbers = GroupedVariationStatistics.from_values([1.0, 2.0], [1, 2])
    texts = GroupedVariationStatistics.from_values([1.0, 2.0], ["x", "y"])
    with pytest.raises(InvalidTypeError, match="incomparable"):
        numbers.merge(texts)


def test_grouped_statistics_frame_round_trip():
    grouped = GroupedVariationStatistics.from_values(
        [1.0, 3.0, np.nan, 8.0, 4.0],
        pd.Series(["x", "x", "y", "y", "y"], name="county"),
        nan_policy="omit",
    )
    frame = grouped.to_frame()
    assert list(frame.columns) == [
        "count",
        "weight_sum",
        "mean",
        "sum_squared_deviations",
        "omitted_count",
    ]
    assert frame.index.name == "county"
    assert frame.loc["y", "omitted_count"] == 1
    shuffled = frame.iloc[::-1]
    restored = GroupedVariationStatistics.from_frame(shuffled, weight_kind="frequency")
    assert restored.to_frame().equals(frame)
    pd.testing.assert_series_equal(restored.cv(), grouped.cv())
    payload = json.loads(json.dumps(grouped.to_dict()))
    assert payload["group_name"] == "county"
    assert payload["groups"][0] == {
        "group": "x",
        "count": 2,
        "weight_sum": 2.0,
        "mean": 2.0,
        "sum_squared_deviations": 2.0,
        "omitted_count": 0,
    }


def test_grouped_statistics_from_frame_checks():
    frame = pd.DataFrame({"count": [2], "weight_sum": [2.0], "mean": [1.0]}, index=["a"])
    with pytest.raises(InvalidValueError, match="sum_squared_deviations"):
        GroupedVariationStatistics.from_frame(frame, weight_kind="share")
    frame["sum_squared_deviations"] = [-0.5]
    with pytest.raises(InvalidValueError, match="at group a"):
        GroupedVariationStatistics.from_frame(frame, weight_kind="share")
    frame["sum_squared_deviations"] = [0.5]
    twice = pd.concat([frame, frame])
    with pytest.raises(InvalidValueError, match="unique"):
        GroupedVariationStatistics.from_frame(twice, weight_kind="share")


def test_grouped_statistics_arrays_are_read_only():
    grouped = GroupedVariationStatistics.from_values([1.0, 2.0], ["a", "a"])
    with pytest.raises(ValueError, match="read-only"):
        grouped.mean[0] = 5.0


def test_grouped_statistics_variance_std_and_status():
    grouped = GroupedVariationStatistics.from_values([1.0, 2.0, 3.0, 0.0, 0.0], list("aaabb"))
    pd.testing.assert_series_equal(
        grouped.variance(ddof=1), pd.Series([1.0, 0.0], index=grouped.groups, name="variance")
    )
    assert grouped.std()["a"] == pytest.approx(math.sqrt(2 / 3), rel=1e-15)
    assert list(grouped.cv_status()) == ["ok", "undefined"]


# --------------------------------------------------------------------------------------------
# Properties (equity-measures.md §12).


@PROPERTY
@given(data=values_and_weights(min_size=2), factor=scale_factors)
def test_scale_invariance(data, factor):
    values, weights = data
    assert cv(factor * values, weights) == pytest.approx(cv(values, weights), rel=1e-9, abs=1e-12)


@PROPERTY
@given(data=values_and_weights(), order=st.randoms(use_true_random=False))
def test_permutation_invariance_is_bit_exact(data, order):
    values, weights = data
    permutation = np.arange(values.size)
    order.shuffle(permutation)
    with quiet():
        assert cv(values[permutation], weights[permutation]) == cv(values, weights)


@PROPERTY
@given(
    values=hnp.arrays(np.float64, st.integers(1, 12), elements=positive_floats),
    data=st.data(),
)
def test_integer_weights_equal_repeated_units(values, data):
    counts = data.draw(hnp.arrays(np.int64, values.size, elements=st.integers(1, 8)))
    repeated = np.repeat(values, counts)
    with quiet():
        assert cv(values, counts) == pytest.approx(cv(repeated), rel=1e-9, abs=1e-12)
        if repeated.size > 1:
            frequency = cv(values, counts, ddof=1, weight_kind="frequency")
            assert frequency == pytest.approx(cv(repeated, ddof=1), rel=1e-9, abs=1e-12)


@PROPERTY
@given(values=hnp.arrays(np.float64, st.integers(2, 40), elements=positive_floats))
def test_unweighted_equals_scipy(values):
    for ddof in (0, 1):
        assert cv(values, ddof=ddof) == pytest.approx(
            stats.variation(values, ddof=ddof), rel=1e-12, abs=1e-14
        )


@PROPERTY
@given(data=values_and_weights())
def test_weighted_cv_equals_exact_arithmetic(data):
    values, weights = data
    with quiet():
        assert cv(values, weights) == pytest.approx(exact_cv(values, weights), rel=1e-12, abs=1e-14)


@PROPERTY
@given(data=grouped_values(), ddof=st.sampled_from([0, 1]))
def test_grouped_equals_scalar_per_group_bit_exact(data, ddof):
    values, groups, weights = data
    labels = np.array(groups)
    with quiet():
        grouped = cv_by_group(values, groups, weights)
        unweighted = cv_by_group(values, groups, ddof=ddof)
        frequency = cv_by_group(values, groups, weights, ddof=ddof, weight_kind="frequency")
        for label in grouped.index:
            mask = labels == label
            assert same(grouped[label], cv(values[mask], weights[mask]))
            assert same(unweighted[label], cv(values[mask], ddof=ddof))
            expected = cv(values[mask], weights[mask], ddof=ddof, weight_kind="frequency")
            assert same(frequency[label], expected)


@PROPERTY
@given(data=values_and_weights(max_size=30), cuts=st.lists(st.integers(0, 30), max_size=4))
def test_merge_of_parts_equals_whole(data, cuts):
    values, weights = data
    bounds = [0, *sorted(min(cut, values.size) for cut in cuts), values.size]
    parts = [
        VariationStatistics.from_values(values[lo:hi], weights[lo:hi])
        for lo, hi in itertools.pairwise(bounds)
    ]
    whole = VariationStatistics.from_values(values, weights)
    left_fold = VariationStatistics.empty()
    for part in parts:
        left_fold = left_fold.merge(part)
    right_fold = VariationStatistics.empty()
    for part in reversed(parts):
        right_fold = part.merge(right_fold)
    scale = whole.weight_sum * float(np.max(values)) ** 2
    for merged in (left_fold, right_fold):
        assert merged.count == whole.count
        assert merged.weight_sum == pytest.approx(whole.weight_sum, rel=1e-13)
        assert merged.mean == pytest.approx(whole.mean, rel=1e-13)
        assert merged.sum_squared_deviations == pytest.approx(
            whole.sum_squared_deviations, rel=1e-9, abs=1e-12 * scale
        )


@PROPERTY
@given(a=values_and_weights(), b=values_and_weights(), c=values_and_weights())
def test_merge_is_commutative_exactly_and_associative(a, b, c):
    first, second, third = (VariationStatistics.from_values(x, w) for x, w in (a, b, c))
    assert first.merge(second) == second.merge(first)
    grouped_left = first.merge(second).merge(third)
    grouped_right = first.merge(second.merge(third))
    exact = exact_moments(*(np.concatenate(arrays) for arrays in zip(a, b, c, strict=True)))
    for merged in (grouped_left, grouped_right):
        assert merged.mean == pytest.approx(float(exact[1]), rel=1e-12)
        assert merged.sum_squared_deviations == pytest.approx(
            float(exact[2]), rel=1e-9, abs=1e-12 * float(exact[0] * exact[1] ** 2)
        )


@PROPERTY
@given(data=grouped_values(), split=st.data())
def test_grouped_merge_equals_whole_and_scalar_merge(data, split):
    values, groups, weights = data
    labels = np.array(groups)
    chunk = np.array(
        split.draw(st.lists(st.booleans(), min_size=values.size, max_size=values.size))
    )
    left = GroupedVariationStatistics.from_values(values[chunk], labels[chunk], weights[chunk])
    right = GroupedVariationStatistics.from_values(values[~chunk], labels[~chunk], weights[~chunk])
    merged = left.merge(right)
    whole = GroupedVariationStatistics.from_values(values, labels, weights)
    assert list(merged.groups) == list(whole.groups)
    np.testing.assert_array_equal(merged.count, whole.count)
    np.testing.assert_allclose(merged.weight_sum, whole.weight_sum, rtol=1e-13)
    np.testing.assert_allclose(merged.mean, whole.mean, rtol=1e-12)
    tolerance = 1e-9 * whole.sum_squared_deviations + 1e-12 * whole.weight_sum * whole.mean**2
    assert np.all(np.abs(merged.sum_squared_deviations - whole.sum_squared_deviations) <= tolerance)
    for label in merged.groups:
        one = left.group(label) if label in left.groups else VariationStatistics.empty()
        other = right.group(label) if label in right.groups else VariationStatistics.empty()
        assert merged.group(label) == one.merge(other)


@PROPERTY
@given(data=values_and_weights(), where=st.data())
def test_nan_omit_equals_dropping_nans(data, where):
    values, weights = data
    holes = np.array(
        where.draw(st.lists(st.booleans(), min_size=values.size, max_size=values.size))
    )
    with_nan = np.where(holes, np.nan, values)
    with quiet():
        expected = cv(with_nan[~np.isnan(with_nan)], weights[~holes])
        result = cv(with_nan, weights, nan_policy="omit")
        unweighted = cv(with_nan, nan_policy="omit")
        unweighted_expected = cv(with_nan[~np.isnan(with_nan)])
    assert same(result, expected)
    assert same(unweighted, unweighted_expected)


@PROPERTY
@given(
    noise=hnp.arrays(
        np.float64,
        st.integers(2, 40),
        elements=st.floats(-1, 1, allow_nan=False, allow_infinity=False),
    ),
    data=st.data(),
)
def test_large_magnitudes_match_exact_arithmetic(noise, data):
    values = 1e9 + noise
    weights = data.draw(hnp.arrays(np.int64, values.size, elements=st.integers(1, 3000)))
    total, mean, squares = exact_moments(values, weights)
    # One pass over all units: shifted, two-pass and corrected, so nearly exact.
    statistics = VariationStatistics.from_values(values, weights)
    assert statistics.mean == pytest.approx(float(mean), rel=1e-15)
    assert statistics.sum_squared_deviations == pytest.approx(float(squares), rel=1e-12)
    if squares > 0:
        reference = math.sqrt(float(squares / total / mean**2))
        assert cv(values, weights) == pytest.approx(reference, rel=1e-12)
    # Merging partial results is backward stable (Chan et al. 1983): the partial means are
    # floats, each within half an ulp of 1e9 of its exact value, and the error of the merged
    # M is bounded by that of moving each mean by one ulp: 4 ulp(mean) sqrt(W M).
    cut = data.draw(st.integers(0, values.size))
    merged = VariationStatistics.from_values(values[:cut], weights[:cut]).merge(
        VariationStatistics.from_values(values[cut:], weights[cut:])
    )
    bound = 4 * math.ulp(float(mean)) * math.sqrt(float(total * squares))
    assert merged.mean == pytest.approx(float(mean), rel=1e-15)
    assert abs(merged.sum_squared_deviations - float(squares)) <= bound + 1e-12 * float(squares)


def test_large_magnitudes_defeat_the_one_pass_formula():
    # The shape of the data of test_large_magnitudes_match_exact_arithmetic: the textbook
    # one-pass form E[x²] - E[x]² loses every digit here, the library does not.
    values = 1e9 + np.array([0.25, -0.5, 0.75, 0.125, -0.375])
    weights = np.array([3.0, 1.0, 2.0, 5.0, 4.0])
    total, mean, squares = exact_moments(values, weights)
    reference = math.sqrt(float(squares / total / mean**2))
    p = weights / weights.sum()
    one_pass = math.sqrt(abs(np.sum(p * values**2) - np.sum(p * values) ** 2)) / np.sum(p * values)
    assert abs(one_pass - reference) > 0.1 * reference
    assert cv(values, weights) == pytest.approx(reference, rel=1e-12)
