"""Reading county facts and building item outcomes (private helpers of the parts).

The preconditions, Part 2 (government guarantee), Part 3 (education quality), Part 4 (social
recognition) and the vetoes all read one county's facts (docs: Input tables) and report
every item as an :class:`~eduequity.national.ItemOutcome`. This module holds what they share:

- :class:`FactReader` reads a field as a flag, an exact number, a year, a date or evidence text,
  treats ``None``/NaN/``pd.NA`` as missing (never as zero or false) and raises an error naming
  the county and the field for a value of the wrong type or range;
- :class:`Check` is one decided condition of an item (a declared flag, a rate against its
  limit, a per-school rule); :func:`build_item` combines the checks of an item;
- :func:`declared_check` and :func:`ratio_check` implement the two common item shapes of
  docs: The national method, Part 2: government guarantee (declared yes/no with evidence; a rate
  given directly or as counts, the counts winning);
- :func:`provenance` renders a rule entry's source and confidence tag in one short line.

Threshold decisions are exact (docs: The national method, The per-school
rule): numbers are read as the decimals
that were typed (:func:`~eduequity._exact.to_fraction`) and compared with the rule's
exact value, so a value equal to its limit meets a ``>=`` or ``<=`` limit and fails a ``<``.
"""

from __future__ import annotations

import datetime as dt
import math
import operator
import warnings
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Final, cast

import attrs
import numpy as np
import pandas as pd

from eduequity._exact import RATE_COUNT_TOLERANCE, compare, to_fraction
from eduequity._validation import is_missing as _is_missing
from eduequity.errors import (
    DataQualityWarning,
    InvalidTypeError,
    InvalidValueError,
    RuleSetError,
)
from eduequity.national._outcomes import (
    Failure,
    ItemOutcome,
    PartResult,
    SchoolLimit,
    Status,
    combine_statuses,
)

if TYPE_CHECKING:
    from eduequity._typing import BoolArray, FloatArray
    from eduequity.national.rules import RuleEntry, RuleSet

MISMATCH_TOLERANCE: Final = Fraction(RATE_COUNT_TOLERANCE)
"""Largest gap between a given rate and its counts before a ``rate_count_mismatch`` note."""

_NUMBER_TYPES: Final = (int, float, np.integer, np.floating, Decimal, Fraction)

UNSET: Final = object()
"""Sentinel of :func:`build_item`: keep the value the checks give."""

_EXACT_OPERATORS: Final[dict[str, Callable[[Any, Any], bool]]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
}


# --------------------------------------------------------------------------------------------
# Missing values and display


def is_missing(value: object) -> bool:
    """Return whether a fact value means *missing*: ``None``, NaN, NA, ``NaT`` or blank text."""
    return _is_missing(value) or (isinstance(value, str) and not value.strip())


def show(value: object) -> str:
    """Return a number, flag or date as short display text (``0.95``, ``true``, ``2019-05-01``)."""
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, Fraction | Decimal):
        value = float(value)
    if isinstance(value, float | np.floating):
        number = float(value)
        return str(int(number)) if number.is_integer() else repr(number)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def provenance(entry: RuleEntry) -> str:
    """Return the rule's source and tag in one short line, e.g. ``"河北… — clause: … [V]"``.

    Examples
    --------
    >>> from eduequity.national.rules import RULES_2017
    >>> provenance(RULES_2017.entry("recognition.threshold"))  # doctest: +ELLIPSIS
    'Journal article restating 教督〔2017〕6号 (...) — clause: 社会认可度达到85%以上 [V]'
    """
    tag = entry.tag if entry.verified or entry.tag == "library" else f"{entry.tag}, unverified"
    if entry.source is None:
        return f"{entry.key} [{tag}]"
    source = entry.source
    text = source.title
    if source.number and source.number not in source.title:
        text += f" ({source.number})"
    if source.clause:
        text += f" — clause: {source.clause}"
    return f"{text} [{tag}]"


def decide(value: Fraction, entry: RuleEntry) -> bool:
    """Decide ``value <entry.comparator> entry.fraction`` exactly.

    Raises
    ------
    RuleSetError
        If the entry has no comparator (code ``missing_comparator``).
    """
    return _EXACT_OPERATORS[comparator_of(entry)](value, entry.fraction)


