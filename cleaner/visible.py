"""Text as a reader sees it: what extracted HTML lines and the texts they are
matched against are normalised to."""

from __future__ import annotations

import re

_SPACE = re.compile(r"\s+")


def visible(text: str) -> str:
    """`text` with whitespace runs collapsed to one space, stripped, and
    without the characters trafilatura's own text output drops: those neither
    printable nor space. Soft hyphens (U+00AD) are the common case: typeset
    pages put one in every long word, and left in they split words for
    search, dedup and tokenizers alike. Zero-width spaces, bidi and control
    marks go too."""
    text = _SPACE.sub(" ", text)
    if not text.isprintable():
        text = _SPACE.sub(" ", "".join(ch for ch in text if ch.isprintable()))
    return text.strip()
