"""HTML pages out of WARC archives (`.warc`, `.warc.gz`), for `cleaner batch`.

Only response records whose HTTP status is 2xx and whose Content-Type is HTML
(text/html, application/xhtml+xml; or no type and a payload that looks like
HTML) become documents; requests, metadata, revisits, images and redirects are
skipped. A page's source is its WARC-Target-URI, and its bytes are decoded by
the charset of its HTTP Content-Type when that works (browsers rank it above a
<meta> tag); otherwise the bytes go to the cleaner's own decoding.

A damaged archive never costs the pages before the damage: they are yielded as
read, and the damage becomes one error record (a truncated last record, bytes
that are not WARC, a broken gzip member) after them.

Library: warcio, chosen by measurement against FastWARC 2.0.1 on this project's
2-core machine (3,000 HTML responses of ~31 KB plus 3,300 request, image and
metadata records, built from training_data/; 5 alternating rounds, medians):
reading every HTML payload took 0.28 ms per page with warcio and 0.11 ms with
FastWARC from .warc.gz (0.12 / 0.02 ms from .warc). Cleaning a page takes
~20 ms, so the reader is ~1.4% of the per-page cost with warcio and ~0.5%
with FastWARC: the faster reader cannot buy a measurable batch speed-up.
warcio is pure Python (one 0.3 MB wheel for every platform, needs only `six`),
maintained by Webrecorder for a decade (1.8.1, 2026); FastWARC 2.0 is a
5 MB native (Rust) wheel plus brotli, click and tqdm, with no musllinux wheel.
Neither raises on a truncated archive (warcio drops the cut record, FastWARC
yields it empty), so both would need the checks below. `python
scripts/benchmark.py --only batch` measures warcio's reading cost again.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import re
from pathlib import Path
from typing import IO, Iterator

from .batch import CarriedSource, DocumentError, Item
from .decode import looks_like_html, sniff_binary, web_codec
from .pipeline import DEFAULT_MAX_BYTES
from .reading import has_suffix, read_at_most

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9._:-]{1,40})""", re.IGNORECASE)
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def is_warc(path: Path) -> bool:
    return has_suffix(path, ".warc", ".warc.gz")


class _Counting:
    """Counts the raw payload bytes warcio reads, to tell a whole record from a cut one."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.count = 0

    def read(self, size: int | None = None) -> bytes:
        data = self.stream.read(-1 if size is None else size)
        self.count += len(data)
        return data

    def readline(self, size: int | None = None) -> bytes:
        data = self.stream.readline(-1 if size is None else size)
        self.count += len(data)
        return data


def warc_pages(path: Path, max_bytes: int = DEFAULT_MAX_BYTES, carry: tuple[str, ...] = ()) -> Iterator[tuple[str, Item]]:
    """(WARC-Target-URI, document) for each HTML response in the archive, in
    archive order, a page over `max_bytes` as its DocumentError; a damaged
    archive ends with one (path, DocumentError). With `carry` (WARC header
    names, such as WARC-Date), the URI is a `CarriedSource` holding the
    record's values of those headers."""
    from warcio.archiveiterator import ArchiveIterator

    try:
        fh = path.open("rb")
    except OSError as exc:
        yield str(path), DocumentError(0, f"cannot read {path}: {exc.strerror}")
        return
    with fh:
        archive = ArchiveIterator(fh)
        archive.loader = _lenient_loader(archive.loader)
        records = iter(archive)
        end = 0
        try:
            while True:
                # warcio prints multi-line warnings about stray bytes to stderr;
                # the damage is reported as an error record instead.
                with contextlib.redirect_stderr(io.StringIO()):
                    record = next(records, None)
                    if record is None:
                        break
                    page = _page(record, max_bytes)
                    if page is not None and carry:
                        page = (_carried(page[0], record, carry), page[1])
                    end = archive.get_record_offset() + archive.get_record_length()
                    _check_member_end(archive)
                if page is not None:
                    yield page
            size = fh.seek(0, 2)
            fh.seek(end)
            if size - end > 64 or fh.read(64).strip():
                raise _Damaged("the archive ends inside a record (truncated?)")
        except Exception as exc:  # warcio raises its own, zlib, EOF and attribute errors on damage
            yield str(path), DocumentError(0, f"damaged WARC {path} after byte {end:,}: {_reason(exc)}")


