"""One reader of the school table, validated once; the adapters never validate it again."""

import inspect
from importlib.resources import as_file

import pytest

import eduequity
from eduequity.city import assess_city, city_disparity
from eduequity.datasets import demo_path
from eduequity.errors import InputError
from eduequity.io import loaded_table, read_county_facts
from eduequity.national import assess_counties, assess_county, load_schools, read_schools
from eduequity.national._facts import FactReader, ValidatedFacts

TODAY = "2025-06-30"


@pytest.fixture(scope="module")
def county():
    with as_file(demo_path("demo_county_schools.csv")) as path:
        return read_schools(path)


@pytest.fixture(scope="module")
def city():
    with as_file(demo_path("demo_city_schools.csv")) as path:
        return read_schools(path)


def test_the_contract_signature():
    parameters = inspect.signature(eduequity.read_schools).parameters
    assert list(parameters)[:2] == ["source", "sheet"]
    assert parameters["sheet"].kind is inspect.Parameter.KEYWORD_ONLY
    assert parameters["sheet"].default is None
    assert eduequity.read_schools is read_schools


def test_reading_the_frame_again_is_free(county, runs):
    assert read_schools(county) is county
    assert runs == []


def test_the_report_of_the_reading(county):
    report = loaded_table(county)
    assert report.table == "schools"
    assert {issue.code for issue in report.issues} == {"private_school_included"}
    assert report.headers["students_primary"] == "students_primary"
    assert report.rows_read == len(county)


def test_assess_counties_does_not_validate_a_read_frame(county, runs):
    summary = assess_counties(county)
    assert runs == []
    # the reader's warnings still reach the audit record
    codes = {issue.code for issue in summary.attrs["eduequity"].warnings}
    assert "private_school_included" in codes


def test_assess_county_validates_only_what_was_not_read(county, runs):
    with as_file(demo_path("demo_county_facts.csv")) as path:
        facts = read_county_facts(path)
    assert runs == ["county_facts"]
    with as_file(demo_path("demo_county_survey.csv")) as survey:
        result = assess_county(county, facts, survey)
    assert runs == ["county_facts", "survey"]
    assert result.status in {"pass", "fail", "incomplete"}


def test_the_result_is_the_same_with_or_without_reading_first(county):
    with as_file(demo_path("demo_county_schools.csv")) as path:
        direct = assess_counties(path)
    read_first = assess_counties(county)
    assert direct.equals(read_first)


def test_the_city_validates_the_school_table_once(city, runs):
    with as_file(demo_path("demo_city_register.csv")) as register:
        assess_city(register, city, today=TODAY)
    assert "schools" not in runs
    city_disparity(city)
    assert "schools" not in runs


def test_the_city_reads_a_path_once(runs):
    with (
        as_file(demo_path("demo_city_register.csv")) as register,
        as_file(demo_path("demo_city_schools.csv")) as schools,
    ):
        assess_city(register, schools, today=TODAY)
    assert runs.count("schools") == 1


def test_a_changed_frame_is_validated_again_and_its_errors_caught(county, runs):
    changed = county.copy()
    assert loaded_table(changed) is None
    changed.loc[changed.index[0], "students_primary"] = -5.0
    with pytest.raises(InputError, match="students_primary"):
        assess_counties(changed)
    assert runs == ["schools"]


def test_a_cell_written_in_place_is_validated_again(runs):
    with as_file(demo_path("demo_county_schools.csv")) as path:
        frame = read_schools(path)
    runs.clear()
    frame.loc[frame.index[0], "multimedia_classrooms"] = 2.5  # not a whole number
    with pytest.raises(InputError, match="multimedia_classrooms"):
        assess_counties(frame)
    assert runs == ["schools"]


def test_other_reader_options_validate_again(county, runs):
    assess_counties(county, strict=True)
    assert runs == ["schools"]


def test_validated_facts_are_taken_as_they_are():
    # the table reader checked these already; a plain mapping is checked field by field
    trusted = FactReader(facts=ValidatedFacts({"teacher_rotation": 0.25}))
    assert trusted.validated
    assert trusted.number("teacher_rotation", kind="rate") == pytest.approx(0.25)
    plain = FactReader(facts={"teacher_rotation": 1.5})
    assert not plain.validated
    with pytest.raises(ValueError, match="above 1"):
        plain.number("teacher_rotation", kind="rate")


# ----------------------------------------------------------------------------------------
# deprecations


def test_load_schools_is_deprecated_and_still_works(county):
    with (
        as_file(demo_path("demo_county_schools.csv")) as path,
        pytest.deprecated_call(
            match=(
                r"eduequity\.national\.load_schools\(\) is deprecated since eduequity 0\.1\.0 "
                r"and will be removed in 0\.2\.0; use eduequity\.read_schools\(\)"
            )
        ),
    ):
        loaded = load_schools(path)
    assert loaded.frame.equals(county)
    assert loaded.issues == loaded_table(county).issues


def test_read_school_table_is_deprecated_and_its_frame_is_trusted(county, runs):
    with (
        as_file(demo_path("demo_county_schools.csv")) as path,
        pytest.deprecated_call(match=r"read_school_table\(\).*0\.2\.0.*read_schools"),
    ):
        loaded = eduequity.io.read_school_table(path)
    assert loaded.frame.equals(county)
    assess_counties(loaded.frame)
    assert runs == ["schools"]


@pytest.mark.parametrize("validate", [True, False])
def test_validate_is_deprecated_and_changes_nothing(county, validate, runs):
    with pytest.deprecated_call(match=r"validate=.*0\.1\.0.*0\.2\.0"):
        summary = assess_counties(county, validate=validate)
    assert summary.equals(assess_counties(county))
    assert runs == []


def test_validate_false_no_longer_skips_validation(county):
    changed = county.copy()
    changed.loc[changed.index[0], "students_primary"] = -5.0
    with pytest.deprecated_call(), pytest.raises(InputError):
        assess_counties(changed, validate=False)
