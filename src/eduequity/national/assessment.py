"""The county verdict over all parts of the method (§8), and Part 1 for many counties at once."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping
from os import PathLike
from typing import TYPE_CHECKING, Any

import attrs
import pandas as pd

from eduequity._serialize import attrs_to_dict, to_jsonable
from eduequity._version import __version__
from eduequity.errors import DegenerateDataWarning, InvalidArgumentError, Issue
from eduequity.io.tables import LoadedTable, read_county_facts, read_monitoring, read_survey
from eduequity.national._outcomes import (
    AuditRecord,
    Failure,
    PartResult,
    Status,
    combine_statuses,
)
from eduequity.national.guarantee import assess_guarantee
from eduequity.national.preconditions import assess_preconditions
from eduequity.national.quality import assess_quality
from eduequity.national.recognition import RecognitionPart, assess_recognition
from eduequity.national.resources import (
    ResourceResult,
    county_result,
    county_summary,
    evaluate_resources,
)
from eduequity.national.rules import RULES_2017, RuleSet
from eduequity.national.schools import load_schools
from eduequity.national.units import prepare_units
from eduequity.national.vetoes import assess_vetoes

if TYPE_CHECKING:
    from eduequity._typing import JSONValue

__all__ = ["CountyAssessment", "assess_counties", "assess_county"]

TableSource = pd.DataFrame | str | PathLike[str]

_EDITIONS = {"quality_balance": "2017", "basic_balance": "2012"}


def rules_identity(rules: RuleSet) -> dict[str, JSONValue]:
    """Return what every result records of its rule set: edition, id, version, overlays, hash."""
    identity = dict(rules.identity())
    overlays = list(rules.overlays)
    return {
        "edition": _EDITIONS.get(str(rules.value("method")), str(rules.value("method"))),
        "overlay": overlays[-1] if overlays else None,
        **{key: to_jsonable(value) for key, value in identity.items()},
    }


@attrs.frozen(kw_only=True)
class CountyAssessment:
    """The assessment of one county: the verdict, every part, and the audit trail."""

    county: str
    """The county (assessment unit) as named in the school table."""
    year: int | None
    """The assessment year (school year start), when known."""
    status: Status
    """``pass``, ``fail`` or ``incomplete`` (§8): ``fail`` wins over ``incomplete``."""
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
    facts: TableSource | Mapping[str, Any] | None, county: str, year: int | None
) -> tuple[Mapping[str, Any] | None, tuple[Issue, ...]]:
    """Return one county's facts as a mapping of canonical fields."""
    if facts is None or isinstance(facts, Mapping):
        return facts, ()
    loaded = read_county_facts(facts)
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
    record: dict[str, Any] = {
        str(key): (None if isinstance(value, float) and math.isnan(value) else value)
        for key, value in rows.iloc[0].to_dict().items()
    }
    return record, loaded.issues


def _table_for(
    source: TableSource | None,
    reader: Callable[[TableSource], LoadedTable],
    county: str,
) -> tuple[pd.DataFrame | None, tuple[Issue, ...]]:
    if source is None:
        return None, ()
    loaded = reader(source)
    table = loaded.frame
    if "county" in table.columns:
        table = table.loc[table["county"].astype(str) == county].reset_index(drop=True)
    return table, loaded.issues


def _year(frame: pd.DataFrame, facts: Mapping[str, Any] | None, year: int | None) -> int | None:
    if year is not None:
        return year
    if facts is not None and facts.get("year") is not None:
        return int(facts["year"])
    if "year" in frame.columns:
        years = frame["year"].dropna().unique()
        if len(years) == 1:
            return int(years[0])
    return None


def _not_applicable(part: str, reason: str) -> PartResult:
    return PartResult(part=part, status="not_applicable", notes=(reason,))


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
        The school table (``data-schema.md`` §1), canonical or Chinese headers.
    facts : pandas.DataFrame, path or mapping, optional
        The county facts (§2.1): a table (the county's row is used) or one county's mapping
        of canonical fields to parsed values. Without facts, the preconditions, Parts 2 and 3
        and the vetoes are ``not_assessed``/``incomplete``.
    survey : pandas.DataFrame or path, optional
        Survey responses (§3) for Part 4; they take precedence over the fact
        ``social_recognition``.
    rules : RuleSet, optional
        :data:`RULES_2017` (default), :data:`RULES_2012`, or a rule set with overlays.
    monitoring : pandas.DataFrame or path, optional
        National monitoring results (§2.2) for item Q9.
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
    loaded = load_schools(schools, rules=rules, year=year, strict=strict)
    frame, county_name = _one_county(loaded.frame, county)
    facts_record, facts_issues = _facts_for(facts, county_name, year)
    assessment_year = _year(frame, facts_record, year)
    survey_table, survey_issues = _table_for(survey, read_survey, county_name)
    monitoring_table, monitoring_issues = _table_for(monitoring, read_monitoring, county_name)

    prepared = prepare_units(frame, rules)
    resources = county_result(evaluate_resources(prepared, rules), county_name)
    quality_balance = "guarantee.ids" in rules
    if quality_balance:
        preconditions = assess_preconditions(facts_record, rules, assessment_year=assessment_year)
        guarantee = assess_guarantee(facts_record, prepared.schools, rules)
        quality = assess_quality(facts_record, prepared.schools, monitoring_table, rules)
    else:
        reason = f"not a part of {rules.id}"
        preconditions = _not_applicable("preconditions", reason)
        guarantee = _not_applicable("government_guarantee", reason)
        quality = _not_applicable("education_quality", reason)
    recognition = assess_recognition(
        survey_table, facts_record, rules, **dict(recognition_options or {})
    )
    vetoes = (
        assess_vetoes(facts_record, rules, recognition=recognition)
        if "veto.ids" in rules
        else _not_applicable("veto", f"not a part of {rules.id}")
    )
    statuses: list[Status] = [
        part.status for part in (preconditions, resources, guarantee, quality, recognition, vetoes)
    ]
    status = combine_statuses(statuses)
    issues = (*loaded.issues, *facts_issues, *survey_issues, *monitoring_issues)
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
    validate: bool = True,
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
        Validate the table first (default). Pass ``False`` only for a DataFrame returned by
        :func:`read_schools` and not changed since, to avoid validating a national table
        twice; an unvalidated table may then give wrong numbers instead of an error.

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
    if validate:
        loaded = load_schools(schools, rules=rules, year=year, strict=strict)
        frame, issues = loaded.frame, loaded.issues
    elif isinstance(schools, pd.DataFrame):
        frame, issues = schools, ()
    else:
        msg = "validate=False needs the DataFrame returned by read_schools(), not a path"
        raise InvalidArgumentError(msg)
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
