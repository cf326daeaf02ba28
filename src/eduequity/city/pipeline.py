r"""The city pipeline: counts, shares, whole-city flags, province shares and projections.

docs: The creation checklist and city aggregation, City aggregation. For a city, a program and an
as-of year :math:`Y`, only events with ``status_year <= Y`` count; the current status of a unit is
its latest event (:meth:`CountyRegister.current`). With :math:`N` the declared units of the city
(``city_units``; without a declaration, the register's distinct units and warning
``unit_list_not_declared``):

.. math::

    \mathrm{count}(s) &= \#\{u : \mathrm{status}(u) = s\} \\
    \mathrm{count\_at\_least}(s) &= \#\{u : \mathrm{order}(u) \ge \mathrm{order}(s),
        u \text{ not withdrawn}\} \\
    \mathrm{share\_at\_least}(s) &= \mathrm{count\_at\_least}(s) / N

``whole_city_recognized`` holds when every unit is at or beyond ``nationally_recognized``,
``whole_city_provincial`` when every unit is at or beyond ``provincially_assessed``
(整市域通过省级督导评估). A declared unit without any event counts as ``not_started``; a unit of
the register that the declaration omits is left out (warning ``unit_count_mismatch``).

The projection of §4 is a **projection, not a forecast**: the pace of the last :math:`w` years
carried forward,

.. math::

    \mathrm{pace} = \frac{\mathrm{count\_at\_least}(s, Y) - \mathrm{count\_at\_least}(s, Y-w)}{w},
    \qquad
    \mathrm{years\_needed} = \left\lceil \frac{\mathrm{remaining}}{\mathrm{pace}} \right\rceil,

with ``remaining`` the units still needed to reach the target share. A pace of 0 (or below,
after withdrawals) gives no projected year, status ``"undefined"``, never a number. The ceiling
is taken in exact rational arithmetic.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Final, Literal

import attrs
import numpy as np
import pandas as pd

from eduequity._serialize import Record, attrs_to_dict, to_jsonable
from eduequity._typing import JSONValue
from eduequity.city.register import (
    PROGRAMS,
    STATUS_LABELS,
    STATUS_ORDER,
    CountyRegister,
    coverage_issues,
    declared_units,
)
from eduequity.errors import DegenerateDataWarning, InvalidArgumentError, InvalidValueError, Issue

__all__ = [
    "PIPELINE_STATUSES",
    "CompletionProjection",
    "CompletionTarget",
    "ProvinceShare",
    "RegisterSummary",
    "project_completion",
    "province_share",
    "register_summary",
]

PIPELINE_STATUSES: Final[tuple[str, ...]] = (*STATUS_ORDER, "withdrawn")
"""Statuses of the register in display order (docs: The creation checklist and city aggregation,
City aggregation)."""

_NO_ORDER: Final = -1  # withdrawn: at or beyond no status

Denominator = Literal["declared", "register"]


def _check_status(status: object, name: str = "status") -> str:
    if status not in STATUS_ORDER:
        allowed = ", ".join(STATUS_ORDER)
        msg = f"{name}={status!r} is not a pipeline status; allowed: {allowed}"
        raise InvalidArgumentError(msg, code="invalid_option")
    return str(status)


def _check_program(program: object) -> str:
    if program not in PROGRAMS:
        msg = f"program={program!r} is not a program; allowed: {', '.join(PROGRAMS)}"
        raise InvalidArgumentError(msg, code="invalid_option")
    return str(program)


def _check_register(register: object) -> CountyRegister:
    if not isinstance(register, CountyRegister):
        msg = (
            f"register must be a CountyRegister (from read_register); got {type(register).__name__}"
        )
        raise InvalidArgumentError(msg, code="invalid_argument")
    return register


def _pick_city(register: CountyRegister, city: str | None) -> str:
    cities = register.cities
    if city is None:
        if len(cities) != 1:
            msg = (
                f"the register holds {len(cities)} cities ({', '.join(cities)}); pass city= "
                "to choose one"
            )
            raise InvalidArgumentError(msg, code="several_cities")
        return cities[0]
    if city not in cities:
        msg = f"city {city!r} is not in the register; it holds: {', '.join(cities)}"
        raise InvalidArgumentError(msg, code="unknown_city")
    return city


def _default_as_of(register: CountyRegister, city: str, program: str) -> int | None:
    frame = register.frame
    years = frame.loc[
        (frame["city"] == city) & (frame["program"] == program), "status_year"
    ].dropna()
    return int(years.max()) if len(years) else None


@attrs.frozen(kw_only=True)
class _Units:
    """The units counted for a city, with their current status as of a year."""

    table: pd.DataFrame
    denominator: Denominator
    undeclared: tuple[str, ...]
    issues: tuple[Issue, ...]


def _units(
    register: CountyRegister,
    *,
    city: str,
    program: str,
    as_of: int | None,
    city_units: Mapping[str, Iterable[str]] | Sequence[str] | None,
) -> _Units:
    """Return one row per counted unit with its current status (vectorized over units)."""
    declared = declared_units(city_units, [city]) if city_units is not None else {}
    if city_units is None:
        declared = dict(register.city_units)
    listed = register.counties(city)
    issues: list[Issue] = []
    if city in declared:
        names = tuple(declared[city])
        denominator: Denominator = "declared"
        undeclared = tuple(sorted(set(listed) - set(names)))
        if city_units is not None:
            # A declaration given here (not checked when the register was read).
            units = register.frame.loc[register.frame["city"] == city, ["city", "county"]]
            issues.extend(coverage_issues(units.dropna(), {city: names}, ()))
    else:
        names = listed
        denominator = "register"
        undeclared = ()
        issues.append(
            Issue(
                code="unit_list_not_declared",
                message=(
                    f"city {city}: no city_units declared; the denominator is the register's "
                    f"{len(names)} distinct units. Declare every county-level unit the "
                    "province assesses (functional zones included) to make the shares exact"
                ),
                severity="warning",
                table="register",
            )
        )
    current = register.current(program, as_of=as_of, city=city).set_index("county")
    table = pd.DataFrame(index=pd.Index(names, name="county"))
    table = table.join(current, how="left")
    in_register = table["status"].notna().to_numpy(dtype=np.bool_)
    table["status"] = table["status"].where(in_register, "not_started")
    order = table["status"].map(dict(STATUS_ORDER)).fillna(_NO_ORDER).astype(np.int64)
    table["order"] = order
    table["pioneer"] = table["pioneer"].fillna(value=False).astype(bool)
    table["events"] = table["events"].fillna(0).astype(np.int64)
    table["has_event"] = in_register
    return _Units(
        table=table.reset_index(),
        denominator=denominator,
        undeclared=undeclared,
        issues=tuple(issues),
    )


def _at_least(orders: np.ndarray, status: str) -> int:
    return int(np.count_nonzero(orders >= STATUS_ORDER[status]))


@attrs.frozen(kw_only=True)
class RegisterSummary:
    """Counts and shares by status, whole-city flags, timeline and pioneers.

    Examples
    --------
    >>> import pandas as pd
    >>> from eduequity.city import read_register, register_summary
    >>> register = read_register(pd.DataFrame({
    ...     "city": ["威海市"] * 7, "county": [f"unit{i}" for i in range(7)],
    ...     "status": ["nationally_recognized"] * 7, "status_year": [2025] * 7}),
    ...     today="2025-07-18", city_units=[f"unit{i}" for i in range(7)])
    >>> summary = register_summary(register, as_of=2025)
    >>> summary.whole_city_recognized, summary.count_at_least("nationally_recognized")
    (True, 7)
    """

    city: str
    """The city (地市)."""
    program: str
    """The program (创建类别), e.g. ``"quality_balance"``."""
    as_of: int | None
    """Events with ``status_year <= as_of`` count; ``None`` counts every event [year]."""
    n_units: int
    """The denominator :math:`N`: declared units, or the register's distinct units."""
    denominator: Denominator
    """``"declared"`` (``city_units``) or ``"register"`` (warning ``unit_list_not_declared``)."""
    units: pd.DataFrame = attrs.field(eq=False, repr=False)
    """One row per counted unit: ``county``, its current event (columns of the register),
    ``order``, ``pioneer``, ``events`` and ``has_event`` (false for a declared unit without
    any event, counted as ``not_started``)."""
    by_status: pd.DataFrame = attrs.field(eq=False, repr=False)
    """Indexed by status (pipeline order, then ``withdrawn``): ``status_zh``, ``order``,
    ``count``, ``share``, ``count_at_least``, ``share_at_least`` (``None`` for withdrawn)."""
    history: pd.DataFrame = attrs.field(eq=False, repr=False)
    """Indexed by ``year``, from the first dated event of the city and program to
    :attr:`as_of`: ``count_<status>`` (units whose status that year is the status) and
    ``at_least_<status>`` (units at or beyond it), the same computation as of each year."""
    timeline: pd.DataFrame = attrs.field(eq=False, repr=False)
    """Recognitions by year and batch (first recognition of each counted unit): ``year``,
    ``batch`` (verbatim), ``first_date``, ``counties``, ``count`` and ``cumulative``, ordered by
    year, then publication date (a batch without a date first, as in the event order), then
    register row; never by the label."""
    pioneers: tuple[str, ...]
    """Units flagged as pioneers (先行创建县), sorted."""
    whole_city_recognized: bool
    """Every unit at or beyond ``nationally_recognized`` (全域通过国家认定)."""
    whole_city_provincial: bool
    """Every unit at or beyond ``provincially_assessed`` (整市域通过省级督导评估)."""
    missing_recognized: tuple[str, ...]
    """Units not yet at or beyond ``nationally_recognized``."""
    missing_provincial: tuple[str, ...]
    """Units not yet at or beyond ``provincially_assessed``."""
    undeclared: tuple[str, ...]
    """Units of the register left out because ``city_units`` does not declare them."""
    warnings: tuple[Issue, ...] = ()
    """``unit_list_not_declared`` and the register's warnings."""

    def count(self, status: str) -> int:
        """Return the number of units whose current status is ``status``."""
        if status not in PIPELINE_STATUSES:
            msg = f"status={status!r} is not a register status; allowed: {PIPELINE_STATUSES}"
            raise InvalidArgumentError(msg, code="invalid_option")
        return int(self.by_status["count"].to_numpy()[PIPELINE_STATUSES.index(status)])

    def count_at_least(self, status: str) -> int:
        """Return the number of units at or beyond ``status`` (withdrawn units excluded)."""
        position = PIPELINE_STATUSES.index(_check_status(status))
        return int(self.by_status["count_at_least"].to_numpy()[position])

    def share_at_least(self, status: str) -> float | None:
        """Return ``count_at_least(status) / N``; ``None`` when :math:`N = 0`."""
        position = PIPELINE_STATUSES.index(_check_status(status))
        value = float(self.by_status["share_at_least"].to_numpy(dtype=np.float64)[position])
        return None if np.isnan(value) else value

    def missing(self, status: str) -> tuple[str, ...]:
        """Return the units not yet at or beyond ``status``, sorted."""
        order = STATUS_ORDER[_check_status(status)]
        below = self.units.loc[self.units["order"] < order, "county"]
        return tuple(sorted(below.tolist()))

    def to_dict(self) -> dict[str, JSONValue]:
        """Return a JSON-safe mapping of the fields."""
        data = attrs_to_dict(self)
        data["by_status"] = to_jsonable(self.by_status.reset_index())
        return data


