"""Turn input bytes into text and tell HTML from plain text.

Bytes are decoded by BOM first (it is unambiguous), then as UTF-16 if every other
byte is zero, then by a charset the document declares (HTML meta or XML prolog),
then UTF-8, then statistical detection. Binary data is refused rather than
decoded into mojibake, because cleaning a PNG as text produces garbage that
looks like a result.
"""

from __future__ import annotations

import codecs
import re
import zlib
from itertools import islice

from .charset_choice import choose_reading, second_opinion
from .fragment import is_fragment
from .errors import InputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Possessive "\s*+" throughout: two optional runs of spaces side by side would
# otherwise try every split of a long run of spaces (quadratic).
_DECLARED = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*+=\s*+["']?\s*+([A-Za-z0-9._:-]{1,40})"""
    rb"""|<\?xml[^>]{0,100}?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})""",
    re.IGNORECASE,
)
_WELL_FORMED_NON_ASCII = re.compile("[^\x00-\x7f\ufffd]")
GZIP_MAGIC = b"\x1f\x8b"
_TAR = "tar archive"
_PARQUET = "Parquet file"
# Formats `cleaner batch` opens (`archives.py`, `parquet.py`): the error says so.
_BATCH_READS = frozenset({"ZIP archive", _TAR, _PARQUET})
# Detector mess scores this close count as a tie.
_CHAOS_TIE = 0.005
_MAGIC = {
    b"\x89PNG\r\n\x1a\n": "PNG image",
    b"%PDF-": "PDF document",
    b"GIF87a": "GIF image",
    b"GIF89a": "GIF image",
    b"\xff\xd8\xff": "JPEG image",
    b"PK\x03\x04": "ZIP archive",
    GZIP_MAGIC: "gzip data",  # left after `gunzip`: gzip inside gzip
    b"RIFF": "RIFF media",
    b"\x7fELF": "ELF binary",
    b"\x28\xb5\x2f\xfd": "zstd data",  # `cleaner batch` reads .jsonl.zst
}
_PARQUET_MAGIC = b"PAR1"  # at both ends of the file: a text may well start with it
# A page opens with a comment, or with comments and then a tag. The comments are
# matched possessively ("*+"): with a plain "*" each ".*?" may stretch over the
# comments after it, and a run of empty comments takes exponential time to fail.
_HTML_START = re.compile(
    r"\s*+(?:<!--[\s>/]|(?:<!--.*?-->\s*+)*+<(?:!doctype\s+html|html|head|body|meta|title|div|article|section|p|span|table|main|header|nav)[\s>/])",
    re.IGNORECASE | re.DOTALL,
)
_HTML_TAG = re.compile(
    r"</?(?:html|head|body|div|p|span|a|article|section|ul|ol|li|h[1-6]|br|table|tr|td|script|style|meta|link|img|main|nav|footer|header|aside|figure|blockquote)\b[^<>]{0,500}>",
    re.IGNORECASE,
)


WARC_MAGIC = b"WARC/"
MANY_PAGES = "input is a WARC archive, which holds many pages: clean them with `cleaner batch FILE` (in Python, `cleaner.warc.warc_pages`)"


def opens_as_warc(data: bytes) -> bool:
    """Whether `data` is a WARC archive, plain or gzipped (the start of its
    first gzip member tells, without decompressing the rest)."""
    if data.startswith(GZIP_MAGIC):
        try:
            data = zlib.decompressobj(wbits=31).decompress(data[:4096], len(WARC_MAGIC))
        except zlib.error:
            return False
    return data.startswith(WARC_MAGIC)


def sniff_binary(data: bytes) -> str | None:
    """Name the binary format of `data`, or None if it may be text."""
    for magic, name in _MAGIC.items():
        if data.startswith(magic):
            return name
    if data.startswith(_PARQUET_MAGIC) and data.endswith(_PARQUET_MAGIC) and len(data) >= 12:
        return _PARQUET
    head = data[:4096]
    if head[257:262] == b"ustar":  # a POSIX tar header's magic
        return _TAR
    if not head:
        return None
    if any(head.startswith(bom) for bom, _ in _BOMS) or _bomless_utf16(head):
        return None
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    if controls / len(head) > 0.10:
        return "binary data"
    return None


