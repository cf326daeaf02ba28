"""Unit preparation: merging sites, exclusions and the split of mixed schools (§3.3–§3.4)."""

from fractions import Fraction

import numpy as np
import pytest

from eduequity.national.indicators import exact_share
from eduequity.national.rules import RULES_2017, Overlay, RuleOperation
from eduequity.national.units import prepare_units


def _shares(prepared):
    return dict(zip(prepared.units["unit_id"], prepared.units["share"], strict=True))


def test_nine_year_school_splits_one_to_one_point_one(make_schools):
    # §3.4: nine_year primary : junior = 1 : 1.1; A = 300, B = 200:
    # σ_primary = 300 / (300 + 220) = 15/26, σ_junior = 220 / 520 = 11/26.
    schools = make_schools(
        {
            "school_type": "nine_year",
            "students_primary": 300,
            "students_junior": 200,
            "qualified_teachers_junior": 12,
            "backbone_teachers_junior": 2,
            "pe_arts_teachers_junior": 2,
        }
    )
    prepared = prepare_units(schools, RULES_2017)
    assert list(prepared.units["unit_id"]) == ["S001#primary", "S001#junior"]
    assert list(prepared.units["school_id"]) == ["S001", "S001"]
    assert list(prepared.units["students"]) == [300, 200]
    shares = _shares(prepared)
    assert shares["S001#primary"] == pytest.approx(15 / 26, rel=1e-15)
    assert shares["S001#junior"] == pytest.approx(11 / 26, rel=1e-15)
    assert exact_share(prepared, RULES_2017, 0) == Fraction(15, 26)
    assert exact_share(prepared, RULES_2017, 1) == Fraction(11, 26)
    assert len(prepared.split) == 2


def test_twelve_year_school_drops_the_senior_share(make_schools):
    # §3.4: 1 : 1.1 : 1.32 with A = B = C = 100: σ_p = 100/342, σ_j = 110/342.
    schools = make_schools(
        {
            "school_type": "twelve_year",
            "students_primary": 100,
            "students_junior": 100,
            "students_senior": 100,
            "qualified_teachers_junior": 6,
            "backbone_teachers_junior": 1,
            "pe_arts_teachers_junior": 1,
        }
    )
    prepared = prepare_units(schools, RULES_2017)
    assert exact_share(prepared, RULES_2017, 0) == Fraction(100, 342)
    assert exact_share(prepared, RULES_2017, 1) == Fraction(110, 342)
    assert prepared.units["share"].sum() == pytest.approx(210 / 342)


def test_complete_middle_school_keeps_its_junior_part(make_schools):
    # §3.4: junior : senior = 1 : 1.2; B = 300, C = 500: σ_junior = 300 / 900 = 1/3.
    schools = make_schools(
        {
            "school_type": "complete_middle",
            "students_primary": 0,
            "students_junior": 300,
            "students_senior": 500,
            "qualified_teachers_primary": 0,
            "qualified_teachers_junior": 18,
            "backbone_teachers_primary": 0,
            "backbone_teachers_junior": 3,
            "pe_arts_teachers_primary": 0,
            "pe_arts_teachers_junior": 3,
        }
    )
    prepared = prepare_units(schools, RULES_2017)
    assert list(prepared.units["stage"]) == ["junior"]
    assert list(prepared.units["unit_id"]) == ["S001#junior"]
    assert exact_share(prepared, RULES_2017, 0) == Fraction(1, 3)


def test_section_without_pupils_does_not_exist(make_schools):
    # §3.4: a nine-year school with no primary pupils is one junior unit with σ = 1.
    schools = make_schools(
        {
            "school_type": "nine_year",
            "students_primary": 0,
            "students_junior": 400,
            "qualified_teachers_primary": 0,
            "qualified_teachers_junior": 24,
            "backbone_teachers_primary": 0,
            "backbone_teachers_junior": 4,
            "pe_arts_teachers_primary": 0,
            "pe_arts_teachers_junior": 4,
        }
    )
    prepared = prepare_units(schools, RULES_2017)
    assert list(prepared.units["unit_id"]) == ["S001"]
    assert list(prepared.units["share"]) == [1.0]
    assert prepared.split.empty


