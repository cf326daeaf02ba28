"""The JSON Schemas of the JSON documents services read (private).

The schemas are package data (``report/schemas/<kind>.schema.json``, draft 2020-12), written
from the documents the library produces and checked against them by the test suite.
"""

from __future__ import annotations

import functools
import json
from importlib.resources import files
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from eduequity._typing import JSONValue

KINDS: Final[tuple[str, ...]] = ("county", "counties", "city", "checklist")
"""The documents that have a schema, in the order of the command line's choices."""


@functools.cache
def _schema_text(kind: str) -> str:
    return files("eduequity.report").joinpath("schemas", f"{kind}.schema.json").read_text("utf-8")


def load_schema(kind: str) -> dict[str, JSONValue]:
    """Return a fresh copy of the schema of ``kind`` (one of :data:`KINDS`)."""
    schema: dict[str, JSONValue] = json.loads(_schema_text(kind))
    return schema
