"""The least-cost remediation model of one county, solved with a proven bound (private).

The decisions are non-negative additions to a school's resource columns (and, optionally,
teachers moved between schools). The effect of one unit of a column on every section's
resource amount is measured through the assessment's own indicator code
(:func:`~eduequity.national.indicators.section_amounts`), so a mixed school's addition reaches
its sections exactly as the method splits that column. Part 1 is then:

- per section and indicator, ``amount >= need × (1 − (1 − floor_ratio) · y)`` with a binary
  ``y`` (the indicator left between its floor and its standard) and at most
  ``n_indicators − min_met`` of them per section;
- per stage and indicator, the student-weighted CV within its limit: a second-order cone in
  the amounts, written per section (see :func:`refine`) and enforced by tangent planes, which
  are valid everywhere.

The mixed-integer programme is solved with HiGHS (:func:`scipy.optimize.milp`), after a few
cheap linear relaxations have placed tangents. Every programme is a relaxation of the true
problem, so its dual bound is a proven lower bound. Each plan is rounded (whole teachers and
rooms, areas to 0.01 m², money to 1 yuan) and decided by the library's exact Part 1
evaluation, never by the solver's tolerances; a plan a hair outside a CV limit is levelled up
(:func:`repair`). Tangents are added where a plan broke a cone until the best passing plan is
within :data:`_TARGET_GAP` of the bound.
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
import time
import warnings
from collections.abc import Iterator, Mapping, Sequence
from decimal import ROUND_CEILING, Decimal
from typing import TYPE_CHECKING, Final, cast

import attrs
import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from eduequity._typing import FloatArray, IntArray
from eduequity.errors import DegenerateDataWarning
from eduequity.national.indicators import INDICATORS, _indicator_ids, section_amounts
from eduequity.national.resources import evaluate_resources
from eduequity.national.units import STAGES, PreparedUnits, prepare_units

if TYPE_CHECKING:
    from eduequity.national.rules import RuleSet

_LIMIT_SHRINK: Final = 1e-4
"""Relative tightening of the CV limits where plans are levelled, and in the linear rounds."""
_MIP_REL_GAP: Final = 4e-3
"""Relative gap at which HiGHS stops; the reported gap is measured against the proven bound."""
_TIME_LIMIT: Final = 120.0
"""Seconds allowed to one MILP solve."""
_MAX_ROUNDS: Final = 60
"""Rounds of solve, round, decide, cut before the loop gives up."""
_EFFECT_FLOOR: Final = 1e-12
_TARGET_GAP: Final = 5e-3
"""The loop stops once the best passing plan is within this relative distance of the bound."""
_COUNTY_SECONDS: Final = 45.0
"""Time after which no further round of cuts is started for a county."""
_SETTLE_ROUNDS: Final = 6
_RELAXED_ROUNDS: Final = 15
_PRESOLVE_BELOW: Final = 120
"""Sections under which HiGHS presolves. Measured on the benchmark counties (CPU seconds):
with presolve, three 200-school counties took 21 s against 13 s without (its root cut
separation slows down), while ten 70-school counties took 18 s against 32 s."""
_RELAXED_TOLERANCE: Final = 1e-3
"""The linear rounds stop once every CV is within this share above its limit."""
_TANGENT_SLACK: Final = 1e-6
"""A section gets a new tangent when its cone term is short by this share of the budget."""
"""Effects smaller than this (relative) are float dust from the difference of two amounts."""

ADD: Final = 0
ARRIVE: Final = 1
LEAVE: Final = 2


@attrs.frozen(kw_only=True)
class Resource:
    """One column a plan may add to, with its unit price and granularity."""

    column: str
    """The school-table column, e.g. ``backbone_teachers_primary``."""
    indicator: str
    """The indicator the column feeds."""
    stage: str | None
    """The stage of a per-stage column (teachers), else ``None``."""
    integer: bool
    """Whole units (teachers, rooms)."""
    resolution: Decimal
    """The step a continuous addition is rounded up to (0.01 m², 1 yuan)."""
    cost: float
    """Yuan per unit of the column."""
    unit: str
    """Unit of the column, e.g. ``"teachers"``, ``"m²"``."""


@attrs.frozen(kw_only=True)
class Caps:
    """Upper bounds on what a school may add, by (``school_id``, column)."""

    bounds: Mapping[tuple[str, str], float]
    """The largest addition allowed."""


@attrs.frozen(kw_only=True)
class Solution:
    """The plan found for one county, with its proof and the solver's record."""

    additions: pd.DataFrame
    """One row per change: ``school_id``, ``school_name``, ``stage``, ``resource``, ``amount``,
    ``cost``, ``action``, ``source``, ``destination``."""
    schools: pd.DataFrame
    """The county's school rows after the plan (canonical columns)."""
    cost: float
    """Cost of the plan [yuan]."""
    lower_bound: float
    """Proven lower bound of any plan that passes [yuan]."""
    baseline_cost: float
    """Cost of the naive plan [yuan]."""
    baseline_additions: pd.DataFrame
    """The naive plan's rows, as :attr:`additions`."""
    passes: bool
    """Part 1 after the plan, decided by the library."""
    statistics: dict[str, float | int | str]
    """Rounds, tangents (``cuts``), LP and MILP solves, nodes, seconds and status."""


class InfeasibleCaps(Exception):  # noqa: N818 - an internal signal, turned into the public error
    """Raised inside the module when caps forbid every passing plan; carries the binding caps."""

    def __init__(self, binding: list[tuple[str, str, float, float]]) -> None:
        super().__init__("infeasible")
        self.binding = binding


@attrs.define
class _Model:
    """The linear data of one county's programme (built once, solved many times)."""

    prepared: PreparedUnits
    rules: RuleSet
    ids: tuple[str, ...]
    resources: tuple[Resource, ...]
    base: FloatArray  # amounts, n_units × n_indicators
    effects: FloatArray  # amount per unit of column, n_resources × n_units × n_indicators
    need: FloatArray  # standard × P / per, n_units × n_indicators
    var_kind: IntArray
    var_school: IntArray
    var_resource: IntArray
    var_upper: FloatArray
    amount_map: sparse.csr_array  # (unit * n_k + k) × n_action_vars
    y_index: IntArray  # n_units × n_indicators, -1 where no choice variable
    n_vars: int  # actions and choices, then the cone variables of the active groups
    n_decisions: int  # actions and choices
    cap_rows: list[tuple[int, list[int], float]]
    transfer_cost: float
    groups: list[tuple[int, np.ndarray, float]]  # (indicator, unit rows, limit) per stage
    active: dict[int, int] = attrs.field(factory=dict)  # group -> offset of its t block, then S
    cuts: list[tuple[int, int, float]] = attrs.field(factory=list)  # (group, position, ratio)


