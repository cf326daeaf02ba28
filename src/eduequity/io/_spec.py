"""Declarative column specifications (private; the classes are public in :mod:`eduequity.io`).

A :class:`TableSchema` is data: its columns (:class:`ColumnSpec`: canonical name, kind, unit,
whether required, Chinese header aliases, enum values) and the table-level checks to run
after the cells are parsed. The generic reader (:func:`eduequity.io.read_table`) does the
rest, so a new input table is a new schema, not a new reader.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING, Final, Literal

import attrs

from eduequity._vocabulary import vocabulary
from eduequity.errors import InvalidArgumentError
from eduequity.io._normalize import normalize_header, normalize_key

if TYPE_CHECKING:
    from eduequity.io._reader import TableContext

ColumnKind = Literal[
    "string", "count", "integer", "decimal", "rate", "bool", "enum", "year", "date"
]
"""What a column holds.

``string`` text (identifiers keep leading zeros); ``count`` a whole number of pupils,
teachers, rooms, ... (``12.0`` accepted, ``12.5`` rejected); ``integer`` another whole
number (a grade); ``decimal`` a real number; ``rate`` a fraction in [0, 1]; ``bool``;
``enum`` one of declared values; ``year`` a four-digit year; ``date`` a calendar date.
"""

NUMERIC_KINDS: Final[frozenset[str]] = frozenset({"count", "integer", "decimal", "rate", "year"})
"""Kinds stored as float64 (NaN = missing)."""

WHOLE_KINDS: Final[frozenset[str]] = frozenset({"count", "integer", "year"})
"""Numeric kinds whose values must be whole numbers."""

UNIT_SYNONYMS: Final[Mapping[str, frozenset[str]]] = MappingProxyType(
    {
        "pupils": frozenset({"人", "名"}),
        "teachers": frozenset({"人", "名"}),
        "children": frozenset({"人", "名"}),
        "rooms": frozenset({"间", "个"}),
        "classes": frozenset({"个", "班"}),
        "units": frozenset({"台"}),
        "volumes": frozenset({"册"}),
        "m2": frozenset({"m2", "平方米", "平米"}),
        "yuan": frozenset({"元"}),
        "yuan per pupil": frozenset({"元", "元/生", "元/人", "元/生·年", "元/人·年"}),
        "yuan per year": frozenset({"元", "元/年", "元/人·年"}),
        "year": frozenset({"年"}),
    }
)
"""Header units (normalised) that name a column's own unit: accepted, nothing converted."""

UNIT_CONVERSIONS: Final[Mapping[str, Mapping[str, tuple[Decimal, str]]]] = MappingProxyType(
    {
        "yuan": MappingProxyType({"万元": (Decimal(10000), "multiplied by 10000")}),
        "fraction": MappingProxyType(
            {
                "%": (Decimal("0.01"), "divided by 100"),
                "百分比": (Decimal("0.01"), "divided by 100"),
            }
        ),
        "ratio": MappingProxyType({"%": (Decimal("0.01"), "divided by 100")}),
    }
)
"""Header units converted on reading (docs: Input tables): factor and description.
The factor is applied to the decimal value before it becomes a float."""

OTHER_KNOWN_UNITS: Final[frozenset[str]] = frozenset(
    {"亩", "公顷", "平方千米", "km2", "cm2", "万平方米", "千元", "亿元", "万人", "千人", "万册"}
)
"""Units recognised in headers but never converted: a header carrying one of them on a
column with another unit is rejected (``unsupported_unit``), never silently rescaled."""

KNOWN_UNITS: Final[frozenset[str]] = frozenset(
    {unit for units in UNIT_SYNONYMS.values() for unit in units}
    | {unit for units in UNIT_CONVERSIONS.values() for unit in units}
    | OTHER_KNOWN_UNITS
)
"""Every header suffix read as a unit; any other parenthesised suffix is part of the name."""

_DEFAULT_RANGE_CODE: Final = {"rate": "rate_out_of_range"}


def freeze(mapping: Mapping[str, str]) -> Mapping[str, str]:
    """Return a read-only copy of a mapping of strings."""
    return MappingProxyType(dict(mapping))


