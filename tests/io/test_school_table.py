"""The school table (data-schema.md §1): every error and warning of §1.5.

Rows come from tests/io/_school_rows.py (clean rows with the Chinese headers of §1.1–§1.3);
each test changes the cells that provoke one problem and checks the row label, the key, the
canonical column and the original header named by the issue.
"""

import numpy as np
import pandas as pd
import pytest
from tests.io._school_rows import (
    JUNIOR,
    NINE_YEAR,
    PRIMARY,
    assert_located,
    base,
    issue_of,
    schools,
)

from eduequity import io
from eduequity.errors import InputError
from eduequity.io import OUTLIER_LIMITS, SCHOOL_SCHEMA


def read_school_table(frame, **options):
    """The deprecated reader keeps working with all its options, and warns on every call."""
    with pytest.deprecated_call(match=r"read_school_table\(\) is deprecated since eduequity"):
        return io.read_school_table(frame, **options)


def errors_of(frame, **options):
    with pytest.raises(InputError) as caught:
        read_school_table(frame, **options)
    return caught.value


def codes(issues):
    return sorted({issue.code for issue in issues})


# --------------------------------------------------------------------------------------
# the clean table


def test_clean_table_reads_without_issues():
    table = read_school_table(schools(PRIMARY, NINE_YEAR, JUNIOR))
    assert table.issues == ()
    frame = table.frame
    assert frame["school_id"].tolist() == ["3701020001", "3701020002", "3701020003"]
    assert frame["school_type"].tolist() == ["primary", "nine_year", "junior"]
    assert frame["ownership"].tolist() == ["public"] * 3
    assert frame["location"].tolist() == ["urban"] * 3
    assert frame["students_primary"].tolist() == [600.0, 400.0, 0.0]
    assert frame["students_primary"].dtype == np.float64
    # 150.5 万元 and 200 万元 (header unit, data-schema.md §0.1)
    assert frame["equipment_value_yuan"].tolist() == [1505000.0, 2000000.0, 1505000.0]
    assert table.headers["students_primary"] == "小学在校生数"
    assert table.headers["equipment_value_yuan"] == "教学仪器设备资产值（万元）"
    assert table.conversions == ("equipment_value_yuan: header unit 万元, multiplied by 10000",)
    assert table.table == "schools"
    assert table.rows_read == 3


def test_canonical_headers_and_numeric_frames_work_too():
    frame = schools(PRIMARY).rename(
        columns={
            alias: name
            for name, header in read_school_table(schools(PRIMARY)).headers.items()
            for alias in [header]
        }
    )
    frame["equipment_value_yuan"] = [1505000]
    frame["students_primary"] = [600]
    table = read_school_table(frame)
    assert table.issues == ()
    assert table.conversions == ()
    assert table.frame["equipment_value_yuan"].tolist() == [1505000.0]


def test_school_schema_matches_the_spec_aliases():
    # a sample of data-schema.md §1.1–§1.3 aliases, each must map to its column
    header_table = SCHOOL_SCHEMA.header_table
    samples = {
        "学校代码": "school_id",
        "县(市、区)": "county",
        "学校类别": "school_type",
        "原校点标识码": "parent_school_id",
        "城乡分类代码": "location",
        "普通高中在校生数": "students_senior",
        "区级及以上骨干教师数(初中)": "backbone_teachers_junior",
        "小学体育、艺术(音乐、美术)专任教师数": "pe_arts_teachers_primary",
        "风雨操场面积": "indoor_sports_area_m2",
        "体育运动场馆面积": "sports_total_area_m2",
        "网络多媒体教室(间)": "multimedia_classrooms",
        "56人及以上班数": "large_classes",
        "教学用计算机(台)": "teaching_computers",
        "随迁子女占比": "migrant_share",
    }
    assert {header: header_table[header] for header in samples} == samples


# --------------------------------------------------------------------------------------
# errors, one by one


def test_missing_required_column_lists_aliases():
    frame = schools(PRIMARY).drop(columns=["小学在校生数"])
    (issue,) = errors_of(frame).errors
    assert issue.code == "missing_required_column"
    assert issue.column == "students_primary"
    assert "'小学在校生数', '小学学生数', '小学在校学生数'" in issue.message


