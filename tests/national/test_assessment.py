"""The county verdict over all parts (§8) and Part 1 for many counties at once."""

import contextlib
import json
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eduequity.datasets import demo_path, generate_schools, load_demo_county
from eduequity.errors import (
    DataQualityWarning,
    DegenerateDataWarning,
    EduEquityError,
    InputError,
    InvalidArgumentError,
)
from eduequity.national import (
    RULES_2012,
    RULES_2017,
    assess_counties,
    assess_county,
    get_rules,
)

COUNTY = "示范县 (Demo County)"
GUARANTEE_COLUMNS = {
    "classes_primary": 12,
    "classes_junior": 0,
    "max_class_size_primary": 42,
    "max_class_size_junior": 0,
    "music_rooms": 1,
    "art_rooms": 1,
    "min_music_room_area_m2": 96.0,
    "min_art_room_area_m2": 90.0,
    "public_funds_budget_yuan": 500_000.0,
    "teacher_training_funds_yuan": 25_000.0,  # exactly 5% (Q4, bound included)
}


def _passing_schools(school_table):
    """Four primary and two junior schools meeting every standard, CVs well within limits."""
    primary = [
        {**GUARANTEE_COLUMNS},
        {**GUARANTEE_COLUMNS, "qualified_teachers_primary": 23, "equipment_value_yuan": 1.1e6},
        {**GUARANTEE_COLUMNS, "sports_ground_area_m2": 3800.0, "multimedia_classrooms": 13},
        {**GUARANTEE_COLUMNS, "teaching_aux_area_m2": 2800.0, "backbone_teachers_primary": 6},
    ]
    junior = {
        **GUARANTEE_COLUMNS,
        "school_type": "junior",
        "classes_primary": 0,
        "classes_junior": 12,
        "max_class_size_primary": 0,
        "max_class_size_junior": 50,  # exactly the junior limit (G5, bound included)
    }
    return school_table(
        *primary, junior, {**junior, "qualified_teachers_junior": 40}, county=COUNTY
    )


def _passing_facts():
    facts = load_demo_county().facts.iloc[0].to_dict()
    # The demo fails G11 on purpose (backbone share 27/150 = 0.18); 30 of 150 is 0.20.
    facts["teacher_rotation_backbone_rotated"] = 30
    facts["teacher_rotation_backbone_share"] = 0.2
    return {key: (None if value is pd.NA else value) for key, value in facts.items()}


def _passing_monitoring():
    monitoring = load_demo_county().monitoring.copy()
    # The demo fails Q9 on 数学 grade 8 (0.16); below 0.15 passes.
    monitoring.loc[
        monitoring["inter_school_difference_rate"] >= 0.15, "inter_school_difference_rate"
    ] = 0.14
    return monitoring


def _survey(positive, negative, prefix="R"):
    answers = ["满意"] * positive + ["不满意"] * negative
    return pd.DataFrame(
        {
            "county": COUNTY,
            "respondent_id": [f"{prefix}{i:04d}" for i in range(len(answers))],
            "respondent_group": "parent",
            "answer": answers,
        }
    )


@pytest.fixture
def passing(make_schools):
    return {
        "schools": _passing_schools(make_schools),
        "facts": _passing_facts(),
        "survey": _survey(90, 10),
        "monitoring": _passing_monitoring(),
    }


def _assess(inputs, rules=RULES_2017):
    return assess_county(
        inputs["schools"],
        inputs["facts"],
        inputs["survey"],
        rules,
        monitoring=inputs["monitoring"],
    )


def test_a_county_meeting_every_rule_passes(passing):
    result = _assess(passing)
    statuses = {name: part.status for name, part in result.parts.items()}
    assert statuses == dict.fromkeys(statuses, "pass"), result.failures
    assert result.passed
    assert result.status == "pass"
    assert result.failures == ()
    assert result.resources.cv.shape == (2, 7)
    assert (result.resources.cv.to_numpy() <= 0.45).all()


@pytest.mark.parametrize(
    ("part", "change"),
    [
        ("preconditions", lambda d: d["facts"].update(basic_balance_recognition_year=2022)),
        (
            "resource_allocation",
            lambda d: d["schools"].__setitem__(
                "teaching_aux_area_m2",
                d["schools"]["teaching_aux_area_m2"].where(d["schools"].index != 0, 2000.0),
            ),
        ),
        (
            "government_guarantee",
            lambda d: d["schools"].__setitem__(
                "max_class_size_primary",
                d["schools"]["max_class_size_primary"].where(d["schools"].index != 1, 46),
            ),
        ),
        (
            "education_quality",
            lambda d: d["monitoring"].__setitem__(
                "level", d["monitoring"]["level"].where(d["monitoring"].index != 0, "Ⅱ")
            ),
        ),
        ("social_recognition", lambda d: d.__setitem__("survey", _survey(84, 16))),
        ("veto", lambda d: d["facts"].update(veto_school_choice=True)),
    ],
)
def test_a_county_failing_one_part_fails_on_that_part_only(passing, part, change):
    change(passing)
    result = _assess(passing)
    failing = {name for name, p in result.parts.items() if p.status == "fail"}
    if part == "social_recognition":
        # Below 85% is also a one-vote veto (§7, veto_social_recognition).
        assert failing == {"social_recognition", "veto"}
    else:
        assert failing == {part}
    assert result.status == "fail"
    assert not result.passed
    assert {failure.part for failure in result.failures} == failing


