"""Tests of eduequity.core.recognition: scoring, weighting, the 85% decision, design checks.

Expected values are computed by hand in the comments beside them, or taken from
``social-recognition.md`` (section cited at the fixture).
"""

import json
import math
from fractions import Fraction

import attrs
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eduequity.core.recognition import (
    DESIGN_PRESETS,
    GROUP_ALIASES,
    SCALES,
    DesignPreset,
    GroupRate,
    RecognitionResult,
    Scale,
    check_design,
    get_design_preset,
    get_scale,
    recognition_by_component,
    recognition_rate,
)
from eduequity.errors import (
    DegenerateDataWarning,
    EduEquityError,
    InvalidArgumentError,
    InvalidValueError,
)

POSITIVE_5 = ("满意", "比较满意", "基本满意")
Z95 = 1.959963984540054  # social-recognition.md §7


def textbook_wilson(p, n, z=Z95):
    """Wilson score interval written from the textbook formula (independent of the library)."""
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z / denominator * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


# ---------------------------------------------------------------------------------------------
# The normative example (social-recognition.md §7)
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def normative_answers():
    # social-recognition.md §7: 860 of 1000 valid answers are positive, equal weights.
    return ["满意"] * 500 + ["比较满意"] * 200 + ["基本满意"] * 160 + ["不满意"] * 140


def test_normative_example_section_7(normative_answers):
    result = recognition_rate(normative_answers)
    assert result.rate == 0.86
    assert result.passed is True
    assert round(result.ci_low, 5) == 0.83711
    assert round(result.ci_high, 5) == 0.88013
    assert result.ci_status == "indeterminate"
    assert result.passed_at_confidence is False
    assert result.n_valid == 1000
    assert result.n_positive == 860
    assert result.n_eff == 1000.0
    assert result.ci_method == "wilson"
    assert "not distinguishable from 85% at 95% confidence" in result.describe()
    assert result.describe().startswith("passes on the point estimate")


def test_normative_interval_matches_textbook_formula(normative_answers):
    low, high = textbook_wilson(0.86, 1000)
    result = recognition_rate(normative_answers)
    assert result.ci_low == pytest.approx(low, rel=1e-12)
    assert result.ci_high == pytest.approx(high, rel=1e-12)


def test_ci_status_pass_and_fail():
    # 950 of 1000: Wilson low ≈ 0.935 > 0.85 -> pass; 700 of 1000: high ≈ 0.727 < 0.85 -> fail.
    high = recognition_rate(["满意"] * 950 + ["不满意"] * 50)
    assert high.ci_status == "pass"
    assert high.passed_at_confidence is True
    low = recognition_rate(["满意"] * 700 + ["不满意"] * 300)
    assert low.ci_status == "fail"
    assert low.passed is False
    assert "fails on the point estimate" in low.describe()


def test_confidence_level_changes_interval():
    # z at 99% = 2.5758293035489; the interval widens.
    answers = ["满意"] * 860 + ["不满意"] * 140
    result = recognition_rate(answers, confidence=0.99)
    low, high = textbook_wilson(0.86, 1000, z=2.5758293035489004)
    assert result.ci_low == pytest.approx(low, rel=1e-9)
    assert result.ci_high == pytest.approx(high, rel=1e-9)
    assert result.confidence == 0.99


# ---------------------------------------------------------------------------------------------
# Exact threshold decision
# ---------------------------------------------------------------------------------------------


def test_exactly_at_threshold_passes():
    # 17 of 20 = 0.85 = threshold: the bound is included (§1, "达到85%以上").
    result = recognition_rate(["满意"] * 17 + ["不满意"] * 3)
    assert result.rate == 0.85
    assert result.passed is True


def test_just_below_threshold_fails():
    # 16 of 20 = 0.80; 84 of 99 = 0.8484...
    assert recognition_rate(["满意"] * 16 + ["不满意"] * 4).passed is False
    assert recognition_rate(["满意"] * 84 + ["不满意"] * 15).passed is False


def test_weighted_rate_at_threshold_passes_despite_rounding():
    # Positive weights sum to 7×0.7 + 7×0.2 + 0.3 + 2×0.1 = 6.8, negatives 3×0.4 = 1.2:
    # rate = 6.8 / 8.0 = 0.85 exactly, though binary floating point gives 0.8499999999999999.
    positive = [0.2, 0.7, 0.7, 0.7, 0.2, 0.7, 0.7, 0.3, 0.7, 0.2, 0.1, 0.2, 0.2, 0.7, 0.2, 0.2, 0.1]
    weights = [*positive, 0.4, 0.4, 0.4]
    answers = ["满意"] * 17 + ["不满意"] * 3
    result = recognition_rate(answers, weights=weights)
    assert result.rate == pytest.approx(0.85, abs=1e-15)
    assert result.passed is True


def test_equal_groups_at_threshold_passes():
    # Group rates 2/2, 3/4, 4/5: (1 + 0.75 + 0.8) / 3 = 2.55 / 3 = 0.85 exactly, although
    # the float sum of thirds gives 0.8499999999999999.
    answers = ["满意"] * 2 + ["满意"] * 3 + ["不满意"] + ["满意"] * 4 + ["不满意"]
    groups = ["家长"] * 2 + ["教师"] * 4 + ["学生"] * 5
    result = recognition_rate(answers, groups=groups, group_weights="equal_groups")
    assert result.rate == pytest.approx(0.85, abs=1e-15)
    assert result.passed is True


def test_threshold_is_configurable():
    result = recognition_rate(["满意"] * 9 + ["不满意"], threshold=0.9)
    assert result.passed is True
    assert result.threshold == 0.9
    assert recognition_rate(["满意"] * 9 + ["不满意"], threshold=0.95).passed is False