def expand_resources(
    catalogue: Sequence[Mapping[str, object]], costs: Mapping[str, float]
) -> tuple[Resource, ...]:
    """Return the concrete columns of the catalogue (one per stage for teachers) with prices."""
    resources = []
    for item in catalogue:
        template = str(item["column"])
        stages: tuple[str | None, ...] = STAGES if "{stage}" in template else (None,)
        for stage in stages:
            column = template.format(stage=stage) if stage else template
            resources.append(
                Resource(
                    column=column,
                    indicator=str(item["indicator"]),
                    stage=stage,
                    integer=bool(item["integer"]),
                    resolution=Decimal(str(item["resolution"])),
                    cost=float(costs[column]),
                    unit=str(item["unit"]),
                )
            )
    return tuple(resources)


def _effects(
    prepared: PreparedUnits, rules: RuleSet, resources: Sequence[Resource], base: FloatArray
) -> tuple[FloatArray, list[Resource]]:
    """Measure what one unit of each column adds to every section's amounts.

    The indicator code is linear in the columns, so adding ``step`` to a column of every
    school and dividing the change of the section amounts by ``step`` gives the effect (the
    section share σ for a split column, 1 for a section's own teachers, 0 where the column
    does not count, e.g. the sports ground of a school that reports the combined area).
    """
    kept = []
    effects = []
    for resource in resources:
        if resource.column not in prepared.schools.columns:
            continue
        column = prepared.schools[resource.column].to_numpy(dtype=np.float64)
        step = max(1.0, float(np.nanmax(np.abs(column), initial=0.0)))
        shifted = prepared.schools.copy()
        shifted[resource.column] = column + step
        moved = section_amounts(attrs.evolve(prepared, schools=shifted), rules)
        effect = np.nan_to_num((moved - base) / step)
        effect[np.abs(effect) < _EFFECT_FLOOR] = 0.0
        if (effect != 0).any():
            kept.append(resource)
            effects.append(effect)
    n_units, n_k = base.shape
    stacked = np.stack(effects) if effects else np.zeros((0, n_units, n_k))
    return stacked, kept


def _needs(prepared: PreparedUnits, rules: RuleSet, ids: Sequence[str]) -> FloatArray:
    """Return the amount each section needs to meet each standard (exact, then float)."""
    units = prepared.units
    need = np.empty((len(units), len(ids)))
    standards = {
        (stage, k): rules.fraction(f"resource.standard.{stage}.{k}")
        for stage in STAGES
        for k in ids
    }
    for u, (stage, students) in enumerate(zip(units["stage"], units["students"], strict=True)):
        for j, k in enumerate(ids):
            need[u, j] = float(standards[str(stage), k] * int(students) / INDICATORS[k].per)
    return need


# Columns that must stay at most the moving column (docs: Input tables, subset_exceeds_total).
_SUBSETS: Final = {"qualified_teachers_primary": ("bachelor_plus_teachers_primary",)}


def _movable(schools: pd.DataFrame, column: str) -> FloatArray:
    """Return how many teachers of a column may leave each school without breaking its table."""
    movable: FloatArray = np.floor(np.nan_to_num(schools[column].to_numpy(dtype=np.float64)))
    for subset in _SUBSETS.get(column, ()):
        if subset in schools.columns:
            held = np.nan_to_num(schools[subset].to_numpy(dtype=np.float64))
            movable = np.maximum(0.0, movable - held)
    return movable


def _variables(
    prepared: PreparedUnits,
    kept: Sequence[Resource],
    effects: FloatArray,
    *,
    caps: Caps,
    transfers: bool,
) -> tuple[IntArray, IntArray, IntArray, FloatArray]:
    """Return kind, school, column and upper bound of every action variable."""
    school_of_unit = prepared.units["school_row"].to_numpy(dtype=np.int64)
    n_schools = len(prepared.schools)
    school_ids = prepared.schools["school_id"].astype(str).to_numpy()
    kinds, schools, which, upper = [], [], [], []
    for r, resource in enumerate(kept):
        touched = np.bincount(
            school_of_unit, weights=(effects[r] != 0).any(axis=1), minlength=n_schools
        )
        rows = np.flatnonzero(touched > 0)
        movable = transfers and resource.stage is not None
        for kind in (ADD, ARRIVE, LEAVE) if movable else (ADD,):
            kinds.append(np.full(rows.size, kind))
            schools.append(rows)
            which.append(np.full(rows.size, r))
            if kind == LEAVE:
                upper.append(_movable(prepared.schools, resource.column)[rows])
            elif kind == ADD and not movable:
                # With transfers a cap bounds additions and arrivals together (a row).
                caps_of = [caps.bounds.get((school_ids[s], resource.column), np.inf) for s in rows]
                upper.append(np.array(caps_of, dtype=np.float64))
            else:
                upper.append(np.full(rows.size, np.inf))
    if not kinds:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty, np.zeros(0)
    return (
        np.concatenate(kinds),
        np.concatenate(schools),
        np.concatenate(which),
        np.concatenate(upper),
    )


def _amount_map(
    prepared: PreparedUnits,
    effects: FloatArray,
    variables: tuple[IntArray, IntArray, IntArray],
    shape: tuple[int, int],
) -> sparse.csr_array:
    """Return the map from the action variables to the amounts (row ``unit · n_k + k``)."""
    var_kind, var_school, var_resource = variables
    n_k = shape[1]
    school_of_unit = prepared.units["school_row"].to_numpy(dtype=np.int64)
    rows, columns, values = (
        [np.zeros(0, dtype=np.int64)],
        [np.zeros(0, dtype=np.int64)],
        [np.zeros(0)],
    )
    for v, (s, r, kind) in enumerate(zip(var_school, var_resource, var_kind, strict=True)):
        members = np.flatnonzero(school_of_unit == s)
        effect = effects[r][members]
        unit_index, k_index = np.nonzero(effect)
        rows.append(members[unit_index] * n_k + k_index)
        columns.append(np.full(unit_index.size, v))
        values.append((-1.0 if kind == LEAVE else 1.0) * effect[unit_index, k_index])
    return sparse.csr_array(
        (np.concatenate(values), (np.concatenate(rows), np.concatenate(columns))),
        shape=(shape[0] * n_k, var_kind.size),
    )


