"""JSON documents of county assessments and of the multi-county table (private).

The county document is the service contract of issue 4: its top-level keys are exactly
:data:`COUNTY_KEYS`, it holds no NaN (missing numbers are ``null``) and it serialises with
``json.dumps(..., ensure_ascii=False, allow_nan=False)``.
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any, Final

import pandas as pd

from eduequity._serialize import to_jsonable
from eduequity._version import __version__
from eduequity.national import AuditRecord

if TYPE_CHECKING:
    from eduequity._typing import JSONValue
    from eduequity.national import CountyAssessment

COUNTY_KEYS: Final[tuple[str, ...]] = (
    "passed",
    "status",
    "county",
    "year",
    "preconditions",
    "resources",
    "guarantee",
    "quality",
    "recognition",
    "vetoes",
    "failures",
    "excluded",
    "warnings",
    "rules",
    "eduequity_version",
)
"""Top-level keys of the county JSON document, in the order written."""


def finite(value: Any) -> JSONValue:  # noqa: ANN401 - any JSON-shaped value
    """Return ``value`` with every non-finite float replaced by ``None`` (a defensive pass)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(key): finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [finite(item) for item in value]
    return to_jsonable(value)


def county_document(assessment: CountyAssessment) -> dict[str, JSONValue]:
    """Return the JSON document of a county assessment with its keys in contract order."""
    data = assessment.to_dict()
    missing = [key for key in COUNTY_KEYS if key not in data]
    if missing:  # pragma: no cover - guarded by the tests of the contract
        msg = f"CountyAssessment.to_dict() lacks the keys {missing}"
        raise KeyError(msg)
    return {key: finite(data[key]) for key in COUNTY_KEYS}


def dumps(data: JSONValue) -> str:
    """Serialise as UTF-8 JSON text (Chinese kept readable), two-space indent, no NaN."""
    return json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def counties_document(frame: pd.DataFrame) -> dict[str, JSONValue]:
    """Return the JSON document of the table of :func:`eduequity.national.assess_counties`.

    ``counties`` holds one record per (county, stage) with the frame's columns; ``rules``,
    ``excluded``, ``merged``, ``warnings`` and ``single_unit`` come from its audit record
    (``frame.attrs["eduequity"]``).
    """
    record = audit_record(frame)
    records = frame.reset_index() if any(name is not None for name in frame.index.names) else frame
    data: dict[str, Any] = {
        "rules": None if record is None else record.rules,
        "counties": records,
        "excluded": pd.DataFrame() if record is None else record.excluded,
        "merged": pd.DataFrame() if record is None else record.merged,
        "warnings": [] if record is None else list(record.warnings),
        "single_unit": [] if record is None else list(record.single_unit),
        "eduequity_version": __version__,
    }
    return {key: finite(to_jsonable(value)) for key, value in data.items()}


def audit_record(frame: pd.DataFrame) -> AuditRecord | None:
    """Return the :class:`~eduequity.national.AuditRecord` a result frame carries, if any."""
    record = frame.attrs.get("eduequity")
    return record if isinstance(record, AuditRecord) else None
