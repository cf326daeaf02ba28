"""Seeded generator of synthetic national-scale school tables (private).

Everything produced here is **synthetic** (合成数据): no row describes a real school. The
numbers are drawn so that the tables look like the national education statistics
(全国教育事业统计) in shape and magnitude, and so that every row passes the validation of
docs: Input tables. They are meant for benchmarks, examples and property tests.

The generator is vectorized: every column is drawn for all schools at once with one
:class:`numpy.random.Generator`; there is no Python loop per school or per county.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Final

import numpy as np
import pandas as pd

from eduequity._typing import BoolArray, FloatArray, IntArray
from eduequity._vocabulary import vocabulary
from eduequity.errors import InvalidArgumentError

__all__ = [
    "DEFAULT_TYPE_SHARES",
    "SCHOOL_COLUMNS",
    "SCHOOL_TYPES",
    "generate_schools",
]

SCHOOL_TYPES: Final[tuple[str, ...]] = vocabulary("school_types").codes
"""The ``school_type`` values of the docs page Input tables, in the generator's code order."""

DEFAULT_TYPE_SHARES: Final[Mapping[str, float]] = MappingProxyType(
    {
        "primary": 0.53,
        "junior": 0.13,
        "nine_year": 0.07,
        "twelve_year": 0.01,
        "complete_middle": 0.03,
        "teaching_point": 0.22,
        "special": 0.01,
        "vocational": 0.0,
    }
)
"""Default share of each ``school_type`` among generated rows (synthetic, illustrative).

The mix is modelled loosely on the national statistics (mostly primary schools, about a fifth
teaching points, then junior, nine-year and complete middle schools, few twelve-year and
special-education schools); it is not a published figure.
"""

SCHOOL_COLUMNS: Final[tuple[str, ...]] = (
    "school_id",
    "school_name",
    "county",
    "county_code",
    "year",
    "school_type",
    "parent_school_id",
    "ownership",
    "location",
    "boarding",
    "built_year",
    "migrant_share",
    "meets_provincial_standard",
    "students_primary",
    "students_junior",
    "students_senior",
    "full_time_teachers_primary",
    "full_time_teachers_junior",
    "qualified_teachers_primary",
    "qualified_teachers_junior",
    "bachelor_plus_teachers_primary",
    "bachelor_plus_teachers_junior",
    "backbone_teachers_primary",
    "backbone_teachers_junior",
    "pe_arts_teachers_primary",
    "pe_arts_teachers_junior",
    "mid_senior_title_teachers_primary",
    "mid_senior_title_teachers_junior",
    "teaching_aux_area_m2",
    "indoor_sports_area_m2",
    "sports_ground_area_m2",
    "equipment_value_yuan",
    "multimedia_classrooms",
    "teaching_computers",
    "books",
    "classes_primary",
    "classes_junior",
    "max_class_size_primary",
    "max_class_size_junior",
    "large_classes",
    "super_large_classes",
    "music_rooms",
    "art_rooms",
    "min_music_room_area_m2",
    "min_art_room_area_m2",
    "public_funds_budget_yuan",
    "teacher_training_funds_yuan",
)
"""Canonical columns (docs: Input tables) of the bundled and generated school tables."""

STRING_COLUMNS: Final[tuple[str, ...]] = (
    "school_id",
    "school_name",
    "county",
    "county_code",
    "school_type",
    "parent_school_id",
    "ownership",
    "location",
)
"""Text columns: identifiers keep their leading zeros."""

BOOL_COLUMNS: Final[tuple[str, ...]] = ("boarding", "meets_provincial_standard")
"""Boolean columns."""

FLOAT_COLUMNS: Final[tuple[str, ...]] = (
    "migrant_share",
    "teaching_aux_area_m2",
    "indoor_sports_area_m2",
    "sports_ground_area_m2",
    "equipment_value_yuan",
    "min_music_room_area_m2",
    "min_art_room_area_m2",
    "public_funds_budget_yuan",
    "teacher_training_funds_yuan",
)
"""Decimal columns (areas [m²], money [yuan], rates); the others are integer counts or years."""

