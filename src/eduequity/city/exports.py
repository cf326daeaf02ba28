"""Exports (导出): every city and checklist table as CSV, JSON and Excel, with provenance.

:func:`export` writes named tables to a directory, one CSV and one JSON file per table and
one Excel workbook with a sheet per table (``.xlsx``, with the ``excel`` extra). It takes a
:class:`~eduequity.city.CityAssessment` (the tables of :data:`CITY_TABLES`), a
:class:`~eduequity.checklist.ChecklistEvaluation` (:data:`CHECKLIST_TABLES`),
:class:`~eduequity.checklist.ChecklistRecords` (:data:`RECORDS_TABLES`), a
:class:`~eduequity.checklist.RecommendationForm` (:data:`FORM_TABLES`), or any mapping of
names to data frames. A table is one line of those mappings: its name, its Chinese and
English titles and the function that takes it from the result.

Every file says where it comes from: the rule set or catalogue id and version, the
generation date and the eduequity version. In CSV and Excel that is the first row (read
the table with ``pandas.read_csv(path, skiprows=1)``); in JSON the ``provenance`` object.
Headers are bilingual, ``"差异系数 cv"``: the Chinese label (:data:`COLUMN_LABELS`), then
the column's id.

Personal fields (the recommendation form's contact names and phones, and any column named
like them) are written as :data:`~eduequity.checklist.REDACTED` unless
``include_personal=True``. A text cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is written with a leading apostrophe in CSV and Excel, so that a spreadsheet
program shows it as text rather than running it as a formula (the OWASP rule against CSV
injection); numbers stay numbers, and the JSON files keep the text unchanged. Control
characters that a workbook cannot hold are shown there as U+FFFD, as the command line shows
them.

Examples
--------
>>> import tempfile
>>> from eduequity.city import assess_city, export
>>> from eduequity.datasets import demo_path
>>> city = assess_city(demo_path("demo_city_register.csv"), today="2025-06-30")
>>> with tempfile.TemporaryDirectory() as folder:
...     written = export(city, folder, formats=("csv",), generated="2025-07-01")
...     first = (written.directory / "register_by_status.csv").read_text("utf-8-sig")
>>> written.tables[:2]
('register_units', 'register_by_status')
>>> print(first.splitlines()[0])  # doctest: +ELLIPSIS
eduequity export: register_by_status (创建进展按状态 counts and shares by status); ...
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import io
import json
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

import attrs
import pandas as pd

from eduequity._serialize import to_jsonable
from eduequity._typing import JSONValue
from eduequity._version import __version__
from eduequity._vocabulary import vocabulary
from eduequity.checklist import (
    REDACTED,
    ChecklistEvaluation,
    ChecklistRecords,
    RecommendationForm,
)
from eduequity.city.assessment import CityAssessment
from eduequity.city.figures import FIGURE_COLUMNS
from eduequity.city.recognition import RECOGNITION_COLUMNS
from eduequity.city.register import STATUS_LABELS
from eduequity.city.wealth import WEALTH_COLUMNS
from eduequity.errors import InvalidArgumentError, InvalidTypeError, Issue

__all__ = [
    "CHECKLIST_TABLES",
    "CITY_TABLES",
    "COLUMN_LABELS",
    "EXPORT_FORMATS",
    "FORM_TABLES",
    "PERSONAL_COLUMNS",
    "RECORDS_TABLES",
    "ExportProvenance",
    "ExportResult",
    "ExportTable",
    "export",
]

EXPORT_FORMATS: Final[tuple[str, ...]] = ("csv", "json", "xlsx")
"""The formats :func:`export` writes; ``xlsx`` needs the ``excel`` extra (openpyxl)."""

PERSONAL_COLUMNS: Final[frozenset[str]] = frozenset(
    {"lead_official_name", "lead_official_phone", "contact_name", "contact_phone"}
)
"""Columns holding personal data, redacted by default in every table that has them."""

_ABOUT: Final = "about"
"""The workbook's first sheet: provenance and the list of tables."""
_NAME: Final = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,30}$")
_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
_XLSX_ILLEGAL: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_MISSING_WRITER: Final = (
    "writing .xlsx needs openpyxl; install it with: python -m pip install openpyxl "
    '(the same as the "excel" extra: python -m pip install "eduequity[excel]")'
)


@attrs.frozen(kw_only=True)
class ExportTable:
    """One exportable table of a result: its titles and how to take it from the result."""

    title_zh: str
    """Chinese title."""
    title_en: str
    """English title."""
    take: Callable[[Any, bool], pd.DataFrame | None] = attrs.field(repr=False)
    """``take(result, include_personal)``: the table, or None when the result lacks the part
    (e.g. the city figures without a school table)."""


