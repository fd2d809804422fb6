"""A screenshot of ``extrans status --format html`` as a reader sees it, in headless Chromium.

    python tools/status_screenshot.py SITE OUT.png [--width 1400] [--height 1000]

Renders the report of the site at SITE (which must have been extracted) and saves what a
browser window of that size shows, to look at the page (``tests/test_status_html.py`` measures
the same window: dates on one line, the legend under the bars, the table within 1,400 pixels on
a site of 1,000 pages). Needs Chromium
(Debian's ``chromium`` package); the page loads nothing from the network.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from extrans.__main__ import run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=1000)
    args = parser.parse_args(argv)
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        print("needs Chromium (apt-get install chromium)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "status.html"
        with page.open("w", encoding="utf-8") as stream:
            sys.stdout, saved = stream, sys.stdout
            try:
                code = run(["--site", str(args.site), "status", "--format", "html"])
            finally:
                sys.stdout = saved
        if code not in (0, 1):
            return code
        subprocess.run(
            [
                browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                f"--user-data-dir={folder}/profile", "--hide-scrollbars",
                f"--window-size={args.width},{args.height}",
                f"--screenshot={args.out.resolve()}", page.as_uri(),
            ],
            check=True,
            capture_output=True,
        )  # fmt: skip
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
