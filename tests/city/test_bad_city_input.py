"""The city functions on bad input: a header-only school table, registers whose years disagree.

Every case must be an error naming the table, row and column, never a traceback or a
register that passes with one of two years picked silently.
"""

import pandas as pd
import pytest

from eduequity.city import assess_city, read_register
from eduequity.datasets import demo_path
from eduequity.errors import InputError

TODAY = "2025-06-30"


def _table(name):
    return pd.read_csv(str(demo_path(name)), dtype=str, keep_default_na=False)


REGISTER = _table("demo_city_register.csv")


def test_a_header_only_school_table_is_an_error():
    schools = _table("demo_city_schools.csv").iloc[:0]
    with pytest.raises(InputError) as caught:
        assess_city(REGISTER, schools, today=TODAY)
    (issue,) = caught.value.errors
    assert (issue.code, issue.table) == ("no_rows", "schools")
    assert "header but no school rows" in issue.message


def test_a_school_table_without_the_chosen_year_is_an_error():
    schools = _table("demo_city_schools.csv")
    with pytest.raises(InputError) as caught:
        assess_city(REGISTER, schools, year=2019, today=TODAY)
    (issue,) = caught.value.errors
    assert issue.code == "no_rows"
    assert "no row has school year 2019" in issue.message


def _inconsistent(register):
    with pytest.raises(InputError) as caught:
        read_register(register, today=TODAY)
    return [i for i in caught.value.errors if i.code == "basic_balance_year_inconsistent"]


def test_a_row_whose_basic_balance_year_disagrees_is_named():
    register = REGISTER.copy()
    register.loc[1, "basic_balance_year"] = "2015"  # the county's other rows say 2014
    (issue,) = _inconsistent(register)
    assert (issue.row, issue.column, issue.value) == (1, "basic_balance_year", "2015")
    assert "2015 here but 2014 on row 0" in issue.message


def test_the_minority_year_is_named_even_on_the_first_row():
    register = REGISTER.copy()
    register.loc[0, "basic_balance_year"] = "2013"
    (issue,) = _inconsistent(register)
    assert (issue.row, issue.column) == (0, "basic_balance_year")


def test_a_basic_balance_recognition_in_another_year_is_named():
    register = REGISTER.copy()
    register.loc[0, "status_year"] = "2013"  # basic_balance nationally_recognized, said 2014
    (issue,) = _inconsistent(register)
    assert (issue.row, issue.column, issue.value) == (0, "status_year", "2013")
    assert "recognised in 2013 here but basic_balance_year is 2014 on this row" in issue.message


def test_the_demo_register_is_consistent():
    assert not [
        issue
        for issue in read_register(REGISTER, today=TODAY).issues
        if issue.code == "basic_balance_year_inconsistent"
    ]
