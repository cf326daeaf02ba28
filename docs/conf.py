"""Sphinx configuration of the eduequity documentation.

Build (the command CI runs; warnings are errors)::

    python -m sphinx -W --keep-going -b html docs /tmp/docs-html

Nothing here reaches the network, at build time or when a page is read: no intersphinx
mapping; the theme (pydata-sphinx-theme) ships its assets; formulas are MathML written at build
time (``_ext/mathml_math.py``); the gallery runs the plot scripts of ``examples/`` on bundled
synthetic data.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import sys
from importlib.metadata import version as _installed_version
from pathlib import Path
from typing import Any

import attrs
from sphinx import addnodes
from sphinx.errors import PycodeError
from sphinx.pycode import ModuleAnalyzer

import eduequity

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS / "_ext"))

# -- Project ---------------------------------------------------------------------------------

project = "eduequity"
author = "eduequity developers"
copyright = "eduequity developers"
release = _installed_version("eduequity")
version = ".".join(release.split(".")[:2])

# -- General ---------------------------------------------------------------------------------

extensions = [
    "sphinx.ext.autodoc",
    "numpydoc",
    "myst_parser",
    "sphinx_gallery.gen_gallery",
    "mathml_math",
]
# Formulas become MathML at build time (latex2mathml): no MathJax, no CDN, no script.
html_math_renderer = "mathml"

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "_ext"]
language = "en"
nitpicky = False
# No warning is suppressed: every warning is fixed where it arises.
suppress_warnings: list[str] = []

# -- MyST (Markdown pages) -------------------------------------------------------------------

myst_enable_extensions = ["colon_fence", "deflist"]

# -- autodoc, autosummary, numpydoc ----------------------------------------------------------

autodoc_default_options = {"members": True, "member-order": "bysource"}
autodoc_member_order = "bysource"
autodoc_preserve_defaults = True  # show ``rules=RULES_2017``, not the repr of the rule set
autodoc_typehints = "signature"
autodoc_typehints_format = "short"
python_maximum_signature_line_length = 88
python_use_unqualified_type_names = True
# Show the shared aliases of the private ``eduequity._typing`` by name instead of expanding them.
autodoc_type_aliases = {
    name: name
    for name in (
        "ArrayLike1D",
        "BoolArray",
        "Comparator",
        "FloatArray",
        "IntArray",
        "JSONValue",
        "NanPolicy",
    )
}

numpydoc_show_class_members = False  # autodoc lists members; numpydoc would list them twice
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True
numpydoc_xref_param_type = False
numpydoc_validation_checks: set[str] = set()

# -- HTML ------------------------------------------------------------------------------------

html_theme = "pydata_sphinx_theme"
html_title = f"eduequity {release}"
html_theme_options = {
    "navbar_align": "left",
    "show_toc_level": 2,
    "navigation_with_keys": False,
    "header_links_before_dropdown": 6,
    "secondary_sidebar_items": ["page-toc"],
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
# The pages are few and listed in the top bar: the left sidebar (the section's pages) is kept for
# the API reference only, so that the text of the other pages gets the width.
html_sidebars = {
    "[!a]*": [],
    "gallery/*": [],
    "api": ["sidebar-nav-bs"],
    "api/*": ["sidebar-nav-bs"],
}
html_static_path = ["_static"]
html_css_files = ["eduequity.css"]
html_show_sourcelink = False

# -- The gallery of examples/ -----------------------------------------------------------------
#
# The scripts named plot_*.py are run at build time (on small synthetic data, a few seconds) and
# their figures shown; the other scripts of examples/ print results and are described in
# examples/README.md instead.

sphinx_gallery_conf = {
    "examples_dirs": str(DOCS.parent / "examples"),
    "gallery_dirs": str(DOCS / "gallery"),
    "filename_pattern": r"/plot_",
    "ignore_pattern": r"^(?!(.*/)?plot_[^/]*$).*\.py$",
    "within_subsection_order": "FileNameSortKey",
    "download_all_examples": False,
    "image_scrapers": ("matplotlib",),
    "matplotlib_animations": False,
    "remove_config_comments": True,
    # the timing pages load a table script from a CDN; the docs load nothing from outside
    "write_computation_times": False,
}

# -- The API reference: one page per public module, each object documented once ---------------
#
# A package re-exports names from its submodules (``eduequity.gini`` is
# ``eduequity.core.inequality.gini``). Documenting every name on every page that exports it
# would repeat each description up to three times and make short cross-references ambiguous.
# So each public object is documented on one page only: the page of the deepest public module
# that has an API page and lists the object in its ``__all__``. Package pages keep their
# module docstring, which says where the names live, and document only what no deeper page
# documents (names defined in private modules, such as the ``eduequity.io`` schemas).

API_DIR = DOCS / "api"


def _public_modules() -> list[str]:
    submodules = pkgutil.walk_packages(eduequity.__path__, prefix="eduequity.")
    return ["eduequity"] + [
        info.name
        for info in submodules
        if not any(part.startswith("_") for part in info.name.split("."))
    ]


def _homes() -> dict[tuple[str, int], str]:
    """Map (name, id(object)) to the module whose API page documents the object."""
    pages = {path.stem for path in API_DIR.glob("eduequity*.rst")}
    homes: dict[tuple[str, int], str] = {}
    for module_name in sorted(_public_modules(), key=lambda name: name.count(".")):
        if module_name not in pages:
            continue
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue  # autodoc reports the failure on the module's page
        for name in getattr(module, "__all__", ()):
            if hasattr(module, name):
                # Deeper modules come later and win.
                homes[(name, id(getattr(module, name)))] = module_name
    return homes


_HOMES = _homes()


def _aliases() -> dict[str, str]:
    """Map each re-exported name (``eduequity.io.read_table``) to its documented name."""
    aliases: dict[str, str] = {}
    for module_name in _public_modules():
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        for name in getattr(module, "__all__", ()):
            home = _HOMES.get((name, id(getattr(module, name, None))))
            if home is not None and home != module_name:
                aliases[f"{module_name}.{name}"] = f"{home}.{name}"
    return aliases


_ALIASES = _aliases()
_MODULE_OF_OPTIONS: dict[int, str] = {}


def _private_attr_doc(name: str, obj: object) -> list[str] | None:
    """Return the docstring written under a constant in the private module that defines it.

    Returns ``None`` when no private module defines ``obj`` under ``name`` with a docstring.
    """
    for module_name, module in sorted(sys.modules.items()):
        private = any(part.startswith("_") for part in module_name.split(".")[1:])
        if not module_name.startswith("eduequity.") or not private:
            continue
        if getattr(module, name, None) is not obj:
            continue
        try:
            analyzer = ModuleAnalyzer.for_module(module_name)
            analyzer.analyze()
        except PycodeError:
            continue
        doc = analyzer.attr_docs.get(("", name))
        if doc:
            return list(doc)
    return None


def _document_reexported_constants(_app: object) -> None:
    """Let autodoc find the docstrings of constants re-exported from private modules.

    autodoc reads the docstring of a module-level constant from the source of the module being
    documented, so a constant that a public package re-exports from a private module
    (``eduequity.io.SCHOOL_SCHEMA``, defined in ``eduequity.io._school``) would look
    undocumented and be left out. The docstring written under the definition is added to the
    (cached) source analysis of the public module.
    """
    for module_name in _public_modules():
        try:
            module = importlib.import_module(module_name)
            analyzer = ModuleAnalyzer.for_module(module_name)
            analyzer.analyze()
        except (ImportError, PycodeError):
            continue
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name, None)
            if ("", name) in analyzer.attr_docs or inspect.isclass(obj) or inspect.isroutine(obj):
                continue
            doc = _private_attr_doc(name, obj)
            if doc is not None:
                analyzer.attr_docs[("", name)] = doc


def _remember_module(
    _app: object, what: str, name: str, _obj: object, options: object, _lines: list[str]
) -> None:
    """Note which module an automodule directive documents (its docstring comes first)."""
    if what == "module":
        _MODULE_OF_OPTIONS[id(options)] = name


def _skip_documented_elsewhere(
    _app: object, what: str, name: str, obj: object, skip: bool, options: object
) -> bool | None:
    """Skip a module member that a deeper module's API page documents."""
    if what != "module" or skip:
        return None
    module = _MODULE_OF_OPTIONS.get(id(options))
    home = _HOMES.get((name, id(obj)))
    if module is None or home is None:
        return None
    return home != module


