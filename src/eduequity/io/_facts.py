"""Checks of the county-facts and monitoring tables, docs: Input tables (private)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd

from eduequity._exact import RATE_COUNT_TOLERANCE, near_mask, to_fraction
from eduequity.io._normalize import format_number, normalize_key
from eduequity.io._reader import TableContext, flag_duplicates
from eduequity.io._schema import (
    EARLIEST_BASIC_BALANCE_YEAR,
    FACT_COLUMNS,
    FACT_DECLARED_FIELDS,
    FACT_RATIOS,
    MONITORING_COLUMNS,
    SUBJECT_ALIASES,
)
from eduequity.io._spec import TableSchema

_NO_SUBSET_RULE = frozenset({"junior_retention_rate", "teacher_salary_parity"})
"""Ratios whose numerator may exceed the denominator (in-migration; pay above parity)."""


def _fmt(value: float) -> str:
    return format_number(float(value))


def check_facts(ctx: TableContext) -> None:
    """Run the county-facts checks of the docs page Input tables."""
    flag_duplicates(
        ctx,
        ("county", "year"),
        "duplicate_county_year",
        advice="; one row per county and assessment year",
    )
    for rate, numerator, denominator in FACT_RATIOS:
        _reconcile_ratio(ctx, rate, numerator, denominator)
    _check_years(ctx)
    _check_salary(ctx)
    _warn_evidence(ctx)


def _reconcile_ratio(ctx: TableContext, rate: str, numerator: str, denominator: str) -> None:
    """Let the counts win over a given rate; flag impossible counts and disagreements."""
    if not (ctx.has(numerator) and ctx.has(denominator)):
        return
    top = ctx.numbers(numerator)
    bottom = ctx.numbers(denominator)
    given = ctx.numbers(rate)
    both = ~np.isnan(top) & ~np.isnan(bottom)
    with np.errstate(invalid="ignore"):
        over = both & (top > bottom)
    if rate == "junior_retention_rate":
        ctx.flag(
            "retention_above_one",
            over,
            column=numerator,
            describe=lambda i: (
                f"{numerator} = {_fmt(top[i])} exceeds {ctx.name_column(denominator)} = "
                f"{_fmt(bottom[i])}; possible with in-migration, but check the cohort"
            ),
            value=ctx.value_text(numerator),
            severity="warning",
        )
    elif rate not in _NO_SUBSET_RULE:
        ctx.flag(
            "count_inconsistent",
            over,
            column=numerator,
            describe=lambda i: (
                f"{numerator} = {_fmt(top[i])} exceeds {ctx.name_column(denominator)} = "
                f"{_fmt(bottom[i])}; a part cannot exceed its whole"
            ),
            value=ctx.value_text(numerator),
        )
    if rate != "teacher_salary_parity":
        ctx.flag(
            "count_inconsistent",
            both & (bottom == 0) & np.isnan(given),
            column=denominator,
            describe=lambda _i: (
                f"{denominator} is 0 and no {rate} is given, so {rate} cannot be computed"
            ),
            value=lambda _i: "0",
        )
    usable = both & (bottom > 0)
    if not usable.any():
        return
    with np.errstate(invalid="ignore", divide="ignore"):
        computed = np.where(usable, top / bottom, np.nan)
    _warn_mismatch(
        ctx,
        rate=rate,
        numerator=numerator,
        denominator=denominator,
        given=given,
        computed=computed,
        usable=usable,
    )
    ctx.frame[rate] = np.where(usable, computed, given)
    ctx.note(
        f"{rate}: computed as {numerator} / {denominator} on {int(usable.sum())} rows "
        "(counts win over a given rate, docs: Input tables)"
    )


def _warn_mismatch(
    ctx: TableContext,
    *,
    rate: str,
    numerator: str,
    denominator: str,
    given: np.ndarray[tuple[int], np.dtype[np.float64]],
    computed: np.ndarray[tuple[int], np.dtype[np.float64]],
    usable: np.ndarray[tuple[int], np.dtype[np.bool_]],
) -> None:
    tolerance = float(RATE_COUNT_TOLERANCE)
    compared = usable & ~np.isnan(given)
    with np.errstate(invalid="ignore"):
        gap = np.abs(given - computed)
    mismatch = compared & (gap > tolerance)
    # a gap that lies at the tolerance is decided exactly, from the decimals as typed
    top, bottom = ctx.numbers(numerator), ctx.numbers(denominator)
    for i in np.flatnonzero(compared & near_mask(gap, np.full_like(gap, tolerance))).tolist():
        exact = abs(to_fraction(given[i]) - to_fraction(top[i]) / to_fraction(bottom[i]))
        mismatch[i] = exact > Fraction(RATE_COUNT_TOLERANCE)
    ctx.flag(
        "rate_count_mismatch",
        mismatch,
        column=rate,
        describe=lambda i: (
            f"{rate} = {_fmt(given[i])} disagrees with {numerator} / {denominator} = "
            f"{_fmt(top[i])} / {_fmt(bottom[i])} = {computed[i]:.6g} by more than "
            f"{RATE_COUNT_TOLERANCE}; the counts are used"
        ),
        value=lambda i: _fmt(given[i]),
        severity="warning",
    )


def _check_years(ctx: TableContext) -> None:
    year = ctx.numbers("year")
    recognition = ctx.numbers("basic_balance_recognition_year")
    if ctx.has("basic_balance_recognition_year"):
        with np.errstate(invalid="ignore"):
            later = recognition > year
            early = recognition < EARLIEST_BASIC_BALANCE_YEAR
        ctx.flag(
            "year_inconsistent",
            later,
            column="basic_balance_recognition_year",
            describe=lambda i: (
                f"recognised in {_fmt(recognition[i])}, after the assessment year {_fmt(year[i])}"
            ),
            value=ctx.value_text("basic_balance_recognition_year"),
        )
        ctx.flag(
            "basic_balance_year_early",
            early,
            column="basic_balance_recognition_year",
            describe=lambda i: (
                f"recognised in {_fmt(recognition[i])}; no recognition under the 2012 method "
                f"is expected before {EARLIEST_BASIC_BALANCE_YEAR}"
            ),
            value=ctx.value_text("basic_balance_recognition_year"),
            severity="warning",
        )
    if ctx.has("basic_balance_recognition_date"):
        dates = pd.DatetimeIndex(ctx.frame["basic_balance_recognition_date"])
        date_year = np.asarray(dates.year, dtype=np.float64)
        with np.errstate(invalid="ignore"):
            later_date = date_year > year
        ctx.flag(
            "year_inconsistent",
            later_date,
            column="basic_balance_recognition_date",
            describe=lambda i: (
                f"recognised on {dates[i].date().isoformat()}, after the assessment year "
                f"{_fmt(year[i])}"
            ),
            value=lambda i: dates[i].date().isoformat(),
        )


def _check_salary(ctx: TableContext) -> None:
    column = "teacher_salary_parity_civil_servant_avg_yuan"
    if ctx.has(column):
        ctx.flag(
            "zero_salary",
            ctx.numbers(column) == 0,
            column=column,
            describe=lambda _i: (
                "the civil-servant average salary is 0; the parity ratio is undefined"
            ),
            value=lambda _i: "0",
        )


def _warn_evidence(ctx: TableContext) -> None:
    for field in FACT_DECLARED_FIELDS:
        _warn_evidence_field(ctx, field)


def _warn_evidence_field(ctx: TableContext, field: str) -> None:
    if ctx.has(field):
        declared = ctx.frame[field].fillna(value=False).to_numpy(dtype=np.bool_)
        evidence = f"{field}_evidence"
        if ctx.has(evidence):
            mask = declared & ~ctx.present(evidence)
            why = f"{evidence} is blank"
        else:
            mask = declared
            why = f"there is no {evidence} column"
        ctx.flag(
            "evidence_missing",
            mask,
            column=field,
            describe=lambda _i: (
                f"{field} is declared true but {why}; give a document number, date, link or "
                "file reference"
            ),
            value=lambda _i: "true",
            severity="warning",
        )


COUNTY_FACTS_SCHEMA: TableSchema = TableSchema(
    name="county_facts",
    title="county facts (docs: Input tables)",
    columns=FACT_COLUMNS,
    key_columns=("county", "year"),
    strict_codes=frozenset({"evidence_missing"}),
    checks=(check_facts,),
)
"""The county-facts table: fields of the docs page Input tables and their checks."""


# --------------------------------------------------------------------------------------
# §2.2 monitoring results


def canonical_subjects(ctx: TableContext) -> None:
    """Map known subject aliases (体育与健康 → 体育); warn once per unknown subject."""
    if not ctx.has("subject"):
        return
    subjects = pd.Series(ctx.texts("subject"), dtype=object)
    table = {normalize_key(alias): name for alias, name in SUBJECT_ALIASES.items()}
    keys = subjects.map(lambda text: None if text is None else normalize_key(text))
    mapped = keys.map(table)
    renamed = mapped.notna() & (mapped != subjects)
    if renamed.any():
        pairs = sorted(
            {(str(a), str(b)) for a, b in zip(subjects[renamed], mapped[renamed], strict=True)}
        )
        ctx.note(
            "subject: "
            + ", ".join(f"{a} read as {b}" for a, b in pairs)
            + f" ({int(renamed.sum())} rows)"
        )
    unknown = subjects.notna() & mapped.isna()
    for name, rows in subjects[unknown].groupby(subjects[unknown], sort=False).groups.items():
        positions = list(rows)
        known = ", ".join(dict.fromkeys(SUBJECT_ALIASES.values()))
        ctx.add(
            "unknown_subject",
            f"subject {name!r} is not a known monitoring subject ({known}); it is kept as "
            f"given ({ctx.rows_text(positions)})",
            row=int(positions[0]),
            column="subject",
            value=str(name),
            severity="warning",
        )
    ctx.frame["subject"] = mapped.where(mapped.notna(), subjects).astype(object)


def check_monitoring(ctx: TableContext) -> None:
    """Run the monitoring-results checks of the docs page Input tables."""
    flag_duplicates(
        ctx,
        ("county", "year", "subject"),
        "duplicate_monitoring_row",
        optional=("grade",),
        advice="; one row per county, year, subject and grade",
    )
    if ctx.has("inter_school_difference_rate"):
        rate = ctx.numbers("inter_school_difference_rate")
        with np.errstate(invalid="ignore"):
            above = rate > 1
        ctx.flag(
            "difference_rate_above_one",
            above,
            column="inter_school_difference_rate",
            describe=lambda i: (
                f"inter-school difference rate {_fmt(rate[i])} is above 1; is it a percentage?"
            ),
            value=ctx.value_text("inter_school_difference_rate"),
            severity="warning",
        )


MONITORING_SCHEMA: TableSchema = TableSchema(
    name="monitoring",
    title="monitoring results (docs: Input tables)",
    columns=MONITORING_COLUMNS,
    key_columns=("county", "year", "subject"),
    prepare=(canonical_subjects,),
    checks=(check_monitoring,),
)
"""The monitoring-results table of the docs page Input tables."""
