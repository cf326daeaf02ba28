"""Checklist status records (data-schema.md §4): reading, every issue code, exact round trips."""

import datetime as dt
import json

import pandas as pd
import pytest

from eduequity.checklist import (
    RECORD_COLUMNS,
    ChecklistRecords,
    read_checklist_records,
)
from eduequity.errors import InputError, InvalidArgumentError, InvalidTypeError

TODAY = "2021-12-01"


def frame(*rows, columns=("county", "item_id", "status", "updated_at")):
    return pd.DataFrame([dict(zip(columns, row, strict=True)) for row in rows])


def read(source, **options):
    options.setdefault("today", TODAY)
    return read_checklist_records(source, **options)


def errors_of(source, **options):
    with pytest.raises(InputError) as caught:
        read(source, **options)
    return caught.value


def only(issues, code):
    found = [issue for issue in issues if issue.code == code]
    assert len(found) == 1, [issue.render() for issue in issues]
    return found[0]


# --------------------------------------------------------------------------------------
# reading


def test_chinese_headers_statuses_codes_and_ids():
    source = pd.DataFrame(
        {
            "县（市、区）": ["甲县", "甲县", "甲县", "甲县"],
            "清单编号": ["a1", "rotation_policy", "T2", " S1 "],
            "进展": ["未开始", "进行中", "实施中", "已核验"],
            "是否选定": ["是", "否", None, "1"],
            "支撑材料": ["方案", None, None, "报告"],
            "链接": [None, None, "http://example.org/x", None],
            "材料日期": ["2021年9月1日", None, None, "2021-10-01"],
            "牵头部门": ["教育局", None, None, None],
            "更新日期": ["2021-11-01", "2021-11-02", "2021-11-03", "2021-11-04"],
            "备注": [None, "暂缓", None, None],
        }
    )
    records = read(source)
    got = records.frame
    assert list(got.columns) == list(RECORD_COLUMNS)
    assert got["item_id"].tolist() == [
        "rural_school_layout_model",
        "rotation_policy",
        "full_standardization",
        "leadership_and_policy",
    ]
    assert got["status"].tolist() == ["not_started", "in_progress", "in_progress", "verified"]
    assert str(got["selected"].dtype) == "boolean"
    assert got["selected"].tolist()[:2] == [True, False]
    assert got["selected"].isna().tolist() == [False, False, True, False]
    assert got.loc[0, "evidence_date"] == pd.Timestamp("2021-09-01")
    assert got.loc[0, "responsible_unit"] == "教育局"
    assert got.loc[2, "evidence_ref"] == "http://example.org/x"
    assert got.loc[1, "note"] == "暂缓"
    assert records.headers["item_id"] == "清单编号"
    assert records.headers["county"] == "县（市、区）"
    # rotation_policy is unselected while in progress
    assert [(issue.code, issue.row) for issue in records.issues] == [("unselected_but_done", 1)]
    assert records.counties == ("甲县",)
    assert len(records) == 4


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("县（市、区）", "county"),
        ("县(市、区)", "county"),
        ("任务编号", "item_id"),
        ("清单编号", "item_id"),
        ("事项", "item_id"),
        ("状态", "status"),
        ("进展", "status"),
        ("是否选定", "selected"),
        ("佐证材料", "evidence"),
        ("文号", "evidence_ref"),
        ("链接", "evidence_ref"),
        ("文号/链接", "evidence_ref"),
        ("印发日期", "evidence_date"),
        ("材料日期", "evidence_date"),
        ("责任单位", "responsible_unit"),
        ("更新日期", "updated_at"),
        ("备注", "note"),
    ],
)
def test_each_chinese_header(header, column):
    base = {"county": "甲县", "item_id": "A1", "status": "not_started"}
    value = {"selected": "是", "evidence_date": "2021-11-01", "updated_at": "2021-11-01"}.get(
        column, base.get(column, "x")
    )
    row = {**{k: v for k, v in base.items() if k != column}, header: value}
    records = read(pd.DataFrame([row]))
    assert records.headers[column] == header
    assert records.frame[column].notna().all()


