"""Wealth neutrality across a city's counties (equity-measures.md §9, city-aggregation.md §10)."""

import json
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eduequity.city import WEALTH_COLUMNS, assess_city, wealth_neutrality
from eduequity.datasets import demo_path
from eduequity.errors import (
    DegenerateDataWarning,
    InvalidArgumentError,
    InvalidTypeError,
    InvalidValueError,
)
from eduequity.report import render_city

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _weighted_reference(x, z, w):
    """The §9 formulas written out with plain numpy (two-pass weighted moments)."""
    x, z, w = (np.asarray(values, dtype=float) for values in (x, z, w))
    p = w / w.sum()
    dx, dz = x - p @ x, z - p @ z
    correlation = (p @ (dx * dz)) / math.sqrt((p @ (dx * dx)) * (p @ (dz * dz)))
    lx, lz = np.log(x), np.log(z)
    ldz = lz - p @ lz
    elasticity = (p @ ((lx - p @ lx) * ldz)) / (p @ (ldz * ldz))
    return correlation, elasticity


def test_power_law_gives_its_exponent_and_the_benchmarks_are_applied():
    # x = 3 z^0.08: the elasticity is exactly the exponent, under the 0.10 benchmark [S].
    wealth = {"甲县": 2000.0, "乙县": 5000.0, "丙县": 12000.0, "丁县": 30000.0}
    spending = {county: 3 * value**0.08 for county, value in wealth.items()}
    pupils = {"甲县": 40000, "乙县": 25000, "丙县": 18000, "丁县": 9000}
    result = wealth_neutrality(spending, wealth, pupils)
    assert result.elasticity.value == pytest.approx(0.08, rel=1e-12)
    assert result.elasticity_meets_benchmark is True
    # a monotone power law correlates strongly: r > 0.5 fails the correlation benchmark
    assert result.correlation.value > 0.9
    assert result.correlation_meets_benchmark is False
    assert result.counties["county"].tolist() == ["丁县", "丙县", "乙县", "甲县"]
    assert result.counties["pupil_share"].sum() == pytest.approx(1.0, rel=1e-15)
    assert list(result.counties.columns) == list(WEALTH_COLUMNS)


def test_matches_the_formulas_written_out():
    x = {"a": 9800.0, "b": 11200.0, "c": 10400.0, "d": 15100.0}
    z = {"a": 3100.0, "b": 5200.0, "c": 2900.0, "d": 8800.0}
    w = {"a": 52000, "b": 31000, "c": 44000, "d": 12000}
    result = wealth_neutrality(x, z, w)
    correlation, elasticity = _weighted_reference(
        [x[k] for k in "abcd"], [z[k] for k in "abcd"], [w[k] for k in "abcd"]
    )
    assert result.correlation.value == pytest.approx(correlation, rel=1e-12)
    assert result.elasticity.value == pytest.approx(elasticity, rel=1e-12)


def test_table_is_tidy_and_json_safe():
    result = wealth_neutrality({"a": 1.0, "b": 2.0}, {"a": 1.0, "b": 3.0})
    table = result.table
    assert table["measure"].tolist() == ["wealth_correlation", "wealth_elasticity"]
    assert table["benchmark"].tolist() == [0.5, 0.10]
    assert table["n_counties"].tolist() == [2, 2]
    data = json.loads(json.dumps(result.to_dict()))
    assert data["table"][0]["measure"] == "wealth_correlation"
    assert data["counties"][1]["county"] == "b"


def test_one_county_is_undefined_not_a_number():
    with pytest.warns(DegenerateDataWarning):
        result = wealth_neutrality({"a": 10.0}, {"a": 5.0}, {"a": 100})
    assert result.correlation.status == "undefined"
    assert result.correlation.value is None
    assert result.elasticity.status == "undefined"
    assert result.correlation_meets_benchmark is None
    assert "zero_variance" in [issue.code for issue in result.warnings]


def test_empty_inputs_are_an_error():
    with pytest.raises(InvalidValueError, match="no county") as caught:
        wealth_neutrality({}, {})
    assert caught.value.code == "no_rows"


def test_zero_capacity_names_the_county_and_the_input():
    with pytest.raises(InvalidValueError, match=r"county_wealth\['乙县'\] = 0") as caught:
        wealth_neutrality({"甲县": 1.0, "乙县": 2.0}, {"甲县": 3.0, "乙县": 0.0})
    assert caught.value.code == "nonpositive_value"
    with pytest.raises(InvalidValueError, match=r"county_values\['甲县'\] = -1"):
        wealth_neutrality({"甲县": -1.0, "乙县": 2.0}, {"甲县": 3.0, "乙县": 4.0})
    with pytest.raises(InvalidValueError, match=r"pupils\['乙县'\] = -5"):
        wealth_neutrality({"甲县": 1, "乙县": 2}, {"甲县": 3, "乙县": 4}, {"甲县": 1, "乙县": -5})


def test_a_missing_county_is_an_error_or_left_out_and_listed():
    values = {"甲县": 1.0, "乙县": 2.0, "丙县": 4.0}
    wealth = {"甲县": 3.0, "乙县": 4.0}
    with pytest.raises(InvalidValueError, match="county '丙县' has no value in county_wealth"):
        wealth_neutrality(values, wealth)
    result = wealth_neutrality(values, wealth, nan_policy="omit")
    assert result.excluded == ("丙县",)
    assert result.correlation.n == 2
    assert result.warnings[0].code == "county_excluded"


