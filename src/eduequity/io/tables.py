"""Read and validate eduequity's input tables (读取与校验输入表).

Each reader accepts a :class:`pandas.DataFrame` (or an Arrow table), a CSV file (UTF-8,
UTF-8 with BOM or GB18030, detected) or a spreadsheet (``.xlsx``, ``.xlsm``, ``.xls``,
``.ods``, ``.et``; needs python-calamine, the ``excel`` extra), finds the header row below
any title, unit and note rows, leaves out totals rows (合计, 总计, 小计, reported), matches
the headers to the canonical columns
(Chinese aliases, full-width forms, units in parentheses), parses every cell and runs the
checks of the docs page Input tables. Every problem is collected: the reader raises **one**
:class:`~eduequity.errors.InputError` listing all of them, or returns a
:class:`LoadedTable` whose :attr:`~LoadedTable.issues` hold the warnings.

Storage conventions of :attr:`LoadedTable.frame`:

- text and enum columns: ``object`` dtype holding :class:`str`, ``None`` when missing;
  identifiers (``school_id``, ``county_code``, ...) keep their leading zeros;
- numbers of every kind (counts, decimals, rates, years): ``float64``, ``NaN`` when
  missing. Counts are whole numbers (checked) stored as floats, so ratios need no casts.
  Numbers read from text are parsed as decimals and rounded once to the nearest float, so
  ``repr`` of a value gives back the decimal as typed (up to 15 significant digits);
  header unit conversions (万元, %) are applied to the decimal before that rounding;
- booleans: pandas ``"boolean"`` dtype (``<NA>`` when missing); dates: ``datetime64[ns]``;
- the index: the row number in the file (the header is row 1 unless title rows stand
  above it) for files, the original index for data frames, so later messages can still name
  the row.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Hashable, Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any

import attrs
import pandas as pd

from eduequity._deprecation import deprecated
from eduequity._serialize import attrs_to_dict, to_jsonable
from eduequity._typing import JSONValue
from eduequity.errors import InputError, Issue
from eduequity.io._facts import COUNTY_FACTS_SCHEMA, MONITORING_SCHEMA
from eduequity.io._reader import run
from eduequity.io._school import SCHOOL_SCHEMA
from eduequity.io._spec import TableSchema
from eduequity.io._survey import SURVEY_SCHEMA
from eduequity.io._trust import freeze, stamp, stamped

__all__ = [
    "LoadedTable",
    "loaded_table",
    "read_county_facts",
    "read_monitoring",
    "read_school_table",
    "read_survey",
    "read_table",
]


@attrs.frozen(kw_only=True)
class LoadedTable:
    """A validated input table in canonical form, with what the reader noticed.

    Examples
    --------
    >>> import pandas as pd
    >>> from eduequity.io import read_monitoring
    >>> table = read_monitoring(pd.DataFrame({
    ...     "县（市、区）": ["历下区"], "监测年度": ["2024"], "学科": ["数学"],
    ...     "学业水平": ["Ⅲ"], "校际差异率": ["0.12"]}))
    >>> table.frame.loc[0, "level"], table.headers["level"]
    ('III', '学业水平')
    """

    table: str
    """Table name used in issues, e.g. ``"schools"``."""
    frame: pd.DataFrame = attrs.field(eq=False)
    """The rows in canonical columns (see the module notes for dtypes and the index)."""
    issues: tuple[Issue, ...] = ()
    """Warnings found while reading (errors are raised, never returned)."""
    headers: Mapping[str, str] = attrs.field(factory=dict, converter=MappingProxyType)
    """Canonical column → the header it was read from."""
    conversions: tuple[str, ...] = ()
    """Unit conversions, derivations, the header row found and the rows above it skipped, the
    sheet chosen, blank rows skipped and blanks read as 0, one note each, e.g.
    ``"equipment_value_yuan: header unit 万元, multiplied by 10000"``."""
    source: str = ""
    """Where the rows came from, e.g. ``"CSV file 'schools.csv' (encoding gb18030)"``."""
    empty_as_zero: tuple[str, ...] = ()
    """Columns whose blanks were read as 0 at the caller's request."""
    rows_read: int = 0
    """Data rows in the source (blank, note and totals rows excluded); ``len(frame)`` after a
    year selection."""

    def to_dict(self) -> dict[str, JSONValue]:
        """Return a JSON-safe mapping; the frame becomes a list of records (NA → None)."""
        result = attrs_to_dict(attrs.evolve(self, frame=pd.DataFrame()))
        frame = self.frame.astype(object)
        frame = frame.where(frame.notna(), None)
        result["frame"] = to_jsonable(frame)
        return result


