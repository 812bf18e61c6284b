"""Per-block features: what a line looks like on its own.

These are the context-free half of classification (jusText's first stage):
shape cues a human uses at a glance — length, closing punctuation, list markers,
title case, link share, the HTML role — plus the line's words, hashed. Context
(what the neighbours look like) is added in `context.py`.
"""

from __future__ import annotations

import re
from typing import Sequence

import numpy as np

from .blocks import Block
from .cues import BULLET as _BULLET, CUE_NAMES, HEAD as _HEAD, MARKER_START as _MARKER_START, cue_matrix
from .textpass import ALPHA_BIT, CASED_UPPER_BIT, CJK_CHARS, WORD as _WORD, TextPass

_TAGS = ("h1", "h", "p", "li", "quote", "row", "comment")

SHAPE_NAMES: tuple[str, ...] = (
    "log_chars", "log_words", "ends_terminal", "ends_colon", "starts_bullet",
    "starts_number", "title_ratio", "upper_ratio", "digit_ratio", "has_pipe",
    "has_copyright", "has_url", "sentences", "starts_lower", "has_money",
    "is_html", "link_ratio", "commas", "ends_ellipsis", "starts_quote",
    "has_symbols", "has_brackets", "mean_word_len", "pipes", "ends_pipe",
) + tuple(f"tag_{t}" for t in _TAGS)


def marker_of(text: str) -> str:
    """The list marker a line starts with ("" for none), digits folded to '1'."""
    lead = text.lstrip()[:1]
    if not lead or not (lead in _MARKER_START or lead.isdecimal()):
        return ""  # most lines: no regex needed
    match = _BULLET.match(text)
    if not match:
        return ""
    return re.sub(r"\d+", "1", match.group(0).strip())


def strip_marker(text: str) -> str:
    """The line without its list marker, for word features."""
    return _BULLET.sub("", text, count=1)


# Character-level ratios are read off a line's first _HEAD characters: junk is
# short, and for a long paragraph its start tells as much as the rest.
_LEAD = 40  # word-level ratios are read off a line's first 40 words, likewise.
_TAG_COLUMNS = {t: len(SHAPE_NAMES) - len(_TAGS) + i for i, t in enumerate(_TAGS)}
# The SHAPE_NAMES columns `cue_matrix` gives, in its order.
_CUE_COLUMNS = [SHAPE_NAMES.index(name) for name in CUE_NAMES]


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """numerator / denominator, 0 where the denominator is 0 (as the per-line
    definitions give)."""
    return np.divide(numerator, denominator, out=np.zeros(len(numerator)), where=denominator > 0)


def _lead_word_stats(text_pass: TextPass) -> tuple[np.ndarray, np.ndarray]:
    """Per line, over its first _LEAD words: the share of words starting with
    a letter that start with a capital, and the mean word length."""
    n, line = text_pass.n, text_pass.word_line
    lead = text_pass.rank_in_line(line) < _LEAD
    lead_line = line[lead]
    first_flags = text_pass.flags[text_pass.word_start[lead]]
    alpha = (first_flags & ALPHA_BIT) != 0
    title = alpha & ((first_flags & CASED_UPPER_BIT) != 0)
    lengths = (text_pass.word_end - text_pass.word_start)[lead]
    title_ratio = _ratio(np.bincount(lead_line[title], minlength=n), np.bincount(lead_line[alpha], minlength=n))
    mean_len = _ratio(np.bincount(lead_line, weights=lengths, minlength=n), np.bincount(lead_line, minlength=n))
    return title_ratio, mean_len


def shape_matrix(blocks: Sequence[Block], is_html: bool, text_pass: TextPass | None = None) -> np.ndarray:
    """The dense shape features of many blocks, in SHAPE_NAMES order, as a
    float32 matrix; `text_pass` is the blocks' texts' pass, if made already.

    Character and word counts come from one pass over the document (see
    `textpass.py`); the rest are a few string methods per line. Each value is
    an exact ratio or log of counts in float64, rounded to float32 once, as
    when it was computed line by line."""
    n = len(blocks)
    out = np.zeros((n, len(SHAPE_NAMES)), dtype=np.float64)
    if not n:
        return out.astype(np.float32)
    raw = [b.text for b in blocks]
    texts = [t.strip() for t in raw]
    text_pass = text_pass or TextPass(raw)
    # Each stripped text starts this far into its line; its head is its first _HEAD characters.
    lead = np.fromiter((len(r) - len(r.lstrip()) for r in raw), dtype=np.int64, count=n)
    heads = np.minimum(np.fromiter(map(len, texts), dtype=np.int64, count=n), _HEAD)
    upper, digits, letters, symbols = text_pass.head_counts(lead, lead + heads)
    title_ratio, mean_len = _lead_word_stats(text_pass)
    # Chinese and Japanese put no spaces between words, so a whole clause is
    # one \w+ run; about two characters make a word.
    words = text_pass.words_per_line + text_pass.cjk_per_line // 2
    link_ratio = np.fromiter((b.link_ratio for b in blocks), dtype=np.float64, count=n)
    out[:, _CUE_COLUMNS] = cue_matrix(texts, text_pass, lead, words, link_ratio)
    out[:, 6] = title_ratio
    out[:, 7] = upper / np.maximum(letters, 1)
    out[:, 8] = digits / np.maximum(heads, 1)
    out[:, 15] = float(is_html)
    out[:, 20] = symbols > 0
    out[:, 22] = mean_len
    for row, block in enumerate(blocks):
        column = _TAG_COLUMNS.get(block.tag)
        if column is not None:
            out[row, column] = 1.0
    return out.astype(np.float32)


