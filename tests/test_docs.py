"""The examples in the documentation pages run and give what the pages show."""

import importlib.util
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_every_example_in_the_documentation_pages_passes(capsys):
    spec = importlib.util.spec_from_file_location("check_examples", DOCS / "check_examples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    status = module.main([])
    output = capsys.readouterr().out
    assert status == 0, output
    assert "recipes.md" in output
