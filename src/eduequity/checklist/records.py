"""Checklist status records (创建任务进展记录): reading, validation and exact round trips.

One row per county, item and update (docs: Input tables). The reader accepts a data
frame, a CSV or Excel file with canonical or Chinese headers (县（市、区）, 任务编号 /
清单编号 / 事项, 状态 / 进展, 是否选定, 佐证材料, 文号 / 链接, 印发日期 / 材料日期, 责任单位,
更新日期, 备注), a JSON file, or a list of JSON records. It reuses the generic table reader of
:mod:`eduequity.io` (header normalisation, enum, date and boolean parsing, one grouped
:class:`~eduequity.errors.InputError`) with :data:`CHECKLIST_RECORDS_SCHEMA` and adds the
checks of §4:

=========================  ========  ======================================================
code                       severity  condition
=========================  ========  ======================================================
``unknown_item``           error     ``item_id`` is no code, id or text of the catalogue
``unknown_value``          error     ``status`` not recognised (Chinese aliases accepted)
``basic_task_unselected``  error     ``selected = false`` on a basic task or a condition
``duplicate_record``       error     same county, item and ``updated_at`` twice; or several
                                     rows for a county–item pair, one without ``updated_at``
``bad_date``               error     an unparseable ``updated_at`` or ``evidence_date``
``evidence_missing``       warning   completed or verified without ``evidence`` or
                                     ``evidence_ref`` (an error under ``strict=True``)
``future_date``            warning   a date after the processing date (``today``)
``unselected_but_done``    warning   ``selected = false`` with a status other than
                                     ``not_started``
``status_regression``      warning   a later record has a lower status and no ``note``
=========================  ========  ======================================================

Storage in :attr:`ChecklistRecords.frame`: the columns of :data:`RECORD_COLUMNS`, always all
present; text as ``object`` (``None`` when missing); ``item_id`` as the catalogue's
snake_case id whatever was typed (code, id or Chinese text); ``selected`` as pandas
``"boolean"`` (``<NA>`` = not given, read as true); dates as ``datetime64[ns]``. The index
names the source rows: row numbers in the file (header = row 1 without title rows, one row
per record), the index for data frames, the 1-based position for JSON records.

Examples
--------
>>> import pandas as pd
>>> from eduequity.checklist import read_checklist_records
>>> records = read_checklist_records(pd.DataFrame({
...     "县（市、区）": ["荣成市", "荣成市"],
...     "任务编号": ["A1", "T2"],
...     "状态": ["已完成", "推进中"],
...     "文号": ["荣政发〔2021〕8号", None],
...     "更新日期": ["2021年11月20日", "2021-11-20"],
... }), today="2021-12-01")
>>> records.frame[["county", "item_id", "status"]].to_numpy().tolist()
... # doctest: +NORMALIZE_WHITESPACE
[['荣成市', 'rural_school_layout_model', 'completed'],
 ['荣成市', 'full_standardization', 'in_progress']]
>>> records == type(records).from_json(records.to_json())
True
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, TypeAlias

import attrs
import numpy as np
import pandas as pd

from eduequity._serialize import to_jsonable
from eduequity._typing import BoolArray, JSONValue
from eduequity._validation import date_argument
from eduequity._vocabulary import vocabulary
from eduequity.checklist.catalogue import (
    CREATION_CHECKLIST_2021,
    ChecklistCatalogue,
    ChecklistItem,
    require_catalogue,
)
from eduequity.errors import InvalidArgumentError, InvalidTypeError, Issue
from eduequity.io import ColumnSpec, EnumSpec, TableSchema, read_table

if TYPE_CHECKING:
    from eduequity.io import TableContext

__all__ = [
    "CHECKLIST_RECORDS_SCHEMA",
    "DONE_STATUSES",
    "LABEL_COLUMNS",
    "RECORD_COLUMNS",
    "STATUS_ALIASES",
    "STATUS_LABELS",
    "STATUS_RANK",
    "ChecklistRecords",
    "RecordsSource",
    "read_checklist_records",
]

STATUS_LABELS: Final[Mapping[str, str]] = vocabulary("checklist_statuses").labels
"""Item statuses in progress order, with their Chinese labels (docs: The creation checklist and city
aggregation, The creation checklist)."""

STATUS_ALIASES: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {term.code: term.aliases for term in vocabulary("checklist_statuses").terms}
)
"""Texts accepted for each status besides its canonical name (docs: Input tables)."""

STATUS_RANK: Final[Mapping[str, int]] = MappingProxyType(
    {status: rank for rank, status in enumerate(STATUS_LABELS)}
)
"""Order of the statuses: ``not_started`` 0 < ``in_progress`` 1 < ``completed`` 2 <
``verified`` 3; a later record with a lower rank is a regression."""

DONE_STATUSES: Final[frozenset[str]] = frozenset(vocabulary("checklist_statuses").where("done"))
"""Statuses counted as done (``done(i) = 1``, docs: The creation checklist and city aggregation, The
creation checklist)."""

RECORD_COLUMNS: Final[tuple[str, ...]] = (
    "county",
    "item_id",
    "status",
    "selected",
    "evidence",
    "evidence_ref",
    "evidence_date",
    "responsible_unit",
    "updated_at",
    "note",
)
"""Canonical columns of the records, in output order (docs: Input tables)."""

LABEL_COLUMNS: Final[tuple[str, ...]] = ("item_code", "item_text_zh", "item_text_en", "status_zh")
"""Bilingual label columns written by the exports on request (``labels=True``); they are
derived from the catalogue, accepted on reading and dropped."""

_TEXT_COLUMNS: Final = ("county", "item_id", "status", "evidence", "evidence_ref")
_TEXT_COLUMNS_2: Final = ("responsible_unit", "note")
_DATE_COLUMNS: Final = ("evidence_date", "updated_at")
_TABLE: Final = "checklist_records"

RecordsSource: TypeAlias = "pd.DataFrame | str | os.PathLike[str] | Sequence[Mapping[str, Any]]"
"""What :func:`read_checklist_records` accepts: a data frame, a CSV/Excel/JSON path, or a list
of JSON records."""


def _text(name: str, *aliases: str, required: bool = False, description: str = "") -> ColumnSpec:
    return ColumnSpec(
        name=name,
        kind="string",
        required=required,
        cell_required=required,
        aliases=aliases,
        description=description,
    )


def _date(name: str, *aliases: str, description: str) -> ColumnSpec:
    return ColumnSpec(name=name, kind="date", aliases=aliases, description=description)


_STATUS_ENUM: Final = EnumSpec.from_vocabulary("checklist_statuses")


def _catalogue(ctx: TableContext) -> ChecklistCatalogue:
    catalogue = ctx.options.get("catalogue", CREATION_CHECKLIST_2021)
    if not isinstance(catalogue, ChecklistCatalogue):  # pragma: no cover - checked by the reader
        msg = f"catalogue must be a ChecklistCatalogue, got {type(catalogue).__name__}"
        raise InvalidTypeError(msg, code="invalid_option")
    return catalogue


def _today(ctx: TableContext) -> dt.date:
    today = ctx.options.get("today")
    return today if isinstance(today, dt.date) else dt.date.today()  # noqa: DTZ011 - a calendar date


def _entries(ctx: TableContext) -> list[ChecklistItem | None]:
    catalogue = _catalogue(ctx)
    return [None if value is None else catalogue.find(value) for value in ctx.texts("item_id")]


def _name(entry: ChecklistItem) -> str:
    return f"{entry.code} ({entry.id})"


def _status_name(status: object) -> str:
    return f"{status} ({STATUS_LABELS.get(str(status), '?')})"


def _iso(value: object) -> str:
    return pd.Timestamp(value).date().isoformat()  # type: ignore[arg-type]


def _false_mask(ctx: TableContext, column: str) -> BoolArray:
    if not ctx.has(column):
        return np.zeros(len(ctx.frame), dtype=np.bool_)
    return np.asarray(ctx.frame[column].eq(other=False).fillna(value=False), dtype=np.bool_)


def _resolve_items(ctx: TableContext) -> None:
    """Map codes, ids and texts to the catalogue's ids; report ``unknown_item`` (prepare step)."""
    if not ctx.has("item_id"):
        return
    catalogue = _catalogue(ctx)
    texts = ctx.texts("item_id")
    codes, uniques = pd.factorize(pd.Series(texts, dtype=object), use_na_sentinel=True)
    found = [catalogue.find(str(unique)) for unique in uniques]
    ids = np.array([None if entry is None else entry.id for entry in found] + [None], dtype=object)
    resolved = ids[codes]
    unknown = np.array(
        [text is not None and item is None for text, item in zip(texts, resolved, strict=True)],
        dtype=np.bool_,
    )
    ctx.flag(
        "unknown_item",
        unknown,
        column="item_id",
        describe=lambda i: (
            f"{texts[i]!r} is not an item of catalogue {catalogue.id}; {catalogue.expected_keys()}"
        ),
        value=lambda i: str(texts[i]),
    )
    ctx.frame["item_id"] = pd.Series(resolved, index=ctx.frame.index, dtype=object)


