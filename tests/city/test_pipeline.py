"""Register summary, province share and projection (city-aggregation.md §3-§4)."""

import json

import pandas as pd
import pytest

from eduequity.city import (
    CompletionTarget,
    project_completion,
    province_share,
    read_register,
    register_summary,
)
from eduequity.datasets import demo_path
from eduequity.errors import DegenerateDataWarning, InvalidArgumentError, InvalidValueError

TODAY = "2025-12-31"


def _register(rows, **options):
    frame = pd.DataFrame(
        rows, columns=["city", "county", "status", "status_year", "batch", "status_date"]
    )
    return read_register(frame, today=TODAY, **options)


# Seed 000 (Weifang press conference, 2025-03-31) [V]. The first national list, 2024, holds
# three units, a third of the province's total. The "2024 second batch" list, published on
# 2025-03-17, holds five more. Three units apply in 2025; fifteen county-level units are
# monitored. The other four unit names below are placeholders.
WEIFANG_FIRST = ["寒亭区", "昌邑市", "滨海区"]
WEIFANG_SECOND = ["奎文区", "潍城区", "寿光市", "高密市", "临朐县"]
WEIFANG_APPLIED = ["坊子区", "青州市", "安丘市"]
WEIFANG_OTHERS = ["单位甲", "单位乙", "单位丙", "单位丁"]
WEIFANG_UNITS = WEIFANG_FIRST + WEIFANG_SECOND + WEIFANG_APPLIED + WEIFANG_OTHERS


@pytest.fixture(scope="module")
def weifang():
    rows = [("潍坊市", name, "nationally_recognized", 2024, "首批", None) for name in WEIFANG_FIRST]
    rows += [
        ("潍坊市", name, "nationally_recognized", 2024, "第二批", "2025-03-17")
        for name in WEIFANG_SECOND
    ]
    rows += [("潍坊市", name, "applied", 2025, None, None) for name in WEIFANG_APPLIED]
    return _register(rows, city_units=WEIFANG_UNITS)


def test_weifang_counts_and_share(weifang):
    # city-aggregation.md §3 table: 8 recognised, 3 applied, 8/15 with the 15 units declared.
    summary = register_summary(weifang, as_of=2025)
    assert summary.n_units == 15
    assert summary.denominator == "declared"
    assert summary.count_at_least("nationally_recognized") == 8
    assert summary.count("applied") == 3
    assert summary.share_at_least("nationally_recognized") == 8 / 15
    assert summary.count("not_started") == 4  # declared units without any event
    assert summary.count_at_least("applied") == 11
    assert not summary.whole_city_recognized
    assert set(summary.missing_recognized) == set(WEIFANG_APPLIED + WEIFANG_OTHERS)


def test_weifang_timeline_orders_by_year_and_date_not_by_label(weifang):
    timeline = register_summary(weifang, as_of=2025).timeline
    assert timeline["batch"].tolist() == ["首批", "第二批"]
    assert timeline["count"].tolist() == [3, 5]
    assert timeline["cumulative"].tolist() == [3, 8]
    assert timeline["year"].tolist() == [2024, 2024]


def test_weifang_province_share(weifang):
    # §3: recognized_in(first list) = 3 = 1/3 of the province total, which implies 9.
    result = province_share(weifang, {(2024, "首批"): 9, 2024: 30}, year=2024, batch="首批")
    assert result.recognized == 3
    assert result.share == 1 / 3
    assert result.counties == tuple(sorted(WEIFANG_FIRST))
    every_batch = province_share(weifang, {(2024, "首批"): 9, 2024: 30}, year=2024)
    assert (every_batch.recognized, every_batch.province_total) == (8, 30)


def test_province_total_below_the_city_count_is_an_error(weifang):
    with pytest.raises(InvalidValueError) as caught:
        province_share(weifang, 2, year=2024, batch="首批")
    assert caught.value.code == "province_total_too_small"