def _transfer_caps(
    prepared: PreparedUnits,
    kept: Sequence[Resource],
    variables: tuple[IntArray, IntArray, IntArray],
    caps: Caps,
) -> list[tuple[int, list[int], float]]:
    """Return the cap rows of a model with transfers: additions plus arrivals at most the cap."""
    var_kind, var_school, var_resource = variables
    school_ids = prepared.schools["school_id"].astype(str).to_numpy()
    arrival = {
        (int(s), int(r)): v
        for v, (s, r, kind) in enumerate(zip(var_school, var_resource, var_kind, strict=True))
        if kind == ARRIVE
    }
    rows = []
    for v in np.flatnonzero(var_kind == ADD):
        key = (int(var_school[v]), int(var_resource[v]))
        bound = caps.bounds.get((school_ids[key[0]], kept[key[1]].column))
        if bound is not None:
            members = [int(v)] + ([arrival[key]] if key in arrival else [])
            rows.append((int(v), members, float(bound)))
    return rows


def _groups(
    prepared: PreparedUnits, rules: RuleSet, n_k: int
) -> list[tuple[int, np.ndarray, float]]:
    """Return (indicator, sections, CV limit) for every stage with two sections or more."""
    stage = prepared.units["stage"].to_numpy()
    groups: list[tuple[int, np.ndarray, float]] = []
    for stage_name in STAGES:
        rows = np.flatnonzero(stage == stage_name)
        if rows.size < 2:  # noqa: PLR2004 - one unit has a CV of 0 by the formula
            continue
        limit = rules.number(f"resource.cv_limit.{stage_name}")
        groups.extend((k, rows, limit) for k in range(n_k))
    return groups


def build_model(
    prepared: PreparedUnits,
    rules: RuleSet,
    resources: Sequence[Resource],
    *,
    caps: Caps,
    transfers: bool,
    transfer_cost: float,
) -> _Model:
    """Build the linear data of the programme of one county."""
    ids = _indicator_ids(rules)
    base = section_amounts(prepared, rules)
    effects, kept = _effects(prepared, rules, resources, base)
    need = _needs(prepared, rules, ids)
    n_units, n_k = base.shape
    var_kind, var_school, var_resource, var_upper = _variables(
        prepared, kept, effects, caps=caps, transfers=transfers
    )
    variables = (var_kind, var_school, var_resource)
    amount_map = _amount_map(prepared, effects, variables, (n_units, n_k))
    n_actions = var_kind.size
    # A section gets a choice variable where it is short of a standard, or may become short
    # because its teachers may leave.
    can_fall = np.zeros(n_units * n_k, dtype=np.bool_)
    if transfers and n_actions:
        negative = amount_map.copy()
        negative.data = (negative.data < 0).astype(np.float64)
        can_fall = np.asarray(negative.sum(axis=1)).ravel() > 0
    has_choice = ((base < need).ravel() | can_fall).reshape(n_units, n_k)
    y_index = np.full((n_units, n_k), -1, dtype=np.int64)
    y_index[has_choice] = n_actions + np.arange(int(has_choice.sum()))
    cap_rows = _transfer_caps(prepared, kept, variables, caps) if transfers else []
    groups = _groups(prepared, rules, n_k)

    return _Model(
        prepared=prepared,
        rules=rules,
        ids=ids,
        resources=tuple(kept),
        base=base,
        effects=effects,
        need=need,
        var_kind=var_kind,
        var_school=var_school,
        var_resource=var_resource,
        var_upper=var_upper,
        amount_map=amount_map,
        y_index=y_index,
        n_vars=n_actions + int(has_choice.sum()),
        n_decisions=n_actions + int(has_choice.sum()),
        cap_rows=cap_rows,
        transfer_cost=transfer_cost,
        groups=groups,
    )


# -- the programme --------------------------------------------------------------------------


def _group_scale(model: _Model, group: tuple[int, np.ndarray, float]) -> float:
    """Return the size of a group's total amount, which brings its cone rows to order one."""
    k, rows, _ = group
    return max(float(model.base[rows, k].sum()), float(model.need[rows, k].sum()), 1e-9)


def _deviations(
    model: _Model, group: tuple[int, np.ndarray, float], amounts: FloatArray
) -> FloatArray:
    """Return each section's relative deviation ``(A_i/P_i − m)/m`` from the county value."""
    k, rows, _ = group
    students = model.prepared.units["students"].to_numpy(dtype=np.float64)[rows]
    values = amounts[rows, k]
    mean = values.sum() / students.sum()
    deviation: FloatArray = (values / students - mean) / max(mean, 1e-300)
    return deviation


# Relative deviations at which every section of a group gets a tangent when the group's cone
# is first needed; the loop adds tangents at the deviations the solver's plans reach.
_INITIAL_RATIOS: Final = (-0.5, 0.5)


def refine(model: _Model, amounts: FloatArray, shrink: float, x: FloatArray | None = None) -> int:
    """Add tangents where the plan's amounts break a CV limit; return how many were added.

    A group is the sections of one stage for one indicator. Its cone is written per section
    (the disaggregated form of the second-order cone): with ``S = ΣA`` and ``d_i = A_i −
    P_i·S/P``, ``CV ≤ L`` is ``Σ t_i ≤ L²·S`` with ``t_i ≥ P·d_i²/(P_i·S)``, a
    three-dimensional convex cone per section whose tangent at the relative deviation ``ρ``
    is ``t_i ≥ 2ρ·A_i − (P_i/P)(2ρ + ρ²)·S``. Tangents are valid everywhere, so the
    programme stays a relaxation and its bound a proven lower bound. Given the solver's point
    ``x``, a section gets a new tangent only where its ``t_i`` falls short of the cone.
    """
    fresh = 0
    students = model.prepared.units["students"].to_numpy(dtype=np.float64)
    for g, group in enumerate(model.groups):
        if _cv(model, amounts, group) <= group[2] * (1 - shrink):
            continue
        rows = group[1]
        if g not in model.active:
            model.active[g] = model.n_vars
            model.n_vars += rows.size + 1
            model.cuts += [(g, i, ratio) for i in range(rows.size) for ratio in _INITIAL_RATIOS]
            fresh += rows.size * len(_INITIAL_RATIOS)
        short = np.ones(rows.size, dtype=np.bool_)
        offset = model.active[g]
        if x is not None and offset + rows.size <= x.size:
            k, limit = group[0], group[2]
            pupils = students[rows]
            total = amounts[rows, k].sum()
            deviation = amounts[rows, k] - pupils * total / pupils.sum()
            scale = _group_scale(model, group)
            cone = pupils.sum() * deviation**2 / (pupils * total) / scale
            short = (
                cone - x[offset : offset + rows.size] > _TANGENT_SLACK * limit**2 * total / scale
            )
        for i, ratio in enumerate(_deviations(model, group, amounts)):
            if short[i]:
                model.cuts.append((g, i, float(ratio)))
                fresh += 1
    return fresh


