r"""City-wide resource disparities (市域资源配置差异): pooled CVs and their exact decomposition.

docs: The creation checklist and city aggregation, City aggregation. For one stage and one Part-1
indicator the **units** of every county of the city are pooled. They are prepared county by county
with one rule set, by the national functions themselves (:func:`~eduequity.national.prepare_units`,
:func:`~eduequity.national.evaluate_resources`): the same exclusions, site merges and splits,
so the pooled units are exactly those of the county assessments, and every county figure here
is the county's own (its CV is :func:`~eduequity.national.assess_counties`' ``cv_<id>``, bit
for bit).

With unit :math:`i` in county :math:`g`, enrolment :math:`P_i`, value :math:`X_i`,
:math:`W = \sum_i P_i`, :math:`W_g = \sum_{i \in g} P_i`, :math:`p_g = W_g / W`,
:math:`\mu = \sum_i P_i X_i / W`, :math:`\mu_g` likewise within :math:`g`,
:math:`r_g = \mu_g / \mu`:

.. math::

    \mathrm{CV}^2 = \sum_g p_g (r_g - 1)^2 + \sum_g p_g r_g^2 \, \mathrm{CV}_g^2, \qquad
    \mathrm{GE}(2) = \tfrac12 \mathrm{CV}^2
    = \tfrac12 \sum_g p_g (r_g^2 - 1) + \sum_g p_g r_g^2\, \mathrm{GE}_g(2),

.. math::

    T = \sum_g s_g \ln r_g + \sum_g s_g T_g, \qquad
    \mathrm{MLD} = -\sum_g p_g \ln r_g + \sum_g p_g \mathrm{MLD}_g, \qquad s_g = p_g r_g.

The decompositions come from :func:`eduequity.core.decompose_inequality`, which recomputes
each total directly and checks ``between + within`` against it to a relative ``1e-12``
(absolute ``1e-15`` near zero). The GE(2) total is further checked against half the square of
the city CV computed by :func:`eduequity.core.coefficient_of_variation_by_group` (two
independent kernels; relative ``1e-9``). Theil T keeps zero values (:math:`0 \ln 0 = 0`);
MLD is undefined with any zero value, so an indicator where some unit has none of the
resource (e.g. no backbone teacher) has MLD status ``"undefined"`` and no number, with the
core's ``zero_value`` issue in :attr:`CityDisparity.warnings`.

The city CV is descriptive: no national limit applies to it.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from os import PathLike
from typing import Any, Final, Literal

import attrs
import numpy as np
import pandas as pd

from eduequity._serialize import Record, to_jsonable
from eduequity._typing import FloatArray, IntArray, JSONValue
from eduequity._vocabulary import vocabulary
from eduequity.core.inequality import decompose_inequality
from eduequity.core.variation import coefficient_of_variation_by_group
from eduequity.errors import (
    DegenerateDataWarning,
    InconsistencyError,
    InvalidArgumentError,
    InvalidTypeError,
    Issue,
)
from eduequity.io import loaded_table
from eduequity.national import (
    RULES_2017,
    ResourceEvaluation,
    RuleSet,
    evaluate_resources,
    prepare_units,
)
from eduequity.national.schools import read_schools
from eduequity.national.units import STAGES

__all__ = [
    "DECOMPOSITION_MEASURES",
    "LOCATIONS",
    "CityDisparity",
    "PooledUnits",
    "city_disparity",
    "pool_units",
]

DECOMPOSITION_MEASURES: Final[tuple[str, ...]] = ("ge2", "theil", "mld")
"""The decompositions of §5: GE(2) (= CV²/2), Theil T (GE(1)) and MLD (GE(0))."""

LOCATIONS: Final[tuple[str, ...]] = vocabulary("locations").codes
"""Location classes of the school table (城区, 镇区, 乡村; GB/T 33782-2017 table 5)."""

GE2_CV_TOLERANCE: Final = 1e-9
"""Relative tolerance of the check GE(2) total = CV²/2 (two independent kernels)."""

GroupBy = Literal["county", "location"]
TableSource = pd.DataFrame | str | PathLike[str]

_UNIT_COLUMNS: Final = ("county", "school_id", "unit_id", "stage", "students", "share")
_TEACHER_COLUMNS: Final = ("full_time_teachers", "bachelor_plus_teachers")


def _rules_identity(rules: RuleSet) -> dict[str, JSONValue]:
    identity = {key: to_jsonable(value) for key, value in rules.identity().items()}
    identity["method"] = to_jsonable(rules.value("method"))
    return identity


@attrs.frozen(kw_only=True)
class PooledUnits:
    """Units and county CVs pooled from one or more Part-1 evaluations (:func:`pool_units`)."""

    units: pd.DataFrame = attrs.field(eq=False, repr=False)
    """The pooled units (see :attr:`CityDisparity.units`)."""
    cv: pd.DataFrame = attrs.field(eq=False, repr=False)
    """The national CV tables of the evaluations, concatenated."""
    indicator_ids: tuple[str, ...]
    """Indicators shared by every evaluation, in rule-set order."""
    rules: tuple[dict[str, JSONValue], ...]
    """Identity of each distinct rule set."""
    excluded: pd.DataFrame = attrs.field(eq=False, repr=False)
    """Excluded schools of every evaluation."""
    merged: pd.DataFrame = attrs.field(eq=False, repr=False)
    """Merged sites of every evaluation."""
    notes: tuple[str, ...] = ()
    """Pooling notes (mixed rule sets, indicators left out)."""


def _stage_column(evaluation: ResourceEvaluation, prefix: str) -> FloatArray:
    """Per unit, the school's stage-suffixed column ``<prefix>_<stage>`` (NaN when absent)."""
    prepared = evaluation.prepared
    units = prepared.units
    school_row = units["school_row"].to_numpy()
    stage = units["stage"].to_numpy()
    result = np.full(len(units), np.nan)
    for name in STAGES:
        column = f"{prefix}_{name}"
        if column in prepared.schools.columns:
            rows = stage == name
            result[rows] = prepared.schools[column].to_numpy(dtype=np.float64)[school_row[rows]]
    return result


