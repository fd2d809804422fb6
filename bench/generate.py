"""Generate a deterministic Hugo site of Pilates exercise pages for the benchmark.

``python bench/generate.py --pages N --out DIR [--seed S]`` writes ``DIR/hugo.toml``,
``DIR/extrans.toml`` and ``N`` pages ``DIR/content/en/exercises/<folder>/<slug>.md`` shaped like
the example pages in ``content/en/exercises/``: YAML front matter (about 10% of the pages use TOML
``+++``) with the translated fields and the untranslated ones, and a Markdown body with an intro,
``##`` headings, bold-label bullet lists, numbered lists and paragraphs. About 20% of the pages
also have a GFM table, a fenced code block, a link and Hugo shortcodes. Text is drawn from Pilates
word lists with ``random.Random(seed)``: the same seed and page count give a byte-identical site.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import re
import shutil
import string
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

__all__ = [
    "STAMP",
    "CorpusError",
    "Page",
    "corpus_parameters",
    "generate",
    "main",
    "render_page",
]

STAMP = ".bench-corpus.json"
"""File in the corpus root recording the parameters that made it."""

MAX_PER_FOLDER = 900
"""Pages per section folder at most (well under the ~1,000 a folder should hold)."""

FIELDS = (
    "title",
    "description",
    "keywords[]",
    "steps[]",
    "modifications[].name",
    "modifications[].description",
    "faq[].q",
    "faq[].a",
)

AREAS = (
    "core",
    "back",
    "hips",
    "legs",
    "arms",
    "shoulders",
    "balance",
    "breath",
    "mobility",
    "stretch",
    "strength",
    "flow",
)
PREFIXES = (
    "Single Leg",
    "Double Leg",
    "Side",
    "Kneeling",
    "Standing",
    "Seated",
    "Supine",
    "Prone",
    "Half",
    "Full",
    "Reverse",
    "Open Leg",
    "Long Spine",
    "Short Spine",
    "Criss-Cross",
    "Wall",
)
MOVES = (
    "Roll Up",
    "Roll Over",
    "Leg Circle",
    "Kick",
    "Stretch",
    "Twist",
    "Bridge",
    "Plank",
    "Swan",
    "Saw",
    "Teaser",
    "Scissors",
    "Bicycle",
    "Corkscrew",
    "Rocker",
    "Seal",
    "Swimming",
    "Mermaid",
    "Hundred",
    "Leg Pull",
    "Jackknife",
    "Boomerang",
    "Control Balance",
    "Push Up",
    "Spine Twist",
    "Shoulder Bridge",
    "Hip Twist",
    "Snake",
    "Star",
    "Clam",
    "Cat Stretch",
    "Dart",
    "Leg Lift",
    "Roll Down",
    "Chest Lift",
    "Pelvic Curl",
    "Toe Tap",
    "Side Bend",
    "Rolling Like a Ball",
    "Neck Pull",
)
SUFFIXES = (
    "Prep",
    "Variation",
    "Flow",
    "Series",
    "with Band",
    "on the Ball",
    "with Magic Circle",
    "Modified",
    "Pulses",
    "Hold",
    "Reach",
)
PARTS = (
    "spine",
    "pelvis",
    "ribs",
    "shoulders",
    "shoulder blades",
    "hips",
    "knees",
    "ankles",
    "heels",
    "toes",
    "wrists",
    "elbows",
    "chin",
    "neck",
    "chest",
    "abdominals",
    "glutes",
    "hamstrings",
    "inner thighs",
    "lower back",
    "upper back",
    "sit bones",
    "tailbone",
    "collarbones",
    "feet",
    "arms",
    "legs",
    "hands",
)
VERBS = (
    ("Lengthen", "lengthens", "lengthening"),
    ("Press", "presses", "pressing"),
    ("Reach", "reaches", "reaching"),
    ("Draw", "draws", "drawing"),
    ("Lift", "lifts", "lifting"),
    ("Lower", "lowers", "lowering"),
    ("Rotate", "rotates", "rotating"),
    ("Roll", "rolls", "rolling"),
    ("Extend", "extends", "extending"),
    ("Bend", "bends", "bending"),
    ("Soften", "softens", "softening"),
    ("Anchor", "anchors", "anchoring"),
    ("Float", "floats", "floating"),
    ("Curl", "curls", "curling"),
    ("Peel", "peels", "peeling"),
    ("Stack", "stacks", "stacking"),
    ("Squeeze", "squeezes", "squeezing"),
    ("Open", "opens", "opening"),
    ("Relax", "relaxes", "relaxing"),
    ("Release", "releases", "releasing"),
    ("Sweep", "sweeps", "sweeping"),
    ("Hold", "holds", "holding"),
    ("Slide", "slides", "sliding"),
    ("Turn", "turns", "turning"),
    ("Engage", "engages", "engaging"),
    ("Ground", "grounds", "grounding"),
)
DIRECTIONS = (
    "toward the ceiling",
    "away from your ears",
    "into the mat",
    "toward your spine",
    "over your hips",
    "past your toes",
    "along the floor",
    "behind you",
    "to the side",
    "on the diagonal",
    "in one long line",
    "up and over",
    "down with control",
    "one vertebra at a time",
    "toward the wall in front of you",
    "under your shoulders",
)
MANNERS = (
    "slowly",
    "with control",
    "without gripping",
    "on the exhale",
    "on the inhale",
    "as you breathe out",
    "while the pelvis stays still",
    "keeping the neck long",
    "with a steady breath",
    "without losing the imprint",
    "as if moving through water",
    "smoothly and evenly",
)
ADJECTIVES = (
    "long",
    "heavy",
    "steady",
    "quiet",
    "lifted",
    "neutral",
    "soft",
    "strong",
    "relaxed",
    "square",
    "stable",
    "wide",
    "level",
    "open",
)
QUALITIES = (
    "core strength",
    "spinal mobility",
    "balance",
    "hip stability",
    "shoulder stability",
    "breath control",
    "flexibility",
    "coordination",
    "endurance",
    "posture",
    "body awareness",
    "precision",
    "control",
    "spinal articulation",
    "posterior chain strength",
    "pelvic stability",
)
KIND = (
    "mat exercise",
    "classical movement",
    "preparatory exercise",
    "flowing sequence",
    "strengthening exercise",
    "gentle stretch",
    "balance challenge",
    "warm-up",
)
AUDIENCES = (
    "beginners",
    "experienced students",
    "anyone who sits all day",
    "runners",
    "dancers",
    "new mothers after clearance from a doctor",
    "older adults",
    "athletes in the off-season",
)
SYMPTOMS = (
    ("hurt", "hurts"),
    ("shake", "shakes"),
    ("lift off the mat", "lifts off the mat"),
    ("feel tight", "feels tight"),
    ("cramp", "cramps"),
    ("drop", "drops"),
)
MODIFICATIONS = (
    "Bent Knees",
    "Hold Only",
    "Smaller Range",
    "Hands Down",
    "Head Down",
    "Add a Pulse",
    "Add Resistance",
    "With a Strap",
    "Feet Flexed",
    "Longer Lever",
    "Slower Tempo",
    "Single Arm",
    "Eyes Closed",
    "Wider Stance",
    "On a Cushion",
    "Against the Wall",
    "Tabletop Legs",
    "Arms Overhead",
)
HEADINGS = (
    "Strengthen Your {Area}",
    "Why It Works",
    "Set Up Well",
    "Find Your Alignment",
    "Breathe and Move",
    "Control Over Momentum",
    "Build Heat Slowly",
    "Where to Feel It",
    "Before You Begin",
    "A Note on Breathing",
    "Progressing Safely",
    "The Shape of the Movement",
)
LEVELS = ("beginner", "intermediate", "advanced")
EQUIPMENT = ("mat", "band", "magic circle", "small ball", "foam roller", "strap", "wall")
MUSCLES = (
    "rectus abdominis",
    "transverse abdominis",
    "obliques",
    "glutes",
    "hamstrings",
    "quadriceps",
    "hip flexors",
    "spinal extensors",
    "triceps",
    "shoulders",
    "adductors",
    "core",
)


class CorpusError(Exception):
    """The output folder cannot be used."""


@dataclass(frozen=True, slots=True)
class Page:
    """One generated page: where it goes, and its text."""

    path: str
    """Relative to the site root, with ``/`` separators."""
    text: str


@dataclass(slots=True)
class _Writer:
    """Sentence builders over one random stream."""

    rng: random.Random
    titles: list[tuple[str, str]] = field(default_factory=list)
    """(title, url) of the pages made so far, for links."""

    def pick(self, items: Sequence[str]) -> str:
        return self.rng.choice(items)

    def verb(self) -> tuple[str, str, str]:
        return self.rng.choice(VERBS)

    def instruction(self) -> str:
        """An imperative sentence without the final period: ``Press your heels into the mat``."""
        verb = self.verb()[0]
        text = f"{verb} your {self.pick(PARTS)} {self.pick(DIRECTIONS)}"
        roll = self.rng.random()
        if roll < 0.35:
            text += f", keeping the {self.pick(PARTS)} {self.pick(ADJECTIVES)}"
        elif roll < 0.6:
            text += f" {self.pick(MANNERS)}"
        return text

    def step(self, last: bool) -> str:
        text = self.instruction()
        if last:
            low = self.rng.randint(3, 8)
            text += f". Repeat {low}-{low + self.rng.randint(1, 4)} times"
            if self.rng.random() < 0.5:
                text += " per side"
        return text

    def statement(self, title: str) -> str:
        """A declarative sentence with its period."""
        verb = self.verb()
        choice = self.rng.randrange(7)
        if choice == 0:
            return (
                f"{title} {verb[1]} the {self.pick(PARTS)} while "
                f"{self.verb()[2]} the {self.pick(PARTS)}."
            )
        if choice == 1:
            return (
                f"It is a {self.pick(ADJECTIVES)} {self.pick(KIND)} for "
                f"{self.pick(AUDIENCES)}, and it builds {self.pick(QUALITIES)}."
            )
        if choice == 2:
            return f"{self.instruction()} before you move on to the next phase."
        if choice == 3:
            return (
                f"Most people feel it first in the {self.pick(PARTS)}, "
                f"then in the {self.pick(PARTS)} as the set goes on."
            )
        if choice == 4:
            return (
                f"Think of {verb[2]} the {self.pick(PARTS)} {self.pick(DIRECTIONS)} "
                f"rather than forcing the shape."
            )
        if choice == 5:
            return (
                f"The breath sets the pace: inhale to prepare and exhale to move "
                f"{self.pick(MANNERS)}."
            )
        return (
            f"Quality matters more than range, so keep the {self.pick(PARTS)} "
            f"{self.pick(ADJECTIVES)} and stop before you lose form."
        )

    def paragraph(self, title: str, sentences: int) -> str:
        return " ".join(self.statement(title) for _ in range(sentences))

    def description(self, level: str) -> str:
        return (
            f"A {self.pick(ADJECTIVES)} {level} {self.pick(KIND)} that {self.verb()[1]} the "
            f"{self.pick(PARTS)} and builds {self.pick(QUALITIES)} and {self.pick(QUALITIES)}."
        )

    def question(self, title: str) -> str:
        part = self.pick(PARTS)
        choice = self.rng.randrange(7)
        if choice == 0:
            return f"My {part} {self.rng.choice(SYMPTOMS)[0]} during this exercise. What can I do?"
        if choice == 1:
            return "How many repetitions should I do?"
        if choice == 2:
            return f"Is {title} safe during pregnancy?"
        if choice == 3:
            return f"Can I practise {title} every day?"
        if choice == 4:
            return f"What should I feel in my {part}?"
        if choice == 5:
            return f"How do I stop my {part} from {self.verb()[2]} too early?"
        return f"I can't keep my {part} {self.pick(ADJECTIVES)}. Why?"

    def answer(self, modification: str) -> str:
        text = f"{self.instruction()}, then {self.verb()[0].lower()} the {self.pick(PARTS)}."
        roll = self.rng.random()
        if roll < 0.4:
            symptom = self.rng.choice(SYMPTOMS)[1]
            text += f" If it still {symptom}, try {modification} first."
        elif roll < 0.7:
            text += f" Progress only when you can do it {self.pick(MANNERS)}."
        return text


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def _title(writer: _Writer, seen: dict[str, int]) -> str:
    rng = writer.rng
    parts = []
    if rng.random() < 0.5:
        parts.append(writer.pick(PREFIXES))
    parts.append(writer.pick(MOVES))
    if rng.random() < 0.6:
        parts.append(writer.pick(SUFFIXES))
    title = " ".join(parts)
    count = seen.get(title, 0) + 1
    seen[title] = count
    return title if count == 1 else f"{title} {count}"


def _quote(value: str) -> str:
    """A double-quoted YAML/TOML string; generated text has no quote or backslash."""
    assert '"' not in value and "\\" not in value
    return f'"{value}"'


def _flow(values: Sequence[str]) -> str:
    return "[" + ", ".join(_quote(v) for v in values) + "]"


@dataclass(frozen=True, slots=True)
class _Meta:
    """A page's front-matter values."""

    title: str
    key: str
    description: str
    created: date
    modified: date
    keywords: list[str]
    equipment: list[str]
    muscles: list[str]
    difficulty: str
    duration: int
    steps: list[str]
    modifications: list[tuple[str, str, str]]
    faq: list[tuple[str, str]]
    image: str