# A line that opens with a short label and a colon or bar ("Related: ...",
# "Read next: ...", "À lire aussi : ...", "ALSO READ | ...", but also "Q: ...",
# "Update: ..."): one to four words, then the separator, then more words. A
# time ("4:15") is not a label.
LABEL = re.compile(r"[^\w]{0,2}(?:[\w'’-]+\s+){0,3}[\w'’-]+\s?[:：|](?!\d)\s*\w")


def has_label(text: str) -> bool:
    """Whether the line, without its list marker, opens with a label (LABEL)."""
    head = text[:80]
    if ":" not in head and "|" not in head and "：" not in head:
        return False  # most lines: no regex needed
    return LABEL.match(strip_marker(head).lstrip()) is not None


def label_flags(texts: Sequence[str]) -> np.ndarray:
    """`has_label` of each text, as a boolean array: the tokenisers and the
    token weights (`scorer.LexicalWeights.entry_weights`) both need it, and
    it is computed once per line."""
    return np.fromiter(map(has_label, texts), dtype=bool, count=len(texts))


def line_tokens(text: str) -> list[str]:
    """The words the lexical model sees: lower-cased words and word pairs, marker
    stripped, plus the first and last word marked as such so the model can tell
    "starts with Read" from "contains read" (the first marked "_l_" instead of
    "_b_" when the line opens with a label: "Related: ..." is not "Related
    research ..."). Junk announces itself early, so
    only a line's first 40 words and first 12 word pairs count: a long
    paragraph's tail adds cost, not evidence."""
    words = cjk_words(_WORD.findall(strip_marker(text[:400]).lower()))
    if not words:
        return ["_empty_"]
    tail = cjk_words(_WORD.findall(text[-40:].lower())) if len(text) > 400 else words
    head = words[:40]
    pairs = [f"{a} {b}" for a, b in zip(head[:12], head[1:13])]
    first = "_l_" if has_label(text) else "_b_"
    return [*head, *pairs, f"{first}{words[0]}", f"_e_{tail[-1] if tail else words[-1]}"]


_CJK_RUN = re.compile(f"[{CJK_CHARS}]+")


def cjk_words(words: list[str]) -> list[str]:
    """The words with each run of kana or Han characters cut into overlapping
    character pairs ("免费订阅" -> "免费", "费订", "订阅"; a lone character
    stays itself). Chinese and Japanese put no spaces between words, so to
    `\\w+` a whole clause is one word, seen once: a teaser or a newsletter
    prompt shared no token with the ones training saw. Pairs are the usual
    stand-in for words there, and need no dictionary."""
    out: list[str] = []
    for word in words:
        if word.isascii():
            out.append(word)
            continue
        at = 0  # a word without kana or Han goes in whole, as the rest after its last run
        for run in _CJK_RUN.finditer(word):
            if run.start() > at:
                out.append(word[at: run.start()])
            chars = run.group()
            out.extend([chars] if len(chars) == 1 else [chars[i: i + 2] for i in range(len(chars) - 1)])
            at = run.end()
        if at < len(word):
            out.append(word[at:])
    return out


_TOKEN_CHARS = 400  # line_tokens reads a line's first 400 characters
_CHUNK = 2000  # lines per pass when tokenising a corpus, to bound memory


def tokens_of(texts: Sequence[str], text_pass: TextPass | None = None, labelled: np.ndarray | None = None) -> list[list[str]]:
    """`line_tokens` of every text, with the words split out of one
    lower-cased, words-only copy of all of them (`TextPass.spaced`) instead of
    a regex per line; `text_pass` is the texts' pass and `labelled` their
    `label_flags`, if made already."""
    if text_pass is None:
        if len(texts) > _CHUNK:
            return [tokens for i in range(0, len(texts), _CHUNK) for tokens in tokens_of(texts[i: i + _CHUNK])]
        text_pass = TextPass(texts)
    flags = (label_flags(texts) if labelled is None else labelled).tolist()
    spaced = text_pass.spaced()
    starts = text_pass.line_start.tolist()
    if text_pass.tokens_fast:
        return [_spaced_tokens(text, spaced, start, flag) for text, start, flag in zip(texts, starts, flags)]
    by_regex = text_pass.regex_token_lines.tolist()
    return [line_tokens(text) if slow else _spaced_tokens(text, spaced, start, flag)
            for text, start, slow, flag in zip(texts, starts, by_regex, flags)]


def _spaced_tokens(text: str, spaced: str, start: int, labelled: bool) -> list[str]:
    """`line_tokens(text)`, where `text` starts at `start` in `spaced` and
    `labelled` is its `has_label`."""
    match = _BULLET.match(text, 0, _TOKEN_CHARS)  # as strip_marker(text[:400]) sees it
    window = spaced[start + (match.end() if match else 0): start + min(len(text), _TOKEN_CHARS)]
    words = window.split(None, 40)
    if not words:
        return ["_empty_"]
    last = words[-1]
    if len(words) > 40:  # the 41st item is the unsplit rest
        words = words[:40]
        last = window.rsplit(None, 1)[-1]
    if len(text) > _TOKEN_CHARS:
        tail = spaced[start + len(text) - 40: start + len(text)].rsplit(None, 1)
        if tail:
            last = tail[-1]
    pairs = [f"{a} {b}" for a, b in zip(words[:12], words[1:13])]
    first = "_l_" if labelled else "_b_"
    return [*words, *pairs, f"{first}{words[0]}", f"_e_{last}"]