def test_items_given_by_their_chinese_text():
    source = pd.DataFrame(
        {
            "县区": ["甲县", "甲县"],
            "事项": ["制订课堂教学基本规程", "提供更高质量的教育服务"],
            "状态": ["推进中", "推进中"],
        }
    )
    assert read(source).frame["item_id"].tolist() == ["classroom_teaching_rules", "better_services"]


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("未启动", "not_started"),
        ("未开始", "not_started"),
        ("推进中", "in_progress"),
        ("进行中", "in_progress"),
        ("实施中", "in_progress"),
        ("已完成", "completed"),
        ("已验收", "verified"),
        ("已核验", "verified"),
        ("Completed", "completed"),
    ],
)
def test_status_aliases(text, status):
    records = read(frame(("甲县", "A1", text, None)).assign(evidence="x"))
    assert records.frame["status"].tolist() == [status]


def test_current_takes_the_latest_and_carries_selection_forward():
    records = read(
        frame(
            ("甲县", "A1", "completed", "2021-11-01"),
            ("甲县", "A1", "in_progress", "2021-10-01"),
            ("甲县", "A2", "not_started", "2021-09-01"),
            ("甲县", "A2", "in_progress", "2021-10-01"),
            columns=("county", "item_id", "status", "updated_at"),
        ).assign(selected=[None, None, False, None], evidence="x")
    )
    current = records.current().set_index("item_id")
    assert current.loc["rural_school_layout_model", "status"] == "completed"
    assert current.loc["rural_school_layout_model", "records"] == 2
    # A2 was unselected on 09-01; the later record does not restate it
    assert not current.loc["rural_warm_campus", "selected"]
    assert current.loc["rural_school_layout_model", "selected"]
    history = records.history("甲县", "A1")
    assert history["status"].tolist() == ["in_progress", "completed"]


# --------------------------------------------------------------------------------------
# errors: each names the row, the county and item (row key) and the column


def test_unknown_item():
    error = errors_of(
        frame(("甲县", "A1", "not_started", None), ("乙县", "Z1", "not_started", None))
    )
    issue = only(error.errors, "unknown_item")
    assert issue.row == 1
    assert issue.key == "county=乙县, item_id=Z1"
    assert issue.column == "item_id"
    assert issue.value == "Z1"
    assert issue.message.startswith("row 1 (county=乙县, item_id=Z1), column item_id: 'Z1'")
    assert "A1–E2" in issue.message
    assert error.code == "unknown_item"


def test_unknown_status_lists_the_allowed_values():
    source = pd.DataFrame({"县区": ["甲县"], "事项": ["B2"], "状态": ["完工"]})
    issue = only(errors_of(source).errors, "unknown_value")
    assert (issue.row, issue.key, issue.column, issue.header, issue.value) == (
        0,
        "county=甲县, item_id=B2",
        "status",
        "状态",
        "完工",
    )
    assert "column status (header '状态')" in issue.message
    for allowed in ("not_started", "未启动", "in_progress", "推进中", "已完成", "已验收"):
        assert allowed in issue.message


@pytest.mark.parametrize(("item", "what"), [("T1", "basic task"), ("S2", "condition")])
def test_basic_task_or_condition_cannot_be_unselected(item, what):
    source = frame(("甲县", item, "not_started", None)).assign(是否选定=["否"])
    issue = only(errors_of(source).errors, "basic_task_unselected")
    assert issue.row == 0
    assert issue.key == f"county=甲县, item_id={item}"
    assert issue.column == "selected"
    assert issue.header == "是否选定"
    assert f"is a {what}" in issue.message


def test_checklist_items_may_be_unselected():
    records = read(frame(("甲县", "A1", "not_started", None)).assign(selected=[False]))
    assert records.frame["selected"].tolist() == [False]
    assert records.issues == ()


def test_duplicate_record_same_date_code_and_id_count_as_the_same_item():
    source = frame(
        ("甲县", "A1", "in_progress", "2021-11-01"),
        ("甲县", "B1", "in_progress", "2021-11-01"),
        ("甲县", "rural_school_layout_model", "completed", "2021年11月1日"),
    ).assign(evidence="x")
    issue = only(errors_of(source).errors, "duplicate_record")
    assert issue.row == 2
    assert issue.column == "updated_at"
    assert issue.value == "2021-11-01"
    assert "county 甲县, item A1 (rural_school_layout_model)" in issue.message
    assert "rows 0, 2" in issue.message


