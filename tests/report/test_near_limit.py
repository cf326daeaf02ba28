"""A value beside its limit keeps the digits that decide it (a CV of 0.5004 fails ``≤ 0.50``).

The county is two primary schools of 500 pupils each, exactly at every primary standard of
``national-method.md`` §3.1 (the template row below) except the equipment value. With equal
enrolments and per-pupil values a and b, the enrolment-weighted mean is (a + b)/2 and the
population standard deviation |a − b|/2, so CV = |a − b|/(a + b). With a = 7502 and
b = 2498 yuan per pupil: CV = 5004/10000 = 0.5004 exactly, above the primary limit 0.50
(§3.7), while both schools meet the 2000-yuan standard.
"""

import re
from fractions import Fraction

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eduequity.national import assess_counties, assess_county
from eduequity.report import render_counties, render_county
from eduequity.report._format import against_limit, limit_decimals, limit_number, smart

# national-method.md §3.1, primary: 21/500 -> 4.2 qualified teachers per 100; 5 -> 1.0
# backbone; 5 -> 1.0 PE/arts (>= 0.9); (2600 - 350)/500 = 4.5 m²; (3400 + 350)/500 = 7.5 m²;
# 12 rooms -> 2.4 per 100 (>= 2.3).
AT_STANDARD_PRIMARY = {
    "county": "甲县",
    "school_type": "primary",
    "students_primary": 500,
    "students_junior": 0,
    "students_senior": 0,
    "qualified_teachers_primary": 21,
    "qualified_teachers_junior": 0,
    "backbone_teachers_primary": 5,
    "backbone_teachers_junior": 0,
    "pe_arts_teachers_primary": 5,
    "pe_arts_teachers_junior": 0,
    "teaching_aux_area_m2": 2600.0,
    "indoor_sports_area_m2": 350.0,
    "sports_ground_area_m2": 3400.0,
    "multimedia_classrooms": 12,
}
HIGH, LOW = 7502, 2498  # yuan per pupil; (7502 - 2498) / (7502 + 2498) = 0.5004
CV = "0.5004"


def _schools():
    rows = [
        {"school_id": "S001", "school_name": "学校1", "equipment_value_yuan": 500.0 * HIGH},
        {"school_id": "S002", "school_name": "学校2", "equipment_value_yuan": 500.0 * LOW},
    ]
    return pd.DataFrame.from_records([{**AT_STANDARD_PRIMARY, **row} for row in rows])


@pytest.fixture(scope="module")
def near_limit():
    return assess_county(_schools())


def test_the_fixture_fails_on_a_cv_of_0_5004(near_limit):
    # The premise of the tests below, from the module docstring.
    assert Fraction(HIGH - LOW, HIGH + LOW) == Fraction(5004, 10000)
    (failure,) = near_limit.resources.failures
    assert failure.code == "cv"
    assert failure.item_id == "equipment_value_per_student"
    assert failure.value == pytest.approx(0.5004, abs=1e-12)


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_a_cv_just_above_its_limit_shows_the_digit_that_fails_it(near_limit, fmt):
    report = render_county(near_limit, fmt)
    flat = re.sub(r"<[^>]+>", " ", report)  # HTML: the text between the tags
    # The failing-checks table: value beside its rule, never "0.5 ≤ 0.50".
    assert re.search(rf"{CV}\s*\|?\s*≤ 0\.50", flat)
    assert not re.search(r"(?<![\d.])0\.50?0?\s*\|?\s*≤ 0\.50", flat)
    # The CV table (fixed decimals, header "CV ≤ 0.50") beside the decision.
    assert re.search(rf"{CV}\s*\|?\s*未通过 FAIL", flat)
    assert not re.search(r"(?<![\d.])0\.500\s*\|?\s*未通过 FAIL", flat)
    # The failure entry.
    assert f"值 value {CV} · 要求 required ≤ 0.50" in flat
    # The passing CVs keep the display decimals (3 by default, spec README).
    assert "0.000" in flat


def test_the_html_chart_tooltip_shows_the_deciding_digit(near_limit):
    html = render_county(near_limit, "html")
    tooltip = re.search(r"<title>L6 [^<]*: CV ([^<]*)</title>", html)
    assert tooltip is not None
    assert tooltip.group(1) == CV


def test_the_counties_table_shows_the_deciding_digit_and_marks_it():
    text = render_counties(assess_counties(_schools()), "text")
    assert f"{CV}*" in text
    assert "0.500*" not in text