INT_COLUMNS: Final[tuple[str, ...]] = tuple(
    column
    for column in SCHOOL_COLUMNS
    if column not in STRING_COLUMNS + BOOL_COLUMNS + FLOAT_COLUMNS
)
"""Integer columns: counts [pupils, teachers, rooms, classes, volumes, units] and years."""

_PRIMARY, _JUNIOR, _NINE, _TWELVE, _COMPLETE, _POINT, _SPECIAL, _VOCATIONAL = range(8)
_URBAN, _TOWN, _RURAL = range(3)
_LOCATIONS: Final = np.array(vocabulary("locations").codes)
_NAME_SUFFIX: Final = np.array(list(vocabulary("school_types").labels.values()))
_FORCED_PER_COUNTY: Final = (_PRIMARY, _PRIMARY, _JUNIOR, _JUNIOR)
"""Every county starts with two primary and two junior schools, so both stages have a CV."""

# Synthetic medians of the enrolment draws [pupils], by location (urban, town, rural).
_MEDIAN_PRIMARY: Final = np.array([1300.0, 620.0, 190.0])
_MEDIAN_JUNIOR: Final = np.array([1350.0, 820.0, 380.0])
_MEDIAN_NINE_PRIMARY: Final = np.array([900.0, 460.0, 210.0])
_MEDIAN_COMPLETE_JUNIOR: Final = np.array([950.0, 650.0, 420.0])

# Synthetic medians of the per-pupil resources, by location (urban, town, rural); rural
# schools are smaller, so their per-pupil endowment is higher, as in the statistics.
_TEACHERS_PER_PUPIL_PRIMARY: Final = np.array([0.056, 0.066, 0.092])
_TEACHERS_PER_PUPIL_JUNIOR: Final = np.array([0.080, 0.088, 0.105])
_TEACHING_AREA_PER_PUPIL: Final = np.array([5.2, 6.0, 7.6])  # [m²], net of indoor sports
_SPORTS_AREA_PER_PUPIL: Final = np.array([8.5, 13.0, 20.0])  # [m²]
_EQUIPMENT_PER_PUPIL: Final = np.array([3200.0, 2900.0, 3100.0])  # [yuan]
_MULTIMEDIA_PER_PUPIL: Final = np.array([0.028, 0.029, 0.036])  # [rooms]
_CLASS_TARGET_PRIMARY: Final = np.array([43.0, 40.0, 30.0])  # [pupils per class]
_CLASS_TARGET_JUNIOR: Final = np.array([47.0, 45.0, 40.0])
_NO_GYM_PROBABILITY: Final = np.array([0.25, 0.5, 0.85])
_PUBLIC_FUNDS_PER_PUPIL: Final = np.array([720.0, 940.0, 1100.0])  # primary, junior, senior


