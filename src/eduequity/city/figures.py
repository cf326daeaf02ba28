r"""The figures cities publish (城市发布的数据), each computed with its definition attached.

Cities publish a handful of figures in their press releases and speeches: how many of their
counties are recognised and what share of the city that is, their share of the province's list,
the large-class share (大班额比例) and its change in percentage points, the teachers exchanged
(交流轮岗), and the growth of funding. :func:`published_figures` computes each from the
register, the school table, the county facts and the finance series, in one tidy table whose
every row carries its definition, its inputs, its numerator and denominator, so that a city can
reproduce its own release.

**Rates across counties are ratios of sums**, :math:`\sum \text{numerators} / \sum
\text{denominators}`, never means of county rates; ``aggregate="mean_of_rates"`` gives the
unweighted mean of the county rates instead, for reproducing a release computed that way, and
is labelled so in every row. Each figure is declared once, as a row of
:data:`PUBLISHED_FIGURES` (id, Chinese and English names, input table, numerator and
denominator columns, kind); one function evaluates them all, for all counties and years at
once.

Changes "since year X" are differences in percentage points for rates and ratios for counts
and levels (:func:`~eduequity.city.figure_changes`, the same computation as the trends);
funding growth is year on year and the average annual growth of
:func:`~eduequity.city.funding_growth`, on the city's totals.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, Final, Literal, cast

import attrs
import numpy as np
import pandas as pd

from eduequity._serialize import Record
from eduequity._typing import JSONValue
from eduequity.city.funding import funding_growth, read_finance_series
from eduequity.city.pipeline import province_share, register_summary
from eduequity.city.register import CountyRegister
from eduequity.city.resources import reading_issues
from eduequity.city.trends import figure_changes
from eduequity.errors import InputError, InvalidArgumentError, InvalidTypeError, Issue
from eduequity.io import LoadedTable, read_county_facts
from eduequity.national import RULES_2017, RuleSet
from eduequity.national.schools import read_schools

__all__ = [
    "AGGREGATES",
    "FIGURE_COLUMNS",
    "PUBLISHED_FIGURES",
    "FigureDefinition",
    "PublishedFigures",
    "published_figures",
]

Aggregate = Literal["ratio_of_sums", "mean_of_rates"]
AGGREGATES: Final[tuple[Aggregate, ...]] = ("ratio_of_sums", "mean_of_rates")
"""How rates are aggregated across counties; the first is the default."""

FigureKind = Literal["rate", "count", "level", "growth"]
SourceTable = Literal["register", "schools", "facts", "funding"]


@attrs.frozen(kw_only=True)
class FigureDefinition(Record):
    """One published figure: what it is, where it comes from and how it is computed."""

    id: str
    """Stable identifier, e.g. ``"large_class_share"``."""
    title_zh: str
    """Chinese name as cities publish it, e.g. ``"大班额比例"``."""
    title_en: str
    """English name."""
    table: SourceTable
    """Input table: ``"register"``, ``"schools"``, ``"facts"`` or ``"funding"``."""
    kind: FigureKind
    """``"rate"`` (a fraction; changes in points), ``"count"``, ``"level"`` (changes as
    ratios) or ``"growth"`` (a growth rate)."""
    numerator: tuple[str, ...] = ()
    """Columns summed into the numerator (table figures)."""
    denominator: tuple[str, ...] = ()
    """Columns summed into the denominator; ``("schools",)`` counts the school rows; empty
    for a count."""
    rate_column: str | None = None
    """The county rate averaged under ``aggregate="mean_of_rates"`` (facts figures); without
    it, each county's own ratio of sums is averaged."""
    where: tuple[str, str] | None = None
    """Only rows whose column (first) equals the value (second), e.g. rural schools."""
    definition: str
    """The definition in words, as attached to every row."""


_CLASSES: Final = ("classes_primary", "classes_junior")

