"""The county verdict over all parts of the method, and Part 1 for many counties at once."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping
from os import PathLike
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import pandas as pd

from eduequity import _exact
from eduequity._deprecation import warn_deprecated
from eduequity._result import Result, Summary
from eduequity._serialize import attrs_to_dict, to_jsonable
from eduequity._version import __version__
from eduequity._vocabulary import vocabulary
from eduequity.core.recognition import recognition_rate
from eduequity.errors import DegenerateDataWarning, InvalidArgumentError, Issue
from eduequity.io.tables import LoadedTable, read_county_facts, read_monitoring, read_survey
from eduequity.national._facts import ValidatedFacts
from eduequity.national._outcomes import (
    AuditRecord,
    Failure,
    ItemOutcome,
    PartResult,
    Status,
    combine_statuses,
)
from eduequity.national.guarantee import assess_guarantee
from eduequity.national.preconditions import assess_preconditions
from eduequity.national.quality import assess_quality, monitoring_cycle
from eduequity.national.recognition import RecognitionPart, assess_recognition
from eduequity.national.resources import (
    ResourceResult,
    county_result,
    county_summary,
    evaluate_resources,
)
from eduequity.national.rules import RULES_2017, RuleSet
from eduequity.national.schools import school_reading
from eduequity.national.units import PreparedUnits, prepare_units
from eduequity.national.vetoes import assess_vetoes

if TYPE_CHECKING:
    from eduequity._typing import JSONValue

__all__ = ["CountyAssessment", "assess_counties", "assess_county"]

TableSource = pd.DataFrame | LoadedTable | str | PathLike[str]

_EDITIONS = {
    term.code: str(term.properties["edition"])
    for term in vocabulary("programs").terms
    if "edition" in term.properties
}


def rules_identity(rules: RuleSet) -> dict[str, JSONValue]:
    """Return what every result records of its rule set: edition, id, version, overlays, hash."""
    identity = dict(rules.identity())
    overlays = list(rules.overlays)
    return {
        "edition": _EDITIONS.get(str(rules.value("method")), str(rules.value("method"))),
        "overlay": overlays[-1] if overlays else None,
        **{key: to_jsonable(value) for key, value in identity.items()},
    }


@attrs.frozen(kw_only=True, repr=False)
class CountyAssessment(Result):
    """The assessment of one county: the verdict, every part, and the audit trail."""

    county: str
    """The county (assessment unit) as named in the school table."""
    year: int | None
    """The assessment year (school year start), when known."""
    status: Status
    """``pass``, ``fail`` or ``incomplete``: ``fail`` wins over ``incomplete``."""
    preconditions: PartResult
    """申报条件: basic balance recognised long enough, monitoring kept up."""
    resources: ResourceResult
    """Part 1, 资源配置: the per-school rule and the CVs."""
    guarantee: PartResult
    """Part 2, 政府保障程度 (15 items)."""
    quality: PartResult
    """Part 3, 教育质量 (9 items)."""
    recognition: RecognitionPart
    """Part 4, 社会认可度."""
    vetoes: PartResult
    """一票否决: a veto that applies makes the county fail whatever the parts say."""
    rules: dict[str, JSONValue]
    """The rule set used: edition, id, version, overlay chain and content hash."""
    warnings: tuple[Issue, ...] = ()
    """Warnings of the input tables and degenerate cases; they never change the verdict."""

    @property
    def passed(self) -> bool:
        """True only when every part was assessed and passed, and no veto applies."""
        return self.status == "pass"

    @property
    def parts(self) -> dict[str, Any]:
        """The parts by id, in the order of the method."""
        return {
            "preconditions": self.preconditions,
            "resource_allocation": self.resources,
            "government_guarantee": self.guarantee,
            "education_quality": self.quality,
            "social_recognition": self.recognition,
            "veto": self.vetoes,
        }

    @property
    def failures(self) -> tuple[Failure, ...]:
        """Every failing item of every part, with value, limit and the rule's source."""
        return tuple(failure for part in self.parts.values() for failure in part.failures)

    @property
    def excluded(self) -> pd.DataFrame:
        """Schools excluded from the assessment, with the reason for each."""
        return self.resources.excluded

    def to_dict(self) -> dict[str, JSONValue]:
        """Return the JSON document services read (keys documented in the user guide)."""
        data = attrs_to_dict(self)
        data["passed"] = self.passed
        data["failures"] = to_jsonable(self.failures)
        data["excluded"] = to_jsonable(self.excluded)
        data["eduequity_version"] = __version__
        return data

    def _summary(self) -> Summary:
        return Summary(
            verdict=self.status,
            figures=(
                ("county", self.county),
                ("year", self.year),
                *((name, part.status) for name, part in self.parts.items()),
                ("failures", len(self.failures)),
                ("excluded", len(self.excluded)),
                ("warnings", len(self.warnings)),
                ("rules", f"{self.rules.get('id')} {self.rules.get('version')}"),
            ),
            full="eduequity.report.render_county(result, 'html'), or result.to_dict()",
        )


