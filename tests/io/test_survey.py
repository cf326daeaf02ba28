"""Survey responses (data-schema.md §3)."""

import pandas as pd
import pytest
from tests.io._school_rows import assert_located, issue_of

from eduequity.errors import InputError, InvalidArgumentError
from eduequity.io import read_survey

ANSWER = {
    "县区": "历下区",
    "问卷编号": "R001",
    "题号": "Q1",
    "调查对象": "家长",
    "卷别": "社会卷",
    "满意度": "满意",
    "城乡": "城区",
    "权重": "1.5",
    "调查方式": "问卷调查",
}


def answers(*changes):
    return pd.DataFrame([ANSWER | change for change in changes])


def errors_of(frame, **options):
    with pytest.raises(InputError) as caught:
        read_survey(frame, **options)
    return caught.value


def test_clean_survey():
    table = read_survey(answers({}, {"题号": "Q2", "满意度": "基本满意"}))
    assert table.issues == ()
    frame = table.frame
    assert frame["respondent_group"].tolist() == ["parent", "parent"]
    assert frame["questionnaire"].tolist() == ["society", "society"]
    assert frame["location"].tolist() == ["urban", "urban"]
    assert frame["component"].tolist() == ["questionnaire", "questionnaire"]
    assert frame["weight"].tolist() == [1.5, 1.5]
    # answer labels stay text; matching them to a scale is the scoring's job
    assert frame["answer"].tolist() == ["满意", "基本满意"]


@pytest.mark.parametrize(
    ("label", "group", "form"),
    [
        ("学生家长", "parent", "社会卷"),
        ("学生", "student", "学生卷"),
        ("老师", "teacher", "校长教师卷"),
        ("校长", "principal", "校长教师卷"),
        ("人大代表", "deputy", "社会卷"),
        ("政协委员", "cppcc_member", "社会卷"),
        ("社会公众", "public", "社会卷"),
        ("群众代表", "public", "社会卷"),
    ],
)
def test_group_aliases(label, group, form):
    table = read_survey(answers({"调查对象": label, "卷别": form}))
    assert table.frame["respondent_group"].tolist() == [group]


def test_ambiguous_group_and_its_explicit_mapping():
    frame = answers({"调查对象": "人大代表、政协委员"})
    (issue,) = errors_of(frame).errors
    assert issue.code == "ambiguous_group"
    assert_located(
        issue, row=0, column="respondent_group", header="调查对象", key="respondent_id=R001"
    )
    assert "cppcc_member, deputy" in issue.message
    table = read_survey(frame, group_map={"人大代表、政协委员": "deputy"})
    assert table.frame["respondent_group"].tolist() == ["deputy"]
    with pytest.raises(InvalidArgumentError, match="not one of parent"):
        read_survey(frame, group_map={"人大代表、政协委员": "deputies"})


def test_unknown_values():
    frame = answers({"调查对象": "外星人", "卷别": "家长卷", "城乡": "郊区", "调查方式": "电话"})
    error = errors_of(frame)
    assert [(issue.code, issue.column) for issue in error.errors] == [
        ("unknown_value", "respondent_group"),
        ("unknown_value", "questionnaire"),
        ("unknown_value", "location"),
        ("unknown_value", "component"),
    ]


def test_duplicate_response_with_and_without_item_id():
    (issue,) = errors_of(answers({}, {"满意度": "不满意"})).errors
    assert issue.code == "duplicate_response"
    assert issue.row == 1
    assert "respondent_id=R001, item_id=Q1, county=历下区 appears on rows 0, 1" in issue.message
    without_items = answers({}, {"问卷编号": "R002"}, {}).drop(columns=["题号"])
    (issue,) = errors_of(without_items).errors
    assert issue.code == "duplicate_response"
    assert issue.row == 2


def test_respondent_id_required_with_item_id():
    (issue,) = errors_of(answers({}).drop(columns=["问卷编号"])).errors
    assert issue.code == "missing_required_column"
    assert issue.column == "respondent_id"
    (blank,) = errors_of(answers({"问卷编号": ""})).errors
    assert blank.code == "missing_value"


