"""County comparisons: the indicator matrix, problem lists, uniform standards, checklist roll-up.

docs: The creation checklist and city aggregation, City aggregation.

- :func:`county_matrix`: a counties × indicators matrix. Part 1 comes from a
  :class:`~eduequity.city.CityDisparity` (every county at once: the per-school pass share of
  each stage against "every unit passes", and each CV against its limit); the preconditions,
  the 15 guarantee and 9 quality indicators, social recognition and the vetoes come from
  county assessments already made (:func:`~eduequity.national.assess_county`). Each cell
  holds the value, the threshold, pass / fail / incomplete and the gap (the margin: positive
  when the threshold is met with room, negative when short). Per county, the unmet items
  sorted by part are Weifang's problem list per county and item (逐县逐项问题清单, seed 000);
  per indicator, the number of counties meeting it.
- :func:`uniform_standards`: standards a city declares unified across counties (Xiamen's
  per-pupil public funds 1 300 / 1 600 yuan, seed 004; Weihai's "five unifications", seed
  001): the value per county and a flag for any difference (range > 0).
- :func:`checklist_rollup`: creation-checklist completion by county and area
  (docs: The creation checklist and city aggregation, The creation checklist) and the city's rate
  per area as a ratio of sums.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

import attrs
import numpy as np
import pandas as pd

from eduequity._serialize import Record
from eduequity._vocabulary import vocabulary
from eduequity.checklist import ChecklistEvaluation, evaluate_checklist
from eduequity.city.resources import CityDisparity
from eduequity.errors import InvalidArgumentError, InvalidTypeError, Issue
from eduequity.national import INDICATORS, CountyAssessment

__all__ = [
    "MATRIX_COLUMNS",
    "PARTS",
    "ChecklistRollup",
    "CountyMatrix",
    "UniformStandards",
    "checklist_rollup",
    "county_matrix",
    "uniform_standards",
]

PARTS: Final[tuple[str, ...]] = (
    "preconditions",
    "resource_allocation",
    "government_guarantee",
    "education_quality",
    "social_recognition",
    "veto",
)
"""Parts of the county assessment in the order of the method (problem lists sort by it)."""

PART_LABELS: Final = {
    "preconditions": "申报条件 preconditions",
    "resource_allocation": "资源配置 resource allocation",
    "government_guarantee": "政府保障程度 government guarantee",
    "education_quality": "教育质量 education quality",
    "social_recognition": "社会认可度 social recognition",
    "veto": "一票否决 veto",
}

MATRIX_COLUMNS: Final[tuple[str, ...]] = (
    "county",
    "part",
    "item_id",
    "code",
    "stage",
    "value",
    "threshold",
    "comparator",
    "status",
    "gap",
    "detail",
)
"""Columns of :attr:`CountyMatrix.cells`, one row per county and item (and stage)."""

_OPEN: Final = ("fail", "incomplete")
_STAGE_ORDER: Final = {
    stage: rank for rank, stage in enumerate(vocabulary("stages").where("compulsory"))
}


@attrs.frozen(kw_only=True)
class CountyMatrix(Record):
    """Counties × indicators: every cell with value, threshold, status and gap."""

    counties: tuple[str, ...]
    """The counties, sorted."""
    cells: pd.DataFrame = attrs.field(eq=False, repr=False)
    """One row per county, item and stage (:data:`MATRIX_COLUMNS`), in part order."""
    problems: pd.DataFrame = attrs.field(eq=False, repr=False)
    """The cells that fail or are incomplete, by county and part: the problem lists."""
    by_indicator: pd.DataFrame = attrs.field(eq=False, repr=False)
    """Indexed by (``part``, ``item_id``, ``stage``): ``n_counties``, ``n_pass``, ``n_fail``,
    ``n_incomplete`` and ``n_not_applicable``."""
    sources: tuple[str, ...] = ()
    """What the cells come from: ``"city_disparity"``, ``"assessments"``."""

    def problem_list(self, county: str) -> pd.DataFrame:
        """Return the unmet items of one county, sorted by part (逐县逐项问题清单)."""
        if county not in self.counties:
            msg = f"county {county!r} is not in the matrix; it holds: {', '.join(self.counties)}"
            raise InvalidArgumentError(msg, code="unknown_county")
        return self.problems.loc[self.problems["county"] == county].reset_index(drop=True)

    def matrix(self, field: str = "status") -> pd.DataFrame:
        """Return one field of the cells wide: counties × (part, item_id, stage)."""
        if field not in self.cells.columns:
            allowed = ", ".join(MATRIX_COLUMNS)
            msg = f"field {field!r} is not a column of the cells; allowed: {allowed}"
            raise InvalidArgumentError(msg, code="invalid_option")
        cells = self.cells.assign(stage=self.cells["stage"].fillna("-"))
        wide = cells.pivot(index="county", columns=["part", "item_id", "stage"], values=field)
        order = cells.drop_duplicates(["part", "item_id", "stage"])[["part", "item_id", "stage"]]
        return wide.reindex(columns=pd.MultiIndex.from_frame(order))


def _gap(frame: pd.DataFrame) -> np.ndarray:
    """Margin of each cell: value − threshold for >= / >, threshold − value for <= / <."""
    value = pd.to_numeric(frame["value"], errors="coerce").to_numpy(dtype=np.float64)
    threshold = pd.to_numeric(frame["threshold"], errors="coerce").to_numpy(dtype=np.float64)
    comparator = frame["comparator"].to_numpy(dtype=object)
    at_least = np.isin(comparator, [">=", ">"])
    at_most = np.isin(comparator, ["<=", "<"])
    return np.where(at_least, value - threshold, np.where(at_most, threshold - value, np.nan))


def _resource_cells(disparity: CityDisparity) -> pd.DataFrame:
    """Part-1 cells of every county from the city figures (vectorized)."""
    figures = disparity.county_figures.reset_index()
    cv = pd.DataFrame(
        {
            "county": figures["county"],
            "part": "resource_allocation",
            "item_id": figures["indicator"],
            "code": "cv",
            "stage": figures["stage"],
            "value": figures["cv"],
            "threshold": figures["limit"],
            "comparator": "<=",
            "status": figures["status"].replace("undefined", "incomplete"),
            "detail": "差异系数 CV of the stage against its limit",
        }
    )
    frames = []
    attainment = disparity.attainment.reset_index()
    if len(attainment):
        share = attainment["unit_pass_share"].to_numpy(dtype=np.float64)
        frames.append(
            pd.DataFrame(
                {
                    "county": attainment["county"],
                    "part": "resource_allocation",
                    "item_id": "school_rule",
                    "code": "§3.5",
                    "stage": attainment["stage"],
                    "value": share,
                    "threshold": 1.0,
                    "comparator": ">=",
                    "status": np.where(share >= 1, "pass", "fail"),
                    "detail": [
                        f"{passed}/{n} units pass the per-school rule (每校达标)"
                        for passed, n in zip(
                            attainment["units_passed"], attainment["n_units"], strict=True
                        )
                    ],
                }
            )
        )
    frames.append(cv)
    return pd.concat(frames, ignore_index=True)


def _assessment_cells(assessments: Sequence[CountyAssessment], *, part_one: bool) -> pd.DataFrame:
    """Return the cells of county assessments already made (items are read, not recomputed)."""
    records: list[dict[str, Any]] = []
    for assessment in assessments:
        parts = {
            "preconditions": assessment.preconditions,
            "government_guarantee": assessment.guarantee,
            "education_quality": assessment.quality,
            "social_recognition": assessment.recognition,
            "veto": assessment.vetoes,
        }
        for part, result in parts.items():
            records.extend(
                {
                    "county": assessment.county,
                    "part": part,
                    "item_id": item.item_id,
                    "code": item.code,
                    "stage": None,
                    "value": _scalar(item.value),
                    "threshold": _scalar(item.limit),
                    "comparator": item.comparator,
                    "status": item.status,
                    "detail": "; ".join(item.reasons) or (item.title_zh or ""),
                }
                for item in result.items
            )
        if part_one:
            records.extend(_resource_records(assessment))
    return pd.DataFrame(records, columns=[name for name in MATRIX_COLUMNS if name != "gap"])


def _resource_records(assessment: CountyAssessment) -> list[dict[str, Any]]:
    resources = assessment.resources
    records: list[dict[str, Any]] = []
    schools = resources.schools
    if "passed" in schools.columns and len(schools):
        grouped = schools.groupby("stage", sort=False)["passed"].agg(["sum", "size"])
        for stage, (passed, size) in grouped.iterrows():
            share = float(passed) / float(size)
            records.append(
                {
                    "county": assessment.county,
                    "part": "resource_allocation",
                    "item_id": "school_rule",
                    "code": "§3.5",
                    "stage": stage,
                    "value": share,
                    "threshold": 1.0,
                    "comparator": ">=",
                    "status": "pass" if share >= 1 else "fail",
                    "detail": f"{int(passed)}/{int(size)} units pass the per-school rule",
                }
            )
    for row in resources.indicators.reset_index().to_dict("records"):
        status = str(row["status"]) or "incomplete"
        records.append(
            {
                "county": assessment.county,
                "part": "resource_allocation",
                "item_id": row["indicator"],
                "code": "cv",
                "stage": row["stage"],
                "value": row["cv"],
                "threshold": row["limit"],
                "comparator": "<=",
                "status": "incomplete" if status == "undefined" else status,
                "detail": "差异系数 CV of the stage against its limit",
            }
        )
    return records


def _scalar(value: object) -> object:
    """Numbers and flags stay; a mapping (multi-part item) becomes its text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, np.generic):
        return value.item()
    return str(value)


