"""Reading and validating input tables (输入表的读取与校验).

The readers turn a data frame, a CSV file or an Excel sheet with Chinese headers into a
canonical, validated frame, following the docs page Input tables:

- :func:`eduequity.read_schools` (in :mod:`eduequity.national`, as it reads the rule set's
  switches): one row per school or site; :func:`read_school_table` is deprecated;
- :func:`read_county_facts`: one row per county and assessment year;
- :func:`read_monitoring`: national monitoring results;
- :func:`read_survey`: social-recognition survey answers;
- :func:`read_table`: any table described by a :class:`TableSchema` of
  :class:`ColumnSpec` objects; the schema's checks receive a :class:`TableContext`
  (the parsed frame, the headers, the options) and record their issues on it.

Validation collects every problem and raises one :class:`~eduequity.errors.InputError`;
warnings come back in :attr:`LoadedTable.issues`. A table is validated once: the frame a
reader returns is marked as validated, and a reader or adapter given it again unchanged uses
it as it is (:func:`loaded_table` gives back what the reader noticed about it). The column
specifications are data: :data:`SCHOOL_SCHEMA`, :data:`COUNTY_FACTS_SCHEMA`,
:data:`MONITORING_SCHEMA` and
:data:`SURVEY_SCHEMA`.

This layer may import :mod:`eduequity.core` and the shared foundations, never the
national method: rule-set parameters the checks need (``deduct_indoor_sports``,
``min_teaching_point_students``, ``include_private``) are passed in by the caller.
"""

from __future__ import annotations

from eduequity.io._facts import COUNTY_FACTS_SCHEMA, MONITORING_SCHEMA
from eduequity.io._normalize import MISSING_TOKENS
from eduequity.io._reader import TableContext
from eduequity.io._schema import (
    COMPULSORY_SCHOOL_TYPES,
    OUTLIER_LIMITS,
    SCHOOL_TYPE_SECTIONS,
)
from eduequity.io._school import SCHOOL_SCHEMA
from eduequity.io._spec import ColumnKind, ColumnSpec, EnumSpec, EnumValue, TableSchema
from eduequity.io._survey import SURVEY_SCHEMA
from eduequity.io.tables import (
    LoadedTable,
    loaded_table,
    read_county_facts,
    read_monitoring,
    read_school_table,
    read_survey,
    read_table,
)

__all__ = [
    "COMPULSORY_SCHOOL_TYPES",
    "COUNTY_FACTS_SCHEMA",
    "MISSING_TOKENS",
    "MONITORING_SCHEMA",
    "OUTLIER_LIMITS",
    "SCHOOL_SCHEMA",
    "SCHOOL_TYPE_SECTIONS",
    "SURVEY_SCHEMA",
    "ColumnKind",
    "ColumnSpec",
    "EnumSpec",
    "EnumValue",
    "LoadedTable",
    "TableContext",
    "TableSchema",
    "loaded_table",
    "read_county_facts",
    "read_monitoring",
    "read_school_table",
    "read_survey",
    "read_table",
]
