"""The report of a creation-checklist evaluation (创建任务完成情况), for every county (private).

For each county: the selection conditions (遴选条件), the basic tasks (基本任务), completion of
the checklist of hard problems (攻坚清单) by area, and what is not yet done; then the warnings
of the records. Every item by its Chinese text with the English beside it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Final

from eduequity.checklist import ELIGIBILITY_LABELS, STATUS_LABELS
from eduequity.report._county import warning_blocks
from eduequity.report._document import (
    Block,
    Cell,
    Column,
    Document,
    Fields,
    Heading,
    Paragraph,
    Table,
    Title,
    Tone,
)
from eduequity.report._format import DASH, percent, smart
from eduequity.report._words import english, readable

if TYPE_CHECKING:
    from eduequity.checklist import ChecklistEvaluation, CountyChecklist, ItemState

_TITLE_ZH = "创建任务完成情况"
_TITLE_EN = "Creation checklist evaluation"
_MET: Final[Mapping[bool | None, tuple[str, Tone]]] = {
    True: ("满足 met", "pass"),
    False: ("不满足 not met", "fail"),
    None: ("待补充 unknown", "warn"),
}


def _status(status: str | None) -> str:
    if status is None:
        return "无记录 no record"
    return f"{STATUS_LABELS.get(status, '')} {english(status)}".strip()


def _eligibility(status: str) -> str:
    return f"{ELIGIBILITY_LABELS.get(status, '')} {english(status)}".strip()


def _rate(value: float | None) -> str:
    return "— 不适用 n/a" if value is None else percent(value, 1)


def _short_en(item: ItemState) -> str:
    """Return the English paraphrase; for a basic task only its title (before the colon)."""
    return item.text_en.split(":", 1)[0] if item.section == "basic_task" else item.text_en


def _items_table(caption: str, title: str, items: Sequence[ItemState], tone: Tone = "") -> Table:
    """Return the items with their code, text in both languages and status."""
    return Table(
        caption=caption,
        columns=(
            Column(title="编号 Code"),
            Column(title=title, wrap=True),
            Column(title="状态 Status", wrap=True),
        ),
        rows=tuple(
            (
                Cell(text=item.code),
                Cell(text=f"{item.text_zh} · {_short_en(item)}"),
                Cell(text=_status(item.status), tone=tone),
            )
            for item in items
        ),
    )


def _summary(evaluation: ChecklistEvaluation) -> Table:
    rows = tuple(
        (
            Cell(text=str(record["county"])),
            Cell(text=f"{int(record['items_selected'])}/{int(record['items_total'])}"),
            Cell(text=_rate(record["rate_all"])),
            Cell(text=_rate(record["verified_rate"])),
            Cell(text=f"{int(record['basic_tasks_done'])}/{int(record['basic_tasks_total'])}"),
            Cell(text=_eligibility(str(record["eligibility"]))),
        )
        for record in evaluation.summary.to_dict("records")
    )
    return Table(
        caption="汇总 Summary",
        columns=(
            Column(title="县（市、区） County", wrap=True),
            Column(title="选定 Selected", align="right"),
            Column(title="完成率 Rate", align="right"),
            Column(title="验收率 Verified", align="right"),
            Column(title="基本任务 Tasks", align="right"),
            Column(title="遴选条件 Eligibility", wrap=True),
        ),
        rows=rows,
    )


def _county_blocks(county: CountyChecklist) -> list[Block]:
    eligibility = county.eligibility
    blocks: list[Block] = [
        Heading(level=1, text=county.county, anchor=f"county-{county.county}"),
        Table(
            caption=f"遴选条件 Selection conditions: {_eligibility(eligibility.status)}",
            columns=(
                Column(title="条件 Part"),
                Column(title="结果 Result"),
                Column(title="说明 Detail", wrap=True),
            ),
            rows=tuple(
                (
                    Cell(text=check.part),
                    Cell(text=_MET[check.met][0], tone=_MET[check.met][1]),
                    Cell(text=readable(check.detail)),
                )
                for check in eligibility.conditions
            ),
        ),
    ]
    support = []
    if eligibility.teacher_salary_parity is not None:
        support.append(
            ("教师工资比 Teacher salary parity (G8)", smart(eligibility.teacher_salary_parity, 3))
        )
    if eligibility.social_recognition is not None:
        support.append(("满意度 Satisfaction", smart(eligibility.social_recognition, 3)))
    if support:
        blocks.append(Fields(title="佐证 Supporting figures", items=tuple(support)))
    tasks = county.basic_tasks
    blocks.append(
        _items_table(
            f"基本任务 Basic tasks: {county.basic_tasks_done}/{len(tasks)} 完成 done",
            "任务 Task",
            tasks,
        )
    )
    area_rows = [
        (
            Cell(text=f"{area.code} {area.title_zh} · {area.title_en}"),
            Cell(text=f"{area.selected}/{area.items}"),
            Cell(text=smart(area.done, 3)),
            Cell(text=_rate(area.rate)),
            Cell(text=_rate(area.verified_rate)),
        )
        for area in county.areas
    ]
    area_rows += [
        (
            Cell(text="合计 All selected"),
            Cell(text=f"{county.items_selected}/{county.items_total}"),
            Cell(text=smart(county.items_done, 3)),
            Cell(text=_rate(county.rate_all)),
            Cell(text=_rate(county.verified_rate)),
        ),
        (
            Cell(text=f"合计 All {county.items_total}"),
            Cell(text=str(county.items_total)),
            Cell(text=smart(county.items_done, 3)),
            Cell(text=_rate(county.rate_all_20)),
            Cell(text=DASH),
        ),
    ]
    blocks.append(
        Table(
            caption="攻坚清单 Checklist of hard problems",
            columns=(
                Column(title="领域 Area", wrap=True),
                Column(title="选定 Selected", align="right"),
                Column(title="完成 Done", align="right"),
                Column(title="完成率 Rate", align="right"),
                Column(title="验收率 Verified", align="right"),
            ),
            rows=tuple(area_rows),
        )
    )
    missing = county.missing
    if not missing:
        blocks.append(Paragraph(text="未完成事项 Not yet done: 无 none."))
    else:
        blocks.append(
            _items_table(f"未完成事项 Not yet done ({len(missing)})", "事项 Item", missing, "warn")
        )
    unselected = [item for item in county.items if not item.selected]
    if unselected:
        shown = ", ".join(f"{item.code} {item.text_zh}" for item in unselected)
        blocks.append(Paragraph(text=f"未选定 Not selected: {shown}", tone="muted"))
    return blocks


def checklist_document(evaluation: ChecklistEvaluation) -> Document:
    """Return the report of every county of a checklist evaluation."""
    source = evaluation.catalogue.source
    blocks: list[Block] = [
        Title(
            zh=_TITLE_ZH,
            en=_TITLE_EN,
            subtitle=(
                f"{len(evaluation.counties)} 个县 counties · "
                f"{evaluation.records_used} 条记录 records"
            ),
        ),
        Fields(
            title="",
            items=(
                (
                    "清单 Catalogue",
                    f"{evaluation.catalogue_id} · 版本 version {evaluation.catalogue_version}",
                ),
                ("依据 Source", source.render()),
                ("进行中权重 In-progress weight", smart(evaluation.in_progress_weight, 3)),
                ("参考年度 Reference year", str(evaluation.reference_year)),
            ),
        ),
    ]
    if len(evaluation.counties) > 1:
        blocks.append(_summary(evaluation))
    for name in evaluation.counties:
        blocks += _county_blocks(evaluation.county(name))
    blocks += warning_blocks(evaluation.issues)
    return Document(page_title=f"{_TITLE_ZH} {_TITLE_EN}", blocks=tuple(blocks))