PUBLISHED_FIGURES: Final[Mapping[str, FigureDefinition]] = MappingProxyType(
    {
        figure.id: figure
        for figure in (
            FigureDefinition(
                id="recognized_count",
                title_zh="通过国家认定县数",
                title_en="units recognised by the state",
                table="register",
                kind="count",
                definition="units whose current status is at or beyond nationally_recognized",
            ),
            FigureDefinition(
                id="recognized_share",
                title_zh="通过国家认定县占比",
                title_en="share of the city's units recognised",
                table="register",
                kind="rate",
                definition=(
                    "units at or beyond nationally_recognized / the city's units (declared "
                    "city_units, else the register's)"
                ),
            ),
            FigureDefinition(
                id="provincially_assessed_count",
                title_zh="通过省级督导评估县数",
                title_en="units that passed the provincial assessment",
                table="register",
                kind="count",
                definition="units whose current status is at or beyond provincially_assessed",
            ),
            FigureDefinition(
                id="provincially_assessed_share",
                title_zh="通过省级督导评估县占比",
                title_en="share of the city's units provincially assessed",
                table="register",
                kind="rate",
                definition="units at or beyond provincially_assessed / the city's units",
            ),
            FigureDefinition(
                id="province_list_share",
                title_zh="占全省认定总数比例",
                title_en="share of the province's list",
                table="register",
                kind="rate",
                definition=(
                    "the city's units on the province's national list of that year (and "
                    "batch) / the province's total on that list (an input)"
                ),
            ),
            FigureDefinition(
                id="large_class_share",
                title_zh="大班额比例",
                title_en="large-class share",
                table="schools",
                kind="rate",
                numerator=("large_classes",),
                denominator=_CLASSES,
                definition=(
                    "sum of large_classes (classes of {large} or more pupils, 大班额) / sum of "
                    "classes_primary + classes_junior, over the schools"
                ),
            ),
            FigureDefinition(
                id="super_large_class_share",
                title_zh="超大班额比例",
                title_en="super-large-class share",
                table="schools",
                kind="rate",
                numerator=("super_large_classes",),
                denominator=_CLASSES,
                definition=(
                    "sum of super_large_classes (classes of {super_large} or more pupils, "
                    "超大班额) / sum of classes_primary + classes_junior, over the schools"
                ),
            ),
            FigureDefinition(
                id="standardization_rate",
                title_zh="标准化建设达标率",
                title_en="standardisation rate",
                table="schools",
                kind="rate",
                numerator=("meets_provincial_standard",),
                denominator=("schools",),
                definition="schools with meets_provincial_standard / schools",
            ),
            FigureDefinition(
                id="rural_standardization_rate",
                title_zh="农村学校标准化建设达标率",
                title_en="standardisation rate of rural schools",
                table="schools",
                kind="rate",
                numerator=("meets_provincial_standard",),
                denominator=("schools",),
                where=("location", "rural"),
                definition=(
                    "rural schools (location = rural, 乡村) with meets_provincial_standard / "
                    "rural schools"
                ),
            ),
            FigureDefinition(
                id="bachelor_plus_share",
                title_zh="本科及以上学历专任教师占比",
                title_en="share of full-time teachers with a bachelor's degree or above",
                table="schools",
                kind="rate",
                numerator=("bachelor_plus_teachers_primary", "bachelor_plus_teachers_junior"),
                denominator=("full_time_teachers_primary", "full_time_teachers_junior"),
                definition=(
                    "sum of bachelor_plus_teachers / sum of full_time_teachers (primary and "
                    "junior), over the schools"
                ),
            ),
            FigureDefinition(
                id="teacher_exchange_share",
                title_zh="交流轮岗比例",
                title_en="teacher exchange share",
                table="facts",
                kind="rate",
                numerator=("teacher_rotation_rotated",),
                denominator=("teacher_rotation_eligible",),
                rate_column="teacher_rotation",
                definition=(
                    "sum of teacher_rotation_rotated / sum of teacher_rotation_eligible over "
                    "the counties (national floor {rotation_floor} per county)"
                ),
            ),
            FigureDefinition(
                id="teachers_exchanged",
                title_zh="交流轮岗教师人次",
                title_en="teachers exchanged",
                table="facts",
                kind="count",
                numerator=("teacher_rotation_rotated",),
                definition="sum of teacher_rotation_rotated over the counties",
            ),
            FigureDefinition(
                id="junior_retention_rate",
                title_zh="初中三年巩固率",
                title_en="junior retention rate",
                table="facts",
                kind="rate",
                numerator=("junior_retention_rate_cohort_end",),
                denominator=("junior_retention_rate_cohort_start",),
                rate_column="junior_retention_rate",
                definition=(
                    "sum of junior_retention_rate_cohort_end / sum of "
                    "junior_retention_rate_cohort_start over the counties"
                ),
            ),
            FigureDefinition(
                id="funding_level",
                title_zh="经费投入",
                title_en="funding level",
                table="funding",
                kind="level",
                definition=(
                    "the city's total of a funding series (the sum of its units in the years "
                    "every unit reports; per-pupil series: total / sum of students) [yuan]"
                ),
            ),
            FigureDefinition(
                id="funding_growth",
                title_zh="经费同比增长",
                title_en="funding growth year on year",
                table="funding",
                kind="growth",
                definition="V_t / V_(t-1) - 1 of the city's total, consecutive years only",
            ),
            FigureDefinition(
                id="funding_average_growth",
                title_zh="经费年均增长",
                title_en="average annual funding growth",
                table="funding",
                kind="growth",
                definition="(V_end / V_start)^(1/k) - 1 over k yearly steps (geometric)",
            ),
        )
    }
)
"""The published figures, by id, in the order of the table (see :doc:`/city-figures`)."""

