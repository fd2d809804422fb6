"""Configuration: extrans settings over the Hugo config over defaults; clear errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from extrans.errors import ConfigError
from extrans.formats.dialect import DEFAULT_DIALECT, MarkdownDialect
from extrans.site.config import DEFAULT_SHORTCODE_ARGS, load_settings, parse_field_pattern


def write(root: Path, name: str, text: str) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_defaults_without_any_configuration(tmp_path: Path) -> None:
    settings = load_settings(tmp_path)
    assert settings.source_language == "en"
    assert settings.target_languages == ()
    assert settings.content_dir("en") == "content/en"
    assert settings.locale_dir == "locale"
    assert [p.text for p in settings.fields] == [
        "title", "linkTitle", "description", "summary", "keywords[]",
    ]  # fmt: skip
    assert not settings.line_numbers


@pytest.mark.parametrize("name", ["hugo.toml", "config.toml", "config/_default/hugo.toml"])
def test_languages_and_content_dirs_from_hugo_toml(tmp_path: Path, name: str) -> None:
    write(
        tmp_path,
        name,
        'defaultContentLanguage = "en"\n'
        '[languages.en]\ncontentDir = "content/english"\n'
        '[languages.pt-br]\ncontentDir = "content/pt"\n[languages.es]\n',
    )
    settings = load_settings(tmp_path)
    assert settings.source_language == "en"
    assert settings.target_languages == ("pt-br", "es")
    assert settings.content_dir("en") == "content/english"
    assert settings.content_dir("pt-br") == "content/pt"
    assert settings.content_dir("es") == "content/es"


def test_hugo_yaml_with_lowercase_keys(tmp_path: Path) -> None:
    write(
        tmp_path,
        "hugo.yaml",
        "defaultcontentlanguage: de\nlanguages:\n  de: {contentdir: inhalt}\n  fr: {}\n",
    )
    settings = load_settings(tmp_path)
    assert (settings.source_language, settings.target_languages) == ("de", ("fr",))
    assert settings.content_dir("de") == "inhalt"


def test_hugo_yaml_as_docsy_example_writes_it(tmp_path: Path) -> None:
    """A top-level ``contentDir`` is the folder of each language without its own, and the
    language ``no`` is Norwegian (YAML 1.2, as Hugo reads it), not false."""
    write(
        tmp_path,
        "hugo.yaml",
        "contentDir: content/en\ndefaultContentLanguage: en\nenableGitInfo: true\n"
        "languages:\n  en:\n    label: English\n  no:\n    contentDir: content/no\n"
        "  fa:\n    contentDir: content/fa\n",
    )
    settings = load_settings(tmp_path)
    assert (settings.source_language, settings.target_languages) == ("en", ("no", "fa"))
    assert [settings.content_dir(code) for code in ("en", "no", "fa")] == [
        "content/en", "content/no", "content/fa",
    ]  # fmt: skip


def test_config_default_is_merged_into_the_site_file_as_hugo_merges_it(tmp_path: Path) -> None:
    """Hugo 0.111 reads a language (and its folder) from ``config/_default/languages.toml``
    beside a ``hugo.toml`` with languages of its own, and the folder's ``title`` wins."""
    write(tmp_path, "hugo.toml", 'title = "Root"\n[languages.en]\ncontentDir = "content/en"\n')
    write(tmp_path, "config/_default/languages.toml", '[es]\ncontentDir = "pages-es"\n[en]\n')
    write(tmp_path, "config/_default/hugo.toml", 'title = "Dir"\n')
    settings = load_settings(tmp_path)
    assert (settings.source_language, settings.target_languages) == ("en", ("es",))
    assert (settings.content_dir("en"), settings.content_dir("es")) == ("content/en", "pages-es")
    assert settings.project == "Dir"


