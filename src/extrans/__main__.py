"""The command line: parse options, call the core, turn results into output and exit codes.

Exit codes: 0 all is well; 1 a check failed (``--check``); 2 bad input or usage; 70 a bug.

Parsed with typer, from the commands' signatures; each command imports the core it needs,
so ``extrans --help`` imports typer and nothing else of note.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer
from typer._click.exceptions import (  # (typer vendors click; not re-exported)
    ClickException,
    UsageError,
)

from . import __version__
from .errors import ExtransError, file_error, message_line, printable, shown_path

if TYPE_CHECKING:
    from .site.config import Settings
    from .stages.extract import LanguageSummary

__all__ = ["app", "main", "run"]

EXIT_OK, EXIT_CHECK_FAILED, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 70
EXIT_INTERRUPTED = 130  # (as a shell reports a command Ctrl-C ended)


@dataclass(slots=True)
class _Options:
    """The global options, which every command gets."""

    site: Path | None
    """``--site``; ``None``: the site is found from the current folder."""
    verbose: bool
    lock_timeout: float
    root: Path | None = None
    """The site's root, once a command found it."""

    def site_root(self) -> Path:
        """The site's root (found on first use: ``--help`` needs no site)."""
        from .site.config import find_site_root

        if self.root is None:
            self.root = find_site_root(self.site)
        return self.root


@dataclass(slots=True)
class _Invocation:
    """One run of the command line, and its global options once they are parsed (``run``
    needs them to word an error a command raised)."""

    bare: bool
    """No argument at all: the help is shown, on stderr (not when a shell asks to complete)."""
    options: _Options | None = None


def _reported(err: BaseException, options: _Options) -> int:
    """Turn what a command raised into one readable line and an exit code (a traceback only
    with --verbose)."""
    if isinstance(err, KeyboardInterrupt):
        _say("interrupted")
        return EXIT_INTERRUPTED
    if not isinstance(err, Exception):
        raise err
    code = EXIT_BAD_INPUT
    if isinstance(err, ExtransError):
        if isinstance(err.path, Path):  # (a configuration file: named from the site root)
            err.path = shown_path(os.fspath(err.path), (options.root or Path.cwd()).resolve())
        _fail([err], verbose=False)
    elif isinstance(err, OSError):  # (a file of the site as a whole: the lock, the build record)
        _fail([file_error(err, (options.root or Path.cwd()).resolve())], verbose=False)
    else:
        internal = f"internal error: {type(err).__name__}: {err}; please report it"
        _say(printable(f"{internal} (--verbose shows the traceback)"))
        code = EXIT_INTERNAL
    if options.verbose:
        _traceback(err)
    return code


def _exit_code(errors: Sequence[object], failed: object) -> int:
    """Bad input wins over a failed check."""
    if errors:
        return EXIT_BAD_INPUT
    return EXIT_CHECK_FAILED if failed else EXIT_OK


@contextlib.contextmanager
def _writing(settings: Settings, options: _Options, check: bool) -> Iterator[None]:
    """Hold the site's lock while writing, and clear what a killed run left behind (a
    ``check`` writes nothing: it only waits for a run that writes)."""
    from .plumbing.fsio import CACHE_DIR, remove_stray_temporaries, site_lock

    with site_lock(
        settings.site_root, timeout=options.lock_timeout, on_wait=_say, writing=not check
    ) as unclean:
        if unclean:  # (a walk of every folder extrans writes in: not on every run)
            folders = [settings.site_root / CACHE_DIR, settings.site_root / settings.locale_dir]
            folders += [
                settings.site_root / settings.content_dir(c) for c in settings.target_languages
            ]
            remove_stray_temporaries(settings.site_root, folders)
        yield


def _traceback(err: BaseException) -> None:
    import traceback  # (only for --verbose: it imports the source-reading modules)

    traceback.print_exception(err, file=sys.stderr)


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _fail(errors: Sequence[ExtransError], verbose: bool) -> None:
    for error in errors:
        _say(message_line(error.path, error.line, error.message))
        if verbose:
            _traceback(error)


