"""Rule sets of the national method: values, provenance, overlays, conditionals, errors.

Every expected value is copied from the specification, ``national-method.md`` (cited by
section at each fixture), never from the code under test.
"""

import hashlib
import json
import os
import re
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction
from importlib import resources

import attrs
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eduequity.errors import InvalidArgumentError, InvalidTypeError, RuleSetError
from eduequity.national.rules import (
    OVERLAYS,
    RULES_2012,
    RULES_2017,
    Condition,
    ConditionalRule,
    Overlay,
    Predicate,
    RuleEntry,
    RuleOperation,
    RuleSet,
    Source,
    get_rules,
    list_overlays,
    list_rulesets,
    load_overlay,
    load_ruleset,
)

INDICATORS_2017 = (
    "qualified_teachers_per_100",
    "backbone_teachers_per_100",
    "pe_arts_teachers_per_100",
    "teaching_area_per_student",
    "sports_area_per_student",
    "equipment_value_per_student",
    "multimedia_rooms_per_100",
)

# national-method.md §3.1, the seven standards: (primary, junior, unit).
STANDARDS_3_1 = {
    "qualified_teachers_per_100": ("4.2", "5.3", "teachers per 100 pupils"),
    "backbone_teachers_per_100": ("1", "1", "teachers per 100 pupils"),
    "pe_arts_teachers_per_100": ("0.9", "0.9", "teachers per 100 pupils"),
    "teaching_area_per_student": ("4.5", "5.8", "m² per pupil"),
    "sports_area_per_student": ("7.5", "10.2", "m² per pupil"),
    "equipment_value_per_student": ("2000", "2500", "yuan per pupil"),
    "multimedia_rooms_per_100": ("2.3", "2.4", "rooms per 100 pupils"),
}

# national-method.md §3.5, the 85% floors implied by the national standards (table).
FLOORS_3_5 = {
    "primary": ("3.57", "0.85", "0.765", "3.825", "6.375", "1700", "1.955"),
    "junior": ("4.505", "0.85", "0.765", "4.93", "8.67", "2125", "2.04"),
}

# national-method.md §4, codes G1-G15 in order.
GUARANTEE_IDS = (
    "layout_planning",
    "unified_standards",
    "music_art_rooms",
    "school_size",
    "class_size",
    "small_school_funding",
    "special_ed_funding",
    "teacher_salary_parity",
    "teacher_training_completion",
    "staffing_coordination",
    "teacher_rotation",
    "teacher_certification",
    "nearby_enrolment",
    "high_school_quota_allocation",
    "left_behind_and_migrant_children",
)
# national-method.md §4, column "Kind".
GUARANTEE_KINDS = (
    "declared",
    "declared",
    "quantitative",
    "quantitative",
    "quantitative",
    "declared",
    "quantitative",
    "quantitative+declared",
    "quantitative",
    "declared",
    "quantitative",
    "quantitative",
    "quantitative",
    "quantitative+declared",
    "quantitative+declared",
)
# national-method.md §5, codes Q1-Q9 in order, with their kinds.
QUALITY = (
    ("junior_retention_rate", "quantitative"),
    ("disabled_enrolment_rate", "quantitative"),
    ("charters_and_informatization", "declared"),
    ("teacher_training_budget_share", "quantitative"),
    ("ict_use_in_teaching", "declared"),
    ("moral_education_and_culture", "declared"),
    ("curriculum_and_order", "declared"),
    ("no_excessive_burden", "declared"),
    ("academic_monitoring", "quantitative"),
)
# national-method.md §7 (enabled flag: the tutoring item is disabled by default).
VETOES = (
    ("veto_exam_admission", "以考试方式招生", True),
    ("veto_school_choice", "违规择校行为", True),
    ("veto_key_schools_or_classes", "重点学校或重点班", True),
    ("veto_unfilled_posts", '"有编不补"或长期聘用编外教师', True),
    ("veto_major_incident", "教育系统存在重大安全责任事故和严重违纪违规事件", True),
    ("veto_falsification", "弄虚作假行为", True),
    ("veto_social_recognition", "社会认可度低于85%", True),
    ("veto_tutoring_governance", "规范治理校外培训机构及减轻中小学课外负担不力", False),
)


def _pin(rules, key, value, comparator=None, stage=None):
    entry = rules[key]
    assert entry.value == value, key
    assert entry.comparator == comparator, key
    assert entry.stage == stage, key
    return entry


# --------------------------------------------------------------------------------------------
# 2017 values


@pytest.mark.parametrize("indicator", INDICATORS_2017)
@pytest.mark.parametrize("stage", ["primary", "junior"])
def test_standards_of_section_3_1(indicator, stage):
    primary, junior, unit = STANDARDS_3_1[indicator]
    expected = primary if stage == "primary" else junior
    entry = _pin(RULES_2017, f"resource.standard.{stage}.{indicator}", expected, ">=", stage)
    assert entry.unit == unit
    assert entry.source is not None
    assert entry.source.url is not None
    # Indicators 1-3 are verified against the Hebei rules; 4-7 rest on a machine-written
    # summary site and agreeing implementations only: secondary (issue 9).
    verified = indicator in INDICATORS_2017[:3]
    assert entry.tag == ("V" if verified else "S")
    assert entry.verified is verified


def test_there_are_exactly_fourteen_standards():
    assert len(RULES_2017.keys("resource.standard.")) == 14


@pytest.mark.parametrize("stage", ["primary", "junior"])
def test_floors_equal_the_table_of_section_3_5_exactly(stage):
    ratio = RULES_2017.fraction("resource.floor_ratio")
    for indicator, floor in zip(INDICATORS_2017, FLOORS_3_5[stage], strict=True):
        standard = RULES_2017.fraction(f"resource.standard.{stage}.{indicator}")
        assert ratio * standard == Fraction(floor), (stage, indicator)


def test_per_school_rule_and_cv_limits():
    # national-method.md §3.5 (6 of 7, 85%) and §3.7 (0.50 / 0.45, "<=").
    assert _pin(RULES_2017, "resource.min_met", 6, ">=").integer == 6
    assert _pin(RULES_2017, "resource.floor_ratio", "0.85", ">=").decimal == Decimal("0.85")
    _pin(RULES_2017, "resource.cv_limit.primary", "0.50", "<=", "primary")
    _pin(RULES_2017, "resource.cv_limit.junior", "0.45", "<=", "junior")
    assert RULES_2017.fraction("resource.cv_limit.primary") == Fraction(1, 2)
    assert RULES_2017.fraction("resource.cv_limit.junior") == Fraction(9, 20)


def test_method_indicators_and_stages():
    assert RULES_2017.text("method") == "quality_balance"
    assert RULES_2017.ids("resource.indicators") == INDICATORS_2017
    assert RULES_2017.ids("resource.stages") == ("primary", "junior")
    # §3.1: Anhui codes L1-L7 are accepted as aliases.
    codes = [RULES_2017.text(f"resource.{i}.code") for i in INDICATORS_2017]
    assert codes == [f"L{n}" for n in range(1, 8)]
    assert (
        RULES_2017.text("resource.teaching_area_per_student.title_zh") == "生均教学及辅助用房面积"
    )


