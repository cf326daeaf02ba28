"""Unit preparation: which schools enter the assessment, and as which units.

The steps, in the order of the docs page The national method, Which schools enter: unit preparation,
each recorded in the result:

1. sites not counted as schools (不计校数, ``parent_school_id`` set) are merged into their parent;
2. special-education and vocational schools are excluded;
3. teaching points (教学点) under the pupil cut are excluded;
4. private schools are excluded only when the rule set says so; listed ids are excluded;
5. mixed schools (九年一贯制, 十二年一贯制, 完全中学) are split into one unit per compulsory stage
   with the pupil-equivalence shares σ of §3.4.

Every number used (the cut, the excluded types, the split weights) is read from the rule set.
Everything here is vectorized over all schools of all counties at once.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Literal

import attrs
import numpy as np
import pandas as pd

from eduequity._codes import factorize, first_positions
from eduequity._exact import to_fraction
from eduequity._frames import object_frame
from eduequity._serialize import attrs_to_dict
from eduequity._vocabulary import vocabulary
from eduequity.errors import InputError, Issue

if TYPE_CHECKING:
    from eduequity._typing import BoolArray, FloatArray, IntArray, JSONValue
    from eduequity.national.rules import RuleSet

__all__ = ["STAGES", "PreparedUnits", "prepare_units"]

STAGES: tuple[str, ...] = vocabulary("stages").where("compulsory")
"""The compulsory stages (学段) in their display order."""

_ALL_STAGES = vocabulary("stages").codes

# How the columns of a site combine with its parent's when the site is merged (§3.3 step 1):
# amounts add up, the largest class is the largest of both, the smallest room the smallest.
_MAX_COLUMNS = ("max_class_size_primary", "max_class_size_junior")
_MIN_COLUMNS = ("min_music_room_area_m2", "min_art_room_area_m2")
_KEEP_COLUMNS = frozenset(
    {
        "school_id",
        "school_name",
        "county",
        "county_code",
        "school_type",
        "parent_school_id",
        "ownership",
        "location",
        "year",
        "boarding",
        "built_year",
        "migrant_share",
        "meets_provincial_standard",
    }
)

_EXCLUSION_LABELS = {
    term.code: f"{term.properties['en']} ({term.zh})"
    for term in vocabulary("school_types").terms
    if term.properties["checks"] == "type_and_sign"
}


@attrs.frozen(kw_only=True)
class PreparedUnits:
    """The units of assessment built from a school table, with the record of every step.

    All frames use the canonical column names of the docs page Input tables.
    """

    schools: pd.DataFrame
    """Included schools, one row per school after merging sites (whole-school figures)."""
    units: pd.DataFrame
    """One row per school section: ``unit_id``, ``school_id``, ``school_name``, ``county``,
    ``stage``,
    ``students`` [pupils], ``share`` (σ, the facility share of §3.4) and ``school_row``
    (position of the school in :attr:`schools`)."""
    excluded: pd.DataFrame
    """Excluded schools: ``school_id``, ``county``, ``school_type``, ``reason`` (stable code)
    and ``detail`` (the rule applied)."""
    merged: pd.DataFrame
    """Merged sites: ``site_id``, ``parent_id``, ``county``, ``students`` moved to the parent."""
    split: pd.DataFrame
    """Sections of mixed schools: ``school_id``, ``stage``, ``students``, ``share``."""
    source: pd.DataFrame = attrs.field(repr=False)
    """The school table as given (after validation), kept for exact re-computation."""
    member_of: IntArray = attrs.field(repr=False)
    """For each row of :attr:`source`, the row of :attr:`schools` it counts towards, or -1."""
    merged_into: BoolArray = attrs.field(repr=False)
    """For each row of :attr:`schools`, whether a site was merged into it."""
    _arrays: dict[tuple[str, str, bool], np.ndarray] = attrs.field(
        init=False, factory=dict, repr=False, eq=False
    )

    _groups: list[tuple[IntArray, pd.MultiIndex]] = attrs.field(
        init=False, factory=list, repr=False, eq=False
    )

    def group_codes(self) -> tuple[IntArray, pd.MultiIndex]:
        """Return a code per unit for its (county, stage) and the index of the codes.

        Groups are ordered by county, then by stage in the order of :data:`STAGES`. They are
        computed once per set of units.
        """
        if not self._groups:
            # the counties coded once per school, the stages by their position in STAGES
            county_codes, counties = pd.factorize(self.array("county"), sort=True)
            county_codes = county_codes[self.array("school_row", frame="units")]
            stage = self.array("stage", frame="units")
            stage_codes = np.zeros(stage.size, dtype=np.int64)
            for position, name in enumerate(STAGES[1:], start=1):
                stage_codes[stage == name] = position
            combined = county_codes.astype(np.int64) * len(STAGES) + stage_codes
            # dense codes in the order of the combined code: np.unique without its sort
            seen = np.bincount(combined, minlength=len(counties) * len(STAGES)) > 0
            present = np.flatnonzero(seen)
            codes = (np.cumsum(seen) - 1)[combined]
            groups = pd.MultiIndex.from_arrays(
                [
                    counties[present // len(STAGES)],
                    np.asarray(STAGES, dtype=object)[present % len(STAGES)],
                ],
                names=["county", "stage"],
            )
            self._groups.append((codes.astype(np.int64), groups))
        return self._groups[0]

    def array(
        self, column: str, *, frame: Literal["schools", "source", "units"] = "schools"
    ) -> np.ndarray:
        """Return a column of one of the frames as an array, converted once and cached.

        The exact re-checks at a threshold read single cells many times; each column is
        converted once, not at every cell.
        """
        return self._cached(column, frame, numeric=False)

    def numbers(self, column: str, *, source: bool = False) -> FloatArray:
        """Return a numeric column of :attr:`schools` (or :attr:`source`) as float64, cached."""
        return self._cached(column, "source" if source else "schools", numeric=True)

    def _cached(self, column: str, frame: str, *, numeric: bool) -> np.ndarray:
        key = (column, frame, numeric)
        found = self._arrays.get(key)
        if found is None:
            series = getattr(self, frame)[column]
            found = series.to_numpy(dtype=np.float64) if numeric else series.to_numpy()
            self._arrays[key] = found
        return found

    def exact_amount(self, school_row: int, column: str) -> Fraction:
        """Return a school's merged amount of ``column`` as an exact fraction.

        The merged float may carry rounding from the addition of site figures; exact decisions
        at a threshold re-add the figures as typed.
        """
        merged = float(self.numbers(column)[school_row])
        if not self.merged_into[school_row]:
            # A school without sites holds its figure as typed: no addition to undo.
            return to_fraction(merged)
        members = np.flatnonzero(self.member_of == school_row)
        raw = self.numbers(column, source=True)[members]
        return sum((to_fraction(float(value)) for value in raw), Fraction(0))

    def to_dict(self) -> dict[str, JSONValue]:
        """Return the records of exclusions, merges and splits (JSON-safe)."""
        data = attrs_to_dict(self)
        for private in ("source", "member_of", "merged_into", "schools", "units"):
            data.pop(private)
        return data


def _has(frame: pd.DataFrame, column: str) -> bool:
    return column in frame.columns


def _site_parents(frame: pd.DataFrame) -> pd.Series:
    """Return the parent id of every site row (rows whose ``parent_school_id`` is set)."""
    if not _has(frame, "parent_school_id"):
        return pd.Series([], dtype="object")
    parents = frame["parent_school_id"].dropna().astype(str)
    return parents.loc[parents.str.strip() != ""]


Columns = dict[str, np.ndarray]
"""A table as a mapping of column name to array: cheaper than a DataFrame between steps."""


@attrs.frozen
class _Sites:
    """The rows that are sites and the rows of their parents (§3.3 step 1)."""

    site: IntArray
    parent: IntArray

    def add_to_parents(self, into: FloatArray, column: str, values: FloatArray) -> None:
        """Add each site's value of ``column`` to its parent's in ``into`` (rows: parents)."""
        with np.errstate(invalid="ignore"):
            if column in _MAX_COLUMNS:
                # An unknown class size at a site leaves the school's largest class unknown.
                np.maximum.at(into, self.parent, values)
            elif column in _MIN_COLUMNS:
                # A site without such rooms has no room area: it does not lower the minimum.
                np.fmin.at(into, self.parent, values)
            else:
                # Missing is never zero: a missing amount at a site makes the total missing.
                np.add.at(into, self.parent, values)


def _merges(column: str, values: pd.Series) -> bool:
    """Whether sites add their figures of ``column`` to their parent's (numbers only)."""
    return column not in _KEEP_COLUMNS and pd.api.types.is_numeric_dtype(values)


