r"""Funding: the "three growths" (三个增长), growth rates and early warnings.

docs: The creation checklist and city aggregation, City aggregation, seed 003 [V]:
compulsory-education funding must show

======  ======================================================================  ================
series  what (Chinese)                                                          rule
======  ======================================================================  ================
(1)     general public budget expenditure on education (一般公共预算教育支出)   grows every year
(2)     the same per enrolled pupil (按在校学生人数平均的一般公共预算教育支出)  grows every year
(3a)    staff salaries (教职工工资)                                             grow gradually
(3b)    per-pupil public funds (学生人均公用经费)                               grow gradually
======  ======================================================================  ================

**Input** (:data:`FINANCE_SCHEMA`): one row per unit (county or city, column ``county``) and
year, with the series as columns. Money in yuan (a header in 万元 is converted); negative →
error ``negative_value``; the same unit and year twice → error ``duplicate_county_year``; a
missing year inside a unit's span → warning ``series_gap``, and no growth is computed across
the gap. The library never relabels one series as another: total compulsory-education
investment (义务教育经费总投入, e.g. Xiamen's 9.23 → 10.064 → 11.355 bn yuan, seed 004) has its
own column, ``compulsory_education_investment_yuan``, reported with its growth but not part of
the three growths.

**Checks**, per unit, series and year :math:`t` with a value for :math:`t - 1`:

.. math::

    g_t = V_t / V_{t-1} - 1, \qquad \text{grows}_t = V_t > V_{t-1}
    \quad (\ge \text{ with } \texttt{allow\_equal}),

``three_growths_t`` = grows for (1), (2), (3a) and (3b) (``fail`` if one falls short,
``incomplete`` if a series is missing and none falls short), the average annual growth
:math:`(V_\text{end} / V_\text{start})^{1/k} - 1` over :math:`k` yearly steps (geometric,
default; ``average="arithmetic"`` takes the mean of the :math:`g_t`), and an early warning
for any :math:`g_t < 0` (Weifang's warning on falling funding, seed 000). Series (2) is the
given ``education_expenditure_per_pupil_yuan`` or, where it is missing, (1) divided by
``students``; (3a) is ``staff_salary_total_yuan`` when given, else ``avg_staff_salary_yuan``.

Optional: the older statutory form, growth of (1) above the growth of recurring fiscal revenue
(``recurring_revenue_yuan``) [M]; and the education share of fiscal spending, (1) over
``total_fiscal_expenditure_yuan``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Final, Literal

import attrs
import numpy as np
import pandas as pd

from eduequity._serialize import Record
from eduequity.errors import InvalidArgumentError, Issue
from eduequity.io import ColumnSpec, LoadedTable, TableSchema, read_table

if TYPE_CHECKING:
    from eduequity.io import TableContext

__all__ = [
    "FINANCE_SCHEMA",
    "FUNDING_SERIES",
    "THREE_GROWTHS",
    "FundingGrowth",
    "FundingSeries",
    "funding_growth",
    "read_finance_series",
]

_TABLE: Final = "finance"


@attrs.frozen(kw_only=True)
class FundingSeries(Record):
    """One funding series of §9: id, code, Chinese name and the columns it is read from."""

    id: str
    """Stable identifier, e.g. ``"education_expenditure"``."""
    code: str
    """Display code: ``"1"``, ``"2"``, ``"3a"``, ``"3b"`` for the three growths, ``"-"`` else."""
    title_zh: str
    """Chinese name."""
    title_en: str
    """English name."""
    columns: tuple[str, ...]
    """Columns of :data:`FINANCE_SCHEMA` it is read from, in order of preference."""
    rule: str
    """``"grows"`` (every year), ``"grows_gradually"`` or ``"reported"`` (growth only)."""


FUNDING_SERIES: Final[Mapping[str, FundingSeries]] = MappingProxyType(
    {
        series.id: series
        for series in (
            FundingSeries(
                id="education_expenditure",
                code="1",
                title_zh="一般公共预算教育支出",
                title_en="general public budget expenditure on education",
                columns=("education_expenditure_yuan",),
                rule="grows",
            ),
            FundingSeries(
                id="education_expenditure_per_pupil",
                code="2",
                title_zh="按在校学生人数平均的一般公共预算教育支出",
                title_en="the same per enrolled pupil",
                columns=("education_expenditure_per_pupil_yuan", "students"),
                rule="grows",
            ),
            FundingSeries(
                id="staff_salary",
                code="3a",
                title_zh="教职工工资",
                title_en="staff salaries",
                columns=("staff_salary_total_yuan", "avg_staff_salary_yuan"),
                rule="grows_gradually",
            ),
            FundingSeries(
                id="public_funds_per_pupil",
                code="3b",
                title_zh="学生人均公用经费",
                title_en="per-pupil public funds",
                columns=("public_funds_per_pupil_yuan",),
                rule="grows_gradually",
            ),
            FundingSeries(
                id="compulsory_education_investment",
                code="-",
                title_zh="义务教育经费总投入",
                title_en="total compulsory-education investment",
                columns=("compulsory_education_investment_yuan",),
                rule="reported",
            ),
            FundingSeries(
                id="recurring_revenue",
                code="-",
                title_zh="财政经常性收入",
                title_en="recurring fiscal revenue",
                columns=("recurring_revenue_yuan",),
                rule="reported",
            ),
            FundingSeries(
                id="total_fiscal_expenditure",
                code="-",
                title_zh="一般公共预算支出",
                title_en="total general public budget expenditure",
                columns=("total_fiscal_expenditure_yuan",),
                rule="reported",
            ),
        )
    }
)
"""The series of §9 (seed 003 [V]) and the reported-only series, by id."""

THREE_GROWTHS: Final[tuple[str, ...]] = (
    "education_expenditure",
    "education_expenditure_per_pupil",
    "staff_salary",
    "public_funds_per_pupil",
)
"""The series of the three growths, (1), (2), (3a), (3b)."""

_SERIES_COLUMNS: Final = (
    "education_expenditure_yuan",
    "education_expenditure_per_pupil_yuan",
    "staff_salary_total_yuan",
    "avg_staff_salary_yuan",
    "public_funds_per_pupil_yuan",
    "compulsory_education_investment_yuan",
    "recurring_revenue_yuan",
    "total_fiscal_expenditure_yuan",
)


def _money(name: str, *aliases: str, description: str, unit: str = "yuan") -> ColumnSpec:
    return ColumnSpec(
        name=name, kind="decimal", unit=unit, aliases=aliases, description=description
    )


def _check_columns(ctx: TableContext) -> None:
    """``missing_required_column`` when no series column is present at all."""
    if any(ctx.has(name) for name in _SERIES_COLUMNS):
        return
    accepted = ", ".join(_SERIES_COLUMNS)
    ctx.add(
        "missing_required_column",
        f"no funding series column is present; give at least one of: {accepted}",
        column="education_expenditure_yuan",
    )


def _check_duplicates(ctx: TableContext) -> None:
    """``duplicate_county_year``: the same unit and year twice."""
    frame = pd.DataFrame(
        {
            "county": pd.Series(ctx.texts("county"), dtype=object),
            "year": ctx.numbers("year"),
            "position": np.arange(len(ctx.frame)),
        }
    ).dropna()
    repeated = frame.duplicated(["county", "year"], keep="first").to_numpy(dtype=np.bool_)
    if not repeated.any():
        return
    clashing = frame[frame.duplicated(["county", "year"], keep=False).to_numpy(dtype=np.bool_)]
    rows_of: dict[tuple[str, float], list[int]] = {}
    for county, year, position in clashing.itertuples(index=False, name=None):
        rows_of.setdefault((county, year), []).append(int(position))
    mask = np.zeros(len(ctx.frame), dtype=np.bool_)
    mask[frame["position"].to_numpy()[repeated]] = True
    counties = ctx.texts("county")
    years = ctx.numbers("year")

    def describe(i: int) -> str:
        rows = rows_of[(counties[i], years[i])]
        return (
            f"{counties[i]} {int(years[i])} appears on {ctx.rows_text(rows)}; one row per unit "
            "and year"
        )

    ctx.flag("duplicate_county_year", mask, column="year", describe=describe)


def _check_gaps(ctx: TableContext) -> None:
    """``series_gap``: a missing year inside a unit's span (one table-level warning per unit)."""
    frame = pd.DataFrame(
        {"county": pd.Series(ctx.texts("county"), dtype=object), "year": ctx.numbers("year")}
    ).dropna()
    if frame.empty:
        return
    grouped = frame.drop_duplicates().groupby("county", sort=True)["year"]
    span = grouped.max() - grouped.min() + 1
    present = grouped.size()
    gapped = span.index[(span > present).to_numpy()]
    for county in gapped:
        years = set(frame.loc[frame["county"] == county, "year"].astype(int).tolist())
        missing = sorted(set(range(min(years), max(years) + 1)) - years)
        ctx.add(
            "series_gap",
            f"{county}: no row for {', '.join(map(str, missing))}; growth is not computed "
            "across the gap",
            column="year",
            value=", ".join(map(str, missing)),
            severity="warning",
        )


