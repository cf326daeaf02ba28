"""The generic table reader: load, match headers, parse cells, run the schema's checks (private).

Every problem is recorded, never raised on the spot; :func:`run` returns the canonical frame
and the issues, and the public :func:`eduequity.io.read_table` raises one
:class:`~eduequity.errors.InputError` carrying all of them.
"""

from __future__ import annotations

import datetime as dt
import heapq
import warnings
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping
from decimal import Decimal
from functools import partial
from typing import Any, Final

import attrs
import numpy as np
import pandas as pd

from eduequity._codes import factorize
from eduequity._typing import BoolArray, FloatArray, IntArray
from eduequity._validation import is_missing
from eduequity.errors import InvalidArgumentError, Issue, NumericIdWarning
from eduequity.io._load import MAX_ROWS_LISTED, LoadIssue, RawTable, list_rows, load_source
from eduequity.io._normalize import (
    MAX_MAGNITUDE,
    MIN_MAGNITUDE,
    ObjectArray,
    display_value,
    factorize_cells,
    fold,
    format_number,
    integral_mask,
    lookup_enum,
    normalize_header,
    normalize_key,
    number_problem,
    parse_bool_cell,
    parse_date_cell,
    parse_distinct,
    parse_numbers,
    parse_text_cell,
    printable,
    split_header_unit,
    text_column,
)
from eduequity.io._spec import (
    KNOWN_UNITS,
    UNIT_CONVERSIONS,
    UNIT_SYNONYMS,
    WHOLE_KINDS,
    ColumnSpec,
    TableSchema,
)

YEAR_RANGE: Final = (1000, 9999)
PERCENT_HINT_LIMIT: Final = 100
_SEPARATORS: Final = ("、", ",", ";", "/", "|", "和", "及", "与")


# --------------------------------------------------------------------------------------
# issues


@attrs.define(kw_only=True)
class Pending:
    """An issue before its row label and key are known."""

    code: str
    description: str
    severity: str = "error"
    position: int | None = None
    column: str | None = None
    header: str | None = None
    value: str | None = None


def label_order(label: Hashable) -> tuple[int, int | float | str]:
    """Sort key of a row label: numbers by value, before any other label by its text."""
    if isinstance(label, int | float | np.integer | np.floating) and not isinstance(
        label, bool | np.bool_
    ):
        return (0, label.item() if isinstance(label, np.generic) else label)
    return (1, str(label))


def _row_label(label: Hashable) -> int | str:
    if isinstance(label, bool | np.bool_):
        return str(label)
    if isinstance(label, int | np.integer):
        return int(label)
    return str(label)


# --------------------------------------------------------------------------------------
# the context handed to prepare steps and checks


