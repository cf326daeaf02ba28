"""Threshold attainment: the national 6-of-7 rule at its edges, exactness, rates and invariants."""

import json
import math
import operator
from decimal import Decimal
from fractions import Fraction
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.strategies import attainment_matrices

from eduequity.core.attainment import (
    AttainmentRate,
    AttainmentResult,
    assess_attainment,
    attainment_rate,
    attainment_rate_by_group,
    share_meeting,
)
from eduequity.errors import (
    DegenerateDataWarning,
    EduEquityError,
    InvalidArgumentError,
    InvalidTypeError,
    InvalidValueError,
)

# national-method.md §3.1: the seven indicators and their primary-stage standards.
INDICATORS = (
    "qualified_teachers_per_100",
    "backbone_teachers_per_100",
    "pe_arts_teachers_per_100",
    "teaching_area_per_student",
    "sports_area_per_student",
    "equipment_value_per_student",
    "multimedia_rooms_per_100",
)
PRIMARY_STANDARDS = (4.2, 1, 0.9, 4.5, 7.5, 2000, 2.3)
# national-method.md §3.5: the 85% floors of the primary standards, typed as float literals.
PRIMARY_FLOORS = (3.57, 0.85, 0.765, 3.825, 6.375, 1700, 1.955)
# national-method.md §3.1 and §3.5, junior stage.
JUNIOR_STANDARDS = ("5.3", "1", "0.9", "5.8", "10.2", "2500", "2.4")
JUNIOR_FLOORS = (4.505, 0.85, 0.765, 4.93, 8.67, 2125, 2.04)

OPERATORS = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt}


def national(values, **options):
    """The national per-school rule (§3.5): 6 of 7 met, the rest at least 85% of the standard."""
    options.setdefault("min_met", 6)
    options.setdefault("floor_ratio", 0.85)
    return assess_attainment(values, PRIMARY_STANDARDS, indicator_names=INDICATORS, **options)


def at_standard(**changes):
    """A primary unit exactly at every standard, with some indicators changed by position."""
    row = [float(value) for value in PRIMARY_STANDARDS]
    for position, value in changes.items():
        row[int(position.removeprefix("i"))] = value
    return row


def wilson_by_quadratic(p, n, confidence=0.95):
    """Wilson bounds as the roots of (p - t)^2 = z^2 t (1 - t) / n (textbook form)."""
    z = NormalDist().inv_cdf(1 - (1 - confidence) / 2)
    a = 1 + z * z / n
    b = -(2 * p + z * z / n)
    c = p * p
    root = math.sqrt(b * b - 4 * a * c)
    return (-b - root) / (2 * a), (-b + root) / (2 * a)


# --------------------------------------------------------------------------------------------
# The national rule at its edges (national-method.md §3.5)
# --------------------------------------------------------------------------------------------


def test_unit_exactly_at_every_standard_meets_all_seven():
    result = national([at_standard()])
    assert result.met.all()
    assert result.met_count.tolist() == [7]
    assert result.passed.tolist() == [True]
    assert result.status.tolist() == ["pass"]
    assert (result.shortfall == 0).all()


def test_standards_as_text_decimal_and_fraction_give_the_same_decisions():
    values = [at_standard(), at_standard(i3=3.825), at_standard(i3=3.8249999999999997)]
    as_floats = national(values)
    for standards in (
        ["4.2", "1", "0.9", "4.5", "7.5", "2000", "2.3"],
        [Decimal("4.2"), 1, Decimal("0.9"), Decimal("4.5"), Fraction(15, 2), 2000, Decimal("2.3")],
    ):
        other = assess_attainment(values, standards, min_met=6, floor_ratio="0.85")
        assert other.met.tolist() == as_floats.met.tolist()
        assert other.passed.tolist() == as_floats.passed.tolist() == [True, True, False]


@pytest.mark.parametrize("position", range(7))
def test_one_indicator_exactly_at_its_floor_passes(position):
    # The floors of §3.5 typed as floats: 3.57 is not 0.85 × 4.2 in binary, yet it is the floor.
    result = national([at_standard(**{f"i{position}": PRIMARY_FLOORS[position]})])
    assert result.met_count.tolist() == [6]
    assert not result.met[0, position]
    assert result.within_floor[0, position]
    assert result.passed.tolist() == [True]


@pytest.mark.parametrize("position", range(7))
def test_one_indicator_just_below_its_floor_fails(position):
    below = float(np.nextafter(PRIMARY_FLOORS[position], -np.inf))
    result = national([at_standard(**{f"i{position}": below})])
    assert result.met_count.tolist() == [6]
    assert not result.within_floor[0, position]
    assert result.passed.tolist() == [False]
    assert result.status.tolist() == ["fail"]