Source = pd.DataFrame | LoadedTable | str | os.PathLike[str]
"""What the readers accept: a frame (or a reader's :class:`LoadedTable`) or a file path."""

_NO_FRAME = pd.DataFrame()


def _finish(
    result: Any,  # noqa: ANN401 - RunResult
    table: str,
    empty_as_zero: Collection[str],
    schema: TableSchema,
    options: Hashable,
) -> LoadedTable:
    if result.errors:
        raise InputError((*result.errors, *result.warnings), table=table)
    loaded = LoadedTable(
        table=table,
        frame=result.frame,
        issues=result.warnings,
        headers=dict(result.headers),
        conversions=result.conversions,
        source=result.source,
        empty_as_zero=tuple(empty_as_zero),
        rows_read=result.rows_read,
    )
    # The stamp keeps the report without the frame: the frame holds the stamp, not back.
    stamp(result.frame, schema, options, attrs.evolve(loaded, frame=_NO_FRAME))
    return loaded


def _validated(source: object, schema: TableSchema, options: Hashable) -> LoadedTable | None:
    """Return the reading of ``source`` when it is a frame a reader validated and unchanged."""
    if not isinstance(source, pd.DataFrame):
        return None
    kept = stamped(source, schema, options)
    return attrs.evolve(kept, frame=source) if isinstance(kept, LoadedTable) else None


def _run(
    source: Source,
    schema: TableSchema,
    *,
    table: str,
    sheet: str | int | None,
    encoding: str | None,
    strict: bool,
    empty_as_zero: Collection[str],
    value_maps: Mapping[str, Mapping[str, str]],
    options: Mapping[str, Any],
) -> LoadedTable:
    """Validate ``source`` against ``schema``, unless it is a frame already validated so."""
    if isinstance(source, LoadedTable):
        source = source.frame
    key = freeze(
        {
            "table": table,
            "strict": strict,
            "empty_as_zero": tuple(empty_as_zero),
            "value_maps": value_maps,
            "options": options,
        }
    )
    known = _validated(source, schema, key)
    if known is not None:
        return known
    result = run(
        source,
        schema,
        table=table,
        sheet=sheet,
        encoding=encoding,
        strict=strict,
        empty_as_zero=tuple(empty_as_zero),
        value_maps=value_maps,
        options=options,
    )
    return _finish(result, table, empty_as_zero, schema, key)


def loaded_table(frame: pd.DataFrame) -> LoadedTable | None:
    """Return what the reader noticed about a frame it returned: warnings, headers, units.

    Every reader of eduequity returns a frame marked as validated (for
    :func:`eduequity.read_schools`, the frame itself; for the others,
    :attr:`LoadedTable.frame`). Passed on unchanged to another reader or to an adapter
    (:func:`~eduequity.assess_counties`, :func:`~eduequity.assess_county`, the city and
    checklist functions), such a frame is used as it is, never validated again. A frame that
    was changed since (a cell written, a column added, rows selected, a copy) is not trusted:
    it is validated again where it is used, and this function returns ``None`` for it.

    Parameters
    ----------
    frame : pandas.DataFrame
        A frame returned by a reader.

    Returns
    -------
    LoadedTable or None
        The reading, with :attr:`~LoadedTable.frame` set to ``frame``; ``None`` when the
        frame does not come from a reader or was changed since.

    Examples
    --------
    >>> import pandas as pd
    >>> from eduequity.io import loaded_table, read_monitoring
    >>> frame = read_monitoring(pd.DataFrame({
    ...     "县（市、区）": ["历下区"], "监测年度": ["2024"], "学科": ["体育与健康"],
    ...     "学业水平": ["Ⅲ"], "校际差异率": ["0.12"]})).frame
    >>> loaded_table(frame).headers["subject"]
    '学科'
    >>> frame.loc[0, "inter_school_difference_rate"] = 0.5
    >>> loaded_table(frame) is None
    True
    """
    kept = stamped(frame, None, None)
    return attrs.evolve(kept, frame=frame) if isinstance(kept, LoadedTable) else None


