"""Part 2, government guarantee G1-G15 (national-method.md §4; data-schema.md §1.3, §2.1)."""

import json
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.national._overlays import changed

from eduequity.errors import (
    DataQualityWarning,
    InvalidTypeError,
    InvalidValueError,
)
from eduequity.national.guarantee import assess_guarantee, class_size_categories
from eduequity.national.rules import RULES_2012, RULES_2017, get_rules

EVIDENCE = "县政府文件 2023-01"

# Every field of data-schema.md §2.1 used by Part 2, at a value that meets §4 (several exactly
# at the limit: 6000 yuan, ratio 1, rates 1 / 0.95 / 0.10 / 0.20 / 0.50 / 0.85).
PASSING_FACTS = {
    "county": "测试县",
    "year": 2023,
    "layout_planning": True,
    "unified_standards_construction": True,
    "unified_standards_staffing": True,
    "unified_standards_funding": True,
    "unified_standards_equipment": True,
    "small_school_funding": True,
    "special_ed_funding": 6000.0,
    "teacher_salary_parity": 1.0,
    "teacher_salary_parity_performance_pay": True,
    "teacher_training_completion": 1.0,
    "staffing_coordination": True,
    "teacher_rotation": 0.10,
    "teacher_rotation_backbone_share": 0.20,
    "teacher_certification": 1.0,
    "nearby_enrolment_primary": 1.0,
    "nearby_enrolment_junior": 0.95,
    "high_school_quota_allocation": 0.50,
    "high_school_quota_allocation_rural_tilt": True,
    "left_behind_and_migrant_children_care_system": True,
    "left_behind_and_migrant_children_public_share": 0.85,
}
DECLARED = [
    "layout_planning",
    "unified_standards_construction",
    "unified_standards_staffing",
    "unified_standards_funding",
    "unified_standards_equipment",
    "small_school_funding",
    "teacher_salary_parity_performance_pay",
    "staffing_coordination",
    "high_school_quota_allocation_rural_tilt",
    "left_behind_and_migrant_children_care_system",
]
for _field in DECLARED:
    PASSING_FACTS[f"{_field}_evidence"] = EVIDENCE


def facts(**fields):
    result = dict(PASSING_FACTS)
    result.update(fields)
    return result


def school(school_id, school_type="primary", **fields):
    # A whole-school row of the prepared table (data-schema.md §1.2-§1.3).
    row = {
        "school_id": school_id,
        "school_type": school_type,
        "students_primary": 0,
        "students_junior": 0,
        "classes_primary": 0,
        "classes_junior": 0,
        "max_class_size_primary": np.nan,
        "max_class_size_junior": np.nan,
        "music_rooms": 1,
        "art_rooms": 1,
        "min_music_room_area_m2": 100.0,
        "min_art_room_area_m2": 100.0,
    }
    row.update(fields)
    return row


def primary(school_id, pupils=540, classes=12, **fields):
    fields = {"max_class_size_primary": 45, **fields}
    return school(school_id, "primary", students_primary=pupils, classes_primary=classes, **fields)


def junior(school_id, pupils=600, classes=12, **fields):
    fields = {"max_class_size_junior": 50, **fields}
    return school(school_id, "junior", students_junior=pupils, classes_junior=classes, **fields)


def table(*rows):
    return pd.DataFrame(list(rows))


PASSING_SCHOOLS = table(primary("P1"), junior("J1"))


def run(fact_map=None, schools=PASSING_SCHOOLS, rules=RULES_2017, **kwargs):
    return assess_guarantee(fact_map if fact_map is not None else facts(), schools, rules, **kwargs)


# --------------------------------------------------------------------------------------------
# Whole part


def test_everything_met_passes_with_fifteen_items_in_order():
    part = run()
    assert part.part == "government_guarantee"
    assert part.status == "pass"
    assert part.passed
    assert [item.code for item in part.items] == [f"G{i}" for i in range(1, 16)]
    assert all(item.status == "pass" for item in part.items)
    assert part.failures == ()
    assert all(item.source for item in part.items)
    json.dumps(part.to_dict(), ensure_ascii=False)
    assert list(part.frame().index)[:3] == [
        "layout_planning",
        "unified_standards",
        "music_art_rooms",
    ]


def test_no_facts_and_no_schools_is_not_assessed_and_never_passed():
    part = assess_guarantee(None, None, RULES_2017)
    assert part.status == "not_assessed"
    assert not part.passed
    assert len(part.items) == 15
    assert {item.status for item in part.items} == {"not_assessed"}


