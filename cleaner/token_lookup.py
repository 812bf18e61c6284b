"""Vocabulary columns of a document's lexical tokens, without making the tokens.

Stage one looks each line's tokens up in the model's vocabulary (`features.
line_tokens`: its first 40 words, lower-cased, 12 word pairs, its first and
last word marked). Made as Python strings and looked up in a dict, that costs
about 0.2 µs a token, and a short article has some 800: a fifth of the cost of
a document seen for the first time. Here a token never becomes a string: each
gets a 64-bit polynomial hash computed from the document's code points with
array operations (a pair's hash and a marked word's hash are composed from its
words' hashes), and the hashes are looked up in an open-addressing table built
once from the vocabulary.

Polynomial hashes compose: for strings x and y, h(x + y) = h(x) + B^len(x) h(y)
(mod 2^64), so a word's hash comes from prefix sums over the text. Two
different tokens share a hash with probability about 2^-64 per pair; the
table refuses a vocabulary with a collision inside it, and ordinary text does
not meet one (a token that did would only be read as another word).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .cues import BULLET, may_start_marker
from .textpass import TextPass

_B = 0x9E3779B97F4A7C15  # odd, so it has an inverse modulo 2^64
_B_INV = pow(_B, -1, 1 << 64)
_TOKEN_CHARS = 400  # as features.line_tokens: a line's first 400 characters
_TAIL_CHARS = 40    # ... and, for a longer line, its last word from its last 40
_MAX_WORDS = 40
_MAX_PAIRS = 12


def _powers(base: int, n: int) -> np.ndarray:
    """base^0 .. base^n modulo 2^64 (numpy's unsigned products wrap)."""
    factors = np.full(n + 1, base, dtype=np.uint64)
    factors[0] = 1
    return np.cumprod(factors, dtype=np.uint64)


class SubstringHashes:
    """Hashes of any substrings of one array of code points, in O(1) each."""

    def __init__(self, codepoints: np.ndarray) -> None:
        n = len(codepoints)
        self.powers = _powers(_B, n + 4)  # past n: a pair adds a space, a marked word its 3-character mark
        self.inverse = _powers(_B_INV, n)
        self.prefix = np.zeros(n + 1, dtype=np.uint64)
        np.cumsum(codepoints.astype(np.uint64) * self.powers[:n], out=self.prefix[1:])

    def of(self, start: np.ndarray, end: np.ndarray) -> np.ndarray:
        """h(text[start:end]) = sum of text[start + j] * B^j."""
        return (self.prefix[end] - self.prefix[start]) * self.inverse[start]

    def join(self, left: np.ndarray | np.uint64, left_len: np.ndarray | int, right: np.ndarray | np.uint64) -> np.ndarray:
        """h(x + y) from h(x), len(x) and h(y)."""
        return left + self.powers[left_len] * right


def _hash_strings(tokens: list[str]) -> np.ndarray:
    """hash_string of each token, computed for the tokens of one length at a
    time (so memory stays a few MB for a vocabulary of 100,000 tokens)."""
    lengths = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
    hashes = np.zeros(len(tokens), dtype=np.uint64)
    powers = _powers(_B, int(lengths.max(initial=0)))
    for length in np.unique(lengths).tolist():
        which = np.flatnonzero(lengths == length)
        joined = "".join(tokens[i] for i in which.tolist())
        codepoints = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype="<u4").reshape(len(which), length)
        hashes[which] = (codepoints.astype(np.uint64) * powers[:length]).sum(axis=1, dtype=np.uint64)
    return hashes


def hash_string(text: str) -> int:
    """The hash of one string, as SubstringHashes computes it."""
    value, power = 0, 1
    for char in text:
        value = (value + ord(char) * power) % (1 << 64)
        power = (power * _B) % (1 << 64)
    return value


