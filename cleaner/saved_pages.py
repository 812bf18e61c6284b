"""Pages a browser saved as one file: MHTML and Safari web archives.

"Save page as… Webpage, Single File" writes MHTML in Chrome, Edge and Opera
(Internet Explorer wrote the same as `.mht`): a MIME `multipart/related`
message whose root part is the page's HTML, mostly quoted-printable, followed
by its style sheets, images and frames. Safari writes a `.webarchive`: a
binary property list whose WebMainResource holds the page's bytes. Read as
they are, both gave nothing: trafilatura finds no article in
quoted-printable markup (`class=3D"..."`, lines cut with `=`), and a web
archive is refused as binary data. So the page is taken out of its wrapper
first and cleaned as the HTML it is.

The MHTML parts are found by their boundary and read one at a time, stopping
at the root page: it comes first in what browsers write, and the images after
it can be most of the file (the standard library's `email` parser reads the
whole message, 0.13 s for 8 MB). Each part's headers go to that parser.
"""

from __future__ import annotations

import binascii
import plistlib
import re
from email.message import Message
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import collapse_rfc2231_value
from typing import Iterator

from .decode import decode_bytes, web_codec
from .errors import InputError

# The first line of a MIME message is a header field: a name of printable
# ASCII other than ":", then ":". The header block is looked for in the first
# HEAD_BYTES: a page's headers are a few hundred bytes.
_FIELD = re.compile(rb"[!-9;-~]{1,76}:")
_BLANK_LINE = re.compile(rb"\r?\n\r?\n")
HEAD_BYTES = 65_536
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_WEB_ARCHIVE_MAGIC = b"bplist00"


def unwrap_saved_text(text: str) -> tuple[str, str] | None:
    """`unwrap_saved_page` of an MHTML file given as text (read from its file
    as a string): MHTML is ASCII but for parts sent as 8-bit, which the
    string holds as they were decoded. None for any other text, known by its
    first line and its header block before anything is encoded."""
    if not _FIELD.match(text[:80].encode("ascii", "replace")) or "multipart/related" not in text[:HEAD_BYTES].lower():
        return None
    return unwrap_saved_page(text.encode("utf-8", "surrogatepass"))


def unwrap_saved_page(data: bytes) -> tuple[str, str] | None:
    """(the saved page's text, its kind: "html" or "text") for an MHTML file
    or web archive; None for anything else.

    Raises InputError for a file that is one but whose page cannot be read
    (no HTML part, broken base64, a damaged archive), naming the format."""
    head = _mhtml_head(data)
    if head is not None:
        return _mhtml_page(data[head[1]:], head[0]), "html"
    if data.startswith(_WEB_ARCHIVE_MAGIC) and b"WebMainResource" in data:
        return _web_archive_page(data)
    return None


def _mhtml_head(data: bytes) -> tuple[Message, int] | None:
    """The top-level headers and where the body starts, when `data` opens
    as a multipart/related MIME message with a boundary; else None."""
    if not _FIELD.match(data, 0, 80):  # most input: a page or a text, told by its first bytes, uncopied
        return None
    start = data[:HEAD_BYTES]
    if b"multipart/related" not in start.lower():
        return None
    end = _BLANK_LINE.search(start)
    if end is None:
        return None
    head = _headers(start[: end.start()])
    if head.get_content_type() != "multipart/related" or not head.get_param("boundary"):
        return None
    return head, end.end()


def _headers(block: bytes) -> Message:
    return BytesHeaderParser(policy=compat32).parsebytes(block + b"\r\n\r\n")


_NO_HEADERS = _headers(b"")  # read only: text/plain, no name


def _mhtml_page(body: bytes, head: Message) -> str:
    """The root page of an MHTML file: the part named by the `start`
    parameter (RFC 2387) or by Snapshot-Content-Location (what Chrome
    writes), else the first HTML part."""
    boundary = _param(head, "boundary").encode("ascii", "replace")
    wanted_id = _bare(_param(head, "start"))
    wanted_location = _bare(head.get("Snapshot-Content-Location"))
    first_html: tuple[Message, bytes, bool] | None = None
    for part_head, content, whole in _leaf_parts(body, boundary):
        named = (wanted_id and _bare(part_head.get("Content-ID")) == wanted_id) or (
            wanted_location and _bare(part_head.get("Content-Location")) == wanted_location)
        is_html = part_head.get_content_type() in _HTML_TYPES
        if named and is_html:
            return _whole_part_text(part_head, content, whole)
        if is_html and first_html is None:
            first_html = (part_head, content, whole)
            if not (wanted_id or wanted_location):
                break
    if first_html is None:
        raise InputError("input is an MHTML file with no HTML page in it (no text/html part)")
    return _whole_part_text(*first_html)


def _whole_part_text(head: Message, content: bytes, whole: bool) -> str:
    """The page part's text; InputError when the file ends inside it (a
    download cut short gave the page's first half as if it were all)."""
    if not whole:
        raise InputError("input is an MHTML file cut short inside its page (no closing boundary after it)")
    return _part_text(head, content)


def _param(head: Message, name: str) -> str:
    """A Content-Type parameter as text ("" when absent), also when written
    in RFC 2231's encoded form, which the parser gives as a tuple."""
    value = head.get_param(name)
    return collapse_rfc2231_value(value) if value else ""


