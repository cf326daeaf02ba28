"""Gini, generalized entropy, Atkinson and the GE decomposition (equity-measures.md §3-§6, §12).

Expected values are worked by hand in the comments, or come from reference implementations
written here independently of the library: the pairwise Gini double sum in exact fractions,
and the textbook GE / Atkinson formulas evaluated in 60-digit decimal arithmetic.
"""

import json
import math
import warnings
from decimal import Decimal, localcontext
from fractions import Fraction

import attrs
import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from tests.strategies import (
    grouped_values,
    nonnegative_floats,
    positive_floats,
    scale_factors,
    values_and_weights,
)

from eduequity.core import inequality
from eduequity.core.inequality import (
    DECOMPOSITION_MEASURES,
    atkinson,
    decompose_inequality,
    generalized_entropy,
    gini,
    mean_log_deviation,
    theil,
)
from eduequity.errors import (
    DegenerateDataWarning,
    InconsistencyError,
    InvalidArgumentError,
    InvalidTypeError,
    InvalidValueError,
)

ALPHAS = [-1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 3.0]
EPSILONS = [0.0, 0.5, 1.0, 1.5, 2.0, 3.0]


# --------------------------------------------------------------------------------------------
# Independent reference implementations
# --------------------------------------------------------------------------------------------


def pairwise_gini(x, w=None):
    """G = sum_i sum_j w_i w_j |x_i - x_j| / (2 W^2 mu), in exact fractions."""
    w = [1] * len(x) if w is None else w
    xs = [Fraction(float(v)) for v in x]
    ws = [Fraction(float(v)) for v in w]
    total = sum(ws)
    mean = sum(a * b for a, b in zip(ws, xs, strict=True)) / total
    double = sum(
        wi * wj * abs(xi - xj)
        for wi, xi in zip(ws, xs, strict=True)
        for wj, xj in zip(ws, xs, strict=True)
    )
    return float(double / (2 * total * total * mean))


def decimal_ge(x, w, alpha):
    """GE(alpha) by the textbook formulas of §4, in 60-digit decimal arithmetic."""
    with localcontext() as context:
        context.prec = 60
        xs = [Decimal(float(v)) for v in x]
        ws = [Decimal(float(v)) for v in w]
        total = sum(ws)
        p = [v / total for v in ws]
        mean = sum(pi * xi for pi, xi in zip(p, xs, strict=True))
        t = [xi / mean for xi in xs]
        if alpha == 1:
            value = sum(pi * ti * ti.ln() for pi, ti in zip(p, t, strict=True) if ti != 0)
        elif alpha == 0:
            value = -sum(pi * ti.ln() for pi, ti in zip(p, t, strict=True))
        else:
            a = Decimal(alpha)
            moment = sum(
                pi * (ti**a if ti != 0 else Decimal(0)) for pi, ti in zip(p, t, strict=True)
            )
            value = (moment - 1) / (a * (a - 1))
        return float(value)


def decimal_atkinson(x, w, epsilon):
    """A(epsilon) by the definition of §6, in 60-digit decimal arithmetic."""
    with localcontext() as context:
        context.prec = 60
        xs = [Decimal(float(v)) for v in x]
        ws = [Decimal(float(v)) for v in w]
        total = sum(ws)
        p = [v / total for v in ws]
        mean = sum(pi * xi for pi, xi in zip(p, xs, strict=True))
        if epsilon == 1:
            geometric = sum(pi * xi.ln() for pi, xi in zip(p, xs, strict=True)).exp()
            return float(1 - geometric / mean)
        e = Decimal(epsilon)
        moment = sum(pi * (xi / mean) ** (1 - e) for pi, xi in zip(p, xs, strict=True))
        return float(1 - moment ** (1 / (1 - e)))


def two_pass_cv(x, w):
    """Share-weighted CV with ddof 0: two passes with math.fsum."""
    total = math.fsum(w)
    mean = math.fsum(wi * xi for wi, xi in zip(w, x, strict=True)) / total
    variance = math.fsum(wi * (xi - mean) ** 2 for wi, xi in zip(w, x, strict=True)) / total
    return math.sqrt(variance) / mean


def close(actual, expected, rel=1e-12, abs_=1e-15):
    return abs(actual - expected) <= max(rel * abs(expected), abs_)


# --------------------------------------------------------------------------------------------
# Gini: hand examples
# --------------------------------------------------------------------------------------------


def test_gini_of_one_to_four_is_a_quarter():
    # Pairs differ by 1,2,3,1,2,1: double sum 20; 2 n^2 mu = 2*16*2.5 = 80.
    result = gini([1, 2, 3, 4])
    assert result.value == 0.25
    assert result.status == "ok"
    assert result.measure == "gini"
    assert result.n == 4
    assert result.weight_sum == 4.0
    assert result.details["mean"] == 2.5


def test_gini_one_unit_holding_everything_is_n_minus_one_over_n():
    # Three pairs |0 - 1|, double sum 6; 2*16*0.25 = 8.
    assert gini([0, 0, 0, 1]).value == 0.75


def test_gini_weights_equal_repeated_units():
    # [1, 3] with weights [3, 1] is [1, 1, 1, 3]: 3 pairs of difference 2, double sum 12;
    # 2*16*1.5 = 48.
    assert gini([1, 3], weights=[3, 1]).value == 0.25
    assert gini([1, 1, 1, 3]).value == 0.25


def test_gini_corrections():
    assert gini([1, 2, 3, 4], correction="n").value == pytest.approx(0.25 * 4 / 3, rel=1e-15)
    # W/(W-1) with W = 4 pupils: the same as the n-correction of the four repeated units.
    weighted = gini([1, 3], weights=[3, 1], correction="frequency")
    assert weighted.value == pytest.approx(1 / 3, rel=1e-15)
    assert gini([1, 1, 1, 3], correction="n").value == pytest.approx(1 / 3, rel=1e-15)
    assert weighted.conventions["correction"] == "frequency"