def register_summary(
    register: CountyRegister,
    *,
    city: str | None = None,
    program: str = "quality_balance",
    as_of: int | None = None,
    city_units: Mapping[str, Iterable[str]] | Sequence[str] | None = None,
) -> RegisterSummary:
    """Summarise a city's register: counts and shares by status and the whole-city flags.

    Parameters
    ----------
    register : CountyRegister
        From :func:`~eduequity.city.read_register`.
    city : str, optional
        The city; required when the register holds several.
    program : str, optional
        ``"quality_balance"`` (default), ``"basic_balance"`` or ``"preschool_universal"``.
    as_of : int, optional
        As-of year :math:`Y`: only events with ``status_year <= Y`` count. Default: the
        latest ``status_year`` of the city and program.
    city_units : mapping or sequence, optional
        Declared units (the denominator :math:`N`); default the declaration kept with the
        register. Without one, the register's distinct units (warning
        ``unit_list_not_declared``).

    Returns
    -------
    RegisterSummary

    Raises
    ------
    InvalidArgumentError
        An unknown program, a city not in the register, or several cities without ``city``.

    Notes
    -----
    docs: The creation checklist and city aggregation, City aggregation; see the module notes for
    the formulas. The computation runs over all units at once (one sort of the events, no loop per
    unit).
    """
    register = _check_register(register)
    program = _check_program(program)
    city = _pick_city(register, city)
    if as_of is None:
        as_of = _default_as_of(register, city, program)
    counted = _units(register, city=city, program=program, as_of=as_of, city_units=city_units)
    units = counted.table
    n_units = len(units)
    orders = units["order"].to_numpy(dtype=np.int64)
    counts = units["status"].value_counts().reindex(list(PIPELINE_STATUSES), fill_value=0)
    at_least = [_at_least(orders, status) for status in STATUS_ORDER]
    by_status = pd.DataFrame(
        {
            "status_zh": [STATUS_LABELS[status] for status in PIPELINE_STATUSES],
            "order": pd.array([*STATUS_ORDER.values(), None], dtype="Int64"),
            "count": counts.to_numpy(dtype=np.int64),
            "share": counts.to_numpy(dtype=np.float64) / n_units if n_units else np.nan,
            "count_at_least": pd.array([*at_least, None], dtype="Int64"),
            "share_at_least": np.array(
                [*(value / n_units if n_units else np.nan for value in at_least), np.nan]
            ),
        },
        index=pd.Index(PIPELINE_STATUSES, name="status"),
    )
    recognized = STATUS_ORDER["nationally_recognized"]
    provincial = STATUS_ORDER["provincially_assessed"]
    missing_recognized = tuple(sorted(units.loc[orders < recognized, "county"].tolist()))
    missing_provincial = tuple(sorted(units.loc[orders < provincial, "county"].tolist()))
    return RegisterSummary(
        city=city,
        program=program,
        as_of=as_of,
        n_units=n_units,
        denominator=counted.denominator,
        units=units,
        by_status=by_status,
        history=_history(register, city, program, as_of, city_units),
        timeline=_timeline(register, city, program, as_of, set(units["county"])),
        pioneers=tuple(sorted(units.loc[units["pioneer"], "county"].tolist())),
        whole_city_recognized=n_units > 0 and not missing_recognized,
        whole_city_provincial=n_units > 0 and not missing_provincial,
        missing_recognized=missing_recognized,
        missing_provincial=missing_provincial,
        undeclared=counted.undeclared,
        warnings=(*counted.issues, *register.issues),
    )


