r"""Parity indices (均等指数): the gender parity index and its adjusted form, parity bands.

A focus group's value :math:`a` (female, rural 乡村, poorest) is compared with a reference
group's value :math:`b` (male, urban 城区, richest) of the same indicator, a rate or a mean
(docs: API reference, eduequity.core):

.. math::

    \mathrm{PI} = \frac{a}{b}, \qquad
    \mathrm{PI}^{\mathrm{adj}} =
    \begin{cases} a / b & a \le b \\ 2 - b / a & a > b \end{cases}

The adjusted index (UIS "adjusted gender parity index", GPIA) is symmetric around 1 and bounded
in [0, 2). Parity is declared when the index lies in the band :data:`PARITY_BAND`, bounds
included; the comparison is exact (inputs read as the decimals typed), so ``0.02037 / 0.021``
is exactly 0.97 and in the band, although floating-point division gives 0.96999.... Both
indices and both classifications are reported, because near the band edges the adjustment can
change the verdict.

The same formulas give location parity (rural/urban, docs: The creation checklist and city
aggregation, City aggregation) and wealth parity.

References
----------
UNESCO Institute for Statistics, "Adjusted gender parity index (GPIA)", UIS glossary and
World Bank EdStats indicator definitions.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any, Final, Literal

import attrs
import numpy as np
import pandas as pd

from eduequity._exact import compare, to_fraction
from eduequity._serialize import Record
from eduequity._typing import BoolArray, FloatArray
from eduequity._validation import as_float_array, check_option, index_labels, positions
from eduequity.core._measure import ScalarResult
from eduequity.errors import (
    DegenerateDataWarning,
    InvalidArgumentError,
    InvalidTypeError,
    InvalidValueError,
    Issue,
)

__all__ = [
    "INDICATOR_DIRECTIONS",
    "PARITY_BAND",
    "ParityResult",
    "parity_index",
    "parity_indices",
]

IndicatorDirection = Literal["favourable", "adverse"]
BandPosition = Literal["below", "within", "above"]
Group = Literal["focus", "reference"]

PARITY_BAND: Final[tuple[float, float]] = (0.97, 1.03)
"""Parity band ``(low, high)``, bounds included: UIS convention (docs: API reference,
eduequity.core)."""

INDICATOR_DIRECTIONS: Final[tuple[IndicatorDirection, ...]] = ("favourable", "adverse")
"""``"favourable"``: more is better (enrolment); ``"adverse"``: less is better (out of school)."""

# Who is disadvantaged, by indicator direction and band position.
_DISADVANTAGED: Final[dict[tuple[str, str], Group]] = {
    ("favourable", "below"): "focus",
    ("favourable", "above"): "reference",
    ("adverse", "below"): "reference",
    ("adverse", "above"): "focus",
}


@attrs.frozen(kw_only=True)
class ParityResult(ScalarResult, Record):
    """A parity index with its adjusted form and its band classification."""

    value: float | None
    """The index used for the classification (adjusted or not, per ``adjusted``); ``None``
    when undefined [dimensionless]."""
    status: Literal["ok", "undefined"]
    """``"undefined"`` when the reference value is 0."""
    focus: float
    """The focus group's value :math:`a` [unit of the indicator]."""
    reference: float
    """The reference group's value :math:`b` [unit of the indicator]."""
    parity_index: float | None
    """The unadjusted index :math:`a / b`."""
    adjusted_parity_index: float | None
    """The adjusted index: :math:`a/b` if :math:`a \\le b`, else :math:`2 - b/a`."""
    adjusted: bool
    """Whether ``value`` and ``position`` use the adjusted index."""
    band: tuple[float, float]
    """The parity band ``(low, high)``, bounds included."""
    position: BandPosition | None
    """Where ``value`` lies: ``"below"``, ``"within"`` or ``"above"`` the band."""
    unadjusted_position: BandPosition | None
    """Where the unadjusted index lies."""
    adjusted_position: BandPosition | None
    """Where the adjusted index lies."""
    parity: bool | None
    """Whether parity is declared (``position == "within"``)."""
    disadvantaged: Group | None
    """The group at a disadvantage (``"focus"`` or ``"reference"``), ``None`` at parity."""
    classification_differs: bool | None
    """Whether the unadjusted and adjusted indices fall in different band positions."""
    indicator_direction: IndicatorDirection
    """``"favourable"`` (more is better) or ``"adverse"`` (less is better)."""
    warnings: tuple[Issue, ...] = ()
    """Degenerate-data warnings (``zero_reference``)."""


