"""The command line ``eduequity`` (命令行): assess a county, many counties, or show a rule set.

The commands are thin: they parse the arguments, call the library and print what
:mod:`eduequity.report` renders. Every computation lives in :mod:`eduequity.national`.

========  ==========================================================================
command   what it does
========  ==========================================================================
demo      assess the bundled synthetic demo county 示范县 (the quick start)
assess    assess one county over all parts of the method (县域优质均衡督导评估)
counties  assess Part 1 (resource allocation, 资源配置) for every county of a table
plan      the least-cost plan (最低成本达标方案) that makes failing counties pass Part 1
rules     print a rule set (规则集) with the source of every rule
schema    print the JSON Schema of a command's JSON output, for services
========  ==========================================================================

Exit status: 0 when a report was produced, whatever its verdict (a failing county is a
result, not an error); 2 for bad input or bad usage. Bad input is reported on standard error
as one paragraph, ``eduequity: error: ...``, naming the file and, for table problems, one line
per problem with its row, ``school_id`` and column (docs: Input tables), at most 20 of
them and a count of the rest by issue code. Standard output carries only the report, so that
it can be piped; where the format cannot hold them (``counties --format csv``, a plain table
for programs), the warnings, excluded schools and merged sites go to standard error as
``eduequity: warning: ...`` lines. ``--output`` never overwrites an input file. The report
format is ``--format``, else the one the ``--output`` suffix names (``.txt``, ``.md``,
``.json``, ``.html``, ``.csv``); a suffix naming a format the command does not write
(``.pdf``, ``.docx``, ``.xlsx``, ...) is a usage error.

Adding a command takes one ``_run_<name>(args) -> str`` function and one ``_add_<name>``
parser block listed in ``_COMMANDS``.

Examples
--------
>>> from eduequity.cli import main
>>> main(["rules", "--rules", "2012"])
===...
...县域义务教育均衡发展督导评估暂行办法
...
0
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import json
import math
import os
import re
import sys
import textwrap
import time
import unicodedata
import warnings
from collections import Counter
from collections.abc import Callable, Mapping, Sequence, Sized
from importlib.resources import as_file
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Final, NoReturn, TypeAlias

import attrs
import pandas as pd

from eduequity._version import __version__
from eduequity.errors import EduEquityError, InputError, InvalidArgumentError, Issue
from eduequity.report import COUNTIES_FORMATS, COUNTY_FORMATS, RULES_FORMATS

if TYPE_CHECKING:
    from eduequity.checklist import ChecklistEvaluation, ChecklistRecords, RecommendationForm
    from eduequity.checklist.status import RecognitionYears
    from eduequity.city import CityAssessment
    from eduequity.national import AuditRecord, RuleSet
    from eduequity.national.remediation import RemediationPlan

    ExportSource: TypeAlias = (
        CityAssessment | ChecklistEvaluation | ChecklistRecords | RecommendationForm
    )
    _Subparsers: TypeAlias = "argparse._SubParsersAction[_Parser]"  # noqa: SLF001 - argparse exposes no public name for it

__all__ = ["build_parser", "main"]

PROG: Final = "eduequity"

EXIT_OK: Final = 0
"""A report was produced (whatever the verdict)."""
EXIT_USAGE: Final = 2
"""Bad input or bad usage; the reason is on standard error."""

EDITIONS: Final = ("2017", "2012")

# Format chosen from the suffix of --output when --format is not given.
_SUFFIX_FORMATS: Final = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".json": "json",
    ".html": "html",
    ".htm": "html",
    ".csv": "csv",
}
# Suffixes of formats no command writes: --output x.pdf must not quietly hold text.
_FOREIGN_SUFFIXES: Final = {
    ".pdf": "PDF",
    ".doc": "Word",
    ".docx": "Word",
    ".odt": "OpenDocument text",
    ".rtf": "RTF",
    ".xls": "Excel",
    ".xlsx": "Excel",
    ".xlsm": "Excel",
    ".ods": "OpenDocument spreadsheet",
    ".ppt": "PowerPoint",
    ".pptx": "PowerPoint",
    ".png": "PNG image",
    ".jpg": "JPEG image",
    ".jpeg": "JPEG image",
    ".svg": "SVG image",
    ".xml": "XML",
    ".yaml": "YAML",
    ".yml": "YAML",
    ".tex": "LaTeX",
    ".parquet": "Parquet",
}
_FORMAT_SUFFIXES: Final = {
    "text": ".txt",
    "markdown": ".md",
    "json": ".json",
    "html": ".html",
    "csv": ".csv",
}


MAX_ISSUE_LINES: Final = 20
"""Issue lines printed for a bad table; the rest are summarised by code (one paragraph)."""

# Input tables as the library names them in its issues -> the argument that gave the file.
_TABLE_ARGUMENTS: Final = {
    "schools": "schools",
    "checklist_records": "status_file",
    "register": "register",
    "finance": "funding",
    "county_facts": "facts",
    "facts": "facts",
    "survey": "survey",
    "monitoring": "monitoring",
    "recommendation_form": "form_data",
}
_ARGUMENT_LABELS: Final = {
    "schools": "school table",
    "status_file": "checklist status file",
    "register": "county register",
    "funding": "funding table (--funding)",
    "facts": "facts table (--facts)",
    "survey": "survey table (--survey)",
    "monitoring": "monitoring table (--monitoring)",
    "costs": "cost file (--costs)",
    "caps": "caps file (--caps)",
    "form_data": "form data (--form-data)",
}

# What a command-line user should do about a library error, by error code.
_HINTS: Final = {
    "several_counties": "choose one with --county NAME, or use 'eduequity counties' for all",
    "unknown_county": "check the spelling given to --county",
    "several_fact_rows": "choose the assessment year with --year",
    "mixed_years": "choose the school year with --year",
    "unknown_encoding": "give the encoding of the main table with --encoding, or save the file "
    "as UTF-8",
    "mixed_encoding": "correct those bytes, or give the encoding of the main table with "
    "--encoding; save other tables as UTF-8",
    "sheet_not_found": "choose the sheet with --sheet NAME or --sheet INDEX (0 is the first)",
    "no_rows_for_year": "choose one of the years the table holds with --year",
    "unknown_answer": "choose the answer scale of the survey with --scale, or --scale detect",
    "mixed_scales": "choose the answer scale of the survey with --scale",
    "unknown_item": "give --items ids that the survey's item_id (题号) column holds",
    "empty_selection": "give --items at least one item id",
    "infeasible_caps": "raise or remove the caps named above in the --caps file",
}

_CJK_PROBE: Final = "示范县（）"
_HELP_WIDTH: Final = 78

Runner = Callable[[argparse.Namespace], str]


# --------------------------------------------------------------------------- commands


def _run_demo(args: argparse.Namespace) -> str:
    """Assess the bundled synthetic demo county with all four of its tables."""
    from eduequity.datasets import DEMO_COUNTY, demo_path
    from eduequity.national import assess_county
    from eduequity.report import render_county

    with contextlib.ExitStack() as stack:
        paths = {
            name: stack.enter_context(as_file(demo_path(f"demo_county_{name}.csv")))
            for name in ("schools", "facts", "survey", "monitoring")
        }
        assessment = assess_county(
            paths["schools"],
            paths["facts"],
            paths["survey"],
            monitoring=paths["monitoring"],
            county=DEMO_COUNTY,
        )
    return render_county(assessment, args.format)


def _add_demo(commands: _Subparsers) -> None:
    parser = _command(
        commands,
        "demo",
        summary="assess the bundled synthetic demo county 示范县 (quick start)",
        description=(
            "Assess the synthetic demo county 示范县 (Demo County), school year 2024, under the "
            "2017 quality-balance method (教督〔2017〕6号), from its bundled school table, "
            "county facts, survey answers and monitoring results, and print the report. The "
            "county is designed to fail a few checks in instructive ways; its verdict is "
            "'fail' and the command still exits with 0."
        ),
        examples=(
            "eduequity demo",
            "eduequity demo --format markdown",
            "eduequity demo --format html --output demo-report.html",
        ),
    )
    _add_output_options(parser, COUNTY_FORMATS)
    parser.set_defaults(run=_run_demo)


def _run_assess(args: argparse.Namespace) -> str:
    """Assess one county from the files given on the command line."""
    from eduequity.national import assess_county
    from eduequity.report import render_county

    rules = _rules(args)
    schools = _input_file(args.schools, "schools")
    options = _recognition_options(args)
    # With --sheet or --encoding the table is read here; the frame, marked as validated, is
    # used as it is, with its reading's warnings.
    read = None
    if args.sheet is not None or args.encoding is not None:
        read = _read_schools(args, schools, rules)
    try:
        assessment = assess_county(
            schools if read is None else read,
            _optional_input_file(args.facts, "facts"),
            _optional_input_file(args.survey, "survey"),
            rules,
            monitoring=_optional_input_file(args.monitoring, "monitoring"),
            county=args.county,
            year=args.year,
            strict=args.strict,
            recognition_options=options,
        )
    except InvalidArgumentError as error:
        # Name the file and the years it holds when --year matches no row (read again only on
        # this error path).
        if args.year is None or error.code != "no_rows_for_year":
            raise
        frame = _read_schools(args, schools, rules)
        _check_year_rows(frame, _reading_issues(frame), args.year, schools)
        raise
    plan = None
    if args.plan:
        frame = _read_schools(args, schools, rules) if read is None else read
        in_county = frame.loc[frame["county"].astype(str) == assessment.county]
        plan = _plan(args, in_county, rules)
    # The rule set itself lets the report quote the source of an overlay loaded from a file.
    return render_county(assessment, args.format, rules=rules, plan=plan)


def _recognition_options(args: argparse.Namespace) -> dict[str, Any] | None:
    """Return the survey-scoring options given by --scale, --items, --ci-method and --seed."""
    options: dict[str, Any] = {}
    if args.scale is not None:
        options["scale"] = args.scale
    if args.items is not None:
        options["items"] = [item.strip() for item in args.items.split(",") if item.strip()]
    if args.seed is not None and args.ci_method != "bootstrap":
        msg = "--seed is the seed of the bootstrap; give it with --ci-method bootstrap"
        raise InvalidArgumentError(msg, code="invalid_option")
    if args.ci_method is not None:
        options["ci_method"] = args.ci_method
    if args.seed is not None:
        options["seed"] = args.seed
    return options or None


def _add_assess(commands: _Subparsers) -> None:
    from eduequity.core.recognition import SCALES

    parser = _command(
        commands,
        "assess",
        summary="assess one county over all parts of the method",
        description=(
            "Assess one county (县域义务教育优质均衡发展督导评估): the preconditions, Part 1 "
            "resource allocation (资源配置) from the school table, Part 2 government guarantee "
            "and Part 3 education quality from the county facts (and the monitoring results "
            "for Q9), Part 4 social recognition (社会认可度) from the survey answers, and the "
            "vetoes. Parts without data are reported as not assessed, never as passed. Files "
            "may be CSV (UTF-8, UTF-8 with BOM or GB18030) or spreadsheets (.xlsx, .xls, .ods, "
            ".et; title rows above the header and a totals row are skipped), with canonical "
            "or Chinese headers (docs: Input tables). The exit status is 0 whatever the verdict."
        ),
        examples=(
            "eduequity assess schools.csv",
            "eduequity assess schools.xlsx --facts facts.csv --survey survey.csv --format html",
            "eduequity assess city.csv --county 历下区 --year 2024 --rules 2017 --overlay shenyang",
            "eduequity assess schools.csv --survey survey.csv --scale numeric_1_5",
            "eduequity assess schools.csv --survey survey.csv --items Q9 --ci-method bootstrap",
            "eduequity assess schools.csv --plan --costs costs.json",
        ),
    )
    parser.add_argument("schools", metavar="SCHOOLS", help="the school table (学校表)")
    parser.add_argument("--facts", metavar="FACTS", help="the county facts (县级事实表)")
    parser.add_argument(
        "--survey", metavar="SURVEY", help="the survey answers for Part 4 (社会认可度问卷)"
    )
    parser.add_argument(
        "--monitoring",
        metavar="MONITORING",
        help="the national monitoring results for Q9 (义务教育质量监测结果)",
    )
    _add_table_options(parser, "SCHOOLS", others="--facts, --survey and --monitoring")
    _add_rules_options(parser)
    parser.add_argument(
        "--county", metavar="NAME", help="the county to assess when the tables hold several"
    )
    _add_year_option(parser)
    parser.add_argument(
        "--scale",
        choices=(*SCALES, "detect"),
        metavar="SCALE_ID",
        help="the answer scale of the survey (问卷选项): one of "
        f"{', '.join(SCALES)}, or detect (the first scale that holds every answer); "
        "default satisfaction_5",
    )
    parser.add_argument(
        "--items",
        metavar="ID[,ID...]",
        help="score only these survey items (题号, the item_id column), comma-separated, e.g. "
        "the overall-satisfaction item",
    )
    parser.add_argument(
        "--ci-method",
        choices=("wilson", "bootstrap"),
        help="the advisory interval of the recognition rate: wilson (default) or bootstrap, "
        "which resamples respondents and suits surveys where each respondent answers several "
        "items",
    )
    parser.add_argument(
        "--seed",
        type=int,
        metavar="N",
        help="seed of the bootstrap (default 0: the same files give the same interval)",
    )
    _add_strict_option(parser)
    parser.add_argument(
        "--plan",
        action="store_true",
        help="add the least-cost plan (最低成本达标方案) that makes Part 1 pass to the report",
    )
    _add_plan_options(parser)
    _add_output_options(parser, COUNTY_FORMATS)
    parser.set_defaults(run=_run_assess)


def _reading_issues(frame: pd.DataFrame) -> tuple[Issue, ...]:
    from eduequity.io import loaded_table

    reading = loaded_table(frame)
    return () if reading is None else reading.issues


def _read_with_progress(args: argparse.Namespace) -> tuple[_Progress, RuleSet, pd.DataFrame]:
    """Start the progress lines, then read and validate the school table of a long command."""
    progress = _Progress(enabled=args.progress if args.progress is not None else _is_tty())
    schools = _input_file(args.schools, "schools")
    rules = _rules(args)
    progress.say(f"reading schools from {schools}…")
    frame = _read_schools(args, schools, rules)
    if args.year is not None:
        _check_year_rows(frame, _reading_issues(frame), args.year, schools)
    if frame.empty:
        raise InputError([_NO_SCHOOL_ROWS], table="schools")
    return progress, rules, frame


def _add_progress_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="print progress lines to standard error (default: only when it is a terminal)",
    )


def _run_counties(args: argparse.Namespace) -> str:
    """Assess Part 1 for every county of the school table, with progress on standard error."""
    from eduequity.national import assess_counties
    from eduequity.report import render_counties

    progress, rules, frame = _read_with_progress(args)
    n_counties = frame["county"].nunique()
    progress.say(f"assessing {n_counties} counties ({len(frame)} rows)…")
    # The frame is marked as validated: assess_counties uses it without validating it again.
    summary = assess_counties(frame, rules, year=args.year, strict=args.strict)
    report = render_counties(summary, args.format)
    if args.format == "csv":
        # The CSV is the table alone, for programs; what it leaves out goes to standard error.
        for line in _audit_lines(summary.attrs["eduequity"]):
            _say(line, kind="warning")
    progress.say(f"done in {progress.elapsed():.1f} s")
    return report


_NO_SCHOOL_ROWS: Final = Issue(
    code="no_rows",
    message="the table has a header but no school rows; expected one row per school",
    table="schools",
)


def _audit_lines(record: AuditRecord) -> list[str]:
    """Every warning, excluded school and merged site of a counties table, one line each.

    At most :data:`MAX_ISSUE_LINES`; the rest are counted by code, as for errors. Only the
    lines shown are rendered (a national table excludes tens of thousands of schools).
    """
    excluded, merged = record.excluded, record.merged
    kinds: list[tuple[int, Callable[[int], str]]] = [
        (len(record.warnings), lambda i: record.warnings[i].render()),
        (
            len(excluded),
            lambda i: (
                "[unit_excluded] excluded from Part 1: "
                f"{excluded['detail'].iloc[i]} @ school_id={excluded['school_id'].iloc[i]}, "
                f"county {excluded['county'].iloc[i]}"
            ),
        ),
        (
            len(merged),
            lambda i: (
                "[site_merged] site (不计校数) merged into school "
                f"{merged['parent_id'].iloc[i]} @ school_id={merged['site_id'].iloc[i]}, "
                f"county {merged['county'].iloc[i]}"
            ),
        ),
    ]
    lines: list[str] = []
    for count, render in kinds:
        lines += [render(i) for i in range(min(count, MAX_ISSUE_LINES + 1 - len(lines)))]
    total = sum(count for count, _ in kinds)
    if total <= MAX_ISSUE_LINES:
        return lines
    rest = Counter(issue.code for issue in record.warnings)
    rest.update({"unit_excluded": len(excluded), "site_merged": len(merged)})
    for line in lines[:MAX_ISSUE_LINES]:
        rest[line[1 : line.index("]")]] -= 1
    codes = ", ".join(f"{code} ×{count}" for code, count in rest.most_common() if count > 0)
    more = total - MAX_ISSUE_LINES
    summary = f"… and {more} more (codes: {codes}); --format json or text lists every one"
    return [*lines[:MAX_ISSUE_LINES], summary]


def _add_counties(commands: _Subparsers) -> None:
    parser = _command(
        commands,
        "counties",
        summary="assess resource allocation (Part 1) for every county of a table",
        description=(
            "Assess Part 1, resource allocation (资源配置), for every county in a school table "
            "at once: the per-school rule, the inter-school coefficients of variation (差异系数) "
            "and the verdict, one row per county and stage. National scale (about 200 000 "
            "schools) takes seconds. Progress lines go to standard error when it is a "
            "terminal or with --progress; standard output carries only the table."
        ),
        examples=(
            "eduequity counties province.csv",
            "eduequity counties province.xlsx --year 2024 --format json --output counties.json",
            "eduequity counties city.csv --rules 2012 --format text",
        ),
    )
    parser.add_argument("schools", metavar="SCHOOLS", help="the school table (学校表)")
    _add_table_options(parser, "SCHOOLS")
    _add_rules_options(parser)
    _add_year_option(parser)
    _add_strict_option(parser)
    _add_progress_option(parser)
    _add_output_options(parser, COUNTIES_FORMATS)
    _add_excel_csv_option(parser)
    parser.set_defaults(run=_run_counties)


def _run_plan(args: argparse.Namespace) -> str:
    """Plan every failing county of the school table, with progress on standard error."""
    from eduequity.report import render_plan

    progress, rules, frame = _read_with_progress(args)
    if args.county is not None:
        frame = frame.loc[frame["county"].astype(str) == args.county]
        if frame.empty:
            message = f"--county {args.county!r} is not in the {_ARGUMENT_LABELS['schools']}"
            raise InvalidArgumentError(message, code="unknown_county")
    plan = _plan(args, frame, rules, progress=progress)
    progress.say(f"done in {progress.elapsed():.1f} s")
    return render_plan(plan, args.format)


def _add_plan(commands: _Subparsers) -> None:
    from eduequity.report import PLAN_FORMATS

    parser = _command(
        commands,
        "plan",
        summary="the least-cost plan that makes failing counties pass Part 1",
        description=(
            "Find the least-cost remediation plan (最低成本达标方案) for every county of the "
            "school table that fails Part 1, resource allocation (资源配置): what each school "
            "must add (teachers, teaching and sports area, equipment, multimedia rooms) so "
            "that every school section meets at least 6 of its 7 standards with the rest at "
            "85% or more and every coefficient of variation (差异系数) is within its limit. "
            "The plan is proven within a stated gap of the cheapest possible, and compared "
            "with the naive plan that brings every failing section to every standard. The "
            "default unit costs are assumptions: give your own with --costs."
        ),
        examples=(
            "eduequity plan schools.csv",
            "eduequity plan schools.csv --costs costs.json --caps caps.csv --format markdown",
            "eduequity plan province.csv --transfers --format csv --output plan.csv",
        ),
    )
    parser.add_argument("schools", metavar="SCHOOLS", help="the school table (学校表)")
    _add_table_options(parser, "SCHOOLS")
    _add_plan_options(parser)
    parser.add_argument("--county", metavar="NAME", help="plan only this county of the table")
    _add_rules_options(parser)
    _add_year_option(parser)
    _add_strict_option(parser)
    _add_progress_option(parser)
    _add_output_options(parser, PLAN_FORMATS)
    _add_excel_csv_option(parser)
    parser.set_defaults(run=_run_plan)


def _add_plan_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--costs",
        metavar="FILE",
        help="unit costs in yuan: a JSON object {column: yuan per unit} or a CSV with columns "
        "resource and cost; 'teacher_transfer' is the cost of one teacher moved (default: "
        "the documented assumptions)",
    )
    parser.add_argument(
        "--caps",
        metavar="FILE",
        help="the most each school can add: a CSV with columns school_id, column and max "
        "(e.g. 0 for sports_ground_area_m2 where there is no land)",
    )
    parser.add_argument(
        "--transfers",
        action="store_true",
        help="also let teachers move between schools of a county (交流轮岗)",
    )


def _plan(
    args: argparse.Namespace,
    frame: pd.DataFrame,
    rules: RuleSet,
    *,
    progress: _Progress | None = None,
) -> RemediationPlan:
    """Run the planner with the cost and cap files of the command line, errors in CLI terms."""
    from eduequity.national import plan_remediation

    costs = _read_costs(args.costs)
    caps = _read_caps(args.caps)
    try:
        return plan_remediation(
            frame,
            rules=rules,
            costs=costs,
            caps=caps,
            transfers=args.transfers,
            progress=None if progress is None else progress.say,
        )
    except InvalidArgumentError as error:
        for flag, prefix in (("--costs", "costs:"), ("--caps", "caps:")):
            if error.message.startswith(prefix):
                path = args.costs if flag == "--costs" else args.caps
                message = f"{flag} {path!r}:{error.message[len(prefix) :]}"
                raise InvalidArgumentError(message, code=error.code) from None
        raise


def _read_costs(path: str | None) -> dict[str, float] | None:
    """Read ``--costs``: a JSON object of column to yuan, or a CSV with resource and cost."""
    if path is None:
        return None
    path = _input_file(path, "costs")
    label = f"--costs {path!r}"
    if path.lower().endswith(".json"):
        data = _json_object(path, label, "{column: yuan per unit}", code="invalid_cost")
        return {str(key): _cost_number(value, label, str(key)) for key, value in data.items()}
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    key = "resource" if "resource" in table.columns else "column"
    if key not in table.columns or "cost" not in table.columns:
        message = f"{label}: expected the columns resource and cost; found {list(table.columns)}"
        raise InvalidArgumentError(message, code="invalid_cost")
    return {
        str(name): _cost_number(value, f"{label}, row {row + 2}", str(name))
        for row, (name, value) in enumerate(zip(table[key], table["cost"], strict=True))
    }


def _json_object(path: str, label: str, expected: str, *, code: str) -> dict[str, Any]:
    """Read a JSON file that must hold one object; errors name the flag and the file."""
    try:
        data: Any = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as error:
        message = f"{label}: not valid JSON ({error.msg}, line {error.lineno})"
        raise InvalidArgumentError(message, code=code) from None
    if not isinstance(data, dict):
        message = f"{label}: expected a JSON object {expected}"
        raise InvalidArgumentError(message, code=code)
    return data


def _cost_number(value: object, where: str, key: str) -> float:
    try:
        number = float(str(value))
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        message = f"{where}: the cost of {key!r} must be a number of yuan; got {value!r}"
        raise InvalidArgumentError(message, code="invalid_cost")
    return number


def _read_caps(path: str | None) -> pd.DataFrame | None:
    """Read ``--caps``: a CSV with school_id, column and max."""
    if path is None:
        return None
    path = _input_file(path, "caps")
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [name for name in ("school_id", "column", "max") if name not in table.columns]
    if missing:
        message = (
            f"--caps {path!r}: column(s) {', '.join(missing)} missing; expected school_id, "
            "column and max"
        )
        raise InvalidArgumentError(message, code="invalid_caps")
    values = []
    for row, value in enumerate(table["max"]):
        try:
            values.append(float(value))
        except ValueError:
            message = (
                f"--caps {path!r}, row {row + 2} (school_id={table['school_id'].iloc[row]}), "
                f"column max: expected a number; got {value!r}"
            )
            raise InvalidArgumentError(message, code="invalid_caps") from None
    return table.assign(max=values)


def _run_rules(args: argparse.Namespace) -> str:
    """Render a rule set with the source of every rule."""
    from eduequity.report import render_rules

    return render_rules(_rules(args), args.format)


def _add_rules(commands: _Subparsers) -> None:
    parser = _command(
        commands,
        "rules",
        summary="print a rule set with the source of every rule",
        description=(
            "Print the rule set (规则集) of an edition of the national method, optionally with a "
            "provincial overlay (地方实施细则): every threshold, ratio and switch with its unit, "
            "its source document and clause, and its confidence tag."
        ),
        examples=(
            "eduequity rules",
            "eduequity rules --rules 2012 --format markdown",
            "eduequity rules --overlay shenyang --format json --output shenyang.json",
        ),
    )
    _add_rules_options(parser)
    _add_output_options(parser, RULES_FORMATS)
    parser.set_defaults(run=_run_rules)


def _run_checklist(args: argparse.Namespace) -> str:
    """Evaluate creation-checklist status records (攻坚清单) per county."""
    from eduequity.checklist import evaluate_checklist, read_checklist_records
    from eduequity.city import read_register
    from eduequity.io import read_county_facts
    from eduequity.report import render_checklist

    records = read_checklist_records(
        _input_file(args.status_file, "status_file"),
        strict=args.strict,
        sheet=_sheet(args),
        encoding=args.encoding,
    )
    years: RecognitionYears = None
    extra: tuple[Issue, ...] = ()
    if args.facts is not None:
        facts = read_county_facts(_input_file(args.facts, "facts"))
        years, extra = facts, facts.issues
    elif args.register is not None:
        register = read_register(_input_file(args.register, "register"))
        years = register.frame.groupby("county")["basic_balance_year"].max()
        extra = register.issues
    evaluation = evaluate_checklist(
        records,
        in_progress_weight=args.in_progress_weight,
        reference_year=args.reference_year,
        basic_balance_years=years,
    )
    # The report carries the warnings of every table it was computed from.
    evaluation = attrs.evolve(evaluation, issues=(*evaluation.issues, *extra))
    form = None if args.form is None else _form(args, evaluation)
    if args.export is not None:
        _export(args, evaluation, records, *(() if form is None else (form,)))
    if form is not None:
        return _render_form(form, args)
    return render_checklist(evaluation, args.format)


def _form(args: argparse.Namespace, evaluation: ChecklistEvaluation) -> RecommendationForm:
    """Fill the recommendation form of ``--form COUNTY``, errors in command-line terms."""
    from eduequity.checklist import recommendation_form

    if args.form not in evaluation.counties:
        shown = ", ".join(evaluation.counties[:10]) or "none"
        message = (
            f"--form {args.form!r} is not a county of the {_ARGUMENT_LABELS['status_file']} "
            f"{args.status_file!r}; counties there: {shown}"
        )
        raise InvalidArgumentError(message, code="unknown_form_county")
    try:
        return recommendation_form(
            args.form,
            schools=_optional_input_file(args.schools, "schools"),
            facts=_optional_input_file(args.facts, "facts"),
            checklist=evaluation,
            entries=_read_form_data(args.form_data),
            rules=_rules(args),
            year=args.year,
            reference_year=args.reference_year,
        )
    except InvalidArgumentError as error:
        if error.code != "unknown_county":
            raise
        message = f"--form {args.form!r}: {error.message}"
        raise InvalidArgumentError(message, code="unknown_form_county") from None


def _render_form(form: RecommendationForm, args: argparse.Namespace) -> str:
    from eduequity.report import render_form

    return render_form(form, args.format, include_personal=args.include_personal)


def _read_form_data(path: str | None) -> dict[str, Any] | None:
    """Read ``--form-data``: a JSON object {field: value} or a CSV with field and value."""
    if path is None:
        return None
    path = _input_file(path, "form_data")
    label = f"--form-data {path!r}"
    if path.lower().endswith(".json"):
        return _json_object(path, label, "{field: value}", code="invalid_form_data")
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        message = f"{label}: not a CSV with columns field and value ({error})"
        raise InvalidArgumentError(message, code="invalid_form_data") from None
    if list(table.columns[:2]) != ["field", "value"]:
        message = f"{label}: expected the columns field and value; found {list(table.columns)}"
        raise InvalidArgumentError(message, code="invalid_form_data")
    return dict(zip(table["field"], table["value"], strict=True))


def _export(args: argparse.Namespace, *results: ExportSource) -> None:
    """Write every table of the results to ``--export DIR``, never over an input file."""
    import importlib.util

    from eduequity.city import export

    formats = args.export_format or ["csv", "json", "xlsx"]
    if not args.export_format and importlib.util.find_spec("openpyxl") is None:
        formats = ["csv", "json"]
        _say(
            "--export: .xlsx skipped: it needs openpyxl (python -m pip install "
            '"eduequity[excel]"); CSV and JSON written',
            kind="warning",
        )
    written = [
        export(
            result,
            args.export,
            formats=formats,
            include_personal=args.include_personal,
            protect=_files_given(args).values(),
        )
        for result in results
    ]
    tables = sum(len(result.tables) for result in written)
    _say(f"{tables} tables ({', '.join(formats)}) exported to {args.export}")


def _add_checklist(commands: _Subparsers) -> None:
    from eduequity.report import CHECKLIST_FORMATS

    parser = _command(
        commands,
        "checklist",
        summary="evaluate creation-checklist status records (创建攻坚清单)",
        description=(
            "Evaluate the status records of the 2021 creation notice (县域义务教育优质均衡创建, "
            "catalogue cn_moe_2021_creation) for every county in the file: completion of the 4 "
            "basic tasks (基本任务) and of the 20 items of the checklist of hard problems "
            "(攻坚清单) per area and overall, what is missing, and the selection conditions "
            "(遴选条件 S1–S3). The file may be CSV, Excel or JSON, with canonical or Chinese "
            "headers (县（市、区）, 清单编号, 状态, ...)."
        ),
        examples=(
            "eduequity checklist status.csv",
            "eduequity checklist status.csv --facts facts.csv --reference-year 2025",
            "eduequity checklist status.csv --register register.csv --reference-year 2025",
            "eduequity checklist status.json --format markdown --output checklist.md",
            "eduequity checklist status.csv --facts facts.csv --schools schools.csv --form 荣成市",
            "eduequity checklist status.csv --form 荣成市 --form-data form.json --export form/",
            "eduequity checklist status.csv --export tables/",
        ),
    )
    parser.add_argument(
        "status_file", metavar="STATUS_FILE", help="the checklist status records (清单进展记录)"
    )
    _add_table_options(parser, "STATUS_FILE", others="--facts and --register")
    years = parser.add_mutually_exclusive_group()
    years.add_argument(
        "--facts",
        metavar="FACTS",
        help="county facts with basic_balance_recognition_year, for selection condition S2",
    )
    years.add_argument(
        "--register",
        metavar="REGISTER",
        help="or a county register with basic_balance_year, for selection condition S2",
    )
    parser.add_argument(
        "--reference-year",
        type=int,
        metavar="YEAR",
        help="the year of the recommendation for condition S2 (default: the catalogue's, 2021)",
    )
    parser.add_argument(
        "--in-progress-weight",
        type=float,
        default=0.0,
        metavar="W",
        help="how much an item in progress counts towards completion (default 0)",
    )
    _add_strict_option(parser)
    parser.add_argument(
        "--form",
        metavar="COUNTY",
        help="print this county's recommendation form (推荐表) instead of the checklist "
        "report: counts from --schools, province, city and recognition year from --facts, "
        "the rest from --form-data",
    )
    parser.add_argument(
        "--schools",
        metavar="SCHOOLS",
        help="the school table, for the counts and the balance narrative of --form",
    )
    parser.add_argument(
        "--form-data",
        metavar="FILE",
        help="what --form cannot derive (narratives, opinions, seals, contacts): a JSON "
        "object {field: value} or a CSV with columns field and value",
    )
    _add_rules_options(parser)
    _add_year_option(parser)
    _add_export_options(parser)
    _add_output_options(parser, CHECKLIST_FORMATS)
    parser.set_defaults(run=_run_checklist)


def _add_export_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--export",
        metavar="DIR",
        help="also write every table as CSV, JSON and Excel (bilingual headers, provenance "
        "in the first row) to this directory",
    )
    parser.add_argument(
        "--export-format",
        action="append",
        choices=("csv", "json", "xlsx"),
        metavar="FORMAT",
        help="write only this format with --export: csv, json or xlsx (repeatable; default "
        "all three, xlsx when openpyxl is installed)",
    )
    parser.add_argument(
        "--include-personal",
        action="store_true",
        help="keep the contact names and phones of the recommendation form (redacted by default)",
    )


def _run_city(args: argparse.Namespace) -> str:
    """Assess a city: its register and, with a school table, the city-wide figures."""
    from eduequity.city import CountyRegister, assess_city, read_register
    from eduequity.report import render_city

    register: str | CountyRegister = _input_file(args.register, "register")
    if args.sheet is not None or args.encoding is not None:
        register = read_register(
            register, strict=args.strict, sheet=_sheet(args), encoding=args.encoding
        )
    assessment = assess_city(
        register,
        _optional_input_file(args.schools, "schools"),
        rules=_rules(args),
        city=args.city,
        target_year=args.target_year,
        funding=_optional_input_file(args.funding, "funding"),
        year=args.year,
        strict=args.strict,
        facts=_optional_input_file(args.facts, "facts"),
        survey=_optional_input_file(args.survey, "survey"),
        province_total=args.province_total,
    )
    if args.export is not None:
        _export(args, assessment)
    return render_city(assessment, args.format)


def _add_city(commands: _Subparsers) -> None:
    from eduequity.report import CITY_FORMATS

    parser = _command(
        commands,
        "city",
        summary="city-level view of the counties (市域统筹): pipeline and disparities",
        description=(
            "Summarise a city's counties (市域统筹) from its county register: the pipeline "
            "(创建中, 已申报, 通过省级评估, 通过国家认定), counts and shares, whether the whole "
            "city is recognised and the year all counties would be at the current pace. With "
            "--schools, also the city-wide resource figures: student-weighted means and CVs, "
            "the exact split of inequality into between- and within-county parts, the counties "
            "ranked by their gaps to the limits, and urban–rural (城区/镇区/乡村) ratios. Every "
            "report ends with the figures cities publish, each with its definition; --survey "
            "adds social recognition per county, and a --funding series with students and "
            "recurring revenue the wealth neutrality of spending across counties."
        ),
        examples=(
            "eduequity city register.csv",
            "eduequity city register.csv --schools schools.csv --target-year 2030",
            "eduequity city register.csv --schools schools.csv --format json --output city.json",
            "eduequity city register.csv --schools schools.csv --export city-tables/",
            "eduequity city register.csv --facts facts.csv --survey survey.csv --province-total 9",
        ),
    )
    parser.add_argument("register", metavar="REGISTER", help="the county register (县域创建台账)")
    _add_table_options(parser, "REGISTER", others="--schools, --funding, --facts and --survey")
    parser.add_argument(
        "--schools", metavar="SCHOOLS", help="the school table of the city's counties (学校表)"
    )
    parser.add_argument(
        "--funding",
        metavar="FUNDING",
        help="funding series by county and year, for the three growths (三个增长)",
    )
    parser.add_argument(
        "--facts",
        metavar="FACTS",
        help="county facts, for the published teacher-exchange and retention figures",
    )
    parser.add_argument(
        "--survey",
        metavar="SURVEY",
        help="a city-wide survey file, for recognition per county (社会认可度)",
    )
    parser.add_argument(
        "--province-total",
        type=int,
        metavar="N",
        help="units of the province on the national list, for the city's share of it",
    )
    parser.add_argument("--city", metavar="NAME", help="the city, when the register holds several")
    parser.add_argument(
        "--target-year",
        type=int,
        metavar="YEAR",
        help="the year by which every county should be recognised",
    )
    _add_rules_options(parser)
    _add_year_option(parser)
    _add_strict_option(parser)
    _add_export_options(parser)
    _add_output_options(parser, CITY_FORMATS)
    parser.set_defaults(run=_run_city)


def _run_schema(args: argparse.Namespace) -> str:
    """Print the JSON Schema of one kind of JSON document."""
    from eduequity.report import json_schema

    return json.dumps(json_schema(args.kind), ensure_ascii=False, indent=2) + "\n"


def _add_schema(commands: _Subparsers) -> None:
    from eduequity.report import SCHEMA_KINDS

    parser = _command(
        commands,
        "schema",
        summary="print the JSON Schema of a command's JSON output, for services",
        description=(
            "Print the JSON Schema (draft 2020-12) of the JSON that a command writes with "
            "--format json: county (demo and assess), counties, city or checklist. Services "
            "can validate what they read against it."
        ),
        examples=(
            "eduequity schema county",
            "eduequity schema counties --output counties.schema.json",
        ),
    )
    parser.add_argument(
        "kind", choices=SCHEMA_KINDS, metavar="KIND", help=f"one of {', '.join(SCHEMA_KINDS)}"
    )
    _add_output_options(parser, ("json",))
    parser.set_defaults(run=_run_schema)


_COMMANDS: Final[tuple[Callable[[_Subparsers], None], ...]] = (
    _add_demo,
    _add_assess,
    _add_counties,
    _add_plan,
    _add_rules,
    _add_checklist,
    _add_city,
    _add_schema,
)
"""The parser block of every command, in the order ``--help`` lists them."""


# --------------------------------------------------------------------------- parser


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors say ``eduequity: error:`` like every other error."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{PROG}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``eduequity`` command.

    Returns
    -------
    argparse.ArgumentParser
        The parser with one sub-command per command (``demo``, ``assess``, ``counties``,
        ``rules``); each parsed namespace carries ``run``, the function that produces the
        report.

    Examples
    --------
    >>> from eduequity.cli import build_parser
    >>> args = build_parser().parse_args(["rules", "--rules", "2012"])
    >>> args.command, args.rules, args.overlay
    ('rules', '2012', None)
    """
    parser = _Parser(
        prog=PROG,
        description=textwrap.fill(
            "Education-equity metrics: China's county-level assessment of compulsory-education "
            "balance (县域义务教育优质均衡发展督导评估, 教督〔2017〕6号, and the 2012 "
            "basic-balance method).",
            width=_HELP_WIDTH,
        ),
        epilog=_epilog(
            (
                "eduequity demo",
                "eduequity assess schools.csv --facts facts.csv --survey survey.csv",
                "eduequity counties province.csv --format csv > counties.csv",
                "eduequity rules --overlay shenyang",
                "eduequity COMMAND --help",
            )
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(
        dest="command", metavar="COMMAND", title="commands", required=True, parser_class=_Parser
    )
    for add_command in _COMMANDS:
        add_command(commands)
    return parser


def _command(
    commands: _Subparsers,
    name: str,
    *,
    summary: str,
    description: str,
    examples: Sequence[str],
) -> argparse.ArgumentParser:
    return commands.add_parser(
        name,
        help=summary,
        description=textwrap.fill(description, width=_HELP_WIDTH),
        epilog=_epilog(examples),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def _epilog(examples: Sequence[str]) -> str:
    return "examples:\n" + "\n".join(f"  {example}" for example in examples)


def _add_rules_options(parser: argparse.ArgumentParser) -> None:
    from eduequity.national import list_overlays

    parser.add_argument(
        "--rules",
        choices=EDITIONS,
        default="2017",
        help="the edition of the method: 2017 quality balance (优质均衡, default) or 2012 basic "
        "balance (基本均衡)",
    )
    parser.add_argument(
        "--overlay",
        metavar="NAME",
        help=f"a provincial overlay: one of {', '.join(list_overlays())}, or the path of an "
        "overlay .json file",
    )


def _add_table_options(parser: argparse.ArgumentParser, table: str, others: str = "") -> None:
    rest = (
        f"; {others} are read from their first sheet whose headers match, whatever --sheet says"
        if others
        else ""
    )
    parser.add_argument(
        "--sheet",
        metavar="NAME|INDEX",
        help=f"the sheet of a {table} workbook to read: its name, or its position (0 is the "
        f"first sheet); default: the first sheet whose headers match{rest}",
    )
    also = f" ({others} are detected)" if others else ""
    parser.add_argument(
        "--encoding",
        metavar="ENCODING",
        help=f"the encoding of a {table} CSV file, e.g. gbk or utf-8; default: UTF-8 with or "
        f"without BOM, or GB18030, detected{also}",
    )


def _read_schools(args: argparse.Namespace, schools: str, rules: RuleSet) -> pd.DataFrame:
    """Read the school table with ``--year``, ``--strict``, ``--sheet`` and ``--encoding``."""
    from eduequity.national import read_schools

    return read_schools(
        schools,
        rules=rules,
        year=args.year,
        strict=args.strict,
        sheet=_sheet(args),
        encoding=args.encoding,
    )


def _sheet(args: argparse.Namespace) -> str | int | None:
    """``--sheet``: a position when it is a whole number, else a sheet name."""
    value: str | None = args.sheet
    if value is None:
        return None
    text = value.strip()
    return int(text) if text.isdigit() else value


def _add_year_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--year", type=int, metavar="YEAR", help="the school year (start year) to assess"
    )


def _add_strict_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--strict",
        action="store_true",
        help="treat the warnings marked as strict (docs: Input tables) as errors",
    )


def _add_output_options(parser: argparse.ArgumentParser, formats: Sequence[str]) -> None:
    parser.add_argument(
        "--format",
        choices=formats,
        help=f"the report format (default: from the --output suffix, else {formats[0]})",
    )
    parser.add_argument(
        "--output",
        metavar="PATH",
        help="write the report to this file (UTF-8) instead of standard output",
    )
    parser.set_defaults(formats=tuple(formats))


def _add_excel_csv_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--excel-csv",
        action="store_true",
        help="write the CSV as UTF-8 with a byte-order mark (BOM), so that Excel shows Chinese "
        "correctly; implies --format csv (default: UTF-8 without BOM, for programs)",
    )


