"""Settings: ``extrans.toml`` (or ``[tool.extrans]`` in ``pyproject.toml``) over the Hugo
configuration (``defaultContentLanguage``, ``languages.<code>.contentDir``...) over the defaults.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Literal, NamedTuple
from urllib.parse import urlsplit

from ..errors import ConfigError, ExtransError, excerpt, file_problem, line_of
from ..formats.checks import CHECK_NAMES, SiteRules
from ..formats.dialect import DEFAULT_DIALECT, MarkdownDialect
from ..formats.languages import validate_code
from ..formats.memory import MEMORY_POLICIES, MemoryPolicy
from ..formats.readers import parse_config
from ..formats.urls import UrlRules
from ..model import FrontMatterFormat
from ..plumbing.fsio import CACHE_DIR, forget_real_folders, read_inside

if TYPE_CHECKING:
    from ..formats.frontmatter import PathPart

__all__ = [
    "DATA_SUFFIXES",
    "DEFAULT_FIELDS",
    "DEFAULT_SHORTCODE_ARGS",
    "NEVER_EXTRACTED",
    "DataFileRule",
    "FieldPattern",
    "Settings",
    "find_hugo_config",
    "find_site_root",
    "load_settings",
    "parse_data_rule",
    "parse_field_pattern",
    "settings_warnings",
]

DEFAULT_FIELDS = ("title", "linkTitle", "description", "summary", "keywords[]")
DEFAULT_SHORTCODE_ARGS = ("figure.alt", "figure.attr", "figure.caption", "figure.title")
"""The arguments of Hugo's built-in ``figure`` that readers see."""
_SHORTCODE_ARG = re.compile(r"[^\W][\w/-]*(?:\.inline)?\.(?:[\w-]+)")
NEVER_EXTRACTED = frozenset(
    {
        "translationKey", "slug", "url", "aliases", "date", "lastmod", "publishDate",
        "expiryDate", "weight", "draft", "layout", "type",
    }
)  # fmt: skip

_NEVER_EXTRACTED_LOWER = frozenset(key.lower() for key in NEVER_EXTRACTED)
_NAME = r"(?:[A-Za-z0-9_][A-Za-z0-9_-]*|\*)"
_PATTERN = re.compile(rf"(?:{_NAME}|\[\d*\])(?:\[\d*\])*(?:\.{_NAME}(?:\[\d*\])*)*")
"""Names joined by dots, each with list indexes after it; a data file's root may be a list,
so a pattern may start with one (``[].text``)."""
DATA_SUFFIXES: dict[str, FrontMatterFormat] = {
    ".yaml": "yaml",
    ".yml": "yaml",
    ".toml": "toml",
    ".json": "json",
}
"""The data files extrans reads (Hugo reads XML and CSV too), and their formats."""
_GLOB_PART = re.compile(r"\*\*/|\*|\?|[^*?]+")
_PART = re.compile(rf"({_NAME})|\[(\d*)\]")


@dataclass(frozen=True, slots=True)
class FieldPattern:
    """A front-matter path pattern: ``title``, ``keywords[]``, ``faq[].q``, ``params.*``."""

    text: str
    """The pattern as written."""
    parts: tuple[str | int | None, ...]
    """Key names (``*`` for any key), list indexes, ``None`` for any index."""

    def matches(self, path: tuple[PathPart, ...]) -> bool:
        """Whether a concrete path (``("faq", 2, "q")``) is selected by this pattern."""
        if len(path) != len(self.parts):
            return False
        for want, have in zip(self.parts, path, strict=True):
            if want is None:
                if not isinstance(have, int):
                    return False
            elif want == "*":
                if not isinstance(have, str) or have.lower() in _NEVER_EXTRACTED_LOWER:
                    return False
            elif want != have and (
                not isinstance(want, str)
                or not isinstance(have, str)
                or want.lower() != have.lower()
            ):
                return False  # (Hugo reads keys in any case: ``Title`` is ``title``)
        return True


@dataclass(frozen=True, slots=True)
class DataFileRule:
    """A ``data-files`` entry: ``data/en/team.yaml:members[].bio``."""

    text: str
    """The entry as written."""
    glob: str
    """The files it names: a path from the site root under ``data/``, where ``*`` and ``?``
    stand for characters of a name and ``**/`` for any folders."""
    fields: tuple[FieldPattern, ...]
    """The fields of those files to translate (after the ``:``, separated by commas)."""
    _regex: re.Pattern[str] = field(repr=False, compare=False)

    def names(self, path: str) -> bool:
        """Whether ``path`` (from the site root, ``/``-separated) is one of its files."""
        return self._regex.fullmatch(path) is not None


def parse_data_rule(text: str) -> DataFileRule:
    """Parse a ``data-files`` entry; ``ValueError`` says what is wrong with it."""
    glob, colon, patterns = text.rpartition(":")
    example = "(e.g. 'data/en/team.yaml:members[].bio')"
    if not colon or not glob or not patterns:
        raise ValueError(f"{excerpt(text)} is not 'file:fields' {example}")
    parts = glob.split("/")
    if parts[0] != "data" or len(parts) < 2 or any(p in ("", ".", "..") for p in parts):
        raise ValueError(f"{excerpt(glob)} is not a file under data/ {example}")
    suffix = PurePosixPath(glob).suffix
    if "*" not in suffix and "?" not in suffix and suffix not in DATA_SUFFIXES:
        names = ", ".join(DATA_SUFFIXES)
        raise ValueError(f"{excerpt(glob)}: extrans reads data files named {names}")
    regex = "".join(
        "(?:[^/]+/)*" if part == "**/" else "[^/]*" if part == "*" else "[^/]" if part == "?"
        else re.escape(part)
        for part in _GLOB_PART.findall(glob)
    )  # fmt: skip
    fields = tuple(parse_field_pattern(item.strip()) for item in patterns.split(","))
    return DataFileRule(text, glob, fields, re.compile(regex))