def test_students_senior_required_only_with_twelve_year_or_complete_middle_rows():
    read_school_table(schools(PRIMARY))  # no senior column and none needed
    twelve = NINE_YEAR | {"学校标识码": "3701020009", "办学类型": "十二年一贯制学校"}
    error = errors_of(schools(PRIMARY, twelve))
    (issue,) = issue_of(error, "missing_required_column")
    assert issue.column == "students_senior"
    assert "row 1" in issue.message
    assert "'高中在校生数', '普通高中在校生数'" in issue.message


def test_duplicate_school_id_names_both_rows(tmp_path):
    path = tmp_path / "schools.csv"
    schools(PRIMARY, NINE_YEAR, base(学校名称="另一小学")).to_csv(path, index=False)
    error = errors_of(path)
    (issue,) = error.errors
    assert issue.code == "duplicate_school_id"
    # spreadsheet rows: the header is row 1, so the rows are 2 and 4
    assert_located(
        issue, row=4, column="school_id", header="学校标识码", key="school_id=3701020001"
    )
    assert "rows 2, 4" in issue.message


@pytest.mark.parametrize(
    ("column_header", "value", "column", "hint"),
    [
        ("办学类型", "幼儿园", "school_type", None),
        ("办学类型", "高级中学", "school_type", "not a compulsory-education school type"),
        ("办学类型", "342", "school_type", "not a compulsory-education school type"),
        ("办学类型", "219", "school_type", "not a compulsory-education school type"),
        ("办学性质", "混合", "ownership", None),
        ("城乡分类", "郊区", "location", None),
    ],
)
def test_unknown_value(column_header, value, column, hint):
    error = errors_of(schools(PRIMARY, NINE_YEAR | {column_header: value}))
    (issue,) = error.errors
    assert issue.code == "unknown_value"
    assert_located(issue, row=1, column=column, header=column_header, key="school_id=3701020002")
    assert issue.value == value
    assert f"{value!r} is not a known {column}" in issue.message
    if hint:
        assert hint in issue.message
    if column == "school_type":
        assert "nine_year (九年一贯制学校, 九年一贯制, 312)" in issue.message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("211", "primary"),
        ("312", "nine_year"),
        ("九年一贯制", "nine_year"),
        ("教学点", "teaching_point"),
        ("nine_year", "nine_year"),
    ],
)
def test_school_type_aliases_and_codes(value, expected):
    row = NINE_YEAR if expected == "nine_year" else PRIMARY
    if expected == "teaching_point":
        row = base(小学在校生数="60")
    table = read_school_table(schools(row | {"办学类型": value}))
    assert table.frame["school_type"].tolist() == [expected]


@pytest.mark.parametrize(
    ("code", "expected"), [("111", "urban"), ("122", "town"), ("220", "rural")]
)
def test_location_codes(code, expected):
    table = read_school_table(schools(base(城乡分类代码=code)).drop(columns=["城乡分类"]))
    assert table.frame["location"].tolist() == [expected]


def test_not_a_number_quotes_the_text():
    (issue,) = errors_of(schools(PRIMARY, base(学校标识码="3701020005", 小学在校生数="12a"))).errors
    assert issue.code == "not_a_number"
    assert_located(
        issue, row=1, column="students_primary", header="小学在校生数", key="school_id=3701020005"
    )
    assert issue.value == "12a"
    # data-schema.md §0.3, the example message
    assert issue.message == (
        "row 1 (school_id=3701020005), column students_primary (header '小学在校生数'): "
        "'12a' is not a number"
    )


def test_negative_value():
    (issue,) = errors_of(schools(base(运动场地面积="-5"))).errors
    assert issue.code == "negative_value"
    assert_located(issue, row=0, column="sports_ground_area_m2", header="运动场地面积")
    assert "'-5' is negative" in issue.message


def test_non_integer_count():
    (issue,) = errors_of(schools(base(小学高于规定学历教师数="12.5"))).errors
    assert issue.code == "non_integer_count"
    assert_located(
        issue, row=0, column="qualified_teachers_primary", header="小学高于规定学历教师数"
    )
    read_school_table(schools(base(小学高于规定学历教师数="30.0")))


