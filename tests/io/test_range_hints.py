"""The "looks like a percentage" hint belongs to rate columns only (data-schema.md §0.2)."""

import pandas as pd
import pytest

from eduequity.errors import InputError
from eduequity.io import read_survey


def _survey(**column):
    base = {
        "county": ["甲县"],
        "respondent_group": ["student"],
        "answer": ["满意"],
        "respondent_id": ["R1"],
    }
    return pd.DataFrame({**base, **column})


def test_a_grade_out_of_range_gets_no_percentage_hint():
    with pytest.raises(InputError) as caught:
        read_survey(_survey(grade=[12]))
    message = str(caught.value)
    assert "grade_out_of_range" in message
    assert "percentage" not in message
