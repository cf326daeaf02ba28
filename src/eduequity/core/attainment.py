"""Threshold attainment (达标): which units meet their standards, and what share of them does.

Two layers:

- :func:`assess_attainment` tests every unit (a school, or one section of a mixed school)
  against one standard per indicator and applies a "k of n met, the rest within a floor" rule.
  With ``min_met=6`` and ``floor_ratio=0.85`` over the seven resource indicators it is the
  national per-school rule 「每所学校至少6项指标达到要求，余项不能低于要求的85%」
  (docs: The national method, The per-school rule); the national layer supplies the standards from
  its rule set.
- :func:`attainment_rate`, :func:`attainment_rate_by_group` and :func:`share_meeting` give the
  share of units, or of pupils, that meet a rule or a standard, with the Wilson interval on the
  Kish effective size (docs: API reference, eduequity.core).

Every decision at a threshold is exact (docs: The national method, The per-school rule,
"Exactness"): standards and floors are held as fractions, a float value is read as the decimal it
prints as, and callers who derive values by arithmetic may pass the exact values of near-threshold
cells themselves.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Hashable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any, Final, Literal, TypeAlias

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from eduequity._exact import NEAR, compare, to_fraction
from eduequity._scaling import group_exponents
from eduequity._serialize import Record, to_jsonable
from eduequity._typing import BoolArray, Comparator, FloatArray, IntArray, JSONValue
from eduequity._validation import as_weights, check_option, index_labels, is_missing, positions
from eduequity.core.intervals import kish_effective_size, wilson_interval
from eduequity.errors import (
    DegenerateDataWarning,
    InvalidArgumentError,
    InvalidTypeError,
    InvalidValueError,
)

__all__ = [
    "AttainmentRate",
    "AttainmentResult",
    "ExactValues",
    "assess_attainment",
    "attainment_rate",
    "attainment_rate_by_group",
    "share_meeting",
]

_COMPARATORS: Final[tuple[Comparator, ...]] = (">=", ">", "<=", "<")
"""The comparators a standard may carry: ``">="`` at least (不低于, 达到…以上), ``">"`` more than,
``"<="`` at most (不超过), ``"<"`` less than (低于) — docs: The national method, Structure: the four
parts."""

ExactValues: TypeAlias = Callable[[IntArray], Sequence[Fraction]]
"""A callable that receives flat indices into the ``(n_units, n_indicators)`` value matrix (row
major) and returns the exact values of those cells, one :class:`~fractions.Fraction` each."""

_Lookup: TypeAlias = Callable[[npt.NDArray[Any]], list[Fraction]]

_LOWER_BOUNDS: Final = frozenset({">=", ">"})
_MAX_LISTED: Final = 5
_MAX_BITS: Final = 62
_EXACT_NUMBER_TYPES: Final = (int, float, str, Decimal, Fraction, np.integer, np.floating)
_BOOL_TYPES: Final = (bool, np.bool_)


# --------------------------------------------------------------------------------------------
# Result records
# --------------------------------------------------------------------------------------------


def _read_only(array: npt.NDArray[Any]) -> npt.NDArray[Any]:
    array.setflags(write=False)
    return array


# eq=False: the record holds numpy arrays, whose == is element-wise; identity equality is the
# only meaningful default, and it keeps the instances hashable.
@attrs.frozen(kw_only=True, eq=False)
class AttainmentResult:
    """Per-unit outcome of a multi-indicator attainment rule (达标判定).

    Matrices have one row per unit and one column per indicator, in input order. The arrays are
    read-only.
    """

    value_matrix: FloatArray
    """The values tested [indicator unit], shape ``(n_units, n_indicators)``; NaN = missing."""
    met: BoolArray
    """Whether each value meets its standard (达到标准), decided exactly; False where missing."""
    within_floor: BoolArray
    """Whether each value is met or reaches its floor (不低于要求的85%); True for every present
    value when no floor applies (``floor_ratio=None``); False where missing."""
    missing: BoolArray
    """Whether each value is missing (NaN)."""
    shortfall: FloatArray
    """Gap to the standard where it is not met [indicator unit]: ``standard − value`` for a
    lower bound (``>=``, ``>``), the excess ``value − standard`` for an upper bound (``<=``,
    ``<``); 0 where met (and at the threshold of a strict comparator); NaN where missing."""
    shortfall_share: FloatArray
    """``shortfall / standard`` [fraction of the standard]; NaN where missing or where the
    standard is not positive (a share of a non-positive standard has no meaning)."""
    met_count: IntArray
    """Number of indicators met per unit."""
    passed: BoolArray
    """Whether each unit passes the rule; False for an ``"incomplete"`` unit."""
    status: npt.NDArray[np.str_]
    """Per unit: ``"pass"``, ``"fail"`` (fails whatever its missing values would be) or
    ``"incomplete"`` (missing values leave the outcome open; only under
    ``nan_policy="propagate"``)."""
    unit_labels: tuple[Hashable, ...]
    """Unit identifiers: the index of a DataFrame input, ``unit_labels``, or positions."""
    indicator_names: tuple[str, ...]
    """Indicator identifiers, one per column."""
    directions: tuple[Comparator, ...]
    """Comparator of each indicator's standard."""
    standards: FloatArray
    """Standards as floats [indicator unit], one per indicator."""
    standards_exact: tuple[Fraction, ...]
    """Standards as exact fractions; the decisions use these."""
    floors: FloatArray | None
    """Floors as floats [indicator unit]: ``floor_ratio × standard`` for a lower bound,
    ``standard / floor_ratio`` for an upper bound; ``None`` without a floor rule."""
    floors_exact: tuple[Fraction, ...] | None
    """Floors as exact fractions; ``None`` without a floor rule."""
    min_met: int
    """Number of indicators a unit must meet (至少…项指标达到要求)."""
    floor_ratio: Fraction | None
    """Share of its standard an unmet indicator must reach (e.g. 17/20 = 85%); ``None`` for no
    floor condition."""

    @property
    def n_units(self) -> int:
        """Number of units assessed."""
        return int(self.passed.size)

    @property
    def n_indicators(self) -> int:
        """Number of indicators per unit."""
        return len(self.indicator_names)

    @property
    def n_passed(self) -> int:
        """Number of units with status ``"pass"``."""
        return int(np.count_nonzero(self.passed))

    @property
    def n_failed(self) -> int:
        """Number of units with status ``"fail"``."""
        return int(np.count_nonzero(self.status == "fail"))

    @property
    def n_incomplete(self) -> int:
        """Number of units with status ``"incomplete"``."""
        return int(np.count_nonzero(self.status == "incomplete"))

    def to_frame(self) -> pd.DataFrame:
        """Return one row per unit: the tidy audit of the rule.

        Returns
        -------
        pandas.DataFrame
            Indexed by unit label (index name ``"unit"``), with columns ``met_count``,
            ``n_missing``, ``unmet`` (tuple of the names of the indicators not met, missing ones
            included), ``below_floor`` (tuple of present indicators below their floor),
            ``missing`` (tuple of indicators with no value), ``passed`` and ``status``.
        """
        present = ~self.missing
        return pd.DataFrame(
            {
                "met_count": self.met_count,
                "n_missing": self.missing.sum(axis=1).astype(np.int64),
                "unmet": _names_per_row(~self.met, self.indicator_names),
                "below_floor": _names_per_row(~self.within_floor & present, self.indicator_names),
                "missing": _names_per_row(self.missing, self.indicator_names),
                "passed": self.passed,
                "status": self.status.astype(object),
            },
            index=pd.Index(list(self.unit_labels), name="unit", tupleize_cols=False),
        )

    def unmet_frame(self) -> pd.DataFrame:
        """Return one row per indicator a unit does not meet, with its value, standard and gap.

        This is the list the national method asks for: each unit with its failed indicators,
        their values, standards, floors and gaps (docs: The national method, The per-school rule).

        Returns
        -------
        pandas.DataFrame
            Columns ``unit``, ``indicator``, ``direction``, ``value``, ``standard``, ``floor``
            (NaN without a floor rule), ``shortfall``, ``shortfall_share``, ``within_floor``,
            ``missing`` and ``unit_status``; rows in unit order, then indicator order.
        """
        rows, columns = np.nonzero(~self.met)
        labels = np.empty(len(self.unit_labels), dtype=object)
        labels[:] = list(self.unit_labels)
        floors = self.floors if self.floors is not None else np.full(self.n_indicators, np.nan)
        return pd.DataFrame(
            {
                "unit": labels[rows],
                "indicator": np.asarray(self.indicator_names, dtype=object)[columns],
                "direction": np.asarray(self.directions, dtype=object)[columns],
                "value": self.value_matrix[rows, columns],
                "standard": self.standards[columns],
                "floor": floors[columns],
                "shortfall": self.shortfall[rows, columns],
                "shortfall_share": self.shortfall_share[rows, columns],
                "within_floor": self.within_floor[rows, columns],
                "missing": self.missing[rows, columns],
                "unit_status": self.status[rows].astype(object),
            }
        )

    def to_dict(self) -> dict[str, JSONValue]:
        """Return a JSON-safe mapping of the fields and of the counts (``n_units``, ...).

        The counts are ``n_units``, ``n_indicators``, ``n_passed``, ``n_failed`` and
        ``n_incomplete``. Exact fractions are given as text: a terminating decimal
        (``"3.57"``) or ``"p/q"``. Unit labels that are not JSON scalars are given as text.
        """
        # As attrs_to_dict, but arrays are encoded in one vectorized pass (see _array_json).
        result: dict[str, JSONValue] = {}
        for field in attrs.fields(type(self)):
            value = getattr(self, field.name)
            result[field.name] = (
                _array_json(value) if isinstance(value, np.ndarray) else to_jsonable(value)
            )
        result["unit_labels"] = [_label_json(label) for label in self.unit_labels]
        result["standards_exact"] = [_fraction_text(value) for value in self.standards_exact]
        result["floors_exact"] = (
            None
            if self.floors_exact is None
            else [_fraction_text(value) for value in self.floors_exact]
        )
        result["floor_ratio"] = (
            None if self.floor_ratio is None else _fraction_text(self.floor_ratio)
        )
        result["n_units"] = self.n_units
        result["n_indicators"] = self.n_indicators
        result["n_passed"] = self.n_passed
        result["n_failed"] = self.n_failed
        result["n_incomplete"] = self.n_incomplete
        return result