def _yaml(meta: _Meta) -> str:
    lines = [
        "---",
        f"title: {_quote(meta.title)}",
        f"translationKey: {_quote(meta.key)}",
        f"description: {_quote(meta.description)}",
        f"date: {meta.created.isoformat()}",
        f"lastmod: {meta.modified.isoformat()}",
        "",
        f"keywords: {_flow(meta.keywords)}",
        "",
        f"equipment: {_flow(meta.equipment)}",
        f"muscles: {_flow(meta.muscles)}",
        f"difficulty: {_quote(meta.difficulty)}",
        f"duration: {meta.duration}",
        "",
        "steps:",
        *(f"  - {_quote(step)}" for step in meta.steps),
        "",
        "modifications:",
    ]
    for name, level, description in meta.modifications:
        lines += [
            f"  - name: {_quote(name)}",
            f"    level: {_quote(level)}",
            f"    description: {_quote(description)}",
        ]
    lines += ["", "faq:"]
    for question, answer in meta.faq:
        lines += [f"  - q: {_quote(question)}", f"    a: {_quote(answer)}"]
    lines += ["", 'author: "GirlPilates Team"', f"image: {_quote(meta.image)}", "---"]
    return "\n".join(lines)


def _toml(meta: _Meta) -> str:
    lines = [
        "+++",
        f"title = {_quote(meta.title)}",
        f"translationKey = {_quote(meta.key)}",
        f"description = {_quote(meta.description)}",
        f"date = {meta.created.isoformat()}",
        f"lastmod = {meta.modified.isoformat()}",
        f"keywords = {_flow(meta.keywords)}",
        "",
        f"equipment = {_flow(meta.equipment)}",
        f"muscles = {_flow(meta.muscles)}",
        f"difficulty = {_quote(meta.difficulty)}",
        f"duration = {meta.duration}",
        "",
        "steps = [",
        *(f"  {_quote(step)}," for step in meta.steps),
        "]",
        "",
        'author = "GirlPilates Team"',
        f"image = {_quote(meta.image)}",
    ]
    for name, level, description in meta.modifications:
        lines += [
            "",
            "[[modifications]]",
            f"name = {_quote(name)}",
            f"level = {_quote(level)}",
            f"description = {_quote(description)}",
        ]
    for question, answer in meta.faq:
        lines += ["", "[[faq]]", f"q = {_quote(question)}", f"a = {_quote(answer)}"]
    lines.append("+++")
    return "\n".join(lines)


