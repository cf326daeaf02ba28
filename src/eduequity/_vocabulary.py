"""The vocabulary of the method, read once from package data (private, a shared foundation).

Every identifier eduequity uses for a category (school types and the stages they hold,
stages, locations, ownership, respondent groups, questionnaires, survey components,
monitoring levels and subjects, register statuses, programs and unit kinds, checklist
statuses) and every county fact field is defined once, in ``_vocabulary.json``, with its
Chinese name and the labels accepted for it in input tables. The readers in
:mod:`eduequity.io`, the method in :mod:`eduequity.national`, :mod:`eduequity.city`,
:mod:`eduequity.checklist` and the reports all read it from here; none writes the words down
again. :mod:`eduequity.core` computes on codes; where its public functions still accept
Chinese labels, the label-to-code table comes from here too.

Any layer may import this module: it imports nothing of eduequity but the error classes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Final

import attrs

from eduequity.errors import InvalidArgumentError

_RESOURCE: Final = "_vocabulary.json"

NAMES: Final = (
    "school_types",
    "stages",
    "locations",
    "ownership",
    "respondent_groups",
    "questionnaires",
    "survey_components",
    "monitoring_levels",
    "subjects",
    "register_statuses",
    "programs",
    "unit_kinds",
    "checklist_statuses",
    "rule_sections",
)
"""The vocabularies of ``_vocabulary.json`` besides the fact fields."""


def _frozen_properties(value: Mapping[str, object]) -> Mapping[str, object]:
    return MappingProxyType(dict(value))


def _frozen_lists(value: Mapping[str, tuple[str, ...]]) -> Mapping[str, tuple[str, ...]]:
    return MappingProxyType(dict(value))


@attrs.frozen(kw_only=True)
class Term:
    """One identifier of a vocabulary with its Chinese name and accepted labels."""

    code: str
    """The identifier used in canonical tables and results, e.g. ``"nine_year"``."""
    zh: str
    """The Chinese name shown beside the code, e.g. ``"九年一贯制学校"``."""
    aliases: tuple[str, ...] = ()
    """Labels accepted for the term in input tables besides the code itself."""
    codes: tuple[str, ...] = ()
    """Statistical codes accepted for it (办学类型 or 城乡分类 codes, level numbers)."""
    properties: Mapping[str, object] = attrs.field(factory=dict, converter=_frozen_properties)
    """Further facts of this vocabulary's terms (a school type's stages, a status's rank)."""


@attrs.frozen(kw_only=True)
class Vocabulary:
    """The terms of one vocabulary, in their canonical order."""

    name: str
    """Key in ``_vocabulary.json``, e.g. ``"school_types"``."""
    terms: tuple[Term, ...]
    """The terms in canonical order."""
    source: str = ""
    """Where the terms come from."""
    extra: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict, converter=_frozen_lists)
    """Further label lists of the vocabulary (e.g. school-type labels that are not compulsory)."""

    @property
    def codes(self) -> tuple[str, ...]:
        """The identifiers in canonical order."""
        return tuple(term.code for term in self.terms)

    @property
    def labels(self) -> Mapping[str, str]:
        """Code -> Chinese name, in canonical order."""
        return MappingProxyType({term.code: term.zh for term in self.terms})

    @property
    def aliases(self) -> Mapping[str, str]:
        """Accepted label -> code, every alias of every term."""
        return MappingProxyType({alias: term.code for term in self.terms for alias in term.aliases})

    def term(self, code: str) -> Term:
        """Return the term ``code``; :class:`InvalidArgumentError` when there is none."""
        for term in self.terms:
            if term.code == code:
                return term
        msg = f"{self.name}: {code!r} is not one of {', '.join(self.codes)}"
        raise InvalidArgumentError(msg, code="unknown_value")

    def where(self, name: str, value: object = True) -> tuple[str, ...]:
        """Return the codes whose property ``name`` equals ``value``, in canonical order."""
        return tuple(term.code for term in self.terms if term.properties.get(name) == value)

    def strings(self, name: str) -> Mapping[str, tuple[str, ...]]:
        """Return code -> the list property ``name`` as a tuple of strings."""
        return MappingProxyType(
            {
                term.code: tuple(str(item) for item in _as_list(term.properties.get(name)))
                for term in self.terms
            }
        )

    def ranks(self, name: str) -> Mapping[str, int]:
        """Return code -> integer property ``name`` for the terms that have one."""
        return MappingProxyType(
            {
                term.code: int(rank)
                for term in self.terms
                if isinstance(rank := term.properties.get(name), int)
            }
        )


@attrs.frozen(kw_only=True)
class FactField:
    """One field of the county-facts table with its kind, unit and Chinese headers."""

    name: str
    """Canonical column name, e.g. ``"teacher_rotation"``."""
    kind: str
    """Column kind of :class:`eduequity.io.ColumnSpec` (``"bool"``, ``"rate"``, ...)."""
    unit: str | None
    """Unit of the values, ``None`` for flags and dates."""
    aliases: tuple[str, ...]
    """Chinese headers accepted for the column."""
    declared: bool = False
    """Whether the field is a declared yes/no item that needs ``<field>_evidence``."""


def _as_list(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []


@cache
def _data() -> Mapping[str, object]:
    text = resources.files("eduequity").joinpath(_RESOURCE).read_text(encoding="utf-8")
    loaded: dict[str, object] = json.loads(text)
    return MappingProxyType(loaded)


def _term(raw: Mapping[str, object]) -> Term:
    fixed = {"code", "zh", "aliases", "codes"}
    return Term(
        code=str(raw["code"]),
        zh=str(raw["zh"]),
        aliases=tuple(str(alias) for alias in _as_list(raw.get("aliases"))),
        codes=tuple(str(code) for code in _as_list(raw.get("codes"))),
        properties={key: value for key, value in raw.items() if key not in fixed},
    )


@cache
def vocabulary(name: str) -> Vocabulary:
    """Return the vocabulary ``name`` (one of :data:`NAMES`), read once and cached."""
    if name not in NAMES:
        msg = f"unknown vocabulary {name!r}; expected one of {', '.join(NAMES)}"
        raise InvalidArgumentError(msg, code="unknown_value")
    raw = _data()[name]
    assert isinstance(raw, dict)  # noqa: S101 - the package's own data file
    extra = {
        key: tuple(str(item) for item in value)
        for key, value in raw.items()
        if key not in {"terms", "source"} and isinstance(value, list)
    }
    return Vocabulary(
        name=name,
        terms=tuple(_term(term) for term in raw["terms"]),
        source=str(raw.get("source", "")),
        extra=extra,
    )


@cache
def fact_fields() -> tuple[FactField, ...]:
    """Return the county fact fields in table order, read once and cached."""
    raw = _data()["fact_fields"]
    assert isinstance(raw, dict)  # noqa: S101 - the package's own data file
    return tuple(
        FactField(
            name=str(field["name"]),
            kind=str(field["kind"]),
            unit=None if field.get("unit") is None else str(field["unit"]),
            aliases=tuple(str(alias) for alias in field["aliases"]),
            declared=bool(field.get("declared", False)),
        )
        for field in raw["fields"]
    )


def section_title(section: str) -> tuple[str, str]:
    """Return the (Chinese, English) title of a rule-set key section, e.g. ``"cv"``.

    A section without a title is shown under its own name in both languages.
    """
    sections = vocabulary("rule_sections")
    if section not in sections.codes:
        return section, section
    term = sections.term(section)
    return term.zh, str(term.properties.get("en", section))
