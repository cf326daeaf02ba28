"""Bundled synthetic data and a seeded national-scale generator (合成示例数据).

Everything in this package is **synthetic**: no row describes a real county, school or
person. The data exist to learn the library, to test it and to benchmark it.

- :func:`load_demo_county` returns 示范县 (Demo County), one county for school year 2024 with
  its school table, county facts, monitoring results and survey answers. It is designed to
  pass most checks and to fail a few in instructive ways; :data:`DEMO_COUNTY_FINDINGS` lists
  the intended outcomes so that a report can be checked against them.
- :func:`load_demo_city` returns 示范市 (Demo City): the demo county plus three generated
  counties, and a county register with status events (docs: Input tables).
- :func:`demo_path` gives the path of a bundled CSV file, e.g. for the command line.
- :func:`generate_schools` draws a valid school table of any size, ~200 000 rows in well under
  two seconds.

The CSV files use the canonical column names of the docs page Input tables; their description and
the table of intended findings are in ``data/README.md`` beside them.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Final, Literal

import attrs
import pandas as pd

from eduequity._serialize import Record
from eduequity.datasets._generate import (
    BOOL_COLUMNS,
    DEFAULT_TYPE_SHARES,
    FLOAT_COLUMNS,
    INT_COLUMNS,
    SCHOOL_COLUMNS,
    SCHOOL_TYPES,
    STRING_COLUMNS,
    generate_schools,
)
from eduequity.errors import InvalidArgumentError

__all__ = [
    "DEFAULT_TYPE_SHARES",
    "DEMO_CITY",
    "DEMO_COUNTY",
    "DEMO_COUNTY_FINDINGS",
    "DEMO_FILES",
    "DEMO_YEAR",
    "SCHOOL_COLUMNS",
    "SCHOOL_TYPES",
    "DemoCity",
    "DemoCounty",
    "DemoFinding",
    "demo_path",
    "generate_schools",
    "load_demo_city",
    "load_demo_county",
]

DEMO_COUNTY: Final = "示范县 (Demo County)"
"""Name of the synthetic demo county, as written in its ``county`` columns."""

DEMO_CITY: Final = "示范市 (Demo City)"
"""Name of the synthetic demo city, as written in the register's ``city`` column."""

DEMO_YEAR: Final = 2024
"""School year (start year) of the demo data."""

DEMO_FILES: Final[tuple[str, ...]] = (
    "demo_city_checklist.csv",
    "demo_city_register.csv",
    "demo_city_schools.csv",
    "demo_county_facts.csv",
    "demo_county_monitoring.csv",
    "demo_county_schools.csv",
    "demo_county_survey.csv",
)
"""Names of the bundled CSV files (all synthetic), accepted by :func:`demo_path`."""

Outcome = Literal["pass", "fail", "excluded", "included", "merged"]


@attrs.frozen(kw_only=True)
class DemoFinding(Record):
    """One intended outcome of the synthetic demo county (示范县) under the 2017 method.

    The demo county was built so that these outcomes hold; the test suite re-derives each of
    them from the CSV files with plain arithmetic. A report on the demo county should show
    the same outcomes.
    """

    part: str
    """Part of the method: ``"preconditions"``, ``"resource_allocation"``,
    ``"government_guarantee"``, ``"education_quality"``, ``"social_recognition"`` or ``"veto"``."""
    code: str
    """Display code or section (docs: The national method), e.g. ``"§3.5"``, ``"G4"``, ``"Q9"``."""
    indicator: str
    """Indicator id, e.g. ``"sports_area_per_student"`` or ``"school_size"``."""
    subject: str
    """What is assessed: a unit id (``school_id``, or ``"<school_id>#junior"`` for a section of a
    split school), a stage (``"primary"``), a monitoring subject and grade, or the county."""
    value: float | None
    """The decisive value [unit of the indicator], rounded to 4 decimals for display."""
    threshold: float | None
    """The standard, floor or limit the value is compared with [same unit]."""
    comparator: str | None
    """How ``value`` must compare with ``threshold`` for the item to be met: ``">="``, ``"<="``,
    ``"<"`` (for an exclusion, the comparator that excludes)."""
    outcome: Outcome
    """``"pass"`` or ``"fail"`` for the item, ``"excluded"``, ``"included"`` or ``"merged"`` for
    a school during unit preparation (docs: The national method, Which schools enter: unit
    preparation)."""
    note: str
    """Why the outcome is instructive, in English with the Chinese school name."""