def test_explicit_settings_win_over_hugo(tmp_path: Path) -> None:
    write(tmp_path, "hugo.toml", "[languages.en]\n[languages.es]\n[languages.fr]\n")
    write(
        tmp_path,
        "extrans.toml",
        'target-languages = ["fr"]\nlocale-dir = "i18n/po"\nline-numbers = true\n'
        'content-dirs = { fr = "content/french" }\nfields = ["title", "faq[].q"]\n',
    )
    settings = load_settings(tmp_path)
    assert settings.target_languages == ("fr",)
    assert settings.locale_dir == "i18n/po"
    assert settings.line_numbers
    assert settings.content_dir("fr") == "content/french"
    assert [p.text for p in settings.fields] == ["title", "faq[].q"]


def test_pyproject_tool_table(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", '[tool.extrans]\ntarget-languages = ["es"]\n')
    assert load_settings(tmp_path).target_languages == ("es",)


def test_a_bad_key_in_pyproject_is_named_with_its_line(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", '[project]\nname = "x"\n\n[tool.extrans]\nfeilds = []\n')
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path)
    assert (caught.value.path, caught.value.line) == (tmp_path / "pyproject.toml", 5)
    assert caught.value.message == "unknown setting 'feilds'; did you mean 'fields'?"


def test_a_bad_key_in_a_table_of_pyproject_is_named_with_its_line(tmp_path: Path) -> None:
    text = '[project]\nname = "x"\n\n[tool.extrans.checks]\nhtml = "off"\nlinks = "off"\n'
    write(tmp_path, "pyproject.toml", text)
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path)
    assert (caught.value.line, caught.value.message) == (6, "unknown check 'checks.links'")


@pytest.mark.parametrize(
    ("text", "project"), [('title = "Pilates"\n', "Pilates"), ("title = 7\n", "")]
)
def test_the_project_is_the_hugo_title_if_it_is_text(
    tmp_path: Path, text: str, project: str
) -> None:
    write(tmp_path, "hugo.toml", text)
    assert load_settings(tmp_path).project == (project or tmp_path.name)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('target_languages = ["es"]\n', 1, "did you mean 'target-languages'?"),
        ('\nfeilds = ["title"]\n', 2, "did you mean 'fields'?"),
        ('fields = ["faq[.q"]\n', 1, "bad field pattern 'faq[.q'"),
        ('target-languages = ["xx-zz"]\n', 1, "unknown language code 'xx-zz' in 'target-"),
        ('source-language = "klingon"\n', 1, "unknown language code 'klingon'"),
        ('line-numbers = "yes"\n', 1, "'line-numbers' must be true or false, not 'yes'"),
        ('\nthreshold = "eighty"\n', 2, "'threshold' must be a number, not 'eighty'"),
        ("wrap-width = 7.5\n", 1, "'wrap-width' must be a whole number, not 7.5"),
        ('[checks]\nhtml = "off"\nthreshold = 50\n', 3, "unknown check 'checks.threshold'; "
         "'threshold' is a setting of its own, but written after the [checks] line it belongs to "
         "that table: move it above [checks]"),
        ('target-languages = ["es"]\n[thresholds]\nes = 50\nline-numbers = true\n', 4,
         "'line-numbers' is a setting of its own, but written after the [thresholds] line"),
        ('locale-dir = "../elsewhere"\n', 1, "must be a folder inside the site"),
        ('locale-dir = "/abs"\n', 1, "must be a folder inside the site"),
        ('target-languages = ["en"]\n', 1, "'en' is both the source and a target language"),
        ('fields = [\n', 1, "invalid TOML"),
        ('[checks]\nhtml = "off"\nlink-targte = "off"\n', 3, "did you mean 'link-target'?"),
        ('checks = { untranslated = "maybe" }\n', 1, "'checks.untranslated' must be \"error\""),
        ('target-languages = ["es"]\n\n[thresholds]\nes = 120\n', 4, "a threshold is a percentage"),
        ('target-languages = ["es"]\n[thresholds]\nfr = 50\n', 3, "'thresholds.fr': not a target"),
        ('[contexts]\n"a" = "k"\n"b" = ""\n', 3, "the context of 'b' must be a non-empty"),
        ('target-languages = ["es"]\nlink-prefix = ["fr"]\n', 2, "'link-prefix' lists 'fr', not a"),
        ('[contexts]\n"a" = "k"\n"faq[.q" = "x"\n', 3, "bad field pattern 'faq[.q'"),
        ('\nshortcode-args = ["figure.alt", "caption"]\n', 2, "'caption' in 'shortcode-args' is not"),
        ('shortcode-args = ["notice.tip title"]\n', 1, "write 'figure.caption' or 'notice.0'"),
        ('\ndata-files = ["data/team.yaml"]\n', 2, "'data/team.yaml' is not 'file:fields'"),
        ('data-files = ["team.yaml:bio"]\n', 1, "'team.yaml' is not a file under data/"),
        ('data-files = ["data/../x.yaml:bio"]\n', 1, "is not a file under data/"),
        ('data-files = ["data/x.csv:bio"]\n', 1, "extrans reads data files named .yaml"),
        ('data-files = ["data/x.yaml:bio,faq[.q"]\n', 1, "bad field pattern 'faq[.q'"),
        ('data-target = "prefix"\n', 1, "'data-target' must be \"folder\" or \"suffix\""),
        ('\nsource-commit-field = "source commit"\n', 2, "'source-commit-field' must be a "
         "front-matter key, not 'source commit': write 'default_lang_commit'"),
        ("source-commit-field = 7\n", 1, "'source-commit-field' must be a string, not 7"),
    ],
)  # fmt: skip
def test_bad_configuration_names_file_and_key(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    write(tmp_path, "extrans.toml", text)
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path)
    assert message in caught.value.message
    assert caught.value.path == tmp_path / "extrans.toml"
    assert caught.value.line == line


