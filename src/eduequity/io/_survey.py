"""Checks of the survey-responses table, docs: Input tables (private).

Answer labels stay text: matching them to a declared scale and ``unknown_answer`` belong to
the scoring (docs: The national method, Part 4: social recognition). Answers written as
numbers are checked here, against the numeric Likert range 1–5, and a county whose labels
come from several built-in scales gets warning ``mixed_scales`` (the scoring, which may be
given a scale of the user's own that holds them all, decides).

A file may hold a whole city. Each county numbers its own questionnaires, so a respondent is
a ``respondent_id`` *within a county*: duplicates and a respondent's consistency are checked
per county, and the same id in two counties is two respondents.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from eduequity._codes import combine_codes, factorize
from eduequity._typing import BoolArray
from eduequity.core.recognition import SCALES
from eduequity.io._normalize import parse_number_cell
from eduequity.io._reader import TableContext, flag_duplicates, report_missing_column
from eduequity.io._schema import (
    MIN_STUDENT_GRADE,
    NUMERIC_ANSWER_RANGE,
    QUESTIONNAIRE_GROUPS,
    SURVEY_COLUMNS,
)
from eduequity.io._spec import TableSchema


def check_survey(ctx: TableContext) -> None:
    """Run the survey checks of the docs page Input tables."""
    _check_ids(ctx)
    _check_weights(ctx)
    _check_answers(ctx)
    _check_scales(ctx)
    _check_questionnaires(ctx)
    _check_respondents(ctx)
    for column in ("questionnaire", "location"):
        if ctx.has(column):
            _warn_by_county(
                ctx,
                f"blank_{column}",
                ctx.missing(column),
                column,
                f"no {column} is given; these answers are left out of the figures by {column}",
            )
    _warn_by_county(
        ctx,
        "student_below_grade_3",
        _young_students(ctx),
        "grade",
        "students below grade 3 are excluded from scoring by default; the national student "
        "questionnaire starts at grade 3",
    )


def _check_ids(ctx: TableContext) -> None:
    if ctx.has("item_id") and not ctx.has("respondent_id"):
        report_missing_column(ctx, "respondent_id", " (required when item_id is used)")
    if ctx.has("item_id") and ctx.has("respondent_id"):
        ctx.flag(
            "missing_value",
            ctx.missing("respondent_id") & ctx.present("item_id"),
            column="respondent_id",
            describe=lambda _i: "respondent_id is blank; it is required when item_id is used",
        )
    # The county is part of the key: the same questionnaire number in two counties is two
    # respondents.
    if ctx.has("item_id"):
        flag_duplicates(
            ctx,
            ("respondent_id", "item_id"),
            "duplicate_response",
            optional=("county",),
            advice="; one answer per respondent and item in a county",
        )
    else:
        flag_duplicates(
            ctx,
            ("respondent_id",),
            "duplicate_response",
            optional=("county",),
            advice="; without item_id each respondent has one row in a county",
        )


def _check_weights(ctx: TableContext) -> None:
    if ctx.has("weight"):
        ctx.flag(
            "invalid_weight",
            ctx.missing("weight"),
            column="weight",
            describe=lambda _i: (
                "weight is blank; every answer of a weighted survey needs a weight > 0"
            ),
        )


def _check_answers(ctx: TableContext) -> None:
    if not ctx.has("answer"):
        return
    answers = ctx.texts("answer")
    low, high = NUMERIC_ANSWER_RANGE
    codes, uniques = pd.factorize(pd.Series(answers, dtype=object))
    outside_unique = np.zeros(len(uniques) + 1, dtype=np.bool_)
    for index, text in enumerate(uniques):
        status, number, _ = parse_number_cell(text, percent_allowed=False)
        outside_unique[index] = status == "ok" and not (
            number == number.to_integral_value() and low <= number <= high
        )
    outside = outside_unique[codes]
    ctx.flag(
        "answer_out_of_range",
        outside,
        column="answer",
        describe=lambda i: f"numeric answer {answers[i]!r} is not an integer from {low} to {high}",
        value=lambda i: str(answers[i]),
    )
    _warn_by_county(
        ctx,
        "blank_answer",
        ctx.missing("answer"),
        "answer",
        "blank answers are counted as invalid returns",
    )


def _check_questionnaires(ctx: TableContext) -> None:
    if not (ctx.has("questionnaire") and ctx.has("respondent_group")):
        return
    groups = ctx.texts("respondent_group")
    forms = ctx.texts("questionnaire")
    allowed_pairs = {
        (form, group) for form, members in QUESTIONNAIRE_GROUPS.items() for group in members
    }
    pairs = pd.Series(list(zip(forms, groups, strict=True)), dtype=object)
    known = pd.notna(pd.Series(forms, dtype=object)) & pd.notna(pd.Series(groups, dtype=object))
    mismatch = (known & ~pairs.isin(allowed_pairs)).to_numpy(dtype=np.bool_)
    counties = ctx.texts("county")
    ctx.flag(
        "group_questionnaire_mismatch",
        mismatch,
        column="respondent_group",
        describe=lambda i: (
            f"{_county_text(counties[i])}: a {groups[i]} answered the {forms[i]} "
            f"questionnaire, which takes {', '.join(QUESTIONNAIRE_GROUPS[str(forms[i])])}"
        ),
        value=lambda i: str(groups[i]),
    )


def _county_text(county: object) -> str:
    return "(blank county)" if county is None else f"county {county!r}"


_DETECTABLE = tuple(scale for scale in SCALES.values() if scale.detectable)
"""The built-in scales a county's labels are matched with, in the order of detection."""


