"""Versioned rule sets of the national method, with provenance and provincial overlays.

Every number, comparator and switch the national assessment uses is data in a **rule set**
(规则集), never a literal in code (docs: The national method, Rule sets, provenance and overlays).
Two base sets ship as package data, read once with :mod:`importlib.resources`:

- :data:`RULES_2017`, id ``cn_moe_2017_quality_balance``: the quality-balance method
  (优质均衡, 教督〔2017〕6号);
- :data:`RULES_2012`, id ``cn_moe_2012_basic_balance``: the basic-balance method
  (基本均衡, 教督〔2012〕3号).

Each :class:`RuleEntry` carries its value, unit, comparator, stage, confidence tag
(``"V"`` verified, ``"S"`` secondary, ``"M"`` recalled, ``"library"`` a library convention),
its :class:`Source` and a ``verified`` flag, so every pass/fail can be traced to the clause it
applies. Decimal numbers are kept as text (``"4.2"``, ``"0.85"``) and read exactly through
:attr:`RuleEntry.decimal` and :attr:`RuleEntry.fraction`.

An :class:`Overlay` (a provincial or city configuration, 地方实施细则) derives a new rule set
from its parent with ``set`` / ``add`` / ``remove`` / ``conditional`` operations;
:meth:`RuleSet.with_overlay` records every change it made. The shipped overlays are
:data:`OVERLAYS` ``hebei`` and ``anhui`` (identity overlays with their own provenance),
``beijing`` (backbone teachers counted from district level) and the example ``shenyang``
(secondary, [S]).

Every result embeds :meth:`RuleSet.identity`: the id, the version, the overlay chain and a
content hash.

Examples
--------
>>> from eduequity.national.rules import RULES_2017, get_rules
>>> entry = RULES_2017["resource.standard.junior.sports_area_per_student"]
>>> entry.value, entry.unit, entry.comparator, entry.tag, entry.verified
('10.2', 'm² per pupil', '>=', 'S', False)
>>> RULES_2017.fraction("resource.floor_ratio") * entry.fraction
Fraction(867, 100)
>>> shenyang = get_rules(2017, overlay="shenyang")
>>> shenyang.number("guarantee.special_ed_funding.min_yuan")
8000.0
>>> shenyang.identity()["overlays"]
['shenyang']
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from fractions import Fraction
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, Literal, TypeAlias, cast

import attrs
import numpy as np
import pandas as pd

from eduequity._exact import compare
from eduequity._serialize import Record, attrs_to_dict, to_jsonable
from eduequity._validation import positions
from eduequity._vocabulary import section_title, vocabulary
from eduequity.errors import InvalidArgumentError, InvalidTypeError, RuleSetError

if TYPE_CHECKING:
    from os import PathLike

    from eduequity._typing import BoolArray, FloatArray, JSONValue

__all__ = [
    "OVERLAYS",
    "RULES_2012",
    "RULES_2017",
    "Condition",
    "ConditionalRule",
    "Document",
    "Overlay",
    "Predicate",
    "RuleChange",
    "RuleEntry",
    "RuleOperation",
    "RuleSet",
    "Source",
    "get_rules",
    "list_overlays",
    "list_rulesets",
    "load_overlay",
    "load_ruleset",
]

RuleValue: TypeAlias = bool | int | str | tuple[str, ...]
"""The value of a rule: a flag, an integer, text (decimal numbers as text) or a tuple of ids."""

Tag: TypeAlias = Literal["V", "S", "M", "library"]
"""Confidence tag of a rule, or ``"library"`` for a library convention."""

RuleComparator: TypeAlias = Literal[">=", "<=", "<", ">", "=="]
"""How a value is compared with the rule's threshold."""

ConditionOperator: TypeAlias = Literal[">=", "<=", "<", ">", "==", "!="]
"""Operator of a :class:`Condition` on a school column."""

Operation: TypeAlias = Literal["set", "add", "remove", "conditional"]
"""Kind of a :class:`RuleOperation`."""

TAGS: Final[tuple[str, ...]] = ("V", "S", "M", "library")
COMPARATORS: Final[tuple[str, ...]] = (">=", "<=", "<", ">", "==")
CONDITION_OPERATORS: Final[tuple[str, ...]] = (">=", "<=", "<", ">", "==", "!=")
OPERATIONS: Final[tuple[str, ...]] = ("set", "add", "remove", "conditional")
STAGES: Final[tuple[str, ...]] = vocabulary("stages").codes
SCHEMA_VERSION: Final = 1

_PACKAGE: Final = "eduequity.national._rulesets"
_OVERLAY_PREFIX: Final = "overlay_"
_KEY: Final = re.compile(r"[a-z0-9_]+(?:\.[a-z0-9_]+)*")
_OVERLAY_ID: Final = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")
_NUMERIC_TEXT: Final = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")
_ORDERING: Final = frozenset({">=", "<=", "<", ">"})


# --------------------------------------------------------------------------------------------
# Values


