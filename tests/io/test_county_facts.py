"""County facts (data-schema.md §2.1) and monitoring results (§2.2)."""

import math

import pandas as pd
import pytest
from tests.io._school_rows import assert_located, issue_of

from eduequity.errors import InputError
from eduequity.io import COUNTY_FACTS_SCHEMA, read_county_facts, read_monitoring

# One clean county row; the declared fields carry their evidence.
FACTS = {
    "县区": "历下区",
    "评估年度": "2024",
    "通过国家基本均衡认定年份": "2015",
    "规划布局合理": "是",
    "规划布局合理佐证材料": "济历政发〔2023〕5号",
    "特殊教育学校生均公用经费": "6500",
    "教师平均工资收入": "120000",
    "公务员平均工资收入": "110000",
    "交流轮岗比例": "0.12",
    "骨干教师占交流轮岗教师比例": "25%",
    "教师资格证持证上岗率": "1",
    "就近划片入学比例（小学）": "1",
    "就近划片入学比例（初中）（%）": "96.5",
    "以考试方式招生": "否",
}


def facts(*rows):
    return pd.DataFrame(list(rows))


def errors_of(frame, **options):
    with pytest.raises(InputError) as caught:
        read_county_facts(frame, **options)
    return caught.value


def test_clean_facts():
    table = read_county_facts(facts(FACTS))
    assert table.issues == ()
    row = table.frame.iloc[0]
    assert row["county"] == "历下区"
    assert row["year"] == 2024.0
    assert bool(row["layout_planning"]) is True
    assert bool(row["veto_exam_admission"]) is False
    assert row["special_ed_funding"] == 6500.0
    assert row["teacher_rotation_backbone_share"] == 0.25
    assert row["nearby_enrolment_junior"] == 0.965
    # the two averages win over a (here absent) ratio: 120000 / 110000
    assert row["teacher_salary_parity"] == 120000 / 110000
    assert table.headers["layout_planning_evidence"] == "规划布局合理佐证材料"


def test_every_spec_field_has_an_evidence_column():
    names = {spec.name for spec in COUNTY_FACTS_SCHEMA.columns}
    for field in ("layout_planning", "teacher_rotation", "veto_falsification"):
        assert f"{field}_evidence" in names
    assert COUNTY_FACTS_SCHEMA.header_table["教师培训经费占公用经费比例(最低)"] == (
        "teacher_training_budget_share"
    )


def test_counts_win_over_a_given_rate():
    row = FACTS | {"符合交流条件教师数": "200", "交流轮岗教师数": "24", "交流轮岗比例": "0.1204"}
    table = read_county_facts(facts(row))
    # 24 / 200 = 0.12; |0.1204 - 0.12| = 0.0004 <= 0.0005: no warning
    assert table.frame["teacher_rotation"].tolist() == [0.12]
    assert table.issues == ()
    assert any(note.startswith("teacher_rotation: computed as") for note in table.conversions)


@pytest.mark.parametrize(
    ("given", "warned"),
    [
        ("0.1205", False),  # a gap of exactly 0.0005 is not "more than" (§2.1)
        ("0.1195", False),
        ("0.12051", True),
        ("0.2", True),
    ],
)
def test_rate_count_mismatch_at_the_tolerance(given, warned):
    row = FACTS | {"符合交流条件教师数": "200", "交流轮岗教师数": "24", "交流轮岗比例": given}
    table = read_county_facts(facts(row))
    found = issue_of(table.issues, "rate_count_mismatch")
    assert bool(found) is warned
    if warned:
        assert_located(found[0], row=0, column="teacher_rotation", header="交流轮岗比例")
    assert table.frame["teacher_rotation"].tolist() == [0.12]


