"""Outcome records shared by the parts of the national assessment (private module).

Every part of the county assessment reports its items as :class:`ItemOutcome` records and every
failing check as a :class:`Failure`, so the verdict, the reports and services all read one shape.
The public classes are re-exported from :mod:`eduequity.national`.
"""

from __future__ import annotations

from typing import Any, Literal

import attrs
import pandas as pd

from eduequity._result import Result, Summary
from eduequity._serialize import Record, attrs_to_dict
from eduequity._typing import JSONValue

Status = Literal["pass", "fail", "incomplete", "not_applicable", "not_assessed"]
"""Outcome of an item, a part or the county.

``pass`` and ``fail`` are decisions; ``incomplete`` means an input is missing (never an
implicit pass); ``not_applicable`` means the item does not apply (e.g. no unit at a stage);
``not_assessed`` means the part had no data at all.
"""

STATUSES: tuple[Status, ...] = ("pass", "fail", "incomplete", "not_applicable", "not_assessed")

Part = Literal[
    "preconditions",
    "resource_allocation",
    "government_guarantee",
    "education_quality",
    "social_recognition",
    "veto",
]
"""Identifiers of the parts of the assessment."""


@attrs.frozen(kw_only=True)
class Failure(Record):
    """One failing check, with everything needed to act on it (the audit trail of a fail)."""

    part: str
    """Part of the assessment, e.g. ``"resource_allocation"``."""
    item_id: str
    """Indicator or item id, e.g. ``"teaching_area_per_student"`` or ``"class_size"``."""
    message: str
    """One sentence saying what failed, with value and limit."""
    code: str | None = None
    """Display code of the item (``"G5"``, ``"Q9"``), when it has one."""
    school_id: str | None = None
    """The school concerned, for per-school checks."""
    stage: str | None = None
    """``"primary"`` or ``"junior"``, where relevant."""
    value: Any = None
    """The observed value (number, flag or text)."""
    limit: Any = None
    """The limit it was compared with."""
    comparator: str | None = None
    """How value and limit were compared (``">="``, ``"<="``, ``"<"``, ...)."""
    source: str | None = None
    """Provenance of the rule: document, clause and confidence tag."""
    rule_key: str | None = None
    """Key of the rule-set entry that holds the limit."""


@attrs.frozen(kw_only=True)
class SchoolLimit(Record):
    """The limit that applies to one school when an overlay gives it a conditional value.

    Under an overlay with conditional values (e.g. ``shenyang``: larger school-size limits and
    smaller music and art rooms for older schools), a school's limit is not the item's
    :attr:`ItemOutcome.limit`; this record shows the one it was checked against.
    """

    school_id: str
    """The school."""
    rule_key: str
    """Key of the rule-set entry whose value is replaced, e.g.
    ``"guarantee.school_size.max_students"``."""
    limit: float
    """The limit applied to this school (the overlay's conditional value)."""
    default: float
    """The rule set's own value, which the other schools get."""
    value: float | None
    """The school's value compared with :attr:`limit` (``None`` when missing)."""
    comparator: str
    """How value and limit are compared (``"<="``, ``">="``)."""
    condition: str
    """Why the conditional value applies, e.g. ``"built_year <= 2010 or migrant_share > 0.5"``."""
    overlay: str
    """Id of the overlay that added the conditional value."""


@attrs.frozen(kw_only=True)
class ItemOutcome:
    """The outcome of one item of a part (an indicator, a declared item, a veto)."""

    part: str
    """Part of the assessment the item belongs to."""
    item_id: str
    """Stable id of the item, e.g. ``"teacher_rotation"``."""
    status: Status
    """``pass``, ``fail``, ``incomplete`` or ``not_applicable``."""
    code: str | None = None
    """Display code (``"G11"``), when the item has one."""
    title_zh: str | None = None
    """The item's Chinese wording (key phrase)."""
    kind: str | None = None
    """``"quantitative"``, ``"declared"`` or a combination."""
    value: Any = None
    """Observed value: a number, a flag, or a mapping of the parts of a multi-part item."""
    limit: Any = None
    """The limit (number, or mapping for multi-part items)."""
    comparator: str | None = None
    """Comparator of value against limit."""
    evidence: str | None = None
    """Evidence text of a declared item (document number, date, link)."""
    source: str | None = None
    """Provenance of the rule."""
    reasons: tuple[str, ...] = ()
    """Why the item failed or is incomplete; empty for a plain pass."""
    input_source: str | None = None
    """Where the value came from: ``"facts"``, ``"schools"``, ``"survey"``, ``"override"``, ..."""
    school_limits: tuple[SchoolLimit, ...] = ()
    """Schools checked against an overlay's conditional value instead of :attr:`limit`, each
    with the limit that applies to it; empty when every school has the item's limit."""

    @property
    def passed(self) -> bool | None:
        """``True``/``False`` for a decision, ``None`` while incomplete or not applicable."""
        if self.status == "pass":
            return True
        if self.status == "fail":
            return False
        return None

    def to_dict(self) -> dict[str, JSONValue]:
        """Return a JSON-safe mapping of the fields and ``passed``."""
        return {**attrs_to_dict(self), "passed": self.passed}


