"""Part 1, resource allocation (资源配置): the per-school rule and the inter-school CVs.

2017: every unit must meet at least ``resource.min_met`` of the standards of its
stage, the rest at least ``resource.floor_ratio`` of theirs; and each indicator's
enrolment-weighted coefficient of variation (差异系数) must not exceed the stage's limit.

2012: no per-school rule; the composite CV, the arithmetic mean of the 8 CVs of a
stage, must not exceed the stage's limit.

The computation runs once over every unit of every county: grouped by ``(county, stage)``
with the core's vectorized functions, never a Python loop per county. Decisions at a
threshold are exact: values next to a standard, a floor or a limit are re-computed in
rational arithmetic from the figures as typed.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import pandas as pd

from eduequity import _exact
from eduequity._frames import object_frame
from eduequity._serialize import attrs_to_dict, to_jsonable
from eduequity.core.variation import cv_columns_by_code
from eduequity.national._outcomes import Failure, Status, combine_statuses
from eduequity.national.indicators import (
    INDICATORS,
    _indicator_ids,
    exact_value,
    exact_values,
    indicator_values,
)
from eduequity.national.units import STAGES

if TYPE_CHECKING:
    from eduequity._typing import BoolArray, FloatArray, IntArray, JSONValue
    from eduequity.national.rules import RuleSet
    from eduequity.national.units import PreparedUnits

__all__ = ["ResourceResult", "evaluate_resources"]

_QUALITY_BALANCE = "quality_balance"
_PART = "resource_allocation"


def _source_text(rules: RuleSet, key: str) -> str:
    """Return a one-line provenance of a rule entry: document, clause, tag."""
    entry = rules.entry(key)
    parts = [f"{rules.id} {key}"]
    if entry.source is not None:
        parts.extend(str(item) for item in (entry.source.number, entry.source.clause) if item)
    parts.append(f"[{entry.tag}]")
    return " ".join(parts)


@attrs.frozen(kw_only=True)
class ResourceEvaluation:
    """Part 1 evaluated for every unit and every ``(county, stage)`` of a school table."""

    rules: RuleSet
    """The rule set applied."""
    prepared: PreparedUnits = attrs.field(repr=False)
    """The units and the records of their preparation."""
    indicator_ids: tuple[str, ...]
    """The indicators in rule-set order."""
    matrix: FloatArray = attrs.field(repr=False)
    """Indicator values, n_units × n_indicators."""
    amounts: FloatArray = attrs.field(repr=False)
    """Resource amounts behind the values (σ-scaled, before the per-100 factor)."""
    units: pd.DataFrame
    """One row per unit: identity, ``students``, ``share``, the indicator values and, for the
    2017 method, ``met_count`` and ``passed`` (the unmet ids are in :attr:`met`)."""
    met: BoolArray | None = attrs.field(repr=False)
    """Standards met, n_units × n_indicators (2017 only)."""
    cv: pd.DataFrame
    """Long table indexed by (``county``, ``stage``, ``indicator``) with ``n_units``,
    ``county_value`` (enrolment-weighted mean), ``cv``, ``limit``, ``margin`` (limit − cv) and
    ``status``. In the 2012 edition the limit applies to the composite, so ``limit``,
    ``margin`` and ``status`` are empty here."""
    composite: pd.DataFrame | None
    """2012 only: indexed by (``county``, ``stage``) with ``composite_cv``, ``limit``,
    ``margin`` and ``status``."""

    @property
    def is_quality_balance(self) -> bool:
        """True for the 2017 method (per-school rule and per-indicator limits)."""
        return self.rules.value("method") == _QUALITY_BALANCE


def evaluate_resources(prepared: PreparedUnits, rules: RuleSet) -> ResourceEvaluation:
    """Evaluate Part 1 for every unit and every (county, stage) at once.

    Parameters
    ----------
    prepared : PreparedUnits
        Output of :func:`~eduequity.national.units.prepare_units`.
    rules : RuleSet
        The rule set; its ``method`` entry selects the 2017 or 2012 rules.

    Returns
    -------
    ResourceEvaluation
    """
    ids = _indicator_ids(rules)
    values, amounts = indicator_values(prepared, rules)
    identity = prepared.units[
        ["county", "school_id", "school_name", "unit_id", "stage", "students", "share"]
    ]
    # The indicator columns are views of ``values``, not a copy (the frames are never
    # written to in place; with copy-on-write a write would copy first).
    indicator_frame = pd.DataFrame(values, columns=list(ids), index=identity.index, copy=False)
    units = pd.concat([identity, indicator_frame], axis=1)
    met: BoolArray | None = None
    if rules.value("method") == _QUALITY_BALANCE:
        met = _school_rule(prepared, rules, ids, values, units, amounts=amounts)
    cv = _cv_table(prepared, rules, ids, values)
    composite = None
    if rules.value("method") != _QUALITY_BALANCE:
        composite = _composite_table(prepared, rules, ids, cv)
    return ResourceEvaluation(
        rules=rules,
        prepared=prepared,
        indicator_ids=ids,
        matrix=values,
        amounts=amounts,
        units=units,
        met=met,
        cv=cv,
        composite=composite,
    )


def _school_rule(
    prepared: PreparedUnits,
    rules: RuleSet,
    ids: tuple[str, ...],
    values: FloatArray,
    units: pd.DataFrame,
    *,
    amounts: FloatArray,
) -> BoolArray:
    """Apply the per-school rule of §3.5 stage by stage; add the columns to ``units``.

    Every standard is "at least" (``>=``), so a unit passes when it meets ``resource.min_met``
    standards and reaches ``resource.floor_ratio`` of every other one: the rule of
    :func:`~eduequity.core.assess_attainment`, decided here on the matrix directly (exactly
    at a threshold, as there) without the per-cell audit tables that function builds.
    """
    n_units = len(units)
    met = np.zeros((n_units, len(ids)), dtype=np.bool_)
    floors_held = np.ones(n_units, dtype=np.bool_)
    stage = units["stage"].to_numpy()
    min_met = int(rules.number("resource.min_met"))
    floor_ratio = rules.fraction("resource.floor_ratio")
    for stage_name in STAGES:
        rows = np.flatnonzero(stage == stage_name)
        if not rows.size:
            continue
        # one indicator at a time: the temporaries of a comparison stay one column long
        for k, indicator in enumerate(ids):
            standard = rules.fraction(f"resource.standard.{stage_name}.{indicator}")

            def exact(
                flat: np.ndarray, rows: np.ndarray = rows, k: int = k, indicator: str = indicator
            ) -> list[Fraction]:
                near = rows[flat]
                return exact_values(prepared, rules, near, indicator, amounts[near, k])

            column = values[rows, k]
            decided = [
                _exact.compare(
                    column,
                    np.array(float(threshold)),
                    ">=",
                    exact_thresholds=np.array(threshold, dtype=object),
                    exact_values=exact,
                )
                for threshold in (standard, floor_ratio * standard)
            ]
            met[rows, k] = decided[0]
            floors_held[rows] &= decided[0] | decided[1]
    met_count = met.sum(axis=1)
    units["met_count"] = met_count.astype(np.int64)
    units["passed"] = (met_count >= min_met) & floors_held
    return met


def _cv_table(
    prepared: PreparedUnits, rules: RuleSet, ids: tuple[str, ...], values: FloatArray
) -> pd.DataFrame:
    """Compute every indicator's weighted mean and CV per (county, stage), decided exactly."""
    codes, groups = prepared.group_codes()
    students = prepared.array("students", frame="units").astype(np.float64)
    n_groups, n_indicators = len(groups), len(ids)
    pupils = np.bincount(codes, weights=students, minlength=n_groups)
    # Degenerate groups (one unit, zero mean) are reported by status below.
    cv = cv_columns_by_code(values, codes, students)
    county_value = np.empty((n_indicators, n_groups))
    for k in range(n_indicators):
        weighted = np.bincount(codes, weights=values[:, k] * students, minlength=n_groups)
        county_value[k] = weighted / pupils
    # rows indicator by indicator, each over every (county, stage) group
    group = np.tile(np.arange(n_groups), n_indicators)
    table = object_frame(
        {
            "county": np.asarray(groups.get_level_values("county"), dtype=object)[group],
            "stage": np.asarray(groups.get_level_values("stage"), dtype=object)[group],
            "indicator": np.repeat(np.asarray(ids, dtype=object), n_groups),
            "n_units": np.bincount(codes, minlength=n_groups)[group],
            "students": pupils[group],
            "county_value": county_value.ravel(),
            "cv": cv.ravel(),
        }
    )
    table["status"] = np.where(np.isnan(cv.ravel()), "undefined", "")
    if rules.value("method") == _QUALITY_BALANCE:
        _decide_cv_limits(prepared, rules, table, codes, group)
    else:
        table["limit"] = np.nan
        table["margin"] = np.nan
    return table.set_index(["county", "stage", "indicator"])


