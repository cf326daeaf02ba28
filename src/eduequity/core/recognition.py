r"""Social recognition (社会认可度): survey scoring, the 85% decision and survey-design checks.

Social recognition is Part 4 of the 2017 quality-balance method and a veto item: a county whose
recognition rate is below 85% is not recognised (docs: The national method, Part 4: social
recognition). The national questionnaire and its scoring rule are not public, so this module is a
configurable scoring engine whose every convention is explicit and reported with the result:

* :func:`recognition_rate` scores answers on an answer scale (:class:`Scale`, registry
  :data:`SCALES`) as a positive share or a mean score, pooled or re-weighted over respondent
  groups (and locations), and decides ``rate >= threshold`` exactly, with an advisory Wilson
  interval on the Kish effective size;
* :func:`recognition_by_component` scores the two-component variant (questionnaire and field
  visit) and passes a county only when every component passes;
* :func:`check_design` compares a sample with a published survey design
  (:data:`DESIGN_PRESETS`). Design checks are advisory and never change a decision.

The defaults follow the docs page The national method, Part 4: social recognition: positive share on
``satisfaction_5`` with the positive set {满意, 比较满意, 基本满意}, don't-know answers (不了解)
excluded, answers pooled over groups, threshold 0.85 (bound included).
"""

from __future__ import annotations

import contextlib
import math
import numbers
import warnings
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any, Final, Literal, cast

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from eduequity._exact import compare, to_fraction
from eduequity._serialize import Record, attrs_to_dict
from eduequity._typing import BoolArray, FloatArray, IntArray, JSONValue
from eduequity._validation import as_float_array, check_option, index_labels, is_missing, positions
from eduequity.core._scales import (
    COMPONENT_ALIASES,
    COMPONENT_IDS,
    DEFAULT_SCALE,
    DESIGN_PRESETS,
    GRADE_RANGE,
    GROUP_ALIASES,
    GROUP_IDS,
    LOCATION_ALIASES,
    LOCATION_IDS,
    PARENT,
    RECOGNITION_THRESHOLD,
    SCALES,
    SHARE_TOLERANCE,
    SMALL_GROUP_MINIMUM,
    STUDENT_MIN_GRADE,
    DesignPreset,
    Scale,
    get_design_preset,
    get_scale,
    label_key,
    normalize_label,
)
from eduequity.core.intervals import _two_sided_z, kish_effective_size, wilson_interval
from eduequity.errors import (
    DegenerateDataWarning,
    InvalidArgumentError,
    InvalidTypeError,
    InvalidValueError,
    Issue,
)

__all__ = [
    "COMPONENT_ALIASES",
    "DESIGN_PRESETS",
    "GROUP_ALIASES",
    "GROUP_IDS",
    "LOCATION_ALIASES",
    "RECOGNITION_THRESHOLD",
    "SCALES",
    "ComponentRecognition",
    "ComponentResult",
    "DesignCheck",
    "DesignCheckItem",
    "DesignPreset",
    "GroupRate",
    "LocationRate",
    "RecognitionResult",
    "Scale",
    "check_design",
    "get_design_preset",
    "get_scale",
    "recognition_by_component",
    "recognition_rate",
]

Mode = Literal["positive_share", "mean_score"]
DontKnow = Literal["exclude", "not_positive"]
Unit = Literal["answer", "respondent"]
CIMethod = Literal["wilson", "normal_approximate", "bootstrap"]
CheckStatus = Literal["ok", "not_met", "not_evaluable"]

MODES: Final = ("positive_share", "mean_score")
DONT_KNOW_POLICIES: Final = ("exclude", "not_positive")
UNITS: Final = ("answer", "respondent")
CI_METHODS: Final = ("wilson", "normal_approximate", "bootstrap")
DEFAULT_RESAMPLES: Final = 2000
"""Bootstrap replicates drawn by default (``ci_method="bootstrap"``)."""
_BOOTSTRAP_BLOCK: Final = 1_000_000
"""Resampled respondents held in memory at once; replicates are drawn in blocks of this size."""
GROUP_WEIGHTINGS: Final = ("pooled", "equal_groups", "national_design")

_BLANK: Final = -2
_DONT_KNOW: Final = -1
_MAX_LISTED: Final = 5
_POINTS: Final = 100
"""Mean scores are on a 0-100 points scale; the pass mark is 100 x threshold."""
_STUDENT: Final = GROUP_IDS.index("student")
_PARENT: Final = GROUP_IDS.index(PARENT)


# =============================================================================================
# Result records
# =============================================================================================


@attrs.frozen(kw_only=True)
class GroupRate(Record):
    r"""Answers and rate of one respondent group (调查对象).

    The group rate is weighted by the base weights only,
    :math:`r_g = \sum_{a \in g} w_a y_a / \sum_{a \in g} w_a` (docs: The national method, Part 4:
    social recognition).
    """

    group: str
    """Canonical group id, e.g. ``"parent"``."""
    n_valid: int
    """Valid answers (a substantive level of the scale) [answers]."""
    n_positive: int
    """Valid answers in the positive set [answers]."""
    n_dont_know: int
    """Don't-know answers (不了解) [answers]."""
    n_blank: int
    """Blank answers [answers]."""
    n_scored: int
    """Units in the group's denominator: answers, or respondents under ``unit="respondent"``."""
    rate: float
    """Positive share of the group, base-weighted; NaN when ``n_scored == 0``."""
    score: float | None
    """Mean score of the group [points, 0-100] in mean-score mode, else ``None``."""
    weight_sum: float
    """Sum of the base weights of the scored units, :math:`W_g`."""
    share: float
    """Share of the group in the county estimate, :math:`\\sum_{a\\in g} v_a / \\sum_a v_a`."""


@attrs.frozen(kw_only=True)
class LocationRate(Record):
    """Answers and rate of one location (城区 / 镇区 / 乡村); fields as in :class:`GroupRate`."""

    location: str
    """Canonical location id: ``"urban"``, ``"town"`` or ``"rural"``."""
    n_valid: int
    """Valid answers [answers]."""
    n_positive: int
    """Valid answers in the positive set [answers]."""
    n_dont_know: int
    """Don't-know answers [answers]."""
    n_blank: int
    """Blank answers [answers]."""
    n_scored: int
    """Units entering the location's denominator (answers or respondents)."""
    rate: float
    """Positive share of the location, base-weighted; NaN when ``n_scored == 0``."""
    score: float | None
    """Mean score [points, 0-100] in mean-score mode, else ``None``."""
    weight_sum: float
    """Sum of the base weights of the scored units, :math:`W_l`."""
    share: float
    """Share of the location in the county estimate."""


@attrs.frozen(kw_only=True)
class RecognitionResult(Record):
    """Social-recognition rate (社会认可度) of one county, with its decision and conventions.

    The official decision is the point estimate (``passed``); the interval and ``ci_status``
    are advisory (docs: The national method, Part 4: social recognition).
    """

    rate: float
    """Positive share :math:`\\sum_a v_a y_a / \\sum_a v_a` (a fraction); NaN when undefined."""
    score: float | None
    """Mean score :math:`\\sum_a v_a s_a / \\sum_a v_a` [points, 0-100] in mean-score mode."""
    estimate: float
    """The decided estimate: ``rate`` in positive-share mode, ``score`` in mean-score mode."""
    threshold: float
    """Pass mark as a fraction (0.85); mean scores are compared with ``100 × threshold``."""
    passed: bool
    """Official decision ``estimate >= threshold`` (points: ``>= 100 × threshold``), exact."""
    ci_low: float
    """Lower bound of the advisory interval (same unit as ``estimate``)."""
    ci_high: float
    """Upper bound of the advisory interval (same unit as ``estimate``)."""
    ci_method: str
    """``"wilson"`` (positive share), ``"normal_approximate"`` (mean score, approximate) or
    ``"bootstrap"`` (percentile interval of a respondent-level bootstrap)."""
    confidence: float
    """Two-sided confidence level of the interval, e.g. 0.95."""
    ci_status: str
    """``"pass"`` (ci_low ≥ pass mark), ``"fail"`` (ci_high < pass mark), ``"indeterminate"``,
    or ``"undefined"`` when nothing was scored."""
    passed_at_confidence: bool
    """Whether ``ci_low >= threshold`` (the county passes even at the interval's lower bound)."""
    n_eff: float
    """Kish effective size of the final weights, :math:`(\\sum v)^2 / \\sum v^2` [units]."""
    pooled_rate: float
    """Positive share pooled over all groups with the base weights, whatever the weighting."""
    n_valid: int
    """Valid answers: a substantive level of the scale [answers]."""
    n_positive: int
    """Valid answers in the positive set [answers]."""
    n_dont_know: int
    """Don't-know answers (不了解) [answers]; in the denominator only under ``"not_positive"``."""
    n_blank: int
    """Blank answers (None, NaN, empty or white space), excluded [answers]."""
    n_invalid: int
    """Invalid answers; always 0, since an answer outside the scale raises an error."""
    n_below_grade: int
    """Answers of students below grade 3, excluded from scoring [answers]."""
    n_excluded: int
    """Answers left out of the denominator: blank, below grade, and don't-know when excluded."""
    n_scored: int
    """Units in the denominator: answers, or respondents under ``unit="respondent"``."""
    n_respondents: int | None
    """Respondents with at least one scored answer; ``None`` without ``respondent_ids``."""
    mode: str
    """Scoring mode: ``"positive_share"`` or ``"mean_score"``."""
    scale: str
    """Id of the answer scale used."""
    positive_set: tuple[str, ...]
    """Labels counted as positive, best first."""
    score_map: tuple[tuple[str, float], ...]
    """Level -> score [points] used in mean-score mode; empty in positive-share mode."""
    dont_know: str
    """Don't-know policy: ``"exclude"`` or ``"not_positive"``."""
    unit: str
    """Unit of aggregation: ``"answer"`` or ``"respondent"``."""
    weighting: str
    """Group weighting: ``"pooled"``, ``"equal_groups"``, ``"national_design"`` or
    ``"fixed_shares"``."""
    location_weighting: str
    """``"none"`` or ``"location_shares"`` (post-stratified to the resident distribution)."""
    groups: tuple[GroupRate, ...]
    """Per-group table, groups in canonical order; empty when no groups were given."""
    locations: tuple[LocationRate, ...]
    """Per-location table; empty when no locations were given."""
    status: str
    """``"ok"``, or ``"undefined"`` when no answer could be scored (all blank or excluded)."""
    warnings: tuple[Issue, ...]
    """Data-quality warnings (``blank_answer``, ``small_group``, ``clustered_answers``, ...)."""
    items: tuple[str, ...] | None = None
    """Item ids scored (``items=``), as text; ``None`` when every item was scored."""
    n_not_selected: int = 0
    """Answers of other items, left out by ``items=`` before any count above [answers]."""
    n_resamples: int | None = None
    """Bootstrap replicates behind the interval; ``None`` for an analytic interval."""
    seed: int | None = None
    """Seed of the bootstrap; ``None`` for an analytic interval or a generator passed in."""

    @property
    def warning_codes(self) -> tuple[str, ...]:
        """The codes of :attr:`warnings`, in order."""
        return tuple(issue.code for issue in self.warnings)

    def groups_frame(self) -> pd.DataFrame:
        """Return the per-group table as a DataFrame indexed by ``group``."""
        return _records_frame([item.to_dict() for item in self.groups], "group", GroupRate)

    def locations_frame(self) -> pd.DataFrame:
        """Return the per-location table as a DataFrame indexed by ``location``."""
        return _records_frame([item.to_dict() for item in self.locations], "location", LocationRate)

    def describe(self) -> str:
        """Return the decision in words, e.g. for the normative example of §7.

        Examples
        --------
        >>> answers = ["满意"] * 860 + ["不满意"] * 140
        >>> recognition_rate(answers).describe()
        'passes on the point estimate (0.860 >= 0.85); not distinguishable from 85%
        at 95% confidence'
        """
        if self.status == "undefined":
            return "undefined: no answer could be scored"
        mark = self.threshold * _POINTS if self.mode == "mean_score" else self.threshold
        digits = 1 if self.mode == "mean_score" else 3
        verdict = "passes" if self.passed else "fails"
        sign = ">=" if self.passed else "<"
        level = f"{self.threshold * 100:g}%"
        at = f"at {self.confidence * 100:g}% confidence"
        advisory = {
            "pass": f"above {level} {at}",
            "fail": f"below {level} {at}",
            "indeterminate": f"not distinguishable from {level} {at}",
        }[self.ci_status]
        return (
            f"{verdict} on the point estimate ({self.estimate:.{digits}f} {sign} {mark:g}); "
            f"{advisory}"
        )


@attrs.frozen(kw_only=True)
class ComponentResult(Record):
    """One component of the two-component variant."""

    component: str
    """``"questionnaire"`` (问卷调查) or ``"field_visit"`` (实地走访)."""
    result: RecognitionResult
    """The component scored on its own, with its own threshold."""