def test_unit_preparation_of_section_3_3():
    assert RULES_2017.flag("units.merge_sites") is True
    assert RULES_2017.ids("units.excluded_types") == ("special", "vocational")
    entry = _pin(RULES_2017, "units.min_teaching_point_students", 50, "<")
    assert entry.unit == "pupils"
    assert RULES_2017.flag("units.include_private") is True
    assert RULES_2017.ids("units.exclude_school_ids") == ()


# national-method.md §3.4, pupil-equivalence ratios 1:1.1, 1:1.1:1.32, 1:1.2.
SPLIT_WEIGHTS = {
    "split.weight.nine_year.primary": "1",
    "split.weight.nine_year.junior": "1.1",
    "split.weight.twelve_year.primary": "1",
    "split.weight.twelve_year.junior": "1.1",
    "split.weight.twelve_year.senior": "1.32",
    "split.weight.complete_middle.junior": "1",
    "split.weight.complete_middle.senior": "1.2",
}


@pytest.mark.parametrize("rules", [RULES_2017, RULES_2012], ids=["2017", "2012"])
def test_split_weights_of_section_3_4(rules):
    assert rules.keys("split.weight.") == tuple(sorted(SPLIT_WEIGHTS))
    for key, value in SPLIT_WEIGHTS.items():
        entry = rules[key]
        assert entry.value == value
        assert entry.stage == key.rsplit(".", 1)[1]
        assert entry.tag == "V"


def test_split_scope_2017_is_the_four_facility_indicators():
    # national-method.md §3.4: split_applies_to = indicators 4-7.
    assert RULES_2017.ids("split.applies_to") == INDICATORS_2017[3:]


def test_area_adjust_rounding_and_cv_conventions():
    # national-method.md §3.2 (area, flag-gated adjustments off), §3.6 and §12 #6.
    assert RULES_2017.flag("area.deduct_indoor_sports_from_teaching_area") is True
    assert RULES_2017.flag("adjust.shared_pe_arts_teachers") is False
    assert RULES_2017.flag("adjust.offsite_sports_venues") is False
    assert RULES_2017.integer("rounding.display_decimals") == 3
    assert RULES_2017.flag("rounding.round_intermediate") is False
    assert RULES_2017.text("cv.weighting") == "enrolment"
    assert RULES_2017.integer("cv.ddof") == 0
    assert RULES_2017.decimal("cv.exact_tolerance") == Decimal("1e-9")


def test_preconditions_of_section_2():
    assert RULES_2017.ids("precondition.ids") == (
        "basic_balance_recognition",
        "post_recognition_monitoring",
    )
    entry = _pin(RULES_2017, "precondition.basic_balance_recognition.min_years", 3, ">=")
    # Hebei restates the condition [V]; the national wording "3年以上" is [M].
    assert entry.tag == "V"
    assert entry.verified is False


def test_guarantee_list_codes_and_kinds_of_section_4():
    assert RULES_2017.ids("guarantee.ids") == GUARANTEE_IDS
    for number, (gid, kind) in enumerate(zip(GUARANTEE_IDS, GUARANTEE_KINDS, strict=True), 1):
        assert RULES_2017.text(f"guarantee.{gid}.code") == f"G{number}"
        assert RULES_2017.text(f"guarantee.{gid}.kind") == kind
        assert RULES_2017[f"guarantee.{gid}.title_zh"].verified is False
    assert RULES_2017.text("guarantee.music_art_rooms.title_zh").startswith("每12个班级")
    assert RULES_2017["guarantee.ids"].tag == "M"


# national-method.md §4 thresholds: key -> (value, comparator, stage).
GUARANTEE_THRESHOLDS = {
    "guarantee.music_art_rooms.classes_per_room": (12, None, None),
    "guarantee.music_art_rooms.room_rounding": ("ceil", None, None),
    "guarantee.music_art_rooms.min_music_room_area_m2": ("96", ">=", None),
    "guarantee.music_art_rooms.min_art_room_area_m2": ("90", ">=", None),
    "guarantee.music_art_rooms.include_teaching_points": (False, None, None),
    "guarantee.school_size.max_students": (2000, "<=", None),
    "guarantee.school_size.max_students_integrated": (2500, "<=", None),
    "guarantee.class_size.max.primary": (45, "<=", "primary"),
    "guarantee.class_size.max.junior": (50, "<=", "junior"),
    "guarantee.small_school_funding.funded_pupils": (100, None, None),
    "guarantee.special_ed_funding.min_yuan": ("6000", ">=", None),
    "guarantee.teacher_salary_parity.min_ratio": ("1", ">=", None),
    "guarantee.teacher_training_completion.min_rate": ("1", ">=", None),
    "guarantee.teacher_rotation.min_rate": ("0.10", ">=", None),
    "guarantee.teacher_rotation.min_backbone_share": ("0.20", ">=", None),
    "guarantee.teacher_certification.min_rate": ("1", ">=", None),
    "guarantee.nearby_enrolment.min_rate.primary": ("1", ">=", "primary"),
    "guarantee.nearby_enrolment.min_rate.junior": ("0.95", ">=", "junior"),
    "guarantee.high_school_quota_allocation.min_rate": ("0.50", ">=", None),
    "guarantee.left_behind_and_migrant_children.min_public_share": ("0.85", ">=", None),
}


@pytest.mark.parametrize("key", sorted(GUARANTEE_THRESHOLDS))
def test_guarantee_thresholds_of_section_4(key):
    value, comparator, stage = GUARANTEE_THRESHOLDS[key]
    entry = _pin(RULES_2017, key, value, comparator, stage)
    # §12 #1: the 15 items stay unverified until checked against the MOE text; the
    # library conventions (§12 #11, #12) have nothing to confirm.
    assert entry.verified is (entry.tag == "library")


def test_quality_list_and_thresholds_of_section_5():
    assert RULES_2017.ids("quality.ids") == tuple(qid for qid, _ in QUALITY)
    for number, (qid, kind) in enumerate(QUALITY, 1):
        assert RULES_2017.text(f"quality.{qid}.code") == f"Q{number}"
        assert RULES_2017.text(f"quality.{qid}.kind") == kind
    _pin(RULES_2017, "quality.junior_retention_rate.min_rate", "0.95", ">=")
    retention_years = _pin(RULES_2017, "quality.junior_retention_rate.cohort_years", 3)
    assert retention_years.tag == "M"  # §12 #19
    _pin(RULES_2017, "quality.disabled_enrolment_rate.min_rate", "0.95", ">=")
    _pin(RULES_2017, "quality.teacher_training_budget_share.min_share", "0.05", ">=")
    _pin(RULES_2017, "quality.academic_monitoring.min_level", 3, ">=")
    _pin(RULES_2017, "quality.academic_monitoring.max_difference_rate", "0.15", "<")