def read_table(
    source: Source,
    schema: TableSchema,
    *,
    table_name: str | None = None,
    sheet: str | int | None = None,
    encoding: str | None = None,
    strict: bool = False,
    empty_as_zero: Collection[str] = (),
    value_maps: Mapping[str, Mapping[str, str]] | None = None,
    options: Mapping[str, Any] | None = None,
) -> LoadedTable:
    """Read ``source`` against a :class:`~eduequity.io.TableSchema` and validate it.

    Parameters
    ----------
    source
        A :class:`pandas.DataFrame` (or an object with ``to_pandas()``, such as a
        ``pyarrow.Table``), or the path of a ``.csv``/``.txt`` file or of a spreadsheet
        (``.xlsx``, ``.xlsm``, ``.xls``, ``.ods``, ``.et``). The header row of a file is the
        first of its first 30 rows that names the most columns of ``schema``: title, unit and
        note rows above it are skipped, a unit row under it gives the headers' units, and
        rows whose id or name reads 合计, 总计 or 小计 are left out with warning
        ``totals_row`` (also for data frames). A frame a reader returned (or its
        :class:`LoadedTable`), unchanged since and read against the same schema with the same
        options, is returned as it is without validating it again (see :func:`loaded_table`).
    schema
        The table's columns and checks.
    table_name
        Name used in issues; defaults to ``schema.name``.
    sheet
        Sheet name or 0-based position in a workbook; by default the first sheet whose
        headers match ``schema`` (with several sheets and none matching, an error lists them).
    encoding
        CSV encoding; by default UTF-8 (with or without BOM), then GB18030, is tried; a
        UTF-8 file with a few invalid bytes is an error (``mixed_encoding``), never decoded
        as GB18030.
    strict
        Promote the warnings the schema marks *strict* (``evidence_missing``) to errors.
    empty_as_zero
        Numeric columns whose missing cells mean 0 (docs: Input tables); listed in the
        result.
    value_maps
        Explicit extra labels per enum column, e.g.
        ``{"respondent_group": {"人大代表、政协委员": "deputy"}}``.
    options
        Values the schema's checks read (rule-set parameters, a selected year, ...).

    Returns
    -------
    LoadedTable
        The canonical frame, the warnings, the matched headers and the conversions.

    Raises
    ------
    InputError
        Listing **every** error found (docs: Input tables), one per line as
        ``[code] row R (key), column C (header 'H'): what is wrong @ location``.
    InputError
        Also for a CSV row shorter than the header (``short_row``) and an ``.xlsx`` formula
        stored without its value (``formula_without_value``).
    InvalidArgumentError
        For an unreadable, empty or header-only file (codes ``unreadable_file``,
        ``empty_table``), an unknown sheet (``sheet_not_found``) or encoding, or a bad option.
    EduEquityError
        With code ``missing_dependency`` when a spreadsheet is given without python-calamine.

    Examples
    --------
    >>> import pandas as pd
    >>> from eduequity.io import ColumnSpec, TableSchema, read_table
    >>> schema = TableSchema(name="demo", title="demo table", columns=(
    ...     ColumnSpec(name="pupils", kind="count", aliases=("学生数",), required=True),))
    >>> read_table(pd.DataFrame({"学生数": ["１２", "1,234"]}), schema).frame["pupils"].tolist()
    [12.0, 1234.0]
    >>> read_table(pd.DataFrame({"学生数": ["12.5"]}), schema)
    Traceback (most recent call last):
    ...
    eduequity.errors.InputError: 1 problem in table 'demo':
      - [non_integer_count] row 0, column pupils (header '学生数'): '12.5' is not a whole ...
    """
    return _run(
        source,
        schema,
        table=table_name or schema.name,
        sheet=sheet,
        encoding=encoding,
        strict=strict,
        empty_as_zero=empty_as_zero,
        value_maps=value_maps or {},
        options=options or {},
    )