def test_recognition_exactly_at_85_percent_passes(passing):
    passing["survey"] = _survey(85, 15)
    result = _assess(passing)
    assert result.recognition.status == "pass"
    assert result.passed


def test_a_part_without_data_is_not_assessed_and_the_county_not_passed(passing):
    facts = passing["facts"]
    facts.pop("social_recognition", None)
    result = assess_county(passing["schools"], facts, None, monitoring=passing["monitoring"])
    # Facts are given but lack the field: the item is missing, so the part is incomplete.
    assert result.recognition.status == "incomplete"
    assert result.recognition.passed is False
    assert result.status == "incomplete"
    assert not result.passed


def test_without_facts_the_county_is_incomplete_never_passed(passing):
    result = assess_county(passing["schools"], survey=passing["survey"])
    assert result.resources.status == "pass"
    assert result.guarantee.status in {"incomplete", "not_assessed"}
    assert result.vetoes.status in {"incomplete", "not_assessed"}
    assert result.status == "incomplete"
    assert not result.passed


def test_an_overlay_changes_the_verdict_and_is_recorded(passing):
    # Shenyang overlay (§11.2, [S]): special-education funding >= 8000 instead of 6000.
    passing["facts"]["special_ed_funding"] = 7000.0
    national = _assess(passing)
    assert national.guarantee.item("special_ed_funding").status == "pass"
    shenyang = _assess(passing, get_rules(2017, "shenyang"))
    assert shenyang.guarantee.item("special_ed_funding").status == "fail"
    assert shenyang.rules["overlay"] == "shenyang"
    assert shenyang.rules["content_hash"] != national.rules["content_hash"]


def test_the_2012_edition_assesses_the_composite(passing):
    schools = passing["schools"].assign(
        full_time_teachers_primary=lambda f: f["qualified_teachers_primary"] + 2,
        full_time_teachers_junior=lambda f: f["qualified_teachers_junior"] + 2,
        mid_senior_title_teachers_primary=lambda f: f["qualified_teachers_primary"] // 2,
        mid_senior_title_teachers_junior=lambda f: f["qualified_teachers_junior"] // 2,
        teaching_computers=40,
        books=lambda f: 20 * (f["students_primary"] + f["students_junior"]),
    )
    result = assess_county(schools, rules=RULES_2012)
    assert result.rules["edition"] == "2012"
    assert result.resources.composite is not None
    assert list(result.resources.composite.index) == ["primary", "junior"]
    assert result.resources.status == "pass"
    assert "met_count" not in result.resources.schools.columns


def test_demo_county_reproduces_its_documented_findings():
    # src/eduequity/datasets/data/README.md §1.2 lists the intended outcomes.
    result = assess_county(
        str(demo_path("demo_county_schools.csv")),
        str(demo_path("demo_county_facts.csv")),
        str(demo_path("demo_county_survey.csv")),
        monitoring=str(demo_path("demo_county_monitoring.csv")),
    )
    assert result.status == "fail"
    failing_schools = {
        (f.school_id, f.item_id) for f in result.failures if f.part == "resource_allocation"
    }
    assert ("0990010002", "sports_area_per_student") in failing_schools
    assert ("0990010005", "backbone_teachers_per_100") in failing_schools
    assert ("0990010203", "qualified_teachers_per_100") in failing_schools
    assert ("0990010203", "equipment_value_per_student") in failing_schools
    assert result.resources.cv.loc["primary", "sports_area_per_student"] == pytest.approx(
        0.587, abs=5e-4
    )
    assert {f.item_id for f in result.failures if f.part == "government_guarantee"} == {
        "school_size",
        "class_size",
        "teacher_rotation",
    }
    assert result.recognition.status == "pass"
    assert result.vetoes.status == "pass"
    assert set(result.excluded["school_id"]) == {
        "0990010501",
        "0990010502",
        "0990010503",
        "0990010504",
        "0990010701",
    }
    # data-schema.md §1.5: each exclusion and merge is also a warning of the result.
    excluded = {w.key for w in result.warnings if w.code == "unit_excluded"}
    assert excluded == {f"school_id={i}" for i in result.excluded["school_id"]}
    merged = {w.key for w in result.warnings if w.code == "site_merged"}
    assert merged == {"school_id=0990010601", "school_id=0990010602"}
    json.dumps(result.to_dict(), ensure_ascii=False, allow_nan=False)


