"""A per-document time limit that works wherever cleaning runs.

In the main thread of a Unix process a SIGALRM timer interrupts the work
wherever it is, as soon as control returns to Python (not inside one long C
call such as lxml parsing a huge page). Signals can only be handled by the main
thread, so in other threads (a web server's workers, a thread pool), on
platforms without `setitimer`, or when the caller already has a timer running,
the limit is cooperative instead: the pipeline calls `Deadline.check()` between
its stages, and a document can overrun by the length of one stage.
"""

from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager
from typing import Iterator


class TimeLimitExceeded(BaseException):
    """The timed block ran out of time.

    A BaseException, like KeyboardInterrupt, because the timer fires anywhere:
    trafilatura wraps some of its steps in `except Exception`, which would
    swallow an ordinary exception and let the document run on unlimited.
    """


class Deadline:
    """The moment a timed block must end; `check()` raises once it has passed."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self._end = time.monotonic() + seconds if seconds else None

    def check(self) -> None:
        if self._end is not None and time.monotonic() >= self._end:
            raise TimeLimitExceeded


def _raise_timeout(signum, frame) -> None:  # noqa: ARG001 - signal handler signature
    raise TimeLimitExceeded


def can_interrupt() -> bool:
    """True when a SIGALRM timer can interrupt work here (see the module doc)."""
    return (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL)[0] == 0.0
    )


@contextmanager
def time_limit(seconds: float | None) -> Iterator[Deadline]:
    """Run the block under a limit of `seconds` (None or 0: no limit).

    Raises TimeLimitExceeded from inside the block when the timer fires, or
    from `Deadline.check()` when the block checks in after the deadline.
    """
    deadline = Deadline(seconds)
    if not seconds or not can_interrupt():
        yield deadline
        return
    previous = signal.signal(signal.SIGALRM, _raise_timeout)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield deadline
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