@attrs.frozen(kw_only=True)
class ComponentRecognition(Record):
    """Two-component recognition: the county passes when every component passes."""

    passed: bool
    """Whether every required component is present and passed."""
    components: tuple[ComponentResult, ...]
    """The components found, in canonical order."""
    required: tuple[str, ...]
    """Components that must be present and pass."""
    missing: tuple[str, ...]
    """Required components with no answers at all (the county then does not pass)."""


@attrs.frozen(kw_only=True)
class DesignCheckItem(Record):
    """One check of a survey design (docs: The national method, Part 4: social recognition)."""

    check: str
    """Check id: ``sample_size``, ``parent_share``, ``other_groups_balance``, ``group_share``,
    ``location_proportional``, ``location_share``, ``student_grade``, ``grade_balance`` or
    ``valid_return_rate``."""
    subject: str | None
    """What the check is about when it repeats (a location, a group), else ``None``."""
    expected: float
    """The rule's value: a size [respondents], a share, a ratio, a grade or a rate."""
    achieved: float | None
    """The sample's value, in the unit of ``expected``; ``None`` when not evaluable."""
    comparator: str
    """How ``achieved`` is compared: ``">="``, ``"<="`` or ``"within"`` (± ``tolerance``)."""
    tolerance: float | None
    """Allowed absolute deviation for ``"within"`` checks, else ``None``."""
    status: CheckStatus
    """``"ok"``, ``"not_met"`` or ``"not_evaluable"`` (an input the check needs is missing)."""
    enforced: bool
    """``False`` for rules stated "in principle" (原则上): reported, not counted in the status."""
    shortfall: int | None
    """Respondents missing to meet the check when adding respondents can meet it, else ``None``."""
    note: str
    """How the expected value was found, the counts behind the achieved one, or what is missing."""


@attrs.frozen(kw_only=True)
class DesignCheck:
    """A sample compared with a published survey design; advisory only."""

    preset: str
    """Id of the design preset."""
    resident_population: float
    """Resident population (常住人口) of the county [persons]."""
    n_respondents: int
    """Respondents with at least one valid answer (distinct ids, or rows without ids)."""
    group_counts: tuple[tuple[str, int], ...]
    """Respondents per group present, in canonical group order."""
    items: tuple[DesignCheckItem, ...]
    """The checks, in the order of §3."""
    status: str
    """``"not_met"`` if an enforced check is not met; else ``"incomplete"`` if an enforced check
    is not evaluable; else ``"ok"``."""

    @property
    def shortfalls(self) -> dict[str, int]:
        """Respondents missing per unmet check, keyed ``check`` or ``check:subject``.

        ``sample_size`` gives the respondents missing to reach the required size;
        ``parent_share`` the parents to add (to the current sample) to reach the minimum share;
        ``other_groups_balance`` / ``grade_balance`` the respondents to add to the smallest group.
        """
        return {
            (item.check if item.subject is None else f"{item.check}:{item.subject}"): (
                item.shortfall
            )
            for item in self.items
            if item.status == "not_met" and item.shortfall is not None
        }

    def frame(self) -> pd.DataFrame:
        """Return the checks as a DataFrame, one row per item."""
        return _records_frame([item.to_dict() for item in self.items], None, DesignCheckItem)

    def to_dict(self) -> dict[str, JSONValue]:
        """Return a JSON-safe mapping of the fields and the shortfalls."""
        data = attrs_to_dict(self)
        data["shortfalls"] = dict(self.shortfalls)
        return data


def _records_frame(
    records: list[dict[str, JSONValue]], index: str | None, kind: type
) -> pd.DataFrame:
    columns = [field.name for field in attrs.fields(kind)]
    frame = pd.DataFrame.from_records(records, columns=columns)
    return frame.set_index(index) if index is not None else frame


# =============================================================================================
# Input parsing
# =============================================================================================


def _object_array(values: Any, name: str) -> tuple[npt.NDArray[np.object_], Any]:  # noqa: ANN401 - any array-like
    """Return ``values`` as a 1-D object array and its index labels (Series) or ``None``."""
    labels = index_labels(values)
    if isinstance(values, pd.Series | pd.Index):
        return values.to_numpy(dtype=object), labels
    if values is None or isinstance(values, str | bytes | Mapping):
        msg = f"{name} must be a one-dimensional sequence (list, array, Series); got {values!r:.60}"
        raise InvalidTypeError(msg, code="invalid_type")
    try:
        array = np.asarray(list(values), dtype=object)
    except TypeError as error:
        msg = f"{name} must be a one-dimensional sequence; got {type(values).__name__}"
        raise InvalidTypeError(msg, code="invalid_type") from error
    if array.ndim != 1:
        msg = f"{name} must be one-dimensional; got shape {array.shape}"
        raise InvalidValueError(msg, code="bad_shape")
    return array, labels


def _factorize(array: npt.NDArray[np.object_], name: str) -> tuple[IntArray, list[object]]:
    try:
        codes, uniques = pd.factorize(array)
    except TypeError as error:
        msg = f"{name} hold values that cannot be compared (lists, dicts, ...): {error}"
        raise InvalidTypeError(msg, code="invalid_type") from error
    return codes.astype(np.int64), list(uniques)


def _check_length(size: int, expected: int, name: str) -> None:
    if size != expected:
        msg = f"{name} must have one entry per answer: expected {expected}, got {size}"
        raise InvalidValueError(msg, code="length_mismatch")


def _at(mask: BoolArray, labels: Any) -> str:  # noqa: ANN401 - any index-like
    """Return e.g. ``"position 3"``, ``"positions 1, 4"`` or ``"index label r7"``."""
    noun = "index label" if labels is not None else "position"
    plural = "s" if int(np.count_nonzero(mask)) > 1 else ""
    return f"{noun}{plural} {positions(mask, labels)}"


def _answer_key(value: object, *, numeric: bool) -> tuple[str, float | None] | None:
    """Return the matching key of an answer and its number, or ``None`` if it is no label."""
    if isinstance(value, bool | np.bool_):
        return None
    if isinstance(value, numbers.Real | Decimal):
        return str(value), float(value)
    if not isinstance(value, str):
        return None
    key = label_key(value)
    number: float | None = None
    if numeric and key:
        with contextlib.suppress(ValueError):
            number = float(key)
    return key, number


def _classify_answer(value: object, scale: Scale, lookup: Mapping[str, int]) -> int | str:
    """Return the code of one distinct answer (level, don't-know, blank) or its error code."""
    parsed = None if is_missing(value) else _answer_key(value, numeric=scale.numeric)
    if parsed is None:
        return _BLANK if is_missing(value) else "unknown_answer"
    key, number = parsed
    if not key:
        return _BLANK
    if number is not None:
        if math.isfinite(number) and number.is_integer():
            key = str(int(number))
        elif scale.numeric:
            return "answer_out_of_range"
    code = lookup.get(key)
    if code is not None:
        return code
    return "answer_out_of_range" if scale.numeric and number is not None else "unknown_answer"


def _scale_lookup(scale: Scale) -> dict[str, int]:
    lookup = {label_key(level): index for index, level in enumerate(scale.levels)}
    lookup.update({label_key(label): _DONT_KNOW for label in scale.dont_know})
    return lookup


def _resolve_scale(scale: str | Scale | None) -> Scale | None:
    """Return the scale asked for, or ``None`` for ``"detect"``."""
    if scale is None:
        return SCALES[DEFAULT_SCALE]
    if isinstance(scale, Scale):
        return scale
    if scale == "detect":
        return None
    return get_scale(scale)


def _code_answers(
    answers: Any,  # noqa: ANN401 - any array-like
    scale: str | Scale | None,
) -> tuple[Scale, IntArray, Any]:
    """Return the scale, the code of every answer (level index, don't-know, blank) and labels."""
    array, labels = _object_array(answers, "answers")
    codes, uniques = _factorize(array, "answers")
    chosen = _resolve_scale(scale)
    if chosen is None:
        chosen = _detect_scale(uniques)
    lookup = _scale_lookup(chosen)
    outcomes = [_classify_answer(value, chosen, lookup) for value in uniques]
    bad = [index for index, outcome in enumerate(outcomes) if isinstance(outcome, str)]
    if bad:
        _raise_bad_answers(bad, outcomes, uniques, codes=codes, labels=labels, scale=chosen)
    table = np.array([cast("int", outcome) for outcome in outcomes] or [0], dtype=np.int64)
    coded = np.where(codes < 0, _BLANK, table[np.maximum(codes, 0)])
    return chosen, coded.astype(np.int64), labels


def _detect_scale(uniques: list[object]) -> Scale:
    """Return the first detectable scale, in table order, that holds every observed label."""
    for candidate in SCALES.values():
        if not candidate.detectable:
            continue
        lookup = _scale_lookup(candidate)
        if all(isinstance(_classify_answer(u, candidate, lookup), int) for u in uniques):
            return candidate
    seen = [repr(u) for u in uniques if not is_missing(u)][:10]
    tried = ", ".join(s.id for s in SCALES.values() if s.detectable)
    msg = (
        f"answers: no single scale contains every observed label ({', '.join(seen)}); "
        f"tried {tried}; name the scale with scale=... or pass a Scale that maps them"
    )
    raise InvalidValueError(msg, code="mixed_scales")


def _raise_bad_answers(
    bad: list[int],
    outcomes: list[int | str],
    uniques: list[object],
    *,
    codes: IntArray,
    labels: Any,  # noqa: ANN401 - any index-like
    scale: Scale,
) -> None:
    unknown = any(outcomes[index] == "unknown_answer" for index in bad)
    code = "unknown_answer" if unknown else "answer_out_of_range"
    parts = [f"{uniques[index]!r} at {_at(codes == index, labels)}" for index in bad[:_MAX_LISTED]]
    more = f"; and {len(bad) - _MAX_LISTED} more distinct values" if len(bad) > _MAX_LISTED else ""
    expected = f"integers {', '.join(scale.levels)}" if scale.numeric else scale.describe_labels()
    msg = (
        f"answers: {len(bad)} distinct value(s) not in scale {scale.id!r}: "
        f"{'; '.join(parts)}{more}. Expected one of {expected} (after removing spaces and "
        "folding full-width characters), or a blank"
    )
    raise InvalidValueError(msg, code=code)


def _enum_lookup(
    ids: tuple[str, ...],
    aliases: Mapping[str, str],
    overrides: Mapping[object, str] | None,
    name: str,
) -> dict[str, int]:
    lookup = {label_key(identifier): index for index, identifier in enumerate(ids)}
    lookup.update({label_key(alias): ids.index(target) for alias, target in aliases.items()})
    if overrides is not None:
        mapped: dict[str, int] = {}
        for label, target in overrides.items():
            target_code = lookup.get(label_key(str(target)))
            if target_code is None:
                msg = f"{name}: maps {label!r} to {target!r}, which is not one of {', '.join(ids)}"
                raise InvalidArgumentError(msg, code="unknown_value")
            mapped[label_key(str(label))] = target_code
        lookup.update(mapped)
    return lookup


def _code_enum(
    values: Any,  # noqa: ANN401 - any array-like
    size: int | None,
    *,
    name: str,
    ids: tuple[str, ...],
    aliases: Mapping[str, str],
    overrides: Mapping[object, str] | None = None,
    allow_missing: bool = False,
    detect_ambiguous: bool = False,
) -> tuple[IntArray, Any]:
    """Return the index into ``ids`` of every value (-1 for missing) and the index labels."""
    array, labels = _object_array(values, name)
    if size is not None:
        _check_length(array.size, size, name)
    codes, uniques = _factorize(array, name)
    lookup = _enum_lookup(ids, aliases, overrides, f"{name[:-1]}_map" if detect_ambiguous else name)
    table = np.empty(len(uniques), dtype=np.int64)
    unknown: list[int] = []
    ambiguous: list[int] = []
    for index, value in enumerate(uniques):
        key = label_key(value) if isinstance(value, str) else None
        if is_missing(value) or key == "":
            table[index] = -1
        elif key is not None and key in lookup:
            table[index] = lookup[key]
        elif detect_ambiguous and key is not None and _names_several(key, lookup, ids):
            ambiguous.append(index)
        else:
            unknown.append(index)
    if ambiguous:
        parts = [f"{uniques[i]!r} at {_at(codes == i, labels)}" for i in ambiguous]
        msg = (
            f"{name}: {'; '.join(parts[:_MAX_LISTED])} names several groups in one cell; map "
            "such labels explicitly with group_map={label: group}"
        )
        raise InvalidValueError(msg, code="ambiguous_group")
    if unknown:
        parts = [f"{uniques[i]!r} at {_at(codes == i, labels)}" for i in unknown]
        accepted = ", ".join([*ids, *aliases])
        msg = f"{name}: {'; '.join(parts[:_MAX_LISTED])}; expected one of {accepted}"
        raise InvalidValueError(msg, code="unknown_value")
    coded = np.where(codes < 0, -1, table[np.maximum(codes, 0)] if uniques else -1)
    coded = coded.astype(np.int64)
    if not allow_missing and (coded < 0).any():
        msg = f"{name} are missing at {_at(coded < 0, labels)}; every answer needs one"
        raise InvalidValueError(msg, code="missing_value")
    return coded, labels


