"""Reading the school table for the national method (``data-schema.md`` §1)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from eduequity.io.tables import LoadedTable, read_school_table
from eduequity.national.rules import RULES_2017

if TYPE_CHECKING:
    from collections.abc import Sequence
    from os import PathLike

    from eduequity.national.rules import RuleSet

__all__ = ["load_schools", "read_schools"]


def load_schools(
    source: pd.DataFrame | str | PathLike[str],
    *,
    rules: RuleSet | None = None,
    year: int | None = None,
    strict: bool = False,
    empty_as_zero: Sequence[str] = (),
    sheet: str | int | None = None,
    encoding: str | None = None,
) -> LoadedTable:
    """Read and validate a school table; return it with the warnings and the header map.

    Parameters are those of :func:`read_schools`. The returned
    :class:`~eduequity.io.tables.LoadedTable` carries the canonical frame, every warning
    (``unknown_column``, ``outlier_value``, ...), the original header of each column and the
    unit conversions applied.
    """
    rules = RULES_2017 if rules is None else rules
    options: dict[str, Any] = {
        "year": year,
        "strict": strict,
        "empty_as_zero": tuple(empty_as_zero),
        "deduct_indoor_sports": rules.flag("area.deduct_indoor_sports_from_teaching_area"),
        "min_teaching_point_students": int(rules.number("units.min_teaching_point_students")),
    }
    return read_school_table(source, sheet=sheet, encoding=encoding, **options)


def read_schools(
    source: pd.DataFrame | str | PathLike[str],
    *,
    rules: RuleSet | None = None,
    year: int | None = None,
    strict: bool = False,
    empty_as_zero: Sequence[str] = (),
    sheet: str | int | None = None,
    encoding: str | None = None,
) -> pd.DataFrame:
    """Read a school table and return the validated canonical frame.

    Parameters
    ----------
    source : pandas.DataFrame or path
        A DataFrame, or the path of a CSV (UTF-8, UTF-8 with BOM or GB18030) or Excel file,
        with the canonical columns of ``data-schema.md`` §1 or their Chinese headers
        (学校标识码, 小学在校生数, 教学仪器设备资产值（万元）, ...).
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
    sheet : str or int, optional
        The sheet of a workbook to read, by name or 0-based position; by default the first
        sheet whose headers are those of a school table.
    encoding : str, optional
        The encoding of a CSV file; by default UTF-8 (with or without BOM) or GB18030,
        detected.

    Returns
    -------
    pandas.DataFrame
        The canonical school table.

    Raises
    ------
    InputError
        One error listing every problem of the table, each with its row, ``school_id`` and
        column (``data-schema.md`` §1.5).
    """
    return load_schools(
        source,
        rules=rules,
        year=year,
        strict=strict,
        empty_as_zero=empty_as_zero,
        sheet=sheet,
        encoding=encoding,
    ).frame
