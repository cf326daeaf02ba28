"""The least-cost plan (最低成本达标方案) as report blocks and as a document (private).

Used twice: as the section a county report gains with ``eduequity assess --plan``, and as
the whole report of ``eduequity plan``. Per school: what to add, its cost, and what the naive
plan (every failing section to every standard) would have cost there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import pandas as pd

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
)
from eduequity.report._format import DASH, grouped, percent, quantity
from eduequity.report._words import label

if TYPE_CHECKING:
    from eduequity.national.remediation import RemediationPlan

TITLE_ZH: Final = "最低成本达标方案"
TITLE_EN: Final = "Least-cost plan"
_ACTIONS: Final = {"add": "", "transfer": "交流 transfer", "implied": "随之 implied"}


def _yuan(value: float) -> str:
    return f"{grouped(value, 0)} 元"


def _summary(plan: RemediationPlan) -> Fields:
    items = [
        ("方案成本 Plan cost", _yuan(plan.cost)),
        ("下界 Proven lower bound", _yuan(plan.lower_bound)),
        ("差距 Gap to the bound", percent(plan.gap, 2)),
        (
            "常规方案 Naive plan (failing sections to every standard, CVs levelled)",
            _yuan(plan.baseline_cost),
        ),
        ("节省 Saving against the naive plan", _yuan(plan.saving)),
        ("方案后资源配置 Part 1 after the plan", "通过 pass" if plan.passes else "未通过 FAIL"),
    ]
    return Fields(title="", items=tuple(items))


def _change(row: pd.Series) -> str:
    action = _ACTIONS.get(str(row["action"]), "")
    if row["action"] == "transfer":
        amount = float(row["amount"])
        other = row["source"] if amount > 0 else row["destination"]
        action = f"{action} {'from' if amount > 0 else 'to'} {other}"
    resource = label(str(row["resource"]))
    return f"{resource} ({action})" if action else resource


def school_table(plan: RemediationPlan) -> Table:
    """One row per school: what the plan spends there, and what the naive plan would."""
    naive = plan.baseline_additions.groupby("school_id", sort=False)["cost"].sum()
    spent = plan.additions.groupby("school_id", sort=False)["cost"].sum()
    names = pd.concat([plan.additions, plan.baseline_additions]).drop_duplicates("school_id")
    rows = []
    for record in names.sort_values(["county", "school_id"]).to_dict("records"):
        school_id = record["school_id"]
        name = record["school_name"] if isinstance(record["school_name"], str) else ""
        rows.append(
            (
                Cell(text=f"{name} ({school_id})" if name else str(school_id)),
                Cell(text=_yuan(float(spent.get(school_id, 0.0)))),
                Cell(text=_yuan(float(naive.get(school_id, 0.0)))),
            )
        )
    return Table(
        columns=(
            Column(title="学校 School", wrap=True),
            Column(title="方案成本 Plan cost", align="right"),
            Column(title="常规方案 Naive plan", align="right"),
        ),
        rows=tuple(rows),
        caption="各校成本 Cost by school",
    )


def _signed_quantity(amount: float, unit: str) -> str:
    return f"{'+' if amount > 0 else '−'}{quantity(abs(amount), unit, 2)}"


def change_table(plan: RemediationPlan) -> Table:
    """One row per change: the school, the column added to, the amount and its cost."""
    ordered = plan.additions.sort_values(["county", "school_id"], kind="stable")
    rows = tuple(
        (
            Cell(
                text=f"{row['school_name']} ({row['school_id']})"
                if isinstance(row["school_name"], str) and row["school_name"]
                else str(row["school_id"])
            ),
            Cell(text=_change(row)),
            Cell(text=_signed_quantity(float(row["amount"]), str(row["unit"]))),
            Cell(text=_yuan(float(row["cost"]))),
        )
        for _, row in ordered.iterrows()
    )
    return Table(
        columns=(
            Column(title="学校 School", wrap=True),
            Column(title="增加 Column added to", wrap=True),
            Column(title="数量 Amount", align="right"),
            Column(title="成本 Cost", align="right"),
        ),
        rows=rows,
        caption="一校一案 What to add, school by school",
        note="单位成本 Unit costs [yuan per unit]: "
        + "; ".join(f"{label(column)} {grouped(cost, 2)}" for column, cost in plan.costs.items())
        + ". The default costs are planning assumptions a county should replace.",
    )


def county_table(plan: RemediationPlan) -> Table:
    """One row per county: cost, bound, naive cost and the solver's status."""
    rows = tuple(
        (
            Cell(text=str(row["county"])),
            Cell(text="通过 pass" if row["passed_before"] else "未通过 FAIL"),
            Cell(text=_yuan(row["cost"])),
            Cell(text=_yuan(row["lower_bound"])),
            Cell(text=_yuan(row["baseline_cost"])),
            Cell(text=str(row.get("status", DASH))),
        )
        for row in plan.counties.to_dict("records")
    )
    return Table(
        columns=(
            Column(title="县 County"),
            Column(title="方案前 Before"),
            Column(title="成本 Cost", align="right"),
            Column(title="下界 Bound", align="right"),
            Column(title="常规方案 Naive", align="right"),
            Column(title="求解 Solver"),
        ),
        rows=rows,
    )


def plan_blocks(plan: RemediationPlan) -> list[Block]:
    """Return the section a county report gains: summary, then school by school."""
    blocks: list[Block] = [
        Heading(level=1, text=f"{TITLE_ZH} {TITLE_EN}", anchor="least_cost_plan"),
        Paragraph(
            text=(
                "The cheapest set of additions (and, if allowed, teacher transfers) after "
                "which every school section meets at least 6 of its 7 standards with the "
                "rest at 85% or more, and every coefficient of variation is within its "
                "limit; decided by the same exact comparisons as the assessment."
            )
        ),
        _summary(plan),
    ]
    if plan.additions.empty:
        blocks.append(Paragraph(text="无需增加 Nothing to add: Part 1 already passes."))
    else:
        blocks += [school_table(plan), change_table(plan)]
    return blocks


def plan_document(plan: RemediationPlan) -> Document:
    """Return the report of ``eduequity plan``: summary, counties, then school by school."""
    counties = ", ".join(str(county) for county in plan.counties["county"])
    blocks: list[Block] = [
        Title(zh=TITLE_ZH, en=TITLE_EN, subtitle=counties),
        *plan_blocks(plan)[1:],
    ]
    if len(plan.counties) > 1:
        blocks.insert(3, county_table(plan))
    return Document(page_title=f"{TITLE_ZH} · {counties}", blocks=tuple(blocks))