def test_missing_value_in_a_required_stage():
    (issue,) = errors_of(schools(base(小学高于规定学历教师数=""))).errors
    assert issue.code == "missing_value"
    assert_located(
        issue,
        row=0,
        column="qualified_teachers_primary",
        header="小学高于规定学历教师数",
        key="school_id=3701020001",
    )
    assert "blank never means 0" in issue.message


def test_blank_cells_of_stages_a_type_does_not_have_are_fine():
    row = base(初中在校生数="", 初中高于规定学历教师数="", 初中县级及以上骨干教师数="")
    row |= {"初中体音美专任教师数": "—", "初中班数": "/", "初中最大班额": "NA"}
    table = read_school_table(schools(row))
    assert np.isnan(table.frame["students_junior"].iloc[0])  # missing is never read as 0
    assert table.issues == ()


def test_special_and_vocational_rows_check_only_type_and_sign():
    special = base(学校标识码="3701020007", 办学类型="培智学校", 小学高于规定学历教师数="")
    special |= {"小学在校生数": "0", "初中在校生数": "12", "网络多媒体教室数": "900"}
    vocational = base(学校标识码="3701020008", 办学类型="321", 教学及辅助用房面积="-1")
    error = errors_of(schools(PRIMARY, special, vocational))
    (issue,) = error.errors
    assert issue.code == "negative_value"
    assert issue.row == 2


def test_zero_enrolment():
    rows = [
        base(学校标识码="1", 小学在校生数="0", 小学高于规定学历教师数="0"),
        JUNIOR | {"学校标识码": "2", "初中在校生数": "0", "初中高于规定学历教师数": "0"},
        NINE_YEAR | {"学校标识码": "3", "小学在校生数": "0", "初中在校生数": "0"},
    ]
    for row in rows:
        for header in list(row):
            if "教师数" in header or header in {
                "小学班数",
                "初中班数",
                "小学最大班额",
                "初中最大班额",
            }:
                row[header] = "0"
    error = errors_of(schools(*rows))
    found = [(issue.row, issue.column) for issue in issue_of(error, "zero_enrolment")]
    assert found == [(0, "students_primary"), (1, "students_junior"), (2, "students_primary")]
    assert codes(error.errors) == ["zero_enrolment"]
    assert "school_id=3" in error.errors[2].message
    assert "0 primary and 0 junior pupils" in error.errors[2].message


def test_small_teaching_points_are_not_errors():
    point = base(
        学校标识码="3701020010", 学校名称="甲村教学点", 办学类型="教学点", 小学在校生数="0"
    )
    point |= {
        "小学高于规定学历教师数": "",
        "小学县级及以上骨干教师数": "",
        "教学及辅助用房面积": "",
    }
    point |= {"小学班数": "0", "小学最大班额": "0", "小学体音美专任教师数": "0"}
    table = read_school_table(schools(PRIMARY, point))
    assert table.frame["school_type"].tolist() == ["primary", "teaching_point"]
    assert table.issues == ()
    # with the cut lowered to 0 the empty teaching point is a unit: zero enrolment, blanks
    error = errors_of(schools(PRIMARY, point), min_teaching_point_students=0)
    found = [(issue.code, issue.column) for issue in error.errors]
    assert found == [
        ("zero_enrolment", "students_primary"),
        ("missing_value", "qualified_teachers_primary"),
        ("missing_value", "backbone_teachers_primary"),
        ("missing_value", "teaching_aux_area_m2"),
    ]
    # a teaching point of 50 pupils or more is an included unit (national-method.md §3.3)
    big = point | {"小学在校生数": "50", "小学班数": "2", "小学最大班额": "25"}
    error = errors_of(schools(PRIMARY, big))
    assert [issue.code for issue in error.errors] == ["missing_value"] * 3
    assert read_school_table(schools(PRIMARY, big | {"小学在校生数": "49"})).issues == ()


