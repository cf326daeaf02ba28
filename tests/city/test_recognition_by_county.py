"""Social recognition per county from one city-wide survey file (social-recognition.md §5-§7)."""

import json

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eduequity.city import RECOGNITION_COLUMNS, assess_city, recognition_by_county
from eduequity.core import recognition_rate, wilson_interval
from eduequity.datasets import demo_path
from eduequity.errors import InputError, InvalidArgumentError
from eduequity.national import RULES_2012, get_rules
from eduequity.report import render_city

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _survey(counts):
    """One answer per respondent: ``{county: (positive, negative)}``."""
    rows = []
    for county, (positive, negative) in counts.items():
        answers = ["满意"] * positive + ["不满意"] * negative
        rows += [
            {
                "respondent_id": f"{county}-{i}",
                "county": county,
                "respondent_group": "parent",
                "answer": answer,
            }
            for i, answer in enumerate(answers)
        ]
    return pd.DataFrame(rows)


def test_rates_decisions_and_wilson_intervals_per_county():
    # 17 of 20 is exactly 0.85: the bound is included (national-method.md §6); 16 of 20 fails.
    result = recognition_by_county(_survey({"甲县": (17, 3), "乙县": (16, 4), "丙县": (190, 10)}))
    table = result.table.set_index("county")
    assert list(result.table.columns) == list(RECOGNITION_COLUMNS)
    assert table.index.tolist() == ["丙县", "乙县", "甲县"]
    assert table.loc["甲县", "rate"] == 0.85
    assert bool(table.loc["甲县", "passed"]) is True
    assert bool(table.loc["乙县", "passed"]) is False
    # The interval is Wilson's on the county's own answers (unit weights: n_eff = n).
    interval = wilson_interval(17 / 20, 20, confidence=0.95)
    assert table.loc["甲县", "ci_low"] == pytest.approx(interval.low, rel=1e-12)
    assert table.loc["甲县", "ci_high"] == pytest.approx(interval.high, rel=1e-12)
    # 0.85 passes on the point estimate but not at the interval's lower bound; 190/200 does.
    assert bool(table.loc["甲县", "passed_at_confidence"]) is False
    assert bool(table.loc["丙县", "passed_at_confidence"]) is True
    assert (result.n_counties, result.n_passed, result.n_passed_at_confidence) == (3, 2, 1)
    assert table.loc["丙县", "n_answers"] == 200
    assert result.rules["id"] == "cn_moe_2017_quality_balance"


def test_the_demo_county_matches_the_county_assessment():
    result = recognition_by_county(demo_path("demo_county_survey.csv"))
    row = result.table.iloc[0]
    survey = pd.read_csv(demo_path("demo_county_survey.csv"), dtype=str)
    direct = recognition_rate(survey["answer"], groups=survey["respondent_group"])
    assert row["rate"] == direct.rate
    assert row["n_blank"] == 8
    assert row["year"] == 2024
    # The reader's blank-answer warning is reported once, not again by the scoring.
    assert [issue.code for issue in result.warnings] == ["blank_answer"]


@SETTINGS
@given(
    st.dictionaries(
        st.sampled_from(["甲县", "乙县", "丙县", "丁县"]),
        st.tuples(st.integers(0, 40), st.integers(0, 40)).filter(lambda pair: sum(pair) > 0),
        min_size=1,
        max_size=4,
    )
)
def test_scoring_the_city_file_equals_scoring_each_county_alone(counts):
    table = recognition_by_county(_survey(counts)).table.set_index("county")
    for county, (positive, negative) in counts.items():
        alone = recognition_rate(["满意"] * positive + ["不满意"] * negative)
        assert table.loc[county, "rate"] == alone.rate
        assert table.loc[county, "ci_low"] == alone.ci_low
        assert bool(table.loc[county, "passed"]) is alone.passed


def test_a_county_with_only_blank_answers_is_undefined_and_does_not_pass():
    survey = _survey({"甲县": (9, 1)})
    blank = pd.DataFrame(
        {
            "respondent_id": ["乙-1", "乙-2"],
            "county": ["乙县", "乙县"],
            "respondent_group": ["parent", "parent"],
            "answer": [None, ""],
        }
    )
    with pytest.warns(RuntimeWarning, match="no answer"):
        result = recognition_by_county(pd.concat([survey, blank], ignore_index=True))
    row = result.table.set_index("county").loc["乙县"]
    assert row["status"] == "undefined"
    assert bool(row["passed"]) is False
    assert row["n_blank"] == 2


