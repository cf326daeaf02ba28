r"""School-finance equity statistics: range family, McLoone, Verstegen, wealth neutrality.

One measure family per module: the horizontal-equity and fiscal-neutrality statistics of the
school-finance literature (docs: API reference, eduequity.core), for per-pupil resources
(生均经费, 生均资源) of districts or schools weighted by pupils.

- :func:`weighted_quantile`: the percentile convention that decides these statistics,
  pupil-weighted (``"weighted_inverted_cdf"``) or over units (``"unit_quantile"``);
- :func:`value_range` (极差), :func:`max_min_ratio` (最高/最低比), :func:`restricted_range`
  and :func:`federal_range_ratio` (the Impact Aid disparity test, 34 CFR 222.162);
- :func:`mcloone_index` (McLoone 指数, below the median) and :func:`verstegen_index`
  (Verstegen 指数, above the median);
- :func:`wealth_correlation`, :func:`wealth_elasticity` and :func:`wealth_neutrality`
  (财政中性: how far resources follow local wealth).

Benchmarks are configurable data with provenance, in :data:`BENCHMARKS`.

Conventions (docs: API reference, eduequity.core): weights :math:`w_i \ge 0` (pupils; ``None`` for
unit weights); units with zero weight take no part (they are not in the range, the quantiles or the
sides) and are counted in ``n_zero_weight``. Units are ranked by value in a canonical order, so
results do not depend on row order. Ties at the cut-off decide results (*Zuni*, 550 U.S. 81
(2007)), and weights are proportions: a cumulative pupil share is compared with a percentile
on the exact sums of the float weights, and counts as equal to it within a relative
:math:`2^{-44}` (about 5.7e-14). So counts (1, 2, 3, 6), the same weights as shares (÷ 12) or
rescaled in any way, and weights typed as decimals all give the same quantiles.

References
----------
R. Berne and L. Stiefel, *The Measurement of Equity in School Finance*, Johns Hopkins (1984);
and *Concepts of School Finance Equity: 1970 to the Present*, National Academies (1999).
A. R. Odden and L. O. Picus, *School Finance: A Policy Perspective*, McGraw-Hill.
34 CFR 222.162 (Impact Aid: disparity standard), and *Zuni Public School District No. 89 v.
Department of Education*, 550 U.S. 81 (2007).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final, Literal, overload

import attrs
import numpy as np

from eduequity._exact import CumulativeShares, compare
from eduequity._scaling import normalized
from eduequity._serialize import Record
from eduequity._typing import Comparator, FloatArray, JSONValue
from eduequity._validation import as_float_array, check_option
from eduequity.core._measure import (
    MeasureResult,
    NanOption,
    Sample,
    check_min_units,
    check_real,
    degenerate,
    prepare_sample,
    result_from,
    too_few_units,
    undefined_result,
    weighted_mean,
)
from eduequity.errors import InvalidArgumentError, InvalidValueError, Issue

__all__ = [
    "BENCHMARKS",
    "MEDIAN_RULES",
    "PERCENTILE_RULES",
    "TIE_RULES",
    "UNIT_QUANTILE_METHODS",
    "Benchmark",
    "MeasureResult",
    "WealthNeutralityResult",
    "federal_range_ratio",
    "max_min_ratio",
    "mcloone_index",
    "restricted_range",
    "value_range",
    "verstegen_index",
    "wealth_correlation",
    "wealth_elasticity",
    "wealth_neutrality",
    "weighted_quantile",
]

PercentileRule = Literal["weighted_inverted_cdf", "unit_quantile"]
MedianRule = Literal["weighted_inverted_cdf", "weighted_average_at_ties", "unweighted"]
TieRule = Literal["strict", "inclusive"]
QuantileMethod = Literal[
    "inverted_cdf",
    "averaged_inverted_cdf",
    "closest_observation",
    "interpolated_inverted_cdf",
    "hazen",
    "weibull",
    "linear",
    "median_unbiased",
    "normal_unbiased",
]

PERCENTILE_RULES: Final[tuple[PercentileRule, ...]] = ("weighted_inverted_cdf", "unit_quantile")
"""Percentile conventions (docs: API reference, eduequity.core); the first is the default."""
UNIT_QUANTILE_METHODS: Final[tuple[QuantileMethod, ...]] = (
    "inverted_cdf",
    "averaged_inverted_cdf",
    "closest_observation",
    "interpolated_inverted_cdf",
    "hazen",
    "weibull",
    "linear",
    "median_unbiased",
    "normal_unbiased",
)
"""Hyndman-Fan sample quantile types 1-9 for ``percentile_rule="unit_quantile"`` (as numpy)."""
MEDIAN_RULES: Final[tuple[MedianRule, ...]] = (
    "weighted_inverted_cdf",
    "weighted_average_at_ties",
    "unweighted",
)
"""Median conventions of the McLoone and Verstegen indices; the first is the default."""
TIE_RULES: Final[tuple[TieRule, ...]] = ("strict", "inclusive")
"""Whether units exactly at the median are on the index's side; the first is the default."""


