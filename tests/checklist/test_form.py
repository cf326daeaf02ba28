"""The recommendation form (推荐表): fields from the tables, checks by field, redaction.

The fields and their sources are those of the notice's attachment (seed 002,
``creation-checklist.md`` §4); the counts below are worked out by hand from the rows built
here, row by row, not taken from a run of the code.
"""

import datetime as dt
import unicodedata

import pytest
from tests.io._school_rows import JUNIOR, NINE_YEAR, PRIMARY, schools

from eduequity.checklist import (
    CREATION_CHECKLIST_2021,
    REDACTED,
    evaluate_checklist,
    recommendation_form,
)
from eduequity.datasets import demo_path
from eduequity.errors import DegenerateDataWarning, InputError, InvalidArgumentError
from eduequity.national import RULES_2012, assess_county
from eduequity.report import render_form

COUNTY = "历下区"
TEACHERS = {"小学专任教师数": "0", "初中专任教师数": "0"}
# subsets of a small staff, so that no subset exceeds its full-time teachers
SMALL_STAFF = {
    "小学高于规定学历教师数": "3",
    "小学县级及以上骨干教师数": "1",
    "小学体音美专任教师数": "1",
}

# One row of each kind the form's counts treat differently (creation-checklist.md §4 #4-#9):
ROWS = [
    # a primary school, urban: 600 pupils, 35 full-time teachers
    PRIMARY | TEACHERS | {"小学专任教师数": "35"},
    # a nine-year school, rural: 400 + 300 pupils, 25 + 20 teachers
    NINE_YEAR | {"城乡分类": "乡村", "小学专任教师数": "25", "初中专任教师数": "20"},
    # a junior school in a town: 500 pupils, 40 teachers
    JUNIOR | {"城乡分类": "镇区", "小学专任教师数": "0", "初中专任教师数": "40"},
    # a site of the nine-year school (不计校数): merged, not a school; 60 pupils, 4 teachers
    PRIMARY
    | SMALL_STAFF
    | {
        "学校标识码": "3701020009",
        "学校名称": "九年一贯制学校分校区",
        "所属学校标识码": "3701020002",
        "城乡分类": "乡村",
        "小学在校生数": "60",
        "小学专任教师数": "4",
        "初中专任教师数": "0",
    },
    # a teaching point, rural: not a school, its 30 pupils and 3 teachers counted
    PRIMARY
    | SMALL_STAFF
    | {
        "学校标识码": "3701020010",
        "学校名称": "某村教学点",
        "办学类型": "教学点",
        "城乡分类": "乡村",
        "小学在校生数": "30",
        "小学专任教师数": "3",
        "初中专任教师数": "0",
        "小学班数": "2",
    },
    # a special-education school, urban: a school; 80 pupils, 15 teachers
    PRIMARY
    | {
        "学校标识码": "3701020011",
        "学校名称": "特殊教育学校",
        "办学类型": "特殊教育学校",
        "小学在校生数": "80",
        "小学专任教师数": "15",
        "初中专任教师数": "0",
    },
    # a vocational junior school, rural: left out of every count
    JUNIOR
    | {
        "学校标识码": "3701020012",
        "学校名称": "职业初中",
        "办学类型": "职业初中",
        "城乡分类": "乡村",
        "初中在校生数": "200",
        "小学专任教师数": "0",
        "初中专任教师数": "18",
    },
]
EXPECTED_COUNTS = {
    "schools_total": 4,  # primary, nine-year, junior, special
    "schools_rural": 1,  # the nine-year school
    "students_total": 600 + 700 + 500 + 60 + 30 + 80,
    "students_rural": 700 + 60 + 30,
    "full_time_teachers_total": 35 + 45 + 40 + 4 + 3 + 15,
    "full_time_teachers_rural": 45 + 4 + 3,
}
FACTS = {"province": "山东省", "city": "济南市", "basic_balance_recognition_year": 2015}
USER = {
    "creation_approach_narrative": "一、具体目标……",
    "county_government_opinion": "同意推荐",
    "county_government_sealed": "是",
    "provincial_department_opinion": "同意",
    "provincial_department_sealed": True,
    "lead_official_name": "李四",
    "lead_official_phone": "0531-00000000",
    "contact_name": "王五",
    "contact_phone": "0531-11111111",
}


@pytest.fixture(scope="module")
def table():
    return schools(*ROWS)


@pytest.fixture(scope="module")
def full_form(table):
    return recommendation_form(
        COUNTY, schools=table, facts=FACTS, entries=USER, generated=dt.date(2021, 12, 1)
    )


def test_counts_follow_the_form_rules_row_by_row(full_form):
    for field, expected in EXPECTED_COUNTS.items():
        assert full_form.value(field) == expected, field
        assert full_form.sources[field] == "school table"


def test_a_complete_form_with_both_seals(full_form):
    assert full_form.status == "complete"
    assert full_form.missing == ()
    assert full_form.value("county_government_sealed") is True
    assert [issue.code for issue in full_form.issues] == []