def _setup(options: _Options, lang: list[str] | None) -> tuple[Settings, list[str]]:
    """The site's settings and the languages a command works on."""
    from .site.config import load_settings, settings_warnings

    settings = load_settings(options.site_root())
    for warning in settings_warnings(settings):
        _say(printable(warning))
    available = settings.target_languages
    for code in lang or ():
        if code not in available:
            known = ", ".join(available) or "none"
            raise ExtransError(
                f"--lang {code}: not a target language of this site (they are: {known})"
            )
    return settings, list(dict.fromkeys(lang or available))


class _Progress:
    """A one-line progress bar on a terminal; nothing when stderr is not one."""

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total < 50:
            return
        filled = 30 * done // total
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{total} pages")
        sys.stderr.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


_LANG_HELP = "only this target language (repeatable)"
_Lang = Annotated[list[str] | None, typer.Option("-l", "--lang", metavar="LANG", help=_LANG_HELP)]
_Jobs = Annotated[
    int | None,
    typer.Option("-j", "--jobs", metavar="N", min=1, help="processes to use (default: all cores)"),
]
_Cache = Annotated[bool, typer.Option(help="skip pages whose inputs did not change")]


def _example(command: str) -> str:
    r"""A help text's last paragraph, shown as written (``\b`` keeps the help from rewrapping
    it)."""
    return f"\b\nExample: {command}"


app = typer.Typer(
    name="extrans",
    help="Translate a Hugo site through gettext PO catalogs.",
    epilog=_example("extrans extract   (then translate locale/<lang>/*.po in Poedit)"),
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def _show_version(shown: bool) -> None:
    if shown:
        print(f"extrans {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def _global_options(
    context: typer.Context,
    site: Annotated[
        Path | None,
        typer.Option(
            "-C",
            "--site",
            metavar="DIR",
            help="the Hugo site's folder (default: this folder or the nearest one above it "
            "with a Hugo configuration or extrans.toml)",
            show_default=False,
        ),
    ] = None,
    verbose: Annotated[
        bool,
        typer.Option(
            "-v", "--verbose", help="list each page build leaves below its threshold; tracebacks"
        ),
    ] = False,
    lock_timeout: Annotated[
        float,
        typer.Option(
            metavar="S",
            help="seconds to wait for another run on the same site (default: 60)",
            show_default=False,
        ),
    ] = 60.0,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_show_version, is_eager=True, help="show the version and exit"
        ),
    ] = False,
) -> None:
    invocation: _Invocation = context.obj
    if context.invoked_subcommand is None:
        if invocation.bare:
            _say(context.get_help())
            raise typer.Exit(EXIT_BAD_INPUT)
        context.fail(
            "a command is needed (extract, build, pseudo, status, check, init, adopt or memory)"
        )
    invocation.options = _Options(site, verbose, lock_timeout)


def _options(context: typer.Context) -> _Options:
    invocation: _Invocation = context.obj
    assert invocation.options is not None  # (set by the global options, which run first)
    return invocation.options


@app.command("extract", epilog=_example("extrans extract --lang es"))
def extract(
    context: typer.Context,
    lang: _Lang = None,
    check: Annotated[
        bool, typer.Option("--check", help="write nothing; exit 1 if any catalog is out of date")
    ] = False,
    jobs: _Jobs = None,
    cache: _Cache = True,
) -> int:
    """Update the catalogs in locale/ from the source pages."""
    from .plumbing.parallel import default_jobs
    from .stages.extract import extract_site

    options = _options(context)
    settings, languages = _setup(options, lang)
    progress = _Progress()
    try:
        with _writing(settings, options, check):
            result = extract_site(
                settings, languages, check=check, progress=progress,
                jobs=jobs or default_jobs(), use_cache=cache,
            )  # fmt: skip
    finally:
        progress.close()
    verb = "out of date" if check else "written"
    strings = _site_files(result.site_files)
    for summary in result.summaries:
        if summary.language is None:
            print(f"templates: {summary.pages} pages{strings}, {summary.written} {verb}")
            continue
        print(
            f"{summary.language}: {summary.pages} pages{strings}, "
            f"{summary.new} new, {summary.changed} changed, {summary.obsoleted} obsolete; "
            f"{summary.written} catalogs {verb}{_from_memory(summary)}"
        )
    _fail(result.errors, options.verbose)
    outdated = result.outdated if check else []
    for path in outdated:
        _say(printable(f"{path}: out of date; run `extrans extract`"))
    return _exit_code(result.errors, outdated)