@attrs.frozen(kw_only=True)
class Benchmark(Record):
    """A configurable benchmark for a school-finance statistic, with its source."""

    measure: str
    """The measure it applies to, as in :attr:`MeasureResult.measure`."""
    comparator: Comparator
    """How the value must compare with the threshold to meet the benchmark."""
    threshold: float
    """The benchmark value [dimensionless]."""
    source: str
    """Where the benchmark comes from."""
    confidence: Literal["V", "S", "M"]
    """Confidence tag of the specification: verified, secondary, or recalled."""

    def assess(self, value: float | MeasureResult | None) -> bool | None:
        """Return whether ``value`` meets the benchmark, decided exactly; ``None`` if undefined.

        Examples
        --------
        >>> BENCHMARKS["federal_range_ratio"].assess(0.25)
        True
        >>> BENCHMARKS["mcloone_index"].assess(0.9499)
        False
        """
        number = value.value if isinstance(value, MeasureResult) else value
        if number is None or math.isnan(number):
            return None
        decided = compare(np.array([float(number)]), np.array([self.threshold]), self.comparator)
        return bool(decided[0])


_ODDEN_PICUS = "Odden & Picus, School Finance: A Policy Perspective"
BENCHMARKS: Final[Mapping[str, Benchmark]] = MappingProxyType(
    {
        "federal_range_ratio": Benchmark(
            measure="federal_range_ratio",
            comparator="<=",
            threshold=0.25,
            source="34 CFR 222.162 (Impact Aid disparity standard)",
            confidence="S",
        ),
        "mcloone_index": Benchmark(
            measure="mcloone_index",
            comparator=">=",
            threshold=0.95,
            source=_ODDEN_PICUS,
            confidence="S",
        ),
        "wealth_correlation": Benchmark(
            measure="wealth_correlation",
            comparator="<=",
            threshold=0.5,
            source=_ODDEN_PICUS,
            confidence="S",
        ),
        "wealth_elasticity": Benchmark(
            measure="wealth_elasticity",
            comparator="<=",
            threshold=0.10,
            source=_ODDEN_PICUS,
            confidence="S",
        ),
    }
)
"""Default benchmarks, keyed by measure; all tagged [S] (secondary) in the specification.

A state counts as "equalised" for Impact Aid when its federal range ratio is at most 0.25;
Odden & Picus propose a McLoone index of at least 0.95, a wealth correlation of at most 0.5
and a wealth elasticity of at most 0.10.
"""


# --------------------------------------------------------------------------------------------
# Quantiles
# --------------------------------------------------------------------------------------------


def _quantiles(
    sample: Sample,
    probabilities: FloatArray,
    percentile_rule: PercentileRule,
    method: QuantileMethod,
) -> FloatArray:
    """Return the quantiles of a non-empty prepared sample (values sorted ascending)."""
    values = sample.primary
    if percentile_rule == "unit_quantile":
        return np.asarray(np.quantile(values, probabilities, method=method), dtype=np.float64)
    shares = CumulativeShares(sample.weights)
    picks = [shares.first_reaching(float(q)) for q in probabilities]
    return values[np.asarray(picks, dtype=np.intp)]


def _check_probability(value: object, name: str) -> float:
    number = check_real(value, name)
    if not 0.0 <= number <= 1.0:
        msg = f"{name} must lie in [0, 1]; got {value!r}"
        raise InvalidArgumentError(msg, code="invalid_option")
    return number


