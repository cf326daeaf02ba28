"""``eduequity city`` with --facts, --survey and --province-total: the new report sections."""

import json

import pandas as pd

from eduequity.cli import main
from eduequity.datasets import demo_path

REGISTER = str(demo_path("demo_city_register.csv"))
FACTS = str(demo_path("demo_county_facts.csv"))
SURVEY = str(demo_path("demo_county_survey.csv"))
BASE_KEYS = {
    "city",
    "program",
    "as_of",
    "register",
    "projection",
    "disparity",
    "urban_rural",
    "matrix",
    "funding",
    "rules",
    "warnings",
    "eduequity_version",
}


def _run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


def test_json_keeps_every_key_and_adds_the_new_parts(capsys):
    code, out, _ = _run(
        capsys,
        "city",
        REGISTER,
        "--facts",
        FACTS,
        "--survey",
        SURVEY,
        "--province-total",
        "9",
        "--format",
        "json",
    )
    assert code == 0
    document = json.loads(out)
    assert set(document) == BASE_KEYS | {"figures", "recognition", "wealth"}
    figures = {row["figure"]: row for row in document["figures"]["figures"]}
    assert figures["province_list_share"]["denominator"] == 9
    assert figures["teacher_exchange_share"]["value"] == 150 / 1200
    assert document["recognition"]["table"][0]["ci_method"] == "wilson"
    assert document["wealth"] is None


def test_text_report_has_the_sections(capsys):
    code, out, _ = _run(capsys, "city", REGISTER, "--facts", FACTS, "--survey", SURVEY)
    assert code == 0
    assert "发布数据 Published figures" in out
    assert "各县社会认可度 Social recognition by county" in out


def test_a_bad_survey_names_row_and_column_without_a_traceback(capsys, tmp_path):
    survey = pd.read_csv(SURVEY, dtype=str, keep_default_na=False)
    survey.loc[3, "answer"] = "很好"
    path = tmp_path / "survey.csv"
    survey.to_csv(path, index=False)
    code, out, err = _run(capsys, "city", REGISTER, "--survey", str(path))
    assert code == 2
    assert out == ""
    assert "很好" in err
    assert "row 5" in err
    assert "answer" in err


def test_a_bad_province_total_is_a_usage_error(capsys):
    code, _, err = _run(capsys, "city", REGISTER, "--province-total", "-1")
    assert code != 0
    assert "province total" in err
