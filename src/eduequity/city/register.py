"""The county register (县域创建名册): reading, validation and the current status of every unit.

One row per county-level unit, program and status event (docs: Input tables;
docs: The creation checklist and city aggregation, City aggregation). The reader accepts a data
frame, a CSV or an Excel file with canonical or Chinese headers (地市, 县（市、区）/区市, 类型,
创建类别, 状态, 年度/年份, 公布日期, 批次, 先行创建县, 基本均衡认定年份, 备注) and Chinese status
labels (创建中, 已申报, 通过省级督导评估, 通过国家认定, ...). It reuses the generic table reader of
:mod:`eduequity.io` with :data:`REGISTER_SCHEMA` and adds the checks of §5:

==================================== ======== ================================================
code                                 severity condition
==================================== ======== ================================================
``missing_required_column``          error    ``city``, ``county`` or ``status`` absent;
                                              ``status_year`` absent while a status other than
                                              ``not_started`` occurs
``unknown_value``                    error    status, program or unit kind not recognised
``missing_year``                     error    a status other than ``not_started`` without
                                              ``status_year``
``duplicate_event``                  error    the same county, program, status and year twice
``event_order_inconsistent``         error    a step dated strictly before every recorded event
                                              of a step it requires (see Notes)
``batch_without_year``               error    ``batch`` given without ``status_year``
``county_in_two_cities``             error    one county listed under two cities
``basic_balance_year_inconsistent``  error    a county's rows give different
                                              ``basic_balance_year`` values, or its
                                              ``basic_balance`` recognition has another
                                              ``status_year``
``recognition_before_precondition``  warning  ``quality_balance`` recognised before
                                              ``basic_balance_year + 3`` (rule-set entry
                                              ``precondition.basic_balance_recognition.min_years``)
``status_regression``                warning  a later event has a lower status and no ``note``
``unit_count_mismatch``              warning  the register's units differ from the declared
                                              ``city_units`` (missing or extra units)
``county_not_in_register``           warning  a county of another table (``other_counties``) is
                                              missing from the register
``future_date``                      warning  ``status_date`` or ``status_year`` after ``today``
==================================== ======== ================================================

Notes
-----
**Order of events.** Within a county and program, events are ordered by ``status_year``
(missing first: an undated ``not_started``), ``status_date`` (missing first) and then the status
order of :data:`STATUS_ORDER`; ``withdrawn`` (撤销) sorts after every other status of the same
moment. The current status is the last event (docs: The creation checklist and city aggregation,
City aggregation). Batch labels are kept verbatim and never parsed.

**Event order.** ``provincially_assessed`` requires ``applied``; ``nationally_recognized``
requires ``applied`` and ``provincially_assessed`` (:data:`PREREQUISITES`). A step is
inconsistent when the register records events of a required step for the same county and
program but every one of them is strictly later (a later year, or the same year with both
dates given and a later date): e.g. recognised in 2023 while the only application is dated 2024.
A required step dated at or before the step is an application; a further one after it is a
re-application and allowed. A register that lists only recognitions is consistent.

**Regression.** A ``status_regression`` is an event strictly later than the previous event of
the same county and program whose status order is lower, where neither is ``withdrawn``; a
``note`` (备注) explaining it silences the warning.

Storage in :attr:`CountyRegister.frame`: the columns of :data:`REGISTER_COLUMNS`, always all
present; text and enums as ``object`` (``None`` when missing; ``program`` defaults to
``"quality_balance"``); years as float64 (NaN when missing); ``status_date`` as
``datetime64[ns]``; ``pioneer`` as pandas ``"boolean"``. The index names the source rows
(row numbers in the file, the header being row 1 unless title rows stand above it; the index
labels for data frames).

Examples
--------
>>> import pandas as pd
>>> from eduequity.city import read_register
>>> register = read_register(pd.DataFrame({
...     "地市": ["潍坊市"] * 3,
...     "县（市、区）": ["寒亭区", "奎文区", "坊子区"],
...     "状态": ["通过国家认定", "国家认定", "已申报"],
...     "年度": [2024, 2024, 2025],
...     "批次": ["首批", "第二批", None],
...     "公布日期": [None, "2025-03-17", None],
... }), today="2025-03-31")
>>> register.current()[["county", "status", "status_year", "batch"]].to_numpy().tolist()
... # doctest: +NORMALIZE_WHITESPACE
[['坊子区', 'applied', 2025.0, None],
 ['奎文区', 'nationally_recognized', 2024.0, '第二批'],
 ['寒亭区', 'nationally_recognized', 2024.0, '首批']]
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Collection, Iterable, Mapping, Sequence
from functools import partial
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, TypeAlias

import attrs
import numpy as np
import pandas as pd

from eduequity._serialize import to_jsonable
from eduequity._typing import BoolArray, FloatArray, JSONValue
from eduequity._validation import date_argument
from eduequity._vocabulary import vocabulary
from eduequity.errors import InvalidArgumentError, InvalidTypeError, Issue
from eduequity.io import ColumnSpec, EnumSpec, TableSchema, read_table
from eduequity.national import RULES_2017

if TYPE_CHECKING:
    from eduequity.io import TableContext

__all__ = [
    "PREREQUISITES",
    "PROGRAMS",
    "PROGRAM_LABELS",
    "REGISTER_COLUMNS",
    "REGISTER_SCHEMA",
    "STATUS_LABELS",
    "STATUS_ORDER",
    "UNIT_KIND_LABELS",
    "CountyRegister",
    "RegisterSource",
    "read_register",
]

_TABLE: Final = "register"

_STATUSES: Final = vocabulary("register_statuses")

STATUS_LABELS: Final[Mapping[str, str]] = _STATUSES.labels
"""Register statuses in pipeline order with their Chinese labels (docs: The creation checklist and
city aggregation, City aggregation); ``withdrawn`` is optional and [M]."""

STATUS_ORDER: Final[Mapping[str, int]] = _STATUSES.ranks("rank")
"""Order of the pipeline statuses (docs: The creation checklist and city aggregation, City
aggregation); ``withdrawn`` has none: a withdrawn unit is at or beyond no status."""

_SORT_RANK: Final[Mapping[str, int]] = MappingProxyType(
    {
        **STATUS_ORDER,
        **{code: len(STATUS_ORDER) for code in _STATUSES.codes if code not in STATUS_ORDER},
    }
)

PROGRAMS: Final[tuple[str, ...]] = vocabulary("programs").codes
"""Programs a register may hold (docs: Input tables); the default is ``quality_balance``."""

PROGRAM_LABELS: Final[Mapping[str, str]] = vocabulary("programs").labels
"""Chinese names of the programs (创建类别)."""

UNIT_KIND_LABELS: Final[Mapping[str, str]] = vocabulary("unit_kinds").labels
"""Kinds of county-level units (类型); functional zones (开发区, 功能区) are real units of the
denominator when the province assesses them (docs: The creation checklist and city aggregation, City
aggregation)."""

PREREQUISITES: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {status: steps for status, steps in _STATUSES.strings("requires").items() if steps}
)
"""Steps each pipeline status requires, for ``event_order_inconsistent`` (see the module
notes)."""

REGISTER_COLUMNS: Final[tuple[str, ...]] = (
    "city",
    "county",
    "county_code",
    "unit_kind",
    "program",
    "status",
    "status_year",
    "status_date",
    "batch",
    "pioneer",
    "basic_balance_year",
    "note",
)
"""Canonical columns of the register, in output order (docs: Input tables)."""

_PRECONDITION_KEY: Final = "precondition.basic_balance_recognition.min_years"

RegisterSource: TypeAlias = "pd.DataFrame | str | os.PathLike[str]"
"""What :func:`read_register` accepts: a data frame or a CSV/Excel path."""


_STATUS_ENUM: Final = EnumSpec.from_vocabulary("register_statuses")
_PROGRAM_ENUM: Final = EnumSpec.from_vocabulary("programs")
_UNIT_KIND_ENUM: Final = EnumSpec.from_vocabulary("unit_kinds")


# --------------------------------------------------------------------------------------
# checks (they run inside eduequity.io.read_table and record issues on the context)


def _today(ctx: TableContext) -> dt.date:
    today = ctx.options.get("today")
    return today if isinstance(today, dt.date) else dt.date.today()  # noqa: DTZ011 - a calendar date


def _year_text(value: float) -> str:
    return "?" if np.isnan(value) else str(int(value))


def _date_text(value: object) -> str:
    if value is None or value is pd.NaT:
        return ""
    stamp: object = pd.Timestamp(value)  # type: ignore[arg-type]
    return stamp.date().isoformat() if isinstance(stamp, pd.Timestamp) else ""


def _event_text(status: object, year: float, date: object) -> str:
    when = _year_text(year)
    day = _date_text(date)
    if day:
        when += f", {day}"
    return f"{status} ({STATUS_LABELS.get(str(status), '?')}) in {when}"


def _fill_program(ctx: TableContext) -> None:
    """Default a missing ``program`` to ``quality_balance`` (prepare step)."""
    programs = ctx.texts("program")
    invalid = ctx.invalid_cells("program")
    filled = np.where(
        (pd.isna(pd.Series(programs)).to_numpy(dtype=np.bool_)) & ~invalid,
        "quality_balance",
        programs,
    )
    ctx.frame["program"] = pd.Series(filled, index=ctx.frame.index, dtype=object)


def _events(ctx: TableContext) -> pd.DataFrame:
    """County, program, status, order, year, date and position of the rows that are known."""
    dates = (
        ctx.frame["status_date"].reset_index(drop=True)
        if ctx.has("status_date")
        else pd.Series(pd.NaT, index=range(len(ctx.frame)), dtype="datetime64[ns]")
    )
    frame = pd.DataFrame(
        {
            "county": pd.Series(ctx.texts("county"), dtype=object),
            "program": pd.Series(ctx.texts("program"), dtype=object),
            "status": pd.Series(ctx.texts("status"), dtype=object),
            "year": ctx.numbers("status_year"),
            "date": dates,
            "position": np.arange(len(ctx.frame)),
        }
    )
    frame["rank"] = frame["status"].map(dict(_SORT_RANK))
    known = frame["county"].notna() & frame["program"].notna() & frame["status"].notna()
    return frame[known]


def _check_year(ctx: TableContext) -> None:
    """``missing_required_column`` (status_year), ``missing_year`` and ``batch_without_year``."""
    statuses = ctx.texts("status")
    dated = np.array(
        [status is not None and status != "not_started" for status in statuses], dtype=np.bool_
    )
    if not ctx.has("status_year"):
        if dated.any():
            ctx.add(
                "missing_required_column",
                "required column status_year is missing: statuses other than not_started "
                f"occur ({ctx.rows_text(np.flatnonzero(dated))}); accepted headers: "
                "'status_year', '年度', '年份'",
                column="status_year",
            )
        return
    missing = ctx.missing("status_year")
    ctx.flag(
        "missing_year",
        dated & missing,
        column="status_year",
        describe=lambda i: (
            f"status {_event_text(statuses[i], np.nan, None).split(' in ')[0]} needs "
            "status_year, the year of the published list or decision (年度)"
        ),
    )
    batches = ctx.texts("batch")
    ctx.flag(
        "batch_without_year",
        ctx.present("batch") & missing,
        column="batch",
        describe=lambda i: (
            f"batch {batches[i]!r} is given without status_year; a batch belongs to the "
            "list of a year (give 年度)"
        ),
        value=lambda i: str(batches[i]),
    )


def _rows_by(frame: pd.DataFrame, keys: list[str]) -> dict[tuple[Any, ...], list[int]]:
    """Positions of the rows of each key (called on the faulty rows only)."""
    rows: dict[tuple[Any, ...], list[int]] = {}
    for key, position in zip(
        frame[keys].itertuples(index=False, name=None), frame["position"].tolist(), strict=True
    ):
        rows.setdefault(tuple("\0nan" if pd.isna(part) else part for part in key), []).append(
            int(position)
        )
    return rows


def _check_duplicates(ctx: TableContext) -> None:
    """``duplicate_event``: the same county, program, status and year twice."""
    events = _events(ctx)
    keys = ["county", "program", "status", "year"]
    repeated = events.duplicated(keys, keep="first").to_numpy(dtype=np.bool_)
    if not repeated.any():
        return
    clashing = events[events.duplicated(keys, keep=False).to_numpy(dtype=np.bool_)]
    rows_of = _rows_by(clashing, keys)
    mask = np.zeros(len(ctx.frame), dtype=np.bool_)
    mask[events["position"].to_numpy()[repeated]] = True
    lookup = {
        int(position): tuple("\0nan" if pd.isna(part) else part for part in key)
        for key, position in zip(
            clashing[keys].itertuples(index=False, name=None),
            clashing["position"].tolist(),
            strict=True,
        )
    }

    def describe(i: int) -> str:
        county, program, status, year = lookup[i]
        when = "without a year" if year == "\0nan" else f"in {int(year)}"
        return (
            f"county {county}, program {program}: status {status} {when} appears on "
            f"{ctx.rows_text(rows_of[lookup[i]])}; one event per county, program, status "
            "and year"
        )

    ctx.flag("duplicate_event", mask, column="status", describe=describe)


def _strictly_after(
    year: np.ndarray, date: np.ndarray, other_year: np.ndarray, other_date: np.ndarray
) -> BoolArray:
    """Whether (year, date) is strictly after (other_year, other_date); dates only break ties."""
    later_year = year > other_year
    same_year = year == other_year
    both_dates = ~pd.isna(date) & ~pd.isna(other_date)
    with np.errstate(invalid="ignore"):
        later_date = np.zeros(year.size, dtype=np.bool_)
        later_date[both_dates] = date[both_dates] > other_date[both_dates]
    return np.asarray(later_year | (same_year & both_dates & later_date), dtype=np.bool_)


def _check_order(ctx: TableContext) -> None:
    """``event_order_inconsistent``: a step strictly earlier than every event of a prerequisite."""
    events = _events(ctx)
    events = events[events["year"].notna()]
    if events.empty:
        return
    # Earliest event of each county, program and status (year, then date, missing date last).
    ordered = events.sort_values(["year", "date"], kind="mergesort", na_position="last")
    earliest = ordered.drop_duplicates(["county", "program", "status"], keep="first")
    mask = np.zeros(len(ctx.frame), dtype=np.bool_)
    named: dict[int, tuple[str, int]] = {}
    for step, required in PREREQUISITES.items():
        steps = events[events["status"] == step]
        for prerequisite in required:
            first = earliest[earliest["status"] == prerequisite]
            if steps.empty or first.empty:
                continue
            joined = steps.merge(
                first[["county", "program", "year", "date", "position"]],
                on=["county", "program"],
                suffixes=("", "_required"),
            )
            bad = _strictly_after(
                joined["year_required"].to_numpy(),
                joined["date_required"].to_numpy(),
                joined["year"].to_numpy(),
                joined["date"].to_numpy(),
            )
            for position, other in zip(
                joined["position"].to_numpy()[bad],
                joined["position_required"].to_numpy()[bad],
                strict=True,
            ):
                if not mask[position]:
                    mask[position] = True
                    named[int(position)] = (prerequisite, int(other))
    if not mask.any():
        return
    statuses = ctx.texts("status")
    years = ctx.numbers("status_year")
    dates = ctx.frame["status_date"].to_numpy() if ctx.has("status_date") else None
    counties = ctx.texts("county")

    def describe(i: int) -> str:
        prerequisite, j = named[i]
        this = _event_text(statuses[i], years[i], None if dates is None else dates[i])
        other = _event_text(statuses[j], years[j], None if dates is None else dates[j])
        return (
            f"county {counties[i]}: {this} comes before its required step {prerequisite}, "
            f"whose earliest event is {other} (row {ctx.label(j)}); correct the years or "
            "dates"
        )

    ctx.flag("event_order_inconsistent", mask, column="status_year", describe=describe)


def _check_cities(ctx: TableContext) -> None:
    """``county_in_two_cities``: every row whose city differs from the county's first city."""
    frame = pd.DataFrame(
        {
            "county": pd.Series(ctx.texts("county"), dtype=object),
            "city": pd.Series(ctx.texts("city"), dtype=object),
            "position": np.arange(len(ctx.frame)),
        }
    ).dropna(subset=["county", "city"])
    if frame.empty:
        return
    first_city = frame.groupby("county", sort=False)["city"].transform("first")
    other = (frame["city"] != first_city).to_numpy(dtype=np.bool_)
    if not other.any():
        return
    first_row = frame.drop_duplicates("county", keep="first").set_index("county")["position"]
    mask = np.zeros(len(ctx.frame), dtype=np.bool_)
    mask[frame["position"].to_numpy()[other]] = True
    counties = ctx.texts("county")
    cities = ctx.texts("city")

    def describe(i: int) -> str:
        j = int(first_row[counties[i]])
        return (
            f"county {counties[i]} is listed under city {cities[i]} here and under "
            f"{cities[j]} on row {ctx.label(j)}; a county belongs to one city"
        )

    ctx.flag(
        "county_in_two_cities", mask, column="city", describe=describe, value=lambda i: cities[i]
    )


