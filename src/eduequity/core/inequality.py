r"""Inequality measures: Gini, generalized entropy (Theil T, MLD), Atkinson, and decomposition.

This module is one measure family (docs: API reference, eduequity.core):

- :func:`gini`: the weighted, replication-invariant Gini coefficient (基尼系数);
- :func:`generalized_entropy`: the generalized entropy family GE(α) (广义熵指数), with
  :func:`theil` (GE(1), Theil T, 泰尔指数) and :func:`mean_log_deviation` (GE(0), MLD,
  Theil L, 平均对数偏差); GE(2) is half the squared share-weighted coefficient of variation;
- :func:`atkinson`: the Atkinson index (阿特金森指数) and its equally-distributed equivalent;
- :func:`decompose_inequality`: the exact between/within-group decomposition of GE(α)
  (组间/组内分解), vectorized over all groups and reconciled against the direct total.

Conventions (docs: API reference, eduequity.core): values :math:`x_i \ge 0` (Gini may allow
negatives), weights :math:`w_i \ge 0` (pupils; ``None`` for unit weights),
:math:`W = \sum_i w_i`, :math:`p_i = w_i / W`, :math:`\mu = \sum_i p_i x_i`. Units with zero
weight contribute nothing and are counted in ``n_zero_weight``. ``nan_policy="omit"`` drops
units with a NaN value or weight and counts them in ``n_dropped``.

Numerical method. Every GE-type sum is evaluated term by term in the form

.. math::

    \phi_\alpha(t) = \frac{t^\alpha - 1 - \alpha (t - 1)}{\alpha(\alpha - 1)} \ge 0,
    \qquad \mathrm{GE}(\alpha) = \sum_i p_i\, \phi_\alpha(x_i / \mu),

which equals the textbook formula because :math:`\sum_i p_i (x_i/\mu - 1) = 0`. Each term is
non-negative and is computed without cancellation near :math:`t = 1` (series for
:math:`\log(1+u) - u` and :math:`e^y - 1 - y`), from deviations :math:`x_i - \mu` refined by a
second pass; group means enter the between part through their deviations from the overall
mean. So nearly equal values keep full relative precision and the decomposition closes to a
few units in the last place. Near :math:`\alpha = 1` and :math:`\alpha = 0`, where the
textbook numerator vanishes with :math:`\alpha(\alpha - 1)`, the terms come from forms expanded
around those points (``expm1`` and a series for :math:`(e^z - 1 - z)/z^2`), so GE(α) and the
Atkinson index are continuous through α = 0, α = 1 and ε = 1 to full precision. Values and
weights beyond :math:`2^{\pm 256}` are first scaled by exact powers of two (largest magnitude in
:math:`[1/2, 1)`), which these scale-invariant measures do not see: any finite input, from
1e-300 to 1e300, gives the same result as its rescaling. Sums run over the units in a
canonical order (value, then weight), so results are bit-identical under row permutations.

References
----------
F. A. Cowell, *Measuring Inequality*, 3rd ed., Oxford University Press (2011), ch. 3 and
Technical Appendix (GE family, Atkinson, decomposition).
A. F. Shorrocks, "The class of additively decomposable inequality measures",
*Econometrica* 48 (1980) 613-625.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Final, Literal

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from eduequity._scaling import normalized
from eduequity._serialize import Record, attrs_to_dict
from eduequity._typing import FloatArray, JSONValue
from eduequity._validation import check_option
from eduequity.core._measure import (
    MeasureResult,
    NanOption,
    Sample,
    check_min_units,
    check_real,
    degenerate,
    frozen_mapping,
    prepare_sample,
    result_from,
    too_few_units,
    undefined_result,
    weighted_mean,
)
from eduequity.errors import (
    InconsistencyError,
    InvalidArgumentError,
    InvalidTypeError,
    InvalidValueError,
    Issue,
)

__all__ = [
    "DECOMPOSITION_MEASURES",
    "GroupInequality",
    "InequalityDecomposition",
    "MeasureResult",
    "atkinson",
    "decompose_inequality",
    "generalized_entropy",
    "gini",
    "mean_log_deviation",
    "theil",
]

GiniCorrection = Literal["n", "frequency"] | None
NegativesOption = Literal["raise", "allow"]
NonpositiveOption = Literal["raise", "limit"]

DECOMPOSITION_MEASURES: Final[Mapping[str, float | None]] = {
    "ge2": 2.0,
    "half_cv_squared": 2.0,
    "theil": 1.0,
    "theil_t": 1.0,
    "ge1": 1.0,
    "mld": 0.0,
    "theil_l": 0.0,
    "ge0": 0.0,
    "ge": None,
}
"""Names accepted by ``decompose_inequality(measure=...)`` and the α each stands for.

