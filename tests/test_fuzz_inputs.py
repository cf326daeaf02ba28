"""Fuzz of bad input: corrupted copies of the demo tables through the library and the CLI.

Every variant is built here from a demo table (``eduequity.datasets.demo_path``), by a named
corruption at a seeded random cell, and run through the library call that consumes the table
and through the command line (in process). Each run must end in one of:

- an ``EduEquityError`` (CLI: exit 2, one message on standard error) that names the
  corrupted row and column; or
- a result identical to the result of the clean table (the corruption is read correctly
  or provably does not matter); or
- a result that differs, with a new warning (CLI: on standard error or in the JSON) that
  names the corrupted row.

Anything else fails: a traceback (any other exception, or an exit status other than 0 or 2)
or a *silent acceptance* (a changed result that nothing points to). Corruption kinds that
must be read exactly (full-width digits, unambiguous thousands separators, percent strings
in rate columns) must give the clean result; kinds that can only be wrong (text in a number,
a number beyond the float range, a decimal comma) must be errors.

File-level variants (encodings, empty and header-only files, binary garbage, truncated last
lines, totals rows, the table as xlsx under a title row) are in
:func:`test_file_level_variants`, apart, since the file loader is rebuilt separately.
"""

from __future__ import annotations

import contextlib
import io
import json
import random
import re
import subprocess
import sys
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eduequity.checklist import evaluate_checklist, read_checklist_records
from eduequity.city import assess_city
from eduequity.cli import main
from eduequity.datasets import demo_path
from eduequity.errors import EduEquityError, InputError
from eduequity.national import assess_counties, assess_county

TODAY = "2025-06-30"
_TYPO = "_typo"
REPORTED = ("error", "same", "warned")


# --------------------------------------------------------------------------------------
# the tables and how each is consumed


@dataclass(frozen=True)
class Target:
    """A demo table, its roles of columns, and the library and CLI calls that consume it."""

    name: str
    file: str
    key: str | None
    counts: tuple[str, ...] = ()
    decimals: tuple[str, ...] = ()
    rates: tuple[str, ...] = ()
    enums: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    year: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


TARGETS: dict[str, Target] = {
    target.name: target
    for target in (
        Target(
            name="schools",
            file="demo_county_schools.csv",
            key="school_id",
            counts=("students_primary", "multimedia_classrooms", "backbone_teachers_primary"),
            decimals=("teaching_aux_area_m2", "equipment_value_yuan", "sports_ground_area_m2"),
            rates=("migrant_share",),
            enums=("school_type", "location"),
            names=("school_name",),
            required=("school_id", "school_type", "students_primary", "teaching_aux_area_m2"),
            year="year",
        ),
        Target(
            name="city_schools",
            file="demo_city_schools.csv",
            key="school_id",
            counts=("students_junior", "pe_arts_teachers_junior"),
            decimals=("indoor_sports_area_m2", "equipment_value_yuan"),
            rates=("migrant_share",),
            enums=("school_type",),
            names=("school_name", "county"),
            required=("county", "students_junior"),
            year="year",
        ),
        Target(
            name="facts",
            file="demo_county_facts.csv",
            key=None,
            counts=("teacher_rotation_eligible", "junior_retention_rate_cohort_start"),
            decimals=("public_funds_benchmark_primary_yuan", "teacher_salary_parity"),
            rates=("nearby_enrolment_primary", "teacher_certification"),
            names=("county",),
            required=("county", "year"),
            year="year",
        ),
        Target(
            name="survey",
            file="demo_county_survey.csv",
            key="respondent_id",
            enums=("respondent_group", "questionnaire", "location"),
            names=("county",),
            required=("county", "respondent_group", "answer"),
            year="year",
        ),
        Target(
            name="monitoring",
            file="demo_county_monitoring.csv",
            key=None,
            counts=("grade",),
            decimals=("inter_school_difference_rate",),
            enums=("level",),
            names=("subject",),
            required=("subject", "level", "inter_school_difference_rate"),
            year="year",
        ),
        Target(
            name="register",
            file="demo_city_register.csv",
            key=None,
            enums=("status", "program", "unit_kind"),
            names=("county",),
            required=("county", "status"),
            year="basic_balance_year",
        ),
        Target(
            name="checklist",
            file="demo_city_checklist.csv",
            key=None,
            enums=("status",),
            names=("county",),
            required=("county", "item_id", "status"),
        ),
    )
}

