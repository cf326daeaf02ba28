# ruff: noqa: INP001 - a repository script, not part of a package
"""Render the demo county's HTML report and, if Chromium is installed, screenshot it.

Usage::

    python scripts/screenshot_report.py [--out report.png] [--height 4000] [--edition 2017]
        [--docs BUILT_DOCS_DIR]

The HTML report is written to a temporary directory (its path is printed). With ``--docs``
(a folder the Sphinx HTML build wrote, e.g. ``python -m sphinx -b html docs /tmp/docs``), the
docs' front page and the method page, whose formulas are MathML, are screenshot too. When a Chromium
binary is found (``/usr/bin/chromium``, or ``chromium``, ``chromium-browser`` or
``google-chrome`` on ``PATH``), it is run headless, offline and with a throw-away profile to
take a PNG screenshot of the page (1280 px wide, ``--height`` px tall). Without Chromium the
script says so and exits with status 0: the screenshot is a visual check for developers, not a
test.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

from eduequity.datasets import demo_path
from eduequity.national import RULES_2012, RULES_2017, assess_county
from eduequity.report import render_county

CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")
TIMEOUT_SECONDS = 120
DOCS_PAGES = ("index", "method")


def find_chromium() -> str | None:
    """Return the first Chromium binary found, or ``None``."""
    for candidate in CANDIDATES:
        if candidate.startswith("/"):
            if Path(candidate).is_file():
                return candidate
            continue
        found = shutil.which(candidate)
        if found:
            return found
    return None


def render_demo(directory: Path, edition: str) -> Path:
    """Assess the demo county and write its HTML report into ``directory``."""
    rules = RULES_2012 if edition == "2012" else RULES_2017
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assessment = assess_county(
            str(demo_path("demo_county_schools.csv")),
            str(demo_path("demo_county_facts.csv")),
            str(demo_path("demo_county_survey.csv")),
            rules,
            monitoring=str(demo_path("demo_county_monitoring.csv")),
        )
    path = directory / f"demo_county_{edition}.html"
    path.write_text(render_county(assessment, "html"), encoding="utf-8")
    return path


def screenshot(chromium: str, page: Path, out: Path, height: int, profile: Path) -> bool:
    """Take a PNG screenshot of ``page`` with headless Chromium; return whether it worked."""
    command = [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        f"--screenshot={out}",
        f"--window-size=1280,{height}",
        page.resolve().as_uri(),
    ]
    try:
        subprocess.run(  # noqa: S603 - fixed arguments, no shell
            command, check=True, capture_output=True, timeout=TIMEOUT_SECONDS
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as error:
        sys.stderr.write(f"chromium failed: {error}\n")
        return False
    return out.is_file()


def main(argv: list[str] | None = None) -> int:
    """Run the script; always returns 0 unless the report itself cannot be rendered."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None, help="PNG file to write")
    parser.add_argument("--height", type=int, default=4000, help="window height [px]")
    parser.add_argument("--edition", choices=("2017", "2012"), default="2017")
    parser.add_argument("--docs", type=Path, default=None, help="built HTML docs folder")
    args = parser.parse_args(argv)
    directory = Path(tempfile.mkdtemp(prefix="eduequity-report-"))
    page = render_demo(directory, args.edition)
    sys.stdout.write(f"HTML report: {page}\n")
    chromium = find_chromium()
    if chromium is None:
        sys.stdout.write("no Chromium found; no screenshot taken\n")
        return 0
    out = args.out or directory / f"demo_county_{args.edition}.png"
    pages = [(page, out)]
    if args.docs is not None:
        pages += [
            (args.docs / f"{name}.html", out.with_name(f"{out.stem}-docs-{name}.png"))
            for name in DOCS_PAGES
        ]
    for number, (shown, png) in enumerate(pages):
        if not shown.is_file():
            sys.stdout.write(f"no page {shown}; build the docs first\n")
        elif screenshot(chromium, shown, png, args.height, directory / f"profile-{number}"):
            sys.stdout.write(f"screenshot: {png}\n")
        else:
            sys.stdout.write(f"Chromium did not produce a screenshot of {shown}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
