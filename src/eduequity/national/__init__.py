"""The national assessment method (县域义务教育优质均衡发展督导评估).

The 2017 quality-balance method (教督〔2017〕6号, :data:`RULES_2017`) and the 2012
basic-balance method (教督〔2012〕3号, :data:`RULES_2012`) as versioned rule sets with
provenance; reading the school table; the resource indicators; the four parts, the
preconditions and the vetoes; the county verdict (:func:`assess_county`) and the resource
part for many counties at once (:func:`assess_counties`); the least-cost plan that makes a
failing county pass Part 1 (:func:`plan_remediation`).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from eduequity.national._outcomes import (
    AuditRecord,
    Failure,
    ItemOutcome,
    PartResult,
    SchoolLimit,
)
from eduequity.national.assessment import CountyAssessment, assess_counties, assess_county
from eduequity.national.guarantee import (
    CLASS_SIZE_CATEGORIES,
    assess_guarantee,
    class_size_categories,
)
from eduequity.national.indicators import INDICATORS, Indicator, resource_indicators
from eduequity.national.preconditions import assess_preconditions
from eduequity.national.quality import assess_quality
from eduequity.national.recognition import RecognitionPart, assess_recognition
from eduequity.national.resources import ResourceEvaluation, ResourceResult, evaluate_resources
from eduequity.national.rules import (
    OVERLAYS,
    RULES_2012,
    RULES_2017,
    Overlay,
    RuleEntry,
    RuleOperation,
    RuleSet,
    get_rules,
    list_overlays,
    list_rulesets,
    load_overlay,
)
from eduequity.national.schools import load_schools, read_schools
from eduequity.national.units import PreparedUnits, prepare_units
from eduequity.national.vetoes import assess_vetoes

if TYPE_CHECKING:
    from eduequity.national.remediation import (
        COST_ASSUMPTIONS,
        DEFAULT_COSTS,
        RemediationPlan,
        plan_remediation,
    )

# The least-cost plan needs scipy's MILP solver and sparse matrices; they load when it is
# first used, not with every assessment.
_REMEDIATION_NAMES = frozenset(
    {"COST_ASSUMPTIONS", "DEFAULT_COSTS", "RemediationPlan", "plan_remediation"}
)


def __getattr__(name: str) -> Any:  # noqa: ANN401 - any public object
    """Load the remediation planner on first use."""
    if name in _REMEDIATION_NAMES:
        value = getattr(importlib.import_module("eduequity.national.remediation"), name)
        globals()[name] = value
        return value
    msg = f"module 'eduequity.national' has no attribute {name!r}"
    raise AttributeError(msg)


__all__ = [
    "CLASS_SIZE_CATEGORIES",
    "COST_ASSUMPTIONS",
    "DEFAULT_COSTS",
    "INDICATORS",
    "OVERLAYS",
    "RULES_2012",
    "RULES_2017",
    "AuditRecord",
    "CountyAssessment",
    "Failure",
    "Indicator",
    "ItemOutcome",
    "Overlay",
    "PartResult",
    "PreparedUnits",
    "RecognitionPart",
    "RemediationPlan",
    "ResourceEvaluation",
    "ResourceResult",
    "RuleEntry",
    "RuleOperation",
    "RuleSet",
    "SchoolLimit",
    "assess_counties",
    "assess_county",
    "assess_guarantee",
    "assess_preconditions",
    "assess_quality",
    "assess_recognition",
    "assess_vetoes",
    "class_size_categories",
    "evaluate_resources",
    "get_rules",
    "list_overlays",
    "list_rulesets",
    "load_overlay",
    "load_schools",
    "plan_remediation",
    "prepare_units",
    "read_schools",
    "resource_indicators",
]