def comparator_of(entry: RuleEntry) -> str:
    """Return the entry's comparator, raising :class:`RuleSetError` if it has none."""
    if entry.comparator is None:
        msg = f"rule {entry.key!r} is a threshold but has no comparator"
        raise RuleSetError(msg, code="missing_comparator")
    return entry.comparator


def decide_array(
    values: FloatArray,
    limits: FloatArray,
    comparator: str,
    *,
    exact_limits: np.ndarray | None = None,
    exact_values: Callable[[np.ndarray], list[Fraction]] | None = None,
) -> BoolArray:
    """Decide ``values <comparator> limits`` element-wise, exactly; NaN never satisfies it."""
    if comparator == "==":
        at_least = compare(
            values, limits, ">=", exact_thresholds=exact_limits, exact_values=exact_values
        )
        at_most = compare(
            values, limits, "<=", exact_thresholds=exact_limits, exact_values=exact_values
        )
        return at_least & at_most
    if comparator not in {">=", ">", "<=", "<"}:
        msg = f"comparator {comparator!r} is not one of >=, >, <=, <, =="
        raise RuleSetError(msg, code="invalid_ruleset")
    return compare(
        values,
        limits,
        comparator,  # type: ignore[arg-type]
        exact_thresholds=exact_limits,
        exact_values=exact_values,
    )


# --------------------------------------------------------------------------------------------
# Reading facts


class ValidatedFacts(dict[str, object]):
    """One county's row of a county-facts table the reader validated (types, ranges, counts).

    :class:`FactReader` takes its values as they are; a plain mapping given by a caller is
    checked field by field instead.
    """


@attrs.frozen(kw_only=True)
class FactReader:
    """One county's facts, read field by field with type and range checks.

    Values are expected already parsed (docs: Input tables): numbers as ``float`` (or
    ``int``, ``Decimal``, ``Fraction``), flags as ``bool`` (``0``/``1`` accepted, as pandas
    gives for a boolean column with gaps), text as ``str``. ``None``, NaN and ``pd.NA`` are
    missing. A value of the wrong type or out of range raises an error naming the county and
    the field; it is never silently dropped.
    """

    facts: Mapping[str, object] = attrs.field(factory=dict)
    """The county's fields by canonical name."""
    strict: bool = False
    """Whether warnings marked *strict* (``evidence_missing``) become errors."""

    @property
    def county(self) -> str:
        """The county's name for messages (``"?"`` when the facts do not carry it)."""
        name = self.facts.get("county")
        return "?" if is_missing(name) else str(name)

    def where(self, name: str) -> str:
        """Return ``"county X, field name"`` for messages."""
        return f"county {self.county}, field {name}"

    def raw(self, name: str) -> object | None:
        """Return the value of ``name``, or ``None`` when it is absent or missing."""
        value = self.facts.get(name)
        return None if is_missing(value) else value

    def has(self, name: str) -> bool:
        """Return whether ``name`` holds a value."""
        return self.raw(name) is not None

    @property
    def validated(self) -> bool:
        """Whether the facts come from a validated table, so need no check here."""
        return isinstance(self.facts, ValidatedFacts)

    def flag(self, name: str) -> bool | None:
        """Return a yes/no field, or ``None`` when missing.

        Raises
        ------
        InvalidTypeError
            If the value is not a flag (code ``not_a_boolean``).
        """
        value = self.raw(name)
        if value is None:
            return None
        if isinstance(value, bool | np.bool_) or self.validated:
            return bool(value)
        if isinstance(value, _NUMBER_TYPES) and float(value) in {0.0, 1.0}:
            return bool(value)
        msg = f"{self.where(name)}: {value!r} is not a yes/no value; expected true or false"
        raise InvalidTypeError(msg, code="not_a_boolean")

    def number(self, name: str, *, kind: str = "decimal") -> Fraction | None:
        """Return a numeric field as an exact fraction, or ``None`` when missing.

        Parameters
        ----------
        name
            Field name.
        kind
            ``"decimal"`` (any real ≥ 0), ``"rate"`` (a fraction in [0, 1]), ``"count"`` (an
            integer ≥ 0) or ``"ratio"`` (any real ≥ 0).

        Raises
        ------
        InvalidTypeError
            If the value is not a real number (code ``not_a_number``).
        InvalidValueError
            If it is negative (``negative_value``), a rate above 1 (``rate_out_of_range``) or
            a fractional count (``non_integer_count``).
        """
        value = self.raw(name)
        if value is None:
            return None
        if self.validated and isinstance(value, float | np.floating):
            # the reader checked type, range and whole counts of every cell of the table
            return to_fraction(float(value))
        if isinstance(value, bool | np.bool_) or not isinstance(value, _NUMBER_TYPES):
            msg = f"{self.where(name)}: {value!r} is not a number"
            raise InvalidTypeError(msg, code="not_a_number")
        if isinstance(value, float | np.floating) and not math.isfinite(float(value)):
            msg = f"{self.where(name)}: {value!r} is not a finite number"
            raise InvalidValueError(msg, code="not_a_number")
        exact = to_fraction(value if isinstance(value, Fraction | Decimal) else _plain(value))
        if exact < 0:
            msg = f"{self.where(name)}: {show(value)} is negative; expected a value >= 0"
            raise InvalidValueError(msg, code="negative_value")
        if kind == "rate" and exact > 1:
            msg = (
                f"{self.where(name)}: rate {show(value)} is above 1; rates are fractions in "
                "[0, 1] (looks like a percentage?)"
            )
            raise InvalidValueError(msg, code="rate_out_of_range")
        if kind == "count" and exact.denominator != 1:
            msg = f"{self.where(name)}: count {show(value)} is not a whole number"
            raise InvalidValueError(msg, code="non_integer_count")
        return exact

    def year(self, name: str) -> int | None:
        """Return a four-digit year field, or ``None`` when missing."""
        value = self.number(name, kind="count")
        return None if value is None else int(value)

    def date(self, name: str) -> dt.date | None:
        """Return a date field (``date``, ``Timestamp`` or ISO text), or ``None`` when missing.

        Raises
        ------
        InvalidValueError
            If the value is not a date (code ``bad_date``).
        """
        value = self.raw(name)
        if value is None:
            return None
        return as_date(value, self.where(name))

    def text(self, name: str) -> str | None:
        """Return a text field stripped of surrounding space, or ``None`` when missing."""
        value = self.raw(name)
        return None if value is None else str(value).strip()

    def evidence(self, *names: str) -> str | None:
        """Return the first ``<name>_evidence`` text found among ``names``."""
        for name in names:
            text = self.text(f"{name}_evidence")
            if text:
                return text
        return None