FINANCE_SCHEMA: Final[TableSchema] = TableSchema(
    name=_TABLE,
    title="finance series (docs: The creation checklist and city aggregation, City aggregation)",
    columns=(
        ColumnSpec(
            name="county",
            kind="string",
            required=True,
            cell_required=True,
            aliases=("县（市、区）", "县区", "区县", "地区", "单位", "unit", "地市"),
            description="unit of the series: a county or the city",
        ),
        ColumnSpec(
            name="year",
            kind="year",
            unit="year",
            required=True,
            cell_required=True,
            aliases=("年度", "年份"),
            description="budget year",
        ),
        _money(
            "education_expenditure_yuan",
            "一般公共预算教育支出",
            "教育支出",
            description="(1) general public budget expenditure on education",
        ),
        ColumnSpec(
            name="students",
            kind="count",
            unit="pupils",
            aliases=("在校学生数", "在校生数"),
            description="enrolled pupils, for series (2)",
        ),
        _money(
            "education_expenditure_per_pupil_yuan",
            "生均一般公共预算教育支出",
            "按在校学生人数平均的一般公共预算教育支出",
            description="(2) the same per enrolled pupil",
            unit="yuan per pupil",
        ),
        _money(
            "staff_salary_total_yuan",
            "教职工工资总额",
            "教职工工资",
            description="(3a) staff salaries, total",
        ),
        _money(
            "avg_staff_salary_yuan",
            "教职工平均工资",
            description="(3a) staff salaries, average per staff member",
            unit="yuan per year",
        ),
        _money(
            "public_funds_per_pupil_yuan",
            "学生人均公用经费",
            "生均公用经费",
            description="(3b) per-pupil public funds",
            unit="yuan per pupil",
        ),
        _money(
            "compulsory_education_investment_yuan",
            "义务教育经费总投入",
            "经费总投入",
            description="total compulsory-education investment (reported, not a growth rule)",
        ),
        _money(
            "recurring_revenue_yuan",
            "财政经常性收入",
            description="recurring fiscal revenue, for the statutory check [M]",
        ),
        _money(
            "total_fiscal_expenditure_yuan",
            "一般公共预算支出",
            "财政支出",
            description="total fiscal expenditure, for the education share",
        ),
    ),
    key_columns=("county", "year"),
    checks=(_check_columns, _check_duplicates, _check_gaps),
)
"""The finance series table (docs: The creation checklist and city aggregation, City aggregation)
for :func:`eduequity.io.read_table`."""


