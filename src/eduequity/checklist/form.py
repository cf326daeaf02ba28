"""The recommendation form (推荐表) of the 2021 creation notice: fill, check and export it.

The notice's attachment 《义务教育优质均衡先行创建县（市、区）推荐表》 asks each recommended
county for fifteen fields (:attr:`~eduequity.checklist.ChecklistCatalogue.form_fields`).
:func:`recommendation_form` fills them:

- province, city and the basic-balance recognition year from the county facts (or from the
  checklist evaluation's eligibility check);
- the six counts (schools, pupils and full-time teachers, each in total and rural) from the
  school table: schools are the rows that are schools (sites with a parent school are merged
  into it, teaching points are not counted, special-education schools are, vocational schools
  are not); pupils and teachers are summed over every row but vocational schools;
- the balance narrative (县域义务教育均衡发展情况) prefilled with the county's Part 1
  coefficients of variation (差异系数) and the share of school sections passing the per-school
  rule, computed as the county assessment computes them;
- everything else (the creation approach, the two opinions and seals, the contacts) from
  ``entries``, which may also override any derived value (a difference is reported).

The form is checked: a rural count above its total is an error; a recognition year less than
three years before the reference year is warning ``condition_not_met``; a missing seal or an
empty field leaves the form a ``draft``. Every problem names its field.

The contact names and phones (fields 14 and 15) are personal data: :meth:`RecommendationForm.
to_dict` and :meth:`RecommendationForm.to_frame` leave them out unless
``include_personal=True``.

Examples
--------
>>> from eduequity.checklist import recommendation_form
>>> from eduequity.datasets import demo_path
>>> form = recommendation_form(
...     "示范县 (Demo County)",
...     schools=demo_path("demo_county_schools.csv"),
...     facts=demo_path("demo_county_facts.csv"),
...     entries={"contact_name": "张三", "contact_phone": "0000-0000000"},
... )
>>> form.status, form.value("schools_total"), form.value("schools_rural")
('draft', 33, 10)
>>> form.to_dict()["values"]["contact_name"] is None  # personal fields redacted by default
True
>>> form.to_dict(include_personal=True)["values"]["contact_name"]
'张三'
"""

from __future__ import annotations

import datetime as dt
import math
import os
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final, Literal, TypeAlias

import attrs
import numpy as np
import pandas as pd

from eduequity._serialize import to_jsonable
from eduequity._typing import JSONValue
from eduequity._version import __version__
from eduequity._vocabulary import vocabulary
from eduequity.checklist.catalogue import (
    CREATION_CHECKLIST_2021,
    ChecklistCatalogue,
    FormField,
    require_catalogue,
)
from eduequity.checklist.status import ChecklistEvaluation, CountyEligibility
from eduequity.errors import InputError, InvalidArgumentError, InvalidTypeError, Issue
from eduequity.io import LoadedTable, read_county_facts
from eduequity.national import INDICATORS, RULES_2017, RuleSet, assess_county, read_schools

__all__ = [
    "FORM_FIELD_LABELS",
    "FORM_STATUS_LABELS",
    "REDACTED",
    "FormStatus",
    "RecommendationForm",
    "recommendation_form",
]

FormStatus: TypeAlias = Literal["draft", "complete"]
"""``"complete"`` when every field is filled and both seals are affixed, else ``"draft"``."""

FORM_STATUS_LABELS: Final[Mapping[str, str]] = MappingProxyType(
    {"draft": "草稿", "complete": "已填写完整"}
)
"""Chinese labels of the form statuses."""

REDACTED: Final = "（已隐去 redacted）"
"""What the filled table shows in place of a personal field left out."""