# ---------------------------------------------------------------------------------------------
# Scales and don't-know answers
# ---------------------------------------------------------------------------------------------


def test_default_scale_is_satisfaction_5_with_three_positive_grades():
    result = recognition_rate(["满意", "比较满意", "基本满意", "不满意"])
    assert result.scale == "satisfaction_5"
    assert result.positive_set == POSITIVE_5
    assert result.rate == 0.75


def test_dont_know_excluded_by_default():
    # 6 positive, 2 negative, 2 不了解: 6 / 8 = 0.75.
    answers = ["满意"] * 6 + ["不满意"] * 2 + ["不了解"] * 2
    result = recognition_rate(answers)
    assert result.rate == 0.75
    assert result.n_valid == 8
    assert result.n_dont_know == 2
    assert result.n_excluded == 2
    assert result.n_scored == 8
    assert result.dont_know == "exclude"


def test_dont_know_not_positive_stays_in_denominator():
    # 6 / (8 + 2) = 0.6.
    answers = ["满意"] * 6 + ["不满意"] * 2 + ["不了解"] * 2
    result = recognition_rate(answers, dont_know="not_positive")
    assert result.rate == 0.6
    assert result.n_excluded == 0
    assert result.n_scored == 10
    assert result.n_valid == 8
    assert result.n_dont_know == 2


def test_strict_scale_counts_two_grades():
    # 满意 3, 比较满意 3, 基本满意 4: default 10/10; strict (满意, 比较满意) 6/10.
    answers = ["满意"] * 3 + ["比较满意"] * 3 + ["基本满意"] * 4
    assert recognition_rate(answers).rate == 1.0
    strict = recognition_rate(answers, scale="satisfaction_5_strict")
    assert strict.rate == 0.6
    assert strict.positive_set == ("满意", "比较满意")
    assert strict.scale == "satisfaction_5_strict"


def test_positive_override():
    answers = ["满意"] * 3 + ["比较满意"] * 3 + ["基本满意"] * 4
    result = recognition_rate(answers, positive=["满意"])
    assert result.rate == 0.3
    assert result.positive_set == ("满意",)
    with pytest.raises(InvalidArgumentError, match="不了解"):
        recognition_rate(answers, positive=["不了解"])


@settings(max_examples=80, deadline=None)
@given(
    st.integers(min_value=0, max_value=40),
    st.integers(min_value=0, max_value=40),
    st.integers(min_value=1, max_value=40),
)
def test_satisfaction_3_and_5_agree_on_shared_labels(n_satisfied, n_basic, n_not):
    # §4: the two scales give identical positive-share results on 满意 / 基本满意 / 不满意.
    answers = ["满意"] * n_satisfied + ["基本满意"] * n_basic + ["不满意"] * n_not
    three = recognition_rate(answers, scale="satisfaction_3")
    five = recognition_rate(answers, scale="satisfaction_5")
    assert three.rate == five.rate
    assert three.passed == five.passed
    assert three.rate == (n_satisfied + n_basic) / len(answers)


def test_satisfaction_3_rejects_five_level_label():
    with pytest.raises(InvalidValueError) as info:
        recognition_rate(["满意", "比较满意"], scale="satisfaction_3")
    assert info.value.code == "unknown_answer"


def test_scale_detection_picks_first_matching_scale_in_table_order():
    # §4: cers_5 holds 非常满意 / 比较满意 / 一般; satisfaction_3 labels fall in satisfaction_5.
    assert recognition_rate(["非常满意", "比较满意", "一般"], scale="detect").scale == "cers_5"
    assert recognition_rate(["满意", "基本满意", "不满意"], scale="detect").scale == (
        "satisfaction_5"
    )
    assert recognition_rate([5, 4, "3"], scale="detect").scale == "numeric_1_5"
    with pytest.raises(InvalidValueError) as info:
        recognition_rate(["满意", "非常认可"], scale="detect")
    assert info.value.code == "mixed_scales"


def test_strict_scale_is_never_detected():
    assert SCALES["satisfaction_5_strict"].detectable is False
    result = recognition_rate(["满意", "比较满意"], scale="detect")
    assert result.scale == "satisfaction_5"


def test_built_in_scales_carry_provenance_and_are_read_only():
    assert list(SCALES) == [
        "satisfaction_5",
        "satisfaction_5_strict",
        "satisfaction_3",
        "cers_5",
        "recognition_5",
        "numeric_1_5",
    ]
    for scale in SCALES.values():
        assert scale.tag
        assert scale.source
    assert SCALES["cers_5"].score_map == {
        "非常满意": 100.0,
        "比较满意": 80.0,
        "一般": 60.0,
        "不太满意": 40.0,
        "很不满意": 20.0,
    }
    assert SCALES["satisfaction_5"].score_map is None
    with pytest.raises(TypeError):
        SCALES["mine"] = SCALES["cers_5"]  # type: ignore[index]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        SCALES["cers_5"].levels = ("a",)  # type: ignore[misc]
    assert get_scale("recognition_5").dont_know == ("不了解",)
    with pytest.raises(InvalidArgumentError, match="satisfaction_5"):
        get_scale("satisfaction_7")


def test_user_scale_with_english_labels():
    scale = Scale(
        id="agree_4",
        levels=["Strongly agree", "Agree", "Disagree", "Strongly disagree"],
        dont_know=["Don't know"],
        positive=["strongly agree", "AGREE"],
    )
    assert scale.positive_levels == ("Strongly agree", "Agree")
    answers = ["Strongly agree", "agree", "Disagree", "Don't  know", "strongly   disagree"]
    result = recognition_rate(answers, scale=scale)
    # 2 positive of 4 valid; the don't-know answer is excluded.
    assert result.rate == 0.5
    assert result.scale == "agree_4"
    assert result.n_dont_know == 1


