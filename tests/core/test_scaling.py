"""Every generic measure at the numerical edges (equity-measures.md §12.1-§12.2; issue 9).

- Scale invariance over the whole float range: ``x -> c·x`` for ``c`` from 1e-300 to 1e300.
  A power of two scales every rounding with it, so the results are then bit for bit the same;
  a decimal factor rounds each value once, so they agree to rounding.
- Weights are proportions: integer counts, the same weights as shares (``w / w.sum()``) and
  rescaled weights (by up to 1e±200) give the same results, and the same decisions (medians,
  quantiles, statuses) exactly.
"""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.strategies import (
    binary_exponents,
    extreme_scales,
    values_and_counts,
    values_and_weights,
)

from eduequity.core import (
    atkinson,
    attainment_rate,
    coefficient_of_variation,
    coefficient_of_variation_by_group,
    decompose_inequality,
    federal_range_ratio,
    generalized_entropy,
    gini,
    kish_effective_size,
    max_min_ratio,
    mcloone_index,
    mean_log_deviation,
    parity_indices,
    restricted_range,
    theil,
    verstegen_index,
    weighted_quantile,
)
from eduequity.core.finance import wealth_correlation, wealth_elasticity
from eduequity.errors import DegenerateDataWarning

QUANTILES = [0.0, 0.05, 0.25, 0.5, 0.75, 0.95, 1.0]


def _groups(n):
    return [f"g{i % 3}" for i in range(n)]


def _wealth(x):
    """A second variable for wealth neutrality, not proportional to ``x``."""
    return np.sqrt(x[::-1] * float(np.max(x))) + x


def _measures(x, w, z=None):
    """Every scale-invariant generic measure of (x, w), as name -> number or decision.

    ``z`` is the wealth variable (default :func:`_wealth` of ``x``).
    """
    z = _wealth(x) if z is None else z
    results = {
        "cv": coefficient_of_variation(x, w),
        "cv_by_group": tuple(coefficient_of_variation_by_group(x, _groups(x.size), w)),
        "gini": gini(x, w).value,
        "theil": theil(x, w).value,
        "mld": mean_log_deviation(x, w).value,
        "wealth_correlation": wealth_correlation(x, z, w).value,
        "federal_range_ratio": federal_range_ratio(x, w).value,
        "max_min_ratio": max_min_ratio(x, w).value,
    }
    for alpha in (-1.0, 0.5, 2.0, 3.0, 1.0 + 1e-9, 1e-9):
        results[f"ge({alpha})"] = generalized_entropy(x, w, alpha=alpha).value
    for epsilon in (0.5, 1.0, 2.0, 1e-9):
        results[f"atkinson({epsilon})"] = atkinson(x, w, epsilon=epsilon).value
    decomposition = decompose_inequality(x, _groups(x.size), w, measure="ge", alpha=0.999)
    results["decomposition"] = (decomposition.total, decomposition.between, decomposition.within)
    for rule in ("strict", "inclusive"):
        for name, function in (("mcloone", mcloone_index), ("verstegen", verstegen_index)):
            result = function(x, w, tie_rule=rule)
            results[f"{name}({rule})"] = result.value
            results[f"{name}({rule}).status"] = result.status
    return results


def _parity(x):
    table = parity_indices(x, x[::-1])
    return tuple(table["value"]), tuple(table["position"])


def _quiet(function, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateDataWarning)  # single units, empty sides
        return function(*args)


def _close(left, right, rel, absolute=0.0):
    if isinstance(left, tuple):
        return all(_close(a, b, rel, absolute) for a, b in zip(left, right, strict=True))
    if isinstance(left, str) or left is None:
        return left == right
    if math.isnan(left):
        return math.isnan(right)
    return abs(left - right) <= max(rel * abs(right), absolute)


# --------------------------------------------------------------------------------------------
# Scale invariance, 1e-300 .. 1e300
# --------------------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(values_and_weights(min_size=2, max_size=20), binary_exponents)
def test_powers_of_two_leave_every_measure_bit_identical(sample, exponent):
    x, w = sample
    scaled = np.ldexp(x, exponent)
    before = _quiet(_measures, x, w)
    after = _quiet(_measures, scaled, w, np.ldexp(_wealth(x), exponent))
    assert after == before
    assert _quiet(_parity, scaled) == _quiet(_parity, x)
    quantiles = weighted_quantile(x, QUANTILES, w)
    assert np.array_equal(weighted_quantile(scaled, QUANTILES, w), np.ldexp(quantiles, exponent))