def _cone_rows(
    model: _Model, shrink: float
) -> tuple[list[sparse.csr_array], list[FloatArray], list[FloatArray]]:
    """Return the rows of the active cones: the totals, the budgets and the tangents."""
    n_k = len(model.ids)
    n_actions = model.var_kind.size
    students = model.prepared.units["students"].to_numpy(dtype=np.float64)
    blocks: list[sparse.csr_array] = []
    low: list[FloatArray] = []
    high: list[FloatArray] = []
    for g, offset in model.active.items():
        k, rows, limit = model.groups[g]
        scale = _group_scale(model, model.groups[g])
        total_var = offset + rows.size
        sub = model.amount_map[rows * n_k + k] / scale
        # S' = ΣA / scale: the total as a variable, so that each tangent row stays sparse.
        total = sparse.csr_array(
            (np.ones(1), (np.zeros(1, dtype=np.int64), np.array([total_var]))),
            shape=(1, model.n_vars),
        )
        summed = sparse.csr_array(sub.sum(axis=0).reshape(1, -1))
        blocks.append(
            sparse.hstack([-summed, sparse.csr_array((1, model.n_vars - n_actions))]) + total
        )
        base_total = float(model.base[rows, k].sum()) / scale
        low.append(np.full(1, base_total))
        high.append(np.full(1, base_total))
        # Σ t' ≤ L² S'.
        budget = np.zeros(model.n_vars)
        budget[offset : offset + rows.size] = 1.0
        budget[total_var] = -((limit * (1 - shrink)) ** 2)
        blocks.append(sparse.csr_array(budget.reshape(1, -1)))
        low.append(np.full(1, -np.inf))
        high.append(np.zeros(1))
    tangents = [(g, i, ratio) for g, i, ratio in model.cuts if g in model.active]
    if tangents:
        group_of = np.array([g for g, _, _ in tangents])
        position = np.array([i for _, i, _ in tangents])
        ratio = np.array([r for _, _, r in tangents])
        unit = np.array([model.groups[g][1][i] for g, i, _ in tangents])
        indicator = np.array([model.groups[g][0] for g in group_of])
        group_scale = np.array([_group_scale(model, model.groups[g]) for g in group_of])
        share = np.array(
            [
                students[model.groups[g][1][i]] / students[model.groups[g][1]].sum()
                for g, i, _ in tangents
            ]
        )
        offsets = np.array([model.active[g] for g in group_of])
        picked = model.amount_map[unit * n_k + indicator]
        amounts = picked.multiply((-2 * ratio / group_scale)[:, None]).tocsr()
        n = len(tangents)
        amounts = sparse.hstack([amounts, sparse.csr_array((n, model.n_vars - n_actions))])
        extra = sparse.csr_array(
            (
                np.concatenate([np.ones(n), share * (2 * ratio + ratio**2)]),
                (
                    np.concatenate([np.arange(n), np.arange(n)]),
                    np.concatenate(
                        [
                            offsets + position,
                            offsets + np.array([model.groups[g][1].size for g in group_of]),
                        ]
                    ),
                ),
            ),
            shape=(n, model.n_vars),
        )
        blocks.append((amounts + extra).tocsr())
        low.append(2 * ratio * model.base[unit, indicator] / group_scale)
        high.append(np.full(n, np.inf))
    return blocks, low, high


_Rows = tuple[list[sparse.csr_array], list[FloatArray], list[FloatArray]]
"""Blocks of constraint rows with their lower and upper sides."""


