"""The resource indicators of the national method, computed from raw counts.

Each indicator is a ratio of a resource amount to the pupils of a unit (a school, or one
section of a mixed school)::

    value = per × σ × amount / P

where ``per`` is 100 for the per-100-pupil indicators, σ is the section's facility share
(1 for single-stage schools; applied only to the indicators the rule set lists in
``split.applies_to``) and ``P`` the section's own enrolment. Intermediate values are never
rounded.

The amounts are defined once, by functions that read columns through an accessor; the same
definitions serve the vectorized float computation over all units and the exact rational
re-computation of a single unit near a threshold.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from fractions import Fraction
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Protocol

import attrs
import numpy as np
import pandas as pd

from eduequity._exact import to_fraction
from eduequity.errors import InputError, Issue, RuleSetError
from eduequity.national._outcomes import AuditRecord
from eduequity.national.rules import RULES_2017, RuleSet
from eduequity.national.schools import read_schools
from eduequity.national.units import STAGES, PreparedUnits, prepare_units

if TYPE_CHECKING:
    from eduequity._typing import BoolArray, FloatArray, IntArray

__all__ = ["INDICATORS", "Indicator", "indicator_values", "resource_indicators"]


@attrs.frozen(kw_only=True)
class Indicator:
    """Definition of one resource indicator."""

    id: str
    """Stable identifier, e.g. ``"qualified_teachers_per_100"``."""
    title_zh: str
    """The indicator's Chinese name (原文)."""
    title_en: str
    """English name."""
    unit: str
    """Unit of the indicator value, e.g. ``"teachers per 100 pupils"``."""
    amount_unit: str
    """Unit of the underlying amount, e.g. ``"teachers"``, ``"m²"``, ``"yuan"``, ``"rooms"``."""
    per: int
    """100 for per-100-pupil indicators, else 1."""
    countable: bool
    """True when the amount comes in whole units (teachers, rooms, computers, books)."""
    code: str | None = None
    """Display code used by provincial rules (Anhui L1–L7), when there is one."""


def _indicator(**fields: Any) -> Indicator:  # noqa: ANN401 - forwards typed attrs fields
    return Indicator(**fields)


INDICATORS: Mapping[str, Indicator] = MappingProxyType(
    {
        indicator.id: indicator
        for indicator in (
            _indicator(
                id="qualified_teachers_per_100",
                title_zh="每百名学生拥有高于规定学历教师数",
                title_en="teachers above the required degree per 100 pupils",
                unit="teachers per 100 pupils",
                amount_unit="teachers",
                per=100,
                countable=True,
                code="L1",
            ),
            _indicator(
                id="backbone_teachers_per_100",
                title_zh="每百名学生拥有县级以上骨干教师数",
                title_en="backbone teachers (county level or above) per 100 pupils",
                unit="teachers per 100 pupils",
                amount_unit="teachers",
                per=100,
                countable=True,
                code="L2",
            ),
            _indicator(
                id="pe_arts_teachers_per_100",
                title_zh="每百名学生拥有体育、艺术（美术、音乐）专任教师数",
                title_en="PE and arts teachers per 100 pupils",
                unit="teachers per 100 pupils",
                amount_unit="teachers",
                per=100,
                countable=True,
                code="L3",
            ),
            _indicator(
                id="teaching_area_per_student",
                title_zh="生均教学及辅助用房面积",
                title_en="teaching and auxiliary room area per pupil",
                unit="m² per pupil",
                amount_unit="m²",
                per=1,
                countable=False,
                code="L4",
            ),
            _indicator(
                id="sports_area_per_student",
                title_zh="生均体育运动场馆面积",
                title_en="sports ground and hall area per pupil",
                unit="m² per pupil",
                amount_unit="m²",
                per=1,
                countable=False,
                code="L5",
            ),
            _indicator(
                id="equipment_value_per_student",
                title_zh="生均教学仪器设备值",
                title_en="teaching equipment value per pupil",
                unit="yuan per pupil",
                amount_unit="yuan",
                per=1,
                countable=False,
                code="L6",
            ),
            _indicator(
                id="multimedia_rooms_per_100",
                title_zh="每百名学生拥有网络多媒体教室数",
                title_en="networked multimedia classrooms per 100 pupils",
                unit="rooms per 100 pupils",
                amount_unit="rooms",
                per=100,
                countable=True,
                code="L7",
            ),
            _indicator(
                id="computers_per_100",
                title_zh="每百名学生拥有（教学用）计算机台数",
                title_en="teaching computers per 100 pupils",
                unit="computers per 100 pupils",
                amount_unit="computers",
                per=100,
                countable=True,
            ),
            _indicator(
                id="books_per_student",
                title_zh="生均图书册数",
                title_en="library books per pupil",
                unit="volumes per pupil",
                amount_unit="volumes",
                per=1,
                countable=True,
            ),
            _indicator(
                id="teachers_per_student",
                title_zh="师生比",
                title_en="full-time teachers per pupil",
                unit="teachers per pupil",
                amount_unit="teachers",
                per=1,
                countable=True,
            ),
            _indicator(
                id="qualified_teachers_per_student",
                title_zh="生均高于规定学历教师数",
                title_en="teachers above the required degree per pupil",
                unit="teachers per pupil",
                amount_unit="teachers",
                per=1,
                countable=True,
            ),
            _indicator(
                id="mid_senior_title_teachers_per_student",
                title_zh="生均中级及以上专业技术职务教师数",
                title_en="teachers with intermediate or senior titles per pupil",
                unit="teachers per pupil",
                amount_unit="teachers",
                per=1,
                countable=True,
            ),
        )
    }
)
"""Every resource indicator of the 2017 and 2012 editions, by id."""


