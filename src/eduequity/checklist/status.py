r"""Evaluate the creation checklist per county (创建任务完成情况评估): rates, gaps, eligibility.

:func:`evaluate_checklist` reads the latest record of every county–item pair and computes,
for all counties at once (pandas ``groupby``, no loop per county), the completion rates of
docs: The creation checklist and city aggregation, The creation checklist, the four basic tasks, the
open items and the selection conditions of §6.5 (:func:`check_eligibility`). :func:`province_view`
checks a province's list of recommended counties.

Completion, over the 20 checklist items (攻坚清单) only:

.. math::

    \mathrm{done}(i) = \begin{cases} 1 & \text{status} \in \{\text{completed},
    \text{verified}\} \\ w & \text{status} = \text{in\_progress} \\ 0 &
    \text{otherwise (not started, no record)} \end{cases}

    \mathrm{rate}_a = \frac{\sum_{i \in a,\ \mathrm{selected}} \mathrm{done}(i)}
    {\#\{i \in a,\ \mathrm{selected}\}}, \qquad
    \mathrm{rate\_all} = \frac{\sum_{i\ \mathrm{selected}} \mathrm{done}(i)}
    {\#\{i\ \mathrm{selected}\}}, \qquad
    \mathrm{rate\_all\_20} = \frac{\sum_{i\ \mathrm{selected}} \mathrm{done}(i)}{20}

with :math:`w` = ``in_progress_weight`` (default 0). ``verified_rate`` is ``rate_all``
counting only ``verified``. An area (or a county) without a selected item has rate ``None``
(status ``not_applicable``), never 0 or 1. Rates are computed from integer counts per status,
so they do not depend on the order of the records.

Selection conditions: S1, S3 and S2(b) are met when their latest record is
``completed`` or ``verified``, not met when a record has a lower status, unknown without a
record; S2(a) is met when ``reference_year − basic_balance_recognition_year >= 3``. A county
is ``not_eligible`` when a part is not met, else ``incomplete`` when a part is unknown, else
``eligible``.

Examples
--------
>>> from eduequity.checklist import evaluate_checklist
>>> records = [
...     {"county": "甲县", "item_id": "A1", "status": "completed", "evidence": "方案"},
...     {"county": "甲县", "item_id": "A2", "status": "in_progress"},
...     {"county": "甲县", "item_id": "B1", "status": "verified", "evidence_ref": "甲教1号"},
... ]
>>> result = evaluate_checklist(records, in_progress_weight=0.5)
>>> county = result.county("甲县")
>>> county.rate_all, county.rate_all_20, county.verified_rate
(0.125, 0.125, 0.05)
>>> [(area.code, area.rate) for area in county.areas][:2]
[('A', 0.375), ('B', 0.25)]
>>> county.eligibility.status
'incomplete'
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import warnings
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, Final, Literal, TypeAlias

import attrs
import numpy as np
import pandas as pd

from eduequity._result import Result, Summary
from eduequity._serialize import to_jsonable
from eduequity._typing import JSONValue
from eduequity._vocabulary import vocabulary
from eduequity.checklist.catalogue import (
    CREATION_CHECKLIST_2021,
    ChecklistCatalogue,
    ItemKind,
    Section,
    require_catalogue,
)
from eduequity.checklist.records import (
    DONE_STATUSES,
    STATUS_LABELS,
    ChecklistRecords,
    RecordsSource,
    latest_records,
    read_checklist_records,
)
from eduequity.errors import (
    DataQualityWarning,
    DegenerateDataWarning,
    InvalidArgumentError,
    InvalidTypeError,
    InvalidValueError,
    Issue,
)
from eduequity.io import LoadedTable

__all__ = [
    "ELIGIBILITY_LABELS",
    "AreaCompletion",
    "ChecklistEvaluation",
    "ConditionCheck",
    "CountyChecklist",
    "CountyEligibility",
    "EligibilityReport",
    "EligibilityStatus",
    "ItemState",
    "ProvinceRecommendation",
    "RecognitionYears",
    "check_eligibility",
    "evaluate_checklist",
    "province_view",
]

EligibilityStatus: TypeAlias = Literal["eligible", "not_eligible", "incomplete"]
"""Outcome of the eligibility check."""
_ELIGIBILITY: Final[tuple[EligibilityStatus, ...]] = ("eligible", "not_eligible", "incomplete")

RecognitionYears: TypeAlias = (
    "Mapping[str, int | float | None] | pd.Series | pd.DataFrame | LoadedTable | None"
)
"""Basic-balance recognition years: a mapping county → year, a Series indexed by county, or a
county-facts-like frame (or :class:`~eduequity.io.LoadedTable`) with columns ``county`` and
``basic_balance_recognition_year`` (optional ``year``, ``teacher_salary_parity``,
``social_recognition``)."""

ELIGIBILITY_LABELS: Final[Mapping[str, str]] = MappingProxyType(
    {"eligible": "符合", "not_eligible": "不符合", "incomplete": "待补充"}
)
"""Chinese labels of the eligibility statuses."""

_MET_LABELS: Final = {True: "满足 met", False: "不满足 not met", None: "待补充 unknown"}
_PARTS: Final = ("S1", "S2(a)", "S2(b)", "S3")
_NO_RECORD: Final = "无记录 no record"
_COUNT_COLUMNS: Final = vocabulary("checklist_statuses").codes
_MAX_LISTED: Final = 5


# ======================================================================================
# result classes


@attrs.frozen(kw_only=True)
class ItemState:
    """The current state of one catalogue entry in one county."""

    code: str
    """Display code (``S1``, ``T2``, ``A1``, ...)."""
    id: str
    """Snake_case id."""
    section: Section
    """``"condition"``, ``"basic_task"`` or ``"checklist"``."""
    area: str | None
    """Area id of a checklist item; None otherwise."""
    kind: ItemKind | None
    """Deliverable kind of a checklist item; None otherwise."""
    text_zh: str
    """Chinese text of the notice."""
    text_en: str
    """English paraphrase."""
    status: str | None
    """Status of the latest record; None when the county has no record for the entry."""
    selected: bool
    """Whether the county takes the entry on (always true for conditions and tasks)."""
    done: float
    """``done(i)`` of §6.4: 1 for completed or verified, ``in_progress_weight`` for in
    progress, 0 otherwise [fraction]. Unselected items keep their own value here but count
    as not done in the rates."""
    records: int
    """Number of records of the pair (its history length)."""
    updated_at: dt.date | None
    """Date of the latest record."""
    evidence: str | None
    """Evidence text of the latest record."""
    evidence_ref: str | None
    """Document number or URL of the latest record."""
    evidence_date: dt.date | None
    """Date of the evidence of the latest record."""
    responsible_unit: str | None
    """Responsible unit named by the latest record."""
    note: str | None
    """Note of the latest record."""

    @property
    def is_done(self) -> bool:
        """Whether the status is ``completed`` or ``verified``."""
        return self.status in DONE_STATUSES

    def to_dict(self) -> dict[str, JSONValue]:
        """Return a JSON-safe mapping of the fields."""
        return {field.name: to_jsonable(getattr(self, field.name)) for field in _fields(self)}


@attrs.frozen(kw_only=True)
class AreaCompletion:
    """Completion of one checklist area in one county."""

    area: str
    """Area id, e.g. ``"school_planning"``."""
    code: str
    """Area letter, ``"A"``–``"E"``."""
    title_zh: str
    """Chinese title."""
    title_en: str
    """English title."""
    items: int
    """Items of the area in the catalogue."""
    selected: int
    """Items the county selected."""
    not_started: int
    """Selected items not started or without a record."""
    in_progress: int
    """Selected items in progress."""
    completed: int
    """Selected items completed (not yet verified)."""
    verified: int
    """Selected items verified."""
    done: float
    """``Σ done(i)`` over the selected items [items]."""
    rate: float | None
    """``done / selected`` [fraction]; None when no item of the area is selected."""
    verified_rate: float | None
    """``verified / selected`` [fraction]; None when no item is selected."""
    status: Literal["ok", "not_applicable"]
    """``"not_applicable"`` when no item of the area is selected."""

    def to_dict(self) -> dict[str, JSONValue]:
        """Return a JSON-safe mapping of the fields."""
        return {field.name: to_jsonable(getattr(self, field.name)) for field in _fields(self)}


@attrs.frozen(kw_only=True)
class ConditionCheck:
    """One part of a selection condition for one county."""

    code: str
    """Condition code, ``"S1"``–``"S3"``."""
    part: str
    """``"S1"``, ``"S2(a)"`` (years since recognition), ``"S2(b)"`` (declared) or ``"S3"``."""
    id: str
    """Condition id, e.g. ``"basic_balance_foundation"``."""
    basis: Literal["record", "recognition_year"]
    """Where the part is read from."""
    met: bool | None
    """True met, False not met, None unknown (no record, no recognition year)."""
    status: str | None
    """Status of the condition's latest record (record-based parts)."""
    detail: str
    """Bilingual explanation of the outcome."""

    def to_dict(self) -> dict[str, JSONValue]:
        """Return a JSON-safe mapping of the fields."""
        return {field.name: to_jsonable(getattr(self, field.name)) for field in _fields(self)}


