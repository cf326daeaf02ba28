"""Exceptions and warnings raised by eduequity.

Every exception eduequity raises on purpose derives from :class:`EduEquityError`.
Concrete errors also derive from the matching built-in (:class:`ValueError` or
:class:`TypeError`), so ``except ValueError`` in existing code keeps working.

Each error carries a stable snake_case :attr:`~EduEquityError.code` from the issue
catalogue (docs: Input tables); services may switch on it.
Table validation collects *all* problems first and raises one :class:`InputError`
that carries every :class:`Issue`, rendered one per line as
``description @ location``.

Degenerate but valid data (a single school, a zero mean) is not an error: it emits a
:class:`DegenerateDataWarning` and the result carries a status saying so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import attrs

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = [
    "DataQualityWarning",
    "DegenerateDataWarning",
    "EduEquityError",
    "EduEquityWarning",
    "InconsistencyError",
    "InfeasiblePlanError",
    "InputError",
    "InvalidArgumentError",
    "InvalidTypeError",
    "InvalidValueError",
    "Issue",
    "MissingDependencyError",
    "NumericIdWarning",
    "RuleSetError",
]

Severity = Literal["error", "warning"]


class EduEquityError(Exception):
    """Base class of every error eduequity raises on purpose.

    Parameters
    ----------
    message
        What is wrong, where, and what was expected.
    code
        Stable snake_case identifier of the problem (docs: Input tables).
    """

    default_code = "eduequity_error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code if code is not None else self.default_code

    def __str__(self) -> str:
        return self.message


class InvalidArgumentError(EduEquityError, ValueError):
    """An argument has a value the function does not accept (an unknown option, ...)."""

    default_code = "invalid_argument"


class InvalidValueError(EduEquityError, ValueError):
    """Input data hold a value that cannot be used (NaN under "raise", a negative weight, ...)."""

    default_code = "invalid_value"


class InvalidTypeError(EduEquityError, TypeError):
    """Input data or an argument has the wrong type (text where numbers are expected, ...)."""

    default_code = "invalid_type"


class RuleSetError(EduEquityError, ValueError):
    """A rule set or an overlay is malformed, or a rule it needs is missing."""

    default_code = "ruleset_error"


class MissingDependencyError(EduEquityError, ImportError):
    """An optional dependency is not installed; the message names the extra that installs it."""

    default_code = "missing_dependency"


class InconsistencyError(EduEquityError, RuntimeError):
    """An internal reconciliation failed; this is a bug in eduequity, please report it."""

    default_code = "internal_inconsistency"


class InfeasiblePlanError(EduEquityError, ValueError):
    """No plan can pass within the caps given; :attr:`binding_caps` names the ones in the way.

    Parameters
    ----------
    message
        Which county, and each binding cap with its school_id, column and value.
    binding_caps
        ``(school_id, column, cap, needed)`` for each cap a passing plan would exceed.
    """

    default_code = "infeasible_caps"

    def __init__(
        self, message: str, *, binding_caps: tuple[tuple[str, str, float, float], ...] = ()
    ) -> None:
        super().__init__(message)
        self.binding_caps = binding_caps


@attrs.frozen(kw_only=True)
class Issue:
    """One problem found while validating an input table or argument.

    The fields follow the docs page Input tables.
    """

    code: str
    """Stable snake_case identifier from the issue catalogue, e.g. ``"not_a_number"``."""
    message: str
    """What is wrong and what was expected, in English."""
    severity: Severity = "error"
    """``"error"`` stops the computation; ``"warning"`` is reported with the result."""
    table: str | None = None
    """Which input table, e.g. ``"schools"`` or ``"survey"``."""
    row: int | str | None = None
    """Row number in the file (with the header on row 1, the first data row is 2; title rows
    above the header keep their numbers) or, for a data frame, the index label."""
    key: str | None = None
    """Identifying key of the row when it could be read, e.g. ``"school_id=3701020001"``."""
    column: str | None = None
    """Canonical column name."""
    header: str | None = None
    """The header as it stood in the source, when it differs from the canonical name."""
    value: str | None = None
    """The offending cell text, quoted as found."""

    def location(self, *, with_table: bool = True) -> str:
        """Return where the problem is, e.g. ``"table schools, row 17 (school_id=1), column x"``."""
        parts: list[str] = []
        if self.table is not None and with_table:
            parts.append(f"table {self.table}")
        if self.row is not None:
            row = f"row {self.row}"
            if self.key is not None:
                row += f" ({self.key})"
            parts.append(row)
        elif self.key is not None:
            parts.append(self.key)
        if self.column is not None:
            column = f"column {self.column}"
            if self.header is not None and self.header != self.column:
                column += f" (header {self.header!r})"
            parts.append(column)
        return ", ".join(parts)

    def render(self) -> str:
        """Return the issue as one line, ``"[code] description @ location"``.

        A message that already begins with its row and column (the loaders' messages follow
        docs: Input tables and do) is not followed by the location a second time.
        """
        text = f"[{self.code}] {self.message}"
        where = self.location()
        if not where or self.message.startswith(self.location(with_table=False) or "\0"):
            return text
        return f"{text} @ {where}"

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe mapping of the fields."""
        return attrs.asdict(self)


class InputError(InvalidValueError):
    """One or more problems in an input table; :attr:`issues` lists every one of them.

    Validation never stops at the first problem: the message has one line per issue.

    Parameters
    ----------
    issues
        The problems found, at least one of severity ``"error"``.
    table
        The table the issues belong to, used in the summary line.
    """

    default_code = "invalid_input"

    def __init__(self, issues: Iterable[Issue], *, table: str | None = None) -> None:
        self.issues: tuple[Issue, ...] = tuple(issues)
        if not self.issues:
            msg = "InputError needs at least one issue"
            raise ValueError(msg)
        errors = [issue for issue in self.issues if issue.severity == "error"]
        what = f"table {table!r}" if table else "the input"
        noun = "problem" if len(errors) == 1 else "problems"
        lines = [f"{len(errors)} {noun} in {what}:"]
        lines += [f"  - {issue.render()}" for issue in errors]
        code = errors[0].code if len(errors) == 1 else self.default_code
        super().__init__("\n".join(lines), code=code)

    @property
    def errors(self) -> tuple[Issue, ...]:
        """The issues of severity ``"error"``."""
        return tuple(issue for issue in self.issues if issue.severity == "error")


class EduEquityWarning(UserWarning):
    """Base class of the warnings eduequity emits."""


class DegenerateDataWarning(RuntimeWarning):
    """The data are valid but degenerate: one unit, zero mean, an empty group, ...

    The result still carries a status (``"undefined"``, ``"too_few_units"``, ...) and never a
    silent number; this warning only makes the case visible to interactive users.
    """


class DataQualityWarning(EduEquityWarning):
    """The data are usable but something looks wrong (missing evidence, an outlier, ...)."""


class NumericIdWarning(DataQualityWarning):
    """An id column (``school_id``, ``county_code``, ...) was given as numbers.

    The ids are read as text (``1101010001``, never ``1101010001.0``), but a number has no
    leading zeros: ``0990010001`` stored as a number reads ``990010001``. The warning is
    raised where zeros may have been lost: ids of differing digit counts, or fewer digits than
    the code has (10 for the school identification code 学校标识码, 6 for the administrative
    division code 行政区划代码). Read the table with ``dtype=str``, or keep the ids as text
    in the spreadsheet.
    """
