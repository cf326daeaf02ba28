"""The command line: every command and format, --output, exit codes and bad-input messages.

Expected outcomes of the demo data come from ``src/eduequity/datasets/data/README.md`` (§1:
the designed county 示范县; §2: the four units of 示范市), the rule values from
``spec/national-method.md`` (§3.4 standards, §11.2 overlays), the error rules from
``spec/data-schema.md`` §0.3 and §1.5. Nothing is copied from a run of the code under test.
"""

import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import eduequity
from eduequity.cli import build_parser, main
from eduequity.datasets import demo_path

DEMO_COUNTY = "示范县 (Demo County)"
DEMO_CITY_COUNTIES = {
    "示范县 (Demo County)",
    "示范东区 (Demo East District)",
    "示范西县 (Demo West County)",
    "示范高新区 (Demo Hi-tech Zone)",
}
# data README §1: schools failing the per-school rule (§3.5), G4 and G5.
FAILING_SCHOOLS = {"0990010002", "0990010005", "0990010203", "0990010101", "0990010202"}
# data README §1: teaching points with 12, 23, 38 and 49 pupils and the special school.
EXCLUDED_SCHOOLS = {"0990010501", "0990010502", "0990010503", "0990010504", "0990010701"}
JSON_KEYS = {
    "passed",
    "resources",
    "guarantee",
    "quality",
    "recognition",
    "failures",
    "excluded",
    "rules",
    "eduequity_version",
}


def _demo(name):
    return str(demo_path(f"demo_county_{name}.csv"))


def _assess_all(*extra):
    return [
        "assess",
        _demo("schools"),
        "--facts",
        _demo("facts"),
        "--survey",
        _demo("survey"),
        "--monitoring",
        _demo("monitoring"),
        *extra,
    ]


def _run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


# ------------------------------------------------------------------------------ demo


def test_demo_prints_the_text_report_with_the_verdict_and_exits_0(capsys):
    code, out, err = _run(capsys, "demo")
    assert code == 0  # the demo county fails (data README §1), which is a result, not an error
    assert DEMO_COUNTY in out
    verdict = next(line for line in out.splitlines() if "Verdict" in line)
    assert "FAIL" in verdict
    assert "PASS" not in verdict
    assert "error" not in err


@pytest.mark.parametrize(
    ("fmt", "marker"),
    [("markdown", "# "), ("html", "<html"), ("text", "Verdict")],
)
def test_demo_in_every_text_format(capsys, fmt, marker):
    code, out, _ = _run(capsys, "demo", "--format", fmt)
    assert code == 0
    assert marker in out
    assert DEMO_COUNTY in out