@lru_cache(maxsize=256)
def parse_field_pattern(text: str) -> FieldPattern:
    """Parse a pattern; ``ValueError`` says what is wrong with it."""
    if not _PATTERN.fullmatch(text):
        raise ValueError(
            f"bad field pattern {excerpt(text)}: expected names joined by '.', each optionally "
            "followed by '[]' for every item of a list, '*' for any name (e.g. 'faq[].q', "
            "'params.summary', 'features.*.text')"
        )
    parts: list[str | int | None] = [
        name or (int(index) if index else None) for name, index in _PART.findall(text)
    ]
    return FieldPattern(text, tuple(parts))


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a run needs to know, resolved once."""

    site_root: Path
    """The folder holding the site (and its configuration)."""
    source_language: str
    target_languages: tuple[str, ...]
    content_dirs: Mapping[str, str]
    """Content folder per language, relative to the site root, ``/``-separated."""
    locale_dir: str = "locale"
    fields: tuple[FieldPattern, ...] = tuple(parse_field_pattern(f) for f in DEFAULT_FIELDS)
    contexts: Mapping[str, str] = field(default_factory=dict)
    """msgctxt per field pattern, for values that must be translatable apart from the same
    words elsewhere in the page."""
    line_numbers: bool = False
    """Whether ``#:`` references carry line numbers (they churn on every edit above them)."""
    project: str = "extrans"
    """The catalogs' ``Project-Id-Version``."""
    bugs_address: str = ""
    """The catalogs' ``Report-Msgid-Bugs-To``."""
    code_shortcodes: tuple[str, ...] = ("highlight",)
    """Paired shortcodes whose inner text is code, never sent to translators."""
    html_blocks: bool = False
    """Whether the text of simple HTML blocks (``<details>``, ``<summary>``, ``<p>``,
    ``<figcaption>``: inline tags only) is sent to translators, tags and all."""
    shortcode_args: tuple[str, ...] = DEFAULT_SHORTCODE_ARGS
    """Shortcode arguments that hold prose, ``name.argument`` (``figure.caption``) or
    ``name.position`` (``notice.0``): each value a text of its own where the call stands
    alone, and a translation may change them where a call stands in a text. (A tuple, sorted
    when configured: the settings' ``repr`` is part of the cache's fingerprint, and a set's
    order changes from run to run.)"""
    fuzzy_threshold: float = 0.6
    """Similarity (difflib ratio) from which a changed text keeps its old translation as fuzzy."""
    wrap_width: int = 79
    """Width new catalogs are wrapped at (existing ones keep what their tool chose)."""
    threshold: float = 80.0
    """Share of a page's entries (percent) that must be translated for build to write it."""
    thresholds: Mapping[str, float] = field(default_factory=dict)
    """``threshold`` per language, where it differs."""
    link_prefix: tuple[str, ...] = ()
    """Languages whose built pages have their root-relative links to the site's pages put
    under the language's path (``/es/docs/guide/``), as Hugo serves that language."""
    use_fuzzy: tuple[str, ...] = ()
    """Languages whose pages build writes with their fuzzy translations (a published page
    keeps its old translation while the new text waits for review) rather than the source
    text."""
    checks: Mapping[str, str] = field(default_factory=dict)
    """Severity per check name (``error``, ``warning``, ``off``), where it differs from the
    check's default."""
    linkify: bool = True
    """Whether Hugo turns bare URLs into links (``markup.goldmark.extensions.linkify``, on by
    default): they are links that ``link-target`` compares."""
    dialect: MarkdownDialect = DEFAULT_DIALECT
    """The rest of what Hugo's Goldmark settings (``markup.goldmark``) say of the Markdown
    bodies are written in."""
    pseudo_language: str = "qps"
    """The language ``extrans pseudo`` fills by default."""
    i18n: bool = True
    """Translate the site's i18n string tables (``i18n/<source>.toml``...)."""
    data_files: tuple[DataFileRule, ...] = ()
    """The data files to translate, and their fields."""
    data_target: Literal["folder", "suffix"] = "folder"
    """Where a translated data file goes when its source is not in a folder of the source
    language (``data/en/...``, whose translations go to ``data/es/...``): ``folder``,
    ``data/features.yaml`` → ``data/es/features.yaml``; ``suffix``, → ``data/features.es.yaml``."""
    source_commit_field: str = "default_lang_commit"
    """The front-matter key in which a hand-made localized page may record the commit of the
    source page it was translated from (``extrans adopt`` aligns it with that version)."""
    menus: bool = True
    """Translate the menus of the Hugo configuration (``menus.main``...)."""
    taxonomies: bool = True
    """Translate the taxonomy terms the source pages list, into term pages."""
    memory: Mapping[str, MemoryPolicy] = field(default_factory=dict)
    """What the site's translation memory does with each language's new entries at extract,
    where it differs from ``fuzzy`` (see :data:`MemoryPolicy`)."""
    url_prefixes: Mapping[str, str] = field(default_factory=dict)
    """The path under which Hugo publishes each language's pages (``/es``; empty for the
    default language outside a subfolder, and for every language of a site whose languages
    have hosts of their own); a language not listed has ``/<code>``."""
    urls: UrlRules = field(default_factory=UrlRules)
    """What of the Hugo configuration decides where pages are served (``permalinks``...)."""
    _selected: dict[tuple[PathPart, ...], bool] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _context_of: dict[tuple[PathPart, ...], str | None] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    """What :meth:`selects` and :meth:`context_for` said of each path: pages repeat the same
    paths (``faq[2].q``...), so each is matched against the patterns once per run."""

    def memory_for(self, language: str) -> MemoryPolicy:
        return self.memory.get(language, "fuzzy")

    def threshold_for(self, language: str) -> float:
        return self.thresholds.get(language, self.threshold)

    def url_prefix(self, language: str) -> str:
        """The path under which Hugo publishes ``language``'s pages (``/es``, or empty)."""
        return self.url_prefixes.get(language, f"/{language.lower()}")

    def site_rules(self, language: str) -> SiteRules:
        """What the checks read of the site, for translations into ``language``."""
        return SiteRules(self.linkify, self.shortcode_args, self.url_prefix(language))

    def content_dir(self, language: str) -> str:
        return self.content_dirs.get(language, f"content/{language}")

    def template_path(self, key: str) -> str:
        return f"{self.locale_dir}/templates/{key}.pot"

    def catalog_path(self, language: str, key: str) -> str:
        return f"{self.locale_dir}/{language}/{key}.po"

    def catalog_folder(self, path: str) -> str:
        """The folder of templates, or of one language's catalogs, that holds ``path`` (from
        the site root): every file in it must lie inside it."""
        return f"{self.locale_dir}/{path[len(self.locale_dir) + 1 :].split('/')[0]}"

    def localized_path(self, source: str, language: str) -> str:
        """``content/en/a/b.md`` → ``content/es/a/b.md``."""
        return self._moved(source, self.source_language, language)

    def localized_paths(
        self, sources: Sequence[str], languages: Sequence[str]
    ) -> dict[str, list[str]]:
        """:meth:`localized_path` of each source page in each language."""
        return {
            source: [self.localized_path(source, lang) for lang in languages] for source in sources
        }

    def source_path(self, localized: str, language: str) -> str:
        """The inverse of :meth:`localized_path`."""
        return self._moved(localized, language, self.source_language)

    def _moved(self, path: str, language: str, to: str) -> str:
        prefix = self.content_dir(language) + "/"
        if not path.startswith(prefix):
            raise ValueError(f"{path} is not in {prefix}")
        return self.content_dir(to) + "/" + path[len(prefix) :]

    def data_fields(self, path: str) -> tuple[FieldPattern, ...]:
        """The fields to translate of the data file at ``path`` (from the site root), from
        every ``data-files`` entry naming it; none for a file that is a translation itself."""
        if self.is_data_translation(path):
            return ()
        return tuple(f for rule in self.data_files if rule.names(path) for f in rule.fields)

    def is_data_translation(self, path: str) -> bool:
        """Whether the data file at ``path`` is where a translation goes (``data/es/...``,
        ``data/features.es.yaml``), never a source."""
        parts = path.split("/")
        if len(parts) > 2 and parts[1] in self.target_languages:
            return True
        name = parts[-1].split(".")
        return len(name) > 2 and name[-2] in self.target_languages

    def data_key(self, path: str) -> str:
        """The catalog name of a data file: ``data/en/team.yaml`` → ``data/en/team``."""
        return str(PurePosixPath(path).with_suffix(""))

    def data_target_path(self, path: str, language: str) -> str:
        """Where the translation into ``language`` of the data file at ``path`` goes:
        ``data/en/team.yaml`` → ``data/es/team.yaml``; elsewhere, as ``data_target`` says."""
        parts = path.split("/")
        if len(parts) > 2 and parts[1] == self.source_language:
            return "/".join(["data", language, *parts[2:]])
        if self.data_target == "suffix":
            source = PurePosixPath(path)
            return str(source.with_name(f"{source.stem}.{language}{source.suffix}"))
        return "/".join(["data", language, *parts[1:]])

    def context_for(self, path: tuple[PathPart, ...]) -> str | None:
        """The msgctxt the configuration gives a front-matter path, if any."""
        if path not in self._context_of:
            self._context_of[path] = next(
                (
                    context
                    for text, context in self.contexts.items()
                    if parse_field_pattern(text).matches(path)
                ),
                None,
            )
        return self._context_of[path]

    def selects(self, path: tuple[PathPart, ...]) -> bool:
        """Whether a front-matter path is one of the fields to translate."""
        if path not in self._selected:
            self._selected[path] = any(pattern.matches(path) for pattern in self.fields)
        return self._selected[path]


