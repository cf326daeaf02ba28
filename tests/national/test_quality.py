"""Part 3, education quality Q1-Q9 (national-method.md §5; data-schema.md §2.1-§2.2)."""

import json
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.national._overlays import changed

from eduequity.errors import DataQualityWarning, InvalidValueError
from eduequity.national.quality import assess_quality
from eduequity.national.rules import RULES_2017

EVIDENCE = "教育局督导报告 2023"
DECLARED = [
    "charters_and_informatization",
    "ict_use_in_teaching",
    "moral_education_and_culture",
    "curriculum_and_order",
    "no_excessive_burden",
]

# data-schema.md §2.1 fields of Part 3 at values meeting §5 (0.95 exactly at the limit).
PASSING_FACTS = {
    "county": "测试县",
    "year": 2023,
    "junior_retention_rate": 0.95,
    "disabled_enrolment_rate": 0.95,
    **dict.fromkeys(DECLARED, True),
    **{f"{name}_evidence": EVIDENCE for name in DECLARED},
}


def facts(**fields):
    result = dict(PASSING_FACTS)
    result.update(fields)
    return result


def schools(*rows):
    # Whole-school rows with the Q4 columns of data-schema.md §1.3 [yuan].
    return pd.DataFrame(
        [
            {
                "school_id": school_id,
                "school_type": school_type,
                "teacher_training_funds_yuan": training,
                "public_funds_budget_yuan": budget,
            }
            for school_id, school_type, training, budget in rows
        ]
    )


PASSING_SCHOOLS = schools(("A", "primary", 5000.0, 100000.0), ("B", "junior", 8000.0, 100000.0))


def monitoring(*rows, county="测试县", year=2023):
    # data-schema.md §2.2: one row per county, year, subject and grade.
    return pd.DataFrame(
        [
            {
                "county": county,
                "year": year,
                "subject": subject,
                "grade": grade,
                "level": level,
                "inter_school_difference_rate": rate,
            }
            for subject, grade, level, rate in rows
        ]
    )


PASSING_MONITORING = monitoring(("语文", 4, 3, 0.10), ("数学", 8, 4, 0.1499))


def run(fact_map=None, school_table=PASSING_SCHOOLS, results=PASSING_MONITORING, **kwargs):
    return assess_quality(
        fact_map if fact_map is not None else facts(), school_table, results, RULES_2017, **kwargs
    )


def test_everything_met_passes_with_nine_items_in_order():
    part = run()
    assert part.part == "education_quality"
    assert part.status == "pass"
    assert part.passed
    assert [item.code for item in part.items] == [f"Q{i}" for i in range(1, 10)]
    assert part.failures == ()
    json.dumps(part.to_dict(), ensure_ascii=False)


def test_no_inputs_at_all_is_not_assessed():
    part = assess_quality(None, None, None, RULES_2017)
    assert part.status == "not_assessed"
    assert not part.passed
    assert len(part.items) == 9


def test_monitoring_alone_is_assessed_but_incomplete():
    part = assess_quality(None, None, PASSING_MONITORING, RULES_2017)
    assert part.item("academic_monitoring").status == "pass"
    assert part.status == "incomplete"


# --------------------------------------------------------------------------------------------
# Q1, Q2


def test_q1_rate_boundary():
    assert run(facts(junior_retention_rate=0.95)).item("junior_retention_rate").status == "pass"
    item = run(facts(junior_retention_rate=0.9499)).item("junior_retention_rate")
    assert item.status == "fail"
    assert (item.value, item.limit, item.comparator) == (0.9499, 0.95, ">=")
    missing = run(facts(junior_retention_rate=None)).item("junior_retention_rate")
    assert missing.status == "incomplete"


def test_q1_cohort_counts_report_the_cohort_span():
    # 950 of 1000 pupils who entered junior school are in the final year: 0.95.
    part = run(
        facts(
            junior_retention_rate=None,
            junior_retention_rate_cohort_start=1000,
            junior_retention_rate_cohort_end=950,
        )
    )
    item = part.item("junior_retention_rate")
    assert item.status == "pass"
    assert item.input_source == "facts (counts)"
    assert any("3-year cohort" in note for note in part.notes)


def test_q1_counts_win_over_the_rate():
    part = run(
        facts(
            junior_retention_rate=0.96,
            junior_retention_rate_cohort_start=1000,
            junior_retention_rate_cohort_end=949,
        )
    )
    assert part.item("junior_retention_rate").status == "fail"
    assert any("rate_count_mismatch" in note for note in part.notes)