@deprecated(
    since="0.1.0",
    removal="0.2.0",
    alternative="eduequity.read_schools()",
    name="eduequity.io.read_school_table()",
)
def read_school_table(
    source: Source,
    *,
    year: int | None = None,
    strict: bool = False,
    empty_as_zero: Collection[str] = (),
    deduct_indoor_sports: bool = True,
    min_teaching_point_students: int = 50,
    include_private: bool = True,
    outlier_limits: Mapping[str, Decimal | float] | None = None,
    value_maps: Mapping[str, Mapping[str, str]] | None = None,
    sheet: str | int | None = None,
    encoding: str | None = None,
    table_name: str = "schools",
) -> LoadedTable:
    """Read the school table (学校基础数据表, docs: Input tables) and run every check of §1.5.

    .. deprecated:: 0.1.0
       Use :func:`eduequity.read_schools`, which returns the validated frame; its warnings,
       headers and conversions come from :func:`loaded_table`. Removal planned in 0.2.0.

    One row per school or per site reported under a parent school (``parent_school_id``,
    不计校数). Sites are checked against their parent but left in the frame: merging them is
    the national layer's step (docs: The national method, Which schools enter: unit preparation).

    Parameters
    ----------
    source
        Data frame, CSV or Excel path (see :func:`read_table`).
    year
        Keep only this school year (start year). Rows of other years are excluded and
        counted in warning ``other_years_excluded``; without it, several years in the
        ``year`` column are an error (``mixed_years``).
    strict
        Promote the *strict* warnings to errors.
    empty_as_zero
        Numeric columns whose blanks mean 0, e.g. ``("students_senior",)``.
    deduct_indoor_sports
        Rule-set parameter ``deduct_indoor_sports_from_teaching_area``; when true,
        ``indoor_sports_area_m2 > teaching_aux_area_m2`` is an error.
    min_teaching_point_students
        Rule-set parameter: a teaching point (教学点) with fewer pupils (zero included) is
        excluded later, so it is not rejected for zero enrolment or missing resources.
    include_private
        Rule-set parameter; when false every compulsory school needs ``ownership``.
    outlier_limits
        Overrides of :data:`~eduequity.io.OUTLIER_LIMITS` for warning ``outlier_value``.
    value_maps
        Explicit extra enum labels, e.g. ``{"school_type": {"九年制": "nine_year"}}``.
    sheet, encoding, table_name
        See :func:`read_table`.

    Returns
    -------
    LoadedTable
        Counts stored as float64 whole numbers; the warnings of §1.5 in ``issues``.

    Raises
    ------
    InputError
        Listing every error of §1.5 at once.
    """
    limits = {key: Decimal(str(value)) for key, value in (outlier_limits or {}).items()}
    return _run(
        source,
        SCHOOL_SCHEMA,
        table=table_name,
        sheet=sheet,
        encoding=encoding,
        strict=strict,
        empty_as_zero=tuple(empty_as_zero),
        value_maps=value_maps or {},
        options={
            "year": year,
            "deduct_indoor_sports": deduct_indoor_sports,
            "min_teaching_point_students": min_teaching_point_students,
            "include_private": include_private,
            "outlier_limits": limits,
        },
    )