@attrs.frozen(kw_only=True)
class AttainmentRate(Record):
    """Share of units, or of their weight (pupils), that meet a rule or a standard (达标率)."""

    rate: float
    """``Σ v_i · 1[passed_i] / Σ v_i`` [fraction in 0–1]; NaN when ``status`` is
    ``"undefined"``."""
    status: Literal["ok", "undefined"]
    """``"ok"``, or ``"undefined"`` when no unit (or no weight) is left to take a share of."""
    n_units: int
    """Number of units the rate is taken over (after any omission)."""
    n_passed: int
    """Number of those units that pass."""
    n_omitted: int
    """Number of units dropped for a missing value or weight (``nan_policy="omit"``)."""
    weight_sum: float
    """``Σ v_i`` [weight unit, e.g. pupils]; equals ``n_units`` on the unit basis."""
    weight_passed: float
    """``Σ v_i`` over the passing units [weight unit]."""
    n_effective: float
    """Kish effective size ``(Σ v_i)² / Σ v_i²``; ``n_units`` on the unit basis."""
    basis: Literal["units", "weights", "pupils"]
    """What the share counts: ``"units"`` (v_i = 1), ``"weights"`` (v_i = the weights given)
    or ``"pupils"`` (v_i = enrolment, :func:`share_meeting` with ``basis="pupils"``)."""
    confidence: float
    """Two-sided confidence level of the interval, e.g. 0.95."""
    ci_low: float
    """Lower bound of the Wilson interval on ``n_effective`` [fraction]; NaN when undefined."""
    ci_high: float
    """Upper bound of the Wilson interval on ``n_effective`` [fraction]; NaN when undefined."""


# --------------------------------------------------------------------------------------------
# Multi-indicator rule
# --------------------------------------------------------------------------------------------


