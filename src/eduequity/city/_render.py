"""Plain-text and Markdown tables with bilingual labels (private helpers of the city reports)."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from typing import Final

from eduequity._vocabulary import vocabulary

STATUS_TEXT: Final = {
    "pass": "达标 pass",
    "fail": "未达标 fail",
    "incomplete": "不完整 incomplete",
    "undefined": "无定义 undefined",
    "not_applicable": "不适用 n/a",
    "ok": "ok",
    "reached": "已达成 reached",
}

STAGE_TEXT: Final = {
    **{
        stage: f"{vocabulary('stages').labels[stage]} {stage}"
        for stage in vocabulary("stages").where("compulsory")
    },
    "all": "合计 all",
}


def width(text: str) -> int:
    """Display width of ``text`` in a terminal: CJK characters count two columns."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def pad(text: str, size: int, *, right: bool = False) -> str:
    """Pad ``text`` to ``size`` display columns."""
    filler = " " * max(size - width(text), 0)
    return filler + text if right else text + filler


def number(value: object, digits: int = 3) -> str:
    """Format a number for display (``—`` for a missing value)."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    try:
        as_float = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(as_float):
        return "—"
    return f"{as_float:.{digits}f}"


def percent(value: object, digits: int = 1) -> str:
    """Format a fraction as a percentage (``—`` for a missing value)."""
    if value is None:
        return "—"
    try:
        as_float = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(as_float):
        return "—"
    return f"{100 * as_float:.{digits}f}%"


def text_table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], *, indent: str = "  "
) -> list[str]:
    """Return a fixed-width table; text columns left-aligned, the others right-aligned."""
    if not rows:
        return [f"{indent}(none)"]
    sizes = [
        max(width(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)
    ]
    numeric = [all(_looks_numeric(str(row[i])) for row in rows) for i in range(len(headers))]
    lines = [
        indent
        + "  ".join(
            pad(str(header), sizes[i], right=numeric[i]) for i, header in enumerate(headers)
        ).rstrip()
    ]
    lines.append(indent + "  ".join("-" * size for size in sizes))
    lines.extend(
        indent
        + "  ".join(
            pad(str(cell), sizes[i], right=numeric[i]) for i, cell in enumerate(row)
        ).rstrip()
        for row in rows
    )
    return lines


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """Return a Markdown table (pipes in cells escaped)."""
    if not rows:
        return ["(none)"]

    def cell(value: object) -> str:
        return str(value).replace("|", "\\|")

    lines = ["| " + " | ".join(cell(header) for header in headers) + " |"]
    lines.append("|" + "|".join("---" for _ in headers) + "|")
    lines.extend("| " + " | ".join(cell(value) for value in row) + " |" for row in rows)
    return lines


def _looks_numeric(text: str) -> bool:
    stripped = text.rstrip("%").replace(",", "").replace("—", "").strip()
    if not stripped:
        return True
    try:
        float(stripped)
    except ValueError:
        return False
    return True
