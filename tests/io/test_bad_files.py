"""Files that cannot be read as they are: each gives one EduEquityError with a stable code.

The library raises a subclass of EduEquityError naming the file (and the row, column or cell
where there is one); the command line prints it and exits with 2, never with a traceback.
"""

import io
import random

import openpyxl
import pandas as pd
import pytest

from eduequity.cli import main
from eduequity.datasets import demo_path
from eduequity.errors import EduEquityError, InputError, InvalidArgumentError
from eduequity.io import loaded_table
from eduequity.national import read_schools


def reading(source, **options):
    """The school table as read_schools reads it, with what the reader noticed."""
    return loaded_table(read_schools(source, **options))


CSV_TEXT = demo_path("demo_county_schools.csv").read_text(encoding="utf-8")
HEADER, *ROWS = CSV_TEXT.splitlines()
WIDTH = len(HEADER.split(","))


def _xlsx_bytes(rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _demo_xlsx_bytes():
    frame = pd.read_csv(io.StringIO(CSV_TEXT), dtype=str, keep_default_na=False)
    return _xlsx_bytes([list(frame.columns), *frame.to_numpy().tolist()])


def _random_bytes(size):
    generator = random.Random(8)  # noqa: S311 - test data, not cryptography
    return bytes(generator.randrange(256) for _ in range(size))


def _short_last_row():
    cells = ROWS[-1].split(",")
    return "\n".join([HEADER, *ROWS[:-1], ",".join(cells[:10])]) + "\n"


def _cut_inside_quotes():
    return "\n".join([HEADER, *ROWS[:-1], ROWS[-1].replace(",", ',"', 1)[:40]])


# name -> (file name, content, error class, code, text the message must hold)
CASES = {
    "truncated xlsx": (
        "schools.xlsx",
        _demo_xlsx_bytes()[:3000],
        InvalidArgumentError,
        "unreadable_file",
        "the workbook is damaged or incomplete",
    ),
    "random bytes as xlsx": (
        "schools.xlsx",
        _random_bytes(5000),
        InvalidArgumentError,
        "unreadable_file",
        "is not a spreadsheet workbook",
    ),
    "CSV text behind .xlsx": (
        "schools.xlsx",
        CSV_TEXT.encode("utf-8"),
        InvalidArgumentError,
        "unreadable_file",
        "its content is CSV or other text",
    ),
    "empty csv": ("schools.csv", b"", InvalidArgumentError, "empty_table", "is empty"),
    "empty xlsx": ("schools.xlsx", b"", InvalidArgumentError, "empty_table", "is empty"),
    "blank lines only": ("schools.csv", b"\n\r\n  \n", InvalidArgumentError, "empty_table", ""),
    "header-only csv": (
        "schools.csv",
        (HEADER + "\n").encode("utf-8"),
        InvalidArgumentError,
        "empty_table",
        "has a header row (row 1) but no data rows",
    ),
    "header-only xlsx": (
        "schools.xlsx",
        _xlsx_bytes([HEADER.split(",")]),
        InvalidArgumentError,
        "empty_table",
        "but no data rows",
    ),
    "short last row": (
        "schools.csv",
        _short_last_row().encode("utf-8"),
        InputError,
        "short_row",
        f"row {len(ROWS) + 1}: the row has 10 cells, the header row has {WIDTH}",
    ),
    "last row cut inside a quoted cell": (
        "schools.csv",
        _cut_inside_quotes().encode("utf-8"),
        InvalidArgumentError,
        "unreadable_file",
        f"a quoted cell opened on row {len(ROWS) + 1} is never closed",
    ),
    "binary garbage as csv": (
        "schools.csv",
        _random_bytes(5000),
        InvalidArgumentError,
        "unreadable_file",
        "holds binary data",
    ),
    "xlsx behind .csv": (
        "schools.csv",
        _demo_xlsx_bytes(),
        InvalidArgumentError,
        "unreadable_file",
        "is a spreadsheet workbook, not CSV text",
    ),
}


@pytest.fixture(params=sorted(CASES))
def bad_file(request, tmp_path):
    name, content, error, code, text = CASES[request.param]
    path = tmp_path / name
    path.write_bytes(content)
    return path, error, code, text


def test_the_library_raises_a_coded_error(bad_file):
    path, error, code, text = bad_file
    with pytest.raises(EduEquityError) as caught:
        reading(path)
    assert type(caught.value) is error
    codes = [issue.code for issue in caught.value.errors] if error is InputError else []
    assert code in codes or caught.value.code == code
    assert text in str(caught.value)
    if error is not InputError:
        assert str(path) in str(caught.value)


def test_the_command_line_exits_2_without_a_traceback(bad_file, capsys):
    path, error, code, text = bad_file
    assert main(["counties", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("eduequity: error: ")
    assert "Traceback" not in captured.err
    assert text in captured.err
    if error is InputError:
        assert f"[{code}]" in captured.err


def test_formulas_without_stored_values_are_errors_naming_the_cells(tmp_path):
    frame = pd.read_csv(io.StringIO(CSV_TEXT), dtype=str, keep_default_na=False)
    rows = [list(frame.columns), *frame.to_numpy().tolist()]
    column = rows[0].index("students_primary")
    letter = openpyxl.utils.get_column_letter(column + 1)
    rows[3][column] = f"={letter}2+1"  # openpyxl stores the formula without its result
    rows.append(["合计", *([""] * (len(rows[0]) - 1))])
    rows[-1][column] = f"=SUM({letter}2:{letter}{len(rows) - 1})"  # a totals row: left out
    path = tmp_path / "schools.xlsx"
    path.write_bytes(_xlsx_bytes(rows))
    with pytest.raises(InputError) as caught:
        reading(path)
    (issue,) = [issue for issue in caught.value.errors if issue.code == "formula_without_value"]
    assert issue.row == 4
    assert issue.column == "students_primary"
    assert issue.value == f"{letter}4"
    assert "formula without a stored result" in issue.message


def test_a_row_longer_than_the_header_keeps_its_cells_reported(tmp_path):
    path = tmp_path / "schools.csv"
    path.write_text("\n".join([HEADER, *ROWS[:-1], ROWS[-1] + ",extra"]) + "\n", "utf-8")
    table = reading(path)
    (issue,) = [issue for issue in table.issues if issue.code == "unknown_column"]
    assert f"column {WIDTH + 1} has no header" in issue.message


def test_an_et_file_that_cannot_be_read_says_how_to_save_it(tmp_path):
    path = tmp_path / "schools.et"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + _random_bytes(3000))
    with pytest.raises(InvalidArgumentError) as caught:
        reading(path)
    assert caught.value.code == "unreadable_file"
    assert "as .xlsx (WPS" in str(caught.value)