def _evaluation_units(evaluation: ResourceEvaluation, ids: tuple[str, ...]) -> pd.DataFrame:
    units = evaluation.units
    frame = units.loc[:, [*_UNIT_COLUMNS, *ids]].copy()
    frame["passed"] = (
        units["passed"].astype("boolean")
        if "passed" in units.columns
        else pd.Series(pd.NA, index=units.index, dtype="boolean")
    )
    schools = evaluation.prepared.schools
    school_row = evaluation.prepared.units["school_row"].to_numpy()
    if "location" in schools.columns:
        frame["location"] = schools["location"].to_numpy(dtype=object)[school_row]
    else:
        frame["location"] = None
    for prefix in _TEACHER_COLUMNS:
        frame[prefix] = _stage_column(evaluation, prefix)
    return frame


def _check_evaluations(evaluations: object) -> tuple[ResourceEvaluation, ...]:
    if isinstance(evaluations, ResourceEvaluation):
        return (evaluations,)
    if not isinstance(evaluations, Sequence) or isinstance(evaluations, str):
        msg = (
            f"evaluations must be a ResourceEvaluation or a sequence of them; got "
            f"{type(evaluations).__name__}"
        )
        raise InvalidTypeError(msg, code="invalid_argument")
    checked: tuple[object, ...] = tuple(evaluations)
    if not checked:
        msg = "evaluations is empty; pass at least one ResourceEvaluation"
        raise InvalidArgumentError(msg, code="invalid_argument")
    for position, evaluation in enumerate(checked):
        if not isinstance(evaluation, ResourceEvaluation):
            msg = (
                f"evaluations[{position}] is a {type(evaluation).__name__}; expected a "
                "ResourceEvaluation from eduequity.national.evaluate_resources"
            )
            raise InvalidTypeError(msg, code="invalid_argument")
    return tuple(item for item in checked if isinstance(item, ResourceEvaluation))


def _rule_notes(identities: list[dict[str, JSONValue]], *, allow_mixed_rulesets: bool) -> list[str]:
    """Raise ``mixed_rulesets`` for several rule sets unless allowed; return the notes."""
    hashes = {str(identity["content_hash"]) for identity in identities}
    if len(hashes) <= 1:
        return []
    shown = ", ".join(
        sorted({f"{identity['id']} {identity['version']}" for identity in identities})
    )
    if not allow_mixed_rulesets:
        msg = (
            f"the evaluations were prepared under {len(hashes)} different rule sets "
            f"({shown}); city figures pool units of one rule set only. Re-evaluate every "
            "county with one rule set, or pass allow_mixed_rulesets=True"
        )
        raise InvalidArgumentError(msg, code="mixed_rulesets")
    return [f"units pooled across {len(hashes)} rule sets ({shown})"]


