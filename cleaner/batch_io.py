"""Inputs of `cleaner batch`: files, folders, JSONL streams, Parquet files and WARC archives.

Reading never raises for one bad input: a file that cannot be read or a JSONL
line that is not a valid record becomes a DocumentError in its place, so every
input record yields exactly one output record. Everything is read lazily, in
a fixed order (folders sorted by name at every level), so a rerun with
`--resume` sees the inputs in the same order.
"""

from __future__ import annotations

import gzip
import json
import os
import select
import stat
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

from . import jsonio
from .batch import IDLE, CarriedSource, DocumentError, Item, _Idle
from .pipeline import DEFAULT_MAX_BYTES
from .reading import has_suffix, over_limit, read_file_at_most
from .archives import archive_pages, is_page_archive
from .parquet import is_parquet, parquet_documents, parquet_rows
from .warc import is_warc, warc_pages
from .zstd_streams import is_zst, open_zst_lines


@dataclass(frozen=True, slots=True)
class Fields:
    """Which JSONL fields hold the text, the HTML and the record's id, and
    which fields go on into the record's output record (`carry`)."""

    text: str = "text"
    html: str = "html"
    id: str = "id"
    carry: tuple[str, ...] = ()


def _is_jsonl(path: Path) -> bool:
    return has_suffix(path, ".jsonl", ".jsonl.gz", ".jsonl.zst")


def _is_stream(path: Path) -> bool:
    """A file holding many documents (so a folder's file count is not the document count)."""
    return _is_jsonl(path) or is_parquet(path) or is_warc(path) or is_page_archive(path)


class _TooLong:
    """Stands for a JSONL line longer than the line limit, which was skipped
    unread (held whole, a 200 MB line took 700 MB, and /dev/zero all memory)."""


TOO_LONG = _TooLong()


def line_limit(max_bytes: int) -> int:
    """The longest JSONL line read: a record holds its document escaped
    (each character up to six), plus its other fields."""
    return 6 * max_bytes + (1 << 16)


def bounded_lines(stream: IO[bytes] | gzip.GzipFile, limit: int) -> Iterator[bytes | _TooLong]:
    """The stream's lines, each longer than `limit` as TOO_LONG, read past
    in pieces instead of held."""
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            while True:
                rest = stream.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield TOO_LONG
            continue
        yield line


def _open_lines(path: Path) -> IO[bytes] | gzip.GzipFile:
    """The file's lines as bytes: orjson parses UTF-8 bytes directly, faster
    than a decoded str (jsonio.loads decodes what is not valid UTF-8)."""
    if is_zst(path):
        return open_zst_lines(path)
    return gzip.open(path, "rb") if has_suffix(path, ".gz") else path.open("rb", buffering=1 << 20)


def _stdin_lines(limit: int) -> Iterable[bytes | str | _Idle | _TooLong]:
    """Standard input's lines: from a pipe, as they arrive with IDLE
    whenever the writer pauses (`_live_lines`); otherwise as its file gives
    them; each longer than `limit` as TOO_LONG."""
    stream: Any = getattr(sys.stdin, "buffer", sys.stdin)
    fd = _waiting_fd(stream)
    return bounded_lines(stream, limit) if fd is None else _live_lines(fd, limit=limit)


def _waiting_fd(stream: object) -> int | None:
    """The stream's file descriptor if a read may wait for a writer (a pipe,
    a socket, a terminal) and select() can tell when it would; else None."""
    if os.name == "nt":  # select() takes sockets only there
        return None
    try:
        fd = stream.fileno()  # type: ignore[attr-defined]
        mode = os.fstat(fd).st_mode
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is both
        return None
    return None if stat.S_ISREG(mode) else fd


# How long a pipe must stay empty to count as idle. A fast producer (`cat
# big.jsonl |`) leaves the pipe empty for moments while it is scheduled; an
# IDLE then would make two workers wait for each other's chunks to finish.
IDLE_AFTER = 0.05


