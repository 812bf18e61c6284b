"""One run of `cleaner batch`: read the inputs, skip what an interrupted run
already wrote, clean the rest, write each record whole, and count.

The CLI parses options into a `BatchJob`, calls `run_batch` and prints the
`Summary`; everything that decides what happens to a document lives here and
in the modules it calls (batch_io reads, batch cleans, batch_output writes).
"""

from __future__ import annotations

import time
from collections import Counter
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Callable, Iterator

from .batch import IDLE, DocumentError, EncodedResult, Item, Result, _Idle, clean_tagged
from .batch_io import Fields, input_files, iter_inputs
from .batch_output import check_carry, open_sink
from .errors import CleanerError
from .extract import ExtractOptions
from .pipeline import DEFAULT_MAX_BYTES
from .interrupts import DeferredInterrupts, Interrupted


@dataclass(frozen=True, slots=True)
class BatchJob:
    """Everything `cleaner batch` was asked to do."""

    inputs: tuple[str, ...]
    output: str = "-"
    jobs: int = 0
    kind: str = "auto"
    threshold: float | None = None
    keep: tuple[str, ...] = ()
    pattern: str = "*"
    fields: Fields = Fields()
    timeout: float | None = 10.0
    resume: bool = False
    ordered: bool = True
    max_bytes: int = DEFAULT_MAX_BYTES
    markdown: bool = False  # records (or NAME.md files) carry the clean text as Markdown too
    extract_options: ExtractOptions = ExtractOptions()  # how trafilatura reads the HTML pages (--fast)


@dataclass(slots=True)
class Summary:
    """What a run did; `documents` counts records written by this run."""

    documents: int = 0
    errors: int = 0
    skipped: int = 0
    removed_chars: Counter[str] = field(default_factory=Counter)
    started: float = field(default_factory=time.perf_counter)
    seconds: float = 0.0
    interrupted: Interrupted | None = None

    def count(self, result: Result) -> None:
        self.documents += 1
        if isinstance(result, DocumentError):
            self.errors += 1
            return
        if isinstance(result, EncodedResult):
            for label, chars in result.removed_chars:
                self.removed_chars[label] += chars
            return
        for span in result.removed:
            self.removed_chars[span.label] += span.end - span.start

    @property
    def elapsed(self) -> float:
        return self.seconds or time.perf_counter() - self.started

    def line(self) -> str:
        """The closing line on stderr."""
        chars = ", ".join(f"{label} {n:,}" for label, n in self.removed_chars.most_common()) or "none"
        skipped = f" ({self.skipped:,} already done)" if self.skipped else ""
        rate = self.documents / self.elapsed if self.elapsed > 0 else 0.0
        return (f"cleaner: {self.documents:,} documents{skipped}, {self.errors:,} errors, "
                f"removed characters: {chars}; {self.elapsed:.1f} s ({rate:,.1f} docs/s)")


def run_batch(
    job: BatchJob,
    on_record: Callable[[Summary], None] = lambda summary: None,
    interrupts: DeferredInterrupts | None = None,
) -> Summary:
    """Clean every input of `job` into its output and return what happened.

    `on_record` is called after each record (a progress display). With
    `interrupts`, a SIGINT/SIGTERM ends the run between two records: the
    output is closed whole and the summary says which signal stopped it
    (`summary.interrupted`). Raises CleanerError when the output cannot be
    opened or written.
    """
    check_carry(job.fields.carry)
    summary = Summary()
    sink = open_sink(job.output, job.resume, job.ordered, job.markdown, job.fields.carry, input_files(list(job.inputs), job.pattern))
    guard = interrupts.shielded if interrupts is not None else nullcontext

    def pending() -> Iterator[tuple[tuple[int, str], Item] | _Idle]:
        position = -1
        for entry in iter_inputs(list(job.inputs), job.fields, job.pattern, max_bytes=job.max_bytes):
            if entry is IDLE:
                yield IDLE
                continue
            source, item = entry  # type: ignore[misc]
            position += 1
            if sink.done(position, source):
                summary.skipped += 1
                continue
            yield (position, source), item

    results = clean_tagged(pending(), job.jobs, job.kind, job.threshold, job.keep, job.timeout, ordered=job.ordered,
                           max_bytes=job.max_bytes, encode=sink.wants_encoded, markdown=job.markdown,
                           extract_options=job.extract_options)
    failed = True  # until the loop ends: then a failure to close the output is this run's error
    try:
        for entry in results:
            if entry is IDLE:  # the input waits for its writer: let readers see what is done
                with guard():
                    sink.flush()
                continue
            (position, source), result = entry  # type: ignore[misc]
            with guard():
                sink.write(position, source, result)
                summary.count(result)
            on_record(summary)
            if interrupts is not None:
                interrupts.raise_if_requested()
        failed = False
    except Interrupted as stop:
        summary.interrupted = stop
        failed = False
    except OSError as exc:
        raise CleanerError(f"cannot write {job.output}: {exc.strerror or exc}") from exc
    finally:
        results.close()  # ends the workers now, not when the generator is collected
        summary.seconds = time.perf_counter() - summary.started
        try:
            with guard():  # a gzip stream cut off while closing would be unreadable
                sink.close()
        except OSError as exc:
            # Closing writes what is buffered (a Parquet file's last rows and
            # its footer): failing then, the output is incomplete. Unless a
            # write error is already on its way (a closed pipe, a full disk).
            if not failed:
                raise CleanerError(f"cannot write {job.output}: {exc.strerror or exc}") from exc
    return summary
