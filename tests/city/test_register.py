"""The county register (data-schema.md §5): reading, every error and warning, current status."""

import datetime as dt
import json

import pandas as pd
import pytest

from eduequity.city import STATUS_ORDER, CountyRegister, read_register
from eduequity.datasets import demo_path
from eduequity.errors import InputError

TODAY = "2025-12-31"


def _frame(rows, columns=("city", "county", "status", "status_year")):
    return pd.DataFrame([dict(zip(columns, row, strict=True)) for row in rows])


def _errors(source, **options):
    with pytest.raises(InputError) as caught:
        read_register(source, today=TODAY, **options)
    return caught.value.errors


def _by_code(issues, code):
    found = [issue for issue in issues if issue.code == code]
    assert found, f"no {code} among {[issue.code for issue in issues]}"
    return found


# --------------------------------------------------------------------------------------
# reading


def test_chinese_headers_statuses_programs_and_kinds():
    register = read_register(
        pd.DataFrame(
            {
                "地市": ["威海市", "威海市"],
                "区市": ["环翠区", "经济技术开发区"],
                "类型": ["市辖区", "开发区"],
                "创建类别": ["义务教育优质均衡", "学前教育普及普惠"],
                "状态": ["通过国家督导评估认定", "通过省级督导评估"],
                "年度": ["2025", "2024"],
                "公布日期": ["2025年7月18日", None],
                "批次": ["2025年第一批", None],
                "先行创建县": ["是", "否"],
                "基本均衡认定年份": ["2013", "2014"],
                "备注": [None, "功能区"],
            }
        ),
        today=TODAY,
    )
    frame = register.frame
    assert frame["county"].tolist() == ["环翠区", "经济技术开发区"]
    assert frame["unit_kind"].tolist() == ["district", "functional_zone"]
    assert frame["program"].tolist() == ["quality_balance", "preschool_universal"]
    assert frame["status"].tolist() == ["nationally_recognized", "provincially_assessed"]
    assert frame["status_year"].tolist() == [2025.0, 2024.0]
    assert frame.loc[0, "status_date"] == pd.Timestamp("2025-07-18")
    assert frame["batch"].tolist() == ["2025年第一批", None]
    assert frame["pioneer"].tolist() == [True, False]
    assert register.headers["county"] == "区市"
    assert register.issues == ()


def test_status_aliases_of_the_schema():
    aliases = {
        "未启动": "not_started",
        "未创建": "not_started",
        "创建中": "creating",
        "已申报": "applied",
        "通过省级评估": "provincially_assessed",
        "通过国家认定": "nationally_recognized",
        "国家认定": "nationally_recognized",
        "撤销": "withdrawn",
    }
    rows = [("某市", f"县{i}", text, 2024) for i, text in enumerate(aliases)]
    register = read_register(_frame(rows), today=TODAY)
    assert register.frame["status"].tolist() == list(aliases.values())


def test_program_defaults_to_quality_balance():
    register = read_register(_frame([("某市", "甲县", "creating", 2023)]), today=TODAY)
    assert register.frame["program"].tolist() == ["quality_balance"]


def test_csv_rows_are_spreadsheet_rows(tmp_path):
    path = tmp_path / "register.csv"
    pd.DataFrame(
        {"地市": ["甲市", "甲市"], "县（市、区）": ["乙县", "丙县"], "状态": ["已申报", "已申报"]}
    ).to_csv(path, index=False)
    errors = _errors(path)
    missing = _by_code(errors, "missing_required_column")
    assert missing[0].column == "status_year"
    assert "2, 3" in missing[0].message  # the dated rows, spreadsheet numbering


def test_not_started_needs_no_year():
    register = read_register(
        pd.DataFrame({"city": ["某市"], "county": ["甲县"], "status": ["not_started"]}),
        today=TODAY,
    )
    assert register.frame["status_year"].isna().all()


def test_demo_register_reads_without_warnings():
    register = read_register(demo_path("demo_city_register.csv"), today="2025-06-30")
    # 14 events of 4 units (datasets/data/README.md §2).
    assert len(register) == 14
    assert register.cities == ("示范市 (Demo City)",)
    assert len(register.counties()) == 4
    assert register.issues == ()


def test_reading_a_register_again_keeps_its_declaration():
    first = read_register(
        _frame([("某市", "甲县", "creating", 2023)]), today=TODAY, city_units=["甲县"]
    )
    again = read_register(first, today=TODAY)
    assert isinstance(again, CountyRegister)
    assert dict(again.city_units) == {"某市": ("甲县",)}


# --------------------------------------------------------------------------------------
# errors: each names the row, the county (row key) and the column


def test_missing_required_column():
    errors = _errors(pd.DataFrame({"city": ["某市"], "county": ["甲县"]}))
    issue = _by_code(errors, "missing_required_column")[0]
    assert issue.column == "status"
    assert "'状态'" in issue.message


