"""What a county report says: the verdict, every part in the method's order, the audit trail.

This private module turns a :class:`~eduequity.national.CountyAssessment` into a
:class:`~eduequity.report._document.Document`; the text, Markdown and HTML renderers draw that
document. The order follows a 督导评估 report (docs: The national method, Preconditions): verdict
and reason, the preconditions (申报条件), Part 1 resource allocation (资源配置) with the CV table,
the per-school rule, the school-by-school remediation (一校一案) and the units assessed, Part 2
government guarantee (政府保障程度), Part 3 education quality (教育质量), Part 4 social
recognition (社会认可度), the one-vote veto (一票否决), the warnings, and the rule set with the
library version.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, cast

import numpy as np

from eduequity._version import __version__
from eduequity.errors import EduEquityError, InvalidArgumentError
from eduequity.national import Failure
from eduequity.national.rules import RuleSet, get_rules
from eduequity.report._context import (
    RESOURCES,
    Context,
    failure_code,
    failure_entries,
    notes_blocks,
    part_heading,
    tone_of,
)
from eduequity.report._document import (
    Bar,
    Block,
    Cell,
    Chart,
    Column,
    Document,
    Entries,
    Entry,
    Fields,
    Heading,
    Line,
    Panel,
    Paragraph,
    Table,
    Title,
    Tone,
    Verdict,
)
from eduequity.report._format import (
    DASH,
    DEFAULT_DECIMALS,
    GROUP_TITLES,
    PART_NUMBERS,
    PART_TITLES,
    as_float,
    part_title,
    percent,
    rule_text,
    satisfies,
    stage_title,
    status_label,
    verdict_label,
)
from eduequity.report._resources import resource_blocks, resource_checks
from eduequity.report._words import chinese, english, label, readable

if TYPE_CHECKING:
    from eduequity.core.recognition import RecognitionResult
    from eduequity.errors import Issue
    from eduequity.national import CountyAssessment, ItemOutcome, PartResult, RecognitionPart
    from eduequity.national.resources import ResourceResult

_MAX_DECIMALS: Final = 12
_EDITION_TITLES: Final[Mapping[str, tuple[str, str]]] = {
    "2017": (
        "县域义务教育优质均衡发展督导评估报告",
        "County assessment of quality-balanced compulsory education",
    ),
    "2012": (
        "县域义务教育基本均衡发展督导评估报告",
        "County assessment of basic-balanced compulsory education",
    ),
}
_EDITION_NAMES: Final[Mapping[str, str]] = {
    "2017": "2017 优质均衡 quality balance",
    "2012": "2012 基本均衡 basic balance",
}


# -- the rule set and the display precision ---------------------------------------------------


def resolve_rules(identity: Mapping[str, Any]) -> RuleSet | None:
    """Return the shipped rule set an assessment recorded, or ``None`` if it is not shipped.

    The identity's id and last overlay are looked up with :func:`get_rules`; the result is
    accepted only when its content hash equals the recorded one.
    """
    ruleset_id = identity.get("id")
    if not isinstance(ruleset_id, str):
        return None
    overlay = identity.get("overlay")
    try:
        candidate = get_rules(ruleset_id, overlay if isinstance(overlay, str) else None)
    except EduEquityError:
        return None
    return candidate if candidate.content_hash == identity.get("content_hash") else None


def rules_for(identity: Mapping[str, Any], rules: RuleSet | None) -> RuleSet | None:
    """Return the rule set to display: the one given (checked) or the shipped one recorded."""
    if rules is None:
        return resolve_rules(identity)
    if not isinstance(cast("object", rules), RuleSet):
        msg = f"rules must be a RuleSet or None; got {type(rules).__name__}"
        raise InvalidArgumentError(msg, code="invalid_argument")
    if rules.content_hash != identity.get("content_hash"):
        msg = (
            f"rules: rule set {rules.id!r} (content hash {rules.content_hash[:12]}) is not the "
            f"one the assessment used ({identity.get('id')!r}, content hash "
            f"{str(identity.get('content_hash'))[:12]}); pass the rule set given to "
            "assess_county()"
        )
        raise InvalidArgumentError(msg, code="invalid_argument")
    return rules


def decimals_for(rules: RuleSet | None, decimals: int | None) -> int:
    """Return the displayed decimals: the argument, else ``rounding.display_decimals``, else 3."""
    if decimals is None:
        if rules is not None and "rounding.display_decimals" in rules:
            return rules.integer("rounding.display_decimals")
        return DEFAULT_DECIMALS
    if isinstance(decimals, bool) or not isinstance(decimals, int | np.integer):
        msg = f"decimals must be an integer from 0 to {_MAX_DECIMALS}; got {decimals!r}"
        raise InvalidArgumentError(msg, code="invalid_argument")
    if not 0 <= int(decimals) <= _MAX_DECIMALS:
        msg = f"decimals must be an integer from 0 to {_MAX_DECIMALS}; got {decimals}"
        raise InvalidArgumentError(msg, code="invalid_argument")
    return int(decimals)


# -- the document -----------------------------------------------------------------------------


def county_document(
    assessment: CountyAssessment, *, rules: RuleSet | None, decimals: int
) -> Document:
    """Build the report of one county assessment."""
    resources = assessment.resources
    ctx = Context(
        rules=rules,
        decimals=decimals,
        indicator_ids=tuple(str(k) for k in resources.cv.columns),
        stages=tuple(str(s) for s in resources.cv.index),
        school_names=_school_names(resources),
    )
    edition = str(assessment.rules.get("edition"))
    zh, en = _EDITION_TITLES.get(edition, ("县域义务教育督导评估报告", "County assessment report"))
    subtitle = assessment.county
    if assessment.year is not None:
        following = (assessment.year + 1) % 100
        subtitle += f" · {assessment.year}学年 school year {assessment.year}/{following:02d}"
    blocks: list[Block] = [
        Title(zh=zh, en=en, subtitle=subtitle),
        Verdict(
            status=assessment.status,
            label=verdict_label(assessment.status),
            reason=_verdict_reason(assessment),
        ),
        _overview(assessment),
    ]
    overview = _failure_overview(assessment, ctx)
    if overview is not None:
        blocks.append(overview)
    blocks += _part_blocks(assessment.preconditions, ctx)
    blocks += resource_blocks(resources, ctx)
    blocks += _part_blocks(assessment.guarantee, ctx)
    blocks += _part_blocks(assessment.quality, ctx)
    blocks += _recognition_blocks(assessment.recognition, ctx)
    blocks += _part_blocks(assessment.vetoes, ctx)
    blocks += warning_blocks(assessment.warnings)
    blocks += _identity_blocks(assessment.rules, rules)
    return Document(page_title=f"{zh} · {subtitle}", blocks=tuple(blocks))


def _school_names(resources: ResourceResult) -> dict[str, str]:
    """School name by school id and unit id, from every table of Part 1 that names schools."""
    names: dict[str, str] = {}
    for frame in (resources.schools, resources.excluded, resources.remediation):
        if "school_name" not in frame.columns:
            continue
        named = frame.loc[frame["school_name"].notna()]
        for column in ("school_id", "unit_id"):
            if column in named.columns:
                pairs = zip(
                    named[column].astype(str), named["school_name"].astype(str), strict=True
                )
                names.update((key, name) for key, name in pairs if name)
    return names


def _parts(assessment: CountyAssessment) -> list[tuple[str, str, Sequence[Failure]]]:
    return [
        (part_id, str(part.status), tuple(part.failures))
        for part_id, part in assessment.parts.items()
    ]


def _verdict_reason(assessment: CountyAssessment) -> str:
    """Say in one line why the county passes, fails or is incomplete."""
    parts = _parts(assessment)
    failing = [part for part, status, _ in parts if status == "fail"]
    open_parts = [part for part, status, _ in parts if status in {"incomplete", "not_assessed"}]
    if assessment.status == "pass":
        skipped = [part for part, status, _ in parts if status == "not_applicable"]
        if not skipped:
            return "各部分均通过，无一票否决情形 — every part passed and no veto applies"
        applied = [part_title(part) for part, _, _ in parts if part not in skipped]
        return (
            "各适用部分均通过 every applicable part passed: "
            + ", ".join(applied)
            + "; 其余部分不属于本办法的评估内容 the other parts are not assessed under this "
            "rule set"
        )
    reasons: list[str] = []
    if "preconditions" in failing:
        reasons.append("申报条件未满足 preconditions not met")
    if "veto" in failing:
        vetoed = [
            label(failure.item_id) for failure in assessment.vetoes.failures if failure.item_id
        ] or ["veto"]
        reasons.append("一票否决 one-vote veto: " + ", ".join(dict.fromkeys(vetoed)))
    other = [part for part in failing if part not in {"preconditions", "veto"}]
    if other:
        count = sum(len(failures) for part, _, failures in parts if part in other)
        reasons.append(
            "未通过 failing: "
            + ", ".join(part_title(part) for part in other)
            + f" ({count} 项未达标 failing checks)"
        )
    if open_parts:
        reasons.append("材料不全 incomplete: " + ", ".join(part_title(part) for part in open_parts))
    return "; ".join(reasons) if reasons else status_label(assessment.status)


def _overview(assessment: CountyAssessment) -> Table:
    rows: list[tuple[Cell, ...]] = []
    for part_id, part in assessment.parts.items():
        status = str(part.status)
        if part_id == RESOURCES:
            decided = resource_checks(part)
        else:
            decided = [str(item.status) for item in part.items]
        counted = [s for s in decided if s != "not_applicable"]
        passed = sum(s == "pass" for s in counted)
        rows.append(
            (
                Cell(text=part_heading(part_id)),
                Cell(text=status_label(status), tone=tone_of(status)),
                Cell(text=f"{passed}/{len(counted)}" if counted else DASH),
                Cell(text=str(len(part.failures)), tone="fail" if part.failures else ""),
            )
        )
    return Table(
        caption="各部分结果 Results by part",
        columns=(
            Column(title="部分 Part", wrap=True),
            Column(title="结果 Result"),
            Column(title="通过项 Checks passed", align="right"),
            Column(title="未达标 Failing", align="right"),
        ),
        rows=tuple(rows),
        css_class="overview",
    )


def _part_short(part: str) -> str:
    """Return ``资源配置 Part 1``: the part's Chinese title with its short English name."""
    zh, en = PART_TITLES.get(part, (part, part))
    return f"{zh} {PART_NUMBERS.get(part, (zh, en))[1]}"