def _objective(model: _Model) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Return costs, integrality and bounds of every variable."""
    n_actions = model.var_kind.size
    prices = np.array([resource.cost for resource in model.resources])
    whole = np.array([resource.integer for resource in model.resources], dtype=np.bool_)
    cost = np.zeros(model.n_vars)
    integrality = np.ones(model.n_vars)
    if n_actions:
        cost[:n_actions] = np.where(
            model.var_kind == ADD,
            prices[model.var_resource],
            np.where(model.var_kind == LEAVE, model.transfer_cost, 0.0),
        )
        integrality[:n_actions] = whole[model.var_resource] | (model.var_kind != ADD)
    upper = np.ones(model.n_vars)
    upper[:n_actions] = model.var_upper
    upper[model.n_decisions :] = np.inf
    integrality[model.n_decisions :] = 0
    return cost, integrality, np.zeros(model.n_vars), upper


def _rule_rows(model: _Model) -> _Rows:
    """Return the standards with their choices, the per-school rule and the transfer balance."""
    n_actions = model.var_kind.size
    # The standards: amount + (1 − floor) · need · y ≥ need, scaled by the need.
    floor_ratio = model.rules.number("resource.floor_ratio")
    need = model.need.ravel()
    base = model.base.ravel()
    rows = np.flatnonzero(model.y_index.ravel() >= 0)
    scale = 1.0 / need[rows]
    standard = model.amount_map[rows].multiply(scale[:, None]).tocsr()
    choice = sparse.csr_array(
        (
            np.full(rows.size, 1 - floor_ratio),
            (np.arange(rows.size), model.y_index.ravel()[rows] - n_actions),
        ),
        shape=(rows.size, model.n_decisions - n_actions),
    )
    blocks = [sparse.hstack([standard, choice]).tocsr()]
    low = [(need[rows] - base[rows]) * scale]
    high = [np.full(rows.size, np.inf)]
    # The per-school rule: at most n_k − min_met standards left at their floor.
    allowed = len(model.ids) - model.rules.integer("resource.min_met")
    units_with_choice = np.flatnonzero((model.y_index >= 0).any(axis=1))
    if units_with_choice.size:
        picks = model.y_index[units_with_choice]
        unit_pos, _ = np.nonzero(picks >= 0)
        blocks.append(
            sparse.csr_array(
                (np.ones(unit_pos.size), (unit_pos, picks[picks >= 0])),
                shape=(units_with_choice.size, model.n_vars),
            )
        )
        low.append(np.full(units_with_choice.size, -np.inf))
        high.append(np.full(units_with_choice.size, float(allowed)))
    # Transfers: per column, as many teachers arrive as leave.
    for r in np.unique(model.var_resource[model.var_kind == ARRIVE]):
        sign = np.zeros(model.n_vars)
        sign[:n_actions][(model.var_resource == r) & (model.var_kind == ARRIVE)] = 1.0
        sign[:n_actions][(model.var_resource == r) & (model.var_kind == LEAVE)] = -1.0
        blocks.append(sparse.csr_array(sign.reshape(1, -1)))
        low.append(np.zeros(1))
        high.append(np.zeros(1))
    return blocks, low, high


def _assemble(
    model: _Model, *, elastic: bool, shrink: float
) -> tuple[FloatArray, FloatArray, Bounds, list[LinearConstraint], list[int]]:
    """Return objective, integrality, bounds and constraints of the programme.

    ``elastic`` replaces the costs by the violation of the caps (one slack per cap), to name
    the caps that forbid every passing plan; the returned list holds the slack positions.
    """
    n_actions = model.var_kind.size
    cost, integrality, lower, upper = _objective(model)
    blocks, low, high = _rule_rows(model)
    # The CV cones of the groups that needed one, by tangents valid everywhere.
    cone_blocks, cone_low, cone_high = _cone_rows(model, shrink)
    blocks += cone_blocks
    low += cone_low
    high += cone_high
    # The caps: as bounds, as rows (additions plus arrivals) or, elastic, with a slack.
    cap_rows = list(model.cap_rows)
    if elastic:
        for v in np.flatnonzero(np.isfinite(upper[:n_actions]) & (model.var_kind == ADD)):
            cap_rows.append((int(v), [int(v)], float(upper[v])))
            upper[v] = np.inf
    slacks = list(range(model.n_vars, model.n_vars + (len(cap_rows) if elastic else 0)))
    width = model.n_vars + len(slacks)
    blocks = [
        sparse.hstack([b, sparse.csr_array((b.shape[0], width - b.shape[1]))])
        if b.shape[1] < width
        else b
        for b in blocks
    ]
    for i, (_, members, bound) in enumerate(cap_rows):
        row = np.zeros(width)
        row[members] = 1.0
        if elastic:
            row[slacks[i]] = -1.0
        blocks.append(sparse.csr_array(row.reshape(1, -1)))
        low.append(np.full(1, -np.inf))
        high.append(np.full(1, bound))
    if elastic:
        cost = np.concatenate([np.zeros(model.n_vars), np.ones(len(slacks))])
        integrality = np.concatenate([integrality, np.zeros(len(slacks))])
        lower = np.concatenate([lower, np.zeros(len(slacks))])
        upper = np.concatenate([upper, np.full(len(slacks), np.inf)])
    matrix = sparse.vstack(blocks).tocsr()
    constraints = [LinearConstraint(matrix, np.concatenate(low), np.concatenate(high))]
    return cost, integrality, Bounds(lower, upper), constraints, slacks


def _variable_scales(model: _Model, width: int) -> FloatArray:
    """Return the unit in which the solver sees each variable.

    A continuous addition is counted in steps near a hundredth of a typical section's need
    (yuan by the ten thousand, m² by the ten), so that the matrix and the costs stay within a
    few orders of magnitude.
    """
    scales = np.ones(width)
    n_actions = model.var_kind.size
    for r, resource in enumerate(model.resources):
        if resource.integer:
            continue
        k = model.ids.index(resource.indicator)
        typical = float(np.median(model.need[:, k])) / 100
        scale = 10.0 ** max(0, round(math.log10(typical))) if typical > 0 else 1.0
        chosen = np.zeros(width, dtype=np.bool_)
        chosen[:n_actions] = (model.var_resource == r) & (model.var_kind == ADD)
        scales[chosen] = scale
    return scales


@contextlib.contextmanager
def _native_output_silenced() -> Iterator[None]:
    """Keep HiGHS's native diagnostics off standard output while it solves.

    HiGHS prints some messages (``HighsMipSolverData::...``) from C++ straight to file
    descriptor 1 whatever its options say; standard output carries the reports of the command
    line, so the descriptor points at the null device for the duration of a solve.
    """
    with contextlib.suppress(AttributeError, OSError, ValueError):
        sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # pragma: no cover - no descriptor 1 to protect
        yield
        return
    sink = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(sink, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(sink)


@attrs.frozen(kw_only=True)
class _Result:
    """What the loop reads of a solve: status, the point (in natural units) and the bound."""

    status: int
    x: FloatArray | None
    bound: float
    nodes: int


def _solve(
    model: _Model, *, shrink: float, elastic: bool = False, relaxed: bool = False
) -> tuple[_Result, list[int]]:
    """Solve the programme; ``shrink`` tightens the CV limits (0: the relaxation that bounds).

    ``relaxed`` drops integrality (a linear programme, to place tangents cheaply).
    """
    cost, integrality, bounds, constraints, slacks = _assemble(
        model, elastic=elastic, shrink=shrink
    )
    scales = _variable_scales(model, cost.size)
    (constraint,) = constraints
    original = cast("sparse.csr_array", constraint.A)
    matrix = sparse.csr_array(original @ sparse.diags_array(scales))
    with _native_output_silenced():
        result = milp(
            cost * scales,
            integrality=np.zeros(integrality.size, dtype=np.int64)
            if relaxed
            else integrality.astype(np.int64),
            bounds=Bounds(bounds.lb / scales, bounds.ub / scales),
            constraints=[LinearConstraint(matrix, constraint.lb, constraint.ub)],
            options={
                "mip_rel_gap": _MIP_REL_GAP,
                "time_limit": _TIME_LIMIT,
                "presolve": len(model.prepared.units) < _PRESOLVE_BELOW,
                "disp": False,
            },
        )
    x = None if result.x is None else np.asarray(result.x) * scales
    bound = getattr(result, "mip_dual_bound", None)
    if bound is None or (isinstance(bound, float) and math.isnan(bound)):
        bound = result.fun if result.fun is not None else 0.0
    nodes = int(getattr(result, "mip_node_count", 0) or 0)
    return _Result(status=int(result.status), x=x, bound=float(bound), nodes=nodes), slacks


def _place_tangents(model: _Model) -> int:
    """Place tangents with cheap linear relaxations before the integer rounds; return solves."""
    solves = 0
    for _ in range(_RELAXED_ROUNDS):
        result, _ = _solve(model, shrink=_LIMIT_SHRINK, relaxed=True)
        solves += 1
        if result.x is None:
            break
        amounts = _actions_amounts(model, result.x[: model.var_kind.size])
        if not refine(model, amounts, -_RELAXED_TOLERANCE, result.x):
            break
    return solves


# -- from the solver's numbers to a plan the library decides ------------------------------------


def _round_value(resource: Resource, value: float, *, whole: bool) -> Decimal:
    """Whole teachers and rooms; a continuous addition rounded up to the column's step."""
    value = max(0.0, float(value))
    if whole or resource.integer:
        # A count within float dust of a whole number is that number.
        return Decimal(math.ceil(round(value, 6)))
    step = resource.resolution
    steps = (Decimal(repr(value)) / step).quantize(Decimal(1), rounding=ROUND_CEILING)
    # A value within float dust above a step is that step, not the next one.
    if steps > 0 and float((steps - 1) * step) >= value - 1e-9 * max(1.0, value):
        steps -= 1
    return steps * step