def _clean_signature(
    _app: object,
    what: str,
    _name: str,
    obj: object,
    _options: object,
    signature: str | None,
    return_annotation: str | None,
) -> tuple[str | None, str | None]:
    """Make two kinds of signature readable.

    - attrs generates ``__init__`` from source text whose defaults read
      ``attr_dict['x'].default`` (all ``autodoc_preserve_defaults`` can see); the real
      default values are shown instead.
    - An alias of ``autodoc_type_aliases`` nested in a generic (``dict[str, JSONValue]``)
      comes out as ``TypeAliasForwardRef('JSONValue')`` in Sphinx 9; it is
      shown by its name.
    """
    if signature and what in {"class", "exception"} and attrs.has(obj):  # type: ignore[arg-type]
        fields = attrs.fields_dict(obj)  # type: ignore[arg-type]
        signature = _ATTRS_DEFAULT.sub(lambda match: repr(fields[match[1]].default), signature)
    if signature:
        signature = _ALIAS_REF.sub(r"\1", signature)
    if return_annotation:
        return_annotation = _ALIAS_REF.sub(r"\1", return_annotation)
    return signature, return_annotation


_ATTRS_DEFAULT = re.compile(r"attr_dict\['(\w+)'\]\.default")
_ALIAS_REF = re.compile(r"TypeAliasForwardRef\('(?:[\w.]+\.)?(\w+)'\)")


