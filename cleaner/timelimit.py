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


class _Timer:
    """The main thread's SIGALRM state, one for the process: whether a
    `time_limit` block has the timer set (`armed`), how many `handler_kept()`
    blocks are open, and the handler ours replaced while ours is installed.
    One record rather than one per block, so that `settle()` can end
    whatever was left running, from wherever it is called."""

    armed = False
    scopes = 0
    installed = False
    previous: object = None


def _raise_timeout(signum, frame) -> None:  # noqa: ARG001 - signal handler signature
    if _Timer.armed:
        raise TimeLimitExceeded
    # The block ended between this firing and its stopping the timer: stop it
    # here rather than raise into whatever code runs now.
    signal.setitimer(signal.ITIMER_REAL, 0)


def can_interrupt() -> bool:
    """True when a SIGALRM timer can interrupt work here (see the module doc)."""
    return (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL)[0] == 0.0
    )


def _install() -> None:
    if not _Timer.installed:
        _Timer.previous, _Timer.installed = signal.signal(signal.SIGALRM, _raise_timeout), True


def _uninstall() -> None:
    """Put back the SIGALRM handler ours replaced (None: one not set from
    Python, for which the default is the nearest Python can do)."""
    if _Timer.installed:
        previous, _Timer.previous, _Timer.installed = _Timer.previous, None, False
        signal.signal(signal.SIGALRM, signal.SIG_DFL if previous is None else previous)  # type: ignore[arg-type]


def settle() -> None:
    """Stop a timer a `time_limit` block left set, and put the caller's
    handler back unless a `handler_kept()` block is still open; nothing
    when no block is running.

    A block's exit does this itself, but the timer can fire in the few
    instructions between a block's body and its exit (or inside the exit of a
    context manager wrapped around it): the TimeLimitExceeded then comes out
    past the exit, with the timer still set to fire again every
    REFIRE_SECONDS. Whoever catches it calls this. Setting `armed` first
    makes any later firing stop the timer instead of raising. Only the main
    thread's blocks set the timer, so elsewhere there is nothing to settle
    (and another thread's timeout must not stop the main thread's timer)."""
    if threading.current_thread() is not threading.main_thread():
        return
    if _Timer.armed:
        _Timer.armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)
    if not _Timer.scopes:
        _uninstall()


@contextmanager
def handler_kept() -> Iterator[None]:
    """Keep the timeout handler installed across the time limits inside
    (`Cleaner.clean_each` times each document of a chunk in turn): installing
    and restoring a handler costs several microseconds, a few per cent of
    cleaning a short text. The caller's handler is back when the block ends.
    Where no limit could interrupt (see `can_interrupt`: another thread, or
    the caller's own timer running, whose handler must stay), it does nothing."""
    if not can_interrupt():
        yield
        return
    _install()
    _Timer.scopes += 1
    try:
        yield
    finally:
        _Timer.scopes -= 1
        settle()


class time_limit:  # noqa: N801 - used like the function-style context managers of contextlib
    """Run the block under a limit of `seconds` (None or 0: no limit).

    Raises TimeLimitExceeded from inside the block when the timer fires, or
    from `Deadline.check()` when the block checks in after the deadline; a
    caller that catches it calls `settle()` (see there).
    A class rather than a generator: it is entered once per document.
    """

    __slots__ = ("deadline", "_timer")

    def __init__(self, seconds: float | None) -> None:
        self.deadline = Deadline(seconds)
        self._timer = False

    def __enter__(self) -> Deadline:
        seconds = self.deadline.seconds
        if seconds and can_interrupt():
            _install()
            _Timer.armed = self._timer = True
            try:
                signal.setitimer(signal.ITIMER_REAL, seconds, REFIRE_SECONDS)
            except TimeLimitExceeded:  # fired before the block began: it will not see the exit
                settle()
                raise
        return self.deadline

    def __exit__(self, *exc_info: object) -> None:
        if self._timer:
            settle()
