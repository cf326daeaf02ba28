"""The result record shared by the generic equity measures, and their input preparation (private).

Every measure of the docs page API reference, eduequity.core returns a :class:`MeasureResult`: the
value, a status that says whether the value is defined, the number of units used and dropped, the
conventions that produced it and the warnings raised. An undefined case never yields a silent
number: the value is ``None``, the status says why and a
:class:`~eduequity.errors.DegenerateDataWarning` is emitted.

:func:`prepare_sample` turns array-like input into validated float arrays in a *canonical
order* (sorted by value, then by the other columns, then by weight). Every measure sums in that
order, so permuting the input rows leaves results bit-identical (docs: API reference,
eduequity.core): rows that compare equal on every column are interchangeable.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any, Literal, TypeAlias

import attrs
import numpy as np
import numpy.typing as npt

from eduequity._scaling import normalized
from eduequity._serialize import Record
from eduequity._typing import BoolArray, FloatArray, JSONValue
from eduequity._validation import (
    apply_nan_policy,
    as_float_array,
    as_weights,
    check_option,
    index_labels,
    positions,
)
from eduequity.errors import DegenerateDataWarning, InvalidArgumentError, InvalidValueError, Issue

Status: TypeAlias = Literal["ok", "undefined", "too_few_units", "empty_side"]
"""Whether a measure's value is defined (docs: API reference, eduequity.core)."""

NanOption: TypeAlias = Literal["raise", "omit"]
"""NaN handling offered by the equity measures: raise, or drop the unit and count it."""

NAN_OPTIONS: tuple[NanOption, ...] = ("raise", "omit")


