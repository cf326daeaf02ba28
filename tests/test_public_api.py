"""The public surface: explicit, sorted ``__all__`` lists that name only existing objects."""

import importlib
import pkgutil
from importlib.metadata import version

import pytest

import eduequity

PUBLIC_MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(eduequity.__path__, prefix="eduequity.")
    if not any(part.startswith("_") for part in info.name.split("."))
)


def _isort_key(name: str) -> tuple[int, str]:
    """Order of ruff's RUF022: CONSTANTS, then CamelCase classes, then everything else."""
    if name.isupper():
        return (0, name)
    if name[:1].isupper():
        return (1, name)
    return (2, name)


@pytest.mark.parametrize("name", ["eduequity", *PUBLIC_MODULES])
def test_all_is_explicit_sorted_and_resolvable(name):
    module = importlib.import_module(name)
    assert "__all__" in vars(module), f"{name} has no __all__"
    names = list(module.__all__)
    assert names == sorted(names, key=_isort_key), f"{name}.__all__ is not sorted"
    assert len(names) == len(set(names)), f"{name}.__all__ has duplicates"
    for public in names:
        assert hasattr(module, public), f"{name}.__all__ names missing {public!r}"


def test_version_comes_from_installed_metadata():
    assert eduequity.__version__ == version("eduequity")
