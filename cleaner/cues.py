"""The character cues of the shape features, for every line of a document at once.

Nineteen of the shape features (`features.SHAPE_NAMES`) are plain string
tests on a line with its surrounding whitespace stripped: does it end in a
full stop or a colon, how many commas and sentence breaks, how many pipes
(a table row's cells) and does it close with one, is there a
currency sign, a bracket, a copyright mark, a URL. Written as string methods
they cost a dozen Python calls per line, most of a short document's cost of
first sight. Here each character of the document gets a small cue code from
one table lookup, and counts per line are bincounts; Python touches only the
few lines that might hold a URL or a list marker, with the regexes that define
those cues. The per-line definitions are the oracle in tests/test_features.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from .textpass import DIGIT_BIT, TextPass

BULLET = re.compile(r"^\s*(?:[-–—•·・･*▪▫◦●○■□►▶▸»›→⇒➔➤✓✔+>|#]+|\[\s*\]|\d{1,2}[.)](?!\d))\s*")
NUMBERED = re.compile(r"^\s*\d{1,2}[.)](?!\d)\s")
# A stripped line can match BULLET or NUMBERED only if it starts with one of
# these or a digit, so most lines skip both regexes.
MARKER_START = frozenset("-–—•·・･*▪▫◦●○■□►▶▸»›→⇒➔➤✓✔+>|#[")
TERMINAL = frozenset(".!?…\"”’»)」』;。！？；")
QUOTES = frozenset("\"“”„«»‘’'‹›「")
_URLISH = re.compile(r"https?://|www\.|\.com\b|@\w", re.IGNORECASE)
HEAD = 160  # character-level cues are read off a line's first 160 characters
_TAIL = 80  # ... and URLs off its last 80 as well

# Cue codes: one per character class that some cue counts.
_COMMA, _PIPE, _MONEY, _SQUARE, _COPYRIGHT, _CJK_STOP, _STOP, _OPEN, _AT, _COLON = range(1, 11)
_N_CODES = 11
_PAD = 4  # the longest look ahead is 3 characters
_CODES = {",": _COMMA, "|": _PIPE, "$": _MONEY, "€": _MONEY, "£": _MONEY, "¥": _MONEY, "[": _SQUARE,
          "©": _COPYRIGHT, "。": _CJK_STOP, "！": _CJK_STOP, "？": _CJK_STOP, ".": _STOP, "?": _STOP, "!": _STOP,
          "(": _OPEN, "@": _AT, ":": _COLON}
_ASCII_CODES = np.zeros(128, dtype=np.uint8)
for _char, _code in _CODES.items():
    if ord(_char) < 128:
        _ASCII_CODES[ord(_char)] = _code
_WIDE = np.array(sorted(ord(c) for c in _CODES if ord(c) >= 128), dtype=np.uint32)
_WIDE_CODES = np.array([_CODES[chr(c)] for c in _WIDE], dtype=np.uint8)
_TERMINAL_POINTS = np.array(sorted(map(ord, TERMINAL)), dtype=np.uint32)
_QUOTE_POINTS = np.array(sorted(map(ord, QUOTES)), dtype=np.uint32)
MARKER_POINTS = np.array(sorted(map(ord, MARKER_START)), dtype=np.uint32)

CUE_NAMES = (
    "log_chars", "log_words", "ends_terminal", "ends_colon", "starts_bullet", "starts_number",
    "has_pipe", "has_copyright", "has_url", "sentences", "starts_lower", "has_money", "link_ratio",
    "commas", "ends_ellipsis", "starts_quote", "has_brackets", "pipes", "ends_pipe",
)


_COLUMN = {name: i for i, name in enumerate(CUE_NAMES)}


@dataclass(frozen=True, slots=True)
class _Lines:
    """The stripped lines' places in the document's code points (padded, so
    a look a few characters past the end reads 0)."""

    cp: np.ndarray
    start: np.ndarray   # each stripped line's first character
    end: np.ndarray     # past its last
    length: np.ndarray
    first: np.ndarray   # its first code point (0 for an empty line)
    last: np.ndarray    # its last

    @classmethod
    def of(cls, stripped: list[str], text_pass: TextPass, lead: np.ndarray) -> _Lines:
        length = np.fromiter(map(len, stripped), dtype=np.int64, count=len(stripped))
        start = text_pass.line_start + lead
        end = start + length
        cp = np.zeros(len(text_pass.codepoints) + _PAD, dtype=np.uint32)
        cp[: len(text_pass.codepoints)] = text_pass.codepoints
        has = length > 0
        return cls(cp, start, end, length, np.where(has, cp[start], 0), np.where(has, cp[np.maximum(end - 1, 0)], 0))


@dataclass(frozen=True, slots=True)
class _Marks:
    """Every character that some cue counts: where, its cue code, its line."""

    at: np.ndarray
    code: np.ndarray
    line: np.ndarray

    @classmethod
    def of(cls, text_pass: TextPass) -> _Marks:
        codes = _codes(text_pass.codepoints)
        at = np.flatnonzero(codes)
        return cls(at, codes[at], np.searchsorted(text_pass.line_start, at, side="right") - 1)

    def where(self, code: int) -> tuple[np.ndarray, np.ndarray]:
        """(position, line) of the marks with this code."""
        chosen = self.code == code
        return self.at[chosen], self.line[chosen]

    def per_line(self, n: int) -> np.ndarray:
        """(code, line) counts."""
        return np.bincount(self.line * _N_CODES + self.code, minlength=n * _N_CODES).reshape(n, _N_CODES).T


def cue_matrix(stripped: list[str], text_pass: TextPass, lead: np.ndarray, words: np.ndarray, link_ratio: np.ndarray) -> np.ndarray:
    """The CUE_NAMES columns (float64) of each line: `stripped` are the lines
    without surrounding whitespace, `text_pass` the pass over the unstripped
    lines, `lead` where each stripped line starts in its line, `words` its
    word count."""
    n = len(stripped)
    lines, marks = _Lines.of(stripped, text_pass, lead), _Marks.of(text_pass)
    count = marks.per_line(n)
    has = lines.length > 0
    columns = {
        "log_chars": np.log1p(lines.length),
        "log_words": np.log1p(words),
        "ends_terminal": has & is_in(lines.last, _TERMINAL_POINTS),
        "ends_colon": has & (lines.last == ord(":")),
        "has_pipe": count[_PIPE] > 0,
        "has_copyright": (count[_COPYRIGHT] > 0) | _copyright_in_head(lines, marks),
        "sentences": np.log1p(_sentence_breaks(lines, marks) + count[_CJK_STOP]),
        "starts_lower": [t[:1].islower() for t in stripped],
        "has_money": count[_MONEY] > 0,
        "link_ratio": link_ratio,
        "commas": np.log1p(count[_COMMA]),
        "ends_ellipsis": has & ((lines.last == ord("…")) | _ends_with_dots(lines)),
        "starts_quote": has & is_in(lines.first, _QUOTE_POINTS),
        "has_brackets": (count[_SQUARE] > 0) | _opens_early(lines, marks),
        # A table row has a pipe between each two cells, a Markdown one closes
        # with one too; a teaser has one ("Sport | ...") or opens with one.
        "pipes": np.log1p(count[_PIPE]),
        "ends_pipe": has & (lines.last == ord("|")),
    }
    out = np.zeros((n, len(CUE_NAMES)))
    for name, values in columns.items():
        out[:, _COLUMN[name]] = values
    _regex_cues(out, stripped, text_pass, lines, marks)
    return out


def may_start_marker(text_pass: TextPass, lead: np.ndarray) -> np.ndarray:
    """Per line, whether its first visible character (`lead` characters in)
    can start a list marker: one of MARKER_START or a digit. Only these lines
    need the BULLET and NUMBERED regexes."""
    visible = lead < text_pass.length
    if not len(text_pass.codepoints):
        return visible
    at = np.minimum(text_pass.line_start + lead, len(text_pass.codepoints) - 1)
    return visible & (is_in(text_pass.codepoints[at], MARKER_POINTS) | ((text_pass.flags[at] & DIGIT_BIT) != 0))


def is_in(values: np.ndarray, points: np.ndarray) -> np.ndarray:
    """values in the sorted array `points` (np.isin costs ~20 µs a call even
    on a handful of values; this, a few)."""
    at = np.minimum(np.searchsorted(points, values), len(points) - 1)
    return points[at] == values


def _codes(cp: np.ndarray) -> np.ndarray:
    codes = _ASCII_CODES.take(cp, mode="clip")  # clipped to 127, whose code is 0
    wide = np.flatnonzero(cp > 127)
    if wide.size:
        hit = np.minimum(np.searchsorted(_WIDE, cp[wide]), len(_WIDE) - 1)
        found = _WIDE[hit] == cp[wide]  # as is_in, keeping where each was found
        codes[wide[found]] = _WIDE_CODES[hit[found]]
    return codes


def _sentence_breaks(lines: _Lines, marks: _Marks) -> np.ndarray:
    """Per line, the ". " "? " "! " pairs inside the stripped line."""
    stops, line = marks.where(_STOP)
    pair = (lines.cp[stops + 1] == ord(" ")) & (stops + 1 < lines.end[line])
    return np.bincount(line[pair], minlength=len(lines.end))


def _copyright_in_head(lines: _Lines, marks: _Marks) -> np.ndarray:
    """Per line, "(c)" or "(C)" within its first HEAD characters."""
    opens, line = marks.where(_OPEN)
    mark = ((lines.cp[opens + 1] | 32) == ord("c")) & (lines.cp[opens + 2] == ord(")"))
    mark &= opens + 2 < lines.start[line] + np.minimum(lines.length[line], HEAD)
    return np.bincount(line[mark], minlength=len(lines.end)) > 0


def _opens_early(lines: _Lines, marks: _Marks) -> np.ndarray:
    """Per line, "(" among its first two characters."""
    opens, line = marks.where(_OPEN)
    offset = opens - lines.start[line]
    early = (offset >= 0) & (offset < np.minimum(lines.length[line], 2))
    return np.bincount(line[early], minlength=len(lines.end)) > 0


def _ends_with_dots(lines: _Lines) -> np.ndarray:
    dots = lines.length >= 3
    for back in (1, 2, 3):
        dots &= lines.cp[np.maximum(lines.end - back, 0)] == ord(".")
    return dots


def _regex_cues(out: np.ndarray, stripped: list[str], text_pass: TextPass, lines: _Lines, marks: _Marks) -> None:
    """The list-marker and URL cues, by their regexes, on the few lines that
    may have them: a marker starts with one of MARKER_START or a digit, and a
    URL holds "://", "www.", ".com" or "@"."""
    maybe_marker = may_start_marker(text_pass, lines.start - text_pass.line_start)
    maybe_url = np.bincount(marks.line[_url_hints(lines.cp, marks)], minlength=len(stripped)) > 0
    bullet, number, url = _COLUMN["starts_bullet"], _COLUMN["starts_number"], _COLUMN["has_url"]
    for i in np.flatnonzero(maybe_marker | maybe_url).tolist():
        text = stripped[i]
        if maybe_marker[i]:
            head = text[:HEAD]
            out[i, bullet] = BULLET.match(head) is not None
            out[i, number] = NUMBERED.match(head) is not None
        if maybe_url[i]:
            out[i, url] = has_url(text[:HEAD] if len(text) <= HEAD else text[:HEAD] + " " + text[-_TAIL:])


def _url_hints(cp: np.ndarray, marks: _Marks) -> np.ndarray:
    """Which marks begin or end "://", "www.", ".com" (any case) or are "@"."""
    # Each mark with the three characters before and after it, ASCII letters
    # lower-cased (| 32; other characters may change, which only lets more
    # lines through to the regex). Before the text's start reads as 0.
    at = marks.at
    around = cp[np.maximum(at[:, None] + np.arange(-3, 4), 0)] | 32
    around[:, :3] *= at[:, None] >= np.arange(3, 0, -1)
    w, c, o, m, slash = (ord(x) for x in "wcom/")
    dot = (marks.code == _STOP) & (around[:, 3] == ord("."))
    colon_slashes = (marks.code == _COLON) & (around[:, 4] == slash) & (around[:, 5] == slash)
    dot_com = dot & (around[:, 4] == c) & (around[:, 5] == o) & (around[:, 6] == m)
    www_dot = dot & (around[:, 0] == w) & (around[:, 1] == w) & (around[:, 2] == w)
    return (marks.code == _AT) | colon_slashes | dot_com | www_dot


def has_url(ends: str) -> bool:
    """A web address or handle in `ends` (a line's head and tail)."""
    low = ends.lower()
    # Every _URLISH match contains one of these, so the cheap test decides most lines.
    return ("http" in low or "www." in low or ".com" in low or "@" in low) and _URLISH.search(ends) is not None

