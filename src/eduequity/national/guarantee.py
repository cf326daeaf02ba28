"""Part 2 of the national method: government guarantee (政府保障程度), 15 items G1–G15.

Every item must be met (docs: The national method, Part 2: government guarantee). Each is read from
one county's facts (docs: Input tables), except G3–G5, which are computed school by school from the
prepared school table (one row per school after sites were merged) unless a county fact
overrides them:

========  ====================================  ==================================================
Code      Item                                  Rule (limits from the rule set)
========  ====================================  ==================================================
G1        ``layout_planning``                   declared
G2        ``unified_standards``                 four declared standards (or ``unified_standards``)
G3        ``music_art_rooms``                   per school: rooms ≥ ⌈classes / 12⌉, music ≥ 96 m²,
                                                art ≥ 90 m² (each room)
G4        ``school_size``                       per school: ≤ 2000 pupils; integrated ≤ 2500
G5        ``class_size``                        per school: largest class ≤ 45 (primary), ≤ 50
G6        ``small_school_funding``              declared; optional check of allocations
G7        ``special_ed_funding``                ≥ 6000 yuan per pupil
G8        ``teacher_salary_parity``             teacher / civil-servant pay ≥ 1, and performance
                                                pay declared
G9        ``teacher_training_completion``       rate = 1
G10       ``staffing_coordination``             declared
G11       ``teacher_rotation``                  rotated ≥ 10 % of eligible, backbone ≥ 20 %
G12       ``teacher_certification``             rate = 1
G13       ``nearby_enrolment``                  primary = 1, junior ≥ 0.95
G14       ``high_school_quota_allocation``      ≥ 0.50, and rural tilt declared
G15       ``left_behind_and_migrant_children``  care system declared, public share ≥ 0.85
========  ====================================  ==================================================

Decisions are exact (a value equal to its limit meets ``>=``/``<=``), missing inputs give
``incomplete`` (never an implicit pass), and every failing check is a
:class:`~eduequity.national.Failure` with its value, limit, comparator and the rule's source.

Examples
--------
>>> import pandas as pd
>>> from eduequity.national.rules import RULES_2017
>>> schools = pd.DataFrame({
...     "school_id": ["A", "B"], "school_type": ["primary", "junior"],
...     "students_primary": [900, 0], "students_junior": [0, 2001],
...     "max_class_size_primary": [45, None], "max_class_size_junior": [None, 50],
... })
>>> part = assess_guarantee({"county": "X", "special_ed_funding": 6000.0}, schools, RULES_2017)
>>> part.item("special_ed_funding").status, part.item("class_size").status
('pass', 'pass')
>>> part.item("school_size").status, part.status
('fail', 'fail')
>>> [(f.school_id, f.value, f.limit) for f in part.failures if f.item_id == "school_size"]
[('B', 2001.0, 2000.0)]
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Final, cast

import attrs
import numpy as np
import pandas as pd

from eduequity._validation import index_labels, positions
from eduequity._vocabulary import vocabulary
from eduequity.errors import InvalidTypeError, InvalidValueError, RuleSetError
from eduequity.national._facts import (
    Check,
    Evaluator,
    FactReader,
    ItemContext,
    by_mask,
    comparator_of,
    conditional_limits,
    decide_array,
    declared_check,
    float_column,
    list_schools,
    missing_check,
    not_assessed_part,
    per_school_limits,
    provenance,
    ratio_check,
    run_part,
    school_ids,
    school_type,
    show,
    status_of,
    threshold_check,
)
from eduequity.national.rules import RULES_2017

if TYPE_CHECKING:
    from eduequity._typing import BoolArray, FloatArray
    from eduequity.national._outcomes import Failure, PartResult, SchoolLimit
    from eduequity.national.rules import RuleSet

__all__ = ["CLASS_SIZE_CATEGORIES", "STANDARD_PARTS", "assess_guarantee", "class_size_categories"]

PART: Final = "government_guarantee"
SECTION: Final = "guarantee"

STANDARD_PARTS: Final[tuple[str, ...]] = ("construction", "staffing", "funding", "equipment")
"""The four urban–rural unified standards of G2 (fields ``unified_standards_<part>``):
school construction 学校建设标准, teacher staffing 教师编制标准, per-pupil public-funds
benchmark 生均公用经费基准定额, basic equipment 基本装备配置标准 (docs: Input tables)."""

_STAGES: Final = vocabulary("stages").where("compulsory")
_SECTIONS: Final = vocabulary("school_types").strings("stages")
_SINGLE_STAGE: Final = {kind: stages[0] for kind, stages in _SECTIONS.items() if len(stages) == 1}
"""Types whose pupils are all in one compulsory stage."""
_INTEGRATED: Final = frozenset(
    kind for kind, stages in _SECTIONS.items() if all(stage in stages for stage in _STAGES)
)
"""Types spanning both compulsory stages (一贯制)."""
_COMPLETE_MIDDLE: Final = "complete_middle"
_TEACHING_POINT: Final = "teaching_point"
_RURAL: Final = "rural"
_BENCHMARK_PREFIX: Final = "guarantee.public_funds_benchmark.min_yuan."
_BENCHMARK_ITEM: Final = "public_funds_benchmark"
_ROOMS: Final = ("music", "art")
_ROOM_RULES: Final = ("classes_per_room", "min_music_room_area_m2", "min_art_room_area_m2")

Checks = list[tuple[str | None, Check]]


def assess_guarantee(
    facts: Mapping[str, object] | None,
    schools: pd.DataFrame | None,
    rules: RuleSet,
    *,
    strict: bool = False,
    small_schools: pd.DataFrame | None = None,
) -> PartResult:
    r"""Assess Part 2, government guarantee (政府保障程度): every item of ``guarantee.ids``.

    Parameters
    ----------
    facts : mapping or None
        One county's facts with the canonical field names of the docs page Input tables, values
        already parsed (float for numbers and rates, bool for flags, str for
        ``<field>_evidence``); ``None``/NaN mean missing.
    schools : pandas.DataFrame or None
        The prepared whole-school table of the county (one row per included school after
        merging sites; special and vocational schools and small teaching points excluded), for
        G3–G5 and the optional allocation check of G6. Columns of the docs page Input tables.
    rules : RuleSet
        The rule set (limits, comparators, provenance, overlay alternatives per school).
    strict : bool, optional
        Promote warning ``evidence_missing`` to an error.
    small_schools : pandas.DataFrame, optional
        Schools left out of ``schools`` that the allocation check of G6 still covers: the
        teaching points under the Part 1 pupil cut (不足50人), which are funded as if they had
        100 pupils like any small school. Same columns as ``schools``.

    Returns
    -------
    PartResult
        Part ``"government_guarantee"``: one :class:`~eduequity.national.ItemOutcome` per
        item in rule-set order (G1…G15), every failing check as a
        :class:`~eduequity.national.Failure` (per school for G3–G5), and notes (overrides,
        counts used, evidence missing). ``not_assessed`` when both ``facts`` and ``schools``
        are ``None``.

    Raises
    ------
    InvalidTypeError, InvalidValueError
        A fact of the wrong type or range (``not_a_boolean``, ``not_a_number``,
        ``rate_out_of_range``, ``negative_value``, ``count_inconsistent``), naming the county
        and the field; an unknown ``school_type`` (``unknown_value``); under ``strict``, a
        declared ``true`` without evidence (``evidence_missing``).
    RuleSetError
        A rule the part reads is missing or malformed.

    Warns
    -----
    DataQualityWarning
        ``evidence_missing``: a declared item is ``true`` without ``<field>_evidence``.

    Notes
    -----
    **Declared items** pass when ``true``, fail when ``false`` and are incomplete when missing.
    **Rates given with their counts** are formed from the counts; a gap
    above 0.0005 from the given rate is noted (``rate_count_mismatch``).

    **G3**, for every school in scope (teaching points only if
    ``guarantee.music_art_rooms.include_teaching_points``), with
    :math:`c = c_\text{primary} + c_\text{junior}` compulsory classes and :math:`k = 12`:

    .. math::

        r = \lceil c / k \rceil \;(\texttt{ceil}) \quad\text{or}\quad
        r = \max(\lfloor c / k \rfloor, 1) \;(\texttt{floor\_min1}), \qquad r = 0
        \text{ if } c = 0

    and ``music_rooms >= r``, ``art_rooms >= r``, ``min_music_room_area_m2 >= 96`` and
    ``min_art_room_area_m2 >= 90`` where the school has such rooms. A school with rooms but
    no area column is incomplete for the area (``room_area_missing``).

    **G4**: compulsory enrolment ``students_primary + students_junior`` ≤ 2000 for primary,
    junior schools and teaching points, ``students_junior`` ≤ 2000 for a complete middle
    school (its junior part), and ≤ 2500 for nine- and twelve-year schools.

    **G5**: ``max_class_size_<stage>`` ≤ 45 (primary), ≤ 50 (junior) for every stage with
    pupils.

    A county fact ``music_art_rooms``, ``school_size`` or ``class_size`` overrides the
    computed result; the item's ``input_source`` is then ``"override"`` and a note
    ``override_used`` gives the computed result.

    **G6** adds, when the table has ``public_funds_allocated_yuan`` and the facts give
    ``public_funds_benchmark_primary_yuan``, the check ``allocated >= 100 × benchmark`` for
    every teaching point, and every rural (village) primary school, with fewer than 100 pupils.

    An overlay adding ``guarantee.public_funds_benchmark.min_yuan.<stage>`` (Shenyang) adds
    the item ``public_funds_benchmark``: the fact ``public_funds_benchmark_<stage>_yuan`` must
    meet it.

    References
    ----------
    docs: The national method, Part 2: government guarantee #11–12, #18; docs: Input tables.
    """
    item_ids = list(rules.ids("guarantee.ids"))
    if rules.keys(_BENCHMARK_PREFIX) and _BENCHMARK_ITEM not in item_ids:
        item_ids.append(_BENCHMARK_ITEM)
    if facts is None and schools is None:
        return not_assessed_part(
            PART, SECTION, item_ids, rules, "no county facts and no school table"
        )
    reader = FactReader(facts=facts if facts is not None else {}, strict=strict)
    table = None if schools is None else _in_scope(schools, rules)
    funding_table = table
    if table is not None and small_schools is not None and len(small_schools):
        funding_table = pd.concat([table, _in_scope(small_schools, rules)], ignore_index=True)
    evaluators: dict[str, Evaluator] = {
        "layout_planning": _declared("layout_planning"),
        "unified_standards": _unified_standards,
        "music_art_rooms": _overridable("music_art_rooms", table, _music_art_rooms),
        "school_size": _overridable("school_size", table, _school_size),
        "class_size": _overridable("class_size", table, _class_size),
        "small_school_funding": lambda ctx: _small_school_funding(ctx, funding_table),
        "special_ed_funding": _special_ed_funding,
        "teacher_salary_parity": _teacher_salary_parity,
        "teacher_training_completion": _ratio(
            "teacher_training_completion",
            "teacher_training_completion_completed",
            "teacher_training_completion_required",
            "min_rate",
        ),
        "staffing_coordination": _declared("staffing_coordination"),
        "teacher_rotation": _teacher_rotation,
        "teacher_certification": _ratio(
            "teacher_certification",
            "teacher_certification_certified",
            "teacher_certification_full_time",
            "min_rate",
        ),
        "nearby_enrolment": _nearby_enrolment,
        "high_school_quota_allocation": _high_school_quota,
        "left_behind_and_migrant_children": _left_behind_and_migrant,
        _BENCHMARK_ITEM: _public_funds_benchmark,
    }
    school_items = ("music_art_rooms", "school_size", "class_size")
    notes = (
        ("no school table: G3-G5 are read from the county facts",)
        if schools is None and not all(reader.has(field) for field in school_items)
        else ()
    )
    return run_part(
        PART, SECTION, item_ids, rules, reader=reader, evaluators=evaluators, notes=notes
    )


# --------------------------------------------------------------------------------------------
# Fact items


def _declared(field: str) -> Evaluator:
    return lambda ctx: ([(None, declared_check(ctx, field))], {})


def _ratio(field: str, numerator: str, denominator: str, suffix: str) -> Evaluator:
    return lambda ctx: (
        [(None, ratio_check(ctx, field, numerator, denominator, ctx.key(suffix)))],
        {},
    )


def _unified_standards(ctx: ItemContext) -> tuple[Checks, dict[str, Any]]:
    """G2: the four standards, each from its own field or else from ``unified_standards``."""
    reader = ctx.reader
    whole = declared_check(ctx, "unified_standards") if reader.has("unified_standards") else None
    checks: Checks = []
    for part in STANDARD_PARTS:
        field = f"unified_standards_{part}"
        if reader.has(field) or whole is None:
            checks.append((part, declared_check(ctx, field, label=field)))
        else:
            checks.append((part, whole))
    return checks, {}


def _special_ed_funding(ctx: ItemContext) -> tuple[Checks, dict[str, Any]]:
    """G7: per-pupil public funds of special-education schools ≥ the standard [yuan]."""
    field = "special_ed_funding"
    check = threshold_check(
        ctx,
        ctx.reader.number(field),
        ctx.key("min_yuan"),
        name=field,
        missing_reason=f"{field} is missing",
        evidence=ctx.reader.evidence(field),
    )
    return [(None, check)], {}


def _teacher_salary_parity(ctx: ItemContext) -> tuple[Checks, dict[str, Any]]:
    """G8: teacher / civil-servant average pay ≥ 1, and performance pay fully approved."""
    ratio = ratio_check(
        ctx,
        "teacher_salary_parity",
        "teacher_salary_parity_teacher_avg_yuan",
        "teacher_salary_parity_civil_servant_avg_yuan",
        ctx.key("min_ratio"),
        kind="ratio",
        count_kind="decimal",
        above_one="allow",
    )
    pay = declared_check(ctx, "teacher_salary_parity_performance_pay")
    return [("ratio", ratio), ("performance_pay", pay)], {}


def _teacher_rotation(ctx: ItemContext) -> tuple[Checks, dict[str, Any]]:
    """G11: rotated / eligible ≥ 0.10 and backbone rotated / rotated ≥ 0.20."""
    rotation = ratio_check(
        ctx,
        "teacher_rotation",
        "teacher_rotation_rotated",
        "teacher_rotation_eligible",
        ctx.key("min_rate"),
    )
    backbone = ratio_check(
        ctx,
        "teacher_rotation_backbone_share",
        "teacher_rotation_backbone_rotated",
        "teacher_rotation_rotated",
        ctx.key("min_backbone_share"),
    )
    return [("rotation", rotation), ("backbone_share", backbone)], {}


def _nearby_enrolment(ctx: ItemContext) -> tuple[Checks, dict[str, Any]]:
    """G13: nearby-enrolment rate per stage (primary = 1, junior ≥ 0.95)."""
    checks: Checks = []
    for stage in _STAGES:
        field = f"nearby_enrolment_{stage}"
        check = threshold_check(
            ctx,
            ctx.reader.number(field, kind="rate"),
            ctx.key(f"min_rate.{stage}"),
            name=field,
            missing_reason=f"{field} is missing",
            evidence=ctx.reader.evidence(field, ctx.item_id),
            stage=stage,
        )
        checks.append((stage, check))
    return checks, {}


def _high_school_quota(ctx: ItemContext) -> tuple[Checks, dict[str, Any]]:
    """G14: quota share ≥ 0.50 and the rural tilt declared."""
    field = "high_school_quota_allocation"
    rate = threshold_check(
        ctx,
        ctx.reader.number(field, kind="rate"),
        ctx.key("min_rate"),
        name=field,
        missing_reason=f"{field} is missing",
        evidence=ctx.reader.evidence(field),
    )
    tilt = declared_check(ctx, "high_school_quota_allocation_rural_tilt")
    return [("rate", rate), ("rural_tilt", tilt)], {}


def _left_behind_and_migrant(ctx: ItemContext) -> tuple[Checks, dict[str, Any]]:
    """G15: care system for left-behind children declared, migrant public share ≥ 0.85."""
    care = declared_check(ctx, "left_behind_and_migrant_children_care_system")
    field = "left_behind_and_migrant_children_public_share"
    share = threshold_check(
        ctx,
        ctx.reader.number(field, kind="rate"),
        ctx.key("min_public_share"),
        name=field,
        missing_reason=f"{field} is missing",
        evidence=ctx.reader.evidence(field),
    )
    return [("care_system", care), ("public_share", share)], {}


def _public_funds_benchmark(ctx: ItemContext) -> tuple[Checks, dict[str, Any]]:
    """Overlay item: per-pupil public-funds benchmark of each stage ≥ the overlay's value."""
    checks: Checks = []
    for key in ctx.rules.keys(_BENCHMARK_PREFIX):
        stage = key.removeprefix(_BENCHMARK_PREFIX)
        field = f"public_funds_benchmark_{stage}_yuan"
        check = threshold_check(
            ctx,
            ctx.reader.number(field),
            key,
            name=field,
            missing_reason=f"{field} is missing",
            evidence=ctx.reader.evidence(field),
            stage=stage,
        )
        checks.append((stage, check))
    return checks, {}