def test_demo_json_holds_the_documented_keys_and_the_designed_outcomes(capsys):
    code, out, _ = _run(capsys, "demo", "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert set(document) >= JSON_KEYS
    assert document["passed"] is False
    assert {"passed", "cv", "schools"} <= set(document["resources"])
    assert document["rules"]["edition"] == "2017"
    assert document["rules"]["overlay"] is None
    assert document["eduequity_version"] == eduequity.__version__
    failing = {f["school_id"] for f in document["failures"] if f["school_id"] is not None}
    assert failing == FAILING_SCHOOLS
    assert {row["school_id"] for row in document["excluded"]} == EXCLUDED_SCHOOLS


# ------------------------------------------------------------------------------ assess


def test_assess_with_all_inputs_as_json(capsys):
    code, out, _ = _run(capsys, *_assess_all("--format", "json"))
    assert code == 0
    document = json.loads(out)
    assert set(document) >= JSON_KEYS
    assert document["passed"] is False
    assert document["county"] == DEMO_COUNTY
    assert document["year"] == 2024
    # data README §1: Parts 1-3 fail, Part 4 passes (1264 / 1452 = 0.8705 >= 0.85).
    assert document["resources"]["passed"] is False
    assert document["guarantee"]["status"] == "fail"
    assert document["quality"]["status"] == "fail"
    assert document["recognition"]["status"] == "pass"
    items = {(f["part"], f["item_id"]) for f in document["failures"]}
    assert ("government_guarantee", "teacher_rotation") in items  # G11: 0.18 < 0.20
    assert ("education_quality", "academic_monitoring") in items  # Q9: 数学 grade 8, 0.16
    # data README §1.2: the primary CV of sports area is 0.587 > 0.50.
    assert round(document["resources"]["cv"]["primary"]["sports_area_per_student"], 3) == 0.587


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_assess_in_every_text_format(capsys, fmt):
    code, out, _ = _run(capsys, *_assess_all("--format", fmt))
    assert code == 0
    assert DEMO_COUNTY in out
    assert "0990010002" in out


def test_assess_with_the_schools_alone_leaves_the_other_parts_unassessed(capsys):
    code, out, _ = _run(capsys, "assess", _demo("schools"), "--format", "json")
    assert code == 0
    document = json.loads(out)
    # Without facts and survey nothing can pass (spec README: missing inputs give incomplete).
    assert document["passed"] is False
    assert document["guarantee"]["status"] != "pass"


def test_assess_under_the_2012_rules_and_an_overlay(capsys):
    code, out, _ = _run(capsys, *_assess_all("--rules", "2012", "--format", "json"))
    assert code == 0
    assert json.loads(out)["rules"]["edition"] == "2012"
    code, out, _ = _run(capsys, *_assess_all("--overlay", "shenyang", "--format", "json"))
    assert code == 0
    rules = json.loads(out)["rules"]
    assert rules["edition"] == "2017"
    assert rules["overlay"] == "shenyang"


def test_assess_chooses_a_county_of_a_city_table(capsys):
    city = str(demo_path("demo_city_schools.csv"))
    code, out, err = _run(capsys, "assess", city)
    assert code == 2
    assert out == ""
    assert "--county" in err
    code, out, _ = _run(capsys, "assess", city, "--county", DEMO_COUNTY, "--format", "json")
    assert code == 0
    assert json.loads(out)["county"] == DEMO_COUNTY


# ------------------------------------------------------------------------------ counties


def test_counties_csv_has_one_row_per_county_and_stage(capsys):
    code, out, err = _run(capsys, "counties", str(demo_path("demo_city_schools.csv")))
    assert code == 0
    table = pd.read_csv(io.StringIO(out))
    assert len(table) == 8  # data README §2: 4 units x 2 stages
    assert set(table["county"]) == DEMO_CITY_COUNTIES
    assert set(table["stage"]) == {"primary", "junior"}
    row = table[(table["county"] == DEMO_COUNTY) & (table["stage"] == "primary")]
    assert round(float(row["cv_sports_area_per_student"].iloc[0]), 3) == 0.587
    # stderr is not a terminal here: no progress lines, only what the CSV leaves out
    assert "reading schools" not in err
    assert "done in" not in err
    assert all(line.startswith("eduequity: warning: ") for line in err.splitlines())


def test_counties_json_and_text(capsys):
    city = str(demo_path("demo_city_schools.csv"))
    code, out, _ = _run(capsys, "counties", city, "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert {record["county"] for record in document["counties"]} == DEMO_CITY_COUNTIES
    assert document["rules"]["edition"] == "2017"
    code, out, _ = _run(capsys, "counties", city, "--format", "text", "--rules", "2012")
    assert code == 0
    for county in DEMO_CITY_COUNTIES:
        assert county.split(" (")[0] in out


def test_counties_progress_goes_to_stderr_only(capsys):
    city = str(demo_path("demo_city_schools.csv"))
    code, out, err = _run(capsys, "counties", city, "--progress", "--format", "csv")
    assert code == 0
    assert "reading schools" in err
    assert "assessing 4 counties" in err
    assert "done in" in err
    assert "reading" not in out
    assert len(pd.read_csv(io.StringIO(out))) == 8


def test_degenerate_data_warns_on_stderr_and_still_reports(capsys, tmp_path):
    # One primary school and the junior schools only: the primary stage has a single unit,
    # a degenerate but valid case (data-schema.md §1.5 warning single_unit).
    table = _demo_school_table()
    keep = ((table["school_type"] == "junior") | (table.index == 0)) & (
        table["parent_school_id"] == ""
    )
    code, out, err = _run(capsys, "assess", _write(table[keep], tmp_path), "--format", "json")
    assert code == 0
    assert json.loads(out)["county"] == DEMO_COUNTY
    warning_lines = [line for line in err.splitlines() if line.startswith("eduequity: warning: ")]
    assert len(warning_lines) == 1
    assert "single unit" in warning_lines[0]


# ------------------------------------------------------------------------------ rules


@pytest.mark.parametrize(
    ("edition", "ruleset_id"),
    [("2017", "cn_moe_2017_quality_balance"), ("2012", "cn_moe_2012_basic_balance")],
)
@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_rules_in_every_format(capsys, edition, ruleset_id, fmt):
    code, out, _ = _run(capsys, "rules", "--rules", edition, "--format", fmt)
    assert code == 0
    assert ruleset_id in out
    if fmt == "json":
        assert json.loads(out)["id"] == ruleset_id


def test_rules_json_quotes_the_standards_with_their_source(capsys):
    code, out, _ = _run(capsys, "rules", "--format", "json")
    assert code == 0
    entry = json.loads(out)["entries"]["resource.standard.junior.sports_area_per_student"]
    assert entry["value"] == "10.2"  # national-method.md §3.4: junior sports area 10.2 m²
    assert entry["source"]


def test_an_overlay_can_be_given_as_a_json_file(capsys, tmp_path):
    shipped = Path(eduequity.__file__).parent / "national" / "_rulesets" / "overlay_beijing.json"
    overlay = tmp_path / "my_overlay.json"
    shutil.copyfile(shipped, overlay)
    code, out, _ = _run(capsys, "rules", "--overlay", str(overlay), "--format", "json")
    assert code == 0
    assert json.loads(out)["overlays"] == ["beijing"]
    code, _, err = _run(capsys, "rules", "--overlay", str(tmp_path / "absent.json"))
    assert code == 2
    assert "absent.json" in err


def test_rules_with_the_shenyang_overlay(capsys):
    code, out, _ = _run(capsys, "rules", "--overlay", "shenyang", "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert document["overlays"] == ["shenyang"]
    # national-method.md §11.2: Shenyang sets G7 (special-education funding) to >= 8000 yuan.
    assert document["entries"]["guarantee.special_ed_funding.min_yuan"]["value"] == "8000"
    code, out, _ = _run(capsys, "rules", "--overlay", "shenyang")
    assert code == 0
    assert "shenyang" in out


# ------------------------------------------------------------------------------ --output


def test_output_writes_the_report_to_a_file_and_nothing_to_stdout(capsys, tmp_path):
    target = tmp_path / "report.md"
    code, out, err = _run(capsys, "demo", "--format", "markdown", "--output", str(target))
    assert code == 0
    assert out == ""
    assert str(target) in err
    _, expected, _ = _run(capsys, "demo", "--format", "markdown")
    assert target.read_text(encoding="utf-8") == expected


def test_output_suffix_chooses_the_format(capsys, tmp_path):
    target = tmp_path / "report.json"
    code, _, _ = _run(capsys, *_assess_all("--output", str(target)))
    assert code == 0
    assert set(json.loads(target.read_text(encoding="utf-8"))) >= JSON_KEYS
    target = tmp_path / "counties.json"
    code, _, _ = _run(
        capsys, "counties", str(demo_path("demo_city_schools.csv")), "--output", str(target)
    )
    assert code == 0
    assert len(json.loads(target.read_text(encoding="utf-8"))["counties"]) == 8


def test_output_in_a_missing_directory_is_a_clear_error(capsys, tmp_path):
    target = tmp_path / "missing" / "report.txt"
    code, out, err = _run(capsys, "demo", "--output", str(target))
    assert code == 2
    assert out == ""
    assert err.startswith("eduequity: error: ")
    assert str(target.parent) in err
    assert "does not exist" in err
    assert not target.exists()


# ------------------------------------------------------------------------------ bad input


def _demo_school_table():
    return pd.read_csv(
        demo_path("demo_county_schools.csv"), dtype=str, keep_default_na=False, encoding="utf-8"
    )


def _write(table, tmp_path, name="schools.csv"):
    path = tmp_path / name
    table.to_csv(path, index=False, encoding="utf-8")
    return str(path)


def _assert_input_error(capsys, path, *needles):
    code, out, err = _run(capsys, "assess", path)
    assert code == 2
    assert out == ""
    assert err.startswith("eduequity: error: ")
    assert path in err
    for needle in needles:
        assert needle in err
    return err


# data-schema.md §0.3: the header is row 1, so data-frame position i is spreadsheet row i + 2.
ROW = 3
SHEET_ROW = f"row {ROW + 2}"


def test_a_non_numeric_cell_names_row_school_and_column(capsys, tmp_path):
    table = _demo_school_table()
    school_id = table.loc[ROW, "school_id"]
    table.loc[ROW, "students_primary"] = "12a"
    err = _assert_input_error(
        capsys,
        _write(table, tmp_path),
        SHEET_ROW,
        f"school_id={school_id}",
        "column students_primary",
        "'12a'",
        "not_a_number",
    )
    assert len(err.strip().splitlines()) == 2  # the summary line and one line for the issue


def test_a_negative_count_is_rejected(capsys, tmp_path):
    table = _demo_school_table()
    table.loc[ROW, "multimedia_classrooms"] = "-4"
    _assert_input_error(
        capsys,
        _write(table, tmp_path),
        SHEET_ROW,
        "column multimedia_classrooms",
        "negative_value",
    )


def test_an_unknown_school_type_is_rejected_with_the_allowed_values(capsys, tmp_path):
    table = _demo_school_table()
    table.loc[ROW, "school_type"] = "高级中学"  # data-schema.md §1.4: not compulsory (342)
    _assert_input_error(
        capsys,
        _write(table, tmp_path),
        SHEET_ROW,
        "column school_type",
        "unknown_value",
        "九年一贯制学校",
    )


def test_a_missing_required_column_is_named(capsys, tmp_path):
    table = _demo_school_table().drop(columns=["equipment_value_yuan"])
    # data-schema.md §1.2 lists the accepted Chinese headers of the column.
    _assert_input_error(
        capsys,
        _write(table, tmp_path),
        "missing_required_column",
        "equipment_value_yuan",
        "教学仪器设备资产值",
    )


def test_duplicate_school_ids_name_both_rows(capsys, tmp_path):
    table = _demo_school_table()
    table.loc[ROW + 1, "school_id"] = table.loc[ROW, "school_id"]
    _assert_input_error(
        capsys,
        _write(table, tmp_path),
        "duplicate_school_id",
        f"rows {ROW + 2}, {ROW + 3}",
        "column school_id",
    )


def test_several_problems_are_all_reported_one_per_line(capsys, tmp_path):
    table = _demo_school_table()
    table.loc[ROW, "students_primary"] = "12a"
    table.loc[ROW + 5, "books"] = "many"
    err = _assert_input_error(capsys, _write(table, tmp_path), SHEET_ROW, f"row {ROW + 7}")
    issue_lines = [line for line in err.splitlines() if line.startswith("  - ")]
    assert len(issue_lines) == 2
    assert "column students_primary" in issue_lines[0]
    assert "column books" in issue_lines[1]


def test_a_bad_facts_table_names_the_facts_file(capsys, tmp_path):
    facts = pd.read_csv(demo_path("demo_county_facts.csv"), dtype=str, keep_default_na=False)
    facts.loc[0, "teacher_rotation"] = "abc"
    path = _write(facts, tmp_path, "facts.csv")
    code, out, err = _run(capsys, "assess", _demo("schools"), "--facts", path)
    assert code == 2
    assert out == ""
    assert "--facts" in err
    assert path in err
    assert "row 2" in err
    assert "column teacher_rotation" in err


def test_a_missing_file_is_named(capsys, tmp_path):
    missing = str(tmp_path / "nowhere.csv")
    code, out, err = _run(capsys, "assess", missing)
    assert (code, out) == (2, "")
    assert err.startswith("eduequity: error: ")
    assert missing in err
    assert "does not exist" in err
    code, _, err = _run(capsys, "assess", _demo("schools"), "--survey", missing)
    assert code == 2
    assert "--survey" in err
    assert missing in err
    code, _, err = _run(capsys, "counties", missing)
    assert code == 2
    assert missing in err


def test_a_directory_instead_of_a_file(capsys, tmp_path):
    code, _, err = _run(capsys, "assess", str(tmp_path))
    assert code == 2
    assert str(tmp_path) in err
    assert "directory" in err


def test_an_undecodable_file_is_named(capsys, tmp_path):
    path = tmp_path / "binary.csv"
    path.write_bytes(b"school_id,county\n\xff\xfe\x80\x81,\x80\n")
    code, _, err = _run(capsys, "assess", str(path))
    assert code == 2
    assert str(path) in err
    assert "decode" in err


def test_an_unknown_overlay_lists_the_shipped_ones(capsys):
    code, out, err = _run(capsys, "rules", "--overlay", "atlantis")
    assert (code, out) == (2, "")
    assert "atlantis" in err
    for name in ("anhui", "beijing", "hebei", "shenyang"):  # national-method.md §11.2
        assert name in err
    code, _, err = _run(capsys, "assess", _demo("schools"), "--overlay", "atlantis")
    assert code == 2
    assert "atlantis" in err


def test_an_overlay_for_another_edition_is_an_error(capsys):
    # The shenyang overlay amends the 2017 method (national-method.md §11.2), not 2012.
    code, out, err = _run(capsys, "rules", "--rules", "2012", "--overlay", "shenyang")
    assert (code, out) == (2, "")
    assert "shenyang" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["rules", "--rules", "2015"],
        ["assess", _demo("schools"), "--rules", "2020"],
        ["demo", "--format", "pdf"],
        ["counties", str(demo_path("demo_city_schools.csv")), "--format", "pdf"],
        ["assess"],
        [],
        ["frobnicate"],
    ],
)
def test_usage_errors_exit_2(capsys, argv):
    code, out, err = _run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert "eduequity: error: " in err


def test_unknown_rules_value_names_the_choices(capsys):
    code, _, err = _run(capsys, "rules", "--rules", "2015")
    assert code == 2
    assert "2015" in err
    assert "2017" in err
    assert "2012" in err


# ------------------------------------------------------------------------------ help, version


def test_version(capsys):
    code, out, _ = _run(capsys, "--version")
    assert code == 0
    assert out.strip() == f"eduequity {eduequity.__version__}"


@pytest.mark.parametrize("command", ["demo", "assess", "counties", "rules", "checklist", "city"])
def test_every_command_has_help_with_a_description_and_examples(capsys, command):
    code, out, _ = _run(capsys, command, "--help")
    assert code == 0
    assert f"usage: eduequity {command}" in out
    assert "examples:" in out
    assert f"eduequity {command}" in out.split("examples:", 1)[1]


def test_the_public_flags_of_assess_are_kept():
    # The flags are a public contract (brief of the command line).
    args = build_parser().parse_args(
        [
            "assess",
            "s.csv",
            "--facts",
            "f.csv",
            "--survey",
            "v.csv",
            "--rules",
            "2012",
            "--overlay",
            "hebei",
            "--format",
            "markdown",
            "--output",
            "out.md",
        ]
    )
    assert (args.schools, args.facts, args.survey) == ("s.csv", "f.csv", "v.csv")
    assert (args.rules, args.overlay, args.format, args.output) == (
        "2012",
        "hebei",
        "markdown",
        "out.md",
    )


# ------------------------------------------------------------------------------ encoding


def test_stdout_that_cannot_encode_chinese_is_switched_to_utf8(monkeypatch):
    raw = io.BytesIO()
    ascii_stdout = io.TextIOWrapper(raw, encoding="ascii", errors="strict")
    monkeypatch.setattr(sys, "stdout", ascii_stdout)
    monkeypatch.setattr(sys, "stderr", io.TextIOWrapper(io.BytesIO(), encoding="ascii"))
    assert main(["rules", "--format", "markdown"]) == 0
    ascii_stdout.flush()
    text = raw.getvalue().decode("utf-8")
    assert "县域义务教育优质均衡发展督导评估办法" in text  # the title of 教督〔2017〕6号


# ------------------------------------------------------------------------------ installed


def test_the_installed_console_script_runs_the_demo():
    script = shutil.which("eduequity", path=str(Path(sys.executable).parent))
    command = [script, "demo"] if script else [sys.executable, "-m", "eduequity", "demo"]
    completed = subprocess.run(  # noqa: S603 - our own console script, fixed arguments
        command, capture_output=True, check=False, timeout=120
    )
    assert completed.returncode == 0, completed.stderr.decode("utf-8", "replace")
    out = completed.stdout.decode("utf-8")
    verdict = next(line for line in out.splitlines() if "Verdict" in line)
    assert "FAIL" in verdict
    assert b"Traceback" not in completed.stderr


# ------------------------------------------------------------------- checklist and city
# data README §2: four units of 示范市; the checklist records give 示范高新区 condition S3
# in progress (so it is not eligible) and two unselected items; the register gives their
# basic-balance years (all at least 3 years before 2025).


def _city(name):
    return str(demo_path(f"demo_city_{name}.csv"))


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_checklist_on_the_demo_city(capsys, fmt):
    code, out, _ = _run(
        capsys,
        "checklist",
        _city("checklist"),
        "--register",
        _city("register"),
        "--reference-year",
        "2025",
        "--format",
        fmt,
    )
    assert code == 0
    for county in DEMO_CITY_COUNTIES:
        assert county in out
    if fmt == "json":
        document = json.loads(out)
        assert document["eduequity_version"] == eduequity.__version__
        assert document["catalogue"]["id"] == "cn_moe_2021_creation"
    else:
        assert "攻坚清单" in out
        assert "不符合 not eligible" in out


def test_checklist_with_a_bad_record_names_row_item_and_column(capsys, tmp_path):
    records = pd.read_csv(_city("checklist"), dtype=str, keep_default_na=False)
    records.loc[4, "status"] = "done-ish"
    records.loc[7, "item_id"] = "Z9"
    path = tmp_path / "status.csv"
    records.to_csv(path, index=False)
    code, out, err = _run(capsys, "checklist", str(path))
    assert code == 2
    assert out == ""
    assert "checklist status file" in err
    assert "row 6" in err  # spreadsheet rows: the header is row 1
    assert "done-ish" in err
    assert "Z9" in err
    assert "status" in err
    assert "item_id" in err


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_city_on_the_demo_city(capsys, fmt):
    code, out, _ = _run(
        capsys,
        "city",
        _city("register"),
        "--schools",
        _city("schools"),
        "--target-year",
        "2030",
        "--format",
        fmt,
    )
    assert code == 0
    if fmt == "json":
        document = json.loads(out)
        assert document["eduequity_version"] == eduequity.__version__
        assert document["city"] == "示范市 (Demo City)"
    else:
        assert "示范市 (Demo City)" in out
        for county in DEMO_CITY_COUNTIES:
            assert county in out


def test_city_register_alone(capsys):
    code, out, _ = _run(capsys, "city", _city("register"))
    assert code == 0
    assert "示范东区 (Demo East District)" in out


def test_city_with_a_bad_register_names_row_and_column(capsys, tmp_path):
    register = pd.read_csv(_city("register"), dtype=str, keep_default_na=False)
    register.loc[2, "status"] = "almost there"
    path = tmp_path / "register.csv"
    register.to_csv(path, index=False)
    code, out, err = _run(capsys, "city", str(path))
    assert code == 2
    assert out == ""
    assert "county register" in err
    assert "row 4" in err
    assert "almost there" in err
    assert "status" in err


# ------------------------------------------- every bad school table of data-schema.md §1.5
# Each case breaks the demo table (data README §1) in one place; the command must exit 2 with
# the issue code, the spreadsheet row (data-frame position + 2) and the column, never a
# traceback. Positions: 0 = primary 0990010001, 17 = junior 0990010101, 26 = nine-year
# 0990010201, 30 = twelve-year 0990010301, 31 = complete middle 0990010401, 37 and 38 = sites.


def _set_one(row, column, value):
    def change(table):
        table.loc[row, column] = value
        return table

    return change


def _both(*changes):
    def change(table):
        for one in changes:
            table = one(table)
        return table

    return change


def _drop_column(column):
    return lambda table: table.drop(columns=[column])


def _rename_column(old, new):
    return lambda table: table.rename(columns={old: new})


BAD_SCHOOL_TABLES = [
    ("missing_required_column", _drop_column("students_primary"), None, "students_primary"),
    ("duplicate_school_id", _set_one(1, "school_id", "0990010001"), "row 3", "school_id"),
    ("unknown_value", _set_one(0, "school_type", "高级中学"), "row 2", "school_type"),
    ("not_a_number", _set_one(0, "books", "很多"), "row 2", "books"),
    (
        "negative_value",
        _set_one(0, "multimedia_classrooms", "-1"),
        "row 2",
        "multimedia_classrooms",
    ),
    ("non_integer_count", _set_one(0, "music_rooms", "2.5"), "row 2", "music_rooms"),
    ("missing_value", _set_one(0, "equipment_value_yuan", ""), "row 2", "equipment_value_yuan"),
    (
        "zero_enrolment",
        _both(
            _set_one(0, "students_primary", "0"),
            _set_one(0, "qualified_teachers_primary", "0"),
            _set_one(0, "backbone_teachers_primary", "0"),
            _set_one(0, "pe_arts_teachers_primary", "0"),
            _set_one(0, "full_time_teachers_primary", "0"),
            _set_one(0, "bachelor_plus_teachers_primary", "0"),
            _set_one(0, "mid_senior_title_teachers_primary", "0"),
            _set_one(0, "classes_primary", "0"),
            _set_one(0, "max_class_size_primary", "0"),
            _set_one(0, "large_classes", "0"),
            _set_one(0, "super_large_classes", "0"),
        ),
        "row 2",
        "students_primary",
    ),
    ("section_not_allowed", _set_one(0, "students_junior", "30"), "row 2", "students_junior"),
    (
        "teachers_without_students",
        _set_one(0, "backbone_teachers_junior", "2"),
        "row 2",
        "backbone_teachers_junior",
    ),
    (
        "subset_exceeds_total",
        _set_one(0, "backbone_teachers_primary", "500"),
        "row 2",
        "backbone_teachers_primary",
    ),
    (
        "indoor_exceeds_teaching_area",
        _set_one(0, "indoor_sports_area_m2", "999999"),
        "row 2",
        "indoor_sports_area_m2",
    ),
    (
        "classes_inconsistent",
        _set_one(0, "max_class_size_primary", "5"),
        "row 2",
        "max_class_size_primary",
    ),
    (
        "parent_not_found",
        _set_one(37, "parent_school_id", "0990019999"),
        "row 39",
        "parent_school_id",
    ),
    ("nested_site", _set_one(37, "parent_school_id", "0990010602"), "row 39", "parent_school_id"),
    ("parent_other_county", _set_one(37, "county", "别的县"), "row 39", None),
    (
        "site_stage_incompatible",
        _set_one(37, "school_type", "special"),
        "row 39",
        None,
    ),
    ("mixed_years", _set_one(5, "year", "2023"), None, "year"),
    (
        "unsupported_unit",
        _rename_column("teaching_aux_area_m2", "教学及辅助用房面积（亩）"),
        None,
        None,
    ),
    ("rate_out_of_range", _set_one(0, "migrant_share", "1.5"), "row 2", "migrant_share"),
    ("county_code_inconsistent", _set_one(1, "county_code", "999002"), None, "county_code"),
]


@pytest.mark.parametrize("case", BAD_SCHOOL_TABLES, ids=[case[0] for case in BAD_SCHOOL_TABLES])
def test_every_bad_school_table_of_the_spec_exits_2_with_row_and_column(capsys, tmp_path, case):
    code, change, row, column = case
    table = _demo_school_table()
    if "migrant_share" not in table.columns:
        table["migrant_share"] = ""
    path = _write(change(table), tmp_path)
    needles = [f"[{code}]"] + [needle for needle in (row, column) if needle is not None]
    _assert_input_error(capsys, path, *needles)


# ------------------------------------------------- long error lists stay one paragraph
# The demo facts (data README §1) have one row for 示范县, 2024; repeating it n times gives
# n - 1 duplicate_county_year errors (data-schema.md §2: one row per county and year), one
# per repeated row. The CLI prints at most 20 issue lines and counts the rest by code.


def _repeated_facts(tmp_path, copies, *, bad_rotation=0):
    facts = pd.read_csv(demo_path("demo_county_facts.csv"), dtype=str, keep_default_na=False)
    assert len(facts) == 1
    table = pd.concat([facts] * copies, ignore_index=True)
    if bad_rotation:
        table.loc[: bad_rotation - 1, "teacher_rotation"] = "abc"  # not_a_number on those rows
    return _write(table, tmp_path, "facts.csv")


def _issue_lines(err):
    return [line for line in err.splitlines() if line.startswith("  - [")]


def test_a_table_with_a_problem_on_every_row_prints_20_lines_and_counts_the_rest(capsys, tmp_path):
    # 60 copies -> 59 duplicate_county_year; 5 rows with rotation "abc" -> 5 not_a_number.
    path = _repeated_facts(tmp_path, 60, bad_rotation=5)
    code, out, err = _run(capsys, "assess", _demo("schools"), "--facts", path)
    assert (code, out) == (2, "")
    lines = err.rstrip("\n").splitlines()
    assert lines[0].startswith("eduequity: error: facts table (--facts)")
    assert path in lines[0]
    assert "64 problems" in lines[0]
    shown = _issue_lines(err)
    assert len(shown) == 20
    summary = re.fullmatch(r"  … and (\d+) more problems \(codes: (.*)\)", lines[21])
    assert summary is not None
    assert int(summary.group(1)) == 64 - 20
    counted = {
        code: int(count)
        for code, count in (part.split(" ×") for part in summary.group(2).split(", "))
    }
    for code in ("duplicate_county_year", "not_a_number"):
        counted[code] = counted.get(code, 0) + sum(f"[{code}]" in line for line in shown)
    assert counted == {"duplicate_county_year": 59, "not_a_number": 5}
    assert len(lines) <= 23  # summary, 20 issues, the count, at most a hint


def test_twenty_problems_are_all_printed_and_twenty_one_are_not(capsys, tmp_path):
    code, _, err = _run(
        capsys, "assess", _demo("schools"), "--facts", _repeated_facts(tmp_path, 21)
    )
    assert code == 2
    assert len(_issue_lines(err)) == 20
    assert "more problem" not in err
    code, _, err = _run(
        capsys, "assess", _demo("schools"), "--facts", _repeated_facts(tmp_path, 22)
    )
    assert code == 2
    assert len(_issue_lines(err)) == 20
    assert "  … and 1 more problem (codes: duplicate_county_year ×1)" in err.splitlines()


# ------------------------------------------------------------------------------ --scale
# A survey on the numeric_1_5 scale (social-recognition.md §4: 5 and 4 are positive):
# 9 fives and 8 fours of 20 answers -> 17/20 = 0.85, which meets the 85% threshold (§1).


def _numeric_survey(tmp_path):
    answers = ["5"] * 9 + ["4"] * 8 + ["3"] * 2 + ["1"]
    survey = pd.DataFrame(
        {
            "respondent_id": [f"R{i:03d}" for i in range(len(answers))],
            "county": DEMO_COUNTY,
            "year": 2024,
            "respondent_group": "parent",
            "questionnaire": "society",
            "location": "urban",
            "grade": "",
            "answer": answers,
        }
    )
    return _write(survey, tmp_path, "survey.csv")


@pytest.mark.parametrize("scale", ["numeric_1_5", "detect"])
def test_scale_chooses_the_answer_scale_of_the_survey(capsys, tmp_path, scale):
    survey = _numeric_survey(tmp_path)
    argv = ["assess", _demo("schools"), "--survey", survey, "--format", "json"]
    code, out, err = _run(capsys, *argv, "--scale", scale)
    assert code == 0, err
    recognition = json.loads(out)["recognition"]
    assert recognition["status"] == "pass"
    result = recognition["result"]
    assert result["scale"] == "numeric_1_5"
    assert (result["n_positive"], result["n_scored"]) == (17, 20)


def test_without_scale_a_numeric_survey_is_an_error_that_suggests_scale(capsys, tmp_path):
    code, out, err = _run(capsys, "assess", _demo("schools"), "--survey", _numeric_survey(tmp_path))
    assert (code, out) == (2, "")
    assert "unknown_answer" in err
    assert "--scale" in err


def test_an_unknown_scale_lists_the_choices(capsys):
    code, out, err = _run(capsys, "assess", _demo("schools"), "--scale", "likert_7")
    assert (code, out) == (2, "")
    assert "likert_7" in err
    for scale in ("satisfaction_5", "numeric_1_5", "detect"):
        assert scale in err


# ------------------------------------------------- --output suffixes of other formats


@pytest.mark.parametrize(
    ("argv", "name", "offered"),
    [
        (["demo"], "report.pdf", ("text", "markdown", "json", "html")),
        (["demo"], "report.DOCX", ("text", "markdown", "json", "html")),
        (["assess", _demo("schools")], "report.xlsx", ("text", "markdown", "json", "html")),
        (
            ["counties", str(demo_path("demo_city_schools.csv"))],
            "c.pdf",
            ("csv", "json", "text", "markdown", "html"),
        ),
        (["rules"], "rules.csv", ("text", "markdown", "json", "html")),
    ],
)
def test_an_output_suffix_of_a_format_not_offered_is_a_usage_error(
    capsys, tmp_path, argv, name, offered
):
    target = tmp_path / name
    code, out, err = _run(capsys, *argv, "--output", str(target))
    assert (code, out) == (2, "")
    assert err.startswith("eduequity: error: ")
    assert Path(name).suffix.lower() in err
    for fmt in offered:
        assert fmt in err
    assert "--format" in err
    assert not target.exists()


def test_an_explicit_format_writes_whatever_the_suffix(capsys, tmp_path):
    target = tmp_path / "report.pdf"
    code, _, _ = _run(capsys, "demo", "--format", "html", "--output", str(target))
    assert code == 0
    assert target.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")


@pytest.mark.parametrize("name", ["report.out", "report"])
def test_an_unknown_or_absent_suffix_keeps_the_default_format(capsys, tmp_path, name):
    target = tmp_path / name
    code, _, _ = _run(capsys, "rules", "--output", str(target))
    assert code == 0
    _, expected, _ = _run(capsys, "rules", "--format", "text")
    assert target.read_text(encoding="utf-8") == expected


# ------------------------------------------------- --year that matches no row
# The demo tables are of school year 2024 (data README §1 and §2).


@pytest.mark.parametrize(
    "argv",
    [
        ["counties", str(demo_path("demo_city_schools.csv"))],
        ["assess", _demo("schools")],
        ["assess", str(demo_path("demo_city_schools.csv")), "--county", DEMO_COUNTY],
    ],
    ids=["counties", "assess", "assess-county"],
)
def test_a_year_with_no_rows_names_the_years_the_table_holds(capsys, argv):
    code, out, err = _run(capsys, *argv, "--year", "2020")
    assert (code, out) == (2, "")
    assert err.startswith("eduequity: error: ")
    assert "no row" in err
    assert "school year 2020" in err
    assert "2024" in err
    assert "0 counties" not in err
    assert "is not in the school table" not in err
    assert argv[1] in err