def test_recognition_of_section_6():
    entry = _pin(RULES_2017, "recognition.threshold", "0.85", ">=")
    assert entry.tag == "V"
    assert entry.verified is True
    assert RULES_2017.ids("recognition.components") == ("questionnaire",)


def test_vetoes_of_section_7():
    assert RULES_2017.ids("veto.ids") == tuple(vid for vid, _, _ in VETOES)
    for vid, title, enabled in VETOES:
        assert RULES_2017.flag(f"veto.{vid}.enabled") is enabled, vid
        assert RULES_2017.text(f"veto.{vid}.title_zh") == title, vid
        assert RULES_2017[f"veto.{vid}.enabled"].verified is False, vid
    assert RULES_2017["veto.veto_exam_admission.enabled"].tag == "M"
    assert RULES_2017["veto.veto_tutoring_governance.enabled"].tag == "S"


# --------------------------------------------------------------------------------------------
# 2012 values (national-method.md §10)

INDICATORS_2012 = (
    "teaching_area_per_student",
    "sports_area_per_student",
    "equipment_value_per_student",
    "computers_per_100",
    "books_per_student",
    "teachers_per_student",
    "qualified_teachers_per_student",
    "mid_senior_title_teachers_per_student",
)


def test_2012_method_and_composite_rule():
    assert RULES_2012.id == "cn_moe_2012_basic_balance"
    assert RULES_2012.text("method") == "basic_balance"
    assert RULES_2012.ids("resource.indicators") == INDICATORS_2012
    assert RULES_2012.ids("resource.stages") == ("primary", "junior")
    assert RULES_2012.text("resource.composite") == "mean"
    for stage, limit in (("primary", "0.65"), ("junior", "0.55")):
        entry = _pin(RULES_2012, f"resource.composite_cv_limit.{stage}", limit, "<=", stage)
        assert entry.tag == "M"
        assert entry.verified is False
    # The split applies to indicators 1-5, the non-teacher items.
    assert RULES_2012.ids("split.applies_to") == INDICATORS_2012[:5]


def test_2012_has_no_per_school_rule():
    assert RULES_2012.keys("resource.standard") == ()
    assert "resource.min_met" not in RULES_2012
    assert "resource.floor_ratio" not in RULES_2012
    assert RULES_2012.keys("resource.cv_limit") == ()


def test_2012_units_and_area_match_2017():
    for key in RULES_2017.keys("units.") + RULES_2017.keys("area."):
        assert RULES_2012.value(key) == RULES_2017.value(key), key
    # §10: the indoor-sports deduction for 2012 is [M].
    assert RULES_2012["area.deduct_indoor_sports_from_teaching_area"].tag == "M"


def test_2012_government_work_and_survey():
    entry = _pin(RULES_2012, "government_work.min_score", 85, ">=")
    assert entry.tag == "M"
    assert entry.verified is False
    _pin(RULES_2012, "survey.min_sample", 600, ">=")
    _pin(RULES_2012, "survey.population_cut", 400000, "<")
    _pin(RULES_2012, "survey.sample_rate", "0.0015", ">=")
    _pin(RULES_2012, "survey.min_parent_share", "0.5", ">=")
    _pin(RULES_2012, "survey.min_valid_return_rate", "0.70", ">=")
    # 0.0015 × 400 000 = 600 (social-recognition.md §2): the two survey rules agree.
    cut = RULES_2012.fraction("survey.population_cut")
    assert RULES_2012.fraction("survey.sample_rate") * cut == RULES_2012.fraction(
        "survey.min_sample"
    )


def test_2012_document():
    assert RULES_2012.document.number == "教督〔2012〕3号"
    assert RULES_2012.document.date.isoformat() == "2012-01-20"
    assert RULES_2017.document.number == "教督〔2017〕6号"


# --------------------------------------------------------------------------------------------
# Tags and provenance


@pytest.mark.parametrize("rules", [RULES_2017, RULES_2012], ids=["2017", "2012"])
def test_tags_and_verified_flags(rules):
    for entry in rules.entries.values():
        assert entry.tag in {"V", "S", "M", "library"}
        assert entry.source is not None, entry.key
        assert entry.source.title, entry.key
        if entry.tag in {"M", "S"}:
            assert entry.verified is False, entry.key
        if entry.tag == "V":
            assert entry.source.url is not None, entry.key
        assert entry.note, entry.key


def test_spec_tagged_m_entries_are_unverified():
    keys = [
        "guarantee.ids",
        "quality.ids",
        "quality.junior_retention_rate.cohort_years",
        "veto.ids",
        "veto.veto_falsification.enabled",
    ]
    for key in keys:
        assert RULES_2017[key].tag == "M", key
        assert RULES_2017[key].verified is False, key
    with pytest.raises(RuleSetError, match="cannot be verified"):
        RuleEntry(key="x.y", value=1, tag="M", verified=True)


def test_shipped_files_store_decimals_as_text():
    def no_float(text):
        raise AssertionError(f"JSON float {text} in a shipped rule file")

    files = resources.files("eduequity.national._rulesets")
    names = sorted(item.name for item in files.iterdir() if item.name.endswith(".json"))
    assert names == [
        "cn_moe_2012_basic_balance.json",
        "cn_moe_2017_quality_balance.json",
        "overlay_anhui.json",
        "overlay_beijing.json",
        "overlay_hebei.json",
        "overlay_shenyang.json",
    ]
    for name in names:
        json.loads(files.joinpath(name).read_text(encoding="utf-8"), parse_float=no_float)


# --------------------------------------------------------------------------------------------
# Accessors and lookup


def test_accessors_read_decimal_text_exactly():
    entry = RULES_2017["resource.standard.primary.multimedia_rooms_per_100"]
    assert entry.decimal == Decimal("2.3")
    assert entry.fraction == Fraction(23, 10)
    assert entry.number == 2.3
    assert RULES_2017.number("resource.min_met") == 6.0


def test_missing_rule_names_key_and_ruleset():
    with pytest.raises(RuleSetError, match=re.escape("resource.standard.primary.nope")) as info:
        RULES_2017["resource.standard.primary.nope"]
    assert info.value.code == "missing_rule"
    assert "cn_moe_2017_quality_balance" in str(info.value)
    with pytest.raises(RuleSetError, match="missing_key"):
        RULES_2012.entry("missing_key")
    assert "resource.min_met" in RULES_2017
    assert "resource.min_met" not in RULES_2012