def generate_schools(
    n_counties: int = 2800,
    n_schools: int = 200_000,
    *,
    seed: int | np.random.Generator = 0,
    year: int = 2024,
    type_shares: Mapping[str, float] | None = None,
    site_share: float = 0.01,
    private_share: float = 0.05,
    county_names: Sequence[str] | None = None,
    county_codes: Sequence[str] | None = None,
) -> pd.DataFrame:
    r"""Generate a synthetic school table at national scale (合成全国学校数据).

    All rows are **synthetic**. The table has the canonical columns of the docs page Input tables
    (:data:`SCHOOL_COLUMNS`) and is valid input for the loaders and the national method: it
    has no ``section_not_allowed``, ``zero_enrolment``, ``teachers_without_students``,
    ``subset_exceeds_total``, ``indoor_exceeds_teaching_area`` or ``classes_inconsistent``
    row, ``school_id`` values are unique, and every site (``parent_school_id`` set) hangs
    under a primary school of its own county that is not itself a site.

    Parameters
    ----------
    n_counties
        Number of counties (县), at least 1.
    n_schools
        Number of rows (schools and sites), at least ``4 × n_counties``: every county gets
        two primary and two junior schools first, the rest are drawn by ``type_shares``.
        County sizes vary (a multinomial with lognormal county weights).
    seed
        Seed of :func:`numpy.random.default_rng`, or a generator to draw from. The same seed
        gives the same table.
    year
        School year (start year) written into the ``year`` column.
    type_shares
        Share of each ``school_type`` among the freely drawn rows (keys from
        :data:`SCHOOL_TYPES`; missing keys mean 0). The shares must be non-negative and sum
        to 1 within 1e-9. Default :data:`DEFAULT_TYPE_SHARES`.
    site_share
        Approximate share of rows that are sites reported under a parent school (不计校数),
        in [0, 0.5]. Sites are drawn among the freely drawn primary schools and teaching
        points and attached to the county's first primary school.
    private_share
        Probability that a freely drawn primary, junior, nine-year or twelve-year school is
        private (民办), in [0, 1].
    county_names, county_codes
        Optional names and codes of the counties, ``n_counties`` unique strings each.
        Defaults: ``"合成县00001"``, … and ``"900001"``, ….

    Returns
    -------
    pandas.DataFrame
        One row per school or site, columns :data:`SCHOOL_COLUMNS`. Identifiers and enums are
        strings (``school_id`` = county code + zero-padded serial); counts are ``int64``;
        areas [m²], money [yuan] and rates are ``float64`` (room areas are NaN where a school
        has no such room); ``boarding`` and ``meets_provincial_standard`` are ``bool``.

    Raises
    ------
    InvalidArgumentError
        If a count, share or name list is out of range, of the wrong length or not unique.

    Notes
    -----
    Enrolments are lognormal around type- and location-specific medians. Per-pupil
    resources are a location median times a county level (lognormal, σ = 0.2) times a
    school deviation whose spread is itself drawn per county and per resource
    (σ ∈ [0.15, 0.6]), times a mild economy-of-scale factor
    :math:`(P / P_{\text{median}})^{-0.1}`, so the county CVs of the seven indicators
    mostly land between 0.2 and 0.8. Teacher subsets are binomial draws from the full-time
    teachers of the stage, so every subset is at most its total. Classes are
    :math:`\lceil P / \text{target} \rceil` and the largest class lies between
    :math:`\lceil P / \text{classes} \rceil` and :math:`P`. Some schools deliberately miss
    the national standards, G3–G5 or Q4, as real counties do.

    Examples
    --------
    >>> from eduequity.datasets import generate_schools
    >>> table = generate_schools(n_counties=3, n_schools=60, seed=1)
    >>> table.shape
    (60, 47)
    >>> table["school_id"].is_unique
    True
    >>> sorted(table["county"].unique())
    ['合成县00001', '合成县00002', '合成县00003']
    >>> generate_schools(n_counties=3, n_schools=60, seed=1).equals(table)
    True
    """
    _check_counts(n_counties, n_schools)
    shares = _check_shares(type_shares)
    _check_fraction(site_share, "site_share", upper=0.5)
    _check_fraction(private_share, "private_share", upper=1.0)
    names = _labels(county_names, n_counties, "county_names", "合成县", 1)
    codes = _labels(county_codes, n_counties, "county_codes", "", 900_001)
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)

    # Counties: sizes, positions and location mix.
    forced = len(_FORCED_PER_COUNTY)
    county_weights = rng.lognormal(0.0, 0.6, n_counties)
    sizes = forced + rng.multinomial(
        n_schools - forced * n_counties, county_weights / county_weights.sum()
    )
    county = np.repeat(np.arange(n_counties), sizes)
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    position = np.arange(n_schools) - starts[county]
    urban_share = rng.beta(2.0, 5.0, n_counties)
    town_share = (1.0 - urban_share) * rng.beta(3.0, 3.0, n_counties)

    # Types, sites and locations.
    school_type = rng.choice(len(SCHOOL_TYPES), size=n_schools, p=shares)
    is_forced = position < forced
    school_type[is_forced] = np.asarray(_FORCED_PER_COUNTY)[position[is_forced]]
    site_pool = ~is_forced & np.isin(school_type, (_PRIMARY, _POINT))
    pool_share = max(float(site_pool.mean()), 1e-12)
    is_site = site_pool & (rng.random(n_schools) < min(1.0, site_share / pool_share))
    draw = rng.random(n_schools)
    location = np.where(
        draw < urban_share[county],
        _URBAN,
        np.where(draw < urban_share[county] + town_share[county], _TOWN, _RURAL),
    )
    location[(school_type == _POINT) | is_site] = _RURAL
    location[school_type == _SPECIAL] = _URBAN

    enrolment = _draw_enrolment(rng, school_type, location, is_site)
    primary, junior, senior = enrolment
    teachers = _draw_teachers(
        rng, county=county, location=location, primary=primary, junior=junior, n_counties=n_counties
    )
    facilities = _draw_facilities(rng, county, location, enrolment, n_counties)
    classes = _draw_classes(rng, location, school_type, primary, junior)
    finance = _draw_finance(rng, enrolment)

    width = max(4, len(str(int(sizes.max()))))
    serial = np.char.zfill((position + 1).astype(str), width)
    school_id = np.char.add(codes[county], serial)
    parent = np.full(n_schools, None, dtype=object)
    parent[is_site] = school_id[starts[county[is_site]]]
    suffix = np.where(is_site, "校点", _NAME_SUFFIX[school_type])
    school_name = np.char.add(np.char.add(names[county], np.char.add("第", serial)), suffix)
    may_be_private = (
        ~is_forced & ~is_site & np.isin(school_type, (_PRIMARY, _JUNIOR, _NINE, _TWELVE))
    )
    private = may_be_private & (rng.random(n_schools) < private_share)
    boarding_probability = np.where(
        (location == _RURAL) & np.isin(school_type, (_JUNIOR, _NINE, _TWELVE, _COMPLETE)), 0.6, 0.05
    )
    migrant = np.select(
        [location == _URBAN, location == _TOWN],
        [rng.beta(2.0, 8.0, n_schools), rng.beta(1.0, 15.0, n_schools)],
        rng.beta(1.0, 40.0, n_schools),
    )

    columns: dict[str, object] = {
        "school_id": school_id,
        "school_name": school_name,
        "county": names[county],
        "county_code": codes[county],
        "year": np.full(n_schools, year, dtype=np.int64),
        "school_type": np.asarray(SCHOOL_TYPES)[school_type],
        "parent_school_id": parent,
        "ownership": np.where(private, "private", "public"),
        "location": _LOCATIONS[location],
        "boarding": rng.random(n_schools) < boarding_probability,
        "built_year": rng.integers(min(1950, year), year + 1, n_schools),
        "migrant_share": np.round(migrant, 3),
        "meets_provincial_standard": rng.random(n_schools) < 0.9,  # noqa: PLR2004 - synthetic rate
        "students_primary": primary,
        "students_junior": junior,
        "students_senior": senior,
        **teachers,
        **facilities,
        **classes,
        **finance,
    }
    frame = pd.DataFrame({name: columns[name] for name in SCHOOL_COLUMNS})
    for name in INT_COLUMNS:
        frame[name] = frame[name].astype(np.int64)
    return frame


