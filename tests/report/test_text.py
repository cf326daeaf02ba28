"""The text and Markdown county reports of the demo county (``datasets/data/README.md`` §1).

Expected numbers are those the README derives by hand from the demo files; shortfalls in
natural units are computed here from the README's figures.
"""

import re
import unicodedata
from importlib.metadata import version

import attrs
import pytest

from eduequity.errors import InvalidArgumentError, InvalidTypeError
from eduequity.national import RULES_2017
from eduequity.report import render_county

HEADINGS = [
    "申报条件 Preconditions",
    "资源配置 · Part 1 Resource allocation",
    "政府保障程度 · Part 2 Government guarantee",
    "教育质量 · Part 3 Education quality",
    "社会认可度 · Part 4 Social recognition",
    "一票否决 One-vote veto",
]


def width(text):
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


@pytest.fixture(scope="module")
def text(demo):
    return render_county(demo, "text")


@pytest.fixture(scope="module")
def markdown(demo):
    return render_county(demo, "markdown")


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_verdict_comes_first_then_the_parts_in_the_method_order(demo, fmt):
    report = render_county(demo, fmt)
    verdict = report.index("结论 Verdict: 未通过 FAIL")
    positions = [report.index(heading) for heading in HEADINGS]
    assert verdict < positions[0]
    assert positions == sorted(positions)
    # The one-line reason names the three failing parts (README §1.2: Parts 1, 2 and 3).
    reason = report[verdict : positions[0]]
    for part in ("资源配置 Resource allocation", "政府保障程度", "教育质量"):
        assert part in reason.replace("\n  ", " ")
    assert report.rstrip().endswith(version("eduequity"))


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_each_part_shows_its_status(demo, fmt):
    report = render_county(demo, fmt)
    lines = report.splitlines()
    expected = {
        "申报条件 Preconditions": "通过 pass",
        "Part 1 Resource allocation": "未通过 FAIL",
        "Part 2 Government guarantee": "未通过 FAIL",
        "Part 3 Education quality": "未通过 FAIL",
        "Part 4 Social recognition": "通过 pass",
        "一票否决 One-vote veto": "通过 pass",
    }
    for heading, status in expected.items():
        line = next(
            line for line in lines if heading in line and ("[" in line or line.startswith("## "))
        )
        assert status in line, line


def test_text_fits_in_100_columns(text):
    too_wide = [line for line in text.splitlines() if width(line) > 100]
    assert not too_wide


def test_failing_items_with_value_limit_and_source(text):
    flat = " ".join(text.split())
    # README §1.2 intended findings.
    assert (
        "0990010002: 生均体育运动场馆面积 sports ground and hall area per pupil 2.600 is below "
        "the floor" in flat
    )
    assert "值 value 2150 · 要求 required ≤ 2000" in flat  # G4, school 0990010101
    # Schools by name with their id (datasets/data/demo_county_schools.csv).
    assert "G4 学校规模达标 school size · 学校 school 示范县第一中学 (0990010101)" in flat
    assert "G5 班额达标 class size · 学校 school 东镇九年一贯制学校 (0990010202)" in flat
    assert "值 value 48 · 要求 required ≤ 45" in flat
    assert "G11 交流轮岗比例 teacher rotation" in flat
    assert "值 value 0.18 · 要求 required ≥ 0.20" in flat
    assert "数学 (grade 8): inter-school difference rate 0.16" in flat
    assert "值 value 0.16 · 要求 required < 0.15" in flat
    assert (
        "primary 生均体育运动场馆面积 sports ground and hall area per pupil: CV 0.587 exceeds "
        "the limit 0.50" in flat
    )
    assert flat.count("依据 source:") >= 9  # one source line per failing check


