"""Bundled synthetic demo data and the seeded school-table generator.

The intended outcomes of the demo county are re-derived here from the CSV text with plain
pandas and :class:`fractions.Fraction` arithmetic following ``national-method.md`` §3.2–§3.7,
§4, §5 and ``social-recognition.md`` §5–§7, without the national engine.
"""

import json
import math
from fractions import Fraction
from importlib.resources import as_file

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eduequity.datasets import (
    DEFAULT_TYPE_SHARES,
    DEMO_CITY,
    DEMO_COUNTY,
    DEMO_COUNTY_FINDINGS,
    DEMO_FILES,
    SCHOOL_COLUMNS,
    SCHOOL_TYPES,
    DemoCity,
    DemoCounty,
    DemoFinding,
    demo_path,
    generate_schools,
    load_demo_city,
    load_demo_county,
)
from eduequity.errors import EduEquityError, InvalidArgumentError
from eduequity.io.tables import (
    loaded_table,
    read_county_facts,
    read_monitoring,
    read_survey,
)
from eduequity.national import read_schools


def read_schools_with_report(path):
    return loaded_table(read_schools(path))


# ---------------------------------------------------------------------------------------
# Reference numbers of the 2017 method, typed in from the specification.

# national-method.md §3.1 (standards), §3.5 (floor ratio 0.85), §3.7 (CV limits).
INDICATORS = (
    "qualified_teachers_per_100",
    "backbone_teachers_per_100",
    "pe_arts_teachers_per_100",
    "teaching_area_per_student",
    "sports_area_per_student",
    "equipment_value_per_student",
    "multimedia_rooms_per_100",
)
STANDARDS = {
    "primary": ("4.2", "1", "0.9", "4.5", "7.5", "2000", "2.3"),
    "junior": ("5.3", "1", "0.9", "5.8", "10.2", "2500", "2.4"),
}
FLOOR_RATIO = Fraction("0.85")
CV_LIMITS = {"primary": 0.50, "junior": 0.45}
# §3.4: pupil-equivalence ratios.
JUNIOR_RATIO = Fraction("1.1")
SENIOR_RATIO_TWELVE = Fraction("1.32")
SENIOR_RATIO_COMPLETE = Fraction("1.2")

COUNTS = (
    "students_primary",
    "students_junior",
    "students_senior",
    "qualified_teachers_primary",
    "qualified_teachers_junior",
    "backbone_teachers_primary",
    "backbone_teachers_junior",
    "pe_arts_teachers_primary",
    "pe_arts_teachers_junior",
    "full_time_teachers_primary",
    "full_time_teachers_junior",
    "mid_senior_title_teachers_primary",
    "mid_senior_title_teachers_junior",
    "teaching_aux_area_m2",
    "indoor_sports_area_m2",
    "sports_ground_area_m2",
    "equipment_value_yuan",
    "multimedia_classrooms",
    "teaching_computers",
    "books",
    "classes_primary",
    "classes_junior",
    "music_rooms",
    "art_rooms",
    "public_funds_budget_yuan",
    "teacher_training_funds_yuan",
)


# ---------------------------------------------------------------------------------------
# Independent re-derivation of the demo county's units and indicators.


def _raw_schools(name="demo_county_schools.csv"):
    """The school CSV as text, numbers turned into exact fractions."""
    with demo_path(name).open("rb") as handle:
        text = pd.read_csv(handle, dtype=str, keep_default_na=False)
    exact = text.copy()
    for column in COUNTS:
        exact[column] = text[column].map(Fraction)
    return exact


def _units():
    """One row per (unit, stage) after merging sites, excluding and splitting (§3.3–§3.4)."""
    raw = _raw_schools()
    key = raw["parent_school_id"].where(raw["parent_school_id"] != "", raw["school_id"])
    merged = raw.groupby(key)[list(COUNTS)].sum()
    info = raw.loc[raw["parent_school_id"] == ""].set_index("school_id")
    merged = merged.join(info[["school_type", "school_name", "location"]])
    small_point = (merged["school_type"] == "teaching_point") & (merged["students_primary"] < 50)
    merged = merged[~merged["school_type"].isin(["special", "vocational"]) & ~small_point]

    rows = []
    for school_id, school in merged.iterrows():
        a, b, c = school["students_primary"], school["students_junior"], school["students_senior"]
        kind = school["school_type"]
        if kind == "nine_year":
            total = a + JUNIOR_RATIO * b
            shares = {"primary": a / total, "junior": JUNIOR_RATIO * b / total}
        elif kind == "twelve_year":
            total = a + JUNIOR_RATIO * b + SENIOR_RATIO_TWELVE * c
            shares = {"primary": a / total, "junior": JUNIOR_RATIO * b / total}
        elif kind == "complete_middle":
            shares = {"junior": b / (b + SENIOR_RATIO_COMPLETE * c)}
        elif kind == "junior":
            shares = {"junior": Fraction(1)}
        else:
            shares = {"primary": Fraction(1)}
        split = kind in {"nine_year", "twelve_year", "complete_middle"}
        for stage, share in shares.items():
            pupils = school[f"students_{stage}"]
            net_area = school["teaching_aux_area_m2"] - school["indoor_sports_area_m2"]
            sports = school["sports_ground_area_m2"] + school["indoor_sports_area_m2"]
            amounts = (
                100 * school[f"qualified_teachers_{stage}"],
                100 * school[f"backbone_teachers_{stage}"],
                100 * school[f"pe_arts_teachers_{stage}"],
                share * net_area,
                share * sports,
                share * school["equipment_value_yuan"],
                100 * share * school["multimedia_classrooms"],
            )
            extra_2012 = (
                100 * share * school["teaching_computers"],
                share * school["books"],
                school[f"full_time_teachers_{stage}"],
                school[f"mid_senior_title_teachers_{stage}"],
            )
            rows.append(
                {
                    "unit": f"{school_id}#{stage}" if split else school_id,
                    "stage": stage,
                    "pupils": pupils,
                    **dict(zip(INDICATORS, amounts, strict=True)),
                    **dict(
                        zip(
                            ("computers_per_100", "books_per_student", "teachers", "titles"),
                            extra_2012,
                            strict=True,
                        )
                    ),
                }
            )
    return pd.DataFrame(rows)