def _check_counties(evaluations: tuple[ResourceEvaluation, ...]) -> None:
    seen: dict[str, int] = {}
    for position, evaluation in enumerate(evaluations):
        for county in evaluation.units["county"].astype(str).unique().tolist():
            if county in seen:
                msg = (
                    f"county {county!r} is in evaluations[{seen[county]}] and "
                    f"evaluations[{position}]; each county must be evaluated once"
                )
                raise InvalidArgumentError(msg, code="duplicate_county")
            seen[county] = position


def pool_units(
    evaluations: ResourceEvaluation | Sequence[ResourceEvaluation],
    *,
    allow_mixed_rulesets: bool = False,
) -> PooledUnits:
    """Pool the units and county CVs of one or more Part-1 evaluations.

    Parameters
    ----------
    evaluations
        Results of :func:`~eduequity.national.evaluate_resources`, e.g. one per county or one
        per province overlay; no county may appear in two of them.
    allow_mixed_rulesets
        Pool evaluations made under different rule sets (only the indicators they share are
        kept, and a note says so). By default this is an error (``mixed_rulesets``,
        docs: The creation checklist and city aggregation, City aggregation).

    Raises
    ------
    InvalidArgumentError
        ``mixed_rulesets``; ``duplicate_county`` when a county is in two evaluations; no
        evaluation.
    """
    checked = _check_evaluations(evaluations)
    identities = [_rules_identity(evaluation.rules) for evaluation in checked]
    notes = _rule_notes(identities, allow_mixed_rulesets=allow_mixed_rulesets)
    ids = tuple(
        indicator
        for indicator in checked[0].indicator_ids
        if all(indicator in evaluation.indicator_ids for evaluation in checked)
    )
    dropped = sorted({k for evaluation in checked for k in evaluation.indicator_ids} - set(ids))
    if dropped:
        notes.append(f"indicators not shared by every rule set are left out: {', '.join(dropped)}")
    _check_counties(checked)
    evaluations = checked
    units = pd.concat(
        [_evaluation_units(evaluation, ids) for evaluation in evaluations], ignore_index=True
    )
    cv = pd.concat(
        [
            evaluation.cv.loc[evaluation.cv.index.get_level_values("indicator").isin(ids)]
            for evaluation in evaluations
        ]
    )
    return PooledUnits(
        units=units,
        cv=cv,
        indicator_ids=ids,
        rules=tuple({str(i["content_hash"]): i for i in identities}.values()),
        excluded=pd.concat(
            [evaluation.prepared.excluded for evaluation in evaluations], ignore_index=True
        ),
        merged=pd.concat(
            [evaluation.prepared.merged for evaluation in evaluations], ignore_index=True
        ),
        notes=tuple(notes),
    )


def _warning_code(message: str) -> str:
    """Return the ``[code]`` a core warning message starts a clause with."""
    match = re.search(r"\[([a-z_]+)\]", message)
    return match.group(1) if match else "degenerate_data"


def _row(table: pd.DataFrame, key: tuple[str, ...]) -> pd.Series:
    """Return the row of ``table`` at the full MultiIndex ``key`` (KeyError if absent)."""
    position = table.index.get_loc(key)
    if not isinstance(position, int):
        msg = f"{key!r} does not name exactly one row"
        raise KeyError(msg)
    return table.iloc[position]


def _codes(labels: pd.Series | pd.Index | np.ndarray, categories: Sequence[str]) -> IntArray:
    codes = pd.Categorical(np.asarray(labels, dtype=object), categories=list(categories)).codes
    return np.asarray(codes, dtype=np.int64)


