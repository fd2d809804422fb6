"""Benchmark extrans against po4a, Translate Toolkit and mdpo on generated Hugo sites.

``python bench/run.py [--sizes 1000 10000] [--runs 5] [--peers extrans,translate-toolkit,po4a,mdpo]
[--jobs J] [--json FILE]`` generates each corpus once (``bench/.corpus/<N>/``, see
``generate.py``), runs every task of every tool on its own copy of it, and prints per size a table
of median wall times, min–max, peak memory and ratios, with the machine, the versions and the exact
commands. ``python bench/run.py --install`` makes the peers' virtual environments in
``bench/.venvs/`` and prints the ``apt-get`` line for po4a. See ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from generate import STAMP, corpus_parameters, generate

__all__ = ["Outcome", "Result", "Task", "main", "run_step"]

BENCH = Path(__file__).resolve().parent
CORPUS_ROOT = BENCH / ".corpus"
VENVS = BENCH / ".venvs"
PEERS = ("extrans", "translate-toolkit", "po4a", "mdpo")
PIP_PACKAGES = {"translate-toolkit": "translate-toolkit[markdown]", "mdpo": "mdpo"}
HELP_RUNS = 20
RACY_SECONDS = 2
"""extrans re-reads a file changed less than this before a run (``extrans.cache``: its stamp
could miss a second change in the same tick of the file system's clock)."""
MDPO_SLOW_FROM = 1000
"""From this size on mdpo runs once, without warm-up, and from 10 times this only with --all."""
TAIL = 1500
"""Characters of a failing command's stderr to show."""

Command = list[str]


@dataclass(frozen=True, slots=True)
class Outcome:
    """One timed run of a step (one or more commands run one after the other)."""

    seconds: float
    peak_kb: int
    """The largest maximum resident set size among the step's processes (and their children)."""
    error: str | None = None
    """``None`` when every command exited 0; otherwise what failed and its stderr tail."""


@dataclass(slots=True)
class Result:
    """A task's measurements for one tool at one size."""

    size: int
    task: str
    tool: str
    runs: list[float] = field(default_factory=list)
    peak_kb: int = 0
    warmup: bool = True
    error: str | None = None
    note: str = ""
    commands: list[str] = field(default_factory=list)
    cores_worth: list[float] = field(default_factory=list)
    """Before each timed run, what the machine's cores were worth (:func:`cores_worth`)."""

    @property
    def median(self) -> float | None:
        return statistics.median(self.runs) if self.runs and not self.error else None


@dataclass(frozen=True, slots=True)
class Task:
    """What to time: ``steps()`` gives the commands of one run; ``prepare(i)`` runs untimed
    before run ``i`` (0 is the warm-up when there is one); ``setup()`` once before them all;
    ``check()`` after the last run says what the outputs look like."""

    name: str
    tool: str
    steps: Callable[[], list[Command]]
    cwd: Path
    prepare: Callable[[int], None] | None = None
    setup: Callable[[], None] | None = None
    check: Callable[[], str] | None = None
    runs: int | None = None
    """Overrides the run count (``extrans --help``: 20)."""
    warmup: bool = True
    shown: Callable[[], list[str]] | None = None
    """The commands as printed, when ``steps()`` is long (one per page)."""


# --- running and measuring ---------------------------------------------------------------


GNU_TIME = Path("/usr/bin/time")
TOOL_ENVIRONMENT = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
"""Every tool runs as after a normal install: a Python tool from the bytecode pip compiled at
install time. An editable install (extrans here) has none until it runs once and writes it,
on the warm-up run, unless ``PYTHONDONTWRITEBYTECODE`` is set: then it would compile every
module on every timed run."""


def _peak_from(report: Path) -> int | None:
    """The ``%M`` value (kilobytes) GNU time wrote as the last line of ``report``."""
    try:
        lines = report.read_text(encoding="utf-8", errors="replace").split()
        return int(lines[-1]) if lines else None
    except (OSError, ValueError):
        return None


def run_step(commands: Sequence[Command], cwd: Path) -> Outcome:
    """Run the commands one after the other (stdin and stdout closed, stderr kept) and measure
    the wall time of them all and the largest peak memory among them.

    Each command runs under ``/usr/bin/time -f %M`` when it is there: the rusage of a child
    that this (large) Python process forks counts this process's own memory at the fork, so
    ``os.wait4``'s ``ru_maxrss``, the fallback, is never below it.
    """
    peak = 0
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch:
        errors_path, report = Path(scratch) / "stderr", Path(scratch) / "time"
        for command in commands:
            wrapped = command
            if GNU_TIME.exists():
                wrapped = [str(GNU_TIME), "-f", "%M", "-o", str(report), *command]
            try:
                with errors_path.open("wb") as errors:
                    process = subprocess.Popen(
                        wrapped,
                        cwd=cwd,
                        stdin=subprocess.DEVNULL,
                        stdout=subprocess.DEVNULL,
                        stderr=errors,
                        env=TOOL_ENVIRONMENT,
                    )
                    _, status, usage = os.wait4(process.pid, 0)
            except OSError as err:
                return Outcome(time.perf_counter() - started, peak, f"{command[0]}: {err}")
            process.returncode = os.waitstatus_to_exitcode(status)
            measured = _peak_from(report) if wrapped is not command else None
            peak = max(peak, usage.ru_maxrss if measured is None else measured)  # kilobytes
            if process.returncode != 0:
                elapsed = time.perf_counter() - started
                tail = errors_path.read_bytes().decode("utf-8", "replace")[-TAIL:]
                message = f"exit {process.returncode}: {shlex.join(command)}\n{tail}"
                return Outcome(elapsed, peak, message)
    return Outcome(time.perf_counter() - started, peak)


TASK_FAILURES = (OSError, subprocess.SubprocessError, ValueError)
"""What a task's steps may raise: recorded as its error, and the benchmark goes on."""

BUSY_LOOP = (
    "import time\n"
    "t = time.perf_counter()\n"
    "n = 0\n"
    "for i in range(2 * 10**6): n += i % 7\n"
    "print(time.perf_counter() - t)\n"
)
"""A fifth of a second or so of pure Python, which prints how long it took."""


def _busy_seconds(processes: int) -> list[float]:
    """:data:`BUSY_LOOP`'s time in each of ``processes`` copies run at once."""
    running = [
        subprocess.Popen([sys.executable, "-c", BUSY_LOOP], stdout=subprocess.PIPE, text=True)
        for _ in range(processes)
    ]
    return [float(process.communicate()[0]) for process in running]


def cores_worth(cores: int) -> float:
    """What the machine's ``cores`` are worth right now, in cores that run one busy process
    each at full speed: a loop of pure Python run alone, then once per core at the same
    time. On a shared virtual machine, two cores can share one physical core of the host,
    or the host can be busy: two processes then run each up to 60% slower than one alone
    (seen on the machine measured in the main README), which a tool that runs one process
    per core feels and a one-process tool does not."""
    before = _busy_seconds(1)[0]
    together = _busy_seconds(cores)
    alone = min(before, _busy_seconds(1)[0])  # (a run alone, too, is slowed at times)
    return sum(alone / seconds for seconds in together)


def measure_side_by_side(
    tasks: Sequence[Task],
    size: int,
    runs: Callable[[Task], int],
    progress: Callable[[str], None],
    *,
    calibrate: bool = False,
) -> list[Result]:
    """Run tasks of different tools (each on its own copy of the corpus) by turns: the
    warm-ups, then the first timed run of each, then the second... so that a machine that
    slows down or speeds up during the benchmark (a shared virtual machine does, by a third
    for minutes at a time) does so for every tool alike, and the ratios stay fair. Each
    task gets its setup, an optional warm-up, then ``runs(task)`` timed runs
    (``task.runs`` when it has its own); with ``calibrate``, what the cores are worth is
    measured before each round (:func:`cores_worth`). Never raises."""
    results = [Result(size, task.name, task.tool, warmup=task.warmup) for task in tasks]
    counts = [(task.runs or runs(task)) + task.warmup for task in tasks]
    cores = os.cpu_count() or 1
    for task, result in zip(tasks, results, strict=True):
        try:
            result.commands = task.shown() if task.shown else [shlex.join(c) for c in task.steps()]
            if task.setup:
                task.setup()
        except TASK_FAILURES as err:
            result.error = f"{type(err).__name__}: {err}"
    for index in range(max(counts, default=0)):
        worth = cores_worth(cores) if calibrate and cores > 1 else None
        for task, result, count in zip(tasks, results, counts, strict=True):
            if result.error is None and index < count:
                _run_once(task, result, index)
                if worth is not None and index >= task.warmup:
                    result.cores_worth.append(worth)
    for task, result in zip(tasks, results, strict=True):
        try:
            if task.check and not result.error:
                result.note = task.check()
        except TASK_FAILURES as err:
            result.error = f"{type(err).__name__}: {err}"
        progress(_progress_line(result))
    return results


def _run_once(task: Task, result: Result, index: int) -> None:
    """Run ``index`` of a task (0 is the warm-up when it has one) into ``result``."""
    try:
        if task.prepare:
            task.prepare(index)
        # The last run's (and the clean-up's) writes reach the disk before the clock
        # starts, so that no run pays for another's: same for every tool.
        os.sync()
        outcome = run_step(task.steps(), task.cwd)
    except TASK_FAILURES as err:
        result.error = f"{type(err).__name__}: {err}"
        return
    if outcome.error:
        result.error = outcome.error
    elif index >= task.warmup:
        result.runs.append(outcome.seconds)
        result.peak_kb = max(result.peak_kb, outcome.peak_kb)


def _progress_line(result: Result) -> str:
    if result.error:
        return (
            f"  [{result.size}] {result.tool:18} {result.task:22} FAILED\n{_indent(result.error)}"
        )
    median = result.median or 0.0
    note = f"  ({result.note})" if result.note else ""
    return f"  [{result.size}] {result.tool:18} {result.task:22} {median:8.3f} s{note}"


def _indent(text: str) -> str:
    return "\n".join("      " + line for line in text.rstrip().splitlines())


# --- files ---------------------------------------------------------------------------------


TRASH = CORPUS_ROOT / ".trash"
"""Where clean-ups put what they remove; emptied when the benchmark ends (see :func:`_discard`)."""
SETTLE_SECONDS = 361
"""How long after a large deletion inode allocation can stay slow on ext4 without a journal:
an inode freed less than ``RECENTCY_MIN`` (60 s) ago counts as recent, and one freed less
than six minutes ago while its block of the inode table is dirty (fs/ext4/ialloc.c). A sync
cleans those blocks, but the timed runs' own new files dirty them again: a benchmark at
10,000 pages started 61 s after the previous one had deleted its copies found cold runs
slower by a third (extract) and two thirds (build)."""


def _discard(*paths: Path) -> None:
    """Move ``paths`` out of the way, into :data:`TRASH`, instead of deleting them.

    Deleting thousands of files just before a timed run would charge the deletion to that run
    on some file systems: ext4 without a journal skips, one by one, the inodes freed in the
    last minutes each time it allocates one (``recently_deleted``), so a run that creates 2,000
    files right after 2,000 were deleted spent eight times as long in the kernel here as one
    on a settled disk, and more so the more files the tool writes. A rename costs nothing.
    """
    for path in paths:
        if path.exists() or path.is_symlink():
            TRASH.mkdir(parents=True, exist_ok=True)
            path.rename(Path(tempfile.mkdtemp(dir=TRASH)) / path.name)


EMPTIED = CORPUS_ROOT / ".trash-emptied"
"""Touched each time the trash is emptied: a benchmark started right after another one
waits until that deletion no longer slows file creation down."""


def empty_trash(*, settle: bool) -> None:
    """Delete what :func:`_discard` kept, and note when; with ``settle`` (before any timed
    run), then wait until the last deletion, by this run or one before it, no longer slows
    file creation down."""
    if TRASH.exists():
        shutil.rmtree(TRASH)
        os.sync()
        EMPTIED.touch()
    if not settle or not EMPTIED.exists():
        return
    wait = SETTLE_SECONDS - (time.time() - EMPTIED.stat().st_mtime)
    if wait > 0:
        report_progress(f"(files were deleted {SETTLE_SECONDS - wait:.0f} s ago: waiting "
                        f"{wait:.0f} s before timing anything)")  # fmt: skip
        time.sleep(wait)


def _pages(site: Path) -> list[Path]:
    """The source pages, relative to ``content/en``, sorted."""
    source = site / "content" / "en"
    return sorted(p.relative_to(source) for p in source.rglob("*.md"))


def _count(folder: Path, pattern: str) -> int:
    return sum(1 for _ in folder.rglob(pattern)) if folder.is_dir() else 0


def _expect(folder: Path, pattern: str, wanted: int, what: str) -> str:
    found = _count(folder, pattern)
    if found == wanted:
        return f"{found} {what}"
    return f"WARNING: {found} {what}, expected {wanted}"


def prepare_corpus(size: int, seed: int) -> tuple[Path, bool]:
    """The corpus for ``size`` pages, generated unless an identical one is there; ``True``
    when it was reused."""
    folder = CORPUS_ROOT / str(size)
    stamp = folder / STAMP
    wanted = corpus_parameters(size, seed)
    if stamp.is_file():
        try:
            if json.loads(stamp.read_text(encoding="utf-8")) == wanted:
                return folder, True
        except ValueError:
            pass
    generate(size, folder, seed)
    return folder, False


def fresh_copy(corpus: Path, tool: str) -> Path:
    """A copy of the corpus for one tool, in ``bench/.corpus/<N>.work/<tool>/``."""
    target = corpus.parent / f"{corpus.name}.work" / tool
    _discard(target)
    shutil.copytree(corpus, target)
    return target


def change_pages(site: Path, run: int, seed: int, share: float = 0.01) -> list[Path]:
    """Change one sentence in ``share`` of the pages (at least one), chosen by ``seed`` and
    ``run``: the intro paragraph's last sentence becomes one naming the run."""
    pages = _pages(site)
    chosen = random.Random(f"{seed}:{run}").sample(pages, max(1, round(len(pages) * share)))
    for relative in chosen:
        path = site / "content" / "en" / relative
        lines = path.read_text(encoding="utf-8").split("\n")
        delimiter = lines[0]
        end = lines.index(delimiter, 1)
        intro = next(i for i in range(end + 1, len(lines)) if lines[i].strip())
        head, _, _ = lines[intro].rstrip(".").rpartition(". ")
        sentence = f"Revision {run} of this page asks you to move with a steady breath."
        lines[intro] = f"{head}. {sentence}" if head else sentence
        path.write_text("\n".join(lines), encoding="utf-8", newline="\n")
    return chosen


# --- tools ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Tools:
    """Where each tool is; ``None`` when it is not installed."""

    extrans: Path | None
    extrans_python: Path
    translate_toolkit: Path | None
    po4a: Path | None
    mdpo: Path | None


def _interpreter_of(script: Path) -> Path:
    """The Python a console script runs with (its ``#!`` line), else this one."""
    try:
        with script.open("rb") as handle:
            first = handle.readline().decode("utf-8", "replace").strip()
    except OSError:
        return Path(sys.executable)
    if first.startswith("#!") and "python" in first:
        candidate = Path(first[2:].split()[0])
        if candidate.exists():
            return candidate
    return Path(sys.executable)


def find_tools(extrans: str | None) -> Tools:
    """Locate extrans (``--extrans``, next to this Python, or on PATH) and the peers."""
    found: Path | None = None
    if extrans:
        found = Path(extrans)
    else:
        beside = Path(sys.executable).parent / "extrans"
        which = shutil.which("extrans")
        found = beside if beside.exists() else Path(which) if which else None
    tt = VENVS / "translate-toolkit" / "bin"
    mdpo = VENVS / "mdpo" / "bin"
    return Tools(
        extrans=found,
        extrans_python=_interpreter_of(found) if found else Path(sys.executable),
        translate_toolkit=tt if (tt / "md2po").exists() and (tt / "po2md").exists() else None,
        po4a=Path(p) if (p := shutil.which("po4a")) and shutil.which("msgmerge") else None,
        mdpo=mdpo if (mdpo / "md2po").exists() and (mdpo / "po2md").exists() else None,
    )


def _version(command: Command) -> str:
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL
        )
    except (OSError, subprocess.SubprocessError) as err:
        return f"unknown ({err})"
    text = (done.stdout or done.stderr).strip()
    return text.splitlines()[0] if text else "unknown"