class _Columns(Protocol):
    """Reads a column of the school rows being computed (floats or one exact row)."""

    def __call__(self, column: str) -> Any: ...  # noqa: ANN401 - arrays or fractions

    def first_present(self, column: str, fallback: Any) -> Any: ...  # noqa: ANN401

    def eligible_for_shared_teachers(self, rules: RuleSet) -> Any: ...  # noqa: ANN401


def _shared_teacher_eligibility(
    schools: pd.DataFrame, rows: np.ndarray, rules: RuleSet
) -> BoolArray:
    """Schools that may count shared PE/arts teachers: small rural schools (§3.2, flag-gated)."""
    key = "adjust.shared_pe_arts_teachers"
    pupils = np.zeros(rows.size)
    for stage in STAGES:
        if f"students_{stage}" in schools.columns:
            pupils += np.nan_to_num(schools[f"students_{stage}"].to_numpy(dtype=np.float64)[rows])
    location = (
        schools["location"].astype(str).to_numpy()[rows]
        if "location" in schools.columns
        else np.full(rows.size, "")
    )
    return (
        np.isin(location, rules.ids(f"{key}.locations"))
        & (pupils >= rules.number(f"{key}.min_students"))
        & (pupils <= rules.number(f"{key}.max_students"))
    )


class _ArrayColumns:
    """Column access for the vectorized float computation over many school rows."""

    def __init__(self, schools: pd.DataFrame, rows: np.ndarray) -> None:
        self._schools = schools
        self._rows = rows

    def __call__(self, column: str) -> FloatArray:
        if column not in self._schools.columns:
            return np.full(self._rows.size, np.nan)
        values: FloatArray = self._schools[column].to_numpy(dtype=np.float64)[self._rows]
        return values

    def first_present(self, column: str, fallback: FloatArray) -> FloatArray:
        value = self(column)
        return np.where(np.isnan(value), fallback, value)

    def eligible_for_shared_teachers(self, rules: RuleSet) -> FloatArray:
        return _shared_teacher_eligibility(self._schools, self._rows, rules).astype(np.float64)


class _ExactColumns:
    """Column access for the exact computation of one school: figures as typed, summed exactly."""

    def __init__(self, prepared: PreparedUnits, school_row: int) -> None:
        self._prepared = prepared
        self._row = school_row

    def __call__(self, column: str) -> Fraction | None:
        if column not in self._prepared.source.columns:
            return None
        value = self._prepared.numbers(column)[self._row]
        if math.isnan(value):
            return None
        return self._prepared.exact_amount(self._row, column)

    def first_present(self, column: str, fallback: Fraction | None) -> Fraction | None:
        value = self(column)
        return fallback if value is None else value

    def eligible_for_shared_teachers(self, rules: RuleSet) -> Fraction:
        rows = np.array([self._row])
        return Fraction(int(_shared_teacher_eligibility(self._prepared.schools, rows, rules)[0]))


def _plus(left: Any, right: Any) -> Any:  # noqa: ANN401 - arrays or fractions
    if left is None or right is None:
        return None
    return left + right


def _teachers(prefix: str) -> Callable[[_Columns, str, RuleSet], Any]:
    def amount(columns: _Columns, stage: str, rules: RuleSet) -> Any:  # noqa: ANN401, ARG001
        return columns(f"{prefix}_{stage}")

    return amount


