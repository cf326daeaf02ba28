"""The three growths and growth rates (city-aggregation.md §9)."""

import json

import pandas as pd
import pytest

from eduequity.city import FINANCE_SCHEMA, funding_growth, read_finance_series
from eduequity.errors import InputError, InvalidArgumentError

# Seed 004 (Xiamen, 2021-10) [V]: total compulsory-education investment 92.3亿 (2018),
# 100.64亿 (2019), 113.55亿 (2020) yuan: growth 9.04% and 12.83%. Written in 万元 here.
XIAMEN = pd.DataFrame(
    {
        "地区": ["厦门市"] * 3,
        "年度": [2018, 2019, 2020],
        "义务教育经费总投入（万元）": ["923000", "1006400", "1135500"],
    }
)


def test_xiamen_growth_rates():
    result = funding_growth(XIAMEN)
    table = result.growth.loc[("厦门市", "compulsory_education_investment")]
    assert table["value"].tolist() == [9.23e9, 10.064e9, 11.355e9]
    growth = table["growth"].to_numpy()
    assert round(growth[1] * 100, 2) == 9.04
    assert round(growth[2] * 100, 2) == 12.83
    assert growth[1] == pytest.approx(10.064 / 9.23 - 1, rel=1e-12)
    average = result.average_growth.loc[("厦门市", "compulsory_education_investment")]
    assert average["steps"] == 2
    assert average["average_growth"] == pytest.approx((11.355 / 9.23) ** 0.5 - 1, rel=1e-12)
    # Total investment is not series (1): the three growths stay incomplete, never relabelled.
    assert result.three_growths["status"].tolist() == ["incomplete", "incomplete"]
    assert result.series == ("compulsory_education_investment",)


def _series(**columns):
    base = {"county": ["甲县"] * 3, "year": [2021, 2022, 2023]}
    return pd.DataFrame({**base, **columns})


def test_three_growths_by_hand():
    # (1) 100 -> 110 -> 121 (+10%, +10%); pupils 1000 -> 1100 -> 1100: per pupil 0.1 -> 0.1 ->
    # 0.11: flat in 2022 (fails the strict rule), +10% in 2023; (3a) 50 -> 52 -> 51 (falls in
    # 2023); (3b) 700 -> 720 -> 750.
    result = funding_growth(
        _series(
            education_expenditure_yuan=[100.0, 110.0, 121.0],
            students=[1000, 1100, 1100],
            staff_salary_total_yuan=[50.0, 52.0, 51.0],
            public_funds_per_pupil_yuan=[700.0, 720.0, 750.0],
        )
    )
    three = result.three_growths.loc["甲县"]
    assert three.loc[2022, "education_expenditure"] is True
    assert three.loc[2022, "education_expenditure_per_pupil"] is False
    assert three.loc[2023, "staff_salary"] is False
    assert three["status"].tolist() == ["fail", "fail"]
    per_pupil = result.growth.loc[("甲县", "education_expenditure_per_pupil")]
    assert per_pupil.loc[2023, "growth"] == pytest.approx(0.1, rel=1e-12)
    assert result.sources["education_expenditure_per_pupil"] == (
        "education_expenditure_yuan / students"
    )
    warnings = result.early_warnings
    assert warnings[["series", "year"]].to_numpy().tolist() == [["staff_salary", 2023]]
    assert warnings["growth"].iloc[0] == pytest.approx(51 / 52 - 1, rel=1e-12)
    assert result.passed("甲县", 2023) is False


def test_allow_equal_and_pass():
    result = funding_growth(
        _series(
            education_expenditure_yuan=[100.0, 110.0, 121.0],
            education_expenditure_per_pupil_yuan=[0.1, 0.1, 0.11],
            avg_staff_salary_yuan=[80000.0, 82000.0, 83000.0],
            public_funds_per_pupil_yuan=[700.0, 720.0, 750.0],
        ),
        allow_equal=True,
    )
    assert result.three_growths["status"].tolist() == ["pass", "pass"]
    assert result.passed("甲县", 2022) is True
    assert result.sources["staff_salary"] == "avg_staff_salary_yuan"