def test_gini_negative_values_raise_and_name_the_position():
    with pytest.raises(InvalidValueError, match="position 1") as caught:
        gini([3, -1, 2])
    assert caught.value.code == "negative_value"


def test_gini_negative_values_allowed_may_exceed_one():
    # [-2, 4]: mu = 1; double sum 2 * 6 = 12; 2 * 4 * 1 = 8: G = 1.5.
    result = gini([-2, 4], negatives="allow")
    assert result.value == 1.5
    assert result.conventions["negatives"] == "allow"


def test_gini_negative_mean_is_undefined():
    with pytest.warns(DegenerateDataWarning, match="negative_mean"):
        result = gini([-3, 1], negatives="allow")
    assert result.value is None
    assert result.status == "undefined"
    assert [issue.code for issue in result.warnings] == ["negative_mean"]


def test_gini_zero_mean_is_undefined_not_zero():
    with pytest.warns(DegenerateDataWarning, match="zero_mean"):
        result = gini([0, 0, 0])
    assert result.value is None
    assert result.status == "undefined"


def test_gini_single_unit_is_zero_with_warning():
    with pytest.warns(DegenerateDataWarning, match="single_unit"):
        result = gini([7.0])
    assert result.value == 0.0
    assert result.status == "ok"
    assert result.warnings[0].code == "single_unit"


def test_gini_single_unit_with_n_correction_is_undefined():
    with pytest.warns(DegenerateDataWarning, match="single_unit"):
        result = gini([7.0], correction="n")
    assert result.status == "undefined"
    assert result.value is None


def test_gini_frequency_correction_needs_weight_above_one():
    with pytest.warns(DegenerateDataWarning, match="weight_sum_too_small"):
        result = gini([1.0, 2.0], weights=[0.25, 0.5], correction="frequency")
    assert result.status == "undefined"


def test_gini_rejects_unknown_options():
    with pytest.raises(InvalidArgumentError, match="correction"):
        gini([1, 2], correction="bessel")
    with pytest.raises(InvalidArgumentError, match="negatives"):
        gini([1, 2], negatives="ignore")
    with pytest.raises(InvalidArgumentError, match="nan_policy"):
        gini([1, 2], nan_policy="propagate")
    with pytest.raises(InvalidArgumentError, match="min_units"):
        gini([1, 2], min_units=0)


def test_gini_nearly_equal_values_keep_precision():
    # Two units 1 and 1 + d: G = d / (4 mu) with mu = 1 + d/2, d the float difference.
    high = 1 + 2**-30
    expected = (high - 1) / 4 / ((1 + high) / 2)
    assert gini([1.0, high]).value == pytest.approx(expected, rel=1e-12)


# --------------------------------------------------------------------------------------------
# Generalized entropy: hand examples and identities
# --------------------------------------------------------------------------------------------


def test_ge2_is_half_the_squared_cv():
    # [1, 2, 3, 4]: variance 1.25, mean 2.5, CV^2 = 0.2, GE(2) = 0.1.
    assert generalized_entropy([1, 2, 3, 4], alpha=2).value == pytest.approx(0.1, rel=1e-15)


def test_theil_hand_values():
    # [1, 3]: t = 0.5, 1.5; T = (0.5 ln 0.5 + 1.5 ln 1.5) / 2.
    expected = (0.5 * math.log(0.5) + 1.5 * math.log(1.5)) / 2
    assert theil([1, 3]).value == pytest.approx(expected, rel=1e-14)
    # One unit of four holds everything: T = ln 4, the maximum.
    assert theil([0, 0, 0, 4]).value == pytest.approx(math.log(4), rel=1e-14)


def test_theil_keeps_zeros_in_the_mean():
    # [0, 2]: mu = 1, t = 0 and 2; 0 ln 0 = 0; T = (2 ln 2) / 2 = ln 2. Dropping the zero
    # would give 0 instead.
    result = theil([0, 2])
    assert result.value == pytest.approx(math.log(2), rel=1e-15)
    assert result.n == 2
    assert result.details["mean"] == 1.0


def test_mld_hand_value():
    # [1, 3]: MLD = -(ln 0.5 + ln 1.5) / 2 = -ln(0.75) / 2.
    assert mean_log_deviation([1, 3]).value == pytest.approx(-math.log(0.75) / 2, rel=1e-15)


def test_ge_with_zeros_for_positive_alpha():
    # [0, 2], mu = 1. alpha = 2: (0 + 4)/2 - 1 = 1, / 2 = 0.5.
    assert generalized_entropy([0, 2], alpha=2).value == pytest.approx(0.5, rel=1e-15)
    # alpha = 0.5: (sqrt(2)/2 - 1) / (0.5 * -0.5).
    expected = (math.sqrt(2) / 2 - 1) / -0.25
    assert generalized_entropy([0, 2], alpha=0.5).value == pytest.approx(expected, rel=1e-14)


def test_theil_and_mld_are_ge1_and_ge0():
    x, w = [1.0, 4.0, 9.0], [2.0, 1.0, 3.0]
    assert theil(x, w).value == generalized_entropy(x, w, alpha=1).value
    assert mean_log_deviation(x, w).value == generalized_entropy(x, w, alpha=0).value
    assert theil(x, w).conventions["alpha"] == 1.0


def test_mld_with_zero_raises_naming_the_position():
    with pytest.raises(InvalidValueError, match="position 2") as caught:
        mean_log_deviation([1.0, 2.0, 0.0])
    assert caught.value.code == "zero_value"
    with pytest.raises(InvalidValueError, match="undefined"):
        generalized_entropy([1.0, 0.0], alpha=-1)