def _check_basic_balance_year(ctx: TableContext) -> None:
    """``basic_balance_year_inconsistent``: one county, two basic-balance recognition years.

    A county is recognised for basic balance once. The county's year is the one most of its
    rows give (the first of them on a tie); every row giving another ``basic_balance_year`` is
    flagged, and so is a ``basic_balance`` recognition whose ``status_year`` is not that year:
    the precondition check and the checklist would otherwise pick one of the years silently.
    """
    if not ctx.has("basic_balance_year"):
        return
    counties = ctx.texts("county")
    basic = ctx.numbers("basic_balance_year")
    given = pd.DataFrame({"county": counties, "basic": basic}).dropna()
    if given.empty:
        return
    # rows per (county, year), most frequent first; the stable sort keeps the first on a tie
    tally = (
        given.reset_index().groupby(["county", "basic"], sort=False)["index"].agg(["size", "min"])
    )
    tally = tally.reset_index().sort_values(["size", "min"], ascending=[False, True], kind="stable")
    chosen = tally.drop_duplicates("county")
    first_of = dict(zip(chosen["county"], chosen["min"].astype(int), strict=True))
    first_year = np.array([basic[first_of[c]] if c in first_of else np.nan for c in counties])
    with np.errstate(invalid="ignore"):
        differs = ~np.isnan(basic) & (basic != first_year)

    def describe_column(i: int) -> str:
        j = first_of[counties[i]]
        return (
            f"county {counties[i]}: basic_balance_year {int(basic[i])} here but "
            f"{int(basic[j])} on row {ctx.label(j)}; a county is recognised for basic "
            "balance once: correct one of the years"
        )

    events = _events(ctx)
    recognised = events[
        (events["program"] == "basic_balance") & (events["status"] == "nationally_recognized")
    ]
    positions = recognised["position"].to_numpy()
    years = ctx.numbers("status_year")
    with np.errstate(invalid="ignore"):
        other = ~np.isnan(years[positions]) & (years[positions] != first_year[positions])
    mask = np.zeros(len(ctx.frame), dtype=np.bool_)
    mask[positions[other]] = True
    mask &= ~differs  # a row already flagged for its own basic_balance_year

    def describe_event(i: int) -> str:
        j = first_of[counties[i]]
        where = "on this row" if j == i else f"on row {ctx.label(j)}"
        return (
            f"county {counties[i]}: basic_balance recognised in {int(years[i])} here but "
            f"basic_balance_year is {int(basic[j])} {where}; correct one of the years"
        )

    for flagged, column, describe, values in (
        (differs, "basic_balance_year", describe_column, basic),
        (mask, "status_year", describe_event, years),
    ):
        ctx.flag(
            "basic_balance_year_inconsistent",
            flagged,
            column=column,
            describe=describe,
            value=partial(_year_at, values),
        )


