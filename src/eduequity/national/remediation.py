"""The least-cost remediation plan (最低成本达标方案): what a county must add, and where, to pass.

A failing county's next question is not "what is short" (the school-by-school list of
:attr:`~eduequity.national.ResourceResult.remediation` answers that) but "what is the cheapest
set of actions that makes the county pass Part 1". The two differ: the per-school rule lets
each school section leave one indicator between 85% of its standard and the standard, and
the inter-school CVs couple the schools. :func:`plan_remediation` finds that cheapest plan
and proves how good it is.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from importlib import resources as package_files
from os import PathLike
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, cast

import attrs
import numpy as np
import pandas as pd

from eduequity._serialize import attrs_to_dict, to_jsonable
from eduequity.errors import InfeasiblePlanError, InvalidArgumentError, InvalidTypeError
from eduequity.national import _planning
from eduequity.national.assessment import rules_identity
from eduequity.national.resources import county_summary, evaluate_resources
from eduequity.national.rules import RULES_2017, RuleSet
from eduequity.national.schools import read_schools
from eduequity.national.units import STAGES, prepare_units

if TYPE_CHECKING:
    from eduequity._typing import JSONValue

__all__ = ["COST_ASSUMPTIONS", "DEFAULT_COSTS", "RemediationPlan", "plan_remediation"]

_CATALOGUE: Final[Mapping[str, Any]] = json.loads(
    package_files.files("eduequity.national")
    .joinpath("_remediation_costs.json")
    .read_text(encoding="utf-8")
)
_TRANSFER: Final = "teacher_transfer"
_TEACHER_KINDS: Final = ("qualified_teachers", "backbone_teachers", "pe_arts_teachers")


def _expanded_costs() -> dict[str, float]:
    costs: dict[str, float] = {}
    for item in _CATALOGUE["resources"]:
        template = str(item["column"])
        stages = STAGES if "{stage}" in template else ("",)
        for stage in stages:
            costs[template.format(stage=stage)] = float(item["cost"])
    costs[_TRANSFER] = float(_CATALOGUE[_TRANSFER]["cost"])
    return costs


DEFAULT_COSTS: Final[Mapping[str, float]] = MappingProxyType(_expanded_costs())
"""Default unit costs [yuan per unit of the column; ``teacher_transfer``: yuan per move].