def _assessment_list(
    assessments: Mapping[str, CountyAssessment] | Sequence[CountyAssessment],
) -> list[CountyAssessment]:
    items = list(assessments.values()) if isinstance(assessments, Mapping) else list(assessments)
    for position, given in enumerate(items):
        item: object = given
        if not isinstance(item, CountyAssessment):
            msg = (
                f"assessments[{position}] is a {type(item).__name__}; expected a "
                "CountyAssessment from eduequity.national.assess_county"
            )
            raise InvalidTypeError(msg, code="invalid_argument")
    return items


def county_matrix(
    disparity: CityDisparity | None = None,
    assessments: Mapping[str, CountyAssessment] | Sequence[CountyAssessment] | None = None,
) -> CountyMatrix:
    """Build the counties × indicators matrix, the problem lists and counts per indicator.

    Parameters
    ----------
    disparity : CityDisparity, optional
        City figures; Part 1 of every county is taken from them.
    assessments : mapping or sequence of CountyAssessment, optional
        County assessments already made; they give the preconditions, the guarantee and
        quality items, social recognition and the vetoes (and Part 1 when no ``disparity`` is
        given). A county assessed both ways keeps the Part 1 of ``disparity``.

    Returns
    -------
    CountyMatrix

    Raises
    ------
    InvalidArgumentError
        When neither input is given.

    Examples
    --------
    >>> from eduequity.city import city_disparity, county_matrix
    >>> from eduequity.datasets import demo_path
    >>> matrix = county_matrix(city_disparity(demo_path("demo_city_schools.csv")))
    >>> problems = matrix.problem_list("示范县 (Demo County)")
    >>> problems[["item_id", "stage", "status"]].to_numpy().tolist()
    ... # doctest: +NORMALIZE_WHITESPACE
    [['school_rule', 'primary', 'fail'], ['sports_area_per_student', 'primary', 'fail'],
     ['school_rule', 'junior', 'fail']]
    """
    if disparity is None and assessments is None:
        msg = "give city figures (disparity), county assessments, or both"
        raise InvalidArgumentError(msg, code="invalid_argument")
    frames = []
    sources = []
    if disparity is not None:
        given: object = disparity
        if not isinstance(given, CityDisparity):
            msg = f"disparity must be a CityDisparity; got {type(given).__name__}"
            raise InvalidTypeError(msg, code="invalid_argument")
        frames.append(_resource_cells(given))
        sources.append("city_disparity")
    if assessments is not None:
        items = _assessment_list(assessments)
        frames.append(_assessment_cells(items, part_one=disparity is None))
        sources.append("assessments")
    cells = pd.concat([frame for frame in frames if len(frame)], ignore_index=True)
    cells["gap"] = _gap(cells)
    # Method order: part, then stage (primary, junior; none for county-level items), then the
    # item order of the part (school rule first, the CVs in rule-set order, the items of the
    # assessment as listed).
    part_order = cells["part"].map({part: position for position, part in enumerate(PARTS)})
    stage_order = cells["stage"].map(_STAGE_ORDER).fillna(-1)
    indicator_order = {name: position for position, name in enumerate(INDICATORS)}
    item_order = cells["item_id"].map(indicator_order).fillna(-1)
    item_order = item_order.where(cells["item_id"] != "school_rule", -2)
    cells = cells.assign(
        _part=part_order, _stage=stage_order, _item=item_order, _row=np.arange(len(cells))
    ).sort_values(["county", "_part", "_stage", "_item", "_row"], kind="mergesort")
    cells = cells[list(MATRIX_COLUMNS)].reset_index(drop=True)
    problems = cells.loc[cells["status"].isin(_OPEN)].reset_index(drop=True)
    status = cells["status"]
    counts = (
        cells.assign(
            stage=cells["stage"].fillna("-"),
            n_counties=1,
            n_pass=(status == "pass").astype(np.int64),
            n_fail=(status == "fail").astype(np.int64),
            n_incomplete=(status == "incomplete").astype(np.int64),
            n_not_applicable=status.isin(["not_applicable", "not_assessed"]).astype(np.int64),
        )
        .groupby(["part", "item_id", "stage"], sort=False)[
            ["n_counties", "n_pass", "n_fail", "n_incomplete", "n_not_applicable"]
        ]
        .sum()
    )
    return CountyMatrix(
        counties=tuple(sorted(cells["county"].astype(str).unique().tolist())),
        cells=cells,
        problems=problems,
        by_indicator=counts.sort_index(),
        sources=tuple(sources),
    )