def test_missing_series_make_the_check_incomplete_but_a_fall_still_fails():
    result = funding_growth(_series(education_expenditure_yuan=[100.0, 90.0, 95.0]))
    assert result.three_growths["status"].tolist() == ["fail", "incomplete"]
    assert result.passed("甲县", 2023) is None


def test_arithmetic_average():
    result = funding_growth(
        _series(education_expenditure_yuan=[100.0, 110.0, 132.0]), average="arithmetic"
    )
    row = result.average_growth.loc[("甲县", "education_expenditure")]
    assert row["average_growth"] == pytest.approx((0.1 + 0.2) / 2, rel=1e-12)
    geometric = funding_growth(_series(education_expenditure_yuan=[100.0, 110.0, 132.0]))
    assert geometric.average_growth.loc[("甲县", "education_expenditure"), "average_growth"] == (
        pytest.approx(1.32**0.5 - 1, rel=1e-12)
    )


def test_gap_warns_and_no_growth_across_it():
    frame = pd.DataFrame(
        {
            "county": ["甲县"] * 3 + ["乙县"] * 2,
            "year": [2019, 2020, 2022, 2021, 2022],
            "education_expenditure_yuan": [100.0, 110.0, 130.0, 50.0, 55.0],
        }
    )
    result = funding_growth(frame)
    gap = [issue for issue in result.warnings if issue.code == "series_gap"]
    assert len(gap) == 1
    assert "甲县" in gap[0].message
    assert "2021" in gap[0].message
    county = result.growth.loc[("甲县", "education_expenditure")]
    assert pd.isna(county.loc[2022, "growth"])
    assert bool(county.loc[2022, "gap"]) is True
    assert county.loc[2022, "grows"] is None
    assert result.average_growth.loc[("甲县", "education_expenditure"), "status"] == "series_gap"
    other = result.growth.loc[("乙县", "education_expenditure")]
    assert other.loc[2022, "growth"] == pytest.approx(0.1, rel=1e-12)


def test_statutory_check_and_education_share():
    result = funding_growth(
        _series(
            education_expenditure_yuan=[100.0, 110.0, 115.0],
            recurring_revenue_yuan=[1000.0, 1080.0, 1150.0],
            total_fiscal_expenditure_yuan=[500.0, 500.0, 500.0],
        )
    )
    statutory = result.statutory.loc["甲县"]
    # 2022: +10% against +8%: outpaces; 2023: +4.5% against +6.5%: does not.
    assert statutory["outpaces"].tolist() == [True, False]
    share = result.education_share.loc["甲县", "share"]
    assert share.tolist() == pytest.approx([0.2, 0.22, 0.23])


def test_duplicate_unit_and_year_and_negative_values_are_errors():
    frame = pd.DataFrame(
        {
            "county": ["甲县", "甲县"],
            "year": [2022, 2022],
            "education_expenditure_yuan": ["100", "-5"],
        }
    )
    with pytest.raises(InputError) as caught:
        funding_growth(frame)
    codes = {(issue.code, issue.row, issue.column) for issue in caught.value.errors}
    assert ("duplicate_county_year", 1, "year") in codes
    assert ("negative_value", 1, "education_expenditure_yuan") in codes


def test_a_table_without_series_is_an_error():
    with pytest.raises(InputError) as caught:
        read_finance_series(pd.DataFrame({"county": ["甲县"], "year": [2022]}))
    assert caught.value.errors[0].code == "missing_required_column"


def test_schema_and_options():
    assert FINANCE_SCHEMA.column("education_expenditure_yuan").unit == "yuan"
    with pytest.raises(InvalidArgumentError):
        funding_growth(XIAMEN, average="harmonic")


def test_to_dict_is_json_safe():
    json.dumps(funding_growth(XIAMEN).to_dict())