def versions(tools: Tools) -> dict[str, str]:
    """Version lines of the tools that are there."""
    found: dict[str, str] = {"python (bench)": platform.python_version()}
    if tools.extrans:
        found["extrans"] = _version([str(tools.extrans), "--version"])
        found["python (extrans)"] = _version([str(tools.extrans_python), "--version"])
    if tools.translate_toolkit:
        found["translate-toolkit"] = _version([str(tools.translate_toolkit / "md2po"), "--version"])
    if tools.po4a:
        found["po4a"] = _version([str(tools.po4a), "--version"])
        found["msgmerge (po4a)"] = _version(["msgmerge", "--version"])
    if tools.mdpo:
        found["mdpo"] = _version([str(tools.mdpo / "md2po"), "--version"])
    return found


def accepts_jobs(extrans: Path) -> bool:
    """Whether both ``extract`` and ``build`` offer ``--jobs``."""
    for command in ("extract", "build"):
        done = subprocess.run(
            [str(extrans), command, "--help"],
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            check=False,
        )
        if "--jobs" not in done.stdout:
            return False
    return True


def _pseudo(tools: Tools, *paths: Path) -> None:
    """Pseudo-translate catalogs with ``pseudo.py`` under extrans's interpreter."""
    if tools.extrans is None:
        raise ValueError(
            "the pseudo-translation is written with extrans's PO writer, and extrans was not "
            "found: run bench/run.py with the Python of extrans's environment, or --extrans PATH"
        )
    python = tools.extrans_python
    command = [str(python), str(BENCH / "pseudo.py"), *(str(p) for p in paths)]
    done = subprocess.run(
        command, capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False
    )
    if done.returncode != 0:
        raise ValueError(f"pseudo-translation failed: {done.stderr[-TAIL:]}")