def test_province_share_of_a_zero_total_is_undefined():
    register = _register([("某市", "甲县", "applied", 2024, None, None)])
    result = province_share(register, 0, year=2024)
    assert (result.share, result.status) == (None, "undefined")


def test_weihai_whole_city_recognised():
    # Seed 001 (Weihai, 2025): all 7 county-level units, development zones included.
    units = [f"区市{i}" for i in range(5)] + ["经济技术开发区", "火炬高技术产业开发区"]
    register = _register(
        [("威海市", name, "nationally_recognized", 2025, None, None) for name in units],
        city_units=units,
    )
    summary = register_summary(register, as_of=2025)
    assert summary.whole_city_recognized
    assert summary.whole_city_provincial
    assert summary.missing_recognized == ()
    assert summary.share_at_least("nationally_recognized") == 1.0


def test_seed_003_whole_city_provincial_in_2023_and_four_recognised_in_2024():
    # Seed 003: all 11 counties passed the provincial assessment in 2023; 4 in the 2024 list.
    units = [f"县{i:02d}" for i in range(11)]
    rows = [("某市", name, "provincially_assessed", 2023, None, None) for name in units]
    rows += [("某市", name, "nationally_recognized", 2024, None, None) for name in units[:4]]
    register = _register(rows, city_units=units)
    in_2023 = register_summary(register, as_of=2023)
    assert in_2023.whole_city_provincial
    assert not in_2023.whole_city_recognized
    assert in_2023.count_at_least("nationally_recognized") == 0
    in_2024 = register_summary(register, as_of=2024)
    assert in_2024.count_at_least("nationally_recognized") == 4
    assert in_2024.whole_city_provincial


def test_xiamen_basic_balance_2014():
    # Seed 004: the six districts were recognised for basic balance in 2014.
    districts = ["思明区", "湖里区", "集美区", "海沧区", "同安区", "翔安区"]
    frame = pd.DataFrame(
        {
            "city": ["厦门市"] * 6,
            "county": districts,
            "program": ["basic_balance"] * 6,
            "status": ["nationally_recognized"] * 6,
            "status_year": [2014] * 6,
        }
    )
    register = read_register(frame, today=TODAY, city_units=districts)
    summary = register_summary(register, program="basic_balance", as_of=2014)
    assert summary.whole_city_recognized
    assert summary.n_units == 6
    quality = register_summary(register, program="quality_balance", as_of=2014)
    assert quality.count("not_started") == 6
    assert not quality.whole_city_provincial


def test_withdrawn_units_are_at_or_beyond_nothing():
    register = _register(
        [
            ("某市", "甲县", "nationally_recognized", 2020, None, None),
            ("某市", "甲县", "withdrawn", 2022, None, None),
            ("某市", "乙县", "creating", 2021, None, None),
        ],
        city_units=["甲县", "乙县"],
    )
    summary = register_summary(register, as_of=2022)
    assert summary.count("withdrawn") == 1
    assert summary.count_at_least("not_started") == 1
    assert summary.count_at_least("nationally_recognized") == 0
    assert register_summary(register, as_of=2021).count_at_least("nationally_recognized") == 1


def test_undeclared_register_units_are_left_out():
    register = _register(
        [
            ("某市", "甲县", "applied", 2023, None, None),
            ("某市", "外县", "applied", 2023, None, None),
        ]
    )
    summary = register_summary(register, city_units=["甲县", "乙县"])
    assert summary.n_units == 2
    assert summary.undeclared == ("外县",)
    assert summary.count("applied") == 1


def test_without_a_declaration_the_denominator_is_the_register_with_a_warning():
    register = _register([("某市", "甲县", "applied", 2023, None, None)])
    summary = register_summary(register)
    assert summary.denominator == "register"
    assert [issue.code for issue in summary.warnings] == ["unit_list_not_declared"]