@pytest.mark.parametrize(
    ("pattern", "matches", "rejects"),
    [
        ("title", [("title",)], [("titles",), ("title", 0)]),
        ("keywords[]", [("keywords", 0), ("keywords", 7)], [("keywords",), ("keywords", "a")]),
        ("faq[].q", [("faq", 2, "q")], [("faq", 2, "a"), ("faq", "q")]),
        ("params.summary", [("params", "summary")], [("summary",)]),
        ("params.*", [("params", "teaser")], [("params", "slug"), ("params", 0)]),
        ("steps[1]", [("steps", 1)], [("steps", 0)]),
        ("[].text", [(0, "text"), (3, "text")], [("text",), ("a", 0, "text")]),
        ("*.description", [("search", "description")], [("description",), ("url", "description")]),
    ],
)
def test_field_patterns(
    pattern: str, matches: list[tuple[str | int, ...]], rejects: list[tuple[str | int, ...]]
) -> None:
    compiled = parse_field_pattern(pattern)
    assert all(compiled.matches(path) for path in matches)
    assert not any(compiled.matches(path) for path in rejects)


@pytest.mark.parametrize(
    ("name", "text", "linkify"),
    [
        ("hugo.toml", 'title = "x"\n', True),
        ("hugo.toml", "[markup.goldmark.extensions]\nlinkify = false\n", False),
        ("hugo.toml", "[markup.goldmark.extensions]\nlinkify = true\n", True),
        ("hugo.yaml", "Markup:\n  Goldmark:\n    Extensions:\n      Linkify: false\n", False),
        ("config/_default/markup.toml", "[goldmark.extensions]\nlinkify = false\n", False),
    ],
)
def test_whether_hugo_links_bare_urls(tmp_path: Path, name: str, text: str, linkify: bool) -> None:
    write(tmp_path, name, text)
    assert load_settings(tmp_path).linkify is linkify


DOCSY_MARKUP = """\
markup:
  goldmark:
    parser:
      attribute:
        block: true
    extensions:
      passthrough:
        enable: true
        delimiters:
          block: [['\\[', '\\]'], ['$$', '$$']]
          inline: [['\\(', '\\)']]
    renderer:
      unsafe: true
"""
"""docsy.dev's ``markup`` (google/docsy, ``docsy.dev/config/_default/hugo.yaml``)."""
DOCSY_DIALECT = MarkdownDialect(
    block_attributes=True,
    math_blocks=(("\\[", "\\]"), ("$$", "$$")),
    math_inline=(("\\(", "\\)"),),
    unsafe=True,
)
JX_MARKUP = """\
[markup]
  [markup.goldmark]
    [markup.goldmark.renderer]
      unsafe = true
    [markup.goldmark.parser]
      attribute = true
    [markup.goldmark.extensions]
      definitionList = true
      footnote = true
      typographer = false
"""
"""jx-docs' ``markup`` (its ``config.toml``; ``typographer`` switched off here), with the
``attribute`` switch older Hugo read: the headings' attributes."""