def test_mld_with_zero_under_limit_is_undefined():
    with pytest.warns(DegenerateDataWarning, match="zero_value"):
        result = mean_log_deviation([1.0, 2.0, 0.0], nonpositive="limit")
    assert result.value is None
    assert result.status == "undefined"


def test_zero_with_zero_weight_does_not_make_mld_undefined():
    result = mean_log_deviation([1.0, 3.0, 0.0], weights=[1, 1, 0])
    assert result.value == pytest.approx(-math.log(0.75) / 2, rel=1e-15)
    assert result.n == 2
    assert result.n_zero_weight == 1


def test_ge_negative_values_raise_for_every_alpha():
    for alpha in (2, 1, 0.5):
        with pytest.raises(InvalidValueError, match="negative"):
            generalized_entropy([1.0, -1.0], alpha=alpha)


def test_ge_zero_mean_is_undefined():
    with pytest.warns(DegenerateDataWarning, match="zero_mean"):
        result = theil([0.0, 0.0])
    assert result.status == "undefined"
    assert result.value is None


def test_ge_alpha_must_be_finite():
    with pytest.raises(InvalidArgumentError, match="alpha"):
        generalized_entropy([1, 2], alpha=math.inf)
    with pytest.raises(InvalidArgumentError, match="alpha"):
        generalized_entropy([1, 2], alpha="2")


def test_ge_nearly_equal_values_keep_relative_precision():
    x = [1000.0, 1000.0 + 2**-20, 1000.0 - 2**-21, 1000.0]
    w = [1.0, 2.0, 3.0, 4.0]
    for alpha in ALPHAS:
        assert close(generalized_entropy(x, w, alpha=alpha).value, decimal_ge(x, w, alpha), 1e-9)


# --------------------------------------------------------------------------------------------
# Atkinson
# --------------------------------------------------------------------------------------------


def test_atkinson_hand_values():
    # epsilon = 1 on [1, 3]: 1 - geometric mean / mean = 1 - sqrt(3) / 2.
    assert atkinson([1, 3], epsilon=1).value == pytest.approx(1 - math.sqrt(3) / 2, rel=1e-14)
    # epsilon = 2 on [1, 3]: 1 - harmonic mean / mean = 1 - 1.5 / 2.
    result = atkinson([1, 3], epsilon=2)
    assert result.value == pytest.approx(0.25, rel=1e-14)
    assert result.details["ede"] == pytest.approx(1.5, rel=1e-14)
    # epsilon = 0.5 on [1, 9]: ((1 + 3) / 2)^2 = 4 against the mean 5.
    assert atkinson([1, 9], epsilon=0.5).value == pytest.approx(0.2, rel=1e-14)
    assert atkinson([1, 9], epsilon=0).value == 0.0


def test_atkinson_zeros():
    # epsilon < 1: zeros allowed. [0, 4], epsilon 0.5: ((0 + 2) / 2)^2 = 1 against 2.
    assert atkinson([0, 4], epsilon=0.5).value == pytest.approx(0.5, rel=1e-14)
    with pytest.raises(InvalidValueError, match="position 0") as caught:
        atkinson([0, 4], epsilon=1)
    assert caught.value.code == "zero_value"
    with pytest.warns(DegenerateDataWarning, match="zero_limit"):
        result = atkinson([0, 4], epsilon=2, nonpositive="limit")
    assert result.value == 1.0
    assert result.details["ede"] == 0.0
    assert [issue.code for issue in result.warnings] == ["zero_limit"]


def test_atkinson_rejects_negative_epsilon_and_values():
    with pytest.raises(InvalidArgumentError, match="epsilon"):
        atkinson([1, 2], epsilon=-0.5)
    with pytest.raises(InvalidValueError, match="negative"):
        atkinson([1, -2], epsilon=0.5)


# --------------------------------------------------------------------------------------------
# Common behaviour: statuses, NaN policy, weights, records
# --------------------------------------------------------------------------------------------


MEASURES = [
    ("gini", lambda x, w=None, **k: gini(x, w, **k)),
    ("ge2", lambda x, w=None, **k: generalized_entropy(x, w, alpha=2, **k)),
    ("theil", lambda x, w=None, **k: theil(x, w, **k)),
    ("mld", lambda x, w=None, **k: mean_log_deviation(x, w, **k)),
    ("atkinson", lambda x, w=None, **k: atkinson(x, w, epsilon=1.5, **k)),
]


@pytest.mark.parametrize(("name", "measure"), MEASURES)
def test_equal_values_give_zero(name, measure):
    result = measure([3.5, 3.5, 3.5], [1, 5, 2])
    assert result.value == 0.0, name
    assert result.status == "ok"


@pytest.mark.parametrize(("name", "measure"), MEASURES)
def test_nan_raises_by_default_and_omit_drops_and_counts(name, measure):
    with pytest.raises(InvalidValueError, match="position 1") as caught:
        measure([1.0, np.nan, 3.0, 4.0])
    assert caught.value.code == "missing_value"
    omitted = measure([1.0, np.nan, 3.0, 4.0], [1, 1, np.nan, 2], nan_policy="omit")
    clean = measure([1.0, 4.0], [1, 2])
    assert omitted.value == clean.value, name
    assert omitted.n_dropped == 2
    assert omitted.n == 2


@pytest.mark.parametrize(("name", "measure"), MEASURES)
def test_too_few_units_is_a_status(name, measure):
    with pytest.warns(DegenerateDataWarning, match="too_few_units"):
        result = measure([1.0, 2.0], min_units=3)
    assert result.status == "too_few_units", name
    assert result.value is None
    with pytest.warns(DegenerateDataWarning, match="too_few_units"):
        empty = measure([np.nan], nan_policy="omit")
    assert empty.status == "too_few_units"
    assert empty.n == 0
    assert empty.n_dropped == 1


