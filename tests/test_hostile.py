"""Hostile input, table-driven: every broken page or catalog gets one clear ``path:line``
message and exit 2, is left untouched, and the rest of the site is still processed; pages
that are odd but valid are handled correctly. Each case is a small file in
tests/fixtures/hostile/."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import REPO
from .fixture_file import FIXTURES

Run = Callable[..., tuple[int, str, str]]
HOSTILE = FIXTURES / "hostile"
PAGE = "content/en/hostile.md"

TOO_DEEP = (
    "lists and block quotes nested more than 50 deep; extrans cannot read the text inside them"
)
LONG_NUMBER = "a number of 5000 digits, longer than any Hugo reads; shorten it or quote it"
SURROGATE = "'\\u%s' is half of a surrogate pair, not a character; write the character itself"
BROKEN_PAGES = {
    "yaml-unclosed-flow.md": "3: error: invalid YAML front matter: did not find expected ',' or ']'",
    "yaml-bad-indent.md": "3: error: invalid YAML front matter: mapping values are not allowed",
    "yaml-tab-indent.md": "4: error: invalid YAML front matter: found character that cannot start any token",
    "yaml-unterminated-quote.md": "3: error: invalid YAML front matter: found unexpected end of stream",
    "yaml-no-closing.md": "1: error: the front matter opened here has no closing '---' line",
    "yaml-only-opening.md": "1: error: the front matter opened here has no closing '---' line",
    "yaml-not-mapping.md": "2: error: the YAML front matter is not a mapping",
    "yaml-scalar.md": "2: error: the YAML front matter is not a mapping",
    "yaml-duplicate-key.md": "3: error: duplicate key 'title' in the front matter",
    "yaml-deep.md": "2: error: invalid YAML front matter: exceeded maximum nesting depth",
    "toml-no-closing.md": "1: error: the front matter opened here has no closing '+++' line",
    "toml-missing-value.md": "2: error: invalid TOML front matter: Invalid value (column 9)",
    "toml-duplicate-key.md": "3: error: duplicate key 'title' in the front matter",
    "toml-unterminated-string.md": "2: error: invalid TOML front matter: Illegal character '\\n' (column 11)",
    "toml-bad-table.md": "2: error: invalid TOML front matter: Expected ']' at the end of a table declaration (column 7)",
    "toml-deep.md": "2: error: the front matter is nested deeper than 64 levels",
    "toml-duplicate-table.md": "5: error: duplicate key 'params' in the front matter",
    "toml-duplicate-inline-key.md": "3: error: duplicate key 'q' in the front matter",
    "toml-duplicate-long-key.md": "4: error: duplicate key 'ghp_16C7e42F292c6912E7710c838347Ae178B4a'… in the front matter",
    "toml-duplicate-after-multiline.md": "7: error: duplicate key 'summary' in the front matter",
    "toml-bad-escape.md": "3: error: invalid TOML front matter: Unescaped '\\' in a string (column 16)",
    "toml-long-integer.md": f"3: error: invalid TOML front matter: {LONG_NUMBER}",
    "json-lone-surrogate.md": f"2: error: invalid JSON front matter: {SURROGATE % 'd800'}",
    "json-lone-surrogate-key.md": f"3: error: invalid JSON front matter: {SURROGATE % 'dc80'}",
    "json-trailing-comma.md": "3: error: invalid JSON front matter: expected a quoted key",
    "json-unclosed.md": "3: error: invalid JSON front matter: expected ',' or '}'",
    "json-missing-comma.md": "2: error: invalid JSON front matter: expected ',' or '}'",
    "json-unquoted-key.md": "2: error: invalid JSON front matter: expected a quoted key",
    "json-deep.md": "1: error: the front matter is nested deeper than 64 levels",
    "json-duplicate-key.md": "4: error: duplicate key 'title' in the front matter",
    "json-duplicate-nested-key.md": "5: error: duplicate key 'summary' in the front matter",
    "yaml-duplicate-long-key.md": "4: error: duplicate key 'ghp_16C7e42F292c6912E7710c838347Ae178B4a'… in the front matter",
    "json-duplicate-long-key.md": "4: error: duplicate key 'ghp_16C7e42F292c6912E7710c838347Ae178B4a'… in the front matter",
    "json-duplicate-escaped-key.md": "3: error: duplicate key 'title' in the front matter",
    "deep-list.md": f"57: error: {TOO_DEEP}",
    "deep-blockquote.md": f"57: error: {TOO_DEEP}",
    "deep-mixed.md": f"30: error: {TOO_DEEP}",
    "key-dotdot.md": "2: error: translationKey '../../etc/passwd' has an empty, '.' or '..' path component",
    "key-long-dotdot.md": "2: error: translationKey '../ghp_16C7e42F292c6912E7710c838347Ae178'… has an empty, '.' or '..' path component",
    "key-absolute.md": "2: error: translationKey '/etc/passwd' is an absolute path",
    "key-nul.md": "2: error: translationKey 'a\\x00b' contains a control character",
    "key-escape-char.md": "2: error: translationKey 'a\\x1bb' contains a control character",
    "key-backslash.md": "2: error: translationKey 'a\\\\b' contains a control character or one of \\",
    "key-dot-component.md": "2: error: translationKey 'a/./b' has an empty, '.' or '..' path component",
    "key-blank.md": "2: error: translationKey '  ' is empty",
    "latin1.md": "2: error: not UTF-8 (byte 0xe9); save the page as UTF-8",
    "nul-byte.md": "5: error: contains a NUL character",
    "eot-in-a-text.md": "7: error: a text to translate holds the control character U+0004, "
    "which gettext keeps to separate a context from its text and refuses in a catalog; remove it",
}

ENDS_INSIDE = (
    "the file ends inside the entry that starts here, before its msgstr; "
    "complete the entry or remove it"
)
BROKEN_CATALOGS = {
    "merge-conflict.po": "11: error: unresolved merge conflict marker; resolve the conflict first",
    "unterminated-string.po": "10: error: cannot parse this line: 'msgstr \"Bueno'",
    "keyword-typo.po": "10: error: cannot parse this line: 'msgstrr \"Bueno\"'",
    "garbage-after-string.po": "9: error: cannot parse this line: 'msgid \"Good\" trailing'",
    "duplicate-entry.po": "12: error: duplicate message definition (first defined at line 9)",
    "plural-wrong-index.po": "13: error: plural form has wrong index (msgstr[1] comes next)",
    "latin1-charset.po": "6: error: is in ISO-8859-1; extrans reads UTF-8 catalogs only",
    "latin1-bytes.po": "10: error: not UTF-8; save the catalog as UTF-8",
    "bom.po": "1: error: starts with a byte-order mark",
    "msgstr-without-msgid.po": "9: error: cannot parse: syntax error in po file",
    "not-a-catalog.po": "1: error: cannot parse this line: 'this is not a catalog at all'",
    "nul-byte.po": "10: error: contains a NUL character",
    "eot-in-a-string.po": "10: error: a string holds the control character U+0004, gettext's "
    "context separator, which it refuses; remove it",
    "escape-hex-without-digits.po": "10: error: a string holds '\\\\x', an escape gettext refuses; write a backslash as \\\\",
    "escape-unicode.po": "10: error: a string holds '\\\\u', an escape gettext refuses; write a backslash as \\\\",
    "escape-unknown.po": "11: error: a string holds '\\\\q', an escape gettext refuses; write a backslash as \\\\",
    "escape-nul.po": "10: error: the escape '\\\\0' is a NUL character, at which gettext cuts the string; remove it",
    "escape-not-utf8.po": "10: error: octal or \\x escapes in a string make bytes that are not UTF-8; write the characters themselves",
    "escape-eot.po": "10: error: a string holds the control character U+0004, gettext's context separator, which it refuses; remove it",
    "dangling-obsolete-previous.po": f"12: error: {ENDS_INSIDE}",
    "dangling-previous.po": f"12: error: {ENDS_INSIDE}",
    "dangling-obsolete-context.po": f"12: error: {ENDS_INSIDE}",
    "missing-msgstr-at-end.po": f"12: error: {ENDS_INSIDE}",
    "comment-inside-entry.po": "10: error: a comment inside an entry, before its msgstr; move it above the entry",
    "obsolete-and-live-lines.po": "10: error: an entry with both obsolete (#~) and live lines; make all of its lines obsolete or none",
    "header-with-plural.po": "1: error: the header entry (empty msgid) has a msgid_plural",
}

HANDLED_PAGES = [
    "billion-laughs.md", "bom.md", "crlf.md", "empty.md", "only-front-matter.md",
    "tabs-in-body.md", "unicode-separators.md", "eot-in-code.md", "yaml-anchors-and-tags.md",
    "yaml-dots-end.md", "yaml-python-tag.md",
]  # fmt: skip


@pytest.fixture
def small_site(tmp_path: Path) -> Path:
    """A site with one good page (the Saw) and its catalogs."""
    site = tmp_path / "site"
    (site / "content/en").mkdir(parents=True)
    for name in ("hugo.toml", "extrans.toml"):
        shutil.copy(REPO / name, site / name)
    shutil.copy(REPO / "content/en/exercises/saw.md", site / "content/en/saw.md")
    return site


def assert_one_clear_line(err: str, expected: str) -> None:
    assert expected in err, err
    assert "Traceback" not in err and "internal error" not in err
    assert len([line for line in err.splitlines() if ": error: " in line]) == 1


@pytest.mark.parametrize("name", sorted(BROKEN_PAGES))
def test_broken_page(small_site: Path, extrans: Run, name: str) -> None:
    shutil.copy(HOSTILE / "pages" / name, small_site / PAGE)
    code, _, err = extrans(small_site, "extract")
    assert code == 2
    assert_one_clear_line(err, f"{PAGE}:{BROKEN_PAGES[name]}")
    assert (small_site / "locale/es/exercise-saw.po").is_file()  # the rest is processed
    assert (small_site / PAGE).read_bytes() == (HOSTILE / "pages" / name).read_bytes()
    code, _, err = extrans(small_site, "build", "--threshold", "0")
    assert code == 2 and f"{PAGE}:{BROKEN_PAGES[name]}" in err
    assert (small_site / "content/es/saw.md").is_file()


@pytest.mark.parametrize("name", sorted(BROKEN_CATALOGS))
def test_broken_catalog_is_never_overwritten(small_site: Path, extrans: Run, name: str) -> None:
    catalog = small_site / "locale/es/exercise-saw.po"
    catalog.parent.mkdir(parents=True)
    shutil.copy(HOSTILE / "catalogs" / name, catalog)
    shutil.copy(REPO / "content/en/_index.md", small_site / "content/en/_index.md")
    for command in (["extract"], ["build", "--threshold", "0"], ["check"], ["status"]):
        code, _, err = extrans(small_site, *command)
        assert code == 2, command
        assert_one_clear_line(err, f"locale/es/exercise-saw.po:{BROKEN_CATALOGS[name]}")
        assert catalog.read_bytes() == (HOSTILE / "catalogs" / name).read_bytes()
    assert (small_site / "locale/es/home.po").is_file()  # the other page's catalog is written
    assert (small_site / "content/es/_index.md").is_file()  # and its page built


@pytest.mark.parametrize("name", HANDLED_PAGES)
def test_odd_but_valid_pages_are_handled(small_site: Path, extrans: Run, name: str) -> None:
    source = small_site / PAGE
    shutil.copy(HOSTILE / "pages" / name, source)
    code, _, err = extrans(small_site, "extract")
    assert (code, err) == (0, "")
    # An identity translation gives the page back byte for byte (BOM and CRLF included).
    from .test_build import fill_catalogs

    fill_catalogs(small_site, lambda text: text)
    code, _, err = extrans(small_site, "build")
    assert (code, err) == (0, "")
    built = small_site / "content/es/hostile.md"
    assert built.read_bytes() == source.read_bytes()
    assert not (small_site / "pwned").exists()


def test_init_writes_what_toml_reads_back(small_site: Path, extrans: Run) -> None:
    """Front-matter keys with control characters (DEL, a tab, a bell): init quoted them in
    extrans.toml as they are, and every command then refused the file it wrote."""
    (small_site / "extrans.toml").unlink()
    shutil.copy(HOSTILE / "pages" / "toml-control-keys.md", small_site / PAGE)
    code, _, err = extrans(small_site, "init")
    assert (code, err) == (0, "")
    config = (small_site / "extrans.toml").read_text(encoding="utf-8")
    written = [" ".join(line.split()[:2]) for line in config.splitlines()]
    for key in ("odd\\u007fkey", "tab\\u0009key", "bell\\u0007key"):
        assert f'# "{key}"' in written, config
    code, _, err = extrans(small_site, "extract")
    assert (code, err) == (0, "")


@pytest.mark.parametrize("name", ["yaml-unclosed-flow.md", "json-missing-comma.md", "latin1.md"])
def test_init_reports_a_page_it_cannot_read_and_exits_2(
    small_site: Path, extrans: Run, name: str
) -> None:
    """As every command does: the page is one line, the rest of the site is surveyed."""
    (small_site / "extrans.toml").unlink()
    shutil.copy(HOSTILE / "pages" / name, small_site / PAGE)
    code, out, err = extrans(small_site, "init")
    assert code == 2
    assert_one_clear_line(err, f"{PAGE}:{BROKEN_PAGES[name]}")
    assert "2 pages in content/en/" in out and (small_site / "extrans.toml").is_file()


def test_bom_and_crlf_pages_keep_them_when_translated(small_site: Path, extrans: Run) -> None:
    from extrans.formats.pseudo import pseudo_translate as pseudo

    from .test_build import fill_catalogs

    for name in ("bom.md", "crlf.md"):
        shutil.copy(HOSTILE / "pages" / name, small_site / PAGE)
        extrans(small_site, "extract")
        fill_catalogs(small_site, pseudo)
        assert extrans(small_site, "build", "--force")[0] == 0
        built = (small_site / "content/es/hostile.md").read_bytes()
        assert built.startswith(b"\xef\xbb\xbf") == (name == "bom.md")
        assert (b"\r\n" in built) == (name == "crlf.md")
        assert "Ŵîţĥ à ƁÖM".encode() in built or "ÇŔĹƑ þàĝé".encode() in built


def test_a_50_mb_page_gets_a_message(small_site: Path, extrans: Run) -> None:
    with (small_site / PAGE).open("w", encoding="utf-8") as stream:
        stream.write("---\ntitle: Huge\n---\n\n")
        line = "A long paragraph of text that goes on and on. " * 20 + "\n\n"
        while stream.tell() < 50 * 1024 * 1024:
            stream.write(line)
    code, _, err = extrans(small_site, "extract")
    assert code == 2
    assert_one_clear_line(err, f"{PAGE}: error: is 50 MB; extrans reads pages up to 16 MB")


def test_a_symlink_out_of_the_content_folder_is_refused(
    small_site: Path, extrans: Run, tmp_path: Path
) -> None:
    outside = tmp_path / "secret.md"
    outside.write_text("---\ntitle: Secret\n---\n", encoding="utf-8")
    (small_site / PAGE).symlink_to(outside)
    code, _, err = extrans(small_site, "extract")
    assert code == 2
    assert_one_clear_line(err, f"{PAGE}: error: is a symlink to a file outside the content folder")


def test_a_locale_folder_that_leads_outside_is_refused(
    small_site: Path, extrans: Run, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (small_site / "locale").symlink_to(elsewhere)
    code, _, err = extrans(small_site, "extract")
    assert code == 2
    assert_one_clear_line(
        err,
        "locale: error: is a symlink to a folder outside the site; refusing it (make it a "
        "folder inside the site)",
    )
    assert list(elsewhere.iterdir()) == []


def test_a_usage_error_cannot_forge_lines_or_drive_the_terminal(
    small_site: Path, extrans: Run
) -> None:
    """An option or value with a newline or a terminal escape is shown escaped, in one line."""
    code, out, err = extrans(small_site, "status", "--\x1b[31mx\nfake: ok")
    assert (code, out, err) == (
        2,
        "",
        "extrans: error: no such option: --\\x1b[31mx\\x0afake: ok; see `extrans status --help`\n",
    )
    code, out, err = extrans(small_site, "check", "--format", "\x1b[2J")
    assert (code, out, err) == (
        2,
        "",
        "extrans: error: invalid value for '-f' / '--format': '\\x1b[2J' is not one of 'text', "
        "'github', 'json'; see `extrans check --help`\n",
    )


def test_bad_usage_is_one_line_and_exit_2(small_site: Path, extrans: Run) -> None:
    code, _, err = extrans(small_site, "extract", "--lang", "xx")
    assert code == 2 and err.count("\n") == 1
    code, _, err = extrans(small_site, "extract", "--nonsense")
    assert (code, err) == (
        2,
        "extrans: error: no such option: --nonsense; see `extrans extract --help`\n",
    )
    (small_site / "extrans.toml").write_text("target-langauges = ['es']\n", encoding="utf-8")
    code, _, err = extrans(small_site, "status")
    assert code == 2 and err.strip().endswith("did you mean 'target-languages'?")
    assert "extrans.toml:1: error: unknown setting 'target-langauges'" in err


# Catalogs gettext reads that translators' tools rarely write: each is merged, its translation
# kept, and written as gettext would read it.
ODD_CATALOGS = [
    "header-not-first.po", "no-header-with-comment.po", "cr-line-ends.po",
    "escapes-and-odd-comments.po",
]  # fmt: skip


@pytest.mark.parametrize("name", ODD_CATALOGS)
def test_odd_but_valid_catalogs_are_handled(small_site: Path, extrans: Run, name: str) -> None:
    catalog = small_site / "locale/es/exercise-saw.po"
    catalog.parent.mkdir(parents=True)
    shutil.copy(HOSTILE / "odd-catalogs" / name, catalog)
    code, _, err = extrans(small_site, "extract")
    assert (code, err) == (0, "")
    written = catalog.read_text(encoding="utf-8")
    assert written.count('msgid ""\nmsgstr ""\n') == 1
    assert written.count("# Spanish translation of the Saw.") == (
        name == "no-header-with-comment.po"
    )
    assert "\r" not in written
    assert '#: content/en/saw.md\nmsgid "Saw"\nmsgstr "Sierra"\n' in written
    # An entry extract leaves alone keeps its bytes, escapes and all.
    assert ('#~| msgid "Old saw"\n#~msgid "Gone"\n#~ msgstr "Ido \\x41"\n' in written) == (
        name == "escapes-and-odd-comments.po"
    )
    code, out, err = extrans(small_site, "extract")
    assert (code, err) == (0, "") and "0 catalogs written" in out
    assert catalog.read_text(encoding="utf-8") == written
    code, _, err = extrans(small_site, "build", "--threshold", "0")
    assert (code, err) == (0, "")
    assert '"title": "Sierra"' in (small_site / "content/es/saw.md").read_text(encoding="utf-8")