def _year_at(years: FloatArray, i: int) -> str:
    return str(int(years[i]))


def _check_precondition(ctx: TableContext) -> None:
    """``recognition_before_precondition``: recognised before basic balance + min years."""
    events = _events(ctx)
    min_years = int(ctx.options.get("min_years", RULES_2017.integer(_PRECONDITION_KEY)))
    basic = ctx.numbers("basic_balance_year")
    events = events.assign(basic=basic[events["position"].to_numpy()])
    recognised_basic = events[
        (events["program"] == "basic_balance") & (events["status"] == "nationally_recognized")
    ]
    from_events = recognised_basic.groupby("county")["year"].min()
    from_column = events.dropna(subset=["basic"]).groupby("county")["basic"].min()
    quality = events[
        (events["program"] == "quality_balance")
        & (events["status"] == "nationally_recognized")
        & events["year"].notna()
    ]
    if quality.empty:
        return
    county_basic = quality["county"].map(from_column).astype(np.float64)
    county_basic = county_basic.fillna(quality["county"].map(from_events).astype(np.float64))
    basic_year = quality["basic"].fillna(county_basic).to_numpy(dtype=np.float64)
    with np.errstate(invalid="ignore"):
        early = quality["year"].to_numpy(dtype=np.float64) - basic_year < min_years
    mask = np.zeros(len(ctx.frame), dtype=np.bool_)
    mask[quality["position"].to_numpy()[early]] = True
    basic_of = dict(zip(quality["position"].tolist(), basic_year.tolist(), strict=True))
    years = ctx.numbers("status_year")
    counties = ctx.texts("county")

    def describe(i: int) -> str:
        return (
            f"county {counties[i]}: quality_balance recognised in {int(years[i])}, "
            f"{int(years[i] - basic_of[i])} years after the basic-balance recognition "
            f"({int(basic_of[i])}); the method requires at least {min_years} "
            f"({_PRECONDITION_KEY})"
        )

    ctx.flag(
        "recognition_before_precondition",
        mask,
        column="status_year",
        describe=describe,
        value=lambda i: str(int(years[i])),
        severity="warning",
    )


