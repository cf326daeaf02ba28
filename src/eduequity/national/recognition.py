"""Part 4 of the national method: social recognition (社会认可度).

The county passes when its recognition rate reaches the rule set's threshold, 0.85 with the
bound included (docs: The national method, Part 4: social recognition). The rate comes from the
survey responses (docs: Input tables), scored by
:func:`eduequity.core.recognition.recognition_rate`, or, without a survey, from the county fact
``social_recognition`` (an externally computed rate). The survey takes precedence and the result
records which source decided.

Rule sets with two components (``recognition.components`` = questionnaire 问卷调查 and
field visit 实地走访, the Shenyang configuration, docs: The national method, Part 4: social
recognition) score each component separately with its own threshold; every component must pass.

Examples
--------
>>> import pandas as pd
>>> from eduequity.national.rules import RULES_2017
>>> survey = pd.DataFrame({"respondent_group": ["parent"] * 20,
...                        "answer": ["满意"] * 17 + ["不满意"] * 3})
>>> part = assess_recognition(survey, {"social_recognition": 0.5}, RULES_2017)
>>> part.source, part.status, part.item("social_recognition").value
('survey', 'pass', 0.85)
>>> assess_recognition(None, {"social_recognition": 0.84}, RULES_2017).status
'fail'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final, Literal, cast

import attrs
import pandas as pd

from eduequity._vocabulary import vocabulary
from eduequity.core.recognition import (
    ComponentResult,
    RecognitionResult,
    recognition_by_component,
    recognition_rate,
)
from eduequity.errors import (
    InputError,
    InvalidArgumentError,
    InvalidTypeError,
    InvalidValueError,
    Issue,
)
from eduequity.national._facts import (
    Check,
    FactReader,
    ItemContext,
    build_item,
    comparator_of,
    missing_check,
    provenance,
    threshold_check,
)
from eduequity.national._outcomes import ItemOutcome, PartResult, Status, combine_statuses

if TYPE_CHECKING:
    from eduequity.national._outcomes import Failure
    from eduequity.national.rules import RuleSet

__all__ = ["RecognitionPart", "assess_recognition"]

_ANSWER_CODES: Final = frozenset({"unknown_answer", "answer_out_of_range", "mixed_scales"})
"""Codes of the scoring function that point at a cell of the survey's answer column."""

PART: Final = "social_recognition"
SECTION: Final = "recognition"
ITEM: Final = "social_recognition"
TITLE_ZH: Final = "社会认可度"
COMPONENT_TITLES_ZH: Final[Mapping[str, str]] = vocabulary("survey_components").labels
"""Chinese names of the two components (docs: The national method, Part 4: social recognition)."""

_FROM_TABLE: Final = {
    "groups": "respondent_group",
    "weights": "weight",
    "respondent_ids": "respondent_id",
    "locations": "location",
    "grades": "grade",
    "item_ids": "item_id",
}
_RESERVED: Final = frozenset({"answers", "threshold", "components", "required", *_FROM_TABLE})


@attrs.frozen(kw_only=True)
class RecognitionPart(PartResult):
    """Part 4, social recognition (社会认可度): the part result plus the survey scoring.

    The fields of :class:`~eduequity.national.PartResult` (``status``, ``items``,
    ``failures``, ``notes``, ``passed``) describe the decision; :attr:`result` and
    :attr:`components` keep the full scoring (counts, interval, groups, conventions).
    """

    result: RecognitionResult | None = None
    """The core scoring of the survey (one component); ``None`` when the rate came from the
    facts, when there was no data, or with two components (see :attr:`components`)."""
    components: tuple[ComponentResult, ...] = ()
    """Per-component scorings when the survey carries a ``component`` column."""
    source: Literal["survey", "facts"] | None = None
    """What decided: the survey table, the fact ``social_recognition``, or nothing."""


def _threshold_key(rules: RuleSet, component: str | None) -> str:
    if component is not None:
        key = f"recognition.component_threshold.{component}"
        if key in rules:
            return key
    return "recognition.threshold"


