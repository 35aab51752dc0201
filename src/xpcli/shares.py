"""Work on two cores: this process takes shares of a list from its start, a forked process
takes shares from its end, until they meet.

Shares are taken, not split in halves in advance: this process has other work too (building
records, running rules) and another program may hold a core; with halves the main process of
`xpcli validate` stayed busy 0.9 s longer than its worker on 10,000 matters. What the forked
process makes is sent back pickled, so it should be compact (bytes, plain data).
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

Share = TypeVar("Share")
Here = TypeVar("Here")
There = TypeVar("There")


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


class Done(Generic[Here, There]):
    """What each process made of each share, by the share's index."""

    def __init__(self, here: dict[int, Here], there: dict[int, There]) -> None:
        self.here = here
        self.there = there


def share_out(
    shares: Sequence[Share],
    here: Callable[[Share], Here],
    there: Callable[[Share], There],
    first: Callable[[], object] = lambda: None,
) -> Done[Here, There]:
    """Each share goes through `here` in this process or `there` in a forked one, never both;
    `first` runs here before this process takes any share."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    ends = context.Array("i", [0, len(shares) - 1])
    with context.Pool(1, initializer=_worker, initargs=(ends, shares, there)) as pool:
        theirs = pool.apply_async(_from_end)
        first()
        mine = {}
        while (i := _take(ends, from_start=True)) is not None:
            mine[i] = here(shares[i])
        return Done(mine, dict(theirs.get()))


def _take(ends: Any, from_start: bool) -> int | None:
    """The next share from the start (or the end) that neither process took yet."""
    with ends.get_lock():
        start, end = ends[0], ends[1]
        if start > end:
            return None
        if from_start:
            ends[0] = start + 1
            return int(start)
        ends[1] = end - 1
        return int(end)


_work: tuple[Any, Sequence[Any], Callable[[Any], Any]] | None = None  # in the forked process


def _worker(ends: Any, shares: Sequence[Any], there: Callable[[Any], Any]) -> None:
    global _work
    _work = (ends, shares, there)
    # A collection would touch every inherited object and copy its memory page; what the
    # worker builds has no reference cycle.
    gc.disable()


def _from_end() -> list[tuple[int, Any]]:
    assert _work is not None
    ends, shares, there = _work
    made = []
    while (i := _take(ends, from_start=False)) is not None:
        made.append((i, there(shares[i])))
    return made