def _plain(value: float | np.integer[Any] | np.floating[Any]) -> float | int:
    if isinstance(value, int | np.integer):
        return int(value)
    return float(value)


def as_date(value: object, where: str) -> dt.date:
    """Return ``value`` as a :class:`datetime.date` (``Timestamp``, ``datetime`` or ISO text)."""
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    msg = f"{where}: {value!r} is not a date; expected YYYY-MM-DD"
    raise InvalidValueError(msg, code="bad_date")


# --------------------------------------------------------------------------------------------
# Checks and items


@attrs.frozen(kw_only=True)
class Check:
    """One decided condition of an item: a declared flag, a rate against a limit, a rule."""

    status: Status
    """``pass``, ``fail``, ``incomplete`` or ``not_applicable``."""
    value: Any = None
    """Observed value (a number, a flag or a mapping)."""
    limit: Any = None
    """The limit compared with."""
    comparator: str | None = None
    """How value and limit were compared."""
    evidence: str | None = None
    """Evidence text found for the fields read."""
    reasons: tuple[str, ...] = ()
    """Why the check failed or is incomplete."""
    failures: tuple[Failure, ...] = ()
    """Failures found (per school, per subject, ...); the item adds one if none is given."""
    notes: tuple[str, ...] = ()
    """Remarks for the report (counts used, overrides, mismatches)."""
    input_source: str | None = None
    """Where the value came from: ``facts``, ``schools``, ``monitoring``, ``override``, ..."""
    source: str | None = None
    """Provenance of the rule applied."""
    rule_key: str | None = None
    """Rule-set key of the limit."""
    school_limits: tuple[SchoolLimit, ...] = ()
    """Schools checked against an overlay's conditional value (see :func:`conditional_limits`)."""