def assess_attainment(
    values: Any,  # noqa: ANN401 - any 2-D array-like or DataFrame
    standards: Any,  # noqa: ANN401 - a sequence, ndarray, Series or mapping of numbers
    *,
    directions: Comparator | Sequence[Comparator] | Mapping[str, Comparator] = ">=",
    min_met: int | None = None,
    floor_ratio: float | str | Decimal | Fraction | None = None,
    indicator_names: Sequence[str] | None = None,
    unit_labels: Sequence[Hashable] | None = None,
    nan_policy: Literal["raise", "propagate"] = "raise",
    exact_values: ExactValues | None = None,
) -> AttainmentResult:
    r"""Test every unit against one standard per indicator: "k met, the rest within a floor".

    A unit passes (达标) when at least ``min_met`` of its indicators meet their standards and
    every indicator it misses still reaches its floor. The national per-school rule
    (每所学校至少6项指标达到要求，余项不能低于要求的85%, docs: The national method, The per-school
    rule) is ``min_met=6, floor_ratio=0.85`` over the seven resource indicators.

    Parameters
    ----------
    values : array_like or pandas.DataFrame
        Matrix of shape ``(n_units, n_indicators)`` [each indicator in its own unit: teachers
        per 100 pupils, m² per pupil, yuan per pupil, ...]. A DataFrame gives the indicator
        names (its columns) and the unit labels (its index). Cells may be numbers,
        :class:`~decimal.Decimal` or :class:`~fractions.Fraction` (read exactly), or missing
        (NaN, ``None``, ``pd.NA``).
    standards : sequence, numpy.ndarray, pandas.Series or mapping
        One standard per indicator, in column order, or keyed by indicator name (a mapping or
        a Series, aligned by label). Each is an int, a float (read as the decimal it prints
        as), decimal text such as ``"4.2"``, a Decimal or a Fraction, so thresholds are exact.
    directions : str, sequence of str or mapping, default ``">="``
        Comparator of every standard, or one per indicator: ``">="`` at least (不低于),
        ``">"`` more than, ``"<="`` at most (不超过), ``"<"`` less than.
    min_met : int, optional
        Indicators a unit must meet, in ``[0, n_indicators]``; default all of them.
    floor_ratio : float, str, Decimal or Fraction, optional
        Share of its standard that an unmet indicator must still reach, in (0, 1]; ``0.85``
        for the national rule. ``None`` (default) sets no floor: only the count matters.
    indicator_names : sequence of str, optional
        Names of the indicators (override a DataFrame's columns); default the DataFrame's
        columns, else ``"0"``, ``"1"``, ...
    unit_labels : sequence, optional
        Labels of the units (override a DataFrame's index); default the index, else positions.
    nan_policy : {"raise", "propagate"}, default ``"raise"``
        ``"raise"``: a missing value raises. ``"propagate"``: a missing value neither meets its
        standard nor reaches its floor; its unit gets ``passed=False`` and status ``"fail"`` if
        it fails whatever the missing values are, else ``"incomplete"`` (never an implicit pass).
    exact_values : callable, optional
        For callers that know the exact rational value of a cell (e.g. ``100 × count / P``):
        receives the flat row-major indices of near-threshold cells and returns their exact
        values (:data:`ExactValues`). By default a float cell is read as the decimal it prints
        as, and a Decimal or Fraction cell as itself.

    Returns
    -------
    AttainmentResult
        Per-cell ``met``, ``within_floor``, ``shortfall`` and per-unit ``met_count``,
        ``passed``, ``status``; ``to_frame()`` and ``unmet_frame()`` give the audit tables.

    Raises
    ------
    InvalidValueError
        If ``values`` is not 2-dimensional or has no column; ``standards``, ``directions``,
        ``indicator_names`` or ``unit_labels`` do not match its shape; a value is infinite, or
        missing under ``nan_policy="raise"``; a standard is not finite, or not positive while a
        floor applies; ``exact_values`` returns a value that does not match its cell.
    InvalidTypeError
        If a value or a standard is not a number (text, a date, ...).
    InvalidArgumentError
        If a comparator, ``min_met``, ``floor_ratio`` or ``nan_policy`` is out of range.

    See Also
    --------
    attainment_rate : share of the units that pass.
    share_meeting : share of units or pupils meeting one standard.

    Notes
    -----
    For unit :math:`u`, indicator :math:`k` with standard :math:`s_k`, comparator
    :math:`\unrhd_k` and floor ratio :math:`r`:

    .. math::

        \mathrm{met}_{uk} = [x_{uk} \unrhd_k s_k], \qquad
        \mathrm{pass}_u = \Big[\sum_k \mathrm{met}_{uk} \ge m\Big] \wedge
        \forall k\,\big(\mathrm{met}_{uk} \vee x_{uk} \unrhd^{=}_k f_k\big)

    where :math:`\unrhd^{=}_k` is the inclusive form of :math:`\unrhd_k` ("not lower than 85%"
    includes exactly 85%) and the floor is

    .. math::

        f_k = r \cdot s_k \ \text{(lower bound, } \ge, >), \qquad
        f_k = s_k / r \ \text{(upper bound, } \le, <).

    The upper-bound floor is chosen so that the rule does not depend on how an indicator is
    expressed: "teachers per 100 pupils ≥ s, floor r·s" is the same test as "pupils per teacher
    ≤ 100/s, floor (100/s)/r". A floor is a share of a standard, so every standard must be
    positive when ``floor_ratio`` is given.

    **Exactness.** Standards and floors are fractions (``0.85 × 4.2 = 3.57`` exactly); a value
    within a relative 1e-9 of a threshold is re-decided in rational arithmetic, so a value
    equal to its standard or floor meets it whatever binary floating point makes of it. The
    shortfalls are floats.

    Examples
    --------
    The national primary standards (docs: The national method, The seven indicators), rule 6 of 7
    with an 85% floor. The second school misses indicator 4 but stands exactly at its floor,
    3.825 m²; the third misses two indicators:

    >>> standards = ["4.2", "1", "0.9", "4.5", "7.5", "2000", "2.3"]
    >>> schools = [
    ...     [4.2, 1.0, 0.9, 4.5, 7.5, 2000, 2.3],
    ...     [4.5, 1.2, 1.0, 3.825, 8.0, 2100, 2.5],
    ...     [4.0, 1.2, 1.0, 4.6, 8.0, 2100, 2.0],
    ... ]
    >>> result = assess_attainment(schools, standards, min_met=6, floor_ratio=0.85)
    >>> result.met_count.tolist(), result.passed.tolist()
    ([7, 6, 5], [True, True, False])
    >>> result.to_frame()["unmet"].tolist()
    [(), ('3',), ('0', '6')]
    >>> result.shortfall[2].round(3).tolist()
    [0.2, 0.0, 0.0, 0.0, 0.0, 0.0, 0.3]
    """
    check_option(nan_policy, ("raise", "propagate"), "nan_policy")
    matrix, raw_exact, labels, labels_given, names = _read_matrix(
        values, unit_labels=unit_labels, indicator_names=indicator_names
    )
    n_indicators = len(names)
    where = _CellNamer(labels, labels_given, names)
    standards_exact = _read_standards(standards, names)
    comparators = _read_directions(directions, names)
    required = _read_min_met(min_met, n_indicators)
    ratio = _read_floor_ratio(floor_ratio)
    missing = np.isnan(matrix)
    if nan_policy == "raise" and missing.any():
        msg = (
            f"values are missing (NaN) at {where.cells(missing)}; every indicator needs a "
            "value, or pass nan_policy='propagate' to mark those units incomplete"
        )
        raise InvalidValueError(msg, code="missing_value")
    floors_exact = None if ratio is None else _floors(standards_exact, comparators, ratio, names)

    lookup = _exact_lookup(matrix, raw_exact, exact_values, where)
    met, within_floor = _decide(matrix, standards_exact, floors_exact, comparators, lookup)
    within_floor &= ~missing

    standard_floats = np.array([float(value) for value in standards_exact], dtype=np.float64)
    shortfall, shortfall_share = _shortfalls(matrix, met, standard_floats, comparators)

    met_count = met.sum(axis=1).astype(np.int64)
    n_missing = missing.sum(axis=1)
    floors_held = (within_floor | missing).all(axis=1)
    passed = (met_count >= required) & floors_held & (n_missing == 0)
    certainly_failed = ~floors_held | (met_count + n_missing < required)
    status = np.where(passed, "pass", np.where(certainly_failed, "fail", "incomplete"))

    return AttainmentResult(
        value_matrix=_read_only(matrix),
        met=_read_only(met),
        within_floor=_read_only(within_floor),
        missing=_read_only(missing),
        shortfall=_read_only(shortfall),
        shortfall_share=_read_only(shortfall_share),
        met_count=_read_only(met_count),
        passed=_read_only(passed),
        status=_read_only(status.astype("<U10")),
        unit_labels=labels,
        indicator_names=names,
        directions=comparators,
        standards=_read_only(standard_floats),
        standards_exact=standards_exact,
        floors=None
        if floors_exact is None
        else _read_only(np.array([float(value) for value in floors_exact], dtype=np.float64)),
        floors_exact=floors_exact,
        min_met=required,
        floor_ratio=ratio,
    )


