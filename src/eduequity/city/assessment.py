"""The city assessment (市域统筹评估): one entry point for the register and the school figures.

:func:`assess_city` combines, for one city:

- the register summary and, with a target, the projection;
- with the school table of the city's counties: the city-wide resource figures and their
  county decomposition, the per-school pass shares, the county matrix and problem lists
  for Part 1 and the urban–rural comparison;
- with a finance series: the three growths and, with ``students`` and
  ``recurring_revenue_yuan``, the wealth neutrality of spending across counties;
- the figures cities publish, from every input given;
- with a city-wide survey: the social-recognition rate of every county.

:class:`CityAssessment` renders itself as bilingual text (:meth:`~CityAssessment.to_text`, for
the command line ``eduequity city REGISTER [--schools SCHOOLS]``) and Markdown
(:meth:`~CityAssessment.to_markdown`), and as JSON (:meth:`~CityAssessment.to_dict`).
"""

from __future__ import annotations

import datetime as dt
import os
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs
import pandas as pd

from eduequity._frames import ordered_records
from eduequity._result import Result, Summary
from eduequity._serialize import attrs_to_dict
from eduequity._typing import JSONValue
from eduequity._version import __version__
from eduequity.city._render import (
    STAGE_TEXT,
    STATUS_TEXT,
    markdown_table,
    number,
    percent,
    text_table,
)
from eduequity.city.comparison import PART_LABELS, CountyMatrix, county_matrix
from eduequity.city.figures import PublishedFigures, published_figures
from eduequity.city.funding import (
    FUNDING_SERIES,
    THREE_GROWTHS,
    FundingGrowth,
    funding_growth,
    read_finance_series,
)
from eduequity.city.pipeline import (
    CompletionProjection,
    CompletionTarget,
    RegisterSummary,
    project_completion,
    register_summary,
)
from eduequity.city.recognition import CountyRecognition, recognition_by_county
from eduequity.city.register import (
    PROGRAM_LABELS,
    STATUS_LABELS,
    CountyRegister,
    RegisterSource,
    coverage_issues,
    read_register,
)
from eduequity.city.resources import CityDisparity, city_disparity, reading_issues
from eduequity.city.urban_rural import LOCATION_LABELS, UrbanRuralComparison, urban_rural
from eduequity.city.wealth import (
    CityWealthNeutrality,
    wealth_inputs_from_funding,
    wealth_neutrality,
)
from eduequity.errors import DegenerateDataWarning, InputError, Issue
from eduequity.io import LoadedTable
from eduequity.national import INDICATORS, RULES_2017, RuleSet
from eduequity.national.schools import read_schools

__all__ = ["CityAssessment", "assess_city"]

TableSource = pd.DataFrame | str | os.PathLike[str]

_TITLE = "市域统筹 city-wide coordination"