def test_count_inconsistent():
    row = FACTS | {"符合交流条件教师数": "10", "交流轮岗教师数": "12"}
    row |= {"持证专任教师数": "101", "专任教师数": "100"}
    error = errors_of(facts(row))
    found = [(issue.code, issue.column) for issue in error.errors]
    assert found == [
        ("count_inconsistent", "teacher_rotation_rotated"),
        ("count_inconsistent", "teacher_certification_certified"),
    ]
    assert_located(
        error.errors[0],
        row=0,
        column="teacher_rotation_rotated",
        header="交流轮岗教师数",
        key="county=历下区, year=2024",
    )


def test_zero_denominator_only_matters_when_the_rate_is_needed():
    row = FACTS | {"应培训教师数": "0", "完成培训教师数": "0"}
    (issue,) = errors_of(facts(row)).errors
    assert issue.code == "count_inconsistent"
    assert issue.column == "teacher_training_completion_required"
    given = read_county_facts(facts(row | {"5年360学时培训完成率": "1"}))
    assert given.frame["teacher_training_completion"].tolist() == [1.0]


def test_retention_above_one_is_a_warning_and_kept():
    row = FACTS | {"初一入学人数": "400", "初三在校人数": "410"}
    table = read_county_facts(facts(row))
    (issue,) = table.issues
    assert issue.code == "retention_above_one"
    assert table.frame["junior_retention_rate"].tolist() == [410 / 400]


def test_year_inconsistent_and_early_recognition():
    error = errors_of(facts(FACTS | {"通过国家基本均衡认定年份": "2025"}))
    (issue,) = error.errors
    assert issue.code == "year_inconsistent"
    assert_located(issue, row=0, column="basic_balance_recognition_year")
    table = read_county_facts(facts(FACTS | {"通过国家基本均衡认定年份": "2012"}))
    (warning,) = table.issues
    assert warning.code == "basic_balance_year_early"
    dated = errors_of(facts(FACTS | {"基本均衡认定时间": "2025年1月2日"}))
    assert [issue.column for issue in dated.errors] == ["basic_balance_recognition_date"]


def test_zero_salary():
    (issue,) = errors_of(facts(FACTS | {"公务员平均工资收入": "0"})).errors
    assert issue.code == "zero_salary"
    assert_located(
        issue,
        row=0,
        column="teacher_salary_parity_civil_servant_avg_yuan",
        header="公务员平均工资收入",
    )


def test_evidence_missing_warns_and_strict_raises():
    row = FACTS | {"无过重课业负担": "是", "统筹调配编制和岗位": "否"}
    table = read_county_facts(facts(row))
    (issue,) = table.issues
    assert issue.code == "evidence_missing"
    assert issue.severity == "warning"
    assert issue.column == "no_excessive_burden"
    assert "no no_excessive_burden_evidence column" in issue.message
    (strict,) = errors_of(facts(row), strict=True).errors
    assert strict.code == "evidence_missing"
    assert strict.severity == "error"
    blank = read_county_facts(facts(FACTS | {"规划布局合理佐证材料": ""}))
    assert "layout_planning_evidence is blank" in blank.issues[0].message


def test_duplicate_county_year_names_both_rows():
    (issue,) = errors_of(facts(FACTS, FACTS | {"特殊教育学校生均公用经费": "7000"})).errors
    assert issue.code == "duplicate_county_year"
    assert issue.row == 1
    assert "appears on rows 0, 1" in issue.message


def test_cell_errors():
    row = FACTS | {"规划布局合理": "也许", "交流轮岗比例": "12", "特殊教育学校生均公用经费": "-1"}
    row |= {"符合交流条件教师数": "10.5"}
    error = errors_of(facts(row))
    assert [(issue.code, issue.column) for issue in error.errors] == [
        ("not_a_boolean", "layout_planning"),
        ("negative_value", "special_ed_funding"),
        ("rate_out_of_range", "teacher_rotation"),
        ("non_integer_count", "teacher_rotation_eligible"),
    ]
    assert "looks like a percentage" in error.errors[2].message


def test_missing_required_columns():
    frame = facts(FACTS).drop(columns=["评估年度"])
    (issue,) = errors_of(frame).errors
    assert issue.code == "missing_required_column"
    assert "'year', '评估年度', '年度'" in issue.message