def test_bad_arguments():
    with pytest.raises(InvalidValueError, match=r"county_values\['a'\] = 'x' is not a number"):
        wealth_neutrality({"a": "x"}, {"a": 1.0})
    with pytest.raises(InvalidTypeError, match="county_values must be a pandas Series"):
        wealth_neutrality([1.0, 2.0], {"a": 1.0})
    with pytest.raises(InvalidArgumentError, match="nan_policy='drop'"):
        wealth_neutrality({"a": 1.0}, {"a": 1.0}, nan_policy="drop")
    with pytest.raises(InvalidValueError, match="county a appears twice"):
        wealth_neutrality(pd.Series([1.0, 2.0], index=["a", "a"]), {"a": 1.0})


counties = st.lists(
    st.tuples(
        st.floats(min_value=1e2, max_value=1e5),
        st.floats(min_value=1e2, max_value=1e5),
        st.integers(min_value=1, max_value=100_000),
    ),
    min_size=3,
    max_size=12,
)


@SETTINGS
@given(counties, st.randoms(use_true_random=False), st.sampled_from([0.5, 2.0, 1000.0]))
def test_permutation_and_scale_invariance(rows, random, factor):
    names = [f"县{i:02d}" for i in range(len(rows))]
    x = dict(zip(names, (row[0] for row in rows), strict=True))
    z = dict(zip(names, (row[1] for row in rows), strict=True))
    w = dict(zip(names, (row[2] for row in rows), strict=True))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateDataWarning)
        base = wealth_neutrality(x, z, w)
        shuffled = names[:]
        random.shuffle(shuffled)
        permuted = wealth_neutrality(
            {k: x[k] for k in shuffled}, {k: z[k] for k in shuffled}, {k: w[k] for k in shuffled}
        )
        scaled = wealth_neutrality(
            {k: v * factor for k, v in x.items()},
            {k: v * factor for k, v in z.items()},
            {k: v * 3 for k, v in w.items()},
        )
    assert permuted.correlation.value == base.correlation.value
    assert permuted.elasticity.value == base.elasticity.value
    if base.correlation.value is not None:
        assert scaled.correlation.value == pytest.approx(base.correlation.value, abs=1e-9)
        assert -1.0 <= base.correlation.value <= 1.0
    if base.elasticity.value is not None:
        assert scaled.elasticity.value == pytest.approx(base.elasticity.value, abs=1e-9)


def test_city_assessment_takes_spending_and_capacity_from_the_finance_series():
    # per pupil: spending = expenditure / students, capacity = recurring revenue / students
    funding = pd.DataFrame(
        {
            "county": ["甲县", "甲县", "乙县", "乙县", "丙县", "丙县"],
            "year": [2023, 2024] * 3,
            "education_expenditure_yuan": [1.0e9, 1.1e9, 2.0e9, 2.1e9, 0.5e9, 0.6e9],
            "students": [1.0e5, 1.0e5, 1.5e5, 1.5e5, 0.8e5, 0.8e5],
            "recurring_revenue_yuan": [3.0e9, 3.2e9, 8.0e9, 8.5e9, 1.0e9, 1.1e9],
        }
    )
    result = assess_city(demo_path("demo_city_register.csv"), funding=funding, today="2025-06-30")
    wealth = result.wealth
    assert wealth.year == 2024
    direct = wealth_neutrality(
        {"甲县": 1.1e9 / 1e5, "乙县": 2.1e9 / 1.5e5, "丙县": 0.6e9 / 0.8e5},
        {"甲县": 3.2e9 / 1e5, "乙县": 8.5e9 / 1.5e5, "丙县": 1.1e9 / 0.8e5},
        {"甲县": 1e5, "乙县": 1.5e5, "丙县": 0.8e5},
    )
    assert wealth.elasticity.value == pytest.approx(direct.elasticity.value, rel=1e-12)
    text = render_city(result)
    assert "财政中性 Wealth neutrality across counties, 2024" in text
    assert json.loads(json.dumps(result.to_dict()))["wealth"]["year"] == 2024
    # without the revenue column there is no wealth section
    plain = assess_city(
        demo_path("demo_city_register.csv"),
        funding=funding.drop(columns="recurring_revenue_yuan"),
        today="2025-06-30",
    )
    assert plain.wealth is None
    assert "财政中性" not in render_city(plain)


def test_a_zero_revenue_in_the_finance_series_is_reported_not_computed():
    funding = pd.DataFrame(
        {
            "county": ["甲县", "乙县"],
            "year": [2024, 2024],
            "education_expenditure_yuan": [1.0e9, 2.0e9],
            "students": [1.0e5, 1.5e5],
            "recurring_revenue_yuan": [0.0, 8.0e9],
        }
    )
    result = assess_city(demo_path("demo_city_register.csv"), funding=funding, today="2025-06-30")
    assert result.wealth is None
    found = [issue for issue in result.warnings if issue.code == "nonpositive_value"]
    assert len(found) == 1
    assert found[0].key == "county=甲县"
    assert found[0].row == 0  # a data frame's rows are named by their index label
    assert found[0].column == "recurring_revenue_yuan"