def read_finance_series(
    source: pd.DataFrame | str | os.PathLike[str] | LoadedTable,
    *,
    sheet: str | int | None = None,
    encoding: str | None = None,
) -> LoadedTable:
    """Read and validate a finance series table.

    Parameters
    ----------
    source
        A data frame, a CSV or Excel path (canonical or Chinese headers, 万元 converted), or a
        :class:`~eduequity.io.LoadedTable` already read (returned unchanged).
    sheet, encoding
        As in :func:`eduequity.io.read_table`.

    Returns
    -------
    LoadedTable
        The series; warnings (``series_gap``, ``unknown_column``) in ``issues``.

    Raises
    ------
    InputError
        ``missing_required_column``, ``not_a_number``, ``negative_value``,
        ``duplicate_county_year``: every problem at once.
    """
    if isinstance(source, LoadedTable):
        return source
    return read_table(source, FINANCE_SCHEMA, sheet=sheet, encoding=encoding)


Average = Literal["geometric", "arithmetic"]


def _freeze(value: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(value))


@attrs.frozen(kw_only=True)
class FundingGrowth(Record):
    """Year-on-year growth, the three growths, average growth and early warnings.

    Examples
    --------
    Xiamen's total compulsory-education investment (seed 004): 9.23, 10.064 and 11.355 bn
    yuan in 2018–2020, i.e. growth of 9.04% and 12.83%.

    >>> import pandas as pd
    >>> from eduequity.city import funding_growth
    >>> result = funding_growth(pd.DataFrame({
    ...     "county": ["厦门市"] * 3, "year": [2018, 2019, 2020],
    ...     "义务教育经费总投入（万元）": [923000, 1006400, 1135500]}))
    >>> table = result.growth.loc["厦门市", "compulsory_education_investment"]
    >>> [round(g * 100, 2) for g in table["growth"].dropna()]
    [9.04, 12.83]
    """

    allow_equal: bool
    """Whether an unchanged value counts as growth (``>=`` instead of ``>``)."""
    average: Average
    """``"geometric"`` (default) or ``"arithmetic"`` average annual growth."""
    series: tuple[str, ...]
    """Series present in the input (ids of :data:`FUNDING_SERIES`)."""
    sources: Mapping[str, str] = attrs.field(converter=_freeze)
    """Series → the column(s) it was read from (e.g. ``"education_expenditure_yuan /
    students"``)."""
    growth: pd.DataFrame = attrs.field(eq=False, repr=False)
    """Indexed by (``county``, ``series``, ``year``): ``value``, ``previous_year``,
    ``previous_value``, ``growth`` (:math:`g_t`, NaN for the first year, across a gap or
    from 0), ``grows`` (``None`` when not computed) and ``gap``."""
    three_growths: pd.DataFrame = attrs.field(eq=False, repr=False)
    """Indexed by (``county``, ``year``) for every year with a previous year: one column per
    series of :data:`THREE_GROWTHS` (True/False/None) and ``status`` (``pass``, ``fail``,
    ``incomplete``)."""
    average_growth: pd.DataFrame = attrs.field(eq=False, repr=False)
    """Indexed by (``county``, ``series``): ``start_year``, ``end_year``, ``steps`` (k),
    ``start_value``, ``end_value``, ``average_growth`` and ``status`` (``ok``,
    ``series_gap``, ``too_few_years``, ``undefined`` for a start value of 0)."""
    early_warnings: pd.DataFrame = attrs.field(eq=False, repr=False)
    """Every fall (:math:`g_t < 0`) of a funding series: ``county``, ``series``, ``year``,
    ``growth``."""
    statutory: pd.DataFrame = attrs.field(eq=False, repr=False)
    """Indexed by (``county``, ``year``): ``expenditure_growth``, ``revenue_growth`` and
    ``outpaces`` (education growth above recurring-revenue growth) [M]; empty without
    ``recurring_revenue_yuan``."""
    education_share: pd.DataFrame = attrs.field(eq=False, repr=False)
    """Indexed by (``county``, ``year``): ``education_expenditure_yuan``,
    ``total_fiscal_expenditure_yuan`` and ``share``; empty without the total."""
    warnings: tuple[Issue, ...] = ()
    """``series_gap`` and the reader's warnings."""

    def passed(self, county: str, year: int) -> bool | None:
        """Return whether the three growths hold for a unit and year (None if incomplete)."""
        table = self.three_growths
        status = str(table["status"].to_numpy()[table.index.get_loc((county, year))])
        return None if status == "incomplete" else status == "pass"