def _decide_cv_limits(
    prepared: PreparedUnits,
    rules: RuleSet,
    table: pd.DataFrame,
    codes: np.ndarray,
    group_position: IntArray,
) -> None:
    """Add ``limit``, ``margin`` and ``status`` (pass/fail/undefined) to the CV table.

    ``group_position`` gives the (county, stage) group of each row of ``table``.
    """
    stage = table["stage"].to_numpy()
    # each row's stage as its position in STAGES, to look the limits up in arrays
    stage_code = np.zeros(stage.size, dtype=np.int64)
    for position, name in enumerate(STAGES[1:], start=1):
        stage_code[stage == name] = position
    limit_by_stage = [rules.fraction(f"resource.cv_limit.{s}") for s in STAGES]
    limits = np.array([float(limit) for limit in limit_by_stage])[stage_code]
    cv = table["cv"].to_numpy(dtype=np.float64)

    def exact_cv_squared(flat: np.ndarray) -> list[Fraction]:
        # Compare CV² with limit² in rational arithmetic (§3.6, "Limit comparison").
        return [
            _exact_cv_squared(
                prepared,
                rules,
                np.flatnonzero(codes == group_position[row]),
                str(table["indicator"].iloc[row]),
            )
            for row in flat
        ]

    squared = np.empty(len(STAGES), dtype=object)
    squared[:] = [limit**2 for limit in limit_by_stage]
    exact_limits_squared = squared[stage_code]
    within = _exact.compare(
        cv * cv,
        limits * limits,
        "<=",
        exact_thresholds=exact_limits_squared,
        exact_values=exact_cv_squared,
    )
    undefined = np.isnan(cv)
    table["limit"] = limits
    table["margin"] = limits - cv
    table["status"] = np.where(undefined, "undefined", np.where(within, "pass", "fail"))


