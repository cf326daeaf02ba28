"""Rendering of the multi-county Part 1 table of :func:`eduequity.national.assess_counties`.

CSV keeps every number at full precision for further processing; the text table is for
reading and rounds to the display decimals, marking with ``*`` each CV above its stage's limit
when the rule set recorded in the frame's audit record is a shipped one (the county-level
decision itself, ``balance_passed``/``passed``, is exact and comes from the frame).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from eduequity._version import __version__
from eduequity.national.indicators import INDICATORS
from eduequity.report._county import resolve_rules, warning_blocks
from eduequity.report._csv import to_csv
from eduequity.report._document import (
    Block,
    Cell,
    Column,
    Document,
    Fields,
    Heading,
    Paragraph,
    Table,
)
from eduequity.report._format import (
    DASH,
    against_limit,
    limit_number,
    satisfies,
    smart,
    stage_title,
    status_label,
)
from eduequity.report._json import audit_record
from eduequity.report._resources import exclusion_tables

if TYPE_CHECKING:
    from eduequity.national import AuditRecord
    from eduequity.national.rules import RuleSet

_CV_PREFIX = "cv_"


def counties_csv(frame: pd.DataFrame) -> str:
    """Return the table as CSV: one row per (county, stage), full precision.

    The CSV holds the table only, so that programs can read it; the excluded schools, merged
    sites and warnings stay in ``frame.attrs["eduequity"]`` (the command line writes them to
    standard error).
    """
    table = frame.reset_index() if any(n is not None for n in frame.index.names) else frame
    return to_csv(table)


def _limit(rules: RuleSet | None, stage: str, kind: str = "cv_limit") -> float | None:
    key = f"resource.{kind}.{stage}"
    if rules is None or key not in rules:
        return None
    return rules.number(key)


def _verdict(passed: object) -> Cell:
    """Return ``通过 pass`` or ``未通过 FAIL`` with its tone."""
    if passed:
        return Cell(text=status_label("pass"), tone="pass")
    return Cell(text=status_label("fail"), tone="fail")


def _audit_blocks(audit: AuditRecord | None) -> list[Block]:
    """Return the excluded schools, merged sites and warnings of a counties table."""
    if audit is None:
        return []
    return [
        *exclusion_tables(audit.excluded, audit.merged, with_county=True),
        *warning_blocks(audit.warnings),
    ]


def counties_document(frame: pd.DataFrame, decimals: int | None) -> Document:
    """Return the table with a legend of the indicator codes, the exclusions and the rules."""
    audit = audit_record(frame)
    identity: dict[str, Any] = {} if audit is None else dict(audit.rules)
    rules = resolve_rules(identity)
    if decimals is None:
        decimals = (
            rules.integer("rounding.display_decimals")
            if rules is not None and "rounding.display_decimals" in rules
            else 3
        )
    cv_columns = [c for c in frame.columns if str(c).startswith(_CV_PREFIX)]
    ids = [str(c)[len(_CV_PREFIX) :] for c in cv_columns]
    coded = all(k in INDICATORS and INDICATORS[k].code for k in ids)
    codes = [str(INDICATORS[k].code) if coded else str(i + 1) for i, k in enumerate(ids)]
    table = frame.reset_index() if any(n is not None for n in frame.index.names) else frame
    key = (Column(title="县 County", wrap=True), Column(title="学段 Stage"))
    columns = [*key, *(Column(title=code, align="right") for code in codes)]
    if "composite_cv" in table:
        columns.append(Column(title="综合 Composite", align="right", wrap=True))
    counts = [c for c in ("n_sections", "n_sections_failing") if c in table]
    titles = {"n_sections": "单元 Units", "n_sections_failing": "未通过单元 Units failing"}
    verdicts = [*key, *(Column(title=titles[c], align="right", wrap=True) for c in counts)]
    if "balance_passed" in table:
        verdicts.append(Column(title="差异系数均达标 Every CV within its limit", wrap=True))
    verdicts.append(Column(title="结果 Result"))
    rows = []
    verdict_rows = []
    marked = False
    for record in table.to_dict("records"):
        stage = str(record.get("stage", ""))
        limit = _limit(rules, stage)
        cells = [
            Cell(text=str(record.get("county", ""))),
            Cell(text=stage_title(stage)),
        ]
        verdict = [*cells, *(Cell(text=smart(record[column], 0)) for column in counts)]
        for column in cv_columns:
            value = record[column]
            # Decided as the library decides (exactly, floats as their shortest decimal) and
            # shown with the digits that make a CV of 0.5004 visibly above 0.50.
            above = satisfies(value, limit, "<=") is False
            marked = marked or above
            cells.append(
                Cell(
                    text=against_limit(value, limit, "<=", decimals, style="fixed")
                    + ("*" if above else ""),
                    tone="fail" if above else "",
                )
            )
        if "composite_cv" in table:
            composite_limit = _limit(rules, stage, "composite_cv_limit")
            cells.append(
                Cell(
                    text=against_limit(
                        record["composite_cv"], composite_limit, "<=", decimals, style="fixed"
                    )
                )
            )
        if "balance_passed" in table:
            verdict.append(_verdict(record["balance_passed"]))
        verdict.append(_verdict(record["passed"]))
        rows.append(tuple(cells))
        verdict_rows.append(tuple(verdict))
    passed = int(np.count_nonzero(table["passed"].to_numpy(dtype=bool))) if len(table) else 0
    limits = ""
    if rules is not None:
        shown = [
            f"{stage_title(s)} ≤ {limit_number(_limit(rules, s))}"
            for s in ("primary", "junior")
            if _limit(rules, s) is not None
        ]
        limits = "; CV limits " + ", ".join(shown) if shown else ""
    note = ("* 超过限值 above the stage's CV limit" + limits) if marked or limits else ""
    legend = tuple(
        (code, f"{INDICATORS[k].title_zh} · {INDICATORS[k].title_en}" if k in INDICATORS else k)
        for code, k in zip(codes, ids, strict=True)
    )
    n_excluded = 0 if audit is None else len(audit.excluded)
    blocks: list[Block] = [
        Heading(level=1, text="资源配置（多县） Resource allocation by county", anchor="counties"),
        Paragraph(
            text=f"{len(table)} 个县·学段 county-stages, {passed} 通过 passed; "
            f"{n_excluded} 所学校排除 schools excluded."
        ),
        Table(
            caption="差异系数 Coefficients of variation",
            columns=tuple(columns),
            rows=tuple(rows),
            note=note,
        ),
        Table(caption="结果 Results", columns=tuple(verdicts), rows=tuple(verdict_rows)),
        Fields(title="指标代码 Indicator codes", items=legend),
        # The reader of the text must see what the table leaves out, as in the JSON.
        *_audit_blocks(audit),
        Fields(
            title="规则集 Rule set",
            items=(
                ("规则集 Rule set", str(identity.get("id", DASH))),
                ("版本 Version", str(identity.get("version", DASH))),
                (
                    "地方调整 Overlays",
                    ", ".join(map(str, identity.get("overlays") or [])) or "无 none",
                ),
                ("内容哈希 Content hash", str(identity.get("content_hash", DASH))),
                ("eduequity", __version__),
            ),
        ),
    ]
    return Document(
        page_title="资源配置（多县） Resource allocation by county", blocks=tuple(blocks)
    )