@attrs.frozen(kw_only=True, repr=False)
class CityAssessment(Result):
    """Everything the library computes for one city.

    Parts that need an input not given are ``None``.
    """

    city: str
    """The city (地市)."""
    program: str
    """The program of the register summary, e.g. ``"quality_balance"``."""
    as_of: int | None
    """As-of year of the register summary [year]."""
    register: RegisterSummary
    """Counts and shares by status, whole-city flags, timeline, pioneers."""
    projection: CompletionProjection | None
    """Pace and projected year of the target, when a target was given."""
    disparity: CityDisparity | None
    """City-wide resource figures and their decomposition, with a school table."""
    urban_rural: UrbanRuralComparison | None
    """Urban–rural comparison, with a school table."""
    matrix: CountyMatrix | None
    """County matrix and problem lists of Part 1, with a school table."""
    funding: FundingGrowth | None
    """The three growths, with a finance series."""
    rules: tuple[dict[str, JSONValue], ...]
    """Identity of the rule set(s) of the school figures; empty without schools."""
    warnings: tuple[Issue, ...] = ()
    """Warnings of every input and step, each once."""
    figures: PublishedFigures | None = None
    """The figures cities publish, each with its definition, from the inputs given."""
    recognition: CountyRecognition | None = None
    """Social-recognition rate of every county, with a city-wide survey."""
    wealth: CityWealthNeutrality | None = None
    """Wealth neutrality of per-pupil spending across counties, with a finance series that
    has ``students`` and ``recurring_revenue_yuan`` for at least two counties."""

    def to_dict(self) -> dict[str, JSONValue]:
        """Return a JSON-safe mapping of every part, with the library version."""
        data = attrs_to_dict(self)
        data["eduequity_version"] = __version__
        return data

    def _summary(self) -> Summary:
        register = self.register
        figures: list[tuple[str, object]] = [
            ("city", self.city),
            ("program", self.program),
            ("as_of", self.as_of),
            ("units", register.n_units),
            ("nationally_recognized", register.count_at_least("nationally_recognized")),
            ("provincially_assessed", register.count_at_least("provincially_assessed")),
        ]
        if self.projection is not None:
            figures.append(("projected_year", self.projection.projected_year))
        if self.matrix is not None:
            figures.append(("part1_problems", len(self.matrix.problems)))
        figures.append(("warnings", len(self.warnings)))
        return Summary(
            verdict="recognized" if register.whole_city_recognized else "not_recognized",
            figures=tuple(figures),
            full="eduequity.report.render_city(result, 'markdown'), or result.to_dict()",
        )

    def to_text(self) -> str:
        """Return a plain bilingual report of the register, school and funding figures.

        The full report, with the published figures, the recognition of every county and
        the wealth neutrality, within 100 columns and also in HTML, is
        :func:`eduequity.report.render_city`.
        """
        return "\n".join(_report(self, markdown=False)) + "\n"

    def to_markdown(self) -> str:
        """Return the report of :meth:`to_text` as Markdown."""
        return "\n".join(_report(self, markdown=True)) + "\n"


def _unique(issues: Iterable[Issue]) -> tuple[Issue, ...]:
    return tuple(dict.fromkeys(issues))