def extrans_tasks(
    tools: Tools, corpus: Path, seed: int, jobs: list[str]
) -> tuple[list[Task], Path]:
    """extrans: ``--help`` and ``status --help``, extract cold / again / after 1% changed,
    build cold / again, status."""
    assert tools.extrans is not None
    site = fresh_copy(corpus, "extrans")
    pages = len(_pages(site))
    exe = str(tools.extrans)

    def command(*args: str) -> Callable[[], list[Command]]:
        return lambda: [[exe, "--site", str(site), *args]]

    def cold_extract(_: int) -> None:
        _discard(site / "locale", site / ".extrans-cache")

    def cold_build(_: int) -> None:
        _discard(
            site / "content" / "es",
            site / "locale" / "built-pages.json",
            site / ".extrans-cache",
        )

    def translate() -> None:
        _pseudo(tools, site / "locale" / "es")

    def catalogs() -> str:
        return _expect(site / "locale" / "es", "*.po", pages, "catalogs")

    def built() -> str:
        return _expect(site / "content" / "es", "*.md", pages, "pages built")

    changed = max(1, round(pages * 0.01))

    def change(run: int) -> None:
        change_pages(site, run, seed)

    def changed_catalogs() -> str:
        return f"{changed} of {pages} pages changed before each run; {catalogs()}"

    def settle(run: int) -> None:
        # "Nothing changed" as a user meets it: not within seconds of the run that wrote
        # every file (the warm-up would re-read the ones written in its last two seconds,
        # and the first timed runs the ones it could not stamp yet).
        if run == 0:
            time.sleep(RACY_SECONDS + 0.5)

    tasks = [
        Task("--help", "extrans", lambda: [[exe, "--help"]], site, runs=HELP_RUNS),
        Task("status --help", "extrans", lambda: [[exe, "status", "--help"]], site, runs=HELP_RUNS),
        Task(
            "extract cold", "extrans", command("extract", *jobs), site, cold_extract, None, catalogs
        ),
        Task("extract again", "extrans", command("extract", *jobs), site, settle, None, catalogs),
        Task(
            "extract 1% changed",
            "extrans",
            command("extract", *jobs),
            site,
            change,
            None,
            changed_catalogs,
        ),
        Task("build cold", "extrans", command("build", *jobs), site, cold_build, translate, built),
        Task("build again", "extrans", command("build", *jobs), site, settle, None, built),
        Task("status", "extrans", command("status"), site),
    ]
    return tasks, site


