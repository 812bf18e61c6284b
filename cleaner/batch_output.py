"""Outputs of `cleaner batch`: one JSONL stream, or a folder of files per document.

Both are written so that an interruption leaves only whole records behind, and
both can tell `--resume` which inputs are already done:

- JSONL (`-o out.jsonl`, `.jsonl.gz`, `-` for stdout): one line per document,
  flushed at least every FLUSH_SECONDS (and whole at the end, or at Ctrl-C and
  SIGTERM, which stop between records). A run killed hard leaves at most that
  much work unwritten and perhaps a partial last line,
  which `--resume` cuts off; ordered output means the count of whole lines is
  the count of finished inputs.
- A folder (`-o DIR/`): `NAME.txt` (the clean text) and `NAME.report.json`
  (source plus the report) per document, or `NAME.error.json` (source and
  error) for a document that failed. Each file is written to a temporary name
  and renamed into place, so a file either is whole or is not there; the
  report is written after the text, so a report means the document is done.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import sys
import time
from pathlib import Path
from typing import IO, Iterable, Protocol, cast

from .batch import CarriedSource, DocumentError, EncodedResult, Result
from .result import CleanResult
from .jsonio import dumps_line, with_source
from .errors import CleanerError, detach_stdout
from .reading import has_suffix
from .zstd_streams import is_zst, open_zst_output

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_PAGE_SUFFIX = re.compile(r"\.(?:html?|xhtml|txt|gz)$", re.IGNORECASE)
_SLUG_CHARS = 80
_TEMP_PREFIX = ".cleaner-"


class UsageError(CleanerError):
    """Options that cannot work together (exit code 2, like other usage errors)."""

    exit_code = 2


class Sink(Protocol):
    """Where the records of a batch go."""

    def done(self, position: int, source: str) -> bool:
        """True when an earlier, interrupted run already wrote this input."""

    def write(self, position: int, source: str, result: Result) -> None:
        """Write one document's record (whole, or not at all if interrupted)."""

    def flush(self) -> None:
        """Make the records written so far visible to readers now."""

    def close(self) -> None: ...

    @property
    def wants_encoded(self) -> str:
        """What it takes from the workers (`batch_worker.ENCODINGS`): "" the
        CleanResult, "line" a JSONL line, "record" the record's fields."""


def is_folder_target(target: str) -> bool:
    """`-o DIR/` (a trailing slash) or an existing folder means one file per document."""
    if target.endswith(("/", os.sep)):
        return True
    try:
        return Path(target).is_dir()
    except OSError:  # a name too long: opening it as a file says so
        return False


# What a record holds besides carried fields (`--carry` may not name these).
RECORD_FIELDS = frozenset({"source", "error", "schema", "kind", "model", "threshold", "base_length", "text_length",
                           "removed", "counts", "text", "markdown"})


def check_carry(names: tuple[str, ...]) -> None:
    """UsageError when a field to carry would overwrite one the record has."""
    clash = sorted(set(names) & RECORD_FIELDS)
    if clash:
        raise UsageError(f"--carry cannot copy {', '.join(map(repr, clash))}: the output record has its own "
                         f"(fields it holds: {', '.join(sorted(RECORD_FIELDS))})")


def record(source: str, result: CleanResult | DocumentError | EncodedResult, include_text: bool) -> dict:
    """The output record: the source, the fields carried over from its
    input record (`batch.CarriedSource`), then the error or the report (an
    EncodedResult's record, made by a worker, as it is)."""
    head = {"source": str(source), **source.carried} if isinstance(source, CarriedSource) else {"source": source}
    if isinstance(result, DocumentError):
        return {**head, "error": result.message}
    if isinstance(result, EncodedResult):
        return {**head, **(result.record or {})}
    return {**head, **result.to_dict(include_text=include_text)}


def record_line(source: str, result: Result) -> bytes:
    """The JSONL line of one document; an EncodedResult's line is reused as
    is (a JSONL sink gets every cleaned document encoded, its Markdown in it
    when asked: `batch_worker.EncodedResult`)."""
    if isinstance(result, EncodedResult):
        carried = source.carried if isinstance(source, CarriedSource) else None
        return with_source(str(source), result.line, carried)
    return dumps_line(record(source, result, include_text=True))


