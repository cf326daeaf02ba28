"""The JSON document of a county assessment: the contract for services (issue 4)."""

import json
import math

import attrs
import numpy as np
import pytest

from eduequity.errors import InvalidTypeError
from eduequity.national import RULES_2017
from eduequity.report import COUNTY_JSON_KEYS, county_json, render_county

TOP_LEVEL = {
    "passed",
    "status",
    "county",
    "year",
    "resources",
    "guarantee",
    "quality",
    "recognition",
    "preconditions",
    "vetoes",
    "failures",
    "excluded",
    "warnings",
    "rules",
    "eduequity_version",
}
FAILURE_KEYS = {
    "part",
    "item_id",
    "code",
    "school_id",
    "stage",
    "value",
    "limit",
    "comparator",
    "source",
    "message",
}
INDICATOR_IDS = [
    "qualified_teachers_per_100",
    "backbone_teachers_per_100",
    "pe_arts_teachers_per_100",
    "teaching_area_per_student",
    "sports_area_per_student",
    "equipment_value_per_student",
    "multimedia_rooms_per_100",
]


def walk(value):
    yield value
    if isinstance(value, dict):
        for item in value.values():
            yield from walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from walk(item)


@pytest.fixture(scope="module")
def document(demo):
    return county_json(demo)


def test_exact_top_level_keys(document):
    assert set(document) == TOP_LEVEL
    assert set(COUNTY_JSON_KEYS) == TOP_LEVEL


def test_round_trip_without_nan(document, demo):
    text = json.dumps(document, ensure_ascii=False, allow_nan=False)
    assert "示范县" in text
    assert json.loads(text) == document
    assert not any(isinstance(v, float) and not math.isfinite(v) for v in walk(document))
    assert json.loads(render_county(demo, "json")) == document


def test_verdict_and_identity(document):
    assert document["passed"] is False
    assert document["status"] == "fail"
    assert document["county"] == "示范县 (Demo County)"
    assert document["year"] == 2024
    assert document["rules"] == {
        "edition": "2017",
        "overlay": None,
        "id": "cn_moe_2017_quality_balance",
        "version": RULES_2017.version,
        "overlays": [],
        "content_hash": RULES_2017.content_hash,
    }
    assert isinstance(document["eduequity_version"], str)


def test_resources_shape(document):
    resources = document["resources"]
    assert {"passed", "status", "cv", "schools", "indicators", "remediation"} <= set(resources)
    assert resources["passed"] is False
    assert resources["status"] == "fail"
    cv = resources["cv"]
    assert list(cv) == ["primary", "junior"]
    for stage in cv.values():
        assert list(stage) == INDICATOR_IDS
        assert all(isinstance(value, float) for value in stage.values())
    # README §1.2: primary sports area 0.5874, junior multimedia 0.0953.
    assert cv["primary"]["sports_area_per_student"] == pytest.approx(0.5874, abs=5e-5)
    assert cv["junior"]["multimedia_rooms_per_100"] == pytest.approx(0.0953, abs=5e-5)
    assert isinstance(resources["schools"], list)
    assert len(resources["schools"]) == 23 + 15  # README §1.1: 23 primary and 15 junior units
    assert {"school_id", "unit_id", "stage", "students", "met_count", "passed"} <= set(
        resources["schools"][0]
    )


def test_failure_records(document):
    failures = document["failures"]
    assert all(set(record) >= FAILURE_KEYS for record in failures)
    found = {(r["part"], r["code"], r["school_id"], r["item_id"]) for r in failures}
    # README §1.2 intended findings.
    assert ("resource_allocation", "cv", None, "sports_area_per_student") in found
    assert (
        "resource_allocation",
        "school_rule",
        "0990010002",
        "sports_area_per_student",
    ) in found
    assert ("government_guarantee", "G4", "0990010101", "school_size") in found
    assert ("government_guarantee", "G5", "0990010202", "class_size") in found
    assert ("government_guarantee", "G11", None, "teacher_rotation") in found
    assert ("education_quality", "Q9", None, "academic_monitoring") in found
    assert len(failures) == 9


def test_excluded_records(document):
    excluded = {record["school_id"]: record for record in document["excluded"]}
    assert set(excluded) == {"0990010501", "0990010502", "0990010503", "0990010504", "0990010701"}
    assert all(record["reason"] for record in excluded.values())


def test_nan_becomes_null(demo):
    cv = demo.resources.cv.copy()
    cv.iloc[0, 0] = np.nan
    damaged = attrs.evolve(demo, resources=attrs.evolve(demo.resources, cv=cv))
    document = county_json(damaged)
    assert document["resources"]["cv"]["primary"][INDICATOR_IDS[0]] is None
    json.dumps(document, allow_nan=False)


def test_wrong_type():
    with pytest.raises(InvalidTypeError, match="CountyAssessment"):
        county_json({"county": "x"})
