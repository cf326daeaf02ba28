"""Read a school table with Chinese headers from Excel, and check it gives the same result.

Run:  python examples/read_chinese_excel.py
      (writes the workbook with openpyxl and reads it with python-calamine:
      python -m pip install openpyxl python-calamine)

Statistics offices export school tables with Chinese headers (学校标识码, 小学在校生数, ...),
Chinese category values (小学, 九年一贯制学校, 公办, 城区, 是/否) and money in 万元. The loader
maps every header of the docs page Input tables to its canonical column and converts the units, so
such a file can be assessed as it is. This example writes the demo county's school table in
that form to a temporary .xlsx file, reads it back with ``read_schools`` and assesses it.
"""

import tempfile
from pathlib import Path

import pandas as pd

from eduequity.datasets import demo_path, load_demo_county
from eduequity.national import assess_county, read_schools

# Canonical column -> a Chinese header the loader accepts (docs: Input tables).
# Columns not listed (e.g. bachelor_plus_teachers_junior) keep their canonical name.
CHINESE_HEADERS = {
    "school_id": "学校标识码",
    "school_name": "学校名称",
    "county": "县（市、区）",
    "county_code": "行政区划代码",
    "year": "学年",
    "school_type": "办学类型",
    "parent_school_id": "所属学校标识码",
    "ownership": "办学性质",
    "location": "城乡分类",
    "boarding": "寄宿制学校",
    "built_year": "建校年份",
    "migrant_share": "随迁子女占比",
    "meets_provincial_standard": "办学条件达标",
    "students_primary": "小学在校生数",
    "students_junior": "初中在校生数",
    "students_senior": "高中在校生数",
    "full_time_teachers_primary": "小学专任教师数",
    "full_time_teachers_junior": "初中专任教师数",
    "qualified_teachers_primary": "小学高于规定学历教师数",
    "qualified_teachers_junior": "初中高于规定学历教师数",
    "bachelor_plus_teachers_primary": "小学本科及以上学历专任教师数",
    "backbone_teachers_primary": "小学县级及以上骨干教师数",
    "backbone_teachers_junior": "初中县级及以上骨干教师数",
    "pe_arts_teachers_primary": "小学体育、艺术（音乐、美术）专任教师数",
    "pe_arts_teachers_junior": "初中体育、艺术（音乐、美术）专任教师数",
    "mid_senior_title_teachers_primary": "小学中级及以上职称教师数",
    "mid_senior_title_teachers_junior": "初中中级及以上职称教师数",
    "teaching_aux_area_m2": "教学及辅助用房面积",
    "indoor_sports_area_m2": "室内体育用房面积",
    "sports_ground_area_m2": "运动场地面积",
    "equipment_value_yuan": "教学仪器设备资产值（万元）",  # in 万元 (10 000 yuan), see below
    "multimedia_classrooms": "网络多媒体教室数",
    "teaching_computers": "教学用计算机（台）",
    "books": "图书（册）",
    "classes_primary": "小学班数",
    "classes_junior": "初中班数",
    "max_class_size_primary": "小学最大班额",
    "max_class_size_junior": "初中最大班额",
    "large_classes": "大班额班数",
    "super_large_classes": "超大班额班数",
    "music_rooms": "音乐专用教室数",
    "art_rooms": "美术专用教室数",
    "min_music_room_area_m2": "最小音乐教室面积",
    "min_art_room_area_m2": "最小美术教室面积",
    "public_funds_budget_yuan": "年度公用经费预算总额",
    "teacher_training_funds_yuan": "教师培训经费",
}

# Canonical values -> the Chinese values of the statistics forms (docs: Input tables).
CHINESE_VALUES = {
    "school_type": {
        "primary": "小学",
        "junior": "初级中学",
        "nine_year": "九年一贯制学校",
        "twelve_year": "十二年一贯制学校",
        "complete_middle": "完全中学",
        "teaching_point": "教学点",
        "special": "特殊教育学校",
        "vocational": "职业初中",
    },
    "ownership": {"public": "公办", "private": "民办"},
    "location": {"urban": "城区", "town": "镇区", "rural": "乡村"},
}
BOOLEAN_COLUMNS = ("boarding", "meets_provincial_standard")


def to_chinese_form(schools: pd.DataFrame) -> pd.DataFrame:
    """Return the canonical school table as a statistics office would export it."""
    form = schools.copy()
    for column, values in CHINESE_VALUES.items():
        form[column] = form[column].map(values)
    for column in BOOLEAN_COLUMNS:
        form[column] = form[column].map({True: "是", False: "否"})
    form["equipment_value_yuan"] = form["equipment_value_yuan"] / 10_000  # yuan -> 万元
    return form.rename(columns=CHINESE_HEADERS)


def main() -> None:
    demo = load_demo_county()
    workbook = Path(tempfile.mkdtemp()) / "学校基本情况.xlsx"
    to_chinese_form(demo.schools).to_excel(workbook, index=False, sheet_name="学校")
    print(
        f"wrote {workbook.name} with headers such as",
        ", ".join([*list(CHINESE_HEADERS.values())[:4], "教学仪器设备资产值（万元）"]),
    )

    # read_schools maps the headers, the Chinese values and 万元 -> yuan, and validates.
    schools = read_schools(workbook)
    print(
        f"read back {len(schools)} schools; first school_type {schools['school_type'].iloc[0]!r}, "
        f"equipment {schools['equipment_value_yuan'].iloc[0]:,.0f} yuan"
    )

    facts, survey, monitoring = (
        demo_path(f"demo_county_{name}.csv") for name in ("facts", "survey", "monitoring")
    )
    from_excel = assess_county(schools, facts, survey, monitoring=monitoring)
    canonical = assess_county(
        demo_path("demo_county_schools.csv"), facts, survey, monitoring=monitoring
    )

    # Same verdict, same failing items, same CVs: the Chinese form changes nothing.
    same_failures = [f.to_dict() for f in from_excel.failures] == [
        f.to_dict() for f in canonical.failures
    ]
    same_cvs = from_excel.resources.cv.equals(canonical.resources.cv)
    print(f"verdict from Excel {from_excel.status!r}, from the canonical CSV {canonical.status!r}")
    print(f"same failing items: {same_failures}; same coefficients of variation: {same_cvs}")
    if not (from_excel.status == canonical.status and same_failures and same_cvs):
        raise SystemExit("the Excel table gave a different result")


if __name__ == "__main__":
    main()
