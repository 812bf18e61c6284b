"""The character cues of the shape features, for every line of a document at once.

Seventeen of the shape features (`features.SHAPE_NAMES`) are plain string
tests on a line with its surrounding whitespace stripped: does it end in a
full stop or a colon, how many commas and sentence breaks, is there a pipe, a
currency sign, a bracket, a copyright mark, a URL. Written as string methods
they cost a dozen Python calls per line, most of a short document's cost of
first sight. Here each character of the document gets a small cue code from
one table lookup, and counts per line are bincounts; Python touches only the
few lines that might hold a URL or a list marker, with the regexes that define
those cues. The per-line definitions are the oracle in tests/test_features.py.
"""

from __future__ import annotations

import re

import numpy as np

from .textpass import DIGIT_BIT, TextPass

BULLET = re.compile(r"^\s*(?:[-–—•·*▪▫◦●○■□►▶▸»›→⇒➔➤✓✔+>|#]+|\[\s*\]|\d{1,2}[.)](?!\d))\s*")
NUMBERED = re.compile(r"^\s*\d{1,2}[.)](?!\d)\s")
# A stripped line can match BULLET or NUMBERED only if it starts with one of
# these or a digit, so most lines skip both regexes.
MARKER_START = frozenset("-–—•·*▪▫◦●○■□►▶▸»›→⇒➔➤✓✔+>|#[")
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
    "commas", "ends_ellipsis", "starts_quote", "has_brackets",
)


def cue_matrix(stripped: list[str], text_pass: TextPass, lead: np.ndarray, words: np.ndarray, link_ratio: np.ndarray) -> np.ndarray:
    """The CUE_NAMES columns (float64) of each line: `stripped` are the lines
    without surrounding whitespace, `text_pass` the pass over the unstripped
    lines, `lead` where each stripped line starts in its line, `words` its
    word count."""
    n = len(stripped)
    out = np.zeros((n, len(CUE_NAMES)))
    length = np.fromiter(map(len, stripped), dtype=np.int64, count=n)
    start = text_pass.line_start + lead  # each stripped line's first character in the joined text
    end = start + length
    cp = np.zeros(len(text_pass.codepoints) + _PAD, dtype=np.uint32)  # padded: a look past the end reads 0
    cp[: len(text_pass.codepoints)] = text_pass.codepoints
    codes = _codes(text_pass.codepoints)
    at = np.flatnonzero(codes)
    at_code = codes[at]
    at_line = np.searchsorted(text_pass.line_start, at, side="right") - 1
    count = np.bincount(at_line * _N_CODES + at_code, minlength=n * _N_CODES).reshape(n, _N_CODES).T

    has = length > 0
    last = np.where(has, cp[np.maximum(end - 1, 0)], 0)
    first = np.where(has, cp[start], 0)
    out[:, 0] = np.log1p(length)
    out[:, 1] = np.log1p(words)
    out[:, 2] = has & is_in(last, _TERMINAL_POINTS)
    out[:, 3] = has & (last == ord(":"))
    out[:, 6] = count[_PIPE] > 0
    out[:, 7] = (count[_COPYRIGHT] > 0) | _copyright_in_head(cp, at, at_code, at_line, start, length)
    out[:, 9] = np.log1p(_sentence_breaks(cp, at, at_code, at_line, end) + count[_CJK_STOP])
    out[:, 10] = [t[:1].islower() for t in stripped]
    out[:, 11] = count[_MONEY] > 0
    out[:, 12] = link_ratio
    out[:, 13] = np.log1p(count[_COMMA])
    out[:, 14] = has & ((last == ord("…")) | _ends_with_dots(cp, end, length))
    out[:, 15] = has & is_in(first, _QUOTE_POINTS)
    out[:, 16] = (count[_SQUARE] > 0) | _opens_early(at, at_code, at_line, start, length)
    _python_cues(out, stripped, text_pass, cp, start, first, at, at_code, at_line)
    return out


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