def _resolve_reexport(app: Any, env: Any, node: Any, contnode: Any) -> Any:  # noqa: ANN401 - docutils nodes
    """Resolve a reference that names an object the way the code imports it.

    Each object is documented once, under its defining public module, but docstrings refer to
    ``eduequity.io.read_table`` (a re-export), to ``read_checklist_records`` inside
    ``eduequity.checklist``, or to ``RULES_2017`` in a module that imports it. Such a reference
    goes to the documented object: through the re-exports first, then to the one documented
    object whose dotted name ends with the target (left unresolved when there are several).
    """
    if node.get("refdomain") != "py":
        return None
    domain = env.domains["py"]
    target = str(node["reftarget"]).lstrip(".~")
    module = node.get("py:module")
    resolved = None
    for candidate in (target, f"{module}.{target}" if module else target):
        parts = candidate.split(".")
        for cut in range(len(parts), 1, -1):
            canonical = _ALIASES.get(".".join(parts[:cut]))
            if canonical is not None:
                resolved = ".".join([canonical, *parts[cut:]])
                break
        if resolved is not None:
            break
    if resolved is None and target.split(".", 1)[0] != "eduequity":
        suffix = "." + target
        matches = [name for name in domain.objects if name.endswith(suffix)]
        if len(matches) == 1:
            resolved = matches[0]
    if resolved is None:
        return None
    return domain.resolve_xref(
        env, node["refdoc"], app.builder, node["reftype"], resolved, node, contnode
    )


_MAX_VALUE_LENGTH = 300


def _shorten_long_values(_app: object, doctree: Any) -> None:  # noqa: ANN401 - docutils node
    """Drop the ``= value`` of a constant whose repr is longer than a few lines.

    The schemas and catalogues are large frozen objects (``SCHOOL_SCHEMA`` prints as 19 000
    characters); their docstrings and their own classes' pages describe them better.
    """
    for signature in doctree.findall(addnodes.desc_signature):
        for annotation in list(signature.findall(addnodes.desc_annotation)):
            text = annotation.astext()
            if text.lstrip().startswith("=") and len(text) > _MAX_VALUE_LENGTH:
                annotation.parent.remove(annotation)


def setup(app: Any) -> None:  # noqa: ANN401 - the Sphinx application
    """Connect the hooks of the API reference (see the comments above each one)."""
    app.connect("builder-inited", _document_reexported_constants)
    app.connect("autodoc-process-docstring", _remember_module)
    app.connect("autodoc-skip-member", _skip_documented_elsewhere)
    app.connect("autodoc-process-signature", _clean_signature)
    app.connect("missing-reference", _resolve_reexport)
    app.connect("doctree-read", _shorten_long_values)
