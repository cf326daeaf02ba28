"""Loading a source into cells (private): files, sheets, the header row, totals rows.

A source becomes a :class:`RawTable`: the data cells numbered by column position, the
header of each column and the label of each row (the spreadsheet row for files). What the
loader skips or cannot accept is recorded on the table as a note (a title row, a blank row)
or an issue (a totals row, a short row, a formula without a stored value), never dropped
silently. A file that cannot be read at all raises
:class:`~eduequity.errors.InvalidArgumentError` with a stable code.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib
import importlib.util
import io as _stdio
import math
import os
import re
import unicodedata
import zipfile
from collections.abc import Hashable, Sequence
from pathlib import Path, PurePosixPath
from typing import Any, Final

import attrs
import numpy as np
import pandas as pd

from eduequity._validation import is_missing
from eduequity.errors import EduEquityError, InvalidArgumentError, InvalidTypeError
from eduequity.io._normalize import normalize_header, split_header_unit
from eduequity.io._spec import KNOWN_UNITS, WHOLE_KINDS, TableSchema

CSV_SUFFIXES: Final = frozenset({".csv", ".txt"})
EXCEL_SUFFIXES: Final = frozenset({".xlsx", ".xlsm", ".xls", ".ods", ".et"})
AUTO_ENCODINGS: Final = ("utf-8-sig", "gb18030")
HEADER_SCAN_ROWS: Final = 30
"""Rows searched for the header row (title, unit and note rows above it)."""
TOTALS_WORDS: Final = ("合计", "总计", "小计")
"""Row labels that mark a totals row (also 全县合计, 城区小计, with spaces or full-width)."""
FOOTER_PREFIXES: Final = ("注", "说明", "备注", "填表人", "填报人", "制表", "审核", "负责人")
"""Starts of the note and signature lines under a table (注：…, 填表人：…)."""
COLUMN_NUMBER_LETTERS: Final = frozenset("甲乙丙丁戊己庚辛壬癸")
"""Column numbers of statistical forms: 甲, 乙 for the text columns, then 1, 2, 3, …"""
MISSING_EXTRA_HINT: Final = (
    "install it with: python -m pip install python-calamine "
    '(the same as the "excel" extra: python -m pip install "eduequity[excel]")'
)
_MAX_LISTED: Final = 5
MAX_ROWS_LISTED: Final = 5
"""Rows named in a message before the rest are counted."""
_PREVIEW: Final = 30
_STRAY_RATIO: Final = 4
_CONTROL_LIMIT: Final = 0.01
_ZIP_MAGIC: Final = b"PK\x03\x04"
_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_UTF16_BOMS: Final = (b"\xff\xfe", b"\xfe\xff")
_CELL: Final = re.compile(rb'<c\s[^>]*?\br="([A-Z]+)([0-9]+)"[^>]*?(?<!/)>(.*?)</c>', re.DOTALL)
_VALUE: Final = re.compile(rb"<v>[^<]")
_UNIT_PREFIX: Final = re.compile(r"^(?:单位|计量单位)[:：]?")
_SPACES: Final = re.compile(r"\s+")
_TOTALS_MARK: Final = "计"  # the last character of every totals word
_UNCLOSED_QUOTE: Final = re.compile(r"EOF inside string starting at row (\d+)")


@attrs.frozen(kw_only=True)
class LoadIssue:
    """A problem found while loading, before the table's columns are parsed."""

    code: str
    description: str
    row: Hashable = None
    severity: str = "error"
    column: str | None = None
    header: str | None = None
    value: str | None = None


@attrs.define(kw_only=True)
class RawTable:
    """Cells of a source after the header row (columns numbered 0..k-1)."""

    cells: pd.DataFrame
    headers: list[Hashable]
    labels: Sequence[Hashable] | pd.Index
    source: str
    from_file: bool
    index_name: Hashable = None
    notes: list[str] = attrs.Factory(list)
    issues: list[LoadIssue] = attrs.Factory(list)
    original: pd.DataFrame | None = None
    widths: np.ndarray[Any, np.dtype[np.int64]] | None = None
    """Cells of each row as the CSV file gives them (None for other sources)."""


def load_source(
    source: object,
    *,
    schema: TableSchema,
    sheet: str | int | None,
    encoding: str | None,
) -> RawTable:
    """Read a data frame, an Arrow table, a CSV file or a spreadsheet for ``schema``."""
    if not isinstance(source, pd.DataFrame) and hasattr(source, "to_pandas"):
        source = source.to_pandas()
    if isinstance(source, pd.DataFrame):
        return _from_frame(source, schema)
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        suffix = path.suffix.casefold()
        if suffix in CSV_SUFFIXES:
            return _from_csv(path, encoding, schema)
        if suffix in EXCEL_SUFFIXES:
            return _from_excel(path, sheet, schema)
        msg = (
            f"cannot read {str(path)!r}: expected a .csv or .txt file, or a .xlsx, .xlsm, "
            f".xls, .ods or .et spreadsheet (got suffix {path.suffix!r})"
        )
        raise InvalidArgumentError(msg, code="unsupported_format")
    msg = (
        "source must be a pandas DataFrame, an Arrow table or the path of a CSV or Excel "
        f"file; got {type(source).__name__}"
    )
    raise InvalidTypeError(msg, code="unsupported_source")