FLUSH_SECONDS = 0.2  # flushing every record costs ~4% of a text batch's time
# A record of a seed-sized text is ~6 KB: with the default 8 KB buffer nearly
# every record was its own write call. 64 KB makes that about one in ten
# while records still reach the file a few at a time, not in megabytes;
# what a crash loses is redone by --resume either way.
WRITE_BUFFER = 1 << 16


class JsonlSink:
    """One JSON object per line, in the order results arrive."""

    # Workers may encode the records: the main process then only writes bytes.
    wants_encoded = "line"

    def __init__(self, target: str, resume: bool = False) -> None:
        self._already = 0
        self._flushed = time.monotonic()
        self._stream: IO[bytes] | gzip.GzipFile
        if resume:
            self._stream, self._already = reopen_for_resume(target)
        else:
            self._stream = open_output(target)

    @property
    def already_done(self) -> int:
        return self._already

    def done(self, position: int, source: str) -> bool:
        return position < self._already

    def write(self, position: int, source: str, result: Result) -> None:
        self._stream.write(record_line(source, result))
        now = time.monotonic()
        if now - self._flushed >= FLUSH_SECONDS:
            self.flush()  # records reach the file as they finish, for readers and --resume

    def flush(self) -> None:
        self._stream.flush()
        self._flushed = time.monotonic()

    def close(self) -> None:
        if self._stream is not _stdout():
            self._stream.close()
            return
        try:
            self._stream.flush()
        except BrokenPipeError:
            detach_stdout()
            raise


def _stdout() -> IO[bytes]:
    return sys.stdout.buffer


def open_output(target: str) -> IO[bytes] | gzip.GzipFile:
    """A binary stream for `target`: "-" is stdout, ".gz" is gzip-compressed,
    ".zst" zstd-compressed (`zstd_streams.py`)."""
    if target == "-":
        if sys.stdout is None:  # started with standard output closed (`>&-`)
            raise UsageError("standard output is closed: write to a file with -o FILE")
        sys.stdout.flush()  # anything printed before goes first
        return _stdout()
    path = Path(target)
    if has_suffix(path, ".gz"):
        return gzip.open(path, "wb")
    if is_zst(path):
        return open_zst_output(path)
    return path.open("wb", buffering=WRITE_BUFFER)


def reopen_for_resume(target: str) -> tuple[IO[bytes], int]:
    """Open an interrupted run's output to continue it: drop a last record cut
    off mid-write, count the whole records, and append after them. Output is in
    input order, so that count is how many inputs are done."""
    path = Path(target)
    problem = resume_problem(target, ordered=True)
    if problem:
        raise UsageError(problem)
    if not path.exists():
        return path.open("wb", buffering=WRITE_BUFFER), 0
    data = path.read_bytes()
    whole = data[: data.rfind(b"\n") + 1]
    if len(whole) != len(data):
        with path.open("r+b") as f:
            f.truncate(len(whole))
    return path.open("ab", buffering=WRITE_BUFFER), whole.count(b"\n")


def document_name(position: int, source: str) -> str:
    """A safe, unique file name stem for the input at `position` (0-based).

    The 1-based position leads, so names never collide (the same URL twice in
    a WARC, `a/x.html` and `b/x.html`), sort in input order, and come out the
    same on a rerun, which `--resume` relies on; no set of used names is kept,
    so memory stays flat. The rest is the source made safe for any file
    system: a URL's scheme and a page suffix dropped, anything but ASCII
    letters, digits, dot, dash and underscore turned into `_`, and only the
    last 80 characters kept (the specific end of a long path).
    """
    slug = _PAGE_SUFFIX.sub("", _SCHEME.sub("", source))
    slug = _UNSAFE.sub("_", slug).strip("._-")[-_SLUG_CHARS:].lstrip("._-")
    return f"{position + 1:06d}-{slug or 'document'}"


