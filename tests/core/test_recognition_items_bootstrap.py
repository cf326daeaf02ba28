"""``items=`` and ``ci_method="bootstrap"`` of recognition_rate (social-recognition.md §5.3, §7).

Expected values are worked out by hand in the comments beside them.
"""

import contextlib
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eduequity.core.recognition import recognition_by_component, recognition_rate
from eduequity.errors import DegenerateDataWarning, InvalidArgumentError, InvalidValueError

# Two respondents answer two items: Q1 (overall satisfaction) and Q2.
ANSWERS = ["满意", "不满意", "满意", "满意", "不满意", "不满意"]
ITEM_IDS = ["Q1", "Q2", "Q1", "Q2", "Q1", "Q2"]
RESPONDENTS = ["a", "a", "b", "b", "c", "c"]


# --------------------------------------------------------------------------------------------
# Scoring chosen items


def test_one_item_scores_that_item_only():
    result = recognition_rate(ANSWERS, item_ids=ITEM_IDS, items=["Q1"])
    # Q1: 满意, 满意, 不满意 -> 2 of 3.
    assert result.rate == pytest.approx(2 / 3)
    assert (result.n_valid, result.n_positive, result.n_not_selected) == (3, 2, 3)
    assert result.items == ("Q1",)
    assert recognition_rate(ANSWERS, item_ids=ITEM_IDS, items="Q1") == result


def test_items_equal_scoring_the_chosen_rows():
    chosen = recognition_rate(
        ANSWERS, item_ids=ITEM_IDS, items=["Q2"], respondent_ids=RESPONDENTS, unit="respondent"
    )
    direct = recognition_rate(ANSWERS[1::2], respondent_ids=RESPONDENTS[1::2], unit="respondent")
    # Q2: 不满意, 满意, 不满意 -> 1 of 3 respondents.
    assert chosen.rate == direct.rate == pytest.approx(1 / 3)
    assert (chosen.ci_low, chosen.ci_high) == (direct.ci_low, direct.ci_high)


def test_numeric_and_text_item_ids_are_one_item():
    result = recognition_rate(["满意", "不满意", "满意"], item_ids=[1, 2.0, "1"], items=["1"])
    assert (result.n_valid, result.rate, result.items) == (2, 1.0, ("1",))


def test_unknown_item_is_named():
    with pytest.raises(InvalidArgumentError, match="'Q9'") as info:
        recognition_rate(ANSWERS, item_ids=ITEM_IDS, items=["Q1", "Q9"])
    assert info.value.code == "unknown_item"
    assert "present are Q1, Q2" in str(info.value)


@pytest.mark.parametrize("items", [[], [""], [None], ()])
def test_empty_selection_is_refused(items):
    with pytest.raises(InvalidArgumentError) as info:
        recognition_rate(ANSWERS, item_ids=ITEM_IDS, items=items)
    assert info.value.code == "empty_selection"


def test_items_need_item_ids_of_the_same_length():
    with pytest.raises(InvalidArgumentError, match="item_ids"):
        recognition_rate(ANSWERS, items=["Q1"])
    with pytest.raises(InvalidValueError) as info:
        recognition_rate(ANSWERS, item_ids=ITEM_IDS[:-1], items=["Q1"])
    assert info.value.code == "length_mismatch"


def test_other_arrays_follow_the_selection_and_keep_their_labels():
    groups = ["家长", "家长", "教师", "教师", "教师", "教师"]
    result = recognition_rate(
        ANSWERS, item_ids=ITEM_IDS, items=["Q1"], groups=groups, group_weights="equal_groups"
    )
    # Q1 answers: parent 满意 (1.0); teachers 满意, 不满意 (0.5) -> (1.0 + 0.5) / 2.
    assert result.rate == pytest.approx(0.75)
    assert [(g.group, g.n_valid) for g in result.groups] == [("parent", 1), ("teacher", 2)]


def test_a_chosen_item_without_scorable_answers_is_undefined():
    with pytest.warns(DegenerateDataWarning):
        result = recognition_rate(["满意", None], item_ids=["Q1", "Q2"], items=["Q2"])
    assert (result.status, result.n_blank, result.n_not_selected) == ("undefined", 1, 1)


