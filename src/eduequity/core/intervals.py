"""Confidence intervals for proportions (Wilson score) and the Kish effective sample size.

Both the social-recognition rate (docs: The national method, Part 4: social recognition) and the
attainment share of units meeting a standard (docs: API reference, eduequity.core) report a Wilson
interval on the Kish effective size of their weights.
"""

from __future__ import annotations

import math
from typing import Any

import attrs
import numpy as np

from eduequity._scaling import normalized
from eduequity._serialize import Record
from eduequity._validation import as_weights
from eduequity.errors import InvalidArgumentError, InvalidValueError

__all__ = ["ProportionInterval", "kish_effective_size", "wilson_interval"]


@attrs.frozen(kw_only=True)
class ProportionInterval(Record):
    """A two-sided confidence interval for a proportion."""

    low: float
    """Lower bound, in [0, 1]."""
    high: float
    """Upper bound, in [0, 1]."""
    confidence: float
    """Confidence level, e.g. 0.95."""
    n: float
    """Sample size the interval was computed on (possibly a Kish effective size)."""
    method: str = "wilson"
    """How the interval was computed."""


def kish_effective_size(weights: Any) -> float:  # noqa: ANN401 - any array-like
    r"""Return Kish's effective sample size of a set of weights.

    .. math:: n_\mathrm{eff} = \frac{(\sum_i w_i)^2}{\sum_i w_i^2}

    It equals the number of units when all weights are equal.

    Parameters
    ----------
    weights : array_like
        Non-negative weights, at least one positive.

    Returns
    -------
    float

    Raises
    ------
    InvalidValueError
        If the weights are empty, negative, NaN, or all zero.

    Examples
    --------
    >>> kish_effective_size([1, 1, 1, 1])
    4.0
    >>> kish_effective_size([1, 3])
    1.6
    """
    array = np.atleast_1d(np.asarray(weights, dtype=np.float64))
    if array.size == 0:
        msg = "weights is empty; the effective size needs at least one weight"
        raise InvalidValueError(msg, code="empty_input")
    checked = as_weights(array, array.size)
    if np.isnan(checked).any():
        msg = "weights hold NaN; the effective size needs every weight"
        raise InvalidValueError(msg, code="missing_value")
    # fsum makes the result independent of the order of the weights, to the last bit; a power
    # of two keeps the squares of extreme weights in range without changing the ratio.
    scaled, _ = normalized(checked)
    return math.fsum(scaled) ** 2 / math.fsum(np.square(scaled))


def _two_sided_z(confidence: float) -> float:
    """Return the standard normal quantile of a two-sided ``confidence`` (0.95 → 1.95996...).

    scipy is imported here, when an interval is asked for, not when eduequity is imported.
    """
    from scipy.special import ndtri  # noqa: PLC0415 - keeps scipy out of import time

    return float(ndtri(1.0 - (1.0 - confidence) / 2.0))


def wilson_interval(proportion: float, n: float, *, confidence: float = 0.95) -> ProportionInterval:
    r"""Return the Wilson score interval of a proportion.

    With :math:`z = \Phi^{-1}(1 - (1 - \text{confidence})/2)`:

    .. math::

        c = \frac{p + z^2/(2n)}{1 + z^2/n}, \qquad
        h = \frac{z\sqrt{p(1-p)/n + z^2/(4n^2)}}{1 + z^2/n}, \qquad
        (c - h,\; c + h)

    The bounds are the roots of :math:`(1 + z^2/n)\,\theta^2 - (2p + z^2/n)\,\theta + p^2 = 0`.
    They are computed without cancellation, the lower one as
    :math:`p^2 / ((1 + z^2/n)(c + h))` and the upper one symmetrically as
    :math:`1 - (1-p)^2 / ((1 + z^2/n)(c' + h))` with :math:`c'` the centre for :math:`1 - p`;
    so small proportions keep their relative precision, and the bounds are exactly 0 at
    :math:`p = 0` and exactly 1 at :math:`p = 1`.

    Parameters
    ----------
    proportion : float
        Observed proportion :math:`p` in [0, 1].
    n : float
        Sample size, > 0; a Kish effective size may be fractional.
    confidence : float, optional
        Two-sided confidence level in (0, 1), default 0.95.

    Returns
    -------
    ProportionInterval

    Raises
    ------
    InvalidArgumentError
        If ``proportion`` is outside [0, 1], ``n`` is not positive, or ``confidence`` is
        outside (0, 1).

    References
    ----------
    E. B. Wilson, "Probable inference, the law of succession, and statistical inference",
    JASA 22 (1927) 209-212. docs: The national method, Part 4: social recognition gives the
    normative example below.

    Examples
    --------
    860 positive answers out of 1000 (docs: The national method, Part 4: social recognition):

    >>> interval = wilson_interval(0.86, 1000)
    >>> round(interval.low, 5), round(interval.high, 5)
    (0.83711, 0.88013)
    """
    if not (math.isfinite(proportion) and 0.0 <= proportion <= 1.0):
        msg = f"proportion must be in [0, 1]; got {proportion!r}"
        raise InvalidArgumentError(msg)
    if not (math.isfinite(n) and n > 0):
        msg = f"n must be a positive sample size; got {n!r}"
        raise InvalidArgumentError(msg)
    if not (0.0 < confidence < 1.0):
        msg = f"confidence must be in (0, 1); got {confidence!r}"
        raise InvalidArgumentError(msg)
    z = _two_sided_z(confidence)
    z2 = z * z
    denominator = 1.0 + z2 / n
    half = z * math.sqrt(proportion * (1.0 - proportion) / n + z2 / (4.0 * n * n)) / denominator
    # Each bound is the smaller root of its side's quadratic, taken from the product of the
    # roots: no subtraction of nearly equal numbers, and exactly 0 (1) at p = 0 (p = 1).
    complement = 1.0 - proportion
    far_low = (complement + z2 / (2.0 * n)) / denominator + half
    far_high = (proportion + z2 / (2.0 * n)) / denominator + half
    return ProportionInterval(
        low=proportion * proportion / (denominator * far_high),
        high=1.0 - complement * complement / (denominator * far_low),
        confidence=confidence,
        n=float(n),
    )
