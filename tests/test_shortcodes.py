"""The shortcode scanner: calls as Hugo's page lexer reads them, on real text."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest

from extrans.formats.shortcodes import (
    Argument,
    Call,
    find_calls,
    find_pairs,
    hidden_calls,
    holds_data,
)

Run = Callable[..., tuple[int, str, str]]

# From the Docsy user guide (Apache-2.0): a card over several lines, its content, its end.
CARD = """{{< card
  header="**Imagine**"
  title="Artist and songwriter: John Lennon"
>}}
Imagine there's no heaven, It's easy if you try
{{< /card >}}
"""


def test_a_call_over_lines_with_named_arguments_and_their_spans() -> None:
    opening, closing = find_calls(CARD)
    assert (opening.name, opening.delimiter, opening.closing) == ("card", "<", False)
    assert CARD[opening.start : opening.end] == CARD[: CARD.index(">}}") + 3]
    header, title = opening.arguments
    assert header == Argument("header", 0, "**Imagine**", 18, 31, '"')
    assert CARD[title.start : title.end] == '"Artist and songwriter: John Lennon"'
    assert (closing.name, closing.closing, closing.arguments) == ("card", True, ())
    [pair] = find_pairs((opening, closing))
    assert CARD[slice(*pair.inner)] == "\nImagine there's no heaven, It's easy if you try\n"


def test_positional_arguments_quoted_raw_and_bare() -> None:
    # From the Vitess website (Apache-2.0): a raw string over a line of its own.
    text = '{{< expand\n`What mysql permissions are needed`\n"fas fa-angle" >}}'
    [call] = find_calls(text)
    assert [(a.name, a.position, a.value, a.quote) for a in call.arguments] == [
        (None, 0, "What mysql permissions are needed", "`"),
        (None, 1, "fas fa-angle", '"'),
    ]
    [call] = find_calls('{{% notice tip "Say \\"hi\\"" %}}')
    assert [(a.value, a.quote) for a in call.arguments] == [("tip", ""), ('Say "hi"', '"')]
    [call] = find_calls("{{< asciinema cast=a.cast loop=true />}}")
    assert call.self_closing and [a.value for a in call.arguments] == ["a.cast", "true"]


def test_escaped_calls_and_text_that_is_no_call() -> None:
    text = "Write `{{</* youtube id */>}}`, not {{< >}} nor {{< x"
    [call] = find_calls(text)
    assert call == Call(7, 29, "", "<", escaped=True)
    assert find_calls("a {{ .Title }} b {{% x >}}") == ()


def test_hidden_calls_keep_offsets_and_lines_and_show_escaped_calls_as_hugo_does() -> None:
    text = 'Text {{< opt name="x"\n>}} after {{</* y */>}}.\n'
    hidden = hidden_calls(text, find_calls(text))
    assert hidden == "Text XXXXXXXXXXXXXXXX\nXXX after {{<   y   >}}.\n"
    assert len(hidden) == len(text)
    # A pair's calls alone on their lines: blocks of their own (Hugo hides the whole pair).
    text = '{{< tab header="yaml" >}}\n---\n{{< /tab >}}\n'
    assert hidden_calls(text, find_calls(text)) == "<!--XXXXXXXXXXXXXXXXXX-->\n---\n<!--XXXXX-->\n"


def test_data_is_told_from_prose() -> None:
    data = [
        '[params]\ndescription = "A site"\n',  # TOML
        "+++\ntitle = 'Roll Up'\n+++\n",  # TOML front matter
        '{"title": "Saw", "weight": 2}',  # JSON
        "disableKinds: [RSS]\n",  # YAML
        "# the menu\nmenu:\n  main:\n    weight: 10\n",
        "- name: a\n  weight: 1\n- name: b\n",
        "theme: neutral\n",
        "---\ntitle: Search Results\nlayout: search\n---\n",
        "params:\n  version: XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX\n",  # a call inside, hidden
    ]
    prose = [
        "Note: Keep your hips still and heavy on the mat.",
        "NOTE: Please sign up for [honeycomb.io](http://honeycomb.io) to obtain a key",
        "- Roll down slowly.\n- Keep the neck long.\n",
        "- Linux\n- macOS\n",
        "Warning: deprecated",
        "This is _placeholder content_ :heart:",
        "Just some **text**.",
        "",
    ]
    assert [holds_data(text) for text in data] == [True] * len(data)
    assert [holds_data(text) for text in prose] == [False] * len(prose)


PAGE = """---
title: Figures
---
{{< figure src="/mat.png" alt="A mat" caption="The Saw, from the side" >}}