@pytest.mark.parametrize(("name", "measure"), MEASURES)
def test_bad_weights_and_values_raise(name, measure):
    with pytest.raises(InvalidValueError, match="weights") as caught:
        measure([1.0, 2.0], [1.0, -1.0])
    assert caught.value.code == "invalid_weight", name
    with pytest.raises(InvalidValueError, match="zero"):
        measure([1.0, 2.0], [0.0, 0.0])
    with pytest.raises(InvalidValueError, match="one entry per value"):
        measure([1.0, 2.0], [1.0])
    with pytest.raises(InvalidValueError, match="finite"):
        measure([1.0, math.inf])
    with pytest.raises(InvalidTypeError, match="real numbers"):
        measure([1.0, "two"])


def test_zero_weight_units_contribute_nothing():
    full = gini([1.0, 50.0, 3.0], [2.0, 0.0, 1.0])
    assert full.value == gini([1.0, 3.0], [2.0, 1.0]).value
    assert full.n == 2
    assert full.n_zero_weight == 1


def test_series_index_labels_name_the_row():
    values = pd.Series([1.0, -2.0, 3.0], index=["s1", "s2", "s3"])
    with pytest.raises(InvalidValueError, match="s2"):
        gini(values)
    assert gini(pd.Series([1.0, 2.0, 3.0, 4.0])).value == 0.25


def test_result_is_frozen_and_serializes_to_json():
    result = atkinson([1.0, 2.0, 4.0], [1, 2, 3], epsilon=1)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        result.value = 0.0
    with pytest.raises(TypeError):
        result.conventions["epsilon"] = 2.0
    data = result.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["conventions"] == {
        "epsilon": 1.0,
        "nonpositive": "raise",
        "nan_policy": "raise",
        "min_units": 1,
    }
    with pytest.warns(DegenerateDataWarning):
        undefined = gini([0.0, 0.0]).to_dict()
    assert undefined["value"] is None
    assert undefined["warnings"][0]["code"] == "zero_mean"


# --------------------------------------------------------------------------------------------
# Decomposition: hand examples
# --------------------------------------------------------------------------------------------


def test_decomposition_hand_example_ge2():
    # [1, 3 | 5, 7]: mu = 4, variance 5, GE(2) = 5/32. Group means 2 and 6: r = 1/2, 3/2;
    # between = 1/2 * (1/2 * 1/4 + 1/2 * 1/4) = 1/8. Within: GE_a = 1/2 * 1/4 = 1/8
    # (CV 1/2), GE_b = 1/2 * 1/36; contributions 1/2 * 1/4 * 1/8 = 1/64 and
    # 1/2 * 9/4 * 1/72 = 1/64.
    result = decompose_inequality([1, 3, 5, 7], ["a", "a", "b", "b"], measure="ge2")
    assert result.measure == "ge2"
    assert result.alpha == 2.0
    assert result.status == "ok"
    assert (result.total, result.between, result.within) == (5 / 32, 1 / 8, 1 / 32)
    assert result.between_share == 0.8
    assert result.within_share == pytest.approx(0.2, rel=1e-15)
    a, b = result.groups
    assert (a.group, a.n, a.weight_sum, a.population_share, a.mean) == ("a", 2, 2.0, 0.5, 2.0)
    assert (a.relative_mean, a.resource_share) == (0.5, 0.25)
    assert a.inequality == pytest.approx(1 / 8, rel=1e-15)
    assert a.within_contribution == pytest.approx(1 / 64, rel=1e-15)
    assert b.inequality == pytest.approx(1 / 72, rel=1e-15)
    assert b.within_contribution == pytest.approx(1 / 64, rel=1e-15)


def test_decomposition_ge2_total_is_half_the_squared_student_weighted_cv():
    x = [6.2, 3.7, 10.5, 2.1, 7.3, 4.4]
    w = [45, 37, 89, 76, 55, 60]
    groups = ["north", "north", "south", "south", "south", "east"]
    result = decompose_inequality(x, groups, w)
    assert close(result.total, two_pass_cv(x, w) ** 2 / 2)
    assert close(result.between + result.within, result.total)


def test_decomposition_theil_matches_the_textbook_terms():
    x = [1.0, 2.0, 4.0, 8.0, 3.0]
    w = [1.0, 2.0, 1.0, 1.0, 3.0]
    groups = [1, 1, 2, 2, 3]
    result = decompose_inequality(x, groups, w, measure="theil")
    total_weight = sum(w)
    mean = sum(a * b for a, b in zip(w, x, strict=True)) / total_weight
    between = within = 0.0
    for label in (1, 2, 3):
        xs = [v for v, g in zip(x, groups, strict=True) if g == label]
        ws = [v for v, g in zip(w, groups, strict=True) if g == label]
        share = sum(ws) / total_weight
        group_mean = sum(a * b for a, b in zip(ws, xs, strict=True)) / sum(ws)
        resource_share = share * group_mean / mean
        between += resource_share * math.log(group_mean / mean)
        within += resource_share * decimal_ge(xs, ws, 1)
    assert result.measure == "theil"
    assert close(result.between, between, 1e-13)
    assert close(result.within, within, 1e-13)
    assert close(result.total, decimal_ge(x, w, 1), 1e-13)
    assert [row.group for row in result.groups] == [1, 2, 3]


