"""The public surface: explicit, sorted ``__all__`` lists that name only existing objects."""

import importlib
import pkgutil
import subprocess
import sys
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


def test_import_is_lazy():
    # `import eduequity` (and so `eduequity --help`) must not pay for scipy, pandas or the
    # rule sets; the names load on first use
    code = (
        "import sys, eduequity; "
        "heavy = sorted(m for m in ('scipy', 'pandas', 'eduequity.national', 'eduequity.core') "
        "if m in sys.modules); "
        "print(','.join(heavy)); "
        "eduequity.gini; eduequity.city; "
        "print('eduequity.core' in sys.modules, 'eduequity.city' in sys.modules)"
    )
    done = subprocess.run(  # noqa: S603 - runs this interpreter on a fixed snippet
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.splitlines() == ["", "True True"]


def test_unknown_attribute_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nonsense'"):
        _ = eduequity.nonsense
    assert {"city", "national", "gini"} <= set(dir(eduequity))