def _check_counts(n_counties: int, n_schools: int) -> None:
    for name, value in (("n_counties", n_counties), ("n_schools", n_schools)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer):
            raise InvalidArgumentError(f"{name} must be an integer; got {value!r}")
    if n_counties < 1:
        raise InvalidArgumentError(f"n_counties must be at least 1; got {n_counties}")
    minimum = len(_FORCED_PER_COUNTY) * n_counties
    if n_schools < minimum:
        raise InvalidArgumentError(
            f"n_schools must be at least 4 × n_counties = {minimum} (two primary and two junior "
            f"schools per county); got {n_schools}"
        )


def _check_shares(type_shares: Mapping[str, float] | None) -> FloatArray:
    given = DEFAULT_TYPE_SHARES if type_shares is None else type_shares
    unknown = sorted(set(given) - set(SCHOOL_TYPES))
    if unknown:
        raise InvalidArgumentError(
            f"type_shares has unknown school types {unknown}; "
            f"expected keys among {list(SCHOOL_TYPES)}"
        )
    shares = np.array([float(given.get(name, 0.0)) for name in SCHOOL_TYPES])
    if not np.all(np.isfinite(shares)) or np.any(shares < 0):
        raise InvalidArgumentError(
            f"type_shares must be finite and non-negative; got {dict(given)}"
        )
    if not math.isclose(float(shares.sum()), 1.0, rel_tol=0.0, abs_tol=1e-9):
        raise InvalidArgumentError(
            f"type_shares must sum to 1 within 1e-9; they sum to {float(shares.sum())!r}"
        )
    normalised: FloatArray = shares / float(shares.sum())
    return normalised