def _history(
    register: CountyRegister,
    city: str,
    program: str,
    as_of: int | None,
    city_units: Mapping[str, Iterable[str]] | Sequence[str] | None,
) -> pd.DataFrame:
    """Return counts by status and year: the as-of computation repeated for every year.

    One vectorized pass over the units per year; never a loop over units.
    """
    columns = [
        *(f"count_{status}" for status in PIPELINE_STATUSES),
        *(f"at_least_{status}" for status in STATUS_ORDER),
    ]
    first = _first_year(register, city, program)
    if as_of is None or first is None or first > as_of:
        return pd.DataFrame(columns=columns, index=pd.Index([], name="year"), dtype=np.int64)
    rows = []
    for year in range(first, as_of + 1):
        table = _units(
            register, city=city, program=program, as_of=year, city_units=city_units
        ).table
        counts = table["status"].value_counts().reindex(list(PIPELINE_STATUSES), fill_value=0)
        orders = table["order"].to_numpy(dtype=np.int64)
        rows.append(
            [
                *counts.to_numpy(dtype=np.int64).tolist(),
                *(_at_least(orders, status) for status in STATUS_ORDER),
            ]
        )
    return pd.DataFrame(rows, columns=columns, index=pd.Index(range(first, as_of + 1), name="year"))