def test_schools_without_facts_compute_g3_to_g5_only():
    part = assess_guarantee(None, PASSING_SCHOOLS, RULES_2017)
    assert part.item("music_art_rooms").status == "pass"
    assert part.item("school_size").status == "pass"
    assert part.item("class_size").status == "pass"
    assert part.item("layout_planning").status == "incomplete"
    assert part.status == "incomplete"


def test_facts_without_schools_leave_g3_to_g5_incomplete_unless_given():
    part = assess_guarantee(facts(), None, RULES_2017)
    assert part.item("music_art_rooms").status == "incomplete"
    assert part.status == "incomplete"
    given_facts = facts(music_art_rooms=True, school_size=True, class_size=True)
    part = assess_guarantee(given_facts, None, RULES_2017)
    assert part.status == "pass"
    assert part.item("class_size").input_source == "facts"


# --------------------------------------------------------------------------------------------
# Declared items (G1, G2, G10)


@pytest.mark.parametrize("field", ["layout_planning", "staffing_coordination"])
def test_declared_item_true_false_missing(field):
    assert run(facts(**{field: False})).item(field).status == "fail"
    assert run(facts(**{field: None})).item(field).status == "incomplete"
    failed = run(facts(**{field: False}))
    assert [f.item_id for f in failed.failures] == [field]
    assert failed.item(field).evidence == EVIDENCE


def test_declared_true_without_evidence_warns():
    with pytest.warns(DataQualityWarning, match="layout_planning"):
        part = run(facts(layout_planning_evidence=None))
    assert part.item("layout_planning").status == "pass"
    assert any("evidence_missing" in note for note in part.notes)


def test_declared_true_without_evidence_raises_under_strict():
    with pytest.raises(InvalidValueError, match="staffing_coordination"):
        run(facts(staffing_coordination_evidence=None), strict=True)


def test_item_level_evidence_is_accepted():
    # data-schema.md §2.1: `<field>_evidence`; the item's own evidence also counts.
    part = run(facts(unified_standards_funding_evidence=None, unified_standards_evidence="文件"))
    assert part.item("unified_standards").status == "pass"


def test_flag_of_wrong_type_is_an_error_naming_the_field():
    with pytest.raises(InvalidTypeError, match="layout_planning") as info:
        run(facts(layout_planning="yes"))
    assert info.value.code == "not_a_boolean"


def test_g2_needs_all_four_standards():
    part = run(facts(unified_standards_equipment=False))
    item = part.item("unified_standards")
    assert item.status == "fail"
    assert item.value == {
        "construction": True,
        "staffing": True,
        "funding": True,
        "equipment": False,
    }
    missing = run(facts(unified_standards_staffing=None)).item("unified_standards")
    assert missing.status == "incomplete"


def test_g2_single_field_stands_for_the_four():
    single = {k: v for k, v in facts().items() if not k.startswith("unified_standards_")}
    single.update(unified_standards=True, unified_standards_evidence=EVIDENCE)
    assert run(single).item("unified_standards").status == "pass"
    single["unified_standards"] = False
    assert run(single).item("unified_standards").status == "fail"
    # A part given explicitly wins over the single field.
    single.update(unified_standards=True, unified_standards_funding=False)
    assert run(single).item("unified_standards").status == "fail"


# --------------------------------------------------------------------------------------------
# G3 music and art rooms (§4, §12 #11-12)


def test_g3_rooms_per_twelve_classes_rounded_up():
    # 30 classes -> ceil(30/12) = 3 rooms required (§12 #11).
    short = primary("S", pupils=1350, classes=30, music_rooms=2, art_rooms=3)
    enough = primary("E", pupils=1350, classes=30, music_rooms=3, art_rooms=3)
    part = run(schools=table(short, enough))
    item = part.item("music_art_rooms")
    assert item.status == "fail"
    assert item.code == "G3"
    (failure,) = part.failures
    assert (failure.school_id, failure.value, failure.limit, failure.comparator) == (
        "S",
        2.0,
        3.0,
        ">=",
    )
    assert failure.item_id == "music_art_rooms"
    assert "music" in failure.message
    assert item.value["schools_short_of_music_rooms"] == 1
    assert item.value["schools_short_of_art_rooms"] == 0


def test_g3_exact_multiple_of_twelve():
    # 24 classes -> exactly 2 rooms; 25 -> 3.
    exact = primary("A", classes=24, music_rooms=2, art_rooms=2)
    over = primary("B", classes=25, music_rooms=2, art_rooms=3)
    part = run(schools=table(exact, over))
    assert [f.school_id for f in part.failures] == ["B"]