DEMO_COUNTY_FINDINGS: Final[tuple[DemoFinding, ...]] = (
    DemoFinding(
        part="preconditions",
        code="P1",
        indicator="basic_balance_recognition",
        subject=DEMO_COUNTY,
        value=8.0,
        threshold=3.0,
        comparator=">=",
        outcome="pass",
        note="Basic balance recognised in 2016; 2024 − 2016 = 8 years (at least 3 needed).",
    ),
    DemoFinding(
        part="resource_allocation",
        code="§3.3",
        indicator="min_teaching_point_students",
        subject="0990010504",
        value=49.0,
        threshold=50.0,
        comparator="<",
        outcome="excluded",
        note="赵村西岭教学点 has 49 pupils (< 50) and is excluded, like the points with 12, 23 "
        "and 38 pupils and the special-education school 0990010701.",
    ),
    DemoFinding(
        part="resource_allocation",
        code="§3.3",
        indicator="min_teaching_point_students",
        subject="0990010505",
        value=50.0,
        threshold=50.0,
        comparator="<",
        outcome="included",
        note="杨村东沟教学点 has exactly 50 pupils: not below 50, so it is a primary unit.",
    ),
    DemoFinding(
        part="resource_allocation",
        code="§3.3",
        indicator="merge_sites",
        subject="0990010601",
        value=40.0,
        threshold=None,
        comparator=None,
        outcome="merged",
        note="The 40-pupil site 东镇李庄小学南坡校点 is merged into 0990010011 (not excluded, "
        "although a teaching point under 50); 0990010602 (85 pupils) is merged into the "
        "nine-year school 0990010204.",
    ),
    DemoFinding(
        part="resource_allocation",
        code="§3.5",
        indicator="sports_area_per_student",
        subject="0990010002",
        value=2.6,
        threshold=6.375,
        comparator=">=",
        outcome="fail",
        note="城关第二小学 (1950 pupils) misses only indicator 5, but 2.6 m² is below the 85% "
        "floor 6.375 m²: the school fails the per-school rule.",
    ),
    DemoFinding(
        part="resource_allocation",
        code="§3.5",
        indicator="backbone_teachers_per_100",
        subject="0990010005",
        value=0.4545,
        threshold=0.85,
        comparator=">=",
        outcome="fail",
        note="The private 启明小学（民办） has 4 backbone teachers for 880 pupils, below the floor "
        "0.85 per 100: private schools are included and it fails.",
    ),
    DemoFinding(
        part="resource_allocation",
        code="§3.5",
        indicator="qualified_teachers_per_100",
        subject="0990010203#junior",
        value=5.0,
        threshold=5.3,
        comparator=">=",
        outcome="fail",
        note="The junior section of 西山九年一贯制学校 misses two standards (qualified teachers "
        "5.0 < 5.3 and equipment 2365 < 2500 yuan, both above their floors): only 5 of 7 are "
        "met, so the section fails while the primary section passes.",
    ),
    DemoFinding(
        part="resource_allocation",
        code="§3.5",
        indicator="equipment_value_per_student",
        subject="0990010203#junior",
        value=2365.0,
        threshold=2500.0,
        comparator=">=",
        outcome="fail",
        note="Second unmet standard of the same junior section (σ-split facility value).",
    ),
    DemoFinding(
        part="resource_allocation",
        code="§3.5",
        indicator="equipment_value_per_student",
        subject="0990010012",
        value=1800.0,
        threshold=1700.0,
        comparator=">=",
        outcome="pass",
        note="西镇王村小学 misses the standard 2000 yuan but stays above the floor 1700: "
        "6 of 7 met, the school passes.",
    ),
    DemoFinding(
        part="resource_allocation",
        code="§3.5",
        indicator="sports_area_per_student",
        subject="0990010109",
        value=9.5,
        threshold=8.67,
        comparator=">=",
        outcome="pass",
        note="李庄中学 misses the junior standard 10.2 m² but stays above the floor 8.67 m²: "
        "the school passes.",
    ),
    DemoFinding(
        part="resource_allocation",
        code="§3.5",
        indicator="teaching_area_per_student",
        subject="0990010107",
        value=5.8,
        threshold=5.8,
        comparator=">=",
        outcome="pass",
        note="北镇中学 is exactly at the standard: (4496.9 − 784.9) / 640 = 5.8 m² exactly, "
        "while naive binary floating point gives 5.799999999999999. Equal meets.",
    ),
    DemoFinding(
        part="resource_allocation",
        code="§3.7",
        indicator="sports_area_per_student",
        subject="primary",
        value=0.5874,
        threshold=0.5,
        comparator="<=",
        outcome="fail",
        note="The primary CV of sports area is 0.587 > 0.50, driven by the cramped 城关第二小学 "
        "(without it the CV would be 0.492). The other 13 CVs are within their limits.",
    ),
    DemoFinding(
        part="government_guarantee",
        code="G4",
        indicator="school_size",
        subject="0990010101",
        value=2150.0,
        threshold=2000.0,
        comparator="<=",
        outcome="fail",
        note="示范县第一中学 has 2150 junior pupils, above the 2000 limit.",
    ),
    DemoFinding(
        part="government_guarantee",
        code="G5",
        indicator="class_size",
        subject="0990010202",
        value=48.0,
        threshold=45.0,
        comparator="<=",
        outcome="fail",
        note="The primary section of 东镇九年一贯制学校 has a class of 48 pupils (limit 45).",
    ),
    DemoFinding(
        part="government_guarantee",
        code="G11",
        indicator="teacher_rotation",
        subject=DEMO_COUNTY,
        value=0.18,
        threshold=0.2,
        comparator=">=",
        outcome="fail",
        note="150 of 1200 eligible teachers rotated (0.125 ≥ 0.10), but only 27 of them are "
        "backbone teachers: 0.18 < 0.20.",
    ),
    DemoFinding(
        part="education_quality",
        code="Q9",
        indicator="academic_monitoring",
        subject="数学 grade 8",
        value=0.16,
        threshold=0.15,
        comparator="<",
        outcome="fail",
        note="Grade-8 mathematics reaches level Ⅲ, but its inter-school difference rate 0.16 is "
        "not below 0.15. The other 11 subject-grade rows pass.",
    ),
    DemoFinding(
        part="social_recognition",
        code="Part 4",
        indicator="social_recognition",
        subject=DEMO_COUNTY,
        value=0.8705,
        threshold=0.85,
        comparator=">=",
        outcome="pass",
        note="1264 positive of 1452 valid answers (40 不了解 and 8 blanks left out): 0.8705; "
        "95% Wilson interval (0.852, 0.887). The strict reading {满意, 比较满意} gives 0.685.",
    ),
    DemoFinding(
        part="veto",
        code="§7",
        indicator="veto",
        subject=DEMO_COUNTY,
        value=None,
        threshold=None,
        comparator=None,
        outcome="pass",
        note="No veto condition exists (all six veto fields and veto_tutoring_governance false).",
    ),
)
"""The intended outcomes of :func:`load_demo_county` (see that function and ``data/README.md``).

Everything not listed passes: the other units of both stages, the other 13 CVs, G1–G15 except
G4, G5 and G11, and Q1–Q9 except Q9. The overall result is ``fail`` (Parts 1, 2 and 3).
"""