def assess_city(
    register: CountyRegister | RegisterSource,
    schools: TableSource | None = None,
    *,
    rules: RuleSet = RULES_2017,
    city: str | None = None,
    program: str = "quality_balance",
    as_of: int | None = None,
    target_year: int | None = None,
    target: CompletionTarget | None = None,
    window: int = 3,
    city_units: Mapping[str, Iterable[str]] | Sequence[str] | None = None,
    funding: pd.DataFrame | str | os.PathLike[str] | LoadedTable | None = None,
    year: int | None = None,
    strict: bool = False,
    today: dt.date | str | None = None,
    facts: pd.DataFrame | str | os.PathLike[str] | LoadedTable | None = None,
    survey: pd.DataFrame | str | os.PathLike[str] | LoadedTable | None = None,
    province_total: int | Mapping[int | tuple[int, str], int] | None = None,
) -> CityAssessment:
    """Assess a city: register summary, projection and, with schools, the city figures.

    Parameters
    ----------
    register : CountyRegister, pandas.DataFrame or path
        The county register (docs: Input tables), read with
        :func:`~eduequity.city.read_register` when not already read.
    schools : pandas.DataFrame or path, optional
        The school table of the city's counties (docs: Input tables). When the register
        holds several cities, only the schools of the chosen city's units are used.
    rules : RuleSet, optional
        Rule set of the school figures (default :data:`~eduequity.national.RULES_2017`).
    city : str, optional
        The city; required when the register holds several.
    program : str, optional
        Program of the register summary and the projection.
    as_of : int, optional
        As-of year of the register summary; default the latest year of the register.
    target_year : int, optional
        Deadline of the default target "all units at or beyond ``nationally_recognized``";
        ignored when ``target`` is given.
    target : CompletionTarget, optional
        The target to project.
    window : int, optional
        Window of the pace in years (default 3).
    city_units : mapping or sequence, optional
        Declared units of the city (the denominator).
    funding : pandas.DataFrame, path or LoadedTable, optional
        A finance series for the three growths.
    year : int, optional
        School year to keep from the school table.
    strict : bool, optional
        Promote *strict* warnings of the readers to errors.
    today : datetime.date or str, optional
        Processing date for ``future_date`` checks of the register.
    facts : pandas.DataFrame, path or LoadedTable, optional
        County facts, for the published figures of teacher exchange and retention.
    survey : pandas.DataFrame, path or LoadedTable, optional
        A city-wide survey file, for the social-recognition rate of every county (rule sets
        with a social-recognition rule; of ``year`` when given).
    province_total : int or mapping, optional
        Units of the province on the national list of the as-of year, for the city's share
        of the province's list (:func:`~eduequity.city.published_figures`).

    Returns
    -------
    CityAssessment

    Raises
    ------
    InputError
        When an input table is malformed: every problem with row and column.
    InvalidArgumentError
        Several cities without ``city``, an unknown program, a bad option.

    Examples
    --------
    >>> from eduequity.city import assess_city
    >>> from eduequity.datasets import demo_path
    >>> result = assess_city(demo_path("demo_city_register.csv"),
    ...                      demo_path("demo_city_schools.csv"), today="2025-06-30")
    >>> result.register.count_at_least("nationally_recognized"), result.register.n_units
    (1, 4)
    >>> print(result.to_text().splitlines()[0])  # doctest: +ELLIPSIS
    示范市 (Demo City) — 市域统筹 city-wide coordination, 义务教育优质均衡 ..., as of 2025
    """
    frame: pd.DataFrame | None = None
    school_issues: tuple[Issue, ...] = ()
    if schools is not None:
        frame = read_schools(schools, rules=rules, year=year, strict=strict)
        school_issues = reading_issues(frame)
    school_counties = () if frame is None else tuple(frame["county"].astype(str).unique())
    if isinstance(register, CountyRegister):
        units = register.frame[["city", "county"]].dropna()
        extra = coverage_issues(units, {}, school_counties)
        read = register
    else:
        read = read_register(
            register,
            strict=strict,
            today=today,
            city_units=city_units,
            other_counties=school_counties,
        )
        extra = []
    summary = register_summary(read, city=city, program=program, as_of=as_of, city_units=city_units)
    projection = None
    if target is None and target_year is not None:
        target = CompletionTarget(program=program, deadline=target_year)
    if target is not None:
        projection = project_completion(
            read,
            target,
            as_of=summary.as_of if target.program == program else None,
            window=window,
            city=summary.city,
            city_units=city_units,
        )
    issues: list[Issue] = [*summary.warnings, *extra]
    disparity = comparison = matrix = None
    if frame is not None:
        if len(read.cities) > 1:
            own = set(read.counties(summary.city))
            keep = frame["county"].astype(str).isin(own) | ~frame["county"].astype(str).isin(
                set(read.counties())
            )
            left_out = int((~keep).sum())
            if left_out:
                issues.append(
                    Issue(
                        code="schools_of_other_cities",
                        message=(
                            f"{left_out} schools belong to counties the register lists under "
                            f"other cities; they are left out of {summary.city}'s figures"
                        ),
                        severity="warning",
                        table="schools",
                        column="county",
                    )
                )
            frame = frame.loc[keep.to_numpy()]
        _require_schools(frame, [*school_issues, *issues], summary.city, year)
        disparity = city_disparity(frame, rules, year=year, strict=strict)
        comparison = urban_rural(disparity)
        matrix = county_matrix(disparity)
        issues.extend((*school_issues, *disparity.warnings, *comparison.warnings))
    growth = wealth = None
    if funding is not None:
        funding = read_finance_series(funding)
        growth, wealth, funding_issues = _funding_parts(funding)
        issues.extend(funding_issues)
    figures = published_figures(
        read,
        frame,
        facts,
        funding,
        rules=rules,
        city=summary.city,
        program=program,
        as_of=summary.as_of,
        city_units=city_units,
        province_total=province_total,
    )
    issues.extend(figures.warnings)
    # A rule set without a social-recognition pass mark has no county decision to show.
    recognition = (
        recognition_by_county(survey, rules=rules, year=year)
        if survey is not None and "recognition.threshold" in rules
        else None
    )
    issues.extend(() if recognition is None else recognition.warnings)
    if projection is not None:
        issues.extend(projection.warnings)
    return CityAssessment(
        city=summary.city,
        program=summary.program,
        as_of=summary.as_of,
        register=summary,
        projection=projection,
        disparity=disparity,
        urban_rural=comparison,
        matrix=matrix,
        funding=growth,
        rules=() if disparity is None else disparity.rules,
        warnings=_unique(issues),
        figures=figures,
        recognition=recognition,
        wealth=wealth,
    )


