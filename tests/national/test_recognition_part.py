"""Part 4, social recognition (national-method.md §6; social-recognition.md §2.5, §5-§7)."""

import json

import pandas as pd
import pytest
from tests.national._overlays import changed

from eduequity.datasets import demo_path
from eduequity.errors import DegenerateDataWarning, InvalidArgumentError, InvalidValueError
from eduequity.errors import InputError as _InputError
from eduequity.national import assess_county as _assess_county
from eduequity.national._outcomes import PartResult
from eduequity.national.recognition import RecognitionPart, assess_recognition
from eduequity.national.rules import RULES_2012, RULES_2017, get_rules

SHENYANG = get_rules(2017, overlay="shenyang")


def survey(positive, negative, *, county="测试县", **columns):
    # data-schema.md §3: one row per answer; satisfaction_5 labels (social-recognition.md §4).
    frame = pd.DataFrame(
        {
            "county": county,
            "respondent_group": "parent",
            "answer": ["满意"] * positive + ["不满意"] * negative,
        }
    )
    for name, value in columns.items():
        frame[name] = value
    return frame


FACTS = {"county": "测试县", "year": 2023}


def test_survey_rate_at_the_threshold_passes():
    # §6: 达到85%以上 includes the bound; 17 of 20 = 0.85 exactly.
    part = assess_recognition(survey(17, 3), FACTS, RULES_2017)
    assert isinstance(part, RecognitionPart)
    assert isinstance(part, PartResult)
    assert part.part == "social_recognition"
    assert part.status == "pass"
    assert part.passed
    assert part.source == "survey"
    assert part.result is not None
    assert part.result.n_valid == 20
    item = part.item("social_recognition")
    assert (item.value, item.limit, item.comparator) == (0.85, 0.85, ">=")
    assert item.input_source == "survey"
    assert item.title_zh == "社会认可度"
    json.dumps(part.to_dict(), ensure_ascii=False)


def test_survey_below_the_threshold_fails_with_a_failure():
    part = assess_recognition(survey(16, 4), FACTS, RULES_2017)
    assert part.status == "fail"
    (failure,) = part.failures
    assert failure.item_id == "social_recognition"
    assert failure.value == 0.8
    assert failure.limit == 0.85


def test_interval_is_reported_as_a_note():
    # social-recognition.md §7 normative example: 860 of 1000 -> passes, indeterminate.
    part = assess_recognition(survey(860, 140), FACTS, RULES_2017)
    assert part.status == "pass"
    assert part.result.ci_status == "indeterminate"
    assert any("not distinguishable from 85%" in note for note in part.notes)


def test_fact_is_used_without_a_survey():
    part = assess_recognition(None, {**FACTS, "social_recognition": 0.85}, RULES_2017)
    assert part.status == "pass"
    assert part.source == "facts"
    assert part.result is None
    assert part.item("social_recognition").input_source == "facts"
    failed = assess_recognition(None, {**FACTS, "social_recognition": 0.8499}, RULES_2017)
    assert failed.status == "fail"
    assert len(failed.failures) == 1


def test_survey_takes_precedence_over_the_fact():
    # §6: "the survey table, if present, takes precedence".
    passes = assess_recognition(survey(18, 2), {**FACTS, "social_recognition": 0.5}, RULES_2017)
    assert (passes.status, passes.source) == ("pass", "survey")
    fails = assess_recognition(survey(10, 10), {**FACTS, "social_recognition": 0.99}, RULES_2017)
    assert (fails.status, fails.source) == ("fail", "survey")


def test_survey_without_rows_for_the_county_falls_back_to_the_fact():
    other = survey(20, 0, county="别的县")
    part = assess_recognition(other, {**FACTS, "social_recognition": 0.7}, RULES_2017)
    assert (part.status, part.source) == ("fail", "facts")
    assert any("no answers for county" in note for note in part.notes)


def test_rows_of_other_counties_are_ignored():
    mixed = pd.concat([survey(17, 3), survey(0, 20, county="别的县")], ignore_index=True)
    part = assess_recognition(mixed, FACTS, RULES_2017)
    assert part.result.n_valid == 20
    assert part.status == "pass"


def test_missing_fact_and_no_survey_is_incomplete():
    part = assess_recognition(None, FACTS, RULES_2017)
    assert part.status == "incomplete"
    assert not part.passed
    assert part.source == "facts"


def test_no_data_is_not_assessed_and_never_passed():
    part = assess_recognition(None, None, RULES_2017)
    assert part.status == "not_assessed"
    assert not part.passed
    assert part.source is None
    assert part.result is None
    assert [item.status for item in part.items] == ["not_assessed"]


def test_all_blank_answers_leave_the_part_incomplete():
    blank = pd.DataFrame({"respondent_group": ["parent"] * 3, "answer": [None, "", " "]})
    with pytest.warns(DegenerateDataWarning):
        part = assess_recognition(blank, FACTS, RULES_2017)
    assert part.status == "incomplete"
    assert part.source == "survey"


def test_scoring_options_are_passed_through():
    # satisfaction_5_strict counts only 满意 and 比较满意 as positive (social-recognition.md §4).
    answers = pd.DataFrame({"answer": ["满意"] * 8 + ["基本满意"] * 2})
    default = assess_recognition(answers, FACTS, RULES_2017)
    strict = assess_recognition(answers, FACTS, RULES_2017, scale="satisfaction_5_strict")
    assert default.item("social_recognition").value == 1.0
    assert strict.item("social_recognition").value == 0.8
    assert strict.status == "fail"