def _exact_cv_squared(
    prepared: PreparedUnits, rules: RuleSet, members: np.ndarray, indicator: str
) -> Fraction:
    """Return CV² of one group as an exact fraction of the figures as typed."""
    students = prepared.array("students", frame="units")[members]
    weights = [Fraction(int(p)) for p in students]
    values = [exact_value(prepared, rules, int(unit), indicator) for unit in members]
    total = sum(weights, Fraction(0))
    mean = sum((w * x for w, x in zip(weights, values, strict=True)), Fraction(0)) / total
    variance = sum((w * (x - mean) ** 2 for w, x in zip(weights, values, strict=True)), Fraction(0))
    return variance / total / mean**2


def _composite_table(
    prepared: PreparedUnits,
    rules: RuleSet,
    ids: tuple[str, ...],
    cv: pd.DataFrame,
) -> pd.DataFrame:
    """2012: the composite CV (mean of the stage's CVs) against its limit."""
    codes, groups = prepared.group_codes()
    wide = cv["cv"].unstack("indicator").reindex(index=groups, columns=list(ids))
    composite = wide.mean(axis=1, skipna=False)
    stage = composite.index.get_level_values("stage")
    limit_by_stage = {s: rules.fraction(f"resource.composite_cv_limit.{s}") for s in STAGES}
    limits = np.array([float(limit_by_stage[s]) for s in stage])
    values_c = composite.to_numpy(dtype=np.float64)
    near = _exact.near_mask(values_c, limits)
    within = values_c <= limits
    for row in np.flatnonzero(near & ~np.isnan(values_c)):
        # The mean of square roots is not rational: decide with 50 significant digits.
        group = groups.get_loc(composite.index[int(row)])
        members = np.flatnonzero(codes == group)
        with localcontext() as context:
            context.prec = 50
            cvs = [_fraction_sqrt(_exact_cv_squared(prepared, rules, members, k)) for k in ids]
            mean = sum(cvs, Decimal(0)) / len(ids)
            limit = limit_by_stage[str(stage[int(row)])]
            within[row] = mean <= Decimal(limit.numerator) / Decimal(limit.denominator)
    undefined = np.isnan(values_c)
    return pd.DataFrame(
        {
            "composite_cv": values_c,
            "limit": limits,
            "margin": limits - values_c,
            "status": np.where(undefined, "undefined", np.where(within, "pass", "fail")),
        },
        index=composite.index,
    )