_KEYS = {
    "source-language": str,
    "target-languages": list,
    "content-dirs": dict,
    "locale-dir": str,
    "fields": list,
    "contexts": dict,
    "line-numbers": bool,
    "project": str,
    "bugs-address": str,
    "code-shortcodes": list,
    "html-blocks": bool,
    "shortcode-args": list,
    "fuzzy-threshold": float,
    "wrap-width": int,
    "threshold": float,
    "thresholds": dict,
    "use-fuzzy": list,
    "link-prefix": list,
    "checks": dict,
    "pseudo-language": str,
    "i18n": bool,
    "data-files": list,
    "data-target": str,
    "source-commit-field": str,
    "menus": bool,
    "taxonomies": bool,
    "memory": str | dict,
}
_DELIMITERS = ("goldmark", "extensions", "passthrough", "delimiters")
"""Where Hugo's configuration gives the passthrough extension's delimiters."""
_FRONT_MATTER_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
"""A top-level front-matter key, as ``source-commit-field`` names one."""
_EACH_LANGUAGE_APART = "each language needs a folder of its own"


class _Found(NamedTuple):
    """A value of a configuration file, and where it is written."""

    value: Any
    path: Path
    line: int | None


class _Table(NamedTuple):
    """A table of a configuration file, and the file's text."""

    value: object
    path: Path
    text: str


@dataclass(frozen=True, slots=True)
class _HugoSite:
    """What extrans takes from the Hugo configuration, each value with where it is written."""

    default_language: _Found | None
    languages: Mapping[str, _Found]
    """Each language's code, in the order Hugo lists them."""
    content_dirs: Mapping[str, _Found]
    """Each language's own ``contentDir``."""
    content_dir: _Found | None
    """The top-level ``contentDir``: the folder of every language without its own."""
    title: str | None
    linkify: bool
    dialect: MarkdownDialect
    in_subdir: bool
    """``defaultContentLanguageInSubdir``."""
    multihost: bool
    """Whether a language has a ``baseURL`` of its own (each language at its host's root)."""
    urls: UrlRules


def _read_mapping(path: Path, root: Path) -> tuple[dict[str, Any], str]:
    """A configuration file of the site at ``root``, read as its suffix says; one that a
    symlink leads outside the site is refused before a byte of it is read."""
    shown = os.path.relpath(path, root)
    try:
        text = (read_inside(path, shown, root, error=ConfigError) or b"").decode("utf-8")
    except OSError as err:
        raise ConfigError(f"cannot read: {file_problem(err)}", path) from err
    except UnicodeDecodeError as err:
        raise ConfigError(f"cannot read: {err}", path) from err
    data = parse_config(text, path)
    if not isinstance(data, dict):
        raise ConfigError("the configuration is not a mapping", path)
    return data, text


def _present(path: Path) -> bool:
    """Whether a configuration file is there: anything but a folder (a FIFO or a device in
    its place is refused when it is read, not taken for no file)."""
    return path.exists() and not path.is_dir()


