"""The 2021 creation notice as data: conditions, basic tasks and the 攻坚清单 (catalogue).

《教育部办公厅关于开展县域义务教育优质均衡创建工作的通知》 (2021-11-25) asks every creating
county (创建县) to meet three selection conditions (遴选条件 S1–S3), to achieve four basic
tasks (基本任务 T1–T4) and to work on a checklist of 20 hard problems (攻坚清单 A1–E2) in five
areas. This module ships that structure as versioned package data
(``data/cn_moe_2021_creation.json``, catalogue id ``cn_moe_2021_creation``) and reads it once
into immutable objects:

- :data:`CREATION_CHECKLIST_2021`, the :class:`ChecklistCatalogue` of the notice;
- :class:`ChecklistItem` for every condition, task and item (code, id, area, Chinese text,
  English paraphrase, deliverable kind, evidence links, clause of the notice);
- :class:`ChecklistArea`, :class:`DeliverableKind`, :class:`FormField` (推荐表),
  :class:`CatalogueSource` and :class:`CatalogueParameters` (deadline, 3–5 counties per
  province, the 3-year basic-balance condition), each parameter with its clause.

The Chinese wording is the notice's (seed 002); punctuation is written in full-width forms.
The deliverable kinds and evidence links are a library classification
(docs: The creation checklist and city aggregation, The creation checklist), which only sets the
default evidence expectation.

Examples
--------
>>> from eduequity.checklist import CREATION_CHECKLIST_2021 as catalogue
>>> len(catalogue.basic_tasks), len(catalogue.tough_items), len(catalogue.areas)
(4, 20, 5)
>>> item = catalogue.item("A1")
>>> item.id, item.area, item.kind, item.text_zh
('rural_school_layout_model', 'school_planning', 'mechanism', '建立合理布局农村学校的有效模式')
>>> catalogue.item("rotation_policy").code
'C3'
>>> str(catalogue.parameters.first_batch_deadline), catalogue.parameters.province_count_range
('2021-12-10', (3, 5))
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from collections.abc import Mapping
from decimal import Decimal
from functools import cache, cached_property
from importlib import resources
from types import MappingProxyType
from typing import Any, Final, Literal, TypeAlias

import attrs
import pandas as pd

from eduequity._serialize import Record, attrs_to_dict
from eduequity._typing import JSONValue
from eduequity.errors import InvalidArgumentError, InvalidTypeError, RuleSetError

__all__ = [
    "CATALOGUE_IDS",
    "CREATION_CHECKLIST_2021",
    "CatalogueParameters",
    "CatalogueSource",
    "ChecklistArea",
    "ChecklistCatalogue",
    "ChecklistItem",
    "DeliverableKind",
    "EvidenceLink",
    "FormField",
    "ItemKind",
    "ParameterSource",
    "Section",
    "load_catalogue",
]

ItemKind: TypeAlias = Literal["policy", "mechanism", "exploration"]
"""Deliverable kind of a checklist item (a library classification, docs: The creation checklist and
city aggregation, The creation checklist): ``policy`` a document is issued (出台 / 制订
…办法、标准、制度措施); ``mechanism`` a working mechanism is built and run (建立 / 健全
…机制、制度); ``exploration`` effective paths, models or experience are explored and written up
(探索 / 完善 …途径、模式、经验、办法)."""

Section: TypeAlias = Literal["condition", "basic_task", "checklist"]
"""Part of the notice an entry belongs to: selection condition (遴选条件, S1–S3), basic task
(基本任务, T1–T4) or checklist item (攻坚清单, A1–E2)."""

CATALOGUE_IDS: Final[tuple[str, ...]] = ("cn_moe_2021_creation",)
"""Identifiers of the shipped catalogues (files ``data/<id>.json`` of this package)."""

_SECTIONS: Final[tuple[Section, ...]] = ("condition", "basic_task", "checklist")
_KINDS: Final[frozenset[str]] = frozenset({"policy", "mechanism", "exploration"})


def _freeze(value: Mapping[str, Any]) -> Mapping[str, Any]:
    """Return a read-only copy of a mapping (attrs converter)."""
    return MappingProxyType(dict(value))


def require_catalogue(value: object) -> ChecklistCatalogue:
    """Return ``value`` if it is a :class:`ChecklistCatalogue`, else raise ``InvalidTypeError``."""
    if not isinstance(value, ChecklistCatalogue):
        msg = f"catalogue must be a ChecklistCatalogue, got {type(value).__name__}"
        raise InvalidTypeError(msg, code="invalid_argument")
    return value


def _matching_key(text: str) -> str:
    """Return the form used to match codes and ids: NFKC-folded, no spaces, case-folded."""
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


@attrs.frozen(kw_only=True)
class EvidenceLink(Record):
    """A library result that can supply evidence for an entry (the "links" column)."""

    code: str
    """Display code of the indicator or part, e.g. ``"G11"`` or ``"Part 4"``."""
    id: str
    """Stable snake_case id of the indicator or part, e.g. ``"teacher_rotation"``."""
    note_en: str = ""
    """What the link supplies, when the id alone does not say it."""


@attrs.frozen(kw_only=True)
class ChecklistItem(Record):
    """One entry of the notice: a selection condition, a basic task or a checklist item.

    Examples
    --------
    >>> from eduequity.checklist import CREATION_CHECKLIST_2021
    >>> task = CREATION_CHECKLIST_2021.item("T4")
    >>> task.section, task.area, task.text_zh, [link.code for link in task.links]
    ('basic_task', None, '提供更高质量的教育服务', ['Part 4', 'Q8'])
    """

    code: str
    """Display code: ``S1``–``S3``, ``T1``–``T4``, or area letter and position (``A1``–``E2``)."""
    id: str
    """Stable snake_case id, e.g. ``"rural_school_layout_model"``; unique in the catalogue."""
    section: Section
    """``"condition"``, ``"basic_task"`` or ``"checklist"``."""
    area: str | None
    """Area id of a checklist item (e.g. ``"school_planning"``); None for conditions and tasks."""
    kind: ItemKind | None
    """Deliverable kind of a checklist item; None for conditions and tasks."""
    text_zh: str
    """The Chinese wording of the notice: the item itself, the task's title, or the full
    condition clause."""
    text_en: str
    """English paraphrase."""
    title_zh: str
    """Short Chinese title (the task title; a key phrase of a condition; the item text)."""
    detail_zh: str = ""
    """The notice's paragraph under a basic task (empty for other entries)."""
    clause: str
    """Where it stands in the notice, e.g. ``"三、（二）1"``."""
    input: str = ""
    """For conditions: where the library reads the condition from."""
    links: tuple[EvidenceLink, ...] = ()
    """Library results that can supply evidence automatically."""

    @property
    def deselectable(self) -> bool:
        """Whether a county may leave the entry unselected (checklist items only)."""
        return self.section == "checklist"


