"""eduequity: education-equity metrics.

China's county-level assessment of compulsory-education balance (县域义务教育优质均衡发展
督导评估, 教督〔2017〕6号, and the 2012 basic-balance method) and the equity measures
researchers use everywhere.

The public names are listed in ``__all__``; everything else, and every module whose name
starts with an underscore, is private and may change without notice.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from eduequity.errors import (
    DataQualityWarning,
    DegenerateDataWarning,
    EduEquityError,
    EduEquityWarning,
    InputError,
    Issue,
)

try:
    __version__ = version("eduequity")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0+unknown"

__all__ = [
    "DataQualityWarning",
    "DegenerateDataWarning",
    "EduEquityError",
    "EduEquityWarning",
    "InputError",
    "Issue",
    "__version__",
]