def _check_excel_csv(args: argparse.Namespace) -> None:
    """``--excel-csv`` asks for CSV: the format, when not named, and never another one."""
    if not getattr(args, "excel_csv", False):
        return
    if args.format is None and args.output is None:
        args.format = "csv"
    if _resolve_format(args) != "csv":
        message = (
            "--excel-csv writes CSV; use it with --format csv or an --output path ending "
            "in .csv, or leave it out"
        )
        raise InvalidArgumentError(message, code="invalid_option")


# --------------------------------------------------------------------------- helpers


def _rules(args: argparse.Namespace) -> RuleSet:
    from eduequity.national import get_rules, load_overlay

    overlay: str | None = args.overlay
    if overlay is not None and (overlay.endswith(".json") or any(s in overlay for s in "/\\")):
        return get_rules(args.rules, overlay=load_overlay(_input_file(overlay, "overlay")))
    return get_rules(args.rules, overlay=overlay)


def _input_file(path: str, argument: str) -> str:
    """Return ``path`` if it is an existing file; otherwise fail naming the argument."""
    label = _ARGUMENT_LABELS.get(argument, f"{argument} file")
    if not os.path.exists(path):  # noqa: PTH110 - the argument is kept as the user typed it
        raise InvalidArgumentError(f"{label} {path!r} does not exist", code="file_not_found")
    if os.path.isdir(path):  # noqa: PTH112 - same
        raise InvalidArgumentError(
            f"{label} {path!r} is a directory; expected a file", code="file_not_found"
        )
    return path


