"""Plural entries (``msgid_plural``, ``msgstr[N]``) through the PO layer, judged by gettext:
written as ``msgcat`` writes them, merged as ``msgmerge --previous`` merges them, refused
exactly where ``msgfmt -c`` refuses them; and the CLDR category each ``msgstr[N]`` holds, as
gettext's ``ngettext`` picks the form for a count."""

from __future__ import annotations

import gettext as python_gettext
import subprocess
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from babel import Locale
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extrans.formats.catalog import (
    Catalog,
    Header,
    Message,
    build_template,
    merge_messages,
    msgfmt_problem,
)
from extrans.formats.languages import plural_forms
from extrans.formats.plural import cldr_plural_indexes, nplurals_of
from extrans.formats.pofile import format_catalog, parse_po
from extrans.model import Segment, SourcePage
from extrans.stages.extract import update_catalogs

from .conftest import needs_gettext, settings_with

RU = plural_forms("ru")
FIELDS = (
    ("Project-Id-Version", "extrans test"),
    ("PO-Revision-Date", "2026-01-01 00:00+0000"),
    ("Last-Translator", "a"),
    ("Language-Team", "b"),
    ("MIME-Version", "1.0"),
    ("Content-Type", "text/plain; charset=UTF-8"),
    ("Content-Transfer-Encoding", "8bit"),
)


def header(language: str | None) -> Header:
    if language is None:
        return Header(FIELDS)
    fields = (*FIELDS[:4], ("Language", language), *FIELDS[4:])
    return Header((*fields, ("Plural-Forms", plural_forms(language))))


def run(tool: str, text: str, *options: str, tmp: Path) -> subprocess.CompletedProcess[str]:
    path = tmp / "f.po"
    path.write_text(text, encoding="utf-8")
    return subprocess.run([tool, *options, str(path)], capture_output=True, text=True)


LONG = (
    "You have {{ .Count }} unread messages waiting in your inbox, and the oldest of them "
    "arrived more than a week ago"
)
PLURALS = [
    Message("One page", msgid_plural="{{ .Count }} pages", msgstr_plural=("", "", "")),
    Message(
        "One page",
        msgctxt="readingTime",
        msgid_plural="{{ .Count }} pages",
        msgstr_plural=("Одна страница", "{{ .Count }} страницы", "{{ .Count }} страниц"),
        extracted_comments=("i18n: readingTime",),
        references=("i18n/en.toml",),
    ),
    Message(
        "You have one unread message waiting in your inbox, and it arrived a week ago",
        msgid_plural=LONG,
        msgstr_plural=(
            "У вас одно непрочитанное сообщение во входящих, и оно пришло неделю назад",
            "У вас {{ .Count }} непрочитанных сообщения во входящих, и самое старое из них "
            "пришло больше недели назад",
            "У вас {{ .Count }} непрочитанных сообщений во входящих, и самое старое из них "
            "пришло больше недели назад",
        ),
    ),
    Message(
        "Line one\nline two",
        msgid_plural="Lines\nmore lines",
        msgstr_plural=("Строка\nещё", "Строки\nещё", "Строк\nещё"),
    ),
    Message(
        "Changed",
        msgid_plural="Changeds",
        msgstr_plural=("а", "б", "в"),
        flags=("fuzzy",),
        previous_msgid="An old text that was long enough to be wrapped by msgcat at its width",
        previous_msgid_plural="Old texts that were long enough to be wrapped by msgcat at "
        "their width, which is 79",
    ),
    Message("Singular", msgstr="Единственное"),
    Message("Gone", msgid_plural="Gones", msgstr_plural=("г", "д", "е"), obsolete=True),
    Message(
        "Gone too",
        msgid_plural="Gone toos",
        msgstr_plural=("г", "д", "е"),
        obsolete=True,
        flags=("fuzzy",),
        previous_msgid="Went",
        previous_msgid_plural="Wents",
    ),
]


