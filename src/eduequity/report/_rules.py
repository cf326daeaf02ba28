"""Markdown listing of a rule set, section by section with the provenance of every rule."""

from __future__ import annotations

from typing import TYPE_CHECKING

from eduequity._vocabulary import section_title
from eduequity.report._format import DASH, is_missing
from eduequity.report._markdown import escape

if TYPE_CHECKING:
    import pandas as pd

    from eduequity.national.rules import RuleSet


def _cell(value: object) -> str:
    if is_missing(value) or value == "":
        return " "
    if isinstance(value, tuple | list):
        value = ", ".join(str(item) for item in value)
    return escape(str(value)).replace("|", "\\|").replace("\n", " ")


def _header(rules: RuleSet) -> list[str]:
    document = rules.document
    unverified = sum(not entry.verified for entry in rules.entries.values())
    lines = [
        f"# {escape(rules.title_zh)}",
        "",
        f"**{escape(rules.title_en)}**",
        "",
        f"- **规则集 Rule set**: `{rules.id}` version {escape(rules.version)}",
        f"- **文件 Document**: {escape(str(document.number or DASH))}"
        + (f", {escape(str(document.date))}" if document.date else "")
        + (f", <{document.url}>" if document.url else ""),
        (
            f"- **生效 Effective**: {rules.effective_from or 'not confirmed'} to "
            f"{rules.effective_to or 'open'}"
        ),
        f"- **条目 Entries**: {len(rules.entries)} ({unverified} not verified)",
        f"- **地方调整 Overlays**: {escape(', '.join(rules.overlays)) or '无 none'}",
        f"- **内容哈希 Content hash**: `{rules.content_hash}`",
    ]
    if rules.note:
        lines.append(f"- **说明 Note**: {escape(rules.note)}")
    for overlay in rules.applied_overlays:
        source = "" if overlay.source is None else f" — {escape(overlay.source.render())}"
        lines.append(f"  - `{overlay.id}` [{overlay.tag}] {escape(overlay.title)}{source}")
    return lines


def rules_markdown(rules: RuleSet) -> str:
    """Return the rule set as Markdown: header, one table per section, overlay changes."""
    lines = _header(rules)
    frame: pd.DataFrame = rules.to_frame()
    sections = frame["key"].str.split(".", n=1).str[0]
    columns = ["key", "value", "unit", "comparator", "stage", "tag", "verified", "source"]
    for section in dict.fromkeys(sections):
        zh, en = section_title(section)
        members = frame.loc[sections == section]
        lines += ["", f"## {escape(zh)} · {escape(en)} (`{section}`)", ""]
        lines.append("| " + " | ".join(columns) + " |")
        lines.append("|" + "|".join("---" for _ in columns) + "|")
        for record in members.to_dict("records"):
            cells = []
            for column in columns:
                value = record[column]
                if column == "key":
                    cells.append(f"`{value}`")
                elif column == "verified":
                    cells.append("yes" if value else "no")
                elif column == "value":
                    cells.append(_cell(rules.entry(str(record["key"])).render_value()))
                elif column == "source" and not is_missing(record.get("clause")):
                    cells.append(_cell(f"{value} — {record['clause']}"))
                else:
                    cells.append(_cell(value))
            lines.append("| " + " | ".join(cells) + " |")
    if rules.conditionals:
        lines += ["", "## 条件取值 · Conditional values", ""]
        lines += [
            f"- `{rule.key}` = {_cell(rule.value)} when {escape(str(rule.predicate))} "
            f"({escape(rule.overlay)})"
            for rule in rules.conditionals
        ]
    if rules.changes:
        lines += ["", "## 地方调整 · Changes made by overlays", ""]
        lines += [f"- {escape(change.render())}" for change in rules.changes]
    return "\n".join(lines) + "\n"
