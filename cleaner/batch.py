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
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Generator, Iterable, Iterator, TypeVar

from .batch_worker import BatchSettings, DocumentError, EncodedResult, Item, Result, clean_chunk, init_worker, new_cleaner, stop_workers, work
from .errors import CleanerError
from .extract import ExtractOptions
from .labels import parse_labels
from .pipeline import DEFAULT_MAX_BYTES, check_kind

__all__ = ["IDLE", "BatchSettings", "DocumentError", "EncodedResult", "Item", "Result", "clean_many", "clean_tagged", "default_jobs"]

_CHUNK = 32  # documents per task: amortises the cost of a round trip to a worker, and of a clean_each call
_IN_FLIGHT_PER_JOB = 2  # chunks queued per worker: enough to keep it busy, little memory
STOP_GRACE = 5.0  # seconds an abandoned pool has to stop before its workers are ended (`_Workers.close`)

Tag = TypeVar("Tag")


class _Idle:
    """The input has nothing more right now: a pipe is waiting for its writer."""

    def __repr__(self) -> str:
        return "IDLE"


IDLE = _Idle()
"""Put among the (tag, document) pairs given to `clean_tagged` when reading
more would block (`batch_io` does so for a pipe on stdin). Everything read
so far is then cleaned and its results come out, followed by IDLE itself
(so a writer can flush), instead of waiting for a chunk to fill: records of
a JSONL stream trickling in come out as they arrive."""


class CarriedSource(str):
    """A document's source (what its output record's "source" says) with the
    fields `--carry` copies into that record (a JSONL record's fields, a WARC
    record's headers): a URL, a crawl date, a language, so a pipeline need
    not join the output back to its input. It stays in the main process with
    the record's place in line; everything else reads it as the str it is.

    `carried` holds JSON values; `native` the values as a Parquet input gave
    them (dates, decimals, ints as they were), which a Parquet output can
    write in their own types."""

    carried: dict
    native: dict | None

    def __new__(cls, source: str, carried: dict, native: dict | None = None) -> "CarriedSource":
        made = super().__new__(cls, source)
        made.carried = carried
        made.native = native
        return made