@needs_gettext
@pytest.mark.parametrize("width", [79, 30, None])
def test_plural_entries_are_written_as_msgcat_writes_them(
    tmp_path: Path, width: int | None
) -> None:
    text = format_catalog(Catalog(header("ru"), tuple(PLURALS), width))
    option = "--no-wrap" if width is None else f"--width={width}"
    assert run("msgcat", text, option, tmp=tmp_path).stdout == text
    assert run("msgfmt", text, "-c", "-o", "/dev/null", tmp=tmp_path).returncode == 0
    again = parse_po(text, "f.po")
    assert again.messages == tuple(PLURALS)
    assert format_catalog(again) == text  # (each entry kept as read)


plural_texts = st.lists(
    st.sampled_from(["a", "b", " ", "día", "中文", "-", "/", "\n", '"', "\\", "{{ .Count }}"]),
    max_size=30,
).map(lambda pieces: "x" + "".join(pieces))


@st.composite
def plural_messages(draw: st.DrawFn) -> Message:
    forms = draw(st.integers(1, 4))
    previous = draw(st.booleans())
    return Message(
        draw(plural_texts),
        msgctxt=draw(st.none() | plural_texts),
        msgid_plural=draw(plural_texts),
        msgstr_plural=tuple(
            draw(st.lists(plural_texts | st.just(""), min_size=forms, max_size=forms))
        ),
        flags=("fuzzy",) if previous else (),
        previous_msgid=draw(plural_texts) if previous else None,
        previous_msgid_plural=draw(st.none() | plural_texts) if previous else None,
        obsolete=draw(st.booleans()),
    )


@needs_gettext
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(plural_messages(), min_size=1, max_size=4), st.sampled_from([79, 40, None]))
def test_random_plural_entries_are_written_as_msgcat_writes_them(
    tmp_path: Path, messages: list[Message], width: int | None
) -> None:
    unique = {m.key: m for m in messages}
    text = format_catalog(Catalog(Header(FIELDS), tuple(unique.values()), width))
    option = "--no-wrap" if width is None else f"--width={width}"
    done = run("msgcat", text, option, tmp=tmp_path)
    assert done.returncode == 0, done.stderr
    # msgcat drops obsolete entries without a translation, as gettext counts it: whose
    # msgstr[0] is empty (extrans keeps one with another form, as it keeps a note); and it
    # writes live entries first.
    # Nor is such an entry fuzzy to it.
    kept = [
        m if m.msgstr_plural[0] else replace(m, flags=())
        for m in unique.values()
        if not m.obsolete or m.msgstr_plural[0]
    ]
    expected = format_catalog(Catalog(Header(FIELDS), tuple(kept), width))
    assert done.stdout == expected
    ordered = sorted(unique.values(), key=lambda message: message.obsolete)
    assert parse_po(text, "f.po").messages == tuple(ordered)


# --- msgfmt -c ---------------------------------------------------------------------------

CHECKED = [
    # (entry, the catalog's language or None for no Plural-Forms)
    (Message("a", msgid_plural="as", msgstr_plural=("x", "y", "z")), "ru"),
    (Message("a", msgid_plural="as", msgstr_plural=("x", "y")), "ru"),
    (Message("a", msgid_plural="as", msgstr_plural=("x", "y", "z", "w")), "ru"),
    (Message("a", msgid_plural="as", msgstr_plural=("x", "y")), "en"),
    (Message("a", msgid_plural="as", msgstr_plural=("x",)), "ja"),
    (Message("a", msgid_plural="as", msgstr_plural=("x", "y")), None),
    (Message("a", msgid_plural="as", msgstr_plural=("", "y")), None),
    (Message("a", msgid_plural="as", msgstr_plural=("", "y")), "ru"),
    (Message("a", msgid_plural="as", msgstr_plural=("x", "y"), flags=("fuzzy",)), "ru"),
    (Message("a", msgid_plural="as", msgstr_plural=("x", "y"), obsolete=True), "ru"),
    (Message("a\n", msgid_plural="as\n", msgstr_plural=("x\n", "y\n")), "en"),
    (Message("a\n", msgid_plural="as\n", msgstr_plural=("x\n", "y")), "en"),
    (Message("a\n", msgid_plural="as", msgstr_plural=("x\n", "y\n")), "en"),
    (Message("a", msgid_plural="as", msgstr_plural=("x", "\ny")), "en"),
    (Message("\na", msgid_plural="\nas", msgstr_plural=("\nx", "y")), "en"),
    (Message("a", msgid_plural="as", msgstr_plural=("", "")), "ar"),
]