def test_wrong_type_accessors_name_the_key():
    with pytest.raises(
        RuleSetError, match=re.escape("guarantee.music_art_rooms.room_rounding")
    ) as info:
        RULES_2017.number("guarantee.music_art_rooms.room_rounding")
    assert info.value.code == "rule_not_numeric"
    with pytest.raises(RuleSetError, match=re.escape("units.merge_sites")):
        RULES_2017.fraction("units.merge_sites")
    with pytest.raises(RuleSetError, match=re.escape("resource.min_met")):
        RULES_2017.flag("resource.min_met")
    with pytest.raises(RuleSetError, match="method"):
        RULES_2017.ids("method")
    with pytest.raises(RuleSetError, match=re.escape("resource.indicators")):
        RULES_2017.text("resource.indicators")
    with pytest.raises(RuleSetError, match=re.escape("resource.floor_ratio")):
        RULES_2017.integer("resource.floor_ratio")


def test_keys_are_sorted_and_filtered_by_prefix():
    keys = RULES_2017.keys()
    assert keys == tuple(sorted(RULES_2017.entries))
    assert len(keys) == len(RULES_2017.entries) == len(RULES_2017)
    cv_limits = RULES_2017.keys("resource.cv_limit.")
    assert cv_limits == ("resource.cv_limit.junior", "resource.cv_limit.primary")


# --------------------------------------------------------------------------------------------
# get_rules


@pytest.mark.parametrize("edition", [2017, "2017", "cn_moe_2017_quality_balance"])
def test_get_rules_2017_aliases(edition):
    assert get_rules(edition) is RULES_2017


@pytest.mark.parametrize("edition", [2012, "2012", "cn_moe_2012_basic_balance"])
def test_get_rules_2012_aliases(edition):
    assert get_rules(edition) is RULES_2012


@pytest.mark.parametrize("edition", [2018, "2021", "quality", True, None])
def test_unknown_edition_lists_choices(edition):
    with pytest.raises(InvalidArgumentError, match="unknown edition") as info:
        get_rules(edition)
    assert "cn_moe_2017_quality_balance" in str(info.value)
    assert "2012" in str(info.value)


def test_unknown_overlay_name_lists_choices():
    with pytest.raises(InvalidArgumentError, match="shenyang") as info:
        get_rules(2017, overlay="jiangsu")
    assert "'jiangsu'" in str(info.value)
    with pytest.raises(InvalidTypeError):
        get_rules(2017, overlay=42)


def test_listings():
    assert list_rulesets() == ("cn_moe_2012_basic_balance", "cn_moe_2017_quality_balance")
    assert list_overlays() == ("anhui", "beijing", "hebei", "shenyang")
    assert set(OVERLAYS) == set(list_overlays())
    assert all(overlay.parent == RULES_2017.id for overlay in OVERLAYS.values())


def test_overlay_does_not_apply_to_another_edition():
    with pytest.raises(RuleSetError, match="cn_moe_2012_basic_balance") as info:
        get_rules(2012, overlay="hebei")
    assert "hebei" in str(info.value)


# --------------------------------------------------------------------------------------------
# Overlays


@pytest.mark.parametrize("name", ["hebei", "anhui"])
def test_identity_overlays_change_no_value(name):
    rules = get_rules(2017, overlay=name)
    assert rules.overlays == (name,)
    assert rules.changes == ()
    assert rules.conditionals == ()
    assert rules.entries == RULES_2017.entries
    assert rules.id == RULES_2017.id
    assert rules.version == RULES_2017.version
    # The hash covers the overlay chain, so the configuration is visible in every result.
    assert rules.content_hash != RULES_2017.content_hash
    assert rules.applied_overlays[0].source.title
    assert rules.identity() == {
        "id": "cn_moe_2017_quality_balance",
        "version": RULES_2017.version,
        "overlays": [name],
        "content_hash": rules.content_hash,
    }


def test_identity_overlays_have_distinct_hashes():
    assert get_rules(overlay="hebei").content_hash != get_rules(overlay="anhui").content_hash


def test_hebei_and_anhui_provenance():
    assert "河北" in OVERLAYS["hebei"].source.title
    assert OVERLAYS["hebei"].source.url is not None
    assert OVERLAYS["hebei"].tag == "V"
    assert OVERLAYS["hebei"].operations == ()
    # Issue 9: the Anhui overlay cites the Anhui rules, not the county page (宁国市) that
    # quotes them; their text is not on record, so the overlay is secondary.
    anhui = OVERLAYS["anhui"]
    assert anhui.source.number == "皖教督〔2018〕8号"
    assert anhui.source.title == "安徽省县域义务教育优质均衡发展督导评估实施细则"
    assert anhui.source.url is None
    assert anhui.tag == "S"


def test_county_pages_are_cited_as_what_they_are():
    ningguo = "https://275167.com/OpennessContent/download/2668105.html"
    for key in ("resource.cv_limit.primary", "resource.qualified_teachers_per_100.code"):
        source = RULES_2017[key].source
        assert source.url == ningguo
        assert "宁国市" in source.title
    for overlay in OVERLAYS.values():
        assert overlay.source.url != ningguo
    # The 凌海 page shows none of the Shenyang values.
    shenyang = OVERLAYS["shenyang"]
    assert shenyang.source.url is None
    assert "lnlh.gov.cn" not in shenyang.note
    assert shenyang.tag == "S"


def test_g10_title():
    title = RULES_2017["guarantee.staffing_coordination.title_zh"]
    assert title.value == "县级教育行政部门统筹分配各校教职工编制和岗位数量"


def test_nothing_is_verified_on_the_strength_of_the_summary_site_alone():
    # Issue 9: the study-aid summary of 教督〔2017〕6号 is machine-written and wrong in places.
    summary = "https://www.fudaoke.com/exam/3242393.html"
    cited = [entry for entry in RULES_2017.entries.values() if entry.source.url == summary]
    assert len(cited) == 37  # 36 were tagged [V]; one was [S] already
    for entry in cited:
        assert (entry.tag, entry.verified) == ("S", False), entry.key
    # Confirmed elsewhere: the CV limits by the county disclosure quoting the Anhui rules,
    # the recognition threshold by a journal article and the MOE notice of 2021.
    for key in ("resource.cv_limit.primary", "resource.cv_limit.junior", "recognition.threshold"):
        assert RULES_2017[key].tag == "V", key
        assert RULES_2017[key].source.url != summary, key


@pytest.mark.parametrize("rules", [RULES_2017, RULES_2012], ids=["2017", "2012"])
def test_large_class_thresholds_are_rules(rules):
    large = rules["class_size.large.min_pupils"]
    super_large = rules["class_size.super_large.min_pupils"]
    assert (large.value, large.comparator, large.unit) == (56, ">=", "pupils per class")
    assert (super_large.value, super_large.comparator) == (66, ">=")
    assert large.verified is False
    assert super_large.verified is False


def test_beijing_records_the_district_definition_only():
    rules = get_rules(2017, overlay="beijing")
    (change,) = rules.changes
    assert change.key == "definition.backbone_teachers.min_level"
    assert (change.op, change.old_value, change.new_value) == ("set", "county", "district")
    for key, entry in RULES_2017.entries.items():
        if key != change.key:
            assert rules[key] == entry, key
    assert rules["definition.backbone_teachers.min_level"].source.clause == "区级及以上骨干教师"


