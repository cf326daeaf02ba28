r"""Urban–rural comparisons (城乡比较): means by location, ratios, parity, qualification shares.

docs: The creation checklist and city aggregation, City aggregation. Units are grouped by the
``location`` of their school (``urban`` 城区, ``town`` 镇区, ``rural`` 乡村). Units with no location
are left out and counted (warning ``location_missing``); nothing is dropped silently.

.. math::

    \mu_l = \frac{\sum_{i \in l} A_i}{\sum_{i \in l} P_i}, \qquad
    \text{ratio} = \frac{\mu_\text{rural}}{\mu_\text{urban}}
    \quad (\text{published as "urban : rural = 1 : ratio"}),

and the adjusted parity index of :math:`\mu_\text{rural}` against :math:`\mu_\text{urban}`
(docs: API reference, eduequity.core, :func:`eduequity.core.parity_indices`), parity when it lies in
[0.97, 1.03]. The same is computed for town against urban and for any pair requested.

Teacher qualifications use sums, not means:
:math:`\text{share}_l = \sum_{i \in l} \text{bachelor\_plus\_teachers} /
\sum_{i \in l} \text{full\_time\_teachers}` per stage and over both stages (``"all"``), with
the ratio :math:`\text{share}_\text{rural} / \text{share}_\text{urban}` (Weihai reports it
close to 1 : 1, seed 001). Units without the two columns are left out and counted.

The decompositions of §5 with the location classes as groups give the urban–rural between
share, city-wide or within one county (``county=``).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Final

import attrs
import numpy as np
import pandas as pd

from eduequity._serialize import Record
from eduequity._vocabulary import vocabulary
from eduequity.city.resources import (
    DECOMPOSITION_MEASURES,
    LOCATIONS,
    CityDisparity,
    TableSource,
    decompositions,
    evaluate_city_schools,
    pool_units,
)
from eduequity.core.parity import PARITY_BAND, parity_indices
from eduequity.errors import DegenerateDataWarning, InvalidArgumentError, Issue
from eduequity.national import RULES_2017, ResourceEvaluation, RuleSet

__all__ = [
    "DEFAULT_PAIRS",
    "LOCATION_LABELS",
    "UrbanRuralComparison",
    "compare_units",
    "urban_rural",
]

DEFAULT_PAIRS: Final[tuple[tuple[str, str], ...]] = (("rural", "urban"), ("town", "urban"))
"""Pairs ``(focus, reference)`` compared by default: rural against urban, town against urban."""

LOCATION_LABELS: Final = dict(vocabulary("locations").labels)
"""Chinese labels of the location classes."""

_ALL_STAGES: Final = "all"
_PARITY_COLUMNS: Final = (
    "parity_index",
    "adjusted_parity_index",
    "position",
    "parity",
    "disadvantaged",
)


@attrs.frozen(kw_only=True)
class UrbanRuralComparison(Record):
    """Means, ratios and parity by location, teacher-qualification shares, location decomposition.

    Tables are indexed by the comparison keys: (``stage``, ``indicator``, ...) city-wide, with
    ``county`` first when computed per county.
    """

    scope: str
    """``"city"``, or the county the comparison is restricted to."""
    by_county: bool
    """Whether the means and ratios are given per county (vectorized over counties)."""
    pairs: tuple[tuple[str, str], ...]
    """The pairs ``(focus, reference)`` compared."""
    band: tuple[float, float]
    """The parity band, bounds included."""
    means: pd.DataFrame = attrs.field(eq=False, repr=False)
    """Indexed by ([``county``,] ``stage``, ``indicator``, ``location``): ``n_units``,
    ``students`` [pupils] and ``mean`` :math:`\\mu_l` [unit of the indicator]."""
    ratios: pd.DataFrame = attrs.field(eq=False, repr=False)
    """Indexed by ([``county``,] ``stage``, ``indicator``, ``focus``, ``reference``):
    ``focus_mean``, ``reference_mean``, ``ratio`` (focus / reference), ``parity_index``,
    ``adjusted_parity_index``, ``position``, ``parity``, ``disadvantaged``, ``status``
    (``ok``, ``undefined`` for a zero reference, ``empty_side`` for a location without
    units) and ``published`` (``"urban : rural = 1 : 0.93"``)."""
    qualifications: pd.DataFrame = attrs.field(eq=False, repr=False)
    """Indexed by ([``county``,] ``stage``, ``location``), stage ``"all"`` for both stages
    together: ``bachelor_plus_teachers``, ``full_time_teachers`` and ``share``. Empty when
    the school table lacks the columns."""
    qualification_ratios: pd.DataFrame = attrs.field(eq=False, repr=False)
    """Indexed by ([``county``,] ``stage``, ``focus``, ``reference``): ``focus_share``,
    ``reference_share``, ``ratio``, the parity columns, ``status`` and ``published``."""
    decompositions: pd.DataFrame = attrs.field(eq=False, repr=False)
    """Location decomposition of the scope by (``stage``, ``indicator``, ``measure``): as
    :attr:`CityDisparity.decompositions`; ``between_share`` is the urban–rural share."""
    group_contributions: pd.DataFrame = attrs.field(eq=False, repr=False)
    """Per-location rows of the decompositions."""
    location_missing: int
    """Units left out because their school has no location."""
    skipped: pd.DataFrame = attrs.field(eq=False, repr=False)
    """Those units: ``county``, ``school_id``, ``unit_id``, ``stage``, ``students``."""
    qualification_missing: int
    """Located units left out of the qualification shares (a teacher column missing)."""
    warnings: tuple[Issue, ...] = ()
    """``location_missing`` and degenerate cases."""

    def ratio(
        self, stage: str, indicator: str, focus: str = "rural", reference: str = "urban"
    ) -> pd.Series:
        """Return one ratio row (city scope)."""
        position = self.ratios.index.get_loc((stage, indicator, focus, reference))
        if not isinstance(position, int):
            msg = f"{(stage, indicator, focus, reference)!r} does not name one row"
            raise KeyError(msg)
        return self.ratios.iloc[position]


def _check_pairs(pairs: Sequence[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    checked = []
    for pair in pairs:
        try:
            focus, reference = pair
        except (TypeError, ValueError) as error:
            msg = f"pairs must hold (focus, reference) tuples; got {pair!r}"
            raise InvalidArgumentError(msg, code="invalid_option") from error
        for location in (focus, reference):
            if location not in LOCATIONS:
                msg = f"location {location!r} is not one of {', '.join(LOCATIONS)}"
                raise InvalidArgumentError(msg, code="invalid_option")
        if focus == reference:
            msg = f"a pair compares two different locations; got {pair!r}"
            raise InvalidArgumentError(msg, code="invalid_option")
        checked.append((str(focus), str(reference)))
    return tuple(checked)


def _units_of(
    source: CityDisparity | TableSource | ResourceEvaluation | Sequence[ResourceEvaluation],
    rules: RuleSet,
) -> tuple[pd.DataFrame, tuple[str, ...], tuple[Issue, ...]]:
    if isinstance(source, CityDisparity):
        return source.units, source.indicator_ids, ()
    if isinstance(source, ResourceEvaluation) or (
        isinstance(source, Sequence)
        and not isinstance(source, str)
        and len(source) > 0
        and all(isinstance(item, ResourceEvaluation) for item in source)
    ):
        pooled = pool_units(source)
        return pooled.units, pooled.indicator_ids, ()
    evaluation, issues = evaluate_city_schools(source, rules)  # type: ignore[arg-type]
    pooled = pool_units(evaluation)
    return pooled.units, pooled.indicator_ids, issues


def _published(reference: str, focus: str, ratio: np.ndarray) -> list[str | None]:
    return [
        None if not np.isfinite(value) else f"{reference} : {focus} = 1 : {value:.3f}"
        for value in ratio
    ]


def _compare(
    values: pd.Series,
    keys: list[str],
    pairs: tuple[tuple[str, str], ...],
    *,
    name: str,
    adjusted: bool,
    band: tuple[float, float],
) -> pd.DataFrame:
    """Ratios and parity of ``values`` (indexed by ``keys`` + location) for every pair.

    One vectorized :func:`~eduequity.core.parity_indices` call per pair, over every key.
    """
    wide = values.unstack("location").reindex(columns=list(LOCATIONS))
    frames = []
    for focus, reference in pairs:
        a = wide[focus].to_numpy(dtype=np.float64)
        b = wide[reference].to_numpy(dtype=np.float64)
        present = np.isfinite(a) & np.isfinite(b)
        defined = present & (b > 0)
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = np.where(defined, a / np.where(defined, b, 1.0), np.nan)
        frame = pd.DataFrame(
            {
                f"focus_{name}": a,
                f"reference_{name}": b,
                "ratio": ratio,
            },
            index=wide.index,
        )
        parity = (
            parity_indices(a[defined], b[defined], adjusted=adjusted, band=band)
            if defined.any()
            else None
        )
        for column in _PARITY_COLUMNS:
            cells = np.full(len(frame), None, dtype=object)
            if parity is not None:
                cells[defined] = parity[column].to_numpy(dtype=object)
            frame[column] = cells
        frame["status"] = np.where(defined, "ok", np.where(present, "undefined", "empty_side"))
        frame["published"] = _published(reference, focus, ratio)
        frame["focus"] = focus
        frame["reference"] = reference
        frames.append(frame.reset_index())
    columns = [
        *keys,
        "focus",
        "reference",
        f"focus_{name}",
        f"reference_{name}",
        "ratio",
        *_PARITY_COLUMNS,
        "status",
        "published",
    ]
    if not frames:
        return pd.DataFrame(columns=columns).set_index([*keys, "focus", "reference"])
    table = pd.concat(frames, ignore_index=True)[columns]
    for column in ("parity_index", "adjusted_parity_index"):
        table[column] = pd.to_numeric(table[column], errors="coerce").astype(np.float64)
    return table.set_index([*keys, "focus", "reference"])


def _means(units: pd.DataFrame, ids: tuple[str, ...], keys: list[str]) -> pd.DataFrame:
    """Pupil-weighted means Σ A / Σ P by keys, stage and location (one groupby)."""
    students = units["students"].to_numpy(dtype=np.float64)
    amounts = units[list(ids)].to_numpy(dtype=np.float64) * students[:, None]
    frame = pd.DataFrame(amounts, columns=list(ids), index=units.index)
    frame["students"] = students
    frame["n_units"] = 1
    for key in [*keys, "stage", "location"]:
        frame[key] = units[key].to_numpy(dtype=object)
    grouped = frame.groupby([*keys, "stage", "location"], sort=True)[
        ["n_units", "students", *ids]
    ].sum()
    means = grouped[list(ids)].div(grouped["students"], axis=0)
    long = (
        means.reset_index()
        .melt(id_vars=[*keys, "stage", "location"], var_name="indicator", value_name="mean")
        .set_index([*keys, "stage", "location", "indicator"])
    )
    counts = grouped[["n_units", "students"]]
    long = long.join(counts, on=[*keys, "stage", "location"])
    long = long.reorder_levels([*keys, "stage", "indicator", "location"])
    long = long[["n_units", "students", "mean"]]
    long["n_units"] = long["n_units"].astype(np.int64)
    return long.sort_index()


def _qualifications(units: pd.DataFrame, keys: list[str]) -> tuple[pd.DataFrame, int]:
    columns = ["bachelor_plus_teachers", "full_time_teachers", "share"]
    complete = (
        units["bachelor_plus_teachers"].notna() & units["full_time_teachers"].notna()
    ).to_numpy(dtype=np.bool_)
    missing = int((~complete).sum())
    if not complete.any():
        return pd.DataFrame(columns=[*keys, "stage", "location", *columns]).set_index(
            [*keys, "stage", "location"]
        ), missing
    frame = units.loc[complete, [*keys, "stage", "location", *columns[:2]]]
    by_stage = frame.groupby([*keys, "stage", "location"], sort=True)[columns[:2]].sum()
    both = frame.groupby([*keys, "location"], sort=True)[columns[:2]].sum()
    both = pd.concat({_ALL_STAGES: both}, names=["stage"])
    both = both.reorder_levels([*keys, "stage", "location"])
    table = pd.concat([by_stage, both])
    with np.errstate(invalid="ignore", divide="ignore"):
        table["share"] = table["bachelor_plus_teachers"] / table["full_time_teachers"].where(
            table["full_time_teachers"] > 0
        )
    return table.sort_index(), missing


def urban_rural(
    source: CityDisparity | TableSource | ResourceEvaluation | Sequence[ResourceEvaluation],
    rules: RuleSet = RULES_2017,
    *,
    pairs: Sequence[tuple[str, str]] = DEFAULT_PAIRS,
    by_county: bool = False,
    county: str | None = None,
    measures: Sequence[str] = DECOMPOSITION_MEASURES,
    adjusted: bool = True,
    band: tuple[float, float] = PARITY_BAND,
) -> UrbanRuralComparison:
    r"""Compare locations (城区/镇区/乡村): means, ratios, parity, qualification shares.

    Parameters
    ----------
    source : CityDisparity, pandas.DataFrame, path or ResourceEvaluation(s)
        The city's units: a :class:`~eduequity.city.CityDisparity` (its units are reused),
        or a school table / evaluations, prepared as in :func:`~eduequity.city.city_disparity`.
    rules : RuleSet, optional
        The rule set for a school table.
    pairs : sequence of (focus, reference), optional
        Locations compared; default rural against urban and town against urban.
    by_county : bool, optional
        Also give the means, ratios and qualification shares of every county (one vectorized
        pass; the location decomposition stays city-wide or that of ``county``).
    county : str, optional
        Restrict everything to one county (its urban–rural between share).
    measures : sequence of str, optional
        Location decompositions among ``"ge2"``, ``"theil"``, ``"mld"``.
    adjusted : bool, optional
        Classify parity with the adjusted index (default) or the unadjusted one.
    band : tuple of float, optional
        Parity band, bounds included; default [0.97, 1.03].

    Returns
    -------
    UrbanRuralComparison

    Raises
    ------
    InvalidArgumentError
        An unknown location in ``pairs``, a county without units.

    Notes
    -----
    See the module notes. A pair whose reference mean is 0 has status ``"undefined"`` and no
    ratio; a pair with a location without units has status ``"empty_side"``.

    Examples
    --------
    Two urban units (10 and 30 m² per pupil, 100 and 300 pupils: μ = 12 000 / 400 = 25) and
    one rural unit (20 m² per pupil): ratio 20 / 25 = 0.8, below the parity band.

    >>> import pandas as pd
    >>> units = pd.DataFrame({
    ...     "county": ["A", "A", "A"], "school_id": ["1", "2", "3"], "unit_id": ["1", "2", "3"],
    ...     "stage": ["primary"] * 3, "students": [100.0, 300.0, 50.0], "share": [1.0] * 3,
    ...     "area": [10.0, 30.0, 20.0], "passed": pd.array([True] * 3, dtype="boolean"),
    ...     "location": ["urban", "urban", "rural"],
    ...     "full_time_teachers": [10.0, 20.0, 5.0], "bachelor_plus_teachers": [9.0, 18.0, 4.0]})
    >>> from eduequity.city.urban_rural import compare_units
    >>> result = compare_units(units, ("area",))
    >>> row = result.ratio("primary", "area")
    >>> float(row["ratio"]), row["position"], row["published"]
    (0.8, 'below', 'urban : rural = 1 : 0.800')
    """
    units, ids, issues = _units_of(source, rules)
    return compare_units(
        units,
        ids,
        pairs=pairs,
        by_county=by_county,
        county=county,
        measures=measures,
        adjusted=adjusted,
        band=band,
        issues=issues,
    )


def compare_units(
    units: pd.DataFrame,
    indicator_ids: Sequence[str],
    *,
    pairs: Sequence[tuple[str, str]] = DEFAULT_PAIRS,
    by_county: bool = False,
    county: str | None = None,
    measures: Sequence[str] = DECOMPOSITION_MEASURES,
    adjusted: bool = True,
    band: tuple[float, float] = PARITY_BAND,
    issues: Sequence[Issue] = (),
) -> UrbanRuralComparison:
    """Run :func:`urban_rural` on a pooled units frame (see :attr:`CityDisparity.units`)."""
    checked_pairs = _check_pairs(pairs)
    ids = tuple(indicator_ids)
    found = list(issues)
    scope = "city"
    if county is not None:
        selected = (units["county"].astype(str) == county).to_numpy(dtype=np.bool_)
        if not selected.any():
            counties = ", ".join(sorted(units["county"].astype(str).unique().tolist()))
            msg = f"county {county!r} has no unit; the units belong to: {counties}"
            raise InvalidArgumentError(msg, code="unknown_county")
        units = units.loc[selected]
        scope = county
    located = units["location"].notna().to_numpy(dtype=np.bool_)
    skipped = units.loc[~located, ["county", "school_id", "unit_id", "stage", "students"]]
    if len(skipped):
        shown = ", ".join(skipped["unit_id"].astype(str).tolist()[:5])
        more = f" and {len(skipped) - 5} more" if len(skipped) > 5 else ""  # noqa: PLR2004
        found.append(
            Issue(
                code="location_missing",
                message=(
                    f"{len(skipped)} units have no location and are left out of the "
                    f"urban–rural comparison ({shown}{more})"
                ),
                severity="warning",
                table="schools",
                column="location",
            )
        )
    units = units.loc[located]
    keys = ["county"] if by_county else []
    means = _means(units, ids, keys)
    ratios = _compare(
        means["mean"],
        [*keys, "stage", "indicator"],
        checked_pairs,
        name="mean",
        adjusted=adjusted,
        band=band,
    )
    ratios = ratios.sort_index()
    qualifications, qualification_missing = _qualifications(units, keys)
    qualification_ratios = _compare(
        qualifications["share"],
        [*keys, "stage"],
        checked_pairs,
        name="share",
        adjusted=adjusted,
        band=band,
    )
    qualification_ratios = qualification_ratios.sort_index()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateDataWarning)
        frame, contributions, decomposition_issues = decompositions(
            units, ids, "location", measures, scope=scope
        )
    found.extend(decomposition_issues)
    return UrbanRuralComparison(
        scope=scope,
        by_county=by_county,
        pairs=checked_pairs,
        band=(float(band[0]), float(band[1])),
        means=means,
        ratios=ratios,
        qualifications=qualifications,
        qualification_ratios=qualification_ratios,
        decompositions=frame.sort_index(),
        group_contributions=contributions.sort_index(),
        location_missing=len(skipped),
        skipped=skipped.reset_index(drop=True),
        qualification_missing=qualification_missing,
        warnings=tuple(found),
    )