def _from_memory(summary: LanguageSummary) -> str:
    """``; memory filled 3 (2 same text, 1 similar), 1 left: translated in several ways``,
    or nothing when the memory filled nothing."""
    filled = summary.filled + summary.filled_near
    if not (filled or summary.conflicts):
        return ""
    said = f"; memory filled {filled} ({summary.filled} same text, {summary.filled_near} similar)"
    if summary.conflicts:
        said += f", {summary.conflicts} left: translated in several ways"
    return said


def _site_files(count: int) -> str:
    """`` and 1 site file`` (i18n tables, menus...), or nothing for none."""
    return f" and {count} site file{'s' * (count > 1)}" if count else ""


@app.command("build", epilog=_example("extrans build --lang es --threshold 100"))
def build(
    context: typer.Context,
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="PATH",
            help="only these sections or pages, source or localized (e.g. docs, "
            "content/es/docs/guia.md); with --check, each one's diff is shown",
            show_default=False,
        ),
    ] = None,
    lang: _Lang = None,
    threshold: Annotated[
        float | None,
        typer.Option(
            metavar="PCT",
            min=0,
            max=100,
            help="write a page only when this share (%) of its entries is translated "
            "(default: the setting, 80)",
        ),
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="write nothing; exit 1 if any page would change")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="replace pages made or edited by hand")
    ] = False,
    prune: Annotated[
        bool, typer.Option("--prune", help="delete built pages whose source page is gone")
    ] = False,
    jobs: _Jobs = None,
    cache: _Cache = True,
) -> int:
    """Write the localized pages in content/<lang>/ from the catalogs."""
    from .plumbing.parallel import default_jobs
    from .stages.build import build_site

    options = _options(context)
    settings, languages = _setup(options, lang)
    with _writing(settings, options, check):
        result = build_site(
            settings, languages, threshold=threshold, check=check, force=force, prune=prune,
            jobs=jobs or default_jobs(), use_cache=cache, filters=paths or (),
            diff=check and bool(paths),
        )  # fmt: skip
    verb = "would write" if check else "written"
    for language in languages:
        mine = [outcome for outcome in result.outcomes if outcome.language == language]
        counts = Counter(outcome.outcome for outcome in mine)
        pruned = f", {counts['pruned']} pruned" if counts["pruned"] else ""
        listed = ("below-threshold", "left-alone") if options.verbose else ("left-alone",)
        hint = (
            "" if options.verbose or not counts["below-threshold"] else " (extrans -v lists them)"
        )
        print(
            f"{language}: {counts['written']} {verb}, "
            f"{counts['unchanged']} unchanged, {counts['below-threshold']} below threshold"
            f"{hint}, {counts['left-alone']} left alone{pruned}"
        )
        for outcome in mine:  # (a page left alone is someone's work: always named)
            if outcome.outcome in listed:
                told = f"{outcome.path}: {outcome.outcome.replace('-', ' ')}: {outcome.reason}"
                print(f"  {printable(told)}")
        # Site files written or left alone are named; those unchanged or not written yet
        # (a site's term pages can be hundreds) only counted, unless --verbose.
        quiet: Counter[str] = Counter()
        for outcome in result.site_strings:
            if outcome.language != language or outcome.outcome == "error":
                continue
            verb_of = {"written": verb, "below-threshold": "not written"}
            done = verb_of.get(outcome.outcome, outcome.outcome.replace("-", " "))
            if outcome.outcome in ("unchanged", "below-threshold") and not options.verbose:
                quiet[done] += 1
                continue
            reason = f": {outcome.reason}" if outcome.reason else ""
            print(printable(f"  site strings: {outcome.path}: {done}{reason}"))
        if quiet:
            counted = ", ".join(f"{number} {done}" for done, number in sorted(quiet.items()))
            print(f"  site strings: {counted} (extrans -v lists them)")
    for outcome in result.outcomes:
        for line in outcome.diff.splitlines():  # (each line printable: a page's own bytes)
            print(printable(line))
    for finding in dict.fromkeys(result.rejected):
        _say(f"{finding} (not used: the source text was)")  # (a finding is printable)
    _fail(result.errors, options.verbose)
    return _exit_code(result.errors, check and result.changed)