def test_group_questionnaire_mismatch():
    (issue,) = errors_of(answers({"调查对象": "教师", "卷别": "学生卷"})).errors
    assert issue.code == "group_questionnaire_mismatch"
    assert_located(issue, row=0, column="respondent_group", header="调查对象")
    assert "a teacher answered the student questionnaire, which takes student" in issue.message


def test_grade_out_of_range_and_young_students():
    frame = answers(
        {"调查对象": "学生", "卷别": "学生卷", "年级": "10"},
        {"问卷编号": "R002", "调查对象": "学生", "卷别": "学生卷", "年级": "3.5"},
    )
    error = errors_of(frame)
    assert [(issue.code, issue.row) for issue in error.errors] == [
        ("grade_out_of_range", 0),
        ("grade_out_of_range", 1),
    ]
    young = answers(
        {"调查对象": "学生", "卷别": "学生卷", "年级": "2"},
        {"问卷编号": "R002", "调查对象": "学生", "卷别": "学生卷", "年级": "1"},
        {"问卷编号": "R003", "调查对象": "学生", "卷别": "学生卷", "年级": "3"},
    )
    (warning,) = read_survey(young).issues
    assert warning.code == "student_below_grade_3"
    assert "county '历下区': 2 rows (rows 0, 1)" in warning.message


def test_respondent_inconsistent():
    frame = answers({}, {"题号": "Q2"}, {"题号": "Q3", "调查对象": "群众"})
    (issue,) = errors_of(frame).errors
    assert (issue.code, issue.row, issue.column) == (
        "respondent_inconsistent",
        2,
        "respondent_group",
    )
    assert (
        "respondent 'R001' in county '历下区' has several respondent_group values: 'parent' "
        "(rows 0, 1); 'public' (row 2)" in issue.message
    )


# Per county: a city-wide file holds several counties, each numbering its own questionnaires.


def test_the_same_respondent_and_item_in_two_counties_is_no_duplicate():
    frame = answers({}, {"县区": "历城区", "调查对象": "教师", "卷别": "校长教师卷"})
    table = read_survey(frame)
    assert table.issues == ()
    without_items = answers({}, {"县区": "历城区"}, {"问卷编号": "R002"}).drop(columns=["题号"])
    assert read_survey(without_items).issues == ()
    repeated = answers({}, {"县区": "历城区"}, {"县区": "历城区", "满意度": "不满意"})
    (issue,) = errors_of(repeated).errors
    assert (issue.code, issue.row) == ("duplicate_response", 2)
    assert "county=历城区 appears on rows 1, 2" in issue.message


def test_a_respondent_group_is_checked_within_the_county():
    # R001 is a parent in one county and a teacher in the other: two respondents.
    frame = answers({}, {"县区": "历城区", "题号": "Q2", "调查对象": "教师", "卷别": "校长教师卷"})
    assert read_survey(frame).issues == ()


def test_questionnaire_mismatch_names_its_county():
    frame = answers(
        {"调查对象": "教师", "卷别": "学生卷"},
        {"问卷编号": "R002", "县区": "历城区", "调查对象": "学生", "卷别": "社会卷"},
    )
    errors = errors_of(frame).errors
    assert [(issue.code, issue.row) for issue in errors] == [
        ("group_questionnaire_mismatch", 0),
        ("group_questionnaire_mismatch", 1),
    ]
    assert errors[0].message.endswith(
        "county '历下区': a teacher answered the student questionnaire, which takes student"
    )
    assert "county '历城区': a student answered the society questionnaire" in errors[1].message


