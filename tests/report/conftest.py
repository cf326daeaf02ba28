"""Shared fixtures: the demo county (``datasets/data/README.md`` §1) assessed once per session."""

import pytest

from eduequity.datasets import demo_path
from eduequity.national import RULES_2012, assess_county


def _assess(rules=None, *, with_facts=True):
    kwargs = {} if rules is None else {"rules": rules}
    if not with_facts:
        return assess_county(str(demo_path("demo_county_schools.csv")), **kwargs)
    return assess_county(
        str(demo_path("demo_county_schools.csv")),
        str(demo_path("demo_county_facts.csv")),
        str(demo_path("demo_county_survey.csv")),
        monitoring=str(demo_path("demo_county_monitoring.csv")),
        **kwargs,
    )


@pytest.fixture(scope="session")
def demo():
    """The demo county under the 2017 method: fails Parts 1, 2 and 3 (README §1.2)."""
    return _assess()


@pytest.fixture(scope="session")
def demo_2012():
    """The demo county under the 2012 method: composite CVs 0.228 and 0.114 (README §1.2)."""
    return _assess(RULES_2012)


@pytest.fixture(scope="session")
def demo_without_facts():
    """The demo schools alone: Part 1 fails, the parts needing facts are not assessed."""
    return _assess(with_facts=False)


@pytest.fixture(scope="session")
def assess():
    return _assess