def _item_id(component: str | None) -> str:
    return ITEM if component is None else f"{ITEM}_{component}"


def _title(component: str | None) -> str:
    if component is None:
        return TITLE_ZH
    return f"{TITLE_ZH}（{COMPONENT_TITLES_ZH.get(component, component)}）"


def _context(rules: RuleSet, reader: FactReader, component: str | None) -> ItemContext:
    return ItemContext(
        part=PART, section=SECTION, item_id=_item_id(component), rules=rules, reader=reader
    )


def _finish(
    ctx: ItemContext, check: Check, component: str | None
) -> tuple[ItemOutcome, tuple[Failure, ...], tuple[str, ...]]:
    outcome, failures, notes = build_item(ctx, [(None, check)])
    kind = "quantitative"
    return attrs.evolve(outcome, title_zh=_title(component), kind=kind), failures, notes


def assess_recognition(
    survey: pd.DataFrame | None,
    facts: Mapping[str, object] | None,
    rules: RuleSet,
    **scoring_options: Any,  # noqa: ANN401 - passed to recognition_rate
) -> RecognitionPart:
    """Assess Part 4, social recognition (社会认可度), from the survey or the county fact.

    Parameters
    ----------
    survey : pandas.DataFrame or None
        Survey responses (docs: Input tables): ``answer`` and, when present,
        ``respondent_group``, ``weight``, ``respondent_id``, ``location``, ``grade``,
        ``item_id``, ``component``. Rows of other counties (``county`` ≠ the facts' county)
        are ignored.
    facts : mapping or None
        One county's facts; ``social_recognition`` (a rate) is used when there is no survey.
        With two components, ``social_recognition_<component>`` gives each component's rate.
    rules : RuleSet
        ``recognition.threshold`` (and ``recognition.component_threshold.<component>``),
        ``recognition.components``.
    **scoring_options
        Options of :func:`~eduequity.core.recognition.recognition_rate` (``scale``,
        ``group_weights``, ``mode``, ``positive``, ``dont_know``, ``score_map``, ``unit``,
        ``location_shares``, ``group_map``, ``confidence``, ``items``, ``ci_method``,
        ``n_resamples``, ``seed``). ``items`` names the ``item_id`` values to score (e.g. an
        overall-satisfaction item); ``ci_method="bootstrap"`` resamples respondents
        (``respondent_id``). The threshold comes from the rule set, and the per-answer arrays
        from the survey columns.

    Returns
    -------
    RecognitionPart
        Part ``"social_recognition"`` with one item (``social_recognition``) or one per
        component (``social_recognition_questionnaire``, ``social_recognition_field_visit``);
        ``source`` says what decided. ``not_assessed`` when there is neither a survey nor
        facts; ``incomplete`` when the rate is missing or no answer could be scored;
        ``not_applicable`` when the rule set has no ``recognition.threshold`` (2012 method).

    Raises
    ------
    InvalidArgumentError
        An option that the survey table or the rule set provides (``threshold``,
        ``groups``, ...), ``items`` without an ``item_id`` column, or ``items`` naming ids
        that the county's answers lack (``unknown_item``).
    InvalidValueError
        The survey lacks the ``answer`` column, holds several counties while the facts name
        none, or has invalid answers, groups or weights (from the scoring).

    Notes
    -----
    The official decision is the point estimate, ``rate >= threshold``, exactly (0.85 passes);
    the Wilson interval of the scoring is advisory and reported in the notes
    (docs: The national method, Part 4: social recognition). Under ``mode="mean_score"`` the
    estimate is on 0–100 points and the limit is ``100 × threshold``.

    References
    ----------
    docs: The national method, Part 4: social recognition; docs: The national method, Part 4: social
    recognition.
    """
    bad = sorted(_RESERVED & set(scoring_options))
    if bad:
        msg = (
            f"assess_recognition: option(s) {', '.join(bad)} cannot be given: the threshold "
            "comes from the rule set and the per-answer arrays from the survey columns"
        )
        raise InvalidArgumentError(msg, code="invalid_argument")
    if "recognition.threshold" not in rules:
        reason = f"rule set {rules.id!r} has no social-recognition rule (recognition.threshold)"
        return RecognitionPart(part=PART, status="not_applicable", notes=(reason,))
    components = rules.ids("recognition.components") if "recognition.components" in rules else ()
    multi: tuple[str | None, ...] = tuple(components) if len(components) > 1 else (None,)
    reader = FactReader(facts=facts if facts is not None else {})
    notes: list[str] = []
    if survey is not None:
        rows = _county_rows(survey, reader)
        if len(rows):
            try:
                return _from_survey(rows, reader, rules, components, dict(scoring_options))
            except InvalidValueError as error:
                if error.code not in _ANSWER_CODES:
                    raise
                # The survey's index holds its spreadsheet rows (or the frame's labels), so the
                # scoring function's "index label" is the row a user looks for.
                issue = Issue(
                    code=error.code,
                    message=error.message.replace("index label", "row"),
                    table="survey",
                    column="answer",
                )
                raise InputError([issue], table="survey") from error
        notes.append(f"the survey has no answers for county {reader.county}; facts used")
    if facts is None:
        items = tuple(
            ItemOutcome(
                part=PART,
                item_id=_item_id(component),
                status="not_assessed",
                title_zh=_title(component),
                kind="quantitative",
                source=provenance(rules.entry(_threshold_key(rules, component))),
                reasons=("no survey and no county facts",),
            )
            for component in multi
        )
        return RecognitionPart(
            part=PART, status="not_assessed", items=items, notes=(*notes, items[0].reasons[0])
        )
    outcomes: list[ItemOutcome] = []
    failures: list[Failure] = []
    for component in multi:
        field = ITEM if component is None else f"{ITEM}_{component}"
        ctx = _context(rules, reader, component)
        reason = f"{field} is missing and there is no survey"
        if component is not None and reader.has(ITEM):
            reason += f" ({ITEM} alone cannot stand for the {component} component)"
        check = threshold_check(
            ctx,
            reader.number(field, kind="rate"),
            _threshold_key(rules, component),
            name=field,
            missing_reason=reason,
            evidence=reader.evidence(field),
        )
        outcome, item_failures, item_notes = _finish(ctx, check, component)
        outcomes.append(outcome)
        failures.extend(item_failures)
        notes.extend(item_notes)
    return RecognitionPart(
        part=PART,
        status=combine_statuses([outcome.status for outcome in outcomes]),
        items=tuple(outcomes),
        failures=tuple(failures),
        notes=tuple(notes),
        source="facts",
    )