def _check_regressions(ctx: TableContext) -> None:
    """``status_regression``: a later event with a lower status and no note."""
    events = _events(ctx)
    events = events[events["year"].notna()]
    if events.empty:
        return
    ordered = events.sort_values(
        ["county", "program", "year", "date", "rank"], kind="mergesort", na_position="first"
    )
    grouped = ordered.groupby(["county", "program"], sort=False)
    previous_rank = grouped["rank"].shift().to_numpy(dtype=np.float64)
    previous_year = grouped["year"].shift().to_numpy(dtype=np.float64)
    previous_date = grouped["date"].shift().to_numpy()
    previous_position = grouped["position"].shift().to_numpy(dtype=np.float64)
    rank = ordered["rank"].to_numpy(dtype=np.float64)
    withdrawn = _SORT_RANK["withdrawn"]
    later = _strictly_after(
        ordered["year"].to_numpy(), ordered["date"].to_numpy(), previous_year, previous_date
    )
    with np.errstate(invalid="ignore"):
        lower = (rank < previous_rank) & (rank != withdrawn) & (previous_rank != withdrawn)
    regressing = lower & later
    noted = ctx.present("note")
    mask = np.zeros(len(ctx.frame), dtype=np.bool_)
    earlier: dict[int, int] = {}
    for position, before in zip(
        ordered["position"].to_numpy()[regressing], previous_position[regressing], strict=True
    ):
        if not noted[position]:
            mask[position] = True
            earlier[int(position)] = int(before)
    statuses = ctx.texts("status")
    years = ctx.numbers("status_year")
    dates = ctx.frame["status_date"].to_numpy() if ctx.has("status_date") else None
    counties = ctx.texts("county")

    def describe(i: int) -> str:
        j = earlier[i]
        this = _event_text(statuses[i], years[i], None if dates is None else dates[i])
        before = _event_text(statuses[j], years[j], None if dates is None else dates[j])
        return (
            f"county {counties[i]}: {this} is lower than the earlier {before} (row "
            f"{ctx.label(j)}); add a note (备注) explaining the change"
        )

    ctx.flag("status_regression", mask, column="status", describe=describe, severity="warning")