def _names_several(key: str, lookup: Mapping[str, int], ids: tuple[str, ...]) -> bool:
    """Whether an unknown label contains the names of two or more different groups."""
    found = {code for alias, code in lookup.items() if alias and alias in key}
    return len(found) >= 2 and len(ids) > 1  # noqa: PLR2004 - "several" means two or more


def _code_groups(
    groups: Any,  # noqa: ANN401 - any array-like
    size: int | None,
    group_map: Mapping[object, str] | None,
) -> IntArray:
    coded, _ = _code_enum(
        groups,
        size,
        name="groups",
        ids=GROUP_IDS,
        aliases=GROUP_ALIASES,
        overrides=group_map,
        detect_ambiguous=True,
    )
    return coded


def _code_locations(locations: Any, size: int) -> IntArray:  # noqa: ANN401 - any array-like
    coded, _ = _code_enum(
        locations,
        size,
        name="locations",
        ids=LOCATION_IDS,
        aliases=LOCATION_ALIASES,
        allow_missing=True,
    )
    return coded


def _row_weights(weights: Any, size: int) -> FloatArray:  # noqa: ANN401 - any array-like
    """Return the base weights (ones by default); each must be a finite number > 0."""
    if weights is None:
        return np.ones(size, dtype=np.float64)
    labels = index_labels(weights)
    try:
        array = as_float_array(weights, name="weights")
    except InvalidTypeError as error:
        raise InvalidTypeError(str(error), code="invalid_weight") from error
    _check_length(array.size, size, "weights")
    with np.errstate(invalid="ignore"):
        bad = ~(np.isfinite(array) & (array > 0))
    if bad.any():
        first = float(array[np.flatnonzero(bad)[0]])
        msg = f"weights must be finite numbers > 0; got {first!r} at {_at(bad, labels)}"
        raise InvalidValueError(msg, code="invalid_weight")
    return array


def _code_grades(grades: Any, size: int | None) -> FloatArray:  # noqa: ANN401 - any array-like
    """Return grades as floats (NaN where missing); each must be an integer 1-9."""
    array, labels = _object_array(grades, "grades")
    if size is not None:
        _check_length(array.size, size, "grades")
    codes, uniques = _factorize(array, "grades")
    table = np.empty(len(uniques) or 1, dtype=np.float64)
    bad: list[int] = []
    low, high = GRADE_RANGE
    for index, value in enumerate(uniques):
        number = _as_integer(value)
        if number is None and (is_missing(value) or (isinstance(value, str) and not value.strip())):
            table[index] = math.nan
        elif number is not None and low <= number <= high:
            table[index] = number
        else:
            bad.append(index)
    if bad:
        parts = [f"{uniques[i]!r} at {_at(codes == i, labels)}" for i in bad]
        msg = f"grades: {'; '.join(parts[:_MAX_LISTED])}; expected an integer from {low} to {high}"
        raise InvalidValueError(msg, code="grade_out_of_range")
    return np.where(codes < 0, math.nan, table[np.maximum(codes, 0)])


def _as_integer(value: object) -> int | None:
    if isinstance(value, bool | np.bool_) or is_missing(value):
        return None
    number: float
    if isinstance(value, numbers.Real | Decimal):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(normalize_label(value))
        except ValueError:
            return None
    else:
        return None
    return int(number) if math.isfinite(number) and number.is_integer() else None


@attrs.frozen
class _Respondents:
    """Respondent of every row, as codes into the distinct ids (for messages)."""

    codes: IntArray
    ids: list[object]
    labels: Any


def _code_respondents(respondent_ids: Any, size: int) -> _Respondents:  # noqa: ANN401 - array-like
    array, labels = _object_array(respondent_ids, "respondent_ids")
    _check_length(array.size, size, "respondent_ids")
    codes, uniques = _factorize(array, "respondent_ids")
    blank = np.array([isinstance(u, str) and not u.strip() for u in uniques] or [False])
    missing = (codes < 0) | blank[np.maximum(codes, 0)]
    if missing.any():
        msg = (
            f"respondent_ids are missing at {_at(missing, labels)}; "
            "every answer needs its respondent"
        )
        raise InvalidValueError(msg, code="missing_value")
    return _Respondents(codes, uniques, labels)


def _check_constant_within(
    respondents: _Respondents,
    values: npt.NDArray[Any],
    what: str,
    describe: Callable[[float], str],
) -> None:
    """Raise ``respondent_inconsistent`` if a respondent's rows disagree on ``values``."""
    codes = respondents.codes
    if codes.size == 0:
        return
    order = np.argsort(codes, kind="stable")
    sorted_codes = codes[order]
    sorted_values = values[order].astype(np.float64)
    starts = np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]])
    spread = np.maximum.reduceat(sorted_values, starts) != np.minimum.reduceat(
        sorted_values, starts
    )
    if spread.any():
        first = int(sorted_codes[starts[np.flatnonzero(spread)[0]]])
        mine = codes == first
        shown = ", ".join(describe(float(v)) for v in np.unique(values[mine]))
        where = _at(mine, respondents.labels)
        msg = (
            f"respondent_ids: respondent {respondents.ids[first]!r} ({where}) has several "
            f"{what} ({shown}); a respondent's rows must agree "
            f"({int(spread.sum())} respondent(s) disagree)"
        )
        raise InvalidValueError(msg, code="respondent_inconsistent")


def _shares_by_id(
    shares: Mapping[object, float],
    *,
    name: str,
    ids: tuple[str, ...],
    aliases: Mapping[str, str],
) -> list[Fraction | None]:
    """Return the exact share of every id (``None`` when not listed); check they sum to 1."""
    lookup = _enum_lookup(ids, aliases, None, name)
    result: list[Fraction | None] = [None] * len(ids)
    total = 0.0
    for label, raw in shares.items():
        value: object = raw
        code = lookup.get(label_key(str(label)))
        if code is None:
            msg = f"{name}: {label!r} is not one of {', '.join([*ids, *aliases])}"
            raise InvalidArgumentError(msg, code="unknown_value")
        if result[code] is not None:
            msg = f"{name}: {ids[code]!r} is given twice (through {label!r})"
            raise InvalidArgumentError(msg, code="bad_shares")
        if isinstance(value, bool) or not isinstance(value, numbers.Real | Decimal):
            msg = f"{name}: the share of {label!r} must be a number; got {value!r}"
            raise InvalidArgumentError(msg, code="bad_shares")
        number = float(value)
        if not (math.isfinite(number) and number >= 0):
            msg = f"{name}: the share of {label!r} must be a finite number >= 0; got {value!r}"
            raise InvalidArgumentError(msg, code="bad_shares")
        result[code] = to_fraction(number)
        total += number
    if abs(math.fsum(float(s) for s in result if s is not None) - 1.0) > SHARE_TOLERANCE:
        msg = f"{name} must sum to 1 (within {SHARE_TOLERANCE:g}); they sum to {total!r}"
        raise InvalidArgumentError(msg, code="bad_shares")
    return result


# =============================================================================================
# Scoring
# =============================================================================================


@attrs.frozen(kw_only=True)
class _Units:
    """The scored units (answers or respondents) of one computation."""

    category: IntArray | None
    """Category of each answer unit (level index, or the don't-know column)."""
    counts: IntArray | None
    """Category counts of each respondent unit (respondents x categories)."""
    share_y: FloatArray
    score_y: FloatArray
    weight: FloatArray
    group: IntArray | None
    location: IntArray | None
    n_respondents: int | None

    @property
    def size(self) -> int:
        return int(self.weight.size)

    def count_matrix(self, n_categories: int) -> IntArray:
        if self.counts is not None:
            return self.counts
        assert self.category is not None  # noqa: S101 - answer units always carry categories
        matrix = np.zeros((self.category.size, n_categories), dtype=np.int64)
        matrix[np.arange(self.category.size), self.category] = 1
        return matrix


def _score_vectors(
    scale: Scale,
    mode: str,
    positive: Iterable[object] | None,
    score_map: Mapping[object, float] | None,
) -> tuple[tuple[str, ...], list[Fraction], list[Fraction] | None]:
    """Return the positive set and the exact value of each category for both estimates.

    Categories are the scale's levels, then one column for don't-know answers kept as
    not positive (value 0; they never carry a score).
    """
    lookup = _scale_lookup(scale)
    if positive is None:
        positive_levels = scale.positive_levels
    else:
        if isinstance(positive, str):
            positive = [positive]
        chosen: set[int] = set()
        for label in positive:
            code = _classify_answer(label, scale, lookup)
            if not isinstance(code, int) or code < 0:
                msg = (
                    f"positive: {label!r} is not a level of scale {scale.id!r}; expected labels "
                    f"from {', '.join(scale.levels)}"
                )
                raise InvalidArgumentError(msg, code="unknown_value")
            chosen.add(code)
        if not chosen:
            msg = "positive must name at least one level"
            raise InvalidArgumentError(msg, code="invalid_argument")
        positive_levels = tuple(level for i, level in enumerate(scale.levels) if i in chosen)
    share_values = [Fraction(int(level in positive_levels)) for level in scale.levels]
    share_values.append(Fraction(0))
    if mode != "mean_score":
        return positive_levels, share_values, None
    scores = _score_values(scale, score_map, lookup)
    return positive_levels, share_values, [*scores, Fraction(0)]


def _score_values(
    scale: Scale, score_map: Mapping[object, float] | None, lookup: Mapping[str, int]
) -> list[Fraction]:
    if score_map is None:
        if scale.scores is None:
            msg = (
                f"mode='mean_score' needs a score map, and scale {scale.id!r} has none (no map "
                "is published for it); pass score_map={label: points}"
            )
            raise InvalidArgumentError(msg, code="no_score_map")
        return [to_fraction(score) for score in scale.scores]
    found: dict[int, Fraction] = {}
    for label, value in score_map.items():
        code = _classify_answer(label, scale, lookup)
        if not isinstance(code, int) or code < 0:
            msg = (
                f"score_map: {label!r} is not a level of scale {scale.id!r} "
                f"({', '.join(scale.levels)})"
            )
            raise InvalidArgumentError(msg, code="unknown_value")
        number = float(value)
        if not (math.isfinite(number) and 0 <= number <= _POINTS):
            msg = f"score_map: the score of {label!r} must lie in [0, 100] points; got {value!r}"
            raise InvalidArgumentError(msg, code="invalid_argument")
        found[code] = to_fraction(number)
    missing = [level for i, level in enumerate(scale.levels) if i not in found]
    if missing:
        msg = f"score_map must score every level; missing {', '.join(missing)}"
        raise InvalidArgumentError(msg, code="no_score_map")
    return [found[i] for i in range(len(scale.levels))]


def _build_units(
    category: IntArray,
    entering: BoolArray,
    weights: FloatArray,
    *,
    groups: IntArray | None,
    locations: IntArray | None,
    respondents: IntArray | None,
    unit: str,
    share_values: FloatArray,
    score_values: FloatArray,
) -> _Units:
    rows = np.flatnonzero(entering)
    n_categories = share_values.size
    if unit == "answer":
        unit_category = category[rows]
        return _Units(
            category=unit_category,
            counts=None,
            share_y=share_values[unit_category],
            score_y=score_values[unit_category],
            weight=weights[rows],
            group=None if groups is None else groups[rows],
            location=None if locations is None else locations[rows],
            n_respondents=None if respondents is None else int(np.unique(respondents[rows]).size),
        )
    assert respondents is not None  # noqa: S101 - checked by the caller
    _, first, inverse = np.unique(respondents[rows], return_index=True, return_inverse=True)
    n_units = first.size
    counts = np.bincount(
        inverse * n_categories + category[rows], minlength=n_units * n_categories
    ).reshape(n_units, n_categories)
    n_answers = counts.sum(axis=1)
    first_rows = rows[first]
    return _Units(
        category=None,
        counts=counts.astype(np.int64),
        share_y=(counts @ share_values) / n_answers,
        score_y=(counts @ score_values) / n_answers,
        weight=weights[first_rows],
        group=None if groups is None else groups[first_rows],
        location=None if locations is None else locations[first_rows],
        n_respondents=n_units,
    )


@attrs.frozen(kw_only=True)
class _Strata:
    """Final weights ``v`` of the units and the exact shares they come from."""

    index: IntArray
    shares: list[Fraction] | None
    """Exact share of every stratum, or ``None`` for pooling (``v = w``)."""
    final_weight: FloatArray
    weighting: str
    location_weighting: str


