"""``extrans pseudo``: the pseudo-translation of a text (markup kept, every check passed), and
the command that fills a pseudo language's catalogs, judged by ``msgfmt -c``, by build and
by Hugo."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from extrans.formats.checks import check_translation
from extrans.formats.pseudo import pseudo_translate
from extrans.site.pages import parse_page

from .conftest import EXAMPLE_FIELDS, REPO, needs_gettext, settings_with, tree
from .fixture_file import FIXTURES

Cli = Callable[..., tuple[int, str, str]]

needs_hugo = pytest.mark.skipif(
    shutil.which("hugo") is None, reason="needs Hugo: apt-get install hugo"
)

QPS = '\n[languages.qps]\ncontentDir = "content/qps"\nlanguageName = "Pseudo"\nweight = 3\n'


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Stretch the hamstrings", "⟦Ŝţŕéţçĥ ţĥé ĥàmšţŕîñĝš !!! !⟧"),
        ("  Roll up\n", "  ⟦Ŕöĺĺ ûþ !⟧\n"),
        ("Press `Ctrl+C` now", "⟦Þŕéšš `Ctrl+C` ñöŵ !!!⟧"),
        ("Hold {{< param reps >}} breaths", "⟦Ĥöĺď {{< param reps >}} ƀŕéàţĥš !!! !!! !⟧"),
        (
            "A <kbd>mat</kbd> &amp; a band",
            "⟦À <kbd>ɱàţ</kbd> &amp; à ƀàñď !!! !!!⟧".replace("ɱ", "m"),
        ),
        (
            "See [the guide](/guide/#a_b) or [Saw][saw].",
            "⟦Ŝéé [ţĥé ĝûîďé](/guide/#a_b) öŕ [Ŝàŵ][saw]. !!! !!! !!! !!⟧",
        ),
        ("Read [Saw][] first", "⟦Ŕéàď [Saw][] ƒîŕšţ !!!⟧"),
        ("Breathe[^breath] deeply", "⟦Ɓŕéàţĥé[^breath] ďééþĺý !!! !⟧"),
        ("Lift the hips {#lift .big}", "⟦Ĺîƒţ ţĥé ĥîþš {#lift .big} !!! !!⟧"),
        ("Angle $\\theta$ and $$x^2$$", "⟦Àñĝĺé $\\theta$ àñď $$x^2$$ !!! !!⟧"),
        ("It costs $5 or $10", "⟦Îţ çöšţš $5 öŕ $10 !!!⟧"),
        ("%d reps of %(name)s, {count} sets", "⟦%d ŕéþš öƒ %(name)s, {count} šéţš !!! !!! !!⟧"),
        ("https://gohugo.io/ explains it", "⟦ https://gohugo.io/ éẋþĺàîñš îţ !!! !!! !⟧"),
        ("Mail <team@example.org>", "⟦Ɱàîĺ <team@example.org> !!! !⟧".replace("Ɱ", "M")),
        # (a call or tag a text starts or ends with stays outside the brackets: jx-docs's
        # one-line alert, whose output starts a block, became a paragraph with the bracket)
        (
            "{{< alert >}} Plan first. {{< /alert >}}",
            "{{< alert >}} ⟦Þĺàñ ƒîŕšţ. !⟧ {{< /alert >}}",
        ),
        ("<br/> See below", "<br/> ⟦Ŝéé ƀéĺöŵ !⟧"),
        ('"https://{{ .Site.Host }}:80"', '⟦"https://{{ .Site.Host }}:80" !!! !!!⟧'),
        ("Write to team@example.org", "⟦Ŵŕîţé ţö team@example.org !!! !!⟧"),
        (
            "One line\\\nand the next  \nand last",
            "⟦Öñé ĺîñé\\\nàñď ţĥé ñéẋţ  \nàñď ĺàšţ !!! !!! !!⟧",
        ),
        ("`only code`", "⟦`only code` !⟧"),
        ("[x] done task", "[x] ⟦ďöñé ţàšķ !⟧"),
        ("  \n", "  \n"),
        ("Ends with a backslash \\", "⟦Éñďš ŵîţĥ à ƀàçķšĺàšĥ \\ !!! !⟧"),
    ],
)
def test_pseudo_translation_accents_prose_and_keeps_markup(text: str, expected: str) -> None:
    assert pseudo_translate(text) == expected


def test_pseudo_translation_keeps_the_shortcut_references_an_entry_names() -> None:
    """``#. reference labels: [the guide]``: that ``[the guide]`` is a link, whose text is
    its label; other text in brackets is prose."""
    text = "See [the guide] or the [Guide\nto Saw][], in [brackets]."
    labels = ("the guide", "Guide to Saw")
    translation = pseudo_translate(text, labels)
    assert (
        translation
        == "⟦Ŝéé [the guide] öŕ ţĥé [Guide\nto Saw][], îñ [ƀŕàçķéţš]. !!! !!! !!! !!! !!!⟧"
    )
    origins = ("body: paragraph", "reference labels: [the guide], [Guide to Saw]")
    assert check_translation(text, translation, origins) == []
    assert [f.check for f in check_translation(text, pseudo_translate(text), origins)] == [
        "link-target"
    ]


def _corpus_segments() -> list[tuple[str, str]]:
    pages = [*(REPO / "content" / "en").rglob("*.md"), *(FIXTURES / "corpus").glob("*.md")]
    settings = settings_with(*EXAMPLE_FIELDS, "linkTitle")
    found: dict[tuple[str, str], None] = {}
    for path in sorted(pages):
        page = parse_page(path.read_text(encoding="utf-8"), f"content/en/{path.name}", settings)
        found.update(dict.fromkeys((s.text, s.origin) for s in page.segments))
    return list(found)


def test_every_check_passes_on_pseudo_translations() -> None:
    """Every text of the example site and the corpus: no check, error or warning, finds
    anything in its pseudo-translation, which is also a third longer or more."""
    segments = _corpus_segments()
    assert len(segments) > 250
    for text, origin in segments:
        translation = pseudo_translate(text)
        assert check_translation(text, translation, (origin,)) == [], (text, translation)
        assert len(translation) >= len(text) + 3


def _site_with_qps(root: Path) -> Path:
    for name in ("content", "locale", "layouts", "hugo.toml", "extrans.toml"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            shutil.copy(source, root / name)
    with (root / "hugo.toml").open("a", encoding="utf-8") as config:
        config.write(QPS)
    return root


def _without_cache(files: dict[str, bytes]) -> dict[str, bytes]:
    """A site's files but extrans's lock and cache (a refused run took the lock)."""
    return {name: data for name, data in files.items() if not name.startswith(".extrans-cache")}


@needs_gettext
@needs_hugo
def test_pseudo_fills_catalogs_that_build_and_hugo_accept(tmp_path: Path, extrans: Cli) -> None:
    site = _site_with_qps(tmp_path / "site")
    spanish = tree(site / "locale" / "es")
    code, out, err = extrans(site, "pseudo")
    assert (code, err) == (0, ""), err
    assert "qps: 8 pages and 2 site files, 10 catalogs pseudo-translated" in out  # (menus, terms)
    assert tree(site / "locale" / "es") == spanish
    catalogs = sorted((site / "locale" / "qps").glob("*.po"))
    assert len(catalogs) == 10
    for catalog in catalogs:
        text = catalog.read_text(encoding="utf-8")
        assert '"X-Extrans-Pseudo: yes\\n"' in text and '"Language: qps\\n"' in text
        assert 'msgstr ""\n\n' not in text.split("\n\n", 1)[1]  # every entry filled
        subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(catalog)], check=True)
    code, out, err = extrans(site, "build", "--lang", "qps")
    assert (code, err) == (0, "")
    assert "qps: 8 written, 0 unchanged, 0 below threshold, 0 left alone" in out
    code, out, _ = extrans(site, "check", "--lang", "qps")
    assert code == 0 and ": 0 errors, 0 warnings" in out
    done = subprocess.run(
        ["hugo", "-s", str(site), "-d", str(tmp_path / "public")], capture_output=True, text=True
    )
    assert done.returncode == 0 and "WARN" not in done.stdout + done.stderr, done.stderr
    html = (tmp_path / "public/qps/exercises/swan-dive/index.html").read_text(encoding="utf-8")
    assert "⟦Ŝŵàñ Ďîṽé !⟧" in html
    # Nothing changed: nothing written; a changed source page: its catalog follows.
    before = tree(site / "locale")
    code, out, _ = extrans(site, "pseudo")
    assert code == 0 and "0 catalogs pseudo-translated" in out and tree(site / "locale") == before
    saw = site / "content/en/exercises/saw.md"
    saw.write_text(saw.read_text(encoding="utf-8") + "\nTwist gently.\n", encoding="utf-8")
    code, out, _ = extrans(site, "pseudo")
    assert code == 0 and "qps: 8 pages and 2 site files, 1 catalogs pseudo-translated" in out
    saw_po = (site / "locale/qps/exercise-saw.po").read_text(encoding="utf-8")
    assert 'msgid "Twist gently."\nmsgstr "⟦Ţŵîšţ ĝéñţĺý. !⟧"' in saw_po and "fuzzy" not in saw_po


@needs_gettext
def test_pseudo_fills_the_catalogs_extract_made(tmp_path: Path, extrans: Cli) -> None:
    """A catalog without a translation holds nobody's work: extract's empty ones are filled."""
    site = _site_with_qps(tmp_path / "site")
    assert extrans(site, "extract", "--lang", "qps")[0] == 0
    assert "X-Extrans-Pseudo" not in (site / "locale/qps/home.po").read_text(encoding="utf-8")
    code, out, _ = extrans(site, "pseudo", "--lang", "qps")
    assert code == 0 and "10 catalogs pseudo-translated" in out  # (with the menus, the terms)


def test_pseudo_never_touches_a_translators_catalog(tmp_path: Path, extrans: Cli) -> None:
    site = _site_with_qps(tmp_path / "site")
    before = tree(site)
    code, out, err = extrans(site, "pseudo", "--lang", "es")
    assert code == 2 and out == ""
    assert err == (
        "locale/es/exercise-leg-pull-back-prep.po:15: error: holds translations that extrans "
        "pseudo did not write: 'es' is refused, pseudo-translate into a language of its own "
        "(and 11 more catalogs)\n"  # (menus.po and taxonomies.po among them)
    )
    assert _without_cache(tree(site)) == _without_cache(before)
    # One translated entry in a pseudo language's catalog made by extract: refused too.
    assert extrans(site, "extract", "--lang", "qps")[0] == 0
    home = site / "locale/qps/home.po"
    text = home.read_text(encoding="utf-8")
    home.write_text(text.replace('msgstr ""\n\n', 'msgstr "Hola"\n\n', 2), encoding="utf-8")
    before = tree(site)
    code, _, err = extrans(site, "pseudo")
    assert code == 2 and err.startswith("locale/qps/home.po:")
    assert _without_cache(tree(site)) == _without_cache(before)


def test_pseudo_needs_a_language_hugo_knows(site: Path, extrans: Cli) -> None:
    code, _, err = extrans(site, "pseudo")
    assert code == 2
    assert err == (
        "error: 'qps' is not a target language of this site: add it to the Hugo configuration "
        '([languages.qps] with contentDir = "content/qps"), or choose one with --lang\n'
    )
    code, _, err = extrans(site, "pseudo", "--lang", "en")
    assert (code, err) == (
        2,
        "error: 'en' is the source language: it cannot be pseudo-translated\n",
    )


def test_math_written_with_escaped_backslashes_stays_as_it_is() -> None:
    """hugo-book writes ``\\\\( \\pi(x) \\\\)`` (Markdown's escape of a backslash): KaTeX reads
    math there, and so does the ``math`` check."""
    source = "Inline: \\\\( \\pi(x) \\\\), in the line."
    translation = pseudo_translate(source)
    assert "\\\\( \\pi(x) \\\\)" in translation
    assert check_translation(source, translation, ("body: paragraph",)) == []