@attrs.frozen(kw_only=True)
class CityDisparity(Record):
    """City-wide Part-1 figures: pooled means and CVs, county figures, decompositions, pass rates.

    Every table is a :class:`pandas.DataFrame` for notebooks; :meth:`to_dict` gives the same
    content JSON-safe. See the module notes for the formulas.
    """

    rules: tuple[dict[str, JSONValue], ...]
    """Identity of the rule set(s) the units were prepared under (id, version, overlays,
    content hash, method)."""
    groups: GroupBy
    """The groups of the decomposition: ``"county"`` (default) or ``"location"``."""
    stages: tuple[str, ...]
    """Stages with at least one unit, in the order primary, junior."""
    indicator_ids: tuple[str, ...]
    """The Part-1 indicators, in rule-set order."""
    counties: tuple[str, ...]
    """Counties with at least one unit, sorted."""
    city: pd.DataFrame = attrs.field(eq=False, repr=False)
    """Indexed by (``stage``, ``indicator``): ``n_counties``, ``n_units``, ``students``
    [pupils], ``mean`` μ (enrolment-weighted) [unit of the indicator], ``cv`` (city-wide,
    descriptive), ``ge2``, ``theil``, ``mld`` (totals; NaN when undefined), ``limit`` (the
    county limit of the stage, for reference), ``counties_meeting_limit`` and
    ``counties_assessed`` (counties with a pass/fail decision)."""
    county_figures: pd.DataFrame = attrs.field(eq=False, repr=False)
    """Indexed by (``county``, ``stage``, ``indicator``): ``n_units``, ``students``,
    ``population_share`` :math:`p_g`, ``mean`` :math:`\\mu_g`, ``relative_mean`` :math:`r_g`,
    ``cv`` :math:`\\mathrm{CV}_g` (the county's official 差异系数, identical to the county
    computation), ``limit``, ``margin`` (limit − CV, the gap), ``status`` (pass/fail/undefined)
    and ``rank`` (1 = smallest CV of the stage and indicator)."""
    decompositions: pd.DataFrame = attrs.field(eq=False, repr=False)
    """Indexed by (``stage``, ``indicator``, ``measure``): ``status``, ``total``, ``between``,
    ``within``, ``between_share``, ``within_share``, ``discrepancy`` (the absolute
    value of total − between − within), ``n_units``, ``n_groups``; for ``ge2`` also
    ``cv_squared_half`` (½ CV² of the city, which the total equals)."""
    group_contributions: pd.DataFrame = attrs.field(eq=False, repr=False)
    """Indexed by (``stage``, ``indicator``, ``measure``, ``group``): the per-group table of
    the decomposition (``population_share``, ``mean``, ``relative_mean``, ``resource_share``,
    ``inequality`` (the group's own GE), ``within_contribution``)."""
    attainment: pd.DataFrame = attrs.field(eq=False, repr=False)
    """Per-school rule by (``county``, ``stage``): ``n_units``, ``units_passed``,
    ``unit_pass_share``, ``students``, ``students_passed``, ``pupil_pass_share`` and
    ``rank`` (1 = highest unit pass share). Empty under the 2012 method (no per-school
    rule)."""
    city_attainment: pd.DataFrame = attrs.field(eq=False, repr=False)
    """The same by ``stage`` for the whole city."""
    units: pd.DataFrame = attrs.field(eq=False, repr=False)
    """The pooled units: ``county``, ``school_id``, ``unit_id``, ``stage``, ``students``,
    ``share`` (σ), the indicator values, ``passed``, ``location``, ``full_time_teachers`` and
    ``bachelor_plus_teachers`` (the section's own columns; NaN when absent)."""
    excluded: pd.DataFrame = attrs.field(eq=False, repr=False)
    """Schools excluded during preparation, with the reason."""
    merged: pd.DataFrame = attrs.field(eq=False, repr=False)
    """Sites merged into their parent schools."""
    notes: tuple[str, ...] = ()
    """Pooling notes (mixed rule sets, indicators left out)."""
    warnings: tuple[Issue, ...] = ()
    """Degenerate cases: undefined CVs and decompositions, MLD with zero values, units left
    out of a location decomposition."""

    def figure(self, stage: str, indicator: str) -> pd.Series:
        """Return the city row of one stage and indicator."""
        return _row(self.city, (stage, indicator))

    def decomposition(self, stage: str, indicator: str, measure: str = "ge2") -> pd.Series:
        """Return one decomposition (total, between, within, shares, discrepancy)."""
        return _row(self.decompositions, (stage, indicator, measure))

    def county_cv(self) -> pd.DataFrame:
        """Return the county CVs wide: index (``county``, ``stage``), one column per indicator."""
        wide = self.county_figures["cv"].unstack("indicator")
        return wide.reindex(columns=list(self.indicator_ids))


def _check_groups(groups: object) -> GroupBy:
    if groups not in ("county", "location"):
        msg = f"groups={groups!r} is not offered; allowed: 'county', 'location'"
        raise InvalidArgumentError(msg, code="invalid_option")
    return groups


def _check_measures(measures: Sequence[str]) -> tuple[str, ...]:
    chosen = tuple(measures)
    for measure in chosen:
        if measure not in DECOMPOSITION_MEASURES:
            msg = (
                f"measure {measure!r} is not offered; allowed: {', '.join(DECOMPOSITION_MEASURES)}"
            )
            raise InvalidArgumentError(msg, code="invalid_option")
    return chosen