FORM_FIELD_LABELS: Final[Mapping[str, tuple[str, str]]] = MappingProxyType(
    {
        "province": ("省", "province"),
        "city": ("市", "city"),
        "county": ("县（市、区）", "county"),
        "basic_balance_recognition_year": (
            "通过国家义务教育基本均衡发展认定年份",
            "year of the national basic-balance recognition",
        ),
        "schools_total": ("县域义务教育学校数（所）", "compulsory-education schools"),
        "schools_rural": ("其中：乡村学校数（所）", "of which rural schools"),
        "students_total": ("县域义务教育学生数（人）", "compulsory-education pupils"),
        "students_rural": ("其中：乡村学生数（人）", "of which rural pupils"),
        "full_time_teachers_total": (
            "县域义务教育专任教师数（人）",
            "full-time teachers",
        ),
        "full_time_teachers_rural": ("其中：乡村专任教师数（人）", "of which rural teachers"),
        "balance_status_narrative": (
            "县域义务教育均衡发展情况",
            "balanced development of compulsory education in the county",
        ),
        "creation_approach_narrative": (
            "优质均衡创建工作基本思路",
            "basic approach to the creation work",
        ),
        "county_government_opinion": ("县级人民政府意见", "opinion of the county government"),
        "county_government_sealed": ("县级人民政府盖章", "county government's seal affixed"),
        "provincial_department_opinion": (
            "省级教育行政部门意见",
            "opinion of the provincial education department",
        ),
        "provincial_department_sealed": (
            "省级教育行政部门盖章",
            "provincial education department's seal affixed",
        ),
        "lead_official_name": ("主要负责同志姓名", "lead official: name"),
        "lead_official_phone": ("主要负责同志电话", "lead official: phone"),
        "contact_name": ("具体工作联系人姓名", "working contact: name"),
        "contact_phone": ("具体工作联系人电话", "working contact: phone"),
    }
)
"""Every field id of the form → (Chinese label, English label), in the form's order."""

_TABLE: Final = "recommendation_form"
_RURAL_PAIRS: Final = (
    ("schools_rural", "schools_total"),
    ("students_rural", "students_total"),
    ("full_time_teachers_rural", "full_time_teachers_total"),
)
_RURAL_FIELDS: Final = tuple(rural for rural, _ in _RURAL_PAIRS)
_SEALS: Final = ("county_government_sealed", "provincial_department_sealed")
_TRUE_TEXT: Final = frozenset({"true", "1", "yes", "y", "是", "有", "已盖章"})
_FALSE_TEXT: Final = frozenset({"false", "0", "no", "n", "否", "无", "未盖章"})
_STAGE_ZH: Final = vocabulary("stages").labels

SchoolSource: TypeAlias = "pd.DataFrame | LoadedTable | str | os.PathLike[str]"
FactsSource: TypeAlias = "pd.DataFrame | LoadedTable | str | os.PathLike[str] | Mapping[str, Any]"


def _freeze(value: Mapping[str, Any]) -> Mapping[str, Any]:
    """Return a read-only copy of a mapping (attrs converter)."""
    return MappingProxyType(dict(value))


