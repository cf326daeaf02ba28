"""Inline SVG charts for the HTML report, drawn without a plotting library (private).

Two layouts: *vertical* columns, one per school section, sorted by value, with the standard,
the 85% floor and the county value as horizontal lines; and *horizontal* bars, one per
category (indicator code, respondent group), with a limit as a vertical line. Bars below a
standard are amber, bars of failing sections red. Every bar carries a ``<title>`` tooltip;
all text is escaped. The SVG uses only presentation attributes and the page's CSS classes, no
external resource.

Examples
--------
>>> from eduequity.report._document import Bar, Chart, Line, Panel
>>> chart = Chart(title="t", kind="cv-chart", orientation="horizontal", panels=(
...     Panel(title="小学", bars=(Bar(label="L1", value=0.6, tone="fail", tooltip="L1 <0.6>"),),
...           lines=(Line(value=0.5, label="limit", style="limit"),), show_labels=True),))
>>> svg = render_chart(chart, "c1")
>>> svg.startswith("<svg") and svg.count("<rect") >= 1 and "&lt;0.6&gt;" in svg
True
>>> nice_ticks(0.0, 0.62)
[0.0, 0.2, 0.4, 0.6, 0.8]
"""

from __future__ import annotations

import math
from html import escape
from typing import Final

from eduequity.report._document import Bar, Chart, Line, Panel, Tone
from eduequity.report._format import display_width

WIDTH: Final = 960
"""Width of every chart's view box [px]."""

_COLORS: Final[dict[str, str]] = {
    "fail": "#c62828",
    "warn": "#e08a00",
    "pass": "#4f7cac",
    "": "#4f7cac",
    "muted": "#9aa5b1",
}
_LINE_STYLES: Final[dict[str, tuple[str, str, float]]] = {
    # style: (colour, dash pattern, stroke width)
    "standard": ("#1b7a3a", "", 2.0),
    "floor": ("#c62828", "6 4", 1.6),
    "limit": ("#c62828", "", 2.0),
    "mean": ("#37474f", "2 3", 1.6),
}
_FONT: Final = 12
_PANEL_GAP: Final = 28
_TITLE_H: Final = 26
_LEGEND_ROW: Final = 16