``"ge"`` takes its α from the ``alpha`` argument. The α is always Cowell's: ``"theil"`` is
GE(1) (Theil T), never "parameter 0" as in some packages (docs: API reference, eduequity.core).
"""

RECONCILIATION_RELATIVE: Final = 1e-12
"""Largest accepted relative gap between the direct GE and between + within."""
RECONCILIATION_ABSOLUTE: Final = 1e-15
"""Absolute floor of the reconciliation tolerance for totals near zero (city spec §5)."""

_SMALLEST_NORMAL: Final = 2.0**-1022
_SERIES_CUTOFF: Final = 0.25
# Within this distance of α = 1 or α = 0, GE terms come from forms expanded around that point.
_NEAR_INTEGER: Final = 0.25
# Coefficients 1/(2k+3), k = 0..11: the atanh series of log(1+u) - u for |u| <= 0.25
# (|s| <= 1/7, s^24/27 < 1e-21).
_LOG_SERIES: Final = tuple(1.0 / (2 * k + 3) for k in range(12))
# Coefficients 1/k!, k = 2..17: the Taylor series of exp(y) - 1 - y for |y| <= 0.25.
_EXP_SERIES: Final = tuple(1.0 / math.factorial(k) for k in range(2, 18))


# --------------------------------------------------------------------------------------------
# Accurate per-unit terms
# --------------------------------------------------------------------------------------------


def _horner(coefficients: tuple[float, ...], z: FloatArray) -> FloatArray:
    result = np.full_like(z, coefficients[-1])
    for coefficient in reversed(coefficients[:-1]):
        result = result * z + coefficient
    return result


@attrs.frozen
class _Ratios:
    """``t = x / m`` with ``u = t - 1``, ``ln t`` and ``ln t - u``, each to full precision."""

    t: FloatArray
    u: FloatArray
    log_t: FloatArray
    log_minus_u: FloatArray


def _ratios(values: FloatArray, means: FloatArray | float, u: FloatArray) -> _Ratios:
    """Return the ratios of ``values`` to ``means`` and their logarithmic terms.

    ``u = (x - m)/m`` comes from the caller, computed from refined deviations. Near ``t = 1``
    the logarithm comes from ``u`` by a series without cancellation; far from it, from ``t``
    itself, whose relative precision ``u`` loses when ``t`` is tiny. A ratio below the normal
    range (it would lose digits or underflow) takes its logarithm as ``ln x - ln m``.
    """
    with np.errstate(divide="ignore", invalid="ignore", under="ignore"):
        t = values / means
        log_t = np.log(t)
        tiny = (t < _SMALLEST_NORMAL) & (values > 0)
        if tiny.any():
            log_means = np.log(means) if np.ndim(means) == 0 else np.log(means)[tiny]
            log_t[tiny] = np.log(values[tiny]) - log_means
        log_minus_u = log_t - u
    small = np.abs(u) <= _SERIES_CUTOFF
    near = u[small]
    # log(1+u) = 2 atanh(s), s = u/(2+u); 2s - u = -u*s exactly, so no cancellation remains.
    s = near / (2.0 + near)
    s2 = s * s
    log_minus_u[small] = -near * s + 2.0 * s * s2 * _horner(_LOG_SERIES, s2)
    log_t[small] = np.log1p(near)
    return _Ratios(t=t, u=u, log_t=log_t, log_minus_u=log_minus_u)


def _terms_near_one(ratios: _Ratios, alpha: float, beta: float) -> FloatArray:
    r"""Return :math:`\phi_\alpha(t)` for :math:`0 < |\alpha - 1| < 1/4`, without cancellation.

    With :math:`\beta = \alpha - 1`, :math:`L = \ln t`, :math:`z = \beta L` and
    :math:`E_2(z) = (e^z - 1 - z)/z^2`,

    .. math::

        \alpha\,\phi_\alpha(t) = \frac{t\,\mathrm{expm1}(z)}{\beta} - (t - 1)
        = \underbrace{t L - (t - 1)}_{\text{Theil T term}} + \beta\, t L^2 E_2(z).

    The textbook numerator :math:`t^\alpha - 1 - \alpha(t - 1)` vanishes with β and its
    rounding is divided by β; here β multiplies a small correction instead. For
    :math:`|z| \le 1/4` the second form is used (:math:`E_2` by its series), else the first,
    whose two parts then differ by a factor above 1.1.
    """
    t, u, log_t = ratios.t, ratios.u, ratios.log_t
    z = beta * log_t
    small = np.abs(z) <= _SERIES_CUTOFF
    numerator = t * np.expm1(z) / beta - u
    near = z[small]
    theil_term = ratios.log_minus_u[small] + u[small] * log_t[small]
    numerator[small] = theil_term + beta * t[small] * log_t[small] * log_t[small] * _horner(
        _EXP_SERIES, near
    )
    return numerator / alpha


def _terms_near_zero(ratios: _Ratios, alpha: float) -> FloatArray:
    r"""Return :math:`\phi_\alpha(t)` for :math:`0 < |\alpha| < 1/4`, without cancellation.

    With :math:`L = \ln t`, :math:`z = \alpha L` and :math:`E_2` as in
    :func:`_terms_near_one`,

    .. math::

        (1 - \alpha)\,\phi_\alpha(t) = (t - 1) - \frac{\mathrm{expm1}(z)}{\alpha}
        = \underbrace{(t - 1) - L}_{\text{MLD term}} - \alpha L^2 E_2(z),

    the second form for :math:`|z| \le 1/4`, the first otherwise.
    """
    u, log_t = ratios.u, ratios.log_t
    z = alpha * log_t
    small = np.abs(z) <= _SERIES_CUTOFF
    terms = u - np.expm1(z) / alpha
    near = z[small]
    mld_term = -ratios.log_minus_u[small]
    terms[small] = mld_term - alpha * log_t[small] * log_t[small] * _horner(_EXP_SERIES, near)
    return terms / (1.0 - alpha)


def _ge_terms(
    values: FloatArray,
    means: FloatArray | float,
    u: FloatArray,
    alpha: float,
    beta: float | None = None,
) -> FloatArray:
    r"""Return :math:`\phi_\alpha(x_i / m_i)` per unit, for means ``m_i > 0``.

    ``u`` is :math:`(x_i - m_i)/m_i`, computed by the caller from refined deviations (it
    carries the precision of nearly equal values). Zero values take the limit of the term
    (``1/α`` for α > 0, ``1`` for Theil T, where :math:`0 \ln 0 = 0`); callers reject zeros
    for α <= 0 before calling.
    ``beta`` is :math:`\alpha - 1` when the caller knows it more exactly than ``alpha - 1.0``
    (Atkinson's :math:`-\varepsilon`: ``1 - 1e-12`` has lost digits of ``1e-12``).
    """
    beta = alpha - 1.0 if beta is None else beta
    zero = values == 0
    ratios = _ratios(values, means, u)
    u, log_t, log_minus_u = ratios.u, ratios.log_t, ratios.log_minus_u
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if alpha == 2.0:  # noqa: PLR2004 - GE(2) = half the squared CV; exact form u²/2
            terms = 0.5 * u * u
        elif alpha == 1.0:
            # t ln t - (t - 1) = (ln t - u) + u ln t
            terms = log_minus_u + u * log_t
            terms = np.where(zero, 1.0, terms)
        elif alpha == 0.0:
            terms = -log_minus_u
        elif abs(beta) < _NEAR_INTEGER:
            terms = _terms_near_one(ratios, alpha, beta)
            if alpha > 0:
                terms = np.where(zero, 1.0 / alpha, terms)
        elif abs(alpha) < _NEAR_INTEGER:
            terms = _terms_near_zero(ratios, alpha)
            if alpha > 0:
                terms = np.where(zero, 1.0 / alpha, terms)
        else:
            # t^α - 1 - α u = [t^α - 1 - y] + α [ln t - u],  y = α ln t; the bracket by its
            # series for small |y|, else from t^α itself.
            y = alpha * log_t
            power = np.where(ratios.t < _SMALLEST_NORMAL, np.exp(y), np.power(ratios.t, alpha))
            bracket = power - 1.0 - y
            small = np.abs(y) <= _SERIES_CUTOFF
            near = y[small]
            bracket[small] = near * near * _horner(_EXP_SERIES, near)
            terms = (bracket + alpha * log_minus_u) / (alpha * beta)
            if alpha > 0:
                terms = np.where(zero, 1.0 / alpha, terms)
    # Each term is >= 0 in exact arithmetic; clip the rounding-level negatives of far terms.
    return np.maximum(terms, 0.0)


def _centred(values: FloatArray, weights: FloatArray) -> tuple[float, FloatArray]:
    r"""Return the weighted mean and the deviations from it, refined by a second pass.

    The deviations :math:`x_i - \mu` are exact for values near the mean (Sterbenz), and
    their weighted mean, subtracted, corrects the rounding of :math:`\mu`; so nearly equal
    values keep their differences to the last digit.
    """
    reference = weighted_mean(values, weights)
    deviations = values - reference
    if float(np.min(values)) == float(np.max(values)):
        return reference, np.zeros_like(values)
    correction = float(np.sum(weights * deviations) / np.sum(weights))
    return reference, deviations - correction


@attrs.frozen(kw_only=True)
class _Prepared:
    """A validated sample, its values and weights scaled by powers of two, and the mean."""

    sample: Sample
    x: FloatArray
    """The values times ``2**shift``."""
    w: FloatArray
    """The weights, scaled too (shares only: the scale of the weights drops out)."""
    shift: int
    """The exponent of the values' scale."""
    mean: float
    """The weighted mean of ``x`` (scaled)."""

    @property
    def reported_mean(self) -> float:
        """The weighted mean in the unit of the input values."""
        return math.ldexp(self.mean, -self.shift)


def _prepared(
    measure: str,
    values: Any,  # noqa: ANN401 - any array-like
    weights: Any,  # noqa: ANN401 - any array-like
    conventions: Mapping[str, JSONValue],
    *,
    nan_policy: NanOption,
    min_units: int,
    nonnegative: bool = True,
) -> _Prepared | MeasureResult:
    """Return the prepared, scaled sample, or the ``too_few_units`` result of ``measure``."""
    sample = prepare_sample(
        [("values", values)], weights, nan_policy=nan_policy, nonnegative=[nonnegative]
    )
    # One frame deeper than the measures' own calls: the warning still points at their caller.
    early = too_few_units(measure, sample, min_units, conventions, stacklevel=6)
    if early is not None:
        return early
    x, exponent = normalized(sample.primary)
    w, _ = normalized(sample.weights)
    return _Prepared(sample=sample, x=x, w=w, shift=-exponent, mean=weighted_mean(x, w))


def _ge_of(
    values: FloatArray, weights: FloatArray, alpha: float, beta: float | None = None
) -> float:
    """Return GE(α) of a non-empty sample with positive mean (zeros already checked).

    ``beta`` is α - 1 when known more exactly than ``alpha - 1.0`` (see :func:`_ge_terms`).
    """
    if float(np.min(values)) == float(np.max(values)):
        return 0.0
    mean, deviations = _centred(values, weights)
    terms = _ge_terms(values, mean, deviations / mean, alpha, beta)
    with np.errstate(over="ignore", invalid="ignore"):
        # Extreme ratios with α > 2 or α < 0 may exceed the float range: the caller reports it.
        return float(np.sum(weights * terms) / np.sum(weights))


# --------------------------------------------------------------------------------------------
# Gini
# --------------------------------------------------------------------------------------------


def gini(
    values: Any,  # noqa: ANN401 - any array-like
    weights: Any = None,  # noqa: ANN401 - any array-like
    *,
    correction: GiniCorrection = None,
    negatives: NegativesOption = "raise",
    nan_policy: NanOption = "raise",
    min_units: int = 1,
) -> MeasureResult:
    r"""Return the weighted Gini coefficient (基尼系数) of ``values``.

    The Gini coefficient is half the mean absolute difference between all pairs of pupils,
    relative to the mean. It is 0 when all values are equal and approaches 1 when one unit
    holds everything.

    Parameters
    ----------
    values : array_like
        One value per unit, e.g. a per-pupil resource [any unit]. Zeros are allowed.
    weights : array_like, optional
        Weights >= 0, e.g. enrolment [pupils]; ``None`` gives every unit weight 1.
    correction : {None, "n", "frequency"}, optional
        Finite-sample correction: ``None`` (default) none; ``"n"`` multiplies by
        :math:`n/(n-1)` (unweighted use, :math:`n` = units); ``"frequency"`` multiplies by
        :math:`W/(W-1)` (frequency weights).
    negatives : {"raise", "allow"}, optional
        Negative values raise (default), or enter the formula as they are; the result may
        then exceed 1.
    nan_policy : {"raise", "omit"}, optional
        ``"omit"`` drops units whose value or weight is NaN and counts them in ``n_dropped``.
    min_units : int, optional
        Fewer units with a positive weight give status ``"too_few_units"``; default 1.

    Returns
    -------
    MeasureResult
        ``measure="gini"``; ``value`` in [0, 1) without correction for non-negative values
        [dimensionless]; ``details["mean"]`` is :math:`\mu` [unit of values].

    Raises
    ------
    InvalidValueError
        NaN under ``nan_policy="raise"``, infinite values, negative values under
        ``negatives="raise"``, or negative/all-zero weights.
    InvalidArgumentError
        An unknown option.

    Warns
    -----
    DegenerateDataWarning
        Status ``"undefined"`` when :math:`\mu = 0` (``zero_mean``) or :math:`\mu < 0`
        (``negative_mean``), or when a correction is undefined (one unit with ``"n"``,
        :math:`W \le 1` with ``"frequency"``); a single unit gives 0 with ``single_unit``.

    See Also
    --------
    generalized_entropy : decomposable measures; the Gini has no exact group decomposition.

    Notes
    -----
    Definition and the :math:`O(n \log n)` form used (docs: API reference, eduequity.core), with
    units sorted stably by value and :math:`F_i = \sum_{j \le i} w_j`:

    .. math::

        G = \frac{\sum_i \sum_j w_i w_j |x_i - x_j|}{2 W^2 \mu}
          = \frac{\sum_i w_i x_i (2 F_i - w_i - W)}{W \sum_i w_i x_i}.

    The sorted form equals the pairwise one whatever the order of ties. It is
    replication-invariant: a unit of weight :math:`k` gives the same :math:`G` as :math:`k`
    copies of it. Covariance-based weighted formulas with small-sample weight corrections
    break this and are not used.

    Examples
    --------
    >>> gini([1, 2, 3, 4]).value
    0.25
    >>> gini([1, 3], weights=[3, 1]).value  # the same as gini([1, 1, 1, 3])
    0.25
    >>> gini([1, 2, 3, 4], correction="n").value  # 0.25 * 4/3
    0.3333333333333333
    """
    check_option(correction, (None, "n", "frequency"), "correction")
    check_option(negatives, ("raise", "allow"), "negatives")
    check_min_units(min_units)
    conventions: dict[str, JSONValue] = {
        "correction": correction,
        "negatives": negatives,
        "nan_policy": nan_policy,
        "min_units": int(min_units),
    }
    prepared = _prepared(
        "gini",
        values,
        weights,
        conventions,
        nan_policy=nan_policy,
        min_units=min_units,
        nonnegative=negatives == "raise",
    )
    if isinstance(prepared, MeasureResult):
        return prepared
    sample, x, w, mean = prepared.sample, prepared.x, prepared.w, prepared.mean
    reported = {"mean": prepared.reported_mean}
    undefined = _mean_issue("gini", mean)
    if undefined is not None:
        return undefined_result(
            "gini", sample, (undefined,), conventions=conventions, details=reported
        )
    issues: list[Issue] = []
    if sample.n == 1:
        issues.append(_single_unit("gini"))
    factor = 1.0
    if correction == "n":
        if sample.n == 1:
            return undefined_result(
                "gini", sample, issues, conventions=conventions, details=reported
            )
        factor = sample.n / (sample.n - 1)
    elif correction == "frequency":
        if sample.weight_sum <= 1:
            issues.append(
                degenerate(
                    "weight_sum_too_small",
                    f"the frequency correction W/(W-1) needs a weight sum above 1; "
                    f"got W = {sample.weight_sum!r}",
                )
            )
            return undefined_result(
                "gini", sample, issues, conventions=conventions, details=reported
            )
        factor = sample.weight_sum / (sample.weight_sum - 1.0)
    value = _sorted_gini(x, w, mean) * factor
    return result_from(
        "gini",
        sample,
        value,
        "ok",
        conventions=conventions,
        details=reported,
        warnings=issues,
    )


def _sorted_gini(x: FloatArray, w: FloatArray, mean: float) -> float:
    r"""Return the uncorrected Gini of units sorted ascending by ``x``, with weighted ``mean``.

    Since :math:`\sum_i w_i (2F_i - w_i - W) = 0`, the values may be replaced by their
    deviations from the mean in the numerator: nearly equal values then keep their
    differences to the last digit instead of cancelling.
    """
    if float(x[0]) == float(x[-1]):
        return 0.0
    cumulative = np.cumsum(w)
    total_weight = float(cumulative[-1])
    below = cumulative - w  # weight strictly before unit i
    above = total_weight - cumulative  # weight strictly after unit i
    numerator = float(np.sum(w * (x - mean) * (below - above)))
    return numerator / (total_weight * total_weight * mean)


def _mean_issue(measure: str, mean: float) -> Issue | None:
    if mean == 0:
        return degenerate(
            "zero_mean", f"{measure} is undefined when the weighted mean is 0", stacklevel=5
        )
    if mean < 0:
        return degenerate(
            "negative_mean",
            f"{measure} is not meaningful for a negative weighted mean ({mean!r})",
            stacklevel=5,
        )
    return None


def _single_unit(measure: str) -> Issue:
    return degenerate(
        "single_unit", f"{measure} of a single unit is 0: there is nothing to compare", stacklevel=5
    )


# --------------------------------------------------------------------------------------------
# Generalized entropy
# --------------------------------------------------------------------------------------------


def generalized_entropy(
    values: Any,  # noqa: ANN401 - any array-like
    weights: Any = None,  # noqa: ANN401 - any array-like
    *,
    alpha: float,
    nonpositive: NonpositiveOption = "raise",
    nan_policy: NanOption = "raise",
    min_units: int = 1,
) -> MeasureResult:
    r"""Return the generalized entropy index GE(α) (广义熵指数) of ``values``.

    Parameters
    ----------
    values : array_like
        One value >= 0 per unit, e.g. a per-pupil resource [any unit].
    weights : array_like, optional
        Weights >= 0, e.g. enrolment [pupils]; ``None`` gives every unit weight 1.
    alpha : float
        Sensitivity parameter α in Cowell's notation (no default: the α names the measure).
        2 gives half the squared CV, 1 Theil T, 0 the mean log deviation. Larger α is more
        sensitive to the top of the distribution, smaller α to the bottom.
    nonpositive : {"raise", "limit"}, optional
        For α <= 0, a zero value with positive weight makes GE undefined (the terms diverge;
        no finite limit): ``"raise"`` (default) raises, ``"limit"`` returns status
        ``"undefined"``. Zeros are always allowed for α > 0.
    nan_policy : {"raise", "omit"}, optional
        ``"omit"`` drops units whose value or weight is NaN and counts them in ``n_dropped``.
    min_units : int, optional
        Fewer units with a positive weight give status ``"too_few_units"``; default 1.

    Returns
    -------
    MeasureResult
        ``measure="generalized_entropy"``, ``conventions["alpha"]``; ``value`` >= 0
        [dimensionless]; ``details["mean"]`` is :math:`\mu` [unit of values].

    Raises
    ------
    InvalidValueError
        Negative values (any α), a zero value for α <= 0 under ``nonpositive="raise"``
        (``code="zero_value"``), NaN under ``nan_policy="raise"``, infinite values, bad weights.
    InvalidArgumentError
        A non-finite α or an unknown option.

    Warns
    -----
    DegenerateDataWarning
        Status ``"undefined"`` for :math:`\mu = 0` (``zero_mean``) or for zeros with α <= 0
        under ``nonpositive="limit"`` (``zero_value``); a single unit gives 0 with
        ``single_unit``.

    See Also
    --------
    theil, mean_log_deviation, decompose_inequality, atkinson

    Notes
    -----
    With :math:`p_i = w_i / W` and :math:`\mu = \sum_i p_i x_i` (docs: API reference,
    eduequity.core):

    .. math::

        \mathrm{GE}(\alpha) =
        \begin{cases}
        \dfrac{1}{\alpha(\alpha - 1)} \left[\sum_i p_i (x_i/\mu)^\alpha - 1\right]
            & \alpha \notin \{0, 1\} \\
        \sum_i p_i \dfrac{x_i}{\mu} \ln \dfrac{x_i}{\mu} & \alpha = 1 \text{ (Theil T)} \\
        -\sum_i p_i \ln \dfrac{x_i}{\mu} & \alpha = 0 \text{ (MLD)}
        \end{cases}

    :math:`\mathrm{GE}(2) = \mathrm{CV}^2/2` with share weights and ``ddof = 0``. For α > 0
    a zero value contributes its limit (:math:`0^\alpha = 0`, :math:`0 \ln 0 = 0`); it is kept
    and the mean includes it.

    Examples
    --------
    >>> generalized_entropy([1, 2, 3, 4], alpha=2).value  # CV² / 2 = 0.2 / 2
    0.1
    >>> round(generalized_entropy([1, 3], alpha=0).value, 12)  # -ln(0.75) / 2
    0.143841036226
    >>> round(generalized_entropy([0, 2], alpha=1).value, 12)  # ln 2: all in one unit
    0.69314718056
    """
    alpha_value = check_real(alpha, "alpha")
    check_option(nonpositive, ("raise", "limit"), "nonpositive")
    check_min_units(min_units)
    return _generalized_entropy(
        values,
        weights,
        alpha=alpha_value,
        nonpositive=nonpositive,
        nan_policy=nan_policy,
        min_units=min_units,
    )


def _generalized_entropy(
    values: Any,  # noqa: ANN401 - any array-like
    weights: Any,  # noqa: ANN401 - any array-like
    *,
    alpha: float,
    nonpositive: NonpositiveOption,
    nan_policy: NanOption,
    min_units: int,
) -> MeasureResult:
    measure = "generalized_entropy"
    conventions: dict[str, JSONValue] = {
        "alpha": alpha,
        "nonpositive": nonpositive,
        "nan_policy": nan_policy,
        "min_units": int(min_units),
    }
    prepared = _prepared(
        measure, values, weights, conventions, nan_policy=nan_policy, min_units=min_units
    )
    if isinstance(prepared, MeasureResult):
        return prepared
    sample, x, w, mean = prepared.sample, prepared.x, prepared.w, prepared.mean
    details: dict[str, float | None] = {"mean": prepared.reported_mean}
    issue = _mean_issue(f"GE({alpha:g})", mean)
    if issue is None and alpha <= 0:
        issue = _zero_issue(x, sample, f"GE({alpha:g})", nonpositive)
    if issue is not None:
        return undefined_result(measure, sample, (issue,), conventions=conventions, details=details)
    issues = [_single_unit(f"GE({alpha:g})")] if sample.n == 1 else []
    value = _ge_of(x, w, alpha)
    if not math.isfinite(value):
        issue = _overflow(f"GE({alpha:g})")
        return undefined_result(measure, sample, (issue,), conventions=conventions, details=details)
    return result_from(
        measure, sample, value, "ok", conventions=conventions, details=details, warnings=issues
    )


def _overflow(measure: str) -> Issue:
    return degenerate(
        "overflow",
        f"{measure} exceeds the floating-point range: the values are too unequal for it",
        stacklevel=5,
    )


def _zero_issue(
    values: FloatArray,
    sample: Sample,
    measure: str,
    nonpositive: NonpositiveOption,
    *,
    condition: str = "",
    limit: float | None = None,
) -> Issue | None:
    """Raise or warn when a value is 0 for a measure undefined at zero; ``None`` if no zero.

    Under ``nonpositive="limit"`` the warning is ``zero_value`` (status ``"undefined"``), or
    ``zero_limit`` when the measure returns the limiting value ``limit`` instead.
    ``condition`` qualifies the measure in the error (e.g. ``" with epsilon >= 1"``).
    """
    zero = values == 0
    if not zero.any():
        return None
    where = sample.locate(zero)
    if nonpositive == "raise":
        remedy = (
            "to get status 'undefined'" if limit is None else f"for the limiting value {limit!r}"
        )
        msg = (
            f"{measure}{condition} is undefined when a unit with positive weight has value 0; "
            f"values is 0 at position {where}; pass nonpositive='limit' {remedy}"
        )
        raise InvalidValueError(msg, code="zero_value")
    if limit is None:
        return degenerate(
            "zero_value",
            f"{measure} is undefined: values is 0 at position {where}",
            stacklevel=5,
        )
    return degenerate(
        "zero_limit",
        f"{measure} returns its limiting value {limit!r}: values is 0 at position {where}",
        stacklevel=5,
    )


def theil(
    values: Any,  # noqa: ANN401 - any array-like
    weights: Any = None,  # noqa: ANN401 - any array-like
    *,
    nan_policy: NanOption = "raise",
    min_units: int = 1,
) -> MeasureResult:
    r"""Return the Theil T index (泰尔指数), GE(1).

    .. math:: T = \sum_i p_i \frac{x_i}{\mu} \ln \frac{x_i}{\mu}

    Zero values are kept: each contributes :math:`0 \ln 0 = 0` and the mean includes it
    (docs: API reference, eduequity.core). The result is :func:`generalized_entropy` with
    ``alpha=1``; see there for parameters, statuses and errors. Its maximum is :math:`\ln n` for
    :math:`n` equally weighted units.

    Examples
    --------
    >>> round(theil([1, 3]).value, 12)  # (0.5 ln 0.5 + 1.5 ln 1.5) / 2
    0.130812035941
    >>> theil([5, 5, 5]).value
    0.0
    """
    check_min_units(min_units)
    return _generalized_entropy(
        values,
        weights,
        alpha=1.0,
        nonpositive="raise",
        nan_policy=nan_policy,
        min_units=min_units,
    )


def mean_log_deviation(
    values: Any,  # noqa: ANN401 - any array-like
    weights: Any = None,  # noqa: ANN401 - any array-like
    *,
    nonpositive: NonpositiveOption = "raise",
    nan_policy: NanOption = "raise",
    min_units: int = 1,
) -> MeasureResult:
    r"""Return the mean log deviation (平均对数偏差; MLD, Theil L), GE(0).

    .. math:: \mathrm{MLD} = -\sum_i p_i \ln \frac{x_i}{\mu}

    Any zero value with positive weight makes the MLD undefined: it raises under
    ``nonpositive="raise"`` (default) and gives status ``"undefined"`` under ``"limit"``.
    The result is :func:`generalized_entropy` with ``alpha=0``; see there for parameters,
    statuses and errors.

    Examples
    --------
    >>> round(mean_log_deviation([1, 3]).value, 12)  # -ln(0.75) / 2
    0.143841036226
    """
    check_option(nonpositive, ("raise", "limit"), "nonpositive")
    check_min_units(min_units)
    return _generalized_entropy(
        values,
        weights,
        alpha=0.0,
        nonpositive=nonpositive,
        nan_policy=nan_policy,
        min_units=min_units,
    )


# --------------------------------------------------------------------------------------------
# Atkinson
# --------------------------------------------------------------------------------------------


def atkinson(
    values: Any,  # noqa: ANN401 - any array-like
    weights: Any = None,  # noqa: ANN401 - any array-like
    *,
    epsilon: float,
    nonpositive: NonpositiveOption = "raise",
    nan_policy: NanOption = "raise",
    min_units: int = 1,
) -> MeasureResult:
    r"""Return the Atkinson index A(ε) (阿特金森指数) of ``values``.

    A(ε) is the share of the mean that could be given up, with equal shares, without loss of
    welfare for a society with inequality aversion ε.

    Parameters
    ----------
    values : array_like
        One value >= 0 per unit [any unit].
    weights : array_like, optional
        Weights >= 0, e.g. enrolment [pupils]; ``None`` gives every unit weight 1.
    epsilon : float
        Inequality aversion ε >= 0 (no default: the ε names the measure). 0 gives 0.
    nonpositive : {"raise", "limit"}, optional
        For ε >= 1, a zero value with positive weight raises (default) or, with ``"limit"``,
        gives the limiting value 1.0 flagged ``zero_limit``. Zeros are allowed for ε < 1.
    nan_policy : {"raise", "omit"}, optional
        ``"omit"`` drops units whose value or weight is NaN and counts them in ``n_dropped``.
    min_units : int, optional
        Fewer units with a positive weight give status ``"too_few_units"``; default 1.

    Returns
    -------
    MeasureResult
        ``measure="atkinson"``, ``conventions["epsilon"]``; ``value`` in [0, 1]
        [dimensionless]; ``details["mean"]`` is :math:`\mu` and ``details["ede"]`` the
        equally-distributed equivalent :math:`\mu (1 - A)` [unit of values].

    Raises
    ------
    InvalidValueError
        Negative values, a zero value for ε >= 1 under ``nonpositive="raise"``
        (``code="zero_value"``), NaN under ``nan_policy="raise"``, infinite values, bad weights.
    InvalidArgumentError
        ε < 0 or not finite, or an unknown option.

    Warns
    -----
    DegenerateDataWarning
        ``zero_limit`` when the limiting value 1.0 is returned, ``zero_mean`` (status
        ``"undefined"``) for :math:`\mu = 0`, ``single_unit`` for one unit (value 0).

    See Also
    --------
    generalized_entropy : A(ε) is a monotone transform of GE(1 - ε).

    Notes
    -----
    docs: API reference, eduequity.core:

    .. math::

        A(\varepsilon) =
        \begin{cases}
        1 - \left[\sum_i p_i (x_i/\mu)^{1-\varepsilon}\right]^{1/(1-\varepsilon)}
            & \varepsilon \ne 1 \\
        1 - \exp\left(\sum_i p_i \ln x_i\right) / \mu & \varepsilon = 1
        \end{cases}

    It is computed from the GE family as
    :math:`A(\varepsilon) = 1 - [1 + \varepsilon(\varepsilon-1)\,\mathrm{GE}(1-\varepsilon)]
    ^{1/(1-\varepsilon)}` and :math:`A(1) = 1 - \exp(-\mathrm{MLD})`, evaluated with
    ``log1p``/``expm1`` so small indices keep full relative precision.

    Examples
    --------
    >>> round(atkinson([1, 3], epsilon=1).value, 12)  # 1 - sqrt(3) / 2
    0.133974596216
    >>> round(atkinson([1, 9], epsilon=0.5).value, 12)  # 1 - ((1 + 3) / 2)² / 5
    0.2
    """
    epsilon_value = check_real(epsilon, "epsilon")
    if epsilon_value < 0:
        msg = f"epsilon must be >= 0 (inequality aversion); got {epsilon!r}"
        raise InvalidArgumentError(msg, code="invalid_option")
    check_option(nonpositive, ("raise", "limit"), "nonpositive")
    check_min_units(min_units)
    measure = "atkinson"
    conventions: dict[str, JSONValue] = {
        "epsilon": epsilon_value,
        "nonpositive": nonpositive,
        "nan_policy": nan_policy,
        "min_units": int(min_units),
    }
    prepared = _prepared(
        measure, values, weights, conventions, nan_policy=nan_policy, min_units=min_units
    )
    if isinstance(prepared, MeasureResult):
        return prepared
    sample, x, w, mean = prepared.sample, prepared.x, prepared.w, prepared.mean
    original_mean = prepared.reported_mean
    issue = _mean_issue(f"A({epsilon_value:g})", mean)
    if issue is not None:
        return undefined_result(
            measure,
            sample,
            (issue,),
            conventions=conventions,
            details={"mean": original_mean, "ede": None},
        )
    limit = None
    if epsilon_value >= 1:
        limit = _zero_issue(
            x,
            sample,
            f"A({epsilon_value:g})",
            nonpositive,
            condition=" with epsilon >= 1",
            limit=1.0,
        )
    if limit is not None:
        return result_from(
            measure,
            sample,
            1.0,
            "ok",
            conventions=conventions,
            details={"mean": original_mean, "ede": 0.0},
            warnings=(limit,),
        )
    issues = [_single_unit(f"A({epsilon_value:g})")] if sample.n == 1 else []
    value = _atkinson_of(x, w, epsilon_value)
    return result_from(
        measure,
        sample,
        value,
        "ok",
        conventions=conventions,
        details={"mean": original_mean, "ede": original_mean * (1.0 - value)},
        warnings=issues,
    )


def _atkinson_of(x: FloatArray, w: FloatArray, epsilon: float) -> float:
    if epsilon == 0 or float(x[0]) == float(x[-1]):
        return 0.0
    if epsilon == 1:
        return float(-math.expm1(-_ge_of(x, w, 0.0)))
    # α - 1 = -ε exactly, whereas 1 - ε has lost the digits of a small ε.
    alpha, beta = 1.0 - epsilon, -epsilon
    index = _ge_of(x, w, alpha, beta)
    # sum_i p_i t_i^α = 1 + α(α-1) GE(α);  A = 1 - (that)^(1/α). For 0 < α < 1 the moment
    # may round to 0 or below when almost everything is held by a negligible share: A = 1.
    shifted = alpha * beta * index
    if shifted <= -1.0:
        return 1.0
    value = -math.expm1(math.log1p(shifted) / alpha)
    return min(max(value, 0.0), 1.0)


# --------------------------------------------------------------------------------------------
# Decomposition
# --------------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class GroupInequality(Record):
    """One group's row of an :class:`InequalityDecomposition`."""

    group: Any
    """The group label as given (county code, location, school type, ...)."""
    n: int
    """Units of the group used (positive weight)."""
    weight_sum: float
    r"""Group weight :math:`W_g` [pupils when weighted by enrolment]."""
    population_share: float
    r"""Population share :math:`P_g = W_g / W` [fraction]."""
    mean: float
    r"""Weighted group mean :math:`\mu_g` [unit of values]."""
    relative_mean: float | None
    r"""Relative mean :math:`r_g = \mu_g / \mu`; ``None`` when :math:`\mu = 0`."""
    resource_share: float | None
    r"""Share of the total resource :math:`S_g = P_g r_g` [fraction]; ``None`` if undefined."""
    inequality: float | None
    r"""The group's own index :math:`\mathrm{GE}_g(\alpha)`; ``None`` when undefined (a group
    whose mean is 0, or any undefined decomposition)."""
    within_contribution: float | None
    r"""The group's term of the within part, :math:`P_g r_g^\alpha \mathrm{GE}_g(\alpha)`
    (0 for an all-zero group under Theil T); ``None`` when the decomposition is undefined."""


DecompositionStatus = Literal["ok", "undefined", "too_few_units"]


@attrs.frozen(kw_only=True)
class InequalityDecomposition:
    r"""Exact between/within-group decomposition of GE(α) (组间/组内分解).

    ``total = between + within`` holds to a relative ``1e-12`` (checked at construction by
    :func:`decompose_inequality`; ``discrepancy`` reports the gap).
    """

    measure: str
    """``"ge2"`` (α = 2), ``"theil"`` (α = 1), ``"mld"`` (α = 0) or ``"ge"`` (other α)."""
    alpha: float
    """The GE parameter α (Cowell's notation)."""
    status: DecompositionStatus
    """``"ok"``, ``"undefined"`` (zero mean, or zeros for α <= 0) or ``"too_few_units"``."""
    total: float | None
    """GE(α) of all units, computed directly [dimensionless]."""
    between: float | None
    r"""Between-group part: GE(α) of the group means, :math:`\sum_g P_g \phi_\alpha(r_g)`."""
    within: float | None
    r"""Within-group part :math:`\sum_g P_g r_g^\alpha \mathrm{GE}_g(\alpha)`."""
    between_share: float | None
    """``between / total``; ``None`` when the total is 0 or undefined."""
    discrepancy: float | None
    """``abs(total - (between + within))``, the reconciliation gap."""
    n: int
    """Units used (valid value, valid group label, positive weight)."""
    weight_sum: float
    """Total weight ``W`` of the units used."""
    n_dropped: int
    """Units dropped for a NaN value or weight or a missing group (``nan_policy="omit"``)."""
    n_zero_weight: int
    """Units with zero weight (they contribute nothing)."""
    ignored_groups: tuple[Any, ...]
    """Groups with zero total weight, left out of the table (with a warning)."""
    groups: tuple[GroupInequality, ...]
    """One row per group with positive weight, in sorted label order."""
    conventions: Mapping[str, JSONValue] = attrs.field(factory=dict, converter=frozen_mapping)
    """The parameters that decide the result (``alpha``, ``nonpositive``, ``nan_policy``)."""
    warnings: tuple[Issue, ...] = ()
    """Degenerate-data warnings raised while computing the result."""

    @property
    def within_share(self) -> float | None:
        """``within / total``; ``None`` when the total is 0 or undefined."""
        if self.total is None or self.within is None or self.total == 0:
            return None
        return self.within / self.total

    @property
    def n_groups(self) -> int:
        """Number of groups in the table."""
        return len(self.groups)

    def table(self) -> pd.DataFrame:
        """Return the per-group table as a DataFrame indexed by group label."""
        columns = [field.name for field in attrs.fields(GroupInequality)]
        frame = pd.DataFrame(
            [[getattr(row, name) for name in columns] for row in self.groups], columns=columns
        )
        return frame.set_index("group")

    def to_dict(self) -> dict[str, JSONValue]:
        """Return a JSON-safe mapping of the fields, with ``within_share`` and ``n_groups``."""
        result = attrs_to_dict(self)
        result["within_share"] = self.within_share
        result["n_groups"] = self.n_groups
        return result


def decompose_inequality(
    values: Any,  # noqa: ANN401 - any array-like
    groups: Any,  # noqa: ANN401 - any array-like of labels
    weights: Any = None,  # noqa: ANN401 - any array-like
    *,
    measure: str = "ge2",
    alpha: float | None = None,
    nonpositive: NonpositiveOption = "raise",
    nan_policy: NanOption = "raise",
) -> InequalityDecomposition:
    r"""Decompose GE(α) exactly into between-group and within-group parts.

    Parameters
    ----------
    values : array_like
        One value >= 0 per unit, e.g. a school's per-pupil resource [any unit].
    groups : array_like
        One group label per unit (county, location 城区/镇区/乡村, school type, ...). Labels of
        one sortable type; missing labels (``None``/NaN) are treated like NaN values.
    weights : array_like, optional
        Weights >= 0, e.g. enrolment [pupils]; ``None`` gives every unit weight 1.
    measure : str, optional
        ``"ge2"`` (default; GE(2) = CV²/2), ``"theil"`` (GE(1), Theil T), ``"mld"`` (GE(0)),
        or ``"ge"`` with ``alpha``; aliases in :data:`DECOMPOSITION_MEASURES`.
    alpha : float, optional
        The α for ``measure="ge"``; with another measure it must agree with it if given.
    nonpositive : {"raise", "limit"}, optional
        For α <= 0, a zero value raises (default) or, with ``"limit"``, gives status
        ``"undefined"``.
    nan_policy : {"raise", "omit"}, optional
        ``"omit"`` drops units whose value, weight or group is missing and counts them.

    Returns
    -------
    InequalityDecomposition
        ``total``, ``between``, ``within``, ``between_share``, the per-group table
        (``groups`` and :meth:`~InequalityDecomposition.table`) and the reconciliation gap.

    Raises
    ------
    InconsistencyError
        If the direct GE(α) and ``between + within`` differ by more than a relative ``1e-12``
        (absolute ``1e-15`` near zero): a bug, please report it.
    InvalidValueError
        Negative values, zeros for α <= 0 under ``nonpositive="raise"``, missing values or
        groups under ``nan_policy="raise"``, bad weights, ``groups`` of another length.
    InvalidTypeError
        Group labels that cannot be sorted together (e.g. numbers mixed with text).
    InvalidArgumentError
        An unknown measure, or an ``alpha`` that contradicts it.

    Warns
    -----
    DegenerateDataWarning
        ``zero_weight_group`` for groups left out, ``zero_mean`` or ``zero_value`` with status
        ``"undefined"``, ``too_few_units`` when no unit is left.

    See Also
    --------
    generalized_entropy : the same index without groups.

    Notes
    -----
    With :math:`W_g`, :math:`P_g = W_g / W`, :math:`\mu_g`, :math:`r_g = \mu_g/\mu` and
    :math:`S_g = P_g r_g` (docs: API reference, eduequity.core):

    .. math::

        \mathrm{GE}(\alpha) =
        \underbrace{\frac{\sum_g P_g r_g^\alpha - 1}{\alpha(\alpha - 1)}}_{\text{between}}
        + \underbrace{\sum_g P_g r_g^\alpha\, \mathrm{GE}_g(\alpha)}_{\text{within}},

    with between :math:`\sum_g S_g \ln r_g` for α = 1 and :math:`-\sum_g P_g \ln r_g` for
    α = 0; within is :math:`\sum_g S_g T_g` and :math:`\sum_g P_g \mathrm{MLD}_g` there. For
    α = 2, twice each part gives the CV² decomposition of the docs page The creation checklist and
    city aggregation, City aggregation. Under Theil T a group whose values are all 0 has :math:`S_g
    = 0` and adds 0 to both parts.

    The between part is computed as :math:`\sum_g P_g \phi_\alpha(r_g)` (see the module
    notes), so both parts are sums of non-negative terms. All groups are processed at once
    (sort by group, ``np.add.reduceat``), and the sums run in a canonical order, so the
    result does not depend on row order. The total is recomputed directly over all units
    and compared with ``between + within``.

    Examples
    --------
    Two counties of two schools each, unweighted: county means 2 and 6 around 4.

    >>> result = decompose_inequality([1, 3, 5, 7], ["a", "a", "b", "b"], measure="ge2")
    >>> result.total, result.between, result.within  # CV²/2 = 5/32, ½(½·¼ + ½·¼), 1/32
    (0.15625, 0.125, 0.03125)
    >>> result.between_share
    0.8
    >>> result.table()[["population_share", "mean", "relative_mean"]]
           population_share  mean  relative_mean
    group
    a                   0.5   2.0            0.5
    b                   0.5   6.0            1.5
    """
    alpha_value, name = _decomposition_alpha(measure, alpha)
    check_option(nonpositive, ("raise", "limit"), "nonpositive")
    codes, labels = _group_codes(groups)
    sample = prepare_sample(
        [("groups", codes), ("values", values)],
        weights,
        nan_policy=nan_policy,
        nonnegative=[False, True],
    )
    conventions: dict[str, JSONValue] = {
        "alpha": alpha_value,
        "nonpositive": nonpositive,
        "nan_policy": nan_policy,
    }
    code = sample.columns[0].astype(np.intp)
    present = np.unique(code)
    issues: list[Issue] = []
    ignored_mask = np.ones(len(labels), dtype=np.bool_)
    ignored_mask[present] = False
    ignored = tuple(_plain(labels[i]) for i in np.flatnonzero(ignored_mask))
    if ignored:
        shown = ", ".join(repr(label) for label in ignored[:5])
        more = f" and {len(ignored) - 5} more" if len(ignored) > 5 else ""  # noqa: PLR2004
        issues.append(
            degenerate(
                "zero_weight_group",
                f"groups with zero total weight are ignored: {shown}{more}",
                stacklevel=3,
            )
        )
    empty = _Decomposed(name=name, alpha=alpha_value, sample=sample, ignored=ignored)
    if sample.n == 0:
        issues.append(
            degenerate(
                "too_few_units",
                "the decomposition needs at least one unit with a valid value and positive weight",
                stacklevel=3,
            )
        )
        return empty.build("too_few_units", conventions=conventions, issues=issues)
    return _decompose(
        sample,
        code,
        labels,
        empty,
        nonpositive=nonpositive,
        conventions=conventions,
        issues=issues,
    )


@attrs.frozen(kw_only=True)
class _Decomposed:
    """What every outcome of the decomposition shares; builds the public result."""

    name: str
    alpha: float
    sample: Sample
    ignored: tuple[Any, ...]

    def build(
        self,
        status: DecompositionStatus,
        *,
        conventions: Mapping[str, JSONValue],
        issues: list[Issue],
        parts: tuple[float, float, float, float] | None = None,
        groups: tuple[GroupInequality, ...] = (),
    ) -> InequalityDecomposition:
        total, between, within, discrepancy = parts if parts is not None else (None,) * 4
        share = between / total if total and between is not None else None
        return InequalityDecomposition(
            measure=self.name,
            alpha=self.alpha,
            status=status,
            total=total,
            between=between,
            within=within,
            between_share=share,
            discrepancy=discrepancy,
            n=self.sample.n,
            weight_sum=self.sample.weight_sum,
            n_dropped=self.sample.n_dropped,
            n_zero_weight=self.sample.n_zero_weight,
            ignored_groups=self.ignored,
            groups=groups,
            conventions=conventions,
            warnings=tuple(issues),
        )


@attrs.frozen
class _GroupMoments:
    """Per-group weights and means of units sorted by group (one contiguous run each)."""

    starts: npt.NDArray[np.intp]
    counts: npt.NDArray[np.intp]
    weight: FloatArray
    mean: FloatArray
    overall_mean: float
    deviation: FloatArray
    """``mean_g - mean`` to full precision."""
    within_deviations: FloatArray
    """``x_i - mean_g`` per unit, to full precision; exactly 0 in a constant group."""


def _group_moments(x: FloatArray, w: FloatArray, code: npt.NDArray[np.intp]) -> _GroupMoments:
    """Return the group moments in one vectorized pass (no loop over groups)."""
    starts = np.flatnonzero(np.concatenate(([True], code[1:] != code[:-1])))
    ends = np.append(starts[1:], x.size)
    counts = ends - starts
    weight_g = np.add.reduceat(w, starts)
    # Within a group units are sorted by value: the first is the smallest, the last the largest.
    low_g, high_g = x[starts], x[ends - 1]
    constant_g = low_g == high_g
    # Group means in two passes, as _centred does for one sample.
    first_g = np.clip(np.add.reduceat(w * x, starts) / weight_g, low_g, high_g)
    first_g = np.where(constant_g, low_g, first_g)
    within_deviations = x - np.repeat(first_g, counts)
    correction_g = np.add.reduceat(w * within_deviations, starts) / weight_g
    correction_g = np.where(constant_g, 0.0, correction_g)
    within_deviations -= np.repeat(correction_g, counts)
    mean_g = np.clip(first_g + correction_g, low_g, high_g)
    # The between part rests on mean_g - mean: for means that agree to many digits it comes
    # from the deviations from the overall mean, which keep full precision.
    mean, deviations = _centred(x, w)
    deviation_g = np.add.reduceat(w * deviations, starts) / weight_g
    deviation_g = np.where(constant_g, deviations[starts], deviation_g)
    deviation_g = np.where(np.abs(deviation_g) <= 0.5 * mean, deviation_g, mean_g - mean)
    if starts.size == 1:
        # One group: its mean is the overall mean, and the between part is exactly 0.
        deviation_g = np.zeros(1)
        mean_g = np.array([mean])
    return _GroupMoments(
        starts=starts,
        counts=counts,
        weight=weight_g,
        mean=mean_g,
        overall_mean=mean,
        deviation=deviation_g,
        within_deviations=within_deviations,
    )


def _decompose(
    sample: Sample,
    code: npt.NDArray[np.intp],
    labels: np.ndarray[Any, Any],
    outcome: _Decomposed,
    *,
    nonpositive: NonpositiveOption,
    conventions: Mapping[str, JSONValue],
    issues: list[Issue],
) -> InequalityDecomposition:
    alpha = outcome.alpha
    x, exponent = normalized(sample.columns[1])
    w, weight_exponent = normalized(sample.weights)  # shares only: the weights' scale drops out
    shift, weight_shift = -exponent, -weight_exponent
    groups = _group_moments(x, w, code)
    starts, counts, weight_g, mean_g = groups.starts, groups.counts, groups.weight, groups.mean
    mean, deviation_g = groups.overall_mean, groups.deviation
    share_g = weight_g / float(np.sum(w))
    labels_g = [_plain(labels[i]) for i in code[starts]]

    def rows(
        relative: FloatArray | None, inequality: FloatArray | None, within: FloatArray | None
    ) -> tuple[GroupInequality, ...]:
        resource = None if relative is None else share_g * relative

        def pick(array: FloatArray | None, i: int) -> float | None:
            if array is None or math.isnan(array[i]):
                return None
            return float(array[i])

        return tuple(
            GroupInequality(
                group=labels_g[i],
                n=int(counts[i]),
                weight_sum=math.ldexp(float(weight_g[i]), -weight_shift),
                population_share=float(share_g[i]),
                mean=math.ldexp(float(mean_g[i]), -shift),
                relative_mean=pick(relative, i),
                resource_share=pick(resource, i),
                inequality=pick(inequality, i),
                within_contribution=pick(within, i),
            )
            for i in range(starts.size)
        )

    measure_text = f"GE({alpha:g}) decomposition"
    if mean == 0:
        issues.append(
            degenerate("zero_mean", f"{measure_text} is undefined: the mean is 0", stacklevel=4)
        )
        return outcome.build(
            "undefined", conventions=conventions, issues=issues, groups=rows(None, None, None)
        )
    relative_g = mean_g / mean
    if alpha <= 0:
        zero_issue = _zero_issue(x, sample, measure_text, nonpositive)
        if zero_issue is not None:
            issues.append(zero_issue)
            return outcome.build(
                "undefined",
                conventions=conventions,
                issues=issues,
                groups=rows(relative_g, None, None),
            )

    total = _ge_of(x, w, alpha)
    if not math.isfinite(total):
        issues.append(_overflow(measure_text))
        return outcome.build(
            "undefined", conventions=conventions, issues=issues, groups=rows(relative_g, None, None)
        )
    zero_group = mean_g == 0  # only possible for alpha > 0 (zeros were rejected otherwise)
    safe_mean_g = np.where(zero_group, 1.0, mean_g)
    unit_mean = np.repeat(safe_mean_g, counts)
    u_within = groups.within_deviations / unit_mean
    terms = _ge_terms(x, unit_mean, u_within, alpha)
    inequality_g = np.add.reduceat(w * terms, starts) / weight_g
    inequality_g = np.where(zero_group, np.nan, inequality_g)
    with np.errstate(invalid="ignore", over="ignore"):
        within_g = share_g * np.power(relative_g, alpha) * inequality_g
    within_g = np.where(zero_group, 0.0, within_g)
    within = float(np.sum(within_g))
    between_terms = _ge_terms(mean_g, mean, deviation_g / mean, alpha)
    between = float(np.sum(share_g * between_terms))
    if float(np.min(x)) == float(np.max(x)):
        between = within = 0.0
    discrepancy = abs(total - (between + within))
    tolerance = max(RECONCILIATION_RELATIVE * abs(total), RECONCILIATION_ABSOLUTE)
    if not discrepancy <= tolerance:
        msg = (
            f"{measure_text} does not reconcile: direct total {total!r}, between {between!r} "
            f"+ within {within!r} differ by {discrepancy!r} (tolerance {tolerance!r}); "
            "this is a bug in eduequity, please report it"
        )
        raise InconsistencyError(msg)
    return outcome.build(
        "ok",
        conventions=conventions,
        issues=issues,
        parts=(total, between, within, discrepancy),
        groups=rows(relative_g, inequality_g, within_g),
    )


def _decomposition_alpha(measure: object, alpha: object) -> tuple[float, str]:
    check_option(measure, tuple(DECOMPOSITION_MEASURES), "measure")
    implied = DECOMPOSITION_MEASURES[str(measure)]
    if implied is None:
        if alpha is None:
            msg = "measure='ge' needs alpha, the GE parameter (e.g. alpha=2)"
            raise InvalidArgumentError(msg, code="invalid_option")
        value = check_real(alpha, "alpha")
    else:
        value = implied
        if alpha is not None and check_real(alpha, "alpha") != implied:
            msg = f"measure={measure!r} is GE({implied:g}); it contradicts alpha={alpha!r}"
            raise InvalidArgumentError(msg, code="invalid_option")
    names = {2.0: "ge2", 1.0: "theil", 0.0: "mld"}
    return value, names.get(value, "ge")


def _group_codes(groups: Any) -> tuple[Any, np.ndarray[Any, Any]]:  # noqa: ANN401
    """Return sorted-label codes as floats (NaN for a missing label) and the sorted labels.

    The codes keep a Series' index, so that messages name rows by their label.
    """
    raw = groups.to_numpy() if isinstance(groups, pd.Series | pd.Index) else groups
    array = np.asarray(raw, dtype=object) if not isinstance(raw, np.ndarray) else raw
    if array.ndim != 1:
        msg = f"groups must be 1-dimensional; got shape {array.shape}"
        raise InvalidValueError(msg, code="bad_shape")
    try:
        codes, uniques = pd.factorize(array, sort=True, use_na_sentinel=True)
    except TypeError as error:
        msg = (
            "groups must hold labels of one sortable type (all text or all numbers); "
            f"sorting them failed: {error}"
        )
        raise InvalidTypeError(msg, code="mixed_group_labels") from error
    # Text mixed with numbers (county 3701 and "3701") would split one group silently.
    kind = pd.api.types.infer_dtype(uniques, skipna=True)
    if kind in {"mixed", "mixed-integer"}:
        shown = ", ".join(repr(label) for label in list(uniques)[:5])
        msg = (
            "groups must hold labels of one sortable type (all text or all numbers); "
            f"got a mix: {shown}"
        )
        raise InvalidTypeError(msg, code="mixed_group_labels")
    float_codes = codes.astype(np.float64)
    float_codes[codes < 0] = np.nan
    labels = np.asarray(uniques, dtype=object)
    if isinstance(groups, pd.Series):
        return pd.Series(float_codes, index=groups.index), labels
    return float_codes, labels


def _plain(label: Any) -> Any:  # noqa: ANN401 - any label
    """Return numpy scalars as Python scalars, so labels serialize and compare simply."""
    return label.item() if isinstance(label, np.generic) else label