def _extras(writer: _Writer, title: str) -> list[str]:
    """The blocks a share of the pages carry: shortcodes, a table, a code block, a link."""
    rng = writer.rng
    video = "".join(rng.choice(string.ascii_letters + string.digits + "-_") for _ in range(11))
    blocks = [
        f"{{{{< youtube {video} >}}}}",
        "\n".join(
            [
                "{{% note %}}",
                f"Keep your {writer.pick(PARTS)} **{writer.pick(ADJECTIVES)} and "
                f"{writer.pick(ADJECTIVES)}** on the mat throughout.",
                writer.statement(title),
                "{{% /note %}}",
            ]
        ),
        "## Weekly Practice Plan",
        "| Week | Repetitions | Focus |\n| ---- | ----------- | ----- |\n"
        + "\n".join(
            f"| {week} | {rng.randint(3, 8)} | **{writer.verb()[2].capitalize()}** the "
            f"{writer.pick(PARTS)} {writer.pick(MANNERS)} |"
            for week in range(1, rng.randint(3, 5) + 1)
        ),
        "Count the breath as you move:",
        "```text\n"
        + "\n".join(
            f"{breath:<7} {' - '.join(str(n) for n in range(1, count + 1)):<16} "
            f"{writer.verb()[0].lower()} the {writer.pick(PARTS)}"
            for breath, count in (("Inhale", 3), ("Exhale", 4), ("Inhale", 3), ("Exhale", 4))
        )
        + "\n```",
    ]
    if writer.titles:
        other, url = rng.choice(writer.titles)
        blocks.append(
            f"Pair it with [{other}]({url}) for a balanced session, and use "
            f"`{writer.pick(AREAS)}` as the class tag."
        )
    return blocks


