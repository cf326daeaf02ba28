"""HTML rendering of a report document: one self-contained page (private).

The page needs nothing from the network: the style sheet is inline, the charts are inline
SVG drawn by :mod:`eduequity.report._svg`, there is no script, no image, no web font and no
link to another document (only ``#`` links to the page's own sections). Every text is
escaped with :func:`html.escape`. The content is that of the Markdown report plus the charts.
"""

from __future__ import annotations

from collections.abc import Iterator
from html import escape
from typing import Final

from eduequity._version import __version__
from eduequity.report._document import (
    Block,
    Chart,
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
from eduequity.report._svg import render_chart, tone_color

STYLE: Final = """
:root {
  --ink: #1f2933; --muted: #5f6b76; --rule: #d9dee3; --band: #f5f7f9;
  --pass: #1b7a3a; --pass-bg: #e7f4ea; --fail: #b71c1c; --fail-bg: #fdecea;
  --warn: #8a5300; --warn-bg: #fff4e0; --accent: #2f5d8a;
  /* Latin faces first, then the CJK faces of every common system (Linux, macOS, Windows),
     then the generic family: a reader without CJK fonts still reads the English beside
     every Chinese name. */
  --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
    "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Microsoft JhengHei", SimHei,
    "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Noto Sans CJK TC", "Droid Sans Fallback",
    sans-serif;
}
* { box-sizing: border-box; }
html { font-size: 15px; }
body {
  margin: 0; color: var(--ink); background: #fff; line-height: 1.55;
  font-family: var(--sans);
}
main.report { max-width: 1040px; margin: 0 auto; padding: 28px 32px 48px; }
header.title { border-bottom: 3px solid var(--accent); padding-bottom: 14px; margin-bottom: 18px; }
header.title h1 { font-size: 1.75rem; margin: 0 0 4px; letter-spacing: 0.02em; }
header.title .en { margin: 0; color: var(--muted); font-size: 1.05rem; }
header.title .subtitle { margin: 6px 0 0; font-weight: 600; }
.verdict { border-radius: 6px; padding: 14px 18px; margin: 0 0 20px; border-left: 8px solid; }
.verdict p { margin: 0; }
.verdict .label { font-size: 1.35rem; font-weight: 700; }
.verdict .reason { margin-top: 4px; }
.verdict-pass { background: var(--pass-bg); border-color: var(--pass); }
.verdict-fail { background: var(--fail-bg); border-color: var(--fail); }
.verdict-incomplete, .verdict-not_assessed { background: var(--warn-bg); border-color: #e08a00; }
nav.toc { background: var(--band); border-radius: 6px; padding: 10px 16px; margin: 0 0 8px; }
nav.toc ol { margin: 0; padding-left: 1.4em; columns: 2; column-gap: 32px; }
nav.toc a { color: var(--accent); text-decoration: none; }
section.part { margin-top: 30px; }
h2 {
  font-size: 1.3rem; margin: 0 0 10px; padding-bottom: 6px; border-bottom: 1px solid var(--rule);
  display: flex; justify-content: space-between; align-items: baseline; gap: 12px;
}
h3 { font-size: 1.08rem; margin: 22px 0 8px; color: var(--accent); }
h4 { font-size: 0.98rem; margin: 14px 0 6px; }
.status {
  font-size: 0.85rem; font-weight: 600; padding: 2px 10px; border-radius: 999px;
  white-space: nowrap; background: var(--band); color: var(--muted);
}
.status-pass { background: var(--pass-bg); color: var(--pass); }
.status-fail { background: var(--fail-bg); color: var(--fail); }
.status-incomplete, .status-not_assessed { background: var(--warn-bg); color: var(--warn); }
.table-wrap { overflow-x: auto; margin: 8px 0 4px; }
table.data { border-collapse: collapse; width: auto; min-width: 50%; font-size: 0.9rem; }
table.data caption { text-align: left; font-weight: 600; padding: 4px 0 6px; }
table.data th, table.data td {
  border-bottom: 1px solid var(--rule); padding: 4px 10px; vertical-align: top; text-align: left;
}
table.data th { background: var(--band); font-weight: 600; border-bottom: 2px solid #c3cad1; }
table.data tbody tr:nth-child(even) td { background: #fafbfc; }
table.data .num { text-align: right; font-variant-numeric: tabular-nums; }
table.data td.num { white-space: nowrap; }
table.data td.nw { white-space: nowrap; }
td.tone-fail { color: var(--fail); font-weight: 600; background: var(--fail-bg) !important; }
td.tone-warn { color: var(--warn); background: var(--warn-bg) !important; }
td.tone-pass { color: var(--pass); }
td.tone-muted { color: var(--muted); }
p.note, p.muted { color: var(--muted); font-size: 0.85rem; margin: 4px 0 10px; }
p.tone-warn { color: var(--warn); }
p.tone-fail { color: var(--fail); }
.entries ul { margin: 4px 0 8px; padding-left: 1.3em; }
.entries li { margin: 3px 0; }
.entries li.tone-fail > .head { color: var(--fail); font-weight: 600; }
.entries li.tone-warn > .head { color: var(--warn); }
.entries ul.details { list-style: none; padding-left: 0.4em; color: #3e4a55; font-size: 0.9rem; }
dl.fields { display: grid; grid-template-columns: fit-content(40%) minmax(0, 1fr); gap: 3px 18px;
  margin: 6px 0; }
dl.fields dt { font-weight: 600; color: var(--muted); }
dl.fields dd { margin: 0; word-break: break-word; }
figure.chart-figure { margin: 16px 0 22px; padding: 10px 12px; border: 1px solid var(--rule);
  border-radius: 6px; break-inside: avoid; }
figure.chart-figure figcaption { font-weight: 600; margin-bottom: 4px; }
figure.chart-figure svg { width: 100%; height: auto; display: block; }
figure.chart-figure .chart-legend { font-size: 0.82rem; color: var(--muted); margin: 2px 0 0; }
.swatch { display: inline-block; width: 11px; height: 11px; border-radius: 2px;
  margin: 0 5px 0 10px; vertical-align: -1px; }
figure.chart-figure .chart-caption { color: var(--muted); font-size: 0.85rem; margin: 4px 0 0; }
svg text { fill: var(--ink); font-family: inherit; }
svg text.tick, svg text.legend { fill: var(--muted); font-size: 11px; }
svg text.panel-title { font-weight: 600; font-size: 13px; }
footer { margin-top: 36px; color: var(--muted); font-size: 0.85rem;
  border-top: 1px solid var(--rule); padding-top: 10px; }
@page { size: A4; margin: 12mm 10mm; }
@media print {
  html { font-size: 9pt; }
  main.report { max-width: none; padding: 0; }
  nav.toc { display: none; }
  section.part { break-before: auto; }
  /* Nothing may be cut at the page edge: tables wrap instead of scrolling. */
  .table-wrap { overflow: visible; }
  table.data { width: 100%; min-width: 0; font-size: 7.5pt; table-layout: auto; }
  table.data th, table.data td { padding: 2px 4px; overflow-wrap: break-word; }
  table.data td.num, table.data td.nw, .status { white-space: normal; }
  table.data thead { display: table-header-group; }
  table.data tr, figure.chart-figure, .verdict { break-inside: avoid; }
  td.tone-fail, td.tone-warn, .verdict, .status { print-color-adjust: exact;
    -webkit-print-color-adjust: exact; }
  dl.fields dd { overflow-wrap: anywhere; }
  dl.fields dt { overflow-wrap: break-word; }
}
"""
"""The page's style sheet, inlined in ``<style>``."""


def render_html(document: Document) -> str:
    """Return the document as one self-contained HTML5 page."""
    body: list[str] = []
    headings = [b for b in document.blocks if isinstance(b, Heading) and b.level <= 1]
    in_section = False
    toc_done = False
    chart_number = 0
    for block in document.blocks:
        if isinstance(block, Heading) and block.level <= 1:
            if not toc_done:
                body.append(_toc(headings))
                toc_done = True
            if in_section:
                body.append("</section>")
            body.append(f'<section class="part" id="{escape(block.anchor)}">')
            in_section = True
        if isinstance(block, Chart):
            chart_number += 1
            body.append(_chart(block, f"chart-{chart_number}"))
            continue
        body.extend(_block(block))
    if in_section:
        body.append("</section>")
    return (
        "\n".join(
            [
                "<!DOCTYPE html>",
                '<html lang="zh-CN">',
                "<head>",
                '<meta charset="utf-8">',
                '<meta name="viewport" content="width=device-width, initial-scale=1">',
                f'<meta name="generator" content="eduequity {escape(__version__)}">',
                f"<title>{escape(document.page_title)}</title>",
                f"<style>{STYLE}</style>",
                "</head>",
                "<body>",
                '<main class="report">',
                *body,
                (
                    f"<footer>eduequity {escape(__version__)} · 本报告为自包含文件 "
                    "self-contained report: no script, no external resource.</footer>"
                ),
                "</main>",
                "</body>",
                "</html>",
            ]
        )
        + "\n"
    )


def _toc(headings: list[Heading]) -> str:
    items = "".join(
        f'<li><a href="#{escape(h.anchor)}">{escape(h.text)}</a>'
        + (f" — {escape(status_label(h.status))}" if h.status else "")
        + "</li>"
        for h in headings
    )
    return f'<nav class="toc" aria-label="目录 Contents"><ol>{items}</ol></nav>'


def _text(text: str) -> str:
    return escape(text).replace("\n", "<br>")


def _block(block: Block) -> Iterator[str]:  # noqa: PLR0911 - one branch per block type
    if isinstance(block, Title):
        yield (
            f'<header class="title"><h1>{_text(block.zh)}</h1>'
            f'<p class="en">{_text(block.en)}</p>'
            f'<p class="subtitle">{_text(block.subtitle)}</p></header>'
        )
        return
    if isinstance(block, Verdict):
        yield (
            f'<section class="verdict verdict-{escape(block.status)}" id="verdict">'
            f'<p class="label">结论 Verdict: {_text(block.label)}</p>'
            f'<p class="reason">{_text(block.reason)}</p></section>'
        )
        return
    if isinstance(block, Heading):
        if block.level <= 1:
            status = (
                f' <span class="status status-{escape(block.status)}">'
                f"{escape(status_label(block.status))}</span>"
                if block.status
                else ""
            )
            yield f"<h2><span>{_text(block.text)}</span>{status}</h2>"
        else:
            yield f'<h3 id="{escape(block.anchor)}">{_text(block.text)}</h3>'
        return
    if isinstance(block, Paragraph):
        klass = f' class="tone-{block.tone}"' if block.tone else ""
        yield f"<p{klass}>{_text(block.text)}</p>"
        return
    if isinstance(block, Table):
        yield _table(block)
        return
    if isinstance(block, Entries):
        yield _entries(block)
        return
    if isinstance(block, Fields):
        yield _fields(block)
        return
    msg = f"unknown block {type(block).__name__}"  # pragma: no cover - exhaustive above
    raise TypeError(msg)  # pragma: no cover


def _table(table: Table) -> str:
    klass = "data" + (f" {escape(table.css_class)}" if table.css_class else "")
    out = [f'<div class="table-wrap"><table class="{klass}">']
    if table.caption:
        out.append(f"<caption>{_text(table.caption)}</caption>")
    out.append("<thead><tr>")
    out += [
        f'<th scope="col"{_num(column.align)}>{_text(column.title)}</th>'
        for column in table.columns
    ]
    out.append("</tr></thead><tbody>")
    for row in table.rows:
        cells = []
        for column, cell in zip(table.columns, row, strict=True):
            classes = [
                c
                for c in (
                    "num" if column.align == "right" else "",
                    "" if column.wrap else "nw",
                    f"tone-{cell.tone}" if cell.tone else "",
                )
                if c
            ]
            klass = f' class="{" ".join(classes)}"' if classes else ""
            cells.append(f"<td{klass}>{_text(cell.text)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table></div>")
    if table.note:
        out.append(f'<p class="note">{_text(table.note)}</p>')
    return "\n".join(out)


def _num(align: str) -> str:
    return ' class="num"' if align == "right" else ""


def _entries(block: Entries) -> str:
    out = ['<div class="entries">']
    if block.title:
        out.append(f"<h4>{_text(block.title)}</h4>")
    out.append("<ul>")
    for item in block.items:
        klass = f' class="tone-{item.tone}"' if item.tone else ""
        details = (
            '<ul class="details">'
            + "".join(f"<li>{_text(line)}</li>" for line in item.lines)
            + "</ul>"
            if item.lines
            else ""
        )
        out.append(f'<li{klass}><span class="head">{_text(item.head)}</span>{details}</li>')
    out.append("</ul></div>")
    return "\n".join(out)


def _fields(block: Fields) -> str:
    out = []
    if block.title:
        out.append(f"<h4>{_text(block.title)}</h4>")
    out.append('<dl class="fields">')
    out += [f"<dt>{_text(label)}</dt><dd>{_text(value)}</dd>" for label, value in block.items]
    out.append("</dl>")
    return "\n".join(out)


def _chart(chart: Chart, chart_id: str) -> str:
    swatches = "".join(
        f'<span class="swatch" style="background:{tone_color(tone)}"></span>{_text(label)} '
        for tone, label in chart.legend
    )
    legend = f'<p class="chart-legend">{swatches}</p>' if swatches else ""
    caption = legend + (
        f'<p class="chart-caption">{_text(chart.caption)}</p>' if chart.caption else ""
    )
    return (
        f'<figure class="chart-figure {escape(chart.kind)}-figure">'
        f"<figcaption>{_text(chart.title)}</figcaption>\n"
        f"{render_chart(chart, chart_id)}\n{caption}</figure>"
    )
