"""The catalogue of the 2021 creation notice, pinned against the notice itself (seed 002).

The seed copy beside this file is ``spec/../seeds/002_28485e3e236b1f8c.txt`` byte for byte: the
MOE General Office notice of 2021-11-25 as reposted by 荣成市教育和体育局. The expected codes,
ids, kinds and counts are typed from ``creation-checklist.md`` §1–§4.
"""

import datetime as dt
import json
import re
import unicodedata
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

from eduequity.checklist import (
    CATALOGUE_IDS,
    CREATION_CHECKLIST_2021,
    ChecklistCatalogue,
    load_catalogue,
)
from eduequity.errors import InvalidArgumentError, RuleSetError

SEED = Path(__file__).parent / "data" / "seed_002_28485e3e236b1f8c.txt"
SEED_TEXT = SEED.read_text(encoding="utf-8")

# creation-checklist.md §3: code -> (id, kind), in the notice's order
ITEMS = {
    "A1": ("rural_school_layout_model", "mechanism"),
    "A2": ("rural_warm_campus", "exploration"),
    "A3": ("urban_places_standard", "policy"),
    "A4": ("school_route_safety", "exploration"),
    "B1": ("annual_retention_monitoring", "mechanism"),
    "B2": ("urban_rural_school_communities", "mechanism"),
    "B3": ("school_district_first", "exploration"),
    "B4": ("school_autonomy", "mechanism"),
    "C1": ("staffing_pool", "policy"),
    "C2": ("recruitment_and_development", "policy"),
    "C3": ("rotation_policy", "policy"),
    "D1": ("classroom_teaching_rules", "policy"),
    "D2": ("five_domain_education", "exploration"),
    "D3": ("differentiated_teaching", "exploration"),
    "D4": ("ict_integration", "exploration"),
    "D5": ("homework_management", "exploration"),
    "D6": ("after_school_services", "exploration"),
    "D7": ("quality_self_evaluation", "policy"),
    "E1": ("special_groups_care", "policy"),
    "E2": ("mental_health_screening", "mechanism"),
}
# §3 area headings: letter -> (id, Chinese title, number of items)
AREAS = {
    "A": ("school_planning", "科学规划建设学校", 4),
    "B": ("balance_mechanisms", "健全均衡发展工作机制", 4),
    "C": ("teacher_allocation", "推进师资均衡配置", 3),
    "D": ("teaching_management", "强化教育教学管理", 7),
    "E": ("student_care", "加强学生教育关爱", 2),
}
TASKS = {
    "T1": "scientific_philosophy",
    "T2": "full_standardization",
    "T3": "stronger_teaching_force",
    "T4": "better_services",
}
CONDITIONS = {
    "S1": "leadership_and_policy",
    "S2": "basic_balance_foundation",
    "S3": "good_ecology",
}

_PUNCTUATION = re.compile(r"[\s，。、,.;；:：()（）《》“”\"'—-]")


def bare(text):
    """Text without punctuation or spaces, NFKC-folded: the repost's punctuation is unreliable."""
    return _PUNCTUATION.sub("", unicodedata.normalize("NFKC", text))


def seed_section(start, end):
    """The seed's lines between two headings (exclusive)."""
    lines = SEED_TEXT.splitlines()
    first = next(i for i, line in enumerate(lines) if line.strip() == start)
    last = next(i for i, line in enumerate(lines) if i > first and line.strip() == end)
    return [line.strip() for line in lines[first + 1 : last] if line.strip()]


def test_counts_and_areas_of_the_notice():
    catalogue = CREATION_CHECKLIST_2021
    assert len(catalogue.conditions) == 3
    assert len(catalogue.basic_tasks) == 4
    assert len(catalogue.tough_items) == 20
    assert [(a.code, a.id, a.title_zh, len(a.item_ids)) for a in catalogue.areas] == [
        (letter, area_id, title, count) for letter, (area_id, title, count) in AREAS.items()
    ]
    assert sum(len(area.item_ids) for area in catalogue.areas) == 20


def test_codes_ids_kinds_and_areas_of_every_item():
    catalogue = CREATION_CHECKLIST_2021
    assert {item.code: (item.id, item.kind) for item in catalogue.tough_items} == ITEMS
    assert [item.code for item in catalogue.tough_items] == list(ITEMS)
    for item in catalogue.tough_items:
        assert item.section == "checklist"
        assert item.area == AREAS[item.code[0]][0]
        assert item.deselectable
    assert {task.code: task.id for task in catalogue.basic_tasks} == TASKS
    assert {condition.code: condition.id for condition in catalogue.conditions} == CONDITIONS
    for entry in (*catalogue.basic_tasks, *catalogue.conditions):
        assert entry.area is None
        assert entry.kind is None
        assert not entry.deselectable