def test_user_scale_validation():
    with pytest.raises(InvalidArgumentError, match="not levels"):
        Scale(id="x", levels=["a", "b"], dont_know=[], positive=["c"])
    with pytest.raises(InvalidArgumentError, match="repeated"):
        Scale(id="x", levels=["满意", "满 意"], dont_know=[], positive=["满意"])
    with pytest.raises(InvalidArgumentError, match="one score per level"):
        Scale(id="x", levels=["a", "b"], dont_know=[], positive=["a"], scores=[100])
    with pytest.raises(EduEquityError):
        Scale(id="x", levels=["a", "b"], dont_know=[], positive=[])


# ---------------------------------------------------------------------------------------------
# Answer parsing: normalisation, blanks, bad labels
# ---------------------------------------------------------------------------------------------


def test_full_width_and_space_normalisation():
    # Ideographic spaces, inner spaces and tabs are removed before matching.
    answers = ["\u3000满 意\u3000", " 比较满意", "基本\t满意", "不 满 意", "不了解 "]
    result = recognition_rate(answers)
    assert result.rate == 0.75
    assert result.n_dont_know == 1


def test_numeric_answers_ints_floats_and_strings():
    # "５" is a full-width 5; 4.0 is the integer 4. Positive set {5, 4}: 3 of 5.
    answers = [5, "４", 4.0, " 3 ", np.int64(1)]
    result = recognition_rate(answers, scale="numeric_1_5")
    assert result.rate == 0.6
    assert result.positive_set == ("5", "4")


def test_blank_answers_are_counted_not_errors():
    answers = ["满意", None, float("nan"), "", "   ", "不满意", pd.NA]
    result = recognition_rate(answers)
    assert result.rate == 0.5
    assert result.n_blank == 5
    assert result.n_excluded == 5
    assert "blank_answer" in result.warning_codes
    assert result.warnings[0].severity == "warning"


def test_unknown_answer_names_position_label_and_scale_labels():
    with pytest.raises(InvalidValueError) as info:
        recognition_rate(["满意", "不满意", "很满意"])
    error = info.value
    assert error.code == "unknown_answer"
    message = str(error)
    assert "position 2" in message
    assert "'很满意'" in message
    for label in ("满意", "比较满意", "基本满意", "不满意", "不了解"):
        assert label in message


def test_unknown_answer_names_series_index_label():
    answers = pd.Series(["满意", "好"], index=["r101", "r102"])
    with pytest.raises(InvalidValueError, match=r"index label r102") as info:
        recognition_rate(answers)
    assert info.value.code == "unknown_answer"


def test_unknown_answer_is_a_value_error():
    with pytest.raises(ValueError, match="position 0"):
        recognition_rate(["excellent"])


@pytest.mark.parametrize("bad", [6, 0, 4.5, "7"])
def test_numeric_answer_out_of_range(bad):
    with pytest.raises(InvalidValueError) as info:
        recognition_rate([5, bad], scale="numeric_1_5")
    assert info.value.code == "answer_out_of_range"
    assert "position 1" in str(info.value)


def test_all_blank_is_undefined_with_warning():
    with pytest.warns(DegenerateDataWarning, match="undefined"):
        result = recognition_rate([None, "不了解", ""])
    assert result.status == "undefined"
    assert math.isnan(result.rate)
    assert result.passed is False
    assert result.ci_status == "undefined"
    assert result.to_dict()["rate"] is None


# ---------------------------------------------------------------------------------------------
# Mean-score mode (§5.2)
# ---------------------------------------------------------------------------------------------


def test_likert_mean_score_example_section_5_2():
    # §5.2: a mean of 3.56 on the 1-5 scale is a score of 71.2. 56 fours and 44 threes:
    # mean = (56×4 + 44×3) / 100 = 356 / 100 = 3.56; score = 20 × 3.56 = 71.2.
    answers = [4] * 56 + ["3"] * 44
    result = recognition_rate(answers, scale="numeric_1_5", mode="mean_score")
    assert result.score == pytest.approx(71.2, rel=1e-13)
    assert result.estimate == result.score
    assert result.passed is False
    assert result.rate == 0.56
    assert result.ci_method == "normal_approximate"
    assert result.mode == "mean_score"


def test_mean_score_at_85_points_passes_and_normal_interval():
    # Scores 100, 80, 80, 80: mean 85 = 100 × 0.85 -> passes (bound included).
    # Population SD = sqrt((15² + 3 × 5²) / 4) = sqrt(75); half = z × sqrt(75) / sqrt(4).
    result = recognition_rate([5, 4, 4, 4], scale="numeric_1_5", mode="mean_score")
    assert result.score == 85.0
    assert result.passed is True
    half = Z95 * math.sqrt(75) / 2
    assert result.ci_low == pytest.approx(85 - half, rel=1e-12)
    assert result.ci_high == pytest.approx(85 + half, rel=1e-12)


def test_mean_score_on_satisfaction_scale_needs_a_map():
    with pytest.raises(InvalidArgumentError) as info:
        recognition_rate(["满意", "不满意"], mode="mean_score")
    assert info.value.code == "no_score_map"
    score_map = {"满意": 100, "比较满意": 80, "基本满意": 60, "不满意": 0}
    # (100 + 80 + 0) / 3 = 60; don't-know answers carry no score and are left out.
    result = recognition_rate(
        ["满意", "比较满意", "不满意", "不了解"], mode="mean_score", score_map=score_map
    )
    assert result.score == 60.0
    assert result.n_excluded == 1
    assert dict(result.score_map) == {
        "满意": 100.0,
        "比较满意": 80.0,
        "基本满意": 60.0,
        "不满意": 0.0,
    }
    with pytest.raises(InvalidArgumentError) as partial:
        recognition_rate(["满意"], mode="mean_score", score_map={"满意": 100})
    assert partial.value.code == "no_score_map"