class TableContext:
    """State of one read: the typed frame, headers, options and the issues found so far.

    A :class:`~eduequity.io.TableSchema`'s ``prepare`` steps and ``checks`` receive it.
    Rows are addressed by their current position ``i`` (0..n-1); :attr:`positions` maps them
    to the original rows, whose labels (spreadsheet row or index label) and keys name them
    in messages. Checks read columns with :meth:`numbers`, :meth:`texts`, :meth:`present`
    and :meth:`missing`, and record problems with :meth:`flag` (one issue per masked row)
    or :meth:`add`; :meth:`keep` selects rows, :meth:`note` records a conversion.

    Examples
    --------
    >>> import pandas as pd
    >>> from eduequity.io import ColumnSpec, TableSchema, read_table
    >>> def no_crowds(ctx):
    ...     pupils = ctx.numbers("pupils")
    ...     ctx.flag("outlier_value", pupils > 3000, column="pupils", severity="warning",
    ...              describe=lambda i: f"{pupils[i]:.0f} pupils in one school")
    >>> schema = TableSchema(name="demo", title="demo", checks=(no_crowds,), columns=(
    ...     ColumnSpec(name="pupils", kind="count", aliases=("学生数",)),))
    >>> [issue.message for issue in read_table(pd.DataFrame({"学生数": [12, 4000]}), schema).issues]
    ["row 1, column pupils (header '学生数'): 4000 pupils in one school"]
    """

    def __init__(
        self,
        *,
        schema: TableSchema,
        table: str,
        raw: RawTable,
        options: Mapping[str, Any],
    ) -> None:
        self.schema = schema
        self.table = table
        self.raw = raw
        self.options = options
        self.frame = pd.DataFrame(index=pd.RangeIndex(raw.cells.shape[0]))
        self.positions = np.arange(raw.cells.shape[0])
        self.headers: dict[str, str] = {}
        self.pending: list[Pending] = []
        self.conversions: list[str] = list(raw.notes)
        self.key_columns: list[tuple[str, np.ndarray[Any, Any]]] = []
        self.percent_columns: set[str] = set()
        self.invalid: dict[str, BoolArray] = {}
        self.derived: dict[str, str] = {}
        self._codes: dict[str, IntArray] = {}
        self.printable: set[str] = set()
        self._arrow_texts: dict[str, tuple[pd.Series, np.ndarray[Any, Any]]] = {}
        """Text columns known to hold no control character (checked while parsing)."""

    # -- columns ----------------------------------------------------------------------

    def has(self, column: str) -> bool:
        """Whether a canonical column is present (in the source or derived)."""
        return column in self.frame.columns

    def header(self, column: str) -> str | None:
        """Return the source header of a column (None when derived or absent)."""
        return self.headers.get(column)

    def numbers(self, column: str) -> FloatArray:
        """Return a numeric column as float64 (all NaN when the column is absent)."""
        if column not in self.frame.columns:
            return np.full(len(self.frame), np.nan)
        return np.asarray(self.frame[column].to_numpy(dtype=np.float64, na_value=np.nan))

    def texts(self, column: str) -> np.ndarray[Any, np.dtype[np.object_]]:
        """Return a text or enum column as objects (None = missing; all None if absent)."""
        if column not in self.frame.columns:
            return np.full(len(self.frame), None, dtype=object)
        return np.asarray(self.frame[column].to_numpy(dtype=object))

    def invalid_cells(self, column: str) -> BoolArray:
        """Where a cell of ``column`` failed to parse (already reported; now NaN/None)."""
        mask = self.invalid.get(column)
        if mask is None:
            return np.zeros(len(self.frame), dtype=np.bool_)
        return mask[self.positions]

    def missing(self, column: str) -> BoolArray:
        """Where a present column has no value and the cell did not fail to parse."""
        if column not in self.frame.columns:
            return np.zeros(len(self.frame), dtype=np.bool_)
        return ~self.present(column) & ~self.invalid_cells(column)

    def present(self, column: str) -> BoolArray:
        """Where a column has a value (all False when the column is absent)."""
        if column not in self.frame.columns:
            return np.zeros(len(self.frame), dtype=np.bool_)
        return np.asarray(self.frame[column].notna().to_numpy(dtype=np.bool_))

    def key(self, position: int) -> str | None:
        """Key text of an original row (``school_id=3701020001``), None if it has none."""
        parts = []
        for name, values in self.key_columns:
            value = values[position]
            if isinstance(value, float):
                if not np.isnan(value):
                    parts.append(f"{name}={format_number(value)}")
            elif value is not None:
                parts.append(f"{name}={value}")
        return ", ".join(parts) if parts else None

    def label(self, i: int) -> int | str:
        """Row label of the current row ``i`` (spreadsheet row or index label)."""
        return _row_label(self.raw.labels[int(self.positions[i])])

    def rows_text(self, rows: Iterable[int]) -> str:
        """``"rows 4, 9"`` for current rows, in the order of their labels (not of the input)."""
        rows = list(rows)
        labels = self.raw.labels
        if self.raw.from_file:  # labels grow with the rows of a file
            shown = sorted(rows)[:MAX_ROWS_LISTED]
        elif isinstance(labels, pd.Index) and labels.dtype.kind in "iu":
            # integer labels (a RangeIndex): sorted by value, as label_order does, in numpy
            values = labels.to_numpy()[self.positions[np.asarray(rows, dtype=np.int64)]]
            first = np.argsort(values, kind="stable")[:MAX_ROWS_LISTED]
            shown = [rows[i] for i in first.tolist()]
        else:
            shown = heapq.nsmallest(MAX_ROWS_LISTED, rows, key=lambda i: label_order(self.label(i)))
        return list_rows([self.label(i) for i in shown], len(rows))

    def name_column(self, column: str) -> str:
        """``"students_primary (header '小学在校生数')"`` for use inside descriptions."""
        header = self.header(column)
        if header is not None and header != column:
            return f"{column} (header {header!r})"
        return column

    # -- issues -----------------------------------------------------------------------

    def add(
        self,
        code: str,
        description: str,
        *,
        row: int | None = None,
        column: str | None = None,
        value: str | None = None,
        severity: str = "error",
    ) -> None:
        """Record one issue; ``row`` is a current row position or None for the table."""
        position = None if row is None else int(self.positions[row])
        self.pending.append(
            Pending(
                code=code,
                description=description,
                severity=severity,
                position=position,
                column=column,
                header=None if column is None else self.header(column),
                value=value,
            )
        )

    def flag(
        self,
        code: str,
        mask: BoolArray,
        *,
        column: str | None,
        describe: Callable[[int], str],
        value: Callable[[int], str | None] | None = None,
        severity: str = "error",
    ) -> int:
        """Record one issue per row where ``mask`` holds; return how many."""
        rows = np.flatnonzero(mask)
        for i in rows.tolist():
            self.add(
                code,
                describe(i),
                row=i,
                column=column,
                value=None if value is None else value(i),
                severity=severity,
            )
        return int(rows.size)

    def note(self, text: str) -> None:
        """Record a conversion or derivation in the result's ``conversions``."""
        self.conversions.append(text)

    def codes(self, column: str) -> IntArray:
        """Return integer codes of a text column (-1 where missing), computed once.

        Equal texts get equal codes, so checks group and compare rows on integers.
        """
        found = self._codes.get(column)
        if found is None:
            cells = self._arrow_texts_unchanged(column)
            if cells is None:
                found = factorize(self.texts(column))[0]
            else:
                # Coded in Arrow's memory (the column holds its cells as given), then
                # renumbered in the order of first appearance among the rows kept.
                raw = np.asarray(pd.factorize(cells)[0], dtype=np.int64)[self.positions]
                found = np.full(raw.size, -1, dtype=np.int64)
                present = raw >= 0
                found[present] = pd.factorize(raw[present])[0]
            self._codes[column] = found
        return found

    def arrow_texts(self, column: str, cells: pd.Series) -> None:
        """Record that a text column holds ``cells`` as given, in Arrow, to code it there."""
        self._arrow_texts[column] = (cells, self.frame[column].to_numpy())

    def _arrow_texts_unchanged(self, column: str) -> pd.Series | None:
        """Return the Arrow cells of a text column while the frame still holds the texts read."""
        found = self._arrow_texts.get(column)
        if found is None or column not in self.frame.columns:
            return None
        # the texts read are kept, so a column put in their place cannot reuse their memory
        cells, texts = found
        current = self.frame[column].to_numpy()
        same = (
            current.__array_interface__["data"][0] == texts.__array_interface__["data"][0]
            and current.shape == texts.shape
            and current.strides == texts.strides
        )
        return cells if same else None

    def set_codes(self, column: str, codes: IntArray) -> None:
        """Record the codes of a text column computed with other values (as :meth:`codes`)."""
        self._codes[column] = codes

    def keep(self, mask: BoolArray) -> None:
        """Keep only the current rows where ``mask`` holds; their cell issues go with them."""
        dropped = set(self.positions[~mask].tolist())
        self.pending = [item for item in self.pending if item.position not in dropped]
        self.positions = self.positions[mask]
        self.frame = self.frame.loc[mask].reset_index(drop=True)
        self._codes = {column: codes[mask] for column, codes in self._codes.items()}

    def value_text(self, column: str) -> Callable[[int], str | None]:
        """Return a function giving the display text of a numeric cell on row ``i``."""
        values = self.numbers(column)
        return lambda i: format_number(float(values[i]))