def _check_selection(ctx: TableContext) -> None:
    """``basic_task_unselected`` (error) and ``unselected_but_done`` (warning)."""
    unselected = _false_mask(ctx, "selected")
    if not unselected.any():
        return
    entries = _entries(ctx)
    statuses = ctx.texts("status")
    fixed = np.array(
        [entry is not None and not entry.deselectable for entry in entries], dtype=np.bool_
    )

    def fixed_message(i: int) -> str:
        entry = entries[i]
        what = "basic task" if entry is not None and entry.section == "basic_task" else "condition"
        return (
            f"{_name(entry) if entry else '?'} is a {what}; basic tasks (T1–T4) and selection "
            "conditions (S1–S3) cannot be unselected, only checklist items (A1–E2) can"
        )

    ctx.flag(
        "basic_task_unselected",
        unselected & fixed,
        column="selected",
        describe=fixed_message,
        value=lambda _i: "false",
    )
    started = np.array(
        [status is not None and status != "not_started" for status in statuses], dtype=np.bool_
    )
    optional = np.array(
        [entry is not None and entry.deselectable for entry in entries], dtype=np.bool_
    )

    def done_message(i: int) -> str:
        entry = entries[i]
        return (
            f"{_name(entry) if entry else '?'} is unselected but its status is "
            f"{_status_name(statuses[i])}; it counts as not done in the completion rates: "
            "select it, or set the status to not_started"
        )

    ctx.flag(
        "unselected_but_done",
        unselected & optional & started,
        column="selected",
        describe=done_message,
        value=lambda _i: "false",
        severity="warning",
    )