def _funding_parts(
    funding: LoadedTable,
) -> tuple[FundingGrowth, CityWealthNeutrality | None, list[Issue]]:
    """Return the three growths and, when the series allows it, the wealth neutrality."""
    growth = funding_growth(funding)
    inputs, issues = wealth_inputs_from_funding(funding.frame)
    issues = [*growth.warnings, *issues]
    if inputs is None:
        return growth, None, issues
    spending, revenue, pupils, budget_year = inputs
    with warnings.catch_warnings():
        # An undefined statistic is reported with its status and warning in the result.
        warnings.simplefilter("ignore", DegenerateDataWarning)
        wealth = wealth_neutrality(
            spending,
            revenue,
            pupils,
            value_name="education_expenditure_per_pupil_yuan",
            wealth_name="recurring_revenue_per_pupil_yuan",
            year=budget_year,
        )
    return growth, wealth, [*issues, *wealth.warnings]


def _require_schools(
    frame: pd.DataFrame, issues: Sequence[Issue], city: str, year: int | None
) -> None:
    """Refuse a school table that leaves the city figures without a single school."""
    if not frame.empty:
        return
    if any(issue.code == "other_years_excluded" for issue in issues):
        why = f"no row has school year {year} (year={year})"
    elif any(issue.code == "schools_of_other_cities" for issue in issues):
        why = f"every school belongs to a county of another city than {city}"
    else:
        why = "the table has a header but no school rows"
    issue = Issue(
        code="no_rows",
        message=f"no school for the city figures: {why}; expected one row per school",
        table="schools",
    )
    raise InputError([issue], table="schools")


# --------------------------------------------------------------------------------------
# rendering


def _heading(text: str, level: int, *, markdown: bool) -> list[str]:
    if markdown:
        return ["", f"{'#' * level} {text}", ""]
    underline = "=" if level == 1 else "-"
    return ["", text, underline * min(len(text) * 2, 78)]


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, markdown: bool) -> list[str]:
    return ["", *markdown_table(headers, rows)] if markdown else text_table(headers, rows)


def _line(text: str, *, markdown: bool) -> str:
    return f"- {text}" if markdown else f"  {text}"


def _yes(flag: bool | None) -> str:
    if flag is None:
        return "— (undefined)"
    return "是 yes" if flag else "否 no"