def _live_lines(fd: int, size: int = 1 << 16, limit: int | None = None) -> Iterator[bytes | _Idle | _TooLong]:
    """The lines read from `fd`, and IDLE each time no whole line is waiting
    and the descriptor has had nothing to read for IDLE_AFTER seconds, just
    before blocking for more: a batch then cleans and writes what it has
    instead of waiting for a chunk of 32 that a slow producer may take
    minutes to send. A line longer than `limit` is dropped as it comes and
    given as TOO_LONG."""
    buffer = bytearray()  # appending and cutting from the front are cheap: a long line costs linear time
    scanned = 0  # the first `scanned` bytes hold no line break
    skipping = False  # inside a line over the limit, whose bytes are dropped
    while True:
        end = buffer.find(b"\n", scanned)
        if end >= 0:
            line = bytes(buffer[: end + 1])
            del buffer[: end + 1]
            scanned = 0
            if skipping:
                skipping = False
                yield TOO_LONG
            else:
                yield line
            continue
        if limit is not None and len(buffer) > limit:
            skipping = True
            buffer.clear()
        scanned = len(buffer)
        if not select.select([fd], [], [], IDLE_AFTER)[0]:
            yield IDLE
        try:
            data = os.read(fd, size)
        except BlockingIOError:  # a descriptor someone made non-blocking: wait for it
            select.select([fd], [], [])
            continue
        if not data:
            if skipping:
                yield TOO_LONG
            elif buffer:
                yield bytes(buffer)
            return
        buffer += data


def _records(stream: Iterable[bytes | str | _Idle | _TooLong], origin: str, fields: Fields) -> Iterator[tuple[str, Item] | _Idle]:
    number = 0
    for line in stream:
        if isinstance(line, _Idle):
            yield IDLE
            continue
        number += 1
        if isinstance(line, _TooLong):
            yield f"{origin}:{number}", DocumentError(0, f"line {number} is too long to be a record under the size limit (raise it with --max-bytes)")
            continue
        if not line or line.isspace():  # not strip(): that copies the whole record
            continue
        source = f"{origin}:{number}"
        try:
            record = jsonio.loads(line)
        except jsonio.JSONDecodeError as exc:
            yield source, DocumentError(0, f"line {number} is not JSON: {exc.msg}")
            continue
        if not isinstance(record, dict):
            yield source, DocumentError(0, f"line {number} is not a JSON object")
            continue
        source = _id_source(record.get(fields.id), source)
        if fields.carry:
            source = CarriedSource(source, {name: record[name] for name in fields.carry if name in record})
        if isinstance(record.get(fields.html), str):
            yield source, ("html", record[fields.html])
        elif isinstance(record.get(fields.text), str):
            yield source, ("text", record[fields.text])
        else:
            yield source, DocumentError(0, f"record has no string field {fields.text!r} or {fields.html!r}")


def _id_source(value: object, fallback: str) -> str:
    """A record's id as its source: a string as it is, a null or missing one
    the record's FILE:LINE (as a Parquet row's null id is its FILE:ROW), any
    other JSON value its JSON text (`true`, `{"a": 1}`; Python's spelling,
    `True` and `{'a': 1}`, was no JSON)."""
    if value is None:
        return fallback
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _walk(folder: Path, pattern: str) -> Iterator[tuple[Path, str | None]]:
    """(file, None) for the files under `folder` matching `pattern`, sorted by
    name at every level, or (path, why) for a folder that cannot be listed
    or a name that cannot be looked at (a link to itself).
    Only one folder's listing is held at a time, not the whole tree's; links
    to folders are not followed (they can loop)."""
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda e: e.name)
    except OSError as exc:
        yield folder, f"cannot list {folder}: {exc.strerror or exc}"
        return
    for entry in entries:
        path = Path(entry.path)
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(path, pattern)
            continue
        try:
            is_file = entry.is_file()
        except OSError as exc:  # a link that loops: its error record, not the end of the run
            if path.match(pattern):
                yield path, f"cannot read {path}: {exc.strerror or exc}"
            continue
        if is_file and path.match(pattern):
            yield path, None