def _check_scales(ctx: TableContext) -> None:
    """Warn ``mixed_scales`` for every county whose labels no single built-in scale holds.

    Labels no built-in scale knows are left to the scoring (``unknown_answer``). Vectorised
    over counties: each distinct label gets a bit mask of the scales holding it, and the
    masks are ANDed within each county.
    """
    if not ctx.has("answer"):
        return
    answers = ctx.texts("answer")
    label_codes, labels = factorize(answers)
    holders = np.array(
        [
            sum(1 << k for k, scale in enumerate(_DETECTABLE) if scale.holds(label))
            for label in labels
        ]
        or [0],
        dtype=np.int64,
    )
    county_codes, counties = factorize(ctx.texts("county"))
    known = (label_codes >= 0) & (holders[np.maximum(label_codes, 0)] > 0)
    if not known.any():
        return
    county_codes = np.where(county_codes < 0, len(counties), county_codes)
    rows = np.flatnonzero(known)
    order = rows[np.argsort(county_codes[rows], kind="stable")]
    starts = np.flatnonzero(np.r_[True, np.diff(county_codes[order]) != 0])
    ends = np.r_[starts[1:], order.size]
    common = np.bitwise_and.reduceat(holders[label_codes[order]], starts)
    # A loop over the mixed counties only, each reading its own segment of the sorted rows.
    for start, end in zip(starts[common == 0], ends[common == 0], strict=True):
        in_county = order[start:end]
        code = int(county_codes[in_county[0]])
        found = pd.unique(pd.Series(answers[in_county], dtype=object)).tolist()
        listed = "; ".join(f"{label} ({_scale_names(label)})" for label in found[:6])
        ctx.add(
            "mixed_scales",
            f"{_county_text(counties[code] if code < len(counties) else None)}: answer labels "
            f"of several scales and none holds them all: {listed}; score this county with a "
            "scale that maps every label (scale=Scale(...)), or correct the labels",
            row=int(in_county.min()),
            column="answer",
            severity="warning",
        )


def _scale_names(label: object) -> str:
    return ", ".join(scale.id for scale in _DETECTABLE if scale.holds(label))


def _check_respondents(ctx: TableContext) -> None:
    """Flag a respondent (an id within a county) whose rows name several groups."""
    if not (ctx.has("respondent_id") and ctx.has("respondent_group")):
        return
    county = ctx.codes("county")
    # Rows without a county are one more county of their own.
    county = np.where(county < 0, int(county.max(initial=-1)) + 1, county)
    respondent = combine_codes(ctx.codes("respondent_id"), county)
    group = ctx.codes("respondent_group")
    both = np.flatnonzero((respondent >= 0) & (group >= 0))
    pairs = pd.DataFrame({"respondent": respondent[both], "group": group[both], "row": both})
    spread = pairs.groupby("respondent")["group"].nunique()
    ids, counties, groups = (
        ctx.texts("respondent_id"),
        ctx.texts("county"),
        ctx.texts("respondent_group"),
    )
    inconsistent = pairs[pairs["respondent"].isin(spread.index[spread.to_numpy() > 1])]
    # A loop over the inconsistent respondents only, to name their rows.
    for _, mine in inconsistent.groupby("respondent", sort=False):
        firsts = mine.groupby("group", sort=False)["row"].agg(list)
        listed = "; ".join(f"{groups[rows[0]]!r} ({ctx.rows_text(rows)})" for rows in firsts)
        first = int(firsts.iloc[1][0])
        where = f" in {_county_text(counties[first])}" if ctx.has("county") else ""
        ctx.add(
            "respondent_inconsistent",
            f"respondent {ids[first]!r}{where} has several respondent_group values: {listed}",
            row=first,
            column="respondent_group",
            value=str(groups[first]),
        )


def _young_students(ctx: TableContext) -> BoolArray:
    if not (ctx.has("grade") and ctx.has("respondent_group")):
        return np.zeros(len(ctx.frame), dtype=np.bool_)
    with np.errstate(invalid="ignore"):
        young = ctx.numbers("grade") < MIN_STUDENT_GRADE
    student = np.asarray(ctx.texts("respondent_group") == "student", dtype=np.bool_)
    return young & student


def _warn_by_county(ctx: TableContext, code: str, mask: BoolArray, column: str, why: str) -> None:
    """One warning per county, with the number of rows and the first of them."""
    if not mask.any():
        return
    counties = pd.Series(ctx.texts("county"), dtype=object).fillna("(blank county)")
    flagged = counties[mask]
    for county, rows in flagged.groupby(flagged, sort=False).groups.items():
        positions = [int(row) for row in rows]
        ctx.add(
            code,
            f"county {county!r}: {len(positions)} rows ({ctx.rows_text(positions)}); {why}",
            row=positions[0],
            column=column,
            severity="warning",
        )


SURVEY_SCHEMA: TableSchema = TableSchema(
    name="survey",
    title="survey responses (docs: Input tables)",
    columns=SURVEY_COLUMNS,
    key_columns=("respondent_id",),
    checks=(check_survey,),
)
"""The survey-responses table of the docs page Input tables."""