def _county_rows(survey: pd.DataFrame, reader: FactReader) -> pd.DataFrame:
    """Return the survey rows of the facts' county (all rows when the table has one county)."""
    if not isinstance(cast("object", survey), pd.DataFrame):
        msg = f"survey must be a pandas DataFrame; got {type(survey).__name__}"
        raise InvalidTypeError(msg, code="invalid_argument")
    if "answer" not in survey.columns:
        msg = "the survey table has no column 'answer' (答案, 选项, 回答, 满意度)"
        raise InvalidValueError(msg, code="missing_required_column")
    if "county" not in survey.columns:
        return survey
    county = reader.text("county")
    if county is None:
        counties = survey["county"].dropna().astype(str).unique()
        if len(counties) > 1:
            msg = (
                f"the survey table holds {len(counties)} counties and the facts name none; "
                "pass the facts' county or one county's rows"
            )
            raise InvalidValueError(msg, code="several_counties")
        return survey
    return survey.loc[survey["county"].astype(str) == county]


def _has_column(rows: pd.DataFrame, column: str) -> bool:
    return column in rows.columns and bool(rows[column].notna().any())


def _from_survey(
    rows: pd.DataFrame,
    reader: FactReader,
    rules: RuleSet,
    components: tuple[str, ...],
    options: dict[str, Any],
) -> RecognitionPart:
    notes: list[str] = []
    if options.get("items") is not None and not _has_column(rows, "item_id"):
        msg = (
            "scoring chosen items (items=, --items) needs the survey column item_id (题号); "
            "the survey has none"
        )
        raise InvalidArgumentError(msg, code="invalid_argument")
    arrays: dict[str, Any] = {
        name: rows[column] for name, column in _FROM_TABLE.items() if _has_column(rows, column)
    }
    scored: list[tuple[str | None, RecognitionResult | None]] = []
    component_results: tuple[ComponentResult, ...] = ()
    single: RecognitionResult | None = None
    if _has_column(rows, "component") and components:
        thresholds: dict[object, float] = {
            component: float(rules.fraction(_threshold_key(rules, component)))
            for component in components
        }
        by_component = recognition_by_component(
            rows["answer"],
            components=rows["component"],
            threshold=thresholds,
            required=components,
            **arrays,
            **options,
        )
        component_results = by_component.components
        found = {item.component: item.result for item in by_component.components}
        ignored = sorted(set(found) - set(components))
        if ignored:
            notes.append(
                f"survey answers of component(s) {', '.join(ignored)} are not part of "
                f"rule set {rules.id!r} and do not decide"
            )
        if len(components) == 1:
            single = found.get(components[0])
            scored.append((None, single))
        else:
            scored.extend((component, found.get(component)) for component in components)
    else:
        if len(components) > 1:
            notes.append(
                f"rule set {rules.id!r} names components {', '.join(components)}, but the survey "
                "has no component column; all answers are scored as one"
            )
        single = recognition_rate(
            rows["answer"],
            threshold=float(rules.fraction("recognition.threshold")),
            **arrays,
            **options,
        )
        scored.append((None, single))
    outcomes: list[ItemOutcome] = []
    failures: list[Failure] = []
    for component, result in scored:
        ctx = _context(rules, reader, component)
        wanted = component if component is not None or not components else components[0]
        check = _survey_check(rules, component, result, wanted)
        outcome, item_failures, item_notes = _finish(ctx, check, component)
        outcomes.append(outcome)
        failures.extend(item_failures)
        notes.extend(item_notes)
        if result is not None:
            label = ITEM if component is None else f"{ITEM} ({component})"
            if result.items is not None:
                notes.append(
                    f"{label}: survey items scored: {', '.join(result.items)}; "
                    f"{result.n_not_selected} answers to other items left out"
                )
            notes.append(f"{label}: {result.describe()}")
            notes.extend(f"{label}: [{issue.code}] {issue.message}" for issue in result.warnings)
    status: Status = combine_statuses([outcome.status for outcome in outcomes])
    return RecognitionPart(
        part=PART,
        status=status,
        items=tuple(outcomes),
        failures=tuple(failures),
        notes=tuple(notes),
        result=single,
        components=component_results,
        source="survey",
    )


def _survey_check(
    rules: RuleSet,
    component: str | None,
    result: RecognitionResult | None,
    wanted: str | None,
) -> Check:
    key = _threshold_key(rules, component)
    entry = rules.entry(key)
    comparator = comparator_of(entry)
    source = provenance(entry)
    if result is None:
        return missing_check(
            f"the survey has no answers of the {wanted} component",
            limit=float(entry.fraction),
            comparator=comparator,
            input_source="survey",
            source=source,
            rule_key=key,
        )
    points = result.mode == "mean_score"
    limit = result.threshold * 100 if points else result.threshold
    if result.status == "undefined":
        return missing_check(
            "no survey answer could be scored (all blank or excluded)",
            limit=limit,
            comparator=comparator,
            input_source="survey",
            source=source,
            rule_key=key,
        )
    what = "mean score" if points else "recognition rate"
    reasons = (
        ()
        if result.passed
        else (
            f"{what} {result.estimate:.4g} is below {limit:g}"
            + ("" if component is None else f" ({component})"),
        )
    )
    return Check(
        status="pass" if result.passed else "fail",
        value=result.estimate,
        limit=limit,
        comparator=comparator,
        reasons=reasons,
        input_source="survey",
        source=source,
        rule_key=key,
    )
