"""Column specifications of the input tables, as data (private; public via :mod:`eduequity.io`).

Everything here transcribes the docs page Input tables: §1 (school table), §2.1 (county facts), §2.2
(monitoring results) and §3 (survey responses). The table-level checks live in the modules
``_school``, ``_facts`` and ``_survey``, which assemble the :class:`TableSchema` objects.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Final, cast

from eduequity._vocabulary import fact_fields, vocabulary
from eduequity.io._spec import ColumnKind, ColumnSpec, EnumSpec


def _col(
    name: str,
    kind: ColumnKind,
    *aliases: str,
    unit: str | None = None,
    required: bool = False,
    cell_required: bool = False,
    enum: EnumSpec | None = None,
    identifier: bool = False,
    description: str = "",
) -> ColumnSpec:
    return ColumnSpec(
        name=name,
        kind=kind,
        unit=unit,
        required=required,
        cell_required=cell_required,
        aliases=aliases,
        enum=enum,
        identifier=identifier,
        description=description,
    )


def _count(name: str, *aliases: str, unit: str = "teachers", required: bool = False) -> ColumnSpec:
    return _col(name, "count", *aliases, unit=unit, required=required)


def _area(name: str, *aliases: str, required: bool = False) -> ColumnSpec:
    return _col(name, "decimal", *aliases, unit="m2", required=required)


# ======================================================================================
# enums shared by several tables

_NOT_COMPULSORY: Final = (
    "not a compulsory-education school type; remove the row or map it explicitly "
    "(value_maps={'school_type': {...}})"
)

SCHOOL_TYPE_ENUM: Final = EnumSpec.from_vocabulary(
    "school_types",
    hints=dict.fromkeys(vocabulary("school_types").extra["not_compulsory"], _NOT_COMPULSORY),
)
"""``school_type`` values with their Chinese aliases and 办学类型 codes (docs: Input tables; codes
[S] GB/T 33782-2017 table 4), from the vocabulary."""

OWNERSHIP_ENUM: Final = EnumSpec.from_vocabulary("ownership")
"""``ownership`` values (docs: Input tables), from the vocabulary."""

LOCATION_ENUM: Final = EnumSpec.from_vocabulary("locations")
"""``location`` values: 城乡分类 names, legacy names and codes (docs: Input tables;
codes [S] GB/T 33782-2017 table 5), from the vocabulary."""

# ======================================================================================
# §1 school table

SCHOOL_TYPE_SECTIONS: Final[Mapping[str, tuple[str, ...]]] = vocabulary("school_types").strings(
    "stages"
)
"""Stages (学段) each ``school_type`` may have pupils in (docs: Input tables)."""

STAGES: Final = vocabulary("stages").where("compulsory")
"""Compulsory stages."""

COMPULSORY_SCHOOL_TYPES: Final = tuple(
    code
    for code, stages in SCHOOL_TYPE_SECTIONS.items()
    if any(stage in STAGES for stage in stages)
)
"""School types that enter Part 1 (teaching points only from 50 pupils)."""

TYPE_AND_SIGN_ONLY_TYPES: Final = vocabulary("school_types").where("checks", "type_and_sign")
"""Types read and counted, but whose numbers are checked only for type and sign."""

STAGE_TEACHER_COLUMNS: Final = ("qualified_teachers", "backbone_teachers", "pe_arts_teachers")
"""Per-stage teacher columns of Part 1, without the ``_<stage>`` suffix."""

SCHOOL_WIDE_REQUIRED: Final = (
    "teaching_aux_area_m2",
    "indoor_sports_area_m2",
    "sports_ground_area_m2",
    "equipment_value_yuan",
    "multimedia_classrooms",
)
"""Whole-school resource columns required for every included unit."""

SUBSET_TEACHER_COLUMNS: Final = (
    "qualified_teachers",
    "backbone_teachers",
    "pe_arts_teachers",
    "bachelor_plus_teachers",
    "mid_senior_title_teachers",
)
"""Teacher counts that cannot exceed ``full_time_teachers_<stage>``."""

QUALIFIED_DERIVATION: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "primary": ("postgraduate", "bachelor", "associate"),
        "junior": ("postgraduate", "bachelor"),
    }
)
"""Degree levels counted as qualified (高于规定学历) per stage (§1.2 "Alternative input")."""

OUTLIER_LIMITS: Final[Mapping[str, Decimal]] = MappingProxyType(
    {
        "teaching_area_per_student": Decimal(50),
        "sports_area_per_student": Decimal(100),
        "equipment_value_per_student": Decimal(100000),
        "teachers_per_100": Decimal(30),
        "multimedia_rooms_per_100": Decimal(30),
        "compulsory_enrolment": Decimal(5000),
    }
)
"""Default limits of warning ``outlier_value`` (docs: Input tables, library defaults).