# --------------------------------------------------------------------------------------
# header matching


def match_headers(ctx: TableContext) -> tuple[dict[str, int], dict[str, Decimal], list[int]]:
    """Match source headers to canonical columns (docs: Input tables).

    Returns the source position of each matched column, the scale factor of each column
    whose header carries a converted unit, and the positions of unknown columns.
    """
    schema = ctx.schema
    matched: dict[str, int] = {}
    scales: dict[str, Decimal] = {}
    unknown: list[int] = []
    for position, header in enumerate(ctx.raw.headers):
        original = "" if _is_blank_header(header) else str(header)
        normalized = normalize_header(original)
        name = schema.header_table.get(normalized)
        unit: str | None = None
        if name is None:
            base, unit = split_header_unit(normalized)
            if unit is not None and unit in KNOWN_UNITS:
                name = schema.header_table.get(base)
        if name is None:
            unknown.append(position)
            _report_unknown(ctx, position, original)
            continue
        if name in matched:
            first = ctx.headers[name]
            ctx.add(
                "duplicate_column",
                f"headers {first!r} and {original!r} both name column {name}; keep one",
                column=name,
                value=original,
            )
            continue
        spec = schema.column(name)
        if unit is not None and not _accept_unit(ctx, spec, unit, original, scales):
            continue
        matched[name] = position
        ctx.headers[name] = original
    return matched, scales, unknown


def _is_blank_header(header: Hashable) -> bool:
    return header is None or (isinstance(header, float) and np.isnan(header))


def _report_unknown(ctx: TableContext, position: int, original: str) -> None:
    if not normalize_header(original):
        column = ctx.raw.cells[position]
        if all(parse_text_cell(value, identifier=False) is None for value in column.tolist()):
            return
        description = f"column {position + 1} has no header and is ignored"
    elif ctx.raw.from_file:
        description = f"unknown column {original!r} is ignored"
    else:
        description = f"unknown column {original!r} is kept unchanged and not validated"
    ctx.pending.append(
        Pending(code="unknown_column", description=description, severity="warning", value=original)
    )


