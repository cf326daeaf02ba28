"""Small hand-built school tables for the national tests."""

import pandas as pd
import pytest

# A primary school of 500 pupils exactly at every primary standard of national-method.md §3.1:
# 21 qualified teachers -> 4.2 per 100; 5 backbone -> 1.0; 5 PE/arts -> 1.0 (>= 0.9);
# (2600 - 350) / 500 = 4.5 m²; (3400 + 350) / 500 = 7.5 m²; 1 000 000 / 500 = 2000 yuan;
# 12 rooms -> 2.4 per 100 (>= 2.3).
AT_STANDARD_PRIMARY = {
    "school_type": "primary",
    "students_primary": 500,
    "students_junior": 0,
    "students_senior": 0,
    "qualified_teachers_primary": 21,
    "qualified_teachers_junior": 0,
    "backbone_teachers_primary": 5,
    "backbone_teachers_junior": 0,
    "pe_arts_teachers_primary": 5,
    "pe_arts_teachers_junior": 0,
    "teaching_aux_area_m2": 2600.0,
    "indoor_sports_area_m2": 350.0,
    "sports_ground_area_m2": 3400.0,
    "equipment_value_yuan": 1_000_000.0,
    "multimedia_classrooms": 12,
}

# A junior school of 600 pupils comfortably above the junior standards (§3.1: 5.3, 1, 0.9,
# 5.8 m², 10.2 m², 2500 yuan, 2.4): 36 -> 6.0; 8 -> 1.33; 7 -> 1.17; (4000-300)/600 = 6.17;
# (6000+300)/600 = 10.5; 1 800 000/600 = 3000; 16 -> 2.67.
ABOVE_STANDARD_JUNIOR = {
    "school_type": "junior",
    "students_primary": 0,
    "students_junior": 600,
    "students_senior": 0,
    "qualified_teachers_primary": 0,
    "qualified_teachers_junior": 36,
    "backbone_teachers_primary": 0,
    "backbone_teachers_junior": 8,
    "pe_arts_teachers_primary": 0,
    "pe_arts_teachers_junior": 7,
    "teaching_aux_area_m2": 4000.0,
    "indoor_sports_area_m2": 300.0,
    "sports_ground_area_m2": 6000.0,
    "equipment_value_yuan": 1_800_000.0,
    "multimedia_classrooms": 16,
}


def school_table(*rows: dict, county: str = "甲县") -> pd.DataFrame:
    """Build a canonical school table; each row dict overrides a template, ids are given."""
    records = []
    for number, row in enumerate(rows, start=1):
        template = (
            ABOVE_STANDARD_JUNIOR if row.get("school_type") == "junior" else AT_STANDARD_PRIMARY
        )
        record = {
            "school_id": f"S{number:03d}",
            "school_name": f"学校{number}",
            "county": county,
            **template,
            **row,
        }
        records.append(record)
    return pd.DataFrame.from_records(records)


@pytest.fixture
def make_schools():
    return school_table
