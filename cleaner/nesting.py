"""Keep absurdly nested HTML readable by the parser.

libxml2, under lxml and trafilatura, stops building the tree when elements
nest 256 deep, and silently drops everything after that point: a page with
300 unclosed <span> or <font> tags (broken markup, or a hostile page) loses
its whole article. When a parsed tree comes back that deep, `flatten` drops the
tags nested deeper than `cap` (their text stays, in the ancestor at depth
`cap`; paragraph and heading tags stay) so the rest of the page parses. Real pages nest a few dozen levels, so
the fallback only ever touches pages that would lose text otherwise.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

SUSPECT_DEPTH = 200  # an element this deep means the page may have hit the parser's limit
FLATTEN_CAP = 100

# Possessive quantifiers: a tag name followed by "[^<>]*" could otherwise split
# a long run of letters every possible way before failing (quadratic).
_TOKEN = re.compile(r"<!--.*?(?:-->|\Z)|<(/?)([A-Za-z][A-Za-z0-9:-]*+)[^<>]*+>", re.DOTALL)
_VOID = frozenset(
    "area base basefont br col embed frame hr img input isindex keygen link meta param source track wbr".split()
)
# Their content is raw text to the parser; their tags are always kept, or the
# code inside a <script> would become visible text.
_RAW = frozenset("script style textarea title xmp iframe noembed noframes plaintext".split())
# Text blocks keep their tags too: trafilatura reads paragraphs, not bare text
# in a <div>. The parser closes an open one when the next starts, so they add
# no depth of their own.
_TEXT_BLOCKS = frozenset("p h1 h2 h3 h4 h5 h6 li dt dd".split())


def is_suspiciously_deep(tree) -> bool:
    """True when the parsed tree has an element SUSPECT_DEPTH levels down."""
    return bool(tree.xpath("*/" * (SUSPECT_DEPTH - 2) + "*"))


@lru_cache(maxsize=None)
def _raw_end(name: str) -> re.Pattern[str]:
    return re.compile(rf"</{name}\b", re.IGNORECASE)


def flatten(html: str, cap: int = FLATTEN_CAP) -> str:
    """`html` with the start and end tags of elements nested deeper than `cap`
    removed, and everything else (text, comments, scripts) left as it was.

    Nesting is tracked the simple way (a start tag opens, the matching end tag
    closes it and anything left open inside); HTML's implied end tags are not
    modelled, which can only make the estimate deeper, never shallower.
    """
    parts: list[str] = []
    stack: list[tuple[str, bool]] = []
    open_names: Counter[str] = Counter()
    pos = 0
    while (match := _TOKEN.search(html, pos)) is not None:
        parts.append(html[pos:match.start()])
        pos = match.end()
        closing, name = match.group(1), match.group(2)
        if name is None:  # a comment
            parts.append(match.group(0))
            continue
        name = name.lower()
        keep = True
        if closing:
            if open_names[name]:
                while True:
                    top, keep = stack.pop()
                    open_names[top] -= 1
                    if top == name:
                        break
        elif name not in _VOID:
            keep = len(stack) < cap or name in _RAW or name in _TEXT_BLOCKS
            stack.append((name, keep))
            open_names[name] += 1
        if keep:
            parts.append(match.group(0))
        if name in _RAW and not closing:
            end = _raw_end(name).search(html, pos)
            stop = end.start() if end else len(html)
            parts.append(html[pos:stop])
            pos = stop
    parts.append(html[pos:])
    return "".join(parts)
