"""The vocabulary is defined once, as data, and every schema and constant reads it."""

import ast
import importlib
import json
import pkgutil
import unicodedata
from pathlib import Path

import pytest

import eduequity
from eduequity import _vocabulary
from eduequity._vocabulary import NAMES, fact_fields, vocabulary
from eduequity.checklist.records import DONE_STATUSES, STATUS_LABELS
from eduequity.city.register import PREREQUISITES, STATUS_ORDER
from eduequity.core.recognition import GROUP_ALIASES, GROUP_IDS, LOCATION_ALIASES
from eduequity.io import (
    COMPULSORY_SCHOOL_TYPES,
    COUNTY_FACTS_SCHEMA,
    SCHOOL_TYPE_SECTIONS,
    EnumSpec,
    TableSchema,
)

SRC = Path(eduequity.__file__).resolve().parent

# Module-level constants that name several codes of one vocabulary on purpose: they are
# parameters keyed by the codes, not a second list of the words. Each needs its reason.
NAMED_ON_PURPOSE = {
    ("city/urban_rural.py", "DEFAULT_PAIRS"): "the default comparisons, pairs of locations",
    ("core/_scales.py", "_BUILT_IN_PRESETS"): "published survey designs give shares per group",
    ("datasets/_generate.py", "DEFAULT_TYPE_SHARES"): "synthetic mix of school types",
    ("io/_schema.py", "QUALIFIED_DERIVATION"): "degree levels counted as qualified per stage",
}


def _key(text):
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


def _category_labels():
    """Every Chinese name and alias of a category vocabulary (fact headers excluded)."""
    labels = {}
    # rule-section titles (差异系数, 社会认可度) are the words of the method, which headings
    # and column labels use in their own right; the vocabulary only gives them one spelling
    for name in (name for name in NAMES if name != "rule_sections"):
        for term in vocabulary(name).terms:
            for text in (term.zh, *term.aliases):
                if not text.isascii():
                    labels[_key(text)] = name
    return labels


def _modules():
    return sorted(path for path in SRC.rglob("*.py") if path.name != "_vocabulary.py")


def _strings(node):
    elements = [*node.keys, *node.values] if isinstance(node, ast.Dict) else node.elts
    return [
        element.value
        for element in elements
        if isinstance(element, ast.Constant) and isinstance(element.value, str)
    ]


def _collections(tree):
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Tuple | ast.List | ast.Set | ast.Dict)
    ]


@pytest.mark.parametrize("name", NAMES)
def test_codes_and_aliases_are_unique_per_vocabulary(name):
    terms = vocabulary(name).terms
    codes = [term.code for term in terms]
    assert len(set(codes)) == len(codes), f"{name}: repeated codes"
    claimed = {}
    for term in terms:
        for text in (term.code, *term.aliases, *term.codes):
            key = _key(text)
            assert claimed.setdefault(key, term.code) == term.code, (
                f"{name}: {text!r} names both {claimed[key]!r} and {term.code!r}"
            )
        assert term.zh, f"{name}: {term.code} has no Chinese name"


def test_fact_field_names_and_headers_are_unique():
    fields = fact_fields()
    names = [field.name for field in fields]
    assert len(set(names)) == len(names)
    headers = [_key(alias) for field in fields for alias in field.aliases]
    assert len(set(headers)) == len(headers)


def test_the_data_file_holds_exactly_the_known_vocabularies():
    data = json.loads((SRC / "_vocabulary.json").read_text(encoding="utf-8"))
    assert set(data) - {"_about"} == {*NAMES, "fact_fields"}


def _schemas():
    found = {}
    for info in pkgutil.walk_packages(eduequity.__path__, "eduequity."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, TableSchema):
                found[value.name] = value
    return found


def test_schemas_are_found():
    assert {"schools", "county_facts", "monitoring", "survey", "register"} <= set(_schemas())


@pytest.mark.parametrize("schema", sorted(_schemas().values(), key=lambda s: s.name), ids=str)
def test_every_enum_of_every_schema_is_a_vocabulary(schema):
    by_values = {tuple(term.code for term in vocabulary(name).terms): name for name in NAMES}
    for column in schema.columns:
        if column.enum is None:
            continue
        name = by_values.get(column.enum.canonical)
        assert name is not None, f"{schema.name}.{column.name}: enum is not a vocabulary"
        expected = EnumSpec.from_vocabulary(name)
        assert column.enum.values == expected.values, f"{schema.name}.{column.name}"


def test_fact_columns_come_from_the_vocabulary():
    columns = {column.name: column for column in COUNTY_FACTS_SCHEMA.columns}
    for field in fact_fields():
        assert columns[field.name].aliases == field.aliases
        assert columns[field.name].kind == field.kind


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_no_module_writes_the_chinese_labels_down_again(path):
    labels = _category_labels()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in _collections(tree):
        again = [text for text in _strings(node) if _key(text) in labels]
        assert not again, (
            f"{path.relative_to(SRC)}:{node.lineno} defines vocabulary labels {again}; "
            "read them from eduequity._vocabulary"
        )


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_no_module_constant_lists_the_codes_again(path):
    # rule sections are the first words of rule keys ("cv", "veto"), which other constants
    # name as words of their own; their display titles are still checked above
    codes = {name: set(vocabulary(name).codes) for name in NAMES if name != "rule_sections"}
    relative = str(path.relative_to(SRC))
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for statement in tree.body:
        if not isinstance(statement, ast.Assign | ast.AnnAssign) or statement.value is None:
            continue
        targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
        names = [target.id for target in targets if isinstance(target, ast.Name)]
        if any((relative, name) in NAMED_ON_PURPOSE for name in names):
            continue
        for node in _collections(statement.value):
            strings = set(_strings(node))
            repeated = [name for name, known in codes.items() if len(known & strings) >= 2]
            assert not repeated, (
                f"{relative}:{node.lineno} ({', '.join(names)}) lists codes of {repeated}; "
                "derive the constant from eduequity._vocabulary"
            )


def test_public_constants_are_derived_from_the_vocabulary():
    types = vocabulary("school_types")
    assert dict(SCHOOL_TYPE_SECTIONS) == {
        term.code: tuple(term.properties["stages"]) for term in types.terms
    }
    assert COMPULSORY_SCHOOL_TYPES == (
        "primary",
        "junior",
        "nine_year",
        "twelve_year",
        "complete_middle",
        "teaching_point",
    )
    assert vocabulary("respondent_groups").codes == GROUP_IDS
    assert GROUP_ALIASES["学生家长"] == "parent"
    assert LOCATION_ALIASES["县镇"] == "town"
    assert dict(STATUS_LABELS) == dict(vocabulary("checklist_statuses").labels)
    assert {"completed", "verified"} == DONE_STATUSES
    assert dict(STATUS_ORDER) == {
        "not_started": 0,
        "creating": 1,
        "applied": 2,
        "provincially_assessed": 3,
        "nationally_recognized": 4,
    }
    assert PREREQUISITES["nationally_recognized"] == ("applied", "provincially_assessed")


def test_vocabulary_is_read_once():
    assert vocabulary("stages") is vocabulary("stages")
    assert _vocabulary._data.cache_info().currsize == 1


def test_unknown_vocabulary_and_term_are_errors():
    with pytest.raises(eduequity.EduEquityError, match="unknown vocabulary"):
        vocabulary("colours")
    with pytest.raises(ValueError, match="not one of primary, junior, senior"):
        vocabulary("stages").term("kindergarten")