def test_mean_score_rejects_dont_know_not_positive():
    with pytest.raises(InvalidArgumentError, match="don't-know"):
        recognition_rate([5], scale="numeric_1_5", mode="mean_score", dont_know="not_positive")


# ---------------------------------------------------------------------------------------------
# Group weighting (§6)
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def three_groups():
    # parent: 8 answers, 6 positive (r = 0.75); teacher: 4 answers, 2 positive (r = 0.5);
    # public: 2 answers, 1 positive (r = 0.5).
    answers = ["满意"] * 6 + ["不满意"] * 2 + ["比较满意"] * 2 + ["不满意"] * 2 + ["满意", "不满意"]
    groups = ["家长"] * 8 + ["教师"] * 4 + ["群众"] * 2
    return answers, groups


def test_pooled_rate(three_groups):
    answers, groups = three_groups
    result = recognition_rate(answers, groups=groups)
    assert result.rate == pytest.approx(9 / 14, rel=1e-15)
    assert result.weighting == "pooled"
    assert result.n_eff == 14.0


def test_equal_groups_rate(three_groups):
    answers, groups = three_groups
    result = recognition_rate(answers, groups=groups, group_weights="equal_groups")
    # (0.75 + 0.5 + 0.5) / 3 = 0.58333...
    assert result.rate == pytest.approx(1.75 / 3, rel=1e-15)
    assert result.pooled_rate == pytest.approx(9 / 14, rel=1e-15)
    assert [g.share for g in result.groups] == pytest.approx([1 / 3] * 3)


def test_national_design_rate_and_kish(three_groups):
    answers, groups = three_groups
    result = recognition_rate(answers, groups=groups, group_weights="national_design")
    # 0.5 × 0.75 + 0.25 × 0.5 + 0.25 × 0.5 = 0.625.
    assert result.rate == pytest.approx(0.625, rel=1e-15)
    assert result.weighting == "national_design"
    assert {g.group: g.share for g in result.groups} == pytest.approx(
        {"parent": 0.5, "teacher": 0.25, "public": 0.25}
    )
    # v = 0.5/8 = 1/16 (8 parents), 0.25/4 = 1/16 (4 teachers), 0.25/2 = 1/8 (2 public):
    # Σv = 1, Σv² = 12/256 + 8/256 = 20/256, n_eff = 256/20 = 12.8.
    assert result.n_eff == pytest.approx(12.8, rel=1e-13)
    low, high = textbook_wilson(0.625, 12.8)
    assert result.ci_low == pytest.approx(low, rel=1e-12)
    assert result.ci_high == pytest.approx(high, rel=1e-12)


def test_fixed_shares_rate(three_groups):
    answers, groups = three_groups
    shares = {"parent": 0.6, "教师": 0.3, "public": 0.1}
    result = recognition_rate(answers, groups=groups, group_weights=shares)
    # 0.6 × 0.75 + 0.3 × 0.5 + 0.1 × 0.5 = 0.65.
    assert result.rate == pytest.approx(0.65, rel=1e-15)
    assert result.weighting == "fixed_shares"


def test_group_table(three_groups):
    answers, groups = three_groups
    result = recognition_rate(answers, groups=groups)
    assert [g.group for g in result.groups] == ["parent", "teacher", "public"]
    parent = result.groups[0]
    assert isinstance(parent, GroupRate)
    assert (parent.n_valid, parent.n_positive, parent.rate, parent.weight_sum) == (8, 6, 0.75, 8.0)
    frame = result.groups_frame()
    assert list(frame.index) == ["parent", "teacher", "public"]
    assert frame.loc["teacher", "rate"] == 0.5
    assert frame.loc["public", "n_valid"] == 2
    # Every group has fewer than 30 valid answers.
    assert result.warning_codes.count("small_group") == 3


def test_bad_shares(three_groups):
    answers, groups = three_groups
    for shares in (
        {"parent": 0.5, "teacher": 0.3, "public": 0.1},  # sums to 0.9
        {"parent": 0.7, "teacher": 0.3},  # public has answers but no share
        {"parent": 1.2, "teacher": -0.1, "public": -0.1},  # negative shares
    ):
        with pytest.raises(InvalidArgumentError) as info:
            recognition_rate(answers, groups=groups, group_weights=shares)
        assert info.value.code == "bad_shares"


def test_shares_within_tolerance_accepted(three_groups):
    answers, groups = three_groups
    shares = {"parent": 0.6 + 5e-10, "teacher": 0.3, "public": 0.1}
    result = recognition_rate(answers, groups=groups, group_weights=shares)
    assert result.rate == pytest.approx(0.65, rel=1e-9)


def test_empty_group(three_groups):
    answers, groups = three_groups
    with pytest.raises(InvalidValueError) as info:
        recognition_rate(
            answers,
            groups=groups,
            group_weights={"parent": 0.5, "teacher": 0.2, "public": 0.1, "student": 0.2},
        )
    assert info.value.code == "empty_group"
    assert "student" in str(info.value)
    with pytest.raises(InvalidValueError) as no_parent:
        recognition_rate(["满意"], groups=["教师"], group_weights="national_design")
    assert no_parent.value.code == "empty_group"


def test_group_with_only_dont_know_answers_is_empty():
    with pytest.raises(InvalidValueError) as info:
        recognition_rate(
            ["满意", "不了解"],
            groups=["家长", "教师"],
            group_weights={"parent": 0.5, "teacher": 0.5},
        )
    assert info.value.code == "empty_group"


