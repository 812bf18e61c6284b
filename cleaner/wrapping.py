"""Join the lines of hard-wrapped paragraphs back into one block each.

Some tools save text wrapped at a fixed width: html2text (78 columns by
default), `lynx -dump` and `w3m -dump` (79), mail and archive formats. A
paragraph then spans several lines, and a line is the classifier's unit: a
newsletter prompt wrapped over two lines lost its first line and kept its
second ("our pick of local stories, sent to your inbox each morning."), and
a paragraph's short last line ("supports two winters ago.") reads like a
fragment. The model learned paragraphs as single lines, so the wrapped lines
of one paragraph are joined into one block (their text joined by spaces, their
offsets spanning them all) and go or stay together.

A text counts as wrapped only when its lines have a width: most lines that run
on into the next one end within a few characters of the same length, which
text with a paragraph per line never shows. A line is joined to the next
only when the next one's first word would not have fitted on it, and never
to a list item, heading, quote or table row.
"""

from __future__ import annotations

from typing import Sequence

from .blocks import Block
from .features import marker_of

# Wrapping widths seen in practice run from about 60 to 100 columns.
_WIDTHS = range(40, 121)
# The lengths of line that may have been cut at such a width.
_LENGTHS = (34, 126)
# The width is a percentile: a few lines may run longer (an unbreakable URL).
_OVER = 5
# Of the lines followed directly by another line, this share must be full.
_FULL_SHARE = 0.6
# And at least this many of them: a few short lines prove nothing.
_MIN_FULL = 4
_NOT_PROSE = "#>|=-*+"  # first characters of headings, quotes, table rows and list items
# Of the full lines, this share must be followed by a line going on in lower
# case, and this share must end without a sentence's closing mark.
_LOWER_SHARE = 0.4
_OPEN_SHARE = 0.6
_CLOSING = (".", "!", "?", ":", ";", '"', "”", "»", ")")


def unwrap(blocks: list[Block]) -> list[Block]:
    """`blocks` (the lines of a text, in order) with each hard-wrapped
    paragraph's lines joined into one block; `blocks` itself when the text
    is not wrapped at a fixed width."""
    width = wrap_width(blocks)
    if width is None:
        return blocks
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        j = i
        while j + 1 < len(blocks) and _runs_on(blocks[j].text, blocks[j + 1].text, width):
            j += 1
        if j == i:
            out.append(blocks[i])
        else:
            first, last = blocks[i], blocks[j]
            joined = " ".join(b.text.strip() for b in blocks[i:j + 1])
            out.append(Block(first.start, last.end, last.stop, joined))
        i = j + 1
    return out


def wrap_width(blocks: Sequence[Block]) -> int | None:
    """The width the text is wrapped at, or None when it is not wrapped: the
    90th percentile of the lengths of lines that run on into a next line,
    when it lies in _WIDTHS, most of those lines come within `_slack` of it,
    and enough of the lines after them go on in lower case, mid-sentence
    (lists of similar lines, headline after headline, have a width but not
    that). Only lines of prose count, and only lines short enough to have
    been cut are looked at closely: most texts are ruled out by their
    lengths alone."""
    pairs = [(a.text.rstrip(), b.text.lstrip()) for a, b in zip(blocks, blocks[1:]) if _LENGTHS[0] <= len(a.text) <= _LENGTHS[1]]
    if sum(following[:1].islower() for _, following in pairs) < _LOWER_SHARE * _MIN_FULL:
        return None  # the check below would fail too, and this one is cheap
    pairs = [(line, following) for line, following in pairs if following and _is_prose(line) and _is_prose(following, 1)]
    if len(pairs) < _MIN_FULL:
        return None
    lengths = sorted(len(line) for line, _ in pairs)
    width = lengths[int(0.9 * (len(lengths) - 1))]
    if width not in _WIDTHS:
        return None
    full = [(line, following) for line, following in pairs if width - _slack(width) <= len(line) <= width + _OVER]
    if len(full) < _MIN_FULL or len(full) < _FULL_SHARE * len(pairs):
        return None
    # Mid-sentence: the next line goes on in lower case, and the cut line ends
    # without a sentence's closing mark.
    if sum(following[0].islower() for _, following in full) < _LOWER_SHARE * len(full):
        return None
    return width if sum(not line.endswith(_CLOSING) for line, _ in full) >= _OPEN_SHARE * len(full) else None


def _slack(width: int) -> int:
    """How far short of the width a full line may end: a cut falls before
    the next word, and words run to about a sixth of a narrow line."""
    return max(6, round(0.15 * width))


def _is_prose(text: str, words: int = 3) -> bool:
    """A line of prose, which wrapping may have cut (three words or more) or
    continued (any words): not a list item (any marker `features.marker_of`
    knows), heading, quote or table row."""
    stripped = text.strip()
    if not stripped or stripped[0] in _NOT_PROSE or stripped.count(" ") < words - 1:
        return False
    return " | " not in stripped and "\t" not in stripped and not marker_of(stripped)


def _runs_on(line: str, following: str, width: int) -> bool:
    """Whether `line` was cut at `width` before `following`'s first word."""
    if not (_is_prose(line) and _is_prose(following, 1)):
        return False
    length = len(line.rstrip())
    first_word = following.split(None, 1)[0]
    return width - _slack(width) <= length <= width + _OVER and length + 1 + len(first_word) > width
