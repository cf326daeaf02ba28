"""Header and cell normalisation (data-schema.md §0.1, §0.2)."""

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.strategies import decimal_texts

from eduequity.io import MISSING_TOKENS
from eduequity.io._normalize import (
    factorize_cells,
    format_number,
    normalize_header,
    number_problem,
    parse_bool_cell,
    parse_date_cell,
    parse_distinct,
    parse_number_cell,
    parse_numbers,
    parse_text_cell,
    parse_text_column,
    parse_texts,
    split_header_unit,
)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("小学在校生数", "小学在校生数"),
        (" 小学 在校生数\t", "小学在校生数"),  # trim and inner spaces (§0.1 step 1)
        ("\u3000小学在校生数", "小学在校生数"),  # ideographic space
        ("县（市、区）", "县(市、区)"),  # full-width brackets fold (step 2)
        ("Ｓｔｕｄｅｎｔｓ_Ｐｒｉｍａｒｙ", "students_primary"),  # full-width letters, case (3)
        ("\ufeffschool_id", "school_id"),  # a BOM left on the first header
    ],
)
def test_header_normalisation(header, expected):
    assert normalize_header(header) == expected


@pytest.mark.parametrize(
    ("header", "base", "unit"),
    [
        ("教学仪器设备资产值(万元)", "教学仪器设备资产值", "万元"),
        ("随迁子女占比(%)", "随迁子女占比", "%"),
        ("随迁子女占比%", "随迁子女占比", "%"),
        ("县(市、区)", "县", "市、区"),  # the reader first tries the whole header
        ("学校名称", "学校名称", None),
    ],
)
def test_split_header_unit(header, base, unit):
    assert split_header_unit(header) == (base, unit)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", Decimal(12)),
        (" 12 ", Decimal(12)),
        ("１２３", Decimal(123)),  # full-width digits fold (§0.2)
        ("１２．５", Decimal("12.5")),
        ("1,234,567", Decimal(1234567)),  # two commas: only thousands separators
        ("12,345.6", Decimal("12345.6")),  # comma and point: the comma separates thousands
        ("12,345,678.25", Decimal("12345678.25")),
        ("-3", Decimal(-3)),
        ("\u22123", Decimal(-3)),  # the typographic minus sign
        (".5", Decimal("0.5")),
        ("1e3", Decimal(1000)),
    ],
)
def test_number_cells(text, expected):
    assert parse_number_cell(text, percent_allowed=False) == ("ok", expected, False)


@pytest.mark.parametrize(
    "text", ["12a", "12,34.5", "1 234", "一百", "12..5", "inf", "0x10", "1,234,"]
)
def test_not_numbers(text):
    assert parse_number_cell(text, percent_allowed=False)[0] == "not_a_number"


@pytest.mark.parametrize("text", ["1,234", "12,345", "-999,000", "１，２３４"])
def test_a_single_comma_before_three_digits_is_ambiguous(text):
    # 1,234 may be 1234 (thousands) or 1.234 (decimal comma): never guessed
    assert parse_number_cell(text, percent_allowed=False)[0] == "ambiguous_separator"
    assert parse_number_cell(text + "%", percent_allowed=True)[0] == "ambiguous_separator"


def test_a_single_comma_is_a_thousands_separator_in_whole_number_columns():
    # a decimal comma would give 1.234 pupils, which a count column cannot hold
    status, number, _ = parse_number_cell("1,234", percent_allowed=False, whole_number=True)
    assert (status, number) == ("ok", Decimal(1234))


@pytest.mark.parametrize("text", ["0,500", "0,5", "1,23", "1,2345", "12,5", "-0,250", "0,000"])
@pytest.mark.parametrize("whole_number", [False, True])
def test_decimal_commas_are_refused(text, whole_number):
    # '0,500' cannot be a thousands-separated number (no group starts with 0); it is 0.5
    # written with a decimal comma, and eduequity reads only decimal points
    status = parse_number_cell(text, percent_allowed=False, whole_number=whole_number)[0]
    assert status == "decimal_comma"


@pytest.mark.parametrize(
    "value",
    [
        "1e309",
        "-1e309",
        "1e999999999999999999999",
        "-1e1000000000000",
        "１e400",
        "1e-400",
        "1e308",  # finite, but its square overflows the sums of the CVs
        "1e151",
        "-1e151",
        "1e-301",
        10**400,
        1e308,
        -1e200,
        5e-324,
    ],
)
def test_numbers_beyond_the_float_range_are_refused(value):
    # never inf, -inf or a silent 0: the status names the problem
    status, number, _ = parse_number_cell(value, percent_allowed=True)
    assert (status, number) == ("out_of_range", Decimal(0))