def read_county_facts(
    source: Source,
    *,
    strict: bool = False,
    empty_as_zero: Collection[str] = (),
    sheet: str | int | None = None,
    encoding: str | None = None,
    table_name: str = "county_facts",
) -> LoadedTable:
    """Read the county-facts table (县级事实表, docs: Input tables).

    One row per county and assessment year. Where a rate and its counts are both given the
    counts win: the rate column is replaced by ``numerator / denominator`` (noted in
    ``conversions``), with warning ``rate_count_mismatch`` when the two differ by more than
    0.0005. A missing field is not an error (the indicator becomes ``incomplete`` later);
    an invalid one is. A declared field that is true without ``<field>_evidence`` gives
    warning ``evidence_missing``, an error under ``strict=True``.

    Parameters
    ----------
    source
        Data frame, CSV or Excel path (see :func:`read_table`).
    strict
        Promote ``evidence_missing`` to an error.
    empty_as_zero, sheet, encoding, table_name
        See :func:`read_table`.

    Returns
    -------
    LoadedTable
        Rates as fractions, money in yuan, booleans as the ``"boolean"`` dtype.

    Raises
    ------
    InputError
        Listing every error of §2.1.

    Examples
    --------
    >>> import pandas as pd
    >>> from eduequity.io import read_county_facts
    >>> facts = read_county_facts(pd.DataFrame({
    ...     "县区": ["历下区"], "评估年度": [2024], "交流轮岗比例（%）": ["12"],
    ...     "规划布局合理": ["是"], "规划布局合理佐证材料": ["济历政发〔2023〕5号"]}))
    >>> float(facts.frame.loc[0, "teacher_rotation"]), bool(facts.frame.loc[0, "layout_planning"])
    (0.12, True)
    """
    return _run(
        source,
        COUNTY_FACTS_SCHEMA,
        table=table_name,
        sheet=sheet,
        encoding=encoding,
        strict=strict,
        empty_as_zero=empty_as_zero,
        value_maps={},
        options={},
    )


def read_monitoring(
    source: Source,
    *,
    sheet: str | int | None = None,
    encoding: str | None = None,
    table_name: str = "monitoring",
) -> LoadedTable:
    """Read the monitoring results (质量监测结果, docs: Input tables).

    One row per county, year, subject and grade. ``level`` is stored as ``"I"``–``"IV"``
    (Ⅰ/Ⅱ/Ⅲ/Ⅳ, I–IV, 1–4 and 水平Ⅲ are accepted); known subject aliases are mapped
    (体育与健康 → 体育, 道德与法治 → 德育) and other subjects kept with warning
    ``unknown_subject``.

    Parameters
    ----------
    source
        Data frame, CSV or Excel path (see :func:`read_table`).
    sheet, encoding, table_name
        See :func:`read_table`.

    Returns
    -------
    LoadedTable
        The monitoring rows.

    Raises
    ------
    InputError
        Listing every error of §2.2.
    """
    return _run(
        source,
        MONITORING_SCHEMA,
        table=table_name,
        sheet=sheet,
        encoding=encoding,
        strict=False,
        empty_as_zero=(),
        value_maps={},
        options={},
    )


def read_survey(
    source: Source,
    *,
    group_map: Mapping[str, str] | None = None,
    value_maps: Mapping[str, Mapping[str, str]] | None = None,
    sheet: str | int | None = None,
    encoding: str | None = None,
    table_name: str = "survey",
) -> LoadedTable:
    """Read survey responses (社会认可度调查, docs: Input tables), one row per answer.

    Answer labels stay text; the scoring matches them to a scale (docs: The national method, Part 4:
    social recognition). Blank answers are kept and counted per county in warning ``blank_answer``.

    Parameters
    ----------
    source
        Data frame, CSV or Excel path (see :func:`read_table`).
    group_map
        Explicit respondent-group labels, e.g. ``{"人大代表、政协委员": "deputy"}``; a
        combined label without a mapping is error ``ambiguous_group``.
    value_maps
        Extra labels of the other enum columns (``questionnaire``, ``location``,
        ``component``).
    sheet, encoding, table_name
        See :func:`read_table`.

    Returns
    -------
    LoadedTable
        The answers, with ``respondent_group`` in canonical form.

    Raises
    ------
    InputError
        Listing every error of §3.

    Examples
    --------
    >>> import pandas as pd
    >>> from eduequity.io import read_survey
    >>> survey = read_survey(pd.DataFrame({
    ...     "县区": ["历下区", "历下区"], "调查对象": ["家长", "人大代表、政协委员"],
    ...     "满意度": ["满意", "基本满意"]}),
    ...     group_map={"人大代表、政协委员": "deputy"})
    >>> survey.frame["respondent_group"].tolist()
    ['parent', 'deputy']
    """
    maps = {key: dict(value) for key, value in (value_maps or {}).items()}
    if group_map:
        maps.setdefault("respondent_group", {}).update(group_map)
    return _run(
        source,
        SURVEY_SCHEMA,
        table=table_name,
        sheet=sheet,
        encoding=encoding,
        strict=False,
        empty_as_zero=(),
        value_maps=maps,
        options={},
    )