def gunzip(data: bytes, limit: int) -> bytes:
    """Decompress gzip data (a saved `page.html.gz`, a response body still
    compressed), every member of it, refusing more than `limit` bytes out:
    a few kilobytes of gzip can hold gigabytes."""
    out = bytearray()
    rest = data
    while rest:
        member = zlib.decompressobj(wbits=31)
        try:
            out += member.decompress(rest, limit + 1 - len(out))
        except zlib.error as exc:
            raise InputError(f"input is gzip data that does not decompress ({exc})") from exc
        if len(out) > limit or member.unconsumed_tail:
            raise InputError(f"input is over the limit of {limit:,} bytes once decompressed (raise it with --max-bytes or max_bytes=)")
        if not member.eof:
            raise InputError("input is gzip data cut short")
        rest = member.unused_data.lstrip(b"\x00")  # members may be padded with zeros
    return bytes(out)


def decode_bytes(data: bytes) -> str:
    """Decode a document's bytes, or raise InputError naming why it cannot be."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(f"input starts with a {encoding} byte-order mark but does not decode as {encoding}") from exc
    kind = sniff_binary(data)
    if kind is not None:
        what = "rows" if kind == _PARQUET else "files"
        hint = f": `cleaner batch` reads the {what} in it" if kind in _BATCH_READS else ""
        raise InputError(f"input looks like {kind}, not text or HTML{hint}")
    bomless = _bomless_utf16(data[:4096])
    if bomless is not None:
        try:
            return data.decode(bomless)
        except UnicodeDecodeError as exc:
            raise InputError(f"input looks like {bomless} text without a byte-order mark but does not decode as {bomless}") from exc
    declared = _declared_charset(data[:8192])
    if declared:
        try:
            return data.decode(declared)
        except UnicodeError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Pages that are UTF-8 but for a few stray bytes are common; statistical
    # detection mislabels them as some legacy codepage and garbles every accent.
    # Without a single well-formed UTF-8 character, though, the odd bytes are
    # a legacy code page's (a Windows-1252 apostrophe in English text), and
    # detection reads them right where UTF-8 would make them U+FFFD.
    # A stray well-formed sequence among many legacy bytes is chance, though:
    # it takes more well-formed characters than bad bytes to call it UTF-8.
    lenient = data.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd")
    if bad <= _few(len(lenient)) and sum(1 for _ in islice(_WELL_FORMED_NON_ASCII.finditer(lenient), bad + 1)) > bad:
        return lenient
    return _detect(data)


def _few(length: int) -> int:
    """How many undecodable bytes a text of this length may hold and still be
    read in the encoding that fits the rest."""
    return max(2, length // 1000)


def _bomless_utf16(head: bytes) -> str | None:
    """Name the byte order of UTF-16 text saved without a BOM, or None.

    Text in the Latin range has a zero byte in every other position; without
    this check such a file would be refused as binary data.
    """
    if len(head) < 8 or len(head) % 2:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) <= 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) >= 0.9 * len(even) and odd.count(0) <= 0.1 * len(odd):
        return "utf-16-be"
    return None


# Python codecs that decode bytes to text but are no web page's encoding: a
# page declaring one ("undefined", "unicode_escape") is wrong about itself, and
# some of them raise a bare UnicodeError or make lone surrogates ("utf-7",
# which browsers dropped for its use in attacks).
_NOT_WEB_CODECS = frozenset({
    "undefined", "unicode-escape", "raw-unicode-escape", "utf-7", "punycode", "idna", "mbcs", "oem",
    "cp037", "cp273", "cp424", "cp500", "cp875", "cp1026", "cp1140",  # EBCDIC: an ASCII page so labelled came out empty
})
# Labels browsers read otherwise than Python's codec of that name does (the
# WHATWG Encoding Standard): the Windows superset of a legacy code page (its
# curly quotes and extra characters would otherwise be C1 controls or
# errors), and labels Python does not know.
_WEB_LABELS = {
    "x-sjis": "cp932", "windows-31j": "cp932", "x-gbk": "gbk", "x-mac-cyrillic": "mac-cyrillic", "x-mac-ukrainian": "mac-cyrillic",
    "x-mac-roman": "mac-roman", "macintosh": "mac-roman", "iso-8859-8-i": "iso8859-8", "logical": "iso8859-8",
    "x-user-defined": "cp1252", "x-cp1250": "cp1250", "x-cp1251": "cp1251",
}
_WEB_CODECS = {
    "latin-1": "cp1252", "iso8859-1": "cp1252", "ascii": "cp1252", "iso8859-9": "cp1254", "tis-620": "cp874",
    "iso8859-11": "cp874", "shift_jis": "cp932", "gb2312": "gbk", "euc_kr": "cp949",
}


def web_codec(label: str) -> str | None:
    """The Python codec for a charset label a page or server declares, read
    as browsers read it (Latin-1 as Windows-1252, Shift JIS as its Windows
    superset, ...), or None for one that names no web encoding."""
    label = label.strip().lower()
    try:
        info = codecs.lookup(_WEB_LABELS.get(label, label))
    except LookupError:
        return None
    if info.name in _NOT_WEB_CODECS or not getattr(info, "_is_text_encoding", True):
        return None
    return _WEB_CODECS.get(info.name, info.name)


def _declared_charset(head: bytes) -> str | None:
    match = _DECLARED.search(head)
    if not match:
        return None
    codec = web_codec((match.group(1) or match.group(2)).decode("ascii"))
    if codec is None:
        return None
    # A declaration we could read as ASCII cannot be in UTF-16 or UTF-32 (the
    # HTML standard reads such pages as UTF-8): decoding ASCII as UTF-16 pairs
    # bytes into CJK characters.
    if codec.startswith(("utf-16", "utf-32")):
        return "utf-8"
    return codec


def _detect(data: bytes) -> str:
    from charset_normalizer import from_bytes

    sample = _detection_sample(data)
    matches = from_bytes(sample)
    if matches.best() is None and len(sample) < len(data):
        matches = from_bytes(sample[:-1])  # cut inside a two-byte character, in a text without line breaks
    best = matches.best()
    if best is None or best.encoding is None:
        raise InputError("input is not valid UTF-8 and its encoding could not be detected")
    # Readings that the detector finds equally clean (short texts in Latin
    # code pages) are told apart by their letters (`charset_choice.py`).
    tied = [match for match in matches if match.chaos <= best.chaos + _CHAOS_TIE]
    encoding = choose_reading((match.could_be_from_charset, str(match)) for match in tied) if len(tied) > 1 else best.encoding
    if encoding == "ascii":
        encoding = "cp1252"  # the sample was ASCII, the rest is not: the web's default
    text = _decode_mostly(data, encoding)
    # Judged on the sample, the part of the text that tells code pages apart.
    fallback = second_opinion(sample, sample.decode(encoding, errors="replace"), encoding)
    if fallback is None:
        return text
    try:
        return data.decode(fallback)
    except UnicodeDecodeError:
        return text  # a byte past the sample that code page leaves undefined


_SAMPLE_BYTES = 200_000
_NON_ASCII_BYTE = re.compile(rb"[\x80-\xff]")
_CONTEXT = 200  # ASCII kept before a line's first non-ASCII byte
_PART = 20_000  # a long line is cut about here


def _detection_sample(data: bytes) -> bytes:
    """What detection reads: the stretches of the input that hold non-ASCII
    bytes (each from a little before its line's first one, to its line's
    end or a space some 20 KB on), up to 200 KB of them. ASCII says nothing
    of a code page, and the detector reads a few pieces spread over what it
    is given: a Russian paragraph among 6 KB of English, or past the first
    200 KB of a long file, went unseen (the file was refused as ASCII, or
    read as Shift JIS). The cuts fall on ASCII, line breaks or spaces, so
    two-byte characters stay whole."""
    parts: list[bytes] = []
    held = 0
    at = _NON_ASCII_BYTE.search(data)
    while at is not None and held < _SAMPLE_BYTES:
        first = at.start()
        line_start = data.rfind(b"\n", max(0, first - _CONTEXT), first) + 1
        start = max(line_start, first - _CONTEXT)  # ASCII up to `first`: no character is cut
        end = data.find(b"\n", first) + 1 or len(data)
        if end - first > _PART:
            # A long line: cut after a space, which is never part of a two-byte character.
            space = data.rfind(b" ", first + _PART // 2, first + _PART)
            end = space + 1 if space >= 0 else end
        parts.append(data[start:end])
        held += end - start
        at = _NON_ASCII_BYTE.search(data, end)
    if not parts:
        return data[:_SAMPLE_BYTES]
    sample = b"".join(parts)
    if len(sample) <= _SAMPLE_BYTES:
        return sample
    cut = sample.rfind(b"\n", _SAMPLE_BYTES // 2, _SAMPLE_BYTES) + 1
    return sample[: cut or _SAMPLE_BYTES]


def _decode_mostly(data: bytes, encoding: str) -> str:
    """`data` in `encoding`; a few bytes past the detection sample that do
    not fit become U+FFFD, as in UTF-8 with stray bytes; more is an error."""
    try:
        return data.decode(encoding)
    except (UnicodeError, LookupError) as exc:
        error = exc
    try:
        text = data.decode(encoding, errors="replace")
    except (UnicodeError, LookupError):
        text = None
    if text is None or text.count("\ufffd") > _few(len(text)):
        raise InputError(f"input does not decode as its detected encoding {encoding}") from error
    return text


def looks_like_html(text: str) -> bool:
    """True when `text` is an HTML document rather than prose that mentions tags.

    A document counts as HTML when it opens with markup, or when tags are dense:
    a sentence quoting "<b>" once is still text. Markdown that holds HTML (a
    README opening with a centred `<div>` logo, `<br>`s in a scraped page) is
    text when it is no whole page and its Markdown is a good part of its lines.
    """
    sample = text[:100_000]
    if _HTML_START.match(text[:2000]):
        return not _markdown_with_html(sample)
    tags = _HTML_TAG.findall(sample)
    if len(tags) < 5 or not _tags_close(tags):
        return False
    tag_chars = sum(len(t) for t in tags)
    return (tag_chars / max(len(sample), 1) > 0.05 or len(tags) > 50) and not _markdown_with_html(sample)


# Elements that never close, or whose end tag HTML lets be left out (and
# old pages do leave out); a page's other elements mostly close.
_NEED_NO_END = frozenset(("br", "img", "meta", "link", "p", "li", "td", "tr", "th", "html", "head", "body"))
_CLOSED_SHARE = 0.25
_JUDGED_FROM = 3  # elements that must close, before their closing is asked for


def _tags_close(tags: list[str]) -> bool:
    """Whether the elements `tags` open are mostly closed again, as markup's
    are. Prose about HTML names tags ("wrap each paragraph in <p> and group
    them in a <div>") and seldom closes them: a tutorial naming twenty
    elements, cleaned as a page, came out empty. Only a text that does not
    open with markup is asked this (HTML lets `</p>` and `</li>` be left
    out, and old pages do)."""
    closing = sum(1 for tag in tags if tag.startswith("</"))
    opening = sum(1 for tag in tags if not tag.startswith("</") and _tag_name(tag) not in _NEED_NO_END)
    return opening < _JUDGED_FROM or closing >= _CLOSED_SHARE * opening


def _tag_name(tag: str) -> str:
    """"div" of "<div class='x'>"."""
    name = tag[1:].split(None, 1)[0] if len(tag) > 2 else ""
    return name.rstrip(">/").lower()


# A line of Markdown block syntax outside any tag: a heading, a list item, a
# fenced code block, or a link.
_MARKDOWN_LINE = re.compile(r"[ ]{0,3}(?:#{1,6} +[^\s<]|[-*+] +[^\s<]|```|\d{1,3}[.)] +[^\s<])|.*\]\([^()\s]+\)")
_MARKDOWN_SHARE = 0.2
# A line of nothing but table tags and cell text ("<tr>", "  <td>Mon</td>").
_TABLE_MARKUP_LINE = re.compile(r"\s*+(?:</?(?:table|thead|tbody|tfoot|tr|td|th|caption|colgroup|col)\b[^<>]*+>[^<>]*+)++$",
                                re.IGNORECASE)


def _markdown_with_html(sample: str) -> bool:
    """Whether `sample` is Markdown with HTML in it: no `<html>`, `<head>`,
    `<body>` or doctype, and at least two of its lines and a fifth of the
    lines with words on them (not counting the lines of an HTML table) are
    Markdown block syntax free of tags. An HTML fragment has its text inside
    tags, so its lines rarely qualify."""
    if not is_fragment(sample):
        return False
    # The lines of a table written in HTML (dozens of <tr> and <td> lines)
    # do not count: Markdown holding one was taken for a page. Other lines
    # that open with a tag do: in an HTML fragment they are most lines, and
    # a code block's "# comment" lines must not outweigh them.
    lines = [line for line in sample.splitlines() if line.strip() and not _TABLE_MARKUP_LINE.match(line)]
    markdown = sum(1 for line in lines if "<" not in line and _MARKDOWN_LINE.match(line))
    return markdown >= 2 and markdown >= _MARKDOWN_SHARE * len(lines)