def _merge_sites(
    frame: pd.DataFrame, rules: RuleSet
) -> tuple[_Sites, BoolArray, pd.DataFrame, IntArray]:
    """Find every site and its parent school (§3.3 step 1).

    Returns the sites, the mask of the rows that are not sites, the record of the merges,
    and for each row the position among the rows kept of the school it counts towards. The
    figures are added to the parents when the rows are taken (:func:`_take_rows`).
    """
    parents = _site_parents(frame)
    positions = np.arange(len(frame), dtype=np.int64)
    if parents.empty or not rules.flag("units.merge_sites"):
        empty = pd.DataFrame(columns=["site_id", "parent_id", "county", "students"])
        none = _Sites(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
        return none, np.ones(len(frame), dtype=np.bool_), empty, positions
    site_pos = frame.index.get_indexer(parents.index)
    is_site = np.zeros(len(frame), dtype=np.bool_)
    is_site[site_pos] = True
    parent_pos = _positions_of(frame["school_id"], parents.to_numpy(dtype=object))
    if (parent_pos < 0).any():
        # The loader reports parent_not_found; this guards callers that bypass it.
        issues = [
            Issue(
                code="parent_not_found",
                message=f"parent_school_id {parent!r} names no school in the table",
                table="schools",
                row=str(frame.index[pos]),
                key=f"school_id={frame['school_id'].iloc[pos]}",
                column="parent_school_id",
                value=str(parent),
            )
            for pos, parent in zip(
                site_pos[parent_pos < 0], parents.to_numpy()[parent_pos < 0], strict=True
            )
        ]
        raise InputError(issues, table="schools")
    keep = ~is_site
    students = np.zeros(site_pos.size)
    for stage in STAGES:
        column = f"students_{stage}"
        if _has(frame, column):
            students += np.nan_to_num(frame[column].to_numpy(dtype=np.float64)[site_pos])
    record = object_frame(
        {
            "site_id": frame["school_id"].to_numpy()[site_pos].astype(str),
            "parent_id": parents.to_numpy(),
            "county": frame["county"].to_numpy()[site_pos],
            "students": students,
        }
    )
    # Each row counts towards itself, or towards its parent when it is a site; parents are
    # never sites themselves (the loader rejects nested sites), so they are all kept.
    counts_towards = positions.copy()
    counts_towards[site_pos] = parent_pos
    new_position = np.cumsum(keep) - 1
    sites = _Sites(site_pos.astype(np.int64), parent_pos.astype(np.int64))
    return sites, keep, record, new_position[counts_towards]


def _positions_of(ids: pd.Series, wanted: np.ndarray) -> IntArray:
    """Return the row of each wanted id (its first row), or -1 where no row has it.

    The ids of a table in canonical order are sorted (:func:`_canonical_order`): the few
    wanted ids are then found by binary search, without hashing every id of a national
    table. Other ids are coded together with the wanted ones, ids first.
    """
    values = ids.to_numpy(dtype=object)
    try:
        if ids.is_monotonic_increasing and not ids.hasnans:
            at = np.searchsorted(values, wanted).astype(np.int64)
            inside = at < values.size
            found = np.zeros(wanted.size, dtype=np.bool_)
            found[inside] = values[at[inside]] == wanted[inside]
            return np.where(found, at, -1)
    except TypeError:  # ids and wanted ids of kinds that do not compare: code them
        pass
    codes = factorize(np.concatenate([values, wanted]))[0]
    n_ids = int(codes[: values.size].max(initial=-1)) + 1
    first = first_positions(codes[: values.size], n_ids)
    wanted_code = codes[values.size :]
    positions = np.full(wanted.size, -1, dtype=np.int64)
    found = wanted_code < n_ids
    positions[found] = first[wanted_code[found]]
    return positions


def _exclusions(schools: Columns, rules: RuleSet) -> tuple[np.ndarray, pd.DataFrame]:
    """Return the mask of excluded schools and the record of why (§3.3 steps 2–5).

    The first rule that applies gives the reason; the rules are marked on integer codes (a
    position in ``reasons``), and the texts are written only for the excluded schools.
    """
    n = len(schools["school_id"])
    reason = np.full(n, -1, dtype=np.int64)
    reasons: list[tuple[str, str]] = []
    school_type = np.asarray(schools["school_type"], dtype=object)
    type_codes, type_names = factorize(school_type)

    def mark(mask: np.ndarray, code: str, text: str) -> None:
        reason[mask & (reason < 0)] = len(reasons)
        reasons.append((code, text))

    def of_type(kind: str) -> np.ndarray:
        table = np.append(type_names == kind, False)  # code -1: missing
        return np.asarray(table[type_codes], dtype=np.bool_)

    for excluded_type in rules.ids("units.excluded_types"):
        label = _EXCLUSION_LABELS.get(excluded_type, excluded_type)
        mark(of_type(excluded_type), "excluded_type", f"{label}: units.excluded_types")

    cut = rules.number("units.min_teaching_point_students")
    primary = schools["students_primary"].astype(np.float64)
    small = of_type("teaching_point") & (primary < cut)
    small_reason = len(reasons)
    mark(small, "small_teaching_point", f" pupils < {cut:g}: units.min_teaching_point_students")

    listed = set(rules.ids("units.exclude_school_ids"))
    if listed:
        mark(
            np.isin(np.asarray(schools["school_id"], dtype=str), list(listed)),
            "excluded_id",
            "listed in units.exclude_school_ids",
        )

    if not rules.flag("units.include_private") and "ownership" in schools:
        private = np.asarray(schools["ownership"], dtype=object) == "private"
        mark(private, "private_excluded", "private school (民办): units.include_private is false")

    excluded = reason >= 0
    why = reason[excluded]
    codes = np.array([code for code, _ in reasons], dtype=object)
    detail = np.array([text for _, text in reasons], dtype=object)[why]
    pupils = primary[excluded][why == small_reason]
    detail[why == small_reason] = (
        "teaching point (教学点) with "
        + pd.Series(pupils).map("{:g}".format).to_numpy(dtype=object)
        + detail[why == small_reason]
    )
    record = object_frame(
        {
            "school_id": schools["school_id"][excluded],
            "school_name": schools["school_name"][excluded] if "school_name" in schools else None,
            "county": schools["county"][excluded],
            "school_type": school_type[excluded],
            "reason": codes[why].astype(str),
            "detail": detail.astype(str),
        }
    )
    return excluded, record


def _split_weights(rules: RuleSet, school_type: np.ndarray) -> dict[str, FloatArray]:
    """Return per-school pupil-equivalence weights of each stage (1 where no ratio is set)."""
    weights = {stage: np.ones(school_type.size) for stage in _ALL_STAGES}
    prefix = "split.weight."
    for key in rules.keys(prefix):
        kind, stage = key[len(prefix) :].split(".")
        weights[stage][school_type == kind] = rules.number(key)
    return weights


def _stage_students(schools: pd.DataFrame, stage: str) -> FloatArray:
    column = f"students_{stage}"
    if not _has(schools, column):
        return np.zeros(len(schools))
    values: FloatArray = np.nan_to_num(schools[column].to_numpy(dtype=np.float64))
    return values


def _sections(schools: pd.DataFrame, rules: RuleSet) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Build one unit per compulsory stage with pupils, with its facility share σ."""
    school_type = schools["school_type"].to_numpy(dtype=object)
    weights = _split_weights(rules, school_type)
    students = {stage: _stage_students(schools, stage) for stage in _ALL_STAGES}
    equivalent_total = np.zeros(len(schools))
    for stage in _ALL_STAGES:
        equivalent_total += weights[stage] * students[stage]
    school_rows = []
    stage_ranks = []
    for position, stage in enumerate(STAGES):
        present = np.flatnonzero(students[stage] > 0)
        school_rows.append(present)
        stage_ranks.append(np.full(present.size, position, dtype=np.int64))
    # Order by school, then stage, so a mixed school's sections stand together.
    row = np.concatenate(school_rows)
    rank = np.concatenate(stage_ranks)
    order = np.argsort(row * len(STAGES) + rank, kind="stable")
    row, rank = row[order], rank[order]
    stage_names = np.asarray(STAGES, dtype=object)[rank]
    pupils = np.stack([students[stage] for stage in STAGES])[rank, row]
    stage_weight = np.stack([weights[stage] for stage in STAGES])[rank, row]
    with np.errstate(invalid="ignore", divide="ignore"):
        share = stage_weight * pupils / equivalent_total[row]
    school_id = schools["school_id"].to_numpy(dtype=object)[row]
    sections_per_school = np.bincount(row, minlength=len(schools))
    split_mask = (sections_per_school[row] > 1) | (share < 1)
    unit_id = school_id.copy()
    unit_id[split_mask] = school_id[split_mask] + "#" + stage_names[split_mask]
    units = object_frame(
        {
            "unit_id": unit_id,
            "school_id": school_id,
            "school_name": (
                schools["school_name"].to_numpy()[row]
                if "school_name" in schools.columns
                else np.full(row.size, None, dtype=object)
            ),
            "county": schools["county"].to_numpy()[row],
            "stage": stage_names,
            "students": np.asarray(pupils, dtype=np.float64),
            "share": share,
            "school_row": row,
        }
    )
    split = units.loc[split_mask, ["school_id", "stage", "students", "share"]].reset_index(
        drop=True
    )
    return units, split


def _canonical_order(schools: pd.DataFrame) -> pd.DataFrame:
    """Return the table sorted by ``school_id``, numbered from 0.

    Every sum of the method (site merges, county means, CVs) then adds the schools in the
    same order whatever the order of the input rows, so a shuffled table gives the same
    figures to the last digit and the same order of every per-school list. School ids are
    unique across the table (the loader rejects repeats), so they alone fix the order; a
    grouping by county and stage that sorts stably keeps it within each group. A table
    already in that order (the usual export) is not copied by a sort.
    """
    if "school_id" not in schools.columns:
        return schools.reset_index(drop=True)
    ids = schools["school_id"]
    if ids.is_monotonic_increasing:
        return schools.reset_index(drop=True)
    order = np.argsort(ids.to_numpy(dtype=str), kind="stable")
    return schools.iloc[order].reset_index(drop=True)


_EXCLUSION_COLUMNS = (
    "school_id",
    "school_name",
    "county",
    "school_type",
    "students_primary",
    "ownership",
)
"""The columns the exclusion rules read."""


def _take_rows(frame: pd.DataFrame, rows: IntArray, sites: _Sites) -> pd.DataFrame:
    """Return the frame of ``rows``, each parent holding its sites' figures.

    Each value is copied once: the numeric columns are taken into one float block that
    becomes the frame's storage as it is (a frame built from separate arrays would copy
    them all again to consolidate them), and the sites are added to their parents' rows of
    the block. The numeric columns stand first, the others after them in their order.
    """
    numeric = [column for column in frame.columns if _merges(column, frame[column])]
    where = np.full(len(frame), -1, dtype=np.int64)
    where[rows] = np.arange(rows.size)
    target = where[sites.parent]
    into = _Sites(sites.site[target >= 0], target[target >= 0])
    block = np.empty((len(numeric), rows.size))
    for position, column in enumerate(numeric):
        values = frame[column].to_numpy(dtype=np.float64)
        np.take(values, rows, out=block[position])
        if into.site.size:
            into.add_to_parents(block[position], column, values[into.site])
    taken = pd.DataFrame(block.T, columns=numeric, copy=False)
    others = object_frame(
        {
            column: frame[column].to_numpy()[rows]
            for column in frame.columns
            if column not in numeric
        }
    )
    return pd.concat([taken, others], axis=1) if len(others.columns) else taken


def _merged_column(frame: pd.DataFrame, column: str, sites: _Sites) -> FloatArray:
    """Return one numeric column with every site's figure added to its parent's."""
    values = frame[column].to_numpy(dtype=np.float64, copy=True)
    if sites.site.size:
        sites.add_to_parents(values, column, values[sites.site])
    return values


def prepare_units(schools: pd.DataFrame, rules: RuleSet) -> PreparedUnits:
    r"""Merge sites, apply the exclusions and split mixed schools into units.

    Parameters
    ----------
    schools : pandas.DataFrame
        A validated school table with the canonical columns of the docs page Input tables, for one
        or many counties (as returned by :func:`eduequity.national.read_schools`).
    rules : RuleSet
        The rule set whose ``units.*`` and ``split.*`` entries govern the steps.

    Returns
    -------
    PreparedUnits
        The included schools, the units, and the records of every exclusion, merge and split.

    Notes
    -----
    The facility share of a section of a mixed school is, with :math:`w_t` the
    pupil-equivalence weight of stage :math:`t` and :math:`P_t` its pupils,

    .. math:: \sigma_s = \frac{w_s P_s}{\sum_t w_t P_t}

    summed over every stage of the school including the senior one, whose share is dropped.
    A section without pupils does not exist; the other section's share is then computed from
    the remaining stages.

    The schools are taken in the order of their ``school_id``, not in the order of the table's
    rows, so that every figure and every list is the same under any row order.
    """
    source = _canonical_order(schools)
    sites, not_site, merged_record, member_of = _merge_sites(source, rules)
    schools_only = np.flatnonzero(not_site)
    read = {
        column: (
            _merged_column(source, column, sites)
            if _merges(column, source[column])
            else source[column].to_numpy()
        )[schools_only]
        for column in _EXCLUSION_COLUMNS
        if column in source.columns
    }
    excluded_mask, excluded_record = _exclusions(read, rules)
    kept = ~excluded_mask
    renumber = np.full(kept.size, -1, dtype=np.int64)
    renumber[kept] = np.arange(int(kept.sum()))
    member_of = renumber[member_of]
    included = _take_rows(source, schools_only[kept], sites)
    units, split = _sections(included, rules)
    return PreparedUnits(
        schools=included,
        units=units,
        excluded=excluded_record,
        merged=merged_record,
        split=split,
        source=source,
        member_of=member_of,
        merged_into=np.bincount(member_of[member_of >= 0], minlength=len(included)) > 1,
    )