# --------------------------------------------------------------------------------------------
# School items (G3-G5) and their override


def _in_scope(schools: pd.DataFrame, rules: RuleSet) -> pd.DataFrame:
    """Return the schools the school-level checks read: excluded types dropped (§4 scope)."""
    if not isinstance(cast("object", schools), pd.DataFrame):
        msg = f"schools must be a pandas DataFrame; got {type(schools).__name__}"
        raise InvalidTypeError(msg, code="invalid_argument")
    if "school_type" not in schools.columns or "units.excluded_types" not in rules:
        return schools.reset_index(drop=True)
    excluded = set(rules.ids("units.excluded_types"))
    keep = ~np.isin(school_type(schools), list(excluded))
    return schools.loc[keep].reset_index(drop=True)


def _overridable(
    field: str,
    schools: pd.DataFrame | None,
    compute: Any,  # noqa: ANN401 - a function (ctx, schools) -> (check, summary)
) -> Evaluator:
    """Return the evaluator of G3–G5: the county fact ``field`` overrides the computation."""

    def evaluate(ctx: ItemContext) -> tuple[Checks, dict[str, Any]]:
        computed: tuple[Check, dict[str, Any]] | None = None
        if schools is not None:
            computed = compute(ctx, schools)
        if not ctx.reader.has(field):
            if computed is None:
                return [
                    (
                        None,
                        missing_check(
                            f"no school table and no county fact {field}",
                            input_source="schools",
                        ),
                    )
                ], {}
            return [(None, computed[0])], computed[1]
        declared = declared_check(ctx, field, require_evidence=False)
        if computed is None or computed[0].value is None:
            # Nothing could be computed (no table, or its columns are absent): the fact is
            # the only input, not an override.
            return [(None, declared)], {}
        verdict = computed[0].status
        note = (
            f"{ctx.label()}: override_used: county fact {field} = "
            f"{show(declared.value)} replaces the result computed from the school table "
            f"({verdict})"
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
            source=computed[0].source,
        )
        return [(None, overridden)], {}

    return evaluate