def _failure_overview(assessment: CountyAssessment, ctx: Context) -> Table | None:
    failures = assessment.failures
    if not failures:
        return None
    rows = tuple(
        (
            Cell(text=_part_short(failure.part)),
            Cell(text=failure_code(failure, ctx)),
            Cell(text=ctx.item(failure.item_id, failure.part)),
            Cell(text=ctx.school(failure.school_id)),
            Cell(text=stage_title(str(failure.stage)) if failure.stage else DASH),
            Cell(text=ctx.beside(failure.value, failure.limit, failure.comparator), tone="fail"),
            Cell(text=ctx.failure_rule(failure)),
        )
        for failure in failures
    )
    return Table(
        caption=f"未达标项一览 Failing checks at a glance ({len(failures)})",
        columns=(
            Column(title="部分 Part", wrap=True),
            Column(title="代码 Code"),
            Column(title="项目 Item", wrap=True),
            Column(title="学校 School", wrap=True),
            Column(title="学段 Stage"),
            Column(title="值 Value", align="right"),
            Column(title="要求 Required", wrap=True),
        ),
        rows=rows,
        note="CV: 校际差异系数 inter-school CV; school: 每所学校 per-school rule.",
        css_class="failures",
    )


# -- generic parts (preconditions, guarantee, quality, veto) ----------------------------------