class FolderSink:
    """NAME.txt + NAME.report.json per document (and NAME.md with `markdown`),
    NAME.error.json for a failure."""

    wants_encoded = ""  # it needs the text apart from the report, and the Markdown

    def __init__(self, target: str, resume: bool = False, markdown: bool = False) -> None:
        self.folder = Path(target)
        self.resume = resume
        self.markdown = markdown
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"cannot create folder {target}: {exc.strerror or exc}") from exc
        # A run killed hard (SIGKILL) may leave one temporary file behind.
        for stale in self.folder.glob(f"{_TEMP_PREFIX}*.tmp"):
            stale.unlink(missing_ok=True)

    def done(self, position: int, source: str) -> bool:
        if not self.resume:
            return False
        stem = document_name(position, source)
        return (self.folder / f"{stem}.report.json").exists() or (self.folder / f"{stem}.error.json").exists()

    def write(self, position: int, source: str, result: Result) -> None:
        stem = document_name(position, source)
        result = cast(CleanResult | DocumentError, result)  # a folder asks for results, not encoded lines (wants_encoded)
        report = json.dumps(record(source, result, include_text=False), ensure_ascii=False, indent=2) + "\n"
        if isinstance(result, DocumentError):
            self._write(f"{stem}.error.json", report)
            self._remove(f"{stem}.report.json", f"{stem}.txt", f"{stem}.md")
            return
        self._write(f"{stem}.txt", result.text)
        if self.markdown:
            self._write(f"{stem}.md", result.to_markdown())
        self._write(f"{stem}.report.json", report)  # last: --resume counts a document done by it
        self._remove(f"{stem}.error.json", *(() if self.markdown else (f"{stem}.md",)))

    def _remove(self, *names: str) -> None:
        """Remove what an earlier run into this folder wrote for the same
        document that this run's outcome does not replace (its error, where
        it now cleans; its text, where it now fails), so that each document
        has one outcome in the folder."""
        for name in names:
            (self.folder / name).unlink(missing_ok=True)

    def _write(self, name: str, content: str) -> None:
        temp = self.folder / f"{_TEMP_PREFIX}{name}.tmp"
        # Text from JSON input may hold lone surrogates, which UTF-8 cannot
        # encode; backslashreplace writes them as \\udXXX, which in a JSON
        # report is the exact escape, rather than failing the record.
        with temp.open("w", encoding="utf-8", errors="backslashreplace", newline="") as f:
            f.write(content)
        os.replace(temp, self.folder / name)

    def flush(self) -> None:
        pass  # every file is whole once written

    def close(self) -> None:
        pass


def resume_problem(target: str, ordered: bool) -> str | None:
    """Why `--resume` cannot continue a run into `target`, or None: it needs a
    folder, or a plain .jsonl file written in input order."""
    if is_folder_target(target):
        return None
    if target == "-" or has_suffix(target, ".gz", ".zst", ".parquet"):
        return "--resume needs a plain .jsonl output file or a folder (-o DIR/)"
    if not ordered:
        return "--resume with --unordered needs a folder output (-o DIR/): unordered JSONL lines do not say which inputs are done"
    return None


def open_sink(target: str, resume: bool, ordered: bool, markdown: bool = False, carry: tuple[str, ...] = (),
              inputs: Iterable[Path | None] = ()) -> Sink:
    """The sink for `-o target`; CleanerError when the combination cannot
    work. `markdown` is the folder's and Parquet's (NAME.md, a column); JSONL
    records get their Markdown from the workers that encode them. `carry`
    names the Parquet file's carried columns, and `inputs` (the input files,
    None for stdin: `batch_io.input_files`) say which keep their types."""
    if is_folder_target(target):
        return FolderSink(target, resume, markdown)
    problem = resume_problem(target, ordered) if resume else None
    if problem:
        raise UsageError(problem)
    if has_suffix(target, ".parquet"):
        from .parquet import ParquetSink, carried_types  # imports batch_output: not at the top

        return ParquetSink(target, carry, markdown, carried_types(inputs, carry))
    try:
        return JsonlSink(target, resume)
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from exc