def _fraction_sqrt(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).sqrt()


@attrs.frozen(kw_only=True)
class ResourceResult:
    """Part 1 (资源配置) of one county: the per-school rule and the inter-school balance."""

    status: Status
    """``pass``, ``fail`` or ``not_assessed`` (no unit at any stage)."""
    method: str
    """``"quality_balance"`` (2017) or ``"basic_balance"`` (2012)."""
    cv: pd.DataFrame
    """The CVs (差异系数): index = stage, columns = the indicator ids."""
    indicators: pd.DataFrame
    """Per stage and indicator: ``n_units``, ``students``, ``county_value`` (enrolment-weighted
    mean), ``cv``, ``limit``, ``margin`` and ``status``."""
    schools: pd.DataFrame
    """One row per school section: ``school_id``, ``school_name``, ``unit_id``, ``stage``,
    ``students``, ``share`` (σ), the indicator values and, in the 2017 method, ``met_count``,
    ``unmet`` and ``passed``."""
    remediation: pd.DataFrame
    """School-by-school remediation list (一校一案): one row per unmet standard of a unit, with
    the gap in the indicator's unit and the shortfall in natural units (teachers, m², yuan,
    rooms) for the section and as the addition the whole school needs."""
    composite: pd.DataFrame | None
    """2012 only: per stage ``composite_cv``, ``limit``, ``margin`` and ``status``."""
    failures: tuple[Failure, ...]
    """Every failing unit standard and CV, with value, limit and source."""
    excluded: pd.DataFrame
    """Schools excluded, with the reason."""
    merged: pd.DataFrame
    """Sites merged into their parent schools."""
    split: pd.DataFrame
    """Sections of mixed schools with their shares."""
    notes: tuple[str, ...] = ()
    """Degenerate cases (a stage with one unit, an undefined CV) and other remarks."""

    @property
    def passed(self) -> bool:
        """True when every unit passes the school rule and every CV is within its limit."""
        return self.status == "pass"

    def to_dict(self) -> dict[str, JSONValue]:
        """Return a JSON-safe mapping; ``cv`` as ``{stage: {indicator: value}}``."""
        data = attrs_to_dict(self)
        data["cv"] = {
            str(stage): {str(k): to_jsonable(v) for k, v in row.items()}
            for stage, row in self.cv.iterrows()
        }
        data["passed"] = self.passed
        return data


