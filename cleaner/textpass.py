"""One pass over all lines of a document: code points, character classes, words.

Every line feeds three featurisers that look at characters and words: shape
features (capitals, digits, letters in a line's head; how many words and how
they start), the lexical tokens (its first words, lower-cased) and topic stems
(its longer words). Run line by line, their regexes were most of the cost of
cleaning a short document. Here the lines are joined into one string and
turned into an array of code points; character classes and word boundaries
come from array operations, and words are cut out of the lower-cased text by
slicing, so Python only touches the words it keeps.

The character classes come from the very regexes and `str` methods that the
per-line definitions use (applied to one character at a time; only the
distinct non-ASCII characters of a document go through Python), so the results
are the same by construction, not by a re-implementation of Unicode tables.
"""

from __future__ import annotations

import functools
import re
from typing import Sequence

import numpy as np

WORD = re.compile(r"\w+")
DIGIT = re.compile(r"\d")
UPPER = re.compile(r"[A-ZÀ-ÖØ-ÞĀ-ſА-ЯΑ-Ω]")  # Latin, Cyrillic and Greek capitals
SYMBOLS = re.compile(r"[\u2190-\u21ff\u2600-\u27bf\U0001F000-\U0001FAFF]")

# One bit per character class; the bits of head_counts come first, in order.
UPPER_BIT, DIGIT_BIT, ALPHA_BIT, SYMBOL_BIT, WORD_BIT, CASED_UPPER_BIT, UNSAFE_LOWER_BIT, CJK_BIT = (1 << k for k in range(8))
HEAD_BITS = (UPPER_BIT, DIGIT_BIT, ALPHA_BIT, SYMBOL_BIT)


# Kana and Han ideographs, as a regex character class: `is_cjk`'s ranges.
CJK_CHARS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"


def is_cjk(char: str) -> bool:
    """Kana or a Han ideograph: scripts written without spaces between words."""
    return "\u3040" <= char <= "\u30ff" or "\u3400" <= char <= "\u4dbf" or "\u4e00" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


@functools.lru_cache(maxsize=8192)
def _flags_of(char: str) -> int:
    """Class bits of one character (memoised: a document in another script
    has hundreds of distinct characters, and they recur across documents)."""
    low = char.lower()
    # Lower-casing a whole text equals lower-casing it character by character,
    # word characters staying word characters, except for these: capital
    # sigma (its lower case depends on what follows) and characters whose
    # lower case is longer or changes class (U+0130).
    unsafe = char == "Σ" or len(low) != 1 or (WORD.match(low) is None) != (WORD.match(char) is None)
    return (
        UPPER_BIT * (UPPER.match(char) is not None)
        | DIGIT_BIT * (DIGIT.match(char) is not None)
        | ALPHA_BIT * char.isalpha()
        | SYMBOL_BIT * (SYMBOLS.match(char) is not None)
        | WORD_BIT * (WORD.match(char) is not None)
        | CASED_UPPER_BIT * char.isupper()
        | UNSAFE_LOWER_BIT * unsafe
        | CJK_BIT * is_cjk(char)
    )


_ASCII_FLAGS = np.array([_flags_of(chr(i)) for i in range(128)], dtype=np.uint8)
# Per flags value, the HEAD_BITS it has as 16-bit fields of one integer: a
# cumulative sum of these counts all four classes at once (window counts stay
# below 2**16, and differences modulo 2**64 are exact).
_PACKED_HEAD_BITS = np.array(
    [sum(1 << (16 * k) for k, bit in enumerate(HEAD_BITS) if value & bit) for value in range(256)], dtype=np.uint64
)


def char_flags(codepoints: np.ndarray) -> tuple[np.ndarray, bool]:
    """Class bits of each code point (a table for ASCII, Python for the few
    distinct other characters), and whether none is UNSAFE_LOWER."""
    flags = _ASCII_FLAGS.take(codepoints, mode="clip")  # clipped to 127, whose flags are 0
    wide = np.flatnonzero(codepoints > 127)
    if not wide.size:
        return flags, True
    distinct, where = np.unique(codepoints[wide], return_inverse=True)
    table = np.fromiter((_flags_of(chr(c)) for c in distinct.tolist()), dtype=np.uint8, count=distinct.size)
    flags[wide] = table[where]
    return flags, not (table & UNSAFE_LOWER_BIT).any()


