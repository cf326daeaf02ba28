"""One-vote vetoes (一票否决): conditions that block recognition whatever the parts say.

A county is not recognised (不予认定) if any enabled veto condition exists
(docs: The national method, One-vote veto). Each veto is a county fact ``veto_<id>`` where ``true``
means the bad condition **exists**; a missing field leaves the veto ``incomplete`` (the library
never assumes "no veto"). The derived veto ``veto_social_recognition`` (社会认可度低于85%)
follows Part 4. Vetoes the rule set disables (``veto.<id>.enabled = false``, by default the
tutoring-governance item) are ``not_applicable``.

Examples
--------
>>> from eduequity.national.rules import RULES_2017
>>> facts = {name: False for name in RULES_2017.ids("veto.ids")}
>>> facts["veto_school_choice"] = True
>>> part = assess_vetoes(facts, RULES_2017)
>>> part.status, part.item("veto_school_choice").status
('fail', 'fail')
>>> part.item("veto_tutoring_governance").status, part.item("veto_social_recognition").status
('not_applicable', 'incomplete')
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Final

import attrs

from eduequity.national._facts import (
    Check,
    FactReader,
    ItemContext,
    build_item,
    provenance,
    show,
)
from eduequity.national._outcomes import Failure, ItemOutcome, PartResult, combine_statuses

if TYPE_CHECKING:
    from eduequity.national.rules import RuleSet

__all__ = ["DERIVED_VETOES", "assess_vetoes"]

PART: Final = "veto"
SECTION: Final = "veto"

DERIVED_VETOES: Final[frozenset[str]] = frozenset({"veto_social_recognition"})
"""Vetoes decided from another part rather than from a county fact."""


def assess_vetoes(
    facts: Mapping[str, object] | None,
    rules: RuleSet,
    *,
    recognition: PartResult | None = None,
) -> PartResult:
    """Assess the one-vote vetoes (一票否决) of ``veto.ids``.

    Parameters
    ----------
    facts : mapping or None
        One county's facts; ``veto_<id>`` fields are flags, ``true`` when the condition
        exists, with optional ``veto_<id>_evidence``.
    rules : RuleSet
        ``veto.ids``, ``veto.<id>.enabled`` and ``veto.<id>.title_zh``.
    recognition : PartResult, optional
        Part 4 (:func:`~eduequity.national.recognition.assess_recognition`): the veto
        ``veto_social_recognition`` exists when it failed, does not when it passed, and is
        incomplete when it is missing, incomplete or not assessed.

    Returns
    -------
    PartResult
        Part ``"veto"``: item status ``pass`` (condition absent), ``fail`` (condition exists;
        also listed in ``failures``), ``incomplete`` (field missing) or ``not_applicable``
        (disabled). ``not_assessed`` when neither facts nor the recognition part are given.

    Raises
    ------
    InvalidTypeError
        A veto field that is not a flag (code ``not_a_boolean``), naming county and field.

    References
    ----------
    docs: The national method, One-vote veto.
    """
    reader = FactReader(facts=facts if facts is not None else {})
    outcomes: list[ItemOutcome] = []
    failures: list[Failure] = []
    notes: list[str] = []
    for veto_id in rules.ids("veto.ids"):
        ctx = ItemContext(part=PART, section=SECTION, item_id=veto_id, rules=rules, reader=reader)
        enabled_key = ctx.key("enabled")
        enabled = rules.flag(enabled_key) if enabled_key in rules else True
        source = provenance(rules.entry(enabled_key)) if enabled_key in rules else None
        derived = veto_id in DERIVED_VETOES
        if not enabled:
            check = Check(
                status="not_applicable",
                reasons=(f"{veto_id} is disabled in rule set {rules.id!r}",),
                source=source,
            )
            if reader.flag(veto_id):
                notes.append(
                    f"{veto_id} is true in the facts but disabled in rule set {rules.id!r}; "
                    "it does not decide"
                )
        elif derived:
            check = _recognition_veto(veto_id, recognition, facts is None, source)
        else:
            check = _fact_veto(ctx, facts is None, source)
        outcome, item_failures, item_notes = build_item(ctx, [(None, check)])
        outcomes.append(attrs.evolve(outcome, kind="derived" if derived else "declared"))
        failures.extend(item_failures)
        notes.extend(item_notes)
    return PartResult(
        part=PART,
        status=combine_statuses([outcome.status for outcome in outcomes]),
        items=tuple(outcomes),
        failures=tuple(failures),
        notes=tuple(notes),
    )


def _fact_veto(ctx: ItemContext, no_facts: bool, source: str | None) -> Check:
    veto_id = ctx.item_id
    title = ctx.title_zh or veto_id
    if no_facts:
        return Check(
            status="not_assessed",
            reasons=("no county facts",),
            limit=False,
            comparator="==",
            source=source,
        )
    exists = ctx.reader.flag(veto_id)
    evidence = ctx.reader.evidence(veto_id)
    if exists is None:
        return Check(
            status="incomplete",
            reasons=(f"veto field {veto_id} ({title}) is missing; no veto is ever assumed",),
            limit=False,
            comparator="==",
            evidence=evidence,
            input_source="facts",
            source=source,
        )
    return Check(
        status="fail" if exists else "pass",
        value=exists,
        limit=False,
        comparator="==",
        reasons=(f"veto condition exists: {title} ({veto_id} = {show(exists)})",) if exists else (),
        evidence=evidence,
        input_source="facts",
        source=source,
    )


def _recognition_veto(
    veto_id: str, recognition: PartResult | None, no_facts: bool, source: str | None
) -> Check:
    if recognition is None:
        return Check(
            status="not_assessed" if no_facts else "incomplete",
            reasons=(f"{veto_id}: social recognition (Part 4) was not assessed",),
            limit=False,
            comparator="==",
            input_source="social_recognition",
            source=source,
        )
    if recognition.status in {"pass", "fail"}:
        exists = recognition.status == "fail"
        reasons = tuple(
            f"{veto_id}: {reason}" for item in recognition.items for reason in item.reasons
        )
        return Check(
            status="fail" if exists else "pass",
            value=exists,
            limit=False,
            comparator="==",
            reasons=reasons or (f"{veto_id}: social recognition below the threshold",)
            if exists
            else (),
            input_source="social_recognition",
            source=source,
        )
    return Check(
        status="incomplete",
        reasons=(
            f"{veto_id}: social recognition (Part 4) is {recognition.status.replace('_', ' ')}",
        ),
        limit=False,
        comparator="==",
        input_source="social_recognition",
        source=source,
    )