def _absent(schools: pd.DataFrame, columns: list[str]) -> list[str]:
    return [column for column in columns if column not in schools.columns]


def _missing_columns_check(columns: list[str], source: str | None) -> Check:
    return missing_check(
        f"optional_column_missing: the school table has no column {', '.join(columns)}",
        input_source="schools",
        source=source,
    )


def _stage_values(
    schools: pd.DataFrame, prefix: str, stage: str
) -> tuple[FloatArray | None, BoolArray]:
    """Return ``<prefix>_<stage>`` and where the stage has pupils.

    A cell may be missing where the school has no pupils in the stage; it then reads 0 (the
    stage does not exist there, docs: Input tables ``classes_inconsistent``). When the
    column is absent the values are ``None``, unless no school has pupils in the stage.
    """
    column = f"{prefix}_{stage}"
    students_column = f"students_{stage}"
    if students_column in schools.columns:
        students = float_column(schools, students_column)
        present = ~(students == 0)
    elif column in schools.columns:
        present = ~np.isnan(float_column(schools, column))
    else:
        present = np.ones(len(schools), dtype=np.bool_)
    if column not in schools.columns:
        if not present.any():
            return np.zeros(len(schools)), present
        return None, present
    values = float_column(schools, column)
    return np.where(present | ~np.isnan(values), values, 0.0), present


