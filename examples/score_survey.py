"""Score the demo county's social-recognition survey (社会认可度) and check its design.

Run:  python examples/score_survey.py

The national scoring rule is not public, so the library's defaults are a documented reading
(docs: The national method, Part 4): the positive share of valid answers, 不了解 (don't know) left
out of the denominator, blanks counted as invalid returns, pass at 0.85 or more. A stricter
reading counts only 满意 and 比较满意 as positive.
"""

from eduequity.core import check_design, recognition_rate, wilson_interval
from eduequity.datasets import load_demo_county


def main() -> None:
    survey = load_demo_county().survey  # 1500 synthetic answers on the satisfaction_5 scale

    default = recognition_rate(survey["answer"], groups=survey["respondent_group"])
    print("Default reading {满意, 比较满意, 基本满意}:")
    print(f"  rate {default.rate:.4f} -> passed={default.passed}")
    print(f"  95% Wilson interval ({default.ci_low:.3f}, {default.ci_high:.3f})")

    strict = recognition_rate(survey["answer"], scale="satisfaction_5_strict")
    print("Strict reading {满意, 比较满意}:")
    print(f"  rate {strict.rate:.4f} -> passed={strict.passed}")

    # The advisory interval is Wilson's score interval; computed directly it is the same.
    positive = int((survey["answer"].isin(["满意", "比较满意", "基本满意"])).sum())
    valid = int(survey["answer"].isin(["满意", "比较满意", "基本满意", "不满意"]).sum())
    interval = wilson_interval(positive / valid, valid, confidence=0.95)
    print(f"\nwilson_interval({positive}/{valid}) = ({interval.low:.3f}, {interval.high:.3f})")

    # Rates per respondent group (家长, 学生, 教师, ...).
    print("\nBy respondent group:")
    print(default.groups_frame()[["n_valid", "n_positive", "rate"]].round(4).to_string())

    # Does the sample follow the 2024 national design (1.5‰ of residents, ≥ 50% parents, ...)?
    # The resident population is an assumption of this example: 示范县 is synthetic. Without
    # the residents' urban/town/rural distribution (location_distribution=) the location check
    # is reported as not evaluable; the checks are advisory and never change the decision.
    design = check_design(
        survey["respondent_group"],
        resident_population=520_000,
        respondent_ids=survey["respondent_id"],
        grades=survey["grade"],
    )
    print(f"\nSurvey design (national_2024, 520 000 residents): {design.status}")
    for item in design.items:
        achieved = "n/a" if item.achieved is None else f"{item.achieved:.4g}"
        print(
            f"  {item.check:<22} {item.status:<14} achieved {achieved} "
            f"{item.comparator} {item.expected:g}"
        )


if __name__ == "__main__":
    main()
