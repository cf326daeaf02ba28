"""Hypothesis strategies shared by the test suite."""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

positive_floats = st.floats(min_value=1e-3, max_value=1e6, allow_nan=False, allow_infinity=False)
nonnegative_floats = st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False)
positive_weights = st.floats(min_value=1e-2, max_value=1e4, allow_nan=False, allow_infinity=False)
enrolments = st.integers(min_value=1, max_value=3000)
scale_factors = st.floats(min_value=1e-3, max_value=1e3, allow_nan=False, allow_infinity=False)


@st.composite
def values_and_weights(draw, *, min_size=1, max_size=40, values=positive_floats):
    """Equal-length arrays of per-unit values and positive weights."""
    n = draw(st.integers(min_value=min_size, max_value=max_size))
    x = draw(hnp.arrays(np.float64, n, elements=values))
    w = draw(hnp.arrays(np.float64, n, elements=positive_weights))
    return x, w


@st.composite
def grouped_values(draw, *, max_groups=6, max_size=60, values=positive_floats):
    """Values, integer enrolments and group labels (strings), every group non-empty."""
    n_groups = draw(st.integers(min_value=1, max_value=max_groups))
    n = draw(st.integers(min_value=n_groups, max_value=max(n_groups, max_size)))
    labels = [f"g{i}" for i in range(n_groups)]
    groups = labels + draw(
        st.lists(st.sampled_from(labels), min_size=n - n_groups, max_size=n - n_groups)
    )
    order = draw(st.permutations(range(n)))
    groups = [groups[i] for i in order]
    x = draw(hnp.arrays(np.float64, n, elements=values))
    w = draw(hnp.arrays(np.int64, n, elements=enrolments))
    return x, groups, w


# Threshold attainment (tests/core/test_attainment.py).
# Cells sit on, just beside, or far from a standard or its 85% floor, so that exact decisions at
# the boundary are exercised: some are computed in floats (0.85 * 4.5 = 3.8249999999999997),
# others are the exact decimal typed in (3.825).
_ATTAINMENT_MULTIPLIERS = (0.0, 0.5, 0.8, 0.849999, 0.85, 0.850001, 0.9, 0.999999, 1.0)
_ATTAINMENT_MULTIPLIERS += (1.000001, 1.1, 1 / 0.85, 1.2, 2.0)


@st.composite
def attainment_matrices(draw, *, max_units=12, max_indicators=7, directions=None):
    """(values, standards, directions): an (n_units, n_indicators) float matrix near decimal
    standards (given as text), and one comparator per indicator (drawn unless ``directions``)."""
    from decimal import Decimal  # noqa: PLC0415 - this file's header is shared; append-only

    n_indicators = draw(st.integers(min_value=1, max_value=max_indicators))
    n_units = draw(st.integers(min_value=0, max_value=max_units))
    standards = [
        str(draw(st.decimals(min_value=Decimal("0.05"), max_value=Decimal(5000), places=2)))
        for _ in range(n_indicators)
    ]
    comparators = [
        directions if directions is not None else draw(st.sampled_from([">=", ">", "<=", "<"]))
        for _ in range(n_indicators)
    ]
    cell = st.one_of(
        st.sampled_from(_ATTAINMENT_MULTIPLIERS).map(lambda m: ("float", m)),
        st.sampled_from(["0.85", "1", "0.8499", "1.0001"]).map(lambda m: ("decimal", m)),
    )
    values = np.empty((n_units, n_indicators))
    for row in range(n_units):
        for column in range(n_indicators):
            kind, multiplier = draw(cell)
            standard = standards[column]
            if kind == "float":
                values[row, column] = float(standard) * multiplier
            else:
                values[row, column] = float(Decimal(standard) * Decimal(multiplier))
    return values, standards, comparators


# Input tables (tests/io): decimal numbers as a user types them, at most 15 significant digits
# so that the nearest float's shortest repr is the same decimal.
@st.composite
def decimal_texts(draw, *, max_digits=15, max_places=6, signed=False):
    """(text, Decimal): a decimal literal such as '0012.3400' and its exact value."""
    from decimal import Decimal  # noqa: PLC0415 - this file's header is shared; append-only

    places = draw(st.integers(min_value=0, max_value=max_places))
    digits = draw(st.integers(min_value=max(1, places), max_value=max_digits))
    magnitude = draw(st.integers(min_value=0, max_value=10**digits - 1))
    text = str(magnitude).rjust(digits, "0")
    if places:
        text = f"{text[:-places] or '0'}.{text[-places:]}"
    if signed and draw(st.booleans()):
        text = "-" + text
    return text, Decimal(text)


# Creation checklist (tests/checklist): status records as JSON-like dicts (data-schema.md §4).
_CHECKLIST_STATUSES = ("not_started", "in_progress", "completed", "verified")