@attrs.frozen(kw_only=True)
class _RoomOutcome:
    """G3 for one kind of room (music or art) over every school."""

    short: BoolArray
    small: BoolArray
    unknown: BoolArray
    failures: tuple[Failure, ...]
    reasons: tuple[str, ...]
    notes: tuple[str, ...]
    smallest: float | None
    school_limits: tuple[SchoolLimit, ...]


def _rooms_of_kind(
    ctx: ItemContext,
    schools: pd.DataFrame,
    room: str,
    *,
    classes: FloatArray,
    required: FloatArray,
    ids: np.ndarray,
) -> _RoomOutcome:
    """Count and area of the music (音乐教室) or art (美术教室) rooms of every school."""
    rules = ctx.rules
    key = ctx.key(f"min_{room}_room_area_m2")
    entry = rules.entry(key)
    per_room_key = ctx.key("classes_per_room")
    per_room = rules.integer(per_room_key)
    rounding = rules.text(ctx.key("room_rounding"))
    rooms = float_column(schools, f"{room}_rooms")
    short = ~np.isnan(rooms) & ~np.isnan(required) & (rooms < required)
    has_rooms = ~np.isnan(rooms) & (rooms > 0)
    area_column = f"min_{room}_room_area_m2"
    limits, exact_limits, notes = per_school_limits(rules, key, schools)
    reasons: list[str] = []
    if area_column in schools.columns:
        area = float_column(schools, area_column)
        area_unknown = has_rooms & np.isnan(area)
        small = (
            has_rooms
            & ~area_unknown
            & ~decide_array(area, limits, comparator_of(entry), exact_limits=exact_limits)
        )
        measured = has_rooms & ~area_unknown
        smallest = float(area[measured].min()) if measured.any() else None
    else:
        area = np.full(len(schools), np.nan)
        area_unknown = has_rooms
        small = np.zeros(len(schools), dtype=np.bool_)
        smallest = None
        if has_rooms.any():
            reasons.append(
                f"room_area_missing: no column {area_column}; the {room}-room area of "
                f"{int(has_rooms.sum())} school(s) cannot be checked"
            )
    failures = [
        ctx.failure(
            f"school {ids[i]}: {int(rooms[i])} {room} room(s) for {int(classes[i])} classes; "
            f"at least {int(required[i])} required (1 per {per_room} classes, {rounding})",
            school_id=str(ids[i]),
            value=float(rooms[i]),
            limit=float(required[i]),
            comparator=">=",
            source=provenance(rules.entry(per_room_key)),
            rule_key=per_room_key,
        )
        for i in np.flatnonzero(short)
    ]
    failures.extend(
        ctx.failure(
            f"school {ids[i]}: smallest {room} room {show(area[i])} m² is below "
            f"{show(limits[i])} m²",
            school_id=str(ids[i]),
            value=float(area[i]),
            limit=float(limits[i]),
            comparator=comparator_of(entry),
            source=provenance(entry),
            rule_key=key,
        )
        for i in np.flatnonzero(small)
    )
    if short.any():
        reasons.append(
            f"{int(short.sum())} school(s) lack {room} rooms: {list_schools(ids, short)}"
        )
    if small.any():
        reasons.append(
            f"{int(small.sum())} school(s) have a {room} room below the area standard: "
            f"{list_schools(ids, small)}"
        )
    return _RoomOutcome(
        short=short,
        small=small,
        unknown=np.isnan(rooms) | area_unknown,
        failures=tuple(failures),
        reasons=tuple(reasons),
        notes=notes,
        smallest=smallest,
        school_limits=conditional_limits(rules, key, schools, values=area, scope=has_rooms),
    )