# --------------------------------------------------------------------------------------
# data frames


def _from_frame(frame: pd.DataFrame, schema: TableSchema) -> RawTable:
    if isinstance(frame.columns, pd.MultiIndex):
        msg = "the data frame has multi-level column labels; flatten them to one header row"
        raise InvalidArgumentError(msg, code="unsupported_source")
    cells = frame.set_axis(range(frame.shape[1]), axis=1)
    raw = RawTable(
        cells=cells,
        headers=list(frame.columns),
        labels=frame.index,
        source=f"DataFrame ({frame.shape[0]} rows, {frame.shape[1]} columns)",
        from_file=False,
        index_name=frame.index.name,
        original=frame,
    )
    _drop_totals(raw, schema)
    return raw


# --------------------------------------------------------------------------------------
# CSV


def _decode(path: Path, data: bytes, encoding: str | None) -> tuple[str, str]:
    """Return the text of a CSV file and the encoding used (given, or detected)."""
    if encoding is not None:
        try:
            return data.decode(encoding), encoding
        except LookupError as error:
            msg = f"unknown encoding {encoding!r} for {str(path)!r}"
            raise InvalidArgumentError(msg, code="unknown_encoding") from error
        except UnicodeDecodeError as error:
            where = _byte_location(data, error.start)
            msg = (
                f"cannot decode {str(path)!r} as {encoding}: byte {data[error.start]:#04x} "
                f"at {where} is not valid {encoding}; check the encoding given"
            )
            raise InvalidArgumentError(msg, code="unknown_encoding") from error
    _check_text(path, data)
    if data.startswith(_UTF16_BOMS):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8-sig"), "utf-8-sig"
    except UnicodeDecodeError as error:
        utf8_error = error
    _check_stray_bytes(path, data, utf8_error)
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as error:
        where = _byte_location(data, error.start)
        msg = (
            f"cannot decode {str(path)!r} as UTF-8 or GB18030 (byte "
            f"{data[error.start]:#04x} at {where}); pass the file's encoding with encoding= "
            "(--encoding on the command line), or save it as UTF-8"
        )
        raise InvalidArgumentError(msg, code="unknown_encoding") from error


def _byte_location(data: bytes, position: int) -> str:
    line = data.count(b"\n", 0, position) + 1
    column = position - (data.rfind(b"\n", 0, position) + 1) + 1
    return f"line {line}, byte {column} of the line (byte {position} of the file)"


def _check_text(path: Path, data: bytes) -> None:
    """Refuse a workbook or binary data behind a text suffix."""
    if data.startswith((_ZIP_MAGIC, _OLE_MAGIC)):
        msg = (
            f"{str(path)!r} is a spreadsheet workbook, not CSV text; give it the suffix it "
            "was saved with (.xlsx, .xls, .ods)"
        )
        raise InvalidArgumentError(msg, code="unreadable_file")
    if data.startswith(_UTF16_BOMS):
        return
    sample = data[:65536]
    nul = sample.find(b"\x00")
    controls = sum(sample.count(bytes([code])) for code in (*range(9), 11, 12, *range(14, 32)))
    if nul >= 0 or controls > _CONTROL_LIMIT * max(len(sample), 1):
        where = f" (a NUL byte at {_byte_location(data, nul)})" if nul >= 0 else ""
        msg = f"{str(path)!r} holds binary data, not CSV text{where}; expected a CSV file"
        raise InvalidArgumentError(msg, code="unreadable_file")


def _check_stray_bytes(path: Path, data: bytes, error: UnicodeDecodeError) -> None:
    """Refuse a UTF-8 file with a few bytes that are not UTF-8 (never decode it as GB18030).

    Decoding a GB18030 file as UTF-8 fails on most of its Chinese characters; a UTF-8 file
    with a stray byte fails on that byte only, and decodes every other Chinese character.
    """
    lenient = data.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd")
    good = len(lenient) - len(lenient.encode("ascii", "ignore")) - bad  # non-ASCII, decoded
    if good < _STRAY_RATIO * bad or good == 0:
        return
    positions = [error.start]
    start = error.start + 1
    while len(positions) < _MAX_LISTED:
        try:
            data[start:].decode("utf-8")
            break
        except UnicodeDecodeError as later:
            positions.append(start + later.start)
            start += later.start + 1
    listed = "; ".join(
        f"byte {data[position]:#04x} at {_byte_location(data, position)}" for position in positions
    )
    msg = (
        f"{str(path)!r} is UTF-8 except for {bad} invalid byte(s): {listed}. It is not "
        "decoded as GB18030, which would garble its names; correct those bytes, or pass the "
        "file's encoding with encoding= (--encoding on the command line)"
    )
    raise InvalidArgumentError(msg, code="mixed_encoding") from error