def _values(units):
    """Exact indicator values X_i = A_i / P_i (fractions)."""
    values = units[["unit", "stage", "pupils"]].copy()
    for column in units.columns[3:]:
        values[column] = [
            amount / pupils for amount, pupils in zip(units[column], units["pupils"], strict=True)
        ]
    return values


def _weighted_cv(values, pupils):
    """Population CV weighted by enrolment, two-pass (§3.6)."""
    x = np.asarray(values, dtype=float)
    w = np.asarray(pupils, dtype=float)
    mean = np.sum(w * x) / np.sum(w)
    return float(np.sqrt(np.sum(w * (x - mean) ** 2) / np.sum(w)) / mean)


@pytest.fixture(scope="module")
def demo():
    return load_demo_county()


@pytest.fixture(scope="module")
def units():
    return _units()


@pytest.fixture(scope="module")
def values(units):
    return _values(units)


@pytest.fixture(scope="module")
def rule_table(values):
    """Per unit: which of the 7 standards are met and whether the unit passes (§3.5)."""
    records = []
    for _, row in values.iterrows():
        standards = [Fraction(text) for text in STANDARDS[row["stage"]]]
        missed = [
            name
            for name, standard in zip(INDICATORS, standards, strict=True)
            if row[name] < standard
        ]
        below_floor = [
            name
            for name, standard in zip(INDICATORS, standards, strict=True)
            if row[name] < FLOOR_RATIO * standard
        ]
        records.append(
            {
                "unit": row["unit"],
                "stage": row["stage"],
                "missed": tuple(missed),
                "passes": len(missed) <= 1 and not below_floor,
            }
        )
    return pd.DataFrame(records).set_index("unit")


# ---------------------------------------------------------------------------------------
# Files, shapes and dtypes.


def test_every_bundled_file_is_listed_and_readable():
    for name in DEMO_FILES:
        with as_file(demo_path(name)) as path:
            text = path.read_text(encoding="utf-8")
        assert not text.startswith("\ufeff")
        assert text.endswith("\n")
        assert "\r" not in text
    with as_file(demo_path(DEMO_FILES[0])) as path:
        on_disk = sorted(p.name for p in path.parent.glob("*.csv"))
        readme = (path.parent / "README.md").read_text(encoding="utf-8")
    assert on_disk == sorted(DEMO_FILES)
    assert "SYNTHETIC" in readme.splitlines()[0]


def test_demo_path_rejects_unknown_names():
    with pytest.raises(InvalidArgumentError, match=r"demo_county_schools\.csv"):
        demo_path("schools.csv")
    with pytest.raises(EduEquityError):
        demo_path("../__init__.py")


def test_demo_county_shapes(demo):
    assert isinstance(demo, DemoCounty)
    assert demo.schools.shape == (40, len(SCHOOL_COLUMNS))
    assert list(demo.schools.columns) == list(SCHOOL_COLUMNS)
    assert demo.facts.shape[0] == 1
    assert demo.monitoring.shape == (12, 6)
    assert demo.survey.shape == (1500, 8)


def test_demo_county_dtypes(demo):
    schools = demo.schools
    assert schools["school_id"].tolist()[:2] == ["0990010001", "0990010002"]
    assert schools["school_id"].str.startswith("0").all()
    assert schools["school_id"].is_unique
    for column in ("school_id", "county", "county_code", "school_type", "parent_school_id"):
        assert pd.api.types.is_string_dtype(schools[column]), column
    assert schools["county_code"].eq("999001").all()
    for column in ("students_primary", "classes_junior", "books", "year", "multimedia_classrooms"):
        assert schools[column].dtype == np.int64, column
    for column in ("teaching_aux_area_m2", "equipment_value_yuan", "min_art_room_area_m2"):
        assert schools[column].dtype == np.float64, column
    assert schools["boarding"].dtype == bool
    assert schools["parent_school_id"].notna().sum() == 2

    facts = demo.facts.iloc[0]
    assert facts["county"] == DEMO_COUNTY
    assert demo.facts["year"].dtype == np.int64
    assert demo.facts["veto_falsification"].dtype == bool
    assert demo.facts["teacher_rotation_backbone_share"].dtype == np.float64
    assert demo.facts["teacher_rotation_eligible"].dtype == np.int64

    assert demo.monitoring["grade"].dtype == np.int64
    assert demo.survey["grade"].dtype == "Int64"
    assert pd.api.types.is_string_dtype(demo.survey["respondent_id"])
    assert demo.survey["respondent_id"].is_unique


