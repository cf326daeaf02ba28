"""Part 3 of the national method: education quality (教育质量), 9 items Q1–Q9.

Every item must be met (docs: The national method, Part 3: education quality):

========  ==================================  ============================================
Code      Item                                 Rule (limits from the rule set)
========  ==================================  ============================================
Q1        ``junior_retention_rate``            ≥ 0.95 (rate, or cohort end / cohort start)
Q2        ``disabled_enrolment_rate``          ≥ 0.95 (rate, or enrolled / population)
Q3        ``charters_and_informatization``     declared
Q4        ``teacher_training_budget_share``    every school: training funds / public-funds
                                               budget ≥ 0.05
Q5        ``ict_use_in_teaching``              declared
Q6        ``moral_education_and_culture``      declared
Q7        ``curriculum_and_order``             declared
Q8        ``no_excessive_burden``              declared
Q9        ``academic_monitoring``              every monitored subject: level ≥ Ⅲ and
                                               inter-school difference rate < 0.15
========  ==================================  ============================================

Examples
--------
>>> import pandas as pd
>>> from eduequity.national.rules import RULES_2017
>>> monitoring = pd.DataFrame({
...     "county": ["X", "X"], "year": [2023, 2023], "subject": ["数学", "语文"],
...     "grade": [8, 8], "level": [3, 4], "inter_school_difference_rate": [0.15, 0.08],
... })
>>> part = assess_quality({"county": "X", "junior_retention_rate": 0.95}, None, monitoring,
...                       RULES_2017)
>>> part.item("junior_retention_rate").status
'pass'
>>> q9 = part.item("academic_monitoring")
>>> q9.status, [f.message for f in part.failures if f.item_id == "academic_monitoring"]
('fail', ['数学 (grade 8): inter-school difference rate 0.15 is not < 0.15'])
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Final, cast

import attrs
import numpy as np
import pandas as pd

from eduequity._exact import to_fraction
from eduequity._vocabulary import vocabulary
from eduequity.errors import InvalidTypeError, InvalidValueError
from eduequity.national._facts import (
    Check,
    Evaluator,
    FactReader,
    ItemContext,
    by_mask,
    comparator_of,
    decide_array,
    declared_check,
    float_column,
    list_schools,
    missing_check,
    not_assessed_part,
    provenance,
    ratio_check,
    run_part,
    school_ids,
    school_type,
    show,
    status_of,
    threshold_check,
)

if TYPE_CHECKING:
    from eduequity.national._outcomes import Failure, PartResult
    from eduequity.national.rules import RuleSet

__all__ = ["LEVELS", "assess_quality"]

PART: Final = "education_quality"
SECTION: Final = "quality"

LEVELS: Final[tuple[str, ...]] = tuple(vocabulary("monitoring_levels").labels.values())
"""Academic levels of the national monitoring, 1–4: 待提高 / 中等 / 良好 / 优秀 (§5, [M])."""

_ROMAN: Final[Mapping[str, int]] = {
    code: rank for rank, code in enumerate(vocabulary("monitoring_levels").codes, start=1)
}
_LEVEL_TEXT: Final = re.compile(r"(?:水平)?([IV]+|[1-4])(?:级)?")
_TEACHING_POINT: Final = "teaching_point"
_BUDGET_COLUMNS: Final = ("teacher_training_funds_yuan", "public_funds_budget_yuan")
_JUNIOR_FIRST_GRADE: Final = 7

Checks = list[tuple[str | None, Check]]


def assess_quality(
    facts: Mapping[str, object] | None,
    schools: pd.DataFrame | None,
    monitoring: pd.DataFrame | None,
    rules: RuleSet,
    *,
    strict: bool = False,
) -> PartResult:
    r"""Assess Part 3, education quality (教育质量): every item of ``quality.ids``.

    Parameters
    ----------
    facts : mapping or None
        One county's facts (docs: Input tables), values already parsed.
    schools : pandas.DataFrame or None
        The prepared whole-school table, for Q4 (columns ``teacher_training_funds_yuan`` and
        ``public_funds_budget_yuan`` [yuan]).
    monitoring : pandas.DataFrame or None
        National monitoring results (docs: Input tables): ``subject``, optional
        ``grade``, ``level`` (1–4 or Ⅰ–Ⅳ), ``inter_school_difference_rate``; rows of other
        counties (``county`` ≠ the facts' county) are ignored.
    rules : RuleSet
        The rule set.
    strict : bool, optional
        Promote warning ``evidence_missing`` to an error.

    Returns
    -------
    PartResult
        Part ``"education_quality"`` with one item per entry of ``quality.ids`` (Q1…Q9);
        failing schools (Q4) and failing subjects (Q9) are listed as failures.
        ``not_assessed`` when ``facts``, ``schools`` and ``monitoring`` are all ``None``.

    Raises
    ------
    InvalidTypeError, InvalidValueError
        A fact or monitoring value of the wrong type or range, naming the county and field
        (or the monitoring row and column); ``count_inconsistent``; ``evidence_missing``
        under ``strict``.

    Warns
    -----
    DataQualityWarning
        ``evidence_missing`` (declared ``true`` without evidence); ``retention_above_one``
        (cohort end above cohort start, possible with in-migration).

    Notes
    -----
    **Q1** uses ``junior_retention_rate`` or, when both counts are given,
    ``junior_retention_rate_cohort_end / junior_retention_rate_cohort_start`` over a cohort
    of ``quality.junior_retention_rate.cohort_years`` years (3 by default).

    **Q4** is the minimum school share (the fact ``teacher_training_budget_share`` overrides):

    .. math::

        \min_j \frac{\text{teacher\_training\_funds}_j}{\text{public\_funds\_budget}_j}
        \ge 0.05

    A school with a zero budget has no share (incomplete). A teaching point whose two budget
    cells are both empty is left out, with a note: teaching points are usually funded
    through their central school.

    **Q9** requires, for every monitored subject (and grade), ``level >= 3`` (Ⅲ or Ⅳ) and
    ``inter_school_difference_rate < 0.15`` (低于: strict, so 0.15 fails). When the table
    holds several years, the latest one not after the facts' ``year`` is used. The county
    fact ``academic_monitoring`` overrides the table.

    References
    ----------
    docs: The national method, Part 3: education quality #8–9, #19; docs: Input tables.
    """
    item_ids = rules.ids("quality.ids")
    if facts is None and schools is None and monitoring is None:
        return not_assessed_part(
            PART, SECTION, item_ids, rules, "no county facts, school table or monitoring results"
        )
    reader = FactReader(facts=facts if facts is not None else {}, strict=strict)
    evaluators: dict[str, Evaluator] = {
        "junior_retention_rate": _retention,
        "disabled_enrolment_rate": lambda ctx: (
            [
                (
                    None,
                    ratio_check(
                        ctx,
                        "disabled_enrolment_rate",
                        "disabled_enrolment_rate_enrolled",
                        "disabled_enrolment_rate_population",
                        ctx.key("min_rate"),
                    ),
                )
            ],
            {},
        ),
        "teacher_training_budget_share": lambda ctx: _training_share(ctx, schools),
        "academic_monitoring": lambda ctx: _academic_monitoring(ctx, monitoring),
    }
    return run_part(PART, SECTION, item_ids, rules, reader=reader, evaluators=evaluators)


def _retention(ctx: ItemContext) -> tuple[Checks, dict[str, Any]]:
    """Q1: junior retention rate, from the rate or the cohort counts."""
    years = ctx.rules.integer(ctx.key("cohort_years"))
    check = ratio_check(
        ctx,
        "junior_retention_rate",
        "junior_retention_rate_cohort_end",
        "junior_retention_rate_cohort_start",
        ctx.key("min_rate"),
        above_one="retention_above_one",
        count_kind="count",
    )
    if check.input_source == "facts (counts)":
        span = (
            f"{ctx.label()}: cohort counts over a {years}-year cohort "
            f"(rule {ctx.key('cohort_years')})"
        )
        check = attrs.evolve(check, notes=(*check.notes, span))
    return [(None, check)], {}


# --------------------------------------------------------------------------------------------
# Q4


def _training_share(
    ctx: ItemContext, schools: pd.DataFrame | None
) -> tuple[Checks, dict[str, Any]]:
    """Q4: the minimum school share of training funds, or the county fact overriding it."""
    field = "teacher_training_budget_share"
    key = ctx.key("min_share")
    computed = None if schools is None else _school_shares(ctx, schools, key)
    given = ctx.reader.number(field, kind="rate")
    if given is None:
        if computed is None:
            return [
                (
                    None,
                    missing_check(
                        f"{field} is missing and there is no school table to compute it",
                        limit=ctx.rules.number(key),
                        comparator=comparator_of(ctx.rules.entry(key)),
                        source=provenance(ctx.rules.entry(key)),
                        rule_key=key,
                    ),
                )
            ], {}
        return [(None, computed)], {}
    notes: tuple[str, ...] = ()
    source = "facts"
    if computed is not None and computed.value is not None:
        source = "override"
        note = (
            f"{ctx.label()}: override_used: county fact {field} = {show(given)} replaces the "
            f"minimum computed from the school table ({computed.status}, "
            f"{show(computed.value)})"
        )
        notes = (note,)
    check = threshold_check(
        ctx,
        given,
        key,
        name=f"{field} (minimum school share)",
        missing_reason="",
        input_source=source,
        evidence=ctx.reader.evidence(field),
        notes=notes,
    )
    return [(None, check)], {}


def _school_shares(ctx: ItemContext, schools: pd.DataFrame, key: str) -> Check:
    """Every school's training funds / public-funds budget against the minimum share."""
    entry = ctx.rules.entry(key)
    comparator = comparator_of(entry)
    source = provenance(entry)
    limit = float(entry.fraction)
    absent = [column for column in _BUDGET_COLUMNS if column not in schools.columns]
    if absent:
        return missing_check(
            f"optional_column_missing: the school table has no column {', '.join(absent)}",
            limit=limit,
            comparator=comparator,
            input_source="schools",
            source=source,
            rule_key=key,
        )
    training = float_column(schools, _BUDGET_COLUMNS[0])
    budget = float_column(schools, _BUDGET_COLUMNS[1])
    notes: list[str] = []
    in_scope = np.ones(len(schools), dtype=np.bool_)
    if "school_type" in schools.columns:
        unfunded_points = (
            (school_type(schools) == _TEACHING_POINT) & np.isnan(training) & np.isnan(budget)
        )
        if unfunded_points.any():
            in_scope = ~unfunded_points
            notes.append(
                f"{ctx.label()}: {int(unfunded_points.sum())} teaching point(s) without budget "
                "figures left out (funded through their central school)"
            )
    ids = school_ids(schools)
    missing = in_scope & (np.isnan(training) | np.isnan(budget))
    zero_budget = in_scope & ~missing & (budget == 0)
    valid = in_scope & ~missing & ~zero_budget
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = np.where(valid, training / np.where(valid, budget, 1.0), np.nan)

    def exact_shares(flat: np.ndarray) -> list[Fraction]:
        return [to_fraction(float(training[i])) / to_fraction(float(budget[i])) for i in flat]

    limits = np.full(len(schools), limit)
    exact_limit = np.empty(1, dtype=object)
    exact_limit[0] = entry.fraction
    met = decide_array(
        shares, limits, comparator, exact_limits=exact_limit, exact_values=exact_shares
    )
    failing = valid & ~met
    failures: list[Failure] = [
        ctx.failure(
            f"school {ids[i]}: teacher-training funds {show(training[i])} yuan are "
            f"{shares[i]:.4g} of the public-funds budget {show(budget[i])} yuan; at least "
            f"{show(entry.fraction)} required",
            school_id=str(ids[i]),
            value=float(shares[i]),
            limit=limit,
            comparator=comparator,
            source=source,
            rule_key=key,
        )
        for i in np.flatnonzero(failing)
    ]
    reasons: list[str] = []
    if failing.any():
        reasons.append(
            f"{int(failing.sum())} school(s) below the share: {list_schools(ids, failing)}"
        )
    if missing.any():
        reasons.append(
            f"{int(missing.sum())} school(s) lack training funds or budget: "
            f"{list_schools(ids, missing)}"
        )
    if zero_budget.any():
        reasons.append(
            f"{int(zero_budget.sum())} school(s) have a zero public-funds budget, so no share: "
            f"{list_schools(ids, zero_budget)}"
        )
    unknown = missing | zero_budget
    status = status_of(bool(failing.any()), bool(unknown.any()))
    if not in_scope.any():
        status = "incomplete"
        reasons.append("no school with budget figures")
    lowest = float(np.nanmin(shares)) if valid.any() else None
    return Check(
        status=status,
        value=lowest,
        limit=limit,
        comparator=comparator,
        reasons=tuple(reasons),
        failures=tuple(failures),
        notes=tuple(notes),
        input_source="schools",
        source=source,
        rule_key=key,
    )


# --------------------------------------------------------------------------------------------
# Q9


def _parse_levels(column: pd.Series, where: str) -> np.ndarray:
    """Return the levels 1–4 of a monitoring column (numbers, Ⅰ–Ⅳ, I–IV, 水平Ⅲ), NaN if missing."""
    codes, uniques = pd.factorize(column.astype("object"), use_na_sentinel=True)
    table = np.empty(len(uniques) + 1, dtype=np.float64)
    table[-1] = np.nan  # code -1: a missing cell
    for position, raw in enumerate(uniques):
        level = _level_of(raw)
        if level is None:
            msg = f"{where}: level {raw!r} is not a monitoring level; expected 1-4, Ⅰ-Ⅳ or I-IV"
            raise InvalidValueError(msg, code="unknown_value")
        table[position] = level
    return table[codes]


def _level_of(raw: object) -> int | None:
    if isinstance(raw, bool | np.bool_):
        return None
    if isinstance(raw, int | float | np.integer | np.floating):
        number = float(raw)
        return int(number) if number.is_integer() and 1 <= number <= len(LEVELS) else None
    text = unicodedata.normalize("NFKC", str(raw)).strip().upper().replace(" ", "")
    match = _LEVEL_TEXT.fullmatch(text)
    if match is None:
        return None
    token = match.group(1)
    return int(token) if token.isdigit() else _ROMAN.get(token)


def monitoring_cycle(years: pd.Series, year: int | None) -> float | None:
    """Return the monitoring year Q9 uses: the latest at or before ``year`` (any without it).

    ``None`` when no row has such a year. :func:`~eduequity.national.assess_county` reports
    the rows of the other years it leaves out.
    """
    usable = years if year is None else years.where(years <= year)
    return float(usable.max()) if usable.notna().any() else None


def _monitoring_rows(
    ctx: ItemContext, monitoring: pd.DataFrame
) -> tuple[pd.DataFrame, list[str], str | None]:
    """Return the county's rows of the year to use, notes, and a reason when there are none."""
    notes: list[str] = []
    rows = monitoring
    county = ctx.reader.text("county")
    if "county" in rows.columns:
        counties = rows["county"].dropna().astype(str).unique()
        if county is not None:
            rows = rows.loc[rows["county"].astype(str) == county]
        elif len(counties) > 1:
            msg = (
                f"the monitoring table holds {len(counties)} counties and the facts name none; "
                "pass the facts' county or one county's rows"
            )
            raise InvalidValueError(msg, code="several_counties")
    if rows.empty:
        return rows, notes, f"no monitoring results for county {ctx.reader.county}"
    year = ctx.reader.year("year")
    if "year" in rows.columns:
        years = pd.to_numeric(rows["year"], errors="coerce")
        chosen = monitoring_cycle(years, year)
        if chosen is not None:
            held = sorted(int(y) for y in years.dropna().unique())
            if len(held) > 1:
                notes.append(
                    f"{ctx.label()}: monitoring results of {int(chosen)} used "
                    f"(the table holds {', '.join(map(str, held))})"
                )
            rows = rows.loc[years == chosen]
        else:
            return rows.iloc[:0], notes, f"no monitoring results up to {year}"
    return rows.reset_index(drop=True), notes, None


def _academic_monitoring(
    ctx: ItemContext, monitoring: pd.DataFrame | None
) -> tuple[Checks, dict[str, Any]]:
    """Q9: every monitored subject at level ≥ Ⅲ with difference rate < 0.15."""
    rules = ctx.rules
    level_key, rate_key = ctx.key("min_level"), ctx.key("max_difference_rate")
    level_entry, rate_entry = rules.entry(level_key), rules.entry(rate_key)
    limit = {"min_level": rules.integer(level_key), "max_difference_rate": rules.number(rate_key)}
    sources = "; ".join(dict.fromkeys(provenance(e) for e in (level_entry, rate_entry)))
    computed = None if monitoring is None else _monitoring_check(ctx, monitoring)
    field = "academic_monitoring"
    if not ctx.reader.has(field):
        if computed is None:
            check = missing_check(
                "no monitoring results and no county fact academic_monitoring",
                limit=limit,
                input_source="monitoring",
                source=sources,
            )
            return [(None, check)], {}
        return [(None, computed)], {}
    declared = declared_check(ctx, field, require_evidence=False)
    if computed is None:
        return [(None, declared)], {}
    note = (
        f"{ctx.label()}: override_used: county fact {field} = {show(declared.value)} replaces "
        f"the result computed from the monitoring table ({computed.status})"
    )
    overridden = Check(
        status=declared.status,
        value=declared.value,
        limit=True,
        comparator="==",
        evidence=declared.evidence,
        reasons=declared.reasons,
        notes=(*declared.notes, note),
        input_source="override",
        source=sources,
    )
    return [(None, overridden)], {}


def _monitoring_check(ctx: ItemContext, monitoring: pd.DataFrame) -> Check:
    rules = ctx.rules
    level_key, rate_key = ctx.key("min_level"), ctx.key("max_difference_rate")
    level_entry, rate_entry = rules.entry(level_key), rules.entry(rate_key)
    limit = {"min_level": rules.integer(level_key), "max_difference_rate": rules.number(rate_key)}
    sources = "; ".join(dict.fromkeys(provenance(e) for e in (level_entry, rate_entry)))
    if not isinstance(cast("object", monitoring), pd.DataFrame):
        msg = f"monitoring must be a pandas DataFrame; got {type(monitoring).__name__}"
        raise InvalidTypeError(msg, code="invalid_argument")
    columns = ["subject", "level", "inter_school_difference_rate"]
    absent = [column for column in columns if column not in monitoring.columns]
    if absent:
        return missing_check(
            f"the monitoring table has no column {', '.join(absent)}",
            limit=limit,
            input_source="monitoring",
            source=sources,
        )
    rows, notes, empty_reason = _monitoring_rows(ctx, monitoring)
    if empty_reason is not None:
        return missing_check(
            empty_reason, limit=limit, input_source="monitoring", source=sources, notes=tuple(notes)
        )
    levels = _parse_levels(rows["level"], "monitoring table, column level")
    rates = float_column(rows, "inter_school_difference_rate")
    if (rates < 0).any():
        bad = ", ".join(map(str, np.flatnonzero(rates < 0)[:5]))
        msg = (
            f"monitoring table, column inter_school_difference_rate: rows {bad} of county "
            f"{ctx.reader.county} are negative; expected a value >= 0"
        )
        raise InvalidValueError(msg, code="negative_value")
    subjects = rows["subject"].astype(str).to_numpy()
    grades = (
        pd.to_numeric(rows["grade"], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
        if "grade" in rows.columns
        else np.full(len(rows), np.nan)
    )
    labels = np.asarray(
        [
            s if np.isnan(g) else f"{s} (grade {int(g)})"
            for s, g in zip(subjects, grades, strict=True)
        ],
        dtype=object,
    )
    stages = by_mask(~np.isnan(grades), "primary", None)
    stages[grades >= _JUNIOR_FIRST_GRADE] = "junior"
    level_limit = np.full(len(rows), float(level_entry.fraction))
    rate_limit = np.full(len(rows), float(rate_entry.fraction))
    exact_rate = np.empty(1, dtype=object)
    exact_rate[0] = rate_entry.fraction
    level_unknown = np.isnan(levels)
    rate_unknown = np.isnan(rates)
    low = ~level_unknown & ~decide_array(levels, level_limit, comparator_of(level_entry))
    wide = ~rate_unknown & ~decide_array(
        rates, rate_limit, comparator_of(rate_entry), exact_limits=exact_rate
    )
    level_failures = [
        ctx.failure(
            f"{labels[i]}: level {LEVELS[int(levels[i]) - 1]} is below "
            f"{LEVELS[int(level_entry.fraction) - 1]}",
            stage=stages[i],
            value=int(levels[i]),
            limit=int(level_entry.fraction),
            comparator=comparator_of(level_entry),
            source=provenance(level_entry),
            rule_key=level_key,
        )
        for i in np.flatnonzero(low)
    ]
    rate_failures = [
        ctx.failure(
            f"{labels[i]}: inter-school difference rate {show(rates[i])} is not "
            f"{comparator_of(rate_entry)} {show(rate_entry.fraction)}",
            stage=stages[i],
            value=float(rates[i]),
            limit=float(rate_entry.fraction),
            comparator=comparator_of(rate_entry),
            source=provenance(rate_entry),
            rule_key=rate_key,
        )
        for i in np.flatnonzero(wide)
    ]
    failing = low | wide
    unknown = (level_unknown | rate_unknown) & ~failing
    reasons: list[str] = []
    if failing.any():
        reasons.append(f"{int(failing.sum())} subject(s) fail: {', '.join(labels[failing][:10])}")
    if unknown.any():
        reasons.append(
            f"{int(unknown.sum())} subject(s) lack the level or difference rate: "
            f"{', '.join(labels[unknown][:10])}"
        )
    status = status_of(bool(failing.any()), bool(unknown.any()))
    value = {
        "subjects": len(rows),
        "lowest_level": None if level_unknown.all() else int(np.nanmin(levels)),
        "highest_difference_rate": None if rate_unknown.all() else float(np.nanmax(rates)),
    }
    return Check(
        status=status,
        value=value,
        limit=limit,
        reasons=tuple(reasons),
        failures=(*level_failures, *rate_failures),
        notes=tuple(notes),
        input_source="monitoring",
        source=sources,
    )
