"""Column specifications of the input tables, as data (private; public via :mod:`eduequity.io`).

Everything here transcribes ``data-schema.md``: §1 (school table), §2.1 (county facts), §2.2
(monitoring results) and §3 (survey responses). The table-level checks live in the modules
``_school``, ``_facts`` and ``_survey``, which assemble the :class:`TableSchema` objects.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Final

from eduequity.io._spec import ColumnKind, ColumnSpec, EnumSpec, EnumValue


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

SCHOOL_TYPE_ENUM: Final = EnumSpec(
    values=(
        EnumValue(value="primary", aliases=("小学",), codes=("211",)),
        EnumValue(value="junior", aliases=("初级中学", "初中"), codes=("311",)),
        EnumValue(value="nine_year", aliases=("九年一贯制学校", "九年一贯制"), codes=("312",)),
        EnumValue(
            value="twelve_year", aliases=("十二年一贯制学校", "十二年一贯制"), codes=("345",)
        ),
        EnumValue(value="complete_middle", aliases=("完全中学",), codes=("341",)),
        EnumValue(value="teaching_point", aliases=("教学点", "小学教学点"), codes=("218",)),
        EnumValue(value="special", aliases=("特殊教育学校", "盲人学校", "聋人学校", "培智学校")),
        EnumValue(value="vocational", aliases=("职业学校", "职业初中"), codes=("321",)),
    ),
    hints={
        "342": _NOT_COMPULSORY,
        "219": _NOT_COMPULSORY,
        "319": _NOT_COMPULSORY,
        "高级中学": _NOT_COMPULSORY,
        "普通高中": _NOT_COMPULSORY,
        "附设班": _NOT_COMPULSORY,
        "附设小学班": _NOT_COMPULSORY,
        "附设初中班": _NOT_COMPULSORY,
        "附设普通初中班": _NOT_COMPULSORY,
    },
)
"""``school_type`` values with their Chinese aliases and 办学类型 codes (``data-schema.md``
§1.4; codes [S] GB/T 33782-2017 table 4)."""

OWNERSHIP_ENUM: Final = EnumSpec(
    values=(
        EnumValue(value="public", aliases=("公办", "公立")),
        EnumValue(value="private", aliases=("民办", "私立")),
    )
)
"""``ownership`` values (``data-schema.md`` §1.1)."""

LOCATION_ENUM: Final = EnumSpec(
    values=(
        EnumValue(value="urban", aliases=("城区", "城市"), codes=("11", "111", "112")),
        EnumValue(value="town", aliases=("镇区", "县镇"), codes=("12", "121", "122", "123")),
        EnumValue(value="rural", aliases=("乡村", "农村"), codes=("2", "210", "220")),
    )
)
"""``location`` values: 城乡分类 names, legacy names and codes (``data-schema.md`` §1.1;
codes [S] GB/T 33782-2017 table 5)."""

# ======================================================================================
# §1 school table

SCHOOL_TYPE_SECTIONS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "primary": ("primary",),
        "junior": ("junior",),
        "nine_year": ("primary", "junior"),
        "twelve_year": ("primary", "junior", "senior"),
        "complete_middle": ("junior", "senior"),
        "teaching_point": ("primary",),
        "special": (),
        "vocational": (),
    }
)
"""Stages (学段) each ``school_type`` may have pupils in (``data-schema.md`` §1.4)."""

COMPULSORY_SCHOOL_TYPES: Final = (
    "primary",
    "junior",
    "nine_year",
    "twelve_year",
    "complete_middle",
    "teaching_point",
)
"""School types that enter Part 1 (teaching points only from 50 pupils, §1.4)."""

TYPE_AND_SIGN_ONLY_TYPES: Final = ("special", "vocational")
"""Types read and counted, but whose numbers are checked only for type and sign (§1)."""

STAGES: Final = ("primary", "junior")
"""Compulsory stages."""

STAGE_TEACHER_COLUMNS: Final = ("qualified_teachers", "backbone_teachers", "pe_arts_teachers")
"""Per-stage teacher columns of Part 1, without the ``_<stage>`` suffix."""

SCHOOL_WIDE_REQUIRED: Final = (
    "teaching_aux_area_m2",
    "indoor_sports_area_m2",
    "sports_ground_area_m2",
    "equipment_value_yuan",
    "multimedia_classrooms",
)
"""Whole-school resource columns required for every included unit (§1.2)."""

SUBSET_TEACHER_COLUMNS: Final = (
    "qualified_teachers",
    "backbone_teachers",
    "pe_arts_teachers",
    "bachelor_plus_teachers",
    "mid_senior_title_teachers",
)
"""Teacher counts that cannot exceed ``full_time_teachers_<stage>`` (§1.5)."""

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
"""Default limits of warning ``outlier_value`` (``data-schema.md`` §1.5, library defaults).

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
        for stage, stage_zh in (("primary", "小学"), ("junior", "初中")):
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
"""Columns of the school table (``data-schema.md`` §1.1–§1.3)."""

# ======================================================================================
# §2.1 county facts

