"""Exact threshold decisions (private).

The national method requires that a value equal to its standard meets it, whatever binary
floating point makes of the two numbers (docs: The national method, The per-school rule,
"Exactness"). Decisions are taken on floats where they are clear and re-taken in rational arithmetic
where the value lies within a relative ``1e-9`` of the threshold.

A float value is read as the shortest decimal that round-trips to it, i.e. the number the
user typed (``0.1 + 0.2`` is read as ``0.30000000000000004``); thresholds are read from their
decimal text. Callers that derive values by arithmetic and need an exact decision pass the
exact values themselves (:class:`fractions.Fraction`) through ``exact_values``.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any, Final

import numpy as np

from eduequity._scaling import normalized as _normalized
from eduequity._typing import BoolArray, Comparator, FloatArray

NEAR: Final = 1e-9
"""Relative distance from a threshold under which a decision is re-taken exactly."""

RATE_COUNT_TOLERANCE: Final = Decimal("0.0005")
"""Largest accepted gap between a given rate and the ratio of its counts."""

OPERATORS: Final[dict[str, Callable[[Any, Any], Any]]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
}
"""The comparison functions; they apply to floats, fractions and numpy arrays alike."""

Number = float | int | str | Decimal | Fraction


def to_fraction(number: Number) -> Fraction:
    """Return ``number`` as an exact fraction, reading floats as their shortest decimal."""
    if isinstance(number, Fraction):
        return number
    if isinstance(number, float | np.floating):
        return Fraction(repr(float(number)))
    if isinstance(number, Decimal):
        return Fraction(number)
    return Fraction(number)


def near_mask(values: FloatArray, thresholds: FloatArray) -> BoolArray:
    """Return where ``values`` lie within the relative tolerance :data:`NEAR` of ``thresholds``."""
    # In place on two temporaries: the matrices of a national table are large.
    with np.errstate(invalid="ignore"):
        gap = np.subtract(values, thresholds, dtype=np.float64)
        np.abs(gap, out=gap)
        scale = np.abs(np.broadcast_to(thresholds, gap.shape), dtype=np.float64)
        np.maximum(scale, np.abs(values), out=scale)
        np.maximum(scale, 1.0, out=scale)
        scale *= NEAR
        return np.asarray(gap <= scale)


def compare(
    values: FloatArray,
    thresholds: FloatArray,
    comparator: Comparator,
    *,
    exact_thresholds: np.ndarray | None = None,
    exact_values: Callable[[np.ndarray], list[Fraction]] | None = None,
) -> BoolArray:
    """Decide ``values <comparator> thresholds`` element-wise and exactly.

    Parameters
    ----------
    values, thresholds
        Arrays of the same shape (broadcasting allowed). NaN values never satisfy a comparison.
    comparator
        One of ``">="``, ``">"``, ``"<="``, ``"<"``.
    exact_thresholds
        Object array of :class:`~fractions.Fraction` broadcastable to ``values``: the thresholds
        as exact numbers. Defaults to the shortest decimal of each float threshold.
    exact_values
        Callable receiving the flat indices (into the broadcast shape) of the near-threshold
        elements and returning their exact values. Defaults to the shortest decimal of each float.

    Returns
    -------
    numpy.ndarray of bool
    """
    compare_op = OPERATORS[comparator]
    values_b, thresholds_b = np.broadcast_arrays(values, thresholds)
    with np.errstate(invalid="ignore"):
        result = np.asarray(compare_op(values_b, thresholds_b), dtype=np.bool_).copy()
    near = near_mask(values_b, thresholds_b) & ~np.isnan(values_b)
    if not near.any():
        return result
    flat_near = np.flatnonzero(near)
    if exact_values is None:
        flat_values = values_b.ravel()
        exact = [to_fraction(float(flat_values[i])) for i in flat_near]
    else:
        exact = exact_values(flat_near)
    if exact_thresholds is None:
        flat_thresholds = thresholds_b.ravel()
        limits = [to_fraction(float(flat_thresholds[i])) for i in flat_near]
    else:
        flat_exact = np.broadcast_to(exact_thresholds, values_b.shape).ravel()
        limits = [flat_exact[i] for i in flat_near]
    flat_result = result.ravel()
    for position, value, limit in zip(flat_near, exact, limits, strict=True):
        flat_result[position] = compare_op(value, limit)
    return flat_result.reshape(result.shape)


# ---------------------------------------------------------------------------------------------
# Cumulative weight shares (weighted quantiles)
# ---------------------------------------------------------------------------------------------

_TOLERANCE_BITS: Final = 44
SHARE_TOLERANCE: Final = 2.0**-_TOLERANCE_BITS
"""Relative distance (about 5.7e-14) within which a cumulative weight share counts as equal to
a probability.

