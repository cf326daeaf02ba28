"""CSV text of result tables, safe to open in a spreadsheet (private).

A text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is taken
for a formula by Excel, WPS and LibreOffice: a county or school named
``=HYPERLINK("http://…"&A1,"点击查看")`` would become a live link. Following OWASP's advice on
CSV injection, such a cell is written with a single quote in front, which spreadsheets show as
text; numbers (numeric columns, and numbers inside text columns) are written unchanged.
Every CSV writer of :mod:`eduequity.report` goes through :func:`to_csv`.
"""

from __future__ import annotations

from typing import Final

import pandas as pd
from pandas.api.types import is_object_dtype, is_string_dtype

FORMULA_STARTS: Final[tuple[str, ...]] = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (OWASP)."""


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with every text cell that could start a formula quoted with ``'``."""
    safe = frame
    for name, column in frame.items():
        if isinstance(column.dtype, pd.CategoricalDtype):
            column = column.astype(object)  # noqa: PLW2901 - the categories are text too
        elif not (is_object_dtype(column.dtype) or is_string_dtype(column.dtype)):
            continue
        risky = column.str.startswith(FORMULA_STARTS, na=False).astype(bool)
        if risky.any():
            safe = frame.copy() if safe is frame else safe
            safe[name] = column.where(~risky, "'" + column.where(risky, ""))
    return safe


def to_csv(frame: pd.DataFrame) -> str:
    """Return ``frame`` as CSV text (no index, newline line ends), formulas neutralised."""
    return str(neutralised(frame).to_csv(index=False, lineterminator="\n"))
