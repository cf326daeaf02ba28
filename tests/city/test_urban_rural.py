"""Urban–rural comparisons (city-aggregation.md §6), computed by hand on a tiny table."""

import pandas as pd
import pytest

from eduequity.city import city_disparity, urban_rural
from eduequity.datasets import demo_path
from eduequity.errors import InvalidArgumentError


def _school(school_id, county, location, students, *, area, full_time, bachelor):
    return {
        "school_id": school_id,
        "school_name": f"学校{school_id}",
        "county": county,
        "school_type": "primary",
        "location": location,
        "students_primary": students,
        "students_junior": 0,
        "full_time_teachers_primary": full_time,
        "full_time_teachers_junior": 0,
        "bachelor_plus_teachers_primary": bachelor,
        "bachelor_plus_teachers_junior": 0,
        "qualified_teachers_primary": full_time,
        "qualified_teachers_junior": 0,
        "backbone_teachers_primary": 1,
        "backbone_teachers_junior": 0,
        "pe_arts_teachers_primary": 1,
        "pe_arts_teachers_junior": 0,
        "teaching_aux_area_m2": area * students,
        "indoor_sports_area_m2": 0.0,
        "sports_ground_area_m2": 10.0 * students,
        "equipment_value_yuan": 2500.0 * students,
        "multimedia_classrooms": 3,
    }


@pytest.fixture(scope="module")
def tiny():
    # Teaching area per pupil: urban 4 m² (200 pupils) and 6 m² (200 pupils): μ_urban =
    # (800 + 1200) / 400 = 5; rural 4.5 m² (100 pupils): μ_rural = 4.5; town 5.1 m² (100
    # pupils). Rural/urban = 0.9 (below the band); town/urban = 1.02 (parity).
    # Bachelor-or-above: urban (8 + 12) / (10 + 15) = 0.8; rural 6 / 10 = 0.6: ratio 0.75.
    # One school without location is left out.
    schools = pd.DataFrame(
        [
            _school("1", "A", "urban", 200, area=4.0, full_time=10, bachelor=8),
            _school("2", "B", "urban", 200, area=6.0, full_time=15, bachelor=12),
            _school("3", "A", "rural", 100, area=4.5, full_time=10, bachelor=6),
            _school("4", "B", "town", 100, area=5.1, full_time=8, bachelor=8),
            _school("5", "B", None, 300, area=9.0, full_time=20, bachelor=20),
        ]
    )
    return urban_rural(schools)


def test_means_by_location(tiny):
    means = tiny.means.xs(("primary", "teaching_area_per_student"), level=["stage", "indicator"])
    assert means["mean"].to_dict() == pytest.approx({"urban": 5.0, "town": 5.1, "rural": 4.5})
    assert means["students"].to_dict() == {"urban": 400.0, "town": 100.0, "rural": 100.0}
    assert means["n_units"].to_dict() == {"urban": 2, "town": 1, "rural": 1}


def test_ratios_and_parity(tiny):
    rural = tiny.ratio("primary", "teaching_area_per_student", "rural", "urban")
    assert rural["ratio"] == pytest.approx(0.9, rel=1e-15)
    assert rural["adjusted_parity_index"] == pytest.approx(0.9, rel=1e-15)
    assert rural["position"] == "below"
    assert rural["parity"] is False
    assert rural["disadvantaged"] == "focus"
    assert rural["published"] == "urban : rural = 1 : 0.900"
    town = tiny.ratio("primary", "teaching_area_per_student", "town", "urban")
    assert town["ratio"] == pytest.approx(1.02, rel=1e-14)
    # Adjusted: 2 - 5 / 5.1 = 1.0196...; inside [0.97, 1.03].
    assert town["adjusted_parity_index"] == pytest.approx(2 - 5 / 5.1, rel=1e-14)
    assert town["parity"] is True


