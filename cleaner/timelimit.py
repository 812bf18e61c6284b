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


# After the limit, the timer fires again this often until the block ends.
# Python drops an exception raised where it cannot propagate (a weakref
# callback or a __del__ run by the garbage collector, printed as "Exception
# ignored in ..."): a timer that fired once would then let the document run
# on unlimited. Seen in CI, on a test whose limit was 0.2 s.
REFIRE_SECONDS = 0.05


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


class _HandlerScopes:
    """How many `handler_kept()` blocks are open in the main thread; while
    any is, `_raise_timeout` is the SIGALRM handler and a limit only sets the
    timer (installing and restoring a handler costs several microseconds, a
    few per cent of cleaning a short text)."""

    open = 0


@contextmanager
def handler_kept() -> Iterator[None]:
    """Keep the timeout handler installed across the time limits inside
    (`Cleaner.clean_each` times each document of a chunk in turn). The
    caller's handler is back when the block ends. Where no limit could
    interrupt (see `can_interrupt`: another thread, or the caller's own timer
    running, whose handler must stay), it does nothing."""
    if not can_interrupt():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _raise_timeout) if not _HandlerScopes.open else None
    _HandlerScopes.open += 1
    try:
        yield
    finally:
        _HandlerScopes.open -= 1
        if not _HandlerScopes.open:
            _restore(previous)


class time_limit:  # noqa: N801 - used like the function-style context managers of contextlib
    """Run the block under a limit of `seconds` (None or 0: no limit).

    Raises TimeLimitExceeded from inside the block when the timer fires, or
    from `Deadline.check()` when the block checks in after the deadline.
    A class rather than a generator: it is entered once per document.
    """

    __slots__ = ("deadline", "_previous", "_installed", "_timer")

    def __init__(self, seconds: float | None) -> None:
        self.deadline = Deadline(seconds)
        self._previous: object = None
        self._installed = self._timer = False

    def __enter__(self) -> Deadline:
        seconds = self.deadline.seconds
        if seconds and can_interrupt():
            if not _HandlerScopes.open:
                self._previous, self._installed = signal.signal(signal.SIGALRM, _raise_timeout), True
            self._timer = True
            signal.setitimer(signal.ITIMER_REAL, seconds, REFIRE_SECONDS)
        return self.deadline

    def __exit__(self, *exc_info: object) -> None:
        if self._timer:
            signal.setitimer(signal.ITIMER_REAL, 0)
            if self._installed:
                _restore(self._previous)


def _restore(previous: object) -> None:
    """Put back the SIGALRM handler signal.signal returned (None: one not set
    from Python, for which the default is the nearest Python can do)."""
    signal.signal(signal.SIGALRM, signal.SIG_DFL if previous is None else previous)  # type: ignore[arg-type]