@pytest.mark.parametrize("position", range(7))
def test_junior_floors_of_the_table_are_reached_exactly(position):
    row = [float(value) for value in JUNIOR_STANDARDS]
    row[position] = JUNIOR_FLOORS[position]
    result = assess_attainment([row], JUNIOR_STANDARDS, min_met=6, floor_ratio=0.85)
    assert result.passed.tolist() == [True]


def test_float_product_below_the_decimal_floor_fails():
    # 0.85 * 4.5 evaluates to 3.8249999999999997 in binary, below the floor 3.825 (§3.5): a value
    # typed as that float is below the floor; a naive comparison with the float product passes.
    assert 0.85 * 4.5 < 3.825
    result = national([at_standard(i3=0.85 * 4.5), at_standard(i3=3.825)])
    assert result.passed.tolist() == [False, True]
    assert result.floors_exact[3] == Fraction("3.825")


def test_floors_are_the_table_of_section_3_5():
    result = national([at_standard()])
    assert result.floors_exact == tuple(Fraction(str(floor)) for floor in PRIMARY_FLOORS)
    assert result.floors.tolist() == [float(floor) for floor in PRIMARY_FLOORS]
    assert result.floor_ratio == Fraction(17, 20)
    assert result.min_met == 6


def test_two_unmet_indicators_fail_even_within_their_floors():
    result = national([at_standard(i0=4.0, i6=2.2)])
    assert result.met_count.tolist() == [5]
    assert result.within_floor.all()
    assert result.passed.tolist() == [False]


def test_one_unmet_indicator_below_its_floor_fails():
    result = national([at_standard(i5=1699)])
    assert result.met_count.tolist() == [6]
    assert result.passed.tolist() == [False]


def test_shortfalls_by_hand():
    # teaching area 4.0 of 4.5 m²: 0.5 short, 1/9 of the standard;
    # equipment 1800 of 2000 yuan: 200 short, 10% of the standard.
    result = national([at_standard(i3=4.0, i5=1800.0)])
    assert result.shortfall[0].tolist() == pytest.approx([0, 0, 0, 0.5, 0, 200, 0], abs=1e-12)
    assert result.shortfall_share[0, 3] == pytest.approx(1 / 9, rel=1e-12)
    assert result.shortfall_share[0, 5] == pytest.approx(0.1, rel=1e-12)
    assert result.met_count.tolist() == [5]
    assert not result.passed[0]


def test_without_floor_only_the_count_matters():
    result = assess_attainment([at_standard(i5=0.0)], PRIMARY_STANDARDS, min_met=6)
    assert result.passed.tolist() == [True]
    assert result.floors is None
    assert result.floors_exact is None
    assert result.within_floor.all()


def test_min_met_defaults_to_all_indicators():
    result = assess_attainment([at_standard(), at_standard(i1=0.99)], PRIMARY_STANDARDS)
    assert result.min_met == 7
    assert result.passed.tolist() == [True, False]


def test_min_met_zero_passes_every_unit_without_floor():
    result = assess_attainment([[0.0, 0.0]], [1, 1], min_met=0)
    assert result.passed.tolist() == [True]


def test_floor_ratio_one_makes_every_unmet_indicator_fail_the_floor():
    result = assess_attainment([[4.1999, 1.0]], [4.2, 1], min_met=1, floor_ratio=1)
    assert result.met_count.tolist() == [1]
    assert result.passed.tolist() == [False]


# --------------------------------------------------------------------------------------------
# Comparators
# --------------------------------------------------------------------------------------------


def test_upper_bound_standard_and_its_floor():
    # At most 45 pupils per class, a "<=" standard; floor_ratio 0.9 puts the floor at 45 / 0.9 = 50.
    values = [[45.0], [46.0], [50.0], [50.0001], [40.0]]
    result = assess_attainment(values, [45], directions="<=", min_met=0, floor_ratio=0.9)
    assert result.met[:, 0].tolist() == [True, False, False, False, True]
    assert result.within_floor[:, 0].tolist() == [True, True, True, False, True]
    assert result.passed.tolist() == [True, True, True, False, True]
    assert result.floors_exact == (Fraction(50),)
    assert result.shortfall[:, 0].tolist() == pytest.approx([0, 1, 5, 5.0001, 0], abs=1e-12)
    assert result.shortfall_share[1, 0] == pytest.approx(1 / 45, rel=1e-12)


def test_strict_comparators_exclude_the_threshold_with_zero_shortfall():
    result = assess_attainment(
        [[2.0, 2.0], [2.5, 1.5]], [2, 2], directions=[">", "<"], floor_ratio="0.5"
    )
    assert result.met.tolist() == [[False, False], [True, True]]
    # At the threshold of a strict comparator nothing is missing, but the value does not meet it.
    assert result.shortfall[0].tolist() == [0.0, 0.0]
    # Floors are inclusive: 2 is above 0.5 × 2 = 1 and below 2 / 0.5 = 4.
    assert result.within_floor[0].tolist() == [True, True]