@pytest.mark.parametrize(
    ("row", "column", "header"),
    [
        (
            base(初中在校生数="30", 初中班数="1", 初中最大班额="30"),
            "students_junior",
            "初中在校生数",
        ),
        (
            JUNIOR | {"小学在校生数": "5", "小学班数": "1", "小学最大班额": "5"},
            "students_primary",
            "小学在校生数",
        ),
        (
            base(办学类型="教学点", 初中在校生数="3", 初中班数="1", 初中最大班额="3"),
            "students_junior",
            "初中在校生数",
        ),
    ],
)
def test_section_not_allowed(row, column, header):
    (issue,) = errors_of(schools(row)).errors
    assert issue.code == "section_not_allowed"
    assert_located(issue, row=0, column=column, header=header)


def test_section_not_allowed_for_senior_and_complete_middle():
    nine = NINE_YEAR | {"高中在校生数": "5"}
    complete = JUNIOR | {"学校标识码": "3701020011", "办学类型": "完全中学", "小学在校生数": "7"}
    complete |= {"小学班数": "1", "小学最大班额": "7"}
    complete |= {"高中在校生数": "200"}
    error = errors_of(schools(nine, complete))
    found = [(issue.row, issue.column) for issue in error.errors]
    assert found == [(0, "students_senior"), (1, "students_primary")]
    assert codes(error.errors) == ["section_not_allowed"]
    assert "a nine_year school has no senior section" in error.errors[0].message


def test_teachers_without_students():
    row = JUNIOR | {"小学体音美专任教师数": "2"}
    (issue,) = errors_of(schools(row)).errors
    assert issue.code == "teachers_without_students"
    assert_located(issue, row=0, column="pe_arts_teachers_primary", header="小学体音美专任教师数")
    assert "'小学在校生数'" in issue.message


def test_subset_exceeds_total():
    row = base(小学专任教师数="25", 小学本科及以上学历专任教师数="31")
    error = errors_of(schools(row))
    found = [(issue.code, issue.column) for issue in error.errors]
    assert found == [
        ("subset_exceeds_total", "qualified_teachers_primary"),
        ("subset_exceeds_total", "bachelor_plus_teachers_primary"),
        ("subset_exceeds_total", "bachelor_plus_teachers_primary"),
    ]
    assert "full_time_teachers_primary (header '小学专任教师数') = 25" in error.errors[0].message
    assert "qualified_teachers_primary (header '小学高于规定学历教师数') = 30" in (
        error.errors[2].message
    )


def test_indoor_exceeds_teaching_area_only_with_the_deduction():
    row = base(室内体育用房面积="4000")
    (issue,) = errors_of(schools(row)).errors
    assert issue.code == "indoor_exceeds_teaching_area"
    assert_located(issue, row=0, column="indoor_sports_area_m2", header="室内体育用房面积")
    assert "teaching_aux_area_m2 (header '教学及辅助用房面积') = 3600" in issue.message
    table = read_school_table(schools(row), deduct_indoor_sports=False)
    assert table.frame["indoor_sports_area_m2"].tolist() == [4000.0]


@pytest.mark.parametrize(
    ("changes", "column"),
    [
        ({"小学班数": "0"}, "classes_primary"),  # pupils but no classes
        ({"初中班数": "2"}, "classes_junior"),  # classes but no pupils
        ({"小学最大班额": "700"}, "max_class_size_primary"),  # larger than all pupils
        ({"小学班数": "10"}, "max_class_size_primary"),  # 10 × 45 < 600: impossible
        ({"大班额班数": "15"}, "large_classes"),  # more large classes than classes
        ({"大班额班数": "1", "超大班额班数": "2"}, "super_large_classes"),
    ],
)
def test_classes_inconsistent(changes, column):
    (issue,) = errors_of(schools(base(**changes))).errors
    assert issue.code == "classes_inconsistent"
    assert_located(issue, row=0, column=column, key="school_id=3701020001")


def site(**changes):
    row = PRIMARY | {
        "学校标识码": "3701020101",
        "学校名称": "历下区第一小学东校区",
        "所属学校标识码": "3701020001",
        "办学类型": "教学点",
        "小学在校生数": "40",
        "小学高于规定学历教师数": "3",
        "小学班数": "2",
        "小学最大班额": "20",
    }
    return row | changes