def translate_toolkit_tasks(tools: Tools, corpus: Path) -> tuple[list[Task], Path]:
    """Translate Toolkit: ``md2po`` over content/en/ (a PO per page), ``po2md`` with the English
    pages as templates to write content/es/."""
    assert tools.translate_toolkit is not None
    site = fresh_copy(corpus, "translate-toolkit")
    pages = len(_pages(site))
    md2po = [str(tools.translate_toolkit / "md2po"), "--progress=none"]
    po2md = [str(tools.translate_toolkit / "po2md"), "--progress=none"]
    extract = [*md2po, "-i", "content/en", "-o", "po"]
    build = [*po2md, "-i", "po", "-t", "content/en", "-o", "content/es"]
    tool = "translate-toolkit"

    def catalogs() -> str:
        return _expect(site / "po", "*.po", pages, "catalogs")

    def built() -> str:
        return _expect(site / "content" / "es", "*.md", pages, "pages built")

    def translate() -> None:
        _pseudo(tools, site / "po")

    tasks = [
        Task(
            "extract cold",
            tool,
            lambda: [extract],
            site,
            lambda _: _discard(site / "po"),
            check=catalogs,
        ),
        Task("extract again", tool, lambda: [extract], site, check=catalogs),
        Task(
            "build cold",
            tool,
            lambda: [build],
            site,
            lambda _: _discard(site / "content" / "es"),
            translate,
            built,
        ),
        Task("build again", tool, lambda: [build], site, check=built),
    ]
    return tasks, site


