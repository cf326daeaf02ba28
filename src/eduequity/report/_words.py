"""Readable words for the identifiers results carry: Chinese first, English beside (private).

Results name their items, columns, statuses and warnings by stable snake_case ids
(``sports_area_per_student``, ``teacher_rotation``, ``unit_excluded``): right for programs and
for JSON, wrong for a reader. Reports show :func:`label` of an id (``生均体育运动场馆面积
sports ground and hall area per pupil``) and pass free text, the messages and notes of a
result, through :func:`readable`, which does the same to every id inside it.

The Chinese names are not written down here: they are read from where they are defined once,
the indicator table, the vocabularies, the county-fact fields, the school-table columns and the
shipped rule sets. Ids with no Chinese name are shown in English words.

Examples
--------
>>> label("sports_area_per_student")
'生均体育运动场馆面积 sports ground and hall area per pupil'
>>> label("exact_tolerance")
'exact tolerance'
>>> readable("L7 multimedia_rooms_per_100 is 1.8")
'L7 每百名学生拥有网络多媒体教室数 networked multimedia classrooms per 100 pupils is 1.8'
>>> readable("see units.min_teaching_point_students")
'see units.min teaching point students'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Final

from eduequity._vocabulary import NAMES, fact_fields, vocabulary
from eduequity.io import COUNTY_FACTS_SCHEMA, SCHOOL_SCHEMA, SURVEY_SCHEMA
from eduequity.national.indicators import INDICATORS
from eduequity.national.rules import RULES_2012, RULES_2017

_IDENTIFIER: Final = re.compile(r"(?<![\w/])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w/]|\.\w)")
"""A snake_case id, not part of a path or a web address."""
_RULE_KEY: Final = re.compile(
    r"(?<![\w/.])([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)(?![\w/])(?<!\.csv)(?<!\.json)(?<!\.xlsx)"
)
"""A dotted rule key (``units.min_teaching_point_students``), not a file name."""
_PARTS_ZH: Final[Mapping[str, str]] = {
    # The parts of multi-part items and figures, named nowhere else in Chinese.
    "schools": "学校数",
    "schools_failing": "未达标学校数",
    "schools_short_of_music_rooms": "音乐教室不足的学校数",
    "schools_short_of_art_rooms": "美术教室不足的学校数",
    "smallest_music_room_m2": "最小音乐教室面积",
    "smallest_art_room_m2": "最小美术教室面积",
    "classes_per_room": "每间专用教室班数",
    "rounding": "取整",
    "largest_single_stage": "最大单学段学校规模",
    "largest_integrated": "最大一贯制学校规模",
    "single_stage": "小学、初中规模",
    "integrated": "一贯制学校规模",
    "ratio": "比值",
    "performance_pay": "绩效工资足额核定",
    "rotation": "交流轮岗比例",
    "backbone_share": "骨干教师占比",
    "rate": "比例",
    "rural_tilt": "向农村初中倾斜",
    "care_system": "关爱体系健全",
    "public_share": "公办学校就读比例",
    "subjects": "科目数",
    "lowest_level": "最低学业水平",
    "highest_difference_rate": "最高校际差异率",
    "min_level": "学业水平",
    "max_difference_rate": "校际差异率",
    "construction": "学校建设标准",
    "staffing": "教师编制标准",
    "funding": "生均公用经费基准定额",
    "equipment": "基本装备配置标准",
    "positive_share": "肯定比例",
    "mean_score": "平均分",
    "pooled": "合并计算",
}
_PREFIXES: Final = ("veto_",)
"""Prefixes an id carries for the program, not for the reader (``veto_exam_admission``)."""


@cache
def _chinese() -> Mapping[str, str]:
    """Id -> Chinese name, from every place the package defines one (first definition wins)."""
    sources: list[tuple[str, str]] = list(_PARTS_ZH.items())
    sources += [(key, indicator.title_zh) for key, indicator in INDICATORS.items()]
    sources += [(field.name, next(iter(field.aliases), "")) for field in fact_fields()]
    sources += [
        (column.name, next((a for a in column.aliases if not a.isascii()), ""))
        for schema in (SCHOOL_SCHEMA, COUNTY_FACTS_SCHEMA, SURVEY_SCHEMA)
        for column in schema.columns
    ]
    # Stages first: ``junior`` is the stage 初中 before it is the school type 初级中学.
    ordered = ("stages", *(name for name in NAMES if name != "stages"))
    sources += [(code, zh) for name in ordered for code, zh in vocabulary(name).labels.items()]
    sources += [
        (key.split(".")[-2], str(rules.entry(key).value))
        for rules in (RULES_2017, RULES_2012)
        for key in rules.keys()  # noqa: SIM118 - RuleSet.keys() is the API, there is no __iter__
        if key.endswith(".title_zh")
    ]
    names: dict[str, str] = {}
    for code, zh in sources:
        if zh:
            names.setdefault(code, zh)
    return names


def english(key: str) -> str:
    """Return the English words of an id: the indicator's title, else the id in words."""
    indicator = INDICATORS.get(key)
    if indicator is not None:
        return indicator.title_en
    for prefix in _PREFIXES:
        key = key.removeprefix(prefix)
    return key.replace("_", " ")


def chinese(key: str) -> str:
    """Return the Chinese name of an id, or an empty string when it has none."""
    return _chinese().get(key, "")


def label(key: str) -> str:
    """Return ``"中文 English"`` for an id; English words alone when it has no Chinese name."""
    zh = chinese(key)
    return f"{zh} {english(key)}" if zh else english(key)


def _replace(match: re.Match[str]) -> str:
    return label(match.group(0))


@cache
def _documents() -> Mapping[str, str]:
    """Rule-set id -> its document number, for sources that cite a shipped rule set."""
    return {rules.id: str(rules.document.number) for rules in (RULES_2017, RULES_2012)}


def readable(text: str) -> str:
    """Return ``text`` with every snake_case id in it replaced by its :func:`label`.

    Dotted rule keys (``units.min_teaching_point_students``) keep their dots and lose their
    underscores.
    """
    for ruleset_id, number in _documents().items():
        text = text.replace(ruleset_id, number)
    parts = _RULE_KEY.split(text)
    # re.split puts the rule keys it found at the odd positions.
    return "".join(
        part.replace("_", " ") if index % 2 else _IDENTIFIER.sub(_replace, part)
        for index, part in enumerate(parts)
    )