def test_area_codes_follow_the_notice_order_and_positions():
    # the code is the area letter in the notice's order, then the position in the area (§3)
    for area in CREATION_CHECKLIST_2021.areas:
        codes = [CREATION_CHECKLIST_2021.item(item_id).code for item_id in area.item_ids]
        assert codes == [f"{area.code}{position}" for position in range(1, len(codes) + 1)]


def test_checklist_texts_are_the_seed_lines_in_order():
    # 三、(二)攻坚清单: numbered area headings, each followed by its "——" lines
    lines = seed_section("(二)攻坚清单", "四、组织实施")
    areas = []
    for line in lines:
        heading = re.fullmatch(r"(\d)\.(.+)", line)
        if heading:
            areas.append((heading.group(2), []))
        else:
            assert line.startswith("——"), line
            areas[-1][1].append(line.removeprefix("——"))
    assert [len(items) for _, items in areas] == [4, 4, 3, 7, 2]
    catalogue = CREATION_CHECKLIST_2021
    assert [title for title, _ in areas] == [area.title_zh for area in catalogue.areas]
    seed_items = [text for _, items in areas for text in items]
    assert [bare(text) for text in seed_items] == [
        bare(item.text_zh) for item in catalogue.tough_items
    ]


def test_every_chinese_text_occurs_in_the_seed():
    flat = bare(SEED_TEXT)
    catalogue = CREATION_CHECKLIST_2021
    for entry in catalogue.items:
        assert bare(entry.text_zh) in flat, entry.code
        # a condition's title joins key phrases of its clause; each phrase is verbatim
        for phrase in entry.title_zh.split("，"):
            assert bare(phrase) in flat, entry.code
        if entry.detail_zh:
            assert bare(entry.detail_zh) in flat, entry.code
    for area in catalogue.areas:
        assert bare(area.title_zh) in flat


def test_basic_tasks_are_the_seed_paragraphs():
    lines = seed_section("(一)基本任务", "(二)攻坚清单")
    assert len(lines) == 4
    titles = [line.removeprefix("——").split("。", 1)[0] for line in lines]
    bodies = [line.removeprefix("——").split("。", 1)[1] for line in lines]
    assert titles == [task.text_zh for task in CREATION_CHECKLIST_2021.basic_tasks]
    assert [bare(body) for body in bodies] == [
        bare(task.detail_zh) for task in CREATION_CHECKLIST_2021.basic_tasks
    ]


def test_conditions_are_the_three_numbered_clauses():
    lines = seed_section("二、遴选要求", "三、创建任务")
    clauses = [line[2:] for line in lines if re.match(r"[123]\.", line)]
    assert len(clauses) == 3
    assert [bare(clause) for clause in clauses] == [
        bare(condition.text_zh) for condition in CREATION_CHECKLIST_2021.conditions
    ]
    assert "3年以上" in CREATION_CHECKLIST_2021.item("S2").text_zh


def test_parameters_source_and_identity():
    catalogue = CREATION_CHECKLIST_2021
    parameters = catalogue.parameters
    assert catalogue.id == "cn_moe_2021_creation"
    assert catalogue.version == "1.0.0"
    assert CATALOGUE_IDS == ("cn_moe_2021_creation",)
    assert parameters.first_batch_deadline == dt.date(2021, 12, 10)
    assert parameters.province_count_range == (3, 5)
    assert parameters.basic_balance_min_years == 3
    assert parameters.first_batch_reference_year == 2021
    assert (parameters.creation_period_min_years, parameters.creation_period_max_years) == (3, 5)
    assert parameters.target_year == 2035
    assert parameters.social_recognition_min == Decimal("0.85")
    assert set(parameters.sources) >= {"first_batch_deadline", "province_count_min"}
    assert "3—5" in parameters.sources["province_count_min"].clause
    assert catalogue.source.title_zh == "教育部办公厅关于开展县域义务教育优质均衡创建工作的通知"
    assert catalogue.source.date == dt.date(2021, 11, 25)
    assert catalogue.source.title_zh in SEED_TEXT
    # the seed prints the dates without separators (20211125, 20211210日)
    assert "20211125" in SEED_TEXT
    assert "20211210日" in SEED_TEXT
    assert "3—5个县" in SEED_TEXT


def test_recommendation_form_fields():
    fields = CREATION_CHECKLIST_2021.form_fields
    assert [field.number for field in fields] == list(range(1, 16))
    ids = [field_id for field in fields for field_id in field.ids]
    assert ids[:4] == ["province", "city", "county", "basic_balance_recognition_year"]
    assert "full_time_teachers_rural" in ids
    assert [field.number for field in fields if field.personal] == [14, 15]
    assert CREATION_CHECKLIST_2021.form_example["county"] == "荣成市"
    assert CREATION_CHECKLIST_2021.form_example["basic_balance_recognition_year"] == 2013
    assert "荣成市" in SEED_TEXT
    assert "2013" in SEED_TEXT