def _pair_frame(ctx: TableContext) -> pd.DataFrame:
    """County, item and date of the rows whose county and item are known (position kept)."""
    dates = (
        ctx.frame["updated_at"]
        if ctx.has("updated_at")
        else pd.Series(pd.NaT, index=ctx.frame.index, dtype="datetime64[ns]")
    )
    frame = pd.DataFrame(
        {
            "county": pd.Series(ctx.texts("county"), dtype=object),
            "item": pd.Series(ctx.texts("item_id"), dtype=object),
            "date": dates.reset_index(drop=True),
            "position": np.arange(len(ctx.frame)),
        }
    )
    known = frame["county"].notna() & frame["item"].notna()
    return frame[known]


def _rows_by_key(frame: pd.DataFrame, keys: list[str]) -> dict[tuple[Any, ...], list[int]]:
    """Row positions of each key of ``frame`` (only called on the rows at fault)."""
    rows: dict[tuple[Any, ...], list[int]] = {}
    for key, position in zip(
        frame[keys].itertuples(index=False, name=None), frame["position"].tolist(), strict=True
    ):
        rows.setdefault(tuple(key), []).append(int(position))
    return rows


def _check_duplicates(ctx: TableContext) -> None:
    """``duplicate_record``: a county–item–date twice, or an undated row among several."""
    pairs = _pair_frame(ctx)
    if pairs.empty:
        return
    catalogue = _catalogue(ctx)
    bad_date = ctx.invalid_cells("updated_at")[pairs["position"].to_numpy()]
    size = pairs.groupby(["county", "item"], sort=False)["item"].transform("size").to_numpy()
    undated = pairs["date"].isna().to_numpy() & ~bad_date & (size > 1)
    dated = pairs[pairs["date"].notna()]
    clashing = dated[dated.duplicated(["county", "item", "date"], keep=False)]
    if not undated.any() and clashing.empty:
        return
    county = ctx.texts("county")
    item = ctx.texts("item_id")
    n = len(ctx.frame)

    several = pairs[size > 1]
    rows_of_pair = _rows_by_key(several, ["county", "item"])
    undated_mask = np.zeros(n, dtype=np.bool_)
    undated_mask[pairs["position"].to_numpy()[undated]] = True

    def undated_message(i: int) -> str:
        rows = rows_of_pair[(county[i], item[i])]
        return (
            f"county {county[i]}, item {_name(catalogue.item(str(item[i])))} has {len(rows)} "
            f"records ({ctx.rows_text(rows)}) and this one has no updated_at, so the latest "
            "record cannot be told; give updated_at (更新日期) on every record of the pair"
        )

    ctx.flag("duplicate_record", undated_mask, column="updated_at", describe=undated_message)
    if clashing.empty:
        return
    rows_of_date = _rows_by_key(clashing, ["county", "item", "date"])
    repeat_mask = np.zeros(n, dtype=np.bool_)
    repeats = clashing.duplicated(["county", "item", "date"], keep="first").to_numpy()
    repeat_mask[clashing["position"].to_numpy()[repeats]] = True
    stamps = {int(p): d for p, d in zip(clashing["position"], clashing["date"], strict=True)}

    def repeat_message(i: int) -> str:
        rows = rows_of_date[(county[i], item[i], stamps[i])]
        return (
            f"county {county[i]}, item {_name(catalogue.item(str(item[i])))} has several "
            f"records dated {_iso(stamps[i])} ({ctx.rows_text(rows)}); one record per county, "
            "item and updated_at"
        )

    ctx.flag(
        "duplicate_record",
        repeat_mask,
        column="updated_at",
        describe=repeat_message,
        value=lambda i: _iso(stamps[i]),
    )