def _part_blocks(part: PartResult, ctx: Context) -> list[Block]:
    blocks: list[Block] = [
        Heading(level=1, text=part_heading(part.part), anchor=part.part, status=str(part.status))
    ]
    if not part.items:
        blocks.append(Paragraph(text=status_label(str(part.status)), tone=tone_of(part.status)))
        blocks += notes_blocks(part.notes)
        return blocks
    blocks.append(_items_table(part, ctx))
    conditional = _school_limits_table(part, ctx)
    if conditional is not None:
        blocks.append(conditional)
    if part.failures:
        blocks.append(failure_entries(part.failures, ctx))
    open_items = [
        Entry(
            head=" ".join(str(x) for x in (item.code, label(item.item_id)) if x)
            + f" · {status_label(str(item.status))}",
            lines=tuple(readable(str(reason)) for reason in item.reasons),
            tone=tone_of(str(item.status)),
        )
        for item in part.items
        if item.status in {"incomplete", "not_assessed"}
    ]
    if open_items:
        blocks.append(Entries(title="材料不全项 Incomplete items", items=tuple(open_items)))
    evidence = tuple(
        (" ".join(str(x) for x in (item.code, label(item.item_id)) if x), str(item.evidence))
        for item in part.items
        if item.evidence
    )
    if evidence:
        blocks.append(Fields(title="证明材料 Evidence", items=evidence))
    blocks += notes_blocks(part.notes)
    return blocks


