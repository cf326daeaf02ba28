"""The 2021 creation-task checklist (县域义务教育优质均衡创建攻坚清单).

The MOE notice of 2021-11-25 (《教育部办公厅关于开展县域义务教育优质均衡创建工作的通知》)
sets three selection conditions (遴选条件 S1–S3), four basic tasks (基本任务 T1–T4) and a
checklist of 20 hard problems in five areas (攻坚清单 A1–E2). This package

- ships the notice as versioned data: :data:`CREATION_CHECKLIST_2021`
  (catalogue ``cn_moe_2021_creation``, :mod:`eduequity.checklist.catalogue`);
- reads and validates the counties' status records (docs: Input tables) from data frames,
  CSV, Excel or JSON with Chinese headers, and writes them back exactly
  (:func:`read_checklist_records`, :class:`ChecklistRecords`,
  :mod:`eduequity.checklist.records`);
- evaluates every county at once: completion rates per area and overall, basic tasks, open
  items, the selection conditions and a province's list of recommended counties
  (:func:`evaluate_checklist`, :func:`check_eligibility`, :func:`province_view`,
  :mod:`eduequity.checklist.status`);
- fills and checks a county's recommendation form (推荐表) and exports it with the personal
  fields left out by default (:func:`recommendation_form`, :class:`RecommendationForm`,
  :mod:`eduequity.checklist.form`).

Examples
--------
>>> from eduequity.checklist import CREATION_CHECKLIST_2021, evaluate_checklist
>>> CREATION_CHECKLIST_2021.item("D5").text_zh
'完善科学调控作业总量、提高作业设计水平的有效办法'
>>> result = evaluate_checklist([
...     {"county": "荣成市", "item_id": "D5", "status": "已完成", "佐证材料": "作业管理办法"},
...     {"county": "荣成市", "item_id": "S1", "status": "已验收", "文号": "荣办发〔2021〕1号"},
... ], basic_balance_years={"荣成市": 2013})
>>> result.county("荣成市").area("teaching_management").rate
0.14285714285714285
>>> [check.met for check in result.county("荣成市").eligibility.conditions]
[True, True, None, None]
"""

from __future__ import annotations

from eduequity.checklist.catalogue import (
    CATALOGUE_IDS,
    CREATION_CHECKLIST_2021,
    CatalogueParameters,
    CatalogueSource,
    ChecklistArea,
    ChecklistCatalogue,
    ChecklistItem,
    DeliverableKind,
    EvidenceLink,
    FormField,
    ItemKind,
    ParameterSource,
    Section,
    load_catalogue,
)
from eduequity.checklist.form import (
    FORM_FIELD_LABELS,
    FORM_STATUS_LABELS,
    REDACTED,
    FormStatus,
    RecommendationForm,
    recommendation_form,
)
from eduequity.checklist.records import (
    CHECKLIST_RECORDS_SCHEMA,
    DONE_STATUSES,
    LABEL_COLUMNS,
    RECORD_COLUMNS,
    STATUS_ALIASES,
    STATUS_LABELS,
    STATUS_RANK,
    ChecklistRecords,
    RecordsSource,
    read_checklist_records,
)
from eduequity.checklist.status import (
    ELIGIBILITY_LABELS,
    AreaCompletion,
    ChecklistEvaluation,
    ConditionCheck,
    CountyChecklist,
    CountyEligibility,
    EligibilityReport,
    EligibilityStatus,
    ItemState,
    ProvinceRecommendation,
    RecognitionYears,
    check_eligibility,
    evaluate_checklist,
    province_view,
)

__all__ = [
    "CATALOGUE_IDS",
    "CHECKLIST_RECORDS_SCHEMA",
    "CREATION_CHECKLIST_2021",
    "DONE_STATUSES",
    "ELIGIBILITY_LABELS",
    "FORM_FIELD_LABELS",
    "FORM_STATUS_LABELS",
    "LABEL_COLUMNS",
    "RECORD_COLUMNS",
    "REDACTED",
    "STATUS_ALIASES",
    "STATUS_LABELS",
    "STATUS_RANK",
    "AreaCompletion",
    "CatalogueParameters",
    "CatalogueSource",
    "ChecklistArea",
    "ChecklistCatalogue",
    "ChecklistEvaluation",
    "ChecklistItem",
    "ChecklistRecords",
    "ConditionCheck",
    "CountyChecklist",
    "CountyEligibility",
    "DeliverableKind",
    "EligibilityReport",
    "EligibilityStatus",
    "EvidenceLink",
    "FormField",
    "FormStatus",
    "ItemKind",
    "ItemState",
    "ParameterSource",
    "ProvinceRecommendation",
    "RecognitionYears",
    "RecommendationForm",
    "RecordsSource",
    "Section",
    "check_eligibility",
    "evaluate_checklist",
    "load_catalogue",
    "province_view",
    "read_checklist_records",
    "recommendation_form",
]