def _check_fraction(value: float, name: str, *, upper: float) -> None:
    if not (isinstance(value, int | float) and 0.0 <= value <= upper):
        raise InvalidArgumentError(f"{name} must be a number in [0, {upper}]; got {value!r}")


def _labels(
    given: Sequence[str] | None, count: int, name: str, prefix: str, first: int
) -> np.ndarray:
    if given is None:
        numbers = np.arange(first, first + count).astype(str)
        return np.char.add(prefix, np.char.zfill(numbers, 5)) if prefix else numbers
    labels = np.asarray(list(given), dtype=object)
    if len(labels) != count:
        raise InvalidArgumentError(
            f"{name} must have n_counties = {count} entries; got {len(labels)}"
        )
    if not all(isinstance(label, str) and label for label in labels):
        raise InvalidArgumentError(f"{name} must be non-empty strings; got {list(given)!r}")
    if len(set(labels)) != count:
        raise InvalidArgumentError(f"{name} must be unique; got {list(given)!r}")
    return labels.astype(str)


def _lognormal_counts(
    rng: np.random.Generator, median: FloatArray, sigma: float, low: int, high: int
) -> IntArray:
    draws = median * rng.lognormal(0.0, sigma, median.shape)
    return np.clip(np.rint(draws), low, high).astype(np.int64)


def _draw_enrolment(
    rng: np.random.Generator, school_type: IntArray, location: IntArray, is_site: BoolArray
) -> tuple[IntArray, IntArray, IntArray]:
    n = school_type.shape[0]
    zeros = np.zeros(n, dtype=np.int64)
    primary_single = _lognormal_counts(rng, _MEDIAN_PRIMARY[location], 0.6, 20, 3200)
    junior_single = _lognormal_counts(rng, _MEDIAN_JUNIOR[location], 0.5, 60, 3200)
    integrated_primary = _lognormal_counts(rng, _MEDIAN_NINE_PRIMARY[location], 0.5, 30, 2000)
    integrated_junior = np.maximum(
        10, np.rint(integrated_primary * rng.uniform(0.4, 0.8, n)).astype(np.int64)
    )
    senior_of_twelve = np.rint(integrated_primary * rng.uniform(0.5, 1.0, n)).astype(np.int64)
    complete_junior = _lognormal_counts(rng, _MEDIAN_COMPLETE_JUNIOR[location], 0.4, 100, 2400)
    complete_senior = np.rint(complete_junior * rng.uniform(0.8, 1.5, n)).astype(np.int64)
    point = _lognormal_counts(rng, np.full(n, 32.0), 0.8, 1, 180)
    site = _lognormal_counts(rng, np.full(n, 45.0), 0.6, 5, 240)
    special_primary = _lognormal_counts(rng, np.full(n, 60.0), 0.5, 5, 400)
    special_junior = _lognormal_counts(rng, np.full(n, 30.0), 0.5, 0, 200)
    vocational_junior = _lognormal_counts(rng, np.full(n, 300.0), 0.5, 20, 1500)

    kind = np.where(is_site, -1, school_type)
    primary = np.select(
        [
            kind == _PRIMARY,
            np.isin(kind, (_NINE, _TWELVE)),
            kind == _POINT,
            kind == -1,
            kind == _SPECIAL,
        ],
        [primary_single, integrated_primary, point, site, special_primary],
        zeros,
    )
    junior = np.select(
        [
            kind == _JUNIOR,
            np.isin(kind, (_NINE, _TWELVE)),
            kind == _COMPLETE,
            kind == _SPECIAL,
            kind == _VOCATIONAL,
        ],
        [junior_single, integrated_junior, complete_junior, special_junior, vocational_junior],
        zeros,
    )
    senior = np.select(
        [kind == _TWELVE, kind == _COMPLETE], [senior_of_twelve, complete_senior], zeros
    )
    return primary, junior, senior


