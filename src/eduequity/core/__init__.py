"""Core metric functions: plain, typed, numpy-in / numpy-out.

This layer imports nothing from the layers above it (``io``, ``national``, ``city``,
``report``). Pandas appears only where a function is documented to return a Series or a
DataFrame. One family of measures per module:

- :mod:`~eduequity.core.variation`: the coefficient of variation (差异系数) and its mergeable
  sufficient statistics;
- :mod:`~eduequity.core.attainment`: attainment of standards (at least k of n met, the rest
  above a floor) and attainment rates;
- :mod:`~eduequity.core.recognition`: social-recognition (社会认可度) survey scoring and the
  survey-design check;
- :mod:`~eduequity.core.inequality`: Gini, generalized entropy (Theil, MLD), Atkinson and the
  exact between/within decomposition;
- :mod:`~eduequity.core.finance`: range measures, the federal range ratio, McLoone,
  Verstegen, wealth neutrality;
- :mod:`~eduequity.core.parity`: parity indices;
- :mod:`~eduequity.core.intervals`: the Wilson interval and the Kish effective size.
"""

from __future__ import annotations

from eduequity.core.attainment import (
    AttainmentRate,
    AttainmentResult,
    assess_attainment,
    attainment_rate,
    attainment_rate_by_group,
    share_meeting,
)
from eduequity.core.finance import (
    WealthNeutralityResult,
    federal_range_ratio,
    max_min_ratio,
    mcloone_index,
    restricted_range,
    value_range,
    verstegen_index,
    wealth_neutrality,
    weighted_quantile,
)
from eduequity.core.inequality import (
    InequalityDecomposition,
    MeasureResult,
    atkinson,
    decompose_inequality,
    generalized_entropy,
    gini,
    mean_log_deviation,
    theil,
)
from eduequity.core.intervals import ProportionInterval, kish_effective_size, wilson_interval
from eduequity.core.parity import ParityResult, parity_index, parity_indices
from eduequity.core.recognition import (
    SCALES,
    DesignCheck,
    RecognitionResult,
    Scale,
    check_design,
    recognition_by_component,
    recognition_rate,
)
from eduequity.core.variation import (
    GroupedVariationStatistics,
    VariationStatistics,
    coefficient_of_variation,
    coefficient_of_variation_by_group,
)

__all__ = [
    "SCALES",
    "AttainmentRate",
    "AttainmentResult",
    "DesignCheck",
    "GroupedVariationStatistics",
    "InequalityDecomposition",
    "MeasureResult",
    "ParityResult",
    "ProportionInterval",
    "RecognitionResult",
    "Scale",
    "VariationStatistics",
    "WealthNeutralityResult",
    "assess_attainment",
    "atkinson",
    "attainment_rate",
    "attainment_rate_by_group",
    "check_design",
    "coefficient_of_variation",
    "coefficient_of_variation_by_group",
    "decompose_inequality",
    "federal_range_ratio",
    "generalized_entropy",
    "gini",
    "kish_effective_size",
    "max_min_ratio",
    "mcloone_index",
    "mean_log_deviation",
    "parity_index",
    "parity_indices",
    "recognition_by_component",
    "recognition_rate",
    "restricted_range",
    "share_meeting",
    "theil",
    "value_range",
    "verstegen_index",
    "wealth_neutrality",
    "weighted_quantile",
    "wilson_interval",
]
