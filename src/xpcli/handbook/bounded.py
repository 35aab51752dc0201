"""Running the handbook template within bounds: a time limit, an output limit, and MemoryError
or RecursionError as a message, never a traceback or a run of hours.

The template is the catalog's own (a pull request can change it) and the sandbox limits what it
may touch, not how long it runs: `{% for a in range(99999) %}{% for b in range(99999) %}` runs
for hours without printing a character, so the limit is a clock, not an output counter.

The clock is SIGALRM (`signal.setitimer`): its handler raises between two bytecodes of the
running template, which a loop that yields no output cannot dodge. Where there is no SIGALRM
(Windows) or the caller is not the main thread, only the output and memory limits hold.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from xpcli.errors import Term, XpcliError

# The 91-matter Xingping book renders in 0.7 s to 0.8 M characters (mostly inline QR codes): a
# 10,000-matter book stays far inside both limits.
RENDER_SECONDS = 300
MAX_HTML_CHARS = 256 * 1024 * 1024


class _Timeout(BaseException):
    """Raised by the alarm; a BaseException so that no `except Exception` swallows it."""


@contextmanager
def bounded(seconds: float | None = None) -> Iterator[None]:
    """Run the block within `seconds` (RENDER_SECONDS by default); a runaway template becomes
    an XpcliError (exit 2) in the reader's language."""
    limit = RENDER_SECONDS if seconds is None else seconds
    try:
        with _alarm(limit):
            yield
    except _Timeout:
        raise XpcliError("handbook-template-timeout", seconds=limit) from None
    except MemoryError:
        raise XpcliError("handbook-template-stopped", reason=Term("template-memory")) from None
    except RecursionError:
        raise XpcliError("handbook-template-stopped", reason=Term("template-recursion")) from None


def join_limited(chunks: Iterable[str], limit: int | None = None) -> str:
    """The template's output, stopped as soon as it passes `limit` characters."""
    most = MAX_HTML_CHARS if limit is None else limit
    parts: list[str] = []
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > most:
            raise XpcliError("handbook-template-too-long", limit=most)
        parts.append(chunk)
    return "".join(parts)


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def ring(signum: int, frame: object) -> None:
        raise _Timeout

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