def _require_rows(loaded: LoadedTable, year: int | None) -> None:
    """Refuse an empty school table, saying which years it holds when a year was chosen."""
    if not loaded.frame.empty:
        return
    if year is None:
        raise InvalidArgumentError("the school table has no rows", code="no_rows")
    held = [issue.message for issue in loaded.issues if issue.code == "other_years_excluded"]
    detail = f" ({held[0]})" if held else ""
    msg = f"no row of the school table has school year {year}{detail}"
    raise InvalidArgumentError(msg, code="no_rows_for_year")


def _one_county(frame: pd.DataFrame, county: str | None) -> tuple[pd.DataFrame, str]:
    counties = sorted(frame["county"].astype(str).unique())
    if county is None:
        if len(counties) != 1:
            shown = ", ".join(counties[:10]) + (" ..." if len(counties) > 10 else "")  # noqa: PLR2004
            msg = (
                f"the school table holds {len(counties)} counties ({shown}); pass county= to "
                "choose one, or use assess_counties() for all of them"
            )
            raise InvalidArgumentError(msg, code="several_counties")
        return frame, counties[0]
    if county not in counties:
        msg = f"county {county!r} is not in the school table; it holds: {', '.join(counties[:10])}"
        raise InvalidArgumentError(msg, code="unknown_county")
    return frame.loc[frame["county"].astype(str) == county], county


def _facts_for(
    facts: TableSource | Mapping[str, Any] | None,
    county: str,
    year: int | None,
    *,
    strict: bool,
) -> tuple[Mapping[str, Any] | None, tuple[Issue, ...]]:
    """Return one county's facts as a mapping of canonical fields."""
    if facts is None or isinstance(facts, Mapping):
        return facts, ()
    loaded = read_county_facts(facts, strict=strict)
    table = loaded.frame
    rows = table.loc[table["county"].astype(str) == county]
    if year is not None and "year" in rows:
        rows = rows.loc[rows["year"] == year]
    if rows.empty:
        return None, (
            *loaded.issues,
            Issue(
                code="county_not_in_facts",
                message=f"the facts table has no row for county {county!r}"
                + (f" and year {year}" if year is not None else ""),
                severity="warning",
                table="facts",
            ),
        )
    if len(rows) > 1:
        msg = f"the facts table has {len(rows)} rows for county {county!r}; pass year= to choose"
        raise InvalidArgumentError(msg, code="several_fact_rows")
    record = ValidatedFacts(
        {
            str(key): (None if isinstance(value, float) and math.isnan(value) else value)
            for key, value in rows.iloc[0].to_dict().items()
        }
    )
    return record, loaded.issues