def _accept_unit(
    ctx: TableContext, spec: ColumnSpec, unit: str, original: str, scales: dict[str, Decimal]
) -> bool:
    canonical = spec.unit
    if canonical is not None and unit in UNIT_SYNONYMS.get(canonical, frozenset()):
        return True
    conversion = UNIT_CONVERSIONS.get(canonical or "", {}).get(unit)
    if conversion is not None:
        factor, what = conversion
        scales[spec.name] = factor
        if canonical in {"fraction", "ratio"}:
            ctx.percent_columns.add(spec.name)
        ctx.note(f"{spec.name}: header unit {unit}, {what}")
        return True
    accepted = sorted(
        UNIT_SYNONYMS.get(canonical or "", frozenset())
        | set(UNIT_CONVERSIONS.get(canonical or "", {}))
    )
    expected = f"unit {canonical}" if canonical else "no unit"
    choices = f"; accepted header units: {', '.join(accepted)}" if accepted else ""
    ctx.pending.append(
        Pending(
            code="unsupported_unit",
            description=(
                f"header {original!r} gives unit {unit!r}, which eduequity does not convert "
                f"for column {spec.name} ({expected}){choices}; convert the values and "
                "rename the header; nothing is rescaled silently"
            ),
            column=spec.name,
            header=original,
            value=unit,
        )
    )
    return False


# --------------------------------------------------------------------------------------
# cell parsing


def parse_columns(
    ctx: TableContext,
    matched: Mapping[str, int],
    scales: Mapping[str, Decimal],
    empty_as_zero: Collection[str],
    value_maps: Mapping[str, Mapping[str, str]],
) -> None:
    """Parse every matched column into ``ctx.frame`` (schema order), recording cell issues."""
    for spec in ctx.schema.columns:
        if spec.name not in matched:
            continue
        cells = ctx.raw.cells[matched[spec.name]]
        if spec.numeric:
            values = _parse_numeric(ctx, spec, cells, scales.get(spec.name))
            if spec.name in empty_as_zero:
                # blank: no value and no problem reported for the cell (a missing token)
                missing = np.isnan(values) & ~ctx.invalid_cells(spec.name)
                values[missing] = 0.0
                ctx.note(
                    f"{spec.name}: {int(missing.sum())} missing cells read as 0 (empty_as_zero)"
                )
            ctx.frame[spec.name] = values
        elif spec.kind == "bool":
            ctx.frame[spec.name] = _parse_bool(ctx, spec, cells)
        elif spec.kind == "enum":
            ctx.frame[spec.name] = _parse_enum(ctx, spec, cells, value_maps.get(spec.name, {}))
        elif spec.kind == "date":
            ctx.frame[spec.name] = _parse_date(ctx, spec, cells)
        else:
            _parse_text(ctx, spec, cells)


def _parse_text(ctx: TableContext, spec: ColumnSpec, cells: pd.Series) -> None:
    """Parse a text column into ``ctx.frame``; clean Arrow texts are also coded in Arrow."""
    if spec.identifier:
        _check_numeric_ids(ctx, spec, cells)
    texts, controls, as_given = text_column(cells, identifier=spec.identifier)
    ctx.frame[spec.name] = pd.Series(texts, dtype=object)
    if not controls:
        ctx.printable.add(spec.name)
        if as_given and _arrow_strings(cells):
            ctx.arrow_texts(spec.name, cells)


def _arrow_strings(cells: pd.Series) -> bool:
    """Whether a column holds its texts in Arrow's memory (pandas' ``str`` on pyarrow)."""
    return isinstance(cells.dtype, pd.StringDtype) and cells.dtype.storage == "pyarrow"


ID_DIGITS: Final = {"school_id": 10, "parent_school_id": 10, "county_code": 6}
"""Digits of the official codes: the school identification code (学校标识码) and the
administrative division code of a county (行政区划代码)."""


def _check_numeric_ids(ctx: TableContext, spec: ColumnSpec, cells: pd.Series) -> None:
    """Warn when ids given as numbers may have lost their leading zeros.

    A number has no leading zeros, so ``0990010001`` given as a number reads ``990010001``.
    Zeros may have been lost when the whole-number ids have differing digit counts, or fewer
    digits than the official code (:data:`ID_DIGITS`).
    """
    if cells.dtype.kind not in "iuf":
        if pd.api.types.infer_dtype(cells, skipna=True) in {"string", "empty"}:
            return
        cells = pd.to_numeric(cells.where(cells.map(_is_number)), errors="coerce")
    values = np.abs(cells.to_numpy(dtype=np.float64, na_value=np.nan))
    values = values[np.isfinite(values) & (values == np.floor(values))]
    if values.size == 0:
        return
    digits = np.where(values >= 1, np.floor(np.log10(np.maximum(values, 1))) + 1, 1)
    expected = ID_DIGITS.get(spec.name)
    shortest, longest = int(digits.min()), int(digits.max())
    if shortest == longest and (expected is None or shortest >= expected):
        return
    reason = (
        f"the ids have {shortest} to {longest} digits"
        if shortest != longest
        else f"{spec.name} has {expected} digits, these ids {shortest}"
    )
    message = (
        f"column {ctx.name_column(spec.name)}: {values.size} ids were given as numbers and are "
        f"read as text, but leading zeros may have been lost ({reason}); keep the ids as text "
        "(in a spreadsheet: cells formatted as text; in pandas: dtype=str)"
    )
    ctx.add("numeric_id", message, column=spec.name, severity="warning")
    warnings.warn(message, NumericIdWarning, stacklevel=2)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(
        value, bool | np.bool_
    )