def _delimiter(text: str) -> str:
    """Return the tab for tab-separated text (Excel's "Unicode text" export), else the comma."""
    head = text[:65536].split("\n")[:HEADER_SCAN_ROWS]
    tabs = sum(line.count("\t") for line in head)
    return "\t" if tabs > sum(line.count(",") for line in head) else ","


def _field_counts(text: str, delimiter: str) -> list[int]:
    """Count the fields of every record, as the CSV parser splits them."""
    if '"' not in text:
        lines = text.split("\n")
        if lines and lines[-1] in {"", "\r"}:
            lines.pop()
        return [line.count(delimiter) + 1 if line.strip("\r") else 0 for line in lines]
    records = csv.reader(_stdio.StringIO(text, newline=""), delimiter=delimiter)
    return [len(record) for record in records]


def _from_csv(path: Path, encoding: str | None, schema: TableSchema) -> RawTable:
    data = _read_bytes(path)
    if not data.strip():
        msg = f"{str(path)!r} is empty; expected a header row"
        raise InvalidArgumentError(msg, code="empty_table")
    text, used = _decode(path, data, encoding)
    delimiter = _delimiter(text)
    source = f"CSV file {str(path)!r} (encoding {used}" + (
        ", tab-separated)" if delimiter == "\t" else ")"
    )
    layout: _Layout | None = None
    try:
        counts = _field_counts(text, delimiter)
        width = max(max(counts, default=1), 1)

        def read(**options: Any) -> pd.DataFrame:  # noqa: ANN401 - read_csv's options
            frame: pd.DataFrame = pd.read_csv(
                _stdio.StringIO(text),
                sep=delimiter,
                header=None,
                names=range(width),
                keep_default_na=False,
                skip_blank_lines=False,
                **options,
            )
            return frame

        if '"' in text:  # a record may span lines: read every cell as text
            grid = read(dtype=str)
        else:
            # The header block is read as text; the data rows below it are read with the
            # whole-number columns typed by the parser (exact for integers) and every other
            # column as text, which the reader converts exactly.
            layout = _layout(read(dtype=str, nrows=HEADER_SCAN_ROWS + 2), source, schema)
            grid = read(skiprows=layout.start, dtype=_text_columns(layout, schema, width))
            # A whole-number column the parser could not type as integers (a blank, '12.5',
            # '1e-400', 'TRUE') is read again as text: blanks stay missing, every other
            # cell is converted and, if wrong, quoted as written
            odd = [position for position in grid.columns if grid[position].dtype.kind not in "iuO"]
            if odd:
                grid[odd] = read(skiprows=layout.start, usecols=odd, dtype=object)[odd]
    except (csv.Error, pd.errors.ParserError) as error:
        unclosed = _UNCLOSED_QUOTE.search(str(error))
        reason = (
            f"a quoted cell opened on row {int(unclosed.group(1)) + 1} is never closed "
            "(is the file truncated?)"
            if unclosed
            else str(error)
        )
        msg = f"cannot parse {str(path)!r} as CSV: {reason}"
        raise InvalidArgumentError(msg, code="unreadable_file") from error
    rows = grid.shape[0] + (0 if layout is None else layout.start)
    if len(counts) != rows:  # a quoted field the two parsers split differently
        counts = [grid.shape[1]] * rows
    return _from_grid(
        grid,
        source,
        schema,
        layout=layout,
        widths=counts,
        totals_possible=_TOTALS_MARK in text,
    )


def _text_columns(layout: _Layout, schema: TableSchema, width: int) -> dict[int, Any]:
    """Read every column as text except those of whole numbers (counts, years)."""
    whole = {
        position
        for position, header in enumerate(layout.headers)
        if (name := column_of(schema, header)) is not None
        and schema.column(name).kind in WHOLE_KINDS
    }
    return {position: object for position in range(width) if position not in whole}


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except IsADirectoryError as error:
        msg = f"{str(path)!r} is a directory; expected a file"
        raise InvalidArgumentError(msg, code="file_not_found") from error


# --------------------------------------------------------------------------------------
# spreadsheets


def _calamine(path: Path) -> Any:  # noqa: ANN401 - the python_calamine module
    if importlib.util.find_spec("python_calamine") is None:
        msg = f"reading the spreadsheet {str(path)!r} needs python-calamine; {MISSING_EXTRA_HINT}"
        raise EduEquityError(msg, code="missing_dependency")
    return importlib.import_module("python_calamine")