def test_zero_share_group_is_left_out(three_groups):
    answers, groups = three_groups
    result = recognition_rate(
        answers, groups=groups, group_weights={"parent": 0.5, "teacher": 0.5, "public": 0}
    )
    assert result.rate == pytest.approx(0.625, rel=1e-15)


def test_base_weights_and_kish():
    # (1 + 3) / (1 + 2 + 3) = 2/3; n_eff = 6² / (1 + 4 + 9) = 36/14.
    result = recognition_rate(["满意", "不满意", "满意"], weights=[1, 2, 3])
    assert result.rate == pytest.approx(2 / 3, rel=1e-15)
    assert result.n_eff == pytest.approx(36 / 14, rel=1e-15)


@pytest.mark.parametrize("bad", [[1, 0], [1, -2], [1, float("nan")], [1, "abc"], [1, math.inf]])
def test_invalid_weight(bad):
    with pytest.raises(EduEquityError) as info:
        recognition_rate(["满意", "不满意"], weights=bad)
    assert info.value.code == "invalid_weight"


def test_location_shares():
    # urban 3/4, rural 1/4; π = {urban 0.4, rural 0.6}: 0.4 × 0.75 + 0.6 × 0.25 = 0.45.
    answers = ["满意"] * 3 + ["不满意"] + ["满意"] + ["不满意"] * 3
    locations = ["城区"] * 4 + ["乡村"] * 4
    result = recognition_rate(
        answers, locations=locations, location_shares={"urban": 0.4, "rural": 0.6}
    )
    assert result.rate == pytest.approx(0.45, rel=1e-15)
    assert result.pooled_rate == 0.5
    assert result.location_weighting == "location_shares"
    assert [x.location for x in result.locations] == ["urban", "rural"]
    assert result.locations_frame().loc["rural", "rate"] == 0.25


def test_group_and_location_shares_combined():
    # Cells (parent, urban) 2/2, (parent, rural) 1/2, (teacher, urban) 0/1, (teacher, rural) 1/1;
    # Σ s_g π_l r_gl = .5×.4×1 + .5×.6×.5 + .5×.4×0 + .5×.6×1 = 0.65.
    answers = ["满意", "满意", "满意", "不满意", "不满意", "满意"]
    groups = ["家长"] * 4 + ["教师"] * 2
    locations = ["urban", "urban", "rural", "rural", "urban", "rural"]
    result = recognition_rate(
        answers,
        groups=groups,
        group_weights={"parent": 0.5, "teacher": 0.5},
        locations=locations,
        location_shares={"urban": 0.4, "rural": 0.6},
    )
    assert result.rate == pytest.approx(0.65, rel=1e-15)
    with pytest.raises(InvalidValueError) as info:
        recognition_rate(
            answers[:5],
            groups=groups[:5],
            group_weights={"parent": 0.5, "teacher": 0.5},
            locations=locations[:5],
            location_shares={"urban": 0.4, "rural": 0.6},
        )
    assert info.value.code == "empty_group"
    assert "(teacher, rural)" in str(info.value)


# ---------------------------------------------------------------------------------------------
# Respondent-group aliases and errors
# ---------------------------------------------------------------------------------------------


def test_group_aliases_of_data_schema():
    for alias, expected in {"家长": "parent", "学生家长": "parent", "老师": "teacher"}.items():
        assert GROUP_ALIASES[alias] == expected
    groups = ["学生家长", "Parent", "政协委员", "人大代表", "社会公众", "校长", "学生"]
    result = recognition_rate(["满意"] * 7, groups=groups)
    assert [g.group for g in result.groups] == [
        "parent",
        "student",
        "principal",
        "deputy",
        "cppcc_member",
        "public",
    ]


def test_unknown_and_ambiguous_groups():
    with pytest.raises(InvalidValueError) as unknown:
        recognition_rate(["满意", "满意"], groups=["家长", "外来人员"])
    assert unknown.value.code == "unknown_value"
    assert "position 1" in str(unknown.value)
    with pytest.raises(InvalidValueError) as ambiguous:
        recognition_rate(["满意"], groups=["人大代表、政协委员"])
    assert ambiguous.value.code == "ambiguous_group"
    mapped = recognition_rate(
        ["满意"], groups=["人大代表、政协委员"], group_map={"人大代表、政协委员": "deputy"}
    )
    assert mapped.groups[0].group == "deputy"
    with pytest.raises(InvalidValueError) as missing:
        recognition_rate(["满意", "满意"], groups=["家长", None])
    assert missing.value.code == "missing_value"


# ---------------------------------------------------------------------------------------------
# Respondents (§5.3) and grades
# ---------------------------------------------------------------------------------------------


def test_respondent_unit_averages_within_respondent():
    # r1: 满意, 不满意 -> 0.5; r2: 满意 -> 1; r3: 满意 -> 1. Respondents: 2.5/3; answers: 3/4.
    answers = ["满意", "不满意", "满意", "满意"]
    ids = ["r1", "r1", "r2", "r3"]
    by_respondent = recognition_rate(answers, respondent_ids=ids, unit="respondent")
    assert by_respondent.rate == pytest.approx(2.5 / 3, rel=1e-15)
    assert by_respondent.n_respondents == 3
    assert by_respondent.n_scored == 3
    assert "clustered_answers" not in by_respondent.warning_codes
    by_answer = recognition_rate(answers, respondent_ids=ids)
    assert by_answer.rate == 0.75
    assert "clustered_answers" in by_answer.warning_codes


def test_respondent_unit_needs_ids_and_consistent_rows():
    with pytest.raises(InvalidArgumentError, match="respondent_ids"):
        recognition_rate(["满意"], unit="respondent")
    with pytest.raises(InvalidValueError) as info:
        recognition_rate(["满意", "满意"], respondent_ids=["r1", "r1"], groups=["家长", "教师"])
    assert info.value.code == "respondent_inconsistent"
    assert "'r1'" in str(info.value)


