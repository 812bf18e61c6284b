"""Read a document's bytes without ever holding more than the size limit.

A regular file's size is known before it is read, so one over the limit is
refused unread. A pipe, a device or a `/proc` file reports size 0 whatever it
holds (`cleaner clean /dev/zero`, `<(yes)`): it is read in chunks and given
up on as soon as it has passed the limit, so no input can exhaust memory.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import IO

_CHUNK = 1 << 20


def has_suffix(path: str | os.PathLike, *suffixes: str) -> bool:
    """Whether the file name ends in one of `suffixes`, in any case: what a
    file holds is told by its name (`.jsonl.gz`, `.warc`, `.parquet`), and
    `CRAWL.JSONL` holds the same as `crawl.jsonl`."""
    return os.fspath(path).lower().endswith(suffixes)


def read_at_most(stream: IO[bytes], limit: int) -> bytes | None:
    """The stream's bytes, or None once it has given more than `limit`."""
    parts: list[bytes] = []
    held = 0
    while True:
        part = stream.read(min(_CHUNK, limit + 1 - held))
        if not part:
            return b"".join(parts)
        parts.append(part)
        held += len(part)
        if held > limit:
            return None


def over_limit(size: int | None, limit: int) -> str:
    """The message for an input over `limit` bytes (`size` when known)."""
    over = f"{size:,} bytes" if size is not None else f"more than {limit:,} bytes"
    return f"input is {over}, over the limit of {limit:,} (raise it with --max-bytes)"


def read_file_at_most(path: Path, limit: int) -> tuple[bytes | None, int | None]:
    """(the file's bytes, or None when over `limit`; its size when known).

    Raises OSError as opening and reading do."""
    with path.open("rb") as stream:
        info = os.fstat(stream.fileno())
        if stat.S_ISREG(info.st_mode) and info.st_size > limit:
            return None, info.st_size
        # A /proc file is regular and says 0 bytes, and a file may grow as it is
        # read: whatever the size says, no more than the limit is read.
        return read_at_most(stream, limit), (info.st_size if stat.S_ISREG(info.st_mode) and info.st_size else None)
