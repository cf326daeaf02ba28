"""Header and cell normalisation for the input tables (private).

The rules are those of the docs page Input tables (headers) and §0.2 (cells). Each cell parser
works on the *distinct* values of a column (:func:`pandas.factorize`) and maps the results
back, so a column of 200 000 schools with a few thousand distinct values costs a few
thousand Python calls, and a numeric column given as a float array costs none.

Numbers read from text go through :class:`decimal.Decimal`, then to the nearest float64.
The shortest representation of that float is the decimal the user typed (for up to 15
significant digits), which the exact threshold decisions of the national layer rely on
(docs: The national method, The per-school rule). Header unit conversions (万元 → yuan, % →
fraction) are done on the decimal, never on the float, so ``'12.35'`` in a 万元 column becomes
exactly ``123500.0``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, Final, Literal, TypeVar

import numpy as np
import pandas as pd

from eduequity._typing import BoolArray, FloatArray, IntArray
from eduequity._validation import is_missing

MISSING_TOKENS: Final[frozenset[str]] = frozenset(
    {"", "-", "--", "—", "——", "/", "na", "n/a", "nan", "null"}
)
"""Cell texts that mean *missing* (compared after trimming, full-width folding and case
folding); docs: Input tables lists ``''``, ``-``, ``—``, ``/``, ``NA``, ``NaN`` and
``null``; ``--``, ``——`` (the doubled dash of Chinese typing) and ``N/A`` are accepted as
the same thing. Missing is never read as zero."""

_LONGEST_MISSING_TOKEN: Final = max(len(token) for token in MISSING_TOKENS)
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_THOUSANDS_NUMBER = re.compile(r"[+-]?[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?")
_NONZERO_MANTISSA = re.compile(r"[^eE]*[1-9]")
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00(?:\.0+)?)?)?")
_CHINESE_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_TRAILING_UNIT = re.compile(r"^(.+?)\(([^()]+)\)$")
_WHITESPACE = re.compile(r"\s+")

_CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROL_SPACES = re.compile("[\t\n\r\x0b\x0c]")
_CONTROL_NOT_NUL = re.compile("[\x01-\x1f\x7f-\x9f]")

_TRUE_TOKENS: Final = frozenset({"true", "1", "yes", "y", "是", "有"})
_FALSE_TOKENS: Final = frozenset({"false", "0", "no", "n", "否", "无"})

MAX_MAGNITUDE: Final = 1e150
"""Largest size of a number eduequity reads (``out_of_range`` beyond it).