@attrs.frozen(kw_only=True)
class ItemContext:
    """What a check needs to know about the item it belongs to."""

    part: str
    """Part id, e.g. ``"government_guarantee"``."""
    section: str
    """Rule-set prefix of the part, e.g. ``"guarantee"``."""
    item_id: str
    """Item id, e.g. ``"teacher_rotation"``."""
    rules: RuleSet
    """The rule set."""
    reader: FactReader
    """The county's facts."""

    def key(self, suffix: str) -> str:
        """Return the rule key ``<section>.<item_id>.<suffix>``."""
        return f"{self.section}.{self.item_id}.{suffix}"

    def optional_text(self, suffix: str) -> str | None:
        """Return the text of rule ``<section>.<item_id>.<suffix>`` or ``None`` if absent."""
        key = self.key(suffix)
        if key not in self.rules:
            return None
        return str(self.rules.value(key))

    @property
    def code(self) -> str | None:
        """Display code of the item (``"G3"``), if the rule set gives one."""
        return self.optional_text("code")

    @property
    def title_zh(self) -> str | None:
        """Chinese key phrase of the item, if the rule set gives one."""
        return self.optional_text("title_zh")

    @property
    def kind(self) -> str | None:
        """``"quantitative"``, ``"declared"`` or a combination, if the rule set gives one."""
        return self.optional_text("kind")

    def item_source(self) -> str | None:
        """Return the provenance of the item's title entry (its list entry otherwise)."""
        for suffix in ("title_zh", "code"):
            key = self.key(suffix)
            if key in self.rules:
                return provenance(self.rules.entry(key))
        return None

    def failure(self, message: str, **fields: Any) -> Failure:  # noqa: ANN401 - Failure fields
        """Return a :class:`Failure` of this item with ``fields`` (school_id, value, ...)."""
        return Failure(
            part=self.part, item_id=self.item_id, code=self.code, message=message, **fields
        )

    def label(self) -> str:
        """Return ``"G3 music_art_rooms"`` (code and id) for messages."""
        return f"{self.code} {self.item_id}" if self.code else self.item_id


def _unique(texts: Sequence[str | None]) -> list[str]:
    seen: list[str] = []
    for text in texts:
        if text and text not in seen:
            seen.append(text)
    return seen


def build_item(
    ctx: ItemContext,
    checks: Sequence[tuple[str | None, Check]],
    *,
    value: Any = UNSET,  # noqa: ANN401 - any reported value
    limit: Any = UNSET,  # noqa: ANN401 - any reported limit
    comparator: Any = UNSET,  # noqa: ANN401 - a comparator text, None or UNSET
) -> tuple[ItemOutcome, tuple[Failure, ...], tuple[str, ...]]:
    """Combine the checks of one item into its outcome, failures and notes.

    A single unlabelled check gives the item its value, limit and comparator; several checks
    give mappings ``{label: value}`` and ``{label: limit}`` (the comparator is kept when all
    agree). ``fail`` wins over ``incomplete``. A failing item always carries at least
    one :class:`Failure`.
    """
    statuses = [check.status for _, check in checks]
    counted = [status for status in statuses if status != "not_applicable"]
    status: Status = combine_statuses(statuses) if counted else "not_applicable"
    if len(checks) == 1 and checks[0][0] is None:
        only = checks[0][1]
        item_value, item_limit, item_comparator = only.value, only.limit, only.comparator
    else:
        item_value = {label: check.value for label, check in checks}
        item_limit = {label: check.limit for label, check in checks}
        comparators = {check.comparator for _, check in checks}
        item_comparator = comparators.pop() if len(comparators) == 1 else None
    if value is not UNSET:
        item_value = value
    if limit is not UNSET:
        item_limit = limit
    if comparator is not UNSET:
        item_comparator = comparator
    sources = _unique([check.source for _, check in checks]) or _unique([ctx.item_source()])
    inputs = _unique([check.input_source for _, check in checks])
    reasons = tuple(reason for _, check in checks for reason in check.reasons)
    failures = tuple(failure for _, check in checks for failure in check.failures)
    notes = tuple(_unique([note for _, check in checks for note in check.notes]))
    source = "; ".join(sources) or None
    if status == "fail" and not failures:
        failures = (
            ctx.failure(
                "; ".join(reasons) or f"{ctx.label()} is not met",
                value=item_value,
                limit=item_limit,
                comparator=item_comparator,
                source=source,
            ),
        )
    outcome = ItemOutcome(
        part=ctx.part,
        item_id=ctx.item_id,
        status=status,
        code=ctx.code,
        title_zh=ctx.title_zh,
        kind=ctx.kind,
        value=item_value,
        limit=item_limit,
        comparator=item_comparator,
        evidence="; ".join(_unique([check.evidence for _, check in checks])) or None,
        source=source,
        reasons=reasons if status != "pass" else (),
        input_source="+".join(inputs) or None,
        school_limits=tuple(limit for _, check in checks for limit in check.school_limits),
    )
    return outcome, failures, notes