def _required_rooms(classes: FloatArray, per_room: int, rounding: str) -> FloatArray:
    """Rooms required per school: ⌈c/k⌉ or max(⌊c/k⌋, 1), 0 without classes."""
    with np.errstate(invalid="ignore"):
        if rounding == "floor_min1":
            required = np.maximum(np.floor_divide(classes, per_room), 1.0)
        else:
            required = -np.floor_divide(-classes, per_room)
        return np.where(classes > 0, required, 0.0)


def _music_art_rooms(ctx: ItemContext, schools: pd.DataFrame) -> tuple[Check, dict[str, Any]]:
    """G3 for every school in scope; returns the check and the item summary."""
    rules = ctx.rules
    per_room = rules.integer(ctx.key("classes_per_room"))
    rounding = rules.text(ctx.key("room_rounding"))
    if rounding not in {"ceil", "floor_min1"}:
        msg = f"rule {ctx.key('room_rounding')!r} must be 'ceil' or 'floor_min1'; got {rounding!r}"
        raise RuleSetError(msg, code="invalid_ruleset")
    keys = [ctx.key(suffix) for suffix in _ROOM_RULES]
    sources = "; ".join(dict.fromkeys(provenance(rules.entry(key)) for key in keys))
    summary_limit = {
        "classes_per_room": per_room,
        "rounding": rounding,
        "min_music_room_area_m2": rules.number(keys[1]),
        "min_art_room_area_m2": rules.number(keys[2]),
    }
    if not rules.flag(ctx.key("include_teaching_points")) and "school_type" in schools.columns:
        schools = schools.loc[school_type(schools) != _TEACHING_POINT].reset_index(drop=True)
    absent = _absent(schools, ["music_rooms", "art_rooms"])
    classes = np.zeros(len(schools))
    for stage in _STAGES:
        values, _ = _stage_values(schools, "classes", stage)
        if values is None:
            absent.append(f"classes_{stage}")
        else:
            classes = classes + values
    if absent:
        return _missing_columns_check(absent, sources), {"limit": summary_limit}
    ids = school_ids(schools)
    required = _required_rooms(classes, per_room, rounding)
    kinds = [
        _rooms_of_kind(ctx, schools, room, classes=classes, required=required, ids=ids)
        for room in _ROOMS
    ]
    failing = np.logical_or.reduce([kind.short | kind.small for kind in kinds])
    unknown = np.isnan(classes) | np.logical_or.reduce([kind.unknown for kind in kinds])
    reasons = [reason for kind in kinds for reason in kind.reasons]
    incomplete = unknown & ~failing
    if incomplete.any():
        reasons.append(
            f"{int(incomplete.sum())} school(s) lack room or class data: "
            f"{list_schools(ids, incomplete)}"
        )
    summary: dict[str, Any] = {"schools": len(schools), "schools_failing": int(failing.sum())}
    for room, kind in zip(_ROOMS, kinds, strict=True):
        summary[f"schools_short_of_{room}_rooms"] = int(kind.short.sum())
        summary[f"smallest_{room}_room_m2"] = kind.smallest
    check = Check(
        status=status_of(bool(failing.any()), bool(incomplete.any())),
        value=summary,
        limit=summary_limit,
        comparator=">=",
        reasons=tuple(reasons),
        failures=tuple(failure for kind in kinds for failure in kind.failures),
        notes=tuple(f"{ctx.label()}: {note}" for kind in kinds for note in kind.notes),
        input_source="schools",
        source=sources,
        school_limits=tuple(limit for kind in kinds for limit in kind.school_limits),
    )
    return check, {}