def _config_file(folder: Path, *stems: str) -> Path | None:
    """The first ``STEM.toml``, ``.yaml``, ``.yml`` or ``.json`` of ``stems`` in ``folder``."""
    names = (f"{stem}.{ext}" for stem in stems for ext in ("toml", "yaml", "yml", "json"))
    return next((folder / name for name in names if _present(folder / name)), None)


def find_hugo_config(root: Path) -> Path | None:
    """The Hugo configuration file of the site at ``root``, if there is one."""
    split = root / "config" / "_default"
    return _config_file(root, "hugo", "config") or _config_file(split, "hugo", "config")


_SITE_FILES = "no hugo.toml, config.toml, config/_default/ or extrans.toml"


def find_site_root(given: Path | None) -> Path:
    """The root of the site a command works on: ``given`` (``--site``), which must be one,
    or else the current folder or the nearest folder above it that is one, as git finds its
    repository. A site root holds a Hugo configuration (``hugo.*`` or ``config.*``, or a
    ``config/_default/`` folder) or an ``extrans.toml``."""
    if given is not None:
        if not given.is_dir():
            problem = "is not a folder" if given.exists() else "no such folder"
            raise ExtransError(f"{problem}; pass the Hugo site's folder with --site", str(given))
        if not _is_site_root(given):
            raise ExtransError(
                f"is not a Hugo site ({_SITE_FILES} in it); pass the site's folder with --site",
                str(given),
            )
        return given
    here = Path.cwd()
    for folder in (here, *here.parents):
        if folder.parent.name == "config" and (folder.parent / "_default").is_dir():
            continue  # (a folder of Hugo's split configuration: the site is above it)
        if _is_site_root(folder):
            return folder
    raise ExtransError(
        f"no Hugo site in this folder or any folder above it ({_SITE_FILES}); run extrans "
        "in the site's folder, or pass it with --site"
    )


def _is_site_root(folder: Path) -> bool:
    return (
        find_hugo_config(folder) is not None
        or _present(folder / "extrans.toml")
        or (folder / "config" / "_default").is_dir()
    )


def _lowered(mapping: Mapping[Any, Any]) -> dict[str, Any]:
    """A configuration table with its keys as Hugo reads them: strings, in lower case (a
    key YAML reads as a number or a date is its text)."""
    return {str(key).lower(): value for key, value in mapping.items()}


def _value_at(mapping: object, keys: Sequence[str]) -> object:
    """The value at ``keys`` in nested mappings, whose keys Hugo reads in any case; ``None``
    where there is none."""
    for key in keys:
        if not isinstance(mapping, dict):
            return None
        mapping = next((v for k, v in mapping.items() if str(k).lower() == key), None)
    return mapping


_HugoFile = tuple[Path, Literal["main", "languages", "language", "markup", "permalinks"], str]


def _hugo_files(root: Path) -> list[_HugoFile]:
    """The Hugo configuration files extrans reads, in the order Hugo merges them: the site's
    own ``hugo.*`` or ``config.*``, then in ``config/_default/`` and then in the folder of the
    environment ``hugo`` builds for (``HUGO_ENVIRONMENT``, else ``production``) the main file,
    ``languages.*`` (the ``languages`` table), ``languages.<code>.*`` (one language's table,
    as Hugo reads a ``<key>.<code>`` file), ``markup.*`` (the ``markup`` table) and
    ``permalinks.*`` (the ``permalinks`` table)."""
    files: list[_HugoFile] = []
    seen: set[Path] = set()

    def add(path: Path | None,
            holds: Literal["main", "languages", "language", "markup", "permalinks"],
            language: str = "") -> None:  # fmt: skip
        if path is not None and path not in seen:
            seen.add(path)
            files.append((path, holds, language))

    add(find_hugo_config(root), "main")
    environment = os.environ.get("HUGO_ENVIRONMENT") or "production"
    for folder in dict.fromkeys((root / "config" / "_default", root / "config" / environment)):
        add(_config_file(folder, "hugo", "config"), "main")
        add(_config_file(folder, "languages"), "languages")
        for path in sorted(folder.glob("languages.*.*")) if folder.is_dir() else ():
            code, extension = path.name.split(".", 1)[1].rsplit(".", 1)
            if extension in ("toml", "yaml", "yml", "json") and "." not in code and _present(path):
                add(path, "language", code)
        add(_config_file(folder, "markup"), "markup")
        add(_config_file(folder, "permalinks"), "permalinks")
    return files


