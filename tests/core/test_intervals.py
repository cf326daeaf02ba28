"""The Wilson interval and the Kish effective size (social-recognition.md §7)."""

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from eduequity.core.intervals import kish_effective_size, wilson_interval


def exact_wilson(p, n, confidence=0.95):
    """The two roots of (1 + z²/n) θ² - (2p + z²/n) θ + p² = 0, computed in exact fractions
    except for the square root (an integer square root to 2**-400)."""
    z = Fraction(float(stats.norm.ppf(1 - (1 - confidence) / 2)))
    p, n = Fraction(p), Fraction(n)
    a, b, c = 1 + z * z / n, -(2 * p + z * z / n), p * p
    discriminant = b * b - 4 * a * c
    scale = 2**400
    root = Fraction(math.isqrt(int(discriminant * scale * scale)), scale)
    return float((-b - root) / (2 * a)), float((-b + root) / (2 * a))


def test_bounds_are_exactly_zero_and_one_at_the_ends():
    # Issue 9: 0.9999999999999999 and 2e-19 before.
    assert wilson_interval(1.0, 10).high == 1.0
    assert wilson_interval(0.0, 1000).low == 0.0
    for n in (1, 3.5, 10, 1000, 1e9):
        assert wilson_interval(0.0, n).low == 0.0
        assert wilson_interval(1.0, n).high == 1.0
        assert 0.0 < wilson_interval(0.0, n).high < 1.0
        assert 0.0 < wilson_interval(1.0, n).low < 1.0


def test_normative_example():
    # social-recognition.md §7: 860 positive answers out of 1000.
    interval = wilson_interval(0.86, 1000)
    assert (round(interval.low, 5), round(interval.high, 5)) == (0.83711, 0.88013)


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(
        st.floats(min_value=0.0, max_value=1.0),
        st.sampled_from([0.0, 1.0, 1e-9, 1 - 1e-9, 0.5]),
    ),
    st.floats(min_value=0.5, max_value=1e8),
)
def test_bounds_are_the_exact_roots_to_rounding(p, n):
    low, high = exact_wilson(p, n)
    interval = wilson_interval(p, n)
    # Relative to each bound (small proportions keep their digits), and to 1 - bound near 1.
    assert interval.low == pytest.approx(low, rel=1e-14, abs=1e-100)
    assert 1 - interval.high == pytest.approx(1 - high, rel=1e-13, abs=1e-16)
    assert 0.0 <= interval.low <= p <= interval.high <= 1.0


def test_small_proportions_keep_their_relative_precision():
    # c - h cancelled: a proportion of 1e-6 out of 1000 lost six digits of its lower bound.
    low, _ = exact_wilson(1e-6, 1000)
    assert wilson_interval(1e-6, 1000).low == pytest.approx(low, rel=1e-14, abs=0)


def test_kish_effective_size_of_extreme_weights():
    # Squares of 1e200 overflowed (NaN); the size does not depend on the scale of the weights.
    for factor in (1e-300, 1e-200, 1e200, 1e300):
        assert kish_effective_size(np.array([1.0, 3.0]) * factor) == pytest.approx(
            1.6, rel=1e-15, abs=0
        )
