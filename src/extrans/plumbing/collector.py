"""Python's cyclic garbage collector, paused where a run makes objects that all live on.

A collection walks every object the collector tracks that is younger than its generation,
and the oldest generation's walks take in every object made so far: while a run reads a
cache, gathers a site's translation memory or collects its workers' results, the objects
it makes are kept to the end, and each collection they set off walks them all again and
frees nothing (at 10,000 pages, gathering the memory for extract's second pass took 0.9 s
with collections, 0.45 s without; ``bench/memory.py``). What the paused block makes of no
cycle is freed as usual, by its reference count.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["collector_paused"]


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection in the block (nested blocks are one pause)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
