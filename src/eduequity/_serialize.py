"""Conversion of result objects to JSON-safe values (private).

Results expose ``to_dict()``; all of them delegate here so every service sees the same
encoding: NaN and infinities become ``None``, numpy scalars become Python scalars,
:class:`~fractions.Fraction` and :class:`~decimal.Decimal` become ``float``, DataFrames
become lists of records and Series become mappings.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
import numpy as np
import pandas as pd

from eduequity._typing import JSONValue
from eduequity._validation import is_missing


def to_jsonable(value: Any) -> JSONValue:  # noqa: ANN401, C901, PLR0911, PLR0912 - one branch per type
    """Return ``value`` converted to plain JSON-safe Python objects; missing values are ``None``."""
    if is_missing(value):
        return None
    if isinstance(value, bool | str):
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating | Fraction | Decimal):
        number = float(value)
        return number if math.isfinite(number) else None
    if isinstance(value, enum.Enum):
        return to_jsonable(value.value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, pd.DataFrame):
        frame = value.reset_index() if _has_named_index(value) else value
        return [
            {str(key): to_jsonable(item) for key, item in record.items()}
            for record in frame.to_dict(orient="records")
        ]
    if isinstance(value, pd.Series):
        return {str(key): to_jsonable(item) for key, item in value.items()}
    if isinstance(value, np.ndarray):
        return [to_jsonable(item) for item in value.tolist()]
    if hasattr(value, "to_dict") and not isinstance(value, type):
        return to_jsonable(value.to_dict())
    if attrs.has(type(value)):
        return {
            field.name: to_jsonable(getattr(value, field.name))
            for field in attrs.fields(type(value))
        }
    if isinstance(value, Mapping):
        return {str(key): to_jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return [to_jsonable(item) for item in items]
    msg = f"cannot convert {type(value).__name__} to JSON"
    raise TypeError(msg)


def _has_named_index(frame: pd.DataFrame) -> bool:
    return any(name is not None for name in frame.index.names)


def attrs_to_dict(instance: Any) -> dict[str, JSONValue]:  # noqa: ANN401 - any attrs instance
    """Return the JSON-safe mapping of an attrs instance's fields."""
    return {
        field.name: to_jsonable(getattr(instance, field.name))
        for field in attrs.fields(type(instance))
    }


class Record:
    """Mixin of the attrs records: ``to_dict()``, the JSON-safe mapping of their fields.

    A record whose JSON holds more than its fields (a derived table, say) defines its own.
    """

    __slots__ = ()

    def to_dict(self) -> dict[str, JSONValue]:
        """Return a JSON-safe mapping of the fields."""
        return attrs_to_dict(self)
