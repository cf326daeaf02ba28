"""Real exports: title and unit rows, notes sheets, .xls/.ods/.xlsx, totals rows, encodings.

Each case is built from the demo county's canonical school table and must assess exactly
like that table read from its CSV file.
"""

import os
import re
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests._xls import xls_bytes

from eduequity.cli import main
from eduequity.datasets import demo_path
from eduequity.errors import EduEquityError, InputError, InvalidArgumentError
from eduequity.io import loaded_table
from eduequity.national import assess_counties, read_schools


def reading(source, **options):
    """The school table as read_schools reads it, with what the reader noticed."""
    return loaded_table(read_schools(source, **options))


CANONICAL = pd.read_csv(
    demo_path("demo_county_schools.csv"), dtype=str, keep_default_na=False, encoding="utf-8"
)
TITLE = "示范县2024年义务教育学校基本情况表"
UNITS = "单位：人、平方米、万元"
NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?")
# the unit row under the header: persons for enrolments, 万元 for the equipment value
UNIT_ROW = {"students_primary": "(人)", "students_junior": "（人）", "equipment_value_yuan": "万元"}


def _cell(text):
    """A numeric text as the number a spreadsheet holds; ids with leading zeros stay text."""
    if NUMBER.fullmatch(text):
        number = Decimal(text)
        return int(number) if number == number.to_integral_value() else float(number)
    return text


def _in_wan_yuan(text):
    return str(Decimal(text) / 10000) if text else text


def export_rows(*, numbers=True):
    """The demo school table as a county would export it: rows of cells, row 1 first.

    Row 1 the title, row 2 the units, row 3 the header, row 4 the unit row, rows 5-44 the
    schools, then a totals row (合计) and a note line.
    """
    frame = CANONICAL.copy()
    frame["equipment_value_yuan"] = frame["equipment_value_yuan"].map(_in_wan_yuan)
    header = list(frame.columns)
    data = frame.to_numpy().tolist()
    totals = ["合计", *([""] * (len(header) - 1))]
    for name in ("students_primary", "students_junior"):
        position = header.index(name)
        totals[position] = str(sum(int(row[position] or 0) for row in data))
    rows = [
        [TITLE],
        [UNITS],
        header,
        [UNIT_ROW.get(name, "") for name in header],
        *data,
        totals,
        ["注：本表数据截至2024年9月30日。"],
    ]
    if numbers:
        rows = [[_cell(text) for text in row] for row in rows]
    return rows


TOTALS_ROW = 5 + len(CANONICAL)


def write_xlsx(path, sheets):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append([None if cell == "" else cell for cell in row])
    book.save(path)
    return path


def write_ods(path, sheets):
    with pd.ExcelWriter(path, engine="odf") as writer:
        for name, rows in sheets.items():
            width = max(len(row) for row in rows)
            padded = [[*row, *([None] * (width - len(row)))] for row in rows]
            frame = pd.DataFrame(padded, dtype=object).replace("", None)
            frame.to_excel(writer, sheet_name=name, header=False, index=False)
    return path


def write_xls(path, sheets):
    path.write_bytes(xls_bytes(sheets))
    return path


def write_csv(path, rows, encoding):
    text = "\n".join(",".join(str(cell) for cell in row) for row in rows) + "\n"
    path.write_bytes(text.encode(encoding))
    return path


NOTES = [["填表说明"], ["一、本表由学校填报，县级教育行政部门汇总。"], ["二、金额单位为万元。"]]


@pytest.fixture(scope="module")
def expected():
    return assess_counties(demo_path("demo_county_schools.csv"))


def _assert_same_assessment(path, expected, **options):
    loaded = reading(path, **options)
    frame = loaded.frame
    canonical = reading(demo_path("demo_county_schools.csv")).frame
    pd.testing.assert_frame_equal(
        frame.reset_index(drop=True), canonical.reset_index(drop=True), check_dtype=False
    )
    pd.testing.assert_frame_equal(assess_counties(frame), expected)
    return loaded


def _assert_export_read(loaded, *, first_row=5):
    assert loaded.frame.index[0] == first_row  # spreadsheet rows, not positions
    assert loaded.frame.index[-1] == first_row + len(CANONICAL) - 1
    assert any("header found on row 3; rows 1–2 above it skipped" in c for c in loaded.conversions)
    assert any("row 4 gives the units of the headers" in c for c in loaded.conversions)
    (totals,) = [issue for issue in loaded.issues if issue.code == "totals_row"]
    assert totals.row == TOTALS_ROW
    assert totals.severity == "warning"
    assert "'合计'" in totals.message


# ------------------------------------------------------------------------------ formats