_SPACE = np.uint64(ord(" "))
_BEGIN, _LABEL, _END, _EMPTY = (np.uint64(hash_string(s)) for s in ("_b_", "_l_", "_e_", "_empty_"))
_PREFIX_LEN = 3  # len("_b_") == len("_l_") == len("_e_")


class HashedVocabulary:
    """An open-addressing table from token hashes to vocabulary columns."""

    def __init__(self, keys: np.ndarray, columns: np.ndarray, bits: int) -> None:
        self.keys, self.columns, self.shift = keys, columns, np.uint64(64 - bits)
        self.mask = (1 << bits) - 1

    @classmethod
    def build(cls, vocabulary: Mapping[str, int]) -> HashedVocabulary | None:
        """The table, or None if two tokens of the vocabulary share a hash
        (then the caller looks strings up instead)."""
        tokens = list(vocabulary)
        if not tokens or any("\n" in t for t in tokens):
            return None
        hashes = _hash_strings(tokens)
        if len(np.unique(hashes)) != len(hashes):
            return None
        bits = max(int(len(tokens) * 2 - 1).bit_length(), 4)  # at most half full: short probe runs
        table = cls(np.zeros(1 << bits, dtype=np.uint64), np.full(1 << bits, -1, dtype=np.int32), bits)
        table._insert(hashes, np.fromiter(vocabulary.values(), dtype=np.int32, count=len(tokens)))
        return table

    def _insert(self, hashes: np.ndarray, columns: np.ndarray) -> None:
        """Linear probing, all keys at once: each round, every key still
        waiting tries its next slot, and one key per free slot takes it."""
        slot = self._slot(hashes)
        waiting = np.arange(len(hashes))
        while waiting.size:
            free = self.columns[slot[waiting]] < 0
            trying = waiting[free]
            taken, first = np.unique(slot[trying], return_index=True)
            winners = trying[first]
            self.keys[taken], self.columns[taken] = hashes[winners], columns[winners]
            placed = np.zeros(len(hashes), dtype=bool)
            placed[winners] = True
            waiting = waiting[~placed[waiting]]
            slot[waiting] = (slot[waiting] + 1) & self.mask

    def _slot(self, hashes: np.ndarray) -> np.ndarray:
        """Each hash's first slot, from its bits well mixed (splitmix64's
        finaliser): polynomial hashes of similar tokens cluster, and a long
        run of full slots makes every probe through it slow."""
        z = hashes ^ (hashes >> np.uint64(30))
        z *= np.uint64(0xBF58476D1CE4E5B9)
        z ^= z >> np.uint64(27)
        z *= np.uint64(0x94D049BB133111EB)
        z ^= z >> np.uint64(31)
        return (z >> self.shift).astype(np.int64)

    def lookup(self, hashes: np.ndarray) -> np.ndarray:
        """The column of each hash, -1 for tokens not in the vocabulary."""
        found = np.full(len(hashes), -1, dtype=np.int64)
        todo = np.arange(len(hashes))
        slot = self._slot(hashes)
        while todo.size:
            column, key = self.columns[slot], self.keys[slot]
            hit = (column >= 0) & (key == hashes[todo])
            found[todo[hit]] = column[hit]
            going_on = (column >= 0) & ~hit  # an empty slot ends the probe: not in the table
            todo, slot = todo[going_on], (slot[going_on] + 1) & self.mask
        return found