def _first_year(register: CountyRegister, city: str, program: str) -> int | None:
    frame = register.frame
    years = frame.loc[
        (frame["city"] == city) & (frame["program"] == program), "status_year"
    ].dropna()
    return int(years.min()) if len(years) else None


def _recognitions(
    register: CountyRegister, city: str | None, program: str, as_of: int | None
) -> pd.DataFrame:
    events = register.events(program=program, city=city, as_of=as_of)
    return events[(events["status"] == "nationally_recognized") & events["status_year"].notna()]


def _timeline(
    register: CountyRegister, city: str, program: str, as_of: int | None, counted: set[str]
) -> pd.DataFrame:
    columns = ["year", "batch", "first_date", "counties", "count", "cumulative"]
    events = _recognitions(register, city, program, as_of)
    events = events[events["county"].isin(counted)]
    first = events.drop_duplicates("county", keep="first")
    if first.empty:
        return pd.DataFrame(columns=columns)
    # Source position breaks the last ties: batch labels are never parsed or sorted.
    position = pd.Series(np.arange(len(register.frame)), index=register.frame.index)
    first = first.assign(
        batch_key=first["batch"].fillna(""), source_row=position.reindex(first.index).to_numpy()
    )
    grouped = first.groupby(["status_year", "batch_key"], sort=False)
    table = grouped.agg(
        batch=("batch", "first"),
        first_date=("status_date", "min"),
        counties=("county", lambda names: ", ".join(sorted(names))),
        count=("county", "size"),
        source_row=("source_row", "min"),
    ).reset_index()
    # Like the events: by year, then date (a missing date first), never by the label.
    table = table.sort_values(
        ["status_year", "first_date", "source_row"], kind="mergesort", na_position="first"
    )
    table["cumulative"] = table["count"].cumsum()
    table = table.rename(columns={"status_year": "year"})
    table["year"] = table["year"].astype(np.int64)
    return table[columns].reset_index(drop=True)


