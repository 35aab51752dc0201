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
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from xpcli.errors import XpcliError

Share = TypeVar("Share")
Here = TypeVar("Here")
There = TypeVar("There")


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def share_out(
    shares: Sequence[Share],
    here: Callable[[Share], Here],
    there: Callable[[Share], There],
    back: Callable[[Share, There], Here],
    first: Callable[[], object] = lambda: None,
) -> list[Here]:
    """`here(share)` for every share, in order: made in this process, or made by `there` in a
    forked one and turned back by `back` here. `first` runs here before any share is taken."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    ends = context.Array("i", [0, len(shares) - 1])
    made: dict[int, Here] = {}
    others = {child.pid for child in multiprocessing.active_children()}
    with context.Pool(1, initializer=_worker, initargs=(ends, shares, there)) as pool:
        worker = {child.pid for child in multiprocessing.active_children()} - others
        # One task a share: what the worker made comes back share by share and is turned back
        # between this process's own shares, so that work is shared out too. Sent all at once
        # at the end, it kept this process 0.3 s busy after its worker had finished (10,000
        # matters: unpickling, then building the records).
        tasks = deque(pool.apply_async(_one_from_end) for _ in shares)
        first()
        while (i := _take(ends, from_start=True)) is not None:
            made[i] = here(shares[i])
            while tasks and tasks[0].ready():
                _turn_back(tasks.popleft().get(), shares, back, made)
        for task in tasks:
            _turn_back(_answer(task, worker), shares, back, made)
    return [made[i] for i in range(len(shares))]


def _answer(task: Any, worker: set[int | None]) -> Any:
    """The task's result, or an error once the worker is gone (killed: the pool would start
    another and wait for ever for the task the first one held)."""
    import multiprocessing

    while not task.ready():
        task.wait(0.5)
        alive = {child.pid for child in multiprocessing.active_children()}
        if not task.ready() and not worker <= alive:
            raise XpcliError("read-worker-gone")
    return task.get()


def _turn_back(
    theirs: tuple[int, There] | None,
    shares: Sequence[Share],
    back: Callable[[Share, There], Here],
    made: dict[int, Here],
) -> None:
    if theirs is not None:
        i, result = theirs
        made[i] = back(shares[i], result)


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


def _one_from_end() -> tuple[int, Any] | None:
    """The next share from the end, made; None once the processes have met."""
    assert _work is not None
    ends, shares, there = _work
    i = _take(ends, from_start=False)
    return None if i is None else (i, there(shares[i]))