def _check_future(ctx: TableContext) -> None:
    """``future_date``: a publication date or year after the processing date."""
    today = _today(ctx)
    years = ctx.numbers("status_year")
    with np.errstate(invalid="ignore"):
        late_year = years > today.year
    ctx.flag(
        "future_date",
        late_year,
        column="status_year",
        describe=lambda i: f"{int(years[i])} is after the processing year {today.year}",
        value=lambda i: str(int(years[i])),
        severity="warning",
    )
    if not ctx.has("status_date"):
        return
    stamps = ctx.frame["status_date"]
    late = np.asarray((stamps > pd.Timestamp(today)).fillna(value=False), dtype=np.bool_)
    values = stamps.to_numpy()
    ctx.flag(
        "future_date",
        late,
        column="status_date",
        describe=lambda i: f"{_date_text(values[i])} is after the processing date {today}",
        value=lambda i: _date_text(values[i]),
        severity="warning",
    )


def _check_coverage(ctx: TableContext) -> None:
    """``unit_count_mismatch`` and ``county_not_in_register`` (table-level warnings)."""
    frame = pd.DataFrame(
        {
            "city": pd.Series(ctx.texts("city"), dtype=object),
            "county": pd.Series(ctx.texts("county"), dtype=object),
        }
    ).dropna()
    declared: Mapping[str, tuple[str, ...]] = ctx.options.get("city_units") or {}
    for issue in coverage_issues(frame, declared, ctx.options.get("other_counties") or ()):
        ctx.add(
            issue.code, issue.message, column=issue.column, value=issue.value, severity="warning"
        )