# --------------------------------------------------------------------------------------
# province share


@attrs.frozen(kw_only=True)
class ProvinceShare(Record):
    """The city's share of a province's list.

    Examples
    --------
    Weifang (seed 000): its three units of the first national list were "1/3 of the
    province's total", which implies a province total of 9.

    >>> import pandas as pd
    >>> from eduequity.city import province_share, read_register
    >>> register = read_register(pd.DataFrame({
    ...     "city": ["潍坊市"] * 3, "county": ["寒亭区", "昌邑市", "滨海区"],
    ...     "status": ["nationally_recognized"] * 3, "status_year": [2024] * 3,
    ...     "batch": ["首批"] * 3}), today="2025-03-31")
    >>> result = province_share(register, 9, year=2024, batch="首批")
    >>> result.recognized, result.share
    (3, 0.3333333333333333)
    """

    city: str
    """The city."""
    program: str
    """The program."""
    year: int
    """Year of the list [year]."""
    batch: str | None
    """Batch label (verbatim), or ``None`` for every batch of the year."""
    recognized: int
    """Units of the city whose ``nationally_recognized`` event has that year (and batch)."""
    counties: tuple[str, ...]
    """Those units, sorted."""
    province_total: int
    """Units of the province on the list (an input)."""
    share: float | None
    """``recognized / province_total``; ``None`` when the total is 0."""
    status: Literal["ok", "undefined"]
    """``"undefined"`` when the province total is 0."""


def _province_total(
    totals: int | Mapping[int | tuple[int, str], int], year: int, batch: str | None
) -> int:
    if isinstance(totals, Mapping):
        keys: list[int | tuple[int, str]] = [(year, batch)] if batch is not None else []
        keys.append(year)
        for key in keys:
            if key in totals:
                value = totals[key]
                break
        else:
            wanted = " or ".join(repr(key) for key in keys)
            msg = f"province_totals has no entry for {wanted}"
            raise InvalidArgumentError(msg, code="invalid_argument")
    else:
        value = totals
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
        msg = f"a province total must be a whole number >= 0; got {value!r}"
        raise InvalidArgumentError(msg, code="invalid_argument")
    return int(value)