def _issues_frame(issues: Iterable[Issue]) -> pd.DataFrame:
    columns = [field.name for field in attrs.fields(Issue)]
    return pd.DataFrame([issue.to_dict() for issue in issues], columns=columns)


def _city_summary(city: CityAssessment) -> pd.DataFrame:
    """Return the register's and the projection's single figures, one row each."""
    figures: dict[str, object] = {
        name: getattr(city.register, name)
        for name in (
            "as_of",
            "n_units",
            "denominator",
            "whole_city_recognized",
            "whole_city_provincial",
            "pioneers",
            "missing_recognized",
            "missing_provincial",
        )
    }
    if city.projection is not None:
        figures |= {
            f"projection_{name}": getattr(city.projection, name)
            for name in ("target_count", "count", "remaining", "pace", "projected_year")
        }
        figures["projection_on_track"] = city.projection.on_track
    return pd.DataFrame(
        {
            "figure": list(figures),
            "figure_zh": [_label(name) for name in figures],
            "value": [_text(value) for value in figures.values()],
        }
    )


def _table(
    title_zh: str, title_en: str, take: str | Callable[[Any, bool], pd.DataFrame | None]
) -> ExportTable:
    """Declare a table; ``take`` may be the dotted path of the table in the result."""
    if isinstance(take, str):
        return ExportTable(title_zh=title_zh, title_en=title_en, take=_attribute(take))
    return ExportTable(title_zh=title_zh, title_en=title_en, take=take)


def _attribute(path: str) -> Callable[[Any, bool], pd.DataFrame | None]:
    """Follow ``path`` (``"disparity.city"``) in a result; None where a part is absent."""

    def take(result: Any, _include_personal: bool) -> pd.DataFrame | None:  # noqa: ANN401 - a result
        for name in path.split("."):
            if result is None:
                return None
            result = getattr(result, name)
        return result  # type: ignore[no-any-return]

    return take


CITY_TABLES: Final[Mapping[str, ExportTable]] = MappingProxyType(
    {
        "register_units": _table(
            "创建台账（各县当前状态）", "register: each unit's current status", "register.units"
        ),
        "register_by_status": _table(
            "创建进展按状态", "counts and shares by status", "register.by_status"
        ),
        "register_history": _table("逐年创建进展", "counts by status and year", "register.history"),
        "register_timeline": _table(
            "认定时间线", "recognitions by year and batch", "register.timeline"
        ),
        "city_summary": _table("市域汇总", "city figures", lambda city, _: _city_summary(city)),
        "city_figures": _table("市域资源配置差异", "city-wide resource figures", "disparity.city"),
        "county_figures": _table(
            "各县资源配置差异系数", "county figures", "disparity.county_figures"
        ),
        "decompositions": _table(
            "县际与县内差异分解", "between/within-county decomposition", "disparity.decompositions"
        ),
        "group_contributions": _table(
            "各县分解贡献", "contributions of each county", "disparity.group_contributions"
        ),
        "attainment": _table("各县每校达标", "per-school rule by county", "disparity.attainment"),
        "city_attainment": _table(
            "全市每校达标", "per-school rule, whole city", "disparity.city_attainment"
        ),
        "school_units": _table("学校（学段）", "school sections pooled", "disparity.units"),
        "excluded_schools": _table("未纳入计算的学校", "schools excluded", "disparity.excluded"),
        "merged_sites": _table(
            "并入主校的校点", "sites merged into their schools", "disparity.merged"
        ),
        "urban_rural_means": _table("城乡均值", "urban-rural means", "urban_rural.means"),
        "urban_rural_ratios": _table(
            "城乡比值", "urban-rural ratios and parity", "urban_rural.ratios"
        ),
        "qualifications": _table(
            "本科及以上学历教师占比",
            "bachelor-or-above teacher shares",
            "urban_rural.qualifications",
        ),
        "qualification_ratios": _table(
            "学历占比城乡比", "teacher-share ratios", "urban_rural.qualification_ratios"
        ),
        "location_decompositions": _table(
            "城乡差异分解", "between/within-location decomposition", "urban_rural.decompositions"
        ),
        "county_matrix": _table("逐县逐项矩阵", "county matrix", "matrix.cells"),
        "problems": _table("问题清单", "problem list", "matrix.problems"),
        "by_indicator": _table("逐项汇总", "counties per item", "matrix.by_indicator"),
        "funding_growth": _table("经费增长", "funding growth", "funding.growth"),
        "three_growths": _table("三个增长", "the three growths", "funding.three_growths"),
        "average_growth": _table("年均增长", "average growth", "funding.average_growth"),
        "early_warnings": _table("经费预警", "funding early warnings", "funding.early_warnings"),
        "published_figures": _table("发布数据", "published figures", "figures.figures"),
        "recognition_by_county": _table(
            "各县社会认可度", "social recognition by county", "recognition.table"
        ),
        "wealth_neutrality": _table("财政中性", "wealth neutrality", "wealth.table"),
        "wealth_counties": _table(
            "财政中性（各县）", "wealth neutrality: counties", "wealth.counties"
        ),
        "warnings": _table("警告", "warnings", lambda city, _: _issues_frame(city.warnings)),
    }
)
"""The tables of a :class:`~eduequity.city.CityAssessment`, in the order written."""

