"""Plain-text rendering of a report document, for terminals (private).

Tables are aligned by *display* width (CJK characters take two columns,
:func:`~eduequity.report._format.display_width`) and kept within :data:`WIDTH` columns by
wrapping the columns marked wrappable; only ASCII rules and marks are drawn, so the output
looks the same in any terminal font. Charts are not drawn: their numbers are in the tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from eduequity.report._document import (
    Block,
    Column,
    Document,
    Entries,
    Fields,
    Heading,
    Paragraph,
    Table,
    Title,
    Verdict,
)
from eduequity.report._format import display_width, pad, pieces, status_label, wrap

WIDTH: Final = 100
"""Target width of the text output [columns]."""

_INDENT: Final = "  "
_GAP: Final = "  "
_MIN_WRAP: Final = 10
_MAX_LABEL: Final = 36


def render_text(document: Document, width: int = WIDTH) -> str:
    """Return the document as text lines of at most ``width`` columns where possible."""
    lines: list[str] = []
    for block in document.blocks:
        lines.extend(_block(block, width))
    return "\n".join(line.rstrip() for line in lines).strip("\n") + "\n"


def _block(block: Block, width: int) -> list[str]:  # noqa: PLR0911 - one branch per block type
    if isinstance(block, Title):
        rule = "=" * width
        return [
            rule,
            *_center(block.zh, width),
            *_center(block.en, width),
            *_center(block.subtitle, width),
            rule,
        ]
    if isinstance(block, Verdict):
        return [
            "",
            f"结论 Verdict: {block.label}",
            *_indented(block.reason, width, _INDENT),
        ]
    if isinstance(block, Heading):
        return _heading(block, width)
    if isinstance(block, Paragraph):
        return ["", *_indented(block.text, width, _INDENT)]
    if isinstance(block, Table):
        return _table(block, width)
    if isinstance(block, Entries):
        return _entries(block, width)
    if isinstance(block, Fields):
        return _fields(block, width)
    # A Chart: drawn only in HTML; its numbers are in the tables.
    return []


def _center(text: str, width: int) -> list[str]:
    return [" " * max((width - display_width(line)) // 2, 0) + line for line in wrap(text, width)]


def _indented(text: str, width: int, indent: str, hanging: str | None = None) -> list[str]:
    """Wrap ``text`` to ``width`` with ``indent`` on the first line, ``hanging`` after."""
    hanging = indent if hanging is None else hanging
    inner = width - max(len(indent), len(hanging))
    lines = wrap(text, inner)
    return [(indent if i == 0 else hanging) + line for i, line in enumerate(lines)]


def _heading(block: Heading, width: int) -> list[str]:
    if block.level <= 1:
        status = f"[{status_label(block.status)}]" if block.status else ""
        room = width - display_width(status) - 1
        title_lines = wrap(block.text, room)
        first = pad(title_lines[0], room) + " " + status if status else title_lines[0]
        return ["", "", first, *title_lines[1:], "-" * width]
    title_lines = wrap(block.text, width - len(_INDENT))
    underline = "~" * max(display_width(line) for line in title_lines)
    return ["", *(_INDENT + line for line in title_lines), _INDENT + underline]


# -- tables -----------------------------------------------------------------------------------


def _longest_piece(text: str) -> int:
    """Width of the longest unbreakable piece of ``text`` (a word, or one CJK character)."""
    return max((display_width(piece) for word in text.split() for piece in pieces(word)), default=1)


def _column_widths(table: Table, available: int) -> tuple[list[int], str]:
    """Return the column widths and the gap between columns that fit ``available`` columns.

    Headers wrap first (a column is never narrower than its content unless it is marked
    wrappable), then wrappable columns wrap, widest first, down to :data:`_MIN_WRAP`; as a last
    resort the gap between columns narrows to one space.
    """
    columns = table.columns
    content = [
        max((display_width(row[i].text) for row in table.rows), default=0)
        for i in range(len(columns))
    ]
    header_min = [_longest_piece(column.title) for column in columns]
    widths = [
        max(c, display_width(column.title)) for c, column in zip(content, columns, strict=True)
    ]
    header_floor = [max(c, h) for c, h in zip(content, header_min, strict=True)]
    wrap_floor = [
        max(h, min(c, _MIN_WRAP)) if column.wrap else max(h, c)
        for c, h, column in zip(content, header_min, columns, strict=True)
    ]
    for gap in (_GAP, " "):
        fitted = list(widths)
        for floors in (header_floor, wrap_floor):
            excess = sum(fitted) + len(gap) * (len(fitted) - 1) - available
            while excess > 0:
                candidates = [i for i in range(len(fitted)) if fitted[i] > floors[i]]
                if not candidates:
                    break
                widest = max(candidates, key=lambda i: fitted[i])
                fitted[widest] -= 1
                excess -= 1
        if sum(fitted) + len(gap) * (len(fitted) - 1) <= available:
            break
    return fitted, gap


def _row_lines(
    texts: Sequence[str], columns: Sequence[Column], widths: Sequence[int], gap: str
) -> list[str]:
    cells = [wrap(text, w) for text, w in zip(texts, widths, strict=True)]
    height = max(len(cell) for cell in cells)
    lines = []
    for k in range(height):
        parts = [
            pad(cell[k] if k < len(cell) else "", w, column.align)
            for cell, w, column in zip(cells, widths, columns, strict=True)
        ]
        lines.append(_INDENT + gap.join(parts))
    return lines


def _table(table: Table, width: int) -> list[str]:
    lines = [""]
    if table.caption:
        lines += _indented(table.caption, width, _INDENT)
    widths, gap = _column_widths(table, width - len(_INDENT))
    lines += _row_lines([column.title for column in table.columns], table.columns, widths, gap)
    lines.append(_INDENT + gap.join("-" * w for w in widths))
    for row in table.rows:
        lines += _row_lines([cell.text for cell in row], table.columns, widths, gap)
    if table.note:
        lines += _indented(table.note, width, _INDENT)
    return lines


# -- lists ------------------------------------------------------------------------------------


def _entries(block: Entries, width: int) -> list[str]:
    lines = [""]
    if block.title:
        lines += _indented(block.title + ":", width, _INDENT)
    for item in block.items:
        lines += _indented(item.head, width, _INDENT + "- ", _INDENT + "  ")
        for detail in item.lines:
            lines += _indented(detail, width, _INDENT + "    ")
    return lines


def _fields(block: Fields, width: int) -> list[str]:
    lines = [""]
    if block.title:
        lines += _indented(block.title + ":", width, _INDENT)
    label_width = min(max(display_width(label) for label, _ in block.items), _MAX_LABEL)
    hanging = _INDENT + " " * (label_width + 2)
    for label, value in block.items:
        if display_width(label) > label_width:
            lines += _indented(label, width, _INDENT)
            lines += _indented(value, width, hanging)
            continue
        lines += _indented(value, width, _INDENT + pad(label, label_width) + "  ", hanging)
    return lines