def _county_spread(
    rng: np.random.Generator, county: IntArray, n_counties: int, count: int
) -> tuple[FloatArray, FloatArray]:
    """Per school: ``count`` county levels and ``count`` school deviations (mean-one lognormals)."""
    level = rng.lognormal(0.0, 0.2, (count, n_counties))[:, county]
    sigma = rng.uniform(0.15, 0.6, (count, n_counties))[:, county]
    deviation = np.exp(sigma * rng.standard_normal((count, county.shape[0])) - sigma**2 / 2.0)
    return level, deviation


def _draw_teachers(
    rng: np.random.Generator,
    *,
    county: IntArray,
    location: IntArray,
    primary: IntArray,
    junior: IntArray,
    n_counties: int,
) -> dict[str, IntArray]:
    level, deviation = _county_spread(rng, county, n_counties, 5)
    columns: dict[str, IntArray] = {}
    stages = (
        ("primary", primary, _TEACHERS_PER_PUPIL_PRIMARY, 0.97),
        ("junior", junior, _TEACHERS_PER_PUPIL_JUNIOR, 0.88),
    )
    for stage, pupils, ratio, qualified_rate in stages:
        has_pupils = pupils > 0
        raw = pupils * ratio[location] * level[0] * deviation[0] ** 0.5
        full_time = np.where(has_pupils, np.maximum(1, np.rint(raw)), 0).astype(np.int64)
        qualified_p = np.clip(qualified_rate * level[1] * deviation[1] ** 0.2, 0.3, 1.0)
        backbone_p = np.clip(0.2 * level[2] * deviation[2], 0.0, 0.6)
        pe_arts_p = np.clip(0.16 * level[3] * deviation[3], 0.02, 0.4)
        title_p = np.clip(0.5 * level[4] * deviation[4] ** 0.3, 0.05, 0.95)
        qualified = rng.binomial(full_time, qualified_p)
        columns[f"full_time_teachers_{stage}"] = full_time
        columns[f"qualified_teachers_{stage}"] = qualified
        # Junior "qualified" already means 本科 and above, so the bachelor count equals it.
        columns[f"bachelor_plus_teachers_{stage}"] = (
            rng.binomial(qualified, 0.7) if stage == "primary" else qualified
        )
        columns[f"backbone_teachers_{stage}"] = rng.binomial(full_time, backbone_p)
        columns[f"pe_arts_teachers_{stage}"] = rng.binomial(full_time, pe_arts_p)
        columns[f"mid_senior_title_teachers_{stage}"] = rng.binomial(full_time, title_p)
    return columns


def _draw_facilities(
    rng: np.random.Generator,
    county: IntArray,
    location: IntArray,
    enrolment: tuple[IntArray, IntArray, IntArray],
    n_counties: int,
) -> dict[str, FloatArray | IntArray]:
    primary, junior, senior = enrolment
    # Older pupils need more room: the split weights of the docs page The national method, Which
    # schools
    # enter: unit preparation serve as a
    # plausible resource weighting here (this is synthesis, not the method).
    equivalent = primary + 1.1 * junior + 1.32 * senior
    total = (primary + junior + senior).astype(np.float64)
    scale = np.power(np.maximum(equivalent, 1.0) / 600.0, -0.1)
    level, deviation = _county_spread(rng, county, n_counties, 4)
    factor = level * deviation * scale
    net_teaching = equivalent * _TEACHING_AREA_PER_PUPIL[location] * factor[0]
    has_gym = rng.random(county.shape[0]) >= _NO_GYM_PROBABILITY[location]
    indoor = np.where(has_gym, net_teaching * rng.uniform(0.04, 0.15, county.shape[0]), 0.0)
    sports_ground = equivalent * _SPORTS_AREA_PER_PUPIL[location] * factor[1]
    equipment = equivalent * _EQUIPMENT_PER_PUPIL[location] * factor[2]
    multimedia = np.rint(equivalent * _MULTIMEDIA_PER_PUPIL[location] * factor[3])
    indoor = np.round(indoor, 1)
    return {
        "teaching_aux_area_m2": np.round(np.round(net_teaching, 1) + indoor, 1),
        "indoor_sports_area_m2": indoor,
        "sports_ground_area_m2": np.round(sports_ground, 1),
        "equipment_value_yuan": np.round(equipment, -2),
        "multimedia_classrooms": multimedia.astype(np.int64),
        "teaching_computers": np.rint(total * rng.uniform(0.06, 0.2, total.shape)).astype(np.int64),
        "books": np.rint(total * rng.uniform(15.0, 45.0, total.shape)).astype(np.int64),
    }