def _optional_input_file(path: str | None, argument: str) -> str | None:
    return None if path is None else _input_file(path, argument)


_YEARS_HELD: Final = re.compile(r"excluded by year=[^:]*: (?P<years>.*?)(?:; no row has year|$)")


def _check_year_rows(frame: Sized, issues: Sequence[Issue], year: int, path: str) -> None:
    """Fail when ``--year`` kept no row of the school table, naming the years it holds."""
    if len(frame) > 0:
        return
    excluded = [issue for issue in issues if issue.code == "other_years_excluded"]
    label = f"{_ARGUMENT_LABELS['schools']} {path!r}"
    if not excluded:
        message = f"no row of the {label} has school year {year} (--year {year})"
    else:
        found = _YEARS_HELD.search(excluded[0].message)
        held = found.group("years") if found else excluded[0].message
        message = (
            f"no row of the {label} has school year {year} (--year {year}); the table holds {held}"
        )
    raise InvalidArgumentError(message, code="no_rows_for_year")


def _resolve_format(args: argparse.Namespace) -> str:
    """Return ``--format``, else the format the ``--output`` suffix names, else the default.

    A suffix that names a format the command does not write (``.pdf``, or ``.html`` for
    ``counties``) is an error rather than a file of the wrong kind under that name.
    """
    if args.format is not None:
        return str(args.format)
    formats: tuple[str, ...] = args.formats
    if args.output is None:
        return formats[0]
    suffix = Path(args.output).suffix.lower()
    guessed = _SUFFIX_FORMATS.get(suffix)
    if guessed in formats:
        return str(guessed)
    named = guessed or _FOREIGN_SUFFIXES.get(suffix)
    if named is None:  # no suffix, or one that names no format (.out, .log): the default
        return formats[0]
    offered = ", ".join(f"{name} ({_FORMAT_SUFFIXES[name]})" for name in formats)
    message = (
        f"--output {args.output!r}: the suffix {suffix} names the {named} format, which "
        f"'{PROG} {args.command}' does not write; it writes {offered}. Choose one with "
        "--format, or change the suffix"
    )
    raise InvalidArgumentError(message, code="unsupported_output_format")


