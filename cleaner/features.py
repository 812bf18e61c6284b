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


_HEAD = 160  # character-level ratios are read off a line's start: junk is short,
# and for a long paragraph its first 160 characters tell as much as the rest.
_UPPER = re.compile(r"[A-ZÀ-ÖØ-ÞĀ-ſА-ЯΑ-Ω]")  # Latin, Cyrillic and Greek capitals
_DIGIT = re.compile(r"\d")
_TAG_ROWS = {t: [float(t == u) for u in _TAGS] for t in (*_TAGS, "")}


def _has_url(text: str) -> bool:
    # Every _URLISH match contains one of these, so the cheap test decides most lines.
    low = text.lower()
    return ("http" in low or "www." in low or ".com" in low or "@" in low) and _URLISH.search(text) is not None


def shape_row(block: Block, is_html: bool) -> list[float]:
    """The dense shape features of one block, in SHAPE_NAMES order."""
    text = block.text.strip()
    head = text[:_HEAD]
    ends = head if len(text) <= _HEAD else head + " " + text[-80:]
    all_words = _WORD.findall(text)
    words = all_words[:40]
    n_words = len(all_words)
    alpha_words = [w for w in words if w[0].isalpha()]
    n_letters = sum(map(str.isalpha, head)) or 1
    last = text[-1] if text else ""
    first = text[0] if text else ""
    row = [
        math.log1p(len(text)),
        math.log1p(n_words),
        float(last in _TERMINAL),
        float(last == ":"),
        float(_BULLET.match(head) is not None),
        float(_NUMBERED.match(head) is not None),
        sum(1 for w in alpha_words if w[0].isupper()) / len(alpha_words) if alpha_words else 0.0,
        _UPPER.subn("", head)[1] / n_letters,
        _DIGIT.subn("", head)[1] / (len(head) or 1),
        float("|" in text),
        float("©" in text or "(c)" in head.lower()),
        float(_has_url(ends)),
        math.log1p(text.count(". ") + text.count("? ") + text.count("! ")),
        float(first.islower()),
        float("$" in text or "€" in text or "£" in text or "¥" in text),
        float(is_html),
        block.link_ratio,
        math.log1p(text.count(",")),
        float(text.endswith("...") or last == "…"),
        float(first in _QUOTES),
        float(_SYMBOLS.search(head) is not None),
        float("[" in text or "(" in text[:2]),
        (sum(map(len, words)) / len(words)) if words else 0.0,
    ]
    row.extend(_TAG_ROWS.get(block.tag, _TAG_ROWS[""]))
    return row


def shape_matrix(blocks: Sequence[Block], is_html: bool) -> np.ndarray:
    """Shape features for many blocks as a float32 matrix."""
    if not blocks:
        return np.zeros((0, len(SHAPE_NAMES)), dtype=np.float32)
    return np.asarray([shape_row(b, is_html) for b in blocks], dtype=np.float32)


def line_tokens(text: str) -> list[str]:
    """The words the lexical model sees: lower-cased words and word pairs, marker
    stripped, plus the first and last word marked as such so the model can tell
    "starts with Read" from "contains read". Junk announces itself early, so
    only a line's first 40 words and first 12 word pairs count: a long
    paragraph's tail adds cost, not evidence."""
    words = _WORD.findall(strip_marker(text[:400]).lower())
    if not words:
        return ["_empty_"]
    tail = _WORD.findall(text[-40:].lower()) if len(text) > 400 else words
    head = words[:40]
    pairs = [f"{a} {b}" for a, b in zip(head[:12], head[1:13])]
    return [*head, *pairs, f"_b_{words[0]}", f"_e_{tail[-1] if tail else words[-1]}"]