def test_bad_school_table_gives_one_error_listing_every_problem(passing):
    schools = passing["schools"].astype({"students_primary": object})
    schools.loc[0, "students_primary"] = "12a"
    schools.loc[2, "qualified_teachers_primary"] = -1
    schools.loc[3, "school_type"] = "高级中学"
    with pytest.raises(InputError) as caught:
        assess_county(schools)
    codes = [issue.code for issue in caught.value.errors]
    assert {"not_a_number", "negative_value", "unknown_value"} <= set(codes)
    message = str(caught.value)
    assert "students_primary" in message
    assert "S001" in message
    assert "S004" in message


def test_several_counties_need_a_choice(passing):
    schools = passing["schools"].copy()
    schools.loc[0, "county"] = "乙县"
    with pytest.raises(InvalidArgumentError, match="county="):
        assess_county(schools)
    with pytest.warns(DegenerateDataWarning, match="single unit"):
        assert assess_county(schools, county="乙县").county == "乙县"


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    seed=st.integers(min_value=0, max_value=2**31 - 1),
    n_counties=st.integers(min_value=1, max_value=4),
    per_county=st.integers(min_value=4, max_value=12),
)
def test_assess_counties_agrees_with_assess_county(seed, n_counties, per_county):
    schools = generate_schools(n_counties=n_counties, n_schools=n_counties * per_county, seed=seed)
    summary = assess_counties(schools)
    for county in schools["county"].unique():
        with _ignore_degenerate():
            one = assess_county(schools, county=county).resources
        for stage in one.cv.index:
            row = summary.loc[(county, stage)]
            assert np.array_equal(
                row[[f"cv_{k}" for k in one.cv.columns]].to_numpy(dtype=float),
                one.cv.loc[stage].to_numpy(dtype=float),
                equal_nan=True,
            )
            units = one.schools.loc[one.schools["stage"] == stage]
            assert row["n_sections"] == len(units)
            assert row["n_sections_failing"] == int((~units["passed"]).sum())
            statuses = one.indicators.loc[stage, "status"]
            assert bool(row["passed"]) == bool(units["passed"].all() and (statuses == "pass").all())


@contextlib.contextmanager
def _ignore_degenerate():
    # Generated counties may have a single section at a stage; that warning is expected.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateDataWarning)
        yield


def test_small_teaching_points_excluded_from_part_1_are_still_checked_by_g6(passing):
    # §3.3: a teaching point under 50 pupils leaves Part 1; §4 G6: every teaching point under
    # 100 pupils must be funded as if it had 100 (100 × the 720-yuan demo benchmark = 72 000).
    schools = passing["schools"]
    point = schools.iloc[[0]].assign(
        school_id="TP1",
        school_type="teaching_point",
        students_primary=30,
        qualified_teachers_primary=2,
        backbone_teachers_primary=1,
        pe_arts_teachers_primary=1,
        classes_primary=3,
        max_class_size_primary=12,
        public_funds_allocated_yuan=100.0,
        location="rural",
    )
    passing["schools"] = pd.concat(
        [schools.assign(public_funds_allocated_yuan=500_000.0, location="urban"), point],
        ignore_index=True,
    )
    result = _assess(passing)
    assert "TP1" in set(result.excluded["school_id"])
    g6 = result.guarantee.item("small_school_funding")
    assert g6.status == "fail"
    assert any(
        f.item_id == "small_school_funding" and f.school_id == "TP1" for f in result.failures
    )


def test_facts_of_another_year_than_the_schools_are_rejected(passing):
    passing["schools"] = passing["schools"].assign(year=2024)
    passing["facts"]["year"] = 2025
    with pytest.raises(InvalidArgumentError, match=r"year 2025.*school year 2024"):
        _assess(passing)


def test_survey_answers_of_other_years_and_counties_are_left_out_and_reported(passing):
    survey = passing["survey"].assign(year=2024)
    old = _survey(0, 300, "OLD").assign(year=2019)  # must not lower this year's rate
    other = _survey(0, 50, "OTHER").assign(county="乙县", year=2024)
    passing["survey"] = pd.concat([survey, old, other], ignore_index=True)
    result = assess_county(
        passing["schools"],
        passing["facts"],
        passing["survey"],
        year=2024,
        monitoring=passing["monitoring"],
    )
    assert result.recognition.result.n_valid == 100
    assert result.recognition.status == "pass"
    note = next(w for w in result.warnings if w.code == "rows_not_used")
    assert "50 of other counties" in note.message
    assert "300 of other years than 2024" in note.message


