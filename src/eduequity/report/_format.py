"""Labels, number formats and display widths shared by every report format (private).

Display widths follow Unicode's East Asian Width property: wide (``W``) and full-width (``F``)
characters, that is CJK ideographs and full-width punctuation, take two terminal columns;
combining marks take none; everything else, including the *ambiguous* characters such as
``²``, ``≤`` and ``·``, takes one column, as in terminals that do not run a CJK locale.

Examples
--------
>>> display_width("资源配置 Resource allocation")
28
>>> pad("小学", 6) + "|"
'小学  |'
>>> wrap("每所学校至少6项指标达到要求 every school meets six", 20)
['每所学校至少6项指标', '达到要求 every', 'school meets six']
>>> grouped(30000.0), grouped(265.99999999999955), grouped(0.54)
('30 000', '266', '0.54')
>>> quantity(1.0, "teachers"), quantity(9555.0, "m²")
('1 teacher', '9 555 m²')

A value shown beside its limit keeps the digits that decide it (a CV of 0.5004 fails ``≤ 0.50``):

>>> against_limit(0.5004, 0.5, "<=", 3, style="fixed"), against_limit(0.4871, 0.5, "<=", 3)
('0.5004', '0.487')
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, Final, Literal

import numpy as np

from eduequity._validation import is_missing
from eduequity._vocabulary import section_title, vocabulary
from eduequity.report._words import label

Align = Literal["left", "right"]
NumberStyle = Literal["smart", "fixed", "percent"]

DEFAULT_DECIMALS: Final = 3
"""Decimals shown when the rule set gives none (3 decimals by default)."""

STATUS_ZH: Final[Mapping[str, str]] = {
    "pass": "通过",
    "fail": "未通过",
    "incomplete": "材料不全",
    "not_applicable": "不适用",
    "not_assessed": "未评估",
    "undefined": "无定义",
}
"""Chinese status words, as used in 督导评估 reports."""

STATUS_EN: Final[Mapping[str, str]] = {
    "pass": "pass",
    "fail": "FAIL",
    "incomplete": "incomplete",
    "not_applicable": "n/a",
    "not_assessed": "not assessed",
    "undefined": "undefined",
}
"""English status words; a failure is upper case so that it stands out in a terminal."""

VERDICT_EN: Final[Mapping[str, str]] = {
    "pass": "PASS",
    "fail": "FAIL",
    "incomplete": "INCOMPLETE",
    "not_applicable": "NOT APPLICABLE",
    "not_assessed": "NOT ASSESSED",
}

PART_TITLES: Final[Mapping[str, tuple[str, str]]] = {
    part: section_title(section)
    for part, section in (
        ("preconditions", "precondition"),
        ("resource_allocation", "resource"),
        ("government_guarantee", "guarantee"),
        ("education_quality", "quality"),
        ("social_recognition", "recognition"),
        ("veto", "veto"),
    )
}
"""Chinese and English titles of the parts, in the order of the method."""

PART_NUMBERS: Final[Mapping[str, tuple[str, str]]] = {
    "resource_allocation": ("第一部分", "Part 1"),
    "government_guarantee": ("第二部分", "Part 2"),
    "education_quality": ("第三部分", "Part 3"),
    "social_recognition": ("第四部分", "Part 4"),
}

STAGE_TITLES: Final[Mapping[str, tuple[str, str]]] = {
    stage: (zh, stage) for stage, zh in vocabulary("stages").labels.items()
}

GROUP_TITLES: Final[Mapping[str, str]] = vocabulary("respondent_groups").labels
"""Chinese names of the respondent groups (docs: The national method, Part 4: social
recognition)."""

COMPARATOR_SIGNS: Final[Mapping[str, str]] = {
    ">=": "≥",
    "<=": "≤",
    "<": "<",
    ">": ">",
    "==": "=",
    "!=": "≠",
}

DASH: Final = "—"
"""Shown for a missing or undefined value."""

MAX_SHOWN_DECIMALS: Final = 9
"""Most decimals :func:`against_limit` shows to keep a value apart from its limit."""


def status_label(status: str) -> str:
    """Return ``"通过 pass"``-style bilingual text for a status."""
    return f"{STATUS_ZH.get(status, status)} {STATUS_EN.get(status, status)}"


def verdict_label(status: str) -> str:
    """Return ``"未通过 FAIL"``-style text for the county verdict."""
    return f"{STATUS_ZH.get(status, status)} {VERDICT_EN.get(status, status.upper())}"


def part_title(part: str) -> str:
    """Return ``"资源配置 Resource allocation"`` for a part id."""
    zh, en = PART_TITLES.get(part, (part, part))
    return f"{zh} {en}"


def stage_title(stage: str) -> str:
    """Return ``"小学 primary"`` for a stage id."""
    zh, en = STAGE_TITLES.get(stage, (stage, stage))
    return f"{zh} {en}"


# -- numbers ----------------------------------------------------------------------------------


def fixed(value: object, decimals: int) -> str:
    """Return a number with exactly ``decimals`` decimals; a dash when missing."""
    if is_missing(value):
        return DASH
    if isinstance(value, bool | np.bool_):
        return yes_no(bool(value))
    return f"{float(value):.{decimals}f}"  # type: ignore[arg-type]


def _strip_zeros(text: str) -> str:
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def smart(value: object, decimals: int) -> str:  # noqa: PLR0911 - one return per kind
    """Return a number rounded to ``decimals`` without trailing zeros; text for other values.

    Integers stay integers (``2150``), fractions lose trailing zeros (``0.18``), flags become
    ``是 yes`` / ``否 no``, mappings become ``key value; key value``.
    """
    if is_missing(value):
        return DASH
    if isinstance(value, bool | np.bool_):
        return yes_no(bool(value))
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        return _strip_zeros(f"{float(value):.{decimals}f}")
    if isinstance(value, Mapping):
        return "; ".join(
            f"{label(str(key))} {smart(item, decimals)}" for key, item in value.items()
        )
    if isinstance(value, list | tuple):
        return ", ".join(smart(item, decimals) for item in value)
    return str(value)


def grouped(value: object, decimals: int = DEFAULT_DECIMALS) -> str:
    """Return a number with thousands separated by spaces and no trailing zeros."""
    if is_missing(value):
        return DASH
    number = float(value)  # type: ignore[arg-type]
    text = _strip_zeros(f"{number:,.{decimals}f}")
    return text.replace(",", " ")


def percent(value: object, decimals: int = 1) -> str:
    """Return a fraction as a percentage, e.g. ``0.8705`` → ``87.1%``."""
    if is_missing(value):
        return DASH
    return f"{100 * float(value):.{decimals}f}%"  # type: ignore[arg-type]


def quantity(value: object, unit: str, decimals: int = DEFAULT_DECIMALS) -> str:
    """Return an amount in natural units: ``9 555 m²``, ``5 teachers``, ``1 teacher``."""
    if is_missing(value):
        return DASH
    text = grouped(value, decimals)
    if text == "1" and unit.endswith("s") and unit.isalpha():
        unit = unit[:-1]
    return f"{text} {unit}"


def yes_no(flag: bool) -> str:
    """Return ``是 yes`` or ``否 no``."""
    return "是 yes" if flag else "否 no"


def rule_text(comparator: str | None, limit: object, decimals: int) -> str:
    """Return ``≥ 0.2``-style text of a rule; mappings give one part per key."""
    sign = COMPARATOR_SIGNS.get(comparator or "", "")
    if isinstance(limit, Mapping):
        return "; ".join(
            f"{label(str(key))} {_signed(sign, item)}{smart(item, decimals)}"
            for key, item in limit.items()
        )
    shown = smart(limit, decimals)
    return f"{sign} {shown}" if sign else shown


def _signed(sign: str, item: object) -> str:
    """Return the comparator sign for a numeric part of a rule; none for flags and text."""
    numeric = isinstance(item, int | float | np.integer | np.floating)
    return f"{sign} " if sign and numeric and not isinstance(item, bool) else ""


def _exact(value: object) -> Fraction | None:
    """Return a finite number as an exact fraction (floats as their shortest decimal), else None.

    Floats are read as their shortest decimal, as the library decides exactly.
    """
    if isinstance(value, bool | np.bool_) or is_missing(value):
        return None
    if isinstance(value, int | np.integer):
        return Fraction(int(value))
    if isinstance(value, float | np.floating):
        number = float(value)
        return Fraction(repr(number)) if math.isfinite(number) else None
    if isinstance(value, Fraction):
        return value
    if isinstance(value, Decimal):
        return Fraction(value) if value.is_finite() else None
    return None


def _holds(value: Fraction, limit: Fraction, comparator: str | None) -> bool | None:
    """Return ``value <comparator> limit``; ``None`` for an unknown comparator."""
    outcomes = {
        ">=": value >= limit,
        ">": value > limit,
        "<=": value <= limit,
        "<": value < limit,
        "==": value == limit,
        "!=": value != limit,
    }
    return outcomes.get(comparator or "")


def satisfies(value: object, limit: object, comparator: str | None) -> bool | None:
    """Decide ``value <comparator> limit`` exactly, floats read as their shortest decimal.

    Returns ``None`` when either side is not a finite number or the comparator is unknown.

    Examples
    --------
    >>> satisfies(0.5004, 0.5, "<="), satisfies(0.5, 0.50, "<="), satisfies("x", 0.5, "<=")
    (False, True, None)
    """
    exact_value, exact_limit = _exact(value), _exact(limit)
    if exact_value is None or exact_limit is None:
        return None
    return _holds(exact_value, exact_limit, comparator)


_FORMATTERS: Final[Mapping[str, Callable[[object, int], str]]] = {
    "smart": smart,
    "fixed": fixed,
    "percent": percent,
}


def _shown(text: str, style: NumberStyle) -> Fraction | None:
    """Return the number a reader sees in ``text`` (``"85.0%"`` reads as 0.85)."""
    try:
        number = Fraction(Decimal(text.removesuffix("%").replace(" ", "")))
    except (InvalidOperation, ValueError):
        return None
    return number / 100 if style == "percent" else number


def limit_decimals(
    value: object,
    limit: object,
    comparator: str | None,
    decimals: int,
    *,
    style: NumberStyle = "smart",
) -> int:
    """Return the decimals that show ``value`` faithfully beside ``limit``.

    That is ``decimals``, unless the value so rounded would read as the limit itself while it
    differs from it (0.5004 shown as ``0.500`` beside ``≤ 0.50``), or would read as meeting the
    limit when it does not (or the reverse). Then the fewest extra decimals, up to
    :data:`MAX_SHOWN_DECIMALS`, that make the difference visible; if none do (a difference in
    the last bits of a float), ``decimals``. For ``style="percent"`` the decimals are those of
    the percentage.

    Examples
    --------
    >>> limit_decimals(0.5004, 0.5, "<=", 3), limit_decimals(0.50000000000001, 0.5, "<=", 3)
    (4, 3)
    >>> limit_decimals(0.84996, 0.85, ">=", 1, style="percent")
    3
    """
    exact_value, exact_limit = _exact(value), _exact(limit)
    if exact_value is None or exact_limit is None or exact_value == exact_limit:
        return decimals
    truth = _holds(exact_value, exact_limit, comparator)
    formatter = _FORMATTERS[style]
    for candidate in range(decimals, max(decimals, MAX_SHOWN_DECIMALS) + 1):
        shown = _shown(formatter(value, candidate), style)
        if shown is None:
            return decimals
        if shown != exact_limit and (
            truth is None or _holds(shown, exact_limit, comparator) == truth
        ):
            return candidate
    return decimals


def against_limit(
    value: object,
    limit: object,
    comparator: str | None,
    decimals: int,
    *,
    style: NumberStyle = "smart",
) -> str:
    """Return ``value`` as shown beside its limit: rounded, but never hiding why it fails.

    ``style`` is ``"smart"`` (:func:`smart`), ``"fixed"`` (:func:`fixed`) or ``"percent"``
    (:func:`percent`); the decimals are those of :func:`limit_decimals`. A mapping value
    beside a mapping limit is shown key by key; any other value as :func:`smart` shows it.

    Examples
    --------
    >>> against_limit(0.5004, 0.5, "<=", 3), against_limit(0.5, 0.5, "<=", 3, style="fixed")
    ('0.5004', '0.500')
    >>> against_limit(0.84996, 0.85, ">=", 1, style="percent")
    '84.996%'
    >>> against_limit({"rate": 0.4999, "rural_tilt": True}, {"rate": 0.5}, ">=", 3)
    '比例 rate 0.4999; 向农村初中倾斜 rural tilt 是 yes'
    """
    if isinstance(value, Mapping):
        limits: Mapping[Any, object] = limit if isinstance(limit, Mapping) else {}
        return "; ".join(
            f"{label(str(key))} "
            f"{against_limit(item, limits.get(key), comparator, decimals, style=style)}"
            for key, item in value.items()
        )
    shown = limit_decimals(value, limit, comparator, decimals, style=style)
    return _FORMATTERS[style](value, shown)


def limit_number(limit: object, decimals: int = 2) -> str:
    """Return a limit with at least ``decimals`` decimals, more when it has more (``0.45``).

    Examples
    --------
    >>> limit_number(0.5), limit_number(0.455), limit_number(None)
    ('0.50', '0.455', '—')
    """
    exact = _exact(limit)
    if exact is None:
        return fixed(limit, decimals)
    needed = decimals
    while needed < MAX_SHOWN_DECIMALS and (exact * 10**needed).denominator != 1:
        needed += 1
    return fixed(limit, needed)


def as_float(value: Any) -> float:  # noqa: ANN401 - any scalar from pandas
    """Return a float, NaN for missing values."""
    if is_missing(value):
        return math.nan
    return float(value)


# -- widths -----------------------------------------------------------------------------------


def char_width(char: str) -> int:
    """Return the terminal columns of one character (0, 1 or 2)."""
    if unicodedata.combining(char) or unicodedata.category(char) in {"Mn", "Me", "Cf"}:
        return 0
    return 2 if unicodedata.east_asian_width(char) in {"W", "F"} else 1


def display_width(text: str) -> int:
    """Return the terminal columns ``text`` takes (CJK characters count double)."""
    if text.isascii():
        return len(text)
    return sum(char_width(char) for char in text)


def pad(text: str, width: int, align: Align = "left") -> str:
    """Pad ``text`` with spaces to ``width`` terminal columns."""
    fill = " " * max(width - display_width(text), 0)
    return fill + text if align == "right" else text + fill


def pieces(word: str) -> list[str]:
    """Split a word into the pieces a line may break between: each wide char alone."""
    result: list[str] = []
    run = ""
    for char in word:
        if char_width(char) == 2:  # noqa: PLR2004 - wide characters break anywhere
            if run:
                result.append(run)
                run = ""
            result.append(char)
        else:
            run += char
    if run:
        result.append(run)
    return result


def _hard_split(piece: str, width: int) -> list[str]:
    lines: list[str] = []
    line = ""
    for char in piece:
        if line and display_width(line + char) > width:
            lines.append(line)
            line = ""
        line += char
    return [*lines, line] if line else lines


def wrap(text: str, width: int) -> list[str]:
    """Break ``text`` into lines of at most ``width`` columns.

    Lines break at spaces, and between CJK characters; a word longer than a line is cut.
    Explicit newlines are kept. An empty text gives one empty line.
    """
    width = max(width, 1)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        gap = ""
        for token in re.findall(r"\s+|\S+", paragraph):
            if token.isspace():
                gap = " "
                continue
            for index, piece in enumerate(pieces(token)):
                joiner = gap if index == 0 else ""
                candidate = f"{line}{joiner}{piece}" if line else piece
                if display_width(candidate) <= width:
                    line = candidate
                    continue
                if line:
                    lines.append(line)
                parts = _hard_split(piece, width)
                lines.extend(parts[:-1])
                line = parts[-1]
            gap = ""
        lines.append(line)
    return lines