@app.command(
    "pseudo",
    epilog=_example(
        "extrans pseudo && extrans build --lang qps && hugo server   (then browse /qps/)"
    ),
)
def pseudo(
    context: typer.Context,
    lang: Annotated[
        str | None,
        typer.Option(
            "-l",
            "--lang",
            metavar="LANG",
            help="the language to fill (default: the pseudo-language setting, qps)",
            show_default=False,
        ),
    ] = None,
    jobs: _Jobs = None,
    cache: _Cache = True,
) -> int:
    """Fill a pseudo language's catalogs, to test layouts before translators start.

    Every text becomes its source with accented letters, a third longer and bracketed
    (Stretch → ⟦Ŝţŕéţçĥ !⟧); code, links, shortcodes, HTML, URLs and math stay as they are.
    Hugo must know the language: add it to the Hugo configuration ([languages.qps] with
    contentDir = "content/qps"), then run `extrans build --lang qps`. A catalog holding
    translations that extrans pseudo did not write is never touched: the language is refused.
    """
    from .plumbing.parallel import default_jobs
    from .stages.pseudo import pseudo_language, pseudo_site

    options = _options(context)
    settings, _ = _setup(options, None)
    language = pseudo_language(settings, lang)
    progress = _Progress()
    try:
        with _writing(settings, options, check=False):
            result = pseudo_site(
                settings, language, progress=progress, jobs=jobs or default_jobs(),
                use_cache=cache,
            )  # fmt: skip
    finally:
        progress.close()
    strings = _site_files(result.site_files)
    for summary in result.summaries:
        if summary.language is None:
            print(f"templates: {summary.pages} pages{strings}, {summary.written} written")
        else:
            print(
                f"{summary.language}: {summary.pages} pages{strings}, "
                f"{summary.written} catalogs pseudo-translated"
            )
    _fail(result.errors, options.verbose)
    if result.summaries and not result.errors:
        print(f"next: extrans build --lang {language}")
    return _exit_code(result.errors, failed=False)


StatusFormat = Literal["table", "json", "markdown", "csv", "github", "html"]
CheckFormat = Literal["text", "github", "json"]


