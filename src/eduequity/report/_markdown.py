"""Markdown rendering of a report document (private).

GitHub-flavoured Markdown: pipe tables, headings, bullet lists. Charts are left out; the
numbers they show are in the tables.
"""

from __future__ import annotations

import re
from typing import Final

from eduequity.report._document import (
    Block,
    Document,
    Entries,
    Fields,
    Heading,
    Paragraph,
    Table,
    Title,
    Verdict,
)
from eduequity.report._format import status_label

_SPECIAL: Final = str.maketrans({"\\": "\\\\", "*": "\\*", "`": "\\`"})
_TAG: Final = re.compile(r"<(?=[A-Za-z/!?])")


def escape(text: str) -> str:
    """Escape the characters that would start Markdown emphasis, code or an HTML tag."""
    return _TAG.sub("&lt;", text.translate(_SPECIAL))


def _cell(text: str) -> str:
    return escape(text).replace("|", "\\|").replace("\n", "<br>") or " "


def render_markdown(document: Document) -> str:
    """Return the document as Markdown."""
    parts: list[str] = []
    for block in document.blocks:
        rendered = _block(block)
        if rendered:
            parts.append(rendered)
    return "\n\n".join(parts) + "\n"


def _block(block: Block) -> str:  # noqa: PLR0911 - one branch per block type
    if isinstance(block, Title):
        return f"# {escape(block.zh)}\n\n**{escape(block.en)}**  \n{escape(block.subtitle)}"
    if isinstance(block, Verdict):
        return f"> **结论 Verdict: {escape(block.label)}**  \n> {escape(block.reason)}"
    if isinstance(block, Heading):
        hashes = "#" * (block.level + 1)
        status = f" — {status_label(block.status)}" if block.status else ""
        return f"{hashes} {escape(block.text)}{escape(status)}"
    if isinstance(block, Paragraph):
        return escape(block.text)
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Entries):
        return _entries(block)
    if isinstance(block, Fields):
        return _fields(block)
    # A Chart: drawn only in HTML; its numbers are in the tables.
    return ""


def _table(table: Table) -> str:
    lines = []
    if table.caption:
        lines += [f"**{escape(table.caption)}**", ""]
    lines.append("| " + " | ".join(_cell(column.title) for column in table.columns) + " |")
    lines.append(
        "|"
        + "|".join("---:" if column.align == "right" else "---" for column in table.columns)
        + "|"
    )
    lines += ["| " + " | ".join(_cell(cell.text) for cell in row) + " |" for row in table.rows]
    if table.note:
        lines += ["", escape(table.note)]
    return "\n".join(lines)


def _entries(block: Entries) -> str:
    lines = [f"**{escape(block.title)}**", ""] if block.title else []
    for item in block.items:
        lines.append(f"- {escape(item.head)}" if not item.lines else f"- **{escape(item.head)}**")
        lines += [f"  - {escape(line)}" for line in item.lines]
    return "\n".join(lines)


def _fields(block: Fields) -> str:
    lines = [f"**{escape(block.title)}**", ""] if block.title else []
    lines += [f"- **{escape(label)}**: {escape(value)}" for label, value in block.items]
    return "\n".join(lines)