def province_share(
    register: CountyRegister,
    province_totals: int | Mapping[int | tuple[int, str], int],
    *,
    year: int,
    batch: str | None = None,
    city: str | None = None,
    program: str = "quality_balance",
) -> ProvinceShare:
    """Return the city's share of a province list: ``recognized_in(year, batch) / total``.

    Parameters
    ----------
    register : CountyRegister
        The register.
    province_totals : int or mapping
        Units of the province on the list: a number, or a mapping ``(year, batch) → total`` or
        ``year → total`` (the ``(year, batch)`` key is tried first).
    year : int
        Year of the list (``status_year``).
    batch : str, optional
        Batch label, matched verbatim; ``None`` counts every batch of the year.
    city, program
        As in :func:`register_summary`.

    Returns
    -------
    ProvinceShare

    Raises
    ------
    InvalidArgumentError
        A missing or negative total, an unknown program or city.
    InvalidValueError
        With code ``province_total_too_small`` when the city alone has more recognised units
        than the province total.
    """
    register = _check_register(register)
    program = _check_program(program)
    city = _pick_city(register, city)
    total = _province_total(province_totals, year, batch)
    events = _recognitions(register, city, program, None)
    selected = events["status_year"] == year
    if batch is not None:
        selected &= events["batch"] == batch
    counties = tuple(sorted(set(events.loc[selected, "county"].tolist())))
    if len(counties) > total:
        msg = (
            f"city {city} has {len(counties)} units on the {year} list"
            + (f" ({batch})" if batch else "")
            + f", more than the province total {total}"
        )
        raise InvalidValueError(msg, code="province_total_too_small")
    return ProvinceShare(
        city=city,
        program=program,
        year=int(year),
        batch=batch,
        recognized=len(counties),
        counties=counties,
        province_total=total,
        share=len(counties) / total if total else None,
        status="ok" if total else "undefined",
    )


# --------------------------------------------------------------------------------------
# targets and projection


def _check_share(_instance: object, _attribute: object, value: float) -> None:
    if not 0 < value <= 1:
        msg = f"share must be in (0, 1]; got {value!r}"
        raise InvalidArgumentError(msg, code="invalid_argument")


def _check_deadline(instance: CompletionTarget, _attribute: object, value: int | None) -> None:
    if value is not None and value < instance.deadline:
        msg = f"deadline_latest={value} is before deadline={instance.deadline}"
        raise InvalidArgumentError(msg, code="invalid_argument")


@attrs.frozen(kw_only=True)
class CompletionTarget(Record):
    """A city target ``(program, status, share, deadline)``.

    A deadline range (Weifang's "all units recognised within 8–10 years", seed 000) is
    ``deadline`` (earliest end) and ``deadline_latest``; :meth:`within_years` builds it from a
    start year, which is an input: the seed does not date the goal.

    Examples
    --------
    >>> CompletionTarget.within_years(2021, 8, 10)  # doctest: +NORMALIZE_WHITESPACE
    CompletionTarget(program='quality_balance', status='nationally_recognized', share=1.0,
                     deadline=2029, deadline_latest=2031)
    """

    program: str = attrs.field(
        default="quality_balance", validator=lambda _i, _a, v: _check_program(v)
    )
    """Program of the target."""
    status: str = attrs.field(
        default="nationally_recognized", validator=lambda _i, _a, v: _check_status(v)
    )
    """Status every counted unit should reach (at or beyond)."""
    share: float = attrs.field(default=1.0, converter=float, validator=_check_share)
    """Share of the units that should reach it, in (0, 1]; 1 = all units."""
    deadline: int = attrs.field(converter=int)
    """Deadline year (the earliest end of a range) [year]."""
    deadline_latest: int | None = attrs.field(default=None, validator=_check_deadline)
    """Latest end of a deadline range; ``None`` for a single deadline [year]."""

    @classmethod
    def within_years(
        cls,
        start_year: int,
        earliest: int,
        latest: int | None = None,
        *,
        program: str = "quality_balance",
        status: str = "nationally_recognized",
        share: float = 1.0,
    ) -> CompletionTarget:
        """Return the target "within ``earliest``–``latest`` years of ``start_year``"."""
        return cls(
            program=program,
            status=status,
            share=share,
            deadline=start_year + earliest,
            deadline_latest=None if latest is None else start_year + latest,
        )


ProjectionStatus = Literal["reached", "ok", "undefined"]