def test_directions_per_indicator_by_name():
    result = assess_attainment(
        pd.DataFrame({"area": [4.5, 4.0], "class_size": [46.0, 45.0]}),
        {"class_size": 45, "area": 4.5},
        directions={"area": ">=", "class_size": "<="},
    )
    assert result.directions == (">=", "<=")
    assert result.met.tolist() == [[True, False], [False, True]]
    assert result.standards.tolist() == [4.5, 45.0]


# --------------------------------------------------------------------------------------------
# Exactness through exact values
# --------------------------------------------------------------------------------------------


def test_exact_values_decide_a_cell_that_floats_put_below_the_standard():
    derived = 3 * 1.4  # 4.199999999999999 in binary, exactly 4.2 when computed in rationals
    values = [at_standard(), at_standard(i0=derived)]
    exact_cells = np.array([[Fraction(str(v)) for v in at_standard()]] * 2, dtype=object)
    exact_cells[1, 0] = Fraction(42, 10)
    requested = []

    def exact(flat):
        requested.extend(flat.tolist())
        return [exact_cells.flat[index] for index in flat]

    plain = national(values, min_met=7)
    assert plain.met[1, 0] == False  # noqa: E712 - numpy bool
    assert plain.passed.tolist() == [True, False]
    exact_result = national(values, min_met=7, exact_values=exact)
    assert exact_result.passed.tolist() == [True, True]
    # Flat row-major index of unit 1, indicator 0 in a 7-column matrix.
    assert 7 in requested


def test_exact_values_reach_mixed_comparator_columns_by_their_full_index():
    requested = []

    def exact(flat):
        requested.extend(flat.tolist())
        return [Fraction(45) if index % 2 else Fraction(21, 5) for index in flat]

    values = [[4.5, 40.0], [3 * 1.4, 45.000000000000001]]
    result = assess_attainment(values, [4.2, 45], directions=[">=", "<="], exact_values=exact)
    assert result.met.tolist() == [[True, True], [True, True]]
    assert set(requested) == {2, 3}


def test_exact_values_that_do_not_match_the_cell_are_refused():
    with pytest.raises(InvalidValueError, match="exact_values gave 5 at unit at position 0"):
        national([at_standard(i0=4.2)], exact_values=lambda flat: [Fraction(5)] * flat.size)


def test_exact_values_of_the_wrong_length_are_refused():
    with pytest.raises(InvalidValueError, match="returned 0 values for 7 cells"):
        national([at_standard()], exact_values=lambda _flat: [])


def test_decimal_and_fraction_cells_are_read_exactly():
    values = np.array(
        [
            [Fraction(357, 100), 1, 0.9, 4.5, 7.5, 2000, 2.3],
            [Decimal("3.57"), 1, 0.9, 4.5, 7.5, 2000, 2.3],
            [Decimal("3.569999999999"), 1, 0.9, 4.5, 7.5, 2000, 2.3],
        ],
        dtype=object,
    )
    result = national(values)
    assert result.passed.tolist() == [True, True, False]
    assert result.value_matrix[0, 0] == 3.57


# --------------------------------------------------------------------------------------------
# Labels, tidy tables and serialisation
# --------------------------------------------------------------------------------------------


@pytest.fixture
def school_frame():
    rows = {
        "s1#primary": at_standard(),
        "s2#primary": at_standard(i3=3.825),
        "s3#primary": at_standard(i0=4.0, i6=1.9),
    }
    return pd.DataFrame.from_dict(rows, orient="index", columns=list(INDICATORS))


def test_dataframe_gives_names_and_labels(school_frame):
    standards = pd.Series(dict(zip(INDICATORS, PRIMARY_STANDARDS, strict=True))).iloc[::-1]
    result = assess_attainment(school_frame, standards, min_met=6, floor_ratio=0.85)
    assert result.indicator_names == INDICATORS
    assert result.unit_labels == ("s1#primary", "s2#primary", "s3#primary")
    assert result.standards.tolist() == [float(value) for value in PRIMARY_STANDARDS]
    assert result.passed.tolist() == [True, True, False]


def test_to_frame_is_the_per_unit_audit(school_frame):
    frame = assess_attainment(
        school_frame, PRIMARY_STANDARDS, min_met=6, floor_ratio=0.85
    ).to_frame()
    assert list(frame.index) == ["s1#primary", "s2#primary", "s3#primary"]
    assert frame.index.name == "unit"
    assert frame["met_count"].tolist() == [7, 6, 5]
    assert frame["unmet"].tolist() == [
        (),
        ("teaching_area_per_student",),
        ("qualified_teachers_per_100", "multimedia_rooms_per_100"),
    ]
    # 1.9 < 0.85 × 2.3 = 1.955; 4.0 >= 3.57.
    assert frame["below_floor"].tolist() == [(), (), ("multimedia_rooms_per_100",)]
    assert frame["passed"].tolist() == [True, True, False]
    assert frame["status"].tolist() == ["pass", "pass", "fail"]


