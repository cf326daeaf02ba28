"""Core metric functions: plain, typed, numpy-in / numpy-out.

This layer imports nothing from the layers above it (``national``, ``city``, ``io``,
``report``). Pandas appears only where a function is documented to return a Series.
"""

from __future__ import annotations

__all__: list[str] = []