def _register_lines(result: CityAssessment, *, markdown: bool) -> list[str]:
    summary = result.register
    lines = _heading(
        f"1. 创建进展 Register ({summary.n_units} units, denominator: {summary.denominator})",
        2,
        markdown=markdown,
    )
    rows = [
        [
            f"{record['status_zh']} {status}",
            str(int(record["count"])),
            percent(record["share"]),
            "—" if pd.isna(record["count_at_least"]) else str(int(record["count_at_least"])),
            percent(record["share_at_least"]),
        ]
        for status, record in zip(
            summary.by_status.index, summary.by_status.to_dict("records"), strict=True
        )
    ]
    lines += _table(
        ["status 状态", "count", "share", "at least", "share at least"], rows, markdown=markdown
    )
    lines.append("")
    missing = ", ".join(summary.missing_recognized) or "—"
    lines.append(
        _line(
            f"全域通过国家认定 whole city recognised: {_yes(summary.whole_city_recognized)}"
            f" (not yet: {missing})",
            markdown=markdown,
        )
    )
    missing = ", ".join(summary.missing_provincial) or "—"
    lines.append(
        _line(
            f"整市域通过省级督导评估 whole city provincially assessed: "
            f"{_yes(summary.whole_city_provincial)} (not yet: {missing})",
            markdown=markdown,
        )
    )
    lines.append(
        _line(f"先行创建县 pioneers: {', '.join(summary.pioneers) or '—'}", markdown=markdown)
    )
    timeline = summary.timeline
    if len(timeline):
        lines.append("")
        lines.append(_line("认定时间线 recognitions by year and batch:", markdown=markdown))
        rows = [
            [
                str(record["year"]),
                str(record["batch"] or "—"),
                str(record["counties"]),
                str(record["count"]),
                str(record["cumulative"]),
            ]
            for record in timeline.to_dict("records")
        ]
        lines += _table(
            ["year 年度", "batch 批次", "units 单位", "count", "cumulative"],
            rows,
            markdown=markdown,
        )
    return lines


def _projection_lines(projection: CompletionProjection, *, markdown: bool) -> list[str]:
    target = projection.target
    deadline = str(target.deadline)
    if target.deadline_latest is not None:
        deadline += f"–{target.deadline_latest}"
    lines = _heading(
        f"2. 目标预测 Projection ({projection.label}; method: {projection.method})",
        2,
        markdown=markdown,
    )
    latest = (
        f" / latest end: {_yes(projection.on_track_latest)}"
        if target.deadline_latest is not None
        else ""
    )
    projected = projection.projected_year or "— (pace 0: no projection)"
    facts = [
        (
            f"target 目标: {percent(target.share, 0)} of units at or beyond "
            f"{STATUS_LABELS[target.status]} {target.status} by {deadline}"
        ),
        (
            f"now 现状 ({projection.as_of}): {projection.count} of {projection.n_units}; "
            f"{projection.remaining} remaining"
        ),
        (
            f"pace 速度: {projection.pace:.3f} units a year over {projection.window} years "
            f"({projection.count_window_start} → {projection.count})"
        ),
        f"projected year 预计年份: {projected}; on track 按期: {_yes(projection.on_track)}{latest}",
        f"required pace 所需速度: {number(projection.required_pace)} units a year",
        (
            f"look-ahead 下一年 (p = {projection.pipeline_probability:g}, optimistic): "
            f"{projection.pipeline_next:g} units"
        ),
    ]
    lines += [_line(fact, markdown=markdown) for fact in facts]
    lines += [_line(f"assumption: {text}", markdown=markdown) for text in projection.assumptions]
    return lines


