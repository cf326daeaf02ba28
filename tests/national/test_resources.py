"""Part 1: the indicators (§3.2), the per-school rule (§3.5) and the CVs (§3.6–§3.7, §10)."""

import numpy as np
import pandas as pd
import pytest

from eduequity.national.resources import county_result, county_summary, evaluate_resources
from eduequity.national.rules import RULES_2012, RULES_2017
from eduequity.national.units import prepare_units

SEVEN = RULES_2017.ids("resource.indicators")


def _evaluate(schools, rules=RULES_2017):
    return evaluate_resources(prepare_units(schools, rules), rules)


def _county(schools, rules=RULES_2017, county="甲县"):
    return county_result(_evaluate(schools, rules), county)


def test_indicator_values_from_raw_counts(make_schools):
    # §3.2 formulas on the school of conftest.AT_STANDARD_PRIMARY (values worked out there).
    units = _evaluate(make_schools({})).units
    row = units.iloc[0]
    assert row["qualified_teachers_per_100"] == 4.2
    assert row["backbone_teachers_per_100"] == 1.0
    assert row["pe_arts_teachers_per_100"] == 1.0
    assert row["teaching_area_per_student"] == 4.5
    assert row["sports_area_per_student"] == 7.5
    assert row["equipment_value_per_student"] == 2000.0
    assert row["multimedia_rooms_per_100"] == 2.4


def test_combined_sports_area_replaces_the_sum(make_schools):
    # §3.2: with sports_total_area_m2 given, indicator 5 uses it instead of grounds + indoor.
    units = _evaluate(make_schools({"sports_total_area_m2": 4000.0})).units
    assert units.iloc[0]["sports_area_per_student"] == 8.0


def test_facility_indicators_use_the_share_and_teacher_indicators_the_section(make_schools):
    # §3.4: σ_primary = 15/26 of a nine-year school with A = 300, B = 200; the facility
    # indicators take σ × total / P, the teacher indicators the section's own counts.
    schools = make_schools(
        {
            "school_type": "nine_year",
            "students_primary": 300,
            "students_junior": 200,
            "qualified_teachers_primary": 15,
            "qualified_teachers_junior": 12,
            "backbone_teachers_junior": 2,
            "pe_arts_teachers_junior": 2,
            "equipment_value_yuan": 1_040_000.0,
        }
    )
    units = _evaluate(schools).units.set_index("unit_id")
    assert units.loc["S001#primary", "qualified_teachers_per_100"] == pytest.approx(5.0)
    assert units.loc["S001#junior", "qualified_teachers_per_100"] == pytest.approx(6.0)
    # 15/26 × 1 040 000 / 300 = 2000; 11/26 × 1 040 000 / 200 = 2200.
    assert units.loc["S001#primary", "equipment_value_per_student"] == pytest.approx(2000.0)
    assert units.loc["S001#junior", "equipment_value_per_student"] == pytest.approx(2200.0)


def test_unit_exactly_at_every_standard_passes(make_schools):
    result = _county(make_schools({}))
    assert result.schools["met_count"].tolist() == [7]
    assert result.schools["passed"].tolist() == [True]
    assert result.remediation.empty


def test_one_indicator_exactly_at_the_85_percent_floor_passes(make_schools):
    # §3.5: the missed indicator must reach 85% of its standard, bound included.
    # Teaching area floor 0.85 × 4.5 = 3.825 m²: (1912.5 + 350) / 500 = 3.825.
    result = _county(make_schools({"teaching_aux_area_m2": 2262.5}))
    unit = result.schools.iloc[0]
    assert unit["met_count"] == 6
    assert unit["unmet"] == ("teaching_area_per_student",)
    assert bool(unit["passed"])


def test_one_indicator_just_below_the_floor_fails(make_schools):
    result = _county(make_schools({"teaching_aux_area_m2": 2262.4}))
    assert not bool(result.schools.iloc[0]["passed"])
    assert not result.passed
    failure = next(f for f in result.failures if f.code == "school_rule")
    assert failure.school_id == "S001"
    assert failure.item_id == "teaching_area_per_student"
    assert failure.limit == 4.5
    assert failure.rule_key == "resource.standard.primary.teaching_area_per_student"
    assert "fudaoke" in failure.source or "2017" in failure.source


def test_two_unmet_indicators_fail_even_above_the_floor(make_schools):
    # §3.5: at most one indicator may miss when min_met = 6 of 7.
    result = _county(make_schools({"teaching_aux_area_m2": 2500.0, "multimedia_classrooms": 11}))
    unit = result.schools.iloc[0]
    assert unit["met_count"] == 5
    assert set(unit["unmet"]) == {"teaching_area_per_student", "multimedia_rooms_per_100"}
    assert not bool(unit["passed"])