def _table_for(
    source: TableSource | None,
    reader: Callable[[TableSource], LoadedTable],
    *,
    table_name: str,
    county: str,
    year: int | None,
    cycle: bool = False,
) -> tuple[pd.DataFrame | None, tuple[Issue, ...]]:
    """Read a survey or monitoring table and keep the county's rows (of ``year``, if given).

    Rows of other counties or other years are left out, and how many is reported, naming the
    rows of other years (a year typed wrong must be visible): answers from another year must
    not be pooled into this year's rate. With ``cycle`` (monitoring), the year kept is the
    latest at or before ``year`` (:func:`~eduequity.national.quality.monitoring_cycle`), as
    item Q9 uses it, and rows without a year are left out too.
    """
    if source is None:
        return None, ()
    loaded = reader(source)
    table = loaded.frame
    keep = np.ones(len(table), dtype=np.bool_)
    reasons = []
    if "county" in table.columns:
        in_county = (table["county"].astype(str) == county).to_numpy()
        if (~in_county).any():
            reasons.append(f"{int((~in_county).sum())} of other counties")
        keep &= in_county
    if (year is not None or cycle) and "year" in table.columns:
        years = pd.to_numeric(table["year"], errors="coerce").to_numpy(dtype=np.float64)
        used = monitoring_cycle(pd.Series(years[keep]), year) if cycle else year
        other_year = np.zeros(len(table), dtype=np.bool_)
        if used is not None:
            differs = ~np.isnan(years) & (years != used)
            if cycle:
                differs |= np.isnan(years)  # Q9 cannot use a result without a year
            other_year = keep & differs
        if other_year.any():
            reasons.append(
                f"{int(other_year.sum())} of other years than {used:g} "
                f"({_rows_named(table.index[other_year])})"
            )
            keep &= ~other_year
    issues = loaded.issues
    if reasons:
        issues = (
            *issues,
            Issue(
                code="rows_not_used",
                message=f"rows left out of the assessment of {county}: " + "; ".join(reasons),
                severity="warning",
                table=table_name,
            ),
        )
    # The index is kept: for a file it holds the spreadsheet rows that messages name.
    return table.loc[keep], issues


def _rows_named(labels: pd.Index) -> str:
    """``"rows 5, 9"`` (the first five, and how many more) for the index labels of a table."""
    shown = ", ".join(str(label) for label in labels[:5])
    more = f" and {len(labels) - 5} more" if len(labels) > 5 else ""  # noqa: PLR2004 - five rows are enough to find the pattern
    return f"{'row' if len(labels) == 1 else 'rows'} {shown}{more}"


def _year(frame: pd.DataFrame, facts: Mapping[str, Any] | None, year: int | None) -> int | None:
    """Return the assessment year; the facts and the school table must agree on it."""
    school_years: list[int] = []
    if "year" in frame.columns:
        school_years = sorted(int(y) for y in frame["year"].dropna().unique())
    fact_year = None if facts is None or facts.get("year") is None else int(facts["year"])
    if year is not None:
        return year
    if fact_year is not None and len(school_years) == 1 and school_years[0] != fact_year:
        msg = (
            f"the county facts are for year {fact_year} but the school table is for school year "
            f"{school_years[0]}; the assessment uses one year for both (pass year= to choose)"
        )
        raise InvalidArgumentError(msg, code="year_inconsistent")
    if fact_year is not None:
        return fact_year
    return school_years[0] if len(school_years) == 1 else None


def _not_applicable(part: str, reason: str) -> PartResult:
    return PartResult(part=part, status="not_applicable", notes=(reason,))


def _preparation_issues(resources: ResourceResult) -> tuple[Issue, ...]:
    """Warnings ``unit_excluded`` and ``site_merged`` (docs: Input tables), one per school."""
    excluded = tuple(
        Issue(
            code="unit_excluded",
            message=f"excluded from Part 1: {detail}",
            severity="warning",
            table="schools",
            key=f"school_id={school_id}",
            column="school_type",
        )
        for school_id, detail in zip(
            resources.excluded["school_id"], resources.excluded["detail"], strict=True
        )
    )
    merged = tuple(
        Issue(
            code="site_merged",
            message=f"site (不计校数) merged into school {parent}",
            severity="warning",
            table="schools",
            key=f"school_id={site}",
            column="parent_school_id",
        )
        for site, parent in zip(
            resources.merged["site_id"], resources.merged["parent_id"], strict=True
        )
    )
    return excluded + merged