@attrs.frozen(kw_only=True)
class CompletionProjection(Record):
    """Pace, required pace, projected year and on-track flags of a target.

    A projection from the pace of the last years, not a forecast; :attr:`assumptions` says
    what it assumes.
    """

    method: str
    """``"pace"``: the average yearly gain over the window, carried forward."""
    label: str
    """``"projection, not a forecast"``."""
    city: str
    """The city."""
    target: CompletionTarget
    """The target projected."""
    as_of: int
    """As-of year :math:`Y` [year]."""
    window: int
    """Window :math:`w` of the pace [years]."""
    n_units: int
    """Denominator :math:`N`."""
    target_count: int
    """Units needed: :math:`\\lceil \\text{share} \\cdot N \\rceil`."""
    count: int
    """Units at or beyond the target status at :math:`Y`."""
    count_window_start: int
    """Units at or beyond it at :math:`Y - w`."""
    remaining: int
    """``max(target_count - count, 0)``."""
    pace: float
    """``(count - count_window_start) / w`` [units per year]."""
    years_needed: int | None
    """``ceil(remaining / pace)``, exact; 0 when reached; ``None`` when the pace is <= 0."""
    projected_year: int | None
    """``Y + years_needed``; ``None`` when undefined [year]."""
    on_track: bool | None
    """``projected_year <= deadline`` (the earliest end of a range); ``None`` if undefined."""
    on_track_latest: bool | None
    """The same against ``deadline_latest`` (equal to :attr:`on_track` for one deadline)."""
    required_pace: float | None
    """``remaining / (deadline - Y)``; ``None`` when the deadline is not after :math:`Y`."""
    required_pace_latest: float | None
    """The same for ``deadline_latest``."""
    pipeline: int
    """Units currently between ``applied`` and the target status (the pipeline)."""
    pipeline_probability: float
    """:math:`p` of the one-year look-ahead (1.0 = optimistic)."""
    pipeline_next: float
    """``count + p * pipeline``: an optimistic one-year look-ahead [units]."""
    status: ProjectionStatus
    """``"reached"`` (no unit remaining), ``"ok"`` or ``"undefined"`` (pace <= 0)."""
    assumptions: tuple[str, ...]
    """What the projection assumes, in words."""
    warnings: tuple[Issue, ...] = ()
    """``unit_list_not_declared``, ``zero_pace``."""