@attrs.frozen(kw_only=True)
class CountyEligibility:
    """Eligibility of one county for recommendation as a pioneer county."""

    county: str
    """County name."""
    status: EligibilityStatus
    """``"eligible"``, ``"not_eligible"`` or ``"incomplete"``."""
    reference_year: int
    """Year of the recommendation [year]."""
    basic_balance_recognition_year: int | None
    """Year of the national basic-balance recognition; None when unknown [year]."""
    years_since_recognition: int | None
    """``reference_year − basic_balance_recognition_year`` [years]; None when unknown."""
    conditions: tuple[ConditionCheck, ...]
    """The four parts S1, S2(a), S2(b), S3."""
    reasons: tuple[str, ...]
    """Explanations of every part not met or unknown (empty when eligible)."""
    teacher_salary_parity: float | None
    """Supporting evidence for S3: teachers' to civil servants' average pay (G8) [ratio]."""
    social_recognition: float | None
    """Supporting evidence for S3: the latest satisfaction rate (Part 4) [fraction]."""

    def to_dict(self) -> dict[str, JSONValue]:
        """Return a JSON-safe mapping of the fields."""
        return {field.name: to_jsonable(getattr(self, field.name)) for field in _fields(self)}


@attrs.frozen(kw_only=True)
class EligibilityReport:
    """Eligibility of every county of a set of records, with per-county access."""

    catalogue: ChecklistCatalogue = attrs.field(eq=False, repr=False)
    """The catalogue (parameters: 3 years, 3–5 counties, deadline)."""
    reference_year: int
    """Year of the recommendation [year]."""
    counties: tuple[str, ...]
    """Counties evaluated, sorted."""
    summary: pd.DataFrame = attrs.field(eq=False, repr=False)
    """One row per county: ``county``, ``status``, ``status_zh``,
    ``basic_balance_recognition_year``, ``years_since_recognition``, ``parts_met``,
    ``parts_not_met``, ``parts_unknown``, ``reasons`` (joined by ``" | "``),
    ``teacher_salary_parity``, ``social_recognition``."""
    conditions: pd.DataFrame = attrs.field(eq=False, repr=False)
    """One row per county and part: ``county``, ``code``, ``part``, ``id``, ``basis``,
    ``met`` (``"boolean"``), ``status``, ``detail``."""

    @property
    def eligible(self) -> tuple[str, ...]:
        """Counties whose status is ``eligible``."""
        return tuple(self.summary.loc[self.summary["status"] == "eligible", "county"].tolist())

    def frame(self) -> pd.DataFrame:
        """Return a copy of :attr:`summary`."""
        return self.summary.copy()

    def conditions_frame(self) -> pd.DataFrame:
        """Return a copy of :attr:`conditions`."""
        return self.conditions.copy()

    def county(self, name: str) -> CountyEligibility:
        """Return the eligibility of one county.

        Raises
        ------
        InvalidArgumentError
            With code ``unknown_county`` when the county has no record.
        """
        position = _county_position(name, self.counties)
        row = self.summary.iloc[position]
        parts = _block(self.conditions, position, len(self.counties))
        checks = tuple(
            ConditionCheck(
                code=str(part["code"]),
                part=str(part["part"]),
                id=str(part["id"]),
                basis=part["basis"],
                met=_bool_or_none(part["met"]),
                status=_text_or_none(part["status"]),
                detail=str(part["detail"]),
            )
            for part in parts
        )
        return CountyEligibility(
            county=name,
            status=row["status"],
            reference_year=self.reference_year,
            basic_balance_recognition_year=_int_or_none(row["basic_balance_recognition_year"]),
            years_since_recognition=_int_or_none(row["years_since_recognition"]),
            conditions=checks,
            reasons=tuple(check.detail for check in checks if check.met is not True),
            teacher_salary_parity=_float_or_none(row["teacher_salary_parity"]),
            social_recognition=_float_or_none(row["social_recognition"]),
        )

    def to_dict(self) -> dict[str, JSONValue]:
        """Return a JSON-safe mapping: parameters, one entry per county and the parts."""
        return {
            "catalogue": self.catalogue.identity(),
            "reference_year": self.reference_year,
            "basic_balance_min_years": self.catalogue.parameters.basic_balance_min_years,
            "counties": list(self.counties),
            "summary": _records(self.summary),
            "conditions": _records(self.conditions),
        }


@attrs.frozen(kw_only=True)
class CountyChecklist:
    """The checklist evaluation of one county: rates, areas, tasks, open items, eligibility."""

    county: str
    """County name."""
    catalogue_id: str
    """Catalogue id."""
    catalogue_version: str
    """Catalogue version."""
    in_progress_weight: float
    """Weight of an in-progress item in ``done(i)`` [fraction]."""
    items_total: int
    """Checklist items in the catalogue (20)."""
    items_selected: int
    """Checklist items the county selected."""
    items_done: float
    """``Σ done(i)`` over the selected items [items]."""
    items_verified: int
    """Selected items verified."""
    rate_all: float | None
    """``items_done / items_selected`` [fraction]; None when nothing is selected."""
    rate_all_20: float
    """``items_done / items_total``; unselected items count as not done [fraction]."""
    verified_rate: float | None
    """``items_verified / items_selected`` [fraction]; None when nothing is selected."""
    basic_tasks_done: int
    """Basic tasks completed or verified (of 4)."""
    areas: tuple[AreaCompletion, ...]
    """The five areas in the notice's order."""
    items: tuple[ItemState, ...]
    """Every entry of the catalogue: conditions, basic tasks, checklist items."""
    eligibility: CountyEligibility
    """Selection conditions and the eligibility verdict."""

    @property
    def basic_tasks(self) -> tuple[ItemState, ...]:
        """The four basic tasks, reported separately from the rates."""
        return tuple(item for item in self.items if item.section == "basic_task")

    @property
    def missing(self) -> tuple[ItemState, ...]:
        """Basic tasks and selected checklist items not completed or verified."""
        return tuple(item for item in self.items if _is_open(item))

    def area(self, key: str) -> AreaCompletion:
        """Return the completion of the area with letter or id ``key``.

        Raises
        ------
        InvalidArgumentError
            With code ``unknown_area``.
        """
        for area in self.areas:
            if key in {area.code, area.area}:
                return area
        allowed = ", ".join(f"{area.code} ({area.area})" for area in self.areas)
        msg = f"{key!r} is not an area; allowed: {allowed}"
        raise InvalidArgumentError(msg, code="unknown_area")

    def item(self, key: str) -> ItemState:
        """Return the state of the entry with code or id ``key``.

        Raises
        ------
        InvalidArgumentError
            With code ``unknown_item``.
        """
        for item in self.items:
            if key in {item.code, item.id}:
                return item
        msg = f"{key!r} is not an entry of catalogue {self.catalogue_id}"
        raise InvalidArgumentError(msg, code="unknown_item")

    def areas_frame(self) -> pd.DataFrame:
        """Return one row per area (the fields of :class:`AreaCompletion`)."""
        return pd.DataFrame([area.to_dict() for area in self.areas])

    def items_frame(self) -> pd.DataFrame:
        """Return one row per catalogue entry (the fields of :class:`ItemState`)."""
        return pd.DataFrame([item.to_dict() for item in self.items])

    def missing_frame(self) -> pd.DataFrame:
        """Return the open basic tasks and selected checklist items, with their texts."""
        columns = [field.name for field in attrs.fields(ItemState)]
        return pd.DataFrame([item.to_dict() for item in self.missing], columns=columns)

    def to_dict(self) -> dict[str, JSONValue]:
        """Return a JSON-safe mapping of the fields."""
        return {field.name: to_jsonable(getattr(self, field.name)) for field in _fields(self)}

    def to_text(self) -> str:
        """Return a readable bilingual report of the county (Chinese labels, English beside)."""
        return "\n".join(_county_lines(self)) + "\n"

    def to_markdown(self) -> str:
        """Return the report as Markdown tables."""
        return "\n".join(_county_markdown(self, level=2)) + "\n"


