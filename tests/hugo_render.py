"""Hugo as the judge of built pages: a site is localized the way a team would do it (extract,
pseudo-translate every catalog, build), rendered by the real ``hugo``, and each page's HTML
element sequence in the target language is compared with the source language's.

The comparison sees tags and their attributes in order, not text: attributes whose value is
text a reader sees (``alt``, ``title``, ``aria-label``) keep their name only, a heading's
``id`` that Hugo derived from its text is marked as such (``id=(text:install-hugo)``: two
such ids are the same), URLs lose their language prefix
and ``lang`` its value. Display math (``$$...$$``), which is markup a translation must keep,
counts as an element with its content. Used by ``tests/test_round_trip.py``,
``tests/test_render_parity.py`` and ``tools/render_parity.py``.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from bench.pseudo import pseudo_file
from extrans.__main__ import run
from extrans.formats.frontmatter import split_front_matter

HUGO_CONFIG = {
    "baseURL": "https://example.org/",
    "disableKinds": ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404", "home", "section"],
    "refLinksErrorLevel": "WARNING",
}
_SHORTCODE = re.compile(r"\{\{([<%])\s*(/?)\s*([\w./-]+)(.*?)[>%]\}\}", re.DOTALL)
_TEXT_ATTRIBUTES = frozenset({"alt", "title", "aria-label", "placeholder"})
_URL_ATTRIBUTES = frozenset({"href", "src", "action", "content", "srcset", "poster"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_MATH = re.compile(r"\$\$(.+?)\$\$", re.DOTALL)
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)


@dataclass(frozen=True, slots=True)
class Difference:
    """Where two element sequences part: the first element that differs, on each side."""

    index: int
    """Position of the element in both sequences (-1: the built page failed the render)."""
    source: str
    """The source language's element there (``(end)`` past its last)."""
    built: str
    """The target language's element there."""

    def __str__(self) -> str:
        return f"element {self.index}: {self.source} became {self.built}"


def _derived(id_: str, text: str) -> bool:
    """Whether ``id_`` is one Hugo's Goldmark derived from a heading's ``text``: the words of
    the text, lowered, in order (Goldmark also keeps the source of inline HTML, link
    destinations and emphasis markers, and may add ``-1``)."""
    words = "".join(c if c.isalnum() else " " for c in text.lower()).split()
    position = 0
    for word in words:
        position = id_.find(word, position)
        if position < 0:
            return False
        position += len(word)
    return bool(words)


_DERIVED_ID = re.compile(r"id=\(text:([^)]*)\)")


def same_element(source: str, built: str) -> bool:
    """Whether two elements are the same: equal, or two headings whose ids both come from
    their texts, or one whose derived id is the other's id."""
    if source == built:
        return True
    derived = (_DERIVED_ID.sub("id=(text)", source), _DERIVED_ID.sub("id=(text)", built))
    raw = (_DERIVED_ID.sub(r"id='\1'", source), _DERIVED_ID.sub(r"id='\1'", built))
    return derived[0] == derived[1] or raw[0] == raw[1]