def test_every_table_names_the_same_county_and_year(demo):
    for table in (demo.schools, demo.facts, demo.monitoring, demo.survey):
        assert set(table["county"]) == {DEMO_COUNTY}
        assert set(table["year"]) == {2024}


def test_demo_county_composition(demo):
    schools = demo.schools
    is_site = schools["parent_school_id"].notna()
    counts = schools.loc[~is_site, "school_type"].value_counts().to_dict()
    assert counts == {
        "primary": 17,
        "junior": 9,
        "nine_year": 4,
        "twelve_year": 1,
        "complete_middle": 1,
        "teaching_point": 5,
        "special": 1,
    }
    assert schools.loc[is_site, "parent_school_id"].tolist() == ["0990010011", "0990010204"]
    assert schools.loc[schools["ownership"] == "private", "school_id"].tolist() == ["0990010005"]
    assert set(schools["location"]) == {"urban", "town", "rural"}
    points = schools.loc[(schools["school_type"] == "teaching_point") & ~is_site]
    assert sorted(points["students_primary"]) == [12, 23, 38, 49, 50]


def test_demo_county_to_dict_is_json_safe(demo):
    payload = json.dumps(demo.to_dict(), ensure_ascii=False)
    assert "0990010001" in payload


def test_demo_facts_have_every_field_of_the_schema(demo):
    # data-schema.md §2.1: the fields a complete decision needs (those not computed from the
    # other tables), by id.
    required = {
        "basic_balance_recognition_year",
        "post_recognition_monitoring",
        "layout_planning",
        "unified_standards_construction",
        "unified_standards_staffing",
        "unified_standards_funding",
        "unified_standards_equipment",
        "small_school_funding",
        "special_ed_funding",
        "teacher_salary_parity",
        "teacher_salary_parity_performance_pay",
        "teacher_training_completion",
        "staffing_coordination",
        "teacher_rotation",
        "teacher_rotation_backbone_share",
        "teacher_certification",
        "nearby_enrolment_primary",
        "nearby_enrolment_junior",
        "high_school_quota_allocation",
        "high_school_quota_allocation_rural_tilt",
        "left_behind_and_migrant_children_care_system",
        "left_behind_and_migrant_children_public_share",
        "junior_retention_rate",
        "disabled_enrolment_rate",
        "charters_and_informatization",
        "ict_use_in_teaching",
        "moral_education_and_culture",
        "curriculum_and_order",
        "no_excessive_burden",
        "veto_exam_admission",
        "veto_school_choice",
        "veto_key_schools_or_classes",
        "veto_unfilled_posts",
        "veto_major_incident",
        "veto_falsification",
    }
    facts = demo.facts.iloc[0]
    assert required <= set(demo.facts.columns)
    assert facts[list(required)].notna().all()
    declared = [c for c in demo.facts.columns if demo.facts[c].dtype == bool and facts[c]]
    assert declared, "some items are declared true"
    for column in declared:
        evidence = f"{column}_evidence"
        assert evidence in demo.facts.columns, column
        assert "synthetic" in facts[evidence]


@pytest.mark.parametrize(
    ("name", "reader", "expected_warnings"),
    [
        ("demo_county_schools.csv", read_schools_with_report, {"private_school_included"}),
        ("demo_city_schools.csv", read_schools_with_report, {"private_school_included"}),
        ("demo_county_facts.csv", read_county_facts, set()),
        ("demo_county_monitoring.csv", read_monitoring, set()),
        ("demo_county_survey.csv", read_survey, {"blank_answer"}),
    ],
)
def test_bundled_files_pass_the_loaders_validation(name, reader, expected_warnings):
    with as_file(demo_path(name)) as path:
        loaded = reader(path)
    assert {issue.code for issue in loaded.issues} == expected_warnings
    assert all(issue.severity == "warning" for issue in loaded.issues)
    with demo_path(name).open("rb") as handle:
        rows = sum(1 for _ in handle) - 1
    assert len(loaded.frame) == rows


# ---------------------------------------------------------------------------------------
# Part 1: units, the per-school rule, exactness, CVs.


def test_unit_preparation(units):
    primary = units[units["stage"] == "primary"]
    junior = units[units["stage"] == "junior"]
    assert len(primary) == 23
    assert len(junior) == 15
    assert sum(primary["pupils"]) == 15355
    assert sum(junior["pupils"]) == 12320
    # Sites merged into their parents (260 + 40 and 235 + 85 primary pupils).
    pupils = primary.set_index("unit")["pupils"]
    assert pupils["0990010011"] == 300
    assert pupils["0990010204#primary"] == 320
    # The 50-pupil teaching point is in, the 49-pupil one out, the special school out.
    assert "0990010505" in pupils.index
    assert "0990010504" not in pupils.index
    assert not units["unit"].str.startswith("0990010701").any()
    assert set(junior["unit"]) >= {"0990010401#junior", "0990010301#junior", "0990010203#junior"}