def _is_numeric(value: object) -> bool:
    """Return whether ``value`` is a number of a rule: an int (not a bool) or decimal text."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, str) and _NUMERIC_TEXT.fullmatch(value) is not None


def _kind(value: object) -> str:
    """Return the kind of a rule value: ``"flag"``, ``"number"``, ``"ids"`` or ``"text"``."""
    if isinstance(value, bool):
        return "flag"
    if _is_numeric(value):
        return "number"
    if isinstance(value, tuple):
        return "ids"
    return "text"


def _normalize_value(value: object, where: str) -> RuleValue:
    """Return ``value`` as a rule value: lists become tuples, floats their shortest decimal text.

    Raises
    ------
    RuleSetError
        If the value is not a bool, int, finite float, str or a list of str.
    """
    if isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            msg = f"{where}: value {value!r} is not a finite number"
            raise RuleSetError(msg, code="invalid_ruleset")
        # A float is read as the shortest decimal that round-trips, i.e. the number as typed.
        return repr(value)
    if isinstance(value, list | tuple):
        if not all(isinstance(item, str) for item in value):
            msg = f"{where}: a list value must hold only id strings; got {list(value)!r}"
            raise RuleSetError(msg, code="invalid_ruleset")
        return tuple(value)
    msg = (
        f"{where}: value {value!r} of type {type(value).__name__} is not a rule value "
        "(expected a bool, an int, decimal text such as '4.2', text or a list of ids)"
    )
    raise RuleSetError(msg, code="invalid_ruleset")


def _render_value(value: RuleValue) -> str:
    """Return a rule value as display text (``true``, ``4.2``, ``(a, b)``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return "(" + ", ".join(value) + ")"
    return str(value)


def _jsonable_value(value: RuleValue) -> JSONValue:
    return list(value) if isinstance(value, tuple) else value


def _default_verified(tag: str) -> bool:
    return tag in {"V", "library"}


def _strings(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(items)


def _operations(items: Iterable[RuleOperation]) -> tuple[RuleOperation, ...]:
    return tuple(items)


def _changes(items: Iterable[RuleChange]) -> tuple[RuleChange, ...]:
    return tuple(items)


def _conditionals(items: Iterable[ConditionalRule]) -> tuple[ConditionalRule, ...]:
    return tuple(items)


def _overlays(items: Iterable[Overlay]) -> tuple[Overlay, ...]:
    return tuple(items)


# --------------------------------------------------------------------------------------------
# Provenance


@attrs.frozen(kw_only=True)
class Source(Record):
    """Where a rule is stated: a document, its number, its address and the clause.

    Examples
    --------
    >>> Source(title="河北省县域义务教育优质均衡发展督导评估具体办法",
    ...        url="https://m.zixin.com.cn/doc/2278587.html").render()
    '河北省县域义务教育优质均衡发展督导评估具体办法 — https://m.zixin.com.cn/doc/2278587.html'
    """

    title: str
    """Title of the document (Chinese title where there is one)."""
    number: str | None = None
    """Document number (文号), e.g. ``"教督〔2017〕6号"``."""
    url: str | None = None
    """Address where the text was read."""
    clause: str | None = None
    """The clause, table or wording (原文) within the document that states the rule."""

    def render(self) -> str:
        """Return the source as one line: title, number, address and clause."""
        parts = [self.title]
        if self.number and self.number not in self.title:
            parts[0] += f" ({self.number})"
        if self.url:
            parts.append(self.url)
        if self.clause:
            parts.append(f"clause: {self.clause}")
        return " — ".join(parts)


@attrs.frozen(kw_only=True)
class Document(Record):
    """The official document a base rule set encodes."""

    number: str | None = None
    """Document number (文号), e.g. ``"教督〔2017〕6号"``."""
    date: dt.date | None = None
    """Issue date, ``None`` while it is not confirmed."""
    url: str | None = None
    """Address of the official text."""


# --------------------------------------------------------------------------------------------
# Entries


@attrs.frozen(kw_only=True)
class RuleEntry(Record):
    """One rule of a rule set: a value with its unit, comparator, stage and provenance.

    Decimal numbers are kept as text so that a threshold is exactly the number the document
    prints; read them with :attr:`decimal`, :attr:`fraction` or :attr:`number`.

    Raises
    ------
    RuleSetError
        If the key, value, tag, comparator or stage is malformed (the message names the key).

    Examples
    --------
    >>> entry = RuleEntry(key="resource.floor_ratio", value="0.85", comparator=">=", tag="V")
    >>> entry.decimal, entry.fraction, entry.number
    (Decimal('0.85'), Fraction(17, 20), 0.85)
    >>> entry.verified
    True
    """

    key: str
    """Dotted key, e.g. ``"resource.standard.junior.sports_area_per_student"``."""
    value: RuleValue
    """The value: decimal text (``"4.2"``), an int, a bool, plain text or a tuple of ids."""
    unit: str | None = None
    """Unit of the value, e.g. ``"m² per pupil"``, ``"yuan per pupil"``, ``"fraction"``."""
    comparator: RuleComparator | None = None
    """How a county or school value is compared with this threshold (``">="`` means at least)."""
    stage: str | None = None
    """Stage the rule applies to (``"primary"``, ``"junior"``, ``"senior"``), if any."""
    tag: Tag
    """Confidence: ``"V"`` verified, ``"S"`` secondary, ``"M"`` recalled, ``"library"``."""
    source: Source | None = None
    """Where the rule is stated."""
    verified: bool = attrs.field(
        default=attrs.Factory(lambda self: _default_verified(self.tag), takes_self=True)
    )
    """``False`` for [M] and [S] rules and for rules whose official wording is still to be
    confirmed (docs: The national method, Rule sets, provenance and overlays); defaults to
    ``True`` for [V] and library rules."""
    note: str = ""
    """Explanation, with the section of the specification that states the rule."""

    def __attrs_post_init__(self) -> None:
        where = f"rule {self.key!r}"
        if not isinstance(self.key, str) or _KEY.fullmatch(self.key) is None:
            msg = (
                f"rule key {self.key!r} is malformed: expected dotted lower-case words such as "
                "'resource.standard.primary.qualified_teachers_per_100'"
            )
            raise RuleSetError(msg, code="invalid_ruleset")
        object.__setattr__(self, "value", _normalize_value(self.value, where))
        if self.tag not in TAGS:
            msg = f"{where}: tag {self.tag!r} is not one of {', '.join(TAGS)}"
            raise RuleSetError(msg, code="invalid_ruleset")
        if self.comparator is not None and self.comparator not in COMPARATORS:
            msg = f"{where}: comparator {self.comparator!r} is not one of {', '.join(COMPARATORS)}"
            raise RuleSetError(msg, code="invalid_ruleset")
        if self.stage is not None and self.stage not in STAGES:
            msg = f"{where}: stage {self.stage!r} is not one of {', '.join(STAGES)}"
            raise RuleSetError(msg, code="invalid_ruleset")
        if (self.comparator is not None or self.unit is not None) and not _is_numeric(self.value):
            msg = (
                f"{where}: a rule with a unit or a comparator needs a number (an int or decimal "
                f"text such as '4.2'); got {self.value!r}"
            )
            raise RuleSetError(msg, code="invalid_ruleset")
        if not isinstance(cast("object", self.verified), bool):
            msg = f"{where}: verified must be true or false; got {self.verified!r}"
            raise RuleSetError(msg, code="invalid_ruleset")
        if self.tag == "M" and self.verified:
            msg = f"{where}: a rule tagged [M] (recalled, not confirmed) cannot be verified"
            raise RuleSetError(msg, code="invalid_ruleset")

    @property
    def is_numeric(self) -> bool:
        """Whether the value is a number (an int or decimal text)."""
        return _is_numeric(self.value)

    @property
    def decimal(self) -> Decimal:
        """The value as an exact :class:`~decimal.Decimal`.

        Raises
        ------
        RuleSetError
            If the value is not numeric (code ``rule_not_numeric``).
        """
        if not _is_numeric(self.value):
            msg = f"rule {self.key!r} is not numeric: its value is {self.value!r}"
            raise RuleSetError(msg, code="rule_not_numeric")
        return Decimal(cast("int | str", self.value))

    @property
    def fraction(self) -> Fraction:
        """The value as an exact :class:`~fractions.Fraction` (for exact threshold decisions)."""
        return Fraction(self.decimal)

    @property
    def number(self) -> float:
        """The value as a float (nearest binary number)."""
        return float(self.decimal)

    @property
    def integer(self) -> int:
        """The value as an int.

        Raises
        ------
        RuleSetError
            If the value is not a whole number.
        """
        value = self.decimal
        if value != value.to_integral_value():
            msg = f"rule {self.key!r} is not a whole number: its value is {self.value!r}"
            raise RuleSetError(msg, code="rule_not_numeric")
        return int(value)

    def render_value(self) -> str:
        """Return the value as display text (``true``, ``4.2``, ``(a, b)``)."""
        return _render_value(self.value)


class _EntryMap(Mapping[str, RuleEntry]):
    """Immutable, hashable mapping key → :class:`RuleEntry` in definition order (private)."""

    __slots__ = ("_data", "_hash")

    def __init__(self, entries: Mapping[str, RuleEntry] | Iterable[RuleEntry]) -> None:
        data: dict[str, RuleEntry] = {}
        if isinstance(entries, Mapping):
            for key, entry in entries.items():
                if not isinstance(entry, RuleEntry) or entry.key != key:
                    msg = f"entries[{key!r}] must be a RuleEntry with key {key!r}; got {entry!r}"
                    raise RuleSetError(msg, code="invalid_ruleset")
                data[key] = entry
        else:
            for entry in entries:
                if not isinstance(cast("object", entry), RuleEntry):
                    msg = f"entries must be RuleEntry objects; got {entry!r}"
                    raise RuleSetError(msg, code="invalid_ruleset")
                if entry.key in data:
                    msg = f"rule {entry.key!r} is defined twice"
                    raise RuleSetError(msg, code="invalid_ruleset")
                data[entry.key] = entry
        self._data = data
        self._hash = hash(tuple(data.items()))

    def __getitem__(self, key: str) -> RuleEntry:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return dict(self.items()) == dict(other.items())
        return NotImplemented

    def __repr__(self) -> str:
        return f"<{len(self._data)} rule entries>"


def _freeze_entries(entries: Mapping[str, RuleEntry] | Iterable[RuleEntry]) -> _EntryMap:
    return entries if isinstance(entries, _EntryMap) else _EntryMap(entries)


# --------------------------------------------------------------------------------------------
# Conditions on school columns


def _condition_value(value: object) -> bool | int | str:
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return repr(value)
    msg = f"a condition value must be a number, decimal text, text or a bool; got {value!r}"
    raise RuleSetError(msg, code="invalid_overlay")


@attrs.frozen(kw_only=True)
class Condition:
    """One test ``column operator value`` on a school column, e.g. ``built_year <= 2016``.

    Numeric tests are decided exactly (a float cell is read as its shortest decimal). A missing
    cell (NaN, ``None``) never satisfies a condition, so the rule set's own value applies.

    Examples
    --------
    >>> import pandas as pd
    >>> Condition(column="built_year", operator="<=", value=2016).mask(
    ...     pd.DataFrame({"built_year": [2015, 2016, 2017, None]}))
    array([ True,  True, False, False])
    """

    column: str
    """School-table column, e.g. ``"built_year"`` or ``"migrant_share"``."""
    operator: ConditionOperator
    """One of ``>=``, ``<=``, ``<``, ``>``, ``==``, ``!=``."""
    value: bool | int | str = attrs.field(converter=_condition_value)
    """The value compared with: an int or decimal text (``"0.5"``), text, or a bool."""

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.column, str) or not self.column:
            msg = f"a condition needs a column name; got {self.column!r}"
            raise RuleSetError(msg, code="invalid_overlay")
        if self.operator not in CONDITION_OPERATORS:
            msg = (
                f"condition on column {self.column!r}: operator {self.operator!r} is not one of "
                f"{', '.join(CONDITION_OPERATORS)}"
            )
            raise RuleSetError(msg, code="invalid_overlay")
        if self.operator in _ORDERING and not _is_numeric(self.value):
            msg = (
                f"condition on column {self.column!r}: operator {self.operator!r} needs a number; "
                f"got {self.value!r}"
            )
            raise RuleSetError(msg, code="invalid_overlay")

    def __str__(self) -> str:
        return f"{self.column} {self.operator} {_render_value(self.value)}"

    def mask(self, frame: pd.DataFrame) -> BoolArray:
        """Return, for each row of ``frame``, whether the condition holds.

        Parameters
        ----------
        frame
            School table with the column :attr:`column`.

        Returns
        -------
        numpy.ndarray of bool
            One flag per row; ``False`` where the cell is missing.

        Raises
        ------
        RuleSetError
            If ``frame`` has no column :attr:`column` (code ``missing_required_column``).
        InvalidTypeError
            If a numeric test meets a cell that is not a number (code ``not_a_number``).
        """
        if not isinstance(cast("object", frame), pd.DataFrame):
            msg = f"condition {self}: expected a pandas DataFrame of schools; got {type(frame)}"
            raise InvalidTypeError(msg)
        if self.column not in frame.columns:
            msg = (
                f"condition {self} needs the school column {self.column!r}, which the table "
                f"does not have (columns: {', '.join(map(str, frame.columns))})"
            )
            raise RuleSetError(msg, code="missing_required_column")
        column: object = frame[self.column]
        if not isinstance(column, pd.Series):
            msg = f"condition {self}: the school table has the column {self.column!r} twice"
            raise RuleSetError(msg, code="duplicate_column")
        present = column.notna().to_numpy(dtype=np.bool_)
        if _is_numeric(self.value):
            return self._numeric_mask(column, present, frame.index)
        cells = column.to_numpy(dtype=object)
        equal = present & np.asarray(cells == self.value, dtype=np.bool_)
        return equal if self.operator == "==" else present & ~equal

    def _numeric_mask(self, column: pd.Series, present: BoolArray, index: pd.Index) -> BoolArray:
        numbers = pd.to_numeric(column, errors="coerce")
        bad = present & numbers.isna().to_numpy(dtype=np.bool_)
        if bad.any():
            msg = (
                f"condition {self}: column {self.column!r} must hold numbers; rows "
                f"{positions(bad, index)} do not"
            )
            raise InvalidTypeError(msg, code="not_a_number")
        values = numbers.to_numpy(dtype=np.float64, na_value=np.nan)
        exact = Fraction(Decimal(self.value))
        thresholds = np.full(values.shape, float(exact))
        exact_thresholds = np.empty(1, dtype=object)
        exact_thresholds[0] = exact
        if self.operator in _ORDERING:
            op = cast("Literal['>=', '<=', '<', '>']", self.operator)
            return compare(values, thresholds, op, exact_thresholds=exact_thresholds)
        equal = compare(values, thresholds, ">=", exact_thresholds=exact_thresholds) & compare(
            values, thresholds, "<=", exact_thresholds=exact_thresholds
        )
        return equal if self.operator == "==" else present & ~equal

    def to_list(self) -> list[JSONValue]:
        """Return the condition as the JSON triple ``[column, operator, value]``."""
        return [self.column, self.operator, self.value]


def _to_conditions(items: Iterable[Condition | Iterable[Any]]) -> tuple[Condition, ...]:
    conditions: list[Condition] = []
    for item in items:
        if isinstance(item, Condition):
            conditions.append(item)
            continue
        triple = tuple(item)
        if len(triple) != 3:  # noqa: PLR2004 - a condition is a (column, operator, value) triple
            msg = f"a condition is a (column, operator, value) triple; got {item!r}"
            raise RuleSetError(msg, code="invalid_overlay")
        conditions.append(Condition(column=triple[0], operator=triple[1], value=triple[2]))
    return tuple(conditions)


@attrs.frozen(kw_only=True)
class Predicate:
    """Conditions on school columns combined with ``all`` (and) or ``any`` (or).

    Examples
    --------
    >>> import pandas as pd
    >>> old_or_migrant = Predicate(combine="any", conditions=[
    ...     ("built_year", "<", 2010), ("migrant_share", ">", "0.5")])
    >>> str(old_or_migrant)
    'built_year < 2010 or migrant_share > 0.5'
    >>> old_or_migrant.mask(pd.DataFrame({"built_year": [2005, 2015, 2015],
    ...                                   "migrant_share": [0.1, 0.5, 0.6]}))
    array([ True, False,  True])
    """

    combine: Literal["all", "any"] = "all"
    """``"all"``: every condition holds; ``"any"``: at least one holds."""
    conditions: tuple[Condition, ...] = attrs.field(converter=_to_conditions)
    """The conditions; triples ``(column, operator, value)`` are accepted."""

    def __attrs_post_init__(self) -> None:
        if self.combine not in {"all", "any"}:
            msg = f"a predicate combines its conditions with 'all' or 'any'; got {self.combine!r}"
            raise RuleSetError(msg, code="invalid_overlay")
        if not self.conditions:
            msg = "a predicate needs at least one condition"
            raise RuleSetError(msg, code="invalid_overlay")

    def __str__(self) -> str:
        joiner = " and " if self.combine == "all" else " or "
        return joiner.join(str(condition) for condition in self.conditions)

    @property
    def columns(self) -> tuple[str, ...]:
        """The school columns the predicate reads, in order of first use."""
        return tuple(dict.fromkeys(condition.column for condition in self.conditions))

    def mask(self, frame: pd.DataFrame) -> BoolArray:
        """Return, for each row of ``frame``, whether the predicate holds.

        See :meth:`Condition.mask` for missing cells and errors.
        """
        masks = [condition.mask(frame) for condition in self.conditions]
        reduce = np.logical_and if self.combine == "all" else np.logical_or
        return np.asarray(reduce.reduce(masks, axis=0), dtype=np.bool_)

    @classmethod
    def from_dict(cls, mapping: Mapping[str, Any], *, where: str = "predicate") -> Predicate:
        """Read ``{"all": [[column, operator, value], ...]}`` or ``{"any": [...]}``."""
        if not isinstance(mapping, Mapping) or len(mapping) != 1:
            msg = f"{where}: expected {{'all': [...]}} or {{'any': [...]}}; got {mapping!r}"
            raise RuleSetError(msg, code="invalid_overlay")
        ((combine, items),) = mapping.items()
        if combine not in {"all", "any"} or not isinstance(items, list | tuple):
            msg = f"{where}: expected {{'all': [...]}} or {{'any': [...]}}; got {mapping!r}"
            raise RuleSetError(msg, code="invalid_overlay")
        conditions: list[Condition | Iterable[Any]] = []
        for item in items:
            if isinstance(item, Mapping):
                conditions.append(
                    Condition(
                        column=item.get("column", ""),
                        operator=cast("ConditionOperator", item.get("operator")),
                        value=item.get("value"),
                    )
                )
            else:
                conditions.append(item)
        try:
            return cls(combine=cast("Literal['all', 'any']", combine), conditions=conditions)
        except RuleSetError as error:
            raise RuleSetError(f"{where}: {error.message}", code=error.code) from error

    def to_dict(self) -> dict[str, JSONValue]:
        """Return ``{"all" | "any": [[column, operator, value], ...]}``."""
        return {self.combine: [condition.to_list() for condition in self.conditions]}


@attrs.frozen(kw_only=True)
class ConditionalRule:
    """An alternative value of a rule for the schools where a predicate holds.

    The national code applies the rule set's value to every school, and :attr:`value` where
    :meth:`mask` is true (see :meth:`RuleSet.per_school_numbers`).
    """

    overlay: str
    """Id of the overlay that added the alternative."""
    key: str
    """Key of the rule the alternative replaces."""
    value: RuleValue
    """The alternative value."""
    predicate: Predicate
    """Schools for which the alternative applies."""
    tag: Tag
    """Confidence of the alternative."""
    source: Source | None = None
    """Where the alternative is stated."""
    verified: bool = False
    """Whether the alternative has been confirmed against its source."""
    note: str = ""
    """Explanation."""

    def mask(self, frame: pd.DataFrame) -> BoolArray:
        """Return, for each school of ``frame``, whether the alternative applies.

        Raises
        ------
        RuleSetError
            If a column the predicate reads is missing (the message names it).
        """
        return self.predicate.mask(frame)

    def to_dict(self) -> dict[str, JSONValue]:
        """Return a JSON-safe mapping (the predicate as ``{"all"|"any": [...]}``)."""
        result = attrs_to_dict(self)
        result["predicate"] = self.predicate.to_dict()
        result["condition"] = str(self.predicate)
        return result


# --------------------------------------------------------------------------------------------
# Overlays


@attrs.frozen(kw_only=True)
class RuleOperation:
    """One operation of an :class:`Overlay`.

    - ``set``: replace the value of an existing rule. ``unit``, ``comparator`` and ``stage``
      keep the old ones unless given; the provenance becomes the operation's (or the overlay's).
    - ``add``: add a new rule (an indicator, a veto, a parameter).
    - ``remove``: delete a rule (and its conditional alternatives).
    - ``conditional``: an alternative value that applies where :attr:`when` holds.

    ``tag``, ``source`` and ``verified`` default to the overlay's tag and source.
    """

    op: Operation
    """``"set"``, ``"add"``, ``"remove"`` or ``"conditional"``."""
    key: str
    """Key of the rule."""
    value: RuleValue | None = None
    """New or alternative value (not for ``remove``)."""
    unit: str | None = None
    """Unit (``add``; ``set`` keeps the old unit when ``None``)."""
    comparator: RuleComparator | None = None
    """Comparator (``add``; ``set`` keeps the old one when ``None``)."""
    stage: str | None = None
    """Stage (``add``; ``set`` keeps the old one when ``None``)."""
    tag: Tag | None = None
    """Confidence; defaults to the overlay's tag."""
    source: Source | None = None
    """Provenance; defaults to the overlay's source."""
    verified: bool | None = None
    """Defaults to ``True`` for [V] and library tags, else ``False``."""
    note: str = ""
    """Explanation, recorded with the change."""
    when: Predicate | None = None
    """Predicate of a ``conditional`` operation."""

    def __attrs_post_init__(self) -> None:
        where = f"{self.op} {self.key!r}"
        if self.op not in OPERATIONS:
            msg = f"operation {self.op!r} on {self.key!r} is not one of {', '.join(OPERATIONS)}"
            raise RuleSetError(msg, code="invalid_overlay")
        if not isinstance(self.key, str) or _KEY.fullmatch(self.key) is None:
            msg = f"{self.op}: rule key {self.key!r} is malformed"
            raise RuleSetError(msg, code="invalid_overlay")
        if self.op == "remove":
            if self.value is not None or self.when is not None:
                msg = f"{where}: a remove operation takes no value and no condition"
                raise RuleSetError(msg, code="invalid_overlay")
        elif self.value is None:
            msg = f"{where}: the operation needs a value"
            raise RuleSetError(msg, code="invalid_overlay")
        else:
            object.__setattr__(self, "value", _normalize_value(self.value, where))
        if (self.op == "conditional") != (self.when is not None):
            msg = f"{where}: a condition ('when') is required for, and only for, a conditional"
            raise RuleSetError(msg, code="invalid_overlay")
        if self.tag is not None and self.tag not in TAGS:
            msg = f"{where}: tag {self.tag!r} is not one of {', '.join(TAGS)}"
            raise RuleSetError(msg, code="invalid_overlay")

    def to_dict(self) -> dict[str, JSONValue]:
        """Return the operation as it is written in an overlay file (fields left out when unset)."""
        result: dict[str, JSONValue] = {"op": self.op, "key": self.key}
        if self.value is not None:
            result["value"] = _jsonable_value(self.value)
        for name in ("unit", "comparator", "stage", "tag", "verified"):
            if getattr(self, name) is not None:
                result[name] = getattr(self, name)
        if self.source is not None:
            result["source"] = self.source.to_dict()
        if self.when is not None:
            result["when"] = self.when.to_dict()
        if self.note:
            result["note"] = self.note
        return result


@attrs.frozen(kw_only=True)
class Overlay:
    """A provincial, city or user configuration that derives a rule set from its parent.

    Examples
    --------
    >>> from eduequity.national.rules import RULES_2017, Overlay, RuleOperation
    >>> mine = Overlay(id="my_county", title="Local study", parent=RULES_2017.id,
    ...                operations=(RuleOperation(op="set", key="resource.floor_ratio",
    ...                                          value="0.80"),))
    >>> derived = RULES_2017.with_overlay(mine)
    >>> derived.value("resource.floor_ratio"), derived.overlays
    ('0.80', ('my_county',))
    >>> change = derived.changes[0]
    >>> change.op, change.old_value, change.new_value
    ('set', '0.85', '0.80')
    """

    id: str
    """Overlay id, e.g. ``"shenyang"``."""
    title: str
    """Title of the configuration."""
    parent: str
    """Id of the rule set (or of an overlay already applied) that the overlay applies to."""
    jurisdiction: str = ""
    """Province or city, e.g. ``"河北 Hebei"``."""
    tag: Tag = "S"
    """Confidence of the overlay as a whole; the default tag of its operations."""
    source: Source | None = None
    """The document of the configuration; the default source of its operations."""
    operations: tuple[RuleOperation, ...] = attrs.field(default=(), converter=_operations)
    """The operations, applied in order."""
    note: str = ""
    """Explanation (what differs from the parent and why)."""

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.id, str) or _OVERLAY_ID.fullmatch(self.id) is None:
            msg = f"overlay id {self.id!r} is malformed: expected letters, digits, '_', '.', '-'"
            raise RuleSetError(msg, code="invalid_overlay")
        if self.tag not in TAGS:
            msg = f"overlay {self.id!r}: tag {self.tag!r} is not one of {', '.join(TAGS)}"
            raise RuleSetError(msg, code="invalid_overlay")
        for operation in self.operations:
            if not isinstance(cast("object", operation), RuleOperation):
                msg = (
                    f"overlay {self.id!r}: operations must be RuleOperation objects; "
                    f"got {operation!r}"
                )
                raise RuleSetError(msg, code="invalid_overlay")

    @classmethod
    def from_dict(cls, mapping: Mapping[str, Any], *, origin: str = "<mapping>") -> Overlay:
        """Read an overlay from its JSON form (the format of the shipped ``overlay_*.json``).

        Parameters
        ----------
        mapping
            ``{"id", "title", "parent", "jurisdiction", "tag", "source", "note",
            "operations": [{"op", "key", "value", "unit", "comparator", "stage", "tag",
            "source", "clause", "verified", "note", "when"}, ...]}``. ``when`` is
            ``{"all" | "any": [[column, operator, value], ...]}``.
        origin
            Name used in error messages (e.g. the file name).

        Raises
        ------
        RuleSetError
            If the mapping is malformed; the message names ``origin`` and the key.
        """
        return _parse_overlay(mapping, origin)

    def to_dict(self) -> dict[str, JSONValue]:
        """Return the JSON form read by :meth:`from_dict`."""
        return {
            "schema": SCHEMA_VERSION,
            "id": self.id,
            "title": self.title,
            "parent": self.parent,
            "jurisdiction": self.jurisdiction,
            "tag": self.tag,
            "source": None if self.source is None else self.source.to_dict(),
            "note": self.note,
            "operations": [operation.to_dict() for operation in self.operations],
        }


