"""Reports of assessments: text, Markdown, JSON and self-contained HTML (督导评估报告).

A county report reads like a 督导评估 report: the verdict first (通过 / 未通过 / 材料不全 with
the one-line reason), then each part in the order of the method (申报条件, 资源配置, 政府保障程度,
教育质量, 社会认可度, 一票否决) with its status, its items and every failing check with value,
limit and the rule's source; for Part 1 the CV table, the per-school rule, the school-by-school
remediation (一校一案) in natural units and the units excluded, merged and split; the
warnings; and the rule set's identity with the library version at the end.

- :func:`render_county` — one county in ``"text"``, ``"markdown"``, ``"json"`` or ``"html"``;
- :func:`county_json` — the JSON document of a county (the contract for services);
- :func:`render_counties` — the table of :func:`eduequity.national.assess_counties`;
- :func:`render_rules` — a rule set as an audit listing;
- :func:`render_checklist` and :func:`render_city` — the creation checklist and a city;
- :func:`render_plan` — the least-cost plan (最低成本达标方案) of
  :func:`eduequity.national.plan_remediation`;
- :func:`json_schema` — the JSON Schema of the ``county``, ``counties``, ``city`` and
  ``checklist`` JSON documents, for services that validate what they read.

Numbers are shown to the rule set's ``rounding.display_decimals`` (3 by default); decisions
are never re-made from the rounded numbers. The HTML page needs no network: inline style,
inline SVG charts, no script.

Examples
--------
>>> from eduequity.national import RULES_2012
>>> print(render_rules(RULES_2012).splitlines()[1].strip())
县域义务教育均衡发展督导评估暂行办法
>>> render_county(None, "pdf")
Traceback (most recent call last):
...
eduequity.errors.InvalidArgumentError: fmt='pdf' is not a county report format; choose one of ...
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final, cast

import attrs
import pandas as pd

from eduequity._version import __version__
from eduequity.errors import InvalidArgumentError, InvalidTypeError
from eduequity.national.assessment import CountyAssessment
from eduequity.national.rules import RuleSet
from eduequity.report import _counties, _county, _json
from eduequity.report._checklist import checklist_document
from eduequity.report._city import city_document
from eduequity.report._csv import to_csv
from eduequity.report._document import Document
from eduequity.report._form import form_document
from eduequity.report._html import render_html
from eduequity.report._markdown import render_markdown
from eduequity.report._plan import plan_blocks, plan_document
from eduequity.report._rules import rules_document
from eduequity.report._schema import KINDS, load_schema
from eduequity.report._text import render_text

if TYPE_CHECKING:
    from eduequity._typing import JSONValue
    from eduequity.checklist import ChecklistEvaluation, RecommendationForm
    from eduequity.city import CityAssessment
    from eduequity.national.remediation import RemediationPlan

__all__ = [
    "CHECKLIST_FORMATS",
    "CITY_FORMATS",
    "COUNTIES_FORMATS",
    "COUNTY_FORMATS",
    "COUNTY_JSON_KEYS",
    "FORM_FORMATS",
    "PLAN_FORMATS",
    "RULES_FORMATS",
    "SCHEMA_KINDS",
    "county_json",
    "json_schema",
    "render_checklist",
    "render_city",
    "render_counties",
    "render_county",
    "render_form",
    "render_plan",
    "render_rules",
]

COUNTY_FORMATS: Final[tuple[str, ...]] = ("text", "markdown", "json", "html")
"""Formats of :func:`render_county`."""
COUNTIES_FORMATS: Final[tuple[str, ...]] = ("csv", "json", "text", "markdown", "html")
"""Formats of :func:`render_counties`."""
RULES_FORMATS: Final[tuple[str, ...]] = ("text", "markdown", "json", "html")
"""Formats of :func:`render_rules`."""
CHECKLIST_FORMATS: Final[tuple[str, ...]] = ("text", "markdown", "json", "html")
"""Formats of :func:`render_checklist`."""
CITY_FORMATS: Final[tuple[str, ...]] = ("text", "markdown", "json", "html")
"""Formats of :func:`render_city`."""
FORM_FORMATS: Final[tuple[str, ...]] = ("text", "markdown", "json", "html")
"""Formats of :func:`render_form`."""
PLAN_FORMATS: Final[tuple[str, ...]] = ("text", "markdown", "json", "csv", "html")
"""Formats of :func:`render_plan`."""
SCHEMA_KINDS: Final[tuple[str, ...]] = KINDS
"""Kinds of :func:`json_schema`: ``county``, ``counties``, ``city`` and ``checklist``."""
COUNTY_JSON_KEYS: Final[tuple[str, ...]] = _json.COUNTY_KEYS
"""Top-level keys of :func:`county_json`, in order (the service contract)."""


def _check_format(fmt: object, choices: tuple[str, ...], what: str) -> str:
    if not isinstance(fmt, str) or fmt not in choices:
        shown = ", ".join(repr(choice) for choice in choices)
        msg = f"fmt={fmt!r} is not a {what} format; choose one of {shown}"
        raise InvalidArgumentError(msg, code="invalid_option")
    return fmt


def _check_assessment(assessment: object) -> CountyAssessment:
    if not isinstance(assessment, CountyAssessment):
        msg = (
            "assessment must be the CountyAssessment returned by assess_county(); "
            f"got {type(assessment).__name__}"
        )
        raise InvalidTypeError(msg)
    return assessment


def county_json(assessment: CountyAssessment) -> dict[str, JSONValue]:
    """Return the JSON document of a county assessment (the contract for services).

    Parameters
    ----------
    assessment : CountyAssessment
        The result of :func:`eduequity.national.assess_county`.

    Returns
    -------
    dict
        Exactly the keys :data:`COUNTY_JSON_KEYS`: ``passed``, ``status`` (``pass`` /
        ``fail`` / ``incomplete``), ``county``, ``year``, the parts ``preconditions``,
        ``resources`` (``passed``, ``status``, ``cv`` as ``{stage: {indicator id: value}}``,
        ``indicators``, ``schools``, ``remediation``, ``composite``, ``failures``,
        ``excluded``, ``merged``, ``split``, ``notes``), ``guarantee``, ``quality``,
        ``recognition``, ``vetoes``; ``failures`` (records with ``part``, ``item_id``,
        ``code``, ``school_id``, ``stage``, ``value``, ``limit``, ``comparator``, ``source``,
        ``message``, ``rule_key``); ``excluded`` (records with the reason); ``warnings``;
        ``rules`` (``edition``, ``overlay``, ``id``, ``version``, ``overlays``,
        ``content_hash``) and ``eduequity_version``. Values are plain JSON: a missing or
        undefined number is ``None`` (never NaN), so ``json.dumps(document,
        ensure_ascii=False, allow_nan=False)`` succeeds.

    Raises
    ------
    InvalidTypeError
        If ``assessment`` is not a :class:`~eduequity.national.CountyAssessment`.
    """
    return _json.county_document(_check_assessment(assessment))


def render_county(
    assessment: CountyAssessment,
    fmt: str = "text",
    *,
    rules: RuleSet | None = None,
    decimals: int | None = None,
    plan: RemediationPlan | None = None,
) -> str:
    """Render the report of one county assessment.

    Parameters
    ----------
    assessment : CountyAssessment
        The result of :func:`eduequity.national.assess_county`.
    fmt : {"text", "markdown", "json", "html"}
        ``"text"`` for a terminal (aligned, at most 100 columns where possible, CJK
        characters counted double), ``"markdown"``, ``"json"`` (:func:`county_json`, indented,
        UTF-8 text) or ``"html"`` (one self-contained page with inline SVG charts).
    rules : RuleSet, optional
        The rule set the assessment used. By default the shipped rule set recorded in
        ``assessment.rules`` is looked up (and its content hash checked); pass it for a
        custom overlay so the standards and floors can be shown.
    decimals : int, optional
        Decimals displayed; by default the rule set's ``rounding.display_decimals`` (3).
    plan : RemediationPlan, optional
        The county's least-cost plan (:func:`eduequity.national.plan_remediation`); the
        report gains the section "最低成本达标方案 Least-cost plan" (per school what to add,
        with the cost, against the naive plan), and the JSON document a ``plan`` key after
        :data:`COUNTY_JSON_KEYS`.

    Returns
    -------
    str
        The report, ending with a newline.

    Raises
    ------
    InvalidArgumentError
        If ``fmt`` is not one of the formats (the message lists them), ``decimals`` is not an
        integer from 0 to 12, or ``rules`` is not the rule set the assessment used.
    InvalidTypeError
        If ``assessment`` is not a :class:`~eduequity.national.CountyAssessment`.
    """
    fmt = _check_format(fmt, COUNTY_FORMATS, "county report")
    assessment = _check_assessment(assessment)
    plan = _check_plan(plan)
    if fmt == "json":
        document_json = county_json(assessment)
        if plan is not None:
            document_json["plan"] = _json.finite(plan.to_dict())
        return _json.dumps(document_json)
    ruleset = _county.rules_for(assessment.rules, rules)
    document = _county.county_document(
        assessment, rules=ruleset, decimals=_county.decimals_for(ruleset, decimals)
    )
    if plan is not None:
        document = attrs.evolve(document, blocks=(*document.blocks, *plan_blocks(plan)))
    return _render_document(document, fmt)


def _render_document(document: Document, fmt: str) -> str:
    """Draw a report document in ``"text"``, ``"markdown"`` or ``"html"``."""
    if fmt == "text":
        return render_text(document)
    if fmt == "markdown":
        return render_markdown(document)
    return render_html(document)


def render_counties(frame: pd.DataFrame, fmt: str = "text", *, decimals: int | None = None) -> str:
    """Render the Part 1 table of many counties from :func:`eduequity.national.assess_counties`.

    Parameters
    ----------
    frame : pandas.DataFrame
        Index (``county``, ``stage``); columns ``cv_<id>``, ``n_sections`` and, for the 2017
        method, ``n_sections_failing``, ``balance_passed`` and ``passed`` (2012:
        ``composite_cv`` and ``passed``); ``frame.attrs`` with ``rules``, ``excluded``, ...
    fmt : {"csv", "json", "text", "markdown", "html"}
        ``"csv"``: one row per county and stage, numbers at full precision, text cells that
        a spreadsheet would take for a formula (``=``, ``+``, ``-``, ``@``) quoted with
        ``'``; ``"json"``: an
        object with ``rules``, ``counties`` (records), ``excluded``, ``merged``,
        ``warnings``, ``single_unit`` and ``eduequity_version``, no NaN; ``"text"``,
        ``"markdown"`` and ``"html"``: the table, CVs above the stage's limit marked ``*``,
        with the excluded schools, the warnings and the rule set.
    decimals : int, optional
        Decimals displayed in ``"text"``; by default the rule set's (3).

    Returns
    -------
    str

    Raises
    ------
    InvalidArgumentError
        If ``fmt`` is unknown or the frame lacks the ``passed`` column.
    InvalidTypeError
        If ``frame`` is not a DataFrame.
    """
    fmt = _check_format(fmt, COUNTIES_FORMATS, "counties table")
    if not isinstance(cast("object", frame), pd.DataFrame):
        msg = (
            f"frame must be the DataFrame returned by assess_counties(); got {type(frame).__name__}"
        )
        raise InvalidTypeError(msg)
    if "passed" not in frame.columns:
        msg = (
            "frame: column 'passed' is missing; expected the DataFrame returned by "
            "assess_counties()"
        )
        raise InvalidArgumentError(msg, code="invalid_argument")
    if fmt == "csv":
        return _counties.counties_csv(frame)
    if fmt == "json":
        return _json.dumps(_json.counties_document(frame))
    shown = _county.decimals_for(None, decimals) if decimals is not None else None
    return _render_document(_counties.counties_document(frame, shown), fmt)


def render_rules(rules: RuleSet, fmt: str = "text") -> str:
    """Render a rule set as an audit listing of every rule with its source.

    Parameters
    ----------
    rules : RuleSet
        E.g. :data:`~eduequity.national.RULES_2017` or ``get_rules(2012, overlay="hebei")``.
    fmt : {"text", "markdown", "json", "html"}
        ``"text"`` (at most 100 columns), ``"markdown"`` or ``"html"``: every rule section by
        section with its key, value, unit, comparator and source, then the overlay changes;
        ``"json"``: :meth:`RuleSet.to_dict`.

    Returns
    -------
    str

    Raises
    ------
    InvalidArgumentError
        If ``fmt`` is unknown.
    InvalidTypeError
        If ``rules`` is not a :class:`~eduequity.national.RuleSet`.
    """
    fmt = _check_format(fmt, RULES_FORMATS, "rule-set listing")
    if not isinstance(cast("object", rules), RuleSet):
        msg = f"rules must be a RuleSet; got {type(rules).__name__}"
        raise InvalidTypeError(msg)
    if fmt == "json":
        data: Any = rules.to_dict()
        return json.dumps(_json.finite(data), ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    return _render_document(rules_document(rules), fmt)


def _render_result(
    result: Any,  # noqa: ANN401 - a checklist, city or form result
    fmt: str,
    document: Callable[..., Document],
    **options: bool,
) -> str:
    """Render a result as JSON (with the version stamp) or as its report document.

    ``options`` go to both ``result.to_dict`` and ``document`` (the form's ``include_personal``).
    """
    if fmt != "json":
        return _render_document(document(result, **options), fmt)
    data: dict[str, JSONValue] = {**result.to_dict(**options), "eduequity_version": __version__}
    return _json.dumps(_json.finite(data))


def render_checklist(evaluation: ChecklistEvaluation, fmt: str = "text") -> str:
    """Render the evaluation of creation-checklist records (攻坚清单) for one or many counties.

    Parameters
    ----------
    evaluation : ChecklistEvaluation
        The result of :func:`eduequity.checklist.evaluate_checklist`.
    fmt : {"text", "markdown", "json", "html"}
        Bilingual text (at most 100 columns), Markdown or a self-contained HTML page, or the
        JSON document (with ``eduequity_version``).

    Returns
    -------
    str

    Raises
    ------
    InvalidArgumentError
        If ``fmt`` is unknown.
    """
    fmt = _check_format(fmt, CHECKLIST_FORMATS, "checklist report")
    return _render_result(evaluation, fmt, checklist_document)


def render_form(
    form: RecommendationForm, fmt: str = "text", *, include_personal: bool = False
) -> str:
    """Render a filled recommendation form (推荐表) in the form's order.

    Parameters
    ----------
    form : RecommendationForm
        The result of :func:`eduequity.checklist.recommendation_form`.
    fmt : {"text", "markdown", "json", "html"}
        Bilingual text (at most 100 columns), Markdown or a self-contained HTML page, or the
        JSON document (:meth:`RecommendationForm.to_dict
        <eduequity.checklist.RecommendationForm.to_dict>` with ``eduequity_version``).
    include_personal : bool, optional
        Show the contact names and telephone numbers; by default they are redacted.

    Returns
    -------
    str

    Raises
    ------
    InvalidArgumentError
        If ``fmt`` is unknown.
    """
    fmt = _check_format(fmt, FORM_FORMATS, "recommendation form")
    return _render_result(form, fmt, form_document, include_personal=include_personal)


def render_city(assessment: CityAssessment, fmt: str = "text") -> str:
    """Render a city assessment (市域统筹): register, pipeline and, with schools, disparities.

    Parameters
    ----------
    assessment : CityAssessment
        The result of :func:`eduequity.city.assess_city`.
    fmt : {"text", "markdown", "json", "html"}
        Bilingual text (at most 100 columns), Markdown or a self-contained HTML page, or the
        JSON document (with ``eduequity_version``).

    Returns
    -------
    str

    Raises
    ------
    InvalidArgumentError
        If ``fmt`` is unknown.
    """
    fmt = _check_format(fmt, CITY_FORMATS, "city report")
    return _render_result(assessment, fmt, city_document)


def _check_plan(plan: object) -> RemediationPlan | None:
    from eduequity.national.remediation import RemediationPlan  # noqa: PLC0415 - loads scipy

    if plan is None or isinstance(plan, RemediationPlan):
        return plan
    msg = f"plan must be the RemediationPlan of plan_remediation(); got {type(plan).__name__}"
    raise InvalidTypeError(msg)


def render_plan(plan: RemediationPlan, fmt: str = "text") -> str:
    """Render a least-cost plan (最低成本达标方案).

    Parameters
    ----------
    plan : RemediationPlan
        The result of :func:`eduequity.national.plan_remediation`.
    fmt : {"text", "markdown", "json", "csv", "html"}
        Bilingual text, Markdown or HTML (the summary, the counties, then school by school), the
        JSON document (:meth:`RemediationPlan.to_dict` with ``eduequity_version``), or the
        ``additions`` table as CSV (UTF-8, one row per change; text cells that a spreadsheet
        would take for a formula quoted with ``'``).

    Returns
    -------
    str

    Raises
    ------
    InvalidArgumentError
        If ``fmt`` is unknown.
    InvalidTypeError
        If ``plan`` is not a :class:`~eduequity.national.RemediationPlan`.
    """
    fmt = _check_format(fmt, PLAN_FORMATS, "plan report")
    checked = _check_plan(plan)
    if checked is None:
        msg = "plan must be the RemediationPlan of plan_remediation(); got None"
        raise InvalidTypeError(msg)
    if fmt == "csv":
        return to_csv(checked.additions)
    if fmt == "json":
        document: dict[str, JSONValue] = {**checked.to_dict(), "eduequity_version": __version__}
        return _json.dumps(_json.finite(document))
    return _render_document(plan_document(checked), fmt)


def json_schema(kind: str) -> dict[str, JSONValue]:
    """Return the JSON Schema (draft 2020-12) of one kind of JSON document.

    Parameters
    ----------
    kind : {"county", "counties", "city", "checklist"}
        ``"county"``: :func:`county_json` and ``render_county(..., "json")`` (also with a
        plan); ``"counties"``: ``render_counties(..., "json")``; ``"city"``:
        ``render_city(..., "json")`` and :meth:`CityAssessment.to_dict
        <eduequity.city.CityAssessment.to_dict>`; ``"checklist"``:
        ``render_checklist(..., "json")`` and :meth:`ChecklistEvaluation.to_dict
        <eduequity.checklist.ChecklistEvaluation.to_dict>`. The command line's
        ``--format json`` writes the same documents.

    Returns
    -------
    dict
        A new copy of the schema on each call. Statuses are enumerated, every missing
        number is ``null``; the top level of each document (and the few tables whose
        columns depend on the input) may gain keys in a minor release, so those objects
        allow additional properties. ``eduequity schema KIND`` prints the same schema.

    Raises
    ------
    InvalidArgumentError
        If ``kind`` is not one of :data:`SCHEMA_KINDS`.

    Examples
    --------
    >>> schema = json_schema("county")
    >>> schema["$schema"]
    'https://json-schema.org/draft/2020-12/schema'
    >>> schema["properties"]["status"]["enum"]
    ['pass', 'fail', 'incomplete']
    """
    if not isinstance(kind, str) or kind not in SCHEMA_KINDS:
        shown = ", ".join(repr(choice) for choice in SCHEMA_KINDS)
        msg = f"kind={kind!r} has no JSON schema; choose one of {shown}"
        raise InvalidArgumentError(msg, code="invalid_option")
    return load_schema(kind)