def not_assessed_items(
    part: str, section: str, item_ids: Sequence[str], rules: RuleSet, reason: str
) -> tuple[ItemOutcome, ...]:
    """Return every item of a part as ``not_assessed`` (the part had no data at all)."""
    reader = FactReader()
    outcomes: list[ItemOutcome] = []
    for item_id in item_ids:
        ctx = ItemContext(part=part, section=section, item_id=item_id, rules=rules, reader=reader)
        outcomes.append(
            ItemOutcome(
                part=part,
                item_id=item_id,
                status="not_assessed",
                code=ctx.code,
                title_zh=ctx.title_zh,
                kind=ctx.kind,
                source=ctx.item_source(),
                reasons=(reason,),
            )
        )
    return tuple(outcomes)


# --------------------------------------------------------------------------------------------
# Common check shapes


def missing_check(reason: str, **fields: Any) -> Check:  # noqa: ANN401 - Check fields
    """Return an ``incomplete`` check with one reason."""
    return Check(status="incomplete", reasons=(reason,), **fields)


def declared_check(
    ctx: ItemContext, field: str, *, label: str | None = None, require_evidence: bool = True
) -> Check:
    """Return the check of a declared yes/no field.

    ``true`` passes, ``false`` fails, missing is ``incomplete``. A ``true`` without
    evidence (``<field>_evidence``, or the item's ``<item_id>_evidence``) passes with the note
    ``evidence_missing`` and a :class:`~eduequity.errors.DataQualityWarning`; under
    ``strict`` it raises. Flags that stand for a computed result (``music_art_rooms``,
    ``academic_monitoring``, ...) pass ``require_evidence=False``: they are not declared items
    of the docs page Input tables.

    Raises
    ------
    InvalidValueError
        Under ``strict`` when a declared ``true`` has no evidence (code ``evidence_missing``).
    """
    reader = ctx.reader
    flag = reader.flag(field)
    evidence = reader.evidence(field, ctx.item_id)
    source = ctx.item_source()
    name = label or field
    if flag is None:
        return missing_check(
            f"{name}: declared field {field} is missing",
            input_source="facts",
            source=source,
            limit=True,
            comparator="==",
        )
    notes: tuple[str, ...] = ()
    if flag and evidence is None and require_evidence:
        message = (
            f"evidence_missing: {reader.where(field)} is declared true without evidence "
            f"({field}_evidence: document number, date or link)"
        )
        if reader.strict:
            raise InvalidValueError(message, code="evidence_missing")
        warnings.warn(message, DataQualityWarning, stacklevel=4)
        notes = (f"{ctx.label()}: {message}",)
    return Check(
        status="pass" if flag else "fail",
        value=flag,
        limit=True,
        comparator="==",
        evidence=evidence,
        reasons=() if flag else (f"{name}: declared false",),
        notes=notes,
        input_source="facts",
        source=source,
    )