def test_items_option_restricts_to_chosen_questions():
    rows = pd.DataFrame(
        {
            "respondent_id": ["r1", "r1", "r2", "r2"],
            "item_id": ["overall", "q2", "overall", "q2"],
            "answer": ["满意", "不满意", "满意", "不满意"],
        }
    )
    part = assess_recognition(rows, FACTS, RULES_2017, items=["overall"])
    assert part.item("social_recognition").value == 1.0
    with pytest.raises(InvalidArgumentError, match="item_id"):
        assess_recognition(rows.drop(columns=["item_id"]), FACTS, RULES_2017, items=["overall"])


@pytest.mark.parametrize("option", ["threshold", "groups", "components"])
def test_options_owned_by_the_rule_set_or_the_table_are_refused(option):
    with pytest.raises(InvalidArgumentError, match=option):
        assess_recognition(survey(17, 3), FACTS, RULES_2017, **{option: 0.5})


def test_survey_without_answer_column_is_an_error():
    with pytest.raises(InvalidValueError, match="answer") as info:
        assess_recognition(pd.DataFrame({"respondent_group": ["parent"]}), FACTS, RULES_2017)
    assert info.value.code == "missing_required_column"


def test_two_components_must_both_pass():
    # social-recognition.md §2.5 (Shenyang): questionnaire >= 85% and field visit >= 85%.
    questionnaire = survey(9, 1, component="questionnaire")
    visits = survey(8, 2, component="实地走访")
    part = assess_recognition(pd.concat([questionnaire, visits]), FACTS, SHENYANG)
    assert part.status == "fail"
    assert [item.item_id for item in part.items] == [
        "social_recognition_questionnaire",
        "social_recognition_field_visit",
    ]
    assert [item.status for item in part.items] == ["pass", "fail"]
    assert part.item("social_recognition_field_visit").value == 0.8
    assert part.item("social_recognition_field_visit").title_zh == "社会认可度（实地走访）"
    assert [c.component for c in part.components] == ["questionnaire", "field_visit"]
    assert part.result is None
    (failure,) = part.failures
    assert failure.item_id == "social_recognition_field_visit"


def test_two_components_both_passing():
    both = pd.concat(
        [survey(9, 1, component="questionnaire"), survey(17, 3, component="field_visit")]
    )
    assert assess_recognition(both, FACTS, SHENYANG).status == "pass"


def test_a_missing_component_is_incomplete():
    only = survey(20, 0, component="questionnaire")
    part = assess_recognition(only, FACTS, SHENYANG)
    assert part.item("social_recognition_field_visit").status == "incomplete"
    assert part.status == "incomplete"


def test_two_components_from_facts():
    facts = {
        **FACTS,
        "social_recognition_questionnaire": 0.9,
        "social_recognition_field_visit": 0.85,
    }
    part = assess_recognition(None, facts, SHENYANG)
    assert part.status == "pass"
    assert part.source == "facts"
    single = assess_recognition(None, {**FACTS, "social_recognition": 0.95}, SHENYANG)
    assert single.status == "incomplete"


def test_single_component_rule_set_ignores_other_component_answers():
    # The national rule set has one component (questionnaire); field visits do not decide.
    rows = pd.concat(
        [survey(17, 3, component="questionnaire"), survey(0, 10, component="field_visit")]
    )
    part = assess_recognition(rows, FACTS, RULES_2017)
    assert part.status == "pass"
    assert part.result is not None
    assert part.result.n_valid == 20
    assert any("field_visit" in note for note in part.notes)


def test_two_components_without_component_column_are_scored_as_one():
    part = assess_recognition(survey(17, 3), FACTS, SHENYANG)
    assert part.status == "pass"
    assert [item.item_id for item in part.items] == ["social_recognition"]
    assert any("no component column" in note for note in part.notes)


def test_rule_set_without_recognition_rule_is_not_applicable():
    without = changed(RULES_2012, "recognition.threshold", op="remove")
    part = assess_recognition(survey(17, 3), FACTS, without)
    assert part.status == "not_applicable"
    assert not part.passed


def test_the_2012_rules_decide_satisfaction_at_85_percent_inclusive():
    # 满意度不低于85%才能通过 (issue 9): 17 of 20 is exactly 0.85.
    assert assess_recognition(survey(17, 3), FACTS, RULES_2012).status == "pass"
    assert assess_recognition(survey(849, 151), FACTS, RULES_2012).status == "fail"


def test_an_answer_outside_the_scale_names_the_spreadsheet_row_and_column(tmp_path):
    # data-schema.md §0.3 and §3: rows are spreadsheet rows (header = row 1), so the fifth
    # data row (position 4) is row 6; the column is `answer`.
    survey = pd.read_csv(demo_path("demo_county_survey.csv"), dtype=str, keep_default_na=False)
    survey.loc[4, "answer"] = "很好"
    path = tmp_path / "survey.csv"
    survey.to_csv(path, index=False)
    with pytest.raises(_InputError) as caught:
        _assess_county(str(demo_path("demo_county_schools.csv")), survey=str(path))
    (issue,) = caught.value.errors
    assert issue.code == "unknown_answer"
    assert issue.table == "survey"
    assert issue.column == "answer"
    assert "'很好' at row 6" in issue.message