def _sentence_breaks(cp: np.ndarray, at: np.ndarray, at_code: np.ndarray, at_line: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Per line, the ". " "? " "! " pairs inside the stripped line."""
    stops = at[at_code == _STOP]
    lines = at_line[at_code == _STOP]
    pair = (cp[stops + 1] == 32) & (stops + 1 < end[lines])
    return np.bincount(lines[pair], minlength=len(end))


def _copyright_in_head(cp: np.ndarray, at: np.ndarray, at_code: np.ndarray, at_line: np.ndarray,
                       start: np.ndarray, length: np.ndarray) -> np.ndarray:
    """Per line, "(c)" or "(C)" within its first HEAD characters."""
    opens = at[at_code == _OPEN]
    lines = at_line[at_code == _OPEN]
    mark = ((cp[opens + 1] | 32) == ord("c")) & (cp[opens + 2] == ord(")"))
    mark &= opens + 2 < start[lines] + np.minimum(length[lines], HEAD)
    return np.bincount(lines[mark], minlength=len(start)) > 0


def _opens_early(at: np.ndarray, at_code: np.ndarray, at_line: np.ndarray, start: np.ndarray, length: np.ndarray) -> np.ndarray:
    """Per line, "(" among its first two characters."""
    opens = at[at_code == _OPEN]
    lines = at_line[at_code == _OPEN]
    early = (opens - start[lines] < 2) & (opens >= start[lines]) & (opens < start[lines] + length[lines])
    return np.bincount(lines[early], minlength=len(start)) > 0


def _ends_with_dots(cp: np.ndarray, end: np.ndarray, length: np.ndarray) -> np.ndarray:
    three = length >= 3
    dots = np.ones(len(end), dtype=bool)
    for back in (1, 2, 3):
        dots &= cp[np.maximum(end - back, 0)] == ord(".")
    return three & dots


def _python_cues(out: np.ndarray, stripped: list[str], text_pass: TextPass, cp: np.ndarray, start: np.ndarray, first: np.ndarray,
                 at: np.ndarray, at_code: np.ndarray, at_line: np.ndarray) -> None:
    """The list-marker and URL cues, by their regexes, on the few lines that
    may have them: a marker starts with one of MARKER_START or a digit, and a
    URL holds "://", "www.", ".com" or "@"."""
    n = len(stripped)
    has = np.fromiter(map(len, stripped), dtype=np.int64, count=n) > 0
    flags = np.append(text_pass.flags, np.uint8(0))  # a line with no characters reads the 0 past the end
    digit = (flags[np.minimum(start, len(flags) - 1)] & DIGIT_BIT) != 0
    maybe_marker = has & (is_in(first, MARKER_POINTS) | digit)
    maybe_url = np.bincount(at_line[_url_hints(cp, at, at_code)], minlength=n) > 0
    for i in np.flatnonzero(maybe_marker | maybe_url).tolist():
        text = stripped[i]
        if maybe_marker[i]:
            head = text[:HEAD]
            out[i, 4] = BULLET.match(head) is not None
            out[i, 5] = NUMBERED.match(head) is not None
        if maybe_url[i]:
            out[i, 8] = has_url(text[:HEAD] if len(text) <= HEAD else text[:HEAD] + " " + text[-_TAIL:])


def _url_hints(cp: np.ndarray, at: np.ndarray, at_code: np.ndarray) -> np.ndarray:
    """Which cue characters begin or end "://", "www.", ".com" (any case) or are "@"."""
    # Each cue character with the three before and after it, ASCII letters
    # lower-cased (| 32; other characters may change, which only lets more
    # lines through to the regex). Before the text's start reads as 0.
    around = cp[np.maximum(at[:, None] + np.arange(-3, 4), 0)] | 32
    around[:, :3] *= at[:, None] >= np.arange(3, 0, -1)
    w, c, o, m, slash = (ord(x) for x in "wcom/")
    dot = (at_code == _STOP) & (around[:, 3] == ord("."))
    colon_slashes = (at_code == _COLON) & (around[:, 4] == slash) & (around[:, 5] == slash)
    dot_com = dot & (around[:, 4] == c) & (around[:, 5] == o) & (around[:, 6] == m)
    www_dot = dot & (around[:, 0] == w) & (around[:, 1] == w) & (around[:, 2] == w)
    return (at_code == _AT) | colon_slashes | dot_com | www_dot


def has_url(ends: str) -> bool:
    """A web address or handle in `ends` (a line's head and tail)."""
    low = ends.lower()
    # Every _URLISH match contains one of these, so the cheap test decides most lines.
    return ("http" in low or "www." in low or ".com" in low or "@" in low) and _URLISH.search(ends) is not None