def _pe_arts(columns: _Columns, stage: str, rules: RuleSet) -> Any:  # noqa: ANN401
    teachers = columns(f"pe_arts_teachers_{stage}")
    if rules.flag("adjust.shared_pe_arts_teachers"):
        # Flag-gated provincial adjustment: in small rural schools, itinerant or
        # part-time PE and arts teachers (交流轮岗、兼职、走教) count.
        shared = columns.first_present(f"shared_pe_arts_teachers_{stage}", 0)
        teachers = _plus(teachers, shared * columns.eligible_for_shared_teachers(rules))
    return teachers


def _teaching_area(columns: _Columns, stage: str, rules: RuleSet) -> Any:  # noqa: ANN401, ARG001
    area = columns("teaching_aux_area_m2")
    if rules.flag("area.deduct_indoor_sports_from_teaching_area"):
        indoor = columns("indoor_sports_area_m2")
        area = None if area is None or indoor is None else area - indoor
    return area


def _sports_area(columns: _Columns, stage: str, rules: RuleSet) -> Any:  # noqa: ANN401, ARG001
    combined = _plus(columns("sports_ground_area_m2"), columns("indoor_sports_area_m2"))
    area = columns.first_present("sports_total_area_m2", combined)
    if rules.flag("adjust.offsite_sports_venues"):
        # Flag-gated provincial adjustment: leased off-campus venues count.
        area = _plus(area, columns.first_present("offsite_sports_area_m2", 0))
    return area


def _column(name: str) -> Callable[[_Columns, str, RuleSet], Any]:
    def amount(columns: _Columns, stage: str, rules: RuleSet) -> Any:  # noqa: ANN401, ARG001
        return columns(name)

    return amount


_AMOUNTS: Mapping[str, Callable[[_Columns, str, RuleSet], Any]] = MappingProxyType(
    {
        "qualified_teachers_per_100": _teachers("qualified_teachers"),
        "backbone_teachers_per_100": _teachers("backbone_teachers"),
        "pe_arts_teachers_per_100": _pe_arts,
        "teaching_area_per_student": _teaching_area,
        "sports_area_per_student": _sports_area,
        "equipment_value_per_student": _column("equipment_value_yuan"),
        "multimedia_rooms_per_100": _column("multimedia_classrooms"),
        "computers_per_100": _column("teaching_computers"),
        "books_per_student": _column("books"),
        "teachers_per_student": _teachers("full_time_teachers"),
        "qualified_teachers_per_student": _teachers("qualified_teachers"),
        "mid_senior_title_teachers_per_student": _teachers("mid_senior_title_teachers"),
    }
)

# Source columns of each indicator, to name what is missing when a unit cannot be computed.
_NEEDS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "qualified_teachers_per_100": ("qualified_teachers_{stage}",),
        "backbone_teachers_per_100": ("backbone_teachers_{stage}",),
        "pe_arts_teachers_per_100": ("pe_arts_teachers_{stage}",),
        "teaching_area_per_student": ("teaching_aux_area_m2", "indoor_sports_area_m2"),
        "sports_area_per_student": ("sports_ground_area_m2", "indoor_sports_area_m2"),
        "equipment_value_per_student": ("equipment_value_yuan",),
        "multimedia_rooms_per_100": ("multimedia_classrooms",),
        "computers_per_100": ("teaching_computers",),
        "books_per_student": ("books",),
        "teachers_per_student": ("full_time_teachers_{stage}",),
        "qualified_teachers_per_student": ("qualified_teachers_{stage}",),
        "mid_senior_title_teachers_per_student": ("mid_senior_title_teachers_{stage}",),
    }
)


def _indicator_ids(rules: RuleSet) -> tuple[str, ...]:
    ids = rules.ids("resource.indicators")
    unknown = [indicator for indicator in ids if indicator not in _AMOUNTS]
    if unknown:
        msg = f"rule set {rules.id}: resource.indicators names unknown indicators {unknown}"
        raise RuleSetError(msg, code="unknown_indicator")
    return ids


def section_amounts(prepared: PreparedUnits, rules: RuleSet) -> FloatArray:
    """Return the resource amount of every unit and indicator (n_units × n_indicators).

    Amounts are in the indicator's :attr:`Indicator.amount_unit`, already scaled by the
    section's share σ where the rule set applies the split, and before the per-100 factor.
    """
    units = prepared.units
    ids = _indicator_ids(rules)
    applies = set(rules.ids("split.applies_to"))
    amounts = np.full((len(units), len(ids)), np.nan)
    share = units["share"].to_numpy(dtype=np.float64)
    stage = units["stage"].to_numpy()
    school_row = units["school_row"].to_numpy()
    for stage_name in STAGES:
        in_stage = np.flatnonzero(stage == stage_name)
        if not in_stage.size:
            continue
        columns = _ArrayColumns(prepared.schools, school_row[in_stage])
        for k, indicator in enumerate(ids):
            amount = np.asarray(_AMOUNTS[indicator](columns, stage_name, rules), dtype=np.float64)
            if indicator in applies:
                amount = amount * share[in_stage]
            amounts[in_stage, k] = amount
    _check_missing(prepared, ids, amounts)
    return amounts


