"""The generic reader: sources, header matching, unit conversion, cell parsing, the result."""

import json
from decimal import Decimal

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.io._school_rows import assert_located, issue_of
from tests.strategies import decimal_texts

from eduequity.errors import EduEquityError, InputError, InvalidArgumentError, InvalidTypeError
from eduequity.io import (
    ColumnSpec,
    EnumSpec,
    EnumValue,
    LoadedTable,
    TableSchema,
    read_table,
)

COLOUR = EnumSpec(
    values=(
        EnumValue(value="red", aliases=("红色",), codes=("1",)),
        EnumValue(value="blue", aliases=("蓝色",), codes=("2",)),
    ),
    hints={"绿色": "green is not offered"},
)

SCHEMA = TableSchema(
    name="demo",
    title="demo table",
    columns=(
        ColumnSpec(
            name="code",
            kind="string",
            identifier=True,
            aliases=("编号",),
            required=True,
            cell_required=True,
        ),
        ColumnSpec(name="name", kind="string", aliases=("名称",)),
        ColumnSpec(name="pupils", kind="count", unit="pupils", aliases=("学生数",)),
        ColumnSpec(name="area_m2", kind="decimal", unit="m2", aliases=("面积",)),
        ColumnSpec(name="value_yuan", kind="decimal", unit="yuan", aliases=("设备值",)),
        ColumnSpec(name="share", kind="rate", unit="fraction", aliases=("占比",)),
        ColumnSpec(name="flag", kind="bool", aliases=("是否达标",)),
        ColumnSpec(name="colour", kind="enum", enum=COLOUR, aliases=("颜色",)),
        ColumnSpec(name="year", kind="year", unit="year", aliases=("年度",)),
        ColumnSpec(name="day", kind="date", aliases=("日期",)),
    ),
    key_columns=("code",),
)


def read(frame, **options):
    return read_table(frame, SCHEMA, **options)


def frame_of(**columns):
    return pd.DataFrame({key: list(values) for key, values in columns.items()})


# --------------------------------------------------------------------------------------
# header matching (data-schema.md §0.1)


@pytest.mark.parametrize(
    "header",
    [
        "学生数",
        " 学生 数 ",
        "pupils",
        "PUPILS",
        "Ｐｕｐｉｌｓ",
        "学生数（人）",  # the column's own unit: accepted, nothing converted
        "学生数(人)",
    ],
)
def test_header_aliases(header):
    table = read(frame_of(编号=["a"], **{header: ["5"]}))
    assert table.frame["pupils"].tolist() == [5.0]
    assert table.headers["pupils"] == header
    assert table.conversions == ()


def test_wan_yuan_header_multiplies_in_decimal_arithmetic():
    # data-schema.md §0.1: 万元 → × 10 000. In binary floating point 0.07 * 10000 is
    # 700.0000000000001; the decimal product is exactly 700.
    assert 0.07 * 10000 != 700.0
    cells = ["12.35", "０.０７", "1,234.5"]
    table = read(frame_of(编号=["a", "b", "c"], **{"设备值（万元）": cells}))
    assert table.frame["value_yuan"].tolist() == [123500.0, 700.0, 12345000.0]
    assert table.conversions == ("value_yuan: header unit 万元, multiplied by 10000",)
    assert table.headers["value_yuan"] == "设备值（万元）"


def test_wan_yuan_header_on_numeric_data_frame_column():
    table = read(frame_of(编号=["a"], **{"设备值(万元)": [12.35]}))
    assert table.frame["value_yuan"].tolist() == [123500.0]


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(decimal_texts(max_digits=11, max_places=4))
def test_wan_yuan_conversion_is_exact(item):
    text, exact = item
    table = read(frame_of(编号=["a"], **{"设备值（万元）": [text]}))
    value = table.frame["value_yuan"].iloc[0]
    assert value == float(exact * 10000)
    assert Decimal(repr(float(value))) == exact * 10000


@pytest.mark.parametrize("header", ["占比(%)", "占比（％）", "占比(百分比)", "占比%"])
def test_percentage_header_divides_by_100(header):
    table = read(frame_of(编号=["a", "b", "c"], **{header: ["85", "12.5", "7%"]}))
    # 0.85 and 0.125 exactly as typed (85 / 100 in decimal); a % sign in a percentage
    # column means the same percentage, not a second division
    assert table.frame["share"].tolist() == [0.85, 0.125, 0.07]
    assert table.conversions[0].startswith("share: header unit")
    assert table.conversions[0].endswith("divided by 100")


