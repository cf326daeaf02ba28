"""Exports: every city and checklist table as CSV, JSON and Excel, with provenance.

The neutralising rule is OWASP's for CSV injection (cells beginning with =, +, -, @, tab or
carriage return); the personal fields are those of the recommendation form
(``creation-checklist.md`` §4, fields 14 and 15).
"""

import csv
import json

import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

import eduequity
from eduequity.checklist import (
    REDACTED,
    evaluate_checklist,
    read_checklist_records,
    recommendation_form,
)
from eduequity.city import (
    CITY_TABLES,
    COLUMN_LABELS,
    ExportResult,
    assess_city,
    export,
)
from eduequity.city.exports import _neutralise
from eduequity.datasets import demo_path
from eduequity.errors import InvalidArgumentError, InvalidTypeError

INJECTIONS = ['=HYPERLINK("http://x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\ry"]


def _csv_rows(path):
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


@pytest.fixture(scope="module")
def city():
    return assess_city(
        demo_path("demo_city_register.csv"),
        demo_path("demo_city_schools.csv"),
        target_year=2030,
        today="2025-06-30",
    )


@pytest.fixture(scope="module")
def city_export(city, tmp_path_factory):
    folder = tmp_path_factory.mktemp("city")
    return export(city, folder, generated="2025-07-01")


def test_every_city_table_is_written_in_every_format(city_export):
    assert isinstance(city_export, ExportResult)
    # no funding series and no survey were given: their tables are absent, the rest written
    assert set(city_export.absent) == {
        "funding_growth",
        "three_growths",
        "average_growth",
        "early_warnings",
        "recognition_by_county",
        "wealth_neutrality",
        "wealth_counties",
    }
    assert set(city_export.tables) | set(city_export.absent) == set(CITY_TABLES)
    names = {path.name for path in city_export.files}
    for table in city_export.tables:
        assert {f"{table}.csv", f"{table}.json"} <= names
    assert "city.xlsx" in names


def test_provenance_is_in_every_file(city_export):
    version = eduequity.__version__
    for path in city_export.files:
        if path.suffix == ".csv":
            first = _csv_rows(path)[0]
            assert len(first) == 1
            text = first[0]
        elif path.suffix == ".json":
            provenance = json.loads(path.read_text("utf-8"))["provenance"]
            assert provenance["generated"] == "2025-07-01"
            assert provenance["eduequity_version"] == version
            assert provenance["rules"][0]["id"] == "cn_moe_2017_quality_balance"
            continue
        else:
            book = CalamineWorkbook.from_path(str(path))
            about = book.get_sheet_by_name("about").to_python()
            text = about[1][1]
            for name in city_export.tables:
                assert (
                    book.get_sheet_by_name(name)
                    .to_python()[0][0]
                    .startswith(f"eduequity export: {name} ")
                )
        assert "rule set cn_moe_2017_quality_balance 1.0.0" in text
        assert "generated 2025-07-01" in text
        assert f"eduequity {version}" in text
        assert "示范市 (Demo City)" in text


def test_headers_are_bilingual_for_every_column_of_every_table(tmp_path):
    # a city with every table: funding, published figures, recognition by county, wealth
    finance = pd.DataFrame(
        {
            "county": ["甲县", "甲县", "乙县", "乙县"],
            "year": [2023, 2024] * 2,
            "education_expenditure_yuan": [1.0e9, 1.1e9, 2.0e9, 2.1e9],
            "students": [1.0e5, 1.0e5, 1.5e5, 1.5e5],
            "recurring_revenue_yuan": [3.0e9, 3.2e9, 8.0e9, 8.5e9],
            "staff_salary_total_yuan": [5.0e8, 5.2e8, 9.0e8, 9.1e8],
            "public_funds_per_pupil_yuan": [9000.0, 9500.0, 12000.0, 12500.0],
        }
    )
    with_everything = assess_city(
        demo_path("demo_city_register.csv"),
        demo_path("demo_city_schools.csv"),
        funding=finance,
        facts=demo_path("demo_county_facts.csv"),
        survey=demo_path("demo_county_survey.csv"),
        province_total=9,
        today="2025-06-30",
    )
    assert with_everything.figures is not None
    assert with_everything.recognition is not None
    assert with_everything.wealth is not None
    records = read_checklist_records(demo_path("demo_city_checklist.csv"))
    form = recommendation_form(
        "示范县 (Demo County)",
        schools=demo_path("demo_county_schools.csv"),
        facts=demo_path("demo_county_facts.csv"),
    )
    sources = [with_everything, evaluate_checklist(records), records, form]
    for number, source in enumerate(sources):
        written = export(source, tmp_path / str(number), formats=("json",))
        assert not written.absent
        for path in written.files:
            columns = json.loads(path.read_text("utf-8"))["columns"]
            unlabelled = [column["id"] for column in columns if not column["label_zh"]]
            assert unlabelled == [], path.name


def test_the_csv_header_row_reads_label_then_id(city_export):
    rows = _csv_rows(city_export.directory / "city_figures.csv")
    assert rows[1][:3] == [
        "学段 stage",
        "指标 indicator",
        f"{COLUMN_LABELS['n_counties']} n_counties",
    ]
    assert "差异系数 cv" in rows[1]
    frame = pd.read_csv(city_export.directory / "city_figures.csv", skiprows=1)
    assert len(frame) == 14  # 7 indicators x 2 stages


def test_xlsx_round_trip_with_calamine(tmp_path):
    table = pd.DataFrame(
        {
            "county": ["甲县", "乙县"],
            "year": [2024, 2025],
            "cv": [0.123456789012, -0.5],
            "passed": [True, False],
            "note": [None, "备注"],
        }
    )
    written = export({"sample": table}, tmp_path, formats=("xlsx",), workbook="book")
    (path,) = written.files
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("sample").to_python()
    assert rows[1] == [
        "县（市、区） county",
        "年度 year",
        "差异系数 cv",
        "达标 passed",
        "备注 note",
    ]
    assert rows[2] == ["甲县", 2024, 0.123456789012, True, ""]
    assert rows[3] == ["乙县", 2025, -0.5, False, "备注"]


def test_injection_looking_text_is_neutralised_numbers_stay_numbers(tmp_path):
    table = pd.DataFrame({"county": INJECTIONS, "value": [-1.5, -2, 3, 0, 1e-9, -0.0]})
    written = export({"tricky": table}, tmp_path, workbook="tricky")
    rows = _csv_rows(tmp_path / "tricky.csv")[2:]
    assert [row[0] for row in rows] == ["'" + text for text in INJECTIONS]
    assert [float(row[1]) for row in rows] == [-1.5, -2, 3, 0, 1e-9, -0.0]
    assert all(not row[1].startswith("'") for row in rows)
    # JSON holds the data as it is
    document = json.loads((tmp_path / "tricky.json").read_text("utf-8"))
    assert [row["county"] for row in document["rows"]] == INJECTIONS
    # Excel: text cells, no formula, numbers as numbers
    sheet = openpyxl.load_workbook(tmp_path / "tricky.xlsx")["tricky"]
    for offset, text in enumerate(INJECTIONS):
        cell = sheet.cell(row=3 + offset, column=1)
        assert cell.data_type == "s"
        # XML turns a lone CR into LF when the workbook is read (end-of-line handling)
        assert cell.value == "'" + text.replace("\r", "\n")
        assert sheet.cell(row=3 + offset, column=2).data_type == "n"
    assert written.tables == ("tricky",)


def test_an_injection_looking_city_name_is_neutralised_in_the_title(tmp_path):
    register = pd.read_csv(demo_path("demo_city_register.csv"), dtype=str)
    register["city"] = "=cmd()"
    result = assess_city(register, today="2025-06-30")
    export(result, tmp_path, formats=("csv",))
    first = _csv_rows(tmp_path / "register_units.csv")[0][0]
    assert first.startswith("eduequity export")  # the title does not begin with the name
    rows = _csv_rows(tmp_path / "register_units.csv")
    city_column = rows[1].index("地市 city")
    assert {row[city_column] for row in rows[2:]} == {"'=cmd()"}


@given(st.text(max_size=20))
def test_a_neutralised_cell_never_starts_a_formula(text):
    cell = _neutralise(text)
    assert not str(cell).startswith(("=", "+", "-", "@", "\t", "\r"))
    assert cell in {text, "'" + text}


def test_personal_columns_are_redacted_by_default(tmp_path):
    table = pd.DataFrame(
        {
            "county": ["甲县", "乙县"],
            "contact_name": ["张三", None],
            "contact_phone": ["+86 1", None],
        }
    )
    written = export({"contacts": table}, tmp_path / "default")
    assert written.redacted == ("contacts.contact_name", "contacts.contact_phone")
    rows = _csv_rows(tmp_path / "default" / "contacts.csv")
    assert rows[2][1:] == [REDACTED, REDACTED]
    assert rows[3][1:] == ["", ""]  # nothing given: nothing to hide
    document = (tmp_path / "default" / "contacts.json").read_text("utf-8")
    assert "张三" not in document
    sheet = CalamineWorkbook.from_path(str(tmp_path / "default" / "tables.xlsx"))
    assert sheet.get_sheet_by_name("contacts").to_python()[2][1] == REDACTED
    shown = export({"contacts": table}, tmp_path / "shown", include_personal=True)
    assert shown.redacted == ()
    rows = _csv_rows(tmp_path / "shown" / "contacts.csv")
    assert rows[2][1:] == ["张三", "'+86 1"]


def test_the_form_export_redacts_its_contacts(tmp_path):
    form = recommendation_form(
        "甲县", entries={"contact_name": "@张三", "lead_official_phone": "-1234"}
    )
    written = export(form, tmp_path)
    assert "recommendation_form.xlsx" in {path.name for path in written.files}
    text = (tmp_path / "recommendation_form.csv").read_text("utf-8-sig")
    assert "张三" not in text
    assert "-1234" not in text
    assert REDACTED in text
    shown = export(form, tmp_path / "shown", include_personal=True, formats=("csv",))
    rows = _csv_rows(shown.directory / "recommendation_form.csv")
    values = {row[1]: row[5] for row in rows[2:]}
    assert values["contact_name"] == "'@张三"
    assert values["lead_official_phone"] == "'-1234"


def test_empty_tables_keep_their_header_and_provenance(tmp_path):
    empty = pd.DataFrame({"county": pd.Series(dtype=object), "cv": pd.Series(dtype=float)})
    written = export({"nothing": empty}, tmp_path, generated="2024-01-02")
    assert written.empty == ("nothing",)
    rows = _csv_rows(tmp_path / "nothing.csv")
    assert len(rows) == 2
    assert "generated 2024-01-02" in rows[0][0]
    assert rows[1] == ["县（市、区） county", "差异系数 cv"]
    document = json.loads((tmp_path / "nothing.json").read_text("utf-8"))
    assert document["rows"] == []
    assert document["provenance"]["generated"] == "2024-01-02"
    book = CalamineWorkbook.from_path(str(tmp_path / "tables.xlsx"))
    assert book.get_sheet_by_name("nothing").to_python()[1] == [
        "县（市、区） county",
        "差异系数 cv",
    ]


def test_a_city_without_schools_reports_the_absent_tables(tmp_path):
    result = assess_city(demo_path("demo_city_register.csv"), today="2025-06-30")
    written = export(result, tmp_path, formats=("csv",))
    assert "city_figures" in written.absent
    assert "register_units" in written.tables
    assert not (tmp_path / "city_figures.csv").exists()


def test_checklist_exports_carry_the_catalogue(tmp_path):
    evaluation = evaluate_checklist(demo_path("demo_city_checklist.csv"))
    written = export(evaluation, tmp_path, formats=("json", "csv"))
    assert written.provenance.catalogue == {"id": "cn_moe_2021_creation", "version": "1.0.0"}
    first = _csv_rows(tmp_path / "checklist_items.csv")[0][0]
    assert "catalogue cn_moe_2021_creation 1.0.0" in first
    frame = pd.read_csv(tmp_path / "checklist_summary.csv", skiprows=1)
    assert len(frame) == len(evaluation.counties)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"formats": ("csv", "pdf")}, "formats=\\['csv', 'pdf'\\]: expected one or more of"),
        ({"formats": ()}, "expected one or more of csv, json, xlsx"),
        ({"generated": "01/02/2024"}, "generated='01/02/2024' is not a date"),
        ({"workbook": "my book"}, "table name 'my book' cannot name a file"),
    ],
)
def test_bad_options_are_named(tmp_path, kwargs, message):
    with pytest.raises(InvalidArgumentError, match=message):
        export({"ok": pd.DataFrame({"a": [1]})}, tmp_path, **kwargs)