@pytest.mark.parametrize(
    ("name", "text", "dialect"),
    [
        ("hugo.toml", 'title = "x"\n', DEFAULT_DIALECT),
        ("config/_default/hugo.yaml", DOCSY_MARKUP, DOCSY_DIALECT),
        ("config.toml", JX_MARKUP, MarkdownDialect(typographer=False, unsafe=True)),
        (
            "config/_default/markup.toml",
            "[goldmark.extensions]\ndefinitionList = false\nfootnote = false\ntable = false\n"
            "strikethrough = false\n[goldmark.extensions.typographer]\ndisable = true\n"
            "[goldmark.parser.attribute]\ntitle = false\nblock = true\n",
            MarkdownDialect(
                definition_list=False,
                footnote=False,
                table=False,
                strikethrough=False,
                typographer=False,
                block_attributes=True,
                heading_attributes=False,
            ),
        ),
        (  # delimiters without the switch: no passthrough
            "hugo.toml",
            "[markup.goldmark.extensions.passthrough.delimiters]\ninline = [['$', '$']]\n",
            DEFAULT_DIALECT,
        ),
    ],
)
def test_the_markdown_dialect_from_hugo(
    tmp_path: Path, name: str, text: str, dialect: MarkdownDialect
) -> None:
    write(tmp_path, name, text)
    assert load_settings(tmp_path).dialect == dialect


def test_the_markup_file_overrides_the_main_file_key_by_key(tmp_path: Path) -> None:
    write(
        tmp_path, "hugo.toml", "[markup.goldmark.extensions]\nfootnote = false\nlinkify = false\n"
    )
    write(tmp_path, "config/_default/markup.yaml", "goldmark:\n  extensions:\n    footnote: true\n")
    settings = load_settings(tmp_path)
    assert settings.dialect.footnote and not settings.linkify


def test_passthrough_delimiters_that_are_not_pairs_are_refused(tmp_path: Path) -> None:
    text = "[markup.goldmark.extensions.passthrough]\nenable = true\n"
    text += "[markup.goldmark.extensions.passthrough.delimiters]\nblock = ['$$', '$$']\n"
    write(tmp_path, "hugo.toml", text)
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path)
    assert (caught.value.path, caught.value.line) == (tmp_path / "hugo.toml", 4)
    assert caught.value.message == (
        "'markup.goldmark.extensions.passthrough.delimiters.block' must list pairs of "
        "delimiters, like [['$$', '$$']], not ['$$', '$$']"
    )


def test_shortcode_arguments_that_hold_prose(tmp_path: Path) -> None:
    write(tmp_path, "hugo.toml", 'title = "x"\n')
    assert load_settings(tmp_path).shortcode_args == DEFAULT_SHORTCODE_ARGS
    assert DEFAULT_SHORTCODE_ARGS == ("figure.alt", "figure.attr", "figure.caption", "figure.title")
    write(tmp_path, "extrans.toml", 'shortcode-args = ["notice.0", "blocks/cover.title"]\n')
    assert load_settings(tmp_path).shortcode_args == ("blocks/cover.title", "notice.0")


def test_the_settings_fingerprint_is_the_same_in_every_run(tmp_path: Path) -> None:
    """The cache trusts a run's outputs only under the same fingerprint, a hash of the
    settings' repr: a set in the settings, whose order changes with the hash seed, would make
    every run cold."""
    write(tmp_path, "hugo.toml", 'title = "x"\n')
    write(tmp_path, "extrans.toml", 'shortcode-args = ["a.b", "c.d", "e.0", "f.g", "h.i"]\n')
    script = (
        "from pathlib import Path\nfrom extrans.site.cache import fingerprint\n"
        "from extrans.site.config import load_settings\n"
        f"print(fingerprint(load_settings(Path({str(tmp_path)!r}))))"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in range(1, 5)
    }
    assert len(runs) == 1