def test_missing_fields_are_not_errors():
    table = read_county_facts(facts({"县区": "历下区", "年度": "2024"}))
    assert table.issues == ()
    assert list(table.frame.columns) == ["county", "year"]


# --------------------------------------------------------------------------------------
# §2.2 monitoring results

MONITORING = {"县（市、区）": "历下区", "监测年度": "2024", "学科": "数学", "年级": "4"}
MONITORING |= {"学业水平": "Ⅲ", "校际差异率": "0.12"}


@pytest.mark.parametrize("level", ["Ⅲ", "III", "iii", "3", "水平Ⅲ", "水平III", "Ⅲ级"])
def test_monitoring_levels(level):
    table = read_monitoring(pd.DataFrame([MONITORING | {"学业水平": level}]))
    assert table.frame["level"].tolist() == ["III"]


def test_monitoring_unknown_level_and_negative_rate():
    rows = [MONITORING | {"学业水平": "Ⅴ"}, MONITORING | {"学科": "语文", "校际差异率": "-0.1"}]
    with pytest.raises(InputError) as caught:
        read_monitoring(pd.DataFrame(rows))
    found = [(issue.code, issue.row, issue.column) for issue in caught.value.errors]
    assert found == [
        ("unknown_value", 0, "level"),
        ("negative_value", 1, "inter_school_difference_rate"),
    ]
    assert "I (水平I, I级, 1); II (水平II, II级, 2)" in caught.value.errors[0].message


def test_monitoring_duplicates_use_grade():
    other_grade = MONITORING | {"年级": "8"}
    table = read_monitoring(pd.DataFrame([MONITORING, other_grade]))
    assert table.issues == ()
    with pytest.raises(InputError) as caught:
        read_monitoring(pd.DataFrame([MONITORING, MONITORING | {"学业水平": "Ⅳ"}]))
    (issue,) = caught.value.errors
    assert issue.code == "duplicate_monitoring_row"
    assert "county=历下区, year=2024, subject=数学, grade=4 appears on rows 0, 1" in issue.message


def test_monitoring_subject_aliases_and_unknown_subjects():
    rows = [
        MONITORING | {"学科": "体育与健康"},
        MONITORING | {"学科": "体育"},
        MONITORING | {"学科": "书法"},
    ]
    with pytest.raises(InputError) as caught:
        read_monitoring(pd.DataFrame(rows))
    # 体育与健康 is 体育: the two rows are the same county, year, subject and grade
    (duplicate,) = caught.value.errors
    assert duplicate.code == "duplicate_monitoring_row"
    (unknown,) = issue_of(caught.value, "unknown_subject")
    assert unknown.severity == "warning"
    assert unknown.row == 2
    table = read_monitoring(pd.DataFrame(rows[::2]))
    assert table.frame["subject"].tolist() == ["体育", "书法"]
    assert table.conversions == ("subject: 体育与健康 read as 体育 (1 rows)",)


def test_monitoring_difference_rate_above_one_and_percentages():
    table = read_monitoring(pd.DataFrame([MONITORING | {"校际差异率": "12"}]))
    (issue,) = table.issues
    assert issue.code == "difference_rate_above_one"
    frame = pd.DataFrame([MONITORING | {"校际差异率": "12"}]).rename(
        columns={"校际差异率": "校际差异率(%)"}
    )
    percent = read_monitoring(frame)
    assert percent.issues == ()
    assert math.isclose(percent.frame["inter_school_difference_rate"].iloc[0], 0.12)
    assert percent.frame["inter_school_difference_rate"].iloc[0] == 0.12


def test_monitoring_grade_out_of_range():
    with pytest.raises(InputError) as caught:
        read_monitoring(pd.DataFrame([MONITORING | {"年级": "10"}, MONITORING | {"年级": "4.5"}]))
    assert [issue.code for issue in caught.value.errors] == ["grade_out_of_range"] * 2