class _Elements(HTMLParser):
    """The element sequence of an HTML page (see the module's docstring)."""

    def __init__(self, language_prefix: str) -> None:
        super().__init__(convert_charrefs=True)
        self._prefix = re.compile(rf"^((?:https?:)?//[^/]+)?/{re.escape(language_prefix)}(/|$)")
        self._has_prefix = bool(language_prefix)
        self.elements: list[str] = []
        self._text: list[str] = []
        self._heading: tuple[int, str, list[str]] | None = None

    def _url(self, value: str) -> str:
        if not self._has_prefix:
            return value
        if value.startswith("0; url="):  # a redirect's <meta http-equiv="refresh">
            return "0; url=" + self._url(value.removeprefix("0; url="))
        return self._prefix.sub(r"\1/", value)

    def _attribute(self, name: str, value: str | None) -> str:
        if value is None:
            return name
        if name in _TEXT_ATTRIBUTES:
            return f"{name}=…"
        if name in ("lang", "hreflang"):
            return f"{name}=(lang)"
        if name in _URL_ATTRIBUTES:
            value = self._url(value)
        return f"{name}={value!r}"

    def _flush_text(self) -> None:
        text = "".join(self._text)
        self._text.clear()
        if self._heading is not None:
            self._heading[2].append(text)
        self.elements += [f"math {math.strip()!r}" for math in _MATH.findall(text)]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._flush_text()
        shown = sorted(self._attribute(name, value) for name, value in attrs)
        self.elements.append(f"<{' '.join([tag, *shown])}>")
        if tag in _HEADINGS:
            self._heading = (len(self.elements) - 1, dict(attrs).get("id") or "", [])

    def handle_endtag(self, tag: str) -> None:
        self._flush_text()
        if tag in _HEADINGS and self._heading is not None:
            index, id_, texts = self._heading
            text = "".join(texts)
            # (Goldmark derives a setext heading's id from its last line only)
            if id_ and any(_derived(id_, t) for t in (text, *text.splitlines()[-1:])):
                marked = f"id=(text:{id_})"
                self.elements[index] = self.elements[index].replace(f"id={id_!r}", marked)
            self._heading = None
        if tag not in _VOID:
            self.elements.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self._text.append(data)

    def close(self) -> None:
        super().close()
        self._flush_text()


def elements(html: str, language_prefix: str = "") -> list[str]:
    """The element sequence of ``html``; ``language_prefix`` (``es``) is taken off its URLs."""
    parser = _Elements(language_prefix)
    parser.feed(html)
    parser.close()
    return parser.elements


def first_difference(source: Sequence[str], built: Sequence[str]) -> Difference | None:
    """The first place where ``built`` differs from ``source``; ``None`` if they are equal."""
    for index, (a, b) in enumerate(zip(source, built, strict=False)):
        if not same_element(a, b):
            return Difference(index, a, b)
    if len(source) == len(built):
        return None
    index = min(len(source), len(built))
    return Difference(
        index,
        source[index] if index < len(source) else "(end)",
        built[index] if index < len(built) else "(end)",
    )


def pseudo_translate(catalogs: Path) -> int:
    """Pseudo-translate every catalog under ``catalogs`` in place; how many changed. (The one
    place the transform is chosen: letters change, markup stays.)"""
    return sum(pseudo_file(path) for path in sorted(catalogs.rglob("*.po")))


@dataclass(frozen=True, slots=True)
class Localized:
    """What the commands said while a site was localized."""

    exit_codes: tuple[int, int]
    """``extrans extract``'s and ``extrans build``'s."""
    catalogs: int
    """Catalogs the pseudo-translation changed."""
    output: str
    """Both commands' standard output and error."""


