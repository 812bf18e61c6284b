"""Per-block features: what a line looks like on its own.

These are the context-free half of classification (jusText's first stage):
shape cues a human uses at a glance — length, closing punctuation, list markers,
title case, link share, the HTML role — plus the line's words, hashed. Context
(what the neighbours look like) is added in `context.py`.
"""

from __future__ import annotations

import math
import re
from typing import Sequence

import numpy as np

from .blocks import Block

_BULLET = re.compile(r"^\s*(?:[-–—•·*▪▫◦●○■□►▶▸»›→⇒➔➤✓✔+>|#]+|\[\s*\]|\d{1,2}[.)](?!\d))\s*")
_NUMBERED = re.compile(r"^\s*\d{1,2}[.)](?!\d)\s")
_WORD = re.compile(r"\w+")
_TERMINAL = frozenset(".!?…\"”’»)」』;")
_QUOTES = frozenset("\"“”„«»‘’'‹›「")
_URLISH = re.compile(r"https?://|www\.|\.com\b|@\w", re.IGNORECASE)
_SYMBOLS = re.compile(r"[\u2190-\u21ff\u2600-\u27bf\U0001F000-\U0001FAFF]")
_TAGS = ("h1", "h", "p", "li", "quote", "row", "comment")

SHAPE_NAMES: tuple[str, ...] = (
    "log_chars", "log_words", "ends_terminal", "ends_colon", "starts_bullet",
    "starts_number", "title_ratio", "upper_ratio", "digit_ratio", "has_pipe",
    "has_copyright", "has_url", "sentences", "starts_lower", "has_money",
    "is_html", "link_ratio", "commas", "ends_ellipsis", "starts_quote",
    "has_symbols", "has_brackets", "mean_word_len",
) + tuple(f"tag_{t}" for t in _TAGS)


def marker_of(text: str) -> str:
    """The list marker a line starts with ("" for none), digits folded to '1'."""
    match = _BULLET.match(text)
    if not match:
        return ""
    return re.sub(r"\d+", "1", match.group(0).strip())


def strip_marker(text: str) -> str:
    """The line without its list marker, for word features."""
    return _BULLET.sub("", text, count=1)


def shape_row(block: Block, is_html: bool) -> list[float]:
    """The dense shape features of one block, in SHAPE_NAMES order."""
    text = block.text.strip()
    words = _WORD.findall(text)
    n_words = len(words)
    letters = [c for c in text if c.isalpha()]
    n_letters = len(letters) or 1
    alpha_words = [w for w in words if w[0].isalpha()]
    titled = sum(1 for w in alpha_words if w[0].isupper())
    last = text[-1] if text else ""
    row = [
        math.log1p(len(text)),
        math.log1p(n_words),
        float(last in _TERMINAL),
        float(last == ":"),
        float(bool(_BULLET.match(text))),
        float(bool(_NUMBERED.match(text))),
        titled / len(alpha_words) if alpha_words else 0.0,
        sum(1 for c in letters if c.isupper()) / n_letters,
        sum(1 for c in text if c.isdigit()) / (len(text) or 1),
        float("|" in text),
        float("©" in text or "(c)" in text.lower()),
        float(bool(_URLISH.search(text))),
        math.log1p(text.count(". ") + text.count("? ") + text.count("! ")),
        float(bool(text) and text[0].islower()),
        float(any(c in text for c in "$€£¥")),
        float(is_html),
        block.link_ratio,
        math.log1p(text.count(",")),
        float(text.endswith("...") or text.endswith("…")),
        float(bool(text) and text[0] in _QUOTES),
        float(bool(_SYMBOLS.search(text))),
        float("[" in text or "(" in text[:2]),
        (sum(len(w) for w in words) / n_words) if n_words else 0.0,
    ]
    row.extend(float(block.tag == t) for t in _TAGS)
    return row


def shape_matrix(blocks: Sequence[Block], is_html: bool) -> np.ndarray:
    """Shape features for many blocks as a float32 matrix."""
    if not blocks:
        return np.zeros((0, len(SHAPE_NAMES)), dtype=np.float32)
    return np.asarray([shape_row(b, is_html) for b in blocks], dtype=np.float32)


def lexical_text(block: Block) -> str:
    """The text the word hasher sees: marker stripped, with edge tokens marked.

    Marking the first and last word lets the linear model learn "starts with
    Read" apart from "contains read".
    """
    body = strip_marker(block.text).strip()
    words = _WORD.findall(body.lower())
    if not words:
        return "_empty_"
    return f"_b_{words[0]} {body} _e_{words[-1]}"
