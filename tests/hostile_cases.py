"""The hostile-input corpus: every case is made here, from code, when first asked for.

Nothing big is committed: the 50 MB file, the 5 MB line, the 100,000-deep page
and the 10 MB attribute are built once per test session (`build` is cached)
and only by the tests that use them.

A case says what it must give: a result (and, for text, the exact base it must
report) or an error whose message names the problem.
"""

from __future__ import annotations

import gzip
import zlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from cleaner.pipeline import DEFAULT_MAX_BYTES

PARA = (
    "The harbour board met on Tuesday evening and voted to rebuild the old pier, "
    "which has been closed since the storm damaged its supports two winters ago."
)
PARA2 = "Engineers said the work would take eighteen months and that the pier would reopen to walkers first."
PARA3 = "Local traders welcomed the decision, saying the closure had cost them most of their summer visitors."
ARTICLE = f"{PARA}\n\n{PARA2}\n\n{PARA3}\n"


def _page(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head><title>Pier</title>{head}</head><body>{body}</body></html>"


def _article_html() -> str:
    return f"<article><h1>Pier to be rebuilt</h1><p>{PARA}</p><p>{PARA2}</p><p>{PARA3}</p></article>"


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", bytes([0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0])) + chunk(b"IDAT", zlib.compress(b"\x00\x00\x00\x00\x00")) + chunk(b"IEND", b"")


def _pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _mhtml(*parts: tuple[str, bytes]) -> bytes:
    """An MHTML file (as browsers save a page) of (content type, content)
    parts, each quoted-printable."""
    import binascii

    head = 'MIME-Version: 1.0\r\nContent-Type: multipart/related; type="text/html"; boundary="=b="\r\n\r\n'
    body = b"".join(b"--=b=\r\nContent-Type: " + kind.encode() + b"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                    + binascii.b2a_qp(content) + b"\r\n" for kind, content in parts)
    return head.encode() + body + b"--=b=--\r\n"


def _web_archive(content: bytes) -> bytes:
    import plistlib

    main = {"WebResourceData": content, "WebResourceMIMEType": "text/html", "WebResourceTextEncodingName": "UTF-8"}
    return plistlib.dumps({"WebMainResource": main}, fmt=plistlib.FMT_BINARY)


def _warc() -> bytes:
    page = _page(_article_html()).encode("utf-8")
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + page
    record = b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://example.org/pier\r\nContent-Length: %d\r\n\r\n" % len(http)
    return gzip.compress(record + http + b"\r\n\r\n", mtime=0)


def _nested(depth: int) -> str:
    return _page(f"<p>{PARA}</p>" + "<div>" * depth + f"<p>{PARA2}</p>" + "</div>" * depth + f"<p>{PARA3}</p>")


def _long_line(size: int) -> str:
    words = (PARA + " ") * (size // (len(PARA) + 1) + 1)
    return words[:size]


@dataclass(frozen=True)
class Case:
    """One hostile input and what it must give.

    `error`: a fragment the one-line error must contain (None: a result is
    expected). `base`: for text results, the exact text the report must index
    (the decoded input); `contains`: strings the base must hold (HTML results);
    `absent`: strings it must not hold (script code, say).
    """

    name: str
    make: Callable[[], bytes]
    error: str | None = None
    kind: str | None = None
    base: str | None = None
    contains: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    big: bool = False


def _text(name: str, text: str, **kw) -> Case:
    """A plain-text case saved as UTF-8: its base must be the text itself."""
    return Case(name, lambda: text.encode("utf-8"), kind="text", base=text, **kw)


def _html(name: str, html: str, **kw) -> Case:
    return Case(name, lambda: html.encode("utf-8"), kind="html", **kw)


_FRENCH = "Le garçon apporta les crêpes à la table près de la fenêtre, où la façade donnait sur la rue. Café crème, naïve idée.\n"
_RTL = "قال المجلس إن أعمال إعادة بناء الرصيف ستبدأ في الربيع المقبل.\nהמועצה אמרה כי עבודות השיקום יתחילו באביב הבא.\n"
_CJK = "港务局周二晚上开会，投票决定重建旧码头。\n工程师表示，这项工程需要十八个月。\n理事会は火曜日の夜に会合を開き、古い桟橋の再建を決定した。\n"
_MARKS = "Cafe\u0301 cre\u0300me and Z\u0351\u0334a\u0352\u0336l\u0353\u0337g\u0354\u0338o text 👩‍👩‍👧‍👦🏳️‍🌈👍🏽 zero\u200bwidth\u200c\u200djoin\u2060er\ufeffword.\nAdvertisement\n" + PARA + "\n"

CASES: tuple[Case, ...] = (
    Case("empty", lambda: b"", kind="text", base=""),
    _text("whitespace only", " \n\t\n   \r\n\u00a0\n"),
    _text("NUL bytes in text", f"{PARA}\x00\n\x00{PARA2}\n"),
    Case("only NUL bytes", lambda: b"\x00" * 4096, error="binary data"),
    Case("invalid UTF-8, a stray byte", lambda: (_FRENCH + ARTICLE).encode("utf-8").replace(b"pier", b"pi\xffr", 1), kind="text",
         base=(_FRENCH + ARTICLE).replace("pier", "pi\ufffdr", 1)),
    Case("ASCII but for one Windows-1252 apostrophe", lambda: ARTICLE.replace("pier", "town\u2019s pier", 1).encode("cp1252"),
         kind="text", base=ARTICLE.replace("pier", "town\u2019s pier", 1)),
    Case("invalid UTF-8, Latin-1 without declaration", lambda: (_FRENCH * 4).encode("latin-1"), kind="text", base=_FRENCH * 4),
    Case("UTF-8 with BOM", lambda: b"\xef\xbb\xbf" + ARTICLE.encode("utf-8"), kind="text", base=ARTICLE),
    Case("UTF-16 LE with BOM", lambda: b"\xff\xfe" + (_FRENCH + ARTICLE).encode("utf-16-le"), kind="text", base=_FRENCH + ARTICLE),
    Case("UTF-16 BE with BOM", lambda: b"\xfe\xff" + (_CJK + ARTICLE).encode("utf-16-be"), kind="text", base=_CJK + ARTICLE),
    Case("UTF-16 LE without BOM", lambda: ARTICLE.encode("utf-16-le"), kind="text", base=ARTICLE),
    Case("Latin-1 page declaring its charset",
         lambda: _page(f"<p>{_FRENCH}</p><p>{PARA}</p><p>{PARA2}</p>", '<meta charset="iso-8859-1">').encode("latin-1"),
         kind="html", contains=("garçon apporta les crêpes",)),
    Case("Windows-1252 page declaring its charset",
         lambda: _page(f"<p>\u201cWe will rebuild it,\u201d she said \u2013 {PARA}</p><p>{PARA2}</p>",
                       '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">').encode("cp1252"),
         kind="html", contains=("\u201cWe will rebuild it,\u201d she said \u2013",)),
    Case("page declaring UTF-16 but written in UTF-8", lambda: _page(f"<p>{PARA}</p><p>{PARA2} é</p>", '<meta charset="utf-16">').encode("utf-8"),
         kind="html", contains=(PARA2 + " é",)),
    Case("PNG image", _png, error="PNG image"),
    Case("PDF document", _pdf, error="PDF document"),
    Case("gzip-compressed page", lambda: gzip.compress(_page(_article_html()).encode("utf-8"), mtime=0), kind="html", contains=(PARA, PARA3)),
    Case("gzip cut short", lambda: gzip.compress(_page(_article_html()).encode("utf-8"), mtime=0)[:-12], error="gzip data cut short"),
    Case("gzip bomb", lambda: gzip.compress(b" " * (DEFAULT_MAX_BYTES + 1), mtime=0), error="once decompressed"),
    Case("gzip of gzip", lambda: gzip.compress(gzip.compress(ARTICLE.encode("utf-8"), mtime=0), mtime=0), error="gzip data"),
    Case("50 MB file", lambda: (ARTICLE * (50_000_000 // len(ARTICLE) + 1)).encode("utf-8")[:50_000_000],
         error="over the limit", big=True),
    Case("one byte over --max-bytes", lambda: _long_line(DEFAULT_MAX_BYTES + 1).encode("utf-8"), error="over the limit", big=True),
    Case("5 MB single line of text", lambda: _long_line(5_000_000).encode("utf-8"), kind="text", base=_long_line(5_000_000), big=True),
    Case("5 MB single line of HTML", lambda: _page(f"<p>{_long_line(5_000_000)}</p>").encode("utf-8"), kind="html",
         contains=(PARA,), big=True),
    Case("HTML nested 100,000 deep", lambda: _nested(100_000).encode("utf-8"), kind="html", contains=(PARA, PARA2, PARA3), big=True),
    Case("10 MB attribute", lambda: _page(f'<p title="{"x" * (DEFAULT_MAX_BYTES - 1000)}">{PARA}</p><p>{PARA2}</p>').encode("utf-8"),
         kind="html", contains=(PARA, PARA2), big=True),
    _html("400 unclosed spans before the article", _page("<span>tag " * 400 + _article_html()), contains=(PARA, PARA3)),
    _html("a script 300 unclosed divs deep", _page("<div>" * 300 + "<script>var secret = '<div>';</script><style>.x{}</style>" + _article_html()),
          contains=(PARA, PARA3), absent=("secret", ".x{}")),
    _html("unclosed tags", "<html><body><div><p>" + PARA + "<p>" + PARA2 + "<div><b>" + PARA3 + "<i><ul><li>one<li>two",
          contains=(PARA, PARA2)),
    _html("only scripts", _page("<script>var pier = 'x' + 1; document.write(pier);</script>" * 50,
                                "<script src='a.js'></script>"), absent=("document.write",)),
    _html("only styles", _page("<style>p { color: red } .pier { margin: 0 }</style>" * 50), absent=("color: red",)),
    _html("only iframes", _page("<iframe src='https://example.com/a'></iframe>" * 50), absent=("example.com",)),
    _html("only comments", _page(("<!-- " + PARA + " -->") * 50), absent=("harbour",)),
    _text("280 empty comments, then text", "<!---->" * 280 + PARA),
    _html("XML declaration with an encoding", '<?xml version="1.0" encoding="utf-8"?>' + _page(_article_html()), contains=(PARA,)),
    _html("right-to-left and CJK page", _page(f"<article><p>{_RTL}</p><p>{_CJK}</p><p>{PARA}</p></article>", '<meta charset="utf-8">'),
          contains=("المجلس",)),
    Case("MHTML page, quoted-printable", lambda: _mhtml(("text/css", b"p{}"), ("text/html", _page(_article_html()).encode("utf-8"))),
         kind="html", contains=(PARA, PARA3)),
    Case("MHTML without a page", lambda: _mhtml(("text/css", b"p{}"), ("image/png", _png())), error="no HTML page"),
    Case("MHTML page behind 100,000 parts", lambda: _mhtml(*[("text/css", b"p{}")] * 100_000, ("text/html", _page(_article_html()).encode("utf-8"))),
         kind="html", contains=(PARA,), big=True),
    Case("Safari web archive", lambda: _web_archive(_page(_article_html()).encode("utf-8")), kind="html", contains=(PARA, PARA3)),
    Case("Safari web archive cut short", lambda: _web_archive(_page(_article_html()).encode("utf-8"))[:-30], error="could not be read"),
    Case("WARC archive, gzipped", _warc, error="WARC archive, which holds many pages"),
    _text("tag soup as text", "<<<<>>>> <<a <a <a <b>>> </ </ <!-- <!--" * 2000),
    _text("right-to-left text", _RTL * 3),
    _text("CJK text", _CJK * 3),
    _text("emoji, combining marks, zero-width characters", _MARKS),
    _text("CRLF line endings", ARTICLE.replace("\n", "\r\n") + "Advertisement\r\n"),
    _text("CR line endings", ARTICLE.replace("\n", "\r") + "Advertisement\r"),
    _text("Unicode line and paragraph separators", ARTICLE.replace("\n\n", "\u2029").replace("\n", "\u2028") + "Advertisement\u2028"),
    _text("NEL line endings", ARTICLE.replace("\n", "\x85")),
    _text("form feeds, vertical tabs, tabs", "\x0c" + PARA + "\x0c\n\tindented\ttabs\t\n\x0b" + PARA2 + "\x0b\n"),
    _text("file, group and record separators", PARA + "\x1c" + PARA2 + "\x1d" + PARA3 + "\x1e"),
    _text("mixed line endings", PARA + "\r\n" + PARA2 + "\r" + PARA3 + "\n\u2028Advertisement\x85Share this\u2029"),
)


@lru_cache(maxsize=None)
def build(name: str) -> bytes:
    """The bytes of the case called `name`, made once per test session."""
    return BY_NAME[name].make()


BY_NAME = {case.name: case for case in CASES}
SMALL = tuple(case for case in CASES if not case.big)


def file_name(case: Case) -> str:
    """A file name for the case, in the corpus order (batch output follows it)."""
    index = CASES.index(case)
    return f"{index:02d}-" + "".join(c if c.isalnum() else "-" for c in case.name.lower())[:40]


def restore_from_report(report: dict) -> str:
    """Put the removed spans of a JSON report back into its text: the base."""
    parts, text_pos, base_pos = [], 0, 0
    text = report["text"]
    for span in report["removed"]:
        kept = span["start"] - base_pos
        parts += [text[text_pos:text_pos + kept], span["text"]]
        text_pos += kept
        base_pos = span["end"]
    parts.append(text[text_pos:])
    return "".join(parts)
