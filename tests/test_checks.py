"""extrans check: each check on real text, per-entry and configured switches, output formats."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extrans.formats.catalog import Message, segment_comments
from extrans.formats.checks import CHECKS, SiteRules, check_message, check_translation
from extrans.site.pages import parse_page

from .conftest import settings_with, two_page_site

Run = Callable[..., tuple[int, str, str]]
PARAGRAPH = ("body: paragraph",)


@pytest.mark.parametrize(
    ("source", "translation", "origins", "expected"),
    [
        ("Use `--force` here", "Usa `--forzar` aquí", PARAGRAPH, ["code-span"]),
        ("Use `--force` here", "Usa `--force` aquí", PARAGRAPH, []),
        ("See [the Saw](/exercises/saw/)", "Mira [el Saw](/ejercicios/saw/)", PARAGRAPH, ["link-target"]),
        ("See [the Saw](/exercises/saw/ \"Saw\")", "Mira [el Saw](/exercises/saw/ \"Sierra\")", PARAGRAPH, []),
        ("Try [Spine Stretch][ssf]", "Prueba [Spine Stretch][estiramiento]", PARAGRAPH, ["link-target"]),
        ("![A mat](/img/mat.jpg)", "![Una colchoneta](/img/mat.jpg)", PARAGRAPH, []),
        ('Watch {{< youtube abc >}} now', "Mira el vídeo ahora", PARAGRAPH, ["shortcode"]),
        ('Watch {{< youtube abc >}} now', "Mira {{< youtube abc ahora", PARAGRAPH, ["shortcode"]),
        ("Use the {{ .Title }}", "Usa el {{< .Title }}", PARAGRAPH, ["shortcode", "placeholder"]),
        ('Watch {{< youtube abc >}} now', 'Mira {{< youtube abc >}} {{% ahora', PARAGRAPH, ["shortcode"]),
        ("Hello {{ .Params.name }}", "Hola {{ .Params.nombre }}", PARAGRAPH, ["placeholder"]),
        ("{{ .Count }} minutes", "{{ .Cuenta }} minutos", ("i18n: minutes",), ["placeholder"]),
        ("{{ .Count }} minutes", "minutos: {{ .Count }}", ("i18n: minutes",), []),
        ('Read {{ T "more" }}', "Leer más", ("i18n: readMore",), ["placeholder"]),
        ("{{- .Name -}} wrote", "escribió {{- .Name -}}", ("i18n: by",), []),
        ("{{ .Count | lang.FormatNumber 0 }} pages", "{{ .Count }} páginas", ("i18n: pages",), ["placeholder"]),
        ("Press <kbd>Ctrl</kbd>", "Pulsa <kbd>Ctrl</kbd>", PARAGRAPH, []),
        ("Press <kbd>Ctrl</kbd>", "Pulsa <b>Ctrl</b>", PARAGRAPH, ["html"]),
        ("Breathe", "Respira<script>alert(1)</script>", PARAGRAPH, ["html"]),
        ("Breathe", 'Respira <img src=x onerror="alert(1)">', PARAGRAPH, ["html"]),
        ("**Hips sagging** - Keep hips up", "**Cadera hundida - Mantén la cadera", PARAGRAPH, ["emphasis"]),
        ("An *easy* one", "Uno *fácil", PARAGRAPH, ["emphasis"]),
        ("Benefits", "Beneficios\nprincipales", ("body: heading",), ["single-line"]),
        ("Benefits", "Beneficios\nprincipales", PARAGRAPH, []),
        ("Minimalism over features.", "Minimalismo\nsobre funciones.", ("body: definition term",), ["single-line"]),
        ("Focus", "Foco | atención", ("body: table cell",), ["table-pipe"]),
        ("Focus", "Foco \\| atención", ("body: table cell",), []),
        ("Focus", "Foco\\", ("body: table cell",), ["table-pipe"]),
        ("Focus", "Foco\\\\", ("body: table cell",), ["table-pipe"]),
        ("Focus", "Foco&#92;", ("body: table cell",), []),
        ('{{< x "a|b" >}} here', '{{< x "a|b" >}} aquí', ("body: table cell",), []),
        ("Drive C:\\", "Unidad C:\\", ("body: table cell",), []),
        ("Hold it.", "# Mantén", PARAGRAPH, ["block-syntax"]),
        ("Hold it.", "Mantén.\n- y respira", PARAGRAPH, ["block-syntax"]),
        ("Hold it.", "---", ("front matter: title",), []),
        ("Hold it.", " Mantén.", PARAGRAPH, ["whitespace"]),
        ("Inhale,\\\nexhale.", "Inhala, exhala.", PARAGRAPH, ["hard-break"]),
        ("pilates, mat, core", "pilates, colchoneta", ("front matter: keywords",), ["list-items"]),
        ("Keep your neck long and relaxed", "Keep your neck long and relaxed", PARAGRAPH, ["untranslated"]),
        ("Roll Up", "Roll Up", ("front matter: title",), []),
        ("from 1.4K to 2.2K projects! [^1]", "¡de 1,4K a 2,2K proyectos! [^1]", PARAGRAPH, []),
        ("See [^note] and [^1].", "Ver [^1] y [^note].", PARAGRAPH, []),
        ("See [^note] and [^1].", "Ver [^1] y [^NOTE].", PARAGRAPH, ["footnote-ref"]),
        ("See [^note].", "Ver la nota.", PARAGRAPH, ["footnote-ref"]),
        ("Set up {#setup .wide}", "Preparación {#setup .wide}", ("body: heading",), []),
        ("Set up {#setup .wide}", "Preparación {#preparacion .wide}", ("body: heading",), ["attribute-list"]),
        ("Costs $5 and $10.", "Cuesta 5 $ y 10 $.", PARAGRAPH, []),
        ("Where $E = mc^2$ holds", "Donde $E = mc^3$ vale", PARAGRAPH, ["math"]),
        ("Where \\(x_1\\) holds", "Donde \\(x_1\\) vale", PARAGRAPH, []),
        ("Where \\(x_1\\) holds", "Donde x_1 vale", PARAGRAPH, ["math"]),
        ("Hold it.", "Mantén.\n: y respira", PARAGRAPH, ["block-syntax"]),
        ("Hold it.", "Mantén.\n{.lead}", PARAGRAPH, ["attribute-list", "block-syntax"]),
    ],
)  # fmt: skip
def test_each_check(
    source: str, translation: str, origins: tuple[str, ...], expected: list[str]
) -> None:
    assert [f.check for f in check_translation(source, translation, origins)] == expected


def test_every_check_has_a_name_severity_and_summary() -> None:
    assert len(CHECKS) >= 12
    for name, check in CHECKS.items():
        assert name == check.name and check.severity in ("error", "warning") and check.summary


def test_switches_per_entry_and_per_site() -> None:
    message = Message(
        "See [the Saw](/exercises/saw/)",
        "Mira [el Saw](/ejercicios/saw/)",
        translator_comments=("extrans-ignore: link-target",),
        extracted_comments=PARAGRAPH,
    )
    assert check_message(message, "a.po") == []
    unswitched = Message(message.msgid, message.msgstr, extracted_comments=PARAGRAPH)
    assert [f.severity for f in check_message(unswitched, "a.po")] == ["error"]
    assert [f.severity for f in check_message(unswitched, "a.po", {"link-target": "warning"})] == [
        "warning"
    ]
    assert check_message(unswitched, "a.po", {"link-target": "off"}) == []


def break_a_link(site: Path) -> int:
    """Translate one entry with a changed link destination; return its msgstr line."""
    catalog = site / "locale/es/exercise-swan-dive.po"
    lines = catalog.read_text(encoding="utf-8").split("\n")
    for number, line in enumerate(lines):
        if (
            line.startswith('msgid "Swan Dive is one')
            or "[The Hundred](/exercises/the-hundred/" in line
        ):
            start = number
            break
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("msgstr"))
    lines[end] = 'msgstr "Mira [el Hundred](/es/ejercicios/hundred/ \\"El Hundred\\")."'
    catalog.write_text("\n".join(lines), encoding="utf-8")
    return end + 1


def test_check_reports_like_a_compiler(site: Path, extrans: Run) -> None:
    extrans(site, "extract")
    line = break_a_link(site)
    code, out, _ = extrans(site, "check")
    assert code == 1
    assert (
        f"locale/es/exercise-swan-dive.po:{line}: error[link-target]: link and image destinations"
        in out
    )
    assert "1 errors, 0 warnings" in out
    code, out, _ = extrans(site, "check", "--format", "github")
    assert out.startswith(
        f"::error file=locale/es/exercise-swan-dive.po,line={line},title=link-target::"
    )
    code, out, _ = extrans(site, "check", "--format", "json")
    document = json.loads(out)
    assert document["schema"] == "extrans-check/1"
    assert [(f["line"], f["check"]) for f in document["findings"]] == [(line, "link-target")]


def translate(catalog: Path, translations: dict[str, str]) -> None:
    """Give each msgid of ``translations`` (on one line in ``catalog``) its msgstr."""
    text = catalog.read_text(encoding="utf-8")
    for msgid, msgstr in translations.items():
        entry = f'msgid "{msgid}"\nmsgstr ""\n'
        assert entry in text, msgid
        text = text.replace(entry, f'msgid "{msgid}"\nmsgstr "{msgstr}"\n')
    catalog.write_text(text, encoding="utf-8")


def test_check_formats_byte_for_byte(tmp_path: Path, extrans: Run) -> None:
    """Each format of ``check``, with an error, a warning and a catalog that cannot be read."""
    site = two_page_site(tmp_path / "site")
    extrans(site, "extract")
    stretch = "Extend your arms out to the sides at shoulder height"
    translate(site / "locale/es/exercise-saw.po", {"Saw": " Sierra", stretch: stretch})
    (site / "locale/es/home.po").write_text('msgid "a"\nmsgstr "b" junk\n', "utf-8")
    unreadable = "locale/es/home.po:2: error: cannot parse this line: 'msgstr \"b\" junk'\n"
    whitespace = "locale/es/exercise-saw.po:18: error[whitespace]: leading whitespace added or lost"
    untranslated = (
        "locale/es/exercise-saw.po:59: warning[untranslated]: "
        "identical to a long source text: probably left untranslated"
    )
    assert extrans(site, "check") == (
        2,
        f"{whitespace}\n{untranslated}\n2 translations in 3 catalogs checked: 1 errors, 1 warnings\n"
        "site strings: locale/es/menus.po, locale/es/taxonomies.po\n",  # (the menus, the terms)
        unreadable,
    )
    assert extrans(site, "check", "--format", "github") == (
        2,
        "::error file=locale/es/exercise-saw.po,line=18,title=whitespace::"
        "leading whitespace added or lost\n"
        "::warning file=locale/es/exercise-saw.po,line=59,title=untranslated::"
        "identical to a long source text: probably left untranslated\n"
        "::error file=locale/es/home.po,line=2,title=unreadable::"
        "cannot parse this line: 'msgstr \"b\" junk'\n",
        unreadable,
    )
    code, out, err = extrans(site, "check", "--format", "json")
    assert (code, err) == (2, "")
    assert out == (
        "{\n"
        '  "schema": "extrans-check/1",\n'
        '  "catalogs": 3,\n'
        '  "entries": 2,\n'
        '  "findings": [\n'
        "    {\n"
        '      "path": "locale/es/exercise-saw.po",\n'
        '      "line": 18,\n'
        '      "severity": "error",\n'
        '      "check": "whitespace",\n'
        '      "message": "leading whitespace added or lost",\n'
        '      "msgid": "Saw"\n'
        "    },\n"
        "    {\n"
        '      "path": "locale/es/exercise-saw.po",\n'
        '      "line": 59,\n'
        '      "severity": "warning",\n'
        '      "check": "untranslated",\n'
        '      "message": "identical to a long source text: probably left untranslated",\n'
        f'      "msgid": "{stretch}"\n'
        "    }\n"
        "  ],\n"
        '  "site_strings": [\n'
        '    "locale/es/menus.po",\n'
        '    "locale/es/taxonomies.po"\n'
        "  ],\n"
        '  "unreadable": [\n'
        "    {\n"
        '      "path": "locale/es/home.po",\n'
        '      "line": 2,\n'
        '      "message": "cannot parse this line: \'msgstr \\"b\\" junk\'"\n'
        "    }\n"
        "  ]\n"
        "}\n"
    )
    code, out, _ = extrans(site, "status", "--format", "json")
    assert code == 2 and out.endswith(  # (the same rows as check's "unreadable")
        '  "errors": [\n'
        "    {\n"
        '      "path": "locale/es/home.po",\n'
        '      "line": 2,\n'
        '      "message": "cannot parse this line: \'msgstr \\"b\\" junk\'"\n'
        "    }\n"
        "  ]\n"
        "}\n"
    )


def test_build_does_not_use_a_translation_with_an_error(site: Path, extrans: Run) -> None:
    extrans(site, "extract")
    line = break_a_link(site)
    code, _, err = extrans(site, "build", "--threshold", "0")
    assert code == 0
    assert (
        f"locale/es/exercise-swan-dive.po:{line}: error[link-target]" in err and "not used" in err
    )
    built = (site / "content/es/exercises/swan-dive.md").read_text(encoding="utf-8")
    assert "/es/ejercicios/hundred/" not in built


def test_warnings_fail_only_with_strict(site: Path, extrans: Run) -> None:
    extrans(site, "extract")
    catalog = site / "locale/es/exercise-saw.po"
    text = catalog.read_text(encoding="utf-8")
    source = 'msgid "Keep both hips heavy on the mat as you rotate"\nmsgstr ""'
    assert source in text
    catalog.write_text(
        text.replace(source, source[:-2] + '"Keep both hips heavy on the mat as you rotate"'),
        "utf-8",
    )
    assert extrans(site, "check")[0] == 0
    code, out, _ = extrans(site, "check", "--strict")
    assert code == 1 and "warning[untranslated]" in out


def test_configured_severity_and_unknown_check(site: Path, extrans: Run) -> None:
    config = site / "extrans.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + '\n[checks]\nlink-targte = "off"\n', "utf-8"
    )
    code, _, err = extrans(site, "check")
    assert code == 2 and "unknown check 'checks.link-targte'; did you mean 'link-target'?" in err


# The markers' corner cases, each with the exact message (or none) a translation gets.
CELL = ("body: table cell",)


@pytest.mark.parametrize(
    ("source", "translation", "origins", "expected"),
    [
        ("Run ``a`b`` now", "Ejecuta ``a`b`` ahora", PARAGRAPH, []),
        ("Run ``a`b`` now", "Ejecuta ``a`c`` ahora", PARAGRAPH, ["code-span: inline code must come back unchanged: missing '``a`b``'; added '``a`c``'"]),
        ("Run `a` or `b`", "Ejecuta `a` o `c`", PARAGRAPH, ["code-span: inline code must come back unchanged: missing '`b`'; added '`c`'"]),
        ("Press \\*\\* twice", "Pulsa \\*\\* dos veces", PARAGRAPH, []),
        ("Press \\*\\* twice", "Pulsa ** dos veces", PARAGRAPH, ["emphasis: unbalanced ** markers: 1 in the translation"]),
        ("Use my__var here", "Usa my__var aquí", PARAGRAPH, []),
        ("Use my_var__ here", "Usa my_var__ aquí", PARAGRAPH, []),
        ("Use my__var here", "Usa __var aquí", PARAGRAPH, ["emphasis: unbalanced ** markers: 1 in the translation"]),
        ("Keep a \\* here", "Deja un \\* aquí", PARAGRAPH, []),
        ("Keep `*` here", "Deja `*` aquí", PARAGRAPH, []),
        ("Keep a \\* here", "Deja un * aquí", PARAGRAPH, ["emphasis: unbalanced * markers: 1 in the translation"]),
        ("Not \\~~ struck", "No \\~~ tachado", PARAGRAPH, []),
        ("Not \\~~ struck", "No ~~ tachado", PARAGRAPH, ["emphasis: unbalanced ~~ markers: 1 in the translation"]),
        ("a ~~b~~ c", "a ~~b c", PARAGRAPH, ["emphasis: unbalanced ~~ markers: 1 in the translation"]),
        ("In or out", "Dentro \\| fuera", CELL, []),
        ("In `a|b` or out", "Dentro `a|b` o fuera", CELL, []),
        ("In or out", "Dentro | fuera", CELL, ["table-pipe: an unescaped '|' splits the table cell; write '\\|'"]),
    ],
)  # fmt: skip
def test_markers_escaped_in_words_and_in_code(
    source: str, translation: str, origins: tuple[str, ...], expected: list[str]
) -> None:
    found = check_translation(source, translation, origins)
    assert [f"{f.check}: {f.message}" for f in found] == expected


# Whatever a text holds of the markers' characters, that text given back as its own translation
# breaks no marker, and a table cell whose every '|' is escaped is never split.
_MARKER_TEXTS = st.text("`a\n \\*_1é~|", max_size=16)


@given(_MARKER_TEXTS)
def test_a_text_given_back_unchanged_keeps_its_markers(text: str) -> None:
    findings = check_translation(text, text, PARAGRAPH, only=frozenset(CHECKS) - {"untranslated"})
    assert [f.check for f in findings if f.check in ("code-span", "emphasis")] == []


@given(_MARKER_TEXTS)
def test_a_cell_with_every_pipe_escaped_is_not_split(text: str) -> None:
    cell = text.replace("\\", "").replace("|", "\\|")
    assert check_translation("In or out", cell, CELL, only=frozenset({"table-pipe"})) == []


# The code spans Hugo renders are the oracle of the code-span check: a translation passes it
# exactly when Hugo makes the same <code> elements of it as of its source.
CODE_SPAN_PAIRS = [
    ("Run ``a`b`` now", "Ejecuta ``a`b`` ahora"),
    ("Run ``a`b`` now", "Ejecuta ``a`c`` ahora"),
    ("Run `a` or `b`", "Ejecuta `b` o `a`"),
    ("Run `a` or `b`", "Ejecuta `a` o `c`"),
    ("Type \\` then `x`", "Escribe \\` y luego `x`"),
    ("Type \\` then `x`", "Escribe \\` y luego `y`"),
    ("Keep `*` and `|` here", "Deja `*` y `|` aquí"),
    ("A ``` run `x` here", "Una ``` serie `x` aquí"),
    ("One `` x`", "Uno `` x`"),
]


@pytest.mark.skipif(shutil.which("hugo") is None, reason="needs Hugo: apt-get install hugo")
def rendered_by_hugo(folder: Path, bodies: list[str]) -> dict[str, str]:
    """The HTML the real ``hugo`` renders of each body, one page each."""
    site = folder / "site"
    (site / "content").mkdir(parents=True)
    (site / "layouts/_default").mkdir(parents=True)
    (site / "hugo.toml").write_text('disableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n')
    (site / "layouts/_default/single.html").write_text("{{ .Content }}")
    (site / "layouts/_default/list.html").write_text("")
    for n, body in enumerate(bodies):
        (site / f"content/t{n}.md").write_text(f"---\ntitle: t\n---\n\n{body}\n", "utf-8")
    done = subprocess.run(
        ["hugo", "--quiet", "-s", str(site), "-d", str(folder / "public")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return {
        body: (folder / f"public/t{n}/index.html").read_text("utf-8")
        for n, body in enumerate(bodies)
    }


def test_code_spans_are_the_ones_hugo_renders(tmp_path: Path) -> None:
    texts = sorted({text for pair in CODE_SPAN_PAIRS for text in pair})
    html = rendered_by_hugo(tmp_path, texts)

    def code_of(text: str) -> list[str]:
        return sorted(re.findall(r"<code>(.*?)</code>", html[text], re.S))

    for source, translation in CODE_SPAN_PAIRS:
        found = check_translation(source, translation, PARAGRAPH, only=frozenset({"code-span"}))
        assert (found == []) == (code_of(source) == code_of(translation)), (source, translation)


FOOTNOTE_PAIRS = [
    ("Projects grew [^1] and grew [^2].", "Los proyectos crecieron [^2] y crecieron [^1]."),
    ("Projects grew [^1] and grew [^2].", "Los proyectos crecieron [^1] y crecieron [^3]."),
    ("See the note[^note].", "Ver la nota[^NOTE]."),
    ("See the note[^note].", "Ver la nota [^note]."),
]
"""Sources and translations with footnote references, in a page with the definitions of
``1``, ``2`` and ``note`` (the first from docsy.dev's ``blog/2024/year-in-review.md``)."""


@pytest.mark.skipif(shutil.which("hugo") is None, reason="needs Hugo: apt-get install hugo")
def test_footnote_references_are_the_ones_hugo_renders(tmp_path: Path) -> None:
    texts = sorted({text for pair in FOOTNOTE_PAIRS for text in pair})
    notes = (
        "[^1]: Based on GitHub analytics as of the time of writing.\n"
        "[^2]: A second note.\n[^note]: A named note.\n"
    )
    html = rendered_by_hugo(tmp_path, [f"{text}\n\n{notes}" for text in texts])

    def notes_of(text: str) -> list[str]:
        return sorted(re.findall(r'<li id="fn:\d+">(.*?)&#160;', html[f"{text}\n\n{notes}"], re.S))

    for source, translation in FOOTNOTE_PAIRS:
        only = frozenset({"footnote-ref"})
        found = check_translation(source, translation, PARAGRAPH, only=only)
        assert (found == []) == (notes_of(source) == notes_of(translation)), (source, translation)


REFERENCE_DEFINITIONS = """\
[blogged about elsewhere]:
  https://www.cncf.io/blog/2023/01/19/fast-and-effective-tools-for-cncf-and-open-source-project-websites/
[docsy-analytics]: https://github.com/google/docsy/network/dependents
[the guide]: https://example.org/guide/
[collapsed one]: https://example.org/collapsed/
[logo]: /images/logo.png
"""
"""A page's link reference definitions (the first two from docsy.dev's
``blog/2023/priorities-for-2024.md``)."""

REFERENCE_PAIRS = [
    ("as I've [blogged about\nelsewhere]. It's", "como he [contado en otro sitio]. Es"),
    ("as I've [blogged about\nelsewhere]. It's", "como he [contado][blogged about elsewhere]. Es"),
    ("as I've [blogged about\nelsewhere]. It's", "como he [blogged about elsewhere]. Es"),
    (
        "Docsy [used by 1.4K\nprojects][docsy-analytics].",
        "Docsy [usado por 1,4K][docsy-analytics].",
    ),
    ("See [the guide] or the [collapsed one][].", "Ver el [collapsed one][] o [the guide]."),
    ("See [the guide] or the [collapsed one][].", "Ver [The Guide] o el [collapsed one][]."),
    ("See [the guide] or the [collapsed one][].", "Ver [la guía] o el [collapsed one][]."),
    ("See [the guide] or the [collapsed one][].", "Ver [the guide] o el [plegado][]."),
    ("See [the guide] or the [collapsed one][].", "Ver `[the guide]` o el [collapsed one][]."),
    ("See [the guide] or the [collapsed one][].", "Ver [the guide] o el [collapsed one]."),
    ("Prose [in brackets] stays prose.", "La prosa [entre corchetes] sigue siéndolo."),
    ("Our ![logo] here.", "Nuestro ![logotipo] aquí."),
    ("Our ![logo] here.", "Nuestro ![logo] aquí."),
]
"""Sources and translations with shortcut, collapsed and full references, in a page with
:data:`REFERENCE_DEFINITIONS`."""


@pytest.mark.skipif(shutil.which("hugo") is None, reason="needs Hugo: apt-get install hugo")
def test_reference_labels_are_the_ones_hugo_resolves(tmp_path: Path) -> None:
    """A translation passes link-target exactly when Hugo renders the links and images of
    its source; the labels to keep come from extracting the source page."""
    texts = sorted({text for pair in REFERENCE_PAIRS for text in pair})
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "layouts/_default").mkdir(parents=True)
    (site / "hugo.toml").write_text('disableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n')
    (site / "layouts/_default/single.html").write_text("{{ .Content }}")
    (site / "layouts/_default/list.html").write_text("")
    pages = {text: f"---\ntitle: t\n---\n\n{text}\n\n{REFERENCE_DEFINITIONS}" for text in texts}
    for n, text in enumerate(texts):
        (site / f"content/t{n}.md").write_text(pages[text], "utf-8")
    done = subprocess.run(
        ["hugo", "--quiet", "-s", str(site), "-d", str(tmp_path / "public")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr

    def links_of(text: str) -> list[str]:
        page = tmp_path / f"public/t{texts.index(text)}/index.html"
        return sorted(re.findall(r'<(?:a href|img src)="([^"]*)"', page.read_text("utf-8")))

    refused = []
    for source, translation in REFERENCE_PAIRS:
        page = parse_page(pages[source], "content/en/t.md", settings_with("title"))
        (segment,) = [s for s in page.segments if s.origin.startswith("body")]
        origins = segment_comments(segment)
        only = frozenset({"link-target"})
        found = check_translation(segment.text, translation, origins, only=only)
        assert (found == []) == (links_of(source) == links_of(translation)), (source, translation)
        refused += [str(finding) for finding in found]
    assert len(refused) == 5
    assert refused[0] == (
        ":0: error[link-target]: link and image destinations must come back unchanged: missing "
        "'[blogged about elsewhere]' (a shortcut reference's text is its label: keep "
        "[blogged about elsewhere] as it is, or write [your text][blogged about elsewhere])"
    )


PROSE = ("figure.caption", "glossary_tooltip.text")


@pytest.mark.parametrize(
    ("source", "translation", "origins", "expected"),
    [
        # A call inside a text: only its prose arguments may change.
        ('Use {{< glossary_tooltip text="hooks" term_id="hook" >}} here',
         'Usa {{< glossary_tooltip text="ganchos" term_id="hook" >}} aquí', PARAGRAPH, []),
        ('Use {{< glossary_tooltip text="hooks" term_id="hook" >}} here',
         'Usa {{< glossary_tooltip text="ganchos" term_id="gancho" >}} aquí', PARAGRAPH,
         ["shortcode"]),
        # A prose argument's own text: one line, and quoting Hugo can read back.
        ("The Saw", "La sierra", ("shortcode: figure caption",), []),
        ("The Saw", "La\nsierra", ("shortcode: figure caption",), ["single-line"]),
        ("The Saw", "# La sierra", ("shortcode: figure caption",), []),
        ("The Saw", "La ` sierra \\", ("shortcode: figure caption",), ["shortcode"]),
    ],
)  # fmt: skip
def test_shortcode_arguments_that_hold_prose(
    source: str, translation: str, origins: tuple[str, ...], expected: list[str]
) -> None:
    found = check_translation(source, translation, origins, site=SiteRules(prose_arguments=PROSE))
    assert [f.check for f in found] == expected
    if expected == ["shortcode"] and "{{" in source:  # (shown with its prose as "…")
        assert 'missing \'{{< glossary_tooltip text="…" term_id=' in found[0].message


@pytest.mark.parametrize(
    ("translation", "prefix", "expected"),
    [
        ("Ver [la sierra](/es/exercises/saw/) y [el rodillo](/exercises/roll/).", "/es", []),
        ("Ver [la sierra](/exercises/saw/) y [el rodillo](/es/exercises/roll/).", "/es", []),
        ("Ver [la sierra](/es/exercises/saw/) y [el rodillo](/exercises/roll/).", "", ["link-target"]),
        ("Ver [la sierra](/fr/exercises/saw/) y [el rodillo](/exercises/roll/).", "/es", ["link-target"]),
        ("Ver [la sierra](/es/es/exercises/saw/) y [el rodillo](/exercises/roll/).", "/es", ["link-target"]),
    ],
)  # fmt: skip
def test_a_link_may_come_back_under_the_language_path(
    translation: str, prefix: str, expected: list[str]
) -> None:
    """A root-relative link of the source may point to the page in the translation's language
    (``/es/...``, as hand translations write it), never to another language's."""
    source = "See [the saw](/exercises/saw/) and [the roll](/exercises/roll/)."
    found = check_translation(source, translation, PARAGRAPH, site=SiteRules(link_prefix=prefix))
    assert [finding.check for finding in found] == expected


def test_an_image_does_not_move_under_the_language_path() -> None:
    """Pictures are published once, at the site's root."""
    source, translation = "![The saw](/images/saw.png)", "![La sierra](/es/images/saw.png)"
    site = SiteRules(link_prefix="/es")
    found = check_translation(source, translation, ("body: image alt",), site=site)
    assert [finding.check for finding in found] == ["link-target"]