FIGURE_COLUMNS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "figure": "指标",
        "title_zh": "名称",
        "title_en": "name",
        "table": "数据来源表",
        "kind": "类型",
        "year": "年度",
        "series": "经费项目",
        "value": "数值",
        "numerator": "分子",
        "denominator": "分母",
        "n_units": "计入单位数",
        "n_missing": "缺数单位数",
        "aggregate": "汇总方式",
        "base_year": "基年",
        "base_value": "基年数值",
        "change_since_base_points": "较基年变化（百分点）",
        "ratio_since_base": "较基年倍数",
        "status": "状态",
        "definition": "定义",
        "source": "数据列",
        "note": "说明",
    }
)
"""Columns of :attr:`PublishedFigures.figures`, in order, with their Chinese headers."""


@attrs.frozen(kw_only=True)
class PublishedFigures(Record):
    """The figures a city publishes, each with its definition (城市发布数据)."""

    city: str | None
    """The city, when a register was given."""
    aggregate: Aggregate
    """``"ratio_of_sums"`` (default) or ``"mean_of_rates"``."""
    base_year: int | None
    """The base year of the "since" columns, or ``None``."""
    rules: dict[str, JSONValue]
    """Identity of the rule set of the class-size bounds and the exchange floor."""
    figures: pd.DataFrame = attrs.field(eq=False, repr=False)
    """One row per figure and year (and funding series): the columns of
    :data:`FIGURE_COLUMNS`. ``status`` is ``"ok"``, ``"incomplete"`` (some units lack the
    inputs: they are left out and counted in ``n_missing``, listed in ``note``) or
    ``"undefined"`` (a zero denominator)."""
    unavailable: tuple[str, ...] = ()
    """Figures of :data:`PUBLISHED_FIGURES` whose inputs were not given, with the reason."""
    warnings: tuple[Issue, ...] = ()
    """Warnings of the inputs (``series_gap``, ``unit_list_not_declared``, ...)."""

    def value(self, figure: str, year: int | None = None) -> float:
        """Return the value of a figure (of ``year``; default the latest year).

        Raises
        ------
        InvalidArgumentError
            The figure (or the year) is not in the table.
        """
        rows = self.figures.loc[self.figures["figure"] == figure]
        if year is not None:
            rows = rows.loc[rows["year"] == year]
        if rows.empty:
            shown = ", ".join(dict.fromkeys(self.figures["figure"])) or "none"
            msg = f"figure {figure!r} (year {year}) is not in the table; it has: {shown}"
            raise InvalidArgumentError(msg, code="invalid_argument")
        return float(rows.sort_values("year", kind="mergesort")["value"].to_numpy()[-1])


TableInput = pd.DataFrame | str | os.PathLike[str]
SchoolsInput = TableInput | Mapping[int, TableInput]

_CHANGE_COLUMNS: Final = frozenset(
    {"base_year", "base_value", "change_since_base_points", "ratio_since_base"}
)