def test_unknown_values():
    frame = pd.DataFrame(
        {
            "city": ["某市"] * 3,
            "county": ["甲县", "乙县", "丙县"],
            "status": ["评估中", "creating", "creating"],
            "status_year": [2024] * 3,
            "program": [None, "优质学校", None],
            "unit_kind": [None, None, "村"],
        }
    )
    errors = _by_code(_errors(frame), "unknown_value")
    assert {(issue.row, issue.key, issue.column, issue.value) for issue in errors} == {
        (0, "county=甲县", "status", "评估中"),
        (1, "county=乙县", "program", "优质学校"),
        (2, "county=丙县", "unit_kind", "村"),
    }


def test_missing_year():
    frame = _frame([("某市", "甲县", "applied", None), ("某市", "乙县", "not_started", None)])
    errors = _by_code(_errors(frame), "missing_year")
    assert [(issue.row, issue.key, issue.column) for issue in errors] == [
        (0, "county=甲县", "status_year")
    ]


def test_batch_without_year():
    frame = pd.DataFrame(
        {
            "city": ["某市"],
            "county": ["甲县"],
            "status": ["not_started"],
            "status_year": [None],
            "batch": ["首批"],
        }
    )
    issue = _by_code(_errors(frame), "batch_without_year")[0]
    assert (issue.row, issue.key, issue.column, issue.value) == (0, "county=甲县", "batch", "首批")


def test_duplicate_event_names_both_rows():
    frame = _frame(
        [
            ("某市", "甲县", "applied", 2023),
            ("某市", "甲县", "creating", 2022),
            ("某市", "甲县", "applied", 2023),
        ]
    )
    issue = _by_code(_errors(frame), "duplicate_event")[0]
    assert (issue.row, issue.key, issue.column) == (2, "county=甲县", "status")
    assert "rows 0, 2" in issue.message


def test_same_status_in_two_programs_is_no_duplicate():
    frame = pd.DataFrame(
        {
            "city": ["某市"] * 2,
            "county": ["甲县"] * 2,
            "program": ["quality_balance", "basic_balance"],
            # applied, not recognised: a basic-balance recognition in 2024 would contradict
            # basic_balance_year 2014 (basic_balance_year_inconsistent)
            "status": ["applied"] * 2,
            "status_year": [2024, 2024],
            "basic_balance_year": [2014, 2014],
        }
    )
    assert read_register(frame, today=TODAY).issues == ()


def test_event_order_inconsistent_recognition_before_the_only_application():
    frame = _frame(
        [
            ("某市", "甲县", "nationally_recognized", 2023),
            ("某市", "甲县", "applied", 2024),
            ("某市", "甲县", "provincially_assessed", 2024),
        ]
    )
    errors = _by_code(_errors(frame), "event_order_inconsistent")
    assert [(issue.row, issue.key, issue.column) for issue in errors] == [
        (0, "county=甲县", "status_year")
    ]
    assert "applied" in errors[0].message


def test_dates_break_ties_of_the_same_year():
    frame = pd.DataFrame(
        {
            "city": ["某市"] * 2,
            "county": ["甲县"] * 2,
            "status": ["applied", "provincially_assessed"],
            "status_year": [2024, 2024],
            "status_date": ["2024-09-01", "2024-05-01"],
        }
    )
    issue = _by_code(_errors(frame), "event_order_inconsistent")[0]
    assert issue.row == 1


def test_a_reapplication_after_a_recognition_is_consistent():
    frame = pd.DataFrame(
        {
            "city": ["某市"] * 4,
            "county": ["甲县"] * 4,
            "status": ["applied", "nationally_recognized", "withdrawn", "applied"],
            "status_year": [2021, 2022, 2023, 2024],
        }
    )
    register = read_register(frame, today=TODAY)
    assert register.current()["status"].tolist() == ["applied"]


def test_a_register_of_recognitions_only_is_consistent():
    frame = _frame([("某市", "甲县", "nationally_recognized", 2024)])
    assert read_register(frame, today=TODAY).issues == ()


def test_county_in_two_cities():
    frame = _frame([("甲市", "丙县", "creating", 2022), ("乙市", "丙县", "applied", 2023)])
    issue = _by_code(_errors(frame), "county_in_two_cities")[0]
    assert (issue.row, issue.key, issue.column, issue.value) == (1, "county=丙县", "city", "乙市")
    assert "甲市" in issue.message


def test_every_error_is_reported_at_once():
    frame = _frame(
        [
            ("甲市", "丙县", "applied", None),
            ("乙市", "丙县", "评估中", 2024),
            ("甲市", "丁县", "creating", 2022),
            ("甲市", "丁县", "creating", 2022),
        ]
    )
    codes = {issue.code for issue in _errors(frame)}
    assert codes == {"missing_year", "county_in_two_cities", "unknown_value", "duplicate_event"}


# --------------------------------------------------------------------------------------
# warnings