@attrs.frozen(kw_only=True)
class RecommendationForm:
    """One county's recommendation form (推荐表), filled and checked.

    :attr:`values` holds every field id of the form in the form's order (None when empty).
    Personal fields are kept here; the exports leave them out unless asked.
    """

    county: str
    """The county (县、市、区)."""
    catalogue: ChecklistCatalogue = attrs.field(eq=False, repr=False)
    """The catalogue whose form this is."""
    values: Mapping[str, JSONValue] = attrs.field(converter=_freeze)
    """Field id → value: text, an integer count or year, a seal flag; None when empty."""
    sources: Mapping[str, str] = attrs.field(converter=_freeze, repr=False)
    """Field id → where the value comes from: ``"school table"``, ``"county facts"``,
    ``"checklist evaluation"``, ``"Part 1 result"`` (the prefilled narrative), ``"entries"``,
    or ``""`` when empty."""
    status: FormStatus
    """``"draft"`` (a seal or a field missing) or ``"complete"``."""
    missing: tuple[str, ...]
    """Field ids still empty or, for the seals, not affixed, in the form's order."""
    balance_figures: pd.DataFrame = attrs.field(eq=False, repr=False)
    """The Part 1 figures of the narrative: one row per stage and indicator (``stage``,
    ``indicator``, ``indicator_zh``, ``cv``, ``limit``, ``status``), under the 2012 method
    one per stage for the composite CV (``indicator = "composite_cv"``), and under the 2017
    method one per stage for the per-school rule (``indicator = "school_rule"``,
    ``units_passed``, ``n_units``, ``pass_share``); empty without a school table."""
    eligibility: CountyEligibility | None
    """The county's selection conditions, when a checklist evaluation was given."""
    rules: Mapping[str, JSONValue] | None = attrs.field(
        converter=attrs.converters.optional(_freeze)
    )
    """Identity of the rule set of the Part 1 figures; None without a school table."""
    reference_year: int
    """Year of the recommendation, for selection condition S2(a) [year]."""
    generated: dt.date
    """Date the form was filled."""
    issues: tuple[Issue, ...] = ()
    """Warnings, each naming its field in ``column``: ``condition_not_met``,
    ``seal_missing``, ``field_missing``, ``value_differs``, ``location_missing``,
    ``missing_value``."""

    @property
    def personal_fields(self) -> tuple[str, ...]:
        """Field ids holding personal data (contact names and phones)."""
        return tuple(
            field_id
            for form_field in self.catalogue.form_fields
            if form_field.personal
            for field_id in form_field.ids
        )

    def value(self, field_id: str) -> JSONValue:
        """Return the value of one field.

        Raises
        ------
        InvalidArgumentError
            With code ``unknown_field`` for an id that is not on the form.
        """
        if field_id not in self.values:
            raise InvalidArgumentError(_unknown_field_message(field_id), code="unknown_field")
        return self.values[field_id]

    def _shown(self, include_personal: bool) -> dict[str, JSONValue]:
        hidden = () if include_personal else self.personal_fields
        return {key: None if key in hidden else value for key, value in self.values.items()}

    def provenance(self) -> dict[str, JSONValue]:
        """Return the catalogue and rule set identities, the dates and the library version."""
        return {
            "catalogue": {"id": self.catalogue.id, "version": self.catalogue.version},
            "rules": None if self.rules is None else dict(self.rules),
            "reference_year": self.reference_year,
            "generated": self.generated.isoformat(),
            "eduequity_version": __version__,
        }

    def to_dict(self, *, include_personal: bool = False) -> dict[str, JSONValue]:
        """Return the form as structured JSON-safe data.

        Parameters
        ----------
        include_personal
            Keep the contact names and phones; by default they are ``None`` and listed
            under ``redacted``.
        """
        return {
            "table": _TABLE,
            "county": self.county,
            "status": self.status,
            "status_zh": FORM_STATUS_LABELS[self.status],
            "values": self._shown(include_personal),
            "sources": dict(self.sources),
            "redacted": [] if include_personal else list(self.personal_fields),
            "missing": list(self.missing),
            "balance_figures": to_jsonable(self.balance_figures),
            "eligibility": None if self.eligibility is None else self.eligibility.to_dict(),
            "issues": [to_jsonable(issue.to_dict()) for issue in self.issues],
            "provenance": self.provenance(),
        }

    def to_frame(self, *, include_personal: bool = False) -> pd.DataFrame:
        """Return the filled form as a table, one row per field id in the form's order.

        Columns: ``number`` (1–15, the form's position), ``field``, ``label_zh`` (the label
        printed on the form), ``field_zh``, ``field_en``, ``value`` (text; seals as 是/否,
        a filled personal field as :data:`REDACTED` unless ``include_personal``) and
        ``source``.
        """
        shown = self._shown(include_personal)
        hidden = set() if include_personal else set(self.personal_fields)
        rows = [
            {
                "number": form_field.number,
                "field": field_id,
                "label_zh": form_field.label_zh,
                "field_zh": FORM_FIELD_LABELS[field_id][0],
                "field_en": FORM_FIELD_LABELS[field_id][1],
                "value": REDACTED
                if field_id in hidden and self.values[field_id] is not None
                else _cell_text(shown[field_id]),
                "source": self.sources[field_id],
            }
            for form_field in self.catalogue.form_fields
            for field_id in form_field.ids
        ]
        return pd.DataFrame(rows).astype({"number": "int64"})