def token_columns(texts: list[str], text_pass: TextPass, table: HashedVocabulary,
                  labelled: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(columns, line, n_tokens): the vocabulary column (-1 if unknown) of
    every token of every line in token order with its line, and each line's
    number of tokens; the same as looking up `features.line_tokens` of each
    line, except in `text_pass.regex_token_lines` (words are cut from the
    lower-cased text by position, which "İ" throws off, and at spaces, while
    kana and Han runs are cut into pairs): the caller redoes those from
    their strings (`line_inputs._token_columns`).
    `labelled` says which lines open with a label (`features.has_label`):
    their first word is marked "_l_" instead of "_b_"."""
    n = text_pass.n
    length = text_pass.length
    hashes = SubstringHashes(text_pass.lower_codepoints)
    line, start, end = text_pass.clipped_words(_marker_ends(texts, text_pass), np.minimum(length, _TOKEN_CHARS))
    count = np.bincount(line, minlength=n)
    rank = text_pass.rank_in_line(line)
    word_hash = hashes.of(start, end)
    word_len = end - start
    n_words = np.minimum(count, _MAX_WORDS)
    n_pairs = np.minimum(np.maximum(n_words - 1, 0), _MAX_PAIRS)
    has = n_words > 0
    n_tokens = np.where(has, n_words + n_pairs + 2, 1)
    offset = np.cumsum(n_tokens) - n_tokens
    out = np.empty(int(n_tokens.sum()), dtype=np.uint64)

    kept = rank < _MAX_WORDS
    out[offset[line[kept]] + rank[kept]] = word_hash[kept]
    paired = np.flatnonzero(rank < np.minimum(count[line] - 1, _MAX_PAIRS))  # word i pairs with word i + 1
    pair_hash = hashes.join(hashes.join(word_hash[paired], word_len[paired], _SPACE), word_len[paired] + 1, word_hash[paired + 1])
    out[offset[line[paired]] + n_words[line[paired]] + rank[paired]] = pair_hash
    lines = np.flatnonzero(has)
    first = np.cumsum(count) - count  # each line's first word among all words
    last = first + count - 1
    prefix = np.where(labelled[lines], _LABEL, _BEGIN)
    out[offset[lines] + n_words[lines] + n_pairs[lines]] = hashes.join(prefix, _PREFIX_LEN, word_hash[first[lines]])
    last_hash, last_len = word_hash[last[lines]], word_len[last[lines]]
    last_hash, last_len = _tail_words(text_pass, hashes, lines, last_hash, last_len)
    out[offset[lines] + n_words[lines] + n_pairs[lines] + 1] = hashes.join(_END, _PREFIX_LEN, last_hash)
    out[offset[~has]] = _EMPTY
    return table.lookup(out), np.repeat(np.arange(n), n_tokens), n_tokens


def _marker_ends(texts: list[str], text_pass: TextPass) -> np.ndarray:
    """Where each line's list marker ends (0 for none), as features.line_tokens
    strips it (BULLET matched within the first 400 characters)."""
    ends = np.zeros(text_pass.n, dtype=np.int64)
    lead = np.fromiter((len(t) - len(t.lstrip()) for t in texts), dtype=np.int64, count=text_pass.n)
    for i in np.flatnonzero(may_start_marker(text_pass, lead)).tolist():
        match = BULLET.match(texts[i], 0, _TOKEN_CHARS)
        ends[i] = match.end() if match else 0
    return ends


def _tail_words(text_pass: TextPass, hashes: SubstringHashes, lines: np.ndarray, last_hash: np.ndarray,
                last_len: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A line longer than 400 characters ends its tokens with the last word of
    its last 40 characters (cut there if it started earlier), if any."""
    long = text_pass.length[lines] > _TOKEN_CHARS
    if not long.any():
        return last_hash, last_len
    length = text_pass.length
    line, start, end = text_pass.clipped_words(np.maximum(length - _TAIL_CHARS, 0), length)
    is_long = np.zeros(text_pass.n, dtype=bool)
    is_long[lines[long]] = True
    keep = is_long[line]
    line, start, end = line[keep], start[keep], end[keep]
    if not line.size:
        return last_hash, last_len
    final = np.flatnonzero(np.append(line[1:] != line[:-1], True))  # each line's last tail word
    where = np.searchsorted(lines, line[final])
    last_hash, last_len = last_hash.copy(), last_len.copy()
    last_hash[where] = hashes.of(start[final], end[final])
    last_len[where] = end[final] - start[final]
    return last_hash, last_len
