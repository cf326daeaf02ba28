"""Building data frames from arrays without a round trip through pandas' string dtype (private).

pandas 3 turns every object array of strings into its ``str`` dtype when a frame is built,
and every later ``to_numpy()`` turns it back into Python objects: two conversions of each
text column per step. Frames built here keep object arrays as ``object``, as the validated
tables of :mod:`eduequity.io` hold them.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["object_frame"]


def object_frame(data: Mapping[str, Any], index: pd.Index | None = None) -> pd.DataFrame:
    """Return a frame of ``data``, object arrays kept as object columns.

    Examples
    --------
    >>> object_frame({"id": np.array(["a", "b"], dtype=object), "n": np.array([1, 2])}).dtypes
    id    object
    n      int64
    dtype: object
    """
    columns: dict[Hashable, Any] = {}
    for name, values in data.items():
        array = np.asarray(values) if not isinstance(values, pd.Series) else values
        if isinstance(array, np.ndarray) and array.dtype == object:
            columns[name] = pd.Series(array, dtype=object, index=index, copy=False)
        else:
            columns[name] = array
    return pd.DataFrame(columns, index=index)