_FACT_FIELDS: Final[tuple[tuple[str, ColumnKind, str | None, tuple[str, ...]], ...]] = (
    ("basic_balance_recognition_year", "year", "year", ("通过国家基本均衡认定年份",)),
    ("basic_balance_recognition_date", "date", None, ("基本均衡认定时间",)),
    ("post_recognition_monitoring", "bool", None, ("认定后年度监测保持较高水平",)),
    ("layout_planning", "bool", None, ("规划布局合理",)),
    ("unified_standards", "bool", None, ("城乡统一标准",)),
    ("unified_standards_construction", "bool", None, ("城乡统一学校建设标准",)),
    ("unified_standards_staffing", "bool", None, ("城乡统一教师编制标准",)),
    ("unified_standards_funding", "bool", None, ("城乡统一生均公用经费基准定额",)),
    ("unified_standards_equipment", "bool", None, ("城乡统一基本装备配置标准",)),
    ("music_art_rooms", "bool", None, ("音乐美术专用教室达标",)),
    ("school_size", "bool", None, ("学校规模达标",)),
    ("class_size", "bool", None, ("班额达标",)),
    ("small_school_funding", "bool", None, ("小规模学校按100人核定公用经费",)),
    (
        "public_funds_benchmark_primary_yuan",
        "decimal",
        "yuan per pupil",
        ("生均公用经费基准定额（小学）", "小学生均公用经费基准定额"),
    ),
    (
        "public_funds_benchmark_junior_yuan",
        "decimal",
        "yuan per pupil",
        ("生均公用经费基准定额（初中）", "初中生均公用经费基准定额"),
    ),
    ("special_ed_funding", "decimal", "yuan per pupil", ("特殊教育学校生均公用经费",)),
    ("teacher_salary_parity", "decimal", "ratio", ("教师与公务员平均工资比",)),
    ("teacher_salary_parity_teacher_avg_yuan", "decimal", "yuan per year", ("教师平均工资收入",)),
    (
        "teacher_salary_parity_civil_servant_avg_yuan",
        "decimal",
        "yuan per year",
        ("公务员平均工资收入",),
    ),
    ("teacher_salary_parity_performance_pay", "bool", None, ("足额核定绩效工资总量",)),
    ("teacher_training_completion", "rate", "fraction", ("5年360学时培训完成率",)),
    ("teacher_training_completion_completed", "count", "teachers", ("完成培训教师数",)),
    ("teacher_training_completion_required", "count", "teachers", ("应培训教师数",)),
    ("staffing_coordination", "bool", None, ("统筹调配编制和岗位",)),
    ("teacher_rotation", "rate", "fraction", ("交流轮岗比例",)),
    ("teacher_rotation_backbone_share", "rate", "fraction", ("骨干教师占交流轮岗教师比例",)),
    ("teacher_rotation_eligible", "count", "teachers", ("符合交流条件教师数",)),
    ("teacher_rotation_rotated", "count", "teachers", ("交流轮岗教师数",)),
    ("teacher_rotation_backbone_rotated", "count", "teachers", ("交流轮岗骨干教师数",)),
    ("teacher_certification", "rate", "fraction", ("教师资格证持证上岗率",)),
    ("teacher_certification_certified", "count", "teachers", ("持证专任教师数",)),
    ("teacher_certification_full_time", "count", "teachers", ("专任教师数",)),
    ("nearby_enrolment_primary", "rate", "fraction", ("就近划片入学比例（小学）",)),
    ("nearby_enrolment_junior", "rate", "fraction", ("就近划片入学比例（初中）",)),
    ("high_school_quota_allocation", "rate", "fraction", ("优质高中招生名额分配比例",)),
    ("high_school_quota_allocation_rural_tilt", "bool", None, ("向农村初中倾斜",)),
    ("left_behind_and_migrant_children_care_system", "bool", None, ("留守儿童关爱体系健全",)),
    (
        "left_behind_and_migrant_children_public_share",
        "rate",
        "fraction",
        ("随迁子女在公办学校和政府购买服务学校就读比例",),
    ),
    ("junior_retention_rate", "rate", "fraction", ("初中三年巩固率",)),
    ("junior_retention_rate_cohort_start", "count", "pupils", ("初一入学人数",)),
    ("junior_retention_rate_cohort_end", "count", "pupils", ("初三在校人数",)),
    ("disabled_enrolment_rate", "rate", "fraction", ("残疾儿童少年入学率",)),
    ("disabled_enrolment_rate_enrolled", "count", "children", ("残疾儿童少年入学人数",)),
    ("disabled_enrolment_rate_population", "count", "children", ("适龄残疾儿童少年人数",)),
    ("charters_and_informatization", "bool", None, ("学校章程与信息化",)),
    (
        "teacher_training_budget_share",
        "rate",
        "fraction",
        ("教师培训经费占公用经费比例（最低）",),
    ),
    ("ict_use_in_teaching", "bool", None, ("信息化手段教学",)),
    ("moral_education_and_culture", "bool", None, ("德育与校园文化达到良好以上",)),
    ("curriculum_and_order", "bool", None, ("课程开齐开足、教学秩序规范",)),
    ("no_excessive_burden", "bool", None, ("无过重课业负担",)),
    ("academic_monitoring", "bool", None, ("质量监测达标",)),
    ("social_recognition", "rate", "fraction", ("社会认可度",)),
    ("veto_exam_admission", "bool", None, ("以考试方式招生",)),
    ("veto_school_choice", "bool", None, ("违规择校",)),
    ("veto_key_schools_or_classes", "bool", None, ("重点学校或重点班",)),
    ("veto_unfilled_posts", "bool", None, ("有编不补或长期聘用编外教师",)),
    ("veto_major_incident", "bool", None, ("重大安全责任事故和严重违纪违规事件",)),
    ("veto_falsification", "bool", None, ("弄虚作假",)),
    ("veto_tutoring_governance", "bool", None, ("校外培训治理不力",)),
)