def _po4a_config(site: Path, split: bool) -> str:
    """A po4a.cfg listing every page: Markdown mode of the text module, the front-matter keys
    that extrans translates; one catalog for the site, or one per page with ``split``."""
    keys = "title,description,keywords,steps,name,q,a"
    paths = "po/$master.pot $lang:po/$master.$lang.po" if split else "po/site.pot $lang:po/$lang.po"
    lines = [
        "[po4a_langs] es",
        f"[po4a_paths] {paths}",
        f'[po4a_alias:md] text opt:"-o markdown -o yfm_keys={keys}"',
    ]
    for relative in _pages(site):
        name = relative.as_posix()
        pot = f" pot={name[:-3].replace('/', '-')}" if split else ""
        lines.append(f"[type: md] content/en/{name} $lang:content/es/{name}{pot}")
    return "\n".join(lines) + "\n"


def po4a_tasks(tools: Tools, corpus: Path, split: bool) -> tuple[list[Task], Path]:
    """po4a: ``po4a --no-translations po4a.cfg`` (POT and PO), then ``po4a --no-update
    po4a.cfg`` (the translated pages only)."""
    assert tools.po4a is not None
    site = fresh_copy(corpus, "po4a")
    pages = len(_pages(site))
    (site / "po4a.cfg").write_text(_po4a_config(site, split), encoding="utf-8")
    exe = str(tools.po4a)
    extract = [exe, "--no-translations", "po4a.cfg"]
    build = [exe, "--no-update", "po4a.cfg"]
    tool = "po4a"
    wanted = pages if split else 1

    def catalogs() -> str:
        return _expect(site / "po", "*.po", wanted, "catalogs")

    def built() -> str:
        return _expect(site / "content" / "es", "*.md", pages, "pages built")

    def translate() -> None:
        _pseudo(tools, site / "po")

    tasks = [
        Task(
            "extract cold",
            tool,
            lambda: [extract],
            site,
            lambda _: _discard(site / "po", site / "content" / "es"),
            check=catalogs,
        ),
        Task("extract again", tool, lambda: [extract], site, check=catalogs),
        Task(
            "build cold",
            tool,
            lambda: [build],
            site,
            lambda _: _discard(site / "content" / "es"),
            translate,
            built,
        ),
        Task("build again", tool, lambda: [build], site, check=built),
    ]
    return tasks, site