def test_students_below_grade_3_are_excluded():
    answers = ["满意", "不满意", "满意", "不满意"]
    groups = ["学生", "学生", "学生", "家长"]
    result = recognition_rate(answers, groups=groups, grades=[2, 4, 5, None])
    # The grade-2 answer leaves: 1 positive of 3.
    assert result.rate == pytest.approx(1 / 3, rel=1e-15)
    assert result.n_below_grade == 1
    assert result.n_excluded == 1
    assert "student_below_grade_3" in result.warning_codes
    with pytest.raises(InvalidValueError) as info:
        recognition_rate(answers, groups=groups, grades=[2, 4, 10, None])
    assert info.value.code == "grade_out_of_range"


# ---------------------------------------------------------------------------------------------
# Result record
# ---------------------------------------------------------------------------------------------


def test_result_to_dict_is_json_safe(three_groups):
    answers, groups = three_groups
    result = recognition_rate([*answers, None], groups=[*groups, "家长"])
    assert isinstance(result, RecognitionResult)
    data = result.to_dict()
    text = json.dumps(data, ensure_ascii=False)
    assert '"scale": "satisfaction_5"' in text
    assert data["groups"][0]["group"] == "parent"
    assert data["warnings"][0]["code"] == "blank_answer"
    assert data["positive_set"] == list(POSITIVE_5)


def test_two_component_variant():
    # questionnaire 9/10 passes; field visit 17/20 passes (bound included) -> county passes.
    answers = ["满意"] * 9 + ["不满意"] + ["满意"] * 17 + ["不满意"] * 3
    components = ["问卷调查"] * 10 + ["实地走访"] * 20
    result = recognition_by_component(answers, components=components)
    assert result.passed is True
    assert [c.component for c in result.components] == ["questionnaire", "field_visit"]
    assert [c.result.rate for c in result.components] == [0.9, 0.85]
    strict = recognition_by_component(
        answers, components=components, threshold={"field_visit": 0.9}
    )
    assert strict.passed is False
    only_one = recognition_by_component(["满意"] * 10, components=["questionnaire"] * 10)
    assert only_one.passed is False
    assert only_one.missing == ("field_visit",)


def test_two_component_split_keeps_groups_aligned():
    # Field-visit answers: parent 满意, teacher 不满意 -> group rates 1 and 0.
    answers = ["不满意", "满意", "满意", "不满意"]
    components = ["questionnaire", "questionnaire", "field_visit", "field_visit"]
    groups = ["家长", "教师", "家长", "教师"]
    result = recognition_by_component(answers, components=components, groups=groups)
    field = result.components[1].result
    assert {g.group: g.rate for g in field.groups} == {"parent": 1.0, "teacher": 0.0}


def test_bad_options():
    with pytest.raises(InvalidArgumentError):
        recognition_rate(["满意"], mode="median")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError):
        recognition_rate(["满意"], group_weights="by_size", groups=["家长"])
    with pytest.raises(InvalidArgumentError):
        recognition_rate(["满意"], group_weights="equal_groups")
    with pytest.raises(InvalidArgumentError):
        recognition_rate(["满意"], threshold=85)
    with pytest.raises(InvalidArgumentError):
        recognition_rate(["满意"], scale="likert_7")


# ---------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------

LABELS_5 = ["满意", "比较满意", "基本满意", "不满意", "不了解"]
GROUPS = ["parent", "student", "teacher", "public"]


@st.composite
def surveys(draw, min_size=1, max_size=60):
    n = draw(st.integers(min_value=min_size, max_value=max_size))
    answers = draw(st.lists(st.sampled_from(LABELS_5[:4]), min_size=n, max_size=n))
    groups = draw(st.lists(st.sampled_from(GROUPS), min_size=n, max_size=n))
    weights = draw(
        st.lists(st.floats(min_value=0.1, max_value=10, allow_nan=False), min_size=n, max_size=n)
    )
    return answers, groups, weights


@settings(max_examples=100, deadline=None)
@given(surveys(), st.randoms(use_true_random=False))
def test_permutation_invariance(survey, rng):
    answers, groups, weights = survey
    order = list(range(len(answers)))
    rng.shuffle(order)
    for group_weights in (None, "equal_groups"):
        first = recognition_rate(
            answers, groups=groups, weights=weights, group_weights=group_weights
        )
        second = recognition_rate(
            [answers[i] for i in order],
            groups=[groups[i] for i in order],
            weights=[weights[i] for i in order],
            group_weights=group_weights,
        )
        assert second.rate == pytest.approx(first.rate, rel=1e-12, abs=1e-15)
        assert second.n_eff == pytest.approx(first.n_eff, rel=1e-12)
        assert second.passed == first.passed
        assert [g.rate for g in second.groups] == pytest.approx([g.rate for g in first.groups])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(LABELS_5), min_size=1, max_size=80))
def test_pooled_equal_weights_is_count_ratio(answers):
    positive = sum(a in POSITIVE_5 for a in answers)
    valid = sum(a != "不了解" for a in answers)
    if valid == 0:
        with pytest.warns(DegenerateDataWarning):
            recognition_rate(answers)
        return
    result = recognition_rate(answers)
    assert result.rate == pytest.approx(positive / valid, rel=1e-15)
    assert result.passed == (Fraction(positive, valid) >= Fraction(17, 20))
    assert result.n_eff == pytest.approx(valid, rel=1e-12)