@st.composite
def checklist_record_lists(draw, *, max_counties=4, max_entries=14, max_history=3):
    """Valid checklist records: 1..max_counties counties, each with some catalogue entries
    (code or id as typed), each with 1..max_history records on distinct dates (a single
    record may be undated); ``selected`` is drawn only for checklist items. Warnings
    (regressions, unselected but done) may occur; errors never do."""
    import datetime as dt  # noqa: PLC0415 - this file's header is shared; append-only

    from eduequity.checklist import CREATION_CHECKLIST_2021  # noqa: PLC0415 - same reason

    entries = CREATION_CHECKLIST_2021.items
    n_counties = draw(st.integers(min_value=1, max_value=max_counties))
    records = []
    for number in range(n_counties):
        county = f"县{number}"
        chosen = draw(
            st.lists(
                st.sampled_from(entries), min_size=1, max_size=max_entries, unique_by=lambda e: e.id
            )
        )
        for entry in chosen:
            n = draw(st.integers(min_value=1, max_value=max_history))
            days = draw(
                st.lists(
                    st.integers(min_value=0, max_value=900), min_size=n, max_size=n, unique=True
                )
            )
            for day in days:
                record = {
                    "county": county,
                    "item_id": draw(st.sampled_from([entry.code, entry.id])),
                    "status": draw(st.sampled_from(_CHECKLIST_STATUSES)),
                    "evidence": "材料",
                }
                if n > 1 or draw(st.booleans()):
                    record["updated_at"] = (
                        dt.date(2020, 1, 1) + dt.timedelta(days=day)
                    ).isoformat()
                if entry.deselectable:
                    selected = draw(st.sampled_from([None, True, False]))
                    if selected is not None:
                        record["selected"] = selected
                records.append(record)
    return records


# City figures (tests/city/test_resources.py): small valid school tables of several counties,
# primary and junior schools only, every teacher count >= 1 (so every mean is positive), some
# units without a location.
_CITY_LOCATIONS = ("urban", "town", "rural", None)


@st.composite
def city_school_tables(draw, *, max_counties=4, max_schools=24):
    """A valid school table (``data-schema.md`` §1) of 1-``max_counties`` counties."""
    import pandas as pd  # noqa: PLC0415 - only this strategy needs pandas

    n_counties = draw(st.integers(min_value=1, max_value=max_counties))
    n = draw(st.integers(min_value=max(2, n_counties), max_value=max_schools))
    counties = [f"县{i}" for i in range(n_counties)]
    county_of = counties + draw(
        st.lists(st.sampled_from(counties), min_size=n - n_counties, max_size=n - n_counties)
    )
    rows = []
    for i in range(n):
        stage = draw(st.sampled_from(("primary", "junior")))
        other = "junior" if stage == "primary" else "primary"
        students = draw(st.integers(min_value=50, max_value=2500))
        full_time = draw(st.integers(min_value=4, max_value=200))
        qualified = draw(st.integers(min_value=1, max_value=full_time))
        row = {
            "school_id": f"S{i:04d}",
            "school_name": f"学校{i}",
            "county": county_of[i],
            "school_type": stage,
            "location": draw(st.sampled_from(_CITY_LOCATIONS)),
            f"students_{stage}": students,
            f"students_{other}": 0,
            f"full_time_teachers_{stage}": full_time,
            f"full_time_teachers_{other}": 0,
            f"qualified_teachers_{stage}": qualified,
            f"qualified_teachers_{other}": 0,
            f"bachelor_plus_teachers_{stage}": (
                draw(st.integers(min_value=0, max_value=qualified))
                if stage == "primary"
                else qualified
            ),
            f"bachelor_plus_teachers_{other}": 0,
            f"backbone_teachers_{stage}": draw(st.integers(min_value=1, max_value=full_time)),
            f"backbone_teachers_{other}": 0,
            f"pe_arts_teachers_{stage}": draw(st.integers(min_value=1, max_value=full_time)),
            f"pe_arts_teachers_{other}": 0,
            "teaching_aux_area_m2": students * draw(st.integers(min_value=30, max_value=100)) / 10,
            "indoor_sports_area_m2": students * draw(st.integers(min_value=0, max_value=5)) / 10,
            "sports_ground_area_m2": students * draw(st.integers(min_value=10, max_value=300)) / 10,
            "equipment_value_yuan": students * draw(st.integers(min_value=500, max_value=8000)),
            "multimedia_classrooms": draw(st.integers(min_value=1, max_value=60)),
        }
        rows.append(row)
    return pd.DataFrame(rows)


# Numerical edges (tests/core/test_scaling.py): scale factors over the whole float range, and
# weights written as counts, as shares or rescaled. Values of positive_floats (1e-3 .. 1e6) times
# these factors stay normal floats.
extreme_scales = st.builds(
    lambda mantissa, exponent: mantissa * 10.0**exponent,
    st.floats(min_value=1.0, max_value=9.99),
    st.integers(min_value=-300, max_value=299),
)
binary_exponents = st.integers(min_value=-1010, max_value=1000)


@st.composite
def values_and_counts(draw, *, min_size=2, max_size=25, max_count=6):
    """Values and small integer counts: cumulative shares often fall exactly on 1/2, 1/4, ..."""
    n = draw(st.integers(min_value=min_size, max_value=max_size))
    x = draw(hnp.arrays(np.float64, n, elements=positive_floats))
    # A few repeated values, so that ties at the median also concern values.
    if draw(st.booleans()):
        x[: n // 3] = x[n // 3]
    counts = draw(hnp.arrays(np.int64, n, elements=st.integers(min_value=1, max_value=max_count)))
    return x, counts
