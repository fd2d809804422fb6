"""The command line: parse options, call the core, turn results into output and exit codes.

Exit codes: 0 all is well; 1 a check failed (``--check``); 2 bad input or usage.

Parsed with the standard library's argparse: it starts in a few milliseconds, where a
framework would cost more than a run with nothing to do (README: design).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .errors import ExtransError, file_error, message_line, printable, shown_path

if TYPE_CHECKING:
    from .config import Settings

__all__ = ["main", "parser", "run"]

EXIT_OK, EXIT_CHECK_FAILED, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 70


@dataclass(frozen=True, slots=True)
class _Options:
    site: Path
    verbose: bool
    lock_timeout: float = 60.0


_Command = Callable[[_Options, argparse.Namespace], None]
"""A command: the global options and the parsed arguments; its output, then, if not 0, its
exit code as ``SystemExit``."""


def _reported(command: _Command, arguments: argparse.Namespace) -> int:
    """Run a command; turn whatever it raises into one readable line and an exit code (a
    traceback only with --verbose)."""
    options = _Options(arguments.site, arguments.verbose, arguments.lock_timeout)
    verbose = options.verbose
    try:
        command(options, arguments)
    except SystemExit as done:  # a command's exit code, after its output
        return done.code if isinstance(done.code, int) else EXIT_BAD_INPUT
    except ExtransError as err:
        if isinstance(err.path, Path):  # (a configuration file: named from the site root)
            err.path = shown_path(os.fspath(err.path), options.site.resolve())
        _fail([err], verbose)
        return EXIT_BAD_INPUT
    except OSError as err:  # (a file of the site as a whole: the lock, the build record)
        _fail([file_error(err, options.site.resolve())], verbose=False)
        if verbose:
            _traceback(err)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        _say("interrupted")
        return 130
    except Exception as err:
        _say(
            printable(
                f"internal error: {type(err).__name__}: {err}; please report it "
                "(--verbose shows the traceback)"
            )
        )
        if verbose:
            _traceback(err)
        return EXIT_INTERNAL
    return EXIT_OK


@contextlib.contextmanager
def _writing(settings: Settings, options: _Options, check: bool) -> Iterator[None]:
    """Hold the site's lock while writing, and clear what a killed run left behind (a
    ``check`` writes nothing: it only waits for a run that writes)."""
    from .fsio import CACHE_DIR, remove_stray_temporaries, site_lock

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
    """The site's settings and the languages a command works on (errors are reported by
    ``_reported``)."""
    from .config import load_settings

    settings = load_settings(options.site)
    return settings, _languages(lang, settings.target_languages)


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


def extract(options: _Options, arguments: argparse.Namespace) -> None:
    """Update the catalogs in locale/ from the source pages."""
    from .extract import extract_site
    from .parallel import default_jobs

    check, jobs, cache = arguments.check, arguments.jobs, arguments.cache
    settings, languages = _setup(options, arguments.lang)
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
    for summary in result.summaries:
        if summary.language is None:
            print(f"templates: {summary.pages} pages, {summary.written} {verb}")
            continue
        print(
            f"{summary.language}: {summary.pages} pages, "
            f"{summary.new} new, {summary.changed} changed, {summary.obsoleted} obsolete; "
            f"{summary.written} catalogs {verb}"
        )
    _fail(result.errors, options.verbose)
    if check and result.outdated:
        for path in result.outdated:
            _say(printable(f"{path}: out of date; run `extrans extract`"))
    if result.errors:
        raise SystemExit(EXIT_BAD_INPUT)
    if check and result.outdated:
        raise SystemExit(EXIT_CHECK_FAILED)


def build(options: _Options, arguments: argparse.Namespace) -> None:
    """Write the localized pages in content/<lang>/ from the catalogs."""
    from .build import PageOutcome, build_site
    from .parallel import default_jobs

    threshold, check, force, prune = (
        arguments.threshold, arguments.check, arguments.force, arguments.prune
    )  # fmt: skip
    jobs, cache = arguments.jobs, arguments.cache
    settings, languages = _setup(options, arguments.lang)
    with _writing(settings, options, check):
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
        print(
            f"{language}: {counts['written']} {verb}, "
            f"{counts['unchanged']} unchanged, {counts['below-threshold']} below threshold, "
            f"{counts['left-alone']} left alone{pruned}"
        )
        for outcome in mine:
            if outcome.outcome in ("below-threshold", "left-alone"):
                told = f"{outcome.path}: {outcome.outcome.replace('-', ' ')}: {outcome.reason}"
                print(f"  {printable(told)}")
    for finding in dict.fromkeys(result.rejected):
        _say(f"{finding} (not used: the source text was)")  # (a finding is printable)
    _fail(result.errors, options.verbose)
    if result.errors:
        raise SystemExit(EXIT_BAD_INPUT)
    if check and result.changed:
        raise SystemExit(EXIT_CHECK_FAILED)


def status(options: _Options, arguments: argparse.Namespace) -> None:
    """Coverage and freshness per language and page, for people and CI."""
    from .parallel import default_jobs
    from .report import FORMATS, render
    from .status import collect_status

    paths, output, fail_under = arguments.paths, arguments.format, arguments.fail_under
    by, fail_on_stale = arguments.by, arguments.fail_on_stale
    if output not in FORMATS:
        raise ExtransError(f"--format {output}: use one of {', '.join(FORMATS)}")
    if by not in ("entries", "words"):
        raise ExtransError(f"--by {by}: use entries or words")
    settings, languages = _setup(options, arguments.lang)
    report = collect_status(settings, languages, paths or (), jobs=default_jobs())
    if paths and not report.pages:
        raise ExtransError(f"no source page matches {' '.join(paths)}")
    sys.stdout.write(render(report, output, colour=output == "table" and sys.stdout.isatty()))
    if report.errors:
        if output in ("json", "github"):
            raise SystemExit(EXIT_BAD_INPUT)
        _fail(report.errors, options.verbose)
        raise SystemExit(EXIT_BAD_INPUT)
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
                stale = f"{page.localized}: stale, {page.stale_days} days behind {page.source}"
                _say(printable(stale))
                failed = True
    if failed:
        raise SystemExit(EXIT_CHECK_FAILED)


def check_command(options: _Options, arguments: argparse.Namespace) -> None:
    """Find translations that would break a page."""
    from .status import check_site

    output, strict = arguments.format, arguments.strict
    if output not in ("text", "github", "json"):
        raise ExtransError(f"--format {output}: use text, github or json")
    settings, languages = _setup(options, arguments.lang)
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
        print(json.dumps(document, indent=2, ensure_ascii=False))
    elif output == "github":
        from .report import github_annotation

        for f in result.findings:
            print(github_annotation(f.severity, f.path, f.line, f.check, f.message))
        for e in result.errors:
            print(github_annotation("error", e.path, e.line, "unreadable", e.message))
    else:
        for f in result.findings:
            print(str(f))
        print(
            f"{result.entries} translations in {result.catalogs} catalogs checked: "
            f"{errors} errors, {warnings} warnings"
        )
    if output != "json":
        _fail(result.errors, options.verbose)
    if result.errors:
        raise SystemExit(EXIT_BAD_INPUT)
    if errors or (strict and warnings):
        raise SystemExit(EXIT_CHECK_FAILED)


def init(options: _Options, arguments: argparse.Namespace) -> None:
    """Write a starting extrans.toml for an existing Hugo site."""
    from .config import find_hugo_config, load_settings
    from .fsio import atomic_write
    from .init import render_config, survey_fields

    target = options.site / "extrans.toml"
    if target.exists() and not arguments.force:
        raise ExtransError("already exists; use --force to replace it", target)
    settings = load_settings(options.site)
    surveys, errors, total = survey_fields(settings)
    hugo = find_hugo_config(settings.site_root)
    text = render_config(settings, surveys, total, hugo)
    atomic_write(target, text.encode("utf-8"), root=settings.site_root)
    print(printable(f"wrote {target}"))
    print(
        printable(
            f"  source language {settings.source_language}, {total} pages in "
            f"{settings.content_dir(settings.source_language)}/"
        )
    )
    if settings.target_languages:
        print(f"  target languages: {', '.join(settings.target_languages)}")
    else:
        print("  no target language found in the Hugo config: set target-languages")
    print("  front-matter fields (pages, translatable?):")
    for survey in surveys:
        mark = "yes" if survey.translatable else "no "
        print(printable(f"    {mark} {survey.pattern} ({survey.pages}/{total})"))
    print("next: review extrans.toml, then run `extrans extract`")
    _fail(errors, options.verbose)


def _count(minimum: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{value} is below {minimum}")
        return value

    return parse


def _percent(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"{value:g} is not between 0 and 100")
    return value


def parser() -> argparse.ArgumentParser:
    """The whole command line: global options, then one command and its options."""
    main = argparse.ArgumentParser(
        prog="extrans",
        description="Translate a Hugo site through gettext PO catalogs.",
        epilog="Example: extrans extract   (then translate locale/<lang>/*.po in Poedit)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
    main.add_argument(
        "-C", "--site", metavar="DIR", type=Path, default=Path("."),
        help="the Hugo site's folder (default: the current one)",
    )  # fmt: skip
    main.add_argument("-v", "--verbose", action="store_true", help="show tracebacks of errors")
    main.add_argument(
        "--lock-timeout", metavar="S", type=float, default=60.0,
        help="seconds to wait for another run on the same site (default: 60)",
    )  # fmt: skip
    main.add_argument("--version", action="version", version=f"extrans {__version__}")
    commands = main.add_subparsers(title="commands", metavar="COMMAND")

    def command(function: _Command, name: str, example: str) -> argparse.ArgumentParser:
        summary = (function.__doc__ or "").strip()
        sub = commands.add_parser(
            name, help=summary, description=summary, epilog=f"Example: {example}",
            formatter_class=argparse.RawDescriptionHelpFormatter, allow_abbrev=False,
        )  # fmt: skip
        sub.set_defaults(command=function)
        return sub

    def lang(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "-l", "--lang", metavar="LANG", action="append",
            help="only this target language (repeatable)",
        )  # fmt: skip

    def work(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "-j", "--jobs", metavar="N", type=_count(1),
            help="processes to use (default: all cores)",
        )  # fmt: skip
        sub.add_argument(
            "--cache", action=argparse.BooleanOptionalAction, default=True,
            help="skip pages whose inputs did not change (default: --cache)",
        )  # fmt: skip

    sub = command(extract, "extract", "extrans extract --lang es")
    lang(sub)
    sub.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if any catalog is out of date"
    )
    work(sub)

    sub = command(build, "build", "extrans build --lang es --threshold 100")
    lang(sub)
    sub.add_argument(
        "--threshold", metavar="PCT", type=_percent,
        help="write a page only when this share (%%) of its entries is translated "
        "(default: the setting, 80)",
    )  # fmt: skip
    sub.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if any page would change"
    )
    sub.add_argument("--force", action="store_true", help="replace pages made or edited by hand")
    sub.add_argument(
        "--prune", action="store_true", help="delete built pages whose source page is gone"
    )
    work(sub)

    sub = command(
        status, "status",
        'extrans status --format markdown --fail-under 90 >> "$GITHUB_STEP_SUMMARY"',
    )  # fmt: skip
    sub.add_argument(
        "paths", nargs="*", metavar="PATH",
        help="only these sections or pages (e.g. exercises, exercises/saw.md)",
    )  # fmt: skip
    lang(sub)
    sub.add_argument(
        "-f", "--format", default="table",
        help="table, json, markdown, csv, github or html (default: table)",
    )  # fmt: skip
    sub.add_argument(
        "--fail-under", metavar="PCT", type=_percent, help="exit 1 if a language is below PCT"
    )
    sub.add_argument(
        "--by", default="entries",
        help="what --fail-under counts: entries or words (default: entries)",
    )  # fmt: skip
    sub.add_argument(
        "--fail-on-stale", action="store_true", help="exit 1 if a translation is stale"
    )

    sub = command(check_command, "check", "extrans check --format github")
    lang(sub)
    sub.add_argument(
        "-f", "--format", default="text",
        help="text, github (annotations) or json (default: text)",
    )  # fmt: skip
    sub.add_argument("--strict", action="store_true", help="exit 1 on warnings too")

    sub = command(init, "init", "extrans init && extrans extract")
    sub.add_argument("--force", action="store_true", help="replace an existing extrans.toml")
    return main


def run(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv``; return the exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    line = parser()
    if not arguments:
        line.print_help(sys.stderr)
        return EXIT_BAD_INPUT
    try:
        parsed = line.parse_args(arguments)
    except SystemExit as done:  # --help, --version, or a usage error (said on stderr)
        return done.code if isinstance(done.code, int) else EXIT_BAD_INPUT
    command: _Command | None = getattr(parsed, "command", None)
    if command is None:
        line.print_usage(sys.stderr)
        _say("extrans: error: a command is needed (extract, build, status, check or init)")
        return EXIT_BAD_INPUT
    return _reported(command, parsed)


def main() -> None:
    sys.exit(run())


if __name__ == "__main__":
    main()