@attrs.frozen(kw_only=True)
class ChecklistArea(Record):
    """One of the five areas of the 攻坚清单."""

    code: str
    """Area letter in the notice's order, ``"A"``–``"E"``."""
    id: str
    """Stable snake_case id, e.g. ``"school_planning"``."""
    title_zh: str
    """Chinese title, e.g. ``"科学规划建设学校"``."""
    title_en: str
    """English paraphrase of the title."""
    clause: str
    """Where it stands in the notice, e.g. ``"三、（二）1"``."""
    item_ids: tuple[str, ...]
    """Ids of its items, in the notice's order."""


@attrs.frozen(kw_only=True)
class DeliverableKind(Record):
    """A deliverable kind and the evidence it is expected to carry."""

    id: ItemKind
    """``"policy"``, ``"mechanism"`` or ``"exploration"``."""
    title_zh: str
    """Chinese label, e.g. ``"制度文件"``."""
    title_en: str
    """English label."""
    evidence_zh: str
    """Default evidence expectation, in Chinese."""
    evidence_en: str
    """Default evidence expectation, in English."""


@attrs.frozen(kw_only=True)
class FormField(Record):
    """One field of the recommendation form (推荐表)."""

    number: int
    """Position on the form, 1–15."""
    ids: tuple[str, ...]
    """Field ids, e.g. ``("lead_official_name", "lead_official_phone")``."""
    label_zh: str
    """Chinese label as printed on the form."""
    type: str
    """``"text"``, ``"int"``, ``"year"`` or ``"text, bool"`` (opinion and seal)."""
    derivable_from: str
    """Where the value can come from (register, school table, user)."""
    personal: bool
    """Whether the field holds personal data (redacted in shared exports)."""