def localize_site(site: Path, language: str) -> Localized:
    """Extract ``site``'s catalogs, pseudo-translate those of ``language``, build its pages."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        extracted = run(["--site", str(site), "extract", "--lang", language, "--no-cache"])
        changed = pseudo_translate(site / "locale" / language)
        built = run(["--site", str(site), "build", "--lang", language, "--no-cache"])
    return Localized((extracted, built), changed, out.getvalue())


def hugo(source: Path) -> subprocess.CompletedProcess[str]:
    """Render the site in ``source`` into its ``public/`` with the real ``hugo``."""
    return subprocess.run(
        ["hugo", "--source", str(source), "--destination", str(source / "public")],
        capture_output=True,
        text=True,
        check=False,
    )


def complaints(run: subprocess.CompletedProcess[str]) -> list[str]:
    """The ERROR and WARN lines ``hugo`` printed."""
    lines = (run.stdout + run.stderr).splitlines()
    return [line for line in lines if re.match(r"(Error|ERROR|WARN)\b", line)]


def _shortcode_uses(body: str) -> dict[str, bool] | None:
    """Whether each shortcode of ``body`` is used with a closing tag; ``None`` if one is
    used both ways."""
    opened: Counter[str] = Counter()
    closed: Counter[str] = Counter()
    for match in _SHORTCODE.finditer(body):
        name = match[3]
        if match[2]:
            closed[name] += 1
        elif not match[4].rstrip().endswith("/"):
            opened[name] += 1
    if any(closed[name] not in (0, opened[name]) for name in opened | closed):
        return None
    return {name: closed[name] > 0 for name in opened | closed}


def rendered_differently(
    pages: Mapping[str, tuple[str, str]],
    folder: Path,
    goldmark: Mapping[str, object] | None = None,
) -> dict[str, Difference]:
    """The names of ``pages`` (name → source text, built text) whose bodies Hugo renders to
    different element sequences, with the first difference of each (``index`` -1 and Hugo's
    error when the built body fails the render). Hugo reads Markdown with ``goldmark``, a
    site's ``markup.goldmark`` settings (unsafe HTML on, whatever they say). The sites' own
    shortcode templates are not there: a paired shortcode renders as a ``<div>`` around its
    content, any other as an empty ``<span>`` (most print a value or an icon in the text),
    with no newline after it (a ``{{% %}}`` call at the end of a line would end the paragraph
    with it, where a translation on one line would not); a page
    that uses one both with and without a closing tag, which such a stand-in cannot serve, is
    left out, and so is a source body Hugo cannot render with the stand-ins."""
    uses: dict[str, dict[str, bool]] = {}
    bodies: dict[str, tuple[str, str]] = {}
    for name, (source, built) in pages.items():
        pair = tuple(
            text[split_front_matter(text, "p.md").body_start :] for text in (source, built)
        )
        found = _shortcode_uses(pair[0])
        if found is not None:
            uses[name], bodies[name] = found, (pair[0], pair[1])
    votes = Counter(
        (shortcode, closed) for found in uses.values() for shortcode, closed in found.items()
    )
    closing = {
        shortcode: votes[shortcode, True] >= votes[shortcode, False] for shortcode, _ in votes
    }
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "layouts" / "_default").mkdir(parents=True)
    config = {**HUGO_CONFIG, "markup": {"goldmark": _unsafe(goldmark or {})}}
    (folder / "hugo.json").write_text(json.dumps(config), encoding="utf-8")
    (folder / "layouts" / "_default" / "single.html").write_text("{{ .Content }}\n", "utf-8")
    for shortcode, inner in closing.items():
        template = folder / "layouts" / "shortcodes" / f"{shortcode}.html"
        template.parent.mkdir(parents=True, exist_ok=True)
        stand_in = (
            '<div class="shortcode">{{ .Inner }}</div>'
            if inner
            else '<span class="shortcode"></span>'
        )
        template.write_text(stand_in, encoding="utf-8")
    numbered = [
        name for name in sorted(bodies) if all(closing[s] == c for s, c in uses[name].items())
    ]
    for number, name in enumerate(numbered):
        for side, body in zip("ab", bodies[name], strict=True):
            page = folder / "content" / side / f"p{number}.md"
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(f"---\n---\n{body}", encoding="utf-8")  # (no front matter)
    differences: dict[str, Difference] = {}
    rendered = set(range(len(numbered)))
    for _ in range(len(numbered) + 1):
        shutil.rmtree(folder / "public", ignore_errors=True)
        done = hugo(folder)
        if done.returncode == 0:
            break
        failed = re.findall(r"content/([ab])/p(\d+)\.md", done.stderr)
        assert failed, done.stderr[-3000:]
        for side, number in failed:
            if side == "b":
                error = done.stderr.strip().splitlines()[-1]
                differences[numbered[int(number)]] = Difference(-1, "(rendered)", error)
            rendered.discard(int(number))
            for page in (folder / "content").glob(f"*/p{number}.md"):
                page.unlink()
    public = folder / "public"
    for number in sorted(rendered):
        a, b = (
            elements((public / side / f"p{number}" / "index.html").read_text(encoding="utf-8"))
            for side in "ab"
        )
        difference = first_difference(a, b)
        if difference is not None:
            differences[numbered[number]] = difference
    return differences


def _unsafe(goldmark: Mapping[str, object]) -> dict[str, object]:
    renderer = goldmark.get("renderer")
    return {
        **goldmark,
        "renderer": {**(renderer if isinstance(renderer, dict) else {}), "unsafe": True},
    }


@dataclass(frozen=True, slots=True)
class SiteParity:
    """How each page of a localized Hugo site renders in the target language against the
    source language."""

    problems: Mapping[str, Sequence[str]]
    """Source page (path in its content folder) → what differs; empty when it renders alike."""
    complaints: Sequence[str]
    """``hugo``'s ERROR and WARN lines that name no page."""