def test_the_narrative_quotes_part_1(table, full_form):
    resources = assess_county(table, county=COUNTY).resources
    narrative = full_form.value("balance_status_narrative")
    for (stage, _indicator), row in resources.indicators.iterrows():
        assert f"{row['cv']:.3f}" in narrative, stage
    passed = resources.schools.groupby("stage")["passed"].agg(["sum", "size"])
    for stage, label in (("primary", "小学"), ("junior", "初中")):
        assert f"{label} {passed.loc[stage, 'sum']}/{passed.loc[stage, 'size']}" in narrative
    assert full_form.sources["balance_status_narrative"] == "Part 1 result"
    assert full_form.rules["id"] == "cn_moe_2017_quality_balance"
    figures = full_form.balance_figures
    assert set(figures["indicator"]) >= {"school_rule", "sports_area_per_student"}


def test_personal_fields_are_redacted_by_default(full_form):
    document = full_form.to_dict()
    personal = ["lead_official_name", "lead_official_phone", "contact_name", "contact_phone"]
    assert document["redacted"] == personal
    assert all(document["values"][field] is None for field in personal)
    table = full_form.to_frame().set_index("field")["value"]
    assert all(table[field] == REDACTED for field in personal)
    assert "王五" not in render_form(full_form)
    assert "0531-11111111" not in render_form(full_form, "markdown")


def test_personal_fields_on_request(full_form):
    assert full_form.to_dict(include_personal=True)["values"]["contact_name"] == "王五"
    table = full_form.to_frame(include_personal=True).set_index("field")["value"]
    assert table["lead_official_phone"] == "0531-00000000"
    assert "王五" in render_form(full_form, include_personal=True)


def test_the_filled_table_keeps_the_forms_order(full_form):
    frame = full_form.to_frame()
    expected = [field for entry in CREATION_CHECKLIST_2021.form_fields for field in entry.ids]
    assert frame["field"].tolist() == expected
    assert frame["number"].is_monotonic_increasing
    assert frame["number"].tolist()[0] == 1
    assert frame["number"].tolist()[-1] == 15
    seals = frame.set_index("field").loc["county_government_sealed", "value"]
    assert seals == "是"


def test_provenance_is_embedded(full_form):
    provenance = full_form.to_dict()["provenance"]
    assert provenance["catalogue"] == {"id": "cn_moe_2021_creation", "version": "1.0.0"}
    assert provenance["generated"] == "2021-12-01"
    assert provenance["rules"]["id"] == "cn_moe_2017_quality_balance"
    assert provenance["eduequity_version"]


def test_a_missing_seal_leaves_a_draft_naming_the_field(table):
    entries = USER | {"provincial_department_sealed": "否"}
    form = recommendation_form(COUNTY, schools=table, facts=FACTS, entries=entries)
    assert form.status == "draft"
    assert form.missing == ("provincial_department_sealed",)
    (issue,) = form.issues
    assert issue.code == "seal_missing"
    assert issue.column == "provincial_department_sealed"


def test_without_entries_every_empty_field_is_named():
    form = recommendation_form(COUNTY, facts=FACTS)
    assert form.status == "draft"
    assert "schools_total" in form.missing
    assert "contact_phone" in form.missing
    named = {issue.column for issue in form.issues}
    assert set(form.missing) <= named
    # nothing personal was given, so nothing is shown as redacted either
    assert form.to_frame().set_index("field").loc["contact_name", "value"] == ""


def test_rural_above_total_is_an_error_per_field(table):
    entries = {"schools_rural": 9, "students_rural": "99999", "contact_name": "x"}
    with pytest.raises(InputError) as caught:
        recommendation_form(COUNTY, schools=table, entries=entries)
    problems = {issue.column: issue for issue in caught.value.issues}
    assert set(problems) == {"schools_rural", "students_rural"}
    assert problems["schools_rural"].code == "rural_exceeds_total"
    assert "expected schools_rural <= schools_total" in str(caught.value)


def test_bad_entries_are_all_named():
    entries = {
        "nonsense": 1,
        "schools_total": "12.5",
        "students_total": -3,
        "county_government_sealed": "maybe",
        "basic_balance_recognition_year": "20a3",
        "contact_name": 7,
    }
    with pytest.raises(InputError) as caught:
        recommendation_form(COUNTY, entries=entries)
    codes = {issue.column: issue.code for issue in caught.value.issues}
    assert codes == {
        "nonsense": "unknown_field",
        "schools_total": "not_a_number",
        "students_total": "out_of_range",
        "county_government_sealed": "not_a_boolean",
        "basic_balance_recognition_year": "not_a_number",
        "contact_name": "invalid_type",
    }
    assert all(issue.key == f"county={COUNTY}" for issue in caught.value.issues)


