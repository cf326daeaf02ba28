r"""Coefficient of variation (差异系数): scalar, grouped, and mergeable sufficient statistics.

The official Chinese inter-school 差异系数 is the enrolment-weighted coefficient of variation in
population form (docs: The national method, The coefficient of variation; docs: API reference,
eduequity.core):

.. math::

    \bar{x} = \frac{\sum_i w_i x_i}{\sum_i w_i}, \qquad
    S = \sqrt{\frac{\sum_i w_i (x_i - \bar{x})^2}{\sum_i w_i}}, \qquad
    CV = \frac{S}{\bar{x}}

Three layers share one numerical kernel; the scalar and grouped results agree bit for bit:

- :func:`coefficient_of_variation` -- one set of units (one county, stage and indicator);
- :func:`coefficient_of_variation_by_group` -- every group of a national table in one
  vectorized pass;
- :class:`VariationStatistics` and :class:`GroupedVariationStatistics` -- the sufficient
  statistics (units, weight sum, mean, sum of squared deviations), merged with the parallel
  formula of Chan, Golub and LeVeque (exact in real arithmetic, backward stable in floating
  point), so chunks of a table can be reduced independently and combined.

The kernel sorts each group by ``(value, weight)`` before summing, so the result does not depend
on row order (docs: API reference, eduequity.core, property 6), shifts each group by its smallest
value before the first pass, and computes the squared deviations in a second, corrected pass. The
one-pass form :math:`E[x^2] - E[x]^2` is never used.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Hashable, Sequence
from typing import Any, Final, Literal, NamedTuple, Self, TypeAlias

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from eduequity._scaling import group_exponents
from eduequity._serialize import Record, to_jsonable
from eduequity._typing import ArrayLike1D, BoolArray, FloatArray, IntArray, JSONValue, NanPolicy
from eduequity._validation import (
    NAN_POLICIES,
    apply_nan_policy,
    as_float_array,
    as_weights,
    check_option,
    index_labels,
    positions,
)
from eduequity.errors import (
    DegenerateDataWarning,
    InvalidArgumentError,
    InvalidTypeError,
    InvalidValueError,
)

__all__ = [
    "GroupedVariationStatistics",
    "VariationStatistics",
    "WeightKind",
    "coefficient_of_variation",
    "coefficient_of_variation_by_group",
]

WeightKind: TypeAlias = Literal["share", "frequency"]
"""How weights are read: population shares (the China CV) or counts of identical observations."""

GroupLabels: TypeAlias = "Sequence[Hashable] | npt.NDArray[np.generic] | pd.Series | pd.Index"
"""One group label per unit: a list, an ndarray, a Series or an Index."""

WEIGHT_KINDS: Final[tuple[WeightKind, ...]] = ("share", "frequency")

_Measure: TypeAlias = Literal["variance", "std", "cv"]

_MEASURE_NAMES: Final[dict[_Measure, str]] = {
    "variance": "the variance",
    "std": "the standard deviation",
    "cv": "the coefficient of variation",
}

_RADIX_GROUPS: Final = 2**16

_REQUIRED_FRAME_COLUMNS: Final = ("count", "weight_sum", "mean", "sum_squared_deviations")


# --------------------------------------------------------------------------------------------
# Degenerate cases: one table, shared by the scalar and the grouped results.


class _Reason(NamedTuple):
    code: str | None
    """Warning code (docs: Input tables), or ``None`` when nothing is worth a warning."""
    status: str
    """Result status (docs: API reference, eduequity.core)."""
    text: str
    """What happened; ``{measure}`` and ``{ddof}`` are filled in."""


_OK: Final = 0
_INCOMPLETE: Final = 1
_EMPTY: Final = 2
_NO_DOF_SINGLE: Final = 3
_TOO_FEW: Final = 4
_ZERO_MEAN: Final = 5
_NEGATIVE_MEAN: Final = 6
_SINGLE_UNIT: Final = 7

_REASONS: Final[tuple[_Reason, ...]] = (
    _Reason(None, "ok", ""),
    _Reason(None, "incomplete", ""),
    _Reason(
        "empty_input",
        "too_few_units",
        "no unit with a positive weight, so {measure} is undefined (NaN)",
    ),
    _Reason(
        "single_unit",
        "too_few_units",
        "a single unit leaves no degrees of freedom for ddof={ddof}, "
        "so {measure} is undefined (NaN)",
    ),
    _Reason(
        "too_few_units",
        "too_few_units",
        "the weight sum does not exceed ddof={ddof}, so {measure} is undefined (NaN)",
    ),
    _Reason(
        "zero_mean",
        "undefined",
        "the mean is 0, so {measure} is undefined (NaN, never 0)",
    ),
    _Reason(
        "negative_mean",
        "undefined",
        "the mean is negative, so {measure} is not meaningful (NaN)",
    ),
    _Reason(
        "single_unit",
        "ok",
        "a single unit has no dispersion, so {measure} is 0",
    ),
)


# --------------------------------------------------------------------------------------------
# The numerical kernel.


class _Moments(NamedTuple):
    """Per-group sufficient statistics as parallel arrays."""

    units: IntArray
    weight_sum: FloatArray
    mean: FloatArray
    sum_squared_deviations: FloatArray


class _ScaledMoments(NamedTuple):
    """Per-group statistics of values and weights scaled by powers of two, with the powers.

    Group ``g``'s values are multiplied by ``2**-value_exponent[g]`` and its weights by
    ``2**-weight_exponent[g]``, exact powers of two that bring magnitudes beyond ``2**±256``
    into ``[0.5, 1)`` (:mod:`eduequity._scaling`; 0 otherwise): no sum can overflow or
    underflow, and the statistics are those of the unscaled data times the powers of two.
    """

    moments: _Moments
    value_exponent: IntArray
    weight_exponent: IntArray


def _accumulate(
    values: FloatArray,
    weights: FloatArray,
    codes: IntArray,
    n_groups: int,
    *,
    weight_order: IntArray | None = None,
) -> _ScaledMoments:
    """Return the scaled statistics of every group; ``codes`` give each unit's group.

    Units with a zero weight are left out (they contribute nothing). A group holding a NaN value
    or weight (only possible under ``nan_policy="propagate"``) gets NaN weight sum, mean and
    sum of squared deviations. ``weight_order`` is the weights' sort order
    (:func:`_weight_order`) when several sets of values share the weights; it is used only
    when every unit is used.
    """
    nan_rows = np.isnan(values) | np.isnan(weights)
    has_nan = np.bincount(codes[nan_rows], minlength=n_groups) > 0
    # A NaN value makes its unit count even at weight 0: the group's result is then NaN.
    count = np.bincount(codes[(weights != 0) | nan_rows], minlength=n_groups).astype(np.int64)

    used = ~nan_rows & (weights > 0)
    if not used.all():
        values, weights, codes, weight_order = values[used], weights[used], codes[used], None
    # Adding 0.0 turns -0.0 into 0.0, so equal values are also equal bit for bit.
    x, w, g = _sorted_units(values + 0.0, weights, codes, n_groups, weight_order)
    first = np.ones(g.size, dtype=np.bool_)
    first[1:] = g[1:] != g[:-1]
    starts = np.flatnonzero(first)
    value_exponent = group_exponents(x, starts, g[starts], n_groups)
    weight_exponent = group_exponents(w, starts, g[starts], n_groups)
    if value_exponent.any():
        x = np.ldexp(x, -value_exponent[g])
    if weight_exponent.any():
        w = np.ldexp(w, -weight_exponent[g])

    weight_sum = np.asarray(np.bincount(g, weights=w, minlength=n_groups), dtype=np.float64)
    # Shift each group by its first (smallest) value: equal values give offsets of exactly 0,
    # and large magnitudes (1e9 + noise) leave small, exactly computed offsets.
    shift = np.zeros(n_groups, dtype=np.float64)
    shift[g[first]] = x[first]
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = shift + np.bincount(g, weights=w * (x - shift[g]), minlength=n_groups) / weight_sum
        deviation = x - mean[g]
        weighted_deviation = w * deviation
        # Second pass, corrected for the rounding error of the mean (Chan, Golub & LeVeque
        # 1983, eq. 1.7): the subtracted term is exactly 0 in exact arithmetic.
        residual = np.bincount(g, weights=weighted_deviation, minlength=n_groups)
        squares = np.bincount(g, weights=weighted_deviation * deviation, minlength=n_groups)
        corrected = squares - residual * residual / weight_sum
    present = weight_sum > 0
    sum_squared_deviations = np.where(present, np.maximum(corrected, 0.0), 0.0)
    mean = np.where(present, mean, np.nan)

    weight_sum = np.where(has_nan, np.nan, weight_sum)
    mean = np.where(has_nan, np.nan, mean)
    sum_squared_deviations = np.where(has_nan, np.nan, sum_squared_deviations)
    moments = _Moments(count, weight_sum, mean, sum_squared_deviations)
    return _ScaledMoments(moments, value_exponent, weight_exponent)


def _unscaled(scaled: _ScaledMoments, labels: pd.Index[Any] | None) -> _Moments:
    """Return the statistics in the units of the data, or raise if float64 cannot hold them.

    The weight sum and the sum of squared deviations of extreme data (values beyond about
    ``1e±154``, weights beyond ``1e±308`` in total) may lie outside the float64 range even
    though their CV does not: :func:`coefficient_of_variation` computes that from the scaled
    statistics, but stored statistics must be in the units of the data.
    """
    moments, value_exponent, weight_exponent = scaled
    square_exponent = 2 * value_exponent + weight_exponent
    with np.errstate(over="ignore", under="ignore"):
        weight_sum = np.ldexp(moments.weight_sum, weight_exponent)
        mean = np.ldexp(moments.mean, value_exponent)
        sum_squared_deviations = np.ldexp(moments.sum_squared_deviations, square_exponent)
    smallest = np.finfo(np.float64).tiny
    lost = (
        np.isinf(weight_sum)
        | np.isinf(sum_squared_deviations)
        | ((moments.sum_squared_deviations > 0) & (sum_squared_deviations < smallest))
    )
    if lost.any():
        where = f" in group {positions(lost, labels)}" if labels is not None else ""
        msg = (
            "values or weights are too large or too small for their weight sum or sum of "
            f"squared deviations to be stored in float64{where} (largest finite value "
            f"{np.finfo(np.float64).max:.3g}, smallest full-precision value {smallest:.3g}); "
            "coefficient_of_variation and coefficient_of_variation_by_group compute the CV of "
            "such data exactly, or rescale them"
        )
        raise InvalidValueError(msg, code="invalid_value")
    return _Moments(moments.units, weight_sum, mean, sum_squared_deviations)


def _sorted_units(
    values: FloatArray,
    weights: FloatArray,
    codes: IntArray,
    n_groups: int,
    weight_order: IntArray | None = None,
) -> tuple[FloatArray, FloatArray, IntArray]:
    """Return the units sorted by (group, value, weight).

    The sort fixes the order of every floating-point sum, so results are bit-identical under
    any permutation of the rows, and each group is summed exactly as it would be alone. Three
    stable sorts, least significant key first, give the order of a three-key lexsort at a
    fraction of its cost; weights that are small whole numbers (pupils) and group codes are
    sorted as 16-bit integers, which numpy radix-sorts. The first sort is skipped when the
    weights' order is given.
    """
    order = _weight_order(weights) if weight_order is None else weight_order
    order = order[np.argsort(values[order], kind="stable")]
    if n_groups > 1:
        key = codes[order]
        if n_groups <= _RADIX_GROUPS:
            key = key.astype(np.uint16)
        order = order[np.argsort(key, kind="stable")]
    return values[order], weights[order], codes[order]


def _weight_order(weights: FloatArray) -> IntArray:
    """Return the stable sort order of the weights, the least significant key of a unit."""
    return np.argsort(_radix_key(weights), kind="stable")


def _radix_key(weights: FloatArray) -> npt.NDArray[np.generic]:
    """Return the weights as 16-bit integers when that keeps their order exactly, else as is."""
    if weights.size and weights.max() < _RADIX_GROUPS and (weights == np.floor(weights)).all():
        return weights.astype(np.uint16)
    return weights


def _merge_moments(left: _Moments, right: _Moments) -> _Moments:
    """Combine two aligned sets of statistics (Chan, Golub & LeVeque's pairwise update).

    The operands are put in a canonical order (larger weight sum first, then smaller mean), so
    the merge is commutative bit for bit; an operand without units is the identity.
    """
    swap = (right.weight_sum > left.weight_sum) | (
        (right.weight_sum == left.weight_sum) & (right.mean < left.mean)
    )
    big_weight = np.where(swap, right.weight_sum, left.weight_sum)
    small_weight = np.where(swap, left.weight_sum, right.weight_sum)
    big_mean = np.where(swap, right.mean, left.mean)
    small_mean = np.where(swap, left.mean, right.mean)
    with np.errstate(invalid="ignore", divide="ignore"):
        weight_sum = big_weight + small_weight
        delta = small_mean - big_mean
        small_share = small_weight / weight_sum
        mean = big_mean + delta * small_share
        between = delta * delta * (big_weight * small_share)
    sum_squared_deviations = left.sum_squared_deviations + right.sum_squared_deviations + between

    left_empty = left.units == 0
    right_empty = right.units == 0
    weight_sum = np.where(
        left_empty, right.weight_sum, np.where(right_empty, left.weight_sum, weight_sum)
    )
    mean = np.where(left_empty, right.mean, np.where(right_empty, left.mean, mean))
    sum_squared_deviations = np.where(
        left_empty,
        right.sum_squared_deviations,
        np.where(right_empty, left.sum_squared_deviations, sum_squared_deviations),
    )
    return _Moments(left.units + right.units, weight_sum, mean, sum_squared_deviations)


def _evaluate(
    moments: _Moments, ddof: int, measure: _Measure, weight_exponent: IntArray | None = None
) -> tuple[FloatArray, IntArray]:
    """Return the measure of every group and the reason code of its degenerate case, if any.

    With ``weight_exponent`` the moments are those of :class:`_ScaledMoments` (only the CV,
    which does not depend on the scale of the values, is then meaningful): ``ddof`` is scaled
    like the weights.
    """
    count, weight_sum, mean, sum_squared_deviations = moments
    empty = count == 0
    incomplete = ~empty & (np.isnan(weight_sum) | np.isnan(mean) | np.isnan(sum_squared_deviations))
    scaled_ddof = ddof if weight_exponent is None else np.ldexp(float(ddof), -weight_exponent)
    denominator = weight_sum - scaled_ddof
    valid = ~empty & ~incomplete
    no_dof = valid & ~(denominator > 0)
    valid &= ~no_dof

    reasons = np.full(count.shape, _OK, dtype=np.int64)
    reasons[incomplete] = _INCOMPLETE
    reasons[empty] = _EMPTY
    reasons[no_dof & (count == 1)] = _NO_DOF_SINGLE
    reasons[no_dof & (count != 1)] = _TOO_FEW

    with np.errstate(invalid="ignore", divide="ignore"):
        variance = sum_squared_deviations / np.where(valid, denominator, 1.0)
        if measure == "cv":
            zero = valid & (mean == 0)
            negative = valid & (mean < 0)
            reasons[zero] = _ZERO_MEAN
            reasons[negative] = _NEGATIVE_MEAN
            valid &= ~(zero | negative)
            result = np.sqrt(variance) / np.where(valid, mean, 1.0)
        elif measure == "std":
            result = np.sqrt(variance)
        else:
            result = variance
    reasons[valid & (count == 1)] = _SINGLE_UNIT
    return np.where(valid, result, np.nan), reasons


def _status(reasons: IntArray) -> npt.NDArray[np.object_]:
    table = np.array([reason.status for reason in _REASONS], dtype=object)
    return table[reasons]


def _warn(
    reasons: IntArray,
    *,
    measure: _Measure,
    ddof: int,
    labels: pd.Index[Any] | None,
    stacklevel: int,
) -> None:
    """Emit one :class:`DegenerateDataWarning` covering every degenerate group, if any."""
    name = _MEASURE_NAMES[measure]
    found = [int(r) for r in np.unique(reasons) if _REASONS[int(r)].code is not None]
    if not found:
        return
    parts = []
    for reason_id in found:
        reason = _REASONS[reason_id]
        text = f"[{reason.code}] " + reason.text.format(measure=name, ddof=ddof)
        if labels is not None:
            mask = reasons == reason_id
            noun = "group" if int(mask.sum()) == 1 else "groups"
            text += f" in {noun} {positions(mask, labels)}"
        parts.append(text)
    if labels is None:
        message = "; ".join(parts)
    else:
        affected = int(np.isin(reasons, found).sum())
        message = f"{name} is degenerate in {affected} of {reasons.size} groups: " + "; ".join(
            parts
        )
    warnings.warn(DegenerateDataWarning(message), stacklevel=stacklevel + 1)


# --------------------------------------------------------------------------------------------
# Argument and input checks.


def _check_weight_kind(weight_kind: object) -> WeightKind:
    check_option(weight_kind, WEIGHT_KINDS, "weight_kind")
    return weight_kind  # type: ignore[return-value]


def _check_ddof(ddof: object, weight_kind: WeightKind) -> int:
    if isinstance(ddof, bool | np.bool_) or not isinstance(ddof, int | np.integer) or ddof < 0:
        msg = f"ddof must be a non-negative integer (0 or 1); got {ddof!r}"
        raise InvalidArgumentError(msg, code="invalid_option")
    if weight_kind == "share" and ddof != 0:
        msg = (
            f"ddof must be 0 with weight_kind='share'; got ddof={ddof}: a degrees-of-freedom "
            "correction has no meaning for population shares. "
            "Pass weight_kind='frequency' if unit i stands for w_i identical observations"
        )
        raise InvalidArgumentError(msg, code="invalid_option")
    return int(ddof)


def _stored_kind(weights: object, weight_kind: object) -> WeightKind:
    """Unweighted data are frequency data with unit weights: ddof then applies to ``n``."""
    kind = _check_weight_kind(weight_kind)
    return "frequency" if weights is None else kind


def _read_units(
    values: ArrayLike1D, weights: ArrayLike1D | None, nan_policy: NanPolicy
) -> tuple[FloatArray, FloatArray, BoolArray]:
    """Return checked values and weights (NaN left in place) and the mask of units to omit."""
    check_option(nan_policy, NAN_POLICIES, "nan_policy")
    array = as_float_array(values, name="values")
    labels = index_labels(values)
    infinite = np.isinf(array)
    if infinite.any():
        msg = f"values must be finite; infinite at position {positions(infinite, labels)}"
        raise InvalidValueError(msg, code="invalid_value")
    checked_weights = as_weights(weights, array.size)
    missing = np.isnan(array) | np.isnan(checked_weights)
    # Raises under "raise" with the positions; under "omit" the caller drops ``missing``.
    apply_nan_policy(array, checked_weights, nan_policy, labels=labels)
    omit = missing if nan_policy == "omit" else np.zeros(array.size, dtype=np.bool_)
    return array, checked_weights, omit


def _group_codes(groups: GroupLabels, size: int) -> tuple[IntArray, pd.Index[Any]]:
    """Return each unit's group code and the sorted unique labels, named after the groups."""
    name = groups.name if isinstance(groups, pd.Series | pd.Index) else None
    if isinstance(groups, pd.Series | pd.Index):
        series = pd.Series(groups.to_numpy(), copy=False)
    else:
        array = np.asarray(groups, dtype=object) if isinstance(groups, Sequence) else groups
        if np.ndim(array) != 1:
            msg = f"groups must be 1-dimensional; got shape {np.shape(array)}"
            raise InvalidValueError(msg, code="bad_shape")
        series = pd.Series(array, copy=False)
    if len(series) != size:
        msg = f"groups must have one label per value: expected {size}, got {len(series)}"
        raise InvalidValueError(msg, code="length_mismatch")
    try:
        codes, uniques = pd.factorize(series, sort=True)
        if uniques.dtype == object:
            labels = list(uniques)
            if labels != sorted(labels):
                raise TypeError  # noqa: TRY301 - pandas leaves incomparable labels unsorted
    except TypeError:
        msg = "groups must hold labels of one comparable type (all text or all numbers)"
        raise InvalidTypeError(msg, code="invalid_type") from None
    missing = codes < 0
    if missing.any():
        msg = f"groups hold a missing label at position {positions(missing, index_labels(groups))}"
        raise InvalidValueError(msg, code="missing_value")
    index = pd.Index(uniques, name="group" if name is None else name)
    return codes.astype(np.intp), index


def _readonly(values: Any, dtype: type[np.generic]) -> Any:  # noqa: ANN401 - array-like in, array out
    array = np.array(values, dtype=dtype)
    array.flags.writeable = False
    return array


def _as_counts(values: Any) -> IntArray:  # noqa: ANN401 - array-like in, array out
    array = np.asarray(values)
    if array.dtype.kind == "f":
        if not np.all(np.isfinite(array) & (array == np.round(array))):
            msg = "count must hold whole numbers of units"
            raise InvalidValueError(msg, code="non_integer_count")
    elif array.dtype.kind not in "iub":
        msg = f"count must hold whole numbers of units; got dtype {array.dtype}"
        raise InvalidTypeError(msg, code="not_a_number")
    return _readonly(array, np.int64)  # type: ignore[no-any-return]


def _as_count(value: object) -> int:
    number = float(value)  # type: ignore[arg-type]
    if not number.is_integer():
        msg = f"count must be a whole number of units; got {value!r}"
        raise InvalidValueError(msg, code="non_integer_count")
    return int(number)


def _validate_kind(_instance: object, _attribute: object, value: object) -> None:
    check_option(value, WEIGHT_KINDS, "weight_kind")


def _as_floats(values: Any) -> FloatArray:  # noqa: ANN401 - array-like in, array out
    return _readonly(values, np.float64)  # type: ignore[no-any-return]


def _check_moments(moments: _Moments, omitted: IntArray, labels: pd.Index[Any] | None) -> None:
    """Raise :class:`InvalidValueError` unless the statistics could come from real data."""
    count, weight_sum, mean, sum_squared_deviations = moments
    shapes = {array.shape for array in (*moments, omitted)}
    if len(shapes) != 1 or (labels is not None and shapes != {(len(labels),)}):
        msg = "count, weight_sum, mean, sum_squared_deviations and omitted_count must align"
        raise InvalidValueError(msg, code="bad_shape")
    empty = count == 0
    with np.errstate(invalid="ignore"):
        problems = {
            "count must be >= 0": count < 0,
            "omitted_count must be >= 0": omitted < 0,
            "weight_sum must be finite and >= 0 (or NaN)": np.isinf(weight_sum) | (weight_sum < 0),
            "mean must be finite (or NaN)": np.isinf(mean),
            "sum_squared_deviations must be finite and >= 0 (or NaN)": (
                np.isinf(sum_squared_deviations) | (sum_squared_deviations < 0)
            ),
            "units with positive weight need a positive weight_sum": ~empty & (weight_sum == 0),
            "statistics without units need weight_sum 0 and sum_squared_deviations 0": empty
            & ((weight_sum != 0) | (sum_squared_deviations != 0)),
            "a mean needs at least one unit": empty & ~np.isnan(mean),
        }
    for text, mask in problems.items():
        if mask.any():
            where = f" at group {positions(mask, labels)}" if labels is not None else ""
            raise InvalidValueError(f"{text}{where}", code="invalid_value")


def _units_accumulated(
    values: ArrayLike1D,
    groups: GroupLabels | None,
    weights: ArrayLike1D | None,
    nan_policy: NanPolicy,
) -> tuple[_ScaledMoments, pd.Index[Any] | None, IntArray]:
    """Read the units and return their scaled statistics, the group labels and omitted counts.

    Without ``groups`` all units form one group and the labels are ``None``.
    """
    array, checked_weights, omit = _read_units(values, weights, nan_policy)
    if groups is None:
        codes = np.zeros(array.size, dtype=np.intp)
        labels = None
    else:
        codes, labels = _group_codes(groups, array.size)
    n_groups = 1 if labels is None else len(labels)
    keep = ~omit
    scaled = _accumulate(array[keep], checked_weights[keep], codes[keep], n_groups)
    return scaled, labels, np.bincount(codes[omit], minlength=n_groups)


def _scaled_cv(
    scaled: _ScaledMoments, ddof: int, labels: pd.Index[Any] | None, *, stacklevel: int
) -> FloatArray:
    """Return the CV of every group from scaled statistics, warning about degenerate groups."""
    values, reasons = _evaluate(scaled.moments, ddof, "cv", scaled.weight_exponent)
    _warn(reasons, measure="cv", ddof=ddof, labels=labels, stacklevel=stacklevel + 1)
    return values


def cv_columns_by_code(values: FloatArray, codes: IntArray, weights: FloatArray) -> FloatArray:
    """Return the weighted CV of every column of ``values`` in every group, one pass per column.

    The kernel of adapters that hold many indicators of the same units (private): ``values``
    is ``n_units × n_columns``, ``codes`` are dense group codes ``0..n_groups-1`` (every code
    present), ``weights`` are share weights. The result (``n_columns × n_groups``) equals
    :func:`coefficient_of_variation_by_group` of each column bit for bit, degenerate groups
    included (NaN for a zero or negative mean, 0 for a single unit), without its warnings;
    the weights are sorted once for all columns.

    Raises
    ------
    InvalidValueError
        If a value is not finite, or a weight is not finite and positive.
    """
    if not (np.isfinite(values).all() and np.isfinite(weights).all() and (weights > 0).all()):
        msg = "values must be finite and weights finite and positive"
        raise InvalidValueError(msg, code="invalid_value")
    n_groups = int(codes.max(initial=-1)) + 1
    weight_order = _weight_order(weights)
    result = np.empty((values.shape[1], n_groups))
    for column in range(values.shape[1]):
        scaled = _accumulate(
            np.ascontiguousarray(values[:, column]),
            weights,
            codes,
            n_groups,
            weight_order=weight_order,
        )
        result[column] = _evaluate(scaled.moments, 0, "cv", scaled.weight_exponent)[0]
    return result


# --------------------------------------------------------------------------------------------
# Public API.


def coefficient_of_variation(
    values: ArrayLike1D,
    weights: ArrayLike1D | None = None,
    *,
    ddof: int = 0,
    nan_policy: NanPolicy = "raise",
    weight_kind: WeightKind = "share",
) -> float:
    r"""Return the (weighted) coefficient of variation, 差异系数 [1].

    With weights :math:`w_i` (the official 差异系数 weights each unit by its enrolment
    :math:`P_i`), :math:`W = \sum_i w_i` and :math:`\bar{x} = \sum_i w_i x_i / W`:

    .. math::

        CV = \frac{1}{\bar{x}} \sqrt{\frac{\sum_i w_i (x_i - \bar{x})^2}{D}}, \qquad
        D = \begin{cases}
            W & \text{share weights (population form, the default)}\\
            W - \mathrm{ddof} & \text{frequency weights}\\
            n - \mathrm{ddof} & \text{no weights}
        \end{cases}

    Parameters
    ----------
    values : array_like
        One value per unit :math:`x_i`, e.g. books per pupil [books/pupil]; finite.
    weights : array_like, optional
        One weight per unit :math:`w_i \ge 0`, e.g. enrolment [pupils]. Zero-weight units are
        allowed and contribute nothing. Default ``None``: every unit weighs 1.
    ddof : int, optional
        Delta degrees of freedom, 0 (default, population form) or more. With weights and
        ``weight_kind="share"`` only 0 is allowed.
    nan_policy : {"raise", "propagate", "omit"}, optional
        NaN in ``values`` or ``weights``: ``"raise"`` (default) raises naming the positions,
        ``"propagate"`` returns NaN, ``"omit"`` drops those units.
    weight_kind : {"share", "frequency"}, optional
        ``"share"`` (default): weights only set population shares, as in the China CV.
        ``"frequency"``: unit *i* stands for :math:`w_i` identical observations, so ``ddof``
        applies to :math:`W`. Ignored without weights.

    Returns
    -------
    float
        The coefficient of variation [dimensionless], or NaN in the undefined cases of Notes.

    Raises
    ------
    InvalidArgumentError
        If ``ddof`` is negative or not an integer, ``ddof != 0`` with share weights, or an
        option is unknown.
    InvalidTypeError
        If ``values`` or ``weights`` hold something other than real numbers.
    InvalidValueError
        If the input is not one-dimensional, the lengths differ, a value or weight is infinite,
        a weight is negative, all weights are zero, or NaN is present under
        ``nan_policy="raise"`` (the message names the positions, or the index labels of a
        Series).

    Warns
    -----
    DegenerateDataWarning
        For the degenerate cases of Notes; the message starts with the warning code.

    See Also
    --------
    coefficient_of_variation_by_group : The same measure for every group of a table at once.
    VariationStatistics : Mergeable sufficient statistics of this measure.
    scipy.stats.variation : The unweighted measure; equal to this one when the mean is positive.

    Notes
    -----
    Edge cases, in the order they are decided:

    ============================================== ====== ========================================
    case                                           result warning code (status)
    ============================================== ====== ========================================
    NaN under ``"propagate"``                      NaN    none (``incomplete``)
    no unit (empty input, or every unit omitted)   NaN    ``empty_input`` (``too_few_units``)
    one unit, :math:`D \le 0` (e.g. ``ddof=1``)    NaN    ``single_unit`` (``too_few_units``)
    several units, :math:`D \le 0`                 NaN    ``too_few_units`` (``too_few_units``)
    :math:`\bar{x} = 0`                            NaN    ``zero_mean`` (``undefined``); never 0
    :math:`\bar{x} < 0`                            NaN    ``negative_mean`` (``undefined``)
    one unit otherwise                             0.0    ``single_unit`` (``ok``)
    ============================================== ====== ========================================

    - A negative mean gives NaN, as the docs page API reference, eduequity.core requires; this
      deviates from
      :func:`scipy.stats.variation`, which returns a negative number.
    - ``nan_policy="omit"`` satisfies ``f(a, nan_policy="omit") == f(a[~np.isnan(a)])``
      exactly (a unit is also omitted when its weight is NaN).
    - A unit with zero weight is dropped before summing: ``f([1, 2, 9], [1, 1, 0])`` equals
      ``f([1, 2], [1, 1])`` exactly, and the unit does not count towards "one unit".
    - Integer frequency weights equal repeating each unit :math:`w_i` times; share weights equal
      the same repetition with ``ddof=0``.
    - The result does not depend on the order of the units, bit for bit, and equals
      :func:`coefficient_of_variation_by_group` on each group, bit for bit.
    - Variance is computed in two passes on values shifted by their minimum, with the
      rounding correction of [2]_; the one-pass :math:`E[x^2] - E[x]^2` cancels catastrophically
      and is not used. Nothing is rounded.
    - Values and weights beyond :math:`2^{\pm 256}` are scaled by exact powers of two (each
      group's largest magnitude into :math:`[1/2, 1)`) before summing, so that no sum of
      squares overflows or underflows:
      every finite input gives its CV, from values of 1e-300 to 1e300 and weights of any
      magnitude, and rescaling the values or the weights leaves it unchanged.

    References
    ----------
    .. [1] 教督〔2012〕3号, attachment 2 (explanatory note); docs: The national method, The
       coefficient of variation.
    .. [2] T. F. Chan, G. H. Golub, R. J. LeVeque, "Algorithms for computing the sample
       variance: analysis and recommendations", The American Statistician 37 (1983) 242-247.

    Examples
    --------
    The normative example of the docs page The national method, The coefficient of variation: books
    per pupil of five primary schools, weighted by enrolment.

    >>> pupils = [45, 37, 89, 76, 55]
    >>> books = [279, 137, 935, 160, 402]
    >>> per_pupil = [b / p for b, p in zip(books, pupils)]
    >>> round(coefficient_of_variation(per_pupil, pupils), 7)
    0.5152566

    Without weights it is the unweighted CV of :func:`scipy.stats.variation`, which does not
    reproduce the official figure:

    >>> round(coefficient_of_variation(per_pupil), 4)
    0.4888
    >>> round(coefficient_of_variation(per_pupil, ddof=1), 4)
    0.5465

    A zero mean is undefined, never 0:

    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     coefficient_of_variation([0.0, 0.0], [10, 20])
    nan
    """
    kind = _stored_kind(weights, weight_kind)
    checked_ddof = _check_ddof(ddof, kind)
    scaled, _, _ = _units_accumulated(values, None, weights, nan_policy)
    return float(_scaled_cv(scaled, checked_ddof, None, stacklevel=2)[0])


def coefficient_of_variation_by_group(
    values: ArrayLike1D,
    groups: GroupLabels,
    weights: ArrayLike1D | None = None,
    *,
    ddof: int = 0,
    nan_policy: NanPolicy = "raise",
    weight_kind: WeightKind = "share",
) -> pd.Series[float]:
    """Return the coefficient of variation (差异系数) of every group in one vectorized pass.

    Each group's value equals :func:`coefficient_of_variation` on that group's units, bit for
    bit, with the same conventions and edge cases.

    Parameters
    ----------
    values : array_like
        One value per unit, finite (see :func:`coefficient_of_variation`).
    groups : array_like or pandas.Series
        One label per unit, e.g. a county code; labels of one comparable type, none missing.
        Matched to ``values`` by position (indexes are not aligned).
    weights : array_like, optional
        One weight per unit, e.g. enrolment [pupils]; default ``None`` (unit weights).
    ddof, nan_policy, weight_kind
        As in :func:`coefficient_of_variation`.

    Returns
    -------
    pandas.Series
        Float CVs [dimensionless] named ``"cv"``, indexed by the sorted unique group labels.
        The index is named ``"group"``, or after ``groups`` when it is a named Series.

    Raises
    ------
    InvalidArgumentError, InvalidTypeError, InvalidValueError
        As in :func:`coefficient_of_variation`; also when ``groups`` has another length than
        ``values``, a missing label, or labels that cannot be sorted together.

    Warns
    -----
    DegenerateDataWarning
        Once per call, naming every degenerate group with its warning code (a group whose
        units were all omitted is ``empty_input``).

    See Also
    --------
    coefficient_of_variation : The same measure for one set of units.
    GroupedVariationStatistics : The per-group statistics, mergeable across chunks.

    Notes
    -----
    The computation sorts the units once by ``(group, value, weight)`` and sums each group with
    :func:`numpy.bincount`; there is no Python loop over groups.

    Examples
    --------
    >>> cv = coefficient_of_variation_by_group(
    ...     [6.0, 4.0, 2.0, 5.0, 5.0], ["b", "a", "a", "b", "b"], [10, 20, 20, 30, 40]
    ... )
    >>> cv.round(6).to_dict()
    {'a': 0.333333, 'b': 0.064531}
    >>> cv.index.name
    'group'
    """
    kind = _stored_kind(weights, weight_kind)
    checked_ddof = _check_ddof(ddof, kind)
    scaled, labels, _ = _units_accumulated(values, groups, weights, nan_policy)
    cv = _scaled_cv(scaled, checked_ddof, labels, stacklevel=2)
    return pd.Series(cv, index=labels, name="cv", dtype=np.float64)


def _check_kinds_match(
    left: WeightKind, right: WeightKind, *, left_empty: bool, right_empty: bool
) -> WeightKind:
    if left_empty:
        return right
    if not right_empty and left != right:
        msg = (
            f"cannot merge statistics with weight_kind={left!r} and weight_kind={right!r}; "
            "build every part with the same weights convention"
        )
        raise InvalidArgumentError(msg, code="invalid_option")
    return left


@attrs.frozen(kw_only=True)
class VariationStatistics(Record):
    r"""Mergeable sufficient statistics of a (weighted) coefficient of variation.

    The four numbers determine the mean, variance and CV of a set of units, and two sets
    merge without going back to the units: with :math:`\delta = \bar{x}_b - \bar{x}_a` and
    :math:`W = W_a + W_b`,

    .. math::

        \bar{x} = \bar{x}_a + \delta \frac{W_b}{W}, \qquad
        M = M_a + M_b + \delta^2 \frac{W_a W_b}{W}

    (Chan, Golub & LeVeque), where :math:`M = \sum_i w_i (x_i - \bar{x})^2`. No sum of squares
    of raw values is kept, so large magnitudes do not cancel: the merge is exact in real
    arithmetic and backward stable in floating point (its error is that of moving each partial
    mean by one rounding). :meth:`merge` is commutative bit for bit, associative up to
    rounding, and :meth:`empty` is its identity.

    Build instances with :meth:`from_values` or :meth:`empty`; the constructor checks that the
    numbers could come from data. The statistics are kept in the units of the data, so
    :meth:`from_values` raises :class:`~eduequity.errors.InvalidValueError` when float64 cannot
    hold them (e.g. values of 1e200, whose squares overflow); the CV of such data is still
    given by :func:`coefficient_of_variation`.

    Examples
    --------
    Two chunks of the normative example (docs: The national method, The coefficient of variation)
    merged:

    >>> pupils = [45, 37, 89, 76, 55]
    >>> per_pupil = [b / p for b, p in zip([279, 137, 935, 160, 402], pupils)]
    >>> first = VariationStatistics.from_values(per_pupil[:2], pupils[:2])
    >>> second = VariationStatistics.from_values(per_pupil[2:], pupils[2:])
    >>> whole = first.merge(second)
    >>> whole.count, whole.weight_sum, round(whole.mean, 5)
    (5, 302.0, 6.33444)
    >>> round(whole.cv(), 7)
    0.5152566
    """

    count: int = attrs.field(converter=_as_count)
    """Units with a non-zero weight (omitted and zero-weight units are not counted)."""
    weight_sum: float = attrs.field(converter=float)
    r""":math:`W = \sum_i w_i` [unit of the weights, e.g. pupils]; :math:`n` without weights."""
    mean: float = attrs.field(converter=float)
    r"""Weighted mean :math:`\bar{x}` [unit of the values]; NaN when there is no unit."""
    sum_squared_deviations: float = attrs.field(converter=float)
    r""":math:`M = \sum_i w_i (x_i - \bar{x})^2` [weight × value²]."""
    weight_kind: WeightKind = attrs.field(default="share", validator=_validate_kind)
    """``"share"`` or ``"frequency"``; statistics built without weights are ``"frequency"``."""
    omitted_count: int = attrs.field(default=0, converter=_as_count)
    """Units dropped because they held NaN under ``nan_policy="omit"``."""

    def __attrs_post_init__(self) -> None:
        _check_moments(self._moments(), np.array([self.omitted_count]), None)

    @classmethod
    def from_values(
        cls,
        values: ArrayLike1D,
        weights: ArrayLike1D | None = None,
        *,
        nan_policy: NanPolicy = "raise",
        weight_kind: WeightKind = "share",
    ) -> Self:
        """Return the statistics of one set of units.

        Parameters
        ----------
        values, weights, nan_policy, weight_kind
            As in :func:`coefficient_of_variation`. Without weights the statistics are
            ``"frequency"`` statistics with unit weights.

        Returns
        -------
        VariationStatistics

        Raises
        ------
        InvalidArgumentError, InvalidTypeError, InvalidValueError
            As in :func:`coefficient_of_variation`.
        """
        kind = _stored_kind(weights, weight_kind)
        scaled, _, omitted = _units_accumulated(values, None, weights, nan_policy)
        return cls._from_moments(_unscaled(scaled, None), kind, int(omitted[0]))

    @classmethod
    def empty(cls, *, weight_kind: WeightKind = "share") -> Self:
        """Return the statistics of no unit: the identity of :meth:`merge`.

        Examples
        --------
        >>> part = VariationStatistics.from_values([1.0, 3.0], [2, 2])
        >>> VariationStatistics.empty().merge(part) == part
        True
        """
        return cls(
            count=0,
            weight_sum=0.0,
            mean=math.nan,
            sum_squared_deviations=0.0,
            weight_kind=_check_weight_kind(weight_kind),
        )

    @classmethod
    def _from_moments(cls, moments: _Moments, weight_kind: WeightKind, omitted: int) -> Self:
        return cls(
            count=int(moments.units[0]),
            weight_sum=float(moments.weight_sum[0]),
            mean=float(moments.mean[0]),
            sum_squared_deviations=float(moments.sum_squared_deviations[0]),
            weight_kind=weight_kind,
            omitted_count=omitted,
        )

    def _moments(self) -> _Moments:
        return _Moments(
            np.array([self.count], dtype=np.int64),
            np.array([self.weight_sum]),
            np.array([self.mean]),
            np.array([self.sum_squared_deviations]),
        )

    @property
    def is_empty(self) -> bool:
        """Whether no unit with a positive weight has been seen."""
        return self.count == 0

    def merge(self, other: VariationStatistics) -> VariationStatistics:
        """Return the statistics of the union of both sets of units, exactly.

        Raises
        ------
        InvalidArgumentError
            If both are non-empty and their ``weight_kind`` differ.
        """
        kind = _check_kinds_match(
            self.weight_kind,
            other.weight_kind,
            left_empty=self.is_empty,
            right_empty=other.is_empty,
        )
        merged = _merge_moments(self._moments(), other._moments())
        return VariationStatistics._from_moments(
            merged, kind, self.omitted_count + other.omitted_count
        )

    def _measure(self, measure: _Measure, ddof: int, *, stacklevel: int) -> float:
        checked = _check_ddof(ddof, self.weight_kind)
        values, reasons = _evaluate(self._moments(), checked, measure)
        _warn(reasons, measure=measure, ddof=checked, labels=None, stacklevel=stacklevel + 1)
        return float(values[0])

    def variance(self, ddof: int = 0) -> float:
        """Return the variance :math:`M / D` [value²].

        ``D`` is as in :func:`coefficient_of_variation`. The degenerate cases that do not
        involve the mean apply (no unit, too few units, one unit); the mean's sign does not
        matter.
        """
        return self._measure("variance", ddof, stacklevel=2)

    def std(self, ddof: int = 0) -> float:
        r"""Return the standard deviation :math:`\sqrt{M / D}` [unit of the values]."""
        return self._measure("std", ddof, stacklevel=2)

    def cv(self, ddof: int = 0) -> float:
        """Return the coefficient of variation, exactly as :func:`coefficient_of_variation`."""
        return self._measure("cv", ddof, stacklevel=2)

    def cv_status(self, ddof: int = 0) -> str:
        """Return the status of :meth:`cv` without warning.

        One of ``"ok"`` (including the single unit, CV = 0), ``"undefined"`` (mean 0 or
        negative), ``"too_few_units"`` (no unit, or no degrees of freedom left) and
        ``"incomplete"`` (NaN under ``nan_policy="propagate"``).

        Examples
        --------
        >>> VariationStatistics.from_values([0.0, 0.0], [1, 1]).cv_status()
        'undefined'
        """
        checked = _check_ddof(ddof, self.weight_kind)
        _, reasons = _evaluate(self._moments(), checked, "cv")
        return str(_status(reasons)[0])


@attrs.frozen(kw_only=True, eq=False)
class GroupedVariationStatistics:
    """Per-group sufficient statistics of the coefficient of variation, as parallel arrays.

    The grouped counterpart of :class:`VariationStatistics`: :meth:`from_values` computes every
    group of a table in one vectorized pass, and :meth:`merge` combines two partial results
    by group label (the union of the labels; a group missing on one side is taken from the
    other), so the chunks or partitions of a national table can be reduced independently.
    :meth:`to_frame` and :meth:`from_frame` convert to and from a DataFrame for storage.
    The arrays are read-only; instances compare by identity.

    Examples
    --------
    >>> first = GroupedVariationStatistics.from_values(
    ...     [6.0, 4.0, 2.0], ["b", "a", "a"], [10, 20, 20]
    ... )
    >>> second = GroupedVariationStatistics.from_values([5.0, 5.0], ["b", "b"], [30, 40])
    >>> merged = first.merge(second)
    >>> merged.to_frame()[["count", "weight_sum", "mean"]]
           count  weight_sum   mean
    group
    a          2        40.0  3.000
    b          3        80.0  5.125
    >>> merged.cv().round(6).to_dict()
    {'a': 0.333333, 'b': 0.064531}
    """

    groups: pd.Index[Any] = attrs.field(converter=pd.Index)
    """Unique group labels, sorted by :meth:`from_values`; the index name names the grouping."""
    count: IntArray = attrs.field(converter=_as_counts)
    """Units with a non-zero weight, per group."""
    weight_sum: FloatArray = attrs.field(converter=_as_floats)
    """Sum of the weights per group [unit of the weights]."""
    mean: FloatArray = attrs.field(converter=_as_floats)
    """Weighted mean per group [unit of the values]; NaN for a group without units."""
    sum_squared_deviations: FloatArray = attrs.field(converter=_as_floats)
    """Weighted sum of squared deviations from the group mean [weight × value²]."""
    omitted_count: IntArray = attrs.field(converter=_as_counts)
    """Units dropped per group because they held NaN under ``nan_policy="omit"``."""
    weight_kind: WeightKind = attrs.field(validator=_validate_kind)
    """``"share"`` or ``"frequency"``; statistics built without weights are ``"frequency"``."""

    def __attrs_post_init__(self) -> None:
        if not self.groups.is_unique:
            duplicated = self.groups.duplicated()
            msg = f"groups must be unique; repeated label {positions(duplicated, self.groups)}"
            raise InvalidValueError(msg, code="duplicate_record")
        _check_moments(self._moments(), self.omitted_count, self.groups)

    def __len__(self) -> int:
        return len(self.groups)

    @classmethod
    def from_values(
        cls,
        values: ArrayLike1D,
        groups: GroupLabels,
        weights: ArrayLike1D | None = None,
        *,
        nan_policy: NanPolicy = "raise",
        weight_kind: WeightKind = "share",
    ) -> Self:
        """Return the statistics of every group, in one vectorized pass.

        Parameters
        ----------
        values, groups, weights, nan_policy, weight_kind
            As in :func:`coefficient_of_variation_by_group`. A group whose units are all
            omitted stays, with no unit.

        Returns
        -------
        GroupedVariationStatistics
            Indexed by the sorted unique labels.

        Raises
        ------
        InvalidArgumentError, InvalidTypeError, InvalidValueError
            As in :func:`coefficient_of_variation_by_group`.
        """
        kind = _stored_kind(weights, weight_kind)
        scaled, labels, omitted = _units_accumulated(values, groups, weights, nan_policy)
        assert labels is not None  # noqa: S101 - groups were given
        return cls._from_moments(labels, _unscaled(scaled, labels), omitted, kind)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, *, weight_kind: WeightKind) -> Self:
        """Return the statistics stored in ``frame`` (the output of :meth:`to_frame`).

        Parameters
        ----------
        frame : pandas.DataFrame
            Indexed by group label, with columns ``count``, ``weight_sum``, ``mean``,
            ``sum_squared_deviations`` and optionally ``omitted_count`` (default 0).
        weight_kind : {"share", "frequency"}
            The convention the statistics were built with (not stored in the frame).

        Raises
        ------
        InvalidValueError
            If a column is missing, a label is repeated, or the numbers could not come from
            data (negative counts, a negative sum of squares, ...).
        """
        missing = [column for column in _REQUIRED_FRAME_COLUMNS if column not in frame.columns]
        if missing:
            msg = f"frame lacks the column(s) {', '.join(missing)}"
            raise InvalidValueError(msg, code="missing_required_column")
        ordered = frame.sort_index()
        omitted = (
            ordered["omitted_count"].to_numpy()
            if "omitted_count" in ordered.columns
            else np.zeros(len(ordered), dtype=np.int64)
        )
        return cls(
            groups=ordered.index,
            count=ordered["count"].to_numpy(),
            weight_sum=ordered["weight_sum"].to_numpy(),
            mean=ordered["mean"].to_numpy(),
            sum_squared_deviations=ordered["sum_squared_deviations"].to_numpy(),
            omitted_count=omitted,
            weight_kind=_check_weight_kind(weight_kind),
        )

    @classmethod
    def empty(cls, *, weight_kind: WeightKind = "share", name: Hashable = "group") -> Self:
        """Return statistics without any group: the identity of :meth:`merge`."""
        return cls._from_moments(
            pd.Index([], name=name),
            _Moments(np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0), np.zeros(0)),
            np.zeros(0, dtype=np.int64),
            _check_weight_kind(weight_kind),
        )

    @classmethod
    def _from_moments(
        cls, groups: pd.Index[Any], moments: _Moments, omitted: IntArray, weight_kind: WeightKind
    ) -> Self:
        return cls(
            groups=groups,
            count=moments.units,
            weight_sum=moments.weight_sum,
            mean=moments.mean,
            sum_squared_deviations=moments.sum_squared_deviations,
            omitted_count=omitted,
            weight_kind=weight_kind,
        )

    def _moments(self) -> _Moments:
        return _Moments(self.count, self.weight_sum, self.mean, self.sum_squared_deviations)

    def _aligned(self, labels: pd.Index[Any]) -> tuple[_Moments, IntArray]:
        """Return the statistics laid out on ``labels``; absent groups have no unit."""
        size = len(labels)
        where = labels.get_indexer(self.groups)
        count = np.zeros(size, dtype=np.int64)
        weight_sum = np.zeros(size)
        mean = np.full(size, np.nan)
        sum_squared_deviations = np.zeros(size)
        omitted = np.zeros(size, dtype=np.int64)
        count[where] = self.count
        weight_sum[where] = self.weight_sum
        mean[where] = self.mean
        sum_squared_deviations[where] = self.sum_squared_deviations
        omitted[where] = self.omitted_count
        return _Moments(count, weight_sum, mean, sum_squared_deviations), omitted

    def merge(self, other: GroupedVariationStatistics) -> GroupedVariationStatistics:
        """Return the statistics of both sets of units, merged group by group exactly.

        Groups are matched by label; the result holds the sorted union of the labels. Each
        group is merged as :meth:`VariationStatistics.merge` would, bit for bit.

        Raises
        ------
        InvalidTypeError
            If the labels of the two sides cannot be sorted together.
        InvalidArgumentError
            If both hold units and their ``weight_kind`` differ.
        """
        kind = _check_kinds_match(
            self.weight_kind,
            other.weight_kind,
            left_empty=not self.count.any(),
            right_empty=not other.count.any(),
        )
        try:
            labels = self.groups.union(other.groups, sort=None)
            ordered = list(labels)
            if ordered != sorted(ordered):
                raise TypeError  # noqa: TRY301 - pandas leaves incomparable labels unsorted
        except TypeError:
            msg = "cannot merge groups whose labels are of incomparable types"
            raise InvalidTypeError(msg, code="invalid_type") from None
        name = self.groups.name if self.groups.name == other.groups.name else "group"
        labels = labels.rename(name)
        left, left_omitted = self._aligned(labels)
        right, right_omitted = other._aligned(labels)
        merged = _merge_moments(left, right)
        return GroupedVariationStatistics._from_moments(
            labels, merged, left_omitted + right_omitted, kind
        )

    def group(self, label: Hashable) -> VariationStatistics:
        """Return the statistics of one group.

        Raises
        ------
        InvalidArgumentError
            If there is no group ``label``.
        """
        if label not in self.groups:
            msg = f"no group {label!r} in the statistics"
            raise InvalidArgumentError(msg, code="unknown_value")
        position = int(self.groups.get_indexer(pd.Index([label]))[0])
        return VariationStatistics(
            count=int(self.count[position]),
            weight_sum=float(self.weight_sum[position]),
            mean=float(self.mean[position]),
            sum_squared_deviations=float(self.sum_squared_deviations[position]),
            weight_kind=self.weight_kind,
            omitted_count=int(self.omitted_count[position]),
        )

    def _measure(self, measure: _Measure, ddof: int, *, stacklevel: int) -> pd.Series[float]:
        checked = _check_ddof(ddof, self.weight_kind)
        values, reasons = _evaluate(self._moments(), checked, measure)
        _warn(reasons, measure=measure, ddof=checked, labels=self.groups, stacklevel=stacklevel + 1)
        return pd.Series(values, index=self.groups.copy(), name=measure, dtype=np.float64)

    def variance(self, ddof: int = 0) -> pd.Series[float]:
        """Return the variance of every group [value²], as :meth:`VariationStatistics.variance`."""
        return self._measure("variance", ddof, stacklevel=2)

    def std(self, ddof: int = 0) -> pd.Series[float]:
        """Return the standard deviation of every group [unit of the values]."""
        return self._measure("std", ddof, stacklevel=2)

    def cv(self, ddof: int = 0) -> pd.Series[float]:
        """Return the coefficient of variation of every group, named ``"cv"``.

        Degenerate groups give NaN or 0.0 as in :func:`coefficient_of_variation`, with one
        :class:`DegenerateDataWarning` naming all of them.
        """
        return self._measure("cv", ddof, stacklevel=2)

    def cv_status(self, ddof: int = 0) -> pd.Series[str]:
        """Return the status of every group's CV (see :meth:`VariationStatistics.cv_status`)."""
        checked = _check_ddof(ddof, self.weight_kind)
        _, reasons = _evaluate(self._moments(), checked, "cv")
        return pd.Series(_status(reasons), index=self.groups.copy(), name="status", dtype=object)

    def to_frame(self) -> pd.DataFrame:
        """Return the statistics as a DataFrame indexed by group, one column per field."""
        return pd.DataFrame(
            {
                "count": self.count.copy(),
                "weight_sum": self.weight_sum.copy(),
                "mean": self.mean.copy(),
                "sum_squared_deviations": self.sum_squared_deviations.copy(),
                "omitted_count": self.omitted_count.copy(),
            },
            index=self.groups.copy(),
        )

    def to_dict(self) -> dict[str, JSONValue]:
        """Return a JSON-safe mapping: ``weight_kind``, ``group_name`` and one record per group."""
        return {
            "weight_kind": self.weight_kind,
            "group_name": to_jsonable(self.groups.name),
            "groups": to_jsonable(self.to_frame().reset_index(names="group")),
        }