def _check_output(path: str | None, inputs: Mapping[str, str]) -> None:
    """Fail before any work when the report could not be written, or would overwrite an input."""
    if path is None:
        return
    target = Path(path)
    for argument, given in inputs.items():
        if _same_file(target, Path(given)):
            label = _ARGUMENT_LABELS.get(argument, f"{argument} file")
            raise InvalidArgumentError(
                f"--output {path!r} is the {label} {given!r}; writing the report there would "
                "destroy an input. Choose another --output path",
                code="output_is_input",
            )
    directory = target.parent
    if not directory.is_dir():
        raise InvalidArgumentError(
            f"cannot write the report to {path!r}: the directory {str(directory)!r} does not exist",
            code="output_directory_missing",
        )
    if target.is_dir():
        raise InvalidArgumentError(
            f"cannot write the report to {path!r}: it is a directory", code="invalid_output"
        )


def _same_file(first: Path, second: Path) -> bool:
    """Whether two paths name one file (also through links, or spelled differently)."""
    try:
        return first.exists() and second.exists() and first.samefile(second)
    except OSError:
        return first.resolve() == second.resolve()


_CONTROL: Final = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""C0 controls but tab and newline, DEL and C1 controls: none belongs in a report, and some
(ESC, CSI) make a terminal run commands or hide text."""


def _printable(text: str) -> str:
    """``text`` with every control character shown as U+FFFD (the readers warn about them)."""
    return _CONTROL.sub("\ufffd", text)


def _write(report: str, path: str | None, *, bom: bool = False) -> None:
    report = _printable(report)
    text = report if report.endswith("\n") else report + "\n"
    encoding = "utf-8-sig" if bom else "utf-8"
    if path is None:
        stdout = getattr(sys.stdout, "buffer", None)
        if bom and stdout is not None:
            # Bytes for Excel, whatever the terminal's encoding.
            sys.stdout.flush()
            stdout.write(text.encode(encoding))
            stdout.flush()
            return
        sys.stdout.write("\ufeff" + text if bom else text)
        sys.stdout.flush()
        return
    try:
        Path(path).write_text(text, encoding=encoding)
    except OSError as error:
        reason = error.strerror or str(error)
        raise InvalidArgumentError(
            f"cannot write the report to {path!r}: {reason}", code="invalid_output"
        ) from error
    _say(f"report written to {path}")


def _say(message: str, *, kind: str = "") -> None:
    prefix = f"{PROG}: {kind}: " if kind else f"{PROG}: "
    sys.stderr.write(prefix + _printable(message) + "\n")
    sys.stderr.flush()


def _is_tty() -> bool:
    isatty = getattr(sys.stderr, "isatty", None)
    return bool(isatty is not None and isatty())


class _Progress:
    """Short progress lines on standard error, for work that may take seconds."""

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled
        self.start = time.perf_counter()

    def say(self, message: str) -> None:
        if self.enabled:
            _say(message)

    def elapsed(self) -> float:
        return time.perf_counter() - self.start


# Characters a terminal's encoding may lack, written readably instead (the rest are folded
# by NFKC where that helps: ² → 2, ½ → 1⁄2 → 1/2; anything else becomes \uXXXX).
_READABLE: Final = {
    "\u0304": "bar",  # the macron of x̄ (the mean)
    "\u2212": "-",
    "\u2044": "/",
    "\u2022": "*",
    "\u2713": "v",
    "\u2717": "x",
    "\u00b5": "u",
    "\u20ac": "EUR",
}
READABLE_ERRORS: Final = "eduequity-readable"
"""The error handler of standard output and error: characters the encoding lacks are written
readably (``m²`` as ``m2``) rather than stopping the report with a ``UnicodeEncodeError``."""


def _readable(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    pieces = []
    for char in error.object[error.start : error.end]:
        candidate = _READABLE.get(char)
        if candidate is None:
            candidate = "".join(
                _READABLE.get(part, part) for part in unicodedata.normalize("NFKC", char)
            )
        try:
            candidate.encode(error.encoding)
        except (UnicodeEncodeError, LookupError):
            candidate = char.encode("ascii", "backslashreplace").decode("ascii")
        pieces.append(candidate)
    return "".join(pieces), error.end


codecs.register_error(READABLE_ERRORS, _readable)


def _ensure_unicode_stream(stream: IO[str]) -> None:
    """Make ``stream`` print whatever the locale: never a ``UnicodeEncodeError``.

    A stream that can encode Chinese (UTF-8, GBK, GB18030, Big5) keeps its encoding, and the
    characters it lacks are written readably (``m²`` as ``m2``); one that cannot (ASCII,
    Latin-1: usually a locale left unset) is switched to UTF-8, since a report in Chinese
    could not be read otherwise.
    """
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is None:
        return
    encoding = getattr(stream, "encoding", None) or "ascii"
    try:
        _CJK_PROBE.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        reconfigure(encoding="utf-8", errors="replace")
    else:
        reconfigure(errors=READABLE_ERRORS)


def _files_given(args: argparse.Namespace) -> dict[str, str]:
    """Return the input files of the command line, by argument name."""
    return {
        name: str(getattr(args, name))
        for name in (*_ARGUMENT_LABELS, "overlay")
        if getattr(args, name, None) is not None
    }


def _describe_input_error(error: InputError, args: argparse.Namespace) -> str:
    """Prefix the library's rendering (one line per issue) with the file it concerns."""
    tables = {issue.table for issue in error.errors if issue.table is not None}
    files = _files_given(args)
    arguments = {_TABLE_ARGUMENTS.get(table) for table in tables}
    text = _input_error_text(error)
    if len(arguments) == 1:
        (argument,) = arguments
        if argument is not None and argument in files:
            return _with_hint(f"{_ARGUMENT_LABELS[argument]} {files[argument]!r}: {text}", error)
    return _with_hint(text, error)