def _school_frame(schools: SchoolsInput, rules: RuleSet) -> tuple[pd.DataFrame, list[Issue]]:
    """Read one school table, or one per school year (``{year: table}``), and stack them."""
    if not isinstance(schools, Mapping):
        frame = read_schools(schools, rules=rules)
        return frame, list(reading_issues(frame))
    if not schools:
        msg = "schools is an empty mapping; give {year: school table} for at least one year"
        raise InvalidArgumentError(msg, code="invalid_argument")
    frames = []
    issues: list[Issue] = []
    for year, source in sorted(schools.items()):
        if isinstance(year, bool) or not isinstance(year, int | np.integer):
            msg = f"schools: the key {year!r} is not a school year; expected {{year: table}}"
            raise InvalidArgumentError(msg, code="invalid_argument")
        frame = read_schools(source, rules=rules, year=int(year))
        if frame.empty:
            issue = Issue(
                code="no_rows",
                message=(
                    f"schools[{year}]: no school row of year {year}; expected that year's "
                    "school table"
                ),
                table="schools",
                column="year",
            )
            raise InputError([issue], table="schools")
        issues += reading_issues(frame)
        frames.append(frame.assign(year=int(year)))
    return pd.concat(frames, ignore_index=True), issues


def _figure_rows(
    frame: pd.DataFrame, definition: FigureDefinition, unit: str, aggregate: Aggregate
) -> list[dict[str, Any]]:
    """Evaluate one ratio or count figure of a table for every year at once."""
    if definition.where is not None:
        column, wanted = definition.where
        frame = frame.loc[frame[column].astype(object) == wanted]
    numerator = _summed(frame, definition.numerator)
    denominator = (
        pd.Series(np.nan, index=frame.index)
        if not definition.denominator
        else pd.Series(1.0, index=frame.index)
        if definition.denominator == ("schools",)
        else _summed(frame, definition.denominator)
    )
    rates = (
        frame[definition.rate_column].astype(np.float64)
        if aggregate == "mean_of_rates"
        and definition.kind == "rate"
        and definition.rate_column in frame.columns
        else None
    )
    if rates is not None:
        complete = rates.notna()
    elif definition.denominator:
        complete = numerator.notna() & denominator.notna()
    else:
        complete = numerator.notna()
    parts = pd.DataFrame(
        {
            "year": (
                frame["year"].astype(np.float64).to_numpy()
                if "year" in frame.columns
                else np.full(len(frame), np.nan)
            ),
            "county": frame["county"].astype(str).to_numpy(),
            "unit": frame[unit].astype(str).to_numpy(),
            "numerator": numerator.where(complete).to_numpy(),
            "denominator": denominator.where(complete).to_numpy(),
            "rate": np.full(len(frame), np.nan) if rates is None else rates.to_numpy(),
            "complete": complete.to_numpy(),
        }
    )
    rows = []
    for year, group in parts.groupby("year", dropna=False, sort=True):
        year_number = float(cast("float", year))
        kept = group.loc[group["complete"]]
        top = float(kept["numerator"].sum())
        bottom = float(kept["denominator"].sum())
        if definition.kind == "count":
            value = top
        elif aggregate == "mean_of_rates":
            value = _mean_of_rates(kept, rates is not None)
        else:
            value = top / bottom if bottom > 0 else np.nan
        n_rows = len(kept)
        missing = sorted(set(group.loc[~group["complete"], "unit"]))
        status = "undefined" if np.isnan(value) else "incomplete" if missing else "ok"
        rows.append(
            {
                "year": None if math.isnan(year_number) else int(year_number),
                "value": value,
                "numerator": np.nan if rates is not None else top,
                "denominator": np.nan
                if rates is not None or not definition.denominator
                else bottom,
                "n_units": n_rows,
                "n_missing": len(group) - n_rows,
                "status": status,
                "note": _missing_note(missing, len(group) - n_rows, unit, definition),
            }
        )
    return rows


_LISTED: Final = 5


def _missing_note(missing: list[str], count: int, unit: str, definition: FigureDefinition) -> str:
    """``"2 county rows without x / y left out: A, B"``; empty when nothing is missing."""
    if not count:
        return ""
    shown = ", ".join(missing[:_LISTED]) + (" ..." if len(missing) > _LISTED else "")
    columns = " / ".join((*definition.numerator, *definition.denominator))
    label = "schools" if unit == "school_id" else "counties"
    return f"{count} {label} without {columns} left out: {shown}"


def _summed(frame: pd.DataFrame, columns: Sequence[str]) -> pd.Series:
    """Row sums of ``columns``; NaN when a column is absent from the table or blank."""
    if not all(column in frame.columns for column in columns):
        return pd.Series(np.nan, index=frame.index)
    values = frame[list(columns)].astype(np.float64)
    return values.sum(axis=1).where(values.notna().all(axis=1))