def test_duplicate_record_several_rows_one_without_date():
    source = frame(
        ("甲县", "A1", "in_progress", "2021-11-01"),
        ("甲县", "A1", "completed", None),
        ("乙县", "A1", "completed", None),
    ).assign(evidence="x")
    issue = only(errors_of(source).errors, "duplicate_record")
    assert issue.row == 1
    assert issue.key == "county=甲县, item_id=A1"
    assert issue.column == "updated_at"
    assert "has 2 records (rows 0, 1)" in issue.message


def test_duplicate_record_two_undated_rows_are_both_reported():
    source = frame(
        ("甲县", "C2", "in_progress", None),
        ("甲县", "C2", "in_progress", None),
    )
    error = errors_of(source)
    assert [(issue.code, issue.row) for issue in error.errors] == [
        ("duplicate_record", 0),
        ("duplicate_record", 1),
    ]


@pytest.mark.parametrize(
    ("column", "header"), [("updated_at", "更新日期"), ("evidence_date", "印发日期")]
)
def test_bad_date(column, header):
    source = pd.DataFrame(
        {"county": ["甲县"], "item_id": ["D1"], "status": ["not_started"], header: ["2021-13-01"]}
    )
    issue = only(errors_of(source).errors, "bad_date")
    assert (issue.row, issue.column, issue.header, issue.value) == (0, column, header, "2021-13-01")
    assert "county=甲县, item_id=D1" in issue.message
    assert "expected YYYY-MM-DD" in issue.message


def test_missing_required_column_and_value():
    error = errors_of(pd.DataFrame({"county": ["甲县"], "item_id": ["A1"]}))
    issue = only(error.errors, "missing_required_column")
    assert issue.column == "status"
    assert "'进展'" in issue.message
    error = errors_of(frame(("甲县", "A1", "not_started", None), (None, "A2", "not_started", None)))
    issue = only(error.errors, "missing_value")
    assert (issue.row, issue.column) == (1, "county")


def test_all_problems_in_one_input_error():
    source = pd.DataFrame(
        {
            "county": ["甲县", "甲县", "甲县", "甲县", "甲县", "甲县"],
            "item_id": ["X1", "A1", "T4", "B1", "B1", "C1"],
            "status": ["completed", "done?", "not_started", "in_progress", "in_progress", "已完成"],
            "selected": [None, None, "false", None, None, None],
            "updated_at": [None, None, None, "2021-11-01", "2021-11-01", "someday"],
        }
    )
    error = errors_of(source)
    assert sorted((issue.code, issue.row) for issue in error.errors) == [
        ("bad_date", 5),
        ("basic_task_unselected", 2),
        ("duplicate_record", 4),
        ("unknown_item", 0),
        ("unknown_value", 1),
    ]
    assert error.code == "invalid_input"
    text = str(error)
    assert text.startswith("5 problems in table 'checklist_records':")
    for code in ("bad_date", "basic_task_unselected", "duplicate_record", "unknown_item"):
        assert f"[{code}]" in text
    # the warnings travel with the error
    assert {issue.code for issue in error.issues if issue.severity == "warning"} == {
        "evidence_missing"
    }


def test_csv_rows_are_spreadsheet_rows(tmp_path):
    path = tmp_path / "records.csv"
    path.write_text(
        "县（市、区）,任务编号,状态\n甲县,A1,未启动\n甲县,A9,未启动\n", encoding="utf-8-sig"
    )
    issue = only(errors_of(path).errors, "unknown_item")
    assert issue.row == 3
    assert issue.header == "任务编号"
    assert issue.message.startswith(
        "row 3 (county=甲县, item_id=A9), column item_id (header '任务编号')"
    )


def test_json_records_are_numbered_from_one():
    records = [
        {"county": "甲县", "item_id": "A1", "status": "not_started"},
        {"county": "甲县", "item_id": "A1x", "status": "not_started"},
    ]
    issue = only(errors_of(records).errors, "unknown_item")
    assert issue.row == 2


# --------------------------------------------------------------------------------------
# warnings