def test_remediation_gives_shortfalls_in_natural_units(make_schools):
    # 一校一案: 2 qualified teachers short of 4.2 per 100 at 500 pupils needs 21, has 19;
    # 100 m² short of 7.5 m² per pupil (3750 needed, 3650 present).
    result = _county(
        make_schools({"qualified_teachers_primary": 19, "sports_ground_area_m2": 3300.0})
    )
    remediation = result.remediation.set_index("indicator")
    assert remediation.loc["qualified_teachers_per_100", "section_shortfall"] == pytest.approx(2.0)
    assert remediation.loc["qualified_teachers_per_100", "school_addition"] == 2.0
    assert remediation.loc["qualified_teachers_per_100", "amount_unit"] == "teachers"
    assert remediation.loc["sports_area_per_student", "section_shortfall"] == pytest.approx(100.0)
    assert remediation.loc["sports_area_per_student", "amount_unit"] == "m²"
    assert not remediation["section_passed"].any()


def test_remediation_of_a_split_section_scales_to_the_whole_school(make_schools):
    # A nine-year section with σ = 15/26 short of 2000 yuan per pupil by 100 yuan per pupil
    # (300 pupils): the section lacks 30 000 yuan, so the school must add 30 000 × 26/15.
    schools = make_schools(
        {
            "school_type": "nine_year",
            "students_primary": 300,
            "students_junior": 200,
            "qualified_teachers_primary": 15,
            "qualified_teachers_junior": 12,
            "backbone_teachers_junior": 2,
            "pe_arts_teachers_junior": 2,
            "equipment_value_yuan": 988_000.0,  # 15/26 × 988 000 / 300 = 1900
        }
    )
    remediation = _county(schools).remediation.set_index(["unit_id", "indicator"])
    row = remediation.loc[("S001#primary", "equipment_value_per_student")]
    assert row["section_shortfall"] == pytest.approx(30_000.0)
    assert row["school_addition"] == pytest.approx(52_000.0)


def _books_table(pupils, books):
    rows = []
    for number, (p, b) in enumerate(zip(pupils, books, strict=True), start=1):
        rows.append(
            {
                "school_id": f"B{number}",
                "school_name": f"小学{number}",
                "county": "样例县",
                "school_type": "primary",
                "students_primary": p,
                "students_junior": 0,
                "qualified_teachers_primary": 10,
                "qualified_teachers_junior": 0,
                "backbone_teachers_primary": 1,
                "backbone_teachers_junior": 0,
                "pe_arts_teachers_primary": 1,
                "pe_arts_teachers_junior": 0,
                "full_time_teachers_primary": 10,
                "full_time_teachers_junior": 0,
                "mid_senior_title_teachers_primary": 5,
                "mid_senior_title_teachers_junior": 0,
                "teaching_aux_area_m2": 5.0 * p,
                "indoor_sports_area_m2": 0.0,
                "sports_ground_area_m2": 8.0 * p,
                "equipment_value_yuan": 2500.0 * p,
                "multimedia_classrooms": 3,
                "teaching_computers": 10,
                "books": b,
            }
        )
    return pd.DataFrame.from_records(rows)


def test_normative_five_school_example_of_the_2012_note():
    # national-method.md §3.6, worked example for 生均图书册数 (books per pupil), the
    # explanatory note to 教督〔2012〕3号: pupils 45, 37, 89, 76, 55; books 279, 137, 935,
    # 160, 402 -> CV = 0.5152566 (published rounded as 0.52).
    schools = _books_table([45, 37, 89, 76, 55], [279, 137, 935, 160, 402])
    summary = county_summary(_evaluate(schools, RULES_2012))
    cv = summary.loc[("样例县", "primary"), "cv_books_per_student"]
    assert cv == pytest.approx(0.5152566, abs=1e-6)
    assert round(cv, 2) == 0.52


def _weighted_cv(amounts, pupils):
    # §3.6 written out independently: X_i = A_i / P_i, X̄ = ΣA/ΣP, S² = Σ (P_i/P)(X_i − X̄)².
    amounts = np.asarray(amounts, dtype=float)
    pupils = np.asarray(pupils, dtype=float)
    x = amounts / pupils
    mean = amounts.sum() / pupils.sum()
    return float(np.sqrt(np.sum(pupils / pupils.sum() * (x - mean) ** 2)) / mean)