@attrs.frozen(kw_only=True, repr=False)
class ChecklistEvaluation(Result):
    """Checklist evaluation of every county in a set of records.

    The frames hold all counties; :meth:`county` returns one county as a
    :class:`CountyChecklist`.
    """

    catalogue: ChecklistCatalogue = attrs.field(eq=False, repr=False)
    """The catalogue of the items."""
    catalogue_id: str
    """Catalogue id."""
    catalogue_version: str
    """Catalogue version."""
    in_progress_weight: float
    """Weight of an in-progress item in ``done(i)`` [fraction]."""
    reference_year: int
    """Year of the recommendation, for S2(a) [year]."""
    counties: tuple[str, ...]
    """Counties with at least one record, sorted."""
    records_used: int
    """Records read (all of them; the latest per pair sets the status)."""
    summary: pd.DataFrame = attrs.field(eq=False, repr=False)
    """One row per county: ``county``, ``items_total``, ``items_selected``, ``not_started``,
    ``in_progress``, ``completed``, ``verified``, ``items_done``, ``rate_all``,
    ``rate_all_20``, ``verified_rate``, ``status``, ``basic_tasks_total``,
    ``basic_tasks_done``, ``eligibility``."""
    areas: pd.DataFrame = attrs.field(eq=False, repr=False)
    """One row per county and area (the fields of :class:`AreaCompletion` plus ``county``)."""
    items: pd.DataFrame = attrs.field(eq=False, repr=False)
    """One row per county and catalogue entry (the fields of :class:`ItemState` plus
    ``county``, ``area_code`` and ``status_zh``)."""
    eligibility: EligibilityReport
    """Selection conditions of every county."""
    issues: tuple[Issue, ...] = ()
    """Warnings of the records reader."""

    def county(self, name: str) -> CountyChecklist:
        """Return the evaluation of one county.

        Raises
        ------
        InvalidArgumentError
            With code ``unknown_county`` when the county has no record.
        """
        position = _county_position(name, self.counties)
        row = self.summary.iloc[position]
        areas = _block(self.areas, position, len(self.counties))
        items = _block(self.items, position, len(self.counties))
        return CountyChecklist(
            county=name,
            catalogue_id=self.catalogue_id,
            catalogue_version=self.catalogue_version,
            in_progress_weight=self.in_progress_weight,
            items_total=int(row["items_total"]),
            items_selected=int(row["items_selected"]),
            items_done=float(row["items_done"]),
            items_verified=int(row["verified"]),
            rate_all=_float_or_none(row["rate_all"]),
            rate_all_20=float(row["rate_all_20"]),
            verified_rate=_float_or_none(row["verified_rate"]),
            basic_tasks_done=int(row["basic_tasks_done"]),
            areas=tuple(_area_completion(area) for area in areas),
            items=tuple(_item_state(item) for item in items),
            eligibility=self.eligibility.county(name),
        )

    def summary_frame(self) -> pd.DataFrame:
        """Return a copy of :attr:`summary` (one row per county)."""
        return self.summary.copy()

    def areas_frame(self) -> pd.DataFrame:
        """Return a copy of :attr:`areas` (one row per county and area)."""
        return self.areas.copy()

    def items_frame(self) -> pd.DataFrame:
        """Return a copy of :attr:`items` (one row per county and catalogue entry)."""
        return self.items.copy()

    def basic_tasks_frame(self) -> pd.DataFrame:
        """Return the four basic tasks of every county."""
        return self.items.loc[self.items["section"] == "basic_task"].reset_index(drop=True)

    def missing_frame(self) -> pd.DataFrame:
        """Return the open basic tasks and selected checklist items of every county."""
        items = self.items
        open_rows = (
            items["section"].isin(["basic_task", "checklist"])
            & items["selected"]
            & ~items["status"].isin(list(DONE_STATUSES))
        )
        return items.loc[open_rows].reset_index(drop=True)

    def province_view(
        self,
        counties: Sequence[str] | None = None,
        *,
        province: str | None = None,
        submitted_on: dt.date | str | None = None,
    ) -> ProvinceRecommendation:
        """Return :func:`province_view` of this evaluation."""
        return province_view(self, counties, province=province, submitted_on=submitted_on)

    def _summary(self) -> Summary:
        eligibility = self.summary["eligibility"].value_counts()
        return Summary(
            verdict=None,
            figures=(
                ("catalogue", f"{self.catalogue_id} {self.catalogue_version}"),
                ("counties", self.counties),
                ("records_used", self.records_used),
                *((status, int(eligibility.get(status, 0))) for status in _ELIGIBILITY),
                ("issues", len(self.issues)),
            ),
            full="eduequity.report.render_checklist(result, 'markdown'), or result.to_dict()",
        )

    def to_dict(self) -> dict[str, JSONValue]:
        """Return a JSON-safe mapping of the parameters, the frames and the warnings."""
        return {
            "catalogue": self.catalogue.identity(),
            "in_progress_weight": self.in_progress_weight,
            "reference_year": self.reference_year,
            "counties": list(self.counties),
            "records_used": self.records_used,
            "summary": _records(self.summary),
            "areas": _records(self.areas),
            "items": _records(self.items),
            "eligibility": self.eligibility.to_dict(),
            "issues": [to_jsonable(issue.to_dict()) for issue in self.issues],
        }

    def to_text(self) -> str:
        """Return a readable bilingual report of every county (Chinese labels, English beside)."""
        lines = _header_lines(self)
        for name in self.counties:
            lines.append("")
            lines.extend(_county_lines(self.county(name)))
        if self.issues:
            lines.extend(("", f"提示 Warnings ({len(self.issues)}):"))
            lines.extend(f"  - {issue.render()}" for issue in self.issues)
        return "\n".join(lines) + "\n"

    def to_markdown(self) -> str:
        """Return the report of every county as Markdown."""
        lines = ["# 创建任务完成情况 · Creation checklist", ""]
        lines.extend(f"- {line.strip()}" for line in _header_lines(self)[1:])
        if len(self.counties) > 1:
            lines.extend(("", "## 汇总 · Summary", ""))
            lines.extend(_summary_markdown(self))
        for name in self.counties:
            lines.append("")
            lines.extend(_county_markdown(self.county(name), level=2))
        if self.issues:
            lines.extend(("", "## 提示 · Warnings", ""))
            lines.extend(f"- {_md(issue.render())}" for issue in self.issues)
        return "\n".join(lines) + "\n"


@attrs.frozen(kw_only=True)
class ProvinceRecommendation:
    """A province's list of recommended pioneer counties."""

    province: str | None
    """Province name, when given."""
    catalogue_id: str
    """Catalogue id."""
    counties: tuple[str, ...]
    """The recommended counties, in the order given."""
    count: int
    """How many counties are recommended."""
    count_min: int
    """Fewest counties the notice allows (3)."""
    count_max: int
    """Most counties the notice allows (5)."""
    count_within_range: bool
    """Whether ``count_min <= count <= count_max``; outside → warning
    ``province_count_outside_range`` (the notice says "may", 可)."""
    deadline: dt.date
    """Submission deadline of the batch (2021-12-10)."""
    submitted_on: dt.date | None
    """Submission date, when given."""
    on_time: bool | None
    """``submitted_on <= deadline``; None without a submission date."""
    eligible: tuple[str, ...]
    """Recommended counties that are eligible."""
    not_eligible: tuple[str, ...]
    """Recommended counties that fail a condition (warning ``condition_not_met``)."""
    incomplete: tuple[str, ...]
    """Recommended counties whose eligibility cannot be decided yet."""
    frame: pd.DataFrame = attrs.field(eq=False, repr=False)
    """One row per recommended county: the eligibility summary columns."""
    issues: tuple[Issue, ...] = ()
    """Warnings: ``province_count_outside_range``, ``condition_not_met``."""

    def to_dict(self) -> dict[str, JSONValue]:
        """Return a JSON-safe mapping of the fields."""
        result = {
            field.name: to_jsonable(getattr(self, field.name))
            for field in _fields(self)
            if field.name not in {"frame", "issues"}
        }
        result["frame"] = _records(self.frame)
        result["issues"] = [to_jsonable(issue.to_dict()) for issue in self.issues]
        return result

    def to_text(self) -> str:
        """Return a readable bilingual summary of the list."""
        where = self.province or "省份 province"
        rng = f"{self.count_min}–{self.count_max}"
        flag = "符合 within" if self.count_within_range else "超出 outside"
        lines = [
            f"{where}: 推荐先行创建县 Recommended pioneer counties ({self.catalogue_id})",
            f"  数量 count: {self.count} ({flag} {rng})",
            f"  报送截止 deadline: {self.deadline.isoformat()}"
            + (
                ""
                if self.submitted_on is None
                else f"; 报送日期 submitted {self.submitted_on.isoformat()}"
                f" ({'按时 on time' if self.on_time else '逾期 late'})"
            ),
        ]
        for _, row in self.frame.iterrows():
            label = ELIGIBILITY_LABELS[row["status"]]
            lines.append(f"  - {row['county']}: {label} {row['status']}")
            if row["reasons"]:
                lines.extend(f"      {reason}" for reason in str(row["reasons"]).split(" | "))
        if self.issues:
            lines.append("  提示 Warnings:")
            lines.extend(f"    - {issue.render()}" for issue in self.issues)
        return "\n".join(lines) + "\n"

    def to_markdown(self) -> str:
        """Return the summary as Markdown."""
        where = self.province or "省份 province"
        lines = [
            f"## {_md(where)}: 推荐先行创建县 · Recommended pioneer counties",
            "",
            f"- 数量 count: {self.count} (允许 allowed {self.count_min}–{self.count_max})",
            f"- 报送截止 deadline: {self.deadline.isoformat()}",
        ]
        if self.submitted_on is not None:
            lines.append(
                f"- 报送日期 submitted: {self.submitted_on.isoformat()} "
                f"({'按时 on time' if self.on_time else '逾期 late'})"
            )
        lines.extend(
            (
                "",
                "| 县（市、区） County | 遴选条件 Eligibility | 说明 Reasons |",
                "|---|---|---|",
            )
        )
        for _, row in self.frame.iterrows():
            label = f"{ELIGIBILITY_LABELS[row['status']]} {row['status']}"
            lines.append(f"| {_md(row['county'])} | {label} | {_md(row['reasons'] or '')} |")
        if self.issues:
            lines.append("")
            lines.extend(f"- {_md(issue.render())}" for issue in self.issues)
        return "\n".join(lines) + "\n"


