"""Stop a batch between records on Ctrl-C (SIGINT) or SIGTERM.

Python turns SIGINT into KeyboardInterrupt wherever the main thread happens to
be, including halfway through writing a record, and SIGTERM kills the process
outright. Inside `DeferredInterrupts` both raise `Interrupted` instead, at once
while the batch waits or cleans (so a slow page does not delay the exit), but
never inside a `shielded()` block: a signal arriving during a write is held
until the record is whole. Python drops an exception raised where it cannot
propagate (a fork callback as a worker starts, a `__del__`), so the run also
asks `raise_if_requested()` after each record: a stop lost so still ends it.
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Iterator

_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(BaseException):
    """The run was asked to stop. A BaseException, like KeyboardInterrupt, so
    that the per-document `except Exception` guards do not swallow it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum  # the shell's convention: 130 for SIGINT, 143 for SIGTERM


class DeferredInterrupts:
    """Context manager installing the handlers (main thread only; elsewhere a no-op)."""

    def __init__(self) -> None:
        self._previous: dict[int, object] = {}
        self._shield = 0
        self._pending: int | None = None
        self._raised = False
        self.requested: int | None = None  # the signal that asked the run to stop

    def __enter__(self) -> DeferredInterrupts:
        if threading.current_thread() is threading.main_thread():
            for signum in _SIGNALS:
                self._previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(self, *exc_info: object) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)  # type: ignore[arg-type]
        self._previous.clear()

    def _handle(self, signum: int, frame: object) -> None:  # noqa: ARG002 - signal handler signature
        if self._raised:
            return  # already stopping; a second Ctrl-C must not break the clean-up
        self.requested = signum
        if self._shield:
            self._pending = signum
            return
        self._raised = True
        raise Interrupted(signum)

    @contextmanager
    def shielded(self) -> Iterator[None]:
        """Hold signals until the block ends, then act on them."""
        self._shield += 1
        try:
            yield
        finally:
            self._shield -= 1
            if not self._shield and self._pending is not None and not self._raised:
                self._raised = True
                raise Interrupted(self._pending)

    def raise_if_requested(self) -> None:
        """Raise the stop a signal asked for. Called between records: the
        handler raises at once, but where Python drops that exception the
        run went on to its end and exited 0 (a SIGTERM as workers forked),
        deaf to any later signal."""
        if self.requested is not None:
            raise Interrupted(self.requested)