def test_unmet_frame_lists_every_missed_indicator_with_its_gap(school_frame):
    table = assess_attainment(
        school_frame, PRIMARY_STANDARDS, min_met=6, floor_ratio=0.85
    ).unmet_frame()
    assert table["unit"].tolist() == ["s2#primary", "s3#primary", "s3#primary"]
    assert table["indicator"].tolist() == [
        "teaching_area_per_student",
        "qualified_teachers_per_100",
        "multimedia_rooms_per_100",
    ]
    assert table["value"].tolist() == [3.825, 4.0, 1.9]
    assert table["standard"].tolist() == [4.5, 4.2, 2.3]
    assert table["floor"].tolist() == [3.825, 3.57, 1.955]
    assert table["shortfall"].tolist() == pytest.approx([0.675, 0.2, 0.4], abs=1e-12)
    assert table["within_floor"].tolist() == [True, True, False]
    assert table["unit_status"].tolist() == ["pass", "fail", "fail"]


def test_to_dict_is_json_safe_and_keeps_exact_thresholds(school_frame):
    result = assess_attainment(school_frame, PRIMARY_STANDARDS, min_met=6, floor_ratio=0.85)
    data = json.loads(json.dumps(result.to_dict()))
    assert data["unit_labels"] == ["s1#primary", "s2#primary", "s3#primary"]
    assert data["floors_exact"] == ["3.57", "0.85", "0.765", "3.825", "6.375", "1700", "1.955"]
    assert data["standards_exact"][0] == "4.2"
    assert data["floor_ratio"] == "0.85"
    assert data["passed"] == [True, True, False]
    assert data["n_units"] == 3
    assert data["n_passed"] == 2
    assert data["n_failed"] == 1
    assert data["status"] == ["pass", "pass", "fail"]


def test_to_dict_writes_non_terminating_fractions_as_ratios():
    result = assess_attainment([[50.0]], [45], directions="<=", floor_ratio="0.85")
    assert result.to_dict()["floors_exact"] == ["900/17"]


def test_result_arrays_are_read_only():
    result = national([at_standard()])
    with pytest.raises(ValueError, match="read-only"):
        result.met[0, 0] = False
    with pytest.raises(ValueError, match="read-only"):
        result.passed[0] = False


def test_no_unit_gives_empty_results():
    result = national(np.empty((0, 7)))
    assert result.n_units == 0
    assert result.met.shape == (0, 7)
    assert result.to_frame().empty
    assert result.unmet_frame().empty


# --------------------------------------------------------------------------------------------
# Missing values
# --------------------------------------------------------------------------------------------


def test_missing_value_raises_naming_unit_and_indicator(school_frame):
    school_frame.loc["s2#primary", "sports_area_per_student"] = np.nan
    with pytest.raises(InvalidValueError, match="unit 's2#primary'") as caught:
        assess_attainment(school_frame, PRIMARY_STANDARDS)
    assert "sports_area_per_student" in str(caught.value)
    assert caught.value.code == "missing_value"


def test_missing_values_propagate_as_incomplete_or_certain_fail():
    nan = math.nan
    result = national(
        [
            at_standard(i2=nan),  # the missing value decides: incomplete
            at_standard(i2=nan, i0=4.0),  # 6 present met at most 6 ... needs the missing one
            at_standard(i2=nan, i0=4.0, i1=0.9),  # two misses already: fails whatever
            at_standard(i2=nan, i5=1000.0),  # below a floor already: fails whatever
            at_standard(i2=None),  # None is missing too
        ],
        nan_policy="propagate",
    )
    assert result.status.tolist() == ["incomplete", "incomplete", "fail", "fail", "incomplete"]
    assert result.passed.tolist() == [False] * 5
    assert result.missing[:, 2].all()
    assert not result.met[:, 2].any()
    assert not result.within_floor[:, 2].any()
    assert math.isnan(result.shortfall[0, 2])
    assert result.n_incomplete == 3
    assert result.to_frame()["missing"].tolist()[0] == ("pe_arts_teachers_per_100",)


def test_a_unit_with_a_missing_value_never_passes():
    # Even when the rule would not depend on the missing value (no floor, 6 of 7 met).
    result = assess_attainment(
        [at_standard(i4=math.nan)], PRIMARY_STANDARDS, min_met=6, nan_policy="propagate"
    )
    assert result.status.tolist() == ["incomplete"]
    assert result.passed.tolist() == [False]


# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"standards": PRIMARY_STANDARDS[:6]}, InvalidValueError, "expected 7"),
        ({"standards": "4.2"}, InvalidTypeError, "one entry per indicator"),
        ({"standards": {"a": 1}}, InvalidValueError, "missing"),
        ({"directions": [">="] * 6}, InvalidValueError, "expected 7"),
        ({"directions": "=="}, InvalidArgumentError, "direction of indicator '0'"),
        ({"min_met": 8}, InvalidArgumentError, r"min_met must be in \[0, 7\]"),
        ({"min_met": -1}, InvalidArgumentError, r"min_met must be in \[0, 7\]"),
        ({"min_met": 6.0}, InvalidTypeError, "min_met must be an integer"),
        ({"min_met": True}, InvalidTypeError, "min_met must be an integer"),
        ({"floor_ratio": 0}, InvalidArgumentError, r"floor_ratio must be in \(0, 1\]"),
        ({"floor_ratio": 1.2}, InvalidArgumentError, r"floor_ratio must be in \(0, 1\]"),
        ({"floor_ratio": "85%"}, InvalidValueError, "floor_ratio must be a finite number"),
        ({"floor_ratio": math.nan}, InvalidValueError, "floor_ratio must be a finite number"),
        ({"nan_policy": "omit"}, InvalidArgumentError, "nan_policy"),
        ({"indicator_names": ["a"] * 7}, InvalidValueError, "unique"),
        ({"indicator_names": ["a"]}, InvalidValueError, "indicator_names"),
        ({"unit_labels": ["x", "y"]}, InvalidValueError, "unit_labels"),
    ],
)
def test_bad_arguments_are_named(kwargs, error, message):
    arguments = {"standards": PRIMARY_STANDARDS, **kwargs}
    standards = arguments.pop("standards")
    with pytest.raises(error, match=message) as caught:
        assess_attainment([at_standard()], standards, **arguments)
    assert isinstance(caught.value, EduEquityError)


@pytest.mark.parametrize(
    ("standard", "error", "message"),
    [
        ("four", InvalidValueError, "indicator '1' must be a finite number"),
        (None, InvalidTypeError, "indicator '1' must be a number"),
        (math.inf, InvalidValueError, "indicator '1' must be a finite number"),
        (True, InvalidTypeError, "indicator '1' must be a number"),
    ],
)
def test_bad_standards_are_named(standard, error, message):
    with pytest.raises(error, match=message):
        assess_attainment([[1.0, 1.0]], [1, standard])


def test_non_positive_standard_is_refused_with_a_floor_only():
    with pytest.raises(InvalidValueError, match="indicator 'b' must be > 0 when floor_ratio"):
        assess_attainment([[1.0, 1.0]], [1, 0], indicator_names=["a", "b"], floor_ratio=0.85)
    result = assess_attainment([[1.0, -1.0]], [1, 0], indicator_names=["a", "b"])
    assert result.met.tolist() == [[True, False]]
    assert result.shortfall[0, 1] == 1.0
    assert math.isnan(result.shortfall_share[0, 1])


def test_text_value_is_refused_naming_unit_and_indicator(school_frame):
    frame = school_frame.astype(object)
    frame.loc["s3#primary", "equipment_value_per_student"] = "2000元"
    with pytest.raises(
        InvalidTypeError, match="unit 's3#primary', indicator 'equipment_value"
    ) as e:
        assess_attainment(frame, PRIMARY_STANDARDS)
    assert e.value.code == "not_a_number"


def test_text_matrix_is_refused():
    with pytest.raises(InvalidTypeError, match="real numbers"):
        assess_attainment([["4.2", "1"]], [4.2, 1])


def test_infinite_value_is_refused_by_position():
    with pytest.raises(InvalidValueError, match="unit at position 1, indicator '0'"):
        assess_attainment([[1.0], [math.inf]], [1])


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ([4.2, 1.0], "2-dimensional"),
        (np.empty((3, 0)), "no indicator"),
        ([[1.0], [1, 2]], "rectangular"),
    ],
)
def test_bad_shapes_are_refused(values, message):
    with pytest.raises(InvalidValueError, match=message) as caught:
        assess_attainment(values, [1])
    assert caught.value.code == "bad_shape"


# --------------------------------------------------------------------------------------------
# Properties of the rule
# --------------------------------------------------------------------------------------------


def brute_force(values, standards, directions, min_met, floor_ratio):
    """Decide every cell in rational arithmetic, the value read as the decimal it prints as."""
    ratio = Fraction(str(floor_ratio)) if floor_ratio is not None else None
    passed = []
    met = []
    for row in values:
        met_row = []
        floors_ok = True
        for value, standard_text, comparator in zip(row, standards, directions, strict=True):
            exact = Fraction(repr(float(value)))
            standard = Fraction(standard_text)
            meets = OPERATORS[comparator](exact, standard)
            met_row.append(meets)
            if not meets and ratio is not None:
                floors_ok &= (
                    exact >= ratio * standard
                    if comparator in (">=", ">")
                    else exact <= standard / ratio
                )
        met.append(met_row)
        passed.append(sum(met_row) >= min_met and floors_ok)
    return met, passed


rule_options = st.tuples(
    st.integers(min_value=0, max_value=7), st.sampled_from([None, "0.85", 0.9, 1])
)