# --------------------------------------------------------------------------------------
# uniform standards


@attrs.frozen(kw_only=True)
class UniformStandards(Record):
    """Values of declared uniform standards per county and whether they differ.

    Examples
    --------
    Xiamen's per-pupil public funds (seed 004): 1 300 yuan (primary), 1 600 (junior) in every
    district; one district budgeting 1 250 breaks the uniform primary standard.

    >>> import pandas as pd
    >>> result = uniform_standards(pd.DataFrame({
    ...     "county": ["思明区", "湖里区", "同安区"],
    ...     "public_funds_benchmark_primary_yuan": [1300, 1300, 1250],
    ...     "public_funds_benchmark_junior_yuan": [1600, 1600, 1600]}))
    >>> result.summary[["range", "uniform"]].to_numpy().tolist()
    [[50.0, False], [0.0, True]]
    """

    standards: tuple[str, ...]
    """The standards checked (columns)."""
    summary: pd.DataFrame = attrs.field(eq=False, repr=False)
    """Indexed by standard: ``n_counties`` (with a value), ``n_missing``, ``min``, ``max``,
    ``range`` (max − min), ``uniform`` (range == 0; ``None`` without values) and
    ``differing`` (counties whose value is not the most common one)."""
    values: pd.DataFrame = attrs.field(eq=False, repr=False)
    """The values: counties × standards."""
    warnings: tuple[Issue, ...] = ()
    """``standard_not_uniform`` for every standard whose values differ."""