def _mean_of_rates(kept: pd.DataFrame, given: bool) -> float:
    """Return the unweighted mean of the county rates (for reproducing such releases).

    The county rates are the given rate column (county facts) or, for schools, each county's
    own ratio of sums.
    """
    if given:
        rates = kept["rate"]
    else:
        sums = kept.groupby("county")[["numerator", "denominator"]].sum()
        sums = sums.loc[sums["denominator"] > 0]
        rates = sums["numerator"] / sums["denominator"]
    return float(rates.mean()) if len(rates) else np.nan


def _table_figures(
    frame: pd.DataFrame, table: SourceTable, aggregate: Aggregate, texts: Mapping[str, object]
) -> tuple[list[dict[str, Any]], list[str]]:
    unit = "school_id" if table == "schools" else "county"
    if table == "schools" and "school_id" not in frame.columns:
        unit = "county"
    rows: list[dict[str, Any]] = []
    unavailable: list[str] = []
    for definition in PUBLISHED_FIGURES.values():
        if definition.table != table:
            continue
        needed = [*definition.numerator, *(c for c in definition.denominator if c != "schools")]
        absent = [column for column in needed if column not in frame.columns]
        if definition.where is not None and definition.where[0] not in frame.columns:
            absent.append(definition.where[0])
        rate_given = definition.rate_column is not None and definition.rate_column in frame.columns
        if absent and not (aggregate == "mean_of_rates" and rate_given):
            unavailable.append(f"{definition.id}: the {table} table has no {', '.join(absent)}")
            continue
        if definition.where is not None:
            column, wanted = definition.where
            if not (frame[column].astype(object) == wanted).any():
                unavailable.append(
                    f"{definition.id}: no row of the {table} table has {column} = {wanted}"
                )
                continue
        fixed = {
            **_identity(definition, texts),
            "aggregate": aggregate if definition.kind == "rate" else "sum",
            "source": _source_text(definition),
        }
        rows.extend({**fixed, **row} for row in _figure_rows(frame, definition, unit, aggregate))
    return rows, unavailable


def _source_text(definition: FigureDefinition) -> str:
    """``"large_classes / classes_primary + classes_junior"``: the columns summed."""
    parts = [" + ".join(definition.numerator), " + ".join(definition.denominator)]
    where = "" if definition.where is None else f" ({definition.where[0]} = {definition.where[1]})"
    return " / ".join(part for part in parts if part) + where


def _identity(definition: FigureDefinition, texts: Mapping[str, object]) -> dict[str, Any]:
    return {
        "figure": definition.id,
        "title_zh": definition.title_zh,
        "title_en": definition.title_en,
        "table": definition.table,
        "kind": definition.kind,
        "definition": definition.definition.format(**texts),
    }


def _register_figures(
    register: CountyRegister,
    *,
    city: str | None,
    program: str,
    as_of: int | None,
    city_units: Mapping[str, Iterable[str]] | Sequence[str] | None,
    province_total: int | Mapping[int | tuple[int, str], int] | None,
    province_year: int | None,
    province_batch: str | None,
    texts: Mapping[str, object],
) -> tuple[str, list[dict[str, Any]], list[Issue]]:
    summary = register_summary(
        register, city=city, program=program, as_of=as_of, city_units=city_units
    )
    rows = []
    for status, prefix in (
        ("nationally_recognized", "recognized"),
        ("provincially_assessed", "provincially_assessed"),
    ):
        count = summary.count_at_least(status)
        share = summary.share_at_least(status)
        missing = summary.missing(status)
        note = f"not yet: {', '.join(missing)}" if missing else "the whole city"
        common = {
            "year": summary.as_of,
            "numerator": count,
            "denominator": summary.n_units,
            "n_units": summary.n_units,
            "n_missing": 0,
            "aggregate": "count",
            "source": f"register, {program}, as of {summary.as_of}, denominator "
            f"{summary.denominator}",
            "note": note,
        }
        rows.append(
            {
                **_identity(PUBLISHED_FIGURES[f"{prefix}_count"], texts),
                **common,
                "value": float(count),
                "status": "ok",
            }
        )
        rows.append(
            {
                **_identity(PUBLISHED_FIGURES[f"{prefix}_share"], texts),
                **common,
                "value": np.nan if share is None else share,
                "status": "undefined" if share is None else "ok",
            }
        )
    if province_total is not None:
        year = province_year if province_year is not None else summary.as_of
        if year is None:
            msg = "province_total needs province_year= (the register has no dated event)"
            raise InvalidArgumentError(msg, code="invalid_argument")
        shared = province_share(
            register,
            province_total,
            year=year,
            batch=province_batch,
            city=summary.city,
            program=program,
        )
        batch = f", batch {shared.batch}" if shared.batch else ""
        rows.append(
            {
                **_identity(PUBLISHED_FIGURES["province_list_share"], texts),
                "year": shared.year,
                "value": np.nan if shared.share is None else shared.share,
                "numerator": shared.recognized,
                "denominator": shared.province_total,
                "n_units": shared.recognized,
                "n_missing": 0,
                "aggregate": "count",
                "status": shared.status,
                "source": f"register, {program}, list of {shared.year}{batch}; province total "
                "given",
                "note": ", ".join(shared.counties),
            }
        )
    return summary.city, rows, list(summary.warnings)