def threshold_check(
    ctx: ItemContext,
    value: Fraction | None,
    rule_key: str,
    *,
    name: str,
    missing_reason: str,
    input_source: str = "facts",
    evidence: str | None = None,
    notes: tuple[str, ...] = (),
    stage: str | None = None,
) -> Check:
    """Return the check ``value <comparator> limit`` of rule ``rule_key``, decided exactly."""
    entry = ctx.rules.entry(rule_key)
    source = provenance(entry)
    comparator = comparator_of(entry)
    limit = float(entry.fraction)
    if value is None:
        return missing_check(
            missing_reason,
            limit=limit,
            comparator=comparator,
            input_source=input_source,
            source=source,
            rule_key=rule_key,
            evidence=evidence,
            notes=notes,
        )
    met = decide(value, entry)
    shown = float(value)
    reasons: tuple[str, ...] = ()
    failures: tuple[Failure, ...] = ()
    if not met:
        reason = f"{name} = {show(value)} does not satisfy {comparator} {show(entry.fraction)}"
        reasons = (reason,)
        failures = (
            ctx.failure(
                f"county {ctx.reader.county}: {reason}",
                stage=stage,
                value=shown,
                limit=limit,
                comparator=comparator,
                source=source,
                rule_key=rule_key,
            ),
        )
    return Check(
        status="pass" if met else "fail",
        value=shown,
        limit=limit,
        comparator=comparator,
        evidence=evidence,
        reasons=reasons,
        failures=failures,
        notes=notes,
        input_source=input_source,
        source=source,
        rule_key=rule_key,
    )


@attrs.frozen(kw_only=True)
class Ratio:
    """A rate read from the facts: given directly or as counts (§2.1, counts win)."""

    value: Fraction | None
    """The rate (exact), or ``None`` when it cannot be formed."""
    input_source: str
    """``"facts"`` (the rate field) or ``"facts (counts)"``."""
    reasons: tuple[str, ...] = ()
    """Why the rate is missing."""
    notes: tuple[str, ...] = ()
    """How the rate was formed; mismatches between the rate and its counts."""


def read_ratio(
    reader: FactReader,
    field: str,
    numerator: str,
    denominator: str,
    *,
    kind: str = "rate",
    count_kind: str = "count",
    above_one: str = "error",
) -> Ratio:
    """Read ``field`` or ``numerator / denominator``; the counts win when both are present.

    Parameters
    ----------
    reader
        The county's facts.
    field
        The rate (or ratio) field.
    numerator, denominator
        The count (or amount) fields the rate is formed from.
    kind
        How ``field`` is checked (``"rate"`` in [0, 1], or ``"ratio"`` ≥ 0).
    count_kind
        How the counts are checked (``"count"``: integers; ``"decimal"``: amounts).
    above_one
        What a numerator above its denominator means: ``"error"`` (``count_inconsistent``,
        the default), ``"allow"`` (a ratio such as pay parity may exceed 1) or the code of a
        :class:`~eduequity.errors.DataQualityWarning` to emit (``"retention_above_one"``).

    Raises
    ------
    InvalidValueError
        ``count_inconsistent`` when the numerator exceeds the denominator under
        ``above_one="error"``, and the range errors of :meth:`FactReader.number`.
    """
    given = reader.number(field, kind=kind)
    top = reader.number(numerator, kind=count_kind)
    bottom = reader.number(denominator, kind=count_kind)
    if top is None or bottom is None:
        if given is not None:
            return Ratio(value=given, input_source="facts")
        absent = [
            name for name, value in ((numerator, top), (denominator, bottom)) if value is None
        ]
        reason = f"{field} is missing (and so is {' and '.join(absent)} to compute it)"
        return Ratio(value=None, input_source="facts", reasons=(reason,))
    if bottom == 0:
        reason = f"{denominator} is 0, so {numerator} / {denominator} is undefined" + (
            "" if given is None else f"; the given {field} is not used without valid counts"
        )
        return Ratio(value=None, input_source="facts (counts)", reasons=(reason,))
    notes: list[str] = []
    if top > bottom and above_one != "allow":
        message = f"{reader.where(numerator)}: {show(top)} exceeds {denominator} = {show(bottom)}"
        if above_one == "error":
            raise InvalidValueError(message, code="count_inconsistent")
        warnings.warn(f"{above_one}: {message}", DataQualityWarning, stacklevel=4)
        notes.append(f"{above_one}: {message}")
    rate = top / bottom
    notes.append(f"{field} computed from counts: {show(top)} / {show(bottom)} = {float(rate):.6g}")
    if given is not None and abs(given - rate) > MISMATCH_TOLERANCE:
        notes.append(
            f"rate_count_mismatch: {reader.where(field)} = {show(given)} differs from the "
            f"counts {numerator} / {denominator} = {float(rate):.6g} by more than "
            f"{show(MISMATCH_TOLERANCE)}; the counts are used"
        )
    return Ratio(value=rate, input_source="facts (counts)", notes=tuple(notes))