@attrs.frozen(kw_only=True)
class EnumValue:
    """One allowed value of an enum column, with the texts and codes that mean it."""

    value: str
    """Canonical value, e.g. ``"nine_year"``."""
    aliases: tuple[str, ...] = ()
    """Chinese (or other) labels accepted for it, e.g. ``("九年一贯制学校", "九年一贯制")``."""
    codes: tuple[str, ...] = ()
    """Statistical codes accepted for it, e.g. ``("312",)`` (GB/T 33782-2017)."""

    def describe(self) -> str:
        """Return ``"value (alias, ..., code)"`` for messages."""
        extra = (*self.aliases, *self.codes)
        return f"{self.value} ({', '.join(extra)})" if extra else self.value


@attrs.frozen(kw_only=True)
class EnumSpec:
    """The allowed values of an enum column.

    Matching ignores spaces, full-width forms and letter case (docs: Input tables).
    """

    values: tuple[EnumValue, ...]
    """The allowed values in display order."""
    hints: Mapping[str, str] = attrs.field(factory=dict, converter=freeze)
    """Extra advice for known but rejected texts or codes, e.g. ``{"342": "not a
    compulsory-education school type; ..."}``."""
    combined_code: str | None = None
    """Issue code for a cell naming several allowed values at once (``"人大代表、政协委员"``):
    ``"ambiguous_group"`` for survey groups; ``None`` reports such a cell as
    ``unknown_value``."""

    def __attrs_post_init__(self) -> None:
        """Reject two values claiming the same text."""
        _ = self.table

    @classmethod
    def from_vocabulary(
        cls,
        name: str,
        *,
        hints: Mapping[str, str] | None = None,
        combined_code: str | None = None,
    ) -> EnumSpec:
        """Return the enum of one of eduequity's vocabularies, with its Chinese labels.

        Parameters
        ----------
        name
            The vocabulary, e.g. ``"school_types"``, ``"locations"``, ``"respondent_groups"``
            or ``"register_statuses"``.
        hints, combined_code
            As the fields of the same names.

        Examples
        --------
        >>> EnumSpec.from_vocabulary("locations").table["县镇"]
        'town'
        """
        terms = vocabulary(name).terms
        return cls(
            values=tuple(
                EnumValue(value=term.code, aliases=term.aliases, codes=term.codes) for term in terms
            ),
            hints=hints or {},
            combined_code=combined_code,
        )

    @cached_property
    def table(self) -> Mapping[str, str]:
        """Matching form of every accepted text and code → canonical value."""
        table: dict[str, str] = {}
        for item in self.values:
            for text in (item.value, *item.aliases, *item.codes):
                key = normalize_key(text)
                if table.get(key, item.value) != item.value:
                    msg = f"enum text {text!r} is claimed by {table[key]!r} and {item.value!r}"
                    raise InvalidArgumentError(msg, code="schema_error")
                table[key] = item.value
        return MappingProxyType(table)

    @property
    def canonical(self) -> tuple[str, ...]:
        """The canonical values."""
        return tuple(item.value for item in self.values)

    def allowed(self) -> str:
        """Return the allowed values with their aliases and codes, for messages."""
        return "; ".join(item.describe() for item in self.values)

    def hint(self, text: str) -> str | None:
        """Return the advice registered for a rejected text, if any."""
        wanted = normalize_key(text)
        for key, advice in self.hints.items():
            if normalize_key(key) == wanted:
                return advice
        return None


def _default_minimum(spec: ColumnSpec) -> Decimal | None:
    return Decimal(0) if spec.kind in {"count", "integer", "decimal", "rate"} else None


def _default_maximum(spec: ColumnSpec) -> Decimal | None:
    return Decimal(1) if spec.kind == "rate" else None


def _default_range_code(spec: ColumnSpec) -> str:
    return _DEFAULT_RANGE_CODE.get(spec.kind, "negative_value")


