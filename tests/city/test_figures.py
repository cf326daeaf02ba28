"""The figures cities publish, recomputed from constructed tables (city-aggregation.md §8).

Where a seed document states a figure and enough to recompute it, the fixture cites the seed
(file and sentence); the constructed inputs are ours, designed to give that figure.
"""

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eduequity.city import (
    FIGURE_COLUMNS,
    PUBLISHED_FIGURES,
    assess_city,
    published_figures,
    read_register,
)
from eduequity.datasets import demo_path
from eduequity.errors import InputError, InvalidArgumentError, InvalidTypeError
from eduequity.report import render_city

SCHOOLS = demo_path("demo_city_schools.csv")
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _register(rows, **kwargs):
    frame = pd.DataFrame(rows, columns=["city", "county", "status", "status_year", "batch"])
    return read_register(frame, **kwargs)


def _row(result, figure, year=None):
    rows = result.figures.loc[result.figures["figure"] == figure]
    if year is not None:
        rows = rows.loc[rows["year"] == year]
    assert len(rows) == 1, rows
    return rows.iloc[0]


# -- register figures ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def weifang():
    """Seed 000 (潍坊, press conference 2025-03-31), sentence 11: 寒亭区、昌邑市、滨海区 entered
    the first national list in 2024, "占全省总数1/3"; the second 2024 list (2025-03-17) added
    奎文区、潍城区、寿光市、高密市、临朐县, "总数达到8个"; 坊子区、青州市、安丘市 apply in 2025.
    Sentence 30 names the city's 15 county-level units ("全市15个县市区"); the four not named
    in the seed are placeholders."""
    first = ["寒亭区", "昌邑市", "滨海区"]
    second = ["奎文区", "潍城区", "寿光市", "高密市", "临朐县"]
    applying = ["坊子区", "青州市", "安丘市"]
    others = ["其他单位一", "其他单位二", "其他单位三", "其他单位四"]
    rows = [("潍坊市", c, "nationally_recognized", 2024, "首批") for c in first]
    rows += [("潍坊市", c, "nationally_recognized", 2024, "第二批") for c in second]
    rows += [("潍坊市", c, "applied", 2025, None) for c in applying]
    rows += [("潍坊市", c, "creating", 2023, None) for c in others]
    units = first + second + applying + others
    return _register(rows, today="2025-03-31", city_units=units)


def test_weifang_counts_and_the_province_share(weifang):
    result = published_figures(
        weifang,
        province_total={(2024, "首批"): 9},
        province_year=2024,
        province_batch="首批",
        as_of=2025,
    )
    # "总数达到8个": 8 units recognised, of the 15 units of the city.
    assert _row(result, "recognized_count")["value"] == 8
    share = _row(result, "recognized_share")
    assert (share["numerator"], share["denominator"], share["value"]) == (8, 15, 8 / 15)
    # "占全省总数1/3": 3 units of the first list out of the province's 9.
    province = _row(result, "province_list_share")
    assert province["value"] == 1 / 3
    assert (province["numerator"], province["denominator"]) == (3, 9)
    assert province["note"] == "寒亭区, 昌邑市, 滨海区"
    assert result.city == "潍坊市"


def test_weihai_whole_city_recognised():
    """Seed 001 (威海, 《人民教育》 2025-07-18), sentence 7: "2025年所辖7个区市、开发区全部通过
    '全国义务教育优质均衡发展县'认定"."""
    units = ["环翠区", "文登区", "荣成市", "乳山市", "高区", "经区", "临港区"]
    register = _register(
        [("威海市", c, "nationally_recognized", 2025, None) for c in units],
        today="2025-07-18",
        city_units=units,
    )
    result = published_figures(register)
    assert _row(result, "recognized_share")["value"] == 1.0
    assert _row(result, "recognized_share")["note"] == "the whole city"


def test_seed_003_city_provincially_assessed_and_recognised():
    """Seed 003 (speech, city anonymised), sentence 29: "2023年,我市11个县(区)全部通过省级督导
    评估"; sentence 23: four of its counties on the 2024 national list."""
    units = [f"县{i:02d}" for i in range(1, 12)]
    rows = [("某市", c, "provincially_assessed", 2023, None) for c in units]
    rows += [("某市", c, "nationally_recognized", 2024, None) for c in units[:4]]
    register = _register(rows, today="2025-01-31", city_units=units)
    in_2023 = published_figures(register, as_of=2023)
    assert _row(in_2023, "provincially_assessed_share")["value"] == 1.0
    assert _row(in_2023, "recognized_count")["value"] == 0
    in_2024 = published_figures(register, as_of=2024)
    assert _row(in_2024, "recognized_count")["value"] == 4
    assert _row(in_2024, "provincially_assessed_count")["value"] == 11


