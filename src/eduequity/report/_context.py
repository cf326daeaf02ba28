"""Shared pieces of the county report builders: the context, tones, headings, failures (private)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

import attrs

from eduequity._validation import is_missing
from eduequity.national import Failure
from eduequity.national.indicators import INDICATORS
from eduequity.national.rules import RuleSet
from eduequity.report._document import (
    Block,
    Entries,
    Entry,
    Tone,
)
from eduequity.report._format import (
    COMPARATOR_SIGNS,
    DASH,
    PART_NUMBERS,
    PART_TITLES,
    NumberStyle,
    against_limit,
    fixed,
    limit_decimals,
    percent,
    rule_text,
    smart,
    stage_title,
)
from eduequity.report._words import label, readable

RESOURCES: Final = "resource_allocation"


@attrs.frozen(kw_only=True)
class Context:
    """What every builder needs: the rule set (if known), the precision and the indicators."""

    rules: RuleSet | None
    """The rule set the assessment used, ``None`` when it cannot be looked up."""
    decimals: int
    """Decimals displayed (``rounding.display_decimals`` by default)."""
    indicator_ids: tuple[str, ...]
    """The resource indicators in rule-set order."""
    stages: tuple[str, ...]
    """The stages present, in display order."""
    school_names: Mapping[str, str] = attrs.field(factory=dict)
    """School name by school id and by unit id, for showing a school by name with its id."""

    def school(self, school_id: object) -> str:
        """Return ``"示范县第一小学 (0990010001)"``: name and id; the id alone when unnamed."""
        if is_missing(school_id) or school_id == "":
            return DASH
        unit = str(school_id)
        name = self.school_names.get(unit, "")
        # A split school's units (``0990010203#junior``) are shown by the school id; every
        # table that shows them also shows the stage.
        shown = unit.split("#", 1)[0] if name else unit
        return f"{name} ({shown})" if name else shown

    def item(self, item_id: str, part: str = "") -> str:
        """Return an item's Chinese name with the English beside it (indicators by title)."""
        if part == RESOURCES and item_id in INDICATORS:
            return f"{self.title_zh(item_id)} {INDICATORS[item_id].title_en}"
        if item_id == "composite_cv":
            return "综合差异系数 composite CV"
        return label(item_id)

    def code(self, indicator: str) -> str:
        """Display code of an indicator: L1–L7 when the rule set has codes, else 1, 2, ..."""
        known = INDICATORS.get(indicator)
        if all(INDICATORS.get(k) is not None and INDICATORS[k].code for k in self.indicator_ids):
            return str(known.code) if known is not None else indicator
        if indicator in self.indicator_ids:
            return str(self.indicator_ids.index(indicator) + 1)
        return indicator

    def title_zh(self, indicator: str) -> str:
        """Chinese name of an indicator (原文)."""
        known = INDICATORS.get(indicator)
        return known.title_zh if known is not None else indicator

    def standard(self, stage: str, indicator: str) -> float | None:
        """Return the standard of an indicator at a stage; ``None`` without rules."""
        key = f"resource.standard.{stage}.{indicator}"
        if self.rules is None or key not in self.rules:
            return None
        return self.rules.number(key)

    @property
    def floor_ratio(self) -> float | None:
        """The 85% floor ratio of the per-school rule, ``None`` without it."""
        if self.rules is None or "resource.floor_ratio" not in self.rules:
            return None
        return self.rules.number("resource.floor_ratio")

    def failure_rule(self, failure: Failure) -> str:
        """Return the rule a failure broke (``≤ 0.50``), the limit as the rule set writes it."""
        limit = failure.limit
        key = failure.rule_key
        if (
            self.rules is not None
            and key
            and key in self.rules
            and isinstance(limit, int | float)
            and not isinstance(limit, bool)
        ):
            entry = self.rules.entry(key)
            if entry.is_numeric and entry.number == float(limit):
                sign = COMPARATOR_SIGNS.get(failure.comparator or "", "")
                return f"{sign} {entry.render_value()}".strip()
        return rule_text(failure.comparator, limit, self.decimals)

    def comparators(
        self, item_id: str, limit: Mapping[str, object], comparator: str | None
    ) -> dict[str, str | None]:
        """Return the comparator of each part of a multi-part limit, from the rule set.

        A part takes the comparator of the rule that holds it (``min_ratio`` for ``ratio``,
        ``max.primary`` for ``primary``); a flag must equal its value; any other part takes
        the item's comparator.
        """
        ruleset = self.rules
        entries = (
            {}
            if ruleset is None
            else {key: ruleset.entry(key) for key in ruleset.keys() if f".{item_id}." in key}  # noqa: SIM118 - RuleSet.keys() is the API
        )
        rules = {key: entry for key, entry in entries.items() if entry.comparator}
        found: dict[str, str | None] = {}
        for part, value in limit.items():
            if isinstance(value, bool):
                found[part] = "=="
                continue
            names = {part, f"min_{part}", f"max_{part}"}
            matches = [
                entry.comparator
                for key, entry in rules.items()
                if key.rsplit(".", 1)[-1] in names or key.endswith(f".{part}")
            ]
            found[part] = matches[0] if len(set(matches)) == 1 else comparator
        return found

    def requirement(self, item_id: str, limit: object, comparator: str | None) -> str:
        """Return what an item requires, every part with its comparator (``比值 ratio ≥ 1``)."""
        if not isinstance(limit, Mapping):
            sign = "==" if isinstance(limit, bool) and comparator is None else comparator
            return rule_text(sign, limit, self.decimals)
        signs = self.comparators(item_id, limit, comparator)
        return "; ".join(
            f"{label(str(part))} {rule_text(signs[part], value, self.decimals)}"
            for part, value in limit.items()
        )

    def num(self, value: object) -> str:
        """Return a value rounded to the display decimals, trailing zeros dropped."""
        return smart(value, self.decimals)

    def fix(self, value: object) -> str:
        """Return a value with exactly the display decimals (for aligned columns)."""
        return fixed(value, self.decimals)

    def pct(self, value: object) -> str:
        """Return a fraction as a percentage, to the display decimals minus two."""
        return percent(value, self._style_decimals("percent"))

    def _style_decimals(self, style: NumberStyle) -> int:
        return max(self.decimals - 2, 0) if style == "percent" else self.decimals

    def beside(
        self,
        value: object,
        limit: object,
        comparator: str | None,
        *,
        style: NumberStyle = "smart",
    ) -> str:
        """Return a value shown next to its limit, never reading as meeting it when it fails.

        ``style`` is that of :meth:`num` (``"smart"``), :meth:`fix` (``"fixed"``) or
        :meth:`pct` (``"percent"``); see :func:`~eduequity.report._format.against_limit`.
        """
        return against_limit(value, limit, comparator, self._style_decimals(style), style=style)

    def decimals_beside(self, value: object, limit: object, comparator: str | None) -> int:
        """Return the decimals :meth:`beside` uses, for figures derived from the same value."""
        return limit_decimals(value, limit, comparator, self.decimals)