@settings(max_examples=150, deadline=None)
@given(case=attainment_matrices(), options=rule_options)
def test_decisions_equal_a_rational_brute_force(case, options):
    values, standards, directions = case
    min_met = min(options[0], len(standards))
    floor_ratio = options[1]
    result = assess_attainment(
        values, standards, directions=directions, min_met=min_met, floor_ratio=floor_ratio
    )
    met, passed = brute_force(values, standards, directions, min_met, floor_ratio)
    assert result.met.tolist() == met
    assert result.passed.tolist() == passed
    assert result.met_count.tolist() == [sum(row) for row in met]


@settings(max_examples=100, deadline=None)
@given(case=attainment_matrices(), options=rule_options, data=st.data())
def test_permuting_units_permutes_every_result(case, options, data):
    values, standards, directions = case
    min_met = min(options[0], len(standards))
    order = np.array(data.draw(st.permutations(range(values.shape[0]))), dtype=np.int64)
    common = {"directions": directions, "min_met": min_met, "floor_ratio": options[1]}
    whole = assess_attainment(values, standards, **common)
    permuted = assess_attainment(values[order], standards, **common)
    for field in ("met", "within_floor", "met_count", "passed", "status"):
        assert getattr(permuted, field).tolist() == getattr(whole, field)[order].tolist()
    np.testing.assert_array_equal(permuted.shortfall, whole.shortfall[order])


@settings(max_examples=100, deadline=None)
@given(
    case=attainment_matrices(directions=">="),
    options=rule_options,
    raises=st.lists(st.floats(min_value=0, max_value=100), min_size=49, max_size=49),
)
def test_raising_values_never_turns_a_pass_into_a_fail(case, options, raises):
    values, standards, _ = case
    min_met = min(options[0], len(standards))
    increments = np.resize(np.array(raises), values.shape)
    common = {"min_met": min_met, "floor_ratio": options[1]}
    before = assess_attainment(values, standards, **common)
    after = assess_attainment(values + increments, standards, **common)
    assert not (before.passed & ~after.passed).any()
    assert (after.met_count >= before.met_count).all()


# --------------------------------------------------------------------------------------------
# Rates
# --------------------------------------------------------------------------------------------


def test_unit_rate_by_hand():
    rate = attainment_rate([True, True, False, True])
    assert rate.rate == 0.75
    assert (rate.n_units, rate.n_passed, rate.n_omitted) == (4, 3, 0)
    assert rate.weight_sum == 4.0
    assert rate.n_effective == 4.0
    assert rate.basis == "units"
    assert rate.status == "ok"
    low, high = wilson_by_quadratic(0.75, 4)
    assert rate.ci_low == pytest.approx(low, rel=1e-12)
    assert rate.ci_high == pytest.approx(high, rel=1e-12)


def test_weighted_rate_by_hand():
    # 600 of 1000 pupils are in passing schools; Kish size 1000² / 300 000 = 10/3.
    rate = attainment_rate(np.array([1, 1, 0, 1]), [100, 200, 400, 300], confidence=0.9)
    assert rate.rate == 0.6
    assert rate.weight_sum == 1000.0
    assert rate.weight_passed == 600.0
    assert rate.n_effective == pytest.approx(10 / 3, rel=1e-15)
    assert rate.basis == "weights"
    low, high = wilson_by_quadratic(0.6, 10 / 3, confidence=0.9)
    assert (rate.ci_low, rate.ci_high) == pytest.approx((low, high), rel=1e-12)
    assert rate.confidence == 0.9


def test_rate_accepts_an_attainment_result_column():
    result = national([at_standard(), at_standard(i0=1.0)])
    assert attainment_rate(result.passed).rate == 0.5


def test_rate_of_no_unit_is_undefined_and_warns():
    with pytest.warns(DegenerateDataWarning, match="undefined"):
        rate = attainment_rate([])
    assert rate.status == "undefined"
    assert math.isnan(rate.rate)
    assert math.isnan(rate.ci_low)
    assert rate.to_dict()["rate"] is None
    json.dumps(rate.to_dict())


def test_rate_to_dict_is_json_safe():
    data = json.loads(json.dumps(attainment_rate([True, False]).to_dict()))
    assert data["rate"] == 0.5
    assert data["basis"] == "units"
    assert isinstance(attainment_rate([True]), AttainmentRate)


@pytest.mark.parametrize(
    ("passed", "weights", "confidence", "error", "message"),
    [
        ([True, 2], None, 0.95, InvalidValueError, "position 1"),
        ([True, math.nan], None, 0.95, InvalidValueError, "position 1"),
        (np.array([True, "yes"], dtype=object), None, 0.95, InvalidTypeError, "position 1"),
        ([[True]], None, 0.95, InvalidValueError, "1-dimensional"),
        ([True, False], [1, -1], 0.95, InvalidValueError, "negative"),
        ([True, False], [1], 0.95, InvalidValueError, "expected 2"),
        ([True, False], [1, math.nan], 0.95, InvalidValueError, "missing"),
        ([True, False], [0, 0], 0.95, InvalidValueError, "all zero"),
        ([True, False], None, 1.5, InvalidArgumentError, "confidence"),
    ],
)
def test_bad_rate_inputs_are_named(passed, weights, confidence, error, message):
    with pytest.raises(error, match=message):
        attainment_rate(passed, weights, confidence=confidence)


