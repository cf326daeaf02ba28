"""Parity indices and the parity band (equity-measures.md §10, §12).

Expected values are worked by hand in the comments; exactness cases are pairs whose decimal
ratio sits on a band edge while floating-point division falls on the other side.
"""

import json
import warnings
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eduequity.core.parity import (
    INDICATOR_DIRECTIONS,
    PARITY_BAND,
    ParityResult,
    parity_index,
    parity_indices,
)
from eduequity.errors import (
    DegenerateDataWarning,
    InvalidArgumentError,
    InvalidTypeError,
    InvalidValueError,
)

rates = st.floats(min_value=1e-4, max_value=1.0, allow_nan=False)


def test_below_the_band():
    # 0.80 / 0.90 = 0.888...: below 0.97 under both indices.
    result = parity_index(0.80, 0.90)
    assert isinstance(result, ParityResult)
    assert result.value == pytest.approx(8 / 9, rel=1e-15)
    assert result.parity_index == result.adjusted_parity_index == result.value
    assert (result.position, result.parity, result.disadvantaged) == ("below", False, "focus")
    assert result.status == "ok"
    assert result.band == PARITY_BAND == (0.97, 1.03)


def test_adjusted_index_above_one():
    # a > b: the adjusted index is 2 - b / a = 2 - 0.8 / 0.9 = 10 / 9.
    result = parity_index(0.90, 0.80)
    assert result.parity_index == 1.125
    assert result.adjusted_parity_index == pytest.approx(10 / 9, rel=1e-15)
    assert result.value == result.adjusted_parity_index
    assert (result.position, result.disadvantaged) == ("above", "reference")
    unadjusted = parity_index(0.90, 0.80, adjusted=False)
    assert unadjusted.value == 1.125
    assert unadjusted.adjusted is False


def test_direction_flips_who_is_disadvantaged():
    # Out-of-school rates: 12 % of girls against 10 % of boys is a disadvantage for girls.
    assert parity_index(0.12, 0.10, indicator_direction="adverse").disadvantaged == "focus"
    assert parity_index(0.12, 0.10).disadvantaged == "reference"
    assert parity_index(0.08, 0.10, indicator_direction="adverse").disadvantaged == "reference"
    assert parity_index(0.10, 0.10, indicator_direction="adverse").disadvantaged is None
    assert INDICATOR_DIRECTIONS == ("favourable", "adverse")


def test_band_edges_are_exact_and_included():
    # 0.02037 / 0.021 is exactly 0.97 but floating-point division gives 0.9699999999999999.
    assert 0.02037 / 0.021 < 0.97
    low_edge = parity_index(0.02037, 0.021, adjusted=False)
    assert (low_edge.position, low_edge.parity) == ("within", True)
    # 0.04429 / 0.043 is exactly 1.03; floats give 1.0300000000000002.
    assert 0.04429 / 0.043 > 1.03
    assert parity_index(0.04429, 0.043, adjusted=False).position == "within"
    assert parity_index(Fraction(97, 100), 1).position == "within"
    assert parity_index(Decimal("0.9699"), 1).position == "below"


def test_adjustment_can_change_the_classification():
    # a / b = 1.0305 is above the band; the adjusted 2 - 1 / 1.0305 = 1.02960 is within.
    result = parity_index(1.0305, 1.0)
    assert result.unadjusted_position == "above"
    assert result.adjusted_position == "within"
    assert result.classification_differs is True
    assert result.parity is True
    assert parity_index(1.0305, 1.0, adjusted=False).parity is False


def test_zero_values():
    assert parity_index(0.0, 0.5).value == 0.0
    with pytest.warns(DegenerateDataWarning, match="zero_reference"):
        result = parity_index(0.5, 0.0)
    assert result.status == "undefined"
    assert (result.value, result.parity_index, result.adjusted_parity_index) == (None,) * 3
    assert (result.position, result.parity, result.disadvantaged) == (None, None, None)
    assert result.warnings[0].code == "zero_reference"


def test_equal_values_give_parity():
    result = parity_index(0.73, 0.73)
    assert (result.value, result.parity_index, result.parity) == (1.0, 1.0, True)