@pytest.mark.parametrize(
    ("suffix", "writer"), [(".xlsx", write_xlsx), (".ods", write_ods), (".xls", write_xls)]
)
def test_exports_with_title_unit_and_totals_rows_assess_like_the_csv(
    tmp_path, expected, suffix, writer
):
    path = writer(tmp_path / f"schools{suffix}", {"学校": export_rows()})
    loaded = _assert_same_assessment(path, expected)
    _assert_export_read(loaded)
    assert "equipment_value_yuan: header unit 万元, multiplied by 10000" in loaded.conversions


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-8", "utf-8-sig"])
def test_csv_exports_in_every_encoding_assess_like_the_csv(tmp_path, expected, encoding):
    path = write_csv(tmp_path / "schools.csv", export_rows(numbers=False), encoding)
    loaded = _assert_same_assessment(path, expected)
    _assert_export_read(loaded)


def test_notes_sheet_is_skipped_or_chosen_by_sheet(tmp_path, expected):
    path = write_xlsx(tmp_path / "schools.xlsx", {"填表说明": NOTES, "学校": export_rows()})
    loaded = _assert_same_assessment(path, expected)
    assert loaded.conversions[0].startswith("sheet '学校' read: the first sheet whose headers")
    assert "sheets before it skipped: 填表说明" in loaded.conversions[0]
    _assert_same_assessment(path, expected, sheet="学校")
    _assert_same_assessment(path, expected, sheet=1)
    with pytest.raises(InputError) as caught:
        reading(path, sheet="填表说明")
    assert {issue.code for issue in caught.value.errors} == {"missing_required_column"}


def test_no_matching_sheet_lists_the_sheets(tmp_path):
    path = write_xlsx(tmp_path / "book.xlsx", {"填表说明": NOTES, "汇总": [["县区", "学校数"]]})
    with pytest.raises(InvalidArgumentError) as caught:
        reading(path)
    error = caught.value
    assert error.code == "sheet_not_found"
    assert "'填表说明' (no known header; starts '填表说明'" in str(error)
    assert "'汇总' (1 known header(s); starts '县区', '学校数')" in str(error)


def test_unknown_sheet_names_the_sheets(tmp_path):
    path = write_xlsx(tmp_path / "book.xlsx", {"填表说明": NOTES, "学校": export_rows()})
    with pytest.raises(InvalidArgumentError, match="no sheet '学生'; sheets: 填表说明, 学校"):
        reading(path, sheet="学生")
    with pytest.raises(InvalidArgumentError, match="sheet index 2 is out of range"):
        reading(path, sheet=2)


def test_a_sheet_named_by_a_number(tmp_path, expected):
    path = write_xlsx(tmp_path / "book.xlsx", {"说明": NOTES, "2024": export_rows()})
    loaded = _assert_same_assessment(path, expected, sheet=2024)
    assert "sheet '2024'" in loaded.source


def test_wps_et_files_are_read_by_content(tmp_path, expected):
    # WPS saves .et workbooks in the Excel 97-2003 container, so the .xls fixture stands in
    path = write_xls(tmp_path / "schools.et", {"学校": export_rows()})
    _assert_export_read(_assert_same_assessment(path, expected))


def test_totals_rows_of_a_data_frame_are_left_out():
    frame = CANONICAL.copy()
    frame.loc[len(frame)] = ["", "全 县 合 计", *([""] * (frame.shape[1] - 2))]
    frame.loc[len(frame)] = ["小计", *([""] * (frame.shape[1] - 1))]
    loaded = reading(frame)
    assert len(loaded.frame) == len(CANONICAL)
    totals = [issue for issue in loaded.issues if issue.code == "totals_row"]
    assert [issue.row for issue in totals] == [len(CANONICAL), len(CANONICAL) + 1]
    assert "school_name '全 县 合 计'" in totals[0].message
    assert "school_id '小计'" in totals[1].message


# ------------------------------------------------------------------------------ encodings


def test_stray_byte_in_a_utf8_file_is_an_error_naming_line_and_byte(tmp_path):
    rows = export_rows(numbers=False)
    text = "\n".join(",".join(str(cell) for cell in row) for row in rows) + "\n"
    data = text.encode("utf-8")
    line = 7
    offset = sum(len(part) + 1 for part in data.split(b"\n")[: line - 1]) + 3
    path = tmp_path / "schools.csv"
    path.write_bytes(data[:offset] + b"\xb2" + data[offset:])
    with pytest.raises(InvalidArgumentError) as caught:
        reading(path)
    error = caught.value
    assert error.code == "mixed_encoding"
    assert f"byte 0xb2 at line {line}, byte 4 of the line" in str(error)
    assert "encoding=" in str(error)
    # told that the file is UTF-8, the reader names the byte that is not
    with pytest.raises(EduEquityError, match=f"byte 0xb2 at line {line}, byte 4 of the line"):
        reading(path, encoding="utf-8")