def test_pioneers_and_default_as_of():
    frame = pd.DataFrame(
        {
            "city": ["某市"] * 3,
            "county": ["甲县", "乙县", "乙县"],
            "status": ["creating", "creating", "applied"],
            "status_year": [2021, 2020, 2022],
            "pioneer": ["是", None, "是"],
        }
    )
    summary = register_summary(read_register(frame, today=TODAY))
    assert summary.as_of == 2022
    assert summary.pioneers == tuple(sorted(["甲县", "乙县"]))


def test_several_cities_need_a_city():
    register = _register(
        [
            ("甲市", "甲县", "applied", 2023, None, None),
            ("乙市", "乙县", "applied", 2023, None, None),
        ]
    )
    with pytest.raises(InvalidArgumentError) as caught:
        register_summary(register)
    assert caught.value.code == "several_cities"
    assert register_summary(register, city="乙市").n_units == 1


def test_demo_city_summary():
    # datasets/data/README.md §2: 示范东区 recognised 2023, 示范西县 provincially assessed 2024,
    # 示范高新区 creating since 2023, 示范县 applied 2025.
    register = read_register(demo_path("demo_city_register.csv"), today="2025-06-30")
    summary = register_summary(register)
    assert summary.as_of == 2025
    counts = summary.by_status["count"].to_dict()
    assert counts == {
        "not_started": 0,
        "creating": 1,
        "applied": 1,
        "provincially_assessed": 1,
        "nationally_recognized": 1,
        "withdrawn": 0,
    }
    assert summary.timeline[["year", "batch", "count"]].to_numpy().tolist() == [[2023, "2023年", 1]]
    basic = register_summary(register, program="basic_balance", as_of=2016)
    assert basic.count_at_least("nationally_recognized") == 3  # 2014, 2015, 2016; 2017 later


# --------------------------------------------------------------------------------------
# projection (§4)


@pytest.fixture(scope="module")
def ten_units():
    # Recognised: 1 in 2020, 2 in 2021, 1 in 2022, 2 in 2023; 2 units in the pipeline.
    years = [2020, 2021, 2021, 2022, 2023, 2023]
    rows = [
        ("某市", f"县{i}", "nationally_recognized", year, None, None)
        for i, year in enumerate(years)
    ]
    rows += [
        ("某市", "县6", "applied", 2023, None, None),
        ("某市", "县7", "provincially_assessed", 2023, None, None),
        ("某市", "县8", "creating", 2022, None, None),
    ]
    return _register(rows, city_units=[f"县{i}" for i in range(10)])


def test_projection_by_hand(ten_units):
    # As of 2023 with w = 3: 6 units now, 1 in 2020: pace 5/3; 4 remaining; ceil(4 / (5/3)) =
    # ceil(2.4) = 3 years: 2026. Range 2025-2027: late for 2025, on time for 2027. Required
    # pace 4 / (2025 - 2023) = 2 and 4 / 4 = 1. Look-ahead 6 + 1.0 x 2 = 8.
    target = CompletionTarget(deadline=2025, deadline_latest=2027)
    result = project_completion(ten_units, target, as_of=2023)
    assert (result.count, result.count_window_start, result.remaining) == (6, 1, 4)
    assert result.pace == 5 / 3
    assert (result.years_needed, result.projected_year) == (3, 2026)
    assert (result.on_track, result.on_track_latest) == (False, True)
    assert (result.required_pace, result.required_pace_latest) == (2.0, 1.0)
    assert (result.pipeline, result.pipeline_next) == (2, 8.0)
    assert result.status == "ok"
    assert result.label == "projection, not a forecast"
    assert any("pace" in text or "gain" in text for text in result.assumptions)


def test_projection_of_a_share_and_an_other_window(ten_units):
    # Share 0.8: 8 units needed, 2 remaining. Window 1: 6 - 4 = 2 a year: 1 year.
    target = CompletionTarget(share=0.8, deadline=2030)
    result = project_completion(ten_units, target, as_of=2023, window=1)
    assert (result.target_count, result.remaining, result.pace) == (8, 2, 2.0)
    assert result.projected_year == 2024
    assert result.on_track is True
    half = project_completion(ten_units, target, as_of=2023, pipeline_probability=0.5)
    assert half.pipeline_next == 7.0


