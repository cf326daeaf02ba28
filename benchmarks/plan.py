"""Benchmark the least-cost remediation plan (:func:`eduequity.national.plan_remediation`).

Run with the other benchmarks (``python benchmarks/run.py``) or alone::

    python benchmarks/plan.py

Targets (2-core machine):

- a 200-school county solves to a proven gap of at most 1% within 10 s;
- a city of 10 counties x 70 schools is planned within 60 s;
- the saving against the naive plan (every failing section to every standard, then levelled
  for the CVs) is reported on the demo county and on a seeded sample of counties of the
  national table.

The baseline measured in the same run is the naive plan's cost; times are wall-clock. The
results are written into ``benchmarks/README.md`` between the ``<!-- plan-results -->``
markers.
"""

from __future__ import annotations

import argparse
import os
import re
import time
import warnings
from importlib.resources import as_file
from pathlib import Path

import numpy as np
import pandas as pd
import scipy

import eduequity
from eduequity.datasets import DEMO_COUNTY, demo_path, generate_schools
from eduequity.errors import DegenerateDataWarning
from eduequity.national import RemediationPlan, plan_remediation

README = Path(__file__).with_name("README.md")
COUNTY_SECONDS = 10.0
COUNTY_GAP = 0.01
CITY_SECONDS = 60.0
SEED = 2017
CPU_SECONDS: list[float] = []


def timed(schools: pd.DataFrame | Path) -> tuple[float, RemediationPlan]:
    """Return the wall time of planning ``schools`` and the plan; print the CPU time too."""
    start, cpu = time.perf_counter(), time.process_time()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateDataWarning)
        plan = plan_remediation(schools)
    seconds = time.perf_counter() - start
    # On a shared machine the wall time includes waiting for a core; the CPU time does not.
    CPU_SECONDS.append(time.process_time() - cpu)
    return seconds, plan


def saving(plan: RemediationPlan) -> str:
    share = plan.saving / plan.baseline_cost if plan.baseline_cost else 0.0
    return (
        f"plan {plan.cost / 1e4:,.0f} 万元 against naive {plan.baseline_cost / 1e4:,.0f} 万元: "
        f"saving {plan.saving / 1e4:,.0f} 万元 ({share:.1%}); proven gap {plan.gap:.2%}; "
        f"passes {plan.passes}"
    )


def main(*, write: bool = True, counties: int = 3, sample: int = 8) -> list[str]:
    lines: list[str] = [
        (
            f"- date: {time.strftime('%Y-%m-%d')}; eduequity {eduequity.__version__}; "
            f"scipy {scipy.__version__} (HiGHS); {os.cpu_count()} cores; load average "
            f"{os.getloadavg()[0]:.1f} at the start"
        )
    ]
    verdicts = []

    def say(line: str) -> None:
        lines.append(line)
        print(line, flush=True)

    for offset in range(counties):
        county = generate_schools(n_counties=1, n_schools=200, seed=SEED + offset)
        seconds, plan = timed(county)
        ok = seconds <= COUNTY_SECONDS and plan.gap <= COUNTY_GAP and plan.passes
        verdicts.append(ok)
        say(
            f"- 200-school county (seed {SEED + offset}): {seconds:.1f} s "
            f"({CPU_SECONDS[-1]:.1f} s CPU), proven gap "
            f"{plan.gap:.2%}, {int(plan.statistics['lp_solves'])} LP and "
            f"{int(plan.statistics['milp_solves'])} MILP solves "
            f"(target ≤ {COUNTY_SECONDS:g} s and ≤ {COUNTY_GAP:.0%}: "
            f"{'met' if ok else 'NOT met'})"
        )
    city = generate_schools(n_counties=10, n_schools=700, seed=SEED)
    seconds, plan = timed(city)
    worst = float(plan.counties["gap"].max())
    say(
        f"- city of 10 counties x 70 schools (seed {SEED}): {seconds:.1f} s "
        f"({CPU_SECONDS[-1]:.1f} s CPU) for "
        f"{int(plan.statistics['counties_planned'])} failing counties, largest county gap "
        f"{worst:.2%}, {saving(plan)} (target ≤ {CITY_SECONDS:g} s: "
        f"{'met' if seconds <= CITY_SECONDS else 'NOT met'})"
    )
    with as_file(demo_path("demo_county_schools.csv")) as path:
        _, demo = timed(path)
    say(f"- demo county {DEMO_COUNTY}: {saving(demo)}")
    national = generate_schools(seed=SEED)
    rng = np.random.default_rng(SEED)
    chosen = rng.choice(sorted(national["county"].unique()), size=sample, replace=False)
    seconds, plan = timed(national.loc[national["county"].isin(chosen)])
    say(
        f"- national sample ({sample} counties drawn with seed {SEED} from the 2 800-county "
        f"table, {len(plan.counties)} counties, {seconds:.1f} s): {saving(plan)}"
    )
    if write:
        text = README.read_text(encoding="utf-8")
        block = "<!-- plan-results -->\n" + "\n".join(lines) + "\n<!-- /plan-results -->"
        text = re.sub(
            r"<!-- plan-results -->.*<!-- /plan-results -->", block, text, flags=re.DOTALL
        )
        README.write_text(text, encoding="utf-8")
    return lines


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true", help="do not update README.md")
    main(write=not parser.parse_args().no_write)
