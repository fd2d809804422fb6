"""The HTML status report as a reader sees it at 1,400 pixels, measured in headless Chromium
on the report of a generated 1,000-page site: no date wraps, a legend for the bars shown,
and the table fits the window without horizontal scrolling."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polib
import pytest

from bench.generate import generate
from bench.pseudo import pseudo_file

Run = Callable[..., tuple[int, str, str]]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

MEASURE = """\
(function(){
function lines(el){var tops={},walk=document.createTreeWalker(el,NodeFilter.SHOW_TEXT),node;
 while((node=walk.nextNode())){var r=document.createRange();r.selectNodeContents(node);
  Array.prototype.forEach.call(r.getClientRects(),function(q){if(q.width>0)tops[Math.round(q.top)]=1;});}
 return Object.keys(tops).length;}
function box(el){var r=el.getBoundingClientRect(),s=getComputedStyle(el);
 return {left:r.left,right:r.right,top:r.top,bottom:r.bottom,width:r.width,height:r.height,
  shown:s.display!=="none"&&s.visibility==="visible"&&parseFloat(s.opacity)>0};}
var out={viewport:document.documentElement.clientWidth,height:window.innerHeight,
 scrollWidth:document.documentElement.scrollWidth,table:box(document.getElementById("pages")),
 dates:Array.prototype.map.call(document.querySelectorAll("#pages td.d"),
  function(td){return [td.textContent,lines(td)];}),bars:[],legend:[]};
document.querySelectorAll(".bar span").forEach(function(s){
 if(s.getBoundingClientRect().width>0)out.bars.push(s.className);});
document.querySelectorAll(".legend i").forEach(function(i){var b=box(i);b.kind=i.className;
 b.label=i.parentElement.textContent;b.lines=lines(i.parentElement);out.legend.push(b);});
var pre=document.createElement("pre");pre.id="measured";pre.textContent=JSON.stringify(out);
document.body.appendChild(pre);})();
"""
"""Records what the test asserts into the page, which Chromium's ``--dump-dom`` gives back:
each date cell's lines (the distinct tops of its text's line boxes), the table's box and
the page's scroll width, the bar segments drawn and the legend's swatches."""


def measured(report: str, folder: Path, width: int) -> dict[str, Any]:
    """What :data:`MEASURE` finds in ``report`` in a Chromium window ``width`` pixels wide."""
    assert CHROMIUM is not None
    page = folder / f"status-{width}.html"
    page.write_text(report.replace("</body>", f"<script>{MEASURE}</script></body>"), "utf-8")
    done = subprocess.run(
        [
            CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={folder / f'profile-{width}'}", f"--window-size={width},1000",
            "--dump-dom", page.as_uri(),
        ],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    found = re.search(r'<pre id="measured">(.*?)</pre>', done.stdout, re.DOTALL)
    assert found is not None, done.stderr[-2000:]
    result: dict[str, Any] = json.loads(html.unescape(found.group(1)))
    return result


def _fuzzy_and_broken(site: Path, extrans: Run) -> None:
    """Of the translated pages, 3 get a translation ``check`` rejects (an added ``<script>``:
    broken) and 20 a changed sentence (their entries turn fuzzy)."""
    translated = sorted((site / "locale/es").glob("exercise-[a-c]*.po"))
    assert len(translated) > 30
    for path in translated[:3]:
        catalog = polib.pofile(str(path))
        entry = next(e for e in catalog if e.msgstr and " " in e.msgid)
        entry.msgstr += " <script>alert(1)</script>"
        catalog.save()
    keys = {path.stem for path in translated[3:]}
    changed = 0
    for page in sorted((site / "content/en").rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        key = re.search(r'^translationKey: "([^"]+)"', text, re.MULTILINE)
        head, _, body = text.partition("\n---\n")
        if key and key.group(1) in keys and " the " in body and changed < 20:
            page.write_text(f"{head}\n---\n{body.replace(' the ', ' a ', 1)}", "utf-8")
            changed += 1
    assert changed == 20
    assert extrans(site, "extract")[0] == 0


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium: apt-get install chromium")
def test_the_html_report_of_1000_pages_reads_at_1400_pixels(tmp_path: Path, extrans: Run) -> None:
    site = tmp_path / "site"
    generate(1000, site, seed=3)
    assert extrans(site, "extract")[0] == 0
    assert sum(pseudo_file(path) for path in (site / "locale/es").glob("exercise-[a-m]*.po"))
    _fuzzy_and_broken(site, extrans)
    assert extrans(site, "build")[0] in (0, 1)
    code, report, err = extrans(site, "status", "--format", "html")
    assert code in (0, 1), err
    assert report.count("<tr class=") == 1000

    seen = measured(report, tmp_path, 1400)
    assert 1350 <= seen["viewport"] <= 1400  # (the window, less a scrollbar if it has one)
    assert seen["scrollWidth"] <= seen["viewport"]
    assert seen["table"]["left"] >= 0 and seen["table"]["right"] <= seen["viewport"]
    dates = [(text, lines) for text, lines in seen["dates"] if text.strip()]
    assert len(dates) > 1000  # (every source date, and the built pages' dates)
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d", text) for text, _ in dates)
    assert [text for text, lines in dates if lines != 1] == []
    assert {"ok", "fz", "br"} <= set(seen["bars"])
    legend = {swatch["kind"]: swatch for swatch in seen["legend"]}
    for kind in {*seen["bars"], "un"}:
        swatch = legend[kind]
        assert swatch["shown"] and swatch["width"] > 0 and swatch["height"] > 0, swatch
        assert swatch["left"] >= 0 and swatch["right"] <= seen["viewport"], swatch
        assert swatch["bottom"] <= seen["height"], swatch  # (on the first screen, by the bars)
        assert swatch["lines"] == 1 and swatch["label"].strip(), swatch

    narrow = measured(report, tmp_path, 700)  # (the measure sees overflow where there is some)
    assert narrow["scrollWidth"] > narrow["viewport"]