@app.command(
    "status",
    epilog=_example('extrans status --format markdown --fail-under 90 >> "$GITHUB_STEP_SUMMARY"'),
)
def status(
    context: typer.Context,
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="PATH",
            help="only these sections or pages (e.g. exercises, exercises/saw.md)",
            show_default=False,
        ),
    ] = None,
    lang: _Lang = None,
    output: Annotated[
        StatusFormat, typer.Option("-f", "--format", help="how to show the report")
    ] = "table",
    fail_under: Annotated[
        float | None,
        typer.Option(metavar="PCT", min=0, max=100, help="exit 1 if a language is below PCT"),
    ] = None,
    by: Annotated[
        Literal["entries", "words"], typer.Option(help="what --fail-under counts")
    ] = "entries",
    fail_on_stale: Annotated[
        bool, typer.Option("--fail-on-stale", help="exit 1 if a translation is stale")
    ] = False,
    memory_near: Annotated[
        bool,
        typer.Option(
            "--memory-near",
            help="count the untranslated entries the memory has a similar text for (slow)",
        ),
    ] = False,
    cache: _Cache = True,
) -> int:
    """Coverage and freshness per language and page, for people and CI."""
    from .plumbing.parallel import default_jobs
    from .stages.report import render
    from .stages.status import collect_status

    options = _options(context)
    settings, languages = _setup(options, lang)
    report = collect_status(
        settings, languages, paths or (), jobs=default_jobs(), use_cache=cache,
        memory_near=memory_near,
    )  # fmt: skip
    if paths and not report.pages:
        raise ExtransError(f"no source page matches {' '.join(paths)}")
    text = render(report, output, colour=output == "table" and sys.stdout.isatty())
    if output == "json":
        _write_utf8(text)
    else:
        sys.stdout.write(text)
    if report.errors:
        if output not in ("json", "github"):
            _fail(report.errors, options.verbose)
        return EXIT_BAD_INPUT
    failed = False
    if fail_under is not None:
        for language in languages:
            totals = report.totals(language)
            share = totals.percent_words if by == "words" else totals.percent_entries
            if share < fail_under:
                below = f"below --fail-under {fail_under:g}"
                _say(f"{language}: {share:.1f}% of {by} translated, {below}")
                failed = True
    if fail_on_stale:
        for page in report.pages:
            if page.stale:
                behind = (
                    f"{page.stale_days} days behind {page.source}"
                    if page.stale_days is not None
                    else f"{page.fuzzy} fuzzy translations awaiting review"
                )
                _say(printable(f"{page.localized}: stale, {behind}"))
                failed = True
    return EXIT_CHECK_FAILED if failed else EXIT_OK


@app.command("check", epilog=_example("extrans check --format github"))
def check_command(
    context: typer.Context,
    lang: _Lang = None,
    output: Annotated[
        CheckFormat, typer.Option("-f", "--format", help="github: annotations for CI")
    ] = "text",
    strict: Annotated[bool, typer.Option("--strict", help="exit 1 on warnings too")] = False,
) -> int:
    """Find translations that would break a page."""
    options = _options(context)
    settings, languages = _setup(options, lang)
    # (imported after the settings: a bad one costs no parser's import)
    from .stages.report import render_check
    from .stages.status import check_site

    result = check_site(settings, languages)
    text = render_check(result, output)
    if output == "json":
        _write_utf8(text)
    else:
        sys.stdout.write(text)
        _fail(result.errors, options.verbose)
    return _exit_code(result.errors, result.error_count or (strict and result.warning_count))


@app.command("init", epilog=_example("extrans init --lang es && extrans extract"))
def init(
    context: typer.Context,
    force: Annotated[
        bool, typer.Option("--force", help="replace an existing extrans.toml")
    ] = False,
    lang: Annotated[
        list[str] | None,
        typer.Option(
            "-l",
            "--lang",
            metavar="LANG",
            help="a target language to add to those of the Hugo configuration (repeatable)",
        ),
    ] = None,
) -> int:
    """Write a starting extrans.toml for an existing Hugo site."""
    from dataclasses import replace

    from .formats.languages import validate_code
    from .plumbing.fsio import atomic_write
    from .site.config import find_hugo_config, load_settings
    from .stages.init import render_config, survey_fields

    options = _options(context)
    target = options.site_root() / "extrans.toml"
    if target.exists() and not force:
        raise ExtransError("already exists; use --force to replace it", target)
    settings = load_settings(options.site_root())
    for code in lang or ():
        try:
            validate_code(code)
        except ValueError as err:
            raise ExtransError(f"--lang {code}: {err} (use a code like 'es' or 'pt-br')") from None
        if code == settings.source_language:
            raise ExtransError(f"--lang {code}: that is the source language")
    added = [code for code in dict.fromkeys(lang or ()) if code not in settings.target_languages]
    settings = replace(settings, target_languages=(*settings.target_languages, *added))
    survey = survey_fields(settings)
    text = render_config(settings, survey, find_hugo_config(settings.site_root), added)
    atomic_write(target, text.encode("utf-8"), root=settings.site_root)
    print(printable(f"wrote {target}"))
    print(
        printable(
            f"  source language {settings.source_language}, {survey.pages} pages in "
            f"{settings.content_dir(settings.source_language)}/"
        )
    )
    if settings.target_languages:
        print(f"  target languages: {', '.join(settings.target_languages)}")
    else:
        print("  no target language in the Hugo configuration: add one with --lang, or set")
        print("  target-languages in extrans.toml")
    print("  front-matter fields (pages, translatable?):")
    for field in survey.fields:
        mark = "yes" if field.translatable else "no "
        print(printable(f"    {mark} {field.pattern} ({field.pages}/{survey.pages})"))
    for found in survey.site_files:
        print(printable(f"  site strings: {found.file.path} ({found.strings} strings)"))
    if survey.data:
        print("  data files' fields (values, translatable?):")
    for one in survey.data:
        mark = "yes" if one.translatable else "no "
        print(printable(f"    {mark} {one.entry} ({one.values})"))
    print("next: review extrans.toml, then run `extrans extract`")
    _fail(survey.errors, options.verbose)
    return _exit_code(survey.errors, failed=False)