def test_sites_are_accepted_under_their_parent():
    table = read_school_table(schools(PRIMARY, site()))
    assert table.frame["parent_school_id"].tolist()[1] == "3701020001"
    assert table.issues == ()


def test_parent_not_found():
    (issue,) = errors_of(schools(PRIMARY, site(所属学校标识码="3701029999"))).errors
    assert issue.code == "parent_not_found"
    assert_located(
        issue,
        row=1,
        column="parent_school_id",
        header="所属学校标识码",
        key="school_id=3701020101",
    )
    assert "'3701029999'" in issue.message


def test_nested_site():
    second = site(学校标识码="3701020102", 所属学校标识码="3701020101")
    own = site(学校标识码="3701020103", 所属学校标识码="3701020103")
    error = errors_of(schools(PRIMARY, site(), second, own))
    found = [(issue.code, issue.row) for issue in error.errors]
    assert found == [("nested_site", 2), ("nested_site", 3)]
    assert "is itself a site" in error.errors[0].message
    assert "its own parent" in error.errors[1].message


def test_parent_other_county():
    (issue,) = errors_of(schools(PRIMARY, site(县区="历城区", 行政区划代码="370112"))).errors
    assert issue.code == "parent_other_county"
    assert_located(issue, row=1, column="county", header="县区")
    assert "'历城区'" in issue.message
    assert "'历下区'" in issue.message


def test_site_stage_incompatible():
    junior_pupils = site(
        初中在校生数="20", 办学类型="九年一贯制学校", 初中班数="1", 初中最大班额="20"
    )
    special = site(学校标识码="3701020104", 办学类型="特殊教育学校")
    error = errors_of(schools(PRIMARY, junior_pupils, special))
    found = [(issue.code, issue.row, issue.column) for issue in error.errors]
    assert found == [
        ("site_stage_incompatible", 1, "students_junior"),
        ("site_stage_incompatible", 2, "school_type"),
    ]
    assert "is a primary school without a junior section" in error.errors[0].message


def test_mixed_years_and_year_selection():
    rows = [PRIMARY, NINE_YEAR | {"学年": "2023"}, JUNIOR | {"学年": "2023"}]
    (issue,) = errors_of(schools(*rows)).errors
    assert issue.code == "mixed_years"
    assert issue.column == "year"
    assert "2023: 2 rows (first row 1)" in issue.message
    assert "2024: 1 rows (first row 0)" in issue.message
    selected = read_school_table(schools(*rows), year=2023)
    assert selected.frame.index.tolist() == [1, 2]
    (warning,) = selected.issues
    assert warning.code == "other_years_excluded"
    assert "1 rows of other years excluded by year=2023: 2024 (1 rows)" in warning.message
    assert selected.rows_read == 3


def test_year_selection_drops_the_problems_of_other_years():
    rows = [PRIMARY, NINE_YEAR | {"学年": "2023", "小学在校生数": "x"}]
    table = read_school_table(schools(*rows), year=2024)
    assert table.frame["school_id"].tolist() == ["3701020001"]
    assert codes(table.issues) == ["other_years_excluded"]


def test_unsupported_unit_in_an_area_header():
    frame = schools(PRIMARY).rename(columns={"教学及辅助用房面积": "教学及辅助用房面积（亩）"})
    error = errors_of(frame)
    (issue,) = issue_of(error, "unsupported_unit")
    assert issue.column == "teaching_aux_area_m2"
    assert issue.header == "教学及辅助用房面积（亩）"
    # the column is then absent, which is reported too
    assert codes(error.errors) == ["missing_required_column", "unsupported_unit"]


def test_migrant_share_rate_out_of_range():
    (issue,) = errors_of(schools(base(随迁子女占比="35"))).errors
    assert issue.code == "rate_out_of_range"
    assert_located(issue, row=0, column="migrant_share", header="随迁子女占比")
    assert "looks like a percentage" in issue.message
    assert read_school_table(schools(base(随迁子女占比="35%"))).frame["migrant_share"][0] == 0.35
    frame = schools(base(随迁子女占比="35")).rename(columns={"随迁子女占比": "随迁子女占比(%)"})
    assert read_school_table(frame).frame["migrant_share"][0] == 0.35