def test_percent_sign_in_a_rate_column():
    table = read(frame_of(编号=["a", "b"], 占比=["35%", "0.35"]))
    assert table.frame["share"].tolist() == [0.35, 0.35]


@pytest.mark.parametrize(("header", "unit"), [("面积（亩）", "亩"), ("设备值(千元)", "千元")])
def test_unsupported_unit(header, unit):
    with pytest.raises(InputError) as caught:
        read(frame_of(编号=["a"], **{header: ["3"]}))
    (issue,) = issue_of(caught.value, "unsupported_unit")
    assert issue.header == header
    assert issue.value == unit
    assert header in issue.message
    assert "nothing is rescaled silently" in issue.message


def test_unit_on_a_column_without_unit_is_rejected():
    with pytest.raises(InputError) as caught:
        read(frame_of(编号=["a"], **{"名称(万元)": ["x"]}))
    assert [issue.code for issue in caught.value.errors] == ["unsupported_unit"]


def test_duplicate_column():
    frame = pd.DataFrame([["a", "1", "2"]], columns=["编号", "学生数", "pupils"])
    with pytest.raises(InputError) as caught:
        read(frame)
    (issue,) = issue_of(caught.value, "duplicate_column")
    assert issue.column == "pupils"
    assert "'学生数'" in issue.message
    assert "'pupils'" in issue.message


