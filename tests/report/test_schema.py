"""The JSON Schemas of the service documents: every JSON output validates against its schema.

The documents come from the library (``to_dict()``, ``county_json``, the ``render_*`` JSON) and
from the command line's ``--format json``, for the demo data (``datasets/data/README.md``) and a
few variants (2012 method, an overlay, missing inputs, a plan, a weighted checklist).
"""

import copy
import json

import jsonschema
import pandas as pd
import pytest

from eduequity._vocabulary import vocabulary
from eduequity.checklist import evaluate_checklist, read_checklist_records
from eduequity.city import CompletionTarget, assess_city
from eduequity.cli import main
from eduequity.datasets import demo_path
from eduequity.errors import InvalidArgumentError
from eduequity.national import RULES_2012, RULES_2017, assess_counties, plan_remediation
from eduequity.national._outcomes import STATUSES
from eduequity.report import (
    SCHEMA_KINDS,
    county_json,
    json_schema,
    render_checklist,
    render_city,
    render_counties,
    render_county,
)

TODAY = "2025-06-30"
REGISTER = str(demo_path("demo_city_register.csv"))
CITY_SCHOOLS = str(demo_path("demo_city_schools.csv"))
CHECKLIST = str(demo_path("demo_city_checklist.csv"))


def _demo(name):
    return str(demo_path(f"demo_county_{name}.csv"))


def _validate(kind, document):
    """Validate and return the list of errors (empty when valid); draft 2020-12 throughout."""
    validator = jsonschema.Draft202012Validator(json_schema(kind))
    return [f"{error.json_path}: {error.message}" for error in validator.iter_errors(document)]


