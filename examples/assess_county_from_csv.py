"""Assess the synthetic demo county 示范县 from its CSV files and save the result as JSON.

Run:  python examples/assess_county_from_csv.py [OUTPUT.json]

The four bundled tables (school table, county facts, survey answers, monitoring results) are
plain CSV files with the canonical columns of the docs page Input tables; your own files may use the
Chinese headers of the statistics forms instead. Without OUTPUT the JSON document goes to the
temporary directory.
"""

import json
import sys
import tempfile
from pathlib import Path

from eduequity.datasets import demo_path
from eduequity.national import assess_county


def main() -> None:
    # demo_path() gives the bundled files; replace them with the paths of your own tables.
    schools = demo_path("demo_county_schools.csv")
    facts = demo_path("demo_county_facts.csv")
    survey = demo_path("demo_county_survey.csv")
    monitoring = demo_path("demo_county_monitoring.csv")

    # One county, all parts of the 2017 method (教督〔2017〕6号, the default rule set).
    assessment = assess_county(schools, facts, survey, monitoring=monitoring)

    print(f"county:  {assessment.county}, school year {assessment.year}")
    print(f"verdict: {assessment.status}")  # pass / fail / incomplete
    for part, result in assessment.parts.items():
        print(f"  {part:<22} {result.status}")

    # Every failing item carries its value, the limit it missed and the rule's source.
    print(f"\n{len(assessment.failures)} failing items:")
    for failure in assessment.failures:
        print(f"  [{failure.part}] {failure.message}")

    # Excluded schools (special education, teaching points under 50 pupils) with the reason.
    print(f"\n{len(assessment.excluded)} schools excluded from Part 1:")
    for row in assessment.excluded.itertuples():
        print(f"  {row.school_id} {row.school_name}: {row.reason}")

    # The JSON document a service would store: verdict, parts, audit trail, rule-set identity.
    output = (
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else Path(tempfile.gettempdir()) / "demo_county_assessment.json"
    )
    output.write_text(
        json.dumps(assessment.to_dict(), ensure_ascii=False, indent=2), encoding="utf-8"
    )
    print(f"\nJSON saved to {output}")


if __name__ == "__main__":
    main()