# -- school figures -------------------------------------------------------------------------


def _schools():
    return pd.read_csv(
        SCHOOLS, dtype={"school_id": str, "county_code": str, "parent_school_id": str}
    )


def _with_large_classes(frame, large, super_large=0):
    """Spread ``large`` large classes over the schools (at most their class count each)."""
    frame = frame.copy()
    classes = (frame["classes_primary"] + frame["classes_junior"]).to_numpy()
    per_school = np.minimum(classes, 5)
    taken = np.minimum(np.cumsum(per_school), large)
    frame["large_classes"] = np.diff(taken, prepend=0)
    frame["super_large_classes"] = 0
    if super_large:
        frame.loc[frame.index[0], "super_large_classes"] = super_large
    return frame


def test_seed_003_large_class_share_and_its_fall_in_points():
    """Seed 003, sentence 50: "'大班额'比例已降至1.2%,较2020年下降了8.6个百分点,'超大班额'已实
    现动态清零". The demo city has 3 179 classes; 312 large classes in 2020 and 38 in 2024 give
    the published figures once rounded as the speech rounds them."""
    base = _schools()
    assert int((base["classes_primary"] + base["classes_junior"]).sum()) == 3179
    result = published_figures(
        schools={
            2020: _with_large_classes(base, 312, 4).assign(year=2020),
            2024: _with_large_classes(base, 38),
        },
        base_year=2020,
    )
    now = _row(result, "large_class_share", 2024)
    assert (now["numerator"], now["denominator"]) == (38, 3179)
    assert round(100 * now["value"], 1) == 1.2
    assert round(now["change_since_base_points"], 1) == -8.6
    assert now["change_since_base_points"] == pytest.approx(100 * (38 - 312) / 3179, rel=1e-12)
    # "超大班额已实现动态清零": none left in 2024, 4 in 2020.
    assert _row(result, "super_large_class_share", 2024)["value"] == 0
    assert _row(result, "super_large_class_share", 2020)["numerator"] == 4
    assert now["base_year"] == 2020


def test_school_rates_are_ratios_of_sums_and_the_mean_of_rates_is_labelled():
    frame = _schools()
    classes = frame["classes_primary"] + frame["classes_junior"]
    per_county = frame.assign(classes=classes).groupby("county")
    rural = frame.loc[frame["location"] == "rural"]
    result = published_figures(schools=frame)
    standard = _row(result, "standardization_rate")
    assert standard["value"] == frame["meets_provincial_standard"].astype(bool).mean()
    assert standard["aggregate"] == "ratio_of_sums"
    assert _row(result, "rural_standardization_rate")["denominator"] == len(rural)
    teachers = frame.filter(like="bachelor_plus_teachers_").sum().sum()
    full_time = frame[["full_time_teachers_primary", "full_time_teachers_junior"]].sum().sum()
    assert _row(result, "bachelor_plus_share")["value"] == teachers / full_time
    means = published_figures(schools=frame, aggregate="mean_of_rates")
    bachelor = frame.filter(like="bachelor_plus_teachers_").sum(axis=1)
    county_rates = (
        frame.assign(num=bachelor, den=frame.filter(like="full_time_teachers_").sum(axis=1))
        .groupby("county")[["num", "den"]]
        .sum()
    )
    expected = (county_rates["num"] / county_rates["den"]).mean()
    row = _row(means, "bachelor_plus_share")
    assert row["value"] == pytest.approx(expected, rel=1e-12)
    assert row["aggregate"] == "mean_of_rates"
    assert per_county.ngroups == 4


def test_no_rural_school_and_missing_columns_are_listed_not_computed():
    frame = _schools()
    frame["location"] = "urban"
    frame = frame.drop(columns=["large_classes", "super_large_classes"])
    result = published_figures(schools=frame)
    assert "large_class_share" not in set(result.figures["figure"])
    assert any(
        reason.startswith("rural_standardization_rate: no row") for reason in result.unavailable
    )
    assert any(
        "large_class_share: the schools table has no large_classes" in r for r in result.unavailable
    )


def test_schools_without_the_standard_flag_are_counted_and_named():
    frame = _schools()
    frame["meets_provincial_standard"] = frame["meets_provincial_standard"].astype(object)
    frame.loc[[0, 1], "meets_provincial_standard"] = None
    row = _row(published_figures(schools=frame), "standardization_rate")
    assert row["status"] == "incomplete"
    assert (row["n_units"], row["n_missing"]) == (len(frame) - 2, 2)
    assert row["note"].startswith("2 schools without meets_provincial_standard")
    assert frame.loc[0, "school_id"] in row["note"]


