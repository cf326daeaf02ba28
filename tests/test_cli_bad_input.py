"""The command line on bad input: empty tables, what CSV leaves out, outputs over inputs, names.

Each test builds its table from a demo table and states the behaviour it expects: a clear
error (exit 2) naming the flag, file, row or column, or a report that carries every warning.
"""

import json

import pandas as pd
import pytest

from eduequity.cli import main
from eduequity.datasets import demo_path

ESCAPE = "\x1b[31m"


def _run(capsys, *argv):
    code = main([str(item) for item in argv])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


def _table(name):
    return pd.read_csv(str(demo_path(name)), dtype=str, keep_default_na=False)


# ----------------------------------------------------------------------------- counties


@pytest.mark.parametrize("fmt", ["csv", "json", "text"])
def test_counties_on_a_header_only_table_fails(capsys, tmp_path, fmt):
    path = tmp_path / "empty.csv"
    _table("demo_county_schools.csv").iloc[:0].to_csv(path, index=False)
    code, out, err = _run(capsys, "counties", path, "--format", fmt)
    assert code == 2
    assert out == ""
    # the reader refuses a file with a header and no data rows before any assessment
    assert f"CSV file {str(path)!r}" in err
    assert "has a header row (row 1) but no data rows" in err


def test_counties_csv_reports_exclusions_merges_and_warnings_on_stderr(capsys):
    # data README §1: four small teaching points and the special school are excluded, two
    # sites are merged, and one private school is included with a warning
    code, out, err = _run(capsys, "counties", demo_path("demo_county_schools.csv"))
    assert code == 0
    assert "unit_excluded" not in out  # the CSV itself stays a plain table
    assert err.count("[unit_excluded]") == 5
    assert err.count("[site_merged]") == 2
    assert "[private_school_included]" in err
    assert "school_id=0990010701" in err


def test_counties_csv_summarises_long_audits(capsys):
    # the demo city excludes more schools than fit in 20 lines: the rest are counted by code
    code, _, err = _run(capsys, "counties", demo_path("demo_city_schools.csv"))
    assert code == 0
    lines = err.splitlines()
    assert len(lines) == 21
    assert lines[-1].startswith("eduequity: warning: … and ")
    assert "--format json or text lists every one" in lines[-1]


def test_counties_text_lists_excluded_schools_and_warnings(capsys):
    code, out, _ = _run(
        capsys, "counties", demo_path("demo_county_schools.csv"), "--format", "text"
    )
    assert code == 0
    assert "Excluded schools (5)" in out
    assert "0990010701" in out
    assert "Sites merged into their parent school (2)" in out
    assert "[private school included]" in out


# ---------------------------------------------------------------------------- checklist


def test_checklist_keeps_the_warnings_of_facts_and_register(capsys, tmp_path):
    facts = _table("demo_county_facts.csv").assign(备用列="x")
    facts_path = tmp_path / "facts.csv"
    facts.to_csv(facts_path, index=False)
    register = _table("demo_city_register.csv").assign(备用列="x")
    register_path = tmp_path / "register.csv"
    register.to_csv(register_path, index=False)
    records = demo_path("demo_city_checklist.csv")
    for flag, path, table in (
        ("--facts", facts_path, "county_facts"),
        ("--register", register_path, "register"),
    ):
        code, out, _ = _run(capsys, "checklist", records, flag, path, "--format", "json")
        assert code == 0
        issues = json.loads(out)["issues"]
        assert any(
            issue["code"] == "unknown_column" and issue["table"] == table for issue in issues
        ), flag
        code, out, _ = _run(capsys, "checklist", records, flag, path, "--format", "text")
        assert "'备用列'" in out


# ------------------------------------------------------------------------------ --output


@pytest.mark.parametrize(
    "command",
    [
        ["assess", "{schools}", "--output", "{schools}"],
        ["assess", "{schools}", "--facts", "{facts}", "--output", "{facts}"],
        ["counties", "{schools}", "--output", "{schools}"],
        ["city", "{register}", "--output", "{register}"],
        ["checklist", "{records}", "--output", "{records}"],
    ],
)
def test_output_never_overwrites_an_input(capsys, tmp_path, command):
    files = {
        "schools": "demo_county_schools.csv",
        "facts": "demo_county_facts.csv",
        "register": "demo_city_register.csv",
        "records": "demo_city_checklist.csv",
    }
    paths = {}
    for name, file in files.items():
        paths[name] = tmp_path / file
        paths[name].write_bytes(demo_path(file).read_bytes())
    before = {name: path.read_bytes() for name, path in paths.items()}
    argv = [part.format(**{k: str(v) for k, v in paths.items()}) for part in command]
    code, out, err = _run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert "--output" in err
    assert "destroy an input" in err
    assert {name: path.read_bytes() for name, path in paths.items()} == before


def test_output_spelled_differently_is_still_the_input(capsys, tmp_path, monkeypatch):
    path = tmp_path / "schools.csv"
    path.write_bytes(demo_path("demo_county_schools.csv").read_bytes())
    monkeypatch.chdir(tmp_path)
    code, _, err = _run(
        capsys, "assess", "schools.csv", "--output", f"../{tmp_path.name}/schools.csv"
    )
    assert code == 2
    assert "destroy an input" in err
    assert path.read_bytes() == demo_path("demo_county_schools.csv").read_bytes()


# ------------------------------------------------------------------------- control codes


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "html"])
def test_escape_codes_in_names_never_reach_the_report(capsys, tmp_path, fmt):
    schools = _table("demo_county_schools.csv")
    schools.loc[2, "school_name"] = f"{ESCAPE}红色学校\x1b[0m\x9b2J\x07"
    path = tmp_path / "schools.csv"
    schools.to_csv(path, index=False)
    code, out, err = _run(capsys, "assess", path, "--format", fmt)
    assert code == 0
    for control in ("\x1b", "\x9b", "\x07"):
        assert control not in out
        assert control not in err
    assert "红色学校" in out
    # the change is reported, naming the row (header = row 1) and the column
    # (in words, except in JSON, whose issue codes are the service contract)
    assert ("control_characters" if fmt == "json" else "control characters") in out
    assert "row 4" in out


def test_escape_codes_never_reach_csv_or_error_messages(capsys, tmp_path):
    schools = _table("demo_county_schools.csv")
    schools["county"] = ESCAPE + schools["county"]  # every row: one county still
    schools.loc[3, "students_primary"] = f"{ESCAPE}12"
    path = tmp_path / "schools.csv"
    schools.to_csv(path, index=False)
    code, out, err = _run(capsys, "counties", path)
    assert code == 2  # the bad number is an error; its quoted text is escaped
    assert "\x1b" not in out + err
    assert "students_primary" in err
    schools.loc[3, "students_primary"] = "1260"
    schools.to_csv(path, index=False)
    code, out, err = _run(capsys, "counties", path)
    assert code == 0
    assert "\x1b" not in out + err
    assert "[control_characters]" in err
    assert "\ufffd[31m示范县 (Demo County),primary," in out


# ------------------------------------------------------------ advice in flags, not Python


@pytest.mark.parametrize(
    ("argv", "flag", "python"),
    [
        (["assess", demo_path("demo_city_schools.csv")], "--county", ("county=", "()")),
        (["rules", "--overlay", "nowhere"], "--overlay", ("Overlay",)),
    ],
)
def test_errors_advise_in_flags_not_python_arguments(capsys, argv, flag, python):
    code, out, err = _run(capsys, *argv)
    assert (code, out) == (2, "")
    assert flag in err
    for phrase in python:
        assert phrase not in err
