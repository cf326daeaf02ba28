"""--items, --ci-method and --seed of ``eduequity assess`` (survey scoring of Part 4)."""

import json

import pandas as pd
import pytest

from eduequity.cli import main
from eduequity.datasets import DEMO_COUNTY, demo_path

SCHOOLS = str(demo_path("demo_county_schools.csv"))


def _run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


@pytest.fixture
def survey(tmp_path):
    """40 parents answer three items, Chinese headers, saved as GBK like a county's export.

    Items Q1 and Q2: 34 of 40 satisfied (0.85); Q3, the overall-satisfaction item: 30 of 40
    (0.75). All items pooled: (34 + 34 + 30) / 120 = 0.8167.
    """
    rows = []
    for respondent in range(40):
        for item in ("Q1", "Q2", "Q3"):
            limit = 30 if item == "Q3" else 34
            rows.append(
                {
                    "县（市、区）": DEMO_COUNTY,
                    "问卷编号": f"R{respondent:03d}",
                    "题号": item,
                    "调查对象": "家长",
                    "卷别": "社会卷",
                    "满意度": "满意" if respondent < limit else "不满意",
                }
            )
    path = tmp_path / "问卷.csv"
    pd.DataFrame(rows).to_csv(path, index=False, encoding="gbk")
    return str(path)


def _result(capsys, survey, *extra):
    code, out, err = _run(capsys, "assess", SCHOOLS, "--survey", survey, "--format", "json", *extra)
    assert code == 0, err
    return json.loads(out)["recognition"]["result"]


def test_items_scores_the_chosen_item(capsys, survey):
    everything = _result(capsys, survey)
    assert everything["rate"] == pytest.approx(98 / 120)
    overall = _result(capsys, survey, "--items", "Q3")
    assert (overall["rate"], overall["items"], overall["n_not_selected"]) == (0.75, ["Q3"], 80)
    two = _result(capsys, survey, "--items", "Q1, Q2")
    assert (two["rate"], two["items"]) == (0.85, ["Q1", "Q2"])


def test_an_unknown_item_is_named_with_the_flag(capsys, survey):
    code, out, err = _run(capsys, "assess", SCHOOLS, "--survey", survey, "--items", "Q3,Q9")
    assert (code, out) == (2, "")
    assert "'Q9'" in err
    assert "Q1, Q2, Q3" in err
    assert "--items" in err


def test_bootstrap_interval_is_seeded(capsys, survey):
    first = _result(capsys, survey, "--ci-method", "bootstrap", "--seed", "5")
    again = _result(capsys, survey, "--ci-method", "bootstrap", "--seed", "5")
    assert (first["ci_method"], first["seed"], first["n_resamples"]) == ("bootstrap", 5, 2000)
    assert (first["ci_low"], first["ci_high"]) == (again["ci_low"], again["ci_high"])
    wilson = _result(capsys, survey)
    assert wilson["ci_method"] == "wilson"
    assert first["ci_high"] - first["ci_low"] > wilson["ci_high"] - wilson["ci_low"]


def test_text_report_names_the_items_and_the_bootstrap(capsys, survey):
    code, out, err = _run(
        capsys, "assess", SCHOOLS, "--survey", survey, "--items", "Q3", "--ci-method", "bootstrap"
    )
    assert code == 0, err
    assert "计分题目 Items scored" in out
    assert "Q3 (其他题目 other items left out: 80 answers)" in out
    assert "bootstrap of respondents, 2000 resamples, seed 0" in out


def test_seed_without_bootstrap_is_refused(capsys, survey):
    code, out, err = _run(capsys, "assess", SCHOOLS, "--survey", survey, "--seed", "3")
    assert (code, out) == (2, "")
    assert "--ci-method bootstrap" in err
