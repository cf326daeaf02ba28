"""Assess resource allocation (Part 1) for every county of the demo city and rank them.

Run:  python examples/compare_counties.py

``assess_counties`` computes the seven inter-school coefficients of variation (差异系数) of
every county and stage at once, vectorized, so a national table takes seconds. Here the four
units of the synthetic 示范市 are ranked by their worst CV gap: the largest amount by which
one of their CVs exceeds its limit (0.50 primary, 0.45 junior); a negative gap means every
CV is within its limit with that much room to spare.
"""

import pandas as pd

from eduequity.datasets import demo_path
from eduequity.national import RULES_2017, assess_counties


def main() -> None:
    rules = RULES_2017
    summary = assess_counties(demo_path("demo_city_schools.csv"), rules)

    # One row per (county, stage); the CV columns are named cv_<indicator>.
    cv = summary.filter(like="cv_")
    stages = summary.index.get_level_values("stage")
    # The limits come from the rule set, with their source, never from a literal in code.
    limits = pd.Series(
        [rules.number(f"resource.cv_limit.{stage}") for stage in stages], index=summary.index
    )
    gaps = cv.sub(limits, axis=0)

    worst = pd.DataFrame(
        {
            "worst_gap": gaps.max(axis=1),
            "worst_indicator": gaps.idxmax(axis=1).str.removeprefix("cv_"),
            "limit": limits,
            "cvs_over_limit": (gaps > 0).sum(axis=1),
            "sections_failing": summary["n_sections_failing"],
        }
    )
    # A county's rank is that of its worse stage.
    by_county = worst.sort_values("worst_gap", ascending=False).groupby(level="county").head(1)
    ranking = by_county.reset_index().sort_values("worst_gap", ascending=False)
    ranking.insert(0, "rank", range(1, len(ranking) + 1))

    print("Counties of 示范市 ranked by their worst CV gap (CV minus its limit):\n")
    wide = {"display.width": 120, "display.unicode.east_asian_width": True}
    with pd.option_context(*(item for pair in wide.items() for item in pair)):
        print(ranking.round(3).to_string(index=False))

    passed = summary.groupby(level="county")["passed"].all()
    print(f"\nPart 1 passed in {int(passed.sum())} of {len(passed)} counties.")
    record = summary.attrs["eduequity"]  # the audit record: exclusions, merges, rules
    print(f"{len(record.excluded)} schools were excluded (reasons in record.excluded).")


if __name__ == "__main__":
    main()