def uniform_standards(
    table: pd.DataFrame,
    columns: Sequence[str] | None = None,
    *,
    county: str = "county",
) -> UniformStandards:
    """Report declared uniform standards per county and flag any difference (range > 0).

    Parameters
    ----------
    table : pandas.DataFrame
        One row per county, e.g. the county facts of one year
        (``public_funds_benchmark_primary_yuan``, ``public_funds_benchmark_junior_yuan``).
    columns : sequence of str, optional
        The standards; default every numeric column other than ``county`` and ``year``.
    county : str, optional
        The county column.

    Returns
    -------
    UniformStandards

    Raises
    ------
    InvalidArgumentError
        A missing column, or a county on several rows (select one year first).
    """
    if county not in table.columns:
        msg = f"column {county!r} is not in the table"
        raise InvalidArgumentError(msg, code="invalid_argument")
    if table[county].duplicated().any():
        repeated = sorted(table.loc[table[county].duplicated(), county].astype(str).unique())
        msg = (
            f"counties on several rows: {', '.join(repeated)}; give one row per county "
            "(select one year)"
        )
        raise InvalidArgumentError(msg, code="several_fact_rows")
    chosen = (
        list(columns)
        if columns is not None
        else [
            name
            for name in table.columns
            if name not in {county, "year"}
            and pd.api.types.is_numeric_dtype(table[name])
            and not pd.api.types.is_bool_dtype(table[name])
        ]
    )
    for name in chosen:
        if name not in table.columns:
            msg = f"column {name!r} is not in the table"
            raise InvalidArgumentError(msg, code="invalid_argument")
    values = table.set_index(county)[chosen].astype(np.float64)
    values.index = values.index.astype(str)
    low = values.min()
    high = values.max()
    present = values.notna().sum()
    mode = values.mode().iloc[0] if len(values) else pd.Series(np.nan, index=chosen)
    differing = values.ne(mode) & values.notna()
    summary = pd.DataFrame(
        {
            "n_counties": present.astype(np.int64),
            "n_missing": (len(values) - present).astype(np.int64),
            "min": low,
            "max": high,
            "range": high - low,
        }
    )
    uniform = np.full(len(summary), None, dtype=object)
    defined = present.to_numpy() > 0
    uniform[defined] = (summary["range"].to_numpy()[defined] == 0).tolist()
    summary["uniform"] = uniform
    summary["differing"] = [
        tuple(values.index[differing[name].to_numpy(dtype=np.bool_)].tolist()) for name in chosen
    ]
    summary.index.name = "standard"
    issues = tuple(
        Issue(
            code="standard_not_uniform",
            message=(
                f"{name} differs across counties: {low[name]:g} to {high[name]:g} "
                f"(range {high[name] - low[name]:g}); counties off the common value: "
                f"{', '.join(values.index[differing[name].to_numpy(dtype=np.bool_)])}"
            ),
            severity="warning",
            column=name,
        )
        for name in chosen
        if summary.loc[name, "uniform"] is False
    )
    return UniformStandards(
        standards=tuple(chosen), summary=summary, values=values, warnings=issues
    )