@attrs.frozen(kw_only=True)
class CatalogueSource(Record):
    """The document a catalogue transcribes."""

    title_zh: str
    """Chinese title of the document."""
    title_en: str
    """English title."""
    issuer_zh: str
    """Issuing body, in Chinese (教育部办公厅)."""
    issuer_en: str
    """Issuing body, in English."""
    number: str | None
    """Document number (文号) when known; None for the 2021 notice, whose repost omits it."""
    date: dt.date
    """Date on the document."""
    reposted: dt.date | None
    """Date of the repost the text was taken from."""
    reposted_by: str
    """Who reposted it."""
    urls: tuple[str, ...]
    """Public copies and reports."""
    seed: str
    """The source text beside the specification (``seeds/...``)."""
    tag: str
    """Confidence tag of the transcription (``"V"``: verified against the text)."""

    def render(self) -> str:
        """Return ``"《title》 (issuer, date)"``."""
        number = f" {self.number}" if self.number else ""
        return f"《{self.title_zh}》{number} ({self.issuer_zh}, {self.date.isoformat()})"


@attrs.frozen(kw_only=True)
class ParameterSource(Record):
    """Provenance of one catalogue parameter."""

    clause: str
    """The clause of the notice (or specification section) that sets the value."""
    tag: str
    """Confidence tag (``"V"``, ``"S"`` or ``"M"``)."""
    note: str = ""
    """Reading notes."""


@attrs.frozen(kw_only=True)
class CatalogueParameters:
    """Numbers and dates of the notice, each with its clause in :attr:`sources`."""

    first_batch_deadline: dt.date
    """Provinces send the recommendation forms to the MOE by this date (2021-12-10)."""
    first_batch_reference_year: int
    """Reference year of condition S2 for the first batch (2021) [year]."""
    province_count_min: int
    """Fewest counties a province may recommend in the first batch (3)."""
    province_count_max: int
    """Most counties a province may recommend in the first batch (5)."""
    basic_balance_min_years: int
    """S2(a): years since the basic-balance recognition, at least (3) [years]."""
    creation_period_min_years: int
    """Shortest creation period named by the notice (3) [years]."""
    creation_period_max_years: int
    """Longest creation period named by the notice (5) [years]."""
    target_year: int
    """Year by which quality balance is to be reached everywhere (2035)."""
    social_recognition_min: Decimal
    """Social recognition named in task T4, at least (0.85) [fraction]."""
    sources: Mapping[str, ParameterSource] = attrs.field(converter=_freeze)
    """Parameter name → its clause, tag and notes."""

    @property
    def province_count_range(self) -> tuple[int, int]:
        """``(province_count_min, province_count_max)``."""
        return (self.province_count_min, self.province_count_max)

    def to_dict(self) -> dict[str, JSONValue]:
        """Return a JSON-safe mapping; ``social_recognition_min`` as its decimal text."""
        result = attrs_to_dict(self)
        result["social_recognition_min"] = str(self.social_recognition_min)
        return result


