r"""Wealth neutrality across a city's counties (财政中性): spending against fiscal capacity.

A city whose richer counties spend more per pupil is not wealth-neutral. Two pupil-weighted
statistics over the counties (Odden & Picus) measure how far spending follows wealth, both
computed by the core functions :func:`eduequity.core.wealth_correlation` and
:func:`eduequity.core.wealth_elasticity`:

.. math::

    r = \frac{\sum_g p_g (x_g - \bar x)(z_g - \bar z)}
             {\sqrt{\sum_g p_g (x_g - \bar x)^2 \sum_g p_g (z_g - \bar z)^2}},
    \qquad
    b = \frac{\sum_g p_g (\ln x_g - m_x)(\ln z_g - m_z)}{\sum_g p_g (\ln z_g - m_z)^2}

with :math:`x_g` the county's per-pupil spending, :math:`z_g` its fiscal capacity per pupil,
:math:`p_g` its share of the pupils and :math:`\bar x, \bar z, m_x, m_z` the pupil-weighted
means of :math:`x, z, \ln x, \ln z`. The benchmarks (Odden & Picus, configurable, [S]) are
:math:`r \le 0.5` and :math:`b \le 0.10`.

With a finance series (``county``, ``year``, ``education_expenditure_yuan`` or
``education_expenditure_per_pupil_yuan``, ``students``, ``recurring_revenue_yuan``), the city
assessment takes :math:`x_g` = education expenditure per pupil, :math:`z_g` = recurring fiscal
revenue per pupil and the pupils of the latest year in which at least two counties have all
three.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final, Literal

import attrs
import numpy as np
import pandas as pd

from eduequity._serialize import attrs_to_dict, to_jsonable
from eduequity._typing import JSONValue
from eduequity.core import MeasureResult
from eduequity.core.finance import BENCHMARKS, wealth_correlation, wealth_elasticity
from eduequity.errors import (
    InvalidArgumentError,
    InvalidTypeError,
    InvalidValueError,
    Issue,
)

__all__ = [
    "WEALTH_COLUMNS",
    "CityWealthNeutrality",
    "wealth_neutrality",
]

WEALTH_COLUMNS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "county": "县（市、区）",
        "value": "生均经费",
        "wealth": "生均财力",
        "pupils": "在校学生数",
        "pupil_share": "学生占比",
    }
)
"""Columns of :attr:`CityWealthNeutrality.counties` with their Chinese headers."""

NanPolicy = Literal["raise", "omit"]

_DEFINITIONS: Final[Mapping[str, str]] = {
    "wealth_correlation": (
        "pupil-weighted Pearson correlation of per-pupil spending with fiscal capacity per "
        "pupil across counties"
    ),
    "wealth_elasticity": (
        "slope b of the pupil-weighted least-squares fit ln(spending) = a + b ln(capacity) "
        "across counties"
    ),
}


@attrs.frozen(kw_only=True)
class CityWealthNeutrality:
    """Wealth neutrality of a city's counties: correlation and elasticity (财政中性).

    Examples
    --------
    Spending that rises with the square root of capacity has elasticity 0.5:

    >>> result = wealth_neutrality({"A": 2.0, "B": 4.0, "C": 8.0},
    ...                            {"A": 1.0, "B": 4.0, "C": 16.0},
    ...                            {"A": 100, "B": 200, "C": 100})
    >>> round(result.elasticity.value, 12), result.elasticity_meets_benchmark
    (0.5, False)
    """

    value_name: str
    """What the per-pupil values are, e.g. ``"education_expenditure_per_pupil_yuan"``."""
    wealth_name: str
    """What the wealth is, e.g. ``"recurring_revenue_per_pupil_yuan"``."""
    year: int | None
    """Budget year of the inputs, when known [year]."""
    correlation: MeasureResult
    """Pupil-weighted correlation :math:`r` (:func:`eduequity.core.wealth_correlation`)."""
    elasticity: MeasureResult
    """Elasticity :math:`b` (:func:`eduequity.core.wealth_elasticity`) [dimensionless]."""
    correlation_meets_benchmark: bool | None
    """Whether :math:`r \\le 0.5` (``None`` when undefined)."""
    elasticity_meets_benchmark: bool | None
    """Whether :math:`b \\le 0.10` (``None`` when undefined)."""
    counties: pd.DataFrame = attrs.field(eq=False, repr=False)
    """One row per county used, sorted: ``county``, ``value`` [per pupil], ``wealth``
    [per pupil], ``pupils`` and ``pupil_share`` (:data:`WEALTH_COLUMNS`)."""
    excluded: tuple[str, ...] = ()
    """Counties left out under ``nan_policy="omit"`` (a value, wealth or pupil count missing)."""
    warnings: tuple[Issue, ...] = ()
    """``zero_variance`` (one county, or equal values) and ``county_excluded``."""

    @property
    def table(self) -> pd.DataFrame:
        """Return both statistics as a tidy table, one row per measure.

        Columns: ``measure``, ``value``, ``status``, ``n_counties``, ``pupils``,
        ``benchmark``, ``comparator``, ``meets_benchmark``, ``benchmark_source`` and
        ``definition``.
        """
        rows = []
        for result, meets in (
            (self.correlation, self.correlation_meets_benchmark),
            (self.elasticity, self.elasticity_meets_benchmark),
        ):
            benchmark = BENCHMARKS[result.measure]
            rows.append(
                {
                    "measure": result.measure,
                    "value": np.nan if result.value is None else result.value,
                    "status": result.status,
                    "n_counties": result.n,
                    "pupils": result.weight_sum,
                    "benchmark": benchmark.threshold,
                    "comparator": benchmark.comparator,
                    "meets_benchmark": meets,
                    "benchmark_source": benchmark.source,
                    "definition": _DEFINITIONS[result.measure],
                }
            )
        return pd.DataFrame(rows)

    def to_dict(self) -> dict[str, JSONValue]:
        """Return a JSON-safe mapping of the fields and of :attr:`table`."""
        data = attrs_to_dict(self)
        data["table"] = to_jsonable(self.table)
        return data


def _as_series(data: object, name: str) -> pd.Series:
    if isinstance(data, pd.Series):
        series = data.copy()
    elif isinstance(data, Mapping):
        series = pd.Series(dict(data), dtype=object)
    else:
        msg = (
            f"{name} must be a pandas Series or a mapping keyed by county; got "
            f"{type(data).__name__}"
        )
        raise InvalidTypeError(msg, code="invalid_argument")
    series.index = series.index.map(str)
    if series.index.has_duplicates:
        repeated = sorted(set(series.index[series.index.duplicated()]))
        msg = f"{name}: county {', '.join(repeated)} appears twice; one value per county"
        raise InvalidValueError(msg, code="duplicate_county")
    numbers = pd.to_numeric(series, errors="coerce")
    bad = numbers.isna() & series.notna()
    if bad.any():
        county = str(series.index[bad.to_numpy()][0])
        msg = f"{name}[{county!r}] = {series[county]!r} is not a number; expected a number"
        raise InvalidValueError(msg, code="not_a_number")
    return numbers.astype(np.float64)


def _check_positive(frame: pd.DataFrame, column: str, name: str, *, allow_zero: bool) -> None:
    values = frame[column].to_numpy(dtype=np.float64)
    bad = values < 0 if allow_zero else values <= 0
    bad &= ~np.isnan(values)
    if bad.any():
        county = str(frame.index[bad][0])
        expected = ">= 0" if allow_zero else "> 0 (the elasticity takes logarithms)"
        msg = f"{name}[{county!r}] = {values[bad][0]:g}; expected {expected}"
        raise InvalidValueError(msg, code="nonpositive_value")


def wealth_neutrality(
    county_values: pd.Series | Mapping[str, float],
    county_wealth: pd.Series | Mapping[str, float],
    pupils: pd.Series | Mapping[str, float] | None = None,
    *,
    nan_policy: NanPolicy = "raise",
    value_name: str = "spending_per_pupil",
    wealth_name: str = "fiscal_capacity_per_pupil",
    year: int | None = None,
) -> CityWealthNeutrality:
    r"""Return the wealth neutrality of a city's counties (财政中性).

    Parameters
    ----------
    county_values : pandas.Series or mapping
        Per-pupil spending :math:`x_g` of each county, keyed by county [yuan per pupil].
    county_wealth : pandas.Series or mapping
        Fiscal capacity per pupil :math:`z_g` of each county, keyed by county [yuan per pupil].
    pupils : pandas.Series or mapping, optional
        Pupils of each county, the weights; ``None`` weights every county equally.
    nan_policy : {"raise", "omit"}, optional
        A county missing from one input, or with a missing number: an error (default), or
        left out and listed in ``excluded`` with warning ``county_excluded``.
    value_name, wealth_name : str, optional
        What the values and the wealth are, recorded with the result.
    year : int, optional
        Budget year of the inputs, recorded with the result.

    Returns
    -------
    CityWealthNeutrality
        Both statistics (:class:`~eduequity.core.MeasureResult`), their benchmarks and the
        county table. One county, or equal spending or capacity everywhere, gives status
        ``"undefined"`` (warning ``zero_variance``), never a number.

    Raises
    ------
    InvalidValueError
        No county (``no_rows``); a county with spending or capacity <= 0
        (``nonpositive_value``, the elasticity takes logarithms) or negative pupils; a
        missing county or number under ``nan_policy="raise"`` (``missing_value``); a value
        that is not a number, a county given twice. Each message names the county.
    InvalidTypeError
        An input that is neither a Series nor a mapping.
    InvalidArgumentError
        An unknown ``nan_policy``.

    Notes
    -----
    The statistics are those of :func:`eduequity.core.wealth_neutrality`, computed on the
    aligned county table; see the module notes for the formulas.
    """
    if nan_policy not in ("raise", "omit"):
        msg = f"nan_policy={nan_policy!r} is not offered; allowed: 'raise', 'omit'"
        raise InvalidArgumentError(msg, code="invalid_option")
    inputs = {
        "value": _as_series(county_values, "county_values"),
        "wealth": _as_series(county_wealth, "county_wealth"),
    }
    if pupils is not None:
        inputs["pupils"] = _as_series(pupils, "pupils")
    frame = pd.concat(inputs, axis=1, sort=True)
    if pupils is None:
        frame["pupils"] = 1.0
    frame.index.name = "county"
    if frame.empty:
        msg = "no county: county_values and county_wealth are empty; expected one row per county"
        raise InvalidValueError(msg, code="no_rows")
    names = {"value": "county_values", "wealth": "county_wealth", "pupils": "pupils"}
    for column in ("value", "wealth"):
        _check_positive(frame, column, names[column], allow_zero=False)
    _check_positive(frame, "pupils", "pupils", allow_zero=True)
    missing = frame.isna().any(axis=1).to_numpy()
    excluded: tuple[str, ...] = ()
    issues: list[Issue] = []
    if missing.any():
        lacking = frame.loc[missing]
        if nan_policy == "raise":
            county = str(lacking.index[0])
            first = lacking.iloc[0]
            absent = [names[column] for column in lacking.columns if pd.isna(first[column])]
            msg = (
                f"county {county!r} has no value in {', '.join(absent)}; give every county a "
                "value in each input, or nan_policy='omit' to leave it out"
            )
            raise InvalidValueError(msg, code="missing_value")
        excluded = tuple(str(county) for county in lacking.index)
        issues.append(
            Issue(
                code="county_excluded",
                message=(
                    f"{len(excluded)} counties left out for a missing value: {', '.join(excluded)}"
                ),
                severity="warning",
            )
        )
        frame = frame.loc[~missing]
    if frame.empty:
        msg = "no county has a value in every input; expected one row per county"
        raise InvalidValueError(msg, code="no_rows")
    x, z, w = (frame[column].to_numpy(dtype=np.float64) for column in ("value", "wealth", "pupils"))
    correlation = wealth_correlation(x, z, w)
    elasticity = wealth_elasticity(x, z, w)
    total = float(w.sum())
    counties = frame.assign(pupil_share=w / total if total > 0 else np.nan).reset_index()
    issues.extend((*correlation.warnings, *elasticity.warnings))
    return CityWealthNeutrality(
        value_name=value_name,
        wealth_name=wealth_name,
        year=year,
        correlation=correlation,
        elasticity=elasticity,
        correlation_meets_benchmark=BENCHMARKS["wealth_correlation"].assess(correlation),
        elasticity_meets_benchmark=BENCHMARKS["wealth_elasticity"].assess(elasticity),
        counties=counties[list(WEALTH_COLUMNS)],
        excluded=excluded,
        warnings=tuple(dict.fromkeys(issues)),
    )


WealthInputs = tuple[pd.Series, pd.Series, pd.Series, int]


def wealth_inputs_from_funding(funding: pd.DataFrame) -> tuple[WealthInputs | None, list[Issue]]:
    """Return per-pupil spending, capacity and pupils by county from a finance series.

    Parameters
    ----------
    funding : pandas.DataFrame
        The finance series as read by :func:`~eduequity.city.read_finance_series`
        (``LoadedTable.frame``).

    Returns
    -------
    tuple
        ``(spending_per_pupil, revenue_per_pupil, students, year)`` of the latest year in
        which at least two counties have spending, ``students`` and
        ``recurring_revenue_yuan``, each Series indexed by county, or ``None`` when no year
        has two such counties (or the columns are absent); and the warnings: warning
        ``nonpositive_value`` (and ``None``) when a county of that year has spending or
        revenue of 0, which the elasticity cannot take.
    """
    if "recurring_revenue_yuan" not in funding.columns or "students" not in funding.columns:
        return None, []
    frame = funding.assign(county=funding["county"].astype(str))
    students = frame["students"].astype(np.float64)
    spending = pd.Series(np.nan, index=frame.index)
    if "education_expenditure_per_pupil_yuan" in frame.columns:
        spending = frame["education_expenditure_per_pupil_yuan"].astype(np.float64)
    if "education_expenditure_yuan" in frame.columns:
        derived = frame["education_expenditure_yuan"].astype(np.float64) / students.where(
            students > 0
        )
        spending = spending.fillna(derived)
    revenue = frame["recurring_revenue_yuan"].astype(np.float64) / students.where(students > 0)
    complete = spending.notna() & revenue.notna() & students.notna()
    counts = frame.loc[complete, "year"].astype(np.int64).value_counts()
    eligible = counts.index[counts >= 2]  # noqa: PLR2004 - a correlation needs two counties
    if not len(eligible):
        return None, []
    year = int(max(eligible))
    chosen = (complete & (frame["year"] == year)).to_numpy()
    nonpositive = chosen & ((spending <= 0) | (revenue <= 0)).to_numpy()
    if nonpositive.any():
        row = frame.index[nonpositive][0]
        county = str(frame.loc[row, "county"])
        message = (
            f"wealth neutrality not computed for {year}: {county} has education expenditure or "
            "recurring revenue of 0, and the elasticity takes logarithms"
        )
        issue = Issue(
            code="nonpositive_value",
            message=message,
            severity="warning",
            table="finance",
            row=row,
            key=f"county={county}",
            column="recurring_revenue_yuan",
        )
        return None, [issue]
    county_names = frame.loc[chosen, "county"].to_numpy()
    inputs = (
        pd.Series(spending[chosen].to_numpy(), index=county_names),
        pd.Series(revenue[chosen].to_numpy(), index=county_names),
        pd.Series(students[chosen].to_numpy(), index=county_names),
        year,
    )
    return inputs, []