def _check_evidence(ctx: TableContext) -> None:
    """``evidence_missing``: completed or verified without evidence (strict: an error)."""
    statuses = ctx.texts("status")
    done = np.array([status in DONE_STATUSES for status in statuses], dtype=np.bool_)
    bare = done & ~ctx.present("evidence") & ~ctx.present("evidence_ref")
    if not bare.any():
        return
    catalogue = _catalogue(ctx)
    entries = _entries(ctx)

    def message(i: int) -> str:
        entry = entries[i]
        if entry is not None and entry.kind is not None:
            expected = f"expected for a {entry.kind} item: {catalogue.kind(entry.kind).evidence_en}"
        else:
            expected = "expected: a document reference or an evidence summary"
        name = _name(entry) if entry is not None else "the item"
        return (
            f"{name} is {_status_name(statuses[i])} without evidence (佐证材料) or evidence_ref "
            f"(文号/链接); {expected}"
        )

    ctx.flag("evidence_missing", bare, column="evidence", describe=message, severity="warning")


def _check_future_dates(ctx: TableContext) -> None:
    """``future_date``: ``updated_at`` or ``evidence_date`` after the processing date."""
    today = _today(ctx)
    limit = pd.Timestamp(today)
    for column in _DATE_COLUMNS:
        if not ctx.has(column):
            continue
        values = ctx.frame[column]
        later = np.asarray((values > limit).fillna(value=False), dtype=np.bool_)
        if later.any():
            _flag_future(ctx, column, later, values.to_numpy(), today)


def _flag_future(
    ctx: TableContext, column: str, mask: BoolArray, stamps: np.ndarray[Any, Any], today: dt.date
) -> None:
    def describe(i: int) -> str:
        return f"{_iso(stamps[i])} is after the processing date {today.isoformat()}"

    def value(i: int) -> str | None:
        return _iso(stamps[i])

    ctx.flag("future_date", mask, column=column, describe=describe, value=value, severity="warning")


def _check_regressions(ctx: TableContext) -> None:
    """``status_regression``: a later record with a lower status and no note."""
    if not ctx.has("updated_at"):
        return
    pairs = _pair_frame(ctx)
    statuses = ctx.texts("status")
    pairs = pairs.assign(
        rank=[STATUS_RANK.get(str(statuses[p]), -1) for p in pairs["position"].tolist()]
    )
    pairs = pairs[pairs["date"].notna() & (pairs["rank"] >= 0)]
    pairs = pairs[~pairs.duplicated(["county", "item", "date"], keep=False)]
    if pairs.empty:
        return
    ordered = pairs.sort_values(["county", "item", "date"], kind="mergesort")
    grouped = ordered.groupby(["county", "item"], sort=False)
    previous_rank = grouped["rank"].shift().to_numpy()
    previous_position = grouped["position"].shift().to_numpy()
    with np.errstate(invalid="ignore"):
        lower = ordered["rank"].to_numpy() < previous_rank
    noted = ctx.present("note")
    mask = np.zeros(len(ctx.frame), dtype=np.bool_)
    earlier: dict[int, int] = {}
    for position, before in zip(
        ordered["position"].to_numpy()[lower], previous_position[lower], strict=True
    ):
        if not noted[position]:
            mask[position] = True
            earlier[int(position)] = int(before)
    catalogue = _catalogue(ctx)
    dates = ctx.frame["updated_at"].to_numpy()
    items = ctx.texts("item_id")

    def message(i: int) -> str:
        j = earlier[i]
        return (
            f"item {_name(catalogue.item(str(items[i])))}: status {_status_name(statuses[i])} "
            f"on {_iso(dates[i])} is lower than {_status_name(statuses[j])} on {_iso(dates[j])} "
            f"(row {ctx.label(j)}); add a note (备注) explaining the change"
        )

    ctx.flag("status_regression", mask, column="status", describe=message, severity="warning")