def coverage_issues(
    units: pd.DataFrame, city_units: Mapping[str, Collection[str]], other_counties: Iterable[str]
) -> list[Issue]:
    """Return ``unit_count_mismatch`` and ``county_not_in_register`` warnings.

    Parameters
    ----------
    units
        The register's ``city`` and ``county`` columns (one row per event or per unit).
    city_units
        Declared units per city.
    other_counties
        Counties named by other tables (school table, county facts).
    """
    issues: list[Issue] = []
    listed = units.groupby("city", sort=True)["county"].agg(set)
    for city in sorted(city_units):
        declared = set(city_units[city])
        present = listed.get(city, set())
        missing = sorted(declared - present)
        extra = sorted(present - declared)
        if not missing and not extra:
            continue
        parts = []
        if missing:
            parts.append(f"declared but absent from the register: {', '.join(missing)}")
        if extra:
            parts.append(f"in the register but not declared: {', '.join(extra)}")
        issues.append(
            Issue(
                code="unit_count_mismatch",
                message=(
                    f"city {city}: the register lists {len(present)} units, city_units declares "
                    f"{len(declared)}; {'; '.join(parts)}. Shares use the declared units; "
                    "undeclared units are left out of the counts"
                ),
                severity="warning",
                table=_TABLE,
                column="county",
                value=", ".join([*missing, *extra]),
            )
        )
    known = set(units["county"])
    absent = sorted(set(other_counties) - known)
    if absent:
        issues.append(
            Issue(
                code="county_not_in_register",
                message=(
                    f"counties of other tables are missing from the register: {', '.join(absent)}"
                ),
                severity="warning",
                table=_TABLE,
                column="county",
                value=", ".join(absent),
            )
        )
    return issues


def _text(name: str, *aliases: str, required: bool = False, description: str = "") -> ColumnSpec:
    return ColumnSpec(
        name=name,
        kind="string",
        required=required,
        cell_required=required,
        aliases=aliases,
        description=description,
    )


REGISTER_SCHEMA: Final[TableSchema] = TableSchema(
    name=_TABLE,
    title="county register (docs: Input tables)",
    columns=(
        _text(
            "city", "地市", "市", "所属地市", required=True, description="prefecture city (地市)"
        ),
        _text(
            "county",
            "县（市、区）",
            "区市",
            "县区",
            "区县",
            required=True,
            description="county-level unit, including functional zones (开发区)",
        ),
        ColumnSpec(
            name="county_code",
            kind="string",
            identifier=True,
            aliases=("行政区划代码", "区划代码"),
            description="administrative division code (行政区划代码)",
        ),
        ColumnSpec(
            name="unit_kind",
            kind="enum",
            aliases=("类型", "单位类型"),
            enum=_UNIT_KIND_ENUM,
            description="county 县 / county_city 县级市 / district 市辖区 / functional_zone 开发区",
        ),
        ColumnSpec(
            name="program",
            kind="enum",
            aliases=("创建类别", "项目"),
            enum=_PROGRAM_ENUM,
            description="quality_balance (default) / basic_balance / preschool_universal",
        ),
        ColumnSpec(
            name="status",
            kind="enum",
            required=True,
            cell_required=True,
            aliases=("状态",),
            enum=_STATUS_ENUM,
            description="status of the event (状态)",
        ),
        ColumnSpec(
            name="status_year",
            kind="year",
            unit="year",
            aliases=("年度", "年份"),
            description="year of the published list or decision (年度)",
        ),
        ColumnSpec(
            name="status_date",
            kind="date",
            aliases=("公布日期",),
            description="publication date of the notice (公布日期)",
        ),
        _text("batch", "批次", description="batch label as published, kept verbatim (批次)"),
        ColumnSpec(
            name="pioneer",
            kind="bool",
            aliases=("先行创建县", "先行县"),
            description="pioneer county (先行创建县), a flag, not a status",
        ),
        ColumnSpec(
            name="basic_balance_year",
            kind="year",
            unit="year",
            aliases=("基本均衡认定年份",),
            description="year of the basic-balance recognition (基本均衡认定年份)",
        ),
        _text("note", "备注", description="note; explains a status regression"),
    ),
    key_columns=("county",),
    prepare=(_fill_program,),
    checks=(
        _check_year,
        _check_duplicates,
        _check_order,
        _check_cities,
        _check_basic_balance_year,
        _check_precondition,
        _check_regressions,
        _check_future,
        _check_coverage,
    ),
)
"""The county register for :func:`eduequity.io.read_table`: columns, Chinese header aliases and
the checks of the docs page Input tables. The checks read the options ``today`` (a date, default the
current date), ``min_years`` (default the rule-set entry
``precondition.basic_balance_recognition.min_years`` of
:data:`~eduequity.national.RULES_2017`), ``city_units`` (city → declared units) and
``other_counties``."""


# --------------------------------------------------------------------------------------
# the register object


def _freeze_units(value: Mapping[str, Iterable[str]]) -> Mapping[str, tuple[str, ...]]:
    return MappingProxyType({str(city): tuple(units) for city, units in value.items()})


def _freeze_headers(value: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(value))


