"""Ids given as numbers in a DataFrame are read as text, with a warning where zeros may be lost.

The school identification code (学校标识码) has 10 digits and a county's administrative
division code (行政区划代码) 6; the demo ids (``datasets/data/README.md``) begin with a zero.
"""

import warnings

import pandas as pd
import pytest

from eduequity.datasets import demo_path
from eduequity.errors import DataQualityWarning, EduEquityWarning, NumericIdWarning
from eduequity.io import loaded_table
from eduequity.national import read_schools


def _demo():
    return pd.read_csv(demo_path("demo_county_schools.csv"), dtype=str, keep_default_na=False)


def _read_without_warnings(frame):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return read_schools(frame)


def test_the_warning_is_a_data_quality_warning():
    assert issubclass(NumericIdWarning, DataQualityWarning)
    assert issubclass(NumericIdWarning, EduEquityWarning)


def test_ids_that_lost_their_leading_zero_warn_and_are_read_as_text():
    frame = _demo()
    frame = frame.loc[frame["parent_school_id"] == ""].copy()  # no sites: their parents keep text
    frame["school_id"] = frame["school_id"].astype("int64")  # 0990010001 -> 990010001
    with pytest.warns(NumericIdWarning, match=r"school_id: \d+ ids were given as numbers") as got:
        schools = read_schools(frame)
    assert "school_id has 10 digits, these ids 9" in str(got[0].message)
    assert schools["school_id"].iloc[0] == "990010001"
    assert isinstance(schools["school_id"].iloc[0], str)
    issues = [issue for issue in loaded_table(schools).issues if issue.code == "numeric_id"]
    assert [(issue.severity, issue.column) for issue in issues] == [("warning", "school_id")]


def test_ids_of_differing_digit_counts_warn():
    frame = _demo().head(3).copy()
    frame["school_id"] = [1234567890, 123456789, 1234567891]
    with pytest.warns(NumericIdWarning, match="the ids have 9 to 10 digits"):
        schools = read_schools(frame)
    assert schools["school_id"].tolist() == ["1234567890", "123456789", "1234567891"]


def test_full_length_numeric_ids_are_read_as_text_without_a_warning():
    frame = _demo().head(3).copy()
    frame["school_id"] = [1101010001, 1101010002, 1101010003]
    frame["county_code"] = 110101
    schools = _read_without_warnings(frame)
    assert schools["school_id"].tolist() == ["1101010001", "1101010002", "1101010003"]
    assert schools["county_code"].tolist() == ["110101"] * 3


def test_short_numeric_county_codes_warn():
    frame = _demo().head(3).copy()
    frame["county_code"] = 99001  # 099001 as a number
    with pytest.warns(NumericIdWarning, match="county_code has 6 digits, these ids 5"):
        read_schools(frame)


def test_ids_given_as_text_never_warn():
    schools = _read_without_warnings(_demo())
    assert schools["school_id"].iloc[0] == "0990010001"


def test_a_spreadsheet_column_mixing_numbers_and_text_warns():
    frame = _demo().head(3).copy().astype(object)
    frame["school_id"] = ["0990010001", 990010002, "0990010003"]
    with pytest.warns(NumericIdWarning, match="1 ids were given as numbers"):
        schools = read_schools(frame)
    assert schools["school_id"].tolist() == ["0990010001", "990010002", "0990010003"]
