"""Text as a reader sees it: what extracted HTML lines and the texts they are
matched against are normalised to."""

from __future__ import annotations

import re
import unicodedata


def visible(text: str) -> str:
    """`text` with whitespace runs collapsed to one space, stripped, and
    without the characters trafilatura's own text output drops: those neither
    printable nor space. Soft hyphens (U+00AD) are the common case: typeset
    pages put one in every long word, and left in they split words for
    search, dedup and tokenizers alike. Zero-width spaces, bidi and control
    marks go too. Then NFC, as trafilatura's output is (`nfc`)."""
    # str.split() splits on what \s matches (str.isspace), collapsing and
    # stripping in one C call: 4x faster than a regex substitution.
    text = " ".join(text.split())
    if not text.isprintable():
        text = " ".join("".join(ch for ch in text if ch.isprintable()).split())
    return nfc(text)


def nfc(text: str) -> str:
    """`text` in Unicode normal form C. A page may spell "ü" or the Bengali
    "ড়" as one code point or as a letter and a combining mark, even within
    one paragraph; trafilatura's text output is NFC, and so are most texts
    it is compared or deduplicated with, so a phrase spelt the other way was
    missed (3 of the traf set's expected phrases, on 2 pages)."""
    return text if text.isascii() or unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def visible_code(text: str) -> str:
    """`text` as a code block shows it: its line breaks and indentation kept
    (collapsed, a program reads as one run-on line and a Python one changes
    meaning), each line's trailing spaces and the blank lines around the
    block dropped. Other spaces become plain ones and what is neither
    printable nor space goes, as in `visible`; tabs stay; NFC."""
    lines = text.splitlines()
    if not text.isprintable():
        lines = ["".join(" " if ch.isspace() and ch != "\t" else ch for ch in line if ch.isprintable() or ch.isspace())
                 for line in lines]
    lines = [line.rstrip() for line in lines]
    while lines and not lines[-1].strip():
        lines.pop()
    first = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    return nfc("\n".join(lines[first:]))


# Characters an lxml tree cannot hold (XML 1.0 forbids them). A string handed
# to the API may carry them (lone surrogates come from JSON escapes), and the
# parser makes them from references such as "&#xfffe;". libxml2 stops reading
# a page at a lone surrogate, silently, and setting an element's text to any
# of them raises; none is visible, so they are dropped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SPACES = frozenset("\x0b\x0c\x1c\x1d\x1e\x1f")  # whitespace to str and re: a space, so words stay apart


def xml_safe(text: str) -> str:
    """`text` without the characters XML forbids, the whitespace among them
    made spaces (the same object when it holds none, which is almost always:
    one scan, no copy)."""
    if not _NOT_XML.search(text):
        return text
    return _NOT_XML.sub(lambda m: " " if m.group() in _SPACES else "", text)


# A numeric character reference that may name a forbidden code point (below
# 32, a surrogate, U+FFFE or U+FFFF; `_safe_reference` decides): the parser
# turns it into that character, and trafilatura then gave up on the whole
# page. Pages hold many references ("&#8217;"), and this pattern lets them pass.
_REFERENCE = re.compile(
    r"&#(?:[xX]0*([0-9a-fA-F]|1[0-9a-fA-F]|[dD][89a-fA-F][0-9a-fA-F]{2}|[fF]{3}[eEfF])(?![0-9a-fA-F])"
    r"|0*([0-9]|[12][0-9]|3[01]|5[5-7][0-9]{3}|6553[45])(?![0-9]));?"
)


def has_forbidden_reference(html: str) -> bool:
    """Whether `html` refers to a character XML forbids ("&#xfffe;")."""
    return "&#" in html and any(_safe_reference(m) != m.group() for m in _REFERENCE.finditer(html))


def without_surrogates(text: str) -> str:
    """`text` without lone surrogates, which a str decoded from JSON escapes
    can hold: libxml2 stops reading a page at one, silently, so the rest of
    the page was lost. (Bytes decoded here never hold one.)"""
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return xml_safe(text)  # with the other characters lxml refuses, which its tree cannot hold either
    return text


def html_xml_safe(html: str) -> str:
    """`xml_safe(html)`, with character references to what XML forbids
    (`&#xfffe;`, `&#0;`) dropped as well (`&#12;` made a space)."""
    html = xml_safe(html)
    return _REFERENCE.sub(_safe_reference, html) if "&#" in html else html


def _safe_reference(match: re.Match) -> str:
    hex_digits, digits = match.groups()
    code = int(hex_digits, 16) if hex_digits else int(digits)
    if code > 0x10FFFF:
        return match.group()  # no character: the parser makes it U+FFFD
    char = chr(code)
    if not _NOT_XML.match(char):
        return match.group()
    return " " if char in _SPACES else ""