@app.command("adopt", epilog=_example("extrans adopt --lang es --dry-run"))
def adopt(
    context: typer.Context,
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="PATH",
            help="only these sections or pages (e.g. docs, docs/install.md)",
            show_default=False,
        ),
    ] = None,
    lang: _Lang = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="write nothing; say what would be filled")
    ] = False,
    history: Annotated[
        bool,
        typer.Option(
            help="align each page with its source as it was when the page was last committed"
        ),
    ] = True,
) -> int:
    """Fill the catalogs from existing hand-made localized pages."""
    from .stages.adopt import adopt_site

    options = _options(context)
    settings, languages = _setup(options, lang)
    with _writing(settings, options, dry_run):
        result = adopt_site(settings, languages, paths or (), dry_run=dry_run, history=history)
    verb = "would be written" if dry_run else "written"
    for language in languages:
        mine = [page for page in result.pages if page.language == language]
        for page in mine:
            share = 100 * page.translated / page.entries if page.entries else 100.0
            then = ""
            dropped = f", {page.dropped} of dropped texts kept obsolete" if page.dropped else ""
            if page.based_on is not None:
                then = f" (from {page.based_on.path} as of {page.based_on.commit[:12]})"
            print(
                printable(
                    f"{page.localized}: {page.adopted} adopted, {page.fuzzy} fuzzy, "
                    f"{len(page.not_aligned)} not aligned{dropped}; {share:.0f}% translated{then}"
                )
            )
            for unit in page.not_aligned:
                near = f" (near {page.localized}:{unit.line})" if unit.line else ""
                told = (
                    f"  {page.source}:{unit.source.line}: not aligned{near}: {unit.source.origin}"
                )
                print(printable(told))
            for segment in page.extra:
                told = f"  {page.localized}:{segment.line}: no source text: {segment.origin}"
                print(printable(told))
            for conflict in page.conflicts:
                told = (
                    f"  {page.catalog}:{conflict.message.line or '?'}: kept its translation, "
                    f"which differs from {page.localized}:{conflict.adopted.line}"
                )
                print(printable(told))
            if page.site_file:
                continue
            if page.hand_made is None:
                owned = "would be" if dry_run else "is now"
                told = f"  {page.localized}: build writes it as it is: {owned} extrans's own"
            else:
                told = f"  {page.localized}: stays hand-made: {page.hand_made}"
            print(printable(told))
        written = sum(page.written for page in mine)
        alike = sum(page.hand_made is None for page in mine if not page.site_file)
        strings = _site_files(sum(page.site_file for page in mine))
        pages = sum(not page.site_file for page in mine)
        print(
            f"{language}: {pages} pages ({alike} as build writes them){strings}, "
            f"{sum(p.adopted for p in mine)} adopted, "
            f"{sum(p.fuzzy for p in mine)} fuzzy, "
            f"{sum(len(p.not_aligned) for p in mine)} not aligned, "
            f"{sum(len(p.conflicts) for p in mine)} conflicts; {written} catalogs {verb}"
        )
    _fail(result.errors, options.verbose)
    return _exit_code(result.errors, failed=False)