@attrs.frozen(kw_only=True, repr=False)
class ChecklistCatalogue:
    """A versioned catalogue of creation conditions, tasks and checklist items.

    Entries are found by code or id with :meth:`item`; codes and ids are unique across the
    whole catalogue (docs: The creation checklist and city aggregation, The creation checklist,
    point 1).

    Examples
    --------
    >>> from eduequity.checklist import CREATION_CHECKLIST_2021 as catalogue
    >>> [(area.code, area.id, len(area.item_ids)) for area in catalogue.areas]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('A', 'school_planning', 4), ('B', 'balance_mechanisms', 4),
     ('C', 'teacher_allocation', 3), ('D', 'teaching_management', 7),
     ('E', 'student_care', 2)]
    >>> catalogue.item("X9")
    Traceback (most recent call last):
    ...
    eduequity.errors.InvalidArgumentError: 'X9' is not an entry of catalogue
    cn_moe_2021_creation; expected a code (S1–S3, T1–T4, A1–E2), its snake_case id or its
    Chinese text, e.g. 'A1' or 'rural_school_layout_model'
    """

    id: str
    """Catalogue id, e.g. ``"cn_moe_2021_creation"``."""
    version: str
    """Version of the transcription (semantic versioning)."""
    title_zh: str
    """Chinese title."""
    title_en: str
    """English title."""
    note: str
    """Transcription notes."""
    source: CatalogueSource
    """The document transcribed."""
    parameters: CatalogueParameters
    """Deadline, county counts and year arithmetic of the notice."""
    kinds: tuple[DeliverableKind, ...]
    """Deliverable kinds with their evidence expectations."""
    areas: tuple[ChecklistArea, ...]
    """The five areas of the checklist, in the notice's order."""
    conditions: tuple[ChecklistItem, ...]
    """Selection conditions S1–S3 (遴选条件)."""
    basic_tasks: tuple[ChecklistItem, ...]
    """Basic tasks T1–T4 (基本任务)."""
    tough_items: tuple[ChecklistItem, ...]
    """Checklist items A1–E2 (攻坚清单)."""
    form_fields: tuple[FormField, ...]
    """Fields of the recommendation form (推荐表), in the form's order."""
    form_example: Mapping[str, JSONValue] = attrs.field(converter=_freeze)
    """The form as filled in by the example county of the source, when it shows one."""

    def __repr__(self) -> str:
        # Short: the catalogue is the default of several functions, and its full repr (20 kB)
        # would fill their signatures in help().
        return (
            f"ChecklistCatalogue(id={self.id!r}, version={self.version!r}, "
            f"entries={len(self.items)})"
        )

    def __attrs_post_init__(self) -> None:
        """Check codes and ids are unique and every item belongs to a declared area."""
        _ = self._lookup
        area_ids = {area.id for area in self.areas}
        for entry in self.tough_items:
            if entry.area not in area_ids:
                msg = f"catalogue {self.id}: item {entry.code} names unknown area {entry.area!r}"
                raise RuleSetError(msg, code="catalogue_error")

    @property
    def items(self) -> tuple[ChecklistItem, ...]:
        """Every entry: conditions, then basic tasks, then checklist items."""
        return (*self.conditions, *self.basic_tasks, *self.tough_items)

    @cached_property
    def _lookup(self) -> Mapping[str, ChecklistItem]:
        table: dict[str, ChecklistItem] = {}
        for entry in self.items:
            for key in dict.fromkeys((entry.code, entry.id, entry.text_zh, entry.title_zh)):
                folded = _matching_key(key)
                if folded in table:
                    msg = f"catalogue {self.id}: code, id or text {key!r} is used twice"
                    raise RuleSetError(msg, code="catalogue_error")
                table[folded] = entry
        return MappingProxyType(table)

    def find(self, key: str) -> ChecklistItem | None:
        """Return the entry with code, id or Chinese text ``key``, or None.

        Spaces, full-width forms (``Ａ１``, ``，``) and letter case are ignored.
        """
        return self._lookup.get(_matching_key(key))

    def item(self, key: str) -> ChecklistItem:
        """Return the entry with code or id ``key``.

        Parameters
        ----------
        key
            A code (``"A1"``, ``"t3"``), a snake_case id (``"rotation_policy"``) or the
            entry's Chinese text (``"制订课堂教学基本规程"``).

        Raises
        ------
        InvalidArgumentError
            With code ``unknown_item`` when no entry has that code or id.
        """
        entry = self.find(key) if isinstance(key, str) else None
        if entry is None:
            msg = f"{key!r} is not an entry of catalogue {self.id}; {self.expected_keys()}"
            raise InvalidArgumentError(msg, code="unknown_item")
        return entry

    def expected_keys(self) -> str:
        """Describe the accepted codes, for messages."""
        ranges = ", ".join(
            f"{group[0].code}–{group[-1].code}"
            for group in (self.conditions, self.basic_tasks, self.tough_items)
            if group
        )
        example = self.tough_items[0] if self.tough_items else self.items[0]
        return (
            f"expected a code ({ranges}), its snake_case id or its Chinese text, "
            f"e.g. {example.code!r} or {example.id!r}"
        )

    def area(self, key: str) -> ChecklistArea:
        """Return the area with letter or id ``key``.

        Raises
        ------
        InvalidArgumentError
            With code ``unknown_area`` when no area has that letter or id.
        """
        wanted = _matching_key(key)
        for area in self.areas:
            if wanted in {_matching_key(area.code), _matching_key(area.id)}:
                return area
        allowed = ", ".join(f"{area.code} ({area.id})" for area in self.areas)
        msg = f"{key!r} is not an area of catalogue {self.id}; allowed: {allowed}"
        raise InvalidArgumentError(msg, code="unknown_area")

    def kind(self, kind: str) -> DeliverableKind:
        """Return the deliverable kind ``kind`` (``"policy"``, ``"mechanism"``, ...)."""
        for entry in self.kinds:
            if entry.id == kind:
                return entry
        allowed = ", ".join(entry.id for entry in self.kinds)
        msg = f"{kind!r} is not a deliverable kind; allowed: {allowed}"
        raise InvalidArgumentError(msg, code="unknown_value")

    def identity(self) -> dict[str, JSONValue]:
        """Return what results embed: ``id``, ``version`` and the source's title and date."""
        return {
            "id": self.id,
            "version": self.version,
            "source": self.source.title_zh,
            "source_date": self.source.date.isoformat(),
        }

    def to_frame(self) -> pd.DataFrame:
        """Return one row per entry (conditions, tasks, items) in catalogue order.

        Columns: ``section``, ``code``, ``id``, ``area``, ``area_code``, ``kind``,
        ``text_zh``, ``text_en``, ``clause``, ``links`` (codes joined by ``", "``), ``order``.
        """
        return self._frame.copy()

    @cached_property
    def _frame(self) -> pd.DataFrame:
        area_codes = {area.id: area.code for area in self.areas}
        rows = [
            {
                "section": entry.section,
                "code": entry.code,
                "id": entry.id,
                "area": entry.area,
                "area_code": None if entry.area is None else area_codes[entry.area],
                "kind": entry.kind,
                "text_zh": entry.text_zh,
                "text_en": entry.text_en,
                "clause": entry.clause,
                "links": ", ".join(link.code for link in entry.links),
                "order": position,
            }
            for position, entry in enumerate(self.items)
        ]
        return pd.DataFrame(rows).astype({"order": "int64"})

    def to_dict(self) -> dict[str, JSONValue]:
        """Return a JSON-safe mapping of the whole catalogue."""
        result = attrs_to_dict(self)
        result["parameters"] = self.parameters.to_dict()
        return result

    def to_text(self) -> str:
        """Return a bilingual listing of the conditions, tasks and items."""
        lines = [
            f"{self.id} (version {self.version})",
            f"  {self.title_zh}",
            f"  {self.title_en}",
            f"  source: {self.source.render()}",
            "",
            "[conditions] 遴选条件 · Selection conditions",
        ]
        lines.extend(f"  {entry.code} {entry.title_zh} · {entry.id}" for entry in self.conditions)
        lines.extend(("", "[basic_tasks] 基本任务 · Basic tasks"))
        lines.extend(f"  {entry.code} {entry.text_zh} · {entry.id}" for entry in self.basic_tasks)
        lines.extend(("", "[checklist] 攻坚清单 · Checklist of hard problems"))
        for area in self.areas:
            lines.append(f"  {area.code} {area.title_zh} · {area.title_en}")
            lines.extend(
                f"    {entry.code} {entry.text_zh} · {entry.id} ({entry.kind})"
                for entry in self.tough_items
                if entry.area == area.id
            )
        return "\n".join(lines) + "\n"

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ChecklistCatalogue:
        """Build a catalogue from its JSON form (the layout of ``data/*.json``).

        Raises
        ------
        RuleSetError
            With code ``catalogue_error`` when a field is missing or malformed.
        """
        name = str(data.get("id", "<unnamed>"))
        try:
            return _build(data)
        except (KeyError, TypeError, ValueError) as error:
            if isinstance(error, RuleSetError):
                raise
            msg = f"catalogue {name} is malformed: {error!r}"
            raise RuleSetError(msg, code="catalogue_error") from error