def _school_size(ctx: ItemContext, schools: pd.DataFrame) -> tuple[Check, dict[str, Any]]:
    """G4 for every school in scope."""
    rules = ctx.rules
    single_key, integrated_key = ctx.key("max_students"), ctx.key("max_students_integrated")
    single_entry, integrated_entry = rules.entry(single_key), rules.entry(integrated_key)
    sources = "; ".join(dict.fromkeys(provenance(e) for e in (single_entry, integrated_entry)))
    summary_limit = {
        "single_stage": rules.number(single_key),
        "integrated": rules.number(integrated_key),
    }
    absent = _absent(schools, ["school_type", "students_primary", "students_junior"])
    if absent:
        return _missing_columns_check(absent, sources), {"limit": summary_limit}
    types = school_type(schools)
    ids = school_ids(schools)
    known = np.isin(types, [*_SINGLE_STAGE, *_INTEGRATED, _COMPLETE_MIDDLE])
    if not known.all():
        shown = ", ".join(f"{ids[i]} ({types[i]!r})" for i in np.flatnonzero(~known)[:5])
        msg = (
            f"school_type of school(s) {shown} is not a compulsory-education type; expected "
            f"one of {', '.join(sorted([*_SINGLE_STAGE, *_INTEGRATED, _COMPLETE_MIDDLE]))}"
        )
        raise InvalidValueError(msg, code="unknown_value")
    primary = float_column(schools, "students_primary")
    junior = float_column(schools, "students_junior")
    complete = types == _COMPLETE_MIDDLE
    integrated = np.isin(types, list(_INTEGRATED))
    enrolment = np.where(complete, junior, primary + junior)
    single_limits, single_exact, notes_single = per_school_limits(rules, single_key, schools)
    whole_limits, whole_exact, notes_whole = per_school_limits(rules, integrated_key, schools)
    limits = np.where(integrated, whole_limits, single_limits)
    exact_limits = np.where(integrated, whole_exact, single_exact)
    unknown = np.isnan(enrolment)
    ok_single = decide_array(
        enrolment, limits, comparator_of(single_entry), exact_limits=exact_limits
    )
    ok_whole = decide_array(
        enrolment, limits, comparator_of(integrated_entry), exact_limits=exact_limits
    )
    failing = ~unknown & ~np.where(integrated, ok_whole, ok_single)
    junior_stage = np.isin(types, [t for t, s in _SINGLE_STAGE.items() if s == "junior"]) | complete
    stages = by_mask(~integrated, "primary", None)
    stages[junior_stage] = "junior"
    failures = [
        ctx.failure(
            f"school {ids[i]} ({types[i]}): {int(enrolment[i])} "
            f"{'junior ' if complete[i] else 'compulsory '}pupils exceed {show(limits[i])}",
            school_id=str(ids[i]),
            stage=stages[i],
            value=float(enrolment[i]),
            limit=float(limits[i]),
            comparator=comparator_of(integrated_entry if integrated[i] else single_entry),
            source=provenance(integrated_entry if integrated[i] else single_entry),
            rule_key=integrated_key if integrated[i] else single_key,
        )
        for i in np.flatnonzero(failing)
    ]
    reasons: list[str] = []
    if failing.any():
        reasons.append(f"{int(failing.sum())} school(s) too large: {list_schools(ids, failing)}")
    if unknown.any():
        reasons.append(
            f"{int(unknown.sum())} school(s) lack enrolment: {list_schools(ids, unknown)}"
        )
    status = status_of(bool(failing.any()), bool(unknown.any()))

    def largest(mask: BoolArray) -> float | None:
        chosen = enrolment[mask & ~unknown]
        return float(chosen.max()) if chosen.size else None

    summary = {
        "schools": len(schools),
        "schools_failing": int(failing.sum()),
        "largest_single_stage": largest(~integrated),
        "largest_integrated": largest(integrated),
    }
    check = Check(
        status=status,
        value=summary,
        limit=summary_limit,
        comparator=comparator_of(single_entry),
        reasons=tuple(reasons),
        failures=tuple(failures),
        notes=tuple(f"{ctx.label()}: {note}" for note in (*notes_single, *notes_whole)),
        input_source="schools",
        source=sources,
        school_limits=(
            *conditional_limits(rules, single_key, schools, values=enrolment, scope=~integrated),
            *conditional_limits(rules, integrated_key, schools, values=enrolment, scope=integrated),
        ),
    )
    return check, {}


