"""Exact rescaling by powers of two (private).

The equity measures are invariant under ``x -> c·x`` (and under rescaling the weights), but
their sums are not: products of values and weights overflow above about ``1e154`` and lose
digits or underflow to 0 below about ``1e-154``. Multiplying by a power of two is exact in
binary floating point, and every rounding scales with it. So each measure brings values (and,
separately, weights) whose largest magnitude lies beyond ``2**±256`` to a largest magnitude in
``[0.5, 1)`` first: the result is bit for bit what it would be without the scaling wherever
that computation stays in range, and every finite input gives a correctly rounded answer
(docs: API reference, eduequity.core). Magnitudes within ``2**±256`` are left as they are, since no
product of a weight and a squared value can then leave the float range, and scaling them would
change no bit.

Values far below the largest of their sample (a factor ``2**-1022`` and more) become subnormal
or 0 after scaling; their contribution to any sum is below the rounding of that sum.
"""

from __future__ import annotations

import math
from typing import Final

import numpy as np

from eduequity._typing import FloatArray, IntArray

SAFE_EXPONENT: Final = 256
"""Binary exponents up to this magnitude are not scaled (see the module notes)."""


def scale_exponent(values: FloatArray, *, always: bool = False) -> int:
    """Return ``e`` such that ``max|values| * 2**-e`` lies in ``[0.5, 1)``, or 0 if not needed.

    Not needed: within ``2**±SAFE_EXPONENT`` (unless ``always``), or when there is no finite
    non-zero value.
    """
    finite = values[np.isfinite(values)] if values.size else values
    top = float(np.max(np.abs(finite))) if finite.size else 0.0
    exponent = math.frexp(top)[1]
    return exponent if always or abs(exponent) > SAFE_EXPONENT else 0


def normalized(values: FloatArray, *, always: bool = False) -> tuple[FloatArray, int]:
    """Return ``values * 2**-e`` and ``e`` (:func:`scale_exponent`).

    ``always`` scales whatever the magnitude, for computations that multiply more than a
    weight and a square (a product of two sums of squares).
    """
    exponent = scale_exponent(values, always=always)
    return (np.ldexp(values, -exponent) if exponent else values), exponent


def group_exponents(
    values: FloatArray, starts: IntArray, groups: IntArray, n_groups: int
) -> IntArray:
    """Return :func:`scale_exponent` for every group at once (0 for a group without values).

    ``values`` are sorted by group: the values of group ``groups[k]`` run from ``starts[k]``
    to the next start. No value may be NaN.
    """
    exponents = np.zeros(n_groups, dtype=np.int64)
    if starts.size:
        top = np.frexp(np.maximum.reduceat(np.abs(values), starts))[1]
        exponents[groups] = np.where(np.abs(top) > SAFE_EXPONENT, top, 0)
    return exponents
