"""Exact rescaling by powers of two (private).

The equity measures are invariant under ``x -> c·x`` (and under rescaling the weights), but
their sums are not: products of values and weights overflow above about ``1e154`` and lose
digits or underflow to 0 below about ``1e-154``. Multiplying by a power of two is exact in
binary floating point, and every rounding scales with it. So each measure first brings its
values (and, separately, its weights) to a largest magnitude in ``[0.5, 1)``: in the normal
range the result is bit for bit what it would be without the scaling, and every finite input
gives a correctly rounded answer (``equity-measures.md`` §12.1).

Values far below the largest of their sample (a factor ``2**-1022`` and more) become subnormal
or 0 after scaling; their contribution to any sum is below the rounding of that sum.
"""

from __future__ import annotations

import math

import numpy as np

from eduequity._typing import FloatArray, IntArray


def exponent_of(values: FloatArray) -> int:
    """Return ``e`` such that ``max|values| * 2**-e`` lies in ``[0.5, 1)``.

    0 when there is no finite non-zero value (nothing to scale).
    """
    finite = values[np.isfinite(values)] if values.size else values
    top = float(np.max(np.abs(finite))) if finite.size else 0.0
    return math.frexp(top)[1] if top else 0


def normalized(values: FloatArray) -> tuple[FloatArray, int]:
    """Return ``values * 2**-e`` (largest magnitude in ``[0.5, 1)``) and the exponent ``e``."""
    exponent = exponent_of(values)
    return (np.ldexp(values, -exponent) if exponent else values), exponent


def group_exponents(values: FloatArray, codes: IntArray, n_groups: int) -> IntArray:
    """Return :func:`exponent_of` for every group at once (0 for a group without values).

    ``codes`` give each value's group in ``0 .. n_groups - 1``; NaN values are ignored.
    """
    top = np.zeros(n_groups, dtype=np.float64)
    magnitude = np.abs(values)
    finite = np.isfinite(magnitude)
    np.maximum.at(top, codes[finite], magnitude[finite])
    return np.frexp(top)[1].astype(np.int64)