def _cell_text(value: JSONValue) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def _unknown_field_message(field_id: object) -> str:
    allowed = ", ".join(FORM_FIELD_LABELS)
    return f"{field_id!r} is not a field of the recommendation form; expected one of {allowed}"


# --------------------------------------------------------------------------------------
# reading the inputs


def _issue(code: str, message: str, field_id: str, county: str, *, error: bool = False) -> Issue:
    return Issue(
        code=code,
        message=message,
        severity="error" if error else "warning",
        table=_TABLE,
        key=f"county={county}",
        column=field_id,
    )


def _school_counts(frame: pd.DataFrame, county: str) -> tuple[dict[str, int | None], list[Issue]]:
    """Count fields 4–9 from the school table (vectorized over the county's rows)."""
    rows = frame.loc[frame["county"].astype(str) == county]
    rows = rows.loc[rows["school_type"].astype(str) != "vocational"]
    is_school = rows["school_type"].astype(str) != "teaching_point"
    if "parent_school_id" in rows.columns:  # a site belongs to its parent school
        is_school &= rows["parent_school_id"].isna()
    location = rows.get("location", pd.Series(pd.NA, index=rows.index, dtype=object))
    rural = (location.astype(object) == "rural").to_numpy()
    counts: dict[str, int | None] = {
        "schools_total": int(is_school.sum()),
        "schools_rural": int(is_school.to_numpy()[rural].sum()),
    }
    issues: list[Issue] = []
    for prefix in ("students", "full_time_teachers"):
        columns = [f"{prefix}_primary", f"{prefix}_junior"]
        values = rows.reindex(columns=columns).astype("float64")
        blank = values.isna().any(axis=1).to_numpy()
        if blank.any():
            shown = ", ".join(rows["school_id"].astype(str).to_numpy()[blank][:5])
            message = (
                f"{int(blank.sum())} rows have no {' or '.join(columns)} (e.g. school_id "
                f"{shown}); the counts of the form stay empty"
            )
            issues.append(_issue("missing_value", message, f"{prefix}_total", county))
            counts[f"{prefix}_total"] = counts[f"{prefix}_rural"] = None
            continue
        per_row = values.sum(axis=1).to_numpy()
        counts[f"{prefix}_total"] = int(per_row.sum())
        counts[f"{prefix}_rural"] = int(per_row[rural].sum())
    unknown = location.isna().to_numpy()
    if unknown.any():
        shown = ", ".join(rows["school_id"].astype(str).to_numpy()[unknown][:5])
        every = unknown.all()
        outcome = "the rural counts stay empty" if every else "they are not counted as rural"
        for field_id in _RURAL_FIELDS:
            message = (
                f"{int(unknown.sum())} rows of the school table have no location (城乡分类), "
                f"e.g. school_id {shown}; {outcome}"
            )
            issues.append(_issue("location_missing", message, field_id, county))
            if every:
                counts[field_id] = None
    return counts, issues