@attrs.frozen(kw_only=True)
class CountyRegister:
    """A validated county register, with the warnings found while reading it.

    Examples
    --------
    >>> import pandas as pd
    >>> from eduequity.city import read_register
    >>> register = read_register(pd.DataFrame({
    ...     "city": ["威海市"] * 2, "county": ["环翠区", "荣成市"],
    ...     "status": ["nationally_recognized"] * 2, "status_year": [2025, 2025]}),
    ...     today="2025-07-18")
    >>> register.cities, register.counties()
    (('威海市',), ('环翠区', '荣成市'))
    """

    frame: pd.DataFrame = attrs.field(eq=False, repr=False)
    """One row per event in source order (see the module notes for dtypes and the index)."""
    issues: tuple[Issue, ...] = ()
    """Warnings found while reading (errors are raised, never returned)."""
    headers: Mapping[str, str] = attrs.field(factory=dict, converter=_freeze_headers, repr=False)
    """Canonical column → the header it was read from."""
    source: str = ""
    """Where the rows came from."""
    city_units: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict, converter=_freeze_units)
    """Declared units per city (the denominators of the docs page The creation checklist and city
    aggregation, City aggregation); empty when none were declared."""

    def __len__(self) -> int:
        return len(self.frame)

    @property
    def cities(self) -> tuple[str, ...]:
        """The cities of the register, sorted."""
        return tuple(sorted(self.frame["city"].dropna().unique().tolist()))

    def counties(self, city: str | None = None) -> tuple[str, ...]:
        """Return the units listed in the register (of one city), sorted."""
        frame = self.frame if city is None else self.frame[self.frame["city"] == city]
        return tuple(sorted(frame["county"].dropna().unique().tolist()))

    def events(
        self, *, program: str | None = None, city: str | None = None, as_of: int | None = None
    ) -> pd.DataFrame:
        """Return the events ordered by county, program and time (see the module notes).

        Parameters
        ----------
        program
            Keep one program.
        city
            Keep one city.
        as_of
            Keep the events with ``status_year <= as_of`` (an undated ``not_started`` is kept).
        """
        frame = self.frame
        keep = np.ones(len(frame), dtype=np.bool_)
        if program is not None:
            keep &= (frame["program"] == program).to_numpy(dtype=np.bool_)
        if city is not None:
            keep &= (frame["city"] == city).to_numpy(dtype=np.bool_)
        if as_of is not None:
            year = frame["status_year"].to_numpy(dtype=np.float64)
            keep &= np.isnan(year) | (year <= as_of)
        selected = frame.loc[keep, list(REGISTER_COLUMNS)]
        rank = selected["status"].map(dict(_SORT_RANK)).astype(np.int64)
        ordered = selected.assign(_rank=rank).sort_values(
            ["county", "program", "status_year", "status_date", "_rank"],
            kind="mergesort",
            na_position="first",
        )
        return ordered.drop(columns="_rank")

    def current(
        self,
        program: str = "quality_balance",
        *,
        as_of: int | None = None,
        city: str | None = None,
    ) -> pd.DataFrame:
        """Return the current status of every unit: its latest event up to ``as_of``.

        One row per county with the columns of :data:`REGISTER_COLUMNS` of its latest event,
        ``order`` (the status order, ``None`` for ``withdrawn``), ``pioneer`` (true when any
        event of the unit in the program says so) and ``events`` (the unit's events counted).
        Units whose events all lie after ``as_of`` do not appear.
        """
        events = self.events(program=program, city=city, as_of=as_of)
        flags = events["pioneer"].fillna(value=False).astype(bool)
        grouped = events.assign(pioneer=flags).groupby("county", sort=False)
        counts = grouped["status"].transform("size").astype(np.int64)
        pioneer = grouped["pioneer"].transform("any").astype(bool)
        # The unit kind of the latest event that gives one.
        kind = grouped["unit_kind"].transform("last")
        latest = events.assign(pioneer=pioneer, events=counts, unit_kind=kind)
        latest = latest.drop_duplicates("county", keep="last").reset_index(drop=True)
        latest.insert(
            list(latest.columns).index("status") + 1,
            "order",
            latest["status"].map(dict(STATUS_ORDER)).astype("Int64"),
        )
        return latest

    def to_dict(self) -> dict[str, JSONValue]:
        """Return a JSON-safe mapping: source, declared units, warnings and the events."""
        frame = self.frame.loc[:, list(REGISTER_COLUMNS)].astype(object)
        frame["status_date"] = [
            _date_text(value) or None for value in self.frame["status_date"].to_numpy()
        ]
        frame = frame.where(frame.notna(), None)
        return {
            "table": _TABLE,
            "source": self.source,
            "city_units": to_jsonable(dict(self.city_units)),
            "headers": to_jsonable(dict(self.headers)),
            "issues": [to_jsonable(issue.to_dict()) for issue in self.issues],
            "events": to_jsonable(frame.reset_index(drop=True)),
        }


def _empty_column(name: str, index: pd.Index) -> pd.Series:
    if name == "pioneer":
        return pd.Series(pd.NA, index=index, dtype="boolean")
    if name == "status_date":
        return pd.Series(pd.NaT, index=index, dtype="datetime64[ns]")
    if name in {"status_year", "basic_balance_year"}:
        return pd.Series(np.nan, index=index, dtype=np.float64)
    return pd.Series([None] * len(index), index=index, dtype=object)


def _canonical(frame: pd.DataFrame) -> pd.DataFrame:
    columns = {
        name: frame[name] if name in frame.columns else _empty_column(name, frame.index)
        for name in REGISTER_COLUMNS
    }
    extra = {name: frame[name] for name in frame.columns if name not in REGISTER_COLUMNS}
    return pd.DataFrame({**columns, **extra}, index=frame.index)