CHECKLIST_RECORDS_SCHEMA: Final[TableSchema] = TableSchema(
    name=_TABLE,
    title="checklist status records (docs: Input tables)",
    columns=(
        _text(
            "county",
            "县（市、区）",
            "县区",
            "区县",
            required=True,
            description="county (县、市、区), the creating unit",
        ),
        _text(
            "item_id",
            "任务编号",
            "清单编号",
            "事项",
            "事项编号",
            required=True,
            description="catalogue code (S1–S3, T1–T4, A1–E2), snake_case id or Chinese text",
        ),
        ColumnSpec(
            name="status",
            kind="enum",
            required=True,
            cell_required=True,
            aliases=("状态", "进展"),
            enum=_STATUS_ENUM,
            description=(
                "not_started 未启动 / in_progress 推进中 / completed 已完成 / verified 已验收"
            ),
        ),
        ColumnSpec(
            name="selected",
            kind="bool",
            aliases=("是否选定",),
            description="whether the county takes the item on (default true; checklist items only)",
        ),
        _text("evidence", "佐证材料", "支撑材料", description="evidence text (佐证材料)"),
        _text(
            "evidence_ref",
            "文号",
            "链接",
            "文号/链接",
            "文号或链接",
            description="document number or URL",
        ),
        _date("evidence_date", "印发日期", "材料日期", description="date of the evidence"),
        _text("responsible_unit", "责任单位", "牵头部门", description="responsible unit"),
        _date("updated_at", "更新日期", description="date of this update"),
        _text("note", "备注", description="note; explains a status regression"),
        _text("item_code", description="export label, ignored on reading"),
        _text("item_text_zh", description="export label, ignored on reading"),
        _text("item_text_en", description="export label, ignored on reading"),
        _text("status_zh", description="export label, ignored on reading"),
    ),
    key_columns=("county", "item_id"),
    strict_codes=frozenset({"evidence_missing"}),
    prepare=(_resolve_items,),
    checks=(
        _check_selection,
        _check_duplicates,
        _check_evidence,
        _check_future_dates,
        _check_regressions,
    ),
)
"""The checklist-records table for :func:`eduequity.io.read_table`: columns, Chinese header
aliases and the checks of the docs page Input tables. The checks read the options ``catalogue``
(default :data:`~eduequity.checklist.CREATION_CHECKLIST_2021`) and ``today`` (default: the
current date)."""


# --------------------------------------------------------------------------------------
# the records object


def _empty_column(name: str, index: pd.Index) -> pd.Series:
    if name == "selected":
        return pd.Series(pd.NA, index=index, dtype="boolean")
    if name in _DATE_COLUMNS:
        return pd.Series(pd.NaT, index=index, dtype="datetime64[ns]")
    return pd.Series([None] * len(index), index=index, dtype=object)


def _canonical(frame: pd.DataFrame) -> pd.DataFrame:
    """All record columns in order (absent ones added empty), then any unknown columns."""
    columns: dict[str, pd.Series] = {}
    for name in RECORD_COLUMNS:
        columns[name] = frame[name] if name in frame.columns else _empty_column(name, frame.index)
    schema_names = set(CHECKLIST_RECORDS_SCHEMA.by_name)
    for name in frame.columns:
        if name not in schema_names:
            columns[name] = frame[name]
    result = pd.DataFrame(columns, index=frame.index)
    for name in (*_TEXT_COLUMNS, *_TEXT_COLUMNS_2):
        result[name] = result[name].astype(object)
    return result


def _cells(frame: pd.DataFrame, name: str) -> list[JSONValue]:
    """JSON-safe values of one record column: text, bool, ISO date or None (vectorized)."""
    series = frame[name]
    if name in _DATE_COLUMNS:
        texts = pd.to_datetime(series).dt.strftime("%Y-%m-%d").astype(object)
        return list(texts.where(series.notna(), None).tolist())
    if name == "selected":
        flags = series.astype("boolean").astype(object)
        return [None if value is pd.NA else bool(value) for value in flags.tolist()]
    values = series.astype(object)
    values = values.where(values.notna(), None)
    return [None if value is None else str(value) for value in values.tolist()]


def _freeze_headers(value: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(value))