def _group_shares(
    group_weights: str | Mapping[object, float] | None, present: IntArray
) -> tuple[str, list[Fraction] | None]:
    """Return the weighting name and the exact share of every canonical group."""
    if group_weights is None or (isinstance(group_weights, str) and group_weights == "pooled"):
        return "pooled", None
    n_groups = len(GROUP_IDS)
    shares: list[Fraction] = [Fraction(0)] * n_groups
    if isinstance(group_weights, Mapping):
        given = _shares_by_id(
            group_weights, name="group_weights", ids=GROUP_IDS, aliases=GROUP_ALIASES
        )
        unlisted = [GROUP_IDS[g] for g in present if given[g] is None]
        if unlisted:
            msg = (
                f"group_weights: groups {', '.join(unlisted)} have answers but no share; give "
                "every group present a share (0 to leave it out)"
            )
            raise InvalidArgumentError(msg, code="bad_shares")
        return "fixed_shares", [s if s is not None else Fraction(0) for s in given]
    check_option(group_weights, GROUP_WEIGHTINGS, "group_weights")
    if group_weights == "equal_groups":
        for g in present:
            shares[int(g)] = Fraction(1, present.size)
        return "equal_groups", shares
    others = present[present != _PARENT]
    shares[_PARENT] = Fraction(1, 2)
    if others.size == 0:
        msg = (
            "group_weights='national_design' gives the non-parent groups a share of 0.5, but no "
            "non-parent group has a scored answer"
        )
        raise InvalidValueError(msg, code="empty_group")
    for g in others:
        shares[int(g)] = Fraction(1, 2 * others.size)
    return "national_design", shares


def _strata(
    units: _Units,
    group_weights: str | Mapping[object, float] | None,
    location_shares: Mapping[object, float] | None,
) -> _Strata:
    present = np.unique(units.group) if units.group is not None else np.empty(0, dtype=np.int64)
    if units.group is None and group_weights not in (None, "pooled"):
        msg = f"group_weights={group_weights!r} needs groups=, the respondent group of every answer"
        raise InvalidArgumentError(msg, code="invalid_argument")
    weighting, group_share = _group_shares(group_weights, present)
    location_share: list[Fraction] | None = None
    if location_shares is not None:
        given = _shares_by_id(
            location_shares, name="location_shares", ids=LOCATION_IDS, aliases=LOCATION_ALIASES
        )
        location_share = [s if s is not None else Fraction(0) for s in given]
        assert units.location is not None  # noqa: S101 - checked by the caller
        unlisted = [LOCATION_IDS[x] for x in np.unique(units.location) if given[x] is None]
        if unlisted:
            msg = (
                f"location_shares: locations {', '.join(unlisted)} have answers but no share; "
                "give every location present a share (0 to leave it out)"
            )
            raise InvalidArgumentError(msg, code="bad_shares")
    location_weighting = "none" if location_share is None else "location_shares"
    if group_share is None and location_share is None:
        return _Strata(
            index=np.zeros(units.size, dtype=np.int64),
            shares=None,
            final_weight=units.weight,
            weighting=weighting,
            location_weighting=location_weighting,
        )
    n_locations = len(LOCATION_IDS)
    if group_share is not None and location_share is not None:
        assert units.group is not None and units.location is not None  # noqa: S101, PT018
        index = units.group * n_locations + units.location
        shares = [sg * sl for sg in group_share for sl in location_share]
    elif group_share is not None:
        assert units.group is not None  # noqa: S101
        index, shares = units.group, group_share
    else:
        assert units.location is not None and location_share is not None  # noqa: S101, PT018
        index, shares = units.location, location_share
    totals = np.bincount(index, weights=units.weight, minlength=len(shares)).astype(np.float64)
    _check_nonempty(shares, totals, group_share is not None, location_share is not None)
    share_float = np.array([float(s) for s in shares], dtype=np.float64)
    final = share_float[index] * units.weight / totals[index]
    return _Strata(
        index=index.astype(np.int64),
        shares=shares,
        final_weight=final,
        weighting=weighting,
        location_weighting=location_weighting,
    )


def _check_nonempty(
    shares: list[Fraction], totals: FloatArray, by_group: bool, by_location: bool
) -> None:
    empty = [s for s, share in enumerate(shares) if share > 0 and totals[s] == 0]
    if not empty:
        return
    n_locations = len(LOCATION_IDS)
    names: list[str] = []
    for s in empty[:_MAX_LISTED]:
        if by_group and by_location:
            names.append(f"({GROUP_IDS[s // n_locations]}, {LOCATION_IDS[s % n_locations]})")
        else:
            names.append((GROUP_IDS if by_group else LOCATION_IDS)[s])
    what = "cells" if by_group and by_location else "groups" if by_group else "locations"
    msg = (
        f"{what} {', '.join(names)} have a positive share but no scored answer; the weighted rate "
        "is undefined (give them share 0 or collect answers)"
    )
    raise InvalidValueError(msg, code="empty_group")


def _exact_estimate(units: _Units, strata: _Strata, values: list[Fraction]) -> Fraction:
    """Return the estimate in rational arithmetic, weights read as their shortest decimal."""
    counts = units.count_matrix(len(values))
    matrix = np.column_stack(
        [strata.index.astype(np.float64), units.weight, counts.astype(np.float64)]
    )
    frame = pd.DataFrame(matrix, columns=[f"c{k}" for k in range(matrix.shape[1])])
    # Hash-based grouping: far faster than np.unique(axis=0) on a million rows.
    grouped = frame.groupby(list(frame.columns), sort=False).size()
    table = grouped.reset_index(name="times").to_numpy(dtype=np.float64)
    distinct, multiplicity = table[:, :-1], table[:, -1].astype(np.int64)
    numerators: dict[int, Fraction] = {}
    denominators: dict[int, Fraction] = {}
    for row, times in zip(distinct, multiplicity, strict=True):
        stratum = int(row[0])
        weight = to_fraction(float(row[1])) * int(times)
        cells = row[2:].astype(np.int64)
        mean = sum(
            (int(count) * values[k] for k, count in enumerate(cells) if count), Fraction(0)
        ) / int(cells.sum())
        numerators[stratum] = numerators.get(stratum, Fraction(0)) + weight * mean
        denominators[stratum] = denominators.get(stratum, Fraction(0)) + weight
    if strata.shares is None:
        return numerators[0] / denominators[0]
    total = Fraction(0)
    norm = Fraction(0)
    for stratum, denominator in denominators.items():
        share = strata.shares[stratum]
        if share > 0:
            total += share * numerators[stratum] / denominator
            norm += share
    return total / norm


def _decide(value: float, mark: Fraction, exact: Callable[[], Fraction] | None) -> bool:
    """Decide ``value >= mark`` exactly; ``exact`` gives the rational value near the mark."""
    marks = np.array([float(mark)])
    thresholds = np.array([mark], dtype=object)
    if exact is None:
        decided = compare(np.array([value]), marks, ">=", exact_thresholds=thresholds)
    else:
        producer = exact
        decided = compare(
            np.array([value]),
            marks,
            ">=",
            exact_thresholds=thresholds,
            exact_values=lambda _: [producer()],
        )
    return bool(decided[0])


def _by_code(codes: IntArray, size: int, weights: FloatArray | None = None) -> FloatArray:
    keep = codes >= 0
    return np.bincount(
        codes[keep], weights=None if weights is None else weights[keep], minlength=size
    ).astype(np.float64)


def _ratio(numerator: FloatArray, denominator: FloatArray) -> FloatArray:
    out = np.full(numerator.shape, np.nan)
    np.divide(numerator, denominator, out=out, where=denominator > 0)
    return out


def _tables(
    row_codes: IntArray,
    unit_codes: IntArray,
    ids: tuple[str, ...],
    *,
    row_flags: dict[str, BoolArray],
    units: _Units,
    final_weight: FloatArray,
    mean_score: bool,
) -> list[dict[str, Any]]:
    """Return one record per id present in the rows (vectorised over ids)."""
    size = len(ids)
    present = np.flatnonzero(_by_code(row_codes, size) > 0)
    counts = {name: _by_code(row_codes[flag], size) for name, flag in row_flags.items()}
    n_scored = _by_code(unit_codes, size)
    weight_sum = _by_code(unit_codes, size, units.weight)
    rate = _ratio(_by_code(unit_codes, size, units.weight * units.share_y), weight_sum)
    score = _ratio(_by_code(unit_codes, size, units.weight * units.score_y), weight_sum)
    total = float(final_weight.sum())
    share = _by_code(unit_codes, size, final_weight) / total if total > 0 else np.full(size, np.nan)
    return [
        {
            "id": ids[k],
            "n_valid": int(counts["valid"][k]),
            "n_positive": int(counts["positive"][k]),
            "n_dont_know": int(counts["dont_know"][k]),
            "n_blank": int(counts["blank"][k]),
            "n_scored": int(n_scored[k]),
            "rate": float(rate[k]),
            "score": float(score[k]) if mean_score else None,
            "weight_sum": float(weight_sum[k]),
            "share": float(share[k]),
        }
        for k in present
    ]


def _grade_exclusion(
    grades: Any,  # noqa: ANN401 - any array-like
    groups: IntArray | None,
    size: int,
) -> BoolArray:
    if grades is None:
        return np.zeros(size, dtype=np.bool_)
    if groups is None:
        msg = "grades= needs groups=, to know which answers are students'"
        raise InvalidArgumentError(msg, code="invalid_argument")
    grade = _code_grades(grades, size)
    with np.errstate(invalid="ignore"):
        below: BoolArray = (groups == _STUDENT) & (grade < STUDENT_MIN_GRADE)
    return below


