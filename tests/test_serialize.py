"""JSON documents hold ``null`` for every kind of missing value, never the text ``"NaT"``."""

import datetime as dt
import json
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from eduequity._serialize import to_jsonable
from eduequity.city import assess_city
from eduequity.datasets import demo_path


@pytest.mark.parametrize(
    "missing", [None, pd.NaT, pd.NA, float("nan"), np.float32("nan"), Decimal("NaN")]
)
def test_every_missing_value_becomes_null(missing):
    assert to_jsonable({"value": missing}) == {"value": None}
    assert to_jsonable(pd.DataFrame({"value": [missing]})) == [{"value": None}]


def test_dates_and_timestamps_keep_their_iso_text():
    assert to_jsonable(dt.date(2024, 9, 1)) == "2024-09-01"
    assert to_jsonable(pd.Timestamp("2024-09-01")) == "2024-09-01T00:00:00"


def test_a_city_register_without_dates_has_null_dates():
    # demo register rows without a status date, and counties never recognised
    document = json.dumps(assess_city(demo_path("demo_city_register.csv")).to_dict())
    assert "NaT" not in document
    units = json.loads(document)["register"]["units"]
    assert any(unit["status_date"] is None for unit in units)