``teaching_area_per_student`` [m² per pupil], ``sports_area_per_student`` [m² per pupil],
``equipment_value_per_student`` [yuan per pupil]: whole school over all its pupils;
``teachers_per_100`` [teachers per 100 pupils]: each of the three teacher indicators per
stage; ``multimedia_rooms_per_100`` [rooms per 100 pupils]; ``compulsory_enrolment``
[pupils]: primary + junior. A value strictly above its limit is flagged.
"""

OPTIONAL_COLUMN_GROUPS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "G3 music and art rooms": (
            "classes_primary",
            "classes_junior",
            "music_rooms",
            "art_rooms",
            "min_music_room_area_m2",
            "min_art_room_area_m2",
        ),
        "G5 class size": ("max_class_size_primary", "max_class_size_junior"),
        "Q4 teacher-training funds": ("public_funds_budget_yuan", "teacher_training_funds_yuan"),
    }
)
"""Optional school columns per check; an absent group gives ``optional_column_missing``."""


def _stage_pair(
    stem: str, primary: tuple[str, ...], junior: tuple[str, ...], *, unit: str = "teachers"
) -> tuple[ColumnSpec, ColumnSpec]:
    return (
        _count(f"{stem}_primary", *primary, unit=unit),
        _count(f"{stem}_junior", *junior, unit=unit),
    )


def _degree_columns() -> tuple[ColumnSpec, ...]:
    names = {"postgraduate": "研究生", "bachelor": "本科", "associate": "专科"}
    columns: list[ColumnSpec] = []
    for level, chinese in names.items():
        for stage, stage_zh in vocabulary("stages").labels.items():
            if stage not in STAGES:
                continue
            columns.append(
                _count(
                    f"teachers_{level}_{stage}",
                    f"{stage_zh}{chinese}学历专任教师数",
                    f"{stage_zh}{chinese}毕业专任教师数",
                )
            )
    return tuple(columns)


SCHOOL_COLUMNS: Final[tuple[ColumnSpec, ...]] = (
    # §1.1 identity and classification
    _col(
        "school_id",
        "string",
        "学校标识码",
        "学校代码",
        "学校编码",
        "标识码",
        required=True,
        cell_required=True,
        identifier=True,
    ),
    _col(
        "school_name", "string", "学校名称", "校名", "单位名称", required=True, cell_required=True
    ),
    _col(
        "county",
        "string",
        "县（市、区）",
        "县区",
        "区县",
        "所在县区",
        "县域",
        "行政区划名称",
        required=True,
        cell_required=True,
    ),
    _col("county_code", "string", "行政区划代码", "区划代码", identifier=True),
    _col(
        "school_type",
        "enum",
        "办学类型",
        "学校类型",
        "学校类别",
        required=True,
        cell_required=True,
        enum=SCHOOL_TYPE_ENUM,
    ),
    _col(
        "parent_school_id",
        "string",
        "所属学校标识码",
        "主校标识码",
        "原校点标识码",
        identifier=True,
    ),
    _col("ownership", "enum", "办学性质", "公办/民办", "举办者性质", enum=OWNERSHIP_ENUM),
    _col(
        "location",
        "enum",
        "城乡分类",
        "所在地城乡类型",
        "城乡类型",
        "城乡分类代码",
        enum=LOCATION_ENUM,
    ),
    _col("year", "year", "学年", "统计年度", unit="year"),
    # §1.2 required resource columns
    _count(
        "students_primary",
        "小学在校生数",
        "小学学生数",
        "小学在校学生数",
        unit="pupils",
        required=True,
    ),
    _count(
        "students_junior",
        "初中在校生数",
        "初中学生数",
        "初中在校学生数",
        unit="pupils",
        required=True,
    ),
    _count("students_senior", "高中在校生数", "普通高中在校生数", unit="pupils"),
    *_stage_pair(
        "qualified_teachers",
        ("小学高于规定学历教师数", "小学专科及以上学历专任教师数"),
        ("初中高于规定学历教师数", "初中本科及以上学历专任教师数"),
    ),
    *_stage_pair(
        "backbone_teachers",
        ("小学县级及以上骨干教师数", "县级以上骨干教师数（小学）", "区级及以上骨干教师数（小学）"),
        ("初中县级及以上骨干教师数", "县级以上骨干教师数（初中）", "区级及以上骨干教师数（初中）"),
    ),
    *_stage_pair(
        "pe_arts_teachers",
        ("小学体育、艺术（音乐、美术）专任教师数", "小学体音美专任教师数"),
        ("初中体育、艺术（音乐、美术）专任教师数", "初中体音美专任教师数"),
    ),
    _area("teaching_aux_area_m2", "教学及辅助用房面积", "教学及辅助用房", required=True),
    _area("indoor_sports_area_m2", "室内体育用房面积", "风雨操场面积", "体育馆面积", required=True),
    _area("sports_ground_area_m2", "运动场地面积", "体育运动场地面积"),
    _area("sports_total_area_m2", "体育运动场馆面积"),
    _col(
        "equipment_value_yuan",
        "decimal",
        "教学仪器设备资产值",
        "教学仪器设备值",
        unit="yuan",
        required=True,
    ),
    _count(
        "multimedia_classrooms",
        "网络多媒体教室数",
        "网络多媒体教室（间）",
        unit="rooms",
        required=True,
    ),
    *_degree_columns(),
    # §1.3 school-level guarantee columns
    *_stage_pair(
        "classes", ("小学班数", "小学教学班数"), ("初中班数", "初中教学班数"), unit="classes"
    ),
    *_stage_pair("max_class_size", ("小学最大班额",), ("初中最大班额",), unit="pupils"),
    _count("music_rooms", "音乐专用教室数", "音乐教室（间）", unit="rooms"),
    _count("art_rooms", "美术专用教室数", "美术教室（间）", unit="rooms"),
    _area("min_music_room_area_m2", "最小音乐教室面积", "音乐教室最小面积"),
    _area("min_art_room_area_m2", "最小美术教室面积", "美术教室最小面积"),
    # §1.3 other optional columns
    _col("boarding", "bool", "寄宿制学校", "是否寄宿制"),
    _col("built_year", "year", "建校年份", "建成年份", unit="year"),
    _col("migrant_share", "rate", "随迁子女占比", unit="fraction"),
    _col("public_funds_budget_yuan", "decimal", "年度公用经费预算总额", unit="yuan"),
    _col("teacher_training_funds_yuan", "decimal", "教师培训经费", unit="yuan"),
    _col("public_funds_allocated_yuan", "decimal", "核定公用经费", unit="yuan"),
    *_stage_pair("full_time_teachers", ("小学专任教师数",), ("初中专任教师数",)),
    # the unprefixed 本科及以上学历专任教师数 names no stage, and 初中本科及以上学历专任教师数
    # is an alias of qualified_teachers_junior (the same definition), so the junior column
    # is matched by its canonical name only
    *_stage_pair("bachelor_plus_teachers", ("小学本科及以上学历专任教师数",), ()),
    *_stage_pair(
        "mid_senior_title_teachers",
        ("小学中级及以上专业技术职务教师数", "小学中级及以上职称教师数"),
        ("初中中级及以上专业技术职务教师数", "初中中级及以上职称教师数"),
    ),
    _count("teaching_computers", "教学用计算机（台）", "计算机台数", unit="units"),
    _count("books", "图书（册）", "图书册数", unit="volumes"),
    _count("large_classes", "大班额班数", "56人及以上班数", unit="classes"),
    _count("super_large_classes", "超大班额班数", "66人及以上班数", unit="classes"),
    _col("meets_provincial_standard", "bool", "办学条件达标", "标准化建设达标"),
    *_stage_pair(
        "shared_pe_arts_teachers",
        ("小学交流、兼职、走教体育艺术教师数",),
        ("初中交流、兼职、走教体育艺术教师数",),
    ),
    _area("offsite_sports_area_m2", "校外租用体育场地面积"),
)
"""Columns of the school table (docs: Input tables)."""

# ======================================================================================
# §2.1 county facts

FACT_DECLARED_FIELDS: Final = tuple(field.name for field in fact_fields() if field.declared)
"""Declared yes/no fields (docs: The national method, Preconditions, kind "declared"): ``true``
without ``<field>_evidence`` gives warning ``evidence_missing`` (an error under strict)."""

FACT_RATIOS: Final[tuple[tuple[str, str, str], ...]] = (
    (
        "teacher_training_completion",
        "teacher_training_completion_completed",
        "teacher_training_completion_required",
    ),
    ("teacher_rotation", "teacher_rotation_rotated", "teacher_rotation_eligible"),
    (
        "teacher_rotation_backbone_share",
        "teacher_rotation_backbone_rotated",
        "teacher_rotation_rotated",
    ),
    ("teacher_certification", "teacher_certification_certified", "teacher_certification_full_time"),
    (
        "junior_retention_rate",
        "junior_retention_rate_cohort_end",
        "junior_retention_rate_cohort_start",
    ),
    (
        "disabled_enrolment_rate",
        "disabled_enrolment_rate_enrolled",
        "disabled_enrolment_rate_population",
    ),
    (
        "teacher_salary_parity",
        "teacher_salary_parity_teacher_avg_yuan",
        "teacher_salary_parity_civil_servant_avg_yuan",
    ),
)
"""(value, numerator, denominator) triples of §2.1: when both parts are present the value
is their ratio ("counts win")."""

EARLIEST_BASIC_BALANCE_YEAR: Final = 2013
"""Recognition years before this give warning ``basic_balance_year_early``."""


def _fact_columns() -> tuple[ColumnSpec, ...]:
    columns = [
        _col("county", "string", "县（市、区）", "县区", required=True, cell_required=True),
        _col("year", "year", "评估年度", "年度", unit="year", required=True, cell_required=True),
        _col("province", "string", "省份"),
        _col("city", "string", "地市"),
        _col("county_code", "string", "行政区划代码", identifier=True),
        _col("ruleset", "string", "规则集"),
    ]
    evidence: list[ColumnSpec] = []
    for field in fact_fields():
        name, aliases = field.name, field.aliases
        columns.append(_col(name, cast("ColumnKind", field.kind), *aliases, unit=field.unit))
        evidence.append(
            _col(
                f"{name}_evidence",
                "string",
                *(f"{alias}佐证材料" for alias in aliases),
                *(f"{alias}佐证" for alias in aliases),
            )
        )
    return (*columns, *evidence)


FACT_COLUMNS: Final[tuple[ColumnSpec, ...]] = _fact_columns()
"""Columns of the county-facts table (docs: Input tables), each field followed (at the
end) by its optional ``<field>_evidence`` text column."""

# ======================================================================================
# §2.2 monitoring results

LEVEL_ENUM: Final = EnumSpec.from_vocabulary("monitoring_levels")
"""Monitoring levels Ⅰ–Ⅳ; the Unicode Roman numerals Ⅰ Ⅱ Ⅲ Ⅳ fold to I II III IV."""

SUBJECT_ALIASES: Final[Mapping[str, str]] = MappingProxyType(
    {
        **{code: code for code in vocabulary("subjects").codes},
        **vocabulary("subjects").aliases,
    }
)
"""Known monitoring subjects and their aliases → the name kept; other subjects are
kept as given, with warning ``unknown_subject``."""

MONITORING_COLUMNS: Final[tuple[ColumnSpec, ...]] = (
    _col("county", "string", "县（市、区）", "县区", required=True, cell_required=True),
    _col("year", "year", "监测年度", "年度", unit="year", required=True, cell_required=True),
    _col("subject", "string", "学科", "监测学科", required=True, cell_required=True),
    ColumnSpec(
        name="grade",
        kind="integer",
        aliases=("年级",),
        minimum=Decimal(1),
        maximum=Decimal(9),
        range_code="grade_out_of_range",
        invalid_code="grade_out_of_range",
    ),
    _col(
        "level", "enum", "学业水平", "水平等级", required=True, cell_required=True, enum=LEVEL_ENUM
    ),
    _col(
        "inter_school_difference_rate",
        "decimal",
        "校际差异率",
        unit="fraction",
        required=True,
        cell_required=True,
    ),
)
"""Columns of the monitoring-results table (docs: Input tables)."""

# ======================================================================================
# §3 survey responses

GROUP_ENUM: Final = EnumSpec.from_vocabulary("respondent_groups", combined_code="ambiguous_group")
"""``respondent_group`` values (docs: Input tables)."""

QUESTIONNAIRE_ENUM: Final = EnumSpec.from_vocabulary("questionnaires")
"""``questionnaire`` values."""

COMPONENT_ENUM: Final = EnumSpec.from_vocabulary("survey_components")
"""``component`` values of two-component survey designs."""

QUESTIONNAIRE_GROUPS: Final[Mapping[str, tuple[str, ...]]] = vocabulary("questionnaires").strings(
    "groups"
)
"""Respondent groups each questionnaire takes (§3, ``group_questionnaire_mismatch``)."""

MIN_STUDENT_GRADE: Final = 3
"""Lowest grade of the national student questionnaire (§3, ``student_below_grade_3``)."""

NUMERIC_ANSWER_RANGE: Final = (1, 5)
"""Integer answers of a numeric Likert scale (§3, ``answer_out_of_range``)."""

SURVEY_COLUMNS: Final[tuple[ColumnSpec, ...]] = (
    _col("county", "string", "县（市、区）", "县区", required=True, cell_required=True),
    _col(
        "respondent_group",
        "enum",
        "调查对象",
        "身份",
        "对象类别",
        required=True,
        cell_required=True,
        enum=GROUP_ENUM,
    ),
    _col("answer", "string", "答案", "选项", "回答", "满意度", required=True),
    _col("respondent_id", "string", "问卷编号", "答卷编号", identifier=True),
    _col("item_id", "string", "题号", "题目编号", identifier=True),
    _col("questionnaire", "enum", "问卷类型", "卷别", enum=QUESTIONNAIRE_ENUM),
    _col("location", "enum", "城乡", "所在地", enum=LOCATION_ENUM),
    ColumnSpec(
        name="weight",
        kind="decimal",
        aliases=("权重",),
        minimum=Decimal(0),
        minimum_exclusive=True,
        range_code="invalid_weight",
        invalid_code="invalid_weight",
    ),
    ColumnSpec(
        name="grade",
        kind="integer",
        aliases=("年级",),
        minimum=Decimal(1),
        maximum=Decimal(9),
        range_code="grade_out_of_range",
        invalid_code="grade_out_of_range",
    ),
    _col("component", "enum", "调查方式", enum=COMPONENT_ENUM),
    _col("school_id", "string", "学校标识码", identifier=True),
    _col("year", "year", "年度", unit="year"),
)
"""Columns of the survey-responses table (docs: Input tables)."""
