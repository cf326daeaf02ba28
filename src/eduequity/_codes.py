"""Integer codes for labels: the one group factorizer of the package (private).

Grouped work on national tables (200 000 schools in 2 800 counties) keeps strings out of
its hot paths: labels become dense integer codes once, the work is done on the codes, and
labels are put back at the end. Codes follow the order of first appearance unless sorted.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from eduequity._typing import IntArray

__all__ = ["combine_codes", "factorize", "first_positions"]


def factorize(values: Any, *, sort: bool = False) -> tuple[IntArray, np.ndarray[Any, Any]]:  # noqa: ANN401 - any 1-d array-like
    """Return a code per value (-1 where missing) and the distinct values.

    Examples
    --------
    >>> codes, labels = factorize(["b", None, "a", "b"])
    >>> codes.tolist(), labels.tolist()
    ([0, -1, 1, 0], ['b', 'a'])
    """
    codes, uniques = pd.factorize(np.asarray(values, dtype=object), sort=sort)
    return np.asarray(codes, dtype=np.int64), np.asarray(uniques, dtype=object)


_KEY_LIMIT = 2**62


def combine_codes(*codes: IntArray) -> IntArray:
    """Return dense codes of the tuples of several code arrays (-1 where any part is -1).

    Examples
    --------
    >>> combine_codes(np.array([0, 0, 1, -1]), np.array([1, 1, 0, 0])).tolist()
    [0, 0, 1, -1]
    """
    missing = np.zeros(codes[0].shape, dtype=np.bool_)
    key = np.zeros(codes[0].shape, dtype=np.int64)
    size = 1  # the number of distinct values the key can take
    for part in codes:
        missing |= part < 0
        width = int(part.max(initial=-1)) + 1
        if size * max(width, 1) >= _KEY_LIMIT:
            # keep the key small: renumber it densely before it could overflow
            key = np.asarray(pd.factorize(key)[0], dtype=np.int64)
            size = int(key.max(initial=-1)) + 1
        key = key * width + np.maximum(part, 0)
        size *= max(width, 1)
    # one renumbering at the end, in the order of first appearance
    key = np.asarray(pd.factorize(key)[0], dtype=np.int64)
    key[missing] = -1
    if missing.any():
        present = ~missing
        key[present] = pd.factorize(key[present])[0]
    return key


def first_positions(codes: IntArray, count: int) -> IntArray:
    """Return the first position of each code ``0..count-1`` (-1 for an absent code)."""
    first = np.full(count, -1, dtype=np.int64)
    present = np.flatnonzero(codes >= 0)
    # reversed assignment leaves the first occurrence last written
    first[codes[present[::-1]]] = present[::-1]
    return first