def test_shenyang_raises_g7_and_records_the_change():
    rules = get_rules(2017, overlay="shenyang")
    assert rules.number("guarantee.special_ed_funding.min_yuan") == 8000
    (change,) = [c for c in rules.changes if c.key == "guarantee.special_ed_funding.min_yuan"]
    assert (change.overlay, change.op) == ("shenyang", "set")
    assert (change.old_value, change.new_value) == ("6000", "8000")
    assert change.source is not None
    entry = rules["guarantee.special_ed_funding.min_yuan"]
    assert entry.tag == "S"
    assert entry.verified is False
    assert entry.comparator == ">="  # kept from the national rule
    assert entry.unit == RULES_2017["guarantee.special_ed_funding.min_yuan"].unit
    # the base rule set is untouched
    assert RULES_2017.value("guarantee.special_ed_funding.min_yuan") == "6000"


def test_shenyang_additions_flags_and_recognition():
    # national-method.md §11.2; social-recognition.md §2.5.
    rules = get_rules(2017, overlay="shenyang")
    _pin(rules, "guarantee.public_funds_benchmark.min_yuan.primary", "1150", ">=", "primary")
    _pin(rules, "guarantee.public_funds_benchmark.min_yuan.junior", "1350", ">=", "junior")
    assert rules.ids("recognition.components") == ("questionnaire", "field_visit")
    assert rules.value("recognition.component_threshold.field_visit") == "0.85"
    assert rules.flag("adjust.shared_pe_arts_teachers") is True
    assert rules.flag("adjust.offsite_sports_venues") is True
    added = {c.key for c in rules.changes if c.op == "add"}
    assert "guarantee.public_funds_benchmark.min_yuan.primary" in added
    assert all(c.old_value is None for c in rules.changes if c.op == "add")


def test_shenyang_conditionals():
    rules = get_rules(2017, overlay="shenyang")
    described = {(rule.key, rule.value, str(rule.predicate)) for rule in rules.conditionals}
    assert described == {
        ("guarantee.music_art_rooms.min_music_room_area_m2", "73", "built_year <= 2016"),
        ("guarantee.music_art_rooms.min_art_room_area_m2", "67", "built_year <= 2016"),
        (
            "guarantee.school_size.max_students",
            2400,
            "built_year <= 2010 or migrant_share > 0.5",
        ),
        (
            "guarantee.school_size.max_students_integrated",
            3000,
            "built_year <= 2010 or migrant_share > 0.5",
        ),
    }
    conditional_changes = [c for c in rules.changes if c.op == "conditional"]
    assert len(conditional_changes) == 4
    music = next(c for c in conditional_changes if c.key.endswith("music_room_area_m2"))
    assert (music.old_value, music.new_value, music.condition) == ("96", "73", "built_year <= 2016")
    # the national value is unchanged; the alternative applies per school
    assert rules.value("guarantee.music_art_rooms.min_music_room_area_m2") == "96"


def test_per_school_values_apply_the_alternatives():
    rules = get_rules(2017, overlay="shenyang")
    schools = pd.DataFrame(
        {
            "built_year": [2005, 2012, 2016, 2017, None, 2010, 2011],
            "migrant_share": [0.0, 0.7, 0.5, 0.2, 0.9, 0.0, 0.0],
        }
    )
    music = rules.per_school_numbers("guarantee.music_art_rooms.min_music_room_area_m2", schools)
    np.testing.assert_array_equal(music, [73, 73, 73, 96, 96, 73, 73])
    size = rules.per_school_numbers("guarantee.school_size.max_students", schools)
    # built in or before 2010, or more than half migrant pupils (0.5 is not more than half)
    np.testing.assert_array_equal(size, [2400, 2400, 2000, 2000, 2400, 2400, 2000])
    exact = rules.per_school_fractions("guarantee.school_size.max_students", schools)
    assert list(exact) == [Fraction(n) for n in (2400, 2400, 2000, 2000, 2400, 2400, 2000)]
    integrated = rules.per_school_numbers("guarantee.school_size.max_students_integrated", schools)
    np.testing.assert_array_equal(integrated, [3000, 3000, 2500, 2500, 3000, 3000, 2500])
    plain = RULES_2017.per_school_numbers("guarantee.school_size.max_students", schools)
    np.testing.assert_array_equal(plain, [2000] * 7)


def test_later_conditional_wins():
    first = Overlay(
        id="first",
        title="t",
        parent=RULES_2017.id,
        operations=[
            RuleOperation(
                op="conditional",
                key="resource.floor_ratio",
                value="0.8",
                when=Predicate(conditions=[("x", ">=", 1)]),
            ),
            RuleOperation(
                op="conditional",
                key="resource.floor_ratio",
                value="0.7",
                when=Predicate(conditions=[("x", ">=", 2)]),
            ),
        ],
    )
    rules = RULES_2017.with_overlay(first)
    values = rules.per_school_fractions("resource.floor_ratio", pd.DataFrame({"x": [0, 1, 2]}))
    assert list(values) == [Fraction(17, 20), Fraction(4, 5), Fraction(7, 10)]


def _user_overlay_mapping():
    return {
        "id": "my_county",
        "title": "A county study",
        "parent": "cn_moe_2017_quality_balance",
        "jurisdiction": "测试县",
        "tag": "S",
        "source": {"title": "County note", "url": "https://example.org/note"},
        "operations": [
            {"op": "set", "key": "resource.floor_ratio", "value": "0.80", "note": "softer floor"},
            {
                "op": "add",
                "key": "veto.veto_new_item.enabled",
                "value": True,
                "tag": "M",
                "note": "a new veto",
            },
            {
                "op": "set",
                "key": "veto.ids",
                "value": [*RULES_2017.ids("veto.ids"), "veto_new_item"],
            },
            {"op": "remove", "key": "veto.veto_tutoring_governance.title_zh"},
            {
                "op": "conditional",
                "key": "guarantee.class_size.max.primary",
                "value": 50,
                "when": {"all": [["built_year", "<=", 2000], ["location", "==", "rural"]]},
            },
        ],
    }


def test_user_overlay_from_dict():
    overlay = Overlay.from_dict(_user_overlay_mapping())
    rules = get_rules(2017, overlay=overlay)
    assert rules.overlays == ("my_county",)
    assert rules.value("resource.floor_ratio") == "0.80"
    assert rules.fraction("resource.floor_ratio") == Fraction(4, 5)
    assert rules.flag("veto.veto_new_item.enabled") is True
    assert rules["veto.veto_new_item.enabled"].verified is False
    assert rules.ids("veto.ids")[-1] == "veto_new_item"
    assert "veto.veto_tutoring_governance.title_zh" not in rules
    assert len(rules) == len(RULES_2017) + 1 - 1
    ops = [(c.op, c.key) for c in rules.changes]
    assert ops == [
        ("set", "resource.floor_ratio"),
        ("add", "veto.veto_new_item.enabled"),
        ("set", "veto.ids"),
        ("remove", "veto.veto_tutoring_governance.title_zh"),
        ("conditional", "guarantee.class_size.max.primary"),
    ]
    removed = rules.changes[3]
    assert removed.old_value == "规范治理校外培训机构及减轻中小学课外负担不力"
    assert removed.new_value is None
    assert rules["resource.floor_ratio"].source.url == "https://example.org/note"
    schools = pd.DataFrame(
        {"built_year": [1990, 1990, 2010], "location": ["rural", "urban", "rural"]}
    )
    (rule,) = rules.conditionals
    np.testing.assert_array_equal(rule.mask(schools), [True, False, False])