def _input_error_text(error: InputError) -> str:
    """Return the summary line and at most :data:`MAX_ISSUE_LINES` issues; count the rest.

    A wrong file (a survey given as --facts) can hold a problem on every row; the message
    must stay one readable paragraph, so the issues beyond the first ones are summarised
    by code, most frequent first.
    """
    lines = str(error).splitlines()
    errors = error.errors
    if len(errors) <= MAX_ISSUE_LINES or not lines:
        return str(error)
    rest = errors[MAX_ISSUE_LINES:]
    codes = ", ".join(
        f"{code} ×{count}" for code, count in Counter(i.code for i in rest).most_common()
    )
    noun = "problem" if len(rest) == 1 else "problems"
    return "\n".join(
        [
            lines[0],
            *(f"  - {issue.render()}" for issue in errors[:MAX_ISSUE_LINES]),
            f"  … and {len(rest)} more {noun} (codes: {codes})",
        ]
    )


def _describe_os_error(error: OSError, args: argparse.Namespace) -> str:
    filename = error.filename
    labels = {path: _ARGUMENT_LABELS.get(name, name) for name, path in _files_given(args).items()}
    reason = error.strerror or type(error).__name__
    if filename is None:
        return f"{reason}: {error}"
    label = labels.get(str(filename), "file")
    return f"{label} {str(filename)!r}: {reason.lower()}"