def _check_missing(prepared: PreparedUnits, ids: tuple[str, ...], amounts: FloatArray) -> None:
    """Raise one grouped error naming every unit whose inputs for an indicator are missing."""
    missing = np.isnan(amounts)
    if not missing.any():
        return
    units = prepared.units
    issues = []
    for unit, k in zip(*np.nonzero(missing), strict=True):
        stage = units["stage"].iloc[unit]
        needs = ", ".join(column.format(stage=stage) for column in _NEEDS[ids[k]])
        issues.append(
            Issue(
                code="missing_value",
                message=f"indicator {ids[k]} cannot be computed: a value of {needs} is missing",
                table="schools",
                key=f"school_id={units['school_id'].iloc[unit]}",
                column=needs,
            )
        )
    raise InputError(issues, table="schools")


def indicator_values(prepared: PreparedUnits, rules: RuleSet) -> tuple[FloatArray, FloatArray]:
    """Return the indicator values and the amounts of every unit (both n_units × n_indicators)."""
    amounts = section_amounts(prepared, rules)
    ids = _indicator_ids(rules)
    per = np.array([INDICATORS[indicator].per for indicator in ids], dtype=np.float64)
    students = prepared.units["students"].to_numpy(dtype=np.float64)
    values = per * amounts / students[:, None]
    return values, amounts


# Indicators whose amount is one column of the school as typed (no arithmetic of columns);
# the PE/arts teachers only while shared teachers are not added (a flag of the rule set).
_ONE_COLUMN: frozenset[str] = frozenset(
    {
        "qualified_teachers_per_100",
        "backbone_teachers_per_100",
        "equipment_value_per_student",
        "multimedia_rooms_per_100",
        "computers_per_100",
        "books_per_student",
        "teachers_per_student",
        "qualified_teachers_per_student",
        "mid_senior_title_teachers_per_student",
    }
)
_EXACT_INTEGERS = 2.0**53
"""Integral floats below this size are the integers they show."""


def exact_values(
    prepared: PreparedUnits,
    rules: RuleSet,
    units: IntArray,
    indicator: str,
    amounts: FloatArray,
) -> list[Fraction]:
    """Return :func:`exact_value` of several units of one indicator (``amounts``: their floats).

    The usual case is decided without reading the figures again: a whole amount of one
    column (teachers, rooms) of a school without merged sites and with one section (σ = 1
    exactly) has the exact value ``per × amount / P``; the other units take
    :func:`exact_value`.
    """
    one_column = indicator in _ONE_COLUMN or (
        indicator == "pe_arts_teachers_per_100" and not rules.flag("adjust.shared_pe_arts_teachers")
    )
    students = prepared.array("students", frame="units")[units]
    fast = np.zeros(units.size, dtype=np.bool_)
    if one_column:
        school_row = prepared.array("school_row", frame="units")[units]
        stage = prepared.array("stage", frame="units")[units]
        others = np.zeros(units.size)
        for of_stage in ("primary", "junior", "senior"):
            column = f"students_{of_stage}"
            if column in prepared.schools.columns:
                pupils = np.nan_to_num(prepared.numbers(column)[school_row])
                others += np.where(stage == of_stage, 0.0, pupils)
        fast = (
            (others == 0)
            & ~prepared.merged_into[school_row]
            & (amounts == np.floor(amounts))
            & (np.abs(amounts) < _EXACT_INTEGERS)
        )
    per = INDICATORS[indicator].per
    return [
        Fraction(per * int(amount), int(pupils))
        if quick
        else exact_value(prepared, rules, int(unit), indicator)
        for unit, amount, pupils, quick in zip(
            units.tolist(), amounts.tolist(), students.tolist(), fast.tolist(), strict=True
        )
    ]