def test_overlay_round_trips_through_json(tmp_path):
    overlay = Overlay.from_dict(_user_overlay_mapping())
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(overlay.to_dict(), ensure_ascii=False), encoding="utf-8")
    assert load_overlay(path) == overlay
    for shipped in OVERLAYS.values():
        assert Overlay.from_dict(json.loads(json.dumps(shipped.to_dict()))) == shipped


def test_overlays_chain_onto_an_applied_parent():
    child = Overlay(
        id="shenyang_district",
        title="district on top of the city",
        parent="shenyang",
        operations=[
            RuleOperation(op="set", key="guarantee.special_ed_funding.min_yuan", value="9000")
        ],
    )
    rules = get_rules(2017, overlay=child)  # the shipped parent is applied first
    assert rules.overlays == ("shenyang", "shenyang_district")
    g7 = [c for c in rules.changes if c.key == "guarantee.special_ed_funding.min_yuan"]
    assert [(c.overlay, c.old_value, c.new_value) for c in g7] == [
        ("shenyang", "6000", "8000"),
        ("shenyang_district", "8000", "9000"),
    ]
    with pytest.raises(RuleSetError, match="shenyang_district"):
        RULES_2017.with_overlay(child)  # parent not applied


def test_with_overlay_accepts_a_shipped_name():
    assert RULES_2017.with_overlay("shenyang") == get_rules(2017, overlay="shenyang")


def _overlay(*operations):
    return Overlay(id="bad", title="bad", parent=RULES_2017.id, operations=operations)


def test_set_unknown_key_is_an_error():
    with pytest.raises(RuleSetError, match=re.escape("resource.floor_ration")) as info:
        RULES_2017.with_overlay(
            _overlay(RuleOperation(op="set", key="resource.floor_ration", value="1"))
        )
    assert "'bad'" in str(info.value)
    assert info.value.code == "unknown_rule"


def test_remove_missing_key_is_an_error():
    with pytest.raises(RuleSetError, match=re.escape("veto.veto_nothing.enabled")):
        RULES_2017.with_overlay(
            _overlay(RuleOperation(op="remove", key="veto.veto_nothing.enabled"))
        )


def test_add_existing_key_is_an_error():
    with pytest.raises(RuleSetError, match=re.escape("resource.min_met")) as info:
        RULES_2017.with_overlay(_overlay(RuleOperation(op="add", key="resource.min_met", value=5)))
    assert info.value.code == "duplicate_rule"


def test_conditional_on_unknown_key_is_an_error():
    operation = RuleOperation(
        op="conditional",
        key="guarantee.school_size.max_pupils",
        value=1,
        when=Predicate(conditions=[("built_year", "<", 2000)]),
    )
    with pytest.raises(RuleSetError, match=re.escape("guarantee.school_size.max_pupils")):
        RULES_2017.with_overlay(_overlay(operation))


@pytest.mark.parametrize(
    ("key", "value"),
    [("resource.floor_ratio", True), ("units.merge_sites", "1"), ("resource.indicators", "x")],
)
def test_set_of_another_kind_is_an_error(key, value):
    with pytest.raises(RuleSetError, match=key):
        RULES_2017.with_overlay(_overlay(RuleOperation(op="set", key=key, value=value)))


def test_overlay_applied_twice_is_an_error():
    with pytest.raises(RuleSetError, match="already applied"):
        get_rules(2017, overlay="hebei").with_overlay("hebei")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"op": "replace", "key": "a.b", "value": 1}, "replace"),
        ({"op": "set", "key": "a.b"}, "needs a value"),
        ({"op": "remove", "key": "a.b", "value": 1}, "no value"),
        ({"op": "conditional", "key": "a.b", "value": 1}, "condition"),
        ({"op": "set", "key": "Bad Key", "value": 1}, "Bad Key"),
    ],
)
def test_malformed_operations(kwargs, message):
    with pytest.raises(RuleSetError, match=message):
        RuleOperation(**kwargs)


def test_malformed_overlay_mapping_names_origin_and_key():
    mapping = _user_overlay_mapping()
    mapping["operations"][0]["comparator"] = "=>"
    mapping["operations"][0]["unit"] = "fraction"
    overlay = Overlay.from_dict(mapping, origin="mine.json")
    with pytest.raises(RuleSetError, match=re.escape("resource.floor_ratio")) as info:
        RULES_2017.with_overlay(overlay)
    assert "=>" in str(info.value)
    mapping = _user_overlay_mapping()
    mapping["operations"][4]["when"] = {"some": []}
    with pytest.raises(RuleSetError, match=r"mine\.json.*guarantee\.class_size\.max\.primary"):
        Overlay.from_dict(mapping, origin="mine.json")
    mapping = _user_overlay_mapping()
    del mapping["source"]
    mapping["operations"][0]["clause"] = "art. 3"
    with pytest.raises(
        RuleSetError, match=r"mine\.json.*resource\.floor_ratio.*clause needs a source"
    ):
        Overlay.from_dict(mapping, origin="mine.json")
    mapping = _user_overlay_mapping()
    mapping["operations"][1]["colour"] = "red"
    with pytest.raises(RuleSetError, match=r"mine\.json.*veto\.veto_new_item\.enabled.*colour"):
        Overlay.from_dict(mapping, origin="mine.json")


# --------------------------------------------------------------------------------------------
# Malformed rule-set files


def _minimal_ruleset(**entry):
    base = {"key": "resource.floor_ratio", "value": "0.85", "comparator": ">=", "tag": "V"}
    base.update(entry)
    return {
        "id": "test_set",
        "version": "0",
        "title_zh": "测试",
        "title_en": "Test",
        "document": {"number": "1号", "date": "2020-01-01", "url": None},
        "sources": {"doc": {"title": "A document", "url": "https://example.org"}},
        "entries": [base],
    }


