"""Evaluation of the creation checklist (creation-checklist.md §6.4–§6.6).

Expected rates are worked out by hand from the formulas of §6.4:
``rate_area = Σ done / #selected`` per area, ``rate_all`` over the selected items,
``rate_all_20 = Σ done / 20``, ``verified_rate`` counting only ``verified``.
"""

import json

import pandas as pd
import pytest

from eduequity.checklist import (
    CREATION_CHECKLIST_2021,
    ChecklistCatalogue,
    check_eligibility,
    evaluate_checklist,
    province_view,
    read_checklist_records,
)
from eduequity.errors import (
    DataQualityWarning,
    DegenerateDataWarning,
    InvalidArgumentError,
    InvalidTypeError,
    InvalidValueError,
)
from eduequity.io import read_county_facts

ITEM_CODES = [item.code for item in CREATION_CHECKLIST_2021.tough_items]
TASK_CODES = ["T1", "T2", "T3", "T4"]
CONDITION_CODES = ["S1", "S2", "S3"]


def record(county, code, status, **extra):
    return {"county": county, "item_id": code, "status": status, "evidence": "材料", **extra}


def everything(county, status="completed", codes=None):
    codes = codes or [*CONDITION_CODES, *TASK_CODES, *ITEM_CODES]
    return [record(county, code, status) for code in codes]


def evaluate(records, **options):
    return evaluate_checklist(read_checklist_records(records, today="2030-01-01"), **options)


# --------------------------------------------------------------------------------------
# rates


@pytest.mark.parametrize(("status", "verified"), [("completed", 0.0), ("verified", 1.0)])
def test_all_done(status, verified):
    result = evaluate(everything("甲县", status), basic_balance_years={"甲县": 2015})
    county = result.county("甲县")
    assert county.rate_all == 1.0
    assert county.rate_all_20 == 1.0
    assert county.verified_rate == verified
    assert county.items_selected == 20
    assert county.items_done == 20.0
    assert [area.rate for area in county.areas] == [1.0] * 5
    assert [area.selected for area in county.areas] == [4, 4, 3, 7, 2]
    assert county.basic_tasks_done == 4
    assert county.missing == ()
    assert county.eligibility.status == "eligible"
    assert result.missing_frame().empty


def test_area_without_selected_items_has_no_rate():
    records = everything("甲县", "completed", [*TASK_CODES, *ITEM_CODES])
    records += [
        record("甲县", "E1", "completed", selected=False, updated_at="2021-11-02"),
        record("甲县", "E2", "not_started", selected="否", updated_at="2021-11-02"),
    ]
    for item in records[:-2]:
        item["updated_at"] = "2021-11-01"
    result = evaluate(records)
    county = result.county("甲县")
    area = county.area("E")
    assert area.selected == 0
    assert area.rate is None
    assert area.verified_rate is None
    assert area.status == "not_applicable"
    assert area.items == 2
    # 18 selected, all done; the unselected E1 counts as not done over 20 even though completed
    assert county.items_selected == 18
    assert county.rate_all == 1.0
    assert county.rate_all_20 == 18 / 20
    assert [a.rate for a in county.areas[:4]] == [1.0] * 4
    frame = result.areas_frame()
    row = frame[(frame["county"] == "甲县") & (frame["area"] == "student_care")].iloc[0]
    assert pd.isna(row["rate"])
    assert json.loads(json.dumps(result.to_dict()))["areas"][4]["rate"] is None
    # E1 is unselected but completed; E2 went from completed back to not started
    assert {issue.code for issue in result.issues} == {"unselected_but_done", "status_regression"}


def test_nothing_selected_gives_no_overall_rate():
    records = [record("甲县", code, "not_started", selected=False) for code in ITEM_CODES]
    county = evaluate(records).county("甲县")
    assert county.items_selected == 0
    assert county.rate_all is None
    assert county.verified_rate is None
    assert county.rate_all_20 == 0.0
    assert all(area.rate is None for area in county.areas)


def _mixed():
    # A1 completed, A2 and A3 in progress, B1 verified, C1 not started; no other record
    return [
        record("甲县", "A1", "completed"),
        record("甲县", "A2", "in_progress"),
        record("甲县", "A3", "进行中"),
        record("甲县", "B1", "verified"),
        record("甲县", "C1", "not_started"),
    ]


