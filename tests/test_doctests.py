"""Run the examples in every module's docstrings and in the README against the installed package."""

import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import eduequity

MODULES = sorted(
    info.name for info in pkgutil.walk_packages(eduequity.__path__, prefix="eduequity.")
)
README = Path(__file__).resolve().parents[1] / "README.md"
FLAGS = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS


@pytest.mark.parametrize("name", ["eduequity", *MODULES])
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=FLAGS, verbose=False)
    assert result.failed == 0


def test_readme_examples():
    result = doctest.testfile(str(README), module_relative=False, optionflags=FLAGS)
    assert result.failed == 0