def _bare(value: object) -> str:
    """A Content-ID or location as compared: without "<>", spaces and case."""
    return str(value).strip().strip("<>").strip().lower() if value else ""


# How deep multipart parts inside parts are followed (an email client's
# .mht holds its page in a multipart/alternative beside a plain-text copy).
_NESTING = 4


def _leaf_parts(body: bytes, boundary: bytes, depth: int = 0) -> Iterator[tuple[Message, bytes, bool]]:
    """`_parts`, with the parts of each multipart part in its place (up to
    _NESTING deep); a part inside one cut short is not whole either."""
    for head, content, whole in _parts(body, boundary):
        inner = _param(head, "boundary") if head.get_content_maintype() == "multipart" else ""
        if not inner or depth >= _NESTING:
            yield head, content, whole
            continue
        for part_head, part_content, part_whole in _leaf_parts(content, inner.encode("ascii", "replace"), depth + 1):
            yield part_head, part_content, whole and part_whole


def _parts(body: bytes, boundary: bytes) -> Iterator[tuple[Message, bytes, bool]]:
    """(headers, content, whole) of each part, in order, read as they are
    reached; `whole` is False for a last part no delimiter closes (the file
    was cut short inside it).

    A delimiter is "--boundary" on a line of its own; the line break before
    it belongs to it (RFC 2046)."""
    mark = b"--" + boundary
    content_start = None
    for at, line_end in _delimiters(body, mark):
        closing = body.startswith(b"--", at + len(mark))
        if content_start is not None:
            yield (*_split_part(body[content_start: at - _break_before(body, at)]), True)
        if closing or line_end == len(body):
            return
        content_start = line_end + 1
    if content_start is not None:  # no closing delimiter: the file was cut short
        yield (*_split_part(body[content_start:]), False)


def _delimiters(body: bytes, mark: bytes) -> Iterator[tuple[int, int]]:
    """(start, end of line) of each delimiter line: `mark` at a line start,
    followed by "--" (the last one) or by nothing but spaces. Only a mark at
    a line start is read to its line's end, so the scan stays linear."""
    at = body.find(mark)
    while at >= 0:
        if at == 0 or body[at - 1] == 0x0A:
            line_end = body.find(b"\n", at)
            line_end = len(body) if line_end < 0 else line_end
            after = body[at + len(mark): line_end]
            if after.startswith(b"--") or not after.strip():
                yield at, line_end
        at = body.find(mark, at + len(mark))


def _break_before(body: bytes, at: int) -> int:
    """Length of the line break that ends just before `at` (0, 1 or 2)."""
    if at >= 2 and body[at - 2: at] == b"\r\n":
        return 2
    return 1 if at >= 1 and body[at - 1] == 0x0A else 0


def _split_part(part: bytes) -> tuple[Message, bytes]:
    """A part's headers and content. Headers that mention neither "html"
    nor "multipart" cannot make it a page or hold one, and are not parsed:
    a file of many small parts would otherwise cost a parser run each."""
    if part.startswith((b"\r\n", b"\n")):  # no headers: text/plain by default, so never the page
        return _NO_HEADERS, b""
    end = _BLANK_LINE.search(part)
    head, content = (part, b"") if end is None else (part[: end.start()], part[end.end():])
    lowered = head.lower()
    return (_headers(head) if b"html" in lowered or b"multipart" in lowered else _NO_HEADERS), content


def _part_text(head: Message, content: bytes) -> str:
    """A part's content, transfer-decoded, then read in its declared charset
    or, without one, as any page's bytes are (`decode.decode_bytes`)."""
    encoding = str(head.get("Content-Transfer-Encoding", "")).strip().lower()
    try:
        if encoding == "quoted-printable":
            content = binascii.a2b_qp(content)
        elif encoding == "base64":
            content = binascii.a2b_base64(content)
    except (binascii.Error, ValueError) as exc:
        raise InputError(f"input is an MHTML file whose page does not decode as {encoding} ({exc})") from exc
    return _decode(content, head.get_content_charset())


def _decode(content: bytes, charset: str | None) -> str:
    codec = web_codec(charset) if charset else None
    if codec is not None:
        try:
            return content.decode(codec)
        except UnicodeDecodeError:
            pass  # a wrong label: read the bytes as any page's
    return decode_bytes(content)


def _web_archive_page(data: bytes) -> tuple[str, str]:
    """The main resource of a Safari web archive and its kind."""
    try:
        archive = plistlib.loads(data)
    except Exception as exc:  # plistlib raises many types for damaged files
        raise InputError(f"input is a Safari web archive that could not be read ({type(exc).__name__})") from exc
    main = archive.get("WebMainResource") if isinstance(archive, dict) else None
    content = main.get("WebResourceData") if isinstance(main, dict) else None
    if not isinstance(main, dict) or not isinstance(content, bytes):
        raise InputError("input is a Safari web archive with no page in it (no WebMainResource data)")
    mime = str(main.get("WebResourceMIMEType", "text/html")).strip().lower()
    if mime not in _HTML_TYPES and not mime.startswith("text/"):
        raise InputError(f"input is a Safari web archive of a {mime[:60]} file, not of a page")
    charset = main.get("WebResourceTextEncodingName")
    return _decode(content, charset if isinstance(charset, str) else None), "html" if mime in _HTML_TYPES else "text"