@settings(max_examples=60, deadline=None)
@given(values_and_weights(min_size=2, max_size=20), extreme_scales)
def test_every_measure_is_scale_invariant_from_1e_minus_300_to_1e300(sample, factor):
    x, w = sample
    scaled = x * factor
    before = _quiet(_measures, x, w)
    after = _quiet(_measures, scaled, w, _wealth(x) * factor)
    for name, value in before.items():
        assert _close(after[name], value, 1e-9, 1e-13), name
    values, positions = _quiet(_parity, x)
    scaled_values, scaled_positions = _quiet(_parity, scaled)
    assert _close(scaled_values, values, 1e-12)
    # Positions are decided exactly on the numbers given; rounding x * c moves an index by
    # 1e-16 at most, which changes nothing but a value within that distance of a band edge.
    edges = (0.97, 1.03)
    assert all(
        a == b or min(abs(v - edge) for edge in edges) < 1e-12
        for a, b, v in zip(positions, scaled_positions, values, strict=True)
    )
    # The elasticity regresses logarithms: ln(c·x) = ln c + ln x, and the deviations from
    # their mean carry the rounding of ln c (|ln c| <= 691), so it agrees to 1e-9 only.
    z = _wealth(x)
    elasticity = _quiet(wealth_elasticity, x, z, w).value
    assert _close(_quiet(wealth_elasticity, scaled, z * factor, w).value, elasticity, 1e-9, 1e-9)
    # Quantiles are units' values: the same unit is picked.
    quantiles = weighted_quantile(x, QUANTILES, w)
    picked = [scaled[np.flatnonzero(x == value)[0]] for value in quantiles]
    assert np.array_equal(weighted_quantile(scaled, QUANTILES, w), picked)
    low, high = restricted_range(x, w).value, restricted_range(scaled, w).value
    assert _close(high, low * factor, 1e-9, 1e-13 * factor * float(np.max(x)))


def test_issue_examples_at_extreme_scales():
    base = np.array([1.0, 2.0, 3.0, 4.0])
    weights = np.array([1.0, 2.0, 3.0, 6.0])
    for factor in (1e-300, 1e-170, 1e170, 1e300):
        assert coefficient_of_variation(base * factor) == pytest.approx(
            0.4472135954999579, rel=1e-15, abs=0
        )
        assert gini(base * factor, weights * 1e200).value == pytest.approx(
            gini(base, weights).value, rel=1e-14, abs=0
        )
        assert mcloone_index(base * factor, weights * 1e-200).value == pytest.approx(
            mcloone_index(base, weights).value, rel=1e-14, abs=0
        )


# --------------------------------------------------------------------------------------------
# Integer, share and rescaled weights
# --------------------------------------------------------------------------------------------


def _decisions(x, w):
    """The results that pick units: quantiles, medians and statuses (must agree exactly)."""
    decisions = {"quantiles": tuple(weighted_quantile(x, QUANTILES, w))}
    for low, high in ((0.05, 0.95), (0.25, 0.75)):
        result = restricted_range(x, w, low=low, high=high)
        decisions[f"range({low})"] = (
            result.details["quantile_low"],
            result.details["quantile_high"],
        )
    for function in (mcloone_index, verstegen_index):
        for median_rule in ("weighted_inverted_cdf", "weighted_average_at_ties"):
            for tie_rule in ("strict", "inclusive"):
                result = function(x, w, median_rule=median_rule, tie_rule=tie_rule)
                key = f"{function.__name__}({median_rule}, {tie_rule})"
                decisions[key] = (result.status, result.details["median"])
    return decisions


WEIGHT_SCALES = st.one_of(
    extreme_scales.filter(lambda c: 1e-200 <= c <= 1e200),
    binary_exponents.map(lambda e: math.ldexp(1.0, e // 2)),
    st.sampled_from([0.1, 1 / 3, 1 / 7, 12.0, 1e200, 1e-200]),
)


@settings(max_examples=100, deadline=None)
@given(values_and_counts(), WEIGHT_SCALES)
def test_counts_shares_and_rescaled_weights_give_the_same_results(sample, factor):
    x, counts = sample
    integer = counts.astype(np.float64)
    shares = integer / integer.sum()
    rescaled = integer * factor
    expected_decisions = _quiet(_decisions, x, integer)
    expected = _quiet(_measures, x, integer)
    for weights in (shares, rescaled):
        assert _quiet(_decisions, x, weights) == expected_decisions
        measures = _quiet(_measures, x, weights)
        for name, value in expected.items():
            assert _close(measures[name], value, 1e-12, 1e-15), name
    elasticity = _quiet(wealth_elasticity, x, _wealth(x), integer).value
    for weights in (shares, rescaled):
        other = _quiet(wealth_elasticity, x, _wealth(x), weights).value
        assert _close(other, elasticity, 1e-12, 1e-15)
    kish = kish_effective_size(integer)
    assert kish_effective_size(rescaled) == pytest.approx(kish, rel=1e-14, abs=0)
    passed = x > np.median(x)
    rate = attainment_rate(passed, integer)
    for weights in (shares, rescaled):
        other = attainment_rate(passed, weights)
        assert other.rate == pytest.approx(rate.rate, rel=1e-14, abs=0)
        assert other.n_effective == pytest.approx(rate.n_effective, rel=1e-14, abs=0)


def test_issue_example_mcloone_counts_and_shares():
    # Cumulative shares 1/12, 3/12, 6/12 = 1/2 exactly, so the median is 120 and McLoone is
    # (100 + 2 * 110) / 3 / 120 = 0.8889. As float shares 6/12 is 0.49999999999999994, which
    # gave the median 130 (0.8718), and an empty Verstegen side.
    values = [100, 110, 120, 130]
    counts = np.array([1.0, 2.0, 3.0, 6.0])
    for weights in (counts, counts / 12, counts * 0.1, counts * 1e200):
        assert mcloone_index(values, weights).value == pytest.approx(
            320 / 3 / 120, rel=1e-15, abs=0
        )
        verstegen = verstegen_index(values, weights)
        assert verstegen.status == "ok"
        assert verstegen.value == pytest.approx(130 / 120, rel=1e-15, abs=0)
        assert weighted_quantile(values, 0.5, weights) == 120.0
        average = mcloone_index(values, weights, median_rule="weighted_average_at_ties")
        assert average.details["median"] == 125.0