def test_every_layout_of_hugo_configuration_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Languages in ``config/_default/languages.es.toml`` (one language's table, as Hugo
    reads a ``<key>.<code>`` file), in ``languages.*`` and in the folder of the environment
    ``hugo`` builds for, merged after ``_default``."""
    write(tmp_path, "config/_default/hugo.toml", 'defaultContentLanguage = "en"\n')
    write(tmp_path, "config/_default/languages.en.toml", 'languageName = "English"\n')
    write(
        tmp_path,
        "config/_default/languages.es.yaml",
        "languageName: Español\nweight: 2\ncontentDir: content/spanish\n",
    )
    write(tmp_path, "config/production/languages.toml", '[fr]\ncontentDir = "content/fr"\n')
    write(tmp_path, "config/staging/languages.toml", '[de]\ncontentDir = "content/de"\n')
    settings = load_settings(tmp_path)
    assert (settings.source_language, settings.target_languages) == ("en", ("es", "fr"))
    assert settings.content_dir("es") == "content/spanish"
    monkeypatch.setenv("HUGO_ENVIRONMENT", "staging")
    assert load_settings(tmp_path).target_languages == ("es", "de")


def test_a_folder_setting_in_one_language_file_names_its_line(tmp_path: Path) -> None:
    write(tmp_path, "config/_default/languages.es.toml", 'weight = 2\ncontentDir = "../es"\n')
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path)
    assert (caught.value.path, caught.value.line) == (
        tmp_path / "config/_default/languages.es.toml",
        2,
    )
    assert "must be a folder inside the site" in caught.value.message


def test_data_files_their_fields_and_where_their_translations_go(tmp_path: Path) -> None:
    write(
        tmp_path,
        "extrans.toml",
        'target-languages = ["es", "fr"]\n'
        'data-files = ["data/en/team.yaml:members[].bio", "data/**/*.json:*.description",\n'
        '              "data/en/team.yaml:members[].role"]\n',
    )
    settings = load_settings(tmp_path)
    assert [p.text for p in settings.data_fields("data/en/team.yaml")] == [
        "members[].bio",
        "members[].role",
    ]
    assert [p.text for p in settings.data_fields("data/a/b/features.json")] == ["*.description"]
    assert settings.data_fields("data/es/features.json") == ()  # (a translation)
    assert settings.data_fields("data/features.fr.json") == ()
    assert settings.data_fields("data/en/team.toml") == ()
    assert settings.data_key("data/en/team.yaml") == "data/en/team"
    assert settings.data_target_path("data/en/team.yaml", "es") == "data/es/team.yaml"
    assert settings.data_target_path("data/features.json", "es") == "data/es/features.json"
    write(tmp_path, "extrans.toml", 'target-languages = ["es"]\ndata-target = "suffix"\n')
    settings = load_settings(tmp_path)
    assert settings.data_target_path("data/a/features.json", "es") == "data/a/features.es.json"
    assert settings.data_target_path("data/en/team.yaml", "es") == "data/es/team.yaml"


def test_the_settings_read_alike_in_every_process(tmp_path: Path) -> None:
    """The caches' fingerprints are made of the settings' ``repr``: a set in them would be
    written in another order by a process with another string hash seed, and every cache
    would be thrown away one run in two."""
    (tmp_path / "hugo.toml").write_text(
        'defaultContentLanguage = "en"\n[languages.en]\n[languages.es]\n[languages.fr]\n'
        "[languages.de]\n[languages.zh]\n",
        encoding="utf-8",
    )
    script = (
        "import sys, pathlib; from extrans.site.config import load_settings; "
        "print(repr(load_settings(pathlib.Path(sys.argv[1]))))"
    )
    shown = {
        subprocess.run(
            [sys.executable, "-c", script, str(tmp_path)],
            capture_output=True, text=True, check=True,
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
        ).stdout
        for seed in range(6)
    }  # fmt: skip
    assert len(shown) == 1 and "'zh'" in shown.pop()