def recognition_rate(  # noqa: C901, PLR0912, PLR0915 - the steps of §5-§7 in order
    answers: Any,  # noqa: ANN401 - any array-like
    *,
    scale: str | Scale | None = None,
    groups: Any = None,  # noqa: ANN401 - any array-like
    group_weights: str | Mapping[object, float] | None = None,
    threshold: float = RECOGNITION_THRESHOLD,
    confidence: float = 0.95,
    mode: Mode = "positive_share",
    positive: Iterable[object] | None = None,
    dont_know: DontKnow = "exclude",
    score_map: Mapping[object, float] | None = None,
    weights: Any = None,  # noqa: ANN401 - any array-like
    respondent_ids: Any = None,  # noqa: ANN401 - any array-like
    unit: Unit = "answer",
    locations: Any = None,  # noqa: ANN401 - any array-like
    location_shares: Mapping[object, float] | None = None,
    grades: Any = None,  # noqa: ANN401 - any array-like
    group_map: Mapping[object, str] | None = None,
    item_ids: Any = None,  # noqa: ANN401 - any array-like
    items: Iterable[object] | str | None = None,
    ci_method: CIMethod | None = None,
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: int | np.random.Generator = 0,
) -> RecognitionResult:
    r"""Return the social-recognition rate (社会认可度) of one county and its 85% decision.

    With :math:`y_a = 1` when answer :math:`a` is in the positive set (else 0), :math:`s_a` its
    score and :math:`v_a` its final weight (docs: The national method, Part 4: social recognition):

    .. math::

        \text{rate} = \frac{\sum_a v_a y_a}{\sum_a v_a}, \qquad
        \text{score} = \frac{\sum_a v_a s_a}{\sum_a v_a}, \qquad
        \text{passed} = \text{rate} \ge \text{threshold}
        \;\; (\text{score} \ge 100 \cdot \text{threshold})

    and the final weights, with base weight :math:`w_a` and :math:`W_g = \sum_{a \in g} w_a`:

    .. math::

        v_a = w_a \;(\text{pooled}), \qquad
        v_a = \frac{s_g\, w_a}{W_g} \;(\text{shares } s_g), \qquad
        v_a = \frac{s_g \pi_l\, w_a}{W_{g,l}} \;(\text{and location shares } \pi_l)

    The decision is exact: a rate equal to the threshold passes (17 of 20 = 0.85 passes 0.85).
    The advisory interval is Wilson's on the Kish effective size
    :math:`n_\mathrm{eff} = (\sum v_a)^2 / \sum v_a^2` (positive share), or the normal
    approximation :math:`\text{score} \pm z\,\mathrm{sd}_v / \sqrt{n_\mathrm{eff}}` (mean score,
    approximate, clipped to [0, 100]).

    Parameters
    ----------
    answers : array_like
        One answer per row: a label of the scale (matched after NFKC folding, removal of every
        space, and case folding) or, on a numeric scale, an integer (``5``, ``5.0``, ``"5"``).
        None, NaN, ``""`` and white space are blank: counted in ``n_blank`` and excluded.
    scale : str, Scale or None, optional
        A built-in scale id (:data:`SCALES`), a :class:`Scale`, ``None`` for ``satisfaction_5``,
        or ``"detect"``: the first detectable scale, in the order of :data:`SCALES`, that holds
        every observed label (strict scales are never detected).
    groups : array_like, optional
        Respondent group (调查对象) of every answer: a canonical id (``parent``, ``student``,
        ``teacher``, ``principal``, ``deputy``, ``cppcc_member``, ``public``) or a Chinese alias
        of :data:`GROUP_ALIASES` (家长, 学生家长, ...). Enables the per-group table.
    group_weights : {None, "pooled", "equal_groups", "national_design"} or mapping, optional
        ``None``/``"pooled"``: answers pooled (default). ``"equal_groups"``: each group present
        counts :math:`1/G`. ``"national_design"``: parents 0.5, the other 0.5 split equally
        among the other groups present. A mapping ``{group: share}``: fixed shares summing to 1
        within 1e-9; every group present needs a share (0 leaves it out).
    threshold : float, optional
        Pass mark as a fraction, default 0.85 (bound included); a mean score passes at
        ``100 × threshold`` points.
    confidence : float, optional
        Level of the advisory interval, default 0.95.
    mode : {"positive_share", "mean_score"}, optional
        Positive share (default) or mean score on 0-100 points.
    positive : iterable of labels, optional
        Positive set overriding the scale's.
    dont_know : {"exclude", "not_positive"}, optional
        Don't-know answers (不了解) leave the denominator (default) or stay in it as not
        positive. Mean-score mode always excludes them.
    score_map : mapping, optional
        Level -> score [points, 0-100] for mean-score mode, overriding the scale's map.
    weights : array_like, optional
        Base weight :math:`w_a` of every row (respondent or post-stratification weight), each
        finite and > 0; default 1.
    respondent_ids : array_like, optional
        Respondent (问卷编号) of every row. Needed for ``unit="respondent"``; under
        ``unit="answer"`` it reveals clustered answers (warning ``clustered_answers``).
    unit : {"answer", "respondent"}, optional
        ``"answer"``: every scored answer counts once. ``"respondent"``: each respondent first
        becomes the mean of their scored answers' :math:`y_a` (or :math:`s_a`).
    locations : array_like, optional
        Location of every row (``urban``/城区, ``town``/镇区, ``rural``/乡村); missing allowed
        unless ``location_shares`` is given. Enables the per-location table.
    location_shares : mapping, optional
        ``{location: π}`` resident distribution to post-stratify to, summing to 1.
    grades : array_like, optional
        Grade (1-9) of every row; student answers below grade 3 are excluded.
    group_map : mapping, optional
        Explicit ``{label: group}`` for labels that are not aliases, e.g. combined labels such as
        人大代表、政协委员.
    item_ids : array_like, optional
        Questionnaire item (题号) of every row, e.g. ``"Q1"``; read with ``items``. Ids are
        compared as text (``1`` and ``"1"`` are the same item).
    items : str or iterable, optional
        Score only the answers to these items, e.g. the overall-satisfaction item
        (总体满意度). The answers of other items are left out before anything is counted,
        and their number is reported in ``n_not_selected``. Every id must occur in
        ``item_ids``.
    ci_method : {None, "wilson", "normal_approximate", "bootstrap"}, optional
        The advisory interval. ``None`` (default): Wilson's for a positive share, the normal
        approximation for a mean score. ``"bootstrap"``: the percentile interval of a
        respondent-level (cluster) bootstrap, recommended when respondents answer several
        items (see Notes).
    n_resamples : int, optional
        Bootstrap replicates, default 2000.
    seed : int or numpy.random.Generator, optional
        Seed of :func:`numpy.random.default_rng` for the bootstrap, or a generator to draw
        from; default 0, so that the same call gives the same interval.

    Returns
    -------
    RecognitionResult
        Estimate, decision, advisory interval, counts, conventions, per-group and per-location
        tables and warnings. ``status="undefined"`` (rate NaN, ``passed=False``) when no answer
        can be scored.

    Raises
    ------
    InvalidValueError
        ``unknown_answer`` (a label outside the scale) or ``answer_out_of_range`` (a number
        outside a numeric scale), naming the positions (or index labels) and the values and
        listing the scale's labels; ``mixed_scales`` (``scale="detect"`` found no scale);
        ``unknown_value`` / ``ambiguous_group`` / ``missing_value`` (groups, locations);
        ``invalid_weight``; ``grade_out_of_range``; ``respondent_inconsistent`` (a respondent's
        rows disagree on group, location or, for ``unit="respondent"``, weight);
        ``empty_group`` (a group or location with a positive share and no scored answer).
    InvalidArgumentError
        ``bad_shares`` (shares not summing to 1, negative, or a present group without a
        share); ``no_score_map`` (mean score without a map); ``invalid_option``;
        ``unknown_item`` (``items`` names ids that no row has, listing them and the ids
        present); ``empty_selection`` (``items`` names no item).

    Warns
    -----
    DegenerateDataWarning
        When no answer can be scored; the result then has ``status="undefined"``.

    Notes
    -----
    Data-quality warnings are returned in ``warnings`` (never raised): ``blank_answer``,
    ``small_group`` (a group with fewer than 30 valid answers), ``clustered_answers``,
    ``student_below_grade_3``. The official national scoring rule is not public; the defaults
    are the library's reading (docs: The national method, Part 4: social recognition) and every
    convention is recorded in the result.

    **Bootstrap.** With ``unit="answer"`` and several items per respondent, answers are
    clustered within respondents and the Wilson interval, which treats answers as independent,
    is too narrow. ``ci_method="bootstrap"`` resamples whole respondents (rows without
    ``respondent_ids`` are one respondent each) with replacement, within each weighting
    stratum (group, location or both; the whole sample when pooled), recomputes the estimate
    with the same weighting on each of ``n_resamples`` replicates, and takes the
    :math:`(1 - \text{level})/2` and :math:`(1 + \text{level})/2` quantiles of the replicates.
    The interval is widened, if need be, to contain the estimate. The decision
    (``passed``) never depends on it.

    References
    ----------
    docs: The national method, Part 4: social recognition; docs: Input tables. B. Efron and
    R. J. Tibshirani, *An Introduction to the Bootstrap*, Chapman & Hall, 1993, §13.3
    (percentile interval).

    Examples
    --------
    A worked example: 860 positive answers out of 1000.

    >>> result = recognition_rate(["满意"] * 860 + ["不满意"] * 140)
    >>> result.rate, result.passed, result.ci_status, result.passed_at_confidence
    (0.86, True, 'indeterminate', False)
    >>> round(result.ci_low, 5), round(result.ci_high, 5)
    (0.83711, 0.88013)

    Don't-know answers leave the denominator by default:

    >>> recognition_rate(["满意", "不满意", "不了解", None]).rate
    0.5

    Equal group weights:

    >>> r = recognition_rate(["满意", "满意", "满意", "不满意"],
    ...                      groups=["家长", "家长", "教师", "教师"],
    ...                      group_weights="equal_groups")
    >>> r.rate, r.pooled_rate
    (0.75, 0.75)

    Only the overall-satisfaction item, with a respondent-level bootstrap interval:

    >>> r = recognition_rate(["满意", "不满意", "满意", "满意"], item_ids=["Q1", "Q9", "Q1", "Q9"],
    ...                      respondent_ids=["a", "a", "b", "b"], items=["Q9"],
    ...                      ci_method="bootstrap", seed=1)
    >>> r.rate, r.items, r.n_not_selected, r.ci_method
    (0.5, ('Q9',), 2, 'bootstrap')
    """
    if items is not None or item_ids is not None:
        return _score_items(
            answers,
            item_ids,
            items,
            scale=scale,
            groups=groups,
            group_weights=group_weights,
            threshold=threshold,
            confidence=confidence,
            mode=mode,
            positive=positive,
            dont_know=dont_know,
            score_map=score_map,
            weights=weights,
            respondent_ids=respondent_ids,
            unit=unit,
            locations=locations,
            location_shares=location_shares,
            grades=grades,
            group_map=group_map,
            ci_method=ci_method,
            n_resamples=n_resamples,
            seed=seed,
        )
    check_option(mode, MODES, "mode")
    check_option(dont_know, DONT_KNOW_POLICIES, "dont_know")
    check_option(unit, UNITS, "unit")
    _check_fraction(threshold, "threshold", closed=True)
    _check_fraction(confidence, "confidence", closed=False)
    _check_group_weights(group_weights)
    if groups is None and group_weights not in (None, "pooled"):
        msg = "group_weights needs groups=, the respondent group of every answer"
        raise InvalidArgumentError(msg, code="invalid_argument")
    if mode == "mean_score" and dont_know != "exclude":
        msg = "mode='mean_score' always excludes don't-know answers; drop dont_know='not_positive'"
        raise InvalidArgumentError(msg, code="invalid_argument")
    interval_method = _interval_method(ci_method, mode)
    generator, seed_used = _bootstrap_generator(seed, n_resamples, interval_method)

    chosen, codes, labels = _code_answers(answers, scale)
    size = codes.size
    positive_levels, share_exact, score_exact = _score_vectors(chosen, mode, positive, score_map)
    group_codes = None if groups is None else _code_groups(groups, size, group_map)
    location_codes = None if locations is None else _code_locations(locations, size)
    if location_shares is not None and location_codes is None:
        msg = "location_shares= needs locations=, the location of every answer"
        raise InvalidArgumentError(msg, code="invalid_argument")
    base_weights = _row_weights(weights, size)
    respondents = None if respondent_ids is None else _code_respondents(respondent_ids, size)
    if unit == "respondent" and respondents is None:
        msg = "unit='respondent' needs respondent_ids=, the respondent of every answer"
        raise InvalidArgumentError(msg, code="invalid_argument")
    below_grade = _grade_exclusion(grades, group_codes, size)

    n_levels = len(chosen.levels)
    is_level = codes >= 0
    is_dont_know = codes == _DONT_KNOW
    is_blank = codes == _BLANK
    kept = ~below_grade
    positive_table = np.array([level in positive_levels for level in chosen.levels] or [False])
    is_positive = is_level & positive_table[np.maximum(codes, 0)]
    count_dont_know = dont_know == "not_positive"
    category = np.where(is_level, codes, np.where(is_dont_know & count_dont_know, n_levels, -1))
    entering = (category >= 0) & kept
    if location_shares is not None:
        assert location_codes is not None  # noqa: S101 - checked above
        missing_location = entering & (location_codes < 0)
        if missing_location.any():
            msg = (
                f"locations are missing at {_at(missing_location, labels)}; "
                "location_shares needs the location of every scored answer"
            )
            raise InvalidValueError(msg, code="missing_value")
    if respondents is not None:
        if group_codes is not None:
            _check_constant_within(respondents, group_codes, "groups", _group_name)
        if location_codes is not None:
            _check_constant_within(respondents, location_codes, "locations", _location_name)
        if unit == "respondent":
            _check_constant_within(respondents, base_weights, "weights", lambda v: f"{v:g}")

    share_values = np.array([float(v) for v in share_exact], dtype=np.float64)
    score_values = (
        np.zeros_like(share_values)
        if score_exact is None
        else np.array([float(v) for v in score_exact], dtype=np.float64)
    )
    units = _build_units(
        category.astype(np.int64),
        entering,
        base_weights,
        groups=group_codes,
        locations=location_codes,
        respondents=None if respondents is None else respondents.codes,
        unit=unit,
        share_values=share_values,
        score_values=score_values,
    )
    mean_score = mode == "mean_score"
    threshold_exact = to_fraction(threshold)
    mark = threshold_exact * _POINTS if mean_score else threshold_exact

    warnings_found: list[Issue] = []
    n_blank = int((is_blank & kept).sum())
    if n_blank:
        warnings_found.append(
            Issue(
                code="blank_answer",
                severity="warning",
                table="survey",
                column="answer",
                message=(
                    f"{n_blank} blank answer(s) at {_at(is_blank & kept, labels)}, counted as "
                    "invalid returns and "
                    "excluded from the rate"
                ),
            )
        )
    n_below_grade = int(below_grade.sum())
    if n_below_grade:
        warnings_found.append(
            Issue(
                code="student_below_grade_3",
                severity="warning",
                table="survey",
                column="grade",
                message=(
                    f"{n_below_grade} student answer(s) below grade {STUDENT_MIN_GRADE} at "
                    f"{_at(below_grade, labels)} excluded from scoring; "
                    "the national student questionnaire starts at grade 3"
                ),
            )
        )
    if (
        interval_method != "bootstrap"
        and unit == "answer"
        and respondents is not None
        and entering.any()
    ):
        per_respondent = np.bincount(respondents.codes[entering])
        clustered = int((per_respondent > 1).sum())
        if clustered:
            warnings_found.append(
                Issue(
                    code="clustered_answers",
                    severity="warning",
                    table="survey",
                    column="respondent_id",
                    message=(
                        f"{clustered} respondent(s) gave several scored answers; the "
                        f"{interval_method.replace('_', ' ')} interval treats answers as "
                        "independent and understates the uncertainty; use "
                        "ci_method='bootstrap' (a respondent-level bootstrap) or "
                        "unit='respondent'"
                    ),
                )
            )

    undefined = units.size == 0
    if undefined:
        strata = _Strata(
            index=np.zeros(0, dtype=np.int64),
            shares=None,
            final_weight=units.weight,
            weighting="pooled" if group_weights is None else _weighting_name(group_weights),
            location_weighting="none" if location_shares is None else "location_shares",
        )
    else:
        strata = _strata(units, group_weights, location_shares)

    row_flags = {
        "valid": is_level & kept,
        "positive": is_positive & kept,
        "dont_know": is_dont_know & kept,
        "blank": is_blank & kept,
    }
    group_table: tuple[GroupRate, ...] = ()
    if group_codes is not None:
        assert units.group is not None  # noqa: S101
        records = _tables(
            group_codes,
            units.group,
            GROUP_IDS,
            row_flags=row_flags,
            units=units,
            final_weight=strata.final_weight,
            mean_score=mean_score,
        )
        group_table = tuple(GroupRate(group=r.pop("id"), **r) for r in records)
        warnings_found.extend(
            Issue(
                code="small_group",
                severity="warning",
                table="survey",
                column="respondent_group",
                key=f"respondent_group={item.group}",
                message=(
                    f"group {item.group!r} has {item.n_valid} valid answer(s), fewer than "
                    f"{SMALL_GROUP_MINIMUM}; its rate is unstable"
                ),
            )
            for item in group_table
            if item.n_valid < SMALL_GROUP_MINIMUM
        )
    location_table: tuple[LocationRate, ...] = ()
    if location_codes is not None:
        assert units.location is not None  # noqa: S101
        records = _tables(
            location_codes,
            units.location,
            LOCATION_IDS,
            row_flags=row_flags,
            units=units,
            final_weight=strata.final_weight,
            mean_score=mean_score,
        )
        location_table = tuple(LocationRate(location=r.pop("id"), **r) for r in records)

    n_valid = int(row_flags["valid"].sum())
    n_dont_know = int(row_flags["dont_know"].sum())
    n_excluded = n_blank + n_below_grade + (0 if count_dont_know else n_dont_know)
    score_pairs: tuple[tuple[str, float], ...] = ()
    if score_exact is not None:
        score_pairs = tuple(
            (level, float(value)) for level, value in zip(chosen.levels, score_exact, strict=False)
        )
    conventions: dict[str, Any] = {
        "threshold": float(threshold),
        "confidence": float(confidence),
        "n_valid": n_valid,
        "n_positive": int(row_flags["positive"].sum()),
        "n_dont_know": n_dont_know,
        "n_blank": n_blank,
        "n_invalid": 0,
        "n_below_grade": n_below_grade,
        "n_excluded": n_excluded,
        "n_scored": units.size,
        "n_respondents": units.n_respondents,
        "mode": mode,
        "scale": chosen.id,
        "positive_set": positive_levels,
        "score_map": score_pairs,
        "dont_know": dont_know,
        "unit": unit,
        "weighting": strata.weighting,
        "location_weighting": strata.location_weighting,
        "groups": group_table,
        "locations": location_table,
        "ci_method": interval_method,
        "n_resamples": n_resamples if interval_method == "bootstrap" else None,
        "seed": seed_used,
    }
    if undefined:
        message = (
            "no answer could be scored (every answer is blank, don't-know or excluded); the "
            "recognition rate is undefined"
        )
        warnings.warn(message, DegenerateDataWarning, stacklevel=2)
        return RecognitionResult(
            rate=math.nan,
            score=math.nan if mean_score else None,
            estimate=math.nan,
            passed=False,
            ci_low=math.nan,
            ci_high=math.nan,
            ci_status="undefined",
            passed_at_confidence=False,
            n_eff=0.0,
            pooled_rate=math.nan,
            status="undefined",
            warnings=tuple(warnings_found),
            **conventions,
        )

    final = strata.final_weight
    total = float(final.sum())
    rate = float(final @ units.share_y) / total
    pooled_rate = float(units.weight @ units.share_y) / float(units.weight.sum())
    n_eff = kish_effective_size(final)
    score: float | None = None
    if mean_score:
        assert score_exact is not None  # noqa: S101
        score = float(final @ units.score_y) / total
        estimate = score
        exact_values = score_exact
    else:
        estimate = rate
        exact_values = share_exact
    values = units.score_y if mean_score else units.share_y
    if interval_method == "bootstrap":
        assert generator is not None  # noqa: S101 - made for the bootstrap
        ci_low, ci_high = _bootstrap_interval(
            values,
            units,
            strata,
            _clusters(entering, respondents, unit, units.size),
            estimate=estimate,
            confidence=confidence,
            n_resamples=n_resamples,
            generator=generator,
        )
    elif mean_score:
        deviation = values - estimate
        spread = math.sqrt(float(final @ (deviation * deviation)) / total)
        half = _two_sided_z(confidence) * spread / math.sqrt(n_eff)
        ci_low, ci_high = max(0.0, estimate - half), min(float(_POINTS), estimate + half)
    else:
        interval = wilson_interval(min(1.0, max(0.0, rate)), n_eff, confidence=confidence)
        ci_low, ci_high = interval.low, interval.high
    passed = _decide(estimate, mark, lambda: _exact_estimate(units, strata, exact_values))
    if _decide(ci_low, mark, None):
        ci_status = "pass"
    elif not _decide(ci_high, mark, None):
        ci_status = "fail"
    else:
        ci_status = "indeterminate"
    return RecognitionResult(
        rate=rate,
        score=score,
        estimate=estimate,
        passed=passed,
        ci_low=ci_low,
        ci_high=ci_high,
        ci_status=ci_status,
        passed_at_confidence=ci_status == "pass",
        n_eff=n_eff,
        pooled_rate=pooled_rate,
        status="ok",
        warnings=tuple(warnings_found),
        **conventions,
    )