def _small_teaching_points(frame: pd.DataFrame, prepared: PreparedUnits) -> pd.DataFrame:
    """Return the teaching points left out of Part 1 for their size, which G6 still covers."""
    small = prepared.excluded.loc[prepared.excluded["reason"] == "small_teaching_point"]
    return frame.loc[frame["school_id"].isin(small["school_id"])]


def _basic_balance_parts(
    facts: Mapping[str, Any] | None,
    survey: pd.DataFrame | None,
    rules: RuleSet,
    options: Mapping[str, Any],
    *,
    strict: bool,
) -> tuple[PartResult, PartResult, PartResult, RecognitionPart, PartResult]:
    """Assess the parts of the 2012 method besides the balance (§10 items 1, 3 and 4).

    The entry condition (办学基本标准) is a declared precondition; the government's work is a
    score out of 100 that must reach ``government_work.min_score`` (fact
    ``government_work_score``, [M]); the public-satisfaction survey passes at
    ``recognition.threshold`` (满意度不低于85%, [S]). A 2012 county therefore never passes on
    its CVs alone. A rule set without ``recognition.threshold`` scores the survey for
    information only, and the part stays ``incomplete``.
    """
    reason = f"not a part of {rules.id}"
    preconditions = (
        assess_preconditions(facts, rules, strict=strict)
        if "precondition.ids" in rules
        else _not_applicable("preconditions", reason)
    )
    guarantee = _government_work(facts, rules)
    quality = _not_applicable("education_quality", reason)
    if "recognition.threshold" in rules:
        recognition = assess_recognition(survey, facts, rules, **options)
    else:
        note = (
            f"{rules.id} includes a public-satisfaction survey (公众满意度, docs: The national "
            "method, The 2012 edition) but its rule set has no pass threshold "
            "(recognition.threshold); add one with "
            "an overlay to decide this part"
        )
        result = None
        if survey is not None and len(survey):
            result = recognition_rate(survey["answer"], **options)
            note += f"; satisfaction rate of the survey: {result.rate:.3f} (n = {result.n_valid})"
        recognition = RecognitionPart(
            part="social_recognition", status="incomplete", notes=(note,), result=result
        )
    vetoes = _not_applicable("veto", reason)
    return preconditions, guarantee, quality, recognition, vetoes


def _government_work(facts: Mapping[str, Any] | None, rules: RuleSet) -> PartResult:
    """Assess the 2012 score of the county government's work (满分100, ≥ 85 [M])."""
    key = "government_work.min_score"
    part = "government_guarantee"
    if key not in rules:
        return _not_applicable(part, f"not a part of {rules.id}")
    limit = rules.fraction(key)
    score = None if facts is None else facts.get("government_work_score")
    if score is None:
        outcome = ItemOutcome(
            part=part,
            item_id="government_work_score",
            status="incomplete",
            title_zh="县级人民政府推进义务教育均衡发展工作评估得分",
            kind="quantitative",
            limit=float(limit),
            comparator=">=",
            reasons=("fact government_work_score is missing",),
        )
        return PartResult(part=part, status="incomplete", items=(outcome,))
    passed = bool(_exact.compare(np.array([float(score)]), np.array([float(limit)]), ">=")[0])
    status: Status = "pass" if passed else "fail"
    source = f"{rules.id} {key} [{rules.entry(key).tag}]"
    outcome = ItemOutcome(
        part=part,
        item_id="government_work_score",
        status=status,
        title_zh="县级人民政府推进义务教育均衡发展工作评估得分",
        kind="quantitative",
        value=float(score),
        limit=float(limit),
        comparator=">=",
        source=source,
        input_source="facts",
    )
    failures = (
        ()
        if passed
        else (
            Failure(
                part=part,
                item_id="government_work_score",
                value=float(score),
                limit=float(limit),
                comparator=">=",
                source=source,
                rule_key=key,
                message=f"government work score {float(score):g} is below {float(limit):g}",
            ),
        )
    )
    return PartResult(part=part, status=status, items=(outcome,), failures=failures)