Far above any count, area or amount in yuan, and far enough below the float limit
(about 1.8e308) that the weighted sums of squares of the coefficients of variation cannot
overflow: a larger value is refused at its cell, with its row and column, instead of
failing the computation without saying where."""

MIN_MAGNITUDE: Final = 1e-300
"""Smallest size of a non-zero number eduequity reads; smaller ones would round to 0."""

NumberStatus = Literal[
    "ok",
    "missing",
    "not_a_number",
    "percent_not_allowed",
    "ambiguous_separator",
    "decimal_comma",
    "out_of_range",
]
"""Outcome of parsing one numeric cell."""

T = TypeVar("T")
ObjectArray = np.ndarray[Any, np.dtype[np.object_]]


def fold(text: str) -> str:
    """Return ``text`` trimmed and NFKC-folded (full-width digits, brackets, % → half-width)."""
    return unicodedata.normalize("NFKC", text).strip()


def normalize_header(header: object) -> str:
    """Return the matching form of a header (docs: Input tables, steps 1–3).

    Whitespace is removed everywhere, full-width characters are folded to half-width and
    letters are case-folded; the unit suffix (step 4) is split off by
    :func:`split_header_unit`.

    Examples
    --------
    >>> normalize_header(" 教学仪器设备资产值 （万元） ")
    '教学仪器设备资产值(万元)'
    >>> normalize_header("Students_Primary")
    'students_primary'
    """
    if header is None or (isinstance(header, float) and math.isnan(header)):
        return ""
    text = unicodedata.normalize("NFKC", str(header)).replace("\ufeff", "")
    return _WHITESPACE.sub("", text).casefold()


def split_header_unit(normalized: str) -> tuple[str, str | None]:
    """Split a normalised header into its base and a trailing unit, if any.

    The unit is the text of a final pair of parentheses, or a bare trailing ``%``.

    Examples
    --------
    >>> split_header_unit("教学仪器设备资产值(万元)")
    ('教学仪器设备资产值', '万元')
    >>> split_header_unit("随迁子女占比%")
    ('随迁子女占比', '%')
    >>> split_header_unit("学校名称")
    ('学校名称', None)
    """
    match = _TRAILING_UNIT.match(normalized)
    if match:
        return match.group(1), match.group(2)
    if normalized.endswith("%") and len(normalized) > 1:
        return normalized[:-1], "%"
    return normalized, None


def normalize_key(text: str) -> str:
    """Return the matching form of an enum value: folded, without spaces, case-folded."""
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", text)).casefold()


def display_value(value: object) -> str:
    """Return a cell as text for messages: strings as given, numbers in their shortest form."""
    if isinstance(value, str):
        return value
    if isinstance(value, float | np.floating):
        return format_number(float(value))
    return str(value)


def format_number(value: float) -> str:
    """Return a float in its shortest decimal form, integers without ``.0``.

    Examples
    --------
    >>> format_number(123500.0), format_number(0.1), format_number(float("nan"))
    ('123500', '0.1', 'missing')
    """
    if math.isnan(value):
        return "missing"
    if math.isfinite(value) and value == math.floor(value) and abs(value) < 1e16:  # noqa: PLR2004 - beyond 1e16 floats are not exact integers
        return str(int(value))
    return repr(value)


def factorize_cells(values: pd.Series) -> tuple[IntArray, list[object]]:
    """Return a code per row and the distinct non-missing cells; missing rows get the last code.

    The code of a missing cell (None, NaN, NA) is ``len(distinct)``, one past the end, so a
    per-distinct result array with one extra slot for "missing" can be indexed directly.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    distinct: list[object] = uniques.tolist()
    where = np.asarray(codes, dtype=np.int64)
    where[where < 0] = len(distinct)
    return where, distinct


def parse_distinct(
    values: pd.Series, parse: Callable[[object], T], missing: T
) -> tuple[IntArray, ObjectArray]:
    """Apply ``parse`` once to each distinct non-missing cell.

    Returns a code per row and the result per code; the last code stands for the missing
    cells, whose result is ``missing`` (no call).
    """
    codes, distinct = factorize_cells(values)
    results = np.empty(len(distinct) + 1, dtype=object)
    for position, cell in enumerate(distinct):
        results[position] = parse(cell)
    results[-1] = missing
    return codes, results


_PLAIN_CHARACTERS = re.compile(r"[0-9.eE+\-\x00]*")
_NUMBER_TYPES: Final = (int, float, np.int64, np.float64)
_MISSING_FAST: Final[frozenset[str]] = frozenset(
    token for base in MISSING_TOKENS for token in {base, base.upper(), base.title()}
)