def test_in_progress_weight_half():
    county = evaluate(_mixed(), in_progress_weight=0.5).county("甲县")
    # done = 1 + 0.5 + 0.5 + 1 = 3 over 20 selected items
    assert county.items_done == 3.0
    assert county.rate_all == 3 / 20
    assert county.rate_all_20 == 3 / 20
    assert county.verified_rate == 1 / 20
    assert county.area("A").rate == (1 + 0.5 + 0.5) / 4
    assert county.area("A").in_progress == 2
    assert county.area("B").rate == 1 / 4
    assert county.area("C").rate == 0.0
    assert county.area("C").not_started == 3  # C1 not started, C2 and C3 without a record
    assert county.item("A2").done == 0.5


def test_in_progress_weight_zero_by_default():
    county = evaluate(_mixed()).county("甲县")
    assert county.rate_all == 2 / 20
    assert county.area("A").rate == 1 / 4
    assert county.item("A2").done == 0.0


def test_verified_rate_counts_only_verified():
    records = [record("甲县", code, "verified") for code in ITEM_CODES[:5]]
    records += [record("甲县", code, "completed") for code in ITEM_CODES[5:10]]
    county = evaluate(records).county("甲县")
    assert county.rate_all == 10 / 20
    assert county.verified_rate == 5 / 20
    assert county.items_verified == 5
    # A1–A4 and B1 verified; B2–B4, C1, C2 completed
    assert county.area("A").verified_rate == 1.0
    assert county.area("B").verified_rate == 1 / 4
    assert county.area("B").rate == 1.0


def test_latest_record_wins_whatever_the_row_order():
    rows = [
        record("甲县", "A1", "in_progress", updated_at="2021-11-01", note="返工"),
        record("甲县", "A1", "completed", updated_at="2021-10-01"),
        record("甲县", "A2", "not_started", updated_at="2021-09-01"),
        record("甲县", "A2", "verified", updated_at="2021-12-01"),
    ]
    for order in (rows, rows[::-1]):
        county = evaluate(order).county("甲县")
        assert county.item("A1").status == "in_progress"
        assert county.item("A1").records == 2
        assert county.item("A1").note == "返工"
        assert county.item("A2").status == "verified"
        assert county.area("A").rate == 1 / 4
        assert county.area("A").verified == 1


def test_items_without_record_are_open_and_listed():
    result = evaluate([record("甲县", "D5", "completed")])
    county = result.county("甲县")
    assert county.item("D4").status is None
    assert county.item("D4").records == 0
    missing = {item.code for item in county.missing}
    assert missing == {*TASK_CODES, *ITEM_CODES} - {"D5"}
    frame = result.missing_frame()
    assert set(frame["code"]) == missing
    row = frame[frame["code"] == "D4"].iloc[0]
    assert row["text_zh"] == "探索信息技术与教育教学深度融合应用的有效途径及模式"
    assert row["text_en"].startswith("Paths and models for deep integration of ICT")
    assert county.area("D").rate == 1 / 7


def test_basic_tasks_are_reported_separately():
    result = evaluate(everything("甲县", "completed", TASK_CODES))
    county = result.county("甲县")
    assert county.basic_tasks_done == 4
    assert [task.code for task in county.basic_tasks] == TASK_CODES
    assert county.rate_all == 0.0  # tasks never enter the checklist rates
    tasks = result.basic_tasks_frame()
    assert tasks["code"].tolist() == TASK_CODES
    assert tasks["status"].tolist() == ["completed"] * 4


def test_many_counties_at_once_equal_each_county_alone():
    records = [
        *_mixed(),
        record("乙县", "E2", "completed"),
        record("乙县", "T1", "verified"),
        record("丙县", "A1", "not_started", selected=False),
    ]
    joint = evaluate(records, in_progress_weight=0.5)
    assert joint.counties == ("丙县", "乙县", "甲县")
    assert len(joint.areas_frame()) == 15
    assert len(joint.items_frame()) == 3 * 27
    for name in joint.counties:
        alone = evaluate([r for r in records if r["county"] == name], in_progress_weight=0.5)
        assert alone.county(name).to_dict() == joint.county(name).to_dict()


# --------------------------------------------------------------------------------------
# eligibility (§6.5)


def _conditions(county, statuses=("completed", "completed", "completed")):
    return [
        record(county, code, status) for code, status in zip(CONDITION_CODES, statuses, strict=True)
    ]