def test_bad_input():
    with pytest.raises(InvalidValueError, match="focus") as caught:
        parity_index(-0.1, 0.5)
    assert caught.value.code == "negative_value"
    with pytest.raises(InvalidValueError, match="NaN"):
        parity_index(0.5, float("nan"))
    with pytest.raises(InvalidValueError, match="finite"):
        parity_index(float("inf"), 0.5)
    with pytest.raises(InvalidTypeError, match="real number"):
        parity_index(focus=True, reference=0.5)
    with pytest.raises(InvalidTypeError, match="real number"):
        parity_index("0.5", 0.5)
    with pytest.raises(InvalidArgumentError, match="band"):
        parity_index(0.5, 0.5, band=(1.03, 0.97))
    with pytest.raises(InvalidArgumentError, match="band"):
        parity_index(0.5, 0.5, band=(0.97,))
    with pytest.raises(InvalidArgumentError, match="indicator_direction"):
        parity_index(0.5, 0.5, indicator_direction="favorable")


def test_custom_band():
    result = parity_index(0.95, 1.0, band=(0.95, 1.05))
    assert result.position == "within"
    assert result.band == (0.95, 1.05)


def test_result_serializes():
    data = parity_index(0.9, 0.8).to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["band"] == [0.97, 1.03]
    assert data["disadvantaged"] == "reference"


def test_vectorized_table_matches_the_scalar_function():
    focus = pd.Series([0.80, 0.97, 1.10, 0.0, 1.0305], index=["a", "b", "c", "d", "e"])
    reference = [0.90, 1.00, 1.00, 0.5, 1.0]
    table = parity_indices(focus, reference, indicator_direction="adverse")
    assert list(table.index) == ["a", "b", "c", "d", "e"]
    for label, a, b in zip(focus.index, focus, reference, strict=True):
        scalar = parity_index(a, b, indicator_direction="adverse")
        row = table.loc[label]
        assert row["value"] == scalar.value
        assert row["position"] == scalar.position
        assert row["parity"] == scalar.parity
        assert row["classification_differs"] == scalar.classification_differs
        expected = scalar.disadvantaged
        assert (row["disadvantaged"] if isinstance(row["disadvantaged"], str) else None) == expected


def test_vectorized_table_zero_reference_warns_once():
    with pytest.warns(DegenerateDataWarning, match="position 1") as record:
        table = parity_indices([0.5, 0.5, 0.4], [0.5, 0.0, 0.0])
    assert len(record) == 1
    assert table["status"].tolist() == ["ok", "undefined", "undefined"]
    assert np.isnan(table["value"].iloc[1])


def test_vectorized_table_input_errors():
    with pytest.raises(InvalidValueError, match="one entry per focus value"):
        parity_indices([0.5, 0.5], [0.5])
    with pytest.raises(InvalidValueError, match="position 1"):
        parity_indices([0.5, -0.5], [0.5, 0.5])


@settings(max_examples=100, deadline=None)
@given(rates, rates)
def test_adjusted_index_is_symmetric_and_bounded(a, b):
    forward = parity_index(a, b).adjusted_parity_index
    backward = parity_index(b, a).adjusted_parity_index
    assert 0 <= forward < 2
    assert forward + backward == pytest.approx(2.0, rel=1e-14)
    # The branch follows a <= b exactly; the float result may round onto 1.0 from either side
    # (e.g. a = 1.0000000000000002e-4, b = 1e-4 gives 2 - b/a = 1 + 1.1e-16 -> 1.0).
    if a <= b:
        assert forward <= 1
    else:
        assert forward >= 1


def test_adjusted_index_just_above_parity_rounds_onto_one():
    # Found by Hypothesis: a > b by one ulp, so the exact index is 2 - b/a = 1 + 1.1e-16,
    # which float64 cannot hold; the upper branch is still taken.
    result = parity_index(1.0000000000000002e-4, 1e-4)
    assert result.adjusted_parity_index == 1.0
    assert result.parity_index > 1.0


@settings(max_examples=100, deadline=None)
@given(rates, rates, st.integers(-30, 30))
def test_scale_invariance(a, b, power):
    # Both values scaled by the same exact power of two: the index is unchanged to rounding.
    factor = 2.0**power
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        before = parity_index(a, b)
        after = parity_index(a * factor, b * factor)
    assert after.value == pytest.approx(before.value, rel=1e-14)
    assert after.parity_index == pytest.approx(before.parity_index, rel=1e-14)