def _for_county(table: pd.DataFrame, county: str) -> pd.DataFrame:
    """Return the rows of a table indexed by county (first level), without that level."""
    in_county = table.index.get_level_values("county") == county
    return table.loc[in_county].droplevel("county")


def county_result(evaluation: ResourceEvaluation, county: str) -> ResourceResult:
    """Extract the Part 1 result of one county from an evaluation over a table."""
    rules = evaluation.rules
    ids = evaluation.indicator_ids
    in_county = (evaluation.units["county"] == county).to_numpy()
    units = evaluation.units.loc[in_county].reset_index(drop=True)
    if evaluation.met is not None:
        id_array = np.array(ids, dtype=object)
        unmet = [tuple(id_array[~row]) for row in evaluation.met[in_county]]
        units.insert(len(units.columns) - 1, "unmet", unmet)  # just before "passed"
    indicators = _for_county(evaluation.cv, county)
    cv_wide = indicators["cv"].unstack("indicator").reindex(columns=list(ids))
    cv_wide = cv_wide.reindex([s for s in STAGES if s in cv_wide.index])
    composite = None if evaluation.composite is None else _for_county(evaluation.composite, county)
    failures = _cv_failures(rules, indicators) if composite is None else []
    if composite is None:
        failures += _unit_failures(rules, units, ids)
    else:
        failures += _composite_failures(rules, composite)
    statuses = _statuses(units, indicators, composite)
    remediation = _remediation(evaluation, np.flatnonzero(in_county))
    prepared = evaluation.prepared
    status: Status = combine_statuses(statuses) if statuses else "not_assessed"
    return ResourceResult(
        status=status,
        method=str(rules.value("method")),
        cv=cv_wide,
        indicators=indicators,
        schools=units,
        remediation=remediation,
        composite=composite,
        failures=tuple(failures),
        excluded=prepared.excluded.loc[prepared.excluded["county"] == county].reset_index(
            drop=True
        ),
        merged=prepared.merged.loc[prepared.merged["county"] == county].reset_index(drop=True),
        split=prepared.split.loc[prepared.split["school_id"].isin(units["school_id"])].reset_index(
            drop=True
        ),
        notes=tuple(_notes(indicators)),
    )


def _statuses(
    units: pd.DataFrame, indicators: pd.DataFrame, composite: pd.DataFrame | None
) -> list[Status]:
    """Return the status of every decision of Part 1: each CV (or composite) and each unit."""
    decided = composite["status"] if composite is not None else indicators["status"]
    statuses: list[Status] = ["pass" if status == "pass" else "fail" for status in decided]
    if composite is None:
        statuses += ["pass" if ok else "fail" for ok in units["passed"]]
    return statuses


def _notes(indicators: pd.DataFrame) -> list[str]:
    single = indicators.loc[indicators["n_units"] == 1]
    undefined = indicators.loc[indicators["status"] == "undefined"]
    return [
        f"{stage}: a single unit; its CVs are 0 by the formula (single_unit)"
        for stage in dict.fromkeys(single.index.get_level_values("stage"))
    ] + [
        f"{stage} {indicator}: CV undefined, the county value is 0"
        for stage, indicator in undefined.index
    ]


def _limit_failure(
    rules: RuleSet,
    *,
    key: str,
    item_id: str,
    code: str,
    stage: str,
    what: str,
    value: float,
    limit: float,
    status: str,
) -> Failure:
    """Describe a CV (or the 2012 composite) above its limit, or undefined for a zero mean."""
    return Failure(
        part=_PART,
        item_id=item_id,
        code=code,
        stage=stage,
        value=None if math.isnan(value) else float(value),
        limit=float(limit),
        comparator="<=",
        rule_key=key,
        source=_source_text(rules, key),
        message=(
            f"{what} {_beyond(value, limit)} exceeds the limit {limit:.2f}"
            if status == "fail"
            else f"{what} undefined: a county value (weighted mean) is 0"
        ),
    )