def test_identical_duplicate_headers_in_a_csv(tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text("编号,学生数,学生数\na,1,2\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_table(path, SCHEMA)
    assert [issue.code for issue in caught.value.errors] == ["duplicate_column"]


def test_missing_required_column_lists_the_aliases():
    with pytest.raises(InputError) as caught:
        read(frame_of(学生数=["1"]))
    (issue,) = caught.value.errors
    assert issue.code == "missing_required_column"
    assert issue.column == "code"
    assert "'code', '编号'" in issue.message


def test_unknown_columns_are_kept_for_data_frames_and_warned():
    frame = pd.DataFrame({"编号": ["a"], "备注": [object()], 7: [1.5]})
    table = read(frame)
    assert list(table.frame.columns) == ["code", "备注", 7]
    assert table.frame.loc[0, "备注"] is frame.loc[0, "备注"]
    warnings = issue_of(table.issues, "unknown_column")
    assert [issue.value for issue in warnings] == ["备注", "7"]
    assert all(issue.severity == "warning" for issue in warnings)


def test_unknown_columns_of_files_are_ignored(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("编号,备注,,学生数\na,note,,3\n", encoding="utf-8")
    table = read_table(path, SCHEMA)
    assert list(table.frame.columns) == ["code", "pupils"]
    # the blank header over an empty column is an export artefact: nothing to report
    assert [issue.value for issue in issue_of(table.issues, "unknown_column")] == ["备注"]


def test_blank_header_over_data_is_reported(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("编号,\na,42\n", encoding="utf-8")
    (issue,) = read_table(path, SCHEMA).issues
    assert issue.code == "unknown_column"
    assert "column 2 has no header" in issue.message


# --------------------------------------------------------------------------------------
# sources


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_encodings_are_detected(tmp_path, encoding):
    path = tmp_path / f"{encoding}.csv"
    path.write_bytes("编号,名称,学生数\n0012,第一小学,600\n".encode(encoding))
    table = read_table(path, SCHEMA)
    assert table.frame["code"].tolist() == ["0012"]
    assert table.frame["name"].tolist() == ["第一小学"]
    assert table.headers == {"code": "编号", "name": "名称", "pupils": "学生数"}
    expected = {"utf-8": "utf-8-sig", "utf-8-sig": "utf-8-sig", "gb18030": "gb18030"}[encoding]
    assert f"(encoding {expected})" in table.source


def test_explicit_encoding(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes("编号,名称\n1,甲\n".encode("gb18030"))
    assert read_table(path, SCHEMA, encoding="gb18030").frame["name"].tolist() == ["甲"]
    with pytest.raises(InvalidArgumentError, match="cannot decode"):
        read_table(path, SCHEMA, encoding="utf-8")
    with pytest.raises(InvalidArgumentError, match="unknown encoding"):
        read_table(path, SCHEMA, encoding="no-such-codec")


def test_csv_rows_are_numbered_like_a_spreadsheet(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("编号,学生数\na,1\n,\nb,x\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_table(path, SCHEMA)
    (issue,) = caught.value.errors
    # header = row 1, a = row 2, the blank line = row 3, b = row 4
    assert_located(issue, row=4, column="pupils", header="学生数", key="code=b")
    assert issue.code == "not_a_number"


def test_blank_rows_are_skipped_and_counted(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("编号,学生数\na,1\n,\nb,2\n", encoding="utf-8")
    table = read_table(path, SCHEMA)
    assert table.frame.index.tolist() == [2, 4]
    assert table.frame.index.name == "row"
    assert table.conversions == ("1 blank rows ignored (row 3)",)
    assert table.rows_read == 2


def test_excel_round_trip(tmp_path):
    path = tmp_path / "t.xlsx"
    book = openpyxl.Workbook()
    first = book.active
    first.title = "封面"
    first.append(["说明"])
    sheet = book.create_sheet("学校")
    sheet.append(["编号", "学生数", "设备值（万元）", "占比(%)", "是否达标", "日期", "颜色"])
    sheet.append(["0012", 600, 12.35, 85, "是", "2024年9月1日", "红色"])
    sheet.append(["0013", "1,200", "0.5", "7.5", "否", None, 2])
    book.save(path)
    table = read_table(path, SCHEMA, sheet="学校")
    frame = table.frame
    assert frame.index.tolist() == [2, 3]
    assert frame["code"].tolist() == ["0012", "0013"]
    assert frame["pupils"].tolist() == [600.0, 1200.0]
    assert frame["value_yuan"].tolist() == [123500.0, 5000.0]
    assert frame["share"].tolist() == [0.85, 0.075]
    assert frame["flag"].tolist() == [True, False]
    assert frame["day"].iloc[0] == pd.Timestamp("2024-09-01")
    assert pd.isna(frame["day"].iloc[1])
    assert frame["colour"].tolist() == ["red", "blue"]
    assert "sheet '学校'" in table.source
    assert read_table(path, SCHEMA, sheet=1).frame["code"].tolist() == ["0012", "0013"]


def test_excel_sheet_errors(tmp_path):
    path = tmp_path / "t.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "甲"
    book.save(path)
    with pytest.raises(InvalidArgumentError, match="no sheet '乙'; sheets: 甲"):
        read_table(path, SCHEMA, sheet="乙")
    with pytest.raises(InvalidArgumentError, match="out of range"):
        read_table(path, SCHEMA, sheet=3)


def test_spreadsheet_without_calamine_names_a_command_that_works(tmp_path, monkeypatch):
    import importlib.util  # noqa: PLC0415 - patched below

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *_: None if name == "python_calamine" else real(name),
    )
    with pytest.raises(EduEquityError, match="python -m pip install python-calamine") as caught:
        read_table(tmp_path / "t.xlsx", SCHEMA)
    assert caught.value.code == "missing_dependency"
    assert '"eduequity[excel]"' in str(caught.value)


def test_unsupported_sources(tmp_path):
    with pytest.raises(InvalidArgumentError, match=r"expected a \.csv or \.txt file"):
        read_table(tmp_path / "t.pdf", SCHEMA)
    with pytest.raises(InvalidTypeError, match="got list"):
        read_table([["编号"], ["a"]], SCHEMA)
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(InvalidArgumentError, match="empty"):
        read_table(empty, SCHEMA)


def test_arrow_like_tables_are_converted():
    class ArrowLike:
        def to_pandas(self):
            return frame_of(编号=["x"], 学生数=[3])

    assert read_table(ArrowLike(), SCHEMA).frame["pupils"].tolist() == [3.0]


# --------------------------------------------------------------------------------------
# data frames, rows and keys


def test_data_frame_rows_are_named_by_index_label():
    frame = frame_of(编号=["a", "b", "c"], 学生数=["1", "2.5", "-3"])
    frame.index = pd.Index(["东校", "西校", "南校"], name="site")
    with pytest.raises(InputError) as caught:
        read(frame)
    # issues follow the order of the index labels (南校 < 西校), whatever the row order
    negative, fraction = caught.value.errors
    assert fraction.code == "non_integer_count"
    assert_located(fraction, row="西校", column="pupils", header="学生数", key="code=b")
    assert negative.code == "negative_value"
    assert_located(negative, row="南校", column="pupils", header="学生数", key="code=c")


def test_data_frame_index_is_kept():
    frame = frame_of(编号=["a", "b"], 学生数=[1, 2])
    frame.index = pd.Index([10, 20], name="id")
    table = read(frame)
    assert table.frame.index.tolist() == [10, 20]
    assert table.frame.index.name == "id"


def test_numeric_data_frames_are_accepted_and_validated():
    frame = pd.DataFrame(
        {
            "code": np.array([370102001, 370102002, 370102003]),
            "pupils": np.array([12.0, 12.5, np.nan]),
            "share": [0.5, 1.5, np.inf],  # a float column: read as is, then validated
            "year": [2024, 2024.5, 24],
        }
    )
    with pytest.raises(InputError) as caught:
        read(frame)
    found = {(issue.code, issue.row, issue.column) for issue in caught.value.errors}
    assert found == {
        ("non_integer_count", 1, "pupils"),
        ("rate_out_of_range", 1, "share"),
        ("not_a_number", 2, "share"),
        ("not_a_number", 1, "year"),
        ("not_a_number", 2, "year"),
    }
    (hint,) = issue_of(caught.value, "rate_out_of_range")
    assert "looks like a percentage" in hint.message
    assert "code=370102002" in hint.message


def test_ids_keep_leading_zeros():
    table = read(frame_of(编号=["0012", "００３４", " 0056 "]))
    assert table.frame["code"].tolist() == ["0012", "0034", "0056"]
    assert table.frame["code"].dtype == object


def test_text_cells_of_a_numeric_data_frame_column():
    table = read(pd.DataFrame({"code": ["a", "b", "c"], "pupils": [1, "2", None]}, dtype=object))
    assert table.frame["pupils"].tolist()[:2] == [1.0, 2.0]
    assert np.isnan(table.frame["pupils"].iloc[2])


def test_counts_accept_whole_decimals():
    assert read(frame_of(code=["a"], pupils=["12.0"])).frame["pupils"].tolist() == [12.0]


def test_rate_above_one_without_percent_sign():
    with pytest.raises(InputError) as caught:
        read(frame_of(code=["a", "b"], 占比=["85", "250"]))
    first, second = caught.value.errors
    assert first.code == second.code == "rate_out_of_range"
    assert "looks like a percentage" in first.message
    assert "looks like a percentage" not in second.message  # 250 is no percentage either


def test_percent_sign_outside_rate_columns():
    with pytest.raises(InputError) as caught:
        read(frame_of(code=["a"], 学生数=["85%"]))
    (issue,) = caught.value.errors
    assert issue.code == "not_a_number"
    assert "accepted only in rate columns" in issue.message


def test_booleans_enums_dates_and_years():
    table = read(
        frame_of(
            code=["a", "b", "c"],
            是否达标=["有", "n", "—"],
            颜色=["蓝色", " RED ", "1"],
            日期=["2024-09-01", "2024年9月1日", ""],
            年度=["2024", "2024.0", "NA"],
        )
    )
    frame = table.frame
    assert frame["flag"].tolist()[:2] == [True, False]
    assert pd.isna(frame["flag"].iloc[2])
    assert str(frame["flag"].dtype) == "boolean"
    assert frame["colour"].tolist() == ["blue", "red", "red"]
    assert frame["day"].tolist()[:2] == [pd.Timestamp("2024-09-01")] * 2
    assert frame["year"].tolist()[:2] == [2024.0, 2024.0]
    assert np.isnan(frame["year"].iloc[2])


def test_bad_booleans_enums_dates_and_years():
    with pytest.raises(InputError) as caught:
        read(
            frame_of(code=["a"], 是否达标=["也许"], 颜色=["绿色"], 日期=["2024-13-01"], 年度=["24"])
        )
    by_code = {issue.code: issue for issue in caught.value.errors}
    assert set(by_code) == {"not_a_boolean", "unknown_value", "bad_date", "not_a_number"}
    unknown = by_code["unknown_value"]
    assert "red (红色, 1); blue (蓝色, 2)" in unknown.message
    assert "green is not offered" in unknown.message
    assert "'24' is not a four-digit year" in by_code["not_a_number"].message


def test_value_maps_add_labels():
    table = read(frame_of(code=["a"], 颜色=["绯红"]), value_maps={"colour": {"绯红": "red"}})
    assert table.frame["colour"].tolist() == ["red"]
    with pytest.raises(InvalidArgumentError, match="not one of red, blue"):
        read(frame_of(code=["a"]), value_maps={"colour": {"绯红": "crimson"}})


def test_empty_as_zero_is_explicit_and_listed():
    frame = frame_of(code=["a", "b", "c"], 学生数=["", "—", "4"])
    plain = read(frame)
    assert np.isnan(plain.frame["pupils"].iloc[:2]).all()
    zeroed = read(frame, empty_as_zero=["pupils"])
    assert zeroed.frame["pupils"].tolist() == [0.0, 0.0, 4.0]
    assert zeroed.empty_as_zero == ("pupils",)
    assert "pupils: 2 missing cells read as 0 (empty_as_zero)" in zeroed.conversions
    with pytest.raises(InvalidArgumentError, match="not a column"):
        read(frame, empty_as_zero=["nope"])
    with pytest.raises(InvalidArgumentError, match="numeric columns"):
        read(frame, empty_as_zero=["name"])


def test_all_problems_are_collected_into_one_error():
    frame = frame_of(
        code=["a", "b", ""],
        学生数=["1a", "2", "3.5"],
        占比=["0.2", "120", "x"],
        颜色=["紫", "red", "blue"],
    )
    with pytest.raises(InputError) as caught:
        read(frame)
    error = caught.value
    codes = [(issue.code, issue.row) for issue in error.errors]
    # row by row, and within a row in the schema's column order
    assert codes == [
        ("not_a_number", 0),
        ("unknown_value", 0),
        ("rate_out_of_range", 1),
        ("missing_value", 2),
        ("non_integer_count", 2),
        ("not_a_number", 2),
    ]
    text = str(error)
    assert text.startswith("6 problems in table 'demo':")
    assert len(text.splitlines()) == 7
    assert error.code == "invalid_input"


def test_loaded_table_is_frozen_and_json_safe():
    table = read(
        frame_of(code=["a", "b"], 是否达标=["是", ""], 日期=["2024-09-01", ""], 学生数=["1", ""])
    )
    assert isinstance(table, LoadedTable)
    with pytest.raises(AttributeError):
        table.table = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        table.headers["x"] = "y"  # type: ignore[index]
    data = table.to_dict()
    text = json.dumps(data, ensure_ascii=False)
    restored = json.loads(text)
    assert restored["frame"] == [
        {"code": "a", "pupils": 1.0, "flag": True, "day": "2024-09-01T00:00:00"},
        {"code": "b", "pupils": None, "flag": None, "day": None},
    ]
    assert restored["headers"] == {
        "code": "code",
        "pupils": "学生数",
        "flag": "是否达标",
        "day": "日期",
    }
    assert restored["table"] == "demo"


def test_schema_rejects_a_header_claimed_twice():
    with pytest.raises(InvalidArgumentError, match="claimed by a and b"):
        TableSchema(
            name="bad",
            title="bad",
            columns=(
                ColumnSpec(name="a", kind="count", aliases=("学生数",)),
                ColumnSpec(name="b", kind="count", aliases=("学生 数",)),
            ),
        )
    with pytest.raises(InvalidArgumentError, match="exactly for kind 'enum'"):
        ColumnSpec(name="c", kind="enum")


@settings(max_examples=50, deadline=None)
@given(st.permutations(range(5)))
def test_issues_do_not_depend_on_row_order(order):
    frame = frame_of(code=["a", "b", "c", "d", "e"], 学生数=["1", "x", "2.5", "-1", "7"])
    frame = frame.iloc[list(order)]
    with pytest.raises(InputError) as caught:
        read(frame)
    found = {(issue.code, issue.row, issue.key) for issue in caught.value.errors}
    assert found == {
        ("not_a_number", 1, "code=b"),
        ("non_integer_count", 2, "code=c"),
        ("negative_value", 3, "code=d"),
    }