def _fmt(value: float) -> str:
    """Return a coordinate with at most two decimals."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def nice_ticks(low: float, high: float, target: int = 6) -> list[float]:
    """Return round tick values (steps of 1, 2 or 5 × 10^k) covering ``[low, high]``."""
    if not math.isfinite(high) or high <= low:
        high = low + 1.0
    raw = (high - low) / max(target - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step) * step
    count = math.ceil((high - first) / step - 1e-9)
    return [round(first + i * step, 10) for i in range(count + 1)]


def _tick_label(value: float, percent: bool) -> str:
    if percent:
        return f"{100 * value:.0f}%"
    if value == 0:
        return "0"
    if abs(value) >= 1000:  # noqa: PLR2004 - thousands get a separator
        return f"{value:,.0f}".replace(",", " ")
    return f"{value:.3f}".rstrip("0").rstrip(".")


def _scale_max(panels: tuple[Panel, ...]) -> float:
    values = [bar.value for panel in panels for bar in panel.bars if math.isfinite(bar.value)]
    values += [line.value for panel in panels for line in panel.lines if math.isfinite(line.value)]
    top = max(values, default=1.0)
    return top * 1.05 if top > 0 else 1.0


def render_chart(chart: Chart, chart_id: str) -> str:
    """Return the chart as one ``<svg>`` element."""
    if chart.orientation == "vertical":
        return _vertical(chart, chart_id)
    return _horizontal(chart, chart_id)


def _open_svg(chart: Chart, chart_id: str, height: float) -> list[str]:
    title_id = f"{chart_id}-title"
    return [
        (
            f'<svg class="chart {escape(chart.kind)}" '
            f'id="{escape(chart_id)}" viewBox="0 0 {WIDTH} {_fmt(height)}" role="img" '
            f'aria-labelledby="{escape(title_id)}" font-size="{_FONT}">'
        ),
        f'<title id="{escape(title_id)}">{escape(chart.title)}</title>',
    ]


def _text(x: float, y: float, text: str, *, anchor: str = "start", css: str = "") -> str:
    klass = f' class="{css}"' if css else ""
    return f'<text x="{_fmt(x)}" y="{_fmt(y)}" text-anchor="{anchor}"{klass}>{escape(text)}</text>'


def _bar(x: float, y: float, width: float, height: float, bar: Bar) -> str:
    color = _COLORS.get(bar.tone, _COLORS[""])
    tone = f" bar-{bar.tone}" if bar.tone else ""
    return (
        f'<rect class="bar{tone}" x="{_fmt(x)}" y="{_fmt(y)}" width="{_fmt(max(width, 0.5))}" '
        f'height="{_fmt(max(height, 0.0))}" fill="{color}"><title>{escape(bar.tooltip)}</title>'
        "</rect>"
    )


def _line(x1: float, y1: float, x2: float, y2: float, line: Line) -> str:
    color, dash, stroke = _LINE_STYLES[line.style]
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<line class="ref ref-{line.style}" x1="{_fmt(x1)}" y1="{_fmt(y1)}" x2="{_fmt(x2)}" '
        f'y2="{_fmt(y2)}" stroke="{color}" stroke-width="{stroke}"{dash_attr}>'
        f"<title>{escape(line.label)}</title></line>"
    )


def _legend(lines: tuple[Line, ...], x: float, y: float, width: float) -> list[str]:
    """Legend entries laid out left to right, wrapping to a new row when full."""
    out: list[str] = []
    cursor_x, cursor_y = x, y
    for line in lines:
        text_width = display_width(line.label) * _FONT * 0.58 + 30
        if cursor_x > x and cursor_x + text_width > x + width:
            cursor_x, cursor_y = x, cursor_y + _LEGEND_ROW
        color, dash, stroke = _LINE_STYLES[line.style]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<line x1="{_fmt(cursor_x)}" y1="{_fmt(cursor_y - 4)}" x2="{_fmt(cursor_x + 22)}" '
            f'y2="{_fmt(cursor_y - 4)}" stroke="{color}" stroke-width="{stroke}"{dash_attr}/>'
        )
        out.append(_text(cursor_x + 26, cursor_y, line.label, css="legend"))
        cursor_x += text_width + 12
    return out


def _legend_rows(panel: Panel, width: float) -> int:
    rows, used = 1, 0.0
    for line in panel.lines:
        text_width = display_width(line.label) * _FONT * 0.58 + 42
        if used and used + text_width > width:
            rows, used = rows + 1, 0.0
        used += text_width
    return rows if panel.lines else 0


def _panel_width(count: int) -> float:
    return (WIDTH - _PANEL_GAP * (count - 1)) / max(count, 1)


def _vertical(chart: Chart, chart_id: str) -> str:
    panels = chart.panels
    panel_width = _panel_width(len(panels))
    plot_height = 200.0
    left, bottom_axis = 56.0, 10.0
    legend_rows = max((_legend_rows(p, panel_width - left) for p in panels), default=0)
    height = _TITLE_H + plot_height + bottom_axis + legend_rows * _LEGEND_ROW + 14
    top = _scale_max(panels)
    ticks = nice_ticks(0.0, top)
    top = ticks[-1]
    percent = any(p.value_format == "percent" for p in panels)
    out = _open_svg(chart, chart_id, height)
    for index, panel in enumerate(panels):
        x0 = index * (panel_width + _PANEL_GAP)
        plot_left = x0 + left
        plot_width = panel_width - left - 4
        y_base = _TITLE_H + plot_height

        def y_of(value: float, y_base: float = y_base) -> float:
            return y_base - plot_height * value / top

        out.append(f'<g class="panel">{_text(plot_left, 16, panel.title, css="panel-title")}')
        for tick in ticks:
            y = y_of(tick)
            out.append(
                f'<line class="grid" x1="{_fmt(plot_left)}" y1="{_fmt(y)}" '
                f'x2="{_fmt(plot_left + plot_width)}" y2="{_fmt(y)}" stroke="#e3e7eb"/>'
            )
            out.append(
                _text(plot_left - 6, y + 4, _tick_label(tick, percent), anchor="end", css="tick")
            )
        count = max(len(panel.bars), 1)
        band = plot_width / count
        for position, bar in enumerate(panel.bars):
            if not math.isfinite(bar.value):
                continue
            y = y_of(bar.value)
            out.append(
                _bar(plot_left + position * band + band * 0.12, y, band * 0.76, y_base - y, bar)
            )
        for line in panel.lines:
            if math.isfinite(line.value):
                y = y_of(line.value)
                out.append(_line(plot_left, y, plot_left + plot_width, y, line))
        out.append(
            f'<line class="axis" x1="{_fmt(plot_left)}" y1="{_fmt(y_base)}" '
            f'x2="{_fmt(plot_left + plot_width)}" y2="{_fmt(y_base)}" stroke="#5f6b76"/>'
        )
        out += _legend(panel.lines, plot_left, y_base + bottom_axis + 14, plot_width)
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)


def _horizontal(chart: Chart, chart_id: str) -> str:
    panels = chart.panels
    panel_width = _panel_width(len(panels))
    row = 22.0
    rows = max((len(p.bars) for p in panels), default=1)
    label_width = max(
        (display_width(bar.label) * _FONT * 0.62 + 12 for p in panels for bar in p.bars),
        default=40.0,
    )
    legend_rows = max((_legend_rows(p, panel_width - label_width) for p in panels), default=0)
    plot_height = rows * row
    height = _TITLE_H + plot_height + 22 + legend_rows * _LEGEND_ROW + 10
    top = _scale_max(panels)
    ticks = nice_ticks(0.0, top, target=5)
    top = ticks[-1]
    percent = any(p.value_format == "percent" for p in panels)
    out = _open_svg(chart, chart_id, height)
    for index, panel in enumerate(panels):
        x0 = index * (panel_width + _PANEL_GAP)
        plot_left = x0 + label_width
        plot_width = panel_width - label_width - 16

        def x_of(
            value: float, plot_left: float = plot_left, plot_width: float = plot_width
        ) -> float:
            return plot_left + plot_width * value / top

        out.append(f'<g class="panel">{_text(x0, 16, panel.title, css="panel-title")}')
        y_end = _TITLE_H + plot_height
        for tick in ticks:
            x = x_of(tick)
            out.append(
                f'<line class="grid" x1="{_fmt(x)}" y1="{_fmt(_TITLE_H)}" x2="{_fmt(x)}" '
                f'y2="{_fmt(y_end)}" stroke="#e3e7eb"/>'
            )
            out.append(
                _text(x, y_end + 14, _tick_label(tick, percent), anchor="middle", css="tick")
            )
        for position, bar in enumerate(panel.bars):
            y = _TITLE_H + position * row
            if panel.show_labels:
                out.append(
                    _text(plot_left - 6, y + row * 0.68, bar.label, anchor="end", css="label")
                )
            if math.isfinite(bar.value):
                out.append(
                    _bar(plot_left, y + row * 0.18, x_of(bar.value) - plot_left, row * 0.64, bar)
                )
        for line in panel.lines:
            if math.isfinite(line.value):
                x = x_of(line.value)
                out.append(_line(x, _TITLE_H - 4, x, y_end + 2, line))
        out.append(
            f'<line class="axis" x1="{_fmt(plot_left)}" y1="{_fmt(_TITLE_H)}" '
            f'x2="{_fmt(plot_left)}" y2="{_fmt(y_end)}" stroke="#5f6b76"/>'
        )
        out += _legend(panel.lines, plot_left, y_end + 34, plot_width)
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)


def tone_color(tone: Tone) -> str:
    """Return the fill colour used for a tone (shared with the page's CSS legend)."""
    return _COLORS.get(tone, _COLORS[""])