def _raw_text(cells: pd.Series, row: int) -> str:
    """Return the cell of ``row`` as written, for messages."""
    value = cells.iloc[row]
    return "" if is_missing(value) else display_value(value)


def _rows_with(codes: IntArray, results: ObjectArray, bad: Callable[[Any], bool]) -> list[int]:
    """Rows whose distinct result is ``bad`` (checked once per distinct cell)."""
    wanted = [code for code, result in enumerate(results) if bad(result)]
    if not wanted:
        return []
    return np.flatnonzero(np.isin(codes, wanted)).tolist()


def _parse_numeric(
    ctx: TableContext, spec: ColumnSpec, cells: pd.Series, scale: Decimal | None
) -> FloatArray:
    percent_allowed = spec.unit in {"fraction", "ratio"}
    if cells.dtype.kind in "iuf" and scale is None:
        values = cells.to_numpy(dtype=np.float64, na_value=np.nan).copy()
        with np.errstate(invalid="ignore"):
            size = np.abs(values)
            bad = np.isinf(values) | (size > MAX_MAGNITUDE) | ((size < MIN_MAGNITUDE) & (size > 0))
        percent = np.zeros(values.size, dtype=np.bool_)
        for i in np.flatnonzero(bad).tolist():
            text = format_number(float(values[i]))
            _cell_issue(
                ctx,
                spec,
                i,
                code=spec.invalid_code or "not_a_number",
                description=(
                    f"{text!r} is not a finite number"
                    if np.isinf(values[i])
                    else number_problem("out_of_range", text)
                ),
                value=text,
            )
    else:
        codes, distinct = factorize_cells(cells)
        shift = None if scale is None else _power_of_ten(scale)
        parsed, outcomes, signs = parse_numbers(
            distinct,
            percent_allowed=percent_allowed,
            shift=shift,
            whole_number=spec.kind in WHOLE_KINDS,
        )
        status = np.array([*outcomes, "missing"], dtype=object)[codes]
        values = np.append(parsed, np.nan)[codes]
        percent = np.append(signs, False)[codes]
        bad = (status != "ok") & (status != "missing")
        if bad.any():
            for i in np.flatnonzero(bad).tolist():
                raw = _raw_text(cells, i)
                _cell_issue(
                    ctx,
                    spec,
                    i,
                    code=spec.invalid_code or "not_a_number",
                    description=number_problem(status[i], raw),
                    value=raw,
                )
    values[bad] = np.nan
    _check_range(ctx, spec, cells, values, percent | (spec.name in ctx.percent_columns))
    return values


def _power_of_ten(scale: Decimal) -> int:
    """Return ``k`` for a header unit factor ``10**k`` (万元: 4, %: -2)."""
    exponent = scale.adjusted()
    if scale != Decimal(1).scaleb(exponent):  # pragma: no cover - units are powers of ten
        msg = f"unit factor {scale} is not a power of ten"
        raise InvalidArgumentError(msg, code="schema_error")
    return exponent


def _cell_issue(
    ctx: TableContext, spec: ColumnSpec, position: int, *, code: str, description: str, value: str
) -> None:
    mask = ctx.invalid.get(spec.name)
    if mask is None:
        mask = ctx.invalid[spec.name] = np.zeros(ctx.raw.cells.shape[0], dtype=np.bool_)
    mask[position] = True
    ctx.pending.append(
        Pending(
            code=code,
            description=description,
            position=position,
            column=spec.name,
            header=ctx.headers.get(spec.name),
            value=value,
        )
    )


def _check_whole(ctx: TableContext, spec: ColumnSpec, cells: pd.Series, values: FloatArray) -> None:
    """Flag (and blank) the values of a whole-number column that are not whole (or not years)."""
    finite = np.isfinite(values)
    fractional = finite & ~integral_mask(values)
    if spec.kind == "year":
        fractional |= finite & ((values < YEAR_RANGE[0]) | (values > YEAR_RANGE[1]))
        code, what = spec.invalid_code or "not_a_number", "is not a four-digit year"
    elif spec.kind == "count":
        code = spec.invalid_code or "non_integer_count"
        what = "is not a whole number; counts must be integers"
    else:
        code, what = spec.invalid_code or "non_integer_count", "is not a whole number"
    for i in np.flatnonzero(fractional).tolist():
        raw = _raw_text(cells, i)
        _cell_issue(ctx, spec, i, code=code, description=f"{raw!r} {what}", value=raw)
    values[fractional] = np.nan