def frozen_mapping(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    """Return a read-only copy of ``mapping`` (results are immutable)."""
    return MappingProxyType(dict(mapping))


class ScalarResult:
    """Mixin of the results that hold one number: ``float(result)`` is ``result.value``.

    An undefined value (``None``, ``status`` says why, and a
    :class:`~eduequity.errors.DegenerateDataWarning` was emitted) converts to NaN, as
    scipy's statistics return NaN for degenerate samples.
    """

    __slots__ = ()

    value: float | None

    def __float__(self) -> float:
        return math.nan if self.value is None else float(self.value)


@attrs.frozen(kw_only=True)
class MeasureResult(ScalarResult, Record):
    """The value of one equity measure with its status, sample sizes and conventions.

    ``value`` is ``None`` whenever ``status`` is not ``"ok"``, except for ``"empty_side"``
    (McLoone and Verstegen indices), where it is the conventional 1.0.
    """

    measure: str
    """Identifier of the measure, e.g. ``"gini"`` or ``"generalized_entropy"``."""
    value: float | None
    """The measure's value (unit stated by the function), or ``None`` when undefined."""
    status: Status
    """``"ok"``, ``"undefined"``, ``"too_few_units"`` or ``"empty_side"``."""
    n: int
    """Number of units used: units with a valid value and a positive weight."""
    weight_sum: float
    """Total weight ``W`` of the units used (pupils when weighted by enrolment)."""
    n_dropped: int = 0
    """Units dropped because a value or weight was NaN (``nan_policy="omit"``)."""
    n_zero_weight: int = 0
    """Units with zero weight: kept in the input, they contribute nothing."""
    conventions: Mapping[str, JSONValue] = attrs.field(factory=dict, converter=frozen_mapping)
    """The parameters that decide the value (``alpha``, ``correction``, ``percentile_rule``)."""
    details: Mapping[str, float | None] = attrs.field(factory=dict, converter=frozen_mapping)
    """Secondary numbers named by the function (the mean, the quantiles used, ...)."""
    warnings: tuple[Issue, ...] = ()
    """Degenerate-data warnings raised while computing the value, with their codes."""

    @property
    def ok(self) -> bool:
        """Whether the value is defined and computed from enough units."""
        return self.status == "ok"


@attrs.frozen(kw_only=True)
class Sample:
    """Validated units in canonical order; zero-weight units removed and counted."""

    columns: tuple[FloatArray, ...]
    """The value columns, in the order given to :func:`prepare_sample`."""
    weights: FloatArray
    """Positive weights, aligned with the columns."""
    n_dropped: int
    """Units dropped for NaN under ``nan_policy="omit"``."""
    n_zero_weight: int
    """Units with zero weight (removed)."""
    origin: npt.NDArray[np.intp]
    """Position of each kept unit in the input, to name units in messages."""
    labels: Any = None
    """Index of the first pandas Series among the inputs, or ``None``."""

    def locate(self, mask: BoolArray) -> str:
        """Return the input positions (or index labels) of the kept units flagged by ``mask``."""
        return _located(self.origin[mask], self.labels)

    @property
    def primary(self) -> FloatArray:
        """The first value column (the values of the measure)."""
        return self.columns[0]

    @property
    def n(self) -> int:
        """Number of units kept."""
        return int(self.weights.size)

    @property
    def weight_sum(self) -> float:
        """Sum of the kept weights (0.0 when no unit is kept)."""
        return float(np.sum(self.weights)) if self.weights.size else 0.0


def check_nan_policy(nan_policy: object) -> None:
    """Raise unless ``nan_policy`` is ``"raise"`` or ``"omit"``."""
    check_option(nan_policy, NAN_OPTIONS, "nan_policy")


def check_min_units(min_units: object) -> None:
    """Raise unless ``min_units`` is an integer >= 1."""
    if isinstance(min_units, bool) or not isinstance(min_units, int | np.integer) or min_units < 1:
        msg = f"min_units must be an integer >= 1; got {min_units!r}"
        raise InvalidArgumentError(msg, code="invalid_option")


def check_real(value: object, name: str) -> float:
    """Return ``value`` as a finite float or raise :class:`InvalidArgumentError`."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        msg = f"{name} must be a real number; got {value!r}"
        raise InvalidArgumentError(msg, code="invalid_option")
    number = float(value)
    if not math.isfinite(number):
        msg = f"{name} must be finite; got {value!r}"
        raise InvalidArgumentError(msg, code="invalid_option")
    return number


def prepare_sample(
    columns: Sequence[tuple[str, Any]],
    weights: Any,  # noqa: ANN401 - any array-like or None
    *,
    nan_policy: NanOption,
    nonnegative: Sequence[bool] | None = None,
) -> Sample:
    """Validate value columns and weights and return them in canonical order.

    Parameters
    ----------
    columns
        ``(argument name, array-like)`` pairs of equal length; the first is the main values.
    weights
        Array-like of weights >= 0, or ``None`` for unit weights.
    nan_policy
        ``"raise"`` or ``"omit"`` (units with NaN in any column or in the weight).
    nonnegative
        Per column, whether negative values are an error (``code="negative_value"``).

    Raises
    ------
    InvalidValueError
        NaN under ``"raise"``, infinite or (where asked) negative values, columns of unequal
        length, negative, infinite or all-zero weights.
    InvalidTypeError
        Non-numeric entries.
    """
    check_nan_policy(nan_policy)
    arrays = [as_float_array(data, name=name) for name, data in columns]
    all_labels = next(
        (found for _, data in columns if (found := index_labels(data)) is not None), None
    )
    size = arrays[0].size
    for (name, _), array in zip(columns[1:], arrays[1:], strict=True):
        if array.size != size:
            msg = f"{name} must have one entry per value: expected {size}, got {array.size}"
            raise InvalidValueError(msg, code="length_mismatch")
    weight_array = as_weights(weights, size)
    missing = np.zeros(size, dtype=np.bool_)
    for array in arrays[1:]:
        missing |= np.isnan(array)
    # apply_nan_policy sees the NaN of every column through the first one.
    first = np.where(missing, np.nan, arrays[0])
    kept_first, kept_weights, n_dropped = apply_nan_policy(
        first, weight_array, nan_policy, name=_joined(columns), labels=all_labels
    )
    origin = np.arange(size, dtype=np.intp)
    if n_dropped:
        keep = ~(np.isnan(first) | np.isnan(weight_array))
        arrays = [kept_first, *(array[keep] for array in arrays[1:])]
        origin = origin[keep]
    else:
        arrays[0] = kept_first
    flags = list(nonnegative) if nonnegative is not None else [False] * len(arrays)
    for (name, _), array, flag in zip(columns, arrays, flags, strict=True):
        infinite = np.isinf(array)
        if infinite.any():
            where = _located(origin[infinite], all_labels)
            msg = f"{name} must be finite; infinite at position {where}"
            raise InvalidValueError(msg, code="not_a_number")
        if flag:
            negative = array < 0
            if negative.any():
                where = _located(origin[negative], all_labels)
                msg = f"{name} must be >= 0; negative at position {where}"
                raise InvalidValueError(msg, code="negative_value")
    positive = kept_weights > 0
    n_zero_weight = int(positive.size - np.count_nonzero(positive))
    arrays = [array[positive] for array in arrays]
    kept_weights = kept_weights[positive]
    origin = origin[positive]
    order = _canonical_order(arrays, kept_weights)
    return Sample(
        columns=tuple(array[order] for array in arrays),
        weights=kept_weights[order],
        n_dropped=n_dropped,
        n_zero_weight=n_zero_weight,
        origin=origin[order],
        labels=all_labels,
    )


def _canonical_order(arrays: list[FloatArray], weights: FloatArray) -> npt.NDArray[np.intp]:
    """Return the order by the first column, then the other columns, then the weight.

    Chained stable sorts from the last key to the first (as :func:`numpy.lexsort`, faster);
    rows equal on every key are interchangeable, so sums over this order do not depend on
    the input order.
    """
    keys = [weights, *reversed(arrays)]
    if weights.size and float(np.min(weights)) == float(np.max(weights)):
        keys = keys[1:]
    order = np.arange(weights.size, dtype=np.intp)
    for key in keys:
        order = order[np.argsort(key[order], kind="stable")]
    return order


def _located(where: npt.NDArray[np.intp], labels: Any) -> str:  # noqa: ANN401 - any index
    flagged = np.zeros(int(where.max(initial=-1)) + 1, dtype=np.bool_)
    flagged[where] = True
    return positions(flagged, labels)


def _joined(columns: Sequence[tuple[str, Any]]) -> str:
    names = [name for name, _ in columns]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def degenerate(code: str, message: str, *, stacklevel: int = 4) -> Issue:
    """Emit a :class:`DegenerateDataWarning` and return it as an :class:`Issue` for the result."""
    warnings.warn(f"[{code}] {message}", DegenerateDataWarning, stacklevel=stacklevel)
    return Issue(code=code, message=message, severity="warning")


def weighted_mean(values: FloatArray, weights: FloatArray) -> float:
    r"""Return :math:`\sum_i w_i x_i / \sum_i w_i` for canonically ordered, non-empty input.

    Two passes: the mean of the deviations from a first estimate corrects its rounding.
    Rounding may still push the mean of nearly equal values just outside their range; it is
    clamped to ``[min, max]``, and the mean of equal values is that value exactly. Extreme
    values and weights are scaled by powers of two first (:mod:`eduequity._scaling`), so
    products neither overflow nor underflow whatever their magnitudes.
    """
    low, high = float(np.min(values)), float(np.max(values))
    if low == high:
        return low
    scaled_values, exponent = normalized(values)
    scaled_weights, _ = normalized(weights)
    total_weight = np.sum(scaled_weights)
    first = float(np.sum(scaled_weights * scaled_values) / total_weight)
    mean = first + float(np.sum(scaled_weights * (scaled_values - first)) / total_weight)
    return min(max(math.ldexp(mean, exponent), low), high)


def too_few_units(
    measure: str,
    sample: Sample,
    min_units: int,
    conventions: Mapping[str, JSONValue],
    *,
    stacklevel: int = 5,
) -> MeasureResult | None:
    """Return the ``too_few_units`` result when the sample is smaller than ``min_units``."""
    if sample.n >= min_units and sample.n > 0:
        return None
    issue = degenerate(
        "too_few_units",
        f"{measure} needs at least {max(min_units, 1)} unit(s) with a valid value and a "
        f"positive weight; got {sample.n}",
        stacklevel=stacklevel,
    )
    return result_from(
        measure, sample, None, "too_few_units", conventions=conventions, warnings=(issue,)
    )


def result_from(
    measure: str,
    sample: Sample,
    value: float | None,
    status: Status,
    *,
    conventions: Mapping[str, JSONValue],
    details: Mapping[str, float | None] | None = None,
    warnings: Sequence[Issue] = (),
) -> MeasureResult:
    """Build a :class:`MeasureResult` for ``sample``."""
    return MeasureResult(
        measure=measure,
        value=value,
        status=status,
        n=sample.n,
        weight_sum=sample.weight_sum,
        n_dropped=sample.n_dropped,
        n_zero_weight=sample.n_zero_weight,
        conventions=conventions,
        details=details if details is not None else {},
        warnings=tuple(warnings),
    )


def undefined_result(
    measure: str,
    sample: Sample,
    warnings: Sequence[Issue],
    *,
    conventions: Mapping[str, JSONValue],
    details: Mapping[str, float | None] | None = None,
) -> MeasureResult:
    """Return the ``"undefined"`` result of ``sample`` (no value), explained by ``warnings``."""
    return result_from(
        measure,
        sample,
        None,
        "undefined",
        conventions=conventions,
        details=details,
        warnings=warnings,
    )