def test_a_recognition_rate_just_below_85_percent_is_not_shown_as_85_0():
    # 8499 of 10 000 positive answers: 84.99% < 85% (national-method.md §6). At the default
    # 3 display decimals, percentages get 1 decimal: 84.99% would read "85.0%".
    answers = ["满意"] * 8499 + ["不满意"] * 1501
    survey = pd.DataFrame(
        {
            "respondent_id": [f"R{i:05d}" for i in range(len(answers))],
            "county": "甲县",
            "respondent_group": "parent",
            "questionnaire": "society",
            "location": "urban",
            "answer": answers,
        }
    )
    schools = _schools().assign(equipment_value_yuan=500.0 * 2000)
    report = render_county(assess_county(schools, None, survey), "text")
    assert re.search(r"认可度 Recognition\s+84\.99%", report)
    assert re.search(r"要求 Required\s+≥ 85\.0%", report)
    assert "0.8499" in report


# -- the helper ------------------------------------------------------------------------------


def test_against_limit_by_hand():
    assert against_limit(0.5004, 0.5, "<=", 3, style="fixed") == "0.5004"
    assert against_limit(0.5004, 0.5, "<=", 3) == "0.5004"
    assert against_limit(0.587, 0.5, "<=", 3) == "0.587"  # already visibly above
    assert against_limit(0.5, 0.5, "<=", 3, style="fixed") == "0.500"  # exactly at the limit
    assert against_limit(0.4996, 0.5, "<", 3) == "0.4996"  # "0.5 < 0.5" would read as failing
    assert against_limit(0.4996, 0.5, "<=", 3) == "0.4996"  # and "0.5" as the limit itself
    assert against_limit(7.4999999, 7.5, ">=", 3) == "7.4999999"
    assert against_limit(0.84996, 0.85, ">=", 1, style="percent") == "84.996%"
    assert against_limit(0.5000000000001, 0.5, "<=", 3) == "0.5"  # float noise: no 9 digits
    assert against_limit(float("nan"), 0.5, "<=", 3) == "—"
    assert against_limit(0.5004, None, "<=", 3) == "0.5"  # no limit, nothing to keep apart
    assert limit_decimals(0.5004, 0.5, "<=", 3) == 4
    assert limit_number(0.5) == "0.50"
    assert limit_number(0.455) == "0.455"


COMPARATORS = {
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b,
    "<": lambda a, b: a < b,
}


def _read(text, style):
    return Fraction(text.removesuffix("%")) / (100 if style == "percent" else 1)


PLAIN = {
    "smart": smart,
    "fixed": lambda value, decimals: f"{value:.{decimals}f}",
    "percent": lambda value, decimals: f"{100 * value:.{decimals}f}%",
}


@given(
    value=st.floats(min_value=-1e3, max_value=1e3, allow_nan=False),
    limit=st.decimals(min_value=-1000, max_value=1000, places=2).map(float),
    comparator=st.sampled_from(sorted(COMPARATORS)),
    decimals=st.integers(min_value=0, max_value=4),
    style=st.sampled_from(["smart", "fixed", "percent"]),
)
@settings(max_examples=300)
def test_the_shown_value_reads_as_the_true_decision(value, limit, comparator, decimals, style):
    text = against_limit(value, limit, comparator, decimals, style=style)
    exact_value, exact_limit = Fraction(repr(value)), Fraction(repr(limit))
    truth = COMPARATORS[comparator](exact_value, exact_limit)
    plain = PLAIN[style](value, decimals)
    plain_reads_right = exact_value == exact_limit or (
        _read(plain, style) != exact_limit
        and COMPARATORS[comparator](_read(plain, style), exact_limit) == truth
    )
    if plain_reads_right:
        assert text == plain  # nothing added when the rounded value already reads right
        return
    shown = _read(text, style)
    faithful = shown != exact_limit and COMPARATORS[comparator](shown, exact_limit) == truth
    # 9 decimals of the display resolve any difference of at least 10⁻⁹ of a display unit;
    # a smaller one (the last bits of a float) may be left as the plain rounding shows it.
    unit = Fraction(1, 100) if style == "percent" else Fraction(1)
    if abs(exact_value - exact_limit) >= unit / 10**9:
        assert faithful
    else:
        assert faithful or text == plain
    assert len(text.removesuffix("%").partition(".")[2]) <= 9