@overload
def weighted_quantile(
    values: Any,  # noqa: ANN401 - any array-like
    q: float,
    weights: Any = None,  # noqa: ANN401 - any array-like
    *,
    percentile_rule: PercentileRule = "weighted_inverted_cdf",
    method: QuantileMethod = "linear",
    nan_policy: NanOption = "raise",
) -> float: ...
@overload
def weighted_quantile(
    values: Any,  # noqa: ANN401 - any array-like
    q: Any,  # noqa: ANN401 - any array-like
    weights: Any = None,  # noqa: ANN401 - any array-like
    *,
    percentile_rule: PercentileRule = "weighted_inverted_cdf",
    method: QuantileMethod = "linear",
    nan_policy: NanOption = "raise",
) -> float | FloatArray: ...
def weighted_quantile(
    values: Any,
    q: Any,
    weights: Any = None,
    *,
    percentile_rule: PercentileRule = "weighted_inverted_cdf",
    method: QuantileMethod = "linear",
    nan_policy: NanOption = "raise",
) -> float | FloatArray:
    r"""Return the ``q``-quantile(s) of ``values`` under an explicit percentile rule.

    Parameters
    ----------
    values : array_like
        One value per unit, e.g. per-pupil revenue [any unit].
    q : float or array_like
        Probabilities in [0, 1].
    weights : array_like, optional
        Weights >= 0, e.g. pupils; ``None`` gives every unit weight 1.
    percentile_rule : {"weighted_inverted_cdf", "unit_quantile"}, optional
        ``"weighted_inverted_cdf"`` (default): the value of the unit at which the cumulative
        pupil share first reaches ``q``. ``"unit_quantile"``: the unweighted quantile over the
        units with positive weight, with ``method``.
    method : str, optional
        Hyndman-Fan type for ``"unit_quantile"`` (:data:`UNIT_QUANTILE_METHODS`, numpy's
        names); default ``"linear"`` (type 7). Ignored by ``"weighted_inverted_cdf"``.
    nan_policy : {"raise", "omit"}, optional
        ``"omit"`` drops units whose value or weight is NaN.

    Returns
    -------
    float or numpy.ndarray
        A float for a scalar ``q``, else an array of the shape of ``q`` [unit of values].

    Raises
    ------
    InvalidValueError
        No unit with a positive weight (``code="empty_input"``), NaN under ``"raise"``,
        infinite values, bad weights, or ``q`` outside [0, 1].
    InvalidArgumentError
        An unknown rule or method.

    Notes
    -----
    ``"weighted_inverted_cdf"`` (docs: API reference, eduequity.core): sort units ascending
    (stably),
    :math:`C_i = F_i / W` with :math:`F_i = \sum_{j \le i} w_j`, and

    .. math:: Q(q) = x_k, \qquad k = \min\{i : C_i \ge q\}.

    :math:`C_i \ge q` is decided on the exact sums of the float weights, a share within a
    relative :math:`2^{-44}` (about 5.7e-14) of :math:`q` counting as equal to it: so 4 equal
    weights give :math:`Q(0.5) = x_2`, and counts, shares (``w / w.sum()``) or any rescaling
    of the same weights give the same quantile, although float shares round. With unit weights
    it is numpy's ``"inverted_cdf"``. It is replication-invariant: integer weights equal
    repeated units.

    Examples
    --------
    >>> weighted_quantile([10, 20, 30, 40], 0.5)
    20.0
    >>> weighted_quantile([10, 20, 30, 40], 0.5, weights=[1, 1, 1, 2])
    30.0
    >>> weighted_quantile([10, 20, 30, 40], 0.5, percentile_rule="unit_quantile")
    25.0
    """
    check_option(percentile_rule, PERCENTILE_RULES, "percentile_rule")
    check_option(method, UNIT_QUANTILE_METHODS, "method")
    scalar = np.ndim(q) == 0
    probabilities = as_float_array(np.ravel(np.asarray(q)), name="q")
    outside = ~((probabilities >= 0) & (probabilities <= 1))
    if outside.any():
        msg = f"q must lie in [0, 1]; got {probabilities[outside][0]!r}"
        raise InvalidValueError(msg, code="invalid_value")
    sample = prepare_sample([("values", values)], weights, nan_policy=nan_policy)
    if sample.n == 0:
        msg = "values has no unit with a valid value and a positive weight; quantiles need one"
        raise InvalidValueError(msg, code="empty_input")
    result = _quantiles(sample, probabilities, percentile_rule, method)
    if scalar:
        return float(result[0])
    return result.reshape(np.shape(q))


# --------------------------------------------------------------------------------------------
# Range family
# --------------------------------------------------------------------------------------------


def _single_unit(measure: str) -> Issue:
    return degenerate(
        "single_unit", f"{measure} of a single unit: there is nothing to compare", stacklevel=5
    )


def value_range(
    values: Any,  # noqa: ANN401 - any array-like
    weights: Any = None,  # noqa: ANN401 - any array-like
    *,
    nan_policy: NanOption = "raise",
    min_units: int = 1,
) -> MeasureResult:
    r"""Return the range (极差) of the values of units with a positive weight.

    .. math:: \text{range} = \max\{x_i : w_i > 0\} - \min\{x_i : w_i > 0\}

    Parameters
    ----------
    values : array_like
        One value per unit [any unit].
    weights : array_like, optional
        Weights >= 0; only whether a weight is positive matters.
    nan_policy : {"raise", "omit"}, optional
        ``"omit"`` drops units whose value or weight is NaN.
    min_units : int, optional
        Fewer units give status ``"too_few_units"``; default 1.

    Returns
    -------
    MeasureResult
        ``measure="range"``, ``value`` [unit of values]; ``details`` has ``minimum`` and
        ``maximum``.

    Warns
    -----
    DegenerateDataWarning
        ``single_unit`` (value 0) or ``too_few_units``.

    Examples
    --------
    >>> value_range([1200.0, 1500.0, 900.0]).value
    600.0
    >>> value_range([1200.0, 1500.0, 900.0], weights=[10, 0, 5]).value  # zero weight: left out
    300.0
    """
    check_min_units(min_units)
    sample = prepare_sample([("values", values)], weights, nan_policy=nan_policy)
    conventions: dict[str, JSONValue] = {"nan_policy": nan_policy, "min_units": int(min_units)}
    early = too_few_units("range", sample, min_units, conventions)
    if early is not None:
        return early
    low, high = float(sample.primary[0]), float(sample.primary[-1])
    issues = [_single_unit("range")] if sample.n == 1 else []
    return result_from(
        "range",
        sample,
        high - low,
        "ok",
        conventions=conventions,
        details={"minimum": low, "maximum": high},
        warnings=issues,
    )