_DEMO_FILES = {
    "schools": "demo_county_schools.csv",
    "facts": "demo_county_facts.csv",
    "survey": "demo_county_survey.csv",
    "monitoring": "demo_county_monitoring.csv",
    "register": "demo_city_register.csv",
}


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory) -> dict[str, str]:
    """The clean demo tables as files, for the tables a variant does not corrupt."""
    folder = tmp_path_factory.mktemp("demo")
    paths = {}
    for name, file in _DEMO_FILES.items():
        path = folder / file
        path.write_bytes(Path(str(demo_path(file))).read_bytes())
        paths[name] = str(path)
    return paths


def _library(target: str, path: str, files: dict[str, str]) -> Callable[[], Any]:
    """The library call that consumes the table of ``target`` found at ``path``."""
    calls: dict[str, Callable[[], Any]] = {
        "schools": lambda: assess_county(path),
        "city_schools": lambda: assess_counties(path),
        "facts": lambda: assess_county(files["schools"], path),
        "survey": lambda: assess_county(files["schools"], files["facts"], path),
        "monitoring": lambda: assess_county(files["schools"], files["facts"], monitoring=path),
        "register": lambda: assess_city(path, today=TODAY),
        "checklist": lambda: evaluate_checklist(read_checklist_records(path, today=TODAY)),
    }
    return calls[target]


def _command(target: str, path: str, files: dict[str, str]) -> list[str]:
    """The command line that consumes the table of ``target`` found at ``path``."""
    commands = {
        "schools": ["assess", path],
        "city_schools": ["counties", path],
        "facts": ["assess", files["schools"], "--facts", path],
        "survey": ["assess", files["schools"], "--facts", files["facts"], "--survey", path],
        "monitoring": [
            "assess",
            files["schools"],
            "--facts",
            files["facts"],
            "--monitoring",
            path,
        ],
        "register": ["city", path],
        "checklist": ["checklist", path],
    }
    return [*commands[target], "--format", "json"]


# --------------------------------------------------------------------------------------
# running and classifying


@dataclass
class Outcome:
    """What one run gave: an error's issues, or a result and its warnings."""

    kind: str  # "error" or "result"
    issues: list[dict[str, Any]]
    result: str = ""


def _issue_dicts(items: Sequence[Any]) -> list[dict[str, Any]]:
    return [item.to_dict() if hasattr(item, "to_dict") else dict(item) for item in items]


def _result_text(result: Any) -> tuple[str, list[dict[str, Any]]]:
    """The result as canonical JSON without its warnings, and the warnings."""
    if isinstance(result, pd.DataFrame):
        record = result.attrs["eduequity"]
        data: Any = {
            "table": result.reset_index().to_dict("records"),
            "excluded": record.excluded.to_dict("records"),
            "merged": record.merged.to_dict("records"),
        }
        return json.dumps(data, sort_keys=True, default=str), _issue_dicts(record.warnings)
    data = result.to_dict()
    found = data.pop("warnings", None) or data.pop("issues", None) or []
    return _figures(data), _issue_dicts(found)


def _figures(data: Any) -> str:
    """The result without the wording of its provenance (``input_source``, ``notes``).

    A corruption that changes only where a figure was read from (the declared rate instead of
    the one computed from counts) changes no figure, status or list; anything else counts.
    """

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in {"input_source", "notes"}}
        if isinstance(value, list):
            return [strip(item) for item in value]
        return value

    return json.dumps(strip(data), sort_keys=True, default=str)