def test_per_school_rule_failures(rule_table):
    failing = rule_table[~rule_table["passes"]]
    assert failing["missed"].to_dict() == {
        "0990010002": ("sports_area_per_student",),
        "0990010005": ("backbone_teachers_per_100",),
        "0990010203#junior": ("qualified_teachers_per_100", "equipment_value_per_student"),
    }
    assert rule_table.loc["0990010203#primary", "passes"]


def test_units_that_miss_one_standard_but_pass(rule_table):
    missing_one = rule_table[(rule_table["missed"].map(len) == 1) & rule_table["passes"]]
    assert missing_one["missed"].to_dict() == {
        "0990010012": ("equipment_value_per_student",),
        "0990010109": ("sports_area_per_student",),
    }


def test_exactly_one_value_sits_on_a_standard_or_floor(values):
    hits = []
    for _, row in values.iterrows():
        for name, text in zip(INDICATORS, STANDARDS[row["stage"]], strict=True):
            standard = Fraction(text)
            if row[name] in (standard, FLOOR_RATIO * standard):
                hits.append((row["unit"], name, row[name]))
    assert hits == [("0990010107", "teaching_area_per_student", Fraction("5.8"))]
    # The instructive part: naive binary floating point puts the school below the standard.
    assert (4496.9 - 784.9) / 640 < 5.8


def test_cvs_of_the_seven_indicators(units):
    # Documented in data/README.md §1.2 and DEMO_COUNTY_FINDINGS.
    expected = {
        "primary": (0.2575, 0.2802, 0.1397, 0.1824, 0.5874, 0.1649, 0.1597),
        "junior": (0.1138, 0.2121, 0.1099, 0.0915, 0.1712, 0.1029, 0.0953),
    }
    for stage, documented in expected.items():
        stage_units = units[units["stage"] == stage]
        values = _values(stage_units)
        cvs = [_weighted_cv(values[name], stage_units["pupils"]) for name in INDICATORS]
        assert cvs == pytest.approx(documented, abs=5e-5)
        over = [name for name, cv in zip(INDICATORS, cvs, strict=True) if cv > CV_LIMITS[stage]]
        assert over == (["sports_area_per_student"] if stage == "primary" else [])


def test_the_cramped_school_drives_the_sports_cv(units):
    primary = units[units["stage"] == "primary"]
    without = primary[primary["unit"] != "0990010002"]
    values = _values(without)
    cv = _weighted_cv(values["sports_area_per_student"], without["pupils"])
    assert cv == pytest.approx(0.4917, abs=5e-5)
    assert cv < CV_LIMITS["primary"]


def test_cv_matches_the_textbook_formula_on_the_normative_example():
    # national-method.md §3.6: five primary schools, books; CV = 0.5152566.
    cv = _weighted_cv(
        np.array([279, 137, 935, 160, 402]) / [45, 37, 89, 76, 55], [45, 37, 89, 76, 55]
    )
    assert cv == pytest.approx(0.5152566, abs=1e-6)


def test_basic_balance_composite_cv(units):
    # national-method.md §10: 8 CVs (facility items split with σ), arithmetic mean.
    expected = {"primary": 0.228, "junior": 0.1142}
    limits = {"primary": 0.65, "junior": 0.55}
    for stage, documented in expected.items():
        stage_units = units[units["stage"] == stage]
        values = _values(stage_units)
        names = (
            "teaching_area_per_student",
            "sports_area_per_student",
            "equipment_value_per_student",
            "computers_per_100",
            "books_per_student",
            "teachers",
            "qualified_teachers_per_100",
            "titles",
        )
        composite = np.mean([_weighted_cv(values[n], stage_units["pupils"]) for n in names])
        assert composite == pytest.approx(documented, abs=5e-4)
        assert composite <= limits[stage]


# ---------------------------------------------------------------------------------------
# Part 2 and Part 3 from the school table and the facts.


def _merged_schools(demo):
    schools = demo.schools
    key = schools["parent_school_id"].fillna(schools["school_id"])
    summed = schools.groupby(key)[
        [
            "students_primary",
            "students_junior",
            "classes_primary",
            "classes_junior",
            "music_rooms",
            "art_rooms",
            "public_funds_budget_yuan",
            "teacher_training_funds_yuan",
        ]
    ].sum()
    smallest = schools.groupby(key)[
        [
            "min_music_room_area_m2",
            "min_art_room_area_m2",
            "max_class_size_primary",
            "max_class_size_junior",
        ]
    ].min()
    kind = schools.set_index("school_id").loc[summed.index, "school_type"]
    return summed.join(smallest).assign(school_type=kind)


def test_g3_music_and_art_rooms_pass(demo):
    merged = _merged_schools(demo)
    scope = merged[~merged["school_type"].isin(["special", "vocational", "teaching_point"])]
    needed = np.ceil((scope["classes_primary"] + scope["classes_junior"]) / 12)
    assert (scope["music_rooms"] >= needed).all()
    assert (scope["art_rooms"] >= needed).all()
    assert (scope["min_music_room_area_m2"] >= 96).all()  # G3 [S]
    assert (scope["min_art_room_area_m2"] >= 90).all()


def test_g4_school_size_fails_once(demo):
    merged = _merged_schools(demo)
    scope = merged[~merged["school_type"].isin(["special", "vocational"])]
    compulsory = scope["students_primary"] + scope["students_junior"]
    integrated = scope["school_type"].isin(["nine_year", "twelve_year"])
    limit = np.where(integrated, 2500, 2000)  # G4 [S]
    assert compulsory[compulsory > limit].to_dict() == {"0990010101": 2150}