_DATA: Final = "data"

_SURVEY_STRINGS: Final = (
    "respondent_id",
    "county",
    "respondent_group",
    "questionnaire",
    "location",
    "answer",
)
_REGISTER_STRINGS: Final = ("city", "county", "unit_kind", "program", "status", "batch", "note")
_FACT_STRINGS: Final = frozenset({"county", "province", "city", "county_code", "ruleset"})
_FACT_COUNT_SUFFIXES: Final = (
    "_completed",
    "_required",
    "_eligible",
    "_rotated",
    "_certified",
    "_full_time",
    "_cohort_start",
    "_cohort_end",
    "_enrolled",
    "_population",
)
_FACT_DECIMALS: Final = frozenset(
    {
        "special_ed_funding",
        "teacher_salary_parity",
        "teacher_training_completion",
        "teacher_rotation",
        "teacher_rotation_backbone_share",
        "teacher_certification",
        "nearby_enrolment_primary",
        "nearby_enrolment_junior",
        "high_school_quota_allocation",
        "left_behind_and_migrant_children_public_share",
        "junior_retention_rate",
        "disabled_enrolment_rate",
        "teacher_training_budget_share",
        "social_recognition",
    }
)


@attrs.frozen(kw_only=True, eq=False)
class DemoCounty(Record):
    """The synthetic demo county 示范县 (Demo County), school year 2024 (合成示例).

    All four tables are synthetic and use the canonical columns of the docs page Input tables.
    """

    schools: pd.DataFrame
    """School table: 40 rows. ``school_id`` and other identifiers are strings with their
    leading zeros; counts ``int64``; areas [m²], money [yuan] and rates ``float64``; booleans
    ``bool``; ``parent_school_id`` and room areas are missing where they do not apply."""
    facts: pd.DataFrame
    """County facts: one row for 2024 with every field, and ``<field>_evidence`` text for
    every declared item."""
    monitoring: pd.DataFrame
    """Monitoring results: 12 rows, subjects 语文, 数学, 科学, 体育, 艺术, 德育 × grades
    4 and 8."""
    survey: pd.DataFrame
    """Survey answers: 1500 rows, one per respondent, on the ``satisfaction_5`` scale;
    8 answers are blank (missing)."""