# -- county facts ---------------------------------------------------------------------------


def _facts(rows):
    return pd.DataFrame(
        rows, columns=["county", "year", "teacher_rotation_eligible", "teacher_rotation_rotated"]
    )


def test_seed_003_teachers_exchanged_over_three_years():
    """Seed 003, sentence 57: "近三年来,全市共交流轮岗教师8200人次". Two counties' rotations in
    2022-2024, constructed to sum to 8 200."""
    facts = _facts(
        [
            ("甲县", 2022, 9000, 1400),
            ("乙县", 2022, 7000, 1200),
            ("甲县", 2023, 9100, 1500),
            ("乙县", 2023, 7100, 1300),
            ("甲县", 2024, 9200, 1500),
            ("乙县", 2024, 7200, 1300),
        ]
    )
    result = published_figures(facts=facts)
    rows = result.figures.loc[result.figures["figure"] == "teachers_exchanged"]
    assert rows["year"].tolist() == [2022, 2023, 2024]
    assert rows["value"].sum() == 8200
    share = _row(result, "teacher_exchange_share", 2024)
    assert share["value"] == 2800 / 16400
    assert "0.1" in share["definition"]  # the national floor, read from the rule set


def test_weihai_exchange_share_close_to_30_percent_and_the_two_aggregates():
    """Seed 001, sentence 25: "每年交流轮岗比例接近30%". Two constructed counties: 10 of 100
    and 90 of 200 rotate, i.e. 100 of 300 = 33.3% as a ratio of sums, while the mean of the
    county rates (10% and 45%) is 27.5%; a city publishing "close to 30%" could have used
    either, which is why every row says which."""
    facts = _facts([("环翠区", 2024, 100, 10), ("文登区", 2024, 200, 90)])
    ratio = _row(published_figures(facts=facts), "teacher_exchange_share")
    mean = _row(published_figures(facts=facts, aggregate="mean_of_rates"), "teacher_exchange_share")
    assert ratio["value"] == 100 / 300
    assert mean["value"] == pytest.approx((0.10 + 0.45) / 2, rel=1e-15)
    assert (ratio["aggregate"], mean["aggregate"]) == ("ratio_of_sums", "mean_of_rates")


def test_a_county_without_counts_is_left_out_and_named():
    facts = _facts([("甲县", 2024, 100, 10), ("乙县", 2024, None, None)])
    facts["teacher_rotation"] = [None, 0.2]
    row = _row(published_figures(facts=facts), "teacher_exchange_share")
    assert row["status"] == "incomplete"
    assert row["value"] == 0.1
    assert row["note"] == (
        "1 counties without teacher_rotation_rotated / teacher_rotation_eligible left out: 乙县"
    )
    # the mean of rates takes the rate both counties give
    mean = _row(published_figures(facts=facts, aggregate="mean_of_rates"), "teacher_exchange_share")
    assert mean["value"] == pytest.approx(0.15, rel=1e-15)
    assert mean["status"] == "ok"


def test_facts_without_the_figure_columns():
    result = published_figures(facts=pd.DataFrame({"county": ["甲县"], "year": [2024]}))
    assert result.figures.empty
    assert list(result.figures.columns) == list(FIGURE_COLUMNS)
    assert len(result.unavailable) == 3


def test_bad_facts_name_the_row_and_the_column():
    facts = _facts([("甲县", 2024, 100, 120)])
    with pytest.raises(InputError, match="teacher_rotation_rotated") as caught:
        published_figures(facts=facts)
    assert caught.value.issues[0].row is not None


# -- funding --------------------------------------------------------------------------------


def test_xiamen_funding_levels_and_growth():
    """Seed 004 (厦门, 2021-10), sentence 28: "义务教育阶段经费总投入逐年增长,2018年总投入
    92.3亿元,2019年总投入100.64亿元,2020年总投入113.55亿元" (grows every year)."""
    funding = pd.DataFrame(
        {
            "county": ["厦门市"] * 3,
            "year": [2018, 2019, 2020],
            "compulsory_education_investment_yuan": [92.3e8, 100.64e8, 113.55e8],
        }
    )
    result = published_figures(funding=funding)
    growth = result.figures.loc[result.figures["figure"] == "funding_growth"]
    assert growth["year"].tolist() == [2019, 2020]
    assert (growth["value"] > 0).all()  # "逐年增长"
    assert growth["value"].tolist() == pytest.approx([100.64 / 92.3 - 1, 113.55 / 100.64 - 1])
    average = _row(result, "funding_average_growth")
    assert average["value"] == pytest.approx((113.55 / 92.3) ** 0.5 - 1, rel=1e-12)
    assert average["series"] == "compulsory_education_investment"