def test_g5_class_size_fails_once(demo):
    merged = _merged_schools(demo)
    scope = merged[~merged["school_type"].isin(["special", "vocational"])]
    primary_over = scope.index[scope["max_class_size_primary"] > 45].tolist()  # G5 [S]
    junior_over = scope.index[scope["max_class_size_junior"] > 50].tolist()
    assert primary_over == ["0990010202"]
    assert junior_over == []
    assert scope.loc["0990010202", "max_class_size_primary"] == 48


def test_q4_training_fund_share_passes(demo):
    merged = _merged_schools(demo)
    share = merged["teacher_training_funds_yuan"] / merged["public_funds_budget_yuan"]
    assert share.min() >= 0.05  # Q4 [S]
    assert share.idxmin() == "0990010012"
    assert share.min() == pytest.approx(0.0557, abs=5e-5)


def test_guarantee_and_quality_facts(demo):
    facts = demo.facts.iloc[0]
    # P1 (§2): at least 3 years since basic balance.
    assert facts["year"] - facts["basic_balance_recognition_year"] == 8
    # G7 ≥ 6000 yuan; G8 ratio ≥ 1 and counts agree within 0.0005 (data-schema.md §2.1).
    assert facts["special_ed_funding"] >= 6000
    ratio = (
        facts["teacher_salary_parity_teacher_avg_yuan"]
        / facts["teacher_salary_parity_civil_servant_avg_yuan"]
    )
    assert ratio >= 1
    assert abs(ratio - facts["teacher_salary_parity"]) <= 0.0005
    # G9 and G12: every teacher trained and certified.
    assert (
        facts["teacher_training_completion_completed"]
        == facts["teacher_training_completion_required"]
    )
    assert facts["teacher_certification_certified"] == facts["teacher_certification_full_time"]
    # G11: rotation passes, backbone share fails.
    rotated, eligible = facts["teacher_rotation_rotated"], facts["teacher_rotation_eligible"]
    backbone = facts["teacher_rotation_backbone_rotated"]
    assert Fraction(int(rotated), int(eligible)) >= Fraction("0.10")
    assert Fraction(int(backbone), int(rotated)) == Fraction("0.18") < Fraction("0.20")
    assert facts["teacher_rotation_backbone_share"] == 0.18
    # G13, G14, G15.
    assert facts["nearby_enrolment_primary"] == 1
    assert facts["nearby_enrolment_junior"] >= 0.95
    assert facts["high_school_quota_allocation"] >= 0.5
    assert facts["left_behind_and_migrant_children_public_share"] >= 0.85
    # Q1, Q2 ≥ 0.95, rates agree with counts.
    retention = (
        facts["junior_retention_rate_cohort_end"] / facts["junior_retention_rate_cohort_start"]
    )
    disabled = (
        facts["disabled_enrolment_rate_enrolled"] / facts["disabled_enrolment_rate_population"]
    )
    assert retention >= 0.95
    assert disabled >= 0.95
    assert abs(retention - facts["junior_retention_rate"]) <= 0.0005
    assert abs(disabled - facts["disabled_enrolment_rate"]) <= 0.0005
    # Every declared item true, every veto false.
    flags = demo.facts.select_dtypes(bool).columns
    vetoes = [c for c in flags if c.startswith("veto_")]
    assert len(vetoes) == 7
    assert not facts[vetoes].any()
    assert facts[[c for c in flags if c not in vetoes]].all()


def test_q9_monitoring_fails_on_one_row(demo):
    monitoring = demo.monitoring
    assert set(monitoring["subject"]) == {"语文", "数学", "科学", "体育", "艺术", "德育"}
    assert set(monitoring["grade"]) == {4, 8}
    assert set(monitoring["level"]) <= {"Ⅲ", "Ⅳ"}
    failing = monitoring[monitoring["inter_school_difference_rate"] >= 0.15]
    assert failing[["subject", "grade", "inter_school_difference_rate"]].to_numpy().tolist() == [
        ["数学", 8, 0.16]
    ]


# ---------------------------------------------------------------------------------------
# Part 4: the survey.