def _class_size(ctx: ItemContext, schools: pd.DataFrame) -> tuple[Check, dict[str, Any]]:
    """G5 for every school and stage with pupils."""
    rules = ctx.rules
    ids = school_ids(schools)
    keys = {stage: ctx.key(f"max.{stage}") for stage in _STAGES}
    entries = {stage: rules.entry(key) for stage, key in keys.items()}
    sources = "; ".join(dict.fromkeys(provenance(entry) for entry in entries.values()))
    failures: list[Failure] = []
    reasons: list[str] = []
    notes: list[str] = []
    failing = np.zeros(len(schools), dtype=np.bool_)
    unknown = np.zeros(len(schools), dtype=np.bool_)
    absent: list[str] = []
    largest: dict[str, float | None] = {}
    for stage in _STAGES:
        values, present = _stage_values(schools, "max_class_size", stage)
        if values is None:
            absent.append(f"max_class_size_{stage}")
            unknown |= present
            largest[stage] = None
            continue
        entry = entries[stage]
        limits, exact_limits, limit_notes = per_school_limits(rules, keys[stage], schools)
        notes.extend(limit_notes)
        missing = present & np.isnan(values)
        fails = (
            present
            & ~missing
            & ~decide_array(values, limits, comparator_of(entry), exact_limits=exact_limits)
        )
        failing |= fails
        unknown |= missing
        checked = values[present & ~missing]
        largest[stage] = float(checked.max()) if checked.size else None
        failures.extend(
            ctx.failure(
                f"school {ids[i]}: largest {stage} class has {int(values[i])} pupils, more than "
                f"{show(limits[i])}",
                school_id=str(ids[i]),
                stage=stage,
                value=float(values[i]),
                limit=float(limits[i]),
                comparator=comparator_of(entry),
                source=provenance(entry),
                rule_key=keys[stage],
            )
            for i in np.flatnonzero(fails)
        )
        if fails.any():
            reasons.append(
                f"{int(fails.sum())} school(s) with a {stage} class above the limit: "
                f"{list_schools(ids, fails)}"
            )
    if absent:
        reasons.append(
            f"optional_column_missing: the school table has no column {', '.join(absent)}"
        )
    incomplete = unknown & ~failing
    if incomplete.any():
        reasons.append(
            f"{int(incomplete.sum())} school(s) lack the largest class size: "
            f"{list_schools(ids, incomplete)}"
        )
    status = status_of(bool(failing.any()), bool(unknown.any()))
    check = Check(
        status=status,
        value=largest,
        limit={stage: rules.number(key) for stage, key in keys.items()},
        comparator="<=" if all(e.comparator == "<=" for e in entries.values()) else None,
        reasons=tuple(reasons),
        failures=tuple(failures),
        notes=tuple(f"{ctx.label()}: {note}" for note in notes),
        input_source="schools",
        source=sources,
    )
    return check, {}


def _small_school_funding(
    ctx: ItemContext, schools: pd.DataFrame | None
) -> tuple[Checks, dict[str, Any]]:
    """G6: declared, plus the allocation check when the table and the benchmark allow it."""
    declared = declared_check(ctx, "small_school_funding")
    benchmark = ctx.reader.number("public_funds_benchmark_primary_yuan")
    columns = ["public_funds_allocated_yuan", "school_type", "students_primary"]
    if schools is None or benchmark is None or _absent(schools, columns):
        return [(None, declared)], {}
    return [("declared", declared), ("allocation", _allocation_check(ctx, schools, benchmark))], {}


