"""Clean many documents: in order or as they finish, in parallel, never stopping on a bad one.

`clean_many` is the engine behind `cleaner batch`. With jobs > 1 it runs a pool
of worker processes, each loading the model once, and keeps at most a few
chunks per worker in flight, so memory stays flat however long the input: the
input iterable is read only as fast as workers free up, and nothing about a
finished document is kept. A document that fails yields a `DocumentError` in
its place, so records in always equal records out.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any, Iterable, Iterator, TypeVar

from .errors import CleanerError
from .pipeline import Cleaner
from .result import CleanResult

_CHUNK = 16  # documents per task: amortises the cost of a round trip to a worker
_IN_FLIGHT_PER_JOB = 2  # chunks queued per worker: enough to keep it busy, little memory

Tag = TypeVar("Tag")


@dataclass(frozen=True, slots=True)
class DocumentError:
    """Why one document of a batch could not be cleaned."""

    index: int
    message: str


Result = CleanResult | DocumentError


@dataclass(frozen=True, slots=True)
class BatchSettings:
    """What every worker needs to build its own Cleaner."""

    kind: str = "auto"
    threshold: float | None = None
    keep: tuple[str, ...] = ()
    timeout: float | None = 10.0


def default_jobs() -> int:
    """The cores this process may run on (a container's limit, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


class _TimedOut(Exception):
    pass


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


class _Stop(BaseException):
    """Raised in a worker told to stop: abandons the chunk's remaining documents."""


_STOP_SIGNAL = getattr(signal, "SIGUSR1", None)


class _Worker:
    """A worker process's state: its Cleaner, the batch settings, the stop flag."""

    cleaner: Cleaner | None = None
    settings: BatchSettings | None = None
    stop: Any = None  # a multiprocessing Event shared with the parent
    busy = False


def _init_worker(settings: BatchSettings, stop: Any) -> None:
    # Ctrl-C reaches the whole process group: the parent decides what to do
    # (stop between records, stop the workers); a worker would only print a
    # traceback. SIGTERM gets its default back: a forked worker inherits the
    # parent's handlers, which defer a stop rather than end the process.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if _STOP_SIGNAL is not None:
        signal.signal(_STOP_SIGNAL, _stop_now)
    _Worker.settings, _Worker.stop = settings, stop
    _Worker.cleaner = Cleaner(threshold=settings.threshold, keep=list(settings.keep))


def _stop_now(signum, frame) -> None:  # noqa: ARG001 - signal handler signature
    if _Worker.busy:  # idle, the worker waits for its next task, which stop makes empty
        raise _Stop


Item = str | bytes | tuple[str, str | bytes] | DocumentError
"""A document; or (kind, document) to override the batch's kind; or a
DocumentError for an input that could not even be read, passed through so it
keeps its place in the output."""


def _clean_one(cleaner: Cleaner, settings: BatchSettings, index: int, item: Item) -> Result:
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


def _work(chunk: list[tuple[int, Item]]) -> list[Result]:
    assert _Worker.cleaner is not None and _Worker.settings is not None
    results: list[Result] = []
    _Worker.busy = True
    try:
        for index, document in chunk:
            if _Worker.stop.is_set():
                break
            results.append(_clean_one(_Worker.cleaner, _Worker.settings, index, document))
    except _Stop:
        pass  # the parent is stopping and will not read this chunk
    finally:
        _Worker.busy = False
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
) -> Iterator[Result]:
    """Yield one result (or DocumentError) per document, in input order.

    `jobs` worker processes (0 means one per core; 1 cleans in this process).
    With jobs > 1 the results carry no per-line `blocks` (see `_work`).
    `timeout` seconds bound each document (None: no limit); a document over
    it becomes a DocumentError. Settings are checked here, before any work
    starts, so a bad threshold fails fast rather than per page.
    """
    for _, result in clean_tagged(enumerate(documents), jobs, kind, threshold, keep, timeout):
        yield result