def _items_table(part: PartResult, ctx: Context) -> Table:
    with_code = any(item.code for item in part.items)
    columns = [Column(title="代码 Code")] if with_code else []
    columns += [
        Column(title="项目 Item", wrap=True),
        Column(title="结果 Result"),
        Column(title="值 Value", wrap=True),
        Column(title="要求 Required", wrap=True),
    ]
    rows = []
    for item in part.items:
        status = str(item.status)
        cells = [Cell(text=str(item.code or ""))] if with_code else []
        cells += [
            Cell(text=f"{item.title_zh or chinese(item.item_id)} {english(item.item_id)}".strip()),
            Cell(text=status_label(status), tone=tone_of(status)),
            Cell(
                text=ctx.beside(item.value, item.limit, item.comparator),
                tone="fail" if status == "fail" else "",
            ),
            Cell(text=_required_text(item, ctx)),
        ]
        rows.append(tuple(cells))
    return Table(columns=tuple(columns), rows=tuple(rows), css_class="items")


def _required_text(item: ItemOutcome, ctx: Context) -> str:
    text = ctx.requirement(item.item_id, item.limit, item.comparator)
    count = len({limit.school_id for limit in item.school_limits})
    if count:
        text += f"; {count} 所学校适用条件限值 school(s) with a conditional limit, see below"
    return text


_SCHOOL_LIMITS_SHOWN: Final = 30
"""Schools shown in the conditional-limits table of a report; the JSON result holds all."""