def test_gbk_file_is_not_mistaken_for_utf8_with_stray_bytes(tmp_path):
    path = write_csv(tmp_path / "schools.csv", export_rows(numbers=False), "gbk")
    assert "(encoding gb18030)" in reading(path).source


# ------------------------------------------------------------------------------ command line


def _cli(capsys, *argv):
    code = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


def test_cli_sheet_option_and_detection(tmp_path, capsys):
    canonical = _cli(capsys, "counties", demo_path("demo_county_schools.csv"), "--format", "csv")
    path = write_xlsx(tmp_path / "schools.xlsx", {"填表说明": NOTES, "学校": export_rows()})
    for extra in ((), ("--sheet", "学校"), ("--sheet", "1")):
        code, out, _ = _cli(capsys, "counties", path, "--format", "csv", *extra)
        assert code == 0
        assert out == canonical[1]
    code, _, err = _cli(capsys, "counties", path, "--sheet", "0")
    assert code == 2
    assert "missing_required_column" in err
    code, _, err = _cli(capsys, "counties", path, "--sheet", "学生")
    assert code == 2
    assert "no sheet '学生'; sheets: 填表说明, 学校" in err
    assert "--sheet NAME" in err


def test_cli_assess_reports_the_totals_row_with_sheet_given(tmp_path, capsys):
    path = write_xlsx(tmp_path / "schools.xlsx", {"填表说明": NOTES, "学校": export_rows()})
    code, out, _ = _cli(capsys, "assess", path, "--sheet", "学校", "--format", "json")
    assert code == 0
    assert '"totals_row"' in out
    code, canonical, _ = _cli(
        capsys, "assess", demo_path("demo_county_schools.csv"), "--format", "json"
    )
    assert code == 0
    verdict = re.compile(r'"(?:status|passed)": [^,\n]*')
    assert verdict.findall(out) == verdict.findall(canonical)


def test_cli_encoding_option(tmp_path, capsys):
    path = write_csv(tmp_path / "schools.csv", export_rows(numbers=False), "gbk")
    canonical = _cli(capsys, "counties", demo_path("demo_county_schools.csv"), "--format", "csv")
    code, out, _ = _cli(capsys, "counties", path, "--encoding", "gbk", "--format", "csv")
    assert code == 0
    assert out == canonical[1]
    code, _, err = _cli(capsys, "counties", path, "--encoding", "utf-8")
    assert code == 2
    assert "cannot decode" in err
    assert "--encoding" in err


def _subprocess_demo(encoding):
    environment = {**os.environ, "PYTHONIOENCODING": encoding}
    environment.pop("PYTHONUTF8", None)
    return subprocess.run(
        [sys.executable, "-m", "eduequity", "demo"],
        capture_output=True,
        check=False,
        timeout=120,
        env=environment,
    )


def test_demo_on_a_gbk_terminal_writes_readable_gbk():
    completed = _subprocess_demo("gbk")
    assert completed.returncode == 0, completed.stderr.decode("gbk", "replace")
    assert b"Traceback" not in completed.stderr
    text = completed.stdout.decode("gbk")  # strict: every byte is GBK
    assert "县域义务教育优质均衡发展督导评估报告" in text
    assert "m2 per pupil" in text  # m² has no GBK code: written m2
    assert "m²" not in text


def test_demo_on_an_ascii_terminal_is_written_in_utf8():
    completed = _subprocess_demo("ascii")
    assert completed.returncode == 0, completed.stderr.decode("utf-8", "replace")
    assert b"Traceback" not in completed.stderr
    assert "县域义务教育优质均衡发展督导评估报告" in completed.stdout.decode("utf-8")


# ------------------------------------------------------------------------------ layout rows


def _csv_of(rows):
    return "\n".join(",".join(str(cell) for cell in row) for row in rows) + "\n"


def test_column_number_row_and_signature_lines_are_skipped(tmp_path, expected):
    header = list(CANONICAL.columns)
    numbers = ["甲", "乙", *[str(i) for i in range(1, len(header) - 1)]]
    rows = [header, numbers, *CANONICAL.to_numpy().tolist(), ["填表人：张三", "", "审核人：李四"]]
    path = tmp_path / "schools.csv"
    path.write_text(_csv_of(rows), encoding="utf-8")
    loaded = _assert_same_assessment(path, expected)
    assert "row 2 numbers the columns (甲, 乙, 1, 2, …) and is skipped" in loaded.conversions
    assert f"note lines under the table ignored (row {len(rows)})" in loaded.conversions
    assert loaded.frame.index[0] == 3


