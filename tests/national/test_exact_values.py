"""The quick exact values of near-threshold cells agree with the careful ones, cell by cell."""

from __future__ import annotations

import numpy as np
import pytest

from eduequity.datasets import generate_schools
from eduequity.national import RULES_2012, RULES_2017, read_schools
from eduequity.national.indicators import (
    _indicator_ids,
    exact_value,
    exact_values,
    indicator_values,
)
from eduequity.national.units import prepare_units


@pytest.mark.parametrize("rules", [RULES_2017, RULES_2012], ids=lambda rules: rules.id)
def test_exact_values_equal_exact_value(rules):
    # mixed schools (split sections), sites merged into parents and whole and decimal amounts
    schools = generate_schools(n_counties=6, n_schools=600, seed=11)
    prepared = prepare_units(read_schools(schools, rules=rules), rules)
    assert prepared.merged_into.any()
    assert (prepared.units["share"] < 1).any()
    _, amounts = indicator_values(prepared, rules)
    units = np.arange(len(prepared.units))
    for k, indicator in enumerate(_indicator_ids(rules)):
        quick = exact_values(prepared, rules, units, indicator, amounts[units, k])
        careful = [exact_value(prepared, rules, int(unit), indicator) for unit in units]
        assert quick == careful, indicator