@attrs.frozen(kw_only=True)
class RuleChange(Record):
    """One change an overlay made to a rule set (the audit trail of overlays)."""

    overlay: str
    """Id of the overlay."""
    op: Operation
    """``"set"``, ``"add"``, ``"remove"`` or ``"conditional"``."""
    key: str
    """Key of the rule."""
    old_value: RuleValue | None
    """Value before the change (``None`` for ``add``)."""
    new_value: RuleValue | None
    """Value after the change (``None`` for ``remove``; the alternative for ``conditional``)."""
    source: Source | None = None
    """Provenance of the change."""
    condition: str | None = None
    """For ``conditional``: the predicate as text, e.g. ``"built_year <= 2016"``."""
    note: str = ""
    """Explanation."""

    def render(self) -> str:
        """Return the change as one line of text."""
        old = "—" if self.old_value is None else _render_value(self.old_value)
        new = "—" if self.new_value is None else _render_value(self.new_value)
        text = f"{self.overlay}: {self.op} {self.key}: {old} -> {new}"
        return f"{text} when {self.condition}" if self.condition else text


# --------------------------------------------------------------------------------------------
# Rule sets


def _canonical_entry(entry: RuleEntry) -> dict[str, JSONValue]:
    return {
        "value": _jsonable_value(entry.value),
        "unit": entry.unit,
        "comparator": entry.comparator,
        "stage": entry.stage,
        "tag": entry.tag,
        "verified": entry.verified,
        "source": None if entry.source is None else entry.source.to_dict(),
        "note": entry.note,
    }


