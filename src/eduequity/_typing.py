"""Type aliases shared across eduequity (private)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, TypeAlias

import numpy as np
import numpy.typing as npt
import pandas as pd

FloatArray: TypeAlias = npt.NDArray[np.float64]
"""A one- or two-dimensional array of float64."""

IntArray: TypeAlias = npt.NDArray[np.int64]
"""An array of int64 (group codes, counts)."""

BoolArray: TypeAlias = npt.NDArray[np.bool_]
"""An array of booleans (met flags, masks)."""

ArrayLike1D: TypeAlias = "Sequence[float] | Sequence[int] | npt.NDArray[np.generic] | pd.Series"
"""Anything that can be read as one value per unit: a list, an ndarray or a Series."""

NanPolicy: TypeAlias = Literal["propagate", "raise", "omit"]
"""What to do with NaN values: return NaN, raise, or drop the affected units."""

Comparator: TypeAlias = Literal[">=", ">", "<=", "<"]
"""How a value is compared with its standard; ``">="`` means "at least"."""

JSONValue: TypeAlias = "bool | int | float | str | list[JSONValue] | dict[str, JSONValue] | None"
"""A value that :func:`json.dumps` accepts without a custom encoder."""