def test_g3_counts_both_compulsory_stages():
    # Nine-year school: 10 + 5 = 15 classes -> 2 rooms.
    nine = school(
        "N",
        "nine_year",
        students_primary=450,
        students_junior=250,
        classes_primary=10,
        classes_junior=5,
        max_class_size_primary=45,
        max_class_size_junior=50,
        music_rooms=1,
        art_rooms=2,
    )
    part = run(schools=table(nine))
    assert [(f.school_id, f.limit) for f in part.failures] == [("N", 2.0)]


def test_g3_floor_min1_alternative():
    # §12 #11 alternative: max(floor(c/12), 1); 30 classes -> 2 rooms, 5 classes -> 1.
    rules = changed(RULES_2017, "guarantee.music_art_rooms.room_rounding", value="floor_min1")
    two = primary("T", pupils=1350, classes=30, music_rooms=2, art_rooms=2)
    none = primary("Z", pupils=100, classes=5, music_rooms=0, art_rooms=1)
    part = run(schools=table(two, none), rules=rules)
    assert [(f.school_id, f.value, f.limit) for f in part.failures] == [("Z", 0.0, 1.0)]


def test_g3_room_area_boundaries():
    # §4 G3: each music room >= 96 m², each art room >= 90 m²; equal passes.
    at_limit = primary("A", min_music_room_area_m2=96.0, min_art_room_area_m2=90.0)
    small_music = primary("M", min_music_room_area_m2=95.9, min_art_room_area_m2=90.0)
    small_art = primary("R", min_music_room_area_m2=96.0, min_art_room_area_m2=89.99)
    part = run(schools=table(at_limit, small_music, small_art))
    failures = [(f.school_id, f.value, f.limit, f.rule_key) for f in part.failures]
    assert failures == [
        ("M", 95.9, 96.0, "guarantee.music_art_rooms.min_music_room_area_m2"),
        ("R", 89.99, 90.0, "guarantee.music_art_rooms.min_art_room_area_m2"),
    ]


def test_g3_missing_area_column_with_rooms_is_incomplete():
    schools = PASSING_SCHOOLS.drop(columns=["min_music_room_area_m2"])
    item = run(schools=schools).item("music_art_rooms")
    assert item.status == "incomplete"
    assert any("room_area_missing" in reason for reason in item.reasons)


def test_g3_missing_area_cell_is_incomplete_but_a_count_failure_still_fails():
    unknown_area = primary("U", min_music_room_area_m2=np.nan)
    assert run(schools=table(unknown_area)).item("music_art_rooms").status == "incomplete"
    short = primary("S", classes=30, pupils=1350, music_rooms=1, art_rooms=3)
    assert run(schools=table(unknown_area, short)).item("music_art_rooms").status == "fail"


def test_g3_school_without_rooms_needs_no_area():
    no_classes = school("X", "primary", students_primary=0, music_rooms=0, art_rooms=0)
    schools = table(primary("P"), no_classes).drop(columns=["min_art_room_area_m2"])
    # P has an art room and no area column -> incomplete; X has none -> nothing to check.
    item = run(schools=schools).item("music_art_rooms")
    assert item.status == "incomplete"
    assert "1 school(s)" in " ".join(item.reasons)


def test_g3_missing_columns_make_the_item_incomplete_naming_them():
    schools = PASSING_SCHOOLS.drop(columns=["music_rooms", "classes_junior"])
    item = run(schools=schools).item("music_art_rooms")
    assert item.status == "incomplete"
    assert "music_rooms" in item.reasons[0]
    assert "classes_junior" in item.reasons[0]


def test_g3_absent_stage_column_is_fine_when_no_school_has_that_stage():
    schools = table(primary("P")).drop(columns=["classes_junior", "max_class_size_junior"])
    part = run(schools=schools)
    assert part.item("music_art_rooms").status == "pass"
    assert part.item("class_size").status == "pass"


def test_g3_teaching_points_out_of_scope_by_default():
    point = school(
        "T", "teaching_point", students_primary=60, classes_primary=3, music_rooms=0, art_rooms=0
    )
    point["max_class_size_primary"] = 20
    assert run(schools=table(primary("P"), point)).item("music_art_rooms").status == "pass"
    rules = changed(RULES_2017, "guarantee.music_art_rooms.include_teaching_points", value=True)
    part = run(schools=table(primary("P"), point), rules=rules)
    assert part.item("music_art_rooms").status == "fail"
    assert {f.school_id for f in part.failures} == {"T"}