@attrs.frozen(kw_only=True)
class ChecklistRecords:
    """Validated checklist status records of one catalogue, with the warnings found.

    Two records objects are equal when they hold the same records in the same order under
    the same catalogue (row labels, source and warnings aside), so
    ``ChecklistRecords.from_json(records.to_json()) == records`` states the exact round trip.

    Examples
    --------
    >>> from eduequity.checklist import read_checklist_records
    >>> records = read_checklist_records([
    ...     {"county": "甲县", "item_id": "B1", "status": "verified",
    ...      "evidence_ref": "甲教发〔2022〕3号", "updated_at": "2022-06-30"}])
    >>> records.counties, len(records)
    (('甲县',), 1)
    >>> print(records.to_csv(), end="")
    county,item_id,status,selected,evidence,evidence_ref,evidence_date,responsible_unit,updated_at,note
    甲县,annual_retention_monitoring,verified,,,甲教发〔2022〕3号,,,2022-06-30,
    """

    frame: pd.DataFrame = attrs.field(eq=False, repr=False)
    """One row per record, in source order (see the module notes for dtypes and the index)."""
    catalogue: ChecklistCatalogue = attrs.field(eq=False, repr=False)
    """The catalogue the item ids belong to."""
    catalogue_id: str
    """Id of :attr:`catalogue`."""
    catalogue_version: str
    """Version of :attr:`catalogue`."""
    content: tuple[tuple[JSONValue, ...], ...] = attrs.field(repr=False)
    """The records as tuples of JSON-safe cells in :data:`RECORD_COLUMNS` order (the basis of
    equality)."""
    issues: tuple[Issue, ...] = attrs.field(default=(), eq=False)
    """Warnings found while reading (errors are raised, never returned)."""
    headers: Mapping[str, str] = attrs.field(
        factory=dict, converter=_freeze_headers, eq=False, repr=False
    )
    """Canonical column → the header it was read from."""
    source: str = attrs.field(default="", eq=False)
    """Where the records came from."""

    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        *,
        catalogue: ChecklistCatalogue,
        issues: tuple[Issue, ...] = (),
        headers: Mapping[str, str] | None = None,
        source: str = "",
    ) -> ChecklistRecords:
        """Wrap an already validated canonical frame (used by the reader)."""
        canonical = _canonical(frame)
        columns = [_cells(canonical, name) for name in RECORD_COLUMNS]
        content = tuple(zip(*columns, strict=True)) if len(canonical) else ()
        return cls(
            frame=canonical,
            catalogue=catalogue,
            catalogue_id=catalogue.id,
            catalogue_version=catalogue.version,
            content=content,
            issues=issues,
            headers=dict(headers or {}),
            source=source,
        )

    def __len__(self) -> int:
        return len(self.content)

    @property
    def counties(self) -> tuple[str, ...]:
        """The counties with at least one record, sorted."""
        return tuple(sorted({str(row[0]) for row in self.content}))

    def records(self, *, labels: bool = False) -> list[dict[str, JSONValue]]:
        """Return the records as JSON-safe mappings in :data:`RECORD_COLUMNS` order.

        Parameters
        ----------
        labels
            Add the bilingual labels of :data:`LABEL_COLUMNS` (item code, Chinese text,
            English paraphrase, Chinese status); they are ignored when read back.
        """
        rows = [dict(zip(RECORD_COLUMNS, row, strict=True)) for row in self.content]
        if labels:
            for row in rows:
                entry = self.catalogue.item(str(row["item_id"]))
                row["item_code"] = entry.code
                row["item_text_zh"] = entry.text_zh
                row["item_text_en"] = entry.text_en
                row["status_zh"] = STATUS_LABELS[str(row["status"])]
        return rows

    def history(self, county: str | None = None, item: str | None = None) -> pd.DataFrame:
        """Return the records of a county and/or item, sorted by county, item and date.

        Parameters
        ----------
        county
            Keep this county only.
        item
            Keep this item only (code or id).
        """
        frame = self.frame.loc[:, list(RECORD_COLUMNS)]
        if county is not None:
            frame = frame[frame["county"] == county]
        if item is not None:
            frame = frame[frame["item_id"] == self.catalogue.item(item).id]
        return frame.sort_values(
            ["county", "item_id", "updated_at"], kind="mergesort", na_position="first"
        )

    def current(self) -> pd.DataFrame:
        """Return the latest record of every county–item pair (docs: Input tables).

        The latest record is the one with the greatest ``updated_at`` (a pair with a single
        record needs no date). ``selected`` is the latest value given for the pair and
        ``True`` when never given; column ``records`` counts the pair's records.
        """
        return latest_records(self.frame)

    def to_dict(self) -> dict[str, JSONValue]:
        """Return a JSON-safe mapping: catalogue identity, source, warnings and records."""
        return {
            "table": _TABLE,
            "catalogue": {"id": self.catalogue_id, "version": self.catalogue_version},
            "source": self.source,
            "headers": to_jsonable(dict(self.headers)),
            "issues": [to_jsonable(issue.to_dict()) for issue in self.issues],
            "records": [dict(row) for row in self.records()],
        }

    def to_json(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        labels: bool = False,
        generated: dt.date | str | None = None,
        indent: int | None = 2,
    ) -> str:
        """Return (and optionally write) the records as JSON.

        The document is an object with ``catalogue`` (id and version), ``generated`` (the
        generation date) and ``records`` (a list of records, dates ISO, missing cells
        ``null``). :meth:`from_json` and :func:`read_checklist_records` read it back exactly.

        Parameters
        ----------
        path
            Write the JSON there (UTF-8) as well as returning it.
        labels
            Add the bilingual label fields of :data:`LABEL_COLUMNS`.
        generated
            Generation date to embed; today by default.
        indent
            JSON indentation; None for one line.
        """
        when = date_argument(generated, "generated") or dt.date.today()  # noqa: DTZ011 - a calendar date
        payload = {
            "table": _TABLE,
            "catalogue": {"id": self.catalogue_id, "version": self.catalogue_version},
            "generated": when.isoformat(),
            "records": self.records(labels=labels),
        }
        text = json.dumps(payload, ensure_ascii=False, indent=indent)
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    @classmethod
    def from_json(
        cls,
        data: str | bytes | os.PathLike[str],
        *,
        catalogue: ChecklistCatalogue = CREATION_CHECKLIST_2021,
        strict: bool = False,
        today: dt.date | str | None = None,
    ) -> ChecklistRecords:
        """Read records from JSON text or a JSON file, validating them like any source.

        Parameters
        ----------
        data
            JSON text (starting with ``[`` or ``{``), bytes, or the path of a JSON file:
            either a list of records or the object written by :meth:`to_json`.
        catalogue, strict, today
            See :func:`read_checklist_records`.

        Raises
        ------
        InputError
            Listing every error in the records.
        InvalidArgumentError
            For malformed JSON, or a document written for another catalogue.
        """
        if isinstance(data, bytes):
            data = data.decode("utf-8-sig")
        if isinstance(data, str) and data.lstrip()[:1] in {"[", "{"}:
            payload = _parse_json(data, "the JSON text")
            label = "JSON text"
        else:
            path = Path(data)
            payload = _parse_json(path.read_text(encoding="utf-8-sig"), repr(str(path)))
            label = f"JSON file {str(path)!r}"
        return _read_payload(payload, label, catalogue=catalogue, strict=strict, today=today)

    def to_csv(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        labels: bool = False,
        encoding: str = "utf-8-sig",
    ) -> str:
        """Return (and optionally write) the records as CSV with canonical headers.

        Missing cells are empty, ``selected`` is ``true``/``false``, dates are ISO.
        :func:`read_checklist_records` reads the file back exactly.

        Parameters
        ----------
        path
            Write the CSV there as well as returning it.
        labels
            Add the bilingual label columns of :data:`LABEL_COLUMNS`.
        encoding
            Encoding of the written file; UTF-8 with BOM by default, which spreadsheet
            programs open with the Chinese text intact.
        """
        rows = self.records(labels=labels)
        names = [*RECORD_COLUMNS, *(LABEL_COLUMNS if labels else ())]
        table = pd.DataFrame(
            [[_csv_cell(row[name]) for name in names] for row in rows],
            columns=names,
            dtype=object,
        )
        text = table.to_csv(index=False, lineterminator="\n")
        if path is not None:
            Path(path).write_text(text, encoding=encoding, newline="")
        return text