def _from_excel(path: Path, sheet: str | int | None, schema: TableSchema) -> RawTable:
    calamine = _calamine(path)
    data = _read_bytes(path)
    if not data.strip():
        msg = f"{str(path)!r} is empty; expected a spreadsheet"
        raise InvalidArgumentError(msg, code="empty_table")
    if not data.startswith((_ZIP_MAGIC, _OLE_MAGIC)):
        looks = "CSV or other text" if _looks_like_text(data) else "neither a workbook nor text"
        msg = (
            f"{str(path)!r} is not a spreadsheet workbook (its content is {looks}); "
            "expected a .xlsx, .xlsm, .xls, .ods or .et file"
            + ("; if it is CSV, give it the suffix .csv" if looks.startswith("CSV") else "")
        )
        raise InvalidArgumentError(msg, code="unreadable_file")
    try:
        book = _Workbook(calamine.CalamineWorkbook.from_filelike(_stdio.BytesIO(data)))
        chosen, note = _choose_sheet(path, book, sheet, schema)
        rows = book.rows(chosen)
        names = book.names
    except calamine.CalamineError as error:
        msg = (
            f"cannot read {str(path)!r}: the workbook is damaged or incomplete ({error}); "
            "save it again from the program that made it"
        )
        if path.suffix.casefold() == ".et":
            # WPS saves .et in the Excel 97-2003 container, which is read; its own variants
            # are not
            msg += ", as .xlsx (WPS: 文件 → 另存为 → Excel 工作簿)"
        raise InvalidArgumentError(msg, code="unreadable_file") from error
    width = max((len(row) for row in rows), default=0)
    grid = pd.DataFrame(rows, columns=range(width), dtype=object)
    grid = grid.apply(_cell_texts) if width else grid
    formulas = _formulas_without_values(data, names.index(chosen), chosen)
    table = _from_grid(
        grid, f"spreadsheet {str(path)!r}, sheet {chosen!r}", schema, formulas=formulas
    )
    if note:
        table.notes.insert(0, note)
    return table


def _looks_like_text(data: bytes) -> bool:
    sample = data[:4096]
    for candidate in AUTO_ENCODINGS:
        try:
            text = sample.decode(candidate)
        except UnicodeDecodeError:
            continue
        return all(char.isprintable() or char in "\t\r\n" for char in text)
    return False


class _Workbook:
    """A calamine workbook whose sheets are parsed once, even when one is probed first."""

    def __init__(self, book: Any) -> None:  # noqa: ANN401 - a calamine workbook
        self.book = book
        self.names = [str(name) for name in book.sheet_names]
        self.sheets: dict[str, Any] = {}

    def rows(self, name: str, count: int | None = None) -> list[list[object]]:
        """Return the rows of a sheet from row 1 (at most ``count``)."""
        if name not in self.sheets:
            self.sheets[name] = self.book.get_sheet_by_name(name)
        rows: list[list[object]] = self.sheets[name].to_python(skip_empty_area=False, nrows=count)
        return rows


def _choose_sheet(
    path: Path, book: _Workbook, sheet: str | int | None, schema: TableSchema
) -> tuple[str, str]:
    """Return the sheet to read and a note on how it was chosen (empty when named)."""
    names = book.names
    if isinstance(sheet, str):
        if sheet not in names:
            msg = f"{str(path)!r} has no sheet {sheet!r}; sheets: {', '.join(names)}"
            raise InvalidArgumentError(msg, code="sheet_not_found")
        return sheet, ""
    if isinstance(sheet, int):
        if 0 <= sheet < len(names):
            return names[sheet], ""
        if str(sheet) in names:  # the command line gives a sheet named "2024" as a number
            return str(sheet), ""
        msg = (
            f"{str(path)!r} has {len(names)} sheets ({', '.join(names)}); sheet index {sheet} "
            "is out of range (0 is the first sheet)"
        )
        raise InvalidArgumentError(msg, code="sheet_not_found")
    if len(names) == 1:
        return names[0], ""
    needed = _enough_headers(schema)
    previews: list[str] = []
    for name in names:
        rows = book.rows(name, HEADER_SCAN_ROWS)
        position, matched = _best_header_row(rows, schema)
        if len(matched) >= needed:
            skipped = names[: names.index(name)]
            note = f"sheet {name!r} read: the first sheet whose headers match the {schema.title}"
            if skipped:
                note += f" (sheets before it skipped: {', '.join(skipped)})"
            return name, note
        previews.append(_sheet_preview(name, rows, position, matched))
    msg = (
        f"no sheet of {str(path)!r} has the headers of the {schema.title}; choose one with "
        "sheet= (--sheet NAME|INDEX on the command line). Sheets: " + "; ".join(previews)
    )
    raise InvalidArgumentError(msg, code="sheet_not_found")


