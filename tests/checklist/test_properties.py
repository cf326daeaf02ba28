"""Invariants of the checklist evaluation (Hypothesis).

- every rate lies in [0, 1] (or is None when nothing is selected) and equals an independent
  brute-force recomputation of creation-checklist.md §6.4 in exact fractions;
- permuting the records leaves the evaluation unchanged;
- marking one more selected item done never lowers a rate;
- records round-trip exactly through JSON and CSV.
"""

import math
import tempfile
from fractions import Fraction
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.strategies import checklist_record_lists

from eduequity.checklist import (
    CREATION_CHECKLIST_2021,
    ChecklistRecords,
    evaluate_checklist,
    read_checklist_records,
)

TODAY = "2031-01-01"
WEIGHTS = st.sampled_from([0.0, 0.25, 0.5, 1.0])
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def evaluate(records, weight):
    return evaluate_checklist(
        read_checklist_records(records, today=TODAY), in_progress_weight=weight
    )


def latest_states(records):
    """(county, item id) -> (status, selected): latest by date, selection carried forward."""
    pairs = {}
    for row in records:
        key = (row["county"], CREATION_CHECKLIST_2021.item(row["item_id"]).id)
        pairs.setdefault(key, []).append(row)
    states = {}
    for key, rows in pairs.items():
        ordered = sorted(rows, key=lambda row: row.get("updated_at") or "")
        given_flags = [row["selected"] for row in ordered if row.get("selected") is not None]
        states[key] = (ordered[-1]["status"], given_flags[-1] if given_flags else True)
    return states


def brute_force(records, weight):
    """county -> {"all": ..., "all_20": ..., "verified": ..., area id: ...} as Fractions."""
    states = latest_states(records)
    w = Fraction(weight)
    value = {"completed": Fraction(1), "verified": Fraction(1), "in_progress": w}
    result = {}
    for county in {row["county"] for row in records}:
        done_by_area = {area.id: [Fraction(0), 0] for area in CREATION_CHECKLIST_2021.areas}
        verified = 0
        for item in CREATION_CHECKLIST_2021.tough_items:
            status, selected = states.get((county, item.id), (None, True))
            if not selected:
                continue
            done_by_area[item.area][0] += value.get(status, Fraction(0))
            done_by_area[item.area][1] += 1
            verified += status == "verified"
        done = sum(entry[0] for entry in done_by_area.values())
        selected = sum(entry[1] for entry in done_by_area.values())
        rates = {
            area: (entry[0] / entry[1] if entry[1] else None)
            for area, entry in done_by_area.items()
        }
        rates["all"] = done / selected if selected else None
        rates["all_20"] = done / 20
        rates["verified"] = Fraction(verified, selected) if selected else None
        result[county] = rates
    return result


def _value(number):
    return None if math.isnan(number) else float(number)


def observed(evaluation):
    """county -> the same keys as brute_force, from the evaluation's frames (float or None)."""
    result = {name: {} for name in evaluation.counties}
    for row in evaluation.areas_frame().itertuples():
        result[row.county][row.area] = _value(row.rate)
    for row in evaluation.summary_frame().itertuples():
        result[row.county]["all"] = _value(row.rate_all)
        result[row.county]["all_20"] = _value(row.rate_all_20)
        result[row.county]["verified"] = _value(row.verified_rate)
    return result


@SETTINGS
@given(records=checklist_record_lists(), weight=WEIGHTS)
def test_rates_lie_in_unit_interval_and_match_brute_force(records, weight):
    got = observed(evaluate(records, weight))
    expected = brute_force(records, weight)
    assert set(got) == set(expected)
    for county, rates in got.items():
        for key, value in rates.items():
            want = expected[county][key]
            if want is None:
                assert value is None, (county, key)
            else:
                # done is a multiple of 1/4 and the counts are small: the float quotient is
                # the correctly rounded exact fraction
                assert value == float(want), (county, key)
                assert 0.0 <= value <= 1.0


@SETTINGS
@given(records=checklist_record_lists(), weight=WEIGHTS, data=st.data())
def test_permuting_records_leaves_the_evaluation_unchanged(records, weight, data):
    shuffled = data.draw(st.permutations(records))
    first = evaluate(records, weight)
    second = evaluate(shuffled, weight)
    one, two = first.to_dict(), second.to_dict()
    # the warnings name rows, which move with the permutation; their codes do not
    assert sorted(issue["code"] for issue in one.pop("issues")) == sorted(
        issue["code"] for issue in two.pop("issues")
    )
    assert one == two


def _not_lower(before, after):
    if before is None:
        return after is None
    return after is not None and after >= before


@SETTINGS
@given(records=checklist_record_lists(), weight=WEIGHTS, data=st.data())
def test_marking_one_more_item_done_never_lowers_a_rate(records, weight, data):
    states = latest_states(records)
    counties = sorted({row["county"] for row in records})
    county = data.draw(st.sampled_from(counties))
    candidates = [
        item
        for item in CREATION_CHECKLIST_2021.tough_items
        if states.get((county, item.id), (None, True))[0] not in {"completed", "verified"}
    ]
    if not candidates:
        return
    item = data.draw(st.sampled_from(candidates))
    _, selected = states.get((county, item.id), (None, True))
    later = {
        "county": county,
        "item_id": item.code,
        "status": "completed",
        "selected": selected,
        "evidence": "验收材料",
        "updated_at": "2030-06-30",
    }
    # a lone undated record gets a date, so that the pair can take a second record
    records = [
        {**row, "updated_at": row.get("updated_at") or "2019-12-31"}
        if row["county"] == county and CREATION_CHECKLIST_2021.item(row["item_id"]).id == item.id
        else row
        for row in records
    ]
    before = observed(evaluate(records, weight))[county]
    after = observed(evaluate([*records, later], weight))[county]
    for key, value in before.items():
        assert _not_lower(value, after[key]), (key, value, after[key])
    if selected:
        assert after["all_20"] > before["all_20"] or weight == 1.0


@SETTINGS
@given(records=checklist_record_lists(max_counties=2))
def test_records_round_trip_through_json_and_csv(records):
    original = read_checklist_records(records, today=TODAY)
    assert ChecklistRecords.from_json(original.to_json(), today=TODAY) == original
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "records.csv"
        original.to_csv(path, labels=True)
        assert read_checklist_records(path, today=TODAY) == original