def _check_band(band: object) -> tuple[float, float]:
    try:
        low, high = band  # type: ignore[misc]
        low_value, high_value = float(low), float(high)  # type: ignore[has-type]
    except (TypeError, ValueError) as error:
        msg = f"band must be a pair (low, high) of numbers; got {band!r}"
        raise InvalidArgumentError(msg, code="invalid_option") from error
    if not (math.isfinite(low_value) and math.isfinite(high_value)) or not (
        0 < low_value <= 1 <= high_value
    ):
        msg = f"band must satisfy 0 < low <= 1 <= high; got {band!r}"
        raise InvalidArgumentError(msg, code="invalid_option")
    return low_value, high_value


def _check_values(array: FloatArray, name: str, labels: Any) -> None:  # noqa: ANN401
    missing = np.isnan(array)
    if missing.any():
        msg = f"{name} is NaN at position {positions(missing, labels)}; a value is needed"
        raise InvalidValueError(msg, code="missing_value")
    infinite = np.isinf(array)
    if infinite.any():
        msg = f"{name} must be finite; infinite at position {positions(infinite, labels)}"
        raise InvalidValueError(msg, code="not_a_number")
    negative = array < 0
    if negative.any():
        where = positions(negative, labels)
        msg = f"{name} must be >= 0 (a rate or mean); negative at position {where}"
        raise InvalidValueError(msg, code="negative_value")


@attrs.frozen(kw_only=True)
class _Indices:
    """Vectorized parity computation (arrays aligned with the inputs)."""

    unadjusted: FloatArray
    adjusted: FloatArray
    defined: BoolArray
    unadjusted_position: np.ndarray[Any, np.dtype[np.object_]]
    adjusted_position: np.ndarray[Any, np.dtype[np.object_]]


def _positions(
    index: FloatArray,
    defined: BoolArray,
    exact: Callable[[int], Fraction],
    band: tuple[float, float],
) -> np.ndarray[Any, np.dtype[np.object_]]:
    def exact_values(flat: np.ndarray) -> list[Fraction]:
        return [exact(int(i)) for i in flat]

    safe = np.where(defined, index, np.nan)
    reaches_low = compare(safe, np.array(band[0]), ">=", exact_values=exact_values)
    within_high = compare(safe, np.array(band[1]), "<=", exact_values=exact_values)
    result = np.where(reaches_low, np.where(within_high, "within", "above"), "below").astype(object)
    result[~defined] = None
    return result


