"""Python's cyclic garbage collector, paused where a run makes objects that all live on.

A collection walks every object the collector tracks that is younger than its generation,
and the oldest generation's walks take in every object made so far: while a run reads a
cache, gathers a site's translation memory or collects its workers' results, the objects
it makes are kept to the end, and each collection they set off walks them all again and
frees nothing (at 10,000 pages, gathering the memory for extract's second pass took 0.9 s
with collections, 0.45 s without; ``bench/memory.py``). What the paused block makes of no
cycle is freed as usual, by its reference count.

Objects made while the collector is paused are still young to it: the first collections
after the pause walk them all, and move them to the older generations, whose next full
collection walks them again (1 s of extract's run at 10,000 pages, after its memory and its
workers' results). A block that makes millions of objects for the rest of a run *keeps*
them: they are frozen out of every later collection (``gc.freeze``) until the run that
kept them ends (:func:`kept_until_end`).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["collector_paused", "kept_until_end"]


@contextlib.contextmanager
def collector_paused(*, keep: bool = False) -> Iterator[None]:
    """No cyclic garbage collection in the block (nested blocks are one pause); with
    ``keep``, every object alive at its end is frozen out of later collections, to be given
    back by the :func:`kept_until_end` block around it."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
        if keep:
            gc.freeze()
    finally:
        if collecting:
            gc.enable()


@contextlib.contextmanager
def kept_until_end() -> Iterator[None]:
    """A run whose paused blocks keep what they made: at its end, every frozen object is
    given back to the collector (``gc.unfreeze``), to be collected as usual once it is
    garbage. In a process that had frozen objects of its own before the run, everything
    stays frozen: the collector cannot give back only the run's."""
    frozen_before = gc.get_freeze_count()
    try:
        yield
    finally:
        if not frozen_before:
            gc.unfreeze()