def test_minimal_ruleset_loads(tmp_path):
    path = tmp_path / "test_set.json"
    path.write_text(json.dumps(_minimal_ruleset(source="doc", clause="art. 1")), encoding="utf-8")
    rules = load_ruleset(path)
    assert rules.id == "test_set"
    assert rules["resource.floor_ratio"].source == Source(
        title="A document", url="https://example.org", clause="art. 1"
    )


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"tag": "X"}, "tag 'X'"),
        ({"comparator": "=>"}, "comparator '=>'"),
        ({"value": "0.85x"}, "needs a number"),
        ({"value": 0.85}, "stored as text"),
        ({"stage": "senior_high"}, "stage 'senior_high'"),
        ({"source": "nowhere"}, "unknown source 'nowhere'"),
        ({"tag": "M", "verified": True}, "cannot be verified"),
        ({"colour": "red"}, "colour"),
        ({"value": {"a": 1}}, "not a rule value"),
        ({"value": [1, 2]}, "id strings"),
    ],
)
def test_malformed_entry_names_file_and_key(tmp_path, entry, message):
    path = tmp_path / "broken_rules.json"
    path.write_text(json.dumps(_minimal_ruleset(**entry)), encoding="utf-8")
    with pytest.raises(RuleSetError, match=message) as info:
        load_ruleset(path)
    assert "broken_rules.json" in str(info.value)
    assert "resource.floor_ratio" in str(info.value)


def test_malformed_ruleset_structure(tmp_path):
    data = _minimal_ruleset()
    data["entries"].append(dict(data["entries"][0]))
    with pytest.raises(RuleSetError, match=r"x\.json.*resource\.floor_ratio.*twice"):
        RuleSet.from_dict(data, origin="x.json")
    data = _minimal_ruleset()
    del data["entries"][0]["tag"]
    with pytest.raises(RuleSetError, match=r"x\.json.*resource\.floor_ratio.*'tag' is required"):
        RuleSet.from_dict(data, origin="x.json")
    data = _minimal_ruleset()
    data["document"]["date"] = "20 Jan 2012"
    with pytest.raises(RuleSetError, match="ISO date"):
        RuleSet.from_dict(data, origin="x.json")
    path = tmp_path / "not_json.json"
    path.write_text("{ nope", encoding="utf-8")
    with pytest.raises(RuleSetError, match=r"not_json\.json.*line 1"):
        load_ruleset(path)


def test_shipped_files_parse_back_to_the_constants():
    files = resources.files("eduequity.national._rulesets")
    text = files.joinpath("cn_moe_2017_quality_balance.json").read_text(encoding="utf-8")
    again = RuleSet.from_dict(json.loads(text))
    assert again == RULES_2017
    assert again.content_hash == RULES_2017.content_hash


# --------------------------------------------------------------------------------------------
# Conditions on school columns


@pytest.fixture
def schools():
    return pd.DataFrame(
        {
            "built_year": [2000, 2009, 2010, 2016, 2017, np.nan],
            "migrant_share": [0.1, 0.5, 0.51, np.nan, 0.9, 0.6],
            "location": ["rural", "urban", None, "town", "rural", "rural"],
        }
    )


def test_condition_masks(schools):
    built = Condition(column="built_year", operator="<=", value=2016).mask(schools)
    np.testing.assert_array_equal(built, [True, True, True, True, False, False])
    migrant = Condition(column="migrant_share", operator=">", value="0.5").mask(schools)
    np.testing.assert_array_equal(migrant, [False, False, True, False, True, True])
    equal = Condition(column="migrant_share", operator="==", value="0.5").mask(schools)
    np.testing.assert_array_equal(equal, [False, True, False, False, False, False])
    not_equal = Condition(column="built_year", operator="!=", value=2010).mask(schools)
    np.testing.assert_array_equal(not_equal, [True, True, False, True, True, False])
    rural = Condition(column="location", operator="==", value="rural").mask(schools)
    np.testing.assert_array_equal(rural, [True, False, False, False, True, True])
    not_rural = Condition(column="location", operator="!=", value="rural").mask(schools)
    np.testing.assert_array_equal(not_rural, [False, True, False, True, False, False])


def test_predicate_all_and_any(schools):
    conditions = [("built_year", "<", 2010), ("migrant_share", ">", "0.5")]
    both = Predicate(combine="all", conditions=conditions).mask(schools)
    either = Predicate(combine="any", conditions=conditions).mask(schools)
    np.testing.assert_array_equal(both, [False, False, False, False, False, False])
    np.testing.assert_array_equal(either, [True, True, True, False, True, True])
    assert Predicate(conditions=conditions).columns == ("built_year", "migrant_share")


def test_conditional_rule_mask_and_missing_column(schools):
    rules = get_rules(2017, overlay="shenyang")
    rule = next(r for r in rules.conditionals if r.key == "guarantee.school_size.max_students")
    assert isinstance(rule, ConditionalRule)
    mask = rule.mask(schools)
    assert mask.dtype == np.bool_
    np.testing.assert_array_equal(mask, [True, True, True, False, True, True])
    with pytest.raises(RuleSetError, match="migrant_share") as info:
        rule.mask(schools.drop(columns="migrant_share"))
    assert info.value.code == "missing_required_column"


def test_condition_on_text_column_needs_numbers():
    frame = pd.DataFrame({"built_year": ["2001", "old"]}, index=["a", "b"])
    with pytest.raises(InvalidTypeError, match=r"built_year.*\bb\b"):
        Condition(column="built_year", operator="<", value=2010).mask(frame)


def test_condition_validation():
    with pytest.raises(RuleSetError, match="needs a number"):
        Condition(column="location", operator="<", value="rural")
    with pytest.raises(RuleSetError, match="operator"):
        Condition(column="built_year", operator="=<", value=2010)
    with pytest.raises(RuleSetError, match="at least one condition"):
        Predicate(combine="all", conditions=[])
    with pytest.raises(RuleSetError, match="triple"):
        Predicate(conditions=[("built_year", "<")])


def test_condition_decides_exactly():
    # 0.1 + 0.2 is 0.30000000000000004 as typed: it is above 0.3; 0.3 itself is not.
    frame = pd.DataFrame({"share": [0.1 + 0.2, 0.3, 0.29999999999999999]})
    above = Condition(column="share", operator=">", value="0.3").mask(frame)
    np.testing.assert_array_equal(above, [True, False, False])


@settings(max_examples=100, deadline=None)
@given(
    values=st.lists(
        st.one_of(st.none(), st.integers(min_value=1990, max_value=2025)), min_size=0, max_size=30
    ),
    threshold=st.integers(min_value=1990, max_value=2025),
    operator=st.sampled_from([">=", "<=", "<", ">", "==", "!="]),
)
def test_condition_mask_matches_row_by_row_evaluation(values, threshold, operator):
    frame = pd.DataFrame({"built_year": pd.array(values, dtype="Int64")})
    mask = Condition(column="built_year", operator=operator, value=threshold).mask(frame)
    decide = {
        ">=": lambda a, b: a >= b,
        "<=": lambda a, b: a <= b,
        "<": lambda a, b: a < b,
        ">": lambda a, b: a > b,
        "==": lambda a, b: a == b,
        "!=": lambda a, b: a != b,
    }[operator]
    expected = [value is not None and decide(value, threshold) for value in values]
    assert mask.tolist() == expected