def test_projection_needs_whole_years():
    # 3 units in 9 years: pace 1/3; 1 remaining needs exactly 3 years (ceil of an exact 3).
    rows = [("某市", f"县{i}", "nationally_recognized", 2015 + 3 * i, None, None) for i in range(4)]
    register = _register(rows, city_units=[f"县{i}" for i in range(5)])
    result = project_completion(register, CompletionTarget(deadline=2040), as_of=2024, window=9)
    assert result.pace == 1 / 3
    assert result.years_needed == 3


def test_zero_pace_gives_no_projected_year(ten_units):
    target = CompletionTarget(status="nationally_recognized", deadline=2030)
    with pytest.warns(DegenerateDataWarning, match="zero_pace"):
        result = project_completion(ten_units, target, as_of=2026, window=2)
    assert result.pace == 0.0
    assert (result.years_needed, result.projected_year, result.on_track) == (None, None, None)
    assert result.status == "undefined"
    assert [issue.code for issue in result.warnings] == ["zero_pace"]
    assert result.required_pace == 4 / 4


def test_reached_target_and_past_deadline(ten_units):
    target = CompletionTarget(status="creating", share=0.5, deadline=2022)
    result = project_completion(ten_units, target, as_of=2023)
    assert result.status == "reached"
    assert (result.remaining, result.years_needed, result.projected_year) == (0, 0, 2023)
    assert result.required_pace is None  # the deadline is not after the as-of year


def test_within_years_builds_a_deadline_range():
    # Seed 000: "all units recognised within 8-10 years"; the start year is an input.
    target = CompletionTarget.within_years(2021, 8, 10)
    assert (target.deadline, target.deadline_latest) == (2029, 2031)


@pytest.mark.parametrize(
    ("options", "code"),
    [
        ({"window": 0}, "invalid_argument"),
        ({"method": "trend"}, "invalid_option"),
        ({"pipeline_probability": 1.5}, "invalid_argument"),
    ],
)
def test_projection_options_are_checked(ten_units, options, code):
    with pytest.raises(InvalidArgumentError) as caught:
        project_completion(ten_units, CompletionTarget(deadline=2030), as_of=2023, **options)
    assert caught.value.code == code


def test_target_fields_are_checked():
    with pytest.raises(InvalidArgumentError):
        CompletionTarget(share=0, deadline=2030)
    with pytest.raises(InvalidArgumentError):
        CompletionTarget(status="withdrawn", deadline=2030)
    with pytest.raises(InvalidArgumentError):
        CompletionTarget(deadline=2030, deadline_latest=2029)


def test_results_serialise(ten_units):
    json.dumps(register_summary(ten_units).to_dict())
    json.dumps(project_completion(ten_units, CompletionTarget(deadline=2030)).to_dict())


def test_history_by_year(ten_units):
    # Recognised by the end of each year: 1 (2020), 3 (2021), 4 (2022), 6 (2023).
    history = register_summary(ten_units, as_of=2023).history
    assert history.index.tolist() == [2020, 2021, 2022, 2023]
    assert history["at_least_nationally_recognized"].tolist() == [1, 3, 4, 6]
    # 2022: 县8 starts creating; 2023: 县6 applies and 县7 passes the provincial assessment.
    assert history["count_creating"].tolist() == [0, 0, 1, 1]
    assert history["at_least_applied"].tolist() == [1, 3, 4, 8]
    assert (history.filter(like="count_").sum(axis=1) == 10).all()


def test_a_declaration_given_to_the_summary_is_checked():
    register = _register([("某市", "甲县", "applied", 2023, None, None)])
    summary = register_summary(register, city_units=["甲县", "乙县"])
    mismatch = [issue for issue in summary.warnings if issue.code == "unit_count_mismatch"]
    assert len(mismatch) == 1
    assert "乙县" in mismatch[0].message