def parse_numbers(
    distinct: list[object],
    *,
    percent_allowed: bool,
    shift: int | None = None,
    whole_number: bool = False,
) -> tuple[FloatArray, list[NumberStatus], BoolArray]:
    """Parse the distinct cells of a numeric column at once.

    Plain ASCII decimals (``12``, ``-3.5``, ``1e3``), the common case, are converted in one
    vectorized step; every other cell (full-width digits, ``85%``, ``1,234``, stray spaces,
    missing tokens, text, overflow) goes through :func:`parse_number_cell`. Both give the
    float64 nearest to the decimal written: numpy's conversion of a decimal string is
    correctly rounded, as is ``float(Decimal(...))``.

    ``shift`` multiplies every value by ``10**shift`` exactly (a header in 万元 or %), by
    moving the decimal exponent of the text rather than multiplying the float. Without
    it, a cell's ``%`` sign divides that cell by 100, also exactly. ``whole_number`` is
    passed on to :func:`parse_number_cell` (a lone ``1,234`` is read only in whole-number
    columns). A value outside :data:`MIN_MAGNITUDE` to :data:`MAX_MAGNITUDE`, as typed or
    once shifted, is ``"out_of_range"``.

    Returns
    -------
    values, status, percent
        Per distinct cell: the value (NaN unless ``"ok"``), the outcome of
        :func:`parse_number_cell` and whether the cell carried a ``%`` sign.
    """
    count = len(distinct)
    values = np.full(count, np.nan)
    status: list[NumberStatus] = ["ok"] * count
    percent = np.zeros(count, dtype=np.bool_)
    fast = np.zeros(count, dtype=np.bool_)
    index, plain = _plain_decimals(distinct, shift)
    # out of range (inf included) or rounded to 0: the careful path says which
    in_range = _in_range(plain)
    for j in np.flatnonzero(plain == 0).tolist():  # '1e-400' converts to 0 as well
        cell = distinct[index[j]]
        if isinstance(cell, str) and _NONZERO_MANTISSA.match(cell):
            in_range[j] = False
    values[index[in_range]] = plain[in_range]
    fast[index[in_range]] = True
    for i in np.flatnonzero(~fast).tolist():
        outcome, number, has_percent = parse_number_cell(
            distinct[i], percent_allowed=percent_allowed, whole_number=whole_number
        )
        status[i], percent[i] = outcome, has_percent
        if outcome == "ok":
            exponent = shift if shift is not None else (-2 if has_percent else 0)
            values[i] = float(number.scaleb(exponent))
            if not _in_range(values[i : i + 1])[0]:  # a huge value in 万元 can leave it
                status[i], values[i] = "out_of_range", np.nan
    return values, status, percent


def _in_range(values: FloatArray) -> BoolArray:
    """Where values are 0 or of a size from MIN_MAGNITUDE to MAX_MAGNITUDE (NaN: False)."""
    size = np.abs(values)
    with np.errstate(invalid="ignore"):
        return np.asarray((size <= MAX_MAGNITUDE) & ((size >= MIN_MAGNITUDE) | (size == 0)))


def _plain_decimals(distinct: list[object], shift: int | None) -> tuple[IntArray, FloatArray]:
    """Positions and values of the cells converted in one step: numbers, and plain decimals.

    Cells holding numbers already (an Excel or DataFrame column of mixed types) are taken
    as they are unless a unit shift must be applied exactly. A column of text made only of
    digits, signs, points and exponents is converted at once; its exceptions (the missing
    tokens ``""``, ``"-"``, ``"--"``, malformed text such as ``"1.2.3"``) are sorted out by
    the pattern only when the conversion fails.
    """
    positions: list[int] = []
    numbers: list[float] = []
    if not shift:
        for i, cell in enumerate(distinct):
            if type(cell) in _NUMBER_TYPES:
                positions.append(i)
                numbers.append(float(cell))  # type: ignore[arg-type]
    strings = [i for i, cell in enumerate(distinct) if type(cell) is str]
    texts: list[str] = [distinct[i] for i in strings]  # type: ignore[misc]
    if _PLAIN_CHARACTERS.fullmatch("\x00".join(texts)) and not shift:
        chosen = [j for j, text in enumerate(texts) if text not in _MISSING_FAST]
        converted = _floats([texts[j] for j in chosen], shift)
    else:
        chosen, converted = [], None
    if converted is None:
        chosen = [j for j, text in enumerate(texts) if _PLAIN_NUMBER.fullmatch(text)]
        if shift:
            chosen = [j for j in chosen if "e" not in texts[j] and "E" not in texts[j]]
        converted = _floats([texts[j] for j in chosen], shift)
    if converted is None:  # pragma: no cover - the pattern admits only convertible text
        converted, chosen = np.empty(0), []
    index = np.asarray(positions + [strings[j] for j in chosen], dtype=np.intp)
    return index, np.concatenate([np.asarray(numbers, dtype=np.float64), converted])


def _floats(texts: list[str], shift: int | None) -> FloatArray | None:
    """Convert plain decimal texts in one step (None if one of them is malformed)."""
    if shift:
        texts = [f"{text}e{shift}" for text in texts]
    try:
        return np.asarray(np.asarray(texts, dtype=object).astype(np.float64))
    except ValueError:
        return None