@settings(max_examples=100, deadline=None)
@given(
    st.integers(min_value=1, max_value=4),
    st.integers(min_value=1, max_value=15),
    st.data(),
)
def test_equal_groups_with_equal_sizes_equals_pooled(n_groups, size, data):
    answers = []
    groups = []
    for group in GROUPS[:n_groups]:
        answers += data.draw(st.lists(st.sampled_from(LABELS_5[:4]), min_size=size, max_size=size))
        groups += [group] * size
    pooled = recognition_rate(answers, groups=groups)
    equal = recognition_rate(answers, groups=groups, group_weights="equal_groups")
    assert equal.rate == pytest.approx(pooled.rate, rel=1e-12, abs=1e-15)
    assert equal.passed == pooled.passed
    assert equal.n_eff == pytest.approx(pooled.n_eff, rel=1e-12)


# ---------------------------------------------------------------------------------------------
# Design checks (§3)
# ---------------------------------------------------------------------------------------------


def _items(check):
    return {
        (item.check if item.subject is None else f"{item.check}:{item.subject}"): item
        for item in check.items
    }


@pytest.mark.parametrize(
    ("population", "national", "basic"),
    [
        (200_000, 300, 600),  # 0.0015 × 200 000 = 300; basic balance: 600 below 400 000
        (399_999, 600, 600),  # ceil(599.9985) = 600; basic balance: 600
        (400_000, 600, 600),  # 0.0015 × 400 000 = 600 exactly
        (400_001, 601, 601),  # ceil(600.0015) = 601
        (1_000_000, 1500, 1500),
    ],
)
def test_required_sample_sizes(population, national, basic):
    assert get_design_preset("national_2024").required_sample(population) == national
    assert get_design_preset("basic_balance_2012").required_sample(population) == basic


@pytest.mark.parametrize(
    ("preset", "population", "size"),
    [
        ("preschool_jiyuan", 199_999, 200),
        ("preschool_jiyuan", 200_000, 300),  # a boundary goes to the higher tier (§2.3)
        ("preschool_jiyuan", 999_999, 900),
        ("preschool_jiyuan", 1_000_000, 1000),
        ("jiangsu_modernisation", 800_000, 300),  # 400 only if the population exceeds 800 000
        ("jiangsu_modernisation", 800_001, 400),
    ],
)
def test_tiered_sample_sizes(preset, population, size):
    assert DESIGN_PRESETS[preset].required_sample(population) == size


@pytest.fixture
def national_sample():
    # 300 parents, 150 teachers, 100 students, 50 deputies = 600 respondents.
    groups = ["家长"] * 300 + ["教师"] * 150 + ["学生"] * 100 + ["人大代表"] * 50
    # urban 270 (0.45), town 210 (0.35), rural 120 (0.20).
    locations = ["城区"] * 270 + ["镇区"] * 210 + ["乡村"] * 120
    # students: 50 in grade 3, 30 in grade 4, 20 in grade 2.
    grades = [None] * 450 + [3] * 50 + [4] * 30 + [2] * 20 + [None] * 50
    return groups, locations, grades


def test_design_check_national_2024(national_sample):
    groups, locations, grades = national_sample
    check = check_design(
        groups,
        resident_population=500_000,
        locations=locations,
        location_distribution={"urban": 0.5, "town": 0.3, "rural": 0.2},
        grades=grades,
    )
    items = _items(check)
    # ceil(0.0015 × 500 000) = 750 > 600.
    assert (items["sample_size"].expected, items["sample_size"].achieved) == (750, 600)
    assert items["sample_size"].status == "not_met"
    assert items["sample_size"].shortfall == 150
    # 300 / 600 = 0.5 exactly: met ("in principle", not enforced).
    assert items["parent_share"].status == "ok"
    assert items["parent_share"].enforced is False
    # teachers 150 / deputies 50 = 3 > 2; the smallest group needs 150/2 - 50 = 25 more.
    assert items["other_groups_balance"].achieved == 3.0
    assert items["other_groups_balance"].status == "not_met"
    assert items["other_groups_balance"].shortfall == 25
    # |0.45 - 0.5| = 0.05 and |0.35 - 0.3| = 0.05: on the tolerance, met (exact comparison).
    assert items["location_proportional:urban"].status == "ok"
    assert items["location_proportional:town"].status == "ok"
    assert items["location_proportional:rural"].achieved == 0.2
    # 20 students in grade 2.
    assert items["student_grade"].status == "not_met"
    assert items["student_grade"].achieved == 2.0
    # grades 3: 50, 4: 30, 2: 20 -> 50/20 = 2.5 > 2; grade 2 needs 25 - 20 = 5 more.
    assert items["grade_balance"].achieved == 2.5
    assert items["grade_balance"].shortfall == 5
    assert check.status == "not_met"
    assert check.shortfalls == {"sample_size": 150, "other_groups_balance": 25, "grade_balance": 5}
    assert check.n_respondents == 600
    assert dict(check.group_counts) == {"parent": 300, "student": 100, "teacher": 150, "deputy": 50}
    json.dumps(check.to_dict(), ensure_ascii=False)
    assert list(check.frame()["check"])[:3] == [
        "sample_size",
        "parent_share",
        "other_groups_balance",
    ]


def test_parent_share_shortfall_is_reported_not_enforced():
    # 200 parents of 600: (200 + k) / (600 + k) >= 1/2 needs k >= 200.
    groups = ["家长"] * 200 + ["教师"] * 200 + ["学生"] * 200
    check = check_design(groups, resident_population=400_000)
    items = _items(check)
    assert items["parent_share"].status == "not_met"
    assert items["parent_share"].shortfall == 200
    assert check.shortfalls["parent_share"] == 200
    # Not enforced; the remaining checks that are evaluable are met.
    assert items["sample_size"].status == "ok"
    assert check.status == "incomplete"  # locations and grades were not given