def test_kinds_carry_the_evidence_expectations():
    catalogue = CREATION_CHECKLIST_2021
    assert [kind.id for kind in catalogue.kinds] == ["policy", "mechanism", "exploration"]
    assert "operating record" in catalogue.kind("mechanism").evidence_en
    with pytest.raises(InvalidArgumentError, match="'other' is not a deliverable kind"):
        catalogue.kind("other")


@pytest.mark.parametrize(
    ("key", "code"),
    [
        ("A1", "A1"),
        ("a1", "A1"),
        (" Ａ１ ", "A1"),
        ("rural_school_layout_model", "A1"),
        ("E2", "E2"),
        ("mental_health_screening", "E2"),
        ("T3", "T3"),
        ("good_ecology", "S3"),
        ("制订课堂教学基本规程", "D1"),
        ("完善符合教师职业特点的招聘办法,健全教师专业发展支持服务体系", "C2"),
        ("建设更高素质的教师队伍", "T3"),
    ],
)
def test_item_lookup_by_code_or_id(key, code):
    assert CREATION_CHECKLIST_2021.item(key).code == code


@pytest.mark.parametrize("key", ["X9", "A9", "rural", ""])
def test_unknown_item_is_an_error_naming_it(key):
    with pytest.raises(InvalidArgumentError) as caught:
        CREATION_CHECKLIST_2021.item(key)
    assert caught.value.code == "unknown_item"
    assert repr(key) in str(caught.value)
    assert "A1–E2" in str(caught.value)


def test_area_lookup():
    assert CREATION_CHECKLIST_2021.area("D").id == "teaching_management"
    assert CREATION_CHECKLIST_2021.area("student_care").code == "E"
    with pytest.raises(InvalidArgumentError, match="'F' is not an area") as caught:
        CREATION_CHECKLIST_2021.area("F")
    assert caught.value.code == "unknown_area"


def test_catalogue_is_frozen():
    catalogue = CREATION_CHECKLIST_2021
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        catalogue.version = "2"  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        catalogue.tough_items[0].text_zh = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        catalogue.parameters.sources["x"] = None  # type: ignore[index]
    with pytest.raises(TypeError):
        catalogue.form_example["county"] = "x"  # type: ignore[index]
    assert isinstance(catalogue.tough_items, tuple)
    assert load_catalogue() is catalogue


def test_serialisations():
    catalogue = CREATION_CHECKLIST_2021
    data = json.loads(json.dumps(catalogue.to_dict(), ensure_ascii=False))
    assert data["id"] == "cn_moe_2021_creation"
    assert data["parameters"]["first_batch_deadline"] == "2021-12-10"
    assert data["parameters"]["social_recognition_min"] == "0.85"
    assert len(data["tough_items"]) == 20
    frame = catalogue.to_frame()
    assert len(frame) == 27
    assert frame["section"].value_counts().to_dict() == {
        "checklist": 20,
        "basic_task": 4,
        "condition": 3,
    }
    assert frame["order"].tolist() == list(range(27))
    text = catalogue.to_text()
    for entry in catalogue.items:
        assert f"{entry.code} " in text


def test_load_unknown_catalogue():
    with pytest.raises(InvalidArgumentError) as caught:
        load_catalogue("cn_moe_2030_creation")
    assert caught.value.code == "unknown_catalogue"


def _shipped_json():
    data = CREATION_CHECKLIST_2021.to_dict()
    # to_dict gives the parameter values; the file form keeps value + clause + tag
    raw = json.loads(
        (
            Path(__file__).resolve().parents[2]
            / "src/eduequity/checklist/data/cn_moe_2021_creation.json"
        ).read_text(encoding="utf-8")
    )
    assert raw["id"] == data["id"]
    return raw


def test_from_dict_rejects_duplicate_codes():
    raw = _shipped_json()
    raw["items"][1]["code"] = "A1"
    with pytest.raises(RuleSetError, match="'A1' is used twice"):
        ChecklistCatalogue.from_dict(raw)


def test_from_dict_rejects_unknown_area_and_kind():
    raw = _shipped_json()
    raw["items"][0]["area"] = "nowhere"
    with pytest.raises(RuleSetError, match="unknown area 'nowhere'"):
        ChecklistCatalogue.from_dict(raw)
    raw = _shipped_json()
    raw["items"][0]["kind"] = "wish"
    with pytest.raises(RuleSetError, match="kind 'wish'"):
        ChecklistCatalogue.from_dict(raw)
    raw = _shipped_json()
    del raw["parameters"]["first_batch_deadline"]
    with pytest.raises(RuleSetError, match="malformed"):
        ChecklistCatalogue.from_dict(raw)