def _series_values(frame: pd.DataFrame) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """Return the value of every series per row, and where each came from."""
    values: dict[str, np.ndarray] = {}
    sources: dict[str, str] = {}

    def column(name: str) -> np.ndarray | None:
        if name not in frame.columns or not frame[name].notna().any():
            return None
        return frame[name].to_numpy(dtype=np.float64)

    for series in FUNDING_SERIES.values():
        if series.id == "education_expenditure_per_pupil":
            direct = column("education_expenditure_per_pupil_yuan")
            total = column("education_expenditure_yuan")
            pupils = column("students")
            derived = None
            if total is not None and pupils is not None:
                with np.errstate(invalid="ignore", divide="ignore"):
                    derived = np.where(pupils > 0, total / np.where(pupils > 0, pupils, 1), np.nan)
            if direct is not None:
                values[series.id] = (
                    direct if derived is None else np.where(np.isnan(direct), derived, direct)
                )
                sources[series.id] = "education_expenditure_per_pupil_yuan" + (
                    " (else education_expenditure_yuan / students)" if derived is not None else ""
                )
            elif derived is not None:
                values[series.id] = derived
                sources[series.id] = "education_expenditure_yuan / students"
            continue
        for name in series.columns:
            found = column(name)
            if found is not None:
                values[series.id] = found
                sources[series.id] = name
                break
    return values, sources