These are planning **assumptions**, rounded orders of magnitude, not official prices; a
county should replace them with its own (``costs=``). Where each figure comes from is in
:data:`COST_ASSUMPTIONS`.
"""

COST_ASSUMPTIONS: Final[Mapping[str, str]] = MappingProxyType(
    {
        **{
            template.format(stage=stage) if "{stage}" in template else template: str(item["basis"])
            for item in _CATALOGUE["resources"]
            for template in (str(item["column"]),)
            for stage in (STAGES if "{stage}" in template else ("",))
        },
        _TRANSFER: str(_CATALOGUE[_TRANSFER]["basis"]),
    }
)
"""Where each default cost comes from, by column (and ``teacher_transfer``)."""

_TableSource = pd.DataFrame | str | PathLike[str]
CapsSource = Mapping[tuple[str, str], float] | pd.DataFrame | None
"""Caps as ``{(school_id, column): max}`` or a table with ``school_id``, ``column``, ``max``."""


@attrs.frozen(kw_only=True, repr=False)
class RemediationPlan:
    """The least-cost plan that makes a county (or every county of a table) pass Part 1."""

    additions: pd.DataFrame
    """One row per change: ``county``, ``school_id``, ``school_name``, ``stage``,
    ``resource`` (the school-table column the amount is added to), ``amount`` (in that
    column's unit: teachers, m², yuan, rooms), ``cost`` [yuan], ``action`` (``add``;
    ``transfer``, one row at each end with ``source`` and ``destination``, the leaving end
    negative and without cost; ``implied``, full-time teacher headcounts raised with the
    teachers added, without cost). Adding each ``amount`` to its school's ``resource`` in the
    input table gives :attr:`schools`."""
    cost: float
    """Cost of the plan [yuan]: the sum of ``additions["cost"]``."""
    lower_bound: float
    """A proven lower bound of the cost of any plan that passes [yuan]."""
    baseline_cost: float
    """Cost of the naive plan [yuan]: every failing school section brought to every standard,
    then the sections lowest per pupil levelled up where a CV still exceeds its limit."""
    baseline_additions: pd.DataFrame
    """The naive plan's rows, with the columns of :attr:`additions`."""
    schools: pd.DataFrame
    """The school table after the plan (canonical columns)."""
    passes: bool
    """Part 1 of :func:`~eduequity.national.assess_county` on :attr:`schools`, decided by the
    library's exact comparisons, for every county."""
    counties: pd.DataFrame
    """One row per county: ``county``, ``passed_before``, ``cost``, ``lower_bound``,
    ``baseline_cost``, ``gap`` and the solver's ``status``, ``incumbent`` (what found the
    plan: ``milp``, ``repair`` or ``baseline``), ``rounds`` (solve-and-cut rounds), ``cuts``
    (tangents), ``lp_solves``, ``milp_solves``, ``nodes``, ``variables`` and ``seconds``."""
    statistics: Mapping[str, JSONValue]
    """The solver's totals: counties planned, rounds, cuts, MILP solves, nodes, seconds."""
    costs: Mapping[str, float]
    """The unit costs used [yuan per unit]."""
    rules: Mapping[str, JSONValue]
    """The rule set used: edition, id, version, overlays and content hash."""

    @property
    def gap(self) -> float:
        """Relative distance of the cost from the proven bound: ``(cost − bound) / cost``."""
        return 0.0 if self.cost <= 0 else (self.cost - self.lower_bound) / self.cost

    @property
    def saving(self) -> float:
        """What the plan saves against the naive plan [yuan]."""
        return self.baseline_cost - self.cost

    def __repr__(self) -> str:
        return (
            f"RemediationPlan(counties={len(self.counties)}, rows={len(self.additions)}, "
            f"cost={self.cost:,.0f}, lower_bound={self.lower_bound:,.0f}, "
            f"baseline_cost={self.baseline_cost:,.0f}, passes={self.passes})"
        )

    def to_dict(self) -> dict[str, JSONValue]:
        """Return a JSON-safe mapping; the table after the plan is left out (add the rows)."""
        data = attrs_to_dict(self)
        data.pop("schools")
        data["gap"] = to_jsonable(self.gap)
        data["saving"] = to_jsonable(self.saving)
        return data


def _resolve_costs(costs: Mapping[str, float] | None) -> dict[str, float]:
    resolved = dict(DEFAULT_COSTS)
    if costs is None:
        return resolved
    if not isinstance(cast("object", costs), Mapping):
        msg = f"costs must be a mapping of column to yuan per unit; got {type(costs).__name__}"
        raise InvalidTypeError(msg)
    for key, value in costs.items():
        if key not in resolved:
            msg = (
                f"costs: {key!r} is not a resource a plan can add to; expected one of "
                f"{', '.join(sorted(resolved))}"
            )
            raise InvalidArgumentError(msg, code="unknown_cost")
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = math.nan
        if not math.isfinite(number) or number <= 0:
            msg = f"costs: {key!r} must be a positive number of yuan per unit; got {value!r}"
            raise InvalidArgumentError(msg, code="invalid_cost")
        resolved[key] = number
    return resolved


def _cap_items(caps: object) -> list[tuple[Any, Any]]:
    """Return the caps as ``((school_id, column), max)`` pairs, from a mapping or a table."""
    if isinstance(caps, pd.DataFrame):
        column = "column" if "column" in caps.columns else "resource"
        missing = [name for name in ("school_id", column, "max") if name not in caps.columns]
        if missing:
            msg = (
                f"caps table: column(s) {', '.join(missing)} missing; expected school_id, "
                "column and max"
            )
            raise InvalidArgumentError(msg, code="invalid_caps")
        return [
            ((str(school), str(name)), value)
            for school, name, value in zip(
                caps["school_id"], caps[column], caps["max"], strict=True
            )
        ]
    if isinstance(caps, Mapping):
        return list(caps.items())
    msg = f"caps must be a mapping or a DataFrame; got {type(caps).__name__}"
    raise InvalidTypeError(msg)


def _cap_value(school: str, name: str, value: object) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        number = math.nan
    if math.isnan(number) or number < 0:
        msg = (
            f"caps: school_id={school}, column {name}: the cap must be a number >= 0; got {value!r}"
        )
        raise InvalidArgumentError(msg, code="invalid_caps")
    return number


