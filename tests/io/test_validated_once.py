"""A frame a reader returned is used as it is; a changed frame is validated again."""

import json
import pickle
from importlib.resources import as_file

import pandas as pd
import pytest

from eduequity.datasets import demo_path
from eduequity.errors import InputError
from eduequity.io import _trust, loaded_table, read_county_facts, read_monitoring, read_survey


@pytest.fixture(scope="module")
def facts():
    with as_file(demo_path("demo_county_facts.csv")) as path:
        return read_county_facts(path)


@pytest.fixture(scope="module")
def survey_frame():
    with as_file(demo_path("demo_county_survey.csv")) as path:
        return pd.read_csv(path, dtype=str, keep_default_na=False)


def test_a_validated_frame_is_returned_as_it_is(facts, runs):
    again = read_county_facts(facts.frame)
    assert runs == []
    assert again.frame is facts.frame
    assert again.issues == facts.issues
    assert again.headers == facts.headers


def test_a_loaded_table_is_accepted_as_it_is(facts, runs):
    again = read_county_facts(facts)
    assert runs == []
    assert again.frame is facts.frame


def test_the_report_comes_back_from_the_frame(facts):
    report = loaded_table(facts.frame)
    assert report is not None
    assert report.frame is facts.frame
    assert report.source == facts.source
    assert report.conversions == facts.conversions


def test_other_options_validate_again(facts, runs):
    read_county_facts(facts.frame, strict=True)
    assert runs == ["county_facts"]


def test_another_schema_validates_again(facts, runs):
    with pytest.raises(InputError):
        read_monitoring(facts.frame)
    assert runs == ["monitoring"]


def test_a_written_cell_is_validated_again_and_caught(facts, runs):
    frame = facts.frame.copy()
    copy = read_county_facts(frame)
    assert runs == ["county_facts"]
    assert loaded_table(copy.frame) is not None
    copy.frame.loc[copy.frame.index[0], "teacher_rotation"] = 7.5  # a rate above 1
    assert loaded_table(copy.frame) is None
    with pytest.raises(InputError, match="teacher_rotation"):
        read_county_facts(copy.frame)
    assert runs == ["county_facts", "county_facts"]


@pytest.mark.parametrize(
    "change",
    [
        lambda frame: frame.copy(),
        lambda frame: frame.iloc[:1],
        lambda frame: frame.assign(extra=1.0),
        lambda frame: frame.rename(columns={"teacher_rotation": "rotation"}),
        lambda frame: frame.set_axis(range(10, 10 + len(frame))),
    ],
    ids=["copy", "rows", "new column", "renamed", "new index"],
)
def test_a_derived_frame_is_not_trusted(facts, runs, change):
    derived = change(facts.frame)
    assert loaded_table(derived) is None
    read_county_facts(derived)
    assert runs == ["county_facts"]


def test_an_unpickled_frame_is_validated_again(facts, runs):
    restored = pickle.loads(pickle.dumps(facts.frame))  # noqa: S301 - our own frame
    assert loaded_table(restored) is None
    read_county_facts(restored)
    assert runs == ["county_facts"]


def test_the_mark_does_not_stop_pandas_writing_attrs_as_json(facts, runs):
    # to_parquet stores attrs as JSON; the text that comes back is no mark
    text = json.dumps(facts.frame.attrs)
    restored = facts.frame.copy(deep=False)
    restored.attrs = json.loads(text)
    assert loaded_table(restored) is None
    read_county_facts(restored)
    assert runs == ["county_facts"]


def test_without_copy_on_write_the_content_is_compared(monkeypatch, survey_frame, runs):
    monkeypatch.setattr(_trust, "_copy_on_write", lambda: False)
    survey = read_survey(survey_frame)
    read_survey(survey.frame)
    assert runs == ["survey"]
    survey.frame.loc[survey.frame.index[0], "respondent_group"] = "nobody"
    with pytest.raises(InputError, match="nobody"):
        read_survey(survey.frame)
    assert runs == ["survey", "survey"]


def test_survey_value_maps_are_part_of_the_validation(survey_frame, runs):
    survey = read_survey(survey_frame)
    read_survey(survey.frame, group_map={"家长代表": "parent"})
    assert runs == ["survey", "survey"]
