"""The command line's exports (--export DIR) and the recommendation form (--form COUNTY).

Demo data: ``src/eduequity/datasets/data/README.md`` (§1 the county 示范县, §2 the four
units of 示范市). Errors follow the rules of the command line: exit 2, one paragraph on
standard error naming the flag, no traceback.
"""

import csv
import json
import shutil

import pytest

from eduequity.checklist import REDACTED
from eduequity.cli import main
from eduequity.datasets import demo_path

COUNTY = "示范县 (Demo County)"


def _data(name):
    return str(demo_path(f"demo_{name}.csv"))


def _run(capsys, *argv):
    code = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


def test_city_export_writes_every_table_and_still_prints_the_report(capsys, tmp_path):
    code, out, err = _run(
        capsys,
        "city",
        _data("city_register"),
        "--schools",
        _data("city_schools"),
        "--export",
        tmp_path / "tables",
    )
    assert code == 0
    assert "示范市 (Demo City)" in out[:500]
    assert "tables (csv, json, xlsx) exported to" in err
    names = {path.name for path in (tmp_path / "tables").iterdir()}
    assert {"city.xlsx", "county_figures.csv", "county_figures.json", "problems.csv"} <= names


def test_export_format_chooses_the_formats(capsys, tmp_path):
    code, _, err = _run(
        capsys, "city", _data("city_register"), "--export", tmp_path, "--export-format", "json"
    )
    assert code == 0
    assert "(json)" in err
    assert {path.suffix for path in tmp_path.iterdir()} == {".json"}


def test_the_form_as_json_redacts_contacts_unless_asked(capsys, tmp_path):
    data = tmp_path / "form.json"
    data.write_text(
        json.dumps(
            {"contact_name": "张三", "contact_phone": "=1+1", "county_government_sealed": "是"}
        ),
        encoding="utf-8",
    )
    argv = [
        "checklist",
        _data("city_checklist"),
        "--facts",
        _data("county_facts"),
        "--schools",
        _data("county_schools"),
        "--form",
        COUNTY,
        "--form-data",
        data,
        "--format",
        "json",
    ]
    code, out, _ = _run(capsys, *argv)
    assert code == 0
    document = json.loads(out)
    # data README §1: 示范县 was recognised for basic balance in 2016, in 示范省, 示范市
    assert document["values"]["basic_balance_recognition_year"] == 2016
    assert document["values"]["city"] == "示范市 (Demo City)"
    assert document["values"]["contact_name"] is None
    assert "张三" not in out
    assert document["status"] == "draft"  # the provincial seal is missing
    assert "provincial_department_sealed" in document["missing"]
    code, out, _ = _run(capsys, *argv, "--include-personal")
    assert json.loads(out)["values"]["contact_name"] == "张三"


def test_the_form_exports_a_filled_table(capsys, tmp_path):
    code, out, err = _run(
        capsys,
        "checklist",
        _data("city_checklist"),
        "--form",
        COUNTY,
        "--export",
        tmp_path,
        "--export-format",
        "csv",
    )
    assert code == 0
    assert "推荐表" in out
    assert "exported to" in err
    with (tmp_path / "recommendation_form.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert "catalogue cn_moe_2021_creation" in rows[0][0]
    assert [row[1] for row in rows[2:4]] == ["province", "city"]
    assert (tmp_path / "checklist_summary.csv").exists()
    assert (tmp_path / "checklist_records.csv").exists()
    assert REDACTED not in (tmp_path / "recommendation_form.csv").read_text("utf-8-sig")


def test_an_unknown_form_county_is_named_with_its_flag(capsys):
    code, out, err = _run(capsys, "checklist", _data("city_checklist"), "--form", "某县")
    assert code == 2
    assert out == ""
    assert "--form '某县' is not a county of the checklist status file" in err
    assert COUNTY in err


def test_bad_form_data_is_named_by_field(capsys, tmp_path):
    data = tmp_path / "form.csv"
    data.write_text("field,value\nschools_rural,999\nseal,1\n", encoding="utf-8")
    code, _, err = _run(
        capsys,
        "checklist",
        _data("city_checklist"),
        "--schools",
        _data("county_schools"),
        "--form",
        COUNTY,
        "--form-data",
        data,
    )
    assert code == 2
    assert f"form data (--form-data) {str(data)!r}" in err
    assert "column seal" in err
    assert "[unknown_field]" in err
    assert "[rural_exceeds_total]" in err
    assert "column schools_rural" in err


@pytest.mark.parametrize(
    ("content", "message"),
    [("[1, 2]", "expected a JSON object"), ("{oops", "not valid JSON")],
)
def test_malformed_form_data_json(capsys, tmp_path, content, message):
    data = tmp_path / "form.json"
    data.write_text(content, encoding="utf-8")
    code, _, err = _run(
        capsys, "checklist", _data("city_checklist"), "--form", COUNTY, "--form-data", data
    )
    assert code == 2
    assert f"--form-data {str(data)!r}: {message}" in err


def test_export_never_overwrites_an_input(capsys, tmp_path):
    status = tmp_path / "checklist_records.csv"
    shutil.copy(_data("city_checklist"), status)
    before = status.read_bytes()
    code, _, err = _run(capsys, "checklist", status, "--export", tmp_path)
    assert code == 2
    assert "would overwrite the input file" in err
    assert status.read_bytes() == before


def test_export_into_a_file_is_an_error(capsys, tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    code, _, err = _run(capsys, "city", _data("city_register"), "--export", blocker)
    assert code == 2
    assert "it is a file; expected a directory" in err


def test_the_form_is_offered_as_html_too(capsys):
    code, out, _ = _run(
        capsys, "checklist", _data("city_checklist"), "--form", COUNTY, "--format", "html"
    )
    assert code == 0
    assert out.startswith("<!DOCTYPE html>")
    assert "推荐表" in out