def ratio_check(
    ctx: ItemContext,
    field: str,
    numerator: str,
    denominator: str,
    rule_key: str,
    *,
    above_one: str = "error",
    kind: str = "rate",
    count_kind: str = "count",
    name: str | None = None,
) -> Check:
    """Return the check of a rate given directly or as counts against rule ``rule_key``."""
    ratio = read_ratio(
        ctx.reader,
        field,
        numerator,
        denominator,
        kind=kind,
        count_kind=count_kind,
        above_one=above_one,
    )
    return threshold_check(
        ctx,
        ratio.value,
        rule_key,
        name=name or field,
        missing_reason="; ".join(ratio.reasons),
        input_source=ratio.input_source,
        evidence=ctx.reader.evidence(field, numerator, denominator),
        notes=tuple(f"{ctx.label()}: {note}" for note in ratio.notes),
    )


# --------------------------------------------------------------------------------------------
# School tables


def status_of(failing: bool, unknown: bool) -> Status:
    """Return ``fail`` over ``incomplete`` over ``pass``."""
    if failing:
        return "fail"
    return "incomplete" if unknown else "pass"


def by_mask(mask: BoolArray, when_true: str, when_false: str | None) -> np.ndarray:
    """Return an object array holding ``when_true`` where ``mask`` holds, else ``when_false``."""
    result = np.full(mask.shape, when_false, dtype=object)
    result[mask] = when_true
    return result


def school_ids(schools: pd.DataFrame) -> np.ndarray:
    """Return the ``school_id`` of every row as text (the row label when there is none)."""
    if "school_id" in schools.columns:
        return schools["school_id"].astype(str).to_numpy()
    return np.asarray([str(label) for label in schools.index], dtype=object)


def float_column(schools: pd.DataFrame, column: str) -> FloatArray:
    """Return a numeric school column as float64, missing cells as NaN.

    Raises
    ------
    InvalidTypeError
        If a cell is not a number (code ``not_a_number``; names the column and the schools).
    """
    series = schools[column]
    numbers = pd.to_numeric(series, errors="coerce")
    bad = (numbers.isna() & series.notna()).to_numpy(dtype=np.bool_)
    if bad.any():
        shown = ", ".join(school_ids(schools)[bad][:5])
        msg = f"school column {column} must hold numbers; schools {shown} do not"
        raise InvalidTypeError(msg, code="not_a_number")
    return numbers.to_numpy(dtype=np.float64, na_value=np.nan)


def per_school_limits(
    rules: RuleSet, key: str, schools: pd.DataFrame
) -> tuple[FloatArray, np.ndarray, tuple[str, ...]]:
    """Return a rule's value for every school (overlay alternatives applied) and notes.

    An alternative whose predicate reads a column the table lacks does not apply (like a
    missing cell, ``Condition.mask``): the rule's own value stands, and a note says so.
    """
    frame, notes = _predicate_frame(rules, key, schools)
    return (
        rules.per_school_numbers(key, frame),
        rules.per_school_fractions(key, frame),
        notes,
    )