def test_qualification_shares_use_sums(tiny):
    shares = tiny.qualifications.xs("primary", level="stage")
    assert shares.loc["urban", "share"] == pytest.approx(20 / 25, rel=1e-15)
    assert shares.loc["rural", "share"] == pytest.approx(0.6, rel=1e-15)
    assert shares.loc["town", "share"] == 1.0
    ratio = tiny.qualification_ratios.loc[("primary", "rural", "urban")]
    assert ratio["ratio"] == pytest.approx(0.75, rel=1e-15)
    both = tiny.qualification_ratios.loc[("all", "rural", "urban")]
    assert both["ratio"] == pytest.approx(0.75, rel=1e-15)  # one stage only: same sums


def test_location_missing_is_counted_not_silent(tiny):
    assert tiny.location_missing == 1
    assert tiny.skipped["unit_id"].tolist() == ["5"]
    found = [issue for issue in tiny.warnings if issue.code == "location_missing"]
    # The loader's row-level warning and the comparison's count.
    assert {issue.row for issue in found} == {4, None}
    summary = next(issue for issue in found if issue.row is None)
    assert "1 units" in summary.message
    assert "5" in summary.message


def test_location_decomposition(tiny):
    # Units with a location: 4 and 6 (urban), 4.5 (rural), 5.1 (town); μ = 2960 / 600.
    row = tiny.decompositions.loc[("primary", "teaching_area_per_student", "ge2")]
    values = [4.0, 6.0, 4.5, 5.1]
    pupils = [200, 200, 100, 100]
    mean = sum(v * p for v, p in zip(values, pupils, strict=True)) / 600
    between = 0.5 * sum(
        share * (m / mean - 1) ** 2 for share, m in ((400 / 600, 5.0), (1 / 6, 4.5), (1 / 6, 5.1))
    )
    assert row["between"] == pytest.approx(between, rel=1e-12)
    assert row["n_groups"] == 3


def test_per_county():
    schools_result = urban_rural(
        pd.DataFrame(
            [
                _school("1", "A", "urban", 200, area=4.0, full_time=10, bachelor=8),
                _school("3", "A", "rural", 100, area=4.5, full_time=10, bachelor=6),
                _school("2", "B", "urban", 200, area=6.0, full_time=15, bachelor=12),
            ]
        ),
        by_county=True,
    )
    county_a = schools_result.ratios.loc[("A", "primary", "teaching_area_per_student", "rural")]
    assert county_a.loc["urban", "ratio"] == pytest.approx(4.5 / 4.0, rel=1e-15)
    county_b = schools_result.ratios.loc[("B", "primary", "teaching_area_per_student", "rural")]
    assert county_b.loc["urban", "status"] == "empty_side"
    assert pd.isna(county_b.loc["urban", "ratio"])


def test_zero_reference_is_undefined():
    schools = pd.DataFrame(
        [
            _school("1", "A", "urban", 200, area=4.0, full_time=10, bachelor=0),
            _school("2", "A", "rural", 100, area=4.5, full_time=10, bachelor=6),
        ]
    )
    result = urban_rural(schools)
    row = result.qualification_ratios.loc[("primary", "rural", "urban")]
    assert row["status"] == "undefined"
    assert pd.isna(row["ratio"])


def test_demo_city_uses_the_disparity_units():
    disparity = city_disparity(demo_path("demo_city_schools.csv"))
    result = urban_rural(disparity, county="示范县 (Demo County)")
    assert result.scope == "示范县 (Demo County)"
    assert result.location_missing == 0
    units = disparity.units[disparity.units["county"] == "示范县 (Demo County)"]
    rows = units[(units["stage"] == "primary") & (units["location"] == "rural")]
    expected = (rows["sports_area_per_student"] * rows["students"]).sum() / rows["students"].sum()
    mean = result.means.loc[("primary", "sports_area_per_student", "rural"), "mean"]
    assert mean == pytest.approx(expected, rel=1e-13)


def test_pairs_are_checked():
    with pytest.raises(InvalidArgumentError):
        urban_rural(demo_path("demo_city_schools.csv"), pairs=[("rural", "suburb")])
    with pytest.raises(InvalidArgumentError):
        urban_rural(demo_path("demo_city_schools.csv"), county="不存在县")
