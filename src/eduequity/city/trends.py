r"""Year-over-year changes of city and county figures.

Cities publish changes "since year X": rates as differences in percentage points (the
large-class share 1.2%, −8.6 points since 2020; seed 003), levels as ratios and growth
(funding up 10.5% a year). :func:`figure_changes` computes both for every unit and figure of a
table with one row per unit and year (county facts, city figures), and
:func:`disparity_changes` for the city figures of :func:`~eduequity.city.city_disparity` over
several years.

Each figure has a kind, which decides how a change is expressed:

=========  =================================================  ==============================
kind       change from :math:`V_{t-1}` (or the base year)     example
=========  =================================================  ==============================
``rate``   :math:`100 (V_t - V_{t-1})` percentage points       retention rate, pass share
``level``  ratio :math:`V_t / V_{t-1}`, growth ratio − 1      pupils, yuan, m² per pupil
``index``  difference :math:`V_t - V_{t-1}`                    a CV, a parity index
=========  =================================================  ==============================

Columns of the county-facts table (docs: Input tables) take their kind from
:data:`~eduequity.io.COUNTY_FACTS_SCHEMA` (``rate`` → rate, counts and decimals → level);
any other column must be declared in ``kinds``; undeclared ones are skipped and listed. A
year-on-year change needs the previous calendar year: across a gap nothing is computed
(warning ``series_gap``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Final, Literal

import attrs
import numpy as np
import pandas as pd

from eduequity._serialize import Record
from eduequity.city.resources import CityDisparity
from eduequity.errors import InvalidArgumentError, Issue
from eduequity.io import COUNTY_FACTS_SCHEMA

__all__ = [
    "DISPARITY_KINDS",
    "FIGURE_KINDS",
    "FigureChanges",
    "disparity_changes",
    "figure_changes",
]

FigureKind = Literal["rate", "level", "index"]

FIGURE_KINDS: Final[tuple[FigureKind, ...]] = ("rate", "level", "index")
"""Kinds of figures and how their changes are expressed (see the module notes)."""

DISPARITY_KINDS: Final[Mapping[str, FigureKind]] = MappingProxyType(
    {
        "students": "level",
        "mean": "level",
        "cv": "index",
        "ge2": "index",
        "theil": "index",
        "mld": "index",
        "between_share_ge2": "rate",
        "unit_pass_share": "rate",
        "pupil_pass_share": "rate",
        "counties_meeting_limit": "index",
    }
)
"""Kinds of the city figures compared by :func:`disparity_changes`."""

_FACT_KINDS: Final[Mapping[str, FigureKind]] = MappingProxyType(
    {
        spec.name: ("rate" if spec.kind == "rate" else "level")
        for spec in COUNTY_FACTS_SCHEMA.columns
        if spec.kind in {"rate", "count", "decimal"}
    }
)


def _freeze_kinds(value: Mapping[str, FigureKind]) -> Mapping[str, FigureKind]:
    return MappingProxyType(dict(value))


@attrs.frozen(kw_only=True)
class FigureChanges(Record):
    """Changes of figures year over year and since a base year."""

    units: tuple[str, ...]
    """The columns naming a unit (e.g. ``("county",)``); empty for one city series."""
    kinds: Mapping[str, FigureKind] = attrs.field(converter=_freeze_kinds)
    """Figure → kind used."""
    base_year: int | None
    """The base year of the "since" columns, or ``None``."""
    changes: pd.DataFrame = attrs.field(eq=False, repr=False)
    """Indexed by (units..., ``figure``, ``year``): ``kind``, ``value``, ``previous_year``,
    ``previous_value``, ``change`` (:math:`V_t - V_{t-1}`), ``change_points`` (rates: ×100),
    ``ratio`` and ``growth`` (levels), ``gap``; with a base year also ``base_value``,
    ``change_since_base``, ``change_since_base_points`` and ``ratio_since_base``."""
    skipped: tuple[str, ...] = ()
    """Columns left out: not numeric, or of unknown kind (declare them in ``kinds``)."""
    warnings: tuple[Issue, ...] = ()
    """``series_gap`` per unit and figure with a missing year."""


def _check_kinds(kinds: Mapping[str, str]) -> dict[str, FigureKind]:
    checked: dict[str, FigureKind] = {}
    for figure, kind in kinds.items():
        if kind not in FIGURE_KINDS:
            msg = f"kinds[{figure!r}]={kind!r} is not a kind; allowed: {', '.join(FIGURE_KINDS)}"
            raise InvalidArgumentError(msg, code="invalid_option")
        checked[str(figure)] = "rate" if kind == "rate" else "level" if kind == "level" else "index"
    return checked


def _classify(
    figures: pd.DataFrame,
    columns: Sequence[str] | None,
    reserved: set[str],
    declared: Mapping[str, FigureKind],
) -> tuple[dict[str, FigureKind], list[str]]:
    """Return the figures compared with their kinds, and the columns skipped."""
    candidates = (
        list(columns)
        if columns is not None
        else [name for name in figures.columns if name not in reserved]
    )
    chosen: dict[str, FigureKind] = {}
    skipped: list[str] = []
    for name in candidates:
        if name not in figures.columns:
            msg = f"column {name!r} is not in the table"
            raise InvalidArgumentError(msg, code="invalid_argument")
        numeric = pd.api.types.is_numeric_dtype(figures[name]) and not pd.api.types.is_bool_dtype(
            figures[name]
        )
        kind = declared.get(str(name), _FACT_KINDS.get(str(name)))
        if not numeric or kind is None:
            skipped.append(str(name))
            continue
        chosen[str(name)] = kind
    return chosen, skipped


def _since_base(
    long: pd.DataFrame, group_keys: list[str], year: str, base_year: int
) -> pd.DataFrame:
    """Add the changes since ``base_year`` (points for rates, ratios for levels)."""
    base = long.loc[long[year] == base_year, [*group_keys, "value"]].rename(
        columns={"value": "base_value"}
    )
    long = long.merge(base, on=group_keys, how="left")
    base_value = long["base_value"].to_numpy(dtype=np.float64)
    value = long["value"].to_numpy(dtype=np.float64)
    since = value - base_value
    level = (long["kind"] == "level").to_numpy(dtype=np.bool_)
    rate = (long["kind"] == "rate").to_numpy(dtype=np.bool_)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(level & (base_value > 0), value / base_value, np.nan)
    return long.assign(
        change_since_base=since,
        change_since_base_points=np.where(rate, 100 * since, np.nan),
        ratio_since_base=ratio,
    )


def figure_changes(
    figures: pd.DataFrame,
    *,
    unit: str | Sequence[str] | None = "county",
    year: str = "year",
    kinds: Mapping[str, str] | None = None,
    columns: Sequence[str] | None = None,
    base_year: int | None = None,
) -> FigureChanges:
    r"""Return year-over-year changes and changes since a base year of a table of figures.

    Parameters
    ----------
    figures : pandas.DataFrame
        One row per unit and year, e.g. county facts of several years
        (:attr:`~eduequity.io.LoadedTable.frame` of :func:`~eduequity.io.read_county_facts`)
        or city figures.
    unit : str, sequence of str or None, optional
        Column(s) naming the unit; ``None`` for one series (a city).
    year : str, optional
        The year column.
    kinds : mapping, optional
        Kind of each figure (``"rate"``, ``"level"``, ``"index"``); county-facts columns
        default to their schema kind.
    columns : sequence of str, optional
        Figures to compare; default every numeric column other than the unit and year.
    base_year : int, optional
        Also compare every year with this one ("since 2020").

    Returns
    -------
    FigureChanges

    Raises
    ------
    InvalidArgumentError
        A missing unit or year column, an unknown kind, the same unit and year twice.

    Examples
    --------
    Seed 003: the large-class share fell to 1.2% in 2024, 8.6 points below 2020 (9.8%).

    >>> import pandas as pd
    >>> result = figure_changes(pd.DataFrame({
    ...     "year": [2020, 2024], "large_class_share": [0.098, 0.012]}),
    ...     unit=None, kinds={"large_class_share": "rate"}, base_year=2020)
    >>> row = result.changes.loc[("large_class_share", 2024)]
    >>> round(float(row["change_since_base_points"]), 6)
    -8.6
    """
    declared = _check_kinds(kinds or {})
    units = () if unit is None else (unit,) if isinstance(unit, str) else tuple(unit)
    for name in (*units, year):
        if name not in figures.columns:
            present = ", ".join(map(str, figures.columns))
            msg = f"column {name!r} is not in the table; it has: {present}"
            raise InvalidArgumentError(msg, code="invalid_argument")
    chosen, skipped = _classify(figures, columns, {*units, year}, declared)
    keys = [*units, year]
    frame = figures.loc[:, [*keys, *chosen]].reset_index(drop=True)
    if frame.duplicated(keys).any():
        repeated = frame.loc[frame.duplicated(keys), keys].head(3).to_dict("records")
        msg = f"the same unit and year appear twice: {repeated}; one row per unit and year"
        raise InvalidArgumentError(msg, code="duplicate_county_year")
    long = frame.melt(id_vars=keys, var_name="figure", value_name="value").dropna(
        subset=["value", year]
    )
    long["value"] = long["value"].astype(np.float64)
    long[year] = long[year].astype(np.int64)
    figure_order = {name: position for position, name in enumerate(chosen)}
    long = long.assign(_order=long["figure"].map(figure_order)).sort_values(
        [*units, "_order", year], kind="mergesort"
    )
    group_keys = [*units, "figure"]
    grouped = long.groupby(group_keys, sort=False)
    previous_year = grouped[year].shift().to_numpy(dtype=np.float64)
    previous_value = grouped["value"].shift().to_numpy(dtype=np.float64)
    years = long[year].to_numpy(dtype=np.float64)
    value = long["value"].to_numpy(dtype=np.float64)
    consecutive = previous_year == years - 1
    gap = ~np.isnan(previous_year) & ~consecutive
    kind = long["figure"].map(chosen).to_numpy(dtype=object)
    is_rate = kind == "rate"
    is_level = kind == "level"
    previous = np.where(consecutive, previous_value, np.nan)
    change = value - previous
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(is_level & (previous > 0), value / previous, np.nan)
    long = long.assign(
        _last=previous_year,
        kind=kind,
        previous_year=np.where(consecutive, previous_year, np.nan),
        previous_value=previous,
        change=change,
        change_points=np.where(is_rate, 100 * change, np.nan),
        ratio=ratio,
        growth=ratio - 1,
        gap=gap,
    )
    if base_year is not None:
        long = _since_base(long, group_keys, year, base_year)
    issues = _gap_issues(long, units, year)
    table = long.drop(columns=["_order", "_last"]).set_index([*group_keys, year]).sort_index()
    return FigureChanges(
        units=units,
        kinds=chosen,
        base_year=base_year,
        changes=table,
        skipped=tuple(skipped),
        warnings=tuple(issues),
    )


def _gap_issues(long: pd.DataFrame, units: tuple[str, ...], year: str) -> list[Issue]:
    gapped = long.loc[long["gap"].to_numpy(dtype=np.bool_)]
    issues = []
    for record in gapped.to_dict("records"):
        who = ", ".join(f"{name}={record[name]}" for name in units) or "the city"
        issues.append(
            Issue(
                code="series_gap",
                message=(
                    f"{who}, {record['figure']}: no value for {int(record[year]) - 1}; the "
                    f"change from {int(record['_last'])} to {int(record[year])} is not computed"
                ),
                severity="warning",
                column=str(record["figure"]),
            )
        )
    return issues


def disparity_changes(
    by_year: Mapping[int, CityDisparity], *, base_year: int | None = None
) -> FigureChanges:
    """Return the changes of the city figures of several years.

    Parameters
    ----------
    by_year : mapping
        Year → :class:`~eduequity.city.CityDisparity` of that school year.
    base_year : int, optional
        Also compare every year with this one.

    Returns
    -------
    FigureChanges
        Units (``stage``, ``indicator``); figures of :data:`DISPARITY_KINDS`: ``mean`` (a
        level: ratio and growth), ``cv``, ``ge2``, ``theil``, ``mld`` (differences),
        ``between_share_ge2`` and the pass shares of the per-school rule (points; the same for
        every indicator of a stage).
    """
    frames = []
    for year, given in sorted(by_year.items()):
        disparity: object = given
        if not isinstance(disparity, CityDisparity):
            msg = f"by_year[{year!r}] is a {type(disparity).__name__}; expected a CityDisparity"
            raise InvalidArgumentError(msg, code="invalid_argument")
        table = disparity.city.copy()
        decompositions = disparity.decompositions
        if len(decompositions) and "ge2" in decompositions.index.get_level_values("measure"):
            share = decompositions.xs("ge2", level="measure")["between_share"]
            table["between_share_ge2"] = share.reindex(table.index).astype(np.float64)
        attainment = disparity.city_attainment
        for column in ("unit_pass_share", "pupil_pass_share"):
            if column in attainment.columns and len(attainment):
                stage = table.index.get_level_values("stage")
                table[column] = attainment[column].reindex(stage).to_numpy(dtype=np.float64)
        table = table.reset_index()
        table["year"] = int(year)
        frames.append(table)
    if not frames:
        msg = "by_year is empty; give the city figures of at least one year"
        raise InvalidArgumentError(msg, code="invalid_argument")
    combined = pd.concat(frames, ignore_index=True)
    figures = [name for name in DISPARITY_KINDS if name in combined.columns]
    return figure_changes(
        combined,
        unit=("stage", "indicator"),
        kinds={name: DISPARITY_KINDS[name] for name in figures},
        columns=figures,
        base_year=base_year,
    )