# --------------------------------------------------------------------------------------
# checklist roll-up


@attrs.frozen(kw_only=True)
class ChecklistRollup(Record):
    """Creation-checklist completion by county and area, and the city's rate per area."""

    evaluation: ChecklistEvaluation = attrs.field(eq=False, repr=False)
    """The checklist evaluation of every county."""
    rates: pd.DataFrame = attrs.field(eq=False, repr=False)
    """Counties × areas: each county's completion rate per area (``None`` where no item of
    the area is selected), with ``overall`` (the county's ``rate_all``)."""
    city: pd.DataFrame = attrs.field(eq=False, repr=False)
    """Indexed by area: ``selected`` and ``done`` summed over counties and ``rate``
    (Σ done / Σ selected, a ratio of sums), with an ``overall`` row."""


def checklist_rollup(
    records: ChecklistEvaluation | Any,  # noqa: ANN401 - anything evaluate_checklist reads
    **options: Any,  # noqa: ANN401 - forwarded to evaluate_checklist
) -> ChecklistRollup:
    """Roll the creation checklist up to the city.

    Parameters
    ----------
    records
        A :class:`~eduequity.checklist.ChecklistEvaluation`, or records that
        :func:`~eduequity.checklist.evaluate_checklist` reads.
    **options
        Passed to :func:`~eduequity.checklist.evaluate_checklist` (``in_progress_weight``,
        ``basic_balance_years``, ...).

    Returns
    -------
    ChecklistRollup

    Examples
    --------
    >>> result = checklist_rollup([
    ...     {"county": "甲县", "item_id": "A1", "status": "已完成", "evidence": "方案"},
    ...     {"county": "乙县", "item_id": "A1", "status": "推进中"}])
    >>> float(result.city.loc["overall", "done"]), float(result.city.loc["overall", "selected"])
    (1.0, 40.0)
    """
    evaluation = (
        records
        if isinstance(records, ChecklistEvaluation)
        else evaluate_checklist(records, **options)
    )
    areas = evaluation.areas
    rates = areas.pivot(index="county", columns="area", values="rate")
    order = list(dict.fromkeys(areas["area"].tolist()))
    rates = rates.reindex(columns=order)
    summary = evaluation.summary.set_index("county")
    rates["overall"] = summary["rate_all"].reindex(rates.index)
    sums = areas.groupby("area", sort=False)[["selected", "done"]].sum().reindex(order)
    overall = sums.sum().to_frame("overall").T
    city = pd.concat([sums, overall])
    with np.errstate(invalid="ignore", divide="ignore"):
        city["rate"] = city["done"] / city["selected"].where(city["selected"] > 0)
    city.index.name = "area"
    return ChecklistRollup(evaluation=evaluation, rates=rates, city=city)