def declared_units(
    city_units: Mapping[str, Iterable[str]] | Sequence[str] | None, cities: Sequence[str]
) -> dict[str, tuple[str, ...]]:
    """Normalise ``city_units`` to a mapping city → units.

    A plain sequence declares the units of the only city of the register.

    Raises
    ------
    InvalidArgumentError
        With code ``ambiguous_city_units`` for a plain sequence and several cities, and
        ``invalid_argument`` for a declaration with repeated units.
    """
    if city_units is None:
        return {}
    if isinstance(city_units, Mapping):
        result = {
            str(city): tuple(str(unit) for unit in units) for city, units in city_units.items()
        }
    else:
        if isinstance(city_units, str):
            msg = "city_units must be a list of unit names or a mapping city -> units, not a string"
            raise InvalidTypeError(msg, code="invalid_argument")
        if len(cities) != 1:
            msg = (
                f"city_units is a plain list but the register holds {len(cities)} cities "
                f"({', '.join(cities)}); pass a mapping city -> units"
            )
            raise InvalidArgumentError(msg, code="ambiguous_city_units")
        result = {cities[0]: tuple(str(unit) for unit in city_units)}
    for city, units in result.items():
        if len(set(units)) != len(units):
            repeated = sorted({unit for unit in units if units.count(unit) > 1})
            msg = f"city_units[{city!r}] repeats units: {', '.join(repeated)}"
            raise InvalidArgumentError(msg, code="invalid_argument")
    return result


def read_register(
    source: RegisterSource | CountyRegister,
    *,
    strict: bool = False,
    today: dt.date | str | None = None,
    city_units: Mapping[str, Iterable[str]] | Sequence[str] | None = None,
    other_counties: Iterable[str] = (),
    min_years: int | None = None,
    sheet: str | int | None = None,
    encoding: str | None = None,
) -> CountyRegister:
    """Read and validate a county register (docs: Input tables).

    Parameters
    ----------
    source
        A :class:`pandas.DataFrame` or the path of a CSV (UTF-8, UTF-8 with BOM or GB18030)
        or Excel (``.xlsx``) file, with canonical or Chinese headers (地市, 县（市、区）,
        区市, 类型, 创建类别, 状态, 年度, 年份, 公布日期, 批次, 先行创建县, 基本均衡认定年份,
        备注) and canonical or Chinese statuses; or a :class:`CountyRegister` (validated again).
    strict
        Promote the warnings marked *strict* to errors (the register has none today; kept for a
        uniform reader signature).
    today
        Processing date for ``future_date``; the current date by default.
    city_units
        Declared units per city (mapping city → unit names), or a list of unit names when the
        register holds one city. Checked for ``unit_count_mismatch`` and kept with the
        register as the denominators of the shares (docs: The creation checklist and city
        aggregation, City aggregation).
    other_counties
        Counties named by other tables (school table, county facts); those missing from the
        register give ``county_not_in_register``.
    min_years
        Years between the basic-balance and the quality-balance recognitions for
        ``recognition_before_precondition``; default the rule-set entry
        ``precondition.basic_balance_recognition.min_years`` (3) of
        :data:`~eduequity.national.RULES_2017`.
    sheet, encoding
        Excel sheet and CSV encoding, as in :func:`eduequity.io.read_table`.

    Returns
    -------
    CountyRegister
        The events with their warnings.

    Raises
    ------
    InputError
        Listing **every** error at once; each issue names the row, the county (as the row key)
        and the column.
    InvalidArgumentError
        For an unreadable file or a bad option.

    Examples
    --------
    >>> import pandas as pd
    >>> from eduequity.city import read_register
    >>> from eduequity.errors import InputError
    >>> try:
    ...     read_register(pd.DataFrame({
    ...         "地市": ["甲市", "乙市"], "县（市、区）": ["丙县", "丙县"],
    ...         "状态": ["已申报", "评估中"], "年度": [None, 2024], "批次": ["首批", None]}),
    ...         today="2025-01-01")
    ... except InputError as error:
    ...     for issue in error.errors:
    ...         print(issue.code, issue.row, issue.key, issue.column)
    missing_year 0 county=丙县 status_year
    batch_without_year 0 county=丙县 batch
    county_in_two_cities 1 county=丙县 city
    unknown_value 1 county=丙县 status
    """
    when = date_argument(today, "today") or dt.date.today()  # noqa: DTZ011 - a calendar date
    if min_years is None:
        min_years = RULES_2017.integer(_PRECONDITION_KEY)
    if isinstance(source, CountyRegister):
        if city_units is None and source.city_units:
            city_units = dict(source.city_units)
        data: pd.DataFrame | str | os.PathLike[str] = source.frame.loc[:, list(REGISTER_COLUMNS)]
    else:
        data = source
    loaded = read_table(
        data,
        REGISTER_SCHEMA,
        strict=strict,
        sheet=sheet,
        encoding=encoding,
        options={"today": when, "min_years": min_years},
    )
    units = loaded.frame[["city", "county"]].dropna()
    declared = declared_units(city_units, sorted(units["city"].unique().tolist()))
    coverage = coverage_issues(units, declared, (str(county) for county in other_counties))
    return CountyRegister(
        frame=_canonical(loaded.frame),
        issues=(*loaded.issues, *coverage),
        headers=dict(loaded.headers),
        source=source.source if isinstance(source, CountyRegister) else loaded.source,
        city_units=declared,
    )