@attrs.frozen(kw_only=True, eq=False)
class DemoCity(Record):
    """The synthetic demo city 示范市 (Demo City): schools of four counties and a register.

    合成示例: all data are synthetic.
    """

    schools: pd.DataFrame
    """School table of four counties: the 40 rows of the demo county plus 126 rows drawn by
    :func:`generate_schools` for 示范东区, 示范西县 and 示范高新区. Same dtypes as
    :attr:`DemoCounty.schools`."""
    register: pd.DataFrame
    """County register: 14 status events of the four units in the programs
    ``basic_balance`` and ``quality_balance``."""


def demo_path(name: str) -> Traversable:
    """Return the location of a bundled synthetic CSV file (示例数据文件).

    Parameters
    ----------
    name
        One of :data:`DEMO_FILES`, e.g. ``"demo_county_schools.csv"``.

    Returns
    -------
    importlib.resources.abc.Traversable
        The file inside the installed package. For an ordinary (unzipped) installation this is
        a :class:`pathlib.Path`; use :func:`importlib.resources.as_file` to obtain a real file
        path in every case.

    Raises
    ------
    InvalidArgumentError
        If ``name`` is not a bundled file; the message lists the names.

    Examples
    --------
    >>> from eduequity.datasets import demo_path
    >>> demo_path("demo_county_schools.csv").name
    'demo_county_schools.csv'
    """
    if name not in DEMO_FILES:
        raise InvalidArgumentError(
            f"name must be one of the bundled files {list(DEMO_FILES)}; got {name!r}"
        )
    return files(__name__) / _DATA / name


def load_demo_county() -> DemoCounty:
    """Load the synthetic demo county 示范县 (Demo County), school year 2024 (合成示例).

    The county is **synthetic**. It was built to pass most checks of the 2017 method
    (教督〔2017〕6号) and to fail a few in instructive ways, so that a report on it teaches
    how the method works. Its 40 school rows contain 17 primary schools (urban, town,
    rural; one private), 9 junior schools, 4 nine-year schools, 1 twelve-year school, 1
    complete middle school, 5 teaching points, 2 sites reported under a parent school and 1
    special-education school. After unit preparation there are 23 primary and 15 junior
    units. The facts carry every field of the docs page Input tables (with evidence for every
    declared item), the monitoring table 12 rows and the survey 1500 answers.

    Intended findings (:data:`DEMO_COUNTY_FINDINGS`; values rounded):

    ======  ====================================  ==============  ===========  ========
    part    item                                  value           threshold    outcome
    ======  ====================================  ==============  ===========  ========
    P1      years since basic balance (2016)      8               ≥ 3          pass
    §3.3    teaching point 0990010504             49 pupils       < 50         excluded
    §3.3    teaching point 0990010505             50 pupils       < 50         included
    §3.3    sites 0990010601, 0990010602          40, 85 pupils   —            merged
    §3.5    0990010002 sports area                2.6 m²          ≥ 6.375      fail
    §3.5    0990010005 backbone (private school)  0.455 per 100   ≥ 0.85       fail
    §3.5    0990010203#junior: two misses         5.0; 2365 yuan  ≥ 5.3; 2500  fail
    §3.5    0990010012 equipment, one miss        1800 yuan       ≥ 1700       pass
    §3.5    0990010109 sports area, one miss      9.5 m²          ≥ 8.67       pass
    §3.5    0990010107 teaching area, equal       5.8 m²          ≥ 5.8        pass
    §3.7    primary CV of sports area             0.587           ≤ 0.50       fail
    G4      0990010101 school size                2150 pupils     ≤ 2000       fail
    G5      0990010202 primary class size         48 pupils       ≤ 45         fail
    G11     backbone share of rotated teachers    0.18            ≥ 0.20       fail
    Q9      数学 grade 8 difference rate          0.16            < 0.15       fail
    Part 4  social recognition (pooled)           0.8705          ≥ 0.85       pass
    veto    all veto fields false                 —               —            pass
    ======  ====================================  ==============  ===========  ========

    Everything else passes; the overall result is ``fail``.

    Returns
    -------
    DemoCounty
        The four tables as data frames, with the dtypes described on :class:`DemoCounty`.

    See Also
    --------
    load_demo_city, demo_path, DEMO_COUNTY_FINDINGS

    Examples
    --------
    >>> from eduequity.datasets import load_demo_county
    >>> demo = load_demo_county()
    >>> demo.schools.shape[0], demo.facts.shape[0], demo.monitoring.shape[0], demo.survey.shape[0]
    (40, 1, 12, 1500)
    >>> demo.schools["school_id"].iloc[0]
    '0990010001'
    >>> int((demo.schools["school_type"] == "teaching_point").sum())
    6
    """
    return DemoCounty(
        schools=_read_schools("demo_county_schools.csv"),
        facts=_read_facts(),
        monitoring=_read(
            "demo_county_monitoring.csv",
            {
                "county": "str",
                "year": "int64",
                "subject": "str",
                "grade": "int64",
                "level": "str",
                "inter_school_difference_rate": "float64",
            },
        ),
        survey=_read(
            "demo_county_survey.csv",
            dict.fromkeys(_SURVEY_STRINGS, "str") | {"year": "int64", "grade": "Int64"},
        ),
    )