def test_mixed_scales_are_found_per_county():
    # 历下区 answers on satisfaction_5, 历城区 on cers_5 (非常满意, 一般): per file the labels
    # fit no single scale, per county each fits its own. 槐荫区 mixes both within itself.
    frame = answers(
        {"满意度": "满意"},
        {"题号": "Q2", "满意度": "基本满意"},
        {"问卷编号": "R002", "县区": "历城区", "满意度": "非常满意"},
        {"问卷编号": "R002", "县区": "历城区", "题号": "Q2", "满意度": "一般"},
        {"问卷编号": "R003", "县区": "槐荫区", "满意度": "满意"},
        {"问卷编号": "R003", "县区": "槐荫区", "题号": "Q2", "满意度": "非常满意"},
        {"问卷编号": "R003", "县区": "槐荫区", "题号": "Q3", "满意度": "很好"},
    )
    (warning,) = read_survey(frame).issues
    assert (warning.code, warning.severity, warning.row, warning.column) == (
        "mixed_scales",
        "warning",
        4,
        "answer",
    )
    assert warning.message.startswith(
        "row 4 (respondent_id=R003), column answer (header '满意度'): county '槐荫区': "
        "answer labels of several scales and none holds them all: 满意 (satisfaction_5, "
        "satisfaction_3); 非常满意 (cers_5)"
    )


def test_numbers_and_labels_in_one_county_are_mixed():
    frame = answers({"满意度": "5"}, {"题号": "Q2", "满意度": "满意"})
    (warning,) = read_survey(frame).issues
    assert warning.code == "mixed_scales"
    assert "5 (numeric_1_5)" in warning.message


@pytest.mark.parametrize("weight", ["0", "-1", "", "abc"])
def test_invalid_weight(weight):
    (issue,) = errors_of(answers({"权重": weight})).errors
    assert issue.code == "invalid_weight"
    assert_located(issue, row=0, column="weight", header="权重")


@pytest.mark.parametrize(("answer", "bad"), [("5", False), ("1", False), ("6", True), ("0", True)])
def test_numeric_answers(answer, bad):
    frame = answers({"满意度": answer})
    if bad:
        (issue,) = errors_of(frame).errors
        assert issue.code == "answer_out_of_range"
        assert issue.value == answer
    else:
        assert read_survey(frame).frame["answer"].tolist() == [answer]


def test_numeric_answer_not_integer():
    (issue,) = errors_of(answers({"满意度": "4.5"})).errors
    assert issue.code == "answer_out_of_range"
    integer_valued = pd.DataFrame([ANSWER | {"满意度": 4}])
    assert read_survey(integer_valued).frame["answer"].tolist() == ["4"]


def test_blank_answers_are_counted_per_county():
    frame = answers(
        {"满意度": ""},
        {"题号": "Q2", "满意度": "—"},
        {"问卷编号": "R009", "县区": "历城区", "满意度": " "},
        {"问卷编号": "R010", "县区": "历城区"},
    )
    table = read_survey(frame)
    found = [(issue.code, issue.row) for issue in table.issues]
    assert found == [("blank_answer", 0), ("blank_answer", 2)]
    assert "county '历下区': 2 rows (rows 0, 1)" in table.issues[0].message
    assert "county '历城区': 1 rows (row 2)" in table.issues[1].message
    assert table.frame["answer"].isna().tolist() == [True, True, True, False]


def test_required_columns():
    error = errors_of(answers({}).drop(columns=["满意度", "调查对象"]))
    assert sorted(issue.column for issue in error.errors) == ["answer", "respondent_group"]
    assert {issue.code for issue in error.errors} == {"missing_required_column"}


def test_many_survey_problems_in_one_error(tmp_path):
    frame = answers(
        {},
        {"题号": "Q2", "调查对象": "人大代表/政协委员"},
        {"题号": "Q3", "权重": "0"},
        {"题号": "Q3", "满意度": "7"},
        {"问卷编号": "R002", "调查对象": "学生", "卷别": "社会卷", "年级": "12"},
    )
    path = tmp_path / "survey.csv"
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    with pytest.raises(InputError) as caught:
        read_survey(path)
    found = [(issue.code, issue.row) for issue in caught.value.errors]
    assert found == [
        ("ambiguous_group", 3),
        ("invalid_weight", 4),
        ("answer_out_of_range", 5),
        ("duplicate_response", 5),
        ("group_questionnaire_mismatch", 6),
        ("grade_out_of_range", 6),
    ]
    assert issue_of(caught.value, "ambiguous_group")[0].key == "respondent_id=R001"