# --------------------------------------------------------------------------------------------
# Rates
# --------------------------------------------------------------------------------------------


def attainment_rate(
    passed: Any,  # noqa: ANN401 - any 1-D array-like of booleans
    weights: Any = None,  # noqa: ANN401 - any 1-D array-like
    *,
    confidence: float = 0.95,
) -> AttainmentRate:
    r"""Return the share of units (or of their weight) that pass, with its Wilson interval.

    .. math::

        \text{rate} = \frac{\sum_i v_i \, 1[\text{passed}_i]}{\sum_i v_i}, \qquad
        n_\text{eff} = \frac{(\sum_i v_i)^2}{\sum_i v_i^2}

    with :math:`v_i = 1` without weights (unit basis) and :math:`v_i = w_i` with them. The
    interval is the Wilson score interval of the rate on :math:`n_\text{eff}`
    (docs: API reference, eduequity.core, docs: The national method, Part 4: social recognition).
    Sums are exactly rounded (:func:`math.fsum`), so the result does not depend on the order of the
    units.

    Parameters
    ----------
    passed : array_like of bool
        One flag per unit, e.g. ``AttainmentResult.passed``; 0/1 numbers are accepted.
    weights : array_like, optional
        Non-negative weights per unit [e.g. pupils]; zero-weight units count for nothing.
    confidence : float, default 0.95
        Two-sided confidence level of the interval, in (0, 1).

    Returns
    -------
    AttainmentRate
        ``status="undefined"`` with NaN rate and interval when there is no unit.

    Raises
    ------
    InvalidTypeError
        If a flag is not a boolean or 0/1 number.
    InvalidValueError
        If ``passed`` is not 1-dimensional or holds NaN or a number other than 0 and 1; the
        weights have another length, are negative, infinite, NaN or all zero.
    InvalidArgumentError
        If ``confidence`` is not in (0, 1).

    Warns
    -----
    DegenerateDataWarning
        When there is no unit, so the rate is undefined.

    Examples
    --------
    Three schools pass out of four; weighted by enrolment, the passing ones hold 600 of 1000
    pupils:

    >>> unit_share = attainment_rate([True, True, False, True])
    >>> unit_share.rate, unit_share.n_passed, unit_share.basis
    (0.75, 3, 'units')
    >>> pupil_share = attainment_rate([True, True, False, True], [100, 200, 400, 300])
    >>> pupil_share.rate, round(pupil_share.n_effective, 4)
    (0.6, 3.3333)
    >>> round(pupil_share.ci_low, 4), round(pupil_share.ci_high, 4)
    (0.184, 0.9089)
    """
    _check_confidence(confidence)
    flags = _read_flags(passed, name="passed")
    unit_weights = _read_weights(weights, flags.size)
    return _rate(
        flags,
        unit_weights,
        basis="units" if weights is None else "weights",
        confidence=confidence,
        n_omitted=0,
    )


