"""The progress bar of `cleaner batch`: for a person watching a terminal, on stderr.

Shown only when stderr is a terminal (never in logs or pipes) and not --quiet.
It reads the run's `Summary`: documents done (with those a resumed run skips),
documents per second, errors, and, when the number of inputs is known
beforehand (files and folders, not streams), a bar and the time left.
"""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from .batch_run import Summary

_EVERY = 0.1  # seconds between redraw requests: updating per record would cost more than cleaning short texts


def wanted(quiet: bool, stream: TextIO | None = None) -> bool:
    stream = stream or sys.stderr
    return not quiet and hasattr(stream, "isatty") and stream.isatty()


class BatchProgress:
    """A rich Progress with one task; `update(summary)` after each record."""

    def __init__(self, total: int | None, stream: TextIO | None = None) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn

        columns = [SpinnerColumn(), TextColumn("{task.fields[done]}")]
        if total is not None:
            columns.insert(1, BarColumn())
        columns.append(TextColumn("{task.fields[rate]}  {task.fields[errors]}  {task.fields[eta]}"))
        self._progress = Progress(*columns, console=Console(file=stream or sys.stderr), transient=True, refresh_per_second=4)
        self._total = total
        self._task = self._progress.add_task("cleaning", total=total, done="0 documents", rate="", errors="", eta="")
        self._last = 0.0
        self._summary: Summary | None = None

    def __enter__(self) -> BatchProgress:
        self._progress.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._summary is not None:
            self._draw(self._summary)  # the last state, not the last throttled one
        self._progress.stop()

    def update(self, summary: Summary) -> None:
        self._summary = summary
        now = time.perf_counter()
        if now - self._last >= _EVERY:
            self._last = now
            self._draw(summary)

    def _draw(self, summary: Summary) -> None:
        done = summary.documents + summary.skipped
        rate = summary.documents / summary.elapsed if summary.elapsed > 0 else 0.0
        fields: dict[str, Any] = {
            "done": f"{done:,}/{self._total:,} documents" if self._total is not None else f"{done:,} documents",
            "rate": f"{rate:,.1f} docs/s",
            "errors": f"{summary.errors:,} errors",
            "eta": "",
        }
        if self._total is not None and rate > 0:
            left = max(self._total - done, 0) / rate
            fields["eta"] = f"ETA {int(left // 60)}:{int(left % 60):02d}"
        self._progress.update(self._task, completed=done, **fields)
