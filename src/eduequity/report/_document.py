"""The neutral document a report is built as before it is rendered (private).

A report is a flat sequence of blocks (headings, paragraphs, tables, lists, charts). The
builders in :mod:`eduequity.report._county` decide *what* a report says; the renderers for
text, Markdown and HTML decide only *how* it looks, so every format carries the same content.
Charts are drawn only in HTML; the other formats show the same numbers as tables.
"""

from __future__ import annotations

from typing import Literal

import attrs

from eduequity.report._format import Align

Tone = Literal["pass", "fail", "warn", "muted", ""]
"""Emphasis of a cell or line: ``fail`` (red), ``warn`` (amber), ``pass`` (green)."""


@attrs.frozen(kw_only=True)
class Title:
    """The title block of a report."""

    zh: str
    """Chinese title."""
    en: str
    """English title."""
    subtitle: str
    """County and year."""


@attrs.frozen(kw_only=True)
class Verdict:
    """The county verdict, shown first: status and the one-line reason."""

    status: str
    """``pass``, ``fail`` or ``incomplete``."""
    label: str
    """``未通过 FAIL``-style text."""
    reason: str
    """One line saying why."""


@attrs.frozen(kw_only=True)
class Heading:
    """A section heading, optionally with the section's status."""

    level: int
    """1 for a part, 2 for a subsection."""
    text: str
    """Chinese and English title."""
    anchor: str
    """Identifier used for links in HTML."""
    status: str | None = None
    """Status shown beside the title."""


@attrs.frozen(kw_only=True)
class Paragraph:
    """Running text."""

    text: str
    """The text, without markup."""
    tone: Tone = ""
    """``muted`` for remarks, ``warn``/``fail`` for emphasis."""


@attrs.frozen(kw_only=True)
class Cell:
    """One table cell."""

    text: str
    """Displayed text."""
    tone: Tone = ""
    """Emphasis."""


@attrs.frozen(kw_only=True)
class Column:
    """One table column."""

    title: str
    """Header text (Chinese and English)."""
    align: Align = "left"
    """Numbers align right."""
    wrap: bool = False
    """Whether the text renderer may wrap this column to keep the table narrow."""


@attrs.frozen(kw_only=True)
class Table:
    """A table with a header row."""

    columns: tuple[Column, ...]
    """The columns."""
    rows: tuple[tuple[Cell, ...], ...]
    """The rows, one cell per column."""
    caption: str = ""
    """Optional caption shown above the table."""
    note: str = ""
    """Optional footnote shown below the table."""
    css_class: str = ""
    """Extra CSS class in HTML."""


@attrs.frozen(kw_only=True)
class Entry:
    """One item of an :class:`Entries` list: a head line and detail lines."""

    head: str
    """First line, e.g. ``G4 school_size · 0990010101``."""
    lines: tuple[str, ...] = ()
    """Detail lines (message, value against rule, source)."""
    tone: Tone = ""
    """Emphasis of the head."""


@attrs.frozen(kw_only=True)
class Entries:
    """A list of entries with details, e.g. the failing checks of a part."""

    title: str
    """Title of the list."""
    items: tuple[Entry, ...]
    """The entries."""


@attrs.frozen(kw_only=True)
class Fields:
    """Label–value pairs, e.g. the rule-set identity."""

    title: str
    """Title of the group; may be empty."""
    items: tuple[tuple[str, str], ...]
    """``(label, value)`` pairs."""


@attrs.frozen(kw_only=True)
class Bar:
    """One bar of a chart."""

    label: str
    """Category label (school section or indicator code)."""
    value: float
    """Length of the bar; NaN draws nothing."""
    tone: Tone
    """``fail`` (red), ``warn`` (amber) or ``pass``/empty (neutral)."""
    tooltip: str
    """Text shown on hover."""


@attrs.frozen(kw_only=True)
class Line:
    """A reference line across a chart panel: a standard, a floor, a limit or a mean."""

    value: float
    """Position on the value axis."""
    label: str
    """Legend text."""
    style: Literal["standard", "floor", "limit", "mean"]
    """Line style."""


@attrs.frozen(kw_only=True)
class Panel:
    """One panel of a chart (one stage)."""

    title: str
    """Panel title."""
    bars: tuple[Bar, ...]
    """The bars, in display order."""
    lines: tuple[Line, ...] = ()
    """Reference lines."""
    show_labels: bool = False
    """Draw the category labels (short labels such as indicator codes only)."""
    value_format: Literal["number", "percent"] = "number"
    """How axis ticks are written."""


@attrs.frozen(kw_only=True)
class Chart:
    """A chart drawn as inline SVG in the HTML report."""

    title: str
    """Title above the chart."""
    kind: str
    """CSS class and test hook: ``indicator-chart``, ``cv-chart``, ``recognition-chart``."""
    orientation: Literal["vertical", "horizontal"]
    """Vertical columns (one per school section) or horizontal bars (one per category)."""
    panels: tuple[Panel, ...]
    """Panels side by side."""
    caption: str = ""
    """Text below the chart (e.g. the failing sections)."""
    legend: tuple[tuple[Tone, str], ...] = ()
    """Colour legend of the bars: ``(tone, label)`` pairs."""


Block = Title | Verdict | Heading | Paragraph | Table | Entries | Fields | Chart
"""Anything a report is made of."""


@attrs.frozen(kw_only=True)
class Document:
    """A whole report: a title for the page and the blocks in order."""

    page_title: str
    """Title of the HTML page."""
    blocks: tuple[Block, ...]
    """The content."""