def assess_county(
    schools: TableSource,
    facts: TableSource | Mapping[str, Any] | None = None,
    survey: TableSource | None = None,
    rules: RuleSet = RULES_2017,
    *,
    monitoring: TableSource | None = None,
    county: str | None = None,
    year: int | None = None,
    strict: bool = False,
    recognition_options: Mapping[str, Any] | None = None,
) -> CountyAssessment:
    """Assess one county over all parts of the method and return the verdict with its reasons.

    Parameters
    ----------
    schools : pandas.DataFrame or path
        The school table (docs: Input tables), canonical or Chinese headers.
    facts : pandas.DataFrame, path or mapping, optional
        The county facts: a table (the county's row is used) or one county's mapping
        of canonical fields to parsed values. Without facts, the preconditions, Parts 2 and 3
        and the vetoes are ``not_assessed``/``incomplete``.
    survey : pandas.DataFrame or path, optional
        Survey responses for Part 4; they take precedence over the fact
        ``social_recognition``.
    rules : RuleSet, optional
        :data:`RULES_2017` (default), :data:`RULES_2012`, or a rule set with overlays.
    monitoring : pandas.DataFrame or path, optional
        National monitoring results for item Q9.
    county : str, optional
        The county to assess when the tables hold several.
    year : int, optional
        The assessment year; by default the facts' or the school table's year.
    strict : bool, optional
        Promote *strict* warnings of the loaders to errors.
    recognition_options : mapping, optional
        Scoring options passed to :func:`eduequity.recognition_rate` (scale, weighting, ...).

    Returns
    -------
    CountyAssessment
        ``passed`` is true only when every part was assessed and passed, the preconditions
        hold and no veto applies; a part without data is "not assessed", never passed.

    Raises
    ------
    InputError
        When a table is malformed: one error naming every problem with row and column.
    InvalidArgumentError
        When the tables hold several counties and ``county`` is not given.
    """
    loaded = school_reading(schools, rules=rules, year=year, strict=strict)
    _require_rows(loaded, year)
    frame, county_name = _one_county(loaded.frame, county)
    facts_record, facts_issues = _facts_for(facts, county_name, year, strict=strict)
    assessment_year = _year(frame, facts_record, year)
    survey_table, survey_issues = _table_for(
        survey, read_survey, table_name="survey", county=county_name, year=assessment_year
    )
    # Monitoring may be of an earlier cycle: Q9 uses the latest at or before the facts' year,
    # and the rows of the other cycles are reported here, where the warnings are collected.
    facts_year = None if facts_record is None else facts_record.get("year")
    monitoring_table, monitoring_issues = _table_for(
        monitoring,
        read_monitoring,
        table_name="monitoring",
        county=county_name,
        year=None if facts_year is None else int(facts_year),
        cycle=True,
    )

    prepared = prepare_units(frame, rules)
    resources = county_result(evaluate_resources(prepared, rules), county_name)
    options = dict(recognition_options or {})
    if "guarantee.ids" in rules:
        preconditions = assess_preconditions(
            facts_record, rules, assessment_year=assessment_year, strict=strict
        )
        guarantee = assess_guarantee(
            facts_record,
            prepared.schools,
            rules,
            strict=strict,
            small_schools=_small_teaching_points(frame, prepared),
        )
        quality = assess_quality(
            facts_record, prepared.schools, monitoring_table, rules, strict=strict
        )
        recognition = assess_recognition(survey_table, facts_record, rules, **options)
        vetoes = assess_vetoes(facts_record, rules, recognition=recognition)
    else:
        preconditions, guarantee, quality, recognition, vetoes = _basic_balance_parts(
            facts_record, survey_table, rules, options, strict=strict
        )
    statuses: list[Status] = [
        part.status for part in (preconditions, resources, guarantee, quality, recognition, vetoes)
    ]
    status = combine_statuses(statuses)
    issues = (
        *loaded.issues,
        *_preparation_issues(resources),
        *facts_issues,
        *survey_issues,
        *monitoring_issues,
    )
    degenerate = tuple(
        Issue(code="single_unit", message=note, severity="warning", table="schools")
        for note in resources.notes
    )
    if degenerate:
        warnings.warn(
            f"county {county_name}: " + "; ".join(note for note in resources.notes),
            DegenerateDataWarning,
            stacklevel=2,
        )
    return CountyAssessment(
        county=county_name,
        year=assessment_year,
        status="incomplete" if status == "not_assessed" else status,
        preconditions=preconditions,
        resources=resources,
        guarantee=guarantee,
        quality=quality,
        recognition=recognition,
        vetoes=vetoes,
        rules=rules_identity(rules),
        warnings=(*issues, *degenerate),
    )