CHECKLIST_TABLES: Final[Mapping[str, ExportTable]] = MappingProxyType(
    {
        "checklist_summary": _table("创建任务完成情况汇总", "completion per county", "summary"),
        "checklist_areas": _table("各领域完成情况", "completion per area", "areas"),
        "checklist_items": _table("各事项当前状态", "current state of every item", "items"),
        "checklist_missing": _table(
            "未完成事项", "open tasks and items", lambda evaluation, _: evaluation.missing_frame()
        ),
        "eligibility": _table("遴选条件", "eligibility per county", "eligibility.summary"),
        "eligibility_conditions": _table(
            "遴选条件逐项", "selection conditions per part", "eligibility.conditions"
        ),
        "checklist_warnings": _table(
            "提示", "warnings", lambda evaluation, _: _issues_frame(evaluation.issues)
        ),
    }
)
"""The tables of a :class:`~eduequity.checklist.ChecklistEvaluation`."""

RECORDS_TABLES: Final[Mapping[str, ExportTable]] = MappingProxyType(
    {
        "checklist_records": _table(
            "清单进展记录（全部）",
            "status records and history",
            lambda records, _: pd.DataFrame(records.records(labels=True)),
        ),
        "checklist_current": _table(
            "清单当前状态",
            "latest record per county and item",
            lambda records, _: records.current(),
        ),
    }
)
"""The tables of :class:`~eduequity.checklist.ChecklistRecords`."""

FORM_TABLES: Final[Mapping[str, ExportTable]] = MappingProxyType(
    {
        "recommendation_form": _table(
            "推荐表",
            "recommendation form",
            lambda form, personal: form.to_frame(include_personal=personal),
        ),
        "balance_figures": _table(
            "均衡发展情况数据", "Part 1 figures of the narrative", "balance_figures"
        ),
        "form_warnings": _table("提示", "warnings", lambda form, _: _issues_frame(form.issues)),
    }
)
"""The tables of a :class:`~eduequity.checklist.RecommendationForm`: the filled form in the
form's order (personal fields redacted unless asked), the figures of the balance narrative."""

