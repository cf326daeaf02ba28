"""One-vote vetoes (national-method.md §7, §12 #15, #18)."""

import json

import pytest
from tests.national._overlays import changed

from eduequity.errors import InvalidTypeError
from eduequity.national._outcomes import PartResult
from eduequity.national.recognition import assess_recognition
from eduequity.national.rules import RULES_2017
from eduequity.national.vetoes import assess_vetoes

# §7: the six fact vetoes; `true` means the bad condition exists.
FACT_VETOES = [
    "veto_exam_admission",
    "veto_school_choice",
    "veto_key_schools_or_classes",
    "veto_unfilled_posts",
    "veto_major_incident",
    "veto_falsification",
]
CLEAN = {"county": "测试县", **dict.fromkeys(FACT_VETOES, False)}
RECOGNISED = PartResult(part="social_recognition", status="pass")
NOT_RECOGNISED = PartResult(part="social_recognition", status="fail")


def facts(**fields):
    return {**CLEAN, **fields}


def test_no_veto_condition_passes():
    part = assess_vetoes(facts(), RULES_2017, recognition=RECOGNISED)
    assert part.part == "veto"
    assert part.status == "pass"
    assert part.passed
    assert [item.item_id for item in part.items] == [
        *FACT_VETOES,
        "veto_social_recognition",
        "veto_tutoring_governance",
    ]
    assert part.failures == ()
    json.dumps(part.to_dict(), ensure_ascii=False)


@pytest.mark.parametrize("veto", FACT_VETOES)
def test_each_veto_that_exists_fails(veto):
    part = assess_vetoes(
        facts(**{veto: True, f"{veto}_evidence": "督查通报"}), RULES_2017, recognition=RECOGNISED
    )
    item = part.item(veto)
    assert item.status == "fail"
    assert item.value is True
    assert item.evidence == "督查通报"
    assert item.title_zh
    assert part.status == "fail"
    (failure,) = part.failures
    assert failure.item_id == veto
    assert failure.part == "veto"
    assert item.title_zh in failure.message


@pytest.mark.parametrize("veto", FACT_VETOES)
def test_each_missing_veto_is_incomplete_never_assumed_absent(veto):
    part = assess_vetoes(facts(**{veto: None}), RULES_2017, recognition=RECOGNISED)
    assert part.item(veto).status == "incomplete"
    assert part.status == "incomplete"
    absent = {key: value for key, value in facts().items() if key != veto}
    assert assess_vetoes(absent, RULES_2017, recognition=RECOGNISED).item(veto).status == (
        "incomplete"
    )


def test_false_veto_passes_and_fail_wins_over_incomplete():
    part = assess_vetoes(
        facts(veto_falsification=True, veto_school_choice=None),
        RULES_2017,
        recognition=RECOGNISED,
    )
    assert part.item("veto_exam_admission").status == "pass"
    assert part.status == "fail"


def test_tutoring_governance_is_disabled_by_default():
    # §7, §12 #15: available but disabled.
    part = assess_vetoes(facts(veto_tutoring_governance=True), RULES_2017, recognition=RECOGNISED)
    item = part.item("veto_tutoring_governance")
    assert item.status == "not_applicable"
    assert part.status == "pass"
    assert any("disabled" in note for note in part.notes)


def test_tutoring_governance_decides_once_enabled():
    rules = changed(RULES_2017, "veto.veto_tutoring_governance.enabled", value=True)
    on = assess_vetoes(facts(veto_tutoring_governance=True), rules, recognition=RECOGNISED)
    assert on.item("veto_tutoring_governance").status == "fail"
    missing = assess_vetoes(facts(), rules, recognition=RECOGNISED)
    assert missing.item("veto_tutoring_governance").status == "incomplete"


def test_social_recognition_veto_follows_part_four():
    failed = assess_vetoes(facts(), RULES_2017, recognition=NOT_RECOGNISED)
    assert failed.item("veto_social_recognition").status == "fail"
    assert failed.item("veto_social_recognition").kind == "derived"
    assert failed.status == "fail"
    assert [f.item_id for f in failed.failures] == ["veto_social_recognition"]
    passed = assess_vetoes(facts(), RULES_2017, recognition=RECOGNISED)
    assert passed.item("veto_social_recognition").status == "pass"


def test_social_recognition_veto_from_a_real_part():
    part4 = assess_recognition(None, {"social_recognition": 0.84}, RULES_2017)
    vetoes = assess_vetoes(facts(), RULES_2017, recognition=part4)
    item = vetoes.item("veto_social_recognition")
    assert item.status == "fail"
    assert "0.84" in vetoes.failures[0].message


@pytest.mark.parametrize("status", ["incomplete", "not_assessed"])
def test_social_recognition_veto_is_incomplete_when_part_four_is_undecided(status):
    part4 = PartResult(part="social_recognition", status=status)
    part = assess_vetoes(facts(), RULES_2017, recognition=part4)
    assert part.item("veto_social_recognition").status == "incomplete"
    assert part.status == "incomplete"


def test_social_recognition_veto_without_part_four_is_incomplete():
    part = assess_vetoes(facts(), RULES_2017)
    assert part.item("veto_social_recognition").status == "incomplete"
    assert part.status == "incomplete"
    assert not part.passed


def test_no_facts_and_no_recognition_is_not_assessed():
    part = assess_vetoes(None, RULES_2017)
    assert part.status == "not_assessed"
    assert not part.passed


def test_no_facts_but_failed_recognition_still_fails():
    part = assess_vetoes(None, RULES_2017, recognition=NOT_RECOGNISED)
    assert part.status == "fail"
    assert part.item("veto_exam_admission").status == "not_assessed"


def test_veto_field_of_wrong_type_is_an_error():
    with pytest.raises(InvalidTypeError, match="veto_school_choice") as info:
        assess_vetoes(facts(veto_school_choice="无"), RULES_2017)
    assert info.value.code == "not_a_boolean"


def test_vetoes_accept_zero_and_one_flags():
    # pandas gives a boolean column with gaps as 1.0 / 0.0 / NaN.
    part = assess_vetoes(
        facts(veto_exam_admission=0.0, veto_falsification=1.0, veto_school_choice=float("nan")),
        RULES_2017,
        recognition=RECOGNISED,
    )
    assert part.item("veto_exam_admission").status == "pass"
    assert part.item("veto_falsification").status == "fail"
    assert part.item("veto_school_choice").status == "incomplete"
