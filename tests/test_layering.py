"""Imports point downward only: cli/report -> city -> national/checklist -> core."""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "eduequity"

# Layer of each top-level subpackage or module; a module may import only from its own layer
# or from lower ones. Modules not listed (errors, _typing, _serialize) are shared foundations.
LAYERS = {
    "core": 1,
    "io": 2,
    "national": 3,
    "checklist": 3,
    "datasets": 4,
    "city": 4,
    "report": 5,
    "cli": 6,
    "__main__": 7,
}
FOUNDATION = {
    "errors",
    "_typing",
    "_serialize",
    "_version",
    "_codes",
    "_frames",
    "_vocabulary",
    "_deprecation",
    "_result",
}


def _top(module_path: Path) -> str:
    parts = module_path.relative_to(SRC).with_suffix("").parts
    return parts[0]


def _imported_tops(tree: ast.AST) -> set[str]:
    tops: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("eduequity"):
            parts = node.module.split(".")
            if len(parts) > 1:
                tops.add(parts[1])
            else:
                tops.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "eduequity" and len(parts) > 1:
                    tops.add(parts[1])
    return tops


MODULES = sorted(path for path in SRC.rglob("*.py") if _top(path) != "__init__")


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_imports_point_downward(path):
    top = _top(path)
    if top in FOUNDATION:
        allowed = FOUNDATION
    else:
        assert top in LAYERS, f"{top} has no layer in tests/test_layering.py"
        allowed = FOUNDATION | {name for name, level in LAYERS.items() if level <= LAYERS[top]}
    imported = _imported_tops(ast.parse(path.read_text(encoding="utf-8")))
    upward = imported - allowed - {top}
    assert not upward, f"{path.relative_to(SRC)} imports upward: {sorted(upward)}"