def test_a_unit_row_never_rescales_silently(tmp_path):
    header = list(CANONICAL.columns)
    units = ["" for _ in header]
    units[header.index("school_id")] = "(人)"  # nothing to convert under an id: ignored
    units[header.index("sports_ground_area_m2")] = "亩"  # an area in mu: refused
    path = tmp_path / "schools.csv"
    path.write_text(_csv_of([header, units, *CANONICAL.to_numpy().tolist()]), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        reading(path)
    (issue,) = [issue for issue in caught.value.errors if issue.code == "unsupported_unit"]
    assert issue.column == "sports_ground_area_m2"
    assert issue.header == "sports_ground_area_m2(亩)"


def test_cli_stray_byte_names_the_line_and_the_option(tmp_path, capsys):
    data = demo_path("demo_county_schools.csv").read_bytes()
    cut = data.index(b"\n", data.index(b"\n") + 1) + 5  # in row 3
    path = tmp_path / "schools.csv"
    path.write_bytes(data[:cut] + b"\xff" + data[cut:])
    code, out, err = _cli(capsys, "counties", path)
    assert code == 2
    assert out == ""
    assert "byte 0xff at line 3, byte 5 of the line" in err
    assert "--encoding" in err


@pytest.mark.parametrize(
    ("command", "demo_file"), [("checklist", "demo_city_checklist"), ("city", "demo_city_register")]
)
def test_cli_sheet_option_on_the_other_commands(tmp_path, capsys, command, demo_file):
    frame = pd.read_csv(demo_path(f"{demo_file}.csv"), dtype=str, keep_default_na=False)
    rows = [list(frame.columns), *frame.to_numpy().tolist()]
    path = write_xlsx(tmp_path / f"{demo_file}.xlsx", {"说明": NOTES, "数据": rows})
    code, canonical, _ = _cli(capsys, command, demo_path(f"{demo_file}.csv"), "--format", "json")
    assert code == 0
    for sheet in ("数据", "1"):
        code, out, _ = _cli(capsys, command, path, "--sheet", sheet, "--format", "json")
        assert code == 0
        assert out.replace(str(path), "X") == canonical.replace(
            str(demo_path(f"{demo_file}.csv")), "X"
        )
    code, _, err = _cli(capsys, command, path, "--sheet", "0")
    assert code == 2
    assert "missing_required_column" in err


def test_excel_unicode_text_export_is_read(tmp_path, expected):
    # Excel's "Unicode text (*.txt)": UTF-16 with a byte-order mark, tab-separated
    rows = export_rows(numbers=False)
    text = "\r\n".join("\t".join(str(cell) for cell in row) for row in rows) + "\r\n"
    path = tmp_path / "schools.txt"
    path.write_bytes(text.encode("utf-16"))
    loaded = _assert_same_assessment(path, expected)
    _assert_export_read(loaded)
    assert loaded.source.endswith("(encoding utf-16, tab-separated)")


# ------------------------------------------------------------------------------ invariants

SMALL = CANONICAL.head(8)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    titles=st.lists(st.sampled_from([TITLE, UNITS, "", "制表单位：示范县教育局"]), max_size=4),
    blanks=st.sets(st.integers(0, len(SMALL) - 1), max_size=3),
    totals=st.sets(st.integers(0, len(SMALL)), max_size=2),
    word=st.sampled_from(["合计", "总 计", "小计", "全县合计", "合　计", "城区小计"]),
)
def test_title_blank_and_totals_rows_never_change_the_data(titles, blanks, totals, word):
    """Rows around and between the data are skipped; the data rows keep their file rows."""
    header = list(SMALL.columns)
    data = SMALL.to_numpy().tolist()
    lines = [[title] if title else [] for title in titles]
    lines.append(header)
    expected_rows = []
    for position in range(len(data) + 1):
        if position in totals:
            lines.append([word, "", "示范县"])
        if position == len(data):
            break
        if position in blanks:
            lines.append([])
        lines.append(data[position])
        expected_rows.append(len(lines))
    text = "\n".join(",".join(line) for line in lines) + "\n"
    path = Path(tempfile.mkdtemp()) / "schools.csv"
    path.write_text(text, encoding="utf-8")
    loaded = reading(path)
    canonical = reading(SMALL).frame
    pd.testing.assert_frame_equal(
        loaded.frame.reset_index(drop=True), canonical.reset_index(drop=True)
    )
    assert loaded.frame.index.tolist() == expected_rows
    assert len([i for i in loaded.issues if i.code == "totals_row"]) == len(totals)


def test_a_header_repeated_for_printing_is_skipped(tmp_path, expected):
    rows = export_rows()
    header_at = 2  # row 3
    rows.insert(20, list(rows[header_at]))  # on row 21, as a page break repeats it
    path = write_xlsx(tmp_path / "schools.xlsx", {"学校": rows})
    loaded = _assert_same_assessment(path, expected)
    assert "the header repeated under it skipped (row 21)" in loaded.conversions
    assert 21 not in loaded.frame.index
    assert loaded.frame.index[-1] == TOTALS_ROW  # the rows after it keep their numbers
