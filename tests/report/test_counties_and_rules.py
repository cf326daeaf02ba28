"""The multi-county Part 1 table and the rule-set listings."""

import csv
import io
import json
import re

import pytest

from eduequity.datasets import demo_path
from eduequity.errors import InvalidArgumentError, InvalidTypeError
from eduequity.national import (
    RULES_2012,
    RULES_2017,
    Overlay,
    RuleOperation,
    assess_counties,
    assess_county,
    get_rules,
)
from eduequity.report import render_counties, render_county, render_rules

COUNTIES = [
    "示范东区 (Demo East District)",
    "示范县 (Demo County)",
    "示范西县 (Demo West County)",
    "示范高新区 (Demo Hi-tech Zone)",
]


@pytest.fixture(scope="module")
def frame():
    return assess_counties(str(demo_path("demo_city_schools.csv")))


@pytest.fixture(scope="module")
def frame_2012():
    return assess_counties(str(demo_path("demo_city_schools.csv")), RULES_2012)


def test_csv_keeps_every_number(frame):
    rows = list(csv.DictReader(io.StringIO(render_counties(frame, "csv"))))
    assert len(rows) == 8  # 4 units of the demo city x 2 stages (README §2)
    assert list(rows[0])[:2] == ["county", "stage"]
    assert set(frame.columns) <= set(rows[0])
    for row in rows:
        expected = frame.loc[(row["county"], row["stage"])]
        for column in frame.columns:
            if column.startswith("cv_"):
                assert float(row[column]) == expected[column]  # full precision
        assert row["passed"] == str(bool(expected["passed"]))


def test_json_document(frame):
    document = json.loads(render_counties(frame, "json"))
    assert set(document) == {
        "rules",
        "counties",
        "excluded",
        "merged",
        "warnings",
        "single_unit",
        "eduequity_version",
    }
    assert document["rules"]["content_hash"] == RULES_2017.content_hash
    assert [(r["county"], r["stage"]) for r in document["counties"]] == list(frame.index)
    demo = next(
        r for r in document["counties"] if r["county"] == COUNTIES[1] and r["stage"] == "primary"
    )
    assert demo["cv_sports_area_per_student"] == pytest.approx(0.5874, abs=5e-5)
    assert demo["n_sections"] == 23
    assert demo["n_sections_failing"] == 2  # 0990010002 and 0990010005 (README §1.2)
    assert demo["balance_passed"] is False
    assert len(document["excluded"]) == len(frame.attrs["eduequity"].excluded)


def test_text_table(frame):
    text = render_counties(frame)
    flat = " ".join(text.split())
    for county in COUNTIES:
        assert county.split()[0] in text
    # 示范县 primary: L5 CV 0.587 above 0.50 (README §1.2), marked with *.
    row = next(line for line in text.splitlines() if "示范县 (Demo" in line and "小学" in line)
    assert "0.587*" in row
    assert "0.257" in row  # 0.25747 (README §1.2 0.2575) shown to 3 decimals
    assert "0.258" not in row
    assert "* 超过限值 above the stage's CV limit" in flat
    assert "L5 生均体育运动场馆面积" in flat
    assert RULES_2017.content_hash in flat


def test_text_table_2012(frame_2012):
    text = render_counties(frame_2012)
    row = next(line for line in text.splitlines() if "示范县 (Demo" in line and "小学" in line)
    assert "0.228" in row  # composite CV, README §1.2
    assert "*" not in text.split("指标代码")[0]  # no per-indicator limit in 2012


def test_counties_errors(frame):
    with pytest.raises(InvalidArgumentError, match="'csv', 'json', 'text', 'markdown', 'html'"):
        render_counties(frame, "pdf")
    with pytest.raises(InvalidTypeError):
        render_counties(frame.to_dict(), "csv")
    with pytest.raises(InvalidArgumentError, match="passed"):
        render_counties(frame.drop(columns="passed"), "csv")


def test_rules_2017_text_json_markdown():
    text = render_rules(RULES_2017)
    flat = " ".join(text.split())
    for key in RULES_2017.entries:
        assert f"{key} = " in flat
    assert "资源配置 Resource allocation" in text
    assert "resource.cv_limit.primary = 0.50" in flat
    document = json.loads(render_rules(RULES_2017, "json"))
    assert document["id"] == "cn_moe_2017_quality_balance"
    assert document["content_hash"] == RULES_2017.content_hash
    assert len(document["entries"]) == len(RULES_2017.entries)
    markdown = render_rules(RULES_2017, "markdown")
    for key in RULES_2017.entries:
        assert f"{key} = " in markdown
    assert "## 资源配置 Resource allocation" in markdown
    assert "- **resource.cv_limit.primary = 0.50**" in markdown
    assert "  - 比较 comparator ≤; 学段 stage 小学 primary; 等级 tag V, 已核实 verified" in markdown
    with pytest.raises(InvalidArgumentError, match="'text', 'markdown', 'json', 'html'"):
        render_rules(RULES_2017, "pdf")
    with pytest.raises(InvalidTypeError):
        render_rules(RULES_2017.to_dict())


def test_rules_2017_with_shipped_overlay():
    rules = get_rules(2017, overlay="shenyang")
    markdown = render_rules(rules, "markdown")
    assert "**地方调整 Overlays**: shenyang" in markdown
    assert "- shenyang: set guarantee.special_ed_funding.min_yuan: 6000 -> 8000" in markdown
    assert "## 条件取值 Conditional values" in markdown
    assert not re.search(r"\bnan\b", markdown)  # no missing value leaks as "nan"


@pytest.fixture(scope="module")
def rules_2012_overlay():
    overlay = Overlay(
        id="test_strict_2012",
        title="A stricter composite limit (test overlay)",
        parent=RULES_2012.id,
        tag="library",
        operations=(
            RuleOperation(op="set", key="resource.composite_cv_limit.primary", value="0.20"),
        ),
    )
    return RULES_2012.with_overlay(overlay)


def test_rules_2012_with_overlay(rules_2012_overlay):
    text = render_rules(rules_2012_overlay)
    assert "test_strict_2012: set resource.composite_cv_limit.primary: 0.65 -> 0.20" in text
    markdown = render_rules(rules_2012_overlay, "markdown")
    assert "- **resource.composite_cv_limit.primary = 0.20**" in markdown
    assert "- test_strict_2012: set resource.composite_cv_limit.primary: 0.65 -> 0.20" in markdown
    document = json.loads(render_rules(rules_2012_overlay, "json"))
    assert document["overlays"] == ["test_strict_2012"]
    assert document["entries"]["resource.composite_cv_limit.primary"]["value"] == "0.20"


def test_county_report_under_a_custom_overlay(rules_2012_overlay):
    assessment = assess_county(str(demo_path("demo_county_schools.csv")), rules=rules_2012_overlay)
    # README §1.2: the primary composite is 0.228, now above the limit 0.20.
    report = render_county(assessment, "text", rules=rules_2012_overlay)
    assert re.search(r"小学 primary\s+0\.228\s+≤ 0\.20\s+-0\.028\s+未通过 FAIL", report)
    assert "test_strict_2012" in report
    # The custom rule set cannot be looked up, but the report still renders.
    assert "0.228" in render_county(assessment, "markdown")