def _check_positive_int(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        msg = f"{name} must be a whole number >= 1; got {value!r}"
        raise InvalidArgumentError(msg, code="invalid_argument")
    return int(value)


def _required(remaining: int, deadline: int | None, as_of: int) -> float | None:
    if deadline is None or deadline <= as_of:
        return None
    return remaining / (deadline - as_of)


def project_completion(
    register: CountyRegister,
    target: CompletionTarget,
    *,
    as_of: int | None = None,
    window: int = 3,
    method: str = "pace",
    pipeline_probability: float = 1.0,
    city: str | None = None,
    city_units: Mapping[str, Iterable[str]] | Sequence[str] | None = None,
) -> CompletionProjection:
    r"""Project when a city reaches a target at its current pace.

    Parameters
    ----------
    register : CountyRegister
        The register.
    target : CompletionTarget
        Program, status, share and deadline (or deadline range).
    as_of : int, optional
        As-of year :math:`Y`; default the latest ``status_year`` of the city and program.
    window : int, optional
        Window :math:`w` of the pace in years (default 3).
    method : {"pace"}, optional
        The projection method; only the pace over a window is offered.
    pipeline_probability : float, optional
        :math:`p` in [0, 1] of the look-ahead ``count + p · pipeline``; 1.0 (default) is
        labelled optimistic.
    city, city_units
        As in :func:`register_summary`.

    Returns
    -------
    CompletionProjection

    Raises
    ------
    InvalidArgumentError
        A bad window, method or probability; an unknown city; no year to project from.

    Warns
    -----
    DegenerateDataWarning
        ``zero_pace``: the count did not grow over the window, so no year is projected
        (status ``"undefined"``).

    Notes
    -----
    See the module notes. ``remaining = max(ceil(share · N) - count, 0)``; the pipeline is
    the units whose current status is at or beyond ``applied`` but below the target status
    (for ``nationally_recognized``: ``applied`` or ``provincially_assessed``).

    Examples
    --------
    Eleven units; 1 recognised in 2021, 4 by 2024: the pace over 2021–2024 is (4 − 1) / 3 = 1
    unit a year, so the 7 remaining need 7 years: 2031.

    >>> import pandas as pd
    >>> from eduequity.city import CompletionTarget, project_completion, read_register
    >>> register = read_register(pd.DataFrame({
    ...     "city": ["某市"] * 4, "county": ["A", "B", "C", "D"],
    ...     "status": ["nationally_recognized"] * 4, "status_year": [2021, 2022, 2024, 2024]}),
    ...     today="2025-01-01", city_units=list("ABCDEFGHIJK"))
    >>> result = project_completion(register, CompletionTarget(deadline=2030), as_of=2024)
    >>> result.pace, result.years_needed, result.projected_year, result.on_track
    (1.0, 7, 2031, False)
    >>> round(result.required_pace, 4)  # 7 units in 6 years
    1.1667
    """
    register = _check_register(register)
    given: object = target
    if not isinstance(given, CompletionTarget):
        msg = f"target must be a CompletionTarget; got {type(given).__name__}"
        raise InvalidArgumentError(msg, code="invalid_argument")
    if method != "pace":
        msg = f"method={method!r} is not offered; allowed: 'pace'"
        raise InvalidArgumentError(msg, code="invalid_option")
    window = _check_positive_int(window, "window")
    probability = float(pipeline_probability)
    if not 0 <= probability <= 1:
        msg = f"pipeline_probability must be in [0, 1]; got {pipeline_probability!r}"
        raise InvalidArgumentError(msg, code="invalid_argument")
    city = _pick_city(register, city)
    if as_of is None:
        as_of = _default_as_of(register, city, target.program)
        if as_of is None:
            msg = f"city {city} has no dated event in {target.program}; pass as_of="
            raise InvalidArgumentError(msg, code="invalid_argument")
    now = _units(register, city=city, program=target.program, as_of=as_of, city_units=city_units)
    before = _units(
        register, city=city, program=target.program, as_of=as_of - window, city_units=city_units
    )
    orders = now.table["order"].to_numpy(dtype=np.int64)
    count = _at_least(orders, target.status)
    count_start = _at_least(before.table["order"].to_numpy(dtype=np.int64), target.status)
    n_units = len(now.table)
    target_count = math.ceil(Fraction(str(target.share)) * n_units)
    remaining = max(target_count - count, 0)
    gain = count - count_start
    pace = Fraction(gain, window)
    issues = list(now.issues)
    years_needed: int | None
    if remaining == 0:
        status: ProjectionStatus = "reached"
        years_needed = 0
    elif pace > 0:
        status = "ok"
        years_needed = math.ceil(Fraction(remaining) / pace)
    else:
        status = "undefined"
        years_needed = None
        message = (
            f"city {city}: {count_start} units at or beyond {target.status} in {as_of - window} "
            f"and {count} in {as_of}; at a pace of {float(pace):g} a year the {remaining} "
            "remaining units are never reached, so no year is projected"
        )
        warnings.warn(f"[zero_pace] {message}", DegenerateDataWarning, stacklevel=2)
        issues.append(Issue(code="zero_pace", message=message, severity="warning"))
    projected = None if years_needed is None else as_of + years_needed
    target_order = STATUS_ORDER[target.status]
    in_pipeline = (orders >= STATUS_ORDER["applied"]) & (orders < target_order)
    pipeline = int(np.count_nonzero(in_pipeline))
    latest = target.deadline_latest if target.deadline_latest is not None else target.deadline
    assumptions = (
        (
            f"the average yearly gain of units at or beyond {target.status} over "
            f"{as_of - window}–{as_of} ({gain} units in {window} years) continues unchanged"
        ),
        "no unit is withdrawn and every unit counts once",
        f"the denominator is {n_units} units ({now.denominator})",
        (
            f"look-ahead: {probability:g} of the {pipeline} units in the pipeline are "
            f"recognised next year{' (optimistic)' if probability == 1 else ''}"
        ),
    )
    return CompletionProjection(
        method="pace",
        label="projection, not a forecast",
        city=city,
        target=target,
        as_of=as_of,
        window=window,
        n_units=n_units,
        target_count=target_count,
        count=count,
        count_window_start=count_start,
        remaining=remaining,
        pace=float(pace),
        years_needed=years_needed,
        projected_year=projected,
        on_track=None if projected is None else projected <= target.deadline,
        on_track_latest=None if projected is None else projected <= latest,
        required_pace=_required(remaining, target.deadline, as_of),
        required_pace_latest=_required(remaining, latest, as_of),
        pipeline=pipeline,
        pipeline_probability=probability,
        pipeline_next=count + probability * pipeline,
        status=status,
        assumptions=assumptions,
        warnings=tuple(issues),
    )