def test_years_are_scored_apart_or_one_is_kept():
    survey = pd.concat(
        [
            _survey({"甲县": (9, 1)}).assign(year=2023),
            _survey({"甲县": (7, 3)}).assign(
                year=2024, respondent_id=lambda frame: frame["respondent_id"] + "b"
            ),
        ],
        ignore_index=True,
    )
    both = recognition_by_county(survey).table
    assert both[["year", "rate"]].to_dict("list") == {"year": [2023, 2024], "rate": [0.9, 0.7]}
    assert recognition_by_county(survey, year=2024).table["rate"].tolist() == [0.7]
    with pytest.raises(InputError, match="no survey answer of year 2030"):
        recognition_by_county(survey, year=2030)
    with pytest.raises(InvalidArgumentError, match="no year column"):
        recognition_by_county(_survey({"甲县": (1, 1)}), year=2024)


def test_items_restrict_the_scoring():
    survey = _survey({"甲县": (2, 2)})
    survey["respondent_id"] = ["r1", "r2", "r1", "r2"]
    survey["item_id"] = ["Q1", "Q1", "Q9", "Q9"]
    survey["answer"] = ["满意", "满意", "不满意", "不满意"]
    result = recognition_by_county(survey, items=["Q1"])
    assert result.table["rate"].tolist() == [1.0]
    assert result.options["items"] == ["Q1"]
    with pytest.raises(InvalidArgumentError, match="item_id"):
        recognition_by_county(_survey({"甲县": (2, 2)}), items=["Q1"])


def test_two_components_give_one_row_each():
    survey = _survey({"甲县": (18, 2)})
    survey["component"] = ["问卷调查"] * 10 + ["实地走访"] * 10
    result = recognition_by_county(survey, rules=get_rules(2017, overlay="shenyang"))
    assert result.table["component"].tolist() == ["questionnaire", "field_visit"]
    assert result.table["rate"].tolist() == [1.0, 0.8]


def test_bad_input_names_the_row_and_the_column():
    survey = _survey({"甲县": (3, 1)})
    survey.loc[2, "answer"] = "很好"
    with pytest.raises(InputError, match="'很好' at row 2") as caught:
        recognition_by_county(survey)
    assert caught.value.issues[0].column == "answer"
    with pytest.raises(InputError, match="respondent_group"):
        recognition_by_county(_survey({"甲县": (1, 0)}).drop(columns="respondent_group"))


def test_empty_survey_and_the_2012_satisfaction_survey():
    empty = _survey({"甲县": (1, 0)}).iloc[0:0]
    result = recognition_by_county(empty)
    assert result.table.empty
    assert list(result.table.columns) == list(RECOGNITION_COLUMNS)
    assert result.n_counties == 0
    # The 2012 method's public-satisfaction survey (公众满意度) passes at 85% as well.
    result = recognition_by_county(_survey({"甲县": (17, 3)}), rules=RULES_2012)
    assert result.rules["id"] == "cn_moe_2012_basic_balance"
    assert result.table["passed"].tolist() == [True]


def test_in_the_city_report_and_json():
    result = assess_city(
        demo_path("demo_city_register.csv"),
        survey=demo_path("demo_county_survey.csv"),
        today="2025-06-30",
    )
    assert "各县社会认可度 Social recognition by county" in render_city(result)
    assert "| 县 County | 年度 Year |" in render_city(result, "markdown")
    data = json.loads(json.dumps(result.to_dict(), ensure_ascii=False))
    assert data["recognition"]["table"][0]["county"] == "示范县 (Demo County)"
    assert data["recognition"]["table"][0]["passed"] is True


def test_the_bootstrap_interval_is_forwarded_to_every_county():
    survey = _survey({"甲县": (30, 5), "乙县": (20, 20)})
    table = recognition_by_county(survey, ci_method="bootstrap", n_resamples=400, seed=7).table
    table = table.set_index("county")
    for county, (positive, negative) in {"甲县": (30, 5), "乙县": (20, 20)}.items():
        alone = recognition_rate(
            ["满意"] * positive + ["不满意"] * negative,
            respondent_ids=[f"{county}-{i}" for i in range(positive + negative)],
            groups=["parent"] * (positive + negative),
            ci_method="bootstrap",
            n_resamples=400,
            seed=7,
        )
        assert table.loc[county, "ci_method"] == "bootstrap"
        assert table.loc[county, "ci_low"] == alone.ci_low
        assert table.loc[county, "ci_high"] == alone.ci_high
    # the same seed gives the same interval; the bootstrap differs from Wilson's
    again = recognition_by_county(survey, ci_method="bootstrap", n_resamples=400, seed=7).table
    assert again["ci_low"].tolist() == table["ci_low"].tolist()
    wilson = recognition_by_county(survey).table.set_index("county")
    assert (wilson["ci_method"] != "bootstrap").all()
