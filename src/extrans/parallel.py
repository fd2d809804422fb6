"""Spread per-page work over processes, with results in page order."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

__all__ = ["default_jobs", "map_in_order", "worker_context"]

Item = TypeVar("Item")
Result = TypeVar("Result")

_context: Any = None


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _install(context: object) -> None:
    global _context
    _context = context


def worker_context() -> Any:
    """The context the current worker was started with."""
    return _context


def map_in_order(
    function: Callable[[Item], Result],
    items: Iterable[Item],
    *,
    jobs: int,
    context: object,
    small: int = 64,
) -> Iterator[Result]:
    """``function`` over ``items`` in ``jobs`` processes (in this one for ``jobs == 1`` or
    fewer than ``small`` items, where starting processes would cost more than it saves).
    ``function`` reads shared, read-only data with :func:`worker_context`."""
    work = list(items)
    if jobs <= 1 or len(work) < small:
        _install(context)
        yield from map(function, work)
        return
    import multiprocessing

    # fork: the workers start with everything already imported
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with multiprocessing.get_context(method).Pool(
        jobs, initializer=_install, initargs=(context,)
    ) as pool:
        # Chunks small enough that the last ones end close together (a page takes a
        # millisecond or two), large enough that handing them out costs little.
        yield from pool.imap(function, work, chunksize=max(1, min(8, len(work) // (jobs * 8))))