def _enough_headers(schema: TableSchema) -> int:
    required = sum(1 for spec in schema.columns if spec.required)
    return min(len(schema.columns), max(2, math.ceil(required / 2)))


def _sheet_preview(
    name: str, rows: Sequence[Sequence[object]], position: int, matched: set[str]
) -> str:
    filled = [row for row in rows if any(_text(cell) for cell in row)]
    if not filled:
        return f"{name!r} (empty)"
    row = rows[position] if matched else filled[0]
    cells = [_text(cell) for cell in row if _text(cell)]
    shown = ", ".join(_shorten(cell) for cell in cells[:_MAX_LISTED])
    more = ", …" if len(cells) > _MAX_LISTED else ""
    found = f"{len(matched)} known header(s)" if matched else "no known header"
    return f"{name!r} ({found}; starts {shown}{more})"


def _cell_texts(column: pd.Series) -> pd.Series:
    """Dates and times of a spreadsheet column as ISO text; other cells as they are."""
    kind = pd.api.types.infer_dtype(column, skipna=True)
    if kind in {"string", "floating", "integer", "mixed-integer-float", "boolean", "empty"}:
        return column
    return column.map(_cell_text)


def _cell_text(value: object) -> object:
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return value


def _formulas_without_values(data: bytes, index: int, name: str) -> list[tuple[int, int]]:
    """Cells (row, column; 0-based) of an .xlsx sheet holding a formula but no stored result.

    Programs that write workbooks without computing them (openpyxl, many exporters) store
    ``=SUM(...)`` without its value; spreadsheet readers then see an empty cell.
    """
    if not data.startswith(_ZIP_MAGIC):
        return []
    try:
        with zipfile.ZipFile(_stdio.BytesIO(data)) as archive:
            member = _sheet_member(archive, index, name)
            if member is None:
                return []
            xml = archive.read(member)
    except (zipfile.BadZipFile, KeyError, OSError):
        return []
    if b"<f" not in xml:
        return []
    found: list[tuple[int, int]] = []
    for match in _CELL.finditer(xml):
        body = match.group(3)
        if b"<f" in body and not _VALUE.search(body):
            found.append((int(match.group(2)) - 1, _column_index(match.group(1).decode())))
    return found


def _sheet_member(archive: zipfile.ZipFile, index: int, name: str) -> str | None:
    members = set(archive.namelist())
    if "xl/workbook.xml" not in members:
        return None  # an OpenDocument file: formulas are stored with their values
    workbook = archive.read("xl/workbook.xml").decode("utf-8", "replace")
    relations = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    sheets = re.findall(r"<(?:\w+:)?sheet\b[^>]*>", workbook)
    target_id = None
    for position, tag in enumerate(sheets):
        found = re.search(r'\bname="([^"]*)"', tag)
        if position == index or (found and _xml_text(found.group(1)) == name):
            rid = re.search(r'\br:id="([^"]*)"', tag) or re.search(r'\bid="([^"]*)"', tag)
            target_id = rid.group(1) if rid else None
            break
    if target_id is None:
        return None
    for tag in re.findall(r"<(?:\w+:)?Relationship\b[^>]*>", relations):
        if f'Id="{target_id}"' in tag:
            target = re.search(r'\bTarget="([^"]*)"', tag)
            if target is None:
                return None
            path = target.group(1)
            member = path.lstrip("/") if path.startswith("/") else str(PurePosixPath("xl", path))
            return member if member in members else None
    return None