# ======================================================================================
# small conversions


def _fields(instance: Any) -> tuple[attrs.Attribute[Any], ...]:  # noqa: ANN401 - any attrs class
    return tuple(attrs.fields(type(instance)))


def _text_or_none(value: object) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return str(value)


def _bool_or_none(value: object) -> bool | None:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return bool(value)


def _float_or_none(value: object) -> float | None:
    if value is None or value is pd.NA:
        return None
    number = float(value)  # type: ignore[arg-type]
    return None if math.isnan(number) else number


def _int_or_none(value: object) -> int | None:
    number = _float_or_none(value)
    return None if number is None else int(number)


def _date_or_none(value: object) -> dt.date | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    stamp = pd.Timestamp(value)  # type: ignore[arg-type]
    return None if pd.isna(stamp) else stamp.date()


def _records(frame: pd.DataFrame) -> JSONValue:
    """Return a frame as JSON-safe records: NA → None, timestamps → ISO dates."""
    converted = frame.copy()
    for name in converted.columns:
        column = converted[name]
        if pd.api.types.is_datetime64_any_dtype(column.dtype):
            converted[name] = pd.Series(
                [
                    None if pd.isna(value) else pd.Timestamp(value).date().isoformat()
                    for value in column
                ],
                index=column.index,
                dtype=object,
            )
    converted = converted.astype(object)
    converted = converted.where(converted.notna(), None)
    return to_jsonable(converted.reset_index(drop=True))


def _county_position(name: str, counties: tuple[str, ...]) -> int:
    """Return the position of ``name`` in the sorted ``counties``, or raise naming it."""
    candidate: object = name
    if not isinstance(candidate, str):
        msg = f"county must be a name (str), got {type(candidate).__name__}"
        raise InvalidTypeError(msg, code="invalid_argument")
    position = bisect.bisect_left(counties, name)
    if position < len(counties) and counties[position] == name:
        return position
    shown = ", ".join(counties[:_MAX_LISTED])
    more = f" and {len(counties) - _MAX_LISTED} more" if len(counties) > _MAX_LISTED else ""
    msg = f"county {name!r} has no checklist record; counties: {shown or 'none'}{more}"
    raise InvalidArgumentError(msg, code="unknown_county")


def _block(frame: pd.DataFrame, position: int, counties: int) -> list[dict[str, Any]]:
    """Return the rows of the county at ``position`` (equal blocks per county, in order)."""
    size = len(frame) // counties
    rows = frame.iloc[position * size : (position + 1) * size].to_dict("records")
    return [{str(key): value for key, value in row.items()} for row in rows]


def _is_open(item: ItemState) -> bool:
    return item.section != "condition" and item.selected and not item.is_done


def _area_completion(row: Mapping[str, Any]) -> AreaCompletion:
    return AreaCompletion(
        area=str(row["area"]),
        code=str(row["area_code"]),
        title_zh=str(row["title_zh"]),
        title_en=str(row["title_en"]),
        items=int(row["items"]),
        selected=int(row["selected"]),
        not_started=int(row["not_started"]),
        in_progress=int(row["in_progress"]),
        completed=int(row["completed"]),
        verified=int(row["verified"]),
        done=float(row["done"]),
        rate=_float_or_none(row["rate"]),
        verified_rate=_float_or_none(row["verified_rate"]),
        status=row["status"],
    )


def _item_state(row: Mapping[str, Any]) -> ItemState:
    return ItemState(
        code=str(row["code"]),
        id=str(row["item_id"]),
        section=row["section"],
        area=_text_or_none(row["area"]),
        kind=_text_or_none(row["kind"]),  # type: ignore[arg-type]
        text_zh=str(row["text_zh"]),
        text_en=str(row["text_en"]),
        status=_text_or_none(row["status"]),
        selected=bool(row["selected"]),
        done=float(row["done"]),
        records=int(row["records"]),
        updated_at=_date_or_none(row["updated_at"]),
        evidence=_text_or_none(row["evidence"]),
        evidence_ref=_text_or_none(row["evidence_ref"]),
        evidence_date=_date_or_none(row["evidence_date"]),
        responsible_unit=_text_or_none(row["responsible_unit"]),
        note=_text_or_none(row["note"]),
    )


# ======================================================================================
# inputs


def _as_records(
    records: ChecklistRecords | RecordsSource, catalogue: ChecklistCatalogue
) -> ChecklistRecords:
    catalogue = require_catalogue(catalogue)
    if isinstance(records, ChecklistRecords):
        if records.catalogue_id != catalogue.id:
            msg = (
                f"the records belong to catalogue {records.catalogue_id!r}, "
                f"not {catalogue.id!r}; pass catalogue= to match"
            )
            raise InvalidArgumentError(msg, code="catalogue_mismatch")
        return records
    return read_checklist_records(records, catalogue=catalogue)


def _check_weight(in_progress_weight: float) -> float:
    try:
        weight = float(in_progress_weight)
    except (TypeError, ValueError) as error:
        msg = f"in_progress_weight must be a number in [0, 1], got {in_progress_weight!r}"
        raise InvalidTypeError(msg, code="invalid_argument") from error
    if isinstance(in_progress_weight, bool) or not 0.0 <= weight <= 1.0:
        msg = f"in_progress_weight must be a number in [0, 1], got {in_progress_weight!r}"
        raise InvalidArgumentError(msg, code="invalid_argument")
    return weight