def _school_limits_table(part: PartResult, ctx: Context) -> Table | None:
    """Return the schools checked against an overlay's conditional values, one row each."""
    limits = [(item, limit) for item in part.items for limit in item.school_limits]
    if not limits:
        return None
    rules: dict[tuple[str, str], str] = {}
    defaults: dict[tuple[str, str], str] = {}
    cells: dict[str, dict[tuple[str, str], str]] = {}
    for item, limit in limits:
        rule = (str(item.code or item.item_id), limit.rule_key)
        title = f"{rule[0]} {label(limit.rule_key.rsplit('.', 1)[-1])}"
        rules.setdefault(rule, title)
        defaults.setdefault(
            rule, f"{title} {rule_text(limit.comparator, limit.default, ctx.decimals)}"
        )
        cells.setdefault(limit.school_id, {})[rule] = (
            f"{ctx.beside(limit.value, limit.limit, limit.comparator)} "
            f"({rule_text(limit.comparator, limit.limit, ctx.decimals)})"
        )
    conditions = "; ".join(
        dict.fromkeys(f"{limit.condition} ({limit.overlay})" for _, limit in limits)
    )
    rows = tuple(
        (Cell(text=ctx.school(school)), *(Cell(text=found.get(rule, "")) for rule in rules))
        for school, found in list(cells.items())[:_SCHOOL_LIMITS_SHOWN]
    )
    hidden = len(cells) - len(rows)
    more = f" {hidden} more school(s) are in the JSON result (school_limits)." if hidden else ""
    return Table(
        columns=(
            Column(title="学校 School"),
            *(Column(title=title, align="right", wrap=True) for title in rules.values()),
        ),
        rows=rows,
        caption="条件限值 Conditional limits: value (limit that applies to the school)",
        note=(
            f"Conditions: {readable(conditions)}. Otherwise (通常): {'; '.join(defaults.values())}."
            f" Other schools have the item's limit above.{more}"
        ),
        css_class="school-limits",
    )


# -- Part 4: social recognition ---------------------------------------------------------------


def _recognition_blocks(part: RecognitionPart, ctx: Context) -> list[Block]:
    blocks = _part_blocks(part, ctx)
    if not part.items:
        return blocks
    extra: list[Block] = []
    if part.source is not None:
        extra.append(
            Paragraph(
                text="数据来源 Source: "
                + (
                    "问卷调查 survey responses"
                    if part.source == "survey"
                    else "县域事实 county facts"
                )
            )
        )
    if part.result is not None:
        extra += _recognition_result(part.result, ctx, "")
    for component in part.components:
        extra += _recognition_result(component.result, ctx, str(component.component))
    # Insert after the items table (index 2: heading, table).
    return [*blocks[:2], *extra, *blocks[2:]]