def test_seed_003_average_growth_over_three_years():
    """Seed 003, sentence 83: "近三年来,全市义务教育经费总投入年均增长10.5%". Three counties
    whose total grows from 100 to 100 × 1.105³ (1 亿元 units) over 2021-2024."""
    totals = [100.0, 110.5, 122.1025, 134.923263]
    shares = [0.5, 0.3, 0.2]
    rows = [
        (county, 2021 + step, total * share * 1e8)
        for step, total in enumerate(totals)
        for county, share in zip(["甲县", "乙县", "丙县"], shares, strict=True)
    ]
    funding = pd.DataFrame(rows, columns=["county", "year", "compulsory_education_investment_yuan"])
    average = _row(published_figures(funding=funding), "funding_average_growth")
    assert round(100 * average["value"], 1) == 10.5
    assert average["aggregate"] == "geometric"
    assert "3 yearly steps" in average["note"]


def test_city_totals_skip_years_a_unit_misses_and_never_sum_per_pupil_series():
    funding = pd.DataFrame(
        {
            "county": ["甲县", "甲县", "乙县"],
            "year": [2023, 2024, 2024],
            "education_expenditure_yuan": [1.0e9, 1.2e9, 0.8e9],
            "public_funds_per_pupil_yuan": [900.0, 950.0, 990.0],
        }
    )
    result = published_figures(funding=funding)
    levels = result.figures.loc[result.figures["figure"] == "funding_level"]
    assert levels[["year", "value"]].to_dict("list") == {"year": [2024], "value": [2.0e9]}
    assert any("public_funds_per_pupil_yuan" in note for note in result.unavailable)


# -- the whole table --------------------------------------------------------------------------


def test_every_definition_is_attached_and_the_table_is_json_safe():
    register = read_register(demo_path("demo_city_register.csv"), today="2025-06-30")
    result = published_figures(register, SCHOOLS, demo_path("demo_county_facts.csv"))
    assert list(result.figures.columns) == list(FIGURE_COLUMNS)
    assert result.figures["definition"].str.len().gt(20).all()
    large = _row(result, "large_class_share")
    assert "56 or more pupils" in large["definition"]
    assert set(result.figures["figure"]) <= set(PUBLISHED_FIGURES)
    data = json.loads(json.dumps(result.to_dict(), ensure_ascii=False))
    assert data["figures"][0]["figure"] == "recognized_count"
    assert data["rules"]["id"] == "cn_moe_2017_quality_balance"
    assert result.value("recognized_count") == 1


def test_bad_arguments():
    with pytest.raises(InvalidArgumentError, match="at least one input"):
        published_figures()
    with pytest.raises(InvalidArgumentError, match="aggregate='median'"):
        published_figures(facts=_facts([]), aggregate="median")
    with pytest.raises(InvalidTypeError, match="register must be the CountyRegister"):
        published_figures(pd.DataFrame())
    with pytest.raises(InvalidArgumentError, match="not a school year"):
        published_figures(schools={"2024": SCHOOLS})
    with pytest.raises(InputError, match="no school row of year 2020"):
        published_figures(schools={2020: SCHOOLS})
    result = published_figures(facts=_facts([("甲县", 2024, 10, 1)]))
    with pytest.raises(InvalidArgumentError, match="figure 'nope'"):
        result.value("nope")


@SETTINGS
@given(
    st.lists(
        st.tuples(st.integers(1, 500), st.integers(0, 500)).map(lambda p: (p[0], min(p))),
        min_size=1,
        max_size=8,
    )
)
def test_ratio_of_sums_lies_between_the_county_rates_and_ignores_order(pairs):
    rows = [(f"县{i}", 2024, eligible, rotated) for i, (eligible, rotated) in enumerate(pairs)]
    forward = _row(published_figures(facts=_facts(rows)), "teacher_exchange_share")
    backward = _row(published_figures(facts=_facts(rows[::-1])), "teacher_exchange_share")
    rates = [rotated / eligible for eligible, rotated in pairs]
    assert forward["value"] == backward["value"]
    assert min(rates) - 1e-12 <= forward["value"] <= max(rates) + 1e-12
    assert forward["numerator"] == sum(r for _, r in pairs)


def test_in_the_city_report():
    result = assess_city(
        demo_path("demo_city_register.csv"),
        SCHOOLS,
        facts=demo_path("demo_county_facts.csv"),
        province_total=9,
        today="2025-06-30",
    )
    text = render_city(result)
    assert "发布数据 Published figures" in text
    assert "大班额比例 large class share" in text
    assert "交流轮岗比例 teacher exchange share" in text
    assert _row(result.figures, "province_list_share")["denominator"] == 9
    assert "figures" in result.to_dict()