def max_min_ratio(
    values: Any,  # noqa: ANN401 - any array-like
    weights: Any = None,  # noqa: ANN401 - any array-like
    *,
    nan_policy: NanOption = "raise",
    min_units: int = 1,
) -> MeasureResult:
    r"""Return the ratio of the largest to the smallest value (最高/最低比).

    .. math:: \max\{x_i : w_i > 0\} \,/\, \min\{x_i : w_i > 0\}

    Parameters are those of :func:`value_range`.

    Returns
    -------
    MeasureResult
        ``measure="max_min_ratio"`` [dimensionless], status ``"undefined"`` (warning
        ``nonpositive_minimum``) when the minimum is <= 0; ``details`` has ``minimum`` and
        ``maximum``.

    Examples
    --------
    >>> max_min_ratio([900.0, 1200.0, 1800.0]).value
    2.0
    """
    check_min_units(min_units)
    sample = prepare_sample([("values", values)], weights, nan_policy=nan_policy)
    conventions: dict[str, JSONValue] = {"nan_policy": nan_policy, "min_units": int(min_units)}
    early = too_few_units("max_min_ratio", sample, min_units, conventions)
    if early is not None:
        return early
    low, high = float(sample.primary[0]), float(sample.primary[-1])
    details: dict[str, float | None] = {"minimum": low, "maximum": high}
    if low <= 0:
        issue = degenerate(
            "nonpositive_minimum",
            f"max_min_ratio is undefined when the minimum is <= 0; got {low!r}",
        )
        return undefined_result(
            "max_min_ratio", sample, (issue,), conventions=conventions, details=details
        )
    issues = [_single_unit("max_min_ratio")] if sample.n == 1 else []
    return result_from(
        "max_min_ratio",
        sample,
        high / low,
        "ok",
        conventions=conventions,
        details=details,
        warnings=issues,
    )


def _range_conventions(
    *,
    low: object,
    high: object,
    percentile_rule: object,
    method: object,
    nan_policy: object,
    min_units: object,
) -> tuple[float, float, dict[str, JSONValue]]:
    check_option(percentile_rule, PERCENTILE_RULES, "percentile_rule")
    check_option(method, UNIT_QUANTILE_METHODS, "method")
    check_min_units(min_units)
    low_value = _check_probability(low, "low")
    high_value = _check_probability(high, "high")
    if low_value > high_value:
        msg = f"low must not exceed high; got low={low!r}, high={high!r}"
        raise InvalidArgumentError(msg, code="invalid_option")
    conventions: dict[str, JSONValue] = {
        "low": low_value,
        "high": high_value,
        "percentile_rule": str(percentile_rule),
        "method": str(method) if percentile_rule == "unit_quantile" else None,
        "nan_policy": str(nan_policy),
        "min_units": int(min_units),  # type: ignore[call-overload]
    }
    return low_value, high_value, conventions


def restricted_range(
    values: Any,  # noqa: ANN401 - any array-like
    weights: Any = None,  # noqa: ANN401 - any array-like
    *,
    low: float = 0.05,
    high: float = 0.95,
    percentile_rule: PercentileRule = "weighted_inverted_cdf",
    method: QuantileMethod = "linear",
    nan_policy: NanOption = "raise",
    min_units: int = 1,
) -> MeasureResult:
    r"""Return the restricted range :math:`Q(\text{high}) - Q(\text{low})`.

    Parameters
    ----------
    values : array_like
        One value per unit, e.g. per-pupil revenue [any unit].
    weights : array_like, optional
        Weights >= 0, e.g. pupils; ``None`` gives every unit weight 1.
    low, high : float, optional
        The percentiles, default 0.05 and 0.95 (34 CFR 222.162).
    percentile_rule, method : str, optional
        The percentile convention, as in :func:`weighted_quantile`; it is recorded.
    nan_policy : {"raise", "omit"}, optional
        ``"omit"`` drops units whose value or weight is NaN.
    min_units : int, optional
        Fewer units give status ``"too_few_units"``; default 1.

    Returns
    -------
    MeasureResult
        ``measure="restricted_range"`` [unit of values]; ``details`` has ``quantile_low`` and
        ``quantile_high``.

    Examples
    --------
    >>> restricted_range([10, 20, 30, 40, 50], low=0.2, high=0.8).value  # 40 - 10
    30.0
    """
    low_value, high_value, conventions = _range_conventions(
        low=low,
        high=high,
        percentile_rule=percentile_rule,
        method=method,
        nan_policy=nan_policy,
        min_units=min_units,
    )
    sample = prepare_sample([("values", values)], weights, nan_policy=nan_policy)
    early = too_few_units("restricted_range", sample, min_units, conventions)
    if early is not None:
        return early
    q_low, q_high = _quantiles(
        sample, np.array([low_value, high_value]), percentile_rule, method
    ).tolist()
    issues = [_single_unit("restricted_range")] if sample.n == 1 else []
    return result_from(
        "restricted_range",
        sample,
        q_high - q_low,
        "ok",
        conventions=conventions,
        details={"quantile_low": q_low, "quantile_high": q_high},
        warnings=issues,
    )