def test_2012_composite_is_the_mean_of_the_eight_cvs():
    # §10: composite = arithmetic mean of the 8 CVs, compared with 0.65 for primary. In
    # _books_table the three area/value indicators are proportional to pupils (CV 0), and
    # computers (10), full-time (10), qualified (10) and mid/senior teachers (5) are constant.
    pupils = [45, 37, 89, 76, 55]
    books = [279, 137, 935, 160, 402]
    schools = _books_table(pupils, books)
    evaluation = _evaluate(schools, RULES_2012)
    expected_cvs = [
        0.0,
        0.0,
        0.0,
        _weighted_cv([10] * 5, pupils),
        _weighted_cv(books, pupils),
        _weighted_cv([10] * 5, pupils),
        _weighted_cv([10] * 5, pupils),
        _weighted_cv([5] * 5, pupils),
    ]
    assert evaluation.cv["cv"].to_numpy() == pytest.approx(expected_cvs, abs=1e-12)
    composite = evaluation.composite.loc[("样例县", "primary")]
    assert composite["composite_cv"] == pytest.approx(np.mean(expected_cvs), abs=1e-12)
    assert composite["limit"] == 0.65
    assert composite["status"] == "pass"  # the mean, about 0.23, is within 0.65
    assert np.mean(expected_cvs) < 0.65
    result = county_result(evaluation, "样例县")
    assert result.composite is not None
    assert "met_count" not in result.schools.columns  # no per-school rule in 2012


def _two_primary_schools(area_low, area_high):
    # Two primary schools of 10 pupils with net teaching areas giving 0.1 and 0.3 m² per
    # pupil: CV = |0.3 - 0.1| / (0.3 + 0.1) = 0.5 exactly with equal weights.
    rows = []
    for number, area in enumerate((area_low, area_high), start=1):
        rows.append(
            {
                "school_id": f"T{number}",
                "school_name": f"小学{number}",
                "county": "边界县",
                "school_type": "primary",
                "students_primary": 10,
                "students_junior": 0,
                "qualified_teachers_primary": 1,
                "qualified_teachers_junior": 0,
                "backbone_teachers_primary": 1,
                "backbone_teachers_junior": 0,
                "pe_arts_teachers_primary": 1,
                "pe_arts_teachers_junior": 0,
                "teaching_aux_area_m2": area,
                "indoor_sports_area_m2": 0.0,
                "sports_ground_area_m2": 100.0,
                "equipment_value_yuan": 30_000.0,
                "multimedia_classrooms": 1,
            }
        )
    return pd.DataFrame.from_records(rows)


def test_cv_exactly_at_the_limit_passes():
    # §3.6 "Limit comparison": CV <= 0.50 is decided exactly, whatever the float rounding.
    table = _evaluate(_two_primary_schools(1.0, 3.0)).cv
    row = table.loc[("边界县", "primary", "teaching_area_per_student")]
    assert row["cv"] == pytest.approx(0.5, abs=1e-12)
    assert row["status"] == "pass"


def test_cv_just_above_the_limit_fails():
    table = _evaluate(_two_primary_schools(1.0, 3.000001)).cv
    assert table.loc[("边界县", "primary", "teaching_area_per_student"), "status"] == "fail"


def test_cv_of_a_county_without_the_resource_is_undefined_and_fails():
    # §3.6 degenerate cases: X̄ = 0 is "undefined", counted as not met, never 0.
    schools = _two_primary_schools(1.0, 3.0).assign(multimedia_classrooms=0)
    result = county_result(_evaluate(schools), "边界县")
    row = result.indicators.loc[("primary", "multimedia_rooms_per_100")]
    assert row["status"] == "undefined"
    assert np.isnan(row["cv"])
    assert not result.passed
    assert any(f.item_id == "multimedia_rooms_per_100" and f.code == "cv" for f in result.failures)


def test_single_unit_has_cv_zero_and_a_note(make_schools):
    result = _county(make_schools({}))
    assert result.cv.loc["primary"].tolist() == [0.0] * 7
    assert result.passed
    assert any("single unit" in note for note in result.notes)


def test_shipped_limits_reproduce_the_published_ningguo_verdict():
    # §3.7 fixture, 宁国市 2022 county disclosure (county CVs only, so no school table to run):
    # the shipped limits (0.50 primary, 0.45 junior) must leave only L6 within them at both
    # stages, as published. This pins the rule data, not the CV computation.
    published = {
        "primary": [0.677, 0.674, 0.618, 0.519, 0.597, 0.167, 0.759],
        "junior": [0.542, 1.055, 0.507, 0.587, 0.686, 0.254, 0.496],
    }
    for stage, cvs in published.items():
        limit = RULES_2017.number(f"resource.cv_limit.{stage}")
        within = [cv <= limit for cv in cvs]
        assert within == [False, False, False, False, False, True, False]


def test_county_summary_counts_failing_sections(make_schools):
    schools = make_schools({}, {"teaching_aux_area_m2": 2000.0}, {"school_type": "junior"})
    summary = county_summary(_evaluate(schools))
    assert list(summary.index) == [("甲县", "primary"), ("甲县", "junior")]
    assert summary.loc[("甲县", "primary"), "n_sections"] == 2
    assert summary.loc[("甲县", "primary"), "n_sections_failing"] == 1
    assert not summary.loc[("甲县", "primary"), "passed"]
    assert summary.loc[("甲县", "junior"), "n_sections_failing"] == 0
    assert summary.loc[("甲县", "junior"), "passed"]
    assert [c for c in summary.columns if c.startswith("cv_")] == [f"cv_{k}" for k in SEVEN]
