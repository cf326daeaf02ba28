"""City-wide resource figures and their exact decomposition (city-aggregation.md §5)."""

import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from tests.strategies import city_school_tables

from eduequity.city import city_disparity
from eduequity.datasets import demo_path
from eduequity.errors import InvalidArgumentError
from eduequity.national import (
    RULES_2012,
    RULES_2017,
    assess_counties,
    evaluate_resources,
    prepare_units,
    read_schools,
)

DEMO_COUNTY = "示范县 (Demo County)"


@pytest.fixture(scope="module")
def demo():
    return city_disparity(demo_path("demo_city_schools.csv"))


def _textbook(units, indicator, stage):
    """CV², its between/within parts by county and Theil's parts, written out in plain numpy.

    Independent of the library: population moments over the units, county moments by a
    dictionary of masks.
    """
    rows = units[units["stage"] == stage]
    x = rows[indicator].to_numpy(dtype=float)
    p = rows["students"].to_numpy(dtype=float)
    mean = (p * x).sum() / p.sum()
    cv2 = (p * (x - mean) ** 2).sum() / p.sum() / mean**2
    between = within = theil_between = theil_within = 0.0
    for county in sorted(set(rows["county"])):
        mask = (rows["county"] == county).to_numpy()
        share = p[mask].sum() / p.sum()
        mean_g = (p[mask] * x[mask]).sum() / p[mask].sum()
        cv2_g = (p[mask] * (x[mask] - mean_g) ** 2).sum() / p[mask].sum() / mean_g**2
        r = mean_g / mean
        between += share * (r - 1) ** 2
        within += share * r**2 * cv2_g
        t = x[mask] / mean_g
        theil_g = (p[mask] * t * np.log(t)).sum() / p[mask].sum()
        theil_between += share * r * math.log(r)
        theil_within += share * r * theil_g
    return cv2, between, within, theil_between, theil_within


def _close(a, b, rel=1e-9, absolute=1e-14):
    return abs(a - b) <= rel * max(abs(a), abs(b)) + absolute


# --------------------------------------------------------------------------------------
# properties on random school tables


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(city_school_tables())
def test_decomposition_identities_on_random_cities(schools):
    result = city_disparity(schools)
    for (stage, indicator, measure), row in result.decompositions.iterrows():
        if measure == "mld":
            continue
        assert row["status"] == "ok"
        total, between, within = row["total"], row["between"], row["within"]
        # between + within = total, the core's reconciliation tolerance
        assert abs(between + within - total) <= max(1e-12 * abs(total), 1e-15)
        cv2, between2, within2, theil_between, theil_within = _textbook(
            result.units, indicator, stage
        )
        if measure == "ge2":
            # GE(2) = CV²/2 of the pooled city units, and both parts halve the CV² parts.
            assert _close(total, cv2 / 2)
            assert _close(row["cv_squared_half"], cv2 / 2)
            assert _close(between, between2 / 2)
            assert _close(within, within2 / 2)
            city_cv = result.city.loc[(stage, indicator), "cv"]
            assert _close(city_cv**2, cv2)
        else:
            assert _close(between, theil_between, absolute=1e-13)
            assert _close(within, theil_within, absolute=1e-13)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(city_school_tables())
def test_county_cvs_are_those_of_the_county_assessment(schools):
    result = city_disparity(schools)
    national = assess_counties(schools)
    ids = result.indicator_ids
    mine = result.county_cv().reindex(national.index)
    theirs = national[[f"cv_{indicator}" for indicator in ids]].to_numpy()
    # Identical, not merely close: the county figures are the county computation.
    np.testing.assert_array_equal(mine.to_numpy(), theirs)
    # The per-school rule: failing sections per county and stage agree too.
    attainment = result.attainment.reindex(national.index)
    failing = attainment["n_units"] - attainment["units_passed"]
    np.testing.assert_array_equal(failing.to_numpy(), national["n_sections_failing"].to_numpy())


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(city_school_tables())
def test_shares_and_relative_means_are_consistent(schools):
    result = city_disparity(schools)
    figures = result.county_figures
    grouped = figures.groupby(level=["stage", "indicator"])
    # Σ p_g = 1 and Σ p_g r_g = 1 for every stage and indicator (§5).
    np.testing.assert_allclose(grouped["population_share"].sum().to_numpy(), 1.0, rtol=1e-12)
    weighted = (figures["population_share"] * figures["relative_mean"]).groupby(
        level=["stage", "indicator"]
    )
    np.testing.assert_allclose(weighted.sum().to_numpy(), 1.0, rtol=1e-12)


# --------------------------------------------------------------------------------------
# a tiny city by hand