def _check_range(
    ctx: TableContext, spec: ColumnSpec, cells: pd.Series, values: FloatArray, percent: BoolArray
) -> None:
    if spec.kind in WHOLE_KINDS:
        _check_whole(ctx, spec, cells, values)
    finite = np.isfinite(values)
    low = np.zeros(values.size, dtype=np.bool_)
    high = np.zeros(values.size, dtype=np.bool_)
    with np.errstate(invalid="ignore"):
        if spec.minimum is not None:
            minimum = float(spec.minimum)
            low = finite & ((values <= minimum) if spec.minimum_exclusive else (values < minimum))
        if spec.maximum is not None:
            high = finite & (values > float(spec.maximum))
    out = low | high
    if not out.any():
        return
    for i in np.flatnonzero(out).tolist():
        text = _raw_text(cells, i)
        if spec.maximum is None and spec.minimum is not None and not spec.minimum_exclusive:
            what = f"{text!r} is negative; expected a value >= {spec.minimum}"
        elif spec.maximum is None:
            what = f"{text!r} is not > {spec.minimum}"
        else:
            what = f"{text!r} is outside [{spec.minimum}, {spec.maximum}]"
            if (
                spec.kind == "rate"
                and high[i]
                and not percent[i]
                and values[i] <= PERCENT_HINT_LIMIT
            ):
                what += (
                    "; looks like a percentage: give a fraction, add a % sign, "
                    "or mark the header with (%)"
                )
        _cell_issue(ctx, spec, i, code=spec.range_code, description=what, value=text)


def _parse_bool(ctx: TableContext, spec: ColumnSpec, cells: pd.Series) -> pd.Series:
    codes, status = parse_distinct(cells, parse_bool_cell, "missing")
    for i in _rows_with(codes, status, lambda item: item == "invalid"):
        raw = _raw_text(cells, i)
        _cell_issue(
            ctx,
            spec,
            i,
            code=spec.invalid_code or "not_a_boolean",
            description=(
                f"{raw!r} is not a boolean; expected true/false, 1/0, yes/no, y/n, 是/否 or 有/无"
            ),
            value=raw,
        )
    # the nullable booleans built from their values and mask, without a cell of Python objects
    truth = np.array([item == "true" for item in status], dtype=np.bool_)
    unknown = np.array([item not in {"true", "false"} for item in status], dtype=np.bool_)
    return pd.Series(pd.arrays.BooleanArray(truth[codes], unknown[codes]))


def _parse_enum(
    ctx: TableContext, spec: ColumnSpec, cells: pd.Series, extra: Mapping[str, str]
) -> pd.Series:
    enum = spec.enum
    if enum is None:  # pragma: no cover - ColumnSpec guarantees it
        msg = f"column {spec.name} has no enum spec"
        raise InvalidArgumentError(msg, code="schema_error")
    table = dict(enum.table)
    for text, target in extra.items():
        table[normalize_key(text)] = target
    codes, parsed = parse_distinct(cells, lambda value: lookup_enum(value, table), ("missing", ""))
    for i in _rows_with(codes, parsed, lambda item: item[0] == "invalid"):
        raw = _raw_text(cells, i)
        code, description = _enum_problem(spec, raw, table)
        _cell_issue(ctx, spec, i, code=code, description=description, value=raw)
    values = np.array([value if status == "ok" else None for status, value in parsed], dtype=object)
    return pd.Series(values[codes], dtype=object)


def _check_value_map(spec: ColumnSpec, labels: Mapping[str, str]) -> None:
    if spec.enum is None:
        msg = f"value_maps applies to enum columns; {spec.name} is {spec.kind}"
        raise InvalidArgumentError(msg, code="invalid_option")
    for text, target in labels.items():
        if target not in spec.enum.canonical:
            msg = (
                f"value_maps[{spec.name!r}] maps {text!r} to {target!r}, which is not one of "
                f"{', '.join(spec.enum.canonical)}"
            )
            raise InvalidArgumentError(msg, code="invalid_option")


def _enum_problem(spec: ColumnSpec, text: str, table: Mapping[str, str]) -> tuple[str, str]:
    enum = spec.enum
    if enum is None:  # pragma: no cover - ColumnSpec guarantees it
        return "unknown_value", text
    if enum.combined_code is not None:
        parts = [text]
        for separator in _SEPARATORS:
            parts = [piece for part in parts for piece in fold(part).split(separator)]
        named = {table.get(normalize_key(part)) for part in parts if part.strip()}
        if len(parts) > 1 and None not in named and len(named) > 1:
            return enum.combined_code, (
                f"{text!r} names several {spec.name} values "
                f"({', '.join(sorted(map(str, named)))}); "
                f"map it to one explicitly (value_maps={{{spec.name!r}: {{{text!r}: ...}}}})"
            )
    description = f"{text!r} is not a known {spec.name}; allowed: {enum.allowed()}"
    hint = enum.hint(text)
    if hint is not None:
        description += f"; {hint}"
    return spec.invalid_code or "unknown_value", description


def _parse_date(ctx: TableContext, spec: ColumnSpec, cells: pd.Series) -> pd.Series:
    missing: dt.date | str = "missing"
    codes, parsed = parse_distinct(cells, parse_date_cell, missing)
    for i in _rows_with(codes, parsed, lambda item: isinstance(item, str) and item == "invalid"):
        raw = _raw_text(cells, i)
        _cell_issue(
            ctx,
            spec,
            i,
            code=spec.invalid_code or "bad_date",
            description=f"{raw!r} is not a date; expected YYYY-MM-DD or YYYY年M月D日",
            value=raw,
        )
    stamps = np.array(
        [
            np.datetime64("NaT", "ns") if isinstance(item, str) else np.datetime64(item, "ns")
            for item in parsed
        ],
        dtype="datetime64[ns]",
    )
    return pd.Series(stamps[codes], dtype="datetime64[ns]")