_MISSING_CELLS: Final = tuple(f"\x00{token}\x00" for token in MISSING_TOKENS)


def _clean_texts(strings: list[str], joined: str, *, identifier: bool) -> bool:
    """Whether every text is already as :func:`parse_text_cell` would return it.

    Checked on the joined column with C-level string methods: NFKC form, no missing token,
    no space at all (identifiers) or no space at either end (other text).
    """
    if not unicodedata.is_normalized("NFKC", joined):
        return False
    if min(map(len, strings), default=0) <= _LONGEST_MISSING_TOKEN:
        framed = f"\x00{joined.casefold()}\x00"
        if any(token in framed for token in _MISSING_CELLS):
            return False
    if joined.split(maxsplit=1) == [joined]:
        return True
    return not identifier and [text.strip() for text in strings] == strings


def parse_text_column(cells: pd.Series, *, identifier: bool) -> ObjectArray:
    """Parse a whole text column (as :func:`parse_text_cell` does each cell).

    A column whose texts are all clean (NFKC form, trimmed, no missing token; identifiers
    without any space) is taken as it is after one check of the joined column; otherwise
    each distinct cell is parsed by :func:`parse_texts`.
    """
    return text_column(cells, identifier=identifier)[0]


def text_column(cells: pd.Series, *, identifier: bool) -> tuple[ObjectArray, bool, bool]:
    """Return :func:`parse_text_column` of ``cells`` and two facts found on the way.

    The second result is False only when the joined column, searched once on the way, holds
    none (:func:`printable` has then nothing to do); True means "not known". The third is
    True when the column was clean as given: its texts equal the cells (missing ones None).
    """
    if _repeats(cells):
        # few distinct texts (a county, a code): each parsed once, every row points to it
        codes, distinct = factorize_cells(cells)
        parsed = np.empty(len(distinct) + 1, dtype=object)
        parsed[: len(distinct)] = parse_texts(distinct, identifier=identifier)
        texts = [text for text in parsed if text is not None]
        return parsed[codes], _may_hold_controls(texts), False
    values: ObjectArray = cells.to_numpy(dtype=object, copy=True)
    missing = np.asarray(cells.isna().to_numpy(), dtype=np.bool_)
    strings = values[~missing].tolist() if missing.any() else values.tolist()
    try:
        joined = "\x00".join(strings)
    except TypeError:  # numbers among the texts: parse them one by one
        joined = None
    if joined is not None and _clean_texts(strings, joined, identifier=identifier):
        values[missing] = None
        # The separators are NUL, a control character: a cell holds one only when there are
        # more of them than separators.
        controls = joined.count("\x00") != max(len(strings) - 1, 0) or bool(
            _CONTROL_NOT_NUL.search(joined)
        )
        return values, controls, True
    codes, distinct = factorize_cells(cells)
    parsed = np.empty(len(distinct) + 1, dtype=object)
    parsed[: len(distinct)] = parse_texts(distinct, identifier=identifier)
    result: ObjectArray = parsed[codes]
    return result, True, False


_SAMPLE_ROWS: Final = 4096
"""Rows whose distinct texts tell whether a column repeats its texts (:func:`text_column`)."""


