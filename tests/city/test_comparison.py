"""County matrix, problem lists, uniform standards, checklist roll-up (city-aggregation.md §7)."""

import numpy as np
import pandas as pd
import pytest

from eduequity.city import (
    checklist_rollup,
    city_disparity,
    county_matrix,
    uniform_standards,
)
from eduequity.datasets import demo_path
from eduequity.errors import InvalidArgumentError
from eduequity.national import assess_county

DEMO_COUNTY = "示范县 (Demo County)"


@pytest.fixture(scope="module")
def demo():
    return city_disparity(demo_path("demo_city_schools.csv"))


@pytest.fixture(scope="module")
def demo_assessment():
    return assess_county(
        demo_path("demo_county_schools.csv"),
        demo_path("demo_county_facts.csv"),
        demo_path("demo_county_survey.csv"),
        monitoring=demo_path("demo_county_monitoring.csv"),
    )


def test_part_one_problem_list_of_the_demo_county(demo):
    # datasets/data/README.md §1.2: three units fail the per-school rule (two primary, one
    # junior section) and the primary CV of sports area (0.587) exceeds 0.50; no other CV.
    matrix = county_matrix(demo)
    problems = matrix.problem_list(DEMO_COUNTY)
    assert problems[["item_id", "stage"]].to_numpy().tolist() == [
        ["school_rule", "primary"],
        ["sports_area_per_student", "primary"],
        ["school_rule", "junior"],
    ]
    rule = problems.iloc[0]
    assert rule["value"] == pytest.approx(21 / 23, rel=1e-15)
    assert rule["gap"] == pytest.approx(21 / 23 - 1, rel=1e-12)
    cv = problems.iloc[1]
    assert cv["threshold"] == 0.5
    assert cv["gap"] == pytest.approx(0.5 - cv["value"], rel=1e-15)
    assert cv["value"] == pytest.approx(0.5874, abs=5e-5)


def test_matrix_cells_and_counts_per_indicator(demo):
    matrix = county_matrix(demo)
    cells = matrix.cells
    # 4 counties × (2 stages × (7 CVs + 1 school rule))
    assert len(cells) == 4 * 2 * 8
    counts = matrix.by_indicator.loc[("resource_allocation", "sports_area_per_student", "primary")]
    figures = demo.county_figures.xs(("primary", "sports_area_per_student"), level=[1, 2])
    assert counts["n_pass"] == int((figures["status"] == "pass").sum())
    assert counts["n_counties"] == 4
    wide = matrix.matrix()
    assert wide.shape == (4, 16)
    assert wide.loc[DEMO_COUNTY, ("resource_allocation", "sports_area_per_student", "primary")] == (
        "fail"
    )
    gaps = cells.loc[cells["code"] == "cv"]
    np.testing.assert_allclose(gaps["gap"], gaps["threshold"] - gaps["value"], rtol=1e-15)


def test_matrix_with_county_assessments(demo, demo_assessment):
    # The designed failures of the demo county (DEMO_COUNTY_FINDINGS): G4, G5, G11, Q9.
    matrix = county_matrix(demo, [demo_assessment])
    problems = matrix.problem_list(DEMO_COUNTY)
    other_parts = problems.loc[problems["part"] != "resource_allocation"]
    assert other_parts[["part", "code"]].to_numpy().tolist() == [
        ["government_guarantee", "G4"],
        ["government_guarantee", "G5"],
        ["government_guarantee", "G11"],
        ["education_quality", "Q9"],
    ]
    # Sorted by part: Part 1 first.
    assert problems["part"].iloc[0] == "resource_allocation"
    assert matrix.sources == ("city_disparity", "assessments")


def test_assessments_alone_give_part_one_too(demo_assessment):
    matrix = county_matrix(assessments={"x": demo_assessment})
    problems = matrix.problem_list(DEMO_COUNTY)
    resource = problems.loc[problems["part"] == "resource_allocation"]
    assert resource["item_id"].tolist() == [
        "school_rule",
        "sports_area_per_student",
        "school_rule",
    ]


def test_matrix_needs_an_input_and_a_known_county(demo):
    with pytest.raises(InvalidArgumentError):
        county_matrix()
    with pytest.raises(InvalidArgumentError):
        county_matrix(demo).problem_list("不存在县")


def test_uniform_standards_xiamen():
    # Seed 004: per-pupil public funds 1 300 (primary) and 1 600 yuan (junior) city-wide.
    table = pd.DataFrame(
        {
            "county": ["思明区", "湖里区", "集美区", "海沧区", "同安区", "翔安区"],
            "public_funds_benchmark_primary_yuan": [1300.0] * 5 + [1250.0],
            "public_funds_benchmark_junior_yuan": [1600.0] * 5 + [None],
        }
    )
    result = uniform_standards(table)
    primary = result.summary.loc["public_funds_benchmark_primary_yuan"]
    assert (primary["min"], primary["max"], primary["range"]) == (1250.0, 1300.0, 50.0)
    assert primary["uniform"] is False
    assert primary["differing"] == ("翔安区",)
    junior = result.summary.loc["public_funds_benchmark_junior_yuan"]
    assert (junior["uniform"], junior["n_missing"]) == (True, 1)
    assert [issue.column for issue in result.warnings] == ["public_funds_benchmark_primary_yuan"]


def test_uniform_standards_need_one_row_per_county():
    table = pd.DataFrame({"county": ["甲县", "甲县"], "year": [2023, 2024], "x": [1.0, 2.0]})
    with pytest.raises(InvalidArgumentError):
        uniform_standards(table)


def test_checklist_rollup_is_a_ratio_of_sums():
    records = [
        {"county": "甲县", "item_id": "A1", "status": "已完成", "evidence": "方案"},
        {"county": "甲县", "item_id": "A2", "status": "已验收", "evidence": "验收"},
        {"county": "乙县", "item_id": "A1", "status": "推进中"},
        {"county": "乙县", "item_id": "E2", "status": "not_started", "selected": "否"},
    ]
    result = checklist_rollup(records)
    city = result.city
    # Area A of creation-checklist.md: done 2 + 0 over the selected items of both counties.
    area_a = result.evaluation.areas.loc[result.evaluation.areas["area_code"] == "A"]
    assert city.loc[area_a["area"].iloc[0], "done"] == 2
    assert city.loc[area_a["area"].iloc[0], "selected"] == area_a["selected"].sum()
    # 20 items for 甲县, 19 selected for 乙县 (E2 unselected): 2 done of 39.
    assert city.loc["overall", "selected"] == 39
    assert city.loc["overall", "rate"] == pytest.approx(2 / 39, rel=1e-15)
    assert result.rates.loc["甲县", "overall"] == pytest.approx(2 / 20, rel=1e-15)