def test_survey_counts_and_pooled_rate(demo):
    answers = demo.survey["answer"]
    positive = {"满意", "比较满意", "基本满意"}  # satisfaction_5 default positive set, §4
    assert answers.isna().sum() == 8
    assert (answers == "不了解").sum() == 40
    valid = answers.isin(positive | {"不满意"})
    n_positive = int(answers.isin(positive).sum())
    assert (n_positive, int(valid.sum())) == (1264, 1452)
    rate = n_positive / valid.sum()
    assert rate >= 0.85
    strict = answers.isin({"满意", "比较满意"}).sum() / valid.sum()
    assert strict == pytest.approx(995 / 1452)
    # Wilson interval, social-recognition.md §7, written out.
    z, n = 1.959963984540054, valid.sum()
    centre = (rate + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * math.sqrt(rate * (1 - rate) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    assert (round(centre - half, 3), round(centre + half, 3)) == (0.852, 0.887)


def test_survey_design(demo):
    survey = demo.survey
    groups = survey["respondent_group"].value_counts()
    assert groups["parent"] / len(survey) >= 0.5
    others = groups.drop("parent")
    assert others.max() / others.min() <= 2.0
    expected_questionnaire = {
        "parent": "society",
        "deputy": "society",
        "cppcc_member": "society",
        "public": "society",
        "teacher": "staff",
        "principal": "staff",
        "student": "student",
    }
    assert (survey["respondent_group"].map(expected_questionnaire) == survey["questionnaire"]).all()
    students = survey["respondent_group"] == "student"
    assert survey.loc[students, "grade"].between(3, 9).all()
    assert survey.loc[~students, "grade"].isna().all()
    assert set(survey["location"]) == {"urban", "town", "rural"}


# ---------------------------------------------------------------------------------------
# The documented findings agree with the re-derivation.


def test_findings_are_documented_consistently(demo, units, values):
    assert all(isinstance(finding, DemoFinding) for finding in DEMO_COUNTY_FINDINGS)
    by_unit = values.set_index("unit")
    primary = units[units["stage"] == "primary"]
    sports_cv = _weighted_cv(_values(primary)["sports_area_per_student"], primary["pupils"])
    schools = demo.schools.set_index("school_id")
    facts = demo.facts.iloc[0]
    answers = demo.survey["answer"]
    valid = answers.isin(["满意", "比较满意", "基本满意", "不满意"]).sum()
    # The decisive value of each non-unit finding, re-derived from the tables.
    derived = {
        "P1": facts["year"] - facts["basic_balance_recognition_year"],
        "§3.7": sports_cv,
        "G4": schools.loc["0990010101", "students_junior"],
        "G5": schools.loc["0990010202", "max_class_size_primary"],
        "G11": facts["teacher_rotation_backbone_rotated"] / facts["teacher_rotation_rotated"],
        "Q9": demo.monitoring.set_index(["subject", "grade"]).loc[
            ("数学", 8), "inter_school_difference_rate"
        ],
        "Part 4": (valid - answers.eq("不满意").sum()) / valid,
    }
    for finding in DEMO_COUNTY_FINDINGS:
        assert finding.to_dict()["outcome"] == finding.outcome
        if finding.code == "§3.5":
            value = float(by_unit.loc[finding.subject, finding.indicator])
        elif finding.code == "§3.3":
            value = schools.loc[finding.subject, "students_primary"]
        elif finding.code in derived:
            value = derived[finding.code]
        else:
            assert finding.value is None
            continue
        assert value == pytest.approx(finding.value, abs=5e-5), finding.code
    outcomes = {(f.code, f.subject): f.outcome for f in DEMO_COUNTY_FINDINGS}
    assert outcomes[("§3.5", "0990010203#junior")] == "fail"
    assert outcomes[("§3.7", "primary")] == "fail"
    assert outcomes[("Part 4", DEMO_COUNTY)] == "pass"
    failing_codes = sorted({f.code for f in DEMO_COUNTY_FINDINGS if f.outcome == "fail"})
    assert failing_codes == ["G11", "G4", "G5", "Q9", "§3.5", "§3.7"]


# ---------------------------------------------------------------------------------------
# The demo city.


def test_demo_city():
    city = load_demo_city()
    assert isinstance(city, DemoCity)
    schools, register = city.schools, city.register
    assert schools.shape == (166, len(SCHOOL_COLUMNS))
    assert schools["school_id"].is_unique
    assert schools["county"].nunique() == 4
    assert schools.groupby("county")["county_code"].nunique().eq(1).all()
    county = load_demo_county().schools
    pd.testing.assert_frame_equal(
        schools[schools["county"] == DEMO_COUNTY].reset_index(drop=True), county
    )
    assert schools.dtypes.equals(county.dtypes)

    assert list(register.columns) == [
        "city",
        "county",
        "unit_kind",
        "program",
        "status",
        "status_year",
        "batch",
        "basic_balance_year",
        "note",
    ]
    assert set(register["city"]) == {DEMO_CITY}
    assert set(register["county"]) == set(schools["county"])
    quality = register[register["program"] == "quality_balance"]
    latest = quality.sort_values("status_year", kind="stable").groupby("county").tail(1)
    latest_status = dict(
        zip(
            latest["county"], zip(latest["status"], latest["status_year"], strict=True), strict=True
        )
    )
    assert sorted(latest_status.values()) == [
        ("applied", 2025),
        ("creating", 2023),
        ("nationally_recognized", 2023),
        ("provincially_assessed", 2024),
    ]
    assert latest_status[DEMO_COUNTY] == ("applied", 2025)
    recognised = quality[quality["status"] == "nationally_recognized"]
    # No recognition before basic_balance_year + 3 (data-schema.md §5 warning).
    assert (recognised["status_year"] >= recognised["basic_balance_year"] + 3).all()
    assert recognised["batch"].tolist() == ["2023年"]
    assert not register.duplicated(["county", "program", "status", "status_year"]).any()


# ---------------------------------------------------------------------------------------
# The generator.


def _violations(table):
    """Count the rows breaking each rule of data-schema.md §1.5 that a generator must respect."""
    t = table
    p, j, s = t["students_primary"], t["students_junior"], t["students_senior"]
    kind = t["school_type"]
    problems = {
        "section_not_allowed": (
            (kind.isin(["primary", "teaching_point"]) & ((j > 0) | (s > 0)))
            | ((kind == "junior") & ((p > 0) | (s > 0)))
            | ((kind == "nine_year") & (s > 0))
            | ((kind == "complete_middle") & (p > 0))
        ),
        "zero_enrolment": (
            ((kind == "primary") & (p == 0))
            | (kind.isin(["junior", "complete_middle"]) & (j == 0))
            | (kind.isin(["nine_year", "twelve_year"]) & ((p == 0) | (j == 0)))
        ),
        "negative_value": (t.select_dtypes("number").fillna(0) < 0).any(axis=1),
        "indoor_exceeds_teaching_area": t["indoor_sports_area_m2"] > t["teaching_aux_area_m2"],
    }
    for stage, pupils in (("primary", p), ("junior", j)):
        teachers = t[[f"{k}_teachers_{stage}" for k in ("qualified", "backbone", "pe_arts")]]
        problems[f"teachers_without_students_{stage}"] = (teachers.sum(axis=1) > 0) & (pupils == 0)
        total = t[f"full_time_teachers_{stage}"]
        subsets = t[
            [
                f"{k}_teachers_{stage}"
                for k in ("qualified", "backbone", "pe_arts", "bachelor_plus", "mid_senior_title")
            ]
        ]
        problems[f"subset_exceeds_total_{stage}"] = subsets.gt(total, axis=0).any(axis=1)
        classes, largest = t[f"classes_{stage}"], t[f"max_class_size_{stage}"]
        problems[f"classes_inconsistent_{stage}"] = (
            ((classes > 0) & (pupils == 0))
            | ((pupils > 0) & (classes == 0))
            | (largest > pupils)
            | (largest * classes < pupils)
        )
    problems["bachelor_above_qualified"] = (
        t["bachelor_plus_teachers_primary"] > t["qualified_teachers_primary"]
    )
    problems["large_classes"] = (
        t["large_classes"] > t["classes_primary"] + t["classes_junior"]
    ) | (t["super_large_classes"] > t["large_classes"])
    is_site = t["parent_school_id"].notna()
    parents = t.set_index("school_id").reindex(t.loc[is_site, "parent_school_id"])
    site_problem = pd.Series(data=False, index=t.index)
    site_problem[is_site] = (
        (parents["county"].to_numpy() != t.loc[is_site, "county"].to_numpy())
        | parents["parent_school_id"].notna().to_numpy()
        | ~parents["school_type"].isin(["primary", "nine_year", "twelve_year"]).to_numpy()
    )
    problems["site"] = site_problem
    return {name: int(mask.sum()) for name, mask in problems.items()}


@pytest.fixture(scope="module")
def generated():
    return generate_schools(n_counties=120, n_schools=9000, seed=7)


def test_generated_tables_pass_the_loaders_validation(generated):
    loaded = read_schools_with_report(generated)
    assert len(loaded.frame) == len(generated)
    # Only informational warnings: no row is invalid (errors would raise InputError).
    allowed = {"private_school_included", "outlier_value", "zero_qualified_teachers"}
    assert {issue.code for issue in loaded.issues} <= allowed


def test_generator_shape_ids_and_dtypes(generated):
    assert generated.shape == (9000, len(SCHOOL_COLUMNS))
    assert list(generated.columns) == list(SCHOOL_COLUMNS)
    assert generated["school_id"].is_unique
    assert generated["county"].nunique() == 120
    assert generated.groupby("county")["county_code"].nunique().eq(1).all()
    assert generated.groupby("county_code")["county"].nunique().eq(1).all()
    assert pd.api.types.is_string_dtype(generated["school_id"])
    assert generated["students_primary"].dtype == np.int64
    assert generated["equipment_value_yuan"].dtype == np.float64
    assert generated["boarding"].dtype == bool
    assert set(generated["school_type"]) <= set(SCHOOL_TYPES)
    assert set(generated["ownership"]) == {"public", "private"}
    assert set(generated["year"]) == {2024}
    county_of_school = generated["school_id"].str[:6]
    assert (county_of_school == generated["county_code"]).all()


def test_generator_has_the_same_dtypes_as_the_demo(generated, demo):
    assert generated.dtypes.equals(demo.schools.dtypes)


def test_generator_respects_the_schema(generated):
    assert _violations(generated) == dict.fromkeys(_violations(generated), 0)


def test_generator_type_mix(generated):
    shares = generated["school_type"].value_counts(normalize=True)
    # 480 forced rows (2 primary + 2 junior per county) plus draws with DEFAULT_TYPE_SHARES.
    free = 9000 - 4 * 120
    for name, share in DEFAULT_TYPE_SHARES.items():
        forced = 240 if name in {"primary", "junior"} else 0
        expected = (forced + share * free) / 9000
        assert shares.get(name, 0.0) == pytest.approx(expected, abs=0.02), name
    per_county = pd.crosstab(generated["county"], generated["school_type"])
    assert (per_county["primary"] >= 2).all()
    assert (per_county["junior"] >= 2).all()
    sites = generated["parent_school_id"].notna().mean()
    assert 0.003 < sites < 0.02
    private = generated["ownership"].eq("private").mean()
    assert 0.01 < private < 0.06


def test_generator_teaching_points_and_integrated_schools(generated):
    points = generated[generated["school_type"] == "teaching_point"]
    assert (points["students_primary"] < 50).any()
    assert (points["students_primary"] >= 50).any()
    assert (points["location"] == "rural").all()
    twelve = generated[generated["school_type"] == "twelve_year"]
    assert (twelve["students_senior"] > 0).all()
    complete = generated[generated["school_type"] == "complete_middle"]
    assert (complete["students_senior"] > 0).all()


def test_generator_cvs_are_in_a_realistic_range(generated):
    # Single-stage primary and junior schools only: enough to see the spread of the counties.
    for kind, stage in (("primary", "primary"), ("junior", "junior")):
        table = generated[(generated["school_type"] == kind) & generated["parent_school_id"].isna()]
        pupils = table[f"students_{stage}"].astype(float)
        amounts = pd.DataFrame(
            {
                "qualified": table[f"qualified_teachers_{stage}"],
                "area": table["teaching_aux_area_m2"] - table["indoor_sports_area_m2"],
                "sports": table["sports_ground_area_m2"] + table["indoor_sports_area_m2"],
                "equipment": table["equipment_value_yuan"],
                "rooms": table["multimedia_classrooms"],
            }
        )
        x = amounts.div(pupils, axis=0)
        county = table["county"]
        mean = amounts.groupby(county).sum().div(pupils.groupby(county).sum(), axis=0)
        squared = (x - mean.loc[county].to_numpy()) ** 2
        variance = (
            squared.mul(pupils, axis=0)
            .groupby(county)
            .sum()
            .div(pupils.groupby(county).sum(), axis=0)
        )
        cv = np.sqrt(variance) / mean
        medians = cv.median()
        assert ((medians > 0.1) & (medians < 0.8)).all(), medians.to_dict()
        assert (cv.quantile(0.9) < 1.2).all()


def test_generator_is_deterministic_per_seed():
    first = generate_schools(n_counties=10, n_schools=400, seed=3)
    again = generate_schools(n_counties=10, n_schools=400, seed=3)
    other = generate_schools(n_counties=10, n_schools=400, seed=4)
    pd.testing.assert_frame_equal(first, again)
    assert not first.equals(other)
    assert not first["students_primary"].equals(other["students_primary"])
    from_generator = generate_schools(n_counties=10, n_schools=400, seed=np.random.default_rng(3))
    pd.testing.assert_frame_equal(first, from_generator)


def test_generator_names_codes_and_year():
    table = generate_schools(
        n_counties=2,
        n_schools=20,
        seed=0,
        year=2019,
        county_names=["甲县", "乙区"],
        county_codes=["0101", "0102"],
    )
    assert set(table["county"]) == {"甲县", "乙区"}
    assert table["school_id"].str.match(r"^010[12]\d{4}$").all()
    assert set(table["year"]) == {2019}
    assert (table["built_year"] <= 2019).all()


def test_generator_type_shares_option():
    only_primary = {"primary": 1.0}
    table = generate_schools(
        n_counties=5, n_schools=200, seed=1, type_shares=only_primary, site_share=0.0
    )
    assert table["school_type"].value_counts().to_dict() == {"primary": 190, "junior": 10}
    assert table["parent_school_id"].isna().all()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"n_counties": 0}, "n_counties"),
        ({"n_counties": 10, "n_schools": 39}, "4 × n_counties = 40"),
        ({"n_counties": 2.5}, "n_counties must be an integer"),
        ({"type_shares": {"primary": 0.5, "kindergarten": 0.5}}, "kindergarten"),
        ({"type_shares": {"primary": 0.7, "junior": 0.2}}, "sum to 1"),
        ({"type_shares": {"primary": 1.2, "junior": -0.2}}, "non-negative"),
        ({"site_share": 0.7}, "site_share"),
        ({"private_share": -0.1}, "private_share"),
        ({"n_counties": 2, "n_schools": 8, "county_names": ["a"]}, "county_names"),
        ({"n_counties": 2, "n_schools": 8, "county_codes": ["1", "1"]}, "unique"),
    ],
)
def test_generator_rejects_bad_arguments(arguments, message):
    options = {"n_counties": 2, "n_schools": 50} | arguments
    with pytest.raises(InvalidArgumentError, match=message):
        generate_schools(**options)


@settings(max_examples=40, deadline=None)
@given(
    n_counties=st.integers(1, 6),
    extra=st.integers(0, 150),
    seed=st.integers(0, 2**32 - 1),
    site_share=st.sampled_from([0.0, 0.05, 0.3]),
)
def test_generator_always_respects_the_schema(n_counties, extra, seed, site_share):
    table = generate_schools(n_counties, 4 * n_counties + extra, seed=seed, site_share=site_share)
    assert len(table) == 4 * n_counties + extra
    assert table["school_id"].is_unique
    assert _violations(table) == dict.fromkeys(_violations(table), 0)
    loaded = read_schools_with_report(table)
    allowed = {"private_school_included", "outlier_value", "zero_qualified_teachers"}
    assert {issue.code for issue in loaded.issues} <= allowed


def test_generator_builds_the_national_table():
    # its speed is measured in benchmarks/, never in a unit test
    table = generate_schools()
    assert table.shape == (200_000, len(SCHOOL_COLUMNS))
    assert table["county"].nunique() == 2800
    assert table["school_id"].is_unique
