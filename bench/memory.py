"""Benchmark the site's translation memory: what a fill completes, and what it costs extract.

``python bench/memory.py [--pages 10000] [--held 0.1] [--runs 3] [--example]`` works on the
generated site of ``generate.py`` (the same corpus as ``run.py``, in ``bench/.corpus/<N>/``):
- the site is extracted and translated (``pseudo.py``'s transform) without a share of its
  pages (``--held``, every tenth by default); those pages then come back as new pages, and
  ``extrans extract`` runs **cold** (no ``.extrans-cache/``, the new pages without catalogs)
  with ``memory = "off"`` and with ``memory = "fuzzy"``, alternately, ``--runs`` times each:
  medians, their ratio, and what the fill did to the new pages' entries (same text, similar
  text, several translations, nothing);
- then, after each cold run, a run with **nothing changed**, with each setting: the memory is
  never read on that path, so the two must be alike.
With ``--example``, also the example site of this repository, one page at a time: its catalog
removed, extract fills it from the other pages' catalogs (``memory = "fuzzy"``), and the share
of its entries the fill completes.

It must run with the Python of extrans's environment (the pseudo-translation imports extrans).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pseudo import pseudo_file
from run import RACY_SECONDS, _discard, empty_trash, fresh_copy, prepare_corpus

from extrans.formats.pofile import parse_po

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
POLICIES = ("off", "fuzzy")
FILLED = re.compile(r"memory filled (\d+) \((\d+) same text, (\d+) similar\)(?:, (\d+) left)?")


@dataclass(frozen=True, slots=True)
class Fill:
    """What extract's memory did to the new pages' entries."""

    entries: int
    same: int
    similar: int
    several: int

    def describe(self) -> str:
        def share(count: int) -> str:
            return f"{count:,} ({100 * count / self.entries:.1f}%)" if self.entries else "0"

        left = self.entries - self.same - self.similar - self.several
        return (
            f"{self.entries:,} entries in the new pages: {share(self.same)} filled from the "
            f"same text, {share(self.similar)} from a similar one (fuzzy), "
            f"{share(self.several)} left with several candidates, {share(left)} without any"
        )


def extrans_command() -> str:
    found = Path(sys.executable).with_name("extrans")
    return str(found) if found.exists() else "extrans"


@dataclass(frozen=True, slots=True)
class Timed:
    """One ``extrans extract``."""

    seconds: float
    cpu: float
    """User and system seconds of its processes (its workers too)."""
    output: str


def extract(site: Path) -> Timed:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [extrans_command(), "--site", str(site), "extract"], capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"extract failed ({done.returncode}):\n{done.stderr[-2000:]}")
    cpu = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
    return Timed(seconds, cpu, done.stdout)


def set_policy(site: Path, policy: str) -> None:
    config = site / "extrans.toml"
    lines = [line for line in config.read_text(encoding="utf-8").splitlines(keepends=True)]
    lines = [line for line in lines if not line.startswith("memory = ")]
    config.write_text(f'memory = "{policy}"\n' + "".join(lines), encoding="utf-8")


def translate(folder: Path) -> None:
    for path in sorted(folder.rglob("*.po")):
        pseudo_file(path)


def entries_of(catalogs: Sequence[Path]) -> int:
    return sum(
        1
        for path in catalogs
        for message in parse_po(path.read_text(encoding="utf-8"), str(path)).messages
        if message.msgid and not message.obsolete
    )


def prepared_site(pages: int, held: float, seed: int) -> tuple[Path, Path, list[Path]]:
    """A copy of the corpus, extracted and translated without the held pages, which are put
    back; the translated ``locale/`` kept aside, and the held pages."""
    corpus, _ = prepare_corpus(pages, seed)
    site = fresh_copy(corpus, "memory")
    source = site / "content" / "en"
    every = round(1 / held)
    all_pages = sorted(source.rglob("*.md"))
    kept_out = [page for index, page in enumerate(all_pages) if index % every == every - 1]
    aside = Path(tempfile.mkdtemp(prefix="held-", dir=site.parent))
    for page in kept_out:
        target = aside / page.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        page.rename(target)
    set_policy(site, "off")
    extract(site)
    translate(site / "locale" / "es")
    for page in kept_out:
        (aside / page.relative_to(source)).rename(page)
    translated = site.parent / "memory.locale"
    _discard(translated)
    shutil.copytree(site / "locale", translated)
    return site, translated, kept_out


def restore(site: Path, translated: Path) -> None:
    _discard(site / "locale", site / ".extrans-cache")
    shutil.copytree(translated, site / "locale")


def fill_of(output: str, site: Path, before: set[Path]) -> Fill:
    found = FILLED.search(output)
    new = sorted(set((site / "locale" / "es").rglob("*.po")) - before)
    if found is None:
        return Fill(entries_of(new), 0, 0, 0)
    _, same, similar, several = found.groups()
    return Fill(entries_of(new), int(same), int(similar), int(several or 0))


def generated(pages: int, held: float, runs: int, seed: int) -> None:
    site, translated, kept_out = prepared_site(pages, held, seed)
    before = set((translated / "es").rglob("*.po"))
    before = {site / "locale" / path.relative_to(translated) for path in before}
    empty_trash(settle=True)
    cold: dict[str, list[Timed]] = {policy: [] for policy in POLICIES}
    again: dict[str, list[Timed]] = {policy: [] for policy in POLICIES}
    fill = None
    for run in range(runs):
        for policy in POLICIES if run % 2 == 0 else reversed(POLICIES):
            restore(site, translated)
            set_policy(site, policy)
            os.sync()  # (the copy's writing back is not the run's)
            cold[policy].append(extract(site))
            if policy == "fuzzy":
                fill = fill_of(cold[policy][-1].output, site, before)
            time.sleep(RACY_SECONDS + 0.5)  # (nothing changed, as a user meets it)
            again[policy].append(extract(site))
            print(
                f"  run {run + 1} {policy}: cold {cold[policy][-1].seconds:.2f} s "
                f"({cold[policy][-1].cpu:.1f} s CPU), again {again[policy][-1].seconds:.2f} s"
            )
    print(f"\n{pages:,} pages, {len(kept_out):,} of them new (no catalog), {runs} runs each:")
    for name, runs_of in (("extract cold", cold), ("extract again", again)):
        times = {policy: [one.seconds for one in runs_of[policy]] for policy in POLICIES}
        off, on = statistics.median(times["off"]), statistics.median(times["fuzzy"])
        print(
            f"  {name:14} memory off {off:7.2f} s   memory fuzzy {on:7.2f} s   "
            f"ratio {on / off:.2f}   (off {min(times['off']):.2f}-{max(times['off']):.2f}, "
            f"fuzzy {min(times['fuzzy']):.2f}-{max(times['fuzzy']):.2f})"
        )
    # Each run's two settings ran one after the other: their ratio is less moved by the
    # machine's speed drifting over the benchmark than the ratio of the medians.
    pairs = [b.seconds / a.seconds for a, b in zip(cold["off"], cold["fuzzy"], strict=True)]
    cpu = {policy: statistics.median(one.cpu for one in cold[policy]) for policy in POLICIES}
    print(
        f"  extract cold, each run's pair: ratio median {statistics.median(pairs):.2f} "
        f"({min(pairs):.2f}-{max(pairs):.2f}); CPU median off {cpu['off']:.1f} s, "
        f"fuzzy {cpu['fuzzy']:.1f} s, ratio {cpu['fuzzy'] / cpu['off']:.2f}"
    )
    if fill is not None:
        print(f"  the fill: {fill.describe()}")


def example() -> None:
    """Each page of the example site filled from the others' catalogs."""
    print("\nthe example site, each page's catalog made again from the others:")
    total = Fill(0, 0, 0, 0)
    with tempfile.TemporaryDirectory() as folder:
        for catalog in sorted((REPO / "locale" / "es").glob("exercise-*.po")):
            site = Path(folder) / catalog.stem
            for name in ("content", "locale", "i18n", "data", "hugo.toml", "extrans.toml"):
                copy = shutil.copytree if (REPO / name).is_dir() else shutil.copy
                copy(REPO / name, site / name)
            (site / "locale" / "es" / catalog.name).unlink()
            set_policy(site, "fuzzy")
            fill = fill_of(
                extract(site).output,
                site,
                set((site / "locale" / "es").rglob("*.po"))
                - {site / "locale" / "es" / catalog.name},
            )
            print(f"  {catalog.name:40} {fill.describe()}")
            total = Fill(*(a + b for a, b in zip(
                (total.entries, total.same, total.similar, total.several),
                (fill.entries, fill.same, fill.similar, fill.several),
                strict=True,
            )))  # fmt: skip
    print(f"  all: {total.describe()}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=10000)
    parser.add_argument("--held", type=float, default=0.1, help="share of new pages")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--example", action="store_true", help="also the example site")
    options = parser.parse_args(argv)
    if options.example:
        example()
    if options.pages:
        generated(options.pages, options.held, options.runs, options.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