_REFRESH = re.compile(r'<meta http-equiv="refresh" content="0; url=([^"]*)"')
_SOURCE = re.compile(r'<meta name="source" content="([^"]*)"')


def _outputs(public: Path) -> tuple[dict[str, tuple[str, str]], dict[str, list[str]]]:
    """The pages in ``public`` (language and source path, ``es/basics.md`` → URL, HTML), and
    the aliases (target URL → the URLs that redirect to it)."""
    pages: dict[str, tuple[str, str]] = {}
    aliases: dict[str, list[str]] = {}
    for path in sorted(public.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        url = "/" + path.parent.relative_to(public).as_posix().strip(".") + "/"
        url = url.replace("//", "/")
        redirect, source = _REFRESH.search(html), _SOURCE.search(html)
        if redirect:
            aliases.setdefault(redirect[1].removeprefix("https://example.org"), []).append(url)
        elif source:
            language = re.search(r'<html lang="([^"]*)"', html)
            pages[f"{language[1] if language else ''}/{source[1]}"] = (url, html)
    return pages, aliases


def _unprefixed(url: str, language: str) -> str:
    return url.removeprefix(f"/{language}") if url.startswith(f"/{language}/") else url


def site_parity(site: Path, source: str, target: str) -> SiteParity:
    """Render ``site``, whose ``target`` pages are built, and compare every page with its
    translation: its element sequence, its aliases, and what ``hugo`` said about either. A
    built page that fails the render is taken out (its error is its problem) and the site is
    rendered again. The site's layouts must print ``<html lang>`` and ``<meta name="source"
    content="{{ .File.Path }}">``."""
    problems: dict[str, list[str]] = {}
    pages = sorted((site / "content" / source).rglob("*.md"))
    names = [page.relative_to(site / "content" / source).as_posix() for page in pages]
    for name in names:
        problems[name] = []
    for _ in range(len(names) + 1):  # (each failed render takes a page out)
        shutil.rmtree(site / "public", ignore_errors=True)
        done = hugo(site)
        if done.returncode == 0:
            break
        failed = set(re.findall(rf"content/{re.escape(target)}/([^\"':]+\.md)", done.stderr))
        assert failed, done.stderr[-3000:]
        for name in failed:
            problems[name].append(f"hugo failed: {done.stderr.strip().splitlines()[-1]}")
            (site / "content" / target / name).unlink()
    assert done.returncode == 0, done.stderr[-3000:]
    unclaimed = []
    for line in complaints(done):
        named = [
            name for name in names if f"/{source}/{name}" in line or f"/{target}/{name}" in line
        ]
        for name in named:
            problems[name].append(f"hugo said: {line}")
        if not named:
            unclaimed.append(line)
    outputs, aliases = _outputs(site / "public")
    for name in names:
        if f"{target}/{name}" not in outputs:
            if not problems[name]:
                problems[name].append(f"no {target} page was rendered")
            continue
        (url, html), (built_url, built_html) = (
            outputs[f"{source}/{name}"],
            outputs[f"{target}/{name}"],
        )
        difference = first_difference(elements(html, target), elements(built_html, target))
        if difference is not None:
            problems[name].append(str(difference))
        ours = sorted(aliases.get(url, []))
        theirs = sorted(_unprefixed(alias, target) for alias in aliases.get(built_url, []))
        if ours != theirs:
            problems[name].append(f"aliases: {ours} in {source}, {theirs} in {target}")
    return SiteParity(problems, unclaimed)