def load_demo_city() -> DemoCity:
    """Load the synthetic demo city 示范市 (Demo City) (合成示例).

    The city has four county-level units: 示范县 (Demo County, the designed county of
    :func:`load_demo_county`), 示范东区 (a district), 示范西县 (a county) and 示范高新区 (a
    functional zone assessed as a county). The last three were drawn by
    ``generate_schools(n_counties=3, n_schools=126, seed=2024, ...)``; their outcomes were
    not designed. The register records, per unit, its basic-balance recognition and its
    quality-balance events: 示范东区 nationally recognised in 2023 (batch 2023年), 示范西县
    provincially assessed in 2024, 示范高新区 creating since 2023, and 示范县 applied in 2025.

    Returns
    -------
    DemoCity
        The school table (166 rows) and the register (14 events).

    See Also
    --------
    load_demo_county, generate_schools

    Examples
    --------
    >>> from eduequity.datasets import load_demo_city
    >>> city = load_demo_city()
    >>> city.schools["county"].nunique(), city.register.shape
    (4, (14, 9))
    """
    return DemoCity(
        schools=_read_schools("demo_city_schools.csv"),
        register=_read(
            "demo_city_register.csv",
            dict.fromkeys(_REGISTER_STRINGS, "str")
            | {"status_year": "int64", "basic_balance_year": "int64"},
        ),
    )


def _read(name: str, dtypes: dict[str, str]) -> pd.DataFrame:
    with demo_path(name).open("rb") as handle:
        return pd.read_csv(handle, encoding="utf-8", dtype=dtypes)


def _read_schools(name: str) -> pd.DataFrame:
    dtypes = (
        dict.fromkeys(STRING_COLUMNS, "str")
        | dict.fromkeys(BOOL_COLUMNS, "bool")
        | dict.fromkeys(FLOAT_COLUMNS, "float64")
        | dict.fromkeys(INT_COLUMNS, "int64")
    )
    return _read(name, dtypes)


def _read_facts() -> pd.DataFrame:
    with demo_path("demo_county_facts.csv").open("rb") as handle:
        header = pd.read_csv(handle, encoding="utf-8", nrows=0).columns
    dtypes: dict[str, str] = {}
    for column in map(str, header):
        if column in _FACT_STRINGS or column.endswith(("_evidence", "_date")):
            dtypes[column] = "str"
        elif column in {"year", "basic_balance_recognition_year"} or column.endswith(
            _FACT_COUNT_SUFFIXES
        ):
            dtypes[column] = "int64"
        elif column in _FACT_DECIMALS or column.endswith("_yuan"):
            dtypes[column] = "float64"
        else:
            dtypes[column] = "bool"
    return _read("demo_county_facts.csv", dtypes)
