"""eduequity: education-equity metrics.

China's county-level assessment of compulsory-education balance (县域义务教育优质均衡发展
督导评估, 教督〔2017〕6号, and the 2012 basic-balance method) and the equity measures
researchers use everywhere.

The public names are listed in ``__all__``; everything else, and every module whose name
starts with an underscore, is private and may change without notice.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from eduequity._version import __version__
from eduequity.errors import (
    DataQualityWarning,
    DegenerateDataWarning,
    EduEquityError,
    EduEquityWarning,
    InputError,
    Issue,
)

if TYPE_CHECKING:
    from eduequity.core import (
        assess_attainment,
        atkinson,
        attainment_rate,
        check_design,
        coefficient_of_variation,
        coefficient_of_variation_by_group,
        decompose_inequality,
        federal_range_ratio,
        generalized_entropy,
        gini,
        mcloone_index,
        mean_log_deviation,
        parity_index,
        recognition_rate,
        theil,
        verstegen_index,
        wilson_interval,
    )
    from eduequity.national import (
        RULES_2012,
        RULES_2017,
        CountyAssessment,
        assess_counties,
        assess_county,
        get_rules,
        read_schools,
        resource_indicators,
    )

# Names of the subpackages, loaded when first used: ``import eduequity`` stays as cheap as
# numpy and pandas, so that ``eduequity --help`` and a notebook start fast.
_EXPORTS: dict[str, tuple[str, ...]] = {
    "eduequity.core": (
        "assess_attainment",
        "atkinson",
        "attainment_rate",
        "check_design",
        "coefficient_of_variation",
        "coefficient_of_variation_by_group",
        "decompose_inequality",
        "federal_range_ratio",
        "generalized_entropy",
        "gini",
        "mcloone_index",
        "mean_log_deviation",
        "parity_index",
        "recognition_rate",
        "theil",
        "verstegen_index",
        "wilson_interval",
    ),
    "eduequity.national": (
        "RULES_2012",
        "RULES_2017",
        "CountyAssessment",
        "assess_counties",
        "assess_county",
        "get_rules",
        "read_schools",
        "resource_indicators",
    ),
}
_LAZY_NAMES = {name: module for module, names in _EXPORTS.items() for name in names}
_SUBPACKAGES = frozenset(
    {"checklist", "city", "cli", "core", "datasets", "io", "national", "report"}
)


def __getattr__(name: str) -> Any:  # noqa: ANN401 - any public object
    """Load a subpackage, or a name exported from one, on first use."""
    if name in _SUBPACKAGES:
        return importlib.import_module(f"eduequity.{name}")
    module = _LAZY_NAMES.get(name)
    if module is None:
        msg = f"module 'eduequity' has no attribute {name!r}"
        raise AttributeError(msg)
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__, *_SUBPACKAGES})


__all__ = [
    "RULES_2012",
    "RULES_2017",
    "CountyAssessment",
    "DataQualityWarning",
    "DegenerateDataWarning",
    "EduEquityError",
    "EduEquityWarning",
    "InputError",
    "Issue",
    "__version__",
    "assess_attainment",
    "assess_counties",
    "assess_county",
    "atkinson",
    "attainment_rate",
    "check_design",
    "coefficient_of_variation",
    "coefficient_of_variation_by_group",
    "decompose_inequality",
    "federal_range_ratio",
    "generalized_entropy",
    "get_rules",
    "gini",
    "mcloone_index",
    "mean_log_deviation",
    "parity_index",
    "read_schools",
    "recognition_rate",
    "resource_indicators",
    "theil",
    "verstegen_index",
    "wilson_interval",
]