def _xml_text(text: str) -> str:
    return (
        text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


def column_letters(index: int) -> str:
    """Return the spreadsheet letters of a 0-based column index (0 → A, 27 → AB)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


# --------------------------------------------------------------------------------------
# the grid: header row, unit row, body


def _text(value: object) -> str:
    if isinstance(value, str):
        return value.strip()
    return "" if is_missing(value) else str(value).strip()


def _shorten(text: str) -> str:
    return repr(text if len(text) <= _PREVIEW else text[: _PREVIEW - 1] + "…")


def column_of(schema: TableSchema, header: object) -> str | None:
    """Return the canonical column a header names (its unit, if any, set aside)."""
    normalized = normalize_header(header)
    if not normalized:
        return None
    name = schema.header_table.get(normalized)
    if name is None:
        base, unit = split_header_unit(normalized)
        if unit is not None and unit in KNOWN_UNITS:
            name = schema.header_table.get(base)
    return name


def _best_header_row(rows: Sequence[Sequence[object]], schema: TableSchema) -> tuple[int, set[str]]:
    """Return the first row naming the most schema columns, and the columns it names."""
    best, best_matched = 0, set[str]()
    for position, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        matched = {name for name in (column_of(schema, cell) for cell in row) if name}
        if len(matched) > len(best_matched):
            best, best_matched = position, matched
    if not best_matched:
        best = next((i for i, row in enumerate(rows) if any(_text(c) for c in row)), 0)
    return best, best_matched


def _unit_of_cell(text: str) -> str | None:
    """Return the unit a cell of a unit row gives (``(人)``, ``万元``, ``单位：平方米``)."""
    folded = _SPACES.sub("", unicodedata.normalize("NFKC", text))
    folded = _UNIT_PREFIX.sub("", folded)
    if folded.startswith("(") and folded.endswith(")"):
        folded = folded[1:-1]
    return folded if folded in KNOWN_UNITS else None


def _is_unit_row(cells: list[str]) -> bool:
    filled = [cell for cell in cells if cell]
    return bool(filled) and all(_unit_of_cell(cell) is not None for cell in filled)


def _is_column_number_row(cells: list[str], headers: int) -> bool:
    """Whether a row numbers the columns: 甲, 乙, … then 1, 2, 3, … under most headers."""
    filled = [unicodedata.normalize("NFKC", cell) for cell in cells if cell]
    numbers = [int(cell) for cell in filled if cell.isdigit()]
    letters = [cell for cell in filled if cell in COLUMN_NUMBER_LETTERS]
    if len(numbers) + len(letters) != len(filled) or len(filled) < max(3, headers / 2):
        return False
    return numbers == list(range(1, len(numbers) + 1))


@attrs.frozen(kw_only=True)
class _Layout:
    """Where a sheet's table starts: its header row, its headers and its first data row."""

    header_at: int
    headers: list[Hashable]
    """The header row's cells, with the units of a unit row under it added."""
    written: list[str]
    """The header row's cells as written."""
    start: int
    notes: list[str]


def _layout(grid: pd.DataFrame, source: str, schema: TableSchema) -> _Layout:
    """Find the header row under title and unit rows, and a unit or column-number row under it."""
    rows = grid.head(HEADER_SCAN_ROWS + 2).map(_text).to_numpy(dtype=object).tolist()
    if not any(any(cells) for cells in rows):
        msg = f"{source} is empty; expected a header row"
        raise InvalidArgumentError(msg, code="empty_table")
    header_at, _ = _best_header_row(rows, schema)
    headers: list[Hashable] = list(rows[header_at])
    notes: list[str] = []
    if header_at > 0:
        above = [" ".join(cell for cell in rows[i] if cell) for i in range(header_at)]
        shown = "; ".join(_shorten(line) for line in above if line)
        notes.append(
            f"header found on row {header_at + 1}; rows 1–{header_at} above it skipped"
            + (f" ({shown})" if shown else "")
        )
    start = header_at + 1
    if start < len(rows) and _is_unit_row(rows[start]):
        given: list[str] = []
        for position, cell in enumerate(rows[start]):
            unit = _unit_of_cell(cell) if cell else None
            header = str(headers[position])
            name = column_of(schema, header)
            # a unit under a text column (单位：人 under the id) gives nothing to convert; one
            # under a header that has its own unit is left to that header
            if unit is None or name is None or schema.column(name).unit is None:
                continue
            if split_header_unit(normalize_header(header))[1]:
                continue
            headers[position] = f"{header}({unit})"
            given.append(f"{header}: {unit}")
        notes.append(f"row {start + 1} gives the units of the headers ({', '.join(given)})")
        start += 1
    named = sum(1 for header in headers if str(header))
    if start < len(rows) and _is_column_number_row(rows[start], named):
        notes.append(f"row {start + 1} numbers the columns (甲, 乙, 1, 2, …) and is skipped")
        start += 1
    return _Layout(
        header_at=header_at,
        headers=headers,
        written=list(rows[header_at]),
        start=start,
        notes=notes,
    )


def _from_grid(
    grid: pd.DataFrame,
    source: str,
    schema: TableSchema,
    *,
    layout: _Layout | None = None,
    widths: Sequence[int] | None = None,
    formulas: Sequence[tuple[int, int]] = (),
    totals_possible: bool = True,
) -> RawTable:
    """Cut a sheet's cells (row 1 first) into headers and data rows, reporting what is left out.

    With ``layout`` (found on the rows above), ``grid`` holds the data rows only.
    """
    if layout is None:
        layout = _layout(grid, source, schema)
        body = grid.iloc[layout.start :].reset_index(drop=True)
    else:
        body = grid
    start, notes = layout.start, layout.notes
    body = body.set_axis(range(body.shape[1]), axis=1)
    labels: list[Hashable] = list(range(start + 1, start + 1 + body.shape[0]))
    table = RawTable(
        cells=body,
        headers=layout.headers,
        labels=labels,
        source=source,
        from_file=True,
        notes=notes,
        widths=None if widths is None else np.asarray(widths[start:], dtype=np.int64),
    )
    blank = _blank_rows(body)
    footer = _footer_rows(body, blank)
    repeated = _repeated_headers(body, layout.written)
    if repeated.any():
        rows_repeated = [label for label, again in zip(labels, repeated, strict=True) if again]
        notes.append(f"the header repeated under it skipped ({list_rows(rows_repeated)})")
    if blank.any():
        rows_blank = [label for label, empty in zip(labels, blank, strict=True) if empty]
        notes.append(f"{len(rows_blank)} blank rows ignored ({list_rows(rows_blank)})")
    if footer.any():
        rows_footer = [label for label, note in zip(labels, footer, strict=True) if note]
        notes.append(f"note lines under the table ignored ({list_rows(rows_footer)})")
    _keep(table, ~(blank | footer | repeated))
    if totals_possible:
        _drop_totals(table, schema)
    _check_widths(table)  # a short totals row is left out, not reported
    _report_formulas(table, schema, formulas)
    if not table.cells.shape[0]:
        skipped = "; ".join(notes)
        msg = f"{source} has a header row (row {layout.header_at + 1}) but no data rows" + (
            f" ({skipped})" if skipped else ""
        )
        raise InvalidArgumentError(msg, code="empty_table")
    return table


def _blank_rows(body: pd.DataFrame) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """Where every cell of a row is empty or spaces (column by column, undecided rows only)."""
    blank = np.ones(body.shape[0], dtype=np.bool_)
    for position in range(body.shape[1]):
        undecided = np.flatnonzero(blank)
        if not undecided.size:
            break
        column = body[position]
        if column.dtype.kind in "biufcmM":  # a typed column: blank is missing
            filled = column.notna().to_numpy(dtype=np.bool_)[undecided]
        else:
            filled = _filled(column.to_numpy(dtype=object)[undecided])
        blank[undecided[filled]] = False
    return blank


def _filled(values: np.ndarray[Any, np.dtype[np.object_]]) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """Where a cell holds something: a value, or text that is not all spaces."""
    filled = np.asarray(~pd.isna(values), dtype=np.bool_)
    texts = np.flatnonzero(filled)
    cells = values[texts]
    try:  # text cells, the common case, with C-level calls only (str methods fail on numbers)
        spaces = np.fromiter(map(str.isspace, cells), dtype=np.bool_, count=texts.size)
        spaces |= np.fromiter(map(len, cells), dtype=np.int64, count=texts.size) == 0
    except TypeError:  # numbers among them
        spaces = np.array([not _text(value) for value in cells], dtype=np.bool_)
    filled[texts[spaces]] = False
    return filled


def _repeated_headers(
    body: pd.DataFrame, headers: Sequence[str]
) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """Rows that repeat the header (exports laid out for printing repeat it on every page)."""
    repeated = np.zeros(body.shape[0], dtype=np.bool_)
    named = [position for position, header in enumerate(headers) if header]
    if not named or not body.shape[0]:
        return repeated
    first = body[named[0]].to_numpy(dtype=object)
    for row in np.flatnonzero(first == headers[named[0]]).tolist():
        cells = [_text(value) for value in body.iloc[row].tolist()]
        repeated[row] = all(cells[position] == headers[position] for position in named)
    return repeated


def _footer_rows(
    body: pd.DataFrame, blank: np.ndarray[Any, np.dtype[np.bool_]]
) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """Note and signature lines after the last data row (注：…, 填表人：…)."""
    footer = np.zeros(body.shape[0], dtype=np.bool_)
    for position in range(body.shape[0] - 1, -1, -1):
        if blank[position]:
            continue
        cells = [_text(cell) for cell in body.iloc[position].tolist()]
        filled = [cell for cell in cells if cell]
        if not all(cell.startswith(FOOTER_PREFIXES) for cell in filled):
            break
        footer[position] = True
    return footer


def _check_widths(table: RawTable) -> None:
    """Report the rows of a CSV file that have fewer cells than the header (never padded)."""
    if table.widths is None:
        return
    named = [position for position, header in enumerate(table.headers) if _text(header)]
    expected = named[-1] + 1 if named else 0
    for position in np.flatnonzero(table.widths < expected).tolist():
        table.issues.append(
            LoadIssue(
                code="short_row",
                row=table.labels[position],
                description=(
                    f"the row has {table.widths[position]} cells, the header row has "
                    f"{expected}; a short or truncated row is not padded: complete it (empty "
                    "cells still need their commas)"
                ),
            )
        )


def _keep(table: RawTable, keep: np.ndarray[Any, np.dtype[np.bool_]]) -> None:
    if keep.all():
        return
    table.cells = table.cells[keep].reset_index(drop=True)
    if isinstance(table.labels, pd.Index):
        table.labels = table.labels[keep]
    else:
        table.labels = [label for label, kept in zip(table.labels, keep, strict=True) if kept]
    if table.original is not None:
        table.original = table.original[keep]
    if table.widths is not None:
        table.widths = table.widths[keep]


def _is_totals(value: object) -> bool:
    text = _SPACES.sub("", unicodedata.normalize("NFKC", _text(value)))
    return text.endswith(TOTALS_WORDS) and len(text) <= 10  # noqa: PLR2004 - 全县合计, 城区小计


def _may_hold_totals(column: pd.Series) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """Where a cell may read 合计, 总计 or 小计 (a quick test before the careful one)."""
    none = np.zeros(column.size, dtype=np.bool_)
    if column.dtype.kind in "biufcmM":
        return none
    if isinstance(column.dtype, pd.StringDtype) and column.dtype.storage == "pyarrow":
        # searched in Arrow's memory, without a Python string per cell
        found = column.str.contains(_TOTALS_MARK, regex=False)
        return np.asarray(found.fillna(value=False).to_numpy(dtype=np.bool_))
    values = column.to_numpy(dtype=object, na_value="")
    try:
        if _TOTALS_MARK not in "\x00".join(values):  # one scan of the whole column
            return none
    except TypeError:  # numbers among the text cells
        pass
    return np.fromiter(
        (isinstance(value, str) and _TOTALS_MARK in value for value in values),
        dtype=np.bool_,
        count=values.size,
    )


def _drop_totals(table: RawTable, schema: TableSchema) -> None:
    """Leave out the totals rows (合计, 总计, 小计) and report each with its row.

    A row is a totals row when a cell of one of the table's key or name columns (the id,
    the name), or its first filled cell left of them (a 序号 column), reads 合计, 总计 or
    小计, alone or after a short prefix (全县合计, 城区小计), with any spaces or full-width
    forms. Only those columns are searched, so that a large table pays for two or three.
    """
    cells = table.cells
    watched = {
        position: name
        for position, header in enumerate(table.headers)
        if (name := column_of(schema, header)) is not None
        and (name in schema.key_columns or name.endswith("name"))
    }
    leading = list(range(min(watched, default=1)))
    candidates = np.zeros(cells.shape[0], dtype=np.bool_)
    for position in (*leading, *watched):
        candidates |= _may_hold_totals(cells[position])
    if not candidates.any():
        return
    totals = np.zeros(cells.shape[0], dtype=np.bool_)
    for row in np.flatnonzero(candidates).tolist():
        values = cells.iloc[row].tolist()
        hit: tuple[str | None, str] | None = next(
            ((name, _text(values[p])) for p, name in watched.items() if _is_totals(values[p])),
            None,
        )
        if hit is None:
            first = next((_text(values[p]) for p in leading if _text(values[p])), "")
            hit = (None, first) if _is_totals(first) else None
        if hit is None:
            continue
        totals[row] = True
        name, text = hit
        where = f"{name} {text!r}" if name else repr(text)
        table.issues.append(
            LoadIssue(
                code="totals_row",
                row=table.labels[row],
                severity="warning",
                value=text,
                description=f"totals row ({where}) left out; it is not counted as a row of data",
            )
        )
    _keep(table, ~totals)


def _report_formulas(
    table: RawTable, schema: TableSchema, formulas: Sequence[tuple[int, int]]
) -> None:
    """Report formula cells without a stored value in the columns that are read."""
    if not formulas:
        return
    rows = {label: position for position, label in enumerate(table.labels)}
    for row, column in formulas:
        label = row + 1
        if label not in rows or column >= len(table.headers):
            continue
        name = column_of(schema, table.headers[column])
        if name is None:
            continue
        table.issues.append(
            LoadIssue(
                code="formula_without_value",
                row=label,
                column=name,
                header=str(table.headers[column]),
                value=f"{column_letters(column)}{label}",
                description=(
                    f"cell {column_letters(column)}{label} holds a formula without a stored "
                    "result (the program that wrote the file did not compute it), so its value "
                    "is unknown; open the file in Excel, WPS or LibreOffice and save it again"
                ),
            )
        )


def list_rows(rows: Sequence[Hashable], count: int | None = None) -> str:
    """``"rows 4, 9 and 3 more"``: the first rows of ``count`` (default: all of them)."""
    count = len(rows) if count is None else count
    shown = ", ".join(str(row) for row in rows[:MAX_ROWS_LISTED])
    more = f" and {count - MAX_ROWS_LISTED} more" if count > MAX_ROWS_LISTED else ""
    noun = "row" if count == 1 else "rows"
    return f"{noun} {shown}{more}"