def decompositions(
    units: pd.DataFrame,
    indicator_ids: Sequence[str],
    group_column: str,
    measures: Sequence[str],
    *,
    scope: str,
) -> tuple[pd.DataFrame, pd.DataFrame, list[Issue]]:
    """Decompose every stage and indicator by ``group_column`` (one core call per pair).

    Units whose group label is missing are left out and counted in an issue. The loop runs
    over stages, indicators and measures, never over groups: each core call handles all
    groups at once.
    """
    rows: list[dict[str, Any]] = []
    parts: list[pd.DataFrame] = []
    issues: list[Issue] = []
    labelled = units[group_column].notna().to_numpy(dtype=np.bool_)
    for stage in STAGES:
        in_stage = (units["stage"] == stage).to_numpy(dtype=np.bool_)
        selected = units.loc[in_stage & labelled]
        if not in_stage.any():
            continue
        students = selected["students"].to_numpy(dtype=np.float64)
        labels = selected[group_column].astype(str).to_numpy(dtype=object)
        unit_ids = pd.Index(selected["unit_id"].astype(str), name="unit_id")
        for indicator in indicator_ids:
            # Indexed by unit id, so that the core's messages name the units.
            values = pd.Series(selected[indicator].to_numpy(dtype=np.float64), index=unit_ids)
            for measure in measures:
                with warnings.catch_warnings():
                    # Degenerate cases come back as statuses and issues on the result.
                    warnings.simplefilter("ignore", DegenerateDataWarning)
                    result = decompose_inequality(
                        values, labels, students, measure=measure, nonpositive="limit"
                    )
                issues.extend(
                    attrs.evolve(
                        issue, message=f"{scope}, {stage} {indicator}, {measure}: {issue.message}"
                    )
                    for issue in result.warnings
                )
                rows.append(
                    {
                        "stage": stage,
                        "indicator": indicator,
                        "measure": measure,
                        "status": result.status,
                        "total": result.total,
                        "between": result.between,
                        "within": result.within,
                        "between_share": result.between_share,
                        "within_share": result.within_share,
                        "discrepancy": result.discrepancy,
                        "n_units": result.n,
                        "n_groups": result.n_groups,
                    }
                )
                table = result.table().reset_index()
                table.insert(0, "measure", measure)
                table.insert(0, "indicator", indicator)
                table.insert(0, "stage", stage)
                parts.append(table)
    columns = ["stage", "indicator", "measure"]
    frame = pd.DataFrame(rows)
    if frame.empty:
        frame = pd.DataFrame(columns=[*columns, "status", "total", "between", "within"])
    frame = frame.set_index(columns)
    for name in ("total", "between", "within", "between_share", "within_share", "discrepancy"):
        if name in frame.columns:
            frame[name] = pd.to_numeric(frame[name], errors="coerce").astype(np.float64)
    contributions = (
        pd.concat(parts, ignore_index=True).set_index([*columns, "group"])
        if parts
        else pd.DataFrame()
    )
    return frame, contributions, issues


def _city_table(
    units: pd.DataFrame, ids: tuple[str, ...], cv: pd.DataFrame
) -> tuple[pd.DataFrame, list[Issue]]:
    """Pooled mean and CV per stage and indicator, in one pass per indicator over all stages."""
    stage_codes = _codes(units["stage"], STAGES)
    stage_labels = units["stage"].to_numpy(dtype=object)
    students = units["students"].to_numpy(dtype=np.float64)
    pupils = np.bincount(stage_codes, weights=students, minlength=len(STAGES))
    n_units = np.bincount(stage_codes, minlength=len(STAGES))
    present = np.flatnonzero(n_units > 0)
    n_counties = (
        units.groupby("stage")["county"].nunique().reindex(list(STAGES)).fillna(0).astype(np.int64)
    )
    issues: list[Issue] = []
    frames = []
    for indicator in ids:
        values = units[indicator].to_numpy(dtype=np.float64)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", DegenerateDataWarning)
            city_cv = coefficient_of_variation_by_group(values, stage_labels, weights=students)
        issues.extend(
            Issue(
                code=_warning_code(str(item.message)),
                message=f"city CV of {indicator}: {item.message}",
                severity="warning",
            )
            for item in caught
            if issubclass(item.category, DegenerateDataWarning)
        )
        amount = np.bincount(stage_codes, weights=values * students, minlength=len(STAGES))
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = amount / pupils
        frames.append(
            pd.DataFrame(
                {
                    "stage": np.asarray(STAGES, dtype=object)[present],
                    "indicator": indicator,
                    "n_counties": n_counties.to_numpy()[present],
                    "n_units": n_units[present],
                    "students": pupils[present],
                    "mean": mean[present],
                    "cv": city_cv.reindex(np.asarray(STAGES, dtype=object)[present]).to_numpy(
                        dtype=np.float64
                    ),
                }
            )
        )
    table = pd.concat(frames, ignore_index=True)
    order = _codes(table["stage"], STAGES) * len(ids) + _codes(table["indicator"], ids)
    table = table.iloc[np.argsort(order, kind="stable")].set_index(["stage", "indicator"])
    decided = cv["status"].isin(["pass", "fail"])
    passing = (cv["status"] == "pass").groupby(level=["stage", "indicator"]).sum()
    assessed = decided.groupby(level=["stage", "indicator"]).sum()
    limit = cv["limit"].groupby(level=["stage", "indicator"]).max()
    table["limit"] = limit.reindex(table.index).to_numpy(dtype=np.float64)
    table["counties_meeting_limit"] = passing.reindex(table.index).fillna(0).astype(np.int64)
    table["counties_assessed"] = assessed.reindex(table.index).fillna(0).astype(np.int64)
    return table, issues


