"""What a researcher sees in a notebook: short reprs, _repr_html_, float(), readable help()."""

import importlib
import inspect
import math
import pydoc
import warnings

import pytest

import eduequity as ee
from eduequity.checklist import evaluate_checklist, read_checklist_records
from eduequity.city import assess_city
from eduequity.datasets import demo_path
from eduequity.national import assess_counties, assess_county

MAX_REPR = 2_000
TODAY = "2025-06-30"


@pytest.fixture(scope="module")
def county():
    return assess_county(
        str(demo_path("demo_county_schools.csv")),
        str(demo_path("demo_county_facts.csv")),
        str(demo_path("demo_county_survey.csv")),
        monitoring=str(demo_path("demo_county_monitoring.csv")),
    )


@pytest.fixture(scope="module")
def results(county):
    counties = assess_counties(str(demo_path("demo_city_schools.csv")))
    city = assess_city(str(demo_path("demo_city_register.csv")), target_year=2030, today=TODAY)
    records = read_checklist_records(str(demo_path("demo_city_checklist.csv")))
    return {
        "county": county,
        "counties": counties.attrs["eduequity"],
        "city": city,
        "checklist": evaluate_checklist(records),
    }


@pytest.mark.parametrize("kind", ["county", "counties", "city", "checklist"])
def test_repr_is_short_and_names_the_class(results, kind):
    result = results[kind]
    text = repr(result)
    assert text.startswith(type(result).__name__ + "(")
    assert len(text) < MAX_REPR
    assert len(result._repr_html_()) < 4 * MAX_REPR


def test_county_repr_and_html_show_the_verdict_and_key_figures(county):
    # data README §1.2: the demo county fails Parts 1, 2 and 3.
    text = repr(county)
    assert text.startswith("CountyAssessment(verdict='fail', county='示范县 (Demo County)'")
    for figure in ("resource_allocation='fail'", "government_guarantee='fail'", "failures=9"):
        assert figure in text
    html = county._repr_html_()
    assert "<strong>fail</strong>" in html
    assert "示范县 (Demo County)" in html
    assert "render_county" in html  # where the whole report is


def test_html_escapes_names():
    frame = ee.read_schools(str(demo_path("demo_county_schools.csv")))
    frame = frame.assign(county="<script>x</script>")
    result = assess_county(frame)
    assert "<script>" not in result._repr_html_()
    assert "&lt;script&gt;" in result._repr_html_()


def test_city_and_checklist_reprs(results):
    # data README §2: one of the four units of 示范市 is nationally recognised.
    city = repr(results["city"])
    assert city.startswith("CityAssessment(verdict='not_recognized', city='示范市 (Demo City)'")
    assert "units=4, nationally_recognized=1" in city
    assert "<strong>not_recognized</strong>" in results["city"]._repr_html_()
    checklist = repr(results["checklist"])
    assert "records_used=" in checklist
    assert "示范县 (Demo County)" in checklist


def test_audit_record_to_dict_is_unchanged_by_the_base(results):
    record = results["counties"]
    assert list(record.to_dict()) == [
        "rules",
        "excluded",
        "merged",
        "split",
        "warnings",
        "single_unit",
    ]


def test_float_of_a_measure_result_is_its_value():
    # Gini of (1, 2, 3): mean absolute difference 8/9 over twice the mean 2 = 2/9.
    result = ee.gini([1, 2, 3])
    assert float(result) == pytest.approx(2 / 9, rel=1e-15)
    assert float(result) == result.value
    assert float(ee.theil([1, 1, 1])) == 0.0
    assert float(ee.parity_index(0.9, 1.0)) == pytest.approx(0.9, rel=1e-15)
    # float() makes a result usable wherever a number is expected
    assert math.fsum([float(result), 1.0]) == pytest.approx(11 / 9, rel=1e-15)


def test_float_of_an_undefined_value_is_nan():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ee.DegenerateDataWarning)
        result = ee.gini([0, 0, 0])
    assert result.value is None
    assert math.isnan(float(result))


def _help_pages():
    for module_name in ("eduequity", "eduequity.checklist", "eduequity.city", "eduequity.national"):
        module = importlib.import_module(module_name)
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isfunction(obj) or inspect.isclass(obj):
                yield f"{module_name}.{name}", pydoc.render_doc(obj, renderer=pydoc.plaintext)


def test_help_pages_stay_readable():
    pages = dict(_help_pages())
    assert len(pages["eduequity.checklist.evaluate_checklist"]) < 8_000
    too_long = {name: len(text) for name, text in pages.items() if len(text) > 12_000}
    assert too_long == {}
