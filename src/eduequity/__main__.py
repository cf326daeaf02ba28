"""Run the command line as ``python -m eduequity`` (same as the ``eduequity`` command)."""

from __future__ import annotations

import sys

from eduequity.cli import main

if __name__ == "__main__":
    sys.exit(main())