def test_cv_table_marks_the_primary_sports_area(text):
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if "小学 CV ≤ 0.50" in line)
    rows = {
        line.split()[0]: line for line in lines[start : start + 12] if re.match(r"\s+L\d", line)
    }
    assert list(rows) == ["L1", "L2", "L3", "L4", "L5", "L6", "L7"]
    # README §1.2 CVs (4 decimals), shown to 3.
    assert "0.587  未通过 FAIL" in rows["L5"]
    assert "0.257  通过 pass" in rows["L1"]
    assert "0.114  通过 pass" in rows["L1"]
    assert sum("未通过 FAIL" in row for row in rows.values()) == 1
    # Aligned by display width: each row's first status starts at the same terminal column.
    columns = {width(row[: re.search("(未通过|通过)", row).start()]) for row in rows.values()}
    assert len(columns) == 1


def test_per_school_rule_and_remediation_in_natural_units(text, markdown):
    flat = " ".join(text.split())
    assert "未通过的单元 Units failing the rule" in flat
    for unit in ("示范县城关第二小学 (0990010002)", "示范县启明小学（民办） (0990010005)"):
        assert f"- {unit} · 小学 primary" in flat
    assert "- 西山九年一贯制学校 (0990010203) · 初中 junior · 达标 met 5/7" in flat
    # The rows of the remediation table, one line each in Markdown.
    lines = markdown.splitlines()
    remediation = lines[next(i for i, line in enumerate(lines) if "一校一案" in line) :]

    def row(school, stage, indicator):
        return next(line for line in remediation if f"({school}) | {stage} | {indicator} |" in line)

    # (7.5 - 2.6) m² x 1950 pupils = 9555 m².
    assert "9 555 m²" in row("0990010002", "小学 primary", "L5")
    # 1 backbone teacher per 100 pupils for 880 pupils = 8.8; the school has 4: 5 more.
    assert "5 teachers" in row("0990010005", "小学 primary", "L2")
    # (2000 - 1800) yuan x 210 pupils = 42 000 yuan; the unit still passes (one miss > floor).
    assert "42 000 yuan" in row("0990010012", "小学 primary", "L6")
    assert "通过 pass" in row("0990010012", "小学 primary", "L6")
    # Junior section of 0990010203: 135 yuan x 180 pupils = 24 300 yuan for the section; the
    # whole school adds 24 300 / σ with σ = 180 x 1.1 / (260 + 180 x 1.1) (README §1.1 split).
    sigma = 180 * 1.1 / (260 + 180 * 1.1)
    equipment = row("0990010203", "初中 junior", "L6")
    assert "24 300 yuan" in equipment
    assert f"{24300 / sigma:,.3f}".replace(",", " ") + " yuan" in equipment
    # 5.3 teachers per 100 x 180 pupils = 9.54 needed, 9 present: 0.54, i.e. 1 whole teacher.
    qualified = row("0990010203", "初中 junior", "L1")
    assert "0.54 teachers" in qualified
    assert "1 teacher " in qualified + " "


def test_units_excluded_merged_and_split_with_reasons(text):
    flat = " ".join(text.split())
    for school in ("0990010501", "0990010502", "0990010503", "0990010504", "0990010701"):
        assert school in flat
    assert "teaching point (教学点) with 49 pupils < 50" in flat
    assert "special-education school (特殊教育学校)" in flat
    # Sites merged into their parents, the parent by name (demo_county_schools.csv).
    assert "0990010601 东镇李庄小学 (0990010011) 40" in flat
    assert "0990010602 河湾九年一贯制学校 (0990010204) 85" in flat
    assert "0990010505" in flat  # 50 pupils: included (README §1.2)


def test_recognition_warnings_and_identity(text):
    flat = " ".join(text.split())
    # README §1.4: 1264 / 1452 = 0.8705, Wilson 95% interval (0.852, 0.887).
    assert "认可度 Recognition 87.1%" in flat
    assert "85.2% – 88.7%" in flat
    assert "[private school included]" in flat
    assert "[blank answer]" in flat
    assert RULES_2017.content_hash in flat
    assert "cn_moe_2017_quality_balance" in flat