def exact_value(prepared: PreparedUnits, rules: RuleSet, unit: int, indicator: str) -> Fraction:
    """Return one unit's indicator value as an exact fraction of the figures as typed.

    Used to decide a threshold exactly when the float value lies next to it.
    """
    stage = str(prepared.array("stage", frame="units")[unit])
    school_row = int(prepared.array("school_row", frame="units")[unit])
    amount = _AMOUNTS[indicator](_ExactColumns(prepared, school_row), stage, rules)
    if amount is None:  # pragma: no cover - the float pass has already rejected missing inputs
        unit_id = prepared.array("unit_id", frame="units")[unit]
        msg = f"unit {unit_id}: {indicator} has a missing input"
        raise InputError([Issue(code="missing_value", message=msg, table="schools")])
    if indicator in set(rules.ids("split.applies_to")):
        amount = amount * exact_share(prepared, rules, unit)
    students = Fraction(int(prepared.array("students", frame="units")[unit]))
    return INDICATORS[indicator].per * Fraction(amount) / students


def exact_share(prepared: PreparedUnits, rules: RuleSet, unit: int) -> Fraction:
    """Return the facility share σ of a unit as an exact fraction."""
    row = int(prepared.array("school_row", frame="units")[unit])
    school_type = str(prepared.array("school_type")[row])
    stage = str(prepared.array("stage", frame="units")[unit])

    def weight(of_stage: str) -> Fraction:
        key = f"split.weight.{school_type}.{of_stage}"
        return rules.fraction(key) if key in rules else Fraction(1)

    def pupils(of_stage: str) -> Fraction:
        column = f"students_{of_stage}"
        if column not in prepared.schools.columns:
            return Fraction(0)
        value = float(prepared.numbers(column)[row])
        return Fraction(0) if math.isnan(value) else to_fraction(value)

    total = sum((weight(s) * pupils(s) for s in ("primary", "junior", "senior")), Fraction(0))
    return weight(stage) * pupils(stage) / total


def resource_indicators(schools: pd.DataFrame, rules: RuleSet | None = None) -> pd.DataFrame:
    """Return the resource indicators of every school section.

    Parameters
    ----------
    schools : pandas.DataFrame or path
        A school table (docs: Input tables) for one or many counties: canonical columns or
        the Chinese headers of the spec, as a DataFrame or a CSV/Excel path. It is validated
        with :func:`eduequity.national.read_schools`.
    rules : RuleSet, optional
        The rule set; default :data:`~eduequity.national.RULES_2017`. Its
        ``resource.indicators`` entry decides which indicator columns are returned (7 for
        2017, 8 for 2012).

    Returns
    -------
    pandas.DataFrame
        One row per school section with columns ``county``, ``school_id`` (the school's own
        id: a mixed school gives two rows with the same id), ``unit_id`` (``"<id>#primary"``
        for sections of mixed schools), ``stage`` (``"primary"``/``"junior"``), ``students``
        [pupils], ``share`` (σ) and one column per indicator id.
        ``frame.attrs["eduequity"]`` is an :class:`~eduequity.national.AuditRecord` with the
        schools ``excluded`` (with reasons), ``merged`` and ``split``, and the ``rules``.

    Examples
    --------
    >>> import pandas as pd
    >>> from eduequity.national import resource_indicators
    >>> school = pd.DataFrame({
    ...     "school_id": ["A"], "school_name": ["A school"], "county": ["X"],
    ...     "school_type": ["primary"], "students_primary": [500], "students_junior": [0],
    ...     "qualified_teachers_primary": [21], "qualified_teachers_junior": [0],
    ...     "backbone_teachers_primary": [5], "backbone_teachers_junior": [0],
    ...     "pe_arts_teachers_primary": [5], "pe_arts_teachers_junior": [0],
    ...     "teaching_aux_area_m2": [2600.0], "indoor_sports_area_m2": [350.0],
    ...     "sports_ground_area_m2": [3400.0], "equipment_value_yuan": [1_000_000.0],
    ...     "multimedia_classrooms": [12]})
    >>> row = resource_indicators(school).iloc[0]
    >>> float(row["qualified_teachers_per_100"]), float(row["teaching_area_per_student"])
    (4.2, 4.5)
    >>> resource_indicators(school).attrs["eduequity"].excluded.empty
    True
    """
    rules = RULES_2017 if rules is None else rules
    prepared = prepare_units(read_schools(schools, rules=rules), rules)
    values, _ = indicator_values(prepared, rules)
    ids = _indicator_ids(rules)
    frame = prepared.units[["county", "school_id", "unit_id", "stage", "students", "share"]].copy()
    frame[list(ids)] = values
    frame.attrs["eduequity"] = AuditRecord(
        rules=dict(rules.identity()),
        excluded=prepared.excluded,
        merged=prepared.merged,
        split=prepared.split,
    )
    return frame
