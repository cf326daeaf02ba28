"""Checks of the survey-responses table, docs: Input tables (private).

Answer labels stay text: matching them to a declared scale, ``unknown_answer`` and
``mixed_scales`` belong to the scoring (docs: The national method, Part 4: social recognition). Only
answers written as numbers are checked here, against the numeric Likert range 1–5.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from eduequity._typing import BoolArray
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
    if ctx.has("item_id"):
        flag_duplicates(
            ctx,
            ("respondent_id", "item_id"),
            "duplicate_response",
            advice="; one answer per respondent and item",
        )
    else:
        flag_duplicates(
            ctx,
            ("respondent_id",),
            "duplicate_response",
            advice="; without item_id each respondent has one row",
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
    ctx.flag(
        "group_questionnaire_mismatch",
        mismatch,
        column="respondent_group",
        describe=lambda i: (
            f"a {groups[i]} answered the {forms[i]} questionnaire, which takes "
            f"{', '.join(QUESTIONNAIRE_GROUPS[str(forms[i])])}"
        ),
        value=lambda i: str(groups[i]),
    )


def _check_respondents(ctx: TableContext) -> None:
    if not ctx.has("respondent_id"):
        return
    frame = pd.DataFrame(
        {
            "id": ctx.texts("respondent_id"),
            "respondent_group": ctx.texts("respondent_group"),
            "county": ctx.texts("county"),
        },
        dtype=object,
    )
    frame["row"] = np.arange(len(frame))
    frame = frame.dropna(subset=["id"])
    for column in ("respondent_group", "county"):
        if not ctx.has(column):
            continue
        part = frame.dropna(subset=[column])
        counts = part.groupby("id")[column].nunique()
        for respondent in counts.index[counts.to_numpy() > 1]:
            group = part[part["id"] == respondent]
            firsts = group.groupby(column, sort=False)["row"].agg(list)
            listed = "; ".join(
                f"{value!r} ({ctx.rows_text(rows)})" for value, rows in firsts.items()
            )
            ctx.add(
                "respondent_inconsistent",
                f"respondent {respondent!r} has several {column} values: {listed}",
                row=int(firsts.iloc[1][0]),
                column=column,
                value=str(firsts.index[1]),
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