def test_g3_county_fact_overrides_the_computation():
    short = primary("S", classes=30, pupils=1350, music_rooms=1, art_rooms=1)
    part = run(facts(music_art_rooms=True, music_art_rooms_evidence="督导报告"), table(short))
    item = part.item("music_art_rooms")
    assert item.status == "pass"
    assert item.input_source == "override"
    assert item.value is True
    assert item.evidence == "督导报告"
    assert any("override_used" in note and "fail" in note for note in part.notes)
    assert part.failures == ()
    overridden = run(facts(music_art_rooms=False), PASSING_SCHOOLS)
    assert overridden.item("music_art_rooms").status == "fail"
    assert [f.item_id for f in overridden.failures] == ["music_art_rooms"]


def test_g3_shenyang_area_alternative_for_old_schools():
    # §11.2 Shenyang: music rooms >= 73 m² for schools built in or before 2016.
    old = primary("OLD", min_music_room_area_m2=80.0, built_year=2012)
    new = primary("NEW", min_music_room_area_m2=80.0, built_year=2019)
    shenyang = get_rules(2017, overlay="shenyang")
    part = run(schools=table(old, new), rules=shenyang)
    assert [(f.school_id, f.limit) for f in part.failures if f.item_id == "music_art_rooms"] == [
        ("NEW", 96.0)
    ]
    national = run(schools=table(old, new))
    assert {f.school_id for f in national.failures} == {"OLD", "NEW"}


def test_g3_overlay_condition_on_an_absent_column_keeps_the_national_value():
    shenyang = get_rules(2017, overlay="shenyang")
    part = run(schools=table(primary("P", min_music_room_area_m2=80.0)), rules=shenyang)
    assert [f.limit for f in part.failures if f.item_id == "music_art_rooms"] == [96.0]
    assert any("built_year" in note for note in part.notes)


# --------------------------------------------------------------------------------------------
# G4 school size


def test_g4_single_stage_limit_is_inclusive():
    # §4 G4: primary, junior <= 2000 pupils.
    schools = table(primary("A", pupils=2000, classes=45), junior("B", pupils=2001, classes=41))
    part = run(schools=schools)
    failures = [f for f in part.failures if f.item_id == "school_size"]
    assert [(f.school_id, f.stage, f.value, f.limit, f.comparator) for f in failures] == [
        ("B", "junior", 2001.0, 2000.0, "<=")
    ]
    assert part.item("school_size").value["largest_single_stage"] == 2001.0


def test_g4_integrated_schools_limit_2500():
    def nine(school_id, pupils_primary, pupils_junior):
        return school(
            school_id,
            "nine_year",
            students_primary=pupils_primary,
            students_junior=pupils_junior,
            classes_primary=30,
            classes_junior=20,
            max_class_size_primary=45,
            max_class_size_junior=50,
            music_rooms=5,
            art_rooms=5,
        )

    schools = table(nine("OK", 1500, 1000), nine("BIG", 1500, 1001))
    failures = [f for f in run(schools=schools).failures if f.item_id == "school_size"]
    assert [(f.school_id, f.stage, f.value, f.limit) for f in failures] == [
        ("BIG", None, 2501.0, 2500.0)
    ]


def test_g4_complete_middle_school_counts_its_junior_part_only():
    # §12 #12: the junior part of a complete middle school is treated as a junior school.
    complete = school(
        "C",
        "complete_middle",
        students_junior=2000,
        students_senior=1800,
        classes_junior=40,
        max_class_size_junior=50,
        music_rooms=4,
        art_rooms=4,
    )
    assert run(schools=table(complete)).item("school_size").status == "pass"
    complete["students_junior"] = 2001
    assert run(schools=table(complete)).item("school_size").status == "fail"


def test_g4_unknown_school_type_is_an_error():
    with pytest.raises(InvalidValueError, match="X1") as info:
        run(schools=table(school("X1", "kindergarten", students_primary=10)))
    assert info.value.code == "unknown_value"


def test_g4_missing_enrolment_is_incomplete():
    schools = table(primary("A", pupils=np.nan))
    assert run(schools=schools).item("school_size").status == "incomplete"


def test_g4_override_by_fact():
    part = run(facts(school_size=True), table(junior("B", pupils=2600, classes=52)))
    assert part.item("school_size").status == "pass"
    assert part.item("school_size").input_source == "override"


