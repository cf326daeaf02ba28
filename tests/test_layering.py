"""The package's import graph: listed edges only, no private names across subpackages, no cycle.

Every import is resolved to the module it names (relative imports included) and checked:

- the *foundation* (``errors`` and the top-level private modules such as ``_typing`` and
  ``_exact``) may be imported by anyone and imports only the foundation;
- a subpackage imports another subpackage only along an edge listed in ``EDGES``;
- nothing imports a private module or a private name of another subpackage;
- the graph of subpackages is acyclic.

The second half of the file feeds the checker small made-up modules, one per kind of
violation, so that a checker which silently stopped seeing one would fail here.
"""

from __future__ import annotations

import ast
import graphlib
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "eduequity"
PACKAGE = "eduequity"

EDGES: dict[str, frozenset[str]] = {
    "core": frozenset(),
    "io": frozenset({"core"}),
    "national": frozenset({"core", "io"}),
    "checklist": frozenset({"io", "national"}),
    "datasets": frozenset({"national"}),
    "city": frozenset({"core", "io", "national", "checklist"}),
    "report": frozenset({"core", "io", "national", "checklist", "city"}),
    "cli": frozenset({"core", "io", "national", "checklist", "city", "report", "datasets"}),
    "__init__": frozenset({"core", "io", "national", "checklist", "city", "report", "datasets"}),
    "__main__": frozenset({"cli"}),
}
"""Which subpackages (or top-level public modules) each one may import."""


def _is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _unit(module: str) -> str:
    """The subpackage (or top-level module) a dotted module name belongs to."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _is_foundation(unit: str) -> bool:
    return unit == "errors" or (_is_private(unit) and unit != "__init__")


def _module_name(path: Path, root: Path) -> tuple[str, bool]:
    """The dotted name of the module at ``path`` and whether it is a package ``__init__``."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    if is_package:
        parts = parts[:-1]
    return ".".join([PACKAGE, *parts]), is_package