def test_s2_years_at_the_edge():
    records = _conditions("甲县") + _conditions("乙县") + _conditions("丙县")
    report = check_eligibility(records, basic_balance_years={"甲县": 2018, "乙县": 2019})
    assert report.county("甲县").status == "eligible"  # 2021 - 2018 = 3
    assert report.county("甲县").years_since_recognition == 3
    assert report.county("乙县").status == "not_eligible"  # 2 years
    assert report.county("丙县").status == "incomplete"  # no year
    assert report.county("丙县").basic_balance_recognition_year is None
    assert report.eligible == ("甲县",)
    s2a = {check.part: check for check in report.county("乙县").conditions}["S2(a)"]
    assert s2a.met is False
    assert "2 years before 2021; at least 3 needed" in s2a.detail
    assert report.county("乙县").reasons == (s2a.detail,)
    unknown = report.county("丙县").reasons
    assert len(unknown) == 1
    assert "recognition year unknown" in unknown[0]
    later = check_eligibility(records, reference_year=2022, basic_balance_years={"乙县": 2019})
    assert later.county("乙县").status == "eligible"


@pytest.mark.parametrize(
    ("statuses", "expected", "failing"),
    [
        (("completed", "verified", "completed"), "eligible", []),
        (("in_progress", "completed", "completed"), "not_eligible", ["S1"]),
        (("completed", "not_started", "completed"), "not_eligible", ["S2(b)"]),
        (("completed", "completed", None), "incomplete", ["S3"]),
        (("in_progress", "completed", None), "not_eligible", ["S1", "S3"]),
    ],
)
def test_record_based_conditions(statuses, expected, failing):
    records = [
        record("甲县", code, status)
        for code, status in zip(CONDITION_CODES, statuses, strict=True)
        if status is not None
    ]
    eligibility = check_eligibility(records, basic_balance_years={"甲县": 2013}).county("甲县")
    assert eligibility.status == expected
    assert [check.part for check in eligibility.conditions] == ["S1", "S2(a)", "S2(b)", "S3"]
    assert [check.part for check in eligibility.conditions if check.met is not True] == failing
    assert len(eligibility.reasons) == len(failing)


def test_recognition_years_from_county_facts():
    facts = pd.DataFrame(
        {
            "county": ["甲县", "甲县", "乙县"],
            "year": [2021, 2020, 2021],
            "basic_balance_recognition_year": [2014, 2014, None],
            "teacher_salary_parity": [1.02, 0.97, None],
            "social_recognition": [0.91, 0.88, 0.86],
        }
    )
    report = check_eligibility(_conditions("甲县") + _conditions("乙县"), basic_balance_years=facts)
    first = report.county("甲县")
    assert first.status == "eligible"
    assert first.basic_balance_recognition_year == 2014
    assert first.teacher_salary_parity == 1.02  # the latest year's value
    assert first.social_recognition == 0.91
    second = report.county("乙县")
    assert second.status == "incomplete"
    assert second.teacher_salary_parity is None
    assert second.social_recognition == 0.86


def test_recognition_years_from_a_loaded_county_facts_table():
    facts = read_county_facts(
        pd.DataFrame({"县区": ["甲县"], "评估年度": [2021], "通过国家基本均衡认定年份": [2016]})
    )
    report = check_eligibility(_conditions("甲县"), basic_balance_years=facts)
    assert report.county("甲县").years_since_recognition == 5


def test_bad_recognition_years():
    records = _conditions("甲县")
    with pytest.raises(InvalidValueError, match="county 甲县: 'MMXIII'") as caught:
        check_eligibility(records, basic_balance_years={"甲县": "MMXIII"})
    assert caught.value.code == "not_a_number"
    with pytest.raises(InvalidValueError, match="甲县: 2013, 2014") as caught:
        check_eligibility(
            records,
            basic_balance_years=pd.DataFrame(
                {"county": ["甲县", "甲县"], "basic_balance_recognition_year": [2014, 2013]}
            ),
        )
    assert caught.value.code == "year_inconsistent"
    with pytest.raises(InvalidArgumentError, match="basic_balance_recognition_year"):
        check_eligibility(records, basic_balance_years=pd.DataFrame({"county": ["甲县"]}))
    with pytest.raises(InvalidTypeError):
        check_eligibility(records, basic_balance_years=[2013])  # type: ignore[arg-type]
    assert check_eligibility(records, basic_balance_years={"甲县": 2013.0}).eligible == ("甲县",)


def test_evaluation_carries_the_eligibility():
    result = evaluate(_conditions("甲县"), basic_balance_years={"甲县": 2013})
    assert result.summary_frame()["eligibility"].tolist() == ["eligible"]
    assert result.county("甲县").eligibility.status == "eligible"