def assess_counties(
    schools: TableSource,
    rules: RuleSet = RULES_2017,
    *,
    year: int | None = None,
    strict: bool = False,
    validate: bool | None = None,
) -> pd.DataFrame:
    """Assess Part 1 (resource allocation) for every county of a school table at once.

    The computation is vectorized across all counties: national scale (about 200 000 schools
    in 2 800 counties) takes well under a second on two cores (see ``benchmarks/``).

    Parameters
    ----------
    schools : pandas.DataFrame or path
        A school table holding any number of counties.
    rules : RuleSet, optional
        :data:`RULES_2017` (default) or :data:`RULES_2012`, possibly with overlays.
    year, strict
        As for :func:`read_schools`.
    validate : bool, optional
        Deprecated since 0.1.0, removal planned in 0.2.0; passing it warns and changes
        nothing. The table is always validated, once: a frame returned by :func:`read_schools`
        and not changed since is used as it is.

    Returns
    -------
    pandas.DataFrame
        Index (``county``, ``stage``); columns ``cv_<id>`` for each indicator of the rule
        set, ``n_sections`` (school sections assessed), and for the 2017 method
        ``n_sections_failing`` (sections failing the per-school rule), ``balance_passed``
        (every CV within its limit) and ``passed``; for the 2012 method ``composite_cv`` and
        ``passed``. ``frame.attrs["eduequity"]`` is an
        :class:`~eduequity.national.AuditRecord`: every school ``excluded`` with its reason,
        the sites ``merged``, the ``split`` of mixed schools, the ``rules``, the table's
        ``warnings`` and the ``single_unit`` county stages. The result agrees with
        :func:`assess_county` county by county.
    """
    if validate is not None:
        warn_deprecated(
            "assess_counties(validate=...)",
            since="0.1.0",
            removal="0.2.0",
            alternative="the frame of eduequity.read_schools(), which is never validated twice",
        )
    loaded = school_reading(schools, rules=rules, year=year, strict=strict)
    _require_rows(loaded, year)
    frame, issues = loaded.frame, loaded.issues
    prepared = prepare_units(frame, rules)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateDataWarning)
        evaluation = evaluate_resources(prepared, rules)
    summary = county_summary(evaluation)
    single = summary.index[summary["n_sections"].to_numpy() == 1]
    summary.attrs["eduequity"] = AuditRecord(
        rules=rules_identity(rules),
        excluded=prepared.excluded,
        merged=prepared.merged,
        split=prepared.split,
        warnings=tuple(issues),
        single_unit=tuple(f"{county} {stage}" for county, stage in single),
    )
    return summary