def render_page(writer: _Writer, index: int, folder: str, seen: dict[str, int]) -> Page:
    """Make page number ``index`` (its text depends on everything drawn before it)."""
    rng = writer.rng
    title = _title(writer, seen)
    slug = _slug(title)
    level = writer.pick(LEVELS)
    start = date(2022, 1, 1) + timedelta(days=rng.randrange(1200))
    modifications = []
    for name in rng.sample(MODIFICATIONS, rng.randint(2, 4)):
        modifications.append((name, rng.choice(("easier", "harder")), writer.instruction()))
    step_count = rng.randint(4, 7)
    meta = _Meta(
        title=title,
        key=f"exercise-{slug}",
        description=writer.description(level),
        created=start,
        modified=start + timedelta(days=rng.randrange(400)),
        keywords=[title.lower(), *rng.sample(QUALITIES, 3)],
        equipment=rng.sample(EQUIPMENT, rng.randint(1, 2)),
        muscles=rng.sample(MUSCLES, rng.randint(2, 4)),
        difficulty=level,
        duration=rng.choice((30, 45, 60, 90, 100)),
        steps=[writer.step(n == step_count - 1) for n in range(step_count)],
        modifications=modifications,
        faq=[
            (writer.question(title), writer.answer(modifications[0][0]))
            for _ in range(rng.randint(2, 4))
        ],
        image=f"/images/exercises/{slug}.jpg",
    )
    front = _toml(meta) if rng.random() < 0.1 else _yaml(meta)
    area = folder.split("-")[0]
    blocks = [writer.paragraph(title, rng.randint(2, 4))]
    heading = writer.pick(HEADINGS).replace("{Area}", area.capitalize())
    blocks += [f"## {heading}", writer.paragraph(title, rng.randint(1, 3))]
    if rng.random() < 0.2:
        blocks += _extras(writer, title)
    blocks += [
        "## Benefits",
        "\n".join(
            f"- **{quality.title()}**: {writer.verb()[1].capitalize()} the "
            f"{writer.pick(PARTS)} {writer.pick(MANNERS)}"
            for quality in rng.sample(QUALITIES, rng.randint(3, 5))
        ),
        "## Common Mistakes to Avoid",
        "\n".join(
            f"{n}. **{writer.verb()[2].capitalize()} the {writer.pick(PARTS)}** - "
            f"{writer.instruction()}"
            for n in range(1, rng.randint(3, 5) + 1)
        ),
    ]
    if rng.random() < 0.5:
        blocks += [f"## {writer.pick(HEADINGS).replace('{Area}', area.capitalize())}"]
        blocks += [writer.paragraph(title, rng.randint(2, 4))]
    blocks += [
        "## Tips for Success",
        "\n".join(f"- {writer.instruction()}" for _ in range(rng.randint(2, 4))),
    ]
    url = f"/exercises/{folder}/{slug}/"
    writer.titles.append((title, url))
    text = front + "\n\n" + "\n\n".join(blocks) + "\n"
    return Page(f"content/en/exercises/{folder}/{slug}.md", text)