def test_q1_cohort_end_above_start_warns_and_passes():
    with pytest.warns(DataQualityWarning, match="retention_above_one"):
        part = run(
            facts(
                junior_retention_rate=None,
                junior_retention_rate_cohort_start=1000,
                junior_retention_rate_cohort_end=1020,
            )
        )
    assert part.item("junior_retention_rate").status == "pass"
    assert part.item("junior_retention_rate").value == 1.02


def test_q1_four_year_cohort_from_the_rule_set():
    rules = changed(RULES_2017, "quality.junior_retention_rate.cohort_years", value=4)  # 5-4 system
    part = assess_quality(
        facts(
            junior_retention_rate=None,
            junior_retention_rate_cohort_start=100,
            junior_retention_rate_cohort_end=96,
        ),
        None,
        None,
        rules,
    )
    assert any("4-year cohort" in note for note in part.notes)


def test_q2_rate_and_counts():
    assert run(facts(disabled_enrolment_rate=0.94)).status == "fail"
    counts = facts(
        disabled_enrolment_rate=None,
        disabled_enrolment_rate_enrolled=19,
        disabled_enrolment_rate_population=20,
    )
    # 19 / 20 = 0.95 exactly.
    assert run(counts).item("disabled_enrolment_rate").status == "pass"
    counts["disabled_enrolment_rate_population"] = 0
    item = run(counts).item("disabled_enrolment_rate")
    assert item.status == "incomplete"
    counts["disabled_enrolment_rate_population"] = 18
    with pytest.raises(InvalidValueError, match="disabled_enrolment_rate_enrolled"):
        run(counts)


# --------------------------------------------------------------------------------------------
# Declared items


@pytest.mark.parametrize("field", DECLARED)
def test_declared_items(field):
    part = run(facts(**{field: False}))
    assert part.item(field).status == "fail"
    assert part.item(field).kind == "declared"
    assert [f.item_id for f in part.failures] == [field]
    assert run(facts(**{field: None})).item(field).status == "incomplete"
    with pytest.warns(DataQualityWarning, match=field):
        run(facts(**{f"{field}_evidence": None}))


# --------------------------------------------------------------------------------------------
# Q4 teacher-training share


def test_q4_minimum_school_share_is_exact():
    # §5 Q4: >= 5% of the public-funds budget. 0.15 / 3 is 0.049999999999999996 in binary
    # floating point, but exactly 0.05: it passes.
    at_limit = schools(("A", "primary", 0.15, 3.0), ("B", "junior", 5000.0, 100000.0))
    item = run(school_table=at_limit).item("teacher_training_budget_share")
    assert item.status == "pass"
    assert item.input_source == "schools"
    assert item.value == pytest.approx(0.05)


def test_q4_failing_schools_are_listed():
    table = schools(
        ("A", "primary", 4999.0, 100000.0),
        ("B", "junior", 5000.0, 100000.0),
        ("C", "primary", 100.0, 10000.0),
    )
    part = run(school_table=table)
    item = part.item("teacher_training_budget_share")
    assert item.status == "fail"
    assert item.value == pytest.approx(0.01)
    failures = [(f.school_id, f.value, f.limit) for f in part.failures]
    assert failures == [("A", pytest.approx(0.04999), 0.05), ("C", pytest.approx(0.01), 0.05)]


def test_q4_zero_budget_and_missing_cells_are_incomplete():
    zero = schools(("A", "primary", 0.0, 0.0), ("B", "junior", 5000.0, 100000.0))
    item = run(school_table=zero).item("teacher_training_budget_share")
    assert item.status == "incomplete"
    assert any("zero public-funds budget" in reason for reason in item.reasons)
    gap = schools(("A", "primary", np.nan, 1000.0))
    assert run(school_table=gap).item("teacher_training_budget_share").status == "incomplete"


def test_q4_teaching_point_without_budget_is_left_out():
    table = schools(("A", "primary", 5000.0, 100000.0), ("T", "teaching_point", np.nan, np.nan))
    part = run(school_table=table)
    assert part.item("teacher_training_budget_share").status == "pass"
    assert any("teaching point" in note for note in part.notes)


def test_q4_missing_columns_without_fact_is_incomplete():
    table = PASSING_SCHOOLS.drop(columns=["teacher_training_funds_yuan"])
    item = run(school_table=table).item("teacher_training_budget_share")
    assert item.status == "incomplete"
    assert "teacher_training_funds_yuan" in item.reasons[0]