# --------------------------------------------------------------------------------------
# generic checks and the run


def printable_texts(ctx: TableContext) -> None:
    """Replace control characters in text columns, with warning ``control_characters``.

    Names reach reports, CSV files and terminals, where an escape sequence could recolour or
    rewrite what is shown; a warning per cell names the row and the column.
    """
    for spec in ctx.schema.columns:
        if spec.kind == "string" and ctx.has(spec.name) and spec.name not in ctx.printable:
            _printable_column(ctx, spec.name)


def _printable_column(ctx: TableContext, name: str) -> None:
    original = ctx.frame[name]
    cleaned, changed = printable(original)
    if not changed.any():
        return
    raw = original.to_numpy(dtype=object)
    ctx.frame[name] = cleaned

    def describe(i: int) -> str:
        return (
            f"{raw[i]!r} holds control characters; they are shown as U+FFFD (line breaks and "
            "tabs as spaces), since they could rewrite what a terminal shows: correct the text"
        )

    ctx.flag(
        "control_characters",
        changed,
        column=name,
        describe=describe,
        value=lambda i: repr(raw[i]),
        severity="warning",
    )


def check_required(ctx: TableContext) -> None:
    """Report absent required columns and missing cells of ``cell_required`` columns."""
    for spec in ctx.schema.columns:
        if spec.required and not ctx.has(spec.name):
            report_missing_column(ctx, spec.name)
    for spec in ctx.schema.columns:
        if spec.cell_required and ctx.has(spec.name):
            description = f"{spec.name} is missing; every row needs one"
            ctx.flag(
                "missing_value",
                ctx.missing(spec.name),
                column=spec.name,
                describe=partial(_constant, description),
            )


def _constant(text: str, _row: int) -> str:
    return text


def report_missing_column(ctx: TableContext, name: str, reason: str = "") -> None:
    """Record ``missing_required_column`` for ``name``, listing its accepted headers."""
    spec = ctx.schema.column(name)
    accepted = ", ".join(repr(header) for header in spec.headers)
    ctx.add(
        "missing_required_column",
        f"required column {name} is missing{reason}; accepted headers: {accepted}",
        column=name,
    )


def compute_keys(ctx: TableContext) -> None:
    """Keep the key columns (``school_id``, ...) of every original row for the messages.

    The key text of a row (``school_id=3701020001``) is rendered only for rows named in an
    issue, by :meth:`TableContext.key`.
    """
    ctx.key_columns = [
        (name, ctx.numbers(name) if ctx.schema.column(name).numeric else ctx.texts(name))
        for name in ctx.schema.key_columns
        if ctx.has(name)
    ]


def materialize(ctx: TableContext, pending: Pending, *, strict: bool) -> Issue:
    """Turn a pending issue into an :class:`Issue` with its row label, key and message."""
    severity = pending.severity
    if strict and severity == "warning" and pending.code in ctx.schema.strict_codes:
        severity = "error"
    row: int | str | None = None
    key: str | None = None
    where: list[str] = []
    if pending.position is not None:
        row = _row_label(ctx.raw.labels[pending.position])
        key = ctx.key(pending.position)
        where.append(f"row {row}" + (f" ({key})" if key else ""))
    if pending.column is not None:
        column = f"column {pending.column}"
        if pending.header is not None and pending.header != pending.column:
            column += f" (header {pending.header!r})"
        where.append(column)
    message = f"{', '.join(where)}: {pending.description}" if where else pending.description
    return Issue(
        code=pending.code,
        message=message,
        severity="error" if severity == "error" else "warning",
        table=ctx.table,
        row=row,
        key=key,
        column=pending.column,
        header=pending.header,
        value=pending.value,
    )


def loaded_issue(item: LoadIssue, table: str) -> Issue:
    """Turn a problem found while loading (a totals row, a short row) into an :class:`Issue`."""
    issue = Issue(
        code=item.code,
        message=item.description,
        severity="warning" if item.severity == "warning" else "error",
        table=table,
        row=None if item.row is None else _row_label(item.row),
        column=item.column,
        header=item.header,
        value=item.value,
    )
    where = issue.location(with_table=False)
    return attrs.evolve(
        issue, message=f"{where}: {item.description}" if where else item.description
    )


@attrs.frozen(kw_only=True)
class RunResult:
    """What :func:`run` hands to the public wrapper."""

    frame: pd.DataFrame
    errors: tuple[Issue, ...]
    warnings: tuple[Issue, ...]
    headers: Mapping[str, str]
    conversions: tuple[str, ...]
    source: str
    rows_read: int