def _round_actions(model: _Model, x: FloatArray) -> list[Decimal]:
    """Round the solver's values: counts to whole numbers, amounts up to their step."""
    rounded = []
    for v in range(model.var_kind.size):
        resource = model.resources[int(model.var_resource[v])]
        if resource.integer or model.var_kind[v] != ADD:
            rounded.append(Decimal(round(max(0.0, float(x[v])))))
        else:
            rounded.append(_round_value(resource, float(x[v]), whole=False))
    return rounded


def _source_rows(model: _Model) -> dict[int, int]:
    """Map each school of the model to its own row of the source table (sites excluded)."""
    source_ids = model.prepared.source["school_id"].astype(str)
    wanted = pd.Index(model.prepared.schools["school_id"].astype(str))
    position = pd.Index(source_ids).get_indexer(wanted)
    return dict(enumerate(position.tolist()))


def _add(value: float, amount: Decimal) -> float:
    """Add exactly in decimal, so the table holds the number a user would type."""
    return float(Decimal(repr(float(value))) + amount)


def apply_plan(model: _Model, changes: Mapping[tuple[int, str], Decimal]) -> pd.DataFrame:
    """Return the county's source table with the net changes added to the schools' own rows."""
    frame = model.prepared.source.copy()
    rows = _source_rows(model)
    for (school, column), amount in changes.items():
        if amount == 0:
            continue
        position = rows[school]
        current = frame[column].to_numpy(dtype=np.float64)
        if frame[column].dtype.kind in "iu":
            frame[column] = current
        frame.loc[frame.index[position], column] = _add(current[position], amount)
    return frame


def decide(model: _Model, frame: pd.DataFrame) -> tuple[np.ndarray, list[int], FloatArray]:
    """Decide Part 1 of a planned table with the library: failing units, failing groups."""
    prepared = prepare_units(frame, model.rules)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateDataWarning)
        evaluation = evaluate_resources(prepared, model.rules)
    failing_units = np.flatnonzero(~evaluation.units["passed"].to_numpy(dtype=np.bool_))
    status = evaluation.cv["status"]
    failing_groups = []
    for g, (k, rows, _) in enumerate(model.groups):
        stage = str(model.prepared.units["stage"].iloc[int(rows[0])])
        decided = status.xs((stage, model.ids[k]), level=("stage", "indicator"))
        if (decided != "pass").any():
            failing_groups.append(g)
    return failing_units, failing_groups, evaluation.amounts


def _net_changes(model: _Model, rounded: Sequence[Decimal]) -> dict[tuple[int, str], Decimal]:
    changes: dict[tuple[int, str], Decimal] = {}
    for v, amount in enumerate(rounded):
        key = (int(model.var_school[v]), model.resources[int(model.var_resource[v])].column)
        signed = -amount if model.var_kind[v] == LEAVE else amount
        changes[key] = changes.get(key, Decimal(0)) + signed
    return changes


def _diagnose(model: _Model) -> InfeasibleCaps:
    """Find the caps whose relaxation lets the county pass (elastic programme)."""
    result, slacks = _solve(model, shrink=0.0, elastic=True)
    x = result.x
    school_ids = model.prepared.schools["school_id"].astype(str).to_numpy()
    binding = []
    if x is not None:
        cap_rows = list(model.cap_rows)
        n_actions = model.var_kind.size
        finite = np.flatnonzero(np.isfinite(model.var_upper[:n_actions]) & (model.var_kind == ADD))
        cap_rows += [(int(v), [int(v)], float(model.var_upper[v])) for v in finite]
        for slack, (v, members, bound) in zip(slacks, cap_rows, strict=True):
            if x[slack] > 1e-6 * max(1.0, bound):
                column = model.resources[int(model.var_resource[v])].column
                binding.append(
                    (str(school_ids[model.var_school[v]]), column, bound, float(x[members].sum()))
                )
    return InfeasibleCaps(binding)


@attrs.frozen(kw_only=True)
class Candidate:
    """A rounded plan, decided by the library."""

    actions: tuple[Decimal, ...]
    """The amount of every action variable of the model (additions, arrivals, departures)."""
    schools: pd.DataFrame
    """The county's table after the plan."""
    cost: float
    """Its cost [yuan]."""
    passes: bool
    """Part 1 after the plan, decided exactly."""
    respects_caps: bool
    """Whether every addition stays within its cap."""