def _county_table(cv: pd.DataFrame, city: pd.DataFrame) -> pd.DataFrame:
    """Return the county rows of the national CV table with p_g, r_g and the CV rank."""
    table = cv.reset_index()
    key = pd.MultiIndex.from_arrays([table["stage"], table["indicator"]])
    city_students = city["students"].reindex(key).to_numpy(dtype=np.float64)
    city_mean = city["mean"].reindex(key).to_numpy(dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        population_share = table["students"].to_numpy(dtype=np.float64) / city_students
        relative = table["county_value"].to_numpy(dtype=np.float64) / city_mean
    result = pd.DataFrame(
        {
            "county": table["county"],
            "stage": table["stage"],
            "indicator": table["indicator"],
            "n_units": table["n_units"].astype(np.int64),
            "students": table["students"].astype(np.float64),
            "population_share": population_share,
            "mean": table["county_value"].astype(np.float64),
            "relative_mean": relative,
            "cv": table["cv"].astype(np.float64),
            "limit": table["limit"].astype(np.float64),
            "margin": table["margin"].astype(np.float64),
            "status": table["status"].replace("", "undefined"),
        }
    )
    result["rank"] = (
        result.groupby(["stage", "indicator"])["cv"].rank(method="min", na_option="keep")
    ).astype("Int64")
    order = _codes(result["stage"], STAGES)
    result = result.assign(_order=order).sort_values(["county", "_order"], kind="mergesort")
    return result.drop(columns="_order").set_index(["county", "stage", "indicator"])


def attainment_tables(units: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """Per-school rule pass shares by ``keys`` (unit and pupil basis), vectorized.

    Units without a decision (2012 method: no per-school rule) are left out; an empty frame is
    returned when no unit has one.
    """
    columns = [
        "n_units",
        "units_passed",
        "unit_pass_share",
        "students",
        "students_passed",
        "pupil_pass_share",
    ]
    decided = units["passed"].notna().to_numpy(dtype=np.bool_)
    if not decided.any():
        return pd.DataFrame(columns=[*keys, *columns]).set_index(list(keys))
    frame = units.loc[decided, [*keys, "students"]].copy()
    passed = units.loc[decided, "passed"].astype(bool).to_numpy()
    frame["units_passed"] = passed.astype(np.int64)
    frame["students_passed"] = frame["students"].to_numpy(dtype=np.float64) * passed
    frame["n_units"] = 1
    grouped = frame.groupby(list(keys), sort=False)[
        ["n_units", "units_passed", "students", "students_passed"]
    ].sum()
    grouped["unit_pass_share"] = grouped["units_passed"] / grouped["n_units"]
    grouped["pupil_pass_share"] = grouped["students_passed"] / grouped["students"]
    grouped = grouped[columns]
    if "stage" in keys:
        order = _codes(grouped.index.get_level_values("stage"), STAGES)
        others = [grouped.index.get_level_values(key) for key in keys if key != "stage"]
        sort_keys = [*others, order]
        positions = np.lexsort(tuple(reversed([np.asarray(k) for k in sort_keys])))
        grouped = grouped.iloc[positions]
    return grouped


def _reconcile_ge2(table: pd.DataFrame, frame: pd.DataFrame) -> pd.Series:
    """Check GE(2) total = CV²/2 per stage and indicator; return ½ CV²."""
    half = 0.5 * table["cv"] ** 2
    if "ge2" not in frame.index.get_level_values("measure"):
        return half
    ge2 = frame.xs("ge2", level="measure")["total"].reindex(table.index)
    gap = (ge2 - half).abs()
    tolerance = np.maximum(GE2_CV_TOLERANCE * half.abs(), 1e-15)
    bad = gap > tolerance
    if bool(bad.fillna(value=False).any()):
        where = ", ".join(f"{s} {k}" for s, k in table.index[bad.fillna(value=False).to_numpy()])
        msg = (
            f"GE(2) totals differ from half the squared city CV ({where}); this is a bug in "
            "eduequity, please report it"
        )
        raise InconsistencyError(msg)
    return half


def _finish(pooled: PooledUnits, groups: GroupBy, measures: tuple[str, ...]) -> CityDisparity:
    units = pooled.units
    ids = pooled.indicator_ids
    city, issues = _city_table(units, ids, pooled.cv)
    group_column = "county" if groups == "county" else "location"
    missing_location = int(units["location"].isna().sum()) if groups == "location" else 0
    if missing_location:
        issues.append(
            Issue(
                code="location_missing",
                message=(
                    f"{missing_location} units have no location and are left out of the "
                    "location decomposition"
                ),
                severity="warning",
                table="schools",
                column="location",
            )
        )
    frame, contributions, decomposition_issues = decompositions(
        units, ids, group_column, measures, scope="city"
    )
    issues.extend(decomposition_issues)
    for measure in measures:
        totals = frame.xs(measure, level="measure")["total"] if len(frame) else pd.Series()
        city[measure] = totals.reindex(city.index).to_numpy(dtype=np.float64)
    half = _reconcile_ge2(city, frame)
    if "ge2" in measures and len(frame):
        key = pd.MultiIndex.from_arrays(
            [
                frame.index.get_level_values("stage"),
                frame.index.get_level_values("indicator"),
            ]
        )
        cv_half = half.reindex(key).to_numpy(dtype=np.float64)
        is_ge2 = frame.index.get_level_values("measure") == "ge2"
        frame["cv_squared_half"] = np.where(is_ge2, cv_half, np.nan)
    failed = frame.reset_index()
    failed = failed[(failed["status"] != "ok") & (failed["measure"] != "mld")]
    nan_cv = city.reset_index()
    nan_cv = nan_cv[nan_cv["cv"].isna()]
    undefined = [
        f"{record['stage']} {record['indicator']} {record['measure']}"
        for record in failed.to_dict("records")
    ] + [f"{record['stage']} {record['indicator']} cv" for record in nan_cv.to_dict("records")]
    if undefined:
        warnings.warn(
            "city figures undefined (zero mean or no unit): " + ", ".join(undefined),
            DegenerateDataWarning,
            stacklevel=3,
        )
    attainment = attainment_tables(units, ["county", "stage"])
    if len(attainment):
        attainment["rank"] = (
            attainment.groupby(level="stage")["unit_pass_share"]
            .rank(method="min", ascending=False)
            .astype("Int64")
        )
    present_stages = tuple(stage for stage in STAGES if (units["stage"] == stage).any())
    # Indexes are sorted (lexicographically) so that partial .loc lookups are fast and quiet;
    # the reports put stages and indicators back in the method's order.
    return CityDisparity(
        rules=pooled.rules,
        groups=groups,
        stages=present_stages,
        indicator_ids=ids,
        counties=tuple(sorted(units["county"].astype(str).unique().tolist())),
        city=city.sort_index(),
        county_figures=_county_table(pooled.cv, city).sort_index(),
        decompositions=frame.sort_index(),
        group_contributions=contributions.sort_index(),
        attainment=attainment.sort_index(),
        city_attainment=attainment_tables(units, ["stage"]).sort_index(),
        units=units,
        excluded=pooled.excluded,
        merged=pooled.merged,
        notes=pooled.notes,
        warnings=tuple(issues),
    )


def evaluate_city_schools(
    schools: TableSource,
    rules: RuleSet,
    *,
    year: int | None = None,
    strict: bool = False,
) -> tuple[ResourceEvaluation, tuple[Issue, ...]]:
    """Read, prepare and evaluate a school table exactly as the county assessment does."""
    frame = read_schools(schools, rules=rules, year=year, strict=strict)
    prepared = prepare_units(frame, rules)
    with warnings.catch_warnings():
        # A county stage with one unit is reported by assess_counties; here it is a county
        # figure like any other (its CV is 0 by the formula).
        warnings.simplefilter("ignore", DegenerateDataWarning)
        evaluation = evaluate_resources(prepared, rules)
    return evaluation, reading_issues(frame)


def reading_issues(frame: pd.DataFrame) -> tuple[Issue, ...]:
    """Return the warnings the reader found in a school table it returned (none if changed)."""
    reading = loaded_table(frame)
    return () if reading is None else reading.issues


def city_disparity(
    schools: TableSource | ResourceEvaluation | Sequence[ResourceEvaluation],
    rules: RuleSet = RULES_2017,
    *,
    groups: GroupBy = "county",
    measures: Sequence[str] = DECOMPOSITION_MEASURES,
    year: int | None = None,
    strict: bool = False,
    allow_mixed_rulesets: bool = False,
) -> CityDisparity:
    r"""Compute the city-wide Part-1 figures and their between/within decomposition.

    Parameters
    ----------
    schools : pandas.DataFrame, path, ResourceEvaluation or sequence of them
        The school table of every county of the city (docs: Input tables, canonical or
        Chinese headers), read and prepared exactly as :func:`~eduequity.national.assess_counties`
        does; or evaluations already made with
        :func:`~eduequity.national.evaluate_resources` (e.g. one per county).
    rules : RuleSet, optional
        The rule set for a school table (default :data:`~eduequity.national.RULES_2017`);
        ignored for evaluations, which carry their own.
    groups : {"county", "location"}, optional
        Groups of the decomposition: counties (default) or location classes (城区/镇区/乡村;
        units without a location are left out, warning ``location_missing``).
    measures : sequence of str, optional
        Decompositions to compute among ``"ge2"``, ``"theil"``, ``"mld"`` (all by default).
    year, strict
        As for :func:`~eduequity.national.read_schools`.
    allow_mixed_rulesets : bool, optional
        Pool evaluations made under different rule sets (default: error ``mixed_rulesets``).

    Returns
    -------
    CityDisparity

    Raises
    ------
    InputError
        When the school table is malformed (every problem, with row and column).
    InvalidArgumentError
        ``mixed_rulesets``, ``duplicate_county``, an unknown option.
    InconsistencyError
        When a decomposition does not reconcile (a bug, please report it).

    Warns
    -----
    DegenerateDataWarning
        When a city CV, GE(2) or Theil T is undefined (a zero city mean, no unit). MLD
        undefined because of zero values is reported in ``warnings`` and by status only: it
        is a property of the measure, common with counts such as backbone teachers.

    Notes
    -----
    See the module notes. Per stage and indicator the city mean is
    :math:`\mu = \sum_i P_i X_i / \sum_i P_i` (total resource over total pupils) and the CV is
    the enrolment-weighted population CV over all units of all counties. The county rows are
    the national CV table unchanged; :math:`p_g` and :math:`r_g` are added from the city
    totals. The loops run over stages, indicators and measures; every computation inside is
    vectorized over counties and units.

    Examples
    --------
    >>> import warnings
    >>> from eduequity.datasets import demo_path
    >>> result = city_disparity(demo_path("demo_city_schools.csv"))
    >>> row = result.decomposition("primary", "sports_area_per_student", "ge2")
    >>> bool(abs(row["between"] + row["within"] - row["total"]) <= 1e-12 * row["total"])
    True
    >>> round(float(row["total"]), 12) == round(float(row["cv_squared_half"]), 12)
    True
    """
    groups = _check_groups(groups)
    chosen = _check_measures(measures)
    loader_issues: tuple[Issue, ...] = ()
    if isinstance(schools, ResourceEvaluation) or (
        isinstance(schools, Sequence)
        and not isinstance(schools, str)
        and all(isinstance(item, ResourceEvaluation) for item in schools)
        and len(schools) > 0
    ):
        pooled = pool_units(schools, allow_mixed_rulesets=allow_mixed_rulesets)
    else:
        evaluation, loader_issues = evaluate_city_schools(
            schools,  # type: ignore[arg-type]
            rules,
            year=year,
            strict=strict,
        )
        pooled = pool_units(evaluation)
    result = _finish(pooled, groups, chosen)
    if loader_issues:
        result = attrs.evolve(result, warnings=(*loader_issues, *result.warnings))
    return result