def _balance_figures(resources: Any) -> pd.DataFrame:  # noqa: ANN401 - a ResourceResult
    """Return the CV rows and the per-school pass rows of a county's Part 1 result."""
    indicators = resources.indicators.reset_index()
    cv_rows = pd.DataFrame(
        {
            "stage": indicators["stage"].astype(str),
            "indicator": indicators["indicator"].astype(str),
            "indicator_zh": [
                INDICATORS[name].title_zh if name in INDICATORS else name
                for name in indicators["indicator"].astype(str)
            ],
            "cv": indicators["cv"].astype("float64"),
            "limit": indicators["limit"].astype("float64"),
            "status": indicators["status"].astype(str),
        }
    )
    if resources.composite is not None:  # the 2012 method: one composite CV per stage
        composite = resources.composite.reset_index()
        cv_rows = pd.concat(
            [
                cv_rows,
                pd.DataFrame(
                    {
                        "stage": composite["stage"].astype(str),
                        "indicator": "composite_cv",
                        "indicator_zh": "综合差异系数",
                        "cv": composite["composite_cv"].astype("float64"),
                        "limit": composite["limit"].astype("float64"),
                        "status": composite["status"].astype(str),
                    }
                ),
            ],
            ignore_index=True,
        )
    units = resources.schools
    if "passed" not in units.columns or units.empty:
        return cv_rows
    grouped = units.groupby("stage", sort=False)["passed"].agg(["sum", "size"])
    rule_rows = pd.DataFrame(
        {
            "stage": grouped.index.astype(str),
            "indicator": "school_rule",
            "indicator_zh": "每校达标",
            "units_passed": grouped["sum"].astype("int64").to_numpy(),
            "n_units": grouped["size"].astype("int64").to_numpy(),
        }
    )
    rule_rows["pass_share"] = rule_rows["units_passed"] / rule_rows["n_units"]
    return pd.concat([cv_rows, rule_rows], ignore_index=True)


def _narrative(figures: pd.DataFrame, rules: Mapping[str, JSONValue]) -> str:
    """Write the prefilled balance narrative: CVs per stage, then the per-school pass rate."""
    lines = [f"资源配置（规则集 {rules['id']} {rules['version']}）："]
    cvs = figures.loc[~figures["indicator"].isin(["school_rule", "composite_cv"])]
    for stage, block in cvs.groupby("stage", sort=False):
        parts = "，".join(
            f"{row['indicator_zh']} {_decimal(row['cv'])}" for row in block.to_dict("records")
        )
        limit = float(block["limit"].iloc[0])
        over = int((block["status"] == "fail").sum())
        verdict = "均在限值以内" if over == 0 else f"{over} 项超出限值"
        # The 2012 method sets no limit per indicator, only on the composite CV.
        bound = "" if math.isnan(limit) else f"（限值 {_decimal(limit)}，{verdict}）"
        stage_zh = _STAGE_ZH.get(str(stage), str(stage))
        lines.append(f"{stage_zh}校际差异系数：{parts}{bound}。")
    composite = figures.loc[figures["indicator"] == "composite_cv"]
    for row in composite.to_dict("records"):
        verdict = "达标" if row["status"] == "pass" else "未达标"
        stage_zh = _STAGE_ZH.get(row["stage"], row["stage"])
        lines.append(
            f"{stage_zh}综合差异系数 {_decimal(row['cv'])}"
            f"（限值 {_decimal(row['limit'])}，{verdict}）。"
        )
    rule = figures.loc[figures["indicator"] == "school_rule"]
    if len(rule):
        parts = "，".join(
            f"{_STAGE_ZH.get(row['stage'], row['stage'])} {int(row['units_passed'])}/"
            f"{int(row['n_units'])}（{row['pass_share'] * 100:.1f}%）"
            for row in rule.to_dict("records")
        )
        lines.append(f"每校达标（校际均衡）：{parts}。")
    return "\n".join(lines)


def _decimal(value: object) -> str:
    number = float(value)  # type: ignore[arg-type]
    return "—" if math.isnan(number) else f"{number:.3f}"