def test_recognition_before_precondition():
    frame = pd.DataFrame(
        {
            "city": ["某市"] * 3,
            "county": ["甲县", "乙县", "丙县"],
            "status": ["nationally_recognized"] * 3,
            "status_year": [2024, 2024, 2024],
            # 2024 - 2022 = 2 < 3 (precondition.basic_balance_recognition.min_years); 3 is enough
            "basic_balance_year": [2022, 2021, None],
        }
    )
    register = read_register(frame, today=TODAY)
    issue = _by_code(register.issues, "recognition_before_precondition")[0]
    assert len(register.issues) == 1
    assert (issue.row, issue.key, issue.column, issue.severity) == (
        0,
        "county=甲县",
        "status_year",
        "warning",
    )


def test_precondition_from_a_basic_balance_event():
    frame = pd.DataFrame(
        {
            "city": ["某市"] * 2,
            "county": ["甲县"] * 2,
            "program": ["basic_balance", "quality_balance"],
            "status": ["nationally_recognized"] * 2,
            "status_year": [2023, 2024],
        }
    )
    issue = _by_code(read_register(frame, today=TODAY).issues, "recognition_before_precondition")
    assert issue[0].row == 1


def test_status_regression_and_its_note():
    frame = pd.DataFrame(
        {
            "city": ["某市"] * 4,
            "county": ["甲县", "甲县", "乙县", "乙县"],
            "status": ["applied", "creating", "applied", "creating"],
            "status_year": [2022, 2023, 2022, 2023],
            "note": [None, None, None, "省级评估未通过，重新创建"],
        }
    )
    issues = read_register(frame, today=TODAY).issues
    regression = _by_code(issues, "status_regression")
    assert [(issue.row, issue.key, issue.column) for issue in regression] == [
        (1, "county=甲县", "status")
    ]


def test_unit_count_mismatch_names_missing_and_extra_units():
    frame = _frame([("某市", "甲县", "creating", 2023), ("某市", "乙县", "creating", 2023)])
    register = read_register(frame, today=TODAY, city_units=["甲县", "丙县"])
    issue = _by_code(register.issues, "unit_count_mismatch")[0]
    assert issue.column == "county"
    assert "丙县" in issue.message
    assert "乙县" in issue.message


def test_county_not_in_register():
    frame = _frame([("某市", "甲县", "creating", 2023)])
    register = read_register(frame, today=TODAY, other_counties=["甲县", "乙县"])
    issue = _by_code(register.issues, "county_not_in_register")[0]
    assert issue.value == "乙县"


def test_future_date():
    frame = pd.DataFrame(
        {
            "city": ["某市"],
            "county": ["甲县"],
            "status": ["applied"],
            "status_year": [2026],
            "status_date": ["2026-03-01"],
        }
    )
    issues = read_register(frame, today=dt.date(2025, 12, 31)).issues
    assert {issue.column for issue in _by_code(issues, "future_date")} == {
        "status_year",
        "status_date",
    }


# --------------------------------------------------------------------------------------
# current status = latest event (year, date, status order)


def test_current_status_is_the_latest_event():
    frame = pd.DataFrame(
        {
            "city": ["某市"] * 7,
            "county": ["甲县", "甲县", "甲县", "乙县", "乙县", "丙县", "丙县"],
            "status": [
                "creating",
                "provincially_assessed",
                "applied",  # same year as provincially_assessed: the status order decides
                "applied",
                "creating",  # same year, later date: the date decides (noted regression)
                "nationally_recognized",
                "withdrawn",
            ],
            "status_year": [2020, 2023, 2023, 2024, 2024, 2020, 2022],
            "status_date": [None, None, None, "2024-03-01", "2024-06-01", None, None],
            "note": [None, None, None, None, "材料退回", None, None],
        }
    )
    register = read_register(frame, today=TODAY)
    current = register.current().set_index("county")
    assert current.loc["甲县", "status"] == "provincially_assessed"
    assert current.loc["乙县", "status"] == "creating"
    assert current.loc["丙县", "status"] == "withdrawn"
    assert pd.isna(current.loc["丙县", "order"])
    assert current.loc["甲县", "order"] == STATUS_ORDER["provincially_assessed"]
    assert current.loc["甲县", "events"] == 3
    # As of 2021 丙县 is still recognised and 乙县 has no event yet.
    earlier = register.current(as_of=2021).set_index("county")
    assert earlier.loc["丙县", "status"] == "nationally_recognized"
    assert "乙县" not in earlier.index


def test_current_status_does_not_depend_on_row_order():
    rows = [
        ("某市", "甲县", "creating", 2019),
        ("某市", "甲县", "applied", 2021),
        ("某市", "甲县", "provincially_assessed", 2021),
        ("某市", "乙县", "creating", 2022),
    ]
    forward = read_register(_frame(rows), today=TODAY).current()
    backward = read_register(_frame(rows[::-1]), today=TODAY).current()
    columns = ["county", "status", "status_year"]
    assert forward[columns].equals(backward[columns])


def test_to_dict_is_json_safe():
    register = read_register(demo_path("demo_city_register.csv"), today="2025-06-30")
    data = register.to_dict()
    json.dumps(data)
    assert len(data["events"]) == 14
