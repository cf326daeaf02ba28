"""Survey and monitoring rows of another year: left out, and the rows named in a warning.

A monitoring row typed with the wrong year used to be dropped with only a note, turning Q9
(and Part 3) from fail to pass; the survey warned for the same mistake without naming rows.
Both now carry warning ``rows_not_used`` naming the spreadsheet rows.
"""

import pandas as pd

from eduequity.datasets import demo_path
from eduequity.national import assess_county


def _table(name):
    return pd.read_csv(str(demo_path(name)), dtype=str, keep_default_na=False)


def _demo(name):
    return str(demo_path(f"demo_county_{name}.csv"))


def _assess(**tables):
    return assess_county(_demo("schools"), _demo("facts"), **tables)


def _rows_not_used(assessment, table):
    return [w for w in assessment.warnings if w.code == "rows_not_used" and w.table == table]


def test_a_monitoring_row_of_another_year_is_named(tmp_path):
    monitoring = _table("demo_county_monitoring.csv")
    # data README §1: 数学 grade 8 has a difference rate of 0.16 > 0.15, failing Q9
    failing = monitoring.index[(monitoring["subject"] == "数学") & (monitoring["grade"] == "8")]
    monitoring.loc[failing, "year"] = "2023"
    path = tmp_path / "monitoring.csv"
    monitoring.to_csv(path, index=False)
    assessment = _assess(monitoring=path)
    (warning,) = _rows_not_used(assessment, "monitoring")
    row = int(failing[0]) + 2  # header = row 1
    assert f"1 of other years than 2024 (row {row})" in warning.message


def test_an_earlier_monitoring_cycle_alone_is_used_without_warning(tmp_path):
    monitoring = _table("demo_county_monitoring.csv").assign(year="2021")
    path = tmp_path / "monitoring.csv"
    monitoring.to_csv(path, index=False)
    assessment = _assess(monitoring=path)
    assert _rows_not_used(assessment, "monitoring") == []
    assert assessment.quality.item("academic_monitoring").status == "fail"


def test_a_survey_row_of_another_year_is_named(tmp_path):
    survey = _table("demo_county_survey.csv")
    survey.loc[[5, 700], "year"] = "2023"
    path = tmp_path / "survey.csv"
    survey.to_csv(path, index=False)
    (warning,) = _rows_not_used(_assess(survey=path), "survey")
    assert "2 of other years than 2024 (rows 7, 702)" in warning.message