def _resolve_caps(caps: CapsSource, schools: pd.DataFrame) -> _planning.Caps:
    if caps is None:
        return _planning.Caps(bounds={})
    known = set(schools["school_id"].astype(str))
    allowed = set(DEFAULT_COSTS) - {_TRANSFER}
    bounds: dict[tuple[str, str], float] = {}
    for key, value in _cap_items(caps):
        if not (isinstance(key, tuple) and len(key) == 2):  # noqa: PLR2004
            msg = f"caps: key {key!r} must be a pair (school_id, column)"
            raise InvalidArgumentError(msg, code="invalid_caps")
        school, name = str(key[0]), str(key[1])
        if school not in known:
            msg = f"caps: school_id={school} is not in the school table (column {name})"
            raise InvalidArgumentError(msg, code="invalid_caps")
        if name not in allowed:
            msg = (
                f"caps: school_id={school}, column {name!r} is not a resource a plan can add "
                f"to; expected one of {', '.join(sorted(allowed))}"
            )
            raise InvalidArgumentError(msg, code="invalid_caps")
        bounds[school, name] = _cap_value(school, name, value)
    return _planning.Caps(bounds=bounds)


_HEADCOUNT_SUBSETS: Final = (*_TEACHER_KINDS, "bachelor_plus_teachers", "mid_senior_title_teachers")