def _links(raw: Any) -> tuple[EvidenceLink, ...]:  # noqa: ANN401 - parsed JSON
    return tuple(
        EvidenceLink(code=link["code"], id=link["id"], note_en=link.get("note_en", ""))
        for link in raw
    )


def _entry(raw: Mapping[str, Any], section: Section) -> ChecklistItem:
    kind = raw.get("kind")
    if section == "checklist" and kind not in _KINDS:
        msg = f"item {raw['code']}: kind {kind!r} is not one of {sorted(_KINDS)}"
        raise RuleSetError(msg, code="catalogue_error")
    return ChecklistItem(
        code=raw["code"],
        id=raw["id"],
        section=section,
        area=raw.get("area") if section == "checklist" else None,
        kind=kind if section == "checklist" else None,
        text_zh=raw["text_zh"],
        text_en=raw["text_en"],
        title_zh=raw.get("title_zh", raw["text_zh"]),
        detail_zh=raw.get("detail_zh", ""),
        clause=raw.get("clause", ""),
        input=raw.get("input", ""),
        links=_links(raw.get("links", ())),
    )


def _parameters(raw: Mapping[str, Any]) -> CatalogueParameters:
    sources = {
        key: ParameterSource(clause=value["clause"], tag=value["tag"], note=value.get("note", ""))
        for key, value in raw.items()
    }

    def value(key: str) -> Any:  # noqa: ANN401 - parsed JSON
        return raw[key]["value"]

    return CatalogueParameters(
        first_batch_deadline=dt.date.fromisoformat(value("first_batch_deadline")),
        first_batch_reference_year=int(value("first_batch_reference_year")),
        province_count_min=int(value("province_count_min")),
        province_count_max=int(value("province_count_max")),
        basic_balance_min_years=int(value("basic_balance_min_years")),
        creation_period_min_years=int(value("creation_period_min_years")),
        creation_period_max_years=int(value("creation_period_max_years")),
        target_year=int(value("target_year")),
        social_recognition_min=Decimal(str(value("social_recognition_min"))),
        sources=sources,
    )


