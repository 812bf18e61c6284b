"""The worker side of batch cleaning: a chunk of documents cleaned together,
in a worker process or in the parent, and how the parent stops its workers.

Everything here runs either in the parent (jobs=1) or in a
pool process started by `cleaner.batch`; the pool itself lives there.
"""

from __future__ import annotations

import os
import signal
from dataclasses import dataclass, replace
from typing import Any

from .errors import CleanerError
from .extract import ExtractOptions
from .jsonio import dumps_line, has_line_breaks
from .pipeline import DEFAULT_MAX_BYTES, Cleaner
from .result import CleanResult


@dataclass(frozen=True, slots=True)
class DocumentError:
    """Why one document of a batch could not be cleaned."""

    index: int
    message: str


@dataclass(frozen=True, slots=True)
class EncodedResult:
    """A cleaned document as its output record, made where it was cleaned.

    With several workers, the main process reads the inputs and writes the
    records while the workers clean; at a few thousand short texts a second
    its share decides how well two workers scale. Encoding in the worker
    leaves it bytes to write, or for a writer of another format the record's
    fields (`ENCODINGS`), and a small pickle to receive, not the whole
    CleanResult with its per-line decisions."""

    line: bytes                                  # jsonio.dumps_line(result.to_dict(include_text=True)); b"" for "record"
    removed_chars: tuple[tuple[str, int], ...]   # (label, characters) per removed span
    record: dict | None = None                   # result.to_dict(include_text=True), for "record"

    @classmethod
    def of(cls, result: CleanResult, markdown: bool = False, encoding: str = "line") -> EncodedResult:
        record = result.to_dict(include_text=True, include_markdown=markdown)
        removed = tuple((s.label, s.end - s.start) for s in result.removed)
        if encoding == "record":
            return cls(b"", removed, record)
        # Every string of the record but the model's own is a part of `base`
        # (the Markdown adds only ASCII marks and "\n").
        return cls(dumps_line(record, may_hold_breaks=has_line_breaks(result.base)), removed)


# What a worker makes of a cleaned document (`BatchSettings.encode`): "" the
# CleanResult itself, "line" its JSONL line, "record" the record's fields.
ENCODINGS = ("", "line", "record")


Result = CleanResult | DocumentError | EncodedResult


@dataclass(frozen=True, slots=True)
class BatchSettings:
    """What every worker needs to build its own Cleaner."""

    kind: str = "auto"
    threshold: float | None = None
    keep: tuple[str, ...] = ()
    timeout: float | None = 10.0
    max_bytes: int = DEFAULT_MAX_BYTES
    encode: str = ""  # one of ENCODINGS: results as EncodedResult, a JSONL line or a record
    markdown: bool = False  # encoded records carry the Markdown too (`CleanResult.to_markdown`)
    extract_options: ExtractOptions = ExtractOptions()  # trafilatura's settings for HTML


class _Stop(BaseException):
    """Raised in a worker told to stop: abandons the chunk's remaining documents."""


_STOP_SIGNAL = getattr(signal, "SIGUSR1", None)


class _Worker:
    """A worker process's state: its Cleaner, the batch settings, the stop flag."""

    cleaner: Cleaner | None = None
    settings: BatchSettings | None = None
    stop: Any = None  # a multiprocessing Event shared with the parent
    busy = False


def init_worker(settings: BatchSettings, stop: Any) -> None:
    # Ctrl-C reaches the whole process group: the parent decides what to do
    # (stop between records, stop the workers); a worker would only print a
    # traceback. SIGTERM gets its default back: a forked worker inherits the
    # parent's handlers, which defer a stop rather than end the process.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if _STOP_SIGNAL is not None:
        signal.signal(_STOP_SIGNAL, _stop_now)
    _Worker.settings, _Worker.stop = settings, stop
    _Worker.cleaner = new_cleaner(settings)


def _stop_now(signum, frame) -> None:  # noqa: ARG001 - signal handler signature
    if _Worker.busy:  # idle, the worker waits for its next task, which stop makes empty
        raise _Stop