def _allocation_check(ctx: ItemContext, schools: pd.DataFrame, benchmark: Fraction) -> Check:
    """``allocated >= funded_pupils × benchmark`` for small village schools and teaching points."""
    key = ctx.key("funded_pupils")
    entry = ctx.rules.entry(key)
    funded = ctx.rules.integer(key)
    types = school_type(schools)
    pupils = float_column(schools, "students_primary")
    notes: list[str] = []
    village = types == _TEACHING_POINT
    if "location" in schools.columns:
        location = schools["location"].astype("object").to_numpy()
        village |= (types == "primary") & (location == _RURAL)
    else:
        notes.append(
            f"{ctx.label()}: no location column; the allocation check covers teaching points "
            "only (village primary schools cannot be identified)"
        )
    small = village & ~np.isnan(pupils) & (pupils < funded)
    ids = school_ids(schools)
    allocated = float_column(schools, "public_funds_allocated_yuan")
    requirement = Fraction(funded) * benchmark
    # Funded "as if it had 100 pupils": the allocation must reach 100 × the benchmark.
    limits = np.full(len(schools), float(requirement))
    exact = np.empty(1, dtype=object)
    exact[0] = requirement
    unknown = small & np.isnan(allocated)
    short = small & ~unknown & ~decide_array(allocated, limits, ">=", exact_limits=exact)
    failures = tuple(
        ctx.failure(
            f"school {ids[i]} ({int(pupils[i])} pupils): public funds allocated "
            f"{show(allocated[i])} yuan, less than {funded} × {show(benchmark)} = "
            f"{show(requirement)} yuan",
            school_id=str(ids[i]),
            stage="primary",
            value=float(allocated[i]),
            limit=float(requirement),
            comparator=">=",
            source=provenance(entry),
            rule_key=key,
        )
        for i in np.flatnonzero(short)
    )
    reasons: list[str] = []
    if short.any():
        reasons.append(
            f"{int(short.sum())} small school(s) funded below {funded} pupils: "
            f"{list_schools(ids, short)}"
        )
    if unknown.any():
        reasons.append(
            f"{int(unknown.sum())} small school(s) lack public_funds_allocated_yuan: "
            f"{list_schools(ids, unknown)}"
        )
    status = status_of(bool(short.any()), bool(unknown.any()))
    return Check(
        status=status,
        value={"small_schools": int(small.sum()), "underfunded": int(short.sum())},
        limit=float(requirement),
        comparator=">=",
        reasons=tuple(reasons),
        failures=failures,
        notes=tuple(notes),
        input_source="schools",
        source=provenance(entry),
        rule_key=key,
    )


# --------------------------------------------------------------------------------------------
# Large classes (大班额), the classes of the city figures


CLASS_SIZE_CATEGORIES: Final[tuple[str, ...]] = ("standard", "large", "super_large")
"""Categories of :func:`class_size_categories`: below the large-class bound, large (大班额),
super-large (超大班额)."""


def class_size_categories(
    class_sizes: Any,  # noqa: ANN401 - any 1-D array-like
    rules: RuleSet | None = None,
) -> np.ndarray[Any, np.dtype[np.object_]]:
    """Return the category of each class size: ``"standard"``, ``"large"`` or ``"super_large"``.

    A large class (大班额) has at least ``class_size.large.min_pupils`` pupils (56), a
    super-large class (超大班额) at least ``class_size.super_large.min_pupils`` (66); both
    bounds count (56人以上, 66人以上). The numbers are read from the rule set, where they are
    recalled, not yet confirmed ([M], ``verified = false``). The large-class share that cities
    publish counts the classes of these categories (school columns ``large_classes`` and
    ``super_large_classes``).

    Parameters
    ----------
    class_sizes : array_like
        Pupils per class [pupils], whole numbers >= 0.
    rules : RuleSet, optional
        The rule set; default :data:`~eduequity.national.RULES_2017` (the 2012 set carries the
        same entries).

    Returns
    -------
    numpy.ndarray of str
        One of :data:`CLASS_SIZE_CATEGORIES` per class.

    Raises
    ------
    InvalidValueError
        A size that is missing, negative or not a whole number (the message names the
        position).
    InvalidTypeError
        A size that is not a number.

    Examples
    --------
    >>> class_size_categories([45, 55, 56, 65, 66, 70]).tolist()
    ['standard', 'standard', 'large', 'large', 'super_large', 'super_large']
    """
    rules = RULES_2017 if rules is None else rules
    try:
        sizes = np.asarray(class_sizes, dtype=np.float64).ravel()
    except (TypeError, ValueError) as error:
        msg = f"class_sizes must hold numbers of pupils; {error}"
        raise InvalidTypeError(msg, code="not_a_number") from error
    bad = ~np.isfinite(sizes) | (sizes < 0) | (sizes != np.floor(sizes))
    if bad.any():
        msg = (
            "class_sizes must be whole numbers of pupils >= 0; got "
            f"{float(sizes[bad][0])!r} at position {positions(bad, index_labels(class_sizes))}"
        )
        raise InvalidValueError(msg, code="invalid_value")
    large = sizes >= rules.integer("class_size.large.min_pupils")
    super_large = sizes >= rules.integer("class_size.super_large.min_pupils")
    categories = np.array(CLASS_SIZE_CATEGORIES, dtype=object)
    return categories[large.astype(np.intp) + super_large.astype(np.intp)]