def _growth_table(
    frame: pd.DataFrame, values: dict[str, np.ndarray], allow_equal: bool
) -> pd.DataFrame:
    """Long table of values and year-on-year growth (one sort, one grouped shift)."""
    columns = ["county", "series", "year", "value"]
    parts = [
        pd.DataFrame(
            {
                "county": frame["county"].to_numpy(dtype=object),
                "series": series,
                "year": frame["year"].to_numpy(dtype=np.float64),
                "value": array,
            }
        )
        for series, array in values.items()
    ]
    if not parts:
        return pd.DataFrame(columns=[*columns, "previous_year", "previous_value", "growth"])
    long = pd.concat(parts, ignore_index=True).dropna(subset=["value"])
    order = {series: position for position, series in enumerate(FUNDING_SERIES)}
    long = long.assign(_order=long["series"].map(order)).sort_values(
        ["county", "_order", "year"], kind="mergesort"
    )
    grouped = long.groupby(["county", "series"], sort=False)
    previous_year = grouped["year"].shift().to_numpy(dtype=np.float64)
    previous_value = grouped["value"].shift().to_numpy(dtype=np.float64)
    year = long["year"].to_numpy(dtype=np.float64)
    value = long["value"].to_numpy(dtype=np.float64)
    consecutive = previous_year == year - 1
    gap = ~np.isnan(previous_year) & ~consecutive
    with np.errstate(invalid="ignore", divide="ignore"):
        growth = np.where(consecutive & (previous_value > 0), value / previous_value - 1, np.nan)
        grows = value >= previous_value if allow_equal else value > previous_value
    long["year"] = long["year"].astype(np.int64)
    long["previous_year"] = np.where(consecutive, previous_year, np.nan)
    long["previous_value"] = np.where(consecutive, previous_value, np.nan)
    long["growth"] = growth
    grows_cells = np.full(len(long), None, dtype=object)
    grows_cells[consecutive] = grows[consecutive]
    long["grows"] = grows_cells
    long["gap"] = gap
    return long.drop(columns="_order").set_index(["county", "series", "year"]).sort_index()