_LABELS: Final[dict[str, str]] = {
    # identity
    "county": "县（市、区）",
    "city": "地市",
    "province": "省份",
    "county_code": "行政区划代码",
    "school_id": "学校标识码",
    "school_name": "学校名称",
    "school_type": "办学类型",
    "unit_id": "评估单位",
    "site_id": "校点标识码",
    "parent_id": "主校标识码",
    "unit_kind": "单位类别",
    "program": "创建类别",
    "stage": "学段",
    "location": "城乡分类",
    "group": "分组",
    "focus": "比较组",
    "reference": "参照组",
    "measure": "分解指标",
    "part": "部分",
    "item_id": "事项",
    "code": "编号",
    "indicator": "指标",
    "indicator_zh": "指标名称",
    "series": "经费项目",
    "year": "年度",
    "batch": "批次",
    "id": "标识",
    "figure": "数据项",
    "figure_zh": "数据项名称",
    "value": "值",
    # register
    "status": "状态",
    "status_zh": "状态（中文）",
    "order": "顺序",
    "status_year": "状态年份",
    "status_date": "状态日期",
    "pioneer": "先行创建县",
    "basic_balance_year": "基本均衡认定年份",
    "note": "备注",
    "events": "事件数",
    "has_event": "有记录",
    "count": "数量",
    "share": "占比",
    "count_at_least": "累计数量",
    "share_at_least": "累计占比",
    "first_date": "首次日期",
    "counties": "县（市、区）名单",
    "cumulative": "累计",
    "as_of": "截至年份",
    "n_units": "单位数",
    "denominator": "分母口径",
    "whole_city_recognized": "全域通过国家认定",
    "whole_city_provincial": "整市域通过省级督导评估",
    "pioneers": "先行创建县名单",
    "missing_recognized": "尚未通过国家认定",
    "missing_provincial": "尚未通过省级评估",
    "projection_target_count": "目标数量",
    "projection_count": "当前数量",
    "projection_remaining": "尚需数量",
    "projection_pace": "年均进度",
    "projection_projected_year": "预计完成年份",
    "projection_on_track": "能否按期完成",
    # resource figures
    "n_counties": "县数",
    "students": "学生数",
    "mean": "均值",
    "cv": "差异系数",
    "limit": "限值",
    "margin": "余量",
    "rank": "排名",
    "counties_meeting_limit": "达标县数",
    "counties_assessed": "参评县数",
    "ge2": "GE(2)",
    "theil": "泰尔指数",
    "mld": "平均对数偏差",
    "population_share": "学生占比",
    "relative_mean": "相对均值",
    "total": "总体",
    "between": "组间",
    "within": "组内",
    "between_share": "组间占比",
    "within_share": "组内占比",
    "discrepancy": "分解误差",
    "n_groups": "组数",
    "cv_squared_half": "差异系数平方之半",
    "n": "单位数",
    "weight_sum": "权重合计",
    "resource_share": "资源占比",
    "inequality": "组内不均等",
    "within_contribution": "组内贡献",
    "units_passed": "达标单位数",
    "unit_pass_share": "单位达标率",
    "students_passed": "达标学生数",
    "pupil_pass_share": "学生达标率",
    "pass_share": "达标率",
    "reason": "原因",
    "detail": "说明",
    "met_count": "达标项数",
    "unmet": "未达标项",
    "passed": "达标",
    "qualified_teachers_per_100": "每百名学生拥有高于规定学历教师数",
    "backbone_teachers_per_100": "每百名学生拥有县级以上骨干教师数",
    "pe_arts_teachers_per_100": "每百名学生拥有体育、艺术专任教师数",
    "teaching_area_per_student": "生均教学及辅助用房面积",
    "sports_area_per_student": "生均体育运动场馆面积",
    "equipment_value_per_student": "生均教学仪器设备值",
    "multimedia_rooms_per_100": "每百名学生拥有网络多媒体教室数",
    # urban-rural
    "focus_mean": "比较组均值",
    "reference_mean": "参照组均值",
    "ratio": "比值",
    "parity_index": "均等指数",
    "adjusted_parity_index": "调整均等指数",
    "position": "位置",
    "parity": "均等",
    "disadvantaged": "处于劣势",
    "published": "公布值",
    "bachelor_plus_teachers": "本科及以上学历专任教师数",
    "full_time_teachers": "专任教师数",
    "focus_share": "比较组占比",
    "reference_share": "参照组占比",
    # county matrix
    "threshold": "标准",
    "comparator": "比较方式",
    "gap": "差距",
    "n_pass": "达标县数",
    "n_fail": "未达标县数",
    "n_incomplete": "材料不全县数",
    "n_not_applicable": "不适用县数",
    # funding
    "growth": "增长率",
    "previous_year": "上一年度",
    "previous_value": "上一年度数值",
    "grows": "是否增长",
    "start_value": "起始数值",
    "end_value": "截止数值",
    "education_expenditure": "教育经费增长",
    "education_expenditure_per_pupil": "生均教育经费增长",
    "staff_salary": "教职工工资增长",
    "public_funds_per_pupil": "生均公用经费增长",
    "start_year": "起始年份",
    "end_year": "截止年份",
    "average_growth": "年均增长率",
    "steps": "年数",
    # checklist
    "items_total": "事项总数",
    "items_selected": "选定事项数",
    "items_done": "完成事项数",
    "rate_all": "完成率（选定事项）",
    "rate_all_20": "完成率（20项）",
    "verified_rate": "验收率",
    "basic_tasks_total": "基本任务数",
    "basic_tasks_done": "已完成基本任务数",
    "eligibility": "遴选条件",
    "area": "领域",
    "area_code": "领域编号",
    "title_zh": "中文名称",
    "title_en": "英文名称",
    "items": "事项数",
    "selected": "是否选定",
    "done": "完成度",
    "rate": "完成率",
    "section": "类别",
    "kind": "成果类型",
    "text_zh": "中文表述",
    "text_en": "英文释义",
    "records": "记录数",
    "updated_at": "更新日期",
    "evidence": "佐证材料",
    "evidence_ref": "文号或链接",
    "evidence_date": "材料日期",
    "responsible_unit": "责任单位",
    "item_code": "事项编号",
    "item_text_zh": "事项中文表述",
    "item_text_en": "事项英文释义",
    "basic_balance_recognition_year": "基本均衡认定年份",
    "years_since_recognition": "认定后年数",
    "parts_met": "满足项数",
    "parts_not_met": "不满足项数",
    "parts_unknown": "待补充项数",
    "reasons": "原因",
    "teacher_salary_parity": "教师与公务员平均工资比",
    "social_recognition": "社会认可度",
    "basis": "依据",
    "met": "是否满足",
    # recommendation form
    "number": "序号",
    "field": "栏目",
    "label_zh": "表中栏目",
    "field_zh": "栏目名称",
    "field_en": "英文栏目",
    "source": "来源",
    "lead_official_name": "主要负责同志姓名",
    "lead_official_phone": "主要负责同志电话",
    "contact_name": "具体工作联系人姓名",
    "contact_phone": "具体工作联系人电话",
    # issues
    "severity": "级别",
    "table": "表",
    "row": "行",
    "key": "标识",
    "column": "列",
    "header": "原表头",
    "message": "说明（英文）",
    # wealth neutrality
    "benchmark": "参照标准",
    "meets_benchmark": "符合参照标准",
    "benchmark_source": "参照标准来源",
}