def test_teaching_point_cut_is_strictly_below_fifty(make_schools):
    # §3.3 step 3: a teaching point with fewer than 50 pupils (不足50人) is excluded; 50 enters.
    schools = make_schools(
        {},
        {"school_type": "teaching_point", "students_primary": 49},
        {"school_type": "teaching_point", "students_primary": 50},
    )
    prepared = prepare_units(schools, RULES_2017)
    assert list(prepared.units["school_id"]) == ["S001", "S003"]
    assert list(prepared.excluded["school_id"]) == ["S002"]
    assert list(prepared.excluded["reason"]) == ["small_teaching_point"]
    assert "49" in prepared.excluded["detail"].iloc[0]


def test_special_and_vocational_schools_are_excluded_with_reasons(make_schools):
    # §3.3 step 2.
    schools = make_schools({}, {"school_type": "special"}, {"school_type": "vocational"})
    prepared = prepare_units(schools, RULES_2017)
    assert list(prepared.units["school_id"]) == ["S001"]
    excluded = prepared.excluded.set_index("school_id")
    assert list(excluded["reason"]) == ["excluded_type", "excluded_type"]
    assert "特殊教育学校" in excluded.loc["S002", "detail"]
    assert "职业学校" in excluded.loc["S003", "detail"]


def test_site_is_merged_into_its_parent(make_schools):
    # §3.3 step 1: the site's pupils, teachers, areas and rooms are added to the parent.
    schools = make_schools(
        {"max_class_size_primary": 40},
        {
            "school_type": "teaching_point",
            "parent_school_id": "S001",
            "students_primary": 30,
            "qualified_teachers_primary": 2,
            "teaching_aux_area_m2": 150.0,
            "indoor_sports_area_m2": 0.0,
            "sports_ground_area_m2": 300.0,
            "equipment_value_yuan": 40_000.0,
            "multimedia_classrooms": 1,
            "max_class_size_primary": 46,
        },
    )
    prepared = prepare_units(schools, RULES_2017)
    assert list(prepared.schools["school_id"]) == ["S001"]
    parent = prepared.schools.iloc[0]
    assert parent["students_primary"] == 530
    assert parent["qualified_teachers_primary"] == 23
    assert parent["teaching_aux_area_m2"] == 2750.0
    assert parent["multimedia_classrooms"] == 13
    assert parent["max_class_size_primary"] == 46  # the largest class of both
    assert prepared.merged.to_dict("records") == [
        {"site_id": "S002", "parent_id": "S001", "county": "甲县", "students": 30.0}
    ]
    # The small site is merged, not excluded as a small teaching point.
    assert prepared.excluded.empty
    assert prepared.exact_amount(0, "teaching_aux_area_m2") == Fraction(2750)


def test_private_schools_are_included_by_default_and_excludable_by_overlay(make_schools):
    # §3.3 step 4: include_private defaults to true; an overlay may switch it off.
    schools = make_schools({"ownership": "public"}, {"ownership": "private"})
    assert len(prepare_units(schools, RULES_2017).units) == 2
    overlay = Overlay(
        id="no_private",
        title="test overlay",
        parent=RULES_2017.id,
        operations=(RuleOperation(op="set", key="units.include_private", value=False),),
    )
    rules = RULES_2017.with_overlay(overlay)
    prepared = prepare_units(schools, rules)
    assert list(prepared.units["school_id"]) == ["S001"]
    assert list(prepared.excluded["reason"]) == ["private_excluded"]


def test_listed_school_ids_are_excluded(make_schools):
    # §3.3 step 5: province- or city-run schools may be listed for exclusion.
    schools = make_schools({}, {})
    overlay = Overlay(
        id="drop_s2",
        title="test overlay",
        parent=RULES_2017.id,
        operations=(RuleOperation(op="set", key="units.exclude_school_ids", value=("S002",)),),
    )
    prepared = prepare_units(schools, RULES_2017.with_overlay(overlay))
    assert list(prepared.units["school_id"]) == ["S001"]
    assert list(prepared.excluded["reason"]) == ["excluded_id"]


def test_units_of_many_counties_keep_their_county(make_schools):
    schools = make_schools({}, {})
    schools.loc[1, "county"] = "乙县"
    prepared = prepare_units(schools, RULES_2017)
    assert list(prepared.units["county"]) == ["甲县", "乙县"]
    assert np.array_equal(prepared.member_of, [0, 1])