def test_decomposition_theil_all_zero_group_contributes_nothing():
    # Group a holds only zeros: S_a = 0. Between = S_b ln r_b = 1 * ln(3 / 1.5) = ln 2;
    # within = S_b T_b with T_b the Theil index of [2, 4].
    result = decompose_inequality([0, 0, 2, 4], ["a", "a", "b", "b"], measure="theil")
    assert close(result.between, math.log(2), 1e-14)
    assert close(result.within, decimal_ge([2, 4], [1, 1], 1), 1e-14)
    assert close(result.total, decimal_ge([0, 0, 2, 4], [1] * 4, 1), 1e-14)
    group_a = result.groups[0]
    assert group_a.inequality is None
    assert group_a.within_contribution == 0.0
    assert group_a.resource_share == 0.0


def test_decomposition_mld_with_zero_raises_or_is_undefined():
    with pytest.raises(InvalidValueError, match="position 2") as caught:
        decompose_inequality([1.0, 2.0, 0.0], ["a", "a", "b"], measure="mld")
    assert caught.value.code == "zero_value"
    with pytest.warns(DegenerateDataWarning, match="zero_value"):
        result = decompose_inequality(
            [1.0, 2.0, 0.0], ["a", "a", "b"], measure="mld", nonpositive="limit"
        )
    assert result.status == "undefined"
    assert (result.total, result.between, result.within, result.between_share) == (None,) * 4
    assert [row.group for row in result.groups] == ["a", "b"]
    assert result.groups[1].inequality is None


def test_decomposition_zero_mean_is_undefined():
    with pytest.warns(DegenerateDataWarning, match="zero_mean"):
        result = decompose_inequality([0.0, 0.0], ["a", "b"], measure="theil")
    assert result.status == "undefined"
    assert result.total is None


def test_decomposition_constant_values_have_no_between_share():
    result = decompose_inequality([2.0, 2.0, 2.0], ["a", "b", "b"])
    assert (result.total, result.between, result.within) == (0.0, 0.0, 0.0)
    assert result.between_share is None
    assert all(row.inequality == 0.0 for row in result.groups)


def test_decomposition_single_unit_groups_have_zero_inequality():
    result = decompose_inequality([0.1, 0.7, 0.3], ["x", "y", "z"], [3, 7, 11], measure="theil")
    assert all(row.inequality == 0.0 for row in result.groups)
    assert result.within == 0.0
    assert close(result.between, result.total)


def test_decomposition_measure_names():
    x, groups = [1.0, 2.0, 4.0, 7.0], ["a", "b", "a", "b"]
    theil_result = decompose_inequality(x, groups, measure="theil")
    for alias in ("theil_t", "ge1"):
        assert decompose_inequality(x, groups, measure=alias).total == theil_result.total
    assert decompose_inequality(x, groups, measure="ge", alpha=1).measure == "theil"
    for alias in ("theil_l", "ge0", "mld"):
        assert decompose_inequality(x, groups, measure=alias).alpha == 0.0
    general = decompose_inequality(x, groups, measure="ge", alpha=0.5)
    assert (general.measure, general.alpha) == ("ge", 0.5)
    assert close(general.total, decimal_ge(x, [1] * 4, 0.5))
    assert set(DECOMPOSITION_MEASURES) >= {"ge2", "theil", "mld", "ge"}


def test_decomposition_rejects_bad_measure_arguments():
    with pytest.raises(InvalidArgumentError, match="measure"):
        decompose_inequality([1, 2], ["a", "b"], measure="gini")
    with pytest.raises(InvalidArgumentError, match="alpha"):
        decompose_inequality([1, 2], ["a", "b"], measure="ge")
    with pytest.raises(InvalidArgumentError, match="contradicts"):
        decompose_inequality([1, 2], ["a", "b"], measure="ge2", alpha=1)


def test_decomposition_ignores_zero_weight_groups_with_a_warning():
    with pytest.warns(DegenerateDataWarning, match="zero_weight_group"):
        result = decompose_inequality([1.0, 3.0, 9.0], ["a", "b", "c"], [1, 2, 0])
    reference = decompose_inequality([1.0, 3.0], ["a", "b"], [1, 2])
    assert result.ignored_groups == ("c",)
    assert [row.group for row in result.groups] == ["a", "b"]
    assert (result.total, result.between) == (reference.total, reference.between)
    assert result.n_zero_weight == 1
    assert result.warnings[0].code == "zero_weight_group"


def test_decomposition_missing_groups():
    with pytest.raises(InvalidValueError, match="position 1") as caught:
        decompose_inequality([1.0, 2.0, 3.0], ["a", None, "b"])
    assert caught.value.code == "missing_value"
    result = decompose_inequality([1.0, 2.0, 3.0], ["a", None, "b"], nan_policy="omit")
    assert result.n_dropped == 1
    assert result.total == decompose_inequality([1.0, 3.0], ["a", "b"]).total


def test_decomposition_input_errors():
    with pytest.raises(InvalidTypeError, match="sortable"):
        decompose_inequality([1.0, 2.0], [1, "a"])
    with pytest.raises(InvalidValueError, match="one entry per value"):
        decompose_inequality([1.0, 2.0], ["a", "b", "c"])
    with pytest.raises(InvalidValueError, match="negative"):
        decompose_inequality([1.0, -2.0], ["a", "b"])
    with pytest.raises(InvalidValueError, match="s2"):
        decompose_inequality(
            pd.Series([1.0, -2.0], index=["s1", "s2"]), pd.Series(["a", "b"], index=["s1", "s2"])
        )


def test_decomposition_reconciliation_failure_raises(monkeypatch):
    real = inequality._ge_of

    def skewed(values, weights, alpha):
        return real(values, weights, alpha) * (1 + 1e-9)

    monkeypatch.setattr(inequality, "_ge_of", skewed)
    with pytest.raises(InconsistencyError, match="does not reconcile") as caught:
        decompose_inequality([1.0, 2.0, 5.0], ["a", "a", "b"])
    assert caught.value.code == "internal_inconsistency"