def test_the_largest_and_smallest_numbers_read():
    assert parse_number_cell("1e150", percent_allowed=False) == ("ok", Decimal("1e150"), False)
    assert parse_number_cell(-1e150, percent_allowed=False)[0] == "ok"
    assert parse_number_cell("1e-300", percent_allowed=False)[0] == "ok"
    assert parse_number_cell("0e-500", percent_allowed=False)[0] == "ok"


@pytest.mark.parametrize(
    ("status", "fragment"),
    [
        ("ambiguous_separator", "may separate thousands or decimals"),
        ("decimal_comma", "does not read decimal commas"),
        ("out_of_range", "is out of range"),
        ("percent_not_allowed", "only in rate columns"),
        ("not_a_number", "is not a number"),
    ],
)
def test_number_problems_say_what_is_wrong(status, fragment):
    assert fragment in number_problem(status, "x")


def test_percent_sign_only_in_rate_columns():
    assert parse_number_cell("85%", percent_allowed=True) == ("ok", Decimal(85), True)
    assert parse_number_cell("８５％", percent_allowed=True) == ("ok", Decimal(85), True)
    assert parse_number_cell("85%", percent_allowed=False)[0] == "percent_not_allowed"


@pytest.mark.parametrize(
    "token", ["", " ", "-", "—", "/", "NA", "na", "NaN", "nan", "null", "NULL"]
)
def test_missing_tokens_are_missing_never_zero(token):
    assert parse_number_cell(token, percent_allowed=True)[0] == "missing"
    assert parse_text_cell(token, identifier=False) is None
    assert parse_bool_cell(token) == "missing"
    assert parse_date_cell(token) == "missing"


def test_missing_tokens_listed_in_the_spec_are_all_present():
    # data-schema.md §0.2: empty cell, -, —, /, NA, NaN and null
    assert {"", "-", "—", "/", "na", "nan", "null"} <= MISSING_TOKENS


@pytest.mark.parametrize("value", [None, np.nan, pd.NA, float("nan")])
def test_missing_objects(value):
    assert parse_number_cell(value, percent_allowed=False)[0] == "missing"


def test_numbers_given_as_numbers_keep_their_shortest_decimal():
    assert parse_number_cell(0.1, percent_allowed=False) == ("ok", Decimal("0.1"), False)
    assert parse_number_cell(np.int64(7), percent_allowed=False) == ("ok", Decimal(7), False)
    assert parse_number_cell(value=True, percent_allowed=False)[0] == "not_a_number"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("true", "true"),
        ("FALSE", "false"),
        ("1", "true"),
        ("0", "false"),
        ("Yes", "true"),
        ("no", "false"),
        ("Y", "true"),
        ("n", "false"),
        ("是", "true"),
        ("否", "false"),
        ("有", "true"),
        ("无", "false"),
        (True, "true"),
        (np.False_, "false"),
        (1.0, "true"),
        ("maybe", "invalid"),
        ("2", "invalid"),
        (2, "invalid"),
    ],
)
def test_booleans(cell, expected):
    assert parse_bool_cell(cell) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2025-03-14", dt.date(2025, 3, 14)),
        ("2025年3月14日", dt.date(2025, 3, 14)),
        ("２０２５年３月１４日", dt.date(2025, 3, 14)),
        ("2025-03-14 00:00:00", dt.date(2025, 3, 14)),  # an Excel date read as text
        (dt.date(2020, 1, 2), dt.date(2020, 1, 2)),
        (pd.Timestamp("2021-05-06"), dt.date(2021, 5, 6)),
        ("2025-02-30", "invalid"),
        ("2025/03/14", "invalid"),
        ("14.03.2025", "invalid"),
        ("2025-3-14", "invalid"),
    ],
)
def test_dates(cell, expected):
    assert parse_date_cell(cell) == expected


def test_identifiers_keep_leading_zeros_and_fold():
    assert parse_text_cell("0012", identifier=True) == "0012"
    assert parse_text_cell("００１２", identifier=True) == "0012"
    assert parse_text_cell(" 37 0102 ", identifier=True) == "370102"
    assert parse_text_cell(3701020001, identifier=True) == "3701020001"
    assert parse_text_cell(3701020001.0, identifier=True) == "3701020001"
    # names keep their inner spaces and characters
    assert parse_text_cell(" 第一 小学 ", identifier=False) == "第一 小学"


def test_format_number():
    assert format_number(12.0) == "12"
    assert format_number(0.1 + 0.2) == "0.30000000000000004"
    assert format_number(-3.5) == "-3.5"
    assert format_number(float("nan")) == "missing"


def test_factorize_puts_missing_after_the_distinct_values():
    codes, distinct = factorize_cells(pd.Series(["a", None, "b", "a"], dtype=object))
    assert distinct == ["a", "b"]
    assert codes.tolist() == [0, 2, 1, 0]
    codes, results = parse_distinct(pd.Series(["a", None, "a"], dtype=object), str.upper, "?")
    assert results[codes].tolist() == ["A", "?", "A"]