def test_an_entry_that_overrides_a_derived_value_is_reported(table):
    form = recommendation_form(COUNTY, schools=table, entries={"schools_total": "5"})
    assert form.value("schools_total") == 5
    assert form.sources["schools_total"] == "entries"
    (issue,) = [issue for issue in form.issues if issue.code == "value_differs"]
    assert issue.column == "schools_total"
    assert "replaces 4 from the school table" in issue.message


def test_a_recent_recognition_fails_condition_s2():
    # S2(a): at least 3 years between recognition and the reference year (2021 for batch 1)
    form = recommendation_form(COUNTY, facts=FACTS | {"basic_balance_recognition_year": 2019})
    (issue,) = [issue for issue in form.issues if issue.code == "condition_not_met"]
    assert issue.column == "basic_balance_recognition_year"
    ok = recommendation_form(COUNTY, facts=FACTS | {"basic_balance_recognition_year": 2018})
    assert not [issue for issue in ok.issues if issue.code == "condition_not_met"]


def test_the_seeds_example_county():
    # seed 002: 荣成市 (威海市, 山东省), recognised for basic balance in 2013
    example = dict(CREATION_CHECKLIST_2021.form_example)
    form = recommendation_form(example["county"], facts=example)
    assert form.value("province") == "山东省"
    assert form.value("city") == "威海市"
    assert form.value("basic_balance_recognition_year") == 2013
    assert not [issue for issue in form.issues if issue.code == "condition_not_met"]


def test_the_checklist_evaluation_gives_the_year_and_eligibility():
    evaluation = evaluate_checklist(
        [{"county": COUNTY, "item_id": "S1", "status": "已完成", "evidence": "方案"}],
        basic_balance_years={COUNTY: 2016},
    )
    form = recommendation_form(COUNTY, checklist=evaluation)
    assert form.value("basic_balance_recognition_year") == 2016
    assert form.sources["basic_balance_recognition_year"] == "checklist evaluation"
    assert form.eligibility is not None
    assert form.eligibility.county == COUNTY
    other = recommendation_form("别的县", checklist=evaluation)
    assert other.eligibility is None
    assert other.issues[0].code == "no_checklist_records"


def test_a_county_missing_from_the_tables_is_named(table):
    with pytest.raises(InvalidArgumentError, match="'历城区' is not in the school table"):
        recommendation_form("历城区", schools=table)
    with pytest.raises(InvalidArgumentError, match=r"'contact' is not a field of the"):
        recommendation_form(COUNTY).value("contact")


def test_a_table_without_the_optional_columns_leaves_those_counts_empty():
    # no location (城乡分类), no parent school, no full-time teachers: counts that need them
    # stay empty and each is named, never read as zero
    row = {key: value for key, value in PRIMARY.items() if key != "城乡分类"}
    with pytest.warns(DegenerateDataWarning, match="a single unit"):
        form = recommendation_form(COUNTY, schools=schools(row))
    assert form.value("schools_total") == 1
    assert form.value("students_total") == 600
    for field in ("schools_rural", "students_rural", "full_time_teachers_total"):
        assert form.value(field) is None, field
    named = {(issue.code, issue.column) for issue in form.issues}
    assert ("location_missing", "schools_rural") in named
    assert ("missing_value", "full_time_teachers_total") in named


def test_under_the_2012_method_the_narrative_gives_the_composite_cv():
    # 教督〔2012〕3号 sets limits on the composite CV only (0.65 primary, 0.55 junior); the demo
    # county's table has the 2012 columns (books, computers, titles)
    county, table = "示范县 (Demo County)", demo_path("demo_county_schools.csv")
    form = recommendation_form(county, schools=table, rules=RULES_2012)
    composite = assess_county(table, rules=RULES_2012, county=county).resources.composite
    narrative = form.value("balance_status_narrative")
    for stage, label in (("primary", "小学"), ("junior", "初中")):
        value = composite.loc[stage, "composite_cv"]
        limit = composite.loc[stage, "limit"]
        assert f"{label}综合差异系数 {value:.3f}（限值 {limit:.3f}" in narrative
    assert "每校达标" not in narrative  # the 2012 method has no per-school rule
    assert form.rules["id"] == "cn_moe_2012_basic_balance"


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "json"])
def test_the_form_report_hides_the_contacts_unless_asked(full_form, fmt):
    hidden = render_form(full_form, fmt)
    shown = render_form(full_form, fmt, include_personal=True)
    assert "王五" not in hidden
    assert "王五" in shown
    assert COUNTY in hidden


def test_the_form_report_reads_within_100_columns_in_the_form_order(full_form):
    def width(line):
        return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in line)

    text = render_form(full_form)
    assert max(width(line) for line in text.splitlines()) <= 100
    # the fields come in the form's order: province before the school count before the seals
    assert text.index("省 province") < text.index("县域义务教育学校数") < text.index("盖章")
    assert "<table" in render_form(full_form, "html")
    with pytest.raises(InvalidArgumentError, match="recommendation form"):
        render_form(full_form, "csv")