def _predicate_frame(
    rules: RuleSet, key: str, schools: pd.DataFrame
) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Return ``schools`` with the columns the alternatives of ``key`` read (blank if absent)."""
    missing = sorted(
        {
            column
            for rule in rules.conditionals_for(key)
            for column in rule.predicate.columns
            if column not in schools.columns
        }
    )
    if not missing:
        return schools, ()
    note = (
        f"{key}: the overlay alternative needs school column(s) {', '.join(missing)}, "
        "which the table lacks; the rule set's own value applies"
    )
    return schools.assign(**dict.fromkeys(missing, np.nan)), (note,)


def conditional_limits(
    rules: RuleSet,
    key: str,
    schools: pd.DataFrame,
    *,
    values: FloatArray,
    scope: BoolArray | None = None,
) -> tuple[SchoolLimit, ...]:
    """Return the schools (in ``scope``) whose limit of ``key`` is an overlay's conditional value.

    The alternative added last wins where several hold, as in
    :meth:`~eduequity.national.rules.RuleSet.per_school_numbers`; ``values`` are the schools'
    values compared with the limit.
    """
    alternatives = rules.conditionals_for(key)
    if not alternatives:
        return ()
    frame, _ = _predicate_frame(rules, key, schools)
    applied = np.full(len(schools), -1, dtype=np.int64)
    # A loop over the overlay's alternatives of one rule (a handful), vectorised over schools.
    for index, rule in enumerate(alternatives):
        applied[rule.mask(frame)] = index
    if scope is not None:
        applied[~scope] = -1
    entry = rules.entry(key)
    ids = school_ids(schools)
    return tuple(
        SchoolLimit(
            school_id=str(ids[i]),
            rule_key=key,
            limit=float(Decimal(cast("int | str", alternatives[applied[i]].value))),
            default=rules.number(key),
            value=None if np.isnan(values[i]) else float(values[i]),
            comparator=comparator_of(entry),
            condition=str(alternatives[applied[i]].predicate),
            overlay=alternatives[applied[i]].overlay,
        )
        for i in np.flatnonzero(applied >= 0)
    )


def school_type(schools: pd.DataFrame) -> np.ndarray:
    """Return the ``school_type`` column as text (``""`` where missing)."""
    return (
        schools["school_type"]
        .astype("object")
        .where(schools["school_type"].notna(), "")
        .astype(str)
        .to_numpy()
    )


def list_schools(ids: np.ndarray, mask: BoolArray, limit: int = 5) -> str:
    """Return ``"a, b, c and 4 more"`` for the flagged schools."""
    chosen = ids[mask]
    shown = ", ".join(str(item) for item in chosen[:limit])
    more = f" and {chosen.size - limit} more" if chosen.size > limit else ""
    return shown + more


# --------------------------------------------------------------------------------------------
# Parts

Evaluator = Callable[[ItemContext], tuple[list[tuple[str | None, Check]], dict[str, Any]]]
"""Evaluates one item: returns its labelled checks and :func:`build_item` overrides."""


def run_part(
    part: str,
    section: str,
    item_ids: Sequence[str],
    rules: RuleSet,
    *,
    reader: FactReader,
    evaluators: Mapping[str, Evaluator],
    notes: Sequence[str] = (),
) -> PartResult:
    """Evaluate every item of a part in rule-set order and return the part result.

    Items without an evaluator (added by an overlay) are read as declared fields of their id
    (:func:`declared_item`). The part's status combines the items' (``fail`` over
    ``incomplete``).
    """
    outcomes: list[ItemOutcome] = []
    failures: list[Failure] = []
    part_notes: list[str] = list(notes)
    for item_id in item_ids:
        ctx = ItemContext(part=part, section=section, item_id=item_id, rules=rules, reader=reader)
        checks, summary = evaluators.get(item_id, declared_item)(ctx)
        outcome, item_failures, item_notes = build_item(ctx, checks, **summary)
        outcomes.append(outcome)
        failures.extend(item_failures)
        part_notes.extend(item_notes)
    return PartResult(
        part=part,
        status=combine_statuses([outcome.status for outcome in outcomes]),
        items=tuple(outcomes),
        failures=tuple(failures),
        notes=tuple(_unique(part_notes)),
    )


def not_assessed_part(
    part: str, section: str, item_ids: Sequence[str], rules: RuleSet, reason: str
) -> PartResult:
    """Return a part with no data at all: every item ``not_assessed``, never passed."""
    return PartResult(
        part=part,
        status="not_assessed",
        items=not_assessed_items(part, section, item_ids, rules, reason),
        notes=(reason,),
    )


def declared_item(ctx: ItemContext) -> tuple[list[tuple[str | None, Check]], dict[str, Any]]:
    """Evaluate an item as the declared field of its id (items an overlay adds).

    Raises
    ------
    RuleSetError
        If the rule set gives the item a kind other than ``declared`` (code
        ``unknown_item``): eduequity cannot compute it.
    """
    kind = ctx.kind
    if kind not in {None, "declared"}:
        msg = (
            f"rule set {ctx.rules.id!r} lists {ctx.section} item {ctx.item_id!r} of kind "
            f"{kind!r}, which eduequity cannot compute; declare it (kind 'declared') or "
            "remove it with an overlay"
        )
        raise RuleSetError(msg, code="unknown_item")
    return [(None, declared_check(ctx, ctx.item_id))], {}