def mdpo_tasks(tools: Tools, corpus: Path, slow: bool) -> tuple[list[Task], Path]:
    """mdpo: ``md2po PAGE --po-filepath PO --save`` and ``po2md PAGE --pofiles PO --save OUT``
    for each page (mdpo has no folder mode); with ``slow``, one run and no warm-up."""
    assert tools.mdpo is not None
    site = fresh_copy(corpus, "mdpo")
    relatives = [p.as_posix() for p in _pages(site)]
    md2po, po2md = str(tools.mdpo / "md2po"), str(tools.mdpo / "po2md")

    def extract() -> list[Command]:
        return [
            [md2po, f"content/en/{r}", "--po-filepath", f"po/{r[:-3]}.po", "--save", "--quiet"]
            for r in relatives
        ]

    def build() -> list[Command]:
        return [
            [po2md, f"content/en/{r}", "--pofiles", f"po/{r[:-3]}.po", *save(r)] for r in relatives
        ]

    def save(relative: str) -> Command:
        return ["--save", f"content/es/{relative}", "--quiet"]

    def folders(root: str) -> None:
        _discard(site / root)
        for relative in relatives:
            (site / root / relative).parent.mkdir(parents=True, exist_ok=True)

    def catalogs() -> str:
        return _expect(site / "po", "*.po", len(relatives), "catalogs")

    def built() -> str:
        return _expect(site / "content" / "es", "*.md", len(relatives), "pages built")

    def translate() -> None:
        _pseudo(tools, site / "po")

    def shown(commands: Callable[[], list[Command]]) -> Callable[[], list[str]]:
        return lambda: [f"{shlex.join(commands()[0])}   # and so on, once per page"]

    runs = 1 if slow else None
    tasks = [
        Task(
            "extract cold",
            "mdpo",
            extract,
            site,
            lambda _: folders("po"),
            check=catalogs,
            runs=runs,
            warmup=not slow,
            shown=shown(extract),
        ),
        Task(
            "build cold",
            "mdpo",
            build,
            site,
            lambda _: folders("content/es"),
            translate,
            built,
            runs=runs,
            warmup=not slow,
            shown=shown(build),
        ),
    ]
    return tasks, site


# --- reporting -----------------------------------------------------------------------------