def _cli_json(capsys, *argv):
    assert main([*argv, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("kind", SCHEMA_KINDS)
def test_each_schema_is_a_valid_draft_2020_12_schema(kind):
    schema = json_schema(kind)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["type"] == "object"
    assert schema["required"]


def test_json_schema_returns_a_fresh_copy_and_names_the_kinds():
    schema = json_schema("county")
    schema["title"] = "changed"
    assert json_schema("county")["title"] != "changed"
    with pytest.raises(InvalidArgumentError, match="'county', 'counties', 'city', 'checklist'"):
        json_schema("report")


def test_the_schema_command_prints_the_schema(capsys):
    for kind in SCHEMA_KINDS:
        assert main(["schema", kind]) == 0
        assert json.loads(capsys.readouterr().out) == json_schema(kind)


# --------------------------------------------------------------------------- county


def test_county_documents_of_the_library_validate(demo, demo_2012, demo_without_facts):
    for assessment in (demo, demo_2012, demo_without_facts):
        assert _validate("county", county_json(assessment)) == []
        assert _validate("county", json.loads(render_county(assessment, "json"))) == []
        assert _validate("county", json.loads(json.dumps(assessment.to_dict()))) == []


def test_county_document_with_a_plan_validates(demo):
    plan = plan_remediation(pd.read_csv(_demo("schools"), dtype=str))
    document = json.loads(render_county(demo, "json", plan=plan))
    assert "plan" in document
    assert _validate("county", document) == []


def test_county_documents_of_the_command_line_validate(capsys):
    documents = [
        _cli_json(capsys, "demo"),
        _cli_json(capsys, "assess", _demo("schools")),
        _cli_json(capsys, "assess", _demo("schools"), "--facts", _demo("facts"), "--rules", "2012"),
        _cli_json(
            capsys, "assess", _demo("schools"), "--survey", _demo("survey"), "--overlay", "shenyang"
        ),
    ]
    for document in documents:
        assert _validate("county", document) == []


def test_county_schema_is_tight(demo):
    document = county_json(demo)
    assert _validate("county", document) == []
    # Top level: services may meet keys added in a later minor release.
    assert _validate("county", {**document, "added_later": 1}) == []
    # Fixed shapes: an unknown key, a missing key or an unknown status is refused.
    failure = copy.deepcopy(document)
    failure["failures"][0]["extra"] = 1
    assert any("extra" in error for error in _validate("county", failure))
    missing = copy.deepcopy(document)
    del missing["guarantee"]["items"][0]["status"]
    assert _validate("county", missing)
    status = copy.deepcopy(document)
    status["guarantee"]["status"] = "passed"
    assert _validate("county", status)
    verdict = copy.deepcopy(document)
    verdict["status"] = "not_applicable"  # a county verdict is pass, fail or incomplete
    assert _validate("county", verdict)
    nan = copy.deepcopy(document)
    nan["resources"]["indicators"][0]["cv"] = "NaN"
    assert _validate("county", nan)


def test_county_status_enumeration_is_the_vocabulary_of_statuses():
    schema = json_schema("county")
    assert schema["$defs"]["status"]["enum"] == list(STATUSES)


# --------------------------------------------------------------------------- counties


@pytest.mark.parametrize("rules", [RULES_2017, RULES_2012], ids=["2017", "2012"])
def test_counties_documents_validate(capsys, rules):
    frame = assess_counties(CITY_SCHOOLS, rules)
    assert _validate("counties", json.loads(render_counties(frame, "json"))) == []
    edition = "2017" if rules is RULES_2017 else "2012"
    document = _cli_json(capsys, "counties", CITY_SCHOOLS, "--rules", edition)
    assert _validate("counties", document) == []
    document["counties"][0]["unknown_column"] = 1
    assert _validate("counties", document)


# --------------------------------------------------------------------------- city


def _funding():
    return pd.DataFrame(
        {
            "county": ["示范市"] * 3,
            "year": [2022, 2023, 2024],
            "education_expenditure_yuan": [1.0e9, 1.1e9, 1.05e9],
        }
    )


def test_city_documents_of_the_library_validate():
    assessments = [
        assess_city(REGISTER, today=TODAY),
        assess_city(REGISTER, CITY_SCHOOLS, target_year=2030, today=TODAY),
        assess_city(
            REGISTER,
            funding=_funding(),
            target=CompletionTarget(status="provincially_assessed", deadline=2027),
            today=TODAY,
        ),
    ]
    for assessment in assessments:
        assert _validate("city", json.loads(render_city(assessment, "json"))) == []
        assert _validate("city", json.loads(json.dumps(assessment.to_dict()))) == []


def test_city_documents_of_the_command_line_validate(capsys):
    for extra in ([], ["--schools", CITY_SCHOOLS, "--rules", "2012"]):
        assert _validate("city", _cli_json(capsys, "city", REGISTER, *extra)) == []


def test_city_register_statuses_are_the_vocabulary():
    schema = json_schema("city")
    units = schema["properties"]["register"]["properties"]["units"]["items"]
    assert units["properties"]["status"]["enum"] == [
        term.code for term in vocabulary("register_statuses").terms
    ]


# --------------------------------------------------------------------------- checklist


def test_checklist_documents_validate(capsys):
    records = read_checklist_records(CHECKLIST)
    evaluations = [
        evaluate_checklist(records),
        evaluate_checklist(
            records,
            in_progress_weight=0.5,
            reference_year=2025,
            basic_balance_years={
                "示范县 (Demo County)": 2014,
                "示范东区 (Demo East District)": 2020,
            },
        ),
    ]
    for evaluation in evaluations:
        assert _validate("checklist", json.loads(render_checklist(evaluation, "json"))) == []
        assert _validate("checklist", json.loads(json.dumps(evaluation.to_dict()))) == []
    assert _validate("checklist", _cli_json(capsys, "checklist", CHECKLIST)) == []
    document = _cli_json(capsys, "checklist", CHECKLIST, "--register", REGISTER)
    assert _validate("checklist", document) == []
    document["items"][0]["status"] = "done"
    assert _validate("checklist", document)


def test_checklist_statuses_are_the_vocabulary():
    schema = json_schema("checklist")
    item = schema["properties"]["items"]["items"]
    assert item["properties"]["status"]["enum"] == [
        term.code for term in vocabulary("checklist_statuses").terms
    ]