_ADDITIVE: Final = (
    "education_expenditure_yuan",
    "staff_salary_total_yuan",
    "compulsory_education_investment_yuan",
    "recurring_revenue_yuan",
    "total_fiscal_expenditure_yuan",
    "students",
)


def _city_totals(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Return the city's series: one unit as given; several units summed in years all report."""
    units = frame["county"].astype(str).unique()
    if len(units) == 1:
        return frame, []
    present = [column for column in _ADDITIVE if column in frame.columns]
    grouped = frame.groupby("year")[present]
    sums = grouped.sum(min_count=1).where(grouped.count() == len(units))
    skipped = [
        column
        for column in frame.columns
        if column not in {*present, "county", "year"}
        and column.endswith("_yuan")
        and frame[column].notna().any()
    ]
    totals = sums.reset_index().assign(county="city")
    return totals, skipped


def _funding_figures(
    funding: pd.DataFrame | TableInput | LoadedTable, texts: Mapping[str, object]
) -> tuple[list[dict[str, Any]], list[Issue], list[str]]:
    loaded = read_finance_series(funding)
    frame = loaded.frame.reset_index(drop=True)
    totals, skipped = _city_totals(frame)
    growth = funding_growth(totals)
    n_units = int(frame["county"].astype(str).nunique())
    several = n_units > 1
    source = "sum over the units" if several else f"unit {frame['county'].iloc[0]}"
    rows: list[dict[str, Any]] = []
    table = growth.growth.reset_index()
    for record in table.to_dict("records"):
        series = str(record["series"])
        base = {"series": series, "n_units": n_units, "n_missing": 0}
        where = f"{growth.sources.get(series, series)}, {source}"
        rows.append(
            {
                **_identity(PUBLISHED_FIGURES["funding_level"], texts),
                **base,
                "year": int(record["year"]),
                "value": float(record["value"]),
                "aggregate": "sum" if several else "as given",
                "status": "ok",
                "source": where,
            }
        )
        if not np.isnan(record["growth"]):
            rows.append(
                {
                    **_identity(PUBLISHED_FIGURES["funding_growth"], texts),
                    **base,
                    "year": int(record["year"]),
                    "value": float(record["growth"]),
                    "numerator": float(record["value"]),
                    "denominator": float(record["previous_value"]),
                    "aggregate": "sum" if several else "as given",
                    "status": "ok",
                    "source": where,
                }
            )
    for record in growth.average_growth.reset_index().to_dict("records"):
        series = str(record["series"])
        rows.append(
            {
                **_identity(PUBLISHED_FIGURES["funding_average_growth"], texts),
                "series": series,
                "year": int(record["end_year"]),
                "value": float(record["average_growth"]),
                "numerator": float(record["end_value"]),
                "denominator": float(record["start_value"]),
                "n_units": n_units,
                "n_missing": 0,
                "aggregate": growth.average,
                "status": "ok" if record["status"] == "ok" else "undefined",
                "source": f"{growth.sources.get(series, series)}, {source}",
                "note": (
                    f"{record['start_year']}–{record['end_year']}, {record['steps']} yearly "
                    f"steps" + ("" if record["status"] == "ok" else f"; {record['status']}")
                ),
            }
        )
    notes = [
        f"funding {column}: a per-unit average or per-pupil column is not summed over units"
        for column in skipped
    ]
    return rows, [*loaded.issues, *growth.warnings], notes


def _changes(table: pd.DataFrame, base_year: int | None) -> pd.DataFrame:
    """Add the changes since the base year (points for rates, ratios for counts/levels)."""
    table = table.assign(base_year=base_year, base_value=np.nan)
    table["change_since_base_points"] = np.nan
    table["ratio_since_base"] = np.nan
    if base_year is None or table.empty:
        return table
    keys = table["figure"] + "|" + table["series"].astype(object).fillna("")
    kinds = {"rate": "rate", "count": "level", "level": "level"}
    chosen = table.loc[table["kind"].isin(list(kinds)) & table["year"].notna()]
    if chosen.empty:
        return table
    wide = (
        chosen.assign(key=keys.loc[chosen.index])
        .pivot_table(index="year", columns="key", values="value", aggfunc="first")
        .reset_index()
    )
    wide.columns = [str(column) for column in wide.columns]
    kind_of = dict(zip(keys.loc[chosen.index], chosen["kind"].map(kinds), strict=True))
    changes = figure_changes(
        wide, unit=None, kinds=kind_of, columns=list(kind_of), base_year=base_year
    ).changes.reset_index()
    changes = changes.rename(columns={"figure": "key"})
    merged = (
        table.assign(key=keys, _position=np.arange(len(table)))
        .merge(
            changes[["key", "year", "base_value", "change_since_base_points", "ratio_since_base"]],
            on=["key", "year"],
            how="left",
            suffixes=("_old", ""),
        )
        .sort_values("_position", kind="mergesort")
    )
    return merged.drop(
        columns=[
            "key",
            "_position",
            "base_value_old",
            "change_since_base_points_old",
            "ratio_since_base_old",
        ]
    ).reset_index(drop=True)


def published_figures(
    register: CountyRegister | None = None,
    schools: SchoolsInput | None = None,
    facts: TableInput | LoadedTable | None = None,
    funding: TableInput | LoadedTable | None = None,
    *,
    rules: RuleSet = RULES_2017,
    city: str | None = None,
    program: str = "quality_balance",
    as_of: int | None = None,
    city_units: Mapping[str, Iterable[str]] | Sequence[str] | None = None,
    province_total: int | Mapping[int | tuple[int, str], int] | None = None,
    province_year: int | None = None,
    province_batch: str | None = None,
    base_year: int | None = None,
    aggregate: Aggregate = "ratio_of_sums",
) -> PublishedFigures:
    r"""Compute the figures a city publishes, each with its definition (城市发布数据).

    Parameters
    ----------
    register : CountyRegister, optional
        The county register (:func:`~eduequity.city.read_register`): the counts and shares of
        recognised and provincially assessed units, as of ``as_of``, and the share of the
        province's list.
    schools : pandas.DataFrame, path or mapping, optional
        The school table of the city's counties, or ``{year: table}`` for several school
        years: large-class and super-large-class shares, standardisation rates,
        bachelor-or-above share, per year.
    facts : pandas.DataFrame, path or LoadedTable, optional
        County facts of one or several years: the teacher exchange share and the teachers
        exchanged (``teacher_rotation_rotated``, ``teacher_rotation_eligible``), the junior
        retention rate (cohort counts).
    funding : pandas.DataFrame, path or LoadedTable, optional
        A finance series: the city's totals, their growth year on year and the average
        annual growth.
    rules : RuleSet, optional
        Rule set of the large-class bounds (56 and 66 pupils) and the exchange floor (0.10)
        quoted in the definitions.
    city, program, as_of, city_units
        As in :func:`~eduequity.city.register_summary`.
    province_total : int or mapping, optional
        Units of the province on the national list (``year → total`` or ``(year, batch) →
        total``); gives the share of the province's list.
    province_year, province_batch : optional
        The list: year (default the as-of year) and batch label (verbatim; default every
        batch of the year).
    base_year : int, optional
        Also report every figure's change since this year: points for rates, ratios for
        counts and levels ("−8.6 points since 2020").
    aggregate : {"ratio_of_sums", "mean_of_rates"}, optional
        Rates across counties: ratio of sums (default), or the unweighted mean of the
        county rates, labelled in every row.

    Returns
    -------
    PublishedFigures
        :attr:`~PublishedFigures.figures`, one row per figure and year, with value,
        numerator, denominator, units used and missing, the change since the base year, the
        definition and the input columns; the figures without inputs in
        :attr:`~PublishedFigures.unavailable`.

    Raises
    ------
    InputError
        A malformed school, facts or finance table.
    InvalidArgumentError
        An unknown ``aggregate``, a missing province total, no input at all.
    InvalidTypeError
        A register that is not a :class:`~eduequity.city.CountyRegister`.

    Notes
    -----
    A unit (school or county) that lacks one of a figure's columns is left out of that
    figure, counted in ``n_missing`` and named in ``note``; the figure's status is then
    ``"incomplete"``. A zero denominator gives ``"undefined"`` and no value.

    Examples
    --------
    Two counties: 10 of 100 and 90 of 200 eligible teachers rotate.

    >>> import pandas as pd
    >>> facts = pd.DataFrame({
    ...     "county": ["甲县", "乙县"], "year": [2024, 2024],
    ...     "teacher_rotation_eligible": [100, 200], "teacher_rotation_rotated": [10, 90]})
    >>> result = published_figures(facts=facts)
    >>> result.value("teacher_exchange_share")  # (10 + 90) / (100 + 200)
    0.3333333333333333
    >>> published_figures(facts=facts, aggregate="mean_of_rates").value("teacher_exchange_share")
    0.275
    >>> print(result.figures.iloc[0]["definition"])
    sum of teacher_rotation_rotated / sum of teacher_rotation_eligible over the counties
    (national floor 0.1 per county)
    """
    if aggregate not in AGGREGATES:
        msg = f"aggregate={aggregate!r} is not offered; allowed: {', '.join(AGGREGATES)}"
        raise InvalidArgumentError(msg, code="invalid_option")
    if register is None and schools is None and facts is None and funding is None:
        msg = "give at least one input: register, schools, facts or funding"
        raise InvalidArgumentError(msg, code="invalid_argument")
    if register is not None and not isinstance(cast("object", register), CountyRegister):
        msg = (
            f"register must be the CountyRegister of read_register(); got {type(register).__name__}"
        )
        raise InvalidTypeError(msg, code="invalid_argument")
    texts = {
        "large": rules.integer("class_size.large.min_pupils")
        if "class_size.large.min_pupils" in rules
        else 56,
        "super_large": rules.integer("class_size.super_large.min_pupils")
        if "class_size.super_large.min_pupils" in rules
        else 66,
        "rotation_floor": f"{rules.number('guarantee.teacher_rotation.min_rate'):g}"
        if "guarantee.teacher_rotation.min_rate" in rules
        else "—",
    }
    rows: list[dict[str, Any]] = []
    issues: list[Issue] = []
    unavailable: list[str] = []
    city_name: str | None = None
    if register is not None:
        city_name, found, warned = _register_figures(
            register,
            city=city,
            program=program,
            as_of=as_of,
            city_units=city_units,
            province_total=province_total,
            province_year=province_year,
            province_batch=province_batch,
            texts=texts,
        )
        rows += found
        issues += warned
    if schools is not None:
        school_frame, read_issues = _school_frame(schools, rules)
        issues += read_issues
        found, missing = _table_figures(school_frame, "schools", aggregate, texts)
        rows += found
        unavailable += missing
    if facts is not None:
        loaded = facts if isinstance(facts, LoadedTable) else read_county_facts(facts)
        issues += loaded.issues
        found, missing = _table_figures(loaded.frame, "facts", aggregate, texts)
        rows += found
        unavailable += missing
    if funding is not None:
        found, warned, notes = _funding_figures(funding, texts)
        rows += found
        issues += warned
        unavailable += notes
    table = pd.DataFrame(rows, columns=[c for c in FIGURE_COLUMNS if c not in _CHANGE_COLUMNS])
    table["year"] = table["year"].astype("Int64")
    table = _changes(table, base_year)[list(FIGURE_COLUMNS)]
    table["base_year"] = table["base_year"].astype("Int64")
    for column in ("n_units", "n_missing"):
        table[column] = table[column].fillna(0).astype(np.int64)
    for column in ("value", "numerator", "denominator"):
        table[column] = table[column].astype(np.float64)
    return PublishedFigures(
        city=city_name,
        aggregate=aggregate,
        base_year=base_year,
        rules={"id": rules.id, "version": rules.version},
        figures=table,
        unavailable=tuple(unavailable),
        warnings=tuple(dict.fromkeys(issues)),
    )