def test_evidence_missing_warns_and_is_an_error_when_strict():
    source = frame(
        ("甲县", "A3", "completed", None),
        ("甲县", "A4", "verified", None),
        ("甲县", "B1", "in_progress", None),
    ).assign(evidence=[None, "经验总结", None], evidence_ref=[None, None, None])
    records = read(source)
    issue = only(records.issues, "evidence_missing")
    assert issue.severity == "warning"
    assert (issue.row, issue.column) == (0, "evidence")
    assert "A3 (urban_places_standard) is completed (已完成)" in issue.message
    assert "policy item: a document reference" in issue.message
    strict = errors_of(source, strict=True)
    assert [(issue.code, issue.row) for issue in strict.errors] == [("evidence_missing", 0)]
    only_ref = source.assign(evidence_ref=["某政发〔2021〕1号", None, None])
    assert read(only_ref, strict=True).issues == ()


def test_future_date():
    source = frame(
        ("甲县", "A1", "in_progress", "2021-12-01"),
        ("甲县", "A2", "in_progress", "2021-12-02"),
    ).assign(evidence_date=["2022-01-01", None])
    issues = read(source, today=dt.date(2021, 12, 1)).issues
    assert sorted((issue.code, issue.row, issue.column, issue.value) for issue in issues) == [
        ("future_date", 0, "evidence_date", "2022-01-01"),
        ("future_date", 1, "updated_at", "2021-12-02"),
    ]
    assert "after the processing date 2021-12-01" in issues[0].message
    assert read(source, today="2022-01-01").issues == ()


def test_future_date_uses_the_current_date_by_default():
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()  # noqa: DTZ011
    source = frame(("甲县", "A1", "in_progress", tomorrow))
    issues = read_checklist_records(source).issues
    assert [issue.code for issue in issues] == ["future_date"]


def test_unselected_but_done():
    source = frame(
        ("甲县", "A1", "in_progress", None),
        ("甲县", "A2", "not_started", None),
        ("甲县", "A3", "verified", None),
    ).assign(selected=[False, False, True], evidence="x")
    issue = only(read(source).issues, "unselected_but_done")
    assert (issue.row, issue.column, issue.severity) == (0, "selected", "warning")
    assert "A1 (rural_school_layout_model) is unselected but its status is in_progress" in (
        issue.message
    )


def test_status_regression_follows_dates_not_row_order():
    source = frame(
        ("甲县", "A1", "in_progress", "2021-11-01"),
        ("甲县", "A1", "completed", "2021-10-01"),
        ("甲县", "A2", "completed", "2021-10-01"),
        ("甲县", "A2", "in_progress", "2021-11-01"),
        ("甲县", "A3", "in_progress", "2021-10-01"),
        ("甲县", "A3", "verified", "2021-11-01"),
    ).assign(evidence="x", note=[None, None, None, "退回修改", None, None])
    issue = only(read(source).issues, "status_regression")
    assert (issue.row, issue.column) == (0, "status")
    assert "in_progress (推进中) on 2021-11-01 is lower than completed (已完成) on 2021-10-01" in (
        issue.message
    )
    assert "(row 1)" in issue.message


# --------------------------------------------------------------------------------------
# round trips


def _rich_records():
    source = pd.DataFrame(
        {
            "county": ["荣成市", "荣成市", "乙县", "乙县"],
            "item_id": ["A1", "T2", "E2", "S3"],
            "status": ["completed", "in_progress", "not_started", "verified"],
            "selected": [True, None, False, None],
            "evidence": ['方案, 含"引号"', None, "多行\n说明", "满意度调查报告"],
            "evidence_ref": ["荣政发〔2021〕8号", None, None, "https://example.org/a?b=1,2"],
            "evidence_date": ["2021-09-30", None, None, "2021年10月8日"],
            "responsible_unit": ["教育和体育局", None, None, None],
            "updated_at": ["2021-11-20", "2021-11-21", None, "2021-11-22"],
            "note": [None, None, "暂不承担", None],
        },
        index=[10, 11, 12, 13],
    )
    return read(source)