# --------------------------------------------------------------------------------------
# province view (§6.6)


def _province(names, years=2013):
    records = [row for name in names for row in _conditions(name)]
    return check_eligibility(records, basic_balance_years=dict.fromkeys(names, years))


@pytest.mark.parametrize("count", [3, 4, 5])
def test_province_count_within_range(count):
    names = [f"县{i}" for i in range(count)]
    view = province_view(_province(names), province="某省")
    assert view.count == count
    assert view.count_within_range
    assert view.issues == ()
    assert view.eligible == tuple(sorted(names))


@pytest.mark.parametrize("count", [2, 6])
def test_province_count_outside_range_warns(count):
    names = [f"县{i}" for i in range(count)]
    with pytest.warns(DataQualityWarning, match="province_count_outside_range"):
        view = province_view(_province(names), province="某省")
    assert not view.count_within_range
    assert [issue.code for issue in view.issues] == ["province_count_outside_range"]
    assert f"某省 recommends {count} counties; the notice allows 3–5" in view.issues[0].message


def test_province_view_of_a_subset_with_deadline_and_failing_county():
    report = check_eligibility(
        [row for name in ("甲县", "乙县", "丙县", "丁县") for row in _conditions(name)],
        basic_balance_years={"甲县": 2013, "乙县": 2014, "丙县": 2020, "丁县": 2012},
    )
    with pytest.warns(DataQualityWarning, match="condition_not_met"):
        view = province_view(report, ["乙县", "丙县", "甲县"], submitted_on="2021-12-11")
    assert view.counties == ("乙县", "丙县", "甲县")
    assert view.not_eligible == ("丙县",)
    assert view.eligible == ("乙县", "甲县")
    assert view.on_time is False
    assert view.deadline.isoformat() == "2021-12-10"
    assert [issue.code for issue in view.issues] == ["condition_not_met"]
    assert view.frame["county"].tolist() == ["乙县", "丙县", "甲县"]
    on_time = province_view(report, ["乙县", "甲县", "丁县"], submitted_on="2021-12-10")
    assert on_time.on_time is True
    text = on_time.to_text()
    assert "报送截止 deadline: 2021-12-10" in text
    assert "按时 on time" in text
    lines = view.to_text().splitlines()
    assert "  - 丙县: 不符合 not_eligible" in lines
    assert (
        "      S2(a) basic_balance_recognition: 认定于 recognised in 2020, 1 year before 2021; "
        "at least 3 needed — 不满足 not met"
    ) in lines
    markdown = view.to_markdown()
    assert "| 丙县 | 不符合 not_eligible |" in markdown
    assert json.loads(json.dumps(view.to_dict()))["not_eligible"] == ["丙县"]


def test_province_view_argument_errors():
    report = _province(["甲县", "乙县", "丙县"])
    with pytest.raises(InvalidArgumentError, match="戊县") as caught:
        province_view(report, ["甲县", "乙县", "戊县"])
    assert caught.value.code == "unknown_county"
    with pytest.raises(InvalidArgumentError, match="甲县 more than once"):
        province_view(report, ["甲县", "甲县", "乙县"])
    with pytest.raises(InvalidArgumentError, match="submitted_on"):
        province_view(report, submitted_on="10 Dec")
    with pytest.raises(InvalidTypeError):
        province_view("report")  # type: ignore[arg-type]


def test_evaluation_province_view():
    result = evaluate(
        _conditions("甲县") + _conditions("乙县") + _conditions("丙县"),
        basic_balance_years={"甲县": 2013, "乙县": 2013, "丙县": 2013},
    )
    view = result.province_view(province="山东省")
    assert view.eligible == ("丙县", "乙县", "甲县")
    assert view.province == "山东省"


# --------------------------------------------------------------------------------------
# arguments, degenerate input, rendering


@pytest.mark.parametrize("weight", [-0.1, 1.5, float("nan")])
def test_in_progress_weight_outside_unit_interval(weight):
    with pytest.raises(InvalidArgumentError, match="in_progress_weight"):
        evaluate(_mixed(), in_progress_weight=weight)