Item = str | bytes | tuple[str, str | bytes] | DocumentError
"""A document; or (kind, document) to override the batch's kind; or a
DocumentError for an input that could not even be read, passed through so it
keeps its place in the output."""


def clean_one(cleaner: Cleaner, settings: BatchSettings, index: int, item: Item) -> Result:
    """One document, its failure (whatever it is) as its DocumentError."""
    item = _unpacked(item, settings.kind)
    if isinstance(item, DocumentError):
        return replace(item, index=index)
    kind, document = item
    try:
        return cleaner.clean(document, kind=kind)
    except CleanerError as exc:
        return DocumentError(index, str(exc))
    except Exception as exc:  # a bug on one page must not end a million-page run
        return DocumentError(index, f"internal error: {type(exc).__name__}: {exc}")


def _unpacked(item: Item, kind: str) -> tuple[str, str | bytes] | DocumentError:
    """(kind, document) of an item, or the DocumentError it is or makes: a
    tagged item that is not a (kind, document) pair fails alone."""
    if isinstance(item, DocumentError):
        return item
    if not isinstance(item, tuple):
        return kind, item
    if len(item) != 2 or not isinstance(item[0], str):
        return DocumentError(0, f"a tagged document must be a (kind, document) pair, got ({', '.join(type(part).__name__ for part in item)})")
    return item


def clean_chunk(cleaner: Cleaner, settings: BatchSettings, chunk: list[tuple[int, Item]]) -> list[Result]:
    """The documents of a chunk cleaned together (`Cleaner.clean_each` scores
    short ones in one go, about twice as fast), one result per document,
    encoded if the settings say so."""
    results = _clean_together(cleaner, settings, chunk)
    if settings.encode:
        return [EncodedResult.of(r, settings.markdown, settings.encode) if isinstance(r, CleanResult) else r for r in results]
    return results


def _clean_together(cleaner: Cleaner, settings: BatchSettings, chunk: list[tuple[int, Item]]) -> list[Result]:
    unpacked = [(index, _unpacked(item, settings.kind)) for index, item in chunk]
    readable = [item for _, item in unpacked if not isinstance(item, DocumentError)]
    try:
        cleaned = iter(cleaner.clean_each([document for _, document in readable], [kind for kind, _ in readable]))
    except Exception:  # a bug somewhere in the chunk: one at a time, so only its document fails
        return [clean_one(cleaner, settings, index, item) for index, item in chunk]
    results: list[Result] = []
    for index, pair in unpacked:
        outcome = pair if isinstance(pair, DocumentError) else next(cleaned)
        if isinstance(outcome, CleanResult):
            results.append(outcome)
        elif isinstance(outcome, DocumentError):
            results.append(replace(outcome, index=index))
        else:
            results.append(DocumentError(index, str(outcome)))
    return results


def new_cleaner(settings: BatchSettings) -> Cleaner:
    """The Cleaner a batch runs, in the parent (jobs=1) or in each worker."""
    return Cleaner(threshold=settings.threshold, keep=list(settings.keep), max_bytes=settings.max_bytes, timeout=settings.timeout,
                   extract_options=settings.extract_options)


def work(chunk: list[tuple[int, Item]]) -> list[Result]:
    assert _Worker.cleaner is not None and _Worker.settings is not None
    results: list[Result] = []
    _Worker.busy = True
    try:
        if not _Worker.stop.is_set():
            results = clean_chunk(_Worker.cleaner, _Worker.settings, chunk)
    except _Stop:
        pass  # the parent is stopping and will not read this chunk
    finally:
        _Worker.busy = False
    # Per-line decisions stay in the worker: shipping them back would cost more
    # than the cleaning; batch output needs the text and the spans only (and
    # an HTML page's line tags, for Markdown written by the parent: `FolderSink`).
    tags_needed = _Worker.settings.markdown
    return [replace(r, blocks=()) if isinstance(r, CleanResult) and not (tags_needed and r.kind == "html") else r for r in results]


def stop_workers(pool: Any, stop: Any) -> None:
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