Weights are proportions: counts (1, 2, 3, 6), shares (1/12, ...) and any rescaling must give the
same quantiles. Writing a weight as a float rounds it by at most ``2**-53`` relative, which moves
a cumulative share by at most about ``2**-52`` relative; so a share that is exact for the counts
lies within this tolerance for the shares. Shares of integer weights that truly differ from
``q`` differ by at least ``1/W`` relative, far beyond it for any real total ``W`` of pupils
(below about ``1.7e13``).
"""

_MANTISSA_BITS: Final = 53
_INT64_BITS: Final = 62


class CumulativeShares:
    """Inclusive cumulative weight shares ``C_i = F_i / W`` of units sorted by value.

    :meth:`first_reaching` and :meth:`exactly_at` decide ``C_i >= q`` and ``C_i == q`` up to the
    relative :data:`SHARE_TOLERANCE`: on floats where the decision is clear, else on the exact
    sums of the float weights, computed in integers (each weight is ``m * 2**e`` with an integer
    ``m``): vectorized in int64 when the weights span few binary orders, in Python integers
    otherwise.
    """

    def __init__(self, weights: FloatArray) -> None:
        self._weights = weights
        scaled, _ = _normalized(weights)
        cumulative = np.cumsum(scaled)
        self.shares: FloatArray = cumulative / cumulative[-1]
        self._exact: Any = None

    def _exact_sums(self) -> Any:  # noqa: ANN401 - an int64 array or a list of Python ints
        """Return the exact cumulative sums, as integers in a common unit (a power of two)."""
        if self._exact is None:
            mantissa, exponent = np.frexp(self._weights)
            integer = (mantissa * 2.0**_MANTISSA_BITS).astype(np.int64)
            shift = exponent - int(exponent.min())
            headroom = _INT64_BITS - _MANTISSA_BITS - int(self._weights.size).bit_length()
            if int(shift.max()) <= headroom:
                sums: Any = np.cumsum(integer << shift)
            else:
                big = [int(m) << int(s) for m, s in zip(integer, shift, strict=True)]
                sums = list(itertools.accumulate(big))
            self._exact = sums
        return self._exact

    def _compare(self, index: int, q: float) -> int:
        """Return -1, 0 or 1 as ``C_index`` is below, within the tolerance of, or above ``q``."""
        sums = self._exact_sums()
        partial, total = int(sums[index]), int(sums[-1])
        numerator, denominator = float(q).as_integer_ratio()
        # |partial/total - q| <= q * 2**-bits, multiplied out in integers.
        difference = (partial * denominator - numerator * total) << _TOLERANCE_BITS
        allowed = numerator * total
        if abs(difference) <= allowed:
            return 0
        return 1 if difference > 0 else -1

    def _near(self, index: int, q: float) -> bool:
        share = float(self.shares[index])
        return abs(share - q) <= NEAR * max(abs(share), abs(q), 1.0)

    def first_reaching(self, q: float) -> int:
        """Return ``min{i : C_i >= q}`` (0-based), ties decided within the tolerance."""
        last = self.shares.size - 1
        index = min(int(np.searchsorted(self.shares, q, side="left")), last)
        while index > 0 and self._near(index - 1, q):
            if self._compare(index - 1, q) < 0:
                break
            index -= 1
        while index < last and self._near(index, q):
            if self._compare(index, q) >= 0:
                break
            index += 1
        return index

    def exactly_at(self, index: int, q: float) -> bool:
        """Return whether ``C_index == q`` within the tolerance."""
        return self._near(index, q) and self._compare(index, q) == 0