FACT_DECLARED_FIELDS: Final = (
    "post_recognition_monitoring",
    "layout_planning",
    "unified_standards",
    "unified_standards_construction",
    "unified_standards_staffing",
    "unified_standards_funding",
    "unified_standards_equipment",
    "small_school_funding",
    "teacher_salary_parity_performance_pay",
    "staffing_coordination",
    "high_school_quota_allocation_rural_tilt",
    "left_behind_and_migrant_children_care_system",
    "charters_and_informatization",
    "ict_use_in_teaching",
    "moral_education_and_culture",
    "curriculum_and_order",
    "no_excessive_burden",
)
"""Declared yes/no fields (``national-method.md`` §2, §4, §5, kind "declared"): ``true``
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

RATE_COUNT_TOLERANCE: Final = Decimal("0.0005")
"""Largest accepted gap between a given rate and its counts (§2.1, ``rate_count_mismatch``)."""

EARLIEST_BASIC_BALANCE_YEAR: Final = 2013
"""Recognition years before this give warning ``basic_balance_year_early`` (§2.1)."""


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
    for name, kind, unit, aliases in _FACT_FIELDS:
        columns.append(_col(name, kind, *aliases, unit=unit))
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
"""Columns of the county-facts table (``data-schema.md`` §2.1), each field followed (at the
end) by its optional ``<field>_evidence`` text column."""

# ======================================================================================
# §2.2 monitoring results

LEVEL_ENUM: Final = EnumSpec(
    values=(
        EnumValue(value="I", aliases=("水平I", "I级"), codes=("1",)),
        EnumValue(value="II", aliases=("水平II", "II级"), codes=("2",)),
        EnumValue(value="III", aliases=("水平III", "III级"), codes=("3",)),
        EnumValue(value="IV", aliases=("水平IV", "IV级"), codes=("4",)),
    )
)
"""Monitoring levels Ⅰ–Ⅳ; the Unicode Roman numerals Ⅰ Ⅱ Ⅲ Ⅳ fold to I II III IV (§2.2)."""

SUBJECT_ALIASES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "语文": "语文",
        "数学": "数学",
        "科学": "科学",
        "体育": "体育",
        "体育与健康": "体育",
        "艺术": "艺术",
        "德育": "德育",
        "道德与法治": "德育",
        "英语": "英语",
        "劳动": "劳动",
        "心理健康": "心理健康",
    }
)
"""Known monitoring subjects and their aliases → the name kept (§2.2); other subjects are
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
"""Columns of the monitoring-results table (``data-schema.md`` §2.2)."""

# ======================================================================================
# §3 survey responses

GROUP_ENUM: Final = EnumSpec(
    values=(
        EnumValue(value="parent", aliases=("家长", "学生家长")),
        EnumValue(value="student", aliases=("学生",)),
        EnumValue(value="teacher", aliases=("教师", "老师")),
        EnumValue(value="principal", aliases=("校长",)),
        EnumValue(value="deputy", aliases=("人大代表",)),
        EnumValue(value="cppcc_member", aliases=("政协委员",)),
        EnumValue(value="public", aliases=("其他群众", "群众", "群众代表", "社会人士", "社会公众")),
    ),
    combined_code="ambiguous_group",
)
"""``respondent_group`` values (``data-schema.md`` §3)."""

QUESTIONNAIRE_ENUM: Final = EnumSpec(
    values=(
        EnumValue(value="society", aliases=("社会卷",)),
        EnumValue(value="staff", aliases=("校长教师卷",)),
        EnumValue(value="student", aliases=("学生卷",)),
    )
)
"""``questionnaire`` values (§3)."""

COMPONENT_ENUM: Final = EnumSpec(
    values=(
        EnumValue(value="questionnaire", aliases=("问卷调查",)),
        EnumValue(value="field_visit", aliases=("实地走访",)),
    )
)
"""``component`` values of two-component survey designs (§3)."""

QUESTIONNAIRE_GROUPS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "society": ("parent", "deputy", "cppcc_member", "public"),
        "staff": ("teacher", "principal"),
        "student": ("student",),
    }
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
"""Columns of the survey-responses table (``data-schema.md`` §3)."""