def federal_range_ratio(
    values: Any,  # noqa: ANN401 - any array-like
    weights: Any = None,  # noqa: ANN401 - any array-like
    *,
    low: float = 0.05,
    high: float = 0.95,
    percentile_rule: PercentileRule = "weighted_inverted_cdf",
    method: QuantileMethod = "linear",
    nan_policy: NanOption = "raise",
    min_units: int = 1,
) -> MeasureResult:
    r"""Return the federal range ratio (FRR) of the Impact Aid disparity standard.

    .. math:: \mathrm{FRR} = \frac{Q(\text{high}) - Q(\text{low})}{Q(\text{low})}

    Parameters are those of :func:`restricted_range`. The default pupil-weighted rule reads
    "the 5th and 95th percentiles of the total number of pupils" (34 CFR 222.162) as the
    districts at which the cumulative pupil share reaches 5 % and 95 %;
    ``percentile_rule="unit_quantile"`` is the district-count reading. *Zuni* (550 U.S. 81,
    2007) shows that the two readings can change the verdict: the rule is recorded in
    ``conventions``.

    Returns
    -------
    MeasureResult
        ``measure="federal_range_ratio"`` [dimensionless]; status ``"undefined"`` (warning
        ``nonpositive_quantile``) when :math:`Q(\text{low}) \le 0`; ``details`` has
        ``quantile_low`` and ``quantile_high``. Compare with
        ``BENCHMARKS["federal_range_ratio"]`` (<= 0.25 [S]).

    Examples
    --------
    Twenty districts of equal enrolment, per-pupil revenue 100, 101, ..., 119:

    >>> result = federal_range_ratio(range(100, 120))
    >>> result.details["quantile_low"], result.details["quantile_high"]  # 1st and 19th
    (100.0, 118.0)
    >>> result.value
    0.18
    >>> BENCHMARKS["federal_range_ratio"].assess(result)
    True
    """
    low_value, high_value, conventions = _range_conventions(
        low=low,
        high=high,
        percentile_rule=percentile_rule,
        method=method,
        nan_policy=nan_policy,
        min_units=min_units,
    )
    measure = "federal_range_ratio"
    sample = prepare_sample([("values", values)], weights, nan_policy=nan_policy)
    early = too_few_units(measure, sample, min_units, conventions)
    if early is not None:
        return early
    q_low, q_high = _quantiles(
        sample, np.array([low_value, high_value]), percentile_rule, method
    ).tolist()
    details: dict[str, float | None] = {"quantile_low": q_low, "quantile_high": q_high}
    if q_low <= 0:
        issue = degenerate(
            "nonpositive_quantile",
            f"the federal range ratio is undefined when Q({low_value:g}) <= 0; got {q_low!r}",
        )
        return undefined_result(measure, sample, (issue,), conventions=conventions, details=details)
    issues = [_single_unit(measure)] if sample.n == 1 else []
    return result_from(
        measure,
        sample,
        (q_high - q_low) / q_low,
        "ok",
        conventions=conventions,
        details=details,
        warnings=issues,
    )


# --------------------------------------------------------------------------------------------
# McLoone and Verstegen
# --------------------------------------------------------------------------------------------


def _median(sample: Sample, median_rule: MedianRule) -> float:
    values = sample.primary
    if median_rule == "unweighted":
        return float(np.median(values))
    shares = CumulativeShares(sample.weights)
    index = shares.first_reaching(0.5)
    if median_rule == "weighted_average_at_ties" and shares.exactly_at(index, 0.5):
        return float(0.5 * (values[index] + values[index + 1]))
    return float(values[index])