def test_markdown_tables_are_well_formed(markdown):
    lines = markdown.splitlines()
    tables = 0
    for i, line in enumerate(lines):
        if re.fullmatch(r"\|(---:?\|)+", line):
            tables += 1
            columns = line.count("|") - 1
            header = lines[i - 1]
            body = []
            for following in lines[i + 1 :]:
                if not following.startswith("|"):
                    break
                body.append(following)
            for row in [header, *body]:
                assert len(re.findall(r"(?<!\\)\|", row)) - 1 == columns, row
    assert tables >= 12


def test_markdown_headings_and_items(markdown):
    assert markdown.startswith("# 县域义务教育优质均衡发展督导评估报告\n")
    assert "## 第一部分 资源配置 · Part 1 Resource allocation — 未通过 FAIL" in markdown
    assert "### 一校一案 School-by-school remediation" in markdown
    assert "| L5 | 10.949 | 0.587 | 未通过 FAIL |" in markdown
    for school in ("0990010002", "0990010005", "0990010203", "0990010101", "0990010202"):
        assert school in markdown
    assert "数学 (grade 8)" in markdown


def test_decimals_follow_the_argument(demo):
    report = render_county(demo, "text", decimals=2)
    row = next(line for line in report.splitlines() if re.match(r"\s+L5 .*FAIL", line))
    assert "0.59  未通过 FAIL" in row
    assert "0.587" not in row
    assert "10.95 " in row  # county value 10.949 m² per pupil, README §1.2
    with pytest.raises(InvalidArgumentError, match="decimals"):
        render_county(demo, "text", decimals=-1)


def test_incomplete_parts_are_named(demo_without_facts):
    report = render_county(demo_without_facts, "text")
    flat = " ".join(report.split())
    assert "结论 Verdict: 未通过 FAIL" in flat  # Part 1 fails; fail wins over incomplete
    assert "材料不全 incomplete: 申报条件 Preconditions" in flat
    assert "材料不全项 Incomplete items" in flat


def test_2012_edition_shows_the_composite_instead_of_the_school_rule(demo_2012):
    report = render_county(demo_2012, "text")
    flat = " ".join(report.split())
    assert "县域义务教育基本均衡发展督导评估报告" in report
    # national-method.md §10: the 2012 method also scores the government's work and decides
    # the public-satisfaction survey (>= 85%); without the government-work score and the
    # entry condition the county is not passed.
    assert "结论 Verdict: 材料不全 INCOMPLETE" in flat
    assert "第四部分 社会认可度 · Part 4 Social recognition 通过 pass" in flat
    # README §1.2: composite 0.228 (primary, <= 0.65) and 0.114 (junior, <= 0.55).
    assert re.search(r"小学 primary\s+0\.228\s+≤ 0\.65\s+0\.422\s+通过 pass", report)
    assert re.search(r"初中 junior\s+0\.114\s+≤ 0\.55\s+0\.436\s+通过 pass", report)
    assert "每所学校 Per-school rule" not in report
    assert "一校一案" not in report
    assert "cn_moe_2012_basic_balance" in report


def test_unknown_format_and_wrong_types(demo):
    with pytest.raises(InvalidArgumentError, match="'text', 'markdown', 'json', 'html'"):
        render_county(demo, "pdf")
    with pytest.raises(InvalidTypeError, match="CountyAssessment"):
        render_county(demo.to_dict(), "text")


def test_rules_must_be_the_ones_used(demo, demo_2012):
    assert render_county(demo, "text", rules=RULES_2017) == render_county(demo, "text")
    with pytest.raises(InvalidArgumentError, match="not the one the assessment used"):
        render_county(demo_2012, "text", rules=RULES_2017)


def test_unknown_rule_set_still_renders_without_standards(demo):
    identity = {**demo.rules, "content_hash": "0" * 64}
    report = render_county(attrs.evolve(demo, rules=identity), "text")
    assert "0.587" in report
    assert "指标 Indicators" in report  # no standards shown without the rule set