def _resource_lines(disparity: CityDisparity, *, markdown: bool) -> list[str]:
    lines = _heading("3. 市域资源配置差异 City-wide resource figures", 2, markdown=markdown)
    lines.append(
        _line(
            "The city CV is descriptive; the limit applies to each county. Between share = "
            "between-county part of GE(2) = CV²/2.",
            markdown=markdown,
        )
    )
    lines.append("")
    shares = disparity.decompositions["between_share"].unstack("measure")
    city = disparity.city.join(shares.add_prefix("between_"), how="left")
    rows = []
    for record in ordered_records(city, disparity.indicator_ids):
        stage, indicator = record["stage"], record["indicator"]
        share = record.get("between_ge2")
        theil = record.get("between_theil")
        rows.append(
            [
                STAGE_TEXT.get(str(stage), str(stage)),
                _indicator_label(str(indicator)),
                number(record["mean"]),
                number(record["cv"]),
                percent(share),
                percent(theil),
                f"{int(record['counties_meeting_limit'])}/{int(record['counties_assessed'])}",
            ]
        )
    lines += _table(
        [
            "stage 学段",
            "indicator 指标",
            "mean 均值",
            "city CV 差异系数",
            "between GE(2)",
            "between Theil",
            "counties ≤ limit",
        ],
        rows,
        markdown=markdown,
    )
    attainment = disparity.attainment
    if len(attainment):
        lines += _heading("4. 每校达标 Per-school rule by county", 2, markdown=markdown)
        rows = [
            [
                str(county),
                STAGE_TEXT.get(str(stage), str(stage)),
                f"{int(record['units_passed'])}/{int(record['n_units'])}",
                percent(record["unit_pass_share"]),
                percent(record["pupil_pass_share"]),
                str(record["rank"]),
            ]
            for record in ordered_records(attainment)
            for county, stage in [(record["county"], record["stage"])]
        ]
        rows += [
            [
                "全市 city",
                STAGE_TEXT.get(str(stage), str(stage)),
                f"{int(record['units_passed'])}/{int(record['n_units'])}",
                percent(record["unit_pass_share"]),
                percent(record["pupil_pass_share"]),
                "",
            ]
            for record in ordered_records(disparity.city_attainment)
            for stage in [record["stage"]]
        ]
        lines += _table(
            ["county 县", "stage 学段", "units", "unit share", "pupil share", "rank"],
            rows,
            markdown=markdown,
        )
    return lines


def _urban_rural_lines(
    comparison: UrbanRuralComparison, ids: Sequence[str], *, markdown: bool
) -> list[str]:
    lines = _heading("5. 城乡比较 Urban–rural comparison", 2, markdown=markdown)
    if comparison.location_missing:
        lines.append(
            _line(
                f"{comparison.location_missing} units without location left out (location_missing)",
                markdown=markdown,
            )
        )
    rows = []
    indicators = list(dict.fromkeys(comparison.means.index.get_level_values("indicator")))
    if ids:
        indicators = list(ids)
    for record in ordered_records(comparison.ratios, indicators, comparison.pairs):
        stage, indicator = record["stage"], record["indicator"]
        focus, reference = record["focus"], record["reference"]
        rows.append(
            [
                STAGE_TEXT.get(str(stage), str(stage)),
                _indicator_label(str(indicator)),
                f"{LOCATION_LABELS[focus]}/{LOCATION_LABELS[reference]} {focus}/{reference}",
                number(record["ratio"]),
                number(record["adjusted_parity_index"]),
                _parity_text(record),
            ]
        )
    lines += _table(
        ["stage 学段", "indicator 指标", "pair", "ratio 比值", "parity index", "parity 均等"],
        rows,
        markdown=markdown,
    )
    qualification = comparison.qualification_ratios
    if len(qualification):
        lines.append("")
        lines.append(
            _line(
                "本科及以上学历专任教师占比城乡比 bachelor-or-above share of full-time teachers:",
                markdown=markdown,
            )
        )
        rows = [
            [
                STAGE_TEXT.get(str(stage), str(stage)),
                f"{focus}/{reference}",
                percent(record["focus_share"]),
                percent(record["reference_share"]),
                str(record["published"] or "—"),
                _parity_text(record),
            ]
            for record in ordered_records(qualification, (), comparison.pairs)
            for stage, focus, reference in [(record["stage"], record["focus"], record["reference"])]
        ]
        lines += _table(
            ["stage 学段", "pair", "focus share", "reference share", "published", "parity 均等"],
            rows,
            markdown=markdown,
        )
    return lines


def _indicator_label(indicator: str) -> str:
    """``"生均体育运动场馆面积 sports_area_per_student"``: the Chinese title and the id."""
    if indicator == "school_rule":
        return "每校达标 school_rule"
    definition = INDICATORS.get(indicator)
    return indicator if definition is None else f"{definition.title_zh} {indicator}"


def _parity_text(record: Mapping[Any, Any]) -> str:
    if record["status"] != "ok":
        return STATUS_TEXT.get(str(record["status"]), str(record["status"]))
    return "均等 parity" if record["parity"] else f"{record['position']} band"