memory_app = typer.Typer(
    name="memory",
    help="The site's translation memory: export it, import another's, count what it holds, "
    "fill what is not translated yet.",
    epilog=_example("extrans memory stats"),
    rich_markup_mode=None,
    no_args_is_help=False,
)
app.add_typer(memory_app)

MemoryFormat = Literal["tmx", "po"]


@memory_app.command(
    "export", epilog=_example("extrans memory export --format po --lang es -o es-compendium.po")
)
def memory_export(
    context: typer.Context,
    lang: _Lang = None,
    output_format: Annotated[
        MemoryFormat,
        typer.Option(
            "-f",
            "--format",
            help="tmx: TMX 1.4b, every language (CAT tools); po: a gettext compendium of one "
            "language (msgmerge --compendium)",
        ),
    ] = "tmx",
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", metavar="FILE", help="write to FILE (default: standard output)"
        ),
    ] = None,
) -> int:
    """Write the memory (every translated entry of the catalogs, and what was imported)."""
    from .stages.memory import export_memory

    options = _options(context)
    settings, languages = _setup(options, lang)
    if output_format == "po" and len(languages) != 1:
        raise UsageError(
            "--format po writes one language: name it with --lang "
            f"(this site has {', '.join(languages) or 'none'})",
            ctx=context,
        )
    result = export_memory(settings, languages, output_format)
    if output is None:
        _write_utf8(result.text)
    else:
        from .plumbing.fsio import atomic_write

        target = output.absolute()
        atomic_write(target, result.text.encode("utf-8"), root=target.parent)
        what = "translation units" if output_format == "tmx" else "entries"
        told = f"wrote {output}: {result.entries} {what} ({', '.join(languages)})"
        print(printable(told))
    _fail(result.errors, options.verbose)
    return _exit_code(result.errors, failed=False)


@memory_app.command("import", epilog=_example("extrans memory import other-project.tmx"))
def memory_import(
    context: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(metavar="FILE", help="a TMX file or a PO compendium", show_default=False),
    ],
    lang: Annotated[
        str | None,
        typer.Option(
            "-l",
            "--lang",
            metavar="LANG",
            help="import into this language only (needed for a PO file without a Language "
            "header; for a TMX of one language, whatever it calls it)",
            show_default=False,
        ),
    ] = None,
) -> int:
    """Merge another project's memory into locale/memory/<lang>.po, to fill new entries (always
    as fuzzy)."""
    from .stages.memory import import_memory

    options = _options(context)
    settings, _ = _setup(options, [lang] if lang else None)
    try:
        data = file.read_bytes()
    except OSError as err:
        from .errors import file_problem

        raise ExtransError(f"cannot read: {file_problem(err)}", os.fspath(file)) from None
    with _writing(settings, options, check=False):
        result = import_memory(settings, data, os.fspath(file), lang)
    for one in result.languages:
        verb = "written" if one.written else "unchanged"
        duplicates = (
            f", {one.duplicates} other translations of a text skipped" if one.duplicates else ""
        )
        print(
            f"{one.language}: {one.added} added, {one.updated} updated, {one.unchanged} "
            f"already there{duplicates}; {one.path} {verb}"
        )
    why = f"not --lang {lang}" if lang else "no target language of this site"
    for code, count in result.ignored:
        print(printable(f"{code}: {count} units ignored: {why}"))
    if result.skipped:
        print(f"{result.skipped} skipped: no source text, or no translation (empty or fuzzy)")
    _fail(result.errors, options.verbose)
    return _exit_code(result.errors, failed=False)