def _indices(
    focus: FloatArray,
    reference: FloatArray,
    band: tuple[float, float],
    exact_focus: Callable[[int], Fraction],
    exact_reference: Callable[[int], Fraction],
) -> _Indices:
    defined = reference > 0
    safe_reference = np.where(defined, reference, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        unadjusted = np.where(defined, focus / safe_reference, np.nan)
        upper = 2.0 - safe_reference / np.where(focus > 0, focus, 1.0)
    # a <= b is decided exactly on floats (their decimal readings order the same way).
    adjusted = np.where(defined, np.where(focus <= reference, unadjusted, upper), np.nan)

    def exact_unadjusted(i: int) -> Fraction:
        return exact_focus(i) / exact_reference(i)

    def exact_adjusted(i: int) -> Fraction:
        a, b = exact_focus(i), exact_reference(i)
        return a / b if a <= b else 2 - b / a

    return _Indices(
        unadjusted=unadjusted,
        adjusted=adjusted,
        defined=defined,
        unadjusted_position=_positions(unadjusted, defined, exact_unadjusted, band),
        adjusted_position=_positions(adjusted, defined, exact_adjusted, band),
    )


def _exact_scalar(value: object, name: str) -> tuple[float, Fraction]:
    if isinstance(value, bool) or not isinstance(
        value, int | float | Fraction | Decimal | np.integer | np.floating
    ):
        msg = f"{name} must be a real number; got {value!r} ({type(value).__name__})"
        raise InvalidTypeError(msg, code="not_a_number")
    number = float(value)
    _check_values(np.array([number]), name, None)
    exact = to_fraction(value) if isinstance(value, Fraction | Decimal) else to_fraction(number)
    return number, exact


def parity_index(
    focus: float,
    reference: float,
    *,
    adjusted: bool = True,
    band: tuple[float, float] = PARITY_BAND,
    indicator_direction: IndicatorDirection = "favourable",
) -> ParityResult:
    r"""Return the parity index of a focus group against a reference group (均等指数).

    Parameters
    ----------
    focus : float
        The focus group's value :math:`a` >= 0 (female, rural, poorest) [rate or mean].
        :class:`~fractions.Fraction` and :class:`~decimal.Decimal` are used exactly.
    reference : float
        The reference group's value :math:`b` >= 0 (male, urban, richest), same indicator.
    adjusted : bool, optional
        Classify with the adjusted index (default, as UIS does) or the unadjusted one. Both
        indices and both positions are reported either way.
    band : tuple of float, optional
        Parity band ``(low, high)``, bounds included; default :data:`PARITY_BAND`.
    indicator_direction : {"favourable", "adverse"}, optional
        Whether more of the indicator is better (default) or worse (e.g. out-of-school
        rates). The index is the same; who is disadvantaged flips.

    Returns
    -------
    ParityResult

    Raises
    ------
    InvalidValueError
        A negative, NaN or infinite value.
    InvalidTypeError
        A value that is not a real number.
    InvalidArgumentError
        A malformed band or an unknown direction.

    Warns
    -----
    DegenerateDataWarning
        ``zero_reference``: :math:`b = 0` gives status ``"undefined"`` and no index.

    Notes
    -----
    docs: API reference, eduequity.core. :math:`a = 0` gives 0. Below the band a favourable
    indicator means a disadvantage for the focus group and an adverse one for the reference group;
    above the band, the reverse.

    Examples
    --------
    >>> result = parity_index(0.80, 0.90)  # female rate 80 %, male 90 %
    >>> round(result.value, 6), result.position, result.disadvantaged
    (0.888889, 'below', 'focus')
    >>> result = parity_index(0.90, 0.80)
    >>> result.parity_index, result.adjusted_parity_index  # 2 - 0.8 / 0.9 = 1.111...
    (1.125, 1.1111111111111112)
    >>> parity_index(0.02037, 0.021).position  # exactly 0.97 (floats say 0.9699...): in the band
    'within'
    >>> parity_index(0.12, 0.10, indicator_direction="adverse").disadvantaged  # out of school
    'focus'
    """
    check_option(indicator_direction, INDICATOR_DIRECTIONS, "indicator_direction")
    band_values = _check_band(band)
    a, exact_a = _exact_scalar(focus, "focus")
    b, exact_b = _exact_scalar(reference, "reference")
    computed = _indices(
        np.array([a]), np.array([b]), band_values, lambda _: exact_a, lambda _: exact_b
    )
    issues: tuple[Issue, ...] = ()
    if not computed.defined[0]:
        message = "the parity index is undefined when the reference value is 0"
        warnings.warn(f"[zero_reference] {message}", DegenerateDataWarning, stacklevel=2)
        issues = (Issue(code="zero_reference", message=message, severity="warning"),)
    row = _row(computed, 0, adjusted=adjusted, direction=indicator_direction)
    return ParityResult(
        focus=a,
        reference=b,
        adjusted=bool(adjusted),
        band=band_values,
        indicator_direction=indicator_direction,
        warnings=issues,
        **row,
    )


def _row(computed: _Indices, i: int, *, adjusted: bool, direction: str) -> dict[str, Any]:
    frame = _columns(computed, adjusted=adjusted, direction=direction)
    return {name: _scalar(frame[name][i]) for name in frame}


def _scalar(item: Any) -> Any:  # noqa: ANN401 - one cell of a column
    if item is None or (isinstance(item, float) and math.isnan(item)):
        return None
    return item.item() if isinstance(item, np.generic) else item


def _columns(computed: _Indices, *, adjusted: bool, direction: str) -> dict[str, np.ndarray]:
    """Return the result columns for all pairs at once (no loop over pairs)."""
    defined = computed.defined
    position = computed.adjusted_position if adjusted else computed.unadjusted_position
    below = np.array(_DISADVANTAGED[(direction, "below")], dtype=object)
    above = np.array(_DISADVANTAGED[(direction, "above")], dtype=object)
    disadvantaged = np.full(position.shape, None, dtype=object)
    disadvantaged[position == "below"] = below
    disadvantaged[position == "above"] = above
    parity = np.full(position.shape, None, dtype=object)
    parity[defined] = (position == "within")[defined]
    differs = np.full(position.shape, None, dtype=object)
    differs[defined] = (computed.unadjusted_position != computed.adjusted_position)[defined]
    return {
        "value": computed.adjusted if adjusted else computed.unadjusted,
        "status": np.where(defined, "ok", "undefined").astype(object),
        "parity_index": computed.unadjusted,
        "adjusted_parity_index": computed.adjusted,
        "position": position,
        "unadjusted_position": computed.unadjusted_position,
        "adjusted_position": computed.adjusted_position,
        "parity": parity,
        "disadvantaged": disadvantaged,
        "classification_differs": differs,
    }


def parity_indices(
    focus: Any,  # noqa: ANN401 - any array-like
    reference: Any,  # noqa: ANN401 - any array-like
    *,
    adjusted: bool = True,
    band: tuple[float, float] = PARITY_BAND,
    indicator_direction: IndicatorDirection = "favourable",
) -> pd.DataFrame:
    """Return parity indices for many pairs at once, one row per pair (vectorized).

    Parameters are those of :func:`parity_index`, with ``focus`` and ``reference`` array-like
    of equal length (e.g. one pair per county). The rows keep the index of ``focus`` when it
    is a Series.

    Returns
    -------
    pandas.DataFrame
        Columns ``focus``, ``reference``, ``value``, ``status``, ``parity_index``,
        ``adjusted_parity_index``, ``position``, ``unadjusted_position``,
        ``adjusted_position``, ``parity``, ``disadvantaged``, ``classification_differs``.

    Warns
    -----
    DegenerateDataWarning
        ``zero_reference`` once, naming the rows whose reference value is 0.

    Examples
    --------
    >>> table = parity_indices([0.80, 0.97, 1.10], [0.90, 1.00, 1.00])
    >>> table[["value", "position"]].round(4)
        value position
    0  0.8889    below
    1  0.9700   within
    2  1.0909    above
    """
    check_option(indicator_direction, INDICATOR_DIRECTIONS, "indicator_direction")
    band_values = _check_band(band)
    a = as_float_array(focus, name="focus")
    b = as_float_array(reference, name="reference")
    if a.size != b.size:
        msg = f"reference must have one entry per focus value: expected {a.size}, got {b.size}"
        raise InvalidValueError(msg, code="length_mismatch")
    labels = index_labels(focus)
    _check_values(a, "focus", labels)
    _check_values(b, "reference", index_labels(reference) if labels is None else labels)
    computed = _indices(
        a,
        b,
        band_values,
        lambda i: to_fraction(float(a[i])),
        lambda i: to_fraction(float(b[i])),
    )
    if not computed.defined.all():
        where = positions(~computed.defined, labels)
        warnings.warn(
            f"[zero_reference] the parity index is undefined where the reference is 0: "
            f"position {where}",
            DegenerateDataWarning,
            stacklevel=2,
        )
    columns = _columns(computed, adjusted=adjusted, direction=indicator_direction)
    return pd.DataFrame({"focus": a, "reference": b, **columns}, index=labels)