def _read_hugo(root: Path) -> _HugoSite:
    """What extrans takes from the Hugo configuration files, merged as Hugo merges them (a
    later file wins): the site's own file, then ``config/_default/``'s main file, its
    ``languages.*`` (the ``languages`` table itself) and ``markup.*`` (the ``markup`` table).
    Every folder setting among them, used or overridden, is checked."""
    files = _hugo_files(root)
    markups: list[_Table] = []
    """Each file's ``markup`` table, in the order Hugo merges them."""
    top: dict[str, _Found] = {}
    languages: dict[str, _Found] = {}
    content_dirs: dict[str, _Found] = {}
    multihost = False
    permalinks: dict[str, str] = {}
    switches: dict[str, bool] = {}
    base_path = ""
    for path, holds, language in files:
        mapping, text = _read_mapping(path, root)
        data = _lowered(mapping)
        if holds == "markup":
            markups.append(_Table(mapping, path, text))
            continue
        if holds == "permalinks":
            permalinks.update(_permalinks(mapping))
            continue
        if holds == "language":  # (``languages.es.toml``: the table of one language)
            mapping = {language: mapping}
        holds_languages = holds != "main"
        if not holds_languages:
            markups.append(_Table(data.get("markup"), path, text))
            permalinks.update(_permalinks(data.get("permalinks")))
            if isinstance(data.get("baseurl"), str):
                base_path = urlsplit(data["baseurl"]).path.rstrip("/")
            for key in ("uglyurls", "disablepathtolower", "removepathaccents"):
                if key in data:
                    switches[key] = data[key] is True
            for key in (
                "defaultContentLanguage",
                "title",
                "contentDir",
                "defaultContentLanguageInSubdir",
            ):
                if key.lower() in data:
                    value, line = data[key.lower()], _key_line(text, key)
                    if key == "contentDir":
                        value = _folder(value, "'contentDir'", path, line)
                    elif key == "defaultContentLanguage":
                        value = str(value) if value else None
                    elif key == "defaultContentLanguageInSubdir":
                        value = value is True
                    elif not isinstance(value, str):  # (a title that is not text is none)
                        value = None
                    top[key] = _Found(value, path, line)
        table = mapping if holds_languages else data.get("languages")
        if not isinstance(table, dict):
            continue
        for key, options in table.items():
            code = str(key)
            table_name = rf"(?:languages\.)?{_quoted(code)}"  # ([languages.es], [es], es:)
            line = _line_in_table(text, table_name) or (1 if holds == "language" else None)
            languages.setdefault(code, _Found(code, path, line))
            options = _lowered(options) if isinstance(options, dict) else {}
            multihost = multihost or bool(options.get("baseurl"))
            if "contentdir" in options:
                line = _line_in_table(text, table_name, "contentDir")
                folder = _folder(
                    options["contentdir"], f"the content folder of {excerpt(code)}", path, line
                )
                content_dirs[code] = _Found(folder, path, line)
    linkify, dialect = _goldmark(markups)
    return _HugoSite(
        default_language=top.get("defaultContentLanguage"),
        languages=languages,
        content_dirs=content_dirs,
        content_dir=top.get("contentDir"),
        title=top["title"].value if "title" in top else None,
        linkify=linkify,
        dialect=dialect,
        in_subdir=bool(top.get("defaultContentLanguageInSubdir", _Found(False, root, None)).value),
        multihost=multihost,
        urls=UrlRules(
            permalinks=permalinks,
            ugly_urls=switches.get("uglyurls", False),
            lower_case=not switches.get("disablepathtolower", False),
            remove_accents=switches.get("removepathaccents", False),
            languages=tuple(sorted({code.lower() for code in languages})),
            base_path=base_path,
        ),
    )


def _permalinks(table: object) -> dict[str, str]:
    """The ``permalinks`` patterns of regular pages, by top-level section (Hugo takes ``/``
    and `` `` for the root's pages), with those of a ``page`` table (Hugo 0.120's layout);
    what is not a pattern is left to Hugo to refuse."""
    if not isinstance(table, dict):
        return {}
    pages = _lowered(table).get("page")
    if isinstance(pages, dict):
        table = {**table, **pages}
    return {
        str(section).strip(" /"): pattern
        for section, pattern in table.items()
        if isinstance(pattern, str)
    }


def _goldmark(markups: Sequence[_Table]) -> tuple[bool, MarkdownDialect]:
    """Whether Goldmark links bare URLs, and the rest of its dialect, from the ``markup``
    tables (a later one wins, key by key); a switch that is not a boolean is Hugo's default."""

    def value(*keys: str) -> object:
        found = _markup_value(markups, ("goldmark", *keys))
        return None if found is None else found.value

    def on(*keys: str) -> bool:
        return value(*keys) is not False

    def off(*keys: str) -> bool:
        return value(*keys) is True

    attribute = value("parser", "attribute")
    title, block = on("parser", "attribute", "title"), off("parser", "attribute", "block")
    if isinstance(attribute, bool):  # (its form before Hugo 0.81: the headings' attributes)
        title, block = attribute, False
    typographer = value("extensions", "typographer")
    if isinstance(typographer, dict):  # (Hugo 0.112's table of its own)
        typographer = _value_at(typographer, ("disable",)) is not True
    passthrough = off("extensions", "passthrough", "enable")
    return on("extensions", "linkify"), MarkdownDialect(
        definition_list=on("extensions", "definitionlist"),
        footnote=on("extensions", "footnote"),
        table=on("extensions", "table"),
        strikethrough=on("extensions", "strikethrough"),
        typographer=typographer is not False,
        block_attributes=block,
        heading_attributes=title,
        math_blocks=_delimiters(markups, "block") if passthrough else (),
        math_inline=_delimiters(markups, "inline") if passthrough else (),
        unsafe=off("renderer", "unsafe"),
    )


def _markup_value(markups: Sequence[_Table], keys: Sequence[str]) -> _Found | None:
    """The value at ``keys`` of the last ``markup`` table that has one, and where it is."""
    for table in reversed(markups):
        found = _value_at(table.value, keys)
        if found is not None:
            return _Found(found, table.path, _key_line(table.text, keys[-1]))
    return None


def _delimiters(markups: Sequence[_Table], kind: str) -> tuple[tuple[str, str], ...]:
    """The ``passthrough`` extension's ``block`` or ``inline`` delimiters: pairs of texts."""
    found = _markup_value(markups, (*_DELIMITERS, kind))
    if found is None:
        return ()
    pairs = found.value
    if not isinstance(pairs, list) or not all(
        isinstance(pair, list) and len(pair) == 2 and all(isinstance(d, str) and d for d in pair)
        for pair in pairs
    ):
        key = ".".join(("markup", *_DELIMITERS[:3], "delimiters", kind))
        raise ConfigError(
            f"'{key}' must list pairs of delimiters, like [['$$', '$$']], not "
            f"{excerpt(found.value)}",
            found.path,
            found.line,
        )
    return tuple((pair[0], pair[1]) for pair in pairs)


def _key_line(text: str, key: str) -> int | None:
    """The line of a top-level ``key`` (one not indented, else the first one at all)."""
    for indent in ("", "[ \t]*"):
        found = re.search(
            rf"^{indent}[\"']?{re.escape(key)}[\"']?[ \t]*[=:]", text, re.MULTILINE | re.IGNORECASE
        )
        if found:
            return line_of(text, found.start())
    return None


def _line_in_table(text: str, table: str, key: str | None = None) -> int | None:
    """The line where a table starts (``[name]`` in TOML, ``name:`` in YAML or JSON, ``name =``
    for an inline TOML table; ``table`` is a regular expression of the name), or the line of
    ``key`` in it: the first one after the table's start, or else the first one at all."""
    start = re.search(
        rf"^[ \t]*(?:\[{table}\]|{table}[ \t]*[:=])", text, re.MULTILINE | re.IGNORECASE
    )
    if key is None:
        return line_of(text, start.start()) if start else None
    pattern = re.compile(rf"(?<![\w-])[\"']?{re.escape(key)}[\"']?[ \t]*[=:]", re.IGNORECASE)
    found = pattern.search(text, start.end() if start else 0) or pattern.search(text)
    return line_of(text, found.start()) if found else None