def _build(data: Mapping[str, Any]) -> ChecklistCatalogue:
    source = data["source"]
    tough = tuple(_entry(raw, "checklist") for raw in data["items"])
    areas = tuple(
        ChecklistArea(
            code=raw["code"],
            id=raw["id"],
            title_zh=raw["title_zh"],
            title_en=raw["title_en"],
            clause=raw.get("clause", ""),
            item_ids=tuple(entry.id for entry in tough if entry.area == raw["id"]),
        )
        for raw in data["areas"]
    )
    reposted = source.get("reposted")
    return ChecklistCatalogue(
        id=data["id"],
        version=data["version"],
        title_zh=data["title_zh"],
        title_en=data["title_en"],
        note=data.get("note", ""),
        source=CatalogueSource(
            title_zh=source["title_zh"],
            title_en=source["title_en"],
            issuer_zh=source["issuer_zh"],
            issuer_en=source["issuer_en"],
            number=source.get("number"),
            date=dt.date.fromisoformat(source["date"]),
            reposted=None if reposted is None else dt.date.fromisoformat(reposted),
            reposted_by=source.get("reposted_by", ""),
            urls=tuple(source.get("urls", ())),
            seed=source.get("seed", ""),
            tag=source["tag"],
        ),
        parameters=_parameters(data["parameters"]),
        kinds=tuple(
            DeliverableKind(
                id=raw["id"],
                title_zh=raw["title_zh"],
                title_en=raw["title_en"],
                evidence_zh=raw["evidence_zh"],
                evidence_en=raw["evidence_en"],
            )
            for raw in data["kinds"]
        ),
        areas=areas,
        conditions=tuple(_entry(raw, "condition") for raw in data["conditions"]),
        basic_tasks=tuple(_entry(raw, "basic_task") for raw in data["basic_tasks"]),
        tough_items=tough,
        form_fields=tuple(
            FormField(
                number=int(raw["number"]),
                ids=tuple(raw["ids"]),
                label_zh=raw["label_zh"],
                type=raw["type"],
                derivable_from=raw["derivable_from"],
                personal=bool(raw["personal"]),
            )
            for raw in data["form_fields"]
        ),
        form_example=dict(data.get("form_example", {})),
    )


def load_catalogue(catalogue_id: str = "cn_moe_2021_creation") -> ChecklistCatalogue:
    """Return a shipped catalogue, read once from the package data.

    Parameters
    ----------
    catalogue_id
        One of :data:`CATALOGUE_IDS`.

    Returns
    -------
    ChecklistCatalogue
        The immutable catalogue.

    Raises
    ------
    InvalidArgumentError
        With code ``unknown_catalogue`` for an id that is not shipped.

    Examples
    --------
    >>> load_catalogue().version
    '1.0.0'
    """
    if catalogue_id not in CATALOGUE_IDS:
        msg = (
            f"{catalogue_id!r} is not a shipped checklist catalogue; "
            f"available: {', '.join(CATALOGUE_IDS)}"
        )
        raise InvalidArgumentError(msg, code="unknown_catalogue")
    return _load(catalogue_id)


@cache
def _load(catalogue_id: str) -> ChecklistCatalogue:
    text = (
        resources.files("eduequity.checklist")
        .joinpath("data", f"{catalogue_id}.json")
        .read_text(encoding="utf-8")
    )
    return ChecklistCatalogue.from_dict(json.loads(text))


CREATION_CHECKLIST_2021: Final[ChecklistCatalogue] = load_catalogue("cn_moe_2021_creation")
"""The 2021 creation notice (catalogue ``cn_moe_2021_creation``): 3 conditions, 4 basic tasks,
20 checklist items in 5 areas (4, 4, 3, 7 and 2 items), the recommendation form and the
notice's parameters. Source: 《教育部办公厅关于开展县域义务教育优质均衡创建工作的通知》,
2021-11-25 [V]."""
