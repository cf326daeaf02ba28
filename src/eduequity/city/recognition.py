"""Social recognition per county (社会认可度) from one city-wide survey file.

A city that runs one survey for all its counties wants every county's rate beside the others:
the point estimate that decides (``rate >= 0.85``, the bound included), the advisory Wilson
interval on the Kish effective size, and whether the county passes even at the interval's
lower bound (``passed_at_confidence``). :func:`recognition_by_county` scores each county (and
each survey year, and each component of a two-component rule set) with the scoring of Part 4,
:func:`eduequity.national.assess_recognition`, which calls
:func:`eduequity.core.recognition_rate`; nothing is re-computed here. The threshold is the
rule set's ``recognition.threshold``.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, Final, cast

import attrs
import numpy as np
import pandas as pd

from eduequity._serialize import attrs_to_dict, to_jsonable
from eduequity._typing import JSONValue
from eduequity.core.recognition import RecognitionResult, Scale
from eduequity.errors import InputError, InvalidArgumentError, Issue
from eduequity.io import LoadedTable, read_survey
from eduequity.national import RULES_2017, RuleSet, assess_recognition

__all__ = ["RECOGNITION_COLUMNS", "CountyRecognition", "recognition_by_county"]

RECOGNITION_COLUMNS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "county": "县（市、区）",
        "year": "年度",
        "component": "调查方式",
        "n_answers": "答卷数",
        "n_valid": "有效回答数",
        "n_positive": "肯定回答数",
        "n_dont_know": "不了解",
        "n_blank": "空白回答数",
        "n_scored": "计分单位数",
        "n_respondents": "受访者数",
        "n_eff": "有效样本量",
        "rate": "认可度",
        "estimate": "判定值",
        "threshold": "达标线",
        "passed": "是否达标",
        "ci_low": "置信区间下限",
        "ci_high": "置信区间上限",
        "confidence": "置信水平",
        "ci_method": "区间方法",
        "ci_status": "区间判定",
        "passed_at_confidence": "置信下限达标",
        "status": "状态",
    }
)
"""Columns of :attr:`CountyRecognition.table`, in order, with their Chinese headers."""

_RESULT_FIELDS: Final = (
    "n_valid",
    "n_positive",
    "n_dont_know",
    "n_blank",
    "n_scored",
    "n_respondents",
    "n_eff",
    "rate",
    "estimate",
    "threshold",
    "passed",
    "ci_low",
    "ci_high",
    "confidence",
    "ci_method",
    "ci_status",
    "passed_at_confidence",
    "status",
)


@attrs.frozen(kw_only=True)
class CountyRecognition:
    """Social-recognition rates of a city's counties with their intervals (社会认可度).

    Examples
    --------
    >>> import pandas as pd
    >>> survey = pd.DataFrame({
    ...     "county": ["A"] * 20 + ["B"] * 20, "respondent_group": ["parent"] * 40,
    ...     "answer": ["满意"] * 17 + ["不满意"] * 3 + ["满意"] * 16 + ["不满意"] * 4})
    >>> result = recognition_by_county(survey)
    >>> result.table[["county", "rate", "passed", "passed_at_confidence"]].to_dict("list")
    {'county': ['A', 'B'], 'rate': [0.85, 0.8], 'passed': [True, False], \
'passed_at_confidence': [False, False]}
    """

    rules: dict[str, JSONValue]
    """Identity of the rule set whose threshold decides (``id``, ``version``)."""
    options: dict[str, JSONValue]
    """The scoring options used (scale, weighting, items, ...); ``None`` ones omitted."""
    table: pd.DataFrame = attrs.field(eq=False, repr=False)
    """One row per county (and survey year, and component of a two-component rule set),
    sorted: the columns of :data:`RECOGNITION_COLUMNS`. ``passed`` is the official
    decision on the point estimate; ``ci_low``/``ci_high`` the advisory interval;
    ``passed_at_confidence`` whether ``ci_low`` reaches the threshold too."""
    results: tuple[RecognitionResult, ...] = attrs.field(eq=False, repr=False)
    """The full scoring of each row of :attr:`table`, in the same order (groups,
    locations, conventions)."""
    warnings: tuple[Issue, ...] = ()
    """Warnings of the survey reader and of each county's scoring, each naming the county."""

    @property
    def n_counties(self) -> int:
        """Counties with at least one answer."""
        return int(self.table["county"].nunique())

    @property
    def n_passed(self) -> int:
        """Rows that pass on the point estimate."""
        return int(self.table["passed"].sum())

    @property
    def n_passed_at_confidence(self) -> int:
        """Rows that pass at the lower bound of the interval as well."""
        return int(self.table["passed_at_confidence"].sum())

    def to_dict(self) -> dict[str, JSONValue]:
        """Return a JSON-safe mapping: the rule set, the options, the table, the warnings."""
        data = attrs_to_dict(self)
        data.pop("results", None)
        data["table"] = to_jsonable(self.table)
        return data