def _item_text(value: object) -> str | None:
    """Return an item id as text (``1``, ``1.0`` and ``"1"`` alike); ``None`` when missing."""
    if is_missing(value):
        return None
    if isinstance(value, bool | np.bool_):
        return str(value)
    if isinstance(value, numbers.Real | Decimal):
        number = float(value)
        if math.isfinite(number) and number.is_integer():
            return str(int(number))
    text = normalize_label(str(value))
    return text or None


def _select_items(
    item_ids: Any,  # noqa: ANN401 - any array-like
    items: Iterable[object] | str,
) -> tuple[BoolArray, tuple[str, ...]]:
    """Return which rows answer one of ``items``, and the chosen ids as text.

    Item ids are compared as text, after NFKC folding and removal of spaces; integer-valued
    numbers are written without a decimal part, so ``1``, ``1.0`` and ``"1"`` are one item.

    Parameters
    ----------
    item_ids : array_like
        The item (题号) of every row; blank ids answer no item.
    items : str or iterable
        The ids to keep, e.g. ``["Q9"]``.

    Returns
    -------
    mask : numpy.ndarray of bool
        ``True`` on the rows of a chosen item.
    chosen : tuple of str
        The chosen ids, in the order given, without repeats.

    Raises
    ------
    InvalidArgumentError
        ``empty_selection`` when ``items`` names no item; ``unknown_item`` when it names ids
        that no row has (the message lists them and the ids present).
    """
    wanted = [items] if isinstance(items, str) else list(items)
    chosen = tuple(dict.fromkeys(text for text in map(_item_text, wanted) if text is not None))
    if not chosen:
        msg = f"items must name at least one item id (题号); got {items!r}"
        raise InvalidArgumentError(msg, code="empty_selection")
    array, _ = _object_array(item_ids, "item_ids")
    codes, uniques = _factorize(array, "item_ids")
    texts = [_item_text(value) for value in uniques]
    unknown = [item for item in chosen if item not in texts]
    if unknown:
        present = sorted({text for text in texts if text is not None})
        listed = _MAX_LISTED * 4
        shown = ", ".join(present[:listed]) + (" ..." if len(present) > listed else "")
        msg = (
            f"items: no answer has item id(s) {', '.join(map(repr, unknown))}; the item ids "
            f"present are {shown or '(none)'}"
        )
        raise InvalidArgumentError(msg, code="unknown_item")
    keep = np.array([text in chosen for text in texts] or [False], dtype=np.bool_)
    return (codes >= 0) & keep[np.maximum(codes, 0)], chosen


def _score_items(
    answers: Any,  # noqa: ANN401 - any array-like
    item_ids: Any,  # noqa: ANN401 - any array-like
    items: Iterable[object] | str | None,
    **options: Any,  # noqa: ANN401 - the other options of recognition_rate
) -> RecognitionResult:
    """Score the answers to ``items`` only (``items=`` of :func:`recognition_rate`)."""
    series = _as_series(answers, "answers")
    if item_ids is None:
        msg = "items= needs item_ids=, the item (题号) of every answer"
        raise InvalidArgumentError(msg, code="invalid_argument")
    ids = _as_series(item_ids, "item_ids")
    _check_length(ids.size, series.size, "item_ids")
    if items is None:
        return recognition_rate(series, **options)
    mask, chosen = _select_items(ids, items)
    for name in _ARRAY_OPTIONS:
        values = options.get(name)
        if values is not None:
            array = _as_series(values, name)
            _check_length(array.size, series.size, name)
            options[name] = array[mask]
    result = recognition_rate(series[mask], **options)
    return attrs.evolve(result, items=chosen, n_not_selected=int((~mask).sum()))


def _interval_method(ci_method: object, mode: str) -> str:
    """Return the interval method asked for, or the mode's analytic default."""
    analytic = "normal_approximate" if mode == "mean_score" else "wilson"
    if ci_method is None:
        return analytic
    check_option(ci_method, CI_METHODS, "ci_method")
    if ci_method not in {analytic, "bootstrap"}:
        msg = (
            f"ci_method={ci_method!r} does not fit mode={mode!r}; use {analytic!r} (the "
            "default) or 'bootstrap'"
        )
        raise InvalidArgumentError(msg, code="invalid_option")
    return str(ci_method)


def _bootstrap_generator(
    seed: object, n_resamples: object, method: str
) -> tuple[np.random.Generator | None, int | None]:
    """Return the generator of the bootstrap and the seed to record (``None`` if analytic)."""
    if method != "bootstrap":
        return None, None
    if (
        isinstance(n_resamples, bool)
        or not isinstance(n_resamples, numbers.Integral)
        or int(n_resamples) < 1
    ):
        msg = (
            f"n_resamples must be a whole number of bootstrap replicates >= 1; got {n_resamples!r}"
        )
        raise InvalidArgumentError(msg, code="invalid_argument")
    if isinstance(seed, np.random.Generator):
        return seed, None
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or int(seed) < 0:
        msg = f"seed must be a whole number >= 0 or a numpy Generator; got {seed!r}"
        raise InvalidArgumentError(msg, code="invalid_argument")
    return np.random.default_rng(int(seed)), int(seed)


def _clusters(
    entering: BoolArray, respondents: _Respondents | None, unit: str, size: int
) -> IntArray:
    """Return the respondent (cluster) of every scored unit, as dense codes."""
    if unit == "respondent" or respondents is None:
        return np.arange(size, dtype=np.int64)
    _, dense = np.unique(respondents.codes[entering], return_inverse=True)
    return dense.astype(np.int64)


