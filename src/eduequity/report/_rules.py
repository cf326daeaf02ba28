"""The audit listing of a rule set, section by section with the provenance of every rule.

The listing keeps each rule's key and value as the rule set stores them: they are what an
overlay file writes. Everything around them is in words, Chinese first.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TYPE_CHECKING, Any

from eduequity._validation import is_missing
from eduequity._vocabulary import section_title
from eduequity.report._document import Block, Document, Entries, Entry, Fields, Heading, Title
from eduequity.report._format import COMPARATOR_SIGNS, DASH, stage_title
from eduequity.report._words import readable

if TYPE_CHECKING:
    from eduequity.national.rules import RuleSet


def _header(rules: RuleSet) -> Fields:
    document = rules.document
    unverified = sum(not entry.verified for entry in rules.entries.values())
    cited = ", ".join(
        str(part) for part in (document.number or DASH, document.date, document.url) if part
    )
    items = [
        ("规则集 Rule set", f"{rules.id} · 版本 version {rules.version}"),
        ("文件 Document", cited),
        (
            "生效 Effective",
            (
                f"{rules.effective_from or '未确认 not confirmed'} – "
                f"{rules.effective_to or '至今 open'}"
            ),
        ),
        ("条目 Entries", f"{len(rules.entries)}（{unverified} 条未核实 not verified）"),
        ("地方调整 Overlays", ", ".join(rules.overlays) or "无 none"),
        ("内容哈希 Content hash", rules.content_hash),
    ]
    if rules.note:
        items.append(("说明 Note", rules.note))
    items += [
        (
            f"调整 Overlay {overlay.id}",
            f"[{overlay.tag}] {overlay.title}"
            + ("" if overlay.source is None else f" — {overlay.source.render()}"),
        )
        for overlay in rules.applied_overlays
    ]
    return Fields(title="", items=tuple(items))


def _entry(rules: RuleSet, record: Mapping[Hashable, Any]) -> Entry:
    key = str(record["key"])
    entry = rules.entry(key)
    verified = "已核实 verified" if record["verified"] else "未核实 not verified"
    head = f"{key} = {entry.render_value()}"
    facts = []
    if not is_missing(record["comparator"]) and record["comparator"]:
        facts.append(f"比较 comparator {COMPARATOR_SIGNS.get(str(record['comparator']), '')}")
    if not is_missing(record["unit"]) and record["unit"]:
        facts.append(f"单位 unit {record['unit']}")
    if not is_missing(record["stage"]) and record["stage"]:
        facts.append(f"学段 stage {stage_title(str(record['stage']))}")
    facts.append(f"等级 tag {record['tag']}, {verified}")
    lines = ["; ".join(facts)]
    if not is_missing(record["source"]) and record["source"]:
        source = str(record["source"])
        if not is_missing(record["url"]) and record["url"]:
            source += f" — {record['url']}"
        if not is_missing(record["clause"]) and record["clause"]:
            source += f" — 条款 clause: {record['clause']}"
        lines.append(f"依据 source: {source}")
    if record["note"]:
        lines.append(f"说明 note: {readable(str(record['note']))}")
    return Entry(head=head, lines=tuple(lines))


def rules_document(rules: RuleSet) -> Document:
    """Return the listing: identity, one list per section, conditional values, overlay changes."""
    blocks: list[Block] = [
        Title(zh=rules.title_zh, en=rules.title_en, subtitle=f"{rules.id} · {rules.version}"),
        _header(rules),
    ]
    frame = rules.to_frame()
    sections = frame["key"].str.split(".", n=1).str[0]
    for section in dict.fromkeys(sections):
        zh, en = section_title(section)
        members = frame.loc[sections == section]
        blocks += [
            Heading(level=1, text=f"{zh} {en}", anchor=f"section-{section}"),
            Entries(
                title="",
                items=tuple(_entry(rules, record) for record in members.to_dict("records")),
            ),
        ]
    if rules.conditionals:
        blocks += [
            Heading(level=1, text="条件取值 Conditional values", anchor="conditionals"),
            Entries(
                title="",
                items=tuple(
                    Entry(
                        head=f"{rule.key} = {rule.value}",
                        lines=(f"条件 when {rule.predicate} ({rule.overlay})",),
                    )
                    for rule in rules.conditionals
                ),
            ),
        ]
    if rules.changes:
        blocks += [
            Heading(level=1, text="地方调整 Changes made by overlays", anchor="changes"),
            Entries(title="", items=tuple(Entry(head=change.render()) for change in rules.changes)),
        ]
    return Document(page_title=f"{rules.title_zh} · {rules.id}", blocks=tuple(blocks))
