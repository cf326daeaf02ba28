"""Preconditions P1 and P2 (national-method.md §2, §12 #13, #18)."""

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eduequity.errors import DataQualityWarning, InvalidValueError
from eduequity.national.preconditions import add_years, assess_preconditions
from eduequity.national.rules import RULES_2017, Overlay, RuleOperation

# §2 P1: "通过国家义务教育基本均衡发展认定三年以上" -> assessment_year - recognition_year >= 3.
MIN_YEARS = 3


def facts(**fields):
    base = {
        "county": "测试县",
        "basic_balance_recognition_year": 2016,
        "post_recognition_monitoring": True,
        "post_recognition_monitoring_evidence": "年度监测报告 2017-2019",
    }
    base.update(fields)
    return base


def test_recognition_three_years_before_passes_at_the_bound():
    # §2 P1 with §12 #13: 2019 - 2016 = 3 >= 3, the bound is included (三年以上).
    part = assess_preconditions(facts(), RULES_2017, assessment_year=2019)
    p1 = part.item("basic_balance_recognition")
    assert p1.status == "pass"
    assert p1.code == "P1"
    assert (p1.value, p1.limit, p1.comparator) == (3, 3, ">=")
    assert part.status == "pass"
    assert part.passed
    assert part.failures == ()


def test_recognition_two_years_before_fails_with_a_failure():
    part = assess_preconditions(facts(), RULES_2017, assessment_year=2018)
    p1 = part.item("basic_balance_recognition")
    assert p1.status == "fail"
    assert p1.value == 2
    assert part.status == "fail"
    (failure,) = part.failures
    assert failure.item_id == "basic_balance_recognition"
    assert failure.code == "P1"
    assert failure.value == 2
    assert failure.limit == 3
    assert failure.comparator == ">="
    assert failure.rule_key == "precondition.basic_balance_recognition.min_years"
    assert failure.source


def test_assessment_year_defaults_to_the_facts_year():
    assert assess_preconditions(facts(year=2020), RULES_2017).status == "pass"
    assert assess_preconditions(facts(year=2018), RULES_2017).status == "fail"


def test_missing_recognition_year_is_incomplete():
    part = assess_preconditions(
        facts(basic_balance_recognition_year=None), RULES_2017, assessment_year=2020
    )
    p1 = part.item("basic_balance_recognition")
    assert p1.status == "incomplete"
    assert "basic_balance_recognition_year" in p1.reasons[0]
    assert part.status == "incomplete"
    assert not part.passed


def test_missing_assessment_year_is_incomplete():
    part = assess_preconditions(facts(), RULES_2017)
    assert part.item("basic_balance_recognition").status == "incomplete"


def test_nan_recognition_year_is_missing_not_zero():
    part = assess_preconditions(
        facts(basic_balance_recognition_year=float("nan")), RULES_2017, assessment_year=2020
    )
    assert part.item("basic_balance_recognition").status == "incomplete"


def test_recognition_after_the_assessment_year_is_an_error():
    with pytest.raises(InvalidValueError, match="basic_balance_recognition_year") as info:
        assess_preconditions(facts(), RULES_2017, assessment_year=2015)
    assert info.value.code == "year_inconsistent"
    assert "测试县" in str(info.value)


def test_date_form_includes_the_anniversary():
    # §12 #13: recognition_date + 3 years <= application_date.
    recognised = facts(basic_balance_recognition_date=dt.date(2016, 5, 20))
    on_day = assess_preconditions(recognised, RULES_2017, application_date=dt.date(2019, 5, 20))
    day_before = assess_preconditions(recognised, RULES_2017, application_date=dt.date(2019, 5, 19))
    assert on_day.item("basic_balance_recognition").status == "pass"
    assert on_day.item("basic_balance_recognition").limit == dt.date(2019, 5, 20)
    assert day_before.item("basic_balance_recognition").status == "fail"
    assert day_before.item("basic_balance_recognition").input_source == "facts (dates)"


def test_date_form_wins_over_years_when_both_dates_are_known():
    # By calendar years 2019 - 2016 = 3 passes; by dates 2019-03-01 < 2019-05-20 fails.
    recognised = facts(basic_balance_recognition_date="2016-05-20", application_date="2019-03-01")
    part = assess_preconditions(recognised, RULES_2017, assessment_year=2019)
    assert part.item("basic_balance_recognition").status == "fail"


