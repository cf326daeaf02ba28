"""Clean school-table rows (Chinese headers of data-schema.md §1) for the io tests.

Every row passes every check of §1.5 without a warning: per-pupil values sit well inside the
outlier limits, classes hold their pupils, and rooms have their areas. Tests change one cell
to provoke one problem.
"""

import pandas as pd

PRIMARY = {
    "学校标识码": "3701020001",
    "学校名称": "历下区第一小学",
    "县区": "历下区",
    "行政区划代码": "370102",
    "办学类型": "小学",
    "办学性质": "公办",
    "城乡分类": "城区",
    "学年": "2024",
    "小学在校生数": "600",
    "初中在校生数": "0",
    "小学高于规定学历教师数": "30",
    "初中高于规定学历教师数": "0",
    "小学县级及以上骨干教师数": "8",
    "初中县级及以上骨干教师数": "0",
    "小学体音美专任教师数": "7",
    "初中体音美专任教师数": "0",
    "教学及辅助用房面积": "3600",
    "室内体育用房面积": "400",
    "运动场地面积": "5000",
    "教学仪器设备资产值（万元）": "150.5",
    "网络多媒体教室数": "16",
    "小学班数": "14",
    "初中班数": "0",
    "小学最大班额": "45",
    "初中最大班额": "0",
    "音乐专用教室数": "2",
    "美术专用教室数": "2",
    "最小音乐教室面积": "96",
    "最小美术教室面积": "90",
    "年度公用经费预算总额": "500000",
    "教师培训经费": "25000",
}

NINE_YEAR = PRIMARY | {
    "学校标识码": "3701020002",
    "学校名称": "历下区九年一贯制学校",
    "办学类型": "九年一贯制学校",
    "小学在校生数": "400",
    "初中在校生数": "300",
    "小学高于规定学历教师数": "20",
    "初中高于规定学历教师数": "18",
    "小学县级及以上骨干教师数": "4",
    "初中县级及以上骨干教师数": "3",
    "小学体音美专任教师数": "4",
    "初中体音美专任教师数": "3",
    "教学及辅助用房面积": "6000",
    "室内体育用房面积": "500",
    "运动场地面积": "9000",
    "教学仪器设备资产值（万元）": "200",
    "网络多媒体教室数": "20",
    "小学班数": "10",
    "初中班数": "7",
    "小学最大班额": "45",
    "初中最大班额": "50",
}

JUNIOR = PRIMARY | {
    "学校标识码": "3701020003",
    "学校名称": "历下区第一中学",
    "办学类型": "初级中学",
    "小学在校生数": "0",
    "初中在校生数": "500",
    "小学高于规定学历教师数": "0",
    "初中高于规定学历教师数": "32",
    "小学县级及以上骨干教师数": "0",
    "初中县级及以上骨干教师数": "6",
    "小学体音美专任教师数": "0",
    "初中体音美专任教师数": "6",
    "教学及辅助用房面积": "4500",
    "小学班数": "0",
    "初中班数": "11",
    "小学最大班额": "0",
    "初中最大班额": "50",
}


def schools(*rows, index=None):
    """A data frame of rows (dicts), all cells as text, in the column order of the first."""
    columns = list(dict.fromkeys(key for row in rows for key in row))
    return pd.DataFrame([{key: row.get(key, "") for key in columns} for row in rows], index=index)


def base(**changes):
    """The clean primary row with some cells changed (keys are Chinese headers)."""
    return PRIMARY | changes


def issue_of(error_or_issues, code):
    """The issues with ``code`` (from an InputError or a sequence of issues)."""
    issues = getattr(error_or_issues, "issues", error_or_issues)
    return [issue for issue in issues if issue.code == code]


def assert_located(issue, *, row, column, header=None, key=None):
    """The issue names the row, its key, the column and the header, in fields and message."""
    assert issue.row == row
    assert issue.column == column
    assert f"row {row}" in issue.message
    assert f"column {column}" in issue.message
    if key is not None:
        assert issue.key == key
        assert f"({key})" in issue.message
    if header is not None:
        assert issue.header == header
        assert f"(header {header!r})" in issue.message