def _describe_decode_error(error: UnicodeDecodeError, args: argparse.Namespace) -> str:
    files = ", ".join(
        f"{_ARGUMENT_LABELS.get(name, name)} {path!r}" for name, path in _files_given(args).items()
    )
    return (
        f"cannot decode an input file ({files}): {error.reason} at byte {error.start}; "
        "save it as UTF-8 or GB18030"
    )


_PYTHON_ADVICE: Final = (
    (re.compile(r"assess_counties\(\)"), "'eduequity counties'"),
    (
        re.compile(r"choose one of (.*) or pass an Overlay"),
        r"choose one of \1 or give --overlay the path of an overlay .json file",
    ),
    (re.compile(r"\bpass (county|year|city|sheet|encoding|scale)= ?"), r"use --\1 "),
)
"""The library's advice in Python terms, and the same advice in the command's flags."""


def _in_flags(text: str) -> str:
    """Return a library message with its Python advice (``pass county=``) given in flags."""
    for pattern, flags in _PYTHON_ADVICE:
        text = pattern.sub(flags, text)
    return text


def _with_hint(text: str, error: EduEquityError) -> str:
    text = _in_flags(text)
    hint = _HINTS.get(error.code)
    # No hint when the message already gives the same advice in flags.
    if hint is None or set(re.findall(r"--[a-z-]+", hint)) <= set(re.findall(r"--[a-z-]+", text)):
        return text
    # A multi-line message (one line per issue) takes the hint on a line of its own.
    return f"{text}\n  ({hint})" if "\n" in text else f"{text} ({hint})"


