"""Year-over-year changes of figures (city-aggregation.md §8)."""

import numpy as np
import pandas as pd
import pytest

from eduequity.city import city_disparity, disparity_changes, figure_changes
from eduequity.datasets import demo_path
from eduequity.errors import InvalidArgumentError


def test_seed_003_changes_since_2020():
    # Seed 003 [V]: rural standardisation 98% at the end of 2024, +15 points since 2020;
    # large-class share 1.2%, −8.6 points; bachelor-or-above share 85%, +12 points.
    figures = pd.DataFrame(
        {
            "year": [2020, 2024],
            "rural_standardisation_rate": [0.83, 0.98],
            "large_class_share": [0.098, 0.012],
            "bachelor_plus_share": [0.73, 0.85],
        }
    )
    result = figure_changes(
        figures,
        unit=None,
        kinds=dict.fromkeys(figures.columns[1:], "rate"),
        base_year=2020,
    )
    since = result.changes.xs(2024, level="year")["change_since_base_points"]
    assert since.round(6).to_dict() == {
        "rural_standardisation_rate": 15.0,
        "large_class_share": -8.6,
        "bachelor_plus_share": 12.0,
    }
    # 2020 -> 2024 is no yearly step: no year-on-year change, one gap per figure.
    assert result.changes["change"].isna().all()
    assert [issue.code for issue in result.warnings] == ["series_gap"] * 3


def test_levels_give_ratios_and_growth():
    figures = pd.DataFrame(
        {
            "county": ["甲县", "甲县", "甲县", "乙县", "乙县"],
            "year": [2021, 2022, 2023, 2022, 2023],
            "students": [1000.0, 1100.0, 990.0, 500.0, 500.0],
        }
    )
    result = figure_changes(figures, kinds={"students": "level"})
    county = result.changes.loc[("甲县", "students")]
    assert county.loc[2022, "ratio"] == pytest.approx(1.1, rel=1e-15)
    assert county.loc[2022, "growth"] == pytest.approx(0.1, rel=1e-12)
    assert county.loc[2023, "change"] == -110.0
    assert county.loc[2023, "previous_year"] == 2022
    assert np.isnan(county.loc[2021, "ratio"])
    assert result.changes.loc[("乙县", "students", 2023), "growth"] == 0.0
    assert result.warnings == ()


def test_county_facts_columns_take_their_schema_kind():
    facts = pd.DataFrame(
        {
            "county": ["甲县", "甲县"],
            "year": [2023, 2024],
            "teacher_rotation": [0.10, 0.125],  # a rate of the facts table
            "special_ed_funding": [6000.0, 6500.0],  # a decimal: a level
            "mystery": [1.0, 2.0],  # unknown: skipped, listed
        }
    )
    result = figure_changes(facts)
    assert dict(result.kinds) == {"teacher_rotation": "rate", "special_ed_funding": "level"}
    assert result.skipped == ("mystery",)
    rotation = result.changes.loc[("甲县", "teacher_rotation", 2024)]
    assert rotation["change_points"] == pytest.approx(2.5, rel=1e-12)
    assert np.isnan(rotation["ratio"])
    funding = result.changes.loc[("甲县", "special_ed_funding", 2024)]
    assert funding["ratio"] == pytest.approx(6500 / 6000, rel=1e-15)
    assert np.isnan(funding["change_points"])


def test_bad_inputs():
    with pytest.raises(InvalidArgumentError):
        figure_changes(pd.DataFrame({"year": [2020]}), unit="county")
    with pytest.raises(InvalidArgumentError):
        figure_changes(pd.DataFrame({"year": [2020], "x": [1.0]}), unit=None, kinds={"x": "big"})
    with pytest.raises(InvalidArgumentError) as caught:
        figure_changes(
            pd.DataFrame({"year": [2020, 2020], "x": [1.0, 2.0]}), unit=None, kinds={"x": "rate"}
        )
    assert caught.value.code == "duplicate_county_year"


def test_disparity_changes_between_two_years():
    first = city_disparity(demo_path("demo_city_schools.csv"))
    # The same city a year later with 10% more equipment everywhere: the mean grows by 10%,
    # the CV does not move.
    frame = pd.read_csv(demo_path("demo_city_schools.csv"), dtype=str)
    frame["equipment_value_yuan"] = (frame["equipment_value_yuan"].astype(float) * 1.1).map(
        lambda value: f"{value:.2f}"
    )
    second = city_disparity(frame)
    result = disparity_changes({2024: first, 2025: second})
    row = result.changes.loc[("primary", "equipment_value_per_student", "mean", 2025)]
    assert row["growth"] == pytest.approx(0.1, rel=1e-9)
    cv = result.changes.loc[("primary", "equipment_value_per_student", "cv", 2025)]
    assert cv["change"] == pytest.approx(0.0, abs=1e-12)
    share = result.changes.loc[("junior", "qualified_teachers_per_100", "unit_pass_share", 2025)]
    assert share["kind"] == "rate"