def test_decomposition_table_and_json():
    result = decompose_inequality([1, 3, 5, 7], ["a", "a", "b", "b"], [2, 1, 1, 2])
    table = result.table()
    assert list(table.index) == ["a", "b"]
    assert table.index.name == "group"
    assert list(table.columns) == [
        "n",
        "weight_sum",
        "population_share",
        "mean",
        "relative_mean",
        "resource_share",
        "inequality",
        "within_contribution",
    ]
    assert table["within_contribution"].sum() == pytest.approx(result.within, rel=1e-15)
    # Group a: weights 2, 1 on 1, 3: mean 5/3. Population share 3/6.
    assert table.loc["a", "mean"] == pytest.approx(5 / 3, rel=1e-15)
    assert table.loc["a", "population_share"] == 0.5
    data = result.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["n_groups"] == 2
    assert data["groups"][0]["group"] == "a"


def test_decomposition_many_groups_is_vectorized_and_exact():
    rng = np.random.default_rng(2024)
    n = 200_000
    x = rng.lognormal(8.0, 0.4, n)
    w = rng.integers(1, 2000, n).astype(float)
    groups = rng.integers(0, 3000, n)
    for measure in ("ge2", "theil", "mld"):
        result = decompose_inequality(x, groups, w, measure=measure)
        assert result.n_groups == 3000
        assert result.discrepancy <= 1e-12 * result.total


def test_decomposition_nearly_equal_means_reconcile():
    # Per-pupil amounts equal to 1e-5: the between part rests on mean differences
    # of that order and must still close.
    rng = np.random.default_rng(7)
    x = 1300.0 + np.round(rng.normal(0, 0.01, 5000), 2)
    w = rng.integers(20, 2000, 5000).astype(float)
    groups = rng.integers(0, 40, 5000)
    for measure in ("ge2", "theil", "mld"):
        result = decompose_inequality(x, groups, w, measure=measure)
        assert result.discrepancy <= 1e-12 * result.total
        assert close(result.total, decimal_ge(x, w, result.alpha), 1e-10)


# --------------------------------------------------------------------------------------------
# Properties (equity-measures.md §12)
# --------------------------------------------------------------------------------------------


def _all_measures(x, w):
    values = {"gini": gini(x, w).value}
    for alpha in ALPHAS:
        values[f"ge{alpha}"] = generalized_entropy(x, w, alpha=alpha).value
    for epsilon in EPSILONS:
        values[f"atkinson{epsilon}"] = atkinson(x, w, epsilon=epsilon).value
    return values


@settings(max_examples=100, deadline=None)
@given(values_and_weights(min_size=2))
def test_sorted_gini_equals_pairwise_gini(sample):
    x, w = sample
    assert close(gini(x, w).value, pairwise_gini(x, w), 1e-11, 1e-14)


@settings(max_examples=60, deadline=None)
@given(values_and_weights(min_size=2, max_size=25), st.sampled_from(ALPHAS))
def test_ge_matches_the_textbook_formula(sample, alpha):
    x, w = sample
    assert close(generalized_entropy(x, w, alpha=alpha).value, decimal_ge(x, w, alpha), 1e-10)


@settings(max_examples=60, deadline=None)
@given(values_and_weights(min_size=2, max_size=25), st.sampled_from(EPSILONS))
def test_atkinson_matches_its_definition(sample, epsilon):
    x, w = sample
    assert close(atkinson(x, w, epsilon=epsilon).value, decimal_atkinson(x, w, epsilon), 1e-10)


@settings(max_examples=100, deadline=None)
@given(values_and_weights(min_size=2))
def test_identities(sample):
    x, w = sample
    half_cv_squared = two_pass_cv(list(x), list(w)) ** 2 / 2
    assert close(generalized_entropy(x, w, alpha=2).value, half_cv_squared, 1e-11, 1e-15)
    mld = mean_log_deviation(x, w).value
    assert close(atkinson(x, w, epsilon=1).value, -math.expm1(-mld), 1e-12, 1e-16)
    for epsilon in (0.5, 2.0, 3.0):
        alpha = 1 - epsilon
        ge = generalized_entropy(x, w, alpha=alpha).value
        linked = 1 - (1 + epsilon * (epsilon - 1) * ge) ** (1 / (1 - epsilon))
        assert close(atkinson(x, w, epsilon=epsilon).value, linked, 1e-9, 1e-13)


@settings(max_examples=100, deadline=None)
@given(values_and_weights(min_size=2), scale_factors)
def test_scale_invariance(sample, factor):
    x, w = sample
    before = _all_measures(x, w)
    after = _all_measures(x * factor, w)
    for name, value in before.items():
        assert close(after[name], value, 1e-9, 1e-13), name


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(positive_floats, st.integers(1, 5)), min_size=1, max_size=15),
)
def test_replication_invariance(units):
    x = np.array([value for value, _ in units])
    counts = np.array([count for _, count in units])
    if len(units) == 1:
        assume(counts[0] > 1)
    repeated = np.repeat(x, counts)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateDataWarning)  # a single weighted unit
        weighted = _all_measures(x, counts.astype(float))
    replicated = _all_measures(repeated, None)
    for name, value in weighted.items():
        assert close(replicated[name], value, 1e-9, 1e-13), name


