"""Argument and value checks shared by every layer (private, a shared foundation).

Core functions accept anything array-like; these helpers turn it into float64 arrays and
raise :mod:`eduequity.errors` exceptions that name the argument, the position and what was
expected, so a caller never has to guess which element was wrong. The one missing-value test
(:func:`is_missing`) and the date-argument reader live here too.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from eduequity._typing import BoolArray, FloatArray, NanPolicy
from eduequity.errors import InvalidArgumentError, InvalidTypeError, InvalidValueError

NAN_POLICIES: tuple[NanPolicy, ...] = ("propagate", "raise", "omit")

_MAX_LISTED = 5


def positions(mask: BoolArray, labels: Any = None) -> str:  # noqa: ANN401 - any index-like
    """Return a short text naming the first flagged positions (or index labels) of ``mask``."""
    where = np.flatnonzero(mask)
    shown = [str(labels[i]) if labels is not None else str(i) for i in where[:_MAX_LISTED]]
    more = f" and {where.size - _MAX_LISTED} more" if where.size > _MAX_LISTED else ""
    return ", ".join(shown) + more


def index_labels(values: Any) -> Any:  # noqa: ANN401 - any array-like
    """Return the index of a Series (to name rows by label in messages), else ``None``."""
    return values.index if isinstance(values, pd.Series) else None


def check_option(value: object, allowed: Collection[object], name: str) -> None:
    """Raise :class:`InvalidArgumentError` unless ``value`` is one of ``allowed``."""
    if value not in allowed:
        choices = ", ".join(repr(choice) for choice in allowed)
        msg = f"{name} must be one of {choices}; got {value!r}"
        raise InvalidArgumentError(msg, code="invalid_option")


def as_float_array(values: Any, *, name: str, ndim: int = 1) -> FloatArray:  # noqa: ANN401
    """Return ``values`` as a float64 array of ``ndim`` dimensions.

    Raises
    ------
    InvalidTypeError
        If an element is not a real number (text, None in an object array, complex, ...).
    InvalidValueError
        If the array has the wrong number of dimensions.
    """
    labels = index_labels(values)
    raw = values.to_numpy() if isinstance(values, pd.Series | pd.DataFrame) else values
    array = np.asarray(raw)
    if array.dtype.kind in "biuf":
        result = array.astype(np.float64, copy=False)
    elif array.dtype.kind == "O" or array.dtype.kind in "US":
        flat = array.ravel()
        bad = np.fromiter(
            (not _is_real_number(item) for item in flat), dtype=np.bool_, count=flat.size
        )
        if bad.any():
            first = flat[int(np.flatnonzero(bad)[0])]
            msg = (
                f"{name} must hold real numbers; position {positions(bad, labels)} "
                f"holds {first!r} ({type(first).__name__})"
            )
            raise InvalidTypeError(msg, code="not_a_number")
        result = np.array([float(item) for item in flat], dtype=np.float64).reshape(array.shape)
    else:
        msg = f"{name} must hold real numbers; got an array of dtype {array.dtype}"
        raise InvalidTypeError(msg, code="not_a_number")
    if result.ndim != ndim:
        msg = f"{name} must be {ndim}-dimensional; got shape {result.shape}"
        raise InvalidValueError(msg, code="bad_shape")
    return result


def _is_real_number(item: object) -> bool:
    if isinstance(item, bool | np.bool_):
        return True
    try:
        float(item)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return not isinstance(item, str | bytes | complex | np.complexfloating)


def as_weights(weights: Any, size: int, *, name: str = "weights") -> FloatArray:  # noqa: ANN401
    """Return the weights as a float64 array of length ``size`` (ones when ``None``).

    NaN weights are left in place for the NaN policy to handle.

    Raises
    ------
    InvalidValueError
        If the length differs from ``size``, a weight is negative or infinite, or all are zero.
    """
    if weights is None:
        return np.ones(size, dtype=np.float64)
    array = as_float_array(weights, name=name)
    if array.size != size:
        msg = f"{name} must have one entry per value: expected {size}, got {array.size}"
        raise InvalidValueError(msg, code="length_mismatch")
    labels = index_labels(weights)
    negative = array < 0
    if negative.any():
        msg = f"{name} must be >= 0; negative at position {positions(negative, labels)}"
        raise InvalidValueError(msg, code="invalid_weight")
    infinite = np.isinf(array)
    if infinite.any():
        msg = f"{name} must be finite; infinite at position {positions(infinite, labels)}"
        raise InvalidValueError(msg, code="invalid_weight")
    finite = array[~np.isnan(array)]
    if finite.size and not (finite > 0).any():
        msg = f"{name} are all zero; at least one unit needs a positive weight"
        raise InvalidValueError(msg, code="invalid_weight")
    return array


def apply_nan_policy(
    values: FloatArray,
    weights: FloatArray,
    nan_policy: NanPolicy,
    *,
    name: str = "values",
    labels: Any = None,  # noqa: ANN401 - any index-like
) -> tuple[FloatArray, FloatArray, int]:
    """Handle NaN in ``values`` or ``weights`` under ``nan_policy``.

    Returns the (possibly reduced) values and weights and the number of units omitted. Under
    ``"propagate"`` nothing is removed; the caller returns NaN when any NaN is present.

    Raises
    ------
    InvalidValueError
        Under ``"raise"``, naming the positions that hold NaN.
    """
    check_option(nan_policy, NAN_POLICIES, "nan_policy")
    missing = np.isnan(values) | np.isnan(weights)
    if not missing.any():
        return values, weights, 0
    if nan_policy == "raise":
        msg = (
            f"{name} or weights hold NaN at position {positions(missing, labels)}; "
            "pass nan_policy='omit' to drop those units or 'propagate' to return NaN"
        )
        raise InvalidValueError(msg, code="missing_value")
    if nan_policy == "omit":
        keep = ~missing
        return values[keep], weights[keep], int(missing.sum())
    return values, weights, 0


def date_argument(value: object, name: str) -> dt.date | None:
    """Read a date argument (``today=``, ``generated=``): a date, an ISO string or ``None``.

    Raises
    ------
    InvalidArgumentError
        If a string is not an ISO date ``YYYY-MM-DD``.
    InvalidTypeError
        If ``value`` is neither a date nor a string.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError as error:
            msg = f"{name}={value!r} is not a date; expected YYYY-MM-DD"
            raise InvalidArgumentError(msg, code="invalid_argument") from error
    msg = f"{name} must be a date or an ISO date string, got {type(value).__name__}"
    raise InvalidTypeError(msg, code="invalid_argument")


def is_missing(value: object) -> bool:
    """Return whether a cell or argument means *missing*.

    ``None``, ``pandas.NA``, ``pandas.NaT`` and a float or ``Decimal`` NaN are missing; every
    other value, an empty string included, is not (the readers decide what blank text means).
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float | np.floating):
        return math.isnan(value)
    return isinstance(value, Decimal) and value.is_nan()
