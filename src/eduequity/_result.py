"""The base of the result classes: ``to_dict()``, a short ``repr`` and a notebook view (private).

A result class names its verdict and a few key figures in :meth:`Result._summary`; the base
turns them into a one-line ``repr`` (a printed county result is a few hundred characters, not
the whole audit trail) and into a small HTML table for Jupyter (``_repr_html_``). The full
report stays in :mod:`eduequity.report`; the summary only points to it.

Subclasses are attrs classes declared with ``repr=False``, so that attrs keeps this ``repr``.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Final

import attrs

from eduequity._serialize import Record

MAX_REPR: Final = 1_000
"""Longest ``repr`` of a result [characters]; longer texts in a figure are shortened."""
_MAX_TEXT: Final = 80
_MAX_ITEMS: Final = 6


@attrs.frozen(kw_only=True)
class Summary:
    """What a result shows of itself: its verdict, a few key figures, where the rest is."""

    verdict: str | None
    """The decision (``"pass"``, ``"fail"``, ...), or ``None`` for a result without one."""
    figures: tuple[tuple[str, object], ...]
    """Key figures as (name, value), in the order shown."""
    full: str
    """How to see everything, e.g. ``"render_county(result, 'html')"``."""


def _shown(value: object, *, quote: bool = True) -> str:
    """Return a short readable form of one figure: texts quoted, floats to 4 digits."""
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, str):
        text = value if len(value) <= _MAX_TEXT else value[: _MAX_TEXT - 1] + "…"
        return repr(text) if quote else text
    if isinstance(value, Sequence):
        items = [_shown(item, quote=quote) for item in value[:_MAX_ITEMS]]
        more = len(value) - _MAX_ITEMS
        return "[" + ", ".join(items) + (f", … {more} more" if more > 0 else "") + "]"
    text = str(value)
    return text if len(text) <= _MAX_TEXT else text[: _MAX_TEXT - 1] + "…"


class Result(Record):
    """Mixin of the result classes: ``to_dict()``, a short ``repr`` and ``_repr_html_``."""

    __slots__ = ()

    def _summary(self) -> Summary:
        """Return the verdict and the key figures shown by ``repr`` and in notebooks."""
        raise NotImplementedError

    def __repr__(self) -> str:
        summary = self._summary()
        pieces = [] if summary.verdict is None else [f"verdict={summary.verdict!r}"]
        pieces += [f"{name}={_shown(value)}" for name, value in summary.figures]
        text = f"{type(self).__name__}({', '.join(pieces)})"
        return text if len(text) <= MAX_REPR else text[: MAX_REPR - 2] + "…)"

    def _repr_html_(self) -> str:
        summary = self._summary()
        rows = "".join(
            f"<tr><th style='text-align:left'>{html.escape(name)}</th>"
            f"<td style='text-align:left'>{html.escape(_shown(value, quote=False))}</td></tr>"
            for name, value in summary.figures
        )
        verdict = (
            "" if summary.verdict is None else f" — <strong>{html.escape(summary.verdict)}</strong>"
        )
        return (
            f"<div><p><code>{html.escape(type(self).__name__)}</code>{verdict}</p>"
            f"<table>{rows}</table>"
            f"<p><small>Everything: <code>{html.escape(summary.full)}</code></small></p></div>"
        )