def _read(
    responses: pd.DataFrame | str | os.PathLike[str] | LoadedTable,
    group_map: Mapping[str, str] | None,
) -> LoadedTable:
    if isinstance(responses, LoadedTable):
        return responses
    return read_survey(responses, group_map=dict(group_map) if group_map else None)


def _option_value(value: object) -> JSONValue:
    if isinstance(value, Scale):
        return value.id
    if isinstance(value, Mapping):
        return {str(key): _option_value(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_option_value(item) for item in value]
    return to_jsonable(value)


def _county_issues(county: str, result: RecognitionResult) -> list[Issue]:
    return [
        attrs.evolve(
            issue,
            message=f"county {county}: {issue.message}",
            key=issue.key or f"county={county}",
            table=issue.table or "survey",
        )
        for issue in result.warnings
    ]


def recognition_by_county(
    responses: pd.DataFrame | str | os.PathLike[str] | LoadedTable,
    *,
    rules: RuleSet = RULES_2017,
    year: int | None = None,
    scale: str | Scale | None = None,
    group_weights: str | Mapping[object, float] | None = None,
    mode: str = "positive_share",
    positive: Iterable[object] | None = None,
    dont_know: str = "exclude",
    score_map: Mapping[object, float] | None = None,
    unit: str = "answer",
    location_shares: Mapping[object, float] | None = None,
    group_map: Mapping[str, str] | None = None,
    confidence: float = 0.95,
    items: Iterable[str] | None = None,
    ci_method: str | None = None,
    n_resamples: int | None = None,
    seed: int | None = None,
) -> CountyRecognition:
    """Score social recognition (社会认可度) per county from one city-wide survey file.

    Parameters
    ----------
    responses : pandas.DataFrame, path or LoadedTable
        The survey responses of all the city's counties, one row per answer (see
        :doc:`/input-tables`): ``county``, ``respondent_group``, ``answer`` and the optional
        columns. Read with :func:`eduequity.io.read_survey` unless already read.
    rules : RuleSet, optional
        The rule set whose ``recognition.threshold`` decides (0.85, the bound included) and
        whose ``recognition.components`` says whether questionnaire and field visit are
        scored apart. Default :data:`~eduequity.national.RULES_2017`.
    year : int, optional
        Keep the answers of this survey year; without it, a survey with a ``year`` column
        is scored per county and year.
    scale, group_weights, mode, positive, dont_know, score_map, unit, location_shares, confidence
        Scoring options of :func:`eduequity.core.recognition_rate`, the same for every county.
    group_map : mapping, optional
        Explicit respondent-group labels for combined labels (人大代表、政协委员), used by
        the reader.
    items : iterable of str, optional
        Score only these ``item_id`` values (e.g. the overall-satisfaction item).
    ci_method, n_resamples, seed : optional
        The interval of :func:`eduequity.core.recognition_rate`: ``ci_method="bootstrap"``
        resamples whole respondents (``n_resamples`` times, seeded by ``seed``), recommended
        when each respondent answers many items; by default the Wilson interval.

    Returns
    -------
    CountyRecognition
        :attr:`~CountyRecognition.table`: one row per county (and year and component) with
        counts, rate, threshold, decision, interval and ``passed_at_confidence``; a county
        whose answers are all blank or excluded has ``status="undefined"`` and does not pass.

    Raises
    ------
    InputError
        A malformed survey table (every problem with row and column), an answer outside the
        scale (naming the row), or no answer left for ``year``.
    InvalidArgumentError
        A rule set without a pass mark (``recognition.threshold``), ``items`` without an
        ``item_id`` column, an invalid scoring option.

    Notes
    -----
    The counties are scored one after the other, each with the full scoring of Part 4: the
    scoring's options, conventions and warnings hold per county, exactly as in the county
    report. The survey is grouped once; each county's rows are scored on their own.
    """
    if "recognition.threshold" not in rules:
        msg = (
            f"rule set {rules.id!r} has no social-recognition pass mark "
            "(recognition.threshold); add one with an overlay"
        )
        raise InvalidArgumentError(msg, code="invalid_argument")
    # Every scoring option is an explicit keyword forwarded as it is; a new option of
    # recognition_rate is added here and in the signature.
    given: dict[str, Any] = {
        "scale": scale,
        "group_weights": group_weights,
        "mode": mode,
        "positive": positive,
        "dont_know": dont_know,
        "score_map": score_map,
        "unit": unit,
        "location_shares": location_shares,
        "confidence": confidence,
        "items": None if items is None else [str(item) for item in items],
        "ci_method": ci_method,
        "n_resamples": n_resamples,
        "seed": seed,
    }
    options = {name: value for name, value in given.items() if value is not None}
    loaded = _read(responses, group_map)
    frame = loaded.frame
    has_year = "year" in frame.columns and bool(frame["year"].notna().any())
    if year is not None:
        if not has_year:
            msg = f"year={year} was given, but the survey has no year column (年度)"
            raise InvalidArgumentError(msg, code="invalid_argument")
        frame = frame.loc[frame["year"] == year]
        if frame.empty:
            issue = Issue(
                code="no_rows",
                message=f"no survey answer of year {year}; expected answers of that year",
                table="survey",
                column="year",
            )
            raise InputError([issue], table="survey")
    keys = ["county", "year"] if has_year else ["county"]
    rows: list[dict[str, Any]] = []
    results: list[RecognitionResult] = []
    issues: list[Issue] = list(loaded.issues)
    read_codes = {issue.code for issue in loaded.issues}
    for key, county_rows in frame.groupby(keys, sort=True, dropna=False):
        values = key if isinstance(key, tuple) else (key,)
        county = str(values[0])
        raw_year = float(cast("float", values[1])) if has_year else math.nan
        survey_year = None if math.isnan(raw_year) else int(raw_year)
        part = assess_recognition(county_rows, {"county": county}, rules, **options)
        scored: list[tuple[str | None, RecognitionResult]] = (
            [(None, part.result)]
            if part.result is not None
            else [(component.component, component.result) for component in part.components]
        )
        for component, result in scored:
            row: dict[str, Any] = {
                "county": county,
                "year": survey_year,
                "component": component,
                "n_answers": len(county_rows),
            }
            row.update({name: getattr(result, name) for name in _RESULT_FIELDS})
            rows.append(row)
            results.append(result)
            # The reader already reports blank answers and the like per county.
            issues.extend(
                issue for issue in _county_issues(county, result) if issue.code not in read_codes
            )
    table = pd.DataFrame(rows, columns=list(RECOGNITION_COLUMNS))
    table["year"] = table["year"].astype("Int64")
    for name in ("passed", "passed_at_confidence"):
        table[name] = table[name].astype(np.bool_)
    return CountyRecognition(
        rules={"id": rules.id, "version": rules.version},
        options={
            **{name: _option_value(value) for name, value in options.items()},
            **({"group_map": _option_value(group_map)} if group_map else {}),
        },
        table=table,
        results=tuple(results),
        warnings=tuple(dict.fromkeys(issues)),
    )
