"""Benchmark extrans's fuzzy matching: an extract where every paragraph changed a word.

``python bench/fuzzy.py [--entries 5000] [--pages 250 500] [--per-page 100] [--runs 3]`` times
two cases, each the median of ``--runs`` runs after one warm-up, process start included:

- **one long page**: a page of ``--entries`` paragraphs, translated (pseudo-translation), then
  one word changed in each; ``extrans extract`` against ``msgmerge --previous`` on the same
  catalog and the template extrans wrote, and the ratio of the two;
- **a site**: ``--pages`` sizes of ``--per-page`` paragraphs a page, every paragraph changed
  the same way; ``extrans extract`` at each size, and how its time grows with the size.

Before each timed run the catalogs and ``.extrans-cache/`` are put back as they were after the
translation, so every run does the same merge. Text is drawn from ``generate.py``'s Pilates
word lists with ``random.Random(seed)``: the same options give the same sites. It must run with
the Python of extrans's environment (the pseudo-translation imports extrans); the sites go to
``bench/.corpus/fuzzy/``.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generate import HUGO_TOML, _Writer
from pseudo import pseudo_file

BENCH = Path(__file__).resolve().parent
CORPUS = BENCH / ".corpus" / "fuzzy"
REPLACEMENTS = ("gently", "slowly", "firmly", "softly", "fully", "calmly")


@dataclass(frozen=True, slots=True)
class Timing:
    """The timed runs of one command."""

    name: str
    runs: tuple[float, ...]
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.runs)


def paragraphs(count: int, seed: int) -> list[str]:
    """``count`` distinct paragraphs of two to four sentences."""
    writer = _Writer(random.Random(seed))
    made: dict[str, None] = {}
    while len(made) < count:
        made[writer.paragraph("The Hundred", writer.rng.randint(2, 4))] = None
    return list(made)


def change_a_word(text: str, rng: random.Random) -> str:
    """``text`` with one word (not the first) replaced by another."""
    words = text.split(" ")
    at = rng.randrange(1, len(words))
    words[at] = rng.choice([w for w in REPLACEMENTS if w != words[at]])
    return " ".join(words)


def page_text(title: str, body: Sequence[str]) -> str:
    return f'---\ntitle: "{title}"\n---\n\n' + "\n\n".join(body) + "\n"


def make_site(root: Path, pages: Sequence[Sequence[str]], extrans: str) -> None:
    """A site of ``pages``, extracted and translated, then every paragraph changed a word;
    what extract found is kept in ``saved/`` to be put back before each run."""
    if root.exists():
        shutil.rmtree(root)
    (root / "content" / "en").mkdir(parents=True)
    (root / "hugo.toml").write_text(HUGO_TOML, encoding="utf-8")
    (root / "extrans.toml").write_text('fields = ["title"]\n', encoding="utf-8")
    for number, body in enumerate(pages):
        path = root / "content" / "en" / f"page-{number:04}.md"
        path.write_text(page_text(f"Page {number}", body), encoding="utf-8")
    subprocess.run([extrans, "--site", str(root), "extract"], check=True, capture_output=True)
    for catalog in sorted((root / "locale" / "es").glob("*.po")):
        pseudo_file(catalog)
    for name in ("locale", ".extrans-cache"):
        shutil.copytree(root / name, root / "saved" / name)
    rng = random.Random(len(pages))
    for number, body in enumerate(pages):
        changed = [change_a_word(text, rng) for text in body]
        path = root / "content" / "en" / f"page-{number:04}.md"
        path.write_text(page_text(f"Page {number}", changed), encoding="utf-8")


def restore(root: Path) -> None:
    for name in ("locale", ".extrans-cache"):
        shutil.rmtree(root / name, ignore_errors=True)
        shutil.copytree(root / "saved" / name, root / name)


def timed(command: Sequence[str], root: Path, runs: int) -> tuple[float, ...]:
    """Wall times of ``runs`` runs of ``command`` after a warm-up, each from the state saved
    by :func:`make_site`."""
    times: list[float] = []
    for run in range(runs + 1):
        restore(root)
        os.sync()
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=root)
        if run:
            times.append(time.perf_counter() - started)
    return tuple(times)


def fuzzy_entries(catalog: Path) -> int:
    return catalog.read_text(encoding="utf-8").count("#, fuzzy")


def long_page(entries: int, runs: int, extrans: str) -> list[Timing]:
    """One page of ``entries`` changed paragraphs: extrans against msgmerge."""
    root = CORPUS / f"page-{entries}"
    make_site(root, [paragraphs(entries, 1)], extrans)
    extract = timed([extrans, "--site", str(root), "extract"], root, runs)
    ours = fuzzy_entries(root / "locale" / "es" / "page-0000.po")
    shutil.copy(root / "locale" / "templates" / "page-0000.pot", root / "new.pot")
    shutil.copy(root / "saved" / "locale" / "es" / "page-0000.po", root / "old.po")
    merge = ["msgmerge", "--previous", "-q", "old.po", "new.pot", "-o", "merged.po"]
    peer = timed(merge, root, runs)
    theirs = fuzzy_entries(root / "merged.po")
    return [
        Timing(f"extrans extract, 1 page of {entries}", extract, f"{ours} fuzzy"),
        Timing(f"msgmerge --previous, same {entries}", peer, f"{theirs} fuzzy"),
    ]


def site(pages: int, per_page: int, runs: int, extrans: str) -> Timing:
    """``pages`` pages of ``per_page`` changed paragraphs each."""
    root = CORPUS / f"site-{pages}x{per_page}"
    texts = paragraphs(pages * per_page, 2)
    make_site(root, [texts[i : i + per_page] for i in range(0, len(texts), per_page)], extrans)
    extract = timed([extrans, "--site", str(root), "extract"], root, runs)
    fuzzy = sum(fuzzy_entries(p) for p in (root / "locale" / "es").glob("*.po"))
    return Timing(f"extrans extract, {pages} pages of {per_page}", extract, f"{fuzzy} fuzzy")


def describe(timing: Timing) -> str:
    spread = f"{min(timing.runs):.2f}-{max(timing.runs):.2f}"
    runs = len(timing.runs)
    return f"| {timing.name} | {timing.median:.2f} | {spread} | {runs} | {timing.note} |"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--pages", type=int, nargs="*", default=[250, 500])
    parser.add_argument("--per-page", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--extrans", default=str(Path(sys.executable).parent / "extrans"))
    options = parser.parse_args(argv)
    print("| task | median s | min-max | runs | result |\n|---|---|---|---|---|")
    page = long_page(options.entries, options.runs, options.extrans)
    for timing in page:
        print(describe(timing), flush=True)
    sites = [site(n, options.per_page, options.runs, options.extrans) for n in options.pages]
    for timing in sites:
        print(describe(timing), flush=True)
    print(f"\nextrans / msgmerge, one page: {page[0].median / page[1].median:.2f}")
    for smaller, larger in itertools.pairwise(sites):
        growth = larger.median / smaller.median
        print(f"{larger.name} / {smaller.name}: {growth:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