def _lenient_loader(loader):
    """warcio's record loader, but one that reads a record without a
    WARC-Target-URI (which the WARC standard requires of a response) rather
    than fail on it (an AttributeError, which ended the archive there and
    lost every page after it). Its HTTP headers are not parsed, as for any
    record whose URI is not http(s); `_page` makes it an error record."""
    load_http_headers = loader.load_http_headers

    def lenient(rec_type, uri, stream, length):
        return load_http_headers(rec_type, "" if uri is None else uri, stream, length)

    loader.load_http_headers = lenient
    return loader


def _carried(uri: str, record, names: tuple[str, ...]) -> str:
    found = {name: record.rec_headers.get_header(name) for name in names}
    return CarriedSource(uri, {name: value for name, value in found.items() if value is not None})


class _Damaged(Exception):
    pass


def _check_member_end(archive) -> None:
    """In a .warc.gz each record is a gzip member; one cut inside its last
    bytes still yields the whole record, but the file ends there, and the
    records after it are gone. Only the missing end-of-member marker tells."""
    decompressor = getattr(getattr(archive, "reader", None), "decompressor", None)
    if decompressor is not None and not getattr(decompressor, "eof", True):
        raise _Damaged("a gzip member is cut short (truncated archive?)")


def _reason(exc: Exception) -> str:
    if isinstance(exc, _Damaged):
        return str(exc)
    first = str(exc).splitlines()[0][:120] if str(exc) else ""
    if type(exc).__name__ == "ArchiveLoadFailed":
        return first
    return f"unreadable record ({type(exc).__name__}: {first})"


def _page(record, max_bytes: int) -> tuple[str, Item] | None:
    """The record's (URI, document); None when it is not an HTML page. Reads
    the whole record to check that it is all there."""
    counter = _Counting(record.raw_stream)
    record.raw_stream = counter
    page = _html_page(record, max_bytes)
    while counter.read(1 << 16):
        pass
    # Content-Length is mandatory in WARC; warcio reads a missing one as 0.
    declared = (record.rec_headers.get_header("Content-Length") or "").strip().isdigit()
    expected = record.payload_length if record.payload_length >= 0 else record.length if declared else None
    if expected is not None and counter.count == expected:
        return page
    if page is None:
        raise _Damaged("the archive ends inside a record (truncated?)")
    cut = f"{counter.count:,} of {expected:,} bytes" if expected is not None else "no Content-Length"
    return page[0], DocumentError(0, f"record cut short ({cut}): the archive is truncated")


def _html_page(record, max_bytes: int) -> tuple[str, Item] | None:
    if record.format == "warc" and record.rec_type == "response" and record.rec_headers.get_header("WARC-Target-URI") is None:
        record_id = record.rec_headers.get_header("WARC-Record-ID") or "(no WARC-Record-ID either)"
        return "", DocumentError(0, f"the response record {record_id} has no WARC-Target-URI: which page it holds cannot be told")
    if record.rec_type != "response" or record.http_headers is None:
        return None
    status = record.http_headers.get_statuscode() or ""
    if not status.startswith("2"):
        return None
    uri = record.rec_headers.get_header("WARC-Target-URI") or ""
    content_type = record.http_headers.get_header("Content-Type") or record.rec_headers.get_header("WARC-Identified-Payload-Type") or ""
    mime = content_type.split(";")[0].strip().lower()
    if mime and mime not in _HTML_TYPES:
        return None
    try:
        payload = read_at_most(record.content_stream(), max_bytes)  # a page may inflate without end
    except Exception as exc:  # a bad Content-Encoding or chunking spoils this page only
        return uri, DocumentError(0, f"cannot decode the payload: {type(exc).__name__}: {exc}")
    if payload is None:
        return uri, DocumentError(0, f"page is over the limit of {max_bytes:,} bytes")
    document = decode_http(payload, content_type)
    if not mime and not looks_like_html(document if isinstance(document, str) else document[:4096].decode("latin-1")):
        return None
    return uri, ("html", document)


def decode_http(payload: bytes, content_type: str) -> str | bytes:
    """Decode by the HTTP charset; bytes (for the cleaner's own decoding) when
    there is none, it is unknown, it does not fit, a BOM overrides it, or the
    payload is binary (so the cleaner names what it is)."""
    match = _CHARSET.search(content_type)
    if not match or payload.startswith(_BOMS) or sniff_binary(payload) is not None:
        return payload
    codec = web_codec(match.group(1))
    if codec is None:
        return payload
    try:
        return payload.decode(codec)
    except UnicodeError:
        return payload