def test_bad_tables_are_named(tmp_path):
    with pytest.raises(InvalidArgumentError, match="table name 'a/b' cannot name a file"):
        export({"a/b": pd.DataFrame({"a": [1]})}, tmp_path)
    with pytest.raises(InvalidTypeError, match="table 'rows' must be a pandas DataFrame; got list"):
        export({"rows": [1, 2]}, tmp_path)
    twice = pd.DataFrame([[1, 2]], columns=["cv", "cv"])
    with pytest.raises(
        InvalidArgumentError, match="table 'twice' has the column\\(s\\) \\['cv'\\]"
    ):
        export({"twice": twice}, tmp_path)
    with pytest.raises(InvalidTypeError, match="got int"):
        export(3, tmp_path)


def test_a_file_is_not_a_directory_and_inputs_are_protected(tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    with pytest.raises(InvalidArgumentError, match="it is a file; expected a directory"):
        export({"ok": pd.DataFrame({"a": [1]})}, blocker)
    kept = tmp_path / "ok.csv"
    kept.write_text("input")
    with pytest.raises(InvalidArgumentError, match="would overwrite the input file"):
        export({"ok": pd.DataFrame({"a": [1]})}, tmp_path, protect=[kept])
    assert kept.read_text() == "input"


def test_the_about_sheet_name_is_reserved(tmp_path):
    with pytest.raises(InvalidArgumentError, match="not 'about'"):
        export({"about": pd.DataFrame({"a": [1]})}, tmp_path)
