"""The entry point for reports and the command line: assess_city (city-aggregation.md §10)."""

import json

import pandas as pd
import pytest

from eduequity.city import CompletionTarget, assess_city, read_register
from eduequity.datasets import demo_path

REGISTER = demo_path("demo_city_register.csv")
SCHOOLS = demo_path("demo_city_schools.csv")
TODAY = "2025-06-30"


@pytest.fixture(scope="module")
def demo():
    return assess_city(REGISTER, SCHOOLS, target_year=2030, today=TODAY)


def test_register_only():
    result = assess_city(REGISTER, today=TODAY)
    assert result.disparity is None
    assert result.urban_rural is None
    assert result.matrix is None
    assert result.projection is None
    assert result.rules == ()
    text = result.to_text()
    assert "创建进展 Register" in text
    assert "市域资源配置" not in text


def test_demo_city_parts(demo):
    # datasets/data/README.md §2: one unit recognised (示范东区, 2023) of four.
    assert demo.city == "示范市 (Demo City)"
    assert demo.as_of == 2025
    assert demo.register.count_at_least("nationally_recognized") == 1
    assert demo.register.count_at_least("provincially_assessed") == 2
    # 0 recognised in 2022, 1 in 2025: pace 1/3; 3 remaining need 9 years: 2034.
    assert demo.projection.pace == pytest.approx(1 / 3, rel=1e-15)
    assert demo.projection.projected_year == 2034
    assert demo.disparity.counties == tuple(sorted(demo.register.units["county"]))
    assert demo.urban_rural.location_missing == 0
    assert demo.matrix is not None
    assert demo.rules[0]["id"] == "cn_moe_2017_quality_balance"
    codes = [issue.code for issue in demo.warnings]
    assert len(codes) == len(set(demo.warnings))  # every warning once
    assert "unit_list_not_declared" in codes


def test_text_and_markdown_reports(demo):
    text = demo.to_text()
    for heading in (
        "创建进展 Register",
        "目标预测 Projection (projection, not a forecast",
        "市域资源配置差异 City-wide resource figures",
        "每校达标 Per-school rule by county",
        "城乡比较 Urban–rural comparison",
        "逐县逐项问题清单 Problem list",
        "警告 Warnings",
    ):
        assert heading in text
    # The method's order: primary before junior, indicators in rule-set order.
    assert text.index("小学 primary") < text.index("初中 junior")
    assert text.index("qualified_teachers_per_100") < text.index("multimedia_rooms_per_100")
    markdown = demo.to_markdown()
    assert markdown.startswith("# 示范市 (Demo City)")
    assert "| status 状态 | count |" in markdown
    assert "## 3. 市域资源配置差异" in markdown


def test_to_dict_is_json_safe(demo):
    data = demo.to_dict()
    text = json.dumps(data, ensure_ascii=False)
    assert data["city"] == "示范市 (Demo City)"
    assert "eduequity_version" in data
    assert "示范县 (Demo County)" in text


def test_funding_and_custom_target():
    funding = pd.DataFrame(
        {
            "county": ["示范市"] * 3,
            "year": [2022, 2023, 2024],
            "education_expenditure_yuan": [1.0e9, 1.1e9, 1.05e9],
        }
    )
    result = assess_city(
        REGISTER,
        funding=funding,
        target=CompletionTarget(status="provincially_assessed", deadline=2027),
        today=TODAY,
    )
    assert result.funding.early_warnings["year"].tolist() == [2024]
    assert result.projection.target.status == "provincially_assessed"
    assert "经费三个增长 Funding" in result.to_text()


def test_counties_of_the_school_table_missing_from_the_register():
    register = read_register(REGISTER, today=TODAY)
    frame = pd.read_csv(SCHOOLS, dtype=str)
    frame.loc[frame["county"] == "示范县 (Demo County)", "county"] = "新县"
    frame.loc[frame["county"] == "新县", "county_code"] = "999009"
    for source in (register, REGISTER):
        result = assess_city(source, frame, today=TODAY)
        found = [issue for issue in result.warnings if issue.code == "county_not_in_register"]
        assert len(found) == 1
        assert found[0].value == "新县"


def test_schools_of_other_cities_are_left_out():
    events = pd.read_csv(REGISTER, dtype=str)
    other = events[events["county"] == "示范县 (Demo County)"].copy()
    other["city"] = "别的市"
    events = pd.concat([events[events["county"] != "示范县 (Demo County)"], other])
    result = assess_city(events, SCHOOLS, city="示范市 (Demo City)", today=TODAY)
    assert "示范县 (Demo County)" not in result.disparity.counties
    assert len(result.disparity.counties) == 3
    left_out = [issue for issue in result.warnings if issue.code == "schools_of_other_cities"]
    assert "40 schools" in left_out[0].message