COLUMN_LABELS: Final[Mapping[str, str]] = MappingProxyType(
    # the published figures, recognition by county and wealth neutrality label their own
    # columns; a label given above wins
    {
        column: label
        for columns in (FIGURE_COLUMNS, RECOGNITION_COLUMNS, WEALTH_COLUMNS)
        for column, label in columns.items()
    }
    # counts by checklist status are columns named by the status
    | dict(vocabulary("checklist_statuses").labels)
    | _LABELS
)
"""Chinese label of every column the exported tables hold (the header is ``"<label> <id>"``).
Count columns of the register history (``count_<status>``, ``at_least_<status>``) are labelled
from the register's status labels."""


# --------------------------------------------------------------------------------------
# results


@attrs.frozen(kw_only=True)
class ExportProvenance:
    """Where exported tables come from: embedded in every file :func:`export` writes."""

    kind: str
    """``"city"``, ``"checklist"``, ``"checklist_records"``, ``"recommendation_form"`` or
    ``"tables"`` (a mapping given directly)."""
    subject: str | None
    """The city or county the tables describe, when one."""
    rules: tuple[Mapping[str, JSONValue], ...]
    """Identity (``id``, ``version``, ...) of each rule set the figures were computed under."""
    catalogue: Mapping[str, JSONValue] | None
    """``id`` and ``version`` of the checklist catalogue, for checklist tables."""
    generated: dt.date
    """Generation date."""
    eduequity_version: str
    """Version of the library that wrote the files."""

    def describe(self) -> str:
        """Return the provenance as one line: subject, rule set or catalogue, date, version."""
        parts = [] if self.subject is None else [self.subject]
        parts += [f"rule set {rule.get('id')} {rule.get('version')}" for rule in self.rules]
        if self.catalogue is not None:
            parts.append(f"catalogue {self.catalogue['id']} {self.catalogue['version']}")
        parts += [f"generated {self.generated.isoformat()}", f"eduequity {self.eduequity_version}"]
        return "; ".join(parts)

    def to_dict(self) -> dict[str, JSONValue]:
        """Return a JSON-safe mapping of the fields."""
        return {
            "kind": self.kind,
            "subject": self.subject,
            "rules": [to_jsonable(dict(rule)) for rule in self.rules],
            "catalogue": None if self.catalogue is None else to_jsonable(dict(self.catalogue)),
            "generated": self.generated.isoformat(),
            "eduequity_version": self.eduequity_version,
        }


@attrs.frozen(kw_only=True)
class ExportResult:
    """What :func:`export` wrote."""

    directory: Path
    """The directory written to."""
    files: tuple[Path, ...]
    """Every file written, in order."""
    tables: tuple[str, ...]
    """The tables written, in order."""
    empty: tuple[str, ...]
    """Tables written without a data row (their headers only)."""
    absent: tuple[str, ...]
    """Tables of the result's kind not written because the result lacks the part (e.g. the
    city figures without a school table)."""
    redacted: tuple[str, ...]
    """Personal fields and columns written as :data:`~eduequity.checklist.REDACTED`."""
    provenance: ExportProvenance
    """What every file embeds."""

    def to_dict(self) -> dict[str, JSONValue]:
        """Return a JSON-safe mapping (paths as text)."""
        return {
            "directory": str(self.directory),
            "files": [str(path) for path in self.files],
            "tables": list(self.tables),
            "empty": list(self.empty),
            "absent": list(self.absent),
            "redacted": list(self.redacted),
            "provenance": self.provenance.to_dict(),
        }