def test_design_check_basic_balance_2012():
    # 300 parents, 200 teachers, 100 deputies: 600 respondents; 400 000 residents need 600.
    groups = ["家长"] * 300 + ["教师"] * 200 + ["人大代表"] * 100
    check = check_design(
        groups, resident_population=399_999, preset="basic_balance_2012", issued=860
    )
    items = _items(check)
    assert items["sample_size"].expected == 600
    assert items["sample_size"].status == "ok"
    assert items["parent_share"].status == "ok"
    assert items["parent_share"].enforced is True
    assert items["other_groups_balance"].achieved == 2.0
    assert items["other_groups_balance"].status == "ok"
    # 600 / 860 = 0.6977 < 0.70; ceil(0.7 × 860) = 602 valid returns needed: 2 more.
    assert items["valid_return_rate"].status == "not_met"
    assert items["valid_return_rate"].shortfall == 2
    assert check.status == "not_met"
    assert "location_proportional" not in items
    ok = check_design(groups, resident_population=400_000, preset="basic_balance_2012", issued=857)
    # 600 / 857 = 0.70012 >= 0.70.
    assert _items(ok)["valid_return_rate"].status == "ok"
    assert ok.status == "ok"
    exact = check_design(
        groups, resident_population=400_000, preset="basic_balance_2012", issued=600
    )
    assert _items(exact)["valid_return_rate"].achieved == 1.0


def test_basic_balance_600_rule_at_the_boundary():
    groups = ["家长"] * 300 + ["教师"] * 150 + ["学生"] * 149
    for population in (399_999, 400_000):
        items = _items(
            check_design(groups, resident_population=population, preset="basic_balance_2012")
        )
        assert items["sample_size"].expected == 600
        assert items["sample_size"].shortfall == 1
        assert items["valid_return_rate"].status == "not_evaluable"
    items = _items(check_design(groups, resident_population=400_001, preset="basic_balance_2012"))
    assert items["sample_size"].expected == 601
    assert items["sample_size"].shortfall == 2


def test_design_counts_distinct_respondents_with_a_valid_answer():
    # Respondent p1 answers three items; p2 only blanks (invalid); t1 one item.
    groups = ["家长", "家长", "家长", "家长", "教师"]
    ids = ["p1", "p1", "p1", "p2", "t1"]
    valid = [True, True, False, False, True]
    check = check_design(groups, resident_population=1000, respondent_ids=ids, valid=valid)
    assert check.n_respondents == 2
    assert dict(check.group_counts) == {"parent": 1, "teacher": 1}
    # ceil(0.0015 × 1000) = 2.
    assert _items(check)["sample_size"].status == "ok"


def test_design_fixed_group_shares_jiyuan():
    # 70 parents, 20 teachers, 5 principals, 3 deputies + 2 CPPCC members: all on target.
    groups = ["家长"] * 70 + ["教师"] * 20 + ["校长"] * 5 + ["人大代表"] * 3 + ["政协委员"] * 2
    check = check_design(groups, resident_population=150_000, preset="preschool_jiyuan")
    items = _items(check)
    assert items["sample_size"].expected == 200
    assert items["sample_size"].shortfall == 100
    assert items["group_share:deputy+cppcc_member"].achieved == 0.05
    assert all(item.status == "ok" for key, item in items.items() if key.startswith("group_share"))
    # Teachers at 17% are outside 20% ± 2%: (17 + k) / (100 + k) >= 0.18 needs k >= 1.22 -> 2.
    skewed = ["家长"] * 73 + ["教师"] * 17 + ["校长"] * 5 + ["人大代表"] * 5
    teacher = _items(check_design(skewed, resident_population=1, preset="preschool_jiyuan"))[
        "group_share:teacher"
    ]
    assert teacher.status == "not_met"
    assert teacher.shortfall == 2


def test_design_location_targets_jiangsu():
    # urban + town 45 of 100 = 0.45 (target 0.4 ± 0.05: met); rural 55 (0.6 ± 0.05: met).
    groups = ["家长"] * 100
    locations = ["城区"] * 30 + ["镇区"] * 15 + ["乡村"] * 55
    check = check_design(
        groups, resident_population=900_000, preset="jiangsu_modernisation", locations=locations
    )
    items = _items(check)
    assert items["sample_size"].expected == 400
    assert items["location_share:urban+town"].achieved == 0.45
    assert items["location_share:urban+town"].status == "ok"
    assert items["location_share:rural"].status == "ok"


def test_design_not_evaluable_without_inputs():
    check = check_design(["家长", "教师"], resident_population=1000)
    items = _items(check)
    assert items["location_proportional"].status == "not_evaluable"
    assert items["student_grade"].status == "not_evaluable"
    assert items["grade_balance"].status == "not_evaluable"
    assert check.status == "incomplete"


def test_user_design_preset():
    preset = DesignPreset(
        id="county_pre_survey",
        title="A county pre-survey",
        tag="user",
        source="county plan",
        sample_rate=0.001,
        parent_share_min=0.6,
    )
    check = check_design(["家长"] * 6 + ["教师"] * 4, resident_population=10_000, preset=preset)
    items = _items(check)
    assert items["sample_size"].expected == 10
    assert items["parent_share"].status == "ok"
    assert check.status == "ok"


def test_design_check_bad_input():
    with pytest.raises(InvalidArgumentError):
        check_design(["家长"], resident_population=0)
    with pytest.raises(InvalidArgumentError):
        check_design(["家长"], resident_population=1000, preset="national_2030")
    with pytest.raises(InvalidValueError) as info:
        check_design(["家长"] * 3, resident_population=1000, preset="basic_balance_2012", issued=2)
    assert info.value.code == "count_inconsistent"
    with pytest.raises(InvalidArgumentError) as shares:
        check_design(
            ["家长"],
            resident_population=1000,
            locations=["城区"],
            location_distribution={"urban": 0.5, "rural": 0.4},
        )
    assert shares.value.code == "bad_shares"