def test_bad_arguments():
    with pytest.raises(InvalidTypeError, match="in_progress_weight"):
        evaluate(_mixed(), in_progress_weight="half")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="in_progress_weight"):
        evaluate(_mixed(), in_progress_weight=True)
    with pytest.raises(InvalidArgumentError, match="reference_year"):
        evaluate(_mixed(), reference_year="2021")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="four-digit"):
        evaluate(_mixed(), reference_year=21)
    result = evaluate(_mixed())
    with pytest.raises(InvalidArgumentError, match="'乙县' has no checklist record") as caught:
        result.county("乙县")
    assert caught.value.code == "unknown_county"
    with pytest.raises(InvalidArgumentError, match="'F' is not an area"):
        result.county("甲县").area("F")
    with pytest.raises(InvalidArgumentError, match="'Q1' is not an entry"):
        result.county("甲县").item("Q1")


def test_records_of_another_catalogue_are_refused():
    data = json.loads(
        (
            __import__("pathlib").Path(__file__).resolve().parents[2]
            / "src/eduequity/checklist/data/cn_moe_2021_creation.json"
        ).read_text(encoding="utf-8")
    )
    data["id"] = "cn_test_creation"
    other = ChecklistCatalogue.from_dict(data)
    records = read_checklist_records(_mixed(), catalogue=other)
    with pytest.raises(InvalidArgumentError) as caught:
        evaluate_checklist(records)
    assert caught.value.code == "catalogue_mismatch"
    assert evaluate_checklist(records, catalogue=other).catalogue_id == "cn_test_creation"


def test_no_records_warns_and_gives_an_empty_result():
    with pytest.warns(DegenerateDataWarning, match="no checklist records"):
        result = evaluate_checklist([])
    assert result.counties == ()
    assert result.summary_frame().empty
    assert result.areas_frame().empty
    assert "县数 counties: 0" in result.to_text()
    assert json.loads(json.dumps(result.to_dict()))["summary"] == []


def test_reads_a_csv_file_directly(tmp_path):
    path = tmp_path / "status.csv"
    path.write_text(
        "县（市、区）,任务编号,状态,佐证材料\n甲县,A1,已完成,方案\n甲县,A2,推进中,\n",
        encoding="utf-8",
    )
    result = evaluate_checklist(path, in_progress_weight=0.5)
    assert result.county("甲县").area("A").rate == 1.5 / 4
    assert result.records_used == 2


def test_frames_and_dict():
    records = [*_mixed(), record("甲县", "A1", "verified", updated_at="2021-12-01")]
    records[0]["updated_at"] = "2021-11-01"
    result = evaluate(records)
    items = result.items_frame()
    row = items[(items["county"] == "甲县") & (items["code"] == "A1")].iloc[0]
    assert row["status"] == "verified"
    assert row["status_zh"] == "已验收"
    data = json.loads(json.dumps(result.to_dict(), ensure_ascii=False))
    a1 = next(item for item in data["items"] if item["code"] == "A1")
    assert a1["updated_at"] == "2021-12-01"
    assert data["catalogue"]["id"] == "cn_moe_2021_creation"
    assert data["summary"][0]["rate_all"] == 2 / 20  # A1 and B1 verified; weight 0
    county = result.county("甲县")
    assert len(county.areas_frame()) == 5
    assert len(county.items_frame()) == 27
    assert set(county.missing_frame()["code"]) == {item.code for item in county.missing}
    assert json.loads(json.dumps(county.to_dict()))["items"][7]["code"] == "A1"


def test_text_and_markdown_are_bilingual():
    records = _mixed() + _conditions("甲县")
    result = evaluate(records, in_progress_weight=0.5, basic_balance_years={"甲县": 2019})
    text = result.to_text()
    for expected in (
        "创建任务完成情况 · Creation checklist evaluation",
        "进行中权重 in-progress weight: 0.5",
        "== 甲县 ==",
        "遴选条件 Selection conditions: 不符合 not_eligible",
        "基本任务 Basic tasks: 0/4 完成 done",
        "完成率 completion rate (selected): 0.150",
        "验收率 verified rate: 0.050",
        "A 科学规划建设学校 · Planning and building schools scientifically: 完成 done 2/4",
        "A2 探索乡村温馨校园建设的有效途径",
        "推进中 in_progress",
        "无记录 no record",
    ):
        assert expected in text, expected
    markdown = result.to_markdown()
    assert "| 领域 Area | 选定 Selected | 完成 Done | 完成率 Rate | 验收率 Verified |" in markdown
    assert "| A 科学规划建设学校 · Planning and building schools scientifically | 4/4 | 2 |" in (
        markdown
    )
    assert "| S2(a) | 不满足 not met |" in markdown
    county_text = result.county("甲县").to_text()
    assert county_text.startswith("== 甲县 ==")
    assert result.county("甲县").to_markdown().startswith("## 甲县")
