"""Building data frames, and reading their rows in the method's order (private).

pandas 3 turns every object array of strings into its ``str`` dtype when a frame is built,
and every later ``to_numpy()`` turns it back into Python objects: two conversions of each
text column per step. Frames built here keep object arrays as ``object``, as the validated
tables of :mod:`eduequity.io` hold them.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any, Final

import numpy as np
import pandas as pd

from eduequity._vocabulary import vocabulary

__all__ = ["object_frame", "ordered_records"]

_STAGE_ORDER: Final = {
    stage: rank for rank, stage in enumerate((*vocabulary("stages").where("compulsory"), "all"))
}
_LOCATION_ORDER: Final = {code: rank for rank, code in enumerate(vocabulary("locations").codes)}


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


def ordered_records(
    table: pd.DataFrame,
    indicators: Sequence[str] = (),
    pairs: Sequence[tuple[str, str]] = (),
) -> list[dict[Any, Any]]:
    """Return the rows of a result table in the method's order, for reports.

    The tables themselves are sorted lexicographically (fast pandas lookups); reports show
    counties alphabetically, then stages primary, junior, all, indicators in rule-set order,
    pairs in the order requested and locations urban, town, rural.
    """
    indicator_order = {indicator: position for position, indicator in enumerate(indicators)}
    pair_order: dict[Any, int] = {pair: position for position, pair in enumerate(pairs)}

    def key(record: dict[Any, Any]) -> tuple[Any, ...]:
        return (
            str(record.get("county", "")),
            _STAGE_ORDER.get(str(record.get("stage")), 9),
            indicator_order.get(str(record.get("indicator")), len(indicator_order)),
            pair_order.get((record.get("focus"), record.get("reference")), len(pair_order)),
            _LOCATION_ORDER.get(str(record.get("location")), 9),
        )

    return sorted(table.reset_index().to_dict("records"), key=key)