def _median_side_index(
    measure: Literal["mcloone_index", "verstegen_index"],
    values: Any,  # noqa: ANN401 - any array-like
    weights: Any,  # noqa: ANN401 - any array-like
    *,
    median_rule: MedianRule,
    tie_rule: TieRule,
    nan_policy: NanOption,
    min_units: int,
) -> MeasureResult:
    check_option(median_rule, MEDIAN_RULES, "median_rule")
    check_option(tie_rule, TIE_RULES, "tie_rule")
    check_min_units(min_units)
    sample = prepare_sample([("values", values)], weights, nan_policy=nan_policy)
    conventions: dict[str, JSONValue] = {
        "median_rule": median_rule,
        "tie_rule": tie_rule,
        "nan_policy": nan_policy,
        "min_units": int(min_units),
    }
    early = too_few_units(measure, sample, min_units, conventions)
    if early is not None:
        return early
    x, w = sample.primary, sample.weights
    median = _median(sample, median_rule)
    # Shares from weights scaled by a power of two: the same bits, and no overflow.
    shares, _ = normalized(w)
    total = float(np.sum(shares))
    share_at_median = float(np.sum(shares[x == median]) / total)
    details: dict[str, float | None] = {
        "median": median,
        "share_at_median": share_at_median,
        "side_share": None,
        "side_units": None,
        "side_mean": None,
    }
    if median <= 0:
        issue = degenerate(
            "nonpositive_median", f"{measure} is undefined when the median is <= 0 ({median!r})"
        )
        return undefined_result(measure, sample, (issue,), conventions=conventions, details=details)
    if measure == "mcloone_index":
        side = x <= median if tie_rule == "inclusive" else x < median
    else:
        side = x >= median if tie_rule == "inclusive" else x > median
    details["side_units"] = int(np.count_nonzero(side))
    if not side.any():
        details["side_share"] = 0.0
        where = "below" if measure == "mcloone_index" else "above"
        issue = degenerate(
            "empty_side",
            f"{measure}: no unit lies {where} the median under tie_rule={tie_rule!r}; "
            "the value is 1.0 by convention",
        )
        return result_from(
            measure,
            sample,
            1.0,
            "empty_side",
            conventions=conventions,
            details=details,
            warnings=(issue,),
        )
    side_mean = weighted_mean(x[side], w[side])
    details["side_share"] = float(np.sum(shares[side]) / total)
    details["side_mean"] = side_mean
    return result_from(
        measure, sample, side_mean / median, "ok", conventions=conventions, details=details
    )


def mcloone_index(
    values: Any,  # noqa: ANN401 - any array-like
    weights: Any = None,  # noqa: ANN401 - any array-like
    *,
    median_rule: MedianRule = "weighted_inverted_cdf",
    tie_rule: TieRule = "strict",
    nan_policy: NanOption = "raise",
    min_units: int = 1,
) -> MeasureResult:
    r"""Return the McLoone index (McLoone 指数): spending below the median relative to it.

    Parameters
    ----------
    values : array_like
        One value per unit, e.g. per-pupil spending [any unit].
    weights : array_like, optional
        Weights >= 0, e.g. pupils; ``None`` gives every unit weight 1.
    median_rule : {"weighted_inverted_cdf", "weighted_average_at_ties", "unweighted"}, optional
        ``"weighted_inverted_cdf"`` (default): :math:`Q(0.5)` of :func:`weighted_quantile`.
        ``"weighted_average_at_ties"``: the same, but when some cumulative pupil share equals
        0.5 exactly, the mean of that unit's value and the next. ``"unweighted"``: the median
        of the unit values.
    tie_rule : {"strict", "inclusive"}, optional
        ``"strict"`` (default): the units strictly below the median; ``"inclusive"``: also
        the units exactly at it.
    nan_policy : {"raise", "omit"}, optional
        ``"omit"`` drops units whose value or weight is NaN.
    min_units : int, optional
        Fewer units give status ``"too_few_units"``; default 1.

    Returns
    -------
    MeasureResult
        ``measure="mcloone_index"``, ``value`` in [0, 1] for non-negative values, 1 = no
        shortfall below the median [dimensionless]. ``details``: ``median`` [unit of values],
        ``share_at_median`` (pupil share exactly at the median; when large, the tie rule
        matters), ``side_share`` and ``side_units`` (the pupils and units below), and
        ``side_mean``. Compare with ``BENCHMARKS["mcloone_index"]`` (>= 0.95 [S]).

    Warns
    -----
    DegenerateDataWarning
        ``empty_side`` (value 1.0, status ``"empty_side"``) when no unit is on the side;
        ``nonpositive_median`` (status ``"undefined"``) when the median is <= 0.

    See Also
    --------
    verstegen_index : the same above the median.

    Notes
    -----
    With :math:`M` the median and :math:`L = \{i : x_i < M\}` (``"strict"``) or
    :math:`\{i : x_i \le M\}` (``"inclusive"``), docs: API reference, eduequity.core:

    .. math:: \text{McLoone} = \frac{\sum_{i \in L} w_i x_i}{M \sum_{i \in L} w_i}

    Examples
    --------
    >>> mcloone_index([80, 90, 100, 110, 120]).value  # (80 + 90) / 2 / 100
    0.85
    >>> mcloone_index([80, 90, 100, 110, 120], tie_rule="inclusive").value  # 270 / 3 / 100
    0.9
    """
    return _median_side_index(
        "mcloone_index",
        values,
        weights,
        median_rule=median_rule,
        tie_rule=tie_rule,
        nan_policy=nan_policy,
        min_units=min_units,
    )


