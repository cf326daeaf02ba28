"""Exact threshold decisions (private).

The national method requires that a value equal to its standard meets it, whatever binary
floating point makes of the two numbers (``national-method.md`` §3.5, "Exactness"). Decisions
are taken on floats where they are clear and re-taken in rational arithmetic where the value
lies within a relative ``1e-9`` of the threshold.

A float value is read as the shortest decimal that round-trips to it, i.e. the number the
user typed (``0.1 + 0.2`` is read as ``0.30000000000000004``); thresholds are read from their
decimal text. Callers that derive values by arithmetic and need an exact decision pass the
exact values themselves (:class:`fractions.Fraction`) through ``exact_values``.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any, Final

import numpy as np

from eduequity._typing import BoolArray, Comparator, FloatArray

NEAR: Final = 1e-9
"""Relative distance from a threshold under which a decision is re-taken exactly."""

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
    scale = np.maximum(np.abs(thresholds), np.abs(values))
    with np.errstate(invalid="ignore"):
        return np.abs(values - thresholds) <= NEAR * np.maximum(scale, 1.0)


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