def combine_statuses(statuses: list[Status] | tuple[Status, ...]) -> Status:
    """Return the status of a whole from the statuses of its items.

    ``fail`` wins over ``incomplete`` (spec §8); ``not_applicable`` items do not count; a whole
    whose items are all ``not_assessed`` (or that has none) is ``not_assessed``.
    """
    counted = [status for status in statuses if status != "not_applicable"]
    if "fail" in counted:
        return "fail"
    if not counted and statuses:
        return "pass"
    if not counted or all(status == "not_assessed" for status in counted):
        return "not_assessed"
    if any(status in {"incomplete", "not_assessed"} for status in counted):
        return "incomplete"
    return "pass"


@attrs.frozen(kw_only=True)
class PartResult:
    """The outcome of one part of the assessment (guarantee, quality, recognition, ...)."""

    part: str
    """Part id, e.g. ``"government_guarantee"``."""
    status: Status
    """Combined status of the items."""
    items: tuple[ItemOutcome, ...] = ()
    """Every item, in rule-set order."""
    failures: tuple[Failure, ...] = ()
    """Every failing check, including per-school ones."""
    notes: tuple[str, ...] = ()
    """Overrides used, inputs missing and other remarks for the report."""

    @property
    def passed(self) -> bool:
        """``True`` only when the part was assessed and every item passed."""
        return self.status == "pass"

    def item(self, item_id: str) -> ItemOutcome:
        """Return the outcome of ``item_id``."""
        for outcome in self.items:
            if outcome.item_id == item_id:
                return outcome
        msg = f"part {self.part} has no item {item_id!r}"
        raise KeyError(msg)

    def frame(self) -> pd.DataFrame:
        """Return the items as a DataFrame indexed by ``item_id``."""
        records = [outcome.to_dict() for outcome in self.items]
        frame = pd.DataFrame.from_records(records)
        return frame.set_index("item_id") if not frame.empty else frame

    def to_dict(self) -> dict[str, JSONValue]:
        """Return a JSON-safe mapping including ``passed``."""
        return {**attrs_to_dict(self), "passed": self.passed}


@attrs.frozen(kw_only=True, repr=False)
class AuditRecord(Result):
    """What a table-shaped result records about its inputs, kept in ``frame.attrs["eduequity"]``.

    :func:`~eduequity.national.assess_counties` and
    :func:`~eduequity.national.resource_indicators` return DataFrames; this record travels with
    them. It is immutable, and copying a DataFrame shares it instead of copying it: pandas
    deep-copies ``attrs`` on nearly every operation, which would otherwise copy these tables
    each time a column is read.
    """

    rules: dict[str, Any]
    """The rule set used: edition, id, version, overlays and content hash."""
    excluded: pd.DataFrame
    """Schools excluded, with ``reason`` (stable code) and ``detail`` (the rule applied)."""
    merged: pd.DataFrame
    """Sites merged into their parent schools."""
    split: pd.DataFrame
    """Sections of mixed schools with their shares σ."""
    warnings: tuple[Any, ...] = ()
    """Warnings of the input table (:class:`~eduequity.errors.Issue` records)."""
    single_unit: tuple[str, ...] = ()
    """``"<county> <stage>"`` of every county stage with a single unit (its CVs are 0)."""

    def __deepcopy__(self, memo: dict[int, Any]) -> AuditRecord:
        return self

    def _summary(self) -> Summary:
        return Summary(
            verdict=None,
            figures=(
                ("rules", f"{self.rules.get('id')} {self.rules.get('version')}"),
                ("excluded", len(self.excluded)),
                ("merged", len(self.merged)),
                ("split", len(self.split)),
                ("warnings", len(self.warnings)),
                ("single_unit", self.single_unit),
            ),
            full="eduequity.report.render_counties(frame, 'text'), or result.to_dict()",
        )
