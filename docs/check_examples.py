"""Run the ``>>>`` examples of the documentation pages against the installed package.

Usage: ``python docs/check_examples.py [PAGE.md ...]`` (default: every page in ``docs/``).
The pages are read like the README in ``tests/test_doctests.py``: with ``NORMALIZE_WHITESPACE``
and ``ELLIPSIS``, each page in one namespace, and warnings turned into errors. The exit status is
1 when an example fails.
"""

from __future__ import annotations

import doctest
import sys
import warnings
from pathlib import Path

FLAGS = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS
DOCS = Path(__file__).resolve().parent


def main(pages: list[str]) -> int:
    """Run the examples of ``pages`` (all Markdown pages when empty); return the exit status."""
    paths = [Path(page) for page in pages] or sorted(DOCS.glob("*.md"))
    failed = 0
    for path in paths:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            result = doctest.testfile(str(path), module_relative=False, optionflags=FLAGS)
        sys.stdout.write(f"{path.name}: {result.attempted} examples, {result.failed} failed\n")
        failed += result.failed
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