def verstegen_index(
    values: Any,  # noqa: ANN401 - any array-like
    weights: Any = None,  # noqa: ANN401 - any array-like
    *,
    median_rule: MedianRule = "weighted_inverted_cdf",
    tie_rule: TieRule = "strict",
    nan_policy: NanOption = "raise",
    min_units: int = 1,
) -> MeasureResult:
    r"""Return the Verstegen index (Verstegen 指数): spending above the median relative to it.

    Parameters, statuses and warnings are those of :func:`mcloone_index`, with the side
    :math:`U = \{i : x_i > M\}` (``"strict"``) or :math:`\{i : x_i \ge M\}` (``"inclusive"``):

    .. math:: \text{Verstegen} = \frac{\sum_{i \in U} w_i x_i}{M \sum_{i \in U} w_i} \ge 1

    1 means no excess above the median (docs: API reference, eduequity.core).

    Examples
    --------
    >>> verstegen_index([80, 90, 100, 110, 120]).value  # (110 + 120) / 2 / 100
    1.15

    When everybody is at the median, the strict side is empty:

    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     result = verstegen_index([100, 100, 100])
    >>> result.status, result.value, result.details["share_at_median"]
    ('empty_side', 1.0, 1.0)
    >>> caught[0].category.__name__
    'DegenerateDataWarning'
    """
    return _median_side_index(
        "verstegen_index",
        values,
        weights,
        median_rule=median_rule,
        tie_rule=tie_rule,
        nan_policy=nan_policy,
        min_units=min_units,
    )


# --------------------------------------------------------------------------------------------
# Wealth neutrality
# --------------------------------------------------------------------------------------------


def _pair_conventions(nan_policy: object, min_units: object) -> dict[str, JSONValue]:
    check_min_units(min_units)
    return {"nan_policy": str(nan_policy), "min_units": int(min_units)}  # type: ignore[call-overload]


def _zero_variance(measure: str, what: str) -> Issue:
    return degenerate(
        "zero_variance", f"{measure} is undefined: {what} has zero variance", stacklevel=5
    )


def wealth_correlation(
    values: Any,  # noqa: ANN401 - any array-like
    wealth: Any,  # noqa: ANN401 - any array-like
    weights: Any = None,  # noqa: ANN401 - any array-like
    *,
    nan_policy: NanOption = "raise",
    min_units: int = 1,
) -> MeasureResult:
    r"""Return the pupil-weighted correlation between resources and wealth (财富相关系数).

    Parameters
    ----------
    values : array_like
        Per-pupil resource :math:`x_i` per unit [any unit].
    wealth : array_like
        Wealth per pupil :math:`z_i` per unit, e.g. fiscal capacity [any unit].
    weights : array_like, optional
        Pupils per unit; ``None`` gives every unit weight 1.
    nan_policy : {"raise", "omit"}, optional
        ``"omit"`` drops units with a NaN value, wealth or weight.
    min_units : int, optional
        Fewer units give status ``"too_few_units"``; default 1.

    Returns
    -------
    MeasureResult
        ``measure="wealth_correlation"``, ``value`` in [-1, 1]; status ``"undefined"``
        (``zero_variance``) when either variable is constant. ``details`` has
        ``mean_values`` and ``mean_wealth``. Compare with ``BENCHMARKS["wealth_correlation"]``.

    Notes
    -----
    With :math:`p_i = w_i/W` and p-weighted means :math:`\bar x, \bar z` (two-pass;
    docs: API reference, eduequity.core):

    .. math::

        r = \frac{\sum_i p_i (x_i - \bar x)(z_i - \bar z)}
                 {\sqrt{\sum_i p_i (x_i - \bar x)^2 \sum_i p_i (z_i - \bar z)^2}}

    Rounding beyond [-1, 1] is clipped.

    Examples
    --------
    >>> wealth_correlation([10, 20, 30], [1, 2, 3]).value
    1.0
    >>> wealth_correlation([10, 20, 30], [3, 2, 1]).value
    -1.0
    """
    conventions = _pair_conventions(nan_policy, min_units)
    measure = "wealth_correlation"
    sample = prepare_sample(
        [("values", values), ("wealth", wealth)], weights, nan_policy=nan_policy
    )
    early = too_few_units(measure, sample, min_units, conventions)
    if early is not None:
        return early
    (x, z), w = sample.columns, sample.weights
    mean_x, mean_z = weighted_mean(x, w), weighted_mean(z, w)
    details: dict[str, float | None] = {"mean_values": mean_x, "mean_wealth": mean_z}
    constant = [name for name, data in (("values", x), ("wealth", z)) if data.min() == data.max()]
    if constant:
        issue = _zero_variance(measure, " and ".join(constant))
        return undefined_result(measure, sample, (issue,), conventions=conventions, details=details)
    # r does not depend on the scale of x, z or w: powers of two keep the sums, and the
    # product of two of them below, in range whatever the magnitudes.
    (x, _), (z, _), (w, _) = (normalized(data, always=True) for data in (x, z, w))
    dx, dz = x - weighted_mean(x, w), z - weighted_mean(z, w)
    sxx, szz, sxz = np.sum(w * dx * dx), np.sum(w * dz * dz), np.sum(w * dx * dz)
    product = sxx * szz
    # One square root of the product is exact for exactly linear data; fall back to two
    # roots if the product leaves the float range.
    scale = np.sqrt(product) if 0 < product < np.inf else np.sqrt(sxx) * np.sqrt(szz)
    value = float(sxz / scale)
    return result_from(
        measure,
        sample,
        min(max(value, -1.0), 1.0),
        "ok",
        conventions=conventions,
        details=details,
    )