def test_county_code_inconsistent():
    rows = [
        PRIMARY,
        NINE_YEAR | {"行政区划代码": "370112"},
        JUNIOR | {"县区": "历城区", "行政区划代码": "370112"},
    ]
    error = errors_of(schools(*rows))
    found = [(issue.code, issue.row, issue.value) for issue in error.errors]
    assert found == [
        ("county_code_inconsistent", 1, "370112"),
        ("county_code_inconsistent", 2, "370112"),
    ]
    assert "county '历下区' has several codes: '370102' (row 0); '370112' (row 1)" in (
        error.errors[0].message
    )
    assert "county_code '370112' has several names" in error.errors[1].message


def test_duplicate_column():
    frame = schools(PRIMARY)
    frame["学校代码"] = ["x"]
    (issue,) = errors_of(frame).errors
    assert issue.code == "duplicate_column"
    assert "'学校标识码'" in issue.message
    assert "'学校代码'" in issue.message


def test_include_private_false_requires_ownership():
    error = errors_of(schools(base(办学性质="")), include_private=False)
    (issue,) = error.errors
    assert issue.code == "missing_value"
    assert issue.column == "ownership"
    error = errors_of(schools(PRIMARY).drop(columns=["办学性质"]), include_private=False)
    assert [issue.code for issue in error.errors] == ["missing_required_column"]


# --------------------------------------------------------------------------------------
# many problems, one error


def test_many_problems_give_one_input_error_listing_all(tmp_path):
    rows = [
        PRIMARY,  # row 2: clean
        base(学校标识码="0370102002", 小学在校生数="12a"),  # row 3: not_a_number
        base(学校标识码="0370102003", 办学类型="高级中学"),  # row 4: unknown_value
        base(学校标识码="0370102004", 运动场地面积="-5"),  # row 5: negative_value
        base(学校标识码="0370102005", 小学高于规定学历教师数="12.5"),  # row 6: non_integer_count
        base(学校标识码="0370102006", 小学县级及以上骨干教师数=""),  # row 7: missing_value
        base(学校标识码="0370102007", 初中在校生数="3", 初中班数="1", 初中最大班额="3"),  # row 8
        base(学校标识码="0370102008", 室内体育用房面积="4000"),  # row 9: indoor_exceeds
        base(学校标识码="0370102009", 小学班数="0"),  # row 10: classes_inconsistent
        site(学校标识码="0370102010", 所属学校标识码="404"),  # row 11: parent_not_found
        base(学校标识码="0370102002"),  # row 12: duplicate_school_id
        base(学校标识码="0370102012", 随迁子女占比="35"),  # row 13: rate_out_of_range
    ]
    path = tmp_path / "schools.csv"
    schools(*rows).to_csv(path, index=False, encoding="gb18030")
    with pytest.raises(InputError) as caught:
        read_school_table(path)
    error = caught.value
    found = [(issue.code, issue.row, issue.key) for issue in error.errors]
    assert found == [
        ("not_a_number", 3, "school_id=0370102002"),
        ("unknown_value", 4, "school_id=0370102003"),
        ("negative_value", 5, "school_id=0370102004"),
        ("non_integer_count", 6, "school_id=0370102005"),
        ("missing_value", 7, "school_id=0370102006"),
        ("section_not_allowed", 8, "school_id=0370102007"),
        ("indoor_exceeds_teaching_area", 9, "school_id=0370102008"),
        ("classes_inconsistent", 10, "school_id=0370102009"),
        ("parent_not_found", 11, "school_id=0370102010"),
        ("duplicate_school_id", 12, "school_id=0370102002"),
        ("rate_out_of_range", 13, "school_id=0370102012"),
    ]
    text = str(error)
    assert text.splitlines()[0] == "11 problems in table 'schools':"
    for issue in error.errors:
        assert issue.message in text
        assert issue.table == "schools"
    assert "school_id '0370102002' appears on rows 3, 12" in text


# --------------------------------------------------------------------------------------
# warnings are returned, never raised