def _problem_lines(matrix: CountyMatrix, *, markdown: bool) -> list[str]:
    lines = _heading("6. 逐县逐项问题清单 Problem list per county and item", 2, markdown=markdown)
    problems = matrix.problems
    rows = [
        [
            str(record["county"]),
            PART_LABELS.get(str(record["part"]), str(record["part"])),
            _indicator_label(str(record["item_id"])),
            STAGE_TEXT.get(str(record["stage"]), "—") if record["stage"] else "—",
            number(record["value"]),
            number(record["threshold"]),
            number(record["gap"]),
            STATUS_TEXT.get(str(record["status"]), str(record["status"])),
        ]
        for record in problems.to_dict("records")
    ]
    lines += _table(
        ["county 县", "part 部分", "item 指标", "stage", "value", "threshold", "gap", "status"],
        rows,
        markdown=markdown,
    )
    return lines


def _funding_lines(growth: FundingGrowth, *, markdown: bool) -> list[str]:
    lines = _heading("7. 经费三个增长 Funding: the three growths", 2, markdown=markdown)
    rows = []
    for record in growth.three_growths.reset_index().to_dict("records"):
        county, year = record["county"], record["year"]
        flags = [
            "—" if record[series] is None else ("✓" if record[series] else "✗")
            for series in THREE_GROWTHS
        ]
        rows.append([str(county), str(year), *flags, STATUS_TEXT.get(record["status"], "")])
    lines += _table(
        ["unit", "year", "(1)", "(2)", "(3a)", "(3b)", "status"], rows, markdown=markdown
    )
    average = growth.average_growth
    if len(average):
        lines.append("")
        rows = [
            [
                str(county),
                f"{FUNDING_SERIES[series].title_zh} {series}",
                f"{record['start_year']}–{record['end_year']}",
                percent(record["average_growth"], 2),
                str(record["status"]),
            ]
            for record in average.reset_index().to_dict("records")
            for county, series in [(record["county"], record["series"])]
        ]
        lines += _table(
            ["unit", "series 项目", "years", f"average ({growth.average})", "status"],
            rows,
            markdown=markdown,
        )
    if len(growth.early_warnings):
        lines.append("")
        lines += [
            _line(
                f"预警 early warning: {record['county']} {record['series']} fell "
                f"{percent(record['growth'], 2)} in {record['year']}",
                markdown=markdown,
            )
            for record in growth.early_warnings.to_dict("records")
        ]
    return lines


def _report(result: CityAssessment, *, markdown: bool) -> list[str]:
    program = PROGRAM_LABELS.get(result.program, result.program)
    as_of = f", as of {result.as_of}" if result.as_of is not None else ""
    title = f"{result.city} — {_TITLE}, {program} ({result.program}){as_of}"
    lines = [f"# {title}" if markdown else title]
    if result.rules:
        shown = "; ".join(f"{rule['id']} {rule['version']}" for rule in result.rules)
        lines.append("")
        lines.append(f"Rule set 规则集: {shown}")
    lines += _register_lines(result, markdown=markdown)
    if result.projection is not None:
        lines += _projection_lines(result.projection, markdown=markdown)
    if result.disparity is not None:
        lines += _resource_lines(result.disparity, markdown=markdown)
    if result.urban_rural is not None:
        ids = () if result.disparity is None else result.disparity.indicator_ids
        lines += _urban_rural_lines(result.urban_rural, ids, markdown=markdown)
    sections: tuple[tuple[object, Callable[..., list[str]]], ...] = (
        (result.matrix, _problem_lines),
        (result.funding, _funding_lines),
    )
    for part, render in sections:
        if part is not None:
            lines += render(part, markdown=markdown)
    if result.warnings:
        lines += _heading(f"警告 Warnings ({len(result.warnings)})", 2, markdown=markdown)
        lines += [_line(issue.render(), markdown=markdown) for issue in result.warnings]
    return lines