def attainment_rate_by_group(
    passed: Any,  # noqa: ANN401 - any 1-D array-like of booleans
    groups: Any,  # noqa: ANN401 - any 1-D array-like of sortable labels
    weights: Any = None,  # noqa: ANN401 - any 1-D array-like
) -> pd.DataFrame:
    r"""Return the attainment rate of every group at once (e.g. per county, per stage).

    For group :math:`g`, :math:`\text{rate}_g = \sum_{i \in g} v_i 1[\text{passed}_i] /
    \sum_{i \in g} v_i`, the formula of :func:`attainment_rate` on the group's units. All groups
    are computed together (sort + :func:`numpy.add.reduceat`). The units of a group are summed
    in a canonical order, so the result does not depend on the order of the rows; the sums are
    exact for integer weights such as enrolments, and otherwise may differ from the exactly
    rounded sums of :func:`attainment_rate` in the last bit. The three inputs are read by
    position.

    Parameters
    ----------
    passed : array_like of bool
        One flag per unit.
    groups : array_like
        One group label per unit; labels must be mutually sortable and not missing.
    weights : array_like, optional
        Non-negative weights per unit [e.g. pupils].

    Returns
    -------
    pandas.DataFrame
        Index: the sorted group labels (name ``"group"``). Columns ``n_units``, ``n_passed``
        (int), ``weight_sum``, ``weight_passed`` (sums of the weights, equal to the counts
        without weights, so groups can be merged by adding them), ``n_effective`` (Kish size,
        for an interval) and ``rate`` (NaN for a group whose weights are all zero).

    Raises
    ------
    InvalidValueError
        If the lengths differ, a group label is missing, or a flag or weight is invalid (see
        :func:`attainment_rate`).
    InvalidTypeError
        If a flag is not boolean, or the group labels cannot be sorted together.

    Warns
    -----
    DegenerateDataWarning
        When a group's weights are all zero, so its rate is undefined.

    Examples
    --------
    >>> frame = attainment_rate_by_group(
    ...     [True, False, True, True, False], ["b", "a", "b", "a", "a"], [10, 20, 30, 40, 50]
    ... )
    >>> frame[["n_units", "n_passed", "weight_sum", "rate"]]
           n_units  n_passed  weight_sum      rate
    group
    a            3         1       110.0  0.363636
    b            2         2        40.0  1.000000
    """
    flags = _read_flags(passed, name="passed")
    codes, uniques = _group_codes(groups, flags.size)
    unit_weights = _read_weights(weights, flags.size)
    n_groups = len(uniques)
    # Canonical order (group, weight, flag): sums no longer depend on the input row order.
    order = np.lexsort((flags, unit_weights, codes))
    sorted_codes = codes[order]
    sorted_weights = unit_weights[order]
    starts = np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]])
    if flags.size == 0:
        weight_sum = weight_passed = scaled_sum = square_sum = np.zeros(0, dtype=np.float64)
    else:
        weight_sum = np.add.reduceat(sorted_weights, starts)
        weight_passed = np.add.reduceat(np.where(flags[order], sorted_weights, 0.0), starts)
        # The Kish size does not depend on the scale of a group's weights: scaled by powers of
        # two, their squares stay in range.
        exponents = group_exponents(sorted_weights, starts, sorted_codes[starts], n_groups)
        scaled = np.ldexp(sorted_weights, -exponents[sorted_codes])
        scaled_sum = np.add.reduceat(scaled, starts)
        square_sum = np.add.reduceat(np.square(scaled), starts)
    n_units = np.bincount(codes, minlength=n_groups).astype(np.int64)
    n_passed = np.bincount(codes[flags], minlength=n_groups).astype(np.int64)
    empty = weight_sum == 0
    if empty.any():
        warnings.warn(
            f"the weights of group {positions(empty, uniques)} are all zero; its attainment "
            "rate is undefined (NaN)",
            DegenerateDataWarning,
            stacklevel=2,
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(empty, np.nan, weight_passed / weight_sum)
        n_effective = np.where(empty, np.nan, np.square(scaled_sum) / square_sum)
    return pd.DataFrame(
        {
            "n_units": n_units,
            "n_passed": n_passed,
            "weight_sum": weight_sum,
            "weight_passed": weight_passed,
            "n_effective": n_effective,
            "rate": rate,
        },
        index=pd.Index(uniques, name="group"),
    )


def share_meeting(
    values: Any,  # noqa: ANN401 - any 1-D array-like
    threshold: float | str | Decimal | Fraction,
    *,
    comparator: Comparator = ">=",
    weights: Any = None,  # noqa: ANN401 - any 1-D array-like
    basis: Literal["units", "pupils"] = "units",
    confidence: float = 0.95,
    nan_policy: Literal["raise", "omit"] = "raise",
    exact_values: ExactValues | None = None,
) -> AttainmentRate:
    r"""Return the share of units, or of pupils, whose value meets one standard.

    .. math::

        \text{attainment} = \frac{\sum_i v_i \, 1[x_i \unrhd t]}{\sum_i v_i}

    with :math:`v_i = 1` (``basis="units"``) or :math:`v_i = w_i` (``basis="pupils"``), and the
    Wilson interval on the Kish effective size (docs: API reference, eduequity.core).

    Parameters
    ----------
    values : array_like
        One value per unit [indicator unit]; numbers, Decimal or Fraction (read exactly).
    threshold : float, int, str, Decimal or Fraction
        The standard, read exactly (a float as the decimal it prints as).
    comparator : {">=", ">", "<=", "<"}, default ``">="``
        How a value must compare with the threshold to meet it.
    weights : array_like, optional
        Enrolment per unit [pupils]; required with ``basis="pupils"`` and refused with
        ``basis="units"``, so the basis is always stated.
    basis : {"units", "pupils"}, default ``"units"``
        Share of units or share of pupils.
    confidence : float, default 0.95
        Two-sided confidence level of the Wilson interval, in (0, 1).
    nan_policy : {"raise", "omit"}, default ``"raise"``
        ``"omit"`` drops units whose value or weight is missing and counts them in
        ``n_omitted``.
    exact_values : callable, optional
        Exact values of near-threshold units, given their positions (see
        :func:`assess_attainment`).

    Returns
    -------
    AttainmentRate

    Raises
    ------
    InvalidArgumentError
        If ``comparator``, ``basis``, ``nan_policy`` or ``confidence`` is not allowed, or the
        weights do not fit the basis.
    InvalidTypeError, InvalidValueError
        As :func:`assess_attainment` and :func:`attainment_rate`.

    Warns
    -----
    DegenerateDataWarning
        When no unit (or no weight) is left, so the share is undefined.

    Examples
    --------
    Sports ground per pupil against the primary standard 7.5 m² (docs: The national method, The
    seven indicators); a school at exactly 7.5 meets it:

    >>> share = share_meeting([7.5, 6.0, 9.2, 7.4999], "7.5")
    >>> share.rate, share.n_passed
    (0.5, 2)
    >>> share_meeting([7.5, 6.0, 9.2, 7.4999], 7.5, weights=[400, 100, 300, 200],
    ...               basis="pupils").rate
    0.7
    """
    check_option(comparator, _COMPARATORS, "comparator")
    check_option(basis, ("units", "pupils"), "basis")
    check_option(nan_policy, ("raise", "omit"), "nan_policy")
    _check_confidence(confidence)
    if basis == "units" and weights is not None:
        msg = "weights were given with basis='units'; pass basis='pupils' to weight by them"
        raise InvalidArgumentError(msg, code="invalid_option")
    if basis == "pupils" and weights is None:
        msg = "basis='pupils' needs weights (the enrolment of each unit)"
        raise InvalidArgumentError(msg, code="invalid_option")
    limit = _exact_number(threshold, what="threshold")
    column, raw_exact, labels, labels_given = _read_column(values)
    where = _CellNamer(labels, labels_given, ("value",))
    unit_weights = as_weights(weights, column.shape[0])
    missing = np.isnan(column[:, 0]) | np.isnan(unit_weights)
    if missing.any() and nan_policy == "raise":
        msg = (
            f"values or weights are missing (NaN) at position {positions(missing, labels)}; "
            "pass nan_policy='omit' to drop those units"
        )
        raise InvalidValueError(msg, code="missing_value")
    lookup = _exact_lookup(column, raw_exact, exact_values, where)
    met = compare(
        column,
        np.array([float(limit)]),
        comparator,
        exact_thresholds=_object_array([limit]),
        exact_values=lookup,
    )[:, 0]
    keep = ~missing
    return _rate(
        met[keep],
        unit_weights[keep],
        basis=basis,
        confidence=confidence,
        n_omitted=int(missing.sum()),
    )


# --------------------------------------------------------------------------------------------
# Reading the inputs
# --------------------------------------------------------------------------------------------


class _CellNamer:
    """Names cells as "unit <label>, indicator <name>" in messages."""

    def __init__(
        self, labels: tuple[Hashable, ...], labels_given: bool, names: tuple[str, ...]
    ) -> None:
        self.labels = labels
        self.labels_given = labels_given
        self.names = names

    def unit(self, row: int) -> str:
        if self.labels_given:
            return f"unit {self.labels[row]!r}"
        return f"unit at position {row}"

    def cell(self, row: int, column: int) -> str:
        return f"{self.unit(row)}, indicator {self.names[column]!r}"

    def cells(self, mask: BoolArray) -> str:
        rows, columns = np.nonzero(mask)
        shown = [
            self.cell(int(r), int(c)) for r, c in zip(rows[:_MAX_LISTED], columns, strict=False)
        ]
        more = f" and {rows.size - _MAX_LISTED} more" if rows.size > _MAX_LISTED else ""
        return "; ".join(shown) + more


def _read_matrix(
    values: Any,  # noqa: ANN401 - any 2-D array-like or DataFrame
    *,
    unit_labels: Sequence[Hashable] | None,
    indicator_names: Sequence[str] | None,
) -> tuple[FloatArray, npt.NDArray[np.object_] | None, tuple[Hashable, ...], bool, tuple[str, ...]]:
    """Return the float matrix, the raw cells (when some are exact), labels and names."""
    frame_labels: tuple[Hashable, ...] | None = None
    frame_names: tuple[str, ...] | None = None
    if isinstance(values, pd.DataFrame):
        frame_labels = tuple(values.index)
        frame_names = tuple(str(column) for column in values.columns)
        raw = values.to_numpy()
    else:
        try:
            raw = np.asarray(values)
        except ValueError as error:  # ragged nested lists
            msg = f"values must be a rectangular matrix (units × indicators): {error}"
            raise InvalidValueError(msg, code="bad_shape") from error
    if raw.ndim != 2:  # noqa: PLR2004 - a matrix
        msg = (
            f"values must be 2-dimensional (units × indicators); got shape {raw.shape}. "
            "For one indicator pass a column, e.g. numpy.reshape(values, (-1, 1))"
        )
        raise InvalidValueError(msg, code="bad_shape")
    n_units, n_indicators = raw.shape
    if n_indicators == 0:
        msg = "values have no indicator column; at least one indicator is needed"
        raise InvalidValueError(msg, code="bad_shape")
    names = _indicator_names(indicator_names, frame_names, n_indicators)
    labels, labels_given = _unit_labels(unit_labels, frame_labels, n_units)
    where = _CellNamer(labels, labels_given, names)
    matrix, raw_exact = _to_float_matrix(raw, where)
    infinite = np.isinf(matrix)
    if infinite.any():
        msg = f"values must be finite; infinite at {where.cells(infinite)}"
        raise InvalidValueError(msg)
    return matrix, raw_exact, labels, labels_given, names


def _read_column(
    values: Any,  # noqa: ANN401 - any 1-D array-like
) -> tuple[FloatArray, npt.NDArray[np.object_] | None, tuple[Hashable, ...], bool]:
    """Return one-dimensional ``values`` as an ``(n, 1)`` matrix, raw exact cells and labels."""
    labels_index = index_labels(values)
    raw = values.to_numpy() if isinstance(values, pd.Series) else np.asarray(values)
    if raw.ndim != 1:
        msg = f"values must be 1-dimensional (one value per unit); got shape {raw.shape}"
        raise InvalidValueError(msg, code="bad_shape")
    labels_given = labels_index is not None
    labels = tuple(labels_index) if labels_given else tuple(range(raw.shape[0]))
    where = _CellNamer(labels, labels_given, ("value",))
    matrix, raw_exact = _to_float_matrix(raw.reshape(-1, 1), where)
    infinite = np.isinf(matrix)
    if infinite.any():
        msg = f"values must be finite; infinite at {where.cells(infinite)}"
        raise InvalidValueError(msg)
    return matrix, raw_exact, labels, labels_given


def _indicator_names(
    given: Sequence[str] | None, from_frame: tuple[str, ...] | None, n_indicators: int
) -> tuple[str, ...]:
    if given is None:
        names = from_frame if from_frame is not None else tuple(map(str, range(n_indicators)))
    else:
        if isinstance(given, str) or len(given) != n_indicators:
            msg = (
                f"indicator_names must name each of the {n_indicators} indicator columns; "
                f"got {given!r}"
            )
            raise InvalidValueError(msg, code="length_mismatch")
        names = tuple(str(name) for name in given)
    if len(set(names)) != len(names):
        repeated = sorted({name for name in names if names.count(name) > 1})
        msg = f"indicator names must be unique; repeated: {repeated}"
        raise InvalidValueError(msg, code="duplicate_column")
    return names


def _unit_labels(
    given: Sequence[Hashable] | None, from_frame: tuple[Hashable, ...] | None, n_units: int
) -> tuple[tuple[Hashable, ...], bool]:
    if given is not None:
        labels = tuple(given)
        if isinstance(given, str) or len(labels) != n_units:
            msg = f"unit_labels must have one label per unit ({n_units}); got {len(labels)}"
            raise InvalidValueError(msg, code="length_mismatch")
        return labels, True
    if from_frame is not None:
        return from_frame, True
    return tuple(range(n_units)), False


def _to_float_matrix(
    raw: npt.NDArray[Any], where: _CellNamer
) -> tuple[FloatArray, npt.NDArray[np.object_] | None]:
    """Convert to float64; keep the object cells when some of them are exact numbers."""
    if raw.dtype.kind in "biuf":
        # A copy: the result's arrays are made read-only, the caller's must stay as they were.
        return np.array(raw, dtype=np.float64, order="C", copy=True), None
    if raw.dtype.kind != "O":
        first = raw.flat[0] if raw.size else None
        msg = (
            f"values must hold real numbers; got an array of dtype {raw.dtype} "
            f"(first cell {first!r})"
        )
        raise InvalidTypeError(msg, code="not_a_number")
    flat = raw.ravel()
    bad = np.fromiter((not _is_number_or_missing(cell) for cell in flat), np.bool_, flat.size)
    if bad.any():
        first = flat[int(np.flatnonzero(bad)[0])]
        msg = (
            f"values must hold real numbers; not a number at {where.cells(bad.reshape(raw.shape))} "
            f"(first: {first!r}, {type(first).__name__})"
        )
        raise InvalidTypeError(msg, code="not_a_number")
    matrix = np.fromiter(
        (np.nan if is_missing(cell) else float(cell) for cell in flat), np.float64, flat.size
    ).reshape(raw.shape)
    has_exact = any(isinstance(cell, Decimal | Fraction) for cell in flat)
    return matrix, (np.ascontiguousarray(raw, dtype=object) if has_exact else None)


def _is_number_or_missing(cell: object) -> bool:
    return is_missing(cell) or isinstance(
        cell, bool | np.bool_ | int | float | Decimal | Fraction | np.integer | np.floating
    )


def _exact_number(number: object, *, what: str) -> Fraction:
    """Read an int, float, decimal text, Decimal or Fraction as an exact fraction."""
    if isinstance(number, _BOOL_TYPES) or not isinstance(number, _EXACT_NUMBER_TYPES):
        msg = (
            f"{what} must be a number (int, float, decimal text, Decimal or Fraction); "
            f"got {number!r} ({type(number).__name__})"
        )
        raise InvalidTypeError(msg, code="not_a_number")
    try:
        if isinstance(number, np.integer | np.floating):
            return to_fraction(number.item())
        return to_fraction(number.strip() if isinstance(number, str) else number)
    except (ValueError, ArithmeticError) as error:  # text that is no number, NaN, infinity, 1/0
        msg = f"{what} must be a finite number; got {number!r}"
        raise InvalidValueError(msg, code="not_a_number") from error


def _per_indicator(spec: object, names: tuple[str, ...], argument: str) -> list[object]:
    """Return one entry per indicator from a sequence (by position) or a mapping (by name)."""
    if isinstance(spec, pd.Series):
        spec = dict(spec.items())
    if isinstance(spec, Mapping):
        by_name = {str(key): item for key, item in spec.items()}
        absent = [name for name in names if name not in by_name]
        unknown = sorted(set(by_name) - set(names))
        if absent or unknown:
            msg = (
                f"{argument} must have one entry per indicator {list(names)}; "
                f"missing {absent}, unknown {unknown}"
            )
            raise InvalidValueError(msg, code="length_mismatch")
        return [by_name[name] for name in names]
    if isinstance(spec, np.ndarray) and spec.ndim == 1:
        spec = spec.tolist()
    if isinstance(spec, Sequence) and not isinstance(spec, str | bytes):
        items: list[object] = list(spec)
    else:
        msg = (
            f"{argument} must be a sequence with one entry per indicator, or a mapping from "
            f"indicator name; got {spec!r}"
        )
        raise InvalidTypeError(msg)
    if len(items) != len(names):
        msg = (
            f"{argument} must have one entry per indicator: expected {len(names)} "
            f"({', '.join(names)}), got {len(items)}"
        )
        raise InvalidValueError(msg, code="length_mismatch")
    return items


def _read_standards(standards: object, names: tuple[str, ...]) -> tuple[Fraction, ...]:
    items = _per_indicator(standards, names, "standards")
    return tuple(
        _exact_number(item, what=f"the standard of indicator {name!r}")
        for item, name in zip(items, names, strict=True)
    )


def _read_directions(directions: object, names: tuple[str, ...]) -> tuple[Comparator, ...]:
    items = (
        [directions] * len(names)
        if isinstance(directions, str)
        else _per_indicator(directions, names, "directions")
    )
    result: list[Comparator] = []
    for item, name in zip(items, names, strict=True):
        if item not in _COMPARATORS:
            choices = ", ".join(repr(choice) for choice in _COMPARATORS)
            msg = f"the direction of indicator {name!r} must be one of {choices}; got {item!r}"
            raise InvalidArgumentError(msg, code="invalid_option")
        result.append(_COMPARATORS[_COMPARATORS.index(item)])
    return tuple(result)


def _read_min_met(min_met: object, n_indicators: int) -> int:
    if min_met is None:
        return n_indicators
    if isinstance(min_met, _BOOL_TYPES) or not isinstance(min_met, int | np.integer):
        msg = f"min_met must be an integer; got {min_met!r} ({type(min_met).__name__})"
        raise InvalidTypeError(msg)
    if not 0 <= int(min_met) <= n_indicators:
        msg = f"min_met must be in [0, {n_indicators}] (the number of indicators); got {min_met}"
        raise InvalidArgumentError(msg)
    return int(min_met)


def _read_floor_ratio(floor_ratio: object) -> Fraction | None:
    if floor_ratio is None:
        return None
    ratio = _exact_number(floor_ratio, what="floor_ratio")
    if not 0 < ratio <= 1:
        msg = f"floor_ratio must be in (0, 1], e.g. 0.85 for 85%; got {floor_ratio!r}"
        raise InvalidArgumentError(msg)
    return ratio


def _floors(
    standards: tuple[Fraction, ...],
    comparators: tuple[Comparator, ...],
    ratio: Fraction,
    names: tuple[str, ...],
) -> tuple[Fraction, ...]:
    """Return the exact floors: ``ratio × standard`` below, ``standard / ratio`` above."""
    floors: list[Fraction] = []
    for standard, comparator, name in zip(standards, comparators, names, strict=True):
        if standard <= 0:
            msg = (
                f"the standard of indicator {name!r} must be > 0 when floor_ratio is given (a "
                f"floor is a share of its standard); got {_fraction_text(standard)}"
            )
            raise InvalidValueError(msg)
        floors.append(standard * ratio if comparator in _LOWER_BOUNDS else standard / ratio)
    return tuple(floors)


def _read_flags(passed: Any, *, name: str) -> BoolArray:  # noqa: ANN401 - any array-like
    labels = index_labels(passed)
    raw = passed.to_numpy() if isinstance(passed, pd.Series) else np.asarray(passed)
    if raw.ndim != 1:
        msg = f"{name} must be 1-dimensional (one flag per unit); got shape {raw.shape}"
        raise InvalidValueError(msg, code="bad_shape")
    if raw.dtype.kind == "b":
        return raw.astype(np.bool_, copy=False)
    if raw.dtype.kind == "O":
        bad = np.fromiter(
            (
                not isinstance(item, bool | np.bool_ | int | float | np.integer | np.floating)
                for item in raw
            ),
            np.bool_,
            raw.size,
        )
        if bad.any():
            msg = (
                f"{name} must hold booleans; position {positions(bad, labels)} holds "
                f"{raw[int(np.flatnonzero(bad)[0])]!r}"
            )
            raise InvalidTypeError(msg, code="not_a_boolean")
        raw = raw.astype(np.float64)
    if raw.dtype.kind not in "iuf":
        msg = f"{name} must hold booleans; got an array of dtype {raw.dtype}"
        raise InvalidTypeError(msg, code="not_a_boolean")
    numbers = raw.astype(np.float64)
    bad = ~((numbers == 0) | (numbers == 1))
    if bad.any():
        msg = (
            f"{name} must hold booleans (or 0/1); position {positions(bad, labels)} holds "
            f"{numbers[int(np.flatnonzero(bad)[0])]!r}"
        )
        raise InvalidValueError(msg, code="not_a_boolean")
    return np.equal(numbers, 1.0)


def _read_weights(weights: Any, size: int) -> FloatArray:  # noqa: ANN401 - any array-like
    unit_weights = as_weights(weights, size)
    missing = np.isnan(unit_weights)
    if missing.any():
        msg = f"weights are missing (NaN) at position {positions(missing, index_labels(weights))}"
        raise InvalidValueError(msg, code="missing_value")
    return unit_weights


def _group_codes(groups: Any, size: int) -> tuple[IntArray, Any]:  # noqa: ANN401 - any labels
    labels = index_labels(groups)
    # A Series keeps its dtype (categories keep their order); a plain list is read by pandas,
    # which, unlike numpy.asarray, never turns a mix of numbers and text into text.
    raw = groups if isinstance(groups, pd.Series | np.ndarray) else pd.Series(list(groups))
    if raw.ndim != 1 or raw.shape[0] != size:
        msg = f"groups must have one label per unit: expected {size}, got shape {raw.shape}"
        raise InvalidValueError(msg, code="length_mismatch")
    try:
        codes, uniques = pd.factorize(raw, sort=True)
    except TypeError as error:
        msg = f"group labels must be sortable together (all text or all numbers): {error}"
        raise InvalidTypeError(msg) from error
    missing = codes < 0
    if missing.any():
        msg = f"groups are missing at position {positions(missing, labels)}"
        raise InvalidValueError(msg, code="missing_value")
    return codes.astype(np.int64), uniques


def _check_confidence(confidence: float) -> None:
    if not (isinstance(confidence, float | int) and 0 < confidence < 1):
        msg = f"confidence must be in (0, 1), e.g. 0.95; got {confidence!r}"
        raise InvalidArgumentError(msg)


# --------------------------------------------------------------------------------------------
# Computation
# --------------------------------------------------------------------------------------------


def _object_array(items: Sequence[Fraction]) -> npt.NDArray[np.object_]:
    array = np.empty(len(items), dtype=object)
    array[:] = list(items)
    return array


def _exact_lookup(
    matrix: FloatArray,
    raw_exact: npt.NDArray[np.object_] | None,
    exact_values: ExactValues | None,
    where: _CellNamer,
) -> _Lookup | None:
    """Return the lookup of exact cell values that :func:`compare` should use, checked."""
    if exact_values is None and raw_exact is None:
        return None
    n_columns = matrix.shape[1]

    def lookup(flat: npt.NDArray[Any]) -> list[Fraction]:
        if exact_values is None:
            assert raw_exact is not None  # noqa: S101 - narrowed by the early return above
            return [to_fraction(raw_exact.flat[index]) for index in flat]
        returned = list(exact_values(flat))
        if len(returned) != flat.size:
            msg = f"exact_values returned {len(returned)} values for {flat.size} cells"
            raise InvalidValueError(msg)
        checked: list[Fraction] = []
        for index, number in zip(flat.tolist(), returned, strict=True):
            row, column = divmod(index, n_columns)
            exact = _exact_number(number, what=f"exact_values at {where.cell(row, column)}")
            approximate = float(matrix.flat[index])
            if not abs(float(exact) - approximate) <= NEAR * max(1.0, abs(approximate)):
                msg = (
                    f"exact_values gave {_fraction_text(exact)} at {where.cell(row, column)}, "
                    f"whose value is {approximate!r}; the exact value must round to the value"
                )
                raise InvalidValueError(msg)
            checked.append(exact)
        return checked

    return lookup


def _decide(
    matrix: FloatArray,
    standards: tuple[Fraction, ...],
    floors: tuple[Fraction, ...] | None,
    comparators: tuple[Comparator, ...],
    lookup: _Lookup | None,
) -> tuple[BoolArray, BoolArray]:
    """Return ``met`` and ``within_floor``, one :func:`compare` call per comparator present."""
    n_columns = matrix.shape[1]
    met = np.zeros(matrix.shape, dtype=np.bool_)
    within_floor = np.ones(matrix.shape, dtype=np.bool_)
    directions = np.asarray(comparators, dtype=object)
    standard_objects = _object_array(standards)
    floor_objects = None if floors is None else _object_array(floors)
    for comparator in _COMPARATORS:  # at most four passes, one per kind of standard
        columns = np.flatnonzero(directions == comparator)
        if columns.size == 0:
            continue
        sub_lookup = _column_lookup(lookup, columns, n_columns)
        block = matrix[:, columns]
        met[:, columns] = compare(
            block,
            standard_objects[columns].astype(np.float64),
            comparator,
            exact_thresholds=standard_objects[columns],
            exact_values=sub_lookup,
        )
        if floor_objects is not None:
            inclusive: Comparator = ">=" if comparator in _LOWER_BOUNDS else "<="
            reaches = compare(
                block,
                floor_objects[columns].astype(np.float64),
                inclusive,
                exact_thresholds=floor_objects[columns],
                exact_values=sub_lookup,
            )
            within_floor[:, columns] = met[:, columns] | reaches
    return met, within_floor


def _column_lookup(lookup: _Lookup | None, columns: IntArray, n_columns: int) -> _Lookup | None:
    """Translate flat indices into a column block back to flat indices into the matrix."""
    if lookup is None:
        return None

    def sub_lookup(flat: npt.NDArray[Any]) -> list[Fraction]:
        rows, local = np.divmod(flat, columns.size)
        return lookup(rows * n_columns + columns[local])

    return sub_lookup


def _shortfalls(
    matrix: FloatArray,
    met: BoolArray,
    standards: FloatArray,
    comparators: tuple[Comparator, ...],
) -> tuple[FloatArray, FloatArray]:
    upper = np.array([comparator not in _LOWER_BOUNDS for comparator in comparators])
    gap = np.where(upper, matrix - standards, standards - matrix)
    # An exact "not met" can sit on a float gap of 0 (or a rounding hair below): clip at 0.
    shortfall = np.where(met, 0.0, np.maximum(gap, 0.0))
    positive = np.broadcast_to(standards > 0, matrix.shape)
    share = np.full(matrix.shape, np.nan)
    np.divide(shortfall, standards, out=share, where=positive)
    return shortfall, share


def _rate(
    flags: BoolArray,
    unit_weights: FloatArray,
    *,
    basis: Literal["units", "weights", "pupils"],
    confidence: float,
    n_omitted: int,
) -> AttainmentRate:
    weight_sum = math.fsum(unit_weights.tolist())
    weight_passed = math.fsum(unit_weights[flags].tolist())
    status: Literal["ok", "undefined"] = "ok"
    rate = n_effective = ci_low = ci_high = math.nan
    if weight_sum == 0:
        status = "undefined"
        warnings.warn(
            "no unit (or no weight) is left to take the attainment share of; it is undefined",
            DegenerateDataWarning,
            stacklevel=3,
        )
    else:
        rate = weight_passed / weight_sum
        # Sorted first: the sums inside then do not depend on the order of the units.
        n_effective = kish_effective_size(np.sort(unit_weights))
        interval = wilson_interval(rate, n_effective, confidence=confidence)
        ci_low, ci_high = interval.low, interval.high
    return AttainmentRate(
        rate=rate,
        status=status,
        n_units=int(flags.size),
        n_passed=int(np.count_nonzero(flags)),
        n_omitted=n_omitted,
        weight_sum=weight_sum,
        weight_passed=weight_passed,
        n_effective=n_effective,
        basis=basis,
        confidence=confidence,
        ci_low=ci_low,
        ci_high=ci_high,
    )


# --------------------------------------------------------------------------------------------
# Presentation helpers
# --------------------------------------------------------------------------------------------


def _names_per_row(mask: BoolArray, names: tuple[str, ...]) -> npt.NDArray[np.object_]:
    """Return, per row, the tuple of the names of the flagged columns.

    Rows share few distinct patterns, so each pattern is turned into its tuple once.
    """
    if mask.shape[1] <= _MAX_BITS:
        # One integer per row, bit k set when column k is flagged: unique on integers is fast.
        bits = np.left_shift(np.int64(1), np.arange(mask.shape[1], dtype=np.int64))
        codes, which = np.unique(mask.astype(np.int64) @ bits, return_inverse=True)
        patterns = (codes[:, None] & bits) != 0
    else:
        patterns, which = np.unique(mask, axis=0, return_inverse=True)
    tuples = np.empty(patterns.shape[0], dtype=object)
    tuples[:] = [tuple(name for name, on in zip(names, row, strict=True) if on) for row in patterns]
    return tuples[which.reshape(-1)]


def _fraction_text(value: Fraction) -> str:
    """Return a fraction as a terminating decimal when it has one (``"3.57"``), else ``"p/q"``."""
    denominator = value.denominator
    twos = fives = 0
    while denominator % 2 == 0:
        denominator //= 2
        twos += 1
    while denominator % 5 == 0:
        denominator //= 5
        fives += 1
    if denominator != 1:
        return f"{value.numerator}/{value.denominator}"
    places = max(twos, fives)
    digits = abs(value.numerator) * 10**places // value.denominator
    sign = "-" if value < 0 else ""
    if places == 0:
        return f"{sign}{digits}"
    whole, fraction = divmod(digits, 10**places)
    return f"{sign}{whole}.{fraction:0{places}d}"


def _array_json(array: npt.NDArray[Any]) -> JSONValue:
    """Return an array as nested lists, NaN and infinities as ``None``, in one vectorized pass.

    The generic encoder visits every element in Python; at national scale (10⁵ units × 7
    indicators, several matrices) that takes seconds, this takes milliseconds.
    """
    if array.dtype.kind != "f":
        return array.tolist()  # type: ignore[no-any-return]  # bool, int, str: JSON-safe
    cells = array.astype(object)
    cells[~np.isfinite(array)] = None
    return cells.tolist()  # type: ignore[no-any-return]  # floats and None


def _label_json(label: Hashable) -> JSONValue:
    if label is None or isinstance(label, str | int | float | bool | np.integer | np.floating):
        return to_jsonable(label)
    return str(label)