@attrs.frozen(kw_only=True)
class ColumnSpec:
    """One column of an input table: what it holds and which headers name it.

    Examples
    --------
    >>> spec = ColumnSpec(name="students_primary", kind="count", unit="pupils",
    ...                   required=True, aliases=("小学在校生数",))
    >>> spec.minimum, spec.range_code
    (Decimal('0'), 'negative_value')
    """

    name: str
    """Canonical snake_case name, e.g. ``"students_primary"``."""
    kind: ColumnKind
    """What the column holds; see :data:`ColumnKind`."""
    unit: str | None = None
    """Canonical unit (``"pupils"``, ``"m2"``, ``"yuan"``, ``"fraction"``, ...) or None."""
    required: bool = False
    """Whether the column must be present (error ``missing_required_column``)."""
    cell_required: bool = False
    """Whether every row needs a value (error ``missing_value``)."""
    aliases: tuple[str, ...] = ()
    """Accepted source headers besides the canonical name (Chinese headers)."""
    enum: EnumSpec | None = None
    """Allowed values of an ``enum`` column."""
    identifier: bool = False
    """For ``string`` columns: an identifier (folded, spaces removed, leading zeros kept)."""
    minimum: Decimal | None = attrs.field(default=attrs.Factory(_default_minimum, takes_self=True))
    """Smallest allowed value of a numeric column (0 for counts, decimals and rates)."""
    maximum: Decimal | None = attrs.field(default=attrs.Factory(_default_maximum, takes_self=True))
    """Largest allowed value (1 for rates)."""
    minimum_exclusive: bool = False
    """Whether the minimum itself is excluded (weights must be > 0)."""
    range_code: str = attrs.field(default=attrs.Factory(_default_range_code, takes_self=True))
    """Issue code for a value outside [minimum, maximum]."""
    invalid_code: str | None = None
    """Issue code replacing ``not_a_number`` and ``non_integer_count`` (e.g. ``invalid_weight``)."""
    description: str = ""
    """What the column means, with its Chinese term."""

    def __attrs_post_init__(self) -> None:
        """Check the spec is coherent."""
        if (self.kind == "enum") != (self.enum is not None):
            msg = f"column {self.name}: an enum spec is needed exactly for kind 'enum'"
            raise InvalidArgumentError(msg, code="schema_error")

    @property
    def numeric(self) -> bool:
        """Whether the column is stored as float64."""
        return self.kind in NUMERIC_KINDS

    @property
    def headers(self) -> tuple[str, ...]:
        """Every accepted header: the canonical name first, then the aliases."""
        return (self.name, *self.aliases)


Check = Callable[["TableContext"], None]
"""A table-level check or preparation step; it records issues on the context."""


@attrs.frozen(kw_only=True)
class TableSchema:
    """An input table: its columns and the checks that follow cell parsing."""

    name: str
    """Table name used in issues, e.g. ``"schools"``."""
    title: str
    """Human title with its specification section."""
    columns: tuple[ColumnSpec, ...]
    """The columns, in output order."""
    key_columns: tuple[str, ...] = ()
    """Columns rendered as the row key in messages, e.g. ``("school_id",)``."""
    strict_codes: frozenset[str] = frozenset()
    """Warning codes promoted to errors under ``strict=True`` (marked *strict* in §6)."""
    prepare: tuple[Check, ...] = ()
    """Steps run after parsing and before the checks (derivations, row selection)."""
    checks: tuple[Check, ...] = ()
    """Row-level and cross-row checks."""

    def __attrs_post_init__(self) -> None:
        """Reject duplicate names and headers claimed by two columns."""
        _ = self.header_table

    @cached_property
    def by_name(self) -> Mapping[str, ColumnSpec]:
        """Canonical name → column spec."""
        table: dict[str, ColumnSpec] = {}
        for spec in self.columns:
            if spec.name in table:
                msg = f"schema {self.name}: column {spec.name} is declared twice"
                raise InvalidArgumentError(msg, code="schema_error")
            table[spec.name] = spec
        return MappingProxyType(table)

    @cached_property
    def header_table(self) -> Mapping[str, str]:
        """Normalised header → canonical column name."""
        table: dict[str, str] = {}
        for spec in self.by_name.values():
            for header in spec.headers:
                key = normalize_header(header)
                if table.get(key, spec.name) != spec.name:
                    msg = (
                        f"schema {self.name}: header {header!r} is claimed by "
                        f"{table[key]} and {spec.name}"
                    )
                    raise InvalidArgumentError(msg, code="schema_error")
                table[key] = spec.name
        return MappingProxyType(table)

    def column(self, name: str) -> ColumnSpec:
        """Return the spec of a canonical column."""
        return self.by_name[name]