@st.composite
def transfers(draw):
    """Values, weights, and a rank-preserving transfer from a richer to a poorer unit."""
    x, w = draw(values_and_weights(min_size=2, max_size=20))
    order = np.argsort(x, kind="stable")
    i, j = sorted(
        draw(st.lists(st.sampled_from(range(x.size)), min_size=2, max_size=2, unique=True))
    )
    poor, rich = order[i], order[j]
    assume(x[rich] - x[poor] > 1e-6 * x[rich])
    fraction = draw(st.floats(min_value=0.01, max_value=1.0))
    # Moving an amount A from rich to poor changes x by -A/w_rich and +A/w_poor; ranks of the
    # pair are kept when A <= (x_rich - x_poor) / (1/w_rich + 1/w_poor).
    amount = fraction * (x[rich] - x[poor]) / (1 / w[rich] + 1 / w[poor])
    after = x.copy()
    after[rich] -= amount / w[rich]
    after[poor] += amount / w[poor]
    assume(after[poor] <= after[rich])
    return x, w, after


@settings(max_examples=100, deadline=None)
@given(transfers())
def test_transfer_principle(case):
    x, w, after = case
    before_values = _all_measures(x, w)
    after_values = _all_measures(after, w)
    for name, value in before_values.items():
        assert after_values[name] <= value + max(1e-10 * value, 1e-14), name


def test_transfer_strictly_decreases():
    x, w = [1.0, 4.0, 9.0], [1.0, 2.0, 1.0]
    after = [2.0, 4.0, 8.0]  # one unit from the richest to the poorest, ranks kept
    before_values = _all_measures(np.array(x), np.array(w))
    after_values = _all_measures(np.array(after), np.array(w))
    for name, value in before_values.items():
        if name == "atkinson0.0":
            assert after_values[name] == value == 0.0
        else:
            assert after_values[name] < value, name


@settings(max_examples=100, deadline=None)
@given(values_and_weights(min_size=2), st.randoms(use_true_random=False))
def test_row_order_independence_is_bit_exact(sample, random):
    x, w = sample
    permutation = list(range(x.size))
    random.shuffle(permutation)
    assert _all_measures(x, w) == _all_measures(x[permutation], w[permutation])


@settings(max_examples=100, deadline=None)
@given(values_and_weights(min_size=1, values=nonnegative_floats), st.sampled_from(ALPHAS[4:]))
def test_nan_omit_equals_dropping(sample, alpha):
    x, w = sample
    holes = x.copy()
    holes[::3] = np.nan
    keep = ~np.isnan(holes)
    assume(keep.any() and (x[keep] > 0).any())
    assume((x[keep] > 0).sum() > 1)
    omitted = generalized_entropy(holes, w, alpha=alpha, nan_policy="omit")
    dropped = generalized_entropy(x[keep], w[keep], alpha=alpha)
    assert omitted.value == dropped.value
    assert omitted.n_dropped == int((~keep).sum())


@settings(max_examples=100, deadline=None)
@given(grouped_values(), st.sampled_from(["ge2", "theil", "mld", "ge"]), st.sampled_from(ALPHAS))
def test_decomposition_closes(case, measure, alpha):
    x, groups, w = case
    result = decompose_inequality(
        x, groups, w, measure=measure, alpha=alpha if measure == "ge" else None
    )
    assert result.between >= 0
    assert result.within >= 0
    assert close(result.between + result.within, result.total, 1e-12, 1e-15)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateDataWarning)  # a single unit
        direct = generalized_entropy(x, w, alpha=result.alpha).value
    assert close(result.total, direct, 1e-12, 1e-15)
    # The between part is the index of the group means with group weights.
    means = [row.mean for row in result.groups]
    weights = [row.weight_sum for row in result.groups]
    assert close(result.between, decimal_ge(means, weights, result.alpha), 1e-10, 1e-14)
    assert sum(row.population_share for row in result.groups) == pytest.approx(1.0, rel=1e-12)
    assert close(math.fsum(row.within_contribution for row in result.groups), result.within, 1e-12)


@settings(max_examples=100, deadline=None)
@given(grouped_values(), st.randoms(use_true_random=False))
def test_decomposition_row_order_independence(case, random):
    x, groups, w = case
    permutation = list(range(len(groups)))
    random.shuffle(permutation)
    shuffled = decompose_inequality(
        x[permutation], [groups[i] for i in permutation], w[permutation], measure="theil"
    )
    original = decompose_inequality(x, groups, w, measure="theil")
    assert (shuffled.total, shuffled.between, shuffled.within) == (
        original.total,
        original.between,
        original.within,
    )
    assert shuffled.groups == original.groups


@settings(max_examples=50, deadline=None)
@given(grouped_values(max_groups=4, max_size=20), st.integers(2, 4))
def test_decomposition_replication_invariance(case, copies):
    x, groups, w = case
    small = np.minimum(w, 3)
    repeated = decompose_inequality(
        np.repeat(x, small), np.repeat(np.array(groups), small), measure="ge2"
    )
    weighted = decompose_inequality(x, groups, small.astype(float), measure="ge2")
    assert close(repeated.total, weighted.total, 1e-9, 1e-14)
    assert close(repeated.between, weighted.between, 1e-9, 1e-14)
    scaled = decompose_inequality(x, groups, small * copies, measure="ge2")
    assert close(scaled.between, weighted.between, 1e-12, 1e-15)


# --------------------------------------------------------------------------------------------
# Near alpha = 0 and alpha = 1, and epsilon = 0 and 1 (issue 9): no cancellation
# --------------------------------------------------------------------------------------------

# α at and beside the points where the textbook formula has a removable singularity; the old
# formula lost about 1e-16 / |α - 1| relative there.
NEAR_SINGULAR = sorted(
    {point + sign * 10.0**-k for point in (0.0, 1.0) for sign in (-1, 1) for k in range(3, 16)}
    | {0.0, 1.0, 0.75, 1.25, -0.25, 0.25, 0.2499, 0.7501}
)


