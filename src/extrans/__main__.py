"""The command line: parse options, call the core, turn results into output and exit codes.

Exit codes: 0 all is well; 1 a check failed (``--check``); 2 bad input or usage.
"""

from __future__ import annotations

import contextlib
import functools
import sys
import traceback
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar, cast

import typer

from . import __version__
from .errors import ExtransError

if TYPE_CHECKING:
    from .config import Settings

__all__ = ["app", "main", "run"]

EXIT_OK, EXIT_CHECK_FAILED, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 70

app = typer.Typer(
    help=(
        "Translate a Hugo site through gettext PO catalogs.\n\n"
        "Example: extrans extract   (then translate locale/<lang>/*.po in Poedit)"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


JobsOption = Annotated[
    int | None,
    typer.Option("--jobs", "-j", min=1, metavar="N", help="Processes to use [default: all cores]."),
]
CacheOption = Annotated[
    bool,
    typer.Option("--cache/--no-cache", help="Skip pages whose inputs did not change."),
]
LangOption = Annotated[
    list[str] | None,
    typer.Option("--lang", "-l", metavar="LANG", help="Only this target language (repeatable)."),
]


@dataclass(frozen=True, slots=True)
class _Options:
    site: Path
    verbose: bool
    lock_timeout: float = 60.0


_Command = TypeVar("_Command", bound=Callable[..., None])


def _reported(command: _Command) -> _Command:
    """Turn whatever a command raises into one readable line and an exit code; a traceback
    only with --verbose."""

    @functools.wraps(command)
    def run_command(*args: Any, **kwargs: Any) -> None:
        context = kwargs.get("ctx")
        options = getattr(context, "obj", None)
        verbose = options.verbose if isinstance(options, _Options) else False
        try:
            command(*args, **kwargs)
        except ExtransError as err:
            _fail([err], verbose)
            raise typer.Exit(EXIT_BAD_INPUT) from err
        except OSError as err:
            where = f"{err.filename}: " if err.filename else ""
            _say(f"{where}error: {err.strerror or err}")
            if verbose:
                traceback.print_exception(err, file=sys.stderr)
            raise typer.Exit(EXIT_BAD_INPUT) from err
        except KeyboardInterrupt:
            _say("interrupted")
            raise typer.Exit(130) from None
        except (typer.Exit, typer.Abort):
            raise
        except Exception as err:
            _say(
                f"internal error: {type(err).__name__}: {err}; please report it "
                "(--verbose shows the traceback)"
            )
            if verbose:
                traceback.print_exception(err, file=sys.stderr)
            raise typer.Exit(EXIT_INTERNAL) from err

    return cast(_Command, run_command)


@contextlib.contextmanager
def _writing(settings: Settings, options: _Options) -> Iterator[None]:
    """Hold the site's lock while writing, and clear what a killed run left behind."""
    from .fsio import remove_stray_temporaries, site_lock

    with site_lock(settings.site_root, timeout=options.lock_timeout, on_wait=_say) as unclean:
        if unclean:  # (a walk of every folder extrans writes in: not on every run)
            folders = [settings.site_root / settings.locale_dir]
            folders += [
                settings.site_root / settings.content_dir(c) for c in settings.target_languages
            ]
            remove_stray_temporaries(folders)
        yield


def _say(message: str) -> None:
    typer.echo(message, err=True)


def _fail(errors: Sequence[ExtransError], verbose: bool) -> None:
    for error in errors:
        where = str(error.path) if error.path is not None else ""
        if where and error.line is not None:
            where += f":{error.line}"
        _say(f"{where}: error: {error.message}" if where else f"error: {error.message}")
        if verbose:
            traceback.print_exception(error, file=sys.stderr)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"extrans {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    ctx: typer.Context,
    site: Annotated[
        Path,
        typer.Option(
            "--site", "-C", metavar="DIR", help="The Hugo site's folder.", show_default="."
        ),
    ] = Path("."),
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Show tracebacks of errors.")
    ] = False,
    lock_timeout: Annotated[
        float,
        typer.Option(
            "--lock-timeout", metavar="S", help="Seconds to wait for another run on the same site."
        ),
    ] = 60.0,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    ctx.obj = _Options(site, verbose, lock_timeout)


def _setup(ctx: typer.Context, lang: list[str] | None) -> tuple[_Options, Settings, list[str]]:
    """The options, the site's settings and the languages a command works on (errors are
    reported by ``_reported``)."""
    from .config import load_settings

    options: _Options = ctx.obj
    settings = load_settings(options.site)
    return options, settings, _languages(lang, settings.target_languages)


def _languages(requested: list[str] | None, available: Sequence[str]) -> list[str]:
    if not requested:
        return list(available)
    for code in requested:
        if code not in available:
            known = ", ".join(available) or "none"
            raise ExtransError(
                f"--lang {code}: not a target language of this site (they are: {known})"
            )
    return list(dict.fromkeys(requested))


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


@app.command()
@_reported
def extract(
    ctx: typer.Context,
    lang: LangOption = None,
    check: Annotated[
        bool,
        typer.Option("--check", help="Write nothing; exit 1 if any catalog is out of date."),
    ] = False,
    jobs: JobsOption = None,
    cache: CacheOption = True,
) -> None:
    """Update the catalogs in locale/ from the source pages.

    Example: extrans extract --lang es
    """
    from .extract import extract_site
    from .parallel import default_jobs

    options, settings, languages = _setup(ctx, lang)
    progress = _Progress()
    try:
        with _writing(settings, options):
            result = extract_site(
                settings, languages, check=check, progress=progress,
                jobs=jobs or default_jobs(), use_cache=cache,
            )  # fmt: skip
    finally:
        progress.close()
    verb = "out of date" if check else "written"
    for summary in result.summaries:
        if summary.language is None:
            typer.echo(f"templates: {summary.pages} pages, {summary.written} {verb}")
            continue
        typer.echo(
            f"{summary.language}: {summary.pages} pages, "
            f"{summary.new} new, {summary.changed} changed, {summary.obsoleted} obsolete; "
            f"{summary.written} catalogs {verb}"
        )
    _fail(result.errors, options.verbose)
    if check and result.outdated:
        for path in result.outdated:
            _say(f"{path}: out of date; run `extrans extract`")
    if result.errors:
        raise typer.Exit(EXIT_BAD_INPUT)
    if check and result.outdated:
        raise typer.Exit(EXIT_CHECK_FAILED)


@app.command()
@_reported
def build(
    ctx: typer.Context,
    lang: LangOption = None,
    threshold: Annotated[
        float | None,
        typer.Option(
            "--threshold",
            metavar="PCT",
            min=0,
            max=100,
            help="Write a page only when this share (%) of its entries is translated "
            "[default: the setting, 80].",
        ),
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 if any page would change.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Replace pages made or edited by hand.")
    ] = False,
    prune: Annotated[
        bool,
        typer.Option("--prune", help="Delete built pages whose source page is gone."),
    ] = False,
    jobs: JobsOption = None,
    cache: CacheOption = True,
) -> None:
    """Write the localized pages in content/<lang>/ from the catalogs.

    Example: extrans build --lang es --threshold 100
    """
    from .build import PageOutcome, build_site
    from .parallel import default_jobs

    options, settings, languages = _setup(ctx, lang)
    with _writing(settings, options):
        result = build_site(
            settings, languages, threshold=threshold, check=check, force=force, prune=prune,
            jobs=jobs or default_jobs(), use_cache=cache,
        )  # fmt: skip
    by_language: dict[str, list[PageOutcome]] = {language: [] for language in languages}
    for outcome in result.outcomes:
        if outcome.language in by_language:
            by_language[outcome.language].append(outcome)
    for language, mine in by_language.items():
        counts = Counter(outcome.outcome for outcome in mine)
        verb = "would write" if check else "written"
        pruned = f", {counts['pruned']} pruned" if counts["pruned"] else ""
        typer.echo(
            f"{language}: {counts['written']} {verb}, "
            f"{counts['unchanged']} unchanged, {counts['below-threshold']} below threshold, "
            f"{counts['left-alone']} left alone{pruned}"
        )
        for outcome in mine:
            if outcome.outcome in ("below-threshold", "left-alone"):
                typer.echo(
                    f"  {outcome.path}: {outcome.outcome.replace('-', ' ')}: {outcome.reason}"
                )
    for finding in dict.fromkeys(result.rejected):
        _say(f"{finding} (not used: the source text was)")
    _fail(result.errors, options.verbose)
    if result.errors:
        raise typer.Exit(EXIT_BAD_INPUT)
    if check and result.changed:
        raise typer.Exit(EXIT_CHECK_FAILED)


@app.command()
@_reported
def status(
    ctx: typer.Context,
    paths: Annotated[
        list[str] | None,
        typer.Argument(help="Only these sections or pages (e.g. exercises, exercises/saw.md)."),
    ] = None,
    lang: LangOption = None,
    output: Annotated[
        str,
        typer.Option("--format", "-f", help="table, json, markdown, csv, github or html."),
    ] = "table",
    fail_under: Annotated[
        float | None,
        typer.Option(
            "--fail-under", metavar="PCT", min=0, max=100, help="Exit 1 if a language is below PCT."
        ),
    ] = None,
    by: Annotated[
        str, typer.Option("--by", help="What --fail-under counts: entries or words.")
    ] = "entries",
    fail_on_stale: Annotated[
        bool, typer.Option("--fail-on-stale", help="Exit 1 if a translation is stale.")
    ] = False,
) -> None:
    """Coverage and freshness per language and page, for people and CI.

    Example: extrans status --format markdown --fail-under 90 >> "$GITHUB_STEP_SUMMARY"
    """
    from .parallel import default_jobs
    from .report import FORMATS, render
    from .status import collect_status

    if output not in FORMATS:
        raise ExtransError(f"--format {output}: use one of {', '.join(FORMATS)}")
    if by not in ("entries", "words"):
        raise ExtransError(f"--by {by}: use entries or words")
    options, settings, languages = _setup(ctx, lang)
    report = collect_status(settings, languages, paths or (), jobs=default_jobs())
    if paths and not report.pages:
        raise ExtransError(f"no source page matches {' '.join(paths)}")
    typer.echo(render(report, output, colour=output == "table" and sys.stdout.isatty()), nl=False)
    if report.errors:
        if output in ("json", "github"):
            raise typer.Exit(EXIT_BAD_INPUT)
        _fail(report.errors, options.verbose)
        raise typer.Exit(EXIT_BAD_INPUT)
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
                _say(f"{page.localized}: stale, {page.stale_days} days behind {page.source}")
                failed = True
    if failed:
        raise typer.Exit(EXIT_CHECK_FAILED)


@app.command("check")
@_reported
def check_command(
    ctx: typer.Context,
    lang: LangOption = None,
    output: Annotated[
        str, typer.Option("--format", "-f", help="text, github (annotations) or json.")
    ] = "text",
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 on warnings too.")] = False,
) -> None:
    """Find translations that would break a page.

    Example: extrans check --format github
    """
    from .checks import check_site

    if output not in ("text", "github", "json"):
        raise ExtransError(f"--format {output}: use text, github or json")
    options, settings, languages = _setup(ctx, lang)
    result = check_site(settings, languages)
    errors = sum(f.severity == "error" for f in result.findings)
    warnings = len(result.findings) - errors
    if output == "json":
        import json

        document = {
            "schema": "extrans-check/1",
            "catalogs": result.catalogs,
            "entries": result.entries,
            "findings": [
                {"path": f.path, "line": f.line, "severity": f.severity, "check": f.check,
                 "message": f.message, "msgid": f.msgid}
                for f in result.findings
            ],
            "unreadable": [
                {"path": str(e.path), "line": e.line, "message": e.message} for e in result.errors
            ],
        }  # fmt: skip
        typer.echo(json.dumps(document, indent=2, ensure_ascii=False))
    elif output == "github":
        for f in result.findings:
            typer.echo(f"::{f.severity} file={f.path},line={f.line},title={f.check}::{f.message}")
        for e in result.errors:
            typer.echo(f"::error file={e.path},line={e.line or 1},title=unreadable::{e.message}")
    else:
        for f in result.findings:
            typer.echo(str(f))
        typer.echo(
            f"{result.entries} translations in {result.catalogs} catalogs checked: "
            f"{errors} errors, {warnings} warnings"
        )
    if output != "json":
        _fail(result.errors, options.verbose)
    if result.errors:
        raise typer.Exit(EXIT_BAD_INPUT)
    if errors or (strict and warnings):
        raise typer.Exit(EXIT_CHECK_FAILED)


@app.command()
@_reported
def init(
    ctx: typer.Context,
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing extrans.toml.")
    ] = False,
) -> None:
    """Write a starting extrans.toml for an existing Hugo site.

    Example: extrans init && extrans extract
    """
    from .config import find_hugo_config, load_settings
    from .fsio import atomic_write
    from .init import render_config, survey_fields

    options: _Options = ctx.obj
    target = options.site / "extrans.toml"
    if target.exists() and not force:
        raise ExtransError("already exists; use --force to replace it", target)
    settings = load_settings(options.site)
    surveys, errors, total = survey_fields(settings)
    hugo = find_hugo_config(settings.site_root)
    atomic_write(target, render_config(settings, surveys, total, hugo).encode("utf-8"))
    typer.echo(f"wrote {target}")
    typer.echo(
        f"  source language {settings.source_language}, {total} pages in "
        f"{settings.content_dir(settings.source_language)}/"
    )
    if settings.target_languages:
        typer.echo(f"  target languages: {', '.join(settings.target_languages)}")
    else:
        typer.echo("  no target language found in the Hugo config: set target-languages")
    typer.echo("  front-matter fields (pages, translatable?):")
    for survey in surveys:
        mark = "yes" if survey.translatable else "no "
        typer.echo(f"    {mark} {survey.pattern} ({survey.pages}/{total})")
    typer.echo("next: review extrans.toml, then run `extrans extract`")
    _fail(errors, options.verbose)


def run(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv``; return the exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        app(args=arguments, prog_name="extrans")
    except SystemExit as done:
        if done.code is None:
            return EXIT_OK
        return done.code if isinstance(done.code, int) else EXIT_BAD_INPUT
    except ExtransError as err:
        _fail([err], "--verbose" in arguments or "-v" in arguments)
        return EXIT_BAD_INPUT
    return EXIT_OK


def main() -> None:
    sys.exit(run())


if __name__ == "__main__":
    main()