def _run(args: argparse.Namespace) -> str:
    """Run the command, showing the library's warnings as one line each on standard error."""
    run: Runner = args.run
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        report = run(args)
    for warning in caught:
        _say(str(warning.message), kind="warning")
    return report


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``eduequity`` command line.

    Parameters
    ----------
    argv
        The arguments without the program name; default ``sys.argv[1:]``.

    Returns
    -------
    int
        The exit status: 0 when a report was produced (whatever its verdict), 2 for bad
        input or bad usage (the reason is printed on standard error, never a traceback).

    Examples
    --------
    >>> from eduequity.cli import main
    >>> main(["--version"])  # doctest: +ELLIPSIS
    eduequity ...
    0
    """
    for stream in (sys.stdout, sys.stderr):
        _ensure_unicode_stream(stream)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # --help, --version and usage errors end the parse
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    try:
        _check_output(args.output, _files_given(args))
        _check_excel_csv(args)
        args.format = _resolve_format(args)
        report = _run(args)
        _write(report, args.output, bom=getattr(args, "excel_csv", False))
    except InputError as error:
        _say(_describe_input_error(error, args), kind="error")
    except EduEquityError as error:
        _say(_with_hint(str(error), error), kind="error")
    except (FileNotFoundError, PermissionError, IsADirectoryError, NotADirectoryError) as error:
        _say(_describe_os_error(error, args), kind="error")
    except UnicodeDecodeError as error:
        _say(_describe_decode_error(error, args), kind="error")
    except BrokenPipeError:
        # The reader of a pipe went away (``eduequity counties x.csv | head``): stop quietly,
        # and keep Python from complaining again when it flushes standard output at exit.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    else:
        return EXIT_OK
    return EXIT_USAGE