def test_ge_just_below_one_is_theil_t_to_the_last_digits():
    # The issue's case: np.arange(-1, 3.05, 0.1)[20] is 0.9999999999999996, not 1.
    alpha = float(np.arange(-1, 3.05, 0.1)[20])
    assert alpha != 1.0
    value = generalized_entropy([1, 2, 3, 4], alpha=alpha).value
    assert close(value, decimal_ge([1, 2, 3, 4], [1, 1, 1, 1], alpha), 1e-14)
    assert close(value, theil([1, 2, 3, 4]).value, 1e-14)  # 0.10644..., the old code 0.1387


def test_decomposition_beside_alpha_one_reconciles():
    # The issue's case raised InconsistencyError.
    result = decompose_inequality([3.38, 1.56, 2.23], [0, 0, 1], measure="ge", alpha=1.001)
    assert result.status == "ok"
    assert close(result.total, decimal_ge([3.38, 1.56, 2.23], [1, 1, 1], 1.001), 1e-14)
    assert result.discrepancy <= 1e-14 * result.total


@pytest.mark.parametrize("epsilon", [1e-12, 1e-9, 1e-6, 1 - 1e-12, 1 + 1e-12, 1 - 1e-6])
def test_atkinson_beside_zero_and_one_matches_its_definition(epsilon):
    x, w = [1.0, 2.0, 3.0, 4.0, 10.0], [3.0, 1.0, 1.0, 2.0, 1.0]
    # At ε = 1e-12 the old code had a relative error of 2e-4.
    assert close(atkinson(x, w, epsilon=epsilon).value, decimal_atkinson(x, w, epsilon), 1e-13, 0.0)


@settings(max_examples=80, deadline=None)
@given(values_and_weights(min_size=2, max_size=20), st.sampled_from(NEAR_SINGULAR))
def test_ge_beside_zero_and_one_matches_the_textbook_formula(sample, alpha):
    x, w = sample
    assert close(generalized_entropy(x, w, alpha=alpha).value, decimal_ge(x, w, alpha), 1e-13)


def _derivative_bound(x, w):
    """A bound on |d GE(α) / dα| near α = 0 and α = 1, and on |d A(ε) / dε| near ε = 1.

    With t = x/μ, L = ln t: d φ_α / dα is t L² / 2 - (t ln t - t + 1) at α = 1 and
    -L² / 2 + (t - 1 - L) at α = 0; twice the sum of the absolute terms bounds both on
    |α - 1|, |α| <= 1e-3 (the next order is smaller by a factor |α - 1| · |L|).
    A(ε) near ε = 1 is 1 - (1 - ε(1 - ε)·GE(1 - ε))^(1/(1 - ε)); it moves at most twice as
    fast as the GE bound plus MLD + MLD².
    """
    x, w = np.asarray(x, dtype=float), np.asarray(w, dtype=float)
    p = w / w.sum()
    t = x / float(np.sum(p * x))
    log_t = np.log(t)
    terms = t * log_t**2 + np.abs(t * log_t - t + 1) + log_t**2 + np.abs(t - 1 - log_t)
    bound = 2.0 * float(np.sum(p * terms))
    mld = abs(float(np.sum(p * log_t)))
    return bound, 2.0 * (bound + mld + mld * mld)


OFFSETS = [s * 10.0**-k for s in (-1, 1) for k in (3, 5, 7, 9, 11, 13, 15)]


@settings(max_examples=80, deadline=None)
@given(values_and_weights(min_size=2, max_size=20), st.sampled_from(OFFSETS))
def test_ge_and_atkinson_are_continuous_through_zero_and_one(sample, offset):
    x, w = sample
    ge_bound, atkinson_bound = _derivative_bound(x, w)
    for point in (0.0, 1.0):
        at = generalized_entropy(x, w, alpha=point).value
        beside = generalized_entropy(x, w, alpha=point + offset).value
        assert abs(beside - at) <= abs(offset) * ge_bound + 1e-14 * at, point
    at = atkinson(x, w, epsilon=1.0).value
    beside = atkinson(x, w, epsilon=1.0 + offset).value
    assert abs(beside - at) <= abs(offset) * atkinson_bound + 1e-14 * at
    # A(0) = 0, and A(ε) = ε·T + O(ε²) with T the Theil index GE(1).
    small = atkinson(x, w, epsilon=abs(offset)).value
    assert 0 <= small <= abs(offset) * (ge_bound + generalized_entropy(x, w, alpha=1).value)


DECOMPOSITION_ALPHAS = st.one_of(
    st.floats(min_value=-2.0, max_value=4.0, allow_nan=False),
    st.builds(
        lambda point, offset: point + offset,
        st.sampled_from([0.0, 1.0]),
        st.floats(min_value=-1e-3, max_value=1e-3, allow_nan=False),
    ),
    st.sampled_from([point + offset for point in (0.0, 1.0) for offset in OFFSETS]),
)


@settings(max_examples=150, deadline=None)
@given(grouped_values(max_groups=5, max_size=40), DECOMPOSITION_ALPHAS)
def test_decomposition_identity_for_alpha_from_minus_two_to_four(case, alpha):
    x, groups, w = case
    result = decompose_inequality(x, groups, w, measure="ge", alpha=alpha)
    assert result.status == "ok"
    assert abs(result.total - (result.between + result.within)) <= max(1e-12 * result.total, 1e-15)
    if min(abs(alpha), abs(alpha - 1)) > 1e-30:
        assert close(result.total, decimal_ge(x, w, alpha), 1e-11, 1e-15)
    else:  # beyond the reach of the 60-digit reference: continuity with GE(0) or GE(1)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DegenerateDataWarning)  # a single unit
            nearest = generalized_entropy(x, w, alpha=round(alpha)).value
        assert close(result.total, nearest, 1e-12, 1e-15)
