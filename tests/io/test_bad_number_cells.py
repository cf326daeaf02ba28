"""Number cells that cannot be read safely: beyond the float range, decimal commas, separators.

Each problem must be an error naming the row and the column, never ±inf, a guess or a
traceback (data-schema.md §0.2, §0.3). The tables are the demo tables with one cell changed.
"""

import numpy as np
import pandas as pd
import pytest

from eduequity import read_schools
from eduequity.datasets import demo_path
from eduequity.errors import InputError
from eduequity.io import read_survey
from eduequity.national import assess_county


def _schools():
    return pd.read_csv(str(demo_path("demo_county_schools.csv")), dtype=str, keep_default_na=False)


def _one_error(source, reader=read_schools):
    with pytest.raises(InputError) as caught:
        reader(source)
    (issue,) = caught.value.errors
    return issue


@pytest.mark.parametrize("text", ["1e999999999999999999999", "1e309", "-1e1000000000000", "1e-400"])
@pytest.mark.parametrize("column", ["books", "teaching_aux_area_m2", "migrant_share"])
def test_numbers_beyond_the_float_range_are_errors(tmp_path, text, column):
    schools = _schools()
    schools.loc[3, column] = text
    path = tmp_path / "schools.csv"
    schools.to_csv(path, index=False)
    issue = _one_error(path)
    assert (issue.row, issue.column, issue.value) == (5, column, text)
    assert "is out of range" in issue.message


def test_a_scaled_value_beyond_the_range_is_an_error():
    # 1e147 万元 is 1e151 yuan: in range as typed, out of range once converted
    schools = _schools().rename(columns={"equipment_value_yuan": "教学仪器设备资产值（万元）"})
    schools.loc[0, "教学仪器设备资产值（万元）"] = "1e147"
    issue = _one_error(schools)
    assert (issue.row, issue.column, issue.header) == (
        0,
        "equipment_value_yuan",
        "教学仪器设备资产值（万元）",
    )
    assert "is out of range" in issue.message


@pytest.mark.parametrize("value", [np.inf, -np.inf])
def test_infinity_in_a_data_frame_is_an_error(value):
    schools = _schools()
    schools["books"] = schools["books"].astype(float)
    schools.loc[2, "books"] = value
    issue = _one_error(schools)
    assert (issue.row, issue.column) == (2, "books")
    assert "not a finite number" in issue.message


@pytest.mark.parametrize("column", ["books", "teaching_aux_area_m2"])
def test_a_float_too_large_to_compute_with_is_an_error(column):
    # 1e308 is finite, but the CVs' weighted sums of squares overflowed without naming the
    # school; the reader now names it
    schools = _schools()
    schools[column] = schools[column].astype(float)
    schools.loc[2, column] = 1e308
    issue = _one_error(schools)
    assert (issue.row, issue.column, issue.value) == (2, column, "1e+308")
    assert "is out of range" in issue.message


def test_the_largest_number_read_is_read_as_given():
    schools = _schools()
    schools["books"] = schools["books"].astype(float)
    schools.loc[2, "books"] = 1e150
    assert read_schools(schools)["books"].iloc[2] == 1e150


@pytest.mark.parametrize(
    ("column", "text", "expected"),
    [
        ("books", "56,720", 56720.0),  # a count: 56.720 books is impossible
        ("books", "１，２３４，５６７", 1234567.0),  # full-width, two commas
        ("teaching_aux_area_m2", "10,116.1", 10116.1),  # comma and point
        ("teaching_aux_area_m2", "1,010,116", 1010116.0),  # two commas
        ("migrant_share", "22.3%", 0.223),
        ("migrant_share", "２２．３％", 0.223),
        ("teaching_aux_area_m2", " １０１１６．１ ", 10116.1),
    ],
)
def test_unambiguous_forms_are_read(column, text, expected):
    schools = _schools()
    schools.loc[0, column] = text
    assert read_schools(schools)[column].iloc[0] == expected


@pytest.mark.parametrize(
    ("column", "text", "fragment"),
    [
        ("teaching_aux_area_m2", "10,116", "may separate thousands or decimals"),
        ("equipment_value_yuan", "6,660", "may separate thousands or decimals"),
        ("migrant_share", "0,223", "does not read decimal commas"),
        ("teaching_aux_area_m2", "10116,1", "does not read decimal commas"),
        ("books", "0,500", "does not read decimal commas"),
        ("books", "85%", "only in rate columns"),
    ],
)
def test_ambiguous_or_decimal_commas_are_errors(column, text, fragment):
    schools = _schools()
    schools.loc[0, column] = text
    issue = _one_error(schools)
    assert (issue.row, issue.column, issue.value) == (0, column, text)
    assert fragment in issue.message


def _weighted_survey(weight_text):
    survey = pd.read_csv(str(demo_path("demo_county_survey.csv")), dtype=str, keep_default_na=False)
    # parents' answers count half: a design weight as a statistics office writes it
    return survey.assign(weight=np.where(survey["respondent_group"] == "parent", weight_text, "1"))


def test_a_survey_weight_with_a_decimal_comma_is_an_error_not_500():
    # 0,500 read as 500 turned Part 4 from pass to fail; it must stop with the rows named
    with pytest.raises(InputError) as caught:
        read_survey(_weighted_survey("0,500"))
    errors = caught.value.errors
    assert {issue.column for issue in errors} == {"weight"}
    assert all("does not read decimal commas" in issue.message for issue in errors)
    assert all(issue.row is not None for issue in errors)


def test_the_same_weight_with_a_point_is_read():
    survey = read_survey(_weighted_survey("0.500")).frame
    assert set(survey["weight"].unique()) == {0.5, 1.0}


def test_a_decimal_comma_weight_never_reaches_the_assessment(tmp_path):
    path = tmp_path / "survey.csv"
    _weighted_survey("0,500").to_csv(path, index=False)
    with pytest.raises(InputError) as caught:
        assess_county(str(demo_path("demo_county_schools.csv")), survey=path)
    assert all(issue.column == "weight" for issue in caught.value.errors)