def default_jobs() -> int:
    """The cores this process may run on (a container's limit, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


# Cleaning is CPU work: workers past the cores only wait their turn, each
# holding a model. The pool starts them all at once, so a slip of the finger
# (--jobs 100000) started thousands of processes.
JOBS_PER_CORE = 4


def check_jobs(jobs: int) -> int:
    """`jobs` as a worker count (0: one per core), or CleanerError when it
    is negative or more than JOBS_PER_CORE per core."""
    cores = default_jobs()
    if isinstance(jobs, bool) or not isinstance(jobs, int) or not 0 <= jobs <= JOBS_PER_CORE * cores:
        raise CleanerError(f"jobs must be from 0 (one per core) to {JOBS_PER_CORE * cores} ({JOBS_PER_CORE} per core, {cores} cores here), got {jobs!r}")
    return jobs or cores


def clean_many(
    documents: Iterable[Item],
    jobs: int = 1,
    kind: str = "auto",
    threshold: float | None = None,
    keep: Iterable[str] = (),
    timeout: float | None = 10.0,
    max_bytes: int = DEFAULT_MAX_BYTES,
    markdown: bool = False,
    extract_options: ExtractOptions = ExtractOptions(),
) -> Iterator[Result]:
    """Yield one result (or DocumentError) per document, in input order.

    `jobs` worker processes (0 means one per core; 1 cleans in this process).
    With jobs > 1 the results carry no per-line `blocks` (see `batch_worker.work`)
    unless `markdown` asks for what `CleanResult.to_markdown` reads.
    `timeout` seconds bound each document (None: no limit); a document over
    it becomes a DocumentError, as does one over `max_bytes`. Settings are
    checked here, before any work starts, so a bad threshold fails fast
    rather than per page. `extract_options` are trafilatura's settings for
    HTML (`ExtractOptions(fast=True)`: `cleaner batch --fast`).
    """
    for entry in clean_tagged(enumerate(documents), jobs, kind, threshold, keep, timeout, max_bytes=max_bytes, markdown=markdown,
                              extract_options=extract_options):
        if not isinstance(entry, _Idle):  # only a pipe read as it arrives pauses
            yield entry[1]


def clean_tagged(
    documents: Iterable[tuple[Tag, Item] | _Idle],
    jobs: int = 1,
    kind: str = "auto",
    threshold: float | None = None,
    keep: Iterable[str] = (),
    timeout: float | None = 10.0,
    ordered: bool = True,
    max_bytes: int = DEFAULT_MAX_BYTES,
    encode: str = "",
    markdown: bool = False,
    extract_options: ExtractOptions = ExtractOptions(),
) -> Generator[tuple[Tag, Result] | _Idle, None, None]:
    """Like `clean_many`, for (tag, document) pairs: each result comes back
    with its tag (a path, an id; it stays in this process). With
    `ordered=False` results come as they finish, so one slow document does
    not hold back the others; a DocumentError's `index` is still the input
    position. With `encode` ("line" or "record"), a cleaned document comes
    as an EncodedResult, its JSONL line or its record's fields made by the
    worker that cleaned it (with the Markdown of the clean text too, if
    `markdown`).

    Stopping early (an exception here, or closing the iterator) makes the
    workers drop their queued work rather than finish it. An IDLE among the
    documents comes back out once everything before it has its result.
    """
    check_kind(kind)
    settings = BatchSettings(kind, threshold, tuple(sorted(parse_labels(keep))), timeout, max_bytes, encode, markdown, extract_options)
    local = new_cleaner(settings)
    # Built before the workers fork, so they share them instead of each building them.
    local.model.classifier.lexical.prepare()
    jobs = check_jobs(jobs)
    if jobs > 1 and multiprocessing.current_process().daemon:
        # multiprocessing's own refusal is an AssertionError from deep inside the pool.
        raise CleanerError("jobs > 1 starts worker processes, which a daemonic process (a multiprocessing.Pool "
                           "worker) cannot have: pass jobs=1 there")
    if jobs <= 1:
        for entry in _chunks(documents):
            if isinstance(entry, _Idle):
                yield IDLE  # type: ignore[misc]
                continue
            tags, chunk = entry
            yield from zip(tags, clean_chunk(local, settings, chunk))
        return
    workers = _Workers(jobs, settings)
    finished = False
    try:
        yield from workers.run(documents, jobs * _IN_FLIGHT_PER_JOB, ordered)
        finished = True
    finally:
        workers.close(abandon=not finished)


def _chunks(documents: Iterable[tuple[Tag, Item] | _Idle]) -> Iterator[tuple[list[Tag], list[tuple[int, Item]]] | _Idle]:
    """(tags, [(input position, document), ...]) for each _CHUNK documents in
    turn; at IDLE, the documents read so far as a shorter chunk, then IDLE."""
    chunk: list[tuple[int, Item]] = []
    tags: list[Tag] = []
    index = 0
    for entry in documents:
        if isinstance(entry, _Idle):
            if chunk:
                yield tags, chunk
                chunk, tags = [], []
            yield IDLE
            continue
        tag, document = entry  # type: ignore[misc]
        chunk.append((index, _sendable(document)))
        tags.append(tag)
        index += 1
        if len(chunk) == _CHUNK:
            yield tags, chunk
            chunk, tags = [], []
    if chunk:
        yield tags, chunk


def _sendable(item: Item) -> Item:
    """The item as a worker process can be sent it: bytes-like documents as
    bytes, in a (kind, document) pair too (a memoryview cannot be pickled);
    a document of a type no cleaning takes (an open file) as the
    DocumentError `clean` would give, here, since the pickling error that
    object would raise on its way to a worker ended the whole run."""
    tagged = isinstance(item, tuple) and len(item) == 2
    document = item[1] if tagged else item  # type: ignore[index]
    if isinstance(document, (bytearray, memoryview)):
        document = bytes(document)
    elif not isinstance(document, (str, bytes, tuple, DocumentError, os.PathLike)):
        return DocumentError(0, f"document must be str or bytes, not {type(document).__name__}")
    return (item[0], document) if tagged else document  # type: ignore[index, return-value]


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
        return ProcessPoolExecutor(max_workers=self.jobs, initializer=init_worker, initargs=(self.settings, self.stop))

    def run(self, documents: Iterable[tuple[Tag, Item] | _Idle], limit: int, ordered: bool) -> Iterator[tuple[Tag, Result] | _Idle]:
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

        chunks = _chunks(documents)
        while True:
            try:
                entry = next(chunks)
            except StopIteration:
                break
            except Exception:  # the input failed part way: what is cleaned before it still comes out, as with one process
                while pending:
                    yield from harvest()
                raise
            if isinstance(entry, _Idle):  # nothing more to read for now: pass on all that is in flight
                while pending:
                    yield from harvest()
                yield IDLE  # type: ignore[misc]
                continue
            tags, chunk = entry  # type: ignore[misc]
            pending.append((self._submit(chunk), tags, chunk))
            while len(pending) >= limit:
                yield from harvest()
        while pending:
            yield from harvest()

    def _submit(self, chunk: list[tuple[int, Item]]) -> Future:
        """The chunk's future. A worker may die between two submissions; the
        pool then refuses new work, so the chunk gets a future that failed the
        same way, and is recovered with the chunks already in flight."""
        try:
            return self.pool.submit(work, chunk)
        except BrokenProcessPool as exc:
            refused: Future = Future()
            refused.set_exception(exc)
            return refused

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
                    [result] = self.pool.submit(work, [(index, document)]).result()
                except BrokenProcessPool:
                    result = DocumentError(index, _DIED)
                yield tag, result
        self._restart()

    def _restart(self) -> None:
        if getattr(self.pool, "_broken", False):
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = self._new_pool()

    def close(self, abandon: bool) -> None:
        """Shut the pool down: after the work is done, or abandoning it
        (Ctrl-C, SIGTERM, an error), when the workers are told to drop it and
        a pool that has not stopped STOP_GRACE seconds later is ended."""
        if not abandon:
            self.pool.shutdown(wait=True, cancel_futures=True)
            return
        stop_workers(self.pool, self.stop)
        # Private, as in stop_workers: shutdown() forgets both.
        processes = list((getattr(self.pool, "_processes", None) or {}).values())
        manager = getattr(self.pool, "_executor_manager_thread", None)
        self.pool.shutdown(wait=False, cancel_futures=True)
        if manager is None:
            return
        manager.join(STOP_GRACE)
        if manager.is_alive():
            # A worker inside one long C call does not see the stop signal
            # until the call returns, and a pool interrupted at an unlucky
            # moment waited for a result no worker would send (seen once, in
            # a test): a stop must not hang. Ended workers break the pool,
            # which its manager thread then sees and ends.
            for process in processes:
                process.terminate()
            manager.join(STOP_GRACE)