def test_unknown_column_warning():
    frame = schools(base(备注="新建"))
    table = read_school_table(frame)
    (issue,) = table.issues
    assert issue.code == "unknown_column"
    assert issue.severity == "warning"
    assert table.frame["备注"].tolist() == ["新建"]


def test_integrated_school_single_stage():
    row = NINE_YEAR | {"初中在校生数": "0", "初中班数": "0", "初中最大班额": "0"}
    row |= {
        "初中高于规定学历教师数": "0",
        "初中县级及以上骨干教师数": "0",
        "初中体音美专任教师数": "0",
    }
    (issue,) = read_school_table(schools(row)).issues
    assert issue.code == "integrated_school_single_stage"
    assert issue.row == 0
    assert issue.key == "school_id=3701020002"


def test_outlier_values_with_default_and_custom_limits():
    # 150000 万元 over 600 pupils = 2 500 000 yuan per pupil > 100 000 (§1.5 default)
    row = base(**{"教学仪器设备资产值（万元）": "150000"})
    (issue,) = read_school_table(schools(row)).issues
    assert issue.code == "outlier_value"
    assert issue.column == "equipment_value_yuan"
    assert "2.5e+06 yuan per pupil" in issue.message
    assert "limit 100000" in issue.message
    assert OUTLIER_LIMITS["equipment_value_per_student"] == 100000
    relaxed = read_school_table(schools(row), outlier_limits={"equipment_value_per_student": 3e6})
    assert relaxed.issues == ()
    # the limit itself is not an outlier: 100 000 yuan per pupil exactly
    at_limit = base(**{"教学仪器设备资产值（万元）": "6000"})
    assert read_school_table(schools(at_limit)).issues == ()


def test_outlier_for_teachers_and_enrolment():
    row = base(小学在校生数="6000", 小学班数="140", 小学高于规定学历教师数="300")
    row |= {"教学仪器设备资产值（万元）": "1500", "教学及辅助用房面积": "36000"}
    row |= {"运动场地面积": "50000", "网络多媒体教室数": "140"}
    (issue,) = read_school_table(schools(row)).issues
    assert issue.code == "outlier_value"
    assert "compulsory enrolment = 6000 pupils" in issue.message
    teachers = base(小学县级及以上骨干教师数="190")
    (issue,) = read_school_table(schools(teachers)).issues
    assert issue.column == "backbone_teachers_primary"


def test_duplicate_school_name():
    other = NINE_YEAR | {"学校名称": PRIMARY["学校名称"]}
    elsewhere = JUNIOR | {"学校名称": PRIMARY["学校名称"], "县区": "历城区"}
    elsewhere |= {"行政区划代码": "370112"}
    (issue,) = read_school_table(schools(PRIMARY, other, elsewhere)).issues
    assert issue.code == "duplicate_school_name"
    assert "'3701020001' (row 0), '3701020002' (row 1)" in issue.message
    assert "历城区" not in issue.message


def test_optional_column_missing():
    frame = schools(PRIMARY).drop(columns=["小学最大班额", "初中最大班额"])
    (issue,) = read_school_table(frame).issues
    assert issue.code == "optional_column_missing"
    assert "max_class_size_primary, max_class_size_junior" in issue.message
    assert "G5" in issue.message


def test_room_area_missing():
    table = read_school_table(schools(base(最小音乐教室面积="")))
    (issue,) = table.issues
    assert issue.code == "room_area_missing"
    assert_located(issue, row=0, column="min_music_room_area_m2", header="最小音乐教室面积")
    frame = schools(PRIMARY).drop(columns=["最小美术教室面积"])
    found = codes(read_school_table(frame).issues)
    assert found == ["optional_column_missing", "room_area_missing"]


def test_zero_qualified_teachers():
    (issue,) = read_school_table(schools(base(小学高于规定学历教师数="0"))).issues
    assert issue.code == "zero_qualified_teachers"
    assert_located(issue, row=0, column="qualified_teachers_primary")


def test_location_missing():
    (issue,) = read_school_table(schools(base(城乡分类=""))).issues
    assert issue.code == "location_missing"
    assert_located(issue, row=0, column="location", header="城乡分类")
    (absent,) = read_school_table(schools(PRIMARY).drop(columns=["城乡分类"])).issues
    assert absent.code == "location_missing"
    assert absent.row is None


