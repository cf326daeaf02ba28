"""Per-school limits under an overlay with conditional values (national-method.md §11.2).

The ``shenyang`` overlay gives older schools (built in or before 2016) smaller music and art
rooms (73 / 67 m² instead of 96 / 90) and older or migrant schools (built in or before 2010, or
more than 50% migrant pupils) larger size limits (2400 / 3000 pupils instead of 2000 / 2500).
Each school's limit, as results and reports show it, is the one that applies to it.
"""

import json

import pytest
from tests.national.test_guarantee import facts, primary, run, school, table

from eduequity.datasets import DEMO_COUNTY, demo_path
from eduequity.national import RULES_2017, SchoolLimit, assess_county, get_rules
from eduequity.report import render_county

SHENYANG = get_rules(2017, overlay="shenyang")
SIZE = "guarantee.school_size.max_students"


def _schools():
    old = primary("OLD", pupils=2300, classes=52, music_rooms=5, art_rooms=5, built_year=2005)
    old.update(min_music_room_area_m2=80.0, min_art_room_area_m2=70.0, migrant_share=0.1)
    migrant = primary("MIG", pupils=1900, classes=44, music_rooms=4, art_rooms=4, built_year=2018)
    migrant["migrant_share"] = 0.6
    plain = primary("NEW", pupils=1500, classes=36, music_rooms=3, art_rooms=3, built_year=2019)
    plain["migrant_share"] = 0.2
    nine = school(
        "NINE",
        "nine_year",
        students_primary=1800,
        students_junior=900,
        classes_primary=40,
        classes_junior=20,
        max_class_size_primary=45,
        max_class_size_junior=50,
        music_rooms=5,
        art_rooms=5,
        built_year=2009,
        migrant_share=0.0,
    )
    return table(old, migrant, plain, nine)


def test_school_size_limits_are_those_of_each_school():
    part = run(facts(), _schools(), rules=SHENYANG)
    size = part.item("school_size")
    assert size.status == "pass"
    shown = [(x.school_id, x.rule_key, x.value, x.limit, x.default) for x in size.school_limits]
    assert shown == [
        ("OLD", SIZE, 2300.0, 2400.0, 2000.0),
        ("MIG", SIZE, 1900.0, 2400.0, 2000.0),
        ("NINE", f"{SIZE}_integrated", 2700.0, 3000.0, 2500.0),
    ]
    old = size.school_limits[0]
    assert isinstance(old, SchoolLimit)
    assert (old.comparator, old.overlay) == ("<=", "shenyang")
    assert old.condition == "built_year <= 2010 or migrant_share > 0.5"


def test_room_area_limits_are_those_of_each_school():
    rooms = run(facts(), _schools(), rules=SHENYANG).item("music_art_rooms")
    shown = [
        (x.school_id, x.rule_key.rsplit(".", 1)[-1], x.value, x.limit, x.default)
        for x in rooms.school_limits
    ]
    # OLD (2005) and NINE (2009) are built in or before 2016; MIG and NEW are not.
    assert shown == [
        ("OLD", "min_music_room_area_m2", 80.0, 73.0, 96.0),
        ("NINE", "min_music_room_area_m2", 100.0, 73.0, 96.0),
        ("OLD", "min_art_room_area_m2", 70.0, 67.0, 90.0),
        ("NINE", "min_art_room_area_m2", 100.0, 67.0, 90.0),
    ]
    assert {x.condition for x in rooms.school_limits} == {"built_year <= 2016"}


def test_without_conditional_values_no_school_has_its_own_limit():
    part = run(facts(), _schools(), rules=RULES_2017)
    assert all(item.school_limits == () for item in part.items)
    assert part.item("school_size").status == "fail"  # OLD and NINE exceed 2000 / 2500


def test_a_condition_on_an_absent_column_gives_no_school_its_own_limit():
    schools = _schools().drop(columns=["built_year", "migrant_share"])
    part = run(facts(), schools, rules=SHENYANG)
    assert part.item("school_size").school_limits == ()
    assert part.item("music_art_rooms").school_limits == ()


def test_school_limits_are_in_the_json_result():
    item = run(facts(), _schools(), rules=SHENYANG).item("school_size").to_dict()
    document = json.loads(json.dumps(item, ensure_ascii=False))
    assert document["school_limits"][0] == {
        "school_id": "OLD",
        "rule_key": SIZE,
        "limit": 2400.0,
        "default": 2000.0,
        "value": 2300.0,
        "comparator": "<=",
        "condition": "built_year <= 2010 or migrant_share > 0.5",
        "overlay": "shenyang",
    }


@pytest.fixture(scope="module")
def demo_shenyang():
    return assess_county(
        demo_path("demo_county_schools.csv"),
        demo_path("demo_county_facts.csv"),
        rules=SHENYANG,
        county=DEMO_COUNTY,
    )


def test_text_report_shows_each_school_its_limit(demo_shenyang):
    text = render_county(demo_shenyang, "text", rules=SHENYANG)
    assert "条件限值 Conditional limits" in text
    # 0990010101 (junior, built 1952, 2150 pupils) is within its limit of 2400, not 2000.
    table = text[text.index("条件限值 Conditional limits") :]
    (line,) = [row for row in table.splitlines() if "(0990010101)" in row]
    assert "2150 (≤ 2400)" in line
    assert "105 (≥ 73)" in line
    # Markdown keeps every cell on one line. 33 demo schools are sized; all but 0990010005
    # (built 2012) and 0990010301 (built 2015), both with few migrants, get 2400 / 3000.
    markdown = render_county(demo_shenyang, "markdown", rules=SHENYANG)
    assert "31 所学校适用条件限值 school(s) with a conditional limit, see below" in markdown
    assert "建校年份 built year <= 2010 or 随迁子女占比 migrant share > 0.5 (shenyang)" in markdown


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_other_formats_show_the_conditional_limits(demo_shenyang, fmt):
    document = render_county(demo_shenyang, fmt, rules=SHENYANG)
    assert "2150 (≤ 2400)" in document


def test_no_conditional_limits_table_without_the_overlay():
    national = assess_county(
        demo_path("demo_county_schools.csv"),
        demo_path("demo_county_facts.csv"),
        rules=RULES_2017,
        county=DEMO_COUNTY,
    )
    assert "条件限值" not in render_county(national, "text")
