"""Pages inside a `.zip` or `.tar` (`.tar.gz`, `.tgz`, `.tar.bz2`, `.tar.xz`)
archive, for `cleaner batch`.

A crawl or a site mirror often travels as one archive of HTML files; before,
`cleaner batch dump.zip` gave one error record ("input looks like ZIP
archive"). Now each file in it is a document, in archive order, its source
`ARCHIVE:MEMBER`. Only the standard library is needed.

A member is read only up to the size limit, whatever the archive says its
size is (a zip entry's size is the archive's claim, and a few kilobytes of
deflate can hold gigabytes). A damaged archive keeps the members read before
the damage and ends with one error record, as a damaged WARC does; but a tar
cut exactly between two members just ends there (tar has no index to tell),
and a zip cut short cannot be read at all (its index is at its end). A zip
member that does not decompress is its own error record: the index still
says where the next one is.
"""

from __future__ import annotations

import lzma
import tarfile
import zipfile
import zlib
from pathlib import Path, PurePosixPath
from typing import IO, Iterator

from .batch import DocumentError, Item
from .reading import has_suffix, over_limit, read_at_most

# What reading a damaged archive raises: the standard library's own errors,
# and those of the decompressors under it (zlib's and lzma's are no OSError).
_DAMAGED = (OSError, EOFError, ValueError, RuntimeError, NotImplementedError, zipfile.BadZipFile, tarfile.TarError,
            zlib.error, lzma.LZMAError)
_TAR_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz")


def is_page_archive(path: Path) -> bool:
    """A zip or tar archive, by its name (as `.warc` and `.jsonl` are told)."""
    return has_suffix(path, ".zip", *_TAR_SUFFIXES)


def archive_pages(path: Path, max_bytes: int, pattern: str = "*") -> Iterator[tuple[str, Item]]:
    """(ARCHIVE:MEMBER, the member's bytes or its DocumentError) for each
    regular file in the archive whose name matches `pattern` (as `--glob`
    picks files in a folder), in archive order; an archive that cannot be
    read, or stops being readable, ends with one (path, DocumentError)."""
    reader = _zip_members if has_suffix(path, ".zip") else _tar_members
    try:
        for name, item in reader(path, max_bytes, pattern):
            yield f"{path}:{name}", item
    except _DAMAGED as exc:
        yield str(path), DocumentError(0, f"cannot read {path} as an archive: {exc}")


def _member(stream: IO[bytes], size: int, limit: int) -> Item:
    if size > limit:
        return DocumentError(0, over_limit(size, limit))
    data = read_at_most(stream, limit)
    return DocumentError(0, over_limit(None, limit)) if data is None else data


def _wanted(name: str, pattern: str) -> bool:
    return PurePosixPath(name).match(pattern)


def _zip_members(path: Path, limit: int, pattern: str) -> Iterator[tuple[str, Item]]:
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if info.is_dir() or not _wanted(info.filename, pattern):
                continue
            try:
                with archive.open(info) as stream:
                    item = _member(stream, info.file_size, limit)
            except _DAMAGED as exc:  # encrypted, a compression zipfile lacks, or damaged
                item = DocumentError(0, f"cannot read {info.filename} in {path}: {exc}")
            yield info.filename, item


def _tar_members(path: Path, limit: int, pattern: str) -> Iterator[tuple[str, Item]]:
    # Streaming mode ("r|*"): members are read in order and never all held.
    with tarfile.open(path, "r|*") as archive:
        for info in archive:
            if not info.isfile() or not _wanted(info.name, pattern):
                continue
            stream = archive.extractfile(info)
            if stream is not None:
                yield info.name, _member(stream, info.size, limit)