def _candidate(model: _Model, actions: Sequence[Decimal], caps: Caps) -> Candidate:
    frame = apply_plan(model, _net_changes(model, actions))
    failing_units, failing_groups, _ = decide(model, frame)
    school_ids = model.prepared.schools["school_id"].astype(str).to_numpy()
    within = all(
        float(amount) <= caps.bounds.get((school_ids[model.var_school[v]], column), math.inf)
        for v, amount in enumerate(actions)
        if model.var_kind[v] == ADD and amount > 0
        for column in (model.resources[int(model.var_resource[v])].column,)
    )
    return Candidate(
        actions=tuple(actions),
        schools=frame,
        cost=_plan_cost(model, actions),
        passes=not failing_units.size and not failing_groups,
        respects_caps=within,
    )


def _better(incumbent: Candidate | None, candidate: Candidate) -> Candidate | None:
    if not (candidate.passes and candidate.respects_caps):
        return incumbent
    if incumbent is None or candidate.cost < incumbent.cost:
        return candidate
    return incumbent


def solve_county(model: _Model, naive: Candidate, caps: Caps) -> Solution:
    """Solve one county: solve, round, decide exactly, repair, cut; until the gap is proven.

    Every programme solved is a relaxation of the true problem (its tangents are valid
    everywhere), so each dual bound is a proven lower bound. Its plan is rounded and decided
    by the library; a plan a hair outside a CV limit is levelled up (:func:`repair`). The loop
    stops once the best passing plan is within :data:`_TARGET_GAP` of the best bound.
    """
    start = time.perf_counter()
    refine(model, model.base, 0.0)
    n_actions = model.var_kind.size
    incumbent = _better(None, naive)
    found_by = "baseline" if incumbent is not None else ""
    nodes = rounds = solves = 0
    bound = 0.0
    relaxed = _place_tangents(model) if model.active else 0
    status = "optimal"
    while rounds < _MAX_ROUNDS:
        rounds += 1
        result, _ = _solve(model, shrink=0.0)
        solves += 1
        nodes += result.nodes
        x = result.x
        if result.status == 2 or x is None:  # noqa: PLR2004 - infeasible
            raise _diagnose(model)
        bound = max(bound, result.bound)
        rounded = _round_actions(model, x)
        candidate = _candidate(model, rounded, caps)
        found = "milp"
        if not candidate.passes:
            # Level the CVs still above their limit on top of the solver's plan.
            candidate, found = repair(model, rounded, caps), "repair"
        better = _better(incumbent, candidate)
        if better is not incumbent:
            incumbent, found_by = better, found
        if incumbent is not None and incumbent.cost - bound <= _TARGET_GAP * incumbent.cost:
            break
        fresh = refine(model, _actions_amounts(model, x[:n_actions]), 0.0, x)
        if not fresh or time.perf_counter() - start > _COUNTY_SECONDS:
            status = "optimal" if not fresh else "time_limit"
            break
    if incumbent is None:
        incumbent, found_by, status = naive, "baseline", "not_converged"
    return Solution(
        additions=addition_rows(model, incumbent.actions),
        schools=incumbent.schools,
        cost=incumbent.cost,
        lower_bound=max(0.0, min(bound, incumbent.cost)),
        baseline_cost=naive.cost,
        baseline_additions=addition_rows(model, naive.actions),
        passes=incumbent.passes,
        statistics={
            "status": status,
            "incumbent": found_by,
            "rounds": rounds,
            "cuts": len(model.cuts),
            "lp_solves": relaxed,
            "milp_solves": solves,
            "nodes": nodes,
            "variables": model.n_vars,
            "seconds": time.perf_counter() - start,
        },
    )


def _plan_cost(model: _Model, rounded: Sequence[Decimal]) -> float:
    total = 0.0
    for v, amount in enumerate(rounded):
        if model.var_kind[v] == ADD:
            total += float(amount) * model.resources[int(model.var_resource[v])].cost
        elif model.var_kind[v] == LEAVE:
            total += float(amount) * model.transfer_cost
    return total


def _actions_amounts(model: _Model, actions: FloatArray) -> FloatArray:
    moved = np.asarray(model.amount_map @ actions, dtype=np.float64)
    amounts: FloatArray = model.base + moved.reshape(model.base.shape)
    return amounts


# -- the rows of a plan -----------------------------------------------------------------------

ADDITION_COLUMNS: Final = (
    "county",
    "school_id",
    "school_name",
    "stage",
    "resource",
    "amount",
    "unit",
    "cost",
    "action",
    "source",
    "destination",
)


def _school_stages(model: _Model) -> list[str]:
    units = model.prepared.units
    stages = ["" for _ in range(len(model.prepared.schools))]
    for row, stage in zip(units["school_row"], units["stage"], strict=True):
        stages[int(row)] = f"{stages[int(row)]}+{stage}" if stages[int(row)] else str(stage)
    return stages


def addition_rows(model: _Model, rounded: Sequence[Decimal]) -> pd.DataFrame:
    """Return the rows of a plan: additions, transfers (both ends) and implied headcounts."""
    schools = model.prepared.schools
    county = str(schools["county"].iloc[0]) if len(schools) else ""
    school_ids = schools["school_id"].astype(str).to_numpy()
    names = (
        schools["school_name"].to_numpy(dtype=object)
        if "school_name" in schools.columns
        else np.full(len(schools), None, dtype=object)
    )
    stages = _school_stages(model)
    records: list[dict[str, object]] = []

    def record(
        school: int, resource: Resource, amount: Decimal, cost: float, **extra: object
    ) -> None:
        records.append(
            {
                "county": county,
                "school_id": school_ids[school],
                "school_name": names[school],
                "stage": resource.stage or stages[school],
                "resource": resource.column,
                "amount": float(amount),
                "unit": resource.unit,
                "cost": cost,
                "action": "add",
                "source": None,
                "destination": None,
                **extra,
            }
        )

    arriving: dict[int, list[tuple[int, Decimal]]] = {}
    leaving: dict[int, list[tuple[int, Decimal]]] = {}
    for v, amount in enumerate(rounded):
        if amount == 0:
            continue
        school, r = int(model.var_school[v]), int(model.var_resource[v])
        resource = model.resources[r]
        if model.var_kind[v] == ADD:
            record(school, resource, amount, float(amount) * resource.cost)
        else:
            side = arriving if model.var_kind[v] == ARRIVE else leaving
            side.setdefault(r, []).append((school, amount))
    for r, receivers in arriving.items():
        donors = [(school, amount) for school, amount in leaving.get(r, [])]
        resource = model.resources[r]
        for school, wanted in receivers:
            left = wanted
            while left > 0 and donors:
                donor, held = donors[0]
                moved = min(left, held)
                cost = float(moved) * model.transfer_cost
                ends = {"source": school_ids[donor], "destination": school_ids[school]}
                record(int(donor), resource, -moved, 0.0, action="transfer", **ends)
                record(school, resource, moved, cost, action="transfer", **ends)
                left -= moved
                donors[0] = (donor, held - moved)
                if held == moved:
                    donors.pop(0)
    return pd.DataFrame.from_records(records, columns=list(ADDITION_COLUMNS))