@needs_gettext
@pytest.mark.parametrize(("message", "language"), CHECKED)
def test_msgfmt_problem_agrees_with_msgfmt(
    tmp_path: Path, message: Message, language: str | None
) -> None:
    catalog = Catalog(header(language), (message,))
    done = run("msgfmt", format_catalog(catalog), "-c", "-o", "/dev/null", tmp=tmp_path)
    nplurals = nplurals_of(catalog.header.get("Plural-Forms"))
    problem = msgfmt_problem(message, nplurals)
    assert (problem is None) == (done.returncode == 0), (problem, done.stderr)


def test_a_plural_entry_is_translated_when_every_form_is() -> None:
    entry = Message("a", msgid_plural="as", msgstr_plural=("x", "y", "z"))
    assert entry.translated and entry.has_translation
    partly = replace(entry, msgstr_plural=("x", "", "z"))
    assert not partly.translated and partly.has_translation
    assert not replace(entry, flags=("fuzzy",)).translated
    assert not replace(entry, msgstr_plural=("", "", "")).has_translation


# --- msgmerge ------------------------------------------------------------------------------

OLD = [
    Message("One page", msgid_plural="%d pages", msgstr_plural=("p0", "p1", "p2")),
    Message("Singular becomes plural", msgstr="s"),
    Message(
        "Plural becomes singular",
        msgid_plural="Plural becomes singulars",
        msgstr_plural=("q0", "q1", "q2"),
    ),
    Message(
        "Gone away entirely here",
        msgid_plural="Gone away entirely heres",
        msgstr_plural=("g0", "g1", "g2"),
    ),
    Message("Kept as it is", msgid_plural="Kept as they are", msgstr_plural=("k0", "k1", "k2")),
    Message("Left the page", msgid_plural="Left the pages", msgstr_plural=("l0", "l1", "l2")),
    Message("Never translated", msgid_plural="Never translateds", msgstr_plural=("", "", "")),
    Message("Untranslated", msgid_plural="Untranslateds", msgstr_plural=("", "", "")),
    Message(
        "Was fuzzy",
        msgid_plural="Were fuzzy",
        msgstr_plural=("f0", "f1", "f2"),
        flags=("fuzzy",),
        previous_msgid="Was fuzzy before",
        previous_msgid_plural="Were fuzzy befores",
    ),
    Message("Half", msgid_plural="Halfs", msgstr_plural=("", "h1", "h2")),
]
NEW = [
    Message("One page", msgid_plural="%d pagez", msgstr_plural=("", "")),
    Message(
        "Singular becomes plural",
        msgid_plural="Singular becomes plurals",
        msgstr_plural=("", ""),
    ),
    Message("Plural becomes singular"),
    Message("Kept as it is", msgid_plural="Kept as they are", msgstr_plural=("", "")),
    Message("Brand new", msgid_plural="Brand news", msgstr_plural=("", "")),
    Message("Gone away entirely her"),
    Message("Untranslated", msgid_plural="Untranslated things", msgstr_plural=("", "")),
    Message("Was fuzzy", msgid_plural="Were fuzzy now", msgstr_plural=("", "")),
    Message("Half", msgid_plural="Halves", msgstr_plural=("", "")),
]