def _folders(pages: int) -> list[str]:
    count = max(len(AREAS), math.ceil(pages / MAX_PER_FOLDER))
    return [
        AREAS[n % len(AREAS)] + ("" if n < len(AREAS) else f"-{n // len(AREAS) + 1}")
        for n in range(count)
    ]


def corpus_parameters(pages: int, seed: int) -> dict[str, object]:
    """What decides the corpus: the page count, the seed and this file's source."""
    source = Path(__file__).read_bytes()
    return {
        "pages": pages,
        "seed": seed,
        "generator": hashlib.sha256(source).hexdigest(),
    }


HUGO_TOML = """\
baseURL = "https://example.org/"
title = "GirlPilates"
defaultContentLanguage = "en"
defaultContentLanguageInSubdir = false

[languages.en]
contentDir = "content/en"
languageName = "English"
weight = 1

[languages.es]
contentDir = "content/es"
languageName = "Español"
weight = 2
"""


def generate(pages: int, out: Path, seed: int = 1) -> list[Page]:
    """Write the site into ``out`` (which must be empty, missing, or an earlier corpus) and
    return its pages."""
    if out.exists():
        if (out / STAMP).is_file():
            shutil.rmtree(out)
        elif out.is_dir() and any(out.iterdir()):
            raise CorpusError(f"{out}: not empty and not a generated corpus; choose another")
    rng = random.Random(seed)
    writer = _Writer(rng)
    folders = _folders(pages)
    seen: dict[str, int] = {}
    made: list[Page] = []
    used: set[str] = set()
    for index in range(pages):
        page = render_page(writer, index, folders[index % len(folders)], seen)
        assert page.path not in used, page.path
        used.add(page.path)
        made.append(page)
    out.mkdir(parents=True, exist_ok=True)
    for page in made:
        target = out / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(page.text.encode("utf-8"))
    (out / "hugo.toml").write_bytes(HUGO_TOML.encode("utf-8"))
    fields = ", ".join(f'"{f}"' for f in FIELDS)
    (out / "extrans.toml").write_bytes(
        f"# Generated by bench/generate.py.\nfields = [{fields}]\n".encode()
    )
    stamp = json.dumps(corpus_parameters(pages, seed), indent=2, sort_keys=True) + "\n"
    (out / STAMP).write_bytes(stamp.encode("utf-8"))
    return made


def main(argv: Sequence[str] | None = None) -> int:
    """The command line; returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--pages", type=int, required=True, help="number of pages")
    parser.add_argument("--out", type=Path, required=True, help="the site folder to write")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = parser.parse_args(argv)
    if args.pages < 1:
        parser.error("--pages must be at least 1")
    try:
        made = generate(args.pages, args.out, args.seed)
    except CorpusError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(f"wrote {len(made)} pages to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