def _hash_payload(
    entries: Mapping[str, RuleEntry],
    overlays: tuple[str, ...],
    conditionals: tuple[ConditionalRule, ...],
) -> str:
    payload = {
        "overlays": list(overlays),
        "entries": {key: _canonical_entry(entries[key]) for key in sorted(entries)},
        "conditionals": [
            {
                "overlay": rule.overlay,
                "key": rule.key,
                "value": _jsonable_value(rule.value),
                "predicate": rule.predicate.to_dict(),
            }
            for rule in conditionals
        ],
    }
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@attrs.frozen(kw_only=True, repr=False)
class RuleSet:
    """A versioned, immutable rule set: the resolved rules of one edition plus overlays.

    Every threshold, ratio, exclusion and switch of the method is an entry; code reads the
    entries through the typed accessors and never holds a literal threshold.

    Notes
    -----
    :attr:`content_hash` is the SHA-256 (hex) of the canonical JSON

    .. code-block:: text

        {"conditionals": [{"key", "overlay", "predicate", "value"}, ...],
         "entries": {key: {"comparator", "note", "source", "stage", "tag", "unit",
                           "value", "verified"}, ...},
         "overlays": [overlay id, ...]}

    with sorted keys, separators ``","`` and ``":"``, UTF-8 without escapes, values as stored
    (decimal numbers as text, tuples as lists) and ``source`` as :meth:`Source.to_dict`. It
    therefore changes with any value, unit, comparator, stage, provenance, conditional or the
    overlay chain: an identity overlay such as ``hebei`` gives a different hash from the
    national set although it decides every county the same way, so a result always shows
    which configuration produced it. The id, version and titles are not hashed; they are
    reported beside the hash by :meth:`identity`.

    Examples
    --------
    >>> from eduequity.national.rules import RULES_2012
    >>> RULES_2012.ids("resource.stages")
    ('primary', 'junior')
    >>> RULES_2012["resource.composite_cv_limit.junior"].verified
    False
    >>> RULES_2012.keys("resource.composite_cv_limit.")
    ('resource.composite_cv_limit.junior', 'resource.composite_cv_limit.primary')
    """

    id: str
    """Rule-set id, e.g. ``"cn_moe_2017_quality_balance"``."""
    version: str
    """Version of the rule data."""
    title_zh: str
    """Chinese title of the document."""
    title_en: str
    """English title."""
    document: Document
    """The document encoded: number, date, address."""
    effective_from: dt.date | None = None
    """First day the rules apply, ``None`` while unconfirmed."""
    effective_to: dt.date | None = None
    """Last day the rules apply, ``None`` if open."""
    parent: str | None = None
    """``None`` for a base set."""
    overlays: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    """The overlay chain applied, in order."""
    changes: tuple[RuleChange, ...] = attrs.field(default=(), converter=_changes)
    """Every change the overlays made."""
    conditionals: tuple[ConditionalRule, ...] = attrs.field(default=(), converter=_conditionals)
    """Alternative values for the schools matching a predicate, in the order added."""
    entries: Mapping[str, RuleEntry] = attrs.field(converter=_freeze_entries)
    """Immutable mapping key → :class:`RuleEntry`."""
    note: str = ""
    """Note on the rule set as a whole (status of the text, ...)."""
    applied_overlays: tuple[Overlay, ...] = attrs.field(default=(), converter=_overlays, eq=False)
    """The overlays applied (with their provenance), in the order of :attr:`overlays`."""
    content_hash: str = attrs.field(init=False, eq=False)
    """SHA-256 of the canonical JSON of the entries, conditionals and overlay chain (Notes)."""

    def __attrs_post_init__(self) -> None:
        if self.applied_overlays and tuple(o.id for o in self.applied_overlays) != self.overlays:
            msg = f"rule set {self.id!r}: applied_overlays do not match the overlay chain"
            raise RuleSetError(msg, code="invalid_ruleset")
        for rule in self.conditionals:
            if rule.key not in self.entries:
                msg = f"rule set {self.id!r}: conditional on unknown rule {rule.key!r}"
                raise RuleSetError(msg, code="invalid_ruleset")
        digest = _hash_payload(self.entries, self.overlays, self.conditionals)
        object.__setattr__(self, "content_hash", digest)

    def __repr__(self) -> str:
        return (
            f"RuleSet(id={self.id!r}, version={self.version!r}, overlays={self.overlays!r}, "
            f"entries={len(self.entries)}, content_hash={self.content_hash[:12]!r})"
        )

    # -- lookup ---------------------------------------------------------------------------

    def entry(self, key: str) -> RuleEntry:
        """Return the entry of ``key``.

        Raises
        ------
        RuleSetError
            If the rule set has no such rule (code ``missing_rule``; names key and rule set).
        """
        try:
            return self.entries[key]
        except KeyError:
            chain = f" with overlays {', '.join(self.overlays)}" if self.overlays else ""
            msg = f"rule set {self.id!r}{chain} has no rule {key!r}"
            raise RuleSetError(msg, code="missing_rule") from None

    def __getitem__(self, key: str) -> RuleEntry:
        return self.entry(key)

    def __contains__(self, key: object) -> bool:
        return key in self.entries

    def __len__(self) -> int:
        return len(self.entries)

    def value(self, key: str) -> RuleValue:
        """Return the raw value of ``key`` (text, int, bool or tuple of ids)."""
        return self.entry(key).value

    def number(self, key: str) -> float:
        """Return the value of ``key`` as a float (raises :class:`RuleSetError` if not numeric)."""
        return self.entry(key).number

    def fraction(self, key: str) -> Fraction:
        """Return the value of ``key`` as an exact fraction."""
        return self.entry(key).fraction

    def decimal(self, key: str) -> Decimal:
        """Return the value of ``key`` as an exact decimal."""
        return self.entry(key).decimal

    def integer(self, key: str) -> int:
        """Return the value of ``key`` as an int (raises if not a whole number)."""
        return self.entry(key).integer

    def flag(self, key: str) -> bool:
        """Return the boolean value of ``key``.

        Raises
        ------
        RuleSetError
            If the value is not ``true``/``false`` (code ``rule_wrong_type``).
        """
        value = self.entry(key).value
        if not isinstance(value, bool):
            msg = f"rule {key!r} of rule set {self.id!r} is not a flag: its value is {value!r}"
            raise RuleSetError(msg, code="rule_wrong_type")
        return value

    def ids(self, key: str) -> tuple[str, ...]:
        """Return the tuple of ids of ``key`` (raises :class:`RuleSetError` if not a list)."""
        value = self.entry(key).value
        if not isinstance(value, tuple):
            msg = (
                f"rule {key!r} of rule set {self.id!r} is not a list of ids: its value is {value!r}"
            )
            raise RuleSetError(msg, code="rule_wrong_type")
        return value

    def text(self, key: str) -> str:
        """Return the text value of ``key`` (raises :class:`RuleSetError` if not text)."""
        value = self.entry(key).value
        if not isinstance(value, str):
            msg = f"rule {key!r} of rule set {self.id!r} is not text: its value is {value!r}"
            raise RuleSetError(msg, code="rule_wrong_type")
        return value

    def keys(self, prefix: str = "") -> tuple[str, ...]:
        """Return the sorted keys that start with ``prefix`` (all keys by default).

        The test is a plain string prefix; end the prefix with ``"."`` to stop at a dot.
        """
        return tuple(sorted(key for key in self.entries if key.startswith(prefix)))

    def conditionals_for(self, key: str) -> tuple[ConditionalRule, ...]:
        """Return the conditional alternatives of ``key`` in the order they were added."""
        self.entry(key)
        return tuple(rule for rule in self.conditionals if rule.key == key)

    def per_school_numbers(self, key: str, frame: pd.DataFrame) -> FloatArray:
        """Return the value of ``key`` for each school of ``frame``, alternatives applied.

        Each school gets the rule set's value, replaced by the value of every conditional
        alternative whose predicate holds for it; when several hold, the one added last wins.

        Raises
        ------
        RuleSetError
            If ``key`` is missing or not numeric, or a column a predicate reads is missing.

        Examples
        --------
        >>> import pandas as pd
        >>> from eduequity.national.rules import get_rules
        >>> rules = get_rules(2017, overlay="shenyang")
        >>> schools = pd.DataFrame({"built_year": [2012, 2019]})
        >>> rules.per_school_numbers("guarantee.music_art_rooms.min_music_room_area_m2", schools)
        array([73., 96.])
        """
        result = np.full(len(frame), self.number(key), dtype=np.float64)
        for rule in self.conditionals_for(key):
            result[rule.mask(frame)] = float(Decimal(cast("int | str", rule.value)))
        return result

    def per_school_fractions(self, key: str, frame: pd.DataFrame) -> np.ndarray:
        """Return :meth:`per_school_numbers` as exact fractions (an object array)."""
        result = np.empty(len(frame), dtype=object)
        result[:] = [self.fraction(key)] * len(frame)
        for rule in self.conditionals_for(key):
            alternative = Fraction(Decimal(cast("int | str", rule.value)))
            mask = rule.mask(frame)
            result[mask] = [alternative] * int(mask.sum())
        return result

    # -- derivation -----------------------------------------------------------------------

    def with_overlay(self, overlay: Overlay | str) -> RuleSet:
        """Return a new rule set: this one with ``overlay`` applied.

        Parameters
        ----------
        overlay
            An :class:`Overlay`, or the name of a shipped overlay (:func:`list_overlays`).

        Returns
        -------
        RuleSet
            Same id and version; the overlay id appended to :attr:`overlays`; every change
            recorded in :attr:`changes`; conditionals in :attr:`conditionals`.

        Raises
        ------
        RuleSetError
            If the overlay applies to another rule set or is already applied, ``set``,
            ``remove`` or ``conditional`` names an unknown rule, ``add`` names an existing one,
            or a new value is of another kind (number, flag, text, ids) than the old one.
        """
        if isinstance(overlay, str):
            overlay = _shipped_overlay(overlay)
        if overlay.id in self.overlays:
            msg = f"overlay {overlay.id!r} is already applied to rule set {self.id!r}"
            raise RuleSetError(msg, code="invalid_overlay")
        if overlay.parent != self.id and overlay.parent not in self.overlays:
            applied = f" (overlays applied: {', '.join(self.overlays)})" if self.overlays else ""
            msg = (
                f"overlay {overlay.id!r} applies to {overlay.parent!r}, not to rule set "
                f"{self.id!r}{applied}"
            )
            raise RuleSetError(msg, code="invalid_overlay")
        entries = dict(self.entries)
        conditionals = list(self.conditionals)
        changes = list(self.changes)
        for operation in overlay.operations:
            _apply(
                operation,
                overlay,
                ruleset_id=self.id,
                entries=entries,
                conditionals=conditionals,
                changes=changes,
            )
        return attrs.evolve(
            self,
            entries=entries,
            overlays=(*self.overlays, overlay.id),
            changes=tuple(changes),
            conditionals=tuple(conditionals),
            applied_overlays=(*self.applied_overlays, overlay),
        )

    # -- output ---------------------------------------------------------------------------

    def identity(self) -> dict[str, JSONValue]:
        """Return what every result embeds: ``id``, ``version``, ``overlays``, ``content_hash``."""
        return {
            "id": self.id,
            "version": self.version,
            "overlays": list(self.overlays),
            "content_hash": self.content_hash,
        }

    def to_dict(self) -> dict[str, JSONValue]:
        """Return a JSON-safe mapping: identity, document, entries, conditionals and changes."""
        return {
            **self.identity(),
            "title_zh": self.title_zh,
            "title_en": self.title_en,
            "document": self.document.to_dict(),
            "effective_from": to_jsonable(self.effective_from),
            "effective_to": to_jsonable(self.effective_to),
            "parent": self.parent,
            "note": self.note,
            "entries": {key: entry.to_dict() for key, entry in self.entries.items()},
            "conditionals": [rule.to_dict() for rule in self.conditionals],
            "changes": [change.to_dict() for change in self.changes],
            "applied_overlays": [overlay.to_dict() for overlay in self.applied_overlays],
        }

    def to_frame(self) -> pd.DataFrame:
        """Return one row per entry for audit listings.

        Columns: ``key``, ``value`` (as stored), ``unit``, ``comparator``, ``stage``, ``tag``,
        ``verified``, ``source`` (title and number), ``url``, ``clause``, ``note``.
        """
        rows = [
            {
                "key": entry.key,
                "value": entry.value,
                "unit": entry.unit,
                "comparator": entry.comparator,
                "stage": entry.stage,
                "tag": entry.tag,
                "verified": entry.verified,
                "source": None
                if entry.source is None
                else Source.render(attrs.evolve(entry.source, url=None, clause=None)),
                "url": None if entry.source is None else entry.source.url,
                "clause": None if entry.source is None else entry.source.clause,
                "note": entry.note,
            }
            for entry in self.entries.values()
        ]
        columns = ["key", "value", "unit", "comparator", "stage", "tag", "verified", "source"]
        return pd.DataFrame(rows, columns=[*columns, "url", "clause", "note"])

    def to_text(self) -> str:
        """Return a readable audit listing of every rule with its source, grouped by section.

        The header gives the titles, the document, the overlays with their sources and the
        content hash; each section (Chinese and English title) lists its rules with
        comparator, value, unit, stage, tag, verified flag, source and note; conditional
        values and the changes made by overlays follow.
        """
        lines = self._header_lines()
        sections: dict[str, list[RuleEntry]] = {}
        for entry in self.entries.values():
            sections.setdefault(entry.key.split(".", 1)[0], []).append(entry)
        for section, members in sections.items():
            zh, en = section_title(section)
            lines.extend(("", f"[{section}] {zh} · {en}"))
            lines.extend(_render_entry(entry) for entry in members)
        if self.conditionals:
            lines.extend(("", "[conditional] 条件取值 · Conditional values"))
            lines.extend(_render_conditional(rule) for rule in self.conditionals)
        if self.changes:
            lines.extend(("", "[changes] 地方调整 · Changes made by overlays"))
            lines.extend(f"  {change.render()}" for change in self.changes)
        return "\n".join(lines) + "\n"

    def _header_lines(self) -> list[str]:
        document = (
            self.document.number,
            self.document.date or "date not confirmed",
            self.document.url,
        )
        effective_from = self.effective_from or "not confirmed"
        unverified = sum(not entry.verified for entry in self.entries.values())
        lines = [
            f"{self.id} (version {self.version})",
            f"  {self.title_zh}",
            f"  {self.title_en}",
            "  document: " + ", ".join(str(part) for part in document if part),
            f"  effective: {effective_from} to {self.effective_to or 'open'}",
        ]
        if self.note:
            lines.append(f"  note: {self.note}")
        lines.append(f"  entries: {len(self.entries)} ({unverified} not verified)")
        lines.append(f"  content hash: {self.content_hash}")
        if self.applied_overlays:
            lines.append("  overlays:")
            for overlay in self.applied_overlays:
                source = "" if overlay.source is None else f" — {overlay.source.render()}"
                lines.append(f"    {overlay.id} [{overlay.tag}] {overlay.title}{source}")
        elif self.overlays:
            lines.append(f"  overlays: {', '.join(self.overlays)}")
        return lines

    @classmethod
    def from_dict(cls, mapping: Mapping[str, Any], *, origin: str = "<mapping>") -> RuleSet:
        """Read a base rule set from its JSON form (the format of the shipped files).

        Raises
        ------
        RuleSetError
            If the mapping is malformed; the message names ``origin`` and the key.
        """
        return _parse_ruleset(mapping, origin)