def _facts_row(facts: FactsSource, county: str) -> dict[str, Any]:
    """Return the county's latest row of the county facts (province, city, recognition year)."""
    if isinstance(facts, Mapping):
        return dict(facts)
    table = facts if isinstance(facts, LoadedTable) else read_county_facts(facts)
    frame = table.frame
    rows = frame.loc[frame["county"].astype(str) == county]
    if rows.empty:
        known = ", ".join(sorted(frame["county"].astype(str).unique())[:10]) or "none"
        msg = f"county {county!r} is not in the county facts; counties there: {known}"
        raise InvalidArgumentError(msg, code="unknown_county")
    if "year" in rows.columns:
        rows = rows.sort_values("year", kind="mergesort", na_position="first")
    last = rows.iloc[-1]
    return {
        name: last[name]
        for name in ("province", "city", "basic_balance_recognition_year")
        if name in rows.columns and not pd.isna(last[name])
    }


# --------------------------------------------------------------------------------------
# checking the entries


def _field_kinds(catalogue: ChecklistCatalogue) -> dict[str, str]:
    """Field id → ``"text"``, ``"int"``, ``"year"`` or ``"bool"`` (the seals)."""
    kinds: dict[str, str] = {}
    for form_field in catalogue.form_fields:
        kinds.update(_kinds_of(form_field))
    return kinds


def _kinds_of(form_field: FormField) -> dict[str, str]:
    types = [part.strip() for part in form_field.type.split(",")]
    if len(types) == len(form_field.ids):
        return dict(zip(form_field.ids, types, strict=True))
    return dict.fromkeys(form_field.ids, types[0])