def clean_tagged(
    documents: Iterable[tuple[Tag, Item]],
    jobs: int = 1,
    kind: str = "auto",
    threshold: float | None = None,
    keep: Iterable[str] = (),
    timeout: float | None = 10.0,
    ordered: bool = True,
) -> Iterator[tuple[Tag, Result]]:
    """Like `clean_many`, for (tag, document) pairs: each result comes back
    with its tag (a path, an id; it stays in this process). With
    `ordered=False` results come as they finish, so one slow document does
    not hold back the others; a DocumentError's `index` is still the input
    position.

    Stopping early (an exception here, or closing the iterator) makes the
    workers drop their queued work rather than finish it.
    """
    settings = BatchSettings(kind, threshold, tuple(keep), timeout)
    local = Cleaner(threshold=threshold, keep=list(settings.keep))
    jobs = default_jobs() if jobs == 0 else jobs
    if jobs <= 1:
        for index, (tag, document) in enumerate(documents):
            yield tag, _clean_one(local, settings, index, document)
        return
    workers = _Workers(jobs, settings)
    finished = False
    try:
        yield from workers.run(documents, jobs * _IN_FLIGHT_PER_JOB, ordered)
        finished = True
    finally:
        workers.close(abandon=not finished)


_DIED = "the worker process died while cleaning this document (out of memory, or a crash in C code)"


class _Workers:
    """The process pool, and a new one when a worker dies.

    Tags and the chunks themselves wait here beside their futures (at most
    `limit` chunks), so a chunk lost with a dead worker can be cleaned again.
    """

    def __init__(self, jobs: int, settings: BatchSettings) -> None:
        self.jobs, self.settings = jobs, settings
        self.stop = multiprocessing.Event()
        self.pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        # Workers fork after the model is loaded here, so they share it rather than load it again.
        return ProcessPoolExecutor(max_workers=self.jobs, initializer=_init_worker, initargs=(self.settings, self.stop))

    def run(self, documents: Iterable[tuple[Tag, Item]], limit: int, ordered: bool) -> Iterator[tuple[Tag, Result]]:
        """Feed chunks to the pool, never more than `limit` at once, and yield (tag, result) pairs."""
        pending: deque[tuple[Future, list[Tag], list[tuple[int, Item]]]] = deque()

        def harvest() -> Iterator[tuple[Tag, Result]]:
            if ordered:
                ready = [pending[0]]
            else:
                done, _ = wait([entry[0] for entry in pending], return_when=FIRST_COMPLETED)
                ready = [entry for entry in pending if entry[0] in done]
            for entry in ready:
                try:
                    results = entry[0].result()
                except BrokenProcessPool:
                    yield from self._recover(pending)
                    return
                pending.remove(entry)
                yield from zip(entry[1], results)

        chunk: list[tuple[int, Item]] = []
        tags: list[Tag] = []
        for index, (tag, document) in enumerate(documents):
            chunk.append((index, document))
            tags.append(tag)
            if len(chunk) == _CHUNK:
                pending.append((self.pool.submit(_work, chunk), tags, chunk))
                chunk, tags = [], []
                while len(pending) >= limit:
                    yield from harvest()
        if chunk:
            pending.append((self.pool.submit(_work, chunk), tags, chunk))
        while pending:
            yield from harvest()

    def _recover(self, pending: deque) -> Iterator[tuple[Tag, Result]]:
        """A worker died, and with it every chunk in flight. Clean those
        documents again one at a time in a new pool, so the one that kills
        a worker again is found and becomes an error record."""
        lost = list(pending)
        pending.clear()
        for _, tags, chunk in lost:
            for tag, (index, document) in zip(tags, chunk):
                self._restart()
                try:
                    [result] = self.pool.submit(_work, [(index, document)]).result()
                except BrokenProcessPool:
                    result = DocumentError(index, _DIED)
                yield tag, result
        self._restart()

    def _restart(self) -> None:
        if getattr(self.pool, "_broken", False):
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = self._new_pool()

    def close(self, abandon: bool) -> None:
        if abandon:
            _stop_workers(self.pool, self.stop)
        self.pool.shutdown(wait=True, cancel_futures=True)


def _stop_workers(pool: ProcessPoolExecutor, stop: Any) -> None:
    """Make the workers drop their work now, so the pool shuts down at once
    instead of finishing up to two chunks each (a 10 s page among them).

    The flag empties every chunk a worker starts from now on; the signal
    breaks off the page a worker is on. Killing the processes instead can
    catch one halfway through sending a result, and the pool then waits
    forever for the rest of that message. The process list is private:
    ProcessPoolExecutor has no public way to reach its workers before 3.14."""
    stop.set()
    if _STOP_SIGNAL is None:
        return
    for process in list(getattr(pool, "_processes", {}).values()):
        try:
            os.kill(process.pid, _STOP_SIGNAL)
        except (OSError, TypeError):
            pass  # already gone