def tone_of(status: str) -> Tone:
    """Emphasis of a status: fail red, incomplete amber, pass green, n/a grey."""
    if status == "pass":
        return "pass"
    if status in {"fail", "undefined"}:
        return "fail"
    if status in {"incomplete", "not_assessed"}:
        return "warn"
    return "muted" if status == "not_applicable" else ""


def part_heading(part_id: str) -> str:
    """Heading of a part: ``第一部分 资源配置 · Part 1 Resource allocation``."""
    zh, en = PART_TITLES.get(part_id, (part_id, part_id))
    number = PART_NUMBERS.get(part_id)
    if number is None:
        return f"{zh} {en}"
    return f"{number[0]} {zh} · {number[1]} {en}"


def failure_code(failure: Failure, ctx: Context) -> str:
    """Display code of a failing check: ``G4``, ``L5 CV`` (balance), ``L5 school``."""
    if failure.part == RESOURCES:
        if failure.item_id == "composite_cv":
            return "CV"
        code = ctx.code(failure.item_id)
        return f"{code} CV" if failure.code == "cv" else f"{code} school"
    return failure.code or ""


def failure_entries(
    failures: Sequence[Failure], ctx: Context, title: str = "未达标项 Failing checks"
) -> Entries:
    items = []
    for failure in failures:
        head = " ".join(
            part
            for part in (failure_code(failure, ctx), ctx.item(failure.item_id, failure.part))
            if part
        )
        if failure.school_id:
            head += f" · 学校 school {ctx.school(failure.school_id)}"
        if failure.stage:
            head += f" · {stage_title(failure.stage)}"
        lines = [readable(failure.message)]
        value = ctx.beside(failure.value, failure.limit, failure.comparator)
        lines.append(f"值 value {value} · 要求 required {ctx.failure_rule(failure)}")
        if failure.source:
            lines.append(f"依据 source: {readable(failure.source)}")
        items.append(Entry(head=head, lines=tuple(lines), tone="fail"))
    return Entries(title=title, items=tuple(items))


def notes_blocks(notes: Sequence[str], title: str = "说明 Notes") -> list[Block]:
    if not notes:
        return []
    return [Entries(title=title, items=tuple(Entry(head=readable(str(note))) for note in notes))]
