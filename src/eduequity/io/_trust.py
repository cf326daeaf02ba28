"""Marking a validated frame so that it is never validated twice, and never trusted wrongly.

A reader stamps the frame it returns: ``frame.attrs`` gets a :class:`Stamp` holding what the
frame was validated against (the schema object and the reader's options) and a fingerprint
of the frame. A reader given that frame again, with the same schema and options, returns it
as it is when the fingerprint still matches, instead of validating it again.

The fingerprint must change whenever the frame's data may have changed, and must be cheap
(it is taken on every adapter call, at national scale). With Copy-on-Write (always on from
pandas 3.0, opt-in in pandas 2.x) the stamp keeps a shallow copy of the frame: the frame's
columns are then shared, so any write to them — ``frame.loc[...] = ...``, ``fillna(inplace=
True)``, replacing a column — first copies the written column and the fingerprint (the
identity of each column's memory, the columns, the dtypes and the index object) no longer
matches. Without Copy-on-Write a write happens in place, so the fingerprint falls back to a
hash of every value (:func:`pandas.util.hash_pandas_object`), slower but never wrong.

The stamp rides in ``frame.attrs``, which pandas copies to every frame derived from this one
(a row selection, ``copy()``, ``assign()``): those have other columns or memory, so they are
validated again. Pickling drops the stamp, and its JSON form (pandas writes ``attrs`` as JSON
in ``to_parquet``) is plain text: a frame read back either way is validated again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable, Mapping
from typing import TYPE_CHECKING, Final, Self

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from eduequity.io._spec import TableSchema

KEY: Final = "eduequity.validated"
"""The ``frame.attrs`` key of the stamp."""


def _copy_on_write() -> bool:
    if int(pd.__version__.split(".", 1)[0]) >= 3:  # noqa: PLR2004 - pandas 3 made CoW permanent
        return True
    return pd.get_option("mode.copy_on_write") is True


def _column_identity(series: pd.Series) -> Hashable:
    if isinstance(series.dtype, np.dtype):
        data = series.to_numpy(copy=False)
        return ("memory", data.__array_interface__["data"][0], data.strides)
    return ("array", id(series.array))


def fingerprint(frame: pd.DataFrame) -> Hashable:
    """Return what must be unchanged for ``frame`` to still be the validated frame."""
    shape = (frame.shape, tuple(frame.columns), tuple(str(dtype) for dtype in frame.dtypes))
    if _copy_on_write():
        columns = tuple(_column_identity(frame.iloc[:, i]) for i in range(frame.shape[1]))
        return ("identity", id(frame.index), shape, columns)
    hashed = pd.util.hash_pandas_object(frame, index=True).to_numpy()
    return ("content", shape, hashlib.blake2b(hashed.tobytes(), digest_size=16).digest())


def freeze(value: object) -> Hashable:
    """Return ``value`` (reader options: mappings, sequences, numbers) in a comparable form."""
    if isinstance(value, Mapping):
        return tuple(sorted((str(key), freeze(item)) for key, item in value.items()))
    if isinstance(value, set | frozenset):
        return tuple(sorted((freeze(item) for item in value), key=repr))
    if isinstance(value, list | tuple):
        return tuple(freeze(item) for item in value)
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


class Stamp(str):  # noqa: SLOT000 - it carries attributes; a str subclass cannot slot them
    """What a frame was validated against, and the fingerprint it had then.

    A :class:`str` (its text says what it is), so that pandas can still write the frame's
    ``attrs`` as JSON (``to_parquet`` does); the text read back is no stamp, so such a frame
    is validated again.
    """

    schema: TableSchema
    options: Hashable
    result: object
    fingerprint: Hashable
    _keep: pd.DataFrame
    _index: pd.Index

    def __new__(
        cls, frame: pd.DataFrame, schema: TableSchema, options: Hashable, result: object
    ) -> Self:
        """Stamp ``frame``; ``result`` is what a reader gives back for it."""
        self = super().__new__(cls, f"validated by eduequity against the {schema.name} schema")
        self.schema = schema
        self.options = options
        self.result = result
        # The shallow copy shares the columns, so a write to the frame copies them first
        # (Copy-on-Write) and no memory the fingerprint names can be reused meanwhile.
        self._keep = frame.copy(deep=False)
        self._keep.attrs = {}
        self._index = frame.index  # held, so that its id in the fingerprint is not reused
        self.fingerprint = fingerprint(frame)
        return self

    def __deepcopy__(self, memo: object) -> Self:
        # pandas deep-copies attrs into every derived frame; the stamp is immutable and its
        # fingerprint decides for each frame, so sharing it is safe and costs nothing.
        return self

    def __reduce__(self) -> tuple[object, tuple[()]]:
        return (_expired, ())

    def matches(self, frame: pd.DataFrame, schema: TableSchema | None, options: Hashable) -> bool:
        """Whether ``frame`` is unchanged since it was validated against ``schema``/``options``.

        ``schema=None`` checks the frame only (for reading back the report).
        """
        if schema is not None and (schema is not self.schema or options != self.options):
            return False
        return fingerprint(frame) == self.fingerprint


def _expired() -> None:
    return None


def stamp(frame: pd.DataFrame, schema: TableSchema, options: Hashable, result: object) -> None:
    """Mark ``frame`` as validated against ``schema`` with ``options``; ``result`` is kept."""
    frame.attrs[KEY] = Stamp(frame, schema, options, result)


def stamped(frame: pd.DataFrame, schema: TableSchema | None, options: Hashable) -> object | None:
    """Return the kept result when ``frame`` is still validated against ``schema``/``options``.

    With ``schema=None``, any schema and options are accepted (for reading the report of a
    frame); the fingerprint is always checked.
    """
    mark = frame.attrs.get(KEY)
    if isinstance(mark, Stamp) and mark.matches(frame, schema, options):
        return mark.result
    return None