def wealth_elasticity(
    values: Any,  # noqa: ANN401 - any array-like
    wealth: Any,  # noqa: ANN401 - any array-like
    weights: Any = None,  # noqa: ANN401 - any array-like
    *,
    nan_policy: NanOption = "raise",
    min_units: int = 1,
) -> MeasureResult:
    r"""Return the wealth elasticity of resources (财富弹性): the slope of ln x on ln z.

    Parameters are those of :func:`wealth_correlation`; both variables must be > 0.

    Returns
    -------
    MeasureResult
        ``measure="wealth_elasticity"`` [dimensionless]; status ``"undefined"``
        (``zero_variance``) when the wealth is constant. ``details["intercept"]`` is
        :math:`a`. Compare with ``BENCHMARKS["wealth_elasticity"]`` (<= 0.10 [S]).

    Raises
    ------
    InvalidValueError
        A value or wealth <= 0 (``code="nonpositive_value"``), NaN under ``"raise"``, bad
        weights.

    Notes
    -----
    The pupil-weighted least-squares fit :math:`\ln x = a + b \ln z`
    (docs: API reference, eduequity.core), with :math:`m_x, m_z` the p-weighted means of
    :math:`\ln x, \ln z`:

    .. math::

        b = \frac{\sum_i p_i (\ln x_i - m_x)(\ln z_i - m_z)}{\sum_i p_i (\ln z_i - m_z)^2}

    For :math:`x = c z^\beta` exactly, :math:`b = \beta`.

    Examples
    --------
    >>> round(wealth_elasticity([2, 4, 8], [1, 4, 16]).value, 12)  # x = 2 z^0.5
    0.5
    """
    conventions = _pair_conventions(nan_policy, min_units)
    measure = "wealth_elasticity"
    sample = prepare_sample(
        [("values", values), ("wealth", wealth)], weights, nan_policy=nan_policy
    )
    for name, data in zip(("values", "wealth"), sample.columns, strict=True):
        nonpositive = data <= 0
        if nonpositive.any():
            msg = (
                f"{name} must be > 0 for the wealth elasticity (it uses logarithms); "
                f"<= 0 at position {sample.locate(nonpositive)}"
            )
            raise InvalidValueError(msg, code="nonpositive_value")
    early = too_few_units(measure, sample, min_units, conventions)
    if early is not None:
        return early
    log_x, log_z = np.log(sample.columns[0]), np.log(sample.columns[1])
    w, _ = normalized(sample.weights)  # the slope does not depend on the scale of the weights
    if log_z.min() == log_z.max():
        issue = _zero_variance(measure, "wealth")
        return undefined_result(
            measure, sample, (issue,), conventions=conventions, details={"intercept": None}
        )
    mean_lx, mean_lz = weighted_mean(log_x, w), weighted_mean(log_z, w)
    dz = log_z - mean_lz
    slope = float(np.sum(w * (log_x - mean_lx) * dz) / np.sum(w * dz * dz))
    return result_from(
        measure,
        sample,
        slope,
        "ok",
        conventions=conventions,
        details={"intercept": mean_lx - slope * mean_lz},
    )


@attrs.frozen(kw_only=True)
class WealthNeutralityResult(Record):
    """Both wealth-neutrality statistics of the docs page API reference, eduequity.core."""

    correlation: MeasureResult
    """Pupil-weighted correlation of resources with wealth (:func:`wealth_correlation`)."""
    elasticity: MeasureResult
    """Elasticity of resources with respect to wealth (:func:`wealth_elasticity`)."""


def wealth_neutrality(
    values: Any,  # noqa: ANN401 - any array-like
    wealth: Any,  # noqa: ANN401 - any array-like
    weights: Any = None,  # noqa: ANN401 - any array-like
    *,
    nan_policy: NanOption = "raise",
    min_units: int = 1,
) -> WealthNeutralityResult:
    """Return the wealth correlation and the wealth elasticity (财政中性) together.

    Parameters, errors and warnings are those of :func:`wealth_correlation` and
    :func:`wealth_elasticity`; values and wealth must be > 0.

    Examples
    --------
    >>> result = wealth_neutrality([2, 4, 8], [1, 4, 16], weights=[100, 200, 100])
    >>> round(result.elasticity.value, 12), result.correlation.value > 0.9
    (0.5, True)
    """
    return WealthNeutralityResult(
        correlation=wealth_correlation(
            values, wealth, weights, nan_policy=nan_policy, min_units=min_units
        ),
        elasticity=wealth_elasticity(
            values, wealth, weights, nan_policy=nan_policy, min_units=min_units
        ),
    )