def run(
    source: object,
    schema: TableSchema,
    *,
    table: str,
    sheet: str | int | None,
    encoding: str | None,
    strict: bool,
    empty_as_zero: Collection[str],
    value_maps: Mapping[str, Mapping[str, str]],
    options: Mapping[str, Any],
) -> RunResult:
    """Read and validate ``source`` against ``schema``; collect every issue."""
    for name in (*empty_as_zero, *value_maps):
        if name not in schema.by_name:
            msg = f"{name!r} is not a column of the {schema.name} table"
            raise InvalidArgumentError(msg, code="invalid_option")
    for name, mapping in value_maps.items():
        _check_value_map(schema.column(name), mapping)
    for name in empty_as_zero:
        if not schema.column(name).numeric:
            msg = f"empty_as_zero applies to numeric columns; {name} is {schema.column(name).kind}"
            raise InvalidArgumentError(msg, code="invalid_option")
    raw = load_source(source, schema=schema, sheet=sheet, encoding=encoding)
    ctx = TableContext(schema=schema, table=table, raw=raw, options=options)
    matched, scales, unknown = match_headers(ctx)
    parse_columns(ctx, matched, scales, set(empty_as_zero), value_maps)
    printable_texts(ctx)
    compute_keys(ctx)
    check_required(ctx)
    for step in schema.prepare:
        step(ctx)
    for check in schema.checks:
        check(ctx)
    # table-level issues first, then row by row in the order of the row labels (the source
    # order of a file; a data frame's index, whatever the order of its rows) and column by
    # column in schema order (the sort is stable, so several issues of one cell keep the check
    # order)
    column_order = {spec.name: index for index, spec in enumerate(schema.columns)}
    ordered = sorted(
        ctx.pending,
        key=lambda item: (
            (-1, 0) if item.position is None else label_order(raw.labels[item.position]),
            column_order.get(item.column or "", -1),
        ),
    )
    issues = [
        *(loaded_issue(item, table) for item in raw.issues),
        *(materialize(ctx, item, strict=strict) for item in ordered),
    ]
    frame = ctx.frame[[spec.name for spec in schema.columns if spec.name in ctx.frame.columns]]
    if raw.original is not None and unknown:
        extra = raw.original.iloc[ctx.positions, unknown].reset_index(drop=True)
        frame = pd.concat([frame, extra], axis=1)
    labels = raw.labels if isinstance(raw.labels, pd.Index) else pd.Index(list(raw.labels))
    labels = labels[ctx.positions]
    frame.index = labels.rename("row" if raw.from_file else raw.index_name)
    ordered_headers = {name: ctx.headers[name] for name in frame.columns if name in ctx.headers}
    return RunResult(
        frame=frame,
        errors=tuple(issue for issue in issues if issue.severity == "error"),
        warnings=tuple(issue for issue in issues if issue.severity == "warning"),
        headers=ordered_headers,
        conversions=tuple(ctx.conversions),
        source=raw.source,
        rows_read=raw.cells.shape[0],
    )


def key_frame(ctx: TableContext, columns: Iterable[str]) -> pd.DataFrame:
    """Return ``columns`` as one object frame (numbers in their shortest text)."""
    data: dict[str, list[object]] = {}
    for name in columns:
        if ctx.schema.column(name).numeric:
            data[name] = [
                None if np.isnan(v) else format_number(float(v)) for v in ctx.numbers(name)
            ]
        else:
            data[name] = list(ctx.texts(name))
    return pd.DataFrame(data, dtype=object)


def flag_duplicates(
    ctx: TableContext,
    columns: tuple[str, ...],
    code: str,
    *,
    optional: tuple[str, ...] = (),
    advice: str = "",
) -> None:
    """Flag every repeat of a key (all ``columns`` present; ``optional`` may be blank).

    Each repeat names every row holding the same key.
    """
    if not all(ctx.has(name) for name in columns):
        return
    present_optional = tuple(name for name in optional if ctx.has(name))
    keys = key_frame(ctx, (*columns, *present_optional))
    complete = keys[list(columns)].notna().all(axis=1).to_numpy(dtype=np.bool_)
    filled = keys.fillna("\x00blank")
    repeated = filled.duplicated(keep="first").to_numpy(dtype=np.bool_) & complete
    if not repeated.any():
        return
    every = filled.duplicated(keep=False).to_numpy(dtype=np.bool_) & complete
    tuples = list(filled.itertuples(index=False, name=None))
    rows_of: dict[tuple[object, ...], list[int]] = {}
    for i in np.flatnonzero(every).tolist():
        rows_of.setdefault(tuples[i], []).append(i)

    def describe(i: int) -> str:
        shown = ", ".join(
            f"{name}={value}"
            for name, value in zip(keys.columns, tuples[i], strict=True)
            if value != "\x00blank"
        )
        return f"{shown} appears on {ctx.rows_text(rows_of[tuples[i]])}{advice}"

    ctx.flag(code, repeated, column=columns[0], describe=describe)