def _three_growths(growth: pd.DataFrame) -> pd.DataFrame:
    """One row per unit and year after its first year: the four flags and the status."""
    columns = [*THREE_GROWTHS, "status"]
    if growth.empty:
        return pd.DataFrame(columns=["county", "year", *columns]).set_index(["county", "year"])
    flat = growth.reset_index()
    first_year = flat.groupby("county")["year"].transform("min")
    years = flat.loc[flat["year"] > first_year, ["county", "year"]].drop_duplicates()
    index = pd.MultiIndex.from_frame(years).sort_values()
    decided = flat[flat["previous_year"].notna() & flat["series"].isin(THREE_GROWTHS)]
    # 1 = grows, 0 = does not, NaN = not computed (series missing, gap, first year).
    flags = (
        decided.assign(flag=decided["grows"].astype(np.float64))
        .pivot(index=["county", "year"], columns="series", values="flag")
        .reindex(index=index, columns=list(THREE_GROWTHS))
    )
    numbers = flags.to_numpy(dtype=np.float64)
    failed = (numbers == 0).any(axis=1)
    unknown = np.isnan(numbers).any(axis=1)
    table = pd.DataFrame(index=index)
    for position, series in enumerate(THREE_GROWTHS):
        cells = np.full(len(index), None, dtype=object)
        known = ~np.isnan(numbers[:, position])
        cells[known] = numbers[known, position] == 1
        table[series] = cells
    table["status"] = np.where(failed, "fail", np.where(unknown, "incomplete", "pass"))
    return table[columns].sort_index()