def run_library(call: Callable[[], Any]) -> Outcome:
    """Run a library call; anything but an EduEquityError propagates (a traceback)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = call()
        except InputError as error:
            return Outcome("error", _issue_dicts(error.issues))
        except EduEquityError as error:
            return Outcome("error", [{"message": str(error)}])
    text, issues = _result_text(result)
    issues += [{"message": str(item.message)} for item in caught]
    return Outcome("result", issues, text)


def run_cli(argv: Sequence[str]) -> Outcome:
    """Run the command line in process; only exit statuses 0 and 2 are allowed."""
    out, err = io.StringIO(), io.StringIO()
    with (
        warnings.catch_warnings(),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        warnings.simplefilter("always")
        code = main(list(argv))
    assert code in {0, 2}, f"exit status {code}: {err.getvalue()}"
    assert "Traceback" not in err.getvalue()
    if code == 2:
        return Outcome("error", [{"message": err.getvalue()}])
    document = json.loads(out.getvalue())
    found = document.pop("warnings", None) or document.pop("issues", None) or []
    issues = _issue_dicts(found) + [{"message": line} for line in err.getvalue().splitlines()]
    return Outcome("result", issues, _figures(document))


def _names(issue: dict[str, Any], rows: Sequence[int], keys: Sequence[str]) -> bool:
    """Whether an issue points at one of the spreadsheet ``rows`` or row ``keys``."""
    if issue.get("row") in rows:
        return True
    text = " ".join(str(issue.get(part) or "") for part in ("message", "key"))
    if any(key and key in text for key in keys):
        return True
    return any(
        re.search(rf"\brows?\b[^:;@]*?(?<![\d.]){row}(?![\d.])", text) is not None for row in rows
    )


def _names_column(issue: dict[str, Any], column: str | None) -> bool:
    if column is None:
        return True
    names = {column, column.removesuffix(_TYPO)}
    text = " ".join(str(issue.get(part) or "") for part in ("message", "value"))
    return bool(names & {issue.get("column"), issue.get("header")}) or any(
        name in text for name in names
    )


@dataclass(frozen=True)
class Corruption:
    """One corrupted table: where it was corrupted and what must happen.

    ``cells`` lists the (spreadsheet row, column) of every corrupted cell (header = row 1);
    a table-level change lists ``(None, column)``. Several cells of one table are corrupted
    at once only when each must be an error on its own (``expect == "error"``: every cell
    must then be named, since validation collects every problem) or when the table must read
    as the clean one (``expect == "same"``).
    """

    kind: str
    frame: pd.DataFrame
    cells: tuple[tuple[int | None, str | None], ...]
    keys: tuple[str, ...]  # ids of the corrupted rows, when the table has one
    expect: str  # "error": must be an error; "same": must read as the clean table; "any"


def _named(issues: Sequence[dict[str, Any]], row: int | None, column: str | None, keys) -> bool:
    if row is None:
        return any(_names_column(issue, column) for issue in issues)
    return any(_names(issue, (row,), keys) for issue in issues)


def classify(outcome: Outcome, baseline: Outcome, corruption: Corruption) -> str:
    """``"error"``, ``"same"`` or ``"warned"`` when reported; ``"silent"`` or ``"unnamed"``."""
    keys = corruption.keys
    if outcome.kind == "error":
        for row, column in corruption.cells:
            on_row = [i for i in outcome.issues if row is None or _names(i, (row,), keys)]
            if not on_row:
                return "unnamed"
            if corruption.expect == "error" and not any(_names_column(i, column) for i in on_row):
                return "unnamed"
        return "error"
    if outcome.result == baseline.result:
        return "same"
    new = [issue for issue in outcome.issues if issue not in baseline.issues]
    if new and all(_named(new, row, column, keys) for row, column in corruption.cells):
        return "warned"
    return "silent"


_BASELINES: dict[tuple[str, str], Outcome] = {}


def _baseline(target: str, runner: str, files: dict[str, str], folder: Path) -> Outcome:
    if (target, runner) not in _BASELINES:
        clean = folder / f"{target}-clean.csv"
        _clean_frame(target).to_csv(clean, index=False)
        _BASELINES[target, runner] = (
            run_library(_library(target, str(clean), files))
            if runner == "library"
            else run_cli(_command(target, str(clean), files))
        )
    return _BASELINES[target, runner]


def check(
    corruption: Corruption, target: str, files: dict[str, str], folder: Path, *, cli: bool
) -> None:
    """Run a corrupted table through the library (and the CLI) and assert it is reported."""
    path = folder / f"{target}-{corruption.kind}.csv"
    corruption.frame.to_csv(path, index=False)
    runs = [("library", lambda: run_library(_library(target, str(path), files)))]
    if cli:
        runs.append(("cli", lambda: run_cli(_command(target, str(path), files))))
    for runner, run in runs:
        outcome = run()
        verdict = classify(outcome, _baseline(target, runner, files, folder), corruption)
        where = f"{target}/{corruption.kind} at {corruption.cells} via {runner}"
        assert verdict in REPORTED, f"{where}: {verdict}: {outcome.issues}"
        if corruption.expect == "error":
            assert verdict == "error", f"{where}: expected an error, got {verdict}"
        if corruption.expect == "same":
            assert verdict == "same", f"{where}: expected the clean result, got {verdict}"


# --------------------------------------------------------------------------------------
# corruptions


_FRAMES: dict[str, pd.DataFrame] = {}


def _clean_frame(target: str) -> pd.DataFrame:
    if target not in _FRAMES:
        _FRAMES[target] = pd.read_csv(
            str(demo_path(TARGETS[target].file)), dtype=str, keep_default_na=False
        )
    return _FRAMES[target].copy()


def _pick_row(
    frame: pd.DataFrame, column: str, rng: random.Random, test=None, taken=()
) -> int | None:
    """A random row whose cell in ``column`` is filled (and passes ``test``), if any."""
    candidates = [
        i
        for i, cell in enumerate(frame[column])
        if cell != "" and i not in taken and (test is None or test(cell))
    ]
    return rng.choice(candidates) if candidates else None


def _number(cell: str) -> float:
    try:
        return float(cell)
    except ValueError:
        return float("nan")


_FULL_WIDTH = str.maketrans("0123456789.-", "０１２３４５６７８９．－")

Edit = Callable[[str], str]
"""How a corruption rewrites a cell (the clean text in, the corrupted text out)."""

# Each can only be wrong: several at once in one table must each be an error.
ERRORS: dict[str, tuple[str, Edit, Callable[[str], bool] | None]] = {
    "text_in_number": ("numeric", lambda cell: f"{cell}abc", None),
    "number_as_words": ("numeric", lambda _: "一百", None),
    "huge_exponent": ("numeric", lambda _: "1e999999999999999999999", None),
    "overflow": ("numeric", lambda _: "1e309", None),
    "negative_overflow": ("numeric", lambda _: "-1e1000000000000", None),
    "inf_text": ("numeric", lambda _: "inf", None),
    "decimal_comma": (
        "fraction",
        lambda cell: cell.replace(".", ","),
        lambda c: 0 < _number(c) < 1,
    ),
    "ambiguous_thousands": (
        "decimals",
        lambda cell: f"{int(_number(cell)):,}",
        lambda c: 1000 <= _number(c) < 10**6 and _number(c) == int(_number(c)),
    ),
    "percent_in_count": ("counts", lambda _: "85%", None),
    "year_as_text": ("year", lambda _: "去年", None),
}
# Each must be read exactly as the clean cell: several at once must give the clean result.
SAME: dict[str, tuple[str, Edit, Callable[[str], bool] | None]] = {
    "full_width_digits": ("numeric", lambda cell: cell.translate(_FULL_WIDTH), None),
    "padded": ("numeric", lambda cell: f"  {cell}\t", None),
    "thousands_count": (
        "counts",
        lambda cell: f"{int(_number(cell)):,}",
        lambda c: _number(c) >= 1000,
    ),
    "thousands_with_point": (
        "decimals",
        lambda cell: f"{Decimal(cell):,}" + ("" if "." in cell else ".0"),
        lambda c: _number(c) >= 1000,
    ),
    "percent_string": (
        "rates",
        lambda cell: f"{_number(cell) * 100:.10g}%",
        lambda c: 0 < _number(c) < 1,
    ),
}
# Each may change the result; it must then be an error or a warning naming the row.
ANY: dict[str, tuple[str, Edit, Callable[[str], bool] | None]] = {
    "huge": ("numeric", lambda _: "1e308", None),
    "negative": ("numeric", lambda cell: f"-{cell.lstrip('-')}", None),
    "blank": ("numeric", lambda _: "", None),
    "nan_text": ("numeric", lambda _: "NaN", None),
    "unknown_category": ("enums", lambda _: "某种未知类别", None),
    "blank_category": ("enums", lambda _: "", None),
    "escape_codes": ("names", lambda cell: f"\x1b[31m{cell}\x1b[0m", None),
    "c1_controls": ("names", lambda cell: f"{cell}\x9b2J\x07", None),
    "wrong_year": ("year", lambda cell: str(int(_number(cell)) - 1), None),
}


def _columns(target: Target, role: str) -> tuple[str, ...]:
    roles = {
        "numeric": (*target.counts, *target.decimals, *target.rates),
        "counts": target.counts,
        "decimals": target.decimals,
        "rates": target.rates,
        "fraction": (*target.decimals, *target.rates),
        "enums": target.enums,
        "names": target.names,
        "year": () if target.year is None else (target.year,),
    }
    return roles[role]


def _corrupt(target, rng, kinds, expect, *, together) -> list[Corruption]:
    """Corrupt one seeded random cell per kind; all in one table when ``together``."""
    clean = _clean_frame(target.name)
    frame = clean.copy()
    out: list[Corruption] = []
    cells: list[tuple[int | None, str | None]] = []
    keys: list[str] = []
    taken: set[int] = set()
    for kind, (role, edit, test) in kinds.items():
        columns = [c for c in _columns(target, role) if c in clean.columns]
        rng.shuffle(columns)
        for column in columns:
            row = _pick_row(clean, column, rng, test, taken if together else ())
            if row is not None:
                break
        else:
            continue
        if not together:
            frame = clean.copy()
        frame.loc[row, column] = edit(clean.loc[row, column])
        key = (clean.loc[row, target.key],) if target.key else ()
        # a table of one row (the county facts): its messages need not name the row
        label = None if len(clean) == 1 else row + 2
        if together:
            taken.add(row)
            cells.append((label, column))
            keys.extend(key)
        else:
            out.append(Corruption(kind, frame, ((label, column),), key, expect))
    if together and cells:
        out.append(Corruption(f"{expect}-together", frame, tuple(cells), tuple(keys), expect))
    return out


def cell_corruptions(target: Target, rng: random.Random) -> list[Corruption]:
    """The cell-level corruptions of ``target``, at seeded random cells."""
    return [
        *_corrupt(target, rng, ERRORS, "error", together=True),
        *_corrupt(target, rng, SAME, "same", together=True),
        *_corrupt(target, rng, ANY, "any", together=False),
    ]


def table_corruptions(target: Target, rng: random.Random) -> list[Corruption]:
    """Missing and misspelled columns, a duplicate row and a blank last row."""
    frame = _clean_frame(target.name)
    required = [(None, column) for column in target.required]
    out = [
        Corruption(
            "missing_columns",
            frame.drop(columns=list(target.required)),
            tuple(required),
            (),
            "error",
        ),
        Corruption(
            "misspelled_columns",
            frame.rename(columns={c: c[:-1] + "x" + c[-1] for c in target.required}),
            tuple(required),
            (),
            "error",
        ),
    ]
    optional = rng.choice([c for c in frame.columns if c not in target.required])
    out.append(
        Corruption(
            "misspelled_optional",
            frame.rename(columns={optional: optional + _TYPO}),
            ((None, optional + _TYPO),),
            (),
            "any",
        )
    )
    row = rng.randrange(len(frame))
    doubled = pd.concat([frame, frame.iloc[[row]]], ignore_index=True)
    key = (frame.loc[row, target.key],) if target.key else ()
    out.append(Corruption("duplicate_row", doubled, ((len(frame) + 2, None),), key, "any"))
    # a blank row at the end: one in the middle is skipped as well, but renumbers nothing
    # only at the end, and the results quote row numbers
    blank = pd.DataFrame([[""] * frame.shape[1]], columns=frame.columns)
    with_blank = pd.concat([frame, blank], ignore_index=True)
    out.append(Corruption("blank_row", with_blank, ((len(frame) + 2, None),), (), "same"))
    return out


# --------------------------------------------------------------------------------------
# the tests


@pytest.mark.parametrize("target", list(TARGETS))
def test_bad_cells_are_reported(target, demo_files, tmp_path):
    rng = random.Random(  # noqa: S311 - a seeded fuzz, not cryptography
        f"cells-{target}"
    )
    corruptions = cell_corruptions(TARGETS[target], rng)
    assert corruptions
    for index, corruption in enumerate(corruptions):
        # the CLI on the combined tables and on every third single one: it runs the same
        # library calls, and checks its own exit status and messages
        check(corruption, target, demo_files, tmp_path, cli=index < 2 or index % 3 == 0)


@pytest.mark.parametrize("target", list(TARGETS))
def test_bad_tables_are_reported(target, demo_files, tmp_path):
    rng = random.Random(  # noqa: S311 - a seeded fuzz, not cryptography
        f"tables-{target}"
    )
    for corruption in table_corruptions(TARGETS[target], rng):
        check(corruption, target, demo_files, tmp_path, cli=True)


# --------------------------------------------------------------------------------------
# file-level variants (the file loader's part of issue 8; kept apart to be checked together)


def _csv_bytes(frame: pd.DataFrame, encoding: str = "utf-8") -> bytes:
    return frame.to_csv(index=False).encode(encoding)


def _write_xlsx(frame: pd.DataFrame, path: Path, *, title: str | None = None) -> None:
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False, startrow=0 if title is None else 2)
        if title is not None:
            writer.sheets["Sheet1"]["A1"] = title
            writer.sheets["Sheet1"]["A2"] = "单位：人、平方米、元"


def _file_variant(  # noqa: C901, PLR0912 - one branch per file variant
    name: str, folder: Path
) -> tuple[Path, str, tuple[tuple[int | None, str | None], ...]]:
    """Write file variant ``name`` of the demo school table; return it, the expectation, cells."""
    frame = _clean_frame("schools")
    text = frame.to_csv(index=False)
    path = folder / f"schools-{name}.csv"
    expect, cells = "same", ()
    if name in {"utf-8", "utf-8-sig", "gb18030", "gbk"}:
        path.write_bytes(text.encode(name))
    elif name == "utf-16":
        path.write_bytes(text.encode("utf-16"))
        expect = "any"
    elif name == "stray_byte":
        # one byte that is not UTF-8 before a name: the rest of the file still decodes as
        # GB18030, garbling every name; that must not pass silently
        name_bytes = "示范县实验小学".encode()
        path.write_bytes(text.encode("utf-8").replace(name_bytes, b"\xb0" + name_bytes, 1))
        expect, cells = "any", ((None, None),)
    elif name == "empty":
        path.write_bytes(b"")
        expect = "error"
    elif name == "header_only":
        path.write_bytes(_csv_bytes(frame.iloc[:0]))
        expect = "error"
    elif name == "binary_garbage":
        path.write_bytes(
            random.Random(  # noqa: S311 - a seeded fuzz, not cryptography
                name
            ).randbytes(4096)
        )
        expect = "error"
    elif name == "truncated_last_line":
        path.write_bytes(text.rstrip("\n").rsplit(",", 20)[0].encode())
        expect, cells = "any", ((len(frame) + 1, None),)
    elif name == "totals_row":
        totals = dict.fromkeys(frame.columns, "")
        totals.update(school_id="合计", school_name="合计", students_primary="99999")
        with_totals = pd.concat([frame, pd.DataFrame([totals])], ignore_index=True)
        path.write_bytes(_csv_bytes(with_totals))
    elif name == "xlsx_title_row":
        path = path.with_suffix(".xlsx")
        _write_xlsx(frame, path, title="2024学年示范县义务教育学校基本情况统计表")
    elif name == "csv_named_xlsx":
        path = path.with_suffix(".xlsx")
        path.write_bytes(text.encode("utf-8"))
        expect = "error"
    elif name == "random_xlsx":
        path = path.with_suffix(".xlsx")
        path.write_bytes(
            random.Random(  # noqa: S311 - a seeded fuzz, not cryptography
                name
            ).randbytes(4096)
        )
        expect = "error"
    elif name == "truncated_xlsx":
        full = folder / "full.xlsx"
        _write_xlsx(frame, full)
        path = path.with_suffix(".xlsx")
        path.write_bytes(full.read_bytes()[: full.stat().st_size // 2])
        expect = "error"
    else:  # pragma: no cover - the parametrization lists the names
        raise AssertionError(name)
    return path, expect, cells


FILE_VARIANTS = (
    "utf-8",
    "utf-8-sig",
    "gb18030",
    "gbk",
    "utf-16",
    "stray_byte",
    "empty",
    "header_only",
    "binary_garbage",
    "truncated_last_line",
    "totals_row",
    "xlsx_title_row",
    "csv_named_xlsx",
    "random_xlsx",
    "truncated_xlsx",
)


@pytest.mark.parametrize("name", FILE_VARIANTS)
def test_file_level_variants(name, demo_files, tmp_path):
    # Files as counties really send them, and broken ones. The same table in another
    # encoding, under a title row or with a totals row must assess exactly like the clean
    # CSV; an unreadable file must be an error, never a traceback.
    path, expect, cells = _file_variant(name, tmp_path)
    corruption = Corruption(name, _clean_frame("schools"), cells, (), expect)
    for runner, run in (
        ("library", lambda: run_library(_library("schools", str(path), demo_files))),
        ("cli", lambda: run_cli(_command("schools", str(path), demo_files))),
    ):
        outcome = run()
        verdict = classify(outcome, _baseline("schools", runner, demo_files, tmp_path), corruption)
        if expect == "error":
            assert outcome.kind == "error", f"{name} via {runner}: {verdict}"
        elif expect == "same":
            assert verdict == "same", f"{name} via {runner}: {verdict}: {outcome.issues}"
        else:
            assert verdict in REPORTED, f"{name} via {runner}: {verdict}: {outcome.issues}"


def test_a_few_runs_as_a_real_process(tmp_path):
    # in a subprocess, as a user runs it: no traceback, exit status 2, the row named
    schools = _clean_frame("schools")
    schools.loc[4, "books"] = "1e999999999999999999999"
    path = tmp_path / "schools.csv"
    schools.to_csv(path, index=False)
    done = subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, "-m", "eduequity", "assess", str(path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "row 6" in done.stderr
    assert "books" in done.stderr


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    target=st.sampled_from(list(TARGETS)),
    kind=st.sampled_from(sorted({*ERRORS, *SAME, *ANY})),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
)
def test_random_cells_are_reported(target, kind, seed, demo_files, tmp_path_factory):
    # Any corruption kind at a cell drawn at random, through the library.
    table = {**ERRORS, **SAME, **ANY}
    expect = "error" if kind in ERRORS else "same" if kind in SAME else "any"
    rng = random.Random(seed)  # noqa: S311 - a seeded fuzz, not cryptography
    corruptions = _corrupt(TARGETS[target], rng, {kind: table[kind]}, expect, together=False)
    folder = tmp_path_factory.mktemp("random")
    for corruption in corruptions:
        check(corruption, target, demo_files, folder, cli=False)