def test_items_by_component():
    result = recognition_by_component(
        ["满意", "不满意", "满意", "满意"],
        components=["问卷调查", "问卷调查", "实地走访", "实地走访"],
        item_ids=["Q1", "Q2", "Q1", "Q2"],
        items=["Q1"],
    )
    assert [(c.component, c.result.n_valid, c.result.items) for c in result.components] == [
        ("questionnaire", 1, ("Q1",)),
        ("field_visit", 1, ("Q1",)),
    ]
    with pytest.raises(InvalidArgumentError) as info:
        recognition_by_component(["满意"], components=["问卷调查"], item_ids=["Q1"], items=["Q7"])
    assert info.value.code == "unknown_item"


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["满意", "不满意", "不了解"]), st.sampled_from("ABC")),
        min_size=1,
        max_size=40,
    ),
    st.sets(st.sampled_from("ABC"), min_size=1),
)
def test_items_equal_the_subset_property(rows, chosen):
    answers = [answer for answer, _ in rows]
    ids = [item for _, item in rows]
    present = set(ids)
    if not chosen <= present:
        with pytest.raises(InvalidArgumentError):
            recognition_rate(answers, item_ids=ids, items=sorted(chosen))
        return
    subset = [answer for answer, item in rows if item in chosen]
    undefined = all(answer == "不了解" for answer in subset)
    with pytest.warns(DegenerateDataWarning) if undefined else contextlib.nullcontext():
        picked = recognition_rate(answers, item_ids=ids, items=sorted(chosen))
        direct = recognition_rate(subset)
    assert picked.n_not_selected == len(rows) - len(subset)
    assert (picked.n_valid, picked.n_positive, picked.status) == (
        direct.n_valid,
        direct.n_positive,
        direct.status,
    )
    assert picked.rate == direct.rate or (np.isnan(picked.rate) and np.isnan(direct.rate))


# --------------------------------------------------------------------------------------------
# The respondent-level bootstrap interval


def clustered(positive_respondents, respondents, items):
    """Every respondent gives the same answer to each of ``items`` items (strong clustering)."""
    answers = ["满意"] * (positive_respondents * items) + ["不满意"] * (
        (respondents - positive_respondents) * items
    )
    return answers, np.repeat(np.arange(respondents), items)


def test_bootstrap_is_reproducible_with_a_seed():
    answers, ids = clustered(86, 100, 5)
    first = recognition_rate(answers, respondent_ids=ids, ci_method="bootstrap", seed=7)
    again = recognition_rate(answers, respondent_ids=ids, ci_method="bootstrap", seed=7)
    other = recognition_rate(answers, respondent_ids=ids, ci_method="bootstrap", seed=8)
    assert (first.ci_low, first.ci_high) == (again.ci_low, again.ci_high)
    assert (first.ci_low, first.ci_high) != (other.ci_low, other.ci_high)
    assert (first.ci_method, first.n_resamples, first.seed) == ("bootstrap", 2000, 7)
    generator = recognition_rate(
        answers, respondent_ids=ids, ci_method="bootstrap", seed=np.random.default_rng(7)
    )
    assert (generator.ci_low, generator.ci_high) == (first.ci_low, first.ci_high)
    assert generator.seed is None
    assert json.loads(json.dumps(first.to_dict()))["n_resamples"] == 2000


def test_default_interval_is_unchanged():
    result = recognition_rate(["满意"] * 860 + ["不满意"] * 140)
    # social-recognition.md §7: Wilson (0.83711, 0.88013).
    assert (result.ci_method, result.n_resamples, result.seed) == ("wilson", None, None)
    assert (round(result.ci_low, 5), round(result.ci_high, 5)) == (0.83711, 0.88013)