def machine() -> dict[str, str]:
    """Cores, memory, CPU model, OS, date."""
    memory = model = "unknown"
    try:
        found = re.search(r"MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text())
        if found:
            memory = f"{int(found[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    try:
        name = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
        if name:
            model = name[1].strip()
    except OSError:
        pass
    return {
        "cores": str(os.cpu_count()),
        "memory": memory,
        "cpu": model,
        "os": platform.platform(),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def report_header(info: dict[str, str], found: dict[str, str], notes: Iterable[str]) -> None:
    """Print the machine, the versions and the notes about this run."""
    print("## Machine")
    for key, value in info.items():
        print(f"  {key:18} {value}")
    print("## Versions")
    for key, value in found.items():
        print(f"  {key:18} {value}")
    for note in notes:
        print(f"note: {note}")
    sys.stdout.flush()


def report_progress(line: str) -> None:
    """Print one progress line at once."""
    print(line, flush=True)


COMPARABLE = ("extract cold", "build cold")


def _ratio(numerator: float | None, denominator: float | None) -> str:
    if not numerator or not denominator:
        return "-"
    return f"{numerator / denominator:.1f}×"


def _has_again(results: list[Result], tool: str) -> bool:
    return any(r.tool == tool and r.task.endswith(" again") for r in results)


def report_size(size: int, results: list[Result]) -> None:
    """Print the table for one size, then the incremental ratios and the failures."""
    print(f"\n## {size:,} pages\n")
    header = f"{'task':26} {'tool':18} {'median s':>9} {'min–max s':>17} {'peak MB':>8} "
    print(header + f"{'vs extrans':>10}  runs")
    print("-" * (len(header) + 16))
    base = {r.task: r.median for r in results if r.tool == "extrans"}
    for result in results:
        median = result.median
        if median is None:
            print(f"{result.task:26} {result.tool:18} {'FAILED':>9}")
            continue
        spread = f"{min(result.runs):.3f}–{max(result.runs):.3f}"
        ratio = "-"
        if result.tool != "extrans" and result.task in COMPARABLE:
            ratio = _ratio(median, base.get(result.task))
        runs = f"{len(result.runs)}" + ("" if result.warmup else " (no warm-up)")
        print(
            f"{result.task:26} {result.tool:18} {median:9.3f} {spread:>17} "
            f"{result.peak_kb / 1024:8.1f} {ratio:>10}  {runs}"
        )
    tools = [t for t in dict.fromkeys(r.tool for r in results) if _has_again(results, t)]
    if tools:
        print("\nIncremental ratios (cold / again):")
    for tool in tools:
        mine = {r.task: r.median for r in results if r.tool == tool}
        print(
            f"  {tool:18} extract {_ratio(mine.get('extract cold'), mine.get('extract again'))}"
            f"   build {_ratio(mine.get('build cold'), mine.get('build again'))}"
        )
    report_cores(results)
    notes = [r for r in results if r.note or r.error]
    if notes:
        print("\nOutputs and failures:")
        for result in notes:
            what = f"FAILED: {result.error}" if result.error else result.note
            print(f"  {result.tool} {result.task}: {what.rstrip()}")


def report_cores(results: list[Result]) -> None:
    """Print, per task, what the machine's cores were worth during its timed rounds."""
    worth: dict[str, list[float]] = {}
    for result in results:
        if result.cores_worth and (result.tool == "extrans" or result.task not in worth):
            worth[result.task] = result.cores_worth
    if not worth:
        return
    print(
        f"\nWhat the {os.cpu_count()} cores were worth before each timed round, in cores "
        "that run one busy process at full speed (median, lowest–highest):"
    )
    for task, values in worth.items():
        print(f"  {task:26} {statistics.median(values):.2f}  {min(values):.2f}–{max(values):.2f}")


def report_scaling(results: list[Result], sizes: Sequence[int]) -> None:
    """Print extrans's time at the largest size over its time at the smallest, per task."""
    if len(sizes) < 2:
        return
    small, large = min(sizes), max(sizes)
    by = {(r.size, r.task): r.median for r in results if r.tool == "extrans"}
    print(
        f"\n## Scaling of extrans, {large:,} vs {small:,} pages (linear would be "
        f"{large / small:.0f}×)\n"
    )
    for task in dict.fromkeys(r.task for r in results if r.tool == "extrans" and r.size == small):
        print(f"  {task:26} {_ratio(by.get((large, task)), by.get((small, task)))}")


def report_commands(results: list[Result]) -> None:
    """Print the exact commands each tool ran, once per tool and task."""
    print("\n## Commands (working folder: the tool's copy of the corpus)\n")
    seen: set[tuple[str, str]] = set()
    for result in results:
        if (result.tool, result.task) in seen:
            continue
        seen.add((result.tool, result.task))
        for command in result.commands:
            print(f"  {result.tool:18} {result.task:26} {command}")


# --- main ----------------------------------------------------------------------------------


def install() -> int:
    """Create the peers' virtual environments and print the po4a install line."""
    status = 0
    for peer, package in PIP_PACKAGES.items():
        venv = VENVS / peer
        print(f"{peer}: python3 -m venv {venv} && {venv}/bin/pip install '{package}'", flush=True)
        try:
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
            subprocess.run(
                [str(venv / "bin" / "pip"), "install", "--quiet", "--upgrade", package],
                check=True,
            )
        except (OSError, subprocess.CalledProcessError) as err:
            print(f"{peer}: install failed: {err}", file=sys.stderr)
            status = 1
    print("po4a comes from Debian (it needs gettext's msgmerge too); as root:")
    print("  apt-get install -y po4a gettext")
    return status


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Benchmark extrans against po4a, Translate Toolkit and mdpo."
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], metavar="N")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per task (default 5)")
    parser.add_argument(
        "--peer-runs",
        type=int,
        default=None,
        help="timed runs per peer task (default: --runs; mdpo: 1 from 1,000 pages)",
    )
    parser.add_argument(
        "--peers",
        default=",".join(PEERS),
        help=f"comma-separated tools to run (default {','.join(PEERS)})",
    )
    parser.add_argument("--jobs", type=int, default=None, help="pass --jobs J to extrans")
    parser.add_argument("--all", action="store_true", help="run mdpo at 10,000 pages and more")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    parser.add_argument("--extrans", default=None, help="the extrans command to time")
    parser.add_argument(
        "--po4a-split",
        action="store_true",
        help="po4a with one catalog per page (its split mode; slow, quadratic)",
    )
    parser.add_argument("--json", type=Path, default=None, help="also save the results here")
    parser.add_argument("--keep", action="store_true", help="keep the tools' working copies")
    parser.add_argument("--install", action="store_true", help="install the peers and exit")
    args = parser.parse_args(argv)
    unknown = set(args.peers.split(",")) - set(PEERS)
    if unknown:
        parser.error(f"unknown peer(s): {', '.join(sorted(unknown))}; known: {', '.join(PEERS)}")
    if args.runs < 1 or (args.peer_runs is not None and args.peer_runs < 1):
        parser.error("--runs and --peer-runs must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; exit 1 when a task failed."""
    args = _parse(argv)
    if args.install:
        return install()
    tools = find_tools(args.extrans)
    chosen = [p for p in PEERS if p in args.peers.split(",")]
    notes: list[str] = []
    available = {
        "extrans": tools.extrans,
        "translate-toolkit": tools.translate_toolkit,
        "po4a": tools.po4a,
        "mdpo": tools.mdpo,
    }
    for peer in chosen:
        if available[peer] is None:
            how = (
                "python bench/run.py --install" if peer in PIP_PACKAGES else "apt-get install po4a"
            )
            if peer == "extrans":
                how = "pip install -e . (or pass --extrans PATH)"
            notes.append(f"{peer} is not installed ({how}): skipped")
    chosen = [p for p in chosen if available[p] is not None]
    jobs: list[str] = []
    if tools.extrans and "extrans" in chosen:
        offered = accepts_jobs(tools.extrans)
        if args.jobs is not None and offered:
            jobs = ["--jobs", str(args.jobs)]
            notes.append(f"extrans extract and build run with --jobs {args.jobs}")
        elif args.jobs is not None:
            notes.append(f"extrans does not accept --jobs yet: ran without --jobs {args.jobs}")
        elif offered:
            notes.append(
                f"extrans extract and build run with their default --jobs "
                f"({os.cpu_count()} cores here); the peers run in one process"
            )
    if "mdpo" in chosen:
        notes.append(
            f"mdpo runs once per page and is slow: from {MDPO_SLOW_FROM:,} pages one run without "
            f"warm-up (unless --peer-runs), and from {MDPO_SLOW_FROM * 10:,} pages only with --all"
        )
    if "po4a" in chosen:
        notes.append(
            "po4a uses one catalog per page (--po4a-split)"
            if args.po4a_split
            else "po4a uses one catalog for the whole site (its default; --po4a-split: one a page)"
        )
    report_header(machine(), versions(tools), notes)
    empty_trash(settle=True)  # left by a run that was stopped
    try:
        results = run_sizes(args, tools, chosen, jobs)
    finally:
        empty_trash(settle=False)
    report_scaling(results, args.sizes)
    report_commands(results)
    if args.json:
        payload = {
            "machine": machine(),
            "versions": versions(tools),
            "notes": notes,
            "results": [asdict(r) | {"median": r.median} for r in results],
        }
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
        print(f"\nresults saved to {args.json}")
    return 1 if any(r.error for r in results) else 0


def side_by_side(plans: Sequence[Sequence[Task]]) -> list[list[Task]]:
    """The tasks of every tool, grouped by the work they time (their name), groups in the
    order the tools run them: each group is timed by turns (:func:`measure_side_by_side`).
    Every tool's tasks stay in its own order, as each may need the one before."""
    names = list(dict.fromkeys(task.name for tasks in plans for task in tasks))
    for tasks in plans:
        ranks = [names.index(task.name) for task in tasks]
        if ranks != sorted(ranks):
            raise ValueError(f"{tasks[0].tool}: tasks in another order than the other tools'")
    return [[task for tasks in plans for task in tasks if task.name == name] for name in names]


def run_sizes(
    args: argparse.Namespace, tools: Tools, chosen: list[str], jobs: list[str]
) -> list[Result]:
    """Every task of every chosen tool at every size, with a table per size."""
    results: list[Result] = []
    for size in args.sizes:
        corpus, reused = prepare_corpus(size, args.seed)
        report_progress(f"\n[{size}] corpus {corpus} ({'reused' if reused else 'generated'})")
        plans: list[tuple[list[Task], Path]] = []
        for tool in chosen:
            slow = tool == "mdpo" and size >= MDPO_SLOW_FROM and args.peer_runs is None
            if tool == "mdpo" and size >= MDPO_SLOW_FROM * 10 and not args.all:
                report_progress(f"  [{size}] mdpo skipped (slow; --all runs it)")
                continue
            try:
                if tool == "extrans":
                    plans.append(extrans_tasks(tools, corpus, args.seed, jobs))
                elif tool == "translate-toolkit":
                    plans.append(translate_toolkit_tasks(tools, corpus))
                elif tool == "po4a":
                    plans.append(po4a_tasks(tools, corpus, args.po4a_split))
                else:
                    plans.append(mdpo_tasks(tools, corpus, slow))
            except OSError as err:
                report_progress(f"  [{size}] {tool}: cannot prepare its copy: {err}")

        def runs(task: Task) -> int:
            return int(args.runs if task.tool == "extrans" else args.peer_runs or args.runs)

        mine: list[Result] = []
        for same_work in side_by_side([tasks for tasks, _ in plans]):
            calibrate = same_work[0].name in COMPARABLE  # (where extrans's cores count)
            mine += measure_side_by_side(
                same_work, size, runs, report_progress, calibrate=calibrate
            )
        order = {tool: number for number, tool in enumerate(chosen)}
        mine.sort(key=lambda r: order[r.tool])  # (stable: each tool's tasks in its order)
        if not args.keep:
            _discard(*(site for _, site in plans))
        report_size(size, mine)
        results += mine
        if not args.keep:
            _discard(corpus.parent / f"{corpus.name}.work")
    return results


if __name__ == "__main__":
    sys.exit(main())