def test_g4_shenyang_relaxed_limit_for_old_or_migrant_schools():
    # §11.2 Shenyang: 2400 / 3000 for schools built before 2010 or > 50% migrant pupils.
    shenyang = get_rules(2017, overlay="shenyang")
    old = primary("OLD", pupils=2300, classes=52, music_rooms=5, art_rooms=5, built_year=2005)
    old["migrant_share"] = 0.1
    migrant = primary("MIG", pupils=2300, classes=52, music_rooms=5, art_rooms=5, built_year=2015)
    migrant["migrant_share"] = 0.6
    plain = primary("NEW", pupils=2300, classes=52, music_rooms=5, art_rooms=5, built_year=2015)
    plain["migrant_share"] = 0.5
    part = run(schools=table(old, migrant, plain), rules=shenyang)
    failures = [(f.school_id, f.limit) for f in part.failures if f.item_id == "school_size"]
    assert failures == [("NEW", 2000.0)]


def test_g4_shenyang_limit_covers_schools_built_in_2010():
    # Issue 9: 2010年及之前 means built_year <= 2010; the overlay used < 2010.
    shenyang = get_rules(2017, overlay="shenyang")
    schools = []
    for year in (2009, 2010, 2011):
        school = primary(f"B{year}", pupils=2300, classes=52, music_rooms=5, art_rooms=5)
        school["built_year"] = year
        school["migrant_share"] = 0.1
        schools.append(school)
    part = run(schools=table(*schools), rules=shenyang)
    failures = [(f.school_id, f.limit) for f in part.failures if f.item_id == "school_size"]
    assert failures == [("B2011", 2000.0)]


# --------------------------------------------------------------------------------------------
# G5 class size


def test_g5_limits_per_stage_are_inclusive():
    # §4 G5: primary <= 45, junior <= 50.
    schools = table(
        primary("P45", max_class_size_primary=45),
        primary("P46", max_class_size_primary=46),
        junior("J50", max_class_size_junior=50),
        junior("J51", max_class_size_junior=51),
    )
    part = run(schools=schools)
    failures = [f for f in part.failures if f.item_id == "class_size"]
    assert [(f.school_id, f.stage, f.value, f.limit) for f in failures] == [
        ("P46", "primary", 46.0, 45.0),
        ("J51", "junior", 51.0, 50.0),
    ]
    item = part.item("class_size")
    assert item.value == {"primary": 46.0, "junior": 51.0}
    assert item.limit == {"primary": 45.0, "junior": 50.0}
    assert item.comparator == "<="


def test_g5_missing_cell_in_a_stage_with_pupils_is_incomplete():
    schools = table(primary("P", max_class_size_primary=np.nan))
    item = run(schools=schools).item("class_size")
    assert item.status == "incomplete"
    assert "P" in " ".join(item.reasons)


def test_g5_missing_column_with_pupils_in_that_stage_is_incomplete():
    schools = PASSING_SCHOOLS.drop(columns=["max_class_size_junior"])
    item = run(schools=schools).item("class_size")
    assert item.status == "incomplete"
    assert "max_class_size_junior" in " ".join(item.reasons)


def test_g5_override_by_fact():
    part = run(facts(class_size=False), PASSING_SCHOOLS)
    assert part.item("class_size").status == "fail"
    assert part.item("class_size").input_source == "override"
    assert any("override_used" in note and "(pass)" in note for note in part.notes)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["primary", "junior", "nine_year"]),
            st.integers(min_value=20, max_value=60),
            st.integers(min_value=20, max_value=60),
        ),
        min_size=1,
        max_size=25,
    )
)
def test_g5_vectorized_failures_match_a_school_by_school_loop(rows):
    frame_rows = []
    expected = []
    for position, (kind, size_primary, size_junior) in enumerate(rows):
        school_id = f"S{position}"
        has_primary = kind in {"primary", "nine_year"}
        has_junior = kind in {"junior", "nine_year"}
        frame_rows.append(
            school(
                school_id,
                kind,
                students_primary=300 if has_primary else 0,
                students_junior=300 if has_junior else 0,
                classes_primary=10 if has_primary else 0,
                classes_junior=10 if has_junior else 0,
                max_class_size_primary=size_primary if has_primary else np.nan,
                max_class_size_junior=size_junior if has_junior else np.nan,
                music_rooms=2,
                art_rooms=2,
            )
        )
        # §4 G5 written out: primary classes at most 45, junior at most 50.
        if has_primary and size_primary > 45:
            expected.append((school_id, "primary"))
        if has_junior and size_junior > 50:
            expected.append((school_id, "junior"))
    part = run(schools=table(*frame_rows))
    got = [(f.school_id, f.stage) for f in part.failures if f.item_id == "class_size"]
    assert sorted(got) == sorted(expected)
    assert part.item("class_size").status == ("fail" if expected else "pass")