def test_grouped_rate_by_hand():
    frame = attainment_rate_by_group(
        [True, False, True, True, False], ["b", "a", "b", "a", "a"], [10, 20, 30, 40, 50]
    )
    assert list(frame.index) == ["a", "b"]
    assert frame.index.name == "group"
    assert frame["n_units"].tolist() == [3, 2]
    assert frame["n_passed"].tolist() == [1, 2]
    assert frame["weight_sum"].tolist() == [110.0, 40.0]
    assert frame["weight_passed"].tolist() == [40.0, 40.0]
    assert frame["rate"].tolist() == [40 / 110, 1.0]
    # Kish: 110² / (20² + 40² + 50²) and 40² / (10² + 30²).
    assert frame["n_effective"].tolist() == pytest.approx([12100 / 4500, 1600 / 1000])


def test_grouped_rate_without_weights_counts_units():
    frame = attainment_rate_by_group([1, 0, 1], [2020, 2021, 2020])
    assert list(frame.index) == [2020, 2021]
    assert frame["rate"].tolist() == [1.0, 0.0]
    assert frame["weight_sum"].tolist() == [2.0, 1.0]


def test_grouped_rate_warns_for_a_group_without_weight():
    with pytest.warns(DegenerateDataWarning, match="group b"):
        frame = attainment_rate_by_group([True, True], ["a", "b"], [5, 0])
    assert frame["rate"].iloc[0] == 1.0
    assert math.isnan(frame["rate"].iloc[1])


def test_grouped_rate_refuses_missing_group_labels():
    with pytest.raises(InvalidValueError, match="position 1"):
        attainment_rate_by_group([True, True], ["a", None])
    with pytest.raises(InvalidValueError, match="expected 2"):
        attainment_rate_by_group([True, True], ["a"])


def test_grouped_rate_of_no_unit_is_empty():
    frame = attainment_rate_by_group([], [])
    assert frame.empty
    assert list(frame.columns) == [
        "n_units",
        "n_passed",
        "weight_sum",
        "weight_passed",
        "n_effective",
        "rate",
    ]


grouped_flags = st.integers(min_value=1, max_value=40).flatmap(
    lambda n: st.tuples(
        st.lists(st.booleans(), min_size=n, max_size=n),
        st.lists(st.sampled_from(["county_c", "county_a", "county_b"]), min_size=n, max_size=n),
        st.lists(st.floats(min_value=0.01, max_value=1e4), min_size=n, max_size=n),
    )
)


@settings(max_examples=100, deadline=None)
@given(case=grouped_flags)
def test_grouped_rate_equals_the_rate_of_each_group(case):
    passed, groups, weights = case
    frame = attainment_rate_by_group(passed, groups, weights)
    assert list(frame.index) == sorted(set(groups))
    for group in frame.index:
        members = [i for i, label in enumerate(groups) if label == group]
        alone = attainment_rate([passed[i] for i in members], [weights[i] for i in members])
        row = frame.loc[group]
        assert row["n_units"] == alone.n_units
        assert row["n_passed"] == alone.n_passed
        assert row["rate"] == pytest.approx(alone.rate, rel=1e-12, abs=1e-15)
        assert row["weight_sum"] == pytest.approx(alone.weight_sum, rel=1e-12)
        assert row["n_effective"] == pytest.approx(alone.n_effective, rel=1e-12)
    whole = attainment_rate(passed, weights)
    merged = frame["weight_passed"].sum() / frame["weight_sum"].sum()
    assert merged == pytest.approx(whole.rate, rel=1e-12, abs=1e-15)


@settings(max_examples=60, deadline=None)
@given(case=grouped_flags, data=st.data())
def test_grouped_rate_does_not_depend_on_row_order(case, data):
    passed, groups, weights = case
    order = data.draw(st.permutations(range(len(passed))))
    frame = attainment_rate_by_group(passed, groups, weights)
    shuffled = attainment_rate_by_group(
        [passed[i] for i in order], [groups[i] for i in order], [weights[i] for i in order]
    )
    pd.testing.assert_frame_equal(frame, shuffled, check_exact=True)
    assert attainment_rate(passed, weights) == attainment_rate(
        [passed[i] for i in order], [weights[i] for i in order]
    )


@settings(max_examples=60, deadline=None)
@given(
    flags=st.lists(st.booleans(), min_size=1, max_size=30),
    counts=st.lists(st.integers(min_value=1, max_value=3000), min_size=30, max_size=30),
)
def test_integer_weights_rate_is_exact(flags, counts):
    weights = counts[: len(flags)]
    rate = attainment_rate(flags, weights)
    passed_weight = sum(w for w, f in zip(weights, flags, strict=True) if f)
    assert rate.rate == passed_weight / sum(weights)
    assert rate.n_effective == pytest.approx(sum(weights) ** 2 / sum(w * w for w in weights))


