"""Reading the school table for the national method (docs: Input tables)."""

from __future__ import annotations

from os import PathLike
from typing import TYPE_CHECKING

import pandas as pd

from eduequity._deprecation import deprecated
from eduequity.io import SCHOOL_SCHEMA, LoadedTable, read_table
from eduequity.national.rules import RULES_2017

if TYPE_CHECKING:
    from collections.abc import Sequence

    from eduequity.national.rules import RuleSet

__all__ = ["load_schools", "read_schools"]

SchoolSource = pd.DataFrame | LoadedTable | str | PathLike[str]


def school_reading(
    source: SchoolSource,
    *,
    sheet: str | int | None = None,
    rules: RuleSet | None = None,
    year: int | None = None,
    strict: bool = False,
    empty_as_zero: Sequence[str] = (),
    encoding: str | None = None,
) -> LoadedTable:
    """Read and validate a school table once; a frame already validated so is returned as is.

    The national layer's own entry (the adapters call it to get the table's warnings too);
    users call :func:`read_schools` and :func:`eduequity.io.loaded_table`.
    """
    rules = RULES_2017 if rules is None else rules
    return read_table(
        source,
        SCHOOL_SCHEMA,
        table_name="schools",
        sheet=sheet,
        encoding=encoding,
        strict=strict,
        empty_as_zero=tuple(empty_as_zero),
        # The options read_school_table gives, so that a frame it validated is trusted here.
        options={
            "year": year,
            "deduct_indoor_sports": rules.flag("area.deduct_indoor_sports_from_teaching_area"),
            "min_teaching_point_students": int(rules.number("units.min_teaching_point_students")),
            "include_private": True,
            "outlier_limits": {},
        },
    )


def read_schools(
    source: SchoolSource,
    *,
    sheet: str | int | None = None,
    rules: RuleSet | None = None,
    year: int | None = None,
    strict: bool = False,
    empty_as_zero: Sequence[str] = (),
    encoding: str | None = None,
) -> pd.DataFrame:
    """Read a school table, validate it once and return the canonical frame.

    The one reader of the school table (学校基础数据表). The frame it returns is marked as
    validated: :func:`~eduequity.assess_counties`, :func:`~eduequity.assess_county`, the city
    functions and :func:`read_schools` itself use it as it is, without validating it again,
    as long as it is not changed (a changed frame is validated again where it is used). The
    reader's warnings (``unknown_column``, ``outlier_value``, ...), the header each column
    was read from and the unit conversions applied come from
    :func:`eduequity.io.loaded_table`.

    Parameters
    ----------
    source : pandas.DataFrame or path
        A DataFrame, or the path of a CSV (UTF-8, UTF-8 with BOM or GB18030) or Excel file,
        with the canonical columns of the docs page Input tables or their Chinese headers
        (学校标识码, 小学在校生数, 教学仪器设备资产值（万元）, ...).
    sheet : str or int, optional
        The sheet of a workbook to read, by name or 0-based position; by default the first
        sheet whose headers are those of a school table.
    rules : RuleSet, optional
        The rule set whose switches affect validation (the indoor-sports deduction, the
        teaching-point cut); default :data:`~eduequity.national.RULES_2017`.
    year : int, optional
        The school year to keep when the table holds several (rows of other years are
        reported, never dropped silently).
    strict : bool, optional
        Promote the warnings marked *strict* in the spec to errors.
    empty_as_zero : sequence of str, optional
        Columns whose blank cells mean 0 (by default a blank is missing, never zero).
    encoding : str, optional
        The encoding of a CSV file; by default UTF-8 (with or without BOM) or GB18030,
        detected.

    Returns
    -------
    pandas.DataFrame
        The canonical school table, marked as validated.

    Raises
    ------
    InputError
        One error listing every problem of the table, each with its row, ``school_id`` and
        column (docs: Input tables).

    Examples
    --------
    >>> import eduequity
    >>> from eduequity.datasets import demo_path
    >>> from eduequity.io import loaded_table
    >>> schools = eduequity.read_schools(demo_path("demo_county_schools.csv"))
    >>> [issue.code for issue in loaded_table(schools).issues]
    ['private_school_included']
    >>> eduequity.read_schools(schools) is schools  # validated once, trusted since
    True
    """
    return school_reading(
        source,
        sheet=sheet,
        rules=rules,
        year=year,
        strict=strict,
        empty_as_zero=empty_as_zero,
        encoding=encoding,
    ).frame


@deprecated(
    since="0.1.0",
    removal="0.2.0",
    alternative="eduequity.read_schools() and eduequity.io.loaded_table()",
    name="eduequity.national.load_schools()",
)
def load_schools(
    source: SchoolSource,
    *,
    rules: RuleSet | None = None,
    year: int | None = None,
    strict: bool = False,
    empty_as_zero: Sequence[str] = (),
    sheet: str | int | None = None,
) -> LoadedTable:
    """Read and validate a school table; return it with the warnings and the header map.

    .. deprecated:: 0.1.0
       Use :func:`read_schools`; the warnings, headers and conversions of the frame it
       returns come from :func:`eduequity.io.loaded_table`. Removal planned in 0.2.0.

    Parameters are those of :func:`read_schools`.
    """
    return school_reading(
        source, sheet=sheet, rules=rules, year=year, strict=strict, empty_as_zero=empty_as_zero
    )