def _beyond(value: float, limit: float) -> str:
    """Show a failing value with 3 decimals, or in full where 3 would hide the failure."""
    text = f"{value:.3f}"
    return text if float(text) > limit else repr(float(value))


def _composite_failures(rules: RuleSet, composite: pd.DataFrame) -> list[Failure]:
    failing = composite.loc[composite["status"] != "pass"]
    return [
        _limit_failure(
            rules,
            key=f"resource.composite_cv_limit.{stage}",
            item_id="composite_cv",
            code="composite_cv",
            stage=str(stage),
            what=f"{stage}: composite CV",
            value=value,
            limit=limit,
            status=status,
        )
        for stage, value, limit, status in zip(
            failing.index, failing["composite_cv"], failing["limit"], failing["status"], strict=True
        )
    ]


def _cv_failures(rules: RuleSet, indicators: pd.DataFrame) -> list[Failure]:
    failing = indicators.loc[indicators["status"] != "pass"]
    return [
        _limit_failure(
            rules,
            key=f"resource.cv_limit.{stage}",
            item_id=str(indicator),
            code="cv",
            stage=str(stage),
            what=f"{stage} {indicator}: CV",
            value=cv,
            limit=limit,
            status=status,
        )
        for (stage, indicator), cv, limit, status in zip(
            failing.index, failing["cv"], failing["limit"], failing["status"], strict=True
        )
    ]


def _unit_failures(rules: RuleSet, units: pd.DataFrame, ids: tuple[str, ...]) -> list[Failure]:
    failures = []
    min_met = int(rules.number("resource.min_met"))
    floor_ratio = rules.number("resource.floor_ratio")
    failing = units.loc[~units["passed"].astype(bool)]
    for record in failing.to_dict("records"):
        stage = str(record["stage"])
        for indicator in record["unmet"]:
            key = f"resource.standard.{stage}.{indicator}"
            standard = rules.number(key)
            value = float(record[indicator])
            failures.append(
                Failure(
                    part=_PART,
                    item_id=str(indicator),
                    code="school_rule",
                    school_id=str(record["school_id"]),
                    stage=stage,
                    value=value,
                    limit=standard,
                    comparator=">=",
                    rule_key=key,
                    source=_source_text(rules, key),
                    message=_unit_message(
                        record,
                        str(indicator),
                        standard,
                        n_indicators=len(ids),
                        min_met=min_met,
                        floor_ratio=floor_ratio,
                    ),
                )
            )
    return failures


def _unit_message(
    record: Mapping[Hashable, Any],
    indicator: str,
    standard: float,
    *,
    n_indicators: int,
    min_met: int,
    floor_ratio: float,
) -> str:
    """Say why a unit fails on ``indicator``: too many misses, or a miss below the floor."""
    value = float(record[indicator])
    met = int(record["met_count"])
    if met >= min_met:
        why = (
            f"below the floor {floor_ratio:g} x {standard:g} = {floor_ratio * standard:g} "
            f"(the one standard a school may miss must still reach {floor_ratio:.0%} of it)"
        )
    else:
        why = (
            f"below the standard {standard:g}; met {met} of {n_indicators}, "
            f"at least {min_met} required"
        )
    return f"{record['unit_id']}: {indicator} {value:.3f} is {why}"