class TextPass:
    r"""The lines of one document joined by newlines (no class matches a
    newline, so no word crosses lines), with per-character class bits and the
    words (maximal runs of word characters, what `\w+` finds).

    Offsets called "in line" count from a line's first character; the arrays
    `word_start`/`word_end` hold offsets into the joined text.
    """

    def __init__(self, texts: Sequence[str]) -> None:
        n = len(texts)
        self.n = n
        self.length = np.fromiter(map(len, texts), dtype=np.int64, count=n)
        self.line_start = np.concatenate(([0], np.cumsum(self.length[:-1] + 1))) if n else np.zeros(0, np.int64)
        self.joined = "\n".join(texts)
        self.codepoints = codepoints = np.frombuffer(self.joined.encode("utf-32-le", "surrogatepass"), dtype="<u4")
        self.flags, self.lower_safe = char_flags(codepoints)
        # The lines holding a character whose lower case is longer (only U+0130,
        # "İ"): words cut from lower_codepoints by position are wrong there,
        # so the per-line definitions handle these lines, and only these.
        self.unsafe_lines = np.zeros(n, dtype=bool)
        if not self.lower_safe:
            unsafe = np.flatnonzero(self.flags & UNSAFE_LOWER_BIT)
            self.unsafe_lines[np.searchsorted(self.line_start, unsafe, side="right") - 1] = True
        # Word edges are where "is a word character" flips; with a non-word
        # character added at both ends, they alternate start, end, start, ...
        is_word = np.zeros(len(codepoints) + 2, dtype=np.uint8)
        np.bitwise_and(self.flags, WORD_BIT, out=is_word[1:-1])
        edges = np.flatnonzero(is_word[1:] != is_word[:-1])
        self.word_start = edges[0::2]
        self.word_end = edges[1::2]
        self.word_line = np.searchsorted(self.line_start, self.word_start, side="right") - 1
        self.words_per_line = np.bincount(self.word_line, minlength=n)
        cjk = np.flatnonzero(self.flags & CJK_BIT)
        self.cjk_per_line = (
            np.bincount(np.searchsorted(self.line_start, cjk, side="right") - 1, minlength=n) if cjk.size else np.zeros(n, np.int64)
        )
        # Lines whose lexical tokens come from `features.line_tokens` itself:
        # the fast paths cut words by position, which "İ" throws off, and
        # split only at spaces, while kana and Han text is cut into
        # character pairs (`features.cjk_words`).
        self.regex_token_lines = self.unsafe_lines | (self.cjk_per_line > 0)
        self.tokens_fast = not self.regex_token_lines.any()
        self._lower_codepoints: np.ndarray | None = None

    @property
    def lower_codepoints(self) -> np.ndarray:
        """Code points of the joined text lower-cased, one for one with the
        original ones (and so with the word boundaries): "İ", which lower-cases
        to two, stands as "i" here, and its lines are in `unsafe_lines`."""
        if self._lower_codepoints is None:
            joined = self.joined if self.lower_safe else self.joined.replace("\u0130", "i")
            lowered = joined.lower().encode("utf-32-le", "surrogatepass")
            self._lower_codepoints = np.frombuffer(lowered, dtype="<u4")
        return self._lower_codepoints

    def spaced(self) -> str:
        r"""The joined text lower-cased with every non-word character replaced
        by a space: `str.split` on a slice of it gives the words `\w+` finds
        in the lower-cased slice, at C speed (except in `unsafe_lines`)."""
        words_only = np.where(self.flags & WORD_BIT, self.lower_codepoints, np.uint32(32))
        return words_only.astype("<u4").tobytes().decode("utf-32-le")

    def rank_in_line(self, line: np.ndarray) -> np.ndarray:
        """Position of each item among its line's items, for items sorted by line."""
        counts = np.bincount(line, minlength=self.n)
        return np.arange(line.size) - (np.cumsum(counts) - counts)[line]

    def head_counts(self, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, ...]:
        """Counts of each HEAD_BITS class among the characters of each line's
        window [lo, hi) (offsets in line), windows under 2**16 characters."""
        running = np.zeros(len(self.flags) + 1, dtype=np.uint64)
        np.cumsum(_PACKED_HEAD_BITS.take(self.flags), out=running[1:])
        packed = running[self.line_start + hi] - running[self.line_start + lo]
        return tuple((packed >> np.uint64(16 * k)) & np.uint64(0xFFFF) for k in range(len(HEAD_BITS)))

    @staticmethod
    def splice_redone(line: np.ndarray, values: Sequence[np.ndarray], redone: np.ndarray, redo_line: np.ndarray,
                      redo_values: Sequence[np.ndarray]) -> tuple[np.ndarray, list[np.ndarray]]:
        """Per-item arrays (sorted by `line`) with the items of the `redone`
        lines (a mask: `unsafe_lines`, `regex_token_lines`) replaced by ones
        redone from those lines' strings: (line, values), still sorted by
        line, each line's items in their order."""
        keep = ~redone[line]
        line = np.concatenate([line[keep], redo_line])
        order = np.argsort(line, kind="stable")
        return line[order], [np.concatenate([mine[keep], theirs])[order] for mine, theirs in zip(values, redo_values)]

    def clipped_words(self, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        r"""The words `\w+` finds in each line's window [lo, hi) (offsets in
        line): (line, start, end), starts and ends in the joined text, in text
        order. A word cut by the window's edge is cut the same way."""
        base = self.line_start[self.word_line]
        start = np.maximum(self.word_start, base + lo[self.word_line])
        end = np.minimum(self.word_end, base + hi[self.word_line])
        keep = start < end
        return self.word_line[keep], start[keep], end[keep]
