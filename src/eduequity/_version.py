"""The version of eduequity (private; public as ``eduequity.__version__``).

The packaging metadata reads it from here (``[tool.setuptools.dynamic]``), so the installed
metadata and ``eduequity.__version__`` cannot disagree, and importing eduequity does not pay
for :mod:`importlib.metadata`.
"""

from __future__ import annotations

__version__ = "0.1.0.dev0"