def test_strict_makes_missing_evidence_an_error(passing):
    passing["facts"]["layout_planning_evidence"] = None
    with pytest.warns(DataQualityWarning, match="evidence"):
        _assess(passing)
    with pytest.raises(EduEquityError, match="evidence"):
        assess_county(
            passing["schools"],
            passing["facts"],
            passing["survey"],
            strict=True,
            monitoring=passing["monitoring"],
        )


ENTRY_2012 = {
    "provincial_basic_standards": True,
    "provincial_basic_standards_evidence": "省级督导评估报告",
}
"""The declared entry condition of the 2012 method (办学基本标准), with its evidence."""


def _schools_2012(passing):
    """The passing county's schools with the columns of the 2012 indicators, all balanced."""
    return passing["schools"].assign(
        full_time_teachers_primary=lambda f: f["qualified_teachers_primary"] + 2,
        full_time_teachers_junior=lambda f: f["qualified_teachers_junior"] + 2,
        mid_senior_title_teachers_primary=lambda f: f["qualified_teachers_primary"] // 2,
        mid_senior_title_teachers_junior=lambda f: f["qualified_teachers_junior"] // 2,
        teaching_computers=40,
        books=lambda f: 20 * (f["students_primary"] + f["students_junior"]),
    )


def test_the_2012_edition_never_passes_on_its_cvs_alone(passing):
    # national-method.md §10: the 2012 method also has the government-work score (>= 85 of
    # 100, [M]) and a public-satisfaction survey that must reach 85%.
    schools = _schools_2012(passing)
    facts = {"county": COUNTY, "year": 2024, "government_work_score": 84.5}
    result = assess_county(schools, facts, _survey(95, 5), rules=RULES_2012)
    assert result.resources.status == "pass"
    assert result.guarantee.item("government_work_score").status == "fail"
    assert result.recognition.status == "pass"
    assert result.recognition.result.rate == pytest.approx(0.95)
    assert result.status == "fail"
    facts["government_work_score"] = 85
    again = assess_county(schools, facts, _survey(95, 5), rules=RULES_2012)
    assert again.guarantee.status == "pass"
    assert again.status == "incomplete"  # the entry condition is not declared
    facts.update(ENTRY_2012)
    again = assess_county(schools, facts, _survey(95, 5), rules=RULES_2012)
    assert again.status == "pass"
    assert again.passed
    without_survey = assess_county(schools, facts, rules=RULES_2012)
    assert without_survey.status == "incomplete"


@pytest.mark.parametrize(("positive", "status"), [(850, "pass"), (849, "fail")])
def test_a_2012_county_passes_with_satisfaction_of_85_percent_not_84_9(passing, positive, status):
    # Issue 9: 满意度不低于85%才能通过 (recognition.threshold 0.85, bound included). Before it was
    # in the 2012 rule set, no 2012 county could pass.
    facts = {"county": COUNTY, "year": 2024, "government_work_score": 90, **ENTRY_2012}
    survey = _survey(positive, 1000 - positive)
    result = assess_county(_schools_2012(passing), facts, survey, rules=RULES_2012)
    assert result.recognition.result.rate == positive / 1000
    assert result.recognition.status == status
    assert result.status == status
    assert RULES_2012["recognition.threshold"].comparator == ">="
    assert RULES_2012["recognition.threshold"].value == "0.85"


def test_a_year_without_rows_is_an_error_naming_the_years_held():
    schools = str(demo_path("demo_county_schools.csv"))  # school year 2024 (data README §1)
    for assess in (assess_county, assess_counties):
        with pytest.raises(InvalidArgumentError, match=r"school year 2020.*2024") as caught:
            assess(schools, year=2020)
        assert caught.value.code == "no_rows_for_year"


def test_a_cv_just_above_its_limit_is_shown_with_the_digits_that_fail(make_schools):
    # Two primary schools of 10 pupils with 0.1 and 0.300008 m² per pupil: CV = 0.200008 /
    # 0.400008 = 0.5000099998 > 0.50, which three decimals would show as 0.500.
    schools = make_schools(
        {"students_primary": 10, "teaching_aux_area_m2": 1.0, "indoor_sports_area_m2": 0.0},
        {"students_primary": 10, "teaching_aux_area_m2": 3.00008, "indoor_sports_area_m2": 0.0},
    )
    result = assess_county(schools)
    failure = next(f for f in result.failures if f.code == "cv")
    assert "CV 0.500 " not in failure.message
    assert "CV 0.50000999" in failure.message