def _imports(source: str, module: str, *, is_package: bool) -> Iterator[tuple[str, str | None]]:
    """Yield (imported module, imported name or None) for every import of the package."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == PACKAGE:
                    yield alias.name, None
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != PACKAGE:
                continue
            for alias in node.names:
                yield target, alias.name


def _import_problems(module: str, target: str, name: str | None) -> tuple[str | None, list[str]]:
    """The subpackage an import reaches (None for its own or the foundation), and its problems."""
    own = _unit(module)
    # ``from eduequity import national`` names the subpackage, not the root
    full = f"{target}.{name}" if target == PACKAGE and name else target
    unit = _unit(full)
    if unit == own:
        return None, []
    private = [part for part in full.split(".")[2:] if _is_private(part)]
    if name and target != PACKAGE and _is_private(name):
        private.append(name)
    if _is_foundation(unit):
        return None, [f"{module} imports private {full} ({', '.join(private)})"] if private else []
    if _is_foundation(own):
        return None, [f"{module} (foundation) imports {unit}"]
    problems = (
        [f"{module} imports private names of {unit}: {', '.join(private)}"] if private else []
    )
    if own not in EDGES:
        problems.append(f"{module}: {own} has no entry in EDGES")
    elif unit not in EDGES[own]:
        problems.append(f"{module} imports {unit}, which is not an allowed edge of {own}")
    return unit, problems


def violations(sources: Mapping[str, tuple[str, bool]]) -> list[str]:
    """Every layering violation in ``sources`` (module name -> (source, is_package))."""
    found: list[str] = []
    graph: dict[str, set[str]] = {}
    for module, (source, is_package) in sources.items():
        for target, name in _imports(source, module, is_package=is_package):
            unit, problems = _import_problems(module, target, name)
            found += problems
            if unit is not None:
                graph.setdefault(_unit(module), set()).add(unit)
    try:
        tuple(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as error:
        found.append(f"the subpackages import each other in a cycle: {error.args[1]}")
    return found


def _package_sources() -> dict[str, tuple[str, bool]]:
    sources = {}
    for path in sorted(SRC.rglob("*.py")):
        module, is_package = _module_name(path, SRC)
        sources[module] = (path.read_text(encoding="utf-8"), is_package)
    return sources


def test_the_package_keeps_its_layers():
    assert violations(_package_sources()) == []


def test_every_subpackage_has_an_entry():
    units = {
        path.name if path.is_dir() else path.stem
        for path in SRC.iterdir()
        if (path.is_dir() and (path / "__init__.py").exists()) or path.suffix == ".py"
    }
    missing = {unit for unit in units if not _is_foundation(unit)} - set(EDGES)
    assert not missing


def test_the_allowed_edges_are_acyclic():
    graph = {unit: set(targets) for unit, targets in EDGES.items()}
    tuple(graphlib.TopologicalSorter(graph).static_order())


# -- the checker catches each kind of violation --------------------------------------------

_CLEAN = {"eduequity.core.variation": ("import numpy as np\n", False)}


def _with(module: str, source: str, *, is_package: bool = False) -> list[str]:
    return violations({**_CLEAN, module: (source, is_package)})


@pytest.mark.parametrize(
    ("module", "source", "is_package", "expected"),
    [
        # an upward import, absolute and relative
        ("eduequity.core.gini", "from eduequity.national import assess\n", False, "not an allowed"),
        ("eduequity.core.gini", "from ..national import assess\n", False, "not an allowed"),
        ("eduequity.core", "from ..national import assess\n", True, "not an allowed"),
        ("eduequity.core.gini", "import eduequity.report\n", False, "not an allowed"),
        ("eduequity.core.gini", "from eduequity import city\n", False, "not an allowed"),
        # a sibling import that is not listed
        (
            "eduequity.national.units",
            "from eduequity.checklist import x\n",
            False,
            "not an allowed",
        ),
        ("eduequity.checklist.status", "from ..city import x\n", False, "not an allowed"),
        # private modules and private names of another subpackage
        ("eduequity.checklist.records", "from eduequity.io._reader import T\n", False, "private"),
        ("eduequity.checklist.records", "from ..io._reader import T\n", False, "private"),
        (
            "eduequity.report.text",
            "from eduequity.national.rules import _TITLES\n",
            False,
            "private",
        ),
        ("eduequity.report.text", "from eduequity.national import _outcomes\n", False, "private"),
        ("eduequity.city.export", "import eduequity.io._load\n", False, "private"),
        # the foundation imports only the foundation, and has no private parts to reach into
        ("eduequity._exact", "from eduequity.core import gini\n", False, "foundation"),
        ("eduequity.core.gini", "from eduequity._exact import _helper\n", False, "private"),
        # a subpackage nobody placed
        ("eduequity.plugins.x", "from eduequity.core import gini\n", False, "no entry"),
    ],
)
def test_the_checker_catches(module, source, is_package, expected):
    found = _with(module, source, is_package=is_package)
    assert any(expected in message for message in found), found


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("eduequity.national.units", "from eduequity.core import variation\n"),
        ("eduequity.national.units", "from . import rules\nfrom ._outcomes import Failure\n"),
        ("eduequity.national.units", "from eduequity._exact import compare\n"),
        ("eduequity.national.units", "from eduequity.national._outcomes import Failure\n"),
        ("eduequity.cli", "from eduequity import report\n"),
    ],
)
def test_the_checker_accepts_allowed_imports(module, source):
    assert _with(module, source) == []


def test_the_checker_catches_a_cycle(monkeypatch):
    monkeypatch.setitem(EDGES, "core", frozenset({"io"}))
    found = violations(
        {
            "eduequity.core.a": ("from eduequity.io import b\n", False),
            "eduequity.io.b": ("from eduequity.core import a\n", False),
        }
    )
    assert any("cycle" in message for message in found), found
