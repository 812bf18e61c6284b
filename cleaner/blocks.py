"""Cut a text into line blocks that keep their exact offsets.

Every later stage works on these blocks, and the removed-spans report is built
from their offsets, so the split must cover the text exactly: the blocks' spans,
line breaks included, tile the whole string with no gap and no overlap.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class Block:
    """One line of the base text (or one code block, its lines together:
    see `visible.visible_code`).

    `start`/`end` bound the line's characters, `stop` is past its line break
    (equal to `end` on the last line). `tag` is the structural role the HTML
    extractor gave the line ("" for plain text); `link_ratio` is the share of its
    characters inside links. `list_id` and `item_id` number the HTML list and
    list item the line came from, so stage three knows where one list ends
    and the next begins, and that a teaser card's lines (headline, then dek)
    are one item; -1 outside lists and in plain text. `orphaned` marks an
    HTML widget title whose box of links the extractor dropped (`orphans.py`).
    `markup` says what the tag does not and Markdown output needs
    (`markdown_output.py`), never read by the model: a heading's level
    ("h1".."h6"), "ol3" for the third item of a numbered list and "ul3" of a
    bulleted one, "ul3:1" in a list nested one deep ("ol3+", "ul3:1+" for
    the item's next lines, after a <br> or in a second paragraph), "quote"
    for a line inside a quotation, "thead" for a table's header row and
    "tstart" for the first row of a table without one; "" otherwise.
    """

    start: int
    end: int
    stop: int
    text: str
    tag: str = ""
    link_ratio: float = 0.0
    list_id: int = -1
    item_id: int = -1
    orphaned: bool = False
    markup: str = ""

    @property
    def blank(self) -> bool:
        """No visible character: whitespace and zero-width marks only."""
        return not self.text.strip(_INVISIBLE)


_INVISIBLE = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u200c\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff"
_BREAKS = frozenset("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def split_lines(text: str) -> list[Block]:
    """Split on every line boundary Python recognises (CRLF, CR, LF, U+2028, ...)."""
    blocks: list[Block] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        if line.endswith("\r\n"):
            body = line[:-2]
        elif line[-1] in _BREAKS:
            body = line[:-1]
        else:
            body = line
        blocks.append(Block(pos, pos + len(body), pos + len(line), body))
        pos += len(line)
    return blocks