def _school(school_id, county, students, qualified, *, location="urban"):
    return {
        "school_id": school_id,
        "school_name": f"学校{school_id}",
        "county": county,
        "school_type": "primary",
        "location": location,
        "students_primary": students,
        "students_junior": 0,
        "qualified_teachers_primary": qualified,
        "qualified_teachers_junior": 0,
        "backbone_teachers_primary": 2,
        "backbone_teachers_junior": 0,
        "pe_arts_teachers_primary": 2,
        "pe_arts_teachers_junior": 0,
        "teaching_aux_area_m2": 5.0 * students,
        "indoor_sports_area_m2": 0.0,
        "sports_ground_area_m2": 8.0 * students,
        "equipment_value_yuan": 3000.0 * students,
        "multimedia_classrooms": 5,
    }


def test_two_counties_by_hand():
    # County A: 100 pupils, 4 teachers (4 per 100); 100 pupils, 8 teachers (8 per 100).
    # County B: 200 pupils, 12 teachers (6 per 100).
    # μ = 24 / 400 × 100 = 6; CV² = [100·4 + 100·4 + 0] / 400 / 36 = 2/36 = 1/18.
    # μ_A = 6, μ_B = 6: between = 0, within = CV². CV_A² = 4 / 36 = 1/9, p_A = 1/2, r_A = 1.
    schools = pd.DataFrame(
        [_school("1", "A", 100, 4), _school("2", "A", 100, 8), _school("3", "B", 200, 12)]
    )
    result = city_disparity(schools)
    row = result.decomposition("primary", "qualified_teachers_per_100", "ge2")
    assert row["total"] == pytest.approx(1 / 36, rel=1e-14)  # GE(2) = CV²/2
    assert row["between"] == pytest.approx(0.0, abs=1e-16)
    assert row["within"] == pytest.approx(1 / 36, rel=1e-14)
    assert row["between_share"] == pytest.approx(0.0, abs=1e-14)
    city = result.figure("primary", "qualified_teachers_per_100")
    assert city["mean"] == pytest.approx(6.0, rel=1e-15)
    assert city["cv"] == pytest.approx(math.sqrt(1 / 18), rel=1e-14)
    county_a = result.county_figures.loc[("A", "primary", "qualified_teachers_per_100")]
    assert county_a["cv"] == pytest.approx(1 / 3, rel=1e-14)
    assert county_a["population_share"] == 0.5
    assert county_a["relative_mean"] == pytest.approx(1.0, rel=1e-15)
    # Per-school rule (national-method.md §3.5, standards 4.2 / 1.0 / 0.9 / 4.5 / 7.5 / 2000 /
    # 2.3): school 1 misses only the qualified-teacher standard (4 < 4.2) and stays above its
    # 85% floor (3.57), so all three units pass.
    assert result.city_attainment.loc["primary", "unit_pass_share"] == 1.0
    assert result.city_attainment.loc["primary", "n_units"] == 3


def test_between_counties_by_hand():
    # A: one school, 100 pupils, 2 per 100; B: one school, 300 pupils, 6 per 100.
    # μ = (2 + 18) / 400 × 100 = 5; r_A = 0.4, r_B = 1.2; p = 1/4, 3/4.
    # CV² = between = ¼(0.6)² + ¾(0.2)² = 0.09 + 0.03 = 0.12; within = 0.
    # Theil between = ¼·0.4·ln 0.4 + ¾·1.2·ln 1.2.
    schools = pd.DataFrame([_school("1", "A", 100, 2), _school("2", "B", 300, 18)])
    result = city_disparity(schools)
    ge2 = result.decomposition("primary", "qualified_teachers_per_100", "ge2")
    assert ge2["total"] == pytest.approx(0.06, rel=1e-13)
    assert ge2["between"] == pytest.approx(0.06, rel=1e-13)
    assert ge2["within"] == pytest.approx(0.0, abs=1e-16)
    assert ge2["between_share"] == pytest.approx(1.0, rel=1e-13)
    theil = result.decomposition("primary", "qualified_teachers_per_100", "theil")
    expected = 0.25 * 0.4 * math.log(0.4) + 0.75 * 1.2 * math.log(1.2)
    assert theil["total"] == pytest.approx(expected, rel=1e-12)
    assert theil["between"] == pytest.approx(expected, rel=1e-12)


# --------------------------------------------------------------------------------------
# the demo city


def test_demo_county_figures_are_those_of_the_designed_county(demo):
    # datasets/data/README.md §1.2: the 14 CVs of 示范县 and its county values.
    figures = demo.county_figures.loc[DEMO_COUNTY]
    assert figures.loc[("primary", "sports_area_per_student"), "cv"] == pytest.approx(
        0.5874, abs=5e-5
    )
    assert figures.loc[("primary", "sports_area_per_student"), "status"] == "fail"
    assert figures.loc[("junior", "backbone_teachers_per_100"), "cv"] == pytest.approx(
        0.2121, abs=5e-5
    )
    assert figures.loc[("primary", "equipment_value_per_student"), "mean"] == pytest.approx(
        3155.68, abs=5e-3
    )
    assert figures.loc[("junior", "qualified_teachers_per_100"), "mean"] == pytest.approx(
        7.078, abs=5e-4
    )
    # 23 primary units (15 355 pupils) and 15 junior units (12 320 pupils).
    assert figures.loc[("primary", "qualified_teachers_per_100"), "n_units"] == 23
    assert figures.loc[("primary", "qualified_teachers_per_100"), "students"] == 15355
    assert figures.loc[("junior", "qualified_teachers_per_100"), "students"] == 12320
    # Three failing units: two primary, one junior section.
    attainment = demo.attainment.loc[DEMO_COUNTY]
    assert attainment.loc["primary", "units_passed"] == 21
    assert attainment.loc["junior", "units_passed"] == 14


