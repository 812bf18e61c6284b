"""Clean many documents: in order, in parallel, never stopping on a bad one.

`clean_many` is the engine behind `cleaner batch`. With jobs > 1 it runs a pool
of worker processes, each loading the model once, and keeps at most a few
documents per worker in flight, so memory stays flat however long the input.
Results come back in input order. A document that fails yields a
`DocumentError` in its place, so records in always equal records out.
"""

from __future__ import annotations

import os
import signal
import threading
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Iterable, Iterator

from .errors import CleanerError
from .pipeline import DEFAULT_MAX_BYTES, Cleaner
from .result import CleanResult

_CHUNK = 16  # documents per task: amortises the cost of a round trip to a worker
_IN_FLIGHT_PER_JOB = 2  # chunks queued per worker: enough to keep it busy, little memory


@dataclass(frozen=True, slots=True)
class DocumentError:
    """Why one document of a batch could not be cleaned."""

    index: int
    message: str


@dataclass(frozen=True, slots=True)
class BatchSettings:
    """What every worker needs to build its own Cleaner."""

    kind: str = "auto"
    threshold: float | None = None
    keep: tuple[str, ...] = ()
    timeout: float | None = 10.0
    max_bytes: int = DEFAULT_MAX_BYTES


class _TimedOut(BaseException):
    """Not an Exception: `except Exception` in trafilatura or the pipeline must not swallow it."""


def _raise_timeout(signum, frame) -> None:  # noqa: ARG001 - signal handler signature
    raise _TimedOut


@contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    """Interrupt the block after `seconds` (SIGALRM timer). Only the main thread
    may set signal handlers, so elsewhere the block runs without a limit; a
    limit fires when control returns to Python, not inside one long C call."""
    usable = seconds and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return
    previous = signal.signal(signal.SIGALRM, _raise_timeout)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


_worker_cleaner: Cleaner | None = None
_worker_settings: BatchSettings | None = None


def _init_worker(settings: BatchSettings) -> None:
    global _worker_cleaner, _worker_settings
    _worker_settings = settings
    _worker_cleaner = Cleaner(threshold=settings.threshold, keep=list(settings.keep), max_bytes=settings.max_bytes)


Item = str | bytes | tuple[str, str | bytes] | DocumentError
"""A document; or (kind, document) to override the batch's kind; or a
DocumentError for an input that could not even be read, passed through so it
keeps its place in the output."""


def _clean_one(cleaner: Cleaner, settings: BatchSettings, index: int, item: Item) -> CleanResult | DocumentError:
    if isinstance(item, DocumentError):
        return replace(item, index=index)
    kind = settings.kind
    if isinstance(item, tuple):
        kind, item = item
    try:
        with _time_limit(settings.timeout):
            return cleaner.clean(item, kind=kind)
    except _TimedOut:
        return DocumentError(index, f"timed out after {settings.timeout:g} s")
    except CleanerError as exc:
        return DocumentError(index, str(exc))
    except Exception as exc:  # a bug on one page must not end a million-page run
        return DocumentError(index, f"internal error: {type(exc).__name__}: {exc}")


def _work(chunk: list[tuple[int, Item]]) -> list[CleanResult | DocumentError]:
    assert _worker_cleaner is not None and _worker_settings is not None
    results = [_clean_one(_worker_cleaner, _worker_settings, index, document) for index, document in chunk]
    # Per-line decisions stay in the worker: shipping them back would cost more
    # than the cleaning; batch output needs the text and the spans only.
    return [replace(r, blocks=()) if isinstance(r, CleanResult) else r for r in results]


def clean_many(
    documents: Iterable[Item],
    jobs: int = 1,
    kind: str = "auto",
    threshold: float | None = None,
    keep: Iterable[str] = (),
    timeout: float | None = 10.0,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[CleanResult | DocumentError]:
    """Yield one result (or DocumentError) per document, in input order.

    With jobs > 1 the results carry no per-line `blocks` (see `_work`).

    `jobs` worker processes (0 means one per core). `timeout` seconds bound
    each document (None: no limit); a document over it becomes a
    DocumentError, as does one over `max_bytes`. Settings are checked here,
    before any work starts, so a bad threshold fails fast rather than per page.
    """
    settings = BatchSettings(kind, threshold, tuple(keep), timeout, max_bytes)
    local = Cleaner(threshold=threshold, keep=list(settings.keep), max_bytes=max_bytes)
    jobs = (os.cpu_count() or 1) if jobs == 0 else jobs
    if jobs <= 1:
        for index, document in enumerate(documents):
            yield _clean_one(local, settings, index, document)
        return
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(settings,)) as pool:
        pending: deque[Future] = deque()
        chunk: list[tuple[int, Item]] = []
        for index, document in enumerate(documents):
            chunk.append((index, document))
            if len(chunk) == _CHUNK:
                pending.append(pool.submit(_work, chunk))
                chunk = []
                if len(pending) >= jobs * _IN_FLIGHT_PER_JOB:
                    yield from pending.popleft().result()
        if chunk:
            pending.append(pool.submit(_work, chunk))
        while pending:
            yield from pending.popleft().result()