@needs_gettext
def test_plural_entries_merge_as_msgmerge_merges_them(tmp_path: Path) -> None:
    old = format_catalog(Catalog(header("ru"), tuple(OLD)))
    pot = format_catalog(Catalog(Header(FIELDS), tuple(NEW)))
    (tmp_path / "old.po").write_text(old, encoding="utf-8")
    (tmp_path / "new.pot").write_text(pot, encoding="utf-8")
    done = subprocess.run(
        ["msgmerge", "--previous", "-q", "-o", "-", "old.po", "new.pot"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    result = merge_messages(OLD, NEW, nplurals=3)
    ours = format_catalog(Catalog(header("ru"), result.messages))
    assert ours == done.stdout
    assert (result.new, result.changed, result.obsoleted) == (2, 6, 1)
    merged = {m.msgid: m for m in result.messages}
    assert merged["Singular becomes plural"].msgstr_plural == ("s", "s", "s")
    assert merged["Plural becomes singular"].msgstr == "q0"
    assert merged["Brand new"].msgstr_plural == ("", "", "")
    assert run("msgfmt", ours, "-c", "-o", "/dev/null", tmp=tmp_path).returncode == 0
    # msgmerge with the merge as the catalog changes nothing: what --previous wrote is stable
    (tmp_path / "ours.po").write_text(ours, encoding="utf-8")
    again = subprocess.run(
        ["msgmerge", "--previous", "-q", "-o", "-", "ours.po", "new.pot"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert again.stdout == ours


@needs_gettext
def test_a_translation_with_too_few_forms_becomes_fuzzy_where_msgmerge_keeps_it(
    tmp_path: Path,
) -> None:
    """msgmerge keeps two forms in a three-form catalog, which msgfmt -c then refuses; extract
    keeps them too, fuzzy, for the translator to complete."""
    old = [Message("Two forms", msgid_plural="Two formss", msgstr_plural=("t0", "t1"))]
    new = [Message("Two forms", msgid_plural="Two formss", msgstr_plural=("", ""))]
    merged = merge_messages(old, new, nplurals=3).messages
    assert merged == (replace(old[0], flags=("fuzzy",)),)
    text = format_catalog(Catalog(header("ru"), merged))
    assert run("msgfmt", text, "-c", "-o", "/dev/null", tmp=tmp_path).returncode == 0
    refused = format_catalog(Catalog(header("ru"), tuple(old)))
    assert run("msgfmt", refused, "-c", "-o", "/dev/null", tmp=tmp_path).returncode == 1


def test_a_plural_segment_makes_a_plural_template_entry() -> None:
    segments = (
        Segment("One page", "i18n: pages", 3, 0, 0, context="pages", plural="{{ .Count }} pages"),
        Segment("Read more", "i18n: readMore", 7, 0, 0, context="readMore"),
    )
    page = SourcePage("i18n/en.toml", "i18n", "toml", segments)
    plural, singular = build_template(page, line_numbers=False)
    assert plural == Message(
        "One page",
        msgctxt="pages",
        msgid_plural="{{ .Count }} pages",
        msgstr_plural=("", ""),
        extracted_comments=("i18n: pages",),
        references=("i18n/en.toml",),
    )
    assert not singular.plural
    # a new catalog's entry gets as many forms as the language has, as msginit writes them
    (arabic,) = merge_messages((), (plural,), nplurals=6).messages
    assert arabic.msgstr_plural == ("",) * 6


# --- CLDR categories ---------------------------------------------------------------------

INDEXES = {
    "en": {"one": 0, "other": 1},
    "fr": {"one": 0, "many": 1, "other": 1},
    "ru": {"one": 0, "few": 1, "many": 2, "other": 2},
    "pl": {"one": 0, "few": 1, "many": 2, "other": 2},
    "ar": {"zero": 0, "one": 1, "two": 2, "few": 3, "many": 4, "other": 5},
    "ja": {"other": 0},
    "cy": {"zero": 0, "one": 1, "two": 2, "few": 3, "many": 4, "other": 5},
    "ga": {"one": 0, "two": 1, "few": 2, "many": 2, "other": 2},
}


@pytest.mark.parametrize("language", sorted(INDEXES))
def test_cldr_plural_indexes(language: str) -> None:
    assert cldr_plural_indexes(language) == INDEXES[language]


def compiled(language: str, tmp: Path) -> python_gettext.GNUTranslations:
    """A catalog whose ``msgstr[N]`` is ``form N``, compiled by msgfmt."""
    forms = nplurals_of(plural_forms(language)) or 1
    entry = Message(
        "one", msgid_plural="many", msgstr_plural=tuple(f"form {n}" for n in range(forms))
    )
    text = format_catalog(Catalog(header(language), (entry,)))
    (tmp / "f.po").write_text(text, encoding="utf-8")
    subprocess.run(["msgfmt", "-c", "-o", str(tmp / "f.mo"), str(tmp / "f.po")], check=True)
    with (tmp / "f.mo").open("rb") as mo:
        return python_gettext.GNUTranslations(mo)


@needs_gettext
@pytest.mark.parametrize(
    ("language", "disagreeing"),
    [*((language, ()) for language in sorted(INDEXES)), ("pt", (0,)), ("lv", (0,))],
)
def test_the_form_of_each_count_holds_its_cldr_category(
    tmp_path: Path, language: str, disagreeing: tuple[int, ...]
) -> None:
    """For every count from 0 to 1000 and a million, the form that gettext picks (msgfmt's
    catalog, read by Python's ngettext) is the one that holds the count's CLDR category, but
    for the counts where the two disagree (Portuguese 0 is CLDR ``one``, gettext's plural;
    Latvian 0 has a gettext form of its own)."""
    translations = compiled(language, tmp_path)
    rule = Locale.parse(language).plural_form
    indexes = cldr_plural_indexes(language)
    differ = [
        count
        for count in (*range(1001), 1_000_000)
        if translations.ngettext("one", "many", count) != f"form {indexes[rule(count)]}"
    ]
    assert tuple(differ) == disagreeing


# --- A page's catalog with a plural entry ---------------------------------------------------


def test_a_page_catalog_with_plural_entries_is_read_and_merged(
    site: Path, extrans: Callable[..., tuple[int, str, str]]
) -> None:
    """No page text is plural, but a page's catalog may hold plural entries (a translator's
    tool, a catalog moved): check judges each form, status and build leave them out (build
    translates the page), and extract merges them as msgmerge does: a plural entry whose text
    the page has as a singular one becomes that, fuzzy; one the page lacks becomes obsolete."""
    assert extrans(site, "extract")[0] == 0
    catalog = site / "locale/es/exercise-saw.po"
    text = catalog.read_text(encoding="utf-8")
    text = text.replace(
        'msgid "Saw"\nmsgstr ""',
        'msgid "Saw"\nmsgid_plural "Saws"\nmsgstr[0] "Sierra"\nmsgstr[1] "Sierras"',
    )
    text += (
        '\nmsgid "One saw"\nmsgid_plural "{{ .Count }} saws"\n'
        'msgstr[0] "Una sierra"\nmsgstr[1] "{{ .Cuenta }} sierras"\n'
    )
    catalog.write_text(text, encoding="utf-8")
    code, out, err = extrans(site, "check")
    assert code == 1 and err == ""
    line = text.split("\n").index('msgstr[1] "{{ .Cuenta }} sierras"') + 1
    assert f"locale/es/exercise-saw.po:{line}:" in out
    code, out, err = extrans(site, "status", "--format", "json")
    assert code == 0, err
    assert extrans(site, "build", "--threshold", "0")[0] == 0
    built = (site / "content/es/exercises/saw.md").read_text(encoding="utf-8")
    assert '"title": "Saw"' in built  # (the plural entry is no translation of the page's title)
    assert extrans(site, "extract")[0] == 0
    merged = parse_po(catalog.read_text(encoding="utf-8"), "f.po")
    saw = next(m for m in merged.messages if m.msgid == "Saw")
    assert saw == replace(
        saw,
        msgstr="Sierra",
        flags=("fuzzy",),
        previous_msgid="Saw",
        previous_msgid_plural="Saws",
        msgid_plural=None,
        msgstr_plural=(),
    )
    gone = next(m for m in merged.messages if m.msgid == "One saw")
    assert gone.obsolete and gone.msgstr_plural == (
        "Una sierra",
        "{{ .Cuenta }} sierras",
    )


hostile_forms = st.lists(
    st.sampled_from(["a", "\n", '"', "\\", "{{ .Count }}", "%d", "#~ ", "msgstr[9] ", "día", ""]),
    max_size=5,
).map("".join)
sources = st.sampled_from(
    ["One page", "One page\n", "\nOne page", "Many pages", "One pages", "Read more", "x"]
)


@st.composite
def old_entries(draw: st.DrawFn) -> Message:
    msgid = draw(sources)
    if draw(st.booleans()):
        return Message(msgid, msgstr=draw(hostile_forms), obsolete=draw(st.booleans()))
    forms = draw(st.integers(1, 4))
    return Message(
        msgid,
        msgid_plural=draw(sources),
        msgstr_plural=tuple(draw(st.lists(hostile_forms, min_size=forms, max_size=forms))),
        flags=draw(st.sampled_from([(), ("fuzzy",)])),
        obsolete=draw(st.booleans()),
    )


@st.composite
def template_entries(draw: st.DrawFn) -> Message:
    msgid = draw(sources)
    if draw(st.booleans()):
        return Message(msgid)
    return Message(msgid, msgid_plural=draw(sources), msgstr_plural=("", ""))


@needs_gettext
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(old_entries(), max_size=5, unique_by=lambda m: m.key),
    st.lists(template_entries(), min_size=1, max_size=4, unique_by=lambda m: m.key),
    st.sampled_from(["ru", "en", "ja", "ar"]),
)
def test_what_a_merge_of_plural_entries_writes_msgfmt_accepts(
    tmp_path: Path, old: list[Message], template: list[Message], language: str
) -> None:
    """Hostile old translations (newlines at their ends, quotes, backslashes, a form too many
    or too few, an entry turning singular or plural) merged into a template: the catalog
    reads back as merged, and ``msgfmt -c`` accepts it."""
    nplurals = nplurals_of(plural_forms(language))
    merged = merge_messages(old, template, nplurals=nplurals).messages
    text = format_catalog(Catalog(header(language), merged))
    done = run("msgfmt", text, "-c", "-o", "/dev/null", tmp=tmp_path)
    assert done.returncode == 0, (text, done.stderr)
    ordered = sorted(merged, key=lambda message: message.obsolete)
    assert parse_po(text, "f.po").messages == tuple(ordered)
    for message in merged:
        if message.plural and not message.obsolete and message.translated:
            assert len(message.msgstr_plural) == nplurals


@needs_gettext
def test_extract_writes_plural_entries_with_the_forms_of_each_language(tmp_path: Path) -> None:
    """A source with plural texts (as the i18n tables give them) through extract's own
    update: the template has two forms, each catalog its language's ``nplurals``; a changed
    plural text makes its translation fuzzy; a second run changes nothing; msgfmt -c accepts
    every file."""
    settings = replace(settings_with(), target_languages=("es", "ru", "ja", "ar"))
    segments = (
        Segment("One page", "i18n: pages", 1, 0, 0, context="pages", plural="{{ .Count }} pages"),
        Segment("Read more", "i18n: readMore", 2, 0, 0, context="readMore"),
    )
    source = SourcePage("i18n/en.toml", "i18n", "toml", segments)
    now = "2026-01-01 00:00+0000"
    languages = settings.target_languages
    updates = update_catalogs(source, settings, languages, {}, now)
    texts = {update.path: update.text for update in updates}
    for path, text in texts.items():
        assert run("msgfmt", text, "-c", "-o", "/dev/null", tmp=tmp_path).returncode == 0
        assert run("msgcat", text, tmp=tmp_path).stdout == text
        (plural, _) = parse_po(text, path).messages
        language = path.split("/")[1]
        count = 2 if language == "templates" else nplurals_of(plural_forms(language))
        assert plural.msgstr_plural == ("",) * (count or 0)
    assert [u.text for u in update_catalogs(source, settings, languages, texts, now)] == list(
        texts.values()
    )
    russian = settings.catalog_path("ru", "i18n")
    texts[russian] = texts[russian].replace(
        'msgstr[0] ""\nmsgstr[1] ""\nmsgstr[2] ""',
        'msgstr[0] "Одна страница"\nmsgstr[1] "{{ .Count }} страницы"\n'
        'msgstr[2] "{{ .Count }} страниц"',
    )
    changed = (replace(segments[0], plural="{{ .Count }} pages in all"), segments[1])
    again = update_catalogs(replace(source, segments=changed), settings, languages, texts, now)
    text = next(u.text for u in again if u.path == russian)
    assert run("msgfmt", text, "-c", "-o", "/dev/null", tmp=tmp_path).returncode == 0
    assert (
        '#, fuzzy\n#| msgctxt "pages"\n#| msgid "One page"\n#| msgid_plural "{{ .Count }} pages"\n'
        in text
    )
    assert next(u for u in again if u.path == russian).changed == 1