def _parse_entry(  # noqa: PLR0911 - one return per kind of cell
    field_id: str, kind: str, value: object, county: str
) -> tuple[JSONValue, Issue | None]:
    """Return the entry as the field's type, or an error naming the field."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, float) and math.isnan(value):
        return None, None
    if kind == "bool":
        if isinstance(value, bool | np.bool_):
            return bool(value), None
        text = str(value).strip().casefold()
        if text in _TRUE_TEXT or text in _FALSE_TEXT:
            return text in _TRUE_TEXT, None
        message = f"{value!r} is not a yes/no value; expected true/false, 是/否 or 1/0"
        return None, _issue("not_a_boolean", message, field_id, county, error=True)
    if kind in {"int", "year"}:
        return _parse_count(field_id, kind, value, county)
    if not isinstance(value, str):
        message = f"expected text; got {type(value).__name__} {value!r}"
        return None, _issue("invalid_type", message, field_id, county, error=True)
    return value.strip(), None


def _parse_count(
    field_id: str, kind: str, value: object, county: str
) -> tuple[JSONValue, Issue | None]:
    if isinstance(value, bool | np.bool_):
        number = math.nan
    elif isinstance(value, int | float | np.integer | np.floating):
        number = float(value)
    else:
        try:
            number = float(str(value).strip().replace(",", ""))
        except ValueError:
            number = math.nan
    what = "a four-digit year" if kind == "year" else "a whole number of at least 0"
    if not math.isfinite(number) or number != int(number):
        message = f"{value!r} is not {what}"
        return None, _issue("not_a_number", message, field_id, county, error=True)
    whole = int(number)
    if whole < 0 or (kind == "year" and not 1000 <= whole <= 9999):  # noqa: PLR2004 - four digits
        message = f"{value!r} is not {what}"
        return None, _issue("out_of_range", message, field_id, county, error=True)
    return whole, None


def _check_rural(values: Mapping[str, JSONValue], county: str) -> list[Issue]:
    issues = []
    for rural, total in _RURAL_PAIRS:
        part, whole = values.get(rural), values.get(total)
        if isinstance(part, int) and isinstance(whole, int) and part > whole:
            message = (
                f"{FORM_FIELD_LABELS[rural][0]} {part} exceeds {FORM_FIELD_LABELS[total][0]} "
                f"{whole}; expected {rural} <= {total}"
            )
            issues.append(_issue("rural_exceeds_total", message, rural, county, error=True))
    return issues


def _recognition_check(
    year: JSONValue, reference_year: int, catalogue: ChecklistCatalogue, county: str
) -> list[Issue]:
    minimum = catalogue.parameters.basic_balance_min_years
    if not isinstance(year, int) or reference_year - year >= minimum:
        return []
    message = (
        f"recognised in {year}, {reference_year - year} years before {reference_year}; "
        f"selection condition S2 asks for at least {minimum} years"
    )
    return [_issue("condition_not_met", message, "basic_balance_recognition_year", county)]


# --------------------------------------------------------------------------------------
# the entry point


def recommendation_form(
    county: str,
    *,
    schools: SchoolSource | None = None,
    facts: FactsSource | None = None,
    checklist: ChecklistEvaluation | None = None,
    entries: Mapping[str, Any] | None = None,
    rules: RuleSet = RULES_2017,
    year: int | None = None,
    reference_year: int | None = None,
    catalogue: ChecklistCatalogue = CREATION_CHECKLIST_2021,
    generated: dt.date | None = None,
) -> RecommendationForm:
    """Fill and check one county's recommendation form (推荐表).

    Parameters
    ----------
    county : str
        The county (县、市、区), as the tables name it.
    schools : pandas.DataFrame, LoadedTable or path, optional
        The school table (read with :func:`eduequity.read_schools`): fields 4–9 and the
        Part 1 figures of the balance narrative.
    facts : pandas.DataFrame, LoadedTable, path or mapping, optional
        County facts (``province``, ``city``, ``basic_balance_recognition_year``; the
        latest year of the county is used), or a mapping of those values.
    checklist : ChecklistEvaluation, optional
        The county's checklist evaluation: its selection conditions are attached, and its
        recognition year is used when ``facts`` gives none.
    entries : mapping, optional
        Field id → value for the fields the user writes (narratives, opinions, seals,
        contacts) or overrides. Counts and the year accept whole numbers or their text;
        seals accept booleans or 是/否, true/false, 1/0.
    rules : RuleSet, optional
        Rule set of the Part 1 figures (default the 2017 method).
    year : int, optional
        School year to keep from the school table.
    reference_year : int, optional
        Year of the recommendation for condition S2 (default the catalogue's, 2021).
    catalogue : ChecklistCatalogue, optional
        The catalogue whose form is filled.
    generated : datetime.date, optional
        Date the form is filled (default today).

    Returns
    -------
    RecommendationForm

    Raises
    ------
    InputError
        Listing every bad entry (unknown field, a count that is not a whole number, a seal
        that is not yes/no) and every rural count above its total, each naming its field.
    InvalidArgumentError
        When the county is in neither the school table nor the county facts.
    """
    catalogue = require_catalogue(catalogue)
    if not isinstance(county, str) or not county.strip():
        msg = f"county must be the county's name; got {county!r}"
        raise InvalidTypeError(msg, code="invalid_argument")
    reference = catalogue.parameters.first_batch_reference_year
    if reference_year is not None:
        reference = int(reference_year)
    filling = _Filling(county, _field_kinds(catalogue))
    filling.derive("county", county, "entries")
    eligibility = None if checklist is None else filling.from_checklist(checklist)
    if facts is not None:
        filling.from_facts(facts)
    figures = pd.DataFrame()
    rule_identity = None
    if schools is not None:
        rule_identity, figures = filling.from_schools(schools, rules, year)
    filling.from_entries(entries or {})
    filling.errors.extend(_check_rural(filling.filled, county))
    if filling.errors:
        raise InputError(filling.errors, table=_TABLE)
    recognised = filling.filled["basic_balance_recognition_year"]
    filling.issues.extend(_recognition_check(recognised, reference, catalogue, county))
    missing = filling.missing()
    return RecommendationForm(
        county=county,
        catalogue=catalogue,
        values=filling.filled,
        sources=filling.sources,
        status="draft" if missing else "complete",
        missing=missing,
        balance_figures=figures,
        eligibility=eligibility,
        rules=rule_identity,
        reference_year=reference,
        generated=dt.date.today() if generated is None else generated,  # noqa: DTZ011 - a calendar date
        issues=tuple(filling.issues),
    )


class _Filling:
    """The values of a form being filled, where each came from, and the problems found."""

    def __init__(self, county: str, kinds: dict[str, str]) -> None:
        self.county = county
        self.kinds = kinds
        self.filled: dict[str, JSONValue] = dict.fromkeys(kinds)
        self.sources: dict[str, str] = dict.fromkeys(kinds, "")
        self.issues: list[Issue] = []
        self.errors: list[Issue] = []

    def derive(self, field_id: str, value: JSONValue, source: str) -> None:
        if value is not None:
            self.filled[field_id], self.sources[field_id] = value, source

    def parse(self, field_id: str, value: object) -> JSONValue:
        parsed, problem = _parse_entry(field_id, self.kinds[field_id], value, self.county)
        if problem is not None:
            self.errors.append(problem)
        return parsed

    def from_checklist(self, checklist: ChecklistEvaluation) -> CountyEligibility | None:
        if self.county not in checklist.counties:
            message = (
                "the checklist evaluation has no record of the county; the selection "
                "conditions are not attached"
            )
            self.issues.append(_issue("no_checklist_records", message, "county", self.county))
            return None
        eligibility = checklist.eligibility.county(self.county)
        year = eligibility.basic_balance_recognition_year
        self.derive("basic_balance_recognition_year", year, "checklist evaluation")
        return eligibility

    def from_facts(self, facts: FactsSource) -> None:
        row = _facts_row(facts, self.county)
        for field_id in ("province", "city", "basic_balance_recognition_year"):
            if field_id in row:
                self.derive(field_id, self.parse(field_id, row[field_id]), "county facts")

    def from_schools(
        self, schools: SchoolSource, rules: RuleSet, year: int | None
    ) -> tuple[dict[str, JSONValue], pd.DataFrame]:
        frame = read_schools(schools, rules=rules, year=year)
        if not (frame["county"].astype(str) == self.county).any():
            known = ", ".join(sorted(frame["county"].astype(str).unique())[:10]) or "none"
            msg = f"county {self.county!r} is not in the school table; counties there: {known}"
            raise InvalidArgumentError(msg, code="unknown_county")
        counts, count_issues = _school_counts(frame, self.county)
        self.issues.extend(count_issues)
        for field_id, count in counts.items():
            self.derive(field_id, count, "school table")
        assessment = assess_county(frame, rules=rules, county=self.county)
        identity = dict(assessment.rules)
        figures = _balance_figures(assessment.resources)
        self.derive("balance_status_narrative", _narrative(figures, identity), "Part 1 result")
        return identity, figures

    def from_entries(self, entries: Mapping[str, Any]) -> None:
        for field_id, raw in entries.items():
            if field_id not in self.kinds:
                message = _unknown_field_message(field_id)
                self.errors.append(
                    _issue("unknown_field", message, str(field_id), self.county, error=True)
                )
                continue
            value = self.parse(field_id, raw)
            derived, source = self.filled[field_id], self.sources[field_id]
            if value is None:
                continue
            # The prefilled narrative is a draft for the user to rewrite, not a figure.
            if derived is not None and derived != value and source != "Part 1 result":
                message = f"the entry {value!r} replaces {derived!r} from the {source}"
                self.issues.append(_issue("value_differs", message, field_id, self.county))
            self.filled[field_id], self.sources[field_id] = value, "entries"

    def missing(self) -> tuple[str, ...]:
        """Record every empty field and missing seal; return their ids in the form's order."""
        missing = tuple(
            field_id
            for field_id, value in self.filled.items()
            if value is None or (field_id in _SEALS and value is False)
        )
        for field_id in missing:
            code, what = (
                ("seal_missing", "the seal is not affixed (盖章)")
                if field_id in _SEALS
                else ("field_missing", "the field is empty")
            )
            message = f"{FORM_FIELD_LABELS[field_id][0]}: {what}; the form stays a draft"
            self.issues.append(_issue(code, message, field_id, self.county))
        return missing