def test_junior_qualified_vs_bachelor():
    frame = schools(JUNIOR | {"bachelor_plus_teachers_junior": "30"})
    (issue,) = read_school_table(frame).issues
    assert issue.code == "junior_qualified_vs_bachelor"
    assert "= 30 differs from qualified_teachers_junior (header '初中高于规定学历教师数') = 32" in (
        issue.message
    )


def test_private_school_included_is_counted():
    rows = [PRIMARY | {"办学性质": "民办"}, NINE_YEAR | {"办学性质": "私立"}, JUNIOR]
    (issue,) = read_school_table(schools(*rows)).issues
    assert issue.code == "private_school_included"
    assert issue.message.endswith(
        "2 private (民办) schools are included, as the rule set requires (rows 0, 1)"
    )


def test_strict_does_not_promote_plain_warnings():
    table = read_school_table(schools(base(城乡分类="")), strict=True)
    assert codes(table.issues) == ["location_missing"]


# --------------------------------------------------------------------------------------
# derivations and conventions


def test_qualified_teachers_derived_from_the_degree_breakdown():
    row = dict(NINE_YEAR)
    del row["小学高于规定学历教师数"], row["初中高于规定学历教师数"]
    row |= {
        "小学研究生学历专任教师数": "1",
        "小学本科学历专任教师数": "12",
        "小学专科学历专任教师数": "7",
    }
    row |= {
        "初中研究生学历专任教师数": "3",
        "初中本科学历专任教师数": "15",
        "初中专科学历专任教师数": "2",
    }
    table = read_school_table(schools(row))
    # data-schema.md §1.2: primary = postgraduate + bachelor + associate; junior without associate
    assert table.frame["qualified_teachers_primary"].tolist() == [20.0]
    assert table.frame["qualified_teachers_junior"].tolist() == [18.0]
    assert any(
        note.startswith("qualified_teachers_primary: derived as teachers_postgraduate_primary + ")
        for note in table.conversions
    )
    assert "qualified_teachers_primary" not in table.headers


def test_missing_qualified_teachers_without_breakdown():
    frame = schools(PRIMARY).drop(columns=["小学高于规定学历教师数"])
    (issue,) = errors_of(frame).errors
    assert issue.code == "missing_required_column"
    assert "or give the degree breakdown" in issue.message


def test_sports_total_replaces_sports_ground():
    frame = schools(base(体育运动场馆面积="5400")).drop(columns=["运动场地面积"])
    assert read_school_table(frame).frame["sports_total_area_m2"].tolist() == [5400.0]
    (issue,) = errors_of(schools(PRIMARY).drop(columns=["运动场地面积"])).errors
    assert issue.column == "sports_ground_area_m2"
    assert "or give sports_total_area_m2" in issue.message


def test_ids_keep_leading_zeros_through_csv_and_excel(tmp_path):
    row = base(学校标识码="0012", 所属学校标识码="")
    path = tmp_path / "schools.csv"
    schools(row).to_csv(path, index=False, encoding="utf-8-sig")
    assert read_school_table(path).frame["school_id"].tolist() == ["0012"]
    excel = tmp_path / "schools.xlsx"
    schools(row).to_excel(excel, index=False)
    table = read_school_table(excel)
    assert table.frame["school_id"].tolist() == ["0012"]
    assert table.frame.index.tolist() == [2]


def test_empty_as_zero_for_the_junior_section():
    row = base(初中在校生数="")
    table = read_school_table(schools(row), empty_as_zero=["students_junior"])
    assert table.frame["students_junior"].tolist() == [0.0]
    assert table.empty_as_zero == ("students_junior",)


def test_data_frame_with_labelled_index():
    frame = schools(PRIMARY, base(学校标识码="3701020005", 小学在校生数="x"), index=["甲", "乙"])
    (issue,) = errors_of(frame).errors
    assert_located(issue, row="乙", column="students_primary", key="school_id=3701020005")
    table = read_school_table(schools(PRIMARY, index=pd.Index(["甲"], name="校")))
    assert table.frame.index.tolist() == ["甲"]