def _quoted(name: str) -> str:
    """A regular expression of a key, quoted or not."""
    return rf"[\"']?{re.escape(name)}[\"']?"


def _folder(value: object, where: str, path: Path, line: int | None) -> str:
    """A folder setting, checked to be a folder inside the site, relative to it."""
    if not isinstance(value, str):
        raise ConfigError(f"{where} must be a folder name, not {excerpt(value)}", path, line)
    posix = PurePosixPath(value.replace("\\", "/"))
    if (
        not value
        or posix.is_absolute()
        or ".." in posix.parts
        or any(ord(char) < 32 for char in value)
    ):
        raise ConfigError(
            f"{where} must be a folder inside the site, relative to it (got {excerpt(value)})",
            path,
            line,
        )
    return str(posix)


def _relation(mine: str, theirs: str) -> str | None:
    """How folder ``mine`` lies to folder ``theirs`` (both from the site root), if they meet."""
    if mine == theirs:
        return "same"
    if theirs == "." or mine.startswith(theirs + "/"):
        return "inside"
    if mine == "." or theirs.startswith(mine + "/"):
        return "holds"
    return None


def _check_apart(
    codes: Sequence[str], folders: Mapping[str, str], dirs: Mapping[str, _Found], where: Path
) -> None:
    """Refuse content folders of two languages that are one, or one inside the other: build
    would write over the source pages, or extract read translations as sources. The error
    names where the later language's folder is set (or the earlier's, if only it is set)."""
    for index, code in enumerate(codes):
        for other in codes[:index]:
            mine, theirs = folders[code], folders[other]
            relation = _relation(mine, theirs)
            if relation is None:
                continue
            problem = {
                "same": f"'{code}' and '{other}' have the same content folder ({mine})",
                "inside": f"the content folder of '{code}' ({mine}) is inside "
                f"the content folder of '{other}' ({theirs})",
                "holds": f"the content folder of '{code}' ({mine}) contains "
                f"the content folder of '{other}' ({theirs})",
            }[relation]
            found = dirs.get(code) or dirs.get(other)
            path, line = (found.path, found.line) if found else (where, None)
            raise ConfigError(f"{problem}; {_EACH_LANGUAGE_APART}", path, line)


def _check_real_folders(
    root: Path, content: Mapping[str, str], catalogs: Mapping[str, str], locale_dir: str
) -> None:
    """Refuse folders that symlinks lead outside the site, or make one language's folder
    another's (or one inside the other), however they are named: each folder is resolved
    once, here, and extrans never follows a symlinked folder out. ``content`` and
    ``catalogs`` name each folder in words; catalogs are never in a content folder, nor the
    cache in the locale folder."""
    top = os.path.realpath(root)
    locale = {"the locale folder": locale_dir}
    cache = {"extrans's cache folder": CACHE_DIR}

    def resolved(folder: str) -> str:
        return Path(os.path.relpath(os.path.realpath(root / folder), top)).as_posix()

    real: dict[str, str] = {}
    for folder in (*content.values(), locale_dir, *catalogs.values()):
        real[folder] = resolved(folder)
        if real[folder] == ".." or real[folder].startswith("../"):
            how = (
                "is a symlink to a folder"
                if os.path.islink(root / folder)
                else "is in a folder that a symlink leads"
            )
            raise ConfigError(
                f"{how} outside the site; refusing it (make it a folder inside the site)",
                folder,
            )
    real.setdefault(CACHE_DIR, resolved(CACHE_DIR))  # (not a folder extrans reads through)
    apart = "each needs a folder of its own"
    checks = [
        (content, content, _EACH_LANGUAGE_APART),
        (catalogs, catalogs, _EACH_LANGUAGE_APART),
        (content, locale, apart),
        (content, catalogs, apart),
        (cache, locale, apart),
    ]
    for first, second, advice in checks:
        for index, pair in enumerate(second.items()):
            # (within one group, each folder against the ones before it)
            others = list(first.items())[:index] if first is second else first.items()
            for other in others:
                _check_apart_really(real, pair, other, advice)


def _check_apart_really(
    real: Mapping[str, str], pair: tuple[str, str], earlier: tuple[str, str], advice: str
) -> None:
    """Refuse two folders (each ``(what, folder)``) that are one, or one inside the other,
    by their real paths; the error names the one a symlink leads elsewhere, the later one
    (``pair``) if neither or both do."""
    if real[pair[1]] == pair[1] and real[earlier[1]] != earlier[1]:
        pair, earlier = earlier, pair
    (what, folder), (other_what, other) = pair, earlier
    linked = real[folder] != folder or real[other] != other
    relation = _relation(real[folder], real[other])
    if relation is None:
        return
    how = {
        "same": "is, through a symlink," if linked else f"is {what} and",
        "inside": "leads, through a symlink, into" if linked else f"is {what}, inside",
        "holds": "holds, through a symlink," if linked else f"is {what}, holding",
    }[relation]
    raise ConfigError(f"{how} {other_what} ({other}); {advice}", folder)


def _extrans_table(root: Path) -> tuple[dict[str, Any], Path | None, str]:
    """extrans's own settings, the file they are in and its text."""
    own = root / "extrans.toml"
    if _present(own):
        data, text = _read_mapping(own, root)
        return data, own, text
    pyproject = root / "pyproject.toml"
    if _present(pyproject):
        data, text = _read_mapping(pyproject, root)
        tool = data.get("tool")  # (a table, as PEP 518 says, or not extrans's business)
        if isinstance(tool, dict) and "extrans" in tool:
            table = tool["extrans"]
            if not isinstance(table, dict):
                message = (
                    f"[tool.extrans] must be a table, not {excerpt(table)}; put extrans's "
                    "settings under a [tool.extrans] line"
                )
                raise ConfigError(message, pyproject, _tool_extrans_line(text))
            return table, pyproject, text
    return {}, None, ""