def _recognition_result(result: RecognitionResult, ctx: Context, component: str) -> list[Block]:
    points = result.mode == "mean_score"
    threshold = 100 * result.threshold if points else result.threshold

    def shown(value: float) -> str:
        # Every figure here is read against the threshold: keep a miss visible (84.996%).
        if points:
            return f"{ctx.beside(value, threshold, '>=')} 分 points"
        return ctx.beside(value, threshold, ">=", style="percent")

    ci_status = (
        status_label(result.ci_status)
        if result.ci_status in {"pass", "fail", "undefined"}
        else result.ci_status
    )
    method = result.ci_method
    if result.n_resamples is not None:
        seed = "" if result.seed is None else f", seed {result.seed}"
        method = f"{method} of respondents, {result.n_resamples} resamples{seed}"
    items = [
        ("认可度 Recognition", shown(result.estimate)),
        ("要求 Required", f"≥ {shown(threshold)}"),
        (
            f"{percent(result.confidence, 0)} 置信区间 interval ({method})",
            f"{shown(result.ci_low)} – {shown(result.ci_high)} · {ci_status}",
        ),
        (
            "有效答卷 Valid answers",
            (
                f"{result.n_scored} (肯定 positive {result.n_positive}; 排除 excluded "
                f"{result.n_excluded}: 空白 blank {result.n_blank}, 不了解 don't know "
                f"{result.n_dont_know}, 低年级 below grade {result.n_below_grade})"
            ),
        ),
        (
            "计分 Scoring",
            (
                f"{label(result.mode)}; 量表 scale {label(result.scale)}; 肯定 positive "
                f"{'/'.join(result.positive_set)}; 不了解 don't know {label(result.dont_know)}; "
                f"加权 weighting {label(result.weighting)}"
            ),
        ),
    ]
    if result.items is not None:
        left_out = f"其他题目 other items left out: {result.n_not_selected} answers"
        items.insert(3, ("计分题目 Items scored", f"{', '.join(result.items)} ({left_out})"))
    title = "认可度 Recognition" if not component else f"认可度 Recognition · {component}"
    blocks: list[Block] = [Fields(title=title, items=tuple(items))]
    if result.groups:
        rows = []
        bars = []
        for group in result.groups:
            value = group.score if points and group.score is not None else group.rate
            below = satisfies(value, threshold, ">=") is False
            tone: Tone = "warn" if below else ""
            zh = GROUP_TITLES.get(group.group, "")
            rows.append(
                (
                    Cell(text=f"{zh} {english(group.group)}".strip()),
                    Cell(text=str(group.n_scored)),
                    Cell(text=str(group.n_positive)),
                    Cell(text=shown(value), tone=tone),
                    Cell(text=ctx.pct(group.share)),
                )
            )
            bars.append(
                Bar(
                    label=zh or group.group,
                    value=as_float(value),
                    tone=tone,
                    tooltip=f"{zh} {english(group.group)}: {shown(value)} (n = {group.n_scored})",
                )
            )
        blocks.append(
            Table(
                caption="各类调查对象 By respondent group",
                columns=(
                    Column(title="群体 Group"),
                    Column(title="有效 Scored", align="right"),
                    Column(title="肯定 Positive", align="right"),
                    Column(title="认可度 Rate", align="right"),
                    Column(title="占比 Share", align="right"),
                ),
                rows=tuple(rows),
                note="低于门槛的群体不单独决定结果 A group below the threshold does not decide "
                "the result on its own.",
            )
        )
        blocks.append(
            Chart(
                title="各群体认可度 Recognition by respondent group",
                kind="recognition-chart",
                orientation="horizontal",
                panels=(
                    Panel(
                        title=title,
                        bars=tuple(bars),
                        lines=(
                            Line(
                                value=threshold,
                                label=f"门槛 threshold {shown(threshold)}",
                                style="limit",
                            ),
                            Line(
                                value=result.estimate,
                                label=f"全县 county {shown(result.estimate)}",
                                style="mean",
                            ),
                        ),
                        show_labels=True,
                        value_format="number" if points else "percent",
                    ),
                ),
            )
        )
    return blocks


# -- warnings and identity --------------------------------------------------------------------


def warning_blocks(warnings: Sequence[Issue]) -> list[Block]:
    """Return the section listing every warning of a result, or saying there is none."""
    blocks: list[Block] = [Heading(level=1, text="警告 Warnings", anchor="warnings")]
    if not warnings:
        blocks.append(Paragraph(text="无 none"))
        return blocks
    blocks.append(
        Entries(
            title="",
            items=tuple(Entry(head=readable(issue.render()), tone="warn") for issue in warnings),
        )
    )
    return blocks


def _identity_blocks(identity: Mapping[str, Any], rules: RuleSet | None) -> list[Block]:
    overlays = identity.get("overlays") or []
    edition = str(identity.get("edition"))
    items = [
        ("规则集 Rule set", str(identity.get("id"))),
        ("版本 Version", str(identity.get("version"))),
        ("办法 Edition", _EDITION_NAMES.get(edition, edition)),
    ]
    if rules is not None:
        items.append(("文件 Document", f"{rules.title_zh} ({rules.document.number})"))
    items += [
        ("地方调整 Overlays", ", ".join(str(o) for o in overlays) if overlays else "无 none"),
        ("内容哈希 Content hash", str(identity.get("content_hash"))),
        ("eduequity", __version__),
    ]
    return [
        Heading(level=1, text="规则集与版本 Rule set and version", anchor="rules"),
        Fields(title="", items=tuple(items)),
    ]