def _file_document(path: Path, limit: int) -> Item:
    """A page or text file's bytes. Files over the cleaner's size limit are
    refused before they are read into memory (`reading.py`); a gzip file
    (`page.html.gz`) is passed on as it is, and the cleaner decompresses it,
    within the same limit, as it does any gzip input (`decode.gunzip`)."""
    try:
        data, size = read_file_at_most(path, limit)
    except OSError as exc:
        return DocumentError(0, f"cannot read {path}: {exc.strerror or exc}")
    return DocumentError(0, over_limit(size, limit)) if data is None else data


def _file_inputs(path: Path, fields: Fields, max_bytes: int, pattern: str = "*") -> Iterator[tuple[str, Item] | _Idle]:
    if is_warc(path):
        yield from warc_pages(path, max_bytes, fields.carry)
    elif is_page_archive(path):
        yield from archive_pages(path, max_bytes, pattern)
    elif is_parquet(path):
        yield from parquet_rows(path, fields.html, fields.text, fields.id, fields.carry)
    elif _is_jsonl(path):
        try:
            with _open_lines(path) as stream:
                yield from _records(bounded_lines(stream, line_limit(max_bytes)), str(path), fields)
        except (OSError, EOFError, zlib.error) as exc:
            yield str(path), DocumentError(0, f"cannot read {path}: {exc}")
    else:
        yield str(path), _file_document(path, max_bytes)


def iter_inputs(inputs: list[str], fields: Fields, pattern: str = "*", stdin: Iterable[bytes | str] | None = None,
                max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[tuple[str, Item] | _Idle]:
    """(source, item) for every document named by `inputs`, in order, and
    IDLE where a pipe on stdin makes the reader wait (see batch.IDLE); a file
    or WARC page over `max_bytes` is its DocumentError, unread."""
    for name in inputs:
        if name == "-":
            yield from _records(stdin or _stdin_lines(line_limit(max_bytes)), "stdin", fields)
            continue
        path = Path(name)
        try:
            is_dir, exists = path.is_dir(), path.exists()
        except OSError as exc:  # a name too long for the file system, say
            yield name, DocumentError(0, f"cannot read {name}: {exc.strerror or exc}")
            continue
        if is_dir:
            for file, problem in _walk(path, pattern):
                if problem:
                    yield str(file), DocumentError(0, problem)
                else:
                    yield from _file_inputs(file, fields, max_bytes, pattern)
        elif exists:
            yield from _file_inputs(path, fields, max_bytes, pattern)
        else:
            yield name, DocumentError(0, f"no such file: {name}")


def count_inputs(inputs: list[str], pattern: str = "*", fields: Fields = Fields()) -> int | None:
    """How many documents `iter_inputs` will yield, when that is known without
    reading them: plain files, Parquet files (their footers say) and folders
    of them. None when a stream (stdin, JSONL, WARC, an archive) is among the
    inputs. Costs one extra walk of the folders."""
    total = 0
    for file in input_files(inputs, pattern):
        count = _known_count(file, fields) if file is not None else None
        if count is None:
            return None
        total += count
    return total


def input_files(inputs: list[str], pattern: str = "*") -> Iterator[Path | None]:
    """The files `iter_inputs` reads, in order, folders walked (another walk
    of them); None for stdin."""
    for name in inputs:
        path = Path(name)
        if name == "-":
            yield None
        elif _is_dir(path):
            yield from (file for file, _ in _walk(path, pattern))
        else:
            yield path


def _is_dir(path: Path) -> bool:
    """path.is_dir(), False where the name cannot be looked up (`iter_inputs` makes that an error record)."""
    try:
        return path.is_dir()
    except OSError:
        return False


def _known_count(path: Path, fields: Fields) -> int | None:
    """The documents one input file gives, if known without reading it."""
    if is_parquet(path):
        return parquet_documents(path, fields.html, fields.text, fields.id, fields.carry)
    return None if _is_stream(path) else 1