def test_json_round_trip_is_exact(tmp_path):
    records = _rich_records()
    text = records.to_json(generated="2021-12-01")
    payload = json.loads(text)
    assert payload["catalogue"] == {"id": "cn_moe_2021_creation", "version": "1.0.0"}
    assert payload["generated"] == "2021-12-01"
    assert payload["records"][0]["item_id"] == "rural_school_layout_model"
    assert payload["records"][1]["selected"] is None
    assert payload["records"][2]["selected"] is False
    back = ChecklistRecords.from_json(text, today=TODAY)
    assert back == records
    pd.testing.assert_frame_equal(
        back.frame.reset_index(drop=True), records.frame.reset_index(drop=True)
    )
    path = tmp_path / "records.json"
    records.to_json(path)
    assert read(path) == records
    assert read(payload["records"]) == records
    assert ChecklistRecords.from_json(path.read_bytes(), today=TODAY) == records


def test_csv_round_trip_is_exact(tmp_path):
    records = _rich_records()
    path = tmp_path / "records.csv"
    text = records.to_csv(path)
    assert text.splitlines()[0] == ",".join(RECORD_COLUMNS)
    back = read(path)
    assert back == records
    assert back.issues == ()
    pd.testing.assert_frame_equal(
        back.frame.reset_index(drop=True), records.frame.reset_index(drop=True)
    )
    # spreadsheet rows: the header is row 1, each record one row (even the two-line note)
    assert back.frame.index.tolist() == [2, 3, 4, 5]


def test_round_trips_with_bilingual_labels(tmp_path):
    records = _rich_records()
    path = tmp_path / "labelled.csv"
    text = records.to_csv(path, labels=True)
    header = text.splitlines()[0].split(",")
    assert header[-4:] == ["item_code", "item_text_zh", "item_text_en", "status_zh"]
    assert "A1,建立合理布局农村学校的有效模式" in text
    assert read(path) == records
    assert read(path).issues == ()
    labelled = json.loads(records.to_json(labels=True))
    assert labelled["records"][3]["status_zh"] == "已验收"
    assert ChecklistRecords.from_json(json.dumps(labelled), today=TODAY) == records


def test_gb18030_csv_with_chinese_headers(tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes("县（市、区）,事项,进展,备注\n甲县,C3,推进中,正在起草\n".encode("gb18030"))
    records = read(path)
    assert records.frame["item_id"].tolist() == ["rotation_policy"]
    assert "gb18030" in records.source


def test_records_are_revalidated():
    records = _rich_records()
    again = read_checklist_records(records, today=TODAY)
    assert again == records
    earlier = read_checklist_records(records, today="2021-10-01")
    assert {issue.code for issue in earlier.issues} == {"future_date"}
    assert earlier == records


def test_equality_tracks_content():
    records = _rich_records()
    other = read(records.frame.assign(status="not_started", evidence=None))
    assert other != records


def test_json_errors():
    with pytest.raises(InvalidArgumentError) as caught:
        ChecklistRecords.from_json('{"catalogue": {"id": "other"}, "records": []}')
    assert caught.value.code == "catalogue_mismatch"
    with pytest.raises(InvalidArgumentError) as caught:
        ChecklistRecords.from_json("[{")
    assert caught.value.code == "unreadable_file"
    with pytest.raises(InvalidArgumentError, match="without 'records'"):
        ChecklistRecords.from_json('{"rows": []}')
    with pytest.raises(InvalidTypeError, match="record 2 of the list of records is a str"):
        read_checklist_records([{"county": "甲县"}, "A1"])
    with pytest.raises(InvalidTypeError, match="got int"):
        read_checklist_records(42)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="today='yesterday' is not a date"):
        read_checklist_records([], today="yesterday")


def test_empty_list_reads_as_no_records():
    records = read([])
    assert len(records) == 0
    assert list(records.frame.columns) == list(RECORD_COLUMNS)
    assert records.to_csv().strip() == ",".join(RECORD_COLUMNS)
    assert read(json.loads(records.to_json())["records"]) == records


def test_to_dict_is_json_safe():
    data = _rich_records().to_dict()
    text = json.dumps(data, ensure_ascii=False)
    assert json.loads(text)["records"][0]["evidence_date"] == "2021-09-30"
    assert data["catalogue"] == {"id": "cn_moe_2021_creation", "version": "1.0.0"}