@settings(max_examples=200)
@given(decimal_texts(signed=True))
def test_parsed_float_reads_back_as_the_typed_decimal(item):
    text, exact = item
    status, number, _ = parse_number_cell(text, percent_allowed=False)
    assert status == "ok"
    assert number == exact
    # the stored float's shortest repr is the decimal as typed (data-schema.md §0.2)
    assert Decimal(repr(float(number))) == exact


@settings(max_examples=100)
@given(st.integers(min_value=1000, max_value=10**15))
def test_thousands_separator_round_trip(number):
    assert parse_number_cell(f"{number:,}", percent_allowed=False, whole_number=True) == (
        "ok",
        Decimal(number),
        False,
    )
    if number >= 10**6:  # two commas or more: no decimal-comma reading exists
        assert parse_number_cell(f"{number:,}", percent_allowed=False)[1] == Decimal(number)


@settings(max_examples=100)
@given(st.sampled_from(sorted(MISSING_TOKENS)), st.booleans(), st.text(" \t", max_size=2))
def test_missing_tokens_ignore_case_and_padding(token, upper, padding):
    text = padding + (token.upper() if upper else token) + padding
    assert parse_number_cell(text, percent_allowed=True)[0] == "missing"


# The batch parsers must agree with the cell parsers on every cell: the batch is the fast
# path of a whole column, the cell parser the definition.
_CELL_TEXTS = st.one_of(
    st.sampled_from(
        [
            "",
            "-",
            "--",
            "—",
            "/",
            "NA",
            "nan",
            "1,234",
            "１２",
            " 12 ",
            "85%",
            "1.2.3",
            "e5",
            "+-1",
            "1e309",
            "-1e1000",
            "1e5",
            ".5",
            "5.",
            "+7",
            "12a",
            "0012",
            "1E-3",
        ]
    ),
    st.text(alphabet="0123456789.eE+-", max_size=8),
    st.text(max_size=6),
)


def _expected_number(cell, percent_allowed, shift):
    status, number, percent = parse_number_cell(cell, percent_allowed=percent_allowed)
    if status != "ok":
        return status, None, percent
    exponent = shift if shift is not None else (-2 if percent else 0)
    value = float(number.scaleb(exponent))
    if not np.isfinite(value):
        return "not_a_number", None, percent
    return status, value, percent


@settings(max_examples=200)
@given(
    cells=st.lists(
        st.one_of(_CELL_TEXTS, decimal_texts(signed=True).map(lambda pair: pair[0])),
        max_size=12,
        unique=True,
    ),
    percent_allowed=st.booleans(),
    shift=st.sampled_from([None, 4, -2]),
)
def test_batch_number_parser_agrees_with_cell_parser(cells, percent_allowed, shift):
    values, status, percent = parse_numbers(cells, percent_allowed=percent_allowed, shift=shift)
    for i, cell in enumerate(cells):
        expected_status, expected_value, expected_percent = _expected_number(
            cell, percent_allowed, shift
        )
        assert status[i] == expected_status, cell
        assert bool(percent[i]) == expected_percent, cell
        if expected_value is None:
            assert np.isnan(values[i]), cell
        else:
            assert values[i] == expected_value, cell


def test_batch_number_parser_is_exact_under_a_unit_shift():
    # '12.35' in a 万元 column is exactly 123500 yuan; '0.1' * 10000 in floats is not exact
    values, _, _ = parse_numbers(["12.35", "0.0001", "1e2"], percent_allowed=False, shift=4)
    assert values.tolist() == [123500.0, 1.0, 1000000.0]


@settings(max_examples=200)
@given(
    cells=st.lists(
        st.one_of(_CELL_TEXTS, st.sampled_from(["　学校　", "ｘ", " a b "])),
        max_size=12,
        unique=True,
    ),
    identifier=st.booleans(),
)
def test_batch_text_parser_agrees_with_cell_parser(cells, identifier):
    expected = [parse_text_cell(cell, identifier=identifier) for cell in cells]
    assert parse_texts(cells, identifier=identifier) == expected


@settings(max_examples=200)
@given(
    cells=st.lists(
        st.one_of(st.none(), _CELL_TEXTS, st.sampled_from(["学校", "ｘ", " a", "b ", "a b"])),
        max_size=12,
    ),
    identifier=st.booleans(),
)
def test_text_column_parser_agrees_with_cell_parser(cells, identifier):
    expected = [parse_text_cell(cell, identifier=identifier) for cell in cells]
    parsed = parse_text_column(pd.Series(cells, dtype=object), identifier=identifier)
    assert parsed.tolist() == expected