def _render_conditional(rule: ConditionalRule) -> str:
    status = "verified" if rule.verified else "not verified"
    lines = [
        (
            f"  {rule.key} = {_render_value(rule.value)} when {rule.predicate}"
            f"  [{rule.tag}, {status}; overlay {rule.overlay}]"
        )
    ]
    if rule.source is not None:
        lines.append(f"      source: {rule.source.render()}")
    if rule.note:
        lines.append(f"      note: {rule.note}")
    return "\n".join(lines)


def _render_entry(entry: RuleEntry) -> str:
    parts = [f"  {entry.key}"]
    parts.append(
        f"{entry.comparator} {entry.render_value()}"
        if entry.comparator
        else f"= {entry.render_value()}"
    )
    if entry.unit:
        parts.append(entry.unit)
    if entry.stage:
        parts.append(f"(stage {entry.stage})")
    status = "verified" if entry.verified else "not verified"
    parts.append(f"[{entry.tag}, {status}]")
    lines = [" ".join(parts)]
    if entry.source is not None:
        lines.append(f"      source: {entry.source.render()}")
    if entry.note:
        lines.append(f"      note: {entry.note}")
    return "\n".join(lines)


def _apply(
    operation: RuleOperation,
    overlay: Overlay,
    *,
    ruleset_id: str,
    entries: dict[str, RuleEntry],
    conditionals: list[ConditionalRule],
    changes: list[RuleChange],
) -> None:
    key = operation.key
    where = f"overlay {overlay.id!r}: cannot {operation.op} rule {key!r}"
    tag = operation.tag if operation.tag is not None else overlay.tag
    source = operation.source if operation.source is not None else overlay.source
    verified = operation.verified if operation.verified is not None else _default_verified(tag)
    old = entries.get(key)
    if operation.op == "add":
        if old is not None:
            msg = (
                f"{where}: rule set {ruleset_id!r} already has it (value {old.value!r}); use 'set'"
            )
            raise RuleSetError(msg, code="duplicate_rule")
        entries[key] = _entry_for_overlay(
            overlay,
            key=key,
            value=cast("RuleValue", operation.value),
            unit=operation.unit,
            comparator=operation.comparator,
            stage=operation.stage,
            tag=tag,
            source=source,
            verified=verified,
            note=operation.note,
        )
        changes.append(
            RuleChange(
                overlay=overlay.id,
                op="add",
                key=key,
                old_value=None,
                new_value=entries[key].value,
                source=source,
                note=operation.note,
            )
        )
        return
    if old is None:
        msg = f"{where}: rule set {ruleset_id!r} has no such rule"
        raise RuleSetError(msg, code="unknown_rule")
    if operation.op == "remove":
        del entries[key]
        dropped = [rule for rule in conditionals if rule.key == key]
        conditionals[:] = [rule for rule in conditionals if rule.key != key]
        changes.append(
            RuleChange(
                overlay=overlay.id,
                op="remove",
                key=key,
                old_value=old.value,
                new_value=None,
                source=source,
                note=operation.note,
            )
        )
        changes.extend(
            RuleChange(
                overlay=overlay.id,
                op="remove",
                key=key,
                old_value=rule.value,
                new_value=None,
                source=source,
                condition=str(rule.predicate),
                note=f"conditional alternative of overlay {rule.overlay!r} removed with the rule",
            )
            for rule in dropped
        )
        return
    value = cast("RuleValue", operation.value)
    if _kind(value) != _kind(old.value):
        msg = (
            f"{where}: the new value {value!r} is a {_kind(value)}, but the rule holds a "
            f"{_kind(old.value)} ({old.value!r})"
        )
        raise RuleSetError(msg, code="invalid_overlay")
    if operation.op == "set":
        entries[key] = _entry_for_overlay(
            overlay,
            key=key,
            value=value,
            unit=operation.unit if operation.unit is not None else old.unit,
            comparator=operation.comparator if operation.comparator is not None else old.comparator,
            stage=operation.stage if operation.stage is not None else old.stage,
            tag=tag,
            source=source,
            verified=verified,
            note=operation.note or old.note,
        )
        changes.append(
            RuleChange(
                overlay=overlay.id,
                op="set",
                key=key,
                old_value=old.value,
                new_value=entries[key].value,
                source=source,
                note=operation.note,
            )
        )
        return
    predicate = cast("Predicate", operation.when)
    if tag == "M" and verified:
        msg = f"{where}: a conditional tagged [M] cannot be verified"
        raise RuleSetError(msg, code="invalid_overlay")
    conditionals.append(
        ConditionalRule(
            overlay=overlay.id,
            key=key,
            value=value,
            predicate=predicate,
            tag=tag,
            source=source,
            verified=verified,
            note=operation.note,
        )
    )
    changes.append(
        RuleChange(
            overlay=overlay.id,
            op="conditional",
            key=key,
            old_value=old.value,
            new_value=value,
            source=source,
            condition=str(predicate),
            note=operation.note,
        )
    )


