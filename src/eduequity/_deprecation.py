"""Deprecating public names and arguments (private, a shared foundation).

A deprecated name keeps working for at least one minor release; using it emits a
:class:`DeprecationWarning` that names the version that deprecated it, the version that will
remove it and what to use instead (see the compatibility policy in the docs).
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import ParamSpec, TypeVar

_P = ParamSpec("_P")
_R = TypeVar("_R")


def deprecation_message(what: str, *, since: str, removal: str, alternative: str) -> str:
    """Return the one message format of every deprecation.

    Examples
    --------
    >>> deprecation_message("f()", since="0.1.0", removal="0.2.0", alternative="g()")
    'f() is deprecated since eduequity 0.1.0 and will be removed in 0.2.0; use g() instead'
    """
    return (
        f"{what} is deprecated since eduequity {since} and will be removed in {removal}; "
        f"use {alternative} instead"
    )


def warn_deprecated(
    what: str, *, since: str, removal: str, alternative: str, stacklevel: int = 3
) -> None:
    """Emit the :class:`DeprecationWarning` of ``what`` (an argument, a name).

    ``stacklevel`` 3 points at the caller of the function that calls this one.
    """
    message = deprecation_message(what, since=since, removal=removal, alternative=alternative)
    warnings.warn(message, DeprecationWarning, stacklevel=stacklevel)


def deprecated(
    *, since: str, removal: str, alternative: str, name: str | None = None
) -> Callable[[Callable[_P, _R]], Callable[_P, _R]]:
    """Mark a public function deprecated: every call warns, then runs it unchanged.

    ``name`` is how users know the function (``"eduequity.io.read_school_table()"``); by
    default its module and qualified name. The docstring of the function carries the
    ``.. deprecated::`` note itself, so that the API reference renders it where readers look.
    """

    def decorate(function: Callable[_P, _R]) -> Callable[_P, _R]:
        what = name or f"{function.__module__}.{function.__qualname__}()"

        @functools.wraps(function)
        def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
            warn_deprecated(what, since=since, removal=removal, alternative=alternative)
            return function(*args, **kwargs)

        return wrapper

    return decorate