def test_q4_county_fact_overrides_the_school_table():
    failing = schools(("A", "primary", 1000.0, 100000.0))
    part = run(facts(teacher_training_budget_share=0.05), school_table=failing)
    item = part.item("teacher_training_budget_share")
    assert item.status == "pass"
    assert item.input_source == "override"
    assert any("override_used" in note for note in part.notes)
    alone = run(facts(teacher_training_budget_share=0.049), school_table=None)
    assert alone.item("teacher_training_budget_share").status == "fail"
    assert alone.item("teacher_training_budget_share").input_source == "facts"


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=20000), st.integers(1, 200000)),
        min_size=1,
        max_size=30,
    )
)
def test_q4_failures_match_an_exact_school_by_school_check(pairs):
    rows = [(f"S{i}", "primary", float(t), float(b)) for i, (t, b) in enumerate(pairs)]
    part = run(school_table=schools(*rows))
    expected = [f"S{i}" for i, (t, b) in enumerate(pairs) if Fraction(t, b) < Fraction(5, 100)]
    got = [f.school_id for f in part.failures if f.item_id == "teacher_training_budget_share"]
    assert got == expected


# --------------------------------------------------------------------------------------------
# Q9 academic monitoring


def test_q9_difference_rate_of_exactly_015_fails():
    # §5 Q9: "低于0.15" is strict.
    part = run(results=monitoring(("数学", 8, 3, 0.15)))
    item = part.item("academic_monitoring")
    assert item.status == "fail"
    (failure,) = part.failures
    assert (failure.value, failure.limit, failure.comparator, failure.stage) == (
        0.15,
        0.15,
        "<",
        "junior",
    )
    assert "数学" in failure.message


def test_q9_level_below_three_fails_for_each_subject():
    part = run(results=monitoring(("语文", 4, 2, 0.10), ("数学", 4, 1, 0.20), ("科学", 4, 3, 0.1)))
    failures = [(f.message.split(":")[0], f.rule_key.rsplit(".", 1)[1]) for f in part.failures]
    assert sorted(failures) == [
        ("数学 (grade 4)", "max_difference_rate"),
        ("数学 (grade 4)", "min_level"),
        ("语文 (grade 4)", "min_level"),
    ]
    assert part.item("academic_monitoring").value == {
        "subjects": 3,
        "lowest_level": 1,
        "highest_difference_rate": 0.2,
    }
    assert {f.stage for f in part.failures} == {"primary"}


def test_q9_levels_as_roman_numerals():
    part = run(
        results=monitoring(("语文", 4, "Ⅲ", 0.1), ("数学", 8, "IV", 0.1), ("艺术", 8, "水平Ⅲ", 0.1))
    )
    assert part.item("academic_monitoring").status == "pass"
    failing = run(results=monitoring(("语文", 4, "II", 0.1)))
    assert failing.item("academic_monitoring").status == "fail"


def test_q9_unknown_level_is_an_error():
    with pytest.raises(InvalidValueError, match="level") as info:
        run(results=monitoring(("语文", 4, 5, 0.1)))
    assert info.value.code == "unknown_value"


def test_q9_missing_values_are_incomplete():
    part = run(results=monitoring(("语文", 4, np.nan, 0.1)))
    assert part.item("academic_monitoring").status == "incomplete"
    no_table = run(results=None)
    assert no_table.item("academic_monitoring").status == "incomplete"


def test_q9_rows_of_other_counties_are_ignored():
    mixed = pd.concat(
        [PASSING_MONITORING, monitoring(("数学", 8, 1, 0.5), county="别的县")], ignore_index=True
    )
    assert run(results=mixed).item("academic_monitoring").status == "pass"
    none_here = monitoring(("数学", 8, 3, 0.1), county="别的县")
    assert run(results=none_here).item("academic_monitoring").status == "incomplete"


def test_q9_latest_year_not_after_the_assessment_year_is_used():
    old = monitoring(("数学", 8, 2, 0.3), year=2020)
    later = monitoring(("数学", 8, 2, 0.3), year=2024)
    table = pd.concat([old, PASSING_MONITORING, later], ignore_index=True)
    part = run(results=table)
    assert part.item("academic_monitoring").status == "pass"
    assert any("monitoring results of 2023 used" in note for note in part.notes)


def test_q9_county_fact_overrides_the_table():
    failing = monitoring(("数学", 8, 2, 0.3))
    part = run(facts(academic_monitoring=True), results=failing)
    item = part.item("academic_monitoring")
    assert item.status == "pass"
    assert item.input_source == "override"
    alone = run(facts(academic_monitoring=False), results=None)
    assert alone.item("academic_monitoring").status == "fail"
    assert alone.item("academic_monitoring").input_source == "facts"