# --------------------------------------------------------------------------------------------
# G6 small-school funding


def test_g6_declared_only_without_allocation_columns():
    item = run(facts(small_school_funding=False)).item("small_school_funding")
    assert item.status == "fail"
    assert item.value is False


def test_g6_allocation_check_for_small_village_schools():
    # §4 G6: village primaries and teaching points with < 100 pupils get 100 × benchmark.
    benchmark = 650.0  # yuan per pupil; 100 × 650 = 65 000 yuan
    exact = primary(
        "V", pupils=80, classes=6, location="rural", public_funds_allocated_yuan=65000.0
    )
    under = school(
        "T",
        "teaching_point",
        students_primary=60,
        classes_primary=3,
        max_class_size_primary=20,
        location="town",
        public_funds_allocated_yuan=64999.0,
    )
    urban_small = primary(
        "U", pupils=80, classes=6, location="urban", public_funds_allocated_yuan=52000.0
    )
    big_village = primary(
        "B", pupils=100, classes=6, location="rural", public_funds_allocated_yuan=65000.0
    )
    schools = table(exact, under, urban_small, big_village)
    part = run(facts(public_funds_benchmark_primary_yuan=benchmark), schools)
    item = part.item("small_school_funding")
    assert item.status == "fail"
    assert item.value["declared"] is True
    assert item.value["allocation"] == {"small_schools": 2, "underfunded": 1}
    failures = [f for f in part.failures if f.item_id == "small_school_funding"]
    assert [(f.school_id, f.value, f.limit) for f in failures] == [("T", 64999.0, 65000.0)]


def test_g6_missing_allocation_of_a_small_school_is_incomplete():
    small = primary("V", pupils=80, classes=6, location="rural", public_funds_allocated_yuan=np.nan)
    part = run(facts(public_funds_benchmark_primary_yuan=650.0), table(small))
    assert part.item("small_school_funding").status == "incomplete"


# --------------------------------------------------------------------------------------------
# G7 - G15 quantitative facts


def test_g7_special_education_funding_boundary():
    # §4 G7: >= 6000 yuan per pupil.
    assert run(facts(special_ed_funding=6000.0)).item("special_ed_funding").status == "pass"
    item = run(facts(special_ed_funding=5999.99)).item("special_ed_funding")
    assert item.status == "fail"
    assert (item.value, item.limit, item.comparator) == (5999.99, 6000.0, ">=")
    assert run(facts(special_ed_funding=None)).item("special_ed_funding").status == "incomplete"


def test_g7_shenyang_raises_the_limit_to_8000():
    shenyang = get_rules(2017, overlay="shenyang")
    part = run(facts(special_ed_funding=6000.0), rules=shenyang)
    assert part.item("special_ed_funding").status == "fail"
    assert part.item("special_ed_funding").limit == 8000.0


def test_shenyang_adds_the_public_funds_benchmark_item():
    shenyang = get_rules(2017, overlay="shenyang")
    # §11.2 Shenyang: primary >= 1150, junior >= 1350 yuan.
    part = run(
        facts(
            special_ed_funding=8000.0,
            public_funds_benchmark_primary_yuan=1150.0,
            public_funds_benchmark_junior_yuan=1349.0,
        ),
        rules=shenyang,
    )
    item = part.item("public_funds_benchmark")
    assert item.status == "fail"
    assert item.value == {"junior": 1349.0, "primary": 1150.0}
    assert len(part.items) == 16


def test_g8_ratio_and_performance_pay():
    assert run().item("teacher_salary_parity").status == "pass"
    assert run(facts(teacher_salary_parity=0.999)).item("teacher_salary_parity").status == "fail"
    no_pay = run(facts(teacher_salary_parity_performance_pay=False))
    assert no_pay.item("teacher_salary_parity").status == "fail"
    missing_pay = run(facts(teacher_salary_parity_performance_pay=None))
    assert missing_pay.item("teacher_salary_parity").status == "incomplete"


