"""Part 1 of a county report: resource allocation (资源配置) (private).

The rule in one paragraph, the indicators with their standards and 85% floors, the CV table
(stage × indicator, with the limits), the per-school rule (每所学校), the school-by-school
remediation (一校一案) in natural units, every section's values, the units excluded, merged
and split, and for HTML one chart per indicator and one of the CVs against their limits.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pandas as pd

from eduequity._validation import is_missing
from eduequity.national import Failure
from eduequity.national.indicators import INDICATORS
from eduequity.report._context import (
    RESOURCES,
    Context,
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
    Entries,
    Entry,
    Heading,
    Line,
    Panel,
    Paragraph,
    Table,
    Tone,
)
from eduequity.report._format import (
    DASH,
    STAGE_TITLES,
    as_float,
    fixed,
    grouped,
    limit_number,
    percent,
    quantity,
    smart,
    stage_title,
    status_label,
)
from eduequity.report._words import label, readable

if TYPE_CHECKING:
    from eduequity.national.resources import ResourceResult


def resource_blocks(resources: ResourceResult, ctx: Context) -> list[Block]:
    blocks: list[Block] = [
        Heading(
            level=1,
            text=part_heading(RESOURCES),
            anchor=RESOURCES,
            status=str(resources.status),
        )
    ]
    quality_balance = resources.composite is None
    blocks.append(Paragraph(text=_rule_summary(resources, ctx)))
    blocks.append(Paragraph(text=_enrolment_summary(resources)))
    if not ctx.indicator_ids or not ctx.stages:
        blocks.append(Paragraph(text="无参评学校 no unit assessed", tone="warn"))
        blocks += _units_assessed(resources, ctx)
        blocks += notes_blocks(resources.notes)
        return blocks
    blocks.append(_indicator_table(ctx))
    blocks.append(Heading(level=2, text="差异系数 Coefficients of variation (CV)", anchor="cv"))
    blocks.append(_cv_table(resources, ctx))
    if not quality_balance:
        blocks.append(_composite_table(resources, ctx))
    blocks.append(_cv_chart(resources, ctx))
    cv_failures = [f for f in resources.failures if f.code in {"cv", "composite_cv"}]
    if cv_failures:
        blocks.append(failure_entries(cv_failures, ctx, "差异系数未达标 CVs above the limit"))
    if quality_balance:
        blocks += _school_rule_blocks(resources, ctx)
        blocks += _remediation_blocks(resources, ctx)
    blocks += _school_value_blocks(resources, ctx)
    blocks += _units_assessed(resources, ctx)
    blocks += notes_blocks(resources.notes)
    return blocks


def _stage_limits(resources: ResourceResult) -> dict[str, float]:
    table = resources.composite if resources.composite is not None else resources.indicators
    limits: dict[str, float] = {}
    for key, limit in zip(table.index, table["limit"], strict=True):
        stage = str(key[0] if isinstance(key, tuple) else key)
        if not is_missing(limit):
            limits.setdefault(stage, float(limit))
    return limits


def _rule_summary(resources: ResourceResult, ctx: Context) -> str:
    limits = _stage_limits(resources)
    limit_zh = "、".join(
        f"{STAGE_TITLES.get(s, (s,))[0]} ≤ {limit_number(v)}" for s, v in limits.items()
    )
    limit_en = ", ".join(f"{s} ≤ {limit_number(v)}" for s, v in limits.items())
    n = len(ctx.indicator_ids)
    if resources.composite is not None:
        return (
            f"规则 Rule: 综合差异系数（{n} 项差异系数的平均值）{limit_zh}。"
            f"The composite CV, the mean of the stage's {n} CVs, must not exceed the "
            f"stage's limit ({limit_en}); this edition has no per-school rule."
        )
    rules = ctx.rules
    if rules is not None and "resource.min_met" in rules:
        min_met = rules.integer("resource.min_met")
        floor = percent(rules.number("resource.floor_ratio"), 0)
        return (
            f"规则 Rule: 每所学校至少 {min_met} 项指标达到标准，余项不低于标准的 {floor}；"
            f"各指标校际差异系数 {limit_zh}。Every unit meets at least {min_met} of the "
            f"{n} standards of its stage and any other at least {floor} of its standard; "
            f"every indicator's CV is within the stage's limit ({limit_en})."
        )
    return (
        f"规则 Rule: 每所学校的标准与各指标校际差异系数 {limit_zh}。Every unit meets the "
        f"per-school rule and every indicator's CV is within its limit ({limit_en})."
    )


def _enrolment_summary(resources: ResourceResult) -> str:
    parts = []
    first = resources.indicators.groupby(level="stage", sort=False).first()
    for stage in resources.cv.index:
        if stage in first.index:
            row = first.loc[stage]
            parts.append(
                f"{stage_title(str(stage))}: {int(row['n_units'])} 个单元 units, "
                f"{grouped(row['students'], 0)} 名学生 pupils"
            )
    return "参评单元 Units assessed — " + ("; ".join(parts) if parts else "无 none")


def _indicator_table(ctx: Context) -> Table:
    with_standards = any(
        ctx.standard(stage, k) is not None for stage in ctx.stages for k in ctx.indicator_ids
    )
    floor = ctx.floor_ratio
    columns = [
        Column(title="代码 Code"),
        Column(title="指标 Indicator", wrap=True),
        Column(title="单位 Unit", wrap=True),
    ]
    if with_standards:
        suffix = f" ({percent(floor, 0)})" if floor is not None else ""
        columns += [
            Column(title=f"{STAGE_TITLES.get(s, (s,))[0]}标准 {s} standard{suffix}", align="right")
            for s in ctx.stages
        ]
    rows = []
    for k in ctx.indicator_ids:
        known = INDICATORS.get(k)
        cells = [
            Cell(text=ctx.code(k)),
            Cell(text=ctx.title_zh(k)),
            Cell(text=known.unit if known is not None else ""),
        ]
        if with_standards:
            for stage in ctx.stages:
                standard = ctx.standard(stage, k)
                text = ctx.num(standard)
                if standard is not None and floor is not None:
                    text += f" ({ctx.num(standard * floor)})"
                cells.append(Cell(text=text))
        rows.append(tuple(cells))
    return Table(
        caption="指标与标准 Indicators and standards" if with_standards else "指标 Indicators",
        columns=tuple(columns),
        rows=tuple(rows),
        note=(
            f"括号内为 {percent(floor, 0)} 底线 In brackets: the {percent(floor, 0)} floor."
            if with_standards and floor is not None
            else ""
        ),
    )


def _cv_table(resources: ResourceResult, ctx: Context) -> Table:
    indicators = resources.indicators
    limits = _stage_limits(resources) if resources.composite is None else {}
    columns = [Column(title="代码 Code")]
    for stage in ctx.stages:
        zh = STAGE_TITLES.get(stage, (stage,))[0]
        columns.append(Column(title=f"{zh}县域值 {stage} X̄", align="right"))
        limit = limits.get(stage)
        limit_text = f" ≤ {limit_number(limit)}" if limit is not None else ""
        columns.append(Column(title=f"{zh} CV{limit_text}", align="right"))
        if resources.composite is None:
            columns.append(Column(title="结果 Result"))
    rows = []
    for k in ctx.indicator_ids:
        cells = [Cell(text=ctx.code(k))]
        for stage in ctx.stages:
            if (stage, k) not in indicators.index:
                cells += [Cell(text=DASH)] * (3 if resources.composite is None else 2)
                continue
            row = _row(indicators, (stage, k))
            status = str(row["status"])
            cells.append(Cell(text=ctx.fix(row["county_value"])))
            cv = ctx.beside(row["cv"], limits.get(stage), "<=", style="fixed")
            cells.append(Cell(text=cv, tone=tone_of(status)))
            if resources.composite is None:
                cells.append(Cell(text=status_label(status), tone=tone_of(status)))
        rows.append(tuple(cells))
    return Table(
        columns=tuple(columns),
        rows=tuple(rows),
        note="X̄: 按学生数加权的县域值 enrolment-weighted county value; CV: 差异系数 "
        "enrolment-weighted coefficient of variation (population form).",
        css_class="cv",
    )


def _composite_table(resources: ResourceResult, ctx: Context) -> Table:
    composite = resources.composite
    assert composite is not None  # noqa: S101 - only called for the 2012 edition
    rows = []
    for stage in ctx.stages:
        if stage not in composite.index:
            continue
        row = _row(composite, stage)
        status = str(row["status"])
        shown = ctx.decimals_beside(row["composite_cv"], row["limit"], "<=")
        rows.append(
            (
                Cell(text=stage_title(stage)),
                Cell(text=fixed(row["composite_cv"], shown), tone=tone_of(status)),
                Cell(text=f"≤ {limit_number(row['limit'])}"),
                Cell(text=fixed(row["margin"], shown)),
                Cell(text=status_label(status), tone=tone_of(status)),
            )
        )
    return Table(
        caption="综合差异系数 Composite CV",
        columns=(
            Column(title="学段 Stage"),
            Column(title="综合差异系数 Composite CV", align="right"),
            Column(title="限值 Limit", align="right"),
            Column(title="余量 Margin", align="right"),
            Column(title="结果 Result"),
        ),
        rows=tuple(rows),
        css_class="composite",
    )


def _school_rule_blocks(resources: ResourceResult, ctx: Context) -> list[Block]:
    schools = resources.schools
    n = len(ctx.indicator_ids)
    blocks: list[Block] = [
        Heading(level=2, text="每所学校 Per-school rule", anchor="school-rule"),
    ]
    rows = []
    for stage in ctx.stages:
        members = schools.loc[schools["stage"] == stage]
        passed = members["passed"].astype(bool)
        all_met = members["met_count"] == n
        failing = int((~passed).sum())
        rows.append(
            (
                Cell(text=stage_title(stage)),
                Cell(text=str(len(members))),
                Cell(text=str(int(all_met.sum()))),
                Cell(text=str(int((passed & ~all_met).sum()))),
                Cell(text=str(failing), tone="fail" if failing else ""),
            )
        )
    blocks.append(
        Table(
            columns=(
                Column(title="学段 Stage"),
                Column(title="单元 Units", align="right"),
                Column(title="全部达标 All met", align="right"),
                Column(title="一项未达标但通过 One miss, passes", align="right", wrap=True),
                Column(title="未通过 Failing", align="right"),
            ),
            rows=tuple(rows),
        )
    )
    failures = [f for f in resources.failures if f.code == "school_rule"]
    if not failures:
        blocks.append(Paragraph(text="每个单元均通过 every unit passes the per-school rule."))
        return blocks
    by_unit: dict[tuple[str, str], list[Failure]] = {}
    for failure in failures:
        by_unit.setdefault((str(failure.school_id), str(failure.stage)), []).append(failure)
    items = []
    for (school_id, stage), unit_failures in by_unit.items():
        match = schools.loc[(schools["school_id"] == school_id) & (schools["stage"] == stage)]
        unit_id = str(match["unit_id"].iloc[0]) if len(match) else school_id
        met = int(match["met_count"].iloc[0]) if len(match) else None
        head = f"{ctx.school(unit_id)} · {stage_title(stage)}"
        if met is not None:
            head += f" · 达标 met {met}/{n}"
        lines: list[str] = []
        for failure in unit_failures:
            lines.append(readable(failure.message))
            if failure.source:
                lines.append(f"依据 source: {readable(failure.source)}")
        items.append(Entry(head=head, lines=tuple(lines), tone="fail"))
    blocks.append(Entries(title="未通过的单元 Units failing the rule", items=tuple(items)))
    return blocks


def _remediation_blocks(resources: ResourceResult, ctx: Context) -> list[Block]:
    blocks: list[Block] = [
        Heading(level=2, text="一校一案 School-by-school remediation", anchor="remediation")
    ]
    remediation = resources.remediation
    if remediation.empty:
        blocks.append(Paragraph(text="无 none: every unit meets every standard of its stage."))
        return blocks
    rows = []
    for record in remediation.to_dict("records"):
        unit = str(record["amount_unit"])
        passed = bool(record["section_passed"])
        tone: Tone = "warn" if passed else "fail"
        # The gap is the standard minus the value: shown to the decimals the value needs.
        shown = ctx.decimals_beside(record["value"], record["standard"], ">=")
        rows.append(
            (
                Cell(text=ctx.school(record["unit_id"])),
                Cell(text=stage_title(str(record["stage"]))),
                Cell(text=ctx.code(str(record["indicator"]))),
                Cell(text=smart(record["value"], shown), tone=tone),
                Cell(text=ctx.num(record["standard"])),
                Cell(text=smart(record["gap"], shown)),
                Cell(text=quantity(record["section_shortfall"], unit, ctx.decimals)),
                Cell(text=quantity(record["school_addition"], unit, ctx.decimals), tone=tone),
                Cell(text=status_label("pass" if passed else "fail"), tone=tone),
            )
        )
    blocks.append(
        Table(
            columns=(
                Column(title="单元 Unit", wrap=True),
                Column(title="学段 Stage"),
                Column(title="指标 Ind."),
                Column(title="值 Value", align="right"),
                Column(title="标准 Standard", align="right", wrap=True),
                Column(title="差距 Gap", align="right"),
                Column(title="本学段缺口 Section shortfall", align="right"),
                Column(title="学校需增加 School adds", align="right"),
                Column(title="单元结果 Unit"),
            ),
            rows=tuple(rows),
            note=(
                "缺口以自然单位计（教师、m²、元、教室）。Shortfalls in natural units. A mixed "
                "school's split indicators need the section shortfall ÷ its share σ for the "
                "whole school; teachers and rooms are rounded up to whole units. Rows of "
                "passing units are standards missed above the floor."
            ),
            css_class="remediation",
        )
    )
    return blocks


def _school_value_blocks(resources: ResourceResult, ctx: Context) -> list[Block]:
    schools = resources.schools
    quality_balance = "met_count" in schools.columns
    blocks: list[Block] = [Heading(level=2, text="各校指标 School sections", anchor="schools")]
    unmet = _unmet_mask(resources, ctx)
    for stage in ctx.stages:
        positions = np.flatnonzero((schools["stage"] == stage).to_numpy())
        if not positions.size:
            continue
        members = schools.iloc[positions]
        columns = [
            Column(title="单元 Unit", wrap=True),
            Column(title="学生 Pupils", align="right"),
            *(Column(title=ctx.code(k), align="right") for k in ctx.indicator_ids),
        ]
        if quality_balance:
            columns.append(Column(title="达标·结果 Met·Result"))
        rows = []
        for position, record in zip(positions, members.to_dict("records"), strict=True):
            passed = bool(record.get("passed", True))
            cells = [
                Cell(text=ctx.school(record["unit_id"])),
                Cell(text=grouped(record["students"], 0)),
            ]
            for j, k in enumerate(ctx.indicator_ids):
                missed = bool(unmet[position, j]) if unmet is not None else False
                standard = ctx.standard(stage, k)
                text = ctx.beside(record[k], standard, ">=", style="fixed") + (
                    "*" if missed else ""
                )
                tone: Tone = ("warn" if passed else "fail") if missed else ""
                cells.append(Cell(text=text, tone=tone))
            if quality_balance:
                status = "pass" if passed else "fail"
                met = f"{int(record['met_count'])}/{len(ctx.indicator_ids)}"
                cells.append(Cell(text=f"{met} {status_label(status)}", tone=tone_of(status)))
            rows.append(tuple(cells))
        blocks.append(
            Table(
                caption=f"{stage_title(stage)} ({len(members)})",
                columns=tuple(columns),
                rows=tuple(rows),
                note="* 未达标准 below the standard of the stage." if quality_balance else "",
                css_class="schools",
            )
        )
    blocks.extend(_indicator_chart(resources, ctx, k, unmet) for k in ctx.indicator_ids)
    return blocks


def _unmet_mask(resources: ResourceResult, ctx: Context) -> np.ndarray | None:
    """Boolean matrix (row position of ``schools`` × indicator) of unmet standards."""
    schools = resources.schools
    if "unmet" not in schools.columns:
        return None
    mask = np.zeros((len(schools), len(ctx.indicator_ids)), dtype=bool)
    index = {k: j for j, k in enumerate(ctx.indicator_ids)}
    for row, unmet in enumerate(schools["unmet"]):
        for k in unmet:
            mask[row, index[str(k)]] = True
    return mask


def exclusion_tables(
    excluded: pd.DataFrame,
    merged: pd.DataFrame,
    *,
    with_county: bool = False,
    school: Callable[[object], str] = str,
) -> list[Block]:
    """Return the tables of the excluded schools and of the sites merged into their parents.

    ``with_county`` adds the county of each school, for tables of many counties; ``school``
    shows a school id (by default as it is; :meth:`Context.school` adds the name).
    """
    blocks: list[Block] = []
    county = (Column(title="县 County", wrap=True),) if with_county else ()
    if excluded.empty:
        blocks.append(Paragraph(text="未排除学校 No school excluded."))
    else:
        blocks.append(
            Table(
                caption=f"排除的学校 Excluded schools ({len(excluded)})",
                columns=(
                    *county,
                    Column(title="学校 School"),
                    Column(title="名称 Name", wrap=True),
                    Column(title="原因 Reason", wrap=True),
                    Column(title="说明 Detail", wrap=True),
                ),
                rows=tuple(
                    (
                        *((Cell(text=_text(record.get("county"))),) if with_county else ()),
                        Cell(text=str(record.get("school_id", ""))),
                        Cell(text=_text(record.get("school_name"))),
                        Cell(text=label(_text(record.get("reason")))),
                        Cell(text=readable(_text(record.get("detail")))),
                    )
                    for record in excluded.to_dict("records")
                ),
            )
        )
    if not merged.empty:
        blocks.append(
            Table(
                caption=(
                    f"并入主校的校区/教学点 Sites merged into their parent school ({len(merged)})"
                ),
                columns=(
                    *county,
                    Column(title="校区 Site"),
                    Column(title="并入 Parent school", wrap=True),
                    Column(title="学生 Pupils", align="right"),
                ),
                rows=tuple(
                    (
                        *((Cell(text=_text(record.get("county"))),) if with_county else ()),
                        Cell(text=str(record["site_id"])),
                        Cell(text=school(record["parent_id"])),
                        Cell(text=grouped(record["students"], 0)),
                    )
                    for record in merged.to_dict("records")
                ),
            )
        )
    return blocks


def _units_assessed(resources: ResourceResult, ctx: Context) -> list[Block]:
    blocks: list[Block] = [
        Heading(level=2, text="参评范围 Units assessed", anchor="units"),
    ]
    blocks += exclusion_tables(resources.excluded, resources.merged, school=ctx.school)
    split = resources.split
    if not split.empty:
        blocks.append(
            Table(
                caption=(
                    "拆分的一贯制学校与完全中学 Mixed schools split by stage "
                    f"({split['school_id'].nunique()})"
                ),
                columns=(
                    Column(title="学校 School", wrap=True),
                    Column(title="学段 Stage"),
                    Column(title="学生 Pupils", align="right"),
                    Column(title="份额 Share σ", align="right"),
                ),
                rows=tuple(
                    (
                        Cell(text=ctx.school(record["school_id"])),
                        Cell(text=stage_title(str(record["stage"]))),
                        Cell(text=grouped(record["students"], 0)),
                        Cell(text=ctx.fix(record["share"])),
                    )
                    for record in split.to_dict("records")
                ),
            )
        )
    return blocks


def _row(frame: pd.DataFrame, key: object) -> dict[str, Any]:
    """Return the row of ``frame`` at index ``key`` as a mapping of column to value."""
    row = cast("pd.Series[Any]", frame.loc[key])  # type: ignore[call-overload]
    return {str(column): value for column, value in row.items()}


def _text(value: object) -> str:
    return DASH if is_missing(value) else str(value)


# -- charts (HTML only) -----------------------------------------------------------------------


def _cv_chart(resources: ResourceResult, ctx: Context) -> Chart:
    indicators = resources.indicators
    # The 2012 edition limits the composite CV only; its indicator CVs have no limit.
    limits = _stage_limits(resources) if resources.composite is None else {}
    panels = []
    for stage in ctx.stages:
        limit = limits.get(stage)
        bars = []
        for k in ctx.indicator_ids:
            if (stage, k) not in indicators.index:
                continue
            row = _row(indicators, (stage, k))
            status = str(row["status"])
            cv = as_float(row["cv"])
            shown = ctx.beside(cv, limit, "<=", style="fixed")
            bars.append(
                Bar(
                    label=ctx.code(k),
                    value=cv,
                    tone=tone_of(status) if status != "" else "",
                    tooltip=f"{ctx.code(k)} {ctx.title_zh(k)}: CV {shown}",
                )
            )
        lines = []
        if resources.composite is None:
            if limit is not None:
                lines.append(
                    Line(value=limit, label=f"限值 limit {limit_number(limit)}", style="limit")
                )
        elif stage in resources.composite.index:
            row = _row(resources.composite, stage)
            composite = ctx.beside(row["composite_cv"], row["limit"], "<=", style="fixed")
            lines.append(
                Line(
                    value=as_float(row["composite_cv"]),
                    label=f"综合 composite {composite}",
                    style="mean",
                )
            )
            lines.append(
                Line(
                    value=as_float(row["limit"]),
                    label=f"综合限值 composite limit {limit_number(row['limit'])}",
                    style="limit",
                )
            )
        panels.append(
            Panel(title=stage_title(stage), bars=tuple(bars), lines=tuple(lines), show_labels=True)
        )
    return Chart(
        title="差异系数与限值 CV of each indicator against its limit",
        kind="cv-chart",
        orientation="horizontal",
        panels=tuple(panels),
    )


def _indicator_chart(
    resources: ResourceResult, ctx: Context, indicator: str, unmet: np.ndarray | None
) -> Chart:
    schools = resources.schools
    column = ctx.indicator_ids.index(indicator)
    known = INDICATORS.get(indicator)
    unit = known.unit if known is not None else ""
    panels = []
    below: list[str] = []
    for stage in ctx.stages:
        positions = np.flatnonzero((schools["stage"] == stage).to_numpy())
        if not positions.size:
            continue
        values = schools[indicator].to_numpy(dtype=np.float64)[positions]
        order = positions[np.argsort(values, kind="stable")]
        standard = ctx.standard(stage, indicator)
        bars = []
        for position in order:
            record = schools.iloc[int(position)]
            value = as_float(record[indicator])
            missed = bool(unmet[int(position), column]) if unmet is not None else False
            passed = bool(record.get("passed", True))
            tone: Tone = ("warn" if passed else "fail") if missed else ""
            if missed:
                below.append(
                    f"{ctx.school(record['unit_id'])} ({ctx.beside(value, standard, '>=')})"
                )
            shown = ctx.beside(value, standard, ">=", style="fixed")
            bars.append(
                Bar(
                    label=str(record["unit_id"]),
                    value=value,
                    tone=tone,
                    tooltip=f"{ctx.school(record['unit_id'])}: {shown} {unit}",
                )
            )
        lines = []
        if standard is not None:
            lines.append(
                Line(value=standard, label=f"标准 standard {ctx.num(standard)}", style="standard")
            )
            floor = ctx.floor_ratio
            if floor is not None:
                lines.append(
                    Line(
                        value=standard * floor,
                        label=f"{percent(floor, 0)} 底线 floor {ctx.num(standard * floor)}",
                        style="floor",
                    )
                )
        if (stage, indicator) in resources.indicators.index:
            mean = as_float(resources.indicators.loc[(stage, indicator), "county_value"])
            lines.append(Line(value=mean, label=f"县域值 county {ctx.num(mean)}", style="mean"))
        panels.append(
            Panel(
                title=f"{stage_title(stage)} ({positions.size})",
                bars=tuple(bars),
                lines=tuple(lines),
            )
        )
    caption = (
        "未达标准的单元 Below the standard: " + ", ".join(below)
        if below
        else "所有单元均达到标准 Every unit meets the standard."
        if unmet is not None
        else ""
    )
    title_en = known.title_en if known is not None else indicator
    return Chart(
        title=f"{ctx.code(indicator)} {ctx.title_zh(indicator)} · {title_en} [{unit}]",
        kind="indicator-chart",
        orientation="vertical",
        panels=tuple(panels),
        caption=caption,
        legend=(
            (
                ("", "达到标准 meets the standard"),
                ("warn", "未达标准、单元通过 below the standard, unit passes"),
                ("fail", "未达标准、单元未通过 below the standard, unit fails"),
            )
            if unmet is not None
            else ()
        ),
    )


def resource_checks(resources: ResourceResult) -> list[str]:
    """Statuses of the decisions of Part 1: each CV (or composite) and each unit."""
    if resources.composite is not None:
        return [str(s) for s in resources.composite["status"]]
    statuses = [str(s) for s in resources.indicators["status"]]
    if "passed" in resources.schools:
        statuses += ["pass" if ok else "fail" for ok in resources.schools["passed"]]
    return statuses