def _repeats(cells: pd.Series) -> bool:
    """Whether the first rows of a text column hold at most one distinct text in four."""
    head = cells.iloc[:_SAMPLE_ROWS]
    return bool(head.nunique(dropna=False) <= len(head) // 4)


def _may_hold_controls(texts: list[str]) -> bool:
    """Whether a text holds a control character (True too when a text is not a string)."""
    try:
        return bool(_CONTROL_CHARACTERS.search("\uffff".join(texts)))
    except TypeError:
        return True


def parse_texts(distinct: list[object], *, identifier: bool) -> list[str | None]:
    """Parse the distinct cells of a text column at once (as :func:`parse_text_cell`).

    Text that is already in NFKC form, the common case, is trimmed (identifiers: all
    whitespace removed) by one C-level string method per cell; other cells take
    :func:`parse_text_cell`.
    """
    strings = [cell for cell in distinct if type(cell) is str]
    if len(strings) != len(distinct) or not unicodedata.is_normalized("NFKC", "\x00".join(strings)):
        return [parse_text_cell(cell, identifier=identifier) for cell in distinct]
    if identifier:
        trimmed = ["".join(text.split()) for text in strings]
    else:
        trimmed = [text.strip() for text in strings]
    return [
        None if len(text) <= _LONGEST_MISSING_TOKEN and text.casefold() in MISSING_TOKENS else text
        for text in trimmed
    ]


def _decimal_of(value: object) -> Decimal | None:
    """Return a non-text number as a Decimal (floats by their shortest repr), else None."""
    if isinstance(value, bool | np.bool_):
        return None
    if isinstance(value, int | np.integer):
        return Decimal(int(value))
    if isinstance(value, float | np.floating):
        number = float(value)
        return Decimal(repr(number)) if math.isfinite(number) else None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    return None


def parse_number_cell(  # noqa: C901, PLR0911 - one outcome per input form of §0.2
    value: object, *, percent_allowed: bool, whole_number: bool = False
) -> tuple[NumberStatus, Decimal, bool]:
    """Parse one numeric cell (docs: Input tables, "Numbers").

    Parameters
    ----------
    value
        The cell: text as typed, or a number given as a number.
    percent_allowed
        Whether a trailing ``%`` is accepted (rate columns).
    whole_number
        Whether the column holds whole numbers (counts, years). There a single comma
        followed by three digits (``'1,234'``) can only be a thousands separator, since the
        decimal-comma reading (1.234) is not a whole number; elsewhere it is ambiguous.

    Returns
    -------
    status
        ``"ok"``, ``"missing"``, ``"not_a_number"``, ``"percent_not_allowed"``,
        ``"ambiguous_separator"``, ``"decimal_comma"`` or ``"out_of_range"``; see
        :func:`number_problem` for what each failure means.
    number
        The exact decimal (``Decimal(0)`` unless ``status == "ok"``); a trailing ``%`` is
        *not* applied yet.
    percent
        Whether the cell carried a trailing ``%``.

    Notes
    -----
    Commas are read as thousands separators only where no other reading exists: groups
    of exactly three digits after a first group of one to three digits that does not
    start with 0, and either a decimal point (``'12,345.6'``) or at least two commas
    (``'1,234,567'``). A single comma before three digits and no point (``'1,234'``) may
    be a decimal comma, so it is ``"ambiguous_separator"`` unless ``whole_number``; any
    other comma between digits (``'0,500'``, ``'12,5'``) is ``"decimal_comma"``. Neither
    is ever guessed. A number larger than :data:`MAX_MAGNITUDE` (``'1e309'`` would be inf),
    or a non-zero one smaller than 1e-300 (``'1e-400'`` would be 0), is ``"out_of_range"``,
    never ±inf or 0.

    Examples
    --------
    >>> parse_number_cell("１，２３４．５", percent_allowed=False)
    ('ok', Decimal('1234.5'), False)
    >>> parse_number_cell("85%", percent_allowed=True)
    ('ok', Decimal('85'), True)
    >>> parse_number_cell("12a", percent_allowed=False)[0]
    'not_a_number'
    >>> [parse_number_cell(t, percent_allowed=False)[0] for t in ("1,234", "0,500", "1e309")]
    ['ambiguous_separator', 'decimal_comma', 'out_of_range']
    >>> parse_number_cell("1,234", percent_allowed=False, whole_number=True)[:2]
    ('ok', Decimal('1234'))
    """
    zero = Decimal(0)
    if not isinstance(value, str):
        if is_missing(value):
            return "missing", zero, False
        number = _decimal_of(value)
        if number is None:
            return "not_a_number", zero, False
        status = _in_float_range(number)
        return status, number if status == "ok" else zero, False
    text = value.strip() if value.isascii() else fold(value).replace("\u2212", "-")
    if _PLAIN_NUMBER.fullmatch(text):
        return _exact_decimal(text, percent=False)
    if text.casefold() in MISSING_TOKENS:
        return "missing", zero, False
    percent = text.endswith("%")
    if percent:
        if not percent_allowed:
            return "percent_not_allowed", zero, True
        text = text[:-1].rstrip()
    if "," in text:
        separator = _comma_status(text, whole_number=whole_number)
        if separator != "ok":
            return separator, zero, percent
        text = text.replace(",", "")
    if not _PLAIN_NUMBER.fullmatch(text):
        return "not_a_number", zero, percent
    return _exact_decimal(text, percent=percent)


def _comma_status(text: str, *, whole_number: bool) -> NumberStatus:
    """Classify the commas of a number: thousands separators, ambiguous, or decimal comma."""
    if _THOUSANDS_NUMBER.fullmatch(text):
        if "." in text or text.count(",") > 1 or whole_number:
            return "ok"
        return "ambiguous_separator"
    if _DECIMAL_COMMA.fullmatch(text):
        return "decimal_comma"
    return "not_a_number"


def _exact_decimal(text: str, *, percent: bool) -> tuple[NumberStatus, Decimal, bool]:
    """Return a plain number literal as a Decimal, or ``"out_of_range"`` beyond a float."""
    try:
        number = Decimal(text)
    except InvalidOperation:  # an exponent beyond what decimal itself can hold
        return "out_of_range", Decimal(0), percent
    status = _in_float_range(number)
    return status, number if status == "ok" else Decimal(0), percent


def _in_float_range(number: Decimal) -> NumberStatus:
    """``"ok"`` when ``number`` is 0 or of a size from MIN_MAGNITUDE to MAX_MAGNITUDE."""
    size = abs(float(number))
    if not size <= MAX_MAGNITUDE or (number != 0 and size < MIN_MAGNITUDE):
        return "out_of_range"
    return "ok"


def number_problem(status: NumberStatus, text: str) -> str:
    """Describe why a numeric cell ``text`` was not read (a failed :func:`parse_number_cell`).

    Examples
    --------
    >>> number_problem("decimal_comma", "0,500")
    "'0,500' is not a number: eduequity does not read decimal commas; write it with a point"
    """
    if status == "percent_not_allowed":
        return f"{text!r} is not a number; a % sign is accepted only in rate columns"
    if status == "ambiguous_separator":
        return (
            f"{text!r} is ambiguous: the comma may separate thousands or decimals; "
            "write the number without the comma, or with a decimal point"
        )
    if status == "decimal_comma":
        return (
            f"{text!r} is not a number: eduequity does not read decimal commas; "
            "write it with a point"
        )
    if status == "out_of_range":
        return (
            f"{text!r} is out of range: eduequity reads numbers of size 1e-300 to 1e150 "
            "(and 0); larger ones overflow its sums of squares"
        )
    return f"{text!r} is not a number"


def parse_text_cell(value: object, *, identifier: bool) -> str | None:
    """Return a text cell trimmed (identifiers also folded and without spaces), or None.

    Numbers given as numbers (a data frame column of ints) become their integer text, so a
    numeric ``school_id`` column reads ``3701020001`` rather than ``3701020001.0``.

    Examples
    --------
    >>> parse_text_cell(" ００１２ ", identifier=True), parse_text_cell(12.0, identifier=True)
    ('0012', '12')
    >>> parse_text_cell("—", identifier=False) is None
    True
    """
    if not isinstance(value, str):
        if is_missing(value):
            return None
        number = _decimal_of(value)
        if number is not None:
            value = str(int(number)) if number == number.to_integral_value() else str(number)
        else:
            value = str(value)
    text = fold(value)
    if text.casefold() in MISSING_TOKENS:
        return None
    if identifier:
        return _WHITESPACE.sub("", text)
    return value.strip()


def printable(texts: pd.Series) -> tuple[pd.Series, BoolArray]:
    r"""Return texts without control characters, and where a text had any.

    Line breaks and tabs become spaces; the other C0 and C1 controls and DEL (among them ESC,
    which starts the escape sequences that recolour a terminal or rewrite what it shows)
    become U+FFFD, so that a name is safe in every report and on every terminal.

    Examples
    --------
    >>> texts = pd.Series(["甲校", "\x1b[31m乙校", "丙\n校", None], dtype=object)
    >>> cleaned, changed = printable(texts)
    >>> cleaned.tolist(), changed.tolist()
    (['甲校', '�[31m乙校', '丙 校', None], [False, True, True, False])
    """
    cells = texts.to_numpy(dtype=object)
    present = np.asarray(~pd.isna(cells), dtype=np.bool_)
    changed = np.zeros(len(cells), dtype=np.bool_)
    # one search of the joined column (U+FFFF is no control character); cell by cell only
    # when it finds one
    if not _CONTROL_CHARACTERS.search("\uffff".join(map(str, cells[present]))):
        return texts, changed
    text = texts.astype(object).where(texts.notna(), None)
    values = text[present].astype(str)
    changed[present] = values.str.contains(_CONTROL_CHARACTERS).to_numpy(dtype=np.bool_)
    fixed = text[changed].astype(str).str.replace(_CONTROL_SPACES, " ", regex=True)
    fixed = fixed.str.replace(_CONTROL_CHARACTERS, "\ufffd", regex=True)
    cleaned = text.copy()
    cleaned[changed] = fixed
    return cleaned, changed


def parse_bool_cell(  # noqa: PLR0911 - one outcome per input form of §0.2
    value: object,
) -> Literal["true", "false", "missing", "invalid"]:
    """Classify one boolean cell (docs: Input tables, "Booleans").

    Examples
    --------
    >>> [parse_bool_cell(v) for v in ("是", "N", 0, "—", "maybe")]
    ['true', 'false', 'false', 'missing', 'invalid']
    """
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if not isinstance(value, str):
        if is_missing(value):
            return "missing"
        number = _decimal_of(value)
        if number is not None and number in {0, 1}:
            return "true" if number == 1 else "false"
        return "invalid"
    text = fold(value).casefold()
    if text in MISSING_TOKENS:
        return "missing"
    if text in _TRUE_TOKENS:
        return "true"
    if text in _FALSE_TOKENS:
        return "false"
    return "invalid"


def parse_date_cell(  # noqa: PLR0911 - one outcome per input form of §0.2
    value: object,
) -> dt.date | Literal["missing", "invalid"]:
    """Parse one date cell: ISO ``YYYY-MM-DD`` or ``YYYY年M月D日`` (docs: Input tables).

    Examples
    --------
    >>> parse_date_cell("2025年3月14日"), parse_date_cell("2025-02-30")
    (datetime.date(2025, 3, 14), 'invalid')
    """
    if isinstance(value, dt.datetime | pd.Timestamp):
        if is_missing(value):
            return "missing"
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, np.datetime64):
        return "missing" if np.isnat(value) else pd.Timestamp(value).date()
    if not isinstance(value, str):
        return "missing" if is_missing(value) else "invalid"
    text = fold(value)
    if text.casefold() in MISSING_TOKENS:
        return "missing"
    match = _ISO_DATE.fullmatch(text) or _CHINESE_DATE.fullmatch(text)
    if match is None:
        return "invalid"
    year, month, day = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return "invalid"


def lookup_enum(
    value: object, table: Mapping[str, str]
) -> tuple[Literal["ok", "missing", "invalid"], str]:
    """Return ``("ok", canonical)`` for a known enum text or code, else the failure kind."""
    if not isinstance(value, str):
        if is_missing(value):
            return "missing", ""
        number = _decimal_of(value)
        if number is not None and number == number.to_integral_value():
            value = str(int(number))
        else:
            value = display_value(value)
    if fold(value).casefold() in MISSING_TOKENS:
        return "missing", ""
    canonical = table.get(normalize_key(value))
    if canonical is None:
        return "invalid", ""
    return "ok", canonical


def integral_mask(values: FloatArray) -> BoolArray:
    """Return where the (finite) values are whole numbers."""
    with np.errstate(invalid="ignore"):
        return np.asarray(np.floor(values) == values)