def _csv_cell(value: JSONValue) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def latest_records(frame: pd.DataFrame) -> pd.DataFrame:
    """Return the latest record per county–item pair of a canonical records frame.

    Sorting is by county, item and ``updated_at`` (stable, undated first), so the result does
    not depend on the order of the rows; ``selected`` is carried forward from the latest record
    that gives it and defaults to ``True``; ``records`` counts each pair's records.
    """
    columns = list(RECORD_COLUMNS)
    ordered = frame.loc[:, columns].sort_values(
        ["county", "item_id", "updated_at"], kind="mergesort", na_position="first"
    )
    grouped = ordered.groupby(["county", "item_id"], sort=False)
    selected = grouped["selected"].ffill().fillna(value=True).astype(bool)
    counts = grouped["item_id"].transform("size")
    ordered = ordered.assign(selected=selected, records=counts.astype("int64"))
    latest = ordered.drop_duplicates(["county", "item_id"], keep="last")
    return latest.reset_index(drop=True)


def _parse_json(text: str, where: str) -> Any:  # noqa: ANN401 - parsed JSON
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        msg = f"cannot parse {where} as JSON: {error}"
        raise InvalidArgumentError(msg, code="unreadable_file") from error


def _records_frame(records: Sequence[Any], where: str) -> pd.DataFrame:
    for position, record in enumerate(records, start=1):
        if not isinstance(record, Mapping):
            msg = (
                f"record {position} of {where} is a {type(record).__name__}; "
                "expected an object mapping column names to values"
            )
            raise InvalidTypeError(msg, code="unsupported_source")
    index = pd.RangeIndex(1, len(records) + 1, name="record")
    if not records:
        return pd.DataFrame({name: [] for name in RECORD_COLUMNS}, index=index, dtype=object)
    frame = pd.DataFrame.from_records([dict(record) for record in records], index=index)
    return frame.astype(object)


def _read_payload(
    payload: Any,  # noqa: ANN401 - parsed JSON
    where: str,
    *,
    catalogue: ChecklistCatalogue,
    strict: bool,
    today: dt.date | str | None,
) -> ChecklistRecords:
    if isinstance(payload, Mapping):
        declared = payload.get("catalogue")
        declared_id = declared.get("id") if isinstance(declared, Mapping) else declared
        if declared_id is not None and declared_id != catalogue.id:
            msg = (
                f"{where} was written for catalogue {declared_id!r}, not {catalogue.id!r}; "
                "pass the matching catalogue"
            )
            raise InvalidArgumentError(msg, code="catalogue_mismatch")
        if "records" not in payload:
            msg = f"{where} is an object without 'records'; expected a list of records"
            raise InvalidArgumentError(msg, code="unsupported_source")
        payload = payload["records"]
    if not isinstance(payload, list):
        msg = f"{where} holds a {type(payload).__name__}; expected a list of records"
        raise InvalidArgumentError(msg, code="unsupported_source")
    frame = _records_frame(payload, where)
    return _read_frame(
        frame,
        catalogue=catalogue,
        strict=strict,
        today=today,
        label=f"{where}, {len(frame)} records",
    )