@settings(max_examples=100, deadline=None)
@given(
    shares=st.lists(st.decimals(min_value=0, max_value=1, places=3), min_size=1, max_size=20),
    cut=st.decimals(min_value=0, max_value=1, places=2),
    combine=st.sampled_from(["all", "any"]),
)
def test_predicate_matches_exact_arithmetic(shares, cut, combine):
    frame = pd.DataFrame(
        {"migrant_share": [float(s) for s in shares], "built_year": [2000] * len(shares)}
    )
    predicate = Predicate(
        combine=combine,
        conditions=[("migrant_share", ">", str(cut)), ("built_year", "<=", 2016)],
    )
    joined = all if combine == "all" else any
    expected = [joined([Fraction(s) > Fraction(cut), True]) for s in shares]
    assert predicate.mask(frame).tolist() == expected


# --------------------------------------------------------------------------------------------
# Immutability and the content hash


def test_entries_cannot_be_mutated():
    with pytest.raises(TypeError):
        RULES_2017.entries["resource.min_met"] = RULES_2017["resource.min_met"]
    with pytest.raises(TypeError):
        del RULES_2017.entries["resource.min_met"]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        RULES_2017.version = "2"
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        RULES_2017["resource.min_met"].value = 5
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        OVERLAYS["shenyang"].operations = ()
    with pytest.raises(TypeError):
        OVERLAYS["mine"] = OVERLAYS["hebei"]
    assert isinstance(RULES_2017.ids("resource.indicators"), tuple)


def test_rule_sets_are_hashable():
    derived = get_rules(2017, overlay="shenyang")
    assert {RULES_2017, RULES_2012, derived} == {RULES_2012, derived, RULES_2017}


def _independent_hash(rules):
    """Rebuild the canonical JSON documented in RuleSet's Notes, from the public fields."""
    entries = {}
    for key in sorted(rules.entries):
        entry = rules.entries[key]
        entries[key] = {
            "value": list(entry.value) if isinstance(entry.value, tuple) else entry.value,
            "unit": entry.unit,
            "comparator": entry.comparator,
            "stage": entry.stage,
            "tag": entry.tag,
            "verified": entry.verified,
            "source": None
            if entry.source is None
            else {
                "title": entry.source.title,
                "number": entry.source.number,
                "url": entry.source.url,
                "clause": entry.source.clause,
            },
            "note": entry.note,
        }
    conditionals = [
        {
            "overlay": rule.overlay,
            "key": rule.key,
            "value": rule.value,
            "predicate": {
                rule.predicate.combine: [
                    [c.column, c.operator, c.value] for c in rule.predicate.conditions
                ]
            },
        }
        for rule in rules.conditionals
    ]
    payload = {"overlays": list(rules.overlays), "entries": entries, "conditionals": conditionals}
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.mark.parametrize("overlay", [None, "hebei", "shenyang", "beijing"])
def test_content_hash_follows_the_documented_canonical_form(overlay):
    rules = get_rules(2017, overlay=overlay)
    assert rules.content_hash == _independent_hash(rules)
    assert len(rules.content_hash) == 64


def test_content_hash_changes_with_a_value():
    one = RULES_2017.with_overlay(
        _overlay(RuleOperation(op="set", key="resource.floor_ratio", value="0.80"))
    )
    other = RULES_2017.with_overlay(
        _overlay(RuleOperation(op="set", key="resource.floor_ratio", value="0.81"))
    )
    same = RULES_2017.with_overlay(
        _overlay(RuleOperation(op="set", key="resource.floor_ratio", value="0.80"))
    )
    assert one.content_hash != other.content_hash
    assert one.content_hash == same.content_hash
    assert one.content_hash != RULES_2017.content_hash
    assert RULES_2012.content_hash != RULES_2017.content_hash


def test_content_hash_is_stable_across_processes():
    code = (
        "from eduequity.national.rules import get_rules;"
        "print(get_rules(2017).content_hash, get_rules(2017, overlay='shenyang').content_hash)"
    )
    outputs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run(  # noqa: S603 - runs this interpreter on a fixed snippet
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
        )
        outputs.add(result.stdout.strip())
    assert outputs == {
        f"{RULES_2017.content_hash} {get_rules(2017, overlay='shenyang').content_hash}"
    }


# --------------------------------------------------------------------------------------------
# Audit listings and serialisation


@pytest.mark.parametrize("overlay", [None, "shenyang"])
def test_to_text_lists_every_key_with_its_source(overlay):
    rules = get_rules(2017, overlay=overlay)
    text = rules.to_text()
    for key, entry in rules.entries.items():
        assert f"  {key} " in text, key
        assert entry.source.title in text, key
        if entry.source.url:
            assert entry.source.url in text, key
    assert "资源配置 · Resource allocation" in text
    assert "政府保障程度 · Government guarantee" in text
    assert rules.title_zh in text
    assert rules.title_en in text
    assert rules.content_hash in text
    if overlay == "shenyang":
        assert "set guarantee.special_ed_funding.min_yuan: 6000 -> 8000" in text
        assert "when built_year <= 2016" in text


def test_to_text_of_2012():
    text = RULES_2012.to_text()
    assert "教督〔2012〕3号" in text
    assert "2012-01-20" in text
    for key in RULES_2012.entries:
        assert f"  {key} " in text


@pytest.mark.parametrize("rules", [RULES_2017, RULES_2012, get_rules(overlay="shenyang")])
def test_to_frame_has_one_row_per_entry(rules):
    frame = rules.to_frame()
    assert len(frame) == len(rules.entries)
    assert list(frame["key"]) == list(rules.entries)
    for column in ("key", "value", "unit", "comparator", "stage", "tag", "verified", "source"):
        assert column in frame.columns
    row = frame.set_index("key").loc["split.weight.nine_year.junior"]
    assert row["value"] == "1.1"
    assert row["stage"] == "junior"
    assert row["tag"] == "V"


def test_to_dict_is_json_safe_and_complete():
    rules = get_rules(2017, overlay="shenyang")
    data = json.loads(json.dumps(rules.to_dict(), ensure_ascii=False))
    assert data["id"] == "cn_moe_2017_quality_balance"
    assert data["version"] == RULES_2017.version
    assert data["overlays"] == ["shenyang"]
    assert data["content_hash"] == rules.content_hash
    assert set(data["entries"]) == set(rules.entries)
    assert data["entries"]["resource.floor_ratio"]["value"] == "0.85"
    assert data["entries"]["resource.stages"]["value"] == ["primary", "junior"]
    assert len(data["conditionals"]) == 4
    assert data["changes"][0]["new_value"] == "8000"
    assert RULES_2017.to_dict()["document"]["date"] is None
    assert RULES_2012.to_dict()["document"]["date"] == "2012-01-20"


def test_entry_and_source_to_dict():
    entry = RULES_2017["resource.standard.primary.qualified_teachers_per_100"]
    data = entry.to_dict()
    assert data["value"] == "4.2"
    assert data["source"]["url"] == "https://m.zixin.com.cn/doc/2278587.html"
    assert json.loads(json.dumps(data)) == data