# -- levelling: the naive plan, and the repair of a solver's plan ------------------------------


def _serving(model: _Model) -> IntArray:
    """For each section and indicator, the cheapest column per unit of amount (-1 if none)."""
    n_units, n_k = model.base.shape
    best = np.full((n_units, n_k), -1, dtype=np.int64)
    best_price = np.full((n_units, n_k), np.inf)
    for r, resource in enumerate(model.resources):
        effect = model.effects[r]
        price = np.full(effect.shape, np.inf)
        positive = effect > 0
        price[positive] = resource.cost / effect[positive]
        better = price < best_price
        best[better] = r
        best_price[better] = price[better]
    return best


class _Levelling:
    """Additions per school and column on top of fixed amounts, raised section by section."""

    def __init__(self, model: _Model, offset: FloatArray, additions: FloatArray) -> None:
        self.model = model
        self.offset = offset
        self.additions = additions
        self.serving = _serving(model)
        self.school_of_unit = model.prepared.units["school_row"].to_numpy(dtype=np.int64)
        self.students = model.prepared.units["students"].to_numpy(dtype=np.float64)

    def amounts(self, additions: FloatArray | None = None) -> FloatArray:
        added = self.additions if additions is None else additions
        amounts = self.offset.copy()
        for r in range(len(self.model.resources)):
            amounts += self.model.effects[r] * added[self.school_of_unit, r][:, None]
        return amounts

    def raised(self, units: np.ndarray, k: int, target: FloatArray) -> FloatArray:
        """Return the additions that bring ``units`` to ``target`` amounts of indicator ``k``."""
        raised = self.additions.copy()
        current = self.amounts()
        for u, wanted in zip(units, target, strict=True):
            r = self.serving[u, k]
            if r < 0 or current[u, k] >= wanted:
                continue
            s = self.school_of_unit[u]
            raised[s, r] += (wanted - current[u, k]) / self.model.effects[r][u, k]
        return raised

    def to_standards(self, units: np.ndarray) -> None:
        """Bring every indicator of ``units`` to its standard."""
        for k in range(len(self.model.ids)):
            self.additions = self.raised(units, k, self.model.need[units, k])

    def level(self, shrink: float) -> None:
        """Raise the lowest sections of every group whose CV exceeds its shrunk limit."""
        for group in self.model.groups:
            k, rows, limit = group
            if _cv(self.model, self.amounts(), group) <= limit * (1 - shrink):
                continue
            per_pupil = self.amounts()[rows, k] / self.students[rows]
            low, high = float(per_pupil.min()), float(per_pupil.max())
            for _ in range(50):
                middle = (low + high) / 2
                trial = self.raised(rows, k, middle * self.students[rows])
                amounts = self.amounts(trial)
                if _cv(self.model, amounts, group) <= limit * (1 - shrink):
                    high = middle
                else:
                    low = middle
            self.additions = self.raised(rows, k, high * self.students[rows])


def _cv(model: _Model, amounts: FloatArray, group: tuple[int, np.ndarray, float]) -> float:
    k, rows, _ = group
    students = model.prepared.units["students"].to_numpy(dtype=np.float64)[rows]
    values = amounts[rows, k] / students
    mean = float(np.average(values, weights=students))
    spread = float(np.sqrt(np.average((values - mean) ** 2, weights=students)))
    return spread / mean if mean > 0 else math.inf


def _settle(
    model: _Model, levelling: _Levelling, fixed: Sequence[Decimal], caps: Caps
) -> Candidate:
    """Level, round and decide until the library passes the plan (a few rounds at most)."""
    shrink = _LIMIT_SHRINK
    candidate = None
    for _ in range(_SETTLE_ROUNDS):
        levelling.level(shrink)
        actions = list(fixed)
        for v in np.flatnonzero(model.var_kind == ADD):
            resource = model.resources[int(model.var_resource[v])]
            amount = levelling.additions[int(model.var_school[v]), int(model.var_resource[v])]
            actions[int(v)] = _round_value(resource, float(amount), whole=False)
        candidate = _candidate(model, actions, caps)
        if candidate.passes:
            return candidate
        failing_units, _, _ = decide(model, candidate.schools)
        levelling.to_standards(failing_units)
        shrink *= 10
    assert candidate is not None  # noqa: S101 - _SETTLE_ROUNDS > 0
    return candidate


def naive_plan(model: _Model, unit_passed: np.ndarray, caps: Caps) -> Candidate:
    """Bring every failing section to every standard; level the CVs still above their limit.

    The levelling raises the sections of a stage with the lowest values per pupil to a common
    level, the smallest (found by bisection) at which the CV is within its limit.
    """
    additions = np.zeros((len(model.prepared.schools), len(model.resources)))
    levelling = _Levelling(model, model.base, additions)
    levelling.to_standards(np.flatnonzero(~unit_passed))
    return _settle(model, levelling, [Decimal(0)] * model.var_kind.size, caps)


def repair(model: _Model, rounded: Sequence[Decimal], caps: Caps) -> Candidate:
    """Level the failing CVs of a rounded solver plan, keeping its transfers."""
    moves = np.array(
        [float(a) if k != ADD else 0.0 for a, k in zip(rounded, model.var_kind, strict=True)]
    )
    offset = _actions_amounts(model, moves)
    additions = np.zeros((len(model.prepared.schools), len(model.resources)))
    for v in np.flatnonzero(model.var_kind == ADD):
        additions[int(model.var_school[v]), int(model.var_resource[v])] = float(rounded[int(v)])
    fixed = [a if k != ADD else Decimal(0) for a, k in zip(rounded, model.var_kind, strict=True)]
    levelling = _Levelling(model, offset, additions)
    failing_units, _, _ = decide(model, apply_plan(model, _net_changes(model, rounded)))
    levelling.to_standards(failing_units)
    return _settle(model, levelling, fixed, caps)