# --------------------------------------------------------------------------------------
# cells


def _neutralise(value: object) -> object:
    """Prefix text that a spreadsheet would run as a formula with an apostrophe (OWASP).

    Text beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is shown as
    text, not evaluated; every other value, numbers included, is returned unchanged.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _text(value: object) -> object:  # noqa: PLR0911 - one return per kind of cell
    """Return a cell as CSV and Excel hold it: lists joined, dates ISO, missing as None."""
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(str(item) for item in value)
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:  # NaN  # noqa: PLR0124
        return None
    if isinstance(value, dt.datetime):  # pandas Timestamps too
        midnight = value.time() == dt.time()
        return value.date().isoformat() if midnight else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "item") and not isinstance(value, str):
        return value.item()  # a numpy scalar
    return value


def _label(column: str) -> str:
    """Return the Chinese label of a column, or ``""`` when it has none."""
    return COLUMN_LABELS.get(column) or _count_label(column)


def _header(column: str) -> str:
    label = _label(column)
    return f"{label} {column}" if label else column


def _count_label(column: str) -> str:
    for prefix, label in (("count_", "数量"), ("at_least_", "累计数量")):
        status = column.removeprefix(prefix)
        if column.startswith(prefix) and status in STATUS_LABELS:
            return f"{STATUS_LABELS[status]}{label}"
    return ""


# --------------------------------------------------------------------------------------
# export


def _flat(frame: object, name: str) -> pd.DataFrame:
    """Return the table with its named index levels as leading columns."""
    if not isinstance(frame, pd.DataFrame):
        msg = f"table {name!r} must be a pandas DataFrame; got {type(frame).__name__}"
        raise InvalidTypeError(msg, code="invalid_argument")
    if any(level is not None for level in frame.index.names):
        frame = frame.reset_index()
    duplicated = frame.columns[frame.columns.duplicated()].tolist()
    if duplicated:
        msg = f"table {name!r} has the column(s) {duplicated} twice; expected unique columns"
        raise InvalidArgumentError(msg, code="duplicate_column")
    return frame.rename(columns=str)


def _redact(frame: pd.DataFrame, include_personal: bool) -> tuple[pd.DataFrame, list[str]]:
    personal = [column for column in frame.columns if column in PERSONAL_COLUMNS]
    if include_personal or not personal:
        return frame, []
    filled = frame[personal].notna()
    redacted = frame.copy()
    for column in personal:
        redacted[column] = redacted[column].astype(object).where(~filled[column], REDACTED)
    return redacted, personal


def _rows(frame: pd.DataFrame) -> list[list[object]]:
    return [[_text(value) for value in row] for row in frame.itertuples(index=False, name=None)]


def _csv_text(title: str, headers: list[str], rows: list[list[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180; a lone CR is quoted
    writer.writerow([_neutralise(title)])
    writer.writerow(headers)
    writer.writerows([_csv_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def _csv_cell(cell: object) -> object:
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    return _neutralise(cell)


def _json_text(
    name: str, spec: ExportTable, frame: pd.DataFrame, provenance: ExportProvenance
) -> str:
    document = {
        "table": name,
        "title_zh": spec.title_zh,
        "title_en": spec.title_en,
        "provenance": provenance.to_dict(),
        "columns": [{"id": column, "label_zh": _label(column) or None} for column in frame.columns],
        "rows": to_jsonable(frame.reset_index(drop=True)),
    }
    return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def _xlsx_cell(value: object) -> object:
    """Return an Excel cell: neutralised, control characters Excel refuses as U+FFFD."""
    value = _neutralise(value)
    return _XLSX_ILLEGAL.sub("\ufffd", value) if isinstance(value, str) else value


def _write_workbook(
    path: Path,
    sheets: Sequence[tuple[str, str, list[str], list[list[object]]]],
    about: pd.DataFrame,
) -> None:
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        about.map(_xlsx_cell).to_excel(writer, sheet_name=_ABOUT, index=False)
        for name, title, headers, rows in sheets:
            body = pd.DataFrame(
                [[_xlsx_cell(cell) for cell in row] for row in rows],
                columns=[_xlsx_cell(header) for header in headers],
                dtype=object,
            )
            body.to_excel(writer, sheet_name=name, index=False, startrow=1)
            writer.sheets[name].cell(row=1, column=1, value=_xlsx_cell(title))


def _provenance(
    kind: str,
    *,
    subject: str | None = None,
    rules: tuple[Mapping[str, JSONValue], ...] = (),
    catalogue: Mapping[str, JSONValue] | None = None,
    generated: dt.date | None = None,
) -> ExportProvenance:
    return ExportProvenance(
        kind=kind,
        subject=subject,
        rules=rules,
        catalogue=catalogue,
        generated=dt.date.today() if generated is None else generated,  # noqa: DTZ011 - a calendar date
        eduequity_version=__version__,
    )


def _source_tables(source: object) -> tuple[str, Mapping[str, ExportTable], ExportProvenance]:
    """Return the kind, the table catalogue and the provenance of a source."""
    if isinstance(source, CityAssessment):
        return "city", CITY_TABLES, _provenance("city", subject=source.city, rules=source.rules)
    if isinstance(source, ChecklistEvaluation | ChecklistRecords):
        catalogue = {"id": source.catalogue_id, "version": source.catalogue_version}
        if isinstance(source, ChecklistEvaluation):
            return "checklist", CHECKLIST_TABLES, _provenance("checklist", catalogue=catalogue)
        kind = "checklist_records"
        return kind, RECORDS_TABLES, _provenance(kind, catalogue=catalogue)
    if isinstance(source, RecommendationForm):
        kind = "recommendation_form"
        provenance = _provenance(
            kind,
            subject=source.county,
            rules=() if source.rules is None else (source.rules,),
            catalogue={"id": source.catalogue.id, "version": source.catalogue.version},
            generated=source.generated,
        )
        return kind, FORM_TABLES, provenance
    if isinstance(source, Mapping):
        tables = {
            str(name): ExportTable(title_zh="", title_en=str(name), take=_given(frame))
            for name, frame in source.items()
        }
        return "tables", tables, _provenance("tables")
    msg = (
        "export() takes a CityAssessment, a ChecklistEvaluation, ChecklistRecords, a "
        f"RecommendationForm or a mapping of names to DataFrames; got {type(source).__name__}"
    )
    raise InvalidTypeError(msg, code="invalid_argument")


def _given(frame: object) -> Callable[[Any, bool], pd.DataFrame | None]:
    return lambda _source, _include_personal: frame  # type: ignore[return-value]


def _check_formats(formats: Sequence[str]) -> tuple[str, ...]:
    chosen = (formats,) if isinstance(formats, str) else tuple(formats)
    unknown = [fmt for fmt in chosen if fmt not in EXPORT_FORMATS]
    if unknown or not chosen:
        msg = f"formats={list(chosen)!r}: expected one or more of {', '.join(EXPORT_FORMATS)}"
        raise InvalidArgumentError(msg, code="invalid_option")
    if "xlsx" in chosen and importlib.util.find_spec("openpyxl") is None:
        raise InvalidArgumentError(_MISSING_WRITER, code="missing_dependency")
    return tuple(dict.fromkeys(chosen))


def _generation_date(value: dt.date | str | None, default: dt.date) -> dt.date:
    if value is None:
        return default
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        msg = f"generated={value!r} is not a date; expected YYYY-MM-DD"
        raise InvalidArgumentError(msg, code="invalid_argument") from None


def _directory(directory: str | os.PathLike[str]) -> Path:
    path = Path(directory)
    if path.exists() and not path.is_dir():
        msg = f"cannot export to {str(path)!r}: it is a file; expected a directory"
        raise InvalidArgumentError(msg, code="invalid_output")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        msg = f"cannot create the export directory {str(path)!r}: {error.strerror or error}"
        raise InvalidArgumentError(msg, code="invalid_output") from error
    return path


def export(
    source: CityAssessment
    | ChecklistEvaluation
    | ChecklistRecords
    | RecommendationForm
    | Mapping[str, pd.DataFrame],
    directory: str | os.PathLike[str],
    *,
    formats: Sequence[str] = EXPORT_FORMATS,
    include_personal: bool = False,
    generated: dt.date | str | None = None,
    workbook: str | None = None,
    protect: Iterable[str | os.PathLike[str]] = (),
) -> ExportResult:
    """Write every table of a result as CSV, JSON and Excel, with provenance.

    Parameters
    ----------
    source : CityAssessment, ChecklistEvaluation, ChecklistRecords, RecommendationForm or mapping
        The result whose tables are written (:data:`CITY_TABLES`, :data:`CHECKLIST_TABLES`,
        :data:`RECORDS_TABLES`, :data:`FORM_TABLES`), or a mapping of table names (letters,
        digits and ``_``, at most 31 characters, the first a letter) to data frames.
    directory : path
        Where to write; created when it does not exist.
    formats : sequence of str, optional
        Any of :data:`EXPORT_FORMATS` (default all three): one ``<table>.csv`` (UTF-8 with
        BOM) and one ``<table>.json`` per table, one workbook with a sheet per table.
    include_personal : bool, optional
        Write the personal fields (contact names and phones); by default they are written as
        :data:`~eduequity.checklist.REDACTED`.
    generated : datetime.date or str, optional
        Generation date to embed (default today; for a form, the date it was filled).
    workbook : str, optional
        File name of the workbook without ``.xlsx`` (default the kind of the source:
        ``city``, ``checklist``, ``checklist_records``, ``recommendation_form``, ``tables``).
    protect : iterable of paths, optional
        Files that must not be overwritten (the command line passes its input files).

    Returns
    -------
    ExportResult
        The files and tables written, the empty and absent tables, what was redacted and the
        provenance.

    Raises
    ------
    InvalidArgumentError
        An unknown format, ``xlsx`` without openpyxl, a table name that cannot name a file
        or a sheet, a directory that cannot be written, or a protected file in the way.
    InvalidTypeError
        A source of another type, or a mapping value that is not a DataFrame.
    """
    chosen = _check_formats(formats)
    kind, specs, provenance = _source_tables(source)
    provenance = attrs.evolve(
        provenance, generated=_generation_date(generated, provenance.generated)
    )
    stem = kind if workbook is None else workbook
    for name in [*specs, stem]:
        if not _NAME.match(name) or name == _ABOUT:
            msg = (
                f"table name {name!r} cannot name a file and a sheet; expected letters, "
                f"digits and _, at most 31 characters, starting with a letter, not {_ABOUT!r}"
            )
            raise InvalidArgumentError(msg, code="invalid_table_name")
    tables: dict[str, pd.DataFrame] = {}
    absent: list[str] = []
    redacted: list[str] = []
    for name, spec in specs.items():
        frame = spec.take(source, include_personal)
        if frame is None:
            absent.append(name)
            continue
        frame, hidden = _redact(_flat(frame, name), include_personal)
        tables[name] = frame
        redacted += [f"{name}.{column}" for column in hidden]
    if isinstance(source, RecommendationForm) and not include_personal:
        redacted += [f"recommendation_form.{field}" for field in source.personal_fields]
    folder = _directory(directory)
    planned = [
        folder / f"{name}.{fmt}" for fmt in ("csv", "json") if fmt in chosen for name in tables
    ]
    planned += [folder / f"{stem}.xlsx"] if "xlsx" in chosen else []
    _check_protected(planned, protect)
    files: list[Path] = []
    sheets = []
    for name, frame in tables.items():
        spec = specs[name]
        titles = " ".join(part for part in (spec.title_zh, spec.title_en) if part)
        title = f"eduequity export: {name} ({titles}); {provenance.describe()}"
        headers = [_header(column) for column in frame.columns]
        rows = _rows(frame)
        if "csv" in chosen:
            path = folder / f"{name}.csv"
            path.write_text(_csv_text(title, headers, rows), encoding="utf-8-sig", newline="")
            files.append(path)
        if "json" in chosen:
            path = folder / f"{name}.json"
            path.write_text(_json_text(name, spec, frame, provenance), encoding="utf-8")
            files.append(path)
        sheets.append((name, title, headers, rows))
    if "xlsx" in chosen:
        path = folder / f"{stem}.xlsx"
        _write_workbook(path, sheets, _about(tables, specs, provenance))
        files.append(path)
    return ExportResult(
        directory=folder,
        files=tuple(files),
        tables=tuple(tables),
        empty=tuple(name for name, frame in tables.items() if frame.empty),
        absent=tuple(absent),
        redacted=tuple(redacted),
        provenance=provenance,
    )


def _about(
    tables: Mapping[str, pd.DataFrame],
    specs: Mapping[str, ExportTable],
    provenance: ExportProvenance,
) -> pd.DataFrame:
    """Return the first sheet of the workbook: the provenance, then one row per table."""
    rows = [
        ["来源 provenance", provenance.describe(), ""],
        *(
            [name, f"{specs[name].title_zh} {specs[name].title_en}".strip(), len(frame)]
            for name, frame in tables.items()
        ),
    ]
    return pd.DataFrame(rows, columns=["表 table", "说明 title", "行数 rows"], dtype=object)


def _check_protected(planned: Sequence[Path], protect: Iterable[str | os.PathLike[str]]) -> None:
    for given in protect:
        kept = Path(given)
        for path in planned:
            if path.exists() and kept.exists() and path.samefile(kept):
                msg = (
                    f"exporting would overwrite the input file {str(kept)!r} with "
                    f"{path.name}; choose another export directory"
                )
                raise InvalidArgumentError(msg, code="output_is_input")