@memory_app.command("stats", epilog=_example("extrans --verbose memory stats --lang es"))
def memory_stats_command(
    context: typer.Context,
    lang: _Lang = None,
    output_format: Annotated[
        Literal["text", "json"], typer.Option("-f", "--format", help="how to show the counts")
    ] = "text",
) -> int:
    """Count the memory: units, distinct texts, texts translated several ways (each one under
    --verbose), and the untranslated entries of each catalog a fill would give a translation."""
    from .stages.memory import memory_stats, render_stats

    options = _options(context)
    settings, languages = _setup(options, lang)
    result = memory_stats(settings, languages)
    text = render_stats(result, output_format, verbose=options.verbose)
    if output_format == "json":
        _write_utf8(text)
    else:
        sys.stdout.write("".join(f"{printable(line)}\n" for line in text.splitlines()))
        _fail(result.errors, options.verbose)
    return _exit_code(result.errors, failed=False)


@memory_app.command("fill", epilog=_example("extrans memory fill --lang es --check"))
def memory_fill(
    context: typer.Context,
    lang: _Lang = None,
    check: Annotated[
        bool, typer.Option("--check", help="write nothing; exit 1 if a catalog would change")
    ] = False,
) -> int:
    """Fill the entries no one has translated yet, in every catalog, from the memory, as
    extract fills new ones (the language's memory setting: fuzzy, or translated for the same
    text)."""
    from .stages.fill import fill_site

    options = _options(context)
    settings, languages = _setup(options, lang)
    with _writing(settings, options, check):
        result = fill_site(settings, languages, check=check)
    verb = "would change" if check else "written"
    written: list[str] = []
    listed: set[str] = set()
    for one in result.languages:
        if settings.memory_for(one.language) == "off":
            print(f'{one.language}: memory = "off": nothing filled')
            continue
        paths = one.written
        written += paths
        listed.update(one.only_listed)
        several = f", {one.conflicts} translated in several ways" if one.conflicts else ""
        print(
            f"{one.language}: {one.exact + one.near} filled ({one.exact} same text, "
            f"{one.near} similar){several}; {len(paths)} of {one.catalogs} catalogs {verb}"
        )
    _fail(result.errors, options.verbose)
    outdated = written if check else []
    for path in outdated:
        how = "would list texts translated several ways" if path in listed else "would be filled"
        _say(printable(f"{path}: {how}; run `extrans memory fill`"))
    return _exit_code(result.errors, outdated)


def run(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv``; return the exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    invocation = _Invocation(bare=not arguments)
    command = typer.main.get_command(app)
    try:
        code = command.main(arguments, "extrans", standalone_mode=False, obj=invocation)
    except ClickException as err:  # a usage error, said before any work
        _say(printable(f"extrans: error: {_usage_error(err)}"))
        return err.exit_code
    except BaseException as err:
        if invocation.options is None:
            raise
        return _reported(err, invocation.options)
    if code == EXIT_INTERRUPTED:  # (typer turns a Ctrl-C in a command into this code, silently)
        _say("interrupted")
    return code if isinstance(code, int) else EXIT_OK


def _usage_error(err: ClickException) -> str:
    """Click's message, worded as extrans's are, and where the help is."""
    message = " ".join(err.format_message().split()).rstrip(".")
    message = message[:1].lower() + message[1:]
    context = getattr(err, "ctx", None)
    where = context.command_path if context is not None else "extrans"
    return f"{message}; see `{where} --help`"


def main() -> None:
    for stream in (sys.stdout, sys.stderr):  # (a name the locale cannot spell is escaped)
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    sys.exit(run())


def _write_utf8(text: str) -> None:
    """A document in UTF-8 (JSON, as RFC 8259 asks; TMX, PO) whatever the locale's encoding."""
    sys.stdout.flush()
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.buffer.flush()
    else:  # (a stream of text, not of bytes: in a test)
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