def _remediation(evaluation: ResourceEvaluation, rows: np.ndarray) -> pd.DataFrame:
    """One row per unmet standard of the given units, with shortfalls in natural units."""
    columns = [
        "school_id",
        "school_name",
        "unit_id",
        "stage",
        "indicator",
        "value",
        "standard",
        "floor",
        "gap",
        "amount_unit",
        "section_shortfall",
        "school_addition",
        "section_passed",
    ]
    if evaluation.met is None or not rows.size:
        return pd.DataFrame(columns=columns)
    rules = evaluation.rules
    ids = evaluation.indicator_ids
    unmet_unit, unmet_k = np.nonzero(~evaluation.met[rows])
    unit_rows = rows[unmet_unit]
    units = evaluation.units
    stage = units["stage"].to_numpy()[unit_rows]
    standard = np.array(
        [
            rules.number(f"resource.standard.{s}.{ids[k]}")
            for s, k in zip(stage, unmet_k, strict=True)
        ]
    )
    floor_ratio = rules.number("resource.floor_ratio")
    per = np.array([INDICATORS[ids[k]].per for k in unmet_k], dtype=np.float64)
    students = units["students"].to_numpy(dtype=np.float64)[unit_rows]
    share = units["share"].to_numpy(dtype=np.float64)[unit_rows]
    value = evaluation.matrix[unit_rows, unmet_k]
    amount = evaluation.amounts[unit_rows, unmet_k]
    needed = standard * students / per
    section_shortfall = needed - amount
    applies = set(rules.ids("split.applies_to"))
    split = np.array([ids[k] in applies for k in unmet_k])
    # The school must add enough that its section's share reaches the need.
    school_addition = np.where(split, section_shortfall / share, section_shortfall)
    countable = np.array([INDICATORS[ids[k]].countable for k in unmet_k])
    school_addition = np.where(countable, _whole_units(school_addition), school_addition)
    frame = pd.DataFrame(
        {
            "school_id": units["school_id"].to_numpy()[unit_rows],
            "school_name": units["school_name"].to_numpy()[unit_rows],
            "unit_id": units["unit_id"].to_numpy()[unit_rows],
            "stage": stage,
            "indicator": [ids[k] for k in unmet_k],
            "value": value,
            "standard": standard,
            "floor": standard * floor_ratio,
            "gap": standard - value,
            "amount_unit": [INDICATORS[ids[k]].amount_unit for k in unmet_k],
            "section_shortfall": section_shortfall,
            "school_addition": school_addition,
            "section_passed": units["passed"].to_numpy()[unit_rows],
        },
        columns=columns,
    )
    return frame.reset_index(drop=True)


def _whole_units(shortfall: FloatArray) -> FloatArray:
    """Round a shortfall of countable things up to whole units, ignoring float dust."""
    return np.ceil(np.round(shortfall, 9))


def county_summary(evaluation: ResourceEvaluation) -> pd.DataFrame:
    """Return the Part 1 summary of every (county, stage) in one vectorized pass."""
    ids = evaluation.indicator_ids
    units = evaluation.units
    codes, groups = evaluation.prepared.group_codes()
    n_sections = np.bincount(codes, minlength=len(groups))
    # The CV table holds the groups indicator by indicator, each in the order of ``groups``
    # (:func:`_cv_table`): the wide table is a reshape, not an unstack.
    wide = evaluation.cv["cv"].to_numpy(dtype=np.float64).reshape(len(ids), len(groups))
    summary = pd.DataFrame(
        wide.T.copy(), index=groups, columns=[f"cv_{indicator}" for indicator in ids]
    )
    summary["n_sections"] = n_sections
    if evaluation.composite is not None:
        composite = evaluation.composite.reindex(groups)
        summary["composite_cv"] = composite["composite_cv"].to_numpy()
        summary["passed"] = (composite["status"] == "pass").to_numpy()
        return summary
    failing = np.bincount(codes, weights=~units["passed"].to_numpy(), minlength=len(groups))
    summary["n_sections_failing"] = failing.astype(np.int64)
    passes = (evaluation.cv["status"] == "pass").to_numpy(dtype=np.bool_)
    cv_ok: BoolArray = np.asarray(passes.reshape(len(ids), len(groups)).all(axis=0))
    summary["balance_passed"] = cv_ok
    summary["passed"] = cv_ok & (failing == 0)
    return summary