def _bootstrap_interval(
    values: FloatArray,
    units: _Units,
    strata: _Strata,
    clusters: IntArray,
    *,
    estimate: float,
    confidence: float,
    n_resamples: int,
    generator: np.random.Generator,
) -> tuple[float, float]:
    r"""Return the percentile interval of a respondent-level bootstrap of the estimate.

    Respondents are drawn with replacement within their weighting stratum, so every stratum
    keeps its size and its share. A replicate's estimate is
    :math:`\sum_s \pi_s N_s / D_s \,/\, \sum_s \pi_s` over the strata, with
    :math:`N_s = \sum w_a x_a` and :math:`D_s = \sum w_a` over the drawn respondents' units
    (:math:`\pi_s = 1` and one stratum when pooled). Vectorised over respondents and
    replicates; replicates are drawn in blocks to bound the memory.
    """
    n_clusters = int(clusters.max()) + 1
    numerator = np.bincount(clusters, weights=units.weight * values, minlength=n_clusters)
    denominator = np.bincount(clusters, weights=units.weight, minlength=n_clusters)
    stratum_of = np.zeros(n_clusters, dtype=np.int64)
    stratum_of[clusters] = strata.index
    order = np.argsort(stratum_of, kind="stable")
    numerator, denominator, stratum_of = numerator[order], denominator[order], stratum_of[order]
    starts = np.flatnonzero(np.r_[True, stratum_of[1:] != stratum_of[:-1]])
    sizes = np.diff(np.r_[starts, n_clusters])
    present = stratum_of[starts]
    shares = (
        np.ones(1)
        if strata.shares is None
        else np.array([float(strata.shares[s]) for s in present], dtype=np.float64)
    )
    slot_start = np.repeat(starts, sizes)
    slot_size = np.repeat(sizes, sizes)
    block = max(1, _BOOTSTRAP_BLOCK // n_clusters)
    replicates = np.empty(n_resamples, dtype=np.float64)
    # A loop over blocks of replicates only; each block is vectorised.
    for first in range(0, n_resamples, block):
        count = min(block, n_resamples - first)
        draws = generator.random((count, n_clusters))
        picked = slot_start + (draws * slot_size).astype(np.int64)
        top = np.add.reduceat(numerator[picked], starts, axis=1)
        bottom = np.add.reduceat(denominator[picked], starts, axis=1)
        replicates[first : first + count] = (top / bottom) @ shares / shares.sum()
    tail = (1.0 - confidence) / 2.0
    low, high = np.quantile(replicates, [tail, 1.0 - tail])
    return min(float(low), estimate), max(float(high), estimate)


def _check_group_weights(group_weights: object) -> None:
    if isinstance(group_weights, str):
        check_option(group_weights, GROUP_WEIGHTINGS, "group_weights")
    elif group_weights is not None and not isinstance(group_weights, Mapping):
        msg = f"group_weights must be a weighting name or a mapping; got {group_weights!r}"
        raise InvalidArgumentError(msg, code="invalid_option")


def _weighting_name(group_weights: str | Mapping[object, float]) -> str:
    return "fixed_shares" if isinstance(group_weights, Mapping) else str(group_weights)


def _check_fraction(value: object, name: str, *, closed: bool) -> None:
    if isinstance(value, bool) or not isinstance(value, numbers.Real | Decimal):
        msg = f"{name} must be a number; got {value!r}"
        raise InvalidArgumentError(msg, code="invalid_argument")
    number = float(value)
    inside = 0.0 <= number <= 1.0 if closed else 0.0 < number < 1.0
    if not (math.isfinite(number) and inside):
        interval = "[0, 1]" if closed else "(0, 1)"
        msg = f"{name} must be a fraction in {interval}; got {value!r}"
        raise InvalidArgumentError(msg, code="invalid_argument")


# =============================================================================================
# Two-component variant
# =============================================================================================

_ARRAY_OPTIONS: Final = ("groups", "weights", "respondent_ids", "locations", "grades")


def _as_series(values: Any, name: str) -> pd.Series:  # noqa: ANN401 - any array-like
    array, labels = _object_array(values, name)
    return pd.Series(array, index=labels, dtype=object)


def recognition_by_component(
    answers: Any,  # noqa: ANN401 - any array-like
    *,
    components: Any,  # noqa: ANN401 - any array-like
    threshold: float | Mapping[object, float] = RECOGNITION_THRESHOLD,
    required: Iterable[str] = COMPONENT_IDS,
    **options: Any,  # noqa: ANN401 - passed through to recognition_rate
) -> ComponentRecognition:
    """Score each component (问卷调查 questionnaire, 实地走访 field visit) and require all to pass.

    Two-component variant (Shenyang configuration, docs: The national method, Part 4: social
    recognition [S] and §7): every component is scored on its own answers with the same options, and
    the county passes when every required component is present and passes its own threshold.

    Parameters
    ----------
    answers : array_like
        One answer per row, as for :func:`recognition_rate`.
    components : array_like
        Component of every row: ``questionnaire`` / 问卷调查 or ``field_visit`` / 实地走访.
    threshold : float or mapping, optional
        Pass mark of every component (default 0.85), or ``{component: threshold}``; components
        not in the mapping use 0.85.
    required : iterable of str, optional
        Components that must be present (default both).
    **options
        Any other keyword of :func:`recognition_rate`; array options (``groups``, ``weights``,
        ``respondent_ids``, ``locations``, ``grades``, ``item_ids``) are split with the
        answers. ``items`` must name ids present in the survey; a component without any of
        them has no answers (and is ``missing`` when required).

    Returns
    -------
    ComponentRecognition

    Raises
    ------
    InvalidValueError, InvalidArgumentError
        As :func:`recognition_rate`; ``unknown_value`` / ``missing_value`` for components.

    Examples
    --------
    >>> result = recognition_by_component(
    ...     ["满意"] * 9 + ["不满意"] + ["满意"] * 8 + ["不满意"] * 2,
    ...     components=["问卷调查"] * 10 + ["实地走访"] * 10)
    >>> [(c.component, c.result.rate, c.result.passed) for c in result.components]
    [('questionnaire', 0.9, True), ('field_visit', 0.8, False)]
    >>> result.passed
    False
    """
    series = _as_series(answers, "answers")
    size = series.size
    codes, _ = _code_enum(
        components, size, name="components", ids=COMPONENT_IDS, aliases=COMPONENT_ALIASES
    )
    required_codes = sorted({_component_code(name, "required") for name in required})
    thresholds: list[float] = [RECOGNITION_THRESHOLD] * len(COMPONENT_IDS)
    if isinstance(threshold, Mapping):
        for name, value in threshold.items():
            thresholds[_component_code(name, "threshold")] = value
    else:
        thresholds = [threshold] * len(COMPONENT_IDS)
    arrays = {
        name: _as_series(options.pop(name), name)
        for name in (*_ARRAY_OPTIONS, "item_ids")
        if options.get(name) is not None
    }
    for name, values in arrays.items():
        _check_length(values.size, size, name)
    items = options.pop("items", None)
    selected = np.ones(size, dtype=np.bool_)
    chosen: tuple[str, ...] | None = None
    if items is not None:
        if "item_ids" not in arrays:
            msg = "items= needs item_ids=, the item (题号) of every answer"
            raise InvalidArgumentError(msg, code="invalid_argument")
        # Chosen ids must exist in the survey, not in every component.
        selected, chosen = _select_items(arrays["item_ids"], items)
    arrays.pop("item_ids", None)
    present = np.flatnonzero(np.bincount(codes[selected], minlength=len(COMPONENT_IDS)) > 0)
    # At most two components: one call of recognition_rate each.
    results: list[ComponentResult] = []
    for component in present:
        mask = (codes == component) & selected
        split = {name: values[mask] for name, values in arrays.items()}
        result = recognition_rate(
            series[mask], threshold=thresholds[int(component)], **split, **options
        )
        if chosen is not None:
            others = int(((codes == component) & ~selected).sum())
            result = attrs.evolve(result, items=chosen, n_not_selected=others)
        results.append(ComponentResult(component=COMPONENT_IDS[int(component)], result=result))
    missing = tuple(COMPONENT_IDS[c] for c in required_codes if c not in present)
    passed = not missing and all(
        item.result.passed
        for item in results
        if COMPONENT_IDS.index(item.component) in required_codes
    )
    return ComponentRecognition(
        passed=passed,
        components=tuple(results),
        required=tuple(COMPONENT_IDS[c] for c in required_codes),
        missing=missing,
    )


def _component_code(name: object, argument: str) -> int:
    lookup = _enum_lookup(COMPONENT_IDS, COMPONENT_ALIASES, None, argument)
    code = lookup.get(label_key(str(name)))
    if code is None:
        msg = (
            f"{argument}: {name!r} is not one of {', '.join([*COMPONENT_IDS, *COMPONENT_ALIASES])}"
        )
        raise InvalidArgumentError(msg, code="unknown_value")
    return code


# =============================================================================================
# Survey-design checks
# =============================================================================================


def _additions_for_share(count: int, total: int, minimum: Fraction) -> int | None:
    """Fewest respondents of a kind to add so that ``(count + k) / (total + k) >= minimum``."""
    if minimum <= 0:
        return 0
    if minimum >= 1:
        return 0 if count == total else None
    return max(0, math.ceil((minimum * total - count) / (1 - minimum)))


def _valid_rows(valid: Any, size: int) -> BoolArray:  # noqa: ANN401 - any array-like
    if valid is None:
        return np.ones(size, dtype=np.bool_)
    labels = index_labels(valid)
    array = np.asarray(valid.to_numpy() if isinstance(valid, pd.Series) else valid)
    _check_length(array.size, size, "valid")
    if array.dtype.kind == "b":
        return array.astype(np.bool_)
    if array.dtype.kind in "iu" and np.isin(array, (0, 1)).all():
        return array.astype(np.bool_)
    flat = np.fromiter((isinstance(v, bool | np.bool_) for v in array.ravel()), dtype=np.bool_)
    if array.dtype.kind == "O" and flat.all():
        return array.astype(np.bool_)
    bad = ~flat if array.dtype.kind == "O" else np.ones(array.size, dtype=np.bool_)
    msg = f"valid must hold booleans (True for a valid return); not so at {_at(bad, labels)}"
    raise InvalidTypeError(msg, code="not_a_boolean")


def _population(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real | Decimal):
        msg = f"resident_population must be a number of persons; got {value!r}"
        raise InvalidArgumentError(msg, code="invalid_argument")
    number = float(value)
    if not (math.isfinite(number) and number > 0):
        msg = f"resident_population must be a finite number > 0 [persons]; got {value!r}"
        raise InvalidArgumentError(msg, code="invalid_argument")
    return number


def _sample_note(design: DesignPreset, population: float, required: int) -> str:
    if design.sample_tiers:
        rule = "higher" if design.tier_boundary == "higher" else "lower"
        return (
            f"tier of {population:,g} residents in the {design.id} table (a boundary "
            f"population falls in the {rule} tier)"
        )
    if (
        design.sample_minimum is not None
        and design.minimum_below_population is not None
        and population < design.minimum_below_population
    ):
        return (
            f"{design.sample_minimum}: the fixed size below "
            f"{design.minimum_below_population:,} residents"
        )
    return f"ceil({design.sample_rate:g} × {population:,g}) = {required} (rounded up)"


def _balance_item(
    check: str, counts: dict[str, int], max_ratio: float, what: str
) -> DesignCheckItem:
    expected = float(max_ratio)
    listed = ", ".join(f"{name} {count}" for name, count in counts.items())
    if not counts:
        return _item(
            check,
            expected=expected,
            achieved=None,
            comparator="<=",
            status="not_evaluable",
            note=f"no {what} present",
        )
    largest, smallest = max(counts.values()), min(counts.values())
    ratio = Fraction(largest, smallest)
    met = ratio <= to_fraction(max_ratio)
    shortfall = None if met else math.ceil(Fraction(largest) / to_fraction(max_ratio)) - smallest
    note = f"max/min respondents among the {what} present ({listed})"
    return _item(
        check,
        expected=expected,
        achieved=float(ratio),
        comparator="<=",
        status="ok" if met else "not_met",
        shortfall=shortfall,
        note=note,
    )


def _share_item(
    check: str,
    subject: str,
    *,
    count: int,
    total: int,
    target: float,
    tolerance: float,
    note: str,
) -> DesignCheckItem:
    if total == 0:
        return _item(
            check,
            subject=subject,
            expected=float(target),
            achieved=None,
            comparator="within",
            tolerance=tolerance,
            status="not_evaluable",
            note=f"{note}; no respondent to count",
        )
    achieved = Fraction(count, total)
    gap = achieved - to_fraction(target)
    met = abs(gap) <= to_fraction(tolerance)
    shortfall = None
    if not met and gap < 0:
        shortfall = _additions_for_share(count, total, to_fraction(target) - to_fraction(tolerance))
    return _item(
        check,
        subject=subject,
        expected=float(target),
        achieved=float(achieved),
        comparator="within",
        tolerance=tolerance,
        status="ok" if met else "not_met",
        shortfall=shortfall,
        note=f"{note}; {count} of {total} respondents",
    )


def _item(
    check: str,
    *,
    expected: float,
    achieved: float | None,
    comparator: str,
    status: CheckStatus,
    note: str,
    subject: str | None = None,
    tolerance: float | None = None,
    enforced: bool = True,
    shortfall: int | None = None,
) -> DesignCheckItem:
    return DesignCheckItem(
        check=check,
        subject=subject,
        expected=expected,
        achieved=achieved,
        comparator=comparator,
        tolerance=tolerance,
        status=status,
        enforced=enforced,
        shortfall=shortfall,
        note=note,
    )


def check_design(
    groups: Any,  # noqa: ANN401 - any array-like
    *,
    resident_population: float,
    preset: str | DesignPreset = "national_2024",
    respondent_ids: Any = None,  # noqa: ANN401 - any array-like
    locations: Any = None,  # noqa: ANN401 - any array-like
    location_distribution: Mapping[object, float] | None = None,
    grades: Any = None,  # noqa: ANN401 - any array-like
    issued: int | None = None,
    valid: Any = None,  # noqa: ANN401 - any array-like
    group_map: Mapping[object, str] | None = None,
) -> DesignCheck:
    r"""Compare a county's survey sample with a published design (advisory).

    Respondents are counted once (distinct ``respondent_ids``; rows when no ids are given) and
    only when they have at least one valid answer (``valid``). The checks of the preset, in
    order (docs: The national method, Part 4: social recognition):

    * ``sample_size``: respondents ≥ :meth:`DesignPreset.required_sample`, e.g.
      :math:`\lceil 0.0015 \times \text{population} \rceil` (national 2024) or
      :math:`\max(600, \lceil 0.0015 \times \text{population} \rceil)` (basic balance 2012:
      600 below 400 000 residents);
    * ``parent_share``: parents / respondents ≥ 0.5 (national 2024: "in principle", reported
      with ``enforced=False``);
    * ``other_groups_balance``: among the non-parent groups present, max/min ≤ 2.0;
    * ``group_share``: fixed group shares ± tolerance (``preschool_jiyuan``);
    * ``location_proportional``: for urban, town and rural,
      :math:`|\text{sample share} - \text{population share}| \le 0.05` (needs ``locations`` and
      ``location_distribution``); ``location_share``: fixed location shares
      (``jiangsu_modernisation``, urban + town : rural = 0.4 : 0.6);
    * ``student_grade``: every student respondent in grade ≥ 3; ``grade_balance``: among the
      students' grades present, max/min ≤ 2.0 (need ``grades``);
    * ``valid_return_rate``: respondents / ``issued`` ≥ 0.70.

    Comparisons are exact (shares and ratios as fractions of counts). A check whose input is
    missing is ``not_evaluable``; checks never change the recognition decision.

    Parameters
    ----------
    groups : array_like
        Respondent group of every row (canonical id or Chinese alias, see
        :func:`recognition_rate`).
    resident_population : float
        Resident population (常住人口) of the county [persons].
    preset : str or DesignPreset, optional
        A built-in preset id (:data:`DESIGN_PRESETS`) or your own :class:`DesignPreset`.
    respondent_ids : array_like, optional
        Respondent of every row; rows sharing an id are one respondent.
    locations : array_like, optional
        Location of every row (``urban``/城区, ``town``/镇区, ``rural``/乡村); may be missing.
    location_distribution : mapping, optional
        Resident-population shares ``{location: share}`` summing to 1 (locations not listed: 0).
    grades : array_like, optional
        Grade (1-9) of every row; read for students only.
    issued : int, optional
        Questionnaires issued (发放问卷数), for the valid-return rate.
    valid : array_like of bool, optional
        Whether each row holds a valid answer; default all rows.
    group_map : mapping, optional
        Explicit ``{label: group}`` for labels that are not aliases.

    Returns
    -------
    DesignCheck
        The items with expected and achieved values, status and shortfall, and the overall
        status; :attr:`DesignCheck.shortfalls` lists the respondents missing.

    Raises
    ------
    InvalidValueError
        Bad group, location or grade values (``unknown_value``, ``ambiguous_group``,
        ``grade_out_of_range``), ``respondent_inconsistent``, or ``count_inconsistent`` when
        ``issued`` is below the valid returns.
    InvalidArgumentError
        An unknown preset, a bad population, ``bad_shares`` in ``location_distribution``.

    Examples
    --------
    A county of 500 000 residents needs ceil(0.0015 × 500 000) = 750 respondents:

    >>> check = check_design(["家长"] * 400 + ["教师"] * 200 + ["学生"] * 100,
    ...                      resident_population=500_000)
    >>> check.items[0].expected, check.items[0].achieved, check.items[0].status
    (750.0, 700.0, 'not_met')
    >>> check.shortfalls
    {'sample_size': 50}
    """
    design = preset if isinstance(preset, DesignPreset) else get_design_preset(preset)
    population = _population(resident_population)
    group_codes = _code_groups(groups, None, group_map)
    size = group_codes.size
    valid_mask = _valid_rows(valid, size)
    location_codes = None if locations is None else _code_locations(locations, size)
    grade_values = None if grades is None else _code_grades(grades, size)
    rows = np.flatnonzero(valid_mask)
    if respondent_ids is not None:
        respondents = _code_respondents(respondent_ids, size)
        _check_constant_within(respondents, group_codes, "groups", _group_name)
        if location_codes is not None:
            _check_constant_within(respondents, location_codes, "locations", _location_name)
        if grade_values is not None:
            _check_constant_within(
                respondents, np.nan_to_num(grade_values, nan=-1.0), "grades", _grade_name
            )
        _, first = np.unique(respondents.codes[rows], return_index=True)
        rows = rows[np.sort(first)]
    respondent_groups = group_codes[rows]
    counts = np.bincount(respondent_groups, minlength=len(GROUP_IDS))
    group_counts = tuple((GROUP_IDS[k], int(counts[k])) for k in np.flatnonzero(counts > 0))
    items = [_sample_item(design, population, int(rows.size))]
    items.extend(_group_items(design, counts))
    if design.location_tolerance is not None:
        respondent_locations = None if location_codes is None else location_codes[rows]
        items.extend(
            _location_items(
                design.location_tolerance, design, respondent_locations, location_distribution
            )
        )
    if design.student_min_grade is not None or design.grade_max_ratio is not None:
        students = respondent_groups == _STUDENT
        student_grades = None if grade_values is None else grade_values[rows][students]
        items.extend(_grade_items(design, int(students.sum()), student_grades))
    if design.valid_return_min is not None:
        items.append(_valid_return_item(design.valid_return_min, int(rows.size), issued))
    enforced = [item for item in items if item.enforced]
    if any(item.status == "not_met" for item in enforced):
        overall = "not_met"
    elif any(item.status == "not_evaluable" for item in enforced):
        overall = "incomplete"
    else:
        overall = "ok"
    return DesignCheck(
        preset=design.id,
        resident_population=population,
        n_respondents=int(rows.size),
        group_counts=group_counts,
        items=tuple(items),
        status=overall,
    )


def _group_name(code: float) -> str:
    return GROUP_IDS[int(code)]


def _location_name(code: float) -> str:
    return LOCATION_IDS[int(code)] if code >= 0 else "missing"


def _grade_name(grade: float) -> str:
    return f"{grade:g}" if grade >= 0 else "missing"


def _sample_item(design: DesignPreset, population: float, n_respondents: int) -> DesignCheckItem:
    required = design.required_sample(population)
    met = n_respondents >= required
    return _item(
        "sample_size",
        expected=float(required),
        achieved=float(n_respondents),
        comparator=">=",
        status="ok" if met else "not_met",
        shortfall=None if met else required - n_respondents,
        note=_sample_note(design, population, required),
    )


def _group_items(design: DesignPreset, counts: IntArray) -> list[DesignCheckItem]:
    """Return the parent-share, other-groups-balance and fixed group-share checks."""
    total = int(counts.sum())
    items: list[DesignCheckItem] = []
    if design.parent_share_min is not None:
        minimum = to_fraction(design.parent_share_min)
        scope = (
            ""
            if design.parent_share_enforced
            else ("; in principle (原则上): reported, not enforced")
        )
        parents = int(counts[_PARENT])
        met = total > 0 and Fraction(parents, total) >= minimum
        items.append(
            _item(
                "parent_share",
                expected=float(design.parent_share_min),
                achieved=parents / total if total else None,
                comparator=">=",
                status="not_evaluable" if total == 0 else "ok" if met else "not_met",
                enforced=design.parent_share_enforced,
                shortfall=None
                if met or not total
                else _additions_for_share(parents, total, minimum),
                note=f"{parents} parents of {total} respondents{scope}",
            )
        )
    if design.other_groups_max_ratio is not None:
        others = {GROUP_IDS[k]: int(counts[k]) for k in np.flatnonzero(counts > 0) if k != _PARENT}
        items.append(
            _balance_item(
                "other_groups_balance", others, design.other_groups_max_ratio, "non-parent groups"
            )
        )
    tolerance = design.group_share_tolerance or 0.0
    for ids, target in design.group_share_targets:
        count = int(sum(int(counts[GROUP_IDS.index(g)]) for g in ids))
        items.append(
            _share_item(
                "group_share",
                "+".join(ids),
                count=count,
                total=total,
                target=target,
                tolerance=tolerance,
                note=f"fixed share {target:g}",
            )
        )
    return items


def _location_items(
    tolerance: float,
    design: DesignPreset,
    locations: IntArray | None,
    distribution: Mapping[object, float] | None,
) -> list[DesignCheckItem]:
    """Return the location checks: fixed shares of the preset, or the resident distribution."""
    if design.location_targets:
        targets: list[tuple[tuple[str, ...], float]] = list(design.location_targets)
        check, source = "location_share", "fixed share"
    elif distribution is not None:
        shares = _shares_by_id(
            distribution, name="location_distribution", ids=LOCATION_IDS, aliases=LOCATION_ALIASES
        )
        targets = [((x,), float(s or 0)) for x, s in zip(LOCATION_IDS, shares, strict=True)]
        check, source = "location_proportional", "population share"
    else:
        return [
            _item(
                "location_proportional",
                expected=tolerance,
                achieved=None,
                comparator="within",
                tolerance=tolerance,
                status="not_evaluable",
                note="needs location_distribution (the resident shares)",
            )
        ]
    if locations is None:
        return [
            _item(
                check,
                subject="+".join(ids),
                expected=target,
                achieved=None,
                comparator="within",
                tolerance=tolerance,
                status="not_evaluable",
                note="needs locations (the location of every respondent)",
            )
            for ids, target in targets
        ]
    known = locations[locations >= 0]
    by_location = np.bincount(known, minlength=len(LOCATION_IDS))
    unknown = locations.size - known.size
    extra = f"; {unknown} respondent(s) without a location left out" if unknown else ""
    return [
        _share_item(
            check,
            "+".join(ids),
            count=int(sum(int(by_location[LOCATION_IDS.index(x)]) for x in ids)),
            total=int(known.size),
            target=target,
            tolerance=tolerance,
            note=f"{source} {target:g}{extra}",
        )
        for ids, target in targets
    ]


def _grade_items(
    design: DesignPreset, n_students: int, grades: FloatArray | None
) -> list[DesignCheckItem]:
    """Return the student-grade and grade-balance checks."""
    items: list[DesignCheckItem] = []
    known = None if grades is None else grades[~np.isnan(grades)]
    if design.student_min_grade is not None:
        minimum = float(design.student_min_grade)
        if n_students == 0 or known is None:
            why = "no student respondent" if n_students == 0 else "needs grades"
            items.append(
                _item(
                    "student_grade",
                    expected=minimum,
                    achieved=None,
                    comparator=">=",
                    status="not_evaluable",
                    note=why,
                )
            )
        else:
            below = int((known < minimum).sum())
            missing = n_students - known.size
            status: CheckStatus = "not_met" if below else "not_evaluable" if missing else "ok"
            note = f"{below} of {n_students} student respondents below grade {minimum:g}"
            if missing:
                note += f"; {missing} without a grade"
            items.append(
                _item(
                    "student_grade",
                    expected=minimum,
                    achieved=float(known.min()) if known.size else None,
                    comparator=">=",
                    status=status,
                    note=note,
                )
            )
    if design.grade_max_ratio is not None:
        if known is None:
            items.append(
                _item(
                    "grade_balance",
                    expected=float(design.grade_max_ratio),
                    achieved=None,
                    comparator="<=",
                    status="not_evaluable",
                    note="needs grades",
                )
            )
        else:
            per_grade = np.bincount(known.astype(np.int64), minlength=GRADE_RANGE[1] + 1)
            by_grade = {f"grade {g}": int(per_grade[g]) for g in np.flatnonzero(per_grade)}
            items.append(
                _balance_item("grade_balance", by_grade, design.grade_max_ratio, "student grades")
            )
    return items


def _valid_return_item(minimum_rate: float, n_valid: int, issued: object) -> DesignCheckItem:
    minimum = to_fraction(minimum_rate)
    if issued is None:
        return _item(
            "valid_return_rate",
            expected=float(minimum_rate),
            achieved=None,
            comparator=">=",
            status="not_evaluable",
            note="needs issued (questionnaires issued)",
        )
    if isinstance(issued, bool) or not isinstance(issued, numbers.Integral) or int(issued) <= 0:
        msg = f"issued must be a positive whole number of questionnaires; got {issued!r}"
        raise InvalidArgumentError(msg, code="invalid_argument")
    n_issued = int(issued)
    if n_issued < n_valid:
        msg = (
            f"issued ({n_issued}) is below the {n_valid} valid returns; more questionnaires "
            "came back valid than were issued"
        )
        raise InvalidValueError(msg, code="count_inconsistent")
    met = Fraction(n_valid, n_issued) >= minimum
    return _item(
        "valid_return_rate",
        expected=float(minimum_rate),
        achieved=n_valid / n_issued,
        comparator=">=",
        status="ok" if met else "not_met",
        shortfall=None if met else math.ceil(minimum * n_issued) - n_valid,
        note=f"{n_valid} valid returns of {n_issued} issued",
    )