def test_demo_reconciles_with_assess_counties(demo):
    national = assess_counties(demo_path("demo_city_schools.csv"))
    mine = demo.county_cv().reindex(national.index)
    theirs = national[[f"cv_{indicator}" for indicator in demo.indicator_ids]]
    np.testing.assert_array_equal(mine.to_numpy(), theirs.to_numpy())
    meeting = demo.city["counties_meeting_limit"]
    national_pass = (
        (national[[f"cv_{k}" for k in demo.indicator_ids]] <= 0.5).groupby(level="stage").sum()
    )
    assert (
        meeting.loc[("primary", "sports_area_per_student")]
        == national_pass.loc["primary", "cv_sports_area_per_student"]
    )


def test_demo_mld_with_zero_values_is_undefined_not_a_number(demo):
    # Some units have no backbone teacher: MLD is undefined (equity-measures.md §4), Theil T not.
    mld = demo.decomposition("primary", "backbone_teachers_per_100", "mld")
    assert mld["status"] == "undefined"
    assert math.isnan(mld["total"])
    theil = demo.decomposition("primary", "backbone_teachers_per_100", "theil")
    assert theil["status"] == "ok"
    codes = {issue.code for issue in demo.warnings}
    assert "zero_value" in codes


def test_demo_city_mean_is_total_over_pupils(demo):
    units = demo.units[demo.units["stage"] == "junior"]
    amount = (units["equipment_value_per_student"] * units["students"]).sum()
    expected = amount / units["students"].sum()
    assert demo.figure("junior", "equipment_value_per_student")["mean"] == pytest.approx(
        expected, rel=1e-13
    )
    assert demo.city.loc[("junior", "equipment_value_per_student"), "n_counties"] == 4


def test_demo_pass_shares_unit_and_pupil_basis(demo):
    units = demo.units
    for stage in ("primary", "junior"):
        rows = units[units["stage"] == stage]
        passed = rows["passed"].astype(bool)
        city = demo.city_attainment.loc[stage]
        assert city["unit_pass_share"] == passed.mean()
        assert city["pupil_pass_share"] == pytest.approx(
            rows.loc[passed, "students"].sum() / rows["students"].sum(), rel=1e-15
        )


def test_location_groups(demo):
    by_location = city_disparity(demo_path("demo_city_schools.csv"), groups="location")
    row = by_location.decomposition("primary", "sports_area_per_student", "ge2")
    assert row["n_groups"] == 3
    # Same pooled total whatever the grouping.
    assert row["total"] == pytest.approx(
        demo.decomposition("primary", "sports_area_per_student", "ge2")["total"], rel=1e-12
    )


def test_evaluations_can_be_pooled_and_mixed_rulesets_are_refused():
    frame = read_schools(demo_path("demo_city_schools.csv"))
    counties = sorted(frame["county"].unique())
    first = frame[frame["county"].isin(counties[:2])]
    second = frame[frame["county"].isin(counties[2:])]
    evaluations = [
        evaluate_resources(prepare_units(part, RULES_2017), RULES_2017) for part in (first, second)
    ]
    pooled = city_disparity(evaluations)
    whole = city_disparity(frame)
    np.testing.assert_array_equal(pooled.city["cv"].to_numpy(), whole.city["cv"].to_numpy())
    mixed = [
        evaluations[0],
        evaluate_resources(prepare_units(second, RULES_2012), RULES_2012),
    ]
    with pytest.raises(InvalidArgumentError) as caught:
        city_disparity(mixed)
    assert caught.value.code == "mixed_rulesets"
    allowed = city_disparity(mixed, allow_mixed_rulesets=True)
    assert len(allowed.rules) == 2
    assert any("rule sets" in note for note in allowed.notes)
    with pytest.raises(InvalidArgumentError) as caught:
        city_disparity([evaluations[0], evaluations[0]])
    assert caught.value.code == "duplicate_county"


def test_unknown_options_are_refused():
    with pytest.raises(InvalidArgumentError):
        city_disparity(demo_path("demo_city_schools.csv"), groups="province")
    with pytest.raises(InvalidArgumentError):
        city_disparity(demo_path("demo_city_schools.csv"), measures=("gini",))


def test_to_dict_is_json_safe(demo):
    data = demo.to_dict()
    json.dumps(data)
    assert len(data["county_figures"]) == 4 * 2 * 7
