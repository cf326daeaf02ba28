"""City-level aggregation (市域统筹): the county register, city figures and comparisons.

A prefecture-level city (地市) is not recognised itself; its counties are. Cities organise the
work city-wide and publish city figures (docs: The creation checklist and city aggregation, City
aggregation). This package offers, all vectorized over counties:

- the county register (:func:`read_register`, :class:`CountyRegister`,
  :mod:`eduequity.city.register`; docs: Input tables) and its summary: counts and shares by
  status, whole-city flags, timeline, pioneers (:func:`register_summary`), a city's share of
  a province list (:func:`province_share`) and the projection of a target at the current pace
  (:func:`project_completion`, :mod:`eduequity.city.pipeline`);
- city-wide resource figures: pooled means and CVs of every stage and indicator and their exact
  between-/within-county decomposition (GE(2) = CV²/2, Theil T, MLD), the county figures
  unchanged from the county assessment, per-school pass shares (:func:`city_disparity`,
  :mod:`eduequity.city.resources`);
- comparisons: urban–rural means, ratios, parity and teacher-qualification shares
  (:func:`urban_rural`), the county matrix and problem lists (:func:`county_matrix`), uniform
  standards (:func:`uniform_standards`), the checklist roll-up (:func:`checklist_rollup`);
- year over year: changes of figures (:func:`figure_changes`, :func:`disparity_changes`) and
  the three growths of funding (:func:`funding_growth`);
- the figures cities publish, each with its definition (:func:`published_figures`), the
  social-recognition rate of every county from one survey file (:func:`recognition_by_county`)
  and the wealth neutrality of spending across counties (:func:`wealth_neutrality`);
- one entry point for reports and the command line: :func:`assess_city` →
  :class:`CityAssessment` (``to_text()``, ``to_markdown()``, ``to_dict()``);
- one export of every city and checklist table as CSV, JSON and Excel with bilingual
  headers and provenance, personal fields redacted by default (:func:`export`,
  :mod:`eduequity.city.exports`).

Examples
--------
>>> from eduequity.city import assess_city
>>> from eduequity.datasets import demo_path
>>> result = assess_city(demo_path("demo_city_register.csv"), demo_path("demo_city_schools.csv"),
...                      target_year=2030, today="2025-06-30")
>>> result.register.whole_city_recognized, result.projection.projected_year
(False, 2034)
"""

from __future__ import annotations

from eduequity.city.assessment import CityAssessment, assess_city
from eduequity.city.comparison import (
    ChecklistRollup,
    CountyMatrix,
    UniformStandards,
    checklist_rollup,
    county_matrix,
    uniform_standards,
)
from eduequity.city.exports import (
    CHECKLIST_TABLES,
    CITY_TABLES,
    COLUMN_LABELS,
    EXPORT_FORMATS,
    FORM_TABLES,
    PERSONAL_COLUMNS,
    RECORDS_TABLES,
    ExportProvenance,
    ExportResult,
    ExportTable,
    export,
)
from eduequity.city.figures import (
    FIGURE_COLUMNS,
    PUBLISHED_FIGURES,
    FigureDefinition,
    PublishedFigures,
    published_figures,
)
from eduequity.city.funding import (
    FINANCE_SCHEMA,
    FUNDING_SERIES,
    THREE_GROWTHS,
    FundingGrowth,
    FundingSeries,
    funding_growth,
    read_finance_series,
)
from eduequity.city.pipeline import (
    CompletionProjection,
    CompletionTarget,
    ProvinceShare,
    RegisterSummary,
    project_completion,
    province_share,
    register_summary,
)
from eduequity.city.recognition import (
    RECOGNITION_COLUMNS,
    CountyRecognition,
    recognition_by_county,
)
from eduequity.city.register import (
    REGISTER_SCHEMA,
    STATUS_LABELS,
    STATUS_ORDER,
    CountyRegister,
    read_register,
)
from eduequity.city.resources import CityDisparity, city_disparity
from eduequity.city.trends import FigureChanges, disparity_changes, figure_changes
from eduequity.city.urban_rural import UrbanRuralComparison, urban_rural
from eduequity.city.wealth import WEALTH_COLUMNS, CityWealthNeutrality, wealth_neutrality

__all__ = [
    "CHECKLIST_TABLES",
    "CITY_TABLES",
    "COLUMN_LABELS",
    "EXPORT_FORMATS",
    "FIGURE_COLUMNS",
    "FINANCE_SCHEMA",
    "FORM_TABLES",
    "FUNDING_SERIES",
    "PERSONAL_COLUMNS",
    "PUBLISHED_FIGURES",
    "RECOGNITION_COLUMNS",
    "RECORDS_TABLES",
    "REGISTER_SCHEMA",
    "STATUS_LABELS",
    "STATUS_ORDER",
    "THREE_GROWTHS",
    "WEALTH_COLUMNS",
    "ChecklistRollup",
    "CityAssessment",
    "CityDisparity",
    "CityWealthNeutrality",
    "CompletionProjection",
    "CompletionTarget",
    "CountyMatrix",
    "CountyRecognition",
    "CountyRegister",
    "ExportProvenance",
    "ExportResult",
    "ExportTable",
    "FigureChanges",
    "FigureDefinition",
    "FundingGrowth",
    "FundingSeries",
    "ProvinceShare",
    "PublishedFigures",
    "RegisterSummary",
    "UniformStandards",
    "UrbanRuralComparison",
    "assess_city",
    "checklist_rollup",
    "city_disparity",
    "county_matrix",
    "disparity_changes",
    "export",
    "figure_changes",
    "funding_growth",
    "project_completion",
    "province_share",
    "published_figures",
    "read_finance_series",
    "read_register",
    "recognition_by_county",
    "register_summary",
    "uniform_standards",
    "urban_rural",
    "wealth_neutrality",
]