def _draw_classes(
    rng: np.random.Generator,
    location: IntArray,
    school_type: IntArray,
    primary: IntArray,
    junior: IntArray,
) -> dict[str, FloatArray | IntArray]:
    n = location.shape[0]
    columns: dict[str, FloatArray | IntArray] = {}
    targets = {
        "primary": np.where(school_type == _POINT, 12.0, _CLASS_TARGET_PRIMARY[location]),
        "junior": _CLASS_TARGET_JUNIOR[location],
    }
    for stage, pupils in (("primary", primary), ("junior", junior)):
        target = targets[stage] * rng.uniform(0.8, 1.15, n)
        classes = np.where(pupils > 0, np.clip(np.ceil(pupils / target), 1, pupils), 0)
        classes = classes.astype(np.int64)
        average = -(-pupils // np.maximum(classes, 1))
        largest = np.minimum(pupils, average + rng.integers(0, 7, n))
        columns[f"classes_{stage}"] = classes
        columns[f"max_class_size_{stage}"] = np.where(pupils > 0, largest, 0).astype(np.int64)
    largest_p = columns["max_class_size_primary"]
    largest_j = columns["max_class_size_junior"]
    # Each stage whose largest class is large contributes at least that one large class; the
    # bounds of a large (大班额) and a super-large class (超大班额) come from the rule set.
    from eduequity.national import class_size_categories  # noqa: PLC0415 - loads the rule sets

    kinds = [class_size_categories(largest) for largest in (largest_p, largest_j)]
    columns["large_classes"] = sum((kind != "standard").astype(np.int64) for kind in kinds)
    columns["super_large_classes"] = sum((kind == "super_large").astype(np.int64) for kind in kinds)
    total_classes = columns["classes_primary"] + columns["classes_junior"]
    needed = -(-total_classes // 12)
    small_site = school_type == _POINT
    music = np.where(small_site, 0, np.maximum(0, needed + rng.integers(-1, 2, n)))
    art = np.where(small_site, 0, np.maximum(0, needed + rng.integers(-1, 2, n)))
    columns["music_rooms"] = music.astype(np.int64)
    columns["art_rooms"] = art.astype(np.int64)
    music_area = np.round(rng.normal(104.0, 7.0, n), 1)
    art_area = np.round(rng.normal(98.0, 7.0, n), 1)
    columns["min_music_room_area_m2"] = np.where(music > 0, music_area, np.nan)
    columns["min_art_room_area_m2"] = np.where(art > 0, art_area, np.nan)
    return columns


def _draw_finance(
    rng: np.random.Generator, enrolment: tuple[IntArray, IntArray, IntArray]
) -> dict[str, FloatArray]:
    primary, junior, senior = enrolment
    funded = primary * _PUBLIC_FUNDS_PER_PUPIL[0] + junior * _PUBLIC_FUNDS_PER_PUPIL[1]
    funded = funded + senior * _PUBLIC_FUNDS_PER_PUPIL[2]
    total = np.maximum(primary + junior + senior, 1)
    # Schools under 100 pupils are funded as if they had 100 (docs: The national method G6).
    per_pupil = funded / total
    budget = np.round(np.maximum(total, 100) * per_pupil * rng.uniform(1.0, 1.3, total.shape), -2)
    training = np.round(budget * rng.uniform(0.035, 0.1, total.shape))
    return {"public_funds_budget_yuan": budget, "teacher_training_funds_yuan": training}