def test_date_form_without_application_date_uses_years():
    recognised = facts(basic_balance_recognition_date=dt.date(2016, 12, 30))
    part = assess_preconditions(recognised, RULES_2017, assessment_year=2019)
    assert part.item("basic_balance_recognition").status == "pass"
    assert part.item("basic_balance_recognition").value == 3


def test_add_years_moves_29_february_to_28_february():
    assert add_years(dt.date(2016, 2, 29), 3) == dt.date(2019, 2, 28)
    assert add_years(dt.date(2016, 2, 29), 4) == dt.date(2020, 2, 29)
    assert add_years(dt.date(2015, 1, 31), 3) == dt.date(2018, 1, 31)


def test_p2_declared_true_with_evidence_passes():
    part = assess_preconditions(facts(), RULES_2017, assessment_year=2019)
    p2 = part.item("post_recognition_monitoring")
    assert p2.status == "pass"
    assert p2.code == "P2"
    assert p2.evidence == "年度监测报告 2017-2019"
    assert p2.kind == "declared"


def test_p2_true_without_evidence_warns_and_notes():
    bare = facts(post_recognition_monitoring_evidence=None)
    with pytest.warns(DataQualityWarning, match="evidence_missing"):
        part = assess_preconditions(bare, RULES_2017, assessment_year=2019)
    assert part.item("post_recognition_monitoring").status == "pass"
    assert any("evidence_missing" in note for note in part.notes)


def test_p2_true_without_evidence_is_an_error_under_strict():
    bare = facts(post_recognition_monitoring_evidence=" ")
    with pytest.raises(InvalidValueError) as info:
        assess_preconditions(bare, RULES_2017, assessment_year=2019, strict=True)
    assert info.value.code == "evidence_missing"


def test_p2_false_fails_and_missing_is_incomplete():
    declared_false = assess_preconditions(
        facts(post_recognition_monitoring=False), RULES_2017, assessment_year=2019
    )
    assert declared_false.item("post_recognition_monitoring").status == "fail"
    assert declared_false.status == "fail"
    assert [f.item_id for f in declared_false.failures] == ["post_recognition_monitoring"]
    missing = assess_preconditions(
        facts(post_recognition_monitoring=None), RULES_2017, assessment_year=2019
    )
    assert missing.item("post_recognition_monitoring").status == "incomplete"
    assert missing.status == "incomplete"


def test_fail_wins_over_incomplete():
    part = assess_preconditions(
        facts(post_recognition_monitoring=None), RULES_2017, assessment_year=2017
    )
    assert part.status == "fail"


def test_no_facts_is_not_assessed_and_never_passed():
    part = assess_preconditions(None, RULES_2017, assessment_year=2020)
    assert part.status == "not_assessed"
    assert not part.passed
    assert [item.status for item in part.items] == ["not_assessed", "not_assessed"]


def test_min_years_comes_from_the_rule_set():
    four = Overlay(
        id="four_years",
        title="test overlay",
        parent=RULES_2017.id,
        operations=(
            RuleOperation(
                op="set", key="precondition.basic_balance_recognition.min_years", value=4
            ),
        ),
    )
    rules = RULES_2017.with_overlay(four)
    assert assess_preconditions(facts(), rules, assessment_year=2019).status == "fail"
    assert assess_preconditions(facts(), rules, assessment_year=2020).status == "pass"


def test_result_is_json_safe():
    part = assess_preconditions(
        facts(basic_balance_recognition_date="2016-05-20"),
        RULES_2017,
        application_date="2019-05-20",
    )
    text = json.dumps(part.to_dict(), ensure_ascii=False)
    assert "2019-05-20" in text


@settings(max_examples=100, deadline=None)
@given(
    recognised=st.integers(min_value=2013, max_value=2030),
    gap=st.integers(min_value=0, max_value=10),
)
def test_p1_passes_exactly_when_at_least_three_years_elapsed(recognised, gap):
    part = assess_preconditions(
        facts(basic_balance_recognition_year=recognised),
        RULES_2017,
        assessment_year=recognised + gap,
    )
    expected = "pass" if gap >= MIN_YEARS else "fail"
    assert part.item("basic_balance_recognition").status == expected