def test_g8_averages_win_over_the_ratio():
    # data-schema.md §2.1: the two averages are the raw figures; equal averages -> ratio 1.
    part = run(
        facts(
            teacher_salary_parity=0.9,
            teacher_salary_parity_teacher_avg_yuan=98765.4,
            teacher_salary_parity_civil_servant_avg_yuan=98765.4,
        )
    )
    item = part.item("teacher_salary_parity")
    assert item.status == "pass"
    assert item.value["ratio"] == 1.0
    assert any("rate_count_mismatch" in note for note in part.notes)
    above = run(
        facts(
            teacher_salary_parity=None,
            teacher_salary_parity_teacher_avg_yuan=110000.0,
            teacher_salary_parity_civil_servant_avg_yuan=100000.0,
        )
    )
    assert above.item("teacher_salary_parity").status == "pass"


def test_g8_zero_civil_servant_pay_is_incomplete_without_error():
    part = run(
        facts(
            teacher_salary_parity=None,
            teacher_salary_parity_teacher_avg_yuan=90000.0,
            teacher_salary_parity_civil_servant_avg_yuan=0.0,
        )
    )
    item = part.item("teacher_salary_parity")
    assert item.status == "incomplete"
    assert any("civil_servant_avg_yuan is 0" in reason for reason in item.reasons)


def test_g9_completion_rate_and_counts():
    assert run(facts(teacher_training_completion=0.999)).status == "fail"
    by_counts = run(
        facts(
            teacher_training_completion=None,
            teacher_training_completion_completed=480,
            teacher_training_completion_required=480,
        )
    )
    assert by_counts.item("teacher_training_completion").status == "pass"
    assert by_counts.item("teacher_training_completion").input_source == "facts (counts)"


def test_g9_counts_win_over_the_rate_and_a_gap_is_noted():
    part = run(
        facts(
            teacher_training_completion=1.0,
            teacher_training_completion_completed=479,
            teacher_training_completion_required=480,
        )
    )
    item = part.item("teacher_training_completion")
    assert item.status == "fail"
    assert item.value == pytest.approx(479 / 480)
    assert any("rate_count_mismatch" in note for note in part.notes)


def test_g9_small_gap_between_rate_and_counts_is_not_noted():
    # 0.9995 vs 1999/2000 = 0.9995 (gap 0 <= 0.0005): no note; both fail the 100% rule.
    part = run(
        facts(
            teacher_training_completion=0.9995,
            teacher_training_completion_completed=1999,
            teacher_training_completion_required=2000,
        )
    )
    assert not any("rate_count_mismatch" in note for note in part.notes)


def test_g9_completed_above_required_is_an_error():
    with pytest.raises(InvalidValueError, match="teacher_training_completion_completed") as info:
        run(
            facts(
                teacher_training_completion_completed=481,
                teacher_training_completion_required=480,
            )
        )
    assert info.value.code == "count_inconsistent"


def test_g11_rotation_boundaries_are_exact():
    # §4 G11: 0.10 and 0.20 exactly meet "不低于".
    assert run().item("teacher_rotation").status == "pass"
    low = run(facts(teacher_rotation=0.0999)).item("teacher_rotation")
    assert low.status == "fail"
    assert low.value == {"rotation": 0.0999, "backbone_share": 0.2}
    assert run(facts(teacher_rotation_backbone_share=0.1999)).status == "fail"


def test_g11_counts():
    # 30 of 300 eligible rotated (0.10), 6 of 30 backbone (0.20): both exactly at the limit.
    counts = facts(
        teacher_rotation=None,
        teacher_rotation_backbone_share=None,
        teacher_rotation_eligible=300,
        teacher_rotation_rotated=30,
        teacher_rotation_backbone_rotated=6,
    )
    assert run(counts).item("teacher_rotation").status == "pass"
    counts["teacher_rotation_backbone_rotated"] = 5
    part = run(counts)
    assert part.item("teacher_rotation").status == "fail"
    (failure,) = part.failures
    assert failure.rule_key == "guarantee.teacher_rotation.min_backbone_share"
    assert failure.value == pytest.approx(5 / 30)


def test_g11_backbone_share_missing_is_incomplete_but_a_failed_rate_fails():
    missing = facts(teacher_rotation_backbone_share=None)
    assert run(missing).item("teacher_rotation").status == "incomplete"
    missing["teacher_rotation"] = 0.05
    assert run(missing).item("teacher_rotation").status == "fail"


def test_g12_certification_counts():
    part = run(
        facts(
            teacher_certification=None,
            teacher_certification_certified=49,
            teacher_certification_full_time=50,
        )
    )
    assert part.item("teacher_certification").status == "fail"