{{% notice tip `Breathe in` %}}
Inhale for five counts.
{{% /notice %}}
"""
HUGO = """baseURL = "https://example.org/"
defaultContentLanguage = "en"
defaultContentLanguageInSubdir = true
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404", "home", "section"]
[markup.goldmark.renderer]
unsafe = true
[languages.en]
contentDir = "content/en"
[languages.es]
contentDir = "content/es"
"""


@pytest.mark.skipif(
    shutil.which("hugo") is None or shutil.which("msgfmt") is None, reason="needs hugo, msgfmt"
)
def test_prose_arguments_go_to_the_catalog_and_come_back_as_hugo_reads_them(
    tmp_path: Path, extrans: Run
) -> None:
    site = tmp_path / "site"
    files = {
        "hugo.toml": HUGO,
        "extrans.toml": 'shortcode-args = ["figure.alt", "figure.caption", "notice.1"]\n',
        "content/en/p.md": PAGE,
        "layouts/_default/single.html": "{{ .Content }}\n",
        "layouts/shortcodes/notice.html": '<aside title="{{ .Get 1 }}">{{ .Inner }}</aside>\n',
    }
    for name, text in files.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    assert extrans(site, "extract")[0] == 0
    catalog = polib.pofile(str(site / "locale/es/p.po"))
    assert [(e.msgid, e.comment) for e in catalog] == [
        ("Figures", "front matter: title"),
        ("A mat", "shortcode: figure alt"),
        ("The Saw, from the side", "shortcode: figure caption"),
        ("Breathe in", "shortcode: notice 1"),
        ("Inhale for five counts.", "body: paragraph"),
    ]
    translations = {
        "Figures": "Figuras",
        "A mat": 'Una "esterilla"',  # a quote in "...": escaped
        "The Saw, from the side": "La sierra, de lado: C:\\",  # a '\' at the end: `...`
        "Breathe in": "Inspira (`) hondo",  # a backquote in `...`: "..."
        "Inhale for five counts.": "Inhala cinco veces.",
    }
    for entry in catalog:
        entry.msgstr = translations[entry.msgid]
    catalog.save()
    subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(site / "locale/es/p.po")], check=True)
    assert extrans(site, "check")[0] == 0
    assert extrans(site, "build")[0] == 0
    built = (site / "content/es/p.md").read_text(encoding="utf-8")
    assert built == (
        "---\ntitle: Figuras\n---\n"
        '{{< figure src="/mat.png" alt="Una \\"esterilla\\"" caption=`La sierra, de lado: C:\\` >}}\n'
        '\n{{% notice tip "Inspira (`) hondo" %}}\nInhala cinco veces.\n{{% /notice %}}\n'
    )
    done = subprocess.run(["hugo", "-s", str(site)], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "WARN" not in done.stdout + done.stderr, done.stderr
    shown = {}
    for language in ("en", "es"):
        html = (site / f"public/{language}/p/index.html").read_text(encoding="utf-8")
        shown[language] = _Shown()
        shown[language].feed(html)
    assert shown["es"].seen == [
        (tag, attribute, translations[text]) for tag, attribute, text in shown["en"].seen
    ]
    assert shown["es"].seen == [
        ("img", "alt", 'Una "esterilla"'),
        ("p", "", "La sierra, de lado: C:\\"),
        ("aside", "title", "Inspira (`) hondo"),
        ("aside", "", "Inhala cinco veces."),
    ]


class _Shown(HTMLParser):
    """The alt and title attributes of a page, and its texts."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, str, str]] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.seen += [(tag, name, value or "") for name, value in attrs if name in ("alt", "title")]

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.seen.append((self.tags[-1] if self.tags else "", "", data.strip()))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.tags:
            del self.tags[len(self.tags) - 1 - self.tags[::-1].index(tag) :]
