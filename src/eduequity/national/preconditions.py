"""Preconditions of the national assessment (申报条件, docs: The national method, Preconditions).

========  ===============================  ================================================
Code      Item                             Rule
========  ===============================  ================================================
P1        ``basic_balance_recognition``    recognised as basic-balanced 3 years or more
                                           before (通过国家义务教育基本均衡发展认定三年以上)
P2        ``post_recognition_monitoring``  declared: annual monitoring kept at a high level
========  ===============================  ================================================

If a precondition fails, the county fails with reason ``precondition``; every part is still
computed and reported.

Examples
--------
>>> from eduequity.national.rules import RULES_2017
>>> facts = {"basic_balance_recognition_year": 2016, "post_recognition_monitoring": True,
...          "post_recognition_monitoring_evidence": "annual reports 2017-2019"}
>>> assess_preconditions(facts, RULES_2017, assessment_year=2019).status
'pass'
>>> part = assess_preconditions(facts, RULES_2017, assessment_year=2018)
>>> part.status, part.item("basic_balance_recognition").value
('fail', 2)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Final

import attrs

from eduequity.errors import InvalidValueError
from eduequity.national._facts import (
    Check,
    Evaluator,
    FactReader,
    ItemContext,
    as_date,
    comparator_of,
    declared_check,
    missing_check,
    not_assessed_part,
    provenance,
    run_part,
    threshold_check,
)

if TYPE_CHECKING:
    from eduequity.national._outcomes import PartResult
    from eduequity.national.rules import RuleSet

__all__ = ["add_years", "assess_preconditions"]

PART: Final = "preconditions"
SECTION: Final = "precondition"

_DATE_OPERATORS: Final = {
    ">=": dt.date.__ge__,
    ">": dt.date.__gt__,
    "<=": dt.date.__le__,
    "<": dt.date.__lt__,
    "==": dt.date.__eq__,
}


def add_years(day: dt.date, years: int) -> dt.date:
    """Return the same calendar day ``years`` later; 29 February becomes 28 February.

    Examples
    --------
    >>> add_years(dt.date(2016, 2, 29), 3)
    datetime.date(2019, 2, 28)
    """
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def assess_preconditions(
    facts: Mapping[str, object] | None,
    rules: RuleSet,
    *,
    assessment_year: int | None = None,
    application_date: dt.date | str | None = None,
    strict: bool = False,
) -> PartResult:
    r"""Assess the preconditions (申报条件) P1 and P2 of ``precondition.ids``.

    Parameters
    ----------
    facts : mapping or None
        One county's facts: ``basic_balance_recognition_year`` (and optionally
        ``basic_balance_recognition_date``, ``application_date``), ``year``,
        ``post_recognition_monitoring`` with its evidence.
    rules : RuleSet
        ``precondition.ids`` and ``precondition.basic_balance_recognition.min_years``.
    assessment_year : int, optional
        The assessment year; default the facts' ``year``.
    application_date : datetime.date or ISO text, optional
        Date of the county's application; default the fact ``application_date``. With
        ``basic_balance_recognition_date`` it selects the date form of P1.
    strict : bool, optional
        Promote warning ``evidence_missing`` to an error.

    Returns
    -------
    PartResult
        Part ``"preconditions"``; ``not_assessed`` when ``facts`` is ``None``.

    Raises
    ------
    InvalidValueError
        ``year_inconsistent`` when the recognition year (or date) is after the assessment
        year (or application date); the type and range errors of the facts.

    Notes
    -----
    P1 in calendar years, with :math:`m` = ``min_years`` (3):

    .. math::

        \text{assessment\_year} - \text{basic\_balance\_recognition\_year} \ge m

    and, when both dates are known, ``recognition_date + m years <= application_date``
    (a recognition on 29 February counts from 28 February).

    References
    ----------
    docs: The national method, Preconditions; docs: Input tables.
    """
    item_ids = rules.ids("precondition.ids")
    if facts is None:
        return not_assessed_part(PART, SECTION, item_ids, rules, "no county facts")
    reader = FactReader(facts=facts, strict=strict)
    applied = (
        None if application_date is None else as_date(application_date, "argument application_date")
    )

    def recognition(ctx: ItemContext) -> tuple[list[tuple[str | None, Check]], dict[str, Any]]:
        return _basic_balance(ctx, assessment_year, applied)

    evaluators: dict[str, Evaluator] = {
        "basic_balance_recognition": recognition,
        "post_recognition_monitoring": lambda ctx: (
            [(None, declared_check(ctx, "post_recognition_monitoring"))],
            {},
        ),
    }
    return run_part(PART, SECTION, item_ids, rules, reader=reader, evaluators=evaluators)


def _basic_balance(
    ctx: ItemContext, assessment_year: int | None, application_date: dt.date | None
) -> tuple[list[tuple[str | None, Check]], dict[str, Any]]:
    """P1: years since the basic-balance recognition, in calendar years or by dates."""
    reader = ctx.reader
    key = ctx.key("min_years")
    entry = ctx.rules.entry(key)
    min_years = ctx.rules.integer(key)
    comparator = comparator_of(entry)
    evidence = reader.evidence(
        "basic_balance_recognition_year", "basic_balance_recognition_date", ctx.item_id
    )
    recognised_on = reader.date("basic_balance_recognition_date")
    applied_on = application_date or reader.date("application_date")
    if recognised_on is not None and applied_on is not None:
        if recognised_on > applied_on:
            msg = (
                f"{reader.where('basic_balance_recognition_date')}: {recognised_on} is after "
                f"the application date {applied_on}"
            )
            raise InvalidValueError(msg, code="year_inconsistent")
        earliest = add_years(recognised_on, min_years)
        met = _DATE_OPERATORS[comparator](applied_on, earliest)
        shortfall = (
            f"applied on {applied_on}, before {earliest} = recognition date "
            f"{recognised_on} + {min_years} years"
        )
        reasons = () if met else (shortfall,)
        check = Check(
            status="pass" if met else "fail",
            value=applied_on,
            limit=earliest,
            comparator=comparator,
            evidence=evidence,
            reasons=reasons,
            input_source="facts (dates)",
            source=provenance(entry),
            rule_key=key,
        )
        return [(None, check)], {}
    recognised = reader.year("basic_balance_recognition_year")
    if recognised is None and recognised_on is not None:
        recognised = recognised_on.year
    year = assessment_year if assessment_year is not None else reader.year("year")
    missing = [
        name
        for name, value in (
            ("basic_balance_recognition_year", recognised),
            ("assessment year (argument assessment_year or field year)", year),
        )
        if value is None
    ]
    if missing or recognised is None or year is None:
        check = missing_check(
            f"{' and '.join(missing)} missing",
            limit=min_years,
            comparator=comparator,
            evidence=evidence,
            input_source="facts",
            source=provenance(entry),
            rule_key=key,
        )
        return [(None, check)], {}
    if recognised > year:
        msg = (
            f"{reader.where('basic_balance_recognition_year')}: {recognised} is after the "
            f"assessment year {year}"
        )
        raise InvalidValueError(msg, code="year_inconsistent")
    elapsed = year - recognised
    check = threshold_check(
        ctx,
        Fraction(elapsed),
        key,
        name=f"years since basic-balance recognition ({year} − {recognised})",
        missing_reason="",
        evidence=evidence,
    )
    check = attrs.evolve(check, value=elapsed, limit=min_years)
    return [(None, check)], {}
