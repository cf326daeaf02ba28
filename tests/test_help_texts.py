"""Help texts: no citation of the unshipped specification files, and a readable length.

User-facing text never cites the developers' specification files: the shipped package
(docstrings, rule-set notes, vocabularies, the bundled data's README), the command line's
``--help`` and ``help()`` of every public object cite the official documents or the
documentation's own pages instead. ``help()`` of a public function or class stays short enough
to read in a terminal; the detail lives in the documentation pages.
"""

import argparse
import importlib
import pkgutil
import pydoc
import re
from pathlib import Path

import pytest

import eduequity
from eduequity import cli
from eduequity.checklist import evaluate_checklist

SPEC_FILES = re.compile(
    r"(national-method|data-schema|social-recognition|equity-measures|city-aggregation"
    r"|creation-checklist)\.md|spec/README"
)
PACKAGE = Path(eduequity.__file__).resolve().parent
HELP_LIMIT = 12_000
"""Characters of ``help()`` text of one public function or class (the longest are about 9 000)."""


def _public_modules():
    names = [info.name for info in pkgutil.walk_packages(eduequity.__path__, prefix="eduequity.")]
    return ["eduequity", *(n for n in names if not any(p.startswith("_") for p in n.split(".")))]


def test_the_pattern_finds_a_spec_citation():
    assert SPEC_FILES.search("the columns of ``data-schema.md`` §1.5")
    assert not SPEC_FILES.search("the columns (docs: Input tables)")


@pytest.mark.parametrize(
    "path",
    sorted(
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*")
        if path.suffix in {".py", ".json", ".md", ".csv", ".txt"}
    ),
)
def test_no_shipped_file_cites_a_spec_file(path):
    text = (PACKAGE / path).read_text(encoding="utf-8")
    assert [match.group(0) for match in SPEC_FILES.finditer(text)] == []


def _parsers(parser):
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                yield from _parsers(child)


def test_no_help_text_of_the_command_line_cites_a_spec_file():
    helps = [parser.format_help() for parser in _parsers(cli.build_parser())]
    assert len(helps) > 5
    assert [h for h in helps if SPEC_FILES.search(h)] == []


@pytest.mark.parametrize("module_name", _public_modules())
def test_help_of_public_objects_is_short_and_cites_no_spec_file(module_name):
    module = importlib.import_module(module_name)
    helps = {
        name: pydoc.render_doc(getattr(module, name), renderer=pydoc.plaintext)
        for name in getattr(module, "__all__", ())
        if callable(getattr(module, name))
    }
    texts = [pydoc.render_doc(module, renderer=pydoc.plaintext), *helps.values()]
    assert sorted({m.group(0) for text in texts for m in SPEC_FILES.finditer(text)}) == []
    assert {name: len(text) for name, text in helps.items() if len(text) > HELP_LIMIT} == {}


def test_help_of_evaluate_checklist_is_a_few_kilobytes():
    # It was 22 kB: the default catalogue's full repr filled the signature.
    assert len(pydoc.render_doc(evaluate_checklist, renderer=pydoc.plaintext)) < 4_000