def _implied_headcounts(
    before: pd.DataFrame, after: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Raise full-time headcounts where added teachers would exceed them (rows ``implied``).

    The school table requires qualified, backbone and PE/arts teachers to be full-time
    teachers (专任教师) of the section; a hired teacher is one, so the headcount follows.
    """
    records = []
    after = after.copy()
    for stage in STAGES:
        total = f"full_time_teachers_{stage}"
        kinds = [f"{kind}_{stage}" for kind in _HEADCOUNT_SUBSETS if f"{kind}_{stage}" in after]
        if total not in after.columns or not kinds:
            continue
        largest = np.nan_to_num(after[kinds].to_numpy(dtype=np.float64)).max(axis=1)
        held = after[total].to_numpy(dtype=np.float64)
        grew = largest > np.nan_to_num(before[kinds].to_numpy(dtype=np.float64)).max(axis=1)
        short = grew & ~np.isnan(held) & (largest > held)
        if short.any() and after[total].dtype.kind in "iu":
            after[total] = after[total].astype(np.float64)
        for position in np.flatnonzero(short):
            extra = float(largest[position] - held[position])
            after.loc[after.index[int(position)], total] = largest[position]
            row = after.iloc[position]
            records.append(
                {
                    "county": str(row["county"]),
                    "school_id": str(row["school_id"]),
                    "school_name": row.get("school_name"),
                    "stage": stage,
                    "resource": total,
                    "amount": extra,
                    "unit": "teachers",
                    "cost": 0.0,
                    "action": "implied",
                    "source": None,
                    "destination": None,
                }
            )
    return pd.DataFrame.from_records(records, columns=list(_planning.ADDITION_COLUMNS)), after


def _check_rules(rules: object) -> RuleSet:
    if not isinstance(rules, RuleSet):
        msg = f"rules must be a RuleSet; got {type(rules).__name__}"
        raise InvalidTypeError(msg)
    if rules.value("method") != "quality_balance":
        msg = (
            f"rules: {rules.id} has no per-school rule; a remediation plan is drawn up "
            "against the 2017 quality-balance method (RULES_2017 or an overlay of it)"
        )
        raise InvalidArgumentError(msg, code="invalid_argument")
    return rules


def plan_remediation(
    schools: _TableSource,
    *,
    rules: RuleSet = RULES_2017,
    costs: Mapping[str, float] | None = None,
    caps: CapsSource = None,
    transfers: bool = False,
    year: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> RemediationPlan:
    r"""Return the least-cost plan that makes each failing county pass Part 1 (资源配置).

    Parameters
    ----------
    schools : pandas.DataFrame or path
        The school table (canonical columns or Chinese headers) of one or many counties.
    rules : RuleSet, optional
        The 2017 method (:data:`~eduequity.national.RULES_2017`, default) or an overlay of it.
        Standards, the 85% floor, the 6-of-7 rule and the CV limits are read from it.
    costs : mapping, optional
        Unit costs [yuan per unit] by school-table column (``qualified_teachers_primary``,
        ``sports_ground_area_m2``, ``equipment_value_yuan``, ...) and ``teacher_transfer``
        [yuan per teacher moved]; the columns not given keep :data:`DEFAULT_COSTS`, which are
        assumptions a county should replace.
    caps : mapping or pandas.DataFrame, optional
        The most a school can add to a column, ``{(school_id, column): max}`` or a table with
        columns ``school_id``, ``column`` and ``max`` (e.g. 0 m² of sports ground where there
        is no land).
    transfers : bool, optional
        Also let teachers move between schools of the county (交流轮岗): per kind and stage as
        many arrive as leave, each move costs ``teacher_transfer``, and the school they leave
        must still pass.
    year : int, optional
        The school year to plan for, when the table holds several.
    progress : callable, optional
        Called with one line of text before each failing county is planned (for long runs).

    Returns
    -------
    RemediationPlan
        The additions school by school, the cost, the proven ``lower_bound``, the naive
        plan's ``baseline_cost``, the table after the plan and ``passes``. A county that
        already passes gets no rows and costs 0.

    Raises
    ------
    InfeasiblePlanError
        When caps forbid every way to pass; the message names the binding caps (school_id,
        column, cap and what a passing plan needs there).
    InvalidArgumentError
        For an unknown cost or cap column, a cost that is not positive, a cap below 0, a
        school_id not in the table, or a rule set without the per-school rule.
    InputError
        When the school table is malformed.

    Notes
    -----
    The decisions are non-negative additions :math:`x_{s,c}` to the resource columns of each
    school (teachers per stage, teaching and sports area, equipment value, multimedia rooms;
    counts whole). A section :math:`u` with :math:`P_u` pupils holds the amount
    :math:`A_{u,k} = A^0_{u,k} + \sum_c e_{u,k,c}\,x_{s(u),c}` of indicator :math:`k`, where the
    effect :math:`e` (σ for a split column of a mixed school, 1 for the section's own teachers)
    is measured through the assessment's own indicator code. With the need
    :math:`N_{u,k} = T_{s,k} P_u / \mathrm{per}_k` and a binary :math:`y_{u,k}` (the indicator
    left between its floor :math:`f T` and its standard :math:`T`):

    .. math::

        A_{u,k} \ge N_{u,k}\,\bigl(1 - (1 - f)\,y_{u,k}\bigr), \qquad
        \sum_k y_{u,k} \le n_k - \text{min\_met}, \qquad
        \Bigl\lVert \sqrt{P_i/P}\,\bigl(A_{i,k}/P_i - m_k\bigr) \Bigr\rVert_2 \le L_s\, m_k

    with :math:`m_k = \sum_i A_{i,k} / P` over the sections of a stage. The cone is written per
    section and enforced by tangent planes added to a mixed-integer programme solved with
    HiGHS (:func:`scipy.optimize.milp`); tangents are valid everywhere, so every programme is
    a relaxation and its dual bound is ``lower_bound``. Each plan is rounded (whole teachers
    and rooms, 0.01 m², 1 yuan) and decided by the library's exact Part 1 evaluation; tangents
    are added where it breaks a CV limit, and the loop stops once the best passing plan is
    within 0.5% of the bound (``gap`` reports the distance reached). Counties are independent:
    each failing county is one programme.

    Examples
    --------
    >>> from eduequity.datasets import generate_schools
    >>> from eduequity.national import plan_remediation
    >>> schools = generate_schools(n_counties=1, n_schools=8, seed=3)
    >>> plan = plan_remediation(schools)
    >>> plan.passes, plan.lower_bound <= plan.cost <= plan.baseline_cost
    (True, True)
    """
    rules = _check_rules(rules)
    resolved_costs = _resolve_costs(costs)
    frame = read_schools(schools, rules=rules, year=year)
    if frame.empty:
        raise InvalidArgumentError("the school table has no rows", code="no_rows")
    resolved_caps = _resolve_caps(caps, frame)
    catalogue = _planning.expand_resources(_CATALOGUE["resources"], resolved_costs)
    evaluation = evaluate_resources(prepare_units(frame, rules), rules)
    summary = county_summary(evaluation)
    county_passed = summary["passed"].groupby(level="county").all()
    failing = [str(county) for county, ok in county_passed.items() if not ok]
    planned = frame.copy()
    additions = []
    baseline = []
    rows: list[dict[str, Any]] = []
    for number, county in enumerate(failing, start=1):
        if progress is not None:
            progress(f"planning county {number} of {len(failing)}: {county}")
        in_county = (frame["county"].astype(str) == county).to_numpy()
        county_frame = frame.loc[in_county]
        prepared = prepare_units(county_frame, rules)
        model = _planning.build_model(
            prepared,
            rules,
            catalogue,
            caps=resolved_caps,
            transfers=transfers,
            transfer_cost=resolved_costs[_TRANSFER],
        )
        unit_passed = evaluate_resources(prepared, rules).units["passed"].to_numpy(dtype=np.bool_)
        naive = _planning.naive_plan(model, unit_passed, resolved_caps)
        try:
            solution = _planning.solve_county(model, naive, resolved_caps)
        except _planning.InfeasibleCaps as infeasible:
            raise _infeasible_error(county, infeasible) from None
        after = solution.schools.set_axis(county_frame.index)
        implied, after = _implied_headcounts(county_frame, after)
        planned.loc[after.index, after.columns] = after
        additions += [solution.additions, implied]
        baseline.append(solution.baseline_additions)
        rows.append(
            {
                "county": county,
                "passed_before": False,
                "cost": solution.cost,
                "lower_bound": solution.lower_bound,
                "baseline_cost": solution.baseline_cost,
                "gap": (solution.cost - solution.lower_bound) / solution.cost
                if solution.cost > 0
                else 0.0,
                **solution.statistics,
            }
        )
    rows += [
        {"county": str(county), "passed_before": True, "cost": 0.0, "lower_bound": 0.0}
        | {"baseline_cost": 0.0, "gap": 0.0, "status": "passing"}
        for county, ok in county_passed.items()
        if ok
    ]
    return _assemble(planned, (additions, baseline), rows, rules, resolved_costs)


def _rows_table(parts: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [frame for frame in parts if not frame.empty]
    table = (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(columns=list(_planning.ADDITION_COLUMNS))
    )
    return table.astype({"amount": np.float64, "cost": np.float64})


def _assemble(
    planned: pd.DataFrame,
    additions: tuple[list[pd.DataFrame], list[pd.DataFrame]],
    rows: list[dict[str, Any]],
    rules: RuleSet,
    costs: Mapping[str, float],
) -> RemediationPlan:
    """Put the counties' plans together and decide the planned table once, with the library."""
    table = _rows_table(additions[0])
    counties = pd.DataFrame.from_records(rows).sort_values("county", ignore_index=True)
    after = county_summary(evaluate_resources(prepare_units(planned, rules), rules))
    planned_counties = counties.loc[~counties["passed_before"], "county"]
    statistics: dict[str, JSONValue] = {"counties_planned": len(planned_counties)}
    for key in ("rounds", "cuts", "lp_solves", "milp_solves", "nodes", "seconds"):
        if key in counties.columns:
            statistics[key] = to_jsonable(counties[key].fillna(0).sum())
    lower = float(counties["lower_bound"].sum())
    return RemediationPlan(
        additions=table,
        cost=float(table["cost"].sum()),
        lower_bound=lower,
        baseline_cost=float(counties["baseline_cost"].sum()),
        baseline_additions=_rows_table(additions[1]),
        schools=planned,
        passes=bool(after["passed"].all()),
        counties=counties,
        statistics=statistics,
        costs=MappingProxyType(dict(costs)),
        rules=rules_identity(rules),
    )


def _infeasible_error(county: str, infeasible: _planning.InfeasibleCaps) -> InfeasiblePlanError:
    binding = tuple(infeasible.binding)
    described = "; ".join(
        f"school_id={school}, column {column}: cap {cap:g}, a passing plan needs {needed:g}"
        for school, column, cap, needed in binding
    )
    message = f"county {county}: the caps forbid every plan that passes Part 1"
    message += f"; binding caps: {described}" if described else ""
    return InfeasiblePlanError(message, binding_caps=binding)