def _read_frame(
    data: pd.DataFrame | str | os.PathLike[str],
    *,
    catalogue: ChecklistCatalogue,
    strict: bool,
    today: dt.date | str | None,
    label: str | None = None,
    sheet: str | int | None = None,
    encoding: str | None = None,
) -> ChecklistRecords:
    catalogue = require_catalogue(catalogue)
    when = date_argument(today, "today") or dt.date.today()  # noqa: DTZ011 - a calendar date
    loaded = read_table(
        data,
        CHECKLIST_RECORDS_SCHEMA,
        strict=strict,
        sheet=sheet,
        encoding=encoding,
        options={"catalogue": catalogue, "today": when},
    )
    labels = [name for name in LABEL_COLUMNS if name in loaded.frame.columns]
    headers = {key: value for key, value in loaded.headers.items() if key not in LABEL_COLUMNS}
    return ChecklistRecords.from_frame(
        loaded.frame.drop(columns=labels),
        catalogue=catalogue,
        issues=loaded.issues,
        headers=headers,
        source=label or loaded.source,
    )


def read_checklist_records(
    source: RecordsSource | ChecklistRecords,
    *,
    catalogue: ChecklistCatalogue = CREATION_CHECKLIST_2021,
    strict: bool = False,
    today: dt.date | str | None = None,
    sheet: str | int | None = None,
    encoding: str | None = None,
) -> ChecklistRecords:
    """Read and validate checklist status records (docs: Input tables).

    Parameters
    ----------
    source
        A :class:`pandas.DataFrame`; the path of a CSV (UTF-8, UTF-8 with BOM or GB18030),
        Excel (``.xlsx``) or JSON file; a list of JSON records (mappings); or
        :class:`ChecklistRecords` (validated again). Headers may be canonical or Chinese
        (县（市、区）, 任务编号, 清单编号, 事项, 状态, 进展, 是否选定, 佐证材料, 文号, 链接,
        印发日期, 材料日期, 责任单位, 更新日期, 备注); statuses canonical or Chinese (未启动,
        推进中, 已完成, 已验收, ...); items as codes or ids.
    catalogue
        The catalogue the items belong to.
    strict
        Promote ``evidence_missing`` to an error.
    today
        Processing date for ``future_date``; the current date by default.
    sheet, encoding
        Excel sheet and CSV encoding, as in :func:`eduequity.io.read_table`.

    Returns
    -------
    ChecklistRecords
        The records with their warnings.

    Raises
    ------
    InputError
        Listing **every** error at once; each issue names the row, the county and item
        (as the row key) and the column.
    InvalidArgumentError
        For an unreadable file, malformed JSON or a bad option.

    Examples
    --------
    >>> import pandas as pd
    >>> from eduequity.checklist import read_checklist_records
    >>> from eduequity.errors import InputError
    >>> try:
    ...     read_checklist_records(pd.DataFrame({
    ...         "县（市、区）": ["乙县", "乙县"], "事项": ["T1", "Z9"],
    ...         "进展": ["已完成", "完工"], "是否选定": ["否", "是"]}))
    ... except InputError as error:
    ...     for issue in sorted(error.errors, key=lambda issue: issue.code):
    ...         print(issue.code, issue.row, issue.key, issue.column, issue.value)
    basic_task_unselected 0 county=乙县, item_id=T1 selected false
    unknown_item 1 county=乙县, item_id=Z9 item_id Z9
    unknown_value 1 county=乙县, item_id=Z9 status 完工
    """
    if isinstance(source, ChecklistRecords):
        return _read_frame(
            source.frame.loc[:, list(RECORD_COLUMNS)],
            catalogue=catalogue,
            strict=strict,
            today=today,
            label=source.source,
        )
    if isinstance(source, pd.DataFrame) or hasattr(source, "to_pandas"):
        return _read_frame(source, catalogue=catalogue, strict=strict, today=today)  # type: ignore[arg-type]
    if isinstance(source, str | os.PathLike):
        if Path(source).suffix.casefold() == ".json":
            return ChecklistRecords.from_json(
                source, catalogue=catalogue, strict=strict, today=today
            )
        return _read_frame(
            source,
            catalogue=catalogue,
            strict=strict,
            today=today,
            sheet=sheet,
            encoding=encoding,
        )
    if isinstance(source, list | tuple):
        return _read_payload(
            list(source), "the list of records", catalogue=catalogue, strict=strict, today=today
        )
    msg = (
        "source must be a DataFrame, the path of a CSV, Excel or JSON file, a list of records "
        f"or ChecklistRecords; got {type(source).__name__}"
    )
    raise InvalidTypeError(msg, code="unsupported_source")
