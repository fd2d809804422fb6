"""Where extrans thinks each page is served, against where Hugo serves it.

    python tools/hugo_paths.py SITE

Copies the site at SITE to a temporary folder, drops its theme (a top-level ``theme`` line in
its configuration files) and puts stub layouts and shortcodes in place of its own, so that ``hugo``
renders every page of every language with nothing but the site's content and configuration;
the home page of each language lists ``.RelPermalink`` of every page. Each is compared with
``formats.urls.served_link`` (what ``link-prefix`` and aliases use); prints the pages that
differ and the counts; exits 1 when one differs. Needs ``hugo`` (the version the site is
built with: paths follow Hugo 0.111's rules).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from extrans.errors import ExtransError
from extrans.formats.urls import served_link
from extrans.site.config import load_settings
from extrans.site.pages import read_address

_HOME = (
    "{{ range .Site.AllPages }}{{ with .File }}{{ .Path }}{{ end }}"
    "\t{{ .Lang }}\t{{ .RelPermalink }}\n{{ end }}"
)
_CALL = re.compile(r"\{\{[<%]\s*(/?)\s*([\w./-]+)")
_THEME = re.compile(r"^theme\s*[=:].*$", re.MULTILINE)


def _stub(site: Path) -> None:
    """Layouts that render nothing but the home page's list, and a shortcode for each name
    the pages call (taking inner text where a call is ever closed)."""
    for folder in ("layouts", "themes"):
        shutil.rmtree(site / folder, ignore_errors=True)
    for config in [*site.glob("*.*"), *site.glob("config/*/*.*")]:
        if config.stem in ("hugo", "config") and config.suffix in (".toml", ".yaml", ".yml"):
            text = config.read_text(encoding="utf-8")
            config.write_text(_THEME.sub("", text), encoding="utf-8")
    (site / "layouts/_default").mkdir(parents=True)
    for name in ("single.html", "list.html"):
        (site / "layouts/_default" / name).write_text("-", encoding="utf-8")
    (site / "layouts/index.html").write_text(_HOME, encoding="utf-8")
    called: dict[str, bool] = {}
    for page in site.rglob("*.md"):
        for closing, name in _CALL.findall(page.read_text(encoding="utf-8", errors="replace")):
            called[name] = called.get(name, False) or bool(closing)
    for name, closed in called.items():
        path = site / "layouts/shortcodes" / f"{name}.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("{{ with .Inner }}{{ end }}" if closed else "-", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(__doc__.split("\n\n")[1].strip(), file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        shutil.copytree(Path(args[0]), site, symlinks=True, ignore=shutil.ignore_patterns(".git"))
        _stub(site)
        done = subprocess.run(
            ["hugo", "--quiet", "--enableGitInfo=false", "-s", str(site), "-d", "public"],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            print(done.stderr, file=sys.stderr)
            return 2
        settings = load_settings(site)
        served: dict[tuple[str, str], str] = {}
        for language in settings.url_prefixes:
            home = site / "public" / settings.url_prefix(language).strip("/") / "index.html"
            lines = home.read_text(encoding="utf-8").splitlines() if home.is_file() else []
            for path, lang, link in (line.split("\t") for line in lines if line.count("\t") == 2):
                if path and lang == language:
                    served[(language, path)] = link
        agree = differ = unreadable = 0
        for (language, path), link in sorted(served.items()):
            sections = {
                str(Path(other).parent)
                for lang, other in served
                if lang == language and Path(other).name.startswith("_index.")
            }
            try:
                page = f"{settings.content_dir(language)}/{path}"
                address = read_address(settings, page, language)
            except ExtransError:
                unreadable += 1
                continue
            prefix = settings.url_prefix(language)
            ours = served_link(path, address, sections, settings.urls, prefix)
            if ours == link:
                agree += 1
            else:
                differ += 1
                print(f"{language} {path}: hugo {link}, extrans {ours}")
    print(f"{agree} pages alike, {differ} different, {unreadable} that extrans cannot read")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