def test_g13_both_stages():
    # §4 G13: primary 100%, junior >= 95%.
    low_junior = run(facts(nearby_enrolment_junior=0.9499))
    item = low_junior.item("nearby_enrolment")
    assert item.status == "fail"
    assert item.limit == {"primary": 1.0, "junior": 0.95}
    (failure,) = low_junior.failures
    assert failure.stage == "junior"
    assert run(facts(nearby_enrolment_primary=0.99)).item("nearby_enrolment").status == "fail"
    missing = run(facts(nearby_enrolment_primary=None)).item("nearby_enrolment")
    assert missing.status == "incomplete"


def test_g14_rate_and_rural_tilt():
    assert run(facts(high_school_quota_allocation=0.4999)).status == "fail"
    tilt = run(facts(high_school_quota_allocation_rural_tilt=False))
    assert tilt.item("high_school_quota_allocation").status == "fail"
    assert tilt.item("high_school_quota_allocation").value == {"rate": 0.5, "rural_tilt": False}


def test_g15_care_system_and_public_share():
    assert run(facts(left_behind_and_migrant_children_public_share=0.8499)).status == "fail"
    no_care = run(facts(left_behind_and_migrant_children_care_system=None))
    assert no_care.item("left_behind_and_migrant_children").status == "incomplete"


def test_rate_given_as_percentage_is_an_error():
    with pytest.raises(InvalidValueError, match="percentage") as info:
        run(facts(nearby_enrolment_junior=95.0))
    assert info.value.code == "rate_out_of_range"


def test_negative_amount_is_an_error():
    with pytest.raises(InvalidValueError, match="special_ed_funding") as info:
        run(facts(special_ed_funding=-1.0))
    assert info.value.code == "negative_value"


def test_text_in_a_numeric_field_is_an_error():
    with pytest.raises(InvalidTypeError, match="special_ed_funding") as info:
        run(facts(special_ed_funding="6000元"))
    assert info.value.code == "not_a_number"


def test_nan_and_none_mean_missing():
    part = run(facts(special_ed_funding=float("nan"), layout_planning=None))
    assert part.item("special_ed_funding").status == "incomplete"
    assert part.item("layout_planning").status == "incomplete"


def test_failing_item_always_carries_a_failure():
    part = run(facts(layout_planning=False, special_ed_funding=10.0, teacher_rotation=0.0))
    failing = {item.item_id for item in part.items if item.status == "fail"}
    assert failing == {"layout_planning", "special_ed_funding", "teacher_rotation"}
    assert {failure.item_id for failure in part.failures} == failing
    assert all(failure.message for failure in part.failures)


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=1000), st.integers(min_value=1, max_value=1000))
def test_g9_counts_decide_exactly(completed, extra):
    # Completion = completed / required; pass only when every teacher completed (§4 G9).
    required = completed + extra - 1
    if required == 0:
        return
    part = run(
        facts(
            teacher_training_completion=None,
            teacher_training_completion_completed=completed,
            teacher_training_completion_required=required,
        )
    )
    expected = "pass" if Fraction(completed, required) >= 1 else "fail"
    assert part.item("teacher_training_completion").status == expected


# --------------------------------------------------------------------------------------------
# Large classes (大班额 56+, 超大班额 66+), read from the rule set (issue 9)


@pytest.mark.parametrize("rules", [RULES_2017, RULES_2012], ids=["2017", "2012"])
def test_a_class_of_exactly_56_is_large_and_of_exactly_66_super_large(rules):
    sizes = [0, 45, 55, 56, 57, 65, 66, 67, 120]
    expected = ["standard"] * 3 + ["large"] * 3 + ["super_large"] * 3
    assert class_size_categories(sizes, rules).tolist() == expected
    assert class_size_categories(pd.Series(sizes, dtype="int64")).tolist() == expected


def test_large_class_bounds_come_from_the_rule_set():
    stricter = changed(RULES_2017, "class_size.large.min_pupils", value=51)  # large from 51 pupils
    assert class_size_categories([50, 51, 56], stricter).tolist() == ["standard", "large", "large"]


@pytest.mark.parametrize("bad", [[56, 55.5], [56, -1], [56, float("nan")]])
def test_class_sizes_must_be_whole_numbers(bad):
    with pytest.raises(InvalidValueError, match="position 1") as caught:
        class_size_categories(bad)
    assert caught.value.code == "invalid_value"