def test_bootstrap_is_wider_than_wilson_under_strong_clustering():
    # 100 respondents, 10 identical answers each: 1000 answers but 100 independent units.
    answers, ids = clustered(86, 100, 10)
    wilson = recognition_rate(answers, respondent_ids=ids)
    boot = recognition_rate(answers, respondent_ids=ids, ci_method="bootstrap")
    assert "clustered_answers" in wilson.warning_codes
    assert "ci_method='bootstrap'" in wilson.warnings[0].message
    assert "clustered_answers" not in boot.warning_codes
    assert boot.rate == wilson.rate == pytest.approx(0.86)
    assert boot.ci_high - boot.ci_low > 1.5 * (wilson.ci_high - wilson.ci_low)
    # The 100 respondents are the sample: p ± 1.96·sqrt(0.86·0.14/100) = 0.86 ± 0.068.
    assert boot.ci_low == pytest.approx(0.792, abs=0.015)
    assert boot.ci_high == pytest.approx(0.928, abs=0.015)
    assert boot.ci_status == "indeterminate"


def test_bootstrap_with_one_answer_per_respondent_matches_wilson():
    answers = ["满意"] * 860 + ["不满意"] * 140
    boot = recognition_rate(answers, ci_method="bootstrap", seed=3)
    by_id = recognition_rate(
        answers, respondent_ids=[f"r{i}" for i in range(1000)], ci_method="bootstrap", seed=3
    )
    assert (boot.ci_low, boot.ci_high) == (by_id.ci_low, by_id.ci_high)
    # Wilson (0.83711, 0.88013), social-recognition.md §7; the bootstrap agrees to Monte Carlo
    # error at n = 1000.
    assert boot.ci_low == pytest.approx(0.83711, abs=0.005)
    assert boot.ci_high == pytest.approx(0.88013, abs=0.005)


def test_bootstrap_resamples_within_weighting_strata():
    # Parents all satisfied, teachers none: with equal group weights every replicate keeps
    # both groups whole, so the estimate (1 + 0) / 2 never moves.
    groups = ["家长"] * 30 + ["教师"] * 10
    answers = ["满意"] * 30 + ["不满意"] * 10
    equal = recognition_rate(
        answers, groups=groups, group_weights="equal_groups", ci_method="bootstrap"
    )
    assert (equal.rate, equal.ci_low, equal.ci_high) == (0.5, 0.5, 0.5)
    pooled = recognition_rate(answers, groups=groups, ci_method="bootstrap")
    assert pooled.ci_low < pooled.rate == 0.75 < pooled.ci_high


def test_bootstrap_of_a_mean_score():
    # Each respondent answers 非常满意 (100) and 一般 (60): every respondent's mean is 80.
    answers = ["非常满意", "一般"] * 20
    result = recognition_rate(
        answers,
        scale="cers_5",
        mode="mean_score",
        respondent_ids=np.repeat(np.arange(20), 2),
        ci_method="bootstrap",
    )
    assert (result.score, result.ci_low, result.ci_high) == (80.0, 80.0, 80.0)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["满意", "基本满意", "不满意"]), st.integers(0, 9)),
        min_size=1,
        max_size=60,
    ),
    st.integers(0, 2**32 - 1),
)
def test_bootstrap_interval_covers_the_estimate(rows, seed):
    answers = [answer for answer, _ in rows]
    ids = [respondent for _, respondent in rows]
    result = recognition_rate(
        answers, respondent_ids=ids, ci_method="bootstrap", n_resamples=200, seed=seed
    )
    assert 0.0 <= result.ci_low <= result.rate <= result.ci_high <= 1.0


@pytest.mark.parametrize(
    ("options", "code"),
    [
        ({"ci_method": "jackknife"}, "invalid_option"),
        ({"ci_method": "normal_approximate"}, "invalid_option"),
        ({"ci_method": "bootstrap", "n_resamples": 0}, "invalid_argument"),
        ({"ci_method": "bootstrap", "n_resamples": 2.5}, "invalid_argument"),
        ({"ci_method": "bootstrap", "seed": -1}, "invalid_argument"),
        ({"ci_method": "bootstrap", "seed": True}, "invalid_argument"),
    ],
)
def test_bad_interval_options(options, code):
    with pytest.raises(InvalidArgumentError) as info:
        recognition_rate(["满意", "不满意"], **options)
    assert info.value.code == code


def test_wilson_does_not_fit_a_mean_score():
    with pytest.raises(InvalidArgumentError, match="normal_approximate"):
        recognition_rate(["非常满意"], scale="cers_5", mode="mean_score", ci_method="wilson")
