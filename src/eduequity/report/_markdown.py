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

_SPECIAL: Final = re.compile(r"([\\`*\[\]|]|<(?=[A-Za-z/!?]))")
"""Every character that could start emphasis, code, a link or an image (their brackets), raw
HTML or a table cell: each is escaped with a backslash, which CommonMark allows before any
ASCII punctuation and renders as the character itself. ``<`` only where a tag or an autolink
could begin; ``_`` inside a word is no emphasis."""
_LEADING: Final = re.compile(r"^([#>+=_-])")
"""A first character that would start a heading, a quote, a list or a rule."""
_AUTOLINK: Final = re.compile(r"(?i)(?<=[a-z])(:)(?=//)|(?<=www)(\.)")
"""The ``://`` of a web address and the dot of ``www.``: escaped, GitHub does not link them."""


def escape(text: str) -> str:
    r"""Return ``text`` as literal Markdown: it shows as written and can never become markup.

    Names come from the user's tables; a school named ``[x](javascript:alert(1))`` or
    ``<img src=x onerror=alert(1)>`` must show as those characters, not as a link or an
    image. Line breaks become spaces.

    Examples
    --------
    >>> print(escape("[x](javascript:alert(1))"))
    \[x\](javascript:alert(1))
    >>> print(escape("<img src=x>"))
    \<img src=x>
    >>> print(escape("see https://example.org"))
    see https\://example.org
    """
    flat = " ".join(text.splitlines()) if "\n" in text or "\r" in text else text
    escaped = _LEADING.sub(r"\\\1", _SPECIAL.sub(r"\\\1", flat))
    return _AUTOLINK.sub(r"\\\1\2", escaped)


def _cell(text: str) -> str:
    return escape(text) or " "


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