# --------------------------------------------------------------------------------------------
# One standard: share of units or of pupils (equity-measures.md §11)
# --------------------------------------------------------------------------------------------


def test_share_of_units_and_of_pupils_by_hand():
    values = [7.5, 6.0, 9.2, 7.4999]
    units = share_meeting(values, "7.5")
    assert (units.rate, units.n_passed, units.basis) == (0.5, 2, "units")
    pupils = share_meeting(values, 7.5, weights=[400, 100, 300, 200], basis="pupils")
    assert pupils.rate == 0.7
    assert pupils.basis == "pupils"
    assert pupils.n_effective == pytest.approx(1000**2 / 300_000)
    low, high = wilson_by_quadratic(0.7, 1000**2 / 300_000)
    assert (pupils.ci_low, pupils.ci_high) == pytest.approx((low, high), rel=1e-12)


@pytest.mark.parametrize(
    ("comparator", "expected"), [(">=", 0.75), (">", 0.25), ("<=", 0.75), ("<", 0.25)]
)
def test_share_with_each_comparator(comparator, expected):
    assert share_meeting([45, 46, 44, 45.0], 45, comparator=comparator).rate == expected


def test_share_decides_at_the_threshold_exactly():
    # 0.85 * 4.5 is below 3.825 as typed; Decimal cells are exact.
    values = np.array([3.825, 0.85 * 4.5, Decimal("3.825"), Fraction(153, 40)], dtype=object)
    share = share_meeting(values, Decimal("3.825"))
    assert share.n_passed == 3


def test_share_omits_missing_values_and_counts_them():
    share = share_meeting([7.5, math.nan, 6.0], 7.5, nan_policy="omit")
    assert (share.rate, share.n_units, share.n_omitted) == (0.5, 2, 1)
    with pytest.raises(InvalidValueError, match="position 1"):
        share_meeting([7.5, math.nan, 6.0], 7.5)


def test_share_of_nothing_left_is_undefined():
    with pytest.warns(DegenerateDataWarning):
        share = share_meeting([math.nan], 7.5, nan_policy="omit")
    assert share.status == "undefined"
    assert share.n_omitted == 1


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"weights": [1, 2]}, InvalidArgumentError, "basis='pupils'"),
        ({"basis": "pupils"}, InvalidArgumentError, "needs weights"),
        ({"basis": "schools"}, InvalidArgumentError, "basis"),
        ({"comparator": "=="}, InvalidArgumentError, "comparator"),
        ({"nan_policy": "propagate"}, InvalidArgumentError, "nan_policy"),
        ({"confidence": 0}, InvalidArgumentError, "confidence"),
    ],
)
def test_bad_share_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        share_meeting([1.0, 2.0], 1, **kwargs)


def test_share_refuses_bad_values():
    with pytest.raises(InvalidTypeError, match="position 1"):
        share_meeting(np.array([1.0, "x"], dtype=object), 1)
    with pytest.raises(InvalidValueError, match="1-dimensional"):
        share_meeting([[1.0]], 1)
    with pytest.raises(InvalidValueError, match="threshold must be a finite number"):
        share_meeting([1.0], "one")


@settings(max_examples=100, deadline=None)
@given(case=attainment_matrices(max_indicators=1))
def test_share_equals_the_rate_of_a_one_indicator_assessment(case):
    values, standards, directions = case
    if values.shape[0] == 0:
        return
    share = share_meeting(values[:, 0], standards[0], comparator=directions[0])
    result = assess_attainment(values, standards, directions=directions)
    assert share.rate == attainment_rate(result.passed).rate
    assert share.n_passed == result.n_passed


def test_result_type():
    assert isinstance(national([at_standard()]), AttainmentResult)


@pytest.mark.parametrize("n_indicators", [3, 70])
def test_unmet_names_per_unit_for_few_and_many_indicators(n_indicators):
    rng = np.random.default_rng(n_indicators)
    values = rng.integers(0, 2, size=(20, n_indicators)).astype(float)
    frame = assess_attainment(values, [1] * n_indicators).to_frame()
    expected = [tuple(str(j) for j in range(n_indicators) if row[j] < 1) for row in values]
    assert frame["unmet"].tolist() == expected
    assert frame["met_count"].tolist() == [int(row.sum()) for row in values]


def test_the_callers_arrays_are_left_writable_and_unchanged():
    values = np.array([at_standard(i0=4.0)])
    frame = pd.DataFrame(values.copy(), columns=list(INDICATORS))
    national(values)
    national(frame)
    values[0, 0] = 5.0
    frame.iloc[0, 0] = 5.0
    assert frame.iloc[0, 0] == values[0, 0] == 5.0