def _check_year(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        msg = f"{name} must be a four-digit year (int), got {value!r}"
        raise InvalidArgumentError(msg, code="invalid_argument")
    year = int(value)
    if not 1000 <= year <= 9999:  # noqa: PLR2004 - four digits
        msg = f"{name} must be a four-digit year, got {year}"
        raise InvalidArgumentError(msg, code="invalid_argument")
    return year


def _year_values(values: pd.Series, where: str) -> pd.Series:
    """Years as float (NaN unknown); non-numbers or non-years raise, naming the county."""
    numbers = pd.to_numeric(values.astype(object), errors="coerce").astype("float64")
    given = values.astype(object).notna().to_numpy() & ~values.astype(object).isin(["", " "])
    invalid = given & (numbers.isna().to_numpy() | ~np.isin(numbers.to_numpy() % 1, [0.0]))
    invalid |= numbers.notna().to_numpy() & ((numbers < 1000) | (numbers > 9999)).to_numpy()  # noqa: PLR2004 - four digits
    if invalid.any():
        shown = "; ".join(
            f"county {county}: {value!r}"
            for county, value in list(zip(values.index, values.tolist(), strict=True))[:10]
            if county in set(values.index[invalid])
        )
        msg = f"{where}: not a four-digit year for {shown}"
        raise InvalidValueError(msg, code="not_a_number")
    return numbers


def _recognition_years(source: object) -> tuple[pd.Series, pd.DataFrame]:
    """County → recognition year (float, NaN unknown) and the supporting values."""
    support_columns = ["teacher_salary_parity", "social_recognition"]
    empty_support = pd.DataFrame(columns=support_columns, dtype="float64")
    if source is None:
        return pd.Series(dtype="float64"), empty_support
    if isinstance(source, LoadedTable):
        source = source.frame
    if isinstance(source, pd.DataFrame):
        return _years_from_frame(source, support_columns)
    if isinstance(source, pd.Series):
        series = source.copy()
    elif isinstance(source, Mapping):
        series = pd.Series(dict(source), dtype=object)
    else:
        msg = (
            "basic_balance_years must be a mapping county → year, a Series, or a frame with "
            f"columns county and basic_balance_recognition_year; got {type(source).__name__}"
        )
        raise InvalidTypeError(msg, code="invalid_argument")
    series.index = pd.Index([str(key) for key in series.index], dtype=object)
    if series.index.has_duplicates:
        duplicated = sorted(set(series.index[series.index.duplicated()]))
        msg = f"basic_balance_years names counties twice: {', '.join(duplicated)}"
        raise InvalidValueError(msg, code="year_inconsistent")
    return _year_values(series, "basic_balance_years"), empty_support


def _years_from_frame(
    frame: pd.DataFrame, support_columns: list[str]
) -> tuple[pd.Series, pd.DataFrame]:
    needed = ["county", "basic_balance_recognition_year"]
    absent = [name for name in needed if name not in frame.columns]
    if absent:
        msg = (
            f"basic_balance_years frame lacks column(s) {', '.join(absent)}; expected county "
            "facts with county and basic_balance_recognition_year"
        )
        raise InvalidArgumentError(msg, code="missing_required_column")
    county = frame["county"].astype(object).map(str)
    years = _year_values(
        pd.Series(frame["basic_balance_recognition_year"].to_numpy(), index=county, dtype=object),
        "basic_balance_years column basic_balance_recognition_year",
    )
    table = pd.DataFrame({"county": county.to_numpy(), "year": years.to_numpy()})
    distinct = table.dropna().groupby("county")["year"].nunique()
    conflicting = distinct[distinct > 1]
    if len(conflicting):
        parts = table.dropna().groupby("county")["year"].unique()
        shown = "; ".join(
            f"{name}: {', '.join(str(int(year)) for year in sorted(parts[name]))}"
            for name in conflicting.index[:10]
        )
        msg = f"basic_balance_years frame gives several recognition years for a county: {shown}"
        raise InvalidValueError(msg, code="year_inconsistent")
    recognised = table.dropna().drop_duplicates("county").set_index("county")["year"]
    ordered = frame.assign(_county=county.to_numpy())
    if "year" in ordered.columns:
        ordered = ordered.sort_values("year", kind="mergesort", na_position="first")
    present = [name for name in support_columns if name in ordered.columns]
    support = (
        ordered.groupby("_county")[present].last().astype("float64")
        if present
        else pd.DataFrame(index=pd.Index([], dtype=object))
    )
    support = support.reindex(columns=support_columns)
    return recognised, support


# ======================================================================================
# computation


def _grid(records: ChecklistRecords, catalogue: ChecklistCatalogue, weight: float) -> pd.DataFrame:
    """One row per county and catalogue entry, with the latest record and ``done``."""
    latest = latest_records(records.frame)
    counties = sorted({str(name) for name in latest["county"].tolist()})
    entries = catalogue.to_frame().rename(columns={"id": "item_id"})
    entries = entries.astype({name: object for name in entries.columns if name != "order"})
    keys = pd.DataFrame(
        {
            "county": pd.Series(np.repeat(counties, len(entries)), dtype=object),
            "item_id": pd.Series(
                np.tile(entries["item_id"].to_numpy(), len(counties)), dtype=object
            ),
        }
    )
    grid = keys.merge(entries, on="item_id", how="left", sort=False)
    grid = grid.merge(latest, on=["county", "item_id"], how="left", sort=False)
    checklist = (grid["section"] == "checklist").to_numpy()
    given = grid["selected"].astype(object)
    selected = given.where(given.notna(), other=True).astype(bool).to_numpy() | ~checklist
    status = grid["status"].astype(object)
    done = np.select(
        [status.isin(list(DONE_STATUSES)).to_numpy(), (status == "in_progress").to_numpy()],
        [1.0, weight],
        0.0,
    )
    grid = grid.assign(
        selected=selected,
        status=status.where(status.notna(), other=None),
        status_zh=status.map(lambda value: STATUS_LABELS.get(value) if value else None).astype(
            object
        ),
        done=done,
        records=grid["records"].fillna(0).astype("int64"),
    )
    columns = [
        "county",
        "section",
        "code",
        "item_id",
        "area",
        "area_code",
        "kind",
        "text_zh",
        "text_en",
        "status",
        "status_zh",
        "selected",
        "done",
        "records",
        "updated_at",
        "evidence",
        "evidence_ref",
        "evidence_date",
        "responsible_unit",
        "note",
    ]
    grid = grid.loc[:, columns]
    texts = [name for name in columns if grid[name].dtype == object]
    grid[texts] = grid[texts].astype(object).where(grid[texts].notna(), None)
    return grid


def _status_counts(rows: pd.DataFrame) -> pd.DataFrame:
    """Per-row indicator columns over selected items (not started includes no record)."""
    selected = rows["selected"].to_numpy(dtype=np.bool_)
    status = rows["status"]
    started = status.isin(["in_progress", *DONE_STATUSES]).to_numpy()
    return pd.DataFrame(
        {
            "items": np.ones(len(rows), dtype=np.int64),
            "selected": selected.astype(np.int64),
            "not_started": (selected & ~started).astype(np.int64),
            "in_progress": (selected & (status == "in_progress").to_numpy()).astype(np.int64),
            "completed": (selected & (status == "completed").to_numpy()).astype(np.int64),
            "verified": (selected & (status == "verified").to_numpy()).astype(np.int64),
        },
        index=rows.index,
    )


def _rates(counts: pd.DataFrame, weight: float, total: int | None = None) -> pd.DataFrame:
    """Add ``done``, ``rate``, ``verified_rate`` (and ``rate_all_20``) to summed counts."""
    done = (counts["completed"] + counts["verified"]).astype("float64") + weight * counts[
        "in_progress"
    ].astype("float64")
    selected = counts["selected"].astype("float64")
    has = selected > 0
    result = counts.assign(
        done=done,
        rate=np.where(has, done / selected.where(has, 1.0), np.nan),
        verified_rate=np.where(has, counts["verified"] / selected.where(has, 1.0), np.nan),
        status=np.where(has, "ok", "not_applicable"),
    )
    if total is not None:
        result = result.assign(rate_all_20=done / float(total))
    return result


def _area_frame(grid: pd.DataFrame, catalogue: ChecklistCatalogue, weight: float) -> pd.DataFrame:
    rows = grid.loc[grid["section"] == "checklist"]
    counts = _status_counts(rows).assign(county=rows["county"], area=rows["area"])
    summed = counts.groupby(["county", "area"], sort=False).sum().reset_index()
    areas = {area.id: area for area in catalogue.areas}
    result = _rates(summed, weight).assign(
        area_code=summed["area"].map(lambda key: areas[key].code),
        title_zh=summed["area"].map(lambda key: areas[key].title_zh),
        title_en=summed["area"].map(lambda key: areas[key].title_en),
    )
    columns = [
        "county",
        "area",
        "area_code",
        "title_zh",
        "title_en",
        "items",
        "selected",
        *_COUNT_COLUMNS,
        "done",
        "rate",
        "verified_rate",
        "status",
    ]
    return result.loc[:, columns].astype(
        {"area_code": object, "title_zh": object, "title_en": object}
    )


def _summary_frame(
    grid: pd.DataFrame, catalogue: ChecklistCatalogue, weight: float, counties: list[str]
) -> pd.DataFrame:
    rows = grid.loc[grid["section"] == "checklist"]
    counts = _status_counts(rows).assign(county=rows["county"])
    summed = counts.groupby("county", sort=False).sum()
    total = len(catalogue.tough_items)
    result = _rates(summed, weight, total).rename(
        columns={
            "items": "items_total",
            "selected": "items_selected",
            "done": "items_done",
            "rate": "rate_all",
        }
    )
    tasks = grid.loc[grid["section"] == "basic_task"]
    tasks_done = (
        tasks.assign(_done=tasks["status"].isin(list(DONE_STATUSES)).astype(np.int64))
        .groupby("county", sort=False)["_done"]
        .sum()
    )
    result = result.assign(
        basic_tasks_total=len(catalogue.basic_tasks),
        basic_tasks_done=tasks_done.reindex(result.index, fill_value=0).astype(np.int64),
    )
    result = result.reindex(pd.Index(counties, dtype=object, name="county")).reset_index()
    columns = [
        "county",
        "items_total",
        "items_selected",
        *_COUNT_COLUMNS,
        "items_done",
        "rate_all",
        "rate_all_20",
        "verified_rate",
        "status",
        "basic_tasks_total",
        "basic_tasks_done",
    ]
    return result.loc[:, columns]


def _record_part_detail(part: str, condition_id: str, status: str | None, met: bool | None) -> str:
    if met is None:
        return f"{part} {condition_id}: {_NO_RECORD}; declare it with evidence — 待补充 unknown"
    label = f"{status} ({STATUS_LABELS.get(str(status), '?')})"
    if met:
        return f"{part} {condition_id}: {label} — 满足 met"
    return f"{part} {condition_id}: {label}; completed or verified needed — 不满足 not met"


def _years_detail(year: float, reference: int, minimum: int) -> str:
    if math.isnan(year):
        return (
            "S2(a) basic_balance_recognition: 基本均衡认定年份未知 recognition year unknown; "
            "give basic_balance_years — 待补充 unknown"
        )
    gap = reference - int(year)
    years = "year" if abs(gap) == 1 else "years"
    if gap >= minimum:
        return (
            f"S2(a) basic_balance_recognition: 认定于 recognised in {int(year)}, {gap} {years} "
            f"before {reference} (at least {minimum} needed) — 满足 met"
        )
    return (
        f"S2(a) basic_balance_recognition: 认定于 recognised in {int(year)}, {gap} {years} "
        f"before {reference}; at least {minimum} needed — 不满足 not met"
    )


def _eligibility(
    grid: pd.DataFrame,
    *,
    catalogue: ChecklistCatalogue,
    counties: list[str],
    reference_year: int,
    years: pd.Series,
    support: pd.DataFrame,
) -> EligibilityReport:
    minimum = catalogue.parameters.basic_balance_min_years
    rows = grid.loc[grid["section"] == "condition"]
    status = rows["status"]
    has_record = rows["records"].to_numpy() > 0
    done = status.isin(list(DONE_STATUSES)).to_numpy()
    met_record = pd.array(done & has_record, dtype="boolean")
    met_record[~has_record] = pd.NA
    part_names = np.where(rows["code"].to_numpy() == "S2", "S2(b)", rows["code"].to_numpy())
    record_parts = pd.DataFrame(
        {
            "county": rows["county"].to_numpy(),
            "code": rows["code"].to_numpy(),
            "part": part_names,
            "id": rows["item_id"].to_numpy(),
            "basis": "record",
            "met": met_record,
            "status": status.to_numpy(),
        }
    )
    record_parts["detail"] = [
        _record_part_detail(part, ident, state, _bool_or_none(flag))
        for part, ident, state, flag in zip(
            record_parts["part"],
            record_parts["id"],
            record_parts["status"],
            met_record,
            strict=True,
        )
    ]
    recognised = years.reindex(pd.Index(counties, dtype=object)).to_numpy(dtype=np.float64)
    gap = reference_year - recognised
    with np.errstate(invalid="ignore"):
        met_years = pd.array(gap >= minimum, dtype="boolean")
    met_years[np.isnan(recognised)] = pd.NA
    s2 = catalogue.item("S2")
    year_parts = pd.DataFrame(
        {
            "county": pd.Series(counties, dtype=object),
            "code": s2.code,
            "part": "S2(a)",
            "id": s2.id,
            "basis": "recognition_year",
            "met": met_years,
            "status": pd.Series([None] * len(counties), dtype=object),
            "detail": [_years_detail(value, reference_year, minimum) for value in recognised],
        }
    )
    parts = pd.concat([record_parts, year_parts], ignore_index=True)
    parts = parts.assign(_order=parts["part"].map(_PARTS.index))
    county_order = {name: position for position, name in enumerate(counties)}
    parts = parts.assign(_county=parts["county"].map(county_order))
    parts = parts.sort_values(["_county", "_order"], kind="mergesort").drop(
        columns=["_order", "_county"]
    )
    parts = parts.reset_index(drop=True).astype(
        {
            "county": object,
            "code": object,
            "part": object,
            "id": object,
            "basis": object,
            "status": object,
            "detail": object,
        }
    )
    met = parts["met"]
    tallies = (
        pd.DataFrame(
            {
                "county": parts["county"],
                "parts_met": met.eq(other=True).fillna(value=False).astype(np.int64),
                "parts_not_met": met.eq(other=False).fillna(value=False).astype(np.int64),
                "parts_unknown": met.isna().astype(np.int64),
            }
        )
        .groupby("county", sort=False)
        .sum()
    )
    open_parts = parts.loc[met.ne(other=True).fillna(value=True)]
    reasons = open_parts.groupby("county", sort=False)["detail"].agg(" | ".join)
    tallies = tallies.reindex(pd.Index(counties, dtype=object, name="county"))
    verdict = np.select(
        [tallies["parts_not_met"].to_numpy() > 0, tallies["parts_unknown"].to_numpy() > 0],
        ["not_eligible", "incomplete"],
        "eligible",
    )
    support = support.reindex(pd.Index(counties, dtype=object))
    summary = pd.DataFrame(
        {
            "county": pd.Series(counties, dtype=object),
            "status": pd.Series(verdict, dtype=object),
            "status_zh": pd.Series([ELIGIBILITY_LABELS[v] for v in verdict], dtype=object),
            "basic_balance_recognition_year": pd.array(
                np.where(np.isnan(recognised), 0, recognised).astype(np.int64), dtype="Int64"
            ),
            "years_since_recognition": pd.array(
                np.where(np.isnan(recognised), 0, gap).astype(np.int64), dtype="Int64"
            ),
            "parts_met": tallies["parts_met"].to_numpy(),
            "parts_not_met": tallies["parts_not_met"].to_numpy(),
            "parts_unknown": tallies["parts_unknown"].to_numpy(),
            "reasons": pd.Series(
                reasons.reindex(pd.Index(counties, dtype=object)).fillna("").to_numpy(),
                dtype=object,
            ),
            "teacher_salary_parity": support["teacher_salary_parity"].to_numpy(dtype=np.float64),
            "social_recognition": support["social_recognition"].to_numpy(dtype=np.float64),
        }
    )
    unknown_year = np.isnan(recognised)
    summary.loc[unknown_year, "basic_balance_recognition_year"] = pd.NA
    summary.loc[unknown_year, "years_since_recognition"] = pd.NA
    return EligibilityReport(
        catalogue=catalogue,
        reference_year=reference_year,
        counties=tuple(counties),
        summary=summary,
        conditions=parts,
    )


def _prepare(
    records: ChecklistRecords | RecordsSource,
    catalogue: ChecklistCatalogue,
    reference_year: int | None,
    weight: float,
) -> tuple[ChecklistRecords, pd.DataFrame, list[str], int]:
    data = _as_records(records, catalogue)
    year = (
        catalogue.parameters.first_batch_reference_year
        if reference_year is None
        else _check_year(reference_year, "reference_year")
    )
    grid = _grid(data, catalogue, weight)
    counties = sorted({str(name) for name in grid["county"].tolist()})
    if not counties:
        warnings.warn(
            "no checklist records: the evaluation covers no county",
            DegenerateDataWarning,
            stacklevel=3,
        )
    return data, grid, counties, year


def check_eligibility(
    records: ChecklistRecords | RecordsSource,
    *,
    catalogue: ChecklistCatalogue = CREATION_CHECKLIST_2021,
    reference_year: int | None = None,
    basic_balance_years: RecognitionYears = None,
) -> EligibilityReport:
    r"""Check the selection conditions S1–S3 of every county.

    Parameters
    ----------
    records
        :class:`~eduequity.checklist.ChecklistRecords`, or anything
        :func:`~eduequity.checklist.read_checklist_records` reads.
    catalogue
        The catalogue of the items.
    reference_year
        Year of the recommendation; the catalogue's first-batch year (2021) by default.
    basic_balance_years
        Recognition years of the national basic-balance assessment (see
        :data:`RecognitionYears`); a county-facts frame may also supply the supporting values
        ``teacher_salary_parity`` (G8) and ``social_recognition`` (latest ``year``).

    Returns
    -------
    EligibilityReport
        ``eligible`` / ``not_eligible`` / ``incomplete`` per county, with every part and its
        explanation.

    Raises
    ------
    InputError
        When ``records`` must be read and holds errors.
    InvalidValueError
        With code ``not_a_number`` for a recognition year that is no four-digit year, or
        ``year_inconsistent`` for a county given two different years.

    Notes
    -----
    .. math::

        \text{S2(a)} \iff \text{reference\_year} - \text{recognition\_year} \ge 3

    The 3 years are the catalogue parameter ``basic_balance_min_years`` (二、遴选要求 2).

    Examples
    --------
    >>> from eduequity.checklist import check_eligibility
    >>> records = [{"county": c, "item_id": s, "status": "completed", "evidence": "报告"}
    ...            for c in ("荣成市", "乙县") for s in ("S1", "S2", "S3")]
    >>> report = check_eligibility(records, basic_balance_years={"荣成市": 2013, "乙县": 2019})
    >>> report.county("荣成市").status, report.county("乙县").status
    ('eligible', 'not_eligible')
    >>> print(report.county("乙县").reasons[0])
    S2(a) basic_balance_recognition: 认定于 recognised in 2019, 2 years before 2021;
    at least 3 needed — 不满足 not met
    """
    data, grid, counties, year = _prepare(records, catalogue, reference_year, 0.0)
    del data
    years, support = _recognition_years(basic_balance_years)
    return _eligibility(
        grid,
        catalogue=catalogue,
        counties=counties,
        reference_year=year,
        years=years,
        support=support,
    )


def evaluate_checklist(
    records: ChecklistRecords | RecordsSource,
    *,
    catalogue: ChecklistCatalogue = CREATION_CHECKLIST_2021,
    in_progress_weight: float = 0.0,
    reference_year: int | None = None,
    basic_balance_years: RecognitionYears = None,
) -> ChecklistEvaluation:
    """Evaluate the creation checklist of every county.

    Parameters
    ----------
    records
        :class:`~eduequity.checklist.ChecklistRecords`, or anything
        :func:`~eduequity.checklist.read_checklist_records` reads (data frame, CSV, Excel
        or JSON path, list of records).
    catalogue
        The catalogue of the items.
    in_progress_weight
        Weight ``w`` of an in-progress item in ``done(i)``, in [0, 1]; 0 by default,
        e.g. 0.5.
    reference_year
        Year of the recommendation, for S2(a); 2021 (the first batch) by default.
    basic_balance_years
        Basic-balance recognition years per county, for S2(a) (see :data:`RecognitionYears`).

    Returns
    -------
    ChecklistEvaluation
        Rates per county and area, the item states, open items, basic tasks and eligibility.

    Raises
    ------
    InputError
        When ``records`` must be read and holds errors.
    InvalidArgumentError
        For ``in_progress_weight`` outside [0, 1], a bad ``reference_year`` or records of
        another catalogue.

    Warns
    -----
    DegenerateDataWarning
        When there are no records at all (the result covers no county).

    Notes
    -----
    See the module notes for the formulas. The current status of a pair is that of its
    latest record (greatest ``updated_at``). ``selected`` is the latest value given for the
    pair, true when never given; an entry without any record counts as not started.

    Examples
    --------
    >>> from eduequity.checklist import CREATION_CHECKLIST_2021, evaluate_checklist
    >>> records = [{"county": "丙区", "item_id": item.code, "status": "completed",
    ...             "evidence": "总结"} for item in CREATION_CHECKLIST_2021.tough_items]
    >>> records.append({"county": "丙区", "item_id": "E2", "selected": False,
    ...                 "status": "not_started", "updated_at": "2022-01-05"})
    >>> records[-2]["updated_at"] = "2021-12-01"
    >>> result = evaluate_checklist(records)
    >>> row = result.summary_frame().iloc[0]
    >>> int(row["items_selected"]), float(row["rate_all"]), float(row["rate_all_20"])
    (19, 1.0, 0.95)
    >>> area = result.county("丙区").area("E")
    >>> area.selected, area.rate
    (1, 1.0)
    """
    weight = _check_weight(in_progress_weight)
    data, grid, counties, year = _prepare(records, catalogue, reference_year, weight)
    years, support = _recognition_years(basic_balance_years)
    eligibility = _eligibility(
        grid,
        catalogue=catalogue,
        counties=counties,
        reference_year=year,
        years=years,
        support=support,
    )
    summary = _summary_frame(grid, catalogue, weight, counties)
    summary = summary.assign(eligibility=eligibility.summary["status"].to_numpy())
    return ChecklistEvaluation(
        catalogue=catalogue,
        catalogue_id=catalogue.id,
        catalogue_version=catalogue.version,
        in_progress_weight=weight,
        reference_year=year,
        counties=tuple(counties),
        records_used=len(data),
        summary=summary,
        areas=_area_frame(grid, catalogue, weight),
        items=grid,
        eligibility=eligibility,
        issues=data.issues,
    )


def province_view(
    evaluation: ChecklistEvaluation | EligibilityReport,
    counties: Sequence[str] | None = None,
    *,
    province: str | None = None,
    submitted_on: dt.date | str | None = None,
) -> ProvinceRecommendation:
    """Check a province's list of recommended pioneer counties.

    Parameters
    ----------
    evaluation
        A :class:`ChecklistEvaluation` or an :class:`EligibilityReport`.
    counties
        The recommended counties; all counties of ``evaluation`` by default.
    province
        Province name, for display.
    submitted_on
        Date the recommendation forms were sent, checked against the catalogue's deadline
        (2021-12-10 for the first batch).

    Returns
    -------
    ProvinceRecommendation
        The count check, each county's eligibility and the deadline.

    Raises
    ------
    InvalidArgumentError
        When a county is named twice or has no record.

    Warns
    -----
    DataQualityWarning
        ``province_count_outside_range`` when fewer than 3 or more than 5 counties are
        recommended (the notice says "may", so this is not an error), and
        ``condition_not_met`` when a recommended county fails a selection condition.

    Examples
    --------
    >>> import warnings
    >>> from eduequity.checklist import check_eligibility, province_view
    >>> records = [{"county": c, "item_id": s, "status": "verified", "evidence": "报告"}
    ...            for c in ("甲县", "乙县", "丙县") for s in ("S1", "S2", "S3")]
    >>> report = check_eligibility(records, basic_balance_years={"甲县": 2014, "乙县": 2015,
    ...                                                          "丙县": 2018})
    >>> view = province_view(report, province="某省", submitted_on="2021-12-08")
    >>> view.count, view.count_within_range, view.on_time, sorted(view.eligible)
    (3, True, True, ['丙县', '乙县', '甲县'])
    """
    candidate: object = evaluation
    if isinstance(candidate, ChecklistEvaluation):
        report = candidate.eligibility
    elif isinstance(candidate, EligibilityReport):
        report = candidate
    else:
        msg = (
            "evaluation must be a ChecklistEvaluation or an EligibilityReport, got "
            f"{type(evaluation).__name__}"
        )
        raise InvalidTypeError(msg, code="invalid_argument")
    chosen = list(report.counties if counties is None else counties)
    if isinstance(counties, str):
        msg = "counties must be a list of county names, not one string"
        raise InvalidTypeError(msg, code="invalid_argument")
    repeated = sorted({name for name in chosen if chosen.count(name) > 1})
    if repeated:
        msg = f"counties names {', '.join(repeated)} more than once"
        raise InvalidArgumentError(msg, code="invalid_argument")
    unknown = [name for name in chosen if name not in report.counties]
    if unknown:
        msg = (
            f"recommended count(ies) {', '.join(unknown)} have no checklist record; "
            "evaluate their records first"
        )
        raise InvalidArgumentError(msg, code="unknown_county")
    parameters = report.catalogue.parameters
    frame = (
        report.summary.set_index("county").loc[chosen].reset_index()
        if chosen
        else report.summary.iloc[0:0]
    )
    low, high = parameters.province_count_range
    issues: list[Issue] = []
    where = province or "the province"
    if not low <= len(chosen) <= high:
        issues.append(
            Issue(
                code="province_count_outside_range",
                message=(
                    f"{where} recommends {len(chosen)} counties; the notice allows {low}–{high} "
                    "per province in the first batch (可遴选推荐3—5个)"
                ),
                severity="warning",
                table="province",
                key=None if province is None else f"province={province}",
            )
        )
    status = frame["status"].to_numpy() if len(frame) else np.array([], dtype=object)
    names = frame["county"].to_numpy() if len(frame) else np.array([], dtype=object)
    for name, reasons in zip(
        names[status == "not_eligible"],
        frame["reasons"].to_numpy()[status == "not_eligible"] if len(frame) else [],
        strict=True,
    ):
        issues.append(
            Issue(
                code="condition_not_met",
                message=f"recommended county {name} fails a selection condition: {reasons}",
                severity="warning",
                table="province",
                key=f"county={name}",
            )
        )
    _warn(issues)
    submitted = _submission_date(submitted_on)
    return ProvinceRecommendation(
        province=province,
        catalogue_id=report.catalogue.id,
        counties=tuple(chosen),
        count=len(chosen),
        count_min=low,
        count_max=high,
        count_within_range=low <= len(chosen) <= high,
        deadline=parameters.first_batch_deadline,
        submitted_on=submitted,
        on_time=None if submitted is None else submitted <= parameters.first_batch_deadline,
        eligible=tuple(names[status == "eligible"].tolist()),
        not_eligible=tuple(names[status == "not_eligible"].tolist()),
        incomplete=tuple(names[status == "incomplete"].tolist()),
        frame=frame,
        issues=tuple(issues),
    )


def _submission_date(value: dt.date | str | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value.date() if isinstance(value, dt.datetime) else value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError as error:
        msg = f"submitted_on={value!r} is not a date; expected YYYY-MM-DD"
        raise InvalidArgumentError(msg, code="invalid_argument") from error


def _warn(issues: Iterable[Issue]) -> None:
    by_code: dict[str, list[str]] = {}
    for issue in issues:
        by_code.setdefault(issue.code, []).append(issue.message)
    for code, messages in by_code.items():
        warnings.warn(f"[{code}] " + "; ".join(messages), DataQualityWarning, stacklevel=3)


# ======================================================================================
# rendering


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.3f}".rstrip("0")


def _rate(value: float | None) -> str:
    return "— (n/a)" if value is None else f"{value:.3f}"


def _status_text(status: str | None) -> str:
    return _NO_RECORD if status is None else f"{STATUS_LABELS[status]} {status}"


def _short_en(item: ItemState) -> str:
    """Return the English paraphrase; for a basic task only its title (before the colon)."""
    return item.text_en.split(":", 1)[0] if item.section == "basic_task" else item.text_en


def _header_lines(evaluation: ChecklistEvaluation) -> list[str]:
    source = evaluation.catalogue.source
    return [
        "创建任务完成情况 · Creation checklist evaluation",
        f"  清单 catalogue: {evaluation.catalogue_id} (version {evaluation.catalogue_version})",
        f"  依据 source: {source.render()}",
        (
            f"  进行中权重 in-progress weight: {_number(evaluation.in_progress_weight)}; "
            f"参考年度 reference year: {evaluation.reference_year}"
        ),
        f"  县数 counties: {len(evaluation.counties)}; 记录数 records: {evaluation.records_used}",
    ]


def _county_lines(county: CountyChecklist) -> list[str]:
    eligibility = county.eligibility
    lines = [
        f"== {county.county} ==",
        (
            f"遴选条件 Selection conditions: {ELIGIBILITY_LABELS[eligibility.status]} "
            f"{eligibility.status}"
        ),
    ]
    lines.extend(f"  {check.detail}" for check in eligibility.conditions)
    support = []
    if eligibility.teacher_salary_parity is not None:
        support.append(
            f"教师工资比 teacher salary parity (G8) {eligibility.teacher_salary_parity:.3f}"
        )
    if eligibility.social_recognition is not None:
        support.append(f"满意度 satisfaction {eligibility.social_recognition:.3f}")
    if support:
        lines.append(f"  佐证 supporting: {'; '.join(support)}")
    tasks = county.basic_tasks
    lines.append(f"基本任务 Basic tasks: {county.basic_tasks_done}/{len(tasks)} 完成 done")
    lines.extend(
        f"  {task.code} {task.text_zh} · {_short_en(task)} — {_status_text(task.status)}"
        for task in tasks
    )
    lines.extend(
        (
            (
                f"攻坚清单 Checklist of hard problems: 选定 selected {county.items_selected}/"
                f"{county.items_total}"
            ),
            f"  完成率 completion rate (selected): {_rate(county.rate_all)}",
            (
                f"  完成率（全部{county.items_total}项） completion rate "
                f"(all {county.items_total}): {_rate(county.rate_all_20)}"
            ),
            f"  验收率 verified rate: {_rate(county.verified_rate)}",
        )
    )
    lines.extend(
        f"  {area.code} {area.title_zh} · {area.title_en}: 完成 done {_number(area.done)}/"
        f"{area.selected} 选定 selected (共 of {area.items}), 完成率 rate {_rate(area.rate)}"
        for area in county.areas
    )
    missing = county.missing
    lines.append(f"未完成事项 Not yet done: {len(missing)}")
    lines.extend(
        f"  {item.code} {item.text_zh} · {_short_en(item)} — {_status_text(item.status)}"
        for item in missing
    )
    unselected = [item for item in county.items if not item.selected]
    if unselected:
        lines.append(
            "未选定 Not selected: " + ", ".join(f"{item.code} {item.id}" for item in unselected)
        )
    return lines


def _md(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _summary_markdown(evaluation: ChecklistEvaluation) -> list[str]:
    lines = [
        (
            "| 县（市、区） County | 选定 Selected | 完成率 Rate | 完成率（20项） Rate (20) "
            "| 验收率 Verified | 基本任务 Tasks | 遴选条件 Eligibility |"
        ),
        "|---|---|---|---|---|---|---|",
    ]
    for _, row in evaluation.summary.iterrows():
        lines.append(
            f"| {_md(row['county'])} | {int(row['items_selected'])}/{int(row['items_total'])} "
            f"| {_rate(_float_or_none(row['rate_all']))} | {_rate(float(row['rate_all_20']))} "
            f"| {_rate(_float_or_none(row['verified_rate']))} "
            f"| {int(row['basic_tasks_done'])}/{int(row['basic_tasks_total'])} "
            f"| {ELIGIBILITY_LABELS[row['eligibility']]} {row['eligibility']} |"
        )
    return lines


def _county_markdown(county: CountyChecklist, *, level: int) -> list[str]:
    head = "#" * level
    sub = "#" * (level + 1)
    eligibility = county.eligibility
    lines = [
        f"{head} {_md(county.county)}",
        "",
        (
            f"{sub} 遴选条件 · Selection conditions: "
            f"{ELIGIBILITY_LABELS[eligibility.status]} {eligibility.status}"
        ),
        "",
        "| 条件 Part | 结果 Result | 说明 Detail |",
        "|---|---|---|",
    ]
    lines.extend(
        f"| {check.part} | {_MET_LABELS[check.met]} | {_md(check.detail)} |"
        for check in eligibility.conditions
    )
    lines.extend(
        (
            "",
            (
                f"{sub} 基本任务 · Basic tasks ({county.basic_tasks_done}/"
                f"{len(county.basic_tasks)} 完成 done)"
            ),
            "",
            "| 编号 Code | 任务 Task | 状态 Status |",
            "|---|---|---|",
        )
    )
    lines.extend(
        f"| {task.code} | {_md(task.text_zh)} | {_status_text(task.status)} |"
        for task in county.basic_tasks
    )
    lines.extend(
        (
            "",
            f"{sub} 攻坚清单 · Checklist of hard problems",
            "",
            "| 领域 Area | 选定 Selected | 完成 Done | 完成率 Rate | 验收率 Verified |",
            "|---|---|---|---|---|",
        )
    )
    lines.extend(
        f"| {area.code} {_md(area.title_zh)} · {_md(area.title_en)} | {area.selected}/{area.items} "
        f"| {_number(area.done)} | {_rate(area.rate)} | {_rate(area.verified_rate)} |"
        for area in county.areas
    )
    lines.append(
        f"| 合计 All selected | {county.items_selected}/{county.items_total} "
        f"| {_number(county.items_done)} | {_rate(county.rate_all)} "
        f"| {_rate(county.verified_rate)} |"
    )
    lines.append(
        f"| 合计 All {county.items_total} | {county.items_total} | {_number(county.items_done)} "
        f"| {_rate(county.rate_all_20)} | |"
    )
    missing = county.missing
    lines.extend(("", f"{sub} 未完成事项 · Not yet done ({len(missing)})", ""))
    if missing:
        lines.extend(("| 编号 Code | 事项 Item | 状态 Status |", "|---|---|---|"))
        lines.extend(
            f"| {item.code} | {_md(item.text_zh)} · {_md(_short_en(item))} "
            f"| {_status_text(item.status)} |"
            for item in missing
        )
    else:
        lines.append("无 None.")
    return lines