def _entry_for_overlay(overlay: Overlay, **fields: Any) -> RuleEntry:  # noqa: ANN401
    try:
        return RuleEntry(**fields)
    except RuleSetError as error:
        msg = f"overlay {overlay.id!r}: {error.message}"
        raise RuleSetError(msg, code="invalid_overlay") from error


# --------------------------------------------------------------------------------------------
# Parsing the JSON forms

_RULESET_FIELDS: Final = frozenset(
    {
        "schema",
        "id",
        "version",
        "title_zh",
        "title_en",
        "document",
        "effective_from",
        "effective_to",
        "parent",
        "note",
        "sources",
        "entries",
    }
)
_ENTRY_FIELDS: Final = frozenset(
    {"key", "value", "unit", "comparator", "stage", "tag", "source", "clause", "verified", "note"}
)
_OVERLAY_FIELDS: Final = frozenset(
    {"schema", "id", "title", "parent", "jurisdiction", "tag", "source", "note", "operations"}
)
_OPERATION_FIELDS: Final = frozenset(
    {
        "op",
        "key",
        "value",
        "unit",
        "comparator",
        "stage",
        "tag",
        "source",
        "clause",
        "verified",
        "note",
        "when",
    }
)
_SOURCE_FIELDS: Final = frozenset({"title", "number", "url", "clause"})