def _tool_extrans_line(text: str) -> int | None:
    """The line that gives ``tool.extrans`` its value: a dotted key or a table header, else
    the key ``extrans`` of the ``tool`` table (a ``[tool]`` section or an inline table)."""
    tool, key = _quoted("tool"), _quoted("extrans")
    dotted = re.search(rf"^[ \t]*(?:\[[ \t]*)*{tool}[ \t]*\.[ \t]*{key}[ \t]*[]=]", text, re.M)
    table = re.search(rf"^[ \t]*(?:\[[ \t]*{tool}[ \t]*\]|{tool}[ \t]*=)", text, re.M)
    in_table = re.compile(rf"(?:^[ \t]*|[{{,][ \t]*){key}[ \t]*=", re.M)
    found = dotted or in_table.search(text, table.end() if table else 0)
    return line_of(text, found.start()) if found else None


def _did_you_mean(name: str, names: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, names, n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


def load_settings(root: Path) -> Settings:
    """Read the settings of the site at ``root``; :class:`ConfigError` names file and key."""
    root = root.resolve()
    forget_real_folders()  # (a run's folders are resolved afresh, from here)
    hugo = _read_hugo(root)
    table, path, text = _extrans_table(root)
    where = path or root

    def fail(message: str, key: str, table: str | None = None) -> ConfigError:
        """An error at ``key``, a top-level setting or a key of the setting ``table``."""
        if table is None:
            return ConfigError(message, where, _key_line(text, key))
        name = rf"(?:tool\.extrans\.)?{_quoted(table)}"
        return ConfigError(message, where, _line_in_table(text, name, key))

    for key, value in table.items():
        expected = _KEYS.get(key)
        if expected is None:
            raise fail(f"unknown setting {excerpt(key)}{_did_you_mean(key, _KEYS)}", key)
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise fail(f"'{key}' must be {_KINDS[expected]}, not {excerpt(value)}", key)

    hugo_source = hugo.default_language.value if hugo.default_language else None
    hugo_default = hugo_source or "en"  # (Hugo's own default)
    source = table.get("source-language") or hugo_source or "en"
    targets = table.get("target-languages")
    if targets is None:
        targets = [code for code in hugo.languages if code != source]
    pseudo = table.get("pseudo-language", "qps")
    checked = [("source-language", [source]), ("target-languages", targets)]
    for key, codes in [*checked, ("pseudo-language", [pseudo])]:
        for code in codes:
            if not isinstance(code, str):
                raise fail(f"'{key}' must list language codes, not {excerpt(code)}", key)
            try:
                validate_code(code)
            except ValueError as err:
                if key in table:
                    raise fail(f"{err} in '{key}' (use a code like 'es' or 'pt-br')", key) from err
                place = hugo.languages[code] if key == "target-languages" else hugo.default_language
                assert place is not None  # (the default source language, en, is valid)
                raise ConfigError(
                    f"{err} in the Hugo configuration (use a code like 'es' or 'pt-br', or set "
                    f"'{key}' in extrans.toml)",
                    place.path,
                    place.line,
                ) from err
    if source in targets:
        raise fail(f"'{source}' is both the source and a target language", "target-languages")

    codes = [source, *targets]
    dirs: dict[str, _Found] = dict(hugo.content_dirs)
    if hugo.content_dir is not None:  # (Hugo's folder for every language without its own)
        dirs |= {code: hugo.content_dir for code in codes if code not in dirs}
    for code, value in table.get("content-dirs", {}).items():
        line = _line_in_table(text, _quoted("content-dirs"), code)
        dirs[code] = _Found(
            _folder(value, f"the content folder of {excerpt(code)}", where, line), where, line
        )
    content_dirs = {code: found.value for code, found in dirs.items()}
    folders = {code: content_dirs.get(code, f"content/{code}") for code in codes}
    _check_apart(codes, folders, dirs, where)
    locale_dir = _folder(
        table.get("locale-dir", "locale"), "'locale-dir'", where, _key_line(text, "locale-dir")
    )
    content = {f"the content folder of '{code}'": folders[code] for code in codes}
    catalogs = {"the template folder": f"{locale_dir}/templates"}
    catalogs |= {f"the catalog folder of '{code}'": f"{locale_dir}/{code}" for code in targets}
    _check_real_folders(root, content, catalogs, locale_dir)

    patterns: list[FieldPattern] = []
    for item in table.get("fields", DEFAULT_FIELDS):
        try:
            patterns.append(parse_field_pattern(str(item)))
        except ValueError as err:
            raise fail(f"{err} in 'fields'", "fields") from err
    contexts = table.get("contexts", {})
    for pattern_text, context in contexts.items():
        try:
            parse_field_pattern(pattern_text)
        except ValueError as err:
            raise fail(f"{err} in 'contexts'", pattern_text, "contexts") from err
        if not isinstance(context, str) or not context:
            empty = f"the context of {excerpt(pattern_text)} must be a non-empty string"
            raise fail(empty, pattern_text, "contexts")

    shortcode_args = [str(item) for item in table.get("shortcode-args", DEFAULT_SHORTCODE_ARGS)]
    for item in shortcode_args:
        if not _SHORTCODE_ARG.fullmatch(item):
            wrong = f"{excerpt(item)} in 'shortcode-args' is not 'shortcode.argument' (or '.0')"
            raise fail(f"{wrong}: write 'figure.caption' or 'notice.0'", "shortcode-args")

    fuzzy = table.get("fuzzy-threshold", 0.6)
    if not 0.0 < fuzzy <= 1.0:
        raise fail("'fuzzy-threshold' must be between 0 and 1", "fuzzy-threshold")
    width = table.get("wrap-width", 79)
    if width < 20:
        raise fail("'wrap-width' must be at least 20", "wrap-width")
    commit_field = table.get("source-commit-field", "default_lang_commit")
    if not _FRONT_MATTER_KEY.fullmatch(commit_field):
        wrong = f"'source-commit-field' must be a front-matter key, not {excerpt(commit_field)}"
        raise fail(f"{wrong}: write 'default_lang_commit'", "source-commit-field")
    percent = "a threshold is a percentage, between 0 and 100"
    threshold = float(table.get("threshold", 80.0))
    if not 0.0 <= threshold <= 100.0:
        raise fail(percent, "threshold")
    thresholds: dict[str, float] = {}
    for code, value in table.get("thresholds", {}).items():
        if code not in targets:
            unknown = f"{excerpt(f'thresholds.{code}')}: not a target language"
            raise fail(unknown + _misplaced(code, "thresholds"), code, "thresholds")
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise fail(f"'thresholds.{code}' must be a number", code, "thresholds")  # (a target)
        if not 0.0 <= value <= 100.0:
            raise fail(percent, code, "thresholds")
        thresholds[code] = float(value)
    use_fuzzy = table.get("use-fuzzy", [])
    link_prefix = table.get("link-prefix", [])
    for key, codes in (("use-fuzzy", use_fuzzy), ("link-prefix", link_prefix)):
        for code in codes:
            if code not in targets:
                raise fail(f"'{key}' lists {excerpt(code)}, not a target language", key)
    data_files: list[DataFileRule] = []
    for item in table.get("data-files", []):
        try:
            data_files.append(parse_data_rule(str(item)))
        except ValueError as err:
            raise fail(f"{err} in 'data-files'", "data-files") from err
    data_target = table.get("data-target", "folder")
    if data_target not in ("folder", "suffix"):
        raise fail('\'data-target\' must be "folder" or "suffix"', "data-target")
    memory = _memory_policies(table.get("memory", "fuzzy"), targets, fail)
    checks: dict[str, str] = table.get("checks", {})
    for name, severity in checks.items():
        if name not in CHECK_NAMES:
            unknown = f"unknown check {excerpt(f'checks.{name}')}"
            hint = _misplaced(name, "checks") or _did_you_mean(name, CHECK_NAMES)
            raise fail(unknown + hint, name, "checks")
        if severity not in ("error", "warning", "off"):
            raise fail(f'\'checks.{name}\' must be "error", "warning" or "off"', name, "checks")
    return Settings(
        site_root=root,
        source_language=source,
        target_languages=tuple(targets),
        content_dirs=content_dirs,
        locale_dir=locale_dir,
        fields=tuple(patterns),
        contexts=dict(contexts),
        line_numbers=table.get("line-numbers", False),
        project=table.get("project") or hugo.title or root.name,
        bugs_address=table.get("bugs-address", ""),
        code_shortcodes=tuple(str(name) for name in table.get("code-shortcodes", ("highlight",))),
        shortcode_args=tuple(sorted(set(shortcode_args))),
        html_blocks=table.get("html-blocks", False),
        fuzzy_threshold=fuzzy,
        wrap_width=width,
        threshold=threshold,
        thresholds=thresholds,
        use_fuzzy=tuple(use_fuzzy),
        link_prefix=tuple(link_prefix),
        checks=dict(checks),
        linkify=hugo.linkify,
        dialect=hugo.dialect,
        pseudo_language=pseudo,
        memory=memory,
        i18n=table.get("i18n", True),
        data_files=tuple(data_files),
        data_target=data_target,
        source_commit_field=commit_field,
        menus=table.get("menus", True),
        taxonomies=table.get("taxonomies", True),
        url_prefixes={
            code: ""
            if hugo.multihost or (code == hugo_default and not hugo.in_subdir)
            else f"/{code.lower()}"
            for code in dict.fromkeys((*codes, *hugo.languages))
        },
        urls=hugo.urls,
    )


_KINDS = {
    float: "a number",
    int: "a whole number",
    bool: "true or false",
    str: "a string",
    list: "a list",
    dict: "a table",
    str | dict: "a string or a table",
}
"""The types of settings, in a user's words."""


def _memory_policies(
    value: str | dict[str, object],
    targets: Sequence[str],
    fail: Callable[[str, str, str | None], ConfigError],
) -> dict[str, MemoryPolicy]:
    """``memory = "translated"`` for every language, or ``memory = { es = "translated" }``
    (``default`` for the languages not named); ``fuzzy`` is what a language not set gets."""
    one_of = '"fuzzy", "translated" or "off"'
    if isinstance(value, str):
        if value not in MEMORY_POLICIES:
            raise fail(f"'memory' must be {one_of}, not {excerpt(value)}", "memory", None)
        return {code: value for code in targets if value != "fuzzy"}
    default = value.get("default", "fuzzy")
    policies: dict[str, MemoryPolicy] = {}
    for code, policy in value.items():
        if code != "default" and code not in targets:
            unknown = f"{excerpt(f'memory.{code}')}: not a target language (or 'default')"
            raise fail(unknown + _misplaced(code, "memory"), code, "memory")
        if policy not in MEMORY_POLICIES:
            raise fail(f"'memory.{code}' must be {one_of}, not {excerpt(policy)}", code, "memory")
    for code in targets:
        policy = value.get(code, default)
        if policy != "fuzzy":
            policies[code] = policy  # type: ignore[assignment]  # (checked above)
    return policies


def _misplaced(key: str, table: str) -> str:
    """Why a top-level setting is a key of ``table``: it was written after the table's
    header, so TOML reads it as one of the table's keys."""
    if key not in _KEYS:
        return ""
    return (
        f"; '{key}' is a setting of its own, but written after the [{table}] line it belongs "
        f"to that table: move it above [{table}]"
    )


def settings_warnings(settings: Settings) -> list[str]:
    """What the settings of a site had to guess, said rather than guessed quietly: no Hugo
    configuration, no target language, catalogs without extrans's settings."""
    root = settings.site_root
    said: list[str] = []
    if find_hugo_config(root) is None and not (root / "config" / "_default").is_dir():
        said.append(
            "warning: no Hugo configuration (hugo.toml, config.toml or config/_default/): "
            "languages and folders are extrans's defaults"
        )
    if not settings.target_languages:
        said.append(
            f"warning: no target language (the Hugo configuration names only "
            f"{settings.source_language!r}): only templates are written; add languages to the "
            "Hugo configuration, or set target-languages in extrans.toml"
        )
    if (root / settings.locale_dir).is_dir() and _extrans_table(root)[1] is None:
        fields = ", ".join(DEFAULT_FIELDS)
        said.append(
            f"{settings.locale_dir}: warning: there are catalogs but no extrans.toml: the "
            f"default fields are extracted ({fields}); run `extrans init` to choose them"
        )
    return said