def _average(growth: pd.DataFrame, average: Average) -> pd.DataFrame:
    columns = [
        "start_year",
        "end_year",
        "steps",
        "start_value",
        "end_value",
        "average_growth",
        "status",
    ]
    if growth.empty:
        return pd.DataFrame(columns=["county", "series", *columns]).set_index(["county", "series"])
    flat = growth.reset_index()
    grouped = flat.groupby(["county", "series"], sort=False)
    table = grouped.agg(
        start_year=("year", "first"),
        end_year=("year", "last"),
        start_value=("value", "first"),
        end_value=("value", "last"),
        years=("year", "size"),
        mean_growth=("growth", "mean"),
    )
    steps = (table["end_year"] - table["start_year"]).to_numpy(dtype=np.int64)
    has_gap = (table["years"] != steps + 1).to_numpy(dtype=np.bool_)
    start = table["start_value"].to_numpy(dtype=np.float64)
    end = table["end_value"].to_numpy(dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        geometric = np.power(end / start, 1.0 / np.where(steps > 0, steps, 1)) - 1
    value = geometric if average == "geometric" else table["mean_growth"].to_numpy(np.float64)
    status = np.where(
        steps < 1,
        "too_few_years",
        np.where(has_gap, "series_gap", np.where(start > 0, "ok", "undefined")),
    )
    table["steps"] = steps
    table["average_growth"] = np.where(status == "ok", value, np.nan)
    table["status"] = status
    return table[columns].sort_index()


def _statutory(growth: pd.DataFrame) -> pd.DataFrame:
    columns = ["expenditure_growth", "revenue_growth", "outpaces"]
    series = set(growth.index.get_level_values("series")) if len(growth) else set()
    if not {"education_expenditure", "recurring_revenue"} <= series:
        return pd.DataFrame(columns=["county", "year", *columns]).set_index(["county", "year"])
    expenditure = growth.xs("education_expenditure", level="series")["growth"]
    revenue = growth.xs("recurring_revenue", level="series")["growth"]
    table = pd.DataFrame({"expenditure_growth": expenditure, "revenue_growth": revenue}).dropna()
    table["outpaces"] = table["expenditure_growth"] > table["revenue_growth"]
    return table.sort_index()


def _education_share(frame: pd.DataFrame) -> pd.DataFrame:
    columns = ["education_expenditure_yuan", "total_fiscal_expenditure_yuan"]
    if not all(name in frame.columns for name in columns):
        return pd.DataFrame(columns=["county", "year", *columns, "share"]).set_index(
            ["county", "year"]
        )
    table = frame[["county", "year", *columns]].dropna()
    table = table.assign(year=table["year"].astype(np.int64))
    with np.errstate(invalid="ignore", divide="ignore"):
        share = table[columns[0]] / table[columns[1]].where(table[columns[1]] > 0)
    table = table.assign(share=share)
    return table.set_index(["county", "year"]).sort_index()


def funding_growth(
    series: pd.DataFrame | str | os.PathLike[str] | LoadedTable,
    *,
    allow_equal: bool = False,
    average: Average = "geometric",
) -> FundingGrowth:
    r"""Check the three growths (三个增长) and compute growth rates of finance series.

    Parameters
    ----------
    series : pandas.DataFrame, path or LoadedTable
        One row per unit (``county``: a county or the city) and year with the series columns
        of :data:`FINANCE_SCHEMA` (canonical or Chinese headers; 万元 converted to yuan).
    allow_equal : bool, optional
        Count an unchanged value as growth (default: strict ``V_t > V_{t-1}``).
    average : {"geometric", "arithmetic"}, optional
        Average annual growth: geometric (default) or the mean of the yearly growths.

    Returns
    -------
    FundingGrowth

    Raises
    ------
    InputError
        Negative values, duplicate unit and year, unparseable cells, no series column.
    InvalidArgumentError
        An unknown ``average``.

    Notes
    -----
    See the module notes. Everything is computed for all units at once (one sort and one
    grouped shift); there is no loop over units.

    Examples
    --------
    Seed 004 (Xiamen): 9.23 → 10.064 → 11.355 bn yuan. Growth 10.064 / 9.23 − 1 = 9.04%,
    11.355 / 10.064 − 1 = 12.83%; geometric average :math:`(11.355/9.23)^{1/2} - 1` = 10.92%.

    >>> import pandas as pd
    >>> result = funding_growth(pd.DataFrame({
    ...     "county": ["厦门市"] * 3, "year": [2018, 2019, 2020],
    ...     "compulsory_education_investment_yuan": [9.23e9, 10.064e9, 11.355e9]}))
    >>> round(float(result.average_growth.iloc[0]["average_growth"]) * 100, 2)
    10.92
    >>> result.three_growths["status"].tolist()  # series (1)-(3b) not given
    ['incomplete', 'incomplete']
    """
    if average not in ("geometric", "arithmetic"):
        msg = f"average={average!r} is not offered; allowed: 'geometric', 'arithmetic'"
        raise InvalidArgumentError(msg, code="invalid_option")
    loaded = read_finance_series(series)
    frame = loaded.frame.reset_index(drop=True)
    values, sources = _series_values(frame)
    growth = _growth_table(frame, values, bool(allow_equal))
    present = tuple(series_id for series_id in FUNDING_SERIES if series_id in values)
    # Falling funding (Weifang's early warning): the funding series, not revenue or the
    # total fiscal expenditure.
    funding = [*THREE_GROWTHS, "compulsory_education_investment"]
    falls = growth.reset_index()
    falls = falls[(falls["growth"] < 0) & falls["series"].isin(funding)]
    return FundingGrowth(
        allow_equal=bool(allow_equal),
        average=average,
        series=present,
        sources=sources,
        growth=growth,
        three_growths=_three_growths(growth),
        average_growth=_average(growth, average),
        early_warnings=falls[["county", "series", "year", "growth"]].reset_index(drop=True),
        statutory=_statutory(growth),
        education_share=_education_share(frame),
        warnings=loaded.issues,
    )