def _fail(message: str, code: str = "invalid_ruleset") -> RuleSetError:
    return RuleSetError(message, code=code)


def _check_fields(
    mapping: object, allowed: frozenset[str], where: str, code: str
) -> Mapping[str, Any]:
    if not isinstance(mapping, Mapping):
        msg = f"{where}: expected a JSON object; got {type(mapping).__name__}"
        raise _fail(msg, code)
    unknown = sorted(set(mapping) - allowed)
    if unknown:
        names = ", ".join(map(repr, unknown))
        msg = f"{where}: unknown field(s) {names}; allowed: {', '.join(sorted(allowed))}"
        raise _fail(msg, code)
    return mapping


def _optional_text(mapping: Mapping[str, Any], name: str, where: str, code: str) -> str | None:
    value = mapping.get(name)
    if value is not None and not isinstance(value, str):
        msg = f"{where}: field {name!r} must be text; got {value!r}"
        raise _fail(msg, code)
    return value


def _required_text(mapping: Mapping[str, Any], name: str, where: str, code: str) -> str:
    value = _optional_text(mapping, name, where, code)
    if not value:
        msg = f"{where}: field {name!r} is required"
        raise _fail(msg, code)
    return value


def _parse_date(value: object, where: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(cast("str", value))
    except (TypeError, ValueError):
        msg = f"{where}: expected an ISO date such as '2012-01-20'; got {value!r}"
        raise _fail(msg) from None


def _parse_source(value: object, where: str, code: str) -> Source:
    mapping = _check_fields(value, _SOURCE_FIELDS, where, code)
    return Source(
        title=_required_text(mapping, "title", where, code),
        number=_optional_text(mapping, "number", where, code),
        url=_optional_text(mapping, "url", where, code),
        clause=_optional_text(mapping, "clause", where, code),
    )


def _resolve_source(
    mapping: Mapping[str, Any],
    sources: Mapping[str, Source],
    where: str,
    code: str,
    default: Source | None = None,
) -> Source | None:
    raw = mapping.get("source")
    clause = _optional_text(mapping, "clause", where, code)
    if raw is None:
        source = default
    elif isinstance(raw, str):
        if raw not in sources:
            msg = (
                f"{where}: unknown source {raw!r}; defined: {', '.join(sorted(sources)) or 'none'}"
            )
            raise _fail(msg, code)
        source = sources[raw]
    else:
        source = _parse_source(raw, f"{where}, source", code)
    if clause is not None:
        if source is None:
            msg = f"{where}: a clause needs a source"
            raise _fail(msg, code)
        source = attrs.evolve(source, clause=clause)
    return source


def _parse_entry(
    raw: object, position: int, sources: Mapping[str, Source], origin: str
) -> RuleEntry:
    label = raw.get("key") if isinstance(raw, Mapping) else None
    where = (
        f"{origin}: entry {label!r}" if isinstance(label, str) else f"{origin}: entry #{position}"
    )
    mapping = _check_fields(raw, _ENTRY_FIELDS, where, "invalid_ruleset")
    for required in ("key", "value", "tag"):
        if required not in mapping:
            msg = f"{where}: field {required!r} is required"
            raise _fail(msg)
    if isinstance(mapping["value"], float):
        msg = f'{where}: decimal numbers are stored as text (e.g. "4.2"); got {mapping["value"]!r}'
        raise _fail(msg)
    fields: dict[str, Any] = {
        "key": mapping["key"],
        "value": mapping["value"],
        "unit": _optional_text(mapping, "unit", where, "invalid_ruleset"),
        "comparator": mapping.get("comparator"),
        "stage": mapping.get("stage"),
        "tag": mapping["tag"],
        "source": _resolve_source(mapping, sources, where, "invalid_ruleset"),
        "note": _optional_text(mapping, "note", where, "invalid_ruleset") or "",
    }
    if "verified" in mapping:
        fields["verified"] = mapping["verified"]
    try:
        return RuleEntry(**fields)
    except RuleSetError as error:
        raise _fail(f"{origin}: {error.message}", error.code) from error


def _parse_sources(raw: object, origin: str, code: str) -> dict[str, Source]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        msg = f"{origin}: 'sources' must map names to sources"
        raise _fail(msg, code)
    return {
        str(name): _parse_source(value, f"{origin}: source {name!r}", code)
        for name, value in raw.items()
    }


def _check_schema(mapping: Mapping[str, Any], origin: str, code: str) -> None:
    schema = mapping.get("schema", SCHEMA_VERSION)
    if schema != SCHEMA_VERSION:
        msg = f"{origin}: schema {schema!r} is not supported (expected {SCHEMA_VERSION})"
        raise _fail(msg, code)


def _parse_ruleset(raw: Mapping[str, Any], origin: str) -> RuleSet:
    mapping = _check_fields(raw, _RULESET_FIELDS, origin, "invalid_ruleset")
    _check_schema(mapping, origin, "invalid_ruleset")
    if mapping.get("parent") is not None:
        msg = f"{origin}: a base rule set has no parent; read overlays with load_overlay"
        raise _fail(msg)
    sources = _parse_sources(mapping.get("sources"), origin, "invalid_ruleset")
    document = _check_fields(
        mapping.get("document", {}),
        frozenset({"number", "date", "url"}),
        f"{origin}: document",
        "invalid_ruleset",
    )
    raw_entries = mapping.get("entries")
    if not isinstance(raw_entries, list) or not raw_entries:
        msg = f"{origin}: 'entries' must be a non-empty list"
        raise _fail(msg)
    entries: dict[str, RuleEntry] = {}
    for position, raw_entry in enumerate(raw_entries):
        entry = _parse_entry(raw_entry, position, sources, origin)
        if entry.key in entries:
            msg = f"{origin}: entry {entry.key!r} is defined twice"
            raise _fail(msg)
        entries[entry.key] = entry
    return RuleSet(
        id=_required_text(mapping, "id", origin, "invalid_ruleset"),
        version=_required_text(mapping, "version", origin, "invalid_ruleset"),
        title_zh=_required_text(mapping, "title_zh", origin, "invalid_ruleset"),
        title_en=_required_text(mapping, "title_en", origin, "invalid_ruleset"),
        document=Document(
            number=_optional_text(document, "number", f"{origin}: document", "invalid_ruleset"),
            date=_parse_date(document.get("date"), f"{origin}: document date"),
            url=_optional_text(document, "url", f"{origin}: document", "invalid_ruleset"),
        ),
        effective_from=_parse_date(mapping.get("effective_from"), f"{origin}: effective_from"),
        effective_to=_parse_date(mapping.get("effective_to"), f"{origin}: effective_to"),
        note=_optional_text(mapping, "note", origin, "invalid_ruleset") or "",
        entries=entries,
    )


def _parse_operation(
    raw: object, position: int, overlay_source: Source | None, origin: str
) -> RuleOperation:
    label = raw.get("key") if isinstance(raw, Mapping) else None
    where = f"{origin}: operation #{position}" + (
        f" on {label!r}" if isinstance(label, str) else ""
    )
    mapping = _check_fields(raw, _OPERATION_FIELDS, where, "invalid_overlay")
    for required in ("op", "key"):
        if required not in mapping:
            msg = f"{where}: field {required!r} is required"
            raise _fail(msg, "invalid_overlay")
    when = mapping.get("when")
    # An operation without its own source inherits the overlay's when it is applied; a
    # clause alone narrows the overlay's source to that clause.
    if "source" in mapping or overlay_source is None:
        source = _resolve_source(mapping, {}, where, "invalid_overlay")
    elif "clause" in mapping:
        clause = _optional_text(mapping, "clause", where, "invalid_overlay")
        source = attrs.evolve(overlay_source, clause=clause)
    else:
        source = None
    try:
        return RuleOperation(
            op=mapping["op"],
            key=mapping["key"],
            value=mapping.get("value"),
            unit=_optional_text(mapping, "unit", where, "invalid_overlay"),
            comparator=mapping.get("comparator"),
            stage=mapping.get("stage"),
            tag=mapping.get("tag"),
            source=source,
            verified=mapping.get("verified"),
            note=_optional_text(mapping, "note", where, "invalid_overlay") or "",
            when=None if when is None else Predicate.from_dict(when, where=f"{where}, when"),
        )
    except RuleSetError as error:
        if error.message.startswith(origin):
            raise
        raise _fail(f"{where}: {error.message}", "invalid_overlay") from error


def _parse_overlay(raw: Mapping[str, Any], origin: str) -> Overlay:
    mapping = _check_fields(raw, _OVERLAY_FIELDS, origin, "invalid_overlay")
    _check_schema(mapping, origin, "invalid_overlay")
    source = (
        None
        if mapping.get("source") is None
        else _parse_source(mapping["source"], f"{origin}: source", "invalid_overlay")
    )
    operations = mapping.get("operations", [])
    if not isinstance(operations, list):
        msg = f"{origin}: 'operations' must be a list"
        raise _fail(msg, "invalid_overlay")
    try:
        return Overlay(
            id=_required_text(mapping, "id", origin, "invalid_overlay"),
            title=_required_text(mapping, "title", origin, "invalid_overlay"),
            parent=_required_text(mapping, "parent", origin, "invalid_overlay"),
            jurisdiction=_optional_text(mapping, "jurisdiction", origin, "invalid_overlay") or "",
            tag=mapping.get("tag", "S"),
            source=source,
            note=_optional_text(mapping, "note", origin, "invalid_overlay") or "",
            operations=tuple(
                _parse_operation(item, position, source, origin)
                for position, item in enumerate(operations)
            ),
        )
    except RuleSetError as error:
        if error.message.startswith(origin):
            raise
        raise _fail(f"{origin}: {error.message}", "invalid_overlay") from error


def _read_json(path: str | PathLike[str], what: str) -> Any:  # noqa: ANN401 - JSON
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        msg = f"{what} file {path}: not UTF-8 text ({error})"
        raise RuleSetError(msg, code="invalid_ruleset") from error
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        at = f"line {error.lineno}, column {error.colno}"
        msg = f"{what} file {path}: invalid JSON at {at}: {error.msg}"
        raise RuleSetError(msg, code="invalid_ruleset") from error


def load_ruleset(path: str | PathLike[str]) -> RuleSet:
    """Read a base rule set from a JSON file (same format as the shipped rule sets).

    Raises
    ------
    RuleSetError
        If the file is not valid JSON or an entry is malformed (names the file and the key).
    """
    return _parse_ruleset(_read_json(path, "rule-set"), Path(path).name)


def load_overlay(path: str | PathLike[str]) -> Overlay:
    """Read an overlay from a JSON file (see :meth:`Overlay.from_dict` for the format).

    Raises
    ------
    RuleSetError
        If the file is not valid JSON or an operation is malformed (names the file and key).
    """
    return _parse_overlay(_read_json(path, "overlay"), Path(path).name)


# --------------------------------------------------------------------------------------------
# Package data


def _load_package_data() -> tuple[dict[str, RuleSet], dict[str, Overlay]]:
    rulesets: dict[str, RuleSet] = {}
    overlays: dict[str, Overlay] = {}
    for item in sorted(resources.files(_PACKAGE).iterdir(), key=lambda item: item.name):
        if not item.name.endswith(".json"):
            continue
        try:
            data = json.loads(item.read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            msg = f"rule-set file {item.name}: invalid JSON at line {error.lineno}: {error.msg}"
            raise RuleSetError(msg, code="invalid_ruleset") from error
        if item.name.startswith(_OVERLAY_PREFIX):
            overlay = _parse_overlay(data, item.name)
            overlays[overlay.id] = overlay
        else:
            ruleset = _parse_ruleset(data, item.name)
            rulesets[ruleset.id] = ruleset
    return rulesets, overlays


_RULESETS, _OVERLAYS = _load_package_data()

RULES_2017: Final[RuleSet] = _RULESETS["cn_moe_2017_quality_balance"]
"""The 2017 quality-balance method (优质均衡, 教督〔2017〕6号), docs: The national method,
Preconditions."""

RULES_2012: Final[RuleSet] = _RULESETS["cn_moe_2012_basic_balance"]
"""The 2012 basic-balance method (基本均衡, 教督〔2012〕3号), docs: The national method, The 2012
edition."""

OVERLAYS: Final[Mapping[str, Overlay]] = MappingProxyType(dict(sorted(_OVERLAYS.items())))
"""The shipped overlays (docs: The national method, Provincial overlays), by name: ``anhui``,
``beijing``, ``hebei`` and ``shenyang``."""

_EDITIONS: Final[Mapping[str | int, str]] = MappingProxyType(
    {
        2017: RULES_2017.id,
        "2017": RULES_2017.id,
        2012: RULES_2012.id,
        "2012": RULES_2012.id,
        RULES_2017.id: RULES_2017.id,
        RULES_2012.id: RULES_2012.id,
    }
)


def _shipped_overlay(name: str) -> Overlay:
    try:
        return OVERLAYS[name]
    except KeyError:
        choices = ", ".join(map(repr, OVERLAYS))
        msg = f"unknown overlay {name!r}; choose one of {choices} or pass an Overlay"
        raise InvalidArgumentError(msg, code="invalid_option") from None


def list_rulesets() -> tuple[str, ...]:
    """Return the ids of the shipped base rule sets.

    Examples
    --------
    >>> list_rulesets()
    ('cn_moe_2012_basic_balance', 'cn_moe_2017_quality_balance')
    """
    return tuple(sorted(_RULESETS))


def list_overlays() -> tuple[str, ...]:
    """Return the names of the shipped overlays.

    Examples
    --------
    >>> list_overlays()
    ('anhui', 'beijing', 'hebei', 'shenyang')
    """
    return tuple(sorted(OVERLAYS))


@functools.lru_cache(maxsize=64)
def _resolved(ruleset_id: str, overlay_name: str) -> RuleSet:
    return _with_chain(_RULESETS[ruleset_id], _shipped_overlay(overlay_name))


def _with_chain(base: RuleSet, overlay: Overlay, seen: tuple[str, ...] = ()) -> RuleSet:
    """Apply ``overlay`` after its ancestors (depth-first) when its parent is a shipped overlay."""
    if overlay.id in seen:
        msg = f"overlay chain {' -> '.join((*seen, overlay.id))} is circular"
        raise RuleSetError(msg, code="invalid_overlay")
    if (
        overlay.parent != base.id
        and overlay.parent not in base.overlays
        and overlay.parent in OVERLAYS
    ):
        base = _with_chain(base, OVERLAYS[overlay.parent], (*seen, overlay.id))
    return base.with_overlay(overlay)


def get_rules(edition: str | int = 2017, overlay: str | Overlay | None = None) -> RuleSet:
    """Return the rule set of an edition, optionally with an overlay applied.

    Parameters
    ----------
    edition
        ``2017`` / ``"2017"`` / ``"cn_moe_2017_quality_balance"`` (quality balance, the
        default) or ``2012`` / ``"2012"`` / ``"cn_moe_2012_basic_balance"`` (basic balance).
    overlay
        ``None``, the name of a shipped overlay (:func:`list_overlays`) or an :class:`Overlay`.
        An overlay whose parent is a shipped overlay is applied after that parent.

    Returns
    -------
    RuleSet

    Raises
    ------
    InvalidArgumentError
        If the edition or the overlay name is unknown (the message lists the choices).
    RuleSetError
        If the overlay cannot be applied to the edition.

    Examples
    --------
    >>> get_rules("2012").id
    'cn_moe_2012_basic_balance'
    >>> get_rules(2017, overlay="hebei").overlays
    ('hebei',)
    """
    ruleset_id = None if isinstance(edition, bool) else _EDITIONS.get(edition)
    if ruleset_id is None:
        choices = ", ".join(repr(choice) for choice in _EDITIONS)
        msg = f"unknown edition {edition!r}; choose one of {choices}"
        raise InvalidArgumentError(msg, code="invalid_option")
    if overlay is None:
        return _RULESETS[ruleset_id]
    if isinstance(overlay, str):
        return _resolved(ruleset_id, overlay)
    if not isinstance(cast("object", overlay), Overlay):
        msg = f"overlay must be None, an overlay name or an Overlay; got {type(overlay).__name__}"
        raise InvalidTypeError(msg)
    return _with_chain(_RULESETS[ruleset_id], overlay)
