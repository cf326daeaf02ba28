"""The report of a filled recommendation form (推荐表), in the form's own order (private).

One table of the form's fields, each by its Chinese name with the English beside it, its
value and where the value came from; then the provenance and the checks that keep the form a
draft. Personal fields are shown only when asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from eduequity._version import __version__
from eduequity.checklist import FORM_STATUS_LABELS
from eduequity.report._county import warning_blocks
from eduequity.report._document import Block, Cell, Column, Document, Fields, Table, Title
from eduequity.report._format import DASH
from eduequity.report._words import english, readable

if TYPE_CHECKING:
    from eduequity.checklist import RecommendationForm

_TITLE_ZH = "义务教育优质均衡先行创建县（市、区）推荐表"
_TITLE_EN = "Recommendation form for the pilot creation of quality balance"


def form_document(form: RecommendationForm, *, include_personal: bool = False) -> Document:
    """Return the report of a filled recommendation form."""
    status = f"{FORM_STATUS_LABELS[form.status]} {english(form.status)}"
    rows = tuple(
        (
            Cell(text=str(row["number"])),
            Cell(text=f"{row['field_zh']} {row['field_en']}"),
            Cell(text=str(row["value"]) or DASH),
            Cell(text=readable(str(row["source"])) if row["source"] else DASH),
        )
        for row in form.to_frame(include_personal=include_personal).to_dict("records")
    )
    rules = DASH if form.rules is None else f"{form.rules['id']} {form.rules['version']}"
    blocks: list[Block] = [
        Title(zh=_TITLE_ZH, en=_TITLE_EN, subtitle=f"{form.county} · 状态 status: {status}"),
        Table(
            columns=(
                Column(title="#", align="right"),
                Column(title="栏目 Field", wrap=True),
                Column(title="内容 Value", wrap=True),
                Column(title="来源 Source", wrap=True),
            ),
            rows=rows,
            caption="推荐表 Recommendation form",
        ),
        Fields(
            title="来源 Provenance",
            items=(
                ("清单目录 Catalogue", f"{form.catalogue.id} {form.catalogue.version}"),
                ("规则集 Rule set", rules),
                ("填表日期 Generated", f"{form.generated.isoformat()}; eduequity {__version__}"),
            ),
        ),
        *warning_blocks(form.issues),
    ]
    return Document(page_title=f"推荐表 Recommendation form · {form.county}", blocks=tuple(blocks))
