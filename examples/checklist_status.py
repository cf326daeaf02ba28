"""Track the 2021 creation checklist (攻坚清单) of a city's counties.

Reads the synthetic status records of the demo city 示范市 (one row per county and item: the 3
selection conditions, the 4 basic tasks and the 20 items of the checklist), takes the
basic-balance recognition years from the county register, and prints each county's completion
rate, its eligibility for recommendation and what it still has to do.
"""

from eduequity.checklist import evaluate_checklist, read_checklist_records
from eduequity.city import read_register
from eduequity.datasets import demo_path


def main() -> None:
    records = read_checklist_records(str(demo_path("demo_city_checklist.csv")), today="2025-06-30")
    register = read_register(str(demo_path("demo_city_register.csv"))).frame
    years = register.groupby("county")["basic_balance_year"].max()
    evaluation = evaluate_checklist(records, reference_year=2025, basic_balance_years=years)

    summary = evaluation.summary_frame().set_index("county")
    print("county: completion of the 20 items (selected), verified share, eligibility")
    for county, row in summary.iterrows():
        print(
            f"  {county}: {row['rate_all']:.0%} done, {row['verified_rate']:.0%} verified, "
            f"{row['eligibility']}"
        )
    missing = evaluation.missing_frame()
    print("still to do (first three per county):")
    for county, items in missing.groupby("county", sort=True):
        first = items.head(3)
        codes = "; ".join(
            f"{code} {text}" for code, text in zip(first["code"], first["text_zh"], strict=True)
        )
        print(f"  {county}: {len(items)} open — {codes}")


if __name__ == "__main__":
    main()
